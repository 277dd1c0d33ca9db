/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "tn-error.h"
#include "tn-sqlite-store.h"
#include "tn-time.h"

struct _TnSqliteStore
{
  GObject parent_instance;

  sqlite3    *db;
  char       *path;
  GHashTable *statements;   /* SQL text (static) → sqlite3_stmt */
};

static void tn_sqlite_store_iface_init (TnStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TnSqliteStore, tn_sqlite_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TN_TYPE_STORE, tn_sqlite_store_iface_init))

/* Migrations: each entry moves the schema from version i to i + 1, in one
 * transaction with the new user_version. Never edit a released entry;
 * append a new one. */
static const char *migrations[] = {
  /* 1: users, tokens, events, tags, full-text search */
  "CREATE TABLE users ("
  "  id            TEXT PRIMARY KEY,"
  "  email         TEXT NOT NULL UNIQUE COLLATE NOCASE,"
  "  name          TEXT NOT NULL,"
  "  password_hash TEXT NOT NULL,"
  "  role          TEXT NOT NULL CHECK (role IN ('admin','organizer','staff','member')),"
  "  created_at    INTEGER NOT NULL"
  ");"
  "CREATE TABLE tokens ("
  "  hash       TEXT PRIMARY KEY,"
  "  user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
  "  created_at INTEGER NOT NULL,"
  "  expires_at INTEGER NOT NULL,"
  "  revoked_at INTEGER"
  ") WITHOUT ROWID;"
  "CREATE INDEX tokens_user ON tokens(user_id);"
  "CREATE TABLE events ("
  "  id           TEXT NOT NULL UNIQUE,"
  "  title        TEXT NOT NULL,"
  "  description  TEXT NOT NULL DEFAULT '',"
  "  starts_at    INTEGER NOT NULL,"
  "  ends_at      INTEGER NOT NULL,"
  "  location     TEXT NOT NULL DEFAULT '',"
  "  lat          REAL,"
  "  lon          REAL,"
  "  capacity     INTEGER,"
  "  category     TEXT NOT NULL DEFAULT '',"
  "  tags         TEXT NOT NULL DEFAULT '',"   /* joined by TAG_SEPARATOR */
  "  visibility   TEXT NOT NULL CHECK (visibility IN ('public','unlisted','private')),"
  "  waitlist     INTEGER NOT NULL DEFAULT 0,"
  "  price        REAL,"
  "  currency     TEXT,"
  "  status       TEXT NOT NULL CHECK (status IN ('scheduled','cancelled')),"
  "  organizer_id TEXT REFERENCES users(id) ON DELETE SET NULL,"
  "  version      INTEGER NOT NULL,"
  "  created_at   INTEGER NOT NULL,"
  "  updated_at   INTEGER NOT NULL"
  ");"
  "CREATE INDEX events_start ON events(starts_at, id);"
  "CREATE INDEX events_category ON events(category, starts_at);"
  "CREATE INDEX events_organizer ON events(organizer_id);"
  "CREATE TABLE event_tags ("
  "  tag      TEXT NOT NULL,"
  "  event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,"
  "  PRIMARY KEY (tag, event_id)"
  ") WITHOUT ROWID;"
  "CREATE INDEX event_tags_event ON event_tags(event_id);"
  "CREATE VIRTUAL TABLE events_fts USING fts5("
  "  title, description, location, category, tags,"
  "  content='events', content_rowid='rowid',"
  "  tokenize='unicode61 remove_diacritics 2'"
  ");"
  "CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN"
  "  INSERT INTO events_fts(rowid, title, description, location, category, tags)"
  "  VALUES (new.rowid, new.title, new.description, new.location, new.category, new.tags);"
  "END;"
  "CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN"
  "  INSERT INTO events_fts(events_fts, rowid, title, description, location, category, tags)"
  "  VALUES ('delete', old.rowid, old.title, old.description, old.location, old.category, old.tags);"
  "END;"
  "CREATE TRIGGER events_fts_update AFTER UPDATE ON events BEGIN"
  "  INSERT INTO events_fts(events_fts, rowid, title, description, location, category, tags)"
  "  VALUES ('delete', old.rowid, old.title, old.description, old.location, old.category, old.tags);"
  "  INSERT INTO events_fts(rowid, title, description, location, category, tags)"
  "  VALUES (new.rowid, new.title, new.description, new.location, new.category, new.tags);"
  "END;",

  /* 2: attendees (members who answered, guests an organizer added) and
   * their tickets. Waitlist order is waitlist_seq, taken from a counter
   * per event so that it never repeats. */
  "CREATE TABLE attendees ("
  "  id           TEXT PRIMARY KEY,"
  "  event_id     TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,"
  "  user_id      TEXT REFERENCES users(id) ON DELETE SET NULL,"
  "  name         TEXT NOT NULL,"
  "  email        TEXT NOT NULL COLLATE NOCASE,"
  "  status       TEXT NOT NULL CHECK (status IN ('going','waitlisted','interested','maybe','not_going')),"
  "  waitlist_seq INTEGER,"
  "  ticket_type  TEXT NOT NULL DEFAULT '',"
  "  note         TEXT NOT NULL DEFAULT '',"
  "  created_at   INTEGER NOT NULL,"
  "  updated_at   INTEGER NOT NULL,"
  "  UNIQUE (event_id, email)"
  ");"
  "CREATE UNIQUE INDEX attendees_event_user ON attendees(event_id, user_id) WHERE user_id IS NOT NULL;"
  "CREATE INDEX attendees_event_status ON attendees(event_id, status, waitlist_seq);"
  "CREATE INDEX attendees_user ON attendees(user_id);"
  "CREATE TABLE tickets ("
  "  code        TEXT PRIMARY KEY,"
  "  attendee_id TEXT NOT NULL REFERENCES attendees(id) ON DELETE CASCADE,"
  "  event_id    TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,"
  "  issued_at   INTEGER NOT NULL,"
  "  revoked_at  INTEGER"
  ") WITHOUT ROWID;"
  "CREATE INDEX tickets_attendee ON tickets(attendee_id);"
  "ALTER TABLE events ADD COLUMN waitlist_counter INTEGER NOT NULL DEFAULT 0;",
};

