/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "tn-client.h"
#include "tn-event-replica.h"

G_BEGIN_DECLS

/**
 * TnEventSyncChoice:
 * @TN_EVENT_SYNC_KEEP_MINE: send the organizer's changes again, on the
 *   server's current version
 * @TN_EVENT_SYNC_KEEP_THEIRS: drop the organizer's changes, take the
 *   server's version
 */
typedef enum
{
  TN_EVENT_SYNC_KEEP_MINE,
  TN_EVENT_SYNC_KEEP_THEIRS,
} TnEventSyncChoice;

#define TN_TYPE_EVENT_SYNC (tn_event_sync_get_type ())
G_DECLARE_FINAL_TYPE (TnEventSync, tn_event_sync, TN, EVENT_SYNC, GObject)

TnEventSync    *tn_event_sync_new                (TnEventReplica    *replica,
                                                  TnClient          *client);
void            tn_event_sync_start              (TnEventSync       *self);
void            tn_event_sync_stop               (TnEventSync       *self);
void            tn_event_sync_sync_now           (TnEventSync       *self);

TnEvent        *tn_event_sync_create             (TnEventSync       *self,
                                                  TnEvent           *event,
                                                  JsonObject        *details,
                                                  GError           **error);
gboolean        tn_event_sync_update             (TnEventSync       *self,
                                                  TnEvent           *edited,
                                                  JsonObject        *details,
                                                  GError           **error);
gboolean        tn_event_sync_cancel             (TnEventSync       *self,
                                                  const char        *event_id,
                                                  GError           **error);
gboolean        tn_event_sync_delete             (TnEventSync       *self,
                                                  const char        *event_id,
                                                  GError           **error);
gboolean        tn_event_sync_resolve            (TnEventSync       *self,
                                                  const char        *event_id,
                                                  TnEventSyncChoice  choice,
                                                  GError           **error);

TnEventReplica *tn_event_sync_get_replica        (TnEventSync       *self);
gboolean        tn_event_sync_get_online         (TnEventSync       *self);
guint           tn_event_sync_get_pending        (TnEventSync       *self);
gint64          tn_event_sync_get_last_sync      (TnEventSync       *self);
void            tn_event_sync_set_timeout        (TnEventSync       *self,
                                                  guint              timeout_ms);
void            tn_event_sync_set_probe_interval (TnEventSync       *self,
                                                  guint              interval_ms);

G_END_DECLS
