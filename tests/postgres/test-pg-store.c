/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The PostgreSQL backend as far as it goes (issue 8, docs/POSTGRES.md):
 * connecting, migrating (once, also with two servers starting at once),
 * the schema against the SQLite backend's column by column, and the
 * triggers that keep counts, sync numbers and the search column. Runs
 * under tests/postgres/with-cluster; each test on a database of its own. */
#include "config.h"

#include <libpq-fe.h>
#include <sodium.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "tn-error.h"
#include "tn-pg-store.h"
#include "tn-rec-data.h"
#include "tn-signed-ticket.h"
#include "tn-ticket-code.h"
#include "tn-test-utils.h"
#include "tn-time.h"

static char *
fresh_database (void)
{
  char *uri = tn_test_pg_fresh_database ();

  if (uri == NULL)
    g_error ("TURNOUT_TEST_PG is not set: run under tests/postgres/with-cluster");
  return uri;
}

static PGresult *
sql (PGconn     *conn,
     const char *text,
     int         expected)
{
  PGresult *result = PQexec (conn, text);

  if (PQresultStatus (result) != (ExecStatusType) expected)
    g_error ("%s: %s", text, PQerrorMessage (conn));
  return result;
}

static char *
sql_value (PGconn     *conn,
           const char *text)
{
  PGresult *result = sql (conn, text, PGRES_TUPLES_OK);
  char *value;

  g_assert_cmpint (PQntuples (result), ==, 1);
  value = g_strdup (PQgetvalue (result, 0, 0));
  PQclear (result);
  return value;
}

static void
test_migrate (void)
{
  g_autofree char *uri = fresh_database ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TnPgStore) store = tn_pg_store_new (uri, 2, &error);
  g_autoptr(TnPgStore) again = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (tn_pg_store_get_pool_size (store), ==, 2);
  g_assert_cmpint (tn_pg_store_get_schema_version (store, &error), ==, 0);
  g_assert_true (tn_store_migrate (TN_STORE (store), &error));
  g_assert_no_error (error);
  g_assert_cmpint (tn_pg_store_get_schema_version (store, &error), ==, 1);
  g_assert_true (tn_store_ping (TN_STORE (store), &error));
  g_assert_cmpint (tn_store_count_users (TN_STORE (store), &error), ==, 0);
  g_assert_no_error (error);

  /* migrating an up-to-date database changes nothing */
  again = tn_pg_store_new (uri, 1, &error);
  g_assert_no_error (error);
  g_assert_true (tn_store_migrate (TN_STORE (again), &error));
  g_assert_no_error (error);
  g_assert_cmpint (tn_pg_store_get_schema_version (again, &error), ==, 1);
}

typedef struct
{
  const char *uri;
  gboolean    ok;
  char       *message;
} Migrator;

static gpointer
migrate_in_thread (gpointer data)
{
  Migrator *m = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TnPgStore) store = tn_pg_store_new (m->uri, 1, &error);

  m->ok = store != NULL && tn_store_migrate (TN_STORE (store), &error);
  m->message = error != NULL ? g_strdup (error->message) : NULL;
  return NULL;
}

/* Several servers started at once on a new database: one migrates, the
 * others wait for it and find nothing left to do. */
static void
test_migrate_concurrently (void)
{
  g_autofree char *uri = fresh_database ();
  Migrator migrators[4];
  GThread *threads[G_N_ELEMENTS (migrators)];
  g_autoptr(GError) error = NULL;
  g_autoptr(TnPgStore) store = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (migrators); i++)
    {
      migrators[i] = (Migrator) { uri, FALSE, NULL };
      threads[i] = g_thread_new ("migrator", migrate_in_thread, &migrators[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (migrators); i++)
    {
      g_thread_join (threads[i]);
      if (!migrators[i].ok)
        g_error ("migrator %u: %s", i, migrators[i].message);
      g_free (migrators[i].message);
    }
  store = tn_pg_store_new (uri, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tn_pg_store_get_schema_version (store, &error), ==, 1);
}

/* A database newer than this server: refused, not touched. */
static void
test_newer_schema (void)
{
  g_autofree char *uri = fresh_database ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TnPgStore) store = tn_pg_store_new (uri, 1, &error);
  PGconn *conn = PQconnectdb (uri);

  g_assert_true (tn_store_migrate (TN_STORE (store), &error));
  PQclear (sql (conn, "UPDATE turnout_schema SET version = 99", PGRES_COMMAND_OK));
  g_assert_false (tn_store_migrate (TN_STORE (store), &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_INTERNAL);
  g_assert_nonnull (strstr (error->message, "newer"));
  PQfinish (conn);
}

/* Cannot connect: "unavailable", and the message keeps the password out. */
static void
test_unreachable (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnPgStore) store =
    tn_pg_store_new ("postgresql://someone:s3cret-pw@/nowhere?host=/nonexistent-turnout-dir&connect_timeout=2",
                     1, &error);

  g_assert_null (store);
  g_assert_error (error, TN_ERROR, TN_ERROR_UNAVAILABLE);
  g_test_message ("%s", error->message);
  g_assert_null (strstr (error->message, "s3cret-pw"));
}

/* Column types as the two backends name them. */
static const char *
type_class (const char *type)
{
  g_autofree char *lower = g_ascii_strdown (type, -1);

  if (g_str_equal (lower, "integer") || g_str_equal (lower, "bigint"))
    return "integer";
  if (g_str_equal (lower, "text"))
    return "text";
  if (g_str_equal (lower, "real") || g_str_equal (lower, "double precision"))
    return "real";
  if (g_str_equal (lower, "blob") || g_str_equal (lower, "bytea"))
    return "blob";
  return type;
}

static int
collect_column (void  *data,
                int    n,
                char **values,
                char **names)
{
  /* table, column, type, notnull */
  g_hash_table_insert (data, g_strdup_printf ("%s.%s", values[0], values[1]),
                       g_strdup_printf ("%s%s", type_class (values[2]), g_str_equal (values[3], "1") ? " not null" : ""));
  return 0;
}

/* Every column of every table of the SQLite backend, with its type and
 * NOT NULL, is in the PostgreSQL schema too (which adds only the events'
 * search column, the attendees' folded name and e-mail address for
 * searches, the scans' arrival order (SQLite's rowid), and its own version
 * table). */
static void
test_schema_matches_sqlite (void)
{
  g_autofree char *uri = fresh_database ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TnPgStore) store = tn_pg_store_new (uri, 1, &error);
  g_autofree char *dir = g_dir_make_tmp ("turnout-schema-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "turnout.db", NULL);
  g_autoptr(TnStore) sqlite_store = NULL;
  g_autoptr(GHashTable) sqlite_columns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) pg_columns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;
  sqlite3 *db = NULL;
  PGconn *conn;
  PGresult *result;

  g_assert_true (tn_store_migrate (TN_STORE (store), &error));
  sqlite_store = tn_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (tn_store_migrate (sqlite_store, &error));

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "SELECT m.name, p.name, p.type, p.\"notnull\" OR p.pk FROM sqlite_schema m, "
                                 "pragma_table_info (m.name) p WHERE m.type = 'table' "
                                 "AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE 'events_fts%'",
                                 collect_column, sqlite_columns, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_cmpuint (g_hash_table_size (sqlite_columns), >, 100);

  conn = PQconnectdb (uri);
  result = sql (conn,
                "SELECT table_name, column_name, data_type, (is_nullable = 'NO')::int::text "
                "FROM information_schema.columns WHERE table_schema = 'public'", PGRES_TUPLES_OK);
  for (int r = 0; r < PQntuples (result); r++)
    {
      char *row[4] = { PQgetvalue (result, r, 0), PQgetvalue (result, r, 1),
                       PQgetvalue (result, r, 2), PQgetvalue (result, r, 3) };

      collect_column (pg_columns, 4, row, NULL);
    }
  PQclear (result);
  PQfinish (conn);

  g_hash_table_iter_init (&iter, sqlite_columns);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *other = g_hash_table_lookup (pg_columns, key);

      if (g_strcmp0 (other, value) != 0)
        g_error ("%s: SQLite %s, PostgreSQL %s", (char *) key, (char *) value, other ? other : "missing");
    }
  g_hash_table_iter_init (&iter, pg_columns);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (sqlite_columns, key))
      g_assert_true (g_str_equal (key, "events.search") || g_str_equal (key, "attendees.name_fold") ||
                     g_str_equal (key, "attendees.email_fold") || g_str_equal (key, "checkins.arrival") ||
                     g_str_has_prefix (key, "turnout_schema."));

  g_clear_object (&sqlite_store);
  tn_test_remove_tree (dir);
}

/* The triggers: seats taken and people waiting, sync numbers in order
 * (an attendee's change, a new ticket, a revoked one), a removed device
 * remembered, search text without case or accents; e-mail addresses
 * unique without ASCII case, as SQLite's NOCASE compares them. */
