/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tn-tui-pager.h"
#include "tn-tui-screen.h"
#include "tn-error.h"

/* One event: title, when, where, category, tags, capacity, price and the
 * description, scrollable; r fetches it again from the server. */

typedef struct
{
  TnTuiApp     *app;
  TnEvent      *event;
  TnTuiPager   *pager;
  GCancellable *cancellable;
  gboolean      loading;
} TnTuiEventDetails;

static void
tn_tui_event_details_clear (gpointer data)
{
  TnTuiEventDetails *self = data;

  g_clear_object (&self->event);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->pager, tn_tui_pager_free);
}

static void
tn_tui_event_details_unref (TnTuiEventDetails *self)
{
  g_rc_box_release_full (self, tn_tui_event_details_clear);
}

static char *
format_when (gint64 starts_at,
             gint64 ends_at)
{
  g_autoptr(GDateTime) start = g_date_time_new_from_unix_local (starts_at);
  g_autoptr(GDateTime) end = g_date_time_new_from_unix_local (ends_at);
  g_autofree char *start_text = NULL;
  g_autofree char *end_text = NULL;
  int start_year, start_month, start_day;
  int end_year, end_month, end_day;

  if (start == NULL || end == NULL)
    return g_strdup ("?");

  /* Translators: an event's start in its details, in the format of
   * g_date_time_format() */
  /* xgettext:no-c-format */
  start_text = g_date_time_format (start, _("%A %d %B %Y, %H:%M"));

  g_date_time_get_ymd (start, &start_year, &start_month, &start_day);
  g_date_time_get_ymd (end, &end_year, &end_month, &end_day);
  if (start_year == end_year && start_month == end_month && start_day == end_day)
    /* Translators: an event's end on the day it starts, in the format of
     * g_date_time_format() */
    /* xgettext:no-c-format */
    end_text = g_date_time_format (end, _("%H:%M"));
  else
    /* xgettext:no-c-format */
    end_text = g_date_time_format (end, _("%A %d %B %Y, %H:%M"));

  /* Translators: an event's start and end */
  return g_strdup_printf (_("%s – %s"), start_text, end_text);
}

static void
fill_pager (TnTuiEventDetails *self)
{
  TnEvent *event = self->event;
  const char * const *tags = tn_event_get_tags (event);
  const char *location = tn_event_get_location (event);
  const char *category = tn_event_get_category (event);
  const char *description = tn_event_get_description (event);
  g_autofree char *when = format_when (tn_event_get_starts_at (event), tn_event_get_ends_at (event));
  gint64 capacity = tn_event_get_capacity (event);
  double price;

  tn_tui_pager_clear (self->pager);
  tn_tui_pager_add (self->pager, TN_TUI_STYLE_TITLE, NULL, tn_event_get_title (event));
  tn_tui_pager_add (self->pager, TN_TUI_STYLE_NORMAL, NULL, NULL);

  if (tn_event_get_status (event) == TN_EVENT_STATUS_CANCELLED)
    tn_tui_pager_add (self->pager, TN_TUI_STYLE_ERROR, _("Status"), _("Cancelled"));
  tn_tui_pager_add (self->pager, TN_TUI_STYLE_NORMAL, _("When"), when);
  tn_tui_pager_add (self->pager, TN_TUI_STYLE_NORMAL, _("Where"),
                    location != NULL && location[0] != '\0' ? location : _("Not given"));
  if (category != NULL && category[0] != '\0')
    tn_tui_pager_add (self->pager, TN_TUI_STYLE_NORMAL, _("Category"), category);
  if (tags != NULL && tags[0] != NULL)
    {
      /* Translators: the separator between an event's tags */
      g_autofree char *joined = g_strjoinv (_(", "), (char **) tags);

      tn_tui_pager_add (self->pager, TN_TUI_STYLE_NORMAL, _("Tags"), joined);
    }

  if (capacity < 0)
    {
      tn_tui_pager_add (self->pager, TN_TUI_STYLE_NORMAL, _("Capacity"), _("Unlimited"));
    }
  else
    {
      g_autofree char *places = NULL;

      places = g_strdup_printf (ngettext ("%d place", "%d places", (gulong) capacity), (int) capacity);
      tn_tui_pager_add (self->pager, TN_TUI_STYLE_NORMAL, _("Capacity"), places);
    }

  if (tn_event_get_price (event, &price))
    {
      g_autofree char *text = NULL;

      if (price == 0.0)
        text = g_strdup (_("Free"));
      else
        /* Translators: an amount and its ISO 4217 currency code */
        text = g_strdup_printf (_("%.2f %s"), price,
                                tn_event_get_currency (event) != NULL ? tn_event_get_currency (event) : "");
      tn_tui_pager_add (self->pager, TN_TUI_STYLE_NORMAL, _("Price"), text);
    }

  if (description != NULL && description[0] != '\0')
    {
      tn_tui_pager_add (self->pager, TN_TUI_STYLE_NORMAL, NULL, NULL);
      tn_tui_pager_add (self->pager, TN_TUI_STYLE_NORMAL, NULL, description);
    }
}

