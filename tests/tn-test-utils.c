/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <libsoup/soup.h>
#include <sqlite3.h>

#include "tn-auth.h"
#include "tn-demo.h"
#include "tn-json.h"
#include "tn-server.h"
#include "tn-store.h"
#ifdef TN_HAVE_POSTGRES
#include "tn-pg-store.h"
#include <libpq-fe.h>
#endif
#include "tn-test-utils.h"
#include "tn-time.h"

struct _TnTestServer
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  GMutex        lock;
  GCond         cond;
  gboolean      ready;
  gboolean      demo;
  TnTestServerSetupFunc setup;
  gpointer      setup_data;
  char         *dir;
  char         *db_path;
  char         *uri;        /* the store's: sqlite:db_path or a PostgreSQL database's */
  char         *url;
  guint         port;
  TnStore      *store;    /* used on the server thread only */
  TnServer     *server;
};

static gpointer
server_thread (gpointer data)
{
  TnTestServer *self = data;
  g_autoptr(GError) error = NULL;
  g_main_context_push_thread_default (self->context);

  self->store = tn_test_store_open (self->uri, &error);
  g_assert_no_error (error);
  g_assert_true (tn_store_migrate (self->store, &error));
  g_assert_no_error (error);
  if (self->demo)
    {
      g_assert_true (tn_demo_seed (self->store, tn_time_now (), &error));
      g_assert_no_error (error);
    }
  self->server = tn_server_new (self->store);
  if (self->setup != NULL)
    self->setup (self->server, self->setup_data);
  g_assert_true (tn_server_listen (self->server, "127.0.0.1:0", &error));
  g_assert_no_error (error);

  g_mutex_lock (&self->lock);
  self->port = tn_server_get_port (self->server);
  self->url = tn_server_get_url (self->server);
  self->ready = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);

  g_main_loop_run (self->loop);

  /* Let the closed connections finish on this context before it goes. */
  g_clear_object (&self->server);
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_clear_object (&self->store);
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

TnTestServer *
tn_test_server_new (gboolean demo)
{
  return tn_test_server_new_full (demo, NULL, NULL);
}

TnTestServer *
tn_test_server_new_full (gboolean              demo,
                         TnTestServerSetupFunc setup,
                         gpointer              user_data)
{
  TnTestServer *self = g_new0 (TnTestServer, 1);
  g_autoptr(GError) error = NULL;

  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->demo = demo;
  self->setup = setup;
  self->setup_data = user_data;
  self->dir = g_dir_make_tmp ("turnout-test-XXXXXX", &error);
  g_assert_no_error (error);
  self->db_path = g_build_filename (self->dir, "turnout.db", NULL);
  /* under tests/postgres/with-cluster, a new PostgreSQL database */
  self->uri = tn_test_pg_fresh_database ();
  if (self->uri == NULL)
    self->uri = g_strconcat ("sqlite:", self->db_path, NULL);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->thread = g_thread_new ("test-server", server_thread, self);

  g_mutex_lock (&self->lock);
  while (!self->ready)
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);
  return self;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
tn_test_server_free (TnTestServer *self)
{
  const char *names[] = { "turnout.db", "turnout.db-wal", "turnout.db-shm" };

  if (self == NULL)
    return;
  g_main_context_invoke (self->context, quit_loop, self->loop);
  g_thread_join (self->thread);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (self->dir, names[i], NULL);

      g_unlink (path);
    }
  g_rmdir (self->dir);
  g_free (self->dir);
  g_free (self->db_path);
  g_free (self->uri);
  g_free (self->url);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self);
}

const char *
tn_test_server_get_url (TnTestServer *self)
{
  return self->url;
}

guint
tn_test_server_get_port (TnTestServer *self)
{
  return self->port;
}

const char *
tn_test_server_get_db_path (TnTestServer *self)
{
  return self->db_path;
}

/* The URI of the server's database: `sqlite:PATH`, or under
 * tests/postgres/with-cluster a PostgreSQL database's. */
const char *
tn_test_server_get_uri (TnTestServer *self)
{
  return self->uri;
}

/* Runs @sql (no result wanted) on the server's database, whichever
 * backend: for what a test sets up that no route does (a code that has
 * expired). SQL both dialects take. */