static void
test_triggers (void)
{
  g_autofree char *uri = fresh_database ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TnPgStore) store = tn_pg_store_new (uri, 1, &error);
  PGconn *conn;
  PGresult *result;
  g_autofree char *value = NULL;

  g_assert_true (tn_store_migrate (TN_STORE (store), &error));
  conn = PQconnectdb (uri);
  PQclear (sql (conn,
                "INSERT INTO users (id, email, name, password_hash, role, created_at) VALUES"
                "  ('u1', 'Ada@Example.org', 'Ada', 'x', 'member', 1),"
                "  ('u2', 'zoë@example.org', 'Zoë', 'x', 'member', 1);"
                "INSERT INTO events (id, title, description, starts_at, ends_at, tags, visibility, status,"
                "                    version, created_at, updated_at)"
                "  VALUES ('e1', 'Café Philosophique', 'Talk in the ÉCOLE hall', 10, 20, 'talk' || chr (31) || 'paris',"
                "          'public', 'scheduled', 1, 1, 1);"
                "INSERT INTO attendees (id, event_id, user_id, name, email, status, created_at, updated_at)"
                "  VALUES ('a1', 'e1', 'u1', 'Ada', 'ada@example.org', 'going', 1, 1),"
                "         ('a2', 'e1', 'u2', 'Zoë', 'zoë@example.org', 'waitlisted', 1, 1);",
                PGRES_COMMAND_OK));
  value = sql_value (conn, "SELECT going_count || '/' || waitlisted_count FROM events WHERE id = 'e1'");
  g_assert_cmpstr (value, ==, "1/1");
  g_clear_pointer (&value, g_free);
  value = sql_value (conn, "SELECT string_agg (sync_seq::text, ',' ORDER BY id) FROM attendees");
  g_assert_cmpstr (value, ==, "1,2");
  g_clear_pointer (&value, g_free);

  /* promotion: the counts follow, and the change takes the next number */
  PQclear (sql (conn, "UPDATE attendees SET status = 'going' WHERE id = 'a2'", PGRES_COMMAND_OK));
  value = sql_value (conn, "SELECT going_count || '/' || waitlisted_count FROM events WHERE id = 'e1'");
  g_assert_cmpstr (value, ==, "2/0");
  g_clear_pointer (&value, g_free);
  value = sql_value (conn, "SELECT sync_seq FROM attendees WHERE id = 'a2'");
  g_assert_cmpstr (value, ==, "3");
  g_clear_pointer (&value, g_free);

  /* a ticket is a change of its attendee; revoking it numbers the ticket,
   * then the attendee */
  PQclear (sql (conn, "INSERT INTO tickets (code, attendee_id, event_id, issued_at) VALUES ('T1', 'a1', 'e1', 1)",
                PGRES_COMMAND_OK));
  value = sql_value (conn, "SELECT sync_seq FROM attendees WHERE id = 'a1'");
  g_assert_cmpstr (value, ==, "4");
  g_clear_pointer (&value, g_free);
  PQclear (sql (conn, "UPDATE tickets SET revoked_at = 5 WHERE code = 'T1'", PGRES_COMMAND_OK));
  value = sql_value (conn, "SELECT (SELECT sync_seq FROM tickets WHERE code = 'T1') || '/' || "
                           "(SELECT sync_seq FROM attendees WHERE id = 'a1') || '/' || "
                           "(SELECT seq FROM sync_counter)");
  g_assert_cmpstr (value, ==, "5/6/6");
  g_clear_pointer (&value, g_free);
  /* revoking again changes nothing */
  PQclear (sql (conn, "UPDATE tickets SET revoked_at = 7 WHERE code = 'T1'", PGRES_COMMAND_OK));
  value = sql_value (conn, "SELECT seq FROM sync_counter");
  g_assert_cmpstr (value, ==, "6");
  g_clear_pointer (&value, g_free);

  /* leaving: counts down */
  PQclear (sql (conn, "DELETE FROM attendees WHERE id = 'a1'", PGRES_COMMAND_OK));
  value = sql_value (conn, "SELECT going_count || '/' || waitlisted_count FROM events WHERE id = 'e1'");
  g_assert_cmpstr (value, ==, "1/0");
  g_clear_pointer (&value, g_free);

  /* a device that goes is remembered by its token */
  PQclear (sql (conn,
                "INSERT INTO devices (id, event_id, name, role, token_hash, created_at)"
                "  VALUES ('d1', 'e1', 'North door', 'steward', 'h1', 1);"
                "DELETE FROM devices WHERE id = 'd1'", PGRES_COMMAND_OK));
  value = sql_value (conn, "SELECT name || '/' || (revoked_at > 0) FROM removed_devices WHERE token_hash = 'h1'");
  g_assert_cmpstr (value, ==, "North door/true");
  g_clear_pointer (&value, g_free);

  /* search: accents and case ignored, tags are words */
  value = sql_value (conn, "SELECT count(*) FROM events WHERE search @@ to_tsquery ('simple', tn_unaccent ('cafe & ecole & paris'))");
  g_assert_cmpstr (value, ==, "1");
  g_clear_pointer (&value, g_free);
  PQclear (sql (conn, "UPDATE events SET title = 'Rust Night' WHERE id = 'e1'", PGRES_COMMAND_OK));
  value = sql_value (conn, "SELECT count(*) FROM events WHERE search @@ to_tsquery ('simple', 'cafe')");
  g_assert_cmpstr (value, ==, "0");
  g_clear_pointer (&value, g_free);

  /* e-mail addresses: ASCII case folded, other letters not (as NOCASE) */
  result = PQexec (conn, "INSERT INTO users (id, email, name, password_hash, role, created_at)"
                         "  VALUES ('u3', 'ada@EXAMPLE.ORG', 'Ada again', 'x', 'member', 1)");
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_FATAL_ERROR);
  g_assert_cmpstr (PQresultErrorField (result, PG_DIAG_SQLSTATE), ==, "23505");
  PQclear (result);
  PQclear (sql (conn, "INSERT INTO users (id, email, name, password_hash, role, created_at)"
                      "  VALUES ('u4', 'ZOË@example.org', 'Zoë twin', 'x', 'member', 1)", PGRES_COMMAND_OK));
  PQfinish (conn);
}

/* --- the two backends side by side ------------------------------------------- */

typedef struct
{
  TnStore *stores[2];   /* SQLite, PostgreSQL */
  char    *dir;
} Pair;

static void
pair_open (Pair *pair)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = fresh_database ();
  g_autofree char *path = NULL;

  pair->dir = g_dir_make_tmp ("turnout-pair-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (pair->dir, "turnout.db", NULL);
  pair->stores[0] = tn_store_open (path, &error);
  g_assert_no_error (error);
  pair->stores[1] = tn_test_store_open (uri, &error);
  g_assert_no_error (error);
  for (guint b = 0; b < 2; b++)
    {
      g_assert_true (tn_store_migrate (pair->stores[b], &error));
      g_assert_no_error (error);
    }
}

static void
pair_close (Pair *pair)
{
  for (guint b = 0; b < 2; b++)
    g_clear_object (&pair->stores[b]);
  tn_test_remove_tree (pair->dir);
  g_free (pair->dir);
}

/* A small community, the same in both: events around Berlin and one in
 * Lisbon, with categories in any case, tags, accents, a private event. */
static void
pair_fill (Pair *pair)
{
  static const char * const categories[] = { "Tech", "TECH", "music", "Food & Drink", "Sports", "" };
  static const char * const titles[] = {
    "Café Philosophique", "Rust Night", "Über-Meetup", "Jazz im Park", "Crêpes & Code", "Night run",
  };
  g_autoptr(GError) error = NULL;
  TnUser *organizer[2] = { NULL, NULL };

  for (guint b = 0; b < 2; b++)
    {
      organizer[b] = tn_store_create_user (pair->stores[b], "org-1", "org@example.org", "Org", "x",
                                           TN_ROLE_ORGANIZER, &error);
      g_assert_no_error (error);
    }
  for (guint i = 0; i < 40; i++)
    {
      g_autoptr(TnEvent) event = tn_event_new ();
      g_autofree char *id = g_strdup_printf ("event-%02u", i);
      g_autofree char *title = g_strdup_printf ("%s %u", titles[i % G_N_ELEMENTS (titles)], i);
      const char *tags[] = { i % 3 == 0 ? "outdoors" : "indoors", i % 4 == 0 ? "free" : "paid", NULL };

      tn_event_set_id (event, id);
      tn_event_set_title (event, title);
      tn_event_set_description (event, i % 5 == 0 ? "Bring a friend — és mûsica" : "Pumpernickel and talks");
      /* some start at the same second: the order falls back to the id */
      tn_event_set_starts_at (event, 1800000000 + (i / 2) * 3600);
      tn_event_set_ends_at (event, 1800000000 + (i / 2) * 3600 + 7200);
      tn_event_set_category (event, categories[i % G_N_ELEMENTS (categories)]);
      tn_event_set_tags (event, tags);
      if (i == 39)
        tn_event_set_coordinates (event, 38.72, -9.14);
      else if (i % 7 != 6)
        tn_event_set_coordinates (event, 52.52 + (i % 10) * 0.013 - 0.05, 13.40 + (i / 10) * 0.021 - 0.03);
      tn_event_set_visibility (event, i == 13 ? TN_VISIBILITY_PRIVATE : TN_VISIBILITY_PUBLIC);
      tn_event_set_organizer (event, "org-1");
      for (guint b = 0; b < 2; b++)
        {
          g_autoptr(TnEvent) stored = tn_store_create_event (pair->stores[b], event, &error);

          g_assert_no_error (error);
        }
    }
  for (guint b = 0; b < 2; b++)
    g_object_unref (organizer[b]);
}

