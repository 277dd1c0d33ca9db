/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TnPgStore: the PostgreSQL backend of TnStore (issue 8, docs/POSTGRES.md).
 *
 * In progress: it connects a pool of connections, migrates the schema
 * (every table, index and trigger of the SQLite backend's, in PostgreSQL's
 * terms) and serves users, tokens, events, categories, RSVPs, event
 * teams and guest lists, attendees and tickets, and the audit entry of
 * the next change.
 * tn_store_open() does not offer it yet: the other methods come next.
 *
 * Every call takes a connection of the pool for its duration, so calls
 * from several threads run side by side; a change runs in a transaction
 * of its own. Statements are prepared once per connection. */
#include "config.h"

#include "tn-pg-store.h"

#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <libpq-fe.h>
#include <sodium.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tn-error.h"
#include "tn-id.h"
#include "tn-signed-ticket.h"
#include "tn-store-sql.h"
#include "tn-ticket-code.h"
#include "tn-time.h"

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
 * - text columns compare and sort bytewise (COLLATE "C"), as SQLite's
 *   do, whatever the database's locale;
 * - case-insensitive e-mail addresses and category names (SQLite's
 *   COLLATE NOCASE folds ASCII letters only) are unique indexes on
 *   tn_ascii_lower(), which folds the same letters;
 * - full-text search is a tsvector column kept by a trigger when the text
 *   changes (not on every change of the counts), 'simple' configuration
 *   over unaccent(): case and accents ignored, as SQLite's unicode61
 *   tokenizer with remove_diacritics does, with a GIN index;
 * - attendee searches compare name_fold and email_fold, kept by the
 *   store with the same folding as SQLite's tn_fold () (GLib's, not
 *   SQL's: the same text matches in both);
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
  /* tn_store_distance_km () in SQL: the haversine formula, mean radius
   * 6371.0088 km; NULL if any is NULL */
  "CREATE FUNCTION tn_distance_km (double precision, double precision, double precision, double precision)"
  "  RETURNS double precision LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS"
  "  $$SELECT 2.0 * 6371.0088 * asin (sqrt (least (greatest ("
  "      sin (radians ($3 - $1) / 2) ^ 2 + cos (radians ($1)) * cos (radians ($3)) * sin (radians ($4 - $2) / 2) ^ 2,"
  "      0.0), 1.0)))$$;"

  "CREATE TABLE users ("
  "  id            text COLLATE \"C\" PRIMARY KEY,"
  "  email         text COLLATE \"C\" NOT NULL,"
  "  name          text COLLATE \"C\" NOT NULL,"
  "  password_hash text COLLATE \"C\" NOT NULL,"
  "  role          text COLLATE \"C\" NOT NULL CHECK (role IN ('admin','organizer','staff','member')),"
  "  created_at    bigint NOT NULL,"
  "  home_lat      double precision,"
  "  home_lon      double precision,"
  "  interests     text COLLATE \"C\""
  ");"
  "CREATE UNIQUE INDEX users_email ON users (tn_ascii_lower (email));"
  "CREATE TABLE tokens ("
  "  hash       text COLLATE \"C\" PRIMARY KEY,"
  "  user_id    text COLLATE \"C\" NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  created_at bigint NOT NULL,"
  "  expires_at bigint NOT NULL,"
  "  revoked_at bigint"
  ");"
  "CREATE INDEX tokens_user ON tokens (user_id);"

  "CREATE TABLE events ("
  "  id               text COLLATE \"C\" PRIMARY KEY,"
  "  title            text COLLATE \"C\" NOT NULL,"
  "  description      text COLLATE \"C\" NOT NULL DEFAULT '',"
  "  starts_at        bigint NOT NULL,"
  "  ends_at          bigint NOT NULL,"
  "  location         text COLLATE \"C\" NOT NULL DEFAULT '',"
  "  lat              double precision,"
  "  lon              double precision,"
  "  capacity         bigint,"
  "  category         text COLLATE \"C\" NOT NULL DEFAULT '',"
  "  tags             text COLLATE \"C\" NOT NULL DEFAULT '',"   /* joined by U+001F */
  "  visibility       text COLLATE \"C\" NOT NULL CHECK (visibility IN ('public','unlisted','private')),"
  "  waitlist         integer NOT NULL DEFAULT 0,"
  "  price            double precision,"
  "  currency         text COLLATE \"C\","
  "  status           text COLLATE \"C\" NOT NULL CHECK (status IN ('scheduled','cancelled')),"
  "  organizer_id     text COLLATE \"C\" REFERENCES users (id) ON DELETE SET NULL,"
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
  "  tag      text COLLATE \"C\" NOT NULL,"
  "  event_id text COLLATE \"C\" NOT NULL REFERENCES events (id) ON DELETE CASCADE,"
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
  "  id           text COLLATE \"C\" PRIMARY KEY,"
  "  event_id     text COLLATE \"C\" NOT NULL REFERENCES events (id) ON DELETE CASCADE,"
  "  user_id      text COLLATE \"C\" REFERENCES users (id) ON DELETE SET NULL,"
  "  name         text COLLATE \"C\" NOT NULL,"
  "  email        text COLLATE \"C\" NOT NULL,"
  "  status       text COLLATE \"C\" NOT NULL CHECK (status IN ('going','waitlisted','interested','maybe','not_going')),"
  "  waitlist_seq bigint,"
  "  ticket_type  text COLLATE \"C\" NOT NULL DEFAULT '',"
  "  note         text COLLATE \"C\" NOT NULL DEFAULT '',"
  "  created_at   bigint NOT NULL,"
  "  updated_at   bigint NOT NULL,"
  "  sync_seq     bigint NOT NULL DEFAULT 0,"
  /* name and e-mail address as attendee searches compare them
   * (tn_store_fold_for_search (), kept by the store) */
  "  name_fold    text COLLATE \"C\" NOT NULL DEFAULT '',"
  "  email_fold   text COLLATE \"C\" NOT NULL DEFAULT ''"
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
  "  code        text COLLATE \"C\" PRIMARY KEY,"
  "  attendee_id text COLLATE \"C\" NOT NULL REFERENCES attendees (id) ON DELETE CASCADE,"
  "  event_id    text COLLATE \"C\" NOT NULL REFERENCES events (id) ON DELETE CASCADE,"
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
  "  slug     text COLLATE \"C\" PRIMARY KEY,"
  "  name     text COLLATE \"C\" NOT NULL,"
  "  colour   text COLLATE \"C\" NOT NULL CHECK (colour ~ '^#[0-9a-f]{6}$'),"
  "  icon     text COLLATE \"C\" NOT NULL,"
  "  position bigint NOT NULL UNIQUE"
  ");"
  "CREATE UNIQUE INDEX categories_name ON categories (tn_ascii_lower (name));"
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
  "  ('other',             'Other',             '#77767b', 'view-more-symbolic',              12);"
  "CREATE TABLE event_people ("
  "  event_id   text COLLATE \"C\" NOT NULL REFERENCES events (id) ON DELETE CASCADE,"
  "  user_id    text COLLATE \"C\" NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  role       text COLLATE \"C\" NOT NULL CHECK (role IN ('cohost','staff','invited')),"
  "  created_at bigint NOT NULL,"
  "  PRIMARY KEY (event_id, user_id)"
  ");"
  "CREATE INDEX event_people_user ON event_people (user_id);"
  "CREATE TABLE audit_log ("
  "  seq         bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  at          bigint NOT NULL,"
  "  actor_id    text COLLATE \"C\","
  "  actor_email text COLLATE \"C\","
  "  action      text COLLATE \"C\" NOT NULL,"
  "  target_type text COLLATE \"C\" NOT NULL,"
  "  target_id   text COLLATE \"C\","
  "  event_id    text COLLATE \"C\","
  "  details     text COLLATE \"C\""
  ");"
  "CREATE INDEX audit_log_event ON audit_log (event_id, seq);"
  "CREATE INDEX audit_log_at ON audit_log (at);"

  "CREATE TABLE event_keys ("
  "  event_id   text COLLATE \"C\" PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,"
  "  public_key bytea NOT NULL CHECK (length (public_key) = 32),"
  "  secret_key bytea NOT NULL CHECK (length (secret_key) = 64),"
  "  created_at bigint NOT NULL"
  ");"
  "CREATE TABLE pairing_codes ("
  "  hash       text COLLATE \"C\" PRIMARY KEY,"
  "  event_id   text COLLATE \"C\" NOT NULL REFERENCES events (id) ON DELETE CASCADE,"
  "  role       text COLLATE \"C\" NOT NULL CHECK (role IN ('steward','supervisor')),"
  "  name       text COLLATE \"C\","
  "  created_at bigint NOT NULL,"
  "  expires_at bigint NOT NULL,"
  "  used_at    bigint"
  ");"
  "CREATE TABLE devices ("
  "  id           text COLLATE \"C\" PRIMARY KEY,"
  "  event_id     text COLLATE \"C\" NOT NULL REFERENCES events (id) ON DELETE CASCADE,"
  "  name         text COLLATE \"C\" NOT NULL,"
  "  role         text COLLATE \"C\" NOT NULL CHECK (role IN ('steward','supervisor')),"
  "  token_hash   text COLLATE \"C\" NOT NULL UNIQUE,"
  "  created_at   bigint NOT NULL,"
  "  last_seen_at bigint,"
  "  revoked_at   bigint"
  ");"
  "CREATE INDEX devices_event ON devices (event_id, created_at);"
  /* a device that goes with its event is still known by its token */
  "CREATE TABLE removed_devices ("
  "  token_hash   text COLLATE \"C\" PRIMARY KEY,"
  "  id           text COLLATE \"C\" NOT NULL,"
  "  event_id     text COLLATE \"C\" NOT NULL,"
  "  name         text COLLATE \"C\" NOT NULL,"
  "  role         text COLLATE \"C\" NOT NULL,"
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
  "  id              text COLLATE \"C\" PRIMARY KEY,"
  "  event_id        text COLLATE \"C\" NOT NULL REFERENCES events (id) ON DELETE CASCADE,"
  "  code            text COLLATE \"C\" NOT NULL,"
  "  ticket_code     text COLLATE \"C\","
  "  attendee_id     text COLLATE \"C\","
  "  direction       text COLLATE \"C\" NOT NULL CHECK (direction IN ('in','out')),"
  "  scanned_at      bigint NOT NULL,"
  "  received_at     bigint NOT NULL,"
  "  device          text COLLATE \"C\" NOT NULL,"
  "  local_verdict   text COLLATE \"C\","
  "  verdict         text COLLATE \"C\" NOT NULL CHECK (verdict IN ('accepted','duplicate','unknown','wrong_event',"
  "                    'revoked','not_going','not_inside')),"
  "  flagged         integer NOT NULL DEFAULT 0,"
  "  undone_at       bigint,"
  "  prev_scanned_at bigint,"
  "  prev_device     text COLLATE \"C\","
  "  sync_seq        bigint NOT NULL,"
  /* the order scans arrived in (SQLite's rowid): a ticket's scans made
   * at the same second and received together are judged in it */
  "  arrival         bigint GENERATED ALWAYS AS IDENTITY"
  ");"
  "CREATE INDEX checkins_ticket ON checkins (event_id, ticket_code, scanned_at);"
  "CREATE INDEX checkins_sync ON checkins (event_id, sync_seq);"

  "CREATE TABLE follows ("
  "  follower_id text COLLATE \"C\" NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  followee_id text COLLATE \"C\" NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  created_at  bigint NOT NULL,"
  "  PRIMARY KEY (follower_id, followee_id),"
  "  CHECK (follower_id <> followee_id)"
  ");"
  "CREATE INDEX follows_follower ON follows (follower_id, created_at, followee_id);"
  "CREATE INDEX follows_followee ON follows (followee_id, created_at, follower_id);",
};

typedef struct
{
  PGconn     *pg;
  GHashTable *prepared;   /* SQL → name of its prepared statement */
} Conn;

typedef struct _Listener Listener;

struct _TnPgStore
{
  GObject      parent_instance;

  char        *uri;
  guint        pool_size;
  GAsyncQueue *pool;       /* idle connections (Conn *) */
  char        *instance;   /* this store's id in its messages to the others */
  Listener    *listener;   /* of the other servers' messages, if listening */
  Conn        *importing;  /* the connection of an import under way (tn_store_copy()) */
};

/* The audit entry of the next change, per thread: a change runs on the
 * thread that set it, and other threads' changes are not its. */
typedef struct
{
  TnPgStore    *store;
  TnAuditEntry *entry;
} PendingAudit;

static void
pending_audit_free (gpointer data)
{
  PendingAudit *pending = data;

  tn_audit_entry_free (pending->entry);
  g_free (pending);
}

static GPrivate pending_audit = G_PRIVATE_INIT (pending_audit_free);

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

static void
conn_free (Conn *c)
{
  PQfinish (c->pg);
  g_hash_table_unref (c->prepared);
  g_free (c);
}

static Conn *
connect_one (TnPgStore  *self,
             GError    **error)
{
  Conn *c;
  PGconn *conn = PQconnectdb (self->uri);
  PGresult *result;

  if (PQstatus (conn) != CONNECTION_OK)
    {
      g_autofree char *where = tn_store_uri_for_messages (self->uri);
      g_autofree char *message = g_strstrip (g_strdup (PQerrorMessage (conn)));

      g_set_error (error, TN_ERROR, TN_ERROR_UNAVAILABLE, "Cannot connect to %s: %s", where, message);
      PQfinish (conn);
      return NULL;
    }
  PQsetNoticeProcessor (conn, log_notice, NULL);
  /* UTF-8 both ways, and times and text the same whatever the server's
   * settings. Plans are made for each execution's parameters and the
   * tables as they are then (force_custom_plan): a generic plan made
   * while a table was nearly empty kept scanning it whole as it grew
   * within one transaction (importing 2,500 guests took 55 s, 10 s
   * with this), at the price of planning simple statements each time. */
  result = PQexec (conn, "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC';"
                         "SET application_name = 'turnout-server'; SET plan_cache_mode = force_custom_plan");
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_INTERNAL, "Cannot set up the connection: %s", PQerrorMessage (conn));
      PQclear (result);
      PQfinish (conn);
      return NULL;
    }
  PQclear (result);
  c = g_new0 (Conn, 1);
  c->pg = conn;
  c->prepared = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  return c;
}

/* A connection of the pool, for the caller alone until release(); waits
 * while all are taken. A broken one is replaced first. */
static Conn *
acquire (TnPgStore  *self,
         GError    **error)
{
  Conn *c = g_async_queue_pop (self->pool);

  if (PQstatus (c->pg) == CONNECTION_OK)
    return c;
  /* a new session has none of the old one's prepared statements */
  PQreset (c->pg);
  g_hash_table_remove_all (c->prepared);
  if (PQstatus (c->pg) == CONNECTION_OK)
    return c;
  g_set_error (error, TN_ERROR, TN_ERROR_UNAVAILABLE, "The database connection is lost: %s", PQerrorMessage (c->pg));
  g_async_queue_push (self->pool, c);
  return NULL;
}

