/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Moving up (issue 8, part 4), under tests/postgres/with-cluster: a
 * community that lived on SQLite — events, guests, tickets, a door and its
 * scans, an undo, RSVPs, follows, the audit log — is copied by
 * `turnout-server migrate --from sqlite:PATH --to postgresql://…`; both
 * databases are then compared table by table, value by value, and a
 * server on PostgreSQL answers as the SQLite one did: the same event list,
 * the organizer still signed in, and the door goes on syncing from the
 * cursor it had. */
#include "config.h"

#include <libpq-fe.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "tn-json.h"
#include "tn-store.h"
#include "tn-test-utils.h"
#include "tn-time.h"


static char *
login (const char *url,
       const char *email)
{
  g_autofree char *body = g_strdup_printf ("{\"email\":\"%s\",\"password\":\"%s\"}", email, TN_DEMO_PASSWORD);
  g_autoptr(JsonObject) answer = tn_test_call (url, "POST", "/api/v1/auth/login", NULL, body, 200);

  return g_strdup (tn_json_object_get_string (answer, "token"));
}

static char *
scan_body (guint       n,
           const char *event_id,
           const char *code,
           const char *direction)
{
  g_autofree char *at = tn_time_format (tn_time_now () - 100 + n);

  return g_strdup_printf ("{\"scans\":[{\"id\":\"0190a000-0000-7000-8000-%012u\",\"event_id\":\"%s\","
                          "\"code\":\"%s\",\"direction\":\"%s\",\"scanned_at\":\"%s\",\"device\":\"Door\"}]}",
                          n, event_id, code, direction, at);
}

/* `turnout-server @args`: its exit status, its output in @out. */
static int
run_server_command (const char * const  *args,
                    char               **out)
{
  g_autoptr(GSubprocess) process = tn_test_spawn_server (args, NULL, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                    G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

/* A value as text, the same from both databases: numbers with a point
 * written back at full precision, blobs in hex. */
static char *
normalise (const char *text)
{
  char *end = NULL;
  double number;

  if (text == NULL)
    return g_strdup ("NULL");
  if (strpbrk (text, ".eE") != NULL && text[0] != '\0')
    {
      number = g_ascii_strtod (text, &end);
      if (end != NULL && *end == '\0')
        return g_strdup_printf ("%.17g", number);
    }
  return g_strdup (text);
}

/* Every row of @table's @columns, as sorted lines. */
static GPtrArray *
sqlite_rows (sqlite3    *db,
             const char *table,
             GPtrArray  *columns)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *sql = g_str_equal (table, "checkins") ? g_strdup ("SELECT rowid AS arrival, * FROM checkins")
                                                          : g_strdup_printf ("SELECT * FROM %s", table);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (columns->len == 0)
    for (int i = 0; i < sqlite3_column_count (stmt); i++)
      g_ptr_array_add (columns, g_strdup (sqlite3_column_name (stmt, i)));
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      GString *line = g_string_new (NULL);

      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          g_autofree char *value = NULL;

          if (sqlite3_column_type (stmt, i) == SQLITE_BLOB)
            {
              const guint8 *blob = sqlite3_column_blob (stmt, i);
              GString *hex = g_string_new ("\\x");

              for (int b = 0; b < sqlite3_column_bytes (stmt, i); b++)
                g_string_append_printf (hex, "%02x", blob[b]);
              value = g_string_free (hex, FALSE);
            }
          else
            value = normalise ((const char *) sqlite3_column_text (stmt, i));
          g_string_append_printf (line, "%s%s", i > 0 ? " | " : "", value);
        }
      g_ptr_array_add (rows, g_string_free (line, FALSE));
    }
  sqlite3_finalize (stmt);
  return rows;
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static GPtrArray *
pg_rows (PGconn     *conn,
         const char *table,
         GPtrArray  *columns)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) sql = g_string_new ("SELECT ");
  PGresult *result;

  for (guint i = 0; i < columns->len; i++)
    g_string_append_printf (sql, "%s%s::text", i > 0 ? ", " : "", (const char *) columns->pdata[i]);
  g_string_append_printf (sql, " FROM %s", table);
  result = PQexec (conn, sql->str);
  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql->str, PQerrorMessage (conn));
  for (int r = 0; r < PQntuples (result); r++)
    {
      GString *line = g_string_new (NULL);

      for (int i = 0; i < PQnfields (result); i++)
        {
          g_autofree char *value = normalise (PQgetisnull (result, r, i) ? NULL : PQgetvalue (result, r, i));

          g_string_append_printf (line, "%s%s", i > 0 ? " | " : "", value);
        }
      g_ptr_array_add (rows, g_string_free (line, FALSE));
    }
  PQclear (result);
  g_ptr_array_sort (rows, compare_lines);
  return rows;
}

