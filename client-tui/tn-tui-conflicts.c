/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tn-tui-pager.h"
#include "tn-tui-screen.h"

/* Conflicts the sync found: this door's scans the server judged otherwise
 * (two doors let one ticket in while offline: the later scan becomes a
 * duplicate), and other doors' flagged scans of tickets this door let in.
 * Someone should go and look: the list says who, when and where. */

typedef struct
{
  TnTuiApp   *app;
  TnTuiPager *pager;
} TnTuiConflicts;

static char *
format_time (gint64 unix_seconds)
{
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (unix_seconds);

  if (local == NULL)
    return g_strdup ("?");
  return g_date_time_format (local, "%H:%M:%S");
}

static void
fill (TnTuiConflicts *self)
{
  TnSyncEngine *engine = tn_tui_app_get_engine (self->app);
  g_autoptr(GPtrArray) conflicts = NULL;

  tn_tui_pager_clear (self->pager);
  if (engine == NULL)
    return;
  conflicts = tn_replica_get_conflicts (tn_sync_engine_get_replica (engine));
  if (conflicts->len == 0)
    {
      tn_tui_pager_add (self->pager, TN_TUI_STYLE_DIM, NULL,
                        _("No conflicts: every door agrees with the server."));
      return;
    }

  tn_tui_pager_add (self->pager, TN_TUI_STYLE_TITLE, NULL,
                    _("The server judged these scans otherwise than the door did:"));
  for (guint i = 0; i < conflicts->len; i++)
    {
      TnReplicaScan *scan = g_ptr_array_index (conflicts, i);
      g_autofree char *when = format_time (scan->scanned_at);
      g_autofree char *line = NULL;
      const char *who = scan->name != NULL ? scan->name : scan->code;
      const char *door = scan->device != NULL ? scan->device : _("an unnamed door");

      if (scan->rejected != NULL)
        /* Translators: a scan the server refused: a name or code, "in"/"out",
         * a door's name, the server's (English) reason */
        line = g_strdup_printf (_("%s: %s at %s; the server refused this scan: %s"),
                                who,
                                scan->direction == TN_SCAN_IN ? _("in") : _("out"),
                                door, scan->rejected);
      else
      /* Translators: a conflict: a name, "in"/"out", a door's name, the
       * door's verdict, the server's verdict (API names such as duplicate) */
      line = g_strdup_printf (_("%s: %s at %s; the door said %s, the server says %s%s"),
                              who,
                              scan->direction == TN_SCAN_IN ? _("in") : _("out"),
                              door,
                              tn_verdict_to_string (scan->verdict),
                              scan->has_server_verdict ? tn_verdict_to_string (scan->server_verdict) : "?",
                              scan->flagged ? _(" (flagged: someone was let in who should not have been)") : "");
      tn_tui_pager_add (self->pager, TN_TUI_STYLE_NORMAL, when, line);
    }
}

static void
tn_tui_conflicts_changed_cb (TnSyncEngine *engine,
                             gpointer      user_data)
{
  TnTuiConflicts *self = user_data;

  fill (self);
  tn_tui_app_queue_draw (self->app);
}

static gpointer
tn_tui_conflicts_open (TnTuiApp *app,
                       gpointer  arg)
{
  TnTuiConflicts *self = g_new0 (TnTuiConflicts, 1);

  self->app = app;
  self->pager = tn_tui_pager_new ();
  fill (self);
  if (tn_tui_app_get_engine (app) != NULL)
    g_signal_connect (tn_tui_app_get_engine (app), "changed", G_CALLBACK (tn_tui_conflicts_changed_cb), self);
  return self;
}

static void
tn_tui_conflicts_close (gpointer data)
{
  TnTuiConflicts *self = data;

  if (tn_tui_app_get_engine (self->app) != NULL)
    g_signal_handlers_disconnect_by_data (tn_tui_app_get_engine (self->app), self);
  tn_tui_pager_free (self->pager);
  g_free (self);
}

static char *
tn_tui_conflicts_dup_title (gpointer data)
{
  return g_strdup (_("Conflicts"));
}

static const char *
tn_tui_conflicts_get_keys (gpointer data)
{
  return _("Up/Down scroll · Esc back · ? help");
}

static void
tn_tui_conflicts_draw (gpointer         data,
                       const TnTuiRect *area)
{
  TnTuiConflicts *self = data;

  tn_tui_pager_draw (self->pager, area);
}

static gboolean
tn_tui_conflicts_handle_key (gpointer        data,
                             const TnTuiKey *key)
{
  TnTuiConflicts *self = data;

  if (key->code == TN_TUI_KEY_ESCAPE || key->code == TN_TUI_KEY_BACKSPACE ||
      key->code == TN_TUI_KEY_LEFT || (key->code == TN_TUI_KEY_CHAR && key->ch == 'q') ||
      (key->code == TN_TUI_KEY_CTRL && key->ch == 'o'))
    {
      tn_tui_app_pop_screen (self->app);
      return TRUE;
    }
  return tn_tui_pager_handle_key (self->pager, key);
}

const TnTuiScreen tn_tui_conflicts_screen = {
  .name = "conflicts",
  .open = tn_tui_conflicts_open,
  .close = tn_tui_conflicts_close,
  .dup_title = tn_tui_conflicts_dup_title,
  .get_keys = tn_tui_conflicts_get_keys,
  .draw = tn_tui_conflicts_draw,
  .handle_key = tn_tui_conflicts_handle_key,
};
