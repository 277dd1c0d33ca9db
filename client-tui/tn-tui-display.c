/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "tn-tui-display.h"
#include "tn-tui-text.h"

#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* How long a lone Escape waits for the rest of a key sequence, in ms. A
 * door terminal is local, so a short wait keeps Escape snappy. */
#define TN_TUI_ESCAPE_DELAY 25

enum
{
  PAIR_HEADER = 1,
  PAIR_STATUS,
  PAIR_LABEL,
  PAIR_SELECTED,
  PAIR_INFO,
  PAIR_ERROR,
  PAIR_FIELD_FOCUS,
  PAIR_GOOD,
  PAIR_WARN,
  PAIR_BAD,
  PAIR_EXIT,
  N_PAIRS
};

static struct
{
  SCREEN  *screen;
  gboolean open;
  gboolean utf8;
  int      cursor_row;
  int      cursor_column;
  attr_t   attrs[TN_TUI_N_STYLES];
} display;

static void
setup_monochrome (void)
{
  display.attrs[TN_TUI_STYLE_NORMAL] = A_NORMAL;
  display.attrs[TN_TUI_STYLE_HEADER] = A_REVERSE | A_BOLD;
  display.attrs[TN_TUI_STYLE_STATUS] = A_REVERSE;
  display.attrs[TN_TUI_STYLE_TITLE] = A_BOLD;
  display.attrs[TN_TUI_STYLE_LABEL] = A_BOLD;
  display.attrs[TN_TUI_STYLE_SELECTED] = A_REVERSE;
  display.attrs[TN_TUI_STYLE_DIM] = A_DIM;
  display.attrs[TN_TUI_STYLE_INFO] = A_NORMAL;
  display.attrs[TN_TUI_STYLE_ERROR] = A_BOLD;
  display.attrs[TN_TUI_STYLE_FIELD] = A_UNDERLINE;
  display.attrs[TN_TUI_STYLE_FIELD_FOCUS] = A_REVERSE;
  /* Without colour the banner's words carry the verdict; the bell marks
   * every verdict but "accepted". */
  display.attrs[TN_TUI_STYLE_GOOD] = A_REVERSE | A_BOLD;
  display.attrs[TN_TUI_STYLE_WARN] = A_REVERSE | A_BOLD;
  display.attrs[TN_TUI_STYLE_BAD] = A_REVERSE | A_BOLD;
  display.attrs[TN_TUI_STYLE_EXIT] = A_REVERSE | A_BOLD;
}

/* https://no-color.org: a NO_COLOR that is set and not empty turns colour
 * off; attributes (bold, reverse) still mark what matters. */
static gboolean
want_colors (void)
{
  const char *no_color = g_getenv ("NO_COLOR");

  return no_color == NULL || no_color[0] == '\0';
}

static void
setup_colors (void)
{
  short background = COLOR_BLACK;

  setup_monochrome ();

  if (!want_colors () || !has_colors () || start_color () != OK || COLOR_PAIRS < N_PAIRS)
    return;

  if (use_default_colors () == OK)
    background = -1;

  init_pair (PAIR_HEADER, COLOR_WHITE, COLOR_BLUE);
  init_pair (PAIR_STATUS, COLOR_BLACK, COLOR_CYAN);
  init_pair (PAIR_LABEL, COLOR_CYAN, background);
  init_pair (PAIR_SELECTED, COLOR_BLACK, COLOR_YELLOW);
  init_pair (PAIR_INFO, COLOR_GREEN, background);
  init_pair (PAIR_ERROR, COLOR_RED, background);
  init_pair (PAIR_FIELD_FOCUS, COLOR_BLACK, COLOR_WHITE);
  init_pair (PAIR_GOOD, COLOR_BLACK, COLOR_GREEN);
  init_pair (PAIR_WARN, COLOR_BLACK, COLOR_YELLOW);
  init_pair (PAIR_BAD, COLOR_WHITE, COLOR_RED);
  init_pair (PAIR_EXIT, COLOR_WHITE, COLOR_MAGENTA);

  display.attrs[TN_TUI_STYLE_HEADER] = COLOR_PAIR (PAIR_HEADER) | A_BOLD;
  display.attrs[TN_TUI_STYLE_STATUS] = COLOR_PAIR (PAIR_STATUS);
  display.attrs[TN_TUI_STYLE_LABEL] = COLOR_PAIR (PAIR_LABEL) | A_BOLD;
  display.attrs[TN_TUI_STYLE_SELECTED] = COLOR_PAIR (PAIR_SELECTED) | A_BOLD;
  display.attrs[TN_TUI_STYLE_INFO] = COLOR_PAIR (PAIR_INFO);
  display.attrs[TN_TUI_STYLE_ERROR] = COLOR_PAIR (PAIR_ERROR) | A_BOLD;
  display.attrs[TN_TUI_STYLE_FIELD_FOCUS] = COLOR_PAIR (PAIR_FIELD_FOCUS) | A_UNDERLINE;
  display.attrs[TN_TUI_STYLE_GOOD] = COLOR_PAIR (PAIR_GOOD) | A_BOLD;
  display.attrs[TN_TUI_STYLE_WARN] = COLOR_PAIR (PAIR_WARN) | A_BOLD;
  display.attrs[TN_TUI_STYLE_BAD] = COLOR_PAIR (PAIR_BAD) | A_BOLD;
  display.attrs[TN_TUI_STYLE_EXIT] = COLOR_PAIR (PAIR_EXIT) | A_BOLD;
}

