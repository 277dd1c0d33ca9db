/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Doors and SIGKILL, with turnout-server as a process of its own
 * (issue 4, part 7 b and c):
 *  b. the server is killed in the middle of a 1,000-scan upload; after a
 *     restart every scan is on the server exactly once;
 *  c. the door is killed between writing its scans and pushing them; on
 *     restart its outbox still holds every scan and delivers it.
 * For c the door is this test binary run again as a child
 * (--record-scans), which records scans in a replica and waits to be
 * killed. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <gio/gio.h>

#include "tn-json.h"
#include "tn-sync-engine.h"
#include "tn-test-utils.h"
#include "tn-time.h"

#define WAIT_MS  60000
#define N_SCANS  1000

typedef struct
{
  char          *dir;
  char          *db;
  TnTestProcess *server;
  char          *token;      /* the demo organizer's */
  char          *event_id;
  GPtrArray     *codes;      /* of char *: the guests' ticket codes */
  GAsyncResult  *result;
} Fixture;

static const char **
serve_args (Fixture    *f,
            const char *listen)
{
  static const char *args[6];

  args[0] = "--listen";
  args[1] = listen;
  args[2] = "--database";
  args[3] = f->db;
  args[4] = "--demo";
  args[5] = NULL;
  return args;
}

static JsonObject *
call (Fixture    *f,
      const char *method,
      const char *path,
      const char *body,
      guint       expected)
{
  g_autoptr(TnTestReply) reply = tn_test_request (f->server->url, method, path, f->token, body, NULL);

  if (reply->status != expected)
    g_error ("%s %s: expected %u, got %u: %s", method, path, expected, reply->status, reply->body);
  return reply->body[0] != '\0' ? tn_test_parse_object (reply->body) : json_object_new ();
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  g_autoptr(JsonObject) login = NULL;
  g_autoptr(JsonObject) event = NULL;
  g_autoptr(GString) csv = g_string_new ("name,email\r\n");
  g_autofree char *starts = tn_time_format (tn_time_now () - 3600);
  g_autofree char *ends = tn_time_format (tn_time_now () + 4 * 3600);
  g_autofree char *body = g_strdup_printf ("{\"title\":\"Kill night\",\"starts_at\":\"%s\",\"ends_at\":\"%s\"}",
                                           starts, ends);
  g_autofree char *import_path = NULL;
  g_autofree char *export_path = NULL;
  g_autofree char *exported = NULL;
  const char *csv_type[] = { "Content-Type", "text/csv", NULL };
  g_auto(GStrv) lines = NULL;

  f->dir = g_dir_make_tmp ("turnout-door-kill-XXXXXX", &error);
  g_assert_no_error (error);
  f->db = g_strdup_printf ("sqlite:%s/server.db", f->dir);
  f->server = tn_test_process_start (serve_args (f, "127.0.0.1:0"), NULL);
  g_assert_cmpuint (tn_test_http (f->server->url, "POST", "/api/v1/auth/login", NULL,
                                  "{\"email\":\"" TN_DEMO_ORGANIZER_EMAIL "\",\"password\":\"" TN_DEMO_PASSWORD "\"}",
                                  -1, NULL, &answer), ==, 200);
  login = tn_test_parse_object (answer);
  f->token = g_strdup (tn_json_object_get_string (login, "token"));
  event = call (f, "POST", "/api/v1/events", body, 201);
  f->event_id = g_strdup (tn_json_object_get_string (event, "id"));

  /* N_SCANS guests, imported at once; their codes from the export */
  for (guint i = 0; i < N_SCANS; i++)
    g_string_append_printf (csv, "Guest %u,guest%u@example.org\r\n", i, i);
  import_path = g_strdup_printf ("/api/v1/events/%s/attendees/import", f->event_id);
  g_clear_pointer (&answer, g_free);
  g_assert_cmpuint (tn_test_http (f->server->url, "POST", import_path, f->token, csv->str, -1, csv_type, &answer),
                    ==, 200);
  export_path = g_strdup_printf ("/api/v1/events/%s/attendees.csv?limit=5000", f->event_id);
  g_assert_cmpuint (tn_test_http (f->server->url, "GET", export_path, f->token, NULL, -1, NULL, &exported), ==, 200);
  lines = g_strsplit (exported, "\r\n", -1);
  f->codes = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], ",", -1);

      g_assert_cmpuint (g_strv_length (fields), ==, 7);
      g_ptr_array_add (f->codes, g_strdup (fields[5]));
    }
  g_assert_cmpuint (f->codes->len, ==, N_SCANS);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->result);
  g_clear_pointer (&f->server, tn_test_process_free);
  g_ptr_array_unref (f->codes);
  tn_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db);
  g_free (f->token);
  g_free (f->event_id);
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

