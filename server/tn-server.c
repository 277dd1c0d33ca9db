/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "tn-auth.h"
#include "tn-error.h"
#include "tn-json.h"
#include "tn-live.h"
#include "tn-request.h"
#include "tn-routes.h"
#include "tn-server-private.h"
#include "tn-time.h"

struct _TnServer
{
  GObject parent_instance;

  SoupServer *soup;
  TnStore    *store;
  TnMetrics  *metrics;
  gsize       max_body_size;
  gint64      token_ttl;

  TnRateLimiter     *account_limiter;   /* lower-cased e-mail → failed sign-ins */
  TnRateLimiter     *address_limiter;   /* client address → sign-ins */
  GPtrArray         *trusted_proxies;   /* of GInetAddress */
  TnServerClockFunc  clock;
  gpointer           clock_data;

  /* The open write batch (group commit). */
  gboolean           batch;
  gint64             batch_opened;      /* monotonic µs */
  GPtrArray         *held;              /* of TnRequest: answers waiting for the COMMIT */
  GSource           *flush_source;

  TnLiveHub         *live;              /* WebSocket subscribers of events */
  TnRecService      *recs;              /* the recommender's model, kept fresh */

  /* A store that waits on the network (tn_store_get_threads() > 0):
   * routes run in these threads, the main loop only reads requests and
   * writes answers. */
  GMainContext      *context;           /* the main loop's */
  GThreadPool       *workers;
};

G_DEFINE_FINAL_TYPE (TnServer, tn_server, G_TYPE_OBJECT)

#define START_KEY "tn-start-time"
#define TN_SERVER_LISTEN_BACKLOG 1024
#define ROUTE_KEY "tn-route"

/* A batch is committed when the main loop has nothing else to do (every
 * request that arrived with it has been handled), or before the next
 * request once it holds this many answers or is this old. */
#define TN_BATCH_MAX_REQUESTS 256
#define TN_BATCH_MAX_AGE      (20 * 1000)   /* µs */

static void tn_server_flush (TnServer *self);

static void
tn_server_dispose (GObject *object)
{
  TnServer *self = (TnServer *) object;

  tn_server_flush (self);
  /* the other servers' changes are not heard any more */
  if (self->store != NULL && self->workers != NULL)
    tn_store_listen (self->store, NULL, NULL);
  /* Every job holds a reference: none is left when this runs, unless
   * dispose was asked for explicitly; then the running ones finish. */
  if (self->workers != NULL)
    g_thread_pool_free (g_steal_pointer (&self->workers), FALSE, TRUE);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_clear_object (&self->live);
  /* a model build under way ends unheard */
  if (self->recs != NULL)
    tn_rec_service_stop (self->recs);
  g_clear_object (&self->recs);
  g_clear_object (&self->store);
  g_clear_object (&self->metrics);
  g_clear_object (&self->account_limiter);
  g_clear_object (&self->address_limiter);
  g_clear_pointer (&self->trusted_proxies, g_ptr_array_unref);
  g_clear_pointer (&self->held, g_ptr_array_unref);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (tn_server_parent_class)->dispose (object);
}

static void
tn_server_class_init (TnServerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tn_server_dispose;
}

static void
tn_server_soup_request_started_cb (SoupServer        *soup,
                                   SoupServerMessage *msg,
                                   TnServer          *self)
{
  gint64 *start = g_new (gint64, 1);

  *start = g_get_monotonic_time ();
  g_object_set_data_full (G_OBJECT (msg), START_KEY, start, g_free);
}

static void
tn_server_soup_request_finished_cb (SoupServer        *soup,
                                    SoupServerMessage *msg,
                                    TnServer          *self)
{
  gint64 *start = g_object_get_data (G_OBJECT (msg), START_KEY);
  const char *route = g_object_get_data (G_OBJECT (msg), ROUTE_KEY);
  double seconds = 0.0;

  if (start != NULL)
    seconds = (double) (g_get_monotonic_time () - *start) / G_USEC_PER_SEC;
  tn_metrics_observe_request (self->metrics,
                              route != NULL ? route : "unmatched",
                              soup_server_message_get_method (msg),
                              soup_server_message_get_status (msg),
                              seconds);
}

