/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tn-arrivals-chart.h"
#include "tn-dashboard.h"
#include "tn-dashboard-private.h"
#include "tn-error.h"
#include "tn-json.h"
#include "tn-live-client.h"

/* The event-day page: an event's figures as the server's live stream
 * (TnLiveClient) pushes them, never polled. When the stream drops, the
 * last figures stay, dimmed, under the time they arrived, and the page
 * opens the stream again with a growing delay: TnLiveClient itself does
 * not reconnect. */

#define RETRY_FIRST_MS 500
#define RETRY_MAX_MS   5000

struct _TnDashboard
{
  AdwBin           parent_instance;

  TnClient        *client;
  TnEvent         *event;
  TnLiveClient    *live;
  GCancellable    *cancellable;
  guint            retry_source;
  guint            minute_source;
  guint            retry_ms;
  gint64           updated_at;   /* real time in µs of the last figures; 0 before */
  guint            n_updates;
  gboolean         stale;
  gboolean         refused;      /* the server will not let this session follow the event */

  AdwWindowTitle  *window_title;
  GtkImage        *status_icon;
  GtkLabel        *status_label;
  GtkWidget       *figures_area;
  GtkLabel        *going_label;
  GtkLabel        *waitlist_label;
  GtkLabel        *checked_in_label;
  GtkLabel        *inside_label;
  GtkLevelBar     *capacity_bar;
  GtkLabel        *capacity_label;
  TnArrivalsChart *chart;
  GtkListBox      *doors_list;
};

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_EVENT,
  PROP_LIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TnDashboard, tn_dashboard, ADW_TYPE_BIN)

static void tn_dashboard_connect (TnDashboard *self);

/* --- figures ------------------------------------------------------------- */

static gint64
get_count (JsonObject *object,
           const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return -1;   /* null: no limit, or a field this server does not send */
  return json_node_get_int (node);
}

static void
set_figure (GtkLabel *label,
            gint64    value)
{
  g_autofree char *text = value >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, value) : g_strdup ("–");

  /* Only a change of text: the benchmark waits for the repaint after it. */
  if (g_strcmp0 (gtk_label_get_text (label), text) != 0)
    gtk_label_set_text (label, text);
}

/* “19:05”, local time, of a time in RFC 3339. */
static char *
format_time (const char *rfc3339)
{
  g_autoptr(GDateTime) utc = rfc3339 != NULL ? g_date_time_new_from_iso8601 (rfc3339, NULL) : NULL;
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  if (local == NULL)
    return g_strdup ("");
  /* Translators: a time of day on the dashboard; see the strftime()
   * formats of g_date_time_format() */
  return g_date_time_format (local, _("%H:%M"));
}

static void
tn_dashboard_update_capacity (TnDashboard *self,
                              JsonObject  *stats)
{
  gint64 capacity = get_count (stats, "capacity");
  gint64 inside = MAX (get_count (stats, "inside"), 0);
  gint64 seats_left = get_count (stats, "seats_left");
  g_autofree char *text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->capacity_bar), capacity > 0);
  if (capacity > 0)
    {
      g_autofree char *inside_text = NULL;

      gtk_level_bar_set_value (self->capacity_bar, MIN ((double) inside / capacity, 1.0));
      /* Translators: on the dashboard, under the capacity gauge; the
       * first number is the people inside, the second the capacity */
      inside_text = g_strdup_printf (ngettext ("%d inside of %d place", "%d inside of %d places", (gulong) capacity),
                                     (int) MIN (inside, G_MAXINT), (int) MIN (capacity, G_MAXINT));
      if (seats_left >= 0)
        /* Translators: on the dashboard, under the capacity gauge: how
         * many people inside, then how many seats nobody has taken yet */
        text = g_strdup_printf (ngettext ("%s · %d seat left", "%s · %d seats left", (gulong) seats_left),
                                inside_text, (int) MIN (seats_left, G_MAXINT));
      else
        text = g_steal_pointer (&inside_text);
    }
  else
    text = g_strdup (_("No capacity limit"));
  gtk_label_set_text (self->capacity_label, text);
}

