/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tn-recommender.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* memcpy(), memmove() and qsort() of nothing: C says their pointers must
 * be valid even for zero bytes, and an empty array's may be NULL. */
static inline void
copy_n (void *dst, const void *src, gsize bytes)
{
  if (bytes > 0)
    memcpy (dst, src, bytes);
}

static inline void
move_n (void *dst, const void *src, gsize bytes)
{
  if (bytes > 0)
    memmove (dst, src, bytes);
}

static inline void
sort_n (void *base, gsize n, gsize size, int (*compare) (const void *, const void *))
{
  if (n > 1)
    qsort (base, n, size, compare);
}

/* Layout: every per-user and per-event list is a CSR pair (offsets of
 * n + 1, then the entries), so the model is a few dozen flat arrays and
 * its memory is their sum. Events are "candidates" when listed and
 * upcoming at build time: only those are ever recommended, and only
 * those are in the inverted index, the trending lists, the grid and the
 * neighbour lists. */

#define DAY                  (24 * 3600)
#define WEEK                 (7 * DAY)
#define POSTINGS_PER_TERM    50     /* scanned per profile term per request (150: the same NDCG@10) */
#define PROFILE_TERMS        16
#define PROFILE_SLOTS        64     /* a power of two > 2 × PROFILE_TERMS */
#define FILTER_WORDS         128    /* filters of 8,192 bits over term or event ids */
#define REQUEST_HISTORY      50     /* the user's most recent events a request uses */
#define TRENDING_CANDIDATES  100
#define CATEGORY_CANDIDATES  40
#define NEARBY_CANDIDATES    150
#define MAX_FOLLOWEES        1000
#define CELL_DEGREES         0.1
#define MAX_RING             4      /* grid cells around the centre */
#define DISTANCE_SCALE_KM    10.0
#define REASON_MAX_KM        50.0
#define NEIGHBOUR_SHRINK     3.0
#define POPULAR_RANK         10     /* top of its category… */
#define POPULAR_MIN_RECENT   3      /* …with this many sign-ups in 7 days */
#define MAX_REASONS          3

/* an answer as the model keeps it */
enum
{
  F_GOING    = 1 << 0,  /* answered going or was checked in */
  F_CHECKED  = 1 << 1,
  F_POSITIVE = 1 << 2,  /* going, waitlisted, interested, maybe or checked in */
};

typedef struct
{
  guint32 event;
  guint8  answer;
  guint8  flags;
  gint64  at;
} Answer;

/* What a request reads of each event it considers, in one place: one
 * cache line holds two events, where the separate arrays cost a miss
 * each (a request looks at some 1,500 events of a large community). */
typedef struct
{
  gint64  start;
  guint32 cat;
  guint32 vec_off;       /* its content vector: vec[vec_off … vec_off + vec_n] */
  guint16 vec_n;
  guint8  candidate;     /* listed and upcoming when the model was built */
  guint8  reserved;
  float   trend_score;
  float   lat;           /* NAN: no place */
  float   lon;
} EventHot;

G_STATIC_ASSERT (sizeof (EventHot) == 32);

/* (index, weight): a neighbour, a posting, a term of a vector */
typedef struct
{
  guint32 id;
  float   w;
} Entry;

struct _TnRecModel
{
  gint        ref_count;
  gint64      built_at;
  double      build_seconds;
  gsize       memory;
  TnRecParams params;

  guint       n_events;
  guint       n_users;
  guint       n_categories;
  guint       n_terms;
  guint       n_candidates;

  /* events */
  char      **event_ids;
  char      **event_titles;
  guint32    *event_cat;
  gint64     *event_start;
  double     *event_lat;
  double     *event_lon;
  guint8     *event_candidate;
  EventHot   *hot;             /* the same, packed for requests */
  GHashTable *event_index;     /* id → index + 1; keys are event_ids */

  char      **categories;      /* display names */
  char      **category_keys;   /* casefolded */
  GHashTable *category_index;  /* casefolded → index + 1 */

  /* users */
  GHashTable *user_index;      /* id → index + 1 */
  char      **user_ids;
  double     *user_lat;
  double     *user_lon;
  guint32    *interest_off;
  guint32    *interests;       /* category indices */

  /* answers per user, sorted by event */
  guint32    *ans_off;
  Answer     *ans;
  /* positive answers per user, most recent first, at most max_user_events */
  guint32    *hist_off;
  Answer     *hist;
  /* going users per event, sorted */
  guint32    *going_off;
  guint32    *going;

  /* co-attendance neighbours per event (candidates only), best first */
  guint32    *nb_off;
  Entry      *nb;

  /* content: per event its terms (sorted by term, L2-normalised), and
   * per term its candidate events (heaviest first) */
  guint32    *vec_off;
  Entry      *vec;
  guint32    *inv_off;
  Entry      *inv;
  char      **tags_of;         /* per event, its tags joined by '\n' (for reasons) */
  guint32    *category_term;   /* category → term, or G_MAXUINT32 */

  /* trending */
  float      *trend;
  float      *trend_score;     /* log1p (trend) / log1p (max): the component */
  guint32    *recent;          /* going answers in the 7 days before build */
  guint32    *cat_rank;        /* rank among its category's candidates */
  double     *category_trend;
  float       trend_max;
  guint32    *trend_list;      /* candidates, hottest first */
  guint32    *cat_list_off;
  guint32    *cat_list;

  /* follows, sorted per follower */
  guint32    *fo_off;
  guint32    *fo;
  guint8     *fo_mutual;

  /* candidate events with a place, bucketed by grid cell */
  guint       n_cells;
  gint64     *cell_keys;
  guint32    *cell_off;
  guint32    *cell_events;
};

static const char * const stop_words[] = {
  "about", "after", "all", "also", "and", "any", "are", "bring", "but", "can",
  "come", "for", "from", "get", "has", "have", "her", "his", "how", "into",
  "its", "join", "just", "more", "most", "new", "not", "now", "our", "out",
  "over", "some", "than", "that", "the", "their", "them", "then", "there",
  "these", "they", "this", "those", "through", "under", "until", "very",
  "was", "way", "were", "what", "when", "where", "which", "who", "why",
  "will", "with", "you", "your", "yours", "des", "die", "der", "und", "les",
  "una", "del", "por", "para", "con", "est", "pour", "dans",
};

/* helpers: memory */

static gpointer
model_alloc (TnRecModel *model,
             gsize       n,
             gsize       size)
{
  model->memory += n * size;
  return g_malloc0_n (MAX (n, 1), size);
}

static char *
model_strdup (TnRecModel *model,
              const char *s)
{
  /* the string and malloc's header */
  model->memory += strlen (s) + 1 + 16;
  return g_strdup (s);
}

static gint64
monotonic_us (void)
{
  return g_get_monotonic_time ();
}

/* TnRecData is filled by hand in places (the store's loader, the
 * harness): take NULL strings as empty rather than crash */
static const char *
or_empty (const char *s)
{
  return s != NULL ? s : "";
}

static const char * const *
or_none (char **strv)
{
  static const char * const none[] = { NULL };

  return strv != NULL ? (const char * const *) strv : none;
}

/* helpers: geometry */

static double
distance_km (double lat1,
             double lon1,
             double lat2,
             double lon2)
{
  double p1 = lat1 * G_PI / 180.0, p2 = lat2 * G_PI / 180.0;
  double dp = p2 - p1, dl = (lon2 - lon1) * G_PI / 180.0;
  double a = sin (dp / 2) * sin (dp / 2) + cos (p1) * cos (p2) * sin (dl / 2) * sin (dl / 2);

  return 6371.0 * 2.0 * atan2 (sqrt (a), sqrt (1.0 - a));
}

static gint64
cell_key (gint64 row,
          gint64 col)
{
  return (row << 32) ^ (col & 0xffffffff);
}

static gint64
cell_row (double lat)
{
  return (gint64) floor (lat / CELL_DEGREES);
}

static gint64
cell_col (double lon)
{
  return (gint64) floor (lon / CELL_DEGREES);
}

/* helpers: sorting */

static int
compare_answer (gconstpointer a,
                gconstpointer b)
{
  const Answer *x = a, *y = b;

  if (x->event != y->event)
    return x->event < y->event ? -1 : 1;
  return x->at < y->at ? -1 : x->at > y->at;
}

static int
compare_answer_recent (gconstpointer a,
                       gconstpointer b)
{
  const Answer *x = a, *y = b;

  if (x->at != y->at)
    return x->at > y->at ? -1 : 1;
  return x->event < y->event ? -1 : x->event > y->event;
}

static int
compare_entry_id (gconstpointer a,
                  gconstpointer b)
{
  const Entry *x = a, *y = b;

  return x->id < y->id ? -1 : x->id > y->id;
}

