/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The door's HTTP calls and its sync engine, against a fake server.
 *
 * The fake: the server side of docs/CHECKIN.md (/api/v1/devices,
 * /api/v1/checkins, /api/v1/sync) is being written on another branch and
 * does not exist in this one yet. Until it does, a small SoupServer in its
 * own thread answers the contract's JSON, so the client and the engine are
 * tested as they will talk to the real server. Once the routes land, these
 * tests should move to tn_test_server_new() and the fake should go. */
#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "tn-client.h"
#include "tn-error.h"
#include "tn-json.h"
#include "tn-replica.h"
#include "tn-signed-ticket.h"
#include "tn-sync-engine.h"
#include "tn-ticket-code.h"
#include "tn-test-utils.h"

#define EVENT_ID     "01932c7e-5a10-7c3d-9f00-0123456789ab"
#define DEVICE_ID    "01932c7e-0000-7000-8000-00000000d001"
#define DEVICE_TOKEN "tnd_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG"
#define PAIRING_CODE "7K2Q-MW9D-X4T1"
#define ATTENDEES    25
#define WAIT_MS      5000

/* --- the fake server ----------------------------------------------------- */

typedef enum
{
  FAKE_ANSWER,    /* answers as the contract says */
  FAKE_SLEEP,     /* holds every request without answering */
  FAKE_REVOKED,   /* the device was revoked: 401 device_revoked */
} FakeMode;

typedef struct
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  char         *url;
  char         *public_key;    /* base64 */

  GMutex        lock;
  GCond         ready;
  FakeMode      mode;
  GPtrArray    *changes;       /* JSON text of each change; seq = index + 1 */
  GHashTable   *verdicts;      /* scan id → verdict stored */
  GHashTable   *refuse;        /* code → verdict to give instead of accepted */
  GPtrArray    *held;          /* SoupServerMessage held in FAKE_SLEEP */
  guint         posted;        /* scans received */
  guint         syncs;         /* sync requests answered */
  guint         page_size;     /* changes per page when the door asks for no limit */
} FakeServer;

static void
fake_reply (SoupServerMessage *msg,
            guint              status,
            const char        *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json, strlen (json));
}

static void
fake_reply_error (SoupServerMessage *msg,
                  guint              status,
                  const char        *code)
{
  g_autofree char *json = g_strdup_printf ("{\"error\": {\"code\": \"%s\", \"message\": \"%s\"}}", code, code);

  fake_reply (msg, status, json);
}

static void
fake_held_finished_cb (SoupServerMessage *msg,
                       FakeServer        *fake)
{
  g_mutex_lock (&fake->lock);
  g_ptr_array_remove (fake->held, msg);
  g_mutex_unlock (&fake->lock);
}

/* On the server's thread: answers what was held, 503, now that the fake
 * is awake again (the client gave up on them long ago). */
static gboolean
fake_release_held (gpointer data)
{
  FakeServer *fake = data;
  g_autoptr(GPtrArray) held = NULL;

  g_mutex_lock (&fake->lock);
  held = g_steal_pointer (&fake->held);
  fake->held = g_ptr_array_new_with_free_func (g_object_unref);
  g_mutex_unlock (&fake->lock);

  for (guint i = 0; i < held->len; i++)
    {
      SoupServerMessage *msg = g_ptr_array_index (held, i);

      g_signal_handlers_disconnect_by_func (msg, fake_held_finished_cb, fake);
      fake_reply_error (msg, 503, "internal");
      soup_server_message_unpause (msg);
    }
  return G_SOURCE_REMOVE;
}

static gboolean
fake_authorized (SoupServerMessage *msg)
{
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");

  return g_strcmp0 (auth, "Bearer " DEVICE_TOKEN) == 0;
}

