/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <libsoup/soup.h>

#include "tn-error.h"
#include "tn-json.h"
#include "tn-live-client.h"

/* A subscriber of an event's live statistics (GET /api/v1/events/{id}/live,
 * a WebSocket; docs/openapi.json, LiveMessage). After
 * tn_live_client_connect_async() it emits ::snapshot once and ::delta
 * after every committed change on the server, with the figures after
 * them; :stats holds the latest figures and :connected whether the stream
 * is open. It uses the base URL and token of its TnClient. */

struct _TnLiveClient
{
  GObject parent_instance;

  TnClient                *client;
  char                    *event_id;
  SoupSession             *session;
  SoupWebsocketConnection *connection;
  JsonObject              *stats;
};

enum
{
  PROP_0,
  PROP_CONNECTED,
  PROP_STATS,
  N_PROPS
};

enum
{
  SIGNAL_SNAPSHOT,
  SIGNAL_DELTA,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TnLiveClient, tn_live_client, G_TYPE_OBJECT)

static void
drop_connection (TnLiveClient *self)
{
  if (self->connection == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->connection, self);
  if (soup_websocket_connection_get_state (self->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (self->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_clear_object (&self->connection);
}

static void
tn_live_client_dispose (GObject *object)
{
  TnLiveClient *self = (TnLiveClient *) object;

  drop_connection (self);
  g_clear_object (&self->session);
  g_clear_object (&self->client);
  g_clear_pointer (&self->stats, json_object_unref);

  G_OBJECT_CLASS (tn_live_client_parent_class)->dispose (object);
}

static void
tn_live_client_finalize (GObject *object)
{
  TnLiveClient *self = (TnLiveClient *) object;

  g_free (self->event_id);

  G_OBJECT_CLASS (tn_live_client_parent_class)->finalize (object);
}

static void
tn_live_client_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TnLiveClient *self = TN_LIVE_CLIENT (object);

  switch (prop_id)
    {
    case PROP_CONNECTED:
      g_value_set_boolean (value, tn_live_client_get_connected (self));
      break;
    case PROP_STATS:
      g_value_set_boxed (value, self->stats);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tn_live_client_class_init (TnLiveClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tn_live_client_dispose;
  object_class->finalize = tn_live_client_finalize;
  object_class->get_property = tn_live_client_get_property;

  properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATS] =
    g_param_spec_boxed ("stats", NULL, NULL, JSON_TYPE_OBJECT, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TnLiveClient::snapshot:
   * @stats: the event's figures when the stream opened
   */
  signals[SIGNAL_SNAPSHOT] = g_signal_new ("snapshot", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                           NULL, NULL, NULL, G_TYPE_NONE, 1, JSON_TYPE_OBJECT);
  /**
   * TnLiveClient::delta:
   * @changes: a #JsonArray of changes, each `{"type": …, …}`
   * @stats: the event's figures after them
   */
  signals[SIGNAL_DELTA] = g_signal_new ("delta", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 2, JSON_TYPE_ARRAY, JSON_TYPE_OBJECT);
}

static void
tn_live_client_init (TnLiveClient *self)
{
  self->session = soup_session_new ();
}

/**
 * tn_live_client_new:
 * @client: its base URL and token are used
 * @event_id: the event to follow
 */
TnLiveClient *
tn_live_client_new (TnClient   *client,
                    const char *event_id)
{
  TnLiveClient *self;

  g_return_val_if_fail (TN_IS_CLIENT (client), NULL);
  g_return_val_if_fail (event_id != NULL, NULL);

  self = g_object_new (TN_TYPE_LIVE_CLIENT, NULL);
  self->client = g_object_ref (client);
  self->event_id = g_strdup (event_id);
  return self;
}

const char *
tn_live_client_get_event_id (TnLiveClient *self)
{
  g_return_val_if_fail (TN_IS_LIVE_CLIENT (self), NULL);
  return self->event_id;
}

gboolean
tn_live_client_get_connected (TnLiveClient *self)
{
  g_return_val_if_fail (TN_IS_LIVE_CLIENT (self), FALSE);
  return self->connection != NULL &&
         soup_websocket_connection_get_state (self->connection) == SOUP_WEBSOCKET_STATE_OPEN;
}

/**
 * tn_live_client_get_stats:
 *
 * Returns: (transfer none) (nullable): the latest figures, or %NULL before
 *   the snapshot
 */
JsonObject *
tn_live_client_get_stats (TnLiveClient *self)
{
  g_return_val_if_fail (TN_IS_LIVE_CLIENT (self), NULL);
  return self->stats;
}

static void
message_cb (SoupWebsocketConnection *connection,
            SoupWebsocketDataType    type,
            GBytes                  *bytes,
            TnLiveClient            *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) message = NULL;
  const char *kind;
  JsonObject *stats;

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    return;
  message = tn_json_parse_object (g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes), &error);
  if (message == NULL)
    {
      g_warning ("The live stream of event %s sent something unreadable: %s", self->event_id, error->message);
      return;
    }
  kind = tn_json_object_get_string (message, "type");
  stats = json_object_get_member (message, "stats") != NULL &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (message, "stats"))
          ? json_object_get_object_member (message, "stats") : NULL;
  if (kind == NULL || stats == NULL)
    return;   /* a message of a newer server: not for us */

  g_clear_pointer (&self->stats, json_object_unref);
  self->stats = json_object_ref (stats);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATS]);
  if (g_str_equal (kind, "snapshot"))
    g_signal_emit (self, signals[SIGNAL_SNAPSHOT], 0, stats);
  else if (g_str_equal (kind, "delta"))
    {
      JsonNode *changes = json_object_get_member (message, "changes");
      g_autoptr(JsonArray) empty = json_array_new ();

      g_signal_emit (self, signals[SIGNAL_DELTA], 0,
                     changes != NULL && JSON_NODE_HOLDS_ARRAY (changes) ? json_node_get_array (changes) : empty,
                     stats);
    }
}

