/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Offline quality of the recommender on held-out RSVPs.
 *
 *   recs-eval [--users N] [--events N] [--rsvps N] [--seed S]
 *   recs-eval --events events.csv --rsvps rsvps.csv [--follows follows.csv]
 *
 * A synthetic community (bench/recs-synth.c), or one from CSV files:
 * events as id,category,title,description,lat,lon,starts_at, RSVPs as
 * user,event,timestamp, follows as user,user (times as Unix seconds or
 * ISO 8601; a first line starting with "id" or "user" is a header).
 *
 * The split is temporal: the latest --holdout (10 %) of the RSVPs by time
 * are held out; the split time T is the first of them. The model is built
 * at T from the RSVPs before it (check-ins at events starting after T
 * are dropped: they had not happened). A user's relevant items are the
 * events they answered (not "not going") at or after T that are listed,
 * start after T and that they had not answered before T. Each method
 * recommends 10 events at T; the harness prints precision@10, recall@10,
 * NDCG@10 and catalogue coverage (distinct events recommended over the
 * events that could be).
 *
 * With --tune, the hybrid's weights are tuned by coordinate ascent on
 * NDCG@10 on a validation split made the same way inside the training
 * RSVPs (the latest --holdout of them), never on the test split. */
#include "config.h"

#include "recs-synth.h"
#include "tn-recommender.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define K 10

typedef struct
{
  guint32  user;
  guint32 *items;     /* sorted */
  guint    n_items;
} Target;

typedef struct
{
  gint64  split;
  GArray *train;      /* TnRecRsvp */
  GArray *targets;    /* Target */
  guint   n_candidates;
} Split;

typedef struct
{
  double precision;
  double recall;
  double ndcg;
  double coverage;
  double us_per_call;
  guint  users;
} Metrics;

static gint64
parse_time (const char *s)
{
  char *end = NULL;
  gint64 v;
  g_autoptr(GDateTime) dt = NULL;

  errno = 0;
  v = g_ascii_strtoll (s, &end, 10);
  if (errno == 0 && end != s && *end == '\0')
    return v;
  dt = g_date_time_new_from_iso8601 (s, g_time_zone_new_utc ());
  return dt != NULL ? g_date_time_to_unix (dt) : G_MININT64;
}

/* One CSV record from *p (RFC 4180 quotes), or NULL at the end. */
static char **
next_record (const char **p)
{
  GPtrArray *fields;
  GString *field;
  const char *s = *p;
  gboolean quoted = FALSE;

  if (*s == '\0')
    return NULL;
  fields = g_ptr_array_new ();
  field = g_string_new (NULL);
  for (;; s++)
    {
      if (quoted)
        {
          if (*s == '\0')
            break;
          if (*s == '"' && s[1] == '"')
            g_string_append_c (field, '"'), s++;
          else if (*s == '"')
            quoted = FALSE;
          else
            g_string_append_c (field, *s);
          continue;
        }
      if (*s == '"')
        quoted = TRUE;
      else if (*s == ',')
        {
          g_ptr_array_add (fields, g_string_free (field, FALSE));
          field = g_string_new (NULL);
        }
      else if (*s == '\n' || *s == '\0')
        break;
      else if (*s != '\r')
        g_string_append_c (field, *s);
    }
  g_ptr_array_add (fields, g_string_free (field, FALSE));
  g_ptr_array_add (fields, NULL);
  *p = *s == '\0' ? s : s + 1;
  return (char **) g_ptr_array_free (fields, FALSE);
}

