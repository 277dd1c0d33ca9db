/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The audit log (GET /api/v1/audit): every admin and organizer action is
 * recorded once, with its actor and what changed; a refused change leaves
 * no record; only admins read it; pagination and filters; against a real
 * server. */
#include "config.h"

#include <string.h>

#include "tn-json.h"
#include "tn-test-utils.h"
#include "tn-time.h"

typedef struct
{
  TnTestServer *server;
  const char   *url;
  char         *admin;       /* tokens */
  char         *organizer;   /* olivia */
  char         *organizer_id;
  char         *staff;       /* sam */
  char         *staff_id;
  char         *member;      /* maria */
} Fixture;

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
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->server = tn_test_server_new (TRUE);
  f->url = tn_test_server_get_url (f->server);
  f->admin = tn_test_server_token_for (f->server, TN_DEMO_ADMIN_EMAIL);
  f->organizer = tn_test_server_token_for (f->server, TN_DEMO_ORGANIZER_EMAIL);
  f->organizer_id = user_id_of (f, f->organizer);
  f->staff = tn_test_server_token_for (f->server, TN_DEMO_STAFF_EMAIL);
  f->staff_id = user_id_of (f, f->staff);
  f->member = tn_test_server_token_for (f->server, TN_DEMO_MEMBER_EMAIL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_free (f->admin);
  g_free (f->organizer);
  g_free (f->organizer_id);
  g_free (f->staff);
  g_free (f->staff_id);
  g_free (f->member);
  tn_test_server_free (f->server);
}

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

  return answer[0] != '\0' ? tn_test_parse_object (answer) : json_object_new ();
}

static char *
create_event (Fixture    *f,
              const char *title)
{
  g_autofree char *starts = tn_time_format (tn_time_now () + 86400);
  g_autofree char *ends = tn_time_format (tn_time_now () + 90000);
  g_autofree char *body = g_strdup_printf ("{\"title\":\"%s\",\"starts_at\":\"%s\",\"ends_at\":\"%s\","
                                           "\"category\":\"Tech\",\"capacity\":10}",
                                           title, starts, ends);
  g_autoptr(JsonObject) event = send_ok (f, "POST", "/api/v1/events", f->organizer, body, NULL, 201);

  return g_strdup (tn_json_object_get_string (event, "id"));
}

/* The audit page answered to the admin for @query (a query string). */
static JsonObject *
audit_page (Fixture    *f,
            const char *query)
{
  g_autofree char *path = g_strconcat ("/api/v1/audit", query, NULL);

  return send_ok (f, "GET", path, f->admin, NULL, NULL, 200);
}

static JsonArray *
items_of (JsonObject *page)
{
  return json_object_get_array_member (page, "items");
}

/* The only record of @action in @items; fails unless there is exactly one. */
static JsonObject *
only_record (JsonArray  *items,
             const char *action)
{
  JsonObject *found = NULL;

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      if (g_strcmp0 (tn_json_object_get_string (item, "action"), action) == 0)
        {
          if (found != NULL)
            g_error ("%s is recorded more than once", action);
          found = item;
        }
    }
  if (found == NULL)
    g_error ("%s is not recorded", action);
  return found;
}

static guint
count_action (JsonArray  *items,
              const char *action)
{
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (items); i++)
    if (g_strcmp0 (tn_json_object_get_string (json_array_get_object_element (items, i), "action"), action) == 0)
      n++;
  return n;
}

static void
assert_actor (JsonObject *record,
              const char *id,
              const char *email)
{
  JsonObject *actor = json_object_get_object_member (record, "actor");

  g_assert_cmpstr (tn_json_object_get_string (actor, "id"), ==, id);
  g_assert_cmpstr (tn_json_object_get_string (actor, "email"), ==, email);
}

static void
assert_change (JsonObject *record,
               const char *field,
               const char *old_value,
               const char *new_value)
{
  JsonObject *details = json_object_get_object_member (record, "details");
  JsonObject *change;

  g_assert_nonnull (details);
  g_assert_true (json_object_has_member (details, field));
  change = json_object_get_object_member (details, field);
  if (old_value == NULL)
    g_assert_true (json_node_is_null (json_object_get_member (change, "old")));
  else
    g_assert_cmpstr (tn_json_object_get_string (change, "old"), ==, old_value);
  g_assert_cmpstr (tn_json_object_get_string (change, "new"), ==, new_value);
}

