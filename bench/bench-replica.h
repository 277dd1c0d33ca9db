/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Sync pages made up for the door benchmarks (bench-verdict, bench-door):
 * what GET /api/v1/sync would send for a large event, fed to
 * tn_replica_apply_sync_page() without a server. */

#define BENCH_EVENT_ID "01932c7e-5a10-7c3d-9f00-0123456789ab"

JsonObject *bench_sync_page_new     (const char *public_key,
                                     gint64      cursor);
void        bench_sync_add_attendee (JsonArray  *changes,
                                     gint64      seq,
                                     guint       i,
                                     const char *code,
                                     gboolean    with_details);
void        bench_sync_add_checkin  (JsonArray  *changes,
                                     gint64      seq,
                                     guint       i,
                                     const char *code);

G_END_DECLS
