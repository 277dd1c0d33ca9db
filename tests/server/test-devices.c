/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Door devices against a real server: pairing and its refusals, what a
 * device token may and may not do, renames and revocation
 * (docs/CHECKIN.md, "Devices"). */
#include "config.h"


#include "checkin-helpers.h"
#include "tn-error.h"
#include "tn-sync-engine.h"

#define CODE_PATTERN "^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$"

static JsonObject *
ask_pairing (Fixture    *f,
             const char *token,
             const char *body,
             guint       status)
{
  return request (f, "POST", "/api/v1/devices/pairing", token, body, status);
}

/* The audit actions recorded for @event_id, newest first, joined by spaces. */
static char *
audit_actions (Fixture    *f,
               const char *event_id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/audit?event_id=%s", event_id);
  g_autoptr(JsonObject) page = request (f, "GET", path, f->admin, NULL, 200);
  JsonArray *items = json_object_get_array_member (page, "items");
  GString *actions = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (items); i++)
    g_string_append_printf (actions, "%s%s", i > 0 ? " " : "",
                            tn_json_object_get_string (json_array_get_object_element (items, i), "action"));
  return g_string_free (actions, FALSE);
}

static void
test_pairing (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *event_id = create_event (f, f->organizer, "");
  g_autofree char *body = g_strdup_printf ("{\"event_id\":\"%s\",\"role\":\"supervisor\",\"name\":\"Front\"}",
                                           event_id);
  g_autoptr(JsonObject) pairing = ask_pairing (f, f->organizer, body, 201);
  const char *code = tn_json_object_get_string (pairing, "code");
  g_autofree char *typed = NULL;
  g_autofree char *pair = NULL;
  g_autofree char *list_path = g_strdup_printf ("/api/v1/devices?event_id=%s", event_id);
  g_autoptr(JsonObject) paired = NULL;
  g_autoptr(JsonObject) list = NULL;
  g_autofree char *actions = NULL;
  JsonObject *device;
  const char *token;
  gint64 expires_at = 0;

  g_assert_true (g_regex_match_simple (CODE_PATTERN, code, 0, 0));
  g_assert_cmpstr (tn_json_object_get_string (pairing, "event_id"), ==, event_id);
  g_assert_cmpstr (tn_json_object_get_string (pairing, "role"), ==, "supervisor");
  g_assert_true (tn_time_parse (tn_json_object_get_string (pairing, "expires_at"), &expires_at, NULL));
  g_assert_cmpint (expires_at, >, tn_time_now () + 9 * 60);
  g_assert_cmpint (expires_at, <=, tn_time_now () + 10 * 60);

  /* Typed at a door: lower case, no dashes, O for 0 and I for 1 are all fine */
  typed = g_ascii_strdown (code, -1);
  g_strdelimit (typed, "-", ' ');
  for (char *p = typed; *p; p++)
    if (*p == '0')
      *p = 'o';
    else if (*p == '1')
      *p = 'i';
  pair = g_strdup_printf ("{\"pairing_code\":\"%s\",\"name\":\"Door 1\"}", typed);
  paired = request (f, "POST", "/api/v1/devices", NULL, pair, 201);
  token = tn_json_object_get_string (paired, "token");
  g_assert_true (g_str_has_prefix (token, "tnd_"));
  g_assert_cmpuint (strlen (token), ==, 4 + 43);
  device = json_object_get_object_member (paired, "device");
  g_assert_cmpstr (tn_json_object_get_string (device, "event_id"), ==, event_id);
  g_assert_cmpstr (tn_json_object_get_string (device, "name"), ==, "Door 1");
  g_assert_cmpstr (tn_json_object_get_string (device, "role"), ==, "supervisor");
  g_assert_true (g_uuid_string_is_valid (tn_json_object_get_string (device, "id")));
  g_assert_true (json_object_get_null_member (device, "revoked_at"));
  g_assert_true (json_object_get_null_member (device, "last_seen_at"));

  /* One device per code */
  refused (f, "POST", "/api/v1/devices", NULL, pair, 401, "unauthorized");

  /* The device works: it reads its event and syncs; now it has been seen */
  {
    g_autofree char *event_path = g_strdup_printf ("/api/v1/events/%s", event_id);
    g_autofree char *sync_path = g_strdup_printf ("/api/v1/sync?event_id=%s", event_id);
    g_autoptr(JsonObject) event = request (f, "GET", event_path, token, NULL, 200);
    g_autoptr(JsonObject) sync = request (f, "GET", sync_path, token, NULL, 200);

    g_assert_cmpstr (tn_json_object_get_string (event, "id"), ==, event_id);
  }

  list = request (f, "GET", list_path, f->organizer, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (list, "items")), ==, 1);
  device = json_array_get_object_element (json_object_get_array_member (list, "items"), 0);
  g_assert_cmpstr (tn_json_object_get_string (device, "name"), ==, "Door 1");
  g_assert_nonnull (tn_json_object_get_string (device, "last_seen_at"));
  g_assert_true (json_object_get_null_member (list, "next_cursor"));

  actions = audit_actions (f, event_id);
  g_assert_cmpstr (actions, ==, "device.pairing event.create");
}