#define EVENT_COLUMNS \
  "id, title, description, starts_at, ends_at, location, lat, lon, capacity, category, " \
  "tags, visibility, waitlist, price, currency, status, organizer_id, version, created_at, updated_at"

/* Tags are stored in one column, joined by a control character, which
 * validation keeps out of tags: reading them back is a split, not a JSON
 * parse (a parse per row was a fifth of a single-event GET). The
 * tokenizer of the full-text index takes it for a separator. */
#define TAG_SEPARATOR "\x1f"

#define USER_COLUMNS "id, email, name, role, created_at"

/* --- helpers ------------------------------------------------------------- */

static gboolean
set_sqlite_error (TnSqliteStore  *self,
                  int             rc,
                  GError        **error)
{
  int code = rc & 0xff;
  TnError tn;

  if (code == SQLITE_CONSTRAINT)
    tn = TN_ERROR_CONFLICT;
  else
    tn = TN_ERROR_INTERNAL;

  /* The log has the details; the caller gets a message without SQL. */
  if (tn == TN_ERROR_INTERNAL)
    g_warning ("SQLite error %d: %s", rc, sqlite3_errmsg (self->db));
  g_set_error (error, TN_ERROR, tn, "%s",
               tn == TN_ERROR_CONFLICT ? "The change conflicts with stored data"
                                       : "The database failed");
  return FALSE;
}

/* Returns a cached prepared statement, reset and with bindings cleared.
 * @sql must be a string literal (its address is the cache key). */
static sqlite3_stmt *
prepare (TnSqliteStore  *self,
         const char     *sql,
         GError        **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self, rc, error);
      return NULL;
    }
  g_hash_table_insert (self->statements, (gpointer) sql, stmt);
  return stmt;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           index)
{
  const char *text = (const char *) sqlite3_column_text (stmt, index);

  return text != NULL ? text : "";
}

static gboolean
exec (TnSqliteStore  *self,
      const char     *sql,
      GError        **error)
{
  char *message = NULL;
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, &message);

  if (rc != SQLITE_OK)
    {
      g_warning ("SQLite error %d: %s", rc, message != NULL ? message : "");
      sqlite3_free (message);
      g_set_error (error, TN_ERROR, TN_ERROR_INTERNAL, "The database failed");
      return FALSE;
    }
  return TRUE;
}

/* Runs a cached statement that returns no rows. */
static gboolean
step_done (TnSqliteStore  *self,
           const char     *sql,
           GError        **error)
{
  sqlite3_stmt *stmt = prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, rc, error);
  return TRUE;
}

