/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tn-client.h"
#include "tn-event.h"

G_BEGIN_DECLS

/* A turnout-server process with the demo community, for the GTK tests and
 * the desktop benchmarks: it can be stopped and started again on the same
 * address and database, as a server that went away and came back. The
 * binary is $TURNOUT_SERVER. */
typedef struct _TnGtkTestServer TnGtkTestServer;

TnGtkTestServer *tn_gtk_test_server_new     (const char      *dir);
void             tn_gtk_test_server_start   (TnGtkTestServer *self);
void             tn_gtk_test_server_stop    (TnGtkTestServer *self);
gboolean         tn_gtk_test_server_running (TnGtkTestServer *self);
void             tn_gtk_test_server_pause   (TnGtkTestServer *self);
void             tn_gtk_test_server_resume  (TnGtkTestServer *self);
const char      *tn_gtk_test_server_get_url (TnGtkTestServer *self);
void             tn_gtk_test_server_free    (TnGtkTestServer *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TnGtkTestServer, tn_gtk_test_server_free)

void             tn_gtk_test_remove_tree    (const char      *path);
char            *tn_gtk_test_isolate        (const char      *prefix);

/* The other client: the organizer of the demo community, through TnClient,
 * each call waiting on the main context for the answer. */
TnClient *tn_gtk_test_sign_in           (const char *url);
TnEvent  *tn_gtk_test_create_event_soon (TnClient   *client,
                                         const char *title,
                                         gint64      capacity);
char     *tn_gtk_test_add_guest         (TnClient   *client,
                                         const char *event_id,
                                         const char *name,
                                         const char *email);
JsonObject *tn_gtk_test_make_scan       (const char *event_id,
                                         const char *code,
                                         const char *direction,
                                         gint64     *scanned_at);
void      tn_gtk_test_post_scan_async   (TnClient   *client,
                                         JsonObject *scan,
                                         GAsyncReadyCallback callback,
                                         gpointer    user_data);
char     *tn_gtk_test_post_scan_finish  (TnClient   *client,
                                         GAsyncResult *result);
char     *tn_gtk_test_post_scan         (TnClient   *client,
                                         const char *event_id,
                                         const char *code,
                                         const char *direction,
                                         gint64     *scanned_at);

G_END_DECLS
