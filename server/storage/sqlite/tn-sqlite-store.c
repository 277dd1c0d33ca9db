/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <sodium.h>

#include "tn-error.h"
#include "tn-id.h"
#include "tn-signed-ticket.h"
#include "tn-sqlite-store.h"
#include "tn-store-sql.h"
#include "tn-ticket-code.h"
#include "tn-time.h"

struct _TnSqliteStore
{
  GObject parent_instance;

  sqlite3    *db;
  char       *path;
  GHashTable *statements;   /* SQL text (static) → sqlite3_stmt */
  TnAuditEntry *audit;      /* pending for the next change: tn_store_set_audit() */
  GThread    *checkpointer; /* copies the WAL into the database file: checkpoint_thread() */
  GAsyncQueue *checkpoints; /* requests for it: CHECKPOINT_NOW or CHECKPOINT_QUIT */
  gboolean    batch;        /* a batch transaction is open: changes are savepoints */
  gboolean    in_savepoint; /* a change of the batch is running */
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

  /* 3: places and categories. The (lat, lon) index serves the bounding
   * box of a near query. Categories are Meetinity's, with the names the
   * demo data uses; events keep their category as free text, and one
   * matching no name here (ignoring case) counts under 'other'. Colours
   * are libadwaita's accent colours, icons from the Adwaita symbolic set. */
  "CREATE INDEX events_position ON events(lat, lon);"
  "CREATE TABLE categories ("
  "  slug     TEXT PRIMARY KEY,"
  "  name     TEXT NOT NULL UNIQUE COLLATE NOCASE,"
  "  colour   TEXT NOT NULL CHECK (colour GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),"
  "  icon     TEXT NOT NULL,"
  "  position INTEGER NOT NULL UNIQUE"
  ") WITHOUT ROWID;"
  "INSERT INTO categories (slug, name, colour, icon, position) VALUES"
  "  ('tech',              'Tech',              '#3584e4', 'computer-symbolic',               1),"
  "  ('music',             'Music',             '#9141ac', 'emblem-music-symbolic',           2),"
  "  ('sports',            'Sports',            '#e62d42', 'emoji-activities-symbolic',       3),"
  "  ('arts',              'Arts',              '#d56199', 'applications-graphics-symbolic',  4),"
  "  ('food-drink',        'Food & Drink',      '#ed5b00', 'emoji-food-symbolic',             5),"
  "  ('outdoors',          'Outdoors',          '#3a944a', 'emoji-nature-symbolic',           6),"
  "  ('community',         'Community',         '#c88800', 'system-users-symbolic',           7),"
  "  ('business',          'Business',          '#6f8396', 'x-office-presentation-symbolic',  8),"
  "  ('education',         'Education',         '#865e3c', 'accessories-dictionary-symbolic', 9),"
  "  ('health-wellness',   'Health & Wellness', '#2190a4', 'emblem-favorite-symbolic',        10),"
  "  ('family',            'Family',            '#f66151', 'emoji-people-symbolic',           11),"
  "  ('other',             'Other',             '#77767b', 'view-more-symbolic',              12);",

  /* 4: hosts and visibility. An event's team (co-hosts, staff assigned
   * for check-in) and its invited guests; the organizer stays in
   * events.organizer_id. The user index serves "what may I see". */
  "CREATE TABLE event_people ("
  "  event_id   TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,"
  "  user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
  "  role       TEXT NOT NULL CHECK (role IN ('cohost','staff','invited')),"
  "  created_at INTEGER NOT NULL,"
  "  PRIMARY KEY (event_id, user_id)"
  ") WITHOUT ROWID;"
  "CREATE INDEX event_people_user ON event_people(user_id);",

  /* 5: the audit log of admin and organizer actions. No foreign keys: a
   * record outlives the user, event or attendee it names. details is
   * JSON text of what changed. */
  "CREATE TABLE audit_log ("
  "  seq         INTEGER PRIMARY KEY,"
  "  at          INTEGER NOT NULL,"
  "  actor_id    TEXT,"
  "  actor_email TEXT,"
  "  action      TEXT NOT NULL,"
  "  target_type TEXT NOT NULL,"
  "  target_id   TEXT,"
  "  event_id    TEXT,"
  "  details     TEXT"
  ");"
  "CREATE INDEX audit_log_event ON audit_log(event_id, seq);"
  "CREATE INDEX audit_log_at ON audit_log(at);",

  /* 6: seats taken and people waiting, kept on the event row by triggers
   * on every path that adds, changes or removes an attendee, so that an
   * RSVP reads two numbers instead of counting the attendees (a count
   * costs in proportion to them: 20,000 going made it the bulk of an
   * RSVP). The full-text index is rewritten only when an indexed column
   * changes, no longer for every update of the row (counters, version). */
  "ALTER TABLE events ADD COLUMN going_count INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE events ADD COLUMN waitlisted_count INTEGER NOT NULL DEFAULT 0;"
  "UPDATE events SET"
  "  going_count = (SELECT count(*) FROM attendees a WHERE a.event_id = events.id AND a.status = 'going'),"
  "  waitlisted_count = (SELECT count(*) FROM attendees a WHERE a.event_id = events.id AND a.status = 'waitlisted');"
  "CREATE TRIGGER attendees_count_insert AFTER INSERT ON attendees BEGIN"
  "  UPDATE events SET going_count = going_count + (new.status = 'going'),"
  "    waitlisted_count = waitlisted_count + (new.status = 'waitlisted') WHERE id = new.event_id;"
  "END;"
  "CREATE TRIGGER attendees_count_delete AFTER DELETE ON attendees BEGIN"
  "  UPDATE events SET going_count = going_count - (old.status = 'going'),"
  "    waitlisted_count = waitlisted_count - (old.status = 'waitlisted') WHERE id = old.event_id;"
  "END;"
  "CREATE TRIGGER attendees_count_update AFTER UPDATE OF status, event_id ON attendees"
  "  WHEN old.status IS NOT new.status OR old.event_id IS NOT new.event_id BEGIN"
  "  UPDATE events SET going_count = going_count - (old.status = 'going'),"
  "    waitlisted_count = waitlisted_count - (old.status = 'waitlisted') WHERE id = old.event_id;"
  "  UPDATE events SET going_count = going_count + (new.status = 'going'),"
  "    waitlisted_count = waitlisted_count + (new.status = 'waitlisted') WHERE id = new.event_id;"
  "END;"
  /* The full-text index is brought up to date once per transaction, not
   * per statement: FTS5 writes a new segment at every savepoint, and a
   * batch of changes is one savepoint each (sync_search_index()). The
   * triggers note which events changed, with the values the index holds
   * for them (indexed = 1) or that it holds none yet (indexed = 0); only
   * the first note of a transaction counts. Only changes of indexed
   * columns count. */
  "CREATE TABLE events_fts_pending ("
  "  event_rowid INTEGER PRIMARY KEY,"
  "  indexed     INTEGER NOT NULL,"
  "  title TEXT, description TEXT, location TEXT, category TEXT, tags TEXT"
  ");"
  "DROP TRIGGER events_fts_insert;"
  "DROP TRIGGER events_fts_delete;"
  "DROP TRIGGER events_fts_update;"
  "CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN"
  "  INSERT OR IGNORE INTO events_fts_pending (event_rowid, indexed) VALUES (new.rowid, 0);"
  "END;"
  "CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN"
  "  INSERT OR IGNORE INTO events_fts_pending VALUES"
  "    (old.rowid, 1, old.title, old.description, old.location, old.category, old.tags);"
  "END;"
  "CREATE TRIGGER events_fts_update AFTER UPDATE OF title, description, location, category, tags ON events BEGIN"
  "  INSERT OR IGNORE INTO events_fts_pending VALUES"
  "    (old.rowid, 1, old.title, old.description, old.location, old.category, old.tags);"
  "END;",

  /* 7: check-in (docs/CHECKIN.md). Door devices and their one-time
   * pairing codes (both kept as hashes), each event's Ed25519 key pair,
   * scans, and one server-wide sequence for the sync data: triggers give
   * every change of an attendee (its ticket included) and every revoked
   * ticket the next number, the store does so for scans. Rows from
   * before get numbers in the order they were made. */
  "CREATE TABLE sync_counter ("
  "  id  INTEGER PRIMARY KEY CHECK (id = 1),"
  "  seq INTEGER NOT NULL"
  ");"
  "INSERT INTO sync_counter (id, seq) VALUES (1, 0);"
  "CREATE TABLE event_keys ("
  "  event_id   TEXT PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,"
  "  public_key BLOB NOT NULL CHECK (length(public_key) = 32),"
  "  secret_key BLOB NOT NULL CHECK (length(secret_key) = 64),"
  "  created_at INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE TABLE pairing_codes ("
  "  hash       TEXT PRIMARY KEY,"
  "  event_id   TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,"
  "  role       TEXT NOT NULL CHECK (role IN ('steward','supervisor')),"
  "  name       TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  expires_at INTEGER NOT NULL,"
  "  used_at    INTEGER"
  ") WITHOUT ROWID;"
  "CREATE TABLE devices ("
  "  id           TEXT PRIMARY KEY,"
  "  event_id     TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,"
  "  name         TEXT NOT NULL,"
  "  role         TEXT NOT NULL CHECK (role IN ('steward','supervisor')),"
  "  token_hash   TEXT NOT NULL UNIQUE,"
  "  created_at   INTEGER NOT NULL,"
  "  last_seen_at INTEGER,"
  "  revoked_at   INTEGER"
  ");"
  "CREATE INDEX devices_event ON devices(event_id, created_at);"
  "CREATE TABLE checkins ("
  "  id              TEXT PRIMARY KEY,"
  "  event_id        TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,"
  "  code            TEXT NOT NULL,"                /* as scanned */
  "  ticket_code     TEXT,"                         /* the short code it names, when known */
  "  attendee_id     TEXT,"
  "  direction       TEXT NOT NULL CHECK (direction IN ('in','out')),"
  "  scanned_at      INTEGER NOT NULL,"
  "  received_at     INTEGER NOT NULL,"
  "  device          TEXT NOT NULL,"
  "  local_verdict   TEXT,"
  "  verdict         TEXT NOT NULL CHECK (verdict IN ('accepted','duplicate','unknown','wrong_event',"
  "                    'revoked','not_going','not_inside')),"
  "  flagged         INTEGER NOT NULL DEFAULT 0,"
  "  undone_at       INTEGER,"
  "  prev_scanned_at INTEGER,"
  "  prev_device     TEXT,"
  "  sync_seq        INTEGER NOT NULL"
  ");"
  "CREATE INDEX checkins_ticket ON checkins(event_id, ticket_code, scanned_at);"
  "CREATE INDEX checkins_sync ON checkins(event_id, sync_seq);"
  "ALTER TABLE attendees ADD COLUMN sync_seq INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE tickets ADD COLUMN sync_seq INTEGER NOT NULL DEFAULT 0;"
  "UPDATE attendees SET sync_seq = rowid;"
  "UPDATE sync_counter SET seq = coalesce ((SELECT max(rowid) FROM attendees), 0);"
  "UPDATE tickets SET sync_seq = (SELECT seq FROM sync_counter) +"
  "  (SELECT count(*) FROM tickets r WHERE r.revoked_at IS NOT NULL AND r.code <= tickets.code)"
  "  WHERE revoked_at IS NOT NULL;"
  "UPDATE sync_counter SET seq = seq + (SELECT count(*) FROM tickets WHERE revoked_at IS NOT NULL);"
  "CREATE INDEX attendees_sync ON attendees(event_id, sync_seq);"
  "CREATE INDEX tickets_sync ON tickets(event_id, sync_seq) WHERE revoked_at IS NOT NULL;"
  /* Recursive triggers are off: the triggers' own updates fire nothing. */
  "CREATE TRIGGER attendees_sync_insert AFTER INSERT ON attendees BEGIN"
  "  UPDATE sync_counter SET seq = seq + 1;"
  "  UPDATE attendees SET sync_seq = (SELECT seq FROM sync_counter) WHERE rowid = new.rowid;"
  "END;"
  "CREATE TRIGGER attendees_sync_update AFTER UPDATE ON attendees WHEN new.sync_seq IS old.sync_seq BEGIN"
  "  UPDATE sync_counter SET seq = seq + 1;"
  "  UPDATE attendees SET sync_seq = (SELECT seq FROM sync_counter) WHERE rowid = new.rowid;"
  "END;"
  "CREATE TRIGGER tickets_sync_insert AFTER INSERT ON tickets BEGIN"
  "  UPDATE sync_counter SET seq = seq + 1;"
  "  UPDATE attendees SET sync_seq = (SELECT seq FROM sync_counter) WHERE id = new.attendee_id;"
  "END;"
  "CREATE TRIGGER tickets_sync_revoke AFTER UPDATE OF revoked_at ON tickets"
  "  WHEN old.revoked_at IS NULL AND new.revoked_at IS NOT NULL BEGIN"
  "  UPDATE sync_counter SET seq = seq + 1;"
  "  UPDATE tickets SET sync_seq = (SELECT seq FROM sync_counter) WHERE code = new.code;"
  "  UPDATE sync_counter SET seq = seq + 1;"
  "  UPDATE attendees SET sync_seq = (SELECT seq FROM sync_counter) WHERE id = new.attendee_id;"
  "END;",

  /* 8: devices whose rows went with their event, kept by their token
   * hash: a door of a deleted event must be told device_revoked, not
   * unauthorized, so that it wipes what it holds (docs/CHECKIN.md,
   * "Devices"). revoked_at is when it was revoked, else when it went (by
   * SQLite's clock: no caller passes a time to a cascade). */
  "CREATE TABLE removed_devices ("
  "  token_hash   TEXT PRIMARY KEY,"
  "  id           TEXT NOT NULL,"
  "  event_id     TEXT NOT NULL,"
  "  name         TEXT NOT NULL,"
  "  role         TEXT NOT NULL,"
  "  created_at   INTEGER NOT NULL,"
  "  last_seen_at INTEGER,"
  "  revoked_at   INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE TRIGGER devices_removed AFTER DELETE ON devices BEGIN"
  "  INSERT OR REPLACE INTO removed_devices"
  "    (token_hash, id, event_id, name, role, created_at, last_seen_at, revoked_at)"
  "    VALUES (old.token_hash, old.id, old.event_id, old.name, old.role, old.created_at, old.last_seen_at,"
  "            coalesce (old.revoked_at, CAST (strftime ('%s', 'now') AS INTEGER)));"
  "END;",

  /* 9: recommendations (issue 7). Members follow each other (mutual
   * follows are friends); each list pages by (created_at, the other
   * user), on its index. A member's home (both or neither) and the
   * category names they chose, joined by TAG_SEPARATOR (NULL: none). */
  "CREATE TABLE follows ("
  "  follower_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
  "  followee_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
  "  created_at  INTEGER NOT NULL,"
  "  PRIMARY KEY (follower_id, followee_id),"
  "  CHECK (follower_id <> followee_id)"
  ") WITHOUT ROWID;"
  "CREATE INDEX follows_follower ON follows(follower_id, created_at, followee_id);"
  "CREATE INDEX follows_followee ON follows(followee_id, created_at, follower_id);"
  "ALTER TABLE users ADD COLUMN home_lat REAL;"
  "ALTER TABLE users ADD COLUMN home_lon REAL;"
  "ALTER TABLE users ADD COLUMN interests TEXT;",

  /* 10: a member's answered events from the index alone (the event ids
   * are in it): every recommendation request reads them, and through
   * attendees_user each answer cost a read of its row. */
  "CREATE INDEX attendees_user_event ON attendees(user_id, event_id);"
  "DROP INDEX attendees_user;",
};

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

/* Runs a prepared, bound statement that returns no rows, and resets it. */
static gboolean
step_bound (TnSqliteStore  *self,
            sqlite3_stmt   *stmt,
            GError        **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, rc, error);
  return TRUE;
}

/* Runs a cached statement that returns no rows. */
static gboolean
step_done (TnSqliteStore  *self,
           const char     *sql,
           GError        **error)
{
  sqlite3_stmt *stmt = prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  if (!step_bound (self, stmt, error))
    return FALSE;
  return TRUE;
}