static gboolean
begin (TnSqliteStore  *self,
       GError        **error)
{
  return step_done (self, "BEGIN IMMEDIATE", error);
}

static gboolean
commit (TnSqliteStore  *self,
        GError        **error)
{
  return step_done (self, "COMMIT", error);
}

static void
rollback (TnSqliteStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static TnUser *
user_from_row (sqlite3_stmt *stmt,
               int           first)
{
  TnRole role = TN_ROLE_MEMBER;

  tn_role_from_string (column_text (stmt, first + 3), &role);
  return tn_user_new (column_text (stmt, first + 0),
                      column_text (stmt, first + 1),
                      column_text (stmt, first + 2),
                      role,
                      sqlite3_column_int64 (stmt, first + 4));
}

static TnEvent *
event_from_row (sqlite3_stmt *stmt)
{
  g_autoptr(TnEvent) event = tn_event_new ();
  g_auto(GStrv) tag_list = NULL;
  const char *tags_text;
  TnVisibility visibility = TN_VISIBILITY_PRIVATE;
  TnEventStatus status = TN_EVENT_STATUS_SCHEDULED;

  tn_event_set_id (event, column_text (stmt, 0));
  tn_event_set_title (event, column_text (stmt, 1));
  tn_event_set_description (event, column_text (stmt, 2));
  tn_event_set_starts_at (event, sqlite3_column_int64 (stmt, 3));
  tn_event_set_ends_at (event, sqlite3_column_int64 (stmt, 4));
  tn_event_set_location (event, column_text (stmt, 5));
  if (sqlite3_column_type (stmt, 6) != SQLITE_NULL)
    tn_event_set_coordinates (event, sqlite3_column_double (stmt, 6), sqlite3_column_double (stmt, 7));
  tn_event_set_capacity (event, sqlite3_column_type (stmt, 8) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, 8));
  tn_event_set_category (event, column_text (stmt, 9));

  tags_text = column_text (stmt, 10);
  tag_list = tags_text[0] != '\0' ? g_strsplit (tags_text, TAG_SEPARATOR, -1) : g_new0 (char *, 1);
  tn_event_set_tags (event, (const char * const *) tag_list);

  tn_visibility_from_string (column_text (stmt, 11), &visibility);
  tn_event_set_visibility (event, visibility);
  tn_event_set_waitlist (event, sqlite3_column_int (stmt, 12) != 0);
  if (sqlite3_column_type (stmt, 13) != SQLITE_NULL)
    tn_event_set_price (event, sqlite3_column_double (stmt, 13));
  tn_event_set_currency (event, (const char *) sqlite3_column_text (stmt, 14));
  tn_event_status_from_string (column_text (stmt, 15), &status);
  tn_event_set_status (event, status);
  tn_event_set_organizer (event, (const char *) sqlite3_column_text (stmt, 16));
  tn_event_set_version (event, sqlite3_column_int64 (stmt, 17));
  tn_event_set_created_at (event, sqlite3_column_int64 (stmt, 18));
  tn_event_set_updated_at (event, sqlite3_column_int64 (stmt, 19));
  return g_steal_pointer (&event);
}

static char *
join_tags (TnEvent *event)
{
  return g_strjoinv (TAG_SEPARATOR, (char **) tn_event_get_tags (event));
}

/* Binds the writable fields of @event to parameters 1–15 in the order of
 * EVENT_COLUMNS (id, title, …, currency). */
static void
bind_event (sqlite3_stmt *stmt,
            TnEvent      *event)
{
  g_autofree char *tags = join_tags (event);
  double lat, lon, price;
  const char *currency = tn_event_get_currency (event);

  bind_text (stmt, 1, tn_event_get_id (event));
  bind_text (stmt, 2, tn_event_get_title (event));
  bind_text (stmt, 3, tn_event_get_description (event));
  sqlite3_bind_int64 (stmt, 4, tn_event_get_starts_at (event));
  sqlite3_bind_int64 (stmt, 5, tn_event_get_ends_at (event));
  bind_text (stmt, 6, tn_event_get_location (event));
  if (tn_event_get_coordinates (event, &lat, &lon))
    {
      sqlite3_bind_double (stmt, 7, lat);
      sqlite3_bind_double (stmt, 8, lon);
    }
  if (tn_event_get_capacity (event) >= 0)
    sqlite3_bind_int64 (stmt, 9, tn_event_get_capacity (event));
  bind_text (stmt, 10, tn_event_get_category (event));
  bind_text (stmt, 11, tags);
  bind_text (stmt, 12, tn_visibility_to_string (tn_event_get_visibility (event)));
  sqlite3_bind_int (stmt, 13, tn_event_get_waitlist (event));
  if (tn_event_get_price (event, &price))
    sqlite3_bind_double (stmt, 14, price);
  bind_text (stmt, 15, currency != NULL && currency[0] != '\0' ? currency : NULL);
}

