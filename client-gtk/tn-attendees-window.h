/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tn-attendee-model.h"
#include "tn-client.h"
#include "tn-event.h"

G_BEGIN_DECLS

#define TN_TYPE_ATTENDEES_WINDOW (tn_attendees_window_get_type ())
G_DECLARE_FINAL_TYPE (TnAttendeesWindow, tn_attendees_window, TN, ATTENDEES_WINDOW, AdwWindow)

TnAttendeesWindow *tn_attendees_window_new            (GtkWindow         *parent,
                                                       TnClient          *client,
                                                       TnEvent           *event);
TnAttendeeModel   *tn_attendees_window_get_model      (TnAttendeesWindow *self);
TnAttendee        *tn_attendees_window_get_selected   (TnAttendeesWindow *self);
void               tn_attendees_window_select         (TnAttendeesWindow *self,
                                                       guint              position);

/* What the dialogs do once answered; each ends with ::done. */
void               tn_attendees_window_add_guest      (TnAttendeesWindow *self,
                                                       const char        *name,
                                                       const char        *email,
                                                       const char        *ticket_type,
                                                       const char        *note);
void               tn_attendees_window_change_ticket  (TnAttendeesWindow *self,
                                                       TnAttendee        *attendee,
                                                       gboolean           reissue);
void               tn_attendees_window_import         (TnAttendeesWindow *self,
                                                       GBytes            *csv);
void               tn_attendees_window_export         (TnAttendeesWindow *self,
                                                       GFile             *file);
char              *tn_attendees_window_describe_report (const TnClientImportReport *report);

G_END_DECLS
