/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Follows (PUT/DELETE /api/v1/users/{id}/follow, …/followers,
 * …/following) and the caller's recommendation profile (GET and PATCH
 * /api/v1/me), against a real server. */
#include "config.h"

#include <string.h>

#include "tn-json.h"
#include "tn-test-utils.h"

#define NO_SUCH_ID "00000000-0000-4000-8000-000000000000"

typedef struct
{
  char *token;
  char *id;
} Person;

typedef struct
{
  TnTestServer *server;
  const char   *url;
  Person        ada;
  Person        bob;
  Person        cy;
} Fixture;

static char *
send (Fixture    *f,
      const char *method,
      const char *path,
      const char *token,
      const char *body,
      guint       expected_status)
{
  g_autofree char *answer = NULL;
  guint status = tn_test_http (f->url, method, path, token, body, -1, NULL, &answer);

  if (status != expected_status)
    g_error ("%s %s: expected %u, got %u: %s", method, path, expected_status, status, answer);
  return g_steal_pointer (&answer);
}

static JsonObject *
send_object (Fixture    *f,
             const char *method,
             const char *path,
             const char *token,
             const char *body,
             guint       expected_status)
{
  g_autofree char *answer = send (f, method, path, token, body, expected_status);

  return tn_test_parse_object (answer);
}

static void
send_error (Fixture    *f,
            const char *method,
            const char *path,
            const char *token,
            const char *body,
            guint       expected_status,
            const char *code)
{
  g_autofree char *answer = send (f, method, path, token, body, expected_status);

  tn_test_assert_error_body (answer, code);
}

static void
person_init (Fixture    *f,
             Person     *person,
             const char *email)
{
  g_autoptr(JsonObject) me = NULL;

  person->token = tn_test_server_add_user (f->server, email, "follows-test-password", TN_ROLE_MEMBER);
  me = send_object (f, "GET", "/api/v1/me", person->token, NULL, 200);
  person->id = g_strdup (tn_json_object_get_string (me, "id"));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->server = tn_test_server_new (FALSE);
  f->url = tn_test_server_get_url (f->server);
  person_init (f, &f->ada, "ada@example.org");
  person_init (f, &f->bob, "bob@example.org");
  person_init (f, &f->cy, "cy@example.org");
}

static void
person_clear (Person *person)
{
  g_clear_pointer (&person->token, g_free);
  g_clear_pointer (&person->id, g_free);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  person_clear (&f->ada);
  person_clear (&f->bob);
  person_clear (&f->cy);
  tn_test_server_free (f->server);
}

static char *
follow_path (const char *user_id,
             const char *what)
{
  return g_strdup_printf ("/api/v1/users/%s/%s", user_id, what);
}

/* The whole list, page by page with @limit; checks that the pages hold
 * no repeats. Returns a table of user id → "friend" (a boolean). */
static GHashTable *
read_list (Fixture    *f,
           const char *token,
           const char *user_id,
           const char *which,
           guint       limit,
           guint      *out_pages)
{
  GHashTable *found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *cursor = NULL;
  guint pages = 0;

  do
    {
      g_autofree char *path = NULL;
      g_autoptr(JsonObject) page = NULL;
      JsonArray *items;
      JsonNode *next;

      path = cursor != NULL ? g_strdup_printf ("/api/v1/users/%s/%s?limit=%u&cursor=%s", user_id, which, limit, cursor)
                            : g_strdup_printf ("/api/v1/users/%s/%s?limit=%u", user_id, which, limit);
      page = send_object (f, "GET", path, token, NULL, 200);
      items = json_object_get_array_member (page, "items");
      g_assert_cmpuint (json_array_get_length (items), <=, limit);
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *item = json_array_get_object_element (items, i);
          const char *id = tn_json_object_get_string (item, "id");

          g_assert_nonnull (id);
          g_assert_nonnull (tn_json_object_get_string (item, "name"));
          g_assert_nonnull (tn_json_object_get_string (item, "since"));
          g_assert_false (g_hash_table_contains (found, id));
          g_hash_table_insert (found, g_strdup (id),
                               GINT_TO_POINTER (json_object_get_boolean_member (item, "friend")));
        }
      next = json_object_get_member (page, "next_cursor");
      g_clear_pointer (&cursor, g_free);
      if (!JSON_NODE_HOLDS_NULL (next))
        cursor = g_strdup (json_node_get_string (next));
      pages++;
      g_assert_cmpuint (pages, <, 100);
    }
  while (cursor != NULL);
  if (out_pages != NULL)
    *out_pages = pages;
  return found;
}

