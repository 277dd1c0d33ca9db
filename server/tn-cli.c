/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The command line of turnout-server: serve (default), init, backup, migrate. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "tn-i18n.h"
#include "tn-auth.h"
#include "tn-cli.h"
#include "tn-demo.h"
#include "tn-error.h"
#include "tn-id.h"
#include "tn-server.h"
#include "tn-time.h"

#define DEFAULT_LISTEN "127.0.0.1:8080"
/* PostgreSQL's default max_connections is 100, shared by every server */
#define TN_CLI_DB_CONNECTIONS_MAX 64

typedef struct
{
  char     *listen;
  char     *database;
  char     *config;
  gboolean  demo;
  gboolean  version;
  gint64    max_body_size;
  gint64    token_ttl_days;
  gint64    recommendations_refresh;
  gint64    login_attempts_per_account;
  gint64    login_attempts_per_address;
  gint64    db_connections;
  char     *trusted_proxies;
  /* migrate --from --to */
  char     *from;
  char     *to;
  /* init */
  char     *email;
  char     *name;
  char     *password_file;
} Options;

static void
options_clear (Options *options)
{
  g_free (options->listen);
  g_free (options->database);
  g_free (options->config);
  g_free (options->trusted_proxies);
  g_free (options->from);
  g_free (options->to);
  g_free (options->email);
  g_free (options->name);
  g_free (options->password_file);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

static char *
default_database (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "turnout", "turnout.db", NULL);

  return g_strconcat ("sqlite:", path, NULL);
}

/* Settings from --config fill what the command line left unset. */
static gboolean
load_config (Options  *options,
             GError  **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;

  if (options->config == NULL)
    return TRUE;
  if (!g_key_file_load_from_file (file, options->config, G_KEY_FILE_NONE, error))
    {
      g_prefix_error (error, "%s: ", options->config);
      return FALSE;
    }

  if (options->listen == NULL)
    options->listen = g_key_file_get_string (file, "server", "listen", NULL);
  if (options->database == NULL)
    options->database = g_key_file_get_string (file, "server", "database", NULL);
  if (!options->demo)
    options->demo = g_key_file_get_boolean (file, "server", "demo", NULL);
  /* IP addresses, separated by ';' or ','. */
  options->trusted_proxies = g_key_file_get_string (file, "server", "trusted-proxies", NULL);

#define READ_INT(key, field)                                                     \
  if (g_key_file_has_key (file, "server", key, NULL))                            \
    {                                                                            \
      options->field = g_key_file_get_int64 (file, "server", key, &local_error); \
      if (local_error != NULL || options->field <= 0)                            \
        {                                                                        \
          g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST,                    \
                       "%s: [server] %s must be a positive whole number",        \
                       options->config, key);                                    \
          return FALSE;                                                          \
        }                                                                        \
    }
  READ_INT ("max-body-size", max_body_size)
  READ_INT ("token-ttl-days", token_ttl_days)
  READ_INT ("recommendations-refresh-seconds", recommendations_refresh)
  READ_INT ("login-attempts-per-account", login_attempts_per_account)
  READ_INT ("login-attempts-per-address", login_attempts_per_address)
  if (options->db_connections == 0)
    READ_INT ("db-connections", db_connections)
#undef READ_INT

  return TRUE;
}

static TnStore *
open_store (Options  *options,
            GError  **error)
{
  g_autoptr(TnStore) store = NULL;

  if (options->database == NULL)
    options->database = default_database ();
  if (options->db_connections < 0 || options->db_connections > TN_CLI_DB_CONNECTIONS_MAX)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST, "--db-connections must be from 1 to %d",
                   TN_CLI_DB_CONNECTIONS_MAX);
      return NULL;
    }
  store = tn_store_open_full (options->database,
                              options->db_connections > 0 ? (guint) options->db_connections
                                                          : TN_STORE_CONNECTIONS_DEFAULT,
                              error);
  if (store == NULL || !tn_store_migrate (store, error))
    return NULL;
  return g_steal_pointer (&store);
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static int
run_serve (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnStore) store = NULL;
  g_autoptr(TnServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *url = NULL;
  g_autofree char *shown = NULL;

  store = open_store (options, &error);
  if (store == NULL)
    {
      g_printerr ("turnout-server: %s\n", error->message);
      return 1;
    }
  if (options->demo)
    {
      gint64 users = tn_store_count_users (store, &error);

      if (users < 0)
        {
          g_printerr ("turnout-server: %s\n", error->message);
          return 1;
        }
      if (users == 0 && !tn_demo_seed (store, tn_time_now (), &error))
        {
          g_printerr ("turnout-server: cannot seed the demo community: %s\n", error->message);
          return 1;
        }
    }

  server = tn_server_new (store);
  if (options->max_body_size > 0)
    tn_server_set_max_body_size (server, (gsize) options->max_body_size);
  if (options->token_ttl_days > 0)
    tn_server_set_token_ttl (server, options->token_ttl_days * 86400);
  if (options->recommendations_refresh > 0)
    tn_rec_service_set_refresh (tn_server_get_recs (server), (guint) MIN (options->recommendations_refresh, 86400));
  if (options->login_attempts_per_account > 0)
    tn_server_set_login_attempts_per_account (server, (guint) MIN (options->login_attempts_per_account,
                                                                   G_MAXUINT));
  if (options->login_attempts_per_address > 0)
    tn_server_set_login_attempts_per_address (server, (guint) MIN (options->login_attempts_per_address,
                                                                   G_MAXUINT));
  if (options->trusted_proxies != NULL)
    {
      g_auto(GStrv) proxies = g_strsplit_set (options->trusted_proxies, ";,", -1);

      if (!tn_server_set_trusted_proxies (server, (const char * const *) proxies, &error))
        {
          g_printerr ("turnout-server: %s: [server] trusted-proxies: %s\n", options->config, error->message);
          return 2;
        }
    }
  if (!tn_server_listen (server, options->listen != NULL ? options->listen : DEFAULT_LISTEN, &error))
    {
      g_printerr ("turnout-server: cannot listen on %s: %s\n",
                  options->listen != NULL ? options->listen : DEFAULT_LISTEN, error->message);
      return 1;
    }

  /* Signals are handled before anyone is told where we listen: whoever
   * reads that line may stop us at once. */
  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);

  url = tn_server_get_url (server);
  shown = tn_store_uri_for_messages (options->database);
  g_print ("Listening on %s\n", url);
  g_print ("Database: %s\n", shown);
  fflush (stdout);

  g_main_loop_run (loop);

  g_print ("Stopped.\n");
  return 0;
}

