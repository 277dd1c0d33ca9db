/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Bad input on every endpoint that takes input: each request gets its
 * documented 4xx and error body, the database never changes (neither
 * what admins see through the API nor any row of any table, read through
 * a second connection), and the server never answers 500 and stays up. */
#include "config.h"

#include <string.h>
#include <libsoup/soup.h>
#include <sqlite3.h>
#ifdef TN_HAVE_POSTGRES
#include <libpq-fe.h>
#endif

#include "tn-auth.h"
#include "tn-json.h"
#include "tn-store.h"
#include "tn-test-utils.h"
#include "tn-time.h"

typedef enum
{
  WHO_NONE,
  WHO_ADMIN,
  WHO_ORGANIZER,   /* olivia: owns {id} */
  WHO_OTHER,       /* omar: another organizer */
  WHO_STAFF,
  WHO_MEMBER,
  WHO_LOGOUT,      /* a member token that logout cases must not revoke */
  WHO_COHOST,      /* chloe: a member who co-hosts {id} */
  WHO_WRONG,       /* well-formed, but never issued */
  WHO_EXPIRED,
  WHO_REVOKED,
  WHO_DEVICE,          /* a steward device of {door} */
  WHO_DEVICE_OTHER,    /* a supervisor device of {other_door} */
  WHO_DEVICE_REVOKED,  /* a revoked device of {door} */
  N_WHO
} Who;

/* Door devices' tokens work only on a few routes: /me is not one. */
#define WHO_IS_DEVICE(who) ((who) >= WHO_DEVICE && (who) <= WHO_DEVICE_REVOKED)

typedef struct
{
  const char *name;          /* test path below /server/bad-input/ */
  const char *method;
  const char *path;          /* placeholders: see expand() */
  Who         who;
  const char *auth;          /* a raw Authorization header instead of who */
  const char *body;          /* placeholders unless body_len is set */
  gsize       body_len;      /* for bodies with a NUL byte */
  const char *content_type;  /* NULL: application/json */
  const char *if_match;
  gboolean    chunked;
  guint       status;
  const char *code;
  const char *field;         /* details must name it */
} BadCase;

/* --- shared state -------------------------------------------------------- */

static TnTestServer *server;
static char         *tokens[N_WHO];
static char         *event_id;        /* a public event of the organizer */
static char         *snapshot;        /* the database, as admins see it */
static char         *tables_snapshot; /* every row of every table */
static gint64        tables_version;  /* the data version it was read at */
static sqlite3      *reader;          /* a read-only connection to the server's database */
#ifdef TN_HAVE_POSTGRES
static PGconn       *pg_reader;       /* the same, when the server's database is PostgreSQL's */
static GPtrArray    *pg_dump_queries; /* one per table */
#endif
/* Made in setup(), before the snapshot: see expand(). */
static char         *going_id;        /* an attendee of {id} with a ticket */
static char         *interested_id;   /* an attendee of {id} without one */
static char         *private_id;      /* a private event of the organizer */
static char         *cancelled_id;    /* a cancelled event of the organizer */
static char         *deleted_id;      /* an event the organizer deleted (with an RSVP) */
static char         *other_event_id;  /* an event of the other organizer */
static char         *other_guest_id;  /* an attendee of that event */
static char         *member_uid;
static char         *organizer_uid;
static char         *cohost_uid;
static char         *staff_uid;
/* Check-in (docs/CHECKIN.md): an event starting soon with a going guest,
 * its devices and a stored scan; another such event; the time now. */
static char         *door_id;
static char         *door_code;
static char         *door_signed;
static char         *door_scan_id;
static char         *door_device_id;
static char         *other_door_id;
static char         *now_text;
static guint         n_requests;
static guint         n_server_errors;

#define MISSING_ID "00000000-0000-4000-8000-000000000000"

/* --- HTTP ---------------------------------------------------------------- */

typedef struct
{
  const char *method;
  const char *path;
  const char *token;
  const char *auth;
  const char *body;
  gsize       body_len;
  const char *content_type;
  const char *if_match;
  gboolean    chunked;
} Request;

/* The checks between cases (snapshots, /me) share one session and its
 * kept-alive connection; a case gets a session of its own, so that what
 * a bad request does to its connection cannot touch the next one. */
static SoupSession *check_session;

static guint
send_request_with (SoupSession    *session,
                   const Request  *r,
                   char          **out_body)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *full = g_strconcat (tn_test_server_get_url (server), r->path, NULL);
  SoupMessageHeaders *headers;
  guint status;

  msg = soup_message_new (r->method, full);
  g_assert_nonnull (msg);
  headers = soup_message_get_request_headers (msg);
  if (r->token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", r->token, NULL);

      soup_message_headers_replace (headers, "Authorization", auth);
    }
  if (r->auth != NULL)
    soup_message_headers_replace (headers, "Authorization", r->auth);
  if (r->if_match != NULL)
    soup_message_headers_replace (headers, "If-Match", r->if_match);
  if (r->body != NULL)
    {
      const char *type = r->content_type != NULL ? r->content_type : "application/json";

      if (r->chunked)
        {
          /* No length: libsoup sends the body chunked. */
          g_autoptr(GInputStream) stream = NULL;

          stream = g_memory_input_stream_new_from_data (g_memdup2 (r->body, r->body_len),
                                                        (gssize) r->body_len, g_free);

          soup_message_set_request_body (msg, type, stream, -1);
        }
      else
        {
          g_autoptr(GBytes) bytes = g_bytes_new (r->body, r->body_len);

          soup_message_set_request_body_from_bytes (msg, type, bytes);
        }
    }

  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  status = soup_message_get_status (msg);
  n_requests++;
  if (status >= 500)
    n_server_errors++;
  if (out_body != NULL)
    *out_body = g_bytes_get_size (answer) > 0
                ? g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer))
                : g_strdup ("");
  return status;
}

static guint
send_request (const Request  *r,
              char          **out_body)
{
  g_autoptr(SoupSession) session = soup_session_new ();

  return send_request_with (session, r, out_body);
}

static char *
get_ok (const char *path,
        const char *token)
{
  Request r = { .method = "GET", .path = path, .token = token };
  char *body = NULL;
  guint status = send_request_with (check_session, &r, &body);

  if (status != 200)
    g_error ("GET %s: %u %s", path, status, body);
  return body;
}

/* One statement per table, prepared once: a line with the table's name
 * and row count, then its rows, one a line, each value as SQLite's
 * quote() writes it (so that text, numbers, blobs and NULL differ),
 * sorted: the order in which SQLite returns rows is not part of what is
 * stored. */
static GPtrArray *dump_statements;

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
prepare_dump (void)
{
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  dump_statements = g_ptr_array_new_with_free_func (finalize_statement);
  /* The full-text index is left out: it follows the events table. */
  g_assert_cmpint (sqlite3_prepare_v2 (reader,
                                       "SELECT name FROM sqlite_schema WHERE type = 'table' "
                                       "AND name NOT LIKE 'sqlite_%' "
                                       "AND name NOT LIKE 'events_fts%' ORDER BY name",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (tables, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  /* a dump without the tables of the newer endpoints would prove little */
  g_assert_cmpuint (tables->len, >=, 9);

  for (guint i = 0; i < tables->len; i++)
    {
      const char *table = tables->pdata[i];
      g_autofree char *info = g_strdup_printf ("PRAGMA table_info(\"%s\")", table);
      g_autoptr(GString) row = g_string_new (NULL);
      g_autofree char *sql = NULL;
      sqlite3_stmt *dump = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (reader, info, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_string_append_printf (row, "%squote(\"%s\")", row->len > 0 ? " || '|' || " : "",
                                (const char *) sqlite3_column_text (stmt, 1));
      sqlite3_finalize (stmt);
      g_assert_cmpuint (row->len, >, 0);
      sql = g_strdup_printf ("SELECT '%s: ' || count(*) || ' rows' || char(10) || "
                             "coalesce(group_concat(r, char(10)) || char(10), '') "
                             "FROM (SELECT %s AS r FROM \"%s\" ORDER BY r)",
                             table, row->str, table);
      g_assert_cmpint (sqlite3_prepare_v2 (reader, sql, -1, &dump, NULL), ==, SQLITE_OK);
      g_ptr_array_add (dump_statements, dump);
    }
}

#ifdef TN_HAVE_POSTGRES
static PGresult *
pg_query (const char *sql)
{
  PGresult *result = PQexec (pg_reader, sql);

  if (PQresultStatus (result) != PGRES_TUPLES_OK && PQresultStatus (result) != PGRES_COMMAND_OK)
    g_error ("%s: %s", sql, PQerrorMessage (pg_reader));
  return result;
}

/* The same dump from PostgreSQL: each value as quote_nullable () writes
 * it, rows sorted bytewise. */
static void
prepare_pg_dump (void)
{
  PGresult *tables = pg_query ("SELECT table_name FROM information_schema.tables "
                               "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' "
                               "ORDER BY table_name COLLATE \"C\"");

  pg_dump_queries = g_ptr_array_new_with_free_func (g_free);
  g_assert_cmpint (PQntuples (tables), >=, 9);
  for (int t = 0; t < PQntuples (tables); t++)
    {
      const char *table = PQgetvalue (tables, t, 0);
      g_autofree char *info = g_strdup_printf ("SELECT column_name FROM information_schema.columns "
                                               "WHERE table_schema = 'public' AND table_name = '%s' "
                                               "ORDER BY ordinal_position", table);
      PGresult *columns = pg_query (info);
      g_autoptr(GString) row = g_string_new (NULL);

      for (int c = 0; c < PQntuples (columns); c++)
        g_string_append_printf (row, "%squote_nullable (\"%s\")", c > 0 ? ", " : "", PQgetvalue (columns, c, 0));
      PQclear (columns);
      g_ptr_array_add (pg_dump_queries,
                       g_strdup_printf ("SELECT '%s: ' || count(*) || ' rows' || chr (10) || "
                                        "coalesce (string_agg (r, chr (10) ORDER BY r COLLATE \"C\") || chr (10), '') "
                                        "FROM (SELECT concat_ws ('|', %s) AS r FROM \"%s\") x",
                                        table, row->str, table));
    }
  PQclear (tables);
}

static char *
dump_pg_database (void)
{
  GString *out = g_string_new (NULL);

  PQclear (pg_query ("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
  for (guint i = 0; i < pg_dump_queries->len; i++)
    {
      PGresult *result = pg_query (pg_dump_queries->pdata[i]);

      g_string_append (out, PQgetvalue (result, 0, 0));
      PQclear (result);
    }
  PQclear (pg_query ("COMMIT"));
  return g_string_free (out, FALSE);
}
#endif

/* Every row of every table, read in one transaction: what the API shows
 * of attendees, tickets, people and the audit log is not all there is. */
static char *
dump_database (void)
{
  GString *out;

#ifdef TN_HAVE_POSTGRES
  if (pg_reader != NULL)
    return dump_pg_database ();
#endif
  out = g_string_new (NULL);
  g_assert_cmpint (sqlite3_exec (reader, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < dump_statements->len; i++)
    {
      sqlite3_stmt *stmt = dump_statements->pdata[i];

      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_string_append_len (out, (const char *) sqlite3_column_text (stmt, 0),
        sqlite3_column_bytes (stmt, 0));
      sqlite3_reset (stmt);
    }
  g_assert_cmpint (sqlite3_exec (reader, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  return g_string_free (out, FALSE);
}

/* The 30 demo events, the three that setup() adds (private, cancelled,
 * the other organizer's) and the two of check-in ({door}, {other_door});
 * the deleted one is gone. */
#define N_EVENTS (31 + 3 + 2)

/* PRAGMA data_version of the reader: it changes when another connection
 * (the server's) commits a change, so while it stays the same, so does
 * every table. */
static sqlite3_stmt *data_version_stmt;

static gint64
data_version (void)
{
  gint64 version;

#ifdef TN_HAVE_POSTGRES
  /* PostgreSQL's write-ahead log position moves with every commit (and
   * with more than commits: then the tables are read for nothing) */
  if (pg_reader != NULL)
    {
      PGresult *result = pg_query ("SELECT pg_current_wal_insert_lsn () - '0/0'");

      version = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
      PQclear (result);
      return version;
    }
#endif
  if (data_version_stmt == NULL)
    g_assert_cmpint (sqlite3_prepare_v2 (reader, "PRAGMA data_version", -1, &data_version_stmt,
      NULL), ==,
                     SQLITE_OK);
  g_assert_cmpint (sqlite3_step (data_version_stmt), ==, SQLITE_ROW);
  version = sqlite3_column_int64 (data_version_stmt, 0);
  sqlite3_reset (data_version_stmt);
  return version;
}

/* Everything stored that an admin can list: every event, every user. */
static char *
take_snapshot (void)
{
  g_autofree char *events = get_ok ("/api/v1/events?limit=500", tokens[WHO_ADMIN]);
  g_autofree char *users = get_ok ("/api/v1/users?limit=500", tokens[WHO_ADMIN]);

  /* A snapshot that holds nothing would compare equal to anything. Later
   * ones are compared with the first, so only that one is counted: a
   * parse after each case was half the time of the battery under
   * AddressSanitizer. */
  if (snapshot == NULL)
    {
      g_autoptr(JsonObject) object = tn_test_parse_object (events);

      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "items")), ==,
        N_EVENTS);
    }
  return g_strconcat (events, "\n", users, NULL);
}

/* Every table, and the data version it was read at. */
static char *
take_tables_snapshot (gint64 *out_version)
{
  char *tables;

  *out_version = data_version ();
  tables = dump_database ();
  g_assert_null (strstr (tables, "attendees: 0 rows"));
  g_assert_null (strstr (tables, "tickets: 0 rows"));
  g_assert_null (strstr (tables, "event_people: 0 rows"));
  g_assert_null (strstr (tables, "audit_log: 0 rows"));
  return tables;
}

static void
assert_same (const char *what,
             const char *before_text,
             const char *after_text)
{
  g_auto(GStrv) before = NULL;
  g_auto(GStrv) after = NULL;
  gsize at;
  guint i;

  if (g_str_equal (before_text, after_text))
    return;
  /* Name the first line that differs rather than print it all. */
  before = g_strsplit (before_text, "\n", -1);
  after = g_strsplit (after_text, "\n", -1);
  for (i = 0; before[i] != NULL && after[i] != NULL && g_str_equal (before[i], after[i]); i++)
    ;
  if (before[i] == NULL || after[i] == NULL)
    g_error ("%s changed: %s lines", what, before[i] == NULL ? "more" : "fewer");
  for (at = 0; before[i][at] != '\0' && before[i][at] == after[i][at]; at++)
    ;
  at = at > 200 ? at - 200 : 0;
  g_error ("%s changed; first difference, line %u:\n- %.600s\n+ %.600s", what, i,
           before[i] + at, after[i] + at);
}

/* What admins see is the same, and so is every table. The tables are
 * read again only when the server committed something since they were
 * last read (dumping them after each case took most of the battery's
 * time under AddressSanitizer); with @always, in any case. */
static void
check_unchanged (gboolean always)
{
  g_autofree char *now = take_snapshot ();

  assert_same ("what admins see", snapshot, now);
  if (always || data_version () != tables_version)
    {
      g_autofree char *tables = take_tables_snapshot (&tables_version);

      assert_same ("the database", tables_snapshot, tables);
    }
}

static void
assert_unchanged (void)
{
  check_unchanged (FALSE);
}

/* --- placeholders -------------------------------------------------------- */

static char *
repeat (const char *unit,
        guint       n)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (out, unit);
  return g_string_free (out, FALSE);
}

static char *
many_tags (guint n)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "%s\"tag%u\"", i > 0 ? ", " : "", i);
  return g_string_free (out, FALSE);
}

/* n rows of well-formed guests, each with an address of its own. */
static char *
many_guests (guint n)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "Guest %u,guest%u@bad-input.example\n", i, i);
  return g_string_free (out, FALSE);
}

typedef enum
{
  EXPAND_REPEAT,   /* unit, n times */
  EXPAND_TAGS,     /* n tags, as a JSON array's elements */
  EXPAND_GUESTS,   /* n CSV rows of guests */
  EXPAND_ID,       /* the string *id */
  EXPAND_SCANS,    /* n well-formed scans of {door}, as a JSON array's elements */
} ExpandKind;

static char *
many_scans (guint n)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "%s{\"id\": \"0190b000-0000-7000-8000-%012u\", \"event_id\": \"%s\", "
                            "\"code\": \"%s\", \"direction\": \"in\", \"scanned_at\": \"%s\", "
                            "\"device\": \"Door\"}", i > 0 ? ", " : "", i, door_id, door_code, now_text);
  return g_string_free (out, FALSE);
}

/* Replaces {id} (the organizer's event) and the other ids of setup():
 * {going}, {interested}, {private}, {cancelled}, {deleted}, {other_event},
 * {other_guest}, {member_uid}, {organizer_uid}, {cohost_uid}, {staff_uid};
 * {A201} (201 × "a"), {E201} (201 × "é"), {D20001}, {T41}, {TAGS21},
 * {A300}, {N101}, {P1025}, {Q201}, {BIG} (2 MiB of "a"); for CSV files
 * {ROWS100000} (as many rows "a,b"), {GUESTS1000}, {GUESTS20001} and
 * {GUESTS100000} (rows of distinct guests), {COLS99} and {COLS9999}
 * (",a" 99 and 9,999 times). */
static char *
expand (const char *text)
{
  static const struct {
    const char *key;
    ExpandKind  kind;
    const char *unit;
    guint       n;
    char      **id;
  } table[] = {
    { "{A201}", EXPAND_REPEAT, "a", 201 },
    { "{E201}", EXPAND_REPEAT, "é", 201 },
    { "{D20001}", EXPAND_REPEAT, "d", 20001 },
    { "{T41}", EXPAND_REPEAT, "t", 41 },
    { "{A300}", EXPAND_REPEAT, "a", 300 },
    { "{N101}", EXPAND_REPEAT, "n", 101 },
    { "{P1025}", EXPAND_REPEAT, "p", 1025 },
    { "{Q201}", EXPAND_REPEAT, "q", 201 },
    { "{BIG}", EXPAND_REPEAT, "a", 2 * 1024 * 1024 },
    { "{ROWS100000}", EXPAND_REPEAT, "a,b\n", 100000 },
    { "{COLS9999}", EXPAND_REPEAT, ",a", 9999 },
    { "{COLS99}", EXPAND_REPEAT, ",a", 99 },
    { "{TAGS21}", EXPAND_TAGS, NULL, 21 },
    { "{GUESTS1000}", EXPAND_GUESTS, NULL, 1000 },
    { "{GUESTS20001}", EXPAND_GUESTS, NULL, 20001 },
    { "{GUESTS100000}", EXPAND_GUESTS, NULL, 100000 },
    { "{SCANS1001}", EXPAND_SCANS, NULL, 1001 },
    { "{SCANS1}", EXPAND_SCANS, NULL, 1 },
    { "{id}", EXPAND_ID, .id = &event_id },
    { "{going}", EXPAND_ID, .id = &going_id },
    { "{interested}", EXPAND_ID, .id = &interested_id },
    { "{private}", EXPAND_ID, .id = &private_id },
    { "{cancelled}", EXPAND_ID, .id = &cancelled_id },
    { "{deleted}", EXPAND_ID, .id = &deleted_id },
    { "{other_event}", EXPAND_ID, .id = &other_event_id },
    { "{other_guest}", EXPAND_ID, .id = &other_guest_id },
    { "{member_uid}", EXPAND_ID, .id = &member_uid },
    { "{organizer_uid}", EXPAND_ID, .id = &organizer_uid },
    { "{cohost_uid}", EXPAND_ID, .id = &cohost_uid },
    { "{staff_uid}", EXPAND_ID, .id = &staff_uid },
    { "{other_door}", EXPAND_ID, .id = &other_door_id },
    { "{door_code}", EXPAND_ID, .id = &door_code },
    { "{door_signed}", EXPAND_ID, .id = &door_signed },
    { "{door_scan}", EXPAND_ID, .id = &door_scan_id },
    { "{door_device}", EXPAND_ID, .id = &door_device_id },
    { "{door}", EXPAND_ID, .id = &door_id },
    { "{NOW}", EXPAND_ID, .id = &now_text },
  };
  char *result = g_strdup (text);

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (strstr (result, table[i].key) != NULL)
      {
        g_auto(GStrv) parts = g_strsplit (result, table[i].key, -1);
        g_autofree char *value = NULL;

        switch (table[i].kind)
          {
          case EXPAND_REPEAT:
            value = repeat (table[i].unit, table[i].n);
            break;
          case EXPAND_TAGS:
            value = many_tags (table[i].n);
            break;
          case EXPAND_GUESTS:
            value = many_guests (table[i].n);
            break;
          case EXPAND_SCANS:
            value = many_scans (table[i].n);
            break;
          case EXPAND_ID:
            g_assert_nonnull (*table[i].id);
            value = g_strdup (*table[i].id);
            break;
          default:
            g_assert_not_reached ();
          }
        g_free (result);
        result = g_strjoinv (value, parts);
      }
  return result;
}

/* --- the cases ----------------------------------------------------------- */

#define TIMES "\"starts_at\": \"2030-01-01T10:00:00Z\", \"ends_at\": \"2030-01-01T11:00:00Z\""
#define EV(fields) "{\"title\": \"Bad input\", " TIMES ", " fields "}"
#define NUL_RAW "{\"title\": \"a\0b\", " TIMES "}"
#define NUL_RAW_LOGIN "{\"email\": \"admin@example.org\0\", \"password\": \"turnout-demo\"}"
#define NUL_RAW_PATCH "{\"title\": \"a\0b\"}"
#define NUL_RAW_USER \
  "{\"email\": \"n@example.org\", \"name\": \"a\0b\", \"password\": \"12345678\", " \
  "\"role\": \"member\"}"
#define USER(fields) \
  "{\"email\": \"new@example.org\", \"name\": \"New\", \"password\": \"12345678\", " fields "}"

#define CREATE(n, b, st, c, f) \
  { .name = "events-create/" n, .method = "POST", .path = "/api/v1/events", .who = WHO_ORGANIZER, \
    .body = b, .status = st, .code = c, .field = f }
#define CREATE_AS(n, w, st, c) \
  { .name = "events-create/" n, .method = "POST", .path = "/api/v1/events", .who = w, \
    .body = EV ("\"capacity\": 5"), .status = st, .code = c }
#define PATCH(n, b, st, c, f) \
  { .name = "events-patch/" n, .method = "PATCH", .path = "/api/v1/events/{id}", \
    .who = WHO_ORGANIZER, .if_match = "\"1\"", .body = b, .status = st, .code = c, .field = f }
#define PATCH_AS(n, w, st, c) \
  { .name = "events-patch/" n, .method = "PATCH", .path = "/api/v1/events/{id}", .who = w, \
    .if_match = "\"1\"", .body = "{\"title\": \"Taken over\"}", .status = st, .code = c }
#define LOGIN(n, b, st, c, f) \
  { .name = "login/" n, .method = "POST", .path = "/api/v1/auth/login", .body = b, \
    .status = st, .code = c, .field = f }
#define USERS_POST(n, b, st, c, f) \
  { .name = "users-create/" n, .method = "POST", .path = "/api/v1/users", .who = WHO_ADMIN, \
    .body = b, .status = st, .code = c, .field = f }
#define USERS_GET(n, q, w, st, c, f) \
  { .name = "users-list/" n, .method = "GET", .path = "/api/v1/users" q, .who = w, \
    .status = st, .code = c, .field = f }
#define LIST(n, q, st, c, f) \
  { .name = "events-list/" n, .method = "GET", .path = "/api/v1/events" q, .who = WHO_MEMBER, \
    .status = st, .code = c, .field = f }
#define NUL_RAW_CSV "name,email\nA\0,a@example.org\n"
#define IMPORT(n, b, st, c, f) \
  { .name = "import/" n, .method = "POST", .path = "/api/v1/events/{id}/attendees/import", \
    .who = WHO_ORGANIZER, .content_type = "text/csv", .body = b, .status = st, .code = c, .field = f }
#define IMPORT_AS(n, w, st, c) \
  { .name = "import/" n, .method = "POST", .path = "/api/v1/events/{id}/attendees/import", .who = w, \
    .content_type = "text/csv", .body = "name,email\nA,a@example.org\n", .status = st, .code = c }