static int
compare_entry_weight (gconstpointer a,
                      gconstpointer b)
{
  const Entry *x = a, *y = b;

  if (x->w != y->w)
    return x->w > y->w ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

static int
compare_u32 (gconstpointer a,
             gconstpointer b)
{
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;

  return x < y ? -1 : x > y;
}

static const Answer *
find_answer (TnRecModel *model,
             gint        user,
             guint32     event)
{
  guint32 lo, hi;

  if (user < 0)
    return NULL;
  lo = model->ans_off[user];
  hi = model->ans_off[user + 1];
  while (lo < hi)
    {
      guint32 mid = lo + (hi - lo) / 2;

      if (model->ans[mid].event == event)
        return &model->ans[mid];
      if (model->ans[mid].event < event)
        lo = mid + 1;
      else
        hi = mid;
    }
  return NULL;
}

static gboolean
sorted_contains (const guint32 *v,
                 guint32        n,
                 guint32        x)
{
  guint32 lo = 0, hi = n;

  while (lo < hi)
    {
      guint32 mid = lo + (hi - lo) / 2;

      if (v[mid] == x)
        return TRUE;
      if (v[mid] < x)
        lo = mid + 1;
      else
        hi = mid;
    }
  return FALSE;
}

static guint
intersect_count (const guint32 *a,
                 guint32        na,
                 const guint32 *b,
                 guint32        nb)
{
  guint32 i = 0, j = 0;
  guint count = 0;

  while (i < na && j < nb)
    {
      if (a[i] == b[j])
        count++, i++, j++;
      else if (a[i] < b[j])
        i++;
      else
        j++;
    }
  return count;
}

static float
sparse_dot (const Entry *a,
            guint32      na,
            const Entry *b,
            guint32      nb)
{
  guint32 i = 0, j = 0;
  float dot = 0;

  while (i < na && j < nb)
    {
      if (a[i].id == b[j].id)
        dot += a[i++].w * b[j++].w;
      else if (a[i].id < b[j].id)
        i++;
      else
        j++;
    }
  return dot;
}

/* build: categories and users */

static guint32
intern_category (TnRecModel *model,
                 GPtrArray  *names,
                 GPtrArray  *keys,
                 const char *name)
{
  g_autofree char *key = g_utf8_casefold (name, -1);
  gpointer found = g_hash_table_lookup (model->category_index, key);

  if (found != NULL)
    return GPOINTER_TO_UINT (found) - 1;
  g_ptr_array_add (names, model_strdup (model, name));
  g_ptr_array_add (keys, model_strdup (model, key));
  g_hash_table_insert (model->category_index, keys->pdata[keys->len - 1],
                       GUINT_TO_POINTER (keys->len));
  return keys->len - 1;
}

static void
build_events_and_users (TnRecModel *model,
                        TnRecData  *data)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  guint n = model->n_events, total = 0;

  model->event_ids = model_alloc (model, n + 1, sizeof (char *));
  model->event_titles = model_alloc (model, n + 1, sizeof (char *));
  model->event_cat = model_alloc (model, n, sizeof (guint32));
  model->event_start = model_alloc (model, n, sizeof (gint64));
  model->event_lat = model_alloc (model, n, sizeof (double));
  model->event_lon = model_alloc (model, n, sizeof (double));
  model->event_candidate = model_alloc (model, n, sizeof (guint8));
  model->tags_of = model_alloc (model, n + 1, sizeof (char *));
  model->event_index = g_hash_table_new (g_str_hash, g_str_equal);
  model->category_index = g_hash_table_new (g_str_hash, g_str_equal);
  /* a GHashTable entry: key, value and hash, in arrays grown by powers of two */
  model->memory += (gsize) n * 2 * (8 + 8 + 4);

  for (guint i = 0; i < n; i++)
    {
      TnRecEvent *event = data->events->pdata[i];
      g_autofree char *tags = g_strjoinv ("\n", (char **) or_none (event->tags));

      model->event_ids[i] = model_strdup (model, event->id);
      model->event_titles[i] = model_strdup (model, or_empty (event->title));
      model->tags_of[i] = model_strdup (model, tags);
      model->event_cat[i] = intern_category (model, names, keys, or_empty (event->category));
      model->event_start[i] = event->starts_at;
      model->event_lat[i] = event->lat;
      model->event_lon[i] = event->lon;
      model->event_candidate[i] = event->listed && event->starts_at > model->built_at;
      model->n_candidates += model->event_candidate[i];
      g_hash_table_insert (model->event_index, model->event_ids[i], GUINT_TO_POINTER (i + 1));
    }

  n = model->n_users;
  model->user_ids = model_alloc (model, n + 1, sizeof (char *));
  model->user_lat = model_alloc (model, n, sizeof (double));
  model->user_lon = model_alloc (model, n, sizeof (double));
  model->interest_off = model_alloc (model, n + 1, sizeof (guint32));
  model->user_index = g_hash_table_new (g_str_hash, g_str_equal);
  model->memory += (gsize) n * 2 * (8 + 8 + 4);
  for (guint u = 0; u < n; u++)
    {
      TnRecUser *user = data->users->pdata[u];

      model->user_ids[u] = model_strdup (model, user->id);
      model->user_lat[u] = user->home_lat;
      model->user_lon[u] = user->home_lon;
      g_hash_table_insert (model->user_index, model->user_ids[u], GUINT_TO_POINTER (u + 1));
      total += g_strv_length ((char **) or_none (user->interests));
    }
  model->interests = model_alloc (model, total, sizeof (guint32));
  total = 0;
  for (guint u = 0; u < n; u++)
    {
      TnRecUser *user = data->users->pdata[u];

      model->interest_off[u] = total;
      const char * const *interests = or_none (user->interests);

      for (guint k = 0; interests[k] != NULL; k++)
        model->interests[total++] = intern_category (model, names, keys, interests[k]);
    }
  model->interest_off[n] = total;

  model->n_categories = keys->len;
  model->categories = model_alloc (model, keys->len + 1, sizeof (char *));
  model->category_keys = model_alloc (model, keys->len + 1, sizeof (char *));
  copy_n (model->categories, names->pdata, keys->len * sizeof (char *));
  copy_n (model->category_keys, keys->pdata, keys->len * sizeof (char *));
  model->memory += (gsize) keys->len * 2 * (8 + 8 + 4);
}

/* build: answers */

static void
build_answers (TnRecModel *model,
               TnRecData  *data)
{
  guint nu = model->n_users, ne = model->n_events;
  guint32 *fill;
  Answer *raw;
  guint32 n_raw = data->rsvps->len, kept = 0, n_hist = 0;
  guint max_hist = model->params.max_user_events;

  /* counting sort by user, then each user's answers by event and time */
  model->ans_off = model_alloc (model, nu + 1, sizeof (guint32));
  raw = g_new (Answer, MAX (n_raw, 1));
  fill = g_new0 (guint32, nu + 1);
  for (guint32 k = 0; k < n_raw; k++)
    {
      const TnRecRsvp *r = &g_array_index (data->rsvps, TnRecRsvp, k);

      if (r->user < nu && r->event < ne)
        fill[r->user + 1]++;
    }
  for (guint u = 0; u < nu; u++)
    fill[u + 1] += fill[u];
  for (guint32 k = 0; k < n_raw; k++)
    {
      const TnRecRsvp *r = &g_array_index (data->rsvps, TnRecRsvp, k);
      Answer a = { r->event, r->answer, 0, r->at };

      if (r->user >= nu || r->event >= ne)
        continue;
      if (r->checked_in)
        a.flags |= F_CHECKED;
      raw[fill[r->user]++] = a;
    }
  /* fill[u] is now the end of u's answers: keep the latest per event */
  for (guint u = 0; u < nu; u++)
    {
      guint32 start = u == 0 ? 0 : fill[u - 1], end = fill[u];

      sort_n (raw + start, end - start, sizeof (Answer), compare_answer);
      model->ans_off[u] = kept;
      for (guint32 k = start; k < end; k++)
        {
          Answer a = raw[k];

          if (k + 1 < end && raw[k + 1].event == a.event)
            {
              raw[k + 1].flags |= a.flags & F_CHECKED;
              continue;
            }
          if (a.answer == TN_REC_GOING || (a.flags & F_CHECKED))
            a.flags |= F_GOING;
          if (a.answer != TN_REC_NOT_GOING || (a.flags & F_CHECKED))
            a.flags |= F_POSITIVE;
          raw[kept++] = a;
        }
    }
  model->ans_off[nu] = kept;
  model->ans = model_alloc (model, kept, sizeof (Answer));
  copy_n (model->ans, raw, kept * sizeof (Answer));

  /* history: positive answers, most recent first */
  model->hist_off = model_alloc (model, nu + 1, sizeof (guint32));
  for (guint u = 0; u < nu; u++)
    {
      guint32 start = model->ans_off[u], end = model->ans_off[u + 1], n = 0;

      model->hist_off[u] = n_hist;
      for (guint32 k = start; k < end; k++)
        if (model->ans[k].flags & F_POSITIVE)
          raw[n_hist + n++] = model->ans[k];
      sort_n (raw + n_hist, n, sizeof (Answer), compare_answer_recent);
      n_hist += MIN (n, max_hist);
    }
  model->hist_off[nu] = n_hist;
  model->hist = model_alloc (model, n_hist, sizeof (Answer));
  copy_n (model->hist, raw, n_hist * sizeof (Answer));
  g_free (raw);

  /* going users per event, sorted because users are visited in order */
  model->going_off = model_alloc (model, ne + 1, sizeof (guint32));
  memset (fill, 0, (nu + 1) * sizeof (guint32));
  fill = g_renew (guint32, fill, ne + 1);
  memset (fill, 0, (ne + 1) * sizeof (guint32));
  for (guint32 k = 0; k < kept; k++)
    if (model->ans[k].flags & F_GOING)
      fill[model->ans[k].event + 1]++;
  for (guint e = 0; e < ne; e++)
    fill[e + 1] += fill[e];
  copy_n (model->going_off, fill, (ne + 1) * sizeof (guint32));
  model->going = model_alloc (model, fill[ne], sizeof (guint32));
  for (guint u = 0; u < nu; u++)
    for (guint32 k = model->ans_off[u]; k < model->ans_off[u + 1]; k++)
      if (model->ans[k].flags & F_GOING)
        model->going[fill[model->ans[k].event]++] = u;
  g_free (fill);
}

/* build: co-attendance neighbours */

typedef struct
{
  TnRecModel *model;
  guint32    *cand_off;   /* per user, their going candidate events */
  guint32    *cand;
  float      *user_w;
  Entry      *out;        /* n_events × K */
  guint32    *out_n;
  gint        next;
} NeighbourJob;

#define NEIGHBOUR_BLOCK 256

static gpointer
neighbour_worker (gpointer user_data)
{
  NeighbourJob *job = user_data;
  TnRecModel *model = job->model;
  guint ne = model->n_events, k_max = model->params.neighbours;
  float *acc = g_new0 (float, ne);
  guint32 *touched = g_new (guint32, ne);
  Entry *heap = g_new (Entry, k_max + 1);

  for (;;)
    {
      guint start = (guint) g_atomic_int_add (&job->next, NEIGHBOUR_BLOCK);

      if (start >= ne)
        break;
      for (guint i = start; i < MIN (start + NEIGHBOUR_BLOCK, ne); i++)
        {
          guint32 n_touched = 0, n_heap = 0;
          guint32 ni = model->going_off[i + 1] - model->going_off[i];

          if (ni == 0)
            continue;
          for (guint32 k = model->going_off[i]; k < model->going_off[i + 1]; k++)
            {
              guint32 u = model->going[k];

              for (guint32 m = job->cand_off[u]; m < job->cand_off[u + 1]; m++)
                {
                  guint32 j = job->cand[m];

                  if (j == i)
                    continue;
                  if (acc[j] == 0)
                    touched[n_touched++] = j;
                  acc[j] += job->user_w[u];
                }
            }
          /* keep the best k_max in a min-heap on (w, then larger id worse) */
          for (guint32 t = 0; t < n_touched; t++)
            {
              guint32 j = touched[t];
              guint32 nj = model->going_off[j + 1] - model->going_off[j];
              Entry e = { j, acc[j] / (float) (sqrt ((double) ni * nj) + NEIGHBOUR_SHRINK) };

              acc[j] = 0;
              if (n_heap < k_max)
                {
                  guint32 c = n_heap++;

                  while (c > 0 && compare_entry_weight (&heap[(c - 1) / 2], &e) < 0)
                    {
                      heap[c] = heap[(c - 1) / 2];
                      c = (c - 1) / 2;
                    }
                  heap[c] = e;
                }
              else if (compare_entry_weight (&e, &heap[0]) < 0)
                {
                  guint32 c = 0;

                  for (;;)
                    {
                      guint32 l = 2 * c + 1, r = l + 1, worst = c;
                      const Entry *wv = &e;

                      if (l < n_heap && compare_entry_weight (&heap[l], wv) > 0)
                        worst = l, wv = &heap[l];
                      if (r < n_heap && compare_entry_weight (&heap[r], wv) > 0)
                        worst = r, wv = &heap[r];
                      if (worst == c)
                        break;
                      heap[c] = heap[worst];
                      c = worst;
                    }
                  heap[c] = e;
                }
            }
          sort_n (heap, n_heap, sizeof (Entry), compare_entry_weight);
          copy_n (job->out + (gsize) i * k_max, heap, n_heap * sizeof (Entry));
          job->out_n[i] = n_heap;
        }
    }
  g_free (acc);
  g_free (touched);
  g_free (heap);
  return NULL;
}