static gboolean
replace_tags (TnSqliteStore  *self,
              TnEvent        *event,
              GError        **error)
{
  const char * const *tags = tn_event_get_tags (event);
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (self, "DELETE FROM event_tags WHERE event_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, tn_event_get_id (event));
  if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
    return set_sqlite_error (self, rc, error);

  for (guint i = 0; tags[i] != NULL; i++)
    {
      stmt = prepare (self, "INSERT OR IGNORE INTO event_tags (tag, event_id) VALUES (?1, ?2)", error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, tags[i]);
      bind_text (stmt, 2, tn_event_get_id (event));
      if ((rc = sqlite3_step (stmt)) != SQLITE_DONE)
        return set_sqlite_error (self, rc, error);
    }
  return TRUE;
}

/* --- TnStore ------------------------------------------------------------- */

static gboolean
tn_sqlite_store_migrate (TnStore  *store,
                         GError  **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;
  int version;

  stmt = prepare (self, "PRAGMA user_version", error);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return set_sqlite_error (self, sqlite3_errcode (self->db), error);
  version = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);

  if (version > (int) G_N_ELEMENTS (migrations))
    {
      g_set_error (error, TN_ERROR, TN_ERROR_INTERNAL,
                   "The database %s has schema version %d, newer than this turnout-server knows (%u)",
                   self->path, version, (guint) G_N_ELEMENTS (migrations));
      return FALSE;
    }

  for (guint i = (guint) version; i < G_N_ELEMENTS (migrations); i++)
    {
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %u", i + 1);

      if (!exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!exec (self, migrations[i], error) || !exec (self, set_version, error))
        {
          rollback (self);
          return FALSE;
        }
      if (!exec (self, "COMMIT", error))
        {
          rollback (self);
          return FALSE;
        }
      g_info ("Migrated %s to schema version %u", self->path, i + 1);
    }
  return TRUE;
}

static gboolean
tn_sqlite_store_ping (TnStore  *store,
                      GError  **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  sqlite3_stmt *stmt = prepare (self, "SELECT count(*) FROM users", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return set_sqlite_error (self, rc, error);
  return TRUE;
}

static gboolean
tn_sqlite_store_backup (TnStore     *store,
                        const char  *path,
                        GError     **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  sqlite3 *target = NULL;
  sqlite3_backup *backup;
  int rc;

  rc = sqlite3_open_v2 (path, &target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST, "Cannot open %s for the backup: %s",
                   path, target != NULL ? sqlite3_errmsg (target) : sqlite3_errstr (rc));
      sqlite3_close (target);
      return FALSE;
    }
  backup = sqlite3_backup_init (target, "main", self->db, "main");
  if (backup == NULL)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_INTERNAL, "Cannot start the backup: %s", sqlite3_errmsg (target));
      sqlite3_close (target);
      return FALSE;
    }
  /* One step copies every page while holding a read transaction: a
   * consistent snapshot even while the server writes. */
  rc = sqlite3_backup_step (backup, -1);
  sqlite3_backup_finish (backup);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_INTERNAL, "The backup failed: %s", sqlite3_errstr (rc));
      sqlite3_close (target);
      return FALSE;
    }
  sqlite3_close (target);
  return TRUE;
}

static gint64
tn_sqlite_store_count_users (TnStore  *store,
                             GError  **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  sqlite3_stmt *stmt = prepare (self, "SELECT count(*) FROM users", error);
  gint64 count;
  int rc;

  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (self, rc, error);
      return -1;
    }
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return count;
}

