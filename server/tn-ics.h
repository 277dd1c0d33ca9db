/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tn-event.h"

G_BEGIN_DECLS

/* RFC 5545 lines are at most 75 octets long, CRLF not counted. */
#define TN_ICS_LINE_MAX 75

char *tn_ics_escape_text    (const char  *text);
char *tn_ics_format_time    (gint64       unix_time);
void  tn_ics_append_line    (GString     *out,
                             const char  *line);
void  tn_ics_append_event   (GString     *out,
                             TnEvent     *event,
                             const char  *base_url);
char *tn_ics_write_calendar (const char  *name,
                             GPtrArray   *events,
                             const char  *base_url);

G_END_DECLS
