/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Doors against a real server: paired devices, each with its replica and
 * sync engine (issue 4, part 7 a, d, e). The network is never on the
 * path of a verdict: scans are judged by the replica, then pushed. */
#include "config.h"

#include <string.h>

#include "tn-error.h"
#include "tn-json.h"
#include "tn-live-client.h"
#include "tn-sync-engine.h"
#include "tn-test-utils.h"
#include "tn-time.h"

#define WAIT_MS 15000

typedef struct
{
  TnTestServer *server;
  const char   *url;
  char         *organizer;
  char         *dir;
  char         *event_id;
  GAsyncResult *result;
} Fixture;

typedef struct
{
  TnClient     *client;
  TnReplica    *replica;
  TnSyncEngine *engine;
} Door;

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

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *starts = tn_time_format (tn_time_now () - 3600);
  g_autofree char *ends = tn_time_format (tn_time_now () + 4 * 3600);
  g_autofree char *body = g_strdup_printf ("{\"title\":\"Door night\",\"starts_at\":\"%s\",\"ends_at\":\"%s\","
                                           "\"capacity\":100}", starts, ends);
  g_autoptr(JsonObject) event = NULL;

  f->server = tn_test_server_new (TRUE);
  f->url = tn_test_server_get_url (f->server);
  f->organizer = tn_test_server_token_for (f->server, TN_DEMO_ORGANIZER_EMAIL);
  f->dir = g_dir_make_tmp ("turnout-doors-XXXXXX", &error);
  g_assert_no_error (error);
  event = call (f, "POST", "/api/v1/events", body, 201);
  f->event_id = g_strdup (tn_json_object_get_string (event, "id"));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->result);
  tn_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->event_id);
  g_free (f->organizer);
  tn_test_server_free (f->server);
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Fixture *f = user_data;

  f->result = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return ((Fixture *) data)->result != NULL;
}

/* A guest who is going; returns the attendee (with both ticket forms). */
static JsonObject *
add_guest (Fixture    *f,
           const char *name)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/attendees", f->event_id);
  g_autofree char *email = g_strdup_printf ("%s@example.org", name);
  g_autofree char *body = g_strdup_printf ("{\"name\":\"%s\",\"email\":\"%s\"}", name, email);
  JsonObject *guest = call (f, "POST", path, body, 201);

  g_assert_nonnull (tn_json_object_get_string (guest, "ticket_code"));
  g_assert_nonnull (tn_json_object_get_string (guest, "signed_ticket"));
  return guest;
}

/* Pairs a door as the organizer would (a pairing code, then the device
 * exchanges it), opens its replica and engine. */
static Door *
pair_door (Fixture    *f,
           const char *name)
{
  g_autofree char *body = g_strdup_printf ("{\"event_id\":\"%s\",\"role\":\"supervisor\",\"name\":\"%s\"}",
                                           f->event_id, name);
  g_autoptr(JsonObject) pairing = call (f, "POST", "/api/v1/devices/pairing", body, 201);
  g_autoptr(JsonObject) device = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("%s/%s.db", f->dir, name);
  Door *door = g_new0 (Door, 1);

  door->client = tn_client_new (f->url);
  g_clear_object (&f->result);
  tn_client_pair_device_async (door->client, tn_json_object_get_string (pairing, "code"), name, NULL, result_cb, f);
  g_assert_true (tn_test_wait_until (has_result, f, WAIT_MS));
  device = tn_client_pair_device_finish (door->client, f->result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tn_json_object_get_string (device, "event_id"), ==, f->event_id);
  g_assert_nonnull (tn_client_get_token (door->client));

  door->replica = tn_replica_open_path (path, &error);
  g_assert_no_error (error);
  door->engine = tn_sync_engine_new (door->replica, door->client, f->event_id);
  /* Nothing here waits for a timeout: a long one spares slow builds. */
  tn_sync_engine_set_timeout (door->engine, 20000);
  return door;
}

/* Back online: a stopped engine stays stopped, as a door app that was
 * closed; a new one takes over the replica and its outbox. */
static void
reconnect (Door    *door,
           Fixture *f)
{
  tn_sync_engine_stop (door->engine);
  g_object_unref (door->engine);
  door->engine = tn_sync_engine_new (door->replica, door->client, f->event_id);
  tn_sync_engine_set_timeout (door->engine, 20000);
}