static void
release (TnPgStore *self,
         Conn      *c)
{
  /* a transaction left open (an error path) must not reach the next user */
  if (PQtransactionStatus (c->pg) != PQTRANS_IDLE)
    PQclear (PQexec (c->pg, "ROLLBACK"));
  g_async_queue_push (self->pool, c);
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
exec_sql (Conn            *c,
          const char      *sql,
          ExecStatusType   status,
          PGresult       **out_result,
          GError         **error)
{
  PGresult *result = PQexec (c->pg, sql);

  if (PQresultStatus (result) != status)
    {
      set_pg_error (c->pg, result, error);
      PQclear (result);
      return FALSE;
    }
  if (out_result != NULL)
    *out_result = result;
  else
    PQclear (result);
  return TRUE;
}

/* Parameters of a statement, as text (NULL: SQL NULL). */
#define MAX_PARAMS 24

typedef struct
{
  char  *values[MAX_PARAMS];
  guint  n;
} Params;

static void
param_text (Params     *p,
            const char *value)
{
  g_assert (p->n < MAX_PARAMS);
  p->values[p->n++] = g_strdup (value);
}

static void
param_int (Params *p,
           gint64  value)
{
  g_assert (p->n < MAX_PARAMS);
  p->values[p->n++] = g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

static void
param_double (Params *p,
              double  value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_assert (p->n < MAX_PARAMS);
  p->values[p->n++] = isnan (value) ? NULL : g_strdup (g_ascii_dtostr (buffer, sizeof buffer, value));
}

static void
param_null (Params *p)
{
  g_assert (p->n < MAX_PARAMS);
  p->values[p->n++] = NULL;
}

/* bytea in its text form, \x and hex digits */
static void
param_bytes (Params       *p,
             const guint8 *data,
             gsize         size)
{
  GString *text = g_string_sized_new (2 + 2 * size);

  g_assert (p->n < MAX_PARAMS);
  g_string_append (text, "\\x");
  for (gsize i = 0; i < size; i++)
    g_string_append_printf (text, "%02x", data[i]);
  p->values[p->n++] = g_string_free (text, FALSE);
}

/* Frees the values, wiped first: keys and hashes pass through here. */
static void
params_clear (Params *p)
{
  for (guint i = 0; i < p->n; i++)
    if (p->values[i] != NULL)
      {
        sodium_memzero (p->values[i], strlen (p->values[i]));
        g_free (p->values[i]);
      }
  p->n = 0;
}

/* Runs one statement of @sql with @params (cleared), prepared on this
 * connection the first time.
 *
 * Returns: (transfer full) (nullable): its result (rows or a command's),
 *   or %NULL with @error set */
static PGresult *
run (Conn        *c,
     const char  *sql,
     Params      *params,
     GError     **error)
{
  const char *name = g_hash_table_lookup (c->prepared, sql);
  PGresult *result;

  if (name == NULL)
    {
      char *new_name = g_strdup_printf ("tn%u", g_hash_table_size (c->prepared));

      result = PQprepare (c->pg, new_name, sql, 0, NULL);
      if (PQresultStatus (result) != PGRES_COMMAND_OK)
        {
          set_pg_error (c->pg, result, error);
          PQclear (result);
          g_free (new_name);
          if (params != NULL)
            params_clear (params);
          return NULL;
        }
      PQclear (result);
      g_hash_table_insert (c->prepared, (gpointer) sql, new_name);
      name = new_name;
    }
  result = PQexecPrepared (c->pg, name, params != NULL ? (int) params->n : 0,
                           params != NULL ? (const char * const *) params->values : NULL, NULL, NULL, 0);
  if (params != NULL)
    params_clear (params);
  if (PQresultStatus (result) != PGRES_TUPLES_OK && PQresultStatus (result) != PGRES_COMMAND_OK)
    {
      set_pg_error (c->pg, result, error);
      PQclear (result);
      return NULL;
    }
  return result;
}

/* Runs a statement whose result is not needed. */
static gboolean
run_command (Conn        *c,
             const char  *sql,
             Params      *params,
             GError     **error)
{
  PGresult *result = run (c, sql, params, error);

  PQclear (result);
  return result != NULL;
}

static const char *
col_text (PGresult *result,
          int       row,
          int       col)
{
  return PQgetisnull (result, row, col) ? NULL : PQgetvalue (result, row, col);
}

static gint64
col_int (PGresult *result,
         int       row,
         int       col)
{
  return g_ascii_strtoll (PQgetvalue (result, row, col), NULL, 10);
}

static double
col_double_or_nan (PGresult *result,
                   int       row,
                   int       col)
{
  return PQgetisnull (result, row, col) ? NAN : g_ascii_strtod (PQgetvalue (result, row, col), NULL);
}

static char **
col_split (PGresult *result,
           int       row,
           int       col)
{
  const char *text = col_text (result, row, col);

  if (text == NULL || text[0] == '\0')
    return g_new0 (char *, 1);
  return g_strsplit (text, TAG_SEPARATOR, -1);
}

static gboolean
begin (Conn    *c,
       GError **error)
{
  return exec_sql (c, "BEGIN", PGRES_COMMAND_OK, NULL, error);
}

static gboolean
commit (Conn    *c,
        GError **error)
{
  return exec_sql (c, "COMMIT", PGRES_COMMAND_OK, NULL, error);
}

/* The one row @sql finds with @params (cleared), made by @read, on @c;
 * no row is @missing_code with @missing. */
typedef gpointer (*RowFunc) (PGresult *result,
                             int       row);

static gpointer
one_row_on (Conn        *c,
            const char  *sql,
            Params      *params,
            RowFunc      read,
            TnError      missing_code,
            const char  *missing,
            GError     **error)
{
  PGresult *result = run (c, sql, params, error);
  gpointer object = NULL;

  if (result == NULL)
    return NULL;
  if (PQntuples (result) == 0)
    g_set_error_literal (error, TN_ERROR, missing_code, missing);
  else
    object = read (result, 0);
  PQclear (result);
  return object;
}

/* The same on a connection of the pool. */
static gpointer
fetch_one (TnPgStore   *self,
           const char  *sql,
           Params      *params,
           RowFunc      read,
           TnError      missing_code,
           const char  *missing,
           GError     **error)
{
  Conn *c = acquire (self, error);
  gpointer object;

  if (c == NULL)
    {
      params_clear (params);
      return NULL;
    }
  object = one_row_on (c, sql, params, read, missing_code, missing, error);
  release (self, c);
  return object;
}

/* The rows of a page's query (asked for @limit + 1) made by @read into
 * @into, trimmed to @limit; @out_more says whether there was one more. */
static void
take_page (PGresult  *result,
           RowFunc    read,
           guint      limit,
           GPtrArray *into,
           gboolean  *out_more)
{
  for (int r = 0; r < PQntuples (result); r++)
    g_ptr_array_add (into, read (result, r));
  PQclear (result);
  if (out_more != NULL)
    *out_more = into->len > limit;
  if (into->len > limit)
    g_ptr_array_set_size (into, limit);
}

/* Whether @sql (one $1) finds a row, inside the caller's transaction. */
static gboolean
exists_on (Conn        *c,
           const char  *sql,
           const char  *value,
           gboolean    *out_found,
           GError     **error)
{
  Params p = { 0 };
  PGresult *result;

  param_text (&p, value);
  result = run (c, sql, &p, error);
  if (result == NULL)
    return FALSE;
  *out_found = PQntuples (result) > 0;
  PQclear (result);
  return TRUE;
}

/* --- schema ----------------------------------------------------------------- */

static gint
read_version (Conn    *conn,
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
migrate_on (Conn    *conn,
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
  Conn *conn = acquire (self, error);
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
  Conn *conn;
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
  Conn *conn = acquire (self, error);
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
  Conn *conn = acquire (self, error);
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

/* --- audit ------------------------------------------------------------------ */

static void
tn_pg_store_set_audit (TnStore            *store,
                       const TnAuditEntry *entry)
{
  PendingAudit *pending = g_new0 (PendingAudit, 1);

  pending->store = TN_PG_STORE (store);
  pending->entry = entry != NULL ? tn_audit_entry_copy (entry) : NULL;
  g_private_replace (&pending_audit, pending);
}

/* The entry set for this thread's next change of @self, taken. */
static TnAuditEntry *
take_audit (TnPgStore *self)
{
  PendingAudit *pending = g_private_get (&pending_audit);

  if (pending == NULL || pending->store != self)
    return NULL;
  return g_steal_pointer (&pending->entry);
}

/* Records @audit (nothing when NULL) inside the caller's transaction;
 * @target_id, when not NULL, replaces the entry's (an id the store made). */
static gboolean
write_audit (Conn                *c,
             const TnAuditEntry  *audit,
             const char          *target_id,
             GError             **error)
{
  Params p = { 0 };

  if (audit == NULL)
    return TRUE;
  param_int (&p, tn_time_now ());
  param_text (&p, audit->actor_id);
  param_text (&p, audit->actor_email);
  param_text (&p, audit->action);
  param_text (&p, audit->target_type);
  param_text (&p, target_id != NULL ? target_id : audit->target_id);
  param_text (&p, audit->event_id);
  param_text (&p, audit->details);
  return run_command (c,
                      "INSERT INTO audit_log (at, actor_id, actor_email, action, target_type, target_id, "
                      "  event_id, details) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", &p, error);
}

static GPtrArray *
tn_pg_store_list_audit (TnStore             *store,
                        const TnAuditQuery  *query,
                        gboolean            *out_more,
                        GError             **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) tn_audit_entry_free);
  guint limit = query->limit > 0 ? query->limit : TN_LIST_LIMIT_DEFAULT;
  Params p = { 0 };
  PGresult *result;
  Conn *c = acquire (self, error);

  if (c == NULL)
    return NULL;
  param_text (&p, query->event_id);
  param_text (&p, query->actor_id);
  param_text (&p, query->action);
  if (query->from != 0)
    param_int (&p, query->from);
  else
    param_null (&p);
  if (query->to != 0)
    param_int (&p, query->to);
  else
    param_null (&p);
  if (query->before_seq > 0)
    param_int (&p, query->before_seq);
  else
    param_null (&p);
  param_int (&p, (gint64) limit + 1);
  result = run (c,
                "SELECT seq, at, actor_id, actor_email, action, target_type, target_id, event_id, details "
                "FROM audit_log "
                "WHERE ($1::text IS NULL OR event_id = $1) AND ($2::text IS NULL OR actor_id = $2) "
                "  AND ($3::text IS NULL OR action = $3) AND ($4::bigint IS NULL OR at >= $4) "
                "  AND ($5::bigint IS NULL OR at < $5) AND ($6::bigint IS NULL OR seq < $6) "
                "ORDER BY seq DESC LIMIT $7", &p, error);
  release (self, c);
  if (result == NULL)
    return NULL;
  for (int r = 0; r < PQntuples (result); r++)
    {
      TnAuditEntry *entry = g_new0 (TnAuditEntry, 1);

      entry->seq = col_int (result, r, 0);
      entry->at = col_int (result, r, 1);
      entry->actor_id = g_strdup (col_text (result, r, 2));
      entry->actor_email = g_strdup (col_text (result, r, 3));
      entry->action = g_strdup (col_text (result, r, 4));
      entry->target_type = g_strdup (col_text (result, r, 5));
      entry->target_id = g_strdup (col_text (result, r, 6));
      entry->event_id = g_strdup (col_text (result, r, 7));
      entry->details = g_strdup (col_text (result, r, 8));
      g_ptr_array_add (entries, entry);
    }
  PQclear (result);
  if (out_more != NULL)
    *out_more = entries->len > limit;
  if (entries->len > limit)
    g_ptr_array_set_size (entries, limit);
  return g_steal_pointer (&entries);
}

/* --- users and tokens --------------------------------------------------------- */

static TnUser *
user_from_row (PGresult *result,
               int       row,
               int       first)
{
  TnRole role = TN_ROLE_MEMBER;

  tn_role_from_string (col_text (result, row, first + 3), &role);
  return tn_user_new (col_text (result, row, first + 0), col_text (result, row, first + 1),
                      col_text (result, row, first + 2), role, col_int (result, row, first + 4));
}

static TnUser *
tn_pg_store_create_user (TnStore     *store,
                         const char  *id,
                         const char  *email,
                         const char  *name,
                         const char  *password_hash,
                         TnRole       role,
                         GError     **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  g_autoptr(TnAuditEntry) audit = take_audit (self);
  g_autoptr(GError) local_error = NULL;
  gint64 now = tn_time_now ();
  Params p = { 0 };
  Conn *c = acquire (self, error);
  gboolean ok;

  if (c == NULL)
    return NULL;
  param_text (&p, id);
  param_text (&p, email);
  param_text (&p, name);
  param_text (&p, password_hash);
  param_text (&p, tn_role_to_string (role));
  param_int (&p, now);
  ok = begin (c, &local_error) &&
       run_command (c,
                    "INSERT INTO users (id, email, name, password_hash, role, created_at) "
                    "VALUES ($1, $2, $3, $4, $5, $6)", &p, &local_error) &&
       write_audit (c, audit, NULL, &local_error) &&
       commit (c, &local_error);
  release (self, c);
  if (!ok)
    {
      if (g_error_matches (local_error, TN_ERROR, TN_ERROR_CONFLICT))
        g_set_error (error, TN_ERROR, TN_ERROR_CONFLICT, "A user with this e-mail address exists already");
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return tn_user_new (id, email, name, role, now);
}

static gpointer
read_user_with_profile (PGresult *result,
                        int       row)
{
  TnUser *user = user_from_row (result, row, 0);
  g_auto(GStrv) interests = col_split (result, row, 7);

  tn_user_set_profile (user, col_double_or_nan (result, row, 5), col_double_or_nan (result, row, 6),
                       (const char * const *) interests);
  return user;
}

static TnUser *
tn_pg_store_get_user (TnStore     *store,
                      const char  *id,
                      GError     **error)
{
  Params p = { 0 };

  param_text (&p, id);
  return fetch_one (TN_PG_STORE (store), "SELECT " USER_COLUMNS ", " PROFILE_COLUMNS " FROM users WHERE id = $1",
                    &p, read_user_with_profile, TN_ERROR_NOT_FOUND, "No such user", error);
}

typedef struct
{
  TnUser *user;
  char   *password_hash;
} UserWithHash;

static gpointer
read_user_with_hash (PGresult *result,
                     int       row)
{
  UserWithHash *found = g_new0 (UserWithHash, 1);

  found->user = user_from_row (result, row, 0);
  found->password_hash = g_strdup (col_text (result, row, 5));
  return found;
}

static TnUser *
tn_pg_store_find_user_by_email (TnStore     *store,
                                const char  *email,
                                char       **out_password_hash,
                                GError     **error)
{
  Params p = { 0 };
  UserWithHash *found;
  TnUser *user;

  /* ASCII letters without case, as SQLite's NOCASE: on users_email */
  param_text (&p, email);
  found = fetch_one (TN_PG_STORE (store),
                     "SELECT " USER_COLUMNS ", password_hash FROM users WHERE tn_ascii_lower (email) = tn_ascii_lower ($1)",
                     &p, read_user_with_hash, TN_ERROR_NOT_FOUND, "No such user", error);
  if (found == NULL)
    return NULL;
  user = found->user;
  if (out_password_hash != NULL)
    *out_password_hash = g_steal_pointer (&found->password_hash);
  g_free (found->password_hash);
  g_free (found);
  return user;
}

static GPtrArray *
tn_pg_store_list_users (TnStore     *store,
                        guint        limit,
                        const char  *after_email,
                        GError     **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func (g_object_unref);
  Params p = { 0 };
  PGresult *result;
  Conn *c = acquire (self, error);

  if (c == NULL)
    return NULL;
  /* in the order of SQLite's NOCASE column: ASCII letters folded, bytes */
  param_text (&p, after_email);
  param_int (&p, limit);
  result = run (c,
                "SELECT " USER_COLUMNS " FROM users "
                "WHERE ($1::text IS NULL OR tn_ascii_lower (email) > tn_ascii_lower ($1)) "
                "ORDER BY tn_ascii_lower (email) LIMIT $2", &p, error);
  release (self, c);
  if (result == NULL)
    return NULL;
  for (int r = 0; r < PQntuples (result); r++)
    g_ptr_array_add (users, user_from_row (result, r, 0));
  PQclear (result);
  return g_steal_pointer (&users);
}

static gboolean
tn_pg_store_add_token (TnStore     *store,
                       const char  *token_hash,
                       const char  *user_id,
                       gint64       expires_at,
                       GError     **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  Params p = { 0 };
  Conn *c = acquire (self, error);
  gboolean ok;

  if (c == NULL)
    return FALSE;
  param_text (&p, token_hash);
  param_text (&p, user_id);
  param_int (&p, tn_time_now ());
  param_int (&p, expires_at);
  ok = run_command (c, "INSERT INTO tokens (hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
                    &p, error);
  release (self, c);
  return ok;
}

static gpointer
read_user (PGresult *result,
           int       row)
{
  return user_from_row (result, row, 0);
}

static TnUser *
tn_pg_store_lookup_token (TnStore     *store,
                          const char  *token_hash,
                          gint64       now,
                          GError     **error)
{
  Params p = { 0 };

  param_text (&p, token_hash);
  param_int (&p, now);
  return fetch_one (TN_PG_STORE (store),
                    "SELECT u.id, u.email, u.name, u.role, u.created_at "
                    "FROM tokens t JOIN users u ON u.id = t.user_id "
                    "WHERE t.hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2",
                    &p, read_user, TN_ERROR_UNAUTHORIZED, "The token is unknown, revoked or expired", error);
}

static gboolean
tn_pg_store_revoke_token (TnStore     *store,
                          const char  *token_hash,
                          GError     **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  Params p = { 0 };
  Conn *c = acquire (self, error);
  gboolean ok;

  if (c == NULL)
    return FALSE;
  param_text (&p, token_hash);
  param_int (&p, tn_time_now ());
  ok = run_command (c, "UPDATE tokens SET revoked_at = $2 WHERE hash = $1 AND revoked_at IS NULL", &p, error);
  release (self, c);
  return ok;
}

/* --- events ----------------------------------------------------------------- */

static TnEvent *
event_from_row (PGresult *result,
                int       row)
{
  g_autoptr(TnEvent) event = tn_event_new ();
  g_auto(GStrv) tags = col_split (result, row, 10);
  TnVisibility visibility = TN_VISIBILITY_PRIVATE;
  TnEventStatus status = TN_EVENT_STATUS_SCHEDULED;

  tn_event_set_id (event, col_text (result, row, 0));
  tn_event_set_title (event, col_text (result, row, 1));
  tn_event_set_description (event, col_text (result, row, 2));
  tn_event_set_starts_at (event, col_int (result, row, 3));
  tn_event_set_ends_at (event, col_int (result, row, 4));
  tn_event_set_location (event, col_text (result, row, 5));
  if (!PQgetisnull (result, row, 6))
    tn_event_set_coordinates (event, col_double_or_nan (result, row, 6), col_double_or_nan (result, row, 7));
  tn_event_set_capacity (event, PQgetisnull (result, row, 8) ? -1 : col_int (result, row, 8));
  tn_event_set_category (event, col_text (result, row, 9));
  tn_event_set_tags (event, (const char * const *) tags);
  tn_visibility_from_string (col_text (result, row, 11), &visibility);
  tn_event_set_visibility (event, visibility);
  tn_event_set_waitlist (event, col_int (result, row, 12) != 0);
  if (!PQgetisnull (result, row, 13))
    tn_event_set_price (event, col_double_or_nan (result, row, 13));
  tn_event_set_currency (event, col_text (result, row, 14));
  tn_event_status_from_string (col_text (result, row, 15), &status);
  tn_event_set_status (event, status);
  tn_event_set_organizer (event, col_text (result, row, 16));
  tn_event_set_version (event, col_int (result, row, 17));
  tn_event_set_created_at (event, col_int (result, row, 18));
  tn_event_set_updated_at (event, col_int (result, row, 19));
  return g_steal_pointer (&event);
}

/* $1–$15: the event's own columns, in EVENT_COLUMNS' order */
static void
param_event (Params  *p,
             TnEvent *event)
{
  g_autofree char *tags = g_strjoinv (TAG_SEPARATOR, (char **) tn_event_get_tags (event));
  const char *currency = tn_event_get_currency (event);
  double lat, lon, price;

  param_text (p, tn_event_get_id (event));
  param_text (p, tn_event_get_title (event));
  param_text (p, tn_event_get_description (event));
  param_int (p, tn_event_get_starts_at (event));
  param_int (p, tn_event_get_ends_at (event));
  param_text (p, tn_event_get_location (event));
  if (tn_event_get_coordinates (event, &lat, &lon))
    {
      param_double (p, lat);
      param_double (p, lon);
    }
  else
    {
      param_null (p);
      param_null (p);
    }
  if (tn_event_get_capacity (event) >= 0)
    param_int (p, tn_event_get_capacity (event));
  else
    param_null (p);
  param_text (p, tn_event_get_category (event));
  param_text (p, tags);
  param_text (p, tn_visibility_to_string (tn_event_get_visibility (event)));
  param_int (p, tn_event_get_waitlist (event) ? 1 : 0);
  if (tn_event_get_price (event, &price))
    param_double (p, price);
  else
    param_null (p);
  param_text (p, currency != NULL && currency[0] != '\0' ? currency : NULL);
}

static TnEvent *
get_event_on (Conn        *c,
              const char  *id,
              GError     **error)
{
  Params p = { 0 };

  param_text (&p, id);
  return one_row_on (c, "SELECT " EVENT_COLUMNS " FROM events WHERE id = $1", &p, (RowFunc) event_from_row,
                     TN_ERROR_NOT_FOUND, "No such event", error);
}

static TnEvent *
tn_pg_store_get_event (TnStore     *store,
                       const char  *id,
                       GError     **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  Conn *c = acquire (self, error);
  TnEvent *event;

  if (c == NULL)
    return NULL;
  event = get_event_on (c, id, error);
  release (self, c);
  return event;
}

static gboolean
replace_tags (Conn     *c,
              TnEvent  *event,
              gboolean  is_new,
              GError  **error)
{
  const char * const *tags = tn_event_get_tags (event);
  Params p = { 0 };

  /* a new event has none to remove */
  if (!is_new)
    {
      param_text (&p, tn_event_get_id (event));
      if (!run_command (c, "DELETE FROM event_tags WHERE event_id = $1", &p, error))
        return FALSE;
    }
  for (guint i = 0; tags[i] != NULL; i++)
    {
      param_text (&p, tags[i]);
      param_text (&p, tn_event_get_id (event));
      if (!run_command (c, "INSERT INTO event_tags (tag, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                        &p, error))
        return FALSE;
    }
  return TRUE;
}

/* Makes the key pair of @event_id if it has none, inside the caller's
 * transaction: the first ticket of an event brings its key. Two servers
 * making the first at once: one insert wins, the other does nothing. */
static gboolean
ensure_event_key (Conn        *c,
                  const char  *event_id,
                  GError     **error)
{
  guint8 public_key[TN_SIGNED_TICKET_PUBLIC_KEY];
  guint8 secret_key[TN_SIGNED_TICKET_SECRET_KEY];
  Params p = { 0 };
  PGresult *result;
  gboolean found, stored;

  param_text (&p, event_id);
  result = run (c, "SELECT 1 FROM event_keys WHERE event_id = $1", &p, error);
  if (result == NULL)
    return FALSE;
  found = PQntuples (result) > 0;
  PQclear (result);
  if (found)
    return TRUE;
  tn_signed_ticket_new_keypair (public_key, secret_key);
  param_text (&p, event_id);
  param_bytes (&p, public_key, sizeof public_key);
  param_bytes (&p, secret_key, sizeof secret_key);
  param_int (&p, tn_time_now ());
  sodium_memzero (secret_key, sizeof secret_key);
  /* run () wipes the text form of the secret key in the parameters */
  stored = run_command (c,
                        "INSERT INTO event_keys (event_id, public_key, secret_key, created_at) "
                        "VALUES ($1, $2, $3, $4) ON CONFLICT (event_id) DO NOTHING", &p, error);
  return stored;
}

static gboolean
issue_ticket (Conn        *c,
              const char  *attendee_id,
              const char  *event_id,
              gint64       now,
              GError     **error)
{
  g_autofree char *code = tn_ticket_code_new ();
  Params p = { 0 };

  if (!ensure_event_key (c, event_id, error))
    return FALSE;
  param_text (&p, code);
  param_text (&p, attendee_id);
  param_text (&p, event_id);
  param_int (&p, now);
  return run_command (c, "INSERT INTO tickets (code, attendee_id, event_id, issued_at) VALUES ($1, $2, $3, $4)",
                      &p, error);
}

/* Seats people from the waitlist, first come first served, while there is
 * room; inside the caller's transaction, which holds the event's row
 * (FOR UPDATE, or an UPDATE of it), so that no other server seats the
 * same seat. */
static gboolean
promote_waitlist (Conn        *c,
                  const char  *event_id,
                  gint64       now,
                  GError     **error)
{
  for (;;)
    {
      g_autofree char *next = NULL;
      Params p = { 0 };
      PGresult *result;

      param_text (&p, event_id);
      result = run (c,
                    "SELECT a.id FROM events e JOIN attendees a ON a.event_id = e.id "
                    "WHERE e.id = $1 AND a.status = 'waitlisted' "
                    "  AND (e.capacity IS NULL OR e.going_count < e.capacity) "
                    "ORDER BY a.waitlist_seq LIMIT 1", &p, error);
      if (result == NULL)
        return FALSE;
      if (PQntuples (result) > 0)
        next = g_strdup (PQgetvalue (result, 0, 0));
      PQclear (result);
      if (next == NULL)
        return TRUE;
      param_text (&p, next);
      param_int (&p, now);
      if (!run_command (c, "UPDATE attendees SET status = 'going', waitlist_seq = NULL, updated_at = $2 WHERE id = $1",
                        &p, error) ||
          !issue_ticket (c, next, event_id, now, error))
        return FALSE;
    }
}

static TnEvent *
tn_pg_store_create_event (TnStore     *store,
                          TnEvent     *event,
                          GError     **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  g_autoptr(TnAuditEntry) audit = take_audit (self);
  g_autoptr(GError) local_error = NULL;
  Params p = { 0 };
  Conn *c = acquire (self, error);
  TnEvent *stored = NULL;

  if (c == NULL)
    return NULL;
  param_event (&p, event);
  param_text (&p, tn_event_get_organizer (event));
  param_int (&p, tn_time_now ());
  if (begin (c, &local_error) &&
      run_command (c,
                   "INSERT INTO events (" EVENT_COLUMNS ") VALUES "
                   "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, "
                   " 'scheduled', $16, 1, $17, $17)", &p, &local_error) &&
      replace_tags (c, event, TRUE, &local_error) &&
      write_audit (c, audit, NULL, &local_error) &&
      commit (c, &local_error))
    stored = get_event_on (c, tn_event_get_id (event), &local_error);
  release (self, c);
  if (stored == NULL)
    {
      if (g_error_matches (local_error, TN_ERROR, TN_ERROR_CONFLICT))
        g_set_error (error, TN_ERROR, TN_ERROR_CONFLICT, "An event with this id exists already");
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
    }
  return stored;
}

/* The statement changed no row: the event is gone (not found) or at
 * another version (a conflict). */
static void
set_version_error (Conn        *c,
                   const char  *id,
                   gint64       expected_version,
                   GError     **error)
{
  g_autoptr(TnEvent) current = get_event_on (c, id, error);

  if (current == NULL)
    return;
  if (expected_version >= 0)
    g_set_error (error, TN_ERROR, TN_ERROR_CONFLICT,
                 "The event changed meanwhile: it is at version %" G_GINT64_FORMAT
                 ", the change was made to version %" G_GINT64_FORMAT,
                 tn_event_get_version (current), expected_version);
  else
    g_set_error (error, TN_ERROR, TN_ERROR_CONFLICT,
                 "The event changed meanwhile: it is at version %" G_GINT64_FORMAT, tn_event_get_version (current));
}

static TnEvent *
tn_pg_store_update_event (TnStore     *store,
                          TnEvent     *event,
                          gint64       expected_version,
                          GError     **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  g_autoptr(TnAuditEntry) audit = take_audit (self);
  gint64 now = tn_time_now ();
  Params p = { 0 };
  PGresult *result;
  TnEvent *stored = NULL;
  Conn *c = acquire (self, error);

  if (c == NULL)
    return NULL;
  if (!begin (c, error))
    goto out;
  param_event (&p, event);
  param_text (&p, tn_event_status_to_string (tn_event_get_status (event)));
  param_int (&p, now);
  param_int (&p, expected_version);
  result = run (c,
                "UPDATE events SET title = $2, description = $3, starts_at = $4, ends_at = $5, "
                "  location = $6, lat = $7, lon = $8, capacity = $9, category = $10, tags = $11, "
                "  visibility = $12, waitlist = $13, price = $14, currency = $15, status = $16, "
                "  version = version + 1, updated_at = $17 "
                "WHERE id = $1 AND version = $18", &p, error);
  if (result == NULL)
    goto out;
  if (g_str_equal (PQcmdTuples (result), "0"))
    {
      PQclear (result);
      set_version_error (c, tn_event_get_id (event), expected_version, error);
      goto out;
    }
  PQclear (result);
  /* a larger capacity seats people from the waitlist at once */
  if (replace_tags (c, event, FALSE, error) &&
      promote_waitlist (c, tn_event_get_id (event), now, error) &&
      write_audit (c, audit, NULL, error) &&
      commit (c, error))
    stored = get_event_on (c, tn_event_get_id (event), error);

out:
  release (self, c);
  return stored;
}

static gboolean
tn_pg_store_delete_event (TnStore     *store,
                          const char  *id,
                          gint64       expected_version,
                          GError     **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  g_autoptr(TnAuditEntry) audit = take_audit (self);
  Params p = { 0 };
  PGresult *result;
  gboolean ok = FALSE;
  Conn *c = acquire (self, error);

  if (c == NULL)
    return FALSE;
  if (!begin (c, error))
    goto out;
  param_text (&p, id);
  param_int (&p, expected_version);
  result = run (c, "DELETE FROM events WHERE id = $1 AND ($2::bigint < 0 OR version = $2)", &p, error);
  if (result == NULL)
    goto out;
  if (g_str_equal (PQcmdTuples (result), "0"))
    {
      PQclear (result);
      set_version_error (c, id, -1, error);
      goto out;
    }
  PQclear (result);
  ok = write_audit (c, audit, NULL, error) && commit (c, error);

out:
  release (self, c);
  return ok;
}

/* A tsquery for what a user typed (TnEventQuery.search): every word as a
 * prefix, each quoted so that the text is only ever data; accents go in
 * SQL (tn_unaccent), case in the 'simple' configuration. %NULL when
 * @text has no words. */
static char *
tsquery_text (const char *text)
{
  g_auto(GStrv) words = g_strsplit_set (text, " \t\r\n", -1);
  g_autoptr(GString) query = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (words[i][0] == '\0')
        continue;
      if (query->len > 0)
        g_string_append (query, " & ");
      g_string_append_c (query, '\'');
      for (const char *c = words[i]; *c != '\0'; c++)
        {
          if (*c == '\'' || *c == '\\')
            g_string_append_c (query, *c);
          g_string_append_c (query, *c);
        }
      g_string_append (query, "':*");
    }
  if (query->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&query), FALSE);
}

/* Who sees an event e in lists: admins, everyone for a public event; for
 * an unlisted or private one its organizer, its team and invited guests
 * and its attendees (as the SQLite backend's LISTED_TO). */
#define LISTED_TO(all, viewer) \
  "(" all " OR e.visibility = 'public' OR e.organizer_id = " viewer " " \
  " OR EXISTS (SELECT 1 FROM event_people p WHERE p.event_id = e.id AND p.user_id = " viewer ") " \
  " OR EXISTS (SELECT 1 FROM attendees a WHERE a.event_id = e.id AND a.user_id = " viewer "))"

/* The filters of an event list on events e, parameters $1–$8 */
#define LIST_FILTERS \
  "($1::bigint IS NULL OR e.ends_at >= $1) " \
  "AND ($2::bigint IS NULL OR e.starts_at < $2) " \
  "AND ($3::text IS NULL OR e.search @@ to_tsquery ('simple', tn_unaccent ($3))) " \
  "AND ($4::text IS NULL OR tn_ascii_lower (e.category) = tn_ascii_lower ($4)) " \
  "AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM event_tags t WHERE t.tag = $5 AND t.event_id = e.id)) " \
  "AND ($6::text IS NULL OR e.status = $6) " \
  "AND " LISTED_TO ("$7::boolean", "$8::text") " "

static GPtrArray *
tn_pg_store_list_events (TnStore             *store,
                         const TnEventQuery  *query,
                         gboolean            *out_more,
                         GError             **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  guint limit = query->limit > 0 ? MIN (query->limit, TN_LIST_LIMIT_MAX) : TN_LIST_LIMIT_DEFAULT;
  g_autofree char *tsquery = query->search != NULL ? tsquery_text (query->search) : NULL;
  Params p = { 0 };
  PGresult *result;
  Conn *c;

  if (query->from != 0)
    param_int (&p, query->from);
  else
    param_null (&p);
  if (query->to != 0)
    param_int (&p, query->to);
  else
    param_null (&p);
  param_text (&p, tsquery);
  param_text (&p, query->category);
  param_text (&p, query->tag);
  param_text (&p, query->status);
  param_text (&p, query->viewer_sees_all ? "true" : "false");
  param_text (&p, query->viewer_id);
  param_int (&p, query->after_starts_at);
  param_text (&p, query->after_id);
  param_int (&p, limit + 1);
  if (query->near)
    {
      TnNearBox box;

      tn_store_near_box (query->near_lat, query->near_lon, query->radius_km, &box);
      param_double (&p, query->near_lat);
      param_double (&p, query->near_lon);
      param_double (&p, box.min_lat);
      param_double (&p, box.max_lat);
      param_double (&p, box.min_lon);
      param_double (&p, box.max_lon);
      param_text (&p, box.wraps ? "true" : "false");
      param_double (&p, query->radius_km);
      param_double (&p, query->after_distance_km);
    }

  c = acquire (self, error);
  if (c == NULL)
    {
      params_clear (&p);
      return NULL;
    }
  /* one statement for every combination of filters: an unset filter is a
   * NULL parameter */
  if (!query->near)
    result = run (c,
                  "SELECT " EVENT_COLUMNS " FROM events e "
                  "WHERE " LIST_FILTERS
                  "  AND ($10::text IS NULL OR e.starts_at > $9 OR (e.starts_at = $9 AND e.id > $10)) "
                  "ORDER BY e.starts_at, e.id LIMIT $11", &p, error);
  else
    /* the box ($14–$18) picks candidates by index; the exact distance from
     * ($12, $13) filters ($19) and orders; the keyset is (distance,
     * starts_at, id) */
    result = run (c,
                  "SELECT * FROM ("
                  "  SELECT " EVENT_COLUMNS ", tn_distance_km ($12, $13, e.lat, e.lon) AS distance "
                  "  FROM events e "
                  "  WHERE e.lat BETWEEN $14 AND $15 "
                  "    AND (CASE WHEN $18::boolean THEN e.lon >= $16 OR e.lon <= $17 ELSE e.lon BETWEEN $16 AND $17 END) "
                  "    AND " LIST_FILTERS
                  ") n WHERE distance <= $19 "
                  "  AND ($10::text IS NULL OR distance > $20 OR "
                  "       (distance = $20 AND (starts_at > $9 OR (starts_at = $9 AND id > $10)))) "
                  "ORDER BY distance, starts_at, id LIMIT $11", &p, error);
  release (self, c);
  if (result == NULL)
    return NULL;

  if (query->out_distances != NULL)
    g_array_set_size (query->out_distances, 0);
  for (int r = 0; r < PQntuples (result); r++)
    {
      g_ptr_array_add (events, event_from_row (result, r));
      if (query->near && query->out_distances != NULL)
        {
          double distance = col_double_or_nan (result, r, 20);

          g_array_append_val (query->out_distances, distance);
        }
    }
  PQclear (result);
  *out_more = events->len > limit;
  if (*out_more)
    {
      g_ptr_array_set_size (events, limit);
      if (query->near && query->out_distances != NULL)
        g_array_set_size (query->out_distances, limit);
    }
  return g_steal_pointer (&events);
}

static GPtrArray *
tn_pg_store_list_categories (TnStore     *store,
                             const char  *viewer_id,
                             gboolean     viewer_sees_all,
                             gint64       now,
                             GError     **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  g_autoptr(GPtrArray) categories = g_ptr_array_new_with_free_func ((GDestroyNotify) tn_category_free);
  Params p = { 0 };
  PGresult *result;
  Conn *c = acquire (self, error);

  if (c == NULL)
    return NULL;
  /* upcoming is what a list with from=now and status=scheduled shows; one
   * pass over the events, counted by slug, then joined */
  param_int (&p, now);
  param_text (&p, viewer_sees_all ? "true" : "false");
  param_text (&p, viewer_id);
  result = run (c,
                "SELECT c.slug, c.name, c.colour, c.icon, coalesce (n.upcoming, 0) FROM categories c "
                "LEFT JOIN ("
                "  SELECT coalesce ((SELECT k.slug FROM categories k "
                "                    WHERE tn_ascii_lower (k.name) = tn_ascii_lower (e.category)), 'other') AS slug, "
                "         count(*) AS upcoming "
                "  FROM events e "
                "  WHERE e.status = 'scheduled' AND e.ends_at >= $1 AND " LISTED_TO ("$2::boolean", "$3::text")
                "  GROUP BY 1"
                ") n ON n.slug = c.slug "
                "ORDER BY c.position", &p, error);
  release (self, c);
  if (result == NULL)
    return NULL;
  for (int r = 0; r < PQntuples (result); r++)
    {
      TnCategory *category = g_new0 (TnCategory, 1);

      category->slug = g_strdup (col_text (result, r, 0));
      category->name = g_strdup (col_text (result, r, 1));
      category->colour = g_strdup (col_text (result, r, 2));
      category->icon = g_strdup (col_text (result, r, 3));
      category->upcoming_events = col_int (result, r, 4);
      g_ptr_array_add (categories, category);
    }
  PQclear (result);
  return g_steal_pointer (&categories);
}

/* --- RSVPs ------------------------------------------------------------------- */

#define ATTENDEE_COLUMNS \
  "a.id, a.event_id, a.user_id, a.name, a.email, a.status, a.ticket_type, a.note, " \
  "a.created_at, a.updated_at, " \
  "(SELECT t.code FROM tickets t WHERE t.attendee_id = a.id AND t.revoked_at IS NULL), " \
  "CASE a.status WHEN 'waitlisted' THEN (SELECT e.waitlisted_count FROM events e WHERE e.id = a.event_id) - " \
  "  (SELECT count(*) FROM attendees w " \
  "   WHERE w.event_id = a.event_id AND w.status = 'waitlisted' AND w.waitlist_seq > a.waitlist_seq) END"

static TnAttendee *
attendee_from_row (PGresult *result,
                   int       row)
{
  TnAttendee *attendee = tn_attendee_new ();
  TnRsvpStatus status = TN_RSVP_NOT_GOING;

  tn_attendee_set_id (attendee, col_text (result, row, 0));
  tn_attendee_set_event_id (attendee, col_text (result, row, 1));
  tn_attendee_set_user_id (attendee, col_text (result, row, 2));
  tn_attendee_set_name (attendee, col_text (result, row, 3));
  tn_attendee_set_email (attendee, col_text (result, row, 4));
  tn_rsvp_status_from_string (col_text (result, row, 5), &status);
  tn_attendee_set_status (attendee, status);
  tn_attendee_set_ticket_type (attendee, col_text (result, row, 6));
  tn_attendee_set_note (attendee, col_text (result, row, 7));
  tn_attendee_set_created_at (attendee, col_int (result, row, 8));
  tn_attendee_set_updated_at (attendee, col_int (result, row, 9));
  tn_attendee_set_ticket_code (attendee, col_text (result, row, 10));
  tn_attendee_set_waitlist_position (attendee, PQgetisnull (result, row, 11) ? 0 : (guint) col_int (result, row, 11));
  return attendee;
}

static TnAttendee *
get_rsvp_on (Conn        *c,
             const char  *event_id,
             const char  *user_id,
             GError     **error)
{
  Params p = { 0 };

  param_text (&p, event_id);
  param_text (&p, user_id);
  return one_row_on (c, "SELECT " ATTENDEE_COLUMNS " FROM attendees a WHERE a.event_id = $1 AND a.user_id = $2",
                     &p, (RowFunc) attendee_from_row, TN_ERROR_NOT_FOUND, "You have not answered for this event",
                     error);
}

static TnAttendee *
tn_pg_store_get_rsvp (TnStore     *store,
                      const char  *event_id,
                      const char  *user_id,
                      GError     **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  Conn *c = acquire (self, error);
  TnAttendee *attendee;

  if (c == NULL)
    return NULL;
  attendee = get_rsvp_on (c, event_id, user_id, error);
  release (self, c);
  return attendee;
}

/* Inside the caller's transaction: checks that @event_id exists and still
 * takes answers (not cancelled, not over), and reads its capacity (-1:
 * unlimited) and whether it has a waitlist. Locks the event's row until
 * the transaction ends: every change of who goes, on any server, waits
 * for the one before it, so two cannot take the last seat. */
static gboolean
open_event_for_answers (Conn        *c,
                        const char  *event_id,
                        gint64       now,
                        gint64      *out_capacity,
                        gboolean    *out_waitlist,
                        GError     **error)
{
  Params p = { 0 };
  PGresult *result;
  gboolean found, cancelled = FALSE;
  gint64 ends_at = 0;

  param_text (&p, event_id);
  result = run (c, "SELECT coalesce (capacity, -1), waitlist, status, ends_at FROM events WHERE id = $1 FOR UPDATE",
                &p, error);
  if (result == NULL)
    return FALSE;
  found = PQntuples (result) > 0;
  if (found)
    {
      *out_capacity = col_int (result, 0, 0);
      *out_waitlist = col_int (result, 0, 1) != 0;
      cancelled = g_str_equal (col_text (result, 0, 2), "cancelled");
      ends_at = col_int (result, 0, 3);
    }
  PQclear (result);
  if (!found)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_NOT_FOUND, "No such event");
      return FALSE;
    }
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

/* What a wish for a seat gets, inside the caller's transaction (which
 * holds the event's row): going when a seat is free and nobody waits;
 * else the end of the waitlist (@out_waitlist_seq) if the event has one;
 * else TN_ERROR_CAPACITY_FULL. */
static gboolean
seat_or_waitlist (Conn          *c,
                  const char    *event_id,
                  gint64         capacity,
                  gboolean       has_waitlist,
                  TnRsvpStatus  *out_status,
                  gint64        *out_waitlist_seq,
                  GError       **error)
{
  Params p = { 0 };
  PGresult *result;
  gint64 going, waiting;

  param_text (&p, event_id);
  result = run (c, "SELECT going_count, waitlisted_count FROM events WHERE id = $1", &p, error);
  if (result == NULL)
    return FALSE;
  going = col_int (result, 0, 0);
  waiting = col_int (result, 0, 1);
  PQclear (result);
  /* nobody jumps the queue: with people waiting, a free seat is theirs */
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
  param_text (&p, event_id);
  result = run (c, "UPDATE events SET waitlist_counter = waitlist_counter + 1 WHERE id = $1 RETURNING waitlist_counter",
                &p, error);
  if (result == NULL)
    return FALSE;
  *out_waitlist_seq = col_int (result, 0, 0);
  PQclear (result);
  return TRUE;
}

static gboolean
revoke_tickets (Conn        *c,
                const char  *attendee_id,
                gint64       now,
                GError     **error)
{
  Params p = { 0 };

  param_text (&p, attendee_id);
  param_int (&p, now);
  return run_command (c, "UPDATE tickets SET revoked_at = $2 WHERE attendee_id = $1 AND revoked_at IS NULL",
                      &p, error);
}

/* set_rsvp () inside its transaction; the answer as stored, or NULL */
static TnAttendee *
set_rsvp_on (Conn          *c,
             const char    *event_id,
             TnUser        *user,
             TnRsvpStatus   wanted,
             gint64         now,
             GError       **error)
{
  g_autoptr(TnAttendee) current = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *attendee_id = NULL;
  TnRsvpStatus previous, status;
  gint64 capacity = -1, waitlist_seq = 0;
  gboolean has_waitlist = FALSE;
  Params p = { 0 };

  if (!open_event_for_answers (c, event_id, now, &capacity, &has_waitlist, error))
    return NULL;

  /* A guest the organizer added under this user's e-mail address is this
   * user: the answer takes over that row (and its seat or ticket) rather
   * than clash with it on (event_id, email). */
  param_text (&p, event_id);
  param_text (&p, tn_user_get_email (user));
  param_text (&p, tn_user_get_id (user));
  param_int (&p, now);
  if (!run_command (c,
                    "UPDATE attendees SET user_id = $3, updated_at = $4 "
                    "WHERE event_id = $1 AND tn_ascii_lower (email) = tn_ascii_lower ($2) AND user_id IS NULL "
                    "  AND NOT EXISTS (SELECT 1 FROM attendees o WHERE o.event_id = $1 AND o.user_id = $3)",
                    &p, error))
    return NULL;

  current = get_rsvp_on (c, event_id, tn_user_get_id (user), &local_error);
  if (current == NULL && !g_error_matches (local_error, TN_ERROR, TN_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  previous = current != NULL ? tn_attendee_get_status (current) : TN_RSVP_NOT_GOING;

  status = wanted;
  if (wanted == TN_RSVP_GOING)
    {
      if (previous == TN_RSVP_GOING || previous == TN_RSVP_WAITLISTED)
        return g_steal_pointer (&current);
      if (!seat_or_waitlist (c, event_id, capacity, has_waitlist, &status, &waitlist_seq, error))
        return NULL;
    }

  if (current == NULL)
    {
      g_autofree char *name_fold = tn_store_fold_for_search (tn_user_get_name (user));
      g_autofree char *email_fold = tn_store_fold_for_search (tn_user_get_email (user));

      attendee_id = tn_id_new ();
      param_text (&p, attendee_id);
      param_text (&p, event_id);
      param_text (&p, tn_user_get_id (user));
      param_text (&p, tn_user_get_name (user));
      param_text (&p, tn_user_get_email (user));
      param_text (&p, name_fold);
      param_text (&p, email_fold);
    }
  else
    {
      attendee_id = g_strdup (tn_attendee_get_id (current));
      param_text (&p, attendee_id);
    }
  param_text (&p, tn_rsvp_status_to_string (status));
  if (status == TN_RSVP_WAITLISTED)
    param_int (&p, waitlist_seq);
  else
    param_null (&p);
  param_int (&p, now);
  if (current == NULL
      ? !run_command (c,
                      "INSERT INTO attendees (id, event_id, user_id, name, email, name_fold, email_fold, status, "
                      "  waitlist_seq, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
                      &p, error)
      : !run_command (c, "UPDATE attendees SET status = $2, waitlist_seq = $3, updated_at = $4 WHERE id = $1",
                      &p, error))
    return NULL;

  if (status == TN_RSVP_GOING && previous != TN_RSVP_GOING &&
      !issue_ticket (c, attendee_id, event_id, now, error))
    return NULL;
  if (previous == TN_RSVP_GOING && status != TN_RSVP_GOING &&
      !revoke_tickets (c, attendee_id, now, error))
    return NULL;
  if (!promote_waitlist (c, event_id, now, error))
    return NULL;
  return get_rsvp_on (c, event_id, tn_user_get_id (user), error);
}

static TnAttendee *
tn_pg_store_set_rsvp (TnStore       *store,
                      const char    *event_id,
                      TnUser        *user,
                      TnRsvpStatus   wanted,
                      gint64         now,
                      GError       **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  g_autoptr(TnAttendee) attendee = NULL;
  Conn *c = acquire (self, error);
  gboolean ok;

  if (c == NULL)
    return NULL;
  ok = begin (c, error) &&
       (attendee = set_rsvp_on (c, event_id, user, wanted, now, error)) != NULL &&
       commit (c, error);
  release (self, c);
  return ok ? g_steal_pointer (&attendee) : NULL;
}

/* --- attendees and tickets ---------------------------------------------------- */

static TnAttendee *
get_attendee_on (Conn        *c,
                 const char  *event_id,
                 const char  *attendee_id,
                 GError     **error)
{
  Params p = { 0 };

  param_text (&p, attendee_id);
  param_text (&p, event_id);
  return one_row_on (c, "SELECT " ATTENDEE_COLUMNS " FROM attendees a WHERE a.id = $1 AND a.event_id = $2", &p,
                     (RowFunc) attendee_from_row, TN_ERROR_NOT_FOUND, "No such attendee", error);
}

static TnAttendee *
tn_pg_store_get_attendee (TnStore     *store,
                          const char  *event_id,
                          const char  *attendee_id,
                          GError     **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  Conn *c = acquire (self, error);
  TnAttendee *attendee;

  if (c == NULL)
    return NULL;
  attendee = get_attendee_on (c, event_id, attendee_id, error);
  release (self, c);
  return attendee;
}

static GPtrArray *
tn_pg_store_list_attendees (TnStore                *store,
                            const TnAttendeeQuery  *query,
                            gboolean               *out_more,
                            GError                **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  g_autoptr(GPtrArray) attendees = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *search = NULL;
  guint limit = query->limit > 0 ? MIN (query->limit, TN_LIST_LIMIT_MAX) : TN_LIST_LIMIT_DEFAULT;
  Params p = { 0 };
  PGresult *result;
  Conn *c;

  if (query->search != NULL && query->search[0] != '\0')
    search = tn_store_fold_for_search (query->search);
  param_text (&p, query->event_id);
  param_text (&p, query->has_status ? tn_rsvp_status_to_string (query->status) : NULL);
  param_text (&p, search);
  param_int (&p, query->after_created_at);
  param_text (&p, query->after_id);
  param_int (&p, limit + 1);
  c = acquire (self, error);
  if (c == NULL)
    {
      params_clear (&p);
      return NULL;
    }
  /* a plain substring test: no wildcards a search could smuggle in */
  result = run (c,
                "SELECT " ATTENDEE_COLUMNS " FROM attendees a "
                "WHERE a.event_id = $1 "
                "  AND ($2::text IS NULL OR a.status = $2) "
                "  AND ($3::text IS NULL OR strpos (a.name_fold, $3) > 0 OR strpos (a.email_fold, $3) > 0) "
                "  AND ($5::text IS NULL OR a.created_at > $4 OR (a.created_at = $4 AND a.id > $5)) "
                "ORDER BY a.created_at, a.id LIMIT $6", &p, error);
  release (self, c);
  if (result == NULL)
    return NULL;
  take_page (result, (RowFunc) attendee_from_row, limit, attendees, out_more);
  return g_steal_pointer (&attendees);
}

/* Adds @guest inside the caller's transaction (an import adds many in
 * one); returns the new attendee's id. */
static char *
insert_guest (Conn        *c,
              TnAttendee  *guest,
              gint64       now,
              GError     **error)
{
  const char *event_id = tn_attendee_get_event_id (guest);
  g_autofree char *id = g_strdup (tn_attendee_get_id (guest));
  g_autofree char *name_fold = tn_store_fold_for_search (tn_attendee_get_name (guest));
  g_autofree char *email_fold = tn_store_fold_for_search (tn_attendee_get_email (guest));
  g_autoptr(GError) local_error = NULL;
  TnRsvpStatus status = tn_attendee_get_status (guest);
  gint64 capacity = -1, waitlist_seq = 0;
  gboolean has_waitlist = FALSE, taken = FALSE;
  Params p = { 0 };
  PGresult *result;

  if (!open_event_for_answers (c, event_id, now, &capacity, &has_waitlist, error))
    return NULL;
  param_text (&p, event_id);
  param_text (&p, tn_attendee_get_email (guest));
  result = run (c, "SELECT 1 FROM attendees WHERE event_id = $1 AND tn_ascii_lower (email) = tn_ascii_lower ($2)",
                &p, error);
  if (result == NULL)
    return NULL;
  taken = PQntuples (result) > 0;
  PQclear (result);
  if (taken)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_CONFLICT, "Someone with this e-mail address is on this event already");
      return NULL;
    }
  if (status == TN_RSVP_GOING &&
      !seat_or_waitlist (c, event_id, capacity, has_waitlist, &status, &waitlist_seq, error))
    return NULL;

  if (id == NULL)
    id = tn_id_new ();
  param_text (&p, id);
  param_text (&p, event_id);
  param_text (&p, tn_attendee_get_name (guest));
  param_text (&p, tn_attendee_get_email (guest));
  param_text (&p, tn_rsvp_status_to_string (status));
  if (status == TN_RSVP_WAITLISTED)
    param_int (&p, waitlist_seq);
  else
    param_null (&p);
  param_text (&p, tn_attendee_get_ticket_type (guest));
  param_text (&p, tn_attendee_get_note (guest));
  param_int (&p, now);
  param_text (&p, name_fold);
  param_text (&p, email_fold);
  if (!run_command (c,
                    "INSERT INTO attendees (id, event_id, user_id, name, email, status, waitlist_seq, "
                    "  ticket_type, note, created_at, updated_at, name_fold, email_fold) "
                    "VALUES ($1, $2, NULL, $3, $4, $5, $6, coalesce ($7, ''), coalesce ($8, ''), $9, $9, $10, $11)",
                    &p, &local_error))
    {
      if (g_error_matches (local_error, TN_ERROR, TN_ERROR_CONFLICT))
        g_set_error (error, TN_ERROR, TN_ERROR_CONFLICT, "An attendee with this id or e-mail address exists already");
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (status == TN_RSVP_GOING && !issue_ticket (c, id, event_id, now, error))
    return NULL;
  return g_steal_pointer (&id);
}

static TnAttendee *
tn_pg_store_add_guest (TnStore     *store,
                       TnAttendee  *guest,
                       gint64       now,
                       GError     **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  g_autoptr(TnAuditEntry) audit = take_audit (self);
  g_autofree char *id = NULL;
  TnAttendee *added = NULL;
  Conn *c = acquire (self, error);

  if (c == NULL)
    return NULL;
  if (begin (c, error) &&
      (id = insert_guest (c, guest, now, error)) != NULL &&
      write_audit (c, audit, id, error) &&
      commit (c, error))
    added = get_attendee_on (c, tn_attendee_get_event_id (guest), id, error);
  release (self, c);
  return added;
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
import_guest (Conn            *c,
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
  Params p = { 0 };
  PGresult *result;

  param_text (&p, event_id);
  param_text (&p, tn_attendee_get_email (guest));
  result = run (c,
                "SELECT " ATTENDEE_COLUMNS " FROM attendees a "
                "WHERE a.event_id = $1 AND tn_ascii_lower (a.email) = tn_ascii_lower ($2)", &p, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    current = attendee_from_row (result, 0);
  PQclear (result);

  if (current != NULL)
    {
      g_autofree char *name_fold = tn_store_fold_for_search (name);
      gboolean same = g_strcmp0 (name, tn_attendee_get_name (current)) == 0 &&
                      (ticket_type == NULL || same_optional_text (ticket_type, tn_attendee_get_ticket_type (current))) &&
                      (note == NULL || same_optional_text (note, tn_attendee_get_note (current)));

      *out_result = same ? TN_IMPORT_UNCHANGED : TN_IMPORT_UPDATED;
      if (same)
        return TRUE;
      param_text (&p, tn_attendee_get_id (current));
      param_text (&p, name);
      /* the columns hold '' for none */
      param_text (&p, ticket_type != NULL ? ticket_type : "");
      param_text (&p, note != NULL ? note : "");
      param_text (&p, ticket_type != NULL ? "true" : "false");
      param_text (&p, note != NULL ? "true" : "false");
      param_int (&p, now);
      param_text (&p, name_fold);
      return run_command (c,
                          "UPDATE attendees SET name = $2, name_fold = $8, "
                          "  ticket_type = CASE WHEN $5::boolean THEN $3 ELSE ticket_type END, "
                          "  note = CASE WHEN $6::boolean THEN $4 ELSE note END, updated_at = $7 "
                          "WHERE id = $1", &p, error);
    }

  row = tn_attendee_new ();
  tn_attendee_set_event_id (row, event_id);
  tn_attendee_set_name (row, name);
  tn_attendee_set_email (row, tn_attendee_get_email (guest));
  tn_attendee_set_ticket_type (row, empty_to_null (ticket_type));
  tn_attendee_set_note (row, empty_to_null (note));
  tn_attendee_set_status (row, tn_attendee_get_status (guest));
  id = insert_guest (c, row, now, error);
  if (id == NULL)
    return FALSE;
  *out_result = TN_IMPORT_CREATED;
  if (tn_attendee_get_status (guest) == TN_RSVP_GOING)
    {
      gboolean waitlisted;

      param_text (&p, id);
      result = run (c, "SELECT status FROM attendees WHERE id = $1", &p, error);
      if (result == NULL)
        return FALSE;
      waitlisted = g_strcmp0 (col_text (result, 0, 0), "waitlisted") == 0;
      PQclear (result);
      if (waitlisted)
        *out_result = TN_IMPORT_WAITLISTED;
    }
  return TRUE;
}

static gboolean
tn_pg_store_import_guests (TnStore         *store,
                           const char      *event_id,
                           GPtrArray       *guests,
                           gint64           now,
                           TnImportResult  *out_results,
                           guint           *out_failed,
                           GError         **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  g_autoptr(TnAuditEntry) audit = take_audit (self);
  gint64 capacity = -1;
  gboolean has_waitlist = FALSE, changed = FALSE, ok = FALSE;
  Conn *c = acquire (self, error);

  if (c == NULL)
    return FALSE;
  /* a cancelled or past event takes no import, even one of updates */
  if (!begin (c, error) || !open_event_for_answers (c, event_id, now, &capacity, &has_waitlist, error))
    goto out;
  for (guint i = 0; i < guests->len; i++)
    {
      if (!import_guest (c, event_id, guests->pdata[i], now, &out_results[i], error))
        {
          *out_failed = i;
          goto out;
        }
      if (out_results[i] != TN_IMPORT_UNCHANGED)
        changed = TRUE;
    }
  /* an import that changed nothing is not an action worth a record */
  ok = (!changed || write_audit (c, audit, NULL, error)) && commit (c, error);

out:
  release (self, c);
  return ok;
}

static TnAttendee *
tn_pg_store_update_attendee (TnStore     *store,
                             const char  *event_id,
                             const char  *attendee_id,
                             const char  *ticket_type,
                             const char  *note,
                             gint64       now,
                             GError     **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  g_autoptr(TnAuditEntry) audit = take_audit (self);
  TnAttendee *updated = NULL;
  Params p = { 0 };
  PGresult *result;
  Conn *c = acquire (self, error);

  if (c == NULL)
    return NULL;
  if (!begin (c, error))
    goto out;
  param_text (&p, attendee_id);
  param_text (&p, event_id);
  param_text (&p, ticket_type);
  param_text (&p, note);
  param_int (&p, now);
  result = run (c,
                "UPDATE attendees SET ticket_type = coalesce ($3, ticket_type), note = coalesce ($4, note), "
                "  updated_at = $5 WHERE id = $1 AND event_id = $2", &p, error);
  if (result == NULL)
    goto out;
  if (g_str_equal (PQcmdTuples (result), "0"))
    g_set_error (error, TN_ERROR, TN_ERROR_NOT_FOUND, "No such attendee");
  else if (write_audit (c, audit, NULL, error) && commit (c, error))
    updated = get_attendee_on (c, event_id, attendee_id, error);
  PQclear (result);

out:
  release (self, c);
  return updated;
}

/* Revokes the attendee's ticket and, with @reissue, issues a new code,
 * in one transaction. */
static TnAttendee *
change_ticket (TnPgStore   *self,
               const char  *event_id,
               const char  *attendee_id,
               gboolean     reissue,
               gint64       now,
               GError     **error)
{
  g_autoptr(TnAttendee) current = NULL;
  g_autoptr(TnAuditEntry) audit = take_audit (self);
  TnAttendee *changed = NULL;
  Params p = { 0 };
  PGresult *result;
  gboolean revoked;
  Conn *c = acquire (self, error);

  if (c == NULL)
    return NULL;
  if (!begin (c, error) || (current = get_attendee_on (c, event_id, attendee_id, error)) == NULL)
    goto out;
  if (reissue && tn_attendee_get_status (current) != TN_RSVP_GOING)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_CONFLICT, "Only an attendee who is going has a ticket");
      goto out;
    }
  param_text (&p, attendee_id);
  param_int (&p, now);
  result = run (c, "UPDATE tickets SET revoked_at = $2 WHERE attendee_id = $1 AND revoked_at IS NULL", &p, error);
  if (result == NULL)
    goto out;
  /* revoking where no ticket is valid changes nothing, and is recorded as
   * nothing: the answer is the same, so DELETE stays idempotent */
  revoked = !g_str_equal (PQcmdTuples (result), "0");
  PQclear (result);
  if ((!reissue || issue_ticket (c, attendee_id, event_id, now, error)) &&
      (!(reissue || revoked) || write_audit (c, audit, NULL, error)) &&
      commit (c, error))
    changed = get_attendee_on (c, event_id, attendee_id, error);

out:
  release (self, c);
  return changed;
}

static TnAttendee *
tn_pg_store_reissue_ticket (TnStore     *store,
                            const char  *event_id,
                            const char  *attendee_id,
                            gint64       now,
                            GError     **error)
{
  return change_ticket (TN_PG_STORE (store), event_id, attendee_id, TRUE, now, error);
}

static TnAttendee *
tn_pg_store_revoke_ticket (TnStore     *store,
                           const char  *event_id,
                           const char  *attendee_id,
                           gint64       now,
                           GError     **error)
{
  return change_ticket (TN_PG_STORE (store), event_id, attendee_id, FALSE, now, error);
}

static TnAttendee *
tn_pg_store_lookup_ticket (TnStore     *store,
                           const char  *code,
                           GError     **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  g_autofree char *canonical = tn_ticket_code_normalize (code);
  TnAttendee *attendee = NULL;
  Params p = { 0 };
  PGresult *result;
  Conn *c;

  if (canonical == NULL)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_NOT_FOUND, "No such ticket");
      return NULL;
    }
  c = acquire (self, error);
  if (c == NULL)
    return NULL;
  param_text (&p, canonical);
  result = run (c,
                "SELECT " ATTENDEE_COLUMNS " FROM tickets k JOIN attendees a ON a.id = k.attendee_id "
                "WHERE k.code = $1 AND k.revoked_at IS NULL", &p, error);
  release (self, c);
  if (result == NULL)
    return NULL;
  if (PQntuples (result) == 0)
    g_set_error_literal (error, TN_ERROR, TN_ERROR_NOT_FOUND, "No such ticket, or it was revoked");
  else
    attendee = attendee_from_row (result, 0);
  PQclear (result);
  return attendee;
}

/* --- follows and profiles ---------------------------------------------------- */

static gboolean
user_exists (Conn        *c,
             const char  *user_id,
             GError     **error)
{
  gboolean found = FALSE;

  if (!exists_on (c, "SELECT 1 FROM users WHERE id = $1", user_id, &found, error))
    return FALSE;
  if (!found)
    g_set_error_literal (error, TN_ERROR, TN_ERROR_NOT_FOUND, "No such user");
  return found;
}

#define FOLLOW_COLUMNS \
  "u.id, u.name, f.created_at, EXISTS (SELECT 1 FROM follows b " \
  "  WHERE b.follower_id = f.followee_id AND b.followee_id = f.follower_id)::int "

static TnFollow *
follow_from_row (PGresult *result,
                 int       row)
{
  TnFollow *follow = g_new0 (TnFollow, 1);

  follow->user_id = g_strdup (col_text (result, row, 0));
  follow->name = g_strdup (col_text (result, row, 1));
  follow->since = col_int (result, row, 2);
  follow->friend = col_int (result, row, 3) != 0;
  return follow;
}

static TnFollow *
tn_pg_store_follow (TnStore     *store,
                    const char  *follower_id,
                    const char  *followee_id,
                    gint64       now,
                    GError     **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  TnFollow *follow = NULL;
  Params p = { 0 };
  PGresult *result;
  Conn *c;

  if (g_strcmp0 (follower_id, followee_id) == 0)
    {
      g_set_error_literal (error, TN_ERROR, TN_ERROR_VALIDATION_FAILED, "Nobody can follow themself");
      return NULL;
    }
  c = acquire (self, error);
  if (c == NULL)
    return NULL;
  if (!begin (c, error) || !user_exists (c, followee_id, error) || !user_exists (c, follower_id, error))
    goto out;
  param_text (&p, follower_id);
  param_text (&p, followee_id);
  param_int (&p, now);
  if (!run_command (c,
                    "INSERT INTO follows (follower_id, followee_id, created_at) VALUES ($1, $2, $3) "
                    "ON CONFLICT DO NOTHING", &p, error))
    goto out;
  param_text (&p, follower_id);
  param_text (&p, followee_id);
  result = run (c,
                "SELECT " FOLLOW_COLUMNS "FROM follows f JOIN users u ON u.id = f.followee_id "
                "WHERE f.follower_id = $1 AND f.followee_id = $2", &p, error);
  if (result == NULL)
    goto out;
  follow = follow_from_row (result, 0);
  PQclear (result);
  if (!commit (c, error))
    g_clear_pointer (&follow, tn_follow_free);

out:
  release (self, c);
  return follow;
}

static gboolean
tn_pg_store_unfollow (TnStore     *store,
                      const char  *follower_id,
                      const char  *followee_id,
                      GError     **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  Params p = { 0 };
  gboolean ok = FALSE;
  Conn *c = acquire (self, error);

  if (c == NULL)
    return FALSE;
  if (begin (c, error) && user_exists (c, followee_id, error))
    {
      param_text (&p, follower_id);
      param_text (&p, followee_id);
      ok = run_command (c, "DELETE FROM follows WHERE follower_id = $1 AND followee_id = $2", &p, error) &&
           commit (c, error);
    }
  release (self, c);
  return ok;
}

static GPtrArray *
tn_pg_store_list_follows (TnStore             *store,
                          const TnFollowQuery *query,
                          gboolean            *out_more,
                          GError             **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  g_autoptr(GPtrArray) follows = g_ptr_array_new_with_free_func ((GDestroyNotify) tn_follow_free);
  guint limit = query->limit > 0 ? MIN (query->limit, TN_LIST_LIMIT_MAX) : TN_LIST_LIMIT_DEFAULT;
  Params p = { 0 };
  PGresult *result;
  Conn *c = acquire (self, error);

  if (c == NULL)
    return NULL;
  param_text (&p, query->user_id);
  param_int (&p, query->after_since);
  param_text (&p, query->after_id);
  param_int (&p, limit + 1);
  /* each on its index: (follower_id, created_at, followee_id) or
   * (followee_id, created_at, follower_id) */
  if (query->followers)
    result = run (c,
                  "SELECT " FOLLOW_COLUMNS "FROM follows f JOIN users u ON u.id = f.follower_id "
                  "WHERE f.followee_id = $1 "
                  "  AND ($3::text IS NULL OR f.created_at > $2 OR (f.created_at = $2 AND f.follower_id > $3)) "
                  "ORDER BY f.created_at, f.follower_id LIMIT $4", &p, error);
  else
    result = run (c,
                  "SELECT " FOLLOW_COLUMNS "FROM follows f JOIN users u ON u.id = f.followee_id "
                  "WHERE f.follower_id = $1 "
                  "  AND ($3::text IS NULL OR f.created_at > $2 OR (f.created_at = $2 AND f.followee_id > $3)) "
                  "ORDER BY f.created_at, f.followee_id LIMIT $4", &p, error);
  release (self, c);
  if (result == NULL)
    return NULL;
  take_page (result, (RowFunc) follow_from_row, limit, follows, out_more);
  return g_steal_pointer (&follows);
}

static TnUser *
tn_pg_store_update_profile (TnStore            *store,
                            const char         *user_id,
                            gboolean            set_home,
                            double              home_lat,
                            double              home_lon,
                            const char * const *interests,
                            GError            **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  g_autofree char *joined = NULL;
  gboolean ok = FALSE;
  Params p = { 0 };
  Conn *c = acquire (self, error);

  if (c == NULL)
    return NULL;
  if (interests != NULL && interests[0] != NULL)
    joined = g_strjoinv (TAG_SEPARATOR, (char **) interests);
  if (begin (c, error) && user_exists (c, user_id, error))
    {
      gboolean home = set_home && !isnan (home_lat) && !isnan (home_lon);

      param_text (&p, user_id);
      param_text (&p, set_home ? "true" : "false");
      param_double (&p, home ? home_lat : NAN);
      param_double (&p, home ? home_lon : NAN);
      param_text (&p, interests != NULL ? "true" : "false");
      param_text (&p, joined);
      ok = run_command (c,
                        "UPDATE users SET "
                        "  home_lat = CASE WHEN $2::boolean THEN $3::double precision ELSE home_lat END, "
                        "  home_lon = CASE WHEN $2::boolean THEN $4::double precision ELSE home_lon END, "
                        "  interests = CASE WHEN $5::boolean THEN $6::text ELSE interests END "
                        "WHERE id = $1", &p, error) &&
           commit (c, error);
    }
  release (self, c);
  return ok ? tn_pg_store_get_user (store, user_id, error) : NULL;
}

static GPtrArray *
tn_pg_store_list_user_answers (TnStore     *store,
                               const char  *user_id,
                               GError     **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  Params p = { 0 };
  PGresult *result;
  Conn *c = acquire (self, error);

  if (c == NULL)
    return NULL;
  param_text (&p, user_id);
  result = run (c, "SELECT event_id FROM attendees WHERE user_id = $1", &p, error);
  release (self, c);
  if (result == NULL)
    return NULL;
  for (int r = 0; r < PQntuples (result); r++)
    g_ptr_array_add (ids, g_strdup (PQgetvalue (result, r, 0)));
  PQclear (result);
  return g_steal_pointer (&ids);
}

/* --- the recommender's data --------------------------------------------------- */

typedef struct
{
  TnRecData  *data;
  GHashTable *checked_in;   /* attendee ids a door let in (owned by the hash) */
} RecLoad;

typedef void (*RecRowFunc) (RecLoad  *load,
                            PGresult *result,
                            int       row);

/* Runs @sql through a cursor, @read on every row, 10,000 rows at a time:
 * a million RSVPs never sit in memory as one result. Inside the caller's
 * transaction. */
static gboolean
rec_query (Conn        *c,
           const char  *sql,
           RecLoad     *load,
           RecRowFunc   read,
           GError     **error)
{
  g_autofree char *declare = g_strdup_printf ("DECLARE rec_rows NO SCROLL CURSOR FOR %s", sql);

  if (!exec_sql (c, declare, PGRES_COMMAND_OK, NULL, error))
    return FALSE;
  for (;;)
    {
      PGresult *result = NULL;
      int rows;

      if (!exec_sql (c, "FETCH FORWARD 10000 FROM rec_rows", PGRES_TUPLES_OK, &result, error))
        return FALSE;
      rows = PQntuples (result);
      for (int r = 0; r < rows; r++)
        read (load, result, r);
      PQclear (result);
      if (rows == 0)
        break;
    }
  return exec_sql (c, "CLOSE rec_rows", PGRES_COMMAND_OK, NULL, error);
}

static void
rec_read_user (RecLoad  *load,
               PGresult *result,
               int       row)
{
  g_auto(GStrv) interests = col_split (result, row, 3);

  tn_rec_data_add_user (load->data, col_text (result, row, 0), col_double_or_nan (result, row, 1),
                        col_double_or_nan (result, row, 2), (const char * const *) interests);
}

static void
rec_read_event (RecLoad  *load,
                PGresult *result,
                int       row)
{
  g_auto(GStrv) tags = col_split (result, row, 2);
  const char *organizer = col_text (result, row, 10);
  TnRecEvent event = {
    .id = (char *) col_text (result, row, 0),
    .category = (char *) col_text (result, row, 1),
    .tags = tags,
    .title = (char *) col_text (result, row, 3),
    .description = (char *) col_text (result, row, 4),
    .lat = col_double_or_nan (result, row, 5),
    .lon = col_double_or_nan (result, row, 6),
    .starts_at = col_int (result, row, 7),
    .ends_at = col_int (result, row, 8),
    .listed = col_int (result, row, 9) != 0,
    .organizer = organizer != NULL ? tn_rec_data_find_user (load->data, organizer) : -1,
  };

  /* an event without a place has neither coordinate */
  if (isnan (event.lat) || isnan (event.lon))
    event.lat = event.lon = NAN;
  tn_rec_data_add_event (load->data, &event);
}

static void
rec_read_checkin (RecLoad  *load,
                  PGresult *result,
                  int       row)
{
  g_hash_table_add (load->checked_in, g_strdup (col_text (result, row, 0)));
}

static void
rec_read_rsvp (RecLoad  *load,
               PGresult *result,
               int       row)
{
  static const char * const answers[] = {
    [TN_REC_GOING] = "going",
    [TN_REC_WAITLISTED] = "waitlisted",
    [TN_REC_INTERESTED] = "interested",
    [TN_REC_MAYBE] = "maybe",
    [TN_REC_NOT_GOING] = "not_going",
  };
  const char *status = col_text (result, row, 3);
  TnRecAnswer answer = TN_REC_NOT_GOING;

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    if (g_str_equal (status, answers[i]))
      answer = (TnRecAnswer) i;
  tn_rec_data_add_rsvp (load->data, col_text (result, row, 0), col_text (result, row, 1), col_int (result, row, 2),
                        answer, g_hash_table_contains (load->checked_in, col_text (result, row, 4)));
}

static void
rec_read_follow (RecLoad  *load,
                 PGresult *result,
                 int       row)
{
  tn_rec_data_add_follow (load->data, col_text (result, row, 0), col_text (result, row, 1));
}

/* Everything the recommender's model is built from, in one snapshot
 * (REPEATABLE READ: every query sees the same moment), on a connection of
 * the pool: any thread may call this. In the SQLite backend's order
 * (users, then events and their organizers, then what names both), each
 * list sorted by id so that the same data is read in the same order. */
static gboolean
tn_pg_store_load_rec_data (TnStore    *store,
                           TnRecData  *data,
                           GError    **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  g_autoptr(GHashTable) checked_in = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  RecLoad load = { data, checked_in };
  gboolean ok;
  Conn *c = acquire (self, error);

  if (c == NULL)
    return FALSE;
  ok = exec_sql (c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", PGRES_COMMAND_OK, NULL, error) &&
       rec_query (c, "SELECT id, home_lat, home_lon, interests FROM users ORDER BY id", &load, rec_read_user, error) &&
       rec_query (c,
                  "SELECT id, category, tags, title, description, lat, lon, starts_at, ends_at, "
                  "  (visibility = 'public' AND status = 'scheduled')::int, organizer_id FROM events ORDER BY id",
                  &load, rec_read_event, error) &&
       /* checked in: a scan that counts (accepted, not undone) let them in */
       rec_query (c,
                  "SELECT DISTINCT attendee_id FROM checkins WHERE attendee_id IS NOT NULL "
                  "  AND verdict = 'accepted' AND direction = 'in' AND undone_at IS NULL",
                  &load, rec_read_checkin, error) &&
       rec_query (c,
                  "SELECT user_id, event_id, created_at, status, id FROM attendees "
                  "WHERE user_id IS NOT NULL ORDER BY user_id, event_id",
                  &load, rec_read_rsvp, error) &&
       rec_query (c, "SELECT follower_id, followee_id FROM follows ORDER BY follower_id, followee_id",
                  &load, rec_read_follow, error) &&
       commit (c, error);
  release (self, c);
  return ok;
}

/* --- door devices --------------------------------------------------------------- */

#define DEVICE_COLUMNS "id, event_id, name, role, created_at, last_seen_at, revoked_at"

static TnDevice *
device_from_row (PGresult *result,
                 int       row)
{
  TnDevice *device = g_new0 (TnDevice, 1);

  device->id = g_strdup (col_text (result, row, 0));
  device->event_id = g_strdup (col_text (result, row, 1));
  device->name = g_strdup (col_text (result, row, 2));
  tn_device_role_from_string (col_text (result, row, 3), &device->role);
  device->created_at = col_int (result, row, 4);
  device->last_seen_at = PQgetisnull (result, row, 5) ? 0 : col_int (result, row, 5);
  device->revoked_at = PQgetisnull (result, row, 6) ? 0 : col_int (result, row, 6);
  return device;
}

/* The device @sql (one $1) finds, or NULL with TN_ERROR_NOT_FOUND. */
static TnDevice *
find_device_on (Conn        *c,
                const char  *sql,
                const char  *value,
                GError     **error)
{
  Params p = { 0 };

  param_text (&p, value);
  return one_row_on (c, sql, &p, (RowFunc) device_from_row, TN_ERROR_NOT_FOUND, "No such device", error);
}

static gboolean
tn_pg_store_add_pairing_code (TnStore       *store,
                              const char    *code_hash,
                              const char    *event_id,
                              TnDeviceRole   role,
                              const char    *name,
                              gint64         expires_at,
                              gint64         now,
                              GError       **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  g_autoptr(TnAuditEntry) audit = take_audit (self);
  Params p = { 0 };
  gboolean ok = FALSE;
  Conn *c = acquire (self, error);

  if (c == NULL)
    return FALSE;
  if (begin (c, error))
    {
      /* used and expired codes are of no further use: they go as new ones come */
      param_int (&p, now);
      ok = run_command (c, "DELETE FROM pairing_codes WHERE expires_at <= $1 OR used_at IS NOT NULL", &p, error);
      if (ok)
        {
          param_text (&p, code_hash);
          param_text (&p, event_id);
          param_text (&p, tn_device_role_to_string (role));
          param_text (&p, name);
          param_int (&p, now);
          param_int (&p, expires_at);
          ok = run_command (c,
                            "INSERT INTO pairing_codes (hash, event_id, role, name, created_at, expires_at) "
                            "VALUES ($1, $2, $3, $4, $5, $6)", &p, error) &&
               write_audit (c, audit, NULL, error) &&
               commit (c, error);
        }
    }
  release (self, c);
  return ok;
}

static TnDevice *
tn_pg_store_get_device (TnStore     *store,
                        const char  *id,
                        GError     **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  TnDevice *device;
  Conn *c = acquire (self, error);

  if (c == NULL)
    return NULL;
  device = find_device_on (c, "SELECT " DEVICE_COLUMNS " FROM devices WHERE id = $1", id, error);
  release (self, c);
  return device;
}

static TnDevice *
tn_pg_store_pair_device (TnStore     *store,
                         const char  *code_hash,
                         const char  *device_id,
                         const char  *name,
                         const char  *token_hash,
                         gint64       now,
                         GError     **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  g_autofree char *event_id = NULL;
  g_autofree char *role = NULL;
  TnDevice *device = NULL;
  Params p = { 0 };
  PGresult *result;
  Conn *c = acquire (self, error);

  if (c == NULL)
    return NULL;
  if (!begin (c, error))
    goto out;
  /* a code pairs one device: the row's lock makes a second use wait, then
   * find it used */
  param_text (&p, code_hash);
  param_int (&p, now);
  result = run (c,
                "UPDATE pairing_codes SET used_at = $2 "
                "WHERE hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING event_id, role", &p, error);
  if (result == NULL)
    goto out;
  if (PQntuples (result) > 0)
    {
      event_id = g_strdup (col_text (result, 0, 0));
      role = g_strdup (col_text (result, 0, 1));
    }
  PQclear (result);
  if (event_id == NULL)
    {
      g_set_error_literal (error, TN_ERROR, TN_ERROR_UNAUTHORIZED, "The pairing code is wrong, used or expired");
      goto out;
    }
  param_text (&p, device_id);
  param_text (&p, event_id);
  param_text (&p, name);
  param_text (&p, role);
  param_text (&p, token_hash);
  param_int (&p, now);
  if (run_command (c,
                   "INSERT INTO devices (id, event_id, name, role, token_hash, created_at) "
                   "VALUES ($1, $2, $3, $4, $5, $6)", &p, error) &&
      commit (c, error))
    device = find_device_on (c, "SELECT " DEVICE_COLUMNS " FROM devices WHERE id = $1", device_id, error);

out:
  release (self, c);
  return device;
}

static GPtrArray *
tn_pg_store_list_devices (TnStore     *store,
                          const char  *event_id,
                          GError     **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func ((GDestroyNotify) tn_device_free);
  Params p = { 0 };
  PGresult *result;
  Conn *c = acquire (self, error);

  if (c == NULL)
    return NULL;
  param_text (&p, event_id);
  result = run (c, "SELECT " DEVICE_COLUMNS " FROM devices WHERE event_id = $1 ORDER BY created_at, id", &p, error);
  release (self, c);
  if (result == NULL)
    return NULL;
  for (int r = 0; r < PQntuples (result); r++)
    g_ptr_array_add (devices, device_from_row (result, r));
  PQclear (result);
  return g_steal_pointer (&devices);
}

static TnDevice *
tn_pg_store_lookup_device (TnStore     *store,
                           const char  *token_hash,
                           GError     **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  g_autoptr(GError) local_error = NULL;
  TnDevice *device;
  Conn *c = acquire (self, error);

  if (c == NULL)
    return NULL;
  device = find_device_on (c, "SELECT " DEVICE_COLUMNS " FROM devices WHERE token_hash = $1", token_hash,
                           &local_error);
  /* a device removed with its event: revoked since then */
  if (device == NULL && g_error_matches (local_error, TN_ERROR, TN_ERROR_NOT_FOUND))
    device = find_device_on (c, "SELECT " DEVICE_COLUMNS " FROM removed_devices WHERE token_hash = $1", token_hash,
                             error);
  else if (device == NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  release (self, c);
  return device;
}

/* Renames (@name) or revokes (@name NULL) a device, in one transaction. */
static TnDevice *
change_device (TnPgStore   *self,
               const char  *id,
               const char  *name,
               gint64       now,
               GError     **error)
{
  g_autoptr(TnAuditEntry) audit = take_audit (self);
  TnDevice *device = NULL;
  Params p = { 0 };
  PGresult *result;
  gboolean changed;
  Conn *c = acquire (self, error);

  if (c == NULL)
    return NULL;
  if (!begin (c, error))
    goto out;
  param_text (&p, id);
  if (name != NULL)
    param_text (&p, name);
  else
    param_int (&p, now);
  result = run (c,
                name != NULL ? "UPDATE devices SET name = $2 WHERE id = $1 AND name IS DISTINCT FROM $2"
                             : "UPDATE devices SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
                &p, error);
  if (result == NULL)
    goto out;
  changed = !g_str_equal (PQcmdTuples (result), "0");
  PQclear (result);
  /* nothing changed (the same name, revoked already): nothing to record */
  if ((!changed || write_audit (c, audit, NULL, error)) && commit (c, error))
    device = find_device_on (c, "SELECT " DEVICE_COLUMNS " FROM devices WHERE id = $1", id, error);

out:
  release (self, c);
  return device;
}

static TnDevice *
tn_pg_store_rename_device (TnStore     *store,
                           const char  *id,
                           const char  *name,
                           GError     **error)
{
  g_return_val_if_fail (name != NULL, NULL);
  return change_device (TN_PG_STORE (store), id, name, 0, error);
}

static TnDevice *
tn_pg_store_revoke_device (TnStore     *store,
                           const char  *id,
                           gint64       now,
                           GError     **error)
{
  return change_device (TN_PG_STORE (store), id, NULL, now, error);
}

static gboolean
tn_pg_store_touch_device (TnStore     *store,
                          const char  *id,
                          gint64       now,
                          GError     **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  Params p = { 0 };
  gboolean ok;
  Conn *c = acquire (self, error);

  if (c == NULL)
    return FALSE;
  param_text (&p, id);
  param_int (&p, now);
  ok = run_command (c,
                    "UPDATE devices SET last_seen_at = $2 "
                    "WHERE id = $1 AND (last_seen_at IS NULL OR last_seen_at <= $2 - 60)", &p, error);
  release (self, c);
  return ok;
}

/* Reads the key pair of @event_id on @c (either half may be NULL: not
 * wanted); @out_found FALSE when it has none. */
static gboolean
read_event_key (Conn        *c,
                const char  *event_id,
                guint8       public_key[TN_SIGNED_TICKET_PUBLIC_KEY],
                guint8       secret_key[TN_SIGNED_TICKET_SECRET_KEY],
                gboolean    *out_found,
                GError     **error)
{
  Params p = { 0 };
  PGresult *result;

  *out_found = FALSE;
  param_text (&p, event_id);
  result = run (c, "SELECT public_key, secret_key FROM event_keys WHERE event_id = $1", &p, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    {
      size_t public_size = 0, secret_size = 0;
      guint8 *public_bytes = PQunescapeBytea ((const guint8 *) PQgetvalue (result, 0, 0), &public_size);
      guint8 *secret_bytes = PQunescapeBytea ((const guint8 *) PQgetvalue (result, 0, 1), &secret_size);

      if (public_bytes != NULL && secret_bytes != NULL &&
          public_size == TN_SIGNED_TICKET_PUBLIC_KEY && secret_size == TN_SIGNED_TICKET_SECRET_KEY)
        {
          if (public_key != NULL)
            memcpy (public_key, public_bytes, TN_SIGNED_TICKET_PUBLIC_KEY);
          if (secret_key != NULL)
            memcpy (secret_key, secret_bytes, TN_SIGNED_TICKET_SECRET_KEY);
          *out_found = TRUE;
        }
      if (secret_bytes != NULL)
        sodium_memzero (secret_bytes, secret_size);
      PQfreemem (public_bytes);
      PQfreemem (secret_bytes);
      /* the text form of the secret key in the result */
      sodium_memzero (PQgetvalue (result, 0, 1), strlen (PQgetvalue (result, 0, 1)));
    }
  PQclear (result);
  return TRUE;
}

static gboolean
tn_pg_store_get_event_key (TnStore     *store,
                           const char  *event_id,
                           guint8       public_key[32],
                           guint8       secret_key[64],
                           GError     **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  gboolean found = FALSE, ok;
  Conn *c = acquire (self, error);

  if (c == NULL)
    return FALSE;
  ok = read_event_key (c, event_id, public_key, secret_key, &found, error);
  /* an event whose tickets were issued before keys existed */
  if (ok && !found)
    ok = begin (c, error) && ensure_event_key (c, event_id, error) &&
         read_event_key (c, event_id, public_key, secret_key, &found, error) && commit (c, error);
  release (self, c);
  return ok;
}

/* --- check-in ------------------------------------------------------------------- */

#define CHECKIN_COLUMNS \
  "id, event_id, code, attendee_id, direction, scanned_at, received_at, device, local_verdict, " \
  "verdict, flagged, coalesce (undone_at, 0), coalesce (prev_scanned_at, 0), prev_device, sync_seq"

static TnCheckin *
checkin_from_row (PGresult *result,
                  int       row)
{
  TnCheckin *checkin = g_new0 (TnCheckin, 1);

  checkin->id = g_strdup (col_text (result, row, 0));
  checkin->event_id = g_strdup (col_text (result, row, 1));
  checkin->code = g_strdup (col_text (result, row, 2));
  checkin->attendee_id = g_strdup (col_text (result, row, 3));
  checkin->out = g_str_equal (col_text (result, row, 4), "out");
  checkin->scanned_at = col_int (result, row, 5);
  checkin->received_at = col_int (result, row, 6);
  checkin->device = g_strdup (col_text (result, row, 7));
  checkin->has_local_verdict = tn_verdict_from_string (col_text (result, row, 8), &checkin->local_verdict);
  tn_verdict_from_string (col_text (result, row, 9), &checkin->verdict);
  checkin->flagged = col_int (result, row, 10) != 0;
  checkin->undone_at = col_int (result, row, 11);
  checkin->previous_scanned_at = col_int (result, row, 12);
  checkin->previous_device = g_strdup (col_text (result, row, 13));
  checkin->seq = col_int (result, row, 14);
  return checkin;
}

static TnCheckin *
get_checkin_on (Conn        *c,
                const char  *id,
                GError     **error)
{
  Params p = { 0 };

  param_text (&p, id);
  return one_row_on (c, "SELECT " CHECKIN_COLUMNS " FROM checkins WHERE id = $1", &p, (RowFunc) checkin_from_row,
                     TN_ERROR_NOT_FOUND, "No such scan", error);
}

static TnCheckin *
tn_pg_store_get_checkin (TnStore     *store,
                         const char  *id,
                         GError     **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  TnCheckin *checkin;
  Conn *c = acquire (self, error);

  if (c == NULL)
    return NULL;
  checkin = get_checkin_on (c, id, error);
  release (self, c);
  return checkin;
}

/* The next sync number. Its row stays locked until the transaction ends:
 * every check-in transaction, on any server, waits here for the one
 * before it, so numbers are handed out in commit order and a ticket's
 * scans are judged one transaction at a time. */
static gboolean
next_sync_seq (Conn     *c,
               gint64   *out_seq,
               GError  **error)
{
  PGresult *result = run (c, "SELECT tn_next_sync ()", NULL, error);

  if (result == NULL)
    return FALSE;
  *out_seq = col_int (result, 0, 0);
  PQclear (result);
  return TRUE;
}


/* Judges the scans of one ticket again, in the order they were made
 * (scanned_at, then arrival): as the SQLite backend's
 * replay_ticket (). Inside the caller's transaction, after
 * next_sync_seq () has ordered it. */
static gboolean
replay_ticket (Conn        *c,
               const char  *event_id,
               const char  *ticket_code,
               GError     **error)
{
  g_autofree TnReplayScan *order = NULL;
  g_autofree TnReplayVerdict *verdicts = NULL;
  Params p = { 0 };
  PGresult *scans;
  gboolean ok = TRUE;
  int n;

  param_text (&p, event_id);
  param_text (&p, ticket_code);
  scans = run (c,
               "SELECT id, direction, scanned_at, device, local_verdict, verdict, "
               "  coalesce (prev_scanned_at, 0), prev_device FROM checkins "
               "WHERE event_id = $1 AND ticket_code = $2 AND undone_at IS NULL "
               "  AND verdict IN ('accepted', 'duplicate', 'not_inside') "
               "ORDER BY scanned_at, received_at, arrival", &p, error);
  if (scans == NULL)
    return FALSE;
  n = PQntuples (scans);
  order = g_new0 (TnReplayScan, MAX (n, 1));
  verdicts = g_new0 (TnReplayVerdict, MAX (n, 1));
  for (int i = 0; i < n; i++)
    order[i] = (TnReplayScan) { g_str_equal (col_text (scans, i, 1), "out"), col_int (scans, i, 2),
                                col_text (scans, i, 3) };
  tn_store_replay_scans (order, (guint) n, verdicts);
  for (int i = 0; ok && i < n; i++)
    {
      TnVerdict verdict = (TnVerdict) verdicts[i].verdict;
      gint64 prev_at = verdicts[i].prev_scanned_at, seq;
      const char *prev_device = verdicts[i].prev_device;

      if (g_str_equal (col_text (scans, i, 5), tn_verdict_to_string (verdict)) &&
          col_int (scans, i, 6) == prev_at && g_strcmp0 (col_text (scans, i, 7), prev_device) == 0)
        continue;
      ok = next_sync_seq (c, &seq, error);
      if (!ok)
        break;
      param_text (&p, col_text (scans, i, 0));
      param_text (&p, tn_verdict_to_string (verdict));
      param_int (&p, tn_store_checkin_flagged (col_text (scans, i, 4), verdict) ? 1 : 0);
      if (prev_device != NULL)
        {
          param_int (&p, prev_at);
          param_text (&p, prev_device);
        }
      else
        {
          param_null (&p);
          param_null (&p);
        }
      param_int (&p, seq);
      ok = run_command (c,
                        "UPDATE checkins SET verdict = $2, flagged = $3, prev_scanned_at = $4, prev_device = $5, "
                        "  sync_seq = $6 WHERE id = $1", &p, error);
    }
  PQclear (scans);
  return ok;
}

/* The ticket a scanned code names (as the SQLite backend's
 * resolve_code ()): its short code, or NULL with @out_verdict set when
 * the code itself settles it. */
static gboolean
resolve_code (Conn        *c,
              const char  *event_id,
              const char  *code,
              gint64       scanned_at,
              char       **out_ticket_code,
              char       **out_attendee_id,
              TnVerdict   *out_verdict,
              GError     **error)
{
  g_autofree char *canonical = NULL;
  g_autofree char *ticket_event = NULL;
  g_autofree char *status = NULL;
  gboolean revoked = FALSE;
  Params p = { 0 };
  PGresult *result;

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
      if (!read_event_key (c, claim.event_id, public_key, NULL, &found, error))
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

  param_text (&p, canonical);
  result = run (c,
                "SELECT k.event_id, k.attendee_id, (k.revoked_at IS NOT NULL)::int, a.status "
                "FROM tickets k JOIN attendees a ON a.id = k.attendee_id WHERE k.code = $1", &p, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    {
      ticket_event = g_strdup (col_text (result, 0, 0));
      *out_attendee_id = g_strdup (col_text (result, 0, 1));
      revoked = col_int (result, 0, 2) != 0;
      status = g_strdup (col_text (result, 0, 3));
    }
  PQclear (result);
  if (ticket_event == NULL)
    return TRUE;
  *out_verdict = (TnVerdict) tn_store_ticket_verdict (ticket_event, event_id, revoked, status);
  /* nothing of another event's attendee goes to this event's door */
  if (*out_verdict == TN_VERDICT_WRONG_EVENT)
    g_clear_pointer (out_attendee_id, g_free);
  if (*out_verdict == TN_VERDICT_ACCEPTED)
    *out_ticket_code = g_steal_pointer (&canonical);
  return TRUE;
}

/* Copies the stored scan @scan->id's verdict and what goes with it into
 * @scan; @out_found FALSE when there is none. */
static gboolean
read_stored_checkin (Conn       *c,
                     TnCheckin  *scan,
                     gboolean   *out_found,
                     GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TnCheckin) stored = get_checkin_on (c, scan->id, &local_error);

  return tn_store_take_stored_checkin (scan, stored, local_error, out_found, error);
}

static gboolean
record_checkin (Conn       *c,
                TnCheckin  *scan,
                gint64      now,
                GError    **error)
{
  g_autofree char *ticket_code = NULL;
  g_autofree char *attendee_id = NULL;
  const char *local_verdict = scan->has_local_verdict ? tn_verdict_to_string (scan->local_verdict) : NULL;
  TnVerdict verdict;
  gboolean found, inserted;
  Params p = { 0 };
  PGresult *result;
  gint64 seq;

  if (!read_stored_checkin (c, scan, &found, error))
    return FALSE;
  if (found)
    return TRUE;
  if (!resolve_code (c, scan->event_id, scan->code, scan->scanned_at, &ticket_code, &attendee_id, &verdict, error) ||
      !next_sync_seq (c, &seq, error))
    return FALSE;
  /* a scan of a valid ticket is judged with the ticket's other scans */
  if (ticket_code != NULL)
    verdict = TN_VERDICT_ACCEPTED;
  param_text (&p, scan->id);
  param_text (&p, scan->event_id);
  param_text (&p, scan->code);
  param_text (&p, ticket_code);
  param_text (&p, attendee_id);
  param_text (&p, scan->out ? "out" : "in");
  param_int (&p, scan->scanned_at);
  param_int (&p, now);
  param_text (&p, scan->device);
  param_text (&p, local_verdict);
  param_text (&p, tn_verdict_to_string (verdict));
  param_int (&p, tn_store_checkin_flagged (local_verdict, verdict) ? 1 : 0);
  param_int (&p, seq);
  /* the same scan sent through two servers at once: the second finds it
   * stored once the first commits (it waited in next_sync_seq ()) */
  result = run (c,
                "INSERT INTO checkins (id, event_id, code, ticket_code, attendee_id, direction, scanned_at, "
                "  received_at, device, local_verdict, verdict, flagged, sync_seq) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (id) DO NOTHING",
                &p, error);
  if (result == NULL)
    return FALSE;
  inserted = !g_str_equal (PQcmdTuples (result), "0");
  PQclear (result);
  if (inserted && ticket_code != NULL && !replay_ticket (c, scan->event_id, ticket_code, error))
    return FALSE;
  return read_stored_checkin (c, scan, &found, error);
}

static gboolean
tn_pg_store_record_checkins (TnStore    *store,
                             GPtrArray  *checkins,
                             gint64      now,
                             GError    **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  gboolean ok;
  Conn *c = acquire (self, error);

  if (c == NULL)
    return FALSE;
  ok = begin (c, error);
  for (guint i = 0; ok && i < checkins->len; i++)
    ok = record_checkin (c, checkins->pdata[i], now, error);
  ok = ok && commit (c, error);
  release (self, c);
  return ok;
}

static gboolean
tn_pg_store_undo_checkin (TnStore     *store,
                          const char  *id,
                          gint64       now,
                          GError     **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  g_autofree char *event_id = NULL;
  g_autofree char *ticket_code = NULL;
  gboolean ok = FALSE;
  Params p = { 0 };
  PGresult *result;
  gint64 seq;
  Conn *c = acquire (self, error);

  if (c == NULL)
    return FALSE;
  if (!begin (c, error) || !next_sync_seq (c, &seq, error))
    goto out;
  param_text (&p, id);
  param_int (&p, now);
  param_int (&p, seq);
  result = run (c,
                "UPDATE checkins SET undone_at = $2, sync_seq = $3 WHERE id = $1 AND undone_at IS NULL "
                "RETURNING event_id, ticket_code", &p, error);
  if (result == NULL)
    goto out;
  if (PQntuples (result) > 0)
    {
      event_id = g_strdup (col_text (result, 0, 0));
      ticket_code = g_strdup (col_text (result, 0, 1));
    }
  PQclear (result);
  /* undone already: nothing changes, not even the sequence (the rollback
   * gives the number back) */
  if (event_id == NULL)
    {
      ok = exec_sql (c, "ROLLBACK", PGRES_COMMAND_OK, NULL, error);
      goto out;
    }
  ok = (ticket_code == NULL || replay_ticket (c, event_id, ticket_code, error)) && commit (c, error);

out:
  release (self, c);
  return ok;
}

/* --- the doors' sync ------------------------------------------------------------ */

static GPtrArray *
tn_pg_store_list_changes (TnStore     *store,
                          const char  *event_id,
                          gint64       since,
                          guint        limit,
                          gboolean    *out_more,
                          GError     **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) tn_sync_change_free);
  Params p = { 0 };
  PGresult *result;
  gboolean ok = TRUE;
  Conn *c = acquire (self, error);

  if (c == NULL)
    return NULL;
  limit = limit > 0 ? MIN (limit, TN_SYNC_LIMIT_MAX) : TN_SYNC_LIMIT_DEFAULT;
  /* one snapshot for the page and the rows it names */
  if (!exec_sql (c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", PGRES_COMMAND_OK, NULL, error))
    {
      release (self, c);
      return NULL;
    }
  param_text (&p, event_id);
  param_int (&p, since);
  param_int (&p, (gint64) limit + 1);
  result = run (c,
                "SELECT seq, type, key FROM ("
                "  SELECT sync_seq AS seq, 0 AS type, id AS key FROM attendees "
                "    WHERE event_id = $1 AND sync_seq > $2 "
                "  UNION ALL SELECT sync_seq, 1, code FROM tickets "
                "    WHERE event_id = $1 AND revoked_at IS NOT NULL AND sync_seq > $2 "
                "  UNION ALL SELECT sync_seq, 2, id FROM checkins WHERE event_id = $1 AND sync_seq > $2"
                ") n ORDER BY seq LIMIT $3", &p, error);
  if (result == NULL)
    {
      release (self, c);
      return NULL;
    }
  for (int r = 0; r < PQntuples (result); r++)
    {
      TnSyncChange *change = g_new0 (TnSyncChange, 1);

      change->seq = col_int (result, r, 0);
      change->type = (TnSyncType) col_int (result, r, 1);
      change->code = g_strdup (col_text (result, r, 2));   /* the key, for now */
      g_ptr_array_add (changes, change);
    }
  PQclear (result);
  *out_more = changes->len > limit;
  if (*out_more)
    g_ptr_array_set_size (changes, limit);
  for (guint i = 0; ok && i < changes->len; i++)
    {
      TnSyncChange *change = changes->pdata[i];

      if (change->type == TN_SYNC_ATTENDEE)
        {
          change->attendee = get_attendee_on (c, event_id, change->code, error);
          g_clear_pointer (&change->code, g_free);
          ok = change->attendee != NULL;
        }
      else if (change->type == TN_SYNC_CHECKIN)
        {
          change->checkin = get_checkin_on (c, change->code, error);
          g_clear_pointer (&change->code, g_free);
          ok = change->checkin != NULL;
        }
    }
  ok = ok && commit (c, error);
  release (self, c);
  return ok ? g_steal_pointer (&changes) : NULL;
}

/* --- statistics ----------------------------------------------------------------- */

static gboolean
tn_pg_store_get_event_stats (TnStore       *store,
                             const char    *event_id,
                             TnEventStats  *out_stats,
                             GError       **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  Params p = { 0 };
  PGresult *result;
  gboolean found;
  Conn *c = acquire (self, error);

  if (c == NULL)
    return FALSE;
  /* going and waitlisted are kept on the event row; the others are
   * counted; inside: a ticket whose last counted scan is an entry */
  param_text (&p, event_id);
  result = run (c,
                "SELECT coalesce (e.capacity, -1), e.going_count, e.waitlisted_count, "
                "  (SELECT count(*) FROM attendees a WHERE a.event_id = e.id AND a.status = 'interested'), "
                "  (SELECT count(*) FROM attendees a WHERE a.event_id = e.id AND a.status = 'maybe'), "
                "  (SELECT count(*) FROM attendees a WHERE a.event_id = e.id AND a.status = 'not_going'), "
                "  (SELECT count(DISTINCT c.ticket_code) FROM checkins c WHERE c.event_id = e.id "
                "     AND c.verdict = 'accepted' AND c.direction = 'in' AND c.undone_at IS NULL), "
                "  (SELECT count(*) FROM (SELECT c.direction, row_number () OVER ("
                "       PARTITION BY c.ticket_code ORDER BY c.scanned_at DESC, c.received_at DESC, c.arrival DESC) AS n "
                "     FROM checkins c WHERE c.event_id = e.id AND c.ticket_code IS NOT NULL "
                "       AND c.verdict = 'accepted' AND c.undone_at IS NULL) l WHERE n = 1 AND direction = 'in') "
                "FROM events e WHERE e.id = $1", &p, error);
  release (self, c);
  if (result == NULL)
    return FALSE;
  found = PQntuples (result) > 0;
  if (found)
    {
      out_stats->capacity = col_int (result, 0, 0);
      out_stats->going = col_int (result, 0, 1);
      out_stats->waitlisted = col_int (result, 0, 2);
      out_stats->interested = col_int (result, 0, 3);
      out_stats->maybe = col_int (result, 0, 4);
      out_stats->not_going = col_int (result, 0, 5);
      out_stats->checked_in = col_int (result, 0, 6);
      out_stats->inside = col_int (result, 0, 7);
    }
  else
    g_set_error_literal (error, TN_ERROR, TN_ERROR_NOT_FOUND, "No such event");
  PQclear (result);
  return found;
}

static GHashTable *
tn_pg_store_get_attendee_checkins (TnStore            *store,
                                   const char         *event_id,
                                   const char * const *attendee_ids,
                                   GError            **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  g_autoptr(GHashTable) found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(JsonArray) ids = json_array_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *ids_json = NULL;
  Params p = { 0 };
  PGresult *result;
  Conn *c;

  for (guint i = 0; attendee_ids[i] != NULL; i++)
    json_array_add_string_element (ids, attendee_ids[i]);
  node = json_node_init_array (json_node_alloc (), ids);
  ids_json = json_to_string (node, FALSE);
  c = acquire (self, error);
  if (c == NULL)
    return NULL;
  /* per attendee, over the scans that count: the first entry, and the
   * direction of the last (by scan time, then arrival) */
  param_text (&p, event_id);
  param_text (&p, ids_json);
  result = run (c,
                "SELECT attendee_id, min (CASE WHEN direction = 'in' THEN scanned_at END), "
                "  (SELECT l.direction FROM checkins l WHERE l.event_id = $1 AND l.attendee_id = c.attendee_id "
                "     AND l.verdict = 'accepted' AND l.undone_at IS NULL "
                "   ORDER BY l.scanned_at DESC, l.received_at DESC, l.arrival DESC LIMIT 1) "
                "FROM checkins c WHERE c.event_id = $1 AND c.verdict = 'accepted' AND c.undone_at IS NULL "
                "  AND c.attendee_id IN (SELECT json_array_elements_text ($2::json)) GROUP BY c.attendee_id",
                &p, error);
  release (self, c);
  if (result == NULL)
    return NULL;
  for (int r = 0; r < PQntuples (result); r++)
    {
      TnAttendeeCheckin *state = g_new0 (TnAttendeeCheckin, 1);

      state->checked_in_at = PQgetisnull (result, r, 1) ? 0 : col_int (result, r, 1);
      state->inside = g_strcmp0 (col_text (result, r, 2), "in") == 0;
      g_hash_table_insert (found, g_strdup (col_text (result, r, 0)), state);
    }
  PQclear (result);
  return g_steal_pointer (&found);
}

static gboolean
tn_pg_store_get_door_stats (TnStore      *store,
                            const char   *event_id,
                            gint64        from,
                            gint64        out_arrivals[TN_ARRIVAL_MINUTES],
                            GPtrArray   **out_doors,
                            GError      **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  g_autoptr(GPtrArray) doors = g_ptr_array_new_with_free_func ((GDestroyNotify) tn_door_stats_free);
  Params p = { 0 };
  PGresult *arrivals, *per_door = NULL;
  Conn *c = acquire (self, error);

  if (c == NULL)
    return FALSE;
  memset (out_arrivals, 0, sizeof (gint64) * TN_ARRIVAL_MINUTES);
  param_text (&p, event_id);
  param_int (&p, from);
  param_int (&p, TN_ARRIVAL_MINUTES);
  arrivals = run (c,
                  "SELECT (scanned_at - $2) / 60, count(*) FROM checkins "
                  "WHERE event_id = $1 AND scanned_at >= $2 AND scanned_at < $2 + $3 * 60 "
                  "  AND direction = 'in' AND verdict = 'accepted' AND undone_at IS NULL GROUP BY 1", &p, error);
  if (arrivals != NULL)
    {
      param_text (&p, event_id);
      per_door = run (c,
                      "SELECT c.device, d.name, sum ((c.verdict = 'accepted')::int), sum ((c.verdict <> 'accepted')::int), "
                      "  max (c.scanned_at) "
                      "FROM checkins c LEFT JOIN devices d ON d.id = c.device "
                      "WHERE c.event_id = $1 AND c.undone_at IS NULL GROUP BY c.device, d.name ORDER BY c.device",
                      &p, error);
    }
  release (self, c);
  if (arrivals == NULL || per_door == NULL)
    {
      PQclear (arrivals);
      return FALSE;
    }
  for (int r = 0; r < PQntuples (arrivals); r++)
    {
      gint64 minute = col_int (arrivals, r, 0);

      if (minute >= 0 && minute < TN_ARRIVAL_MINUTES)
        out_arrivals[minute] = col_int (arrivals, r, 1);
    }
  for (int r = 0; r < PQntuples (per_door); r++)
    {
      TnDoorStats *door = g_new0 (TnDoorStats, 1);

      door->device = g_strdup (col_text (per_door, r, 0));
      door->name = g_strdup (col_text (per_door, r, 1));
      door->accepted = col_int (per_door, r, 2);
      door->refused = col_int (per_door, r, 3);
      door->last_scan_at = col_int (per_door, r, 4);
      g_ptr_array_add (doors, door);
    }
  PQclear (arrivals);
  PQclear (per_door);
  *out_doors = g_steal_pointer (&doors);
  return TRUE;
}

/* --- batches and backups ----------------------------------------------------------- */

/* Batches are SQLite's group commit: one sync for many changes. Here
 * every change commits on its own connection, durable when it returns
 * (PostgreSQL syncs its WAL at each commit and groups concurrent commits
 * itself), so a batch is nothing: it opens, holds nothing and commits
 * nothing. */
static gboolean
tn_pg_store_begin_batch (TnStore  *store,
                         GError  **error)
{
  return TRUE;
}

static gboolean
tn_pg_store_commit_batch (TnStore  *store,
                          GError  **error)
{
  return TRUE;
}

static gboolean
tn_pg_store_in_batch (TnStore *store)
{
  return FALSE;
}

/* A PostgreSQL database is backed up with its own tools, which take a
 * consistent snapshot of a live database (docs/POSTGRES.md). */
static gboolean
tn_pg_store_backup (TnStore     *store,
                    const char  *path,
                    GError     **error)
{
  g_set_error_literal (error, TN_ERROR, TN_ERROR_BAD_REQUEST,
                       "A PostgreSQL database is backed up with pg_dump (for example "
                       "pg_dump --format=custom --file=turnout.dump DATABASE), not with turnout-server backup");
  return FALSE;
}

/* --- hosts and visibility --------------------------------------------------- */

static gboolean
tn_pg_store_get_event_role (TnStore      *store,
                            const char   *event_id,
                            const char   *user_id,
                            TnEventRole  *out_role,
                            GError      **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  Params p = { 0 };
  PGresult *result;
  Conn *c = acquire (self, error);

  if (c == NULL)
    return FALSE;
  /* a team or guest-list role is always stronger than an RSVP */
  param_text (&p, event_id);
  param_text (&p, user_id);
  result = run (c,
                "SELECT CASE WHEN e.organizer_id = $2 THEN 'organizer' ELSE coalesce ("
                "  (SELECT p.role FROM event_people p WHERE p.event_id = e.id AND p.user_id = $2), "
                "  (SELECT 'attendee' FROM attendees a WHERE a.event_id = e.id AND a.user_id = $2), "
                "  'none') END "
                "FROM events e WHERE e.id = $1", &p, error);
  release (self, c);
  if (result == NULL)
    return FALSE;
  *out_role = TN_EVENT_ROLE_NONE;
  if (PQntuples (result) > 0)
    tn_event_role_from_string (col_text (result, 0, 0), out_role);
  PQclear (result);
  return TRUE;
}

#define EVENT_PERSON_SELECT \
  "SELECT p.user_id, u.name, u.email, p.role FROM event_people p JOIN users u ON u.id = p.user_id "

static TnEventPerson *
event_person_from_row (PGresult *result,
                       int       row)
{
  TnEventPerson *person = g_new0 (TnEventPerson, 1);

  person->user_id = g_strdup (col_text (result, row, 0));
  person->name = g_strdup (col_text (result, row, 1));
  person->email = g_strdup (col_text (result, row, 2));
  person->role = TN_EVENT_ROLE_INVITED;
  tn_event_role_from_string (col_text (result, row, 3), &person->role);
  return person;
}

static GPtrArray *
tn_pg_store_list_event_people (TnStore     *store,
                               const char  *event_id,
                               GError     **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  g_autoptr(GPtrArray) people = g_ptr_array_new_with_free_func ((GDestroyNotify) tn_event_person_free);
  Params p = { 0 };
  PGresult *result;
  Conn *c = acquire (self, error);

  if (c == NULL)
    return NULL;
  param_text (&p, event_id);
  result = run (c,
                EVENT_PERSON_SELECT "WHERE p.event_id = $1 "
                "ORDER BY CASE p.role WHEN 'cohost' THEN 0 WHEN 'staff' THEN 1 ELSE 2 END, "
                "  u.name, p.user_id", &p, error);
  release (self, c);
  if (result == NULL)
    return NULL;
  for (int r = 0; r < PQntuples (result); r++)
    g_ptr_array_add (people, event_person_from_row (result, r));
  PQclear (result);
  return g_steal_pointer (&people);
}

static TnEventPerson *
tn_pg_store_set_event_person (TnStore      *store,
                              const char   *event_id,
                              const char   *user_id,
                              TnEventRole   role,
                              gint64        now,
                              GError      **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  g_autoptr(TnAuditEntry) audit = take_audit (self);
  TnEventPerson *person = NULL;
  gboolean found = FALSE;
  Params p = { 0 };
  PGresult *result;
  Conn *c = acquire (self, error);

  if (c == NULL)
    return NULL;
  if (!begin (c, error) || !exists_on (c, "SELECT 1 FROM events WHERE id = $1", event_id, &found, error))
    goto out;
  if (!found)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_NOT_FOUND, "No such event");
      goto out;
    }
  if (!exists_on (c, "SELECT 1 FROM users WHERE id = $1", user_id, &found, error))
    goto out;
  if (!found)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_NOT_FOUND, "No such user");
      goto out;
    }
  param_text (&p, event_id);
  param_text (&p, user_id);
  param_text (&p, tn_event_role_to_string (role));
  param_int (&p, now);
  if (!run_command (c,
                    "INSERT INTO event_people (event_id, user_id, role, created_at) VALUES ($1, $2, $3, $4) "
                    "ON CONFLICT (event_id, user_id) DO UPDATE SET role = excluded.role", &p, error))
    goto out;
  param_text (&p, event_id);
  param_text (&p, user_id);
  result = run (c, EVENT_PERSON_SELECT "WHERE p.event_id = $1 AND p.user_id = $2", &p, error);
  if (result == NULL)
    goto out;
  person = event_person_from_row (result, 0);
  PQclear (result);
  if (!write_audit (c, audit, NULL, error) || !commit (c, error))
    g_clear_pointer (&person, tn_event_person_free);

out:
  release (self, c);
  return person;
}

