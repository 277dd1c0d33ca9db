/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tn-arrivals-chart.h"

/* Arrivals per minute as bars, oldest minute on the left: the event-day
 * dashboard's chart. Drawn with GtkSnapshot colour nodes and Pango layouts
 * in the widget's own colours, so it follows the dark style; its
 * accessible description says in words what the bars show. */

#define MIN_WIDTH     120
#define NAT_WIDTH     480
#define MIN_HEIGHT    96
#define NAT_HEIGHT    160
#define LABEL_PADDING 4

struct _TnArrivalsChart
{
  GtkWidget  parent_instance;

  GArray    *counts;        /* guint, oldest first */
  gint64     last_minute;   /* Unix seconds: the start of the last minute */
  char      *summary;
};

G_DEFINE_FINAL_TYPE (TnArrivalsChart, tn_arrivals_chart, GTK_TYPE_WIDGET)

static gint64
minute_start (TnArrivalsChart *self,
              guint            index)
{
  g_assert (index < self->counts->len);
  return self->last_minute - (gint64) (self->counts->len - 1 - index) * 60;
}

/* “19:05”, in local time. */
static char *
format_minute (gint64 minute)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (minute);

  if (time == NULL)
    return g_strdup ("");
  /* Translators: the time of a minute in the arrivals chart; see the
   * strftime() formats of g_date_time_format() */
  return g_date_time_format (time, _("%H:%M"));
}

static guint
max_count (TnArrivalsChart *self,
           guint           *at)
{
  guint max = 0;

  for (guint i = 0; i < self->counts->len; i++)
    if (g_array_index (self->counts, guint, i) > max)
      {
        max = g_array_index (self->counts, guint, i);
        if (at != NULL)
          *at = i;
      }
  return max;
}

static void
tn_arrivals_chart_update_summary (TnArrivalsChart *self)
{
  guint total = tn_arrivals_chart_get_total (self);
  guint busiest = 0;

  g_clear_pointer (&self->summary, g_free);
  if (total == 0)
    self->summary = g_strdup (_("No arrivals in the last hour"));
  else
    {
      g_autofree char *when = NULL;

      max_count (self, &busiest);
      when = format_minute (minute_start (self, busiest));
      /* Translators: the accessible description of the arrivals chart;
       * %u is a number of people, %s the time of the busiest minute */
      self->summary = g_strdup_printf (ngettext ("%u arrival in the last hour, most at %s",
                                                 "%u arrivals in the last hour, most at %s", total),
                                       total, when);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->summary,
                                  -1);
}

static void
lookup_color (GtkWidget  *widget,
              const char *name,
              GdkRGBA    *color)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  if (!gtk_style_context_lookup_color (context, name, color))
    gtk_style_context_get_color (context, color);
}

static void
append_text (GtkWidget   *widget,
             GtkSnapshot *snapshot,
             const char  *text,
             float        x,
             float        y,
             float        xalign,
             const GdkRGBA *color)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  int width;
  int height;

  pango_layout_get_pixel_size (layout, &width, &height);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x - xalign * width, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