/* A paired door: its client holds the device token. */
static TnClient *
pair (Fixture *f)
{
  g_autofree char *body = g_strdup_printf ("{\"event_id\":\"%s\",\"role\":\"steward\",\"name\":\"gate\"}",
                                           f->event_id);
  g_autoptr(JsonObject) pairing = call (f, "POST", "/api/v1/devices/pairing", body, 201);
  g_autoptr(JsonObject) device = NULL;
  g_autoptr(GError) error = NULL;
  TnClient *client = tn_client_new (f->server->url);

  g_clear_object (&f->result);
  tn_client_pair_device_async (client, tn_json_object_get_string (pairing, "code"), "gate", NULL, result_cb, f);
  g_assert_true (tn_test_wait_until (has_result, f, WAIT_MS));
  device = tn_client_pair_device_finish (client, f->result, &error);
  g_assert_no_error (error);
  return client;
}

static gboolean
synced (gpointer data)
{
  return tn_sync_engine_get_last_sync (data) > 0;
}

static gboolean
delivered (gpointer data)
{
  return tn_sync_engine_get_pending (data) == 0 && tn_sync_engine_get_online (data);
}

typedef struct
{
  TnSyncEngine *engine;
  guint         below;
} PendingWait;

static gboolean
pending_below (gpointer data)
{
  PendingWait *w = data;

  return tn_sync_engine_get_pending (w->engine) < w->below;
}

/* Every scan the server holds for the event, by scan id: each must be
 * there exactly once. */
static void
assert_each_once (Fixture   *f,
                  GPtrArray *scan_ids)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonObject) first = NULL;
  g_autofree char *cursor = NULL;
  gboolean more = TRUE;
  GPtrArray *pages = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/sync?event_id=%s&limit=5000%s%s", f->event_id,
                                               cursor != NULL ? "&since=" : "", cursor != NULL ? cursor : "");
      JsonObject *page = call (f, "GET", path, NULL, 200);
      JsonArray *changes = json_object_get_array_member (page, "changes");

      g_ptr_array_add (pages, page);
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *change = json_array_get_object_element (changes, i);
          JsonObject *checkin;
          const char *id;

          if (g_strcmp0 (tn_json_object_get_string (change, "type"), "checkin") != 0)
            continue;
          checkin = json_object_get_object_member (change, "checkin");
          id = tn_json_object_get_string (checkin, "id");
          g_assert_false (g_hash_table_contains (seen, id));
          g_hash_table_add (seen, (gpointer) id);
          g_assert_cmpstr (tn_json_object_get_string (checkin, "verdict"), ==, "accepted");
        }
      more = json_object_get_boolean_member (page, "more");
      g_free (cursor);
      cursor = g_strdup (tn_json_object_get_string (page, "cursor"));
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, scan_ids->len);
  for (guint i = 0; i < scan_ids->len; i++)
    g_assert_true (g_hash_table_contains (seen, scan_ids->pdata[i]));
  g_ptr_array_unref (pages);
}

