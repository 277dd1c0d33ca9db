/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tn-tui-pager.h"
#include "tn-tui-screen.h"

/* Every key, by screen. */

/* Key names made of words are translated; single characters are not. */
typedef struct
{
  const char *keys;          /* NULL: @description is a heading */
  const char *description;
} HelpEntry;

static const HelpEntry help_entries[] = {
  { NULL, N_("Checking in") },
  { N_("Type or scan, Enter"), N_("Check the code; the verdict shows at once, also offline") },
  { N_("Tab"), N_("Switch between entry and exit (with a code typed: check it, for scanners that end codes with Tab)") },
  { N_("Esc"), N_("Clear the code and the verdict") },
  { N_("Ctrl-F"), N_("Find an attendee by name (supervisors)") },
  { N_("Ctrl-U"), N_("Undo this door’s last scan (supervisors)") },
  { N_("Ctrl-O"), N_("Conflicts the server found between doors") },
  { N_("Ctrl-R"), N_("Sync with the server now") },
  { N_("Ctrl-E"), N_("Back to the list of events (staff)") },
  { N_("Ctrl-X"), N_("Sign out or unpair, wiping this door’s data") },
  { NULL, N_("Finding an attendee") },
  { N_("Type"), N_("Part of the name; case and accents do not matter") },
  { N_("Up, Down"), N_("Select") },
  { N_("Enter"), N_("The attendee’s details and scans") },
  { N_("Ctrl-A"), N_("Check the selected attendee in (or out, in exit mode) by hand") },
  { N_("Esc"), N_("Back") },
  { NULL, N_("Pairing") },
  { N_("Tab, Shift-Tab"), N_("Next or previous field") },
  { N_("Enter"), N_("Pair with the code an organizer gave") },
  { N_("Ctrl-T"), N_("Sign in with a staff account instead") },
  { NULL, N_("List of events (staff)") },
  { N_("Up, Down, j, k"), N_("Select the previous or next event") },
  { N_("PgUp, PgDn, b, Space"), N_("Move by a page") },
  { N_("Home, End, g, G"), N_("Go to the first or last event") },
  { N_("Enter, Right, l"), N_("Open the selected event") },
  { "c", N_("Check people in at the selected event") },
  { "r", N_("Refresh the list from the server") },
  { "q", N_("Quit") },
  { NULL, N_("Event details") },
  { N_("Up, Down, PgUp, PgDn"), N_("Scroll") },
  { "c", N_("Check people in at this event") },
  { "r", N_("Reload the event from the server") },
  { N_("Esc, Backspace, q"), N_("Back to the list") },
  { NULL, N_("Signing in") },
  { N_("Tab, Shift-Tab"), N_("Next or previous field") },
  { N_("Enter"), N_("Next field; on the password, sign in") },
  { N_("Ctrl-P"), N_("Pair with a code instead") },
  { N_("Esc"), N_("Quit, or stop waiting for the server") },
  { NULL, N_("Everywhere") },
  { "?", N_("This help") },
  { N_("Ctrl-L"), N_("Redraw the screen") },
  { N_("Ctrl-C, Ctrl-Q"), N_("Quit; scans not yet sent stay in the outbox") },
};

typedef struct
{
  TnTuiApp   *app;
  TnTuiPager *pager;
} TnTuiHelp;

static gpointer
tn_tui_help_open (TnTuiApp *app,
                  gpointer  arg)
{
  TnTuiHelp *self = g_new0 (TnTuiHelp, 1);

  self->app = app;
  self->pager = tn_tui_pager_new ();
  for (guint i = 0; i < G_N_ELEMENTS (help_entries); i++)
    {
      const HelpEntry *entry = &help_entries[i];

      if (entry->keys == NULL)
        {
          if (i > 0)
            tn_tui_pager_add (self->pager, TN_TUI_STYLE_NORMAL, NULL, NULL);
          tn_tui_pager_add (self->pager, TN_TUI_STYLE_TITLE, NULL, _(entry->description));
        }
      else
        {
          tn_tui_pager_add (self->pager, TN_TUI_STYLE_NORMAL, _(entry->keys), _(entry->description));
        }
    }

  return self;
}

static void
tn_tui_help_close (gpointer data)
{
  TnTuiHelp *self = data;

  tn_tui_pager_free (self->pager);
  g_free (self);
}

static char *
tn_tui_help_dup_title (gpointer data)
{
  return g_strdup (_("Keys"));
}

static const char *
tn_tui_help_get_keys (gpointer data)
{
  return _("Up/Down/PgDn scroll · Esc/q close help");
}

static void
tn_tui_help_draw (gpointer         data,
                  const TnTuiRect *area)
{
  TnTuiHelp *self = data;

  tn_tui_pager_draw (self->pager, area);
}

static gboolean
tn_tui_help_handle_key (gpointer        data,
                        const TnTuiKey *key)
{
  TnTuiHelp *self = data;

  if (tn_tui_pager_handle_key (self->pager, key))
    return TRUE;

  if (key->code == TN_TUI_KEY_ESCAPE || key->code == TN_TUI_KEY_BACKSPACE ||
      key->code == TN_TUI_KEY_ENTER || key->code == TN_TUI_KEY_LEFT ||
      (key->code == TN_TUI_KEY_CHAR && (key->ch == 'q' || key->ch == '?' || key->ch == 'h')))
    {
      tn_tui_app_pop_screen (self->app);
      return TRUE;
    }

  return FALSE;
}

const TnTuiScreen tn_tui_help_screen = {
  .name = "help",
  .open = tn_tui_help_open,
  .close = tn_tui_help_close,
  .dup_title = tn_tui_help_dup_title,
  .get_keys = tn_tui_help_get_keys,
  .draw = tn_tui_help_draw,
  .handle_key = tn_tui_help_handle_key,
};
