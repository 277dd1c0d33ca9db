/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TnPgStore: the PostgreSQL backend of TnStore (issue 8, docs/POSTGRES.md).
 *
 * In progress: it connects a pool of connections, migrates the schema
 * (every table, index and trigger of the SQLite backend's, in PostgreSQL's
 * terms) and answers ping and count_users. tn_store_open() does not offer
 * it yet: the other methods come next. */
#include "config.h"

#include "tn-pg-store.h"

#include <libpq-fe.h>
#include <stdlib.h>

#include "tn-error.h"

/* Every server migrating one database at once: the first takes this lock
 * for its transaction, the others wait and then find nothing to do. */
#define MIGRATION_LOCK G_GINT64_CONSTANT (0x7475726e6f7574)   /* "turnout" */

/* Migrations: each entry moves the schema from version i to i + 1, in one
 * transaction with the new version. Never edit a released entry; append a
 * new one. Version 1 is the SQLite backend's schema 10 at once: the same
 * tables and columns (INTEGER as bigint, REAL as double precision, BLOB
 * as bytea), the same constraints, and the same triggers as PL/pgSQL
 * functions. What differs:
 *
 * - case-insensitive e-mail addresses and category names (SQLite's
 *   COLLATE NOCASE folds ASCII letters only) are unique indexes on
 *   tn_ascii_lower(), which folds the same letters;
 * - full-text search is a tsvector column kept by a trigger when the text
 *   changes (not on every change of the counts), 'simple' configuration
 *   over unaccent(): case and accents ignored, as SQLite's unicode61
 *   tokenizer with remove_diacritics does, with a GIN index;
 * - the sync counter's row is updated by every transaction that changes
 *   sync data: its row lock orders those transactions, so a door never
 *   reads a number while a smaller one is still to commit. */