static void
tn_dashboard_update_chart (TnDashboard *self,
                           JsonObject  *stats)
{
  JsonNode *node = json_object_get_member (stats, "arrivals_per_minute");
  g_autoptr(GArray) counts = g_array_new (FALSE, TRUE, sizeof (guint));
  g_autoptr(GDateTime) last = NULL;
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *minute;
      guint count;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      minute = json_node_get_object (element);
      count = (guint) MAX (get_count (minute, "count"), 0);
      g_array_append_val (counts, count);
      if (i + 1 == json_array_get_length (array))
        {
          const char *text = tn_json_object_get_string (minute, "minute");

          last = text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
        }
    }
  tn_arrivals_chart_set_data (self->chart, (const guint *) (gpointer) counts->data, counts->len,
                              last != NULL ? g_date_time_to_unix (last) : g_get_real_time () / G_USEC_PER_SEC);
}

static GtkWidget *
create_door_row (JsonObject *door)
{
  const char *name = tn_json_object_get_string (door, "name");
  const char *device = tn_json_object_get_string (door, "device");
  g_autofree char *last = format_time (tn_json_object_get_string (door, "last_scan_at"));
  g_autofree char *subtitle = NULL;
  g_autofree char *counts = NULL;
  gint64 accepted = MAX (get_count (door, "accepted"), 0);
  gint64 refused = MAX (get_count (door, "refused"), 0);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 name != NULL ? name : device != NULL ? device : "");
  /* Translators: on the dashboard, under a door's name */
  subtitle = g_strdup_printf (_("Last scan at %s"), last);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  /* Translators: on the dashboard, a door's scans: let in, then refused */
  counts = g_strdup_printf (_("%d in · %d refused"), (int) MIN (accepted, G_MAXINT), (int) MIN (refused, G_MAXINT));
  label = gtk_label_new (counts);
  gtk_widget_add_css_class (label, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  return row;
}

static void
tn_dashboard_update_doors (TnDashboard *self,
                           JsonObject  *stats)
{
  JsonNode *node = json_object_get_member (stats, "doors");
  GtkListBoxRow *row;

  /* A handful of doors: rebuilding the rows costs nothing. */
  while ((row = gtk_list_box_get_row_at_index (self->doors_list, 0)) != NULL)
    gtk_list_box_remove (self->doors_list, GTK_WIDGET (row));
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonNode *door = json_array_get_element (json_node_get_array (node), i);

      if (JSON_NODE_HOLDS_OBJECT (door))
        gtk_list_box_append (self->doors_list, create_door_row (json_node_get_object (door)));
    }
}

static void
tn_dashboard_update_status (TnDashboard *self)
{
  gboolean live = self->live != NULL && tn_live_client_get_connected (self->live);
  gboolean stale = !live && self->updated_at != 0;
  g_autofree char *text = NULL;

  if (live)
    text = g_strdup (_("Live"));
  else if (self->refused)
    /* Translators: the dashboard's status line when the server refuses
     * the live figures (signed out, or no longer a host of the event) */
    text = g_strdup (_("The server does not show this event’s figures to this account any more"));
  else if (self->updated_at != 0)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (self->updated_at / G_USEC_PER_SEC);
      /* Translators: a time of day on the dashboard; see the strftime()
       * formats of g_date_time_format() */
      g_autofree char *time = g_date_time_format (when, _("%H:%M"));

      /* Translators: the dashboard's status line when the live stream is
       * down; %s is when the figures shown arrived */
      text = g_strdup_printf (_("Offline — figures from %s"), time);
    }
  else
    text = g_strdup (_("Offline — no figures yet"));

  gtk_label_set_text (self->status_label, text);
  gtk_image_set_from_icon_name (self->status_icon,
                                live ? "network-transmit-receive-symbolic" : "network-offline-symbolic");
  if (live)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "success");
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "warning");
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "warning");
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "success");
    }

  self->stale = stale;
  if (stale)
    gtk_widget_add_css_class (self->figures_area, "tn-stale");
  else
    gtk_widget_remove_css_class (self->figures_area, "tn-stale");
}