static void
test_copy (void)
{
  g_autofree char *dir = g_dir_make_tmp ("turnout-migrate-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "turnout.db", NULL);
  g_autofree char *sqlite_uri = g_strconcat ("sqlite:", path, NULL);
  g_autofree char *pg_uri = tn_test_pg_fresh_database ();
  g_autoptr(TnTestProcess) server = NULL;
  g_autofree char *organizer = NULL;
  g_autofree char *member = NULL;
  g_autofree char *event_id = NULL;
  g_autofree char *events_before = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *door = NULL;
  g_autofree char *output = NULL;
  g_autofree char *rest = NULL;
  char *codes[3];
  sqlite3 *db = NULL;
  PGconn *conn;

  /* a community on SQLite, with some life in it */
  server = tn_test_process_start ((const char *[]) { "--database", sqlite_uri, "--listen", "127.0.0.1:0", "--demo",
                                                     NULL }, NULL);
  organizer = login (server->url, TN_DEMO_ORGANIZER_EMAIL);
  member = login (server->url, TN_DEMO_MEMBER_EMAIL);
  {
    g_autofree char *starts = tn_time_format (tn_time_now () + 600);
    g_autofree char *ends = tn_time_format (tn_time_now () + 4 * 3600);
    g_autofree char *body = g_strdup_printf ("{\"title\":\"Moving night\",\"starts_at\":\"%s\",\"ends_at\":\"%s\","
                                             "\"capacity\":3,\"waitlist\":true,\"lat\":51.3397,\"lon\":12.3731,"
                                             "\"tags\":[\"move\",\"über\"]}", starts, ends);
    g_autoptr(JsonObject) event = tn_test_call (server->url, "POST", "/api/v1/events", organizer, body, 201);

    event_id = g_strdup (tn_json_object_get_string (event, "id"));
  }
  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autofree char *guests = g_strdup_printf ("/api/v1/events/%s/attendees", event_id);
      g_autofree char *body = g_strdup_printf ("{\"name\":\"Zoë Guest %u\",\"email\":\"zoe%u@example.org\"}", i, i);
      g_autoptr(JsonObject) guest = tn_test_call (server->url, "POST", guests, organizer, body, 201);

      codes[i] = g_strdup (tn_json_object_get_string (guest, "ticket_code"));
      g_assert_nonnull (codes[i]);
    }
  {
    g_autofree char *rsvp = g_strdup_printf ("/api/v1/events/%s/rsvp", event_id);
    g_autoptr(JsonObject) waiting = tn_test_call (server->url, "PUT", rsvp, member, "{\"status\":\"going\"}", 200);
    g_autofree char *pairing_body = g_strdup_printf ("{\"event_id\":\"%s\",\"role\":\"supervisor\"}", event_id);
    g_autoptr(JsonObject) pairing = tn_test_call (server->url, "POST", "/api/v1/devices/pairing", organizer, pairing_body, 201);
    g_autofree char *pair = g_strdup_printf ("{\"pairing_code\":\"%s\",\"name\":\"Door\"}",
                                             tn_json_object_get_string (pairing, "code"));
    g_autoptr(JsonObject) paired = tn_test_call (server->url, "POST", "/api/v1/devices", NULL, pair, 201);
    g_autofree char *scan_1 = scan_body (1, event_id, codes[0], "in");
    g_autofree char *scan_2 = scan_body (2, event_id, codes[0], "in");   /* a duplicate, flagged */
    g_autofree char *scan_3 = scan_body (3, event_id, codes[1], "in");
    g_autoptr(JsonObject) a1 = NULL;
    g_autoptr(JsonObject) a2 = NULL;
    g_autoptr(JsonObject) a3 = NULL;
    g_autoptr(JsonObject) me = NULL;
    g_autoptr(JsonObject) page = NULL;
    g_autoptr(JsonObject) events = NULL;
    g_autofree char *follow = NULL;
    g_autoptr(JsonObject) followed = NULL;
    g_autofree char *sync = g_strdup_printf ("/api/v1/sync?event_id=%s", event_id);

    g_assert_cmpstr (tn_json_object_get_string (waiting, "status"), ==, "waitlisted");
    door = g_strdup (tn_json_object_get_string (paired, "token"));
    a1 = tn_test_call (server->url, "POST", "/api/v1/checkins", door, scan_1, 200);
    a2 = tn_test_call (server->url, "POST", "/api/v1/checkins", door, scan_2, 200);
    a3 = tn_test_call (server->url, "POST", "/api/v1/checkins", door, scan_3, 200);
    g_assert_null (tn_test_call (server->url, "DELETE", "/api/v1/checkins/0190a000-0000-7000-8000-000000000003", door,
                         NULL, 204));
    me = tn_test_call (server->url, "GET", "/api/v1/me", organizer, NULL, 200);
    follow = g_strdup_printf ("/api/v1/users/%s/follow", tn_json_object_get_string (me, "id"));
    followed = tn_test_call (server->url, "PUT", follow, member, NULL, 200);
    /* the door's replica is up to date: its cursor */
    page = tn_test_call (server->url, "GET", sync, door, NULL, 200);
    g_assert_false (json_object_get_boolean_member (page, "more"));
    cursor = g_strdup (tn_json_object_get_string (page, "cursor"));
    events = tn_test_call (server->url, "GET", "/api/v1/events?limit=100", organizer, NULL, 200);
    events_before = json_to_string (json_node_init_object (json_node_alloc (), events), FALSE);
  }
  rest = tn_test_process_stop (server, SIGTERM);

  /* refused: half a command, a copy the wrong way, a target not empty */
  g_assert_cmpint (run_server_command ((const char *[]) { "migrate", "--from", sqlite_uri, NULL }, &output), ==, 2);
  g_assert_nonnull (strstr (output, "--from and --to go together"));
  g_clear_pointer (&output, g_free);
  g_assert_cmpint (run_server_command ((const char *[]) { "migrate", "--from", pg_uri, "--to", sqlite_uri, NULL },
                                       &output), ==, 1);
  g_assert_nonnull (strstr (output, "Copies go from SQLite to PostgreSQL"));
  g_clear_pointer (&output, g_free);

  /* the copy */
  g_assert_cmpint (run_server_command ((const char *[]) { "migrate", "--from", sqlite_uri, "--to", pg_uri, NULL },
                                       &output), ==, 0);
  g_test_message ("%s", output);
  g_assert_nonnull (strstr (output, "checkins         3"));
  g_clear_pointer (&output, g_free);
  g_assert_cmpint (run_server_command ((const char *[]) { "migrate", "--from", sqlite_uri, "--to", pg_uri, NULL },
                                       &output), ==, 1);
  g_assert_nonnull (strstr (output, "has a community already"));

  /* both databases, table by table, value by value */
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  conn = PQconnectdb (pg_uri);
  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  for (guint t = 0; tn_store_copy_tables[t] != NULL; t++)
    {
      g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) in_sqlite = sqlite_rows (db, tn_store_copy_tables[t], columns);
      g_autoptr(GPtrArray) in_pg = pg_rows (conn, tn_store_copy_tables[t], columns);

      g_ptr_array_sort (in_sqlite, compare_lines);
      g_assert_cmpuint (in_pg->len, ==, in_sqlite->len);
      for (guint r = 0; r < in_pg->len; r++)
        g_assert_cmpstr (in_pg->pdata[r], ==, in_sqlite->pdata[r]);
    }
  PQfinish (conn);
  sqlite3_close (db);

  /* a server on PostgreSQL goes on where the SQLite one stopped */
  server = (tn_test_process_free (server), NULL);
  server = tn_test_process_start ((const char *[]) { "--database", pg_uri, "--listen", "127.0.0.1:0", NULL }, NULL);
  {
    g_autoptr(JsonObject) events = tn_test_call (server->url, "GET", "/api/v1/events?limit=100", organizer, NULL, 200);
    g_autofree char *events_after = json_to_string (json_node_init_object (json_node_alloc (), events), FALSE);
    g_autofree char *since = g_strdup_printf ("/api/v1/sync?event_id=%s&since=%s", event_id, cursor);
    g_autoptr(JsonObject) nothing_new = tn_test_call (server->url, "GET", since, door, NULL, 200);
    g_autofree char *scan_4 = scan_body (4, event_id, codes[2], "in");
    g_autoptr(JsonObject) a4 = tn_test_call (server->url, "POST", "/api/v1/checkins", door, scan_4, 200);
    g_autoptr(JsonObject) news = tn_test_call (server->url, "GET", since, door, NULL, 200);
    g_autoptr(JsonObject) again = NULL;
    JsonArray *changes = json_object_get_array_member (news, "changes");
    JsonObject *checkin;

    tn_assert_json_equal (events_after, events_before);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (nothing_new, "changes")), ==, 0);
    /* the door hears of the new scan, and only of it */
    g_assert_cmpuint (json_array_get_length (changes), ==, 1);
    checkin = json_object_get_object_member (json_array_get_object_element (changes, 0), "checkin");
    g_assert_cmpstr (tn_json_object_get_string (checkin, "id"), ==, "0190a000-0000-7000-8000-000000000004");
    g_assert_cmpstr (tn_json_object_get_string (checkin, "verdict"), ==, "accepted");
    /* a scan copied over is known: sent again, it is the same */
    {
      g_autofree char *scan_1 = scan_body (1, event_id, codes[0], "in");
      JsonObject *result;

      again = tn_test_call (server->url, "POST", "/api/v1/checkins", door, scan_1, 200);
      result = json_array_get_object_element (json_object_get_array_member (again, "results"), 0);
      g_assert_cmpstr (tn_json_object_get_string (result, "verdict"), ==, "accepted");
    }
  }
  g_free (tn_test_process_stop (server, SIGTERM));

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    g_free (codes[i]);
  tn_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  tn_test_init (&argc, &argv);

  if (g_getenv ("TURNOUT_TEST_PG") == NULL)
    {
      g_test_skip ("needs a PostgreSQL cluster: run under tests/postgres/with-cluster");
      return g_test_run ();
    }
  g_test_add_func ("/postgres/migrate/copy", test_copy);
  return g_test_run ();
}
