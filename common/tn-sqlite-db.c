/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>

#include "tn-sqlite-db.h"
#include "tn-error.h"

/* What the door's and the organizer's replicas share about their file:
 * where it lives, how it is made and opened (0600 in a 0700 folder, WAL,
 * synchronous=FULL, a busy timeout), the schema brought up to date by
 * PRAGMA user_version, and errors as TN_ERROR_INTERNAL naming the file. */

#define BUSY_TIMEOUT_MS 5000

/**
 * tn_sqlite_db_path_for:
 * @folder: the replica kind's folder, such as `"replicas"`
 * @server_url: the server's URL
 * @account: the account's or the device's id
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/turnout/<folder>/<hash>.sqlite`,
 *   the hash the first 32 hex digits of SHA-256 over the URL, a newline
 *   and the account: replicas on disk are found by it, so it never changes
 */
char *
tn_sqlite_db_path_for (const char *folder,
                       const char *server_url,
                       const char *account)
{
  g_autofree char *key = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *name = NULL;

  g_assert (folder != NULL && server_url != NULL && account != NULL);

  key = g_strconcat (server_url, "\n", account, NULL);
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
  name = g_strdup_printf ("%.32s.sqlite", hash);
  return g_build_filename (g_get_user_data_dir (), "turnout", folder, name, NULL);
}

gboolean
tn_sqlite_db_set_error (TnSqliteDb  *self,
                        GError     **error)
{
  g_set_error (error, TN_ERROR, TN_ERROR_INTERNAL, "Replica %s: %s",
               self->path, self->handle != NULL ? sqlite3_errmsg (self->handle) : "closed");
  return FALSE;
}

gboolean
tn_sqlite_db_check_open (TnSqliteDb  *self,
                         GError     **error)
{
  if (self->handle != NULL)
    return TRUE;
  g_set_error (error, TN_ERROR, TN_ERROR_INTERNAL, "Replica %s is closed or wiped", self->path);
  return FALSE;
}

gboolean
tn_sqlite_db_exec (TnSqliteDb  *self,
                   const char  *sql,
                   GError     **error)
{
  if (sqlite3_exec (self->handle, sql, NULL, NULL, NULL) != SQLITE_OK)
    return tn_sqlite_db_set_error (self, error);
  return TRUE;
}

sqlite3_stmt *
tn_sqlite_db_prepare (TnSqliteDb  *self,
                      const char  *sql,
                      GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->handle, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      tn_sqlite_db_set_error (self, error);
      return NULL;
    }
  return stmt;
}

/* Runs a statement that returns no rows. */
gboolean
tn_sqlite_db_step_done (TnSqliteDb    *self,
                        sqlite3_stmt  *stmt,
                        GError       **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return tn_sqlite_db_set_error (self, error);
  return TRUE;
}

/* The first column of the first row, 0 when there is none or the file is
 * closed. */
gint64
tn_sqlite_db_query_int (TnSqliteDb *self,
                        const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (self->handle == NULL)
    return 0;
  stmt = tn_sqlite_db_prepare (self, sql, NULL);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  return sqlite3_column_int64 (stmt, 0);
}

gboolean
tn_sqlite_db_begin (TnSqliteDb  *self,
                    GError     **error)
{
  return tn_sqlite_db_check_open (self, error) && tn_sqlite_db_exec (self, "BEGIN IMMEDIATE", error);
}

gboolean
tn_sqlite_db_commit (TnSqliteDb  *self,
                     GError     **error)
{
  return tn_sqlite_db_exec (self, "COMMIT", error);
}

void
tn_sqlite_db_rollback (TnSqliteDb *self)
{
  if (self->handle != NULL && !sqlite3_get_autocommit (self->handle))
    sqlite3_exec (self->handle, "ROLLBACK", NULL, NULL, NULL);
}

