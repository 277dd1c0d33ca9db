/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The recommender (server/tn-recommender.c) on a small hand-made
 * community: every reason is checked against the data, events that may
 * not be recommended never are, the caller's answered events never come
 * back, the same data gives the same answer, a new member gets something,
 * and similar and trending keep to their rules. No timing here. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tn-rec-data.h"
#include "tn-recommender.h"

#define NOW   G_GINT64_CONSTANT (1800000000)
#define DAY   (24 * 3600)
#define HOME_LAT 52.5200
#define HOME_LON 13.4000

typedef struct
{
  const char *id;
  const char *category;
  const char *tags;
  const char *title;
  const char *description;
  double      lat;
  double      lon;
  gint64      starts;   /* from NOW */
  gboolean    listed;
} EventCase;

static const EventCase events[] = {
  { "rust-night", "Tech", "rust", "Rust Night", "Systems programming in Rust: ownership and the borrow checker",
    52.52, 13.40, -10 * DAY, TRUE },
  { "rust-meetup", "Tech", "rust", "Rust Meetup", "Systems programming with Rust: ownership and lifetimes",
    52.53, 13.41, 5 * DAY, TRUE },
  { "jazz-evening", "Music", "jazz", "Jazz Evening", "A quartet plays standards",
    52.50, 13.38, 3 * DAY, TRUE },
  { "folk-gig", "Music", "folk", "Folk Gig", "Songs and fiddles",
    52.51, 13.39, 4 * DAY, TRUE },
  { "rust-private", "Tech", "rust", "Rust Private Workshop", "Ownership and the borrow checker in Rust",
    52.52, 13.40, 6 * DAY, FALSE },
  { "rust-cancelled", "Tech", "rust", "Rust Cancelled Talk", "Ownership and the borrow checker in Rust",
    52.52, 13.40, 7 * DAY, FALSE },
  { "rust-past", "Tech", "rust", "Rust Last Week", "Ownership and the borrow checker in Rust",
    52.52, 13.40, -2 * DAY, TRUE },
  { "rust-declined", "Tech", "rust", "Rust Declined", "Ownership and the borrow checker in Rust",
    52.52, 13.40, 8 * DAY, TRUE },
  { "rust-going", "Tech", "rust", "Rust Going", "Ownership and the borrow checker in Rust",
    52.52, 13.40, 9 * DAY, TRUE },
  { "rust-answered-later", "Tech", "rust", "Rust Answered Later", "Ownership and the borrow checker in Rust",
    52.52, 13.40, 10 * DAY, TRUE },
  { "music-hot", "Music", "party", "Big Music Night", "Everyone dances",
    52.54, 13.42, 2 * DAY, TRUE },
  { "music-near", "Music", "choir", "Choir Rehearsal", "Sing with us",
    52.531, 13.411, 6 * DAY, TRUE },
  { "art-far", "Art", "painting", "Painting in Lisbon", "Watercolours by the river",
    38.72, -9.14, 5 * DAY, TRUE },
  { "no-place", "Tech", "", "Online Rust Hangout", "Rust ownership questions answered",
    NAN, NAN, 11 * DAY, TRUE },
};

typedef struct
{
  const char *user;
  const char *event;
  TnRecAnswer answer;
  gboolean    checked_in;
  gint64      at;   /* from NOW */
} RsvpCase;