/* Every page of @query in one backend: "id@distance" each, in order. */
static char *
list_all (TnStore      *store,
          TnEventQuery *query)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GArray) distances = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *after_id = NULL;
  TnEventQuery page = *query;
  gboolean more = TRUE;

  page.out_distances = distances;
  while (more)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) events = tn_store_list_events (store, &page, &more, &error);

      g_assert_no_error (error);
      for (guint k = 0; k < events->len; k++)
        {
          g_string_append_printf (text, "%s", tn_event_get_id (events->pdata[k]));
          if (page.near)
            g_string_append_printf (text, "@%.9f", g_array_index (distances, double, k));
          g_string_append_c (text, ' ');
        }
      if (more)
        {
          TnEvent *last = events->pdata[events->len - 1];

          g_free (after_id);
          after_id = g_strdup (tn_event_get_id (last));
          page.after_id = after_id;
          page.after_starts_at = tn_event_get_starts_at (last);
          if (page.near)
            page.after_distance_km = g_array_index (distances, double, events->len - 1);
        }
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_same_lists (void)
{
  Pair pair = { 0 };
  TnEventQuery queries[] = {
    { .viewer_sees_all = TRUE, .limit = 7 },
    { .limit = 5 },
    { .viewer_id = "org-1", .limit = 50 },
    { .category = "tech", .limit = 4 },
    { .category = "FOOD & DRINK" },
    { .tag = "outdoors", .limit = 3 },
    { .tag = "free" },
    { .search = "cafe" },
    { .search = "CAFÉ philo" },
    { .search = "uber" },
    { .search = "crepes code" },
    { .search = "mus" },
    { .search = "pumper talks", .limit = 6 },
    { .search = "nothing-like-this" },
    { .search = "   " },
    { .search = "'; DROP TABLE events; --" },
    { .search = "\"quoted\" \\ back" },
    { .from = 1800000000 + 5 * 3600, .to = 1800000000 + 12 * 3600 },
    { .status = "scheduled", .limit = 9 },
    { .near = TRUE, .near_lat = 52.52, .near_lon = 13.40, .radius_km = 3.0, .limit = 4 },
    { .near = TRUE, .near_lat = 52.52, .near_lon = 13.40, .radius_km = 50.0, .limit = 6, .category = "Tech" },
    { .near = TRUE, .near_lat = 52.52, .near_lon = 13.40, .radius_km = 3000.0, .limit = 10 },
    { .near = TRUE, .near_lat = 38.7, .near_lon = -9.1, .radius_km = 10.0 },
    { .near = TRUE, .near_lat = 0.0, .near_lon = 179.9, .radius_km = 100.0 },
  };

  pair_open (&pair);
  pair_fill (&pair);
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autofree char *sqlite = list_all (pair.stores[0], &queries[q]);
      g_autofree char *postgres = list_all (pair.stores[1], &queries[q]);

      g_test_message ("query %u: %s", q, sqlite);
      g_assert_cmpstr (postgres, ==, sqlite);
    }
  /* the category counts */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) a = tn_store_list_categories (pair.stores[0], NULL, FALSE, 1800000000, &error);
    g_autoptr(GPtrArray) b = tn_store_list_categories (pair.stores[1], NULL, FALSE, 1800000000, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (a->len, ==, 12);
    g_assert_cmpuint (b->len, ==, a->len);
    for (guint k = 0; k < a->len; k++)
      {
        TnCategory *x = a->pdata[k], *y = b->pdata[k];

        g_assert_cmpstr (x->slug, ==, y->slug);
        g_assert_cmpstr (x->name, ==, y->name);
        g_assert_cmpstr (x->colour, ==, y->colour);
        g_assert_cmpstr (x->icon, ==, y->icon);
        g_assert_cmpint (x->upcoming_events, ==, y->upcoming_events);
      }
  }
  pair_close (&pair);
}

static TnEvent *
small_event (const char *id,
             gint64      capacity,
             gboolean    waitlist)
{
  TnEvent *event = tn_event_new ();

  tn_event_set_id (event, id);
  tn_event_set_title (event, "Small room");
  tn_event_set_starts_at (event, tn_time_now () + 86400);
  tn_event_set_ends_at (event, tn_time_now () + 90000);
  tn_event_set_capacity (event, capacity);
  tn_event_set_waitlist (event, waitlist);
  tn_event_set_visibility (event, TN_VISIBILITY_PUBLIC);
  return event;
}

/* One answer's outcome, the same way for both backends: "status#position
 * ticket?" or the error's code. */
static char *
describe_answer (TnAttendee *attendee,
                 GError     *error)
{
  if (attendee == NULL)
    return g_strdup_printf ("error %d", error->code);
  return g_strdup_printf ("%s#%u %s", tn_rsvp_status_to_string (tn_attendee_get_status (attendee)),
                          tn_attendee_get_waitlist_position (attendee),
                          tn_attendee_get_ticket_code (attendee) != NULL ? "ticket" : "-");
}

/* A script of answers on a room of 3 with a waitlist and one of 1
 * without, in both backends: every answer, and everyone's state after
 * each, alike (seats, waitlist order and positions, promotion when a
 * seat frees or the room grows, tickets issued and revoked). */
static void
test_same_rsvps (void)
{
  static const struct { guint user; const char *event; TnRsvpStatus status; } script[] = {
    { 0, "room", TN_RSVP_GOING }, { 1, "room", TN_RSVP_GOING }, { 2, "room", TN_RSVP_INTERESTED },
    { 3, "room", TN_RSVP_GOING }, { 4, "room", TN_RSVP_GOING }, { 5, "room", TN_RSVP_GOING },
    { 6, "room", TN_RSVP_GOING }, { 4, "room", TN_RSVP_GOING }, { 2, "room", TN_RSVP_GOING },
    { 1, "room", TN_RSVP_NOT_GOING }, { 5, "room", TN_RSVP_MAYBE }, { 0, "room", TN_RSVP_INTERESTED },
    { 1, "room", TN_RSVP_GOING }, { 7, "solo", TN_RSVP_GOING }, { 8, "solo", TN_RSVP_GOING },
    { 7, "solo", TN_RSVP_NOT_GOING }, { 8, "solo", TN_RSVP_GOING }, { 9, "nowhere", TN_RSVP_GOING },
  };
  Pair pair = { 0 };
  TnUser *users[2][10];
  g_autoptr(GError) error = NULL;

  pair_open (&pair);
  for (guint b = 0; b < 2; b++)
    {
      g_autoptr(TnEvent) room = small_event ("room", 3, TRUE);
      g_autoptr(TnEvent) solo = small_event ("solo", 1, FALSE);
      g_autoptr(TnEvent) stored_room = tn_store_create_event (pair.stores[b], room, &error);
      g_autoptr(TnEvent) stored_solo = tn_store_create_event (pair.stores[b], solo, &error);

      g_assert_no_error (error);
      for (guint u = 0; u < 10; u++)
        {
          g_autofree char *id = g_strdup_printf ("user-%u", u);
          g_autofree char *email = g_strdup_printf ("User%u@Example.org", u);

          users[b][u] = tn_store_create_user (pair.stores[b], id, email, id, "x", TN_ROLE_MEMBER, &error);
          g_assert_no_error (error);
        }
    }
  for (guint k = 0; k < G_N_ELEMENTS (script); k++)
    {
      char *outcome[2] = { NULL, NULL };
      char *everyone[2] = { NULL, NULL };

      for (guint b = 0; b < 2; b++)
        {
          g_autoptr(GError) answer_error = NULL;
          g_autoptr(TnAttendee) attendee =
            tn_store_set_rsvp (pair.stores[b], script[k].event, users[b][script[k].user], script[k].status,
                               tn_time_now (), &answer_error);
          GString *state = g_string_new (NULL);

          outcome[b] = describe_answer (attendee, answer_error);
          for (guint u = 0; u < 10; u++)
            for (guint e = 0; e < 2; e++)
              {
                g_autoptr(GError) read_error = NULL;
                g_autoptr(TnAttendee) seen = tn_store_get_rsvp (pair.stores[b], e == 0 ? "room" : "solo",
                                                                tn_user_get_id (users[b][u]), &read_error);
                g_autofree char *text = seen != NULL ? describe_answer (seen, NULL) : g_strdup ("none");

                g_string_append_printf (state, "%u/%u:%s ", u, e, text);
              }
          everyone[b] = g_string_free (state, FALSE);
        }
      g_test_message ("step %u: %s | %s", k, outcome[0], everyone[0]);
      g_assert_cmpstr (outcome[1], ==, outcome[0]);
      g_assert_cmpstr (everyone[1], ==, everyone[0]);
      for (guint b = 0; b < 2; b++)
        {
          g_free (outcome[b]);
          g_free (everyone[b]);
        }
    }
  for (guint b = 0; b < 2; b++)
    for (guint u = 0; u < 10; u++)
      g_object_unref (users[b][u]);
  pair_close (&pair);
}

