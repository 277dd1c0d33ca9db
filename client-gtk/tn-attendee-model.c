/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tn-attendee-model.h"

/* An event's attendees as a GListModel, for a GtkListView that shows
 * 50,000 of them without a widget each: pages of 500 are fetched one
 * after the other and appended as they come, so the first rows show at
 * once. A new query (the search) drops what was loaded and starts over. */

#define PAGE_SIZE 500

struct _TnAttendeeModel
{
  GObject       parent_instance;

  TnClient     *client;
  char         *event_id;
  char         *query;
  GPtrArray    *items;        /* of TnAttendee */
  GHashTable   *positions;    /* attendee id → position + 1 */
  GCancellable *cancellable;  /* the load under way */
  gboolean      loading;
};

enum {
  PROP_0,
  PROP_LOADING,
  PROP_N_ITEMS,
  N_PROPS
};

enum {
  SIGNAL_ERROR,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static GType
tn_attendee_model_get_item_type (GListModel *model)
{
  return TN_TYPE_ATTENDEE;
}

static guint
tn_attendee_model_get_n_items (GListModel *model)
{
  return TN_ATTENDEE_MODEL (model)->items->len;
}

static gpointer
tn_attendee_model_get_item (GListModel *model,
                            guint       position)
{
  TnAttendeeModel *self = TN_ATTENDEE_MODEL (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
tn_attendee_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = tn_attendee_model_get_item_type;
  iface->get_n_items = tn_attendee_model_get_n_items;
  iface->get_item = tn_attendee_model_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TnAttendeeModel, tn_attendee_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, tn_attendee_model_list_model_init))

static void
set_loading (TnAttendeeModel *self,
             gboolean         loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void load_page (TnAttendeeModel *self,
                       const char      *cursor);

static void
tn_attendee_model_page_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(TnAttendeeModel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autofree char *next_cursor = NULL;
  guint position;

  page = tn_client_list_attendees_finish (TN_CLIENT (source), result, &next_cursor, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* a newer load replaced this one */
  if (page == NULL)
    {
      set_loading (self, FALSE);
      g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);
      return;
    }

  position = self->items->len;
  for (guint i = 0; i < page->len; i++)
    {
      TnAttendee *attendee = g_ptr_array_index (page, i);

      g_hash_table_insert (self->positions, g_strdup (tn_attendee_get_id (attendee)),
                           GUINT_TO_POINTER (self->items->len + 1));
      g_ptr_array_add (self->items, g_object_ref (attendee));
    }
  if (page->len > 0)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), position, 0, page->len);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }

  if (next_cursor != NULL)
    load_page (self, next_cursor);
  else
    set_loading (self, FALSE);
}

static void
load_page (TnAttendeeModel *self,
           const char      *cursor)
{
  tn_client_list_attendees_async (self->client, self->event_id, NULL,
                                  self->query != NULL && self->query[0] != '\0' ? self->query : NULL,
                                  PAGE_SIZE, cursor, self->cancellable,
                                  tn_attendee_model_page_cb, g_object_ref (self));
}

/**
 * tn_attendee_model_reload:
 * @self: a #TnAttendeeModel
 *
 * Drops what was loaded and loads the attendees (matching the query)
 * again, page by page.
 */
