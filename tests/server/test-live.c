/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Live statistics: GET …/stats, and the …/live WebSocket with a real
 * libsoup WebSocket client: a snapshot on connect, a delta after each
 * committed change made by another client. */
#include "config.h"

#include <libsoup/soup.h>

#include "tn-json.h"
#include "tn-test-utils.h"
#include "tn-time.h"


typedef struct
{
  TnTestServer *server;
  const char   *url;
  char         *organizer;
  char         *event_id;
} Fixture;



static char *
create_event (Fixture    *f,
              const char *extra)
{
  g_autofree char *starts = tn_time_format (tn_time_now () + 86400);
  g_autofree char *ends = tn_time_format (tn_time_now () + 90000);
  g_autofree char *body = g_strdup_printf ("{\"title\":\"Live night\",\"starts_at\":\"%s\",\"ends_at\":\"%s\"%s}",
                                           starts, ends, extra);
  g_autoptr(TnTestReply) reply = tn_test_request (f->url, "POST", "/api/v1/events", f->organizer, body, NULL);
  g_autoptr(JsonObject) event = NULL;

  g_assert_cmpuint (reply->status, ==, 201);
  event = tn_test_parse_object (reply->body);
  return g_strdup (tn_json_object_get_string (event, "id"));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->server = tn_test_server_new (TRUE);
  f->url = tn_test_server_get_url (f->server);
  f->organizer = tn_test_server_token_for (f->server, TN_DEMO_ORGANIZER_EMAIL);
  f->event_id = create_event (f, ",\"capacity\":2,\"waitlist\":true");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_free (f->event_id);
  g_free (f->organizer);
  tn_test_server_free (f->server);
}

/* Opens the live stream of @event_id as @token (NULL: anonymous). */
static TnTestSubscriber *
subscribe (Fixture    *f,
           const char *event_id,
           const char *token)
{
  return tn_test_subscribe (f->url, event_id, token);
}


static gint64
stat (JsonObject *message,
      const char *name)
{
  return tn_json_object_get_int (json_object_get_object_member (message, "stats"), name, -1);
}

static void
rsvp (Fixture    *f,
      const char *token,
      const char *status,
      guint       expected)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/rsvp", f->event_id);
  g_autofree char *body = g_strdup_printf ("{\"status\":\"%s\"}", status);
  g_autoptr(TnTestReply) reply = tn_test_request (f->url, "PUT", path, token, body, NULL);

  g_assert_cmpuint (reply->status, ==, expected);
}

static void
test_stats (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/stats", f->event_id);
  g_autofree char *member = tn_test_server_add_user (f->server, "m1@example.org", "member-password", TN_ROLE_MEMBER);
  g_autofree char *other = tn_test_server_add_user (f->server, "m2@example.org", "member-password", TN_ROLE_MEMBER);
  g_autofree char *third = tn_test_server_add_user (f->server, "m3@example.org", "member-password", TN_ROLE_MEMBER);
  g_autoptr(TnTestReply) reply = NULL;
  g_autoptr(TnTestReply) refused = NULL;
  g_autoptr(TnTestReply) anonymous = NULL;
  g_autoptr(JsonObject) stats = NULL;

  rsvp (f, member, "going", 200);
  rsvp (f, other, "going", 200);
  rsvp (f, third, "going", 200);        /* the waitlist */
  reply = tn_test_request (f->url, "GET", path, f->organizer, NULL, NULL);
  g_assert_cmpuint (reply->status, ==, 200);
  stats = tn_test_parse_object (reply->body);
  g_assert_cmpstr (tn_json_object_get_string (stats, "event_id"), ==, f->event_id);
  g_assert_cmpint (tn_json_object_get_int (stats, "capacity", -1), ==, 2);
  g_assert_cmpint (tn_json_object_get_int (stats, "going", -1), ==, 2);
  g_assert_cmpint (tn_json_object_get_int (stats, "waitlisted", -1), ==, 1);
  g_assert_cmpint (tn_json_object_get_int (stats, "interested", -1), ==, 0);
  g_assert_cmpint (tn_json_object_get_int (stats, "seats_left", -1), ==, 0);

  /* the team only */
  refused = tn_test_request (f->url, "GET", path, member, NULL, NULL);
  g_assert_cmpuint (refused->status, ==, 403);
  tn_test_assert_error_body (refused->body, "forbidden");
  anonymous = tn_test_request (f->url, "GET", path, NULL, NULL, NULL);
  g_assert_cmpuint (anonymous->status, ==, 401);
  tn_test_assert_error_body (anonymous->body, "unauthorized");
}