/* --- tests --------------------------------------------------------------- */

static void
test_audit_actions (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(JsonObject) empty = audit_page (f, "");
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *query = NULL;
  g_autofree char *guest_path = NULL;
  g_autofree char *ticket_path = NULL;
  g_autofree char *person_path = NULL;
  g_autofree char *guest_id = NULL;
  g_autofree char *new_user_id = NULL;
  g_autofree char *answer = NULL;
  g_autoptr(JsonObject) page = NULL;
  g_autoptr(JsonObject) user_page = NULL;
  g_autoptr(JsonObject) guest = NULL;
  g_autoptr(JsonObject) ignored = NULL;
  g_autoptr(JsonObject) user = NULL;
  JsonArray *items;
  JsonObject *record;

  /* The demo data is not an action of anyone's. */
  g_assert_cmpuint (json_array_get_length (items_of (empty)), ==, 0);

  id = create_event (f, "Audit night");
  path = g_strconcat ("/api/v1/events/", id, NULL);

  /* A PATCH: old and new title. */
  ignored = send_ok (f, "PATCH", path, f->organizer, "{\"title\":\"Audit night, revised\"}", "\"1\"", 200);
  g_clear_pointer (&ignored, json_object_unref);

  /* Refused changes leave no record: a stale If-Match (409), invalid
   * fields (422), a guest with a bad address (422), removing someone who
   * is not on the list (404). */
  answer = send (f, "PATCH", path, f->organizer, "{\"title\":\"Stale\"}", "\"1\"", 409);
  g_clear_pointer (&answer, g_free);
  answer = send (f, "PATCH", path, f->organizer, "{\"title\":\"\"}", "\"2\"", 422);
  g_clear_pointer (&answer, g_free);
  guest_path = g_strconcat (path, "/attendees", NULL);
  answer = send (f, "POST", guest_path, f->organizer, "{\"name\":\"Gus\",\"email\":\"not an address\"}", NULL, 422);
  g_clear_pointer (&answer, g_free);
  person_path = g_strconcat (path, "/people/", f->staff_id, NULL);
  answer = send (f, "DELETE", person_path, f->organizer, NULL, NULL, 404);
  g_clear_pointer (&answer, g_free);

  /* Attendees and tickets. */
  guest = send_ok (f, "POST", guest_path, f->organizer,
                   "{\"name\":\"Gus Guest\",\"email\":\"gus@example.org\",\"note\":\"first\"}", NULL, 201);
  guest_id = g_strdup (tn_json_object_get_string (guest, "id"));
  g_free (guest_path);
  guest_path = g_strconcat (path, "/attendees/", guest_id, NULL);
  ignored = send_ok (f, "PATCH", guest_path, f->organizer, "{\"note\":\"second\"}", NULL, 200);
  g_clear_pointer (&ignored, json_object_unref);
  ticket_path = g_strconcat (guest_path, "/ticket", NULL);
  ignored = send_ok (f, "POST", ticket_path, f->organizer, NULL, NULL, 200);
  g_clear_pointer (&ignored, json_object_unref);
  ignored = send_ok (f, "DELETE", ticket_path, f->organizer, NULL, NULL, 200);
  g_clear_pointer (&ignored, json_object_unref);

  /* The team. */
  ignored = send_ok (f, "PUT", person_path, f->organizer, "{\"role\":\"staff\"}", NULL, 200);
  g_clear_pointer (&ignored, json_object_unref);
  answer = send (f, "DELETE", person_path, f->organizer, NULL, NULL, 204);
  g_clear_pointer (&answer, g_free);

  /* A member's RSVP is not an organizer action. */
  {
    g_autofree char *rsvp_path = g_strconcat (path, "/rsvp", NULL);

    ignored = send_ok (f, "PUT", rsvp_path, f->member, "{\"status\":\"going\"}", NULL, 200);
    g_clear_pointer (&ignored, json_object_unref);
  }

  /* Cancel, then delete. */
  {
    g_autofree char *cancel_path = g_strconcat (path, "/cancel", NULL);

    ignored = send_ok (f, "POST", cancel_path, f->organizer, NULL, NULL, 200);
    g_clear_pointer (&ignored, json_object_unref);
  }
  answer = send (f, "DELETE", path, f->organizer, NULL, NULL, 204);
  g_clear_pointer (&answer, g_free);

  query = g_strdup_printf ("?event_id=%s&limit=500", id);
  page = audit_page (f, query);
  items = items_of (page);
  g_assert_cmpuint (json_array_get_length (items), ==, 10);
  g_assert_true (json_node_is_null (json_object_get_member (page, "next_cursor")));

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      record = json_array_get_object_element (items, i);
      assert_actor (record, f->organizer_id, TN_DEMO_ORGANIZER_EMAIL);
      g_assert_cmpstr (tn_json_object_get_string (record, "event_id"), ==, id);
      g_assert_nonnull (tn_json_object_get_string (record, "at"));
      if (i > 0)
        g_assert_cmpint (json_object_get_int_member (record, "seq"), <,
                         json_object_get_int_member (json_array_get_object_element (items, i - 1), "seq"));
    }

  record = only_record (items, "event.create");
  g_assert_cmpstr (tn_json_object_get_string (record, "target_type"), ==, "event");
  g_assert_cmpstr (tn_json_object_get_string (record, "target_id"), ==, id);
  g_assert_cmpstr (tn_json_object_get_string (json_object_get_object_member (record, "details"), "title"), ==,
                   "Audit night");

  record = only_record (items, "event.update");
  assert_change (record, "title", "Audit night", "Audit night, revised");
  g_assert_false (json_object_has_member (json_object_get_object_member (record, "details"), "description"));
  g_assert_false (json_object_has_member (json_object_get_object_member (record, "details"), "version"));

  record = only_record (items, "attendee.add");
  g_assert_cmpstr (tn_json_object_get_string (record, "target_type"), ==, "attendee");
  g_assert_cmpstr (tn_json_object_get_string (record, "target_id"), ==, guest_id);
  g_assert_cmpstr (tn_json_object_get_string (json_object_get_object_member (record, "details"), "email"), ==,
                   "gus@example.org");

  record = only_record (items, "attendee.update");
  g_assert_cmpstr (tn_json_object_get_string (record, "target_id"), ==, guest_id);
  assert_change (record, "note", "first", "second");

  record = only_record (items, "ticket.reissue");
  g_assert_cmpstr (tn_json_object_get_string (record, "target_id"), ==, guest_id);
  record = only_record (items, "ticket.revoke");
  g_assert_cmpstr (tn_json_object_get_string (record, "target_id"), ==, guest_id);

  record = only_record (items, "person.set");
  g_assert_cmpstr (tn_json_object_get_string (record, "target_type"), ==, "user");
  g_assert_cmpstr (tn_json_object_get_string (record, "target_id"), ==, f->staff_id);
  assert_change (record, "role", NULL, "staff");
  record = only_record (items, "person.remove");
  g_assert_cmpstr (tn_json_object_get_string (json_object_get_object_member (record, "details"), "role"), ==,
                   "staff");

  record = only_record (items, "event.cancel");
  assert_change (record, "status", "scheduled", "cancelled");
  record = only_record (items, "event.delete");
  g_assert_cmpstr (tn_json_object_get_string (json_object_get_object_member (record, "details"), "title"), ==,
                   "Audit night, revised");

  /* An admin creating a user; a duplicate (409) leaves no record. */
  user = send_ok (f, "POST", "/api/v1/users", f->admin,
                  "{\"email\":\"new-user@example.org\",\"name\":\"New User\","
                  "\"password\":\"a long enough password\",\"role\":\"member\"}", NULL, 201);
  new_user_id = g_strdup (tn_json_object_get_string (user, "id"));
  answer = send (f, "POST", "/api/v1/users", f->admin,
                 "{\"email\":\"new-user@example.org\",\"name\":\"Again\","
                 "\"password\":\"a long enough password\",\"role\":\"member\"}", NULL, 409);
  g_clear_pointer (&answer, g_free);
  user_page = audit_page (f, "?action=user.create");
  g_assert_cmpuint (json_array_get_length (items_of (user_page)), ==, 1);
  record = only_record (items_of (user_page), "user.create");
  g_assert_cmpstr (tn_json_object_get_string (record, "target_id"), ==, new_user_id);
  g_assert_true (json_node_is_null (json_object_get_member (record, "event_id")));
  g_assert_cmpstr (tn_json_object_get_string (json_object_get_object_member (record, "details"), "role"), ==,
                   "member");

  /* Everything there is: the ten records of the event and the user. */
  g_clear_pointer (&page, json_object_unref);
  page = audit_page (f, "?limit=500");
  g_assert_cmpuint (json_array_get_length (items_of (page)), ==, 11);
  g_assert_cmpuint (count_action (items_of (page), "event.update"), ==, 1);
}

