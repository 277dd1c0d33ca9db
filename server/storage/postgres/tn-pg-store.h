/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tn-store.h"

G_BEGIN_DECLS

#define TN_TYPE_PG_STORE (tn_pg_store_get_type ())
G_DECLARE_FINAL_TYPE (TnPgStore, tn_pg_store, TN, PG_STORE, GObject)

TnPgStore *tn_pg_store_new             (const char  *uri,
                                        guint        pool_size,
                                        GError     **error);
guint      tn_pg_store_get_pool_size   (TnPgStore   *self);
gint       tn_pg_store_get_schema_version (TnPgStore *self,
                                        GError     **error);

G_END_DECLS