static void
fake_pair (FakeServer        *fake,
           SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(JsonObject) request = tn_json_parse_object (body->data, body->length, NULL);

  /* pairing goes without Authorization */
  if (soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization") != NULL)
    {
      fake_reply_error (msg, 400, "bad_request");
      return;
    }
  if (request == NULL || g_strcmp0 (tn_json_object_get_string (request, "pairing_code"), PAIRING_CODE) != 0)
    {
      fake_reply_error (msg, 401, "unauthorized");
      return;
    }
  {
    g_autofree char *json = g_strdup_printf (
      "{\"device\": {\"id\": \"" DEVICE_ID "\", \"event_id\": \"" EVENT_ID "\", \"name\": \"%s\", "
      "\"role\": \"steward\", \"created_at\": \"2030-01-01T10:00:00Z\", "
      "\"last_seen_at\": null, \"revoked_at\": null}, \"token\": \"" DEVICE_TOKEN "\"}",
      tn_json_object_get_string (request, "name"));

    fake_reply (msg, 201, json);
  }
}

static void
fake_checkins (FakeServer        *fake,
               SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(JsonObject) request = tn_json_parse_object (body->data, body->length, NULL);
  g_autoptr(GString) results = g_string_new ("{\"results\": [");
  JsonArray *scans;

  if (request == NULL || !json_object_has_member (request, "scans"))
    {
      fake_reply_error (msg, 400, "bad_request");
      return;
    }
  scans = json_object_get_array_member (request, "scans");
  if (json_array_get_length (scans) < 1 || json_array_get_length (scans) > 1000)
    {
      fake_reply_error (msg, 422, "validation_failed");
      return;
    }
  for (guint i = 0; i < json_array_get_length (scans); i++)
    {
      JsonObject *scan = json_array_get_object_element (scans, i);
      const char *id = tn_json_object_get_string (scan, "id");
      const char *code = tn_json_object_get_string (scan, "code");
      const char *local = tn_json_object_get_string (scan, "local_verdict");
      const char *verdict;

      if (id == NULL || code == NULL || tn_json_object_get_string (scan, "scanned_at") == NULL ||
          g_strcmp0 (tn_json_object_get_string (scan, "event_id"), EVENT_ID) != 0)
        {
          fake_reply_error (msg, 422, "validation_failed");
          return;
        }
      verdict = g_hash_table_lookup (fake->verdicts, id);
      if (verdict == NULL)
        {
          g_autofree char *change = NULL;

          verdict = g_hash_table_lookup (fake->refuse, code);
          if (verdict == NULL)
            verdict = "accepted";
          g_hash_table_insert (fake->verdicts, g_strdup (id), (char *) verdict);
          fake->posted++;
          /* every door's scans travel in the sync data */
          change = g_strdup_printf ("{\"seq\": %u, \"type\": \"checkin\", \"checkin\": {\"id\": \"%s\", "
                                    "\"code\": \"%s\", \"attendee_id\": null, \"direction\": \"%s\", "
                                    "\"scanned_at\": \"%s\", \"received_at\": \"%s\", \"device\": \"%s\", "
                                    "\"verdict\": \"%s\", \"flagged\": %s, \"undone\": false}}",
                                    fake->changes->len + 1, id, code,
                                    tn_json_object_get_string (scan, "direction"),
                                    tn_json_object_get_string (scan, "scanned_at"),
                                    tn_json_object_get_string (scan, "scanned_at"),
                                    tn_json_object_get_string (scan, "device"), verdict,
                                    g_strcmp0 (local, "accepted") == 0 && !g_str_equal (verdict, "accepted") ? "true" : "false");
          g_ptr_array_add (fake->changes, g_steal_pointer (&change));
        }
      g_string_append_printf (results, "%s{\"id\": \"%s\", \"verdict\": \"%s\", \"flagged\": %s}",
                              i > 0 ? ", " : "", id, verdict,
                              g_strcmp0 (local, "accepted") == 0 && !g_str_equal (verdict, "accepted") ? "true" : "false");
    }
  g_string_append (results, "]}");
  fake_reply (msg, 200, results->str);
}

static void
fake_sync (FakeServer        *fake,
           SoupServerMessage *msg)
{
  GHashTable *query = soup_server_message_get_uri (msg) != NULL
                      ? soup_form_decode (g_uri_get_query (soup_server_message_get_uri (msg)) != NULL
                                          ? g_uri_get_query (soup_server_message_get_uri (msg)) : "")
                      : NULL;
  const char *since_text = query != NULL ? g_hash_table_lookup (query, "since") : NULL;
  const char *limit_text = query != NULL ? g_hash_table_lookup (query, "limit") : NULL;
  guint since = since_text != NULL ? (guint) g_ascii_strtoull (since_text, NULL, 10) : 0;
  guint limit = limit_text != NULL ? (guint) g_ascii_strtoull (limit_text, NULL, 10) : fake->page_size;
  g_autoptr(GString) page = g_string_new (NULL);
  guint end;

  if (query == NULL || g_strcmp0 (g_hash_table_lookup (query, "event_id"), EVENT_ID) != 0)
    {
      g_clear_pointer (&query, g_hash_table_unref);
      fake_reply_error (msg, 404, "not_found");
      return;
    }
  g_hash_table_unref (query);

  end = MIN (fake->changes->len, since + limit);
  g_string_append_printf (page, "{\"event\": {\"id\": \"" EVENT_ID "\", \"title\": \"Door test\", "
                                "\"public_key\": \"%s\"}, \"changes\": [", fake->public_key);
  for (guint i = since; i < end; i++)
    g_string_append_printf (page, "%s%s", i > since ? ", " : "", (char *) g_ptr_array_index (fake->changes, i));
  g_string_append_printf (page, "], \"cursor\": %u, \"more\": %s}", MAX (end, since),
                          end < fake->changes->len ? "true" : "false");
  fake->syncs++;
  fake_reply (msg, 200, page->str);
}

static void
fake_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  FakeServer *fake = user_data;
  const char *method = soup_server_message_get_method (msg);

  g_mutex_lock (&fake->lock);
  if (fake->mode == FAKE_SLEEP)
    {
      g_ptr_array_add (fake->held, g_object_ref (msg));
      g_signal_connect (msg, "finished", G_CALLBACK (fake_held_finished_cb), fake);
      soup_server_message_pause (msg);
    }
  else if (g_str_equal (path, "/api/v1/devices") && g_str_equal (method, "POST"))
    fake_pair (fake, msg);
  else if (!fake_authorized (msg))
    fake_reply_error (msg, 401, "unauthorized");
  else if (fake->mode == FAKE_REVOKED)
    fake_reply_error (msg, 401, "device_revoked");
  else if (g_str_equal (path, "/api/v1/checkins") && g_str_equal (method, "POST"))
    fake_checkins (fake, msg);
  else if (g_str_equal (path, "/api/v1/sync") && g_str_equal (method, "GET"))
    fake_sync (fake, msg);
  else
    fake_reply_error (msg, 404, "not_found");
  g_mutex_unlock (&fake->lock);
}

