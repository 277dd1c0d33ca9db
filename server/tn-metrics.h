/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define TN_TYPE_METRICS (tn_metrics_get_type ())
G_DECLARE_FINAL_TYPE (TnMetrics, tn_metrics, TN, METRICS, GObject)

TnMetrics *tn_metrics_new             (void);
void       tn_metrics_observe_request (TnMetrics  *self,
                                       const char *route,
                                       const char *method,
                                       guint       status,
                                       double      seconds);
void       tn_metrics_observe_batch   (TnMetrics  *self,
                                       guint       answers,
                                       gboolean    stored);
char      *tn_metrics_render          (TnMetrics  *self);

G_END_DECLS