static const char *migrations[] = {
  /* 1 */
  "CREATE EXTENSION IF NOT EXISTS unaccent;"
  "CREATE FUNCTION tn_ascii_lower (text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS"
  "  $$SELECT translate ($1, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')$$;"
  "CREATE FUNCTION tn_unaccent (text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS"
  "  $$SELECT public.unaccent ('public.unaccent'::regdictionary, $1)$$;"

  "CREATE TABLE users ("
  "  id            text PRIMARY KEY,"
  "  email         text NOT NULL,"
  "  name          text NOT NULL,"
  "  password_hash text NOT NULL,"
  "  role          text NOT NULL CHECK (role IN ('admin','organizer','staff','member')),"
  "  created_at    bigint NOT NULL,"
  "  home_lat      double precision,"
  "  home_lon      double precision,"
  "  interests     text"
  ");"
  "CREATE UNIQUE INDEX users_email ON users (tn_ascii_lower (email));"
  "CREATE TABLE tokens ("
  "  hash       text PRIMARY KEY,"
  "  user_id    text NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  created_at bigint NOT NULL,"
  "  expires_at bigint NOT NULL,"
  "  revoked_at bigint"
  ");"
  "CREATE INDEX tokens_user ON tokens (user_id);"

  "CREATE TABLE events ("
  "  id               text PRIMARY KEY,"
  "  title            text NOT NULL,"
  "  description      text NOT NULL DEFAULT '',"
  "  starts_at        bigint NOT NULL,"
  "  ends_at          bigint NOT NULL,"
  "  location         text NOT NULL DEFAULT '',"
  "  lat              double precision,"
  "  lon              double precision,"
  "  capacity         bigint,"
  "  category         text NOT NULL DEFAULT '',"
  "  tags             text NOT NULL DEFAULT '',"   /* joined by U+001F */
  "  visibility       text NOT NULL CHECK (visibility IN ('public','unlisted','private')),"
  "  waitlist         integer NOT NULL DEFAULT 0,"
  "  price            double precision,"
  "  currency         text,"
  "  status           text NOT NULL CHECK (status IN ('scheduled','cancelled')),"
  "  organizer_id     text REFERENCES users (id) ON DELETE SET NULL,"
  "  version          bigint NOT NULL,"
  "  created_at       bigint NOT NULL,"
  "  updated_at       bigint NOT NULL,"
  "  waitlist_counter bigint NOT NULL DEFAULT 0,"
  "  going_count      bigint NOT NULL DEFAULT 0,"
  "  waitlisted_count bigint NOT NULL DEFAULT 0,"
  "  search           tsvector NOT NULL DEFAULT ''"
  ");"
  "CREATE INDEX events_start ON events (starts_at, id);"
  "CREATE INDEX events_category ON events (category, starts_at);"
  "CREATE INDEX events_organizer ON events (organizer_id);"
  "CREATE INDEX events_position ON events (lat, lon);"
  "CREATE INDEX events_search ON events USING gin (search);"
  "CREATE FUNCTION tn_events_search () RETURNS trigger LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  NEW.search := to_tsvector ('simple', tn_unaccent (concat_ws (' ', NEW.title, NEW.description,"
  "                             NEW.location, NEW.category, replace (NEW.tags, chr (31), ' '))));"
  "  RETURN NEW;"
  "END $$;"
  "CREATE TRIGGER events_search BEFORE INSERT OR UPDATE OF title, description, location, category, tags"
  "  ON events FOR EACH ROW EXECUTE FUNCTION tn_events_search ();"
  "CREATE TABLE event_tags ("
  "  tag      text NOT NULL,"
  "  event_id text NOT NULL REFERENCES events (id) ON DELETE CASCADE,"
  "  PRIMARY KEY (tag, event_id)"
  ");"
  "CREATE INDEX event_tags_event ON event_tags (event_id);"

  "CREATE TABLE sync_counter ("
  "  id  integer PRIMARY KEY CHECK (id = 1),"
  "  seq bigint NOT NULL"
  ");"
  "INSERT INTO sync_counter (id, seq) VALUES (1, 0);"
  "CREATE FUNCTION tn_next_sync () RETURNS bigint LANGUAGE sql VOLATILE AS"
  "  $$UPDATE sync_counter SET seq = seq + 1 WHERE id = 1 RETURNING seq$$;"

  "CREATE TABLE attendees ("
  "  id           text PRIMARY KEY,"
  "  event_id     text NOT NULL REFERENCES events (id) ON DELETE CASCADE,"
  "  user_id      text REFERENCES users (id) ON DELETE SET NULL,"
  "  name         text NOT NULL,"
  "  email        text NOT NULL,"
  "  status       text NOT NULL CHECK (status IN ('going','waitlisted','interested','maybe','not_going')),"
  "  waitlist_seq bigint,"
  "  ticket_type  text NOT NULL DEFAULT '',"
  "  note         text NOT NULL DEFAULT '',"
  "  created_at   bigint NOT NULL,"
  "  updated_at   bigint NOT NULL,"
  "  sync_seq     bigint NOT NULL DEFAULT 0"
  ");"
  "CREATE UNIQUE INDEX attendees_event_email ON attendees (event_id, tn_ascii_lower (email));"
  "CREATE UNIQUE INDEX attendees_event_user ON attendees (event_id, user_id) WHERE user_id IS NOT NULL;"
  "CREATE INDEX attendees_event_status ON attendees (event_id, status, waitlist_seq);"
  "CREATE INDEX attendees_user_event ON attendees (user_id, event_id);"
  "CREATE INDEX attendees_sync ON attendees (event_id, sync_seq);"
  /* the event's seats taken and people waiting */
  "CREATE FUNCTION tn_attendees_count () RETURNS trigger LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  IF TG_OP IN ('DELETE', 'UPDATE') THEN"
  "    UPDATE events SET going_count = going_count - (OLD.status = 'going')::int,"
  "                      waitlisted_count = waitlisted_count - (OLD.status = 'waitlisted')::int"
  "      WHERE id = OLD.event_id;"
  "  END IF;"
  "  IF TG_OP IN ('INSERT', 'UPDATE') THEN"
  "    UPDATE events SET going_count = going_count + (NEW.status = 'going')::int,"
  "                      waitlisted_count = waitlisted_count + (NEW.status = 'waitlisted')::int"
  "      WHERE id = NEW.event_id;"
  "  END IF;"
  "  RETURN NULL;"
  "END $$;"
  "CREATE TRIGGER attendees_count AFTER INSERT OR DELETE ON attendees"
  "  FOR EACH ROW EXECUTE FUNCTION tn_attendees_count ();"
  "CREATE TRIGGER attendees_count_update AFTER UPDATE OF status, event_id ON attendees"
  "  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.event_id IS DISTINCT FROM NEW.event_id)"
  "  EXECUTE FUNCTION tn_attendees_count ();"
  /* every change of an attendee takes the next sync number, unless the
   * change is the number itself */
  "CREATE FUNCTION tn_attendees_sync () RETURNS trigger LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  IF TG_OP = 'INSERT' OR NEW.sync_seq IS NOT DISTINCT FROM OLD.sync_seq THEN"
  "    NEW.sync_seq := tn_next_sync ();"
  "  END IF;"
  "  RETURN NEW;"
  "END $$;"
  "CREATE TRIGGER attendees_sync BEFORE INSERT OR UPDATE ON attendees"
  "  FOR EACH ROW EXECUTE FUNCTION tn_attendees_sync ();"

  "CREATE TABLE tickets ("
  "  code        text PRIMARY KEY,"
  "  attendee_id text NOT NULL REFERENCES attendees (id) ON DELETE CASCADE,"
  "  event_id    text NOT NULL REFERENCES events (id) ON DELETE CASCADE,"
  "  issued_at   bigint NOT NULL,"
  "  revoked_at  bigint,"
  "  sync_seq    bigint NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX tickets_attendee ON tickets (attendee_id);"
  "CREATE INDEX tickets_sync ON tickets (event_id, sync_seq) WHERE revoked_at IS NOT NULL;"
  /* a new ticket is a change of its attendee; a revoked one takes a
   * number, and so does its attendee after it */
  "CREATE FUNCTION tn_tickets_attendee_sync () RETURNS trigger LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  UPDATE attendees SET sync_seq = tn_next_sync () WHERE id = NEW.attendee_id;"
  "  RETURN NULL;"
  "END $$;"
  "CREATE FUNCTION tn_tickets_revoke_sync () RETURNS trigger LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  NEW.sync_seq := tn_next_sync ();"
  "  RETURN NEW;"
  "END $$;"
  "CREATE TRIGGER tickets_sync_insert AFTER INSERT ON tickets"
  "  FOR EACH ROW EXECUTE FUNCTION tn_tickets_attendee_sync ();"
  "CREATE TRIGGER tickets_sync_revoke BEFORE UPDATE OF revoked_at ON tickets"
  "  FOR EACH ROW WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL)"
  "  EXECUTE FUNCTION tn_tickets_revoke_sync ();"
  "CREATE TRIGGER tickets_sync_revoke_attendee AFTER UPDATE OF revoked_at ON tickets"
  "  FOR EACH ROW WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL)"
  "  EXECUTE FUNCTION tn_tickets_attendee_sync ();"

  "CREATE TABLE categories ("
  "  slug     text PRIMARY KEY,"
  "  name     text NOT NULL,"
  "  colour   text NOT NULL CHECK (colour ~ '^#[0-9a-f]{6}$'),"
  "  icon     text NOT NULL,"
  "  position bigint NOT NULL UNIQUE"
  ");"
  "CREATE UNIQUE INDEX categories_name ON categories (tn_ascii_lower (name));"
  "CREATE TABLE event_people ("
  "  event_id   text NOT NULL REFERENCES events (id) ON DELETE CASCADE,"
  "  user_id    text NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  role       text NOT NULL CHECK (role IN ('cohost','staff','invited')),"
  "  created_at bigint NOT NULL,"
  "  PRIMARY KEY (event_id, user_id)"
  ");"
  "CREATE INDEX event_people_user ON event_people (user_id);"
  "CREATE TABLE audit_log ("
  "  seq         bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  at          bigint NOT NULL,"
  "  actor_id    text,"
  "  actor_email text,"
  "  action      text NOT NULL,"
  "  target_type text NOT NULL,"
  "  target_id   text,"
  "  event_id    text,"
  "  details     text"
  ");"
  "CREATE INDEX audit_log_event ON audit_log (event_id, seq);"
  "CREATE INDEX audit_log_at ON audit_log (at);"

  "CREATE TABLE event_keys ("
  "  event_id   text PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,"
  "  public_key bytea NOT NULL CHECK (length (public_key) = 32),"
  "  secret_key bytea NOT NULL CHECK (length (secret_key) = 64),"
  "  created_at bigint NOT NULL"
  ");"
  "CREATE TABLE pairing_codes ("
  "  hash       text PRIMARY KEY,"
  "  event_id   text NOT NULL REFERENCES events (id) ON DELETE CASCADE,"
  "  role       text NOT NULL CHECK (role IN ('steward','supervisor')),"
  "  name       text,"
  "  created_at bigint NOT NULL,"
  "  expires_at bigint NOT NULL,"
  "  used_at    bigint"
  ");"
  "CREATE TABLE devices ("
  "  id           text PRIMARY KEY,"
  "  event_id     text NOT NULL REFERENCES events (id) ON DELETE CASCADE,"
  "  name         text NOT NULL,"
  "  role         text NOT NULL CHECK (role IN ('steward','supervisor')),"
  "  token_hash   text NOT NULL UNIQUE,"
  "  created_at   bigint NOT NULL,"
  "  last_seen_at bigint,"
  "  revoked_at   bigint"
  ");"
  "CREATE INDEX devices_event ON devices (event_id, created_at);"
  /* a device that goes with its event is still known by its token */
  "CREATE TABLE removed_devices ("
  "  token_hash   text PRIMARY KEY,"
  "  id           text NOT NULL,"
  "  event_id     text NOT NULL,"
  "  name         text NOT NULL,"
  "  role         text NOT NULL,"
  "  created_at   bigint NOT NULL,"
  "  last_seen_at bigint,"
  "  revoked_at   bigint NOT NULL"
  ");"
  "CREATE FUNCTION tn_devices_removed () RETURNS trigger LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  INSERT INTO removed_devices (token_hash, id, event_id, name, role, created_at, last_seen_at, revoked_at)"
  "    VALUES (OLD.token_hash, OLD.id, OLD.event_id, OLD.name, OLD.role, OLD.created_at, OLD.last_seen_at,"
  "            coalesce (OLD.revoked_at, extract (epoch FROM now ())::bigint))"
  "    ON CONFLICT (token_hash) DO UPDATE SET id = EXCLUDED.id, event_id = EXCLUDED.event_id,"
  "      name = EXCLUDED.name, role = EXCLUDED.role, created_at = EXCLUDED.created_at,"
  "      last_seen_at = EXCLUDED.last_seen_at, revoked_at = EXCLUDED.revoked_at;"
  "  RETURN NULL;"
  "END $$;"
  "CREATE TRIGGER devices_removed AFTER DELETE ON devices FOR EACH ROW EXECUTE FUNCTION tn_devices_removed ();"
  "CREATE TABLE checkins ("
  "  id              text PRIMARY KEY,"
  "  event_id        text NOT NULL REFERENCES events (id) ON DELETE CASCADE,"
  "  code            text NOT NULL,"
  "  ticket_code     text,"
  "  attendee_id     text,"
  "  direction       text NOT NULL CHECK (direction IN ('in','out')),"
  "  scanned_at      bigint NOT NULL,"
  "  received_at     bigint NOT NULL,"
  "  device          text NOT NULL,"
  "  local_verdict   text,"
  "  verdict         text NOT NULL CHECK (verdict IN ('accepted','duplicate','unknown','wrong_event',"
  "                    'revoked','not_going','not_inside')),"
  "  flagged         integer NOT NULL DEFAULT 0,"
  "  undone_at       bigint,"
  "  prev_scanned_at bigint,"
  "  prev_device     text,"
  "  sync_seq        bigint NOT NULL"
  ");"
  "CREATE INDEX checkins_ticket ON checkins (event_id, ticket_code, scanned_at);"
  "CREATE INDEX checkins_sync ON checkins (event_id, sync_seq);"

  "CREATE TABLE follows ("
  "  follower_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  followee_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  created_at  bigint NOT NULL,"
  "  PRIMARY KEY (follower_id, followee_id),"
  "  CHECK (follower_id <> followee_id)"
  ");"
  "CREATE INDEX follows_follower ON follows (follower_id, created_at, followee_id);"
  "CREATE INDEX follows_followee ON follows (followee_id, created_at, follower_id);",
};

