/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tui-harness.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

static const char *door_path;
static char *root_dir;          /* everything the tests make is in here */

/* --- setup --------------------------------------------------------------- */

void
tui_rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            tui_rm_rf (child);
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}

/* A failed assertion aborts the test program before any teardown runs,
 * which would leave tmux servers (with turnout-door inside) running. A
 * small shell outlives us to clean up in that case; after a normal end it
 * finds nothing left to do. Servers die with us (PR_SET_PDEATHSIG). */
static void
start_janitor (void)
{
  static const char script[] =
    "while kill -0 \"$2\" 2>/dev/null; do sleep 1; done\n"
    "[ -d \"$1\" ] || exit 0\n"
    "for s in \"$1\"/door-*/tmux.sock; do\n"
    "  [ -S \"$s\" ] && tmux -S \"$s\" kill-server\n"
    "done\n"
    "sleep 1\n"
    "rm -rf \"$1\"\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) janitor = NULL;
  g_autofree char *parent = g_strdup_printf ("%d", (int) getpid ());

  janitor = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_INHERIT |
                              G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                              G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                              &error, "/bin/sh", "-c", script, "janitor",
                              root_dir, parent, NULL);
  g_assert_no_error (error);
}

void
tui_init (int    *argc,
          char ***argv)
{
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "");
  g_test_init (argc, argv, NULL);

  door_path = g_getenv ("TURNOUT_DOOR");
  if (door_path == NULL || !g_file_test (door_path, G_FILE_TEST_IS_EXECUTABLE))
    g_error ("TURNOUT_DOOR (%s) is not an executable", door_path ? door_path : "unset");
  root_dir = g_dir_make_tmp ("turnout-tui-XXXXXX", &error);
  g_assert_no_error (error);
  start_janitor ();
}

void
tui_cleanup (void)
{
  tui_rm_rf (root_dir);
  g_clear_pointer (&root_dir, g_free);
}

const char *
tui_root_dir (void)
{
  return root_dir;
}

const char *
tui_door_path (void)
{
  return door_path;
}

gboolean
tui_have_tmux (void)
{
  g_autofree char *path = g_find_program_in_path ("tmux");

  if (path == NULL)
    {
      g_test_skip ("tmux is not installed");
      return FALSE;
    }
  return TRUE;
}

/* --- a turnout-server process -------------------------------------------- */

static void
server_exited_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  TuiServer *server = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  server->exited = TRUE;
}

static void
iterate_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (MIN (TUI_POLL_INTERVAL_MS, ms) * 1000);
    }
}