static void
test_pairing_refusals (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *event_id = create_event (f, f->organizer, "");
  g_autofree char *private_id = create_event (f, f->other, "\"visibility\":\"private\"");
  g_autofree char *good = g_strdup_printf ("{\"event_id\":\"%s\",\"role\":\"steward\"}", event_id);
  g_autofree char *private_body = g_strdup_printf ("{\"event_id\":\"%s\",\"role\":\"steward\"}", private_id);
  g_autofree char *bad_role = g_strdup_printf ("{\"event_id\":\"%s\",\"role\":\"admin\"}", event_id);
  g_autofree char *long_name = g_strdup_printf ("{\"event_id\":\"%s\",\"role\":\"steward\",\"name\":\"%0200d\"}",
                                                event_id, 7);
  g_autofree char *extra = g_strdup_printf ("{\"event_id\":\"%s\",\"role\":\"steward\",\"token\":\"x\"}", event_id);
  g_autoptr(JsonObject) pairing = NULL;
  g_autofree char *pair = NULL;
  g_autofree char *staff = NULL;
  g_autofree char *staff_id = NULL;

  /* Who may ask: nobody anonymous, no member, no other organizer */
  refused (f, "POST", "/api/v1/devices/pairing", NULL, good, 401, "unauthorized");
  refused (f, "POST", "/api/v1/devices/pairing", f->member, good, 403, "forbidden");
  refused (f, "POST", "/api/v1/devices/pairing", f->other, good, 403, "forbidden");
  /* an event one may not see, or none at all, does not exist */
  refused (f, "POST", "/api/v1/devices/pairing", f->organizer, private_body, 404, "not_found");
  {
    g_autofree char *missing = g_strdup ("{\"event_id\":\"00000000-0000-4000-8000-000000000000\",\"role\":\"steward\"}");

    refused (f, "POST", "/api/v1/devices/pairing", f->organizer, missing, 404, "not_found");
  }
  /* malformed */
  refused (f, "POST", "/api/v1/devices/pairing", f->organizer, bad_role, 422, "validation_failed");
  refused (f, "POST", "/api/v1/devices/pairing", f->organizer, long_name, 422, "validation_failed");
  refused (f, "POST", "/api/v1/devices/pairing", f->organizer, extra, 422, "validation_failed");
  refused (f, "POST", "/api/v1/devices/pairing", f->organizer, "{\"role\":\"steward\"}", 422, "validation_failed");
  refused (f, "POST", "/api/v1/devices/pairing", f->organizer, "{\"event_id\":5,\"role\":\"steward\"}", 422,
           "validation_failed");
  refused (f, "POST", "/api/v1/devices/pairing", f->organizer, "{\"event_id\":", 400, "bad_request");

  /* staff assigned to the event, co-hosts and admins may */
  staff = tn_test_server_token_for (f->server, TN_DEMO_STAFF_EMAIL);
  {
    g_autoptr(JsonObject) me = request (f, "GET", "/api/v1/me", staff, NULL, 200);
    g_autofree char *path = NULL;
    g_autoptr(JsonObject) person = NULL;

    staff_id = g_strdup (tn_json_object_get_string (me, "id"));
    refused (f, "POST", "/api/v1/devices/pairing", staff, good, 403, "forbidden");
    path = g_strdup_printf ("/api/v1/events/%s/people/%s", event_id, staff_id);
    person = request (f, "PUT", path, f->organizer, "{\"role\":\"staff\"}", 200);
  }
  g_clear_pointer (&pairing, json_object_unref);
  pairing = ask_pairing (f, staff, good, 201);
  g_clear_pointer (&pairing, json_object_unref);
  pairing = ask_pairing (f, f->admin, good, 201);

  /* The door's side: wrong, malformed, expired codes */
  refused (f, "POST", "/api/v1/devices", NULL, "{\"pairing_code\":\"0000-0000-0000\",\"name\":\"Door\"}", 401,
           "unauthorized");
  refused (f, "POST", "/api/v1/devices", NULL, "{\"pairing_code\":\"not a code at all\",\"name\":\"Door\"}", 401,
           "unauthorized");
  refused (f, "POST", "/api/v1/devices", NULL, "{\"pairing_code\":\"\",\"name\":\"Door\"}", 401, "unauthorized");
  refused (f, "POST", "/api/v1/devices", NULL, "{\"pairing_code\":12,\"name\":\"Door\"}", 422, "validation_failed");
  pair = g_strdup_printf ("{\"pairing_code\":\"%s\",\"name\":\"\"}", tn_json_object_get_string (pairing, "code"));
  refused (f, "POST", "/api/v1/devices", NULL, pair, 422, "validation_failed");
  refused (f, "POST", "/api/v1/devices", NULL, "{\"name\":\"Door\"}", 422, "validation_failed");

  /* An expired code: moved into the past behind the server's back */
  tn_test_server_exec_sql (f->server, "UPDATE pairing_codes SET expires_at = 1");
  g_free (pair);
  pair = g_strdup_printf ("{\"pairing_code\":\"%s\",\"name\":\"Door\"}", tn_json_object_get_string (pairing, "code"));
  refused (f, "POST", "/api/v1/devices", NULL, pair, 401, "unauthorized");
}