static gpointer
fake_thread (gpointer data)
{
  FakeServer *fake = data;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (fake->context);
  fake->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fake->server, NULL, fake_handler, fake, NULL);
  if (!soup_server_listen_local (fake->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("fake server: %s", error->message);
  uris = soup_server_get_uris (fake->server);
  g_mutex_lock (&fake->lock);
  fake->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_cond_signal (&fake->ready);
  g_mutex_unlock (&fake->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (fake->loop);

  fake_release_held (fake);
  soup_server_disconnect (fake->server);
  g_clear_object (&fake->server);
  g_main_context_pop_thread_default (fake->context);
  return NULL;
}

static FakeServer *
fake_server_new (const guint8 public_key[TN_SIGNED_TICKET_PUBLIC_KEY])
{
  FakeServer *fake = g_new0 (FakeServer, 1);

  g_mutex_init (&fake->lock);
  g_cond_init (&fake->ready);
  fake->public_key = g_base64_encode (public_key, TN_SIGNED_TICKET_PUBLIC_KEY);
  fake->changes = g_ptr_array_new_with_free_func (g_free);
  fake->verdicts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  fake->refuse = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  fake->held = g_ptr_array_new_with_free_func (g_object_unref);
  fake->page_size = 1000;
  fake->context = g_main_context_new ();
  fake->loop = g_main_loop_new (fake->context, FALSE);

  g_mutex_lock (&fake->lock);
  fake->thread = g_thread_new ("fake-server", fake_thread, fake);
  while (fake->url == NULL)
    g_cond_wait (&fake->ready, &fake->lock);
  g_mutex_unlock (&fake->lock);
  return fake;
}

static gboolean
fake_quit (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
fake_server_free (FakeServer *fake)
{
  g_main_context_invoke (fake->context, fake_quit, fake->loop);
  g_thread_join (fake->thread);
  g_main_loop_unref (fake->loop);
  g_main_context_unref (fake->context);
  g_ptr_array_unref (fake->changes);
  g_ptr_array_unref (fake->held);
  g_hash_table_unref (fake->verdicts);
  g_hash_table_unref (fake->refuse);
  g_free (fake->public_key);
  g_free (fake->url);
  g_mutex_clear (&fake->lock);
  g_cond_clear (&fake->ready);
  g_free (fake);
}

static void
fake_set_mode (FakeServer *fake,
               FakeMode    mode)
{
  g_mutex_lock (&fake->lock);
  fake->mode = mode;
  g_mutex_unlock (&fake->lock);
  if (mode != FAKE_SLEEP)
    g_main_context_invoke (fake->context, fake_release_held, fake);
}

static void
fake_add_attendee (FakeServer *fake,
                   const char *id,
                   const char *name,
                   const char *code)
{
  g_mutex_lock (&fake->lock);
  g_ptr_array_add (fake->changes, g_strdup_printf (
    "{\"seq\": %u, \"type\": \"attendee\", \"attendee\": {\"id\": \"%s\", \"event_id\": \"" EVENT_ID "\", "
    "\"user_id\": null, \"name\": \"%s\", \"email\": \"x@example.org\", \"status\": \"going\", "
    "\"waitlist_position\": null, \"ticket_code\": \"%s\", \"signed_ticket\": null, \"ticket_type\": \"\", "
    "\"note\": \"\", \"created_at\": \"2030-01-01T10:00:00Z\", \"updated_at\": \"2030-01-01T10:00:00Z\"}}",
    fake->changes->len + 1, id, name, code));
  g_mutex_unlock (&fake->lock);
}

static void
fake_refuse (FakeServer *fake,
             const char *code,
             const char *verdict)
{
  g_mutex_lock (&fake->lock);
  g_hash_table_insert (fake->refuse, g_strdup (code), (char *) verdict);
  g_mutex_unlock (&fake->lock);
}

static guint
fake_posted (FakeServer *fake)
{
  guint n;

  g_mutex_lock (&fake->lock);
  n = fake->posted;
  g_mutex_unlock (&fake->lock);
  return n;
}

/* --- fixture ------------------------------------------------------------- */

typedef struct
{
  guint8      public_key[TN_SIGNED_TICKET_PUBLIC_KEY];
  guint8      secret_key[TN_SIGNED_TICKET_SECRET_KEY];
  FakeServer *fake;
  TnClient   *client;
  GPtrArray  *codes;
  GAsyncResult *result;
  TnReplica    *replica;
  TnSyncEngine *engine;
  GPtrArray    *conflicts;
  guint         undelivered;
  gboolean      revoked;
  gint64        last_sync;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  tn_signed_ticket_new_keypair (f->public_key, f->secret_key);
  f->fake = fake_server_new (f->public_key);
  f->codes = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < ATTENDEES; i++)
    {
      g_autofree char *id = g_strdup_printf ("attendee-%02u", i);
      g_autofree char *name = g_strdup_printf ("Guest %02u", i);
      char *code = tn_ticket_code_new ();

      fake_add_attendee (f->fake, id, name, code);
      g_ptr_array_add (f->codes, code);
    }
  f->client = tn_client_new (f->fake->url);
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
  g_clear_pointer (&f->fake, fake_server_free);
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
  g_clear_object (&f->result);
  g_assert_true (tn_test_wait_until (has_result, f, WAIT_MS));
  return f->result;
}

/* --- the client's calls -------------------------------------------------- */

static void
test_client_pair (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) device = NULL;

  /* a signed-in user's token is not sent along */
  tn_client_set_token (f->client, "tno_user_token");
  tn_client_pair_device_async (f->client, "WRONG-CODE-0000", "North door", NULL, store_result_cb, f);
  g_assert_null (tn_client_pair_device_finish (f->client, wait_result (f), &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_UNAUTHORIZED);
  g_assert_cmpstr (tn_client_get_token (f->client), ==, "tno_user_token");
  g_clear_error (&error);

  tn_client_pair_device_async (f->client, PAIRING_CODE, "North door", NULL, store_result_cb, f);
  device = tn_client_pair_device_finish (f->client, wait_result (f), &error);
  g_assert_no_error (error);
  g_assert_nonnull (device);
  g_assert_cmpstr (json_object_get_string_member (device, "id"), ==, DEVICE_ID);
  g_assert_cmpstr (json_object_get_string_member (device, "event_id"), ==, EVENT_ID);
  g_assert_cmpstr (json_object_get_string_member (device, "name"), ==, "North door");
  g_assert_cmpstr (tn_client_get_token (f->client), ==, DEVICE_TOKEN);
}

static JsonObject *
scan_json (const char *id,
           const char *code)
{
  JsonObject *scan = json_object_new ();

  json_object_set_string_member (scan, "id", id);
  json_object_set_string_member (scan, "event_id", EVENT_ID);
  json_object_set_string_member (scan, "code", code);
  json_object_set_string_member (scan, "direction", "in");
  json_object_set_string_member (scan, "scanned_at", "2030-06-01T18:00:00Z");
  json_object_set_string_member (scan, "device", DEVICE_ID);
  json_object_set_string_member (scan, "local_verdict", "accepted");
  return scan;
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
  JsonObject *result;

  tn_client_set_token (f->client, DEVICE_TOKEN);
  fake_refuse (f->fake, g_ptr_array_index (f->codes, 1), "duplicate");
  json_array_add_object_element (scans, scan_json ("scan-1", g_ptr_array_index (f->codes, 0)));
  json_array_add_object_element (scans, scan_json ("scan-2", g_ptr_array_index (f->codes, 1)));
  tn_client_post_checkins_async (f->client, scans, NULL, store_result_cb, f);
  results = tn_client_post_checkins_finish (f->client, wait_result (f), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (results), ==, 2);
  result = json_array_get_object_element (results, 1);
  g_assert_cmpstr (json_object_get_string_member (result, "id"), ==, "scan-2");
  g_assert_cmpstr (json_object_get_string_member (result, "verdict"), ==, "duplicate");
  g_assert_true (json_object_get_boolean_member (result, "flagged"));

  /* posted again: the same answer, nothing stored twice */
  g_clear_pointer (&results, json_array_unref);
  tn_client_post_checkins_async (f->client, scans, NULL, store_result_cb, f);
  results = tn_client_post_checkins_finish (f->client, wait_result (f), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 1), "verdict"), ==, "duplicate");
  g_assert_cmpuint (fake_posted (f->fake), ==, 2);

  tn_client_sync_async (f->client, EVENT_ID, NULL, 10, NULL, store_result_cb, f);
  page = tn_client_sync_finish (f->client, wait_result (f), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "changes")), ==, 10);
  g_assert_true (json_object_get_boolean_member (page, "more"));
  g_assert_cmpint (json_object_get_int_member (page, "cursor"), ==, 10);
  g_assert_nonnull (json_object_get_string_member (json_object_get_object_member (page, "event"), "public_key"));

  tn_client_sync_async (f->client, EVENT_ID, "20", 0, NULL, store_result_cb, f);
  last = tn_client_sync_finish (f->client, wait_result (f), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (last, "changes")), ==, ATTENDEES + 2 - 20);
  g_assert_false (json_object_get_boolean_member (last, "more"));
}

