/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hosts and visibility: an event's co-hosts, staff and invited guests
 * (GET/PUT/DELETE /api/v1/events/{id}/people…), what each may do, and who
 * sees a private or unlisted event, against a real server. */
#include "config.h"

#include <string.h>

#include "tn-json.h"
#include "tn-test-utils.h"
#include "tn-time.h"

#define OTHER_ORGANIZER_EMAIL "omar@example.org"
#define NO_SUCH_ID            "00000000-0000-4000-8000-000000000000"

typedef struct
{
  char *token;
  char *id;
} Person;

typedef struct
{
  TnTestServer *server;
  const char   *url;
  Person        admin;
  Person        organizer;   /* olivia */
  Person        other;       /* omar, another organizer */
  Person        cohost;
  Person        cohost2;
  Person        staff;       /* sam */
  Person        invited;
  Person        attendee;
  Person        outsider;    /* maria */
  GPtrArray    *strings;     /* freed in teardown: see keep() */
} Fixture;

/* Keeps @text until the end of the test, for paths built inline. */
static const char *
keep (Fixture *f,
      char    *text)
{
  g_ptr_array_add (f->strings, text);
  return text;
}

static void
person_clear (Person *person)
{
  g_clear_pointer (&person->token, g_free);
  g_clear_pointer (&person->id, g_free);
}

static char *
user_id_of (Fixture    *f,
            const char *token)
{
  g_autofree char *answer = NULL;
  g_autoptr(JsonObject) me = NULL;
  guint status = tn_test_http (f->url, "GET", "/api/v1/me", token, NULL, -1, NULL, &answer);

  g_assert_cmpuint (status, ==, 200);
  me = tn_test_parse_object (answer);
  return g_strdup (tn_json_object_get_string (me, "id"));
}

static void
person_init (Fixture    *f,
             Person     *person,
             const char *email,
             gboolean    demo)
{
  person->token = demo ? tn_test_server_token_for (f->server, email)
                       : tn_test_server_add_user (f->server, email, "hosts-test-password", TN_ROLE_MEMBER);
  person->id = user_id_of (f, person->token);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->strings = g_ptr_array_new_with_free_func (g_free);
  f->server = tn_test_server_new (TRUE);
  f->url = tn_test_server_get_url (f->server);
  person_init (f, &f->admin, TN_DEMO_ADMIN_EMAIL, TRUE);
  person_init (f, &f->organizer, TN_DEMO_ORGANIZER_EMAIL, TRUE);
  person_init (f, &f->other, OTHER_ORGANIZER_EMAIL, TRUE);
  person_init (f, &f->staff, TN_DEMO_STAFF_EMAIL, TRUE);
  person_init (f, &f->outsider, TN_DEMO_MEMBER_EMAIL, TRUE);
  person_init (f, &f->cohost, "cohost@example.org", FALSE);
  person_init (f, &f->cohost2, "cohost2@example.org", FALSE);
  person_init (f, &f->invited, "invited@example.org", FALSE);
  person_init (f, &f->attendee, "attendee@example.org", FALSE);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  person_clear (&f->admin);
  person_clear (&f->organizer);
  person_clear (&f->other);
  person_clear (&f->cohost);
  person_clear (&f->cohost2);
  person_clear (&f->staff);
  person_clear (&f->invited);
  person_clear (&f->attendee);
  person_clear (&f->outsider);
  tn_test_server_free (f->server);
  g_ptr_array_unref (f->strings);
}

/* --- helpers ------------------------------------------------------------- */

/* Sends a request; fails unless it answers @expected_status. Returns the
 * body (never NULL). An @if_match adds If-Match. */
static char *
send (Fixture    *f,
      const char *method,
      const char *path,
      const char *token,
      const char *body,
      const char *if_match,
      guint       expected_status)
{
  const char *headers[] = { "If-Match", if_match, NULL };
  g_autofree char *answer = NULL;
  guint status = tn_test_http (f->url, method, path, token, body, -1, if_match != NULL ? headers : NULL, &answer);

  if (status != expected_status)
    g_error ("%s %s: expected %u, got %u: %s", method, path, expected_status, status, answer);
  g_assert_cmpuint (status, <, 500);
  return g_steal_pointer (&answer);
}