struct _TnPgStore
{
  GObject      parent_instance;

  char        *uri;
  guint        pool_size;
  GAsyncQueue *pool;   /* idle connections (PGconn *) */
};

static void tn_pg_store_iface_init (TnStoreInterface *iface);

G_DEFINE_TYPE_WITH_CODE (TnPgStore, tn_pg_store, G_TYPE_OBJECT,
                         G_IMPLEMENT_INTERFACE (TN_TYPE_STORE, tn_pg_store_iface_init))

/* --- connections ---------------------------------------------------------- */

static void
log_notice (void       *data,
            const char *message)
{
  g_debug ("PostgreSQL: %s", message);
}

/* The URI without its password, for messages. */
static char *
uri_for_messages (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED, NULL);

  if (parsed == NULL)
    return g_strdup ("the PostgreSQL database");
  return g_uri_to_string_partial (parsed, G_URI_HIDE_PASSWORD);
}

static PGconn *
connect_one (TnPgStore  *self,
             GError    **error)
{
  PGconn *conn = PQconnectdb (self->uri);
  PGresult *result;

  if (PQstatus (conn) != CONNECTION_OK)
    {
      g_autofree char *where = uri_for_messages (self->uri);
      g_autofree char *message = g_strstrip (g_strdup (PQerrorMessage (conn)));

      g_set_error (error, TN_ERROR, TN_ERROR_UNAVAILABLE, "Cannot connect to %s: %s", where, message);
      PQfinish (conn);
      return NULL;
    }
  PQsetNoticeProcessor (conn, log_notice, NULL);
  /* UTF-8 both ways, and times and text the same whatever the server's
   * settings */
  result = PQexec (conn, "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC';"
                         "SET application_name = 'turnout-server'");
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_INTERNAL, "Cannot set up the connection: %s", PQerrorMessage (conn));
      PQclear (result);
      PQfinish (conn);
      return NULL;
    }
  PQclear (result);
  return conn;
}

