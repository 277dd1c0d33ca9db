/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "tn-i18n.h"
#include "tn-tui-app.h"
#include "tn-tui-config.h"
#include "tn-tui-display.h"

#define DEFAULT_SERVER "http://127.0.0.1:8080"

/* While curses owns the terminal, a log line written to it would tear the
 * screen: keep such lines and print them once the terminal is back. */
static GPtrArray *deferred_log;

static const char *
log_domain (const GLogField *fields,
            gsize            n_fields)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
      return fields[i].value;
  return NULL;
}

static GLogWriterOutput
tn_tui_log_writer (GLogLevelFlags   log_level,
                   const GLogField *fields,
                   gsize            n_fields,
                   gpointer         user_data)
{
  if ((log_level & (G_LOG_FLAG_FATAL | G_LOG_LEVEL_ERROR)) != 0)
    tn_tui_display_close ();

  if (!tn_tui_display_is_open ())
    return g_log_writer_default (log_level, fields, n_fields, user_data);

  if (g_log_writer_default_would_drop (log_level, log_domain (fields, n_fields)))
    return G_LOG_WRITER_HANDLED;

  g_ptr_array_add (deferred_log, g_log_writer_format_fields (log_level, fields, n_fields, FALSE));
  return G_LOG_WRITER_HANDLED;
}

static void
print_deferred_log (void)
{
  for (guint i = 0; i < deferred_log->len; i++)
    g_printerr ("%s\n", (const char *) g_ptr_array_index (deferred_log, i));
  g_ptr_array_set_size (deferred_log, 0);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TnTuiApp) app = NULL;
  g_autoptr(GPtrArray) log = NULL;
  g_autofree char *server = NULL;
  g_autofree char *stored_server = NULL;
  g_autofree char *stored_email = NULL;
  g_autofree char *config_dir = NULL;
  gboolean version = FALSE;
  gboolean ok;
  const GOptionEntry entries[] = {
    { "server", 's', 0, G_OPTION_ARG_STRING, &server,
      N_("The Turnout server, such as http://127.0.0.1:8080"), N_("URL") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version,
      N_("Show the version and quit"), NULL },
    { NULL }
  };

  tn_i18n_init ();

  log = g_ptr_array_new_with_free_func (g_free);
  deferred_log = log;
  g_log_set_writer_func (tn_tui_log_writer, NULL, NULL);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Turnout at the door: check tickets in, online or offline, with a door paired to an event or a staff sign-in."));
  g_option_context_set_description (context,
                                    _("The server, the pairing or sign-in and the door’s settings are kept in $XDG_CONFIG_HOME/turnout/ (door.ini; door-token, readable by its owner only). Each door’s copy of its event is in $XDG_DATA_HOME/turnout/replicas/."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return 2;
    }
  if (version)
    {
      g_print ("turnout-door %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }
  if (argc > 1)
    {
      g_printerr (_("%s: unexpected argument “%s”\n"), g_get_prgname (), argv[1]);
      return 2;
    }

  config_dir = tn_tui_config_get_default_dir ();
  if (!tn_tui_config_load (config_dir, &stored_server, &stored_email, &error))
    {
      g_printerr (_("%s: ignoring the settings: %s\n"), g_get_prgname (), error->message);
      g_clear_error (&error);
    }

  if (server == NULL)
    server = g_strdup (stored_server != NULL ? stored_server : DEFAULT_SERVER);
  if (!tn_tui_config_is_server_url (server))
    {
      g_printerr (_("%s: “%s” is not a web address starting with http:// or https://\n"),
                  g_get_prgname (), server);
      return 2;
    }

  app = tn_tui_app_new (server, config_dir, stored_email);
  ok = tn_tui_app_run (app, &error);
  print_deferred_log ();
  g_clear_object (&app);
  deferred_log = NULL;

  if (!ok)
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return EXIT_FAILURE;
    }
  return EXIT_SUCCESS;
}