static const RsvpCase rsvps[] = {
  { "me", "rust-night", TN_REC_GOING, TRUE, -20 * DAY },
  { "me", "rust-declined", TN_REC_NOT_GOING, FALSE, -1 * DAY },
  { "me", "rust-going", TN_REC_GOING, FALSE, -1 * DAY },
  { "o1", "rust-night", TN_REC_GOING, TRUE, -20 * DAY },
  { "o2", "rust-night", TN_REC_GOING, TRUE, -20 * DAY },
  { "o3", "rust-night", TN_REC_GOING, TRUE, -20 * DAY },
  { "o1", "rust-meetup", TN_REC_GOING, FALSE, -3 * DAY },
  { "o2", "rust-meetup", TN_REC_GOING, FALSE, -3 * DAY },
  /* three friends (mutual follows) and someone who follows me */
  { "f1", "jazz-evening", TN_REC_GOING, FALSE, -2 * DAY },
  { "f2", "jazz-evening", TN_REC_GOING, FALSE, -2 * DAY },
  { "f3", "jazz-evening", TN_REC_GOING, FALSE, -2 * DAY },
  { "f5", "jazz-evening", TN_REC_GOING, FALSE, -2 * DAY },
  { "f1", "folk-gig", TN_REC_GOING, FALSE, -2 * DAY },
  { "f4", "folk-gig", TN_REC_GOING, FALSE, -2 * DAY },
  { "f2", "folk-gig", TN_REC_MAYBE, FALSE, -2 * DAY },
  /* what friends do that must not show */
  { "f1", "rust-private", TN_REC_GOING, FALSE, -2 * DAY },
  { "f2", "rust-private", TN_REC_GOING, FALSE, -2 * DAY },
  { "o1", "rust-private", TN_REC_GOING, FALSE, -2 * DAY },
  { "f1", "rust-cancelled", TN_REC_GOING, FALSE, -2 * DAY },
  { "o1", "rust-cancelled", TN_REC_GOING, FALSE, -2 * DAY },
  { "f1", "rust-past", TN_REC_GOING, FALSE, -5 * DAY },
  { "o1", "rust-past", TN_REC_GOING, FALSE, -5 * DAY },
  { "f1", "rust-declined", TN_REC_GOING, FALSE, -2 * DAY },
  { "o1", "rust-going", TN_REC_GOING, FALSE, -2 * DAY },
  { "f2", "rust-answered-later", TN_REC_GOING, FALSE, -2 * DAY },
  { "o1", "rust-answered-later", TN_REC_GOING, FALSE, -2 * DAY },
  /* a hot music night */
  { "o1", "music-hot", TN_REC_GOING, FALSE, -1 * DAY },
  { "o2", "music-hot", TN_REC_GOING, FALSE, -1 * DAY },
  { "o4", "music-hot", TN_REC_GOING, FALSE, -1 * DAY },
  { "o5", "music-hot", TN_REC_GOING, FALSE, -1 * DAY },
  { "o6", "music-hot", TN_REC_GOING, FALSE, -1 * DAY },
  { "o6", "art-far", TN_REC_GOING, FALSE, -30 * DAY },
};

static const char * const follows[][2] = {
  { "me", "f1" }, { "f1", "me" },
  { "me", "f2" }, { "f2", "me" },
  { "me", "f3" }, { "f3", "me" },
  { "me", "f4" },                  /* one-way: I follow f4 */
  { "f5", "me" },                  /* one-way: f5 follows me */
};

static TnRecData *
make_data (void)
{
  TnRecData *data = tn_rec_data_new ();
  const char * const users[] = { "me", "f1", "f2", "f3", "f4", "f5", "o1", "o2", "o3", "o4", "o5", "o6" };
  const char * const music[] = { "Music", NULL };

  for (guint k = 0; k < G_N_ELEMENTS (users); k++)
    tn_rec_data_add_user (data, users[k], strcmp (users[k], "me") == 0 ? HOME_LAT : NAN,
                          strcmp (users[k], "me") == 0 ? HOME_LON : NAN, NULL);
  tn_rec_data_add_user (data, "newbie", 52.5305, 13.4105, music);
  for (guint k = 0; k < G_N_ELEMENTS (events); k++)
    {
      const EventCase *c = &events[k];
      g_auto(GStrv) tags = c->tags[0] != '\0' ? g_strsplit (c->tags, ",", -1) : g_new0 (char *, 1);
      TnRecEvent event = { (char *) c->id, (char *) c->category, tags, (char *) c->title,
                           (char *) c->description, c->lat, c->lon, NOW + c->starts,
                           NOW + c->starts + 7200, c->listed, -1 };

      tn_rec_data_add_event (data, &event);
    }
  for (guint k = 0; k < G_N_ELEMENTS (rsvps); k++)
    g_assert_true (tn_rec_data_add_rsvp (data, rsvps[k].user, rsvps[k].event, NOW + rsvps[k].at,
                                         rsvps[k].answer, rsvps[k].checked_in));
  for (guint k = 0; k < G_N_ELEMENTS (follows); k++)
    g_assert_true (tn_rec_data_add_follow (data, follows[k][0], follows[k][1]));
  return data;
}

static TnRecModel *
make_model (TnRecData *data)
{
  TnRecParams params;

  tn_rec_params_init (&params);
  params.n_threads = 2;
  return tn_rec_model_build (data, &params, NOW);
}

static GPtrArray *
recommend (TnRecModel   *model,
           const char   *user,
           const double *weights,
           GHashTable   *exclude)
{
  TnRecQuery query;

  tn_rec_query_init (&query);
  query.user_id = user;
  query.now = NOW;
  query.limit = 100;
  query.exclude = exclude;
  if (weights != NULL)
    memcpy (query.weights, weights, sizeof query.weights);
  return tn_rec_model_recommend (model, &query);
}

