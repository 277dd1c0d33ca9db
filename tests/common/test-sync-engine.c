/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The door's HTTP calls and its sync engine, against the real server
 * (docs/CHECKIN.md): a door paired through the API, guests imported,
 * other doors' scans posted by the organizer. Where "the server stops
 * answering" matters, turnout-server runs as a process of its own and is
 * stopped with SIGSTOP, longer than the engine's timeout, then resumed. */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <gio/gio.h>

#include "tn-client.h"
#include "tn-error.h"
#include "tn-json.h"
#include "tn-replica.h"
#include "tn-sync-engine.h"
#include "tn-test-utils.h"
#include "tn-time.h"

#define ATTENDEES     25
#define MANY          1010   /* more than one sync page (1,000 changes) */
/* Long enough for anything but a stopped server: only the offline test
 * shortens the engine's timeout, and only while the server is stopped. */
#define TIMEOUT_MS    20000
#define WAIT_MS       60000

typedef struct
{
  gboolean process;   /* turnout-server as a process of its own */
  guint    guests;
} TestData;

typedef struct
{
  TnTestServer  *server;
  TnTestProcess *process;
  gboolean       stopped;     /* SIGSTOP sent, no SIGCONT yet */
  char          *dir;
  const char    *url;
  char          *organizer;   /* the demo organizer's token */
  char          *event_id;
  GPtrArray     *codes;       /* ticket code of "Guest NNNN", by N */
  TnClient      *client;
  char          *device_id;   /* once paired */
  GAsyncResult  *result;
  TnReplica     *replica;
  TnSyncEngine  *engine;
  GPtrArray     *conflicts;
  guint          undelivered;
  gboolean       revoked;
  gint64         last_sync;
} Fixture;

static JsonObject *
call (Fixture    *f,
      const char *method,
      const char *path,
      const char *body,
      guint       expected)
{
  g_autoptr(TnTestReply) reply = tn_test_request (f->url, method, path, f->organizer, body, NULL);

  if (reply->status != expected)
    g_error ("%s %s: expected %u, got %u: %s", method, path, expected, reply->status, reply->body);
  return reply->body[0] != '\0' ? tn_test_parse_object (reply->body) : json_object_new ();
}

