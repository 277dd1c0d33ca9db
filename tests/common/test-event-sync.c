/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The organizer's event replica and its sync engine against the real
 * server: events created, edited, cancelled and deleted offline reach the
 * server once; a stale edit is a conflict with both versions, resolved
 * either way; the outbox outlives the replica object. Where "the server
 * stops answering" matters, turnout-server runs as a process of its own
 * and is stopped with SIGSTOP. */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "tn-client.h"
#include "tn-error.h"
#include "tn-event-replica.h"
#include "tn-event-sync.h"
#include "tn-json.h"
#include "tn-test-utils.h"
#include "tn-time.h"

/* Long enough for anything but a stopped server (ASan builds are slow). */
#define TIMEOUT_MS 20000
#define WAIT_MS    60000

typedef struct
{
  gboolean process;
} TestData;

typedef struct
{
  TnTestServer   *server;
  TnTestProcess  *process;
  gboolean        stopped;
  char           *dir;
  char           *path;
  const char     *url;
  char           *organizer;
  TnClient       *client;
  TnEventReplica *replica;
  TnEventSync    *engine;
  gint64          last_sync;
  guint           conflicts;
  char           *conflict_id;
  TnEvent        *conflict_local;
  TnEvent        *conflict_server;
  guint           gone;
} Fixture;

static JsonObject *
call (Fixture    *f,
      const char *method,
      const char *path,
      const char *body,
      const char *if_match,
      guint       expected)
{
  g_autoptr(TnTestReply) reply = tn_test_request (f->url, method, path, f->organizer, body, if_match);

  if (reply->status != expected)
    g_error ("%s %s: expected %u, got %u: %s", method, path, expected, reply->status, reply->body);
  return reply->body[0] != '\0' ? tn_test_parse_object (reply->body) : json_object_new ();
}

/* An event made on the server by "another client"; returns its id. */
static char *
server_event (Fixture    *f,
              const char *title)
{
  g_autofree char *starts = tn_time_format (tn_time_now () + 86400);
  g_autofree char *ends = tn_time_format (tn_time_now () + 90000);
  g_autofree char *body = g_strdup_printf ("{\"title\":\"%s\",\"starts_at\":\"%s\",\"ends_at\":\"%s\"}",
                                           title, starts, ends);
  g_autoptr(JsonObject) event = call (f, "POST", "/api/v1/events", body, NULL, 201);

  return g_strdup (tn_json_object_get_string (event, "id"));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const TestData *test = data;
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("turnout-event-sync-XXXXXX", &error);
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
  f->client = tn_client_new (f->url);
  tn_client_set_token (f->client, f->organizer);
  f->path = g_build_filename (f->dir, "organizer", "replica.sqlite", NULL);
  f->replica = tn_event_replica_open_path (f->path, &error);
  g_assert_no_error (error);
  tn_event_replica_set_backoff (f->replica, 20 * 1000, 200 * 1000);
}

static gboolean
is_null (gpointer user_data)
{
  return *(gpointer *) user_data == NULL;
}

static void
drop_engine (Fixture *f)
{
  gpointer engine = f->engine;

  if (engine == NULL)
    return;
  /* nothing of the engine outlives it: requests and timers end */
  tn_event_sync_stop (f->engine);
  g_object_add_weak_pointer (engine, &engine);
  g_clear_object (&f->engine);
  g_assert_true (tn_test_wait_until (is_null, &engine, WAIT_MS));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  drop_engine (f);
  g_clear_object (&f->replica);
  g_clear_object (&f->client);
  g_clear_object (&f->conflict_local);
  g_clear_object (&f->conflict_server);
  g_free (f->conflict_id);
  g_free (f->organizer);
  g_free (f->path);
  if (f->stopped)
    tn_test_signal_now (f->process->process, SIGCONT);
  g_clear_pointer (&f->process, tn_test_process_free);
  g_clear_pointer (&f->server, tn_test_server_free);
  tn_test_remove_tree (f->dir);
  g_free (f->dir);
}

static void
conflict_cb (TnEventSync *engine,
             const char  *event_id,
             TnEvent     *local,
             TnEvent     *server,
             Fixture     *f)
{
  f->conflicts++;
  g_free (f->conflict_id);
  f->conflict_id = g_strdup (event_id);
  g_set_object (&f->conflict_local, local);
  g_set_object (&f->conflict_server, server);
}

