/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GET /api/v1/recommendations, /api/v1/events/{id}/similar and
 * /api/v1/trending against a real server with the demo community: who may
 * ask, bad parameters, what never appears (the caller's answered events,
 * also just after answering; cancelled, private and past events), that a
 * friends reason counts what the data says, determinism, and that the
 * model is rebuilt off the requests after a change. */
#include "config.h"

#include <string.h>

#include "tn-json.h"
#include "tn-server.h"
#include "tn-test-utils.h"
#include "tn-time.h"

typedef struct
{
  TnTestServer *server;
  const char   *url;
  char         *admin;
  char         *organizer;   /* olivia */
  char         *member;      /* maria */
  char         *member_id;
} Fixture;

static void
fast_refresh (TnServer *server,
              gpointer  user_data)
{
  tn_rec_service_set_refresh (tn_server_get_recs (server), 1);
}

static char *
user_id_of (Fixture    *f,
            const char *token)
{
  g_autofree char *answer = NULL;
  g_autoptr(JsonObject) me = NULL;

  g_assert_cmpuint (tn_test_http (f->url, "GET", "/api/v1/me", token, NULL, -1, NULL, &answer), ==, 200);
  me = tn_test_parse_object (answer);
  return g_strdup (tn_json_object_get_string (me, "id"));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->server = tn_test_server_new_full (TRUE, fast_refresh, NULL);
  f->url = tn_test_server_get_url (f->server);
  f->admin = tn_test_server_token_for (f->server, TN_DEMO_ADMIN_EMAIL);
  f->organizer = tn_test_server_token_for (f->server, TN_DEMO_ORGANIZER_EMAIL);
  f->member = tn_test_server_token_for (f->server, TN_DEMO_MEMBER_EMAIL);
  f->member_id = user_id_of (f, f->member);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_free (f->admin);
  g_free (f->organizer);
  g_free (f->member);
  g_free (f->member_id);
  tn_test_server_free (f->server);
}

/* GET @path as @token; the first model may still be in the making (503
 * `unavailable`): then asks again. */
static char *
get (Fixture    *f,
     const char *path,
     const char *token,
     guint       expected_status)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree char *body = NULL;
      guint status = tn_test_http (f->url, "GET", path, token, NULL, -1, NULL, &body);

      if (status == 503 && g_get_monotonic_time () < deadline)
        {
          tn_test_assert_error_body (body, "unavailable");
          g_usleep (50 * 1000);
          continue;
        }
      if (status != expected_status)
        g_error ("GET %s: expected %u, got %u: %s", path, expected_status, status, body);
      return g_steal_pointer (&body);
    }
}

static JsonArray *
items_of (JsonObject *answer)
{
  return json_object_get_array_member (answer, "items");
}

static JsonObject *
item_event (JsonArray *items,
            guint      i)
{
  return json_object_get_object_member (json_array_get_object_element (items, i), "event");
}

/* --- tests ---------------------------------------------------------------- */

static void
test_auth (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *answer = get (f, "/api/v1/recommendations", NULL, 401);
  g_autofree char *bad = get (f, "/api/v1/recommendations", "tnu_not-a-token", 401);
  g_autofree char *trending = get (f, "/api/v1/trending", NULL, 200);

  tn_test_assert_error_body (answer, "unauthorized");
  tn_test_assert_error_body (bad, "unauthorized");
}