static void
door_free (Door *door)
{
  tn_sync_engine_stop (door->engine);
  g_object_unref (door->engine);
  g_object_unref (door->replica);
  g_object_unref (door->client);
  g_free (door);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Door, door_free)

typedef struct
{
  Door   *door;
  gint64  after;
} SyncWait;

static gboolean
synced_after (gpointer data)
{
  SyncWait *w = data;

  return tn_sync_engine_get_last_sync (w->door->engine) > w->after &&
         tn_sync_engine_get_pending (w->door->engine) == 0;
}

/* One full round: push what waits, pull what is new. */
static void
sync_door (Door *door)
{
  SyncWait w = { door, tn_sync_engine_get_last_sync (door->engine) };

  tn_sync_engine_sync_now (door->engine);
  if (!tn_test_wait_until (synced_after, &w, WAIT_MS))
    g_error ("the door did not sync (pending %u, online %d)", tn_sync_engine_get_pending (door->engine),
             tn_sync_engine_get_online (door->engine));
}

static TnVerdict
scan (Door       *door,
      const char *code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnReplicaScan) result = tn_sync_engine_scan (door->engine, code, TN_SCAN_IN, NULL, &error);

  g_assert_no_error (error);
  return result->verdict;
}

/* 7a: two doors, both offline, admit the same ticket. After both sync,
 * the server keeps one admission and reports the other as a duplicate,
 * and each door knows of the conflict. */
static void
test_two_doors_offline (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(JsonObject) ada = add_guest (f, "ada");
  g_autoptr(Door) north = pair_door (f, "north");
  g_autoptr(Door) south = pair_door (f, "south");
  const char *code = tn_json_object_get_string (ada, "ticket_code");
  g_autofree char *sync_path = g_strdup_printf ("/api/v1/sync?event_id=%s", f->event_id);
  g_autoptr(JsonObject) page = NULL;
  g_autoptr(GPtrArray) north_conflicts = NULL;
  g_autoptr(GPtrArray) south_conflicts = NULL;
  JsonArray *changes;
  guint accepted = 0, duplicate = 0, flagged = 0;

  sync_door (north);
  sync_door (south);
  g_assert_cmpuint (tn_replica_count_attendees (north->replica), ==, 1);

  /* Offline: nothing is pushed while the engines are stopped. */
  tn_sync_engine_stop (north->engine);
  tn_sync_engine_stop (south->engine);
  g_assert_cmpint (scan (north, code), ==, TN_VERDICT_ACCEPTED);
  g_assert_cmpint (scan (south, code), ==, TN_VERDICT_ACCEPTED);
  g_assert_cmpuint (tn_sync_engine_get_pending (north->engine), ==, 1);
  g_assert_cmpuint (tn_sync_engine_get_pending (south->engine), ==, 1);

  reconnect (north, f);
  reconnect (south, f);
  sync_door (north);
  sync_door (south);
  sync_door (north);

  page = call (f, "GET", sync_path, NULL, 200);
  changes = json_object_get_array_member (page, "changes");
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      JsonObject *checkin;

      if (g_strcmp0 (tn_json_object_get_string (change, "type"), "checkin") != 0)
        continue;
      checkin = json_object_get_object_member (change, "checkin");
      if (g_str_equal (tn_json_object_get_string (checkin, "verdict"), "accepted"))
        accepted++;
      else if (g_str_equal (tn_json_object_get_string (checkin, "verdict"), "duplicate"))
        duplicate++;
      if (json_object_has_member (checkin, "flagged") && json_object_get_boolean_member (checkin, "flagged"))
        flagged++;
    }
  g_assert_cmpuint (accepted, ==, 1);
  g_assert_cmpuint (duplicate, ==, 1);
  g_assert_cmpuint (flagged, ==, 1);

  north_conflicts = tn_replica_get_conflicts (north->replica);
  south_conflicts = tn_replica_get_conflicts (south->replica);
  g_assert_cmpuint (north_conflicts->len + south_conflicts->len, >=, 1);
  g_assert_cmpuint (north_conflicts->len, >=, 1);
  g_assert_cmpuint (south_conflicts->len, >=, 1);
}