/* A connection of the pool, for the caller alone until release(); waits
 * while all are taken. A broken one is replaced first. */
static PGconn *
acquire (TnPgStore  *self,
         GError    **error)
{
  PGconn *conn = g_async_queue_pop (self->pool);

  if (PQstatus (conn) == CONNECTION_OK)
    return conn;
  PQreset (conn);
  if (PQstatus (conn) == CONNECTION_OK)
    return conn;
  g_set_error (error, TN_ERROR, TN_ERROR_UNAVAILABLE, "The database connection is lost: %s", PQerrorMessage (conn));
  g_async_queue_push (self->pool, conn);
  return NULL;
}

static void
release (TnPgStore *self,
         PGconn    *conn)
{
  /* a transaction left open (an error path) must not reach the next user */
  if (PQtransactionStatus (conn) != PQTRANS_IDLE)
    PQclear (PQexec (conn, "ROLLBACK"));
  g_async_queue_push (self->pool, conn);
}

/* Sets @error from a failed result: unique and foreign-key violations are
 * conflicts, a lost connection is "unavailable", the rest internal. */
static gboolean
set_pg_error (PGconn    *conn,
              PGresult  *result,
              GError   **error)
{
  const char *state = result != NULL ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;
  g_autofree char *message = g_strstrip (g_strdup (PQerrorMessage (conn)));

  if (PQstatus (conn) != CONNECTION_OK)
    g_set_error (error, TN_ERROR, TN_ERROR_UNAVAILABLE, "The database connection is lost: %s", message);
  else if (state != NULL && g_str_has_prefix (state, "23"))
    g_set_error (error, TN_ERROR, TN_ERROR_CONFLICT, "%s", message);
  else
    g_set_error (error, TN_ERROR, TN_ERROR_INTERNAL, "Database error: %s", message);
  return FALSE;
}

