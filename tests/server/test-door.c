/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The door's own code against the real server: TnClient pairs and talks
 * to it, TnReplica keeps what sync pages say and judges offline. Two
 * doors admit one ticket offline and both see the conflict after they
 * sync (issue 4, test a, end to end); a ticket issued after a door's
 * last sync is verified offline by its signature; a revoked code is
 * refused in both forms after the next sync; a revoked device is told so.
 * test-replica tests the replica alone, with the pages it is given;
 * test-sync-engine tests the client and the engine against the real
 * server as well. */
#include "config.h"

#include <glib/gstdio.h>

#include "checkin-helpers.h"
#include "tn-client.h"
#include "tn-error.h"
#include "tn-replica.h"

typedef struct
{
  TnClient     *client;
  TnReplica    *replica;
  char         *device_id;
  GAsyncResult *result;
} Door;

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Door *door = user_data;

  g_assert_null (door->result);
  door->result = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return ((Door *) data)->result != NULL;
}

static GAsyncResult *
wait_result (Door *door)
{
  if (!tn_test_wait_until (has_result, door, 30000))
    g_error ("The server did not answer within 30 s");
  return g_steal_pointer (&door->result);
}

/* A door paired with @event_id through TnClient, with a replica in @dir. */
static Door *
door_new (Fixture    *f,
          const char *event_id,
          const char *name,
          const char *dir)
{
  Door *door = g_new0 (Door, 1);
  g_autofree char *body = g_strdup_printf ("{\"event_id\":\"%s\",\"role\":\"steward\"}", event_id);
  g_autoptr(JsonObject) pairing = request (f, "POST", "/api/v1/devices/pairing", f->organizer, body, 201);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) device = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);

  door->client = tn_client_new (tn_test_server_get_url (f->server));
  tn_client_pair_device_async (door->client, tn_json_object_get_string (pairing, "code"), name, NULL,
                               store_result_cb, door);
  result = wait_result (door);
  /* the client keeps the device token it got */
  device = tn_client_pair_device_finish (door->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tn_json_object_get_string (device, "event_id"), ==, event_id);
  g_assert_true (g_str_has_prefix (tn_client_get_token (door->client), "tnd_"));
  door->device_id = g_strdup (tn_json_object_get_string (device, "id"));
  door->replica = tn_replica_open_path (path, &error);
  g_assert_no_error (error);
  return door;
}

static void
door_free (Door *door)
{
  g_clear_object (&door->result);
  g_assert_finalize_object (door->replica);
  g_assert_finalize_object (door->client);
  g_free (door->device_id);
  g_free (door);
}

/* Pulls every sync page into the replica; returns the conflicts the
 * pages brought, or fails with the server's error in @error. */
static GPtrArray *
door_sync (Door        *door,
           const char  *event_id,
           GError     **error)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) tn_replica_scan_free);

  for (;;)
    {
      g_autofree char *cursor = tn_replica_dup_cursor (door->replica);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(JsonObject) page = NULL;
      g_autoptr(GPtrArray) conflicts = NULL;

      tn_client_sync_async (door->client, event_id, cursor, 1000, NULL, store_result_cb, door);
      result = wait_result (door);
      page = tn_client_sync_finish (door->client, result, error);
      if (page == NULL)
        return NULL;
      g_assert_true (tn_replica_apply_sync_page (door->replica, page, &conflicts, error));
      for (guint i = 0; conflicts != NULL && i < conflicts->len; i++)
        g_ptr_array_add (all, tn_replica_scan_copy (conflicts->pdata[i]));
      if (!json_object_get_boolean_member (page, "more"))
        return g_steal_pointer (&all);
    }
}

