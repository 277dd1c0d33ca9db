/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "tn-client.h"
#include "tn-replica.h"

G_BEGIN_DECLS

#define TN_TYPE_SYNC_ENGINE (tn_sync_engine_get_type ())
G_DECLARE_FINAL_TYPE (TnSyncEngine, tn_sync_engine, TN, SYNC_ENGINE, GObject)

TnSyncEngine  *tn_sync_engine_new                (TnReplica        *replica,
                                                  TnClient         *client,
                                                  const char       *event_id);
void           tn_sync_engine_start              (TnSyncEngine     *self);
void           tn_sync_engine_stop               (TnSyncEngine     *self);
void           tn_sync_engine_sync_now           (TnSyncEngine     *self);
TnReplicaScan *tn_sync_engine_scan               (TnSyncEngine     *self,
                                                  const char       *code,
                                                  TnScanDirection   direction,
                                                  const char       *device,
                                                  GError          **error);
gboolean       tn_sync_engine_undo               (TnSyncEngine     *self,
                                                  const char       *scan_id,
                                                  GError          **error);

TnReplica     *tn_sync_engine_get_replica        (TnSyncEngine     *self);
TnClient      *tn_sync_engine_get_client         (TnSyncEngine     *self);
gboolean       tn_sync_engine_get_online         (TnSyncEngine     *self);
guint          tn_sync_engine_get_pending        (TnSyncEngine     *self);
gint64         tn_sync_engine_get_last_sync      (TnSyncEngine     *self);
gboolean       tn_sync_engine_get_revoked        (TnSyncEngine     *self);
guint          tn_sync_engine_get_timeout        (TnSyncEngine     *self);
void           tn_sync_engine_set_timeout        (TnSyncEngine     *self,
                                                  guint             timeout_ms);
guint          tn_sync_engine_get_probe_interval (TnSyncEngine     *self);
void           tn_sync_engine_set_probe_interval (TnSyncEngine     *self,
                                                  guint             interval_ms);
void           tn_sync_engine_set_batch_size     (TnSyncEngine     *self,
                                                  guint             batch_size);

G_END_DECLS
