/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tn-event.h"

G_BEGIN_DECLS

#define TN_TYPE_EVENT_DETAIL (tn_event_detail_get_type ())
G_DECLARE_FINAL_TYPE (TnEventDetail, tn_event_detail, TN, EVENT_DETAIL, AdwBin)

GtkWidget *tn_event_detail_new       (void);
TnEvent   *tn_event_detail_get_event (TnEventDetail *self);
void       tn_event_detail_set_event (TnEventDetail *self,
                                      TnEvent       *event);

G_END_DECLS
