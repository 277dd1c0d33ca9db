/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "tn-attendee.h"

G_BEGIN_DECLS

/**
 * TnVerdict:
 * @TN_VERDICT_ACCEPTED: in: a valid ticket not inside; out: a ticket inside
 * @TN_VERDICT_DUPLICATE: in: the ticket is inside already
 * @TN_VERDICT_UNKNOWN: no such code, or a malformed or forged signed ticket
 * @TN_VERDICT_WRONG_EVENT: a ticket of another event
 * @TN_VERDICT_REVOKED: a revoked code
 * @TN_VERDICT_NOT_GOING: the attendee is no longer going
 * @TN_VERDICT_NOT_INSIDE: out: the ticket is not inside
 *
 * What a door says about a scan (docs/CHECKIN.md, "Scans").
 */
typedef enum
{
  TN_VERDICT_ACCEPTED,
  TN_VERDICT_DUPLICATE,
  TN_VERDICT_UNKNOWN,
  TN_VERDICT_WRONG_EVENT,
  TN_VERDICT_REVOKED,
  TN_VERDICT_NOT_GOING,
  TN_VERDICT_NOT_INSIDE,
} TnVerdict;

const char *tn_verdict_to_string   (TnVerdict   verdict);
gboolean    tn_verdict_from_string (const char *text,
                                    TnVerdict  *out);

/**
 * TnScanDirection:
 * @TN_SCAN_IN: entering
 * @TN_SCAN_OUT: leaving
 */
typedef enum
{
  TN_SCAN_IN,
  TN_SCAN_OUT,
} TnScanDirection;

/**
 * TnReplicaScan:
 * @id: the scan's UUID
 * @code: what was scanned or typed, as given
 * @ticket_code: (nullable): the ticket's short code, canonical; %NULL when
 *   @code is not a readable code
 * @direction: in or out
 * @scanned_at: when, Unix seconds (the device's clock)
 * @device: (nullable): the device id or free text
 * @verdict: the local verdict (for other doors' scans: the server's)
 * @has_server_verdict: whether the server has judged the scan
 * @server_verdict: the server's verdict, when @has_server_verdict
 * @flagged: the server flagged the scan
 * @undone: the scan was undone
 * @attendee_id: (nullable): the attendee, when the replica knows them
 * @name: (nullable): their name; %NULL for a validly signed ticket the
 *   replica does not know yet ("name unknown")
 * @ticket_type: (nullable): such as "Speaker"
 * @note: (nullable): a note shown at the door
 * @previous_scanned_at: for %TN_VERDICT_DUPLICATE: when the scan that let
 *   the ticket in was made (0 otherwise)
 * @previous_device: (nullable): and at which door
 * @rejected: (nullable): the server refused this door's scan for good
 *   (malformed, or a scan time it does not take): its reason
 *
 * A scan and what the replica knows about its ticket.
 */
typedef struct
{
  char            *id;
  char            *code;
  char            *ticket_code;
  TnScanDirection  direction;
  gint64           scanned_at;
  char            *device;
  TnVerdict        verdict;
  gboolean         has_server_verdict;
  TnVerdict        server_verdict;
  gboolean         flagged;
  gboolean         undone;
  char            *attendee_id;
  char            *name;
  char            *ticket_type;
  char            *note;
  gint64           previous_scanned_at;
  char            *previous_device;
  char            *rejected;
} TnReplicaScan;

#define TN_TYPE_REPLICA_SCAN (tn_replica_scan_get_type ())
GType          tn_replica_scan_get_type (void) G_GNUC_CONST;
TnReplicaScan *tn_replica_scan_copy     (const TnReplicaScan *scan);
void           tn_replica_scan_free     (TnReplicaScan       *scan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TnReplicaScan, tn_replica_scan_free)

/**
 * TnReplicaOutboxEntry:
 * @id: the mutation's UUID (for a check-in: the scan's id)
 * @kind: what it is: `checkin` or `undo`
 * @payload: its JSON, as the server takes it
 * @attempts: failed deliveries so far
 * @next_attempt_at: not before this time (g_get_real_time() µs)
 *
 * A mutation the server has not confirmed yet.
 */
typedef struct
{
  char   *id;
  char   *kind;
  char   *payload;
  guint   attempts;
  gint64  next_attempt_at;
} TnReplicaOutboxEntry;

#define TN_TYPE_REPLICA_OUTBOX_ENTRY (tn_replica_outbox_entry_get_type ())
GType                 tn_replica_outbox_entry_get_type (void) G_GNUC_CONST;
TnReplicaOutboxEntry *tn_replica_outbox_entry_copy     (const TnReplicaOutboxEntry *entry);
void                  tn_replica_outbox_entry_free     (TnReplicaOutboxEntry       *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TnReplicaOutboxEntry, tn_replica_outbox_entry_free)

#define TN_REPLICA_KIND_CHECKIN "checkin"
#define TN_REPLICA_KIND_UNDO    "undo"