void
tn_test_server_exec_sql (TnTestServer *self,
                         const char   *sql)
{
#ifdef TN_HAVE_POSTGRES
  if (g_str_has_prefix (self->uri, "postgresql://"))
    {
      PGconn *conn = PQconnectdb (self->uri);
      PGresult *result = PQexec (conn, sql);

      if (PQresultStatus (result) != PGRES_COMMAND_OK)
        g_error ("%s: %s", sql, PQerrorMessage (conn));
      PQclear (result);
      PQfinish (conn);
      return;
    }
#endif
  {
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (self->db_path, &db), ==, SQLITE_OK);
    sqlite3_busy_timeout (db, 5000);
    if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
      g_error ("%s: %s", sql, sqlite3_errmsg (db));
    sqlite3_close (db);
  }
}

/* Runs @func on the server's thread and waits for it: the store belongs
 * to that thread. */
typedef struct
{
  TnTestServer *server;
  GSourceFunc   func;
  gpointer      data;
  gboolean      done;
} Invocation;

static gboolean
invoke_cb (gpointer data)
{
  Invocation *inv = data;

  inv->func (inv->data);
  g_mutex_lock (&inv->server->lock);
  inv->done = TRUE;
  g_cond_broadcast (&inv->server->cond);
  g_mutex_unlock (&inv->server->lock);
  return G_SOURCE_REMOVE;
}

static void
run_on_server (TnTestServer *self,
               GSourceFunc   func,
               gpointer      data)
{
  Invocation inv = { self, func, data, FALSE };

  g_main_context_invoke (self->context, invoke_cb, &inv);
  g_mutex_lock (&self->lock);
  while (!inv.done)
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);
}

typedef struct
{
  TnTestServer *server;
  const char   *email;
  const char   *password;
  TnRole        role;
  char         *token;
} UserRequest;

/* password → hash, shared by the test servers of a process: Argon2id is
 * slow on purpose, and tests add many users with one password. */
static GHashTable *hashes;
G_LOCK_DEFINE_STATIC (hashes);

static gboolean
add_user_cb (gpointer data)
{
  UserRequest *request = data;
  g_autoptr(GError) error = NULL;
  const char *hash;
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(TnUser) user = NULL;

  G_LOCK (hashes);
  if (hashes == NULL)
    hashes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  hash = g_hash_table_lookup (hashes, request->password);
  if (hash == NULL)
    {
      char *new_hash = tn_auth_hash_password (request->password, &error);

      g_assert_no_error (error);
      g_hash_table_insert (hashes, g_strdup (request->password), new_hash);
      hash = new_hash;
    }
  G_UNLOCK (hashes);
  user = tn_store_create_user (request->server->store, id, request->email, request->email, hash,
                               request->role, &error);
  g_assert_no_error (error);
  request->token = tn_server_issue_token (request->server->server, id, NULL, &error);
  g_assert_no_error (error);
  return G_SOURCE_REMOVE;
}

char *
tn_test_server_add_user (TnTestServer *self,
                         const char   *email,
                         const char   *password,
                         TnRole        role)
{
  UserRequest request = { self, email, password, role, NULL };

  run_on_server (self, add_user_cb, &request);
  return request.token;
}

static gboolean
token_for_cb (gpointer data)
{
  UserRequest *request = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TnUser) user = tn_store_find_user_by_email (request->server->store, request->email, NULL, &error);

  g_assert_no_error (error);
  request->token = tn_server_issue_token (request->server->server, tn_user_get_id (user), NULL, &error);
  g_assert_no_error (error);
  return G_SOURCE_REMOVE;
}

char *
tn_test_server_token_for (TnTestServer *self,
                          const char   *email)
{
  UserRequest request = { self, email, NULL, 0, NULL };

  run_on_server (self, token_for_cb, &request);
  return request.token;
}

