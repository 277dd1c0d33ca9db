/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tn-client.h"

G_BEGIN_DECLS

#define TN_TYPE_LIVE_CLIENT (tn_live_client_get_type ())
G_DECLARE_FINAL_TYPE (TnLiveClient, tn_live_client, TN, LIVE_CLIENT, GObject)

TnLiveClient *tn_live_client_new            (TnClient             *client,
                                             const char           *event_id);
const char   *tn_live_client_get_event_id   (TnLiveClient         *self);
gboolean      tn_live_client_get_connected  (TnLiveClient         *self);
JsonObject   *tn_live_client_get_stats      (TnLiveClient         *self);
void          tn_live_client_connect_async  (TnLiveClient         *self,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean      tn_live_client_connect_finish (TnLiveClient         *self,
                                             GAsyncResult         *result,
                                             GError              **error);
void          tn_live_client_close          (TnLiveClient         *self);

G_END_DECLS
