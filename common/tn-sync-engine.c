/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "tn-sync-engine.h"
#include "tn-error.h"
#include "tn-json.h"
#include "tn-sync-cycle.h"

/* Keeps a door's replica and the server in step (docs/CHECKIN.md,
 * ../shared/DESIGN.md "Offline-first clients").
 *
 * Scans go to the replica, which gives the verdict at once, and to its
 * outbox in the same transaction; so do undos. A cycle then pushes the
 * outbox in its order, scans in batches (POST /api/v1/checkins), an undo
 * on its own (DELETE /api/v1/checkins/{id}) once its scan is delivered,
 * and pulls sync pages until `more` is false. One cycle runs at a time; asking for one while one runs makes it
 * run again afterwards.
 *
 * Offline is automatic: a request not answered within `timeout` is
 * cancelled and the engine is offline; failed deliveries wait in the
 * outbox on an exponential schedule with jitter. A periodic probe (a
 * cycle every `probe-interval`) finds the server again, and the outbox is
 * then delivered at once. A 401 `device_revoked` wipes the replica. */

#define DEFAULT_TIMEOUT_MS        3000
#define DEFAULT_PROBE_INTERVAL_MS 15000
#define DEFAULT_BATCH_SIZE        500
#define MAX_BATCH_SIZE            1000   /* the contract's limit per post */

struct _TnSyncEngine
{
  GObject parent_instance;

  TnReplica    *replica;
  TnClient     *client;
  char         *event_id;

  gboolean      online;
  guint         pending;
  gint64        last_sync;
  gboolean      revoked;
  guint         batch_size;
  guint         isolate;      /* posts of one scan left, to find refused ones */

  TnSyncCycle   cycle;
  GPtrArray    *in_flight;  /* ids of the batch or the undo being sent */
};

enum {
  PROP_0,
  PROP_REPLICA,
  PROP_CLIENT,
  PROP_EVENT_ID,
  PROP_ONLINE,
  PROP_PENDING,
  PROP_LAST_SYNC,
  PROP_REVOKED,
  PROP_TIMEOUT,
  PROP_PROBE_INTERVAL,
  N_PROPS
};

enum {
  SIGNAL_CHANGED,
  SIGNAL_CONFLICT,
  SIGNAL_DEVICE_REVOKED,
  SIGNAL_REFUSED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TnSyncEngine, tn_sync_engine, G_TYPE_OBJECT)

static void push_step (TnSyncEngine *self);

/* --- state --------------------------------------------------------------- */

static void
set_online (TnSyncEngine *self,
            gboolean      online)
{
  if (self->online == online)
    return;
  self->online = online;
  /* The outbox waited because the server could not be reached; it can
   * now, so everything goes at once instead of after its backoff. */
  if (online && self->replica != NULL)
    tn_replica_outbox_retry_all (self->replica, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);
}

static void
update_pending (TnSyncEngine *self)
{
  guint pending = self->replica != NULL ? tn_replica_outbox_size (self->replica) : 0;

  if (self->pending == pending)
    return;
  self->pending = pending;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
}

static void
emit_conflict (TnSyncEngine  *self,
               TnReplicaScan *scan)
{
  g_signal_emit (self, signals[SIGNAL_CONFLICT], 0, scan);
}

/* While online, wakes up when the first waiting outbox entry is due. */
static void
schedule_retry (TnSyncEngine *self)
{
  tn_sync_cycle_cancel_retry (&self->cycle);
  if (self->cycle.stopped || !self->online || self->pending == 0)
    return;
  tn_sync_cycle_retry_at (&self->cycle, tn_replica_outbox_next_due (self->replica));
}

static void
finish_cycle (TnSyncEngine *self)
{
  g_ptr_array_set_size (self->in_flight, 0);
  update_pending (self);
  if (tn_sync_cycle_finish (&self->cycle))
    schedule_retry (self);
}