static JsonObject *
send_ok (Fixture    *f,
         const char *method,
         const char *path,
         const char *token,
         const char *body,
         const char *if_match,
         guint       expected_status)
{
  g_autofree char *answer = send (f, method, path, token, body, if_match, expected_status);

  return answer[0] != '\0' ? tn_test_parse_object (answer) : NULL;
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
  g_autofree char *answer = send (f, method, path, token, body, NULL, expected_status);

  tn_test_assert_error_body (answer, code);
}

/* Creates an event of olivia's starting tomorrow, category Tech. */
static char *
create_event (Fixture    *f,
              const char *title,
              const char *visibility)
{
  g_autofree char *starts = tn_time_format (tn_time_now () + 86400);
  g_autofree char *ends = tn_time_format (tn_time_now () + 90000);
  g_autofree char *body = g_strdup_printf ("{\"title\":\"%s\",\"starts_at\":\"%s\",\"ends_at\":\"%s\","
                                           "\"category\":\"Tech\",\"visibility\":\"%s\"}",
                                           title, starts, ends, visibility);
  g_autoptr(JsonObject) event = send_ok (f, "POST", "/api/v1/events", f->organizer.token, body, NULL, 201);

  return g_strdup (tn_json_object_get_string (event, "id"));
}

static char *
event_path (const char *event_id,
            const char *suffix)
{
  return g_strconcat ("/api/v1/events/", event_id, suffix, NULL);
}

static char *
person_path (const char *event_id,
             const char *user_id)
{
  return g_strconcat ("/api/v1/events/", event_id, "/people/", user_id, NULL);
}

static JsonObject *
put_person (Fixture    *f,
            const char *event_id,
            const char *token,
            const char *user_id,
            const char *role,
            guint       expected_status)
{
  g_autofree char *path = person_path (event_id, user_id);
  g_autofree char *body = g_strdup_printf ("{\"role\":\"%s\"}", role);

  return send_ok (f, "PUT", path, token, body, NULL, expected_status);
}

static JsonArray *
list_people (Fixture    *f,
             const char *event_id,
             const char *token)
{
  g_autofree char *path = event_path (event_id, "/people");
  g_autoptr(JsonObject) page = send_ok (f, "GET", path, token, NULL, NULL, 200);

  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (page, "next_cursor")));
  return json_array_ref (json_object_get_array_member (page, "items"));
}

