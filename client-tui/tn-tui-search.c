/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tn-tui-entry.h"
#include "tn-tui-scan.h"
#include "tn-tui-screen.h"
#include "tn-tui-text.h"

/* A supervisor's search by name over the replica, as each key is typed;
 * case and accents do not matter ("zoe" finds Zoë). From a result: the
 * attendee's details, or a check-in by hand (for a lost or unreadable
 * ticket). Works offline like everything at the door. */

#define RESULTS_MAX 200

typedef struct
{
  TnTuiApp   *app;
  TnTuiScan  *scan;
  TnTuiEntry *entry;
  GPtrArray  *results;    /* of TnAttendee */
  GArray     *inside;     /* of gboolean, per result */
  guint       selected;
  guint       scroll;
  int         page;
} TnTuiSearch;

static void
run_search (TnTuiSearch *self)
{
  g_autofree char *query = g_strstrip (g_strdup (tn_tui_entry_get_text (self->entry)));
  TnReplica *replica = tn_tui_scan_get_replica (self->scan);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_clear_pointer (&self->results, g_ptr_array_unref);
  g_array_set_size (self->inside, 0);
  self->selected = 0;
  self->scroll = 0;
  if (query[0] == '\0')
    {
      self->results = g_ptr_array_new_with_free_func (g_object_unref);
      return;
    }
  self->results = tn_replica_search (replica, query, RESULTS_MAX);
  for (guint i = 0; i < self->results->len; i++)
    {
      TnAttendee *attendee = g_ptr_array_index (self->results, i);
      const char *code = tn_attendee_get_ticket_code (attendee);
      gboolean inside = FALSE;

      /* What a scan in would say, without recording one. */
      if (code != NULL)
        {
          g_autoptr(TnReplicaScan) judged = tn_replica_judge (replica, code, TN_SCAN_IN, now);

          inside = judged->verdict == TN_VERDICT_DUPLICATE;
        }
      g_array_append_val (self->inside, inside);
    }
}

static gpointer
tn_tui_search_open (TnTuiApp *app,
                    gpointer  arg)
{
  TnTuiSearch *self = g_new0 (TnTuiSearch, 1);

  self->app = app;
  self->scan = arg;
  self->entry = tn_tui_entry_new (FALSE);
  self->inside = g_array_new (FALSE, FALSE, sizeof (gboolean));
  run_search (self);
  return self;
}

static void
tn_tui_search_close (gpointer data)
{
  TnTuiSearch *self = data;

  tn_tui_entry_free (self->entry);
  g_clear_pointer (&self->results, g_ptr_array_unref);
  g_array_unref (self->inside);
  g_free (self);
}

static char *
tn_tui_search_dup_title (gpointer data)
{
  return g_strdup (_("Find an attendee"));
}

static const char *
tn_tui_search_get_keys (gpointer data)
{
  return _("Type a name · Up/Down select · Enter details · ^A check in · Esc back");
}

static const char *
status_label (TnAttendee *attendee,
              gboolean    inside)
{
  switch (tn_attendee_get_status (attendee))
    {
    case TN_RSVP_GOING:
      return inside ? _("inside") : _("going");
    case TN_RSVP_WAITLISTED:
      return _("waitlisted");
    case TN_RSVP_INTERESTED:
      return _("interested");
    case TN_RSVP_MAYBE:
      return _("maybe");
    case TN_RSVP_NOT_GOING:
    default:
      return _("not going");
    }
}