/* The guests, imported at once; their codes from the export. */
static void
add_guests (Fixture *f,
            guint    n)
{
  g_autoptr(GString) csv = g_string_new ("name,email\r\n");
  g_autofree char *import_path = g_strdup_printf ("/api/v1/events/%s/attendees/import", f->event_id);
  g_autofree char *export_path = g_strdup_printf ("/api/v1/events/%s/attendees.csv?limit=5000", f->event_id);
  g_autofree char *answer = NULL;
  g_autofree char *exported = NULL;
  const char *csv_type[] = { "Content-Type", "text/csv", NULL };
  g_auto(GStrv) lines = NULL;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (csv, "Guest %04u,guest%u@example.org\r\n", i, i);
  g_assert_cmpuint (tn_test_http (f->url, "POST", import_path, f->organizer, csv->str, -1, csv_type, &answer),
                    ==, 200);
  g_assert_cmpuint (tn_test_http (f->url, "GET", export_path, f->organizer, NULL, -1, NULL, &exported), ==, 200);
  lines = g_strsplit (exported, "\r\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "name,email,status,ticket_type,note,ticket_code,"));
  g_ptr_array_set_size (f->codes, n);
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], ",", -1);
      guint64 number;

      g_assert_cmpuint (g_strv_length (fields), ==, 7);
      g_assert_true (g_str_has_prefix (fields[0], "Guest "));
      g_assert_true (g_ascii_string_to_unsigned (fields[0] + strlen ("Guest "), 10, 0, n - 1, &number, NULL));
      g_assert_null (f->codes->pdata[number]);
      f->codes->pdata[number] = g_strdup (fields[5]);
    }
  for (guint i = 0; i < n; i++)
    g_assert_nonnull (f->codes->pdata[i]);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const TestData *test = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *starts = tn_time_format (tn_time_now () - 3600);
  g_autofree char *ends = tn_time_format (tn_time_now () + 4 * 3600);
  g_autofree char *body = g_strdup_printf ("{\"title\":\"Door test\",\"starts_at\":\"%s\",\"ends_at\":\"%s\"}",
                                           starts, ends);
  g_autoptr(JsonObject) event = NULL;

  f->dir = g_dir_make_tmp ("turnout-sync-engine-XXXXXX", &error);
  g_assert_no_error (error);
  if (test->process)
    {
      g_autofree char *db = g_strdup_printf ("sqlite:%s/server.db", f->dir);
      const char *args[] = { "--listen", "127.0.0.1:0", "--database", db, "--demo", NULL };
      g_autofree char *answer = NULL;
      g_autoptr(JsonObject) login = NULL;

      f->process = tn_test_process_start (args, NULL);
      f->url = f->process->url;
      g_assert_cmpuint (tn_test_http (f->url, "POST", "/api/v1/auth/login", NULL,
                                      "{\"email\":\"" TN_DEMO_ORGANIZER_EMAIL "\","
                                      "\"password\":\"" TN_DEMO_PASSWORD "\"}",
                                      -1, NULL, &answer), ==, 200);
      login = tn_test_parse_object (answer);
      f->organizer = g_strdup (tn_json_object_get_string (login, "token"));
    }
  else
    {
      f->server = tn_test_server_new (TRUE);
      f->url = tn_test_server_get_url (f->server);
      f->organizer = tn_test_server_token_for (f->server, TN_DEMO_ORGANIZER_EMAIL);
    }
  event = call (f, "POST", "/api/v1/events", body, 201);
  f->event_id = g_strdup (tn_json_object_get_string (event, "id"));
  f->codes = g_ptr_array_new_with_free_func (g_free);
  add_guests (f, test->guests);
  f->client = tn_client_new (f->url);
}

static gboolean
is_null (gpointer user_data)
{
  return *(gpointer *) user_data == NULL;
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->engine != NULL)
    {
      gpointer engine = f->engine;

      /* nothing of the engine outlives it: requests and timers end */
      tn_sync_engine_stop (f->engine);
      g_object_add_weak_pointer (engine, &engine);
      g_clear_object (&f->engine);
      g_assert_true (tn_test_wait_until (is_null, &engine, WAIT_MS));
    }
  g_clear_object (&f->replica);
  g_clear_pointer (&f->conflicts, g_ptr_array_unref);
  g_clear_object (&f->result);
  g_clear_object (&f->client);
  g_clear_pointer (&f->codes, g_ptr_array_unref);
  g_free (f->device_id);
  g_free (f->event_id);
  g_free (f->organizer);
  if (f->stopped)
    tn_test_signal_now (f->process->process, SIGCONT);
  g_clear_pointer (&f->process, tn_test_process_free);
  g_clear_pointer (&f->server, tn_test_server_free);
  tn_test_remove_tree (f->dir);
  g_free (f->dir);
}

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Fixture *f = user_data;

  g_set_object (&f->result, result);
}

static gboolean
has_result (gpointer user_data)
{
  Fixture *f = user_data;

  return f->result != NULL;
}

static GAsyncResult *
wait_result (Fixture *f)
{
  g_assert_true (tn_test_wait_until (has_result, f, WAIT_MS));
  return f->result;
}

/* A pairing code, asked for by the organizer. */
static char *
pairing_code (Fixture *f)
{
  g_autofree char *body = g_strdup_printf ("{\"event_id\":\"%s\",\"role\":\"steward\",\"name\":\"door\"}",
                                           f->event_id);
  g_autoptr(JsonObject) pairing = call (f, "POST", "/api/v1/devices/pairing", body, 201);

  return g_strdup (tn_json_object_get_string (pairing, "code"));
}