/**
 * TnReplicaCounts:
 * @going: attendees going
 * @checked_in: tickets let in at least once, by any door
 * @inside: tickets inside now
 * @own_admitted: tickets this door let in
 * @conflicts: scans tn_replica_get_conflicts() lists
 *
 * What a door shows, counted at once.
 */
typedef struct
{
  guint going;
  guint checked_in;
  guint inside;
  guint own_admitted;
  guint conflicts;
} TnReplicaCounts;

#define TN_TYPE_REPLICA (tn_replica_get_type ())
G_DECLARE_FINAL_TYPE (TnReplica, tn_replica, TN, REPLICA, GObject)

char        *tn_replica_path_for           (const char       *server_url,
                                            const char       *account);
TnReplica   *tn_replica_open               (const char       *server_url,
                                            const char       *account,
                                            GError          **error);
TnReplica   *tn_replica_open_path          (const char       *path,
                                            GError          **error);
const char  *tn_replica_get_path           (TnReplica        *self);
void         tn_replica_set_backoff        (TnReplica        *self,
                                            gint64            base_us,
                                            gint64            max_us);

const char  *tn_replica_get_event_id       (TnReplica        *self);
JsonObject  *tn_replica_dup_event          (TnReplica        *self);
char        *tn_replica_dup_cursor         (TnReplica        *self);
gboolean     tn_replica_apply_sync_page    (TnReplica        *self,
                                            JsonObject       *page,
                                            GPtrArray       **out_conflicts,
                                            GError          **error);

TnReplicaScan *tn_replica_judge            (TnReplica        *self,
                                            const char       *code,
                                            TnScanDirection   direction,
                                            gint64            scanned_at);
TnReplicaScan *tn_replica_record_scan      (TnReplica        *self,
                                            const char       *code,
                                            TnScanDirection   direction,
                                            gint64            scanned_at,
                                            const char       *device,
                                            GError          **error);
gboolean     tn_replica_record_undo        (TnReplica        *self,
                                            const char       *scan_id,
                                            GError          **error);
TnReplicaScan *tn_replica_get_scan         (TnReplica        *self,
                                            const char       *id);
GPtrArray   *tn_replica_search             (TnReplica        *self,
                                            const char       *query,
                                            guint             limit);
guint        tn_replica_count_inside       (TnReplica        *self);
guint        tn_replica_count_checked_in   (TnReplica        *self);
guint        tn_replica_count_attendees    (TnReplica        *self);
guint        tn_replica_count_going        (TnReplica        *self);
void         tn_replica_count_async        (TnReplica           *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean     tn_replica_count_finish       (TnReplica        *self,
                                            GAsyncResult     *result,
                                            TnReplicaCounts  *counts,
                                            GError          **error);
guint        tn_replica_count_own_admitted (TnReplica        *self);
TnReplicaScan *tn_replica_get_last_own_scan (TnReplica       *self);
GPtrArray   *tn_replica_get_recent_own_scans (TnReplica      *self,
                                              guint           limit);
GPtrArray   *tn_replica_get_attendee_scans (TnReplica        *self,
                                            const char       *attendee_id);
TnAttendee  *tn_replica_get_attendee       (TnReplica        *self,
                                            const char       *attendee_id);
GPtrArray   *tn_replica_get_conflicts      (TnReplica        *self);

guint        tn_replica_outbox_size        (TnReplica        *self);
GPtrArray   *tn_replica_outbox_peek        (TnReplica        *self,
                                            guint             max,
                                            gint64            now);
gint64       tn_replica_outbox_next_due    (TnReplica        *self);
gboolean     tn_replica_outbox_retry_all   (TnReplica        *self,
                                            GError          **error);
gboolean     tn_replica_outbox_confirm     (TnReplica        *self,
                                            const char       *id,
                                            JsonObject       *result,
                                            TnReplicaScan   **out_conflict,
                                            GError          **error);
gboolean     tn_replica_outbox_contains    (TnReplica        *self,
                                            const char       *id);
gboolean     tn_replica_outbox_remove      (TnReplica        *self,
                                            const char       *id,
                                            GError          **error);
gboolean     tn_replica_outbox_reject      (TnReplica        *self,
                                            const char       *id,
                                            const char       *reason,
                                            GError          **error);
gboolean     tn_replica_outbox_give_up     (TnReplica        *self,
                                            const char       *id,
                                            GError          **error);
gboolean     tn_replica_outbox_fail        (TnReplica        *self,
                                            const char       *id,
                                            gint64            now,
                                            GError          **error);
gboolean     tn_replica_outbox_fail_many   (TnReplica        *self,
                                            GPtrArray        *ids,
                                            gint64            now,
                                            GError          **error);
gint64       tn_replica_backoff_delay      (TnReplica        *self,
                                            guint             attempts);

gboolean     tn_replica_wipe               (TnReplica        *self,
                                            GError          **error);
gboolean     tn_replica_is_wiped           (TnReplica        *self);

G_END_DECLS