/* A CSV import is one record with its row count; a refused one none. */
static void
test_audit_import (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *id = create_event (f, "Import night");
  g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/attendees/import", id);
  const char *csv_type[] = { "Content-Type", "text/csv", NULL };
  g_autofree char *answer = NULL;
  g_autoptr(JsonObject) page = NULL;
  JsonObject *record;

  g_assert_cmpuint (tn_test_http (f->url, "POST", path, f->organizer,
                                  "name,email\r\nAda,ada@example.org\r\nBo,bo@example.org\r\n", -1,
                                  csv_type, &answer), ==, 200);
  g_clear_pointer (&answer, g_free);
  g_assert_cmpuint (tn_test_http (f->url, "POST", path, f->organizer,
                                  "name,email\r\nCy,not-an-address\r\n", -1, csv_type, &answer), ==, 422);

  page = audit_page (f, "?action=attendees.import");
  g_assert_cmpuint (json_array_get_length (items_of (page)), ==, 1);
  record = only_record (items_of (page), "attendees.import");
  assert_actor (record, f->organizer_id, TN_DEMO_ORGANIZER_EMAIL);
  g_assert_cmpstr (tn_json_object_get_string (record, "event_id"), ==, id);
  g_assert_cmpint (tn_json_object_get_int (json_object_get_object_member (record, "details"), "rows", -1), ==, 2);
}

