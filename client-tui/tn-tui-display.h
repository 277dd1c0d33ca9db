/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The terminal, behind an interface that does not leak curses: this and
 * tn-tui-display.c are the only files that know curses exists. */

typedef enum
{
  TN_TUI_STYLE_NORMAL,
  TN_TUI_STYLE_HEADER,
  TN_TUI_STYLE_STATUS,
  TN_TUI_STYLE_TITLE,
  TN_TUI_STYLE_LABEL,
  TN_TUI_STYLE_SELECTED,
  TN_TUI_STYLE_DIM,
  TN_TUI_STYLE_INFO,
  TN_TUI_STYLE_ERROR,
  TN_TUI_STYLE_FIELD,
  TN_TUI_STYLE_FIELD_FOCUS,
  TN_TUI_STYLE_GOOD,     /* a verdict banner: let in */
  TN_TUI_STYLE_WARN,     /* a verdict banner: look twice */
  TN_TUI_STYLE_BAD,      /* a verdict banner: do not let in */
  TN_TUI_STYLE_EXIT,     /* the exit mode's badge */
  TN_TUI_N_STYLES
} TnTuiStyle;

typedef enum
{
  TN_TUI_KEY_CHAR,       /* a printable character, in @ch */
  TN_TUI_KEY_CTRL,       /* Ctrl and a letter, in @ch ('a' … 'z') */
  TN_TUI_KEY_UP,
  TN_TUI_KEY_DOWN,
  TN_TUI_KEY_LEFT,
  TN_TUI_KEY_RIGHT,
  TN_TUI_KEY_PAGE_UP,
  TN_TUI_KEY_PAGE_DOWN,
  TN_TUI_KEY_HOME,
  TN_TUI_KEY_END,
  TN_TUI_KEY_ENTER,
  TN_TUI_KEY_ESCAPE,
  TN_TUI_KEY_BACKSPACE,
  TN_TUI_KEY_DELETE,
  TN_TUI_KEY_TAB,
  TN_TUI_KEY_BACK_TAB,
  TN_TUI_KEY_RESIZE,
  TN_TUI_KEY_OTHER,
} TnTuiKeyCode;

typedef struct
{
  TnTuiKeyCode code;
  gunichar     ch;
} TnTuiKey;

/* A region of the screen: the rows top … top + height - 1. */
typedef struct
{
  int top;
  int left;
  int height;
  int width;
} TnTuiRect;

gboolean    tn_tui_display_open         (GError     **error);
void        tn_tui_display_close        (void);
gboolean    tn_tui_display_is_open      (void);
void        tn_tui_display_update_size  (void);
void        tn_tui_display_get_size     (int         *rows,
                                         int         *columns);
const char *tn_tui_display_ellipsis     (void);
char       *tn_tui_display_printable    (const char  *text,
                                         gboolean     keep_newlines);

void        tn_tui_display_begin        (void);
void        tn_tui_display_fill         (int          row,
                                         int          column,
                                         int          width,
                                         TnTuiStyle   style);
int         tn_tui_display_text         (int          row,
                                         int          column,
                                         int          width,
                                         TnTuiStyle   style,
                                         const char  *text);
void        tn_tui_display_set_cursor   (int          row,
                                         int          column);
void        tn_tui_display_end          (void);
void        tn_tui_display_force_redraw (void);
void        tn_tui_display_beep         (void);

gboolean    tn_tui_display_read_key     (TnTuiKey    *key);

G_END_DECLS