static void
tn_dashboard_live_stats_cb (TnDashboard *self)
{
  JsonObject *stats = tn_live_client_get_stats (self->live);
  gint64 waitlisted;

  if (stats == NULL)
    return;

  waitlisted = get_count (stats, "waitlisted");
  set_figure (self->going_label, get_count (stats, "going"));
  set_figure (self->waitlist_label, waitlisted >= 0 ? waitlisted : 0);
  set_figure (self->checked_in_label, get_count (stats, "checked_in"));
  set_figure (self->inside_label, get_count (stats, "inside"));
  tn_dashboard_update_capacity (self, stats);
  tn_dashboard_update_chart (self, stats);
  tn_dashboard_update_doors (self, stats);

  self->updated_at = g_get_real_time ();
  self->n_updates++;
  tn_dashboard_update_status (self);
}

/* The server reports every arrival as it happens, so while the stream is
 * open a minute without a delta had none: the chart moves on by itself
 * at each new minute. Offline it stands still, as the other figures do. */
static gboolean tn_dashboard_minute_cb (gpointer user_data);

static void
tn_dashboard_schedule_minute (TnDashboard *self)
{
  gint64 now_ms = g_get_real_time () / 1000;

  g_clear_handle_id (&self->minute_source, g_source_remove);
  self->minute_source = g_timeout_add ((guint) (60000 - now_ms % 60000) + 50, tn_dashboard_minute_cb, self);
}

static gboolean
tn_dashboard_minute_cb (gpointer user_data)
{
  TnDashboard *self = user_data;

  self->minute_source = 0;
  if (tn_dashboard_get_live (self))
    tn_arrivals_chart_advance_to (self->chart, g_get_real_time () / G_USEC_PER_SEC);
  tn_dashboard_schedule_minute (self);
  return G_SOURCE_REMOVE;
}

/* --- the live stream ----------------------------------------------------- */

static gboolean
tn_dashboard_retry_cb (gpointer user_data)
{
  TnDashboard *self = user_data;

  self->retry_source = 0;
  tn_dashboard_connect (self);
  return G_SOURCE_REMOVE;
}

static void
tn_dashboard_schedule_retry (TnDashboard *self)
{
  if (self->retry_source != 0 || g_cancellable_is_cancelled (self->cancellable))
    return;
  self->retry_source = g_timeout_add (self->retry_ms, tn_dashboard_retry_cb, self);
  self->retry_ms = MIN (self->retry_ms * 2, RETRY_MAX_MS);
}

static void
tn_dashboard_live_connected_cb (TnDashboard *self)
{
  gboolean live = tn_live_client_get_connected (self->live);

  tn_dashboard_update_status (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIVE]);
  if (live)
    self->retry_ms = RETRY_FIRST_MS;
  else
    tn_dashboard_schedule_retry (self);
}

static void
tn_dashboard_connect_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(TnDashboard) self = user_data;
  g_autoptr(GError) error = NULL;

  if (tn_live_client_connect_finish (TN_LIVE_CLIENT (source), result, &error))
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_debug ("The live stream of event %s cannot be opened: %s",
           tn_live_client_get_event_id (TN_LIVE_CLIENT (source)), error->message);
  /* Signed out, or no longer a host: trying again will not help. */
  self->refused = g_error_matches (error, TN_ERROR, TN_ERROR_UNAUTHORIZED) ||
                  g_error_matches (error, TN_ERROR, TN_ERROR_FORBIDDEN) ||
                  g_error_matches (error, TN_ERROR, TN_ERROR_NOT_FOUND);
  tn_dashboard_update_status (self);
  if (!self->refused)
    tn_dashboard_schedule_retry (self);
}

static void
tn_dashboard_connect (TnDashboard *self)
{
  g_assert (TN_IS_LIVE_CLIENT (self->live));
  tn_live_client_connect_async (self->live, self->cancellable, tn_dashboard_connect_cb, g_object_ref (self));
}

/* --- GObject ------------------------------------------------------------- */