static TnRecItem *
find_item (GPtrArray  *items,
           const char *event_id)
{
  for (guint k = 0; k < items->len; k++)
    if (strcmp (((TnRecItem *) items->pdata[k])->event_id, event_id) == 0)
      return items->pdata[k];
  return NULL;
}

static gboolean
has_reason (TnRecItem  *item,
            const char *reason)
{
  return item != NULL && g_strv_contains ((const char * const *) item->reasons, reason);
}

static gboolean
follows_user (TnRecData *data,
              guint32    follower,
              guint32    followee)
{
  for (guint k = 0; k < data->follows->len; k++)
    {
      TnRecFollow *f = &g_array_index (data->follows, TnRecFollow, k);

      if (f->follower == follower && f->followee == followee)
        return TRUE;
    }
  return FALSE;
}

static const TnRecRsvp *
find_rsvp (TnRecData *data,
           guint32    user,
           guint32    event)
{
  for (guint k = 0; k < data->rsvps->len; k++)
    {
      TnRecRsvp *r = &g_array_index (data->rsvps, TnRecRsvp, k);

      if (r->user == user && r->event == event)
        return r;
    }
  return NULL;
}

/* Every reason of every item, checked against the data by brute force. */
static void
assert_reasons_true (TnRecData  *data,
                     const char *user_id,
                     GPtrArray  *items)
{
  gint user = user_id != NULL ? tn_rec_data_find_user (data, user_id) : -1;

  for (guint k = 0; k < items->len; k++)
    {
      TnRecItem *item = items->pdata[k];

      for (guint r = 0; item->reasons[r] != NULL; r++)
        {
          const char *reason = item->reasons[r];
          guint n;
          char title[200];

          int end = 0;

          if ((sscanf (reason, "%u people you follow are going%n", &n, &end) == 1 && reason[end] == '\0' && end > 0)
              || (strcmp (reason, "1 person you follow is going") == 0 && (n = 1) == 1))
            {
              guint count = 0;

              g_assert_cmpint (user, >=, 0);
              for (guint u = 0; u < data->users->len; u++)
                {
                  const TnRecRsvp *rsvp = find_rsvp (data, u, item->event);

                  if (rsvp != NULL && (rsvp->answer == TN_REC_GOING || rsvp->checked_in)
                      && follows_user (data, (guint32) user, u))
                    count++;
                }
              if (n != count)
                g_test_message ("%s: %s", item->event_id, reason);
              g_assert_cmpuint (n, ==, count);
            }
          else if (g_str_has_prefix (reason, "Like ") && g_str_has_suffix (reason, ", which you attended"))
            {
              gboolean found = FALSE;

              g_assert_cmpint (user, >=, 0);
              for (guint e = 0; e < data->events->len; e++)
                {
                  TnRecEvent *event = data->events->pdata[e];
                  g_autofree char *expected = g_strdup_printf ("Like %s, which you attended", event->title);
                  const TnRecRsvp *rsvp = find_rsvp (data, (guint32) user, e);

                  if (strcmp (expected, reason) == 0 && rsvp != NULL && rsvp->checked_in)
                    found = TRUE;
                }
              g_assert_true (found);
            }
          else if (sscanf (reason, "In %199[^,], one of your interests%n", title, &end) == 1 && reason[end] == '\0')
            {
              TnRecEvent *event = data->events->pdata[item->event];

              g_assert_cmpstr (event->category, ==, title);
            }
          else if (sscanf (reason, "%u people signed up in the last 7 days%n", &n, &end) == 1 && reason[end] == '\0')
            {
              guint count = 0;

              for (guint k2 = 0; k2 < data->rsvps->len; k2++)
                {
                  TnRecRsvp *rsvp = &g_array_index (data->rsvps, TnRecRsvp, k2);

                  if (rsvp->event == item->event && (rsvp->answer == TN_REC_GOING || rsvp->checked_in)
                      && rsvp->at <= NOW && rsvp->at >= NOW - 7 * DAY)
                    count++;
                }
              g_assert_cmpuint (n, ==, count);
            }
          else if (g_str_has_suffix (reason, " km away"))
            {
              TnRecEvent *event = data->events->pdata[item->event];

              g_assert_false (isnan (event->lat));
            }
        }
    }
}