static void
test_client_revoked (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) scans = json_array_new ();

  tn_client_set_token (f->client, DEVICE_TOKEN);
  fake_set_mode (f->fake, FAKE_REVOKED);
  tn_client_sync_async (f->client, EVENT_ID, NULL, 0, NULL, store_result_cb, f);
  g_assert_null (tn_client_sync_finish (f->client, wait_result (f), &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_DEVICE_REVOKED);
  g_clear_error (&error);

  json_array_add_object_element (scans, scan_json ("scan-1", g_ptr_array_index (f->codes, 0)));
  tn_client_post_checkins_async (f->client, scans, NULL, store_result_cb, f);
  g_assert_null (tn_client_post_checkins_finish (f->client, wait_result (f), &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_DEVICE_REVOKED);

  /* a plain 401 stays unauthorized */
  g_clear_error (&error);
  tn_client_set_token (f->client, "tnd_wrong");
  tn_client_sync_async (f->client, EVENT_ID, NULL, 0, NULL, store_result_cb, f);
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

/* An engine with short intervals: a request may take 250 ms, a probe
 * every 100 ms, retries after 20 to 200 ms. */
static void
start_engine (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->replica = tn_replica_open (f->fake->url, DEVICE_ID, &error);
  g_assert_no_error (error);
  tn_replica_set_backoff (f->replica, 20 * 1000, 200 * 1000);
  tn_client_set_token (f->client, DEVICE_TOKEN);
  f->engine = tn_sync_engine_new (f->replica, f->client, EVENT_ID);
  g_assert_cmpuint (tn_sync_engine_get_timeout (f->engine), ==, 3000);
  g_object_set (f->engine, "timeout", 250, "probe-interval", 100, NULL);
  f->conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) tn_replica_scan_free);
  g_signal_connect (f->engine, "conflict", G_CALLBACK (conflict_cb), f);
  g_signal_connect (f->engine, "device-revoked", G_CALLBACK (device_revoked_cb), f);
  g_assert_false (tn_sync_engine_get_online (f->engine));
  g_assert_cmpint (tn_sync_engine_get_last_sync (f->engine), ==, 0);
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
                                             direction, DEVICE_ID, &error);

  g_assert_no_error (error);
  g_assert_nonnull (scan);
  return scan;
}

