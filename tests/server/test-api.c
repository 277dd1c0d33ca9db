/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every endpoint of the API, over HTTP, against a real server with the
 * demo community. */
#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "tn-json.h"
#include "tn-test-utils.h"

#define DEMO_EVENTS 31
#define DEMO_USERS  10
#define OTHER_ORGANIZER_EMAIL "omar@example.org"

typedef struct
{
  TnTestServer *server;
  const char   *url;
  char         *admin;       /* tokens */
  char         *organizer;   /* olivia, organizer A */
  char         *other;       /* omar, organizer B */
  char         *staff;
  char         *member;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->server = tn_test_server_new (TRUE);
  f->url = tn_test_server_get_url (f->server);
  f->admin = tn_test_server_token_for (f->server, TN_DEMO_ADMIN_EMAIL);
  f->organizer = tn_test_server_token_for (f->server, TN_DEMO_ORGANIZER_EMAIL);
  f->other = tn_test_server_token_for (f->server, OTHER_ORGANIZER_EMAIL);
  f->staff = tn_test_server_token_for (f->server, TN_DEMO_STAFF_EMAIL);
  f->member = tn_test_server_token_for (f->server, TN_DEMO_MEMBER_EMAIL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->server, tn_test_server_free);
  g_free (f->admin);
  g_free (f->organizer);
  g_free (f->other);
  g_free (f->staff);
  g_free (f->member);
}

/* --- HTTP with response headers ------------------------------------------ */

/* The shared request helper, with this file's fixture. */
typedef TnTestReply Reply;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, tn_test_reply_free)

static Reply *
http (Fixture    *f,
      const char *method,
      const char *path,
      const char *token,
      const char *body,
      const char *if_match)
{
  return tn_test_request (f->url, method, path, token, body, if_match);
}

/* Sends a request that must succeed with @status; returns the body as an
 * object (or NULL for an empty body). */
static JsonObject *
expect_ok (Fixture    *f,
           const char *method,
           const char *path,
           const char *token,
           const char *body,
           guint       status)
{
  g_autoptr(Reply) reply = http (f, method, path, token, body, NULL);

  if (reply->status != status)
    g_error ("%s %s: expected %u, got %u: %s", method, path, status, reply->status, reply->body);
  if (reply->body[0] == '\0')
    return NULL;
  return tn_test_parse_object (reply->body);
}

static void
expect_error (Fixture    *f,
              const char *method,
              const char *path,
              const char *token,
              const char *body,
              const char *if_match,
              guint       status,
              const char *code)
{
  g_autoptr(Reply) reply = http (f, method, path, token, body, if_match);

  if (reply->status != status)
    g_error ("%s %s: expected %u, got %u: %s", method, path, status, reply->status, reply->body);
  tn_test_assert_error_body (reply->body, code);
}

static char *
event_path (const char *id)
{
  return g_strconcat ("/api/v1/events/", id, NULL);
}

/* Every event a caller sees in the list, one page of 500. */
static JsonArray *
list_events (Fixture    *f,
             const char *token,
             const char *query)
{
  g_autofree char *path = g_strconcat ("/api/v1/events?limit=500", query != NULL ? "&" : "", query,
                                       NULL);
  g_autoptr(JsonObject) page = expect_ok (f, "GET", path, token, NULL, 200);

  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (page, "next_cursor")));
  return json_array_ref (json_object_get_array_member (page, "items"));
}

static const char *
item_string (JsonArray  *items,
             guint       i,
             const char *member)
{
  return tn_json_object_get_string (json_array_get_object_element (items, i), member);
}

static gboolean
list_has_id (JsonArray  *items,
             const char *id)
{
  for (guint i = 0; i < json_array_get_length (items); i++)
    if (g_strcmp0 (item_string (items, i, "id"), id) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
list_has_title (JsonArray  *items,
                const char *title)
{
  for (guint i = 0; i < json_array_get_length (items); i++)
    if (g_strcmp0 (item_string (items, i, "title"), title) == 0)
      return TRUE;
  return FALSE;
}

static char *
user_id (Fixture    *f,
         const char *token)
{
  g_autoptr(JsonObject) me = expect_ok (f, "GET", "/api/v1/me", token, NULL, 200);

  return g_strdup (tn_json_object_get_string (me, "id"));
}

/* Creates an event as @token; returns it as the server answered. */
static JsonObject *
create_event (Fixture    *f,
              const char *token,
              const char *title,
              const char *visibility)
{
  g_autofree char *body = g_strdup_printf ("{\"title\": \"%s\", "
                                           "\"starts_at\": \"2030-05-01T18:00:00Z\", "
                                           "\"ends_at\": \"2030-05-01T20:00:00Z\", "
                                           "\"visibility\": \"%s\", "
                                           "\"category\": \"Tech\", \"tags\": [\"testing\"], "
                                           "\"capacity\": 10}",
                                           title, visibility);

  return expect_ok (f, "POST", "/api/v1/events", token, body, 201);
}

/* --- health and metrics -------------------------------------------------- */

static void
test_health (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(JsonObject) health = expect_ok (f, "GET", "/health", NULL, NULL, 200);
  g_autoptr(JsonObject) ready = NULL;

  g_assert_cmpstr (tn_json_object_get_string (health, "status"), ==, "ok");
  g_assert_cmpstr (tn_json_object_get_string (health, "version"), ==, PACKAGE_VERSION);

  ready = expect_ok (f, "GET", "/health/ready", NULL, NULL, 200);
  g_assert_cmpstr (tn_json_object_get_string (ready, "status"), ==, "ready");
  g_assert_cmpstr (tn_json_object_get_string (ready, "database"), ==, "ok");
}

/* Returns the value of the sample line that starts with @prefix followed by
 * a space, or -1 if there is none. */
static double
metric_value (const char *text,
              const char *prefix)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  gsize len = strlen (prefix);

  for (guint i = 0; lines[i] != NULL; i++)
    if (strncmp (lines[i], prefix, len) == 0 && lines[i][len] == ' ')
      return g_ascii_strtod (lines[i] + len + 1, NULL);
  return -1;
}

static void
test_metrics (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(JsonArray) items = list_events (f, NULL, NULL);
  g_autofree char *path = event_path (item_string (items, 0, "id"));
  g_autoptr(JsonObject) event = expect_ok (f, "GET", path, NULL, NULL, 200);
  g_autoptr(Reply) missing = http (f, "GET", "/api/v1/events/00000000-0000-4000-8000-000000000000",
                                   NULL, NULL, NULL);
  g_autoptr(Reply) unknown = http (f, "GET", "/no/such/path/a1b2c3", NULL, NULL, NULL);
  g_autoptr(Reply) reply = http (f, "GET", "/metrics", NULL, NULL, NULL);
  const char *route = "route=\"/api/v1/events/{id}\"";
  double previous = 0;
  g_autofree char *key = NULL;

  g_assert_cmpuint (missing->status, ==, 404);
  g_assert_cmpuint (unknown->status, ==, 404);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (reply->headers, NULL),
                                   "text/plain"));

  g_assert_nonnull (strstr (reply->body, "# TYPE turnout_http_requests_total counter\n"));
  g_assert_nonnull (strstr (reply->body,
                            "# TYPE turnout_http_request_duration_seconds histogram\n"));

  /* Counted by route pattern, method and status, never by raw path. */
  key = g_strdup_printf ("turnout_http_requests_total{%s,method=\"GET\",status=\"200\"}", route);
  g_assert_cmpfloat (metric_value (reply->body, key), ==, 1);
  g_free (key);
  key = g_strdup_printf ("turnout_http_requests_total{%s,method=\"GET\",status=\"404\"}", route);
  g_assert_cmpfloat (metric_value (reply->body, key), ==, 1);
  g_free (key);
  key = g_strdup ("turnout_http_requests_total{route=\"/api/v1/events\",method=\"GET\","
                  "status=\"200\"}");
  g_assert_cmpfloat (metric_value (reply->body, key), ==, 1);
  g_assert_null (strstr (reply->body, "a1b2c3"));
  g_assert_null (strstr (reply->body, item_string (items, 0, "id")));

  /* The histogram of the route: cumulative buckets, +Inf = _count = 2. */
  for (const char *le = "0.0005,0.001,0.0025,0.005,0.01,0.025,0.05,0.1,0.25,0.5,1,2.5,5,10,+Inf";
       *le != '\0'; )
    {
      const char *comma = strchr (le, ',');
      g_autofree char *bound = comma != NULL ? g_strndup (le, (gsize) (comma - le)) : g_strdup (le);
      g_autofree char *bucket = g_strdup_printf ("turnout_http_request_duration_seconds_bucket"
                                                 "{%s,le=\"%s\"}", route, bound);
      double value = metric_value (reply->body, bucket);

      g_assert_cmpfloat (value, >=, previous);
      previous = value;
      le = comma != NULL ? comma + 1 : le + strlen (le);
    }
  g_assert_cmpfloat (previous, ==, 2);
  g_free (key);
  key = g_strdup_printf ("turnout_http_request_duration_seconds_count{%s}", route);
  g_assert_cmpfloat (metric_value (reply->body, key), ==, 2);
  g_free (key);
  key = g_strdup_printf ("turnout_http_request_duration_seconds_sum{%s}", route);
  g_assert_cmpfloat (metric_value (reply->body, key), >=, 0);
  g_assert_nonnull (event);
}

