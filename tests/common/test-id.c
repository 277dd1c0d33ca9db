/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Ids: UUIDs of version 7 that sort in the order they were made. */
#include "config.h"

#include <string.h>

#include "tn-id.h"

#define N_IDS 20000

static void
test_format (void)
{
  g_autofree char *id = tn_id_new ();
  gint64 now_ms = g_get_real_time () / 1000;
  g_autofree char *time_hex = NULL;
  gint64 id_ms;

  g_assert_true (g_uuid_string_is_valid (id));
  g_assert_cmpuint (strlen (id), ==, 36);
  g_assert_cmpint (id[14], ==, '7');                 /* version 7 */
  g_assert_nonnull (strchr ("89ab", id[19]));         /* RFC 9562 variant */
  for (const char *p = id; *p != '\0'; p++)
    g_assert_true (*p == '-' || g_ascii_isdigit (*p) || (*p >= 'a' && *p <= 'f'));

  /* the first 48 bits are the time in milliseconds */
  time_hex = g_strdup_printf ("%.8s%.4s", id, id + 9);
  id_ms = (gint64) g_ascii_strtoull (time_hex, NULL, 16);
  g_assert_cmpint (id_ms, <=, now_ms + 1000);
  g_assert_cmpint (id_ms, >=, now_ms - 1000);
}

static void
test_order_and_uniqueness (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *previous = NULL;
  guint random_bits_differ = 0;

  /* Far more than one per millisecond: the counter keeps the order. */
  for (guint i = 0; i < N_IDS; i++)
    {
      char *id = tn_id_new ();

      if (previous != NULL)
        {
          g_assert_cmpint (strcmp (previous, id), <, 0);
          if (strcmp (previous + 24, id + 24) != 0)
            random_bits_differ++;
        }
      g_assert_true (g_hash_table_add (seen, id));
      g_free (previous);
      previous = g_strdup (id);
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, N_IDS);
  /* the last 48 bits are random: equal neighbours would be a broken generator */
  g_assert_cmpuint (random_bits_differ, ==, N_IDS - 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/common/id/format", test_format);
  g_test_add_func ("/common/id/order-and-uniqueness", test_order_and_uniqueness);

  return g_test_run ();
}