static gboolean
tn_pg_store_remove_event_person (TnStore     *store,
                                 const char  *event_id,
                                 const char  *user_id,
                                 GError     **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  g_autoptr(TnAuditEntry) audit = take_audit (self);
  gboolean ok = FALSE;
  Params p = { 0 };
  PGresult *result;
  Conn *c = acquire (self, error);

  if (c == NULL)
    return FALSE;
  if (!begin (c, error))
    goto out;
  param_text (&p, event_id);
  param_text (&p, user_id);
  result = run (c, "DELETE FROM event_people WHERE event_id = $1 AND user_id = $2", &p, error);
  if (result == NULL)
    goto out;
  if (g_str_equal (PQcmdTuples (result), "0"))
    g_set_error (error, TN_ERROR, TN_ERROR_NOT_FOUND, "This user is not on the event's team or guest list");
  else
    ok = write_audit (c, audit, NULL, error) && commit (c, error);
  PQclear (result);

out:
  release (self, c);
  return ok;
}

/* --- copying from another backend (tn_store_copy()) ----------------------
 *
 * One transaction on one connection. The triggers that number sync
 * changes, count attendees and issue tickets are off while rows come in
 * as they were (ids, sync numbers, counts); the search column is made by
 * its trigger as usual; the folded attendee columns are made here as
 * every change makes them; the identity counters go on after the copied
 * values. */

