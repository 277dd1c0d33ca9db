/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Several turnout-server processes on one PostgreSQL database (issue 8,
 * part 3), under tests/postgres/with-cluster: what one server is told,
 * the others' WebSocket subscribers hear (LISTEN/NOTIFY); 50 members race
 * for the last seat through both servers and exactly one gets it; a
 * server killed while doors post to it loses no scan it acknowledged. */
#include "config.h"

#include <libpq-fe.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

#include "tn-auth.h"
#include "tn-json.h"
#include "tn-server.h"
#include "tn-test-utils.h"
#include "tn-time.h"

#define WAIT_MS 20000
#define RACERS  50

typedef struct
{
  char          *uri;
  TnTestProcess *a;
  TnTestProcess *b;
  char          *organizer;   /* olivia's token, from A */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *body = NULL;
  g_autofree char *answer = NULL;
  g_autoptr(JsonObject) login = NULL;

  f->uri = tn_test_pg_fresh_database ();
  g_assert_nonnull (f->uri);
  /* A seeds the demo community; B starts on the same database after */
  f->a = tn_test_process_start ((const char *[]) { "--database", f->uri, "--listen", "127.0.0.1:0",
                                                   "--demo", "--db-connections", "4", NULL }, NULL);
  f->b = tn_test_process_start ((const char *[]) { "--database", f->uri, "--listen", "127.0.0.1:0",
                                                   "--db-connections", "4", NULL }, NULL);
  body = g_strdup_printf ("{\"email\":\"%s\",\"password\":\"%s\"}", TN_DEMO_ORGANIZER_EMAIL, TN_DEMO_PASSWORD);
  g_assert_cmpuint (tn_test_http (f->a->url, "POST", "/api/v1/auth/login", NULL, body, -1, NULL, &answer), ==, 200);
  login = tn_test_parse_object (answer);
  f->organizer = g_strdup (tn_json_object_get_string (login, "token"));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->a, tn_test_process_free);
  g_clear_pointer (&f->b, tn_test_process_free);
  g_free (f->organizer);
  g_free (f->uri);
}


static char *
create_event (Fixture    *f,
              const char *extra)
{
  g_autofree char *starts = tn_time_format (tn_time_now () + 600);
  g_autofree char *ends = tn_time_format (tn_time_now () + 600 + 4 * 3600);
  g_autofree char *body = g_strdup_printf ("{\"title\":\"Two servers\",\"starts_at\":\"%s\",\"ends_at\":\"%s\"%s}",
                                           starts, ends, extra);
  g_autoptr(JsonObject) event = tn_test_call (f->a->url, "POST", "/api/v1/events", f->organizer, body, 201);

  return g_strdup (tn_json_object_get_string (event, "id"));
}

/* A door device of @event_id, paired through @url; returns its token. */
static char *
pair_door (Fixture    *f,
           const char *url,
           const char *event_id,
           const char *name)
{
  g_autofree char *body = g_strdup_printf ("{\"event_id\":\"%s\",\"role\":\"steward\"}", event_id);
  g_autoptr(JsonObject) pairing = tn_test_call (url, "POST", "/api/v1/devices/pairing", f->organizer, body, 201);
  g_autofree char *pair = g_strdup_printf ("{\"pairing_code\":\"%s\",\"name\":\"%s\"}",
                                           tn_json_object_get_string (pairing, "code"), name);
  g_autoptr(JsonObject) paired = tn_test_call (url, "POST", "/api/v1/devices", NULL, pair, 201);

  return g_strdup (tn_json_object_get_string (paired, "token"));
}

/* A going guest of @event_id; returns the ticket code. */
static char *
add_guest (Fixture    *f,
           const char *url,
           const char *event_id,
           guint       n)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/attendees", event_id);
  g_autofree char *body = g_strdup_printf ("{\"name\":\"Guest %u\",\"email\":\"guest%u@example.org\"}", n, n);
  g_autoptr(JsonObject) guest = tn_test_call (url, "POST", path, f->organizer, body, 201);

  return g_strdup (tn_json_object_get_string (guest, "ticket_code"));
}