static gboolean
listed (Fixture    *f,
        const char *token,
        const char *event_id)
{
  g_autoptr(JsonObject) page = send_ok (f, "GET", "/api/v1/events?limit=500", token, NULL, NULL, 200);
  JsonArray *items = json_object_get_array_member (page, "items");

  for (guint i = 0; i < json_array_get_length (items); i++)
    if (g_strcmp0 (tn_json_object_get_string (json_array_get_object_element (items, i), "id"), event_id) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
in_feed (Fixture    *f,
         const char *token,
         const char *event_id)
{
  g_autofree char *feed = send (f, "GET", "/api/v1/events.ics", token, NULL, NULL, 200);
  g_autofree char *uid = g_strdup_printf ("UID:%s", event_id);

  /* A UID line is short: it is never folded. */
  return strstr (feed, uid) != NULL;
}

static gint64
tech_upcoming (Fixture    *f,
               const char *token)
{
  g_autoptr(JsonObject) page = send_ok (f, "GET", "/api/v1/categories", token, NULL, NULL, 200);
  JsonArray *items = json_object_get_array_member (page, "items");

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      if (g_strcmp0 (tn_json_object_get_string (item, "slug"), "tech") == 0)
        return tn_json_object_get_int (item, "upcoming_events", -1);
    }
  g_assert_not_reached ();
}

static void
assert_sees (Fixture    *f,
             const char *token,
             const char *event_id,
             gboolean    sees)
{
  g_autofree char *path = event_path (event_id, "");
  g_autofree char *ics = event_path (event_id, ".ics");
  g_autofree char *a = send (f, "GET", path, token, NULL, NULL, sees ? 200 : 404);
  g_autofree char *b = send (f, "GET", ics, token, NULL, NULL, sees ? 200 : 404);

  g_assert_cmpint (listed (f, token, event_id), ==, sees);
  g_assert_cmpint (in_feed (f, token, event_id), ==, sees);
}

/* --- the people endpoints ------------------------------------------------ */

static void
test_people_crud (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *id = create_event (f, "Crew night", "public");
  g_autofree char *path = person_path (id, f->invited.id);
  g_autoptr(JsonObject) cohost = put_person (f, id, f->organizer.token, f->cohost.id, "cohost", 200);
  g_autoptr(JsonObject) staff = put_person (f, id, f->organizer.token, f->staff.id, "staff", 200);
  g_autoptr(JsonObject) invited = put_person (f, id, f->organizer.token, f->invited.id, "invited", 200);
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(JsonArray) people = NULL;
  g_autoptr(JsonArray) after = NULL;
  g_autofree char *gone = NULL;

  g_assert_cmpstr (tn_json_object_get_string (cohost, "user_id"), ==, f->cohost.id);
  g_assert_cmpstr (tn_json_object_get_string (cohost, "role"), ==, "cohost");
  g_assert_cmpstr (tn_json_object_get_string (cohost, "email"), ==, "cohost@example.org");
  g_assert_nonnull (tn_json_object_get_string (cohost, "name"));
  g_assert_cmpstr (tn_json_object_get_string (staff, "email"), ==, TN_DEMO_STAFF_EMAIL);
  g_assert_cmpstr (tn_json_object_get_string (staff, "role"), ==, "staff");
  g_assert_cmpstr (tn_json_object_get_string (invited, "role"), ==, "invited");

  /* Co-hosts first, then staff, then guests; the organizer and admins see it */
  people = list_people (f, id, f->organizer.token);
  g_assert_cmpuint (json_array_get_length (people), ==, 3);
  g_assert_cmpstr (tn_json_object_get_string (json_array_get_object_element (people, 0), "role"), ==, "cohost");
  g_assert_cmpstr (tn_json_object_get_string (json_array_get_object_element (people, 1), "role"), ==, "staff");
  g_assert_cmpstr (tn_json_object_get_string (json_array_get_object_element (people, 2), "user_id"), ==,
                   f->invited.id);
  g_clear_pointer (&people, json_array_unref);
  people = list_people (f, id, f->admin.token);
  g_assert_cmpuint (json_array_get_length (people), ==, 3);
  g_clear_pointer (&people, json_array_unref);
  people = list_people (f, id, f->cohost.token);
  g_assert_cmpuint (json_array_get_length (people), ==, 3);

  /* PUT again changes the role, keeping one entry */
  again = put_person (f, id, f->organizer.token, f->invited.id, "staff", 200);
  g_assert_cmpstr (tn_json_object_get_string (again, "role"), ==, "staff");

  /* DELETE removes; a second time there is nothing to remove */
  gone = send (f, "DELETE", path, f->organizer.token, NULL, NULL, 204);
  send_error (f, "DELETE", path, f->organizer.token, NULL, 404, "not_found");
  after = list_people (f, id, f->organizer.token);
  g_assert_cmpuint (json_array_get_length (after), ==, 2);
}

static void
test_people_rights (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *id = create_event (f, "Rights", "public");
  g_autofree char *list = event_path (id, "/people");
  g_autofree char *organizer_path = person_path (id, f->organizer.id);
  g_autofree char *cohost_path = person_path (id, f->cohost.id);
  g_autofree char *staff_path = person_path (id, f->staff.id);
  g_autoptr(JsonObject) a = put_person (f, id, f->organizer.token, f->cohost.id, "cohost", 200);
  g_autoptr(JsonObject) b = NULL;
  g_autoptr(JsonObject) c = NULL;
  g_autoptr(JsonObject) d = NULL;
  g_autofree char *removed = NULL;
  g_autofree char *body = NULL;

  /* The organizer is no entry of the list: 422 */
  body = send (f, "PUT", organizer_path, f->organizer.token, "{\"role\":\"staff\"}", NULL, 422);
  tn_test_assert_error_body (body, "validation_failed");
  g_clear_pointer (&body, g_free);
  body = send (f, "PUT", organizer_path, f->cohost.token, "{\"role\":\"invited\"}", NULL, 422);
  tn_test_assert_error_body (body, "validation_failed");

  /* A co-host manages staff and guests… */
  b = put_person (f, id, f->cohost.token, f->staff.id, "staff", 200);
  c = put_person (f, id, f->cohost.token, f->invited.id, "invited", 200);
  /* …but neither makes, unmakes nor demotes co-hosts */
  send_error (f, "PUT", keep (f, person_path (id, f->cohost2.id)), f->cohost.token,
              "{\"role\":\"cohost\"}", 403, "forbidden");
  send_error (f, "PUT", cohost_path, f->cohost.token, "{\"role\":\"invited\"}", 403, "forbidden");
  send_error (f, "DELETE", cohost_path, f->cohost.token, NULL, 403, "forbidden");
  send_error (f, "PUT", staff_path, f->cohost.token, "{\"role\":\"cohost\"}", 403, "forbidden");
  removed = send (f, "DELETE", staff_path, f->cohost.token, NULL, NULL, 204);

  /* Staff, guests, other organizers and members: forbidden on a public event */
  g_clear_pointer (&b, json_object_unref);
  b = put_person (f, id, f->organizer.token, f->staff.id, "staff", 200);
  send_error (f, "GET", list, f->staff.token, NULL, 403, "forbidden");
  send_error (f, "GET", list, f->invited.token, NULL, 403, "forbidden");
  send_error (f, "GET", list, f->other.token, NULL, 403, "forbidden");
  send_error (f, "GET", list, f->outsider.token, NULL, 403, "forbidden");
  send_error (f, "PUT", keep (f, person_path (id, f->outsider.id)), f->staff.token, "{\"role\":\"invited\"}", 403,
              "forbidden");
  send_error (f, "DELETE", keep (f, person_path (id, f->invited.id)), f->outsider.token, NULL, 403, "forbidden");

  /* Admins may do anything, co-hosts included */
  d = put_person (f, id, f->admin.token, f->cohost2.id, "cohost", 200);
  g_assert_cmpstr (tn_json_object_get_string (d, "role"), ==, "cohost");
  g_clear_pointer (&removed, g_free);
  removed = send (f, "DELETE", keep (f, person_path (id, f->cohost2.id)), f->admin.token, NULL, NULL, 204);
}

static void
test_cohost_rights (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *id = create_event (f, "Co-hosted", "private");
  g_autofree char *path = event_path (id, "");
  g_autofree char *cancel = event_path (id, "/cancel");
  g_autoptr(JsonObject) entry = put_person (f, id, f->organizer.token, f->cohost.id, "cohost", 200);
  g_autoptr(JsonObject) patched = NULL;
  g_autoptr(JsonObject) cancelled = NULL;
  g_autofree char *deleted = NULL;

  /* A co-host sees the private event, edits and cancels it… */
  assert_sees (f, f->cohost.token, id, TRUE);
  patched = send_ok (f, "PATCH", path, f->cohost.token, "{\"title\":\"Co-hosted, renamed\"}", "\"1\"", 200);
  g_assert_cmpstr (tn_json_object_get_string (patched, "title"), ==, "Co-hosted, renamed");
  cancelled = send_ok (f, "POST", cancel, f->cohost.token, NULL, NULL, 200);
  g_assert_cmpstr (tn_json_object_get_string (cancelled, "status"), ==, "cancelled");
  /* …but does not delete it */
  send_error (f, "DELETE", path, f->cohost.token, NULL, 403, "forbidden");

  /* Once removed, the private event is gone for them */
  deleted = send (f, "DELETE", keep (f, person_path (id, f->cohost.id)), f->organizer.token, NULL, NULL, 204);
  send_error (f, "PATCH", path, f->cohost.token, "{\"title\":\"x\"}", 404, "not_found");
  assert_sees (f, f->cohost.token, id, FALSE);

  g_clear_pointer (&deleted, g_free);
  deleted = send (f, "DELETE", path, f->organizer.token, NULL, NULL, 204);
}

static void
test_staff_rights (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *id = create_event (f, "Door duty", "private");
  g_autofree char *path = event_path (id, "");
  g_autofree char *attendees = event_path (id, "/attendees");
  g_autoptr(JsonObject) entry = put_person (f, id, f->organizer.token, f->staff.id, "staff", 200);
  g_autofree char *answer = NULL;
  guint status;

  assert_sees (f, f->staff.token, id, TRUE);
  send_error (f, "PATCH", path, f->staff.token, "{\"title\":\"x\"}", 403, "forbidden");
  send_error (f, "POST", keep (f, event_path (id, "/cancel")), f->staff.token, NULL, 403, "forbidden");
  send_error (f, "DELETE", path, f->staff.token, NULL, 403, "forbidden");

  /* The attendee list, where the server has it: assigned staff see it,
   * an unassigned staff account does not. */
  status = tn_test_http (f->url, "GET", attendees, f->organizer.token, NULL, -1, NULL, &answer);
  if (status == 404)
    {
      g_test_skip ("no GET /api/v1/events/{id}/attendees in this server");
      return;
    }
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&answer, g_free);
  answer = send (f, "GET", attendees, f->staff.token, NULL, NULL, 200);
  g_clear_pointer (&answer, g_free);
  answer = send (f, "DELETE", keep (f, person_path (id, f->staff.id)), f->organizer.token, NULL, NULL, 204);
  g_clear_pointer (&answer, g_free);
  answer = send (f, "GET", attendees, f->staff.token, NULL, NULL, 404);
}