static void
handle_revoked (TnSyncEngine *self)
{
  g_autoptr(GPtrArray) undelivered = tn_replica_outbox_peek (self->replica, G_MAXUINT, G_MAXINT64);
  g_autoptr(GError) error = NULL;

  /* The contract: report the scans that could not be delivered, then
   * wipe the attendee data and the outbox. */
  if (!tn_replica_wipe (self->replica, &error))
    g_message ("Could not wipe the revoked device's replica: %s", error->message);
  self->revoked = TRUE;
  tn_sync_cycle_stop (&self->cycle);
  self->cycle.busy = FALSE;
  self->cycle.again = FALSE;
  set_online (self, FALSE);
  update_pending (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVOKED]);
  g_signal_emit (self, signals[SIGNAL_DEVICE_REVOKED], 0, undelivered);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

/* --- requests ------------------------------------------------------------ */

typedef enum
{
  OUTCOME_OK = TN_SYNC_OUTCOME_OK,
  OUTCOME_STOPPED = TN_SYNC_OUTCOME_STOPPED,   /* the engine was disposed or the device revoked */
  OUTCOME_OFFLINE = TN_SYNC_OUTCOME_OFFLINE,   /* no answer in time, or no connection */
  OUTCOME_REFUSED = TN_SYNC_OUTCOME_REFUSED,   /* the server answered with an error */
  OUTCOME_REVOKED,
} Outcome;

static Outcome
end_request (TnSyncEngine *self,
             const GError *error)
{
  Outcome outcome = (Outcome) tn_sync_cycle_end_request (&self->cycle, error);

  if (outcome == OUTCOME_REFUSED && g_error_matches (error, TN_ERROR, TN_ERROR_DEVICE_REVOKED))
    return OUTCOME_REVOKED;
  return outcome;
}

/* --- pull ---------------------------------------------------------------- */

static void pull_step (TnSyncEngine *self);

static void
tn_sync_engine_client_sync_cb (GObject      *source,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(TnSyncEngine) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) page = tn_client_sync_finish (TN_CLIENT (source), result, &error);
  g_autoptr(GPtrArray) conflicts = NULL;

  switch (end_request (self, error))
    {
    case OUTCOME_STOPPED:
      return;
    case OUTCOME_REVOKED:
      handle_revoked (self);
      return;
    case OUTCOME_OFFLINE:
      set_online (self, FALSE);
      finish_cycle (self);
      return;
    case OUTCOME_REFUSED:
      set_online (self, TRUE);
      g_message ("Sync refused: %s", error->message);
      g_signal_emit (self, signals[SIGNAL_REFUSED], 0, error);
      finish_cycle (self);
      return;
    case OUTCOME_OK:
    default:
      break;
    }

  set_online (self, TRUE);
  if (!tn_replica_apply_sync_page (self->replica, page, &conflicts, &error))
    {
      g_message ("Could not apply a sync page: %s", error->message);
      finish_cycle (self);
      return;
    }
  for (guint i = 0; i < conflicts->len; i++)
    emit_conflict (self, g_ptr_array_index (conflicts, i));
  update_pending (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);

  if (json_object_get_boolean_member_with_default (page, "more", FALSE) &&
      json_array_get_length (json_object_get_array_member (page, "changes")) > 0)
    {
      pull_step (self);
      return;
    }
  self->last_sync = g_get_real_time ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNC]);
  finish_cycle (self);
}

static void
pull_step (TnSyncEngine *self)
{
  g_autofree char *since = tn_replica_dup_cursor (self->replica);
  GCancellable *cancellable = tn_sync_cycle_begin_request (&self->cycle);

  tn_client_sync_async (self->client, self->event_id, since, 0, cancellable,
                        tn_sync_engine_client_sync_cb, g_object_ref (self));
}

/* --- push ---------------------------------------------------------------- */

static void
fail_in_flight (TnSyncEngine *self)
{
  g_autoptr(GError) error = NULL;

  if (!tn_replica_outbox_fail_many (self->replica, self->in_flight, g_get_real_time (), &error))
    g_message ("Could not note a failed delivery: %s", error->message);
  g_ptr_array_set_size (self->in_flight, 0);
}

static void
reject_in_flight (TnSyncEngine *self,
                  const GError *error)
{
  for (guint i = 0; i < self->in_flight->len; i++)
    {
      const char *id = g_ptr_array_index (self->in_flight, i);
      g_autoptr(GError) local_error = NULL;

      if (!tn_replica_outbox_reject (self->replica, id, error->message, &local_error))
        g_message ("Could not set aside refused scan %s: %s", id, local_error->message);
    }
}

