/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "tn-gtk-test-utils.h"
#include "../tn-test-signal.h"

struct _TnGtkTestServer
{
  char         *dir;
  char         *url;      /* kept across a stop, to listen there again */
  GSubprocess  *process;
  GCancellable *cancellable;
};

static void
discard_output_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GCancellable *cancellable = user_data;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, NULL);

  if (bytes != NULL && g_bytes_get_size (bytes) > 0 && !g_cancellable_is_cancelled (cancellable))
    g_input_stream_read_bytes_async (G_INPUT_STREAM (source), 4096, G_PRIORITY_DEFAULT,
                                     cancellable, discard_output_cb, g_object_ref (cancellable));
  g_object_unref (cancellable);
}

/* The server must not outlive a test that crashes or times out. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

void
tn_gtk_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        tn_gtk_test_remove_tree (child);
      }
  g_remove (path);
}

TnGtkTestServer *
tn_gtk_test_server_new (const char *dir)
{
  TnGtkTestServer *self = g_new0 (TnGtkTestServer, 1);

  self->dir = g_strdup (dir);
  g_assert_cmpint (g_mkdir_with_parents (self->dir, 0700), ==, 0);
  return self;
}

/* Starts the server; again on the address of the last start, if any. The
 * port may still be held for a moment after a stop: try a few times. */
void
tn_gtk_test_server_start (TnGtkTestServer *self)
{
  const char *binary = g_getenv ("TURNOUT_SERVER");
  g_autofree char *database = g_strconcat ("sqlite:", self->dir, "/turnout.db", NULL);
  g_autofree char *listen = NULL;

  if (binary == NULL)
    g_error ("TURNOUT_SERVER is not set: run this through meson, or set it");
  g_assert_null (self->process);

  listen = self->url != NULL ? g_strdup (self->url + strlen ("http://")) : g_strdup ("127.0.0.1:0");
  for (guint attempt = 0; attempt < 50; attempt++)
    {
      g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GDataInputStream) lines = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *url = NULL;

      g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", self->dir, TRUE);
      g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
      process = g_subprocess_launcher_spawn (launcher, &error, binary,
                                             "--demo", "--database", database, "--listen", listen, NULL);
      g_assert_no_error (error);

      lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
      g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (lines), FALSE);
      while (url == NULL)
        {
          g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
          const char *at;

          g_assert_no_error (error);
          if (line == NULL)
            break;
          at = strstr (line, "Listening on ");
          if (at != NULL)
            url = g_strstrip (g_strdup (at + strlen ("Listening on ")));
        }
      if (url == NULL)
        {
          /* It exited: the port is not free yet. */
          g_subprocess_wait (process, NULL, NULL);
          g_usleep (100 * 1000);
          continue;
        }

      g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));
      if (self->url != NULL)
        g_assert_cmpstr (url, ==, self->url);
      g_free (self->url);
      self->url = g_steal_pointer (&url);
      self->process = g_steal_pointer (&process);

      /* Keep reading so the server never blocks on a full pipe. */
      self->cancellable = g_cancellable_new ();
      g_input_stream_read_bytes_async (G_INPUT_STREAM (lines), 4096, G_PRIORITY_DEFAULT,
                                       self->cancellable, discard_output_cb, g_object_ref (self->cancellable));
      return;
    }
  g_error ("turnout-server did not listen on %s again", listen);
}

void
tn_gtk_test_server_stop (TnGtkTestServer *self)
{
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (self->process);
  g_cancellable_cancel (self->cancellable);
  g_subprocess_send_signal (self->process, SIGTERM);
  g_subprocess_wait (self->process, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->process);
}

gboolean
tn_gtk_test_server_running (TnGtkTestServer *self)
{
  return self->process != NULL;
}

const char *
tn_gtk_test_server_get_url (TnGtkTestServer *self)
{
  return self->url;
}

/* SIGSTOP: the server keeps its connections and its port but answers
 * nothing, as a server that hangs; tn_gtk_test_server_resume() goes on. */
void
tn_gtk_test_server_pause (TnGtkTestServer *self)
{
  g_assert_nonnull (self->process);
  tn_test_signal_now (self->process, SIGSTOP);
}

void
tn_gtk_test_server_resume (TnGtkTestServer *self)
{
  g_assert_nonnull (self->process);
  tn_test_signal_now (self->process, SIGCONT);
}

void
tn_gtk_test_server_free (TnGtkTestServer *self)
{
  if (self->process != NULL)
    tn_gtk_test_server_stop (self);
  tn_gtk_test_remove_tree (self->dir);
  g_free (self->dir);
  g_free (self->url);
  g_free (self);
}

/* --- the other client ---------------------------------------------------- */

#define ANSWER_TIMEOUT_S 30

