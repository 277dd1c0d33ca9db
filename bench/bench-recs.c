/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The recommender in-process: how long a model takes to build, how much
 * memory it holds, and how long tn_rec_model_recommend() takes.
 *
 *   bench-recs [--users 50000] [--events 100000] [--rsvps 1000000]
 *              [--calls 20000] [--seed 1]
 *
 * Generates a synthetic community (bench/recs-synth.c), puts "now" at
 * 80 % of its year and keeps the RSVPs given before then (generating more
 * so that --rsvps remain), builds the model, then times --calls
 * recommendations for users drawn at random, on one thread and then
 * shared by two (the model is read-only). */
#include "config.h"

#include "recs-synth.h"
#include "tn-recommender.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct
{
  TnRecModel *model;
  TnRecData  *data;
  gint64      now;
  guint       calls;
  guint32     seed;
  gboolean    new_members;
  gint64     *samples;   /* ns, one per call */
  gint64     *cpu;       /* ns of this thread's CPU time, one per call */
  guint       results;
} Worker;

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static gint64
thread_cpu_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

/* resident memory in bytes, from /proc (0 where there is none) */
static gsize
resident_bytes (void)
{
  g_autofree char *statm = NULL;
  g_auto(GStrv) fields = NULL;

  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
    return 0;
  fields = g_strsplit (statm, " ", -1);
  if (g_strv_length (fields) < 2)
    return 0;
  return (gsize) g_ascii_strtoull (fields[1], NULL, 10) * (gsize) sysconf (_SC_PAGESIZE);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static gpointer
worker_run (gpointer user_data)
{
  Worker *w = user_data;
  g_autoptr(GRand) rand = g_rand_new_with_seed (w->seed);

  for (guint k = 0; k < w->calls; k++)
    {
      TnRecUser *user = w->data->users->pdata[g_rand_int_range (rand, 0, w->data->users->len)];
      TnRecQuery query;
      GPtrArray *items;
      gint64 t0, c0;

      tn_rec_query_init (&query);
      query.user_id = user->id;
      query.now = w->now;
      if (w->new_members)
        {
          static const char * const interests[] = { "Tech", "Music", NULL };

          /* unknown to the model, somewhere in the first city, two interests */
          query.user_id = "someone-new";
          query.has_near = TRUE;
          query.near_lat = 52.52 + g_rand_double_range (rand, -0.1, 0.1);
          query.near_lon = 13.40 + g_rand_double_range (rand, -0.1, 0.1);
          query.interests = interests;
        }
      c0 = thread_cpu_ns ();
      t0 = now_ns ();
      items = tn_rec_model_recommend (w->model, &query);
      w->samples[k] = now_ns () - t0;
      w->cpu[k] = thread_cpu_ns () - c0;
      w->results += items->len;
      g_ptr_array_unref (items);
    }
  return NULL;
}

static void
run (TnRecModel *model,
     TnRecData  *data,
     gint64      now,
     guint       calls,
     guint       n_threads,
     gboolean    new_members)
{
  Worker *workers = g_new0 (Worker, n_threads);
  GThread **threads = g_new0 (GThread *, n_threads);
  g_autofree gint64 *all = g_new (gint64, calls);
  g_autofree gint64 *cpu = g_new (gint64, calls);
  guint n = 0, results = 0;
  gint64 t0, wall;

  for (guint t = 0; t < n_threads; t++)
    {
      workers[t].model = model;
      workers[t].data = data;
      workers[t].now = now;
      workers[t].calls = calls / n_threads;
      workers[t].seed = 1000 + t;
      workers[t].new_members = new_members;
      workers[t].samples = g_new (gint64, calls / n_threads);
      workers[t].cpu = g_new (gint64, calls / n_threads);
    }
  t0 = now_ns ();
  for (guint t = 0; t < n_threads; t++)
    threads[t] = g_thread_new ("bench-recs", worker_run, &workers[t]);
  for (guint t = 0; t < n_threads; t++)
    g_thread_join (threads[t]);
  wall = now_ns () - t0;
  for (guint t = 0; t < n_threads; t++)
    {
      memcpy (all + n, workers[t].samples, workers[t].calls * sizeof (gint64));
      memcpy (cpu + n, workers[t].cpu, workers[t].calls * sizeof (gint64));
      n += workers[t].calls;
      results += workers[t].results;
      g_free (workers[t].samples);
      g_free (workers[t].cpu);
    }
  qsort (all, n, sizeof (gint64), compare_gint64);
  qsort (cpu, n, sizeof (gint64), compare_gint64);
  g_print ("%s%u thread%s: %u calls, %.1f items/call, p50 %.3f ms, p95 %.3f ms, p99 %.3f ms, max %.3f ms, %.0f calls/s\n",
           new_members ? "new members, " : "", n_threads, n_threads > 1 ? "s" : "", n, (double) results / n,
           all[n / 2] / 1e6, all[(n * 95) / 100] / 1e6, all[(n * 99) / 100] / 1e6, all[n - 1] / 1e6,
           n / (wall / 1e9));
  /* the calls' own CPU time: what they cost when nothing else wants the CPU */
  g_print ("    CPU time per call: p50 %.3f ms, p95 %.3f ms, p99 %.3f ms\n",
           cpu[n / 2] / 1e6, cpu[(n * 95) / 100] / 1e6, cpu[(n * 99) / 100] / 1e6);
  g_free (workers);
  g_free (threads);
}

int
main (int   argc,
      char *argv[])
{
  gint users = 50000, events = 100000, rsvps = 1000000, calls = 20000, seed = 1;
  GOptionEntry entries[] = {
    { "users", 0, 0, G_OPTION_ARG_INT, &users, "Users", "N" },
    { "events", 0, 0, G_OPTION_ARG_INT, &events, "Events", "N" },
    { "rsvps", 0, 0, G_OPTION_ARG_INT, &rsvps, "RSVPs given before now", "N" },
    { "calls", 0, 0, G_OPTION_ARG_INT, &calls, "Recommendations to time", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Random seed", "S" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- the recommender in-process");
  g_autoptr(GError) error = NULL;
  g_autoptr(TnRecData) data = NULL;
  RecsSynthParams sp;
  TnRecModel *model;
  gint64 now, t0;
  gsize rss;
  guint kept = 0, generated, upcoming = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  recs_synth_params_init (&sp);
  sp.users = (guint) users;
  sp.events = (guint) events;
  sp.seed = (guint32) seed;
  now = sp.start + (gint64) sp.days * 86400 * 8 / 10;
  /* about 75 % of the answers come before now: generate enough */
  sp.rsvps = generated = (guint) (rsvps / 0.74);
  t0 = g_get_monotonic_time ();
  data = recs_synth_generate (&sp);
  for (guint k = 0; k < data->rsvps->len; k++)
    if (g_array_index (data->rsvps, TnRecRsvp, k).at <= now && kept < (guint) rsvps)
      g_array_index (data->rsvps, TnRecRsvp, kept++) = g_array_index (data->rsvps, TnRecRsvp, k);
  g_array_set_size (data->rsvps, kept);
  for (guint e = 0; e < data->events->len; e++)
    {
      TnRecEvent *event = data->events->pdata[e];

      upcoming += event->listed && event->starts_at > now;
    }
  g_print ("community: %u users, %u events (%u listed and upcoming), %u RSVPs before now (of %u generated), "
           "%u follows (%.1f s)\n",
           data->users->len, data->events->len, upcoming, kept, generated, data->follows->len,
           (g_get_monotonic_time () - t0) / 1e6);

  rss = resident_bytes ();
  model = tn_rec_model_build (data, NULL, now);
  g_print ("model: built in %.2f s on %u threads, %.1f MiB (resident memory grew by %.1f MiB)\n",
           tn_rec_model_get_build_seconds (model), g_get_num_processors (),
           tn_rec_model_get_memory_bytes (model) / 1048576.0, (resident_bytes () - (double) rss) / 1048576.0);

  run (model, data, now, (guint) calls, 1, FALSE);
  run (model, data, now, (guint) calls, 2, FALSE);
  run (model, data, now, (guint) calls, 1, TRUE);
  tn_rec_model_unref (model);
  return 0;
}