/* The newer endpoints: RSVPs, attendees and tickets, people, the audit
 * log, calendars. */
#define NUL_RAW_RSVP "{\"status\": \"go\0ing\"}"
#define NUL_RAW_GUEST "{\"name\": \"A\0\", \"email\": \"new@bad-input.example\"}"
#define NUL_RAW_NOTE "{\"note\": \"a\0b\"}"
#define NUL_RAW_ROLE "{\"role\": \"staff\0\"}"
#define NUL_RAW_UTF16 "\xff\xfen\0a\0m\0e\0,\0e\0m\0a\0i\0l\0\n\0A\0,\0a\0@\0b\0.\0e\0x\0\n\0"
#define GUEST(fields) "{\"name\": \"Ada\", \"email\": \"new@bad-input.example\"" fields "}"
/* Forged cursors, in base64url padded as the server pads (unpadded, the
 * last bytes are dropped): "123:MISSING_ID" (of the events list),
 * "att:1:not-a-uuid", "att:x:MISSING_ID", "audit:0", "audit:-1",
 * "audit:99999999999999999999", "near:1:2:MISSING_ID" and
 * "near:nan:2:MISSING_ID". */
#define CURSOR_EVENTS "MTIzOjAwMDAwMDAwLTAwMDAtNDAwMC04MDAwLTAwMDAwMDAwMDAwMA=="
#define CURSOR_ATT_NOT_ID "YXR0OjE6bm90LWEtdXVpZA=="
#define CURSOR_ATT_NOT_TIME "YXR0Ong6MDAwMDAwMDAtMDAwMC00MDAwLTgwMDAtMDAwMDAwMDAwMDAw"
#define CURSOR_AUDIT_0 "YXVkaXQ6MA=="
#define CURSOR_AUDIT_NEGATIVE "YXVkaXQ6LTE="
#define CURSOR_AUDIT_HUGE "YXVkaXQ6OTk5OTk5OTk5OTk5OTk5OTk5OTk="
#define CURSOR_NEAR "bmVhcjoxOjI6MDAwMDAwMDAtMDAwMC00MDAwLTgwMDAtMDAwMDAwMDAwMDAw"
#define CURSOR_NEAR_NAN "bmVhcjpuYW46MjowMDAwMDAwMC0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMDAwMDA="

/* Every authenticated route: no token, one never issued, an expired and
 * a revoked one. Routes open to anyone get the last three only. */
#define BAD_TOKEN_CASES(prefix, m, p) \
  { .name = prefix "/wrong-token", .method = m, .path = p, .who = WHO_WRONG, .status = 401, \
    .code = "unauthorized" }, \
  { .name = prefix "/expired-token", .method = m, .path = p, .who = WHO_EXPIRED, .status = 401, \
    .code = "unauthorized" }, \
  { .name = prefix "/revoked-token", .method = m, .path = p, .who = WHO_REVOKED, .status = 401, \
    .code = "unauthorized" }
#define AUTH_CASES(prefix, m, p, b, ct) \
  { .name = prefix "/no-token", .method = m, .path = p, .body = b, .content_type = ct, \
    .status = 401, .code = "unauthorized" }, \
  { .name = prefix "/wrong-token", .method = m, .path = p, .who = WHO_WRONG, .body = b, \
    .content_type = ct, .status = 401, .code = "unauthorized" }, \
  { .name = prefix "/expired-token", .method = m, .path = p, .who = WHO_EXPIRED, .body = b, \
    .content_type = ct, .status = 401, .code = "unauthorized" }, \
  { .name = prefix "/revoked-token", .method = m, .path = p, .who = WHO_REVOKED, .body = b, \
    .content_type = ct, .status = 401, .code = "unauthorized" }
#define DENIED(prefix, n, w, m, p, b, ct) \
  { .name = prefix "/" n, .method = m, .path = p, .who = w, .body = b, .content_type = ct, \
    .status = 403, .code = "forbidden" }

#define RSVP_PUT(n, b, st, c, f) \
  { .name = "rsvp-put/" n, .method = "PUT", .path = "/api/v1/events/{id}/rsvp", \
    .who = WHO_MEMBER, .body = b, .status = st, .code = c, .field = f }
#define RSVP_PUT_AT(n, p, w, st, c) \
  { .name = "rsvp-put/" n, .method = "PUT", .path = p, .who = w, \
    .body = "{\"status\": \"going\"}", .status = st, .code = c }
#define ATT_LIST(n, q, st, c, f) \
  { .name = "attendees-list/" n, .method = "GET", .path = "/api/v1/events/{id}/attendees" q, \
    .who = WHO_ORGANIZER, .status = st, .code = c, .field = f }
#define ATT_ADD(n, b, st, c, f) \
  { .name = "attendees-add/" n, .method = "POST", .path = "/api/v1/events/{id}/attendees", \
    .who = WHO_ORGANIZER, .body = b, .status = st, .code = c, .field = f }
#define ATT_ADD_AT(n, p, st, c) \
  { .name = "attendees-add/" n, .method = "POST", .path = p, .who = WHO_ORGANIZER, \
    .body = GUEST (""), .status = st, .code = c }
#define ATT_GET(n, p, w, st, c) \
  { .name = "attendee-get/" n, .method = "GET", .path = p, .who = w, .status = st, .code = c }
#define ATT_PATCH(n, b, st, c, f) \
  { .name = "attendee-patch/" n, .method = "PATCH", \
    .path = "/api/v1/events/{id}/attendees/{going}", .who = WHO_ORGANIZER, .body = b, \
    .status = st, .code = c, .field = f }
#define ATT_PATCH_AT(n, p, w, st, c) \
  { .name = "attendee-patch/" n, .method = "PATCH", .path = p, .who = w, \
    .body = "{\"note\": \"x\"}", .status = st, .code = c }
#define TICKET(kind, m, n, ev, att, b, st, c) \
  { .name = "ticket-" kind "/" n, .method = m, \
    .path = "/api/v1/events/" ev "/attendees/" att "/ticket", .who = WHO_ORGANIZER, .body = b, \
    .status = st, .code = c }
#define IMPORT_TYPE(n, t, st) \
  { .name = "import/" n, .method = "POST", .path = "/api/v1/events/{id}/attendees/import", \
    .who = WHO_ORGANIZER, .content_type = t, .body = "name,email\nA,a@bad-input.example\n", \
    .status = st, .code = "bad_request" }
#define IMPORT_AT(n, p, w, st, c) \
  { .name = "import/" n, .method = "POST", .path = p, .who = w, .content_type = "text/csv", \
    .body = "name,email\nA,a@bad-input.example\n", .status = st, .code = c }
#define PERSON_PUT(n, b, st, c, f) \
  { .name = "person-put/" n, .method = "PUT", .path = "/api/v1/events/{id}/people/{member_uid}", \
    .who = WHO_ORGANIZER, .body = b, .status = st, .code = c, .field = f }
#define PERSON_PUT_AT(n, p, w, st, c) \
  { .name = "person-put/" n, .method = "PUT", .path = p, .who = w, \
    .body = "{\"role\": \"staff\"}", .status = st, .code = c }
#define PERSON_DELETE(n, p, w, st, c) \
  { .name = "person-delete/" n, .method = "DELETE", .path = p, .who = w, .status = st, \
    .code = c }
#define AUDIT(n, q, st, f) \
  { .name = "audit/" n, .method = "GET", .path = "/api/v1/audit" q, .who = WHO_ADMIN, \
    .status = st, .code = "validation_failed", .field = f }
#define ICS(n, q, f) \
  { .name = "events-ics/" n, .method = "GET", .path = "/api/v1/events.ics" q, .status = 422, \
    .code = "validation_failed", .field = f }
#define EVENT_ICS(n, p, w) \
  { .name = "event-ics/" n, .method = "GET", .path = p, .who = w, .status = 404, \
    .code = "not_found" }

/* Follows and the caller's profile (issue 7). "fol:x:MISSING_ID" and
 * "fol:1:not-a-uuid" are forged follow-list cursors. */
#define CURSOR_FOL_NOT_TIME "Zm9sOng6MDAwMDAwMDAtMDAwMC00MDAwLTgwMDAtMDAwMDAwMDAwMDAw"
#define CURSOR_FOL_NOT_ID "Zm9sOjE6bm90LWEtdXVpZA=="
#define FOLLOW(n, m, p, w, b, st, c, f) \
  { .name = "follow/" n, .method = m, .path = p, .who = w, .body = b, .status = st, .code = c, .field = f }
#define FOLLOWS_LIST(n, q, st, c, f) \
  { .name = "follows-list/" n, .method = "GET", .path = "/api/v1/users/{organizer_uid}/followers" q, \
    .who = WHO_MEMBER, .status = st, .code = c, .field = f }
#define RECS(n, q, st, c, f) \
  { .name = "recommendations/" n, .method = "GET", .path = "/api/v1/recommendations" q, \
    .who = WHO_MEMBER, .status = st, .code = c, .field = f }
#define SIMILAR(n, q, st, c, f) \
  { .name = "similar/" n, .method = "GET", .path = "/api/v1/events/{id}/similar" q, \
    .who = WHO_MEMBER, .status = st, .code = c, .field = f }
#define TRENDING(n, q, st, c, f) \
  { .name = "trending/" n, .method = "GET", .path = "/api/v1/trending" q, \
    .status = st, .code = c, .field = f }
#define ME_PATCH(n, b, st, c, f) \
  { .name = "me-patch/" n, .method = "PATCH", .path = "/api/v1/me", .who = WHO_MEMBER, .body = b, \
    .status = st, .code = c, .field = f }

/* Check-in: door devices, scans, sync (docs/CHECKIN.md). */
#define DEVICE_TOKEN_NEVER_ISSUED "Bearer tnd_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
#define DEVICE_AUTH_CASES(prefix, m, p, b) \
  { .name = prefix "/device-never-issued", .method = m, .path = p, .auth = DEVICE_TOKEN_NEVER_ISSUED, \
    .body = b, .status = 401, .code = "unauthorized" }, \
  { .name = prefix "/device-revoked", .method = m, .path = p, .who = WHO_DEVICE_REVOKED, .body = b, \
    .status = 401, .code = "device_revoked" }
#define PAIRING(n, b, w, st, c, f) \
  { .name = "devices-pairing/" n, .method = "POST", .path = "/api/v1/devices/pairing", .who = w, \
    .body = b, .status = st, .code = c, .field = f }
#define PAIR(n, b, st, c, f) \
  { .name = "devices-pair/" n, .method = "POST", .path = "/api/v1/devices", .body = b, \
    .status = st, .code = c, .field = f }
#define DEVICES_GET(n, q, w, st, c, f) \
  { .name = "devices-list/" n, .method = "GET", .path = "/api/v1/devices" q, .who = w, \
    .status = st, .code = c, .field = f }
#define DEVICE_PATCH(n, p, w, b, st, c, f) \
  { .name = "device-patch/" n, .method = "PATCH", .path = p, .who = w, .body = b, \
    .status = st, .code = c, .field = f }
#define DEVICE_DELETE(n, p, w, st, c) \
  { .name = "device-delete/" n, .method = "DELETE", .path = p, .who = w, .status = st, .code = c }
#define SCAN(fields) "{\"scans\": [{" fields "}]}"
#define SCAN_OK_ID "\"id\": \"0190b000-0000-7000-8000-999999999999\""
#define SCAN_OK_EVENT "\"event_id\": \"{door}\""
#define SCAN_OK_REST "\"code\": \"{door_code}\", \"direction\": \"in\", \"scanned_at\": \"{NOW}\", \"device\": \"Door\""
#define SCAN_OK SCAN (SCAN_OK_ID ", " SCAN_OK_EVENT ", " SCAN_OK_REST)
#define CHECKINS(n, b, w, st, c, f) \
  { .name = "checkins/" n, .method = "POST", .path = "/api/v1/checkins", .who = w, .body = b, \
    .status = st, .code = c, .field = f }
#define UNDO(n, p, w, st, c) \
  { .name = "checkin-undo/" n, .method = "DELETE", .path = p, .who = w, .status = st, .code = c }
#define SYNC(n, q, w, st, c, f) \
  { .name = "sync/" n, .method = "GET", .path = "/api/v1/sync" q, .who = w, .status = st, \
    .code = c, .field = f }

