/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean  tn_time_parse  (const char  *text,
                          gint64      *out_unix,
                          GError     **error);
char     *tn_time_format (gint64       unix_time);
gint64    tn_time_now    (void);

G_END_DECLS