static JsonObject *
pair (Fixture    *f,
      const char *code,
      const char *name,
      GError    **error)
{
  JsonObject *device;

  g_clear_object (&f->result);
  tn_client_pair_device_async (f->client, code, name, NULL, store_result_cb, f);
  device = tn_client_pair_device_finish (f->client, wait_result (f), error);
  if (device != NULL)
    {
      g_free (f->device_id);
      f->device_id = g_strdup (tn_json_object_get_string (device, "id"));
    }
  return device;
}

/* Pairs the fixture's client: it then holds a device token. */
static void
pair_door (Fixture *f)
{
  g_autofree char *code = pairing_code (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) device = pair (f, code, "North door", &error);

  g_assert_no_error (error);
  g_assert_nonnull (device);
}

static void
revoke_door (Fixture *f)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/devices/%s", f->device_id);
  g_autoptr(JsonObject) nothing = call (f, "DELETE", path, NULL, 204);
}

/* A scan as the organizer's own door posts it: in, @seconds_ago. */
static JsonObject *
scan_json (Fixture    *f,
           const char *id,
           const char *code,
           gint64      seconds_ago,
           const char *device)
{
  JsonObject *scan = json_object_new ();
  g_autofree char *scanned_at = tn_time_format (tn_time_now () - seconds_ago);

  json_object_set_string_member (scan, "id", id);
  json_object_set_string_member (scan, "event_id", f->event_id);
  json_object_set_string_member (scan, "code", code);
  json_object_set_string_member (scan, "direction", "in");
  json_object_set_string_member (scan, "scanned_at", scanned_at);
  json_object_set_string_member (scan, "device", device);
  json_object_set_string_member (scan, "local_verdict", "accepted");
  return scan;
}

/* Another door, offline until now, admitted @code @seconds_ago: its scan
 * arrives, posted with the organizer's token. */
static void
other_door_admits (Fixture    *f,
                   const char *code,
                   gint64      seconds_ago)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonArray) scans = json_array_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;
  g_autoptr(JsonObject) answer = NULL;
  JsonObject *result;

  json_array_add_object_element (scans, scan_json (f, id, code, seconds_ago, "South door"));
  json_object_set_array_member (body, "scans", g_steal_pointer (&scans));
  json_node_set_object (node, body);
  text = tn_json_to_string (node);
  answer = call (f, "POST", "/api/v1/checkins", text, 200);
  result = json_array_get_object_element (json_object_get_array_member (answer, "results"), 0);
  g_assert_cmpstr (tn_json_object_get_string (result, "verdict"), ==, "accepted");
}

/* The event's sync data as the organizer reads it, in one page. */
static JsonObject *
server_sync (Fixture *f)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/sync?event_id=%s&limit=5000", f->event_id);
  JsonObject *page = call (f, "GET", path, NULL, 200);

  g_assert_false (json_object_get_boolean_member (page, "more"));
  return page;
}

/* The scans the server holds for the event: scan id → verdict. */
static GHashTable *
server_scans (Fixture *f)
{
  g_autoptr(JsonObject) page = server_sync (f);
  JsonArray *changes = json_object_get_array_member (page, "changes");
  GHashTable *scans = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      JsonObject *checkin;

      if (g_strcmp0 (tn_json_object_get_string (change, "type"), "checkin") != 0)
        continue;
      checkin = json_object_get_object_member (change, "checkin");
      /* a scan appears once */
      g_assert_false (g_hash_table_contains (scans, tn_json_object_get_string (checkin, "id")));
      g_hash_table_insert (scans, g_strdup (tn_json_object_get_string (checkin, "id")),
                           g_strdup (tn_json_object_get_string (checkin, "verdict")));
    }
  return scans;
}

/* --- the client's calls -------------------------------------------------- */