/* Nothing private, cancelled, past, answered or excluded, ever. */
static void
assert_allowed (TnRecData  *data,
                const char *user_id,
                GPtrArray  *items,
                GHashTable *exclude)
{
  gint user = user_id != NULL ? tn_rec_data_find_user (data, user_id) : -1;

  for (guint k = 0; k < items->len; k++)
    {
      TnRecItem *item = items->pdata[k];
      TnRecEvent *event = data->events->pdata[item->event];

      g_assert_cmpstr (event->id, ==, item->event_id);
      g_assert_true (event->listed);
      g_assert_cmpint (event->starts_at, >, NOW);
      if (user >= 0)
        g_assert_null (find_rsvp (data, (guint32) user, item->event));
      if (exclude != NULL)
        g_assert_false (g_hash_table_contains (exclude, item->event_id));
      if (k > 0)
        g_assert_cmpfloat (((TnRecItem *) items->pdata[k - 1])->score, >=, item->score);
    }
}

static void
test_friends_reason (void)
{
  g_autoptr(TnRecData) data = make_data ();
  g_autoptr(TnRecModel) model = make_model (data);
  g_autoptr(GPtrArray) items = recommend (model, "me", NULL, NULL);

  /* f1, f2, f3 are going and followed (mutually); f5 follows me, I don't follow them */
  g_assert_true (has_reason (find_item (items, "jazz-evening"), "3 people you follow are going"));
  /* f1 (mutual) and f4 (I follow, not back); f2 only said maybe */
  g_assert_true (has_reason (find_item (items, "folk-gig"), "2 people you follow are going"));
  assert_reasons_true (data, "me", items);
}

static void
test_content_reason (void)
{
  g_autoptr(TnRecData) data = make_data ();
  g_autoptr(TnRecModel) model = make_model (data);
  double content[TN_REC_N_COMPONENTS] = { [TN_REC_CONTENT] = 1.0 };
  double coattend[TN_REC_N_COMPONENTS] = { [TN_REC_COATTEND] = 1.0 };
  g_autoptr(GPtrArray) items = recommend (model, "me", NULL, NULL);
  g_autoptr(GPtrArray) by_content = recommend (model, "me", content, NULL);
  g_autoptr(GPtrArray) by_coattend = recommend (model, "me", coattend, NULL);
  TnRecItem *item;

  item = find_item (items, "rust-meetup");
  g_assert_nonnull (item);
  g_assert_true (has_reason (item, "Like Rust Night, which you attended"));
  /* o1 and o2 went to Rust Night and are going to the meetup */
  g_assert_true (has_reason (item, "2 people who also signed up for Rust Night are going"));
  g_assert_cmpfloat (item->components[TN_REC_CONTENT], >, 0);
  g_assert_cmpfloat (item->components[TN_REC_COATTEND], >, 0);

  /* each component alone: only its own reasons */
  g_assert_cmpuint (by_content->len, >, 0);
  g_assert_cmpstr (((TnRecItem *) by_content->pdata[0])->event_id, ==, "rust-meetup");
  g_assert_cmpstr (((TnRecItem *) by_coattend->pdata[0])->event_id, ==, "rust-meetup");
  g_assert_true (has_reason (by_coattend->pdata[0], "2 people who also signed up for Rust Night are going"));
  g_assert_false (has_reason (by_coattend->pdata[0], "Like Rust Night, which you attended"));
  assert_reasons_true (data, "me", items);
  assert_reasons_true (data, "me", by_content);
}

static void
test_distance_reason (void)
{
  g_autoptr(TnRecData) data = make_data ();
  g_autoptr(TnRecModel) model = make_model (data);
  double distance[TN_REC_N_COMPONENTS] = { [TN_REC_DISTANCE] = 1.0 };
  g_autoptr(GPtrArray) items = recommend (model, "me", distance, NULL);
  TnRecItem *item = find_item (items, "rust-meetup");

  /* from (52.52, 13.40) to (52.53, 13.41): 1.3 km by the haversine formula */
  g_assert_true (has_reason (item, "1.3 km away"));
  /* no reason for what is too far, and nothing for an event with no place */
  g_assert_null (find_item (items, "no-place"));
  g_assert_null (find_item (items, "art-far"));
  assert_allowed (data, "me", items, NULL);
}

