/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RSVPs: capacity, waitlist, promotion, tickets, and the race for the
 * last seat, against a real server. */
#include "config.h"

#include "tn-json.h"
#include "tn-test-utils.h"
#include "tn-time.h"

#define N_RACERS 50

typedef struct
{
  TnTestServer *server;
  char         *organizer;   /* token */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->server = tn_test_server_new (TRUE);
  f->organizer = tn_test_server_token_for (f->server, TN_DEMO_ORGANIZER_EMAIL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_free (f->organizer);
  tn_test_server_free (f->server);
}

static JsonObject *
request (Fixture    *f,
         const char *method,
         const char *path,
         const char *token,
         const char *body,
         guint       expected_status)
{
  g_autofree char *answer = NULL;
  guint status = tn_test_http (tn_test_server_get_url (f->server), method, path, token, body, -1, NULL, &answer);

  if (status != expected_status)
    g_error ("%s %s: expected %u, got %u: %s", method, path, expected_status, status, answer);
  return answer[0] != '\0' ? tn_test_parse_object (answer) : NULL;
}

/* Creates an event starting tomorrow; @extra is more JSON members. */
static char *
create_event (Fixture    *f,
              const char *extra)
{
  g_autofree char *starts = tn_time_format (tn_time_now () + 86400);
  g_autofree char *ends = tn_time_format (tn_time_now () + 90000);
  g_autofree char *body = g_strdup_printf ("{\"title\":\"RSVP test\",\"starts_at\":\"%s\",\"ends_at\":\"%s\"%s%s}",
                                           starts, ends, extra[0] ? "," : "", extra);
  g_autoptr(JsonObject) event = request (f, "POST", "/api/v1/events", f->organizer, body, 201);

  return g_strdup (tn_json_object_get_string (event, "id"));
}

static JsonObject *
rsvp (Fixture    *f,
      const char *event_id,
      const char *token,
      const char *status,
      guint       expected_status)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/rsvp", event_id);
  g_autofree char *body = g_strdup_printf ("{\"status\":\"%s\"}", status);

  return request (f, "PUT", path, token, body, expected_status);
}

static JsonObject *
get_rsvp (Fixture    *f,
          const char *event_id,
          const char *token)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/rsvp", event_id);

  return request (f, "GET", path, token, NULL, 200);
}

static char *
new_member (Fixture *f,
            guint    n)
{
  g_autofree char *email = g_strdup_printf ("racer%u@example.org", n);

  return tn_test_server_add_user (f->server, email, "racer-password", TN_ROLE_MEMBER);
}