/* A request that changes nothing succeeds and leaves no record: a PATCH
 * with nothing new (no new version either), revoking where no ticket is
 * valid, the same role again, an empty file or the same file again. */
static void
test_audit_no_change (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *id = create_event (f, "Nothing new");
  g_autofree char *event_path = g_strdup_printf ("/api/v1/events/%s", id);
  g_autofree char *guests_path = g_strdup_printf ("/api/v1/events/%s/attendees", id);
  g_autofree char *import_path = g_strdup_printf ("/api/v1/events/%s/attendees/import", id);
  g_autofree char *person_path = g_strdup_printf ("/api/v1/events/%s/people/%s", id, f->staff_id);
  g_autofree char *event_query = g_strdup_printf ("?event_id=%s", id);
  g_autofree char *ticket_path = NULL;
  g_autofree char *attendee_path = NULL;
  const char *csv_type[] = { "Content-Type", "text/csv", NULL };
  const char *csv = "name,email\r\nAda,ada@example.org\r\n";
  g_autoptr(JsonObject) same = NULL;
  g_autoptr(JsonObject) same_title = NULL;
  g_autoptr(JsonObject) guest = NULL;
  g_autoptr(JsonObject) unchanged = NULL;
  g_autoptr(JsonObject) revoked = NULL;
  g_autoptr(JsonObject) page = NULL;
  g_autofree char *answer = NULL;
  JsonArray *items;

  same = send_ok (f, "PATCH", event_path, f->organizer, "{}", "\"1\"", 200);
  g_assert_cmpint (tn_json_object_get_int (same, "version", 0), ==, 1);
  same_title = send_ok (f, "PATCH", event_path, f->organizer, "{\"title\":\"Nothing new\",\"capacity\":10}",
                        "\"1\"", 200);
  g_assert_cmpint (tn_json_object_get_int (same_title, "version", 0), ==, 1);

  guest = send_ok (f, "POST", guests_path, f->organizer,
                   "{\"name\":\"Iris\",\"email\":\"iris@example.org\",\"status\":\"interested\"}", NULL, 201);
  attendee_path = g_strdup_printf ("%s/%s", guests_path, tn_json_object_get_string (guest, "id"));
  ticket_path = g_strdup_printf ("%s/ticket", attendee_path);
  revoked = send_ok (f, "DELETE", ticket_path, f->organizer, NULL, NULL, 200);
  g_assert_true (json_node_is_null (json_object_get_member (revoked, "ticket_code")));
  unchanged = send_ok (f, "PATCH", attendee_path, f->organizer, "{}", NULL, 200);
  g_assert_cmpstr (tn_json_object_get_string (unchanged, "updated_at"), ==,
                   tn_json_object_get_string (guest, "updated_at"));

  g_free (send (f, "PUT", person_path, f->organizer, "{\"role\":\"staff\"}", NULL, 200));
  g_free (send (f, "PUT", person_path, f->organizer, "{\"role\":\"staff\"}", NULL, 200));

  g_assert_cmpuint (tn_test_http (f->url, "POST", import_path, f->organizer, "name,email\r\n", -1, csv_type,
                                  &answer), ==, 200);
  g_clear_pointer (&answer, g_free);
  g_assert_cmpuint (tn_test_http (f->url, "POST", import_path, f->organizer, csv, -1, csv_type, &answer), ==, 200);
  g_clear_pointer (&answer, g_free);
  g_assert_cmpuint (tn_test_http (f->url, "POST", import_path, f->organizer, csv, -1, csv_type, &answer), ==, 200);

  page = audit_page (f, event_query);
  items = items_of (page);
  g_assert_cmpuint (count_action (items, "event.create"), ==, 1);
  g_assert_cmpuint (count_action (items, "event.update"), ==, 0);
  g_assert_cmpuint (count_action (items, "attendee.add"), ==, 1);
  g_assert_cmpuint (count_action (items, "ticket.revoke"), ==, 0);
  g_assert_cmpuint (count_action (items, "attendee.update"), ==, 0);
  g_assert_cmpuint (count_action (items, "person.set"), ==, 1);
  g_assert_cmpuint (count_action (items, "attendees.import"), ==, 1);
  g_assert_cmpuint (json_array_get_length (items), ==, 4);
}