/* Removes @path and everything below it (no links are followed). */
char *
tn_test_pg_fresh_database (void)
{
#ifdef TN_HAVE_POSTGRES
  static gint counter;
  const char *cluster = g_getenv ("TURNOUT_TEST_PG");
  g_autofree char *name = NULL;
  g_autofree char *create = NULL;
  const char *query;
  PGconn *conn;
  PGresult *result;

  if (cluster == NULL)
    return NULL;
  name = g_strdup_printf ("test_%d_%d", (int) getpid (), g_atomic_int_add (&counter, 1));
  conn = PQconnectdb (cluster);
  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("Cannot connect to the test cluster: %s", PQerrorMessage (conn));
  create = g_strdup_printf ("CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8'", name);
  result = PQexec (conn, create);
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    g_error ("%s: %s", create, PQerrorMessage (conn));
  PQclear (result);
  PQfinish (conn);
  /* postgresql:///turnout?host=… (with-cluster's URI) → postgresql:///NAME?host=… */
  query = strchr (cluster, '?');
  g_assert_nonnull (query);
  return g_strdup_printf ("postgresql:///%s%s", name, query);
#else
  return NULL;
#endif
}

TnStore *
tn_test_store_open (const char  *uri,
                    GError     **error)
{
#ifdef TN_HAVE_POSTGRES
  if (g_str_has_prefix (uri, "postgresql://"))
    return TN_STORE (tn_pg_store_new (uri, 4, error));
#endif
  return tn_store_open (uri, error);
}

void
tn_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        tn_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* --- waiting ------------------------------------------------------------- */

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
tn_test_wait_until (gboolean (*condition) (gpointer user_data),
                    gpointer   user_data,
                    guint      timeout_ms)
{
  GMainContext *context = g_main_context_get_thread_default ();
  gboolean timed_out = FALSE;
  guint id;
  GSource *source;

  if (context == NULL)
    context = g_main_context_default ();
  source = g_timeout_source_new (timeout_ms);
  g_source_set_callback (source, timeout_cb, &timed_out, NULL);
  id = g_source_attach (source, context);
  g_source_unref (source);

  while (!condition (user_data) && !timed_out)
    g_main_context_iteration (context, TRUE);

  if (!timed_out)
    {
      source = g_main_context_find_source_by_id (context, id);
      if (source != NULL)
        g_source_destroy (source);
    }
  return condition (user_data);
}

static gboolean
flag_set (gpointer data)
{
  return g_atomic_int_get ((volatile gint *) data) != 0;
}

void
tn_test_wait_flag (volatile gint *flag,
                   guint          timeout_ms)
{
  if (!tn_test_wait_until (flag_set, (gpointer) flag, timeout_ms))
    g_error ("Timed out after %u ms waiting for a result", timeout_ms);
}

/* --- HTTP ---------------------------------------------------------------- */

guint
tn_test_http (const char          *url,
              const char          *method,
              const char          *path,
              const char          *token,
              const char          *body,
              gssize               body_len,
              const char * const  *extra_headers,
              char               **out_body)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *full = g_strconcat (url, path, NULL);
  SoupMessageHeaders *headers;

  msg = soup_message_new (method, full);
  g_assert_nonnull (msg);
  headers = soup_message_get_request_headers (msg);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (headers, "Authorization", auth);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, body_len < 0 ? strlen (body) : (gsize) body_len);

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  /* After the body: an extra Content-Type replaces application/json. */
  for (guint i = 0; extra_headers != NULL && extra_headers[i] != NULL; i += 2)
    soup_message_headers_replace (headers, extra_headers[i], extra_headers[i + 1]);

  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  if (out_body != NULL)
    {
      gsize size = 0;
      const char *data = g_bytes_get_data (answer, &size);

      /* An empty body has no data pointer: answer "" rather than NULL. */
      *out_body = g_strndup (data != NULL ? data : "", size);
    }
  return soup_message_get_status (msg);
}

void
tn_test_reply_free (TnTestReply *reply)
{
  g_free (reply->body);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_free (reply);
}

/* Like tn_test_http(), keeping the response headers; asserts the answer
 * is not a 5xx: bad input never yields one. */