static void
test_bad_parameters (Fixture       *f,
                     gconstpointer  data)
{
  static const struct { const char *path; const char *field; } cases[] = {
    { "/api/v1/recommendations?limit=0", "limit" },
    { "/api/v1/recommendations?limit=51", "limit" },
    { "/api/v1/recommendations?limit=ten", "limit" },
    { "/api/v1/recommendations?limit=-1", "limit" },
    { "/api/v1/recommendations?near=91,0", "near" },
    { "/api/v1/recommendations?near=51.3", "near" },
    { "/api/v1/recommendations?near=abc,def", "near" },
    { "/api/v1/recommendations?near=51.3,12.3&radius_km=5", "radius_km" },
    { "/api/v1/recommendations?category=%FF%FE", "category" },
    { "/api/v1/trending?limit=1000", "limit" },
    { "/api/v1/trending?category=%C3%28", "category" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *answer = get (f, cases[i].path, f->member, 422);
      g_autoptr(JsonObject) error = tn_test_parse_object (answer);
      JsonObject *details = json_object_get_object_member (json_object_get_object_member (error, "error"),
                                                           "details");

      tn_test_assert_error_body (answer, "validation_failed");
      g_assert_true (json_object_has_member (details, cases[i].field));
    }
  {
    g_autofree char *unknown = get (f, "/api/v1/events/00000000-0000-4000-8000-000000000000/similar",
                                    f->member, 404);
    g_autofree char *not_id = get (f, "/api/v1/events/nope/similar", f->member, 404);
    g_autofree char *limit = get (f, "/api/v1/events/00000000-0000-4000-8000-000000000000/similar?limit=x",
                                  f->member, 422);

    tn_test_assert_error_body (unknown, "not_found");
    tn_test_assert_error_body (not_id, "not_found");
  }
}

/* Whether @token has an RSVP for @event_id (GET …/rsvp answers 404
 * without one). */
static gboolean
has_answered (Fixture    *f,
              const char *token,
              const char *event_id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/rsvp", event_id);
  g_autofree char *answer = NULL;
  guint status = tn_test_http (f->url, "GET", path, token, NULL, -1, NULL, &answer);

  g_assert_true (status == 200 || status == 404);
  return status == 200;
}

static void
assert_recommendable (Fixture    *f,
                      JsonObject *event)
{
  gint64 starts_at = 0;

  g_assert_cmpstr (tn_json_object_get_string (event, "visibility"), ==, "public");
  g_assert_cmpstr (tn_json_object_get_string (event, "status"), ==, "scheduled");
  g_assert_true (tn_time_parse (tn_json_object_get_string (event, "starts_at"), &starts_at, NULL));
  g_assert_cmpint (starts_at, >, tn_time_now ());
}

/* What a member gets: upcoming public events they have not answered,
 * each with a score and reasons, best first; the same twice. */
static void
test_member (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *answer = get (f, "/api/v1/recommendations", f->member, 200);
  g_autofree char *again = get (f, "/api/v1/recommendations", f->member, 200);
  g_autoptr(JsonObject) object = tn_test_parse_object (answer);
  JsonArray *items = items_of (object);
  double last = G_MAXDOUBLE;

  g_assert_cmpuint (json_array_get_length (items), >, 0);
  g_assert_cmpuint (json_array_get_length (items), <=, 10);
  g_assert_true (json_object_has_member (object, "model_built_at"));
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      JsonObject *event = item_event (items, i);
      double score = json_object_get_double_member (item, "score");

      assert_recommendable (f, event);
      g_assert_false (has_answered (f, f->member, tn_json_object_get_string (event, "id")));
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (item, "reasons")), >, 0);
      g_assert_cmpfloat (score, <=, last);
      last = score;
    }
  /* deterministic for a database that did not change */
  g_assert_cmpstr (answer, ==, again);

  /* limit and category */
  {
    g_autofree char *two = get (f, "/api/v1/recommendations?limit=2", f->member, 200);
    g_autofree char *music = get (f, "/api/v1/recommendations?category=Music&limit=50", f->member, 200);
    g_autoptr(JsonObject) two_object = tn_test_parse_object (two);
    g_autoptr(JsonObject) music_object = tn_test_parse_object (music);

    g_assert_cmpuint (json_array_get_length (items_of (two_object)), <=, 2);
    for (guint i = 0; i < json_array_get_length (items_of (music_object)); i++)
      g_assert_cmpstr (tn_json_object_get_string (item_event (items_of (music_object), i), "category"), ==, "Music");
  }
}

/* An event answered, or cancelled, is gone from the answer at once, before
 * any new model; and a new model comes, built off the requests. */