static void
server_child_setup (gpointer data)
{
#ifdef __linux__
  /* A server must not outlive a test that aborted. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
#endif
}

gboolean
tui_server_start (TuiServer   *server,
                  const char  *dir,
                  const char  *listen,
                  GError     **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *database = NULL;
  g_autofree char *out_path = NULL;
  g_autofree char *err_path = NULL;
  g_autofree char *conf_path = NULL;
  const char *server_path = g_getenv ("TURNOUT_SERVER");
  /* Many pairings and sign-ins from 127.0.0.1 in one run: not an attack. */
  static const char conf[] =
    "[server]\n"
    "login-attempts-per-address=100000\n"
    "login-attempts-per-account=100000\n";
  gint64 deadline;

  if (server_path == NULL || !g_file_test (server_path, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "TURNOUT_SERVER (%s) is not an executable", server_path ? server_path : "unset");
      return FALSE;
    }

  if (server->dir == NULL)
    server->dir = g_strdup (dir);
  if (g_mkdir_with_parents (server->dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   "%s: %s", server->dir, g_strerror (errno));
      return FALSE;
    }
  database = g_strconcat ("sqlite:", server->dir, "/turnout.db", NULL);
  out_path = g_build_filename (server->dir, "stdout", NULL);
  err_path = g_build_filename (server->dir, "stderr", NULL);
  conf_path = g_build_filename (server->dir, "server.ini", NULL);
  if (!g_file_set_contents (conf_path, conf, -1, error))
    return FALSE;
  g_unlink (out_path);

  /* Files, not pipes: TAP owns our stdout, and a full pipe would block
   * the server. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_stdout_file_path (launcher, out_path);
  g_subprocess_launcher_set_stderr_file_path (launcher, err_path);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_set_child_setup (launcher, server_child_setup, NULL, NULL);
  server->exited = FALSE;
  g_clear_object (&server->process);
  server->process = g_subprocess_launcher_spawn (launcher, error, server_path,
                                                 "--config", conf_path,
                                                 "--demo", "--database", database,
                                                 "--listen", listen != NULL ? listen : "127.0.0.1:0",
                                                 NULL);
  if (server->process == NULL)
    return FALSE;
  g_subprocess_wait_async (server->process, NULL, server_exited_cb, server);

  deadline = g_get_monotonic_time () + TUI_WAIT_TIMEOUT_MS * G_GINT64_CONSTANT (1000);
  while (g_get_monotonic_time () < deadline && !server->exited)
    {
      g_autofree char *out = NULL;
      const char *line;

      if (g_file_get_contents (out_path, &out, NULL, NULL) &&
          (line = strstr (out, "Listening on ")) != NULL &&
          strchr (line, '\n') != NULL)
        {
          line += strlen ("Listening on ");
          g_free (server->url);
          server->url = g_strndup (line, strcspn (line, "\r\n"));
          g_free (server->listen);
          server->listen = g_strdup (strstr (server->url, "://") + 3);
          return TRUE;
        }
      iterate_for (TUI_POLL_INTERVAL_MS);
    }

  {
    g_autofree char *err = NULL;

    g_file_get_contents (err_path, &err, NULL, NULL);
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 "turnout-server did not say where it listens%s; its stderr:\n%s",
                 server->exited ? " (it exited)" : "", err != NULL ? err : "");
  }
  return FALSE;
}

static void
server_end (TuiServer *server,
            int        signal)
{
  gint64 deadline;

  if (server->process == NULL || server->exited)
    return;

  g_subprocess_send_signal (server->process, signal);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!server->exited && g_get_monotonic_time () < deadline)
    iterate_for (TUI_POLL_INTERVAL_MS);
  if (!server->exited)
    {
      g_subprocess_force_exit (server->process);
      while (!server->exited)
        g_main_context_iteration (NULL, TRUE);
    }
}

void
tui_server_stop (TuiServer *server)
{
  server_end (server, SIGTERM);
}

void
tui_server_kill (TuiServer *server)
{
  server_end (server, SIGKILL);
}

void
tui_server_restart (TuiServer *server)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *listen = g_strdup (server->listen);
  g_autofree char *url = g_strdup (server->url);
  gint64 deadline = g_get_monotonic_time () + TUI_WAIT_TIMEOUT_MS * G_GINT64_CONSTANT (1000);

  g_assert_nonnull (listen);
  tui_server_stop (server);
  /* The port was ours a moment ago; a socket of the old process may still
   * hold it for a little while. */
  while (!tui_server_start (server, NULL, listen, &error))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_test_message ("restarting the server: %s", error->message);
      g_clear_error (&error);
      iterate_for (200);
    }
  g_assert_cmpstr (server->url, ==, url);
}

void
tui_server_clear (TuiServer *server)
{
  tui_server_stop (server);
  g_clear_object (&server->process);
  g_clear_pointer (&server->dir, g_free);
  g_clear_pointer (&server->url, g_free);
  g_clear_pointer (&server->listen, g_free);
}

/* --- the API ------------------------------------------------------------- */

guint
tui_http (const char  *url,
          const char  *method,
          const char  *path,
          const char  *token,
          const char  *body,
          char       **out_body)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *full = g_strconcat (url, path, NULL);

  msg = soup_message_new (method, full);
  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  if (out_body != NULL)
    {
      gsize size = 0;
      const char *data = g_bytes_get_data (answer, &size);

      *out_body = g_strndup (data != NULL ? data : "", size);
    }
  return soup_message_get_status (msg);
}

