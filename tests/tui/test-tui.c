/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <locale.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tn-client.h"
#include "tn-tui-config.h"

/* turnout-door as a user sees it: a real turnout-server (--demo, over a
 * fresh SQLite file, on a free port) and the door app in a detached tmux
 * session of 80×24 with a private socket. Keys go in with send-keys; the
 * screen comes back with capture-pane. Waits poll the screen and are
 * bounded; nothing asserts how long anything took. */

#define DEMO_PASSWORD   "turnout-demo"
#define MEMBER_EMAIL    "maria@example.org"
#define ORGANIZER_EMAIL "olivia@example.org"

/* Generous, for sanitizer builds on slow machines; a pass is much faster. */
#define WAIT_TIMEOUT_MS  60000
#define POLL_INTERVAL_MS 50

#define BERLIN "Europe/Berlin"

typedef struct
{
  GSubprocess *process;
  char        *dir;
  char        *url;
  gboolean     exited;
} TestServer;

static TestServer test_server;
static const char *door_path;
static char *root_dir;          /* everything the tests make is in here */

typedef struct
{
  char *dir;
  char *socket;
  char *conf;
  char *config_home;
  char *config_dir;     /* config_home/turnout */
  char *door_log;
  char *screen;         /* the last capture */
  int   height;
} Fixture;

/* --- the server ---------------------------------------------------------- */

static void
server_exited_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  TestServer *server = user_data;

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
      g_usleep (MIN (POLL_INTERVAL_MS, ms) * 1000);
    }
}

static gboolean
start_server (TestServer  *server,
              GError     **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *database = NULL;
  g_autofree char *out_path = NULL;
  g_autofree char *err_path = NULL;
  const char *server_path = g_getenv ("TURNOUT_SERVER");
  gint64 deadline;

  if (server_path == NULL || !g_file_test (server_path, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "TURNOUT_SERVER (%s) is not an executable", server_path ? server_path : "unset");
      return FALSE;
    }

  server->dir = g_build_filename (root_dir, "server", NULL);
  if (g_mkdir (server->dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   "%s: %s", server->dir, g_strerror (errno));
      return FALSE;
    }
  database = g_strconcat ("sqlite:", server->dir, "/turnout.db", NULL);
  out_path = g_build_filename (server->dir, "stdout", NULL);
  err_path = g_build_filename (server->dir, "stderr", NULL);

  /* Files, not pipes: TAP owns our stdout, and a full pipe would block
   * the server. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_stdout_file_path (launcher, out_path);
  g_subprocess_launcher_set_stderr_file_path (launcher, err_path);
  server->process = g_subprocess_launcher_spawn (launcher, error, server_path,
                                                 "--demo", "--database", database,
                                                 "--listen", "127.0.0.1:0", NULL);
  if (server->process == NULL)
    return FALSE;
  g_subprocess_wait_async (server->process, NULL, server_exited_cb, server);

  deadline = g_get_monotonic_time () + WAIT_TIMEOUT_MS * G_GINT64_CONSTANT (1000);
  while (g_get_monotonic_time () < deadline && !server->exited)
    {
      g_autofree char *out = NULL;
      const char *line;

      if (g_file_get_contents (out_path, &out, NULL, NULL) &&
          (line = strstr (out, "Listening on ")) != NULL &&
          strchr (line, '\n') != NULL)
        {
          line += strlen ("Listening on ");
          server->url = g_strndup (line, strcspn (line, "\r\n"));
          return TRUE;
        }
      iterate_for (POLL_INTERVAL_MS);
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
rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            rm_rf (child);
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}

static void
stop_server (TestServer *server)
{
  gint64 deadline;

  if (server->process != NULL && !server->exited)
    {
      g_subprocess_send_signal (server->process, SIGTERM);
      deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
      while (!server->exited && g_get_monotonic_time () < deadline)
        iterate_for (POLL_INTERVAL_MS);
      if (!server->exited)
        {
          g_subprocess_force_exit (server->process);
          while (!server->exited)
            g_main_context_iteration (NULL, TRUE);
        }
    }
  g_clear_object (&server->process);
  g_clear_pointer (&server->dir, g_free);
  g_clear_pointer (&server->url, g_free);
}

/* A failed assertion aborts this program before any teardown runs, which
 * would leave the server and tmux servers (with turnout-door inside)
 * running. A small shell outlives us to clean up in that case; after a
 * normal end it finds nothing left to do. */
static void
start_janitor (GPid server_pid)
{
  static const char script[] =
    "while kill -0 \"$2\" 2>/dev/null; do sleep 1; done\n"
    "[ -d \"$1\" ] || exit 0\n"
    "for s in \"$1\"/door-*/tmux.sock; do\n"
    "  [ -S \"$s\" ] && tmux -S \"$s\" kill-server\n"
    "done\n"
    "[ \"$3\" -gt 0 ] && kill \"$3\"\n"
    "sleep 1\n"
    "rm -rf \"$1\"\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) janitor = NULL;
  g_autofree char *parent = g_strdup_printf ("%d", (int) getpid ());
  g_autofree char *server = g_strdup_printf ("%d", (int) server_pid);

  janitor = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_INHERIT |
                              G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                              G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                              &error, "/bin/sh", "-c", script, "janitor",
                              root_dir, parent, server, NULL);
  g_assert_no_error (error);
}