static void
test_audit_access (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *answer = NULL;
  g_autoptr(JsonObject) page = NULL;

  answer = send (f, "GET", "/api/v1/audit", NULL, NULL, NULL, 401);
  tn_test_assert_error_body (answer, "unauthorized");
  g_clear_pointer (&answer, g_free);
  answer = send (f, "GET", "/api/v1/audit", f->member, NULL, NULL, 403);
  tn_test_assert_error_body (answer, "forbidden");
  g_clear_pointer (&answer, g_free);
  answer = send (f, "GET", "/api/v1/audit", f->organizer, NULL, NULL, 403);
  tn_test_assert_error_body (answer, "forbidden");
  g_clear_pointer (&answer, g_free);
  answer = send (f, "GET", "/api/v1/audit", f->staff, NULL, NULL, 403);
  tn_test_assert_error_body (answer, "forbidden");
  page = audit_page (f, "");
  g_assert_true (json_object_has_member (page, "items"));
  g_assert_true (json_object_has_member (page, "next_cursor"));
}

static void
test_audit_pages (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *cursor = NULL;
  gint64 last_seq = G_MAXINT64;
  guint pages = 0;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *title = g_strdup_printf ("Page event %u", i);
      g_autofree char *id = create_event (f, title);
    }

  do
    {
      g_autofree char *query = cursor != NULL ? g_strdup_printf ("?limit=2&cursor=%s", cursor)
                                              : g_strdup ("?limit=2");
      g_autoptr(JsonObject) page = audit_page (f, query);
      JsonArray *items = items_of (page);
      JsonNode *next = json_object_get_member (page, "next_cursor");

      pages++;
      g_assert_cmpuint (json_array_get_length (items), ==, pages < 3 ? 2 : 1);
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *item = json_array_get_object_element (items, i);
          gint64 seq = json_object_get_int_member (item, "seq");

          g_assert_cmpint (seq, <, last_seq);
          last_seq = seq;
          g_assert_true (g_hash_table_add (seen, g_strdup (tn_json_object_get_string (item, "target_id"))));
        }
      g_clear_pointer (&cursor, g_free);
      if (!json_node_is_null (next))
        cursor = g_strdup (json_node_get_string (next));
    }
  while (cursor != NULL && pages < 10);
  g_assert_cmpuint (pages, ==, 3);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 5);
}