TnTestReply *
tn_test_request (const char *url,
                 const char *method,
                 const char *path,
                 const char *token,
                 const char *body,
                 const char *if_match)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *full = g_strconcat (url, path, NULL);
  SoupMessageHeaders *headers;
  TnTestReply *reply = g_new0 (TnTestReply, 1);

  msg = soup_message_new (method, full);
  g_assert_nonnull (msg);
  headers = soup_message_get_request_headers (msg);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (headers, "Authorization", auth);
    }
  if (if_match != NULL)
    soup_message_headers_replace (headers, "If-Match", if_match);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  reply->status = soup_message_get_status (msg);
  /* An empty GBytes may have no data pointer at all. */
  reply->body = g_bytes_get_size (answer) > 0
                ? g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer))
                : g_strdup ("");
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  /* The promise of DESIGN.md: bad input never yields a 500. */
  g_assert_cmpuint (reply->status, <, 500);
  return reply;
}

/* --- JSON ---------------------------------------------------------------- */

JsonObject *
tn_test_call (const char *url,
              const char *method,
              const char *path,
              const char *token,
              const char *body,
              guint       expected)
{
  g_autofree char *answer = NULL;
  guint status = tn_test_http (url, method, path, token, body, -1, NULL, &answer);

  if (status != expected)
    g_error ("%s %s%s: expected %u, got %u: %s", method, url, path, expected, status, answer);
  return answer != NULL && answer[0] != '\0' ? tn_test_parse_object (answer) : NULL;
}

/* --- live subscribers ------------------------------------------------------ */

#define SUBSCRIBER_WAIT_MS 20000

static void
subscriber_message_cb (SoupWebsocketConnection *connection,
                       SoupWebsocketDataType    type,
                       GBytes                  *message,
                       TnTestSubscriber        *s)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message));

  g_assert_cmpint (type, ==, SOUP_WEBSOCKET_DATA_TEXT);
  g_ptr_array_add (s->messages, tn_test_parse_object (text));
}

static void
subscriber_connected_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  TnTestSubscriber *s = user_data;

  s->connection = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &s->error);
  if (s->connection != NULL)
    g_signal_connect (s->connection, "message", G_CALLBACK (subscriber_message_cb), s);
  s->done = TRUE;
}

static gboolean
subscriber_done (gpointer data)
{
  return ((TnTestSubscriber *) data)->done;
}

TnTestSubscriber *
tn_test_subscribe (const char *url,
                   const char *event_id,
                   const char *token)
{
  TnTestSubscriber *s = g_new0 (TnTestSubscriber, 1);
  g_autofree char *uri = g_strdup_printf ("%s/api/v1/events/%s/live", url, event_id);

  s->session = soup_session_new ();
  s->msg = soup_message_new ("GET", uri);
  s->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  if (token != NULL)
    {
      g_autofree char *value = g_strdup_printf ("Bearer %s", token);

      soup_message_headers_replace (soup_message_get_request_headers (s->msg), "Authorization", value);
    }
  soup_session_websocket_connect_async (s->session, s->msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        subscriber_connected_cb, s);
  g_assert_true (tn_test_wait_until (subscriber_done, s, SUBSCRIBER_WAIT_MS));
  return s;
}

typedef struct
{
  TnTestSubscriber *s;
  guint             count;
} SubscriberWait;

static gboolean
subscriber_has_messages (gpointer data)
{
  SubscriberWait *w = data;

  return w->s->messages->len >= w->count;
}

JsonObject *
tn_test_subscriber_nth (TnTestSubscriber *s,
                        guint             n)
{
  SubscriberWait w = { s, n };

  if (!tn_test_wait_until (subscriber_has_messages, &w, SUBSCRIBER_WAIT_MS))
    g_error ("message %u did not come (%u so far)", n, s->messages->len);
  return s->messages->pdata[n - 1];
}

static gboolean
subscriber_closed (gpointer data)
{
  return soup_websocket_connection_get_state (data) == SOUP_WEBSOCKET_STATE_CLOSED;
}

