/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tn-event-row.h"

G_BEGIN_DECLS

/* For tests: the widgets that show the event. */
GtkLabel *_tn_event_row_get_title_label    (TnEventRow *self);
GtkLabel *_tn_event_row_get_when_label     (TnEventRow *self);
GtkLabel *_tn_event_row_get_location_label (TnEventRow *self);
GtkLabel *_tn_event_row_get_category_label (TnEventRow *self);

G_END_DECLS
