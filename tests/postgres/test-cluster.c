/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The private PostgreSQL cluster of tests/postgres/with-cluster (issue 8):
 * it is there, it is ours (a fresh database, owned by "turnout"), it keeps
 * UTF-8 text as given, and two connections see each other's commits and
 * notifications. Everything the postgres suite builds on. */
#include "config.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

static PGconn *
connect_cluster (void)
{
  const char *uri = g_getenv ("TURNOUT_TEST_PG");
  PGconn *conn;

  if (uri == NULL)
    g_error ("TURNOUT_TEST_PG is not set: run under tests/postgres/with-cluster");
  conn = PQconnectdb (uri);
  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("cannot connect to %s: %s", uri, PQerrorMessage (conn));
  return conn;
}

static PGresult *
run (PGconn     *conn,
     const char *sql,
     int         expected)
{
  PGresult *result = PQexec (conn, sql);

  if (PQresultStatus (result) != (ExecStatusType) expected)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
  return result;
}

static void
test_fresh_database (void)
{
  PGconn *conn = connect_cluster ();
  PGresult *result;

  result = run (conn, "SELECT current_user, current_database(), current_setting('server_encoding'), "
                      "current_setting('server_version_num')::int, "
                      "(SELECT count(*) FROM pg_tables WHERE schemaname = 'public')",
                PGRES_TUPLES_OK);
  g_assert_cmpstr (PQgetvalue (result, 0, 0), ==, "turnout");
  g_assert_cmpstr (PQgetvalue (result, 0, 1), ==, "turnout");
  g_assert_cmpstr (PQgetvalue (result, 0, 2), ==, "UTF8");
  /* Debian 12's PostgreSQL is 15 */
  g_assert_cmpint (atoi (PQgetvalue (result, 0, 3)), >=, 130000);
  g_assert_cmpstr (PQgetvalue (result, 0, 4), ==, "0");
  PQclear (result);
  PQfinish (conn);
}

static void
test_text_round_trip (void)
{
  PGconn *conn = connect_cluster ();
  const char *text = "Café Philosophique — Zoë's ☕ 東京";
  const char *values[1] = { text };
  PGresult *result;

  PQclear (run (conn, "CREATE TEMPORARY TABLE t (s text NOT NULL)", PGRES_COMMAND_OK));
  result = PQexecParams (conn, "INSERT INTO t (s) VALUES ($1)", 1, NULL, values, NULL, NULL, 0);
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_COMMAND_OK);
  PQclear (result);
  result = run (conn, "SELECT s, length(s) FROM t", PGRES_TUPLES_OK);
  g_assert_cmpstr (PQgetvalue (result, 0, 0), ==, text);
  g_assert_cmpint (atoi (PQgetvalue (result, 0, 1)), ==, (int) g_utf8_strlen (text, -1));
  PQclear (result);

  /* bad UTF-8 is refused, not stored */
  values[0] = "caf\xc3";
  result = PQexecParams (conn, "INSERT INTO t (s) VALUES ($1)", 1, NULL, values, NULL, NULL, 0);
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_FATAL_ERROR);
  PQclear (result);
  PQfinish (conn);
}

/* What several servers on one database will rely on: a commit on one
 * connection is seen by another, and NOTIFY reaches a LISTENer. */
static void
test_two_connections (void)
{
  PGconn *a = connect_cluster ();
  PGconn *b = connect_cluster ();
  PGresult *result;
  PGnotify *notify = NULL;
  gint64 deadline;

  PQclear (run (a, "CREATE TABLE seen (n int)", PGRES_COMMAND_OK));
  PQclear (run (b, "LISTEN turnout_test", PGRES_COMMAND_OK));
  PQclear (run (a, "BEGIN", PGRES_COMMAND_OK));
  PQclear (run (a, "INSERT INTO seen VALUES (42)", PGRES_COMMAND_OK));
  PQclear (run (a, "NOTIFY turnout_test, 'event-1'", PGRES_COMMAND_OK));
  /* not before the commit */
  result = run (b, "SELECT count(*) FROM seen", PGRES_TUPLES_OK);
  g_assert_cmpstr (PQgetvalue (result, 0, 0), ==, "0");
  PQclear (result);
  g_assert_null (PQnotifies (b));
  PQclear (run (a, "COMMIT", PGRES_COMMAND_OK));

  result = run (b, "SELECT n FROM seen", PGRES_TUPLES_OK);
  g_assert_cmpstr (PQgetvalue (result, 0, 0), ==, "42");
  PQclear (result);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while ((notify = PQnotifies (b)) == NULL && g_get_monotonic_time () < deadline)
    {
      g_usleep (10 * 1000);
      g_assert_cmpint (PQconsumeInput (b), ==, 1);
    }
  g_assert_nonnull (notify);
  g_assert_cmpstr (notify->relname, ==, "turnout_test");
  g_assert_cmpstr (notify->extra, ==, "event-1");
  PQfreemem (notify);
  PQclear (run (a, "DROP TABLE seen", PGRES_COMMAND_OK));
  PQfinish (a);
  PQfinish (b);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/postgres/cluster/fresh-database", test_fresh_database);
  g_test_add_func ("/postgres/cluster/text", test_text_round_trip);
  g_test_add_func ("/postgres/cluster/two-connections", test_two_connections);
  return g_test_run ();
}