/* --- auth ---------------------------------------------------------------- */

static void
test_login (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) me = NULL;
  g_autoptr(Reply) wrong = NULL;
  g_autoptr(Reply) unknown = NULL;
  JsonObject *user;
  const char *token;

  answer = expect_ok (f, "POST", "/api/v1/auth/login", NULL,
                      "{\"email\": \"olivia@example.org\", \"password\": \"" TN_DEMO_PASSWORD "\"}",
                      200);
  token = tn_json_object_get_string (answer, "token");
  g_assert_nonnull (token);
  g_assert_cmpuint (strlen (token), >=, 40);
  g_assert_cmpstr (tn_json_object_get_string (answer, "token_type"), ==, "Bearer");
  g_assert_nonnull (tn_json_object_get_string (answer, "expires_at"));
  user = json_object_get_object_member (answer, "user");
  g_assert_nonnull (user);
  g_assert_cmpstr (tn_json_object_get_string (user, "email"), ==, TN_DEMO_ORGANIZER_EMAIL);
  g_assert_cmpstr (tn_json_object_get_string (user, "role"), ==, "organizer");
  g_assert_cmpstr (tn_json_object_get_string (user, "name"), ==, "Olivia Okafor");
  g_assert_false (json_object_has_member (user, "password"));
  g_assert_false (json_object_has_member (user, "password_hash"));

  me = expect_ok (f, "GET", "/api/v1/me", token, NULL, 200);
  g_assert_cmpstr (tn_json_object_get_string (me, "email"), ==, TN_DEMO_ORGANIZER_EMAIL);
  g_assert_cmpstr (tn_json_object_get_string (me, "id"), ==,
                   tn_json_object_get_string (user, "id"));

  /* A wrong password and an unknown address get the very same answer. */
  wrong = http (f, "POST", "/api/v1/auth/login", NULL,
                "{\"email\": \"olivia@example.org\", \"password\": \"turnout-demO\"}", NULL);
  unknown = http (f, "POST", "/api/v1/auth/login", NULL,
                  "{\"email\": \"nobody@example.org\", \"password\": \"" TN_DEMO_PASSWORD "\"}",
                  NULL);
  g_assert_cmpuint (wrong->status, ==, 401);
  g_assert_cmpuint (unknown->status, ==, 401);
  tn_test_assert_error_body (wrong->body, "unauthorized");
  g_assert_cmpstr (wrong->body, ==, unknown->body);
}

static void
test_logout (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) me = NULL;
  g_autoptr(JsonObject) none = NULL;
  g_autofree char *token = NULL;

  answer = expect_ok (f, "POST", "/api/v1/auth/login", NULL,
                      "{\"email\": \"maria@example.org\", \"password\": \"" TN_DEMO_PASSWORD "\"}",
                      200);
  token = g_strdup (tn_json_object_get_string (answer, "token"));
  me = expect_ok (f, "GET", "/api/v1/me", token, NULL, 200);
  g_assert_cmpstr (tn_json_object_get_string (me, "email"), ==, TN_DEMO_MEMBER_EMAIL);

  none = expect_ok (f, "POST", "/api/v1/auth/logout", token, NULL, 204);
  g_assert_null (none);
  expect_error (f, "GET", "/api/v1/me", token, NULL, NULL, 401, "unauthorized");
  expect_error (f, "POST", "/api/v1/auth/logout", token, NULL, NULL, 401, "unauthorized");

  /* Only that token: another one of the same user still works. */
  g_clear_pointer (&me, json_object_unref);
  me = expect_ok (f, "GET", "/api/v1/me", f->member, NULL, 200);
  g_assert_cmpstr (tn_json_object_get_string (me, "email"), ==, TN_DEMO_MEMBER_EMAIL);
}

static void
test_me (Fixture       *f,
         gconstpointer  data)
{
  g_autoptr(JsonObject) me = expect_ok (f, "GET", "/api/v1/me", f->member, NULL, 200);
  g_autoptr(JsonObject) admin = expect_ok (f, "GET", "/api/v1/me", f->admin, NULL, 200);
  g_autoptr(Reply) anonymous = http (f, "GET", "/api/v1/me", NULL, NULL, NULL);

  g_assert_cmpstr (tn_json_object_get_string (me, "email"), ==, TN_DEMO_MEMBER_EMAIL);
  g_assert_cmpstr (tn_json_object_get_string (me, "name"), ==, "María José Núñez");
  g_assert_cmpstr (tn_json_object_get_string (me, "role"), ==, "member");
  g_assert_true (g_uuid_string_is_valid (tn_json_object_get_string (me, "id")));
  g_assert_cmpstr (tn_json_object_get_string (admin, "role"), ==, "admin");

  g_assert_cmpuint (anonymous->status, ==, 401);
  tn_test_assert_error_body (anonymous->body, "unauthorized");
  g_assert_nonnull (soup_message_headers_get_one (anonymous->headers, "WWW-Authenticate"));
}

/* --- users --------------------------------------------------------------- */

static guint
count_users (Fixture *f)
{
  g_autoptr(JsonObject) page = expect_ok (f, "GET", "/api/v1/users?limit=500", f->admin, NULL, 200);

  return json_array_get_length (json_object_get_array_member (page, "items"));
}