static TnUser *
tn_sqlite_store_create_user (TnStore     *store,
                             const char  *id,
                             const char  *email,
                             const char  *name,
                             const char  *password_hash,
                             TnRole       role,
                             GError     **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  gint64 now = tn_time_now ();
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (self,
                  "INSERT INTO users (id, email, name, password_hash, role, created_at) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, id);
  bind_text (stmt, 2, email);
  bind_text (stmt, 3, name);
  bind_text (stmt, 4, password_hash);
  bind_text (stmt, 5, tn_role_to_string (role));
  sqlite3_bind_int64 (stmt, 6, now);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      if ((rc & 0xff) == SQLITE_CONSTRAINT)
        {
          g_set_error (error, TN_ERROR, TN_ERROR_CONFLICT, "A user with this e-mail address exists already");
          return NULL;
        }
      set_sqlite_error (self, rc, error);
      return NULL;
    }
  return tn_user_new (id, email, name, role, now);
}

static TnUser *
tn_sqlite_store_get_user (TnStore     *store,
                          const char  *id,
                          GError     **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  sqlite3_stmt *stmt = prepare (self, "SELECT " USER_COLUMNS " FROM users WHERE id = ?1", error);
  TnUser *user;
  int rc;

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_NOT_FOUND, "No such user");
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (self, rc, error);
      return NULL;
    }
  user = user_from_row (stmt, 0);
  sqlite3_reset (stmt);
  return user;
}

static TnUser *
tn_sqlite_store_find_user_by_email (TnStore     *store,
                                    const char  *email,
                                    char       **out_password_hash,
                                    GError     **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  sqlite3_stmt *stmt = prepare (self, "SELECT " USER_COLUMNS ", password_hash FROM users WHERE email = ?1",
                                error);
  TnUser *user;
  int rc;

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, email);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_NOT_FOUND, "No such user");
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (self, rc, error);
      return NULL;
    }
  user = user_from_row (stmt, 0);
  if (out_password_hash != NULL)
    *out_password_hash = g_strdup (column_text (stmt, 5));
  sqlite3_reset (stmt);
  return user;
}

static GPtrArray *
tn_sqlite_store_list_users (TnStore     *store,
                            guint        limit,
                            const char  *after_email,
                            GError     **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (self,
                  "SELECT " USER_COLUMNS " FROM users WHERE (?1 IS NULL OR email > ?1) "
                  "ORDER BY email LIMIT ?2", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, after_email);
  sqlite3_bind_int (stmt, 2, (int) limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (users, user_from_row (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&users);
}

static gboolean
tn_sqlite_store_add_token (TnStore     *store,
                           const char  *token_hash,
                           const char  *user_id,
                           gint64       expires_at,
                           GError     **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (self,
                  "INSERT INTO tokens (hash, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, token_hash);
  bind_text (stmt, 2, user_id);
  sqlite3_bind_int64 (stmt, 3, tn_time_now ());
  sqlite3_bind_int64 (stmt, 4, expires_at);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, rc, error);
  return TRUE;
}

static TnUser *
tn_sqlite_store_lookup_token (TnStore     *store,
                              const char  *token_hash,
                              gint64       now,
                              GError     **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;
  TnUser *user;
  int rc;

  stmt = prepare (self,
                  "SELECT u.id, u.email, u.name, u.role, u.created_at "
                  "FROM tokens t JOIN users u ON u.id = t.user_id "
                  "WHERE t.hash = ?1 AND t.revoked_at IS NULL AND t.expires_at > ?2", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, token_hash);
  sqlite3_bind_int64 (stmt, 2, now);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_UNAUTHORIZED, "The token is unknown, revoked or expired");
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (self, rc, error);
      return NULL;
    }
  user = user_from_row (stmt, 0);
  sqlite3_reset (stmt);
  return user;
}

static gboolean
tn_sqlite_store_revoke_token (TnStore     *store,
                              const char  *token_hash,
                              GError     **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (self, "UPDATE tokens SET revoked_at = ?2 WHERE hash = ?1 AND revoked_at IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, token_hash);
  sqlite3_bind_int64 (stmt, 2, tn_time_now ());
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, rc, error);
  return TRUE;
}

static TnEvent *
tn_sqlite_store_get_event (TnStore     *store,
                           const char  *id,
                           GError     **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  sqlite3_stmt *stmt = prepare (self, "SELECT " EVENT_COLUMNS " FROM events WHERE id = ?1", error);
  TnEvent *event;
  int rc;

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      g_set_error (error, TN_ERROR, TN_ERROR_NOT_FOUND, "No such event");
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (self, rc, error);
      sqlite3_reset (stmt);
      return NULL;
    }
  event = event_from_row (stmt);
  sqlite3_reset (stmt);
  return event;
}