/* Following is idempotent; mutual follows are friends on both sides'
 * lists; unfollowing is idempotent too. */
static void
test_follow_unfollow (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *bob_follow = follow_path (f->bob.id, "follow");
  g_autofree char *ada_follow = follow_path (f->ada.id, "follow");
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(JsonObject) back = NULL;
  g_autoptr(GHashTable) list = NULL;
  g_autofree char *gone = NULL;

  first = send_object (f, "PUT", bob_follow, f->ada.token, NULL, 200);
  g_assert_cmpstr (tn_json_object_get_string (first, "id"), ==, f->bob.id);
  g_assert_cmpstr (tn_json_object_get_string (first, "name"), ==, "bob@example.org");
  g_assert_false (json_object_get_boolean_member (first, "friend"));
  again = send_object (f, "PUT", bob_follow, f->ada.token, "{}", 200);
  g_assert_cmpstr (tn_json_object_get_string (again, "since"), ==, tn_json_object_get_string (first, "since"));

  list = read_list (f, f->cy.token, f->bob.id, "followers", 50, NULL);
  g_assert_cmpuint (g_hash_table_size (list), ==, 1);
  g_assert_true (g_hash_table_contains (list, f->ada.id));
  g_assert_false (GPOINTER_TO_INT (g_hash_table_lookup (list, f->ada.id)));
  g_clear_pointer (&list, g_hash_table_unref);
  list = read_list (f, f->cy.token, f->ada.id, "following", 50, NULL);
  g_assert_cmpuint (g_hash_table_size (list), ==, 1);
  g_assert_true (g_hash_table_contains (list, f->bob.id));
  g_clear_pointer (&list, g_hash_table_unref);

  /* Bob follows back: friends */
  back = send_object (f, "PUT", ada_follow, f->bob.token, NULL, 200);
  g_assert_true (json_object_get_boolean_member (back, "friend"));
  list = read_list (f, f->ada.token, f->ada.id, "following", 50, NULL);
  g_assert_true (GPOINTER_TO_INT (g_hash_table_lookup (list, f->bob.id)));
  g_clear_pointer (&list, g_hash_table_unref);
  list = read_list (f, f->ada.token, f->ada.id, "followers", 50, NULL);
  g_assert_true (GPOINTER_TO_INT (g_hash_table_lookup (list, f->bob.id)));
  g_clear_pointer (&list, g_hash_table_unref);

  /* Ada unfollows, twice: Bob still follows her, no longer a friend */
  gone = send (f, "DELETE", bob_follow, f->ada.token, NULL, 204);
  g_clear_pointer (&gone, g_free);
  gone = send (f, "DELETE", bob_follow, f->ada.token, NULL, 204);
  list = read_list (f, f->ada.token, f->bob.id, "followers", 50, NULL);
  g_assert_cmpuint (g_hash_table_size (list), ==, 0);
  g_clear_pointer (&list, g_hash_table_unref);
  list = read_list (f, f->ada.token, f->bob.id, "following", 50, NULL);
  g_assert_cmpuint (g_hash_table_size (list), ==, 1);
  g_assert_false (GPOINTER_TO_INT (g_hash_table_lookup (list, f->ada.id)));
}

/* Oneself, nobody, and nobody signed in. */
static void
test_follow_refused (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *self = follow_path (f->ada.id, "follow");
  g_autofree char *nobody = follow_path (NO_SUCH_ID, "follow");
  g_autofree char *bob_follow = follow_path (f->bob.id, "follow");
  g_autofree char *nobody_followers = follow_path (NO_SUCH_ID, "followers");
  g_autofree char *nobody_following = follow_path (NO_SUCH_ID, "following");
  g_autofree char *bob_followers = follow_path (f->bob.id, "followers");
  g_autofree char *bob_following = follow_path (f->bob.id, "following");
  g_autoptr(GHashTable) list = NULL;

  send_error (f, "PUT", self, f->ada.token, NULL, 422, "validation_failed");
  send_error (f, "PUT", nobody, f->ada.token, NULL, 404, "not_found");
  send_error (f, "DELETE", nobody, f->ada.token, NULL, 404, "not_found");
  send_error (f, "PUT", "/api/v1/users/bob/follow", f->ada.token, NULL, 404, "not_found");
  send_error (f, "GET", nobody_followers, f->ada.token, NULL, 404, "not_found");
  send_error (f, "GET", nobody_following, f->ada.token, NULL, 404, "not_found");
  send_error (f, "PUT", bob_follow, NULL, NULL, 401, "unauthorized");
  send_error (f, "DELETE", bob_follow, NULL, NULL, 401, "unauthorized");
  send_error (f, "GET", bob_followers, NULL, NULL, 401, "unauthorized");
  send_error (f, "GET", bob_following, NULL, NULL, 401, "unauthorized");

  /* none of it followed anyone */
  list = read_list (f, f->ada.token, f->ada.id, "following", 50, NULL);
  g_assert_cmpuint (g_hash_table_size (list), ==, 0);
  g_clear_pointer (&list, g_hash_table_unref);
  list = read_list (f, f->ada.token, f->ada.id, "followers", 50, NULL);
  g_assert_cmpuint (g_hash_table_size (list), ==, 0);
}