/* --- the API, to know what the door should show -------------------------- */

typedef struct
{
  GAsyncResult *result;
} Waiter;

static void
waiter_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Waiter *waiter = user_data;

  waiter->result = g_object_ref (result);
}

static GAsyncResult *
wait_result (Waiter *waiter)
{
  while (waiter->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return waiter->result;
}

/* Signs in as @email; returns the client holding the token. */
static TnClient *
api_sign_in (const char  *email,
             TnUser     **out_user)
{
  g_autoptr(TnClient) client = tn_client_new (test_server.url);
  g_autoptr(GError) error = NULL;
  g_autoptr(TnUser) user = NULL;
  Waiter waiter = { NULL };

  tn_client_login_async (client, email, DEMO_PASSWORD, NULL, waiter_cb, &waiter);
  user = tn_client_login_finish (client, wait_result (&waiter), &error);
  g_clear_object (&waiter.result);
  g_assert_no_error (error);
  g_assert_nonnull (tn_client_get_token (client));

  if (out_user != NULL)
    *out_user = g_steal_pointer (&user);
  return g_steal_pointer (&client);
}

/* The events the door lists: upcoming ones, first page, by start. */
static GPtrArray *
api_upcoming_events (TnClient  *client,
                     gboolean  *more)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *next_cursor = NULL;
  GPtrArray *events;
  TnEventFilter filter = { 0 };
  Waiter waiter = { NULL };

  filter.from = g_get_real_time () / G_USEC_PER_SEC;
  tn_client_list_events_async (client, &filter, NULL, waiter_cb, &waiter);
  events = tn_client_list_events_finish (client, wait_result (&waiter), &next_cursor, &error);
  g_clear_object (&waiter.result);
  g_assert_no_error (error);
  g_assert_nonnull (events);
  *more = next_cursor != NULL;
  return events;
}

static void
store_token (Fixture    *fixture,
             const char *token)
{
  g_autoptr(GError) error = NULL;

  tn_tui_config_save_token (fixture->config_dir, test_server.url, token, &error);
  g_assert_no_error (error);
}

/* A title as it can be found on screen: its beginning, which fits any
 * column it is shown in at 80 columns. */
static char *
title_prefix (TnEvent *event,
              glong    chars)
{
  const char *title = tn_event_get_title (event);

  return g_utf8_substring (title, 0, MIN (chars, g_utf8_strlen (title, -1)));
}

/* --- tmux ---------------------------------------------------------------- */