/* Runs @sql (no parameters, any number of statements) expecting @status. */
static gboolean
exec_sql (PGconn          *conn,
          const char      *sql,
          ExecStatusType   status,
          PGresult       **out_result,
          GError         **error)
{
  PGresult *result = PQexec (conn, sql);

  if (PQresultStatus (result) != status)
    {
      set_pg_error (conn, result, error);
      PQclear (result);
      return FALSE;
    }
  if (out_result != NULL)
    *out_result = result;
  else
    PQclear (result);
  return TRUE;
}

/* --- schema ----------------------------------------------------------------- */

static gint
read_version (PGconn  *conn,
              GError **error)
{
  PGresult *result = NULL;
  gint version;

  if (!exec_sql (conn, "SELECT version FROM turnout_schema WHERE id = 1", PGRES_TUPLES_OK, &result, error))
    return -1;
  version = PQntuples (result) == 1 ? atoi (PQgetvalue (result, 0, 0)) : 0;
  PQclear (result);
  return version;
}

static gboolean
migrate_on (PGconn  *conn,
            GError **error)
{
  g_autofree char *lock = g_strdup_printf ("SELECT pg_advisory_xact_lock (%" G_GINT64_FORMAT ")", MIGRATION_LOCK);
  gint version;

  if (!exec_sql (conn, "BEGIN", PGRES_COMMAND_OK, NULL, error) ||
      !exec_sql (conn, lock, PGRES_TUPLES_OK, NULL, error) ||
      !exec_sql (conn,
                 "CREATE TABLE IF NOT EXISTS turnout_schema ("
                 "  id      integer PRIMARY KEY CHECK (id = 1),"
                 "  version integer NOT NULL"
                 ")", PGRES_COMMAND_OK, NULL, error))
    return FALSE;
  version = read_version (conn, error);
  if (version < 0)
    return FALSE;
  if (version > (gint) G_N_ELEMENTS (migrations))
    {
      g_set_error (error, TN_ERROR, TN_ERROR_INTERNAL,
                   "The database has schema version %d, newer than this turnout-server knows (%u): "
                   "use a newer turnout-server", version, (guint) G_N_ELEMENTS (migrations));
      return FALSE;
    }
  for (guint i = (guint) version; i < G_N_ELEMENTS (migrations); i++)
    {
      g_autofree char *set_version = g_strdup_printf ("INSERT INTO turnout_schema (id, version) VALUES (1, %u) "
                                                      "ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version",
                                                      i + 1);

      if (!exec_sql (conn, migrations[i], PGRES_COMMAND_OK, NULL, error) ||
          !exec_sql (conn, set_version, PGRES_COMMAND_OK, NULL, error))
        {
          g_prefix_error (error, "Migration to schema version %u: ", i + 1);
          return FALSE;
        }
      g_info ("Migrated the PostgreSQL database to schema version %u", i + 1);
    }
  return exec_sql (conn, "COMMIT", PGRES_COMMAND_OK, NULL, error);
}

