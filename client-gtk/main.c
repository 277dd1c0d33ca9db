/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "tn-i18n.h"
#include "tn-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TnApplication) application = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  GSettingsSchemaSource *source;

  tn_i18n_init ();

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