static gboolean
run_tmux (Fixture     *fixture,
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

static void
fixture_setup (Fixture       *fixture,
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
  fixture->door_log = g_build_filename (fixture->dir, "door.log", NULL);
  g_file_set_contents (fixture->conf, conf, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (fixture->config_home, 0700), ==, 0);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (g_file_test (fixture->socket, G_FILE_TEST_EXISTS))
    run_tmux (fixture, NULL, NULL, "kill-server", NULL);
  rm_rf (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->socket);
  g_free (fixture->conf);
  g_free (fixture->config_home);
  g_free (fixture->config_dir);
  g_free (fixture->door_log);
  g_free (fixture->screen);
}

static gboolean
have_tmux (void)
{
  g_autofree char *path = g_find_program_in_path ("tmux");

  if (path == NULL)
    {
      g_test_skip ("tmux is not installed");
      return FALSE;
    }
  return TRUE;
}

/* Starts turnout-door in a new 80×24 tmux session against @url. */
static void
start_door_full (Fixture    *fixture,
                 const char *url,
                 const char *tz,
                 gboolean    no_color)
{
  g_auto(GStrv) envp = g_get_environ ();
  g_autofree char *door_q = g_shell_quote (door_path);
  g_autofree char *url_q = g_shell_quote (url);
  g_autofree char *log_q = g_shell_quote (fixture->door_log);
  g_autofree char *command = NULL;

  envp = g_environ_setenv (envp, "XDG_CONFIG_HOME", fixture->config_home, TRUE);
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

  /* stderr to a file: the door keeps its log off the screen while it
   * runs, but a sanitizer report would land on it. */
  command = g_strdup_printf ("exec %s --server %s 2>%s", door_q, url_q, log_q);
  g_assert_true (run_tmux (fixture, envp, NULL, "new-session", "-d", "-s", "door",
                           "-x", "80", "-y", "24", command, NULL));
  fixture->height = 24;
}

static void
start_door (Fixture    *fixture,
            const char *url,
            const char *tz)
{
  start_door_full (fixture, url, tz, FALSE);
}

static const char *
capture (Fixture *fixture)
{
  g_autofree char *screen = NULL;

  if (run_tmux (fixture, NULL, &screen, "capture-pane", "-p", "-t", "door", NULL))
    {
      g_free (fixture->screen);
      fixture->screen = g_steal_pointer (&screen);
    }
  return fixture->screen != NULL ? fixture->screen : "";
}

static void
show_failure (Fixture    *fixture,
              const char *what)
{
  g_autofree char *log = NULL;

  g_file_get_contents (fixture->door_log, &log, NULL, NULL);
  g_test_message ("waited in vain for %s; the screen:\n%s\nturnout-door's stderr:\n%s",
                  what, fixture->screen != NULL ? fixture->screen : "(none)",
                  log != NULL ? log : "");
}

typedef gboolean (*ScreenCheck) (Fixture    *fixture,
                                 const char *screen,
                                 gconstpointer data);

static gboolean
wait_for_screen (Fixture       *fixture,
                 ScreenCheck    check,
                 gconstpointer  data,
                 const char    *what)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_TIMEOUT_MS * G_GINT64_CONSTANT (1000);

  do
    {
      if (check (fixture, capture (fixture), data))
        return TRUE;
      g_usleep (POLL_INTERVAL_MS * 1000);
    }
  while (g_get_monotonic_time () < deadline);

  show_failure (fixture, what);
  return FALSE;
}

static gboolean
contains_check (Fixture      *fixture,
                const char   *screen,
                gconstpointer data)
{
  const char * const *needles = data;

  for (guint i = 0; needles[i] != NULL; i++)
    if (strstr (screen, needles[i]) == NULL)
      return FALSE;
  return TRUE;
}

/* Waits until every one of the NULL-terminated strings is on screen. */
static gboolean
wait_for_text (Fixture    *fixture,
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
  return wait_for_screen (fixture, contains_check, needles->pdata, what);
}

