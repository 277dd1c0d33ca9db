/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tn-recommender.h"
#include "tn-store.h"

G_BEGIN_DECLS

/* Keeps the server's recommender model fresh without a request ever
 * waiting for it: each committed change marks the model stale, and a
 * stale model is rebuilt in a worker thread (the store's data read on a
 * connection of its own, then tn_rec_model_build()) at most once per
 * refresh interval, and swapped in when it is ready. Requests use the
 * model there is. */

#define TN_REC_REFRESH_SECONDS_DEFAULT 60

#define TN_TYPE_REC_SERVICE (tn_rec_service_get_type ())
G_DECLARE_FINAL_TYPE (TnRecService, tn_rec_service, TN, REC_SERVICE, GObject)

TnRecService *tn_rec_service_new              (TnStore      *store);
void          tn_rec_service_set_refresh      (TnRecService *self,
                                               guint         seconds);
void          tn_rec_service_start            (TnRecService *self);
void          tn_rec_service_stop             (TnRecService *self);
void          tn_rec_service_note_change      (TnRecService *self);
TnRecModel   *tn_rec_service_get_model        (TnRecService *self);
gboolean      tn_rec_service_get_building     (TnRecService *self);
guint         tn_rec_service_get_builds       (TnRecService *self);

G_END_DECLS