static void
tn_sync_engine_client_post_cb (GObject      *source,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(TnSyncEngine) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) results = tn_client_post_checkins_finish (TN_CLIENT (source), result, &error);
  g_autoptr(GHashTable) by_id = NULL;

  switch (end_request (self, error))
    {
    case OUTCOME_STOPPED:
      return;
    case OUTCOME_REVOKED:
      handle_revoked (self);
      return;
    case OUTCOME_OFFLINE:
      fail_in_flight (self);
      set_online (self, FALSE);
      finish_cycle (self);
      return;
    case OUTCOME_REFUSED:
      g_message ("Check-ins refused: %s", error->message);
      g_signal_emit (self, signals[SIGNAL_REFUSED], 0, error);
      set_online (self, TRUE);
      if (g_error_matches (error, TN_ERROR, TN_ERROR_VALIDATION_FAILED) ||
          g_error_matches (error, TN_ERROR, TN_ERROR_BAD_REQUEST))
        {
          /* The server will never take some scan of this batch (a
           * malformed code, a time it does not accept). Post the batch's
           * scans one by one: the refused ones leave the outbox, kept
           * with the reason, and the good ones go through. */
          if (self->in_flight->len > 1)
            self->isolate = self->in_flight->len;
          else
            reject_in_flight (self, error);
          g_ptr_array_set_size (self->in_flight, 0);
        }
      else
        {
          /* Anything else (not allowed, the server in trouble) may pass:
           * the batch waits on its backoff, the rest goes on. */
          fail_in_flight (self);
        }
      update_pending (self);
      g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
      push_step (self);
      return;
    case OUTCOME_OK:
    default:
      break;
    }

  set_online (self, TRUE);
  by_id = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonObject *item = json_array_get_object_element (results, i);

      g_hash_table_insert (by_id, (gpointer) tn_json_object_get_string (item, "id"), item);
    }
  for (guint i = 0; i < self->in_flight->len; i++)
    {
      const char *id = g_ptr_array_index (self->in_flight, i);
      JsonObject *item = g_hash_table_lookup (by_id, id);
      g_autoptr(TnReplicaScan) conflict = NULL;
      g_autoptr(GError) local_error = NULL;

      if (item == NULL)
        tn_replica_outbox_fail (self->replica, id, g_get_real_time (), NULL);
      else if (!tn_replica_outbox_confirm (self->replica, id, item, &conflict, &local_error))
        g_message ("Could not confirm scan %s: %s", id, local_error->message);
      else if (conflict != NULL)
        emit_conflict (self, conflict);
    }
  g_ptr_array_set_size (self->in_flight, 0);
  update_pending (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  push_step (self);
}