#define IMPORT_TRIGGERS "ALTER TABLE attendees %s TRIGGER USER; ALTER TABLE tickets %s TRIGGER USER; " \
                        "ALTER TABLE devices %s TRIGGER USER;"

static gboolean
tn_pg_store_begin_import (TnStore  *store,
                          GError  **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  g_autofree char *disable = g_strdup_printf (IMPORT_TRIGGERS, "DISABLE", "DISABLE", "DISABLE");
  PGresult *result = NULL;
  Conn *conn;
  gboolean empty;

  g_return_val_if_fail (self->importing == NULL, FALSE);
  conn = acquire (self, error);
  if (conn == NULL)
    return FALSE;
  if (!exec_sql (conn, "BEGIN", PGRES_COMMAND_OK, NULL, error) ||
      !exec_sql (conn, "SELECT NOT EXISTS (SELECT 1 FROM users) AND NOT EXISTS (SELECT 1 FROM events)",
                 PGRES_TUPLES_OK, &result, error))
    {
      release (self, conn);
      return FALSE;
    }
  empty = g_str_equal (PQgetvalue (result, 0, 0), "t");
  PQclear (result);
  if (!empty)
    {
      g_set_error_literal (error, TN_ERROR, TN_ERROR_CONFLICT,
                           "The PostgreSQL database has a community already; copy into a new, empty one");
      release (self, conn);
      return FALSE;
    }
  /* the categories come with the rest */
  if (!exec_sql (conn, disable, PGRES_COMMAND_OK, NULL, error) ||
      !exec_sql (conn, "DELETE FROM categories", PGRES_COMMAND_OK, NULL, error))
    {
      release (self, conn);
      return FALSE;
    }
  self->importing = conn;
  return TRUE;
}

