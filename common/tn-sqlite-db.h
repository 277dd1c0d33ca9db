/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* Internal to libturnout: the SQLite file under a client's replica (the
 * door's TnReplica, the organizer's TnEventReplica). Not for the apps. */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

typedef struct
{
  char    *path;
  sqlite3 *handle;   /* NULL once closed */
} TnSqliteDb;

char         *tn_sqlite_db_path_for    (const char          *folder,
                                        const char          *server_url,
                                        const char          *account);
TnSqliteDb   *tn_sqlite_db_open        (const char          *path,
                                        const char * const  *migrations,
                                        guint                n_migrations,
                                        GError             **error);
void          tn_sqlite_db_close       (TnSqliteDb          *self);
void          tn_sqlite_db_free        (TnSqliteDb          *self);

gboolean      tn_sqlite_db_set_error   (TnSqliteDb          *self,
                                        GError             **error);
gboolean      tn_sqlite_db_check_open  (TnSqliteDb          *self,
                                        GError             **error);
gboolean      tn_sqlite_db_exec        (TnSqliteDb          *self,
                                        const char          *sql,
                                        GError             **error);
sqlite3_stmt *tn_sqlite_db_prepare     (TnSqliteDb          *self,
                                        const char          *sql,
                                        GError             **error);
gboolean      tn_sqlite_db_step_done   (TnSqliteDb          *self,
                                        sqlite3_stmt        *stmt,
                                        GError             **error);
gint64        tn_sqlite_db_query_int   (TnSqliteDb          *self,
                                        const char          *sql);
gboolean      tn_sqlite_db_begin       (TnSqliteDb          *self,
                                        GError             **error);
gboolean      tn_sqlite_db_commit      (TnSqliteDb          *self,
                                        GError             **error);
void          tn_sqlite_db_rollback    (TnSqliteDb          *self);

void          tn_sqlite_bind_text      (sqlite3_stmt        *stmt,
                                        int                  index,
                                        const char          *text);
char         *tn_sqlite_column_dup     (sqlite3_stmt        *stmt,
                                        int                  column);
char         *tn_sqlite_fold_text      (const char          *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TnSqliteDb, tn_sqlite_db_free)

G_END_DECLS