static gboolean
wake_up_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for_result (GAsyncResult **result)
{
  gint64 deadline = g_get_monotonic_time () + ANSWER_TIMEOUT_S * G_USEC_PER_SEC;
  guint tick = g_timeout_add (20, wake_up_cb, NULL);

  while (*result == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  if (*result == NULL)
    g_error ("the server did not answer in %d s", ANSWER_TIMEOUT_S);
  return *result;
}

TnClient *
tn_gtk_test_sign_in (const char *url)
{
  g_autoptr(TnClient) client = tn_client_new (url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TnUser) user = NULL;
  g_autoptr(GError) error = NULL;

  tn_client_login_async (client, "olivia@example.org", "turnout-demo", NULL, store_result_cb, &result);
  user = tn_client_login_finish (client, wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (user);
  return g_steal_pointer (&client);
}

/* An event that starts in half an hour: the server takes scans of it now. */
TnEvent *
tn_gtk_test_create_event_soon (TnClient   *client,
                               const char *title,
                               gint64      capacity)
{
  g_autoptr(TnEvent) event = tn_event_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  TnEvent *created;

  tn_event_set_title (event, title);
  tn_event_set_starts_at (event, now + 30 * 60);
  tn_event_set_ends_at (event, now + 3 * 60 * 60);
  tn_event_set_location (event, "Town Hall");
  tn_event_set_capacity (event, capacity);
  tn_client_create_event_async (client, event, NULL, store_result_cb, &result);
  created = tn_client_event_finish (client, wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (tn_event_get_id (created));
  return created;
}

/* Returns: the guest's ticket code */
char *
tn_gtk_test_add_guest (TnClient   *client,
                       const char *event_id,
                       const char *name,
                       const char *email)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TnAttendee) attendee = NULL;
  g_autoptr(GError) error = NULL;

  tn_client_add_guest_async (client, event_id, name, email, NULL, NULL, NULL, store_result_cb, &result);
  attendee = tn_client_attendee_finish (client, wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (tn_attendee_get_ticket_code (attendee));
  return g_strdup (tn_attendee_get_ticket_code (attendee));
}

/* A scan made now by a door called “Test door”, as docs/CHECKIN.md has it. */
JsonObject *
tn_gtk_test_make_scan (const char *event_id,
                       const char *code,
                       const char *direction,
                       gint64     *scanned_at)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *when = g_date_time_format_iso8601 (now);
  JsonObject *scan = json_object_new ();

  json_object_set_string_member (scan, "id", id);
  json_object_set_string_member (scan, "event_id", event_id);
  json_object_set_string_member (scan, "code", code);
  json_object_set_string_member (scan, "direction", direction);
  json_object_set_string_member (scan, "scanned_at", when);
  json_object_set_string_member (scan, "device", "Test door");
  if (scanned_at != NULL)
    *scanned_at = g_date_time_to_unix (now);
  return scan;
}

void
tn_gtk_test_post_scan_async (TnClient            *client,
                             JsonObject          *scan,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(JsonArray) scans = json_array_new ();

  json_array_add_object_element (scans, json_object_ref (scan));
  tn_client_post_checkins_async (client, scans, NULL, callback, user_data);
}

/* Returns: the server's verdict */
char *
tn_gtk_test_post_scan_finish (TnClient     *client,
                              GAsyncResult *result)
{
  g_autoptr(JsonArray) results = NULL;
  g_autoptr(GError) error = NULL;

  results = tn_client_post_checkins_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (results), ==, 1);
  return g_strdup (json_object_get_string_member (json_array_get_object_element (results, 0), "verdict"));
}

char *
tn_gtk_test_post_scan (TnClient   *client,
                       const char *event_id,
                       const char *code,
                       const char *direction,
                       gint64     *scanned_at)
{
  g_autoptr(JsonObject) scan = tn_gtk_test_make_scan (event_id, code, direction, scanned_at);
  g_autoptr(GAsyncResult) result = NULL;

  tn_gtk_test_post_scan_async (client, scan, store_result_cb, &result);
  return tn_gtk_test_post_scan_finish (client, wait_for_result (&result));
}

/**
 * tn_gtk_test_isolate:
 * @prefix: the temporary folder's name before its random part
 *
 * Never touches the session of the person running the tests or the
 * benchmarks: private config, data, cache and state folders in a new
 * temporary folder; no session bus (so no keyring: tokens go to the
 * fallback file in the private config folder); settings in memory; no
 * accessibility bus, no portal, no proxy settings. The system data
 * folders stay, for GTK's icons and schemas. Call before GLib reads them.
 *
 * Returns: (transfer full): the temporary folder
 */
char *
tn_gtk_test_isolate (const char *prefix)
{
  static const struct
  {
    const char *variable;
    const char *name;
  } private_dirs[] = {
    { "XDG_CONFIG_HOME", "config" },
    { "XDG_DATA_HOME", "data" },
    { "XDG_CACHE_HOME", "cache" },
    { "XDG_STATE_HOME", "state" },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *template = g_strconcat (prefix, "-XXXXXX", NULL);
  g_autofree char *no_bus = NULL;
  char *work_dir = g_dir_make_tmp (template, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (private_dirs); i++)
    {
      g_autofree char *dir = g_build_filename (work_dir, private_dirs[i].name, NULL);

      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      g_setenv (private_dirs[i].variable, dir, TRUE);
    }
  no_bus = g_strdup_printf ("unix:path=%s/no-such-bus", work_dir);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", no_bus, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("ADW_DISABLE_PORTAL", "1", TRUE);
  g_setenv ("GIO_USE_VFS", "local", TRUE);
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  return work_dir;
}