static gboolean
load_csv (TnRecData   *data,
          const char  *events_path,
          const char  *rsvps_path,
          const char  *follows_path,
          GError     **error)
{
  g_autofree char *text = NULL;
  const char *p;
  char **row;
  guint line = 0;

  if (!g_file_get_contents (events_path, &text, NULL, error))
    return FALSE;
  for (p = text; (row = next_record (&p)) != NULL; g_strfreev (row))
    {
      TnRecEvent event = { 0 };
      char *no_tags[] = { NULL };

      line++;
      if (g_strv_length (row) < 7 || (line == 1 && g_ascii_strcasecmp (row[0], "id") == 0))
        continue;
      event.id = row[0];
      event.category = row[1];
      event.title = row[2];
      event.description = row[3];
      event.tags = no_tags;
      event.lat = row[4][0] != '\0' ? g_ascii_strtod (row[4], NULL) : NAN;
      event.lon = row[5][0] != '\0' ? g_ascii_strtod (row[5], NULL) : NAN;
      event.starts_at = parse_time (row[6]);
      event.ends_at = event.starts_at + 2 * 3600;
      event.listed = event.starts_at != G_MININT64;
      event.organizer = -1;
      tn_rec_data_add_event (data, &event);
    }
  g_clear_pointer (&text, g_free);

  if (!g_file_get_contents (rsvps_path, &text, NULL, error))
    return FALSE;
  line = 0;
  for (p = text; (row = next_record (&p)) != NULL; g_strfreev (row))
    {
      line++;
      if (g_strv_length (row) < 3 || (line == 1 && g_ascii_strcasecmp (row[0], "user") == 0))
        continue;
      if (tn_rec_data_find_user (data, row[0]) < 0)
        tn_rec_data_add_user (data, row[0], NAN, NAN, NULL);
      tn_rec_data_add_rsvp (data, row[0], row[1], parse_time (row[2]), TN_REC_GOING, FALSE);
    }
  g_clear_pointer (&text, g_free);

  if (follows_path == NULL)
    return TRUE;
  if (!g_file_get_contents (follows_path, &text, NULL, error))
    return FALSE;
  for (p = text; (row = next_record (&p)) != NULL; g_strfreev (row))
    if (g_strv_length (row) >= 2)
      tn_rec_data_add_follow (data, row[0], row[1]);
  return TRUE;
}

static void
append_field (GString    *out,
              const char *field,
              gboolean    last)
{
  g_string_append_c (out, '"');
  for (const char *p = field; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append (out, last ? "\"\n" : "\",");
}

/* the CSV files load_csv() reads (answers other than "not going" as
 * RSVPs; tags are not part of the format) */
static gboolean
export_csv (TnRecData   *data,
            const char  *dir,
            GError     **error)
{
  g_autoptr(GString) out = g_string_new ("id,category,title,description,lat,lon,starts_at\n");
  g_autofree char *events_path = g_build_filename (dir, "events.csv", NULL);
  g_autofree char *rsvps_path = g_build_filename (dir, "rsvps.csv", NULL);
  g_autofree char *follows_path = g_build_filename (dir, "follows.csv", NULL);

  for (guint e = 0; e < data->events->len; e++)
    {
      TnRecEvent *event = data->events->pdata[e];
      char lat[32] = "", lon[32] = "", starts[32];

      if (!event->listed)
        continue;
      if (!isnan (event->lat))
        {
          g_ascii_formatd (lat, sizeof lat, "%.6f", event->lat);
          g_ascii_formatd (lon, sizeof lon, "%.6f", event->lon);
        }
      g_snprintf (starts, sizeof starts, "%" G_GINT64_FORMAT, event->starts_at);
      append_field (out, event->id, FALSE);
      append_field (out, event->category, FALSE);
      append_field (out, event->title, FALSE);
      append_field (out, event->description, FALSE);
      append_field (out, lat, FALSE);
      append_field (out, lon, FALSE);
      append_field (out, starts, TRUE);
    }
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s", dir, g_strerror (saved));
      return FALSE;
    }
  if (!g_file_set_contents (events_path, out->str, out->len, error))
    return FALSE;
  g_string_assign (out, "user,event,timestamp\n");
  for (guint k = 0; k < data->rsvps->len; k++)
    {
      const TnRecRsvp *r = &g_array_index (data->rsvps, TnRecRsvp, k);

      if (r->answer != TN_REC_NOT_GOING && ((TnRecEvent *) data->events->pdata[r->event])->listed)
        g_string_append_printf (out, "%s,%s,%" G_GINT64_FORMAT "\n", ((TnRecUser *) data->users->pdata[r->user])->id,
                                ((TnRecEvent *) data->events->pdata[r->event])->id, r->at);
    }
  if (!g_file_set_contents (rsvps_path, out->str, out->len, error))
    return FALSE;
  g_string_assign (out, "");
  for (guint k = 0; k < data->follows->len; k++)
    {
      const TnRecFollow *f = &g_array_index (data->follows, TnRecFollow, k);

      g_string_append_printf (out, "%s,%s\n", ((TnRecUser *) data->users->pdata[f->follower])->id,
                              ((TnRecUser *) data->users->pdata[f->followee])->id);
    }
  if (!g_file_set_contents (follows_path, out->str, out->len, error))
    return FALSE;
  g_print ("wrote %s, %s, %s\n", events_path, rsvps_path, follows_path);
  return TRUE;
}