static const TnStoreValue *
find_value (guint                n_columns,
            const char * const  *columns,
            const TnStoreValue  *values,
            const char          *name)
{
  for (guint i = 0; i < n_columns; i++)
    if (g_str_equal (columns[i], name))
      return &values[i];
  return NULL;
}

static char *
value_text (const TnStoreValue *value)
{
  char number[G_ASCII_DTOSTR_BUF_SIZE];
  GString *hex;

  switch (value->type)
    {
    case TN_STORE_VALUE_INT:
      return g_strdup_printf ("%" G_GINT64_FORMAT, value->integer);
    case TN_STORE_VALUE_REAL:
      return g_strdup (g_ascii_formatd (number, sizeof number, "%.17g", value->real));
    case TN_STORE_VALUE_TEXT:
      return g_strndup (value->data, value->size);
    case TN_STORE_VALUE_BLOB:
      hex = g_string_sized_new (2 + 2 * value->size);
      g_string_append (hex, "\\x");
      for (gsize i = 0; i < value->size; i++)
        g_string_append_printf (hex, "%02x", (guint8) value->data[i]);
      return g_string_free (hex, FALSE);
    case TN_STORE_VALUE_NULL:
    default:
      return NULL;
    }
}

static gboolean
tn_pg_store_import_row (TnStore             *store,
                        const char          *table,
                        guint                n_columns,
                        const char * const  *columns,
                        const TnStoreValue  *values,
                        GError             **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  PGresult *result;
  gboolean ok;

  g_return_val_if_fail (self->importing != NULL, FALSE);

  if (g_str_equal (table, "sync_counter"))
    {
      /* the counter's one row is there already */
      const TnStoreValue *seq = find_value (n_columns, columns, values, "seq");

      if (seq == NULL)
        {
          g_set_error_literal (error, TN_ERROR, TN_ERROR_BAD_REQUEST, "The sync counter has no seq");
          return FALSE;
        }
      g_string_append (sql, "UPDATE sync_counter SET seq = $1 WHERE id = 1");
      g_ptr_array_add (params, value_text (seq));
    }
  else
    {
      g_string_append_printf (sql, "INSERT INTO %s (", table);
      for (guint i = 0; i < n_columns; i++)
        {
          char *quoted = PQescapeIdentifier (self->importing->pg, columns[i], strlen (columns[i]));

          g_string_append_printf (sql, "%s%s", i > 0 ? ", " : "", quoted);
          PQfreemem (quoted);
          g_ptr_array_add (params, value_text (&values[i]));
        }
      if (g_str_equal (table, "attendees"))
        {
          const TnStoreValue *name = find_value (n_columns, columns, values, "name");
          const TnStoreValue *email = find_value (n_columns, columns, values, "email");
          g_autofree char *name_text = name != NULL ? value_text (name) : NULL;
          g_autofree char *email_text = email != NULL ? value_text (email) : NULL;

          g_string_append (sql, ", name_fold, email_fold");
          g_ptr_array_add (params, tn_store_fold_for_search (name_text != NULL ? name_text : ""));
          g_ptr_array_add (params, tn_store_fold_for_search (email_text != NULL ? email_text : ""));
        }
      /* checkins' arrival is GENERATED ALWAYS: the copy keeps SQLite's */
      g_string_append_printf (sql, ")%s VALUES (", g_str_equal (table, "checkins") ? " OVERRIDING SYSTEM VALUE" : "");
      for (guint i = 0; i < params->len; i++)
        g_string_append_printf (sql, "%s$%u", i > 0 ? ", " : "", i + 1);
      g_string_append_c (sql, ')');
    }

  result = PQexecParams (self->importing->pg, sql->str, (int) params->len, NULL,
                         (const char * const *) params->pdata, NULL, NULL, 0);
  ok = PQresultStatus (result) == PGRES_COMMAND_OK;
  if (!ok)
    {
      set_pg_error (self->importing->pg, result, error);
      g_prefix_error (error, "Copying %s: ", table);
    }
  PQclear (result);
  return ok;
}