static void
test_capacity_and_waitlist (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *id = create_event (f, "\"capacity\":2,\"waitlist\":true");
  g_autofree char *a = new_member (f, 1);
  g_autofree char *b = new_member (f, 2);
  g_autofree char *c = new_member (f, 3);
  g_autofree char *d = new_member (f, 4);
  g_autofree char *old_code = NULL;
  g_autoptr(JsonObject) ra = rsvp (f, id, a, "going", 200);
  g_autoptr(JsonObject) rb = rsvp (f, id, b, "going", 200);
  g_autoptr(JsonObject) rc = rsvp (f, id, c, "going", 200);
  g_autoptr(JsonObject) rd = rsvp (f, id, d, "going", 200);
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(JsonObject) left = NULL;
  g_autoptr(JsonObject) promoted = NULL;
  g_autoptr(JsonObject) moved = NULL;
  g_autoptr(JsonObject) back = NULL;
  g_autoptr(JsonObject) maybe = NULL;
  g_autofree char *code = NULL;

  g_assert_cmpstr (tn_json_object_get_string (ra, "status"), ==, "going");
  g_assert_cmpstr (tn_json_object_get_string (rb, "status"), ==, "going");
  g_assert_cmpstr (tn_json_object_get_string (rc, "status"), ==, "waitlisted");
  g_assert_cmpint (tn_json_object_get_int (rc, "waitlist_position", -1), ==, 1);
  g_assert_cmpstr (tn_json_object_get_string (rd, "status"), ==, "waitlisted");
  g_assert_cmpint (tn_json_object_get_int (rd, "waitlist_position", -1), ==, 2);
  g_assert_true (json_object_get_null_member (ra, "waitlist_position"));
  g_assert_true (json_object_get_null_member (rc, "ticket_code"));

  /* A ticket code: 26 Crockford base32 symbols in groups of four */
  old_code = g_strdup (tn_json_object_get_string (ra, "ticket_code"));
  g_assert_nonnull (old_code);
  g_assert_cmpuint (strlen (old_code), ==, 32);
  g_assert_true (g_regex_match_simple ("^([0-9A-HJKMNP-TV-Z]{4}-){6}[0-9A-HJKMNP-TV-Z]{2}$", old_code, 0, 0));
  g_assert_cmpstr (old_code, !=, tn_json_object_get_string (rb, "ticket_code"));

  /* Asking again changes nothing */
  again = rsvp (f, id, c, "going", 200);
  g_assert_cmpint (tn_json_object_get_int (again, "waitlist_position", -1), ==, 1);

  /* A leaves: C is promoted in the same step, D moves up, A's ticket goes */
  left = rsvp (f, id, a, "not_going", 200);
  g_assert_cmpstr (tn_json_object_get_string (left, "status"), ==, "not_going");
  g_assert_true (json_object_get_null_member (left, "ticket_code"));
  promoted = get_rsvp (f, id, c);
  g_assert_cmpstr (tn_json_object_get_string (promoted, "status"), ==, "going");
  g_assert_nonnull (tn_json_object_get_string (promoted, "ticket_code"));
  moved = get_rsvp (f, id, d);
  g_assert_cmpint (tn_json_object_get_int (moved, "waitlist_position", -1), ==, 1);

  /* A comes back: behind D, with a new ticket later, never the old one */
  back = rsvp (f, id, a, "going", 200);
  g_assert_cmpstr (tn_json_object_get_string (back, "status"), ==, "waitlisted");
  g_assert_cmpint (tn_json_object_get_int (back, "waitlist_position", -1), ==, 2);

  /* D gives up the waitlist: A moves to 1 */
  maybe = rsvp (f, id, d, "maybe", 200);
  g_assert_cmpstr (tn_json_object_get_string (maybe, "status"), ==, "maybe");
  g_clear_pointer (&back, json_object_unref);
  back = get_rsvp (f, id, a);
  g_assert_cmpint (tn_json_object_get_int (back, "waitlist_position", -1), ==, 1);

  /* B leaves: A gets a seat and a new ticket */
  g_clear_pointer (&left, json_object_unref);
  left = rsvp (f, id, b, "interested", 200);
  g_clear_pointer (&back, json_object_unref);
  back = get_rsvp (f, id, a);
  g_assert_cmpstr (tn_json_object_get_string (back, "status"), ==, "going");
  code = g_strdup (tn_json_object_get_string (back, "ticket_code"));
  g_assert_nonnull (code);
  g_assert_cmpstr (code, !=, old_code);
}

static void
test_capacity_raise_promotes (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *id = create_event (f, "\"capacity\":1,\"waitlist\":true");
  g_autofree char *a = new_member (f, 1);
  g_autofree char *b = new_member (f, 2);
  g_autofree char *path = g_strdup_printf ("/api/v1/events/%s", id);
  const char *if_match[] = { "If-Match", "\"1\"", NULL };
  g_autoptr(JsonObject) ra = rsvp (f, id, a, "going", 200);
  g_autoptr(JsonObject) rb = rsvp (f, id, b, "going", 200);
  g_autoptr(JsonObject) after = NULL;
  g_autofree char *answer = NULL;
  guint status;

  g_assert_cmpstr (tn_json_object_get_string (rb, "status"), ==, "waitlisted");
  status = tn_test_http (tn_test_server_get_url (f->server), "PATCH", path, f->organizer,
                         "{\"capacity\":2}", -1, if_match, &answer);
  g_assert_cmpuint (status, ==, 200);
  after = get_rsvp (f, id, b);
  g_assert_cmpstr (tn_json_object_get_string (after, "status"), ==, "going");
}

static void
test_full_without_waitlist (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *id = create_event (f, "\"capacity\":1,\"waitlist\":false");
  g_autofree char *a = new_member (f, 1);
  g_autofree char *b = new_member (f, 2);
  g_autoptr(JsonObject) ra = rsvp (f, id, a, "going", 200);
  g_autoptr(JsonObject) error = rsvp (f, id, b, "going", 409);
  g_autoptr(JsonObject) interested = rsvp (f, id, b, "interested", 200);
  g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/rsvp", id);
  g_autofree char *body = NULL;

  g_assert_cmpstr (tn_json_object_get_string (json_object_get_object_member (error, "error"), "code"), ==,
                   "capacity_full");
  /* the refused "going" stored nothing: B is only interested */
  g_assert_cmpstr (tn_json_object_get_string (interested, "status"), ==, "interested");
  g_assert_cmpuint (tn_test_http (tn_test_server_get_url (f->server), "GET", path, b, NULL, -1, NULL, &body), ==, 200);
}

