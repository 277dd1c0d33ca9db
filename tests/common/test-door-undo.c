/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A supervisor's door undoes scans through its outbox (docs/CHECKIN.md,
 * "Undo"), against turnout-server in a process of its own: stopped with
 * SIGSTOP where "the server stops answering" matters, as in
 * test-sync-engine.c. */
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

#define GUESTS     3
/* Long enough for anything but a stopped server: only the offline test
 * shortens the engine's timeout, and only while the server is stopped. */
#define TIMEOUT_MS 20000
#define WAIT_MS    60000

typedef struct
{
  TnTestProcess *process;
  gboolean       stopped;     /* SIGSTOP sent, no SIGCONT yet */
  char          *dir;
  const char    *url;
  char          *organizer;   /* the demo organizer's token */
  char          *event_id;
  GPtrArray     *codes;       /* ticket code of guest N */
  TnClient      *client;
  char          *device_id;
  TnReplica     *replica;
  TnSyncEngine  *engine;
  GAsyncResult  *result;
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

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *starts = tn_time_format (tn_time_now () - 3600);
  g_autofree char *ends = tn_time_format (tn_time_now () + 4 * 3600);
  g_autofree char *body = g_strdup_printf ("{\"title\":\"Undo night\",\"starts_at\":\"%s\",\"ends_at\":\"%s\"}",
                                           starts, ends);
  g_autofree char *db = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *attendees_path = NULL;
  g_autoptr(JsonObject) login = NULL;
  g_autoptr(JsonObject) event = NULL;

  f->dir = g_dir_make_tmp ("turnout-door-undo-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_strdup_printf ("sqlite:%s/server.db", f->dir);
  {
    const char *args[] = { "--listen", "127.0.0.1:0", "--database", db, "--demo", NULL };

    f->process = tn_test_process_start (args, NULL);
  }
  f->url = f->process->url;
  g_assert_cmpuint (tn_test_http (f->url, "POST", "/api/v1/auth/login", NULL,
                                  "{\"email\":\"" TN_DEMO_ORGANIZER_EMAIL "\","
                                  "\"password\":\"" TN_DEMO_PASSWORD "\"}",
                                  -1, NULL, &answer), ==, 200);
  login = tn_test_parse_object (answer);
  f->organizer = g_strdup (tn_json_object_get_string (login, "token"));

  event = call (f, "POST", "/api/v1/events", body, 201);
  f->event_id = g_strdup (tn_json_object_get_string (event, "id"));
  attendees_path = g_strdup_printf ("/api/v1/events/%s/attendees", f->event_id);
  f->codes = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < GUESTS; i++)
    {
      g_autofree char *guest = g_strdup_printf ("{\"name\":\"Guest %u\",\"email\":\"guest%u@example.org\"}", i, i);
      g_autoptr(JsonObject) attendee = call (f, "POST", attendees_path, guest, 201);

      g_ptr_array_add (f->codes, g_strdup (tn_json_object_get_string (attendee, "ticket_code")));
    }
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
  g_clear_object (&f->result);
  g_clear_object (&f->client);
  g_clear_pointer (&f->codes, g_ptr_array_unref);
  g_free (f->device_id);
  g_free (f->event_id);
  g_free (f->organizer);
  if (f->stopped)
    tn_test_signal_now (f->process->process, SIGCONT);
  g_clear_pointer (&f->process, tn_test_process_free);
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

/* Pairs the fixture's client as a door of @role, opens its replica and
 * starts an engine: a probe every 100 ms, retries after 20 to 200 ms. */
static void
start_door (Fixture    *f,
            const char *role)
{
  g_autofree char *body = g_strdup_printf ("{\"event_id\":\"%s\",\"role\":\"%s\",\"name\":\"Gate\"}",
                                           f->event_id, role);
  g_autoptr(JsonObject) pairing = call (f, "POST", "/api/v1/devices/pairing", body, 201);
  g_autoptr(JsonObject) device = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_object (&f->result);
  tn_client_pair_device_async (f->client, tn_json_object_get_string (pairing, "code"), "Gate", NULL,
                               store_result_cb, f);
  g_assert_true (tn_test_wait_until (has_result, f, WAIT_MS));
  device = tn_client_pair_device_finish (f->client, f->result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tn_json_object_get_string (device, "role"), ==, role);
  f->device_id = g_strdup (tn_json_object_get_string (device, "id"));

  f->replica = tn_replica_open (f->url, f->device_id, &error);
  g_assert_no_error (error);
  tn_replica_set_backoff (f->replica, 20 * 1000, 200 * 1000);
  f->engine = tn_sync_engine_new (f->replica, f->client, f->event_id);
  g_object_set (f->engine, "timeout", TIMEOUT_MS, "probe-interval", 100, NULL);
  tn_sync_engine_start (f->engine);
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

/* a cycle ran to its end since f->last_sync */
static gboolean
synced_again (gpointer user_data)
{
  Fixture *f = user_data;

  return tn_sync_engine_get_last_sync (f->engine) > f->last_sync;
}

static TnReplicaScan *
engine_scan (Fixture *f,
             guint    guest)
{
  g_autoptr(GError) error = NULL;
  TnReplicaScan *scan = tn_sync_engine_scan (f->engine, g_ptr_array_index (f->codes, guest),
                                             TN_SCAN_IN, f->device_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (scan);
  g_assert_cmpint (scan->verdict, ==, TN_VERDICT_ACCEPTED);
  return scan;
}

static void
engine_undo (Fixture    *f,
             const char *scan_id)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tn_sync_engine_undo (f->engine, scan_id, &error));
  g_assert_no_error (error);
}

/* `inside` or `checked_in` of GET /api/v1/events/{id}/stats */
static gint64
server_stat (Fixture    *f,
             const char *name)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/stats", f->event_id);
  g_autoptr(JsonObject) stats = call (f, "GET", path, NULL, 200);

  return tn_json_object_get_int (stats, name, -1);
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

/* The scan as the server's sync data has it, or NULL. */
static JsonObject *
server_checkin (Fixture    *f,
                const char *scan_id)
{
  g_autoptr(JsonObject) page = server_sync (f);
  JsonArray *changes = json_object_get_array_member (page, "changes");

  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      JsonObject *checkin;

      if (g_strcmp0 (tn_json_object_get_string (change, "type"), "checkin") != 0)
        continue;
      checkin = json_object_get_object_member (change, "checkin");
      if (g_strcmp0 (tn_json_object_get_string (checkin, "id"), scan_id) == 0)
        return json_object_ref (checkin);
    }
  return NULL;
}

