/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tn-attendee.h"
#include "tn-client.h"

G_BEGIN_DECLS

#define TN_TYPE_ATTENDEE_MODEL (tn_attendee_model_get_type ())
G_DECLARE_FINAL_TYPE (TnAttendeeModel, tn_attendee_model, TN, ATTENDEE_MODEL, GObject)

TnAttendeeModel *tn_attendee_model_new         (TnClient        *client,
                                                const char      *event_id);
const char      *tn_attendee_model_get_event_id (TnAttendeeModel *self);
void             tn_attendee_model_set_query   (TnAttendeeModel *self,
                                                const char      *query);
const char      *tn_attendee_model_get_query   (TnAttendeeModel *self);
void             tn_attendee_model_reload      (TnAttendeeModel *self);
gboolean         tn_attendee_model_get_loading (TnAttendeeModel *self);
gboolean         tn_attendee_model_replace     (TnAttendeeModel *self,
                                                TnAttendee      *attendee);

G_END_DECLS
