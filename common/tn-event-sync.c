/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "tn-event-sync.h"
#include "tn-error.h"
#include "tn-json.h"
#include "tn-sync-cycle.h"

/* Keeps the organizer's event replica and the server in step
 * (../shared/DESIGN.md "Offline-first clients").
 *
 * Creates, edits, cancellations and deletions go to the replica and its
 * outbox in one transaction; the app reads the replica at once. A cycle
 * pushes the outbox one mutation at a time, in order within each event,
 * then pulls every page of GET /api/v1/events into the replica. One cycle
 * runs at a time; asking for one while one runs runs it again after.
 *
 * A create carries the client's UUID. The server answers a second POST
 * of an id it has with 409, so a 409 to a create is checked with a GET:
 * if the event is there, the first POST arrived and the create is done.
 * An update, a cancellation and a deletion carry `If-Match` with the
 * server version they were made on (once a change of the same event is
 * confirmed, the ones after it rest on the version it made); a 409 sets
 * the change aside as conflicted (not retried, not lost) and emits
 * ::conflict with both versions until tn_event_sync_resolve(): keep mine
 * sends it again on the server's version, keep theirs drops it. A
 * cancellation of an event cancelled meanwhile, or a deletion of one
 * deleted meanwhile, is done, not a conflict. A
 * mutation the server refuses for good (422, 400, 403) is kept aside with
 * the reason (::rejected); an edit or cancel of an event gone from the
 * server (404) is dropped (::gone).
 *
 * Offline is automatic: a request not answered within `timeout` is
 * cancelled and the engine goes offline; failed deliveries wait on an
 * exponential schedule with jitter; a probe every `probe-interval` finds
 * the server again and the outbox then goes at once. */

#define DEFAULT_TIMEOUT_MS        5000
#define DEFAULT_PROBE_INTERVAL_MS 30000
#define PAGE_SIZE                 500

struct _TnEventSync
{
  GObject parent_instance;

  TnEventReplica  *replica;
  TnClient        *client;

  gboolean         online;
  guint            pending;
  gint64           last_sync;

  TnSyncCycle      cycle;
  TnEventMutation *current;    /* the mutation being sent */
  GPtrArray       *pulled;     /* events of the pull under way */
};

enum {
  PROP_0,
  PROP_ONLINE,
  PROP_PENDING,
  PROP_LAST_SYNC,
  N_PROPS
};

enum {
  SIGNAL_CHANGED,
  SIGNAL_CONFLICT,
  SIGNAL_REJECTED,
  SIGNAL_GONE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TnEventSync, tn_event_sync, G_TYPE_OBJECT)

static void push_step (TnEventSync *self);
static void pull_step (TnEventSync *self, const char *cursor);

/* --- state --------------------------------------------------------------- */

static void
set_online (TnEventSync *self,
            gboolean     online)
{
  if (self->online == online)
    return;
  self->online = online;
  /* the outbox waited for the server; it answers again */
  if (online)
    tn_event_replica_outbox_retry_all (self->replica, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);
}

static void
update_pending (TnEventSync *self)
{
  guint pending = tn_event_replica_outbox_size (self->replica);

  if (self->pending == pending)
    return;
  self->pending = pending;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
}