static gboolean
tn_pg_store_end_import (TnStore   *store,
                        gboolean   commit,
                        GError   **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  g_autofree char *enable = g_strdup_printf (IMPORT_TRIGGERS, "ENABLE", "ENABLE", "ENABLE");
  Conn *conn = g_steal_pointer (&self->importing);
  gboolean ok = TRUE;

  g_return_val_if_fail (conn != NULL, FALSE);
  if (commit)
    ok = exec_sql (conn, enable, PGRES_COMMAND_OK, NULL, error) &&
         exec_sql (conn, "SELECT setval (pg_get_serial_sequence ('audit_log', 'seq'), coalesce (max (seq), 0) + 1, "
                         "false) FROM audit_log", PGRES_TUPLES_OK, NULL, error) &&
         exec_sql (conn, "SELECT setval (pg_get_serial_sequence ('checkins', 'arrival'), "
                         "coalesce (max (arrival), 0) + 1, false) FROM checkins", PGRES_TUPLES_OK, NULL, error) &&
         exec_sql (conn, "COMMIT", PGRES_COMMAND_OK, NULL, error);
  /* rolls back what is left open */
  release (self, conn);
  return ok;
}

/* --- messages between servers (LISTEN/NOTIFY) ----------------------------
 *
 * Every server LISTENs on one channel with a connection of its own, outside
 * the pool, watched by the main loop; a broadcast is a NOTIFY on a pooled
 * connection, "<instance>\n<message>", and a server skips its own. A lost
 * listening connection is made again every LISTEN_RETRY_MS; what was said
 * meanwhile is not heard. */

