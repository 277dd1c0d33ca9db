/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tn-tui-screen.h"
#include "tn-tui-text.h"
#include "tn-time.h"

/* The list of upcoming events: when, what, where; Enter opens one.
 * Further pages are fetched when the selection reaches the end. */

/* Below these widths a column is dropped rather than squeezed. */
#define DATE_MIN_WIDTH      40
#define LOCATION_MIN_WIDTH  64

typedef struct
{
  TnTuiApp     *app;
  GPtrArray    *events;       /* of TnEvent, in order of start */
  char         *next_cursor;
  GCancellable *cancellable;
  gint64        from;
  char         *keep_id;      /* selected before a refresh */
  gboolean      loading;
  gboolean      loaded;
  guint         selected;
  guint         scroll;
  int           page;         /* rows shown at the last draw */
} TnTuiEventList;

static void
tn_tui_event_list_clear (gpointer data)
{
  TnTuiEventList *self = data;

  g_clear_pointer (&self->events, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
  g_free (self->next_cursor);
  g_free (self->keep_id);
}

static void
tn_tui_event_list_unref (TnTuiEventList *self)
{
  g_rc_box_release_full (self, tn_tui_event_list_clear);
}

static TnEvent *
selected_event (TnTuiEventList *self)
{
  if (self->selected >= self->events->len)
    return NULL;
  return g_ptr_array_index (self->events, self->selected);
}

static void load (TnTuiEventList *self,
                  gboolean        more);

static void
tn_tui_event_list_loaded_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  TnTuiEventList *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *next_cursor = NULL;
  gboolean more;

  events = tn_client_list_events_finish (TN_CLIENT (source), result, &next_cursor, &error);
  tn_tui_app_release (self->app);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      tn_tui_event_list_unref (self);
      return;
    }

  /* A refresh remembers the selection (maybe as ""); a next page does not. */
  more = self->keep_id == NULL;
  self->loading = FALSE;
  tn_tui_app_queue_draw (self->app);

  if (events == NULL)
    {
      g_clear_pointer (&self->keep_id, g_free);
      tn_tui_app_report_error (self->app, error);
      tn_tui_event_list_unref (self);
      return;
    }

  if (more)
    {
      g_ptr_array_extend_and_steal (self->events, g_steal_pointer (&events));
    }
  else
    {
      g_ptr_array_unref (self->events);
      self->events = g_steal_pointer (&events);
      self->selected = 0;
      for (guint i = 0; self->keep_id != NULL && i < self->events->len; i++)
        if (g_strcmp0 (tn_event_get_id (g_ptr_array_index (self->events, i)), self->keep_id) == 0)
          self->selected = i;
      g_clear_pointer (&self->keep_id, g_free);
    }

  g_free (self->next_cursor);
  self->next_cursor = g_steal_pointer (&next_cursor);
  self->loaded = TRUE;
  tn_tui_app_ensure_user (self->app);

  tn_tui_event_list_unref (self);
}

static void
load (TnTuiEventList *self,
      gboolean        more)
{
  TnEventFilter filter = { 0 };

  if (self->loading)
    return;

  if (!more)
    {
      TnEvent *event = self->loaded ? selected_event (self) : NULL;

      self->from = tn_time_now ();
      g_free (self->keep_id);
      /* An empty id still marks the load as a refresh. */
      self->keep_id = g_strdup (event != NULL ? tn_event_get_id (event) : "");
    }
  filter.from = self->from;
  filter.cursor = more ? self->next_cursor : NULL;

  self->loading = TRUE;
  tn_tui_app_hold (self->app);
  tn_client_list_events_async (tn_tui_app_get_client (self->app), &filter, self->cancellable,
                               tn_tui_event_list_loaded_cb, g_rc_box_acquire (self));
}

static void
load_more_if_at_end (TnTuiEventList *self)
{
  if (self->loaded && self->next_cursor != NULL && self->selected + 1 >= self->events->len)
    load (self, TRUE);
}

static gpointer
tn_tui_event_list_open (TnTuiApp *app,
                        gpointer  arg)
{
  TnTuiEventList *self = g_rc_box_new0 (TnTuiEventList);

  self->app = app;
  self->events = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
  self->page = 1;
  load (self, FALSE);

  return self;
}

static void
tn_tui_event_list_close (gpointer data)
{
  TnTuiEventList *self = data;

  g_cancellable_cancel (self->cancellable);
  tn_tui_event_list_unref (self);
}

