/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tn-event-detail.h"

G_BEGIN_DECLS

/* For tests: the widgets that show the event. */
GtkLabel     *_tn_event_detail_get_title_label (TnEventDetail *self);
AdwActionRow *_tn_event_detail_get_when_row    (TnEventDetail *self);
AdwActionRow *_tn_event_detail_get_where_row   (TnEventDetail *self);
const char   *_tn_event_detail_get_page        (TnEventDetail *self);

G_END_DECLS
