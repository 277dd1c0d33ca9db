/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tn-event-detail.h"
#include "tn-event-detail-private.h"
#include "tn-format.h"
#include "tn-time.h"

struct _TnEventDetail
{
  AdwBin             parent_instance;

  TnEvent           *event;

  GtkStack          *stack;
  GtkScrolledWindow *scroller;
  GtkLabel          *category_label;
  GtkLabel          *title_label;
  GtkLabel          *cancelled_label;
  AdwActionRow      *when_row;
  AdwActionRow      *where_row;
  AdwActionRow      *tags_row;
  AdwActionRow      *capacity_row;
  AdwActionRow      *price_row;
  AdwActionRow      *visibility_row;
  GtkWidget         *description_box;
  GtkLabel          *description_label;
};

enum {
  PROP_0,
  PROP_EVENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TnEventDetail, tn_event_detail, ADW_TYPE_BIN)

static gboolean
is_set (const char *text)
{
  return text != NULL && text[0] != '\0';
}

static void
set_row (AdwActionRow *row,
         const char   *value)
{
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), is_set (value) ? value : "");
  gtk_widget_set_visible (GTK_WIDGET (row), is_set (value));
}

static const char *
visibility_to_words (TnVisibility visibility)
{
  switch (visibility)
    {
    case TN_VISIBILITY_PUBLIC:
      return _("Public: listed for everyone");
    case TN_VISIBILITY_UNLISTED:
      return _("Unlisted: only people with the link");
    case TN_VISIBILITY_PRIVATE:
      return _("Private: only invited people");
    default:
      g_assert_not_reached ();
    }
}

static void
tn_event_detail_update (TnEventDetail *self)
{
  TnEvent *event = self->event;
  g_autofree char *when = NULL;
  g_autofree char *tags = NULL;
  g_autofree char *capacity = NULL;
  g_autofree char *price = NULL;
  const char * const *tag_list;
  const char *description;
  double price_value = 0.0;
  gboolean has_price;

  if (event == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  when = tn_format_event_when (tn_event_get_starts_at (event), tn_event_get_ends_at (event),
                               tn_time_now (), TN_FORMAT_LONG);
  tag_list = tn_event_get_tags (event);
  if (tag_list != NULL && tag_list[0] != NULL)
    /* Translators: the separator between an event's tags */
    tags = g_strjoinv (_(", "), (char **) tag_list);
  capacity = tn_format_capacity (tn_event_get_capacity (event));
  has_price = tn_event_get_price (event, &price_value);
  price = tn_format_price (has_price, price_value, tn_event_get_currency (event));
  description = tn_event_get_description (event);

  gtk_label_set_text (self->category_label, is_set (tn_event_get_category (event)) ? tn_event_get_category (event) : "");
  gtk_widget_set_visible (GTK_WIDGET (self->category_label), is_set (tn_event_get_category (event)));
  gtk_label_set_text (self->title_label, is_set (tn_event_get_title (event)) ? tn_event_get_title (event) : "");
  gtk_widget_set_visible (GTK_WIDGET (self->cancelled_label),
                          tn_event_get_status (event) == TN_EVENT_STATUS_CANCELLED);

  set_row (self->when_row, when);
  set_row (self->where_row, tn_event_get_location (event));
  set_row (self->tags_row, tags);
  set_row (self->capacity_row, capacity);
  set_row (self->price_row, price);
  set_row (self->visibility_row, visibility_to_words (tn_event_get_visibility (event)));

  gtk_label_set_text (self->description_label, is_set (description) ? description : "");
  gtk_widget_set_visible (self->description_box, is_set (description));

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0.0);
  gtk_stack_set_visible_child_name (self->stack, "event");
}