static gboolean
server_says_undone (Fixture    *f,
                    const char *scan_id)
{
  g_autoptr(JsonObject) checkin = server_checkin (f, scan_id);

  g_assert_nonnull (checkin);
  return json_object_get_boolean_member (checkin, "undone");
}

static gboolean
replica_says_undone (Fixture    *f,
                     const char *scan_id)
{
  g_autoptr(TnReplicaScan) scan = tn_replica_get_scan (f->replica, scan_id);

  g_assert_nonnull (scan);
  return scan != NULL && scan->undone;
}

static void
test_online (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(TnReplicaScan) kept = NULL;
  g_autoptr(TnReplicaScan) scan = NULL;

  start_door (f, "supervisor");
  g_assert_true (tn_test_wait_until (synced, f, WAIT_MS));
  kept = engine_scan (f, 0);
  scan = engine_scan (f, 1);
  g_assert_true (tn_test_wait_until (online_and_delivered, f, WAIT_MS));
  g_assert_cmpint (server_stat (f, "inside"), ==, 2);
  g_assert_cmpint (server_stat (f, "checked_in"), ==, 2);
  g_assert_false (server_says_undone (f, scan->id));

  engine_undo (f, scan->id);
  /* the door's figures at once */
  g_assert_cmpuint (tn_sync_engine_get_pending (f->engine), ==, 1);
  g_assert_cmpuint (tn_replica_count_inside (f->replica), ==, 1);
  g_assert_cmpuint (tn_replica_count_checked_in (f->replica), ==, 1);
  g_assert_cmpuint (tn_replica_count_own_admitted (f->replica), ==, 1);
  g_assert_true (tn_test_wait_until (online_and_delivered, f, WAIT_MS));

  g_assert_cmpint (server_stat (f, "inside"), ==, 1);
  g_assert_cmpint (server_stat (f, "checked_in"), ==, 1);
  g_assert_true (server_says_undone (f, scan->id));
  g_assert_false (server_says_undone (f, kept->id));

  /* and the next sync agrees */
  f->last_sync = tn_sync_engine_get_last_sync (f->engine);
  g_assert_true (tn_test_wait_until (synced_again, f, WAIT_MS));
  g_assert_true (replica_says_undone (f, scan->id));
  g_assert_false (replica_says_undone (f, kept->id));
  g_assert_cmpuint (tn_replica_count_inside (f->replica), ==, server_stat (f, "inside"));
  g_assert_cmpuint (tn_replica_count_checked_in (f->replica), ==, server_stat (f, "checked_in"));
}

