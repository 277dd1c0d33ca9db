/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tn-cli.h"

int
main (int    argc,
      char **argv)
{
  return tn_cli_main (argc, argv);
}
