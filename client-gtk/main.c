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

  tn_i18n_init ();
  /* --version, --help and a missing settings schema: see
   * tn_application_handle_local_options() */
  application = tn_application_new ();
  return g_application_run (G_APPLICATION (application), argc, argv);
}