static void
reply_early_error (TnServer          *self,
                   SoupServerMessage *msg,
                   TnError            code,
                   const char        *message)
{
  g_autoptr(TnRequest) req = tn_request_new (self, msg, NULL);

  /* The body is not read: the connection cannot be reused. */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
  tn_request_reply_error_literal (req, code, message);
}

/* Runs once the headers are in, before the body is read: refuses bodies
 * over the limit without reading them into memory. */
static void
tn_server_early_cb (SoupServer        *soup,
                    SoupServerMessage *msg,
                    const char        *path,
                    GHashTable        *query,
                    gpointer           user_data)
{
  TnServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);

  if (encoding == SOUP_ENCODING_CONTENT_LENGTH &&
      (gsize) soup_message_headers_get_content_length (headers) > self->max_body_size)
    {
      g_autofree char *message = g_strdup_printf ("The request body is larger than %" G_GSIZE_FORMAT " bytes",
                                                  self->max_body_size);

      reply_early_error (self, msg, TN_ERROR_PAYLOAD_TOO_LARGE, message);
    }
  else if (encoding == SOUP_ENCODING_CHUNKED)
    {
      /* A chunked body has no length to check before reading it all. */
      reply_early_error (self, msg, TN_ERROR_BAD_REQUEST,
                         "Chunked request bodies are not accepted; send a Content-Length");
    }
}

/* --- Write batches (group commit) ----------------------------------------
 *
 * Every write is durable before it is answered (SQLite syncs its WAL at
 * each COMMIT), and a sync costs far more than the change. So changes are
 * grouped: a request with a method that may write opens a batch, a
 * transaction in which every store change runs as a savepoint (one that
 * fails undoes only itself). From then on, every answer — to writes and
 * to reads, which may have seen the batch's changes — waits, paused, until
 * the batch commits: when the main loop has handled every request that
 * arrived with it (an idle source), or sooner when it grows large or old.
 * One COMMIT, one sync for all of them; if the COMMIT fails, none of them
 * is stored, and each gets the error instead of its answer. */

static gboolean
flush_cb (gpointer user_data)
{
  TnServer *self = user_data;

  g_clear_pointer (&self->flush_source, g_source_unref);
  tn_server_flush (self);
  return G_SOURCE_REMOVE;
}

static void
open_batch (TnServer *self)
{
  g_autoptr(GError) error = NULL;

  if (self->batch)
    return;
  if (!tn_store_begin_batch (self->store, &error))
    {
      /* Each change then runs, and syncs, on its own. */
      g_warning ("Cannot open a batch of changes: %s", error->message);
      return;
    }
  self->batch = TRUE;
  self->batch_opened = g_get_monotonic_time ();
  self->flush_source = g_idle_source_new ();
  g_source_set_static_name (self->flush_source, "turnout write batch");
  g_source_set_callback (self->flush_source, flush_cb, g_object_ref (self), g_object_unref);
  g_source_attach (self->flush_source, g_main_context_get_thread_default ());
}

static void
tn_server_flush (TnServer *self)
{
  g_autoptr(GPtrArray) held = NULL;
  g_autoptr(GError) error = NULL;
  gboolean stored;

  if (!self->batch)
    return;
  if (self->flush_source != NULL)
    {
      g_source_destroy (self->flush_source);
      g_clear_pointer (&self->flush_source, g_source_unref);
    }
  self->batch = FALSE;
  stored = tn_store_commit_batch (self->store, &error);
  held = g_steal_pointer (&self->held);
  self->held = g_ptr_array_new_with_free_func ((GDestroyNotify) tn_request_unref);
  tn_metrics_observe_batch (self->metrics, held->len, stored);
  /* Subscribers hear of committed changes only. */
  if (stored)
    tn_live_hub_flush (self->live);
  else
    tn_live_hub_drop (self->live);
  /* the recommendations' model may not know of what was stored */
  if (stored && held->len > 0)
    tn_rec_service_note_change (self->recs);

  for (guint i = 0; i < held->len; i++)
    {
      TnRequest *req = held->pdata[i];

      if (stored)
        {
          tn_request_resume (req);
          continue;
        }
      /* Its answer may describe a change that is not stored. */
      soup_message_headers_clear (soup_server_message_get_response_headers (req->msg));
      tn_request_reply_error (req, error, NULL);
    }
}

/**
 * tn_server_hold_reply:
 * @req: a request whose answer is set
 *
 * Called by the reply functions: while a batch is open, the answer waits
 * for its COMMIT (the request is paused and resumed by the batch).
 *
 * Returns: %TRUE when the batch holds the answer
 */