/* Twelve followers, read three at a time, then the rest: every one once,
 * with the right friend flags. */
static void
test_follow_pages (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *ada_follow = follow_path (f->ada.id, "follow");
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) list = NULL;
  guint pages = 0;

  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *email = g_strdup_printf ("follower%u@example.org", i);
      g_autofree char *token = tn_test_server_add_user (f->server, email, "follows-test-password", TN_ROLE_MEMBER);
      g_autoptr(JsonObject) me = send_object (f, "GET", "/api/v1/me", token, NULL, 200);
      g_autoptr(JsonObject) followed = send_object (f, "PUT", ada_follow, token, NULL, 200);
      const char *id = tn_json_object_get_string (me, "id");

      g_ptr_array_add (ids, g_strdup (id));
      /* Ada follows every third one back */
      if (i % 3 == 0)
        {
          g_autofree char *back = follow_path (id, "follow");
          g_autoptr(JsonObject) entry = send_object (f, "PUT", back, f->ada.token, NULL, 200);

          g_assert_true (json_object_get_boolean_member (entry, "friend"));
        }
    }

  list = read_list (f, f->bob.token, f->ada.id, "followers", 3, &pages);
  g_assert_cmpuint (g_hash_table_size (list), ==, 12);
  g_assert_cmpuint (pages, >=, 4);
  for (guint i = 0; i < ids->len; i++)
    {
      g_assert_true (g_hash_table_contains (list, ids->pdata[i]));
      g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (list, ids->pdata[i])), ==, i % 3 == 0);
    }
  g_clear_pointer (&list, g_hash_table_unref);
  list = read_list (f, f->bob.token, f->ada.id, "following", 2, &pages);
  g_assert_cmpuint (g_hash_table_size (list), ==, 4);
  g_clear_pointer (&list, g_hash_table_unref);
  list = read_list (f, f->bob.token, f->ada.id, "followers", 500, &pages);
  g_assert_cmpuint (g_hash_table_size (list), ==, 12);
  g_assert_cmpuint (pages, ==, 1);
}

static void
assert_profile (Fixture    *f,
                const char *token,
                const char *expected)
{
  g_autoptr(JsonObject) me = send_object (f, "GET", "/api/v1/me", token, NULL, 200);
  g_autoptr(JsonObject) want = tn_test_parse_object (expected);
  JsonNode *lat = json_object_get_member (me, "home_lat");
  JsonNode *lon = json_object_get_member (me, "home_lon");
  JsonNode *want_lat = json_object_get_member (want, "home_lat");
  JsonArray *interests = json_object_get_array_member (me, "interests");
  JsonArray *want_interests = json_object_get_array_member (want, "interests");

  g_assert_nonnull (lat);
  g_assert_nonnull (lon);
  g_assert_nonnull (interests);
  if (JSON_NODE_HOLDS_NULL (want_lat))
    {
      g_assert_true (JSON_NODE_HOLDS_NULL (lat));
      g_assert_true (JSON_NODE_HOLDS_NULL (lon));
    }
  else
    {
      g_assert_cmpfloat_with_epsilon (json_node_get_double (lat), json_object_get_double_member (want, "home_lat"),
                                      1e-9);
      g_assert_cmpfloat_with_epsilon (json_node_get_double (lon), json_object_get_double_member (want, "home_lon"),
                                      1e-9);
    }
  g_assert_cmpuint (json_array_get_length (interests), ==, json_array_get_length (want_interests));
  for (guint i = 0; i < json_array_get_length (interests); i++)
    g_assert_cmpstr (json_array_get_string_element (interests, i), ==,
                     json_array_get_string_element (want_interests, i));
}