JsonObject *
tui_http_object (const char *url,
                 const char *method,
                 const char *path,
                 const char *token,
                 const char *body,
                 guint       status)
{
  g_autofree char *answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  guint got = tui_http (url, method, path, token, body, &answer);
  JsonNode *root;

  if (got != status)
    g_test_message ("%s %s: %u %s", method, path, got, answer);
  g_assert_cmpuint (got, ==, status);
  json_parser_load_from_data (parser, answer, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}

char *
tui_login (const char *url,
           const char *email)
{
  g_autofree char *body = g_strdup_printf ("{\"email\":\"%s\",\"password\":\"%s\"}",
                                           email, TUI_DEMO_PASSWORD);
  g_autoptr(JsonObject) answer = tui_http_object (url, "POST", "/api/v1/auth/login", NULL, body, 200);
  const char *token = json_object_get_string_member_with_default (answer, "token", NULL);

  g_assert_nonnull (token);
  return g_strdup (token);
}

/* --- tmux ---------------------------------------------------------------- */

gboolean
tui_run_tmux (TuiFixture  *fixture,
              char       **envp,
              char       **out,
              const char  *first_arg,
              ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  const char *arg;
  va_list args;
  int status;

  g_ptr_array_add (argv, (char *) "tmux");
  g_ptr_array_add (argv, (char *) "-S");
  g_ptr_array_add (argv, fixture->socket);
  g_ptr_array_add (argv, (char *) "-f");
  g_ptr_array_add (argv, fixture->conf);
  va_start (args, first_arg);
  for (arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_SEARCH_PATH,
                     NULL, NULL, out, &err, &status, &error))
    {
      g_test_message ("tmux: %s", error->message);
      return FALSE;
    }
  if (!g_spawn_check_wait_status (status, &error))
    {
      g_test_message ("tmux %s: %s: %s", first_arg, error->message, err);
      return FALSE;
    }
  return TRUE;
}