/**
 * tn_tui_display_open:
 * @error: return location for an error
 *
 * Takes over the terminal on standard input and output. Call after
 * setlocale() and after installing any signal handlers that curses must
 * leave alone (SIGWINCH, SIGINT, SIGTERM).
 *
 * Returns: %TRUE on success
 */
gboolean
tn_tui_display_open (GError **error)
{
  const char *term = g_getenv ("TERM");

  g_return_val_if_fail (!display.open, FALSE);

  if (!isatty (STDIN_FILENO) || !isatty (STDOUT_FILENO))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("turnout-door must run in a terminal"));
      return FALSE;
    }

  display.utf8 = g_get_charset (NULL);
  display.screen = newterm (NULL, stdout, stdin);
  if (display.screen == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Cannot use the terminal type “%s”"), term != NULL ? term : "");
      return FALSE;
    }
  set_term (display.screen);

  /* raw, not cbreak: Ctrl-S must not freeze a door's screen (flow
   * control) and Ctrl-Z must not suspend it; Ctrl-C arrives as a key and
   * the app quits on it. */
  raw ();
  noecho ();
  nonl ();
  intrflush (stdscr, FALSE);
  keypad (stdscr, TRUE);
  nodelay (stdscr, TRUE);
  set_escdelay (TN_TUI_ESCAPE_DELAY);
  curs_set (0);
  setup_colors ();

  display.cursor_row = -1;
  display.open = TRUE;
  return TRUE;
}

/**
 * tn_tui_display_close:
 *
 * Gives the terminal back as it was.
 */
void
tn_tui_display_close (void)
{
  if (!display.open)
    return;

  curs_set (1);
  endwin ();
  delscreen (display.screen);
  display.screen = NULL;
  display.open = FALSE;
  fflush (stdout);
}

gboolean
tn_tui_display_is_open (void)
{
  return display.open;
}

/**
 * tn_tui_display_update_size:
 *
 * Adopts the terminal's current size; call after SIGWINCH.
 */