static void
test_fresh (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *answer = get (f, "/api/v1/recommendations?limit=50", f->member, 200);
  g_autoptr(JsonObject) object = tn_test_parse_object (answer);
  g_autofree char *first_id = g_strdup (tn_json_object_get_string (item_event (items_of (object), 0), "id"));
  g_autofree char *built = g_strdup (tn_json_object_get_string (object, "model_built_at"));
  g_autofree char *rsvp_path = g_strdup_printf ("/api/v1/events/%s/rsvp", first_id);
  g_autofree char *rsvp = NULL;
  g_autofree char *after = NULL;
  g_autoptr(JsonObject) after_object = NULL;
  char *cancelled_id = NULL;
  gint64 deadline;

  g_assert_cmpuint (tn_test_http (f->url, "PUT", rsvp_path, f->member, "{\"status\":\"interested\"}", -1,
                                  NULL, &rsvp), ==, 200);
  after = get (f, "/api/v1/recommendations?limit=50", f->member, 200);
  g_assert_null (strstr (after, first_id));

  /* cancel one of olivia's events still recommended */
  after_object = tn_test_parse_object (after);
  for (guint i = 0; i < json_array_get_length (items_of (after_object)) && cancelled_id == NULL; i++)
    {
      JsonObject *event = item_event (items_of (after_object), i);
      g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/cancel", tn_json_object_get_string (event, "id"));
      g_autofree char *body = NULL;

      if (tn_test_http (f->url, "POST", path, f->organizer, "{}", -1, NULL, &body) == 200)
        cancelled_id = g_strdup (tn_json_object_get_string (event, "id"));
    }
  g_assert_nonnull (cancelled_id);
  {
    g_autofree char *now = get (f, "/api/v1/recommendations?limit=50", f->member, 200);
    g_autofree char *trending = get (f, "/api/v1/trending?limit=50", NULL, 200);

    g_assert_null (strstr (now, cancelled_id));
    g_assert_null (strstr (trending, cancelled_id));
  }

  /* a new model, without anyone waiting for it (refresh: 1 s) */
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  for (;;)
    {
      g_autofree char *body = get (f, "/api/v1/recommendations", f->member, 200);
      g_autoptr(JsonObject) current = tn_test_parse_object (body);

      if (g_strcmp0 (tn_json_object_get_string (current, "model_built_at"), built) != 0)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (200 * 1000);
    }
  g_free (cancelled_id);
}

/* The e-mail addresses of every user, by id (admin's list). */
static GHashTable *
emails_by_id (Fixture *f)
{
  GHashTable *emails = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *cursor = NULL;

  do
    {
      g_autofree char *path = cursor != NULL ? g_strdup_printf ("/api/v1/users?limit=500&cursor=%s", cursor)
                                             : g_strdup ("/api/v1/users?limit=500");
      g_autofree char *answer = get (f, path, f->admin, 200);
      g_autoptr(JsonObject) page = tn_test_parse_object (answer);
      JsonArray *items = items_of (page);

      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *user = json_array_get_object_element (items, i);

          g_hash_table_insert (emails, g_strdup (tn_json_object_get_string (user, "id")),
                               g_ascii_strdown (tn_json_object_get_string (user, "email"), -1));
        }
      g_clear_pointer (&cursor, g_free);
      if (json_object_has_member (page, "next_cursor") && !json_object_get_null_member (page, "next_cursor"))
        cursor = g_strdup (tn_json_object_get_string (page, "next_cursor"));
    }
  while (cursor != NULL);
  return emails;
}

