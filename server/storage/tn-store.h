/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tn-attendee.h"
#include "tn-event.h"
#include "tn-user.h"

G_BEGIN_DECLS

#define TN_LIST_LIMIT_DEFAULT 50
#define TN_LIST_LIMIT_MAX     500

/**
 * TnEventQuery:
 * Filters of an event list. Strings are NULL when the filter is unset,
 * times 0. @viewer_id is the caller (NULL when anonymous); @viewer_sees_all
 * is set for admins, who see every event.
 */
typedef struct
{
  gint64      from;
  gint64      to;
  const char *fts_query;   /* already in FTS syntax: tn_store_fts_query() */
  const char *category;
  const char *tag;
  const char *status;
  guint       limit;
  gint64      after_starts_at;  /* keyset cursor; after_id NULL: first page */
  const char *after_id;
  const char *viewer_id;
  gboolean    viewer_sees_all;
  /* Places: with @near, only events with coordinates within @radius_km of
   * (@near_lat, @near_lon), by distance, then starts_at, then id; the
   * keyset cursor is then (@after_distance_km, @after_starts_at,
   * @after_id). @out_distances, if not NULL, is a GArray of double that
   * receives the distance in km of each event returned, in order. */
  gboolean    near;
  double      near_lat;
  double      near_lon;
  double      radius_km;
  double      after_distance_km;
  GArray     *out_distances;
} TnEventQuery;

/**
 * TnCategory:
 * A category of events, with the number of upcoming events a caller sees
 * in it (scheduled and not ended).
 */
typedef struct
{
  char   *slug;
  char   *name;
  char   *colour;   /* #rrggbb */
  char   *icon;     /* a freedesktop/Adwaita symbolic icon name */
  gint64  upcoming_events;
} TnCategory;

void tn_category_free (TnCategory *category);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TnCategory, tn_category_free)

#define TN_TYPE_STORE (tn_store_get_type ())
G_DECLARE_INTERFACE (TnStore, tn_store, TN, STORE, GObject)

/* Every call runs on the thread that opened the store and either does all
 * of its work in one transaction or none of it. Errors are TnError. */
struct _TnStoreInterface
{
  GTypeInterface parent_iface;

  gboolean    (*migrate)            (TnStore             *self,
                                     GError             **error);
  gboolean    (*ping)               (TnStore             *self,
                                     GError             **error);
  gboolean    (*backup)             (TnStore             *self,
                                     const char          *path,
                                     GError             **error);

  gint64      (*count_users)        (TnStore             *self,
                                     GError             **error);
  TnUser     *(*create_user)        (TnStore             *self,
                                     const char          *id,
                                     const char          *email,
                                     const char          *name,
                                     const char          *password_hash,
                                     TnRole               role,
                                     GError             **error);
  TnUser     *(*get_user)           (TnStore             *self,
                                     const char          *id,
                                     GError             **error);
  TnUser     *(*find_user_by_email) (TnStore             *self,
                                     const char          *email,
                                     char               **out_password_hash,
                                     GError             **error);
  GPtrArray  *(*list_users)         (TnStore             *self,
                                     guint                limit,
                                     const char          *after_email,
                                     GError             **error);

  gboolean    (*add_token)          (TnStore             *self,
                                     const char          *token_hash,
                                     const char          *user_id,
                                     gint64               expires_at,
                                     GError             **error);
  TnUser     *(*lookup_token)       (TnStore             *self,
                                     const char          *token_hash,
                                     gint64               now,
                                     GError             **error);
  gboolean    (*revoke_token)       (TnStore             *self,
                                     const char          *token_hash,
                                     GError             **error);