static void
test_users_create (Fixture       *f,
                   gconstpointer  data)
{
  const char *body = "{\"email\": \"newbie@example.org\", \"name\": \"New Bie\", "
                     "\"password\": \"correct horse\", \"role\": \"member\"}";
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonObject) login = NULL;
  g_autoptr(JsonObject) me = NULL;

  g_assert_cmpuint (count_users (f), ==, DEMO_USERS);

  created = expect_ok (f, "POST", "/api/v1/users", f->admin, body, 201);
  g_assert_true (g_uuid_string_is_valid (tn_json_object_get_string (created, "id")));
  g_assert_cmpstr (tn_json_object_get_string (created, "email"), ==, "newbie@example.org");
  g_assert_cmpstr (tn_json_object_get_string (created, "name"), ==, "New Bie");
  g_assert_cmpstr (tn_json_object_get_string (created, "role"), ==, "member");
  g_assert_false (json_object_has_member (created, "password"));
  g_assert_false (json_object_has_member (created, "password_hash"));
  g_assert_cmpuint (count_users (f), ==, DEMO_USERS + 1);

  login = expect_ok (f, "POST", "/api/v1/auth/login", NULL,
                     "{\"email\": \"newbie@example.org\", \"password\": \"correct horse\"}", 200);
  me = expect_ok (f, "GET", "/api/v1/me", tn_json_object_get_string (login, "token"), NULL, 200);
  g_assert_cmpstr (tn_json_object_get_string (me, "id"), ==,
                   tn_json_object_get_string (created, "id"));
  g_assert_cmpstr (tn_json_object_get_string (me, "role"), ==, "member");

  /* E-mail addresses are unique, whatever their case. */
  expect_error (f, "POST", "/api/v1/users", f->admin, body, NULL, 409, "conflict");
  expect_error (f, "POST", "/api/v1/users", f->admin,
                "{\"email\": \"NewBie@Example.org\", \"name\": \"Other\", "
                "\"password\": \"12345678\", "
                "\"role\": \"admin\"}", NULL, 409, "conflict");

  /* Only admins create users. */
  expect_error (f, "POST", "/api/v1/users", f->organizer,
                "{\"email\": \"x1@example.org\", \"name\": \"X\", \"password\": \"12345678\", "
                "\"role\": \"member\"}",
                NULL, 403, "forbidden");
  expect_error (f, "POST", "/api/v1/users", f->member,
                "{\"email\": \"x2@example.org\", \"name\": \"X\", \"password\": \"12345678\", "
                "\"role\": \"admin\"}",
                NULL, 403, "forbidden");
  expect_error (f, "POST", "/api/v1/users", NULL,
                "{\"email\": \"x3@example.org\", \"name\": \"X\", \"password\": \"12345678\", "
                "\"role\": \"member\"}",
                NULL, 401, "unauthorized");
  g_assert_cmpuint (count_users (f), ==, DEMO_USERS + 1);
}

static void
test_users_create_roles (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonObject) login = NULL;
  g_autoptr(JsonObject) event = NULL;

  created = expect_ok (f, "POST", "/api/v1/users", f->admin,
                       "{\"email\": \"org2@example.org\", \"name\": \"Org Two\", "
                       "\"password\": \"organizer!\", "
                       "\"role\": \"organizer\"}", 201);
  g_assert_cmpstr (tn_json_object_get_string (created, "role"), ==, "organizer");
  login = expect_ok (f, "POST", "/api/v1/auth/login", NULL,
                     "{\"email\": \"org2@example.org\", \"password\": \"organizer!\"}", 200);
  /* The new organizer may create events. */
  event = create_event (f, tn_json_object_get_string (login, "token"), "By the new organizer",
                        "public");
  g_assert_cmpstr (tn_json_object_get_string (event, "organizer"), ==,
                   tn_json_object_get_string (created, "id"));
}

static void
test_users_list (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(JsonObject) all = expect_ok (f, "GET", "/api/v1/users", f->admin, NULL, 200);
  JsonArray *items = json_object_get_array_member (all, "items");
  g_autofree char *cursor = NULL;
  g_autofree char *previous = NULL;
  guint pages = 0;

  g_assert_cmpuint (json_array_get_length (items), ==, DEMO_USERS);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (all, "next_cursor")));
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *user = json_array_get_object_element (items, i);

      g_assert_nonnull (tn_json_object_get_string (user, "email"));
      g_assert_nonnull (tn_json_object_get_string (user, "role"));
      g_assert_false (json_object_has_member (user, "password_hash"));
      if (i > 0)
        g_assert_cmpstr (item_string (items, i - 1, "email"), <,
                         tn_json_object_get_string (user, "email"));
    }

  /* Pages of three: 3 + 3 + 3 + 1, every user once, in order. */
  do
    {
      g_autofree char *path = cursor != NULL
                              ? g_strdup_printf ("/api/v1/users?limit=3&cursor=%s", cursor)
                              : g_strdup ("/api/v1/users?limit=3");
      g_autoptr(JsonObject) page = expect_ok (f, "GET", path, f->admin, NULL, 200);
      JsonArray *page_items = json_object_get_array_member (page, "items");
      JsonNode *next = json_object_get_member (page, "next_cursor");

      g_assert_cmpuint (json_array_get_length (page_items), <=, 3);
      g_assert_cmpuint (json_array_get_length (page_items), >, 0);
      for (guint i = 0; i < json_array_get_length (page_items); i++)
        {
          const char *email = item_string (page_items, i, "email");

          g_assert_false (g_hash_table_contains (seen, email));
          if (previous != NULL)
            g_assert_cmpstr (previous, <, email);
          g_free (previous);
          previous = g_strdup (email);
          g_assert_cmpstr (email, ==, item_string (items, g_hash_table_size (seen), "email"));
          g_hash_table_add (seen, g_strdup (email));
        }
      g_clear_pointer (&cursor, g_free);
      if (!JSON_NODE_HOLDS_NULL (next))
        cursor = g_uri_escape_string (json_node_get_string (next), NULL, FALSE);
      pages++;
      g_assert_cmpuint (pages, <=, 4);
    }
  while (cursor != NULL);
  g_assert_cmpuint (pages, ==, 4);
  g_assert_cmpuint (g_hash_table_size (seen), ==, DEMO_USERS);

  /* Admins only. */
  expect_error (f, "GET", "/api/v1/users", f->organizer, NULL, NULL, 403, "forbidden");
  expect_error (f, "GET", "/api/v1/users", f->staff, NULL, NULL, 403, "forbidden");
  expect_error (f, "GET", "/api/v1/users", f->member, NULL, NULL, 403, "forbidden");
  expect_error (f, "GET", "/api/v1/users", NULL, NULL, NULL, 401, "unauthorized");
}

/* --- event lists --------------------------------------------------------- */