/* Brings the full-text index up to date with the events the transaction
 * changed (see migration 6), just before it commits. */
static gboolean
sync_search_index (TnSqliteStore  *self,
                   GError        **error)
{
  gint64 pending = 0;
  sqlite3_stmt *stmt = prepare (self, "SELECT EXISTS (SELECT 1 FROM events_fts_pending)", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    pending = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return set_sqlite_error (self, rc, error);
  if (!pending)
    return TRUE;

  return step_done (self,
                    "INSERT INTO events_fts (events_fts, rowid, title, description, location, category, tags) "
                    "SELECT 'delete', event_rowid, title, description, location, category, tags "
                    "FROM events_fts_pending WHERE indexed", error) &&
         step_done (self,
                    "INSERT INTO events_fts (rowid, title, description, location, category, tags) "
                    "SELECT e.rowid, e.title, e.description, e.location, e.category, e.tags "
                    "FROM events_fts_pending p JOIN events e ON e.rowid = p.event_rowid", error) &&
         step_done (self, "DELETE FROM events_fts_pending", error);
}

/* Every change runs between begin() and commit() or rollback(). Alone it
 * is its own transaction; inside a batch (tn_store_begin_batch()) it is a
 * savepoint of the batch's transaction, so that a change that fails
 * undoes only itself and the batch commits (and syncs) once for all. */
static gboolean
begin (TnSqliteStore  *self,
       GError        **error)
{
  if (!self->batch)
    return step_done (self, "BEGIN IMMEDIATE", error);

  /* An I/O error or a full disk can make SQLite roll back the whole
   * transaction: then the batch's earlier changes are gone, and this one
   * must not be stored as if it belonged to it. */
  if (sqlite3_get_autocommit (self->db))
    {
      g_set_error_literal (error, TN_ERROR, TN_ERROR_INTERNAL, "The database failed");
      return FALSE;
    }
  g_return_val_if_fail (!self->in_savepoint, FALSE);
  if (!step_done (self, "SAVEPOINT tn_change", error))
    return FALSE;
  self->in_savepoint = TRUE;
  return TRUE;
}

static gboolean
commit (TnSqliteStore  *self,
        GError        **error)
{
  if (!self->batch)
    return sync_search_index (self, error) && step_done (self, "COMMIT", error);
  if (!step_done (self, "RELEASE tn_change", error))
    return FALSE;
  self->in_savepoint = FALSE;
  return TRUE;
}

static void
rollback (TnSqliteStore *self)
{
  if (sqlite3_get_autocommit (self->db))
    {
      self->in_savepoint = FALSE;
      return;
    }
  if (!self->batch)
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return;
    }
  if (self->in_savepoint)
    {
      sqlite3_exec (self->db, "ROLLBACK TO tn_change; RELEASE tn_change", NULL, NULL, NULL);
      self->in_savepoint = FALSE;
    }
}

/* The pending audit entry, for the change about to run: it applies to that
 * change only, whether it succeeds or not. */
static TnAuditEntry *
take_audit (TnSqliteStore *self)
{
  return g_steal_pointer (&self->audit);
}

/* Records @audit (nothing when NULL) inside the caller's transaction;
 * @target_id, when not NULL, replaces the entry's (an id the store made). */
static gboolean
write_audit (TnSqliteStore       *self,
             const TnAuditEntry  *audit,
             const char          *target_id,
             GError             **error)
{
  sqlite3_stmt *stmt;

  if (audit == NULL)
    return TRUE;
  stmt = prepare (self,
                  "INSERT INTO audit_log (at, actor_id, actor_email, action, target_type, target_id, "
                  "  event_id, details) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, tn_time_now ());
  bind_text (stmt, 2, audit->actor_id);
  bind_text (stmt, 3, audit->actor_email);
  bind_text (stmt, 4, audit->action);
  bind_text (stmt, 5, audit->target_type);
  bind_text (stmt, 6, target_id != NULL ? target_id : audit->target_id);
  bind_text (stmt, 7, audit->event_id);
  bind_text (stmt, 8, audit->details);
  if (!step_bound (self, stmt, error))
    return FALSE;
  return TRUE;
}

/* Reads the row of a bound statement that finds at most one: @read makes
 * the object; no row is %TN_ERROR_NOT_FOUND with @missing. */
typedef gpointer (*RowFunc) (sqlite3_stmt *stmt);

static gpointer
fetch_one (TnSqliteStore  *self,
           sqlite3_stmt   *stmt,
           RowFunc         read,
           const char     *missing,
           GError        **error)
{
  gpointer object = NULL;
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    object = read (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error_literal (error, TN_ERROR, TN_ERROR_NOT_FOUND, missing);
  else
    set_sqlite_error (self, rc, error);
  sqlite3_reset (stmt);
  return object;
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

/* Splits a column joined by TAG_SEPARATOR (NULL or empty: none). */
static char **
split_column (sqlite3_stmt *stmt,
              int           index)
{
  const char *text = (const char *) sqlite3_column_text (stmt, index);

  if (text == NULL || text[0] == '\0')
    return g_new0 (char *, 1);
  return g_strsplit (text, TAG_SEPARATOR, -1);
}

static double
column_double_or_nan (sqlite3_stmt *stmt,
                      int           index)
{
  return sqlite3_column_type (stmt, index) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, index);
}

/* Reads PROFILE_COLUMNS from @first on into @user. */
static void
profile_from_row (TnUser       *user,
                  sqlite3_stmt *stmt,
                  int           first)
{
  g_auto(GStrv) interests = split_column (stmt, first + 2);

  tn_user_set_profile (user, column_double_or_nan (stmt, first), column_double_or_nan (stmt, first + 1),
                       (const char * const *) interests);
}

/* Returns a new TnEvent (gpointer: a RowFunc for fetch_one()). */
static gpointer
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
              gboolean        is_new,
              GError        **error)
{
  const char * const *tags = tn_event_get_tags (event);
  sqlite3_stmt *stmt;
  int rc;

  /* A new event has none to remove. */
  if (!is_new)
    {
      stmt = prepare (self, "DELETE FROM event_tags WHERE event_id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, tn_event_get_id (event));
      if (!step_bound (self, stmt, error))
        return FALSE;
    }

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

static gboolean ensure_event_key (TnSqliteStore  *self,
                                  const char     *event_id,
                                  GError        **error);
static gboolean promote_waitlist (TnSqliteStore  *self,
                                  const char     *event_id,
                                  gint64          now,
                                  GError        **error);

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
  g_autoptr(TnAuditEntry) audit = take_audit (self);
  gint64 now = tn_time_now ();
  sqlite3_stmt *stmt;
  int rc;

  if (!begin (self, error))
    return NULL;
  stmt = prepare (self,
                  "INSERT INTO users (id, email, name, password_hash, role, created_at) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  if (stmt == NULL)
    {
      rollback (self);
      return NULL;
    }
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
        g_set_error (error, TN_ERROR, TN_ERROR_CONFLICT, "A user with this e-mail address exists already");
      else
        set_sqlite_error (self, rc, error);
      rollback (self);
      return NULL;
    }
  if (!write_audit (self, audit, NULL, error) || !commit (self, error))
    {
      rollback (self);
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
  sqlite3_stmt *stmt = prepare (self, "SELECT " USER_COLUMNS ", " PROFILE_COLUMNS " FROM users WHERE id = ?1",
                                error);
  TnUser *user;
  int rc;

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      g_set_error (error, TN_ERROR, TN_ERROR_NOT_FOUND, "No such user");
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (self, rc, error);
      sqlite3_reset (stmt);
      return NULL;
    }
  user = user_from_row (stmt, 0);
  profile_from_row (user, stmt, 5);
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

  stmt = prepare (self,
                  "INSERT INTO tokens (hash, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, token_hash);
  bind_text (stmt, 2, user_id);
  sqlite3_bind_int64 (stmt, 3, tn_time_now ());
  sqlite3_bind_int64 (stmt, 4, expires_at);
  if (!step_bound (self, stmt, error))
    return FALSE;
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

  stmt = prepare (self, "UPDATE tokens SET revoked_at = ?2 WHERE hash = ?1 AND revoked_at IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, token_hash);
  sqlite3_bind_int64 (stmt, 2, tn_time_now ());
  if (!step_bound (self, stmt, error))
    return FALSE;
  return TRUE;
}

static TnEvent *
tn_sqlite_store_get_event (TnStore     *store,
                           const char  *id,
                           GError     **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  sqlite3_stmt *stmt = prepare (self, "SELECT " EVENT_COLUMNS " FROM events WHERE id = ?1", error);

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, id);
  return fetch_one (self, stmt, event_from_row, "No such event", error);
}

static TnEvent *
tn_sqlite_store_create_event (TnStore     *store,
                              TnEvent     *event,
                              GError     **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  g_autoptr(TnAuditEntry) audit = take_audit (self);
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
  if (!replace_tags (self, event, TRUE, error) || !write_audit (self, audit, NULL, error) ||
      !commit (self, error))
    goto failed;

  return tn_sqlite_store_get_event (store, tn_event_get_id (event), error);

failed:
  rollback (self);
  return NULL;
}

/* Who sees an event e in lists: admins (@all), everyone for a public
 * event; for an unlisted or private one its organizer, its team and
 * invited guests (event_people) and its attendees (an RSVP row). The
 * event lists, the calendar feed and the category counts share it, so
 * that they agree. */
#define LISTED_TO(all, viewer) \
  "(" all " OR e.visibility = 'public' OR e.organizer_id = " viewer " " \
  " OR EXISTS (SELECT 1 FROM event_people p WHERE p.event_id = e.id AND p.user_id = " viewer ") " \
  " OR EXISTS (SELECT 1 FROM attendees a WHERE a.event_id = e.id AND a.user_id = " viewer "))"

/* The filters of an event list on events e, parameters ?1–?8. A
 * category matches ignoring (ASCII) case, as the category counts do. */
#define LIST_FILTERS \
  "(?1 IS NULL OR e.ends_at >= ?1) " \
  "AND (?2 IS NULL OR e.starts_at < ?2) " \
  "AND (?3 IS NULL OR e.rowid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?3)) " \
  "AND (?4 IS NULL OR e.category = ?4 COLLATE NOCASE) " \
  "AND (?5 IS NULL OR EXISTS (SELECT 1 FROM event_tags t WHERE t.tag = ?5 AND t.event_id = e.id)) " \
  "AND (?6 IS NULL OR e.status = ?6) " \
  "AND " LISTED_TO ("?7", "?8") " "

/* An FTS5 query for what a user typed (TnEventQuery.search): events
 * containing every word, each as a prefix. Quoting every word keeps the
 * user's text out of the query syntax: `"` and operators are only ever
 * data. %NULL when @text has no words. */
static char *
fts5_query (const char *text)
{
  g_auto(GStrv) words = NULL;
  g_autoptr(GString) query = g_string_new (NULL);

  g_return_val_if_fail (text != NULL, NULL);

  words = g_strsplit_set (text, " \t\r\n", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (words[i][0] == '\0')
        continue;
      if (query->len > 0)
        g_string_append_c (query, ' ');
      g_string_append_c (query, '"');
      for (const char *p = words[i]; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (query, '"');
          g_string_append_c (query, *p);
        }
      g_string_append (query, "\"*");
    }
  if (query->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&query), FALSE);
}

/* tn_distance_km(lat1, lon1, lat2, lon2) in SQL; NULL if any is NULL. */
static void
sql_distance_km (sqlite3_context  *context,
                 int               argc,
                 sqlite3_value   **argv)
{
  g_assert (argc == 4);
  for (int i = 0; i < argc; i++)
    if (sqlite3_value_type (argv[i]) == SQLITE_NULL)
      {
        sqlite3_result_null (context);
        return;
      }
  sqlite3_result_double (context, tn_store_distance_km (sqlite3_value_double (argv[0]), sqlite3_value_double (argv[1]),
                                               sqlite3_value_double (argv[2]), sqlite3_value_double (argv[3])));
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
  g_autofree char *fts = NULL;
  sqlite3_stmt *stmt;
  int rc;

  /* One statement for every combination of filters: an unset filter is a
   * NULL parameter, so the statement is prepared once. */
  if (!query->near)
    stmt = prepare (self,
                    "SELECT " EVENT_COLUMNS " FROM events e "
                    "WHERE " LIST_FILTERS
                    "  AND (?10 IS NULL OR e.starts_at > ?9 OR (e.starts_at = ?9 AND e.id > ?10)) "
                    "ORDER BY e.starts_at, e.id LIMIT ?11", error);
  else
    /* The box (?14–?18) picks candidates by index; the exact distance
     * from (?12, ?13) filters (?19) and orders. The keyset is
     * (distance, starts_at, id): one function, one double per event, so
     * the cursor's distance compares equal to the one computed again. */
    stmt = prepare (self,
                    "SELECT * FROM ("
                    "  SELECT " EVENT_COLUMNS ", tn_distance_km (?12, ?13, e.lat, e.lon) AS distance "
                    "  FROM events e "
                    "  WHERE e.lat BETWEEN ?14 AND ?15 "
                    "    AND (CASE WHEN ?18 THEN e.lon >= ?16 OR e.lon <= ?17 ELSE e.lon BETWEEN ?16 AND ?17 END) "
                    "    AND " LIST_FILTERS
                    ") WHERE distance <= ?19 "
                    "  AND (?10 IS NULL OR distance > ?20 OR "
                    "       (distance = ?20 AND (starts_at > ?9 OR (starts_at = ?9 AND id > ?10)))) "
                    "ORDER BY distance, starts_at, id LIMIT ?11", error);
  if (stmt == NULL)
    return NULL;

  if (query->near)
    {
      TnNearBox box;

      tn_store_near_box (query->near_lat, query->near_lon, query->radius_km, &box);
      sqlite3_bind_double (stmt, 12, query->near_lat);
      sqlite3_bind_double (stmt, 13, query->near_lon);
      sqlite3_bind_double (stmt, 14, box.min_lat);
      sqlite3_bind_double (stmt, 15, box.max_lat);
      sqlite3_bind_double (stmt, 16, box.min_lon);
      sqlite3_bind_double (stmt, 17, box.max_lon);
      sqlite3_bind_int (stmt, 18, box.wraps ? 1 : 0);
      sqlite3_bind_double (stmt, 19, query->radius_km);
      sqlite3_bind_double (stmt, 20, query->after_distance_km);
    }
  if (query->from != 0)
    sqlite3_bind_int64 (stmt, 1, query->from);
  if (query->to != 0)
    sqlite3_bind_int64 (stmt, 2, query->to);
  fts = query->search != NULL ? fts5_query (query->search) : NULL;
  bind_text (stmt, 3, fts);
  bind_text (stmt, 4, query->category);
  bind_text (stmt, 5, query->tag);
  bind_text (stmt, 6, query->status);
  sqlite3_bind_int (stmt, 7, query->viewer_sees_all ? 1 : 0);
  bind_text (stmt, 8, query->viewer_id);
  sqlite3_bind_int64 (stmt, 9, query->after_starts_at);
  bind_text (stmt, 10, query->after_id);
  sqlite3_bind_int (stmt, 11, (int) limit + 1);

  if (query->out_distances != NULL)
    g_array_set_size (query->out_distances, 0);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (events, event_from_row (stmt));
      if (query->near && query->out_distances != NULL)
        {
          double distance = sqlite3_column_double (stmt, 20);

          g_array_append_val (query->out_distances, distance);
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, error);
      return NULL;
    }

  *out_more = events->len > limit;
  if (*out_more)
    {
      g_ptr_array_set_size (events, limit);
      if (query->near && query->out_distances != NULL)
        g_array_set_size (query->out_distances, limit);
    }
  return g_steal_pointer (&events);
}

static TnEvent *
tn_sqlite_store_update_event (TnStore     *store,
                              TnEvent     *event,
                              gint64       expected_version,
                              GError     **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  g_autoptr(TnAuditEntry) audit = take_audit (self);
  sqlite3_stmt *stmt;

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
  if (!step_bound (self, stmt, error))
    goto failed;
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
  /* A larger capacity seats people from the waitlist at once. */
  if (!replace_tags (self, event, FALSE, error) ||
      !promote_waitlist (self, tn_event_get_id (event), tn_time_now (), error) ||
      !write_audit (self, audit, NULL, error) ||
      !commit (self, error))
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
  g_autoptr(TnAuditEntry) audit = take_audit (self);
  sqlite3_stmt *stmt;

  if (!begin (self, error))
    return FALSE;
  stmt = prepare (self, "DELETE FROM events WHERE id = ?1 AND (?2 < 0 OR version = ?2)", error);
  if (stmt == NULL)
    goto failed;
  bind_text (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, expected_version);
  if (!step_bound (self, stmt, error))
    goto failed;
  if (sqlite3_changes (self->db) == 0)
    {
      g_autoptr(TnEvent) current = tn_sqlite_store_get_event (store, id, error);

      if (current != NULL)
        g_set_error (error, TN_ERROR, TN_ERROR_CONFLICT,
                     "The event changed meanwhile: it is at version %" G_GINT64_FORMAT,
                     tn_event_get_version (current));
      goto failed;
    }
  if (!write_audit (self, audit, NULL, error) || !commit (self, error))
    goto failed;
  return TRUE;

failed:
  rollback (self);
  return FALSE;
}

/* --- categories --------------------------------------------------------- */

static GPtrArray *
tn_sqlite_store_list_categories (TnStore     *store,
                                 const char  *viewer_id,
                                 gboolean     viewer_sees_all,
                                 gint64       now,
                                 GError     **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  g_autoptr(GPtrArray) categories = g_ptr_array_new_with_free_func ((GDestroyNotify) tn_category_free);
  sqlite3_stmt *stmt;
  int rc;

  /* Upcoming is what a list with from=now and status=scheduled shows.
   * One pass over the events, counted by slug, then joined. */
  stmt = prepare (self,
                  "SELECT c.slug, c.name, c.colour, c.icon, coalesce (n.upcoming, 0) FROM categories c "
                  "LEFT JOIN ("
                  "  SELECT coalesce ((SELECT k.slug FROM categories k "
                  "                    WHERE k.name = e.category COLLATE NOCASE), 'other') AS slug, "
                  "         count(*) AS upcoming "
                  "  FROM events e "
                  "  WHERE e.status = 'scheduled' AND e.ends_at >= ?1 AND " LISTED_TO ("?2", "?3")
                  "  GROUP BY 1"
                  ") n ON n.slug = c.slug "
                  "ORDER BY c.position", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int (stmt, 2, viewer_sees_all ? 1 : 0);
  bind_text (stmt, 3, viewer_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TnCategory *category = g_new0 (TnCategory, 1);

      category->slug = g_strdup (column_text (stmt, 0));
      category->name = g_strdup (column_text (stmt, 1));
      category->colour = g_strdup (column_text (stmt, 2));
      category->icon = g_strdup (column_text (stmt, 3));
      category->upcoming_events = sqlite3_column_int64 (stmt, 4);
      g_ptr_array_add (categories, category);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&categories);
}

/* --- RSVPs ---------------------------------------------------------------- */

#define ATTENDEE_COLUMNS \
  "a.id, a.event_id, a.user_id, a.name, a.email, a.status, a.ticket_type, a.note, " \
  "a.created_at, a.updated_at, " \
  "(SELECT t.code FROM tickets t WHERE t.attendee_id = a.id AND t.revoked_at IS NULL), " \
  "CASE a.status WHEN 'waitlisted' THEN (SELECT e.waitlisted_count FROM events e WHERE e.id = a.event_id) - " \
  "  (SELECT count(*) FROM attendees w " \
  "   WHERE w.event_id = a.event_id AND w.status = 'waitlisted' AND w.waitlist_seq > a.waitlist_seq) END"

/* Returns a new TnAttendee (gpointer: a RowFunc for fetch_one()). */
static gpointer
attendee_from_row (sqlite3_stmt *stmt)
{
  TnAttendee *attendee = tn_attendee_new ();
  TnRsvpStatus status = TN_RSVP_NOT_GOING;

  tn_attendee_set_id (attendee, column_text (stmt, 0));
  tn_attendee_set_event_id (attendee, column_text (stmt, 1));
  tn_attendee_set_user_id (attendee, (const char *) sqlite3_column_text (stmt, 2));
  tn_attendee_set_name (attendee, column_text (stmt, 3));
  tn_attendee_set_email (attendee, column_text (stmt, 4));
  tn_rsvp_status_from_string (column_text (stmt, 5), &status);
  tn_attendee_set_status (attendee, status);
  tn_attendee_set_ticket_type (attendee, column_text (stmt, 6));
  tn_attendee_set_note (attendee, column_text (stmt, 7));
  tn_attendee_set_created_at (attendee, sqlite3_column_int64 (stmt, 8));
  tn_attendee_set_updated_at (attendee, sqlite3_column_int64 (stmt, 9));
  tn_attendee_set_ticket_code (attendee, (const char *) sqlite3_column_text (stmt, 10));
  tn_attendee_set_waitlist_position (attendee, (guint) sqlite3_column_int64 (stmt, 11));
  return attendee;
}

static TnAttendee *
tn_sqlite_store_get_rsvp (TnStore     *store,
                          const char  *event_id,
                          const char  *user_id,
                          GError     **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  stmt = prepare (self, "SELECT " ATTENDEE_COLUMNS " FROM attendees a WHERE a.event_id = ?1 AND a.user_id = ?2",
                  error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, event_id);
  bind_text (stmt, 2, user_id);
  return fetch_one (self, stmt, attendee_from_row, "You have not answered for this event", error);
}

/* Runs a cached statement that returns one integer (NULL reads as 0). */
static gboolean
query_int (TnSqliteStore  *self,
           const char     *sql,
           const char     *text_param,
           gint64         *out,
           GError        **error)
{
  sqlite3_stmt *stmt = prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, text_param);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return set_sqlite_error (self, rc, error);
    }
  *out = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
issue_ticket (TnSqliteStore  *self,
              const char     *attendee_id,
              const char     *event_id,
              gint64          now,
              GError        **error)
{
  g_autofree char *code = tn_ticket_code_new ();
  sqlite3_stmt *stmt;

  if (!ensure_event_key (self, event_id, error))
    return FALSE;
  stmt = prepare (self, "INSERT INTO tickets (code, attendee_id, event_id, issued_at) VALUES (?1, ?2, ?3, ?4)",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, code);
  bind_text (stmt, 2, attendee_id);
  bind_text (stmt, 3, event_id);
  sqlite3_bind_int64 (stmt, 4, now);
  if (!step_bound (self, stmt, error))
    return FALSE;
  return TRUE;
}

/* Fills free seats from the head of the waitlist, in order; each promoted
 * attendee gets a ticket. Runs inside the caller's transaction. */
static gboolean
promote_waitlist (TnSqliteStore  *self,
                  const char     *event_id,
                  gint64          now,
                  GError        **error)
{
  for (;;)
    {
      g_autofree char *next = NULL;
      gint64 capacity, going;
      sqlite3_stmt *stmt;
      int rc;

      if (!query_int (self, "SELECT coalesce(capacity, -1) FROM events WHERE id = ?1", event_id, &capacity, error) ||
          !query_int (self, "SELECT going_count FROM events WHERE id = ?1", event_id, &going, error))
        return FALSE;
      if (capacity >= 0 && going >= capacity)
        return TRUE;

      stmt = prepare (self,
                      "SELECT id FROM attendees WHERE event_id = ?1 AND status = 'waitlisted' "
                      "ORDER BY waitlist_seq LIMIT 1", error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, event_id);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        next = g_strdup (column_text (stmt, 0));
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return set_sqlite_error (self, rc, error);
      if (next == NULL)
        return TRUE;

      stmt = prepare (self,
                      "UPDATE attendees SET status = 'going', waitlist_seq = NULL, updated_at = ?2 WHERE id = ?1",
                      error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, next);
      sqlite3_bind_int64 (stmt, 2, now);
      if (!step_bound (self, stmt, error))
        return FALSE;
      if (!issue_ticket (self, next, event_id, now, error))
        return FALSE;
    }
}

/* Inside the caller's transaction: checks that @event_id exists and still
 * takes answers (not cancelled, not over), and reads its capacity (-1:
 * unlimited) and whether it has a waitlist. */
static gboolean
open_event_for_answers (TnSqliteStore  *self,
                        const char     *event_id,
                        gint64          now,
                        gint64         *out_capacity,
                        gboolean       *out_waitlist,
                        GError        **error)
{
  sqlite3_stmt *stmt;
  gboolean cancelled = FALSE;
  gint64 ends_at = 0;
  int rc;

  stmt = prepare (self, "SELECT coalesce(capacity, -1), waitlist, status, ends_at FROM events WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, event_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_capacity = sqlite3_column_int64 (stmt, 0);
      *out_waitlist = sqlite3_column_int (stmt, 1) != 0;
      cancelled = g_str_equal (column_text (stmt, 2), "cancelled");
      ends_at = sqlite3_column_int64 (stmt, 3);
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_NOT_FOUND, "No such event");
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return set_sqlite_error (self, rc, error);
  if (cancelled)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_CONFLICT, "This event is cancelled: it takes no more answers");
      return FALSE;
    }
  if (ends_at <= now)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_CONFLICT, "This event is over: it takes no more answers");
      return FALSE;
    }
  return TRUE;
}

