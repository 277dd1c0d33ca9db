/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tn-store.h"

G_BEGIN_DECLS

#define TN_TYPE_SQLITE_STORE (tn_sqlite_store_get_type ())
G_DECLARE_FINAL_TYPE (TnSqliteStore, tn_sqlite_store, TN, SQLITE_STORE, GObject)

TnSqliteStore *tn_sqlite_store_new (const char  *path,
                                    GError     **error);

G_END_DECLS