static void
test_never (void)
{
  g_autoptr(TnRecData) data = make_data ();
  g_autoptr(TnRecModel) model = make_model (data);
  g_autoptr(GHashTable) exclude = g_hash_table_new (g_str_hash, g_str_equal);
  static const char * const never[] = {
    "rust-private", "rust-cancelled", "rust-past", "rust-declined", "rust-going",
    "rust-answered-later", "rust-night",
  };

  g_hash_table_add (exclude, (gpointer) "rust-answered-later");
  g_hash_table_add (exclude, (gpointer) "not-an-event");
  for (gint c = -1; c < TN_REC_N_COMPONENTS; c++)
    {
      double one[TN_REC_N_COMPONENTS] = { 0 };
      g_autoptr(GPtrArray) items = NULL;

      if (c >= 0)
        one[c] = 1.0;
      items = recommend (model, "me", c >= 0 ? one : NULL, exclude);
      for (guint k = 0; k < G_N_ELEMENTS (never); k++)
        g_assert_null (find_item (items, never[k]));
      assert_allowed (data, "me", items, exclude);
      assert_reasons_true (data, "me", items);
    }

  /* without the exclusion the later answer's event does come (friends) */
  {
    g_autoptr(GPtrArray) items = recommend (model, "me", NULL, NULL);

    g_assert_nonnull (find_item (items, "rust-answered-later"));
  }
  /* and for similar and trending too */
  {
    g_autoptr(GPtrArray) similar = tn_rec_model_similar (model, "rust-night", NOW, 50);
    g_autoptr(GPtrArray) trending = tn_rec_model_trending (model, NULL, NOW, 50);

    assert_allowed (data, NULL, similar, NULL);
    assert_allowed (data, NULL, trending, NULL);
  }
  /* later, what has started is gone */
  {
    TnRecQuery query;
    g_autoptr(GPtrArray) items = NULL;

    tn_rec_query_init (&query);
    query.user_id = "me";
    query.now = NOW + 4 * DAY + 1;
    query.limit = 100;
    items = tn_rec_model_recommend (model, &query);
    for (guint k = 0; k < items->len; k++)
      {
        TnRecItem *item = items->pdata[k];

        g_assert_cmpint (((TnRecEvent *) data->events->pdata[item->event])->starts_at, >, query.now);
      }
    g_assert_null (find_item (items, "jazz-evening"));
  }
}

/* A large community: the model screens answered events with a filter of
 * event numbers modulo 8,192, so events 8,192 apart share its bit; the
 * answered one must never come, its twin must still come. */
static void
test_many_events (void)
{
  g_autoptr(TnRecData) data = tn_rec_data_new ();
  g_autoptr(TnRecModel) model = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GHashTable) exclude = g_hash_table_new (g_str_hash, g_str_equal);
  const guint n = 2 * 8192 + 300;
  const guint picked[] = { 5, 100, 200 };
  g_auto(GStrv) tags = g_strsplit ("rust", ",", -1);

  tn_rec_data_add_user (data, "me", HOME_LAT, HOME_LON, NULL);
  tn_rec_data_add_user (data, "f1", NAN, NAN, NULL);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("event-%05u", i);
      g_autofree char *title = g_strdup_printf ("Rust evening %u", i);
      TnRecEvent event = { id, (char *) "Tech", tags, title, (char *) "Ownership and the borrow checker",
                           52.52 + (i % 100) * 0.01, 13.40, NOW + DAY + i * 60, NOW + DAY + i * 60 + 7200, TRUE, -1 };

      g_assert_cmpuint (tn_rec_data_add_event (data, &event), ==, i);
    }
  g_assert_true (tn_rec_data_add_follow (data, "me", "f1"));
  for (guint k = 0; k < G_N_ELEMENTS (picked); k++)
    for (guint twin = 0; twin < 3; twin++)
      {
        g_autofree char *id = g_strdup_printf ("event-%05u", picked[k] + twin * 8192);

        g_assert_true (tn_rec_data_add_rsvp (data, "f1", id, NOW - DAY, TN_REC_GOING, FALSE));
      }
  /* answered going, answered not going, and excluded (answered since the build) */
  g_assert_true (tn_rec_data_add_rsvp (data, "me", "event-00005", NOW - DAY, TN_REC_GOING, FALSE));
  g_assert_true (tn_rec_data_add_rsvp (data, "me", "event-00100", NOW - DAY, TN_REC_NOT_GOING, FALSE));
  g_hash_table_add (exclude, (gpointer) "event-00200");
  model = make_model (data);
  items = recommend (model, "me", NULL, exclude);
  assert_allowed (data, "me", items, exclude);
  assert_reasons_true (data, "me", items);
  for (guint k = 0; k < G_N_ELEMENTS (picked); k++)
    for (guint twin = 1; twin < 3; twin++)
      {
        g_autofree char *id = g_strdup_printf ("event-%05u", picked[k] + twin * 8192);

        g_assert_true (has_reason (find_item (items, id), "1 person you follow is going"));
      }
}