tn_arrivals_chart_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  TnArrivalsChart *self = TN_ARRIVALS_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(PangoLayout) probe = NULL;
  g_autofree char *max_text = NULL;
  GdkRGBA foreground;
  GdkRGBA dim;
  GdkRGBA line;
  GdkRGBA bar;
  guint max = max_count (self, NULL);
  int axis_width;
  int label_height;
  float x0, x1, y0, y1, step;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &foreground);
  lookup_color (widget, "accent_color", &bar);
  dim = foreground;
  dim.alpha *= 0.55f;
  line = foreground;
  line.alpha *= 0.2f;

  /* Room for the scale on the left and the times below. */
  max_text = g_strdup_printf ("%u", MAX (max, 1u));
  probe = gtk_widget_create_pango_layout (widget, max_text);
  pango_layout_get_pixel_size (probe, &axis_width, &label_height);
  x0 = axis_width + LABEL_PADDING;
  x1 = width;
  y0 = label_height / 2.0f;
  y1 = height - label_height - LABEL_PADDING;
  if (x1 - x0 < 10 || y1 - y0 < 10)
    return;

  /* The scale: the busiest minute at the top, zero at the baseline. */
  append_text (widget, snapshot, max_text, axis_width, 0, 1.0f, &dim);
  append_text (widget, snapshot, "0", axis_width, y1 - label_height / 2.0f, 1.0f, &dim);
  gtk_snapshot_append_color (snapshot, &line, &GRAPHENE_RECT_INIT (x0, y0, x1 - x0, 1));
  gtk_snapshot_append_color (snapshot, &line, &GRAPHENE_RECT_INIT (x0, y1, x1 - x0, 1));

  if (self->counts->len == 0)
    return;

  step = (x1 - x0) / self->counts->len;
  for (guint i = 0; i < self->counts->len; i++)
    {
      guint count = g_array_index (self->counts, guint, i);
      float bar_height = (y1 - y0) * count / MAX (max, 1u);
      float gap = step >= 4 ? 1 : 0;

      if (count == 0)
        continue;
      gtk_snapshot_append_color (snapshot, &bar,
                                 &GRAPHENE_RECT_INIT (x0 + i * step + gap / 2, y1 - bar_height,
                                                      MAX (step - gap, 1), bar_height));
    }

  /* Times under the first, the middle and the last minute. */
  {
    guint middle = self->counts->len / 2;
    g_autofree char *first = format_minute (minute_start (self, 0));
    g_autofree char *center = format_minute (minute_start (self, middle));
    g_autofree char *last = format_minute (self->last_minute);
    float y = y1 + LABEL_PADDING;

    append_text (widget, snapshot, first, x0, y, 0.0f, &dim);
    if (width > 240 && self->counts->len > 2)
      append_text (widget, snapshot, center, x0 + (middle + 0.5f) * step, y, 0.5f, &dim);
    if (self->counts->len > 1)
      append_text (widget, snapshot, last, x1, y, 1.0f, &dim);
  }
}

static void
tn_arrivals_chart_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = MIN_WIDTH;
      *natural = NAT_WIDTH;
    }
  else
    {
      *minimum = MIN_HEIGHT;
      *natural = NAT_HEIGHT;
    }
}

static void
tn_arrivals_chart_css_changed (GtkWidget         *widget,
                               GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (tn_arrivals_chart_parent_class)->css_changed (widget, change);
  /* Colours and fonts come from the style: dark style, high contrast. */
  gtk_widget_queue_draw (widget);
}

static void
tn_arrivals_chart_finalize (GObject *object)
{
  TnArrivalsChart *self = TN_ARRIVALS_CHART (object);

  g_clear_pointer (&self->counts, g_array_unref);
  g_clear_pointer (&self->summary, g_free);

  G_OBJECT_CLASS (tn_arrivals_chart_parent_class)->finalize (object);
}

