/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TN_TYPE_LIVE_HUB (tn_live_hub_get_type ())
G_DECLARE_FINAL_TYPE (TnLiveHub, tn_live_hub, TN, LIVE_HUB, GObject)

/* The statistics of an event (a new object), or NULL if it is gone. */
typedef JsonObject *(*TnLiveStatsFunc) (const char *event_id,
                                        gpointer    user_data);

TnLiveHub *tn_live_hub_new         (TnLiveStatsFunc          stats,
                                    gpointer                 user_data);
void       tn_live_hub_set_threaded (TnLiveHub              *self,
                                    gboolean                 threaded);
void       tn_live_hub_subscribe   (TnLiveHub               *self,
                                    const char              *event_id,
                                    SoupWebsocketConnection *connection);
void       tn_live_hub_add_change  (TnLiveHub               *self,
                                    const char              *event_id,
                                    JsonObject              *change);
void       tn_live_hub_flush       (TnLiveHub               *self);
void       tn_live_hub_drop        (TnLiveHub               *self);
guint      tn_live_hub_get_subscribers (TnLiveHub           *self,
                                        const char          *event_id);

G_END_DECLS