static void
build_neighbours (TnRecModel *model)
{
  NeighbourJob job = { model };
  guint nu = model->n_users, ne = model->n_events, k_max = model->params.neighbours;
  guint n_threads = model->params.n_threads;
  guint32 total = 0;
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();

  if (n_threads == 0)
    n_threads = MAX (1, g_get_num_processors ());
  job.cand_off = g_new0 (guint32, nu + 1);
  job.user_w = g_new0 (float, MAX (nu, 1));
  for (guint u = 0; u < nu; u++)
    {
      guint32 n = 0, deg = 0;

      for (guint32 k = model->hist_off[u]; k < model->hist_off[u + 1]; k++)
        if (model->hist[k].flags & F_GOING)
          {
            deg++;
            n += model->event_candidate[model->hist[k].event];
          }
      job.cand_off[u + 1] = job.cand_off[u] + n;
      /* someone who goes to everything says little about any pair */
      job.user_w[u] = 1.0f / (float) log (2.0 + deg);
    }
  job.cand = g_new (guint32, MAX (job.cand_off[nu], 1));
  for (guint u = 0; u < nu; u++)
    {
      guint32 n = job.cand_off[u];

      for (guint32 k = model->hist_off[u]; k < model->hist_off[u + 1]; k++)
        if ((model->hist[k].flags & F_GOING) && model->event_candidate[model->hist[k].event])
          job.cand[n++] = model->hist[k].event;
    }
  job.out = g_new (Entry, MAX ((gsize) ne * k_max, 1));
  job.out_n = g_new0 (guint32, ne + 1);

  for (guint t = 1; t < n_threads; t++)
    g_ptr_array_add (threads, g_thread_new ("tn-rec-build", neighbour_worker, &job));
  neighbour_worker (&job);
  for (guint t = 0; t < threads->len; t++)
    g_thread_join (threads->pdata[t]);

  model->nb_off = model_alloc (model, ne + 1, sizeof (guint32));
  for (guint i = 0; i < ne; i++)
    {
      model->nb_off[i] = total;
      total += job.out_n[i];
    }
  model->nb_off[ne] = total;
  model->nb = model_alloc (model, total, sizeof (Entry));
  for (guint i = 0; i < ne; i++)
    copy_n (model->nb + model->nb_off[i], job.out + (gsize) i * k_max, job.out_n[i] * sizeof (Entry));

  g_free (job.cand_off);
  g_free (job.cand);
  g_free (job.user_w);
  g_free (job.out);
  g_free (job.out_n);
}

/* build: content */

enum
{
  KIND_WORD,
  KIND_TAG,
  KIND_CATEGORY,
  KIND_IGNORED,   /* a stop-word, too short, too long, a number */
};

typedef struct
{
  GHashTable *terms;      /* term → id + 1 (keys owned by the table) */
  GArray     *raw;        /* Entry: (term, tf weight) of every event */
  GArray     *raw_off;    /* guint32 per event + 1 */
  GArray     *df;         /* guint32 per term */
  GArray     *kind;       /* guint8 per term: KIND_* */
  GArray     *scratch;    /* Entry */
} ContentBuild;

static gboolean
is_stop_word (const char *word)
{
  for (guint k = 0; k < G_N_ELEMENTS (stop_words); k++)
    if (strcmp (stop_words[k], word) == 0)
      return TRUE;
  return FALSE;
}

static void
add_term (ContentBuild *cb,
          const char   *term,
          guint8        kind,
          float         weight)
{
  gpointer found = g_hash_table_lookup (cb->terms, term);
  Entry e;

  if (found == NULL)
    {
      guint32 zero = 0;
      gsize len = strlen (term);

      /* a word is judged once, when first seen; ignored ones stay in the
       * table so that the next time costs one lookup */
      if (kind == KIND_WORD
          && (len < 3 || len > 40 || strspn (term, "0123456789") == len || is_stop_word (term)))
        kind = KIND_IGNORED;
      g_hash_table_insert (cb->terms, g_strdup (term), GUINT_TO_POINTER (cb->df->len + 1));
      g_array_append_val (cb->df, zero);
      g_array_append_val (cb->kind, kind);
      found = GUINT_TO_POINTER (cb->df->len);
    }
  e.id = GPOINTER_TO_UINT (found) - 1;
  if (g_array_index (cb->kind, guint8, e.id) == KIND_IGNORED)
    return;
  e.w = weight;
  g_array_append_val (cb->scratch, e);
}

static void
add_word (ContentBuild *cb,
          const char   *word,
          float         weight)
{
  add_term (cb, word, KIND_WORD, weight);
}

/* Words of @text, casefolded: ASCII text is split and lowered here
 * (most of it, and much faster); anything else goes through
 * g_str_tokenize_and_fold(). */
static void
add_words (ContentBuild *cb,
           const char   *text,
           float         weight,
           guint         max_words)
{
  char buf[48];
  gsize len = 0;
  guint n = 0;
  const char *p;

  for (p = text; *p != '\0'; p++)
    if ((guchar) *p >= 0x80)
      break;
  if (*p != '\0')
    {
      g_auto(GStrv) words = g_str_tokenize_and_fold (text, NULL, NULL);

      for (guint k = 0; words[k] != NULL && k < max_words; k++)
        add_word (cb, words[k], weight);
      return;
    }
  for (p = text;; p++)
    {
      if (g_ascii_isalnum (*p))
        {
          if (len < sizeof buf - 1)
            buf[len++] = g_ascii_tolower (*p);
          continue;
        }
      if (len > 0)
        {
          buf[len] = '\0';
          add_word (cb, buf, weight);
          len = 0;
          if (++n >= max_words)
            break;
        }
      if (*p == '\0')
        break;
    }
}

static void
build_content (TnRecModel *model,
               TnRecData  *data)
{
  ContentBuild cb;
  guint ne = model->n_events, kept = 0, t_max = model->params.terms_per_event;
  guint32 max_df = (guint32) MAX (2.0, model->params.max_term_share * ne);
  float *idf;
  guint32 *inv_fill;

  cb.terms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  cb.raw = g_array_new (FALSE, FALSE, sizeof (Entry));
  cb.raw_off = g_array_new (FALSE, TRUE, sizeof (guint32));
  cb.df = g_array_new (FALSE, FALSE, sizeof (guint32));
  cb.kind = g_array_new (FALSE, FALSE, sizeof (guint8));
  cb.scratch = g_array_new (FALSE, FALSE, sizeof (Entry));

  model->category_term = model_alloc (model, model->n_categories + 1, sizeof (guint32));
  for (guint c = 0; c < model->n_categories; c++)
    {
      g_autofree char *term = g_strconcat ("c:", model->category_keys[c], NULL);

      model->category_term[c] = G_MAXUINT32;
      if (model->category_keys[c][0] != '\0')
        {
          add_term (&cb, term, KIND_CATEGORY, 0);
          model->category_term[c] = cb.df->len - 1;
        }
    }
  g_array_set_size (cb.scratch, 0);

  for (guint i = 0; i < ne; i++)
    {
      TnRecEvent *event = data->events->pdata[i];
      guint32 off = cb.raw->len;
      guint32 n = 0;
      Entry *s;

      g_array_append_val (cb.raw_off, off);
      g_array_set_size (cb.scratch, 0);
      if (model->category_term[model->event_cat[i]] != G_MAXUINT32)
        {
          Entry e = { model->category_term[model->event_cat[i]], 3.0f };

          g_array_append_val (cb.scratch, e);
        }
      const char * const *event_tags = or_none (event->tags);

      for (guint k = 0; event_tags[k] != NULL; k++)
        {
          g_autofree char *folded = g_utf8_casefold (event_tags[k], -1);
          g_autofree char *term = g_strconcat ("t:", g_strstrip (folded), NULL);

          if (term[2] != '\0')
            add_term (&cb, term, KIND_TAG, 2.0f);
        }
      add_words (&cb, or_empty (event->title), 1.5f, 32);
      add_words (&cb, or_empty (event->description), 1.0f, 200);

      /* merge repeated terms; count each once for its document frequency */
      s = (Entry *) (gpointer) cb.scratch->data;
      sort_n (s, cb.scratch->len, sizeof (Entry), compare_entry_id);
      for (guint32 k = 0; k < cb.scratch->len; k++)
        {
          if (n > 0 && s[n - 1].id == s[k].id)
            s[n - 1].w += s[k].w;
          else
            s[n++] = s[k];
        }
      for (guint32 k = 0; k < n; k++)
        g_array_index (cb.df, guint32, s[k].id)++;
      g_array_append_vals (cb.raw, s, n);
    }
  g_array_append_val (cb.raw_off, cb.raw->len);

  model->n_terms = cb.df->len;
  idf = g_new0 (float, MAX (model->n_terms, 1));
  for (guint t = 0; t < model->n_terms; t++)
    {
      guint32 df = g_array_index (cb.df, guint32, t);
      guint8 kind = g_array_index (cb.kind, guint8, t);

      /* a word in most events tells nothing, one in a single event
       * matches nothing; a category is kept whatever its size */
      if (df == 0 || kind == KIND_IGNORED
          || (kind != KIND_CATEGORY && (df < 2 || (kind == KIND_WORD && df > max_df))))
        continue;
      idf[t] = (float) log ((double) (ne + 1) / df);
    }

  /* weigh, keep the heaviest, normalise */
  model->vec_off = model_alloc (model, ne + 1, sizeof (guint32));
  {
    Entry *all = (Entry *) (gpointer) cb.raw->data;
    guint32 *off = (guint32 *) (gpointer) cb.raw_off->data;

    for (guint i = 0; i < ne; i++)
      {
        Entry *s = all + off[i];
        guint32 n = 0, len = off[i + 1] - off[i];
        double norm = 0;

        for (guint32 k = 0; k < len; k++)
          if (idf[s[k].id] > 0)
            {
              s[n].id = s[k].id;
              s[n++].w = (float) (log (1.0 + s[k].w) * idf[s[k].id]);
            }
        if (n > t_max)
          {
            sort_n (s, n, sizeof (Entry), compare_entry_weight);
            n = t_max;
          }
        sort_n (s, n, sizeof (Entry), compare_entry_id);
        for (guint32 k = 0; k < n; k++)
          norm += (double) s[k].w * s[k].w;
        norm = sqrt (norm);
        for (guint32 k = 0; k < n; k++)
          s[k].w = (float) (s[k].w / norm);
        /* compact in place: kept ≤ off[i] */
        move_n (all + kept, s, n * sizeof (Entry));
        model->vec_off[i] = kept;
        kept += n;
      }
    model->vec_off[ne] = kept;
    model->vec = model_alloc (model, kept, sizeof (Entry));
    copy_n (model->vec, all, kept * sizeof (Entry));
  }

  /* the inverted index over candidates */
  model->inv_off = model_alloc (model, model->n_terms + 1, sizeof (guint32));
  inv_fill = g_new0 (guint32, model->n_terms + 1);
  for (guint i = 0; i < ne; i++)
    if (model->event_candidate[i])
      for (guint32 k = model->vec_off[i]; k < model->vec_off[i + 1]; k++)
        inv_fill[model->vec[k].id + 1]++;
  for (guint t = 0; t < model->n_terms; t++)
    inv_fill[t + 1] += inv_fill[t];
  copy_n (model->inv_off, inv_fill, (model->n_terms + 1) * sizeof (guint32));
  model->inv = model_alloc (model, inv_fill[model->n_terms], sizeof (Entry));
  for (guint i = 0; i < ne; i++)
    if (model->event_candidate[i])
      for (guint32 k = model->vec_off[i]; k < model->vec_off[i + 1]; k++)
        {
          Entry e = { i, model->vec[k].w };

          model->inv[inv_fill[model->vec[k].id]++] = e;
        }
  for (guint t = 0; t < model->n_terms; t++)
    sort_n (model->inv + model->inv_off[t], model->inv_off[t + 1] - model->inv_off[t],
           sizeof (Entry), compare_entry_weight);

  g_free (inv_fill);
  g_free (idf);
  g_hash_table_unref (cb.terms);
  g_array_unref (cb.raw);
  g_array_unref (cb.raw_off);
  g_array_unref (cb.df);
  g_array_unref (cb.kind);
  g_array_unref (cb.scratch);
}

