/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tn-tui-pager.h"
#include "tn-tui-scan.h"
#include "tn-tui-screen.h"

/* One attendee as the replica knows them: RSVP, ticket, note and every
 * door's scans of their ticket. A supervisor checks them in from here. */

typedef struct
{
  TnTuiApp   *app;
  TnTuiScan  *scan;
  TnAttendee *attendee;   /* NULL: gone from the replica */
  TnTuiPager *pager;
} TnTuiAttendee;

static const char *
rsvp_label (TnRsvpStatus status)
{
  switch (status)
    {
    case TN_RSVP_GOING:      return _("Going");
    case TN_RSVP_WAITLISTED: return _("On the waitlist");
    case TN_RSVP_INTERESTED: return _("Interested");
    case TN_RSVP_MAYBE:      return _("Maybe");
    case TN_RSVP_NOT_GOING:
    default:                 return _("Not going");
    }
}

static char *
format_time (gint64 unix_seconds)
{
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (unix_seconds);

  if (local == NULL)
    return g_strdup ("?");
  /* Translators: when a scan was made, in the format of g_date_time_format() */
  return g_date_time_format (local, _("%a %d %b %H:%M:%S"));
}

static gboolean
empty (const char *text)
{
  return text == NULL || text[0] == '\0';
}

static void
fill (TnTuiAttendee *self)
{
  TnReplica *replica = tn_tui_scan_get_replica (self->scan);
  g_autoptr(GPtrArray) scans = NULL;
  const char *text;

  tn_tui_pager_clear (self->pager);
  if (self->attendee == NULL)
    {
      tn_tui_pager_add (self->pager, TN_TUI_STYLE_DIM, NULL,
                        _("This attendee is no longer in this door’s copy of the event."));
      return;
    }

  tn_tui_pager_add (self->pager, TN_TUI_STYLE_TITLE, NULL, tn_attendee_get_name (self->attendee));
  tn_tui_pager_add (self->pager, TN_TUI_STYLE_NORMAL, NULL, NULL);
  tn_tui_pager_add (self->pager, TN_TUI_STYLE_NORMAL, _("RSVP"), rsvp_label (tn_attendee_get_status (self->attendee)));
  if (!empty (text = tn_attendee_get_email (self->attendee)))
    tn_tui_pager_add (self->pager, TN_TUI_STYLE_NORMAL, _("E-mail"), text);
  if (!empty (text = tn_attendee_get_ticket_type (self->attendee)))
    tn_tui_pager_add (self->pager, TN_TUI_STYLE_NORMAL, _("Ticket type"), text);
  tn_tui_pager_add (self->pager, TN_TUI_STYLE_NORMAL, _("Ticket code"),
                    tn_attendee_get_ticket_code (self->attendee) != NULL
                      ? tn_attendee_get_ticket_code (self->attendee) : _("none"));
  if (!empty (text = tn_attendee_get_note (self->attendee)))
    tn_tui_pager_add (self->pager, TN_TUI_STYLE_ERROR, _("Note"), text);

  tn_tui_pager_add (self->pager, TN_TUI_STYLE_NORMAL, NULL, NULL);
  tn_tui_pager_add (self->pager, TN_TUI_STYLE_TITLE, NULL, _("Scans"));
  scans = tn_replica_get_attendee_scans (replica, tn_attendee_get_id (self->attendee));
  if (scans->len == 0)
    tn_tui_pager_add (self->pager, TN_TUI_STYLE_DIM, NULL, _("Not scanned at any door yet."));
  for (guint i = 0; i < scans->len; i++)
    {
      TnReplicaScan *scan = g_ptr_array_index (scans, i);
      g_autofree char *when = format_time (scan->scanned_at);
      g_autofree char *line = NULL;

      /* Translators: a scan in the attendee's history: "in" or "out", the
       * verdict's name (accepted, duplicate…), the door */
      line = g_strdup_printf (_("%s, %s, at %s%s%s"),
                              scan->direction == TN_SCAN_IN ? _("in") : _("out"),
                              tn_verdict_to_string (scan->has_server_verdict ? scan->server_verdict : scan->verdict),
                              scan->device != NULL ? scan->device : _("an unnamed door"),
                              scan->undone ? _(" (undone)") : "",
                              scan->flagged ? _(" (flagged)") : "");
      tn_tui_pager_add (self->pager, scan->undone ? TN_TUI_STYLE_DIM : TN_TUI_STYLE_NORMAL, when, line);
    }
}

static gpointer
tn_tui_attendee_open (TnTuiApp *app,
                      gpointer  arg)
{
  TnTuiAttendeeArg *attendee_arg = arg;
  TnTuiAttendee *self = g_new0 (TnTuiAttendee, 1);

  self->app = app;
  self->scan = attendee_arg->scan;
  self->attendee = tn_replica_get_attendee (tn_tui_scan_get_replica (self->scan), attendee_arg->attendee_id);
  self->pager = tn_tui_pager_new ();
  fill (self);
  return self;
}

static void
tn_tui_attendee_close (gpointer data)
{
  TnTuiAttendee *self = data;

  g_clear_object (&self->attendee);
  tn_tui_pager_free (self->pager);
  g_free (self);
}

static char *
tn_tui_attendee_dup_title (gpointer data)
{
  return g_strdup (_("Attendee"));
}

static const char *
tn_tui_attendee_get_keys (gpointer data)
{
  return _("^A check in · Up/Down scroll · Esc back · ? help");
}

static void
tn_tui_attendee_draw (gpointer         data,
                      const TnTuiRect *area)
{
  TnTuiAttendee *self = data;

  tn_tui_pager_draw (self->pager, area);
}

static gboolean
tn_tui_attendee_handle_key (gpointer        data,
                            const TnTuiKey *key)
{
  TnTuiAttendee *self = data;

  if (key->code == TN_TUI_KEY_ESCAPE || key->code == TN_TUI_KEY_BACKSPACE ||
      key->code == TN_TUI_KEY_LEFT || (key->code == TN_TUI_KEY_CHAR && key->ch == 'q'))
    {
      tn_tui_app_pop_screen (self->app);
      return TRUE;
    }
  if (key->code == TN_TUI_KEY_CTRL && key->ch == 'a')
    {
      if (self->attendee != NULL)
        {
          g_autoptr(TnAttendee) attendee = g_object_ref (self->attendee);

          tn_tui_search_check_in (self->app, self->scan, attendee);   /* may close this screen */
        }
      return TRUE;
    }
  return tn_tui_pager_handle_key (self->pager, key);
}

const TnTuiScreen tn_tui_attendee_screen = {
  .name = "attendee",
  .open = tn_tui_attendee_open,
  .close = tn_tui_attendee_close,
  .dup_title = tn_tui_attendee_dup_title,
  .get_keys = tn_tui_attendee_get_keys,
  .draw = tn_tui_attendee_draw,
  .handle_key = tn_tui_attendee_handle_key,
};