void
tui_fixture_setup (TuiFixture    *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  /* A private server: no user configuration, no status line taking a
   * row, and a dead pane stays so that its exit status can be read. */
  static const char conf[] =
    "set -g default-terminal screen\n"
    "set -g status off\n"
    "set -g remain-on-exit on\n"
    "set -g history-limit 0\n";

  fixture->dir = g_build_filename (root_dir, "door-XXXXXX", NULL);
  g_assert_nonnull (g_mkdtemp (fixture->dir));
  fixture->socket = g_build_filename (fixture->dir, "tmux.sock", NULL);
  fixture->conf = g_build_filename (fixture->dir, "tmux.conf", NULL);
  fixture->config_home = g_build_filename (fixture->dir, "config", NULL);
  fixture->config_dir = g_build_filename (fixture->config_home, "turnout", NULL);
  fixture->data_home = g_build_filename (fixture->dir, "data", NULL);
  fixture->door_log = g_build_filename (fixture->dir, "door.log", NULL);
  g_file_set_contents (fixture->conf, conf, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (fixture->config_home, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (fixture->data_home, 0700), ==, 0);
}

void
tui_fixture_teardown (TuiFixture    *fixture,
                      gconstpointer  data)
{
  if (g_file_test (fixture->socket, G_FILE_TEST_EXISTS))
    tui_run_tmux (fixture, NULL, NULL, "kill-server", NULL);
  tui_rm_rf (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->socket);
  g_free (fixture->conf);
  g_free (fixture->config_home);
  g_free (fixture->config_dir);
  g_free (fixture->data_home);
  g_free (fixture->door_log);
  g_free (fixture->screen);
}

void
tui_start_door_full (TuiFixture         *fixture,
                     const char         *url,
                     const char         *tz,
                     gboolean            no_color,
                     const char * const *extra_env)
{
  g_auto(GStrv) envp = g_get_environ ();
  g_autofree char *door_q = g_shell_quote (door_path);
  g_autofree char *url_q = g_shell_quote (url);
  g_autofree char *log_q = g_shell_quote (fixture->door_log);
  g_autofree char *command = NULL;

  envp = g_environ_setenv (envp, "XDG_CONFIG_HOME", fixture->config_home, TRUE);
  envp = g_environ_setenv (envp, "XDG_DATA_HOME", fixture->data_home, TRUE);
  envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);
  envp = g_environ_setenv (envp, "LANG", "C.UTF-8", TRUE);
  envp = g_environ_setenv (envp, "TZ", tz, TRUE);
  envp = g_environ_unsetenv (envp, "LANGUAGE");
  envp = g_environ_unsetenv (envp, "TMUX");
  if (no_color)
    envp = g_environ_setenv (envp, "NO_COLOR", "1", TRUE);
  else
    envp = g_environ_unsetenv (envp, "NO_COLOR");
  envp = g_environ_unsetenv (envp, "LINES");
  envp = g_environ_unsetenv (envp, "COLUMNS");
  for (guint i = 0; extra_env != NULL && extra_env[i] != NULL && extra_env[i + 1] != NULL; i += 2)
    envp = g_environ_setenv (envp, extra_env[i], extra_env[i + 1], TRUE);

  /* stderr to a file (appended, over restarts): the door keeps its log
   * off the screen while it runs, but a sanitizer report would land on
   * it. */
  command = g_strdup_printf ("exec %s --server %s 2>>%s", door_q, url_q, log_q);
  if (g_file_test (fixture->socket, G_FILE_TEST_EXISTS))
    {
      /* A door started before in this test: its tmux server goes, and a
       * client that comes while it goes is turned away: try again. */
      gint64 deadline = g_get_monotonic_time () + TUI_WAIT_TIMEOUT_MS * G_GINT64_CONSTANT (1000);
      gboolean started = FALSE;

      tui_run_tmux (fixture, NULL, NULL, "kill-server", NULL);
      while (!started && g_get_monotonic_time () < deadline)
        {
          started = tui_run_tmux (fixture, envp, NULL, "new-session", "-d", "-s", "door",
                                  "-x", "80", "-y", "24", command, NULL);
          if (!started)
            g_usleep (TUI_POLL_INTERVAL_MS * 1000);
        }
      g_assert_true (started);
    }
  else
    {
      g_assert_true (tui_run_tmux (fixture, envp, NULL, "new-session", "-d", "-s", "door",
                                   "-x", "80", "-y", "24", command, NULL));
    }
  fixture->height = 24;
}

void
tui_start_door (TuiFixture *fixture,
                const char *url,
                const char *tz)
{
  tui_start_door_full (fixture, url, tz, FALSE, NULL);
}

const char *
tui_capture (TuiFixture *fixture)
{
  g_autofree char *screen = NULL;

  if (tui_run_tmux (fixture, NULL, &screen, "capture-pane", "-p", "-t", "door", NULL))
    {
      g_free (fixture->screen);
      fixture->screen = g_steal_pointer (&screen);
    }
  return fixture->screen != NULL ? fixture->screen : "";
}

char *
tui_capture_escapes (TuiFixture *fixture,
                     int         first_row,
                     int         last_row)
{
  g_autofree char *out = NULL;
  g_autofree char *first = g_strdup_printf ("%d", first_row);
  g_autofree char *last = g_strdup_printf ("%d", last_row);

  g_assert_true (tui_run_tmux (fixture, NULL, &out, "capture-pane", "-p", "-e",
                               "-t", "door", "-S", first, "-E", last, NULL));
  return g_steal_pointer (&out);
}

void
tui_show_failure (TuiFixture *fixture,
                  const char *what)
{
  g_autofree char *log = NULL;

  g_file_get_contents (fixture->door_log, &log, NULL, NULL);
  g_test_message ("waited in vain for %s; the screen:\n%s\nturnout-door's stderr:\n%s",
                  what, fixture->screen != NULL ? fixture->screen : "(none)",
                  log != NULL ? log : "");
}