static char *
scan_body (const char *id,
           const char *event_id,
           const char *code,
           const char *device)
{
  g_autofree char *at = tn_time_format (tn_time_now ());

  return g_strdup_printf ("{\"scans\":[{\"id\":\"%s\",\"event_id\":\"%s\",\"code\":\"%s\",\"direction\":\"in\","
                          "\"scanned_at\":\"%s\",\"device\":\"%s\"}]}", id, event_id, code, at, device);
}

/* --- live subscribers ------------------------------------------------------ */

typedef struct
{
  TnTestSubscriber *s;
  const char *change;   /* a delta with a change of this type */
  const char *stat;     /* and this statistic … */
  gint64      value;    /* … at this value */
} Expected;

static gboolean
has_delta (gpointer data)
{
  Expected *e = data;

  for (guint i = 0; i < e->s->messages->len; i++)
    {
      JsonObject *message = e->s->messages->pdata[i];
      JsonArray *changes;

      if (g_strcmp0 (tn_json_object_get_string (message, "type"), "delta") != 0)
        continue;
      changes = json_object_get_array_member (message, "changes");
      for (guint j = 0; j < json_array_get_length (changes); j++)
        if (g_strcmp0 (tn_json_object_get_string (json_array_get_object_element (changes, j), "type"),
                       e->change) == 0 &&
            tn_json_object_get_int (json_object_get_object_member (message, "stats"), e->stat, -1) == e->value)
          return TRUE;
    }
  return FALSE;
}

static void
expect_delta (TnTestSubscriber *s,
              const char *change,
              const char *stat,
              gint64      value)
{
  Expected e = { s, change, stat, value };

  if (!tn_test_wait_until (has_delta, &e, WAIT_MS))
    g_error ("no delta with a %s change and %s = %" G_GINT64_FORMAT " came (%u messages)",
             change, stat, value, s->messages->len);
}

/* --- tests ------------------------------------------------------------------ */

/* One community: a token from one server works on the other, an event
 * made on one is read on the other, a sign-out on one holds on both, and
 * both report the database ready. */
static void
test_shared (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *event_id = create_event (f, "");
  g_autofree char *path = g_strdup_printf ("/api/v1/events/%s", event_id);
  g_autoptr(JsonObject) me = tn_test_call (f->b->url, "GET", "/api/v1/me", f->organizer, NULL, 200);
  g_autoptr(JsonObject) event = tn_test_call (f->b->url, "GET", path, f->organizer, NULL, 200);
  g_autoptr(JsonObject) ready_a = tn_test_call (f->a->url, "GET", "/health/ready", NULL, NULL, 200);
  g_autoptr(JsonObject) ready_b = tn_test_call (f->b->url, "GET", "/health/ready", NULL, NULL, 200);
  g_autofree char *gone = NULL;

  g_assert_cmpstr (tn_json_object_get_string (me, "email"), ==, TN_DEMO_ORGANIZER_EMAIL);
  g_assert_cmpstr (tn_json_object_get_string (event, "title"), ==, "Two servers");
  g_assert_cmpstr (tn_json_object_get_string (ready_a, "database"), ==, "ok");
  g_assert_cmpstr (tn_json_object_get_string (ready_b, "database"), ==, "ok");

  g_assert_null (tn_test_call (f->b->url, "POST", "/api/v1/auth/logout", f->organizer, NULL, 204));
  g_assert_cmpuint (tn_test_http (f->a->url, "GET", "/api/v1/me", f->organizer, NULL, -1, NULL, &gone), ==, 401);
  tn_test_assert_error_body (gone, "unauthorized");
}

/* What one server is told, the other's subscribers hear: an RSVP and a
 * scan posted to A reach B's WebSocket, a scan posted to B reaches A's. */
