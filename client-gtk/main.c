/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "tn-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TnApplication) application = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  GSettingsSchemaSource *source;
  const char *localedir;

  setlocale (LC_ALL, "");
  /* TURNOUT_LOCALEDIR, when set, replaces the installed locale directory:
   * uninstalled runs and the i18n tests point it at <builddir>/po, where
   * the catalogs are built as <lang>/LC_MESSAGES/turnout.mo. */
  localedir = g_getenv ("TURNOUT_LOCALEDIR");
  if (localedir == NULL || localedir[0] == '\0')
    localedir = LOCALEDIR;
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Without its schema GSettings aborts: say what is missing instead. */
  source = g_settings_schema_source_get_default ();
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL)
    {
      g_printerr (_("The settings schema %s is not installed. Install Turnout, or point GSETTINGS_SCHEMA_DIR at the folder that holds its compiled schema.\n"),
                  APPLICATION_ID);
      return 1;
    }

  application = tn_application_new ();
  return g_application_run (G_APPLICATION (application), argc, argv);
}