/* 7d: a ticket issued after the door's last sync is admitted offline by
 * its signature; a revoked code is refused after the next sync, in both
 * forms; a forged or altered code is refused. */
static void
test_signed_tickets (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonObject) bo = add_guest (f, "bo");
  g_autoptr(Door) door = pair_door (f, "west");
  g_autoptr(JsonObject) late = NULL;
  g_autoptr(JsonObject) revoked = NULL;
  g_autofree char *altered = NULL;
  g_autofree char *revoke_path = NULL;
  g_autoptr(TnReplicaScan) judged = NULL;

  sync_door (door);
  tn_sync_engine_stop (door->engine);

  /* Issued after the sync: the replica has never heard of Cy. */
  late = add_guest (f, "cy");
  judged = tn_replica_judge (door->replica, tn_json_object_get_string (late, "signed_ticket"), TN_SCAN_IN,
                             tn_time_now ());
  g_assert_cmpint (judged->verdict, ==, TN_VERDICT_ACCEPTED);
  /* …but the short code alone cannot be checked offline. */
  g_clear_pointer (&judged, tn_replica_scan_free);
  judged = tn_replica_judge (door->replica, tn_json_object_get_string (late, "ticket_code"), TN_SCAN_IN,
                             tn_time_now ());
  g_assert_cmpint (judged->verdict, ==, TN_VERDICT_UNKNOWN);

  /* One changed character: refused. */
  altered = g_strdup (tn_json_object_get_string (late, "signed_ticket"));
  altered[40] = altered[40] == 'A' ? 'B' : 'A';
  g_clear_pointer (&judged, tn_replica_scan_free);
  judged = tn_replica_judge (door->replica, altered, TN_SCAN_IN, tn_time_now ());
  g_assert_cmpint (judged->verdict, ==, TN_VERDICT_UNKNOWN);

  /* Revoked on the server: refused after the next sync, both forms. */
  revoke_path = g_strdup_printf ("/api/v1/events/%s/attendees/%s/ticket", f->event_id,
                                 tn_json_object_get_string (bo, "id"));
  revoked = call (f, "DELETE", revoke_path, NULL, 200);
  reconnect (door, f);
  sync_door (door);
  g_clear_pointer (&judged, tn_replica_scan_free);
  judged = tn_replica_judge (door->replica, tn_json_object_get_string (bo, "ticket_code"), TN_SCAN_IN,
                             tn_time_now ());
  g_assert_cmpint (judged->verdict, ==, TN_VERDICT_REVOKED);
  g_clear_pointer (&judged, tn_replica_scan_free);
  judged = tn_replica_judge (door->replica, tn_json_object_get_string (bo, "signed_ticket"), TN_SCAN_IN,
                             tn_time_now ());
  g_assert_cmpint (judged->verdict, ==, TN_VERDICT_REVOKED);
  /* and Cy, now synced, is known by name */
  g_clear_pointer (&judged, tn_replica_scan_free);
  judged = tn_replica_judge (door->replica, tn_json_object_get_string (late, "ticket_code"), TN_SCAN_IN,
                             tn_time_now ());
  g_assert_cmpint (judged->verdict, ==, TN_VERDICT_ACCEPTED);
  g_assert_cmpstr (judged->name, ==, "cy");
}

typedef struct
{
  guint       deltas;
  JsonObject *stats;
  gboolean    saw_checkin;
} LiveSeen;

static void
live_delta_cb (TnLiveClient *live,
               JsonArray    *changes,
               JsonObject   *stats,
               LiveSeen     *seen)
{
  seen->deltas++;
  for (guint i = 0; i < json_array_get_length (changes); i++)
    if (g_strcmp0 (tn_json_object_get_string (json_array_get_object_element (changes, i), "type"), "checkin") == 0)
      seen->saw_checkin = TRUE;
  g_clear_pointer (&seen->stats, json_object_unref);
  seen->stats = json_object_ref (stats);
}

static gboolean
saw_checkin (gpointer data)
{
  return ((LiveSeen *) data)->saw_checkin;
}