/* build: trending */

static int
compare_trend (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  TnRecModel *model = user_data;
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;

  if (model->trend[x] != model->trend[y])
    return model->trend[x] > model->trend[y] ? -1 : 1;
  return strcmp (model->event_ids[x], model->event_ids[y]);
}

static void
build_trending (TnRecModel *model)
{
  guint ne = model->n_events, nc = model->n_categories, n = 0;
  double half_life = model->params.half_life_days * DAY;
  guint32 *fill;

  model->trend = model_alloc (model, ne, sizeof (float));
  model->recent = model_alloc (model, ne, sizeof (guint32));
  model->cat_rank = model_alloc (model, ne, sizeof (guint32));
  model->category_trend = model_alloc (model, nc + 1, sizeof (double));
  for (guint u = 0; u < model->n_users; u++)
    for (guint32 k = model->ans_off[u]; k < model->ans_off[u + 1]; k++)
      {
        const Answer *a = &model->ans[k];
        gint64 age = model->built_at - a->at;

        if (!(a->flags & F_POSITIVE) || age < 0)
          continue;
        model->trend[a->event] += (float) ((a->flags & F_GOING ? 1.0 : 0.5) * exp2 (-(double) age / half_life));
        if ((a->flags & F_GOING) && age <= WEEK)
          model->recent[a->event]++;
      }

  model->trend_list = model_alloc (model, model->n_candidates, sizeof (guint32));
  for (guint i = 0; i < ne; i++)
    if (model->event_candidate[i])
      {
        model->trend_list[n++] = i;
        model->category_trend[model->event_cat[i]] += model->trend[i];
        model->trend_max = MAX (model->trend_max, model->trend[i]);
      }
  model->trend_score = model_alloc (model, ne, sizeof (float));
  for (guint i = 0; i < ne; i++)
    model->trend_score[i] = model->trend_max > 0 ? (float) (log1p (model->trend[i]) / log1p (model->trend_max)) : 0;
  g_qsort_with_data (model->trend_list, (gint) n, sizeof (guint32), compare_trend, model);

  /* per category, in the same order */
  model->cat_list_off = model_alloc (model, nc + 1, sizeof (guint32));
  model->cat_list = model_alloc (model, n, sizeof (guint32));
  fill = g_new0 (guint32, nc + 1);
  for (guint k = 0; k < n; k++)
    fill[model->event_cat[model->trend_list[k]] + 1]++;
  for (guint c = 0; c < nc; c++)
    fill[c + 1] += fill[c];
  copy_n (model->cat_list_off, fill, (nc + 1) * sizeof (guint32));
  for (guint k = 0; k < n; k++)
    {
      guint32 e = model->trend_list[k];
      guint32 c = model->event_cat[e];

      model->cat_rank[e] = fill[c] - model->cat_list_off[c];
      model->cat_list[fill[c]++] = e;
    }
  g_free (fill);
}

/* build: follows */

static int
compare_follow (gconstpointer a,
                gconstpointer b)
{
  const TnRecFollow *x = a, *y = b;

  if (x->follower != y->follower)
    return x->follower < y->follower ? -1 : 1;
  return x->followee < y->followee ? -1 : x->followee > y->followee;
}

static void
build_follows (TnRecModel *model,
               TnRecData  *data)
{
  guint nu = model->n_users;
  g_autofree TnRecFollow *f = g_new (TnRecFollow, MAX (data->follows->len, 1));
  guint32 n = 0, u = 0;

  copy_n (f, data->follows->data, data->follows->len * sizeof (TnRecFollow));
  sort_n (f, data->follows->len, sizeof (TnRecFollow), compare_follow);
  for (guint32 k = 0; k < data->follows->len; k++)
    if (f[k].follower != f[k].followee && f[k].follower < nu && f[k].followee < nu
        && (n == 0 || compare_follow (&f[n - 1], &f[k]) != 0))
      f[n++] = f[k];

  model->fo_off = model_alloc (model, nu + 1, sizeof (guint32));
  model->fo = model_alloc (model, n, sizeof (guint32));
  model->fo_mutual = model_alloc (model, n, sizeof (guint8));
  for (guint32 k = 0; k < n; k++)
    {
      while (u <= f[k].follower)
        model->fo_off[u++] = k;
      model->fo[k] = f[k].followee;
    }
  while (u <= nu)
    model->fo_off[u++] = n;
  for (guint32 k = 0; k < n; k++)
    {
      guint32 other = model->fo[k];

      model->fo_mutual[k] = sorted_contains (model->fo + model->fo_off[other],
                                             model->fo_off[other + 1] - model->fo_off[other],
                                             f[k].follower);
    }
}

/* build: places */

typedef struct
{
  gint64  key;
  guint32 event;
} Placed;

static int
compare_placed (gconstpointer a,
                gconstpointer b)
{
  const Placed *x = a, *y = b;

  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return x->event < y->event ? -1 : x->event > y->event;
}

static void
build_grid (TnRecModel *model)
{
  g_autofree Placed *placed = g_new (Placed, MAX (model->n_candidates, 1));
  guint32 n = 0, cells = 0;

  for (guint i = 0; i < model->n_events; i++)
    if (model->event_candidate[i] && !isnan (model->event_lat[i]) && !isnan (model->event_lon[i]))
      {
        placed[n].key = cell_key (cell_row (model->event_lat[i]), cell_col (model->event_lon[i]));
        placed[n++].event = i;
      }
  sort_n (placed, n, sizeof (Placed), compare_placed);
  for (guint32 k = 0; k < n; k++)
    cells += k == 0 || placed[k].key != placed[k - 1].key;
  model->n_cells = cells;
  model->cell_keys = model_alloc (model, cells, sizeof (gint64));
  model->cell_off = model_alloc (model, cells + 1, sizeof (guint32));
  model->cell_events = model_alloc (model, n, sizeof (guint32));
  cells = 0;
  for (guint32 k = 0; k < n; k++)
    {
      if (k == 0 || placed[k].key != placed[k - 1].key)
        {
          model->cell_keys[cells] = placed[k].key;
          model->cell_off[cells++] = k;
        }
      model->cell_events[k] = placed[k].event;
    }
  model->cell_off[cells] = n;
}

static void
build_hot (TnRecModel *model)
{
  model->hot = model_alloc (model, model->n_events, sizeof (EventHot));
  for (guint i = 0; i < model->n_events; i++)
    {
      EventHot *h = &model->hot[i];

      h->start = model->event_start[i];
      h->cat = model->event_cat[i];
      h->vec_off = model->vec_off[i];
      h->vec_n = (guint16) (model->vec_off[i + 1] - model->vec_off[i]);
      h->candidate = model->event_candidate[i];
      h->trend_score = model->trend_score[i];
      h->lat = (float) model->event_lat[i];
      h->lon = (float) model->event_lon[i];
    }
}

/* requests: candidates */

/* Gathering and scoring visit events in an order no cache predicts; a
 * request asks for the data of the event a few steps ahead while it
 * works on this one, so that the misses overlap instead of queueing. */
#define PREFETCH_AHEAD 16

#if defined(__GNUC__)
#define prefetch(address) __builtin_prefetch ((address), 0, 3)
#else
#define prefetch(address) ((void) (address))
#endif

typedef struct
{
  guint32 event;
  gboolean ok;
  float   coatt;
  float   coatt_best;
  guint32 coatt_src;
  float   content;
  float   friends;
  double  dist_km;
  double  comp[TN_REC_N_COMPONENTS];
  double  score;
} Cand;

typedef struct
{
  TnRecModel *model;
  const TnRecQuery *query;
  gint        user;
  gint64      now;
  gint        category;      /* -1: any */
  guint32    *excluded;      /* sorted */
  guint       n_excluded;
  gboolean    has_point;
  double      lat;
  double      lon;
  double      cos_lat;
  Entry       profile[PROFILE_TERMS];
  guint       n_profile;
  Entry       profile_slots[PROFILE_SLOTS];   /* id + 1, 0 for empty */
  guint64     profile_bits[FILTER_WORDS];   /* a term that may be in the profile */
  guint64     answered_bits[FILTER_WORDS];  /* an event the user may have answered or excluded */
  gboolean    answered_ready;
  guint32    *interests;     /* categories */
  guint       n_interests;

  guint32    *slots;         /* candidate index + 1 */
  guint32     mask;
  GArray     *cands;
} Ctx;

/* A filter of ids (a Bloom filter with one hash): FALSE means surely not
 * added; a test costs one bit where a search costs a dozen branches. */
static inline void
filter_add (guint64 *bits,
            guint32  id)
{
  bits[(id / 64) % FILTER_WORDS] |= G_GUINT64_CONSTANT (1) << (id % 64);
}

static inline gboolean
filter_has (const guint64 *bits,
            guint32        id)
{
  return (bits[(id / 64) % FILTER_WORDS] >> (id % 64)) & 1;
}

