/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tn-tui-app.h"
#include "tn-tui-display.h"

G_BEGIN_DECLS

/* A screen is a table of functions, as tig's views are. The app keeps a
 * stack of open screens; the top one is drawn between the header line and
 * the message and status lines, and gets the keys first.
 *
 * @open: makes the screen's state from @arg (which it may reference)
 * @close: frees the state; pending requests must be cancelled here
 * @dup_title: the header line's text
 * @get_keys: the status line's key hints (translated)
 * @draw: draws into @area
 * @handle_key: returns %TRUE when it used the key; it may close the screen
 */
struct _TnTuiScreen
{
  const char  *name;
  gpointer    (*open)       (TnTuiApp       *app,
                             gpointer        arg);
  void        (*close)      (gpointer        data);
  char       *(*dup_title)  (gpointer        data);
  const char *(*get_keys)   (gpointer        data);
  void        (*draw)       (gpointer        data,
                             const TnTuiRect *area);
  gboolean    (*handle_key) (gpointer        data,
                             const TnTuiKey *key);
};

extern const TnTuiScreen tn_tui_sign_in_screen;
extern const TnTuiScreen tn_tui_event_list_screen;
extern const TnTuiScreen tn_tui_event_details_screen;
extern const TnTuiScreen tn_tui_help_screen;
extern const TnTuiScreen tn_tui_pair_screen;
extern const TnTuiScreen tn_tui_scan_screen;
extern const TnTuiScreen tn_tui_search_screen;
extern const TnTuiScreen tn_tui_attendee_screen;
extern const TnTuiScreen tn_tui_conflicts_screen;

G_END_DECLS