/* What a wish for a seat gets, inside the caller's transaction: going
 * when a seat is free and nobody waits; else the end of the waitlist
 * (@out_waitlist_seq) if the event has one; else TN_ERROR_CAPACITY_FULL.
 * RSVPs and guests an organizer adds share it, so both follow one rule. */
static gboolean
seat_or_waitlist (TnSqliteStore  *self,
                  const char     *event_id,
                  gint64          capacity,
                  gboolean        has_waitlist,
                  TnRsvpStatus   *out_status,
                  gint64         *out_waitlist_seq,
                  GError        **error)
{
  gint64 going = 0, waiting = 0;

  if (!query_int (self, "SELECT going_count FROM events WHERE id = ?1", event_id, &going, error) ||
      !query_int (self, "SELECT waitlisted_count FROM events WHERE id = ?1", event_id, &waiting, error))
    return FALSE;
  /* Nobody jumps the queue: with people waiting, a free seat is theirs. */
  if ((capacity < 0 || going < capacity) && waiting == 0)
    {
      *out_status = TN_RSVP_GOING;
      return TRUE;
    }
  if (!has_waitlist)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_CAPACITY_FULL, "This event is full and has no waitlist");
      return FALSE;
    }
  *out_status = TN_RSVP_WAITLISTED;
  return query_int (self, "UPDATE events SET waitlist_counter = waitlist_counter + 1 WHERE id = ?1 "
                    "RETURNING waitlist_counter", event_id, out_waitlist_seq, error);
}

/* Revokes every valid ticket of @attendee_id, inside the caller's
 * transaction. */
static gboolean
revoke_tickets (TnSqliteStore  *self,
                const char     *attendee_id,
                gint64          now,
                GError        **error)
{
  sqlite3_stmt *stmt;

  stmt = prepare (self, "UPDATE tickets SET revoked_at = ?2 WHERE attendee_id = ?1 AND revoked_at IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, attendee_id);
  sqlite3_bind_int64 (stmt, 2, now);
  if (!step_bound (self, stmt, error))
    return FALSE;
  return TRUE;
}

static TnAttendee *
tn_sqlite_store_set_rsvp (TnStore       *store,
                          const char    *event_id,
                          TnUser        *user,
                          TnRsvpStatus   wanted,
                          gint64         now,
                          GError       **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  g_autoptr(TnAttendee) current = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *attendee_id = NULL;
  TnRsvpStatus previous, status;
  gint64 capacity = -1, waitlist_seq = 0;
  gboolean has_waitlist = FALSE;
  sqlite3_stmt *stmt;

  if (!begin (self, error))
    return NULL;
  if (!open_event_for_answers (self, event_id, now, &capacity, &has_waitlist, error))
    goto failed;

  /* A guest the organizer added under this user's e-mail address is this
   * user: the answer takes over that row (and its seat or ticket) rather
   * than clash with it on (event_id, email). */
  stmt = prepare (self,
                  "UPDATE attendees SET user_id = ?3, updated_at = ?4 "
                  "WHERE event_id = ?1 AND email = ?2 AND user_id IS NULL "
                  "  AND NOT EXISTS (SELECT 1 FROM attendees o WHERE o.event_id = ?1 AND o.user_id = ?3)", error);
  if (stmt == NULL)
    goto failed;
  bind_text (stmt, 1, event_id);
  bind_text (stmt, 2, tn_user_get_email (user));
  bind_text (stmt, 3, tn_user_get_id (user));
  sqlite3_bind_int64 (stmt, 4, now);
  if (!step_bound (self, stmt, error))
    goto failed;

  current = tn_sqlite_store_get_rsvp (store, event_id, tn_user_get_id (user), &local_error);
  if (current == NULL && !g_error_matches (local_error, TN_ERROR, TN_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      goto failed;
    }
  previous = current != NULL ? tn_attendee_get_status (current) : TN_RSVP_NOT_GOING;

  status = wanted;
  if (wanted == TN_RSVP_GOING)
    {
      if (previous == TN_RSVP_GOING || previous == TN_RSVP_WAITLISTED)
        {
          if (!commit (self, error))
            goto failed;
          return g_steal_pointer (&current);
        }
      if (!seat_or_waitlist (self, event_id, capacity, has_waitlist, &status, &waitlist_seq, error))
        goto failed;
    }

  if (current == NULL)
    {
      attendee_id = tn_id_new ();
      stmt = prepare (self,
                      "INSERT INTO attendees (id, event_id, user_id, name, email, status, waitlist_seq, "
                      "  created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)", error);
      if (stmt == NULL)
        goto failed;
      bind_text (stmt, 1, attendee_id);
      bind_text (stmt, 2, event_id);
      bind_text (stmt, 3, tn_user_get_id (user));
      bind_text (stmt, 4, tn_user_get_name (user));
      bind_text (stmt, 5, tn_user_get_email (user));
    }
  else
    {
      attendee_id = g_strdup (tn_attendee_get_id (current));
      stmt = prepare (self,
                      "UPDATE attendees SET status = ?6, waitlist_seq = ?7, updated_at = ?8 WHERE id = ?1",
                      error);
      if (stmt == NULL)
        goto failed;
      bind_text (stmt, 1, attendee_id);
    }
  bind_text (stmt, 6, tn_rsvp_status_to_string (status));
  if (status == TN_RSVP_WAITLISTED)
    sqlite3_bind_int64 (stmt, 7, waitlist_seq);
  sqlite3_bind_int64 (stmt, 8, now);
  if (!step_bound (self, stmt, error))
    goto failed;

  if (status == TN_RSVP_GOING && previous != TN_RSVP_GOING &&
      !issue_ticket (self, attendee_id, event_id, now, error))
    goto failed;
  if (previous == TN_RSVP_GOING && status != TN_RSVP_GOING &&
      !revoke_tickets (self, attendee_id, now, error))
    goto failed;
  if (!promote_waitlist (self, event_id, now, error) || !commit (self, error))
    goto failed;

  return tn_sqlite_store_get_rsvp (store, event_id, tn_user_get_id (user), error);

failed:
  rollback (self);
  return NULL;
}

/* --- hosts and visibility ----------------------------------------------- */

static gboolean
tn_sqlite_store_get_event_role (TnStore      *store,
                                const char   *event_id,
                                const char   *user_id,
                                TnEventRole  *out_role,
                                GError      **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;
  int rc;

  /* A team or guest-list role is always stronger than an RSVP. */
  stmt = prepare (self,
                  "SELECT CASE WHEN e.organizer_id = ?2 THEN 'organizer' ELSE coalesce ("
                  "  (SELECT p.role FROM event_people p WHERE p.event_id = e.id AND p.user_id = ?2), "
                  "  (SELECT 'attendee' FROM attendees a WHERE a.event_id = e.id AND a.user_id = ?2), "
                  "  'none') END "
                  "FROM events e WHERE e.id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, event_id);
  bind_text (stmt, 2, user_id);
  *out_role = TN_EVENT_ROLE_NONE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    tn_event_role_from_string (column_text (stmt, 0), out_role);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_sqlite_error (self, rc, error);
  return TRUE;
}

#define EVENT_PERSON_SELECT \
  "SELECT p.user_id, u.name, u.email, p.role FROM event_people p JOIN users u ON u.id = p.user_id "

static TnEventPerson *
event_person_from_row (sqlite3_stmt *stmt)
{
  TnEventPerson *person = g_new0 (TnEventPerson, 1);

  person->user_id = g_strdup (column_text (stmt, 0));
  person->name = g_strdup (column_text (stmt, 1));
  person->email = g_strdup (column_text (stmt, 2));
  person->role = TN_EVENT_ROLE_INVITED;
  tn_event_role_from_string (column_text (stmt, 3), &person->role);
  return person;
}

static GPtrArray *
tn_sqlite_store_list_event_people (TnStore     *store,
                                   const char  *event_id,
                                   GError     **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  g_autoptr(GPtrArray) people = g_ptr_array_new_with_free_func ((GDestroyNotify) tn_event_person_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (self,
                  EVENT_PERSON_SELECT "WHERE p.event_id = ?1 "
                  "ORDER BY CASE p.role WHEN 'cohost' THEN 0 WHEN 'staff' THEN 1 ELSE 2 END, "
                  "  u.name, p.user_id", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, event_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (people, event_person_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&people);
}

static TnEventPerson *
tn_sqlite_store_set_event_person (TnStore      *store,
                                  const char   *event_id,
                                  const char   *user_id,
                                  TnEventRole   role,
                                  gint64        now,
                                  GError      **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  g_autoptr(TnAuditEntry) audit = take_audit (self);
  TnEventPerson *person = NULL;
  sqlite3_stmt *stmt;
  gint64 found = 0;
  int rc;

  if (!begin (self, error))
    return NULL;
  if (!query_int (self, "SELECT count(*) FROM events WHERE id = ?1", event_id, &found, error))
    goto failed;
  if (found == 0)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_NOT_FOUND, "No such event");
      goto failed;
    }
  if (!query_int (self, "SELECT count(*) FROM users WHERE id = ?1", user_id, &found, error))
    goto failed;
  if (found == 0)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_NOT_FOUND, "No such user");
      goto failed;
    }

  stmt = prepare (self,
                  "INSERT INTO event_people (event_id, user_id, role, created_at) VALUES (?1, ?2, ?3, ?4) "
                  "ON CONFLICT (event_id, user_id) DO UPDATE SET role = excluded.role", error);
  if (stmt == NULL)
    goto failed;
  bind_text (stmt, 1, event_id);
  bind_text (stmt, 2, user_id);
  bind_text (stmt, 3, tn_event_role_to_string (role));
  sqlite3_bind_int64 (stmt, 4, now);
  if (!step_bound (self, stmt, error))
    goto failed;

  stmt = prepare (self, EVENT_PERSON_SELECT "WHERE p.event_id = ?1 AND p.user_id = ?2", error);
  if (stmt == NULL)
    goto failed;
  bind_text (stmt, 1, event_id);
  bind_text (stmt, 2, user_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    person = event_person_from_row (stmt);
  sqlite3_reset (stmt);
  if (person == NULL)
    {
      set_sqlite_error (self, rc, error);
      goto failed;
    }
  if (!write_audit (self, audit, NULL, error) || !commit (self, error))
    {
      tn_event_person_free (person);
      goto failed;
    }
  return person;

failed:
  rollback (self);
  return NULL;
}

static gboolean
tn_sqlite_store_remove_event_person (TnStore     *store,
                                     const char  *event_id,
                                     const char  *user_id,
                                     GError     **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  g_autoptr(TnAuditEntry) audit = take_audit (self);
  sqlite3_stmt *stmt;

  if (!begin (self, error))
    return FALSE;
  stmt = prepare (self, "DELETE FROM event_people WHERE event_id = ?1 AND user_id = ?2", error);
  if (stmt == NULL)
    goto failed;
  bind_text (stmt, 1, event_id);
  bind_text (stmt, 2, user_id);
  if (!step_bound (self, stmt, error))
    goto failed;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_NOT_FOUND, "This user is not on the event's team or guest list");
      goto failed;
    }
  if (!write_audit (self, audit, NULL, error) || !commit (self, error))
    goto failed;
  return TRUE;

failed:
  rollback (self);
  return FALSE;
}