gboolean
tui_wait_for_screen (TuiFixture     *fixture,
                     TuiScreenCheck  check,
                     gconstpointer   data,
                     const char     *what)
{
  gint64 deadline = g_get_monotonic_time () + TUI_WAIT_TIMEOUT_MS * G_GINT64_CONSTANT (1000);

  do
    {
      if (check (fixture, tui_capture (fixture), data))
        return TRUE;
      g_usleep (TUI_POLL_INTERVAL_MS * 1000);
    }
  while (g_get_monotonic_time () < deadline);

  tui_show_failure (fixture, what);
  return FALSE;
}

static gboolean
contains_check (TuiFixture    *fixture,
                const char    *screen,
                gconstpointer  data)
{
  const char * const *needles = data;

  for (guint i = 0; needles[i] != NULL; i++)
    if (strstr (screen, needles[i]) == NULL)
      return FALSE;
  return TRUE;
}

gboolean
tui_wait_for_text (TuiFixture *fixture,
                   const char *first,
                   ...)
{
  g_autoptr(GPtrArray) needles = g_ptr_array_new ();
  g_autofree char *joined = NULL;
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, first);
  for (const char *s = first; s != NULL; s = va_arg (args, const char *))
    g_ptr_array_add (needles, (char *) s);
  va_end (args);
  g_ptr_array_add (needles, NULL);

  joined = g_strjoinv ("” and “", (char **) needles->pdata);
  what = g_strconcat ("“", joined, "”", NULL);
  return tui_wait_for_screen (fixture, contains_check, needles->pdata, what);
}

static gboolean
absent_check (TuiFixture    *fixture,
              const char    *screen,
              gconstpointer  data)
{
  return strstr (screen, data) == NULL;
}

gboolean
tui_wait_for_no_text (TuiFixture *fixture,
                      const char *text)
{
  g_autofree char *what = g_strdup_printf ("“%s” to go", text);

  return tui_wait_for_screen (fixture, absent_check, text, what);
}

void
tui_send_keys (TuiFixture *fixture,
               const char *first_key,
               ...)
{
  va_list args;

  va_start (args, first_key);
  for (const char *key = first_key; key != NULL; key = va_arg (args, const char *))
    g_assert_true (tui_run_tmux (fixture, NULL, NULL, "send-keys", "-t", "door", key, NULL));
  va_end (args);
}

void
tui_send_text (TuiFixture *fixture,
               const char *text)
{
  g_assert_true (tui_run_tmux (fixture, NULL, NULL, "send-keys", "-t", "door", "-l", text, NULL));
}

char *
tui_screen_line (TuiFixture *fixture,
                 int         row)
{
  g_auto(GStrv) lines = g_strsplit (fixture->screen != NULL ? fixture->screen : "", "\n", -1);

  if (row < 0 || row >= (int) g_strv_length (lines))
    return g_strdup ("");
  return g_strdup (lines[row]);
}

void
tui_resize (TuiFixture *fixture,
            int         width,
            int         height)
{
  g_autofree char *w = g_strdup_printf ("%d", width);
  g_autofree char *h = g_strdup_printf ("%d", height);

  g_assert_true (tui_run_tmux (fixture, NULL, NULL, "resize-window", "-t", "door", "-x", w, "-y", h, NULL));
  fixture->height = height;
}

/* Returns TRUE once the door's process has ended and tmux has its exit
 * status. tmux sees the terminal close before it reaps the process, so
 * for a moment a pane is dead without a status; after a signal (an abort
 * from a sanitizer, say) it stays without one. */
static gboolean
pane_exited (TuiFixture *fixture,
             gboolean   *dead,
             int        *status)
{
  g_autofree char *out = NULL;
  g_auto(GStrv) fields = NULL;

  *dead = FALSE;
  if (!tui_run_tmux (fixture, NULL, &out, "display-message", "-p", "-t", "door",
                     "#{pane_dead}:#{pane_dead_status}", NULL))
    return FALSE;
  g_strstrip (out);
  fields = g_strsplit (out, ":", 2);
  if (g_strv_length (fields) != 2 || g_strcmp0 (fields[0], "1") != 0)
    return FALSE;

  *dead = TRUE;
  if (fields[1][0] == '\0' || !g_ascii_isdigit (fields[1][0]))
    return FALSE;
  *status = atoi (fields[1]);
  return TRUE;
}