static void
tn_sync_engine_client_undo_cb (GObject      *source,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(TnSyncEngine) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *id;

  tn_client_undo_checkin_finish (TN_CLIENT (source), result, &error);
  switch (end_request (self, error))
    {
    case OUTCOME_STOPPED:
      return;
    case OUTCOME_REVOKED:
      handle_revoked (self);
      return;
    case OUTCOME_OFFLINE:
      fail_in_flight (self);
      set_online (self, FALSE);
      finish_cycle (self);
      return;
    case OUTCOME_REFUSED:
      set_online (self, TRUE);
      g_assert (self->in_flight->len == 1);
      id = g_ptr_array_index (self->in_flight, 0);
      if (g_error_matches (error, TN_ERROR, TN_ERROR_NOT_FOUND) ||
          g_error_matches (error, TN_ERROR, TN_ERROR_FORBIDDEN))
        {
          /* For good: trying again gets the same answer. */
          g_message ("Undo %s refused, dropped: %s", id, error->message);
          if (!tn_replica_outbox_give_up (self->replica, id, &local_error))
            g_message ("Could not drop undo %s: %s", id, local_error->message);
          g_ptr_array_set_size (self->in_flight, 0);
          update_pending (self);
          g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
        }
      else
        {
          g_message ("Undo %s refused: %s", id, error->message);
          fail_in_flight (self);
          update_pending (self);
        }
      push_step (self);
      return;
    case OUTCOME_OK:
    default:
      break;
    }

  set_online (self, TRUE);
  g_assert (self->in_flight->len == 1);
  id = g_ptr_array_index (self->in_flight, 0);
  if (!tn_replica_outbox_remove (self->replica, id, &local_error))
    g_message ("Could not confirm undo %s: %s", id, local_error->message);
  g_ptr_array_set_size (self->in_flight, 0);
  update_pending (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  push_step (self);
}

/* Sends what is due next, in the outbox's order: the check-ins up to the
 * first undo in one batch, or else that undo; then goes on to pull. An
 * undo waits until its scan has left the outbox, so the server never
 * hears of the undo first. */
static void
push_step (TnSyncEngine *self)
{
  g_autoptr(GPtrArray) entries = NULL;
  guint batch_size = self->batch_size;

  if (self->isolate > 0)
    {
      self->isolate--;
      batch_size = 1;
    }
  entries = tn_replica_outbox_peek (self->replica, batch_size, g_get_real_time ());
  g_autoptr(JsonArray) scans = json_array_new ();
  GCancellable *cancellable;

  g_ptr_array_set_size (self->in_flight, 0);
  for (guint i = 0; i < entries->len; i++)
    {
      TnReplicaOutboxEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr(JsonObject) payload = tn_json_parse_object (entry->payload, strlen (entry->payload), NULL);
      const char *scan_id;

      if (payload == NULL)
        continue;
      if (g_str_equal (entry->kind, TN_REPLICA_KIND_CHECKIN))
        {
          /* A scan made before the replica's first sync does not know
           * its event yet; the engine does. */
          if (g_strcmp0 (tn_json_object_get_string (payload, "event_id"), "") == 0 ||
              tn_json_object_get_string (payload, "event_id") == NULL)
            json_object_set_string_member (payload, "event_id", self->event_id);
          json_array_add_object_element (scans, g_steal_pointer (&payload));
          g_ptr_array_add (self->in_flight, g_strdup (entry->id));
          continue;
        }
      if (!g_str_equal (entry->kind, TN_REPLICA_KIND_UNDO))
        continue;   /* no other kind yet */
      if (self->in_flight->len > 0)
        break;      /* the batch before it goes first */
      scan_id = tn_json_object_get_string (payload, "id");
      if (scan_id == NULL)
        continue;
      if (tn_replica_outbox_contains (self->replica, scan_id))
        {
          /* Its scan waits for a retry: so does the undo, on a schedule
           * of its own, so it does not keep the engine busy. */
          tn_replica_outbox_fail (self->replica, entry->id, g_get_real_time (), NULL);
          continue;
        }

      g_ptr_array_add (self->in_flight, g_strdup (entry->id));
      cancellable = tn_sync_cycle_begin_request (&self->cycle);
      tn_client_undo_checkin_async (self->client, scan_id, cancellable,
                                    tn_sync_engine_client_undo_cb, g_object_ref (self));
      return;
    }
  if (self->in_flight->len == 0)
    {
      pull_step (self);
      return;
    }

  cancellable = tn_sync_cycle_begin_request (&self->cycle);
  tn_client_post_checkins_async (self->client, scans, cancellable,
                                 tn_sync_engine_client_post_cb, g_object_ref (self));
}

/* --- GObject ------------------------------------------------------------- */

static void
tn_sync_engine_dispose (GObject *object)
{
  TnSyncEngine *self = (TnSyncEngine *) object;

  tn_sync_cycle_stop (&self->cycle);
  g_clear_object (&self->replica);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (tn_sync_engine_parent_class)->dispose (object);
}

static void
tn_sync_engine_finalize (GObject *object)
{
  TnSyncEngine *self = (TnSyncEngine *) object;

  g_free (self->event_id);
  g_ptr_array_unref (self->in_flight);

  G_OBJECT_CLASS (tn_sync_engine_parent_class)->finalize (object);
}

static void
tn_sync_engine_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TnSyncEngine *self = TN_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_REPLICA:        g_value_set_object (value, self->replica); break;
    case PROP_CLIENT:         g_value_set_object (value, self->client); break;
    case PROP_EVENT_ID:       g_value_set_string (value, self->event_id); break;
    case PROP_ONLINE:         g_value_set_boolean (value, self->online); break;
    case PROP_PENDING:        g_value_set_uint (value, self->pending); break;
    case PROP_LAST_SYNC:      g_value_set_int64 (value, self->last_sync); break;
    case PROP_REVOKED:        g_value_set_boolean (value, self->revoked); break;
    case PROP_TIMEOUT:        g_value_set_uint (value, self->cycle.timeout_ms); break;
    case PROP_PROBE_INTERVAL: g_value_set_uint (value, self->cycle.probe_interval_ms); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tn_sync_engine_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TnSyncEngine *self = TN_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_REPLICA:        self->replica = g_value_dup_object (value); break;
    case PROP_CLIENT:         self->client = g_value_dup_object (value); break;
    case PROP_EVENT_ID:       self->event_id = g_value_dup_string (value); break;
    case PROP_TIMEOUT:        tn_sync_engine_set_timeout (self, g_value_get_uint (value)); break;
    case PROP_PROBE_INTERVAL: tn_sync_engine_set_probe_interval (self, g_value_get_uint (value)); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tn_sync_engine_constructed (GObject *object)
{
  TnSyncEngine *self = TN_SYNC_ENGINE (object);

  G_OBJECT_CLASS (tn_sync_engine_parent_class)->constructed (object);
  self->pending = tn_replica_outbox_size (self->replica);
}

static void
tn_sync_engine_class_init (TnSyncEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tn_sync_engine_dispose;
  object_class->finalize = tn_sync_engine_finalize;
  object_class->constructed = tn_sync_engine_constructed;
  object_class->get_property = tn_sync_engine_get_property;
  object_class->set_property = tn_sync_engine_set_property;

  properties[PROP_REPLICA] =
    g_param_spec_object ("replica", NULL, NULL, TN_TYPE_REPLICA,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, TN_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EVENT_ID] =
    g_param_spec_string ("event-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * TnSyncEngine:online:
   *
   * Whether the server answered the last request in time.
   */
  properties[PROP_ONLINE] =
    g_param_spec_boolean ("online", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * TnSyncEngine:pending:
   *
   * Scans and undos the server has not confirmed (the outbox's size).
   */
  properties[PROP_PENDING] =
    g_param_spec_uint ("pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * TnSyncEngine:last-sync:
   *
   * When the replica last caught up with the server (g_get_real_time()
   * µs), 0 before that.
   */
  properties[PROP_LAST_SYNC] =
    g_param_spec_int64 ("last-sync", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REVOKED] =
    g_param_spec_boolean ("revoked", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * TnSyncEngine:timeout:
   *
   * Milliseconds a request may take before the engine counts the server
   * as unreachable and goes offline.
   */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 1, G_MAXUINT, DEFAULT_TIMEOUT_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * TnSyncEngine:probe-interval:
   *
   * Milliseconds between cycles run by themselves: a probe when offline,
   * a catch-up when online.
   */
  properties[PROP_PROBE_INTERVAL] =
    g_param_spec_uint ("probe-interval", NULL, NULL, 1, G_MAXUINT, DEFAULT_PROBE_INTERVAL_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TnSyncEngine::changed:
   *
   * The replica changed: a scan, a sync page, a confirmation.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * TnSyncEngine::conflict:
   * @scan: a #TnReplicaScan of this door that the server judged otherwise
   *   (its @server_verdict)
   */
  signals[SIGNAL_CONFLICT] =
    g_signal_new ("conflict", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, TN_TYPE_REPLICA_SCAN);
  /**
   * TnSyncEngine::device-revoked:
   * @undelivered: (element-type TnReplicaOutboxEntry): the scans and
   *   undos the server never confirmed, reported before they were wiped
   *
   * The server revoked this device: the replica is wiped and the engine
   * stops.
   */
  signals[SIGNAL_DEVICE_REVOKED] =
    g_signal_new ("device-revoked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_PTR_ARRAY);

  /**
   * TnSyncEngine::refused:
   * @error: the server's answer, such as %TN_ERROR_UNAUTHORIZED for a
   *   token it no longer knows
   *
   * The server answered a post of scans or a sync with an error (not a
   * revocation, which is #TnSyncEngine::device-revoked). The scans stay
   * in the outbox and are tried again later.
   */
  signals[SIGNAL_REFUSED] =
    g_signal_new ("refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
tn_sync_engine_init (TnSyncEngine *self)
{
  tn_sync_cycle_init (&self->cycle, self, (TnSyncCycleFunc) push_step,
                      DEFAULT_TIMEOUT_MS, DEFAULT_PROBE_INTERVAL_MS);
  self->batch_size = DEFAULT_BATCH_SIZE;
  self->in_flight = g_ptr_array_new_with_free_func (g_free);
}

/* --- public API ---------------------------------------------------------- */

/**
 * tn_sync_engine_new:
 * @replica: the door's replica
 * @client: a client holding the device token
 * @event_id: the followed event (the paired device's `event_id`)
 *
 * Returns: (transfer full): an engine; nothing happens before
 *   tn_sync_engine_start()
 */
TnSyncEngine *
tn_sync_engine_new (TnReplica  *replica,
                    TnClient   *client,
                    const char *event_id)
{
  g_return_val_if_fail (TN_IS_REPLICA (replica), NULL);
  g_return_val_if_fail (TN_IS_CLIENT (client), NULL);
  g_return_val_if_fail (event_id != NULL, NULL);

  return g_object_new (TN_TYPE_SYNC_ENGINE,
                       "replica", replica,
                       "client", client,
                       "event-id", event_id,
                       NULL);
}

/**
 * tn_sync_engine_start:
 * @self: a #TnSyncEngine
 *
 * Runs a first cycle now and one every #TnSyncEngine:probe-interval.
 */
void
tn_sync_engine_start (TnSyncEngine *self)
{
  g_return_if_fail (TN_IS_SYNC_ENGINE (self));
  tn_sync_cycle_start (&self->cycle);
}

/**
 * tn_sync_engine_stop:
 * @self: a #TnSyncEngine
 *
 * Stops for good: cancels the request under way and every timer. What
 * waits in the outbox stays there for the next engine.
 */
void
tn_sync_engine_stop (TnSyncEngine *self)
{
  g_return_if_fail (TN_IS_SYNC_ENGINE (self));
  tn_sync_cycle_stop (&self->cycle);
}

/**
 * tn_sync_engine_sync_now:
 * @self: a #TnSyncEngine
 *
 * Pushes what is due and pulls what is new, now (or right after the
 * cycle under way).
 */
void
tn_sync_engine_sync_now (TnSyncEngine *self)
{
  g_return_if_fail (TN_IS_SYNC_ENGINE (self));
  tn_sync_cycle_run (&self->cycle);
}

/**
 * tn_sync_engine_scan:
 * @self: a #TnSyncEngine
 * @code: a short code as typed, or a signed ticket as scanned
 * @direction: in or out
 * @device: (nullable): the device id, or free text for a staff member
 * @error: return location for a #TnError
 *
 * Records a scan in the replica and its outbox and returns the door's
 * verdict at once, from the replica alone; the scan is delivered later.
 *
 * Returns: (transfer full) (nullable): the scan and its verdict
 */
TnReplicaScan *
tn_sync_engine_scan (TnSyncEngine     *self,
                     const char       *code,
                     TnScanDirection   direction,
                     const char       *device,
                     GError          **error)
{
  g_autoptr(TnReplicaScan) scan = NULL;

  g_return_val_if_fail (TN_IS_SYNC_ENGINE (self), NULL);
  g_return_val_if_fail (code != NULL, NULL);

  if (self->revoked)
    {
      g_set_error_literal (error, TN_ERROR, TN_ERROR_DEVICE_REVOKED, "This device was revoked");
      return NULL;
    }
  scan = tn_replica_record_scan (self->replica, code, direction, g_get_real_time () / G_USEC_PER_SEC,
                                 device, error);
  if (scan == NULL)
    return NULL;
  update_pending (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  /* Offline, the probe and the backoff find the server again: a push per
   * scan would only fail (and write to disk) between a door's scans. A
   * cycle under way (the first one, say) goes round once more. */
  if (self->cycle.started && (self->online || self->cycle.busy))
    tn_sync_cycle_run (&self->cycle);
  return g_steal_pointer (&scan);
}

/**
 * tn_sync_engine_undo:
 * @self: a #TnSyncEngine
 * @scan_id: the id of a scan in the replica, this door's or another's
 * @error: return location for a #TnError
 *
 * Undoes a scan (a supervisor's door): the replica counts it no more at
 * once, and the undo waits in the outbox until it is delivered, after
 * the scan itself.
 *
 * Returns: whether it was recorded; %TN_ERROR_NOT_FOUND for a scan the
 *   replica does not have, %TN_ERROR_CONFLICT for one undone already
 */
gboolean
tn_sync_engine_undo (TnSyncEngine  *self,
                     const char    *scan_id,
                     GError       **error)
{
  g_return_val_if_fail (TN_IS_SYNC_ENGINE (self), FALSE);
  g_return_val_if_fail (scan_id != NULL, FALSE);

  if (self->revoked)
    {
      g_set_error_literal (error, TN_ERROR, TN_ERROR_DEVICE_REVOKED, "This device was revoked");
      return FALSE;
    }
  if (!tn_replica_record_undo (self->replica, scan_id, error))
    return FALSE;
  update_pending (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  if (self->cycle.started)
    tn_sync_cycle_run (&self->cycle);
  return TRUE;
}

TnReplica *
tn_sync_engine_get_replica (TnSyncEngine *self)
{
  g_return_val_if_fail (TN_IS_SYNC_ENGINE (self), NULL);
  return self->replica;
}

TnClient *
tn_sync_engine_get_client (TnSyncEngine *self)
{
  g_return_val_if_fail (TN_IS_SYNC_ENGINE (self), NULL);
  return self->client;
}

gboolean
tn_sync_engine_get_online (TnSyncEngine *self)
{
  g_return_val_if_fail (TN_IS_SYNC_ENGINE (self), FALSE);
  return self->online;
}

guint
tn_sync_engine_get_pending (TnSyncEngine *self)
{
  g_return_val_if_fail (TN_IS_SYNC_ENGINE (self), 0);
  return self->pending;
}

gint64
tn_sync_engine_get_last_sync (TnSyncEngine *self)
{
  g_return_val_if_fail (TN_IS_SYNC_ENGINE (self), 0);
  return self->last_sync;
}

gboolean
tn_sync_engine_get_revoked (TnSyncEngine *self)
{
  g_return_val_if_fail (TN_IS_SYNC_ENGINE (self), FALSE);
  return self->revoked;
}

guint
tn_sync_engine_get_timeout (TnSyncEngine *self)
{
  g_return_val_if_fail (TN_IS_SYNC_ENGINE (self), 0);
  return self->cycle.timeout_ms;
}

/**
 * tn_sync_engine_set_timeout:
 * @self: a #TnSyncEngine
 * @timeout_ms: milliseconds a request may take (default 3,000)
 */
void
tn_sync_engine_set_timeout (TnSyncEngine *self,
                            guint         timeout_ms)
{
  g_return_if_fail (TN_IS_SYNC_ENGINE (self));
  g_return_if_fail (timeout_ms > 0);

  if (self->cycle.timeout_ms == timeout_ms)
    return;
  self->cycle.timeout_ms = timeout_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

guint
tn_sync_engine_get_probe_interval (TnSyncEngine *self)
{
  g_return_val_if_fail (TN_IS_SYNC_ENGINE (self), 0);
  return self->cycle.probe_interval_ms;
}

/**
 * tn_sync_engine_set_probe_interval:
 * @self: a #TnSyncEngine
 * @interval_ms: milliseconds between cycles run by themselves (default
 *   15,000)
 */
void
tn_sync_engine_set_probe_interval (TnSyncEngine *self,
                                   guint         interval_ms)
{
  g_return_if_fail (TN_IS_SYNC_ENGINE (self));
  g_return_if_fail (interval_ms > 0);

  if (self->cycle.probe_interval_ms == interval_ms)
    return;
  self->cycle.probe_interval_ms = interval_ms;
  tn_sync_cycle_restart_probe (&self->cycle);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBE_INTERVAL]);
}

/**
 * tn_sync_engine_set_batch_size:
 * @self: a #TnSyncEngine
 * @batch_size: scans per post, 1 to 1,000 (default 500)
 */
void
tn_sync_engine_set_batch_size (TnSyncEngine *self,
                               guint         batch_size)
{
  g_return_if_fail (TN_IS_SYNC_ENGINE (self));
  g_return_if_fail (batch_size >= 1 && batch_size <= MAX_BATCH_SIZE);

  self->batch_size = batch_size;
}