static void
assert_same_items (GPtrArray *a,
                   GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint k = 0; k < a->len; k++)
    {
      TnRecItem *x = a->pdata[k], *y = b->pdata[k];

      g_assert_cmpstr (x->event_id, ==, y->event_id);
      g_assert_cmpfloat (x->score, ==, y->score);
      g_assert_cmpuint (g_strv_length (x->reasons), ==, g_strv_length (y->reasons));
      for (guint r = 0; x->reasons[r] != NULL; r++)
        g_assert_cmpstr (x->reasons[r], ==, y->reasons[r]);
    }
}

static void
test_deterministic (void)
{
  g_autoptr(TnRecData) data1 = make_data ();
  g_autoptr(TnRecData) data2 = make_data ();
  g_autoptr(TnRecModel) model1 = make_model (data1);
  g_autoptr(TnRecModel) model2 = make_model (data2);
  const char * const users[] = { "me", "f1", "o1", "newbie", "stranger" };

  for (guint k = 0; k < G_N_ELEMENTS (users); k++)
    {
      g_autoptr(GPtrArray) a = recommend (model1, users[k], NULL, NULL);
      g_autoptr(GPtrArray) b = recommend (model2, users[k], NULL, NULL);
      g_autoptr(GPtrArray) c = recommend (model1, users[k], NULL, NULL);

      assert_same_items (a, b);
      assert_same_items (a, c);
    }
  {
    g_autoptr(GPtrArray) a = tn_rec_model_similar (model1, "rust-night", NOW, 10);
    g_autoptr(GPtrArray) b = tn_rec_model_similar (model2, "rust-night", NOW, 10);

    assert_same_items (a, b);
  }
}

static void
test_new_member (void)
{
  g_autoptr(TnRecData) data = make_data ();
  g_autoptr(TnRecModel) model = make_model (data);
  const char * const music[] = { "music", NULL };
  TnRecQuery query;
  g_autoptr(GPtrArray) stranger = NULL;
  g_autoptr(GPtrArray) newbie = NULL;
  TnRecItem *item;

  /* unknown to the model: a place and interests from the query */
  tn_rec_query_init (&query);
  query.user_id = "stranger";
  query.now = NOW;
  query.limit = 100;
  query.has_near = TRUE;
  query.near_lat = 52.5305;
  query.near_lon = 13.4105;
  query.interests = music;
  stranger = tn_rec_model_recommend (model, &query);
  g_assert_cmpuint (stranger->len, >, 0);
  assert_allowed (data, NULL, stranger, NULL);
  assert_reasons_true (data, NULL, stranger);
  item = find_item (stranger, "music-near");
  g_assert_true (has_reason (item, "In Music, one of your interests"));
  /* 65 m by the haversine formula, to the nearest 10 m */
  g_assert_true (has_reason (item, "70 m away"));
  g_assert_true (has_reason (find_item (stranger, "music-hot"), "Popular in Music this week"));
  /* the interests put music first */
  g_assert_cmpstr (((TnRecEvent *) data->events->pdata[((TnRecItem *) stranger->pdata[0])->event])->category,
                   ==, "Music");

  /* known, no answers: their home and chosen categories from the data */
  newbie = recommend (model, "newbie", NULL, NULL);
  g_assert_cmpuint (newbie->len, >, 0);
  g_assert_true (has_reason (find_item (newbie, "music-near"), "In Music, one of your interests"));
  assert_reasons_true (data, "newbie", newbie);

  /* nobody, nowhere: trending still */
  {
    g_autoptr(GPtrArray) nobody = recommend (model, NULL, NULL, NULL);

    g_assert_cmpuint (nobody->len, >, 0);
    g_assert_cmpstr (((TnRecItem *) nobody->pdata[0])->event_id, ==, "music-hot");
  }
}

static void
test_category_filter (void)
{
  g_autoptr(TnRecData) data = make_data ();
  g_autoptr(TnRecModel) model = make_model (data);
  TnRecQuery query;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) none = NULL;

  tn_rec_query_init (&query);
  query.user_id = "me";
  query.now = NOW;
  query.limit = 100;
  query.category = "Music";
  items = tn_rec_model_recommend (model, &query);
  g_assert_cmpuint (items->len, >, 0);
  for (guint k = 0; k < items->len; k++)
    g_assert_cmpstr (((TnRecEvent *) data->events->pdata[((TnRecItem *) items->pdata[k])->event])->category,
                     ==, "Music");
  query.category = "Knitting";
  none = tn_rec_model_recommend (model, &query);
  g_assert_cmpuint (none->len, ==, 0);
}

