/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  TN_FORMAT_SHORT,
  TN_FORMAT_LONG,
} TnFormatLength;

char *tn_format_event_when   (gint64          starts_at,
                              gint64          ends_at,
                              gint64          now,
                              TnFormatLength  length);
char *tn_format_capacity     (gint64          capacity);
char *tn_format_price        (gboolean        has_price,
                              double          price,
                              const char     *currency);
char *tn_format_server_url   (const char     *text);

G_END_DECLS
