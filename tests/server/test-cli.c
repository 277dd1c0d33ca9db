/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The turnout-server binary as an admin meets it: options, init, backup,
 * config files, demo data and signals. */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "tn-json.h"
#include "tn-test-utils.h"

#define ADMIN_PASSWORD "first admin's password"

typedef struct
{
  char *dir;
  char *db;      /* sqlite:DIR/x.db, or a new PostgreSQL database under
                    tests/postgres/with-cluster */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("turnout-cli-XXXXXX", &error);
  g_assert_no_error (error);
  f->db = tn_test_pg_fresh_database ();
  if (f->db == NULL)
    f->db = g_strdup_printf ("sqlite:%s/x.db", f->dir);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  tn_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db);
}

/* --- running the binary -------------------------------------------------- */

/* Every server here can make its first admin with this password. */
static const char * const admin_env[] = { "TURNOUT_ADMIN_PASSWORD", ADMIN_PASSWORD, NULL };

/* Runs the binary to its end; returns its exit status. */
static int
run (const char * const  *args,
     char               **out_stdout,
     char               **out_stderr)
{
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE;
  g_autoptr(GSubprocess) process = tn_test_spawn_server (args, admin_env, flags);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  if (out_stdout != NULL)
    *out_stdout = g_steal_pointer (&out);
  if (out_stderr != NULL)
    *out_stderr = g_steal_pointer (&err);
  return g_subprocess_get_exit_status (process);
}

static TnTestProcess *
server_start (const char * const *args)
{
  return tn_test_process_start (args, admin_env);
}

#define server_stop tn_test_process_stop

static JsonObject *
get_object (const char *url,
            const char *path,
            const char *token)
{
  g_autofree char *body = NULL;
  guint status = tn_test_http (url, "GET", path, token, NULL, -1, NULL, &body);

  if (status != 200)
    g_error ("GET %s: %u %s", path, status, body);
  return tn_test_parse_object (body);
}

static char *
token_from_output (const char *out)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "Token: "))
      return g_strdup (lines[i] + strlen ("Token: "));
  g_error ("No token in: %s", out);
  return NULL;
}

/* The users as an admin lists them, as JSON text. */
static char *
users_json (const char *url,
            const char *token)
{
  g_autofree char *body = NULL;
  guint status = tn_test_http (url, "GET", "/api/v1/users?limit=500", token, NULL, -1, NULL, &body);

  g_assert_cmpuint (status, ==, 200);
  return g_steal_pointer (&body);
}

/* --- tests --------------------------------------------------------------- */