static char *
read_password (Options  *options,
               gboolean *generated,
               GError  **error)
{
  g_autofree char *contents = NULL;
  const char *env = g_getenv ("TURNOUT_ADMIN_PASSWORD");

  *generated = FALSE;
  if (options->password_file != NULL)
    {
      if (!g_file_get_contents (options->password_file, &contents, NULL, error))
        return NULL;
      g_strchomp (contents);
      return g_steal_pointer (&contents);
    }
  if (env != NULL && env[0] != '\0')
    return g_strdup (env);

  *generated = TRUE;
  {
    g_autofree char *token = tn_auth_new_token ();

    /* 20 characters of a fresh random token: about 120 bits */
    return g_strndup (token + strlen (TN_TOKEN_PREFIX), 20);
  }
}

static int
run_init (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnStore) store = NULL;
  g_autoptr(TnServer) server = NULL;
  g_autoptr(TnUser) user = NULL;
  g_autofree char *password = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *id = tn_id_new ();
  g_autofree char *token = NULL;
  gboolean generated;
  gint64 users;

  if (options->email == NULL || !tn_email_is_valid (options->email))
    {
      g_printerr ("turnout-server init: give the first admin's e-mail address with --email\n");
      return 2;
    }
  store = open_store (options, &error);
  if (store == NULL)
    {
      g_printerr ("turnout-server: %s\n", error->message);
      return 1;
    }
  users = tn_store_count_users (store, &error);
  if (users != 0)
    {
      g_printerr ("turnout-server init: %s\n",
                  users < 0 ? error->message : "the database has users already; nothing was changed");
      return 1;
    }
  password = read_password (options, &generated, &error);
  if (password == NULL)
    {
      g_printerr ("turnout-server init: %s\n", error->message);
      return 1;
    }
  if (g_utf8_strlen (password, -1) < TN_USER_PASSWORD_MIN)
    {
      g_printerr ("turnout-server init: the password must be at least %d characters long\n", TN_USER_PASSWORD_MIN);
      return 1;
    }
  hash = tn_auth_hash_password (password, &error);
  if (hash != NULL)
    user = tn_store_create_user (store, id, options->email,
                                 options->name != NULL ? options->name : "Administrator",
                                 hash, TN_ROLE_ADMIN, &error);
  if (user == NULL)
    {
      g_printerr ("turnout-server init: %s\n", error->message);
      return 1;
    }
  server = tn_server_new (store);
  token = tn_server_issue_token (server, id, NULL, &error);
  if (token == NULL)
    {
      g_printerr ("turnout-server init: %s\n", error->message);
      return 1;
    }

  shown = tn_store_uri_for_messages (options->database);
  g_print ("Created the admin %s in %s\n", options->email, shown);
  if (generated)
    g_print ("Password: %s\n", password);
  g_print ("Token: %s\n", token);
  return 0;
}

static int
run_backup (Options    *options,
            const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnStore) store = NULL;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_printerr ("turnout-server backup: %s exists already; choose a new file\n", path);
      return 1;
    }
  store = open_store (options, &error);
  if (store == NULL || !tn_store_backup (store, path, &error))
    {
      g_printerr ("turnout-server backup: %s\n", error->message);
      return 1;
    }
  g_print ("Backed up %s to %s\n", options->database, path);
  return 0;
}

/* migrate --from sqlite:PATH --to postgresql://…: the whole community,
 * into a new database, in one transaction. */