/* One backend's answers to a run of team and guest-list changes, as text. */
static char *
hosts_story (TnStore *store)
{
  static const char * const names[] = { "organizer", "cohost", "staff", "invited", "attendee", "stranger" };
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) event = small_event ("private", 10, FALSE);
  g_autoptr(TnEvent) stored = NULL;
  TnUser *users[G_N_ELEMENTS (names)];
  struct { guint user; TnEventRole role; } changes[] = {
    { 1, TN_EVENT_ROLE_COHOST }, { 2, TN_EVENT_ROLE_STAFF }, { 3, TN_EVENT_ROLE_INVITED },
    { 2, TN_EVENT_ROLE_COHOST }, { 2, TN_EVENT_ROLE_STAFF },
  };

  for (guint u = 0; u < G_N_ELEMENTS (names); u++)
    {
      g_autofree char *email = g_strdup_printf ("%s@example.org", names[u]);

      users[u] = tn_store_create_user (store, names[u], email, names[u], "x", TN_ROLE_MEMBER, &error);
      g_assert_no_error (error);
    }
  tn_event_set_visibility (event, TN_VISIBILITY_PRIVATE);
  tn_event_set_organizer (event, "organizer");
  stored = tn_store_create_event (store, event, &error);
  g_assert_no_error (error);
  {
    g_autoptr(TnAttendee) answer = tn_store_set_rsvp (store, "private", users[4], TN_RSVP_INTERESTED,
                                                      tn_time_now (), &error);

    g_assert_no_error (error);
  }
  for (guint k = 0; k < G_N_ELEMENTS (changes); k++)
    {
      g_autoptr(TnEventPerson) person = tn_store_set_event_person (store, "private", names[changes[k].user],
                                                                   changes[k].role, 1800000000, &error);

      g_assert_no_error (error);
      g_string_append_printf (text, "set %s %s; ", person->user_id, tn_event_role_to_string (person->role));
    }
  {
    g_autoptr(TnEventPerson) nobody = tn_store_set_event_person (store, "private", "ghost", TN_EVENT_ROLE_STAFF,
                                                                 1800000000, &error);
    g_autoptr(TnEventPerson) nowhere = NULL;

    g_string_append_printf (text, "ghost %d; ", error->code);
    g_clear_error (&error);
    nowhere = tn_store_set_event_person (store, "nowhere", "staff", TN_EVENT_ROLE_STAFF, 1800000000, &error);
    g_string_append_printf (text, "nowhere %d; ", error->code);
    g_clear_error (&error);
  }
  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(GPtrArray) people = tn_store_list_event_people (store, "private", &error);

      g_assert_no_error (error);
      for (guint k = 0; k < people->len; k++)
        {
          TnEventPerson *person = people->pdata[k];

          g_string_append_printf (text, "%s(%s,%s,%s) ", person->user_id, person->name, person->email,
                                  tn_event_role_to_string (person->role));
        }
      for (guint u = 0; u < G_N_ELEMENTS (names); u++)
        {
          TnEventQuery listed = { .viewer_id = names[u] };
          g_autoptr(GPtrArray) events = NULL;
          TnEventRole role = TN_EVENT_ROLE_NONE;
          gboolean more = FALSE;

          g_assert_true (tn_store_get_event_role (store, "private", names[u], &role, &error));
          events = tn_store_list_events (store, &listed, &more, &error);
          g_assert_no_error (error);
          g_string_append_printf (text, "%s:%s/%u ", names[u], tn_event_role_to_string (role), events->len);
        }
      if (round == 0)
        {
          g_assert_true (tn_store_remove_event_person (store, "private", "staff", &error));
          g_assert_false (tn_store_remove_event_person (store, "private", "staff", &error));
          g_string_append_printf (text, "again %d; ", error->code);
          g_clear_error (&error);
        }
    }
  for (guint u = 0; u < G_N_ELEMENTS (names); u++)
    g_object_unref (users[u]);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_same_hosts (void)
{
  Pair pair = { 0 };
  g_autofree char *sqlite = NULL;
  g_autofree char *postgres = NULL;

  pair_open (&pair);
  sqlite = hosts_story (pair.stores[0]);
  postgres = hosts_story (pair.stores[1]);
  g_test_message ("%s", sqlite);
  g_assert_cmpstr (postgres, ==, sqlite);
  pair_close (&pair);
}

static void
describe_attendees (GString   *text,
                    GPtrArray *attendees)
{
  for (guint k = 0; k < attendees->len; k++)
    {
      TnAttendee *a = attendees->pdata[k];

      g_string_append_printf (text, "%s<%s>%s#%u[%s|%s]%s ", tn_attendee_get_name (a), tn_attendee_get_email (a),
                              tn_rsvp_status_to_string (tn_attendee_get_status (a)),
                              tn_attendee_get_waitlist_position (a), tn_attendee_get_ticket_type (a),
                              tn_attendee_get_note (a), tn_attendee_get_ticket_code (a) != NULL ? "+ticket" : "");
    }
}

/* One backend's answers to guests added, imported, searched, changed and
 * their tickets, as text (ids and ticket codes are random: left out). */