void
tn_test_subscriber_free (TnTestSubscriber *s)
{
  if (s->connection != NULL)
    {
      g_signal_handlers_disconnect_by_data (s->connection, s);
      soup_websocket_connection_close (s->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      tn_test_wait_until (subscriber_closed, s->connection, SUBSCRIBER_WAIT_MS);
      g_object_unref (s->connection);
    }
  g_clear_error (&s->error);
  g_object_unref (s->msg);
  g_object_unref (s->session);
  g_ptr_array_unref (s->messages);
  g_free (s);
}

JsonObject *
tn_test_parse_object (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  g_assert_nonnull (json);
  object = tn_json_parse_object (json, strlen (json), &error);
  if (object == NULL)
    g_error ("Not a JSON object (%s): %s", error->message, json);
  return object;
}

void
tn_test_assert_json_equal (const char *file,
                           int         line,
                           const char *json,
                           const char *expected_json)
{
  g_autoptr(JsonNode) a = json_from_string (json, NULL);
  g_autoptr(JsonNode) b = json_from_string (expected_json, NULL);

  if (a == NULL || b == NULL || !json_node_equal (a, b))
    g_error ("%s:%d: JSON differs:\n  got:      %s\n  expected: %s", file, line, json, expected_json);
}

void
tn_test_assert_error_body (const char *json,
                           const char *code)
{
  g_autoptr(JsonObject) root = tn_test_parse_object (json);
  JsonNode *error = json_object_get_member (root, "error");
  JsonObject *object;

  g_assert_nonnull (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (error));
  object = json_node_get_object (error);
  g_assert_cmpstr (tn_json_object_get_string (object, "code"), ==, code);
  g_assert_nonnull (tn_json_object_get_string (object, "message"));
}

void
tn_test_init (int    *argc,
              char ***argv)
{
  /* Isolated dirs hide the GSettings schemas that the GNOME proxy resolver
   * needs; tests talk to loopback only, so no proxy is the truth anyway. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_log_set_always_fatal (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL | G_LOG_FATAL_MASK);
}

/* --- the server binary in a process --------------------------------------- */

static void
child_setup (gpointer data)
{
#ifdef __linux__
  /* A server must not outlive a test that aborted. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
#endif
}

GSubprocess *
tn_test_spawn_server (const char * const *args,
                      const char * const *env,
                      int                 flags)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new ((GSubprocessFlags) flags);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  const char *binary = g_getenv ("TURNOUT_SERVER");
  GSubprocess *process;

  g_assert_nonnull (binary);
  g_strv_builder_add (builder, binary);
  g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);

  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  for (guint i = 0; env != NULL && env[i] != NULL && env[i + 1] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, env[i], env[i + 1], TRUE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
  g_assert_no_error (error);
  return process;
}

TnTestProcess *
tn_test_process_start (const char * const *args,
                       const char * const *env)
{
  TnTestProcess *server = g_new0 (TnTestProcess, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  server->process = tn_test_spawn_server (args, env, G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  server->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line_utf8 (server->out, NULL, NULL, &error);
  g_assert_no_error (error);
  if (line == NULL)
    g_error ("turnout-server said nothing and stopped");
  g_assert_true (g_str_has_prefix (line, "Listening on http://127.0.0.1:"));
  server->url = g_strdup (line + strlen ("Listening on "));
  /* Port 0 was replaced by the real one. */
  g_assert_cmpuint (g_ascii_strtoull (server->url + strlen ("http://127.0.0.1:"), NULL, 10), >, 0);
  return server;
}

char *
tn_test_process_stop (TnTestProcess *server,
                      int            signal)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) rest = g_string_new (NULL);
  char *line;

  g_subprocess_send_signal (server->process, signal);
  while ((line = g_data_input_stream_read_line_utf8 (server->out, NULL, NULL, &error)) != NULL)
    {
      g_string_append_printf (rest, "%s\n", line);
      g_free (line);
    }
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait (server->process, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (server->process));
  g_assert_cmpint (g_subprocess_get_exit_status (server->process), ==, 0);
  return g_string_free (g_steal_pointer (&rest), FALSE);
}

void
tn_test_process_kill (TnTestProcess *server)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (server->process, SIGKILL);
  g_assert_true (g_subprocess_wait (server->process, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (server->process));
  g_assert_cmpint (g_subprocess_get_term_sig (server->process), ==, SIGKILL);
}

void
tn_test_process_free (TnTestProcess *server)
{
  /* Still running: a test failed half-way. */
  if (g_subprocess_get_identifier (server->process) != NULL)
    {
      g_subprocess_force_exit (server->process);
      g_subprocess_wait (server->process, NULL, NULL);
    }
  g_clear_object (&server->out);
  g_clear_object (&server->process);
  g_free (server->url);
  g_free (server);
}