/* --- attendees and tickets ------------------------------------------------ */

static TnAttendee *
tn_sqlite_store_get_attendee (TnStore     *store,
                              const char  *event_id,
                              const char  *attendee_id,
                              GError     **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  stmt = prepare (self, "SELECT " ATTENDEE_COLUMNS " FROM attendees a WHERE a.id = ?1 AND a.event_id = ?2", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, attendee_id);
  bind_text (stmt, 2, event_id);
  return fetch_one (self, stmt, attendee_from_row, "No such attendee", error);
}

static GPtrArray *
tn_sqlite_store_list_attendees (TnStore                *store,
                                const TnAttendeeQuery  *query,
                                gboolean               *out_more,
                                GError                **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  g_autoptr(GPtrArray) attendees = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *search = NULL;
  guint limit = query->limit > 0 ? MIN (query->limit, TN_LIST_LIMIT_MAX) : TN_LIST_LIMIT_DEFAULT;
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (self,
                  "SELECT " ATTENDEE_COLUMNS " FROM attendees a "
                  "WHERE a.event_id = ?1 "
                  "  AND (?2 IS NULL OR a.status = ?2) "
                  "  AND (?3 IS NULL OR instr (tn_fold (a.name), ?3) > 0 OR instr (tn_fold (a.email), ?3) > 0) "
                  "  AND (?5 IS NULL OR a.created_at > ?4 OR (a.created_at = ?4 AND a.id > ?5)) "
                  "ORDER BY a.created_at, a.id LIMIT ?6", error);
  if (stmt == NULL)
    return NULL;
  if (query->search != NULL && query->search[0] != '\0')
    search = tn_store_fold_for_search (query->search);
  bind_text (stmt, 1, query->event_id);
  bind_text (stmt, 2, query->has_status ? tn_rsvp_status_to_string (query->status) : NULL);
  bind_text (stmt, 3, search);
  sqlite3_bind_int64 (stmt, 4, query->after_created_at);
  bind_text (stmt, 5, query->after_id);
  sqlite3_bind_int (stmt, 6, (int) limit + 1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (attendees, attendee_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, error);
      return NULL;
    }
  *out_more = attendees->len > limit;
  if (*out_more)
    g_ptr_array_set_size (attendees, limit);
  return g_steal_pointer (&attendees);
}

/* Adds @guest inside the caller's transaction (CSV import can run many in
 * one); returns the new attendee's id. */
static char *
insert_guest (TnSqliteStore  *self,
              TnAttendee     *guest,
              gint64          now,
              GError        **error)
{
  const char *event_id = tn_attendee_get_event_id (guest);
  g_autofree char *id = g_strdup (tn_attendee_get_id (guest));
  TnRsvpStatus status = tn_attendee_get_status (guest);
  gint64 capacity = -1, waitlist_seq = 0;
  gboolean has_waitlist = FALSE;
  sqlite3_stmt *stmt;
  int rc;

  if (!open_event_for_answers (self, event_id, now, &capacity, &has_waitlist, error))
    return NULL;

  stmt = prepare (self, "SELECT 1 FROM attendees WHERE event_id = ?1 AND email = ?2", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, event_id);
  bind_text (stmt, 2, tn_attendee_get_email (guest));
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_ROW)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_CONFLICT, "Someone with this e-mail address is on this event already");
      return NULL;
    }
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, error);
      return NULL;
    }

  if (status == TN_RSVP_GOING &&
      !seat_or_waitlist (self, event_id, capacity, has_waitlist, &status, &waitlist_seq, error))
    return NULL;

  if (id == NULL)
    id = tn_id_new ();
  stmt = prepare (self,
                  "INSERT INTO attendees (id, event_id, user_id, name, email, status, waitlist_seq, "
                  "  ticket_type, note, created_at, updated_at) "
                  "VALUES (?1, ?2, NULL, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, id);
  bind_text (stmt, 2, event_id);
  bind_text (stmt, 3, tn_attendee_get_name (guest));
  bind_text (stmt, 4, tn_attendee_get_email (guest));
  bind_text (stmt, 5, tn_rsvp_status_to_string (status));
  if (status == TN_RSVP_WAITLISTED)
    sqlite3_bind_int64 (stmt, 6, waitlist_seq);
  bind_text (stmt, 7, tn_attendee_get_ticket_type (guest));
  bind_text (stmt, 8, tn_attendee_get_note (guest));
  sqlite3_bind_int64 (stmt, 9, now);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      if ((rc & 0xff) == SQLITE_CONSTRAINT)
        g_set_error (error, TN_ERROR, TN_ERROR_CONFLICT, "An attendee with this id or e-mail address exists already");
      else
        set_sqlite_error (self, rc, error);
      return NULL;
    }
  if (status == TN_RSVP_GOING && !issue_ticket (self, id, event_id, now, error))
    return NULL;
  return g_steal_pointer (&id);
}

static TnAttendee *
tn_sqlite_store_add_guest (TnStore     *store,
                           TnAttendee  *guest,
                           gint64       now,
                           GError     **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  g_autoptr(TnAuditEntry) audit = take_audit (self);
  g_autofree char *id = NULL;

  if (!begin (self, error))
    return NULL;
  id = insert_guest (self, guest, now, error);
  if (id == NULL || !write_audit (self, audit, id, error) || !commit (self, error))
    {
      rollback (self);
      return NULL;
    }
  return tn_sqlite_store_get_attendee (store, tn_attendee_get_event_id (guest), id, error);
}

/* NULL and "" are both "none" for an optional text. */
static gboolean
same_optional_text (const char *a,
                    const char *b)
{
  return g_strcmp0 (a != NULL && a[0] != '\0' ? a : NULL, b != NULL && b[0] != '\0' ? b : NULL) == 0;
}

static const char *
empty_to_null (const char *text)
{
  return text != NULL && text[0] != '\0' ? text : NULL;
}

/* One row of an import, inside the caller's transaction. */
static gboolean
import_guest (TnSqliteStore   *self,
              const char      *event_id,
              TnAttendee      *guest,
              gint64           now,
              TnImportResult  *out_result,
              GError         **error)
{
  g_autoptr(TnAttendee) current = NULL;
  g_autoptr(TnAttendee) row = NULL;
  g_autofree char *id = NULL;
  const char *name = tn_attendee_get_name (guest);
  const char *ticket_type = tn_attendee_get_ticket_type (guest);
  const char *note = tn_attendee_get_note (guest);
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (self, "SELECT " ATTENDEE_COLUMNS " FROM attendees a WHERE a.event_id = ?1 AND a.email = ?2", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, event_id);
  bind_text (stmt, 2, tn_attendee_get_email (guest));
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    current = attendee_from_row (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_sqlite_error (self, rc, error);

  if (current != NULL)
    {
      gboolean same = g_strcmp0 (name, tn_attendee_get_name (current)) == 0 &&
                      (ticket_type == NULL || same_optional_text (ticket_type, tn_attendee_get_ticket_type (current))) &&
                      (note == NULL || same_optional_text (note, tn_attendee_get_note (current)));

      *out_result = same ? TN_IMPORT_UNCHANGED : TN_IMPORT_UPDATED;
      if (same)
        return TRUE;
      stmt = prepare (self,
                      "UPDATE attendees SET name = ?2, "
                      "  ticket_type = CASE WHEN ?5 THEN ?3 ELSE ticket_type END, "
                      "  note = CASE WHEN ?6 THEN ?4 ELSE note END, updated_at = ?7 "
                      "WHERE id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, tn_attendee_get_id (current));
      bind_text (stmt, 2, name);
      /* The columns hold '' for none. */
      bind_text (stmt, 3, ticket_type != NULL ? ticket_type : "");
      bind_text (stmt, 4, note != NULL ? note : "");
      sqlite3_bind_int (stmt, 5, ticket_type != NULL);
      sqlite3_bind_int (stmt, 6, note != NULL);
      sqlite3_bind_int64 (stmt, 7, now);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      return rc == SQLITE_DONE || set_sqlite_error (self, rc, error);
    }

  row = tn_attendee_new ();
  tn_attendee_set_event_id (row, event_id);
  tn_attendee_set_name (row, name);
  tn_attendee_set_email (row, tn_attendee_get_email (guest));
  tn_attendee_set_ticket_type (row, empty_to_null (ticket_type));
  tn_attendee_set_note (row, empty_to_null (note));
  tn_attendee_set_status (row, tn_attendee_get_status (guest));
  id = insert_guest (self, row, now, error);
  if (id == NULL)
    return FALSE;
  *out_result = TN_IMPORT_CREATED;
  if (tn_attendee_get_status (guest) == TN_RSVP_GOING)
    {
      g_autofree char *status = NULL;

      stmt = prepare (self, "SELECT status FROM attendees WHERE id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, id);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        status = g_strdup (column_text (stmt, 0));
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW)
        return set_sqlite_error (self, rc, error);
      if (g_strcmp0 (status, "waitlisted") == 0)
        *out_result = TN_IMPORT_WAITLISTED;
    }
  return TRUE;
}

static gboolean
tn_sqlite_store_import_guests (TnStore         *store,
                               const char      *event_id,
                               GPtrArray       *guests,
                               gint64           now,
                               TnImportResult  *out_results,
                               guint           *out_failed,
                               GError         **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  g_autoptr(TnAuditEntry) audit = take_audit (self);
  gint64 capacity = -1;
  gboolean has_waitlist = FALSE, changed = FALSE;

  if (!begin (self, error))
    return FALSE;
  /* A cancelled or past event takes no import, even one of updates. */
  if (!open_event_for_answers (self, event_id, now, &capacity, &has_waitlist, error))
    {
      rollback (self);
      return FALSE;
    }
  for (guint i = 0; i < guests->len; i++)
    {
      if (!import_guest (self, event_id, guests->pdata[i], now, &out_results[i], error))
        {
          *out_failed = i;
          rollback (self);
          return FALSE;
        }
      if (out_results[i] != TN_IMPORT_UNCHANGED)
        changed = TRUE;
    }
  /* An import that changed nothing (an empty file, the same file again)
   * is not an action worth a record. */
  if ((changed && !write_audit (self, audit, NULL, error)) || !commit (self, error))
    {
      rollback (self);
      return FALSE;
    }
  return TRUE;
}

static TnAttendee *
tn_sqlite_store_update_attendee (TnStore     *store,
                                 const char  *event_id,
                                 const char  *attendee_id,
                                 const char  *ticket_type,
                                 const char  *note,
                                 gint64       now,
                                 GError     **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  g_autoptr(TnAuditEntry) audit = take_audit (self);
  sqlite3_stmt *stmt;

  if (!begin (self, error))
    return NULL;
  stmt = prepare (self,
                  "UPDATE attendees SET ticket_type = coalesce (?3, ticket_type), note = coalesce (?4, note), "
                  "  updated_at = ?5 "
                  "WHERE id = ?1 AND event_id = ?2", error);
  if (stmt == NULL)
    goto failed;
  bind_text (stmt, 1, attendee_id);
  bind_text (stmt, 2, event_id);
  bind_text (stmt, 3, ticket_type);
  bind_text (stmt, 4, note);
  sqlite3_bind_int64 (stmt, 5, now);
  if (!step_bound (self, stmt, error))
    goto failed;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_NOT_FOUND, "No such attendee");
      goto failed;
    }
  if (!write_audit (self, audit, NULL, error) || !commit (self, error))
    goto failed;
  return tn_sqlite_store_get_attendee (store, event_id, attendee_id, error);

failed:
  rollback (self);
  return NULL;
}

/* Revokes the attendee's ticket and, with @reissue, issues a new code,
 * in one transaction. */