static void
gone_cb (TnEventSync *engine,
         const char  *event_id,
         Fixture     *f)
{
  f->gone++;
}

static void
start_engine (Fixture *f)
{
  f->engine = tn_event_sync_new (f->replica, f->client);
  tn_event_sync_set_timeout (f->engine, TIMEOUT_MS);
  tn_event_sync_set_probe_interval (f->engine, 100);
  g_signal_connect (f->engine, "conflict", G_CALLBACK (conflict_cb), f);
  g_signal_connect (f->engine, "gone", G_CALLBACK (gone_cb), f);
  tn_event_sync_start (f->engine);
}

/* A pull that began after now ended. */
static gboolean
synced (gpointer user_data)
{
  Fixture *f = user_data;

  return tn_event_sync_get_last_sync (f->engine) > f->last_sync;
}

static void
wait_synced (Fixture *f)
{
  f->last_sync = g_get_real_time ();
  g_assert_true (tn_test_wait_until (synced, f, WAIT_MS));
}

static gboolean
offline (gpointer user_data)
{
  Fixture *f = user_data;

  return !tn_event_sync_get_online (f->engine);
}

static gboolean
online_and_delivered (gpointer user_data)
{
  Fixture *f = user_data;

  return tn_event_sync_get_online (f->engine) && tn_event_sync_get_pending (f->engine) == 0;
}

static gboolean
has_conflict (gpointer user_data)
{
  Fixture *f = user_data;

  return f->conflicts > 0;
}

static gboolean
has_gone (gpointer user_data)
{
  Fixture *f = user_data;

  return f->gone > 0;
}

static TnEvent *
new_event (const char *title)
{
  TnEvent *event = tn_event_new ();

  tn_event_set_title (event, title);
  tn_event_set_starts_at (event, tn_time_now () + 2 * 86400);
  tn_event_set_ends_at (event, tn_time_now () + 2 * 86400 + 3600);
  return event;
}

/* How many events the organizer sees on the server with @id. */
static guint
count_on_server (Fixture    *f,
                 const char *id)
{
  g_autoptr(JsonObject) page = call (f, "GET", "/api/v1/events?limit=500", NULL, NULL, 200);
  JsonArray *items = json_object_get_array_member (page, "items");
  guint n = 0;

  g_assert_null (tn_json_object_get_string (page, "next_cursor"));
  for (guint i = 0; i < json_array_get_length (items); i++)
    if (g_strcmp0 (tn_json_object_get_string (json_array_get_object_element (items, i), "id"), id) == 0)
      n++;
  return n;
}

static JsonObject *
get_on_server (Fixture    *f,
               const char *id)
{
  g_autofree char *path = g_strconcat ("/api/v1/events/", id, NULL);

  return call (f, "GET", path, NULL, NULL, 200);
}

static gboolean
listed (GPtrArray  *events,
        const char *id)
{
  for (guint i = 0; i < events->len; i++)
    if (g_strcmp0 (tn_event_get_id (g_ptr_array_index (events, i)), id) == 0)
      return TRUE;
  return FALSE;
}

/* Created while the server does not answer: listed locally at once,
 * pending; delivered once it answers again, exactly once even though
 * the first POST, given up on, may reach the server after all. */