static void
test_events_order (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonArray) items = list_events (f, NULL, NULL);
  g_autoptr(JsonObject) page = expect_ok (f, "GET", "/api/v1/events", NULL, NULL, 200);

  g_assert_cmpuint (json_array_get_length (items), ==, DEMO_EVENTS);
  for (guint i = 1; i < json_array_get_length (items); i++)
    {
      int order = g_strcmp0 (item_string (items, i - 1, "starts_at"),
                             item_string (items, i, "starts_at"));

      g_assert_cmpint (order, <=, 0);
      if (order == 0)
        g_assert_cmpstr (item_string (items, i - 1, "id"), <, item_string (items, i, "id"));
    }
  g_assert_cmpstr (item_string (items, 0, "title"), ==, "Open House at the Makerspace");
  g_assert_cmpstr (item_string (items, DEMO_EVENTS - 1, "title"), ==, "Year-End Community Meetup");

  /* The default page (50) holds all of them, and says there is no more. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "items")), ==,
                    DEMO_EVENTS);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (page, "next_cursor")));
}

static void
walk_pages (Fixture    *f,
            const char *token,
            guint       limit,
            JsonArray  *all)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *cursor = NULL;
  guint pages = 0;
  guint total = json_array_get_length (all);

  do
    {
      g_autofree char *path = cursor != NULL
                              ? g_strdup_printf ("/api/v1/events?limit=%u&cursor=%s", limit, cursor)
                              : g_strdup_printf ("/api/v1/events?limit=%u", limit);
      g_autoptr(JsonObject) page = expect_ok (f, "GET", path, token, NULL, 200);
      JsonArray *items = json_object_get_array_member (page, "items");
      JsonNode *next = json_object_get_member (page, "next_cursor");
      guint n = json_array_get_length (items);

      g_assert_cmpuint (n, ==, MIN (limit, total - g_hash_table_size (seen)));
      for (guint i = 0; i < n; i++)
        {
          const char *id = item_string (items, i, "id");

          /* No repeats, no gaps: the pages concatenate to the full list. */
          g_assert_false (g_hash_table_contains (seen, id));
          g_assert_cmpstr (id, ==, item_string (all, g_hash_table_size (seen), "id"));
          g_hash_table_add (seen, (gpointer) item_string (all, g_hash_table_size (seen), "id"));
        }
      g_clear_pointer (&cursor, g_free);
      if (!JSON_NODE_HOLDS_NULL (next))
        {
          g_assert_cmpuint (g_hash_table_size (seen), <, total);
          cursor = g_uri_escape_string (json_node_get_string (next), NULL, FALSE);
        }
      pages++;
      g_assert_cmpuint (pages, <=, total / limit + 1);
    }
  while (cursor != NULL);

  g_assert_cmpuint (g_hash_table_size (seen), ==, total);
  g_assert_cmpuint (pages, ==, (total + limit - 1) / limit);
}

static void
test_events_pagination (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(JsonArray) all = list_events (f, NULL, NULL);
  g_autoptr(JsonObject) a = NULL;
  g_autoptr(JsonObject) b = NULL;

  g_assert_cmpuint (json_array_get_length (all), ==, DEMO_EVENTS);
  walk_pages (f, NULL, 7, all);
  walk_pages (f, NULL, 1, all);
  walk_pages (f, NULL, 10, all);
  walk_pages (f, NULL, 30, all);

  /* Two events at the same time are still ordered and paged apart. */
  a = expect_ok (f, "POST", "/api/v1/events", f->organizer,
                 "{\"title\": \"Twin A\", \"starts_at\": \"2026-01-01T00:00:00Z\", "
                 "\"ends_at\": \"2099-01-01T00:00:00Z\"}",
                 201);
  b = expect_ok (f, "POST", "/api/v1/events", f->organizer,
                 "{\"title\": \"Twin B\", \"starts_at\": \"2026-01-01T00:00:00Z\", "
                 "\"ends_at\": \"2099-01-01T00:00:00Z\"}",
                 201);
  {
    g_autoptr(JsonArray) more = list_events (f, NULL, NULL);

    g_assert_cmpuint (json_array_get_length (more), ==, DEMO_EVENTS + 2);
    walk_pages (f, NULL, 1, more);
    walk_pages (f, NULL, 4, more);
  }
}

static void
assert_same_ids (JsonArray *got,
                 GPtrArray *expected)
{
  g_assert_cmpuint (json_array_get_length (got), ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    g_assert_cmpstr (item_string (got, i, "id"), ==, expected->pdata[i]);
}

static void
test_events_from_to (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonArray) all = list_events (f, NULL, NULL);
  const char *from = item_string (all, 10, "starts_at");
  const char *to = item_string (all, 20, "starts_at");
  g_autoptr(GPtrArray) both = g_ptr_array_new ();
  g_autoptr(GPtrArray) after = g_ptr_array_new ();
  g_autoptr(GPtrArray) before = g_ptr_array_new ();
  g_autofree char *q_both = g_strdup_printf ("from=%s&to=%s", from, to);
  g_autofree char *q_from = g_strdup_printf ("from=%s", from);
  g_autofree char *q_to = g_strdup_printf ("to=%s", to);
  g_autoptr(JsonArray) got_both = NULL;
  g_autoptr(JsonArray) got_from = NULL;
  g_autoptr(JsonArray) got_to = NULL;
  g_autoptr(JsonArray) got_none = NULL;

  /* from: events not over by then; to: events that start before. RFC 3339
   * in UTC sorts as text. */
  for (guint i = 0; i < json_array_get_length (all); i++)
    {
      gboolean not_over = g_strcmp0 (item_string (all, i, "ends_at"), from) >= 0;
      gboolean starts_before = g_strcmp0 (item_string (all, i, "starts_at"), to) < 0;

      if (not_over && starts_before)
        g_ptr_array_add (both, (gpointer) item_string (all, i, "id"));
      if (not_over)
        g_ptr_array_add (after, (gpointer) item_string (all, i, "id"));
      if (starts_before)
        g_ptr_array_add (before, (gpointer) item_string (all, i, "id"));
    }
  g_assert_cmpuint (both->len, ==, 10);
  g_assert_cmpuint (after->len, ==, DEMO_EVENTS - 10);
  g_assert_cmpuint (before->len, ==, 20);

  got_both = list_events (f, NULL, q_both);
  got_from = list_events (f, NULL, q_from);
  got_to = list_events (f, NULL, q_to);
  assert_same_ids (got_both, both);
  assert_same_ids (got_from, after);
  assert_same_ids (got_to, before);

  /* An offset means the same instant as its UTC spelling. */
  got_none = list_events (f, NULL, "from=2099-01-01T01:00:00%2B01:00");
  g_assert_cmpuint (json_array_get_length (got_none), ==, 0);
  g_clear_pointer (&got_none, json_array_unref);
  got_none = list_events (f, NULL, "to=1999-12-31T23:00:00-01:00");
  g_assert_cmpuint (json_array_get_length (got_none), ==, 0);
}

static void
test_events_search (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(JsonArray) cafe = list_events (f, NULL, "q=cafe");
  g_autoptr(JsonArray) cafe_accent = list_events (f, NULL, "q=Caf%C3%A9");
  g_autoptr(JsonArray) upper = list_events (f, NULL, "q=CAFE");
  g_autoptr(JsonArray) prefix = list_events (f, NULL, "q=philos");
  g_autoptr(JsonArray) two_words = list_events (f, NULL, "q=repair%20cafe");
  g_autoptr(JsonArray) none = list_events (f, NULL, "q=xylophonequartet");
  g_autoptr(JsonArray) description = list_events (f, NULL, "q=kombucha");

  /* "cafe" finds "Café": the index folds accents and case. */
  g_assert_true (list_has_title (cafe, "Café Philosophique: Was ist Zeit?"));
  g_assert_true (list_has_title (cafe, "Repair Café"));
  g_assert_false (list_has_title (cafe, "Rust Night: async without tears"));
  g_assert_cmpuint (json_array_get_length (cafe), ==, json_array_get_length (cafe_accent));
  g_assert_cmpuint (json_array_get_length (cafe), ==, json_array_get_length (upper));
  for (guint i = 0; i < json_array_get_length (cafe); i++)
    {
      g_assert_true (list_has_id (cafe_accent, item_string (cafe, i, "id")));
      g_assert_true (list_has_id (upper, item_string (cafe, i, "id")));
    }

  /* Words match as prefixes. */
  g_assert_cmpuint (json_array_get_length (prefix), ==, 1);
  g_assert_cmpstr (item_string (prefix, 0, "title"), ==, "Café Philosophique: Was ist Zeit?");

  /* Every word must match. */
  g_assert_cmpuint (json_array_get_length (two_words), ==, 1);
  g_assert_cmpstr (item_string (two_words, 0, "title"), ==, "Repair Café");

  g_assert_cmpuint (json_array_get_length (none), ==, 0);
  g_assert_cmpuint (json_array_get_length (description), ==, 1);
  g_assert_cmpstr (item_string (description, 0, "title"), ==, "Fermentation Workshop");

  /* Query syntax is only ever data. */
  {
    static const char * const tricky[] = {
      "q=%22", "q=a%22%20OR%20b", "q=NEAR(rust%20night)", "q=*", "q=rust*", "q=-rust", "q=%5E",
      "q=title%3Arust",
      "q=(", "q=AND", "q=%27",
    };

    for (guint i = 0; i < G_N_ELEMENTS (tricky); i++)
      {
        g_autoptr(JsonArray) items = list_events (f, NULL, tricky[i]);

        g_assert_cmpuint (json_array_get_length (items), <=, DEMO_EVENTS);
      }
  }
}