/* --- visibility ---------------------------------------------------------- */

static void
test_private_invited (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *id = create_event (f, "Invitation only", "private");
  g_autofree char *rsvp = event_path (id, "/rsvp");
  gint64 outsider_tech = tech_upcoming (f, f->outsider.token);
  g_autoptr(JsonObject) entry = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *removed = NULL;

  assert_sees (f, f->invited.token, id, FALSE);
  g_assert_cmpint (tech_upcoming (f, f->invited.token), ==, outsider_tech);

  entry = put_person (f, id, f->organizer.token, f->invited.id, "invited", 200);
  assert_sees (f, f->invited.token, id, TRUE);
  g_assert_cmpint (tech_upcoming (f, f->invited.token), ==, outsider_tech + 1);
  g_assert_cmpint (tech_upcoming (f, f->organizer.token), ==, outsider_tech + 1);
  g_assert_cmpint (tech_upcoming (f, f->admin.token), ==, outsider_tech + 1);
  g_assert_cmpint (tech_upcoming (f, NULL), ==, outsider_tech);

  /* A guest answers the invitation */
  answer = send_ok (f, "PUT", rsvp, f->invited.token, "{\"status\":\"going\"}", NULL, 200);
  g_assert_cmpstr (tn_json_object_get_string (answer, "status"), ==, "going");

  /* Everybody else: not found, not listed, not in feeds */
  assert_sees (f, NULL, id, FALSE);
  assert_sees (f, f->outsider.token, id, FALSE);
  assert_sees (f, f->other.token, id, FALSE);
  assert_sees (f, f->staff.token, id, FALSE);
  send_error (f, "PUT", rsvp, f->outsider.token, "{\"status\":\"going\"}", 404, "not_found");
  assert_sees (f, f->organizer.token, id, TRUE);
  assert_sees (f, f->admin.token, id, TRUE);

  /* Taken off the guest list, they still answered: an attendee sees it */
  removed = send (f, "DELETE", keep (f, person_path (id, f->invited.id)), f->organizer.token, NULL, NULL, 204);
  assert_sees (f, f->invited.token, id, TRUE);
}