gboolean
tn_server_hold_reply (TnServer  *self,
                      TnRequest *req)
{
  g_return_val_if_fail (TN_IS_SERVER (self), FALSE);

  if (!self->batch)
    return FALSE;
  tn_request_pause (req);
  g_ptr_array_add (self->held, tn_request_ref (req));
  return TRUE;
}

/* --- Live statistics ------------------------------------------------------ */

/**
 * tn_server_event_stats:
 *
 * Returns: (transfer full) (nullable): the statistics of @event_id, as
 *   GET /api/v1/events/{id}/stats and the live stream give them
 */
JsonObject *
tn_server_event_stats (TnServer    *self,
                       const char  *event_id,
                       GError     **error)
{
  TnEventStats stats;
  JsonObject *object;

  g_return_val_if_fail (TN_IS_SERVER (self), NULL);

  if (!tn_store_get_event_stats (self->store, event_id, &stats, error))
    return NULL;
  object = json_object_new ();
  json_object_set_string_member (object, "event_id", event_id);
  if (stats.capacity >= 0)
    json_object_set_int_member (object, "capacity", stats.capacity);
  else
    json_object_set_null_member (object, "capacity");
  json_object_set_int_member (object, "going", stats.going);
  json_object_set_int_member (object, "waitlisted", stats.waitlisted);
  json_object_set_int_member (object, "interested", stats.interested);
  json_object_set_int_member (object, "maybe", stats.maybe);
  json_object_set_int_member (object, "not_going", stats.not_going);
  json_object_set_int_member (object, "checked_in", stats.checked_in);
  json_object_set_int_member (object, "inside", stats.inside);
  if (stats.capacity >= 0)
    json_object_set_int_member (object, "seats_left", MAX (stats.capacity - stats.going, 0));
  else
    json_object_set_null_member (object, "seats_left");

  /* Arrivals in each of the last 60 minutes, this one included, and the
   * doors' figures. */
  {
    gint64 arrivals[TN_ARRIVAL_MINUTES];
    gint64 now = tn_time_now ();
    gint64 from = now - now % 60 - (TN_ARRIVAL_MINUTES - 1) * 60;
    g_autoptr(GPtrArray) doors = NULL;
    JsonArray *minutes, *door_array;

    if (!tn_store_get_door_stats (self->store, event_id, from, arrivals, &doors, error))
      {
        json_object_unref (object);
        return NULL;
      }
    minutes = json_array_new ();
    for (guint i = 0; i < TN_ARRIVAL_MINUTES; i++)
      {
        JsonObject *minute = json_object_new ();
        g_autofree char *at = tn_time_format (from + (gint64) i * 60);

        json_object_set_string_member (minute, "minute", at);
        json_object_set_int_member (minute, "count", arrivals[i]);
        json_array_add_object_element (minutes, minute);
      }
    json_object_set_array_member (object, "arrivals_per_minute", minutes);
    door_array = json_array_new ();
    for (guint i = 0; i < doors->len; i++)
      {
        TnDoorStats *door = doors->pdata[i];
        JsonObject *item = json_object_new ();
        g_autofree char *last = tn_time_format (door->last_scan_at);

        json_object_set_string_member (item, "device", door->device);
        if (door->name != NULL)
          json_object_set_string_member (item, "name", door->name);
        else
          json_object_set_null_member (item, "name");
        json_object_set_int_member (item, "accepted", door->accepted);
        json_object_set_int_member (item, "refused", door->refused);
        json_object_set_string_member (item, "last_scan_at", last);
        json_array_add_object_element (door_array, item);
      }
    json_object_set_array_member (object, "doors", door_array);
  }
  return object;
}

static JsonObject *
live_stats_cb (const char *event_id,
               gpointer    user_data)
{
  g_autoptr(GError) error = NULL;
  JsonObject *stats = tn_server_event_stats (user_data, event_id, &error);

  if (stats == NULL && !g_error_matches (error, TN_ERROR, TN_ERROR_NOT_FOUND))
    g_warning ("Cannot read the statistics of event %s: %s", event_id, error->message);
  return stats;
}

/**
 * tn_server_publish_change:
 * @change: `{"type": …, …}`
 *
 * Tells the live subscribers of @event_id about @change once it is
 * committed: at the end of the open batch, or at once without one.
 */