static void
test_client_pair (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) device = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autofree char *code = pairing_code (f);
  const char *token;

  /* a signed-in user's token is not sent along, nor replaced on failure */
  tn_client_set_token (f->client, f->organizer);
  g_assert_null (pair (f, "0000-0000-0000", "North door", &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_UNAUTHORIZED);
  g_assert_cmpstr (tn_client_get_token (f->client), ==, f->organizer);
  g_clear_error (&error);

  device = pair (f, code, "North door", &error);
  g_assert_no_error (error);
  g_assert_nonnull (device);
  g_assert_true (g_uuid_string_is_valid (tn_json_object_get_string (device, "id")));
  g_assert_cmpstr (tn_json_object_get_string (device, "event_id"), ==, f->event_id);
  g_assert_cmpstr (tn_json_object_get_string (device, "name"), ==, "North door");
  g_assert_cmpstr (tn_json_object_get_string (device, "role"), ==, "steward");
  token = tn_client_get_token (f->client);
  g_assert_true (g_str_has_prefix (token, "tnd_"));
  g_assert_cmpuint (strlen (token), ==, strlen ("tnd_") + 43);

  /* a code is good for one device */
  g_assert_null (pair (f, code, "South door", &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_UNAUTHORIZED);
}

static void
test_client_checkins_and_sync (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) scans = json_array_new ();
  g_autoptr(JsonArray) results = NULL;
  g_autoptr(JsonObject) page = NULL;
  g_autoptr(JsonObject) last = NULL;
  g_autoptr(GHashTable) stored = NULL;
  g_autofree char *scan_1 = g_uuid_string_random ();
  g_autofree char *scan_2 = g_uuid_string_random ();
  g_autofree char *cursor = NULL;
  JsonArray *changes;
  JsonObject *result;

  pair_door (f);
  /* guest 1 is inside already: another door let them in */
  other_door_admits (f, g_ptr_array_index (f->codes, 1), 60);
  json_array_add_object_element (scans, scan_json (f, scan_1, g_ptr_array_index (f->codes, 0), 0, f->device_id));
  json_array_add_object_element (scans, scan_json (f, scan_2, g_ptr_array_index (f->codes, 1), 0, f->device_id));
  g_clear_object (&f->result);
  tn_client_post_checkins_async (f->client, scans, NULL, store_result_cb, f);
  results = tn_client_post_checkins_finish (f->client, wait_result (f), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (results), ==, 2);
  result = json_array_get_object_element (results, 0);
  g_assert_cmpstr (tn_json_object_get_string (result, "id"), ==, scan_1);
  g_assert_cmpstr (tn_json_object_get_string (result, "verdict"), ==, "accepted");
  g_assert_false (json_object_get_boolean_member (result, "flagged"));
  result = json_array_get_object_element (results, 1);
  g_assert_cmpstr (tn_json_object_get_string (result, "id"), ==, scan_2);
  g_assert_cmpstr (tn_json_object_get_string (result, "verdict"), ==, "duplicate");
  g_assert_true (json_object_get_boolean_member (result, "flagged"));

  /* posted again: the same answer, nothing stored twice */
  g_clear_pointer (&results, json_array_unref);
  g_clear_object (&f->result);
  tn_client_post_checkins_async (f->client, scans, NULL, store_result_cb, f);
  results = tn_client_post_checkins_finish (f->client, wait_result (f), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tn_json_object_get_string (json_array_get_object_element (results, 0), "verdict"), ==, "accepted");
  g_assert_cmpstr (tn_json_object_get_string (json_array_get_object_element (results, 1), "verdict"), ==, "duplicate");
  stored = server_scans (f);
  g_assert_cmpuint (g_hash_table_size (stored), ==, 3);
  g_assert_cmpstr (g_hash_table_lookup (stored, scan_1), ==, "accepted");
  g_assert_cmpstr (g_hash_table_lookup (stored, scan_2), ==, "duplicate");

  /* the sync data in pages: every attendee and every scan once */
  g_clear_object (&f->result);
  tn_client_sync_async (f->client, f->event_id, NULL, 10, NULL, store_result_cb, f);
  page = tn_client_sync_finish (f->client, wait_result (f), &error);
  g_assert_no_error (error);
  changes = json_object_get_array_member (page, "changes");
  g_assert_cmpuint (json_array_get_length (changes), ==, 10);
  g_assert_true (json_object_get_boolean_member (page, "more"));
  cursor = g_strdup_printf ("%" G_GINT64_FORMAT,
                            json_object_get_int_member (json_array_get_object_element (changes, 9), "seq"));
  g_assert_cmpstr (tn_json_object_get_string (page, "cursor"), ==, cursor);
  g_assert_nonnull (tn_json_object_get_string (json_object_get_object_member (page, "event"), "public_key"));

  g_clear_object (&f->result);
  tn_client_sync_async (f->client, f->event_id, cursor, 0, NULL, store_result_cb, f);
  last = tn_client_sync_finish (f->client, wait_result (f), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (last, "changes")), ==, ATTENDEES + 3 - 10);
  g_assert_false (json_object_get_boolean_member (last, "more"));
}