static const BadCase cases[] = {
  /* POST /api/v1/auth/login */
  LOGIN ("malformed-json", "{\"email\": \"admin@example.org\",", 400, "bad_request", NULL),
  LOGIN ("trailing-garbage", "{\"email\": \"admin@example.org\", \"password\": \"turnout-demo\"} x",
         400, "bad_request", NULL),
  LOGIN ("array", "[\"admin@example.org\", \"turnout-demo\"]", 400, "bad_request", NULL),
  LOGIN ("string", "\"admin@example.org\"", 400, "bad_request", NULL),
  LOGIN ("null", "null", 400, "bad_request", NULL),
  LOGIN ("empty-body", "", 400, "bad_request", NULL),
  LOGIN ("email-number", "{\"email\": 42, \"password\": \"turnout-demo\"}", 422,
         "validation_failed", "email"),
  LOGIN ("email-null", "{\"email\": null, \"password\": \"turnout-demo\"}", 422,
         "validation_failed", "email"),
  LOGIN ("password-number", "{\"email\": \"admin@example.org\", \"password\": 12345678}",
         422, "validation_failed", "password"),
  LOGIN ("password-array", "{\"email\": \"admin@example.org\", \"password\": [\"turnout-demo\"]}",
         422, "validation_failed", "password"),
  LOGIN ("missing-password", "{\"email\": \"admin@example.org\"}", 422, "validation_failed",
         "password"),
  LOGIN ("missing-email", "{\"password\": \"turnout-demo\"}", 422, "validation_failed", "email"),
  LOGIN ("unknown-field",
         "{\"email\": \"admin@example.org\", \"password\": \"turnout-demo\", \"remember\": true}",
         422, "validation_failed", "remember"),
  LOGIN ("email-too-long", "{\"email\": \"{A300}@example.org\", \"password\": \"turnout-demo\"}",
         401, "unauthorized", NULL),
  LOGIN ("password-too-long", "{\"email\": \"admin@example.org\", \"password\": \"{P1025}\"}",
         401, "unauthorized", NULL),
  LOGIN ("too-large", "{\"email\": \"admin@example.org\", \"password\": \"{BIG}\"}",
         413, "payload_too_large", NULL),
  LOGIN ("two-documents", "{\"email\": \"admin@example.org\", \"password\": \"turnout-demo\"} {}",
         400, "bad_request", NULL),
  LOGIN ("wrong-password", "{\"email\": \"admin@example.org\", \"password\": \"turnout-demo \"}",
         401, "unauthorized", NULL),
  LOGIN ("invalid-utf8", "{\"email\": \"admin@example.org\", \"password\": \"\xff\xfe\"}", 400,
         "bad_request", NULL),
  LOGIN ("invalid-utf8-overlong",
         "{\"email\": \"admin\xc0\xae" "example.org\", \"password\": \"turnout-demo\"}",
         400, "bad_request", NULL),
  { .name = "login/nul-byte", .method = "POST", .path = "/api/v1/auth/login", .body = NUL_RAW_LOGIN,
    .body_len = sizeof (NUL_RAW_LOGIN) - 1, .status = 400, .code = "bad_request" },
  LOGIN ("nul-escape", "{\"email\": \"admin@example.org\\u0000x\", \"password\": \"turnout-demo\"}",
         400, "bad_request", NULL),
  { .name = "login/content-type", .method = "POST", .path = "/api/v1/auth/login",
    .body = "email=admin%40example.org&password=turnout-demo",
    .content_type = "application/x-www-form-urlencoded",
    .status = 400, .code = "bad_request" },
  { .name = "login/chunked", .method = "POST", .path = "/api/v1/auth/login",
    .body = "{\"email\": \"admin@example.org\", \"password\": \"turnout-demo\"}", .chunked = TRUE,
    .status = 400, .code = "bad_request" },

  /* POST /api/v1/auth/logout */
  { .name = "logout/no-token", .method = "POST", .path = "/api/v1/auth/logout",
    .status = 401, .code = "unauthorized" },
  { .name = "logout/wrong-token", .method = "POST", .path = "/api/v1/auth/logout", .who = WHO_WRONG,
    .status = 401, .code = "unauthorized" },
  { .name = "logout/expired-token", .method = "POST", .path = "/api/v1/auth/logout",
    .who = WHO_EXPIRED,
    .status = 401, .code = "unauthorized" },
  { .name = "logout/revoked-token", .method = "POST", .path = "/api/v1/auth/logout",
    .who = WHO_REVOKED,
    .status = 401, .code = "unauthorized" },
  { .name = "logout/basic-auth", .method = "POST", .path = "/api/v1/auth/logout",
    .auth = "Basic YWRtaW46eA==",
    .status = 401, .code = "unauthorized" },
  { .name = "logout/fields", .method = "POST", .path = "/api/v1/auth/logout", .who = WHO_LOGOUT,
    .body = "{\"everywhere\": true}", .status = 422, .code = "validation_failed" },
  { .name = "logout/malformed-json", .method = "POST", .path = "/api/v1/auth/logout",
    .who = WHO_LOGOUT,
    .body = "{", .status = 400, .code = "bad_request" },
  { .name = "logout/array", .method = "POST", .path = "/api/v1/auth/logout", .who = WHO_LOGOUT,
    .body = "[]", .status = 400, .code = "bad_request" },
  { .name = "logout/invalid-utf8", .method = "POST", .path = "/api/v1/auth/logout",
    .who = WHO_LOGOUT,
    .body = "{\"\xff\": 1}", .status = 400, .code = "bad_request" },
  { .name = "logout/too-large", .method = "POST", .path = "/api/v1/auth/logout", .who = WHO_LOGOUT,
    .body = "{\"x\": \"{BIG}\"}", .status = 413, .code = "payload_too_large" },

  /* GET /api/v1/me: the token checks every authenticated route shares */
  { .name = "auth/no-token", .method = "GET", .path = "/api/v1/me", .status = 401,
    .code = "unauthorized" },
  { .name = "auth/wrong-token", .method = "GET", .path = "/api/v1/me", .who = WHO_WRONG,
    .status = 401, .code = "unauthorized" },
  { .name = "auth/expired-token", .method = "GET", .path = "/api/v1/me", .who = WHO_EXPIRED,
    .status = 401, .code = "unauthorized" },
  { .name = "auth/revoked-token", .method = "GET", .path = "/api/v1/me", .who = WHO_REVOKED,
    .status = 401, .code = "unauthorized" },
  { .name = "auth/basic", .method = "GET", .path = "/api/v1/me", .auth = "Basic YWRtaW46eA==",
    .status = 401, .code = "unauthorized" },
  { .name = "auth/bearer-empty", .method = "GET", .path = "/api/v1/me", .auth = "Bearer ",
    .status = 401, .code = "unauthorized" },
  { .name = "auth/bearer-only", .method = "GET", .path = "/api/v1/me", .auth = "Bearer",
    .status = 401, .code = "unauthorized" },
  { .name = "auth/token-without-scheme", .method = "GET", .path = "/api/v1/me",
    .auth = "tn1_abcdef",
    .status = 401, .code = "unauthorized" },
  { .name = "auth/invalid-utf8", .method = "GET", .path = "/api/v1/me",
    .auth = "Bearer tn1_\xff\xfe",
    .status = 401, .code = "unauthorized" },
  { .name = "auth/very-long", .method = "GET", .path = "/api/v1/me",
    .auth = "Bearer tn1_{A300}{A300}",
    .status = 401, .code = "unauthorized" },

  /* POST /api/v1/users */
  USERS_POST ("malformed-json", "{\"email\": ", 400, "bad_request", NULL),
  USERS_POST ("array", "[{\"email\": \"new@example.org\"}]", 400, "bad_request", NULL),
  USERS_POST ("string", "\"new@example.org\"", 400, "bad_request", NULL),
  USERS_POST ("email-number",
              "{\"email\": 1, \"name\": \"New\", \"password\": \"12345678\", \"role\": \"member\"}",
              422, "validation_failed", "email"),
  USERS_POST ("name-number",
              "{\"email\": \"new@example.org\", \"name\": 7, \"password\": \"12345678\", "
              "\"role\": \"member\"}", 422, "validation_failed", "name"),
  USERS_POST ("password-number",
              "{\"email\": \"new@example.org\", \"name\": \"New\", \"password\": 12345678, "
              "\"role\": \"member\"}", 422, "validation_failed", "password"),
  USERS_POST ("role-number", USER ("\"role\": 3"), 422, "validation_failed", "role"),
  USERS_POST ("role-unknown", USER ("\"role\": \"superuser\""), 422, "validation_failed", "role"),
  USERS_POST ("role-uppercase", USER ("\"role\": \"ADMIN\""), 422, "validation_failed", "role"),
  USERS_POST ("missing-role",
              "{\"email\": \"new@example.org\", \"name\": \"New\", \"password\": \"12345678\"}",
              422, "validation_failed", "role"),
  USERS_POST ("missing-password",
              "{\"email\": \"new@example.org\", \"name\": \"New\", \"role\": \"member\"}",
              422, "validation_failed", "password"),
  USERS_POST ("unknown-field", USER ("\"role\": \"member\", \"is_admin\": true"),
              422, "validation_failed", "is_admin"),
  USERS_POST ("email-invalid",
              "{\"email\": \"not-an-address\", \"name\": \"New\", \"password\": \"12345678\", "
              "\"role\": \"member\"}", 422, "validation_failed", "email"),
  USERS_POST ("email-too-long",
              "{\"email\": \"{A300}@example.org\", \"name\": \"New\", \"password\": \"12345678\", "
              "\"role\": \"member\"}", 422, "validation_failed", "email"),
  USERS_POST ("name-empty",
              "{\"email\": \"new@example.org\", \"name\": \"  \", \"password\": \"12345678\", "
              "\"role\": \"member\"}", 422, "validation_failed", "name"),
  USERS_POST ("name-too-long",
              "{\"email\": \"new@example.org\", \"name\": \"{N101}\", \"password\": \"12345678\", "
              "\"role\": \"member\"}", 422, "validation_failed", "name"),
  USERS_POST ("name-control", "{\"email\": \"new@example.org\", \"name\": \"New\\u0007\", "
              "\"password\": \"12345678\", \"role\": \"member\"}", 422, "validation_failed",
              "name"),
  USERS_POST ("password-short",
              "{\"email\": \"new@example.org\", \"name\": \"New\", \"password\": \"1234567\", "
              "\"role\": \"member\"}", 422, "validation_failed", "password"),
  USERS_POST ("password-too-long",
              "{\"email\": \"new@example.org\", \"name\": \"New\", \"password\": \"{P1025}\", "
              "\"role\": \"member\"}", 422, "validation_failed", "password"),
  USERS_POST ("invalid-utf8",
              "{\"email\": \"new@example.org\", \"name\": \"\xff\xfe\", "
              "\"password\": \"12345678\", "
              "\"role\": \"member\"}", 400, "bad_request", NULL),
  { .name = "users-create/nul-byte", .method = "POST", .path = "/api/v1/users", .who = WHO_ADMIN,
    .body = NUL_RAW_USER, .body_len = sizeof (NUL_RAW_USER) - 1, .status = 400,
    .code = "bad_request" },
  USERS_POST ("nul-escape", "{\"email\": \"new@example.org\", \"name\": \"New\\u0000Admin\", "
              "\"password\": \"12345678\", \"role\": \"member\"}", 400, "bad_request", NULL),
  USERS_POST ("duplicate-email", "{\"email\": \"admin@example.org\", \"name\": \"Again\", "
              "\"password\": \"12345678\", \"role\": \"member\"}", 409, "conflict", NULL),
  USERS_POST ("duplicate-email-case", "{\"email\": \"Maria@Example.ORG\", \"name\": \"Again\", "
              "\"password\": \"12345678\", \"role\": \"admin\"}", 409, "conflict", NULL),
  USERS_POST ("too-large", "{\"email\": \"new@example.org\", \"name\": \"{BIG}\"}", 413,
              "payload_too_large", NULL),
  { .name = "users-create/chunked", .method = "POST", .path = "/api/v1/users", .who = WHO_ADMIN,
    .body = USER ("\"role\": \"member\""), .chunked = TRUE, .status = 400, .code = "bad_request" },
  { .name = "users-create/as-organizer", .method = "POST", .path = "/api/v1/users",
    .who = WHO_ORGANIZER,
    .body = USER ("\"role\": \"member\""), .status = 403, .code = "forbidden" },
  { .name = "users-create/as-member", .method = "POST", .path = "/api/v1/users", .who = WHO_MEMBER,
    .body = USER ("\"role\": \"admin\""), .status = 403, .code = "forbidden" },
  { .name = "users-create/no-token", .method = "POST", .path = "/api/v1/users",
    .body = USER ("\"role\": \"member\""), .status = 401, .code = "unauthorized" },
  { .name = "users-create/expired-token", .method = "POST", .path = "/api/v1/users",
    .who = WHO_EXPIRED,
    .body = USER ("\"role\": \"member\""), .status = 401, .code = "unauthorized" },

  /* GET /api/v1/users */
  USERS_GET ("limit-zero", "?limit=0", WHO_ADMIN, 422, "validation_failed", "limit"),
  USERS_GET ("limit-501", "?limit=501", WHO_ADMIN, 422, "validation_failed", "limit"),
  USERS_GET ("limit-abc", "?limit=abc", WHO_ADMIN, 422, "validation_failed", "limit"),
  USERS_GET ("limit-negative", "?limit=-1", WHO_ADMIN, 422, "validation_failed", "limit"),
  USERS_GET ("cursor-garbage", "?cursor=garbage", WHO_ADMIN, 422, "validation_failed", "cursor"),
  USERS_GET ("cursor-invalid-utf8", "?cursor=%FF", WHO_ADMIN, 422, "validation_failed", "cursor"),
  USERS_GET ("as-organizer", "", WHO_ORGANIZER, 403, "forbidden", NULL),
  USERS_GET ("as-staff", "", WHO_STAFF, 403, "forbidden", NULL),
  USERS_GET ("as-member", "", WHO_MEMBER, 403, "forbidden", NULL),
  USERS_GET ("no-token", "", WHO_NONE, 401, "unauthorized", NULL),
  USERS_GET ("wrong-token", "", WHO_WRONG, 401, "unauthorized", NULL),
  USERS_GET ("expired-token", "", WHO_EXPIRED, 401, "unauthorized", NULL),

  /* GET /api/v1/events */
  LIST ("from-garbage", "?from=garbage", 422, "validation_failed", "from"),
  LIST ("from-no-zone", "?from=2026-12-01T18:00:00", 422, "validation_failed", "from"),
  LIST ("from-month-13", "?from=2026-13-01T00:00:00Z", 422, "validation_failed", "from"),
  LIST ("to-tomorrow", "?to=tomorrow", 422, "validation_failed", "to"),
  LIST ("to-number", "?to=1700000000", 422, "validation_failed", "to"),
  LIST ("limit-zero", "?limit=0", 422, "validation_failed", "limit"),
  LIST ("limit-501", "?limit=501", 422, "validation_failed", "limit"),
  LIST ("limit-abc", "?limit=abc", 422, "validation_failed", "limit"),
  LIST ("limit-float", "?limit=1.5", 422, "validation_failed", "limit"),
  LIST ("limit-huge", "?limit=99999999999999999999999", 422, "validation_failed", "limit"),
  LIST ("cursor-garbage", "?cursor=garbage", 422, "validation_failed", "cursor"),
  LIST ("cursor-not-base64", "?cursor=%21%21%21", 422, "validation_failed", "cursor"),
  LIST ("cursor-forged", "?cursor=Zm9vOmJhcg", 422, "validation_failed", "cursor"),
  LIST ("cursor-invalid-utf8", "?cursor=%FF", 422, "validation_failed", "cursor"),
  LIST ("q-invalid-utf8", "?q=%FF", 422, "validation_failed", "q"),
  LIST ("q-overlong-utf8", "?q=%C0%AF", 422, "validation_failed", "q"),
  LIST ("q-surrogate", "?q=%ED%A0%80", 422, "validation_failed", "q"),
  LIST ("q-too-long", "?q={Q201}", 422, "validation_failed", "q"),
  LIST ("category-invalid-utf8", "?category=caf%E9", 422, "validation_failed", "category"),
  LIST ("tag-invalid-utf8", "?tag=%FE", 422, "validation_failed", "tag"),
  LIST ("status-unknown", "?status=postponed", 422, "validation_failed", "status"),
  { .name = "events-list/wrong-token", .method = "GET", .path = "/api/v1/events", .who = WHO_WRONG,
    .status = 401, .code = "unauthorized" },
  { .name = "events-list/expired-token", .method = "GET", .path = "/api/v1/events",
    .who = WHO_EXPIRED,
    .status = 401, .code = "unauthorized" },
  { .name = "events-list/basic-auth", .method = "GET", .path = "/api/v1/events",
    .auth = "Basic YWRtaW46eA==",
    .status = 401, .code = "unauthorized" },

  /* POST /api/v1/events */
  CREATE ("malformed-json", "{\"title\": \"Bad\", " TIMES, 400, "bad_request", NULL),
  CREATE ("trailing-comma", EV ("\"capacity\": 5,"), 400, "bad_request", NULL),
  CREATE ("two-documents", EV ("\"capacity\": 5") " {}", 400, "bad_request", NULL),
  CREATE ("object-then-array", EV ("\"capacity\": 5") " [1]", 400, "bad_request", NULL),
  CREATE ("array", "[" EV ("\"capacity\": 5") "]", 400, "bad_request", NULL),
  CREATE ("string", "\"Bad input\"", 400, "bad_request", NULL),
  CREATE ("number", "42", 400, "bad_request", NULL),
  CREATE ("empty-body", "", 400, "bad_request", NULL),
  CREATE ("title-number", "{\"title\": 42, " TIMES "}", 422, "validation_failed", "title"),
  CREATE ("title-null", "{\"title\": null, " TIMES "}", 422, "validation_failed", "title"),
  CREATE ("title-object", "{\"title\": {\"en\": \"Bad\"}, " TIMES "}", 422, "validation_failed",
          "title"),
  CREATE ("title-empty", "{\"title\": \"\", " TIMES "}", 422, "validation_failed", "title"),
  CREATE ("title-blank", "{\"title\": \"   \", " TIMES "}", 422, "validation_failed", "title"),
  CREATE ("title-201", "{\"title\": \"{A201}\", " TIMES "}", 422, "validation_failed", "title"),
  CREATE ("title-201-accented", "{\"title\": \"{E201}\", " TIMES "}", 422, "validation_failed",
          "title"),
  CREATE ("title-control", "{\"title\": \"Bad\\u0007\", " TIMES "}", 422, "validation_failed",
          "title"),
  CREATE ("title-newline", "{\"title\": \"Bad\\ninput\", " TIMES "}", 422, "validation_failed",
          "title"),
  CREATE ("title-lone-surrogate", "{\"title\": \"a\\ud800b\", " TIMES "}", 422, "validation_failed",
          "title"),
  CREATE ("title-lone-surrogate-at-end", "{\"title\": \"Bad\\ud800\", " TIMES "}", 400,
          "bad_request", NULL),
  CREATE ("description-number", EV ("\"description\": 1"), 422, "validation_failed", "description"),
  CREATE ("description-too-long", EV ("\"description\": \"{D20001}\""), 422, "validation_failed",
          "description"),
  CREATE ("location-array", EV ("\"location\": [\"Leipzig\"]"), 422, "validation_failed",
          "location"),
  CREATE ("category-number", EV ("\"category\": 3"), 422, "validation_failed", "category"),
  CREATE ("tags-string", EV ("\"tags\": \"rust\""), 422, "validation_failed", "tags"),
  CREATE ("tags-numbers", EV ("\"tags\": [1, 2]"), 422, "validation_failed", "tags"),
  CREATE ("tags-nested", EV ("\"tags\": [[\"rust\"]]"), 422, "validation_failed", "tags"),
  CREATE ("tags-21", EV ("\"tags\": [{TAGS21}]"), 422, "validation_failed", "tags"),
  CREATE ("tag-41-chars", EV ("\"tags\": [\"ok\", \"{T41}\"]"), 422, "validation_failed", "tags"),
  CREATE ("tag-empty", EV ("\"tags\": [\"\"]"), 422, "validation_failed", "tags"),
  CREATE ("tag-repeated", EV ("\"tags\": [\"rust\", \"rust\"]"), 422, "validation_failed", "tags"),
  CREATE ("capacity-string", EV ("\"capacity\": \"10\""), 422, "validation_failed", "capacity"),
  CREATE ("capacity-float", EV ("\"capacity\": 10.5"), 422, "validation_failed", "capacity"),
  CREATE ("capacity-exponent", EV ("\"capacity\": 1e3"), 422, "validation_failed", "capacity"),
  CREATE ("capacity-negative", EV ("\"capacity\": -1"), 422, "validation_failed", "capacity"),
  CREATE ("capacity-too-large", EV ("\"capacity\": 1000001"), 422, "validation_failed", "capacity"),
  CREATE ("capacity-bool", EV ("\"capacity\": true"), 422, "validation_failed", "capacity"),
  CREATE ("capacity-past-64-bits", EV ("\"capacity\": 99999999999999999999"), 400, "bad_request",
          NULL),
  CREATE ("capacity-2-pow-64-minus-1", EV ("\"capacity\": 18446744073709551615"), 400,
          "bad_request", NULL),
  CREATE ("lat-string", EV ("\"lat\": \"51.3\", \"lon\": 12.4"), 422, "validation_failed", "lat"),
  CREATE ("lon-string", EV ("\"lat\": 51.3, \"lon\": \"12.4\""), 422, "validation_failed", "lon"),
  CREATE ("lat-out-of-range", EV ("\"lat\": 91, \"lon\": 12.4"), 422, "validation_failed", "lat"),
  CREATE ("lon-out-of-range", EV ("\"lat\": 51.3, \"lon\": -180.5"), 422, "validation_failed",
          "lon"),
  CREATE ("lat-infinite", EV ("\"lat\": 1e400, \"lon\": 12.4"), 422, "validation_failed", "lat"),
  CREATE ("lat-without-lon", EV ("\"lat\": 51.3"), 422, "validation_failed", "lon"),
  CREATE ("waitlist-yes", EV ("\"waitlist\": \"yes\""), 422, "validation_failed", "waitlist"),
  CREATE ("waitlist-number", EV ("\"waitlist\": 1"), 422, "validation_failed", "waitlist"),
  CREATE ("waitlist-null", EV ("\"waitlist\": null"), 422, "validation_failed", "waitlist"),
  CREATE ("visibility-unknown", EV ("\"visibility\": \"secret\""), 422, "validation_failed",
          "visibility"),
  CREATE ("visibility-number", EV ("\"visibility\": 2"), 422, "validation_failed", "visibility"),
  CREATE ("price-string", EV ("\"price\": \"5\", \"currency\": \"EUR\""), 422, "validation_failed",
          "price"),
  CREATE ("price-negative", EV ("\"price\": -5, \"currency\": \"EUR\""), 422, "validation_failed",
          "price"),
  CREATE ("price-without-currency", EV ("\"price\": 5"), 422, "validation_failed", "currency"),
  CREATE ("currency-unknown", EV ("\"price\": 5, \"currency\": \"XYZ\""), 422, "validation_failed",
          "currency"),
  CREATE ("currency-lowercase", EV ("\"price\": 5, \"currency\": \"eur\""), 422,
          "validation_failed", "currency"),
  CREATE ("starts-at-number", "{\"title\": \"Bad\", \"starts_at\": 1893492000, "
          "\"ends_at\": \"2030-01-01T11:00:00Z\"}", 422, "validation_failed", "starts_at"),
  CREATE ("starts-at-month-13", "{\"title\": \"Bad\", \"starts_at\": \"2026-13-01T00:00:00Z\", "
          "\"ends_at\": \"2030-01-01T11:00:00Z\"}", 422, "validation_failed", "starts_at"),
  CREATE ("starts-at-february-30", "{\"title\": \"Bad\", \"starts_at\": \"2026-02-30T10:00:00Z\", "
          "\"ends_at\": \"2030-01-01T11:00:00Z\"}", 422, "validation_failed", "starts_at"),
  CREATE ("starts-at-hour-25", "{\"title\": \"Bad\", \"starts_at\": \"2026-12-01T25:00:00Z\", "
          "\"ends_at\": \"2030-01-01T11:00:00Z\"}", 422, "validation_failed", "starts_at"),
  CREATE ("starts-at-tomorrow", "{\"title\": \"Bad\", \"starts_at\": \"tomorrow\", "
          "\"ends_at\": \"2030-01-01T11:00:00Z\"}", 422, "validation_failed", "starts_at"),
  CREATE ("starts-at-no-zone", "{\"title\": \"Bad\", \"starts_at\": \"2026-12-01T18:00:00\", "
          "\"ends_at\": \"2030-01-01T11:00:00Z\"}", 422, "validation_failed", "starts_at"),
  CREATE ("starts-at-date-only", "{\"title\": \"Bad\", \"starts_at\": \"2026-12-01\", "
          "\"ends_at\": \"2030-01-01T11:00:00Z\"}", 422, "validation_failed", "starts_at"),
  CREATE ("starts-at-bad-offset",
          "{\"title\": \"Bad\", \"starts_at\": \"2026-12-01T18:00:00+25:00\", "
          "\"ends_at\": \"2030-01-01T11:00:00Z\"}", 422, "validation_failed", "starts_at"),
  CREATE ("starts-at-year-10000", "{\"title\": \"Bad\", \"starts_at\": \"10000-01-01T00:00:00Z\", "
          "\"ends_at\": \"2030-01-01T11:00:00Z\"}", 422, "validation_failed", "starts_at"),
  CREATE ("ends-at-null",
          "{\"title\": \"Bad\", \"starts_at\": \"2030-01-01T10:00:00Z\", \"ends_at\": null}",
          422, "validation_failed", "ends_at"),
  CREATE ("ends-before-starts", "{\"title\": \"Bad\", \"starts_at\": \"2030-01-01T10:00:00Z\", "
          "\"ends_at\": \"2030-01-01T09:59:59Z\"}", 422, "validation_failed", "ends_at"),
  CREATE ("missing-title", "{" TIMES "}", 422, "validation_failed", "title"),
  CREATE ("missing-starts-at", "{\"title\": \"Bad\", \"ends_at\": \"2030-01-01T11:00:00Z\"}",
          422, "validation_failed", "starts_at"),
  CREATE ("missing-ends-at", "{\"title\": \"Bad\", \"starts_at\": \"2030-01-01T10:00:00Z\"}",
          422, "validation_failed", "ends_at"),
  CREATE ("empty-object", "{}", 422, "validation_failed", "title"),
  CREATE ("unknown-field", EV ("\"colour\": \"red\""), 422, "validation_failed", "colour"),
  CREATE ("read-only-version", EV ("\"version\": 7"), 422, "validation_failed", "version"),
  CREATE ("read-only-status", EV ("\"status\": \"cancelled\""), 422, "validation_failed", "status"),
  CREATE ("read-only-organizer", EV ("\"organizer\": \"" MISSING_ID "\""), 422, "validation_failed",
          "organizer"),
  CREATE ("read-only-created-at", EV ("\"created_at\": \"2020-01-01T00:00:00Z\""),
          422, "validation_failed", "created_at"),
  CREATE ("id-not-uuid", EV ("\"id\": \"event-1\""), 422, "validation_failed", "id"),
  CREATE ("id-number", EV ("\"id\": 1"), 422, "validation_failed", "id"),
  CREATE ("id-taken", EV ("\"id\": \"{id}\""), 409, "conflict", NULL),
  CREATE ("invalid-utf8", "{\"title\": \"Bad \xff\xfe" "input\", " TIMES "}", 400, "bad_request",
          NULL),
  CREATE ("invalid-utf8-overlong-slash", "{\"title\": \"a\xc0\xaf" "b\", " TIMES "}", 400,
          "bad_request", NULL),
  CREATE ("invalid-utf8-overlong-nul", "{\"title\": \"a\xc0\x80" "b\", " TIMES "}", 400,
          "bad_request", NULL),
  CREATE ("invalid-utf8-surrogate", "{\"title\": \"a\xed\xa0\x80" "b\", " TIMES "}", 400,
          "bad_request", NULL),
  CREATE ("invalid-utf8-truncated", "{\"title\": \"a\xe2\x82\", " TIMES "}", 400, "bad_request",
          NULL),
  CREATE ("invalid-utf8-in-key", "{\"ti\xfftle\": \"Bad\", " TIMES "}", 400, "bad_request", NULL),
  { .name = "events-create/nul-byte", .method = "POST", .path = "/api/v1/events",
    .who = WHO_ORGANIZER,
    .body = NUL_RAW, .body_len = sizeof (NUL_RAW) - 1, .status = 400, .code = "bad_request" },
  CREATE ("nul-escape", "{\"title\": \"Bad\\u0000input\", " TIMES "}", 400, "bad_request", NULL),
  CREATE ("too-large", EV ("\"description\": \"{BIG}\""), 413, "payload_too_large", NULL),
  { .name = "events-create/chunked", .method = "POST", .path = "/api/v1/events",
    .who = WHO_ORGANIZER,
    .body = EV ("\"capacity\": 5"), .chunked = TRUE, .status = 400, .code = "bad_request" },
  { .name = "events-create/content-type", .method = "POST", .path = "/api/v1/events",
    .who = WHO_ORGANIZER,
    .body = EV ("\"capacity\": 5"), .content_type = "text/plain", .status = 400,
    .code = "bad_request" },
  CREATE_AS ("no-token", WHO_NONE, 401, "unauthorized"),
  CREATE_AS ("wrong-token", WHO_WRONG, 401, "unauthorized"),
  CREATE_AS ("expired-token", WHO_EXPIRED, 401, "unauthorized"),
  CREATE_AS ("revoked-token", WHO_REVOKED, 401, "unauthorized"),
  CREATE_AS ("as-member", WHO_MEMBER, 403, "forbidden"),
  CREATE_AS ("as-staff", WHO_STAFF, 403, "forbidden"),
  { .name = "events-create/basic-auth", .method = "POST", .path = "/api/v1/events",
    .auth = "Basic YWRtaW46eA==",
    .body = EV ("\"capacity\": 5"), .status = 401, .code = "unauthorized" },

  /* GET /api/v1/events/{id} */
  { .name = "events-get/unknown-id", .method = "GET", .path = "/api/v1/events/" MISSING_ID,
    .status = 404, .code = "not_found" },
  { .name = "events-get/not-a-uuid", .method = "GET", .path = "/api/v1/events/not-a-uuid",
    .status = 404, .code = "not_found" },
  { .name = "events-get/uuid-with-suffix", .method = "GET", .path = "/api/v1/events/{id}x",
    .status = 404, .code = "not_found" },
  { .name = "events-get/sql-like", .method = "GET",
    .path = "/api/v1/events/1%27%20OR%20%271%27=%271",
    .status = 404, .code = "not_found" },
  { .name = "events-get/invalid-utf8", .method = "GET", .path = "/api/v1/events/%FF%FE",
    .status = 404, .code = "not_found" },
  { .name = "events-get/wrong-token", .method = "GET", .path = "/api/v1/events/{id}",
    .who = WHO_WRONG,
    .status = 401, .code = "unauthorized" },
  { .name = "events-get/expired-token", .method = "GET", .path = "/api/v1/events/{id}",
    .who = WHO_EXPIRED,
    .status = 401, .code = "unauthorized" },

  /* PATCH /api/v1/events/{id} */
  { .name = "events-patch/no-if-match", .method = "PATCH", .path = "/api/v1/events/{id}",
    .who = WHO_ORGANIZER,
    .body = "{\"title\": \"Blind\"}", .status = 428, .code = "precondition_required" },
  PATCH ("malformed-json", "{\"title\": ", 400, "bad_request", NULL),
  PATCH ("array", "[{\"title\": \"x\"}]", 400, "bad_request", NULL),
  PATCH ("string", "\"x\"", 400, "bad_request", NULL),
  PATCH ("empty-body", "", 400, "bad_request", NULL),
  PATCH ("title-number", "{\"title\": 42}", 422, "validation_failed", "title"),
  PATCH ("title-null", "{\"title\": null}", 422, "validation_failed", "title"),
  PATCH ("title-empty", "{\"title\": \"\"}", 422, "validation_failed", "title"),
  PATCH ("title-201", "{\"title\": \"{A201}\"}", 422, "validation_failed", "title"),
  PATCH ("description-too-long", "{\"description\": \"{D20001}\"}", 422, "validation_failed",
         "description"),
  PATCH ("tags-string", "{\"tags\": \"rust\"}", 422, "validation_failed", "tags"),
  PATCH ("tags-21", "{\"tags\": [{TAGS21}]}", 422, "validation_failed", "tags"),
  PATCH ("tag-41-chars", "{\"tags\": [\"{T41}\"]}", 422, "validation_failed", "tags"),
  PATCH ("capacity-string", "{\"capacity\": \"10\"}", 422, "validation_failed", "capacity"),
  PATCH ("capacity-float", "{\"capacity\": 2.5}", 422, "validation_failed", "capacity"),
  PATCH ("capacity-negative", "{\"capacity\": -1}", 422, "validation_failed", "capacity"),
  PATCH ("capacity-past-64-bits", "{\"capacity\": 99999999999999999999}", 400, "bad_request", NULL),
  PATCH ("lat-string", "{\"lat\": \"51\", \"lon\": 12}", 422, "validation_failed", "lat"),
  PATCH ("waitlist-yes", "{\"waitlist\": \"yes\"}", 422, "validation_failed", "waitlist"),
  PATCH ("visibility-unknown", "{\"visibility\": \"friends\"}", 422, "validation_failed",
         "visibility"),
  PATCH ("starts-at-number", "{\"starts_at\": 1893492000}", 422, "validation_failed", "starts_at"),
  PATCH ("starts-at-month-13", "{\"starts_at\": \"2026-13-01T00:00:00Z\"}", 422,
         "validation_failed", "starts_at"),
  PATCH ("starts-at-no-zone", "{\"starts_at\": \"2026-12-01T18:00:00\"}", 422, "validation_failed",
         "starts_at"),
  PATCH ("ends-before-starts", "{\"ends_at\": \"2000-01-01T00:00:00Z\"}", 422, "validation_failed",
         "ends_at"),
  PATCH ("starts-after-ends", "{\"starts_at\": \"2099-01-01T00:00:00Z\"}", 422, "validation_failed",
         "ends_at"),
  PATCH ("unknown-field", "{\"colour\": \"red\"}", 422, "validation_failed", "colour"),
  PATCH ("change-id", "{\"id\": \"" MISSING_ID "\"}", 422, "validation_failed", "id"),
  PATCH ("read-only-version", "{\"version\": 9}", 422, "validation_failed", "version"),
  PATCH ("read-only-status", "{\"status\": \"cancelled\"}", 422, "validation_failed", "status"),
  PATCH ("read-only-organizer", "{\"organizer\": \"" MISSING_ID "\"}", 422, "validation_failed",
         "organizer"),
  PATCH ("one-bad-field-among-good", "{\"title\": \"Good\", \"capacity\": \"many\"}",
         422, "validation_failed", "capacity"),
  PATCH ("invalid-utf8", "{\"title\": \"\xff\xfe\"}", 400, "bad_request", NULL),
  PATCH ("invalid-utf8-overlong", "{\"title\": \"\xe0\x80\xaf\"}", 400, "bad_request", NULL),
  { .name = "events-patch/nul-byte", .method = "PATCH", .path = "/api/v1/events/{id}",
    .who = WHO_ORGANIZER,
    .if_match = "\"1\"", .body = NUL_RAW_PATCH, .body_len = sizeof (NUL_RAW_PATCH) - 1,
    .status = 400, .code = "bad_request" },
  PATCH ("nul-escape", "{\"title\": \"a\\u0000b\"}", 400, "bad_request", NULL),
  PATCH ("too-large", "{\"description\": \"{BIG}\"}", 413, "payload_too_large", NULL),
  { .name = "events-patch/chunked", .method = "PATCH", .path = "/api/v1/events/{id}",
    .who = WHO_ORGANIZER,
    .if_match = "\"1\"", .body = "{\"title\": \"Chunked\"}", .chunked = TRUE, .status = 400,
    .code = "bad_request" },
  { .name = "events-patch/if-match-garbage", .method = "PATCH", .path = "/api/v1/events/{id}",
    .who = WHO_ORGANIZER, .if_match = "\"one\"", .body = "{\"title\": \"x\"}", .status = 400,
    .code = "bad_request" },
  { .name = "events-patch/if-match-star", .method = "PATCH", .path = "/api/v1/events/{id}",
    .who = WHO_ORGANIZER, .if_match = "*", .body = "{\"title\": \"x\"}", .status = 400,
    .code = "bad_request" },
  { .name = "events-patch/if-match-negative", .method = "PATCH", .path = "/api/v1/events/{id}",
    .who = WHO_ORGANIZER, .if_match = "\"-1\"", .body = "{\"title\": \"x\"}", .status = 400,
    .code = "bad_request" },
  { .name = "events-patch/if-match-huge", .method = "PATCH", .path = "/api/v1/events/{id}",
    .who = WHO_ORGANIZER, .if_match = "\"99999999999999999999999\"", .body = "{\"title\": \"x\"}",
    .status = 400, .code = "bad_request" },
  { .name = "events-patch/if-match-stale", .method = "PATCH", .path = "/api/v1/events/{id}",
    .who = WHO_ORGANIZER, .if_match = "\"0\"", .body = "{\"title\": \"x\"}", .status = 409,
    .code = "conflict" },
  { .name = "events-patch/if-match-future", .method = "PATCH", .path = "/api/v1/events/{id}",
    .who = WHO_ORGANIZER, .if_match = "\"2\"", .body = "{\"title\": \"x\"}", .status = 409,
    .code = "conflict" },
  { .name = "events-patch/unknown-id", .method = "PATCH", .path = "/api/v1/events/" MISSING_ID,
    .who = WHO_ORGANIZER, .if_match = "\"1\"", .body = "{\"title\": \"x\"}", .status = 404,
    .code = "not_found" },
  { .name = "events-patch/not-a-uuid", .method = "PATCH", .path = "/api/v1/events/42",
    .who = WHO_ORGANIZER, .if_match = "\"1\"", .body = "{\"title\": \"x\"}", .status = 404,
    .code = "not_found" },
  PATCH_AS ("no-token", WHO_NONE, 401, "unauthorized"),
  PATCH_AS ("wrong-token", WHO_WRONG, 401, "unauthorized"),
  PATCH_AS ("expired-token", WHO_EXPIRED, 401, "unauthorized"),
  PATCH_AS ("revoked-token", WHO_REVOKED, 401, "unauthorized"),
  PATCH_AS ("as-member", WHO_MEMBER, 403, "forbidden"),
  PATCH_AS ("as-staff", WHO_STAFF, 403, "forbidden"),
  PATCH_AS ("as-other-organizer", WHO_OTHER, 403, "forbidden"),
  { .name = "events-patch/bearer-empty", .method = "PATCH", .path = "/api/v1/events/{id}",
    .auth = "Bearer ",
    .if_match = "\"1\"", .body = "{\"title\": \"x\"}", .status = 401, .code = "unauthorized" },

  /* DELETE /api/v1/events/{id} */
  { .name = "events-delete/unknown-id", .method = "DELETE", .path = "/api/v1/events/" MISSING_ID,
    .who = WHO_ADMIN, .status = 404, .code = "not_found" },
  { .name = "events-delete/not-a-uuid", .method = "DELETE", .path = "/api/v1/events/everything",
    .who = WHO_ADMIN, .status = 404, .code = "not_found" },
  { .name = "events-delete/if-match-garbage", .method = "DELETE", .path = "/api/v1/events/{id}",
    .who = WHO_ORGANIZER, .if_match = "latest", .status = 400, .code = "bad_request" },
  { .name = "events-delete/if-match-stale", .method = "DELETE", .path = "/api/v1/events/{id}",
    .who = WHO_ORGANIZER, .if_match = "\"5\"", .status = 409, .code = "conflict" },
  { .name = "events-delete/no-token", .method = "DELETE", .path = "/api/v1/events/{id}",
    .status = 401, .code = "unauthorized" },
  { .name = "events-delete/wrong-token", .method = "DELETE", .path = "/api/v1/events/{id}",
    .who = WHO_WRONG,
    .status = 401, .code = "unauthorized" },
  { .name = "events-delete/expired-token", .method = "DELETE", .path = "/api/v1/events/{id}",
    .who = WHO_EXPIRED,
    .status = 401, .code = "unauthorized" },
  { .name = "events-delete/revoked-token", .method = "DELETE", .path = "/api/v1/events/{id}",
    .who = WHO_REVOKED,
    .status = 401, .code = "unauthorized" },
  { .name = "events-delete/basic-auth", .method = "DELETE", .path = "/api/v1/events/{id}",
    .auth = "Basic YWRtaW46eA==", .status = 401, .code = "unauthorized" },
  { .name = "events-delete/as-member", .method = "DELETE", .path = "/api/v1/events/{id}",
    .who = WHO_MEMBER,
    .status = 403, .code = "forbidden" },
  { .name = "events-delete/as-staff", .method = "DELETE", .path = "/api/v1/events/{id}",
    .who = WHO_STAFF,
    .status = 403, .code = "forbidden" },
  { .name = "events-delete/as-other-organizer", .method = "DELETE", .path = "/api/v1/events/{id}",
    .who = WHO_OTHER, .status = 403, .code = "forbidden" },

  /* POST /api/v1/events/{id}/cancel */
  { .name = "events-cancel/unknown-id", .method = "POST",
    .path = "/api/v1/events/" MISSING_ID "/cancel",
    .who = WHO_ADMIN, .status = 404, .code = "not_found" },
  { .name = "events-cancel/not-a-uuid", .method = "POST", .path = "/api/v1/events/x/cancel",
    .who = WHO_ADMIN, .status = 404, .code = "not_found" },
  { .name = "events-cancel/fields", .method = "POST", .path = "/api/v1/events/{id}/cancel",
    .who = WHO_ORGANIZER,
    .body = "{\"reason\": \"rain\"}", .status = 422, .code = "validation_failed" },
  { .name = "events-cancel/malformed-json", .method = "POST", .path = "/api/v1/events/{id}/cancel",
    .who = WHO_ORGANIZER, .body = "{\"reason\"", .status = 400, .code = "bad_request" },
  { .name = "events-cancel/array", .method = "POST", .path = "/api/v1/events/{id}/cancel",
    .who = WHO_ORGANIZER, .body = "[]", .status = 400, .code = "bad_request" },
  { .name = "events-cancel/string", .method = "POST", .path = "/api/v1/events/{id}/cancel",
    .who = WHO_ORGANIZER, .body = "\"now\"", .status = 400, .code = "bad_request" },
  { .name = "events-cancel/invalid-utf8", .method = "POST", .path = "/api/v1/events/{id}/cancel",
    .who = WHO_ORGANIZER, .body = "{\"\xc0\xaf\": 1}", .status = 400, .code = "bad_request" },
  { .name = "events-cancel/too-large", .method = "POST", .path = "/api/v1/events/{id}/cancel",
    .who = WHO_ORGANIZER, .body = "{\"reason\": \"{BIG}\"}", .status = 413,
    .code = "payload_too_large" },
  { .name = "events-cancel/chunked", .method = "POST", .path = "/api/v1/events/{id}/cancel",
    .who = WHO_ORGANIZER, .body = "{}", .chunked = TRUE, .status = 400, .code = "bad_request" },
  { .name = "events-cancel/if-match-garbage", .method = "POST",
    .path = "/api/v1/events/{id}/cancel",
    .who = WHO_ORGANIZER, .if_match = "W/\"x\"", .status = 400, .code = "bad_request" },
  { .name = "events-cancel/if-match-stale", .method = "POST", .path = "/api/v1/events/{id}/cancel",
    .who = WHO_ORGANIZER, .if_match = "\"3\"", .status = 409, .code = "conflict" },
  { .name = "events-cancel/no-token", .method = "POST", .path = "/api/v1/events/{id}/cancel",
    .status = 401, .code = "unauthorized" },
  { .name = "events-cancel/wrong-token", .method = "POST", .path = "/api/v1/events/{id}/cancel",
    .who = WHO_WRONG, .status = 401, .code = "unauthorized" },
  { .name = "events-cancel/expired-token", .method = "POST", .path = "/api/v1/events/{id}/cancel",
    .who = WHO_EXPIRED, .status = 401, .code = "unauthorized" },
  { .name = "events-cancel/revoked-token", .method = "POST", .path = "/api/v1/events/{id}/cancel",
    .who = WHO_REVOKED, .status = 401, .code = "unauthorized" },
  { .name = "events-cancel/as-member", .method = "POST", .path = "/api/v1/events/{id}/cancel",
    .who = WHO_MEMBER, .status = 403, .code = "forbidden" },
  { .name = "events-cancel/as-staff", .method = "POST", .path = "/api/v1/events/{id}/cancel",
    .who = WHO_STAFF, .status = 403, .code = "forbidden" },
  { .name = "events-cancel/as-other-organizer", .method = "POST",
    .path = "/api/v1/events/{id}/cancel",
    .who = WHO_OTHER, .status = 403, .code = "forbidden" },

  /* POST /api/v1/events/{id}/attendees/import (more in test-csv.c) */
  IMPORT ("unterminated-quote", "name,email\nA,\"a@example.org\n", 400, "bad_request", NULL),
  IMPORT ("quote-in-field", "name,email\nA,a@ex\"ample.org\n", 400, "bad_request", NULL),
  IMPORT ("invalid-utf8", "name,email\nA\xff,a@example.org\n", 400, "bad_request", NULL),
  IMPORT ("invalid-utf8-overlong", "name,email\nA\xc0\xaf,a@example.org\n", 400, "bad_request", NULL),
  { .name = "import/nul-byte", .method = "POST", .path = "/api/v1/events/{id}/attendees/import",
    .who = WHO_ORGANIZER, .content_type = "text/csv",
    .body = NUL_RAW_CSV, .body_len = sizeof (NUL_RAW_CSV) - 1, .status = 400, .code = "bad_request" },
  IMPORT ("empty", "", 400, "bad_request", NULL),
  IMPORT ("too-large", "name,email\n{BIG}", 413, "payload_too_large", NULL),
  IMPORT ("field-too-long", "name,email\n{D20001},a@example.org\n", 400, "bad_request", NULL),
  IMPORT ("no-email-column", "name\nA\n", 422, "validation_failed", "header"),
  IMPORT ("unknown-column", "name,email,shoe_size\nA,a@example.org,44\n", 422, "validation_failed",
          "header"),
  IMPORT ("column-twice", "name,email,Email\nA,a@example.org,a@example.org\n", 422,
          "validation_failed", "header"),
  IMPORT ("bad-email", "name,email\nA,a@example.org\nB,not-an-address\n", 422, "validation_failed",
          NULL),
  IMPORT ("unknown-status", "name,email,status\nA,a@example.org,sometimes\n", 422,
          "validation_failed", NULL),
  IMPORT ("name-201", "name,email\n{A201},a@example.org\n", 422, "validation_failed", NULL),
  IMPORT ("short-row", "name,email\nA,a@example.org\nB\n", 422, "validation_failed", NULL),
  IMPORT ("email-twice", "name,email\nA,a@example.org\nB,A@EXAMPLE.ORG\n", 422,
          "validation_failed", NULL),
  IMPORT ("control-character", "name,email\nA\x01,a@example.org\n", 422, "validation_failed", NULL),
  { .name = "import/json", .method = "POST", .path = "/api/v1/events/{id}/attendees/import",
    .who = WHO_ORGANIZER, .body = "{\"name\": \"A\", \"email\": \"a@example.org\"}", .status = 400,
    .code = "bad_request" },
  { .name = "import/chunked", .method = "POST", .path = "/api/v1/events/{id}/attendees/import",
    .who = WHO_ORGANIZER, .content_type = "text/csv", .chunked = TRUE,
    .body = "name,email\nA,a@example.org\n", .status = 400, .code = "bad_request" },
  { .name = "import/unknown-event", .method = "POST",
    .path = "/api/v1/events/" MISSING_ID "/attendees/import", .who = WHO_ORGANIZER,
    .content_type = "text/csv", .body = "name,email\nA,a@example.org\n", .status = 404,
    .code = "not_found" },
  IMPORT_AS ("no-token", WHO_NONE, 401, "unauthorized"),
  IMPORT_AS ("wrong-token", WHO_WRONG, 401, "unauthorized"),
  IMPORT_AS ("expired-token", WHO_EXPIRED, 401, "unauthorized"),
  IMPORT_AS ("as-member", WHO_MEMBER, 403, "forbidden"),
  IMPORT_AS ("as-staff", WHO_STAFF, 403, "forbidden"),
  IMPORT_AS ("as-other-organizer", WHO_OTHER, 403, "forbidden"),
  { .name = "attendees-csv/no-token", .method = "GET", .path = "/api/v1/events/{id}/attendees.csv",
    .status = 401, .code = "unauthorized" },
  { .name = "attendees-csv/as-member", .method = "GET", .path = "/api/v1/events/{id}/attendees.csv",
    .who = WHO_MEMBER, .status = 403, .code = "forbidden" },
  { .name = "attendees-csv/unknown-event", .method = "GET",
    .path = "/api/v1/events/" MISSING_ID "/attendees.csv", .who = WHO_ORGANIZER, .status = 404,
    .code = "not_found" },
  { .name = "attendees-csv/wrong-method", .method = "PUT", .path = "/api/v1/events/{id}/attendees.csv",
    .who = WHO_ORGANIZER, .content_type = "text/csv", .body = "name,email\n", .status = 405,
    .code = "bad_request" },

  /* --- the newer endpoints ---------------------------------------------- */

  /* PUT /api/v1/events/{id}/rsvp */
  RSVP_PUT ("malformed-json", "{\"status\": ", 400, "bad_request", NULL),
  RSVP_PUT ("trailing-garbage", "{\"status\": \"going\"} x", 400, "bad_request", NULL),
  RSVP_PUT ("two-documents", "{\"status\": \"going\"} {}", 400, "bad_request", NULL),
  RSVP_PUT ("array", "[\"going\"]", 400, "bad_request", NULL),
  RSVP_PUT ("string", "\"going\"", 400, "bad_request", NULL),
  RSVP_PUT ("null", "null", 400, "bad_request", NULL),
  RSVP_PUT ("empty-body", "", 400, "bad_request", NULL),
  RSVP_PUT ("empty-object", "{}", 422, "validation_failed", "status"),
  RSVP_PUT ("status-unknown", "{\"status\": \"sometimes\"}", 422, "validation_failed", "status"),
  RSVP_PUT ("status-waitlisted", "{\"status\": \"waitlisted\"}", 422, "validation_failed",
            "status"),
  RSVP_PUT ("status-uppercase", "{\"status\": \"GOING\"}", 422, "validation_failed", "status"),
  RSVP_PUT ("status-padded", "{\"status\": \" going\"}", 422, "validation_failed", "status"),
  RSVP_PUT ("status-empty", "{\"status\": \"\"}", 422, "validation_failed", "status"),
  RSVP_PUT ("status-201", "{\"status\": \"{A201}\"}", 422, "validation_failed", "status"),
  RSVP_PUT ("status-number", "{\"status\": 1}", 422, "validation_failed", "status"),
  RSVP_PUT ("status-bool", "{\"status\": true}", 422, "validation_failed", "status"),
  RSVP_PUT ("status-null", "{\"status\": null}", 422, "validation_failed", "status"),
  RSVP_PUT ("status-array", "{\"status\": [\"going\"]}", 422, "validation_failed", "status"),
  RSVP_PUT ("unknown-field", "{\"status\": \"going\", \"guests\": 3}", 422, "validation_failed",
            "guests"),
  RSVP_PUT ("read-only-waitlist-position", "{\"status\": \"going\", \"waitlist_position\": 1}", 422,
            "validation_failed", "waitlist_position"),
  RSVP_PUT ("invalid-utf8", "{\"status\": \"go\xffing\"}", 400, "bad_request", NULL),
  RSVP_PUT ("invalid-utf8-overlong", "{\"status\": \"going\xc0\xae\"}", 400, "bad_request", NULL),
  { .name = "rsvp-put/nul-byte", .method = "PUT", .path = "/api/v1/events/{id}/rsvp",
    .who = WHO_MEMBER, .body = NUL_RAW_RSVP, .body_len = sizeof (NUL_RAW_RSVP) - 1, .status = 400,
    .code = "bad_request" },
  RSVP_PUT ("nul-escape", "{\"status\": \"going\\u0000\"}", 400, "bad_request", NULL),
  RSVP_PUT ("too-large", "{\"status\": \"going\", \"x\": \"{BIG}\"}", 413, "payload_too_large",
            NULL),
  { .name = "rsvp-put/chunked", .method = "PUT", .path = "/api/v1/events/{id}/rsvp",
    .who = WHO_MEMBER, .body = "{\"status\": \"going\"}", .chunked = TRUE, .status = 400,
    .code = "bad_request" },
  { .name = "rsvp-put/content-type", .method = "PUT", .path = "/api/v1/events/{id}/rsvp",
    .who = WHO_MEMBER, .body = "status=going", .content_type = "application/x-www-form-urlencoded",
    .status = 400, .code = "bad_request" },
  RSVP_PUT_AT ("unknown-event", "/api/v1/events/" MISSING_ID "/rsvp", WHO_MEMBER, 404, "not_found"),
  RSVP_PUT_AT ("not-a-uuid", "/api/v1/events/tonight/rsvp", WHO_MEMBER, 404, "not_found"),
  RSVP_PUT_AT ("uuid-with-suffix", "/api/v1/events/{id}x/rsvp", WHO_MEMBER, 404, "not_found"),
  RSVP_PUT_AT ("deleted-event", "/api/v1/events/{deleted}/rsvp", WHO_MEMBER, 404, "not_found"),
  RSVP_PUT_AT ("deleted-event-as-admin", "/api/v1/events/{deleted}/rsvp", WHO_ADMIN, 404,
               "not_found"),
  RSVP_PUT_AT ("cancelled-event", "/api/v1/events/{cancelled}/rsvp", WHO_MEMBER, 409, "conflict"),
  RSVP_PUT_AT ("private-event", "/api/v1/events/{private}/rsvp", WHO_MEMBER, 404, "not_found"),
  AUTH_CASES ("rsvp-put", "PUT", "/api/v1/events/{id}/rsvp", "{\"status\": \"going\"}", NULL),

  /* GET /api/v1/events/{id}/rsvp */
  { .name = "rsvp-get/never-answered", .method = "GET", .path = "/api/v1/events/{id}/rsvp",
    .who = WHO_ADMIN, .status = 404, .code = "not_found" },
  { .name = "rsvp-get/unknown-event", .method = "GET", .path = "/api/v1/events/" MISSING_ID "/rsvp",
    .who = WHO_MEMBER, .status = 404, .code = "not_found" },
  { .name = "rsvp-get/not-a-uuid", .method = "GET", .path = "/api/v1/events/%FF/rsvp",
    .who = WHO_MEMBER, .status = 404, .code = "not_found" },
  { .name = "rsvp-get/deleted-event", .method = "GET", .path = "/api/v1/events/{deleted}/rsvp",
    .who = WHO_MEMBER, .status = 404, .code = "not_found" },
  { .name = "rsvp-get/private-event", .method = "GET", .path = "/api/v1/events/{private}/rsvp",
    .who = WHO_MEMBER, .status = 404, .code = "not_found" },
  AUTH_CASES ("rsvp-get", "GET", "/api/v1/events/{id}/rsvp", NULL, NULL),
  { .name = "rsvp/wrong-method", .method = "POST", .path = "/api/v1/events/{id}/rsvp",
    .who = WHO_MEMBER, .body = "{\"status\": \"going\"}", .status = 405, .code = "bad_request" },

  /* GET /api/v1/events/{id}/attendees */
  ATT_LIST ("limit-zero", "?limit=0", 422, "validation_failed", "limit"),
  ATT_LIST ("limit-501", "?limit=501", 422, "validation_failed", "limit"),
  ATT_LIST ("limit-abc", "?limit=abc", 422, "validation_failed", "limit"),
  ATT_LIST ("limit-negative", "?limit=-1", 422, "validation_failed", "limit"),
  ATT_LIST ("limit-huge", "?limit=99999999999999999999999", 422, "validation_failed", "limit"),
  ATT_LIST ("cursor-garbage", "?cursor=garbage", 422, "validation_failed", "cursor"),
  ATT_LIST ("cursor-not-base64", "?cursor=%21%21", 422, "validation_failed", "cursor"),
  ATT_LIST ("cursor-invalid-utf8", "?cursor=%FF", 422, "validation_failed", "cursor"),
  ATT_LIST ("cursor-of-events", "?cursor=" CURSOR_EVENTS, 422, "validation_failed", "cursor"),
  ATT_LIST ("cursor-not-an-id", "?cursor=" CURSOR_ATT_NOT_ID, 422, "validation_failed", "cursor"),
  ATT_LIST ("cursor-not-a-time", "?cursor=" CURSOR_ATT_NOT_TIME, 422, "validation_failed",
            "cursor"),
  ATT_LIST ("q-invalid-utf8", "?q=%FF", 422, "validation_failed", "q"),
  ATT_LIST ("q-overlong-utf8", "?q=%C0%AF", 422, "validation_failed", "q"),
  ATT_LIST ("q-too-long", "?q={Q201}", 422, "validation_failed", "q"),
  ATT_LIST ("status-unknown", "?status=sometimes", 422, "validation_failed", "status"),
  ATT_LIST ("status-uppercase", "?status=GOING", 422, "validation_failed", "status"),
  ATT_LIST ("status-invalid-utf8", "?status=go%FEing", 422, "validation_failed", "status"),
  ATT_LIST ("several-bad", "?limit=0&status=x", 422, "validation_failed", "status"),
  { .name = "attendees-list/unknown-event", .method = "GET",
    .path = "/api/v1/events/" MISSING_ID "/attendees", .who = WHO_ADMIN, .status = 404,
    .code = "not_found" },
  { .name = "attendees-list/not-a-uuid", .method = "GET", .path = "/api/v1/events/x/attendees",
    .who = WHO_ADMIN, .status = 404, .code = "not_found" },
  { .name = "attendees-list/deleted-event", .method = "GET",
    .path = "/api/v1/events/{deleted}/attendees", .who = WHO_ADMIN, .status = 404,
    .code = "not_found" },
  { .name = "attendees-list/private-as-member", .method = "GET",
    .path = "/api/v1/events/{private}/attendees", .who = WHO_MEMBER, .status = 404,
    .code = "not_found" },
  AUTH_CASES ("attendees-list", "GET", "/api/v1/events/{id}/attendees", NULL, NULL),
  DENIED ("attendees-list", "as-member", WHO_MEMBER, "GET", "/api/v1/events/{id}/attendees", NULL,
          NULL),
  DENIED ("attendees-list", "as-other-organizer", WHO_OTHER, "GET", "/api/v1/events/{id}/attendees",
          NULL, NULL),

  /* POST /api/v1/events/{id}/attendees */
  ATT_ADD ("malformed-json", "{\"name\": \"A\",", 400, "bad_request", NULL),
  ATT_ADD ("trailing-garbage", GUEST ("") " ]", 400, "bad_request", NULL),
  ATT_ADD ("array", "[" GUEST ("") "]", 400, "bad_request", NULL),
  ATT_ADD ("string", "\"Ada\"", 400, "bad_request", NULL),
  ATT_ADD ("empty-body", "", 400, "bad_request", NULL),
  ATT_ADD ("empty-object", "{}", 422, "validation_failed", "name"),
  ATT_ADD ("missing-name", "{\"email\": \"new@bad-input.example\"}", 422, "validation_failed",
           "name"),
  ATT_ADD ("missing-email", "{\"name\": \"Ada\"}", 422, "validation_failed", "email"),
  ATT_ADD ("name-number", "{\"name\": 1, \"email\": \"new@bad-input.example\"}", 422,
           "validation_failed", "name"),
  ATT_ADD ("name-null", "{\"name\": null, \"email\": \"new@bad-input.example\"}", 422,
           "validation_failed", "name"),
  ATT_ADD ("email-array", "{\"name\": \"Ada\", \"email\": [\"new@bad-input.example\"]}", 422,
           "validation_failed", "email"),
  ATT_ADD ("name-empty", "{\"name\": \"\", \"email\": \"new@bad-input.example\"}", 422,
           "validation_failed", "name"),
  ATT_ADD ("name-blank", "{\"name\": \"   \", \"email\": \"new@bad-input.example\"}", 422,
           "validation_failed", "name"),
  ATT_ADD ("name-101", "{\"name\": \"{N101}\", \"email\": \"new@bad-input.example\"}", 422,
           "validation_failed", "name"),
  ATT_ADD ("name-control", "{\"name\": \"Ada\\u0007\", \"email\": \"new@bad-input.example\"}", 422,
           "validation_failed", "name"),
  ATT_ADD ("name-newline", "{\"name\": \"Ada\\nLovelace\", \"email\": \"new@bad-input.example\"}",
           422, "validation_failed", "name"),
  ATT_ADD ("email-invalid", "{\"name\": \"Ada\", \"email\": \"not-an-address\"}", 422,
           "validation_failed", "email"),
  ATT_ADD ("email-too-long", "{\"name\": \"Ada\", \"email\": \"{A300}@example.org\"}", 422,
           "validation_failed", "email"),
  ATT_ADD ("ticket-type-41", GUEST (", \"ticket_type\": \"{T41}\""), 422, "validation_failed",
           "ticket_type"),
  ATT_ADD ("ticket-type-number", GUEST (", \"ticket_type\": 2"), 422, "validation_failed",
           "ticket_type"),
  ATT_ADD ("ticket-type-newline", GUEST (", \"ticket_type\": \"Crew\\nVIP\""), 422,
           "validation_failed", "ticket_type"),
  ATT_ADD ("note-too-long", GUEST (", \"note\": \"{D20001}\""), 422, "validation_failed", "note"),
  ATT_ADD ("note-control", GUEST (", \"note\": \"a\\u001bb\""), 422, "validation_failed", "note"),
  ATT_ADD ("status-unknown", GUEST (", \"status\": \"sometimes\""), 422, "validation_failed",
           "status"),
  ATT_ADD ("status-waitlisted", GUEST (", \"status\": \"waitlisted\""), 422, "validation_failed",
           "status"),
  ATT_ADD ("status-bool", GUEST (", \"status\": true"), 422, "validation_failed", "status"),
  ATT_ADD ("unknown-field", GUEST (", \"vip\": true"), 422, "validation_failed", "vip"),
  ATT_ADD ("read-only-ticket-code", GUEST (", \"ticket_code\": \"AAAA-BBBB\""), 422,
           "validation_failed", "ticket_code"),
  ATT_ADD ("read-only-user-id", GUEST (", \"user_id\": \"{member_uid}\""), 422, "validation_failed",
           "user_id"),
  ATT_ADD ("email-on-event", "{\"name\": \"Again\", \"email\": \"going@bad-input.example\"}", 409,
           "conflict", NULL),
  ATT_ADD ("email-on-event-case",
           "{\"name\": \"Again\", \"email\": \"INTERESTED@Bad-Input.example\"}", 409, "conflict",
           NULL),
  ATT_ADD ("email-of-member-who-answered",
           "{\"name\": \"Maria\", \"email\": \"MARIA@example.org\"}", 409, "conflict", NULL),
  ATT_ADD ("invalid-utf8", "{\"name\": \"A\xff\", \"email\": \"new@bad-input.example\"}", 400,
           "bad_request", NULL),
  ATT_ADD ("invalid-utf8-surrogate",
           "{\"name\": \"A\xed\xa0\x80\", \"email\": \"new@bad-input.example\"}", 400,
           "bad_request", NULL),
  { .name = "attendees-add/nul-byte", .method = "POST", .path = "/api/v1/events/{id}/attendees",
    .who = WHO_ORGANIZER, .body = NUL_RAW_GUEST, .body_len = sizeof (NUL_RAW_GUEST) - 1,
    .status = 400, .code = "bad_request" },
  ATT_ADD ("nul-escape", "{\"name\": \"A\\u0000B\", \"email\": \"new@bad-input.example\"}", 400,
           "bad_request", NULL),
  ATT_ADD ("too-large", GUEST (", \"note\": \"{BIG}\""), 413, "payload_too_large", NULL),
  { .name = "attendees-add/chunked", .method = "POST", .path = "/api/v1/events/{id}/attendees",
    .who = WHO_ORGANIZER, .body = GUEST (""), .chunked = TRUE, .status = 400,
    .code = "bad_request" },
  { .name = "attendees-add/content-type", .method = "POST", .path = "/api/v1/events/{id}/attendees",
    .who = WHO_ORGANIZER, .body = "name,email\nAda,new@bad-input.example\n",
    .content_type = "text/csv", .status = 400, .code = "bad_request" },
  ATT_ADD_AT ("unknown-event", "/api/v1/events/" MISSING_ID "/attendees", 404, "not_found"),
  ATT_ADD_AT ("not-a-uuid", "/api/v1/events/42/attendees", 404, "not_found"),
  ATT_ADD_AT ("deleted-event", "/api/v1/events/{deleted}/attendees", 404, "not_found"),
  ATT_ADD_AT ("cancelled-event", "/api/v1/events/{cancelled}/attendees", 409, "conflict"),
  AUTH_CASES ("attendees-add", "POST", "/api/v1/events/{id}/attendees", GUEST (""), NULL),
  DENIED ("attendees-add", "as-member", WHO_MEMBER, "POST", "/api/v1/events/{id}/attendees",
          GUEST (""), NULL),
  DENIED ("attendees-add", "as-staff", WHO_STAFF, "POST", "/api/v1/events/{id}/attendees",
          GUEST (""), NULL),
  DENIED ("attendees-add", "as-other-organizer", WHO_OTHER, "POST", "/api/v1/events/{id}/attendees",
          GUEST (""), NULL),
  { .name = "attendees-add/private-as-member", .method = "POST",
    .path = "/api/v1/events/{private}/attendees", .who = WHO_MEMBER, .body = GUEST (""),
    .status = 404, .code = "not_found" },

  /* GET /api/v1/events/{id}/attendees/{attendee_id} */
  ATT_GET ("unknown-attendee", "/api/v1/events/{id}/attendees/" MISSING_ID, WHO_ORGANIZER, 404,
           "not_found"),
  ATT_GET ("attendee-not-a-uuid", "/api/v1/events/{id}/attendees/1", WHO_ORGANIZER, 404,
           "not_found"),
  ATT_GET ("attendee-invalid-utf8", "/api/v1/events/{id}/attendees/%C0%AF", WHO_ORGANIZER, 404,
           "not_found"),
  ATT_GET ("attendee-of-another-event", "/api/v1/events/{id}/attendees/{other_guest}",
           WHO_ORGANIZER, 404, "not_found"),
  ATT_GET ("attendee-of-another-event-as-admin", "/api/v1/events/{id}/attendees/{other_guest}",
           WHO_ADMIN, 404, "not_found"),
  ATT_GET ("unknown-event", "/api/v1/events/" MISSING_ID "/attendees/{going}", WHO_ADMIN, 404,
           "not_found"),
  ATT_GET ("deleted-event", "/api/v1/events/{deleted}/attendees/{going}", WHO_ADMIN, 404,
           "not_found"),
  AUTH_CASES ("attendee-get", "GET", "/api/v1/events/{id}/attendees/{going}", NULL, NULL),
  DENIED ("attendee-get", "as-member", WHO_MEMBER, "GET", "/api/v1/events/{id}/attendees/{going}",
          NULL, NULL),
  DENIED ("attendee-get", "as-other-organizer", WHO_OTHER, "GET",
          "/api/v1/events/{id}/attendees/{going}", NULL, NULL),

  /* PATCH /api/v1/events/{id}/attendees/{attendee_id} */
  ATT_PATCH ("malformed-json", "{\"note\": ", 400, "bad_request", NULL),
  ATT_PATCH ("array", "[{\"note\": \"x\"}]", 400, "bad_request", NULL),
  ATT_PATCH ("string", "\"x\"", 400, "bad_request", NULL),
  ATT_PATCH ("empty-body", "", 400, "bad_request", NULL),
  ATT_PATCH ("ticket-type-number", "{\"ticket_type\": 1}", 422, "validation_failed", "ticket_type"),
  ATT_PATCH ("ticket-type-null", "{\"ticket_type\": null}", 422, "validation_failed",
             "ticket_type"),
  ATT_PATCH ("ticket-type-41", "{\"ticket_type\": \"{T41}\"}", 422, "validation_failed",
             "ticket_type"),
  ATT_PATCH ("ticket-type-201-accented", "{\"ticket_type\": \"{E201}\"}", 422, "validation_failed",
             "ticket_type"),
  ATT_PATCH ("ticket-type-nul-escape", "{\"ticket_type\": \"VIP\\u0000\"}", 400, "bad_request",
             NULL),
  ATT_PATCH ("ticket-type-tab", "{\"ticket_type\": \"V\\tIP\"}", 422, "validation_failed",
             "ticket_type"),
  ATT_PATCH ("note-501", "{\"note\": \"{D20001}\"}", 422, "validation_failed", "note"),
  ATT_PATCH ("note-object", "{\"note\": {\"text\": \"x\"}}", 422, "validation_failed", "note"),
  ATT_PATCH ("note-bell", "{\"note\": \"x\\u0007\"}", 422, "validation_failed", "note"),
  ATT_PATCH ("one-bad-field-among-good", "{\"note\": \"fine\", \"ticket_type\": \"{T41}\"}", 422,
             "validation_failed", "ticket_type"),
  ATT_PATCH ("status", "{\"status\": \"going\"}", 422, "validation_failed", "status"),
  ATT_PATCH ("name", "{\"name\": \"Renamed\"}", 422, "validation_failed", "name"),
  ATT_PATCH ("email", "{\"email\": \"renamed@bad-input.example\"}", 422, "validation_failed",
             "email"),
  ATT_PATCH ("ticket-code", "{\"ticket_code\": \"AAAA\"}", 422, "validation_failed", "ticket_code"),
  ATT_PATCH ("invalid-utf8", "{\"note\": \"\xfe\"}", 400, "bad_request", NULL),
  ATT_PATCH ("invalid-utf8-truncated", "{\"note\": \"a\xe2\x82\"}", 400, "bad_request", NULL),
  { .name = "attendee-patch/nul-byte", .method = "PATCH",
    .path = "/api/v1/events/{id}/attendees/{going}", .who = WHO_ORGANIZER, .body = NUL_RAW_NOTE,
    .body_len = sizeof (NUL_RAW_NOTE) - 1, .status = 400, .code = "bad_request" },
  ATT_PATCH ("too-large", "{\"note\": \"{BIG}\"}", 413, "payload_too_large", NULL),
  { .name = "attendee-patch/chunked", .method = "PATCH",
    .path = "/api/v1/events/{id}/attendees/{going}", .who = WHO_ORGANIZER,
    .body = "{\"note\": \"chunked\"}", .chunked = TRUE, .status = 400, .code = "bad_request" },
  { .name = "attendee-patch/content-type", .method = "PATCH",
    .path = "/api/v1/events/{id}/attendees/{going}", .who = WHO_ORGANIZER,
    .body = "{\"note\": \"x\"}", .content_type = "text/plain", .status = 400,
    .code = "bad_request" },
  ATT_PATCH_AT ("unknown-attendee", "/api/v1/events/{id}/attendees/" MISSING_ID, WHO_ORGANIZER, 404,
                "not_found"),
  ATT_PATCH_AT ("attendee-not-a-uuid", "/api/v1/events/{id}/attendees/all", WHO_ORGANIZER, 404,
                "not_found"),
  ATT_PATCH_AT ("attendee-of-another-event", "/api/v1/events/{id}/attendees/{other_guest}",
                WHO_ADMIN, 404, "not_found"),
  ATT_PATCH_AT ("unknown-event", "/api/v1/events/" MISSING_ID "/attendees/{going}", WHO_ADMIN, 404,
                "not_found"),
  ATT_PATCH_AT ("deleted-event", "/api/v1/events/{deleted}/attendees/{going}", WHO_ADMIN, 404,
                "not_found"),
  AUTH_CASES ("attendee-patch", "PATCH", "/api/v1/events/{id}/attendees/{going}",
              "{\"note\": \"x\"}", NULL),
  DENIED ("attendee-patch", "as-member", WHO_MEMBER, "PATCH",
          "/api/v1/events/{id}/attendees/{going}", "{\"note\": \"x\"}", NULL),
  DENIED ("attendee-patch", "as-staff", WHO_STAFF, "PATCH", "/api/v1/events/{id}/attendees/{going}",
          "{\"note\": \"x\"}", NULL),
  DENIED ("attendee-patch", "as-other-organizer", WHO_OTHER, "PATCH",
          "/api/v1/events/{id}/attendees/{going}", "{\"note\": \"x\"}", NULL),

  /* POST /api/v1/events/{id}/attendees/{attendee_id}/ticket (reissue) */
  TICKET ("reissue", "POST", "fields", "{id}", "{going}", "{\"reason\": \"lost\"}", 422,
          "validation_failed"),
  TICKET ("reissue", "POST", "malformed-json", "{id}", "{going}", "{", 400, "bad_request"),
  TICKET ("reissue", "POST", "array", "{id}", "{going}", "[]", 400, "bad_request"),
  TICKET ("reissue", "POST", "null", "{id}", "{going}", "null", 400, "bad_request"),
  TICKET ("reissue", "POST", "invalid-utf8", "{id}", "{going}", "{\"\xff\": 1}", 400,
          "bad_request"),
  TICKET ("reissue", "POST", "too-large", "{id}", "{going}", "{\"x\": \"{BIG}\"}", 413,
          "payload_too_large"),
  { .name = "ticket-reissue/chunked", .method = "POST",
    .path = "/api/v1/events/{id}/attendees/{going}/ticket", .who = WHO_ORGANIZER, .body = "{}",
    .chunked = TRUE, .status = 400, .code = "bad_request" },
  { .name = "ticket-reissue/content-type", .method = "POST",
    .path = "/api/v1/events/{id}/attendees/{going}/ticket", .who = WHO_ORGANIZER, .body = "{}",
    .content_type = "text/plain", .status = 400, .code = "bad_request" },
  TICKET ("reissue", "POST", "not-going", "{id}", "{interested}", NULL, 409, "conflict"),
  TICKET ("reissue", "POST", "unknown-attendee", "{id}", MISSING_ID, NULL, 404, "not_found"),
  TICKET ("reissue", "POST", "attendee-not-a-uuid", "{id}", "x", NULL, 404, "not_found"),
  TICKET ("reissue", "POST", "attendee-of-another-event", "{id}", "{other_guest}", NULL, 404,
          "not_found"),
  TICKET ("reissue", "POST", "unknown-event", MISSING_ID, "{going}", NULL, 404, "not_found"),
  TICKET ("reissue", "POST", "deleted-event", "{deleted}", "{going}", NULL, 404, "not_found"),
  AUTH_CASES ("ticket-reissue", "POST", "/api/v1/events/{id}/attendees/{going}/ticket", NULL, NULL),
  DENIED ("ticket-reissue", "as-member", WHO_MEMBER, "POST",
          "/api/v1/events/{id}/attendees/{going}/ticket", NULL, NULL),
  DENIED ("ticket-reissue", "as-staff", WHO_STAFF, "POST",
          "/api/v1/events/{id}/attendees/{going}/ticket", NULL, NULL),
  DENIED ("ticket-reissue", "as-other-organizer", WHO_OTHER, "POST",
          "/api/v1/events/{id}/attendees/{going}/ticket", NULL, NULL),

  /* DELETE /api/v1/events/{id}/attendees/{attendee_id}/ticket (revoke) */
  TICKET ("revoke", "DELETE", "fields", "{id}", "{going}", "{\"reason\": \"lost\"}", 422,
          "validation_failed"),
  TICKET ("revoke", "DELETE", "malformed-json", "{id}", "{going}", "{\"", 400, "bad_request"),
  TICKET ("revoke", "DELETE", "string", "{id}", "{going}", "\"now\"", 400, "bad_request"),
  TICKET ("revoke", "DELETE", "invalid-utf8", "{id}", "{going}", "{\"a\": \"\xc0\xaf\"}", 400,
          "bad_request"),
  TICKET ("revoke", "DELETE", "too-large", "{id}", "{going}", "{\"x\": \"{BIG}\"}", 413,
          "payload_too_large"),
  TICKET ("revoke", "DELETE", "unknown-attendee", "{id}", MISSING_ID, NULL, 404, "not_found"),
  TICKET ("revoke", "DELETE", "attendee-not-a-uuid", "{id}", "%FF", NULL, 404, "not_found"),
  TICKET ("revoke", "DELETE", "attendee-of-another-event", "{id}", "{other_guest}", NULL, 404,
          "not_found"),
  TICKET ("revoke", "DELETE", "unknown-event", MISSING_ID, "{going}", NULL, 404, "not_found"),
  TICKET ("revoke", "DELETE", "deleted-event", "{deleted}", "{going}", NULL, 404, "not_found"),
  AUTH_CASES ("ticket-revoke", "DELETE", "/api/v1/events/{id}/attendees/{going}/ticket", NULL,
              NULL),
  DENIED ("ticket-revoke", "as-member", WHO_MEMBER, "DELETE",
          "/api/v1/events/{id}/attendees/{going}/ticket", NULL, NULL),
  DENIED ("ticket-revoke", "as-staff", WHO_STAFF, "DELETE",
          "/api/v1/events/{id}/attendees/{going}/ticket", NULL, NULL),
  DENIED ("ticket-revoke", "as-other-organizer", WHO_OTHER, "DELETE",
          "/api/v1/events/{id}/attendees/{going}/ticket", NULL, NULL),
  { .name = "ticket/wrong-method", .method = "PUT",
    .path = "/api/v1/events/{id}/attendees/{going}/ticket", .who = WHO_ORGANIZER, .body = "{}",
    .status = 405, .code = "bad_request" },

  /* GET /api/v1/events/{id}/attendees.csv */
  BAD_TOKEN_CASES ("attendees-csv", "GET", "/api/v1/events/{id}/attendees.csv"),
  DENIED ("attendees-csv", "as-other-organizer", WHO_OTHER, "GET",
          "/api/v1/events/{id}/attendees.csv", NULL, NULL),
  { .name = "attendees-csv/not-a-uuid", .method = "GET", .path = "/api/v1/events/x/attendees.csv",
    .who = WHO_ADMIN, .status = 404, .code = "not_found" },
  { .name = "attendees-csv/deleted-event", .method = "GET",
    .path = "/api/v1/events/{deleted}/attendees.csv", .who = WHO_ADMIN, .status = 404,
    .code = "not_found" },
  { .name = "attendees-csv/private-as-member", .method = "GET",
    .path = "/api/v1/events/{private}/attendees.csv", .who = WHO_MEMBER, .status = 404,
    .code = "not_found" },

  /* POST /api/v1/events/{id}/attendees/import: the limits of server/tn-csv.c */
  IMPORT ("rows-100000", "name,email\n{ROWS100000}", 400, "bad_request", NULL),
  IMPORT ("rows-100000-distinct", "name,email\n{GUESTS100000}", 413, "payload_too_large", NULL),
  IMPORT ("rows-20001-distinct", "name,email\n{GUESTS20001}", 400, "bad_request", NULL),
  IMPORT ("columns-10000", "name,email\nA,a@bad-input.example{COLS9999}\n", 400, "bad_request",
          NULL),
  IMPORT ("columns-10000-header", "name,email{COLS9999}\nA,a@bad-input.example\n", 400,
          "bad_request", NULL),
  IMPORT ("columns-101", "name,email\nA,a@bad-input.example{COLS99}\n", 400, "bad_request", NULL),
  IMPORT ("columns-10000-after-good-rows",
          "name,email\n{GUESTS1000}B,b@bad-input.example{COLS9999}\n", 400, "bad_request", NULL),
  IMPORT ("invalid-utf8-header", "na\xffme,email\nA,a@bad-input.example\n", 400, "bad_request",
          NULL),
  IMPORT ("invalid-utf8-email", "name,email\nA,a\xfe@bad-input.example\n", 400, "bad_request",
          NULL),
  IMPORT ("invalid-utf8-quoted", "name,email\n\"A\xff\",a@bad-input.example\n", 400, "bad_request",
          NULL),
  IMPORT ("invalid-utf8-last-byte", "name,email\nA,a@bad-input.example\n\xe2\x82", 400,
          "bad_request", NULL),
  IMPORT ("invalid-utf8-surrogate", "name,email\n\xed\xa0\x80,a@bad-input.example\n", 400,
          "bad_request", NULL),
  IMPORT ("invalid-utf8-after-good-rows", "name,email\n{GUESTS1000}A\xff,a@bad-input.example\n",
          400, "bad_request", NULL),
  { .name = "import/utf16", .method = "POST", .path = "/api/v1/events/{id}/attendees/import",
    .who = WHO_ORGANIZER, .content_type = "text/csv", .body = NUL_RAW_UTF16,
    .body_len = sizeof (NUL_RAW_UTF16) - 1, .status = 400, .code = "bad_request" },
  IMPORT ("bom-only", "\xef\xbb\xbf", 400, "bad_request", NULL),
  IMPORT ("newlines-only", "\r\n\n\r\n", 400, "bad_request", NULL),
  IMPORT ("good-rows-then-bad-row", "name,email\n{GUESTS1000}C,not-an-address\n", 422,
          "validation_failed", NULL),
  IMPORT ("good-rows-then-attendee-twice",
          "name,email\n{GUESTS1000}Gabi,GOING@bad-input.example\n"
          "Gabi again,going@bad-input.example\n", 422, "validation_failed", NULL),
  IMPORT ("good-rows-then-unknown-status",
          "name,email,status\n{GUESTS1000}B,b@bad-input.example,sometimes\n", 422,
          "validation_failed", NULL),
  IMPORT_TYPE ("content-type-text-plain", "text/plain", 400),
  IMPORT_TYPE ("content-type-multipart", "multipart/form-data; boundary=x", 400),
  IMPORT_TYPE ("content-type-csv-prefix", "text/csvx", 400),
  { .name = "import/latin1", .method = "POST", .path = "/api/v1/events/{id}/attendees/import",
    .who = WHO_ORGANIZER, .content_type = "text/csv; charset=iso-8859-1",
    .body = "name,email\nJos\xe9,jose@bad-input.example\n", .status = 400, .code = "bad_request" },
  { .name = "import/empty-json", .method = "POST", .path = "/api/v1/events/{id}/attendees/import",
    .who = WHO_ORGANIZER, .body = "", .status = 400, .code = "bad_request" },
  IMPORT_AT ("deleted-event", "/api/v1/events/{deleted}/attendees/import", WHO_ORGANIZER, 404,
             "not_found"),
  IMPORT_AT ("not-a-uuid", "/api/v1/events/x/attendees/import", WHO_ORGANIZER, 404, "not_found"),
  IMPORT_AT ("cancelled-event", "/api/v1/events/{cancelled}/attendees/import", WHO_ORGANIZER, 409,
             "conflict"),
  IMPORT_AT ("private-as-member", "/api/v1/events/{private}/attendees/import", WHO_MEMBER, 404,
             "not_found"),
  IMPORT_AS ("revoked-token", WHO_REVOKED, 401, "unauthorized"),

  /* GET /api/v1/events/{id}/people */
  AUTH_CASES ("people-list", "GET", "/api/v1/events/{id}/people", NULL, NULL),
  DENIED ("people-list", "as-member", WHO_MEMBER, "GET", "/api/v1/events/{id}/people", NULL, NULL),
  DENIED ("people-list", "as-staff", WHO_STAFF, "GET", "/api/v1/events/{id}/people", NULL, NULL),
  DENIED ("people-list", "as-other-organizer", WHO_OTHER, "GET", "/api/v1/events/{id}/people", NULL,
          NULL),
  { .name = "people-list/unknown-event", .method = "GET",
    .path = "/api/v1/events/" MISSING_ID "/people", .who = WHO_ADMIN, .status = 404,
    .code = "not_found" },
  { .name = "people-list/not-a-uuid", .method = "GET", .path = "/api/v1/events/me/people",
    .who = WHO_ADMIN, .status = 404, .code = "not_found" },
  { .name = "people-list/deleted-event", .method = "GET", .path = "/api/v1/events/{deleted}/people",
    .who = WHO_ADMIN, .status = 404, .code = "not_found" },

  /* PUT /api/v1/events/{id}/people/{user_id} */
  PERSON_PUT ("malformed-json", "{\"role\": ", 400, "bad_request", NULL),
  PERSON_PUT ("trailing-garbage", "{\"role\": \"staff\"}}", 400, "bad_request", NULL),
  PERSON_PUT ("array", "[\"staff\"]", 400, "bad_request", NULL),
  PERSON_PUT ("string", "\"staff\"", 400, "bad_request", NULL),
  PERSON_PUT ("empty-body", "", 400, "bad_request", NULL),
  PERSON_PUT ("empty-object", "{}", 422, "validation_failed", "role"),
  PERSON_PUT ("role-unknown", "{\"role\": \"owner\"}", 422, "validation_failed", "role"),
  PERSON_PUT ("role-organizer", "{\"role\": \"organizer\"}", 422, "validation_failed", "role"),
  PERSON_PUT ("role-none", "{\"role\": \"none\"}", 422, "validation_failed", "role"),
  PERSON_PUT ("role-admin", "{\"role\": \"admin\"}", 422, "validation_failed", "role"),
  PERSON_PUT ("role-attendee", "{\"role\": \"attendee\"}", 422, "validation_failed", "role"),
  PERSON_PUT ("role-uppercase", "{\"role\": \"STAFF\"}", 422, "validation_failed", "role"),
  PERSON_PUT ("role-empty", "{\"role\": \"\"}", 422, "validation_failed", "role"),
  PERSON_PUT ("role-number", "{\"role\": 2}", 422, "validation_failed", "role"),
  PERSON_PUT ("role-null", "{\"role\": null}", 422, "validation_failed", "role"),
  PERSON_PUT ("unknown-field", "{\"role\": \"staff\", \"until\": \"2031-01-01T00:00:00Z\"}", 422,
              "validation_failed", "until"),
  PERSON_PUT ("invalid-utf8", "{\"role\": \"st\xff" "aff\"}", 400, "bad_request", NULL),
  { .name = "person-put/nul-byte", .method = "PUT",
    .path = "/api/v1/events/{id}/people/{member_uid}", .who = WHO_ORGANIZER, .body = NUL_RAW_ROLE,
    .body_len = sizeof (NUL_RAW_ROLE) - 1, .status = 400, .code = "bad_request" },
  PERSON_PUT ("nul-escape", "{\"role\": \"staff\\u0000\"}", 400, "bad_request", NULL),
  PERSON_PUT ("too-large", "{\"role\": \"staff\", \"x\": \"{BIG}\"}", 413, "payload_too_large",
              NULL),
  { .name = "person-put/chunked", .method = "PUT",
    .path = "/api/v1/events/{id}/people/{member_uid}", .who = WHO_ORGANIZER,
    .body = "{\"role\": \"staff\"}", .chunked = TRUE, .status = 400, .code = "bad_request" },
  { .name = "person-put/content-type", .method = "PUT",
    .path = "/api/v1/events/{id}/people/{member_uid}", .who = WHO_ORGANIZER, .body = "role=staff",
    .content_type = "application/x-www-form-urlencoded", .status = 400, .code = "bad_request" },
  PERSON_PUT_AT ("the-organizer", "/api/v1/events/{id}/people/{organizer_uid}", WHO_ORGANIZER, 422,
                 "validation_failed"),
  PERSON_PUT_AT ("the-organizer-as-admin", "/api/v1/events/{id}/people/{organizer_uid}", WHO_ADMIN,
                 422, "validation_failed"),
  PERSON_PUT_AT ("unknown-user", "/api/v1/events/{id}/people/" MISSING_ID, WHO_ORGANIZER, 404,
                 "not_found"),
  PERSON_PUT_AT ("user-not-a-uuid", "/api/v1/events/{id}/people/maria", WHO_ORGANIZER, 404,
                 "not_found"),
  PERSON_PUT_AT ("user-is-an-event", "/api/v1/events/{id}/people/{id}", WHO_ORGANIZER, 404,
                 "not_found"),
  PERSON_PUT_AT ("unknown-event", "/api/v1/events/" MISSING_ID "/people/{member_uid}", WHO_ADMIN,
                 404, "not_found"),
  PERSON_PUT_AT ("deleted-event", "/api/v1/events/{deleted}/people/{member_uid}", WHO_ADMIN, 404,
                 "not_found"),
  AUTH_CASES ("person-put", "PUT", "/api/v1/events/{id}/people/{member_uid}",
              "{\"role\": \"staff\"}", NULL),
  DENIED ("person-put", "as-member", WHO_MEMBER, "PUT", "/api/v1/events/{id}/people/{member_uid}",
          "{\"role\": \"invited\"}", NULL),
  DENIED ("person-put", "self-as-member", WHO_MEMBER, "PUT",
          "/api/v1/events/{id}/people/{member_uid}", "{\"role\": \"cohost\"}", NULL),
  DENIED ("person-put", "as-staff", WHO_STAFF, "PUT", "/api/v1/events/{id}/people/{member_uid}",
          "{\"role\": \"staff\"}", NULL),
  DENIED ("person-put", "as-other-organizer", WHO_OTHER, "PUT",
          "/api/v1/events/{id}/people/{member_uid}", "{\"role\": \"staff\"}", NULL),
  DENIED ("person-put", "cohost-makes-cohost", WHO_COHOST, "PUT",
          "/api/v1/events/{id}/people/{member_uid}", "{\"role\": \"cohost\"}", NULL),
  DENIED ("person-put", "cohost-demotes-itself", WHO_COHOST, "PUT",
          "/api/v1/events/{id}/people/{cohost_uid}", "{\"role\": \"staff\"}", NULL),

  /* DELETE /api/v1/events/{id}/people/{user_id} */
  PERSON_DELETE ("not-on-the-list", "/api/v1/events/{id}/people/{member_uid}", WHO_ORGANIZER, 404,
                 "not_found"),
  PERSON_DELETE ("the-organizer", "/api/v1/events/{id}/people/{organizer_uid}", WHO_ORGANIZER, 404,
                 "not_found"),
  PERSON_DELETE ("unknown-user", "/api/v1/events/{id}/people/" MISSING_ID, WHO_ORGANIZER, 404,
                 "not_found"),
  PERSON_DELETE ("user-not-a-uuid", "/api/v1/events/{id}/people/everyone", WHO_ORGANIZER, 404,
                 "not_found"),
  PERSON_DELETE ("unknown-event", "/api/v1/events/" MISSING_ID "/people/{staff_uid}", WHO_ADMIN,
                 404, "not_found"),
  PERSON_DELETE ("deleted-event", "/api/v1/events/{deleted}/people/{staff_uid}", WHO_ADMIN, 404,
                 "not_found"),
  PERSON_DELETE ("cohost-of-another-event", "/api/v1/events/{other_event}/people/{cohost_uid}",
                 WHO_ADMIN, 404, "not_found"),
  AUTH_CASES ("person-delete", "DELETE", "/api/v1/events/{id}/people/{staff_uid}", NULL, NULL),
  DENIED ("person-delete", "as-member", WHO_MEMBER, "DELETE",
          "/api/v1/events/{id}/people/{staff_uid}", NULL, NULL),
  DENIED ("person-delete", "staff-removes-itself", WHO_STAFF, "DELETE",
          "/api/v1/events/{id}/people/{staff_uid}", NULL, NULL),
  DENIED ("person-delete", "as-other-organizer", WHO_OTHER, "DELETE",
          "/api/v1/events/{id}/people/{staff_uid}", NULL, NULL),
  DENIED ("person-delete", "cohost-removes-itself", WHO_COHOST, "DELETE",
          "/api/v1/events/{id}/people/{cohost_uid}", NULL, NULL),

  /* GET /api/v1/categories */
  BAD_TOKEN_CASES ("categories", "GET", "/api/v1/categories"),
  { .name = "categories/wrong-method", .method = "POST", .path = "/api/v1/categories",
    .who = WHO_ADMIN, .body = "{\"slug\": \"x\", \"name\": \"X\"}", .status = 405,
    .code = "bad_request" },

  /* GET /api/v1/audit */
  AUDIT ("limit-zero", "?limit=0", 422, "limit"),
  AUDIT ("limit-501", "?limit=501", 422, "limit"),
  AUDIT ("limit-abc", "?limit=abc", 422, "limit"),
  AUDIT ("cursor-garbage", "?cursor=garbage", 422, "cursor"),
  AUDIT ("cursor-invalid-utf8", "?cursor=%FF", 422, "cursor"),
  AUDIT ("cursor-seq-0", "?cursor=" CURSOR_AUDIT_0, 422, "cursor"),
  AUDIT ("cursor-seq-negative", "?cursor=" CURSOR_AUDIT_NEGATIVE, 422, "cursor"),
  AUDIT ("cursor-seq-huge", "?cursor=" CURSOR_AUDIT_HUGE, 422, "cursor"),
  AUDIT ("cursor-of-attendees", "?cursor=" CURSOR_ATT_NOT_TIME, 422, "cursor"),
  AUDIT ("event-id-not-a-uuid", "?event_id=42", 422, "event_id"),
  AUDIT ("event-id-invalid-utf8", "?event_id=%FF", 422, "event_id"),
  AUDIT ("actor-id-not-a-uuid", "?actor_id=admin%40example.org", 422, "actor_id"),
  AUDIT ("action-unknown", "?action=event.explode", 422, "action"),
  AUDIT ("action-uppercase", "?action=EVENT.CREATE", 422, "action"),
  AUDIT ("action-invalid-utf8", "?action=event.%FF", 422, "action"),
  AUDIT ("from-garbage", "?from=yesterday", 422, "from"),
  AUDIT ("to-no-zone", "?to=2026-12-01T18:00:00", 422, "to"),
  AUDIT ("to-before-from", "?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z", 422, "to"),
  AUDIT ("to-equals-from", "?from=2026-12-01T00:00:00Z&to=2026-12-01T00:00:00Z", 422, "to"),
  AUTH_CASES ("audit", "GET", "/api/v1/audit", NULL, NULL),
  DENIED ("audit", "as-organizer", WHO_ORGANIZER, "GET", "/api/v1/audit", NULL, NULL),
  DENIED ("audit", "as-staff", WHO_STAFF, "GET", "/api/v1/audit", NULL, NULL),
  DENIED ("audit", "as-member", WHO_MEMBER, "GET", "/api/v1/audit", NULL, NULL),
  DENIED ("audit", "as-cohost", WHO_COHOST, "GET", "/api/v1/audit?event_id={id}", NULL, NULL),
  DENIED ("audit", "as-member-with-bad-filter", WHO_MEMBER, "GET", "/api/v1/audit?limit=0", NULL,
          NULL),
  { .name = "audit/wrong-method", .method = "DELETE", .path = "/api/v1/audit", .who = WHO_ADMIN,
    .status = 405, .code = "bad_request" },

  /* GET /api/v1/events?near=…&radius_km=… */
  LIST ("near-garbage", "?near=here", 422, "validation_failed", "near"),
  LIST ("near-one-number", "?near=51.3", 422, "validation_failed", "near"),
  LIST ("near-three-numbers", "?near=51.3,12.4,7", 422, "validation_failed", "near"),
  LIST ("near-empty-part", "?near=51.3,", 422, "validation_failed", "near"),
  LIST ("near-lat-91", "?near=91,12.4", 422, "validation_failed", "near"),
  LIST ("near-lon-181", "?near=51.3,-180.01", 422, "validation_failed", "near"),
  LIST ("near-nan", "?near=nan,12.4", 422, "validation_failed", "near"),
  LIST ("near-infinite", "?near=1e400,12.4", 422, "validation_failed", "near"),
  LIST ("near-hex", "?near=0x10,12.4", 422, "validation_failed", "near"),
  LIST ("near-semicolon", "?near=51.3;12.4", 422, "validation_failed", "near"),
  LIST ("near-invalid-utf8", "?near=51.3,%FF", 422, "validation_failed", "near"),
  LIST ("near-long", "?near={A300},1", 422, "validation_failed", "near"),
  LIST ("radius-zero", "?near=51.3,12.4&radius_km=0", 422, "validation_failed", "radius_km"),
  LIST ("radius-negative", "?near=51.3,12.4&radius_km=-5", 422, "validation_failed", "radius_km"),
  LIST ("radius-20001", "?near=51.3,12.4&radius_km=20001", 422, "validation_failed", "radius_km"),
  LIST ("radius-abc", "?near=51.3,12.4&radius_km=far", 422, "validation_failed", "radius_km"),
  LIST ("radius-nan", "?near=51.3,12.4&radius_km=nan", 422, "validation_failed", "radius_km"),
  LIST ("radius-infinite", "?near=51.3,12.4&radius_km=1e999", 422, "validation_failed",
        "radius_km"),
  LIST ("radius-without-near", "?radius_km=10", 422, "validation_failed", "radius_km"),
  LIST ("near-with-plain-cursor", "?near=51.3,12.4&cursor=" CURSOR_EVENTS, 422, "validation_failed",
        "cursor"),
  LIST ("plain-with-near-cursor", "?cursor=" CURSOR_NEAR, 422, "validation_failed", "cursor"),
  LIST ("near-cursor-nan", "?near=51.3,12.4&cursor=" CURSOR_NEAR_NAN, 422, "validation_failed",
        "cursor"),
  { .name = "events-list/revoked-token", .method = "GET", .path = "/api/v1/events?near=51.3,12.4",
    .who = WHO_REVOKED, .status = 401, .code = "unauthorized" },

  /* GET /api/v1/events.ics */
  ICS ("from-garbage", "?from=garbage", "from"),
  ICS ("to-number", "?to=1700000000", "to"),
  ICS ("limit-zero", "?limit=0", "limit"),
  ICS ("limit-501", "?limit=501", "limit"),
  ICS ("q-invalid-utf8", "?q=%FF", "q"),
  ICS ("q-too-long", "?q={Q201}", "q"),
  ICS ("category-invalid-utf8", "?category=caf%E9", "category"),
  ICS ("tag-too-long", "?tag={T41}", "tag"),
  ICS ("status-unknown", "?status=postponed", "status"),
  ICS ("near-garbage", "?near=here", "near"),
  ICS ("radius-without-near", "?radius_km=5", "radius_km"),
  ICS ("radius-20001", "?near=0,0&radius_km=20001", "radius_km"),
  BAD_TOKEN_CASES ("events-ics", "GET", "/api/v1/events.ics"),
  { .name = "events-ics/wrong-method", .method = "POST", .path = "/api/v1/events.ics",
    .who = WHO_ADMIN, .body = EV ("\"capacity\": 5"), .status = 405, .code = "bad_request" },

  /* GET /api/v1/events/{id}.ics */
  EVENT_ICS ("unknown-id", "/api/v1/events/" MISSING_ID ".ics", WHO_NONE),
  EVENT_ICS ("not-a-uuid", "/api/v1/events/calendar.ics", WHO_NONE),
  EVENT_ICS ("uuid-with-suffix", "/api/v1/events/{id}x.ics", WHO_NONE),
  EVENT_ICS ("double-extension", "/api/v1/events/{id}.ics.ics", WHO_NONE),
  EVENT_ICS ("invalid-utf8", "/api/v1/events/%FF%FE.ics", WHO_NONE),
  EVENT_ICS ("deleted-event", "/api/v1/events/{deleted}.ics", WHO_ADMIN),
  EVENT_ICS ("private-anonymous", "/api/v1/events/{private}.ics", WHO_NONE),
  EVENT_ICS ("private-as-member", "/api/v1/events/{private}.ics", WHO_MEMBER),
  BAD_TOKEN_CASES ("event-ics", "GET", "/api/v1/events/{id}.ics"),
  { .name = "event-ics/wrong-method", .method = "DELETE", .path = "/api/v1/events/{id}.ics",
    .who = WHO_ORGANIZER, .status = 405, .code = "bad_request" },

  /* POST /api/v1/devices/pairing */
  PAIRING ("malformed-json", "{\"event_id\": ", WHO_ORGANIZER, 400, "bad_request", NULL),
  PAIRING ("array", "[\"{door}\", \"steward\"]", WHO_ORGANIZER, 400, "bad_request", NULL),
  PAIRING ("invalid-utf8", "{\"event_id\": \"{door}\", \"role\": \"steward\", \"name\": \"\xff\"}", WHO_ORGANIZER,
           400, "bad_request", NULL),
  PAIRING ("event-missing", "{\"role\": \"steward\"}", WHO_ORGANIZER, 422, "validation_failed", "event_id"),
  PAIRING ("event-number", "{\"event_id\": 7, \"role\": \"steward\"}", WHO_ORGANIZER, 422, "validation_failed",
           "event_id"),
  PAIRING ("event-not-uuid", "{\"event_id\": \"door\", \"role\": \"steward\"}", WHO_ORGANIZER, 422,
           "validation_failed", "event_id"),
  PAIRING ("role-unknown", "{\"event_id\": \"{door}\", \"role\": \"bouncer\"}", WHO_ORGANIZER, 422,
           "validation_failed", "role"),
  PAIRING ("role-missing", "{\"event_id\": \"{door}\"}", WHO_ORGANIZER, 422, "validation_failed", "role"),
  PAIRING ("name-too-long", "{\"event_id\": \"{door}\", \"role\": \"steward\", \"name\": \"{A201}\"}",
           WHO_ORGANIZER, 422, "validation_failed", "name"),
  PAIRING ("name-empty", "{\"event_id\": \"{door}\", \"role\": \"steward\", \"name\": \"  \"}", WHO_ORGANIZER,
           422, "validation_failed", "name"),
  PAIRING ("name-control", "{\"event_id\": \"{door}\", \"role\": \"steward\", \"name\": \"a\\u0007b\"}",
           WHO_ORGANIZER, 422, "validation_failed", "name"),
  PAIRING ("unknown-field", "{\"event_id\": \"{door}\", \"role\": \"steward\", \"token\": \"x\"}",
           WHO_ORGANIZER, 422, "validation_failed", "token"),
  PAIRING ("unknown-event", "{\"event_id\": \"" MISSING_ID "\", \"role\": \"steward\"}", WHO_ORGANIZER, 404,
           "not_found", NULL),
  PAIRING ("deleted-event", "{\"event_id\": \"{deleted}\", \"role\": \"steward\"}", WHO_ADMIN, 404,
           "not_found", NULL),
  PAIRING ("private-as-member", "{\"event_id\": \"{private}\", \"role\": \"steward\"}", WHO_MEMBER, 404,
           "not_found", NULL),
  PAIRING ("as-member", "{\"event_id\": \"{door}\", \"role\": \"steward\"}", WHO_MEMBER, 403, "forbidden", NULL),
  PAIRING ("as-other-organizer", "{\"event_id\": \"{door}\", \"role\": \"steward\"}", WHO_OTHER, 403,
           "forbidden", NULL),
  PAIRING ("as-unassigned-staff", "{\"event_id\": \"{door}\", \"role\": \"steward\"}", WHO_STAFF, 403,
           "forbidden", NULL),
  PAIRING ("as-device", "{\"event_id\": \"{door}\", \"role\": \"steward\"}", WHO_DEVICE, 403, "forbidden", NULL),
  AUTH_CASES ("devices-pairing", "POST", "/api/v1/devices/pairing", "{\"event_id\": \"{door}\", \"role\": \"steward\"}",
              NULL),
  DEVICE_AUTH_CASES ("devices-pairing", "POST", "/api/v1/devices/pairing",
                     "{\"event_id\": \"{door}\", \"role\": \"steward\"}"),

  /* POST /api/v1/devices */
  PAIR ("malformed-json", "{\"pairing_code\": \"AAAA", 400, "bad_request", NULL),
  PAIR ("empty-body", "", 400, "bad_request", NULL),
  PAIR ("invalid-utf8", "{\"pairing_code\": \"\xc3\x28\", \"name\": \"Door\"}", 400, "bad_request", NULL),
  PAIR ("code-number", "{\"pairing_code\": 1234, \"name\": \"Door\"}", 422, "validation_failed", "pairing_code"),
  PAIR ("code-missing", "{\"name\": \"Door\"}", 422, "validation_failed", "pairing_code"),
  PAIR ("name-missing", "{\"pairing_code\": \"AAAA-AAAA-AAAA\"}", 422, "validation_failed", "name"),
  PAIR ("name-too-long", "{\"pairing_code\": \"AAAA-AAAA-AAAA\", \"name\": \"{A201}\"}", 422,
        "validation_failed", "name"),
  PAIR ("unknown-field", "{\"pairing_code\": \"AAAA-AAAA-AAAA\", \"name\": \"Door\", \"role\": \"supervisor\"}",
        422, "validation_failed", "role"),
  PAIR ("wrong-code", "{\"pairing_code\": \"AAAA-AAAA-AAAA\", \"name\": \"Door\"}", 401, "unauthorized", NULL),
  PAIR ("garbage-code", "{\"pairing_code\": \"' OR 1=1 --\", \"name\": \"Door\"}", 401, "unauthorized", NULL),
  PAIR ("huge-code", "{\"pairing_code\": \"{A300}\", \"name\": \"Door\"}", 401, "unauthorized", NULL),

  /* GET /api/v1/devices */
  DEVICES_GET ("event-missing", "", WHO_ORGANIZER, 422, "validation_failed", "event_id"),
  DEVICES_GET ("event-not-uuid", "?event_id=door", WHO_ORGANIZER, 422, "validation_failed", "event_id"),
  DEVICES_GET ("unknown-event", "?event_id=" MISSING_ID, WHO_ORGANIZER, 404, "not_found", NULL),
  DEVICES_GET ("as-member", "?event_id={door}", WHO_MEMBER, 403, "forbidden", NULL),
  DEVICES_GET ("as-other-organizer", "?event_id={door}", WHO_OTHER, 403, "forbidden", NULL),
  DEVICES_GET ("as-device", "?event_id={door}", WHO_DEVICE, 403, "forbidden", NULL),
  AUTH_CASES ("devices-list", "GET", "/api/v1/devices?event_id={door}", NULL, NULL),
  DEVICE_AUTH_CASES ("devices-list", "GET", "/api/v1/devices?event_id={door}", NULL),

  /* PATCH and DELETE /api/v1/devices/{id} */
  DEVICE_PATCH ("malformed-json", "/api/v1/devices/{door_device}", WHO_ORGANIZER, "{\"name\": ", 400,
                "bad_request", NULL),
  DEVICE_PATCH ("name-number", "/api/v1/devices/{door_device}", WHO_ORGANIZER, "{\"name\": 5}", 422,
                "validation_failed", "name"),
  DEVICE_PATCH ("name-empty", "/api/v1/devices/{door_device}", WHO_ORGANIZER, "{\"name\": \"\"}", 422,
                "validation_failed", "name"),
  DEVICE_PATCH ("name-too-long", "/api/v1/devices/{door_device}", WHO_ORGANIZER, "{\"name\": \"{E201}\"}", 422,
                "validation_failed", "name"),
  DEVICE_PATCH ("role-field", "/api/v1/devices/{door_device}", WHO_ORGANIZER,
                "{\"name\": \"Door\", \"role\": \"supervisor\"}", 422, "validation_failed", "role"),
  DEVICE_PATCH ("unknown-id", "/api/v1/devices/" MISSING_ID, WHO_ORGANIZER, "{\"name\": \"Door\"}", 404,
                "not_found", NULL),
  DEVICE_PATCH ("not-a-uuid", "/api/v1/devices/door", WHO_ORGANIZER, "{\"name\": \"Door\"}", 404,
                "not_found", NULL),
  DEVICE_PATCH ("as-member", "/api/v1/devices/{door_device}", WHO_MEMBER, "{\"name\": \"Mine\"}", 403,
                "forbidden", NULL),
  DEVICE_PATCH ("as-other-organizer", "/api/v1/devices/{door_device}", WHO_OTHER, "{\"name\": \"Mine\"}", 403,
                "forbidden", NULL),
  DEVICE_PATCH ("as-device", "/api/v1/devices/{door_device}", WHO_DEVICE, "{\"name\": \"Mine\"}", 403,
                "forbidden", NULL),
  AUTH_CASES ("device-patch", "PATCH", "/api/v1/devices/{door_device}", "{\"name\": \"Mine\"}", NULL),
  DEVICE_AUTH_CASES ("device-patch", "PATCH", "/api/v1/devices/{door_device}", "{\"name\": \"Mine\"}"),
  DEVICE_DELETE ("unknown-id", "/api/v1/devices/" MISSING_ID, WHO_ORGANIZER, 404, "not_found"),
  DEVICE_DELETE ("as-member", "/api/v1/devices/{door_device}", WHO_MEMBER, 403, "forbidden"),
  DEVICE_DELETE ("as-other-organizer", "/api/v1/devices/{door_device}", WHO_OTHER, 403, "forbidden"),
  DEVICE_DELETE ("as-itself", "/api/v1/devices/{door_device}", WHO_DEVICE, 403, "forbidden"),
  { .name = "device-delete/with-fields", .method = "DELETE", .path = "/api/v1/devices/{door_device}",
    .who = WHO_ORGANIZER, .body = "{\"now\": true}", .status = 422, .code = "validation_failed" },
  AUTH_CASES ("device-delete", "DELETE", "/api/v1/devices/{door_device}", NULL, NULL),
  DEVICE_AUTH_CASES ("device-delete", "DELETE", "/api/v1/devices/{door_device}", NULL),

  /* POST /api/v1/checkins */
  CHECKINS ("malformed-json", "{\"scans\": [", WHO_DEVICE, 400, "bad_request", NULL),
  CHECKINS ("array", "[]", WHO_DEVICE, 400, "bad_request", NULL),
  CHECKINS ("empty-body", "", WHO_DEVICE, 400, "bad_request", NULL),
  CHECKINS ("invalid-utf8", SCAN (SCAN_OK_ID ", " SCAN_OK_EVENT ", \"code\": \"\xff\xfe\", \"direction\": \"in\", "
                                  "\"scanned_at\": \"{NOW}\", \"device\": \"Door\""), WHO_DEVICE, 400, "bad_request",
            NULL),
  CHECKINS ("scans-missing", "{}", WHO_DEVICE, 422, "validation_failed", "scans"),
  CHECKINS ("scans-object", "{\"scans\": {}}", WHO_DEVICE, 422, "validation_failed", "scans"),
  CHECKINS ("scans-empty", "{\"scans\": []}", WHO_DEVICE, 422, "validation_failed", "scans"),
  CHECKINS ("scans-1001", "{\"scans\": [{SCANS1001}]}", WHO_DEVICE, 422, "validation_failed", "scans"),
  CHECKINS ("scans-1001-as-organizer", "{\"scans\": [{SCANS1001}]}", WHO_ORGANIZER, 422, "validation_failed",
            "scans"),
  CHECKINS ("unknown-field", "{\"scans\": [{SCANS1}], \"device\": \"x\"}", WHO_DEVICE, 422,
            "validation_failed", "device"),
  CHECKINS ("scan-number", "{\"scans\": [42]}", WHO_DEVICE, 422, "validation_failed", "scans[0]"),
  CHECKINS ("scan-second-bad", "{\"scans\": [{SCANS1}, null]}", WHO_DEVICE, 422, "validation_failed", "scans[1]"),
  CHECKINS ("id-not-uuid", SCAN ("\"id\": \"scan-1\", " SCAN_OK_EVENT ", " SCAN_OK_REST), WHO_DEVICE, 422,
            "validation_failed", "scans[0].id"),
  CHECKINS ("id-missing", SCAN (SCAN_OK_EVENT ", " SCAN_OK_REST), WHO_DEVICE, 422, "validation_failed",
            "scans[0].id"),
  CHECKINS ("event-number", SCAN (SCAN_OK_ID ", \"event_id\": 3, " SCAN_OK_REST), WHO_DEVICE, 422,
            "validation_failed", "scans[0].event_id"),
  CHECKINS ("code-empty", SCAN (SCAN_OK_ID ", " SCAN_OK_EVENT ", \"code\": \"\", \"direction\": \"in\", "
                                "\"scanned_at\": \"{NOW}\", \"device\": \"Door\""), WHO_DEVICE, 422,
            "validation_failed", "scans[0].code"),
  CHECKINS ("code-too-long", SCAN (SCAN_OK_ID ", " SCAN_OK_EVENT ", \"code\": \"{A300}x\", \"direction\": \"in\", "
                                   "\"scanned_at\": \"{NOW}\", \"device\": \"Door\""), WHO_DEVICE, 422,
            "validation_failed", "scans[0].code"),
  CHECKINS ("code-null", SCAN (SCAN_OK_ID ", " SCAN_OK_EVENT ", \"code\": null, \"direction\": \"in\", "
                               "\"scanned_at\": \"{NOW}\", \"device\": \"Door\""), WHO_DEVICE, 422,
            "validation_failed", "scans[0].code"),
  CHECKINS ("direction-unknown", SCAN (SCAN_OK_ID ", " SCAN_OK_EVENT ", \"code\": \"{door_code}\", "
                                       "\"direction\": \"through\", \"scanned_at\": \"{NOW}\", \"device\": \"Door\""),
            WHO_DEVICE, 422, "validation_failed", "scans[0].direction"),
  CHECKINS ("scanned-at-garbage", SCAN (SCAN_OK_ID ", " SCAN_OK_EVENT ", \"code\": \"{door_code}\", "
                                        "\"direction\": \"in\", \"scanned_at\": \"2026-13-45T99:00:00Z\", "
                                        "\"device\": \"Door\""),
            WHO_DEVICE, 422, "validation_failed", "scans[0].scanned_at"),
  CHECKINS ("scanned-at-no-zone", SCAN (SCAN_OK_ID ", " SCAN_OK_EVENT ", \"code\": \"{door_code}\", "
                                        "\"direction\": \"in\", \"scanned_at\": \"2026-11-22T18:00:00\", "
                                        "\"device\": \"Door\""),
            WHO_DEVICE, 422, "validation_failed", "scans[0].scanned_at"),
  CHECKINS ("scanned-at-number", SCAN (SCAN_OK_ID ", " SCAN_OK_EVENT ", \"code\": \"{door_code}\", "
                                       "\"direction\": \"in\", \"scanned_at\": 1700000000, \"device\": \"Door\""),
            WHO_DEVICE, 422, "validation_failed", "scans[0].scanned_at"),
  CHECKINS ("scanned-at-future", SCAN (SCAN_OK_ID ", " SCAN_OK_EVENT ", \"code\": \"{door_code}\", "
                                       "\"direction\": \"in\", \"scanned_at\": \"2999-01-01T00:00:00Z\", "
                                       "\"device\": \"Door\""),
            WHO_DEVICE, 422, "validation_failed", "scans[0].scanned_at"),
  CHECKINS ("scanned-at-1970", SCAN (SCAN_OK_ID ", " SCAN_OK_EVENT ", \"code\": \"{door_code}\", "
                                     "\"direction\": \"in\", \"scanned_at\": \"1970-01-01T00:00:00Z\", "
                                     "\"device\": \"Door\""),
            WHO_DEVICE, 422, "validation_failed", "scans[0].scanned_at"),
  CHECKINS ("scanned-at-1970-signed", SCAN (SCAN_OK_ID ", " SCAN_OK_EVENT ", \"code\": \"{door_signed}\", "
                                            "\"direction\": \"in\", \"scanned_at\": \"1970-01-01T00:00:00Z\", "
                                            "\"device\": \"Door\""),
            WHO_ORGANIZER, 422, "validation_failed", "scans[0].scanned_at"),
  CHECKINS ("device-number", SCAN (SCAN_OK_ID ", " SCAN_OK_EVENT ", \"code\": \"{door_code}\", "
                                   "\"direction\": \"in\", \"scanned_at\": \"{NOW}\", \"device\": 12"),
            WHO_DEVICE, 422, "validation_failed", "scans[0].device"),
  CHECKINS ("device-empty", SCAN (SCAN_OK_ID ", " SCAN_OK_EVENT ", \"code\": \"{door_code}\", "
                                  "\"direction\": \"in\", \"scanned_at\": \"{NOW}\", \"device\": \"\""),
            WHO_DEVICE, 422, "validation_failed", "scans[0].device"),
  CHECKINS ("device-control", SCAN (SCAN_OK_ID ", " SCAN_OK_EVENT ", \"code\": \"{door_code}\", "
                                    "\"direction\": \"in\", \"scanned_at\": \"{NOW}\", \"device\": \"a\\nb\""),
            WHO_DEVICE, 422, "validation_failed", "scans[0].device"),
  CHECKINS ("local-verdict-unknown", SCAN (SCAN_OK_ID ", " SCAN_OK_EVENT ", " SCAN_OK_REST
                                           ", \"local_verdict\": \"welcome\""),
            WHO_DEVICE, 422, "validation_failed", "scans[0].local_verdict"),
  CHECKINS ("scan-unknown-field", SCAN (SCAN_OK_ID ", " SCAN_OK_EVENT ", " SCAN_OK_REST ", \"verdict\": \"accepted\""),
            WHO_DEVICE, 422, "validation_failed", "scans[0].verdict"),
  CHECKINS ("good-then-bad", "{\"scans\": [{SCANS1}, {\"id\": \"x\"}]}", WHO_DEVICE, 422, "validation_failed",
            "scans[1].code"),
  CHECKINS ("unknown-event", SCAN (SCAN_OK_ID ", \"event_id\": \"" MISSING_ID "\", " SCAN_OK_REST), WHO_ORGANIZER,
            404, "not_found", NULL),
  CHECKINS ("deleted-event", SCAN (SCAN_OK_ID ", \"event_id\": \"{deleted}\", " SCAN_OK_REST), WHO_ADMIN,
            404, "not_found", NULL),
  CHECKINS ("private-as-member", SCAN (SCAN_OK_ID ", \"event_id\": \"{private}\", " SCAN_OK_REST), WHO_MEMBER,
            404, "not_found", NULL),
  CHECKINS ("as-member", SCAN_OK, WHO_MEMBER, 403, "forbidden", NULL),
  CHECKINS ("as-other-organizer", SCAN_OK, WHO_OTHER, 403, "forbidden", NULL),
  CHECKINS ("as-unassigned-staff", SCAN_OK, WHO_STAFF, 403, "forbidden", NULL),
  CHECKINS ("device-of-another-event", SCAN_OK, WHO_DEVICE_OTHER, 404, "not_found", NULL),
  CHECKINS ("device-another-event", SCAN (SCAN_OK_ID ", \"event_id\": \"{other_door}\", " SCAN_OK_REST), WHO_DEVICE,
            404, "not_found", NULL),
  CHECKINS ("scan-id-of-another-event", SCAN ("\"id\": \"{door_scan}\", \"event_id\": \"{other_door}\", "
                                              SCAN_OK_REST), WHO_ADMIN, 409, "conflict", NULL),
  AUTH_CASES ("checkins", "POST", "/api/v1/checkins", SCAN_OK, NULL),
  DEVICE_AUTH_CASES ("checkins", "POST", "/api/v1/checkins", SCAN_OK),

  /* DELETE /api/v1/checkins/{id} */
  UNDO ("unknown-id", "/api/v1/checkins/" MISSING_ID, WHO_ORGANIZER, 404, "not_found"),
  UNDO ("not-a-uuid", "/api/v1/checkins/scan", WHO_ORGANIZER, 404, "not_found"),
  UNDO ("as-member", "/api/v1/checkins/{door_scan}", WHO_MEMBER, 403, "forbidden"),
  UNDO ("as-other-organizer", "/api/v1/checkins/{door_scan}", WHO_OTHER, 403, "forbidden"),
  UNDO ("as-steward-device", "/api/v1/checkins/{door_scan}", WHO_DEVICE, 403, "forbidden"),
  UNDO ("as-device-of-another-event", "/api/v1/checkins/{door_scan}", WHO_DEVICE_OTHER, 404, "not_found"),
  { .name = "checkin-undo/with-fields", .method = "DELETE", .path = "/api/v1/checkins/{door_scan}",
    .who = WHO_ORGANIZER, .body = "{\"why\": \"mistake\"}", .status = 422, .code = "validation_failed" },
  AUTH_CASES ("checkin-undo", "DELETE", "/api/v1/checkins/{door_scan}", NULL, NULL),
  DEVICE_AUTH_CASES ("checkin-undo", "DELETE", "/api/v1/checkins/{door_scan}", NULL),

  /* GET /api/v1/sync */
  SYNC ("event-missing", "", WHO_ORGANIZER, 422, "validation_failed", "event_id"),
  SYNC ("event-not-uuid", "?event_id=%FF", WHO_ORGANIZER, 422, "validation_failed", "event_id"),
  SYNC ("since-garbage", "?event_id={door}&since=abc", WHO_DEVICE, 422, "validation_failed", "since"),
  SYNC ("since-negative", "?event_id={door}&since=-5", WHO_DEVICE, 422, "validation_failed", "since"),
  SYNC ("since-huge", "?event_id={door}&since=99999999999999999999", WHO_DEVICE, 422, "validation_failed", "since"),
  SYNC ("limit-zero", "?event_id={door}&limit=0", WHO_DEVICE, 422, "validation_failed", "limit"),
  SYNC ("limit-5001", "?event_id={door}&limit=5001", WHO_DEVICE, 422, "validation_failed", "limit"),
  SYNC ("limit-garbage", "?event_id={door}&limit=all", WHO_DEVICE, 422, "validation_failed", "limit"),
  SYNC ("unknown-event", "?event_id=" MISSING_ID, WHO_ADMIN, 404, "not_found", NULL),
  SYNC ("deleted-event", "?event_id={deleted}", WHO_ADMIN, 404, "not_found", NULL),
  SYNC ("private-as-member", "?event_id={private}", WHO_MEMBER, 404, "not_found", NULL),
  SYNC ("as-member", "?event_id={door}", WHO_MEMBER, 403, "forbidden", NULL),
  SYNC ("as-other-organizer", "?event_id={door}", WHO_OTHER, 403, "forbidden", NULL),
  SYNC ("device-another-event", "?event_id={door}", WHO_DEVICE_OTHER, 404, "not_found", NULL),
  SYNC ("device-demo-event", "?event_id={id}", WHO_DEVICE, 404, "not_found", NULL),
  AUTH_CASES ("sync", "GET", "/api/v1/sync?event_id={door}", NULL, NULL),
  DEVICE_AUTH_CASES ("sync", "GET", "/api/v1/sync?event_id={door}", NULL),

  /* GET /api/v1/events/{id}/stats: the team and the event's devices */
  { .name = "stats/as-member", .method = "GET", .path = "/api/v1/events/{door}/stats", .who = WHO_MEMBER,
    .status = 403, .code = "forbidden" },
  { .name = "stats/as-other-organizer", .method = "GET", .path = "/api/v1/events/{door}/stats", .who = WHO_OTHER,
    .status = 403, .code = "forbidden" },
  { .name = "stats/private-as-member", .method = "GET", .path = "/api/v1/events/{private}/stats",
    .who = WHO_MEMBER, .status = 404, .code = "not_found" },
  { .name = "stats/unknown-event", .method = "GET", .path = "/api/v1/events/" MISSING_ID "/stats",
    .who = WHO_ADMIN, .status = 404, .code = "not_found" },
  { .name = "stats/device-another-event", .method = "GET", .path = "/api/v1/events/{door}/stats",
    .who = WHO_DEVICE_OTHER, .status = 404, .code = "not_found" },
  { .name = "stats/device-demo-event", .method = "GET", .path = "/api/v1/events/{id}/stats",
    .who = WHO_DEVICE, .status = 404, .code = "not_found" },
  AUTH_CASES ("stats", "GET", "/api/v1/events/{door}/stats", NULL, NULL),
  DEVICE_AUTH_CASES ("stats", "GET", "/api/v1/events/{door}/stats", NULL),

  /* GET /api/v1/events/{id}/live: rights first, then a WebSocket handshake
   * or a 400 (tests/server/test-live.c opens real WebSockets) */
  { .name = "live/not-a-handshake", .method = "GET", .path = "/api/v1/events/{door}/live", .who = WHO_ORGANIZER,
    .status = 400, .code = "bad_request" },
  { .name = "live/device-not-a-handshake", .method = "GET", .path = "/api/v1/events/{door}/live",
    .who = WHO_DEVICE, .status = 400, .code = "bad_request" },
  { .name = "live/as-member", .method = "GET", .path = "/api/v1/events/{door}/live", .who = WHO_MEMBER,
    .status = 403, .code = "forbidden" },
  { .name = "live/as-other-organizer", .method = "GET", .path = "/api/v1/events/{door}/live", .who = WHO_OTHER,
    .status = 403, .code = "forbidden" },
  { .name = "live/private-as-member", .method = "GET", .path = "/api/v1/events/{private}/live",
    .who = WHO_MEMBER, .status = 404, .code = "not_found" },
  { .name = "live/unknown-event", .method = "GET", .path = "/api/v1/events/" MISSING_ID "/live",
    .who = WHO_ADMIN, .status = 404, .code = "not_found" },
  { .name = "live/not-an-id", .method = "GET", .path = "/api/v1/events/%FF%FE/live",
    .who = WHO_ADMIN, .status = 404, .code = "not_found" },
  { .name = "live/deleted-event", .method = "GET", .path = "/api/v1/events/{deleted}/live",
    .who = WHO_ADMIN, .status = 404, .code = "not_found" },
  { .name = "live/device-another-event", .method = "GET", .path = "/api/v1/events/{door}/live",
    .who = WHO_DEVICE_OTHER, .status = 404, .code = "not_found" },
  { .name = "live/with-a-body", .method = "GET", .path = "/api/v1/events/{door}/live", .who = WHO_ORGANIZER,
    .body = "{\"hello\": 1}", .status = 400, .code = "bad_request" },
  AUTH_CASES ("live", "GET", "/api/v1/events/{door}/live", NULL, NULL),
  DEVICE_AUTH_CASES ("live", "GET", "/api/v1/events/{door}/live", NULL),

  /* A device token on routes that are not for devices */
  { .name = "device-scope/users", .method = "GET", .path = "/api/v1/users", .who = WHO_DEVICE, .status = 403,
    .code = "forbidden" },
  { .name = "device-scope/me", .method = "GET", .path = "/api/v1/me", .who = WHO_DEVICE, .status = 403,
    .code = "forbidden" },
  { .name = "device-scope/event-patch", .method = "PATCH", .path = "/api/v1/events/{door}", .who = WHO_DEVICE,
    .if_match = "\"1\"", .body = "{\"title\": \"Taken over\"}", .status = 403, .code = "forbidden" },
  { .name = "device-scope/event-delete", .method = "DELETE", .path = "/api/v1/events/{door}", .who = WHO_DEVICE,
    .status = 403, .code = "forbidden" },
  { .name = "device-scope/attendees", .method = "GET", .path = "/api/v1/events/{door}/attendees",
    .who = WHO_DEVICE, .status = 403, .code = "forbidden" },
  { .name = "device-scope/rsvp", .method = "PUT", .path = "/api/v1/events/{door}/rsvp", .who = WHO_DEVICE,
    .body = "{\"status\": \"going\"}", .status = 403, .code = "forbidden" },
  { .name = "device-scope/ticket-revoke", .method = "DELETE",
    .path = "/api/v1/events/{id}/attendees/{going}/ticket", .who = WHO_DEVICE, .status = 403, .code = "forbidden" },
  { .name = "device-scope/logout", .method = "POST", .path = "/api/v1/auth/logout", .who = WHO_DEVICE,
    .status = 403, .code = "forbidden" },
  { .name = "device-scope/other-event", .method = "GET", .path = "/api/v1/events/{other_door}", .who = WHO_DEVICE,
    .status = 404, .code = "not_found" },
  { .name = "device-scope/private-event", .method = "GET", .path = "/api/v1/events/{private}", .who = WHO_DEVICE,
    .status = 404, .code = "not_found" },
  DEVICE_AUTH_CASES ("device-scope/event-get", "GET", "/api/v1/events/{door}", NULL),

  /* PUT and DELETE /api/v1/users/{id}/follow */
  FOLLOW ("self", "PUT", "/api/v1/users/{member_uid}/follow", WHO_MEMBER, NULL, 422, "validation_failed", "id"),
  FOLLOW ("unknown-user", "PUT", "/api/v1/users/" MISSING_ID "/follow", WHO_MEMBER, NULL, 404, "not_found", NULL),
  FOLLOW ("not-a-uuid", "PUT", "/api/v1/users/maria/follow", WHO_MEMBER, NULL, 404, "not_found", NULL),
  FOLLOW ("user-is-an-event", "PUT", "/api/v1/users/{id}/follow", WHO_MEMBER, NULL, 404, "not_found", NULL),
  FOLLOW ("invalid-utf8-id", "PUT", "/api/v1/users/%FF%FE/follow", WHO_MEMBER, NULL, 404, "not_found", NULL),
  FOLLOW ("with-fields", "PUT", "/api/v1/users/{organizer_uid}/follow", WHO_MEMBER, "{\"notify\": true}", 422,
          "validation_failed", NULL),
  FOLLOW ("not-json", "PUT", "/api/v1/users/{organizer_uid}/follow", WHO_MEMBER, "follow", 400, "bad_request",
          NULL),
  FOLLOW ("too-large", "PUT", "/api/v1/users/{organizer_uid}/follow", WHO_MEMBER, "{\"x\": \"{BIG}\"}", 413,
          "payload_too_large", NULL),
  FOLLOW ("unfollow-unknown-user", "DELETE", "/api/v1/users/" MISSING_ID "/follow", WHO_MEMBER, NULL, 404,
          "not_found", NULL),
  FOLLOW ("unfollow-not-a-uuid", "DELETE", "/api/v1/users/me/follow", WHO_MEMBER, NULL, 404, "not_found", NULL),
  AUTH_CASES ("follow-put", "PUT", "/api/v1/users/{organizer_uid}/follow", NULL, NULL),
  AUTH_CASES ("follow-delete", "DELETE", "/api/v1/users/{organizer_uid}/follow", NULL, NULL),
  { .name = "device-scope/follow", .method = "PUT", .path = "/api/v1/users/{organizer_uid}/follow",
    .who = WHO_DEVICE, .status = 403, .code = "forbidden" },

  /* GET /api/v1/users/{id}/followers and …/following */
  FOLLOWS_LIST ("limit-zero", "?limit=0", 422, "validation_failed", "limit"),
  FOLLOWS_LIST ("limit-too-big", "?limit=501", 422, "validation_failed", "limit"),
  FOLLOWS_LIST ("limit-not-a-number", "?limit=ten", 422, "validation_failed", "limit"),
  FOLLOWS_LIST ("cursor-garbage", "?cursor=!!!", 422, "validation_failed", "cursor"),
  FOLLOWS_LIST ("cursor-invalid-utf8", "?cursor=%FF", 422, "validation_failed", "cursor"),
  FOLLOWS_LIST ("cursor-of-events", "?cursor=" CURSOR_EVENTS, 422, "validation_failed", "cursor"),
  FOLLOWS_LIST ("cursor-not-a-time", "?cursor=" CURSOR_FOL_NOT_TIME, 422, "validation_failed", "cursor"),
  FOLLOWS_LIST ("cursor-not-an-id", "?cursor=" CURSOR_FOL_NOT_ID, 422, "validation_failed", "cursor"),
  { .name = "follows-list/unknown-user", .method = "GET", .path = "/api/v1/users/" MISSING_ID "/following",
    .who = WHO_MEMBER, .status = 404, .code = "not_found" },
  { .name = "follows-list/not-a-uuid", .method = "GET", .path = "/api/v1/users/olivia/followers",
    .who = WHO_MEMBER, .status = 404, .code = "not_found" },
  AUTH_CASES ("followers", "GET", "/api/v1/users/{organizer_uid}/followers", NULL, NULL),
  AUTH_CASES ("following", "GET", "/api/v1/users/{organizer_uid}/following", NULL, NULL),

  /* GET /api/v1/recommendations, /api/v1/events/{id}/similar, /api/v1/trending */
  RECS ("limit-zero", "?limit=0", 422, "validation_failed", "limit"),
  RECS ("limit-51", "?limit=51", 422, "validation_failed", "limit"),
  RECS ("limit-not-a-number", "?limit=ten", 422, "validation_failed", "limit"),
  RECS ("limit-negative", "?limit=-3", 422, "validation_failed", "limit"),
  RECS ("limit-huge", "?limit=99999999999999999999", 422, "validation_failed", "limit"),
  RECS ("near-one-number", "?near=51.3", 422, "validation_failed", "near"),
  RECS ("near-out-of-range", "?near=91,12", 422, "validation_failed", "near"),
  RECS ("near-words", "?near=here,there", 422, "validation_failed", "near"),
  RECS ("near-invalid-utf8", "?near=%FF,%FE", 422, "validation_failed", "near"),
  RECS ("radius-without-meaning", "?near=51.3,12.3&radius_km=2", 422, "validation_failed", "radius_km"),
  RECS ("category-invalid-utf8", "?category=Te%FFch", 422, "validation_failed", "category"),
  RECS ("category-too-long", "?category={N101}", 422, "validation_failed", "category"),
  { .name = "similar/private-event-of-another", .method = "GET", .path = "/api/v1/events/{private}/similar",
    .who = WHO_MEMBER, .status = 404, .code = "not_found" },
  AUTH_CASES ("recommendations", "GET", "/api/v1/recommendations", NULL, NULL),
  { .name = "device-scope/recommendations", .method = "GET", .path = "/api/v1/recommendations",
    .who = WHO_DEVICE, .status = 403, .code = "forbidden" },
  { .name = "recommendations/wrong-method", .method = "POST", .path = "/api/v1/recommendations",
    .who = WHO_MEMBER, .body = "{}", .status = 405, .code = "bad_request" },
  SIMILAR ("limit-zero", "?limit=0", 422, "validation_failed", "limit"),
  SIMILAR ("limit-not-a-number", "?limit=%FF", 422, "validation_failed", "limit"),
  { .name = "similar/unknown-event", .method = "GET", .path = "/api/v1/events/" MISSING_ID "/similar",
    .who = WHO_MEMBER, .status = 404, .code = "not_found" },
  { .name = "similar/not-a-uuid", .method = "GET", .path = "/api/v1/events/rust-night/similar",
    .who = WHO_MEMBER, .status = 404, .code = "not_found" },
  BAD_TOKEN_CASES ("similar", "GET", "/api/v1/events/{id}/similar"),
  TRENDING ("limit-zero", "?limit=0", 422, "validation_failed", "limit"),
  TRENDING ("limit-too-big", "?limit=500", 422, "validation_failed", "limit"),
  TRENDING ("category-invalid-utf8", "?category=%C3%28", 422, "validation_failed", "category"),
  BAD_TOKEN_CASES ("trending", "GET", "/api/v1/trending"),

  /* PATCH /api/v1/me */
  ME_PATCH ("not-json", "home", 400, "bad_request", NULL),
  ME_PATCH ("not-an-object", "[1, 2]", 400, "bad_request", NULL),
  ME_PATCH ("invalid-utf8", "{\"interests\": [\"Te\xff\xfe" "ch\"]}", 400, "bad_request", NULL),
  ME_PATCH ("invalid-utf8-overlong", "{\"interests\": [\"\xc0\xaf\"]}", 400, "bad_request", NULL),
  ME_PATCH ("too-large", "{\"interests\": [\"{BIG}\"]}", 413, "payload_too_large", NULL),
  ME_PATCH ("unknown-field", "{\"name\": \"Someone else\"}", 422, "validation_failed", "name"),
  ME_PATCH ("role", "{\"role\": \"admin\"}", 422, "validation_failed", "role"),
  ME_PATCH ("lat-without-lon", "{\"home_lat\": 52.5}", 422, "validation_failed", "home_lon"),
  ME_PATCH ("lon-without-lat", "{\"home_lon\": 13.4}", 422, "validation_failed", "home_lat"),
  ME_PATCH ("lat-null-lon-number", "{\"home_lat\": null, \"home_lon\": 13.4}", 422, "validation_failed",
            "home_lat"),
  ME_PATCH ("lat-too-big", "{\"home_lat\": 90.5, \"home_lon\": 13.4}", 422, "validation_failed", "home_lat"),
  ME_PATCH ("lat-too-small", "{\"home_lat\": -91, \"home_lon\": 13.4}", 422, "validation_failed", "home_lat"),
  ME_PATCH ("lon-too-big", "{\"home_lat\": 52.5, \"home_lon\": 180.01}", 422, "validation_failed", "home_lon"),
  ME_PATCH ("lon-huge", "{\"home_lat\": 52.5, \"home_lon\": 1e400}", 422, "validation_failed", "home_lon"),
  ME_PATCH ("lat-string", "{\"home_lat\": \"52.5\", \"home_lon\": 13.4}", 422, "validation_failed",
            "home_lat"),
  ME_PATCH ("lon-bool", "{\"home_lat\": 52.5, \"home_lon\": true}", 422, "validation_failed", "home_lon"),
  ME_PATCH ("lat-object", "{\"home_lat\": {}, \"home_lon\": 13.4}", 422, "validation_failed", "home_lat"),
  ME_PATCH ("interests-string", "{\"interests\": \"Tech\"}", 422, "validation_failed", "interests"),
  ME_PATCH ("interests-null", "{\"interests\": null}", 422, "validation_failed", "interests"),
  ME_PATCH ("interests-numbers", "{\"interests\": [1, 2]}", 422, "validation_failed", "interests"),
  ME_PATCH ("interests-nested", "{\"interests\": [[\"Tech\"]]}", 422, "validation_failed", "interests"),
  ME_PATCH ("interests-unknown", "{\"interests\": [\"Tech\", \"Knitting\"]}", 422, "validation_failed",
            "interests"),
  ME_PATCH ("interests-slug", "{\"interests\": [\"food-drink\"]}", 422, "validation_failed", "interests"),
  ME_PATCH ("interests-too-many",
            "{\"interests\": [\"Tech\", \"Music\", \"Sports\", \"Arts\", \"Outdoors\", \"Community\", "
            "\"Business\", \"Education\", \"Family\", \"Other\", \"Tech\", \"Music\", \"Sports\", "
            "\"Arts\", \"Outdoors\", \"Community\", \"Business\", \"Education\", \"Family\", "
            "\"Other\", \"Tech\"]}", 422, "validation_failed", "interests"),
  ME_PATCH ("good-home-bad-interests", "{\"home_lat\": 52.5, \"home_lon\": 13.4, \"interests\": [\"Nope\"]}",
            422, "validation_failed", "interests"),
  AUTH_CASES ("me-patch", "PATCH", "/api/v1/me", "{\"interests\": [\"Tech\"]}", NULL),
  { .name = "device-scope/me-patch", .method = "PATCH", .path = "/api/v1/me", .who = WHO_DEVICE,
    .body = "{\"interests\": [\"Tech\"]}", .status = 403, .code = "forbidden" },

  /* Paths and methods that do not exist */
  { .name = "routes/unknown-path", .method = "GET", .path = "/api/v1/evil", .status = 404,
    .code = "not_found" },
  { .name = "routes/unknown-path-with-body", .method = "POST", .path = "/api/v2/events",
    .who = WHO_ADMIN,
    .body = EV ("\"capacity\": 5"), .status = 404, .code = "not_found" },
  { .name = "routes/wrong-method", .method = "PUT", .path = "/api/v1/events/{id}", .who = WHO_ADMIN,
    .body = EV ("\"capacity\": 5"), .status = 405, .code = "bad_request" },
};