/* Posts the door's outbox and confirms each scan with the server's result. */
static void
door_push (Door *door)
{
  g_autoptr(GPtrArray) entries = tn_replica_outbox_peek (door->replica, 1000, G_MAXINT64);
  g_autoptr(JsonArray) scans = json_array_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonArray) results = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (entries->len, >, 0);
  for (guint i = 0; i < entries->len; i++)
    {
      TnReplicaOutboxEntry *entry = entries->pdata[i];

      json_array_add_element (scans, json_from_string (entry->payload, &error));
      g_assert_no_error (error);
    }
  tn_client_post_checkins_async (door->client, scans, NULL, store_result_cb, door);
  result = wait_result (door);
  results = tn_client_post_checkins_finish (door->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (results), ==, entries->len);
  for (guint i = 0; i < entries->len; i++)
    {
      TnReplicaOutboxEntry *entry = entries->pdata[i];
      g_autoptr(TnReplicaScan) conflict = NULL;

      g_assert_true (tn_replica_outbox_confirm (door->replica, entry->id,
                                                json_array_get_object_element (results, i), &conflict, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (tn_replica_outbox_size (door->replica), ==, 0);
}

static void
test_two_doors_end_to_end (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("turnout-door-XXXXXX", NULL);
  g_autofree char *event_id = create_event (f, f->organizer, "");
  g_autoptr(JsonObject) ada = add_guest (f, event_id, "Ada Lovelace", "ada@example.org");
  g_autoptr(JsonObject) bob = add_guest (f, event_id, "Bob Revoked", "bob@example.org");
  g_autoptr(JsonObject) late = NULL;
  g_autoptr(JsonObject) revoked = NULL;
  g_autoptr(GPtrArray) conflicts_a = NULL;
  g_autoptr(GPtrArray) conflicts_b = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TnReplicaScan) scan_a = NULL;
  g_autoptr(TnReplicaScan) scan_b = NULL;
  g_autoptr(TnReplicaScan) judged = NULL;
  g_autofree char *revoke_path = NULL;
  g_autofree char *device_path = NULL;
  Door *a, *b;
  gint64 now = tn_time_now ();

  a = door_new (f, event_id, "Door A", dir);
  b = door_new (f, event_id, "Door B", dir);
  conflicts_a = door_sync (a, event_id, &error);
  g_assert_no_error (error);
  conflicts_b = door_sync (b, event_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tn_replica_count_attendees (a->replica), ==, 2);

  /* Both doors offline admit Ada: A a minute before B, B's arrives first */
  scan_a = tn_replica_record_scan (a->replica, tn_json_object_get_string (ada, "signed_ticket"), TN_SCAN_IN,
                                   now - 120, a->device_id, &error);
  g_assert_no_error (error);
  scan_b = tn_replica_record_scan (b->replica, tn_json_object_get_string (ada, "ticket_code"), TN_SCAN_IN,
                                   now - 60, b->device_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (scan_a->verdict, ==, TN_VERDICT_ACCEPTED);
  g_assert_cmpint (scan_b->verdict, ==, TN_VERDICT_ACCEPTED);
  door_push (b);
  door_push (a);

  /* After a sync each door knows: A's scan stands, B's is a flagged duplicate */
  g_clear_pointer (&conflicts_a, g_ptr_array_unref);
  g_clear_pointer (&conflicts_b, g_ptr_array_unref);
  conflicts_a = door_sync (a, event_id, &error);
  g_assert_no_error (error);
  conflicts_b = door_sync (b, event_id, &error);
  g_assert_no_error (error);
  {
    g_autoptr(TnReplicaScan) b_at_b = tn_replica_get_scan (b->replica, scan_b->id);
    g_autoptr(TnReplicaScan) b_at_a = tn_replica_get_scan (a->replica, scan_b->id);
    g_autoptr(TnReplicaScan) a_at_b = tn_replica_get_scan (b->replica, scan_a->id);
    g_autoptr(GPtrArray) listed = tn_replica_get_conflicts (b->replica);

    g_assert_nonnull (b_at_b);
    g_assert_nonnull (b_at_a);
    g_assert_nonnull (a_at_b);
    g_assert_true (b_at_b->has_server_verdict);
    g_assert_cmpint (b_at_b->server_verdict, ==, TN_VERDICT_DUPLICATE);
    g_assert_true (b_at_b->flagged);
    g_assert_cmpint (b_at_a->server_verdict, ==, TN_VERDICT_DUPLICATE);
    g_assert_cmpint (a_at_b->server_verdict, ==, TN_VERDICT_ACCEPTED);
    g_assert_cmpuint (listed->len, >=, 1);
    g_assert_cmpuint (tn_replica_count_inside (a->replica), ==, 1);
    g_assert_cmpuint (tn_replica_count_inside (b->replica), ==, 1);
  }

  /* A ticket issued after the last sync: its signed form is verified offline */
  late = add_guest (f, event_id, "Late Comer", "late@example.org");
  judged = tn_replica_judge (a->replica, tn_json_object_get_string (late, "signed_ticket"), TN_SCAN_IN, now);
  g_assert_cmpint (judged->verdict, ==, TN_VERDICT_ACCEPTED);
  g_clear_pointer (&judged, tn_replica_scan_free);
  /* and its short code alone is not known there yet */
  judged = tn_replica_judge (a->replica, tn_json_object_get_string (late, "ticket_code"), TN_SCAN_IN, now);
  g_assert_cmpint (judged->verdict, ==, TN_VERDICT_UNKNOWN);
  g_clear_pointer (&judged, tn_replica_scan_free);

  /* A revoked code: refused in both forms after the next sync */
  revoke_path = g_strdup_printf ("/api/v1/events/%s/attendees/%s/ticket", event_id,
                                 tn_json_object_get_string (bob, "id"));
  revoked = request (f, "DELETE", revoke_path, f->organizer, NULL, 200);
  g_clear_pointer (&conflicts_a, g_ptr_array_unref);
  conflicts_a = door_sync (a, event_id, &error);
  g_assert_no_error (error);
  judged = tn_replica_judge (a->replica, tn_json_object_get_string (bob, "ticket_code"), TN_SCAN_IN, now);
  g_assert_cmpint (judged->verdict, ==, TN_VERDICT_REVOKED);
  g_clear_pointer (&judged, tn_replica_scan_free);
  judged = tn_replica_judge (a->replica, tn_json_object_get_string (bob, "signed_ticket"), TN_SCAN_IN, now);
  g_assert_cmpint (judged->verdict, ==, TN_VERDICT_REVOKED);
  g_clear_pointer (&judged, tn_replica_scan_free);
  /* the late ticket is now known by its short code too */
  judged = tn_replica_judge (a->replica, tn_json_object_get_string (late, "ticket_code"), TN_SCAN_IN, now);
  g_assert_cmpint (judged->verdict, ==, TN_VERDICT_ACCEPTED);
  g_clear_pointer (&judged, tn_replica_scan_free);

  /* Revoked: the door is told so at its next contact */
  device_path = g_strdup_printf ("/api/v1/devices/%s", b->device_id);
  g_assert_null (request (f, "DELETE", device_path, f->organizer, NULL, 204));
  g_clear_pointer (&conflicts_b, g_ptr_array_unref);
  conflicts_b = door_sync (b, event_id, &error);
  g_assert_null (conflicts_b);
  g_assert_error (error, TN_ERROR, TN_ERROR_DEVICE_REVOKED);

  door_free (a);
  door_free (b);
  tn_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  tn_test_init (&argc, &argv);

  g_test_add ("/server/door/two-doors-end-to-end", Fixture, NULL, fixture_setup, test_two_doors_end_to_end,
              fixture_teardown);

  return g_test_run ();
}