static void
test_private_attendee (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *id = create_event (f, "Soon private", "public");
  g_autofree char *path = event_path (id, "");
  g_autofree char *rsvp = event_path (id, "/rsvp");
  g_autoptr(JsonObject) answer = send_ok (f, "PUT", rsvp, f->attendee.token, "{\"status\":\"maybe\"}", NULL, 200);
  g_autoptr(JsonObject) changed = NULL;
  g_autoptr(JsonObject) mine = NULL;

  changed = send_ok (f, "PATCH", path, f->organizer.token, "{\"visibility\":\"private\"}", "\"1\"", 200);
  g_assert_cmpstr (tn_json_object_get_string (changed, "visibility"), ==, "private");

  /* Who answered before it became private still sees it and their RSVP */
  assert_sees (f, f->attendee.token, id, TRUE);
  mine = send_ok (f, "GET", rsvp, f->attendee.token, NULL, NULL, 200);
  g_assert_cmpstr (tn_json_object_get_string (mine, "status"), ==, "maybe");
  assert_sees (f, f->outsider.token, id, FALSE);
  assert_sees (f, NULL, id, FALSE);
}

static void
test_unlisted (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *id = create_event (f, "By link", "unlisted");
  g_autofree char *path = event_path (id, "");
  g_autoptr(JsonObject) entry = NULL;
  g_autoptr(JsonObject) anyone = NULL;

  /* Anyone opens it by id; nobody without a relation finds it in lists */
  anyone = send_ok (f, "GET", path, NULL, NULL, NULL, 200);
  g_assert_cmpstr (tn_json_object_get_string (anyone, "visibility"), ==, "unlisted");
  g_assert_false (listed (f, NULL, id));
  g_assert_false (listed (f, f->outsider.token, id));
  g_assert_false (in_feed (f, f->outsider.token, id));
  g_assert_false (listed (f, f->invited.token, id));

  /* Its people do */
  entry = put_person (f, id, f->organizer.token, f->invited.id, "invited", 200);
  g_assert_true (listed (f, f->invited.token, id));
  g_assert_true (in_feed (f, f->invited.token, id));
  g_assert_true (listed (f, f->organizer.token, id));
  g_assert_true (listed (f, f->admin.token, id));
  g_assert_false (listed (f, f->outsider.token, id));
}