void
tn_attendee_model_reload (TnAttendeeModel *self)
{
  guint removed;

  g_return_if_fail (TN_IS_ATTENDEE_MODEL (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  removed = self->items->len;
  g_ptr_array_set_size (self->items, 0);
  g_hash_table_remove_all (self->positions);
  if (removed > 0)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }

  set_loading (self, TRUE);
  load_page (self, NULL);
}

/**
 * tn_attendee_model_replace:
 * @self: a #TnAttendeeModel
 * @attendee: a changed attendee (a new ticket, say)
 *
 * Puts @attendee in place of the loaded one with its id, or appends it
 * (a guest just added).
 *
 * Returns: whether it was there before
 */
gboolean
tn_attendee_model_replace (TnAttendeeModel *self,
                           TnAttendee      *attendee)
{
  guint position;

  g_return_val_if_fail (TN_IS_ATTENDEE_MODEL (self), FALSE);
  g_return_val_if_fail (TN_IS_ATTENDEE (attendee), FALSE);

  position = GPOINTER_TO_UINT (g_hash_table_lookup (self->positions, tn_attendee_get_id (attendee)));
  if (position > 0)
    {
      g_object_unref (g_ptr_array_index (self->items, position - 1));
      g_ptr_array_index (self->items, position - 1) = g_object_ref (attendee);
      g_list_model_items_changed (G_LIST_MODEL (self), position - 1, 1, 1);
      return TRUE;
    }

  g_hash_table_insert (self->positions, g_strdup (tn_attendee_get_id (attendee)),
                       GUINT_TO_POINTER (self->items->len + 1));
  g_ptr_array_add (self->items, g_object_ref (attendee));
  g_list_model_items_changed (G_LIST_MODEL (self), self->items->len - 1, 0, 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  return FALSE;
}

void
tn_attendee_model_set_query (TnAttendeeModel *self,
                             const char      *query)
{
  g_return_if_fail (TN_IS_ATTENDEE_MODEL (self));

  if (g_strcmp0 (self->query, query) == 0)
    return;
  g_free (self->query);
  self->query = g_strdup (query);
  tn_attendee_model_reload (self);
}

const char *
tn_attendee_model_get_query (TnAttendeeModel *self)
{
  g_return_val_if_fail (TN_IS_ATTENDEE_MODEL (self), NULL);
  return self->query;
}

const char *
tn_attendee_model_get_event_id (TnAttendeeModel *self)
{
  g_return_val_if_fail (TN_IS_ATTENDEE_MODEL (self), NULL);
  return self->event_id;
}

gboolean
tn_attendee_model_get_loading (TnAttendeeModel *self)
{
  g_return_val_if_fail (TN_IS_ATTENDEE_MODEL (self), FALSE);
  return self->loading;
}

static void
tn_attendee_model_dispose (GObject *object)
{
  TnAttendeeModel *self = TN_ATTENDEE_MODEL (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (tn_attendee_model_parent_class)->dispose (object);
}

static void
tn_attendee_model_finalize (GObject *object)
{
  TnAttendeeModel *self = TN_ATTENDEE_MODEL (object);

  g_ptr_array_unref (self->items);
  g_hash_table_unref (self->positions);
  g_free (self->event_id);
  g_free (self->query);

  G_OBJECT_CLASS (tn_attendee_model_parent_class)->finalize (object);
}

static void
tn_attendee_model_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TnAttendeeModel *self = TN_ATTENDEE_MODEL (object);

  switch (prop_id)
    {
    case PROP_LOADING: g_value_set_boolean (value, self->loading); break;
    case PROP_N_ITEMS: g_value_set_uint (value, self->items->len); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tn_attendee_model_class_init (TnAttendeeModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tn_attendee_model_dispose;
  object_class->finalize = tn_attendee_model_finalize;
  object_class->get_property = tn_attendee_model_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TnAttendeeModel::error:
   * @error: why a page could not be loaded
   */
  signals[SIGNAL_ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
tn_attendee_model_init (TnAttendeeModel *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->positions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * tn_attendee_model_new:
 * @client: a signed-in client
 * @event_id: the event
 *
 * Returns: (transfer full): a model that starts loading at once
 */
TnAttendeeModel *
tn_attendee_model_new (TnClient   *client,
                       const char *event_id)
{
  TnAttendeeModel *self;

  g_return_val_if_fail (TN_IS_CLIENT (client), NULL);
  g_return_val_if_fail (event_id != NULL, NULL);

  self = g_object_new (TN_TYPE_ATTENDEE_MODEL, NULL);
  self->client = g_object_ref (client);
  self->event_id = g_strdup (event_id);
  tn_attendee_model_reload (self);
  return self;
}