static void
send_keys (Fixture    *fixture,
           const char *first_key,
           ...)
{
  va_list args;

  va_start (args, first_key);
  for (const char *key = first_key; key != NULL; key = va_arg (args, const char *))
    {
      g_assert_true (run_tmux (fixture, NULL, NULL, "send-keys", "-t", "door", key, NULL));
    }
  va_end (args);
}

static void
send_text (Fixture    *fixture,
           const char *text)
{
  g_assert_true (run_tmux (fixture, NULL, NULL, "send-keys", "-t", "door", "-l", text, NULL));
}

/* Returns TRUE once the door's process has ended and tmux has its exit
 * status. tmux sees the terminal close before it reaps the process, so
 * for a moment a pane is dead without a status; after a signal (an abort
 * from a sanitizer, say) it stays without one. */
static gboolean
pane_exited (Fixture  *fixture,
             gboolean *dead,
             int      *status)
{
  g_autofree char *out = NULL;
  g_auto(GStrv) fields = NULL;

  *dead = FALSE;
  if (!run_tmux (fixture, NULL, &out, "display-message", "-p", "-t", "door",
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
nudge_tmux (Fixture *fixture)
{
  g_autofree char *out = NULL;
  gint64 pid;

  if (run_tmux (fixture, NULL, &out, "display-message", "-p", "#{pid}", NULL) &&
      (pid = g_ascii_strtoll (out, NULL, 10)) > 1)
    kill ((pid_t) pid, SIGCHLD);
}

/* Waits for the door to exit and asserts it exited with status 0. */
static void
assert_door_exits (Fixture *fixture)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_TIMEOUT_MS * G_GINT64_CONSTANT (1000);
  gint64 dead_since = 0;
  gboolean dead = FALSE;
  int status = -1;

  while (!pane_exited (fixture, &dead, &status) && g_get_monotonic_time () < deadline)
    {
      g_usleep (POLL_INTERVAL_MS * 1000);
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

  if (status != 0)
    {
      capture (fixture);
      show_failure (fixture, dead ? "an exit status (killed by a signal?)"
                                  : "turnout-door to exit with status 0");
    }
  g_assert_true (dead);
  g_assert_cmpint (status, ==, 0);
}

static void
sign_in_by_keys (Fixture    *fixture,
                 const char *email,
                 const char *password)
{
  g_assert_true (wait_for_text (fixture, "Sign in to your Turnout server", "E-mail", "Password", NULL));
  send_text (fixture, email);
  send_keys (fixture, "Tab", NULL);
  send_text (fixture, password);
  send_keys (fixture, "Enter", NULL);
}

/* The screen as lines, to look at one row. */
static char *
screen_line (Fixture *fixture,
             int      row)
{
  g_auto(GStrv) lines = g_strsplit (fixture->screen != NULL ? fixture->screen : "", "\n", -1);

  if (row < 0 || row >= (int) g_strv_length (lines))
    return g_strdup ("");
  return g_strdup (lines[row]);
}

/* --- tests --------------------------------------------------------------- */

static void
test_sign_in_wrong_password (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *token_path = g_build_filename (fixture->config_dir, "door-token", NULL);

  if (!have_tmux ())
    return;

  start_door (fixture, test_server.url, "UTC");
  sign_in_by_keys (fixture, MEMBER_EMAIL, "not-the-password");
  g_assert_true (wait_for_text (fixture, "Wrong e-mail address or password.", "Sign in to your Turnout server", NULL));
  g_assert_false (g_file_test (token_path, G_FILE_TEST_EXISTS));

  /* The e-mail stays, the password field is empty: a second try needs
   * only the password. */
  g_assert_nonnull (strstr (fixture->screen, MEMBER_EMAIL));
  send_text (fixture, DEMO_PASSWORD);
  send_keys (fixture, "Enter", NULL);
  g_assert_true (wait_for_text (fixture, "Upcoming events", NULL));

  send_keys (fixture, "q", NULL);
  assert_door_exits (fixture);
}

static void
test_sign_in (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *token_path = g_build_filename (fixture->config_dir, "door-token", NULL);
  g_autofree char *ini_path = g_build_filename (fixture->config_dir, "door.ini", NULL);
  g_autofree char *ini = NULL;
  g_autofree char *first = NULL;
  g_autofree char *status_line = NULL;
  g_autoptr(TnClient) client = NULL;
  g_autoptr(TnUser) user = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *stored = NULL;
  GStatBuf st;
  gboolean more;

  if (!have_tmux ())
    return;

  client = api_sign_in (MEMBER_EMAIL, &user);
  events = api_upcoming_events (client, &more);
  g_assert_cmpuint (events->len, >, 3);
  first = title_prefix (g_ptr_array_index (events, 0), 30);

  start_door (fixture, test_server.url, "UTC");
  sign_in_by_keys (fixture, MEMBER_EMAIL, DEMO_PASSWORD);
  g_assert_true (wait_for_text (fixture, "Upcoming events", first, NULL));

  /* The status line names the keys, the user (UTF-8) and the server. */
  status_line = screen_line (fixture, fixture->height - 1);
  g_assert_nonnull (strstr (status_line, "q quit"));
  g_assert_nonnull (strstr (status_line, tn_user_get_name (user)));
  g_assert_nonnull (strstr (status_line, strstr (test_server.url, "://") + 3));

  /* The token is kept for the next start, readable by its owner only. */
  g_assert_cmpint (g_stat (token_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  stored = tn_tui_config_load_token (fixture->config_dir, test_server.url, NULL);
  g_assert_nonnull (stored);
  g_assert_true (g_file_get_contents (ini_path, &ini, NULL, NULL));
  g_assert_nonnull (strstr (ini, test_server.url));
  g_assert_null (strstr (ini, stored));

  send_keys (fixture, "q", NULL);
  assert_door_exits (fixture);
}

static void
test_stored_token (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(TnClient) client = NULL;
  g_autoptr(TnUser) user = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *first = NULL;
  gboolean more;

  if (!have_tmux ())
    return;

  client = api_sign_in (ORGANIZER_EMAIL, &user);
  events = api_upcoming_events (client, &more);
  first = title_prefix (g_ptr_array_index (events, 0), 30);
  store_token (fixture, tn_client_get_token (client));

  /* No keys typed: the stored token signs in. */
  start_door (fixture, test_server.url, "UTC");
  g_assert_true (wait_for_text (fixture, "Upcoming events", first, tn_user_get_name (user), NULL));

  send_keys (fixture, "q", NULL);
  assert_door_exits (fixture);
}

static void
test_revoked_token (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *token_path = g_build_filename (fixture->config_dir, "door-token", NULL);

  if (!have_tmux ())
    return;

  store_token (fixture, "tn1_this-token-was-never-issued");
  start_door (fixture, test_server.url, "UTC");
  g_assert_true (wait_for_text (fixture, "The stored sign-in is no longer valid",
                                "Sign in to your Turnout server", NULL));
  g_assert_false (g_file_test (token_path, G_FILE_TEST_EXISTS));

  send_keys (fixture, "Escape", NULL);
  assert_door_exits (fixture);
}

static gboolean
title_and_position_check (Fixture      *fixture,
                          const char   *screen,
                          gconstpointer data)
{
  const char * const *needles = data;

  return strstr (screen, needles[0]) != NULL && strstr (screen, needles[1]) != NULL;
}

static char *
format_in_zone (gint64      when,
                const char *zone,
                const char *format)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (zone);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (when);
  g_autoptr(GDateTime) local = NULL;

  g_assert_nonnull (tz);
  local = g_date_time_to_timezone (utc, tz);
  return g_date_time_format (local, format);
}

static void
assert_details_of (Fixture *fixture,
                   TnEvent *event)
{
  g_autofree char *title = title_prefix (event, 40);
  g_autofree char *start = format_in_zone (tn_event_get_starts_at (event), BERLIN, "%H:%M");
  const char *location = tn_event_get_location (event);

  g_assert_true (wait_for_text (fixture, "Event details", title, "When", start, NULL));
  if (location != NULL && location[0] != '\0')
    {
      g_autofree char *where = g_utf8_substring (location, 0, MIN (30, g_utf8_strlen (location, -1)));

      g_assert_nonnull (strstr (fixture->screen, where));
    }
  if (tn_event_get_category (event) != NULL)
    g_assert_nonnull (strstr (fixture->screen, tn_event_get_category (event)));
}

static void
test_list_and_details (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(TnClient) client = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *first = NULL;
  g_autofree char *fourth_position = NULL;
  g_autofree char *last_position = NULL;
  g_autofree char *fourth_title = NULL;
  const char *needles[3];
  gboolean more;
  TnEvent *fourth;

  if (!have_tmux ())
    return;
  if (!g_file_test ("/usr/share/zoneinfo/" BERLIN, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("tzdata is not installed");
      return;
    }

  client = api_sign_in (MEMBER_EMAIL, NULL);
  events = api_upcoming_events (client, &more);
  g_assert_cmpuint (events->len, >=, 5);
  store_token (fixture, tn_client_get_token (client));
  first = title_prefix (g_ptr_array_index (events, 0), 30);
  fourth = g_ptr_array_index (events, 3);

  /* Times are shown in local time: Berlin is never UTC. */
  start_door (fixture, test_server.url, BERLIN);
  g_assert_true (wait_for_text (fixture, "Upcoming events (1 of", first, NULL));
  {
    g_autofree char *start = format_in_zone (tn_event_get_starts_at (g_ptr_array_index (events, 0)),
                                             BERLIN, "%H:%M");
    g_autofree char *row = screen_line (fixture, 2);

    g_assert_nonnull (strstr (row, start));
  }

  /* Three down (arrow, j, arrow), then open. */
  send_keys (fixture, "Down", "j", "Down", NULL);
  fourth_position = g_strdup_printf ("Upcoming events (4 of %u", events->len);
  g_assert_true (wait_for_text (fixture, fourth_position, NULL));
  send_keys (fixture, "Enter", NULL);
  assert_details_of (fixture, fourth);

  /* Back keeps the selection. */
  send_keys (fixture, "Escape", NULL);
  fourth_title = title_prefix (fourth, 30);
  needles[0] = fourth_position;
  needles[1] = fourth_title;
  needles[2] = NULL;
  g_assert_true (wait_for_screen (fixture, title_and_position_check, needles, "the list again"));
  g_assert_null (strstr (fixture->screen, "Event details"));

  /* The last one, past the first screenful; q goes back from details. */
  if (!more)
    {
      send_keys (fixture, "End", NULL);
      last_position = g_strdup_printf ("Upcoming events (%u of %u)", events->len, events->len);
      g_assert_true (wait_for_text (fixture, last_position, NULL));
      send_keys (fixture, "Enter", NULL);
      assert_details_of (fixture, g_ptr_array_index (events, events->len - 1));
      send_keys (fixture, "q", NULL);
      g_assert_true (wait_for_text (fixture, last_position, NULL));
    }

  /* Up from the top stays at the top. */
  send_keys (fixture, "Home", "Up", "k", NULL);
  g_assert_true (wait_for_text (fixture, "Upcoming events (1 of", NULL));

  /* Help, and back. */
  send_keys (fixture, "?", NULL);
  g_assert_true (wait_for_text (fixture, "Keys", "Refresh the list from the server", NULL));
  send_keys (fixture, "Escape", NULL);
  g_assert_true (wait_for_text (fixture, "Upcoming events (1 of", NULL));

  send_keys (fixture, "q", NULL);
  assert_door_exits (fixture);
}

typedef struct
{
  int         height;
  const char *last_line;   /* what the last line starts with */
  const char *also;        /* (nullable) somewhere on screen */
} SizeCheck;

static gboolean
size_check (Fixture      *fixture,
            const char   *screen,
            gconstpointer data)
{
  const SizeCheck *check = data;
  g_auto(GStrv) lines = g_strsplit (screen, "\n", -1);
  guint n = g_strv_length (lines);

  /* capture-pane ends the last line with a newline too */
  if (n > 0 && lines[n - 1][0] == '\0')
    n--;
  if ((int) n != check->height)
    return FALSE;
  if (!g_str_has_prefix (lines[n - 1], check->last_line))
    return FALSE;
  return check->also == NULL || strstr (screen, check->also) != NULL;
}

static void
resize (Fixture *fixture,
        int      width,
        int      height)
{
  g_autofree char *w = g_strdup_printf ("%d", width);
  g_autofree char *h = g_strdup_printf ("%d", height);

  g_assert_true (run_tmux (fixture, NULL, NULL, "resize-window", "-t", "door", "-x", w, "-y", h, NULL));
  fixture->height = height;
}

static void
test_resize (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(TnClient) client = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *first = NULL;
  g_autofree char *later = NULL;
  SizeCheck check;
  gboolean more;

  if (!have_tmux ())
    return;

  client = api_sign_in (MEMBER_EMAIL, NULL);
  events = api_upcoming_events (client, &more);
  /* At 80×24 the list shows 20 rows; at 100×30, 26. */
  g_assert_cmpuint (events->len, >=, 26);
  store_token (fixture, tn_client_get_token (client));
  first = title_prefix (g_ptr_array_index (events, 0), 25);
  later = title_prefix (g_ptr_array_index (events, 24), 25);

  start_door (fixture, test_server.url, "UTC");
  check = (SizeCheck) { 24, " Enter open", first };
  g_assert_true (wait_for_screen (fixture, size_check, &check, "the list at 80×24"));
  g_assert_null (strstr (fixture->screen, later));

  /* Larger: more rows, and the status line moves to the new bottom. */
  resize (fixture, 100, 30);
  check = (SizeCheck) { 30, " Enter open", later };
  g_assert_true (wait_for_screen (fixture, size_check, &check, "the list at 100×30"));

  /* Smaller than 80×24: still a header, rows and a status line. */
  resize (fixture, 40, 10);
  check = (SizeCheck) { 10, " Enter open", "Turnout door" };
  g_assert_true (wait_for_screen (fixture, size_check, &check, "the list at 40×10"));

  /* Too small for anything: it says so instead of drawing garbage. */
  resize (fixture, 16, 4);
  check = (SizeCheck) { 4, "", "Terminal too" };
  g_assert_true (wait_for_screen (fixture, size_check, &check, "the too-small notice"));

  /* And back, with the keys still working. */
  resize (fixture, 80, 24);
  check = (SizeCheck) { 24, " Enter open", first };
  g_assert_true (wait_for_screen (fixture, size_check, &check, "the list at 80×24 again"));
  send_keys (fixture, "Enter", NULL);
  g_assert_true (wait_for_text (fixture, "Event details", first, NULL));
  send_keys (fixture, "Escape", "q", NULL);
  assert_door_exits (fixture);
}

/* The first line with its attributes, as SGR escape sequences. */
static char *
capture_header (Fixture *fixture)
{
  g_autofree char *out = NULL;

  g_assert_true (run_tmux (fixture, NULL, &out, "capture-pane", "-p", "-e",
                           "-t", "door", "-S", "0", "-E", "0", NULL));
  return g_steal_pointer (&out);
}

static gboolean
has_color (const char *escapes)
{
  g_autoptr(GRegex) regex = NULL;

  /* A foreground or background colour: 30–37, 40–47, 90–97, 100–107 or
   * 38;…/48;…, alone or in a list. 39 and 49 (the defaults) do not count. */
  regex = g_regex_new ("\\x1b\\[([0-9;]*;)?(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[0-9;]*)?m", 0, 0, NULL);
  return g_regex_match (regex, escapes, 0, NULL);
}

static void
test_colors (Fixture       *fixture,
             gconstpointer  data)
{
  gboolean no_color = GPOINTER_TO_INT (data);
  g_autoptr(TnClient) client = NULL;
  g_autofree char *header = NULL;

  if (!have_tmux ())
    return;

  client = api_sign_in (MEMBER_EMAIL, NULL);
  store_token (fixture, tn_client_get_token (client));
  start_door_full (fixture, test_server.url, "UTC", no_color);
  g_assert_true (wait_for_text (fixture, "Upcoming events (1 of", NULL));

  header = capture_header (fixture);
  g_test_message ("header: %s", header);
  if (no_color)
    {
      /* NO_COLOR: no colour at all, and the header still stands out. */
      g_assert_false (has_color (header));
      g_assert_true (g_regex_match_simple ("\\x1b\\[([0-9;]*;)?7(;[0-9;]*)?m", header, 0, 0));
    }
  else
    {
      g_assert_true (has_color (header));
    }

  send_keys (fixture, "q", NULL);
  assert_door_exits (fixture);
}

static void
test_unreachable (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  guint16 port;

  if (!have_tmux ())
    return;

  /* A port that was free a moment ago and that nobody listens on. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  url = g_strdup_printf ("http://127.0.0.1:%u", port);

  start_door (fixture, url, "UTC");
  sign_in_by_keys (fixture, MEMBER_EMAIL, DEMO_PASSWORD);
  g_assert_true (wait_for_text (fixture, "Cannot reach the server at", "Sign in to your Turnout server", NULL));

  send_keys (fixture, "Escape", NULL);
  assert_door_exits (fixture);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int result;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  door_path = g_getenv ("TURNOUT_DOOR");
  if (door_path == NULL || !g_file_test (door_path, G_FILE_TEST_IS_EXECUTABLE))
    g_error ("TURNOUT_DOOR (%s) is not an executable", door_path ? door_path : "unset");
  root_dir = g_dir_make_tmp ("turnout-tui-XXXXXX", &error);
  g_assert_no_error (error);
  if (!start_server (&test_server, &error))
    {
      stop_server (&test_server);
      rm_rf (root_dir);
      g_error ("%s", error->message);
    }
  {
    const char *pid = g_subprocess_get_identifier (test_server.process);

    start_janitor (pid != NULL ? atoi (pid) : 0);
  }

  g_test_add ("/tui/sign-in", Fixture, NULL, fixture_setup, test_sign_in, fixture_teardown);
  g_test_add ("/tui/sign-in/wrong-password", Fixture, NULL,
              fixture_setup, test_sign_in_wrong_password, fixture_teardown);
  g_test_add ("/tui/sign-in/stored-token", Fixture, NULL,
              fixture_setup, test_stored_token, fixture_teardown);
  g_test_add ("/tui/sign-in/revoked-token", Fixture, NULL,
              fixture_setup, test_revoked_token, fixture_teardown);
  g_test_add ("/tui/sign-in/unreachable", Fixture, NULL,
              fixture_setup, test_unreachable, fixture_teardown);
  g_test_add ("/tui/list-and-details", Fixture, NULL,
              fixture_setup, test_list_and_details, fixture_teardown);
  g_test_add ("/tui/resize", Fixture, NULL, fixture_setup, test_resize, fixture_teardown);
  g_test_add ("/tui/colors", Fixture, GINT_TO_POINTER (FALSE),
              fixture_setup, test_colors, fixture_teardown);
  g_test_add ("/tui/colors/no-color", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_colors, fixture_teardown);

  result = g_test_run ();
  stop_server (&test_server);
  rm_rf (root_dir);
  g_free (root_dir);
  return result;
}
