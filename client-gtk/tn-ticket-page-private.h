/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tn-qr.h"
#include "tn-ticket-page.h"

G_BEGIN_DECLS

/* For tests: what the page shows. */
GtkPicture *_tn_ticket_page_get_picture    (TnTicketPage *self);
GtkLabel   *_tn_ticket_page_get_code_label (TnTicketPage *self);
TnQr       *_tn_ticket_page_get_qr         (TnTicketPage *self);
const char *_tn_ticket_page_get_visible_page (TnTicketPage *self);
gboolean    _tn_ticket_page_print_to_pdf   (TnTicketPage  *self,
                                            const char    *path,
                                            GError       **error);

G_END_DECLS