static void
test_live_deltas (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *member = tn_test_server_add_user (f->server, "live1@example.org", "member-password", TN_ROLE_MEMBER);
  g_autofree char *other = tn_test_server_add_user (f->server, "live2@example.org", "member-password", TN_ROLE_MEMBER);
  g_autofree char *third = tn_test_server_add_user (f->server, "live3@example.org", "member-password", TN_ROLE_MEMBER);
  g_autoptr(TnTestSubscriber) s = subscribe (f, f->event_id, f->organizer);
  g_autoptr(TnTestSubscriber) staff = NULL;
  g_autofree char *staff_token = tn_test_server_token_for (f->server, TN_DEMO_STAFF_EMAIL);
  JsonObject *snapshot, *delta, *change, *attendee;

  g_assert_no_error (s->error);
  snapshot = tn_test_subscriber_nth (s, 1);
  g_assert_cmpstr (tn_json_object_get_string (snapshot, "type"), ==, "snapshot");
  g_assert_cmpstr (tn_json_object_get_string (snapshot, "event_id"), ==, f->event_id);
  g_assert_cmpint (stat (snapshot, "going"), ==, 0);
  g_assert_cmpint (stat (snapshot, "seats_left"), ==, 2);

  /* Another client's RSVP reaches the subscriber, with the figures after it. */
  rsvp (f, member, "going", 200);
  delta = tn_test_subscriber_nth (s, 2);
  g_assert_cmpstr (tn_json_object_get_string (delta, "type"), ==, "delta");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (delta, "changes")), ==, 1);
  change = json_array_get_object_element (json_object_get_array_member (delta, "changes"), 0);
  g_assert_cmpstr (tn_json_object_get_string (change, "type"), ==, "rsvp");
  attendee = json_object_get_object_member (change, "attendee");
  g_assert_cmpstr (tn_json_object_get_string (attendee, "status"), ==, "going");
  g_assert_cmpint (stat (delta, "going"), ==, 1);
  g_assert_cmpint (stat (delta, "seats_left"), ==, 1);

  /* A second subscriber (staff assigned to the event see the attendees
   * too) gets the same. */
  {
    g_autoptr(TnTestReply) me = tn_test_request (f->url, "GET", "/api/v1/me", staff_token, NULL, NULL);
    g_autoptr(JsonObject) user = tn_test_parse_object (me->body);
    g_autofree char *people = g_strdup_printf ("/api/v1/events/%s/people/%s", f->event_id,
                                               tn_json_object_get_string (user, "id"));
    g_autoptr(TnTestReply) assigned = tn_test_request (f->url, "PUT", people, f->organizer,
                                                       "{\"role\":\"staff\"}", NULL);

    g_assert_cmpuint (assigned->status, ==, 200);
  }
  staff = subscribe (f, f->event_id, staff_token);
  g_assert_no_error (staff->error);
  g_assert_cmpint (stat (tn_test_subscriber_nth (staff, 1), "going"), ==, 1);

  rsvp (f, other, "going", 200);
  rsvp (f, third, "going", 200);
  delta = tn_test_subscriber_nth (s, 4);
  attendee = json_object_get_object_member (json_array_get_object_element (
      json_object_get_array_member (delta, "changes"), 0), "attendee");
  g_assert_cmpstr (tn_json_object_get_string (attendee, "status"), ==, "waitlisted");
  g_assert_cmpint (tn_json_object_get_int (attendee, "waitlist_position", 0), ==, 1);
  g_assert_cmpint (stat (delta, "waitlisted"), ==, 1);
  g_assert_cmpint (stat (tn_test_subscriber_nth (staff, 3), "waitlisted"), ==, 1);

  /* Leaving promotes the first waiting: the figures say so. */
  rsvp (f, member, "not_going", 200);
  delta = tn_test_subscriber_nth (s, 5);
  g_assert_cmpint (stat (delta, "going"), ==, 2);
  g_assert_cmpint (stat (delta, "waitlisted"), ==, 0);
  g_assert_cmpint (stat (delta, "not_going"), ==, 1);
  /* A refused change sends nothing: the next message is the next change. */
  rsvp (f, member, "waitlisted", 422);
  rsvp (f, member, "maybe", 200);
  delta = tn_test_subscriber_nth (s, 6);
  attendee = json_object_get_object_member (json_array_get_object_element (
      json_object_get_array_member (delta, "changes"), 0), "attendee");
  g_assert_cmpstr (tn_json_object_get_string (attendee, "status"), ==, "maybe");
  g_assert_cmpint (stat (delta, "maybe"), ==, 1);
  g_assert_cmpint (stat (delta, "not_going"), ==, 0);

  /* The organizer's changes too: a guest (waitlisted: the event is full),
   * then more seats, which seat the guest. */
  {
    g_autofree char *guests = g_strdup_printf ("/api/v1/events/%s/attendees", f->event_id);
    g_autofree char *event_path = g_strdup_printf ("/api/v1/events/%s", f->event_id);
    g_autoptr(TnTestReply) added = tn_test_request (f->url, "POST", guests, f->organizer,
                                                    "{\"name\":\"Gil\",\"email\":\"gil@example.org\"}", NULL);
    g_autoptr(TnTestReply) grown = NULL;

    g_assert_cmpuint (added->status, ==, 201);
    delta = tn_test_subscriber_nth (s, 7);
    change = json_array_get_object_element (json_object_get_array_member (delta, "changes"), 0);
    g_assert_cmpstr (tn_json_object_get_string (change, "type"), ==, "guest");
    g_assert_cmpint (stat (delta, "waitlisted"), ==, 1);

    grown = tn_test_request (f->url, "PATCH", event_path, f->organizer, "{\"capacity\":3}", "\"1\"");
    g_assert_cmpuint (grown->status, ==, 200);
    delta = tn_test_subscriber_nth (s, 8);
    change = json_array_get_object_element (json_object_get_array_member (delta, "changes"), 0);
    g_assert_cmpstr (tn_json_object_get_string (change, "type"), ==, "event");
    g_assert_cmpint (stat (delta, "capacity"), ==, 3);
    g_assert_cmpint (stat (delta, "going"), ==, 3);
    g_assert_cmpint (stat (delta, "waitlisted"), ==, 0);
  }
}