static void
test_create_offline (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(TnEvent) draft = new_event ("Offline picnic");
  g_autoptr(TnEvent) created = NULL;
  g_autoptr(TnEvent) local = NULL;
  g_autoptr(GPtrArray) upcoming = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(JsonObject) stored = NULL;
  g_autoptr(GError) error = NULL;

  start_engine (f);
  wait_synced (f);
  /* the demo's events came with the first pull */
  upcoming = tn_event_replica_list (f->replica, FALSE, NULL, tn_time_now ());
  g_assert_cmpuint (upcoming->len, >, 0);
  g_clear_pointer (&upcoming, g_ptr_array_unref);

  tn_event_sync_set_timeout (f->engine, 250);
  tn_test_signal_now (f->process->process, SIGSTOP);
  f->stopped = TRUE;
  created = tn_event_sync_create (f->engine, draft, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tn_event_get_id (created));
  g_assert_cmpuint (tn_event_sync_get_pending (f->engine), ==, 1);
  g_assert_true (tn_event_replica_is_pending (f->replica, tn_event_get_id (created)));
  upcoming = tn_event_replica_list (f->replica, FALSE, NULL, tn_time_now ());
  g_assert_true (listed (upcoming, tn_event_get_id (created)));
  found = tn_event_replica_list (f->replica, FALSE, "PICNIC offline", tn_time_now ());
  g_assert_cmpuint (found->len, ==, 1);
  none = tn_event_replica_list (f->replica, TRUE, "picnic", tn_time_now ());
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_true (tn_test_wait_until (offline, f, WAIT_MS));
  g_assert_cmpuint (tn_event_sync_get_pending (f->engine), ==, 1);

  tn_test_signal_now (f->process->process, SIGCONT);
  f->stopped = FALSE;
  tn_event_sync_set_timeout (f->engine, TIMEOUT_MS);
  g_assert_true (tn_test_wait_until (online_and_delivered, f, WAIT_MS));
  g_assert_cmpuint (count_on_server (f, tn_event_get_id (created)), ==, 1);
  stored = get_on_server (f, tn_event_get_id (created));
  g_assert_cmpstr (tn_json_object_get_string (stored, "title"), ==, "Offline picnic");
  local = tn_event_replica_get (f->replica, tn_event_get_id (created));
  g_assert_nonnull (local);
  g_assert_cmpint (tn_event_get_version (local), ==, tn_json_object_get_int (stored, "version", 0));
  g_assert_false (tn_event_replica_is_pending (f->replica, tn_event_get_id (created)));
}

/* The first POST reached the server but its answer was lost: the retry
 * (409, the id is in use) is checked with a GET and counts as delivered.
 * The server keeps one event. */
static void
test_create_retried (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(TnEvent) draft = new_event ("Lost answer");
  g_autoptr(TnEvent) created = NULL;
  g_autoptr(TnEvent) local = NULL;
  g_autoptr(GPtrArray) queued = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(GError) error = NULL;
  TnEventMutation *entry;

  created = tn_event_replica_create (f->replica, draft, NULL, &error);
  g_assert_no_error (error);
  queued = tn_event_replica_outbox_list (f->replica);
  g_assert_cmpuint (queued->len, ==, 1);
  entry = g_ptr_array_index (queued, 0);
  g_assert_cmpint (entry->kind, ==, TN_EVENT_MUTATION_CREATE);
  g_assert_cmpstr (entry->event_id, ==, tn_event_get_id (created));
  first = call (f, "POST", "/api/v1/events", entry->payload, NULL, 201);
  g_assert_cmpstr (tn_json_object_get_string (first, "id"), ==, tn_event_get_id (created));

  start_engine (f);
  g_assert_true (tn_test_wait_until (online_and_delivered, f, WAIT_MS));
  g_assert_cmpuint (count_on_server (f, tn_event_get_id (created)), ==, 1);
  local = tn_event_replica_get (f->replica, tn_event_get_id (created));
  g_assert_cmpint (tn_event_get_version (local), ==, 1);
  g_assert_false (tn_event_replica_is_pending (f->replica, tn_event_get_id (created)));
}

/* The organizer edits offline; another client edits the same event on
 * the server meanwhile. */
static char *
stale_edit (Fixture *f)
{
  g_autofree char *id = server_event (f, "Board games");
  g_autofree char *path = g_strconcat ("/api/v1/events/", id, NULL);
  g_autoptr(TnEvent) event = NULL;
  g_autoptr(JsonObject) theirs = NULL;
  g_autoptr(GError) error = NULL;

  start_engine (f);
  wait_synced (f);
  drop_engine (f);

  event = tn_event_replica_get (f->replica, id);
  g_assert_nonnull (event);
  g_assert_cmpint (tn_event_get_version (event), ==, 1);
  tn_event_set_title (event, "Board games (mine)");
  g_assert_true (tn_event_replica_update (f->replica, event, NULL, &error));
  g_assert_no_error (error);
  tn_event_set_location (event, "Back room");
  g_assert_true (tn_event_replica_update (f->replica, event, NULL, &error));
  g_assert_no_error (error);
  /* two edits, one update on the first base version */
  g_assert_cmpuint (tn_event_replica_outbox_size (f->replica), ==, 1);

  theirs = call (f, "PATCH", path, "{\"title\":\"Board games (theirs)\"}", "\"1\"", 200);
  g_assert_cmpint (tn_json_object_get_int (theirs, "version", 0), ==, 2);

  start_engine (f);
  g_assert_true (tn_test_wait_until (has_conflict, f, WAIT_MS));
  g_assert_cmpstr (f->conflict_id, ==, id);
  g_assert_cmpstr (tn_event_get_title (f->conflict_local), ==, "Board games (mine)");
  g_assert_cmpstr (tn_event_get_title (f->conflict_server), ==, "Board games (theirs)");
  g_assert_cmpint (tn_event_get_version (f->conflict_server), ==, 2);

  /* not retried, not lost, not overwritten by the pulls that follow */
  wait_synced (f);
  wait_synced (f);
  g_assert_cmpuint (f->conflicts, ==, 1);
  g_assert_cmpuint (tn_event_sync_get_pending (f->engine), ==, 1);
  g_clear_object (&event);
  event = tn_event_replica_get (f->replica, id);
  g_assert_cmpstr (tn_event_get_title (event), ==, "Board games (mine)");
  {
    g_autoptr(JsonObject) now = get_on_server (f, id);

    g_assert_cmpint (tn_json_object_get_int (now, "version", 0), ==, 2);
  }
  return g_steal_pointer (&id);
}