/* --- running a case ------------------------------------------------------ */

static void
test_bad_case (gconstpointer data)
{
  const BadCase *c = data;
  g_autofree char *path = expand (c->path);
  g_autofree char *body = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *auth = c->auth != NULL ? expand (c->auth) : NULL;
  g_autoptr(JsonObject) root = NULL;
  Request r = { 0 };
  guint status;

  r.method = c->method;
  r.path = path;
  r.token = tokens[c->who];
  r.auth = auth;
  r.content_type = c->content_type;
  r.if_match = c->if_match;
  r.chunked = c->chunked;
  if (c->body != NULL && c->body_len > 0)
    {
      r.body = c->body;
      r.body_len = c->body_len;
    }
  else if (c->body != NULL)
    {
      body = expand (c->body);
      r.body = body;
      r.body_len = strlen (body);
    }

  status = send_request (&r, &answer);
  if (status != c->status)
    g_error ("%s %s: expected %u, got %u: %.300s", c->method, c->path, c->status, status, answer);
  tn_test_assert_error_body (answer, c->code);

  if (c->field != NULL)
    {
      JsonObject *error, *details;

      root = tn_test_parse_object (answer);
      error = json_object_get_object_member (root, "error");
      g_assert_true (json_object_has_member (error, "details"));
      details = json_object_get_object_member (error, "details");
      if (!json_object_has_member (details, c->field))
        g_error ("%s: the details do not name %s: %s", c->name, c->field, answer);
      g_assert_nonnull (tn_json_object_get_string (details, c->field));
    }

  /* Nothing stored changed, and the token used still works. */
  assert_unchanged ();
  if (c->who != WHO_NONE && c->who != WHO_WRONG && c->who != WHO_EXPIRED && c->who != WHO_REVOKED &&
      !WHO_IS_DEVICE (c->who))
    {
      g_autofree char *me = get_ok ("/api/v1/me", tokens[c->who]);

      g_assert_nonnull (me);
    }
}