static void
changed (TnEventSync *self)
{
  update_pending (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
schedule_retry (TnEventSync *self)
{
  gint64 due;

  tn_sync_cycle_cancel_retry (&self->cycle);
  if (self->cycle.stopped || !self->online)
    return;
  due = tn_event_replica_outbox_next_due (self->replica);
  if (due == 0)
    return;
  tn_sync_cycle_retry_at (&self->cycle, due);
}

static void
finish_cycle (TnEventSync *self)
{
  g_clear_pointer (&self->current, tn_event_mutation_free);
  g_clear_pointer (&self->pulled, g_ptr_array_unref);
  update_pending (self);
  if (tn_sync_cycle_finish (&self->cycle))
    schedule_retry (self);
}

/* --- requests ------------------------------------------------------------ */

typedef enum
{
  OUTCOME_OK = TN_SYNC_OUTCOME_OK,
  OUTCOME_STOPPED = TN_SYNC_OUTCOME_STOPPED,
  OUTCOME_OFFLINE = TN_SYNC_OUTCOME_OFFLINE,
  OUTCOME_REFUSED = TN_SYNC_OUTCOME_REFUSED,
} Outcome;

static Outcome
end_request (TnEventSync  *self,
             const GError *error)
{
  Outcome outcome = (Outcome) tn_sync_cycle_end_request (&self->cycle, error);

  if (outcome != OUTCOME_REFUSED)
    return outcome;
  if (error->domain != TN_ERROR)
    return OUTCOME_OFFLINE;
  set_online (self, TRUE);
  return OUTCOME_REFUSED;
}

/* --- pull ---------------------------------------------------------------- */

static void
tn_event_sync_client_list_cb (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(TnEventSync) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *next = NULL;
  g_autoptr(GPtrArray) events = tn_client_list_events_finish (TN_CLIENT (source), result, &next, &error);

  switch (end_request (self, error))
    {
    case OUTCOME_STOPPED:
      return;
    case OUTCOME_OFFLINE:
      set_online (self, FALSE);
      finish_cycle (self);
      return;
    case OUTCOME_REFUSED:
      g_message ("Event list refused: %s", error->message);
      finish_cycle (self);
      return;
    case OUTCOME_OK:
    default:
      break;
    }

  set_online (self, TRUE);
  for (guint i = 0; i < events->len; i++)
    g_ptr_array_add (self->pulled, g_object_ref (g_ptr_array_index (events, i)));
  if (next != NULL && events->len > 0)
    {
      pull_step (self, next);
      return;
    }
  if (!tn_event_replica_apply_server_events (self->replica, self->pulled, TRUE, &error))
    g_message ("Could not store the event list: %s", error->message);
  self->last_sync = g_get_real_time ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNC]);
  changed (self);
  finish_cycle (self);
}

static void
pull_step (TnEventSync *self,
           const char  *cursor)
{
  TnEventFilter filter = { 0 };
  GCancellable *cancellable;

  if (self->pulled == NULL)
    self->pulled = g_ptr_array_new_with_free_func (g_object_unref);
  filter.limit = PAGE_SIZE;
  filter.cursor = cursor;
  cancellable = tn_sync_cycle_begin_request (&self->cycle);
  tn_client_list_events_async (self->client, &filter, cancellable,
                               tn_event_sync_client_list_cb, g_object_ref (self));
}

/* --- push ---------------------------------------------------------------- */

static void
confirm_current (TnEventSync *self,
                 TnEvent     *stored)
{
  g_autoptr(GError) error = NULL;

  if (!tn_event_replica_outbox_confirm (self->replica, self->current, stored, &error))
    g_message ("Could not confirm %s: %s", self->current->id, error->message);
  changed (self);
}

static void
fail_current (TnEventSync *self)
{
  g_autoptr(GError) error = NULL;

  if (!tn_event_replica_outbox_fail (self->replica, self->current->id, g_get_real_time (), &error))
    g_message ("Could not note a failed delivery: %s", error->message);
}

static void
reject_current (TnEventSync *self,
                const char  *reason)
{
  g_autoptr(GError) error = NULL;

  g_message ("Event %s: change refused: %s", self->current->event_id, reason);
  if (!tn_event_replica_outbox_reject (self->replica, self->current->id, reason, &error))
    g_message ("Could not set aside a refused change: %s", error->message);
  changed (self);
  g_signal_emit (self, signals[SIGNAL_REJECTED], 0, self->current->event_id, reason);
}

static void
gone_current (TnEventSync *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *event_id = g_strdup (self->current->event_id);

  if (!tn_event_replica_forget (self->replica, event_id, &error))
    g_message ("Could not drop event %s: %s", event_id, error->message);
  changed (self);
  g_signal_emit (self, signals[SIGNAL_GONE], 0, event_id);
}

static void
conflict_current (TnEventSync *self,
                  TnEvent     *server)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) local = NULL;
  g_autofree char *event_id = g_strdup (self->current->event_id);

  if (!tn_event_replica_outbox_conflict (self->replica, self->current->id, server, &error))
    g_message ("Could not set aside a conflicted change: %s", error->message);
  /* NULL for a deletion: the desktop app asks "delete anyway?" then */
  local = tn_event_replica_get (self->replica, event_id);
  changed (self);
  g_signal_emit (self, signals[SIGNAL_CONFLICT], 0, event_id, local, server);
}