typedef struct
{
  TnServer *server;
  char     *message;    /* {"event_id": …, "change": {…}}: a JsonObject's
                           references are not atomic */
} Publication;

static void
publication_free (gpointer data)
{
  Publication *publication = data;

  g_object_unref (publication->server);
  g_free (publication->message);
  g_free (publication);
}

/* A change committed by a worker or by another server, on the main loop. */
static void
take_change (TnServer   *self,
             const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = tn_json_parse_object (message, strlen (message), &error);
  const char *event_id = object != NULL ? tn_json_object_get_string (object, "event_id") : NULL;
  JsonNode *change = object != NULL ? json_object_get_member (object, "change") : NULL;

  if (event_id == NULL || change == NULL || !JSON_NODE_HOLDS_OBJECT (change))
    {
      g_message ("A change from another server cannot be read: %s",
                 error != NULL ? error->message : "no event_id or change");
      return;
    }
  tn_live_hub_add_change (self->live, event_id, json_node_get_object (change));
  tn_live_hub_flush (self->live);
}

static gboolean
publish_on_main_cb (gpointer data)
{
  Publication *publication = data;

  take_change (publication->server, publication->message);
  return G_SOURCE_REMOVE;
}

/* Another server on the database committed a change. */
static void
remote_change_cb (const char *message,
                  gpointer    user_data)
{
  TnServer *self = user_data;

  take_change (self, message);
  /* the recommendations' model may not know of it */
  tn_rec_service_note_change (self->recs);
}

static char *
change_message (const char *event_id,
                JsonObject *change,
                gboolean    whole)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "event_id", event_id);
  if (whole)
    json_object_set_object_member (object, "change", json_object_ref (change));
  else
    {
      JsonObject *type_only = json_object_new ();

      json_object_set_string_member (type_only, "type", tn_json_object_get_string (change, "type"));
      json_object_set_object_member (object, "change", type_only);
    }
  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

void
tn_server_publish_change (TnServer   *self,
                          const char *event_id,
                          JsonObject *change)
{
  g_return_if_fail (TN_IS_SERVER (self));

  /* From a worker: the change is committed (each commits on its own
   * there). The hub lives on the main loop; the other servers on the
   * database hear of it too, the change itself if it fits their message
   * (the statistics they send with it are read afresh). */
  if (tn_server_in_worker ())
    {
      Publication *publication = g_new0 (Publication, 1);
      g_autoptr(GError) error = NULL;

      publication->server = g_object_ref (self);
      publication->message = change_message (event_id, change, TRUE);
      if (strlen (publication->message) <= TN_STORE_MESSAGE_MAX)
        tn_store_broadcast (self->store, publication->message, &error);
      else
        {
          g_autofree char *short_message = change_message (event_id, change, FALSE);

          tn_store_broadcast (self->store, short_message, &error);
        }
      if (error != NULL)
        g_message ("Cannot tell the other servers of a change: %s", error->message);
      g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, publish_on_main_cb,
                                  publication, publication_free);
      return;
    }
  tn_live_hub_add_change (self->live, event_id, change);
  if (!self->batch)
    tn_live_hub_flush (self->live);
}

typedef struct
{
  TnServer *server;
  char     *event_id;
} LiveUpgrade;

static void
live_upgrade_free (gpointer data,
                   GClosure *closure)
{
  LiveUpgrade *upgrade = data;

  g_object_unref (upgrade->server);
  g_free (upgrade->event_id);
  g_free (upgrade);
}

/* The 101 answer is written: the connection is the WebSocket's now. */
static void
live_upgrade_cb (SoupServerMessage *msg,
                 LiveUpgrade       *upgrade)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);
  g_autoptr(SoupWebsocketConnection) connection = NULL;

  connection = soup_websocket_connection_new (stream, soup_server_message_get_uri (msg),
                                              SOUP_WEBSOCKET_CONNECTION_SERVER,
                                              soup_message_headers_get_one (headers, "Origin"),
                                              NULL, NULL);
  /* Pings find subscribers that went away without closing. */
  soup_websocket_connection_set_keepalive_interval (connection, 30);
  tn_live_hub_subscribe (upgrade->server->live, upgrade->event_id, connection);
}

