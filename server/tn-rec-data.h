/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the recommender's model is built from: a snapshot of a community
 * read from the store (tn_store_load_rec_data()), or generated / loaded
 * from CSV by the evaluation harness. Users and events are kept in
 * arrays and named by their index there; the string ids are interned
 * once. Nothing here is tied to a database. */

/**
 * TnRecAnswer:
 * An RSVP's answer, as the attendees table has it.
 */
typedef enum
{
  TN_REC_GOING,
  TN_REC_WAITLISTED,
  TN_REC_INTERESTED,
  TN_REC_MAYBE,
  TN_REC_NOT_GOING,
} TnRecAnswer;

/**
 * TnRecEvent:
 * @id: the event's id
 * @category: its category ("" for none)
 * @tags: (array zero-terminated=1): its tags, never %NULL
 * @title: its title
 * @description: its description ("" for none)
 * @lat: latitude, or NAN when it has no place
 * @lon: longitude, or NAN
 * @starts_at: Unix seconds
 * @ends_at: Unix seconds
 * @listed: public and scheduled: it may be recommended to anyone
 *   (private, unlisted and cancelled events are %FALSE)
 * @organizer: the organizer's user index, or -1 if not among the users
 */
typedef struct
{
  char    *id;
  char    *category;
  char   **tags;
  char    *title;
  char    *description;
  double   lat;
  double   lon;
  gint64   starts_at;
  gint64   ends_at;
  gboolean listed;
  gint     organizer;
} TnRecEvent;

/**
 * TnRecUser:
 * @id: the user's id
 * @home_lat: their home's latitude, or NAN when they gave none
 * @home_lon: longitude, or NAN
 * @interests: (array zero-terminated=1): category names they chose,
 *   never %NULL
 */
typedef struct
{
  char    *id;
  double   home_lat;
  double   home_lon;
  char   **interests;
} TnRecUser;

/**
 * TnRecRsvp:
 * @user: index in #TnRecData.users
 * @event: index in #TnRecData.events
 * @at: when the answer was first given (Unix seconds)
 * @answer: a #TnRecAnswer
 * @checked_in: a door let them in
 */
typedef struct
{
  guint32 user;
  guint32 event;
  gint64  at;
  guint8  answer;
  guint8  checked_in;
} TnRecRsvp;

/**
 * TnRecFollow:
 * @follower: user index of who follows
 * @followee: user index of whom
 */
typedef struct
{
  guint32 follower;
  guint32 followee;
} TnRecFollow;

typedef struct
{
  GPtrArray  *events;    /* TnRecEvent */
  GPtrArray  *users;     /* TnRecUser */
  GArray     *rsvps;     /* TnRecRsvp */
  GArray     *follows;   /* TnRecFollow */
  GHashTable *event_index;   /* id → index + 1 */
  GHashTable *user_index;    /* id → index + 1 */
} TnRecData;

TnRecData *tn_rec_data_new          (void);
void       tn_rec_data_free         (TnRecData          *data);
guint32    tn_rec_data_add_user     (TnRecData          *data,
                                     const char         *id,
                                     double              home_lat,
                                     double              home_lon,
                                     const char * const *interests);
guint32    tn_rec_data_add_event    (TnRecData          *data,
                                     const TnRecEvent   *event);
gint       tn_rec_data_find_user    (TnRecData          *data,
                                     const char         *id);
gint       tn_rec_data_find_event   (TnRecData          *data,
                                     const char         *id);
gboolean   tn_rec_data_add_rsvp     (TnRecData          *data,
                                     const char         *user_id,
                                     const char         *event_id,
                                     gint64              at,
                                     TnRecAnswer         answer,
                                     gboolean            checked_in);
gboolean   tn_rec_data_add_follow   (TnRecData          *data,
                                     const char         *follower_id,
                                     const char         *followee_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TnRecData, tn_rec_data_free)

G_END_DECLS