static void
test_version (Fixture       *f,
              gconstpointer  data)
{
  const char *args[] = { "--version", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run (args, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, "turnout-server " PACKAGE_VERSION "\n");
  g_assert_cmpstr (err, ==, "");
}

static void
test_help (Fixture       *f,
           gconstpointer  data)
{
  const char *args[] = { "--help", NULL };
  const char *options[] = { "--listen", "--database", "--config", "--demo", "--version" };
  const char *commands[] = { "init", "backup", "migrate" };
  g_autofree char *out = NULL;

  g_assert_cmpint (run (args, &out, NULL), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    if (strstr (out, options[i]) == NULL)
      g_error ("--help does not mention %s:\n%s", options[i], out);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_assert_nonnull (strstr (out, commands[i]));
}

static void
test_bad_arguments (Fixture       *f,
                    gconstpointer  data)
{
  const char *unknown_option[] = { "--no-such-option", NULL };
  const char *unknown_command[] = { "--database", f->db, "frobnicate", NULL };
  const char *missing_config[] = { "--config", "/nonexistent/turnout.ini", NULL };
  const char *init_no_email[] = { "init", "--database", f->db, NULL };
  const char *init_bad_email[] = { "init", "--email", "not-an-address", "--database", f->db, NULL };
  const char *too_many_connections[] = { "--database", f->db, "--db-connections", "65", "migrate", NULL };
  g_autofree char *err = NULL;

  g_assert_cmpint (run (unknown_option, NULL, &err), !=, 0);
  g_assert_nonnull (strstr (err, "no-such-option"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (unknown_command, NULL, &err), !=, 0);
  g_assert_nonnull (strstr (err, "--help"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (missing_config, NULL, &err), !=, 0);
  g_assert_nonnull (strstr (err, "/nonexistent/turnout.ini"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (init_no_email, NULL, &err), !=, 0);
  g_assert_nonnull (strstr (err, "--email"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (init_bad_email, NULL, &err), !=, 0);
  g_assert_nonnull (strstr (err, "--email"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (too_many_connections, NULL, &err), !=, 0);
  g_assert_nonnull (strstr (err, "--db-connections must be from 1 to 64"));
}

static void
test_init (Fixture       *f,
           gconstpointer  data)
{
  const char *init[] = { "init", "--email", "a@b.org", "--database", f->db, NULL };
  const char *init_again[] = { "init", "--email", "c@d.org", "--database", f->db, NULL };
  const char *serve[] = { "--listen", "127.0.0.1:0", "--database", f->db, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *out2 = NULL;
  g_autofree char *err2 = NULL;
  g_autofree char *token = NULL;
  g_autofree char *rest = NULL;
  g_autofree char *login_body = NULL;
  g_autoptr(TnTestProcess) server = NULL;
  g_autoptr(JsonObject) me = NULL;
  g_autoptr(JsonObject) users = NULL;
  g_autoptr(JsonObject) login = NULL;
  JsonObject *user;

  g_assert_cmpint (run (init, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "a@b.org"));
  /* The password came from the environment: it is not printed. */
  g_assert_null (strstr (out, "Password:"));
  g_assert_null (strstr (out, ADMIN_PASSWORD));
  token = token_from_output (out);
  g_assert_true (g_str_has_prefix (token, "tn1_"));

  /* A second init changes nothing and says so. */
  g_assert_cmpint (run (init_again, &out2, &err2), !=, 0);
  g_assert_null (strstr (out2, "Token:"));
  g_assert_nonnull (strstr (err2, "nothing was changed"));

  server = server_start (serve);
  me = get_object (server->url, "/api/v1/me", token);
  g_assert_cmpstr (tn_json_object_get_string (me, "email"), ==, "a@b.org");
  g_assert_cmpstr (tn_json_object_get_string (me, "role"), ==, "admin");
  users = get_object (server->url, "/api/v1/users", token);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (users, "items")), ==, 1);

  /* The password from TURNOUT_ADMIN_PASSWORD signs in. */
  g_assert_cmpuint (tn_test_http (server->url, "POST", "/api/v1/auth/login", NULL,
                                  "{\"email\": \"a@b.org\", \"password\": \"" ADMIN_PASSWORD "\"}",
                                  -1, NULL,
                                  &login_body), ==, 200);
  login = tn_test_parse_object (login_body);
  user = json_object_get_object_member (login, "user");
  g_assert_cmpstr (tn_json_object_get_string (user, "role"), ==, "admin");

  rest = server_stop (server, SIGTERM);
  g_assert_nonnull (strstr (rest, "Stopped."));
}

static void
test_backup (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *copy_path = g_build_filename (f->dir, "backup.db", NULL);
  g_autofree char *copy_uri = g_strconcat ("sqlite:", copy_path, NULL);
  const char *init[] = { "init", "--email", "a@b.org", "--database", f->db, NULL };
  const char *serve[] = { "--listen", "127.0.0.1:0", "--database", f->db, NULL };
  const char *backup[] = { "--database", f->db, "backup", copy_path, NULL };
  const char *serve_copy[] = { "--listen", "127.0.0.1:0", "--database", copy_uri, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *token = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *created = NULL;
  g_autofree char *stopped = NULL;
  g_autoptr(TnTestProcess) server = NULL;
  g_autoptr(TnTestProcess) restored = NULL;
  g_autoptr(JsonObject) list = NULL;
  GStatBuf st;

  g_assert_cmpint (run (init, &out, NULL), ==, 0);
  token = token_from_output (out);
  g_clear_pointer (&out, g_free);

  /* PostgreSQL has its own tools, and the command says which */
  if (g_str_has_prefix (f->db, "postgresql:"))
    {
      g_assert_cmpint (run (backup, NULL, &err), !=, 0);
      g_assert_nonnull (strstr (err, "pg_dump"));
      g_assert_false (g_file_test (copy_path, G_FILE_TEST_EXISTS));
      return;
    }

  /* An online backup: the server runs and has just written. */
  server = server_start (serve);
  g_assert_cmpuint (tn_test_http (server->url, "POST", "/api/v1/users", token,
                                  "{\"email\": \"m@b.org\", \"name\": \"Member\", "
                                  "\"password\": \"12345678\", "
                                  "\"role\": \"member\"}", -1, NULL, &created), ==, 201);
  g_assert_cmpuint (tn_test_http (server->url, "POST", "/api/v1/users", token,
                                  "{\"email\": \"o@b.org\", \"name\": \"Organizer\", "
                                  "\"password\": \"12345678\", "
                                  "\"role\": \"organizer\"}", -1, NULL, NULL), ==, 201);
  before = users_json (server->url, token);
  g_assert_cmpint (run (backup, &out, &err), ==, 0);
  g_assert_cmpint (g_stat (copy_path, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 0);
  stopped = server_stop (server, SIGTERM);

  /* The copy opens in a server of its own and holds the same users. */
  restored = server_start (serve_copy);
  after = users_json (restored->url, token);
  tn_assert_json_equal (after, before);
  list = tn_test_parse_object (after);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (list, "items")), ==, 3);
  g_clear_pointer (&stopped, g_free);
  stopped = server_stop (restored, SIGTERM);

  /* A backup never overwrites a file. */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (backup, NULL, &err), !=, 0);
  g_assert_nonnull (strstr (err, "exists"));
}

static void
test_config (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *config = g_build_filename (f->dir, "turnout.ini", NULL);
  g_autofree char *db_path = g_build_filename (f->dir, "from-config.db", NULL);
  g_autofree char *contents =
    g_strdup_printf ("[server]\nlisten=127.0.0.1:0\ndatabase=sqlite:%s\ndemo=true\n", db_path);
  g_autofree char *bad_listen = g_build_filename (f->dir, "bad-listen.ini", NULL);
  const char *serve[] = { "--config", config, NULL };
  const char *override[] = { "--config", bad_listen, "--listen", "127.0.0.1:0", "--database", f->db,
                             NULL };
  const char *broken[] = { "--config", bad_listen, "--database", f->db, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(TnTestProcess) server = NULL;
  g_autoptr(TnTestProcess) overridden = NULL;
  g_autoptr(JsonObject) events = NULL;
  g_autofree char *rest = NULL;
  g_autofree char *err = NULL;

  g_assert_true (g_file_set_contents (config, contents, -1, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (bad_listen, "[server]\nlisten=not-an-address\n", -1, &error));
  g_assert_no_error (error);

  /* listen (port 0), database and demo all come from the file. */
  g_assert_false (g_file_test (db_path, G_FILE_TEST_EXISTS));
  server = server_start (serve);
  g_assert_true (g_file_test (db_path, G_FILE_TEST_EXISTS));
  events = get_object (server->url, "/api/v1/events?limit=500", NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (events, "items")), ==, 31);
  rest = server_stop (server, SIGTERM);

  /* The command line wins over the file. */
  overridden = server_start (override);
  g_clear_pointer (&rest, g_free);
  rest = server_stop (overridden, SIGTERM);

  /* And a bad value in the file is reported. */
  g_assert_cmpint (run (broken, NULL, &err), !=, 0);
  g_assert_nonnull (strstr (err, "not-an-address"));
}

static void
test_bad_listen (Fixture       *f,
                 gconstpointer  data)
{
  static const char * const addresses[] = {
    "nonsense", "127.0.0.1", "127.0.0.1:99999", "127.0.0.1:http", "999.1.1.1:8080", ":8080",
    "example.org:80",
  };
  const char *serve[] = { "--listen", "127.0.0.1:0", "--database", f->db, NULL };
  g_autoptr(TnTestProcess) server = NULL;
  g_autofree char *taken = NULL;
  g_autofree char *rest = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (addresses); i++)
    {
      const char *args[] = { "--listen", addresses[i], "--database", f->db, NULL };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_assert_cmpint (run (args, &out, &err), !=, 0);
      g_assert_null (strstr (out, "Listening"));
      /* A clear error: it names the address and says what is expected. */
      if (strstr (err, addresses[i]) == NULL || strstr (err, "HOST:PORT") == NULL)
        g_error ("unclear error for --listen %s: %s", addresses[i], err);
    }

  /* A port in use is an error too, not a hang. */
  server = server_start (serve);
  taken = g_strdup (server->url + strlen ("http://"));
  {
    const char *args[] = { "--listen", taken, "--database", f->db, NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (run (args, &out, &err), !=, 0);
    g_assert_nonnull (strstr (err, taken));
    g_assert_null (strstr (out, "Listening"));
  }
  rest = server_stop (server, SIGTERM);
}

static void
test_demo (Fixture       *f,
           gconstpointer  data)
{
  const char *demo[] = { "--demo", "--listen", "127.0.0.1:0", "--database", f->db, NULL };
  g_autoptr(TnTestProcess) server = NULL;
  g_autoptr(TnTestProcess) again = NULL;
  g_autoptr(JsonObject) events = NULL;
  g_autoptr(JsonObject) events_again = NULL;
  g_autoptr(JsonObject) login = NULL;
  g_autofree char *login_body = NULL;
  g_autofree char *rest = NULL;

  server = server_start (demo);
  events = get_object (server->url, "/api/v1/events?limit=500", NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (events, "items")), ==, 31);
  g_assert_cmpuint (tn_test_http (server->url, "POST", "/api/v1/auth/login", NULL,
                                  "{\"email\": \"" TN_DEMO_ORGANIZER_EMAIL "\", "
                                  "\"password\": \"" TN_DEMO_PASSWORD "\"}", -1, NULL, &login_body),
                                  ==, 200);
  rest = server_stop (server, SIGTERM);

  /* --demo on a database that has data adds nothing. */
  again = server_start (demo);
  events_again = get_object (again->url, "/api/v1/events?limit=500", NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (events_again, "items")),
                    ==, 31);
  g_clear_pointer (&rest, g_free);
  rest = server_stop (again, SIGINT);
}

static void
test_sigterm (Fixture       *f,
              gconstpointer  data)
{
  const char *serve[] = { "--listen", "127.0.0.1:0", "--database", f->db, NULL };
  g_autoptr(TnTestProcess) server = server_start (serve);
  g_autoptr(JsonObject) health = get_object (server->url, "/health", NULL);
  g_autofree char *rest = NULL;

  g_assert_cmpstr (tn_json_object_get_string (health, "status"), ==, "ok");
  /* server_stop() asserts the exit status 0. */
  rest = server_stop (server, SIGTERM);
  g_assert_nonnull (strstr (rest, "Stopped."));
}

int
main (int    argc,
      char **argv)
{
  tn_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/server/cli/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("version", test_version);
  ADD ("help", test_help);
  ADD ("bad-arguments", test_bad_arguments);
  ADD ("init", test_init);
  ADD ("backup", test_backup);
  ADD ("config", test_config);
  ADD ("bad-listen", test_bad_listen);
  ADD ("demo", test_demo);
  ADD ("sigterm", test_sigterm);
#undef ADD

  return g_test_run ();
}