static TnAttendee *
change_ticket (TnSqliteStore  *self,
               const char     *event_id,
               const char     *attendee_id,
               gboolean        reissue,
               gint64          now,
               GError        **error)
{
  g_autoptr(TnAttendee) current = NULL;
  g_autoptr(TnAuditEntry) audit = take_audit (self);
  gboolean revoked;

  if (!begin (self, error))
    return NULL;
  current = tn_sqlite_store_get_attendee (TN_STORE (self), event_id, attendee_id, error);
  if (current == NULL)
    goto failed;
  if (reissue && tn_attendee_get_status (current) != TN_RSVP_GOING)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_CONFLICT, "Only an attendee who is going has a ticket");
      goto failed;
    }
  if (!revoke_tickets (self, attendee_id, now, error))
    goto failed;
  /* Revoking where no ticket is valid changes nothing, and is recorded
   * as nothing: the answer is the same, so DELETE stays idempotent. */
  revoked = sqlite3_changes (self->db) > 0;
  if ((reissue && !issue_ticket (self, attendee_id, event_id, now, error)) ||
      ((reissue || revoked) && !write_audit (self, audit, NULL, error)) ||
      !commit (self, error))
    goto failed;
  return tn_sqlite_store_get_attendee (TN_STORE (self), event_id, attendee_id, error);

failed:
  rollback (self);
  return NULL;
}

static TnAttendee *
tn_sqlite_store_reissue_ticket (TnStore     *store,
                                const char  *event_id,
                                const char  *attendee_id,
                                gint64       now,
                                GError     **error)
{
  return change_ticket (TN_SQLITE_STORE (store), event_id, attendee_id, TRUE, now, error);
}

static TnAttendee *
tn_sqlite_store_revoke_ticket (TnStore     *store,
                               const char  *event_id,
                               const char  *attendee_id,
                               gint64       now,
                               GError     **error)
{
  return change_ticket (TN_SQLITE_STORE (store), event_id, attendee_id, FALSE, now, error);
}

static TnAttendee *
tn_sqlite_store_lookup_ticket (TnStore     *store,
                               const char  *code,
                               GError     **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  g_autofree char *canonical = tn_ticket_code_normalize (code);
  sqlite3_stmt *stmt;

  if (canonical == NULL)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_NOT_FOUND, "No such ticket");
      return NULL;
    }
  stmt = prepare (self,
                  "SELECT " ATTENDEE_COLUMNS " FROM tickets k JOIN attendees a ON a.id = k.attendee_id "
                  "WHERE k.code = ?1 AND k.revoked_at IS NULL", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, canonical);
  return fetch_one (self, stmt, attendee_from_row, "No such ticket, or it was revoked", error);
}

/* --- door devices ---------------------------------------------------------- */

#define DEVICE_COLUMNS "id, event_id, name, role, created_at, last_seen_at, revoked_at"

/* Returns a new TnDevice (gpointer: a RowFunc for fetch_one()). */
static gpointer
device_from_row (sqlite3_stmt *stmt)
{
  TnDevice *device = g_new0 (TnDevice, 1);

  device->id = g_strdup (column_text (stmt, 0));
  device->event_id = g_strdup (column_text (stmt, 1));
  device->name = g_strdup (column_text (stmt, 2));
  tn_device_role_from_string (column_text (stmt, 3), &device->role);
  device->created_at = sqlite3_column_int64 (stmt, 4);
  device->last_seen_at = sqlite3_column_int64 (stmt, 5);
  device->revoked_at = sqlite3_column_int64 (stmt, 6);
  return device;
}

static gboolean
tn_sqlite_store_add_pairing_code (TnStore       *store,
                                  const char    *code_hash,
                                  const char    *event_id,
                                  TnDeviceRole   role,
                                  const char    *name,
                                  gint64         expires_at,
                                  gint64         now,
                                  GError       **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  g_autoptr(TnAuditEntry) audit = take_audit (self);
  sqlite3_stmt *stmt;

  if (!begin (self, error))
    return FALSE;
  /* Used and expired codes are of no further use: they go as new ones come. */
  stmt = prepare (self, "DELETE FROM pairing_codes WHERE expires_at <= ?1 OR used_at IS NOT NULL", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, now);
  if (!step_bound (self, stmt, error))
    goto failed;
  stmt = prepare (self,
                  "INSERT INTO pairing_codes (hash, event_id, role, name, created_at, expires_at) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  if (stmt == NULL)
    goto failed;
  bind_text (stmt, 1, code_hash);
  bind_text (stmt, 2, event_id);
  bind_text (stmt, 3, tn_device_role_to_string (role));
  bind_text (stmt, 4, name);
  sqlite3_bind_int64 (stmt, 5, now);
  sqlite3_bind_int64 (stmt, 6, expires_at);
  if (!step_bound (self, stmt, error) || !write_audit (self, audit, NULL, error) || !commit (self, error))
    goto failed;
  return TRUE;

failed:
  rollback (self);
  return FALSE;
}

static TnDevice *
tn_sqlite_store_get_device (TnStore     *store,
                            const char  *id,
                            GError     **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  sqlite3_stmt *stmt = prepare (self, "SELECT " DEVICE_COLUMNS " FROM devices WHERE id = ?1", error);

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, id);
  return fetch_one (self, stmt, device_from_row, "No such device", error);
}

static TnDevice *
tn_sqlite_store_pair_device (TnStore     *store,
                             const char  *code_hash,
                             const char  *device_id,
                             const char  *name,
                             const char  *token_hash,
                             gint64       now,
                             GError     **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  g_autofree char *event_id = NULL;
  g_autofree char *role = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (!begin (self, error))
    return NULL;
  stmt = prepare (self,
                  "UPDATE pairing_codes SET used_at = ?2 "
                  "WHERE hash = ?1 AND used_at IS NULL AND expires_at > ?2 RETURNING event_id, role", error);
  if (stmt == NULL)
    goto failed;
  bind_text (stmt, 1, code_hash);
  sqlite3_bind_int64 (stmt, 2, now);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      event_id = g_strdup (column_text (stmt, 0));
      role = g_strdup (column_text (stmt, 1));
      rc = sqlite3_step (stmt);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, error);
      goto failed;
    }
  if (event_id == NULL)
    {
      g_set_error_literal (error, TN_ERROR, TN_ERROR_UNAUTHORIZED, "The pairing code is wrong, used or expired");
      goto failed;
    }
  stmt = prepare (self,
                  "INSERT INTO devices (id, event_id, name, role, token_hash, created_at) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  if (stmt == NULL)
    goto failed;
  bind_text (stmt, 1, device_id);
  bind_text (stmt, 2, event_id);
  bind_text (stmt, 3, name);
  bind_text (stmt, 4, role);
  bind_text (stmt, 5, token_hash);
  sqlite3_bind_int64 (stmt, 6, now);
  if (!step_bound (self, stmt, error) || !commit (self, error))
    goto failed;
  return tn_sqlite_store_get_device (store, device_id, error);

failed:
  rollback (self);
  return NULL;
}