static void
tn_tui_search_draw (gpointer         data,
                    const TnTuiRect *area)
{
  TnTuiSearch *self = data;
  const char *prompt = _("Name:");
  int bottom = area->top + area->height;
  int row = area->top;
  int column = area->left + 1;
  int status_width = 12;
  int type_width = area->width >= 60 ? 14 : 0;
  int name_width;

  column += tn_tui_display_text (row, column, area->width - 2, TN_TUI_STYLE_LABEL, prompt) + 1;
  tn_tui_entry_draw (self->entry, row, column, area->width - column - 1, TRUE);
  row++;
  if (row >= bottom)
    return;

  if (self->results->len == 0)
    {
      tn_tui_display_text (row, area->left + 1, area->width - 2, TN_TUI_STYLE_DIM,
                           tn_tui_entry_get_text (self->entry)[0] == '\0'
                             ? _("Type part of a name; case and accents do not matter.")
                             : _("Nobody of this event has such a name (as of the last sync)."));
      return;
    }

  self->page = bottom - row;
  if (self->selected < self->scroll)
    self->scroll = self->selected;
  if (self->page > 0 && self->selected >= self->scroll + (guint) self->page)
    self->scroll = self->selected - self->page + 1;

  name_width = area->width - status_width - type_width - 4;
  for (guint i = self->scroll; i < self->results->len && row < bottom; i++, row++)
    {
      TnAttendee *attendee = g_ptr_array_index (self->results, i);
      gboolean selected = i == self->selected;
      TnTuiStyle style = selected ? TN_TUI_STYLE_SELECTED : TN_TUI_STYLE_NORMAL;

      if (selected)
        tn_tui_display_fill (row, area->left, area->width, style);
      tn_tui_display_text (row, area->left + 1, name_width, style, tn_attendee_get_name (attendee));
      if (type_width > 0)
        tn_tui_display_text (row, area->left + 2 + name_width, type_width, style,
                             tn_attendee_get_ticket_type (attendee));
      tn_tui_display_text (row, area->width - status_width - 1, status_width, style,
                           status_label (attendee, g_array_index (self->inside, gboolean, i)));
    }
}

static TnAttendee *
selected_attendee (TnTuiSearch *self)
{
  if (self->selected >= self->results->len)
    return NULL;
  return g_ptr_array_index (self->results, self->selected);
}

/**
 * tn_tui_search_check_in:
 *
 * Checks @attendee in (or out) by hand through the scan screen, or says
 * why not.
 */
void
tn_tui_search_check_in (TnTuiApp   *app,
                        TnTuiScan  *scan,
                        TnAttendee *attendee)
{
  const char *code = tn_attendee_get_ticket_code (attendee);

  if (code == NULL)
    {
      tn_tui_app_set_message (app, TN_TUI_MESSAGE_ERROR,
                              _("This person has no ticket: only those going have one."));
      return;
    }
  tn_tui_scan_check_by_hand (scan, code);
}

static void
select_row (TnTuiSearch *self,
            gint64       row)
{
  if (self->results->len == 0)
    return;
  self->selected = CLAMP (row, 0, (gint64) self->results->len - 1);
}

static gboolean
tn_tui_search_handle_key (gpointer        data,
                          const TnTuiKey *key)
{
  TnTuiSearch *self = data;
  TnAttendee *attendee = selected_attendee (self);

  switch (key->code)
    {
    case TN_TUI_KEY_ESCAPE:
      tn_tui_app_pop_screen (self->app);
      return TRUE;
    case TN_TUI_KEY_UP:        select_row (self, (gint64) self->selected - 1); return TRUE;
    case TN_TUI_KEY_DOWN:      select_row (self, (gint64) self->selected + 1); return TRUE;
    case TN_TUI_KEY_PAGE_UP:   select_row (self, (gint64) self->selected - MAX (self->page, 1)); return TRUE;
    case TN_TUI_KEY_PAGE_DOWN: select_row (self, (gint64) self->selected + MAX (self->page, 1)); return TRUE;
    case TN_TUI_KEY_ENTER:
      if (attendee != NULL)
        {
          TnTuiAttendeeArg arg = { self->scan, tn_attendee_get_id (attendee) };

          tn_tui_app_push_screen (self->app, &tn_tui_attendee_screen, &arg);
        }
      return TRUE;
    case TN_TUI_KEY_CTRL:
      if (key->ch == 'a' && attendee != NULL)
        {
          g_autoptr(TnAttendee) chosen = g_object_ref (attendee);

          tn_tui_search_check_in (self->app, self->scan, chosen);   /* may close this screen */
        }
      return TRUE;
    case TN_TUI_KEY_CHAR:
      if (key->ch == '?' && tn_tui_entry_get_text (self->entry)[0] == '\0')
        return FALSE;
      G_GNUC_FALLTHROUGH;
    default:
      if (tn_tui_entry_handle_key (self->entry, key))
        run_search (self);
      return TRUE;
    }
}

const TnTuiScreen tn_tui_search_screen = {
  .name = "search",
  .open = tn_tui_search_open,
  .close = tn_tui_search_close,
  .dup_title = tn_tui_search_dup_title,
  .get_keys = tn_tui_search_get_keys,
  .draw = tn_tui_search_draw,
  .handle_key = tn_tui_search_handle_key,
};