void
tn_tui_display_update_size (void)
{
  struct winsize size;

  g_return_if_fail (display.open);

  if (ioctl (STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_row > 0 && size.ws_col > 0)
    resizeterm (size.ws_row, size.ws_col);
  clearok (curscr, TRUE);
}

void
tn_tui_display_get_size (int *rows,
                         int *columns)
{
  g_return_if_fail (display.open);

  *rows = LINES;
  *columns = COLS;
}

/**
 * tn_tui_display_ellipsis:
 *
 * Returns: what marks cut text in this terminal's character set
 */
const char *
tn_tui_display_ellipsis (void)
{
  return display.utf8 ? "…" : "~";
}

/**
 * tn_tui_display_printable:
 * @text: (nullable): any text
 * @keep_newlines: whether to keep line breaks
 *
 * Returns: (transfer full): @text made safe for this terminal: control
 *   characters removed and, outside a UTF-8 locale, transliterated to ASCII
 */
char *
tn_tui_display_printable (const char *text,
                          gboolean    keep_newlines)
{
  return tn_tui_text_sanitize (text, keep_newlines, !display.utf8);
}

/**
 * tn_tui_display_begin:
 *
 * Starts a frame: the screen is blank and the cursor hidden until
 * tn_tui_display_end() shows what was drawn.
 */
void
tn_tui_display_begin (void)
{
  g_return_if_fail (display.open);

  erase ();
  display.cursor_row = -1;
  display.cursor_column = -1;
}

void
tn_tui_display_fill (int        row,
                     int        column,
                     int        width,
                     TnTuiStyle style)
{
  g_return_if_fail (display.open);
  g_return_if_fail (style < TN_TUI_N_STYLES);

  if (row < 0 || row >= LINES || column < 0 || column >= COLS)
    return;
  width = MIN (width, COLS - column);
  if (width <= 0)
    return;

  mvhline (row, column, ' ' | display.attrs[style], width);
}

/**
 * tn_tui_display_text:
 * @row: the screen row
 * @column: the screen column
 * @width: the room for @text, in cells; the text is cut to fit
 * @style: how the text looks
 * @text: (nullable): UTF-8 text, possibly from the network
 *
 * Returns: the number of cells drawn
 */
int
tn_tui_display_text (int         row,
                     int         column,
                     int         width,
                     TnTuiStyle  style,
                     const char *text)
{
  g_autofree char *printable = NULL;
  g_autofree char *fitted = NULL;

  g_return_val_if_fail (display.open, 0);
  g_return_val_if_fail (style < TN_TUI_N_STYLES, 0);

  if (row < 0 || row >= LINES || column < 0 || column >= COLS || text == NULL)
    return 0;
  width = MIN (width, COLS - column);
  if (width <= 0)
    return 0;

  printable = tn_tui_display_printable (text, FALSE);
  fitted = tn_tui_text_fit (printable, width, tn_tui_display_ellipsis ());

  attrset (display.attrs[style]);
  mvaddstr (row, column, fitted);
  attrset (A_NORMAL);

  return tn_tui_text_width (fitted);
}

/**
 * tn_tui_display_set_cursor:
 *
 * Shows the cursor at @row, @column at the end of this frame (for a text
 * field); by default the cursor is hidden.
 */
void
tn_tui_display_set_cursor (int row,
                           int column)
{
  display.cursor_row = row;
  display.cursor_column = column;
}

void
tn_tui_display_end (void)
{
  g_return_if_fail (display.open);

  if (display.cursor_row >= 0 && display.cursor_row < LINES &&
      display.cursor_column >= 0 && display.cursor_column < COLS)
    {
      move (display.cursor_row, display.cursor_column);
      curs_set (1);
    }
  else
    {
      curs_set (0);
    }
  refresh ();
}

/**
 * tn_tui_display_force_redraw:
 *
 * Repaints every cell at the next tn_tui_display_end(), for when something
 * else wrote to the terminal (Ctrl-L).
 */
void
tn_tui_display_force_redraw (void)
{
  g_return_if_fail (display.open);
  clearok (curscr, TRUE);
}

/**
 * tn_tui_display_beep:
 *
 * Rings the terminal's bell (or flashes the screen where it has none).
 */
void
tn_tui_display_beep (void)
{
  g_return_if_fail (display.open);
  beep ();
}

static TnTuiKeyCode
key_code_from_curses (wint_t key)
{
  switch (key)
    {
    case KEY_UP:        return TN_TUI_KEY_UP;
    case KEY_DOWN:      return TN_TUI_KEY_DOWN;
    case KEY_LEFT:      return TN_TUI_KEY_LEFT;
    case KEY_RIGHT:     return TN_TUI_KEY_RIGHT;
    case KEY_PPAGE:     return TN_TUI_KEY_PAGE_UP;
    case KEY_NPAGE:     return TN_TUI_KEY_PAGE_DOWN;
    case KEY_HOME:      return TN_TUI_KEY_HOME;
    case KEY_END:       return TN_TUI_KEY_END;
    case KEY_ENTER:     return TN_TUI_KEY_ENTER;
    case KEY_BACKSPACE: return TN_TUI_KEY_BACKSPACE;
    case KEY_DC:        return TN_TUI_KEY_DELETE;
    case KEY_BTAB:      return TN_TUI_KEY_BACK_TAB;
    case KEY_RESIZE:    return TN_TUI_KEY_RESIZE;
    default:            return TN_TUI_KEY_OTHER;
    }
}

/**
 * tn_tui_display_read_key:
 * @key: (out): the key
 *
 * Reads one key without waiting.
 *
 * Returns: %FALSE when no key is waiting
 */
gboolean
tn_tui_display_read_key (TnTuiKey *key)
{
  wint_t wch;
  int kind;

  g_return_val_if_fail (display.open, FALSE);

  kind = wget_wch (stdscr, &wch);
  if (kind == ERR)
    return FALSE;

  key->ch = 0;
  if (kind == KEY_CODE_YES)
    {
      key->code = key_code_from_curses (wch);
      return TRUE;
    }

  switch (wch)
    {
    case '\r':
    case '\n':
      key->code = TN_TUI_KEY_ENTER;
      break;
    case '\t':
      key->code = TN_TUI_KEY_TAB;
      break;
    case 27:
      key->code = TN_TUI_KEY_ESCAPE;
      break;
    case 8:
    case 127:
      key->code = TN_TUI_KEY_BACKSPACE;
      break;
    default:
      if (wch >= 1 && wch < 27)
        {
          key->code = TN_TUI_KEY_CTRL;
          key->ch = 'a' + wch - 1;
        }
      else if (g_unichar_isprint (wch))
        {
          key->code = TN_TUI_KEY_CHAR;
          key->ch = wch;
        }
      else
        {
          key->code = TN_TUI_KEY_OTHER;
        }
    }

  return TRUE;
}