static GPtrArray *
tn_sqlite_store_list_devices (TnStore     *store,
                              const char  *event_id,
                              GError     **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func ((GDestroyNotify) tn_device_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (self, "SELECT " DEVICE_COLUMNS " FROM devices WHERE event_id = ?1 ORDER BY created_at, id", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, event_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (devices, device_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&devices);
}

static TnDevice *
tn_sqlite_store_lookup_device (TnStore     *store,
                               const char  *token_hash,
                               GError     **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  sqlite3_stmt *stmt = prepare (self, "SELECT " DEVICE_COLUMNS " FROM devices WHERE token_hash = ?1", error);
  g_autoptr(GError) local_error = NULL;
  TnDevice *device;

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, token_hash);
  device = fetch_one (self, stmt, device_from_row, "No such device", &local_error);
  if (device != NULL)
    return device;
  if (!g_error_matches (local_error, TN_ERROR, TN_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  /* A device removed with its event: revoked since then. */
  stmt = prepare (self, "SELECT " DEVICE_COLUMNS " FROM removed_devices WHERE token_hash = ?1", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, token_hash);
  return fetch_one (self, stmt, device_from_row, "No such device", error);
}

/* Renames (@name) or revokes (@name NULL) a device, in one transaction. */
static TnDevice *
change_device (TnSqliteStore  *self,
               const char     *id,
               const char     *name,
               gint64          now,
               GError        **error)
{
  g_autoptr(TnAuditEntry) audit = take_audit (self);
  sqlite3_stmt *stmt;

  if (!begin (self, error))
    return NULL;
  if (name != NULL)
    stmt = prepare (self, "UPDATE devices SET name = ?2 WHERE id = ?1 AND name IS NOT ?2", error);
  else
    stmt = prepare (self, "UPDATE devices SET revoked_at = ?3 WHERE id = ?1 AND revoked_at IS NULL", error);
  if (stmt == NULL)
    goto failed;
  bind_text (stmt, 1, id);
  if (name != NULL)
    bind_text (stmt, 2, name);
  else
    sqlite3_bind_int64 (stmt, 3, now);
  if (!step_bound (self, stmt, error))
    goto failed;
  /* Nothing changed (the same name, revoked already): nothing to record. */
  if ((sqlite3_changes (self->db) > 0 && !write_audit (self, audit, NULL, error)) || !commit (self, error))
    goto failed;
  return tn_sqlite_store_get_device (TN_STORE (self), id, error);

failed:
  rollback (self);
  return NULL;
}

static TnDevice *
tn_sqlite_store_rename_device (TnStore     *store,
                               const char  *id,
                               const char  *name,
                               GError     **error)
{
  g_return_val_if_fail (name != NULL, NULL);
  return change_device (TN_SQLITE_STORE (store), id, name, 0, error);
}

static TnDevice *
tn_sqlite_store_revoke_device (TnStore     *store,
                               const char  *id,
                               gint64       now,
                               GError     **error)
{
  return change_device (TN_SQLITE_STORE (store), id, NULL, now, error);
}

static gboolean
tn_sqlite_store_touch_device (TnStore     *store,
                              const char  *id,
                              gint64       now,
                              GError     **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!begin (self, error))
    return FALSE;
  stmt = prepare (self,
                  "UPDATE devices SET last_seen_at = ?2 "
                  "WHERE id = ?1 AND (last_seen_at IS NULL OR last_seen_at <= ?2 - 60)", error);
  if (stmt == NULL)
    goto failed;
  bind_text (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, now);
  if (!step_bound (self, stmt, error) || !commit (self, error))
    goto failed;
  return TRUE;

failed:
  rollback (self);
  return FALSE;
}

/* --- signed tickets ---------------------------------------------------------- */

/* Reads the key pair of @event_id inside the caller's transaction (or
 * none); FALSE with @out_found FALSE when the event has none. */
static gboolean
read_event_key (TnSqliteStore  *self,
                const char     *event_id,
                guint8          public_key[TN_SIGNED_TICKET_PUBLIC_KEY],
                guint8          secret_key[TN_SIGNED_TICKET_SECRET_KEY],
                gboolean       *out_found,
                GError        **error)
{
  sqlite3_stmt *stmt = prepare (self, "SELECT public_key, secret_key FROM event_keys WHERE event_id = ?1", error);
  int rc;

  *out_found = FALSE;
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, event_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW &&
      sqlite3_column_bytes (stmt, 0) == TN_SIGNED_TICKET_PUBLIC_KEY &&
      sqlite3_column_bytes (stmt, 1) == TN_SIGNED_TICKET_SECRET_KEY)
    {
      if (public_key != NULL)
        memcpy (public_key, sqlite3_column_blob (stmt, 0), TN_SIGNED_TICKET_PUBLIC_KEY);
      if (secret_key != NULL)
        memcpy (secret_key, sqlite3_column_blob (stmt, 1), TN_SIGNED_TICKET_SECRET_KEY);
      *out_found = TRUE;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_sqlite_error (self, rc, error);
  return TRUE;
}

/* Makes the key pair of @event_id if it has none, inside the caller's
 * transaction: the first ticket of an event brings its key. */
static gboolean
ensure_event_key (TnSqliteStore  *self,
                  const char     *event_id,
                  GError        **error)
{
  guint8 public_key[TN_SIGNED_TICKET_PUBLIC_KEY];
  guint8 secret_key[TN_SIGNED_TICKET_SECRET_KEY];
  gboolean found = FALSE, stored;
  sqlite3_stmt *stmt;

  if (!read_event_key (self, event_id, NULL, NULL, &found, error))
    return FALSE;
  if (found)
    return TRUE;
  tn_signed_ticket_new_keypair (public_key, secret_key);
  stmt = prepare (self,
                  "INSERT INTO event_keys (event_id, public_key, secret_key, created_at) VALUES (?1, ?2, ?3, ?4)",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, event_id);
  sqlite3_bind_blob (stmt, 2, public_key, sizeof public_key, SQLITE_TRANSIENT);
  sqlite3_bind_blob (stmt, 3, secret_key, sizeof secret_key, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, tn_time_now ());
  stored = step_bound (self, stmt, error);
  sodium_memzero (secret_key, sizeof secret_key);
  return stored;
}

static gboolean
tn_sqlite_store_get_event_key (TnStore     *store,
                               const char  *event_id,
                               guint8       public_key[32],
                               guint8       secret_key[64],
                               GError     **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  gboolean found = FALSE;

  if (!read_event_key (self, event_id, public_key, secret_key, &found, error))
    return FALSE;
  if (found)
    return TRUE;
  /* An event whose tickets were issued before keys existed. */
  if (!begin (self, error))
    return FALSE;
  if (!ensure_event_key (self, event_id, error) ||
      !read_event_key (self, event_id, public_key, secret_key, &found, error) ||
      !commit (self, error))
    {
      rollback (self);
      return FALSE;
    }
  return TRUE;
}

/* --- check-in ------------------------------------------------------------------ */

#define CHECKIN_COLUMNS \
  "id, event_id, code, attendee_id, direction, scanned_at, received_at, device, local_verdict, " \
  "verdict, flagged, coalesce (undone_at, 0), coalesce (prev_scanned_at, 0), prev_device, sync_seq"

/* Returns a new TnCheckin (gpointer: a RowFunc for fetch_one()). */
static gpointer
checkin_from_row (sqlite3_stmt *stmt)
{
  TnCheckin *checkin = g_new0 (TnCheckin, 1);

  checkin->id = g_strdup (column_text (stmt, 0));
  checkin->event_id = g_strdup (column_text (stmt, 1));
  checkin->code = g_strdup (column_text (stmt, 2));
  checkin->attendee_id = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  checkin->out = g_str_equal (column_text (stmt, 4), "out");
  checkin->scanned_at = sqlite3_column_int64 (stmt, 5);
  checkin->received_at = sqlite3_column_int64 (stmt, 6);
  checkin->device = g_strdup (column_text (stmt, 7));
  checkin->has_local_verdict = tn_verdict_from_string ((const char *) sqlite3_column_text (stmt, 8),
                                                       &checkin->local_verdict);
  tn_verdict_from_string (column_text (stmt, 9), &checkin->verdict);
  checkin->flagged = sqlite3_column_int (stmt, 10) != 0;
  checkin->undone_at = sqlite3_column_int64 (stmt, 11);
  checkin->previous_scanned_at = sqlite3_column_int64 (stmt, 12);
  checkin->previous_device = g_strdup ((const char *) sqlite3_column_text (stmt, 13));
  checkin->seq = sqlite3_column_int64 (stmt, 14);
  return checkin;
}

static TnCheckin *
tn_sqlite_store_get_checkin (TnStore     *store,
                             const char  *id,
                             GError     **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  sqlite3_stmt *stmt = prepare (self, "SELECT " CHECKIN_COLUMNS " FROM checkins WHERE id = ?1", error);

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, id);
  return fetch_one (self, stmt, checkin_from_row, "No such scan", error);
}

static gboolean
next_sync_seq (TnSqliteStore  *self,
               gint64         *out_seq,
               GError        **error)
{
  return query_int (self, "UPDATE sync_counter SET seq = seq + 1 RETURNING seq", NULL, out_seq, error);
}


typedef struct
{
  char   *id;
  gboolean out;
  gint64  scanned_at;
  char   *device;
  char   *local_verdict;
  char   *verdict;
  gint64  prev_scanned_at;
  char   *prev_device;
} ReplayScan;

static void
replay_scan_clear (gpointer data)
{
  ReplayScan *scan = data;

  g_free (scan->id);
  g_free (scan->device);
  g_free (scan->local_verdict);
  g_free (scan->verdict);
  g_free (scan->prev_device);
}

/* Judges the scans of one ticket again, in the order they were made
 * (scanned_at, then arrival): in is accepted when the ticket is not
 * inside, else a duplicate of the scan that let it in; out is accepted
 * when it is inside, else not_inside. Undone scans and those refused for
 * the ticket itself (revoked, …) do not count. A scan whose verdict
 * changes gets a new sequence number: the change travels in the sync
 * data. Inside the caller's transaction. */
static gboolean
replay_ticket (TnSqliteStore  *self,
               const char     *event_id,
               const char     *ticket_code,
               GError        **error)
{
  g_autoptr(GArray) scans = g_array_new (FALSE, TRUE, sizeof (ReplayScan));
  g_autofree TnReplayScan *order = NULL;
  g_autofree TnReplayVerdict *verdicts = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_array_set_clear_func (scans, replay_scan_clear);
  stmt = prepare (self,
                  "SELECT id, direction, scanned_at, device, local_verdict, verdict, "
                  "  coalesce (prev_scanned_at, 0), prev_device FROM checkins "
                  "WHERE event_id = ?1 AND ticket_code = ?2 AND undone_at IS NULL "
                  "  AND verdict IN ('accepted', 'duplicate', 'not_inside') "
                  "ORDER BY scanned_at, received_at, rowid", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, event_id);
  bind_text (stmt, 2, ticket_code);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ReplayScan scan = { 0 };

      scan.id = g_strdup (column_text (stmt, 0));
      scan.out = g_str_equal (column_text (stmt, 1), "out");
      scan.scanned_at = sqlite3_column_int64 (stmt, 2);
      scan.device = g_strdup (column_text (stmt, 3));
      scan.local_verdict = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      scan.verdict = g_strdup (column_text (stmt, 5));
      scan.prev_scanned_at = sqlite3_column_int64 (stmt, 6);
      scan.prev_device = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
      g_array_append_val (scans, scan);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, rc, error);

  order = g_new0 (TnReplayScan, MAX (scans->len, 1));
  verdicts = g_new0 (TnReplayVerdict, MAX (scans->len, 1));
  for (guint i = 0; i < scans->len; i++)
    {
      ReplayScan *scan = &g_array_index (scans, ReplayScan, i);

      order[i] = (TnReplayScan) { scan->out, scan->scanned_at, scan->device };
    }
  tn_store_replay_scans (order, scans->len, verdicts);
  for (guint i = 0; i < scans->len; i++)
    {
      ReplayScan *scan = &g_array_index (scans, ReplayScan, i);
      TnVerdict verdict = (TnVerdict) verdicts[i].verdict;
      gint64 prev_at = verdicts[i].prev_scanned_at, seq;
      const char *prev_device = verdicts[i].prev_device;

      if (g_str_equal (scan->verdict, tn_verdict_to_string (verdict)) &&
          scan->prev_scanned_at == prev_at && g_strcmp0 (scan->prev_device, prev_device) == 0)
        continue;
      if (!next_sync_seq (self, &seq, error))
        return FALSE;
      stmt = prepare (self,
                      "UPDATE checkins SET verdict = ?2, flagged = ?3, prev_scanned_at = ?4, prev_device = ?5, "
                      "  sync_seq = ?6 WHERE id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, scan->id);
      bind_text (stmt, 2, tn_verdict_to_string (verdict));
      sqlite3_bind_int (stmt, 3, tn_store_checkin_flagged (scan->local_verdict, verdict));
      if (prev_device != NULL)
        {
          sqlite3_bind_int64 (stmt, 4, prev_at);
          bind_text (stmt, 5, prev_device);
        }
      sqlite3_bind_int64 (stmt, 6, seq);
      if (!step_bound (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* The ticket a scanned code names, for a scan at @event_id made at
 * @scanned_at: its short code, or NULL with @out_verdict set when the
 * code itself settles it (unknown, wrong_event, revoked, not_going). A
 * signed ticket counts only with a valid signature of the event it names
 * and before its valid-until time, as at the door (TnReplica). */
static gboolean
resolve_code (TnSqliteStore  *self,
              const char     *event_id,
              const char     *code,
              gint64          scanned_at,
              char          **out_ticket_code,
              char          **out_attendee_id,
              TnVerdict      *out_verdict,
              GError        **error)
{
  g_autofree char *canonical = NULL;
  g_autofree char *ticket_event = NULL;
  g_autofree char *status = NULL;
  gboolean revoked = FALSE;
  sqlite3_stmt *stmt;
  int rc;

  *out_ticket_code = NULL;
  *out_attendee_id = NULL;
  *out_verdict = TN_VERDICT_UNKNOWN;
  if (tn_signed_ticket_is_signed (code))
    {
      TnTicketClaim claim;
      guint8 public_key[TN_SIGNED_TICKET_PUBLIC_KEY];
      gboolean found = FALSE;

      if (!tn_signed_ticket_read (code, &claim))
        return TRUE;
      if (!read_event_key (self, claim.event_id, public_key, NULL, &found, error))
        return FALSE;
      if (!found || tn_signed_ticket_check (code, public_key, &claim) != TN_SIGNED_TICKET_VALID ||
          scanned_at > claim.valid_until)
        return TRUE;
      canonical = g_strdup (claim.code);
    }
  else
    canonical = tn_ticket_code_normalize (code);
  if (canonical == NULL)
    return TRUE;

  /* The code's latest ticket row: a code is issued once. */
  stmt = prepare (self,
                  "SELECT k.event_id, k.attendee_id, k.revoked_at IS NOT NULL, a.status "
                  "FROM tickets k JOIN attendees a ON a.id = k.attendee_id WHERE k.code = ?1", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, canonical);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      ticket_event = g_strdup (column_text (stmt, 0));
      *out_attendee_id = g_strdup (column_text (stmt, 1));
      revoked = sqlite3_column_int (stmt, 2) != 0;
      status = g_strdup (column_text (stmt, 3));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_sqlite_error (self, rc, error);
  if (ticket_event == NULL)
    return TRUE;
  *out_verdict = (TnVerdict) tn_store_ticket_verdict (ticket_event, event_id, revoked, status);
  /* Nothing of another event's attendee goes to this event's door. */
  if (*out_verdict == TN_VERDICT_WRONG_EVENT)
    g_clear_pointer (out_attendee_id, g_free);
  if (*out_verdict == TN_VERDICT_ACCEPTED)
    *out_ticket_code = g_steal_pointer (&canonical);
  return TRUE;
}

/* Copies the stored scan @id's verdict and what goes with it into @scan;
 * FALSE with @out_found FALSE when there is none. */
static gboolean
read_stored_checkin (TnSqliteStore  *self,
                     TnCheckin      *scan,
                     gboolean       *out_found,
                     GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TnCheckin) stored = tn_sqlite_store_get_checkin (TN_STORE (self), scan->id, &local_error);

  return tn_store_take_stored_checkin (scan, stored, local_error, out_found, error);
}

static gboolean
record_checkin (TnSqliteStore  *self,
                TnCheckin      *scan,
                gint64          now,
                GError        **error)
{
  g_autofree char *ticket_code = NULL;
  g_autofree char *attendee_id = NULL;
  const char *local_verdict = scan->has_local_verdict ? tn_verdict_to_string (scan->local_verdict) : NULL;
  TnVerdict verdict;
  gboolean found;
  sqlite3_stmt *stmt;
  gint64 seq;

  if (!read_stored_checkin (self, scan, &found, error))
    return FALSE;
  if (found)
    return TRUE;
  if (!resolve_code (self, scan->event_id, scan->code, scan->scanned_at, &ticket_code, &attendee_id, &verdict,
                     error) ||
      !next_sync_seq (self, &seq, error))
    return FALSE;
  /* A scan of a valid ticket is judged with the ticket's other scans. */
  if (ticket_code != NULL)
    verdict = TN_VERDICT_ACCEPTED;
  stmt = prepare (self,
                  "INSERT INTO checkins (id, event_id, code, ticket_code, attendee_id, direction, scanned_at, "
                  "  received_at, device, local_verdict, verdict, flagged, sync_seq) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, scan->id);
  bind_text (stmt, 2, scan->event_id);
  bind_text (stmt, 3, scan->code);
  bind_text (stmt, 4, ticket_code);
  bind_text (stmt, 5, attendee_id);
  bind_text (stmt, 6, scan->out ? "out" : "in");
  sqlite3_bind_int64 (stmt, 7, scan->scanned_at);
  sqlite3_bind_int64 (stmt, 8, now);
  bind_text (stmt, 9, scan->device);
  bind_text (stmt, 10, local_verdict);
  bind_text (stmt, 11, tn_verdict_to_string (verdict));
  sqlite3_bind_int (stmt, 12, tn_store_checkin_flagged (local_verdict, verdict));
  sqlite3_bind_int64 (stmt, 13, seq);
  if (!step_bound (self, stmt, error))
    return FALSE;
  if (ticket_code != NULL && !replay_ticket (self, scan->event_id, ticket_code, error))
    return FALSE;
  return read_stored_checkin (self, scan, &found, error);
}

static gboolean
tn_sqlite_store_record_checkins (TnStore    *store,
                                 GPtrArray  *checkins,
                                 gint64      now,
                                 GError    **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);

  if (!begin (self, error))
    return FALSE;
  for (guint i = 0; i < checkins->len; i++)
    if (!record_checkin (self, checkins->pdata[i], now, error))
      {
        rollback (self);
        return FALSE;
      }
  if (!commit (self, error))
    {
      rollback (self);
      return FALSE;
    }
  return TRUE;
}

static gboolean
tn_sqlite_store_undo_checkin (TnStore     *store,
                              const char  *id,
                              gint64       now,
                              GError     **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  g_autofree char *event_id = NULL;
  g_autofree char *ticket_code = NULL;
  sqlite3_stmt *stmt;
  gint64 seq;
  int rc;

  if (!begin (self, error))
    return FALSE;
  if (!next_sync_seq (self, &seq, error))
    goto failed;
  stmt = prepare (self,
                  "UPDATE checkins SET undone_at = ?2, sync_seq = ?3 WHERE id = ?1 AND undone_at IS NULL "
                  "RETURNING event_id, ticket_code", error);
  if (stmt == NULL)
    goto failed;
  bind_text (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int64 (stmt, 3, seq);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      event_id = g_strdup (column_text (stmt, 0));
      ticket_code = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      rc = sqlite3_step (stmt);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, error);
      goto failed;
    }
  /* Undone already: nothing changes, not even the sequence. */
  if (event_id == NULL)
    {
      rollback (self);
      return TRUE;
    }
  if ((ticket_code != NULL && !replay_ticket (self, event_id, ticket_code, error)) || !commit (self, error))
    goto failed;
  return TRUE;

failed:
  rollback (self);
  return FALSE;
}

/* --- sync ------------------------------------------------------------------ */

static GPtrArray *
tn_sqlite_store_list_changes (TnStore     *store,
                              const char  *event_id,
                              gint64       since,
                              guint        limit,
                              gboolean    *out_more,
                              GError     **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) tn_sync_change_free);
  sqlite3_stmt *stmt;
  int rc;

  limit = limit > 0 ? MIN (limit, TN_SYNC_LIMIT_MAX) : TN_SYNC_LIMIT_DEFAULT;
  stmt = prepare (self,
                  "SELECT seq, type, key FROM ("
                  "  SELECT sync_seq AS seq, 0 AS type, id AS key FROM attendees "
                  "    WHERE event_id = ?1 AND sync_seq > ?2 "
                  "  UNION ALL SELECT sync_seq, 1, code FROM tickets "
                  "    WHERE event_id = ?1 AND revoked_at IS NOT NULL AND sync_seq > ?2 "
                  "  UNION ALL SELECT sync_seq, 2, id FROM checkins WHERE event_id = ?1 AND sync_seq > ?2"
                  ") ORDER BY seq LIMIT ?3", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, event_id);
  sqlite3_bind_int64 (stmt, 2, since);
  sqlite3_bind_int64 (stmt, 3, (gint64) limit + 1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TnSyncChange *change = g_new0 (TnSyncChange, 1);

      change->seq = sqlite3_column_int64 (stmt, 0);
      change->type = (TnSyncType) sqlite3_column_int (stmt, 1);
      change->code = g_strdup (column_text (stmt, 2));   /* the key, for now */
      g_ptr_array_add (changes, change);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, error);
      return NULL;
    }
  *out_more = changes->len > limit;
  if (*out_more)
    g_ptr_array_set_size (changes, limit);

  for (guint i = 0; i < changes->len; i++)
    {
      TnSyncChange *change = changes->pdata[i];

      if (change->type == TN_SYNC_ATTENDEE)
        {
          change->attendee = tn_sqlite_store_get_attendee (store, event_id, change->code, error);
          g_clear_pointer (&change->code, g_free);
          if (change->attendee == NULL)
            return NULL;
        }
      else if (change->type == TN_SYNC_CHECKIN)
        {
          change->checkin = tn_sqlite_store_get_checkin (store, change->code, error);
          g_clear_pointer (&change->code, g_free);
          if (change->checkin == NULL)
            return NULL;
        }
    }
  return g_steal_pointer (&changes);
}

/* --- audit log ------------------------------------------------------------ */

/* --- statistics --------------------------------------------------------- */

static gboolean
tn_sqlite_store_get_event_stats (TnStore       *store,
                                 const char    *event_id,
                                 TnEventStats  *out_stats,
                                 GError       **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  TnEventStats stats = { 0 };
  sqlite3_stmt *stmt;
  int rc;

  /* going and waitlisted are kept on the event row; the others are
   * counted, on the (event_id, status) index. */
  stmt = prepare (self,
                  "SELECT coalesce(e.capacity, -1), e.going_count, e.waitlisted_count, "
                  "  (SELECT count(*) FROM attendees a WHERE a.event_id = e.id AND a.status = 'interested'), "
                  "  (SELECT count(*) FROM attendees a WHERE a.event_id = e.id AND a.status = 'maybe'), "
                  "  (SELECT count(*) FROM attendees a WHERE a.event_id = e.id AND a.status = 'not_going'), "
                  /* check-in: on the (event_id, ticket_code, scanned_at) index */
                  "  (SELECT count(DISTINCT c.ticket_code) FROM checkins c WHERE c.event_id = e.id "
                  "     AND c.verdict = 'accepted' AND c.direction = 'in' AND c.undone_at IS NULL), "
                  "  (SELECT count(*) FROM (SELECT c.direction, row_number () OVER ("
                  "       PARTITION BY c.ticket_code ORDER BY c.scanned_at DESC, c.received_at DESC, c.rowid DESC) AS n "
                  "     FROM checkins c WHERE c.event_id = e.id AND c.ticket_code IS NOT NULL "
                  "       AND c.verdict = 'accepted' AND c.undone_at IS NULL) WHERE n = 1 AND direction = 'in') "
                  "FROM events e WHERE e.id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, event_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      stats.capacity = sqlite3_column_int64 (stmt, 0);
      stats.going = sqlite3_column_int64 (stmt, 1);
      stats.waitlisted = sqlite3_column_int64 (stmt, 2);
      stats.interested = sqlite3_column_int64 (stmt, 3);
      stats.maybe = sqlite3_column_int64 (stmt, 4);
      stats.not_going = sqlite3_column_int64 (stmt, 5);
      stats.checked_in = sqlite3_column_int64 (stmt, 6);
      stats.inside = sqlite3_column_int64 (stmt, 7);
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, TN_ERROR, TN_ERROR_NOT_FOUND, "No such event");
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return set_sqlite_error (self, rc, error);
  *out_stats = stats;
  return TRUE;
}