static void
tn_arrivals_chart_class_init (TnArrivalsChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = tn_arrivals_chart_finalize;
  widget_class->snapshot = tn_arrivals_chart_snapshot;
  widget_class->measure = tn_arrivals_chart_measure;
  widget_class->css_changed = tn_arrivals_chart_css_changed;

  gtk_widget_class_set_css_name (widget_class, "tn-arrivals-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
tn_arrivals_chart_init (TnArrivalsChart *self)
{
  self->counts = g_array_new (FALSE, TRUE, sizeof (guint));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Arrivals per minute"),
                                  -1);
  tn_arrivals_chart_update_summary (self);
}

/**
 * tn_arrivals_chart_new:
 *
 * Returns: (transfer floating): a chart without arrivals
 */
GtkWidget *
tn_arrivals_chart_new (void)
{
  return g_object_new (TN_TYPE_ARRIVALS_CHART, NULL);
}

/**
 * tn_arrivals_chart_set_data:
 * @self: a #TnArrivalsChart
 * @per_minute: (array length=n) (nullable): arrivals in each minute,
 *   oldest first
 * @n: how many minutes
 * @last_minute: when the last minute of @per_minute starts, in Unix seconds
 */
void
tn_arrivals_chart_set_data (TnArrivalsChart *self,
                            const guint     *per_minute,
                            guint            n,
                            gint64           last_minute)
{
  g_return_if_fail (TN_IS_ARRIVALS_CHART (self));
  g_return_if_fail (per_minute != NULL || n == 0);

  g_array_set_size (self->counts, 0);
  if (n > 0)
    g_array_append_vals (self->counts, per_minute, n);
  self->last_minute = last_minute - last_minute % 60;
  tn_arrivals_chart_update_summary (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * tn_arrivals_chart_advance_to:
 * @self: a #TnArrivalsChart
 * @minute: a time in the minute that is to be the last, in Unix seconds
 *
 * Moves the chart on to @minute, as many minutes as the same window of
 * time: the minutes that passed are added with no arrivals, the oldest
 * ones dropped. For a live feed, which reports every arrival, between its
 * reports. Nothing happens if @minute is not later than the last minute.
 */
void
tn_arrivals_chart_advance_to (TnArrivalsChart *self,
                              gint64           minute)
{
  gint64 steps;

  g_return_if_fail (TN_IS_ARRIVALS_CHART (self));

  minute -= minute % 60;
  if (self->counts->len == 0 || minute <= self->last_minute)
    return;
  steps = (minute - self->last_minute) / 60;
  if (steps >= self->counts->len)
    memset (self->counts->data, 0, sizeof (guint) * self->counts->len);
  else
    {
      g_array_remove_range (self->counts, 0, (guint) steps);
      g_array_set_size (self->counts, self->counts->len + (guint) steps);   /* zeroed */
    }
  self->last_minute = minute;
  tn_arrivals_chart_update_summary (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
tn_arrivals_chart_get_n_minutes (TnArrivalsChart *self)
{
  g_return_val_if_fail (TN_IS_ARRIVALS_CHART (self), 0);
  return self->counts->len;
}

guint
tn_arrivals_chart_get_count (TnArrivalsChart *self,
                             guint            index)
{
  g_return_val_if_fail (TN_IS_ARRIVALS_CHART (self), 0);
  g_return_val_if_fail (index < self->counts->len, 0);
  return g_array_index (self->counts, guint, index);
}

/**
 * tn_arrivals_chart_get_count_at:
 * @self: a #TnArrivalsChart
 * @when: a time, in Unix seconds
 *
 * Returns: the arrivals in the minute of @when, 0 outside the chart
 */
guint
tn_arrivals_chart_get_count_at (TnArrivalsChart *self,
                                gint64           when)
{
  g_return_val_if_fail (TN_IS_ARRIVALS_CHART (self), 0);

  for (guint i = 0; i < self->counts->len; i++)
    if (when >= minute_start (self, i) && when < minute_start (self, i) + 60)
      return g_array_index (self->counts, guint, i);
  return 0;
}

guint
tn_arrivals_chart_get_total (TnArrivalsChart *self)
{
  guint total = 0;

  g_return_val_if_fail (TN_IS_ARRIVALS_CHART (self), 0);

  for (guint i = 0; i < self->counts->len; i++)
    total += g_array_index (self->counts, guint, i);
  return total;
}

gint64
tn_arrivals_chart_get_last_minute (TnArrivalsChart *self)
{
  g_return_val_if_fail (TN_IS_ARRIVALS_CHART (self), 0);
  return self->last_minute;
}

/**
 * tn_arrivals_chart_get_summary:
 *
 * Returns: what the chart shows, in a sentence (its accessible description)
 */
const char *
tn_arrivals_chart_get_summary (TnArrivalsChart *self)
{
  g_return_val_if_fail (TN_IS_ARRIVALS_CHART (self), NULL);
  return self->summary;
}