/* GET /me shows the profile; PATCH changes only what it names. */
static void
test_profile (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(JsonObject) answer = NULL;

  assert_profile (f, f->ada.token, "{\"home_lat\": null, \"home_lon\": null, \"interests\": []}");

  answer = send_object (f, "PATCH", "/api/v1/me", f->ada.token, "{\"home_lat\": 52.52, \"home_lon\": -13.405}", 200);
  g_assert_cmpstr (tn_json_object_get_string (answer, "id"), ==, f->ada.id);
  assert_profile (f, f->ada.token, "{\"home_lat\": 52.52, \"home_lon\": -13.405, \"interests\": []}");
  g_clear_pointer (&answer, json_object_unref);

  /* names in any case, stored as the categories' own, once */
  answer = send_object (f, "PATCH", "/api/v1/me", f->ada.token,
                        "{\"interests\": [\"tech\", \"FOOD & DRINK\", \"Tech\", \"Health & Wellness\"]}", 200);
  assert_profile (f, f->ada.token,
                  "{\"home_lat\": 52.52, \"home_lon\": -13.405, "
                  "\"interests\": [\"Tech\", \"Food & Drink\", \"Health & Wellness\"]}");
  g_clear_pointer (&answer, json_object_unref);

  /* the edges of the range */
  answer = send_object (f, "PATCH", "/api/v1/me", f->ada.token, "{\"home_lat\": -90, \"home_lon\": 180}", 200);
  assert_profile (f, f->ada.token,
                  "{\"home_lat\": -90, \"home_lon\": 180, "
                  "\"interests\": [\"Tech\", \"Food & Drink\", \"Health & Wellness\"]}");
  g_clear_pointer (&answer, json_object_unref);

  answer = send_object (f, "PATCH", "/api/v1/me", f->ada.token, "{}", 200);
  g_clear_pointer (&answer, json_object_unref);
  answer = send_object (f, "PATCH", "/api/v1/me", f->ada.token,
                        "{\"home_lat\": null, \"home_lon\": null, \"interests\": []}", 200);
  assert_profile (f, f->ada.token, "{\"home_lat\": null, \"home_lon\": null, \"interests\": []}");

  /* others' profiles are their own */
  assert_profile (f, f->bob.token, "{\"home_lat\": null, \"home_lon\": null, \"interests\": []}");
}

typedef struct
{
  const char *name;
  const char *body;
  guint       status;
  const char *code;
  const char *field;
} BadProfile;

static const BadProfile bad_profiles[] = {
  { "lat-string", "{\"home_lat\": \"52\", \"home_lon\": 13}", 422, "validation_failed", "home_lat" },
  { "lon-bool", "{\"home_lat\": 52, \"home_lon\": false}", 422, "validation_failed", "home_lon" },
  { "lat-alone", "{\"home_lat\": 52}", 422, "validation_failed", "home_lon" },
  { "lat-null-alone", "{\"home_lat\": null, \"home_lon\": 3}", 422, "validation_failed", "home_lat" },
  { "lat-out-of-range", "{\"home_lat\": 90.0001, \"home_lon\": 13}", 422, "validation_failed", "home_lat" },
  { "lon-out-of-range", "{\"home_lat\": 52, \"home_lon\": -180.5}", 422, "validation_failed", "home_lon" },
  { "interests-object", "{\"interests\": {\"Tech\": true}}", 422, "validation_failed", "interests" },
  { "interests-mixed", "{\"interests\": [\"Tech\", 3]}", 422, "validation_failed", "interests" },
  { "interests-unknown", "{\"interests\": [\"Tech\", \"Basket weaving\"]}", 422, "validation_failed", "interests" },
  { "interests-21", "{\"interests\": [\"Tech\", \"Tech\", \"Tech\", \"Tech\", \"Tech\", \"Tech\", \"Tech\", "
    "\"Tech\", \"Tech\", \"Tech\", \"Tech\", \"Tech\", \"Tech\", \"Tech\", \"Tech\", \"Tech\", \"Tech\", \"Tech\", "
    "\"Tech\", \"Tech\", \"Tech\"]}", 422, "validation_failed", "interests" },
  { "email", "{\"email\": \"x@example.org\"}", 422, "validation_failed", "email" },
  { "bad-utf8", "{\"interests\": [\"Mus\xc3\x28ic\"]}", 400, "bad_request", NULL },
  { "not-json", "{\"interests\": [", 400, "bad_request", NULL },
  { "array", "[]", 400, "bad_request", NULL },
};

