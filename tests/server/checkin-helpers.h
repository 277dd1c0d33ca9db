/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the check-in tests (devices, scans, sync): a real
 * server with the demo community, and short ways to make events, guests
 * and paired door devices. */
#pragma once

#include <string.h>

#include "tn-json.h"
#include "tn-test-utils.h"
#include "tn-time.h"

typedef struct
{
  TnTestServer *server;
  char         *organizer;   /* olivia */
  char         *other;       /* omar, another organizer */
  char         *member;      /* maria */
  char         *admin;
} Fixture;

G_GNUC_UNUSED static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->server = tn_test_server_new (TRUE);
  f->organizer = tn_test_server_token_for (f->server, TN_DEMO_ORGANIZER_EMAIL);
  f->other = tn_test_server_token_for (f->server, "omar@example.org");
  f->member = tn_test_server_token_for (f->server, TN_DEMO_MEMBER_EMAIL);
  f->admin = tn_test_server_token_for (f->server, TN_DEMO_ADMIN_EMAIL);
}

G_GNUC_UNUSED static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_free (f->organizer);
  g_free (f->other);
  g_free (f->member);
  g_free (f->admin);
  tn_test_server_free (f->server);
}

/* Sends a request, asserts the status, returns the body text. */
G_GNUC_UNUSED static char *
request_text (Fixture    *f,
              const char *method,
              const char *path,
              const char *token,
              const char *body,
              const char *content_type,
              guint       expected_status)
{
  const char *headers[] = { "Content-Type", content_type, NULL };
  char *answer = NULL;
  guint status = tn_test_http (tn_test_server_get_url (f->server), method, path, token, body, -1,
                               content_type != NULL ? headers : NULL, &answer);

  if (status != expected_status)
    g_error ("%s %s: expected %u, got %u: %s", method, path, expected_status, status, answer);
  return answer;
}

G_GNUC_UNUSED static JsonObject *
request (Fixture    *f,
         const char *method,
         const char *path,
         const char *token,
         const char *body,
         guint       expected_status)
{
  g_autofree char *answer = request_text (f, method, path, token, body, NULL, expected_status);

  return answer[0] != '\0' ? tn_test_parse_object (answer) : NULL;
}

/* Asserts a refusal with @status and the error @code. */
G_GNUC_UNUSED static void
refused (Fixture    *f,
         const char *method,
         const char *path,
         const char *token,
         const char *body,
         guint       status,
         const char *code)
{
  g_autofree char *answer = request_text (f, method, path, token, body, NULL, status);

  tn_test_assert_error_body (answer, code);
}

/* An event of @token's, starting in ten minutes and lasting four hours;
 * @extra is more JSON members ("" for none). */
G_GNUC_UNUSED static char *
create_event (Fixture    *f,
              const char *token,
              const char *extra)
{
  g_autofree char *starts = tn_time_format (tn_time_now () + 600);
  g_autofree char *ends = tn_time_format (tn_time_now () + 600 + 4 * 3600);
  g_autofree char *body = g_strdup_printf ("{\"title\":\"Door test\",\"starts_at\":\"%s\",\"ends_at\":\"%s\"%s%s}",
                                           starts, ends, extra[0] ? "," : "", extra);
  g_autoptr(JsonObject) event = request (f, "POST", "/api/v1/events", token, body, 201);

  return g_strdup (tn_json_object_get_string (event, "id"));
}

/* Adds a going guest to @event_id; returns the attendee. */
G_GNUC_UNUSED static JsonObject *
add_guest (Fixture    *f,
           const char *event_id,
           const char *name,
           const char *email)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/attendees", event_id);
  g_autofree char *body = g_strdup_printf ("{\"name\":\"%s\",\"email\":\"%s\"}", name, email);

  return request (f, "POST", path, f->organizer, body, 201);
}

/* Asks for a pairing code (as @token) and pairs a device with it;
 * returns the device token and fills @out_device_id (nullable). */