static void
tn_event_detail_dispose (GObject *object)
{
  TnEventDetail *self = TN_EVENT_DETAIL (object);

  /* The template's root is the bin's child: let the bin drop it first, or
   * disposing the template would unparent it behind the bin's back. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TN_TYPE_EVENT_DETAIL);
  g_clear_object (&self->event);

  G_OBJECT_CLASS (tn_event_detail_parent_class)->dispose (object);
}

static void
tn_event_detail_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TnEventDetail *self = TN_EVENT_DETAIL (object);

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
tn_event_detail_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TnEventDetail *self = TN_EVENT_DETAIL (object);

  switch (prop_id)
    {
    case PROP_EVENT:
      tn_event_detail_set_event (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tn_event_detail_class_init (TnEventDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tn_event_detail_dispose;
  object_class->get_property = tn_event_detail_get_property;
  object_class->set_property = tn_event_detail_set_property;

  properties[PROP_EVENT] =
    g_param_spec_object ("event", NULL, NULL, TN_TYPE_EVENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/turnout/Turnout/tn-event-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, TnEventDetail, stack);
  gtk_widget_class_bind_template_child (widget_class, TnEventDetail, scroller);
  gtk_widget_class_bind_template_child (widget_class, TnEventDetail, category_label);
  gtk_widget_class_bind_template_child (widget_class, TnEventDetail, title_label);
  gtk_widget_class_bind_template_child (widget_class, TnEventDetail, cancelled_label);
  gtk_widget_class_bind_template_child (widget_class, TnEventDetail, when_row);
  gtk_widget_class_bind_template_child (widget_class, TnEventDetail, where_row);
  gtk_widget_class_bind_template_child (widget_class, TnEventDetail, tags_row);
  gtk_widget_class_bind_template_child (widget_class, TnEventDetail, capacity_row);
  gtk_widget_class_bind_template_child (widget_class, TnEventDetail, price_row);
  gtk_widget_class_bind_template_child (widget_class, TnEventDetail, visibility_row);
  gtk_widget_class_bind_template_child (widget_class, TnEventDetail, description_box);
  gtk_widget_class_bind_template_child (widget_class, TnEventDetail, description_label);
}

static void
tn_event_detail_init (TnEventDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * tn_event_detail_new:
 *
 * Returns: (transfer floating): a detail pane showing no event yet
 */
GtkWidget *
tn_event_detail_new (void)
{
  return g_object_new (TN_TYPE_EVENT_DETAIL, NULL);
}

/**
 * tn_event_detail_get_event:
 * @self: a #TnEventDetail
 *
 * Returns: (transfer none) (nullable): the event shown
 */
TnEvent *
tn_event_detail_get_event (TnEventDetail *self)
{
  g_return_val_if_fail (TN_IS_EVENT_DETAIL (self), NULL);
  return self->event;
}

/**
 * tn_event_detail_set_event:
 * @self: a #TnEventDetail
 * @event: (nullable): the event to show, or %NULL for none
 */
void
tn_event_detail_set_event (TnEventDetail *self,
                           TnEvent       *event)
{
  g_return_if_fail (TN_IS_EVENT_DETAIL (self));
  g_return_if_fail (event == NULL || TN_IS_EVENT (event));

  if (!g_set_object (&self->event, event))
    return;

  tn_event_detail_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EVENT]);
}

GtkLabel *
_tn_event_detail_get_title_label (TnEventDetail *self)
{
  g_return_val_if_fail (TN_IS_EVENT_DETAIL (self), NULL);
  return self->title_label;
}

AdwActionRow *
_tn_event_detail_get_when_row (TnEventDetail *self)
{
  g_return_val_if_fail (TN_IS_EVENT_DETAIL (self), NULL);
  return self->when_row;
}

AdwActionRow *
_tn_event_detail_get_where_row (TnEventDetail *self)
{
  g_return_val_if_fail (TN_IS_EVENT_DETAIL (self), NULL);
  return self->where_row;
}

const char *
_tn_event_detail_get_page (TnEventDetail *self)
{
  g_return_val_if_fail (TN_IS_EVENT_DETAIL (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}