/**
 * tn_server_accept_live:
 * @msg: a request whose WebSocket handshake was answered with 101
 *   (soup_websocket_server_process_handshake())
 *
 * Subscribes the WebSocket @msg becomes to @event_id's live statistics.
 */
void
tn_server_accept_live (TnServer          *self,
                       SoupServerMessage *msg,
                       const char        *event_id)
{
  LiveUpgrade *upgrade = g_new0 (LiveUpgrade, 1);

  g_return_if_fail (TN_IS_SERVER (self));

  upgrade->server = g_object_ref (self);
  upgrade->event_id = g_strdup (event_id);
  g_signal_connect_data (msg, "wrote-informational", G_CALLBACK (live_upgrade_cb), upgrade,
                         live_upgrade_free, 0);
}

guint
tn_server_get_live_subscribers (TnServer   *self,
                                const char *event_id)
{
  g_return_val_if_fail (TN_IS_SERVER (self), 0);
  return tn_live_hub_get_subscribers (self->live, event_id);
}

static gboolean
method_may_write (const char *method)
{
  return !g_str_equal (method, SOUP_METHOD_GET) && !g_str_equal (method, SOUP_METHOD_HEAD) &&
         !g_str_equal (method, SOUP_METHOD_OPTIONS);
}

static void
tn_server_handler_cb (SoupServer        *soup,
                      SoupServerMessage *msg,
                      const char        *path,
                      GHashTable        *query,
                      gpointer           user_data)
{
  TnServer *self = user_data;

  if (self->batch &&
      (self->held->len >= TN_BATCH_MAX_REQUESTS ||
       g_get_monotonic_time () - self->batch_opened >= TN_BATCH_MAX_AGE))
    tn_server_flush (self);
  /* In workers each change commits on its own: no batch. */
  if (self->workers == NULL && method_may_write (soup_server_message_get_method (msg)))
    open_batch (self);
  tn_routes_dispatch (self, msg, path, query);
}

/* --- Workers (a store that waits on the network) --------------------------
 *
 * The route runs in a worker thread with a main context of its own pushed
 * as thread-default, so what a handler starts asynchronously (Argon2id, a
 * recommendation) calls back in the same thread; the worker iterates
 * that context until the handler has answered. The answer is kept on the
 * TnRequest and set on the message on the main loop, which alone touches
 * the connection. */

typedef struct
{
  TnRequest          *req;
  TnServerWorkerFunc  func;
  gconstpointer       data;
} WorkerJob;

static GPrivate worker_context_key = G_PRIVATE_INIT ((GDestroyNotify) g_main_context_unref);
static GPrivate worker_flag_key;

/**
 * tn_server_in_worker:
 *
 * Returns: whether the calling thread is running a route in a worker
 */
gboolean
tn_server_in_worker (void)
{
  return g_private_get (&worker_flag_key) != NULL;
}

static gboolean
send_answer_cb (gpointer data)
{
  TnRequest *req = data;
  TnServer *self = req->server;
  guint status;

  req->on_worker = FALSE;
  tn_request_send_answer (req);
  status = soup_server_message_get_status (req->msg);
  /* the recommendations' model may not know of what was stored */
  if (method_may_write (soup_server_message_get_method (req->msg)) && status >= 200 && status < 300 &&
      self->recs != NULL)
    tn_rec_service_note_change (self->recs);
  return G_SOURCE_REMOVE;
}

static void
worker_run (gpointer data,
            gpointer user_data)
{
  WorkerJob *job = data;
  TnServer *self = job->req->server;
  GMainContext *context = g_private_get (&worker_context_key);

  if (context == NULL)
    {
      context = g_main_context_new ();
      g_private_set (&worker_context_key, context);
    }
  g_main_context_push_thread_default (context);
  g_private_set (&worker_flag_key, GINT_TO_POINTER (1));

  job->func (job->req, job->data);
  while (!job->req->answered)
    g_main_context_iteration (context, TRUE);

  g_private_set (&worker_flag_key, NULL);
  g_main_context_pop_thread_default (context);
  /* The main loop gets the job's reference: the last one is never let
   * go of here, so the server is never disposed in its own worker. */
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, send_answer_cb,
                              job->req, (GDestroyNotify) tn_request_unref);
  g_free (job);
}

/**
 * tn_server_has_workers:
 *
 * Returns: whether routes run in worker threads (the store waits on the
 *   network)
 */
