/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Internal to libturnout: the timers of a sync engine (the door's
 * TnSyncEngine, the organizer's TnEventSync). One cycle runs at a time;
 * asking for one while one runs runs it again after. A request not
 * answered within `timeout_ms` is cancelled (the engine is offline); a
 * probe runs a cycle every `probe_interval_ms`; a retry runs one when the
 * outbox's next entry is due. */

typedef void (*TnSyncCycleFunc) (gpointer owner);

typedef enum
{
  TN_SYNC_OUTCOME_OK,
  TN_SYNC_OUTCOME_STOPPED,   /* the engine was stopped or disposed */
  TN_SYNC_OUTCOME_OFFLINE,   /* no answer in time, or no connection */
  TN_SYNC_OUTCOME_REFUSED,   /* any other error: the engine's to judge */
} TnSyncOutcome;

typedef struct
{
  gpointer         owner;     /* the engine; not a reference */
  TnSyncCycleFunc  push;      /* a cycle's first step */
  guint            timeout_ms;
  guint            probe_interval_ms;

  gboolean         started;
  gboolean         stopped;
  gboolean         busy;      /* a cycle runs */
  gboolean         again;     /* run another cycle after it */

  GCancellable    *request;   /* the request under way */
  guint            request_timeout_id;
  gboolean         timed_out;
  guint            probe_id;
  guint            retry_id;
} TnSyncCycle;

void           tn_sync_cycle_init           (TnSyncCycle     *self,
                                             gpointer         owner,
                                             TnSyncCycleFunc  push,
                                             guint            timeout_ms,
                                             guint            probe_interval_ms);
void           tn_sync_cycle_start          (TnSyncCycle     *self);
void           tn_sync_cycle_stop           (TnSyncCycle     *self);
void           tn_sync_cycle_run            (TnSyncCycle     *self);
gboolean       tn_sync_cycle_finish         (TnSyncCycle     *self);
void           tn_sync_cycle_retry_at       (TnSyncCycle     *self,
                                             gint64           due);
void           tn_sync_cycle_cancel_retry   (TnSyncCycle     *self);
void           tn_sync_cycle_restart_probe  (TnSyncCycle     *self);
GCancellable  *tn_sync_cycle_begin_request  (TnSyncCycle     *self);
TnSyncOutcome  tn_sync_cycle_end_request    (TnSyncCycle     *self,
                                             const GError    *error);

G_END_DECLS