static char *
attendees_story (TnStore *store)
{
  static const char * const searches[] = {
    "muller", "MÜLLER", "jose", "José", "ß", "ss", "example.ORG", "%", "_", "zzz", "o",
  };
  static const char * const guests[][3] = {
    { "José Müller", "jose@example.org", "going" }, { "Anna Strauß", "anna@example.org", "going" },
    { "Zoë", "ZOE@example.org", "interested" }, { "Ⅻ ﬁne", "fine@example.org", "going" },
    { "Late Larry", "larry@example.org", "going" },
  };
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) event = small_event ("gala", 3, TRUE);
  g_autoptr(TnEvent) stored = tn_store_create_event (store, event, &error);
  g_autofree char *first_id = NULL;
  g_autofree char *first_code = NULL;
  gint64 now = tn_time_now ();

  g_assert_no_error (error);
  for (guint k = 0; k < G_N_ELEMENTS (guests); k++)
    {
      g_autoptr(TnAttendee) guest = tn_attendee_new ();
      g_autoptr(TnAttendee) added = NULL;
      TnRsvpStatus status = TN_RSVP_GOING;

      tn_rsvp_status_from_string (guests[k][2], &status);
      tn_attendee_set_event_id (guest, "gala");
      tn_attendee_set_name (guest, guests[k][0]);
      tn_attendee_set_email (guest, guests[k][1]);
      tn_attendee_set_status (guest, status);
      tn_attendee_set_ticket_type (guest, k == 0 ? "VIP" : NULL);
      added = tn_store_add_guest (store, guest, now + k, &error);
      g_assert_no_error (error);
      if (k == 0)
        {
          first_id = g_strdup (tn_attendee_get_id (added));
          first_code = g_strdup (tn_attendee_get_ticket_code (added));
        }
    }
  /* the same address in another case is the same person */
  {
    g_autoptr(TnAttendee) twin = tn_attendee_new ();
    g_autoptr(TnAttendee) refused = NULL;

    tn_attendee_set_event_id (twin, "gala");
    tn_attendee_set_name (twin, "Twin");
    tn_attendee_set_email (twin, "JOSE@EXAMPLE.ORG");
    refused = tn_store_add_guest (store, twin, now, &error);
    g_string_append_printf (text, "twin %d; ", error->code);
    g_clear_error (&error);
  }
  /* an import: one unchanged, one renamed, one new going (waitlisted), one new interested */
  {
    g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
    static const char * const import[][3] = {
      { "José Müller", "Jose@Example.org", "going" }, { "Anna Strauss", "anna@example.org", "going" },
      { "Newbie", "new@example.org", "going" }, { "Curious", "curious@example.org", "interested" },
    };
    TnImportResult results[G_N_ELEMENTS (import)];
    guint failed = 0;

    for (guint k = 0; k < G_N_ELEMENTS (import); k++)
      {
        TnAttendee *row = tn_attendee_new ();
        TnRsvpStatus status = TN_RSVP_GOING;

        tn_rsvp_status_from_string (import[k][2], &status);
        tn_attendee_set_name (row, import[k][0]);
        tn_attendee_set_email (row, import[k][1]);
        tn_attendee_set_status (row, status);
        g_ptr_array_add (rows, row);
      }
    g_assert_true (tn_store_import_guests (store, "gala", rows, now + 10, results, &failed, &error));
    g_assert_no_error (error);
    for (guint k = 0; k < G_N_ELEMENTS (import); k++)
      g_string_append_printf (text, "import %s; ", tn_import_result_to_string (results[k]));
  }
  /* notes and ticket types */
  {
    g_autoptr(TnAttendee) changed = tn_store_update_attendee (store, "gala", first_id, NULL, "Needs a ramp",
                                                              now + 20, &error);
    g_autoptr(TnAttendee) missing = NULL;

    g_assert_no_error (error);
    describe_attendees (text, &(GPtrArray) { (gpointer *) &changed, 1 });
    missing = tn_store_update_attendee (store, "gala", "nobody", "x", NULL, now, &error);
    g_string_append_printf (text, "missing %d; ", error->code);
    g_clear_error (&error);
  }
  /* tickets: found by code (any case, dashes), revoked, reissued */
  {
    g_autofree char *lower = g_ascii_strdown (first_code, -1);
    g_autoptr(TnAttendee) found = tn_store_lookup_ticket (store, lower, &error);
    g_autoptr(TnAttendee) revoked = NULL;
    g_autoptr(TnAttendee) again = NULL;
    g_autoptr(TnAttendee) gone = NULL;
    g_autoptr(TnAttendee) reissued = NULL;

    g_assert_no_error (error);
    g_string_append_printf (text, "found %s; ", tn_attendee_get_name (found));
    revoked = tn_store_revoke_ticket (store, "gala", first_id, now + 30, &error);
    g_assert_no_error (error);
    again = tn_store_revoke_ticket (store, "gala", first_id, now + 31, &error);
    g_assert_no_error (error);
    gone = tn_store_lookup_ticket (store, first_code, &error);
    g_string_append_printf (text, "gone %d; ", error->code);
    g_clear_error (&error);
    reissued = tn_store_reissue_ticket (store, "gala", first_id, now + 32, &error);
    g_assert_no_error (error);
    g_string_append_printf (text, "reissued %s %s; ", tn_attendee_get_ticket_code (reissued) != NULL ? "yes" : "no",
                            g_strcmp0 (tn_attendee_get_ticket_code (reissued), first_code) != 0 ? "new" : "same");
  }
  /* lists: all in pages of 2, by status, by search */
  {
    TnAttendeeQuery page = { .event_id = "gala", .limit = 2 };
    gboolean more = TRUE;
    g_autofree char *after = NULL;

    while (more)
      {
        g_autoptr(GPtrArray) list = tn_store_list_attendees (store, &page, &more, &error);

        g_assert_no_error (error);
        describe_attendees (text, list);
        g_string_append (text, "| ");
        if (more)
          {
            TnAttendee *last = list->pdata[list->len - 1];

            g_free (after);
            after = g_strdup (tn_attendee_get_id (last));
            page.after_id = after;
            page.after_created_at = tn_attendee_get_created_at (last);
          }
      }
  }
  {
    TnAttendeeQuery waiting = { .event_id = "gala", .has_status = TRUE, .status = TN_RSVP_WAITLISTED };
    gboolean more = FALSE;
    g_autoptr(GPtrArray) list = tn_store_list_attendees (store, &waiting, &more, &error);

    g_assert_no_error (error);
    g_string_append (text, "waiting: ");
    describe_attendees (text, list);
  }
  for (guint k = 0; k < G_N_ELEMENTS (searches); k++)
    {
      TnAttendeeQuery query = { .event_id = "gala", .search = searches[k] };
      gboolean more = FALSE;
      g_autoptr(GPtrArray) list = tn_store_list_attendees (store, &query, &more, &error);

      g_assert_no_error (error);
      g_string_append_printf (text, "search %s: %u; ", searches[k], list->len);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_same_attendees (void)
{
  Pair pair = { 0 };
  g_autofree char *sqlite = NULL;
  g_autofree char *postgres = NULL;

  pair_open (&pair);
  sqlite = attendees_story (pair.stores[0]);
  postgres = attendees_story (pair.stores[1]);
  g_test_message ("%s", sqlite);
  g_assert_cmpstr (postgres, ==, sqlite);
  pair_close (&pair);
}

static void
describe_profile (GString *text,
                  TnUser  *user)
{
  double lat = NAN, lon = NAN;
  gboolean home = tn_user_get_home (user, &lat, &lon);
  const char * const *interests = tn_user_get_interests (user);

  g_string_append_printf (text, "%s home=%s", tn_user_get_id (user), home ? "yes" : "no");
  if (home)
    g_string_append_printf (text, "(%.9f,%.9f)", lat, lon);
  g_string_append (text, " interests=");
  for (guint k = 0; interests != NULL && interests[k] != NULL; k++)
    g_string_append_printf (text, "%s,", interests[k]);
  g_string_append (text, "; ");
}

static gint
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/* Homes and interests set, kept, cleared; a member's answered events. */
static char *
profile_story (TnStore *store)
{
  const char *two[] = { "Tech", "Food & Drink", NULL };
  const char *none[] = { NULL };
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TnUser) user = tn_store_create_user (store, "maria", "maria@example.org", "Maria", "x",
                                                 TN_ROLE_MEMBER, &error);
  struct { gboolean set_home; double lat, lon; const char * const *interests; } steps[] = {
    { TRUE, 52.520008, 13.404954, two }, { FALSE, 0, 0, NULL }, { TRUE, NAN, NAN, NULL },
    { FALSE, 0, 0, none }, { TRUE, -33.8688, 151.2093, NULL },
  };

  g_assert_no_error (error);
  for (guint k = 0; k < G_N_ELEMENTS (steps); k++)
    {
      g_autoptr(TnUser) changed = tn_store_update_profile (store, "maria", steps[k].set_home, steps[k].lat,
                                                           steps[k].lon, steps[k].interests, &error);
      g_autoptr(TnUser) read = NULL;

      g_assert_no_error (error);
      describe_profile (text, changed);
      read = tn_store_get_user (store, "maria", &error);
      g_assert_no_error (error);
      describe_profile (text, read);
    }
  {
    g_autoptr(TnUser) nobody = tn_store_update_profile (store, "ghost", TRUE, 1, 2, NULL, &error);

    g_string_append_printf (text, "ghost %d; ", error->code);
    g_clear_error (&error);
  }
  for (guint e = 0; e < 3; e++)
    {
      g_autofree char *id = g_strdup_printf ("answered-%u", e);
      g_autoptr(TnEvent) event = small_event (id, -1, FALSE);
      g_autoptr(TnEvent) stored = tn_store_create_event (store, event, &error);
      g_autoptr(TnAttendee) answer = NULL;

      g_assert_no_error (error);
      if (e == 1)
        continue;
      answer = tn_store_set_rsvp (store, id, user, e == 0 ? TN_RSVP_GOING : TN_RSVP_NOT_GOING, tn_time_now (), &error);
      g_assert_no_error (error);
    }
  {
    g_autoptr(GPtrArray) answered = tn_store_list_user_answers (store, "maria", &error);

    g_assert_no_error (error);
    g_ptr_array_sort (answered, compare_strings);
    g_string_append (text, "answered:");
    for (guint k = 0; k < answered->len; k++)
      g_string_append_printf (text, " %s", (char *) answered->pdata[k]);
  }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_same_profiles (void)
{
  Pair pair = { 0 };
  g_autofree char *sqlite = NULL;
  g_autofree char *postgres = NULL;

  pair_open (&pair);
  sqlite = profile_story (pair.stores[0]);
  postgres = profile_story (pair.stores[1]);
  g_test_message ("%s", sqlite);
  g_assert_cmpstr (postgres, ==, sqlite);
  pair_close (&pair);
}

static void
audit_next (TnStore    *store,
            const char *action,
            const char *target_type,
            const char *target_id,
            const char *event_id)
{
  TnAuditEntry entry = { 0, 0, (char *) "admin-1", (char *) "admin@example.org", (char *) action,
                         (char *) target_type, (char *) target_id, (char *) event_id, (char *) "{\"n\":1}" };

  tn_store_set_audit (store, &entry);
}

/* Changes with an audit entry (and one without), then the log by every
 * filter and in pages; times left out. */
static char *
audit_story (TnStore *store)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) event = small_event ("audited", 10, FALSE);
  g_autoptr(TnEvent) stored = NULL;
  g_autoptr(TnEvent) changed = NULL;
  g_autoptr(TnUser) user = NULL;
  g_autoptr(TnUser) quiet = NULL;
  g_autoptr(TnAttendee) guest = tn_attendee_new ();
  g_autoptr(TnAttendee) added = NULL;
  TnAuditQuery queries[] = {
    { .limit = 2 }, { .event_id = "audited" }, { .actor_id = "admin-1", .action = "event.update" },
    { .action = "nothing" }, { .from = 1, .to = G_MAXINT64 },
  };

  audit_next (store, "user.create", "user", "user-1", NULL);
  user = tn_store_create_user (store, "user-1", "u1@example.org", "U1", "x", TN_ROLE_MEMBER, &error);
  g_assert_no_error (error);
  /* the entry was for that change only */
  quiet = tn_store_create_user (store, "user-2", "u2@example.org", "U2", "x", TN_ROLE_MEMBER, &error);
  g_assert_no_error (error);
  audit_next (store, "event.create", "event", "audited", "audited");
  stored = tn_store_create_event (store, event, &error);
  g_assert_no_error (error);
  audit_next (store, "event.update", "event", "audited", "audited");
  tn_event_set_title (event, "Audited, renamed");
  changed = tn_store_update_event (store, event, 1, &error);
  g_assert_no_error (error);
  /* the store's own id replaces the entry's */
  audit_next (store, "attendee.add", "attendee", NULL, "audited");
  tn_attendee_set_id (guest, "guest-1");
  tn_attendee_set_event_id (guest, "audited");
  tn_attendee_set_name (guest, "Guest");
  tn_attendee_set_email (guest, "guest@example.org");
  tn_attendee_set_status (guest, TN_RSVP_INTERESTED);
  added = tn_store_add_guest (store, guest, tn_time_now (), &error);
  g_assert_no_error (error);
  /* a failed change records nothing */
  audit_next (store, "event.update", "event", "audited", "audited");
  g_assert_null (tn_store_update_event (store, event, 1, &error));
  g_clear_error (&error);

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      TnAuditQuery page = queries[q];
      gboolean more = TRUE;

      g_string_append_printf (text, "query %u:", q);
      while (more)
        {
          g_autoptr(GPtrArray) entries = tn_store_list_audit (store, &page, &more, &error);

          g_assert_no_error (error);
          for (guint k = 0; k < entries->len; k++)
            {
              TnAuditEntry *e = entries->pdata[k];

              g_string_append_printf (text, " %" G_GINT64_FORMAT ":%s/%s/%s/%s/%s/%s/%s", e->seq, e->actor_id,
                                      e->actor_email, e->action, e->target_type, e->target_id, e->event_id, e->details);
              page.before_seq = e->seq;
            }
          g_string_append (text, " |");
        }
      g_string_append_c (text, '\n');
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_same_audit (void)
{
  Pair pair = { 0 };
  g_autofree char *sqlite = NULL;
  g_autofree char *postgres = NULL;

  pair_open (&pair);
  sqlite = audit_story (pair.stores[0]);
  postgres = audit_story (pair.stores[1]);
  g_test_message ("%s", sqlite);
  g_assert_cmpstr (postgres, ==, sqlite);
  pair_close (&pair);
}

static gpointer
create_user_in_thread (gpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnUser) user = tn_store_create_user (data, "other-thread", "other@example.org", "Other", "x",
                                                 TN_ROLE_MEMBER, &error);

  g_assert_no_error (error);
  return NULL;
}

/* With a pool, changes run on many threads: an entry set on one thread is
 * for that thread's next change, not another's. */
static void
test_audit_per_thread (void)
{
  g_autofree char *uri = fresh_database ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TnStore) store = tn_test_store_open (uri, &error);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(TnUser) mine = NULL;
  TnAuditQuery all = { 0 };
  gboolean more = FALSE;

  g_assert_true (tn_store_migrate (store, &error));
  audit_next (store, "user.create", "user", "this-thread", NULL);
  g_thread_join (g_thread_new ("other", create_user_in_thread, store));
  mine = tn_store_create_user (store, "this-thread", "this@example.org", "This", "x", TN_ROLE_MEMBER, &error);
  g_assert_no_error (error);
  entries = tn_store_list_audit (store, &all, &more, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (((TnAuditEntry *) entries->pdata[0])->target_id, ==, "this-thread");
}

