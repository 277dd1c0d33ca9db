/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Bad input on every endpoint that takes input: each request gets its
 * documented 4xx and error body, the database never changes, and the
 * server never answers 500 and stays up. */
#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

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
  WHO_WRONG,       /* well-formed, but never issued */
  WHO_EXPIRED,
  WHO_REVOKED,
  N_WHO
} Who;

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

static guint
send_request (const Request  *r,
              char          **out_body)
{
  g_autoptr(SoupSession) session = soup_session_new ();
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

static char *
get_ok (const char *path,
        const char *token)
{
  Request r = { .method = "GET", .path = path, .token = token };
  char *body = NULL;
  guint status = send_request (&r, &body);

  if (status != 200)
    g_error ("GET %s: %u %s", path, status, body);
  return body;
}

/* Everything stored that an admin can list: every event, every user. */
static char *
take_snapshot (void)
{
  g_autofree char *events = get_ok ("/api/v1/events?limit=500", tokens[WHO_ADMIN]);
  g_autofree char *users = get_ok ("/api/v1/users?limit=500", tokens[WHO_ADMIN]);
  g_autoptr(JsonObject) object = tn_test_parse_object (events);

  /* A snapshot that holds nothing would compare equal to anything. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "items")), ==, 30);
  return g_strconcat (events, "\n", users, NULL);
}

static void
assert_unchanged (void)
{
  g_autofree char *now = take_snapshot ();

  g_assert_cmpstr (now, ==, snapshot);
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

/* Replaces {id} (the organizer's event), {A201} (201 × "a"), {E201}
 * (201 × "é"), {D20001}, {T41}, {TAGS21}, {A300}, {N101}, {P1025}, {Q201}
 * and {BIG} (2 MiB of "a"). */
static char *
expand (const char *text)
{
  static const struct { const char *key; const char *unit; guint n; } table[] = {
    { "{A201}", "a", 201 },
    { "{E201}", "é", 201 },
    { "{D20001}", "d", 20001 },
    { "{T41}", "t", 41 },
    { "{A300}", "a", 300 },
    { "{N101}", "n", 101 },
    { "{P1025}", "p", 1025 },
    { "{Q201}", "q", 201 },
    { "{BIG}", "a", 2 * 1024 * 1024 },
    { "{TAGS21}", NULL, 21 },
    { "{id}", NULL, 0 },
  };
  char *result = g_strdup (text);

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (strstr (result, table[i].key) != NULL)
      {
        g_auto(GStrv) parts = g_strsplit (result, table[i].key, -1);
        g_autofree char *value = NULL;

        if (table[i].unit != NULL)
          value = repeat (table[i].unit, table[i].n);
        else if (table[i].n > 0)
          value = many_tags (table[i].n);
        else
          value = g_strdup (event_id);
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
  if (c->who != WHO_NONE && c->who != WHO_WRONG && c->who != WHO_EXPIRED && c->who != WHO_REVOKED)
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
  assert_unchanged ();
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
  g_autofree char *uri = g_strconcat ("sqlite:", tn_test_server_get_db_path (server), NULL);
  g_autoptr(TnStore) store = tn_store_open (uri, &error);
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

static void
setup (void)
{
  g_autofree char *list = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *me = NULL;
  g_autoptr(JsonObject) organizer = NULL;
  JsonArray *items;

  server = tn_test_server_new (TRUE);
  tokens[WHO_ADMIN] = tn_test_server_token_for (server, TN_DEMO_ADMIN_EMAIL);
  tokens[WHO_ORGANIZER] = tn_test_server_token_for (server, TN_DEMO_ORGANIZER_EMAIL);
  tokens[WHO_OTHER] = tn_test_server_token_for (server, "omar@example.org");
  tokens[WHO_STAFF] = tn_test_server_token_for (server, TN_DEMO_STAFF_EMAIL);
  tokens[WHO_MEMBER] = tn_test_server_token_for (server, TN_DEMO_MEMBER_EMAIL);
  tokens[WHO_LOGOUT] = tn_test_server_token_for (server, "priya@example.org");
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

  snapshot = take_snapshot ();
}

static void
teardown (void)
{
  g_clear_pointer (&server, tn_test_server_free);
  for (guint i = 0; i < N_WHO; i++)
    g_clear_pointer (&tokens[i], g_free);
  g_clear_pointer (&event_id, g_free);
  g_clear_pointer (&snapshot, g_free);
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
