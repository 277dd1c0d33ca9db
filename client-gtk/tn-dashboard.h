/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tn-client.h"
#include "tn-event.h"

G_BEGIN_DECLS

#define TN_TYPE_DASHBOARD (tn_dashboard_get_type ())
G_DECLARE_FINAL_TYPE (TnDashboard, tn_dashboard, TN, DASHBOARD, AdwBin)

GtkWidget *tn_dashboard_new          (TnClient    *client,
                                      TnEvent     *event);
TnEvent   *tn_dashboard_get_event    (TnDashboard *self);
gboolean   tn_dashboard_get_live     (TnDashboard *self);
GtkWindow *tn_dashboard_open_window  (TnClient    *client,
                                      TnEvent     *event,
                                      GtkWindow   *parent);

G_END_DECLS
