/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A synthetic community with structure a recommender can find:
 *
 * - interest groups, each with two preferred categories, a few tags and
 *   its own words, living mostly in one city; group sizes are skewed;
 * - users in a group, homes clustered by neighbourhood around the
 *   group's city (a quarter give no home), some chosen interests,
 *   activity skewed (log-normal);
 * - events organised by a user for their group, in its city, at a
 *   neighbourhood, with the group's category, tags and words plus common
 *   words; start times over a year with a per-group peak season; a
 *   log-normal popularity; a few private or cancelled;
 * - follows mostly within the group, often returned;
 * - RSVPs: mostly to the user's group's events, some to what someone
 *   they follow answered before, some to anything in their city, some
 *   to anything popular; answered days before the start. */
#include "config.h"

#include "recs-synth.h"

#include <math.h>
#include <string.h>

#define N_CITIES         6
#define N_HOODS          8
#define WORDS_PER_GROUP  14
#define TAGS_PER_GROUP   4
#define N_COMMON         60

static const char * const categories[] = {
  "Tech", "Music", "Outdoors", "Food", "Art", "Games", "Sports", "Books",
  "Film", "Wellness", "Science", "Community",
};

static const struct { double lat, lon; } cities[N_CITIES] = {
  { 52.52, 13.40 }, { 38.72, -9.14 }, { 43.65, -79.38 },
  { -37.81, 144.96 }, { -1.29, 36.82 }, { 37.57, 126.98 },
};

static const char * const syllables[] = {
  "ka", "lo", "mi", "ren", "tu", "sa", "vi", "dor", "mek", "pa", "zu", "nel",
  "ri", "os", "ta", "quin", "bar", "ello", "fi", "gan", "hu", "jor", "lys", "mot",
};

static const char * const common[N_COMMON] = {
  "meetup", "evening", "friends", "welcome", "session", "people", "great",
  "time", "night", "morning", "weekend", "open", "group", "together", "free",
  "talk", "talks", "local", "community", "first", "second", "monthly",
  "weekly", "beginners", "everyone", "drinks", "snacks", "share", "learn",
  "meet", "space", "venue", "doors", "start", "bring", "laptop", "friendly",
  "chat", "hour", "little", "big", "fun", "city", "park", "hall", "room",
  "host", "hosted", "guest", "guests", "special", "edition", "season",
  "summer", "winter", "spring", "autumn", "happy", "late", "early",
};

typedef struct
{
  guint  city;
  guint  categories[2];
  char  *tags[TAGS_PER_GROUP];
  char  *words[WORDS_PER_GROUP];
  double peak;        /* day of the year */
  GArray *events;     /* guint32 */
  GArray *cum;        /* double: cumulative popularity */
  GArray *members;    /* guint32 */
} Group;

typedef struct
{
  guint  group;
  guint  city;
  double activity;
} User;

typedef struct
{
  GArray *events;
  GArray *cum;
} Pool;

static double
gaussian (GRand *rand)
{
  double u = g_rand_double_range (rand, 1e-12, 1.0), v = g_rand_double (rand);

  return sqrt (-2.0 * log (u)) * cos (2.0 * G_PI * v);
}

static char *
make_word (GRand *rand)
{
  GString *s = g_string_new (NULL);
  guint n = g_rand_int_range (rand, 2, 4);

  for (guint k = 0; k < n; k++)
    g_string_append (s, syllables[g_rand_int_range (rand, 0, G_N_ELEMENTS (syllables))]);
  return g_string_free (s, FALSE);
}

static void
pool_add (Pool   *pool,
          guint32 event,
          double  weight)
{
  double last = pool->cum->len > 0 ? g_array_index (pool->cum, double, pool->cum->len - 1) : 0;

  last += weight;
  g_array_append_val (pool->events, event);
  g_array_append_val (pool->cum, last);
}

static gint
pool_pick (Pool  *pool,
           GRand *rand)
{
  double x;
  guint lo = 0, hi = pool->cum->len;

  if (hi == 0)
    return -1;
  x = g_rand_double (rand) * g_array_index (pool->cum, double, hi - 1);
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (pool->cum, double, mid) <= x)
        lo = mid + 1;
      else
        hi = mid;
    }
  return g_array_index (pool->events, guint32, MIN (lo, pool->cum->len - 1));
}