static void
test_conflict_keep_mine (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *id = stale_edit (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) stored = NULL;
  g_autoptr(TnEvent) local = NULL;

  g_assert_true (tn_event_sync_resolve (f->engine, id, TN_EVENT_SYNC_KEEP_MINE, &error));
  g_assert_no_error (error);
  g_assert_true (tn_test_wait_until (online_and_delivered, f, WAIT_MS));
  stored = get_on_server (f, id);
  g_assert_cmpstr (tn_json_object_get_string (stored, "title"), ==, "Board games (mine)");
  g_assert_cmpstr (tn_json_object_get_string (stored, "location"), ==, "Back room");
  g_assert_cmpint (tn_json_object_get_int (stored, "version", 0), ==, 3);
  local = tn_event_replica_get (f->replica, id);
  g_assert_cmpstr (tn_event_get_title (local), ==, "Board games (mine)");
  g_assert_cmpint (tn_event_get_version (local), ==, 3);
  g_assert_cmpuint (f->conflicts, ==, 1);
}

static void
test_conflict_keep_theirs (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *id = stale_edit (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) stored = NULL;
  g_autoptr(TnEvent) local = NULL;

  g_assert_true (tn_event_sync_resolve (f->engine, id, TN_EVENT_SYNC_KEEP_THEIRS, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tn_event_sync_get_pending (f->engine), ==, 0);
  local = tn_event_replica_get (f->replica, id);
  g_assert_cmpstr (tn_event_get_title (local), ==, "Board games (theirs)");
  g_assert_cmpint (tn_event_get_version (local), ==, 2);
  g_assert_false (tn_event_replica_is_pending (f->replica, id));
  wait_synced (f);
  stored = get_on_server (f, id);
  g_assert_cmpstr (tn_json_object_get_string (stored, "title"), ==, "Board games (theirs)");
  g_assert_cmpint (tn_json_object_get_int (stored, "version", 0), ==, 2);
}

/* Cancelled and deleted with no engine running (the app offline and
 * closed); the outbox is in the file, for a new replica object. */
static void
test_cancel_delete_restart (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *a = server_event (f, "To cancel");
  g_autofree char *b = server_event (f, "To delete");
  g_autofree char *b_path = g_strconcat ("/api/v1/events/", b, NULL);
  g_autoptr(TnEvent) cancelled = NULL;
  g_autoptr(TnEvent) deleted = NULL;
  g_autoptr(JsonObject) stored = NULL;
  g_autoptr(JsonObject) gone = NULL;
  g_autoptr(GError) error = NULL;

  start_engine (f);
  wait_synced (f);
  drop_engine (f);

  g_assert_true (tn_event_replica_cancel (f->replica, a, &error));
  g_assert_no_error (error);
  g_assert_true (tn_event_replica_delete (f->replica, b, &error));
  g_assert_no_error (error);
  cancelled = tn_event_replica_get (f->replica, a);
  g_assert_cmpint (tn_event_get_status (cancelled), ==, TN_EVENT_STATUS_CANCELLED);
  g_assert_null (tn_event_replica_get (f->replica, b));

  /* the app restarts */
  g_clear_object (&f->replica);
  f->replica = tn_event_replica_open_path (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tn_event_replica_outbox_size (f->replica), ==, 2);
  g_clear_object (&cancelled);
  cancelled = tn_event_replica_get (f->replica, a);
  g_assert_cmpint (tn_event_get_status (cancelled), ==, TN_EVENT_STATUS_CANCELLED);

  start_engine (f);
  g_assert_cmpuint (tn_event_sync_get_pending (f->engine), ==, 2);
  g_assert_true (tn_test_wait_until (online_and_delivered, f, WAIT_MS));
  stored = get_on_server (f, a);
  g_assert_cmpstr (tn_json_object_get_string (stored, "status"), ==, "cancelled");
  gone = call (f, "GET", b_path, NULL, NULL, 404);
  wait_synced (f);
  g_assert_null (tn_event_replica_get (f->replica, b));
  deleted = tn_event_replica_get_server_copy (f->replica, b);
  g_assert_null (deleted);
}

/* The organizer cancels (or deletes) offline an event that another
 * client edits on the server meanwhile: the cancellation was decided on
 * version 1 and is sent with If-Match "1", so it is a conflict, not a
 * silent overwrite of the newer version. */
static char *
stale_cancel (Fixture             *f,
              TnEventMutationKind  kind)
{
  g_autofree char *id = server_event (f, "Picnic");
  g_autofree char *path = g_strconcat ("/api/v1/events/", id, NULL);
  g_autoptr(TnEvent) event = NULL;
  g_autoptr(JsonObject) theirs = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (kind == TN_EVENT_MUTATION_CANCEL || kind == TN_EVENT_MUTATION_DELETE);
  start_engine (f);
  wait_synced (f);
  drop_engine (f);

  if (kind == TN_EVENT_MUTATION_CANCEL)
    g_assert_true (tn_event_replica_cancel (f->replica, id, &error));
  else
    g_assert_true (tn_event_replica_delete (f->replica, id, &error));
  g_assert_no_error (error);
  entries = tn_event_replica_outbox_list (f->replica);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpint (((TnEventMutation *) g_ptr_array_index (entries, 0))->base_version, ==, 1);

  theirs = call (f, "PATCH", path, "{\"title\":\"Picnic (indoors)\"}", "\"1\"", 200);
  g_assert_cmpint (tn_json_object_get_int (theirs, "version", 0), ==, 2);

  start_engine (f);
  g_assert_true (tn_test_wait_until (has_conflict, f, WAIT_MS));
  g_assert_cmpstr (f->conflict_id, ==, id);
  if (kind == TN_EVENT_MUTATION_CANCEL)
    {
      g_assert_cmpstr (tn_event_get_title (f->conflict_local), ==, "Picnic");
      g_assert_cmpint (tn_event_get_status (f->conflict_local), ==, TN_EVENT_STATUS_CANCELLED);
    }
  else
    g_assert_null (f->conflict_local);   /* deleted here */
  g_assert_cmpstr (tn_event_get_title (f->conflict_server), ==, "Picnic (indoors)");
  g_assert_cmpint (tn_event_get_status (f->conflict_server), ==, TN_EVENT_STATUS_SCHEDULED);
  g_assert_cmpint (tn_event_get_version (f->conflict_server), ==, 2);

  /* not retried, not lost; the server keeps the newer version */
  wait_synced (f);
  wait_synced (f);
  g_assert_cmpuint (f->conflicts, ==, 1);
  g_assert_cmpuint (tn_event_sync_get_pending (f->engine), ==, 1);
  {
    g_autoptr(JsonObject) now = get_on_server (f, id);

    g_assert_cmpstr (tn_json_object_get_string (now, "status"), ==, "scheduled");
    g_assert_cmpint (tn_json_object_get_int (now, "version", 0), ==, 2);
  }
  return g_steal_pointer (&id);
}

static void
test_cancel_stale_keep_mine (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *id = stale_cancel (f, TN_EVENT_MUTATION_CANCEL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) stored = NULL;
  g_autoptr(TnEvent) local = NULL;

  /* sent again with If-Match "2": cancelled, their title kept */
  g_assert_true (tn_event_sync_resolve (f->engine, id, TN_EVENT_SYNC_KEEP_MINE, &error));
  g_assert_no_error (error);
  g_assert_true (tn_test_wait_until (online_and_delivered, f, WAIT_MS));
  stored = get_on_server (f, id);
  g_assert_cmpstr (tn_json_object_get_string (stored, "status"), ==, "cancelled");
  g_assert_cmpstr (tn_json_object_get_string (stored, "title"), ==, "Picnic (indoors)");
  g_assert_cmpint (tn_json_object_get_int (stored, "version", 0), ==, 3);
  local = tn_event_replica_get (f->replica, id);
  g_assert_cmpint (tn_event_get_status (local), ==, TN_EVENT_STATUS_CANCELLED);
  g_assert_cmpstr (tn_event_get_title (local), ==, "Picnic (indoors)");
  g_assert_cmpint (tn_event_get_version (local), ==, 3);
  g_assert_cmpuint (f->conflicts, ==, 1);
}

static void
test_cancel_stale_keep_theirs (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *id = stale_cancel (f, TN_EVENT_MUTATION_CANCEL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) stored = NULL;
  g_autoptr(TnEvent) local = NULL;

  /* the cancellation is dropped here and never sent */
  g_assert_true (tn_event_sync_resolve (f->engine, id, TN_EVENT_SYNC_KEEP_THEIRS, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tn_event_sync_get_pending (f->engine), ==, 0);
  local = tn_event_replica_get (f->replica, id);
  g_assert_cmpint (tn_event_get_status (local), ==, TN_EVENT_STATUS_SCHEDULED);
  g_assert_cmpstr (tn_event_get_title (local), ==, "Picnic (indoors)");
  g_assert_cmpint (tn_event_get_version (local), ==, 2);
  wait_synced (f);
  stored = get_on_server (f, id);
  g_assert_cmpstr (tn_json_object_get_string (stored, "status"), ==, "scheduled");
  g_assert_cmpint (tn_json_object_get_int (stored, "version", 0), ==, 2);
  g_assert_cmpuint (f->conflicts, ==, 1);
}

static void
test_delete_stale_keep_mine (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *id = stale_cancel (f, TN_EVENT_MUTATION_DELETE);
  g_autofree char *path = g_strconcat ("/api/v1/events/", id, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) gone = NULL;

  g_assert_null (tn_event_replica_get (f->replica, id));
  g_assert_true (tn_event_sync_resolve (f->engine, id, TN_EVENT_SYNC_KEEP_MINE, &error));
  g_assert_no_error (error);
  g_assert_true (tn_test_wait_until (online_and_delivered, f, WAIT_MS));
  gone = call (f, "GET", path, NULL, NULL, 404);
  wait_synced (f);
  g_assert_null (tn_event_replica_get (f->replica, id));
  g_assert_null (tn_event_replica_get_server_copy (f->replica, id));
  g_assert_cmpuint (f->conflicts, ==, 1);
}

static void
test_delete_stale_keep_theirs (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *id = stale_cancel (f, TN_EVENT_MUTATION_DELETE);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) stored = NULL;
  g_autoptr(TnEvent) local = NULL;

  g_assert_true (tn_event_sync_resolve (f->engine, id, TN_EVENT_SYNC_KEEP_THEIRS, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tn_event_sync_get_pending (f->engine), ==, 0);
  local = tn_event_replica_get (f->replica, id);
  g_assert_nonnull (local);
  g_assert_cmpstr (tn_event_get_title (local), ==, "Picnic (indoors)");
  g_assert_cmpint (tn_event_get_version (local), ==, 2);
  wait_synced (f);
  stored = get_on_server (f, id);
  g_assert_cmpint (tn_json_object_get_int (stored, "version", 0), ==, 2);
  g_assert_cmpuint (f->conflicts, ==, 1);
}

/* An edit then a cancellation, both offline: the cancellation was made
 * on the edit, so once the edit is confirmed it goes on the version the
 * edit made, without a conflict with the organizer's own edit. */
static void
test_update_then_cancel (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *id = server_event (f, "Quiz night");
  g_autoptr(TnEvent) event = NULL;
  g_autoptr(JsonObject) stored = NULL;
  g_autoptr(GError) error = NULL;

  start_engine (f);
  wait_synced (f);
  drop_engine (f);
  event = tn_event_replica_get (f->replica, id);
  tn_event_set_title (event, "Quiz night (last one)");
  g_assert_true (tn_event_replica_update (f->replica, event, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (tn_event_replica_cancel (f->replica, id, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tn_event_replica_outbox_size (f->replica), ==, 2);

  start_engine (f);
  g_assert_true (tn_test_wait_until (online_and_delivered, f, WAIT_MS));
  stored = get_on_server (f, id);
  g_assert_cmpstr (tn_json_object_get_string (stored, "title"), ==, "Quiz night (last one)");
  g_assert_cmpstr (tn_json_object_get_string (stored, "status"), ==, "cancelled");
  g_assert_cmpint (tn_json_object_get_int (stored, "version", 0), ==, 3);
  g_assert_cmpuint (f->conflicts, ==, 0);
}

/* Cancelled here and, meanwhile, on the server: nothing to ask. */
static void
test_cancel_cancelled_meanwhile (Fixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *id = server_event (f, "Rained off");
  g_autofree char *cancel_path = g_strconcat ("/api/v1/events/", id, "/cancel", NULL);
  g_autoptr(TnEvent) local = NULL;
  g_autoptr(JsonObject) theirs = NULL;
  g_autoptr(GError) error = NULL;

  start_engine (f);
  wait_synced (f);
  drop_engine (f);
  g_assert_true (tn_event_replica_cancel (f->replica, id, &error));
  g_assert_no_error (error);
  theirs = call (f, "POST", cancel_path, NULL, "\"1\"", 200);
  g_assert_cmpint (tn_json_object_get_int (theirs, "version", 0), ==, 2);

  start_engine (f);
  g_assert_true (tn_test_wait_until (online_and_delivered, f, WAIT_MS));
  wait_synced (f);
  local = tn_event_replica_get (f->replica, id);
  g_assert_cmpint (tn_event_get_status (local), ==, TN_EVENT_STATUS_CANCELLED);
  g_assert_cmpint (tn_event_get_version (local), ==, 2);
  g_assert_cmpuint (f->conflicts, ==, 0);
}

/* An edit of an event deleted on the server meanwhile is dropped. */
static void
test_edit_gone (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *id = server_event (f, "Short-lived");
  g_autofree char *path = g_strconcat ("/api/v1/events/", id, NULL);
  g_autoptr(TnEvent) event = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) error = NULL;

  start_engine (f);
  wait_synced (f);
  drop_engine (f);
  event = tn_event_replica_get (f->replica, id);
  tn_event_set_title (event, "Short-lived, renamed");
  g_assert_true (tn_event_replica_update (f->replica, event, NULL, &error));
  g_assert_no_error (error);
  answer = call (f, "DELETE", path, NULL, NULL, 204);

  start_engine (f);
  g_assert_true (tn_test_wait_until (has_gone, f, WAIT_MS));
  g_assert_true (tn_test_wait_until (online_and_delivered, f, WAIT_MS));
  g_assert_null (tn_event_replica_get (f->replica, id));
}

/* A file made 0600 in a 0700 directory. */
static void
test_replica_file (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *dir = g_path_get_dirname (f->path);
  GStatBuf st;

  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
}

static const TestData in_thread = { FALSE };
static const TestData as_process = { TRUE };

int
main (int    argc,
      char **argv)
{
  tn_test_init (&argc, &argv);

#define ADD(path, data, func) g_test_add (path, Fixture, &data, fixture_setup, func, fixture_teardown)
  ADD ("/common/event-sync/replica-file", in_thread, test_replica_file);
  ADD ("/common/event-sync/create-offline", as_process, test_create_offline);
  ADD ("/common/event-sync/create-retried", in_thread, test_create_retried);
  ADD ("/common/event-sync/conflict-keep-mine", in_thread, test_conflict_keep_mine);
  ADD ("/common/event-sync/conflict-keep-theirs", in_thread, test_conflict_keep_theirs);
  ADD ("/common/event-sync/cancel-delete-restart", in_thread, test_cancel_delete_restart);
  ADD ("/common/event-sync/edit-gone", in_thread, test_edit_gone);
  ADD ("/common/event-sync/cancel-stale-keep-mine", in_thread, test_cancel_stale_keep_mine);
  ADD ("/common/event-sync/cancel-stale-keep-theirs", in_thread, test_cancel_stale_keep_theirs);
  ADD ("/common/event-sync/delete-stale-keep-mine", in_thread, test_delete_stale_keep_mine);
  ADD ("/common/event-sync/delete-stale-keep-theirs", in_thread, test_delete_stale_keep_theirs);
  ADD ("/common/event-sync/update-then-cancel", in_thread, test_update_then_cancel);
  ADD ("/common/event-sync/cancel-cancelled-meanwhile", in_thread, test_cancel_cancelled_meanwhile);
#undef ADD

  return g_test_run ();
}