static void
test_events_category_tag (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(JsonArray) all = list_events (f, NULL, NULL);
  g_autoptr(JsonArray) tech = list_events (f, NULL, "category=Tech");
  g_autoptr(JsonArray) food = list_events (f, NULL, "category=Food%20%26%20Drink");
  g_autoptr(JsonArray) outdoors = list_events (f, NULL, "tag=outdoors");
  g_autoptr(JsonArray) nothing = list_events (f, NULL, "category=Nope");
  g_autoptr(JsonArray) tech_linux = list_events (f, NULL, "category=Tech&tag=linux");
  guint n_tech = 0, n_food = 0, n_outdoors = 0;

  for (guint i = 0; i < json_array_get_length (all); i++)
    {
      JsonObject *event = json_array_get_object_element (all, i);
      JsonArray *tags = json_object_get_array_member (event, "tags");

      if (g_str_equal (tn_json_object_get_string (event, "category"), "Tech"))
        n_tech++;
      if (g_str_equal (tn_json_object_get_string (event, "category"), "Food & Drink"))
        n_food++;
      for (guint t = 0; t < json_array_get_length (tags); t++)
        if (g_str_equal (json_array_get_string_element (tags, t), "outdoors"))
          n_outdoors++;
    }
  g_assert_cmpuint (n_tech, ==, 6);
  g_assert_cmpuint (n_food, ==, 4);
  g_assert_cmpuint (n_outdoors, ==, 3);

  g_assert_cmpuint (json_array_get_length (tech), ==, n_tech);
  for (guint i = 0; i < n_tech; i++)
    g_assert_cmpstr (item_string (tech, i, "category"), ==, "Tech");
  g_assert_cmpuint (json_array_get_length (food), ==, n_food);
  g_assert_cmpuint (json_array_get_length (outdoors), ==, n_outdoors);
  g_assert_true (list_has_title (outdoors, "Morning Run in the Park"));
  g_assert_true (list_has_title (outdoors, "Neighbourhood Clean-up"));
  g_assert_true (list_has_title (outdoors, "Volleyball in the Park"));
  g_assert_cmpuint (json_array_get_length (nothing), ==, 0);
  g_assert_cmpuint (json_array_get_length (tech_linux), ==, 2);
  g_assert_true (list_has_title (tech_linux, "GNOME Hackfest Evening"));
  g_assert_true (list_has_title (tech_linux, "Linux Install Party"));
}

static void
test_events_status (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(JsonArray) all = list_events (f, f->organizer, NULL);
  g_autoptr(JsonArray) cancelled = NULL;
  g_autoptr(JsonArray) scheduled = NULL;
  g_autoptr(JsonArray) before = list_events (f, NULL, "status=cancelled");
  g_autofree char *mine = user_id (f, f->organizer);
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) answer = NULL;
  const char *id = NULL;

  g_assert_cmpuint (json_array_get_length (before), ==, 0);
  for (guint i = 0; i < json_array_get_length (all) && id == NULL; i++)
    if (g_strcmp0 (item_string (all, i, "organizer"), mine) == 0)
      id = item_string (all, i, "id");
  g_assert_nonnull (id);

  path = g_strconcat ("/api/v1/events/", id, "/cancel", NULL);
  answer = expect_ok (f, "POST", path, f->organizer, NULL, 200);
  g_assert_cmpstr (tn_json_object_get_string (answer, "status"), ==, "cancelled");

  cancelled = list_events (f, NULL, "status=cancelled");
  scheduled = list_events (f, NULL, "status=scheduled");
  g_assert_cmpuint (json_array_get_length (cancelled), ==, 1);
  g_assert_cmpstr (item_string (cancelled, 0, "id"), ==, id);
  g_assert_cmpuint (json_array_get_length (scheduled), ==, DEMO_EVENTS - 1);
  g_assert_false (list_has_id (scheduled, id));
}

/* --- one event ----------------------------------------------------------- */

static void
test_event_create (Fixture       *f,
                   gconstpointer  data)
{
  const char *body = "{\"title\": \"Kernel Hacking Night\", "
                     "\"description\": \"Bring a laptop.\\nAnd snacks.\", "
                     "\"starts_at\": \"2030-03-01T18:00:00Z\", "
                     "\"ends_at\": \"2030-03-01T21:30:00+01:00\", "
                     "\"location\": \"Basislager\", \"lat\": 51.5, \"lon\": 12.25, "
                     "\"capacity\": 42, "
                     "\"category\": \"Tech\", \"tags\": [\"linux\", \"kernel\"], "
                     "\"visibility\": \"public\", "
                     "\"waitlist\": true, \"price\": 5.5, \"currency\": \"EUR\"}";
  g_autoptr(Reply) reply = http (f, "POST", "/api/v1/events", f->organizer, body, NULL);
  g_autoptr(JsonObject) event = NULL;
  g_autoptr(Reply) got = NULL;
  g_autofree char *organizer = user_id (f, f->organizer);
  g_autofree char *location = NULL;
  JsonArray *tags;
  const char *id;

  g_assert_cmpuint (reply->status, ==, 201);
  event = tn_test_parse_object (reply->body);
  id = tn_json_object_get_string (event, "id");
  g_assert_true (g_uuid_string_is_valid (id));
  location = g_strconcat ("/api/v1/events/", id, NULL);
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "Location"), ==, location);
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "ETag"), ==, "\"1\"");

  g_assert_cmpstr (tn_json_object_get_string (event, "title"), ==, "Kernel Hacking Night");
  g_assert_cmpstr (tn_json_object_get_string (event, "description"), ==,
                   "Bring a laptop.\nAnd snacks.");
  g_assert_cmpstr (tn_json_object_get_string (event, "starts_at"), ==, "2030-03-01T18:00:00Z");
  g_assert_cmpstr (tn_json_object_get_string (event, "ends_at"), ==, "2030-03-01T20:30:00Z");
  g_assert_cmpstr (tn_json_object_get_string (event, "location"), ==, "Basislager");
  g_assert_cmpfloat (json_object_get_double_member (event, "lat"), ==, 51.5);
  g_assert_cmpfloat (json_object_get_double_member (event, "lon"), ==, 12.25);
  g_assert_cmpint (json_object_get_int_member (event, "capacity"), ==, 42);
  g_assert_cmpstr (tn_json_object_get_string (event, "category"), ==, "Tech");
  tags = json_object_get_array_member (event, "tags");
  g_assert_cmpuint (json_array_get_length (tags), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (tags, 0), ==, "linux");
  g_assert_cmpstr (json_array_get_string_element (tags, 1), ==, "kernel");
  g_assert_cmpstr (tn_json_object_get_string (event, "visibility"), ==, "public");
  g_assert_true (json_object_get_boolean_member (event, "waitlist"));
  g_assert_cmpfloat (json_object_get_double_member (event, "price"), ==, 5.5);
  g_assert_cmpstr (tn_json_object_get_string (event, "currency"), ==, "EUR");
  g_assert_cmpstr (tn_json_object_get_string (event, "status"), ==, "scheduled");
  g_assert_cmpstr (tn_json_object_get_string (event, "organizer"), ==, organizer);
  g_assert_cmpint (json_object_get_int_member (event, "version"), ==, 1);

  /* What GET answers is what POST answered. */
  got = http (f, "GET", location, NULL, NULL, NULL);
  g_assert_cmpuint (got->status, ==, 200);
  tn_assert_json_equal (got->body, reply->body);
  g_assert_cmpstr (soup_message_headers_get_one (got->headers, "ETag"), ==, "\"1\"");

  /* Organizers and admins create events; staff and members do not. */
  {
    g_autoptr(JsonObject) by_admin = create_event (f, f->admin, "By the admin", "public");
    g_autoptr(JsonArray) all = NULL;

    expect_error (f, "POST", "/api/v1/events", f->member, body, NULL, 403, "forbidden");
    expect_error (f, "POST", "/api/v1/events", f->staff, body, NULL, 403, "forbidden");
    expect_error (f, "POST", "/api/v1/events", NULL, body, NULL, 401, "unauthorized");
    all = list_events (f, f->admin, NULL);
    g_assert_cmpuint (json_array_get_length (all), ==, DEMO_EVENTS + 2);
  }
}