static void
test_afterwards (void)
{
  g_autofree char *health = get_ok ("/health", NULL);
  g_autofree char *ready = get_ok ("/health/ready", NULL);

  /* This runs last: the whole batch changed nothing and never got a 500. */
  g_assert_cmpuint (n_requests, >, G_N_ELEMENTS (cases));
  g_assert_cmpuint (n_server_errors, ==, 0);
  check_unchanged (TRUE);
  tn_assert_json_equal (ready, "{\"status\": \"ready\", \"database\": \"ok\"}");
  g_assert_nonnull (strstr (health, "\"ok\""));
}

/* --- setup --------------------------------------------------------------- */

/* A token that expired a minute ago, written through a second connection
 * to the server's database (the server hands out only fresh ones). */
static char *
make_expired_token (const char *user_token)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnStore) store = tn_test_store_open (tn_test_server_get_uri (server), &error);
  g_autofree char *me = get_ok ("/api/v1/me", user_token);
  g_autoptr(JsonObject) user = tn_test_parse_object (me);
  g_autofree char *token = tn_auth_new_token ();
  g_autofree char *hash = tn_auth_hash_token (token);

  g_assert_no_error (error);
  g_assert_true (tn_store_add_token (store, hash, tn_json_object_get_string (user, "id"),
                                     tn_time_now () - 60, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&token);
}