static void
test_client_revoked (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) scans = json_array_new ();
  g_autofree char *scan_id = g_uuid_string_random ();

  pair_door (f);
  revoke_door (f);
  g_clear_object (&f->result);
  tn_client_sync_async (f->client, f->event_id, NULL, 0, NULL, store_result_cb, f);
  g_assert_null (tn_client_sync_finish (f->client, wait_result (f), &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_DEVICE_REVOKED);
  g_clear_error (&error);

  json_array_add_object_element (scans, scan_json (f, scan_id, g_ptr_array_index (f->codes, 0), 0, f->device_id));
  g_clear_object (&f->result);
  tn_client_post_checkins_async (f->client, scans, NULL, store_result_cb, f);
  g_assert_null (tn_client_post_checkins_finish (f->client, wait_result (f), &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_DEVICE_REVOKED);

  /* a plain 401 stays unauthorized */
  g_clear_error (&error);
  tn_client_set_token (f->client, "tnd_wrong");
  g_clear_object (&f->result);
  tn_client_sync_async (f->client, f->event_id, NULL, 0, NULL, store_result_cb, f);
  g_assert_null (tn_client_sync_finish (f->client, wait_result (f), &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_UNAUTHORIZED);
}

/* --- the engine ---------------------------------------------------------- */

static void
conflict_cb (TnSyncEngine  *engine,
             TnReplicaScan *scan,
             Fixture       *f)
{
  g_ptr_array_add (f->conflicts, tn_replica_scan_copy (scan));
}

static void
device_revoked_cb (TnSyncEngine *engine,
                   GPtrArray    *undelivered,
                   Fixture      *f)
{
  f->revoked = TRUE;
  f->undelivered = undelivered->len;
}

/* An engine for the replica, as a door app that was (re)started: a probe
 * every 100 ms, retries after 20 to 200 ms. */
static void
new_engine (Fixture *f)
{
  g_clear_object (&f->engine);
  f->engine = tn_sync_engine_new (f->replica, f->client, f->event_id);
  g_assert_cmpuint (tn_sync_engine_get_timeout (f->engine), ==, 3000);
  g_object_set (f->engine, "timeout", TIMEOUT_MS, "probe-interval", 100, NULL);
  g_signal_connect (f->engine, "conflict", G_CALLBACK (conflict_cb), f);
  g_signal_connect (f->engine, "device-revoked", G_CALLBACK (device_revoked_cb), f);
  g_assert_false (tn_sync_engine_get_online (f->engine));
  g_assert_cmpint (tn_sync_engine_get_last_sync (f->engine), ==, 0);
  tn_sync_engine_start (f->engine);
}

/* A paired door with its replica and a running engine. */
static void
start_engine (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  pair_door (f);
  f->replica = tn_replica_open (f->url, f->device_id, &error);
  g_assert_no_error (error);
  tn_replica_set_backoff (f->replica, 20 * 1000, 200 * 1000);
  f->conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) tn_replica_scan_free);
  new_engine (f);
}

static gboolean
synced (gpointer user_data)
{
  Fixture *f = user_data;

  return tn_sync_engine_get_last_sync (f->engine) > 0 && tn_sync_engine_get_pending (f->engine) == 0;
}

static gboolean
offline (gpointer user_data)
{
  Fixture *f = user_data;

  return !tn_sync_engine_get_online (f->engine);
}