static void
test_event_create_client_id (Fixture       *f,
                             gconstpointer  data)
{
  const char *id = "6f1c2f8e-3b0a-4c5e-9d7f-0a1b2c3d4e5f";
  g_autoptr(JsonObject) event = NULL;
  g_autoptr(JsonObject) stored = NULL;
  g_autofree char *path = event_path (id);

  event = expect_ok (f, "POST", "/api/v1/events", f->organizer,
                     "{\"id\": \"6F1C2F8E-3B0A-4C5E-9D7F-0A1B2C3D4E5F\", "
                     "\"title\": \"Offline made\", "
                     "\"starts_at\": \"2030-01-01T10:00:00Z\", "
                     "\"ends_at\": \"2030-01-01T11:00:00Z\"}", 201);
  g_assert_cmpstr (tn_json_object_get_string (event, "id"), ==, id);

  /* The same id again, even with other content, is a conflict, and the
   * first event stays as it was. */
  expect_error (f, "POST", "/api/v1/events", f->organizer,
                "{\"id\": \"6f1c2f8e-3b0a-4c5e-9d7f-0a1b2c3d4e5f\", \"title\": \"Second try\", "
                "\"starts_at\": \"2030-01-01T10:00:00Z\", \"ends_at\": \"2030-01-01T11:00:00Z\"}",
                NULL, 409, "conflict");
  expect_error (f, "POST", "/api/v1/events", f->other,
                "{\"id\": \"6f1c2f8e-3b0a-4c5e-9d7f-0a1b2c3d4e5f\", \"title\": \"Hijack\", "
                "\"starts_at\": \"2030-01-01T10:00:00Z\", \"ends_at\": \"2030-01-01T11:00:00Z\"}",
                NULL, 409, "conflict");
  stored = expect_ok (f, "GET", path, NULL, NULL, 200);
  g_assert_cmpstr (tn_json_object_get_string (stored, "title"), ==, "Offline made");
  g_assert_cmpint (json_object_get_int_member (stored, "version"), ==, 1);
}

static void
test_event_get (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(JsonArray) all = list_events (f, NULL, NULL);
  g_autofree char *path = event_path (item_string (all, 4, "id"));
  g_autoptr(Reply) reply = http (f, "GET", path, NULL, NULL, NULL);
  g_autoptr(JsonObject) event = NULL;
  g_autoptr(JsonNode) listed = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *listed_text = NULL;

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "ETag"), ==, "\"1\"");
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (reply->headers, NULL),
                                   "application/json"));
  event = tn_test_parse_object (reply->body);
  g_assert_cmpstr (tn_json_object_get_string (event, "title"), ==, "Morning Run in the Park");
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (event, "capacity")));

  /* The same event, as listed. */
  json_node_set_object (listed, json_array_get_object_element (all, 4));
  listed_text = tn_json_to_string (listed);
  tn_assert_json_equal (reply->body, listed_text);

  expect_error (f, "GET", "/api/v1/events/00000000-0000-4000-8000-000000000000", NULL, NULL, NULL,
                404, "not_found");
}

static void
test_event_patch (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(JsonObject) created = create_event (f, f->organizer, "Draft title", "public");
  g_autofree char *path = event_path (tn_json_object_get_string (created, "id"));
  g_autoptr(Reply) first = NULL;
  g_autoptr(Reply) stale = NULL;
  g_autoptr(Reply) after_stale = NULL;
  g_autoptr(Reply) by_admin = NULL;
  g_autoptr(Reply) weak = NULL;
  g_autoptr(JsonObject) event = NULL;

  first = http (f, "PATCH", path, f->organizer, "{\"title\": \"Final title\", \"capacity\": null}",
                "\"1\"");
  g_assert_cmpuint (first->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (first->headers, "ETag"), ==, "\"2\"");
  event = tn_test_parse_object (first->body);
  g_assert_cmpint (json_object_get_int_member (event, "version"), ==, 2);
  g_assert_cmpstr (tn_json_object_get_string (event, "title"), ==, "Final title");
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (event, "capacity")));
  /* Fields not in the patch keep their values. */
  g_assert_cmpstr (tn_json_object_get_string (event, "category"), ==, "Tech");
  g_assert_cmpstr (tn_json_object_get_string (event, "starts_at"), ==, "2030-05-01T18:00:00Z");
  g_clear_pointer (&event, json_object_unref);

  /* A write made to version 1 is refused now, and changes nothing. */
  stale = http (f, "PATCH", path, f->organizer, "{\"title\": \"Lost update\"}", "\"1\"");
  g_assert_cmpuint (stale->status, ==, 409);
  tn_test_assert_error_body (stale->body, "conflict");
  after_stale = http (f, "GET", path, NULL, NULL, NULL);
  tn_assert_json_equal (after_stale->body, first->body);

  /* No If-Match: 428, nothing changed. */
  expect_error (f, "PATCH", path, f->organizer, "{\"title\": \"Blind write\"}", NULL, 428,
                "precondition_required");
  /* Another organizer, a member, a staff member: 403. */
  expect_error (f, "PATCH", path, f->other, "{\"title\": \"Not mine\"}", "\"2\"", 403, "forbidden");
  expect_error (f, "PATCH", path, f->member, "{\"title\": \"Not mine\"}", "\"2\"", 403,
                "forbidden");
  expect_error (f, "PATCH", path, f->staff, "{\"title\": \"Not mine\"}", "\"2\"", 403, "forbidden");
  expect_error (f, "PATCH", path, NULL, "{\"title\": \"Not mine\"}", "\"2\"", 401, "unauthorized");
  g_clear_pointer (&after_stale, tn_test_reply_free);
  after_stale = http (f, "GET", path, NULL, NULL, NULL);
  tn_assert_json_equal (after_stale->body, first->body);

  /* An admin may change anyone's event. */
  by_admin = http (f, "PATCH", path, f->admin, "{\"tags\": [\"a\", \"b\"]}", "\"2\"");
  g_assert_cmpuint (by_admin->status, ==, 200);
  event = tn_test_parse_object (by_admin->body);
  g_assert_cmpint (json_object_get_int_member (event, "version"), ==, 3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (event, "tags")), ==, 2);
  g_assert_cmpstr (tn_json_object_get_string (event, "title"), ==, "Final title");
  g_clear_pointer (&event, json_object_unref);

  /* A weak ETag and a bare number name the version too. */
  weak = http (f, "PATCH", path, f->organizer, "{\"location\": \"Hall 2\"}", "W/\"3\"");
  g_assert_cmpuint (weak->status, ==, 200);
  event = tn_test_parse_object (weak->body);
  g_assert_cmpint (json_object_get_int_member (event, "version"), ==, 4);
  g_assert_cmpstr (tn_json_object_get_string (event, "location"), ==, "Hall 2");
  g_clear_pointer (&event, json_object_unref);
  g_clear_pointer (&weak, tn_test_reply_free);
  weak = http (f, "PATCH", path, f->organizer, "{\"location\": \"Hall 3\"}", "4");
  g_assert_cmpuint (weak->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (weak->headers, "ETag"), ==, "\"5\"");
}

