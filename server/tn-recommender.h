/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tn-rec-data.h"

G_BEGIN_DECLS

/* The recommender's model: built once from a TnRecData snapshot (in a
 * worker thread if you like), then read-only. It is reference counted
 * atomically, so a server can build a new one and swap it in while
 * requests keep using the old one until they drop their reference.
 * Nothing here touches a database or the network. */

typedef struct _TnRecModel TnRecModel;

/**
 * TnRecComponent:
 * The parts of the hybrid, each scored in [0, 1] before the blend.
 */
typedef enum
{
  TN_REC_COATTEND,   /* people who went to what you went to also go to… */
  TN_REC_CONTENT,    /* category, tags and words like yours (and your interests) */
  TN_REC_FRIENDS,    /* people you follow are going */
  TN_REC_TRENDING,   /* time-decayed RSVPs */
  TN_REC_DISTANCE,   /* near your home or the query's place */
  TN_REC_N_COMPONENTS
} TnRecComponent;

/**
 * TnRecParams:
 * @half_life_days: trending: an RSVP's weight halves every this many days
 * @neighbours: co-attendance neighbours kept per event
 * @terms_per_event: content terms kept per event (the heaviest, at most 1,000)
 * @max_term_share: words in more than this share of events are dropped
 * @max_user_events: the most recent events per user used for
 *   co-attendance and for a user's profile
 * @n_threads: build threads, 0 for one per processor
 */
typedef struct
{
  double half_life_days;
  guint  neighbours;
  guint  terms_per_event;
  double max_term_share;
  guint  max_user_events;
  guint  n_threads;
} TnRecParams;

/**
 * TnRecQuery:
 * @user_id: the caller; %NULL or unknown to the model means a new member
 * @now: Unix seconds; only events starting after it are recommended
 * @has_near: use @near_lat/@near_lon instead of the user's home
 * @limit: how many items at most (0: 10)
 * @exclude: (nullable): a set of event ids (char * keys) the caller has
 *   answered since the model was built; those the model knows of are
 *   excluded anyway
 * @category: (nullable): only events of this category
 * @interests: (nullable): categories to use as the user's interests
 *   (in addition to those the model knows), for members newer than it
 * @weights: the blend; a component with weight 0 is neither gathered
 *   nor scored
 */
typedef struct
{
  const char         *user_id;
  gint64              now;
  gboolean            has_near;
  double              near_lat;
  double              near_lon;
  guint               limit;
  GHashTable         *exclude;
  const char         *category;
  const char * const *interests;
  double              weights[TN_REC_N_COMPONENTS];
} TnRecQuery;

/**
 * TnRecItem:
 * @event: the event's index in the #TnRecData the model was built from
 * @event_id: its id
 * @score: the blended score (higher first)
 * @components: each component's score in [0, 1], before weights
 * @reasons: (array zero-terminated=1): why, as English sentences, the
 *   strongest first; never %NULL
 */
typedef struct
{
  guint32  event;
  char    *event_id;
  double   score;
  double   components[TN_REC_N_COMPONENTS];
  char   **reasons;
} TnRecItem;

void        tn_rec_params_init            (TnRecParams       *params);
void        tn_rec_query_init             (TnRecQuery        *query);
const char *tn_rec_component_name         (TnRecComponent     component);

TnRecModel *tn_rec_model_build            (TnRecData         *data,
                                           const TnRecParams *params,
                                           gint64             now);
TnRecModel *tn_rec_model_ref              (TnRecModel        *model);
void        tn_rec_model_unref            (TnRecModel        *model);

gint64      tn_rec_model_get_built_at     (TnRecModel        *model);
gsize       tn_rec_model_get_memory_bytes (TnRecModel        *model);
double      tn_rec_model_get_build_seconds (TnRecModel       *model);
guint       tn_rec_model_get_n_events     (TnRecModel        *model);
gint        tn_rec_model_find_event       (TnRecModel        *model,
                                           const char        *event_id);

GPtrArray  *tn_rec_model_recommend        (TnRecModel        *model,
                                           const TnRecQuery  *query);
GPtrArray  *tn_rec_model_similar          (TnRecModel        *model,
                                           const char        *event_id,
                                           gint64             now,
                                           guint              limit);
GPtrArray  *tn_rec_model_trending         (TnRecModel        *model,
                                           const char        *category,
                                           gint64             now,
                                           guint              limit);
char      **tn_rec_model_trending_categories (TnRecModel      *model,
                                           guint              limit);

void        tn_rec_item_free              (TnRecItem         *item);

/**
 * TnRecModelSlot:
 * Where a server keeps its current model: requests take a reference
 * with tn_rec_model_slot_get(), a rebuild puts the new model in with
 * tn_rec_model_slot_set(); neither waits for more than a pointer swap.
 */
typedef struct
{
  /*< private >*/
  GMutex      lock;
  TnRecModel *model;
} TnRecModelSlot;

void        tn_rec_model_slot_init        (TnRecModelSlot    *slot);
void        tn_rec_model_slot_clear       (TnRecModelSlot    *slot);
TnRecModel *tn_rec_model_slot_get         (TnRecModelSlot    *slot);
void        tn_rec_model_slot_set         (TnRecModelSlot    *slot,
                                           TnRecModel        *model);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TnRecModel, tn_rec_model_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TnRecItem, tn_rec_item_free)

G_END_DECLS