static gboolean
online_and_delivered (gpointer user_data)
{
  Fixture *f = user_data;

  return tn_sync_engine_get_online (f->engine) && tn_sync_engine_get_pending (f->engine) == 0;
}

/* a probe-interval cycle ran to its end since f->last_sync */
static gboolean
synced_again (gpointer user_data)
{
  Fixture *f = user_data;

  return tn_sync_engine_get_last_sync (f->engine) > f->last_sync;
}

static gboolean
has_conflict (gpointer user_data)
{
  Fixture *f = user_data;

  return f->conflicts->len > 0;
}

static gboolean
was_revoked (gpointer user_data)
{
  Fixture *f = user_data;

  return f->revoked;
}

static TnReplicaScan *
engine_scan (Fixture         *f,
             guint            attendee,
             TnScanDirection  direction)
{
  g_autoptr(GError) error = NULL;
  TnReplicaScan *scan = tn_sync_engine_scan (f->engine, g_ptr_array_index (f->codes, attendee),
                                             direction, f->device_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (scan);
  return scan;
}

static void
test_engine_sync (Fixture       *f,
                  gconstpointer  data)
{
  const TestData *test = data;
  g_autoptr(TnReplicaScan) scan = NULL;
  g_autoptr(TnReplicaScan) stored = NULL;
  g_autoptr(GHashTable) on_server = NULL;
  g_autoptr(JsonObject) server = server_sync (f);
  g_autofree char *cursor = NULL;
  g_autoptr(JsonObject) event = NULL;
  gint64 first_sync;

  /* more attendees than one page holds: the engine asks while `more` */
  g_assert_cmpuint (test->guests, >, 1000);
  start_engine (f);
  g_assert_true (tn_test_wait_until (synced, f, WAIT_MS));
  g_assert_true (tn_sync_engine_get_online (f->engine));
  g_assert_cmpuint (tn_replica_count_attendees (f->replica), ==, test->guests);
  cursor = tn_replica_dup_cursor (f->replica);
  g_assert_cmpstr (cursor, ==, tn_json_object_get_string (server, "cursor"));
  event = tn_replica_dup_event (f->replica);
  g_assert_cmpstr (tn_json_object_get_string (event, "public_key"), ==,
                   tn_json_object_get_string (json_object_get_object_member (server, "event"), "public_key"));

  scan = engine_scan (f, 0, TN_SCAN_IN);
  g_assert_cmpint (scan->verdict, ==, TN_VERDICT_ACCEPTED);
  g_assert_cmpstr (scan->name, ==, "Guest 0000");
  first_sync = tn_sync_engine_get_last_sync (f->engine);
  g_assert_true (tn_test_wait_until (online_and_delivered, f, WAIT_MS));
  on_server = server_scans (f);
  g_assert_cmpuint (g_hash_table_size (on_server), ==, 1);
  g_assert_cmpstr (g_hash_table_lookup (on_server, scan->id), ==, "accepted");

  stored = tn_replica_get_scan (f->replica, scan->id);
  g_assert_true (stored->has_server_verdict);
  g_assert_cmpint (stored->server_verdict, ==, TN_VERDICT_ACCEPTED);
  g_assert_cmpint (tn_sync_engine_get_last_sync (f->engine), >=, first_sync);
  g_assert_cmpuint (f->conflicts->len, ==, 0);
}

static void
test_engine_offline (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(TnReplicaScan) a = NULL;
  g_autoptr(TnReplicaScan) b = NULL;
  g_autoptr(TnReplicaScan) a_again = NULL;
  g_autoptr(TnReplicaScan) stored = NULL;
  g_autoptr(GHashTable) on_server = NULL;

  start_engine (f);
  g_assert_true (tn_test_wait_until (synced, f, WAIT_MS));

  /* The server stops answering: its process is stopped, its socket still
   * takes connections. Verdicts go on; the engine gives up on a request
   * after its timeout, and notices. */
  tn_sync_engine_set_timeout (f->engine, 250);
  tn_test_signal_now (f->process->process, SIGSTOP);
  f->stopped = TRUE;
  a = engine_scan (f, 1, TN_SCAN_IN);
  g_assert_cmpint (a->verdict, ==, TN_VERDICT_ACCEPTED);
  g_assert_true (tn_test_wait_until (offline, f, WAIT_MS));
  b = engine_scan (f, 2, TN_SCAN_IN);
  g_assert_cmpint (b->verdict, ==, TN_VERDICT_ACCEPTED);
  a_again = engine_scan (f, 1, TN_SCAN_IN);
  g_assert_cmpint (a_again->verdict, ==, TN_VERDICT_DUPLICATE);
  g_assert_cmpuint (tn_sync_engine_get_pending (f->engine), ==, 3);

  /* It answers again: the probe finds it and the outbox goes. The
   * requests given up on may still be read by the server now; scan ids
   * make them harmless, so each scan is there once. */
  tn_test_signal_now (f->process->process, SIGCONT);
  f->stopped = FALSE;
  tn_sync_engine_set_timeout (f->engine, TIMEOUT_MS);
  g_assert_true (tn_test_wait_until (online_and_delivered, f, WAIT_MS));
  on_server = server_scans (f);
  g_assert_cmpuint (g_hash_table_size (on_server), ==, 3);
  g_assert_cmpstr (g_hash_table_lookup (on_server, a->id), ==, "accepted");
  g_assert_cmpstr (g_hash_table_lookup (on_server, b->id), ==, "accepted");
  g_assert_cmpstr (g_hash_table_lookup (on_server, a_again->id), ==, "duplicate");
  stored = tn_replica_get_scan (f->replica, b->id);
  g_assert_true (stored->has_server_verdict);
}

static void
test_engine_conflict (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(TnReplicaScan) scan = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  TnReplicaScan *conflict;

  start_engine (f);
  g_assert_true (tn_test_wait_until (synced, f, WAIT_MS));

  /* Offline (the door app closed), the door admits guest 3… */
  tn_sync_engine_stop (f->engine);
  scan = engine_scan (f, 3, TN_SCAN_IN);
  g_assert_cmpint (scan->verdict, ==, TN_VERDICT_ACCEPTED);
  /* …whom another door, offline too, had let in a minute earlier. */
  other_door_admits (f, g_ptr_array_index (f->codes, 3), 60);

  /* Back: the server answers duplicate, a conflict */
  new_engine (f);
  g_assert_true (tn_test_wait_until (has_conflict, f, WAIT_MS));
  conflict = g_ptr_array_index (f->conflicts, 0);
  g_assert_cmpstr (conflict->id, ==, scan->id);
  g_assert_cmpint (conflict->verdict, ==, TN_VERDICT_ACCEPTED);
  g_assert_cmpint (conflict->server_verdict, ==, TN_VERDICT_DUPLICATE);
  g_assert_true (conflict->flagged);

  /* the sync that brings the same verdict back is no new conflict */
  g_assert_true (tn_test_wait_until (online_and_delivered, f, WAIT_MS));
  f->last_sync = tn_sync_engine_get_last_sync (f->engine);
  g_assert_true (tn_test_wait_until (synced_again, f, WAIT_MS));
  g_assert_cmpuint (f->conflicts->len, ==, 1);
  conflicts = tn_replica_get_conflicts (f->replica);
  g_assert_cmpuint (conflicts->len, ==, 1);
}

static void
test_engine_revoked (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(TnReplicaScan) scan = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  start_engine (f);
  g_assert_true (tn_test_wait_until (synced, f, WAIT_MS));
  path = g_strdup (tn_replica_get_path (f->replica));
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));

  /* revoked; the engine learns it when it delivers this scan */
  revoke_door (f);
  scan = engine_scan (f, 4, TN_SCAN_IN);
  g_assert_true (tn_test_wait_until (was_revoked, f, WAIT_MS));
  g_assert_cmpuint (f->undelivered, ==, 1);
  g_assert_true (tn_sync_engine_get_revoked (f->engine));
  g_assert_false (tn_sync_engine_get_online (f->engine));
  g_assert_cmpuint (tn_sync_engine_get_pending (f->engine), ==, 0);
  g_assert_true (tn_replica_is_wiped (f->replica));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_null (tn_sync_engine_scan (f->engine, g_ptr_array_index (f->codes, 5), TN_SCAN_IN, NULL, &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_DEVICE_REVOKED);
}