static void
test_engine_sync (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(TnReplicaScan) scan = NULL;
  g_autoptr(TnReplicaScan) stored = NULL;
  g_autofree char *cursor = NULL;
  g_autoptr(JsonObject) event = NULL;
  gint64 first_sync;

  f->fake->page_size = 7;   /* four pages for 25 attendees */
  start_engine (f);
  g_assert_true (tn_test_wait_until (synced, f, WAIT_MS));
  g_assert_true (tn_sync_engine_get_online (f->engine));
  g_assert_cmpuint (tn_replica_count_attendees (f->replica), ==, ATTENDEES);
  cursor = tn_replica_dup_cursor (f->replica);
  g_assert_cmpstr (cursor, ==, "25");
  event = tn_replica_dup_event (f->replica);
  g_assert_cmpstr (json_object_get_string_member (event, "public_key"), ==, f->fake->public_key);

  scan = engine_scan (f, 0, TN_SCAN_IN);
  g_assert_cmpint (scan->verdict, ==, TN_VERDICT_ACCEPTED);
  g_assert_cmpstr (scan->name, ==, "Guest 00");
  first_sync = tn_sync_engine_get_last_sync (f->engine);
  g_assert_true (tn_test_wait_until (online_and_delivered, f, WAIT_MS));
  g_assert_cmpuint (fake_posted (f->fake), ==, 1);

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

  start_engine (f);
  g_assert_true (tn_test_wait_until (synced, f, WAIT_MS));

  /* the server stops answering: verdicts go on, the engine notices */
  fake_set_mode (f->fake, FAKE_SLEEP);
  a = engine_scan (f, 1, TN_SCAN_IN);
  g_assert_cmpint (a->verdict, ==, TN_VERDICT_ACCEPTED);
  g_assert_true (tn_test_wait_until (offline, f, WAIT_MS));
  b = engine_scan (f, 2, TN_SCAN_IN);
  g_assert_cmpint (b->verdict, ==, TN_VERDICT_ACCEPTED);
  a_again = engine_scan (f, 1, TN_SCAN_IN);
  g_assert_cmpint (a_again->verdict, ==, TN_VERDICT_DUPLICATE);
  g_assert_cmpuint (tn_sync_engine_get_pending (f->engine), ==, 3);
  g_assert_cmpuint (fake_posted (f->fake), ==, 0);

  /* it answers again: the probe finds it and the outbox goes */
  fake_set_mode (f->fake, FAKE_ANSWER);
  g_assert_true (tn_test_wait_until (online_and_delivered, f, WAIT_MS));
  g_assert_cmpuint (fake_posted (f->fake), ==, 3);
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

  /* another door let this ticket in first, offline */
  fake_refuse (f->fake, g_ptr_array_index (f->codes, 3), "duplicate");
  start_engine (f);
  g_assert_true (tn_test_wait_until (synced, f, WAIT_MS));
  scan = engine_scan (f, 3, TN_SCAN_IN);
  g_assert_cmpint (scan->verdict, ==, TN_VERDICT_ACCEPTED);
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

  fake_set_mode (f->fake, FAKE_REVOKED);
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

int
main (int    argc,
      char **argv)
{
  tn_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/common/sync-engine/client-pair", test_client_pair);
  ADD ("/common/sync-engine/client-checkins-and-sync", test_client_checkins_and_sync);
  ADD ("/common/sync-engine/client-revoked", test_client_revoked);
  ADD ("/common/sync-engine/engine-sync", test_engine_sync);
  ADD ("/common/sync-engine/engine-offline", test_engine_offline);
  ADD ("/common/sync-engine/engine-conflict", test_engine_conflict);
  ADD ("/common/sync-engine/engine-revoked", test_engine_revoked);
#undef ADD

  return g_test_run ();
}