#define LIVE_CHANNEL    "turnout_live"
#define LISTEN_RETRY_MS 2000

struct _Listener
{
  TnPgStore          *store;       /* not a reference: the store stops it first */
  GMainContext       *context;
  TnStoreMessageFunc  func;
  gpointer            user_data;
  PGconn             *pg;
  GSource            *watch;
  GSource            *retry;
  GCancellable       *cancellable; /* cancelled when listening stops */
};

static void listener_connect (Listener *listener);

static void
listener_drop_connection (Listener *listener)
{
  if (listener->watch != NULL)
    {
      g_source_destroy (listener->watch);
      g_clear_pointer (&listener->watch, g_source_unref);
    }
  g_clear_pointer (&listener->pg, PQfinish);
}

static void
listener_free (Listener *listener)
{
  g_cancellable_cancel (listener->cancellable);
  listener_drop_connection (listener);
  if (listener->retry != NULL)
    {
      g_source_destroy (listener->retry);
      g_clear_pointer (&listener->retry, g_source_unref);
    }
  g_object_unref (listener->cancellable);
  g_main_context_unref (listener->context);
  g_free (listener);
}

static gboolean
listener_retry_cb (gpointer data)
{
  Listener *listener = data;

  g_clear_pointer (&listener->retry, g_source_unref);
  listener_connect (listener);
  return G_SOURCE_REMOVE;
}

