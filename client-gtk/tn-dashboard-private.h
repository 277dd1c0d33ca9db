/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tn-arrivals-chart.h"
#include "tn-dashboard.h"

G_BEGIN_DECLS

/* For tests and the benchmark: the widgets that show the figures. */
GtkLabel        *_tn_dashboard_get_going_label      (TnDashboard *self);
GtkLabel        *_tn_dashboard_get_waitlist_label   (TnDashboard *self);
GtkLabel        *_tn_dashboard_get_checked_in_label (TnDashboard *self);
GtkLabel        *_tn_dashboard_get_inside_label     (TnDashboard *self);
GtkLabel        *_tn_dashboard_get_status_label     (TnDashboard *self);
GtkLabel        *_tn_dashboard_get_capacity_label   (TnDashboard *self);
GtkLevelBar     *_tn_dashboard_get_capacity_bar     (TnDashboard *self);
TnArrivalsChart *_tn_dashboard_get_chart            (TnDashboard *self);
GtkListBox      *_tn_dashboard_get_doors_list       (TnDashboard *self);
gboolean         _tn_dashboard_get_stale            (TnDashboard *self);
guint            _tn_dashboard_get_n_updates        (TnDashboard *self);

G_END_DECLS
