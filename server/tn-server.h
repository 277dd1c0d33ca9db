/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tn-metrics.h"
#include "tn-rate-limiter.h"
#include "tn-rec-service.h"
#include "tn-store.h"

G_BEGIN_DECLS

#define TN_MAX_BODY_SIZE_DEFAULT (1024 * 1024)
#define TN_TOKEN_TTL_DEFAULT     (30 * 24 * 3600)

/* Sign-in attempts: per account (failures; a success starts afresh) and
 * per client address (all attempts). */
#define TN_LOGIN_ATTEMPTS_PER_ACCOUNT_DEFAULT 5
#define TN_LOGIN_ACCOUNT_WINDOW               (15 * 60 * G_USEC_PER_SEC)
#define TN_LOGIN_ATTEMPTS_PER_ADDRESS_DEFAULT 20
#define TN_LOGIN_ADDRESS_WINDOW               (60 * G_USEC_PER_SEC)

/* Monotonic microseconds; tests replace the clock. */
typedef gint64 (*TnServerClockFunc) (gpointer user_data);

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
TnRateLimiter *tn_server_get_account_limiter (TnServer *self);
TnRateLimiter *tn_server_get_address_limiter (TnServer *self);
void        tn_server_set_login_attempts_per_account (TnServer *self,
                                                      guint     attempts);
void        tn_server_set_login_attempts_per_address (TnServer *self,
                                                      guint     attempts);
gboolean    tn_server_set_trusted_proxies (TnServer           *self,
                                           const char * const *addresses,
                                           GError            **error);
gboolean    tn_server_is_trusted_proxy  (TnServer     *self,
                                         GInetAddress *address);
void        tn_server_set_clock         (TnServer          *self,
                                         TnServerClockFunc  func,
                                         gpointer           user_data);
gint64      tn_server_get_monotonic_time (TnServer   *self);
gboolean    tn_server_listen            (TnServer    *self,
                                         const char  *address,
                                         GError     **error);
guint       tn_server_get_port          (TnServer    *self);
TnRecService *tn_server_get_recs        (TnServer    *self);
char       *tn_server_get_url           (TnServer    *self);
char       *tn_server_issue_token       (TnServer    *self,
                                         const char  *user_id,
                                         gint64      *out_expires_at,
                                         GError     **error);

G_END_DECLS