static TnEvent *
tn_sqlite_store_create_event (TnStore     *store,
                              TnEvent     *event,
                              GError     **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  gint64 now = tn_time_now ();
  sqlite3_stmt *stmt;
  int rc;

  if (!begin (self, error))
    return NULL;

  stmt = prepare (self,
                  "INSERT INTO events (" EVENT_COLUMNS ") VALUES "
                  "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
                  " 'scheduled', ?16, 1, ?17, ?17)", error);
  if (stmt == NULL)
    goto failed;
  bind_event (stmt, event);
  bind_text (stmt, 16, tn_event_get_organizer (event));
  sqlite3_bind_int64 (stmt, 17, now);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      if ((rc & 0xff) == SQLITE_CONSTRAINT)
        g_set_error (error, TN_ERROR, TN_ERROR_CONFLICT, "An event with this id exists already");
      else
        set_sqlite_error (self, rc, error);
      goto failed;
    }
  if (!replace_tags (self, event, error) || !commit (self, error))
    goto failed;

  return tn_sqlite_store_get_event (store, tn_event_get_id (event), error);

failed:
  rollback (self);
  return NULL;
}

static GPtrArray *
tn_sqlite_store_list_events (TnStore             *store,
                             const TnEventQuery  *query,
                             gboolean            *out_more,
                             GError             **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  guint limit = query->limit > 0 ? MIN (query->limit, TN_LIST_LIMIT_MAX) : TN_LIST_LIMIT_DEFAULT;
  sqlite3_stmt *stmt;
  int rc;

  /* One statement for every combination of filters: an unset filter is a
   * NULL parameter, so the statement is prepared once. */
  stmt = prepare (self,
                  "SELECT " EVENT_COLUMNS " FROM events e "
                  "WHERE (?1 IS NULL OR e.ends_at >= ?1) "
                  "  AND (?2 IS NULL OR e.starts_at < ?2) "
                  "  AND (?3 IS NULL OR e.rowid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?3)) "
                  "  AND (?4 IS NULL OR e.category = ?4) "
                  "  AND (?5 IS NULL OR EXISTS (SELECT 1 FROM event_tags t WHERE t.tag = ?5 AND t.event_id = e.id)) "
                  "  AND (?6 IS NULL OR e.status = ?6) "
                  "  AND (?7 OR e.visibility = 'public' OR e.organizer_id = ?8) "
                  "  AND (?10 IS NULL OR e.starts_at > ?9 OR (e.starts_at = ?9 AND e.id > ?10)) "
                  "ORDER BY e.starts_at, e.id LIMIT ?11", error);
  if (stmt == NULL)
    return NULL;

  if (query->from != 0)
    sqlite3_bind_int64 (stmt, 1, query->from);
  if (query->to != 0)
    sqlite3_bind_int64 (stmt, 2, query->to);
  bind_text (stmt, 3, query->fts_query);
  bind_text (stmt, 4, query->category);
  bind_text (stmt, 5, query->tag);
  bind_text (stmt, 6, query->status);
  sqlite3_bind_int (stmt, 7, query->viewer_sees_all ? 1 : 0);
  bind_text (stmt, 8, query->viewer_id);
  sqlite3_bind_int64 (stmt, 9, query->after_starts_at);
  bind_text (stmt, 10, query->after_id);
  sqlite3_bind_int (stmt, 11, (int) limit + 1);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (events, event_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, error);
      return NULL;
    }

  *out_more = events->len > limit;
  if (*out_more)
    g_ptr_array_set_size (events, limit);
  return g_steal_pointer (&events);
}

