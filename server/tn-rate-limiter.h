/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define TN_RATE_LIMITER_MAX_KEYS_DEFAULT 50000

#define TN_TYPE_RATE_LIMITER (tn_rate_limiter_get_type ())
G_DECLARE_FINAL_TYPE (TnRateLimiter, tn_rate_limiter, TN, RATE_LIMITER, GObject)

TnRateLimiter *tn_rate_limiter_new          (guint          limit,
                                             gint64         window_usec);
guint          tn_rate_limiter_get_limit    (TnRateLimiter *self);
void           tn_rate_limiter_set_limit    (TnRateLimiter *self,
                                             guint          limit);
gint64         tn_rate_limiter_get_window   (TnRateLimiter *self);
guint          tn_rate_limiter_get_max_keys (TnRateLimiter *self);
void           tn_rate_limiter_set_max_keys (TnRateLimiter *self,
                                             guint          max_keys);
guint          tn_rate_limiter_get_n_keys   (TnRateLimiter *self);
gboolean       tn_rate_limiter_check        (TnRateLimiter *self,
                                             const char    *key,
                                             gint64         now_usec,
                                             guint         *out_retry_after);
void           tn_rate_limiter_reset        (TnRateLimiter *self,
                                             const char    *key);

G_END_DECLS