/* The recommender's data as sorted lines, by ids (not indexes): two
 * loads of the same community compare equal whatever order they read. */
static char *
describe_rec_data (TnRecData *data)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GString *text = g_string_new (NULL);

  for (guint u = 0; u < data->users->len; u++)
    {
      TnRecUser *user = data->users->pdata[u];
      g_autofree char *interests = g_strjoinv (",", user->interests);

      g_ptr_array_add (lines, g_strdup_printf ("user %s %.9f %.9f %s", user->id, user->home_lat, user->home_lon,
                                               interests));
    }
  for (guint e = 0; e < data->events->len; e++)
    {
      TnRecEvent *event = data->events->pdata[e];
      g_autofree char *tags = g_strjoinv (",", event->tags);

      g_ptr_array_add (lines, g_strdup_printf ("event %s %s [%s] %s | %s %.9f %.9f %" G_GINT64_FORMAT " %" G_GINT64_FORMAT
                                               " %d %s", event->id, event->category, tags, event->title,
                                               event->description, event->lat, event->lon, event->starts_at,
                                               event->ends_at, event->listed,
                                               event->organizer >= 0
                                               ? ((TnRecUser *) data->users->pdata[event->organizer])->id : "-"));
    }
  for (guint r = 0; r < data->rsvps->len; r++)
    {
      TnRecRsvp *rsvp = &g_array_index (data->rsvps, TnRecRsvp, r);

      g_ptr_array_add (lines, g_strdup_printf ("rsvp %s %s %u %u", ((TnRecUser *) data->users->pdata[rsvp->user])->id,
                                               ((TnRecEvent *) data->events->pdata[rsvp->event])->id,
                                               rsvp->answer, rsvp->checked_in));
    }
  for (guint k = 0; k < data->follows->len; k++)
    {
      TnRecFollow *follow = &g_array_index (data->follows, TnRecFollow, k);

      g_ptr_array_add (lines, g_strdup_printf ("follow %s %s",
                                               ((TnRecUser *) data->users->pdata[follow->follower])->id,
                                               ((TnRecUser *) data->users->pdata[follow->followee])->id));
    }
  g_ptr_array_sort (lines, compare_strings);
  for (guint k = 0; k < lines->len; k++)
    g_string_append_printf (text, "%s\n", (char *) lines->pdata[k]);
  return g_string_free (text, FALSE);
}

/* The community of same-lists, answers, follows and homes: what the
 * recommender reads of it is the same from both backends. */