static void
test_event_cancel (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonObject) created = create_event (f, f->organizer, "To be cancelled", "public");
  const char *id = tn_json_object_get_string (created, "id");
  g_autofree char *path = g_strconcat ("/api/v1/events/", id, "/cancel", NULL);
  g_autofree char *event = event_path (id);
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(JsonObject) stored = NULL;

  expect_error (f, "POST", path, f->other, NULL, NULL, 403, "forbidden");
  expect_error (f, "POST", path, f->member, NULL, NULL, 403, "forbidden");
  stored = expect_ok (f, "GET", event, NULL, NULL, 200);
  g_assert_cmpstr (tn_json_object_get_string (stored, "status"), ==, "scheduled");

  first = expect_ok (f, "POST", path, f->organizer, NULL, 200);
  g_assert_cmpstr (tn_json_object_get_string (first, "status"), ==, "cancelled");
  g_assert_cmpint (json_object_get_int_member (first, "version"), ==, 2);
  g_assert_cmpstr (tn_json_object_get_string (first, "title"), ==, "To be cancelled");

  /* Cancelling again is harmless, and changes nothing. */
  again = expect_ok (f, "POST", path, f->organizer, "{}", 200);
  g_assert_cmpstr (tn_json_object_get_string (again, "status"), ==, "cancelled");
  g_assert_cmpint (json_object_get_int_member (again, "version"), ==, 2);

  g_clear_pointer (&stored, json_object_unref);
  stored = expect_ok (f, "GET", event, NULL, NULL, 200);
  g_assert_cmpstr (tn_json_object_get_string (stored, "status"), ==, "cancelled");
  g_assert_cmpint (json_object_get_int_member (stored, "version"), ==, 2);

  /* An admin may cancel any event. */
  {
    g_autoptr(JsonArray) all = list_events (f, NULL, NULL);
    g_autofree char *other = g_strconcat ("/api/v1/events/", item_string (all, 0, "id"), "/cancel",
                                          NULL);
    g_autoptr(JsonObject) by_admin = expect_ok (f, "POST", other, f->admin, NULL, 200);

    g_assert_cmpstr (tn_json_object_get_string (by_admin, "status"), ==, "cancelled");
  }
}

static void
test_event_delete (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonObject) created = create_event (f, f->organizer, "To be deleted", "public");
  g_autoptr(JsonObject) other = create_event (f, f->other, "Omar's", "public");
  g_autofree char *path = event_path (tn_json_object_get_string (created, "id"));
  g_autofree char *other_path = event_path (tn_json_object_get_string (other, "id"));
  g_autoptr(JsonObject) none = NULL;
  g_autoptr(JsonObject) none2 = NULL;
  g_autoptr(JsonArray) all = NULL;

  expect_error (f, "DELETE", path, f->other, NULL, NULL, 403, "forbidden");
  expect_error (f, "DELETE", path, f->member, NULL, NULL, 403, "forbidden");
  expect_error (f, "DELETE", path, NULL, NULL, NULL, 401, "unauthorized");
  /* A stale If-Match protects a delete as it does a change. */
  expect_error (f, "DELETE", path, f->organizer, NULL, "\"7\"", 409, "conflict");

  none = expect_ok (f, "DELETE", path, f->organizer, NULL, 204);
  g_assert_null (none);
  expect_error (f, "GET", path, NULL, NULL, NULL, 404, "not_found");
  expect_error (f, "GET", path, f->admin, NULL, NULL, 404, "not_found");
  expect_error (f, "DELETE", path, f->organizer, NULL, NULL, 404, "not_found");
  all = list_events (f, f->admin, NULL);
  g_assert_false (list_has_id (all, tn_json_object_get_string (created, "id")));
  g_assert_cmpuint (json_array_get_length (all), ==, DEMO_EVENTS + 1);

  /* An admin may delete any event. */
  none2 = expect_ok (f, "DELETE", other_path, f->admin, NULL, 204);
  expect_error (f, "GET", other_path, NULL, NULL, NULL, 404, "not_found");
}

/* --- visibility ---------------------------------------------------------- */

static void
test_visibility_private (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(JsonObject) created = create_event (f, f->organizer, "Team retreat", "private");
  const char *id = tn_json_object_get_string (created, "id");
  g_autofree char *path = event_path (id);
  g_autofree char *cancel = g_strconcat (path, "/cancel", NULL);
  const char *outsiders[] = { NULL, f->member, f->staff, f->other };

  for (guint i = 0; i < G_N_ELEMENTS (outsiders); i++)
    {
      g_autoptr(JsonArray) list = list_events (f, outsiders[i], NULL);
      g_autoptr(JsonArray) search = list_events (f, outsiders[i], "q=retreat");

      /* To those who may not see it, it does not exist. */
      expect_error (f, "GET", path, outsiders[i], NULL, NULL, 404, "not_found");
      g_assert_false (list_has_id (list, id));
      g_assert_cmpuint (json_array_get_length (list), ==, DEMO_EVENTS);
      g_assert_cmpuint (json_array_get_length (search), ==, 0);
      if (outsiders[i] != NULL)
        {
          expect_error (f, "PATCH", path, outsiders[i], "{\"title\": \"x\"}", "\"1\"", 404,
                        "not_found");
          expect_error (f, "POST", cancel, outsiders[i], NULL, NULL, 404, "not_found");
          expect_error (f, "DELETE", path, outsiders[i], NULL, NULL, 404, "not_found");
        }
    }

  /* Its organizer and admins see it, in lists too. */
  {
    g_autoptr(JsonObject) mine = expect_ok (f, "GET", path, f->organizer, NULL, 200);
    g_autoptr(JsonObject) admin = expect_ok (f, "GET", path, f->admin, NULL, 200);
    g_autoptr(JsonArray) my_list = list_events (f, f->organizer, NULL);
    g_autoptr(JsonArray) admin_list = list_events (f, f->admin, "q=retreat");

    g_assert_cmpstr (tn_json_object_get_string (mine, "visibility"), ==, "private");
    g_assert_cmpstr (tn_json_object_get_string (admin, "title"), ==, "Team retreat");
    g_assert_true (list_has_id (my_list, id));
    g_assert_cmpuint (json_array_get_length (my_list), ==, DEMO_EVENTS + 1);
    g_assert_cmpuint (json_array_get_length (admin_list), ==, 1);
  }
}