static void
fill_answered (Ctx *ctx)
{
  TnRecModel *model = ctx->model;

  if (ctx->user >= 0)
    for (guint32 k = model->ans_off[ctx->user]; k < model->ans_off[ctx->user + 1]; k++)
      filter_add (ctx->answered_bits, model->ans[k].event);
  for (guint k = 0; k < ctx->n_excluded; k++)
    filter_add (ctx->answered_bits, ctx->excluded[k]);
  ctx->answered_ready = TRUE;
}

static gboolean
admissible (Ctx     *ctx,
            guint32  e)
{
  TnRecModel *model = ctx->model;

  const EventHot *h = &model->hot[e];

  if (!h->candidate || h->start <= ctx->now)
    return FALSE;
  if (ctx->category >= 0 && h->cat != (guint32) ctx->category)
    return FALSE;
  if (!ctx->answered_ready)
    fill_answered (ctx);
  if (!filter_has (ctx->answered_bits, e))
    return TRUE;
  if (find_answer (model, ctx->user, e) != NULL)
    return FALSE;
  return !sorted_contains (ctx->excluded, ctx->n_excluded, e);
}

static void
grow_slots (Ctx *ctx)
{
  guint32 size = (ctx->mask + 1) * 2;

  g_free (ctx->slots);
  ctx->slots = g_new0 (guint32, size);
  ctx->mask = size - 1;
  for (guint32 k = 0; k < ctx->cands->len; k++)
    {
      guint32 h = (g_array_index (ctx->cands, Cand, k).event * 2654435761u) & ctx->mask;

      while (ctx->slots[h] != 0)
        h = (h + 1) & ctx->mask;
      ctx->slots[h] = k + 1;
    }
}

/* Returns: the event's candidate, or %NULL when it may not be recommended */
static Cand *
get_cand (Ctx     *ctx,
          guint32  e)
{
  guint32 h = (e * 2654435761u) & ctx->mask;
  Cand c = { 0 };

  while (ctx->slots[h] != 0)
    {
      Cand *found = &g_array_index (ctx->cands, Cand, ctx->slots[h] - 1);

      if (found->event == e)
        return found->ok ? found : NULL;
      h = (h + 1) & ctx->mask;
    }
  c.event = e;
  c.ok = admissible (ctx, e);
  c.dist_km = NAN;
  g_array_append_val (ctx->cands, c);
  ctx->slots[h] = ctx->cands->len;
  if (ctx->cands->len * 2 > ctx->mask)
    grow_slots (ctx);
  return c.ok ? &g_array_index (ctx->cands, Cand, ctx->cands->len - 1) : NULL;
}

static void
ctx_init (Ctx              *ctx,
          TnRecModel       *model,
          const TnRecQuery *query)
{
  memset (ctx, 0, sizeof *ctx);
  ctx->model = model;
  ctx->query = query;
  ctx->user = -1;
  ctx->category = -1;
  ctx->now = query != NULL ? query->now : model->built_at;
  ctx->mask = 1023;
  ctx->slots = g_new0 (guint32, ctx->mask + 1);
  ctx->cands = g_array_sized_new (FALSE, FALSE, sizeof (Cand), 512);
}

static void
ctx_clear (Ctx *ctx)
{
  g_free (ctx->slots);
  g_free (ctx->excluded);
  g_free (ctx->interests);
  g_array_unref (ctx->cands);
}

static gint
find_category (TnRecModel *model,
               const char *name)
{
  g_autofree char *key = g_utf8_casefold (name, -1);

  return GPOINTER_TO_INT (g_hash_table_lookup (model->category_index, key)) - 1;
}

/* the most recent events of the user's history a request looks at */
static guint32
history_end (Ctx *ctx)
{
  TnRecModel *model = ctx->model;

  return MIN (model->hist_off[ctx->user + 1], model->hist_off[ctx->user] + REQUEST_HISTORY);
}

static float
profile_dot (Ctx     *ctx,
             guint32  e)
{
  TnRecModel *model = ctx->model;
  const Entry *v = model->vec + model->hot[e].vec_off;
  guint32 n = model->hot[e].vec_n;
  float dot = 0;

  for (guint32 k = 0; k < n; k++)
    {
      guint32 h;

      /* most of an event's terms are not the profile's: one bit says so */
      if (!filter_has (ctx->profile_bits, v[k].id))
        continue;
      h = (v[k].id * 2654435761u) & (PROFILE_SLOTS - 1);

      while (ctx->profile_slots[h].id != 0)
        {
          if (ctx->profile_slots[h].id == v[k].id + 1)
            {
              dot += ctx->profile_slots[h].w * v[k].w;
              break;
            }
          h = (h + 1) & (PROFILE_SLOTS - 1);
        }
    }
  return dot;
}

static void
build_profile (Ctx *ctx)
{
  TnRecModel *model = ctx->model;
  g_autoptr(GArray) acc = g_array_new (FALSE, FALSE, sizeof (Entry));
  Entry *s;
  guint n = 0;
  double norm = 0;

  if (ctx->user >= 0)
    for (guint32 k = model->hist_off[ctx->user]; k < history_end (ctx); k++)
      {
        const Answer *a = &model->hist[k];
        float w = a->flags & F_GOING ? 1.0f : 0.5f;

        for (guint32 m = model->vec_off[a->event]; m < model->vec_off[a->event + 1]; m++)
          {
            Entry e = { model->vec[m].id, model->vec[m].w * w };

            g_array_append_val (acc, e);
          }
      }
  /* a chosen interest weighs as much as a whole event in that category */
  for (guint k = 0; k < ctx->n_interests; k++)
    if (model->category_term[ctx->interests[k]] != G_MAXUINT32)
      {
        Entry e = { model->category_term[ctx->interests[k]], 1.0f };

        g_array_append_val (acc, e);
      }
  s = (Entry *) (gpointer) acc->data;
  sort_n (s, acc->len, sizeof (Entry), compare_entry_id);
  for (guint k = 0; k < acc->len; k++)
    {
      if (n > 0 && s[n - 1].id == s[k].id)
        s[n - 1].w += s[k].w;
      else
        s[n++] = s[k];
    }
  sort_n (s, n, sizeof (Entry), compare_entry_weight);
  ctx->n_profile = MIN (n, PROFILE_TERMS);
  copy_n (ctx->profile, s, ctx->n_profile * sizeof (Entry));
  for (guint k = 0; k < ctx->n_profile; k++)
    norm += (double) ctx->profile[k].w * ctx->profile[k].w;
  norm = sqrt (norm);
  for (guint k = 0; k < ctx->n_profile; k++)
    ctx->profile[k].w = (float) (ctx->profile[k].w / norm);
  sort_n (ctx->profile, ctx->n_profile, sizeof (Entry), compare_entry_id);
  for (guint k = 0; k < ctx->n_profile; k++)
    {
      guint32 h = (ctx->profile[k].id * 2654435761u) & (PROFILE_SLOTS - 1);

      while (ctx->profile_slots[h].id != 0)
        h = (h + 1) & (PROFILE_SLOTS - 1);
      ctx->profile_slots[h].id = ctx->profile[k].id + 1;
      ctx->profile_slots[h].w = ctx->profile[k].w;
      filter_add (ctx->profile_bits, ctx->profile[k].id);
    }
}

static void
gather_coattend (Ctx *ctx)
{
  TnRecModel *model = ctx->model;

  for (guint32 k = model->hist_off[ctx->user]; k < history_end (ctx); k++)
    {
      const Answer *a = &model->hist[k];

      if (!(a->flags & F_GOING))
        continue;
      for (guint32 m = model->nb_off[a->event]; m < model->nb_off[a->event + 1]; m++)
        {
          Cand *c;

          if (m + PREFETCH_AHEAD < model->nb_off[a->event + 1])
            prefetch (&model->hot[model->nb[m + PREFETCH_AHEAD].id]);
          c = get_cand (ctx, model->nb[m].id);

          if (c == NULL)
            continue;
          c->coatt += model->nb[m].w;
          if (model->nb[m].w > c->coatt_best)
            {
              c->coatt_best = model->nb[m].w;
              c->coatt_src = a->event;
            }
        }
    }
}

static void
gather_content (Ctx *ctx)
{
  TnRecModel *model = ctx->model;

  for (guint k = 0; k < ctx->n_profile; k++)
    {
      guint32 t = ctx->profile[k].id;
      guint32 end = MIN (model->inv_off[t + 1], model->inv_off[t] + POSTINGS_PER_TERM);

      for (guint32 m = model->inv_off[t]; m < end; m++)
        {
          if (m + PREFETCH_AHEAD < end)
            prefetch (&model->hot[model->inv[m + PREFETCH_AHEAD].id]);
          get_cand (ctx, model->inv[m].id);
        }
    }
}

static void
gather_friends (Ctx *ctx)
{
  TnRecModel *model = ctx->model;
  guint32 end = MIN (model->fo_off[ctx->user + 1], model->fo_off[ctx->user] + MAX_FOLLOWEES);

  for (guint32 k = model->fo_off[ctx->user]; k < end; k++)
    {
      guint32 f = model->fo[k];
      float w = model->fo_mutual[k] ? 1.0f : 0.5f;

      for (guint32 m = model->ans_off[f]; m < model->ans_off[f + 1]; m++)
        {
          Cand *c;

          if (m + PREFETCH_AHEAD < model->ans_off[f + 1])
            prefetch (&model->hot[model->ans[m + PREFETCH_AHEAD].event]);
          if (!(model->ans[m].flags & F_GOING) || !model->hot[model->ans[m].event].candidate)
            continue;
          c = get_cand (ctx, model->ans[m].event);
          if (c != NULL)
            c->friends += w;
        }
    }
}

static void
gather_list (Ctx           *ctx,
             const guint32 *list,
             guint32        n,
             guint          want)
{
  guint got = 0;

  for (guint32 k = 0; k < n && got < want; k++)
    {
      if (k + PREFETCH_AHEAD < n)
        prefetch (&ctx->model->hot[list[k + PREFETCH_AHEAD]]);
      got += get_cand (ctx, list[k]) != NULL;
    }
}

static void
gather_trending (Ctx *ctx)
{
  TnRecModel *model = ctx->model;

  if (ctx->category >= 0)
    {
      guint32 c = (guint32) ctx->category;

      gather_list (ctx, model->cat_list + model->cat_list_off[c],
                   model->cat_list_off[c + 1] - model->cat_list_off[c], TRENDING_CANDIDATES);
    }
  else
    gather_list (ctx, model->trend_list, model->n_candidates, TRENDING_CANDIDATES);
}

static void
gather_interests (Ctx *ctx)
{
  TnRecModel *model = ctx->model;

  for (guint k = 0; k < ctx->n_interests; k++)
    {
      guint32 c = ctx->interests[k];

      gather_list (ctx, model->cat_list + model->cat_list_off[c],
                   model->cat_list_off[c + 1] - model->cat_list_off[c], CATEGORY_CANDIDATES);
    }
}

static double
approx_km (Ctx    *ctx,
           guint32 e)
{
  const EventHot *h = &ctx->model->hot[e];
  double dy = h->lat - ctx->lat;
  double dx = (h->lon - ctx->lon) * ctx->cos_lat;

  return 111.195 * sqrt (dx * dx + dy * dy);
}