static char *
make_revoked_token (void)
{
  Request login = { .method = "POST", .path = "/api/v1/auth/login",
                    .body = "{\"email\": \"jonas@example.org\", "
                            "\"password\": \"" TN_DEMO_PASSWORD "\"}" };
  Request logout = { .method = "POST", .path = "/api/v1/auth/logout" };
  g_autofree char *answer = NULL;
  g_autofree char *empty = NULL;
  g_autoptr(JsonObject) object = NULL;
  char *token;

  login.body_len = strlen (login.body);
  g_assert_cmpuint (send_request (&login, &answer), ==, 200);
  object = tn_test_parse_object (answer);
  token = g_strdup (tn_json_object_get_string (object, "token"));
  logout.token = token;
  g_assert_cmpuint (send_request (&logout, &empty), ==, 204);
  return token;
}

/* A request of setup() that must get @expected; returns member @member
 * of the answer (a JSON object), or NULL when @member is NULL. */
static char *
call (const char *method,
      const char *path,
      const char *token,
      const char *body,
      guint       expected,
      const char *member)
{
  Request r = { .method = method, .path = path, .token = token, .body = body,
                .body_len = body != NULL ? strlen (body) : 0 };
  g_autofree char *answer = NULL;
  g_autoptr(JsonObject) object = NULL;
  guint status = send_request (&r, &answer);

  if (status != expected)
    g_error ("%s %s: expected %u, got %u: %s", method, path, expected, status, answer);
  if (member == NULL)
    return NULL;
  object = tn_test_parse_object (answer);
  return g_strdup (tn_json_object_get_string (object, member));
}