static int
compare_rsvp_time (gconstpointer a,
                   gconstpointer b)
{
  const TnRecRsvp *x = a, *y = b;

  if (x->at != y->at)
    return x->at < y->at ? -1 : 1;
  if (x->user != y->user)
    return x->user < y->user ? -1 : 1;
  return x->event < y->event ? -1 : x->event > y->event;
}

static int
compare_u32 (gconstpointer a,
             gconstpointer b)
{
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;

  return x < y ? -1 : x > y;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
split_clear (Split *split)
{
  for (guint k = 0; k < split->targets->len; k++)
    g_free (g_array_index (split->targets, Target, k).items);
  g_array_unref (split->targets);
  g_array_unref (split->train);
}

/* @rsvps sorted by time; the latest @holdout of them are held out */
static void
make_split (TnRecData *data,
            GArray    *rsvps,
            double     holdout,
            guint      max_users,
            guint32    seed,
            Split     *split)
{
  guint n = rsvps->len, cut = (guint) (n * (1.0 - holdout));
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  gint64 *keys;

  split->split = g_array_index (rsvps, TnRecRsvp, cut).at;
  while (cut > 0 && g_array_index (rsvps, TnRecRsvp, cut - 1).at == split->split)
    cut--;
  split->train = g_array_sized_new (FALSE, FALSE, sizeof (TnRecRsvp), cut);
  split->targets = g_array_new (FALSE, FALSE, sizeof (Target));
  keys = g_new (gint64, n + 1);
  for (guint k = 0; k < cut; k++)
    {
      TnRecRsvp r = g_array_index (rsvps, TnRecRsvp, k);
      TnRecEvent *event = data->events->pdata[r.event];

      if (event->starts_at >= split->split)
        r.checked_in = 0;
      g_array_append_val (split->train, r);
      keys[k] = ((gint64) r.user << 32) | r.event;
      g_hash_table_add (seen, &keys[k]);
    }
  /* (user, event) pairs held out, grouped per user */
  for (guint k = cut; k < n; k++)
    {
      const TnRecRsvp *r = &g_array_index (rsvps, TnRecRsvp, k);
      TnRecEvent *event = data->events->pdata[r->event];
      gint64 key = ((gint64) r->user << 32) | r->event;

      if (r->answer == TN_REC_NOT_GOING || !event->listed || event->starts_at <= split->split
          || g_hash_table_contains (seen, &key))
        continue;
      g_array_append_val (pairs, key);
    }
  g_array_sort (pairs, compare_gint64);
  for (guint k = 0; k < pairs->len;)
    {
      gint64 key = g_array_index (pairs, gint64, k);
      guint32 user = (guint32) (key >> 32);
      Target t = { user, g_new (guint32, pairs->len - k), 0 };

      for (; k < pairs->len && (guint32) (g_array_index (pairs, gint64, k) >> 32) == user; k++)
        {
          guint32 e = (guint32) (g_array_index (pairs, gint64, k) & 0xffffffff);

          if (t.n_items == 0 || t.items[t.n_items - 1] != e)
            t.items[t.n_items++] = e;
        }
      g_array_append_val (split->targets, t);
    }
  /* a deterministic sample of the users */
  for (guint k = split->targets->len; k > 1; k--)
    {
      guint j = g_rand_int_range (rand, 0, k);
      Target tmp = g_array_index (split->targets, Target, k - 1);

      g_array_index (split->targets, Target, k - 1) = g_array_index (split->targets, Target, j);
      g_array_index (split->targets, Target, j) = tmp;
    }
  while (split->targets->len > max_users)
    {
      g_free (g_array_index (split->targets, Target, split->targets->len - 1).items);
      g_array_set_size (split->targets, split->targets->len - 1);
    }
  split->n_candidates = 0;
  for (guint e = 0; e < data->events->len; e++)
    {
      TnRecEvent *event = data->events->pdata[e];

      split->n_candidates += event->listed && event->starts_at > split->split;
    }
  g_free (keys);
}

static TnRecModel *
build_at (TnRecData *data,
          GArray    *train,
          gint64     at)
{
  GArray *all = data->rsvps;
  TnRecModel *model;

  /* the model copies what it needs: lend it the training RSVPs */
  data->rsvps = train;
  model = tn_rec_model_build (data, NULL, at);
  data->rsvps = all;
  return model;
}

static gboolean
sorted_has (const guint32 *v,
            guint          n,
            guint32        x)
{
  guint lo = 0, hi = n;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (v[mid] == x)
        return TRUE;
      if (v[mid] < x)
        lo = mid + 1;
      else
        hi = mid;
    }
  return FALSE;
}