/* 7e: a live subscriber sees the delta of a scan another client made. */
static void
test_live_sees_scan (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonObject) dee = add_guest (f, "dee");
  g_autoptr(Door) door = pair_door (f, "east");
  g_autoptr(TnClient) organizer = tn_client_new (f->url);
  g_autoptr(TnLiveClient) live = NULL;
  g_autoptr(GError) error = NULL;
  LiveSeen seen = { 0 };

  tn_client_set_token (organizer, f->organizer);
  live = tn_live_client_new (organizer, f->event_id);
  g_signal_connect (live, "delta", G_CALLBACK (live_delta_cb), &seen);
  g_clear_object (&f->result);
  tn_live_client_connect_async (live, NULL, result_cb, f);
  g_assert_true (tn_test_wait_until (has_result, f, WAIT_MS));
  g_assert_true (tn_live_client_connect_finish (live, f->result, &error));
  g_assert_no_error (error);

  sync_door (door);
  g_assert_cmpint (scan (door, tn_json_object_get_string (dee, "ticket_code")), ==, TN_VERDICT_ACCEPTED);
  sync_door (door);
  g_assert_true (tn_test_wait_until (saw_checkin, &seen, WAIT_MS));
  g_assert_cmpint (tn_json_object_get_int (seen.stats, "checked_in", -1), ==, 1);
  g_assert_cmpint (tn_json_object_get_int (seen.stats, "inside", -1), ==, 1);
  /* the door's figures and the arrival, in the stream and in GET …/stats */
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/stats", f->event_id);
    g_autoptr(JsonObject) stats = call (f, "GET", path, NULL, 200);
    JsonArray *doors = json_object_get_array_member (stats, "doors");
    JsonArray *minutes = json_object_get_array_member (stats, "arrivals_per_minute");
    JsonObject *east;
    gint64 arrivals = 0;

    g_assert_cmpuint (json_array_get_length (doors), ==, 1);
    east = json_array_get_object_element (doors, 0);
    g_assert_cmpstr (tn_json_object_get_string (east, "name"), ==, "east");
    g_assert_cmpint (tn_json_object_get_int (east, "accepted", -1), ==, 1);
    g_assert_cmpint (tn_json_object_get_int (east, "refused", -1), ==, 0);
    g_assert_cmpuint (json_array_get_length (minutes), ==, 60);
    for (guint i = 0; i < 60; i++)
      arrivals += tn_json_object_get_int (json_array_get_object_element (minutes, i), "count", 0);
    g_assert_cmpint (arrivals, ==, 1);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (seen.stats, "doors")), ==, 1);
  }
  g_clear_pointer (&seen.stats, json_object_unref);
}

static JsonObject *
finish_object (Fixture     *f,
               JsonObject *(*finish) (TnClient *, GAsyncResult *, GError **),
               TnClient    *client,
               GError     **error)
{
  g_assert_true (tn_test_wait_until (has_result, f, WAIT_MS));
  return finish (client, f->result, error);
}

static gboolean
finish_boolean (Fixture   *f,
                gboolean (*finish) (TnClient *, GAsyncResult *, GError **),
                TnClient  *client,
                GError   **error)
{
  g_assert_true (tn_test_wait_until (has_result, f, WAIT_MS));
  return finish (client, f->result, error);
}

static gboolean
is_revoked (gpointer data)
{
  return tn_sync_engine_get_revoked (data);
}

/* The organizer's side through TnClient: a pairing code, the list of
 * devices, a rename, undoing a scan, revoking the door. */
