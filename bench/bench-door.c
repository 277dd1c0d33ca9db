/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The door from the last key of a code to its verdict on the terminal:
 * the whole turnout-door app (libturnout_tui) in this process, on a
 * pseudo-terminal, over a replica of many attendees, offline.
 *
 *   bench-door [--attendees N] [--scans N] [--dir PATH] [--records N]
 *              [--pause-ms MS] [--samples FILE] [--backoff S]
 *
 * The replica is filled through sync pages (as a door's first sync would)
 * at the very path the app opens for a paired device, under a throw-away
 * $XDG_DATA_HOME in --dir; door-token names a paired steward device of a
 * server nobody listens on (127.0.0.1:9), so the door works as at a venue
 * without Wi-Fi and its sync engine's failed pushes run alongside.
 *
 * The app runs in the main thread with an 80×24 pty as its terminal. A
 * writer thread types each code as a USB scanner does (the code in one
 * burst, then Enter); t0 is taken just before Enter is written, t1 by the
 * app's verdict hook, right after curses has written the frame with the
 * verdict to the pty. A reader thread drains the pty so that curses never
 * blocks. The writer types the next code only once the verdict of the
 * previous one is on screen, and --pause-ms after it (0: at once, the
 * hardest case; a real queue leaves a second or more).
 *
 * Scans: about 80 % attendees not yet inside (accepted), 10 % codes
 * already scanned in this run (duplicate), 10 % unknown codes. The
 * verdicts are checked against what each code should give.
 *
 * --records then times tn_replica_record_scan() alone on the same file
 * (the durable commit of a scan and its outbox entry), to tell the
 * replica's share from the app's. --backoff sets the outbox's retry delay
 * (tn_replica_set_backoff) to S seconds for the whole run, so that scans
 * that failed to go out are not tried again during it: a diagnosis, not
 * the door as it ships. */
#include "config.h"

#include "bench-replica.h"

#include <errno.h>
#include <locale.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "tn-i18n.h"
#include "tn-replica.h"
#include "tn-signed-ticket.h"
#include "tn-ticket-code.h"
#include "tn-tui-app.h"
#include "tn-tui-config.h"

#define EVENT_ID    BENCH_EVENT_ID
#define DEVICE_ID   "01932c7e-5a10-7c3d-9f00-00000000d00e"
#define SERVER_URL  "http://127.0.0.1:9"
#define PAGE_SIZE   5000

/* Longer than any verdict may take: past it the run is broken, not slow. */
#define VERDICT_TIMEOUT_S 30

typedef struct
{
  TnTuiApp   *app;
  int         master;
  int         backoff_s;    /* 0: the replica's own schedule */
  int         pause_ms;     /* between a verdict and the next code */

  GMutex      lock;
  GCond       cond;
  gboolean    ready;        /* the app's main loop runs */
  gboolean    failed;       /* a verdict never came */
  guint       shown;        /* verdicts on screen so far */

  guint       n_scans;
  char      **codes;        /* what is typed, in order */
  guint8     *expected;     /* TnVerdict per scan */
  guint8     *verdicts;     /* TnVerdict per scan, as shown */
  gint64     *t0;           /* ns, before Enter is written */
  gint64     *t1;           /* ns, the verdict on the pty */
  gint64      started;
  gint64      finished;

  gint64      pty_bytes;    /* the drain's alone until it is joined */
} Bench;

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

/* nearest rank */
static double
percentile_ms (const gint64 *sorted,
               guint         n,
               double        p)
{
  guint rank = (guint) ((p / 100.0) * n + 0.999999);

  rank = CLAMP (rank, 1, n);
  return sorted[rank - 1] / 1e6;
}

static void
report (const char *what,
        GArray     *samples)
{
  const gint64 *v;
  guint n = samples->len;

  if (n == 0)
    return;
  g_array_sort (samples, compare_gint64);
  v = (const gint64 *) (gconstpointer) samples->data;
  g_print ("%-24s %6u  p50 %6.2f  p90 %6.2f  p99 %6.2f  p99.9 %6.2f  max %7.2f ms\n", what, n,
           percentile_ms (v, n, 50), percentile_ms (v, n, 90), percentile_ms (v, n, 99),
           percentile_ms (v, n, 99.9), v[n - 1] / 1e6);
}

/* --- the replica, as after a door's first sync -------------------------- */




/* Attendee i: a tenth inside already (another door), 1 % revoked, 2 %
 * not going; the rest are the ones a door accepts. */
static gboolean
admissible (guint i)
{
  return i % 10 != 0 && i % 100 != 3 && i % 50 != 7;
}

static void
fill_replica (const char *path,
              GPtrArray  *codes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnReplica) replica = NULL;
  g_autofree char *public_b64 = NULL;
  guint8 public_key[TN_SIGNED_TICKET_PUBLIC_KEY];
  guint8 secret_key[TN_SIGNED_TICKET_SECRET_KEY];
  guint attendees = codes->len;
  gint64 seq = 0, t0 = now_ns ();

  replica = tn_replica_open_path (path, &error);
  if (replica == NULL)
    g_error ("%s", error->message);

  tn_signed_ticket_new_keypair (public_key, secret_key);
  public_b64 = g_base64_encode (public_key, sizeof public_key);

  for (guint start = 0; start < attendees; start += PAGE_SIZE)
    {
      g_autoptr(JsonObject) page = bench_sync_page_new (public_b64, -1);
      JsonArray *changes = json_object_get_array_member (page, "changes");
      guint end = MIN (attendees, start + PAGE_SIZE);

      for (guint i = start; i < end; i++)
        bench_sync_add_attendee (changes, ++seq, i, g_ptr_array_index (codes, i), TRUE);
      for (guint i = start; i < end; i++)
        {
          if (i % 10 == 0)
            bench_sync_add_checkin (changes, ++seq, i, g_ptr_array_index (codes, i));
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
  g_print ("replica: %u attendees applied in %.0f ms\n", attendees, (now_ns () - t0) / 1e6);
}

/* What the writer types: fresh admissible attendees, repeats of codes
 * accepted earlier in the run, and codes nobody was given. */
static void
plan_scans (Bench     *bench,
            GPtrArray *codes)
{
  g_autoptr(GArray) fresh = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) accepted = g_array_new (FALSE, FALSE, sizeof (guint));
  GRand *rand = g_rand_new_with_seed (5);
  guint next = 0;

  for (guint i = 0; i < codes->len; i++)
    if (admissible (i))
      g_array_append_val (fresh, i);
  for (guint i = fresh->len; i > 1; i--)
    {
      guint j = (guint) g_rand_int_range (rand, 0, (gint32) i);
      guint tmp = g_array_index (fresh, guint, i - 1);

      g_array_index (fresh, guint, i - 1) = g_array_index (fresh, guint, j);
      g_array_index (fresh, guint, j) = tmp;
    }

  for (guint s = 0; s < bench->n_scans; s++)
    {
      guint kind = (guint) g_rand_int_range (rand, 0, 10);

      if (kind == 9)
        {
          bench->codes[s] = tn_ticket_code_new ();
          bench->expected[s] = TN_VERDICT_UNKNOWN;
        }
      else if ((kind == 8 || next == fresh->len) && accepted->len > 0)
        {
          guint i = g_array_index (accepted, guint, g_rand_int_range (rand, 0, (gint32) accepted->len));

          bench->codes[s] = g_strdup (g_ptr_array_index (codes, i));
          bench->expected[s] = TN_VERDICT_DUPLICATE;
        }
      else
        {
          guint i = g_array_index (fresh, guint, next++);

          g_array_append_val (accepted, i);
          bench->codes[s] = g_strdup (g_ptr_array_index (codes, i));
          bench->expected[s] = TN_VERDICT_ACCEPTED;
        }
    }
  g_rand_free (rand);
}

/* --- the terminal's other end ------------------------------------------- */

static gboolean
write_all (int         fd,
           const char *data,
           gsize       length)
{
  while (length > 0)
    {
      ssize_t n = write (fd, data, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n;
      length -= (gsize) n;
    }
  return TRUE;
}

static gpointer
drain_thread (gpointer data)
{
  Bench *bench = data;
  char buffer[65536];

  for (;;)
    {
      ssize_t n = read (bench->master, buffer, sizeof buffer);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;   /* EIO: the last of the terminal's slave side closed */
      bench->pty_bytes += n;
    }
  return NULL;
}

static gpointer
writer_thread (gpointer data)
{
  Bench *bench = data;

  g_mutex_lock (&bench->lock);
  while (!bench->ready)
    g_cond_wait (&bench->cond, &bench->lock);
  g_mutex_unlock (&bench->lock);

  bench->started = now_ns ();
  for (guint s = 0; s < bench->n_scans; s++)
    {
      const char *code = bench->codes[s];
      gint64 deadline;
      gboolean shown = TRUE;

      if (!write_all (bench->master, code, strlen (code)))
        break;
      bench->t0[s] = now_ns ();
      if (!write_all (bench->master, "\r", 1))
        break;

      deadline = g_get_monotonic_time () + VERDICT_TIMEOUT_S * G_TIME_SPAN_SECOND;
      g_mutex_lock (&bench->lock);
      while (bench->shown <= s && shown)
        shown = g_cond_wait_until (&bench->cond, &bench->lock, deadline);
      if (!shown)
        bench->failed = TRUE;
      g_mutex_unlock (&bench->lock);
      if (!shown)
        break;
      if (bench->pause_ms > 0)
        g_usleep ((gulong) bench->pause_ms * 1000);
    }
  bench->finished = now_ns ();

  /* Ctrl-Q: the app quits */
  write_all (bench->master, "\x11", 1);
  return NULL;
}

/* The app's hook, in the main thread, once curses has written the frame. */
static void
bench_verdict_shown_cb (const TnReplicaScan *scan,
                        gpointer             user_data)
{
  Bench *bench = user_data;
  gint64 t1 = now_ns ();

  g_mutex_lock (&bench->lock);
  if (bench->shown < bench->n_scans)
    {
      bench->t1[bench->shown] = t1;
      bench->verdicts[bench->shown] = (guint8) scan->verdict;
      bench->shown++;
    }
  g_cond_broadcast (&bench->cond);
  g_mutex_unlock (&bench->lock);
}

static gboolean
bench_ready_cb (gpointer user_data)
{
  Bench *bench = user_data;
  TnSyncEngine *engine = tn_tui_app_get_engine (bench->app);

  if (engine == NULL)
    g_error ("The door did not open on the scan screen");
  if (bench->backoff_s > 0)
    tn_replica_set_backoff (tn_sync_engine_get_replica (engine),
                            bench->backoff_s * G_USEC_PER_SEC, bench->backoff_s * G_USEC_PER_SEC);

  g_mutex_lock (&bench->lock);
  bench->ready = TRUE;
  g_cond_broadcast (&bench->cond);
  g_mutex_unlock (&bench->lock);
  return G_SOURCE_REMOVE;
}

/* --- where it runs ------------------------------------------------------- */

static const char *
filesystem_of (const char *path)
{
  struct statfs fs;

  if (statfs (path, &fs) != 0)
    return "?";
  switch ((unsigned long) fs.f_type)
    {
    case 0xEF53UL:     return "ext4";
    case 0x01021994UL: return "tmpfs";
    case 0x58465342UL: return "xfs";
    case 0x9123683EUL: return "btrfs";
    case 0x794C7630UL: return "overlayfs";
    case 0x2FC12FC1UL: return "zfs";
    case 0x6969UL:     return "nfs";
    default:           return "other";
    }
}

static void
print_machine (void)
{
  g_autofree char *cpuinfo = NULL;
  g_autofree char *model = NULL;
  struct utsname uts;

  if (g_file_get_contents ("/proc/cpuinfo", &cpuinfo, NULL, NULL))
    {
      char *line = strstr (cpuinfo, "model name");
      char *colon = line != NULL ? strchr (line, ':') : NULL;

      if (colon != NULL)
        model = g_strstrip (g_strndup (colon + 1, strcspn (colon + 1, "\n")));
    }
  uname (&uts);
  g_print ("machine: %s, %u CPUs, %s %s %s\n", model != NULL ? model : "?",
           g_get_num_processors (), uts.sysname, uts.release, uts.machine);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          remove_tree (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

static void
time_records (const char *path,
              GPtrArray  *codes,
              int         records)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnReplica) replica = tn_replica_open_path (path, &error);
  g_autoptr(GArray) recorded = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) judged = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (replica == NULL)
    g_error ("%s", error->message);
  for (int i = 0; i < records; i++)
    {
      const char *code = g_ptr_array_index (codes, (guint) (i * 7919) % codes->len);
      TnReplicaScan *scan;
      gint64 start, elapsed;

      start = now_ns ();
      scan = tn_replica_judge (replica, code, TN_SCAN_IN, g_get_real_time () / G_USEC_PER_SEC);
      elapsed = now_ns () - start;
      tn_replica_scan_free (scan);
      g_array_append_val (judged, elapsed);

      start = now_ns ();
      scan = tn_replica_record_scan (replica, code, TN_SCAN_IN, g_get_real_time () / G_USEC_PER_SEC,
                                     "Bench door", &error);
      elapsed = now_ns () - start;
      if (scan == NULL)
        g_error ("%s", error->message);
      tn_replica_scan_free (scan);
      g_array_append_val (recorded, elapsed);
    }
  report ("replica alone: judge", judged);
  report ("replica alone: record", recorded);
}

int
main (int    argc,
      char **argv)
{
  int attendees = 50000, scans = 10000, records = 1000, backoff = 0, pause_ms = 0;
  g_autofree char *base = NULL;
  g_autofree char *samples_path = NULL;
  GOptionEntry entries[] = {
    { "attendees", 0, 0, G_OPTION_ARG_INT, &attendees, "Attendees in the replica (50000)", "N" },
    { "scans", 0, 0, G_OPTION_ARG_INT, &scans, "Scans to time (10000)", "N" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &base, "Where the door's data lives during the run (the temporary directory)", "PATH" },
    { "records", 0, 0, G_OPTION_ARG_INT, &records, "Then time this many durable records alone (1000; 0: none)", "N" },
    { "pause-ms", 0, 0, G_OPTION_ARG_INT, &pause_ms, "Wait this long after a verdict before typing the next code (0)", "MS" },
    { "backoff", 0, 0, G_OPTION_ARG_INT, &backoff, "Diagnosis: retry undelivered scans only after S seconds", "S" },
    { "samples", 0, 0, G_OPTION_ARG_FILENAME, &samples_path, "Write each scan (ms since the first key, ms to the verdict, verdict) to FILE", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new ("— time a door from the last key to the verdict");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (gint64));
  GArray *by_verdict[TN_VERDICT_NOT_INSIDE + 1] = { NULL };
  g_autoptr(TnTuiApp) app = NULL;
  g_autofree char *template = NULL;
  g_autofree char *root = NULL;
  g_autofree char *config_home = NULL;
  g_autofree char *data_home = NULL;
  g_autofree char *config_dir = NULL;
  g_autofree char *replica_path = NULL;
  g_autofree char *replica_dir = NULL;
  TnTuiDevice device = { DEVICE_ID, EVENT_ID, "steward", "Bench door" };
  struct winsize size = { .ws_row = 24, .ws_col = 80 };
  guint counts[TN_VERDICT_NOT_INSIDE + 1] = { 0 };
  guint mismatches = 0;
  Bench bench = { 0 };
  GThread *drainer, *writer;
  int slave, saved_in, saved_out;
  gboolean ran;

  tn_i18n_init ();

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  attendees = MAX (attendees, 100);
  scans = CLAMP (scans, 1, attendees);

  /* A home of its own, before GLib reads (and caches) the XDG dirs. */
  template = g_build_filename (base != NULL ? base : g_get_tmp_dir (), "bench-door-XXXXXX", NULL);
  if (g_mkdir_with_parents (base != NULL ? base : g_get_tmp_dir (), 0700) != 0 ||
      (root = g_mkdtemp (g_strdup (template))) == NULL)
    {
      g_printerr ("Cannot make a directory like %s: %s\n", template, g_strerror (errno));
      return 1;
    }
  config_home = g_build_filename (root, "config", NULL);
  data_home = g_build_filename (root, "data", NULL);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("TERM", "xterm-256color", TRUE);
  g_unsetenv ("NO_COLOR");

  print_machine ();

  for (int i = 0; i < attendees; i++)
    g_ptr_array_add (codes, tn_ticket_code_new ());
  replica_path = tn_replica_path_for (SERVER_URL, DEVICE_ID);
  replica_dir = g_path_get_dirname (replica_path);
  fill_replica (replica_path, codes);
  g_print ("replica: %s (%s)\n", replica_path, filesystem_of (replica_dir));

  config_dir = tn_tui_config_get_default_dir ();
  if (!tn_tui_config_save_device (config_dir, SERVER_URL, "bench-door-token", &device, &error))
    g_error ("%s", error->message);

  bench.n_scans = (guint) scans;
  bench.codes = g_new0 (char *, bench.n_scans + 1);
  bench.expected = g_new0 (guint8, bench.n_scans);
  bench.verdicts = g_new0 (guint8, bench.n_scans);
  bench.t0 = g_new0 (gint64, bench.n_scans);
  bench.t1 = g_new0 (gint64, bench.n_scans);
  g_mutex_init (&bench.lock);
  g_cond_init (&bench.cond);
  plan_scans (&bench, codes);

  /* The pty becomes this process's terminal; stderr stays where it was. */
  if (openpty (&bench.master, &slave, NULL, NULL, &size) != 0)
    {
      g_printerr ("openpty: %s\n", g_strerror (errno));
      return 1;
    }
  fflush (stdout);
  saved_in = dup (STDIN_FILENO);
  saved_out = dup (STDOUT_FILENO);
  if (saved_in < 0 || saved_out < 0 ||
      dup2 (slave, STDIN_FILENO) < 0 || dup2 (slave, STDOUT_FILENO) < 0)
    g_error ("dup2: %s", g_strerror (errno));
  close (slave);

  drainer = g_thread_new ("bench-drain", drain_thread, &bench);
  writer = g_thread_new ("bench-writer", writer_thread, &bench);

  app = tn_tui_app_new (SERVER_URL, config_dir, NULL);
  bench.app = app;
  bench.backoff_s = MAX (backoff, 0);
  bench.pause_ms = MAX (pause_ms, 0);
  tn_tui_app_set_verdict_func (app, bench_verdict_shown_cb, &bench);
  g_idle_add (bench_ready_cb, &bench);
  ran = tn_tui_app_run (app, &error);
  if (!ran)
    {
      /* The writer waits for a main loop that never ran. */
      g_mutex_lock (&bench.lock);
      bench.ready = TRUE;
      bench.n_scans = 0;
      g_cond_broadcast (&bench.cond);
      g_mutex_unlock (&bench.lock);
    }
  g_thread_join (writer);
  g_clear_object (&app);

  /* The terminal back; the drain sees EIO once the slave side is gone. */
  fflush (stdout);
  dup2 (saved_in, STDIN_FILENO);
  dup2 (saved_out, STDOUT_FILENO);
  close (saved_in);
  close (saved_out);
  g_thread_join (drainer);
  close (bench.master);

  if (!ran)
    {
      g_printerr ("The door did not run: %s\n", error->message);
      return 1;
    }
  if (bench.failed || bench.shown < bench.n_scans)
    {
      g_printerr ("Only %u of %u verdicts were shown%s\n", bench.shown, bench.n_scans,
                  bench.failed ? " (timed out)" : "");
      return 1;
    }

  if (samples_path != NULL)
    {
      g_autoptr(GString) text = g_string_new ("# ms since the first scan, ms from Enter to the verdict, verdict\n");

      for (guint s = 0; s < bench.n_scans; s++)
        g_string_append_printf (text, "%.3f %.3f %s\n", (bench.t0[s] - bench.t0[0]) / 1e6,
                                (bench.t1[s] - bench.t0[s]) / 1e6,
                                tn_verdict_to_string ((TnVerdict) bench.verdicts[s]));
      if (!g_file_set_contents (samples_path, text->str, (gssize) text->len, &error))
        {
          g_printerr ("%s\n", error->message);
          g_clear_error (&error);
        }
    }

  for (guint v = 0; v < G_N_ELEMENTS (by_verdict); v++)
    by_verdict[v] = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint s = 0; s < bench.n_scans; s++)
    {
      gint64 elapsed = bench.t1[s] - bench.t0[s];

      g_array_append_val (all, elapsed);
      g_array_append_val (by_verdict[bench.verdicts[s]], elapsed);
      counts[bench.verdicts[s]]++;
      if (bench.verdicts[s] != bench.expected[s])
        mismatches++;
    }

  g_print ("scans: %u in %.2f s, %.0f scans/s (each typed %d ms after the previous verdict showed); %.1f KiB to the terminal\n",
           bench.n_scans, (bench.finished - bench.started) / 1e9,
           bench.n_scans / ((bench.finished - bench.started) / 1e9), bench.pause_ms,
           bench.pty_bytes / 1024.0);
  g_print ("verdicts:");
  for (guint v = 0; v < G_N_ELEMENTS (counts); v++)
    if (counts[v] > 0)
      g_print (" %s %u", tn_verdict_to_string ((TnVerdict) v), counts[v]);
  g_print ("; %u not as planned\n", mismatches);
  report ("key to verdict, all", all);
  for (guint v = 0; v < G_N_ELEMENTS (by_verdict); v++)
    {
      g_autofree char *label = g_strdup_printf ("key to verdict, %s", tn_verdict_to_string ((TnVerdict) v));

      report (label, by_verdict[v]);
      g_array_unref (by_verdict[v]);
    }
  g_print ("target: p99 < 5 ms: %s\n",
           percentile_ms ((const gint64 *) (gconstpointer) all->data, all->len, 99) < 5.0 ? "met" : "NOT met");

  if (records > 0)
    time_records (replica_path, codes, records);

  for (guint s = 0; s < bench.n_scans; s++)
    g_free (bench.codes[s]);
  g_free (bench.codes);
  g_free (bench.expected);
  g_free (bench.verdicts);
  g_free (bench.t0);
  g_free (bench.t1);
  g_mutex_clear (&bench.lock);
  g_cond_clear (&bench.cond);
  if (g_getenv ("BENCH_DOOR_KEEP") == NULL)
    remove_tree (root);
  return mismatches == 0 ? 0 : 1;
}