static gboolean
tn_pg_store_migrate (TnStore  *store,
                     GError  **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  PGconn *conn = acquire (self, error);
  gboolean ok;

  if (conn == NULL)
    return FALSE;
  ok = migrate_on (conn, error);
  release (self, conn);
  return ok;
}

/**
 * tn_pg_store_get_schema_version:
 *
 * Returns: the database's schema version (0 before the first migration),
 *   or -1 with @error set
 */
gint
tn_pg_store_get_schema_version (TnPgStore  *self,
                                GError    **error)
{
  PGconn *conn;
  PGresult *result = NULL;
  gint version = -1;

  g_return_val_if_fail (TN_IS_PG_STORE (self), -1);

  conn = acquire (self, error);
  if (conn == NULL)
    return -1;
  if (exec_sql (conn, "SELECT to_regclass ('turnout_schema') IS NOT NULL", PGRES_TUPLES_OK, &result, error))
    {
      gboolean exists = g_str_equal (PQgetvalue (result, 0, 0), "t");

      version = exists ? read_version (conn, error) : 0;
      PQclear (result);
    }
  release (self, conn);
  return version;
}

/* --- the store ------------------------------------------------------------ */

static gboolean
tn_pg_store_ping (TnStore  *store,
                  GError  **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  PGconn *conn = acquire (self, error);
  gboolean ok;

  if (conn == NULL)
    return FALSE;
  ok = exec_sql (conn, "SELECT 1", PGRES_TUPLES_OK, NULL, error);
  release (self, conn);
  return ok;
}