static GHashTable *
tn_sqlite_store_get_attendee_checkins (TnStore            *store,
                                       const char         *event_id,
                                       const char * const *attendee_ids,
                                       GError            **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  g_autoptr(GHashTable) found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(JsonArray) ids = json_array_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *ids_json = NULL;
  sqlite3_stmt *stmt;
  int rc;

  for (guint i = 0; attendee_ids[i] != NULL; i++)
    json_array_add_string_element (ids, attendee_ids[i]);
  node = json_node_init_array (json_node_alloc (), ids);
  ids_json = json_to_string (node, FALSE);

  /* Per attendee, over the scans that count: the first `in`, and the
   * direction of the last (by scan time, then arrival). */
  stmt = prepare (self,
                  "SELECT attendee_id, min(CASE WHEN direction = 'in' THEN scanned_at END), "
                  "  (SELECT l.direction FROM checkins l WHERE l.event_id = ?1 AND l.attendee_id = c.attendee_id "
                  "     AND l.verdict = 'accepted' AND l.undone_at IS NULL "
                  "   ORDER BY l.scanned_at DESC, l.received_at DESC, l.rowid DESC LIMIT 1) "
                  "FROM checkins c WHERE c.event_id = ?1 AND c.verdict = 'accepted' AND c.undone_at IS NULL "
                  "  AND c.attendee_id IN (SELECT value FROM json_each(?2)) GROUP BY c.attendee_id", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, event_id);
  bind_text (stmt, 2, ids_json);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TnAttendeeCheckin *state = g_new0 (TnAttendeeCheckin, 1);

      state->checked_in_at = sqlite3_column_int64 (stmt, 1);
      state->inside = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 2), "in") == 0;
      g_hash_table_insert (found, g_strdup (column_text (stmt, 0)), state);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&found);
}

static gboolean
tn_sqlite_store_get_door_stats (TnStore      *store,
                                const char   *event_id,
                                gint64        from,
                                gint64        out_arrivals[TN_ARRIVAL_MINUTES],
                                GPtrArray   **out_doors,
                                GError      **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  g_autoptr(GPtrArray) doors = g_ptr_array_new_with_free_func ((GDestroyNotify) tn_door_stats_free);
  sqlite3_stmt *stmt;
  int rc;

  memset (out_arrivals, 0, sizeof (gint64) * TN_ARRIVAL_MINUTES);
  stmt = prepare (self,
                  "SELECT (scanned_at - ?2) / 60, count(*) FROM checkins "
                  "WHERE event_id = ?1 AND scanned_at >= ?2 AND scanned_at < ?2 + ?3 * 60 "
                  "  AND direction = 'in' AND verdict = 'accepted' AND undone_at IS NULL GROUP BY 1", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, event_id);
  sqlite3_bind_int64 (stmt, 2, from);
  sqlite3_bind_int (stmt, 3, TN_ARRIVAL_MINUTES);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 minute = sqlite3_column_int64 (stmt, 0);

      if (minute >= 0 && minute < TN_ARRIVAL_MINUTES)
        out_arrivals[minute] = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, rc, error);

  stmt = prepare (self,
                  "SELECT c.device, d.name, sum(c.verdict = 'accepted'), sum(c.verdict <> 'accepted'), "
                  "  max(c.scanned_at) "
                  "FROM checkins c LEFT JOIN devices d ON d.id = c.device "
                  "WHERE c.event_id = ?1 AND c.undone_at IS NULL GROUP BY c.device ORDER BY c.device", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, event_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TnDoorStats *door = g_new0 (TnDoorStats, 1);

      door->device = g_strdup (column_text (stmt, 0));
      door->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      door->accepted = sqlite3_column_int64 (stmt, 2);
      door->refused = sqlite3_column_int64 (stmt, 3);
      door->last_scan_at = sqlite3_column_int64 (stmt, 4);
      g_ptr_array_add (doors, door);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, rc, error);
  *out_doors = g_steal_pointer (&doors);
  return TRUE;
}

/* --- batches ------------------------------------------------------------ */

static gboolean
tn_sqlite_store_begin_batch (TnStore  *store,
                             GError  **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);

  g_return_val_if_fail (!self->batch, FALSE);
  if (!step_done (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  self->batch = TRUE;
  self->in_savepoint = FALSE;
  return TRUE;
}

static gboolean
tn_sqlite_store_commit_batch (TnStore  *store,
                              GError  **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);

  g_return_val_if_fail (self->batch, FALSE);
  g_warn_if_fail (!self->in_savepoint);
  self->batch = FALSE;
  self->in_savepoint = FALSE;
  if (sqlite3_get_autocommit (self->db))
    {
      /* Rolled back by SQLite itself (I/O error, full disk): some of the
       * batch's changes are lost, so none of them may count as stored. */
      g_warning ("SQLite rolled back a batch of changes on %s", self->path);
      g_set_error_literal (error, TN_ERROR, TN_ERROR_INTERNAL, "The database failed");
      return FALSE;
    }
  if (!sync_search_index (self, error) || !step_done (self, "COMMIT", error))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  return TRUE;
}

static gboolean
tn_sqlite_store_in_batch (TnStore *store)
{
  return TN_SQLITE_STORE (store)->batch;
}

static void
tn_sqlite_store_set_audit (TnStore            *store,
                           const TnAuditEntry *entry)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);

  g_clear_pointer (&self->audit, tn_audit_entry_free);
  if (entry != NULL)
    self->audit = tn_audit_entry_copy (entry);
}

static GPtrArray *
tn_sqlite_store_list_audit (TnStore             *store,
                            const TnAuditQuery  *query,
                            gboolean            *out_more,
                            GError             **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) tn_audit_entry_free);
  guint limit = query->limit > 0 ? query->limit : TN_LIST_LIMIT_DEFAULT;
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (self,
                  "SELECT seq, at, actor_id, actor_email, action, target_type, target_id, event_id, details "
                  "FROM audit_log "
                  "WHERE (?1 IS NULL OR event_id = ?1) AND (?2 IS NULL OR actor_id = ?2) "
                  "  AND (?3 IS NULL OR action = ?3) AND (?4 IS NULL OR at >= ?4) "
                  "  AND (?5 IS NULL OR at < ?5) AND (?6 IS NULL OR seq < ?6) "
                  "ORDER BY seq DESC LIMIT ?7", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, query->event_id);
  bind_text (stmt, 2, query->actor_id);
  bind_text (stmt, 3, query->action);
  if (query->from != 0)
    sqlite3_bind_int64 (stmt, 4, query->from);
  if (query->to != 0)
    sqlite3_bind_int64 (stmt, 5, query->to);
  if (query->before_seq > 0)
    sqlite3_bind_int64 (stmt, 6, query->before_seq);
  sqlite3_bind_int64 (stmt, 7, (gint64) limit + 1);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TnAuditEntry *entry = g_new0 (TnAuditEntry, 1);

      entry->seq = sqlite3_column_int64 (stmt, 0);
      entry->at = sqlite3_column_int64 (stmt, 1);
      entry->actor_id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      entry->actor_email = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      entry->action = g_strdup (column_text (stmt, 4));
      entry->target_type = g_strdup (column_text (stmt, 5));
      entry->target_id = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
      entry->event_id = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
      entry->details = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
      g_ptr_array_add (entries, entry);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, error);
      return NULL;
    }
  if (out_more != NULL)
    *out_more = entries->len > limit;
  if (entries->len > limit)
    g_ptr_array_set_size (entries, limit);
  return g_steal_pointer (&entries);
}

/* --- follows and profiles ------------------------------------------------ */

static gboolean
user_exists (TnSqliteStore  *self,
             const char     *user_id,
             GError        **error)
{
  sqlite3_stmt *stmt = prepare (self, "SELECT 1 FROM users WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, user_id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, TN_ERROR, TN_ERROR_NOT_FOUND, "No such user");
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return set_sqlite_error (self, rc, error);
  return TRUE;
}

static TnFollow *
follow_from_row (sqlite3_stmt *stmt)
{
  TnFollow *follow = g_new0 (TnFollow, 1);

  follow->user_id = g_strdup (column_text (stmt, 0));
  follow->name = g_strdup (column_text (stmt, 1));
  follow->since = sqlite3_column_int64 (stmt, 2);
  follow->friend = sqlite3_column_int (stmt, 3) != 0;
  return follow;
}

static TnFollow *
tn_sqlite_store_follow (TnStore     *store,
                        const char  *follower_id,
                        const char  *followee_id,
                        gint64       now,
                        GError     **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  g_autoptr(TnFollow) follow = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (g_strcmp0 (follower_id, followee_id) == 0)
    {
      g_set_error_literal (error, TN_ERROR, TN_ERROR_VALIDATION_FAILED, "Nobody can follow themself");
      return NULL;
    }
  if (!begin (self, error))
    return NULL;
  if (!user_exists (self, followee_id, error) || !user_exists (self, follower_id, error))
    {
      rollback (self);
      return NULL;
    }
  stmt = prepare (self,
                  "INSERT INTO follows (follower_id, followee_id, created_at) VALUES (?1, ?2, ?3) "
                  "ON CONFLICT DO NOTHING", error);
  if (stmt == NULL)
    {
      rollback (self);
      return NULL;
    }
  bind_text (stmt, 1, follower_id);
  bind_text (stmt, 2, followee_id);
  sqlite3_bind_int64 (stmt, 3, now);
  if (!step_bound (self, stmt, error))
    {
      rollback (self);
      return NULL;
    }
  stmt = prepare (self,
                  "SELECT u.id, u.name, f.created_at, EXISTS (SELECT 1 FROM follows b "
                  "  WHERE b.follower_id = f.followee_id AND b.followee_id = f.follower_id) "
                  "FROM follows f JOIN users u ON u.id = f.followee_id "
                  "WHERE f.follower_id = ?1 AND f.followee_id = ?2", error);
  if (stmt == NULL)
    {
      rollback (self);
      return NULL;
    }
  bind_text (stmt, 1, follower_id);
  bind_text (stmt, 2, followee_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    follow = follow_from_row (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (self, rc == SQLITE_DONE ? SQLITE_INTERNAL : rc, error);
      rollback (self);
      return NULL;
    }
  if (!commit (self, error))
    {
      rollback (self);
      return NULL;
    }
  return g_steal_pointer (&follow);
}

static gboolean
tn_sqlite_store_unfollow (TnStore     *store,
                          const char  *follower_id,
                          const char  *followee_id,
                          GError     **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!begin (self, error))
    return FALSE;
  if (!user_exists (self, followee_id, error) ||
      (stmt = prepare (self, "DELETE FROM follows WHERE follower_id = ?1 AND followee_id = ?2", error)) == NULL)
    {
      rollback (self);
      return FALSE;
    }
  bind_text (stmt, 1, follower_id);
  bind_text (stmt, 2, followee_id);
  if (!step_bound (self, stmt, error) || !commit (self, error))
    {
      rollback (self);
      return FALSE;
    }
  return TRUE;
}

static GPtrArray *
tn_sqlite_store_list_follows (TnStore             *store,
                              const TnFollowQuery *query,
                              gboolean            *out_more,
                              GError             **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  g_autoptr(GPtrArray) follows = g_ptr_array_new_with_free_func ((GDestroyNotify) tn_follow_free);
  guint limit = query->limit > 0 ? MIN (query->limit, TN_LIST_LIMIT_MAX) : TN_LIST_LIMIT_DEFAULT;
  sqlite3_stmt *stmt;
  int rc;

  /* Each on its index: (follower_id, created_at, followee_id) or
   * (followee_id, created_at, follower_id). */
  if (query->followers)
    stmt = prepare (self,
                    "SELECT u.id, u.name, f.created_at, EXISTS (SELECT 1 FROM follows b "
                    "  WHERE b.follower_id = f.followee_id AND b.followee_id = f.follower_id) "
                    "FROM follows f JOIN users u ON u.id = f.follower_id "
                    "WHERE f.followee_id = ?1 "
                    "  AND (?3 IS NULL OR f.created_at > ?2 OR (f.created_at = ?2 AND f.follower_id > ?3)) "
                    "ORDER BY f.created_at, f.follower_id LIMIT ?4", error);
  else
    stmt = prepare (self,
                    "SELECT u.id, u.name, f.created_at, EXISTS (SELECT 1 FROM follows b "
                    "  WHERE b.follower_id = f.followee_id AND b.followee_id = f.follower_id) "
                    "FROM follows f JOIN users u ON u.id = f.followee_id "
                    "WHERE f.follower_id = ?1 "
                    "  AND (?3 IS NULL OR f.created_at > ?2 OR (f.created_at = ?2 AND f.followee_id > ?3)) "
                    "ORDER BY f.created_at, f.followee_id LIMIT ?4", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, query->user_id);
  sqlite3_bind_int64 (stmt, 2, query->after_since);
  bind_text (stmt, 3, query->after_id);
  sqlite3_bind_int (stmt, 4, (int) limit + 1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (follows, follow_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, error);
      return NULL;
    }
  *out_more = follows->len > limit;
  if (*out_more)
    g_ptr_array_set_size (follows, limit);
  return g_steal_pointer (&follows);
}

static TnUser *
tn_sqlite_store_update_profile (TnStore            *store,
                                const char         *user_id,
                                gboolean            set_home,
                                double              home_lat,
                                double              home_lon,
                                const char * const *interests,
                                GError            **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  g_autofree char *joined = NULL;
  sqlite3_stmt *stmt;

  if (!begin (self, error))
    return NULL;
  if (!user_exists (self, user_id, error) ||
      (stmt = prepare (self,
                       "UPDATE users SET "
                       "  home_lat = CASE WHEN ?2 THEN ?3 ELSE home_lat END, "
                       "  home_lon = CASE WHEN ?2 THEN ?4 ELSE home_lon END, "
                       "  interests = CASE WHEN ?5 THEN ?6 ELSE interests END "
                       "WHERE id = ?1", error)) == NULL)
    {
      rollback (self);
      return NULL;
    }
  bind_text (stmt, 1, user_id);
  sqlite3_bind_int (stmt, 2, set_home);
  if (set_home && !isnan (home_lat) && !isnan (home_lon))
    {
      sqlite3_bind_double (stmt, 3, home_lat);
      sqlite3_bind_double (stmt, 4, home_lon);
    }
  sqlite3_bind_int (stmt, 5, interests != NULL);
  if (interests != NULL && interests[0] != NULL)
    joined = g_strjoinv (TAG_SEPARATOR, (char **) interests);
  bind_text (stmt, 6, joined);
  if (!step_bound (self, stmt, error) || !commit (self, error))
    {
      rollback (self);
      return NULL;
    }
  return tn_sqlite_store_get_user (store, user_id, error);
}

static GPtrArray *
tn_sqlite_store_list_user_answers (TnStore     *store,
                                   const char  *user_id,
                                   GError     **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = prepare (self, "SELECT event_id FROM attendees WHERE user_id = ?1", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, user_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup (column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&ids);
}

/* --- the recommender's data ---------------------------------------------- */

typedef struct
{
  TnRecData  *data;
  GHashTable *checked_in;   /* attendee ids a door let in (owned by the hash) */
} RecLoad;

/* Runs one query of load_rec_data() on its own connection @db, calling
 * @read (nullable) for every row. */
typedef void (*RecRowFunc) (RecLoad      *load,
                            sqlite3_stmt *stmt);

static gboolean
rec_query (sqlite3     *db,
           const char  *sql,
           RecLoad     *load,
           RecRowFunc   read,
           GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        if (read != NULL)
          read (load, stmt);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      /* said by the caller, unless it no longer wants the data (a server
       * stopping while its model is built) */
      g_set_error (error, TN_ERROR, TN_ERROR_INTERNAL, "SQLite error %d reading the recommender's data: %s",
                   rc, sqlite3_errmsg (db));
      return FALSE;
    }
  return TRUE;
}

static void
rec_read_user (RecLoad      *load,
               sqlite3_stmt *stmt)
{
  g_auto(GStrv) interests = split_column (stmt, 3);

  tn_rec_data_add_user (load->data, column_text (stmt, 0), column_double_or_nan (stmt, 1),
                        column_double_or_nan (stmt, 2), (const char * const *) interests);
}

static void
rec_read_event (RecLoad      *load,
                sqlite3_stmt *stmt)
{
  g_auto(GStrv) tags = split_column (stmt, 2);
  const char *organizer = (const char *) sqlite3_column_text (stmt, 10);
  TnRecEvent event = {
    .id = (char *) column_text (stmt, 0),
    .category = (char *) column_text (stmt, 1),
    .tags = tags,
    .title = (char *) column_text (stmt, 3),
    .description = (char *) column_text (stmt, 4),
    .lat = column_double_or_nan (stmt, 5),
    .lon = column_double_or_nan (stmt, 6),
    .starts_at = sqlite3_column_int64 (stmt, 7),
    .ends_at = sqlite3_column_int64 (stmt, 8),
    .listed = sqlite3_column_int (stmt, 9) != 0,
    .organizer = organizer != NULL ? tn_rec_data_find_user (load->data, organizer) : -1,
  };

  /* An event without a place has neither coordinate. */
  if (isnan (event.lat) || isnan (event.lon))
    event.lat = event.lon = NAN;
  tn_rec_data_add_event (load->data, &event);
}

static void
rec_read_checkin (RecLoad      *load,
                  sqlite3_stmt *stmt)
{
  g_hash_table_add (load->checked_in, g_strdup (column_text (stmt, 0)));
}

static void
rec_read_rsvp (RecLoad      *load,
               sqlite3_stmt *stmt)
{
  static const char * const answers[] = {
    [TN_REC_GOING] = "going",
    [TN_REC_WAITLISTED] = "waitlisted",
    [TN_REC_INTERESTED] = "interested",
    [TN_REC_MAYBE] = "maybe",
    [TN_REC_NOT_GOING] = "not_going",
  };
  const char *status = column_text (stmt, 3);
  TnRecAnswer answer = TN_REC_NOT_GOING;

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    if (g_str_equal (status, answers[i]))
      answer = (TnRecAnswer) i;
  tn_rec_data_add_rsvp (load->data, column_text (stmt, 0), column_text (stmt, 1), sqlite3_column_int64 (stmt, 2),
                        answer, g_hash_table_contains (load->checked_in, column_text (stmt, 4)));
}

static void
rec_read_follow (RecLoad      *load,
                 sqlite3_stmt *stmt)
{
  tn_rec_data_add_follow (load->data, column_text (stmt, 0), column_text (stmt, 1));
}

static gboolean
tn_sqlite_store_load_rec_data (TnStore    *store,
                               TnRecData  *data,
                               GError    **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  g_autoptr(GHashTable) checked_in = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  RecLoad load = { data, checked_in };
  sqlite3 *db = NULL;
  gboolean ok;
  int rc;

  /* self->path never changes after tn_sqlite_store_new(): this is the
   * only field of @self read here, so any thread may call this. */
  rc = sqlite3_open_v2 (self->path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_INTERNAL, "Cannot open %s to read the recommender's data: %s",
                   self->path, db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_close (db);
      return FALSE;
    }
  sqlite3_busy_timeout (db, 5000);
  /* One read transaction: in WAL mode a snapshot that writers on the
   * main connection neither block nor change. Users first, then events
   * (their organizer), then what names both. Every query is one scan of
   * its table: NOT INDEXED keeps SQLite from walking the partial index
   * on attendees(event_id, user_id), which costs a table lookup per row
   * (6 s instead of 0.5 s for a million RSVPs). */
  ok = rec_query (db, "BEGIN", &load, NULL, error) &&
       rec_query (db, "SELECT id, home_lat, home_lon, interests FROM users", &load, rec_read_user, error) &&
       rec_query (db,
                  "SELECT id, category, tags, title, description, lat, lon, starts_at, ends_at, "
                  "  visibility = 'public' AND status = 'scheduled', organizer_id FROM events",
                  &load, rec_read_event, error) &&
       /* checked in: a scan that counts (accepted, not undone) let them
        * in; read as one set, then looked up per RSVP in memory (an IN
        * subquery did the same five times slower) */
       rec_query (db,
                  "SELECT DISTINCT attendee_id FROM checkins WHERE attendee_id IS NOT NULL "
                  "  AND verdict = 'accepted' AND direction = 'in' AND undone_at IS NULL",
                  &load, rec_read_checkin, error) &&
       rec_query (db,
                  "SELECT user_id, event_id, created_at, status, id FROM attendees NOT INDEXED "
                  "WHERE user_id IS NOT NULL",
                  &load, rec_read_rsvp, error) &&
       rec_query (db, "SELECT follower_id, followee_id FROM follows", &load, rec_read_follow, error) &&
       rec_query (db, "COMMIT", &load, NULL, error);
  sqlite3_close (db);
  return ok;
}

/* --- copying to another backend (tn_store_copy()) ------------------------- */

static gboolean
export_table (TnSqliteStore   *self,
              const char      *table,
              TnStoreRowFunc   func,
              gpointer         user_data,
              GError         **error)
{
  /* the arrival order of scans is their rowid; the audit log's is seq */
  g_autofree char *sql = g_str_equal (table, "checkins")
    ? g_strdup ("SELECT rowid AS arrival, * FROM checkins ORDER BY rowid")
    : g_str_equal (table, "audit_log") ? g_strdup ("SELECT * FROM audit_log ORDER BY seq")
                                       : g_strdup_printf ("SELECT * FROM %s", table);
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
  guint n;
  g_autofree const char **columns = NULL;
  g_autofree TnStoreValue *values = NULL;
  gboolean ok = TRUE;

  if (rc != SQLITE_OK)
    return set_sqlite_error (self, rc, error);
  n = (guint) sqlite3_column_count (stmt);
  columns = g_new0 (const char *, n + 1);
  values = g_new0 (TnStoreValue, n);
  for (guint i = 0; i < n; i++)
    columns[i] = sqlite3_column_name (stmt, (int) i);
  while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (guint i = 0; i < n; i++)
        {
          TnStoreValue *value = &values[i];

          memset (value, 0, sizeof *value);
          switch (sqlite3_column_type (stmt, (int) i))
            {
            case SQLITE_INTEGER:
              value->type = TN_STORE_VALUE_INT;
              value->integer = sqlite3_column_int64 (stmt, (int) i);
              break;
            case SQLITE_FLOAT:
              value->type = TN_STORE_VALUE_REAL;
              value->real = sqlite3_column_double (stmt, (int) i);
              break;
            case SQLITE_TEXT:
              value->type = TN_STORE_VALUE_TEXT;
              value->data = (const char *) sqlite3_column_text (stmt, (int) i);
              value->size = (gsize) sqlite3_column_bytes (stmt, (int) i);
              break;
            case SQLITE_BLOB:
              value->type = TN_STORE_VALUE_BLOB;
              value->data = sqlite3_column_blob (stmt, (int) i);
              value->size = (gsize) sqlite3_column_bytes (stmt, (int) i);
              break;
            default:
              value->type = TN_STORE_VALUE_NULL;
            }
        }
      ok = func (table, n, columns, values, user_data, error);
    }
  if (ok && rc != SQLITE_DONE)
    ok = set_sqlite_error (self, rc, error);
  sqlite3_finalize (stmt);
  return ok;
}