static void
score_list (const Target  *t,
            const guint32 *recs,
            guint          n,
            Metrics       *m,
            guint8        *shown)
{
  double dcg = 0, idcg = 0;
  guint hits = 0;

  for (guint k = 0; k < n; k++)
    {
      shown[recs[k]] = 1;
      if (sorted_has (t->items, t->n_items, recs[k]))
        {
          hits++;
          dcg += 1.0 / log2 (k + 2.0);
        }
    }
  for (guint k = 0; k < MIN (t->n_items, K); k++)
    idcg += 1.0 / log2 (k + 2.0);
  m->precision += (double) hits / K;
  m->recall += (double) hits / t->n_items;
  m->ndcg += dcg / idcg;
  m->users++;
}

static void
finish_metrics (Metrics     *m,
                const guint8 *shown,
                guint        n_events,
                const Split *split,
                gint64       us)
{
  guint distinct = 0;

  for (guint e = 0; e < n_events; e++)
    distinct += shown[e];
  if (m->users > 0)
    {
      m->precision /= m->users;
      m->recall /= m->users;
      m->ndcg /= m->users;
      m->us_per_call = (double) us / m->users;
    }
  m->coverage = split->n_candidates > 0 ? (double) distinct / split->n_candidates : 0;
}

static void
evaluate_model (TnRecData    *data,
                TnRecModel   *model,
                const Split  *split,
                const double *weights,
                Metrics      *m)
{
  g_autofree guint8 *shown = g_new0 (guint8, data->events->len + 1);
  gint64 start = g_get_monotonic_time ();

  memset (m, 0, sizeof *m);
  for (guint k = 0; k < split->targets->len; k++)
    {
      const Target *t = &g_array_index (split->targets, Target, k);
      TnRecUser *user = data->users->pdata[t->user];
      TnRecQuery query;
      g_autoptr(GPtrArray) items = NULL;
      guint32 recs[K];

      tn_rec_query_init (&query);
      query.user_id = user->id;
      query.now = split->split;
      query.limit = K;
      memcpy (query.weights, weights, sizeof query.weights);
      items = tn_rec_model_recommend (model, &query);
      for (guint i = 0; i < items->len; i++)
        recs[i] = ((TnRecItem *) items->pdata[i])->event;
      score_list (t, recs, items->len, m, shown);
    }
  finish_metrics (m, shown, data->events->len, split, g_get_monotonic_time () - start);
}

static GArray *popularity_sort_counts;

static int
compare_by_count (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  TnRecData *data = user_data;
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;
  guint32 cx = g_array_index (popularity_sort_counts, guint32, x);
  guint32 cy = g_array_index (popularity_sort_counts, guint32, y);

  if (cx != cy)
    return cx > cy ? -1 : 1;
  return strcmp (((TnRecEvent *) data->events->pdata[x])->id, ((TnRecEvent *) data->events->pdata[y])->id);
}