static void
test_live_across (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *event_id = create_event (f, ",\"capacity\":10");
  g_autofree char *rsvp_path = g_strdup_printf ("/api/v1/events/%s/rsvp", event_id);
  g_autofree char *code_1 = add_guest (f, f->a->url, event_id, 1);
  g_autofree char *code_2 = add_guest (f, f->a->url, event_id, 2);
  g_autofree char *door = pair_door (f, f->a->url, event_id, "Door A");
  g_autofree char *scan_a = scan_body ("0190a000-0000-7000-8000-000000000001", event_id, code_1, "Door A");
  g_autofree char *scan_b = scan_body ("0190a000-0000-7000-8000-000000000002", event_id, code_2, "Door A");
  g_autofree char *member_body = g_strdup_printf ("{\"email\":\"%s\",\"password\":\"%s\"}",
                                                  TN_DEMO_MEMBER_EMAIL, TN_DEMO_PASSWORD);
  g_autoptr(JsonObject) login = tn_test_call (f->a->url, "POST", "/api/v1/auth/login", NULL, member_body, 200);
  g_autoptr(TnTestSubscriber) on_a = tn_test_subscribe (f->a->url, event_id, f->organizer);
  g_autoptr(TnTestSubscriber) on_b = tn_test_subscribe (f->b->url, event_id, f->organizer);
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) answer_b = NULL;
  /* each has its snapshot first */
  g_assert_nonnull (on_a->connection);
  g_assert_nonnull (on_b->connection);
  g_assert_cmpstr (tn_json_object_get_string (tn_test_subscriber_nth (on_a, 1), "type"), ==, "snapshot");
  g_assert_cmpstr (tn_json_object_get_string (tn_test_subscriber_nth (on_b, 1), "type"), ==, "snapshot");

  /* an RSVP on A: both servers' subscribers see it (the two guests go too) */
  answer = tn_test_call (f->a->url, "PUT", rsvp_path, tn_json_object_get_string (login, "token"),
                 "{\"status\":\"going\"}", 200);
  expect_delta (on_b, "rsvp", "going", 3);
  expect_delta (on_a, "rsvp", "going", 3);

  /* a scan posted to A: B's subscriber sees it */
  g_clear_pointer (&answer, json_object_unref);
  answer = tn_test_call (f->a->url, "POST", "/api/v1/checkins", door, scan_a, 200);
  expect_delta (on_b, "checkin", "checked_in", 1);

  /* and one posted to B: A's subscriber sees it */
  answer_b = tn_test_call (f->b->url, "POST", "/api/v1/checkins", door, scan_b, 200);
  expect_delta (on_a, "checkin", "checked_in", 2);
  expect_delta (on_b, "checkin", "checked_in", 2);
}

typedef struct
{
  const char *url;
  char       *token;
  const char *path;
  guint       status;
  char       *answer;
} Racer;

static gpointer
race_thread (gpointer data)
{
  Racer *racer = data;

  racer->status = tn_test_http (racer->url, "PUT", racer->path, racer->token, "{\"status\":\"going\"}", -1,
                                NULL, &racer->answer);
  return NULL;
}

/* 50 members answer "going" at once to the last seat, half through A
 * and half through B: exactly one gets it, and both servers say so. */