static void
gather_nearby (Ctx *ctx)
{
  TnRecModel *model = ctx->model;
  gint64 row = cell_row (ctx->lat), col = cell_col (ctx->lon);
  guint got = 0;

  /* rings of cells around the place until enough events are in */
  for (gint64 r = 0; r <= MAX_RING && got < NEARBY_CANDIDATES; r++)
    for (gint64 dr = -r; dr <= r; dr++)
      for (gint64 dc = -r; dc <= r; dc++)
        {
          gint64 key;
          guint32 lo = 0, hi = model->n_cells;

          if (MAX (ABS (dr), ABS (dc)) != r)
            continue;
          key = cell_key (row + dr, col + dc);
          while (lo < hi)
            {
              guint32 mid = lo + (hi - lo) / 2;

              if (model->cell_keys[mid] < key)
                lo = mid + 1;
              else
                hi = mid;
            }
          if (lo == model->n_cells || model->cell_keys[lo] != key)
            continue;
          for (guint32 m = model->cell_off[lo]; m < model->cell_off[lo + 1]; m++)
            {
              if (m + PREFETCH_AHEAD < model->cell_off[lo + 1])
                prefetch (&model->hot[model->cell_events[m + PREFETCH_AHEAD]]);
              got += get_cand (ctx, model->cell_events[m]) != NULL;
            }
        }
}

/* requests: results */

static int
compare_cand (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const Cand *x = a, *y = b;
  TnRecModel *model = user_data;

  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  return strcmp (model->event_ids[x->event], model->event_ids[y->event]);
}

/* Moves the best @limit candidates that may be recommended (score > 0)
 * to the front of ctx->cands, best first.
 *
 * Returns: how many */
static guint
select_best (Ctx   *ctx,
             guint  limit)
{
  Cand *v = (Cand *) (gpointer) ctx->cands->data;
  guint n = 0;

  for (guint k = 0; k < ctx->cands->len; k++)
    {
      Cand c;
      guint pos;

      if (!v[k].ok || !(v[k].score > 0))
        continue;
      if (n == limit && compare_cand (&v[k], &v[n - 1], ctx->model) >= 0)
        continue;
      /* insert into the sorted front; k ≥ n so nothing unseen is overwritten */
      c = v[k];
      pos = n < limit ? n++ : n - 1;
      while (pos > 0 && compare_cand (&c, &v[pos - 1], ctx->model) < 0)
        {
          v[pos] = v[pos - 1];
          pos--;
        }
      v[pos] = c;
    }
  return n;
}

static char *
format_km (double km)
{
  if (km < 0.95)
    return g_strdup_printf ("%.0f m away", MAX (10.0, round (km * 100.0) * 10.0));
  if (km < 9.95)
    return g_strdup_printf ("%.1f km away", km);
  return g_strdup_printf ("%.0f km away", km);
}

static guint
followees_going (TnRecModel *model,
                 gint        user,
                 guint32     e)
{
  if (user < 0)
    return 0;
  return intersect_count (model->fo + model->fo_off[user], model->fo_off[user + 1] - model->fo_off[user],
                          model->going + model->going_off[e], model->going_off[e + 1] - model->going_off[e]);
}

static char *
popular_reason (TnRecModel *model,
                guint32     e)
{
  const char *category = model->categories[model->event_cat[e]];

  if (model->recent[e] >= POPULAR_MIN_RECENT && model->cat_rank[e] < POPULAR_RANK)
    {
      if (category[0] != '\0')
        return g_strdup_printf ("Popular in %s this week", category);
      return g_strdup ("Popular this week");
    }
  if (model->recent[e] >= 2)
    return g_strdup_printf ("%u people signed up in the last 7 days", model->recent[e]);
  return NULL;
}

typedef struct
{
  double w;
  char  *text;
} Reason;

static int
compare_reason (gconstpointer a,
                gconstpointer b)
{
  const Reason *x = a, *y = b;

  return x->w > y->w ? -1 : x->w < y->w;
}

static void
add_reason (GArray *reasons,
            double  w,
            char   *text)
{
  Reason r = { w, text };

  if (text != NULL)
    g_array_append_val (reasons, r);
}

static char **
finish_reasons (GArray *reasons)
{
  char **v = g_new0 (char *, MIN (reasons->len, MAX_REASONS) + 1);

  /* the strongest first (g_array_sort is stable: ties as added), at most
   * MAX_REASONS of them */
  g_array_sort (reasons, compare_reason);
  for (guint k = 0; k < reasons->len; k++)
    {
      if (k < MAX_REASONS)
        v[k] = g_array_index (reasons, Reason, k).text;
      else
        g_free (g_array_index (reasons, Reason, k).text);
    }
  return v;
}

/* the user's history event most like @e, by content */
static const Answer *
most_similar_history (Ctx     *ctx,
                      guint32  e,
                      float   *sim)
{
  TnRecModel *model = ctx->model;
  const Answer *best = NULL;
  const Entry *ve = model->vec + model->vec_off[e];
  guint32 ne = model->vec_off[e + 1] - model->vec_off[e];

  *sim = 0;
  for (guint32 k = model->hist_off[ctx->user]; k < history_end (ctx); k++)
    {
      const Answer *a = &model->hist[k];
      float s = sparse_dot (ve, ne, model->vec + model->vec_off[a->event],
                            model->vec_off[a->event + 1] - model->vec_off[a->event]);

      if (s > *sim)
        {
          *sim = s;
          best = a;
        }
    }
  return best;
}

static char **
recommend_reasons (Ctx        *ctx,
                   const Cand *c)
{
  TnRecModel *model = ctx->model;
  const double *w = ctx->query->weights;
  g_autoptr(GArray) reasons = g_array_new (FALSE, FALSE, sizeof (Reason));
  guint32 e = c->event;

  if (w[TN_REC_FRIENDS] > 0)
    {
      guint n = followees_going (model, ctx->user, e);

      if (n == 1)
        add_reason (reasons, w[TN_REC_FRIENDS] * c->comp[TN_REC_FRIENDS], g_strdup ("1 person you follow is going"));
      else if (n > 1)
        add_reason (reasons, w[TN_REC_FRIENDS] * c->comp[TN_REC_FRIENDS],
                    g_strdup_printf ("%u people you follow are going", n));
    }
  if (w[TN_REC_COATTEND] > 0 && c->coatt > 0)
    {
      guint32 h = c->coatt_src;
      guint n = intersect_count (model->going + model->going_off[h], model->going_off[h + 1] - model->going_off[h],
                                 model->going + model->going_off[e], model->going_off[e + 1] - model->going_off[e]);

      if (n == 1)
        add_reason (reasons, w[TN_REC_COATTEND] * c->comp[TN_REC_COATTEND],
                    g_strdup_printf ("1 person who also signed up for %s is going", model->event_titles[h]));
      else if (n > 1)
        add_reason (reasons, w[TN_REC_COATTEND] * c->comp[TN_REC_COATTEND],
                    g_strdup_printf ("%u people who also signed up for %s are going", n, model->event_titles[h]));
    }
  if (w[TN_REC_CONTENT] > 0 && c->content > 0)
    {
      float sim = 0;
      const Answer *h = ctx->user >= 0 ? most_similar_history (ctx, e, &sim) : NULL;
      gboolean interest = FALSE;

      for (guint k = 0; k < ctx->n_interests; k++)
        interest |= ctx->interests[k] == model->event_cat[e];
      if (h != NULL && sim >= 0.15f)
        {
          const char *title = model->event_titles[h->event];
          const char *what;

          if (h->flags & F_CHECKED)
            what = "which you attended";
          else if (h->flags & F_GOING)
            what = model->event_start[h->event] <= ctx->now ? "which you signed up for" : "which you're going to";
          else
            what = "which you showed interest in";
          add_reason (reasons, w[TN_REC_CONTENT] * c->comp[TN_REC_CONTENT],
                      g_strdup_printf ("Like %s, %s", title, what));
        }
      else if (interest)
        add_reason (reasons, w[TN_REC_CONTENT] * c->comp[TN_REC_CONTENT],
                    g_strdup_printf ("In %s, one of your interests", model->categories[model->event_cat[e]]));
    }
  if (w[TN_REC_TRENDING] > 0)
    add_reason (reasons, w[TN_REC_TRENDING] * c->comp[TN_REC_TRENDING], popular_reason (model, e));
  if (w[TN_REC_DISTANCE] > 0 && !isnan (c->dist_km))
    {
      double km = distance_km (ctx->lat, ctx->lon, model->event_lat[e], model->event_lon[e]);

      if (km <= REASON_MAX_KM)
        add_reason (reasons, w[TN_REC_DISTANCE] * c->comp[TN_REC_DISTANCE], format_km (km));
    }
  return finish_reasons (reasons);
}

static TnRecItem *
item_new (TnRecModel *model,
          const Cand *c,
          char      **reasons)
{
  TnRecItem *item = g_new0 (TnRecItem, 1);

  item->event = c->event;
  item->event_id = g_strdup (model->event_ids[c->event]);
  item->score = c->score;
  copy_n (item->components, c->comp, sizeof item->components);
  item->reasons = reasons;
  return item;
}

/* score every gathered candidate, exactly for content, trending and
 * distance, and as gathered for co-attendance and friends */
static void
score_cands (Ctx *ctx)
{
  TnRecModel *model = ctx->model;
  const double *w = ctx->query->weights;
  float max_coatt = 0, max_content = 0;

  for (guint k = 0; k < ctx->cands->len; k++)
    {
      Cand *c = &g_array_index (ctx->cands, Cand, k);
      guint32 e = c->event;

      if (k + PREFETCH_AHEAD < ctx->cands->len)
        {
          const EventHot *ahead = &model->hot[g_array_index (ctx->cands, Cand, k + PREFETCH_AHEAD).event];

          prefetch (&model->vec[ahead->vec_off]);
          prefetch (&model->vec[ahead->vec_off + ahead->vec_n - 1]);
        }
      if (!c->ok)
        continue;
      if (ctx->n_profile > 0)
        c->content = profile_dot (ctx, e);
      max_coatt = MAX (max_coatt, c->coatt);
      max_content = MAX (max_content, c->content);
      if (ctx->has_point && !isnan (model->hot[e].lat) && !isnan (model->hot[e].lon))
        c->dist_km = approx_km (ctx, e);
    }
  for (guint k = 0; k < ctx->cands->len; k++)
    {
      Cand *c = &g_array_index (ctx->cands, Cand, k);

      if (!c->ok)
        continue;
      c->comp[TN_REC_COATTEND] = max_coatt > 0 ? c->coatt / max_coatt : 0;
      c->comp[TN_REC_CONTENT] = max_content > 0 ? c->content / max_content : 0;
      c->comp[TN_REC_FRIENDS] = 1.0 - exp2 (-(double) c->friends);
      c->comp[TN_REC_TRENDING] = model->hot[c->event].trend_score;
      c->comp[TN_REC_DISTANCE] = isnan (c->dist_km) ? 0 : exp (-c->dist_km / DISTANCE_SCALE_KM);
      c->score = 0;
      for (guint m = 0; m < TN_REC_N_COMPONENTS; m++)
        c->score += w[m] * c->comp[m];
    }
}