/* "N people you follow are going": N is what the data says. */
static void
test_friends_reason (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GHashTable) emails = emails_by_id (f);
  g_autoptr(GHashTable) followed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *following_path = g_strdup_printf ("/api/v1/users/%s/following?limit=500", f->member_id);
  g_autofree char *following = get (f, following_path, f->member, 200);
  g_autoptr(JsonObject) following_object = tn_test_parse_object (following);
  g_autofree char *answer = get (f, "/api/v1/recommendations?limit=50", f->member, 200);
  g_autoptr(JsonObject) object = tn_test_parse_object (answer);
  g_autoptr(GRegex) friends = g_regex_new ("^(\\d+) (people|person) you follow (are|is) going$", 0, 0, NULL);
  guint checked = 0;

  for (guint i = 0; i < json_array_get_length (items_of (following_object)); i++)
    {
      const char *id = tn_json_object_get_string (json_array_get_object_element (items_of (following_object), i), "id");

      g_hash_table_add (followed, g_strdup (g_hash_table_lookup (emails, id)));
    }
  g_assert_cmpuint (g_hash_table_size (followed), >, 0);

  for (guint i = 0; i < json_array_get_length (items_of (object)); i++)
    {
      JsonObject *item = json_array_get_object_element (items_of (object), i);
      JsonArray *reasons = json_object_get_array_member (item, "reasons");

      for (guint r = 0; r < json_array_get_length (reasons); r++)
        {
          g_autoptr(GMatchInfo) match = NULL;
          g_autofree char *count_text = NULL;
          g_autofree char *path = NULL;
          g_autofree char *attendees = NULL;
          g_autoptr(JsonObject) list = NULL;
          guint going = 0;

          if (!g_regex_match (friends, json_array_get_string_element (reasons, r), 0, &match))
            continue;
          count_text = g_match_info_fetch (match, 1);
          path = g_strdup_printf ("/api/v1/events/%s/attendees?limit=500",
                                  tn_json_object_get_string (json_object_get_object_member (item, "event"), "id"));
          attendees = get (f, path, f->admin, 200);
          list = tn_test_parse_object (attendees);
          for (guint a = 0; a < json_array_get_length (items_of (list)); a++)
            {
              JsonObject *attendee = json_array_get_object_element (items_of (list), a);
              g_autofree char *email = g_ascii_strdown (tn_json_object_get_string (attendee, "email"), -1);

              if (g_strcmp0 (tn_json_object_get_string (attendee, "status"), "going") == 0 &&
                  g_hash_table_contains (followed, email))
                going++;
            }
          g_assert_cmpuint (going, ==, (guint) g_ascii_strtoull (count_text, NULL, 10));
          checked++;
        }
    }
  /* the demo has friends going to something maria has not answered */
  g_assert_cmpuint (checked, >, 0);
}

/* Similar events: not itself, only upcoming public ones; a private event
 * is not found by someone who may not see it. Trending by category. */
static void
test_similar_and_trending (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *list = get (f, "/api/v1/events?q=rust", NULL, 200);
  g_autoptr(JsonObject) found = tn_test_parse_object (list);
  const char *rust = tn_json_object_get_string (json_array_get_object_element (items_of (found), 0), "id");
  g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/similar", rust);
  g_autofree char *similar = get (f, path, NULL, 200);
  g_autoptr(JsonObject) similar_object = tn_test_parse_object (similar);
  g_autofree char *tech = get (f, "/api/v1/trending?category=Tech&limit=50", NULL, 200);
  g_autoptr(JsonObject) tech_object = tn_test_parse_object (tech);
  g_autofree char *created = NULL;
  g_autoptr(JsonObject) private_event = NULL;

  g_assert_cmpuint (json_array_get_length (items_of (similar_object)), >, 0);
  for (guint i = 0; i < json_array_get_length (items_of (similar_object)); i++)
    {
      JsonObject *event = item_event (items_of (similar_object), i);

      g_assert_cmpstr (tn_json_object_get_string (event, "id"), !=, rust);
      assert_recommendable (f, event);
    }
  g_assert_cmpuint (json_array_get_length (items_of (tech_object)), >, 0);
  for (guint i = 0; i < json_array_get_length (items_of (tech_object)); i++)
    {
      g_assert_cmpstr (tn_json_object_get_string (item_event (items_of (tech_object), i), "category"), ==, "Tech");
      assert_recommendable (f, item_event (items_of (tech_object), i));
    }

  /* a private event: 404 for an outsider, and never recommended */
  g_assert_cmpuint (tn_test_http (f->url, "POST", "/api/v1/events", f->organizer,
                                  "{\"title\":\"Private rust circle\",\"category\":\"Tech\",\"tags\":[\"rust\"],"
                                  "\"visibility\":\"private\",\"starts_at\":\"2031-01-10T18:00:00Z\","
                                  "\"ends_at\":\"2031-01-10T20:00:00Z\"}", -1, NULL, &created), ==, 201);
  private_event = tn_test_parse_object (created);
  {
    g_autofree char *private_path = g_strdup_printf ("/api/v1/events/%s/similar",
                                                     tn_json_object_get_string (private_event, "id"));
    g_autofree char *outsider = get (f, private_path, f->member, 404);
    g_autofree char *own = get (f, private_path, f->organizer, 200);
    g_autofree char *again = get (f, path, NULL, 200);
    g_autofree char *recs = get (f, "/api/v1/recommendations?limit=50", f->member, 200);

    tn_test_assert_error_body (outsider, "not_found");
    g_assert_null (strstr (again, "Private rust circle"));
    g_assert_null (strstr (recs, "Private rust circle"));
  }
}

