/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tn-metrics.h"
#include "tn-store.h"

G_BEGIN_DECLS

#define TN_MAX_BODY_SIZE_DEFAULT (1024 * 1024)
#define TN_TOKEN_TTL_DEFAULT     (30 * 24 * 3600)

#define TN_TYPE_SERVER (tn_server_get_type ())
G_DECLARE_FINAL_TYPE (TnServer, tn_server, TN, SERVER, GObject)

TnServer   *tn_server_new               (TnStore     *store);
TnStore    *tn_server_get_store         (TnServer    *self);
TnMetrics  *tn_server_get_metrics       (TnServer    *self);
void        tn_server_set_max_body_size (TnServer    *self,
                                         gsize        max_body_size);
gsize       tn_server_get_max_body_size (TnServer    *self);
void        tn_server_set_token_ttl     (TnServer    *self,
                                         gint64       seconds);
gint64      tn_server_get_token_ttl     (TnServer    *self);
gboolean    tn_server_listen            (TnServer    *self,
                                         const char  *address,
                                         GError     **error);
guint       tn_server_get_port          (TnServer    *self);
char       *tn_server_get_url           (TnServer    *self);
char       *tn_server_issue_token       (TnServer    *self,
                                         const char  *user_id,
                                         gint64      *out_expires_at,
                                         GError     **error);

G_END_DECLS