static void
test_offline (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(TnReplicaScan) scan = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  start_door (f, "supervisor");
  g_assert_true (tn_test_wait_until (synced, f, WAIT_MS));

  /* The server stops answering; the door scans and undoes the scan. */
  tn_sync_engine_set_timeout (f->engine, 250);
  tn_test_signal_now (f->process->process, SIGSTOP);
  f->stopped = TRUE;
  scan = engine_scan (f, 0);
  engine_undo (f, scan->id);
  g_assert_cmpuint (tn_sync_engine_get_pending (f->engine), ==, 2);
  entries = tn_replica_outbox_peek (f->replica, 10, G_MAXINT64);
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_cmpstr (((TnReplicaOutboxEntry *) g_ptr_array_index (entries, 0))->kind, ==, TN_REPLICA_KIND_CHECKIN);
  g_assert_cmpstr (((TnReplicaOutboxEntry *) g_ptr_array_index (entries, 1))->kind, ==, TN_REPLICA_KIND_UNDO);
  g_assert_true (tn_test_wait_until (offline, f, WAIT_MS));
  g_assert_cmpuint (tn_sync_engine_get_pending (f->engine), ==, 2);
  g_assert_cmpuint (tn_replica_count_inside (f->replica), ==, 0);

  /* Back: the scan goes first, then its undo. Had the undo gone first,
   * the server would not have known the scan (404) and the door would
   * have dropped the undo: the scan would not be undone. */
  tn_test_signal_now (f->process->process, SIGCONT);
  f->stopped = FALSE;
  tn_sync_engine_set_timeout (f->engine, TIMEOUT_MS);
  g_assert_true (tn_test_wait_until (online_and_delivered, f, WAIT_MS));
  g_assert_nonnull (server_checkin (f, scan->id));
  g_assert_true (server_says_undone (f, scan->id));
  g_assert_cmpint (server_stat (f, "inside"), ==, 0);
  g_assert_cmpint (server_stat (f, "checked_in"), ==, 0);
  g_assert_true (replica_says_undone (f, scan->id));
  g_assert_cmpuint (tn_replica_count_inside (f->replica), ==, 0);
}

