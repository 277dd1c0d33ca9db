/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TnLiveClient against a real server: the snapshot, deltas of another
 * client's changes, and refusals as TnError. */
#include "config.h"

#include "tn-error.h"
#include "tn-json.h"
#include "tn-live-client.h"
#include "tn-test-utils.h"
#include "tn-time.h"

#define WAIT_MS 10000

typedef struct
{
  TnTestServer *server;
  const char   *url;
  char         *organizer;
  char         *event_id;
  TnClient     *client;
  GAsyncResult *result;
  guint         snapshots;
  guint         deltas;
  JsonArray    *last_changes;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *starts = tn_time_format (tn_time_now () + 86400);
  g_autofree char *ends = tn_time_format (tn_time_now () + 90000);
  g_autofree char *body = g_strdup_printf ("{\"title\":\"Followed\",\"starts_at\":\"%s\",\"ends_at\":\"%s\","
                                           "\"capacity\":10}", starts, ends);
  g_autoptr(TnTestReply) reply = NULL;
  g_autoptr(JsonObject) event = NULL;

  f->server = tn_test_server_new (TRUE);
  f->url = tn_test_server_get_url (f->server);
  f->organizer = tn_test_server_token_for (f->server, TN_DEMO_ORGANIZER_EMAIL);
  reply = tn_test_request (f->url, "POST", "/api/v1/events", f->organizer, body, NULL);
  g_assert_cmpuint (reply->status, ==, 201);
  event = tn_test_parse_object (reply->body);
  f->event_id = g_strdup (tn_json_object_get_string (event, "id"));
  f->client = tn_client_new (f->url);
  tn_client_set_token (f->client, f->organizer);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->last_changes, json_array_unref);
  g_clear_object (&f->result);
  g_object_unref (f->client);
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

static gboolean
connect_live (Fixture       *f,
              TnLiveClient  *live,
              GError       **error)
{
  g_clear_object (&f->result);
  tn_live_client_connect_async (live, NULL, result_cb, f);
  g_assert_true (tn_test_wait_until (has_result, f, WAIT_MS));
  return tn_live_client_connect_finish (live, f->result, error);
}

static void
snapshot_cb (TnLiveClient *live,
             JsonObject   *stats,
             Fixture      *f)
{
  f->snapshots++;
}

static void
delta_cb (TnLiveClient *live,
          JsonArray    *changes,
          JsonObject   *stats,
          Fixture      *f)
{
  f->deltas++;
  g_clear_pointer (&f->last_changes, json_array_unref);
  f->last_changes = json_array_ref (changes);
}

static gboolean
one_snapshot (gpointer data)
{
  return ((Fixture *) data)->snapshots == 1;
}

static gboolean
one_delta (gpointer data)
{
  return ((Fixture *) data)->deltas == 1;
}

static gboolean
disconnected (gpointer data)
{
  return !tn_live_client_get_connected (data);
}

static void
test_follow (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(TnLiveClient) live = tn_live_client_new (f->client, f->event_id);
  g_autoptr(GError) error = NULL;
  g_autofree char *member = tn_test_server_add_user (f->server, "fan@example.org", "member-password", TN_ROLE_MEMBER);
  g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/rsvp", f->event_id);
  g_autoptr(TnTestReply) answered = NULL;
  JsonObject *change;

  g_signal_connect (live, "snapshot", G_CALLBACK (snapshot_cb), f);
  g_signal_connect (live, "delta", G_CALLBACK (delta_cb), f);
  g_assert_null (tn_live_client_get_stats (live));
  g_assert_true (connect_live (f, live, &error));
  g_assert_no_error (error);
  g_assert_true (tn_live_client_get_connected (live));
  g_assert_true (tn_test_wait_until (one_snapshot, f, WAIT_MS));
  g_assert_cmpint (tn_json_object_get_int (tn_live_client_get_stats (live), "going", -1), ==, 0);
  g_assert_cmpint (tn_json_object_get_int (tn_live_client_get_stats (live), "seats_left", -1), ==, 10);

  answered = tn_test_request (f->url, "PUT", path, member, "{\"status\":\"going\"}", NULL);
  g_assert_cmpuint (answered->status, ==, 200);
  g_assert_true (tn_test_wait_until (one_delta, f, WAIT_MS));
  g_assert_cmpuint (json_array_get_length (f->last_changes), ==, 1);
  change = json_array_get_object_element (f->last_changes, 0);
  g_assert_cmpstr (tn_json_object_get_string (change, "type"), ==, "rsvp");
  g_assert_cmpint (tn_json_object_get_int (tn_live_client_get_stats (live), "going", -1), ==, 1);
  g_assert_cmpint (tn_json_object_get_int (tn_live_client_get_stats (live), "seats_left", -1), ==, 9);

  tn_live_client_close (live);
  g_assert_true (tn_test_wait_until (disconnected, live, WAIT_MS));
  g_assert_cmpuint (f->snapshots, ==, 1);
}

static void
test_refusals (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *member = tn_test_server_add_user (f->server, "stranger@example.org", "member-password",
                                                     TN_ROLE_MEMBER);
  g_autoptr(TnLiveClient) unknown = tn_live_client_new (f->client, "00000000-0000-4000-8000-000000000000");
  g_autoptr(TnLiveClient) live = tn_live_client_new (f->client, f->event_id);
  g_autoptr(GError) error = NULL;

  g_assert_false (connect_live (f, unknown, &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_NOT_FOUND);
  g_clear_error (&error);

  tn_client_set_token (f->client, member);
  g_assert_false (connect_live (f, live, &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_FORBIDDEN);
  g_clear_error (&error);

  tn_client_set_token (f->client, NULL);
  g_assert_false (connect_live (f, live, &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_UNAUTHORIZED);
  g_assert_false (tn_live_client_get_connected (live));
}

int
main (int    argc,
      char **argv)
{
  tn_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/common/live-client/follow", test_follow);
  ADD ("/common/live-client/refusals", test_refusals);
#undef ADD

  return g_test_run ();
}
