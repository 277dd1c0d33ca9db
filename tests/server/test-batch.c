/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Group commit: concurrent writes share one transaction, a write that
 * fails undoes only itself, and no answer is sent before its change is
 * committed — checked from another connection to the database the moment
 * each answer arrives. */
#include "config.h"

#include "tn-error.h"
#include "tn-json.h"
#include "tn-store.h"
#include "tn-test-utils.h"
#include "tn-time.h"

#define N_RACERS   40
#define N_SEATS    20
#define N_CREATORS 10

typedef struct
{
  TnTestServer *server;
  char         *organizer;   /* token */
  char         *event_id;
  GMutex        lock;
  GCond         cond;
  gboolean      go;
} Fixture;

typedef struct
{
  Fixture *f;
  char    *token;
  guint    n;
  guint    status;
  gboolean seen_stored;   /* the change was committed when the answer came */
} Writer;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *starts = tn_time_format (tn_time_now () + 86400);
  g_autofree char *ends = tn_time_format (tn_time_now () + 90000);
  g_autofree char *body = g_strdup_printf ("{\"title\":\"Twenty seats\",\"starts_at\":\"%s\",\"ends_at\":\"%s\","
                                           "\"capacity\":%d}", starts, ends, N_SEATS);
  g_autoptr(TnTestReply) created = NULL;
  g_autoptr(JsonObject) event = NULL;

  f->server = tn_test_server_new (TRUE);
  f->organizer = tn_test_server_token_for (f->server, TN_DEMO_ORGANIZER_EMAIL);
  created = tn_test_request (tn_test_server_get_url (f->server), "POST", "/api/v1/events", f->organizer, body, NULL);
  g_assert_cmpuint (created->status, ==, 201);
  event = tn_test_parse_object (created->body);
  f->event_id = g_strdup (tn_json_object_get_string (event, "id"));
  g_mutex_init (&f->lock);
  g_cond_init (&f->cond);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_mutex_clear (&f->lock);
  g_cond_clear (&f->cond);
  g_free (f->event_id);
  g_free (f->organizer);
  tn_test_server_free (f->server);
}

static void
wait_for_start (Fixture *f)
{
  g_mutex_lock (&f->lock);
  while (!f->go)
    g_cond_wait (&f->cond, &f->lock);
  g_mutex_unlock (&f->lock);
}

static void
start (Fixture *f)
{
  g_mutex_lock (&f->lock);
  f->go = TRUE;
  g_cond_broadcast (&f->cond);
  g_mutex_unlock (&f->lock);
}

/* Another connection to the server's database, as a second process would
 * have: it sees only committed changes. */
static TnStore *
open_other (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  TnStore *store = tn_store_open (tn_test_server_get_db_path (f->server), &error);

  g_assert_no_error (error);
  return store;
}

static gpointer
rsvp_thread (gpointer data)
{
  Writer *w = data;
  g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/rsvp", w->f->event_id);
  g_autoptr(TnTestReply) reply = NULL;
  g_autoptr(TnStore) other = open_other (w->f);

  wait_for_start (w->f);
  reply = tn_test_request (tn_test_server_get_url (w->f->server), "PUT", path, w->token,
                           "{\"status\":\"going\"}", NULL);
  w->status = reply->status;
  if (reply->status == 200)
    {
      g_autoptr(JsonObject) answer = tn_test_parse_object (reply->body);
      g_autoptr(GError) error = NULL;
      g_autoptr(TnAttendee) stored = tn_store_get_rsvp (other, w->f->event_id,
                                                        tn_json_object_get_string (answer, "user_id"), &error);

      g_assert_cmpstr (tn_json_object_get_string (answer, "status"), ==, "going");
      w->seen_stored = stored != NULL && tn_attendee_get_status (stored) == TN_RSVP_GOING;
    }
  else
    tn_test_assert_error_body (reply->body, "capacity_full");
  return NULL;
}