static void
test_last_seat (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *event_id = create_event (f, ",\"capacity\":1");
  g_autofree char *rsvp_path = g_strdup_printf ("/api/v1/events/%s/rsvp", event_id);
  g_autofree char *stats_path = g_strdup_printf ("/api/v1/events/%s/stats", event_id);
  g_autoptr(GError) error = NULL;
  g_autoptr(TnStore) store = tn_test_store_open (f->uri, &error);
  g_autoptr(TnServer) issuer = NULL;
  g_autofree char *hash = NULL;
  Racer racers[RACERS] = { { 0 } };
  GThread *threads[RACERS];
  guint won = 0, full = 0;

  /* the members and their tokens, straight into the database */
  g_assert_no_error (error);
  issuer = tn_server_new (store);
  hash = tn_auth_hash_password ("racer-password", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < RACERS; i++)
    {
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *email = g_strdup_printf ("racer%u@example.org", i);
      g_autoptr(TnUser) user = tn_store_create_user (store, id, email, email, hash, TN_ROLE_MEMBER, &error);

      g_assert_no_error (error);
      racers[i].token = tn_server_issue_token (issuer, id, NULL, &error);
      g_assert_no_error (error);
      racers[i].url = i % 2 == 0 ? f->a->url : f->b->url;
      racers[i].path = rsvp_path;
    }

  for (guint i = 0; i < RACERS; i++)
    threads[i] = g_thread_new ("racer", race_thread, &racers[i]);
  for (guint i = 0; i < RACERS; i++)
    g_thread_join (threads[i]);

  for (guint i = 0; i < RACERS; i++)
    {
      if (racers[i].status == 200)
        {
          g_autoptr(JsonObject) rsvp = tn_test_parse_object (racers[i].answer);

          g_assert_cmpstr (tn_json_object_get_string (rsvp, "status"), ==, "going");
          won++;
        }
      else
        {
          g_assert_cmpuint (racers[i].status, ==, 409);
          tn_test_assert_error_body (racers[i].answer, "capacity_full");
          full++;
        }
      g_free (racers[i].token);
      g_free (racers[i].answer);
    }
  g_assert_cmpuint (won, ==, 1);
  g_assert_cmpuint (full, ==, RACERS - 1);

  for (guint s = 0; s < 2; s++)
    {
      g_autoptr(JsonObject) stats = tn_test_call (s == 0 ? f->a->url : f->b->url, "GET", stats_path, f->organizer, NULL, 200);

      g_assert_cmpint (tn_json_object_get_int (stats, "going", -1), ==, 1);
      g_assert_cmpint (tn_json_object_get_int (stats, "seats_left", -1), ==, 0);
    }
}

#define KILL_GUESTS 120
#define KILL_DOORS  4

typedef struct
{
  const char  *url;
  const char  *event_id;
  const char  *door;
  char       **codes;       /* this door's share of the tickets */
  guint        n_codes;
  guint        first;       /* scan numbers from here */
  GHashTable  *acknowledged; /* scan id → verdict, once answered 200 */
  GMutex      *lock;
  guint        sent;
} Door;

/* A door's POST: 0 when the server is gone (no answer), else the status. */
static guint
post_scan (const char  *url,
           const char  *token,
           const char  *body,
           char       **out_answer)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *full = g_strconcat (url, "/api/v1/checkins", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", full);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) answer = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  answer = soup_session_send_and_read (session, msg, NULL, NULL);
  if (answer == NULL)
    return 0;
  *out_answer = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
  return soup_message_get_status (msg);
}

static gpointer
door_thread (gpointer data)
{
  Door *door = data;

  for (guint i = 0; i < door->n_codes; i++)
    {
      g_autofree char *id = g_strdup_printf ("0190a000-0000-7000-8000-%012u", door->first + i);
      g_autofree char *body = scan_body (id, door->event_id, door->codes[i], "Door");
      g_autofree char *answer = NULL;
      g_autoptr(JsonObject) object = NULL;
      guint status = post_scan (door->url, door->door, body, &answer);
      JsonObject *result;

      door->sent++;
      if (status != 200)
        break;   /* the server is gone: what was not answered was not acknowledged */
      object = tn_test_parse_object (answer);
      result = json_array_get_object_element (json_object_get_array_member (object, "results"), 0);
      g_mutex_lock (door->lock);
      g_hash_table_insert (door->acknowledged, g_strdup (id),
                           g_strdup (tn_json_object_get_string (result, "verdict")));
      g_mutex_unlock (door->lock);
    }
  return NULL;
}