static void
listener_schedule_retry (Listener *listener)
{
  listener->retry = g_timeout_source_new (LISTEN_RETRY_MS);
  g_source_set_static_name (listener->retry, "turnout listen retry");
  g_source_set_callback (listener->retry, listener_retry_cb, listener, NULL);
  g_source_attach (listener->retry, listener->context);
}

static gboolean
listener_readable_cb (gint         fd,
                      GIOCondition condition,
                      gpointer     data)
{
  Listener *listener = data;
  PGnotify *notify;

  if (!PQconsumeInput (listener->pg))
    {
      g_message ("Lost the database connection that hears the other servers: %s; trying again",
                 PQerrorMessage (listener->pg));
      /* the watch goes with the connection */
      g_clear_pointer (&listener->watch, g_source_unref);
      g_clear_pointer (&listener->pg, PQfinish);
      listener_schedule_retry (listener);
      return G_SOURCE_REMOVE;
    }
  while ((notify = PQnotifies (listener->pg)) != NULL)
    {
      const char *newline = strchr (notify->extra, '\n');
      g_autofree char *sender = newline != NULL ? g_strndup (notify->extra, (gsize) (newline - notify->extra)) : NULL;

      /* not our own, nor one we cannot read */
      if (sender != NULL && !g_str_equal (sender, listener->store->instance))
        listener->func (newline + 1, listener->user_data);
      PQfreemem (notify);
    }
  return G_SOURCE_CONTINUE;
}

/* In a thread: connecting and LISTEN wait on the network. */
static void
listener_connect_thread (GTask        *task,
                         gpointer      source,
                         gpointer      data,
                         GCancellable *cancellable)
{
  TnPgStore *self = source;
  PGconn *pg = PQconnectdb (self->uri);
  PGresult *result;

  if (PQstatus (pg) != CONNECTION_OK)
    {
      g_task_return_new_error (task, TN_ERROR, TN_ERROR_UNAVAILABLE, "%s", PQerrorMessage (pg));
      PQfinish (pg);
      return;
    }
  result = PQexec (pg, "LISTEN " LIVE_CHANNEL);
  if (PQresultStatus (result) != PGRES_COMMAND_OK || PQsetnonblocking (pg, 1) != 0)
    {
      g_task_return_new_error (task, TN_ERROR, TN_ERROR_UNAVAILABLE, "%s", PQerrorMessage (pg));
      PQclear (result);
      PQfinish (pg);
      return;
    }
  PQclear (result);
  g_task_return_pointer (task, pg, (GDestroyNotify) PQfinish);
}

static void
listener_connected_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      data)
{
  g_autoptr(GCancellable) cancellable = data;   /* the listener's, whether it is still there */
  Listener *listener;
  g_autoptr(GError) error = NULL;
  PGconn *pg = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_cancellable_is_cancelled (cancellable))
    {
      g_clear_pointer (&pg, PQfinish);
      return;
    }
  listener = TN_PG_STORE (source)->listener;
  if (pg == NULL)
    {
      g_message ("Cannot hear the other servers: %s; trying again", error->message);
      listener_schedule_retry (listener);
      return;
    }
  listener->pg = pg;
  listener->watch = g_unix_fd_source_new (PQsocket (pg), G_IO_IN | G_IO_ERR | G_IO_HUP);
  g_source_set_static_name (listener->watch, "turnout listen");
  g_source_set_callback (listener->watch, G_SOURCE_FUNC (listener_readable_cb), listener, NULL);
  g_source_attach (listener->watch, listener->context);
}

static void
listener_connect (Listener *listener)
{
  g_autoptr(GTask) task = NULL;

  /* the callback runs on the context thread-default now: the listener's */
  g_main_context_push_thread_default (listener->context);
  task = g_task_new (listener->store, NULL, listener_connected_cb, g_object_ref (listener->cancellable));
  g_main_context_pop_thread_default (listener->context);
  g_task_set_source_tag (task, listener_connect);
  g_task_run_in_thread (task, listener_connect_thread);
}

static void
tn_pg_store_listen (TnStore            *store,
                    TnStoreMessageFunc  func,
                    gpointer            user_data)
{
  TnPgStore *self = TN_PG_STORE (store);
  Listener *listener;

  g_clear_pointer (&self->listener, listener_free);
  if (func == NULL)
    return;
  listener = g_new0 (Listener, 1);
  listener->store = self;
  listener->context = g_main_context_ref_thread_default ();
  listener->func = func;
  listener->user_data = user_data;
  listener->cancellable = g_cancellable_new ();
  self->listener = listener;
  listener_connect (listener);
}

static gboolean
tn_pg_store_broadcast (TnStore     *store,
                       const char  *message,
                       GError     **error)
{
  TnPgStore *self = TN_PG_STORE (store);
  g_autofree char *payload = g_strconcat (self->instance, "\n", message, NULL);
  Conn *conn = acquire (self, error);
  Params p = { 0 };
  gboolean ok;

  if (conn == NULL)
    return FALSE;
  param_text (&p, LIVE_CHANNEL);
  param_text (&p, payload);
  ok = run_command (conn, "SELECT pg_notify($1, $2)", &p, error);
  release (self, conn);
  return ok;
}

/* Calls wait on the network: the server runs its requests in as many
 * threads as there are connections. */
static guint
tn_pg_store_get_threads (TnStore *store)
{
  return TN_PG_STORE (store)->pool_size;
}

static void
tn_pg_store_iface_init (TnStoreInterface *iface)
{
  iface->migrate = tn_pg_store_migrate;
  iface->ping = tn_pg_store_ping;
  iface->get_threads = tn_pg_store_get_threads;
  iface->broadcast = tn_pg_store_broadcast;
  iface->begin_import = tn_pg_store_begin_import;
  iface->import_row = tn_pg_store_import_row;
  iface->end_import = tn_pg_store_end_import;
  iface->listen = tn_pg_store_listen;
  iface->count_users = tn_pg_store_count_users;
  iface->create_user = tn_pg_store_create_user;
  iface->get_user = tn_pg_store_get_user;
  iface->find_user_by_email = tn_pg_store_find_user_by_email;
  iface->list_users = tn_pg_store_list_users;
  iface->add_token = tn_pg_store_add_token;
  iface->lookup_token = tn_pg_store_lookup_token;
  iface->revoke_token = tn_pg_store_revoke_token;
  iface->set_audit = tn_pg_store_set_audit;
  iface->create_event = tn_pg_store_create_event;
  iface->get_event = tn_pg_store_get_event;
  iface->list_events = tn_pg_store_list_events;
  iface->update_event = tn_pg_store_update_event;
  iface->delete_event = tn_pg_store_delete_event;
  iface->list_categories = tn_pg_store_list_categories;
  iface->set_rsvp = tn_pg_store_set_rsvp;
  iface->get_rsvp = tn_pg_store_get_rsvp;
  iface->get_event_role = tn_pg_store_get_event_role;
  iface->list_event_people = tn_pg_store_list_event_people;
  iface->set_event_person = tn_pg_store_set_event_person;
  iface->remove_event_person = tn_pg_store_remove_event_person;
  iface->get_attendee = tn_pg_store_get_attendee;
  iface->list_attendees = tn_pg_store_list_attendees;
  iface->add_guest = tn_pg_store_add_guest;
  iface->import_guests = tn_pg_store_import_guests;
  iface->update_attendee = tn_pg_store_update_attendee;
  iface->reissue_ticket = tn_pg_store_reissue_ticket;
  iface->revoke_ticket = tn_pg_store_revoke_ticket;
  iface->lookup_ticket = tn_pg_store_lookup_ticket;
  iface->follow = tn_pg_store_follow;
  iface->unfollow = tn_pg_store_unfollow;
  iface->list_follows = tn_pg_store_list_follows;
  iface->update_profile = tn_pg_store_update_profile;
  iface->list_user_answers = tn_pg_store_list_user_answers;
  iface->list_audit = tn_pg_store_list_audit;
  iface->load_rec_data = tn_pg_store_load_rec_data;
  iface->add_pairing_code = tn_pg_store_add_pairing_code;
  iface->get_device = tn_pg_store_get_device;
  iface->pair_device = tn_pg_store_pair_device;
  iface->list_devices = tn_pg_store_list_devices;
  iface->lookup_device = tn_pg_store_lookup_device;
  iface->rename_device = tn_pg_store_rename_device;
  iface->revoke_device = tn_pg_store_revoke_device;
  iface->touch_device = tn_pg_store_touch_device;
  iface->get_event_key = tn_pg_store_get_event_key;
  iface->get_checkin = tn_pg_store_get_checkin;
  iface->record_checkins = tn_pg_store_record_checkins;
  iface->undo_checkin = tn_pg_store_undo_checkin;
  iface->list_changes = tn_pg_store_list_changes;
  iface->get_event_stats = tn_pg_store_get_event_stats;
  iface->get_attendee_checkins = tn_pg_store_get_attendee_checkins;
  iface->get_door_stats = tn_pg_store_get_door_stats;
  iface->begin_batch = tn_pg_store_begin_batch;
  iface->commit_batch = tn_pg_store_commit_batch;
  iface->in_batch = tn_pg_store_in_batch;
  iface->backup = tn_pg_store_backup;
}

static void
tn_pg_store_finalize (GObject *object)
{
  TnPgStore *self = TN_PG_STORE (object);
  Conn *conn;

  g_clear_pointer (&self->listener, listener_free);
  if (self->pool != NULL)
    {
      while ((conn = g_async_queue_try_pop (self->pool)) != NULL)
        conn_free (conn);
      g_async_queue_unref (self->pool);
    }
  g_free (self->uri);
  g_free (self->instance);
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
  self->instance = g_uuid_string_random ();
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
      Conn *conn = connect_one (self, error);

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
