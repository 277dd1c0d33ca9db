/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TN_TYPE_ARRIVALS_CHART (tn_arrivals_chart_get_type ())
G_DECLARE_FINAL_TYPE (TnArrivalsChart, tn_arrivals_chart, TN, ARRIVALS_CHART, GtkWidget)

GtkWidget  *tn_arrivals_chart_new             (void);
void        tn_arrivals_chart_set_data        (TnArrivalsChart *self,
                                               const guint     *per_minute,
                                               guint            n,
                                               gint64           last_minute);
void        tn_arrivals_chart_advance_to      (TnArrivalsChart *self,
                                               gint64           minute);
guint       tn_arrivals_chart_get_n_minutes   (TnArrivalsChart *self);
guint       tn_arrivals_chart_get_count       (TnArrivalsChart *self,
                                               guint            index);
guint       tn_arrivals_chart_get_count_at    (TnArrivalsChart *self,
                                               gint64           when);
guint       tn_arrivals_chart_get_total       (TnArrivalsChart *self);
gint64      tn_arrivals_chart_get_last_minute (TnArrivalsChart *self);
const char *tn_arrivals_chart_get_summary     (TnArrivalsChart *self);

G_END_DECLS