static void
model_free (TnRecModel *model)
{
  for (guint i = 0; i < model->n_events; i++)
    {
      g_free (model->event_ids[i]);
      g_free (model->event_titles[i]);
      g_free (model->tags_of[i]);
    }
  for (guint u = 0; u < model->n_users; u++)
    g_free (model->user_ids[u]);
  for (guint c = 0; c < model->n_categories; c++)
    {
      g_free (model->categories[c]);
      g_free (model->category_keys[c]);
    }
  g_hash_table_unref (model->event_index);
  g_hash_table_unref (model->user_index);
  g_hash_table_unref (model->category_index);
  g_free (model->event_ids);
  g_free (model->event_titles);
  g_free (model->event_cat);
  g_free (model->event_start);
  g_free (model->event_lat);
  g_free (model->event_lon);
  g_free (model->event_candidate);
  g_free (model->hot);
  g_free (model->categories);
  g_free (model->category_keys);
  g_free (model->user_ids);
  g_free (model->user_lat);
  g_free (model->user_lon);
  g_free (model->interest_off);
  g_free (model->interests);
  g_free (model->ans_off);
  g_free (model->ans);
  g_free (model->hist_off);
  g_free (model->hist);
  g_free (model->going_off);
  g_free (model->going);
  g_free (model->nb_off);
  g_free (model->nb);
  g_free (model->vec_off);
  g_free (model->vec);
  g_free (model->inv_off);
  g_free (model->inv);
  g_free (model->tags_of);
  g_free (model->category_term);
  g_free (model->trend);
  g_free (model->trend_score);
  g_free (model->recent);
  g_free (model->cat_rank);
  g_free (model->category_trend);
  g_free (model->trend_list);
  g_free (model->cat_list_off);
  g_free (model->cat_list);
  g_free (model->fo_off);
  g_free (model->fo);
  g_free (model->fo_mutual);
  g_free (model->cell_keys);
  g_free (model->cell_off);
  g_free (model->cell_events);
  g_free (model);
}

/* public API */

/**
 * tn_rec_params_init:
 *
 * Fills @params with the defaults: a 7-day half-life, 40 neighbours and
 * 24 terms per event, words in more than 10 % of events dropped, the
 * 200 most recent events per user, a thread per processor.
 */
void
tn_rec_params_init (TnRecParams *params)
{
  g_return_if_fail (params != NULL);

  params->half_life_days = 7.0;
  params->neighbours = 40;
  params->terms_per_event = 24;
  params->max_term_share = 0.10;
  params->max_user_events = 200;
  params->n_threads = 0;
}

/**
 * tn_rec_query_init:
 *
 * Fills @query with no user, the current time, no place, 10 items and
 * the default blend (tuned on a validation split of the synthetic
 * community, see docs/RECOMMENDATIONS.md).
 */
void
tn_rec_query_init (TnRecQuery *query)
{
  g_return_if_fail (query != NULL);

  memset (query, 0, sizeof *query);
  query->now = g_get_real_time () / G_USEC_PER_SEC;
  query->near_lat = NAN;
  query->near_lon = NAN;
  query->limit = 10;
  query->weights[TN_REC_COATTEND] = 0.25;
  query->weights[TN_REC_CONTENT] = 0.5;
  query->weights[TN_REC_FRIENDS] = 1.0;
  query->weights[TN_REC_TRENDING] = 0.25;
  query->weights[TN_REC_DISTANCE] = 0.1;
}

const char *
tn_rec_component_name (TnRecComponent component)
{
  static const char * const names[] = { "co-attendance", "content", "friends", "trending", "distance" };

  g_return_val_if_fail (component < TN_REC_N_COMPONENTS, NULL);
  return names[component];
}

static void
phase (const gint64 *start,
       gint64       *lap,
       const char   *what)
{
  gint64 now = monotonic_us ();

  g_debug ("recommender: %s built in %.3f s (%.3f s in all)", what, (now - *lap) / 1e6, (now - *start) / 1e6);
  *lap = now;
}

/**
 * tn_rec_model_build:
 * @data: (transfer none): the community; the model copies what it needs
 * @params: (nullable): %NULL for the defaults
 * @now: Unix seconds: events starting after it are the candidates, and
 *   trending decays from it
 *
 * Builds the model. About a second for a million RSVPs on two cores: call it from a
 * worker thread.
 *
 * Returns: (transfer full): the model
 */
TnRecModel *
tn_rec_model_build (TnRecData         *data,
                    const TnRecParams *params,
                    gint64             now)
{
  TnRecModel *model;
  gint64 start = monotonic_us (), lap = start;

  g_return_val_if_fail (data != NULL, NULL);

  model = g_new0 (TnRecModel, 1);
  model->ref_count = 1;
  model->memory = sizeof *model;
  model->built_at = now;
  if (params != NULL)
    model->params = *params;
  else
    tn_rec_params_init (&model->params);
  model->params.neighbours = MAX (model->params.neighbours, 1);
  model->params.terms_per_event = CLAMP (model->params.terms_per_event, 1, 1000);   /* EventHot.vec_n */
  model->params.max_user_events = MAX (model->params.max_user_events, 1);
  if (!(model->params.half_life_days > 0))
    model->params.half_life_days = 7.0;
  model->n_events = data->events->len;
  model->n_users = data->users->len;

  build_events_and_users (model, data);
  phase (&start, &lap, "events and users");
  build_answers (model, data);
  phase (&start, &lap, "answers");
  build_neighbours (model);
  phase (&start, &lap, "co-attendance");
  build_content (model, data);
  phase (&start, &lap, "content");
  build_trending (model);
  build_follows (model, data);
  build_grid (model);
  build_hot (model);
  phase (&start, &lap, "trending, follows, places");

  model->build_seconds = (monotonic_us () - start) / 1e6;
  return model;
}

TnRecModel *
tn_rec_model_ref (TnRecModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);

  g_atomic_int_inc (&model->ref_count);
  return model;
}

void
tn_rec_model_unref (TnRecModel *model)
{
  g_return_if_fail (model != NULL);

  if (g_atomic_int_dec_and_test (&model->ref_count))
    model_free (model);
}

gint64
tn_rec_model_get_built_at (TnRecModel *model)
{
  g_return_val_if_fail (model != NULL, 0);

  return model->built_at;
}

/**
 * tn_rec_model_get_memory_bytes:
 *
 * Returns: the sum of the model's allocations (arrays, strings with a
 *   malloc header each, hash tables estimated per entry)
 */
gsize
tn_rec_model_get_memory_bytes (TnRecModel *model)
{
  g_return_val_if_fail (model != NULL, 0);

  return model->memory;
}

double
tn_rec_model_get_build_seconds (TnRecModel *model)
{
  g_return_val_if_fail (model != NULL, 0);

  return model->build_seconds;
}

guint
tn_rec_model_get_n_events (TnRecModel *model)
{
  g_return_val_if_fail (model != NULL, 0);

  return model->n_events;
}

/**
 * tn_rec_model_find_event:
 *
 * Returns: the event's index, or -1
 */
gint
tn_rec_model_find_event (TnRecModel *model,
                         const char *event_id)
{
  g_return_val_if_fail (model != NULL && event_id != NULL, -1);

  return GPOINTER_TO_INT (g_hash_table_lookup (model->event_index, event_id)) - 1;
}

/**
 * tn_rec_model_recommend:
 *
 * Upcoming listed events for @query's user that they have not answered,
 * best first, ties by event id. Only candidates gathered from the
 * components (neighbours of their events, their profile's terms, events
 * people they follow go to, the trending top, their interests'
 * categories, the nearest events) are scored.
 *
 * Returns: (transfer full) (element-type TnRecItem): the items
 */
GPtrArray *
tn_rec_model_recommend (TnRecModel       *model,
                        const TnRecQuery *query)
{
  GPtrArray *items;
  Ctx ctx;
  const double *w;
  guint limit;
  g_autoptr(GArray) interests = g_array_new (FALSE, FALSE, sizeof (guint32));

  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (query != NULL, NULL);

  items = g_ptr_array_new_with_free_func ((GDestroyNotify) tn_rec_item_free);
  w = query->weights;
  limit = query->limit > 0 ? query->limit : 10;
  ctx_init (&ctx, model, query);
  if (query->user_id != NULL)
    ctx.user = GPOINTER_TO_INT (g_hash_table_lookup (model->user_index, query->user_id)) - 1;
  if (query->category != NULL)
    {
      ctx.category = find_category (model, query->category);
      if (ctx.category < 0)
        goto out;
    }
  if (query->exclude != NULL)
    {
      GHashTableIter iter;
      gpointer key;

      ctx.excluded = g_new (guint32, g_hash_table_size (query->exclude) + 1);
      g_hash_table_iter_init (&iter, query->exclude);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          gint e = tn_rec_model_find_event (model, key);

          if (e >= 0)
            ctx.excluded[ctx.n_excluded++] = (guint32) e;
        }
      sort_n (ctx.excluded, ctx.n_excluded, sizeof (guint32), compare_u32);
    }
  if (query->has_near && !isnan (query->near_lat) && !isnan (query->near_lon))
    {
      ctx.has_point = TRUE;
      ctx.lat = query->near_lat;
      ctx.lon = query->near_lon;
    }
  else if (ctx.user >= 0 && !isnan (model->user_lat[ctx.user]) && !isnan (model->user_lon[ctx.user]))
    {
      ctx.has_point = TRUE;
      ctx.lat = model->user_lat[ctx.user];
      ctx.lon = model->user_lon[ctx.user];
    }
  ctx.cos_lat = cos (ctx.lat * G_PI / 180.0);

  if (ctx.user >= 0)
    g_array_append_vals (interests, model->interests + model->interest_off[ctx.user],
                         model->interest_off[ctx.user + 1] - model->interest_off[ctx.user]);
  for (guint k = 0; query->interests != NULL && query->interests[k] != NULL; k++)
    {
      gint c = find_category (model, query->interests[k]);

      if (c >= 0)
        g_array_append_val (interests, c);
    }
  sort_n (interests->data, interests->len, sizeof (guint32), compare_u32);
  ctx.interests = g_new (guint32, interests->len + 1);
  for (guint k = 0; k < interests->len; k++)
    if (ctx.n_interests == 0 || ctx.interests[ctx.n_interests - 1] != g_array_index (interests, guint32, k))
      ctx.interests[ctx.n_interests++] = g_array_index (interests, guint32, k);

  if (w[TN_REC_CONTENT] > 0)
    build_profile (&ctx);
  if (w[TN_REC_COATTEND] > 0 && ctx.user >= 0)
    gather_coattend (&ctx);
  if (w[TN_REC_CONTENT] > 0)
    {
      gather_content (&ctx);
      gather_interests (&ctx);
    }
  if (w[TN_REC_FRIENDS] > 0 && ctx.user >= 0)
    gather_friends (&ctx);
  if (w[TN_REC_TRENDING] > 0)
    gather_trending (&ctx);
  if (w[TN_REC_DISTANCE] > 0 && ctx.has_point)
    gather_nearby (&ctx);

  score_cands (&ctx);
  {
    guint n = select_best (&ctx, limit);

    for (guint k = 0; k < n; k++)
      {
        const Cand *c = &g_array_index (ctx.cands, Cand, k);

        g_ptr_array_add (items, item_new (model, c, recommend_reasons (&ctx, c)));
      }
  }