static void
test_live_refusals (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *member = tn_test_server_add_user (f->server, "nosy@example.org", "member-password", TN_ROLE_MEMBER);
  g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/live", f->event_id);
  g_autoptr(TnTestSubscriber) as_member = subscribe (f, f->event_id, member);
  g_autoptr(TnTestSubscriber) anonymous = subscribe (f, f->event_id, NULL);
  g_autoptr(TnTestSubscriber) unknown = subscribe (f, "00000000-0000-4000-8000-000000000000", f->organizer);
  g_autoptr(TnTestReply) plain = NULL;

  g_assert_null (as_member->connection);
  g_assert_nonnull (as_member->error);
  g_assert_cmpuint (soup_message_get_status (as_member->msg), ==, 403);
  g_assert_null (anonymous->connection);
  g_assert_cmpuint (soup_message_get_status (anonymous->msg), ==, 401);
  g_assert_null (unknown->connection);
  g_assert_cmpuint (soup_message_get_status (unknown->msg), ==, 404);

  /* Not a WebSocket handshake: a JSON error. */
  plain = tn_test_request (f->url, "GET", path, f->organizer, NULL, NULL);
  g_assert_cmpuint (plain->status, ==, 400);
  tn_test_assert_error_body (plain->body, "bad_request");
}

/* Sends @body as @token to @path, asserts @expected, returns the answer. */
static JsonObject *
call (Fixture    *f,
      const char *method,
      const char *path,
      const char *token,
      const char *body,
      guint       expected)
{
  g_autoptr(TnTestReply) reply = tn_test_request (f->url, method, path, token, body, NULL);

  if (reply->status != expected)
    g_error ("%s %s: expected %u, got %u: %s", method, path, expected, reply->status, reply->body);
  return reply->body[0] != '\0' ? tn_test_parse_object (reply->body) : NULL;
}

/* Check-in on the live stream, which the event's door devices may follow
 * too: each batch of scans and each undo is a delta, and the figures say
 * who came and who is inside now. */