static void
test_same_rec_data (void)
{
  Pair pair = { 0 };
  char *texts[2] = { NULL, NULL };
  g_autoptr(GError) error = NULL;

  pair_open (&pair);
  pair_fill (&pair);
  for (guint b = 0; b < 2; b++)
    {
      g_autoptr(TnRecData) data = tn_rec_data_new ();
      const char *interests[] = { "Tech", "Music", NULL };

      for (guint u = 0; u < 6; u++)
        {
          g_autofree char *id = g_strdup_printf ("member-%u", u);
          g_autofree char *email = g_strdup_printf ("member%u@example.org", u);
          g_autoptr(TnUser) user = tn_store_create_user (pair.stores[b], id, email, id, "x", TN_ROLE_MEMBER, &error);
          g_autoptr(TnUser) profiled = NULL;

          g_assert_no_error (error);
          if (u % 2 == 0)
            {
              profiled = tn_store_update_profile (pair.stores[b], id, TRUE, 52.5 + u * 0.01, 13.4, interests, &error);
              g_assert_no_error (error);
            }
          for (guint e = u; e < 40; e += 7)
            {
              g_autofree char *event_id = g_strdup_printf ("event-%02u", e);
              g_autoptr(TnAttendee) answer =
                tn_store_set_rsvp (pair.stores[b], event_id, user, e % 3 == 0 ? TN_RSVP_INTERESTED : TN_RSVP_GOING,
                                   1700000000, &error);

              g_assert_no_error (error);
            }
          if (u > 0)
            {
              g_autofree char *previous = g_strdup_printf ("member-%u", u - 1);
              g_autoptr(TnFollow) follow = tn_store_follow (pair.stores[b], id, previous, 1700000000, &error);

              g_assert_no_error (error);
            }
        }
      g_assert_true (tn_store_load_rec_data (pair.stores[b], data, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (data->rsvps->len, >, 30);
      texts[b] = describe_rec_data (data);
    }
  g_assert_cmpstr (texts[1], ==, texts[0]);
  g_free (texts[0]);
  g_free (texts[1]);
  pair_close (&pair);
}

static void
describe_device (GString  *text,
                 TnDevice *device)
{
  g_string_append_printf (text, "%s/%s/%s/%s seen=%s revoked=%s; ", device->id, device->event_id, device->name,
                          tn_device_role_to_string (device->role), device->last_seen_at > 0 ? "yes" : "no",
                          device->revoked_at > 0 ? "yes" : "no");
}

/* Pairing codes, devices, their names, revocation, and a device whose
 * event is deleted; the event's key pair. Times and keys left out. */
static char *
devices_story (TnStore *store)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) event = small_event ("door-event", 10, FALSE);
  g_autoptr(TnEvent) stored = tn_store_create_event (store, event, &error);
  gint64 now = tn_time_now ();
  guint8 public_key[32], secret_key[64], public_again[32], secret_again[64], derived[32];

  g_assert_no_error (error);
  g_assert_true (tn_store_add_pairing_code (store, "code-1", "door-event", TN_DEVICE_ROLE_STEWARD, "North", now + 600,
                                            now, &error));
  g_assert_true (tn_store_add_pairing_code (store, "code-2", "door-event", TN_DEVICE_ROLE_SUPERVISOR, NULL, now + 600,
                                            now, &error));
  g_assert_true (tn_store_add_pairing_code (store, "code-old", "door-event", TN_DEVICE_ROLE_STEWARD, NULL, now - 1,
                                            now - 700, &error));
  g_assert_no_error (error);
  {
    g_autoptr(TnDevice) first = tn_store_pair_device (store, "code-1", "device-1", "North door", "token-1", now, &error);
    g_autoptr(TnDevice) again = NULL;
    g_autoptr(TnDevice) old = NULL;
    g_autoptr(TnDevice) second = NULL;

    g_assert_no_error (error);
    describe_device (text, first);
    again = tn_store_pair_device (store, "code-1", "device-x", "Again", "token-x", now, &error);
    g_string_append_printf (text, "again %d; ", error->code);
    g_clear_error (&error);
    old = tn_store_pair_device (store, "code-old", "device-y", "Old", "token-y", now, &error);
    g_string_append_printf (text, "old %d; ", error->code);
    g_clear_error (&error);
    second = tn_store_pair_device (store, "code-2", "device-2", "South door", "token-2", now + 1, &error);
    g_assert_no_error (error);
    describe_device (text, second);
  }
  {
    g_autoptr(TnDevice) renamed = tn_store_rename_device (store, "device-1", "North gate", &error);
    g_autoptr(TnDevice) same = NULL;
    g_autoptr(TnDevice) revoked = NULL;
    g_autoptr(TnDevice) found = NULL;
    g_autoptr(TnDevice) missing = NULL;
    g_autoptr(GPtrArray) list = NULL;

    g_assert_no_error (error);
    describe_device (text, renamed);
    same = tn_store_rename_device (store, "device-1", "North gate", &error);
    g_assert_no_error (error);
    g_assert_true (tn_store_touch_device (store, "device-2", now + 5, &error));
    revoked = tn_store_revoke_device (store, "device-2", now + 10, &error);
    g_assert_no_error (error);
    describe_device (text, revoked);
    found = tn_store_lookup_device (store, "token-1", &error);
    g_assert_no_error (error);
    describe_device (text, found);
    missing = tn_store_lookup_device (store, "token-none", &error);
    g_string_append_printf (text, "missing %d; ", error->code);
    g_clear_error (&error);
    list = tn_store_list_devices (store, "door-event", &error);
    g_assert_no_error (error);
    for (guint k = 0; k < list->len; k++)
      describe_device (text, list->pdata[k]);
  }
  /* the event's key: made once, the same after, a pair that belongs together */
  g_assert_true (tn_store_get_event_key (store, "door-event", public_key, secret_key, &error));
  g_assert_true (tn_store_get_event_key (store, "door-event", public_again, secret_again, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (public_key, 32, public_again, 32);
  g_assert_cmpmem (secret_key, 64, secret_again, 64);
  g_assert_cmpint (crypto_sign_ed25519_sk_to_pk (derived, secret_key), ==, 0);
  g_assert_cmpmem (derived, 32, public_key, 32);
  /* the event goes, and its devices with it: still known by their tokens, revoked */
  g_assert_true (tn_store_delete_event (store, "door-event", -1, &error));
  g_assert_no_error (error);
  {
    g_autoptr(TnDevice) gone = tn_store_lookup_device (store, "token-1", &error);

    g_assert_no_error (error);
    describe_device (text, gone);
  }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_same_devices (void)
{
  Pair pair = { 0 };
  g_autofree char *sqlite = NULL;
  g_autofree char *postgres = NULL;

  pair_open (&pair);
  sqlite = devices_story (pair.stores[0]);
  postgres = devices_story (pair.stores[1]);
  g_test_message ("%s", sqlite);
  g_assert_cmpstr (postgres, ==, sqlite);
  pair_close (&pair);
}

#define EVENT_A "0190c000-0000-7000-8000-00000000000a"
#define EVENT_B "0190c000-0000-7000-8000-00000000000b"

static TnCheckin *
scan_of (const char *id,
         const char *event_id,
         const char *code,
         gint64      scanned_at,
         const char *device,
         gboolean    out,
         gboolean    door_accepted)
{
  TnCheckin *scan = g_new0 (TnCheckin, 1);

  scan->id = g_strdup (id);
  scan->event_id = g_strdup (event_id);
  scan->code = g_strdup (code);
  scan->scanned_at = scanned_at;
  scan->device = g_strdup (device);
  scan->out = out;
  scan->has_local_verdict = door_accepted;
  scan->local_verdict = TN_VERDICT_ACCEPTED;
  return scan;
}

/* times in the story are written from its start: the two backends' runs
 * may be a second apart */
static gint64 story_now;

static void
describe_scan (GString   *text,
               TnCheckin *scan)
{
  g_string_append_printf (text, "%s:%s%s prev=%" G_GINT64_FORMAT "/%s undone=%s seq=%" G_GINT64_FORMAT " att=%s; ",
                          scan->id, tn_verdict_to_string (scan->verdict), scan->flagged ? "!" : "",
                          scan->previous_scanned_at > 0 ? scan->previous_scanned_at - story_now : 0,
                          scan->previous_device ? scan->previous_device : "-",
                          scan->undone_at > 0 ? "yes" : "no", scan->seq, scan->attendee_id != NULL ? "yes" : "no");
}

/* Doors' scans of every kind, resent, made offline and arriving late,
 * undone, and a batch refused whole; then the doors' sync in pages.
 * Ticket codes and attendee ids are random: only what they lead to is
 * written. */
static char *
checkin_story (TnStore *store)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) event_a = small_event (EVENT_A, 10, FALSE);
  g_autoptr(TnEvent) event_b = small_event (EVENT_B, 10, FALSE);
  g_autoptr(TnEvent) stored_a = NULL, stored_b = NULL;
  char *codes[5];
  g_autofree char *signed_code = NULL;
  g_autofree char *forged = NULL;
  gint64 now = story_now = tn_time_now ();

  tn_event_set_starts_at (event_a, now - 3600);
  stored_a = tn_store_create_event (store, event_a, &error);
  g_assert_no_error (error);
  stored_b = tn_store_create_event (store, event_b, &error);
  g_assert_no_error (error);
  for (guint u = 0; u < 5; u++)
    {
      g_autofree char *id = g_strdup_printf ("guest-%u", u);
      g_autofree char *email = g_strdup_printf ("guest%u@example.org", u);
      g_autoptr(TnUser) user = tn_store_create_user (store, id, email, id, "x", TN_ROLE_MEMBER, &error);
      g_autoptr(TnAttendee) answer = tn_store_set_rsvp (store, u == 4 ? EVENT_B : EVENT_A, user, TN_RSVP_GOING,
                                                        now, &error);

      g_assert_no_error (error);
      codes[u] = g_strdup (tn_attendee_get_ticket_code (answer));
      if (u == 2)
        {
          g_autoptr(TnAttendee) revoked = tn_store_revoke_ticket (store, EVENT_A, tn_attendee_get_id (answer), now,
                                                                  &error);

          g_assert_no_error (error);
        }
      if (u == 3)
        {
          g_autoptr(TnAttendee) leaves = tn_store_set_rsvp (store, EVENT_A, user, TN_RSVP_NOT_GOING, now, &error);

          g_assert_no_error (error);
        }
    }
  /* signed tickets: one by the event's key, one with a flipped letter */
  {
    guint8 public_key[32], secret_key[64];
    TnTicketClaim claim = { .valid_until = now + 86400 };
    g_autofree char *canonical = tn_ticket_code_normalize (codes[1]);

    g_assert_true (tn_store_get_event_key (store, EVENT_A, public_key, secret_key, &error));
    g_strlcpy (claim.event_id, EVENT_A, sizeof claim.event_id);
    g_strlcpy (claim.code, canonical, sizeof claim.code);
    signed_code = tn_signed_ticket_new (&claim, secret_key);
    forged = g_strdup (signed_code);
    forged[strlen (forged) - 3] = forged[strlen (forged) - 3] == 'A' ? 'B' : 'A';
  }
  {
    g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) tn_checkin_free);

    g_ptr_array_add (batch, scan_of ("s01", EVENT_A, codes[0], now + 100, "North", FALSE, TRUE));
    g_ptr_array_add (batch, scan_of ("s02", EVENT_A, codes[0], now + 110, "North", FALSE, TRUE));
    g_ptr_array_add (batch, scan_of ("s03", EVENT_A, codes[1], now + 105, "North", TRUE, FALSE));
    g_ptr_array_add (batch, scan_of ("s04", EVENT_A, codes[1], now + 106, "North", FALSE, FALSE));
    g_ptr_array_add (batch, scan_of ("s05", EVENT_A, "NOT-A-CODE", now + 107, "North", FALSE, FALSE));
    g_ptr_array_add (batch, scan_of ("s06", EVENT_A, codes[4], now + 108, "North", FALSE, FALSE));
    g_ptr_array_add (batch, scan_of ("s07", EVENT_A, codes[2], now + 109, "North", FALSE, TRUE));
    g_ptr_array_add (batch, scan_of ("s08", EVENT_A, codes[3], now + 111, "North", FALSE, FALSE));
    g_ptr_array_add (batch, scan_of ("s09", EVENT_A, signed_code, now + 120, "South", FALSE, TRUE));
    g_ptr_array_add (batch, scan_of ("s10", EVENT_A, forged, now + 121, "South", FALSE, FALSE));
    g_ptr_array_add (batch, scan_of ("s11", EVENT_A, codes[1], now + 130, "South", TRUE, FALSE));
    g_assert_true (tn_store_record_checkins (store, batch, now + 140, &error));
    g_assert_no_error (error);
    g_string_append (text, "batch: ");
    for (guint k = 0; k < batch->len; k++)
      describe_scan (text, batch->pdata[k]);
  }
  /* the same scans again: stored once, the same answers */
  {
    g_autoptr(GPtrArray) again = g_ptr_array_new_with_free_func ((GDestroyNotify) tn_checkin_free);

    g_ptr_array_add (again, scan_of ("s01", EVENT_A, codes[0], now + 100, "North", FALSE, TRUE));
    g_ptr_array_add (again, scan_of ("s09", EVENT_A, signed_code, now + 120, "South", FALSE, TRUE));
    g_assert_true (tn_store_record_checkins (store, again, now + 150, &error));
    g_string_append (text, "\nagain: ");
    for (guint k = 0; k < again->len; k++)
      describe_scan (text, again->pdata[k]);
  }
  /* made offline before the others, arriving late: the ticket's scans are judged again */
  {
    g_autoptr(GPtrArray) late = g_ptr_array_new_with_free_func ((GDestroyNotify) tn_checkin_free);
    g_autoptr(TnCheckin) s01 = NULL, s02 = NULL;

    g_ptr_array_add (late, scan_of ("s12", EVENT_A, codes[0], now + 90, "Back", FALSE, TRUE));
    g_assert_true (tn_store_record_checkins (store, late, now + 160, &error));
    g_string_append (text, "\nlate: ");
    describe_scan (text, late->pdata[0]);
    s01 = tn_store_get_checkin (store, "s01", &error);
    s02 = tn_store_get_checkin (store, "s02", &error);
    g_assert_no_error (error);
    describe_scan (text, s01);
    describe_scan (text, s02);
  }
  /* undone: judged again; undone twice: nothing more */
  {
    g_autoptr(TnCheckin) s12 = NULL, s01 = NULL;

    g_assert_true (tn_store_undo_checkin (store, "s12", now + 170, &error));
    g_assert_true (tn_store_undo_checkin (store, "s12", now + 171, &error));
    g_assert_true (tn_store_undo_checkin (store, "no-such-scan", now + 171, &error));
    g_assert_no_error (error);
    s12 = tn_store_get_checkin (store, "s12", &error);
    s01 = tn_store_get_checkin (store, "s01", &error);
    g_assert_no_error (error);
    g_string_append (text, "\nundone: ");
    describe_scan (text, s12);
    describe_scan (text, s01);
  }
  /* a scan id of another event: the whole batch is refused */
  {
    g_autoptr(GPtrArray) bad = g_ptr_array_new_with_free_func ((GDestroyNotify) tn_checkin_free);
    g_autoptr(TnCheckin) s13 = NULL;

    g_ptr_array_add (bad, scan_of ("s13", EVENT_A, codes[1], now + 180, "North", FALSE, FALSE));
    g_ptr_array_add (bad, scan_of ("s01", EVENT_B, codes[4], now + 181, "North", FALSE, FALSE));
    g_assert_false (tn_store_record_checkins (store, bad, now + 190, &error));
    g_string_append_printf (text, "\nrefused %d; ", error->code);
    g_clear_error (&error);
    s13 = tn_store_get_checkin (store, "s13", &error);
    g_string_append_printf (text, "s13 %d; ", error->code);
    g_clear_error (&error);
  }
  /* the doors' sync, in pages of 4 */
  {
    gint64 since = 0;
    gboolean more = TRUE;

    g_string_append (text, "\nsync: ");
    while (more)
      {
        g_autoptr(GPtrArray) changes = tn_store_list_changes (store, EVENT_A, since, 4, &more, &error);

        g_assert_no_error (error);
        for (guint k = 0; k < changes->len; k++)
          {
            TnSyncChange *change = changes->pdata[k];

            g_string_append_printf (text, "%" G_GINT64_FORMAT ":%d:", change->seq, change->type);
            if (change->attendee != NULL)
              g_string_append_printf (text, "%s/%s ", tn_attendee_get_name (change->attendee),
                                      tn_rsvp_status_to_string (tn_attendee_get_status (change->attendee)));
            else if (change->checkin != NULL)
              g_string_append_printf (text, "%s/%s ", change->checkin->id,
                                      tn_verdict_to_string (change->checkin->verdict));
            else
              g_string_append (text, "ticket ");
            since = change->seq;
          }
        g_string_append (text, "| ");
      }
  }
  for (guint u = 0; u < 5; u++)
    g_free (codes[u]);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_same_checkins (void)
{
  Pair pair = { 0 };
  g_autofree char *sqlite = NULL;
  g_autofree char *postgres = NULL;

  pair_open (&pair);
  sqlite = checkin_story (pair.stores[0]);
  postgres = checkin_story (pair.stores[1]);
  g_test_message ("%s", sqlite);
  g_assert_cmpstr (postgres, ==, sqlite);
  pair_close (&pair);
}