static void
test_refusals (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *id = create_event (f, "");
  g_autofree char *member = new_member (f, 1);
  g_autofree char *past_starts = tn_time_format (tn_time_now () - 7200);
  g_autofree char *past_ends = tn_time_format (tn_time_now () - 3600);
  g_autofree char *past_body = g_strdup_printf ("{\"title\":\"Past\",\"starts_at\":\"%s\",\"ends_at\":\"%s\"}",
                                                past_starts, past_ends);
  g_autoptr(JsonObject) past = request (f, "POST", "/api/v1/events", f->organizer, past_body, 201);
  g_autofree char *private_id = create_event (f, "\"visibility\":\"private\"");
  g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/rsvp", id);
  g_autofree char *cancel = g_strdup_printf ("/api/v1/events/%s/cancel", id);
  g_autofree char *missing = g_uuid_string_random ();
  static const struct { const char *body; guint status; const char *code; } bad[] = {
    { "{\"status\":\"waitlisted\"}", 422, "validation_failed" },
    { "{\"status\":\"yes\"}", 422, "validation_failed" },
    { "{\"status\":1}", 422, "validation_failed" },
    { "{}", 422, "validation_failed" },
    { "{\"status\":\"going\",\"plus_one\":true}", 422, "validation_failed" },
    { "{\"status\":", 400, "bad_request" },
    { "[\"going\"]", 400, "bad_request" },
    { "{\"status\":\"go\xff\"}", 400, "bad_request" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *answer = NULL;
      guint status = tn_test_http (tn_test_server_get_url (f->server), "PUT", path, member, bad[i].body, -1,
                                   NULL, &answer);

      g_assert_cmpuint (status, ==, bad[i].status);
      tn_test_assert_error_body (answer, bad[i].code);
    }
  /* none of that stored an answer */
  {
    g_autofree char *answer = NULL;

    g_assert_cmpuint (tn_test_http (tn_test_server_get_url (f->server), "GET", path, member, NULL, -1, NULL, &answer),
                      ==, 404);
    tn_test_assert_error_body (answer, "not_found");
  }

  /* no token, wrong token */
  {
    g_autofree char *answer = NULL;

    g_assert_cmpuint (tn_test_http (tn_test_server_get_url (f->server), "PUT", path, NULL, "{\"status\":\"going\"}",
                                    -1, NULL, &answer), ==, 401);
    tn_test_assert_error_body (answer, "unauthorized");
    g_clear_pointer (&answer, g_free);
    g_assert_cmpuint (tn_test_http (tn_test_server_get_url (f->server), "PUT", path, "tn1_wrong",
                                    "{\"status\":\"going\"}", -1, NULL, &answer), ==, 401);
  }

  /* unknown, private (of someone else) and past events */
  {
    g_autoptr(JsonObject) e1 = rsvp (f, missing, member, "going", 404);
    g_autoptr(JsonObject) e2 = rsvp (f, private_id, member, "going", 404);
    g_autoptr(JsonObject) e3 = rsvp (f, tn_json_object_get_string (past, "id"), member, "going", 409);
  }

  /* a cancelled event takes no answers, but keeps the ones it had */
  {
    g_autoptr(JsonObject) going = rsvp (f, id, member, "going", 200);
    g_autoptr(JsonObject) cancelled = request (f, "POST", cancel, f->organizer, NULL, 200);
    g_autoptr(JsonObject) refused = rsvp (f, id, member, "not_going", 409);
    g_autoptr(JsonObject) kept = get_rsvp (f, id, member);

    g_assert_cmpstr (tn_json_object_get_string (kept, "status"), ==, "going");
  }

  /* a deleted event: 404 */
  {
    g_autofree char *event_path = g_strdup_printf ("/api/v1/events/%s", id);
    g_autoptr(JsonObject) deleted = request (f, "DELETE", event_path, f->organizer, NULL, 204);
    g_autoptr(JsonObject) gone = rsvp (f, id, member, "going", 404);
  }
}

typedef struct
{
  Fixture    *f;
  const char *event_id;
  char       *token;
  GMutex     *lock;
  GCond      *cond;
  gboolean   *go;
  char       *status;
  gint64      position;
} Racer;

static gpointer
racer_thread (gpointer data)
{
  Racer *racer = data;
  g_autoptr(JsonObject) answer = NULL;

  g_mutex_lock (racer->lock);
  while (!*racer->go)
    g_cond_wait (racer->cond, racer->lock);
  g_mutex_unlock (racer->lock);

  answer = rsvp (racer->f, racer->event_id, racer->token, "going", 200);
  racer->status = g_strdup (tn_json_object_get_string (answer, "status"));
  racer->position = tn_json_object_get_int (answer, "waitlist_position", 0);
  return NULL;
}

static void
test_race_for_the_last_seat (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *id = create_event (f, "\"capacity\":3,\"waitlist\":true");
  Racer racers[N_RACERS] = { 0 };
  GThread *threads[N_RACERS];
  GMutex lock;
  GCond cond;
  gboolean go = FALSE;
  guint winners = 0;
  g_autofree gboolean *seen = g_new0 (gboolean, N_RACERS + 1);
  char *early[2];

  /* Two seats of three are taken before the race. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(JsonObject) answer = NULL;

      early[i] = new_member (f, 100 + i);
      answer = rsvp (f, id, early[i], "going", 200);
      g_assert_cmpstr (tn_json_object_get_string (answer, "status"), ==, "going");
    }

  g_mutex_init (&lock);
  g_cond_init (&cond);
  for (guint i = 0; i < N_RACERS; i++)
    {
      racers[i] = (Racer) { f, id, new_member (f, i), &lock, &cond, &go, NULL, 0 };
      threads[i] = g_thread_new ("racer", racer_thread, &racers[i]);
    }
  g_mutex_lock (&lock);
  go = TRUE;
  g_cond_broadcast (&cond);
  g_mutex_unlock (&lock);
  for (guint i = 0; i < N_RACERS; i++)
    g_thread_join (threads[i]);

  /* Exactly one wins; the rest hold positions 1…49, each once. */
  for (guint i = 0; i < N_RACERS; i++)
    {
      if (g_str_equal (racers[i].status, "going"))
        winners++;
      else
        {
          g_assert_cmpstr (racers[i].status, ==, "waitlisted");
          g_assert_cmpint (racers[i].position, >=, 1);
          g_assert_cmpint (racers[i].position, <=, N_RACERS - 1);
          g_assert_false (seen[racers[i].position]);
          seen[racers[i].position] = TRUE;
        }
    }
  g_assert_cmpuint (winners, ==, 1);

  /* The order is stable: asked again, everyone has the same place. */
  for (guint i = 0; i < N_RACERS; i++)
    {
      g_autoptr(JsonObject) answer = get_rsvp (f, id, racers[i].token);

      g_assert_cmpstr (tn_json_object_get_string (answer, "status"), ==, racers[i].status);
      g_assert_cmpint (tn_json_object_get_int (answer, "waitlist_position", 0), ==, racers[i].position);
    }

  /* One of the early ones leaves: position 1 gets the seat, the rest move up by one. */
  {
    g_autoptr(JsonObject) left = rsvp (f, id, early[0], "not_going", 200);

    for (guint i = 0; i < N_RACERS; i++)
      {
        g_autoptr(JsonObject) answer = get_rsvp (f, id, racers[i].token);

        if (racers[i].position == 1)
          g_assert_cmpstr (tn_json_object_get_string (answer, "status"), ==, "going");
        else if (racers[i].position > 1)
          g_assert_cmpint (tn_json_object_get_int (answer, "waitlist_position", 0), ==, racers[i].position - 1);
        else
          g_assert_cmpstr (tn_json_object_get_string (answer, "status"), ==, "going");
      }
  }

  for (guint i = 0; i < N_RACERS; i++)
    {
      g_free (racers[i].token);
      g_free (racers[i].status);
    }
  g_free (early[0]);
  g_free (early[1]);
  g_mutex_clear (&lock);
  g_cond_clear (&cond);
}

int
main (int    argc,
      char **argv)
{
  tn_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/server/rsvp/capacity-and-waitlist", test_capacity_and_waitlist);
  ADD ("/server/rsvp/capacity-raise-promotes", test_capacity_raise_promotes);
  ADD ("/server/rsvp/full-without-waitlist", test_full_without_waitlist);
  ADD ("/server/rsvp/refusals", test_refusals);
  ADD ("/server/rsvp/race-for-the-last-seat", test_race_for_the_last_seat);
#undef ADD

  return g_test_run ();
}
