/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tn-attendee.h"
#include "tn-event.h"

G_BEGIN_DECLS

#define TN_TYPE_TICKET_PAGE (tn_ticket_page_get_type ())
G_DECLARE_FINAL_TYPE (TnTicketPage, tn_ticket_page, TN, TICKET_PAGE, AdwWindow)

TnTicketPage *tn_ticket_page_new      (TnEvent       *event,
                                       TnAttendee    *attendee);
void          tn_ticket_page_show     (GtkWidget     *parent,
                                       TnEvent       *event,
                                       TnAttendee    *attendee);
TnEvent      *tn_ticket_page_get_event    (TnTicketPage *self);
TnAttendee   *tn_ticket_page_get_attendee (TnTicketPage *self);
gboolean      tn_ticket_page_save_pdf (TnTicketPage  *self,
                                       GFile         *file,
                                       GError       **error);

G_END_DECLS