typedef struct
{
  TnStore   *store;
  TnCheckin *scan;
} Door;

static gpointer
door_scans (gpointer data)
{
  Door *door = data;
  g_autoptr(GPtrArray) batch = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (batch, door->scan);
  if (!tn_store_record_checkins (door->store, batch, tn_time_now (), &error))
    g_error ("record_checkins: %s", error->message);
  return NULL;
}

/* Two servers, eight doors, one ticket, all at once: one scan lets the
 * guest in, the seven others are duplicates of it; and one scan sent to
 * both servers at once is stored once, both answers alike. */
static void
test_doors_at_once (void)
{
  g_autofree char *uri = fresh_database ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) event = small_event (EVENT_A, 10, FALSE);
  g_autoptr(TnEvent) stored = NULL;
  g_autoptr(TnUser) user = NULL;
  g_autoptr(TnAttendee) answer = NULL;
  TnStore *stores[2];
  Door doors[8];
  GThread *threads[8];
  guint accepted = 0, duplicates = 0;
  gint64 now = tn_time_now ();

  for (guint b = 0; b < 2; b++)
    {
      stores[b] = TN_STORE (tn_pg_store_new (uri, 4, &error));
      g_assert_no_error (error);
    }
  g_assert_true (tn_store_migrate (stores[0], &error));
  tn_event_set_starts_at (event, now - 3600);
  stored = tn_store_create_event (stores[0], event, &error);
  user = tn_store_create_user (stores[0], "guest", "guest@example.org", "Guest", "x", TN_ROLE_MEMBER, &error);
  answer = tn_store_set_rsvp (stores[0], EVENT_A, user, TN_RSVP_GOING, now, &error);
  g_assert_no_error (error);

  for (guint d = 0; d < G_N_ELEMENTS (doors); d++)
    {
      g_autofree char *id = g_strdup_printf ("door-scan-%u", d);
      g_autofree char *device = g_strdup_printf ("Door %u", d);

      doors[d] = (Door) { stores[d % 2], scan_of (id, EVENT_A, tn_attendee_get_ticket_code (answer), now, device,
                                                  FALSE, TRUE) };
      threads[d] = g_thread_new ("door", door_scans, &doors[d]);
    }
  for (guint d = 0; d < G_N_ELEMENTS (doors); d++)
    {
      g_thread_join (threads[d]);
      accepted += doors[d].scan->verdict == TN_VERDICT_ACCEPTED;
      duplicates += doors[d].scan->verdict == TN_VERDICT_DUPLICATE;
    }
  /* the answers are each scan's at its commit; stored, they agree too */
  g_assert_cmpuint (accepted + duplicates, ==, G_N_ELEMENTS (doors));
  accepted = duplicates = 0;
  for (guint d = 0; d < G_N_ELEMENTS (doors); d++)
    {
      g_autoptr(TnCheckin) seen = tn_store_get_checkin (stores[1], doors[d].scan->id, &error);

      g_assert_no_error (error);
      accepted += seen->verdict == TN_VERDICT_ACCEPTED;
      duplicates += seen->verdict == TN_VERDICT_DUPLICATE;
      tn_checkin_free (doors[d].scan);
    }
  g_assert_cmpuint (accepted, ==, 1);
  g_assert_cmpuint (duplicates, ==, 7);

  /* the same scan through both servers at once */
  for (guint d = 0; d < 2; d++)
    {
      doors[d] = (Door) { stores[d], scan_of ("twice", EVENT_A, tn_attendee_get_ticket_code (answer), now + 60,
                                              "Door 9", TRUE, TRUE) };
      threads[d] = g_thread_new ("door", door_scans, &doors[d]);
    }
  for (guint d = 0; d < 2; d++)
    g_thread_join (threads[d]);
  g_assert_cmpint (doors[0].scan->verdict, ==, TN_VERDICT_ACCEPTED);
  g_assert_cmpint (doors[1].scan->verdict, ==, doors[0].scan->verdict);
  g_assert_cmpint (doors[1].scan->seq, ==, doors[0].scan->seq);
  for (guint d = 0; d < 2; d++)
    tn_checkin_free (doors[d].scan);
  {
    PGconn *conn = PQconnectdb (uri);
    g_autofree char *count = sql_value (conn, "SELECT count(*) FROM checkins WHERE id = 'twice'");

    g_assert_cmpstr (count, ==, "1");
    PQfinish (conn);
  }
  for (guint b = 0; b < 2; b++)
    g_object_unref (stores[b]);
}

typedef struct
{
  TnStore *store;
  TnUser  *user;
  gint    *going;
  gint    *full;
} Racer;

static gpointer
race_for_the_seat (gpointer data)
{
  Racer *racer = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TnAttendee) attendee = tn_store_set_rsvp (racer->store, "last-seat", racer->user, TN_RSVP_GOING,
                                                      tn_time_now (), &error);

  if (attendee != NULL && tn_attendee_get_status (attendee) == TN_RSVP_GOING)
    g_atomic_int_inc (racer->going);
  else if (g_error_matches (error, TN_ERROR, TN_ERROR_CAPACITY_FULL))
    g_atomic_int_inc (racer->full);
  else
    g_error ("unexpected: %s", error != NULL ? error->message : "an answer that is not going");
  return NULL;
}

/* 50 members at once for the last seat, from 50 threads over 8
 * connections (and two stores, as two servers would): exactly one gets
 * it, the others are told it is full, and the database agrees. */
static void
test_last_seat (void)
{
  g_autofree char *uri = fresh_database ();
  g_autoptr(GError) error = NULL;
  TnStore *stores[2];
  Racer racers[50];
  GThread *threads[G_N_ELEMENTS (racers)];
  gint going = 0, full = 0;
  g_autoptr(TnEvent) event = small_event ("last-seat", 1, FALSE);
  g_autoptr(TnEvent) stored = NULL;
  PGconn *conn;
  g_autofree char *count = NULL;

  for (guint b = 0; b < 2; b++)
    {
      stores[b] = TN_STORE (tn_pg_store_new (uri, 4, &error));
      g_assert_no_error (error);
    }
  g_assert_true (tn_store_migrate (stores[0], &error));
  stored = tn_store_create_event (stores[0], event, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (racers); i++)
    {
      g_autofree char *id = g_strdup_printf ("racer-%u", i);
      g_autofree char *email = g_strdup_printf ("racer%u@example.org", i);

      racers[i] = (Racer) { stores[i % 2], tn_store_create_user (stores[0], id, email, id, "x", TN_ROLE_MEMBER, &error),
                            &going, &full };
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (racers); i++)
    threads[i] = g_thread_new ("racer", race_for_the_seat, &racers[i]);
  for (guint i = 0; i < G_N_ELEMENTS (racers); i++)
    {
      g_thread_join (threads[i]);
      g_object_unref (racers[i].user);
    }
  g_assert_cmpint (going, ==, 1);
  g_assert_cmpint (full, ==, 49);

  conn = PQconnectdb (uri);
  count = sql_value (conn, "SELECT going_count || '/' || (SELECT count(*) FROM attendees) || '/' || "
                           "(SELECT count(*) FROM tickets WHERE revoked_at IS NULL) FROM events WHERE id = 'last-seat'");
  g_assert_cmpstr (count, ==, "1/1/1");
  PQfinish (conn);
  for (guint b = 0; b < 2; b++)
    g_object_unref (stores[b]);
}

int
main (int    argc,
      char **argv)
{
  tn_test_init (&argc, &argv);
  g_test_add_func ("/postgres/store/migrate", test_migrate);
  g_test_add_func ("/postgres/store/migrate-concurrently", test_migrate_concurrently);
  g_test_add_func ("/postgres/store/newer-schema", test_newer_schema);
  g_test_add_func ("/postgres/store/unreachable", test_unreachable);
  g_test_add_func ("/postgres/store/schema-matches-sqlite", test_schema_matches_sqlite);
  g_test_add_func ("/postgres/store/triggers", test_triggers);
  g_test_add_func ("/postgres/store/same-lists", test_same_lists);
  g_test_add_func ("/postgres/store/same-rsvps", test_same_rsvps);
  g_test_add_func ("/postgres/store/last-seat", test_last_seat);
  g_test_add_func ("/postgres/store/same-hosts", test_same_hosts);
  g_test_add_func ("/postgres/store/same-attendees", test_same_attendees);
  g_test_add_func ("/postgres/store/same-profiles", test_same_profiles);
  g_test_add_func ("/postgres/store/same-audit", test_same_audit);
  g_test_add_func ("/postgres/store/audit-per-thread", test_audit_per_thread);
  g_test_add_func ("/postgres/store/same-rec-data", test_same_rec_data);
  g_test_add_func ("/postgres/store/same-devices", test_same_devices);
  g_test_add_func ("/postgres/store/same-checkins", test_same_checkins);
  g_test_add_func ("/postgres/store/doors-at-once", test_doors_at_once);
  return g_test_run ();
}
