/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Local door verdicts: how long tn_replica_judge() takes on a replica of
 * many attendees, with no network anywhere.
 *
 *   bench-verdict [--attendees N] [--lookups N] [--records N]
 *
 * Builds a replica in a temporary directory through sync pages (as a
 * door's first sync would), with a tenth of the tickets inside already
 * and some revoked, then judges a mix of short codes, signed tickets
 * (Ed25519 checks) and unknown codes, and prints p50/p99/max per kind in
 * us. --records also times tn_replica_record_scan(), which commits a scan
 * and its outbox entry durably (WAL, synchronous=FULL). */
#include "config.h"

#include "bench-replica.h"

#include <stdlib.h>
#include <time.h>
#include <glib/gstdio.h>

#include "tn-replica.h"
#include "tn-signed-ticket.h"
#include "tn-ticket-code.h"

#define EVENT_ID   BENCH_EVENT_ID
#define PAGE_SIZE  5000

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
report (const char *what,
        GArray     *samples)
{
  gint64 *v;
  guint n = samples->len;

  if (n == 0)
    return;
  g_array_sort (samples, compare_gint64);
  v = (gint64 *) (gpointer) samples->data;
  g_print ("%-22s %8u   p50 %8.1f us   p99 %8.1f us   max %9.1f us\n", what, n,
           v[n / 2] / 1000.0, v[MIN (n - 1, (guint) ((n * 99ULL) / 100))] / 1000.0, v[n - 1] / 1000.0);
}




int
main (int    argc,
      char **argv)
{
  int attendees = 50000, lookups = 100000, records = 1000;
  GOptionEntry entries[] = {
    { "attendees", 0, 0, G_OPTION_ARG_INT, &attendees, "Attendees in the replica", "N" },
    { "lookups", 0, 0, G_OPTION_ARG_INT, &lookups, "Verdicts to time", "N" },
    { "records", 0, 0, G_OPTION_ARG_INT, &records, "Durable recorded scans to time", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new ("— time local door verdicts");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *public_b64 = NULL;
  g_autoptr(TnReplica) replica = NULL;
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) signed_codes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) short_codes = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) signed_tickets = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) unknown = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) recorded = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint8 public_key[TN_SIGNED_TICKET_PUBLIC_KEY];
  guint8 secret_key[TN_SIGNED_TICKET_SECRET_KEY];
  guint verdicts[TN_VERDICT_NOT_INSIDE + 1] = { 0 };
  gint64 seq = 0, t0;
  GRand *rand;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  attendees = MAX (attendees, 10);

  dir = g_dir_make_tmp ("bench-verdict-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "replica.sqlite", NULL);
  replica = tn_replica_open_path (path, &error);
  g_assert_no_error (error);

  tn_signed_ticket_new_keypair (public_key, secret_key);
  public_b64 = g_base64_encode (public_key, sizeof public_key);
  for (int i = 0; i < attendees; i++)
    g_ptr_array_add (codes, tn_ticket_code_new ());

  /* the first sync: attendees, a tenth inside (other doors), some revoked */
  t0 = now_ns ();
  for (int start = 0; start < attendees; start += PAGE_SIZE)
    {
      g_autoptr(JsonObject) page = NULL;
      JsonArray *changes;
      int end = MIN (attendees, start + PAGE_SIZE);

      page = bench_sync_page_new (public_b64, seq + (end - start) * 2);
      changes = json_object_get_array_member (page, "changes");
      for (int i = start; i < end; i++)
        bench_sync_add_attendee (changes, ++seq, (guint) i, g_ptr_array_index (codes, i), FALSE);
      for (int i = start; i < end; i++)
        {
          if (i % 10 == 0)
            bench_sync_add_checkin (changes, ++seq, (guint) i, g_ptr_array_index (codes, i));
          else if (i % 100 == 3)
            {
              JsonObject *change = json_object_new ();

              json_object_set_int_member (change, "seq", ++seq);
              json_object_set_string_member (change, "type", "revoked");
              json_object_set_string_member (change, "code", g_ptr_array_index (codes, i));
              json_array_add_object_element (changes, change);
            }
        }
      json_object_set_int_member (page, "cursor", seq);
      if (!tn_replica_apply_sync_page (replica, page, NULL, &error))
        g_error ("%s", error->message);
    }
  g_print ("replica: %d attendees applied in %.0f ms (%d pages of %d)\n", attendees,
           (now_ns () - t0) / 1e6, (attendees + PAGE_SIZE - 1) / PAGE_SIZE, PAGE_SIZE);

  for (int i = 0; i < 1000; i++)
    {
      TnTicketClaim claim = { .valid_until = G_GINT64_CONSTANT (4102444800) };

      g_strlcpy (claim.event_id, EVENT_ID, sizeof claim.event_id);
      /* half of them issued after the last sync: unknown to the replica */
      if (i % 2 == 0)
        g_strlcpy (claim.code, g_ptr_array_index (codes, (guint) (i * 37) % (guint) attendees), sizeof claim.code);
      else
        {
          g_autofree char *fresh = tn_ticket_code_new ();

          g_strlcpy (claim.code, fresh, sizeof claim.code);
        }
      g_ptr_array_add (signed_codes, tn_signed_ticket_new (&claim, secret_key));
    }

  /* 80 % short codes, 10 % signed tickets, 10 % unknown codes */
  rand = g_rand_new_with_seed (4);
  for (int i = 0; i < lookups; i++)
    {
      guint kind = (guint) g_rand_int_range (rand, 0, 10);
      g_autofree char *stranger = NULL;
      const char *code;
      GArray *bucket;
      TnReplicaScan *scan;
      gint64 start, elapsed;

      if (kind < 8)
        {
          code = g_ptr_array_index (codes, (guint) g_rand_int_range (rand, 0, attendees));
          bucket = short_codes;
        }
      else if (kind == 8)
        {
          code = g_ptr_array_index (signed_codes, (guint) g_rand_int_range (rand, 0, (gint32) signed_codes->len));
          bucket = signed_tickets;
        }
      else
        {
          code = stranger = tn_ticket_code_new ();
          bucket = unknown;
        }
      start = now_ns ();
      scan = tn_replica_judge (replica, code, TN_SCAN_IN, G_GINT64_CONSTANT (1906000000));
      elapsed = now_ns () - start;
      verdicts[scan->verdict]++;
      tn_replica_scan_free (scan);
      g_array_append_val (bucket, elapsed);
      g_array_append_val (all, elapsed);
    }

  for (int i = 0; i < records; i++)
    {
      const char *code = g_ptr_array_index (codes, (guint) g_rand_int_range (rand, 0, attendees));
      TnReplicaScan *scan;
      gint64 start, elapsed;

      start = now_ns ();
      scan = tn_replica_record_scan (replica, code, TN_SCAN_IN, G_GINT64_CONSTANT (1906000000), "bench", &error);
      elapsed = now_ns () - start;
      if (scan == NULL)
        g_error ("%s", error->message);
      tn_replica_scan_free (scan);
      g_array_append_val (recorded, elapsed);
    }
  g_rand_free (rand);

  g_print ("verdicts:");
  for (guint v = 0; v <= TN_VERDICT_NOT_INSIDE; v++)
    g_print (" %s %u", tn_verdict_to_string ((TnVerdict) v), verdicts[v]);
  g_print ("\n");
  report ("judge, all", all);
  report ("judge, short code", short_codes);
  report ("judge, signed ticket", signed_tickets);
  report ("judge, unknown code", unknown);
  report ("record (durable)", recorded);

  tn_replica_wipe (replica, NULL);
  g_rmdir (dir);
  return 0;
}