static TnEvent *
tn_sqlite_store_update_event (TnStore     *store,
                              TnEvent     *event,
                              gint64       expected_version,
                              GError     **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;
  int rc;

  if (!begin (self, error))
    return NULL;

  stmt = prepare (self,
                  "UPDATE events SET title = ?2, description = ?3, starts_at = ?4, ends_at = ?5, "
                  "  location = ?6, lat = ?7, lon = ?8, capacity = ?9, category = ?10, tags = ?11, "
                  "  visibility = ?12, waitlist = ?13, price = ?14, currency = ?15, status = ?16, "
                  "  version = version + 1, updated_at = ?17 "
                  "WHERE id = ?1 AND version = ?18", error);
  if (stmt == NULL)
    goto failed;
  bind_event (stmt, event);
  bind_text (stmt, 16, tn_event_status_to_string (tn_event_get_status (event)));
  sqlite3_bind_int64 (stmt, 17, tn_time_now ());
  sqlite3_bind_int64 (stmt, 18, expected_version);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, error);
      goto failed;
    }
  if (sqlite3_changes (self->db) == 0)
    {
      g_autoptr(TnEvent) current = tn_sqlite_store_get_event (store, tn_event_get_id (event), error);

      if (current != NULL)
        g_set_error (error, TN_ERROR, TN_ERROR_CONFLICT,
                     "The event changed meanwhile: it is at version %" G_GINT64_FORMAT
                     ", the change was made to version %" G_GINT64_FORMAT,
                     tn_event_get_version (current), expected_version);
      goto failed;
    }
  if (!replace_tags (self, event, error) || !commit (self, error))
    goto failed;

  return tn_sqlite_store_get_event (store, tn_event_get_id (event), error);

failed:
  rollback (self);
  return NULL;
}

static gboolean
tn_sqlite_store_delete_event (TnStore     *store,
                              const char  *id,
                              gint64       expected_version,
                              GError     **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (self, "DELETE FROM events WHERE id = ?1 AND (?2 < 0 OR version = ?2)", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, expected_version);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, rc, error);
  if (sqlite3_changes (self->db) == 0)
    {
      g_autoptr(TnEvent) current = tn_sqlite_store_get_event (store, id, error);

      if (current != NULL)
        g_set_error (error, TN_ERROR, TN_ERROR_CONFLICT,
                     "The event changed meanwhile: it is at version %" G_GINT64_FORMAT,
                     tn_event_get_version (current));
      return FALSE;
    }
  return TRUE;
}

static void
tn_sqlite_store_iface_init (TnStoreInterface *iface)
{
  iface->migrate = tn_sqlite_store_migrate;
  iface->ping = tn_sqlite_store_ping;
  iface->backup = tn_sqlite_store_backup;
  iface->count_users = tn_sqlite_store_count_users;
  iface->create_user = tn_sqlite_store_create_user;
  iface->get_user = tn_sqlite_store_get_user;
  iface->find_user_by_email = tn_sqlite_store_find_user_by_email;
  iface->list_users = tn_sqlite_store_list_users;
  iface->add_token = tn_sqlite_store_add_token;
  iface->lookup_token = tn_sqlite_store_lookup_token;
  iface->revoke_token = tn_sqlite_store_revoke_token;
  iface->create_event = tn_sqlite_store_create_event;
  iface->get_event = tn_sqlite_store_get_event;
  iface->list_events = tn_sqlite_store_list_events;
  iface->update_event = tn_sqlite_store_update_event;
  iface->delete_event = tn_sqlite_store_delete_event;
}

/* --- GObject ------------------------------------------------------------- */

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
tn_sqlite_store_finalize (GObject *object)
{
  TnSqliteStore *self = (TnSqliteStore *) object;

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close (self->db);
  g_free (self->path);

  G_OBJECT_CLASS (tn_sqlite_store_parent_class)->finalize (object);
}

static void
tn_sqlite_store_class_init (TnSqliteStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tn_sqlite_store_finalize;
}

static void
tn_sqlite_store_init (TnSqliteStore *self)
{
  self->statements = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, finalize_statement);
}

/**
 * tn_sqlite_store_new:
 * @path: the database file; created, with its directory, if missing
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the store, in WAL mode with foreign
 *   keys on and a busy timeout
 */
TnSqliteStore *
tn_sqlite_store_new (const char  *path,
                     GError     **error)
{
  g_autoptr(TnSqliteStore) self = NULL;
  g_autofree char *dir = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, TN_ERROR, TN_ERROR_INTERNAL, "Cannot create the directory %s: %s",
                   dir, g_strerror (saved_errno));
      return NULL;
    }

  self = g_object_new (TN_TYPE_SQLITE_STORE, NULL);
  self->path = g_strdup (path);
  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_INTERNAL, "Cannot open the database %s: %s",
                   path, self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 5000);

  if (!exec (self, "PRAGMA journal_mode = WAL", error) ||
      !exec (self, "PRAGMA synchronous = NORMAL", error) ||
      !exec (self, "PRAGMA foreign_keys = ON", error))
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }

  return g_steal_pointer (&self);
}
