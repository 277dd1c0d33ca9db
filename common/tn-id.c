/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sodium.h>

#include "tn-id.h"

/**
 * tn_id_new:
 *
 * A new id for an event, attendee or user: a UUID of version 7 (RFC 9562),
 * in the usual lower-case text form. Its first 48 bits are the time in
 * milliseconds and the next 12 a counter, so ids made one after another
 * sort in the order they were made, also within one millisecond and when
 * the clock steps back (this process's order, as text and as bytes):
 * lists ordered by creation time and id keep the order of an import, and
 * new rows go to the end of the id index instead of a random page. The
 * remaining 62 bits come from libsodium's generator, so that an id, which
 * is all it takes to open an unlisted event, cannot be guessed.
 *
 * Returns: (transfer full): the id
 */
char *
tn_id_new (void)
{
  static GMutex lock;
  static guint64 last_ms;
  static guint16 counter;
  guint8 b[16];
  guint64 ms = (guint64) (g_get_real_time () / 1000);

  if (sodium_init () < 0)
    g_error ("libsodium could not be initialized");
  randombytes_buf (b, sizeof b);

  g_mutex_lock (&lock);
  if (ms > last_ms)
    {
      last_ms = ms;
      counter = 0;
    }
  else if (++counter > 0xfff)
    {
      /* 4,096 ids in one millisecond, or a clock that went back: borrow
       * the next millisecond rather than repeat an order. */
      last_ms++;
      counter = 0;
    }
  ms = last_ms;
  b[6] = (guint8) (0x70 | (counter >> 8));
  b[7] = (guint8) (counter & 0xff);
  g_mutex_unlock (&lock);

  for (int i = 5; i >= 0; i--, ms >>= 8)
    b[i] = (guint8) (ms & 0xff);
  b[8] = (guint8) (0x80 | (b[8] & 0x3f));

  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}
