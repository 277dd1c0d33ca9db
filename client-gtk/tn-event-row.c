/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tn-event-row.h"
#include "tn-event-row-private.h"
#include "tn-format.h"
#include "tn-time.h"

struct _TnEventRow
{
  GtkListBoxRow  parent_instance;

  TnEvent       *event;

  GtkLabel      *title_label;
  GtkLabel      *when_label;
  GtkLabel      *location_label;
  GtkLabel      *category_label;
  GtkLabel      *cancelled_label;
};

enum {
  PROP_0,
  PROP_EVENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TnEventRow, tn_event_row, GTK_TYPE_LIST_BOX_ROW)

static void
tn_event_row_update (TnEventRow *self)
{
  const char *title = tn_event_get_title (self->event) != NULL ? tn_event_get_title (self->event) : "";
  const char *location = tn_event_get_location (self->event);
  const char *category = tn_event_get_category (self->event);
  gboolean cancelled = tn_event_get_status (self->event) == TN_EVENT_STATUS_CANCELLED;
  g_autofree char *when = NULL;
  g_autofree char *accessible = NULL;

  when = tn_format_event_when (tn_event_get_starts_at (self->event),
                               tn_event_get_ends_at (self->event),
                               tn_time_now (), TN_FORMAT_SHORT);

  gtk_label_set_text (self->title_label, title);
  gtk_label_set_text (self->when_label, when);
  gtk_label_set_text (self->location_label, location != NULL ? location : "");
  gtk_widget_set_visible (GTK_WIDGET (self->location_label), location != NULL && location[0] != '\0');
  gtk_label_set_text (self->category_label, category != NULL ? category : "");
  gtk_widget_set_visible (GTK_WIDGET (self->category_label), category != NULL && category[0] != '\0');
  gtk_widget_set_visible (GTK_WIDGET (self->cancelled_label), cancelled);
  if (cancelled)
    gtk_widget_add_css_class (GTK_WIDGET (self->title_label), "tn-cancelled-title");

  if (location != NULL && location[0] != '\0')
    /* Translators: what a screen reader says for an event in the list:
     * title, time and place */
    accessible = g_strdup_printf (_("%1$s, %2$s, %3$s"), title, when, location);
  else
    /* Translators: what a screen reader says for an event in the list:
     * title and time */
    accessible = g_strdup_printf (_("%1$s, %2$s"), title, when);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
}

static void
tn_event_row_constructed (GObject *object)
{
  TnEventRow *self = TN_EVENT_ROW (object);

  G_OBJECT_CLASS (tn_event_row_parent_class)->constructed (object);

  g_assert (TN_IS_EVENT (self->event));
  tn_event_row_update (self);
}

static void
tn_event_row_dispose (GObject *object)
{
  TnEventRow *self = TN_EVENT_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TN_TYPE_EVENT_ROW);
  g_clear_object (&self->event);

  G_OBJECT_CLASS (tn_event_row_parent_class)->dispose (object);
}

static void
tn_event_row_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TnEventRow *self = TN_EVENT_ROW (object);

  switch (prop_id)
    {
    case PROP_EVENT:
      g_value_set_object (value, self->event);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tn_event_row_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  TnEventRow *self = TN_EVENT_ROW (object);

  switch (prop_id)
    {
    case PROP_EVENT:
      self->event = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tn_event_row_class_init (TnEventRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = tn_event_row_constructed;
  object_class->dispose = tn_event_row_dispose;
  object_class->get_property = tn_event_row_get_property;
  object_class->set_property = tn_event_row_set_property;

  properties[PROP_EVENT] =
    g_param_spec_object ("event", NULL, NULL, TN_TYPE_EVENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/turnout/Turnout/tn-event-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TnEventRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, TnEventRow, when_label);
  gtk_widget_class_bind_template_child (widget_class, TnEventRow, location_label);
  gtk_widget_class_bind_template_child (widget_class, TnEventRow, category_label);
  gtk_widget_class_bind_template_child (widget_class, TnEventRow, cancelled_label);
}

static void
tn_event_row_init (TnEventRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * tn_event_row_new:
 * @event: the event to show
 *
 * Returns: (transfer floating): a list row showing @event
 */
GtkWidget *
tn_event_row_new (TnEvent *event)
{
  g_return_val_if_fail (TN_IS_EVENT (event), NULL);

  return g_object_new (TN_TYPE_EVENT_ROW, "event", event, NULL);
}

/**
 * tn_event_row_get_event:
 * @self: a #TnEventRow
 *
 * Returns: (transfer none): the event the row shows
 */
TnEvent *
tn_event_row_get_event (TnEventRow *self)
{
  g_return_val_if_fail (TN_IS_EVENT_ROW (self), NULL);
  return self->event;
}

GtkLabel *
_tn_event_row_get_title_label (TnEventRow *self)
{
  g_return_val_if_fail (TN_IS_EVENT_ROW (self), NULL);
  return self->title_label;
}

GtkLabel *
_tn_event_row_get_when_label (TnEventRow *self)
{
  g_return_val_if_fail (TN_IS_EVENT_ROW (self), NULL);
  return self->when_label;
}

GtkLabel *
_tn_event_row_get_location_label (TnEventRow *self)
{
  g_return_val_if_fail (TN_IS_EVENT_ROW (self), NULL);
  return self->location_label;
}

GtkLabel *
_tn_event_row_get_category_label (TnEventRow *self)
{
  g_return_val_if_fail (TN_IS_EVENT_ROW (self), NULL);
  return self->category_label;
}