static gint64
tn_pg_store_count_users (TnStore  *store,
                         GError  **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  PGconn *conn = acquire (self, error);
  PGresult *result = NULL;
  gint64 count = -1;

  if (conn == NULL)
    return -1;
  if (exec_sql (conn, "SELECT count(*) FROM users", PGRES_TUPLES_OK, &result, error))
    {
      count = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
      PQclear (result);
    }
  release (self, conn);
  return count;
}

static void
tn_pg_store_iface_init (TnStoreInterface *iface)
{
  iface->migrate = tn_pg_store_migrate;
  iface->ping = tn_pg_store_ping;
  iface->count_users = tn_pg_store_count_users;
}

static void
tn_pg_store_finalize (GObject *object)
{
  TnPgStore *self = TN_PG_STORE (object);
  PGconn *conn;

  if (self->pool != NULL)
    {
      while ((conn = g_async_queue_try_pop (self->pool)) != NULL)
        PQfinish (conn);
      g_async_queue_unref (self->pool);
    }
  g_free (self->uri);
  G_OBJECT_CLASS (tn_pg_store_parent_class)->finalize (object);
}

static void
tn_pg_store_class_init (TnPgStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tn_pg_store_finalize;
}

static void
tn_pg_store_init (TnPgStore *self)
{
}

/**
 * tn_pg_store_new:
 * @uri: a libpq connection URI (`postgresql://…`) or key=value string
 * @pool_size: connections to keep open (at least 1)
 *
 * Connects @pool_size connections. The store is not migrated: call
 * tn_store_migrate().
 *
 * Returns: (transfer full) (nullable): the store, or %NULL with @error set
 *   (%TN_ERROR_UNAVAILABLE when the database cannot be reached)
 */
TnPgStore *
tn_pg_store_new (const char  *uri,
                 guint        pool_size,
                 GError     **error)
{
  g_autoptr(TnPgStore) self = NULL;

  g_return_val_if_fail (uri != NULL, NULL);

  self = g_object_new (TN_TYPE_PG_STORE, NULL);
  self->uri = g_strdup (uri);
  self->pool_size = MAX (pool_size, 1);
  self->pool = g_async_queue_new ();
  for (guint i = 0; i < self->pool_size; i++)
    {
      PGconn *conn = connect_one (self, error);

      if (conn == NULL)
        return NULL;
      g_async_queue_push (self->pool, conn);
    }
  return g_steal_pointer (&self);
}

guint
tn_pg_store_get_pool_size (TnPgStore *self)
{
  g_return_val_if_fail (TN_IS_PG_STORE (self), 0);
  return self->pool_size;
}