static void
tn_dashboard_constructed (GObject *object)
{
  TnDashboard *self = TN_DASHBOARD (object);

  G_OBJECT_CLASS (tn_dashboard_parent_class)->constructed (object);

  g_assert (TN_IS_CLIENT (self->client));
  g_assert (TN_IS_EVENT (self->event));
  g_assert (tn_event_get_id (self->event) != NULL);

  adw_window_title_set_subtitle (self->window_title,
                                 tn_event_get_title (self->event) != NULL ? tn_event_get_title (self->event) : "");

  self->live = tn_live_client_new (self->client, tn_event_get_id (self->event));
  g_signal_connect_object (self->live, "notify::stats",
                           G_CALLBACK (tn_dashboard_live_stats_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->live, "notify::connected",
                           G_CALLBACK (tn_dashboard_live_connected_cb), self, G_CONNECT_SWAPPED);
  tn_dashboard_connect (self);
  tn_dashboard_schedule_minute (self);
}

static void
tn_dashboard_dispose (GObject *object)
{
  TnDashboard *self = TN_DASHBOARD (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  g_clear_handle_id (&self->minute_source, g_source_remove);
  if (self->live != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->live, self);
      tn_live_client_close (self->live);
      g_clear_object (&self->live);
    }
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TN_TYPE_DASHBOARD);
  g_clear_object (&self->client);
  g_clear_object (&self->event);

  G_OBJECT_CLASS (tn_dashboard_parent_class)->dispose (object);
}