static int
run_copy (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnStore) from = NULL;
  g_autoptr(TnStore) to = NULL;
  g_autoptr(GHashTable) counts = NULL;
  g_autofree char *from_shown = tn_store_uri_for_messages (options->from);
  g_autofree char *to_shown = tn_store_uri_for_messages (options->to);

  from = tn_store_open (options->from, &error);
  if (from == NULL || !tn_store_migrate (from, &error))
    {
      g_printerr ("turnout-server migrate: %s: %s\n", from_shown, error->message);
      return 1;
    }
  to = tn_store_open_full (options->to, 1, &error);
  if (to == NULL || !tn_store_migrate (to, &error))
    {
      g_printerr ("turnout-server migrate: %s: %s\n", to_shown, error->message);
      return 1;
    }
  if (!tn_store_copy (from, to, &counts, &error))
    {
      g_printerr ("turnout-server migrate: %s\n", error->message);
      return 1;
    }
  g_print ("Copied %s to %s:\n", from_shown, to_shown);
  for (guint i = 0; tn_store_copy_tables[i] != NULL; i++)
    g_print ("  %-16s %u\n", tn_store_copy_tables[i],
             GPOINTER_TO_UINT (g_hash_table_lookup (counts, tn_store_copy_tables[i])));
  return 0;
}

static int
run_migrate (Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnStore) store = open_store (options, &error);
  g_autofree char *shown = NULL;

  if (store == NULL)
    {
      g_printerr ("turnout-server migrate: %s\n", error->message);
      return 1;
    }
  shown = tn_store_uri_for_messages (options->database);
  g_print ("The database %s is at the current schema.\n", shown);
  return 0;
}

int
tn_cli_main (int    argc,
             char **argv)
{
  g_auto(Options) options = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const char *command;
  GOptionEntry entries[] = {
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &options.listen,
      N_("Address to listen on (default 127.0.0.1:8080)"), N_("HOST:PORT") },
    { "database", 'd', 0, G_OPTION_ARG_STRING, &options.database,
      N_("Database: sqlite:PATH (default in the XDG data directory) or a postgresql:// URI"), N_("URI") },
    { "db-connections", 0, 0, G_OPTION_ARG_INT64, &options.db_connections,
      N_("PostgreSQL: connections to the database, and threads serving requests (default 8)"), N_("N") },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &options.config,
      N_("Read settings from this key file ([server] listen, database, db-connections, demo, max-body-size, "
         "token-ttl-days, login-attempts-per-account, login-attempts-per-address, trusted-proxies, "
         "recommendations-refresh-seconds)"),
      N_("FILE") },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &options.demo,
      N_("Seed a demo community into an empty database"), NULL },
    { "from", 0, 0, G_OPTION_ARG_STRING, &options.from,
      N_("migrate: copy the community of this database (sqlite:PATH)…"), N_("URI") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &options.to,
      N_("migrate: …into this new, empty one (postgresql://…)"), N_("URI") },
    { "email", 0, 0, G_OPTION_ARG_STRING, &options.email,
      N_("init: the first admin's e-mail address"), N_("EMAIL") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &options.name,
      N_("init: the first admin's name"), N_("NAME") },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &options.password_file,
      N_("init: read the admin's password from FILE (else $TURNOUT_ADMIN_PASSWORD, else one is generated)"),
      N_("FILE") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &options.version, N_("Print the version and exit"), NULL },
    { NULL }
  };

  tn_i18n_init ();

  context = g_option_context_new (_("[COMMAND [ARGUMENT]] — the Turnout events server"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Commands:\n"
                                  "  serve          Serve the API (the default)\n"
                                  "  init           Create the first admin and print a token\n"
                                  "  backup PATH    Write a consistent copy of the database to PATH\n"
                                  "  migrate        Bring the database schema up to date;\n"
                                  "                 with --from and --to, copy a community to a new database"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("turnout-server: %s\n", error->message);
      return 2;
    }
  if (options.version)
    {
      g_print ("turnout-server %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (!load_config (&options, &error) || !tn_auth_init (&error))
    {
      g_printerr ("turnout-server: %s\n", error->message);
      return 2;
    }

  command = argc > 1 ? argv[1] : "serve";
  if (g_str_equal (command, "serve") && argc <= 2)
    {
      /* --help was translated; the API's error messages stay English
       * whatever the locale of the machine (clients translate by code). */
      setlocale (LC_MESSAGES, "C");
      return run_serve (&options);
    }
  if (g_str_equal (command, "init") && argc == 2)
    return run_init (&options);
  if (g_str_equal (command, "backup") && argc == 3)
    return run_backup (&options, argv[2]);
  if (g_str_equal (command, "migrate") && argc == 2 && (options.from != NULL || options.to != NULL))
    {
      if (options.from == NULL || options.to == NULL)
        {
          g_printerr (_("turnout-server migrate: --from and --to go together\n"));
          return 2;
        }
      return run_copy (&options);
    }
  if (g_str_equal (command, "migrate") && argc == 2)
    return run_migrate (&options);

  g_printerr (_("turnout-server: unknown command or arguments; see --help\n"));
  return 2;
}