  TnEvent    *(*create_event)       (TnStore             *self,
                                     TnEvent             *event,
                                     GError             **error);
  TnEvent    *(*get_event)          (TnStore             *self,
                                     const char          *id,
                                     GError             **error);
  GPtrArray  *(*list_events)        (TnStore             *self,
                                     const TnEventQuery  *query,
                                     gboolean            *out_more,
                                     GError             **error);
  TnEvent    *(*update_event)       (TnStore             *self,
                                     TnEvent             *event,
                                     gint64               expected_version,
                                     GError             **error);
  gboolean    (*delete_event)       (TnStore             *self,
                                     const char          *id,
                                     gint64               expected_version,
                                     GError             **error);
  GPtrArray  *(*list_categories)    (TnStore             *self,
                                     const char          *viewer_id,
                                     gboolean             viewer_sees_all,
                                     gint64               now,
                                     GError             **error);

  TnAttendee *(*set_rsvp)           (TnStore             *self,
                                     const char          *event_id,
                                     TnUser              *user,
                                     TnRsvpStatus         wanted,
                                     gint64               now,
                                     GError             **error);
  TnAttendee *(*get_rsvp)           (TnStore             *self,
                                     const char          *event_id,
                                     const char          *user_id,
                                     GError             **error);
};

TnStore    *tn_store_open               (const char          *uri,
                                         GError             **error);
gboolean    tn_store_migrate            (TnStore             *self,
                                         GError             **error);
gboolean    tn_store_ping               (TnStore             *self,
                                         GError             **error);
gboolean    tn_store_backup             (TnStore             *self,
                                         const char          *path,
                                         GError             **error);
gint64      tn_store_count_users        (TnStore             *self,
                                         GError             **error);
TnUser     *tn_store_create_user        (TnStore             *self,
                                         const char          *id,
                                         const char          *email,
                                         const char          *name,
                                         const char          *password_hash,
                                         TnRole               role,
                                         GError             **error);
TnUser     *tn_store_get_user           (TnStore             *self,
                                         const char          *id,
                                         GError             **error);
TnUser     *tn_store_find_user_by_email (TnStore             *self,
                                         const char          *email,
                                         char               **out_password_hash,
                                         GError             **error);
GPtrArray  *tn_store_list_users         (TnStore             *self,
                                         guint                limit,
                                         const char          *after_email,
                                         GError             **error);
gboolean    tn_store_add_token          (TnStore             *self,
                                         const char          *token_hash,
                                         const char          *user_id,
                                         gint64               expires_at,
                                         GError             **error);
TnUser     *tn_store_lookup_token       (TnStore             *self,
                                         const char          *token_hash,
                                         gint64               now,
                                         GError             **error);
gboolean    tn_store_revoke_token       (TnStore             *self,
                                         const char          *token_hash,
                                         GError             **error);
TnEvent    *tn_store_create_event       (TnStore             *self,
                                         TnEvent             *event,
                                         GError             **error);
TnEvent    *tn_store_get_event          (TnStore             *self,
                                         const char          *id,
                                         GError             **error);
GPtrArray  *tn_store_list_events        (TnStore             *self,
                                         const TnEventQuery  *query,
                                         gboolean            *out_more,
                                         GError             **error);
TnEvent    *tn_store_update_event       (TnStore             *self,
                                         TnEvent             *event,
                                         gint64               expected_version,
                                         GError             **error);
gboolean    tn_store_delete_event       (TnStore             *self,
                                         const char          *id,
                                         gint64               expected_version,
                                         GError             **error);
GPtrArray  *tn_store_list_categories    (TnStore             *self,
                                         const char          *viewer_id,
                                         gboolean             viewer_sees_all,
                                         gint64               now,
                                         GError             **error);

TnAttendee *tn_store_set_rsvp            (TnStore             *self,
                                         const char          *event_id,
                                         TnUser              *user,
                                         TnRsvpStatus         wanted,
                                         gint64               now,
                                         GError             **error);
TnAttendee *tn_store_get_rsvp            (TnStore             *self,
                                         const char          *event_id,
                                         const char          *user_id,
                                         GError             **error);

char       *tn_store_fts_query          (const char          *text);

G_END_DECLS