gboolean
tn_server_has_workers (TnServer *self)
{
  g_return_val_if_fail (TN_IS_SERVER (self), FALSE);
  return self->workers != NULL;
}

/**
 * tn_server_run_in_worker:
 * @req: a request to answer
 * @func: runs the route in a worker; it answers @req, then or later
 * @data: for @func
 *
 * Pauses @req and has a worker thread run @func on it.
 */
void
tn_server_run_in_worker (TnServer           *self,
                         TnRequest          *req,
                         TnServerWorkerFunc  func,
                         gconstpointer       data)
{
  WorkerJob *job = g_new0 (WorkerJob, 1);

  g_return_if_fail (TN_IS_SERVER (self) && self->workers != NULL);

  tn_request_pause (req);
  req->on_worker = TRUE;
  job->req = tn_request_ref (req);
  job->func = func;
  job->data = data;
  g_thread_pool_push (self->workers, job, NULL);
}

static void
tn_server_init (TnServer *self)
{
  g_autofree char *header = g_strdup_printf ("turnout-server/%s", PACKAGE_VERSION);

  self->metrics = tn_metrics_new ();
  self->max_body_size = TN_MAX_BODY_SIZE_DEFAULT;
  self->token_ttl = TN_TOKEN_TTL_DEFAULT;
  self->account_limiter = tn_rate_limiter_new (TN_LOGIN_ATTEMPTS_PER_ACCOUNT_DEFAULT,
                                               TN_LOGIN_ACCOUNT_WINDOW);
  self->address_limiter = tn_rate_limiter_new (TN_LOGIN_ATTEMPTS_PER_ADDRESS_DEFAULT,
                                               TN_LOGIN_ADDRESS_WINDOW);
  self->trusted_proxies = g_ptr_array_new_with_free_func (g_object_unref);
  self->held = g_ptr_array_new_with_free_func ((GDestroyNotify) tn_request_unref);
  self->live = tn_live_hub_new (live_stats_cb, self);
  self->soup = soup_server_new ("server-header", header, NULL);

  g_signal_connect_object (self->soup, "request-started",
                           G_CALLBACK (tn_server_soup_request_started_cb), self, 0);
  g_signal_connect_object (self->soup, "request-finished",
                           G_CALLBACK (tn_server_soup_request_finished_cb), self, 0);
  soup_server_add_early_handler (self->soup, NULL, tn_server_early_cb, self, NULL);
  soup_server_add_handler (self->soup, NULL, tn_server_handler_cb, self, NULL);
}

/**
 * tn_server_new:
 * @store: a migrated store
 *
 * Returns: (transfer full): a server over @store; it listens after
 *   tn_server_listen(), on the thread-default main context of the caller
 */
TnServer *
tn_server_new (TnStore *store)
{
  TnServer *self;

  g_return_val_if_fail (TN_IS_STORE (store), NULL);

  self = g_object_new (TN_TYPE_SERVER, NULL);
  self->store = g_object_ref (store);
  self->recs = tn_rec_service_new (store);
  self->context = g_main_context_ref_thread_default ();
  if (tn_store_get_threads (store) > 0)
    {
      /* one thread per connection of the store's pool; cannot fail
       * with exclusive = FALSE */
      self->workers = g_thread_pool_new (worker_run, self, (int) tn_store_get_threads (store), FALSE, NULL);
      tn_live_hub_set_threaded (self->live, TRUE);
      tn_store_listen (store, remote_change_cb, self);
      g_debug ("Routes run in %u worker threads", tn_store_get_threads (store));
    }
  return self;
}

TnStore *
tn_server_get_store (TnServer *self)
{
  g_return_val_if_fail (TN_IS_SERVER (self), NULL);
  return self->store;
}

TnMetrics *
tn_server_get_metrics (TnServer *self)
{
  g_return_val_if_fail (TN_IS_SERVER (self), NULL);
  return self->metrics;
}

void
tn_server_set_max_body_size (TnServer *self,
                             gsize     max_body_size)
{
  g_return_if_fail (TN_IS_SERVER (self));
  self->max_body_size = max_body_size;
}

gsize
tn_server_get_max_body_size (TnServer *self)
{
  g_return_val_if_fail (TN_IS_SERVER (self), 0);
  return self->max_body_size;
}