/* Guessing codes is limited per address, like sign-ins (20 a minute by
 * default): then 429 even for a right code. */
static void
test_pairing_rate_limit (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *event_id = create_event (f, f->organizer, "");
  g_autofree char *body = g_strdup_printf ("{\"event_id\":\"%s\",\"role\":\"steward\"}", event_id);
  g_autoptr(JsonObject) pairing = ask_pairing (f, f->organizer, body, 201);
  g_autofree char *right = g_strdup_printf ("{\"pairing_code\":\"%s\",\"name\":\"Door\"}",
                                            tn_json_object_get_string (pairing, "code"));
  guint refused_401 = 0;

  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *guess = g_strdup_printf ("{\"pairing_code\":\"AAAA-AAAA-%04u\",\"name\":\"Door\"}", i);
      g_autofree char *answer = NULL;
      guint status = tn_test_http (tn_test_server_get_url (f->server), "POST", "/api/v1/devices", NULL, guess, -1,
                                   NULL, &answer);

      if (status == 401)
        refused_401++;
      else
        {
          g_assert_cmpuint (status, ==, 429);
          tn_test_assert_error_body (answer, "rate_limited");
        }
    }
  g_assert_cmpuint (refused_401, ==, 20);
  refused (f, "POST", "/api/v1/devices", NULL, right, 429, "rate_limited");
  /* Sign-ins have an allowance of their own */
  {
    g_autofree char *login = g_strdup_printf ("{\"email\":\"%s\",\"password\":\"%s\"}", TN_DEMO_MEMBER_EMAIL,
                                              TN_DEMO_PASSWORD);
    g_autoptr(JsonObject) signed_in = request (f, "POST", "/api/v1/auth/login", NULL, login, 200);
  }
}

/* Issue 4, test f: a device token cannot read another event, list users
 * or change events. */