static guint
acknowledged_count (Door  *doors)
{
  guint n;

  g_mutex_lock (doors[0].lock);
  n = g_hash_table_size (doors[0].acknowledged);
  g_mutex_unlock (doors[0].lock);
  return n;
}

/* Four doors post scans to A; A is killed (SIGKILL) while they do. Every
 * scan A acknowledged is in the database with the verdict A gave, as B
 * sees it; the doors send what was not acknowledged again, to B, and
 * every guest is in exactly once. */
static void
test_killed (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *event_id = create_event (f, ",\"capacity\":500");
  g_autofree char *door_token = pair_door (f, f->b->url, event_id, "Door");
  g_autoptr(GHashTable) acknowledged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) stored = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *cursor = NULL;
  char *codes[KILL_GUESTS];
  Door doors[KILL_DOORS];
  GThread *threads[KILL_DOORS];
  GMutex lock;
  guint resent = 0;

  g_mutex_init (&lock);
  for (guint i = 0; i < KILL_GUESTS; i++)
    codes[i] = add_guest (f, f->b->url, event_id, i);
  for (guint d = 0; d < KILL_DOORS; d++)
    {
      doors[d] = (Door) { f->a->url, event_id, door_token, codes + d * (KILL_GUESTS / KILL_DOORS),
                          KILL_GUESTS / KILL_DOORS, d * 1000, acknowledged, &lock, 0 };
      threads[d] = g_thread_new ("door", door_thread, &doors[d]);
    }
  /* well into the run, not at its end */
  while (acknowledged_count (doors) < KILL_GUESTS / 4)
    g_usleep (1000);
  tn_test_process_kill (f->a);
  for (guint d = 0; d < KILL_DOORS; d++)
    g_thread_join (threads[d]);
  g_assert_cmpuint (g_hash_table_size (acknowledged), >=, KILL_GUESTS / 4);
  g_assert_cmpuint (g_hash_table_size (acknowledged), <, KILL_GUESTS);
  g_test_message ("%u of %u scans acknowledged before the kill", g_hash_table_size (acknowledged), KILL_GUESTS);

  /* B: every acknowledged scan, with its verdict */
  for (;;)
    {
      g_autofree char *path = cursor != NULL
        ? g_strdup_printf ("/api/v1/sync?event_id=%s&since=%s", event_id, cursor)
        : g_strdup_printf ("/api/v1/sync?event_id=%s", event_id);
      g_autoptr(JsonObject) page = tn_test_call (f->b->url, "GET", path, door_token, NULL, 200);
      JsonArray *changes = json_object_get_array_member (page, "changes");

      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *change = json_array_get_object_element (changes, i);
          JsonObject *checkin;

          if (g_strcmp0 (tn_json_object_get_string (change, "type"), "checkin") != 0)
            continue;
          checkin = json_object_get_object_member (change, "checkin");
          g_hash_table_replace (stored, g_strdup (tn_json_object_get_string (checkin, "id")),
                                g_strdup (tn_json_object_get_string (checkin, "verdict")));
        }
      g_free (cursor);
      cursor = g_strdup (tn_json_object_get_string (page, "cursor"));
      if (!json_object_get_boolean_member (page, "more"))
        break;
    }
  {
    GHashTableIter iter;
    gpointer id, verdict;

    g_hash_table_iter_init (&iter, acknowledged);
    while (g_hash_table_iter_next (&iter, &id, &verdict))
      {
        g_assert_cmpstr (g_hash_table_lookup (stored, id), ==, verdict);
        g_assert_cmpstr (verdict, ==, "accepted");
      }
  }

  /* what was not acknowledged goes again, to B: once each */
  for (guint d = 0; d < KILL_DOORS; d++)
    for (guint i = 0; i < doors[d].n_codes; i++)
      {
        g_autofree char *id = g_strdup_printf ("0190a000-0000-7000-8000-%012u", doors[d].first + i);
        g_autofree char *body = scan_body (id, event_id, doors[d].codes[i], "Door");
        g_autoptr(JsonObject) answer = NULL;
        JsonObject *result;

        if (g_hash_table_contains (acknowledged, id))
          continue;
        answer = tn_test_call (f->b->url, "POST", "/api/v1/checkins", door_token, body, 200);
        result = json_array_get_object_element (json_object_get_array_member (answer, "results"), 0);
        g_assert_cmpstr (tn_json_object_get_string (result, "verdict"), ==, "accepted");
        resent++;
      }
  g_assert_cmpuint (resent + g_hash_table_size (acknowledged), ==, KILL_GUESTS);
  {
    g_autofree char *stats_path = g_strdup_printf ("/api/v1/events/%s/stats", event_id);
    g_autoptr(JsonObject) stats = tn_test_call (f->b->url, "GET", stats_path, f->organizer, NULL, 200);

    g_assert_cmpint (tn_json_object_get_int (stats, "checked_in", -1), ==, KILL_GUESTS);
  }
  for (guint i = 0; i < KILL_GUESTS; i++)
    g_free (codes[i]);
  g_mutex_clear (&lock);
}

