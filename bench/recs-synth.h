/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tn-rec-data.h"

G_BEGIN_DECLS

/* A synthetic community with planted structure, for the recommender's
 * evaluation (recs-eval) and benchmark (bench-recs). */
typedef struct
{
  guint   users;
  guint   events;
  guint   rsvps;
  guint32 seed;
  gint64  start;       /* events start in [start, start + days] */
  guint   days;
} RecsSynthParams;

void       recs_synth_params_init (RecsSynthParams       *params);
TnRecData *recs_synth_generate    (const RecsSynthParams *params);

G_END_DECLS
