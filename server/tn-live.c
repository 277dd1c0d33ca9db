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
 * change that is not stored.
 *
 * Reading the statistics may wait on the network (a PostgreSQL store,
 * tn_live_hub_set_threaded()): it then runs in a thread, one read per
 * event at a time, and what is committed meanwhile goes with the next
 * read. A new subscriber waits for a read that starts after it came, so
 * its snapshot has every change it gets no delta for. */

typedef struct
{
  GPtrArray *subscribers;   /* of SoupWebsocketConnection: they had their snapshot */
  GPtrArray *newcomers;     /* of SoupWebsocketConnection: waiting for it */
  JsonArray *committed;     /* changes not sent yet (NULL: none) */
  gboolean   reading;       /* the statistics are being read in a thread */
} Channel;

struct _TnLiveHub
{
  GObject parent_instance;

  TnLiveStatsFunc  stats;
  gpointer         stats_data;
  gboolean         threaded;
  GHashTable      *channels;      /* event id → Channel */
  GHashTable      *pending;       /* event id → JsonArray of changes not committed yet */
};

G_DEFINE_FINAL_TYPE (TnLiveHub, tn_live_hub, G_TYPE_OBJECT)

static void
channel_free (gpointer data)
{
  Channel *channel = data;

  g_ptr_array_unref (channel->subscribers);
  g_ptr_array_unref (channel->newcomers);
  g_clear_pointer (&channel->committed, json_array_unref);
  g_free (channel);
}

static void
close_connections (TnLiveHub *self,
                   GPtrArray *connections)
{
  for (guint i = 0; i < connections->len; i++)
    {
      SoupWebsocketConnection *connection = connections->pdata[i];

      g_signal_handlers_disconnect_by_data (connection, self);
      if (soup_websocket_connection_get_state (connection) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
    }
}

static void
tn_live_hub_dispose (GObject *object)
{
  TnLiveHub *self = (TnLiveHub *) object;

  if (self->channels != NULL)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->channels);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          Channel *channel = value;

          close_connections (self, channel->subscribers);
          close_connections (self, channel->newcomers);
        }
    }
  g_clear_pointer (&self->channels, g_hash_table_unref);
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
  self->channels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, channel_free);
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_array_unref);
}

/**
 * tn_live_hub_new:
 * @stats: reads an event's statistics
 * @user_data: a #GObject for @stats, kept alive while a read is under way
 *   in a thread
 */
TnLiveHub *
tn_live_hub_new (TnLiveStatsFunc stats,
                 gpointer        user_data)
{
  TnLiveHub *self = g_object_new (TN_TYPE_LIVE_HUB, NULL);

  g_return_val_if_fail (G_IS_OBJECT (user_data), NULL);

  self->stats = stats;
  self->stats_data = user_data;
  return self;
}

/**
 * tn_live_hub_set_threaded:
 * @threaded: whether the statistics are read in a thread (the store waits
 *   on the network) rather than on the main loop
 */
void
tn_live_hub_set_threaded (TnLiveHub *self,
                          gboolean   threaded)
{
  g_return_if_fail (TN_IS_LIVE_HUB (self));
  self->threaded = threaded;
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

/* Nobody listens and nothing is under way: the channel goes. */
static void
forget_if_idle (TnLiveHub  *self,
                const char *event_id)
{
  Channel *channel = g_hash_table_lookup (self->channels, event_id);

  if (channel != NULL && !channel->reading &&
      channel->subscribers->len == 0 && channel->newcomers->len == 0)
    g_hash_table_remove (self->channels, event_id);
}

static void
connection_closed_cb (SoupWebsocketConnection *connection,
                      TnLiveHub               *self)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->channels);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Channel *channel = value;

      if (g_ptr_array_remove (channel->subscribers, connection) ||
          g_ptr_array_remove (channel->newcomers, connection))
        {
          if (!channel->reading && channel->subscribers->len == 0 && channel->newcomers->len == 0)
            g_hash_table_iter_remove (&iter);
          break;
        }
    }
}

static void
send_all (GPtrArray  *connections,
          const char *text)
{
  /* Sending may close a connection, which edits the array. */
  g_autoptr(GPtrArray) targets = g_ptr_array_new_full (connections->len, g_object_unref);

  for (guint i = 0; i < connections->len; i++)
    g_ptr_array_add (targets, g_object_ref (connections->pdata[i]));
  for (guint i = 0; i < targets->len; i++)
    if (soup_websocket_connection_get_state (targets->pdata[i]) == SOUP_WEBSOCKET_STATE_OPEN)
      soup_websocket_connection_send_text (targets->pdata[i], text);
}

/* Sends what a read of the statistics was for: the delta of @changes to
 * the subscribers, then the snapshot to @newcomers, who become
 * subscribers. @stats is NULL when the event is gone. */