/* The database goes away under both servers (dropped, its connections
 * ended): /health/ready says so with 503, requests that need it are
 * answered 503 unavailable (never 500), /health still answers, and both
 * servers stop cleanly when told. */
static void
test_database_gone (Fixture       *f,
                    gconstpointer  data)
{
  const char *name_start = strstr (f->uri, ":///") + strlen (":///");
  g_autofree char *name = g_strndup (name_start, strcspn (name_start, "?"));
  g_autofree char *drop = g_strdup_printf ("DROP DATABASE \"%s\" WITH (FORCE)", name);
  PGconn *conn = PQconnectdb (g_getenv ("TURNOUT_TEST_PG"));
  PGresult *result;

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  result = PQexec (conn, drop);
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_COMMAND_OK);
  PQclear (result);
  PQfinish (conn);

  for (guint s = 0; s < 2; s++)
    {
      const char *url = s == 0 ? f->a->url : f->b->url;
      g_autofree char *ready = NULL;
      g_autofree char *events = NULL;
      g_autofree char *me = NULL;
      g_autoptr(JsonObject) answer = NULL;
      g_autoptr(JsonObject) health = tn_test_call (url, "GET", "/health", NULL, NULL, 200);

      g_assert_cmpuint (tn_test_http (url, "GET", "/health/ready", NULL, NULL, -1, NULL, &ready), ==, 503);
      answer = tn_test_parse_object (ready);
      g_assert_cmpstr (tn_json_object_get_string (answer, "status"), ==, "unavailable");
      g_assert_cmpstr (tn_json_object_get_string (answer, "database"), ==, "failed");
      g_assert_cmpuint (tn_test_http (url, "GET", "/api/v1/events", NULL, NULL, -1, NULL, &events), ==, 503);
      tn_test_assert_error_body (events, "unavailable");
      g_assert_cmpuint (tn_test_http (url, "GET", "/api/v1/me", f->organizer, NULL, -1, NULL, &me), ==, 503);
      tn_test_assert_error_body (me, "unavailable");
    }
  g_free (tn_test_process_stop (f->a, SIGTERM));
  g_free (tn_test_process_stop (f->b, SIGTERM));
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
  g_test_add ("/postgres/servers/shared", Fixture, NULL, fixture_setup, test_shared, fixture_teardown);
  g_test_add ("/postgres/servers/live-across", Fixture, NULL, fixture_setup, test_live_across, fixture_teardown);
  g_test_add ("/postgres/servers/last-seat", Fixture, NULL, fixture_setup, test_last_seat, fixture_teardown);
  g_test_add ("/postgres/servers/killed", Fixture, NULL, fixture_setup, test_killed, fixture_teardown);
  g_test_add ("/postgres/servers/database-gone", Fixture, NULL, fixture_setup, test_database_gone,
              fixture_teardown);
  return g_test_run ();
}