static void
test_live_checkins (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *starts = tn_time_format (tn_time_now () + 600);
  g_autofree char *ends = tn_time_format (tn_time_now () + 4 * 3600);
  g_autofree char *now = tn_time_format (tn_time_now ());
  g_autofree char *event_body = g_strdup_printf ("{\"title\":\"Door night\",\"starts_at\":\"%s\",\"ends_at\":\"%s\"}",
                                                 starts, ends);
  g_autoptr(JsonObject) event = call (f, "POST", "/api/v1/events", f->organizer, event_body, 201);
  const char *event_id = tn_json_object_get_string (event, "id");
  g_autofree char *guests = g_strdup_printf ("/api/v1/events/%s/attendees", event_id);
  g_autoptr(JsonObject) guest = call (f, "POST", guests, f->organizer, "{\"name\":\"Ann\",\"email\":\"ann@example.org\"}",
                                      201);
  g_autofree char *pairing_body = g_strdup_printf ("{\"event_id\":\"%s\",\"role\":\"steward\"}", event_id);
  g_autoptr(JsonObject) pairing = call (f, "POST", "/api/v1/devices/pairing", f->organizer, pairing_body, 201);
  g_autofree char *pair_body = g_strdup_printf ("{\"pairing_code\":\"%s\",\"name\":\"Door\"}",
                                                tn_json_object_get_string (pairing, "code"));
  g_autoptr(JsonObject) paired = call (f, "POST", "/api/v1/devices", NULL, pair_body, 201);
  const char *door = tn_json_object_get_string (paired, "token");
  g_autoptr(TnTestSubscriber) s = subscribe (f, event_id, door);
  g_autoptr(TnTestSubscriber) other = subscribe (f, f->event_id, door);
  const char *ids[] = { "0190d000-0000-7000-8000-000000000001", "0190d000-0000-7000-8000-000000000002",
                        "0190d000-0000-7000-8000-000000000003" };
  const char *directions[] = { "in", "in", "out" };
  JsonObject *message, *change;

  /* A door device follows its own event, and no other */
  g_assert_no_error (s->error);
  g_assert_null (other->connection);
  g_assert_cmpuint (soup_message_get_status (other->msg), ==, 404);
  message = tn_test_subscriber_nth (s, 1);
  g_assert_cmpint (stat (message, "checked_in"), ==, 0);
  g_assert_cmpint (stat (message, "inside"), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *scans = g_strdup_printf ("{\"scans\":[{\"id\":\"%s\",\"event_id\":\"%s\",\"code\":\"%s\","
                                                "\"direction\":\"%s\",\"scanned_at\":\"%s\",\"device\":\"Door\"}]}",
                                                ids[i], event_id, tn_json_object_get_string (guest, "ticket_code"),
                                                directions[i], now);
      g_autoptr(JsonObject) answer = call (f, "POST", "/api/v1/checkins", door, scans, 200);

      message = tn_test_subscriber_nth (s, 2 + i);
      change = json_array_get_object_element (json_object_get_array_member (message, "changes"), 0);
      g_assert_cmpstr (tn_json_object_get_string (change, "type"), ==, "checkin");
      g_assert_cmpint (tn_json_object_get_int (change, "scans", 0), ==, 1);
    }
  /* in (accepted), in (a duplicate), out: came once, not inside */
  g_assert_cmpint (stat (tn_test_subscriber_nth (s, 2), "inside"), ==, 1);
  g_assert_cmpint (stat (tn_test_subscriber_nth (s, 3), "inside"), ==, 1);
  g_assert_cmpint (stat (tn_test_subscriber_nth (s, 4), "inside"), ==, 0);
  g_assert_cmpint (stat (tn_test_subscriber_nth (s, 4), "checked_in"), ==, 1);

  /* Undoing the exit puts her back inside */
  {
    g_autofree char *undo = g_strdup_printf ("/api/v1/checkins/%s", ids[2]);
    g_autofree char *stats_path = g_strdup_printf ("/api/v1/events/%s/stats", event_id);
    g_autoptr(JsonObject) undone = call (f, "DELETE", undo, f->organizer, NULL, 204);
    g_autoptr(JsonObject) stats = NULL;

    message = tn_test_subscriber_nth (s, 5);
    change = json_array_get_object_element (json_object_get_array_member (message, "changes"), 0);
    g_assert_cmpstr (tn_json_object_get_string (change, "type"), ==, "checkin_undo");
    g_assert_cmpstr (tn_json_object_get_string (change, "id"), ==, ids[2]);
    g_assert_cmpint (stat (message, "inside"), ==, 1);
    stats = call (f, "GET", stats_path, door, NULL, 200);
    g_assert_cmpint (tn_json_object_get_int (stats, "inside", -1), ==, 1);
    g_assert_cmpint (tn_json_object_get_int (stats, "checked_in", -1), ==, 1);
  }
}

int
main (int    argc,
      char **argv)
{
  tn_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/server/live/stats", test_stats);
  ADD ("/server/live/deltas", test_live_deltas);
  ADD ("/server/live/refusals", test_live_refusals);
  ADD ("/server/live/checkins", test_live_checkins);
#undef ADD

  return g_test_run ();
}
