/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "tn-event.h"

G_BEGIN_DECLS

#define TN_TYPE_EVENT_ROW (tn_event_row_get_type ())
G_DECLARE_FINAL_TYPE (TnEventRow, tn_event_row, TN, EVENT_ROW, GtkListBoxRow)

GtkWidget *tn_event_row_new       (TnEvent    *event);
TnEvent   *tn_event_row_get_event (TnEventRow *self);

G_END_DECLS
