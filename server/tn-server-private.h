/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tn-request.h"
#include "tn-server.h"

G_BEGIN_DECLS

/* Group commit: see "Write batches" in tn-server.c. */
gboolean    tn_server_hold_reply        (TnServer   *self,
                                         TnRequest  *req);

/* Live statistics: see tn-live.c. */
JsonObject *tn_server_event_stats       (TnServer   *self,
                                         const char *event_id,
                                         GError    **error);
void        tn_server_publish_change    (TnServer   *self,
                                         const char *event_id,
                                         JsonObject *change);
void        tn_server_accept_live       (TnServer          *self,
                                         SoupServerMessage *msg,
                                         const char        *event_id);
guint       tn_server_get_live_subscribers (TnServer  *self,
                                            const char *event_id);

G_END_DECLS
