/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TN_TYPE_TOKEN_STORE (tn_token_store_get_type ())
G_DECLARE_FINAL_TYPE (TnTokenStore, tn_token_store, TN, TOKEN_STORE, GObject)

TnTokenStore *tn_token_store_new           (void);
gboolean      tn_token_store_get_uses_file (TnTokenStore         *self);
char         *tn_token_store_get_file_path (void);

void          tn_token_store_lookup_async  (TnTokenStore         *self,
                                            const char           *server,
                                            const char           *email,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
char         *tn_token_store_lookup_finish (TnTokenStore         *self,
                                            GAsyncResult         *result,
                                            GError              **error);
void          tn_token_store_save_async    (TnTokenStore         *self,
                                            const char           *server,
                                            const char           *email,
                                            const char           *token,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean      tn_token_store_save_finish   (TnTokenStore         *self,
                                            GAsyncResult         *result,
                                            GError              **error);
void          tn_token_store_clear_async   (TnTokenStore         *self,
                                            const char           *server,
                                            const char           *email,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean      tn_token_store_clear_finish  (TnTokenStore         *self,
                                            GAsyncResult         *result,
                                            GError              **error);

G_END_DECLS