static void
tn_dashboard_finalize (GObject *object)
{
  TnDashboard *self = TN_DASHBOARD (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (tn_dashboard_parent_class)->finalize (object);
}

static void
tn_dashboard_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TnDashboard *self = TN_DASHBOARD (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_EVENT:
      g_value_set_object (value, self->event);
      break;
    case PROP_LIVE:
      g_value_set_boolean (value, tn_dashboard_get_live (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tn_dashboard_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  TnDashboard *self = TN_DASHBOARD (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_EVENT:
      self->event = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tn_dashboard_class_init (TnDashboardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = tn_dashboard_constructed;
  object_class->dispose = tn_dashboard_dispose;
  object_class->finalize = tn_dashboard_finalize;
  object_class->get_property = tn_dashboard_get_property;
  object_class->set_property = tn_dashboard_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, TN_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EVENT] =
    g_param_spec_object ("event", NULL, NULL, TN_TYPE_EVENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * TnDashboard:live:
   *
   * Whether the live stream is open, so the figures are current.
   */
  properties[PROP_LIVE] =
    g_param_spec_boolean ("live", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TN_TYPE_ARRIVALS_CHART);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/turnout/Turnout/tn-dashboard.ui");
  gtk_widget_class_bind_template_child (widget_class, TnDashboard, window_title);
  gtk_widget_class_bind_template_child (widget_class, TnDashboard, status_icon);
  gtk_widget_class_bind_template_child (widget_class, TnDashboard, status_label);
  gtk_widget_class_bind_template_child (widget_class, TnDashboard, figures_area);
  gtk_widget_class_bind_template_child (widget_class, TnDashboard, going_label);
  gtk_widget_class_bind_template_child (widget_class, TnDashboard, waitlist_label);
  gtk_widget_class_bind_template_child (widget_class, TnDashboard, checked_in_label);
  gtk_widget_class_bind_template_child (widget_class, TnDashboard, inside_label);
  gtk_widget_class_bind_template_child (widget_class, TnDashboard, capacity_bar);
  gtk_widget_class_bind_template_child (widget_class, TnDashboard, capacity_label);
  gtk_widget_class_bind_template_child (widget_class, TnDashboard, chart);
  gtk_widget_class_bind_template_child (widget_class, TnDashboard, doors_list);
}

static void
tn_dashboard_init (TnDashboard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->retry_ms = RETRY_FIRST_MS;

  /* The gauge warns as the place fills: GtkLevelBar's own offsets are
   * for batteries, where low is the bad end. */
  gtk_level_bar_remove_offset_value (self->capacity_bar, GTK_LEVEL_BAR_OFFSET_LOW);
  gtk_level_bar_remove_offset_value (self->capacity_bar, GTK_LEVEL_BAR_OFFSET_HIGH);
  gtk_level_bar_remove_offset_value (self->capacity_bar, GTK_LEVEL_BAR_OFFSET_FULL);
  gtk_level_bar_add_offset_value (self->capacity_bar, "tn-room", 0.8);
  gtk_level_bar_add_offset_value (self->capacity_bar, "tn-nearly-full", 0.95);
  gtk_level_bar_add_offset_value (self->capacity_bar, "tn-full", 1.0);
}

/**
 * tn_dashboard_new:
 * @client: a signed-in client of the event's server
 * @event: the event, with its id
 *
 * Returns: (transfer floating): a dashboard that follows @event live
 */
GtkWidget *
tn_dashboard_new (TnClient *client,
                  TnEvent  *event)
{
  g_return_val_if_fail (TN_IS_CLIENT (client), NULL);
  g_return_val_if_fail (TN_IS_EVENT (event), NULL);
  g_return_val_if_fail (tn_event_get_id (event) != NULL, NULL);

  return g_object_new (TN_TYPE_DASHBOARD, "client", client, "event", event, NULL);
}

TnEvent *
tn_dashboard_get_event (TnDashboard *self)
{
  g_return_val_if_fail (TN_IS_DASHBOARD (self), NULL);
  return self->event;
}

gboolean
tn_dashboard_get_live (TnDashboard *self)
{
  g_return_val_if_fail (TN_IS_DASHBOARD (self), FALSE);
  return self->live != NULL && tn_live_client_get_connected (self->live);
}

/**
 * tn_dashboard_open_window:
 * @client: a signed-in client of the event's server
 * @event: the event, with its id
 * @parent: (nullable): the window it was opened from
 *
 * Opens a window of its own for the dashboard of @event, to keep beside
 * the main window or on a second screen.
 *
 * Returns: (transfer none): the new window
 */
GtkWindow *
tn_dashboard_open_window (TnClient  *client,
                          TnEvent   *event,
                          GtkWindow *parent)
{
  GtkWidget *window;

  g_return_val_if_fail (TN_IS_CLIENT (client), NULL);
  g_return_val_if_fail (TN_IS_EVENT (event), NULL);
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  window = adw_window_new ();
  if (parent != NULL)
    gtk_window_set_application (GTK_WINDOW (window), gtk_window_get_application (parent));
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 720);
  gtk_window_set_title (GTK_WINDOW (window), _("Dashboard"));
  adw_window_set_content (ADW_WINDOW (window), tn_dashboard_new (client, event));
  gtk_window_present (GTK_WINDOW (window));
  return GTK_WINDOW (window);
}

GtkLabel *
_tn_dashboard_get_going_label (TnDashboard *self)
{
  g_return_val_if_fail (TN_IS_DASHBOARD (self), NULL);
  return self->going_label;
}

GtkLabel *
_tn_dashboard_get_waitlist_label (TnDashboard *self)
{
  g_return_val_if_fail (TN_IS_DASHBOARD (self), NULL);
  return self->waitlist_label;
}

GtkLabel *
_tn_dashboard_get_checked_in_label (TnDashboard *self)
{
  g_return_val_if_fail (TN_IS_DASHBOARD (self), NULL);
  return self->checked_in_label;
}

GtkLabel *
_tn_dashboard_get_inside_label (TnDashboard *self)
{
  g_return_val_if_fail (TN_IS_DASHBOARD (self), NULL);
  return self->inside_label;
}

GtkLabel *
_tn_dashboard_get_status_label (TnDashboard *self)
{
  g_return_val_if_fail (TN_IS_DASHBOARD (self), NULL);
  return self->status_label;
}

GtkLabel *
_tn_dashboard_get_capacity_label (TnDashboard *self)
{
  g_return_val_if_fail (TN_IS_DASHBOARD (self), NULL);
  return self->capacity_label;
}

GtkLevelBar *
_tn_dashboard_get_capacity_bar (TnDashboard *self)
{
  g_return_val_if_fail (TN_IS_DASHBOARD (self), NULL);
  return self->capacity_bar;
}

TnArrivalsChart *
_tn_dashboard_get_chart (TnDashboard *self)
{
  g_return_val_if_fail (TN_IS_DASHBOARD (self), NULL);
  return self->chart;
}

GtkListBox *
_tn_dashboard_get_doors_list (TnDashboard *self)
{
  g_return_val_if_fail (TN_IS_DASHBOARD (self), NULL);
  return self->doors_list;
}

gboolean
_tn_dashboard_get_stale (TnDashboard *self)
{
  g_return_val_if_fail (TN_IS_DASHBOARD (self), FALSE);
  return self->stale;
}

guint
_tn_dashboard_get_n_updates (TnDashboard *self)
{
  g_return_val_if_fail (TN_IS_DASHBOARD (self), 0);
  return self->n_updates;
}
