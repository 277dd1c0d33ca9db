/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tn-live.h"

/* The in-process hub of live statistics (DESIGN.md, "Live statistics").
 * WebSocket subscribers of an event get a snapshot when they connect and
 * a delta after changes: every change of a committed batch of writes
 * (group commit) for that event goes into one message, with the event's
 * statistics after them, built once and sent to every subscriber.
 *
 *   {"type": "snapshot", "event_id": …, "stats": {…}}
 *   {"type": "delta", "event_id": …, "changes": [{"type": "rsvp", …}, …],
 *    "stats": {…}}
 *
 * Changes are queued by tn_live_hub_add_change() and sent by
 * tn_live_hub_flush() once they are committed, or dropped by
 * tn_live_hub_drop() when their batch failed: a subscriber never sees a
 * change that is not stored. */

struct _TnLiveHub
{
  GObject parent_instance;

  TnLiveStatsFunc  stats;
  gpointer         stats_data;
  GHashTable      *subscribers;   /* event id → GPtrArray of SoupWebsocketConnection */
  GHashTable      *pending;       /* event id → JsonArray of changes */
};

G_DEFINE_FINAL_TYPE (TnLiveHub, tn_live_hub, G_TYPE_OBJECT)

static void
close_all (gpointer key,
           gpointer value,
           gpointer user_data)
{
  GPtrArray *connections = value;

  for (guint i = 0; i < connections->len; i++)
    {
      SoupWebsocketConnection *connection = connections->pdata[i];

      g_signal_handlers_disconnect_by_data (connection, user_data);
      if (soup_websocket_connection_get_state (connection) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
    }
}

static void
tn_live_hub_dispose (GObject *object)
{
  TnLiveHub *self = (TnLiveHub *) object;

  if (self->subscribers != NULL)
    g_hash_table_foreach (self->subscribers, close_all, self);
  g_clear_pointer (&self->subscribers, g_hash_table_unref);
  g_clear_pointer (&self->pending, g_hash_table_unref);

  G_OBJECT_CLASS (tn_live_hub_parent_class)->dispose (object);
}

static void
tn_live_hub_class_init (TnLiveHubClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tn_live_hub_dispose;
}

static void
tn_live_hub_init (TnLiveHub *self)
{
  self->subscribers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_array_unref);
}

TnLiveHub *
tn_live_hub_new (TnLiveStatsFunc stats,
                 gpointer        user_data)
{
  TnLiveHub *self = g_object_new (TN_TYPE_LIVE_HUB, NULL);

  self->stats = stats;
  self->stats_data = user_data;
  return self;
}

static char *
message_text (const char *type,
              const char *event_id,
              JsonArray  *changes,
              JsonObject *stats)
{
  g_autoptr(JsonObject) message = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (message, "type", type);
  json_object_set_string_member (message, "event_id", event_id);
  if (changes != NULL)
    json_object_set_array_member (message, "changes", json_array_ref (changes));
  json_object_set_object_member (message, "stats", json_object_ref (stats));
  json_node_set_object (node, message);
  return json_to_string (node, FALSE);
}

static void
connection_closed_cb (SoupWebsocketConnection *connection,
                      TnLiveHub               *self)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->subscribers);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_ptr_array_remove (value, connection))
      {
        if (((GPtrArray *) value)->len == 0)
          g_hash_table_iter_remove (&iter);
        break;
      }
}

/**
 * tn_live_hub_subscribe:
 * @event_id: the event the subscriber follows (it may see it)
 * @connection: an open server-side WebSocket
 *
 * Sends the event's snapshot on @connection and adds it to the event's
 * subscribers until it closes.
 */
void
tn_live_hub_subscribe (TnLiveHub               *self,
                       const char              *event_id,
                       SoupWebsocketConnection *connection)
{
  g_autoptr(JsonObject) stats = NULL;
  g_autofree char *text = NULL;
  GPtrArray *connections;

  g_return_if_fail (TN_IS_LIVE_HUB (self));
  g_return_if_fail (SOUP_IS_WEBSOCKET_CONNECTION (connection));

  stats = self->stats (event_id, self->stats_data);
  if (stats == NULL)
    {
      soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "No such event");
      return;
    }
  text = message_text ("snapshot", event_id, NULL, stats);
  soup_websocket_connection_send_text (connection, text);

  connections = g_hash_table_lookup (self->subscribers, event_id);
  if (connections == NULL)
    {
      connections = g_ptr_array_new_with_free_func (g_object_unref);
      g_hash_table_insert (self->subscribers, g_strdup (event_id), connections);
    }
  g_ptr_array_add (connections, g_object_ref (connection));
  /* A subscriber only listens: what it sends is ignored. */
  g_signal_connect_object (connection, "closed", G_CALLBACK (connection_closed_cb), self, 0);
}

/**
 * tn_live_hub_add_change:
 * @change: (transfer none): what changed, `{"type": …, …}`
 *
 * Queues a change of @event_id for the next tn_live_hub_flush().
 */
void
tn_live_hub_add_change (TnLiveHub  *self,
                        const char *event_id,
                        JsonObject *change)
{
  JsonArray *changes;

  g_return_if_fail (TN_IS_LIVE_HUB (self));
  g_return_if_fail (event_id != NULL && change != NULL);

  /* Nobody listens: nothing to keep. */
  if (!g_hash_table_contains (self->subscribers, event_id))
    return;
  changes = g_hash_table_lookup (self->pending, event_id);
  if (changes == NULL)
    {
      changes = json_array_new ();
      g_hash_table_insert (self->pending, g_strdup (event_id), changes);
    }
  json_array_add_object_element (changes, json_object_ref (change));
}

/**
 * tn_live_hub_flush:
 *
 * Sends the queued changes, now committed: one delta per event.
 */
void
tn_live_hub_flush (TnLiveHub *self)
{
  g_autoptr(GHashTable) pending = NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (TN_IS_LIVE_HUB (self));

  if (g_hash_table_size (self->pending) == 0)
    return;
  pending = g_steal_pointer (&self->pending);
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_array_unref);

  g_hash_table_iter_init (&iter, pending);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GPtrArray *connections = g_hash_table_lookup (self->subscribers, key);
      g_autoptr(GPtrArray) targets = NULL;
      g_autoptr(JsonObject) stats = NULL;
      g_autofree char *text = NULL;

      if (connections == NULL)
        continue;
      stats = self->stats (key, self->stats_data);
      if (stats == NULL)
        stats = json_object_new ();
      text = message_text ("delta", key, value, stats);
      /* Sending may close a connection, which edits the array. */
      targets = g_ptr_array_new_full (connections->len, g_object_unref);
      for (guint i = 0; i < connections->len; i++)
        g_ptr_array_add (targets, g_object_ref (connections->pdata[i]));
      for (guint i = 0; i < targets->len; i++)
        if (soup_websocket_connection_get_state (targets->pdata[i]) == SOUP_WEBSOCKET_STATE_OPEN)
          soup_websocket_connection_send_text (targets->pdata[i], text);
    }
}

/**
 * tn_live_hub_drop:
 *
 * Forgets the queued changes: their batch was not stored.
 */
void
tn_live_hub_drop (TnLiveHub *self)
{
  g_return_if_fail (TN_IS_LIVE_HUB (self));
  g_hash_table_remove_all (self->pending);
}

guint
tn_live_hub_get_subscribers (TnLiveHub  *self,
                             const char *event_id)
{
  GPtrArray *connections;

  g_return_val_if_fail (TN_IS_LIVE_HUB (self), 0);
  connections = g_hash_table_lookup (self->subscribers, event_id);
  return connections != NULL ? connections->len : 0;
}