/* --- bad input ----------------------------------------------------------- */

typedef struct
{
  const char *name;
  const char *body;
  guint       status;
  const char *code;
} BadBody;

static const BadBody bad_bodies[] = {
  { "malformed-json", "{\"role\": \"staff\"", 400, "bad_request" },
  { "array", "[\"staff\"]", 400, "bad_request" },
  { "string", "\"staff\"", 400, "bad_request" },
  { "null", "null", 400, "bad_request" },
  { "empty", "", 400, "bad_request" },
  { "missing-role", "{}", 422, "validation_failed" },
  { "role-number", "{\"role\": 1}", 422, "validation_failed" },
  { "role-null", "{\"role\": null}", 422, "validation_failed" },
  { "role-array", "{\"role\": [\"staff\"]}", 422, "validation_failed" },
  { "unknown-role", "{\"role\": \"owner\"}", 422, "validation_failed" },
  { "role-organizer", "{\"role\": \"organizer\"}", 422, "validation_failed" },
  { "role-attendee", "{\"role\": \"attendee\"}", 422, "validation_failed" },
  { "role-none", "{\"role\": \"none\"}", 422, "validation_failed" },
  { "role-case", "{\"role\": \"Staff\"}", 422, "validation_failed" },
  { "role-empty", "{\"role\": \"\"}", 422, "validation_failed" },
  { "unknown-field", "{\"role\": \"staff\", \"note\": \"x\"}", 422, "validation_failed" },
  { "invalid-utf8", "{\"role\": \"st\xff" "aff\"}", 400, "bad_request" },
};