/* tmux built with libutempter can miss a SIGCHLD while utempter's own
 * handler is installed, leaving the pane's process a zombie with no
 * status (tmux/tmux#311); another SIGCHLD makes tmux reap it. */
static void
nudge_tmux (TuiFixture *fixture)
{
  g_autofree char *out = NULL;
  gint64 pid;

  if (tui_run_tmux (fixture, NULL, &out, "display-message", "-p", "#{pid}", NULL) &&
      (pid = g_ascii_strtoll (out, NULL, 10)) > 1)
    kill ((pid_t) pid, SIGCHLD);
}

gboolean
tui_wait_door_dead (TuiFixture *fixture,
                    int        *status)
{
  gint64 deadline = g_get_monotonic_time () + TUI_WAIT_TIMEOUT_MS * G_GINT64_CONSTANT (1000);
  gint64 dead_since = 0;
  gboolean dead = FALSE;

  *status = -1;
  while (!pane_exited (fixture, &dead, status) && g_get_monotonic_time () < deadline)
    {
      g_usleep (TUI_POLL_INTERVAL_MS * 1000);
      if (!dead)
        continue;
      /* Dead for seconds with tmux nudged and still no status: a signal
       * ended it. */
      if (dead_since == 0)
        dead_since = g_get_monotonic_time ();
      else if (g_get_monotonic_time () - dead_since > 5 * G_USEC_PER_SEC)
        break;
      nudge_tmux (fixture);
    }
  return dead;
}

void
tui_assert_door_exits (TuiFixture *fixture)
{
  int status = -1;
  gboolean dead = tui_wait_door_dead (fixture, &status);

  if (status != 0)
    {
      tui_capture (fixture);
      tui_show_failure (fixture, dead ? "an exit status (killed by a signal?)"
                                      : "turnout-door to exit with status 0");
    }
  g_assert_true (dead);
  g_assert_cmpint (status, ==, 0);
}

GPid
tui_door_pid (TuiFixture *fixture)
{
  g_autofree char *out = NULL;
  g_auto(GStrv) fields = NULL;

  if (!tui_run_tmux (fixture, NULL, &out, "display-message", "-p", "-t", "door",
                     "#{pane_dead}:#{pane_pid}", NULL))
    return 0;
  g_strstrip (out);
  fields = g_strsplit (out, ":", 2);
  if (g_strv_length (fields) != 2 || g_strcmp0 (fields[0], "0") != 0)
    return 0;
  return (GPid) g_ascii_strtoll (fields[1], NULL, 10);
}

gboolean
tui_door_alive (TuiFixture *fixture)
{
  GPid pid = tui_door_pid (fixture);

  return pid > 0 && kill (pid, 0) == 0;
}

gboolean
tui_bell_rang (TuiFixture *fixture)
{
  g_autofree char *out = NULL;

  g_assert_true (tui_run_tmux (fixture, NULL, &out, "display-message", "-p", "-t", "door",
                               "#{window_bell_flag}", NULL));
  return g_strstrip (out)[0] == '1';
}

char *
tui_find_replica (TuiFixture *fixture)
{
  g_autofree char *dir_path = g_build_filename (fixture->data_home, "turnout", "replicas", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  char *found = NULL;
  const char *name;

  if (dir == NULL)
    return NULL;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".sqlite"))
      {
        g_assert_null (found);
        found = g_build_filename (dir_path, name, NULL);
      }
  return found;
}

gboolean
tui_has_color (const char *escapes)
{
  g_autoptr(GRegex) regex = NULL;

  /* A foreground or background colour: 30–37, 40–47, 90–97, 100–107 or
   * 38;…/48;…, alone or in a list. 39 and 49 (the defaults) do not count. */
  regex = g_regex_new ("\\x1b\\[([0-9;]*;)?(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[0-9;]*)?m", 0, 0, NULL);
  return g_regex_match (regex, escapes, 0, NULL);
}
