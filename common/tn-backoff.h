/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Internal to libturnout: the retry schedule of a replica's outbox. */

typedef struct
{
  gint64 base;   /* µs after the first failure */
  gint64 max;    /* the longest delay, µs */
} TnBackoff;

/* 1 s doubling up to 5 min */
#define TN_BACKOFF_DEFAULT ((TnBackoff) { 1 * G_USEC_PER_SEC, 300 * G_USEC_PER_SEC })

gint64 tn_backoff_delay (const TnBackoff *self,
                         guint            attempts);

G_END_DECLS