static void
tn_event_sync_client_get_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(TnEventSync) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) server = tn_client_event_finish (TN_CLIENT (source), result, &error);

  switch (end_request (self, error))
    {
    case OUTCOME_STOPPED:
      return;
    case OUTCOME_OFFLINE:
      fail_current (self);
      set_online (self, FALSE);
      finish_cycle (self);
      return;
    case OUTCOME_REFUSED:
      if (self->current->kind == TN_EVENT_MUTATION_CREATE)
        reject_current (self, "The event's id is in use by an event this account cannot see");
      else if (g_error_matches (error, TN_ERROR, TN_ERROR_NOT_FOUND) &&
               self->current->kind == TN_EVENT_MUTATION_DELETE)
        confirm_current (self, NULL);   /* deleted meanwhile: as asked */
      else if (g_error_matches (error, TN_ERROR, TN_ERROR_NOT_FOUND))
        gone_current (self);
      else
        fail_current (self);
      break;
    case OUTCOME_OK:
    default:
      set_online (self, TRUE);
      /* a create that arrived before (its answer lost), or the newer
       * version an update, cancel or delete conflicts with; a cancel of
       * an event cancelled meanwhile (by another, or by this cancel
       * whose answer was lost) has nothing left to ask */
      if (self->current->kind == TN_EVENT_MUTATION_CREATE ||
          (self->current->kind == TN_EVENT_MUTATION_CANCEL &&
           tn_event_get_status (server) == TN_EVENT_STATUS_CANCELLED))
        confirm_current (self, server);
      else
        conflict_current (self, server);
      break;
    }
  g_clear_pointer (&self->current, tn_event_mutation_free);
  push_step (self);
}

static void
mutation_done (TnEventSync  *self,
               TnEvent      *stored,
               const GError *error)
{
  switch (end_request (self, error))
    {
    case OUTCOME_STOPPED:
      return;
    case OUTCOME_OFFLINE:
      fail_current (self);
      set_online (self, FALSE);
      finish_cycle (self);
      return;
    case OUTCOME_REFUSED:
      if (g_error_matches (error, TN_ERROR, TN_ERROR_CONFLICT))
        {
          GCancellable *cancellable = tn_sync_cycle_begin_request (&self->cycle);

          tn_client_get_event_async (self->client, self->current->event_id, cancellable,
                                     tn_event_sync_client_get_cb, g_object_ref (self));
          return;
        }
      if (g_error_matches (error, TN_ERROR, TN_ERROR_NOT_FOUND))
        {
          if (self->current->kind == TN_EVENT_MUTATION_DELETE)
            confirm_current (self, NULL);
          else
            gone_current (self);
        }
      else if (g_error_matches (error, TN_ERROR, TN_ERROR_VALIDATION_FAILED) ||
               g_error_matches (error, TN_ERROR, TN_ERROR_BAD_REQUEST) ||
               g_error_matches (error, TN_ERROR, TN_ERROR_FORBIDDEN) ||
               g_error_matches (error, TN_ERROR, TN_ERROR_PRECONDITION_REQUIRED) ||
               g_error_matches (error, TN_ERROR, TN_ERROR_PAYLOAD_TOO_LARGE))
        reject_current (self, error->message);
      else
        {
          /* may pass (unauthorized until signed in again, rate limit,
           * server trouble): the entry waits on its backoff */
          g_message ("Event %s: change not taken now: %s", self->current->event_id, error->message);
          fail_current (self);
        }
      break;
    case OUTCOME_OK:
    default:
      set_online (self, TRUE);
      confirm_current (self, stored);
      break;
    }
  g_clear_pointer (&self->current, tn_event_mutation_free);
  push_step (self);
}

static void
tn_event_sync_client_event_cb (GObject      *source,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(TnEventSync) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) stored = tn_client_event_finish (TN_CLIENT (source), result, &error);

  mutation_done (self, stored, error);
}

static void
tn_event_sync_client_delete_cb (GObject      *source,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  g_autoptr(TnEventSync) self = user_data;
  g_autoptr(GError) error = NULL;

  tn_client_delete_event_finish (TN_CLIENT (source), result, &error);
  mutation_done (self, NULL, error);
}

/* The event a create or an update sends: for an update, the server's
 * copy (else the local view) with the entry's changes, on its base
 * version, so `If-Match` catches a newer version on the server. */
