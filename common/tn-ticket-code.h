/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TN_TICKET_CODE_LENGTH 32   /* 26 symbols in groups of 4, with dashes */

char     *tn_ticket_code_new        (void);
char     *tn_ticket_code_normalize  (const char *text);

G_END_DECLS