static char *
user_id_of (Who who)
{
  return call ("GET", "/api/v1/me", tokens[who], NULL, 200, "id");
}

/* An event of @who's, after every demo event; returns its id. */
static char *
create_event (Who         who,
              const char *title,
              const char *visibility)
{
  g_autofree char *body = g_strdup_printf ("{\"title\": \"%s\", "
                                           "\"starts_at\": \"2031-03-01T18:00:00Z\", "
                                           "\"ends_at\": \"2031-03-01T21:00:00Z\", "
                                           "\"capacity\": 50, \"visibility\": \"%s\"}",
                                           title, visibility);

  return call ("POST", "/api/v1/events", tokens[who], body, 201, "id");
}

static char *
add_guest (const char *event,
           Who         who,
           const char *fields)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/attendees", event);

  return call ("POST", path, tokens[who], fields, 201, "id");
}

/* What the cases of the newer endpoints need: the member's RSVP to {id},
 * attendees with and without a ticket, a co-host, a private, a cancelled and a deleted event,
   and an
 * event of the other organizer with a guest. */
static void
setup_targets (void)
{
  g_autofree char *cohost_path = NULL;
  g_autofree char *path = NULL;
  g_autofree char *status = NULL;

  member_uid = user_id_of (WHO_MEMBER);
  organizer_uid = user_id_of (WHO_ORGANIZER);
  cohost_uid = user_id_of (WHO_COHOST);
  staff_uid = user_id_of (WHO_STAFF);

  path = g_strdup_printf ("/api/v1/events/%s/rsvp", event_id);
  g_free (call ("PUT", path, tokens[WHO_MEMBER], "{\"status\": \"going\"}", 200, NULL));
  g_free (path);
  going_id = add_guest (event_id, WHO_ORGANIZER,
                        "{\"name\": \"Gabi Going\", \"email\": \"going@bad-input.example\"}");
  path = g_strdup_printf ("/api/v1/events/%s/attendees/%s", event_id, going_id);
  status = call ("GET", path, tokens[WHO_ORGANIZER], NULL, 200, "status");
  g_assert_cmpstr (status, ==, "going");
  interested_id = add_guest (event_id, WHO_ORGANIZER,
                             "{\"name\": \"Ines Interested\", "
                             "\"email\": \"interested@bad-input.example\", "
                             "\"status\": \"interested\"}");
  cohost_path = g_strdup_printf ("/api/v1/events/%s/people/%s", event_id, cohost_uid);
  g_free (call ("PUT", cohost_path, tokens[WHO_ORGANIZER], "{\"role\": \"cohost\"}", 200, NULL));

  private_id = create_event (WHO_ORGANIZER, "Bad input: private", "private");
  cancelled_id = create_event (WHO_ORGANIZER, "Bad input: cancelled", "public");
  g_free (path);
  path = g_strdup_printf ("/api/v1/events/%s/cancel", cancelled_id);
  g_free (call ("POST", path, tokens[WHO_ORGANIZER], NULL, 200, NULL));

  deleted_id = create_event (WHO_ORGANIZER, "Bad input: deleted", "public");
  g_free (path);
  path = g_strdup_printf ("/api/v1/events/%s/rsvp", deleted_id);
  g_free (call ("PUT", path, tokens[WHO_MEMBER], "{\"status\": \"going\"}", 200, NULL));
  g_free (path);
  path = g_strdup_printf ("/api/v1/events/%s", deleted_id);
  g_free (call ("DELETE", path, tokens[WHO_ORGANIZER], NULL, 204, NULL));

  other_event_id = create_event (WHO_OTHER, "Bad input: someone else's", "public");
  other_guest_id = add_guest (other_event_id, WHO_OTHER,
                              "{\"name\": \"Otto Other\", \"email\": \"other@bad-input.example\"}");
}