void
tn_server_set_token_ttl (TnServer *self,
                         gint64    seconds)
{
  g_return_if_fail (TN_IS_SERVER (self));
  g_return_if_fail (seconds > 0);
  self->token_ttl = seconds;
}

gint64
tn_server_get_token_ttl (TnServer *self)
{
  g_return_val_if_fail (TN_IS_SERVER (self), 0);
  return self->token_ttl;
}

TnRateLimiter *
tn_server_get_account_limiter (TnServer *self)
{
  g_return_val_if_fail (TN_IS_SERVER (self), NULL);
  return self->account_limiter;
}

TnRateLimiter *
tn_server_get_address_limiter (TnServer *self)
{
  g_return_val_if_fail (TN_IS_SERVER (self), NULL);
  return self->address_limiter;
}

/* Failed sign-ins allowed per account in 15 minutes. */
void
tn_server_set_login_attempts_per_account (TnServer *self,
                                          guint     attempts)
{
  g_return_if_fail (TN_IS_SERVER (self));
  g_return_if_fail (attempts > 0);
  tn_rate_limiter_set_limit (self->account_limiter, attempts);
}

/* Sign-in attempts allowed per client address in a minute. */
void
tn_server_set_login_attempts_per_address (TnServer *self,
                                          guint     attempts)
{
  g_return_if_fail (TN_IS_SERVER (self));
  g_return_if_fail (attempts > 0);
  tn_rate_limiter_set_limit (self->address_limiter, attempts);
}

/**
 * tn_server_set_trusted_proxies:
 * @addresses: (nullable): IP addresses of reverse proxies in front of the
 *   server
 *
 * Requests from these addresses are taken to come from the address their
 * `X-Forwarded-For` header names. Without trusted proxies the header is
 * ignored (anyone can send it), and behind a proxy every client shares
 * the proxy's address for the per-address limits.
 *
 * Returns: %FALSE, changing nothing, when an entry is not an IP address
 */
gboolean
tn_server_set_trusted_proxies (TnServer           *self,
                               const char * const *addresses,
                               GError            **error)
{
  g_autoptr(GPtrArray) proxies = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (TN_IS_SERVER (self), FALSE);

  for (guint i = 0; addresses != NULL && addresses[i] != NULL; i++)
    {
      g_autofree char *text = g_strstrip (g_strdup (addresses[i]));
      GInetAddress *inet;

      if (text[0] == '\0')
        continue;
      inet = g_inet_address_new_from_string (text);
      if (inet == NULL)
        {
          g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST,
                       "“%s” is not an IP address of a trusted proxy", text);
          return FALSE;
        }
      g_ptr_array_add (proxies, inet);
    }
  g_ptr_array_unref (self->trusted_proxies);
  self->trusted_proxies = g_steal_pointer (&proxies);
  return TRUE;
}

gboolean
tn_server_is_trusted_proxy (TnServer     *self,
                            GInetAddress *address)
{
  g_return_val_if_fail (TN_IS_SERVER (self), FALSE);
  g_return_val_if_fail (G_IS_INET_ADDRESS (address), FALSE);

  for (guint i = 0; i < self->trusted_proxies->len; i++)
    if (g_inet_address_equal (self->trusted_proxies->pdata[i], address))
      return TRUE;
  return FALSE;
}

/**
 * tn_server_set_clock:
 * @func: (nullable): returns monotonic microseconds; %NULL for
 *   g_get_monotonic_time()
 *
 * For tests: the clock of the sign-in limits.
 */
void
tn_server_set_clock (TnServer          *self,
                     TnServerClockFunc  func,
                     gpointer           user_data)
{
  g_return_if_fail (TN_IS_SERVER (self));
  self->clock = func;
  self->clock_data = user_data;
}

gint64
tn_server_get_monotonic_time (TnServer *self)
{
  g_return_val_if_fail (TN_IS_SERVER (self), 0);
  return self->clock != NULL ? self->clock (self->clock_data) : g_get_monotonic_time ();
}

/**
 * tn_server_listen:
 * @address: `HOST:PORT`, with an IP address or `localhost` as host
 *   (`[::1]:8080` for IPv6); port 0 picks a free port
 *
 * Returns: %TRUE once the server listens
 */