static void
closed_cb (SoupWebsocketConnection *connection,
           TnLiveClient            *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TnLiveClient *self = g_task_get_source_object (task);
  SoupMessage *msg = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *connection;

  connection = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (connection == NULL)
    {
      guint status = soup_message_get_status (msg);
      TnError code;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      switch (status)
        {
        case SOUP_STATUS_UNAUTHORIZED: code = TN_ERROR_UNAUTHORIZED; break;
        case SOUP_STATUS_FORBIDDEN:    code = TN_ERROR_FORBIDDEN; break;
        case SOUP_STATUS_NOT_FOUND:    code = TN_ERROR_NOT_FOUND; break;
        default:                       code = status >= 400 ? TN_ERROR_INTERNAL : TN_ERROR_NETWORK; break;
        }
      g_task_return_new_error (task, TN_ERROR, code, "Cannot follow the event live: %s", error->message);
      return;
    }

  drop_connection (self);
  self->connection = connection;
  soup_websocket_connection_set_keepalive_interval (connection, 30);
  g_signal_connect (connection, "message", G_CALLBACK (message_cb), self);
  g_signal_connect (connection, "closed", G_CALLBACK (closed_cb), self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
  g_task_return_boolean (task, TRUE);
}

/**
 * tn_live_client_connect_async:
 *
 * Opens the live stream; ::snapshot follows once it is open.
 */
void
tn_live_client_connect_async (TnLiveClient        *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *uri = NULL;
  SoupMessage *msg;
  const char *token;

  g_return_if_fail (TN_IS_LIVE_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tn_live_client_connect_async);
  uri = g_strdup_printf ("%s/api/v1/events/%s/live", tn_client_get_base_url (self->client), self->event_id);
  msg = soup_message_new ("GET", uri);
  if (msg == NULL)
    {
      g_task_return_new_error (task, TN_ERROR, TN_ERROR_BAD_REQUEST, "“%s” is not a valid address", uri);
      return;
    }
  token = tn_client_get_token (self->client);
  if (token != NULL)
    {
      g_autofree char *value = g_strdup_printf ("Bearer %s", token);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
    }
  g_task_set_task_data (task, msg, g_object_unref);
  soup_session_websocket_connect_async (self->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, cancellable,
                                        connected_cb, g_object_ref (task));
}

gboolean
tn_live_client_connect_finish (TnLiveClient  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * tn_live_client_close:
 *
 * Closes the stream; nothing is emitted after.
 */
void
tn_live_client_close (TnLiveClient *self)
{
  g_return_if_fail (TN_IS_LIVE_CLIENT (self));
  drop_connection (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
}
