/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tn-backoff.h"

/**
 * tn_backoff_delay:
 * @self: a schedule
 * @attempts: failed deliveries so far (1 after the first)
 *
 * Exponential backoff with jitter: the base doubled per earlier failure,
 * up to the maximum, then a random half of it added to the other half, so
 * clients that went offline together do not retry together.
 *
 * Returns: how long to wait, in µs
 */
gint64
tn_backoff_delay (const TnBackoff *self,
                  guint            attempts)
{
  gint64 delay;

  g_assert (self != NULL);

  delay = self->base;
  for (guint i = 1; i < attempts && delay < self->max; i++)
    delay *= 2;
  delay = MIN (delay, self->max);
  return delay / 2 + (gint64) (g_random_double () * (double) (delay / 2));
}
