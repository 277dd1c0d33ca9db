/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int        tn_tui_char_width    (gunichar    c);
int        tn_tui_text_width    (const char *text);
char      *tn_tui_text_sanitize (const char *text,
                                 gboolean    keep_newlines,
                                 gboolean    ascii_only);
char      *tn_tui_text_fit      (const char *text,
                                 int         columns,
                                 const char *ellipsis);
GPtrArray *tn_tui_text_wrap     (const char *text,
                                 int         columns);

G_END_DECLS
