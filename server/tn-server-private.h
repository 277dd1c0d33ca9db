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

/* Workers: see "Workers" in tn-server.c. */
typedef void (*TnServerWorkerFunc) (TnRequest     *req,
                                    gconstpointer  data);

gboolean    tn_server_in_worker         (void);
gboolean    tn_server_has_workers       (TnServer           *self);
void        tn_server_run_in_worker     (TnServer           *self,
                                         TnRequest          *req,
                                         TnServerWorkerFunc  func,
                                         gconstpointer       data);

G_END_DECLS