/* b: SIGKILL for the server in the middle of the upload. */
static void
test_server_killed_mid_upload (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(TnClient) client = pair (f);
  g_autofree char *path = g_strdup_printf ("%s/door.db", f->dir);
  g_autofree char *listen = g_strdup (f->server->url + strlen ("http://"));
  g_autoptr(TnReplica) replica = NULL;
  g_autoptr(TnSyncEngine) engine = NULL;
  g_autoptr(GPtrArray) scan_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  PendingWait started = { NULL, N_SCANS };

  replica = tn_replica_open_path (path, &error);
  g_assert_no_error (error);
  engine = tn_sync_engine_new (replica, client, f->event_id);
  tn_sync_engine_set_batch_size (engine, 25);
  /* A killed server refuses connections at once: no need for a short
   * timeout, and a long one spares slow (sanitizer) builds, whose first
   * sync of 1,000 signed tickets takes seconds. */
  tn_sync_engine_set_timeout (engine, 20000);
  tn_sync_engine_set_probe_interval (engine, 100);
  tn_sync_engine_start (engine);
  g_assert_true (tn_test_wait_until (synced, engine, WAIT_MS));
  g_assert_cmpuint (tn_replica_count_attendees (replica), ==, N_SCANS);

  /* The door admits everybody; the engine uploads as it goes. */
  for (guint i = 0; i < N_SCANS; i++)
    {
      g_autoptr(TnReplicaScan) scan = tn_sync_engine_scan (engine, f->codes->pdata[i], TN_SCAN_IN, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (scan->verdict, ==, TN_VERDICT_ACCEPTED);
      g_ptr_array_add (scan_ids, g_strdup (scan->id));
    }
  /* …and the server dies after the first batches. */
  started.engine = engine;
  g_assert_true (tn_test_wait_until (pending_below, &started, WAIT_MS));
  g_assert_cmpuint (tn_sync_engine_get_pending (engine), >, 0);
  tn_test_process_kill (f->server);
  g_clear_pointer (&f->server, tn_test_process_free);

  /* Back on the same address: the engine finds it by itself. */
  f->server = tn_test_process_start (serve_args (f, listen), NULL);
  g_assert_true (tn_test_wait_until (delivered, engine, WAIT_MS));
  assert_each_once (f, scan_ids);
}

/* The child of test c: records the scans given on the command line into
 * the replica at @path, says so, and waits for its SIGKILL. */
static int
record_scans (const char  *path,
              char       **codes,
              int          n_codes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnReplica) replica = tn_replica_open_path (path, &error);

  if (replica == NULL)
    {
      g_printerr ("record-scans: %s\n", error->message);
      return 1;
    }
  for (int i = 0; i < n_codes; i++)
    {
      g_autoptr(TnReplicaScan) scan = tn_replica_record_scan (replica, codes[i], TN_SCAN_IN, tn_time_now (),
                                                              NULL, &error);

      if (scan == NULL)
        {
          g_printerr ("record-scans: %s\n", error->message);
          return 1;
        }
      printf ("%s\n", scan->id);
    }
  printf ("recorded\n");
  fflush (stdout);
  for (;;)
    g_usleep (G_USEC_PER_SEC);
}

/* c: SIGKILL for the door between writing and pushing. */
static void
test_door_killed_before_push (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(TnClient) client = pair (f);
  g_autofree char *path = g_strdup_printf ("%s/door.db", f->dir);
  g_autoptr(GPtrArray) scan_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(TnReplica) replica = NULL;
  g_autoptr(TnSyncEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  char *line;

  /* The door syncs once, then stops: the child takes its replica. */
  replica = tn_replica_open_path (path, &error);
  g_assert_no_error (error);
  engine = tn_sync_engine_new (replica, client, f->event_id);
  tn_sync_engine_set_timeout (engine, 20000);
  tn_sync_engine_start (engine);
  g_assert_true (tn_test_wait_until (synced, engine, WAIT_MS));
  tn_sync_engine_stop (engine);
  g_clear_object (&engine);
  g_clear_object (&replica);

  g_ptr_array_add (argv, (gpointer) g_test_get_filename (G_TEST_BUILT, "test-common-door-kill", NULL));
  g_ptr_array_add (argv, (gpointer) "--record-scans");
  g_ptr_array_add (argv, path);
  for (guint i = 0; i < 100; i++)
    g_ptr_array_add (argv, f->codes->pdata[i]);
  g_ptr_array_add (argv, NULL);
  child = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  while ((line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error)) != NULL &&
         !g_str_equal (line, "recorded"))
    g_ptr_array_add (scan_ids, line);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_free (line);
  g_assert_cmpuint (scan_ids->len, ==, 100);
  g_subprocess_send_signal (child, SIGKILL);
  g_assert_true (g_subprocess_wait (child, NULL, &error));
  g_assert_true (g_subprocess_get_if_signaled (child));

  /* The door again: every scan is in its outbox, and goes out. */
  replica = tn_replica_open_path (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tn_replica_outbox_size (replica), ==, 100);
  engine = tn_sync_engine_new (replica, client, f->event_id);
  tn_sync_engine_set_timeout (engine, 20000);
  tn_sync_engine_start (engine);
  g_assert_true (tn_test_wait_until (delivered, engine, WAIT_MS));
  tn_sync_engine_stop (engine);
  assert_each_once (f, scan_ids);
}

int
main (int    argc,
      char **argv)
{
  if (argc >= 3 && g_str_equal (argv[1], "--record-scans"))
    return record_scans (argv[2], argv + 3, argc - 3);

  tn_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/common/door-kill/server-killed-mid-upload", test_server_killed_mid_upload);
  ADD ("/common/door-kill/door-killed-before-push", test_door_killed_before_push);
#undef ADD

  return g_test_run ();
}