gboolean
tn_server_listen (TnServer    *self,
                  const char  *address,
                  GError     **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GSocket) listen_socket = NULL;
  g_autofree char *host = NULL;
  const char *colon;
  guint64 port;
  char *end = NULL;

  g_return_val_if_fail (TN_IS_SERVER (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  colon = strrchr (address, ':');
  if (colon == NULL || colon == address)
    goto invalid;
  port = g_ascii_strtoull (colon + 1, &end, 10);
  if (end == colon + 1 || *end != '\0' || port > 65535)
    goto invalid;
  if (address[0] == '[' && colon[-1] == ']')
    host = g_strndup (address + 1, (gsize) (colon - address - 2));
  else
    host = g_strndup (address, (gsize) (colon - address));
  if (g_str_equal (host, "localhost"))
    {
      g_free (host);
      host = g_strdup ("127.0.0.1");
    }
  inet = g_inet_address_new_from_string (host);
  if (inet == NULL)
    goto invalid;

  socket_address = g_inet_socket_address_new (inet, (guint16) port);
  listen_socket = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (listen_socket == NULL)
    return FALSE;
  /* GSocket's default backlog is 10, and libsoup keeps it: a burst of new
   * connections overflows it, and the dropped handshakes cost clients
   * retransmissions of a second and more. */
  g_socket_set_listen_backlog (listen_socket, TN_SERVER_LISTEN_BACKLOG);
  if (!g_socket_bind (listen_socket, socket_address, TRUE, error) ||
      !g_socket_listen (listen_socket, error) ||
      !soup_server_listen_socket (self->soup, listen_socket, 0, error))
    return FALSE;
  tn_rec_service_start (self->recs);
  return TRUE;

invalid:
  g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST,
               "“%s” is not an address to listen on; use HOST:PORT, such as 127.0.0.1:8080", address);
  return FALSE;
}

/**
 * tn_server_get_recs:
 *
 * Returns: (transfer none): the recommendations' model keeper
 */
TnRecService *
tn_server_get_recs (TnServer *self)
{
  g_return_val_if_fail (TN_IS_SERVER (self), NULL);
  return self->recs;
}

/**
 * tn_server_get_port:
 *
 * Returns: the port of the first listening socket, or 0
 */
guint
tn_server_get_port (TnServer *self)
{
  GSList *listeners;
  g_autoptr(GSocketAddress) address = NULL;

  g_return_val_if_fail (TN_IS_SERVER (self), 0);

  listeners = soup_server_get_listeners (self->soup);
  if (listeners == NULL)
    return 0;
  address = g_socket_get_local_address (listeners->data, NULL);
  g_slist_free (listeners);
  if (address == NULL || !G_IS_INET_SOCKET_ADDRESS (address))
    return 0;
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
}

/**
 * tn_server_get_url:
 *
 * Returns: (transfer full) (nullable): `http://HOST:PORT` of the first
 *   listening socket
 */
char *
tn_server_get_url (TnServer *self)
{
  GSList *listeners;
  g_autoptr(GSocketAddress) address = NULL;
  g_autofree char *host = NULL;
  GInetAddress *inet;

  g_return_val_if_fail (TN_IS_SERVER (self), NULL);

  listeners = soup_server_get_listeners (self->soup);
  if (listeners == NULL)
    return NULL;
  address = g_socket_get_local_address (listeners->data, NULL);
  g_slist_free (listeners);
  if (address == NULL || !G_IS_INET_SOCKET_ADDRESS (address))
    return NULL;
  inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address));
  host = g_inet_address_to_string (inet);
  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("http://[%s]:%u", host,
                            g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)));
  return g_strdup_printf ("http://%s:%u", host,
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)));
}

/**
 * tn_server_issue_token:
 * @user_id: the user to sign in
 * @out_expires_at: (out) (optional): when the token expires
 *
 * Returns: (transfer full) (nullable): a new bearer token for @user_id; only
 *   its hash is stored
 */
char *
tn_server_issue_token (TnServer    *self,
                       const char  *user_id,
                       gint64      *out_expires_at,
                       GError     **error)
{
  g_autofree char *token = tn_auth_new_token ();
  g_autofree char *hash = tn_auth_hash_token (token);
  gint64 expires_at = tn_time_now () + self->token_ttl;

  if (!tn_store_add_token (self->store, hash, user_id, expires_at, error))
    return NULL;
  if (out_expires_at != NULL)
    *out_expires_at = expires_at;
  return g_steal_pointer (&token);
}