static TnEvent *
event_to_send (TnEventSync     *self,
               TnEventMutation *entry)
{
  g_autoptr(JsonObject) payload = tn_json_parse_object (entry->payload, strlen (entry->payload), NULL);
  g_autoptr(TnEvent) event = NULL;

  if (payload == NULL)
    return NULL;
  if (entry->kind == TN_EVENT_MUTATION_CREATE)
    return tn_event_new_from_json (payload, TN_EVENT_JSON_CREATE, NULL, NULL);
  event = tn_event_replica_get_server_copy (self->replica, entry->event_id);
  if (event == NULL)
    event = tn_event_replica_get (self->replica, entry->event_id);
  if (event == NULL || !tn_event_apply_json (event, payload, TN_EVENT_JSON_PATCH, NULL, NULL))
    return NULL;
  tn_event_set_version (event, entry->base_version);
  return g_steal_pointer (&event);
}

/* The version a cancel or delete sends as `If-Match`: the server version
 * it was made on. An entry queued by a version of this code that did not
 * record one (0) sends none, as it did then. */
static gint64
if_match_version (TnEventMutation *entry)
{
  return entry->base_version > 0 ? entry->base_version : -1;
}

static void
push_step (TnEventSync *self)
{
  g_autoptr(TnEvent) event = NULL;
  GCancellable *cancellable;

  if (self->cycle.stopped)
    return;
  g_clear_pointer (&self->current, tn_event_mutation_free);
  self->current = tn_event_replica_outbox_next (self->replica, g_get_real_time ());
  if (self->current == NULL)
    {
      pull_step (self, NULL);
      return;
    }

  switch (self->current->kind)
    {
    case TN_EVENT_MUTATION_CREATE:
    case TN_EVENT_MUTATION_UPDATE:
      event = event_to_send (self, self->current);
      if (event == NULL)
        {
          reject_current (self, "The change stored here cannot be read");
          push_step (self);
          return;
        }
      cancellable = tn_sync_cycle_begin_request (&self->cycle);
      if (self->current->kind == TN_EVENT_MUTATION_CREATE)
        tn_client_create_event_async (self->client, event, cancellable,
                                      tn_event_sync_client_event_cb, g_object_ref (self));
      else
        tn_client_update_event_async (self->client, event, cancellable,
                                      tn_event_sync_client_event_cb, g_object_ref (self));
      return;
    case TN_EVENT_MUTATION_CANCEL:
      cancellable = tn_sync_cycle_begin_request (&self->cycle);
      tn_client_cancel_event_at_version_async (self->client, self->current->event_id,
                                               if_match_version (self->current), cancellable,
                                               tn_event_sync_client_event_cb, g_object_ref (self));
      return;
    case TN_EVENT_MUTATION_DELETE:
    default:
      cancellable = tn_sync_cycle_begin_request (&self->cycle);
      tn_client_delete_event_at_version_async (self->client, self->current->event_id,
                                               if_match_version (self->current), cancellable,
                                               tn_event_sync_client_delete_cb, g_object_ref (self));
      return;
    }
}

/* After a local change: deliver it now, unless offline (the probe and the
 * backoff find the server again). */
static void
local_change (TnEventSync *self)
{
  changed (self);
  if (self->cycle.started && (self->online || self->cycle.busy))
    tn_sync_cycle_run (&self->cycle);
}

/* --- GObject ------------------------------------------------------------- */

static void
tn_event_sync_dispose (GObject *object)
{
  TnEventSync *self = (TnEventSync *) object;

  tn_sync_cycle_stop (&self->cycle);
  g_clear_object (&self->replica);
  g_clear_object (&self->client);
  g_clear_pointer (&self->current, tn_event_mutation_free);
  g_clear_pointer (&self->pulled, g_ptr_array_unref);

  G_OBJECT_CLASS (tn_event_sync_parent_class)->dispose (object);
}