G_GNUC_UNUSED static char *
pair_device (Fixture     *f,
             const char  *token,
             const char  *event_id,
             const char  *role,
             const char  *name,
             char       **out_device_id)
{
  g_autofree char *body = g_strdup_printf ("{\"event_id\":\"%s\",\"role\":\"%s\"}", event_id, role);
  g_autoptr(JsonObject) pairing = request (f, "POST", "/api/v1/devices/pairing", token, body, 201);
  g_autofree char *pair = g_strdup_printf ("{\"pairing_code\":\"%s\",\"name\":\"%s\"}",
                                           tn_json_object_get_string (pairing, "code"), name);
  g_autoptr(JsonObject) paired = request (f, "POST", "/api/v1/devices", NULL, pair, 201);
  JsonObject *device = json_object_get_object_member (paired, "device");

  if (out_device_id != NULL)
    *out_device_id = g_strdup (tn_json_object_get_string (device, "id"));
  return g_strdup (tn_json_object_get_string (paired, "token"));
}

/* One scan as JSON; @scanned_at in Unix seconds, @local NULL for none. */
G_GNUC_UNUSED static char *
scan_json (const char *id,
           const char *event_id,
           const char *code,
           const char *direction,
           gint64      scanned_at,
           const char *device,
           const char *local)
{
  g_autofree char *at = tn_time_format (scanned_at);
  g_autofree char *local_member = local != NULL ? g_strdup_printf (",\"local_verdict\":\"%s\"", local)
                                                : g_strdup ("");

  return g_strdup_printf ("{\"id\":\"%s\",\"event_id\":\"%s\",\"code\":\"%s\",\"direction\":\"%s\","
                          "\"scanned_at\":\"%s\",\"device\":\"%s\"%s}",
                          id, event_id, code, direction, at, device, local_member);
}

/* Posts one scan and returns its result object (owned by *@out_answer). */
G_GNUC_UNUSED static JsonObject *
post_scan (Fixture     *f,
           const char  *token,
           const char  *scan,
           JsonObject **out_answer)
{
  g_autofree char *body = g_strdup_printf ("{\"scans\":[%s]}", scan);
  JsonObject *answer = request (f, "POST", "/api/v1/checkins", token, body, 200);
  JsonArray *results = json_object_get_array_member (answer, "results");

  g_assert_cmpuint (json_array_get_length (results), ==, 1);
  *out_answer = answer;
  return json_array_get_object_element (results, 0);
}

/* The verdict of a single scan. */
G_GNUC_UNUSED static char *
verdict_of (Fixture    *f,
            const char *token,
            const char *scan)
{
  g_autoptr(JsonObject) answer = NULL;
  JsonObject *result = post_scan (f, token, scan, &answer);

  return g_strdup (tn_json_object_get_string (result, "verdict"));
}

/* Every change of @event_id's sync data from the start, by @token. */
G_GNUC_UNUSED static JsonArray *
sync_all (Fixture    *f,
          const char *token,
          const char *event_id)
{
  JsonArray *all = json_array_new ();
  g_autofree char *cursor = NULL;

  for (;;)
    {
      g_autofree char *path = cursor != NULL
        ? g_strdup_printf ("/api/v1/sync?event_id=%s&since=%s", event_id, cursor)
        : g_strdup_printf ("/api/v1/sync?event_id=%s", event_id);
      g_autoptr(JsonObject) page = request (f, "GET", path, token, NULL, 200);
      JsonArray *changes = json_object_get_array_member (page, "changes");

      for (guint i = 0; i < json_array_get_length (changes); i++)
        json_array_add_element (all, json_node_copy (json_array_get_element (changes, i)));
      g_free (cursor);
      cursor = g_strdup (tn_json_object_get_string (page, "cursor"));
      if (!json_object_get_boolean_member (page, "more"))
        break;
    }
  return all;
}

/* The latest sync state of scan @id among @changes (NULL: none). */
G_GNUC_UNUSED static JsonObject *
find_checkin (JsonArray  *changes,
              const char *id)
{
  JsonObject *found = NULL;

  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);

      if (g_strcmp0 (tn_json_object_get_string (change, "type"), "checkin") == 0 &&
          g_strcmp0 (tn_json_object_get_string (json_object_get_object_member (change, "checkin"), "id"), id) == 0)
        found = json_object_get_object_member (change, "checkin");
    }
  return found;
}