/* Pairs a device for @event as @who; returns its token, and its id in
 * @out_id (nullable). */
static char *
pair_device (const char  *event,
             Who          who,
             const char  *role,
             char       **out_id)
{
  g_autofree char *body = g_strdup_printf ("{\"event_id\": \"%s\", \"role\": \"%s\"}", event, role);
  g_autofree char *code = call ("POST", "/api/v1/devices/pairing", tokens[who], body, 201, "code");
  g_autofree char *pair = g_strdup_printf ("{\"pairing_code\": \"%s\", \"name\": \"Door\"}", code);
  Request r = { .method = "POST", .path = "/api/v1/devices", .body = pair, .body_len = strlen (pair) };
  g_autofree char *answer = NULL;
  g_autoptr(JsonObject) object = NULL;

  g_assert_cmpuint (send_request (&r, &answer), ==, 201);
  object = tn_test_parse_object (answer);
  if (out_id != NULL)
    *out_id = g_strdup (tn_json_object_get_string (json_object_get_object_member (object, "device"), "id"));
  return g_strdup (tn_json_object_get_string (object, "token"));
}

/* An event of @who's starting in ten minutes, for scans made now. */
static char *
create_door_event (Who who)
{
  g_autofree char *starts = tn_time_format (tn_time_now () + 600);
  g_autofree char *ends = tn_time_format (tn_time_now () + 4 * 3600);
  g_autofree char *body = g_strdup_printf ("{\"title\": \"Bad input: door\", \"starts_at\": \"%s\", "
                                           "\"ends_at\": \"%s\"}", starts, ends);

  return call ("POST", "/api/v1/events", tokens[who], body, 201, "id");
}

/* Check-in targets: {door} with a going guest ({door_code},
 * {door_signed}), a steward device, a revoked one and a stored scan
 * ({door_scan}); {other_door} of the other organizer, with a supervisor
 * device. */
static void
setup_checkin_targets (void)
{
  g_autofree char *path = NULL;
  g_autofree char *guest = NULL;
  g_autofree char *revoked_id = NULL;
  g_autofree char *scan = NULL;
  g_autofree char *answer = NULL;
  g_autoptr(JsonObject) object = NULL;
  Request r = { .method = "GET" };

  now_text = tn_time_format (tn_time_now ());
  door_id = create_door_event (WHO_ORGANIZER);
  guest = add_guest (door_id, WHO_ORGANIZER, "{\"name\": \"Doris Door\", \"email\": \"door@bad-input.example\"}");
  path = g_strdup_printf ("/api/v1/events/%s/attendees/%s", door_id, guest);
  r.path = path;
  r.token = tokens[WHO_ORGANIZER];
  g_assert_cmpuint (send_request (&r, &answer), ==, 200);
  object = tn_test_parse_object (answer);
  door_code = g_strdup (tn_json_object_get_string (object, "ticket_code"));
  door_signed = g_strdup (tn_json_object_get_string (object, "signed_ticket"));
  g_assert_nonnull (door_signed);

  tokens[WHO_DEVICE] = pair_device (door_id, WHO_ORGANIZER, "steward", &door_device_id);
  tokens[WHO_DEVICE_REVOKED] = pair_device (door_id, WHO_ORGANIZER, "supervisor", &revoked_id);
  g_free (path);
  path = g_strdup_printf ("/api/v1/devices/%s", revoked_id);
  g_free (call ("DELETE", path, tokens[WHO_ORGANIZER], NULL, 204, NULL));

  other_door_id = create_door_event (WHO_OTHER);
  tokens[WHO_DEVICE_OTHER] = pair_device (other_door_id, WHO_OTHER, "supervisor", NULL);

  door_scan_id = g_strdup ("0190b000-0000-7000-8000-000000000001");
  scan = g_strdup_printf ("{\"scans\": [{\"id\": \"%s\", \"event_id\": \"%s\", \"code\": \"%s\", "
                          "\"direction\": \"in\", \"scanned_at\": \"%s\", \"device\": \"Door\"}]}",
                          door_scan_id, door_id, door_code, now_text);
  g_free (call ("POST", "/api/v1/checkins", tokens[WHO_DEVICE], scan, 200, NULL));
}

static void
setup (void)
{
  g_autofree char *list = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *me = NULL;
  g_autoptr(JsonObject) organizer = NULL;
  JsonArray *items;

  server = tn_test_server_new (TRUE);
  check_session = soup_session_new ();
  tokens[WHO_ADMIN] = tn_test_server_token_for (server, TN_DEMO_ADMIN_EMAIL);
  tokens[WHO_ORGANIZER] = tn_test_server_token_for (server, TN_DEMO_ORGANIZER_EMAIL);
  tokens[WHO_OTHER] = tn_test_server_token_for (server, "omar@example.org");
  tokens[WHO_STAFF] = tn_test_server_token_for (server, TN_DEMO_STAFF_EMAIL);
  tokens[WHO_MEMBER] = tn_test_server_token_for (server, TN_DEMO_MEMBER_EMAIL);
  tokens[WHO_LOGOUT] = tn_test_server_token_for (server, "priya@example.org");
  tokens[WHO_COHOST] = tn_test_server_token_for (server, "chloe@example.org");
  tokens[WHO_WRONG] = tn_auth_new_token ();
  tokens[WHO_EXPIRED] = make_expired_token (tokens[WHO_MEMBER]);
  tokens[WHO_REVOKED] = make_revoked_token ();

  /* The target of changes: the organizer's first public event. */
  me = get_ok ("/api/v1/me", tokens[WHO_ORGANIZER]);
  organizer = tn_test_parse_object (me);
  list = get_ok ("/api/v1/events?limit=500", NULL);
  object = tn_test_parse_object (list);
  items = json_object_get_array_member (object, "items");
  for (guint i = 0; i < json_array_get_length (items) && event_id == NULL; i++)
    {
      JsonObject *event = json_array_get_object_element (items, i);

      if (g_strcmp0 (tn_json_object_get_string (event, "organizer"),
                     tn_json_object_get_string (organizer, "id")) == 0)
        event_id = g_strdup (tn_json_object_get_string (event, "id"));
    }
  g_assert_nonnull (event_id);
  setup_targets ();
  setup_checkin_targets ();

#ifdef TN_HAVE_POSTGRES
  if (g_str_has_prefix (tn_test_server_get_uri (server), "postgresql://"))
    {
      pg_reader = PQconnectdb (tn_test_server_get_uri (server));
      g_assert_cmpint (PQstatus (pg_reader), ==, CONNECTION_OK);
      prepare_pg_dump ();
    }
  else
#endif
    {
      g_assert_cmpint (sqlite3_open_v2 (tn_test_server_get_db_path (server), &reader,
                                        SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
      sqlite3_busy_timeout (reader, 5000);
      prepare_dump ();
    }
  snapshot = take_snapshot ();
  tables_snapshot = take_tables_snapshot (&tables_version);
}

static void
teardown (void)
{
  g_clear_pointer (&dump_statements, g_ptr_array_unref);
  g_clear_pointer (&data_version_stmt, finalize_statement);
  g_clear_pointer (&reader, sqlite3_close);
#ifdef TN_HAVE_POSTGRES
  g_clear_pointer (&pg_reader, PQfinish);
  g_clear_pointer (&pg_dump_queries, g_ptr_array_unref);
#endif
  g_clear_object (&check_session);
  g_clear_pointer (&server, tn_test_server_free);
  for (guint i = 0; i < N_WHO; i++)
    g_clear_pointer (&tokens[i], g_free);
  g_clear_pointer (&event_id, g_free);
  g_clear_pointer (&snapshot, g_free);
  g_clear_pointer (&tables_snapshot, g_free);
  g_clear_pointer (&going_id, g_free);
  g_clear_pointer (&interested_id, g_free);
  g_clear_pointer (&private_id, g_free);
  g_clear_pointer (&cancelled_id, g_free);
  g_clear_pointer (&deleted_id, g_free);
  g_clear_pointer (&other_event_id, g_free);
  g_clear_pointer (&other_guest_id, g_free);
  g_clear_pointer (&member_uid, g_free);
  g_clear_pointer (&organizer_uid, g_free);
  g_clear_pointer (&cohost_uid, g_free);
  g_clear_pointer (&staff_uid, g_free);
  g_clear_pointer (&door_id, g_free);
  g_clear_pointer (&door_code, g_free);
  g_clear_pointer (&door_signed, g_free);
  g_clear_pointer (&door_scan_id, g_free);
  g_clear_pointer (&door_device_id, g_free);
  g_clear_pointer (&other_door_id, g_free);
  g_clear_pointer (&now_text, g_free);
}

int
main (int    argc,
      char **argv)
{
  int status;

  tn_test_init (&argc, &argv);
  g_assert_true (tn_auth_init (NULL));
  setup ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strconcat ("/server/bad-input/", cases[i].name, NULL);

      g_test_add_data_func (path, &cases[i], test_bad_case);
    }
  /* Suites run in the order they were made, after the cases of their
   * parent: this one comes last. */
  g_test_add_func ("/server/bad-input/zz-afterwards/unchanged-and-alive", test_afterwards);

  status = g_test_run ();
  teardown ();
  return status;
}