static void
test_device_scope (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *event_id = create_event (f, f->organizer, "");
  g_autofree char *other_id = create_event (f, f->organizer, "");
  g_autofree char *token = pair_device (f, f->organizer, event_id, "supervisor", "Door", NULL);
  g_autofree char *own = g_strdup_printf ("/api/v1/events/%s", event_id);
  g_autofree char *other = g_strdup_printf ("/api/v1/events/%s", other_id);
  g_autofree char *own_attendees = g_strdup_printf ("/api/v1/events/%s/attendees", event_id);
  g_autofree char *own_rsvp = g_strdup_printf ("/api/v1/events/%s/rsvp", event_id);
  g_autofree char *own_cancel = g_strdup_printf ("/api/v1/events/%s/cancel", event_id);
  g_autofree char *other_sync = g_strdup_printf ("/api/v1/sync?event_id=%s", other_id);
  g_autofree char *own_devices = g_strdup_printf ("/api/v1/devices?event_id=%s", event_id);
  g_autofree char *pairing = g_strdup_printf ("{\"event_id\":\"%s\",\"role\":\"steward\"}", event_id);
  g_autoptr(JsonObject) event = request (f, "GET", own, token, NULL, 200);
  g_autoptr(JsonObject) guest = add_guest (f, other_id, "Other Guest", "other-guest@example.org");
  g_autofree char *scan = scan_json ("0190a000-0000-7000-8000-000000000001", other_id,
                                     tn_json_object_get_string (guest, "ticket_code"), "in",
                                     tn_time_now (), "Door", NULL);
  g_autofree char *scans = g_strdup_printf ("{\"scans\":[%s]}", scan);

  /* its event's figures, and no other's */
  {
    g_autofree char *own_stats = g_strdup_printf ("/api/v1/events/%s/stats", event_id);
    g_autofree char *other_stats = g_strdup_printf ("/api/v1/events/%s/stats", other_id);
    g_autoptr(JsonObject) stats = request (f, "GET", own_stats, token, NULL, 200);

    g_assert_cmpstr (tn_json_object_get_string (stats, "event_id"), ==, event_id);
    refused (f, "GET", other_stats, token, NULL, 404, "not_found");
  }

  /* another event does not exist for it, not even to check in */
  refused (f, "GET", other, token, NULL, 404, "not_found");
  refused (f, "GET", other_sync, token, NULL, 404, "not_found");
  refused (f, "POST", "/api/v1/checkins", token, scans, 404, "not_found");
  /* no users, no changes, no attendee lists, no other route */
  refused (f, "GET", "/api/v1/users", token, NULL, 403, "forbidden");
  refused (f, "GET", "/api/v1/me", token, NULL, 403, "forbidden");
  refused (f, "GET", "/api/v1/audit", token, NULL, 403, "forbidden");
  refused (f, "PATCH", own, token, "{\"title\":\"Mine now\"}", 403, "forbidden");
  refused (f, "DELETE", own, token, NULL, 403, "forbidden");
  refused (f, "POST", own_cancel, token, NULL, 403, "forbidden");
  refused (f, "POST", "/api/v1/events", token, "{\"title\":\"x\"}", 403, "forbidden");
  refused (f, "GET", own_attendees, token, NULL, 403, "forbidden");
  refused (f, "PUT", own_rsvp, token, "{\"status\":\"going\"}", 403, "forbidden");
  refused (f, "GET", own_devices, token, NULL, 403, "forbidden");
  refused (f, "POST", "/api/v1/devices/pairing", token, pairing, 403, "forbidden");
  refused (f, "POST", "/api/v1/auth/logout", token, NULL, 403, "forbidden");
  /* lists of events are for people */
  refused (f, "GET", "/api/v1/events", token, NULL, 403, "forbidden");

  /* a token that looks like a device's but was never issued */
  refused (f, "GET", own, "tnd_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL, 401, "unauthorized");

  /* the event is unchanged */
  {
    g_autoptr(JsonObject) again = request (f, "GET", own, f->organizer, NULL, 200);

    g_assert_cmpstr (tn_json_object_get_string (again, "title"), ==, "Door test");
  }
}

static void
test_rename_and_revoke (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *event_id = create_event (f, f->organizer, "");
  g_autofree char *device_id = NULL;
  g_autofree char *token = pair_device (f, f->organizer, event_id, "steward", "Door", &device_id);
  g_autofree char *path = g_strdup_printf ("/api/v1/devices/%s", device_id);
  g_autofree char *event_path = g_strdup_printf ("/api/v1/events/%s", event_id);
  g_autofree char *sync_path = g_strdup_printf ("/api/v1/sync?event_id=%s", event_id);
  g_autofree char *list_path = g_strdup_printf ("/api/v1/devices?event_id=%s", event_id);
  g_autoptr(JsonObject) renamed = NULL;
  g_autoptr(JsonObject) list = NULL;
  g_autoptr(JsonObject) event = NULL;
  g_autofree char *actions = NULL;
  JsonObject *device;

  /* others may neither rename nor revoke it */
  refused (f, "PATCH", path, f->member, "{\"name\":\"Mine\"}", 403, "forbidden");
  refused (f, "PATCH", path, f->other, "{\"name\":\"Mine\"}", 403, "forbidden");
  refused (f, "DELETE", path, f->member, NULL, 403, "forbidden");
  refused (f, "DELETE", path, token, NULL, 403, "forbidden");
  refused (f, "PATCH", path, NULL, "{\"name\":\"Mine\"}", 401, "unauthorized");
  refused (f, "PATCH", "/api/v1/devices/00000000-0000-4000-8000-000000000000", f->organizer, "{\"name\":\"x\"}",
           404, "not_found");
  refused (f, "DELETE", "/api/v1/devices/nope", f->organizer, NULL, 404, "not_found");
  refused (f, "PATCH", path, f->organizer, "{\"name\":\"\"}", 422, "validation_failed");
  refused (f, "PATCH", path, f->organizer, "{\"name\":\"Door\",\"role\":\"supervisor\"}", 422, "validation_failed");

  renamed = request (f, "PATCH", path, f->organizer, "{\"name\":\"  Side door  \"}", 200);
  g_assert_cmpstr (tn_json_object_get_string (renamed, "name"), ==, "Side door");
  g_assert_true (json_object_get_null_member (renamed, "revoked_at"));

  /* Revoked: 204, then every use of the token is 401 device_revoked */
  g_assert_null (request (f, "DELETE", path, f->organizer, NULL, 204));
  refused (f, "GET", event_path, token, NULL, 401, "device_revoked");
  refused (f, "GET", sync_path, token, NULL, 401, "device_revoked");
  refused (f, "POST", "/api/v1/checkins", token, "{\"scans\":[]}", 401, "device_revoked");
  refused (f, "GET", "/api/v1/users", token, NULL, 401, "device_revoked");
  /* revoking again changes nothing */
  g_assert_null (request (f, "DELETE", path, f->organizer, NULL, 204));

  list = request (f, "GET", list_path, f->organizer, NULL, 200);
  device = json_array_get_object_element (json_object_get_array_member (list, "items"), 0);
  g_assert_cmpstr (tn_json_object_get_string (device, "name"), ==, "Side door");
  g_assert_nonnull (tn_json_object_get_string (device, "revoked_at"));

  /* the event itself is still there for people */
  event = request (f, "GET", event_path, NULL, NULL, 200);

  actions = audit_actions (f, event_id);
  g_assert_cmpstr (actions, ==, "device.revoke device.rename device.pairing event.create");
}

static void
engine_revoked_cb (TnSyncEngine *engine,
                   GPtrArray    *undelivered,
                   guint        *n_undelivered)
{
  *n_undelivered = undelivered->len;
}

static gboolean
engine_synced (gpointer data)
{
  return tn_sync_engine_get_last_sync (data) > 0 && tn_sync_engine_get_pending (data) == 0;
}

static gboolean
engine_revoked (gpointer data)
{
  return tn_sync_engine_get_revoked (data);
}

/* The event is deleted, its devices with it: their tokens are then
 * device_revoked, not unknown, so that doors wipe what they hold. */
static void
test_event_deleted (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *event_id = create_event (f, f->organizer, "");
  g_autoptr(JsonObject) ada = add_guest (f, event_id, "Ada", "ada@example.org");
  g_autoptr(JsonObject) bo = add_guest (f, event_id, "Bo", "bo@example.org");
  g_autofree char *device_id = NULL;
  g_autofree char *token = pair_device (f, f->organizer, event_id, "steward", "Door", &device_id);
  g_autofree char *other_event_id = create_event (f, f->organizer, "");
  g_autofree char *other_token = pair_device (f, f->organizer, other_event_id, "steward", "Door", NULL);
  g_autofree char *event_path = g_strdup_printf ("/api/v1/events/%s", event_id);
  g_autofree char *sync_path = g_strdup_printf ("/api/v1/sync?event_id=%s", event_id);
  g_autofree char *other_sync_path = g_strdup_printf ("/api/v1/sync?event_id=%s", other_event_id);
  g_autoptr(TnClient) client = tn_client_new (tn_test_server_get_url (f->server));
  g_autoptr(TnReplica) replica = NULL;
  g_autoptr(TnSyncEngine) engine = NULL;
  g_autoptr(TnReplicaScan) scan = NULL;
  g_autoptr(JsonObject) other_page = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  guint undelivered = G_MAXUINT;

  /* the door has synced the event */
  tn_client_set_token (client, token);
  replica = tn_replica_open (tn_test_server_get_url (f->server), device_id, &error);
  g_assert_no_error (error);
  engine = tn_sync_engine_new (replica, client, event_id);
  g_signal_connect (engine, "device-revoked", G_CALLBACK (engine_revoked_cb), &undelivered);
  tn_sync_engine_start (engine);
  g_assert_true (tn_test_wait_until (engine_synced, engine, 30000));
  g_assert_cmpuint (tn_replica_count_attendees (replica), ==, 2);
  path = g_strdup (tn_replica_get_path (replica));
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));

  g_assert_null (request (f, "DELETE", event_path, f->organizer, NULL, 204));
  refused (f, "GET", event_path, token, NULL, 401, "device_revoked");
  refused (f, "GET", sync_path, token, NULL, 401, "device_revoked");
  refused (f, "POST", "/api/v1/checkins", token, "{\"scans\":[]}", 401, "device_revoked");
  refused (f, "GET", "/api/v1/users", token, NULL, 401, "device_revoked");
  /* another event's device is not touched; a token never issued stays unknown */
  other_page = request (f, "GET", other_sync_path, other_token, NULL, 200);
  refused (f, "GET", sync_path, "tnd_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL, 401, "unauthorized");

  /* The door admits Ada offline-first; delivering the scan, the engine
   * learns the device is revoked: the scan is handed over, the replica
   * wiped. */
  scan = tn_sync_engine_scan (engine, tn_json_object_get_string (ada, "ticket_code"), TN_SCAN_IN, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (scan->verdict, ==, TN_VERDICT_ACCEPTED);
  g_assert_true (tn_test_wait_until (engine_revoked, engine, 30000));
  g_assert_cmpuint (undelivered, ==, 1);
  g_assert_cmpuint (tn_sync_engine_get_pending (engine), ==, 0);
  g_assert_true (tn_replica_is_wiped (replica));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_null (tn_sync_engine_scan (engine, tn_json_object_get_string (bo, "ticket_code"), TN_SCAN_IN, NULL,
                                      &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_DEVICE_REVOKED);
  tn_sync_engine_stop (engine);
}

int
main (int    argc,
      char **argv)
{
  tn_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/server/devices/pairing", test_pairing);
  ADD ("/server/devices/pairing-refusals", test_pairing_refusals);
  ADD ("/server/devices/pairing-rate-limit", test_pairing_rate_limit);
  ADD ("/server/devices/scope", test_device_scope);
  ADD ("/server/devices/rename-and-revoke", test_rename_and_revoke);
  ADD ("/server/devices/event-deleted", test_event_deleted);
#undef ADD

  return g_test_run ();
}