static void
test_refusals (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(TnReplicaScan) scan = NULL;
  g_autoptr(GError) error = NULL;

  start_door (f, "supervisor");
  g_assert_true (tn_test_wait_until (synced, f, WAIT_MS));
  /* the app closed: nothing is delivered, the outbox is what we see */
  tn_sync_engine_stop (f->engine);

  g_assert_false (tn_sync_engine_undo (f->engine, "01932c7e-0000-7000-8000-00000000beef", &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (tn_sync_engine_get_pending (f->engine), ==, 0);
  g_assert_cmpuint (tn_replica_outbox_size (f->replica), ==, 0);

  scan = engine_scan (f, 0);
  engine_undo (f, scan->id);
  g_assert_cmpuint (tn_sync_engine_get_pending (f->engine), ==, 2);
  g_assert_false (tn_sync_engine_undo (f->engine, scan->id, &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_CONFLICT);
  g_assert_cmpuint (tn_sync_engine_get_pending (f->engine), ==, 2);
  g_assert_cmpuint (tn_replica_outbox_size (f->replica), ==, 2);
}

/* A steward's door may not undo: the server refuses (403) for good, the
 * door drops the undo and the scan counts again. */
static void
test_forbidden (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(TnReplicaScan) scan = NULL;

  start_door (f, "steward");
  g_assert_true (tn_test_wait_until (synced, f, WAIT_MS));
  scan = engine_scan (f, 0);
  g_assert_true (tn_test_wait_until (online_and_delivered, f, WAIT_MS));

  engine_undo (f, scan->id);
  g_assert_cmpuint (tn_replica_count_inside (f->replica), ==, 0);
  g_assert_true (tn_test_wait_until (online_and_delivered, f, WAIT_MS));
  g_assert_false (replica_says_undone (f, scan->id));
  g_assert_cmpuint (tn_replica_count_inside (f->replica), ==, 1);
  g_assert_false (server_says_undone (f, scan->id));
  g_assert_cmpint (server_stat (f, "inside"), ==, 1);
}

/* The door undoes a scan the server has; before the undo is delivered, a
 * sync page made without it (undone false) comes in: the undo wins, and
 * is delivered afterwards. */
static void
test_pending_wins (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(TnReplicaScan) scan = NULL;
  g_autoptr(JsonObject) page = NULL;
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(GError) error = NULL;

  start_door (f, "supervisor");
  g_assert_true (tn_test_wait_until (synced, f, WAIT_MS));
  scan = engine_scan (f, 0);
  g_assert_true (tn_test_wait_until (online_and_delivered, f, WAIT_MS));

  /* the app closed: the undo waits in the outbox */
  tn_sync_engine_stop (f->engine);
  engine_undo (f, scan->id);
  g_assert_cmpuint (tn_sync_engine_get_pending (f->engine), ==, 1);

  /* the server's whole sync data, as a door reads it after a reset */
  page = server_sync (f);
  before = server_checkin (f, scan->id);
  g_assert_false (json_object_get_boolean_member (before, "undone"));
  g_assert_true (tn_replica_apply_sync_page (f->replica, page, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (replica_says_undone (f, scan->id));
  g_assert_cmpuint (tn_replica_count_inside (f->replica), ==, 0);
  g_assert_cmpuint (tn_replica_count_checked_in (f->replica), ==, 0);
  g_assert_cmpuint (tn_replica_outbox_size (f->replica), ==, 1);

  /* back: delivered, and the server's later pages agree */
  g_clear_object (&f->engine);
  f->engine = tn_sync_engine_new (f->replica, f->client, f->event_id);
  g_object_set (f->engine, "timeout", TIMEOUT_MS, "probe-interval", 100, NULL);
  tn_sync_engine_start (f->engine);
  g_assert_true (tn_test_wait_until (online_and_delivered, f, WAIT_MS));
  g_assert_true (server_says_undone (f, scan->id));
  f->last_sync = tn_sync_engine_get_last_sync (f->engine);
  g_assert_true (tn_test_wait_until (synced_again, f, WAIT_MS));
  g_assert_true (replica_says_undone (f, scan->id));
  g_assert_cmpint (server_stat (f, "inside"), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  tn_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/common/door-undo/online", test_online);
  ADD ("/common/door-undo/offline", test_offline);
  ADD ("/common/door-undo/refusals", test_refusals);
  ADD ("/common/door-undo/forbidden", test_forbidden);
  ADD ("/common/door-undo/pending-wins", test_pending_wins);
#undef ADD

  return g_test_run ();
}