/* Every table of tn_store_copy_tables from one read transaction. */
static gboolean
tn_sqlite_store_export_rows (TnStore         *store,
                             TnStoreRowFunc   func,
                             gpointer         user_data,
                             GError         **error)
{
  TnSqliteStore *self = TN_SQLITE_STORE (store);
  gboolean ok = TRUE;

  if (self->batch)
    {
      g_set_error_literal (error, TN_ERROR, TN_ERROR_CONFLICT, "A batch of changes is open");
      return FALSE;
    }
  if (!exec (self, "BEGIN", error))
    return FALSE;
  for (guint i = 0; ok && tn_store_copy_tables[i] != NULL; i++)
    ok = export_table (self, tn_store_copy_tables[i], func, user_data, error);
  exec (self, "COMMIT", NULL);
  return ok;
}

static void
tn_sqlite_store_iface_init (TnStoreInterface *iface)
{
  iface->export_rows = tn_sqlite_store_export_rows;
  iface->follow = tn_sqlite_store_follow;
  iface->unfollow = tn_sqlite_store_unfollow;
  iface->list_follows = tn_sqlite_store_list_follows;
  iface->update_profile = tn_sqlite_store_update_profile;
  iface->load_rec_data = tn_sqlite_store_load_rec_data;
  iface->list_user_answers = tn_sqlite_store_list_user_answers;
  iface->begin_batch = tn_sqlite_store_begin_batch;
  iface->commit_batch = tn_sqlite_store_commit_batch;
  iface->in_batch = tn_sqlite_store_in_batch;
  iface->get_event_stats = tn_sqlite_store_get_event_stats;
  iface->get_door_stats = tn_sqlite_store_get_door_stats;
  iface->get_attendee_checkins = tn_sqlite_store_get_attendee_checkins;
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
  iface->list_categories = tn_sqlite_store_list_categories;
  iface->set_rsvp = tn_sqlite_store_set_rsvp;
  iface->get_rsvp = tn_sqlite_store_get_rsvp;
  iface->list_attendees = tn_sqlite_store_list_attendees;
  iface->get_attendee = tn_sqlite_store_get_attendee;
  iface->add_guest = tn_sqlite_store_add_guest;
  iface->import_guests = tn_sqlite_store_import_guests;
  iface->update_attendee = tn_sqlite_store_update_attendee;
  iface->reissue_ticket = tn_sqlite_store_reissue_ticket;
  iface->revoke_ticket = tn_sqlite_store_revoke_ticket;
  iface->lookup_ticket = tn_sqlite_store_lookup_ticket;
  iface->get_event_role = tn_sqlite_store_get_event_role;
  iface->list_event_people = tn_sqlite_store_list_event_people;
  iface->set_event_person = tn_sqlite_store_set_event_person;
  iface->remove_event_person = tn_sqlite_store_remove_event_person;
  iface->set_audit = tn_sqlite_store_set_audit;
  iface->list_audit = tn_sqlite_store_list_audit;
  iface->add_pairing_code = tn_sqlite_store_add_pairing_code;
  iface->pair_device = tn_sqlite_store_pair_device;
  iface->list_devices = tn_sqlite_store_list_devices;
  iface->get_device = tn_sqlite_store_get_device;
  iface->lookup_device = tn_sqlite_store_lookup_device;
  iface->rename_device = tn_sqlite_store_rename_device;
  iface->revoke_device = tn_sqlite_store_revoke_device;
  iface->touch_device = tn_sqlite_store_touch_device;
  iface->get_event_key = tn_sqlite_store_get_event_key;
  iface->record_checkins = tn_sqlite_store_record_checkins;
  iface->get_checkin = tn_sqlite_store_get_checkin;
  iface->undo_checkin = tn_sqlite_store_undo_checkin;
  iface->list_changes = tn_sqlite_store_list_changes;
}

/* tn_fold(text) in SQL: text in the form attendee searches compare,
 * tn_store_fold_for_search(); NULL stays NULL. */
static void
sql_fold (sqlite3_context  *context,
          int               argc,
          sqlite3_value   **argv)
{
  const char *text;
  char *folded;

  g_assert (argc == 1);
  text = (const char *) sqlite3_value_text (argv[0]);
  if (text == NULL)
    {
      sqlite3_result_null (context);
      return;
    }
  folded = tn_store_fold_for_search (text);
  sqlite3_result_text (context, folded, -1, g_free);
}

/* --- GObject ------------------------------------------------------------- */

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

/* --- checkpoints --------------------------------------------------------
 *
 * In WAL mode every commit appends to the -wal file, and a checkpoint
 * copies those pages into the database file, then syncs it. SQLite
 * normally checkpoints inside the commit that finds the WAL over 1,000
 * pages: the request that happened to commit then waits for megabytes
 * of copying and a sync, and with it every other request on the main
 * loop. Here a thread of its own, on its own connection, runs PASSIVE
 * checkpoints (which never block the writer or readers) when the WAL
 * has grown; only if it falls far behind does the committing connection
 * checkpoint itself, so the WAL stays bounded. */

#define CHECKPOINT_PAGES       1000    /* SQLite's default autocheckpoint */
#define CHECKPOINT_PAGES_LIMIT 20000   /* ~80 MiB of WAL: checkpoint inline */
#define CHECKPOINT_NOW  GINT_TO_POINTER (1)
#define CHECKPOINT_QUIT GINT_TO_POINTER (2)

typedef struct
{
  char        *path;
  GAsyncQueue *queue;
} Checkpointer;

static gpointer
checkpoint_thread (gpointer data)
{
  Checkpointer *checkpointer = data;
  sqlite3 *db = NULL;
  int rc;

  rc = sqlite3_open_v2 (checkpointer->path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    g_warning ("Cannot open %s for checkpoints: %s", checkpointer->path,
               db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
  else
    {
      sqlite3_busy_timeout (db, 5000);
      /* Its own commits (none) must not checkpoint; its checkpoints sync
       * the database file as the main connection's would. */
      sqlite3_wal_autocheckpoint (db, 0);
      sqlite3_exec (db, "PRAGMA synchronous = FULL", NULL, NULL, NULL);
    }

  for (;;)
    {
      gpointer request = g_async_queue_pop (checkpointer->queue);

      if (request == CHECKPOINT_QUIT)
        break;
      /* Requests that piled up while it worked need one checkpoint. */
      while ((request = g_async_queue_try_pop (checkpointer->queue)) != NULL)
        if (request == CHECKPOINT_QUIT)
          goto quit;
      if (db != NULL)
        {
          rc = sqlite3_wal_checkpoint_v2 (db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
          if (rc != SQLITE_OK && rc != SQLITE_BUSY)
            g_warning ("Checkpoint of %s failed: %s", checkpointer->path, sqlite3_errmsg (db));
        }
    }

quit:
  if (db != NULL)
    sqlite3_close (db);
  g_async_queue_unref (checkpointer->queue);
  g_free (checkpointer->path);
  g_free (checkpointer);
  return NULL;
}

/* SQLite's WAL hook: runs after each commit of the main connection. */
static int
wal_hook (void       *data,
          sqlite3    *db,
          const char *name,
          int         pages)
{
  TnSqliteStore *self = data;

  if (pages >= CHECKPOINT_PAGES_LIMIT || (self->checkpoints == NULL && pages >= CHECKPOINT_PAGES))
    sqlite3_wal_checkpoint_v2 (db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
  else if (pages >= CHECKPOINT_PAGES && g_async_queue_length (self->checkpoints) <= 0)
    g_async_queue_push (self->checkpoints, CHECKPOINT_NOW);
  return SQLITE_OK;
}

static void
start_checkpointer (TnSqliteStore *self)
{
  Checkpointer *checkpointer = g_new0 (Checkpointer, 1);
  g_autoptr(GError) error = NULL;

  self->checkpoints = g_async_queue_new ();
  checkpointer->path = g_strdup (self->path);
  checkpointer->queue = g_async_queue_ref (self->checkpoints);
  self->checkpointer = g_thread_try_new ("tn-checkpoint", checkpoint_thread, checkpointer, &error);
  if (self->checkpointer == NULL)
    {
      /* wal_hook() then checkpoints inline, as SQLite would. */
      g_warning ("Cannot start the checkpoint thread: %s", error->message);
      g_async_queue_unref (checkpointer->queue);
      g_free (checkpointer->path);
      g_free (checkpointer);
      g_clear_pointer (&self->checkpoints, g_async_queue_unref);
    }
  sqlite3_wal_hook (self->db, wal_hook, self);
}

static void
stop_checkpointer (TnSqliteStore *self)
{
  if (self->checkpointer == NULL)
    return;
  g_async_queue_push (self->checkpoints, CHECKPOINT_QUIT);
  g_thread_join (g_steal_pointer (&self->checkpointer));
  g_clear_pointer (&self->checkpoints, g_async_queue_unref);
}

static void
tn_sqlite_store_finalize (GObject *object)
{
  TnSqliteStore *self = (TnSqliteStore *) object;

  stop_checkpointer (self);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->audit, tn_audit_entry_free);
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
  rc = sqlite3_create_function_v2 (self->db, "tn_distance_km", 4,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                   NULL, sql_distance_km, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_INTERNAL, "Cannot register SQL functions on %s: %s",
                   path, sqlite3_errmsg (self->db));
      return NULL;
    }

  rc = sqlite3_create_function_v2 (self->db, "tn_fold", 1,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                   NULL, sql_fold, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_INTERNAL, "Cannot register SQL functions on %s: %s",
                   path, sqlite3_errmsg (self->db));
      return NULL;
    }

  /* synchronous = FULL: in WAL mode, NORMAL does not sync the WAL at each
   * commit, so a power loss can undo transactions the server has already
   * answered as done. FULL syncs the WAL before every COMMIT returns: an
   * acknowledged write survives (issue 3, part 10). */
  if (!exec (self, "PRAGMA journal_mode = WAL", error) ||
      !exec (self, "PRAGMA synchronous = FULL", error) ||
      !exec (self, "PRAGMA foreign_keys = ON", error))
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }
  start_checkpointer (self);

  return g_steal_pointer (&self);
}