static void
test_similar (void)
{
  g_autoptr(TnRecData) data = make_data ();
  g_autoptr(TnRecModel) model = make_model (data);
  g_autoptr(GPtrArray) items = tn_rec_model_similar (model, "rust-meetup", NOW, 10);
  g_autoptr(GPtrArray) night = tn_rec_model_similar (model, "rust-night", NOW, 10);
  g_autoptr(GPtrArray) unknown = tn_rec_model_similar (model, "no-such-event", NOW, 10);

  g_assert_null (find_item (items, "rust-meetup"));
  g_assert_null (find_item (night, "rust-night"));
  assert_allowed (data, NULL, items, NULL);
  assert_allowed (data, NULL, night, NULL);
  /* the rust events that may be shown, not the private, cancelled or past */
  g_assert_nonnull (find_item (items, "rust-going"));
  g_assert_true (has_reason (find_item (items, "rust-going"), "Also tagged rust"));
  g_assert_cmpstr (((TnRecItem *) night->pdata[0])->event_id, ==, "rust-meetup");
  g_assert_true (has_reason (night->pdata[0], "2 people signed up for both"));
  g_assert_cmpuint (unknown->len, ==, 0);
}

static void
test_trending (void)
{
  g_autoptr(TnRecData) data = make_data ();
  g_autoptr(TnRecModel) model = make_model (data);
  g_autoptr(GPtrArray) music = tn_rec_model_trending (model, "Music", NOW, 10);
  g_autoptr(GPtrArray) all = tn_rec_model_trending (model, NULL, NOW, 3);
  g_autoptr(GPtrArray) none = tn_rec_model_trending (model, "Knitting", NOW, 10);

  g_assert_cmpuint (music->len, ==, 4);
  for (guint k = 0; k < music->len; k++)
    {
      TnRecItem *item = music->pdata[k];

      g_assert_cmpstr (((TnRecEvent *) data->events->pdata[item->event])->category, ==, "Music");
      if (k > 0)
        g_assert_cmpfloat (((TnRecItem *) music->pdata[k - 1])->score, >=, item->score);
    }
  g_assert_cmpstr (((TnRecItem *) music->pdata[0])->event_id, ==, "music-hot");
  g_assert_true (has_reason (music->pdata[0], "Popular in Music this week"));
  g_assert_cmpuint (all->len, ==, 3);
  g_assert_cmpstr (((TnRecItem *) all->pdata[0])->event_id, ==, "music-hot");
  assert_allowed (data, NULL, music, NULL);
  g_assert_cmpuint (none->len, ==, 0);

  /* Music has the RSVPs of the last days; Tech's upcoming events fewer; Art one old */
  {
    g_auto(GStrv) categories = tn_rec_model_trending_categories (model, 0);
    g_auto(GStrv) first = tn_rec_model_trending_categories (model, 1);

    g_assert_cmpuint (g_strv_length (categories), ==, 3);
    g_assert_cmpstr (categories[0], ==, "Music");
    g_assert_cmpstr (categories[1], ==, "Tech");
    g_assert_cmpstr (categories[2], ==, "Art");
    g_assert_cmpuint (g_strv_length (first), ==, 1);
  }
}

static gpointer
build_thread (gpointer user_data)
{
  return make_model (user_data);
}

static void
test_shared (void)
{
  g_autoptr(TnRecData) data = make_data ();
  GThread *thread = g_thread_new ("build", build_thread, data);
  TnRecModel *model = g_thread_join (thread);
  TnRecModel *held = tn_rec_model_ref (model);
  g_autoptr(GPtrArray) items = NULL;

  /* a request keeps its reference while the server drops the model */
  tn_rec_model_unref (model);
  items = recommend (held, "me", NULL, NULL);
  g_assert_cmpuint (items->len, >, 0);
  g_assert_cmpuint (tn_rec_model_get_memory_bytes (held), >, 1000);
  g_assert_cmpint (tn_rec_model_get_built_at (held), ==, NOW);
  g_assert_cmpint (tn_rec_model_find_event (held, "rust-night"), ==, 0);
  g_assert_cmpint (tn_rec_model_find_event (held, "nope"), ==, -1);
  tn_rec_model_unref (held);
}