static void
pool_init (Pool *pool)
{
  pool->events = g_array_new (FALSE, FALSE, sizeof (guint32));
  pool->cum = g_array_new (FALSE, FALSE, sizeof (double));
}

static void
pool_clear (Pool *pool)
{
  g_array_unref (pool->events);
  g_array_unref (pool->cum);
}

void
recs_synth_params_init (RecsSynthParams *params)
{
  params->users = 5000;
  params->events = 10000;
  params->rsvps = 100000;
  params->seed = 1;
  params->start = 1767225600;  /* 2026-01-01 */
  params->days = 365;
}

TnRecData *
recs_synth_generate (const RecsSynthParams *params)
{
  TnRecData *data = tn_rec_data_new ();
  GRand *rand = g_rand_new_with_seed (params->seed);
  guint n_groups = CLAMP (params->users / 250, 6, 200);
  Group *groups = g_new0 (Group, n_groups);
  User *users = g_new0 (User, MAX (params->users, 1));
  double *user_cum = g_new (double, MAX (params->users, 1));
  double *group_cum = g_new (double, n_groups);
  Pool all, by_city[N_CITIES];
  GArray **answered = g_new0 (GArray *, MAX (params->users, 1));
  GArray **following = g_new0 (GArray *, MAX (params->users, 1));
  double hoods[N_CITIES][N_HOODS][2];
  gint64 *starts = g_new (gint64, MAX (params->events, 1));
  double *popularity = g_new (double, MAX (params->events, 1));
  char id[32], other[32];

  pool_init (&all);
  for (guint c = 0; c < N_CITIES; c++)
    {
      pool_init (&by_city[c]);
      for (guint h = 0; h < N_HOODS; h++)
        {
          hoods[c][h][0] = cities[c].lat + gaussian (rand) * 0.05;
          hoods[c][h][1] = cities[c].lon + gaussian (rand) * 0.07;
        }
    }

  for (guint g = 0; g < n_groups; g++)
    {
      Group *group = &groups[g];

      group->city = g_rand_int_range (rand, 0, N_CITIES);
      group->categories[0] = g_rand_int_range (rand, 0, G_N_ELEMENTS (categories));
      group->categories[1] = g_rand_int_range (rand, 0, G_N_ELEMENTS (categories));
      for (guint k = 0; k < TAGS_PER_GROUP; k++)
        group->tags[k] = make_word (rand);
      for (guint k = 0; k < WORDS_PER_GROUP; k++)
        group->words[k] = make_word (rand);
      group->peak = g_rand_double_range (rand, 0, 365);
      group->events = g_array_new (FALSE, FALSE, sizeof (guint32));
      group->cum = g_array_new (FALSE, FALSE, sizeof (double));
      group->members = g_array_new (FALSE, FALSE, sizeof (guint32));
      group_cum[g] = (g > 0 ? group_cum[g - 1] : 0) + 1.0 / sqrt (g + 1.0);
    }

  /* users */
  for (guint u = 0; u < params->users; u++)
    {
      User *user = &users[u];
      double x = g_rand_double (rand) * group_cum[n_groups - 1];
      guint g = 0;
      const char *interests[3] = { NULL, NULL, NULL };
      guint n_interests = 0;
      double lat = NAN, lon = NAN;

      while (g + 1 < n_groups && group_cum[g] <= x)
        g++;
      user->group = g;
      user->city = g_rand_double (rand) < 0.85 ? groups[g].city : (guint) g_rand_int_range (rand, 0, N_CITIES);
      user->activity = exp (gaussian (rand));
      user_cum[u] = (u > 0 ? user_cum[u - 1] : 0) + user->activity;
      g_array_append_val (groups[g].members, u);
      if (g_rand_double (rand) < 0.5)
        interests[n_interests++] = categories[groups[g].categories[0]];
      if (g_rand_double (rand) < 0.3)
        interests[n_interests++] = categories[groups[g].categories[1]];
      if (g_rand_double (rand) < 0.75)
        {
          guint h = g_rand_int_range (rand, 0, N_HOODS);

          lat = hoods[user->city][h][0] + gaussian (rand) * 0.015;
          lon = hoods[user->city][h][1] + gaussian (rand) * 0.02;
        }
      g_snprintf (id, sizeof id, "u%06u", u);
      tn_rec_data_add_user (data, id, lat, lon, interests);
      answered[u] = g_array_new (FALSE, FALSE, sizeof (guint32));
      following[u] = g_array_new (FALSE, FALSE, sizeof (guint32));
    }

  /* events */
  for (guint e = 0; e < params->events; e++)
    {
      TnRecEvent event = { 0 };
      double x = g_rand_double (rand) * user_cum[params->users - 1];
      guint lo = 0, hi = params->users, organizer, g, city;
      Group *group;
      g_autoptr(GString) title = g_string_new (NULL);
      g_autoptr(GString) description = g_string_new (NULL);
      const char *tags[4] = { NULL, NULL, NULL, NULL };
      guint n_tags = g_rand_int_range (rand, 1, 4), n_words;
      double r = g_rand_double (rand), day;

      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;

          if (user_cum[mid] <= x)
            lo = mid + 1;
          else
            hi = mid;
        }
      organizer = MIN (lo, params->users - 1);
      g = g_rand_double (rand) < 0.9 ? users[organizer].group : (guint) g_rand_int_range (rand, 0, n_groups);
      group = &groups[g];
      city = group->city;

      g_snprintf (id, sizeof id, "e%06u", e);
      event.id = id;
      event.category = (char *) categories[r < 0.7 ? group->categories[0]
                                           : r < 0.95 ? group->categories[1]
                                           : (guint) g_rand_int_range (rand, 0, G_N_ELEMENTS (categories))];
      for (guint k = 0; k < n_tags; k++)
        tags[k] = g_rand_double (rand) < 0.85 ? group->tags[g_rand_int_range (rand, 0, TAGS_PER_GROUP)]
                                               : groups[g_rand_int_range (rand, 0, n_groups)].tags[0];
      if (n_tags == 2 && g_strcmp0 (tags[0], tags[1]) == 0)
        tags[1] = NULL;
      event.tags = (char **) tags;
      for (guint k = 0; k < 2; k++)
        {
          const char *w = group->words[g_rand_int_range (rand, 0, WORDS_PER_GROUP)];

          g_string_append_printf (title, "%c%s ", g_ascii_toupper (w[0]), w + 1);
        }
      g_string_append (title, common[g_rand_int_range (rand, 0, N_COMMON)]);
      event.title = title->str;
      n_words = g_rand_int_range (rand, 12, 30);
      for (guint k = 0; k < n_words; k++)
        {
          const char *w = g_rand_double (rand) < 0.35 ? group->words[g_rand_int_range (rand, 0, WORDS_PER_GROUP)]
                                                       : common[g_rand_int_range (rand, 0, N_COMMON)];

          g_string_append_printf (description, "%s%s", k > 0 ? " " : "", w);
        }
      event.description = description->str;
      if (g_rand_double (rand) < 0.9)
        {
          guint h = g_rand_int_range (rand, 0, N_HOODS);

          event.lat = hoods[city][h][0] + gaussian (rand) * 0.01;
          event.lon = hoods[city][h][1] + gaussian (rand) * 0.014;
        }
      else
        event.lat = event.lon = NAN;
      /* the group's season: more events near its peak */
      do
        day = g_rand_double_range (rand, 0, params->days);
      while (g_rand_double (rand) > 0.5 + 0.5 * cos (2 * G_PI * (day - group->peak) / 365.0));
      event.starts_at = params->start + (gint64) (day * 86400.0);
      event.starts_at -= event.starts_at % 1800;
      event.ends_at = event.starts_at + 2 * 3600;
      event.listed = g_rand_double (rand) < 0.95;
      event.organizer = (gint) organizer;
      tn_rec_data_add_event (data, &event);

      starts[e] = event.starts_at;
      popularity[e] = exp (gaussian (rand));
      {
        double last = group->cum->len > 0 ? g_array_index (group->cum, double, group->cum->len - 1) : 0;

        last += popularity[e];
        g_array_append_val (group->events, e);
        g_array_append_val (group->cum, last);
      }
      pool_add (&by_city[city], e, popularity[e]);
      pool_add (&all, e, popularity[e]);
    }

  /* follows: mostly within the group, often returned */
  for (guint u = 0; u < params->users; u++)
    {
      guint n = g_rand_int_range (rand, 0, 12);
      GArray *members = groups[users[u].group].members;

      for (guint k = 0; k < n; k++)
        {
          guint32 v = g_rand_double (rand) < 0.8
            ? g_array_index (members, guint32, g_rand_int_range (rand, 0, members->len))
            : (guint32) g_rand_int_range (rand, 0, params->users);

          if (v == u)
            continue;
          g_snprintf (id, sizeof id, "u%06u", u);
          g_snprintf (other, sizeof other, "u%06u", v);
          tn_rec_data_add_follow (data, id, other);
          g_array_append_val (following[u], v);
          if (g_rand_double (rand) < 0.6)
            {
              tn_rec_data_add_follow (data, other, id);
              g_array_append_val (following[v], u);
            }
        }
    }

  /* RSVPs */
  for (guint k = 0; k < params->rsvps && params->events > 0; k++)
    {
      double x = g_rand_double (rand) * user_cum[params->users - 1];
      guint lo = 0, hi = params->users, u;
      double r = g_rand_double (rand), a;
      gint e = -1;
      TnRecAnswer answer;
      gint64 at;

      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;

          if (user_cum[mid] <= x)
            lo = mid + 1;
          else
            hi = mid;
        }
      u = MIN (lo, params->users - 1);
      if (r < 0.15 && following[u]->len > 0)
        {
          guint32 f = g_array_index (following[u], guint32, g_rand_int_range (rand, 0, following[u]->len));

          if (answered[f]->len > 0)
            e = g_array_index (answered[f], guint32, g_rand_int_range (rand, 0, answered[f]->len));
        }
      if (e < 0 && r < 0.80)
        {
          Pool pool = { groups[users[u].group].events, groups[users[u].group].cum };

          e = pool_pick (&pool, rand);
        }
      if (e < 0 && r < 0.90)
        e = pool_pick (&by_city[users[u].city], rand);
      if (e < 0)
        e = pool_pick (&all, rand);

      a = g_rand_double (rand);
      answer = a < 0.82 ? TN_REC_GOING : a < 0.90 ? TN_REC_INTERESTED : a < 0.95 ? TN_REC_MAYBE
             : a < 0.97 ? TN_REC_WAITLISTED : TN_REC_NOT_GOING;
      at = starts[e] - (gint64) (-log (g_rand_double_range (rand, 1e-9, 1.0)) * 10 * 86400.0) - 3600;
      g_snprintf (id, sizeof id, "u%06u", u);
      g_snprintf (other, sizeof other, "e%06u", (guint) e);
      tn_rec_data_add_rsvp (data, id, other, at, answer,
                            answer == TN_REC_GOING && g_rand_double (rand) < 0.6);
      g_array_append_val (answered[u], e);
    }

  for (guint g = 0; g < n_groups; g++)
    {
      for (guint k = 0; k < TAGS_PER_GROUP; k++)
        g_free (groups[g].tags[k]);
      for (guint k = 0; k < WORDS_PER_GROUP; k++)
        g_free (groups[g].words[k]);
      g_array_unref (groups[g].events);
      g_array_unref (groups[g].cum);
      g_array_unref (groups[g].members);
    }
  for (guint u = 0; u < params->users; u++)
    {
      g_array_unref (answered[u]);
      g_array_unref (following[u]);
    }
  for (guint c = 0; c < N_CITIES; c++)
    pool_clear (&by_city[c]);
  pool_clear (&all);
  g_free (answered);
  g_free (following);
  g_free (groups);
  g_free (users);
  g_free (user_cum);
  g_free (group_cum);
  g_free (starts);
  g_free (popularity);
  g_rand_free (rand);
  return data;
}