static void
test_audit_filters (Fixture       *f,
                    gconstpointer  data)
{
  static const struct { const char *query; const char *field; } bad[] = {
    { "?event_id=nope", "event_id" },
    { "?actor_id=1234", "actor_id" },
    { "?action=event.explode", "action" },
    { "?from=yesterday", "from" },
    { "?to=2026-13-01T00:00:00Z", "to" },
    { "?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z", "to" },
    { "?limit=0", "limit" },
    { "?limit=501", "limit" },
    { "?cursor=%21%21%21", "cursor" },
    { "?cursor=YXVkaXQ6eA", "cursor" },   /* "audit:x" */
  };
  g_autofree char *id = create_event (f, "Filtered");
  g_autofree char *other = create_event (f, "Other");
  g_autofree char *query = NULL;
  g_autofree char *past = tn_time_format (tn_time_now () - 3600);
  g_autofree char *future = tn_time_format (tn_time_now () + 3600);
  g_autoptr(JsonObject) page = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = g_strconcat ("/api/v1/audit", bad[i].query, NULL);
      g_autofree char *answer = send (f, "GET", path, f->admin, NULL, NULL, 422);
      g_autoptr(JsonObject) root = tn_test_parse_object (answer);
      JsonObject *details = json_object_get_object_member (json_object_get_object_member (root, "error"),
                                                           "details");

      tn_test_assert_error_body (answer, "validation_failed");
      g_assert_nonnull (details);
      if (!json_object_has_member (details, bad[i].field))
        g_error ("%s: no detail about %s: %s", bad[i].query, bad[i].field, answer);
    }

  query = g_strdup_printf ("?event_id=%s", id);
  page = audit_page (f, query);
  g_assert_cmpuint (json_array_get_length (items_of (page)), ==, 1);
  g_clear_pointer (&query, g_free);
  g_clear_pointer (&page, json_object_unref);

  query = g_strdup_printf ("?actor_id=%s&action=event.create", f->organizer_id);
  page = audit_page (f, query);
  g_assert_cmpuint (json_array_get_length (items_of (page)), ==, 2);
  g_clear_pointer (&query, g_free);
  g_clear_pointer (&page, json_object_unref);

  query = g_strdup_printf ("?actor_id=%s", f->staff_id);
  page = audit_page (f, query);
  g_assert_cmpuint (json_array_get_length (items_of (page)), ==, 0);
  g_clear_pointer (&query, g_free);
  g_clear_pointer (&page, json_object_unref);

  query = g_strdup_printf ("?from=%s&to=%s", past, future);
  page = audit_page (f, query);
  g_assert_cmpuint (json_array_get_length (items_of (page)), ==, 2);
  g_clear_pointer (&query, g_free);
  g_clear_pointer (&page, json_object_unref);

  query = g_strdup_printf ("?from=%s", future);
  page = audit_page (f, query);
  g_assert_cmpuint (json_array_get_length (items_of (page)), ==, 0);
  g_clear_pointer (&query, g_free);
  g_clear_pointer (&page, json_object_unref);

  page = audit_page (f, "?action=event.delete");
  g_assert_cmpuint (json_array_get_length (items_of (page)), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  tn_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/server/audit/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("actions", test_audit_actions);
  ADD ("import", test_audit_import);
  ADD ("no-change", test_audit_no_change);
  ADD ("access", test_audit_access);
  ADD ("pages", test_audit_pages);
  ADD ("filters", test_audit_filters);
#undef ADD

  return g_test_run ();
}