static void
tn_event_sync_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TnEventSync *self = TN_EVENT_SYNC (object);

  switch (prop_id)
    {
    case PROP_ONLINE:    g_value_set_boolean (value, self->online); break;
    case PROP_PENDING:   g_value_set_uint (value, self->pending); break;
    case PROP_LAST_SYNC: g_value_set_int64 (value, self->last_sync); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tn_event_sync_class_init (TnEventSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tn_event_sync_dispose;
  object_class->get_property = tn_event_sync_get_property;

  /**
   * TnEventSync:online:
   *
   * Whether the server answered the last request in time.
   */
  properties[PROP_ONLINE] =
    g_param_spec_boolean ("online", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * TnEventSync:pending:
   *
   * Changes the server has not confirmed (conflicted and refused ones
   * included).
   */
  properties[PROP_PENDING] =
    g_param_spec_uint ("pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * TnEventSync:last-sync:
   *
   * When the replica last took the server's event list (µs), 0 before.
   */
  properties[PROP_LAST_SYNC] =
    g_param_spec_int64 ("last-sync", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TnEventSync::changed:
   *
   * The replica changed: a local change, a confirmation, a pull.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * TnEventSync::conflict:
   * @event_id: the event
   * @local: (nullable): the organizer's version (the local view); %NULL
   *   for a deletion
   * @server: the server's newer version
   *
   * An edit, cancellation or deletion was made on a version the server
   * has since changed (409). It waits for tn_event_sync_resolve().
   */
  signals[SIGNAL_CONFLICT] =
    g_signal_new ("conflict", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, TN_TYPE_EVENT, TN_TYPE_EVENT);
  /**
   * TnEventSync::rejected:
   * @event_id: the event
   * @reason: the server's reason
   *
   * The server refused a change for good (such as a 422). It is kept
   * aside, not retried, until the app discards it (tn_event_replica_discard()).
   */
  signals[SIGNAL_REJECTED] =
    g_signal_new ("rejected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * TnEventSync::gone:
   * @event_id: the event
   *
   * The event was deleted on the server while changes of it waited here:
   * they and the event are dropped.
   */
  signals[SIGNAL_GONE] =
    g_signal_new ("gone", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
tn_event_sync_init (TnEventSync *self)
{
  tn_sync_cycle_init (&self->cycle, self, (TnSyncCycleFunc) push_step,
                      DEFAULT_TIMEOUT_MS, DEFAULT_PROBE_INTERVAL_MS);
}

/* --- public API ---------------------------------------------------------- */

/**
 * tn_event_sync_new:
 * @replica: the organizer's replica
 * @client: a client holding the organizer's token
 *
 * Returns: (transfer full): an engine; nothing is sent before
 *   tn_event_sync_start()
 */
TnEventSync *
tn_event_sync_new (TnEventReplica *replica,
                   TnClient       *client)
{
  TnEventSync *self;

  g_return_val_if_fail (TN_IS_EVENT_REPLICA (replica), NULL);
  g_return_val_if_fail (TN_IS_CLIENT (client), NULL);

  self = g_object_new (TN_TYPE_EVENT_SYNC, NULL);
  self->replica = g_object_ref (replica);
  self->client = g_object_ref (client);
  self->pending = tn_event_replica_outbox_size (replica);
  return self;
}

/**
 * tn_event_sync_start:
 * @self: a #TnEventSync
 *
 * Runs a first cycle now and one every probe interval.
 */
void
tn_event_sync_start (TnEventSync *self)
{
  g_return_if_fail (TN_IS_EVENT_SYNC (self));
  tn_sync_cycle_start (&self->cycle);
}

/**
 * tn_event_sync_stop:
 * @self: a #TnEventSync
 *
 * Stops for good; what waits in the outbox stays for the next engine.
 */
void
tn_event_sync_stop (TnEventSync *self)
{
  g_return_if_fail (TN_IS_EVENT_SYNC (self));
  tn_sync_cycle_stop (&self->cycle);
}

/**
 * tn_event_sync_sync_now:
 * @self: a #TnEventSync
 *
 * Pushes what is due and pulls the event list, now (or right after the
 * cycle under way).
 */
void
tn_event_sync_sync_now (TnEventSync *self)
{
  g_return_if_fail (TN_IS_EVENT_SYNC (self));
  tn_sync_cycle_run (&self->cycle);
}

/**
 * tn_event_sync_create:
 * @self: a #TnEventSync
 * @event: the new event (without an id it gets one)
 * @details: (nullable): gets a message per invalid field
 * @error: return location for a #TnError
 *
 * See tn_event_replica_create(); delivered later.
 *
 * Returns: (transfer full) (nullable): the event as stored locally
 */
TnEvent *
tn_event_sync_create (TnEventSync  *self,
                      TnEvent      *event,
                      JsonObject   *details,
                      GError      **error)
{
  g_autoptr(TnEvent) created = NULL;

  g_return_val_if_fail (TN_IS_EVENT_SYNC (self), NULL);

  created = tn_event_replica_create (self->replica, event, details, error);
  if (created != NULL)
    local_change (self);
  return g_steal_pointer (&created);
}

/**
 * tn_event_sync_update:
 * @self: a #TnEventSync
 * @edited: the event as edited
 * @details: (nullable): gets a message per invalid field
 * @error: return location for a #TnError
 *
 * See tn_event_replica_update(); delivered later.
 *
 * Returns: whether it was stored
 */
gboolean
tn_event_sync_update (TnEventSync  *self,
                      TnEvent      *edited,
                      JsonObject   *details,
                      GError      **error)
{
  g_return_val_if_fail (TN_IS_EVENT_SYNC (self), FALSE);

  if (!tn_event_replica_update (self->replica, edited, details, error))
    return FALSE;
  local_change (self);
  return TRUE;
}

gboolean
tn_event_sync_cancel (TnEventSync  *self,
                      const char   *event_id,
                      GError      **error)
{
  g_return_val_if_fail (TN_IS_EVENT_SYNC (self), FALSE);

  if (!tn_event_replica_cancel (self->replica, event_id, error))
    return FALSE;
  local_change (self);
  return TRUE;
}

gboolean
tn_event_sync_delete (TnEventSync  *self,
                      const char   *event_id,
                      GError      **error)
{
  g_return_val_if_fail (TN_IS_EVENT_SYNC (self), FALSE);

  if (!tn_event_replica_delete (self->replica, event_id, error))
    return FALSE;
  local_change (self);
  return TRUE;
}

/**
 * tn_event_sync_resolve:
 * @self: a #TnEventSync
 * @event_id: an event with a conflicted change
 * @choice: keep the organizer's changes (sent again on the server's
 *   current version) or take the server's version
 * @error: return location for a #TnError
 *
 * Returns: whether it was stored; %TN_ERROR_NOT_FOUND for
 *   %TN_EVENT_SYNC_KEEP_MINE when the event has no conflicted change
 */
gboolean
tn_event_sync_resolve (TnEventSync        *self,
                       const char         *event_id,
                       TnEventSyncChoice   choice,
                       GError            **error)
{
  gboolean done;

  g_return_val_if_fail (TN_IS_EVENT_SYNC (self), FALSE);
  g_return_val_if_fail (event_id != NULL, FALSE);

  if (choice == TN_EVENT_SYNC_KEEP_MINE)
    done = tn_event_replica_keep_mine (self->replica, event_id, error);
  else
    done = tn_event_replica_discard (self->replica, event_id, error);
  if (!done)
    return FALSE;
  local_change (self);
  return TRUE;
}

TnEventReplica *
tn_event_sync_get_replica (TnEventSync *self)
{
  g_return_val_if_fail (TN_IS_EVENT_SYNC (self), NULL);
  return self->replica;
}

gboolean
tn_event_sync_get_online (TnEventSync *self)
{
  g_return_val_if_fail (TN_IS_EVENT_SYNC (self), FALSE);
  return self->online;
}

guint
tn_event_sync_get_pending (TnEventSync *self)
{
  g_return_val_if_fail (TN_IS_EVENT_SYNC (self), 0);
  return self->pending;
}

gint64
tn_event_sync_get_last_sync (TnEventSync *self)
{
  g_return_val_if_fail (TN_IS_EVENT_SYNC (self), 0);
  return self->last_sync;
}

/**
 * tn_event_sync_set_timeout:
 * @self: a #TnEventSync
 * @timeout_ms: milliseconds a request may take before the engine goes
 *   offline (default 5,000)
 */
void
tn_event_sync_set_timeout (TnEventSync *self,
                           guint        timeout_ms)
{
  g_return_if_fail (TN_IS_EVENT_SYNC (self));
  g_return_if_fail (timeout_ms > 0);
  self->cycle.timeout_ms = timeout_ms;
}

/**
 * tn_event_sync_set_probe_interval:
 * @self: a #TnEventSync
 * @interval_ms: milliseconds between cycles run by themselves (default
 *   30,000)
 */
void
tn_event_sync_set_probe_interval (TnEventSync *self,
                                  guint        interval_ms)
{
  g_return_if_fail (TN_IS_EVENT_SYNC (self));
  g_return_if_fail (interval_ms > 0);
  self->cycle.probe_interval_ms = interval_ms;
  tn_sync_cycle_restart_probe (&self->cycle);
}
