/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <glib/gi18n-lib.h>

#include "tn-i18n.h"

/**
 * tn_i18n_init:
 *
 * Sets the locale from the environment and binds the "turnout" text
 * domain, as every program's main() must before its first string.
 *
 * `TURNOUT_LOCALEDIR`, when set, replaces the installed locale directory:
 * uninstalled runs and the i18n tests point it at `<builddir>/po`, where
 * the catalogs are built as `<lang>/LC_MESSAGES/turnout.mo`.
 */
void
tn_i18n_init (void)
{
  const char *localedir = g_getenv ("TURNOUT_LOCALEDIR");

  if (localedir == NULL || localedir[0] == '\0')
    localedir = LOCALEDIR;
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