/* The part of an answer that does not depend on when the model was built. */
static char *
items_part (const char *answer)
{
  const char *end = strstr (answer, ",\"model_built_at\"");

  g_assert_nonnull (end);
  return g_strndup (answer, end - answer);
}

typedef struct
{
  Fixture    *f;
  const char *token;
  const char *path;
  const char *expected;
  guint       rounds;
} Asker;

static gpointer
ask_repeatedly (gpointer data)
{
  Asker *asker = data;

  for (guint r = 0; r < asker->rounds; r++)
    {
      g_autofree char *answer = get (asker->f, asker->path, asker->token, 200);
      g_autofree char *items = items_part (answer);

      g_assert_cmpstr (items, ==, asker->expected);
    }
  return NULL;
}

/* The model is asked from worker threads: many members at once get
 * what each gets alone. */
static void
test_concurrent (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GHashTable) emails = emails_by_id (f);
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  g_autofree Asker *askers = NULL;
  static const char * const paths[] = {
    "/api/v1/recommendations", "/api/v1/recommendations?limit=50", "/api/v1/recommendations?near=52.52,13.40",
  };
  GHashTableIter iter;
  gpointer email;
  guint n = 0;

  g_hash_table_iter_init (&iter, emails);
  while (g_hash_table_iter_next (&iter, NULL, &email) && tokens->len < 12)
    g_ptr_array_add (tokens, tn_test_server_token_for (f->server, email));
  g_assert_cmpuint (tokens->len, >=, 6);
  askers = g_new0 (Asker, tokens->len * G_N_ELEMENTS (paths));
  for (guint t = 0; t < tokens->len; t++)
    for (guint p = 0; p < G_N_ELEMENTS (paths); p++)
      {
        g_autofree char *alone = get (f, paths[p], tokens->pdata[t], 200);

        g_ptr_array_add (expected, items_part (alone));
        askers[n] = (Asker) { f, tokens->pdata[t], paths[p], expected->pdata[n], 5 };
        n++;
      }
  for (guint k = 0; k < n; k++)
    g_ptr_array_add (threads, g_thread_new ("asker", ask_repeatedly, &askers[k]));
  for (guint k = 0; k < n; k++)
    g_thread_join (threads->pdata[k]);
}

int
main (int    argc,
      char **argv)
{
  tn_test_init (&argc, &argv);

#define ADD(path, func) g_test_add ("/server" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/recommendations/auth", test_auth);
  ADD ("/recommendations/bad-parameters", test_bad_parameters);
  ADD ("/recommendations/member", test_member);
  ADD ("/recommendations/fresh", test_fresh);
  ADD ("/recommendations/friends-reason", test_friends_reason);
  ADD ("/recommendations/similar-and-trending", test_similar_and_trending);
  ADD ("/recommendations/concurrent", test_concurrent);
#undef ADD
  return g_test_run ();
}