static void
test_visibility_unlisted (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(JsonObject) created = create_event (f, f->organizer, "Secret gig", "unlisted");
  const char *id = tn_json_object_get_string (created, "id");
  g_autofree char *path = event_path (id);
  const char *others[] = { NULL, f->member, f->other };

  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      g_autoptr(JsonArray) list = list_events (f, others[i], NULL);
      g_autoptr(JsonObject) event = expect_ok (f, "GET", path, others[i], NULL, 200);

      /* Not listed, but anyone with the link can open it. */
      g_assert_false (list_has_id (list, id));
      g_assert_cmpstr (tn_json_object_get_string (event, "title"), ==, "Secret gig");
      g_assert_cmpstr (tn_json_object_get_string (event, "visibility"), ==, "unlisted");
    }
  /* Other organizers still may not change it. */
  expect_error (f, "PATCH", path, f->other, "{\"title\": \"x\"}", "\"1\"", 403, "forbidden");

  {
    g_autoptr(JsonArray) mine = list_events (f, f->organizer, NULL);
    g_autoptr(JsonArray) admin = list_events (f, f->admin, NULL);

    g_assert_true (list_has_id (mine, id));
    g_assert_true (list_has_id (admin, id));
  }
}

static void
test_unknown_route (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(Reply) reply = http (f, "PUT", "/api/v1/events", f->admin, "{}", NULL);

  expect_error (f, "GET", "/api/v1/nothing-here", NULL, NULL, NULL, 404, "not_found");
  g_assert_cmpuint (reply->status, ==, 405);
  g_assert_nonnull (strstr (soup_message_headers_get_one (reply->headers, "Allow"), "POST"));
  g_assert_nonnull (strstr (soup_message_headers_get_one (reply->headers, "Allow"), "GET"));
  tn_test_assert_error_body (reply->body, "bad_request");
}

/* --- If-Match on cancel and delete ---------------------------------------- */

/* A cancellation or a deletion with If-Match happens only if the event is
 * still at that version, as a PATCH (409 when it is not, 400 for a value
 * that is not a version); without If-Match it happens as before. Each
 * case runs on an event at version 2. */
typedef struct
{
  const char *name;
  gboolean    delete;     /* DELETE /api/v1/events/{id}, else POST …/cancel */
  const char *if_match;   /* NULL: none */
  guint       status;
  const char *code;       /* the error's, for a refusal */
} IfMatchCase;

static const IfMatchCase if_match_cases[] = {
  { "cancel/current", FALSE, "\"2\"", 200, NULL },
  { "cancel/weak", FALSE, "W/\"2\"", 200, NULL },
  { "cancel/bare", FALSE, "2", 200, NULL },
  { "cancel/none", FALSE, NULL, 200, NULL },
  { "cancel/stale", FALSE, "\"1\"", 409, "conflict" },
  { "cancel/ahead", FALSE, "\"3\"", 409, "conflict" },
  { "cancel/malformed", FALSE, "latest", 400, "bad_request" },
  { "cancel/star", FALSE, "*", 400, "bad_request" },
  { "cancel/negative", FALSE, "\"-2\"", 400, "bad_request" },
  { "cancel/list", FALSE, "\"1\", \"2\"", 400, "bad_request" },
  { "delete/current", TRUE, "\"2\"", 204, NULL },
  { "delete/weak", TRUE, "W/\"2\"", 204, NULL },
  { "delete/bare", TRUE, "2", 204, NULL },
  { "delete/none", TRUE, NULL, 204, NULL },
  { "delete/stale", TRUE, "\"1\"", 409, "conflict" },
  { "delete/ahead", TRUE, "\"3\"", 409, "conflict" },
  { "delete/malformed", TRUE, "latest", 400, "bad_request" },
  { "delete/star", TRUE, "*", 400, "bad_request" },
  { "delete/negative", TRUE, "\"-2\"", 400, "bad_request" },
  { "delete/list", TRUE, "\"1\", \"2\"", 400, "bad_request" },
};

static void
test_if_match (Fixture       *f,
               gconstpointer  data)
{
  const IfMatchCase *c = data;
  g_autoptr(JsonObject) created = create_event (f, f->organizer, "Precondition", "public");
  const char *id = tn_json_object_get_string (created, "id");
  g_autofree char *path = event_path (id);
  g_autofree char *cancel = g_strconcat (path, "/cancel", NULL);
  g_autoptr(Reply) edited = NULL;
  g_autoptr(Reply) reply = NULL;
  g_autoptr(JsonObject) after = NULL;

  edited = http (f, "PATCH", path, f->organizer, "{\"title\": \"Precondition, edited\"}", "\"1\"");
  g_assert_cmpuint (edited->status, ==, 200);
  reply = http (f, c->delete ? "DELETE" : "POST", c->delete ? path : cancel, f->organizer, NULL, c->if_match);
  if (reply->status != c->status)
    g_error ("%s: expected %u, got %u: %s", c->name, c->status, reply->status, reply->body);

  if (c->code != NULL)
    {
      /* refused: the error says why, and nothing changed */
      g_autoptr(JsonObject) body = tn_test_parse_object (reply->body);
      JsonObject *error = json_object_get_object_member (body, "error");

      g_assert_cmpstr (tn_json_object_get_string (error, "code"), ==, c->code);
      after = expect_ok (f, "GET", path, f->organizer, NULL, 200);
      g_assert_cmpstr (tn_json_object_get_string (after, "status"), ==, "scheduled");
      g_assert_cmpstr (tn_json_object_get_string (after, "title"), ==, "Precondition, edited");
      g_assert_cmpint (json_object_get_int_member (after, "version"), ==, 2);
    }
  else if (c->delete)
    expect_error (f, "GET", path, f->organizer, NULL, NULL, 404, "not_found");
  else
    {
      g_autoptr(JsonObject) answer = tn_test_parse_object (reply->body);

      g_assert_cmpstr (tn_json_object_get_string (answer, "status"), ==, "cancelled");
      g_assert_cmpint (json_object_get_int_member (answer, "version"), ==, 3);
      g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "ETag"), ==, "\"3\"");
      after = expect_ok (f, "GET", path, f->organizer, NULL, 200);
      g_assert_cmpstr (tn_json_object_get_string (after, "status"), ==, "cancelled");
      g_assert_cmpstr (tn_json_object_get_string (after, "title"), ==, "Precondition, edited");
    }
}

int
main (int    argc,
      char **argv)
{
  tn_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/server/api/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("health", test_health);
  ADD ("metrics", test_metrics);
  ADD ("auth/login", test_login);
  ADD ("auth/logout", test_logout);
  ADD ("me", test_me);
  ADD ("users/create", test_users_create);
  ADD ("users/create-roles", test_users_create_roles);
  ADD ("users/list", test_users_list);
  ADD ("events/order", test_events_order);
  ADD ("events/pagination", test_events_pagination);
  ADD ("events/from-to", test_events_from_to);
  ADD ("events/search", test_events_search);
  ADD ("events/category-tag", test_events_category_tag);
  ADD ("events/status", test_events_status);
  ADD ("event/create", test_event_create);
  ADD ("event/create-client-id", test_event_create_client_id);
  ADD ("event/get", test_event_get);
  ADD ("event/patch", test_event_patch);
  ADD ("event/cancel", test_event_cancel);
  ADD ("event/delete", test_event_delete);
  ADD ("visibility/private", test_visibility_private);
  ADD ("visibility/unlisted", test_visibility_unlisted);
  ADD ("unknown-route", test_unknown_route);
#undef ADD

  for (guint i = 0; i < G_N_ELEMENTS (if_match_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/server/api/event/if-match/", if_match_cases[i].name, NULL);

      g_test_add (path, Fixture, &if_match_cases[i], fixture_setup, test_if_match, fixture_teardown);
    }

  return g_test_run ();
}