typedef struct
{
  TnRecModelSlot *slot;
  gint            stop;
  gint            served;
} Reader;

static gpointer
reader_thread (gpointer user_data)
{
  Reader *reader = user_data;

  while (!g_atomic_int_get (&reader->stop))
    {
      g_autoptr(TnRecModel) model = tn_rec_model_slot_get (reader->slot);
      g_autoptr(GPtrArray) items = NULL;

      g_assert_nonnull (model);
      items = recommend (model, "me", NULL, NULL);
      g_assert_nonnull (find_item (items, "jazz-evening"));
      g_atomic_int_inc (&reader->served);
    }
  return NULL;
}

/* requests in another thread while the model is swapped under them */
static void
test_slot (void)
{
  g_autoptr(TnRecData) data = make_data ();
  TnRecModelSlot slot;
  Reader reader = { &slot, 0, 0 };
  GThread *thread;

  tn_rec_model_slot_init (&slot);
  g_assert_null (tn_rec_model_slot_get (&slot));
  {
    g_autoptr(TnRecModel) first = make_model (data);

    tn_rec_model_slot_set (&slot, first);
  }
  thread = g_thread_new ("reader", reader_thread, &reader);
  for (guint k = 0; k < 20; k++)
    {
      g_autoptr(TnRecModel) next = make_model (data);

      tn_rec_model_slot_set (&slot, next);
    }
  while (g_atomic_int_get (&reader.served) == 0)
    g_usleep (1000);
  g_atomic_int_set (&reader.stop, 1);
  g_thread_join (thread);
  tn_rec_model_slot_clear (&slot);
}

/* a loader that fills the arrays itself: NULL strings and indices out of
 * range are ignored, not followed */
static void
test_hand_filled (void)
{
  g_autoptr(TnRecData) data = make_data ();
  g_autoptr(TnRecModel) model = NULL;
  g_autoptr(GPtrArray) items = NULL;
  TnRecEvent *bare = g_new0 (TnRecEvent, 1);
  TnRecRsvp bad = { 9999, 0, NOW - DAY, TN_REC_GOING, 0 };
  TnRecRsvp bad_event = { 0, 9999, NOW - DAY, TN_REC_GOING, 0 };
  TnRecFollow bad_follow = { 0, 9999 };

  bare->id = g_strdup ("bare");
  bare->lat = bare->lon = NAN;
  bare->starts_at = NOW + DAY;
  bare->listed = TRUE;
  g_ptr_array_add (data->events, bare);
  g_hash_table_insert (data->event_index, bare->id, GUINT_TO_POINTER (data->events->len));
  g_array_append_val (data->rsvps, bad);
  g_array_append_val (data->rsvps, bad_event);
  g_array_append_val (data->follows, bad_follow);
  model = make_model (data);
  items = recommend (model, "me", NULL, NULL);
  g_assert_true (has_reason (find_item (items, "jazz-evening"), "3 people you follow are going"));
  assert_allowed (data, "me", items, NULL);
}

static void
test_empty (void)
{
  g_autoptr(TnRecData) data = tn_rec_data_new ();
  g_autoptr(TnRecModel) model = tn_rec_model_build (data, NULL, NOW);
  g_autoptr(GPtrArray) items = recommend (model, "anyone", NULL, NULL);
  g_autoptr(GPtrArray) trending = tn_rec_model_trending (model, NULL, NOW, 10);

  g_assert_cmpuint (items->len, ==, 0);
  g_assert_cmpuint (trending->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/server/recommender/reasons/friends", test_friends_reason);
  g_test_add_func ("/server/recommender/reasons/content", test_content_reason);
  g_test_add_func ("/server/recommender/reasons/distance", test_distance_reason);
  g_test_add_func ("/server/recommender/never", test_never);
  g_test_add_func ("/server/recommender/deterministic", test_deterministic);
  g_test_add_func ("/server/recommender/many-events", test_many_events);
  g_test_add_func ("/server/recommender/new-member", test_new_member);
  g_test_add_func ("/server/recommender/category", test_category_filter);
  g_test_add_func ("/server/recommender/similar", test_similar);
  g_test_add_func ("/server/recommender/trending", test_trending);
  g_test_add_func ("/server/recommender/shared", test_shared);
  g_test_add_func ("/server/recommender/slot", test_slot);
  g_test_add_func ("/server/recommender/hand-filled", test_hand_filled);
  g_test_add_func ("/server/recommender/empty", test_empty);
  return g_test_run ();
}