void
tn_sqlite_bind_text (sqlite3_stmt *stmt,
                     int           index,
                     const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

char *
tn_sqlite_column_dup (sqlite3_stmt *stmt,
                      int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

/* The accent- and case-insensitive form replicas store names and search
 * text in, and search by: NFKD without combining marks, case-folded
 * ("Zoë Ångström" → "zoe angstrom"). Stored keys depend on it. */
char *
tn_sqlite_fold_text (const char *text)
{
  g_autofree char *decomposed = g_utf8_normalize (text != NULL ? text : "", -1, G_NORMALIZE_NFKD);
  g_autoptr(GString) bare = g_string_new (NULL);

  if (decomposed == NULL)
    return g_strdup ("");
  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (type == G_UNICODE_NON_SPACING_MARK || type == G_UNICODE_SPACING_MARK ||
          type == G_UNICODE_ENCLOSING_MARK)
        continue;
      g_string_append_unichar (bare, c);
    }
  return g_utf8_casefold (bare->str, -1);
}

/* Brings the schema to version @n_migrations in one transaction:
 * @migrations[i] takes a file from version i to i + 1. */
static gboolean
migrate (TnSqliteDb          *self,
         const char * const  *migrations,
         guint                n_migrations,
         GError             **error)
{
  gint64 version = tn_sqlite_db_query_int (self, "PRAGMA user_version");
  g_autofree char *set_version = NULL;

  if (version > (gint64) n_migrations)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_INTERNAL,
                   "Replica %s has schema version %" G_GINT64_FORMAT ", newer than this program's %u",
                   self->path, version, n_migrations);
      return FALSE;
    }
  if (version == (gint64) n_migrations)
    return TRUE;

  if (!tn_sqlite_db_begin (self, error))
    return FALSE;
  for (guint i = (guint) version; i < n_migrations; i++)
    if (!tn_sqlite_db_exec (self, migrations[i], error))
      goto fail;
  set_version = g_strdup_printf ("PRAGMA user_version = %u", n_migrations);
  if (!tn_sqlite_db_exec (self, set_version, error) || !tn_sqlite_db_commit (self, error))
    goto fail;
  return TRUE;

fail:
  tn_sqlite_db_rollback (self);
  return FALSE;
}

static gboolean
open_file (TnSqliteDb  *self,
           GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autofree char *mode = NULL;
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0 || g_chmod (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, TN_ERROR, TN_ERROR_INTERNAL, "Cannot make %s: %s", dir, g_strerror (saved));
      return FALSE;
    }
  /* Made 0600 before SQLite opens it; its -wal and -shm files copy the
   * main file's permissions. */
  fd = g_open (self->path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0 || g_chmod (self->path, 0600) != 0)
    {
      int saved = errno;

      if (fd >= 0)
        g_close (fd, NULL);
      g_set_error (error, TN_ERROR, TN_ERROR_INTERNAL, "Cannot open %s: %s", self->path, g_strerror (saved));
      return FALSE;
    }
  g_close (fd, NULL);

  if (sqlite3_open_v2 (self->path, &self->handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK)
    {
      tn_sqlite_db_set_error (self, error);
      tn_sqlite_db_close (self);
      return FALSE;
    }
  sqlite3_busy_timeout (self->handle, BUSY_TIMEOUT_MS);

  {
    g_autoptr(sqlite3_stmt) stmt = tn_sqlite_db_prepare (self, "PRAGMA journal_mode = WAL", error);

    if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
      return FALSE;
    mode = tn_sqlite_column_dup (stmt, 0);
  }
  if (g_ascii_strcasecmp (mode, "wal") != 0)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_INTERNAL, "Replica %s: no WAL journal (%s)", self->path, mode);
      return FALSE;
    }
  return tn_sqlite_db_exec (self, "PRAGMA synchronous = FULL", error);
}

/**
 * tn_sqlite_db_open:
 * @path: the file
 * @migrations: (array length=n_migrations): SQL per schema version, the
 *   i-th taking a file from version i to i + 1
 * @n_migrations: the schema version of this program
 * @error: return location for a #TnError
 *
 * Opens the file at @path, making it (0600, its folder 0700) as needed,
 * with WAL, synchronous=FULL and a busy timeout, and brings its schema up
 * to date in one transaction. A file of a newer schema is refused.
 *
 * Returns: (transfer full) (nullable): the open file
 */
TnSqliteDb *
tn_sqlite_db_open (const char          *path,
                   const char * const  *migrations,
                   guint                n_migrations,
                   GError             **error)
{
  g_autoptr(TnSqliteDb) self = g_new0 (TnSqliteDb, 1);

  g_assert (path != NULL);
  g_assert (migrations != NULL || n_migrations == 0);

  self->path = g_strdup (path);
  if (!open_file (self, error) || !migrate (self, migrations, n_migrations, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* Closes the file; @self keeps its path. Its statements must be
 * finalized before. */
void
tn_sqlite_db_close (TnSqliteDb *self)
{
  g_clear_pointer (&self->handle, sqlite3_close);
}

void
tn_sqlite_db_free (TnSqliteDb *self)
{
  if (self == NULL)
    return;
  tn_sqlite_db_close (self);
  g_free (self->path);
  g_free (self);
}