static void
deliver (TnLiveHub  *self,
         const char *event_id,
         JsonArray  *changes,
         GPtrArray  *newcomers,
         JsonObject *stats)
{
  Channel *channel = g_hash_table_lookup (self->channels, event_id);

  if (channel == NULL)
    return;
  if (changes != NULL && channel->subscribers->len > 0)
    {
      g_autoptr(JsonObject) empty = json_object_new ();
      g_autofree char *text = message_text ("delta", event_id, changes, stats != NULL ? stats : empty);

      send_all (channel->subscribers, text);
    }
  for (guint i = 0; newcomers != NULL && i < newcomers->len; i++)
    {
      SoupWebsocketConnection *connection = newcomers->pdata[i];
      g_autofree char *text = NULL;

      /* closed while it waited */
      if (!g_ptr_array_remove (channel->newcomers, connection))
        continue;
      if (stats == NULL)
        {
          g_signal_handlers_disconnect_by_data (connection, self);
          soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "No such event");
          continue;
        }
      text = message_text ("snapshot", event_id, NULL, stats);
      soup_websocket_connection_send_text (connection, text);
      g_ptr_array_add (channel->subscribers, g_object_ref (connection));
    }
}

typedef struct
{
  TnLiveHub *hub;
  char      *event_id;
  JsonArray *changes;     /* nullable */
  GPtrArray *newcomers;   /* of SoupWebsocketConnection */
  gpointer   stats_data;  /* a reference, let go of on the main loop */
} Read;

static void
read_free (gpointer data)
{
  Read *read = data;

  g_free (read->event_id);
  g_clear_pointer (&read->changes, json_array_unref);
  g_ptr_array_unref (read->newcomers);
  g_free (read);
}

static void pump (TnLiveHub *self, const char *event_id);

static void
read_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  Read *read = data;
  TnLiveHub *self = source;

  g_task_return_pointer (task, self->stats (read->event_id, read->stats_data),
                         (GDestroyNotify) json_object_unref);
}

static void
read_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  TnLiveHub *self = TN_LIVE_HUB (source);
  Read *read = g_task_get_task_data (G_TASK (result));
  g_autoptr(JsonObject) stats = g_task_propagate_pointer (G_TASK (result), NULL);
  g_autoptr(GObject) stats_data = g_steal_pointer (&read->stats_data);
  Channel *channel;

  if (self->channels == NULL)
    return;   /* disposed meanwhile */
  channel = g_hash_table_lookup (self->channels, read->event_id);
  if (channel != NULL)
    channel->reading = FALSE;
  deliver (self, read->event_id, read->changes, read->newcomers, stats);
  pump (self, read->event_id);
  forget_if_idle (self, read->event_id);
}

/* Reads the statistics for what the event's channel has to send, unless
 * a read is under way (what comes meanwhile waits for the next one). */
static void
pump (TnLiveHub  *self,
      const char *event_id)
{
  Channel *channel = g_hash_table_lookup (self->channels, event_id);
  g_autoptr(GTask) task = NULL;
  Read *read;

  if (channel == NULL || channel->reading || (channel->committed == NULL && channel->newcomers->len == 0))
    return;

  read = g_new0 (Read, 1);
  read->event_id = g_strdup (event_id);
  read->changes = g_steal_pointer (&channel->committed);
  read->newcomers = g_ptr_array_new_full (channel->newcomers->len, g_object_unref);
  for (guint i = 0; i < channel->newcomers->len; i++)
    g_ptr_array_add (read->newcomers, g_object_ref (channel->newcomers->pdata[i]));

  if (!self->threaded)
    {
      g_autoptr(JsonObject) stats = self->stats (event_id, self->stats_data);

      deliver (self, event_id, read->changes, read->newcomers, stats);
      read_free (read);
      return;
    }

  channel->reading = TRUE;
  read->stats_data = g_object_ref (self->stats_data);
  task = g_task_new (self, NULL, read_done_cb, NULL);
  g_task_set_source_tag (task, pump);
  g_task_set_task_data (task, read, read_free);
  g_task_run_in_thread (task, read_thread);
}

static Channel *
ensure_channel (TnLiveHub  *self,
                const char *event_id)
{
  Channel *channel = g_hash_table_lookup (self->channels, event_id);

  if (channel == NULL)
    {
      channel = g_new0 (Channel, 1);
      channel->subscribers = g_ptr_array_new_with_free_func (g_object_unref);
      channel->newcomers = g_ptr_array_new_with_free_func (g_object_unref);
      g_hash_table_insert (self->channels, g_strdup (event_id), channel);
    }
  return channel;
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
  Channel *channel;

  g_return_if_fail (TN_IS_LIVE_HUB (self));
  g_return_if_fail (SOUP_IS_WEBSOCKET_CONNECTION (connection));

  channel = ensure_channel (self, event_id);
  g_ptr_array_add (channel->newcomers, g_object_ref (connection));
  /* A subscriber only listens: what it sends is ignored. */
  g_signal_connect_object (connection, "closed", G_CALLBACK (connection_closed_cb), self, 0);
  pump (self, event_id);
  forget_if_idle (self, event_id);
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
  if (!g_hash_table_contains (self->channels, event_id))
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
      Channel *channel = g_hash_table_lookup (self->channels, key);
      JsonArray *changes = value;

      if (channel == NULL)
        continue;
      if (channel->committed == NULL)
        channel->committed = json_array_ref (changes);
      else
        for (guint i = 0; i < json_array_get_length (changes); i++)
          json_array_add_element (channel->committed, json_array_dup_element (changes, i));
      pump (self, key);
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
  Channel *channel;

  g_return_val_if_fail (TN_IS_LIVE_HUB (self), 0);

  channel = g_hash_table_lookup (self->channels, event_id);
  return channel != NULL ? channel->subscribers->len + channel->newcomers->len : 0;
}