static const TestData in_thread = { FALSE, ATTENDEES };
static const TestData many = { FALSE, MANY };
static const TestData as_process = { TRUE, ATTENDEES };

/* A scan the server will never take (here a code longer than any it
 * accepts) leaves the outbox with the server's reason, among the
 * conflicts, and does not hold up the good scans of its batch. */
static void
test_engine_refused_scan (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) on_server = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autofree char *long_code = g_strnfill (400, 'X');
  g_autoptr(TnReplicaScan) first = NULL;
  g_autoptr(TnReplicaScan) bad = NULL;
  g_autoptr(TnReplicaScan) last = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  TnReplicaScan *conflict;

  pair_door (f);
  f->replica = tn_replica_open (f->url, f->device_id, &error);
  g_assert_no_error (error);
  tn_replica_set_backoff (f->replica, 20 * 1000, 200 * 1000);
  f->conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) tn_replica_scan_free);

  /* recorded before the engine starts: one batch of three */
  first = tn_replica_record_scan (f->replica, g_ptr_array_index (f->codes, 0), TN_SCAN_IN, now, "Door", &error);
  g_assert_no_error (error);
  bad = tn_replica_record_scan (f->replica, long_code, TN_SCAN_IN, now, "Door", &error);
  g_assert_no_error (error);
  last = tn_replica_record_scan (f->replica, g_ptr_array_index (f->codes, 1), TN_SCAN_IN, now, "Door", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tn_replica_outbox_size (f->replica), ==, 3);

  new_engine (f);
  g_assert_true (tn_test_wait_until (synced, f, WAIT_MS));
  g_assert_cmpuint (tn_replica_outbox_size (f->replica), ==, 0);

  on_server = server_scans (f);
  g_assert_cmpuint (g_hash_table_size (on_server), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (on_server, first->id), ==, "accepted");
  g_assert_cmpstr (g_hash_table_lookup (on_server, last->id), ==, "accepted");
  g_assert_false (g_hash_table_contains (on_server, bad->id));

  /* Before the first sync the door knew no ticket (unknown, and the
   * server let both in: two conflicts of their own); the refused scan is
   * the third, with the server's reason. */
  conflicts = tn_replica_get_conflicts (f->replica);
  g_assert_cmpuint (conflicts->len, ==, 3);
  for (guint i = 0; i < conflicts->len; i++)
    {
      conflict = g_ptr_array_index (conflicts, i);
      if (g_strcmp0 (conflict->id, bad->id) == 0)
        g_assert_nonnull (conflict->rejected);
      else
        g_assert_null (conflict->rejected);
    }
  g_assert_cmpint (tn_replica_count_own_admitted (f->replica), ==, 2);
}

int
main (int    argc,
      char **argv)
{
  tn_test_init (&argc, &argv);

#define ADD(path, data, func) g_test_add (path, Fixture, &data, fixture_setup, func, fixture_teardown)
  ADD ("/common/sync-engine/client-pair", in_thread, test_client_pair);
  ADD ("/common/sync-engine/client-checkins-and-sync", in_thread, test_client_checkins_and_sync);
  ADD ("/common/sync-engine/client-revoked", in_thread, test_client_revoked);
  ADD ("/common/sync-engine/engine-sync", many, test_engine_sync);
  ADD ("/common/sync-engine/engine-offline", as_process, test_engine_offline);
  ADD ("/common/sync-engine/engine-conflict", in_thread, test_engine_conflict);
  ADD ("/common/sync-engine/engine-revoked", in_thread, test_engine_revoked);
  ADD ("/common/sync-engine/engine-refused-scan", in_thread, test_engine_refused_scan);
#undef ADD

  return g_test_run ();
}