/* Bad input changes nothing and names the field. */
static void
test_profile_bad (Fixture       *f,
                  gconstpointer  data)
{
  const char *kept = "{\"home_lat\": 1.5, \"home_lon\": 2.5, \"interests\": [\"Music\"]}";
  g_autoptr(JsonObject) answer = send_object (f, "PATCH", "/api/v1/me", f->cy.token, kept, 200);
  g_autoptr(GString) huge = g_string_new ("{\"interests\": [\"");
  g_autofree char *too_large = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad_profiles); i++)
    {
      const BadProfile *c = &bad_profiles[i];
      g_autofree char *text = send (f, "PATCH", "/api/v1/me", f->cy.token, c->body, c->status);
      g_autoptr(JsonObject) root = tn_test_parse_object (text);
      JsonObject *error = json_object_get_object_member (root, "error");

      g_test_message ("case %s", c->name);
      tn_test_assert_error_body (text, c->code);
      if (c->field != NULL)
        g_assert_true (json_object_has_member (json_object_get_object_member (error, "details"), c->field));
      assert_profile (f, f->cy.token, kept);
    }

  /* more than the 1 MiB a body may have */
  for (guint i = 0; i < 2 * 1024 * 1024; i++)
    g_string_append_c (huge, 'a');
  g_string_append (huge, "\"]}");
  too_large = send (f, "PATCH", "/api/v1/me", f->cy.token, huge->str, 413);
  tn_test_assert_error_body (too_large, "payload_too_large");
  assert_profile (f, f->cy.token, kept);
}

/* Lists and sign-in answers leave the profile out. */
static void
test_profile_only_on_me (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(JsonObject) answer = send_object (f, "PATCH", "/api/v1/me", f->bob.token,
                                              "{\"home_lat\": 1, \"home_lon\": 2, \"interests\": [\"Arts\"]}", 200);
  g_autoptr(JsonObject) login = send_object (f, "POST", "/api/v1/auth/login", NULL,
                                             "{\"email\": \"bob@example.org\", \"password\": \"follows-test-password\"}",
                                             200);
  JsonObject *user = json_object_get_object_member (login, "user");

  g_assert_true (json_object_has_member (answer, "interests"));
  g_assert_nonnull (user);
  g_assert_false (json_object_has_member (user, "interests"));
  g_assert_false (json_object_has_member (user, "home_lat"));
}

/* The demo community has friends and homes for recommendations to talk
 * about. */
static void
test_demo (void)
{
  g_autoptr(TnTestServer) server = tn_test_server_new (TRUE);
  g_autofree char *token = tn_test_server_token_for (server, TN_DEMO_MEMBER_EMAIL);
  g_autofree char *answer = NULL;
  g_autofree char *following = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) me = NULL;
  g_autoptr(JsonObject) page = NULL;
  JsonArray *items;
  guint friends = 0;

  g_assert_cmpuint (tn_test_http (tn_test_server_get_url (server), "GET", "/api/v1/me", token, NULL, -1, NULL,
                                  &answer), ==, 200);
  me = tn_test_parse_object (answer);
  g_assert_true (tn_json_node_is_number (json_object_get_member (me, "home_lat")));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (me, "interests")), >, 0);
  path = g_strdup_printf ("/api/v1/users/%s/following", tn_json_object_get_string (me, "id"));
  g_assert_cmpuint (tn_test_http (tn_test_server_get_url (server), "GET", path, token, NULL, -1, NULL,
                                  &following), ==, 200);
  page = tn_test_parse_object (following);
  items = json_object_get_array_member (page, "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    friends += json_object_get_boolean_member (json_array_get_object_element (items, i), "friend");
  g_assert_cmpuint (json_array_get_length (items), >=, 3);
  g_assert_cmpuint (friends, >=, 2);
}

int
main (int    argc,
      char **argv)
{
  tn_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/server/follows/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("follow-unfollow", test_follow_unfollow);
  ADD ("refused", test_follow_refused);
  ADD ("pages", test_follow_pages);
  ADD ("profile", test_profile);
  ADD ("profile/bad-input", test_profile_bad);
  ADD ("profile/only-on-me", test_profile_only_on_me);
#undef ADD
  g_test_add_func ("/server/follows/demo", test_demo);

  return g_test_run ();
}