static void
test_devices_from_the_client (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(JsonObject) eve = add_guest (f, "eve");
  g_autoptr(TnClient) organizer = tn_client_new (f->url);
  g_autoptr(TnClient) member = tn_client_new (f->url);
  g_autoptr(TnClient) door = tn_client_new (f->url);
  g_autofree char *member_token = tn_test_server_add_user (f->server, "nosy@example.org", "member-password",
                                                           TN_ROLE_MEMBER);
  g_autofree char *stats_path = g_strdup_printf ("/api/v1/events/%s/stats", f->event_id);
  g_autofree char *replica_path = g_strdup_printf ("%s/gate.db", f->dir);
  g_autoptr(JsonObject) pairing = NULL;
  g_autoptr(JsonObject) device = NULL;
  g_autoptr(JsonObject) devices = NULL;
  g_autoptr(JsonObject) renamed = NULL;
  g_autoptr(JsonObject) refused = NULL;
  g_autoptr(JsonObject) stats = NULL;
  g_autoptr(TnReplica) replica = NULL;
  g_autoptr(TnSyncEngine) engine = NULL;
  g_autoptr(TnReplicaScan) scanned = NULL;
  g_autoptr(GError) error = NULL;
  const char *device_id;

  tn_client_set_token (organizer, f->organizer);
  tn_client_set_token (member, member_token);

  g_clear_object (&f->result);
  tn_client_create_pairing_code_async (member, f->event_id, "supervisor", "Gate", NULL, result_cb, f);
  refused = finish_object (f, tn_client_create_pairing_code_finish, member, &error);
  g_assert_error (error, TN_ERROR, TN_ERROR_FORBIDDEN);
  g_assert_null (refused);
  g_clear_error (&error);

  g_clear_object (&f->result);
  tn_client_create_pairing_code_async (organizer, f->event_id, "supervisor", "Gate", NULL, result_cb, f);
  pairing = finish_object (f, tn_client_create_pairing_code_finish, organizer, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tn_json_object_get_string (pairing, "role"), ==, "supervisor");

  g_clear_object (&f->result);
  tn_client_pair_device_async (door, tn_json_object_get_string (pairing, "code"), "Gate", NULL, result_cb, f);
  device = finish_object (f, tn_client_pair_device_finish, door, &error);
  g_assert_no_error (error);
  device_id = tn_json_object_get_string (device, "id");

  g_clear_object (&f->result);
  tn_client_list_devices_async (organizer, f->event_id, NULL, result_cb, f);
  devices = finish_object (f, tn_client_list_devices_finish, organizer, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (devices, "items")), ==, 1);

  g_clear_object (&f->result);
  tn_client_rename_device_async (organizer, device_id, "Gate 2", NULL, result_cb, f);
  renamed = finish_object (f, tn_client_rename_device_finish, organizer, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tn_json_object_get_string (renamed, "name"), ==, "Gate 2");

  /* The door scans Eve in; the organizer undoes the scan. */
  replica = tn_replica_open_path (replica_path, &error);
  g_assert_no_error (error);
  engine = tn_sync_engine_new (replica, door, f->event_id);
  tn_sync_engine_set_timeout (engine, 20000);
  {
    Door d = { door, replica, engine };

    sync_door (&d);
    scanned = tn_sync_engine_scan (engine, tn_json_object_get_string (eve, "ticket_code"), TN_SCAN_IN, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (scanned->verdict, ==, TN_VERDICT_ACCEPTED);
    sync_door (&d);
  }
  stats = call (f, "GET", stats_path, NULL, 200);
  g_assert_cmpint (tn_json_object_get_int (stats, "inside", -1), ==, 1);
  g_clear_object (&f->result);
  tn_client_undo_checkin_async (organizer, scanned->id, NULL, result_cb, f);
  g_assert_true (finish_boolean (f, tn_client_undo_checkin_finish, organizer, &error));
  g_assert_no_error (error);
  g_clear_pointer (&stats, json_object_unref);
  stats = call (f, "GET", stats_path, NULL, 200);
  g_assert_cmpint (tn_json_object_get_int (stats, "inside", -1), ==, 0);
  g_assert_cmpint (tn_json_object_get_int (stats, "checked_in", -1), ==, 0);

  /* Revoked: the door hears it at its next contact and wipes its data. */
  g_clear_object (&f->result);
  tn_client_revoke_device_async (organizer, device_id, NULL, result_cb, f);
  g_assert_true (finish_boolean (f, tn_client_revoke_device_finish, organizer, &error));
  g_assert_no_error (error);
  tn_sync_engine_sync_now (engine);
  g_assert_true (tn_test_wait_until (is_revoked, engine, WAIT_MS));
  g_assert_true (tn_replica_is_wiped (replica));
  g_assert_false (g_file_test (replica_path, G_FILE_TEST_EXISTS));
  tn_sync_engine_stop (engine);
}

int
main (int    argc,
      char **argv)
{
  tn_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/common/door-sync/two-doors-offline", test_two_doors_offline);
  ADD ("/common/door-sync/signed-tickets", test_signed_tickets);
  ADD ("/common/door-sync/live-sees-scan", test_live_sees_scan);
  ADD ("/common/door-sync/devices-from-the-client", test_devices_from_the_client);
#undef ADD

  return g_test_run ();
}