/* the baseline: the most answered upcoming events the user has not answered */
static void
evaluate_popularity (TnRecData   *data,
                     const Split *split,
                     Metrics     *m)
{
  guint ne = data->events->len, nu = data->users->len;
  g_autoptr(GArray) counts = g_array_new (FALSE, TRUE, sizeof (guint32));
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autofree guint32 *off = g_new0 (guint32, nu + 1);
  g_autofree guint32 *fill = NULL;
  g_autofree guint32 *answered = g_new (guint32, split->train->len + 1);
  g_autofree guint8 *shown = g_new0 (guint8, ne + 1);
  gint64 start = g_get_monotonic_time ();

  memset (m, 0, sizeof *m);
  g_array_set_size (counts, ne);
  for (guint k = 0; k < split->train->len; k++)
    {
      const TnRecRsvp *r = &g_array_index (split->train, TnRecRsvp, k);

      if (r->answer != TN_REC_NOT_GOING)
        g_array_index (counts, guint32, r->event)++;
      off[r->user + 1]++;
    }
  for (guint u = 0; u < nu; u++)
    off[u + 1] += off[u];
  fill = g_memdup2 (off, (nu + 1) * sizeof (guint32));
  for (guint k = 0; k < split->train->len; k++)
    {
      const TnRecRsvp *r = &g_array_index (split->train, TnRecRsvp, k);

      answered[fill[r->user]++] = r->event;
    }
  for (guint u = 0; u < nu; u++)
    qsort (answered + off[u], off[u + 1] - off[u], sizeof (guint32), compare_u32);
  for (guint e = 0; e < ne; e++)
    {
      TnRecEvent *event = data->events->pdata[e];

      if (event->listed && event->starts_at > split->split)
        g_array_append_val (order, e);
    }
  popularity_sort_counts = counts;
  g_array_sort_with_data (order, compare_by_count, data);
  popularity_sort_counts = NULL;

  for (guint k = 0; k < split->targets->len; k++)
    {
      const Target *t = &g_array_index (split->targets, Target, k);
      guint32 recs[K];
      guint n = 0;

      for (guint i = 0; i < order->len && n < K; i++)
        {
          guint32 e = g_array_index (order, guint32, i);

          if (!sorted_has (answered + off[t->user], off[t->user + 1] - off[t->user], e))
            recs[n++] = e;
        }
      score_list (t, recs, n, m, shown);
    }
  finish_metrics (m, shown, ne, split, g_get_monotonic_time () - start);
}

static void
print_row (const char    *name,
           const Metrics *m)
{
  g_print ("| %-36s | %.4f | %.4f | %.4f | %5.1f %% | %6.0f |\n", name, m->precision, m->recall,
           m->ndcg, 100.0 * m->coverage, m->us_per_call);
}

static char *
weights_string (const double *w)
{
  return g_strdup_printf ("%g/%g/%g/%g/%g", w[0], w[1], w[2], w[3], w[4]);
}

/* coordinate ascent on NDCG@10 over a few values per weight */
static void
tune (TnRecData  *data,
      TnRecModel *model,
      const Split *split,
      double     *weights)
{
  static const double values[] = { 0, 0.1, 0.25, 0.5, 1, 2 };
  Metrics m;
  double best;

  evaluate_model (data, model, split, weights, &m);
  best = m.ndcg;
  g_print ("validation: start %.4f\n", best);
  for (guint round = 0; round < 2; round++)
    for (guint c = 0; c < TN_REC_N_COMPONENTS; c++)
      {
        double keep = weights[c];

        for (guint v = 0; v < G_N_ELEMENTS (values); v++)
          {
            if (values[v] == keep)
              continue;
            weights[c] = values[v];
            evaluate_model (data, model, split, weights, &m);
            if (m.ndcg > best + 1e-6)
              {
                g_autofree char *ws = weights_string (weights);

                best = m.ndcg;
                keep = values[v];
                g_print ("validation: %s -> NDCG@10 %.4f\n", ws, best);
              }
          }
        weights[c] = keep;
      }
}