static void
tn_tui_event_details_loaded_cb (GObject      *source,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  TnTuiEventDetails *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) event = NULL;

  event = tn_client_event_finish (TN_CLIENT (source), result, &error);
  tn_tui_app_release (self->app);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      tn_tui_event_details_unref (self);
      return;
    }

  self->loading = FALSE;
  tn_tui_app_queue_draw (self->app);

  if (event != NULL)
    {
      g_set_object (&self->event, event);
      fill_pager (self);
    }
  else if (g_error_matches (error, TN_ERROR, TN_ERROR_NOT_FOUND))
    {
      tn_tui_app_set_message (self->app, TN_TUI_MESSAGE_ERROR,
                              _("This event is no longer on the server."));
    }
  else
    {
      tn_tui_app_report_error (self->app, error);
    }

  tn_tui_event_details_unref (self);
}

static void
reload (TnTuiEventDetails *self)
{
  if (self->loading)
    return;

  self->loading = TRUE;
  tn_tui_app_clear_message (self->app);
  tn_tui_app_hold (self->app);
  tn_client_get_event_async (tn_tui_app_get_client (self->app), tn_event_get_id (self->event),
                             self->cancellable, tn_tui_event_details_loaded_cb,
                             g_rc_box_acquire (self));
}

static gpointer
tn_tui_event_details_open (TnTuiApp *app,
                           gpointer  arg)
{
  TnTuiEventDetails *self = g_rc_box_new0 (TnTuiEventDetails);

  g_assert (TN_IS_EVENT (arg));

  self->app = app;
  self->event = g_object_ref (TN_EVENT (arg));
  self->pager = tn_tui_pager_new ();
  self->cancellable = g_cancellable_new ();
  fill_pager (self);

  return self;
}

static void
tn_tui_event_details_close (gpointer data)
{
  TnTuiEventDetails *self = data;

  g_cancellable_cancel (self->cancellable);
  tn_tui_event_details_unref (self);
}

static char *
tn_tui_event_details_dup_title (gpointer data)
{
  TnTuiEventDetails *self = data;

  if (self->loading)
    return g_strdup (_("Event details (reloading…)"));
  return g_strdup (_("Event details"));
}

static const char *
tn_tui_event_details_get_keys (gpointer data)
{
  return _("Esc/q back  c check in here  r reload  ? help");
}

static void
tn_tui_event_details_draw (gpointer         data,
                           const TnTuiRect *area)
{
  TnTuiEventDetails *self = data;

  tn_tui_pager_draw (self->pager, area);
}

static gboolean
tn_tui_event_details_handle_key (gpointer        data,
                                 const TnTuiKey *key)
{
  TnTuiEventDetails *self = data;

  switch (key->code)
    {
    case TN_TUI_KEY_ESCAPE:
    case TN_TUI_KEY_BACKSPACE:
    case TN_TUI_KEY_LEFT:
      tn_tui_app_pop_screen (self->app);
      return TRUE;
    case TN_TUI_KEY_CHAR:
      if (key->ch == 'q' || key->ch == 'h')
        {
          tn_tui_app_pop_screen (self->app);
          return TRUE;
        }
      if (key->ch == 'r')
        {
          reload (self);
          return TRUE;
        }
      if (key->ch == 'c')
        {
          tn_tui_app_start_door (self->app, tn_event_get_id (self->event));
          return TRUE;
        }
      return tn_tui_pager_handle_key (self->pager, key);
    default:
      return tn_tui_pager_handle_key (self->pager, key);
    }
}

const TnTuiScreen tn_tui_event_details_screen = {
  .name = "event-details",
  .open = tn_tui_event_details_open,
  .close = tn_tui_event_details_close,
  .dup_title = tn_tui_event_details_dup_title,
  .get_keys = tn_tui_event_details_get_keys,
  .draw = tn_tui_event_details_draw,
  .handle_key = tn_tui_event_details_handle_key,
};