static char *
tn_tui_event_list_dup_title (gpointer data)
{
  TnTuiEventList *self = data;

  if (!self->loaded || self->events->len == 0)
    return g_strdup (_("Upcoming events"));
  if (self->next_cursor != NULL)
    /* Translators: the selected row and how many were loaded; more follow */
    return g_strdup_printf (_("Upcoming events (%u of %u+)"), self->selected + 1, self->events->len);
  /* Translators: the selected row and the number of events */
  return g_strdup_printf (_("Upcoming events (%u of %u)"), self->selected + 1, self->events->len);
}

static const char *
tn_tui_event_list_get_keys (gpointer data)
{
  return _("Enter open  c check in here  r refresh  ? help  q quit");
}

static char *
format_start (gint64 starts_at)
{
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (starts_at);

  if (local == NULL)
    return g_strdup ("?");
  /* Translators: an event's start in the list of events, in the format of
   * g_date_time_format(); keep it short and the same width on every row */
  /* xgettext:no-c-format */
  return g_date_time_format (local, _("%a %d %b %H:%M"));
}

static char *
format_title (TnEvent *event)
{
  if (tn_event_get_status (event) == TN_EVENT_STATUS_CANCELLED)
    /* Translators: an event's title in the list when it was cancelled */
    return g_strdup_printf (_("%s (cancelled)"), tn_event_get_title (event));
  return g_strdup (tn_event_get_title (event));
}

static void
draw_placeholder (const TnTuiRect *area,
                  TnTuiStyle       style,
                  const char      *text)
{
  tn_tui_display_text (area->top + (area->height > 2 ? 1 : 0), area->left + 2,
                       area->width - 3, style, text);
}

static void
tn_tui_event_list_draw (gpointer         data,
                        const TnTuiRect *area)
{
  TnTuiEventList *self = data;
  g_autoptr(GPtrArray) dates = g_ptr_array_new_with_free_func (g_free);
  gboolean heading = area->height >= 3;
  int first_row = area->top + (heading ? 1 : 0);
  int date_width = 0;
  int title_needed = 0;
  int location_width = 0;
  int left = area->left + 1;
  int right = area->left + area->width - 1;
  int title_left, title_width, location_left;
  guint shown;

  if (!self->loaded)
    {
      if (self->loading)
        draw_placeholder (area, TN_TUI_STYLE_DIM, _("Loading events…"));
      else
        draw_placeholder (area, TN_TUI_STYLE_NORMAL,
                          _("The events could not be loaded. Press r to try again."));
      return;
    }
  if (self->events->len == 0)
    {
      draw_placeholder (area, TN_TUI_STYLE_NORMAL, _("No upcoming events."));
      return;
    }

  self->page = MAX (area->height - (heading ? 1 : 0), 1);
  self->selected = MIN (self->selected, self->events->len - 1);
  if (self->selected < self->scroll)
    self->scroll = self->selected;
  if (self->selected >= self->scroll + self->page)
    self->scroll = self->selected - self->page + 1;
  if (self->events->len > (guint) self->page)
    self->scroll = MIN (self->scroll, self->events->len - self->page);
  else
    self->scroll = 0;
  shown = MIN ((guint) self->page, self->events->len - self->scroll);

  /* Columns fit what is on screen now. */
  for (guint i = 0; i < shown; i++)
    {
      TnEvent *event = g_ptr_array_index (self->events, self->scroll + i);
      g_autofree char *location = tn_tui_display_printable (tn_event_get_location (event), FALSE);
      g_autofree char *raw_title = format_title (event);
      g_autofree char *title = tn_tui_display_printable (raw_title, FALSE);
      char *date = format_start (tn_event_get_starts_at (event));

      date_width = MAX (date_width, tn_tui_text_width (date));
      title_needed = MAX (title_needed, tn_tui_text_width (title));
      location_width = MAX (location_width, tn_tui_text_width (location));
      g_ptr_array_add (dates, date);
    }
  if (area->width < DATE_MIN_WIDTH)
    date_width = 0;
  title_left = left + (date_width > 0 ? date_width + 2 : 0);
  if (area->width < LOCATION_MIN_WIDTH)
    location_width = 0;
  /* Titles matter more; places get what titles leave, and at least a
   * third of the room. */
  location_width = MIN (location_width,
                        MAX ((right - title_left) / 3, right - title_left - title_needed - 2));
  title_width = right - title_left - (location_width > 0 ? location_width + 2 : 0);
  location_left = title_left + title_width + 2;

  if (heading)
    {
      if (date_width > 0)
        tn_tui_display_text (area->top, left, date_width, TN_TUI_STYLE_LABEL, _("When"));
      tn_tui_display_text (area->top, title_left, title_width, TN_TUI_STYLE_LABEL, _("Event"));
      if (location_width > 0)
        tn_tui_display_text (area->top, location_left, location_width, TN_TUI_STYLE_LABEL, _("Where"));
    }

  for (guint i = 0; i < shown; i++)
    {
      TnEvent *event = g_ptr_array_index (self->events, self->scroll + i);
      g_autofree char *title = format_title (event);
      int row = first_row + i;
      TnTuiStyle style = TN_TUI_STYLE_NORMAL;

      if (self->scroll + i == self->selected)
        {
          style = TN_TUI_STYLE_SELECTED;
          tn_tui_display_fill (row, area->left, area->width, style);
        }
      else if (tn_event_get_status (event) == TN_EVENT_STATUS_CANCELLED)
        {
          style = TN_TUI_STYLE_DIM;
        }

      if (date_width > 0)
        tn_tui_display_text (row, left, date_width, style, g_ptr_array_index (dates, i));
      tn_tui_display_text (row, title_left, title_width, style, title);
      if (location_width > 0)
        tn_tui_display_text (row, location_left, location_width, style,
                             tn_event_get_location (event));
    }
}