static gboolean
parse_count (const char *s,
             guint      *out)
{
  guint64 v;

  if (s == NULL || !g_ascii_string_to_unsigned (s, 10, 0, G_MAXUINT32, &v, NULL))
    return FALSE;
  *out = (guint) v;
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  RecsSynthParams sp;
  g_autofree char *events_arg = NULL, *rsvps_arg = NULL, *follows_path = NULL;
  gint users = -1, seed = 1, max_users = 5000;
  double holdout = 0.1;
  gboolean do_tune = FALSE;
  gint show = 0;
  g_autofree char *export_dir = NULL;
  g_autofree char *weights_arg = NULL;
  GOptionEntry entries[] = {
    { "users", 0, 0, G_OPTION_ARG_INT, &users, "Synthetic users", "N" },
    { "events", 0, 0, G_OPTION_ARG_STRING, &events_arg, "Synthetic events, or an events CSV", "N|FILE" },
    { "rsvps", 0, 0, G_OPTION_ARG_STRING, &rsvps_arg, "Synthetic RSVPs, or an RSVPs CSV", "N|FILE" },
    { "follows", 0, 0, G_OPTION_ARG_FILENAME, &follows_path, "A follows CSV", "FILE" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Random seed", "S" },
    { "holdout", 0, 0, G_OPTION_ARG_DOUBLE, &holdout, "Share of the latest RSVPs held out (0.1)", "F" },
    { "max-users", 0, 0, G_OPTION_ARG_INT, &max_users, "Evaluate at most this many users (5000)", "N" },
    { "export", 0, 0, G_OPTION_ARG_FILENAME, &export_dir, "Write the community as events.csv, rsvps.csv, follows.csv in DIR and stop", "DIR" },
    { "show", 0, 0, G_OPTION_ARG_INT, &show, "Print the hybrid's items and reasons for this many users", "N" },
    { "tune", 0, 0, G_OPTION_ARG_NONE, &do_tune, "Tune the hybrid on a validation split", NULL },
    { "weights", 0, 0, G_OPTION_ARG_STRING, &weights_arg, "The hybrid's weights: co,content,friends,trending,distance", "W" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- the recommender's quality on held-out RSVPs");
  g_autoptr(GError) error = NULL;
  g_autoptr(TnRecData) data = NULL;
  g_autoptr(GArray) sorted = NULL;
  Split test, validation;
  TnRecModel *model;
  TnRecQuery defaults;
  double weights[TN_REC_N_COMPONENTS];
  Metrics m;
  guint n;
  gint64 start;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  recs_synth_params_init (&sp);
  sp.seed = (guint32) seed;
  if (users > 0)
    sp.users = (guint) users;
  start = g_get_monotonic_time ();
  if ((events_arg != NULL && !parse_count (events_arg, &n)) || (rsvps_arg != NULL && !parse_count (rsvps_arg, &n)))
    {
      data = tn_rec_data_new ();
      if (events_arg == NULL || rsvps_arg == NULL
          || !load_csv (data, events_arg, rsvps_arg, follows_path, &error))
        {
          g_printerr ("%s\n", error != NULL ? error->message : "CSV input needs both --events FILE and --rsvps FILE");
          return 1;
        }
      g_print ("loaded %s and %s: ", events_arg, rsvps_arg);
    }
  else
    {
      if (parse_count (events_arg, &n))
        sp.events = n;
      if (parse_count (rsvps_arg, &n))
        sp.rsvps = n;
      data = recs_synth_generate (&sp);
      g_print ("synthetic community (seed %d): ", seed);
    }
  g_print ("%u users, %u events, %u RSVPs, %u follows (%.1f s)\n", data->users->len, data->events->len,
           data->rsvps->len, data->follows->len, (g_get_monotonic_time () - start) / 1e6);
  if (export_dir != NULL)
    {
      if (!export_csv (data, export_dir, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      return 0;
    }
  if (data->rsvps->len < 20)
    {
      g_printerr ("too few RSVPs\n");
      return 1;
    }

  sorted = g_array_sized_new (FALSE, FALSE, sizeof (TnRecRsvp), data->rsvps->len);
  g_array_append_vals (sorted, data->rsvps->data, data->rsvps->len);
  g_array_sort (sorted, compare_rsvp_time);
  make_split (data, sorted, holdout, (guint) max_users, (guint32) seed, &test);

  tn_rec_query_init (&defaults);
  memcpy (weights, defaults.weights, sizeof weights);
  if (weights_arg != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (weights_arg, ",", -1);

      for (guint c = 0; c < TN_REC_N_COMPONENTS && parts[c] != NULL; c++)
        weights[c] = g_ascii_strtod (parts[c], NULL);
    }
  if (do_tune)
    {
      g_autofree char *ws = NULL;

      make_split (data, test.train, holdout, (guint) max_users, (guint32) seed + 1, &validation);
      model = build_at (data, validation.train, validation.split);
      g_print ("validation: split at %" G_GINT64_FORMAT ", %u train RSVPs, %u users\n", validation.split,
               validation.train->len, validation.targets->len);
      tune (data, model, &validation, weights);
      ws = weights_string (weights);
      g_print ("validation: tuned weights (co-attendance/content/friends/trending/distance) %s\n", ws);
      tn_rec_model_unref (model);
      split_clear (&validation);
    }

  model = build_at (data, test.train, test.split);
  {
    g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (test.split);
    g_autofree char *when = g_date_time_format_iso8601 (dt);

    double held = 0, ceiling = 0;

    for (guint k = 0; k < test.targets->len; k++)
      {
        guint n_items = g_array_index (test.targets, Target, k).n_items;

        held += n_items;
        ceiling += MIN (n_items, K) / (double) K;
      }
    g_print ("test split at %s: %u training RSVPs, %u users with held-out events (%.2f each; "
             "a perfect list scores P@10 %.4f), %u candidate events\n",
             when, test.train->len, test.targets->len, held / MAX (test.targets->len, 1),
             ceiling / MAX (test.targets->len, 1), test.n_candidates);
  }
  g_print ("model: built in %.2f s, %.1f MiB\n\n", tn_rec_model_get_build_seconds (model),
           tn_rec_model_get_memory_bytes (model) / 1048576.0);

  g_print ("| method                               |   P@10 |   R@10 | NDCG@10 | coverage | us/call |\n");
  g_print ("| ------------------------------------ | -----: | -----: | ------: | -------: | ------: |\n");
  evaluate_popularity (data, &test, &m);
  print_row ("popularity (baseline)", &m);
  for (guint c = 0; c < TN_REC_N_COMPONENTS; c++)
    {
      double one[TN_REC_N_COMPONENTS] = { 0 };
      g_autofree char *name = g_strdup_printf ("%s alone", tn_rec_component_name (c));

      one[c] = 1.0;
      evaluate_model (data, model, &test, one, &m);
      print_row (name, &m);
    }
  evaluate_model (data, model, &test, defaults.weights, &m);
  {
    g_autofree char *ws = weights_string (defaults.weights);
    g_autofree char *name = g_strdup_printf ("hybrid, default %s", ws);

    print_row (name, &m);
  }
  if (do_tune || weights_arg != NULL)
    {
      g_autofree char *ws = weights_string (weights);
      g_autofree char *name = g_strdup_printf ("hybrid, %s %s", do_tune ? "tuned" : "given", ws);

      evaluate_model (data, model, &test, weights, &m);
      print_row (name, &m);
    }

  for (guint k = 0; k < (guint) show && k < test.targets->len; k++)
    {
      const Target *t = &g_array_index (test.targets, Target, k);
      TnRecUser *user = data->users->pdata[t->user];
      TnRecQuery query;
      g_autoptr(GPtrArray) items = NULL;

      tn_rec_query_init (&query);
      query.user_id = user->id;
      query.now = test.split;
      memcpy (query.weights, weights, sizeof query.weights);
      items = tn_rec_model_recommend (model, &query);
      g_print ("\n%s:\n", user->id);
      for (guint i = 0; i < items->len; i++)
        {
          TnRecItem *item = items->pdata[i];
          TnRecEvent *event = data->events->pdata[item->event];
          g_autofree char *reasons = g_strjoinv ("; ", item->reasons);

          g_print ("  %s %-28s %-10s %.3f %s%s\n", item->event_id, event->title, event->category, item->score,
                   sorted_has (t->items, t->n_items, item->event) ? "[HIT] " : "", reasons);
        }
    }

  tn_rec_model_unref (model);
  split_clear (&test);
  return 0;
}