out:
  ctx_clear (&ctx);
  return items;
}

/**
 * tn_rec_model_similar:
 * @now: only events starting after it
 *
 * Upcoming listed events like @event_id: by content (its terms through
 * the inverted index) and by co-attendance (its neighbours), half each.
 * Never the event itself.
 *
 * Returns: (transfer full) (element-type TnRecItem): the items; empty
 *   when the model does not know the event
 */
GPtrArray *
tn_rec_model_similar (TnRecModel *model,
                      const char *event_id,
                      gint64      now,
                      guint       limit)
{
  GPtrArray *items;
  TnRecQuery query;
  Ctx ctx;
  gint e;
  float max_coatt = 0, max_content = 0;
  guint n = 0;

  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (event_id != NULL, NULL);

  items = g_ptr_array_new_with_free_func ((GDestroyNotify) tn_rec_item_free);
  e = tn_rec_model_find_event (model, event_id);
  if (e < 0)
    return items;
  if (limit == 0)
    limit = 10;
  tn_rec_query_init (&query);
  query.now = now;
  ctx_init (&ctx, model, &query);
  ctx.excluded = g_new (guint32, 1);
  ctx.excluded[0] = (guint32) e;
  ctx.n_excluded = 1;

  for (guint32 m = model->nb_off[e]; m < model->nb_off[e + 1]; m++)
    {
      Cand *c = get_cand (&ctx, model->nb[m].id);

      if (c != NULL)
        c->coatt = model->nb[m].w;
    }
  for (guint32 k = model->vec_off[e]; k < model->vec_off[e + 1]; k++)
    {
      guint32 t = model->vec[k].id;
      guint32 end = MIN (model->inv_off[t + 1], model->inv_off[t] + POSTINGS_PER_TERM);

      for (guint32 m = model->inv_off[t]; m < end; m++)
        get_cand (&ctx, model->inv[m].id);
    }
  for (guint k = 0; k < ctx.cands->len; k++)
    {
      Cand *c = &g_array_index (ctx.cands, Cand, k);

      if (!c->ok)
        continue;
      c->content = sparse_dot (model->vec + model->vec_off[e], model->vec_off[e + 1] - model->vec_off[e],
                               model->vec + model->vec_off[c->event],
                               model->vec_off[c->event + 1] - model->vec_off[c->event]);
      max_coatt = MAX (max_coatt, c->coatt);
      max_content = MAX (max_content, c->content);
    }
  for (guint k = 0; k < ctx.cands->len; k++)
    {
      Cand c = g_array_index (ctx.cands, Cand, k);

      if (!c.ok)
        continue;
      c.comp[TN_REC_COATTEND] = max_coatt > 0 ? c.coatt / max_coatt : 0;
      c.comp[TN_REC_CONTENT] = max_content > 0 ? c.content / max_content : 0;
      c.score = 0.5 * c.comp[TN_REC_COATTEND] + 0.5 * c.comp[TN_REC_CONTENT];
      if (c.score > 0)
        g_array_index (ctx.cands, Cand, n++) = c;
    }
  g_array_set_size (ctx.cands, n);
  g_array_sort_with_data (ctx.cands, compare_cand, model);
  for (guint k = 0; k < MIN (n, limit); k++)
    {
      const Cand *c = &g_array_index (ctx.cands, Cand, k);
      g_autoptr(GArray) reasons = g_array_new (FALSE, FALSE, sizeof (Reason));
      guint32 j = c->event;
      guint both = intersect_count (model->going + model->going_off[e], model->going_off[e + 1] - model->going_off[e],
                                    model->going + model->going_off[j], model->going_off[j + 1] - model->going_off[j]);

      if (both == 1)
        add_reason (reasons, c->comp[TN_REC_COATTEND], g_strdup ("1 person signed up for both"));
      else if (both > 1)
        add_reason (reasons, c->comp[TN_REC_COATTEND], g_strdup_printf ("%u people signed up for both", both));
      if (c->content > 0)
        {
          const char *category = model->categories[model->event_cat[j]];
          g_auto(GStrv) tags_e = g_strsplit (model->tags_of[e], "\n", -1);
          g_auto(GStrv) tags_j = g_strsplit (model->tags_of[j], "\n", -1);
          g_autoptr(GString) shared = g_string_new (NULL);

          for (guint a = 0; tags_j[a] != NULL; a++)
            if (tags_j[a][0] != '\0' && g_strv_contains ((const char * const *) tags_e, tags_j[a]))
              g_string_append_printf (shared, "%s%s", shared->len > 0 ? ", " : "", tags_j[a]);
          if (shared->len > 0)
            add_reason (reasons, c->comp[TN_REC_CONTENT], g_strdup_printf ("Also tagged %s", shared->str));
          else if (category[0] != '\0' && model->event_cat[j] == model->event_cat[e])
            add_reason (reasons, c->comp[TN_REC_CONTENT], g_strdup_printf ("Also in %s", category));
          else
            add_reason (reasons, c->comp[TN_REC_CONTENT],
                        g_strdup_printf ("Described like %s", model->event_titles[e]));
        }
      g_ptr_array_add (items, item_new (model, c, finish_reasons (reasons)));
    }
  ctx_clear (&ctx);
  return items;
}

/**
 * tn_rec_model_trending:
 * @category: (nullable): only this category
 *
 * Upcoming listed events by their RSVPs, each weighted by its age with
 * the model's half-life (as of the build).
 *
 * Returns: (transfer full) (element-type TnRecItem): the items
 */
GPtrArray *
tn_rec_model_trending (TnRecModel *model,
                       const char *category,
                       gint64      now,
                       guint       limit)
{
  GPtrArray *items;
  const guint32 *list;
  guint32 n;

  g_return_val_if_fail (model != NULL, NULL);

  list = model->trend_list;
  n = model->n_candidates;

  items = g_ptr_array_new_with_free_func ((GDestroyNotify) tn_rec_item_free);
  if (limit == 0)
    limit = 10;
  if (category != NULL)
    {
      gint c = find_category (model, category);

      if (c < 0)
        return items;
      list = model->cat_list + model->cat_list_off[c];
      n = model->cat_list_off[c + 1] - model->cat_list_off[c];
    }
  for (guint32 k = 0; k < n && items->len < limit; k++)
    {
      guint32 e = list[k];
      Cand c = { 0 };
      g_autoptr(GArray) reasons = g_array_new (FALSE, FALSE, sizeof (Reason));

      if (model->event_start[e] <= now)
        continue;
      c.event = e;
      c.comp[TN_REC_TRENDING] = model->trend_score[e];
      c.score = model->trend[e];
      add_reason (reasons, 1, popular_reason (model, e));
      g_ptr_array_add (items, item_new (model, &c, finish_reasons (reasons)));
    }
  return items;
}

static int
compare_category_trend (gconstpointer a,
                        gconstpointer b,
                        gpointer      user_data)
{
  TnRecModel *model = user_data;
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;

  if (model->category_trend[x] != model->category_trend[y])
    return model->category_trend[x] > model->category_trend[y] ? -1 : 1;
  return strcmp (model->category_keys[x], model->category_keys[y]);
}

/**
 * tn_rec_model_trending_categories:
 * @limit: at most this many (0: all)
 *
 * Categories by the decayed RSVPs of their upcoming listed events, as of
 * the build; those with none are left out.
 *
 * Returns: (transfer full): their names
 */
char **
tn_rec_model_trending_categories (TnRecModel *model,
                                  guint       limit)
{
  g_autofree guint32 *order = NULL;
  GPtrArray *names;
  guint n = 0;

  g_return_val_if_fail (model != NULL, NULL);

  order = g_new (guint32, model->n_categories + 1);
  for (guint c = 0; c < model->n_categories; c++)
    if (model->category_trend[c] > 0 && model->categories[c][0] != '\0')
      order[n++] = c;
  g_qsort_with_data (order, (gint) n, sizeof (guint32), compare_category_trend, model);
  names = g_ptr_array_new ();
  for (guint k = 0; k < n && (limit == 0 || k < limit); k++)
    g_ptr_array_add (names, g_strdup (model->categories[order[k]]));
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (names, FALSE);
}

void
tn_rec_item_free (TnRecItem *item)
{
  if (item == NULL)
    return;
  g_free (item->event_id);
  g_strfreev (item->reasons);
  g_free (item);
}

/**
 * tn_rec_model_slot_init:
 *
 * Initialises an empty slot (in static or embedded storage).
 */
void
tn_rec_model_slot_init (TnRecModelSlot *slot)
{
  g_return_if_fail (slot != NULL);

  g_mutex_init (&slot->lock);
  slot->model = NULL;
}

void
tn_rec_model_slot_clear (TnRecModelSlot *slot)
{
  g_return_if_fail (slot != NULL);

  g_clear_pointer (&slot->model, tn_rec_model_unref);
  g_mutex_clear (&slot->lock);
}

/**
 * tn_rec_model_slot_get:
 *
 * Returns: (transfer full) (nullable): the current model, or %NULL
 *   before the first one is set
 */
TnRecModel *
tn_rec_model_slot_get (TnRecModelSlot *slot)
{
  TnRecModel *model = NULL;

  g_return_val_if_fail (slot != NULL, NULL);

  g_mutex_lock (&slot->lock);
  if (slot->model != NULL)
    model = tn_rec_model_ref (slot->model);
  g_mutex_unlock (&slot->lock);
  return model;
}

/**
 * tn_rec_model_slot_set:
 * @model: (transfer none) (nullable): the new model
 *
 * Replaces the slot's model; requests holding the old one keep it until
 * they unref it, and the last of them frees it (outside the lock).
 */
void
tn_rec_model_slot_set (TnRecModelSlot *slot,
                       TnRecModel     *model)
{
  TnRecModel *old;

  g_return_if_fail (slot != NULL);

  if (model != NULL)
    tn_rec_model_ref (model);
  g_mutex_lock (&slot->lock);
  old = slot->model;
  slot->model = model;
  g_mutex_unlock (&slot->lock);
  if (old != NULL)
    tn_rec_model_unref (old);
}