static void
select_row (TnTuiEventList *self,
            gint64          row)
{
  if (self->events->len == 0)
    return;
  self->selected = CLAMP (row, 0, (gint64) self->events->len - 1);
  load_more_if_at_end (self);
}

static gboolean
tn_tui_event_list_handle_key (gpointer        data,
                              const TnTuiKey *key)
{
  TnTuiEventList *self = data;
  gint64 selected = self->selected;
  TnEvent *event;

  switch (key->code)
    {
    case TN_TUI_KEY_UP:        select_row (self, selected - 1); return TRUE;
    case TN_TUI_KEY_DOWN:      select_row (self, selected + 1); return TRUE;
    case TN_TUI_KEY_PAGE_UP:   select_row (self, selected - self->page); return TRUE;
    case TN_TUI_KEY_PAGE_DOWN: select_row (self, selected + self->page); return TRUE;
    case TN_TUI_KEY_HOME:      select_row (self, 0); return TRUE;
    case TN_TUI_KEY_END:       select_row (self, G_MAXINT); return TRUE;
    case TN_TUI_KEY_ENTER:
    case TN_TUI_KEY_RIGHT:
      event = selected_event (self);
      if (event != NULL)
        tn_tui_app_push_screen (self->app, &tn_tui_event_details_screen, event);
      return TRUE;
    case TN_TUI_KEY_CHAR:
      switch (key->ch)
        {
        case 'k': select_row (self, selected - 1); return TRUE;
        case 'j': select_row (self, selected + 1); return TRUE;
        case 'b': select_row (self, selected - self->page); return TRUE;
        case ' ': select_row (self, selected + self->page); return TRUE;
        case 'g': select_row (self, 0); return TRUE;
        case 'G': select_row (self, G_MAXINT); return TRUE;
        case 'l':
          event = selected_event (self);
          if (event != NULL)
            tn_tui_app_push_screen (self->app, &tn_tui_event_details_screen, event);
          return TRUE;
        case 'r':
          tn_tui_app_clear_message (self->app);
          load (self, FALSE);
          return TRUE;
        case 'c':
          event = selected_event (self);
          if (event != NULL)
            tn_tui_app_start_door (self->app, tn_event_get_id (event));
          return TRUE;
        case 'q':
          tn_tui_app_quit (self->app);
          return TRUE;
        default:
          return FALSE;
        }
    default:
      return FALSE;
    }
}

const TnTuiScreen tn_tui_event_list_screen = {
  .name = "event-list",
  .open = tn_tui_event_list_open,
  .close = tn_tui_event_list_close,
  .dup_title = tn_tui_event_list_dup_title,
  .get_keys = tn_tui_event_list_get_keys,
  .draw = tn_tui_event_list_draw,
  .handle_key = tn_tui_event_list_handle_key,
};