static gpointer
create_thread (gpointer data)
{
  Writer *w = data;
  g_autofree char *starts = tn_time_format (tn_time_now () + 7 * 86400 + w->n * 60);
  g_autofree char *ends = tn_time_format (tn_time_now () + 7 * 86400 + w->n * 60 + 3600);
  g_autofree char *body = g_strdup_printf ("{\"title\":\"Batch %u\",\"starts_at\":\"%s\",\"ends_at\":\"%s\"}",
                                           w->n, starts, ends);
  g_autoptr(TnTestReply) reply = NULL;
  g_autoptr(TnStore) other = open_other (w->f);

  wait_for_start (w->f);
  reply = tn_test_request (tn_test_server_get_url (w->f->server), "POST", "/api/v1/events", w->token, body, NULL);
  w->status = reply->status;
  if (reply->status == 201)
    {
      g_autoptr(JsonObject) answer = tn_test_parse_object (reply->body);
      g_autoptr(GError) error = NULL;
      g_autoptr(TnEvent) stored = tn_store_get_event (other, tn_json_object_get_string (answer, "id"), &error);

      w->seen_stored = stored != NULL && g_str_has_prefix (tn_event_get_title (stored), "Batch ");
    }
  return NULL;
}

static guint64
metric (const char *text,
        const char *name)
{
  g_autofree char *prefix = g_strconcat ("\n", name, " ", NULL);
  const char *line = strstr (text, prefix);

  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen (prefix), NULL, 10);
}

static void
test_concurrent_writes (Fixture       *f,
                        gconstpointer  data)
{
  Writer racers[N_RACERS] = { 0 };
  Writer creators[N_CREATORS] = { 0 };
  GThread *threads[N_RACERS + N_CREATORS];
  g_autofree char *attendees_path = g_strdup_printf ("/api/v1/events/%s/attendees?status=going&limit=100",
                                                     f->event_id);
  g_autoptr(TnTestReply) attendees = NULL;
  g_autoptr(TnTestReply) metrics = NULL;
  g_autoptr(JsonObject) page = NULL;
  guint going = 0, full = 0, created = 0;

  for (guint i = 0; i < N_RACERS; i++)
    {
      g_autofree char *email = g_strdup_printf ("batch%u@example.org", i);

      racers[i] = (Writer) { f, tn_test_server_add_user (f->server, email, "batch-password", TN_ROLE_MEMBER), i };
      threads[i] = g_thread_new ("rsvp", rsvp_thread, &racers[i]);
    }
  for (guint i = 0; i < N_CREATORS; i++)
    {
      creators[i] = (Writer) { f, g_strdup (f->organizer), i };
      threads[N_RACERS + i] = g_thread_new ("create", create_thread, &creators[i]);
    }
  start (f);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);

  for (guint i = 0; i < N_RACERS; i++)
    {
      if (racers[i].status == 200)
        {
          going++;
          g_assert_true (racers[i].seen_stored);
        }
      else
        {
          g_assert_cmpuint (racers[i].status, ==, 409);
          full++;
        }
      g_free (racers[i].token);
    }
  for (guint i = 0; i < N_CREATORS; i++)
    {
      g_assert_cmpuint (creators[i].status, ==, 201);
      g_assert_true (creators[i].seen_stored);
      created++;
      g_free (creators[i].token);
    }
  /* Refused answers in the same batches undid only themselves. */
  g_assert_cmpuint (going, ==, N_SEATS);
  g_assert_cmpuint (full, ==, N_RACERS - N_SEATS);
  g_assert_cmpuint (created, ==, N_CREATORS);

  attendees = tn_test_request (tn_test_server_get_url (f->server), "GET", attendees_path, f->organizer, NULL, NULL);
  g_assert_cmpuint (attendees->status, ==, 200);
  page = tn_test_parse_object (attendees->body);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "items")), ==, N_SEATS);

  /* Every write of this test (and of the fixture) waited for a COMMIT,
   * and none failed. */
  metrics = tn_test_request (tn_test_server_get_url (f->server), "GET", "/metrics", NULL, NULL, NULL);
  g_assert_cmpuint (metrics->status, ==, 200);
  g_assert_cmpuint (metric (metrics->body, "turnout_write_batch_answers_total"), >=, N_RACERS + N_CREATORS + 1);
  g_assert_cmpuint (metric (metrics->body, "turnout_write_batches_total{outcome=\"committed\"}"), >=, 1);
  g_assert_cmpuint (metric (metrics->body, "turnout_write_batches_total{outcome=\"failed\"}"), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  tn_test_init (&argc, &argv);

  g_test_add ("/server/batch/concurrent-writes", Fixture, NULL, fixture_setup, test_concurrent_writes,
              fixture_teardown);

  return g_test_run ();
}
