/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TN_TOKEN_PREFIX "tn1_"
#define TN_DEVICE_TOKEN_PREFIX "tnd_"

gboolean  tn_auth_init             (GError       **error);
char     *tn_auth_hash_password    (const char    *password,
                                    GError       **error);
gboolean  tn_auth_verify_password  (const char    *hash,
                                    const char    *password);
void      tn_auth_verify_password_async (const char          *hash,
                                         const char          *password,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean  tn_auth_verify_password_finish (GAsyncResult   *result);
char     *tn_auth_new_token        (void);
char     *tn_auth_hash_token       (const char    *token);
char     *tn_auth_new_device_token (void);
char     *tn_auth_new_pairing_code (void);
char     *tn_auth_normalize_pairing_code (const char *text);

G_END_DECLS
