/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "tn-event.h"

G_BEGIN_DECLS

/**
 * TnEventMutationKind:
 * @TN_EVENT_MUTATION_CREATE: POST /api/v1/events with the client's id
 * @TN_EVENT_MUTATION_UPDATE: PATCH with `If-Match` on the base version
 * @TN_EVENT_MUTATION_CANCEL: POST /api/v1/events/{id}/cancel
 * @TN_EVENT_MUTATION_DELETE: DELETE /api/v1/events/{id}
 */
typedef enum
{
  TN_EVENT_MUTATION_CREATE,
  TN_EVENT_MUTATION_UPDATE,
  TN_EVENT_MUTATION_CANCEL,
  TN_EVENT_MUTATION_DELETE,
} TnEventMutationKind;

/**
 * TnEventMutationState:
 * @TN_EVENT_MUTATION_QUEUED: waits for delivery
 * @TN_EVENT_MUTATION_CONFLICTED: the server has a newer version (409):
 *   waits for the organizer's choice, not retried
 * @TN_EVENT_MUTATION_REJECTED: the server refused it for good (422): kept
 *   aside with its reason, not retried
 */
typedef enum
{
  TN_EVENT_MUTATION_QUEUED,
  TN_EVENT_MUTATION_CONFLICTED,
  TN_EVENT_MUTATION_REJECTED,
} TnEventMutationState;

/**
 * TnEventMutation:
 * @id: the outbox entry's UUID
 * @event_id: the event it changes
 * @kind: what it does
 * @payload: JSON: for a create the event (with its id), for an update
 *   the changed fields only, `{}` otherwise
 * @base_version: for an update: the server version it was made on
 * @state: queued, conflicted or rejected
 * @reason: (nullable): for a rejected one the server's reason; for a
 *   conflicted one the server's event as JSON
 * @attempts: failed deliveries so far
 * @next_attempt_at: not before this time (g_get_real_time() µs)
 *
 * An event mutation the server has not confirmed.
 */
typedef struct
{
  char                 *id;
  char                 *event_id;
  TnEventMutationKind   kind;
  char                 *payload;
  gint64                base_version;
  TnEventMutationState  state;
  char                 *reason;
  guint                 attempts;
  gint64                next_attempt_at;
} TnEventMutation;

#define TN_TYPE_EVENT_MUTATION (tn_event_mutation_get_type ())
GType            tn_event_mutation_get_type (void) G_GNUC_CONST;
TnEventMutation *tn_event_mutation_copy     (const TnEventMutation *mutation);
void             tn_event_mutation_free     (TnEventMutation       *mutation);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TnEventMutation, tn_event_mutation_free)

#define TN_TYPE_EVENT_REPLICA (tn_event_replica_get_type ())
G_DECLARE_FINAL_TYPE (TnEventReplica, tn_event_replica, TN, EVENT_REPLICA, GObject)

char            *tn_event_replica_path_for          (const char      *server_url,
                                                     const char      *account);
TnEventReplica  *tn_event_replica_open              (const char      *server_url,
                                                     const char      *account,
                                                     GError         **error);
TnEventReplica  *tn_event_replica_open_path         (const char      *path,
                                                     GError         **error);
const char      *tn_event_replica_get_path          (TnEventReplica  *self);
void             tn_event_replica_set_backoff       (TnEventReplica  *self,
                                                     gint64           base_us,
                                                     gint64           max_us);

/* local reads: pending changes included */
TnEvent         *tn_event_replica_get               (TnEventReplica  *self,
                                                     const char      *event_id);
GPtrArray       *tn_event_replica_list              (TnEventReplica  *self,
                                                     gboolean         past,
                                                     const char      *search,
                                                     gint64           now);
gboolean         tn_event_replica_is_pending        (TnEventReplica  *self,
                                                     const char      *event_id);
TnEvent         *tn_event_replica_get_server_copy   (TnEventReplica  *self,
                                                     const char      *event_id);

/* local writes: the change and its outbox entry in one transaction */
TnEvent         *tn_event_replica_create            (TnEventReplica  *self,
                                                     TnEvent         *event,
                                                     JsonObject      *details,
                                                     GError         **error);
gboolean         tn_event_replica_update            (TnEventReplica  *self,
                                                     TnEvent         *edited,
                                                     JsonObject      *details,
                                                     GError         **error);
gboolean         tn_event_replica_cancel            (TnEventReplica  *self,
                                                     const char      *event_id,
                                                     GError         **error);
gboolean         tn_event_replica_delete            (TnEventReplica  *self,
                                                     const char      *event_id,
                                                     GError         **error);
gboolean         tn_event_replica_discard           (TnEventReplica  *self,
                                                     const char      *event_id,
                                                     GError         **error);

/* the outbox, for TnEventSync */
guint            tn_event_replica_outbox_size       (TnEventReplica  *self);
GPtrArray       *tn_event_replica_outbox_list       (TnEventReplica  *self);
TnEventMutation *tn_event_replica_outbox_next       (TnEventReplica  *self,
                                                     gint64           now);
gint64           tn_event_replica_outbox_next_due   (TnEventReplica  *self);
gboolean         tn_event_replica_outbox_retry_all  (TnEventReplica  *self,
                                                     GError         **error);
gboolean         tn_event_replica_outbox_confirm    (TnEventReplica  *self,
                                                     const TnEventMutation *mutation,
                                                     TnEvent         *stored,
                                                     GError         **error);
gboolean         tn_event_replica_outbox_fail       (TnEventReplica  *self,
                                                     const char      *id,
                                                     gint64           now,
                                                     GError         **error);
gboolean         tn_event_replica_outbox_conflict   (TnEventReplica  *self,
                                                     const char      *id,
                                                     TnEvent         *server,
                                                     GError         **error);
gboolean         tn_event_replica_outbox_reject     (TnEventReplica  *self,
                                                     const char      *id,
                                                     const char      *reason,
                                                     GError         **error);
gboolean         tn_event_replica_keep_mine         (TnEventReplica  *self,
                                                     const char      *event_id,
                                                     GError         **error);
gboolean         tn_event_replica_forget            (TnEventReplica  *self,
                                                     const char      *event_id,
                                                     GError         **error);
gboolean         tn_event_replica_apply_server_events (TnEventReplica *self,
                                                       GPtrArray      *events,
                                                       gboolean        complete,
                                                       GError        **error);
gint64           tn_event_replica_backoff_delay     (TnEventReplica  *self,
                                                     guint            attempts);

G_END_DECLS
