/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tn-metrics.h"

/* Upper bounds of the latency histogram, in seconds. */
static const double buckets[] = {
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
};

typedef struct
{
  guint64 counts[G_N_ELEMENTS (buckets)];
  guint64 count;
  double  sum;
} Histogram;

struct _TnMetrics
{
  GObject parent_instance;

  GMutex      lock;
  GHashTable *requests;    /* "route\tmethod\tstatus" → guint64 * */
  GHashTable *latencies;   /* "route" → Histogram */
  gint64      started;
  guint64     batches;          /* write batches committed */
  guint64     batches_failed;   /* write batches whose COMMIT failed */
  guint64     batched_answers;  /* answers that waited for a batch */
};

G_DEFINE_FINAL_TYPE (TnMetrics, tn_metrics, G_TYPE_OBJECT)

static void
tn_metrics_finalize (GObject *object)
{
  TnMetrics *self = (TnMetrics *) object;

  g_hash_table_unref (self->requests);
  g_hash_table_unref (self->latencies);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (tn_metrics_parent_class)->finalize (object);
}

static void
tn_metrics_class_init (TnMetricsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tn_metrics_finalize;
}

static void
tn_metrics_init (TnMetrics *self)
{
  g_mutex_init (&self->lock);
  self->requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->latencies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->started = g_get_real_time ();
}

TnMetrics *
tn_metrics_new (void)
{
  return g_object_new (TN_TYPE_METRICS, NULL);
}

/**
 * tn_metrics_observe_request:
 * @route: the route pattern (`/api/v1/events/{id}`), never the raw path,
 *   so that label values stay few
 */
void
tn_metrics_observe_request (TnMetrics  *self,
                            const char *route,
                            const char *method,
                            guint       status,
                            double      seconds)
{
  char key[256];
  guint64 *count;
  Histogram *histogram;

  g_return_if_fail (TN_IS_METRICS (self));

  g_snprintf (key, sizeof key, "%s\t%s\t%u", route, method, status);

  g_mutex_lock (&self->lock);
  count = g_hash_table_lookup (self->requests, key);
  if (count == NULL)
    {
      count = g_new0 (guint64, 1);
      g_hash_table_insert (self->requests, g_strdup (key), count);
    }
  (*count)++;

  histogram = g_hash_table_lookup (self->latencies, route);
  if (histogram == NULL)
    {
      histogram = g_new0 (Histogram, 1);
      g_hash_table_insert (self->latencies, g_strdup (route), histogram);
    }
  for (guint i = 0; i < G_N_ELEMENTS (buckets); i++)
    if (seconds <= buckets[i])
      histogram->counts[i]++;
  histogram->count++;
  histogram->sum += seconds;
  g_mutex_unlock (&self->lock);
}

/**
 * tn_metrics_observe_batch:
 * @answers: answers the batch held until its COMMIT
 * @stored: whether the COMMIT succeeded
 */
void
tn_metrics_observe_batch (TnMetrics *self,
                          guint      answers,
                          gboolean   stored)
{
  g_return_if_fail (TN_IS_METRICS (self));

  g_mutex_lock (&self->lock);
  if (stored)
    self->batches++;
  else
    self->batches_failed++;
  self->batched_answers += answers;
  g_mutex_unlock (&self->lock);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/**
 * tn_metrics_render:
 *
 * Returns: (transfer full): the metrics in the Prometheus text format 0.0.4
 */
char *
tn_metrics_render (TnMetrics *self)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree gpointer *keys = NULL;
  guint n_keys;
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (TN_IS_METRICS (self), NULL);

  g_mutex_lock (&self->lock);

  g_string_append (out,
                   "# HELP turnout_http_requests_total HTTP requests answered, by route, method and status.\n"
                   "# TYPE turnout_http_requests_total counter\n");
  keys = g_hash_table_get_keys_as_array (self->requests, &n_keys);
  qsort (keys, n_keys, sizeof (gpointer), compare_strings);
  for (guint i = 0; i < n_keys; i++)
    {
      g_auto(GStrv) parts = g_strsplit (keys[i], "\t", 3);
      guint64 *count = g_hash_table_lookup (self->requests, keys[i]);

      g_string_append_printf (out,
                              "turnout_http_requests_total{route=\"%s\",method=\"%s\",status=\"%s\"} %"
                              G_GUINT64_FORMAT "\n", parts[0], parts[1], parts[2], *count);
    }
  g_clear_pointer (&keys, g_free);

  g_string_append (out,
                   "# HELP turnout_http_request_duration_seconds Time from request headers to response, by route.\n"
                   "# TYPE turnout_http_request_duration_seconds histogram\n");
  keys = g_hash_table_get_keys_as_array (self->latencies, &n_keys);
  qsort (keys, n_keys, sizeof (gpointer), compare_strings);
  for (guint i = 0; i < n_keys; i++)
    {
      Histogram *histogram = g_hash_table_lookup (self->latencies, keys[i]);
      const char *route = keys[i];

      for (guint b = 0; b < G_N_ELEMENTS (buckets); b++)
        g_string_append_printf (out,
                                "turnout_http_request_duration_seconds_bucket{route=\"%s\",le=\"%s\"} %"
                                G_GUINT64_FORMAT "\n", route,
                                g_ascii_formatd (number, sizeof number, "%g", buckets[b]),
                                histogram->counts[b]);
      g_string_append_printf (out,
                              "turnout_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %"
                              G_GUINT64_FORMAT "\n", route, histogram->count);
      g_string_append_printf (out, "turnout_http_request_duration_seconds_sum{route=\"%s\"} %s\n", route,
                              g_ascii_formatd (number, sizeof number, "%.9g", histogram->sum));
      g_string_append_printf (out, "turnout_http_request_duration_seconds_count{route=\"%s\"} %"
                              G_GUINT64_FORMAT "\n", route, histogram->count);
    }

  g_string_append_printf (out,
                          "# HELP turnout_write_batches_total Write batches (group commits), by outcome.\n"
                          "# TYPE turnout_write_batches_total counter\n"
                          "turnout_write_batches_total{outcome=\"committed\"} %" G_GUINT64_FORMAT "\n"
                          "turnout_write_batches_total{outcome=\"failed\"} %" G_GUINT64_FORMAT "\n"
                          "# HELP turnout_write_batch_answers_total Answers that waited for the COMMIT of a batch.\n"
                          "# TYPE turnout_write_batch_answers_total counter\n"
                          "turnout_write_batch_answers_total %" G_GUINT64_FORMAT "\n",
                          self->batches, self->batches_failed, self->batched_answers);

  g_mutex_unlock (&self->lock);

  g_string_append (out,
                   "# HELP turnout_start_time_seconds When the server started, in Unix time.\n"
                   "# TYPE turnout_start_time_seconds gauge\n");
  g_string_append_printf (out, "turnout_start_time_seconds %" G_GINT64_FORMAT "\n",
                          self->started / G_USEC_PER_SEC);

  return g_string_free (g_steal_pointer (&out), FALSE);
}