static void
test_people_bad_input (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *id = create_event (f, "Bad input", "public");
  g_autofree char *private_id = create_event (f, "Bad input, private", "private");
  g_autofree char *path = person_path (id, f->invited.id);
  g_autofree char *list = event_path (id, "/people");
  g_autoptr(JsonArray) people = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad_bodies); i++)
    {
      g_autofree char *answer = NULL;
      guint status = tn_test_http (f->url, "PUT", path, f->organizer.token, bad_bodies[i].body, -1, NULL, &answer);

      if (status != bad_bodies[i].status)
        g_error ("%s: expected %u, got %u: %s", bad_bodies[i].name, bad_bodies[i].status, status, answer);
      tn_test_assert_error_body (answer, bad_bodies[i].code);
    }

  /* Unknown or malformed ids: not found */
  send_error (f, "PUT", keep (f, person_path (id, NO_SUCH_ID)), f->organizer.token, "{\"role\":\"staff\"}", 404, "not_found");
  send_error (f, "PUT", keep (f, person_path (id, "nobody")), f->organizer.token, "{\"role\":\"staff\"}", 404, "not_found");
  send_error (f, "DELETE", keep (f, person_path (id, NO_SUCH_ID)), f->organizer.token, NULL, 404, "not_found");
  send_error (f, "DELETE", keep (f, person_path (id, "nobody")), f->organizer.token, NULL, 404, "not_found");
  send_error (f, "DELETE", path, f->organizer.token, NULL, 404, "not_found");
  send_error (f, "PUT", keep (f, person_path (NO_SUCH_ID, f->invited.id)), f->admin.token, "{\"role\":\"staff\"}", 404,
              "not_found");
  send_error (f, "PUT", keep (f, person_path ("not-an-event", f->invited.id)), f->admin.token, "{\"role\":\"staff\"}", 404,
              "not_found");
  send_error (f, "GET", "/api/v1/events/" NO_SUCH_ID "/people", f->admin.token, NULL, 404, "not_found");
  send_error (f, "DELETE", keep (f, person_path (NO_SUCH_ID, f->invited.id)), f->admin.token, NULL, 404, "not_found");

  /* No token, a wrong one */
  send_error (f, "GET", list, NULL, NULL, 401, "unauthorized");
  send_error (f, "PUT", path, NULL, "{\"role\":\"staff\"}", 401, "unauthorized");
  send_error (f, "DELETE", path, NULL, NULL, 401, "unauthorized");
  send_error (f, "GET", list, "not-a-token", NULL, 401, "unauthorized");
  send_error (f, "PUT", path, "not-a-token", "{\"role\":\"staff\"}", 401, "unauthorized");

  /* A member: forbidden where the event is visible, not found where not */
  send_error (f, "PUT", path, f->outsider.token, "{\"role\":\"staff\"}", 403, "forbidden");
  send_error (f, "PUT", keep (f, person_path (private_id, f->outsider.id)), f->outsider.token, "{\"role\":\"invited\"}",
              404, "not_found");
  send_error (f, "GET", "/api/v1/events/", NULL, NULL, 404, "not_found");
  {
    g_autofree char *private_list = event_path (private_id, "/people");

    send_error (f, "GET", private_list, f->outsider.token, NULL, 404, "not_found");
  }

  /* None of it stored anything */
  people = list_people (f, id, f->organizer.token);
  g_assert_cmpuint (json_array_get_length (people), ==, 0);
  g_clear_pointer (&people, json_array_unref);
  people = list_people (f, private_id, f->organizer.token);
  g_assert_cmpuint (json_array_get_length (people), ==, 0);
}

/* Deleting an event or a user takes their entries with them. */
static void
test_people_cascade (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *id = create_event (f, "Short-lived", "public");
  g_autofree char *path = event_path (id, "");
  g_autoptr(JsonObject) entry = put_person (f, id, f->organizer.token, f->invited.id, "invited", 200);
  g_autofree char *deleted = send (f, "DELETE", path, f->organizer.token, NULL, NULL, 204);

  send_error (f, "GET", keep (f, event_path (id, "/people")), f->organizer.token, NULL, 404, "not_found");
  send_error (f, "DELETE", keep (f, person_path (id, f->invited.id)), f->organizer.token, NULL, 404, "not_found");
}

int
main (int    argc,
      char **argv)
{
  tn_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/server/hosts/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("people/crud", test_people_crud);
  ADD ("people/rights", test_people_rights);
  ADD ("people/bad-input", test_people_bad_input);
  ADD ("people/cascade", test_people_cascade);
  ADD ("cohost", test_cohost_rights);
  ADD ("staff", test_staff_rights);
  ADD ("private/invited", test_private_invited);
  ADD ("private/attendee", test_private_attendee);
  ADD ("unlisted", test_unlisted);
#undef ADD

  return g_test_run ();
}
