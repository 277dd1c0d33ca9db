/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tn-attendee.h"
#include "tn-event.h"
#include "tn-user.h"

G_BEGIN_DECLS

/**
 * TnEventFilter:
 * @from: only events ending at or after this time (0: no limit)
 * @to: only events starting before this time (0: no limit)
 * @q: (nullable): full-text query
 * @category: (nullable): only this category
 * @tag: (nullable): only events with this tag
 * @status: (nullable): `scheduled` or `cancelled`
 * @limit: page size (0: the server's default)
 * @cursor: (nullable): the `next_cursor` of the previous page
 */
typedef struct
{
  gint64      from;
  gint64      to;
  const char *q;
  const char *category;
  const char *tag;
  const char *status;
  guint       limit;
  const char *cursor;
} TnEventFilter;

/**
 * TnAuditFilter:
 * @event_id: (nullable): only records about this event
 * @actor_id: (nullable): only records of what this user did
 * @action: (nullable): only records of this action, such as `event.update`
 * @from: only records at or after this time (0: no limit)
 * @to: only records before this time (0: no limit)
 * @limit: page size (0: the server's default)
 * @cursor: (nullable): the `next_cursor` of the previous page
 */
typedef struct
{
  const char *event_id;
  const char *actor_id;
  const char *action;
  gint64      from;
  gint64      to;
  guint       limit;
  const char *cursor;
} TnAuditFilter;

/* The types below carry the client's prefix: the server's store has its
 * own TnCategory, TnEventPerson and TnAuditEntry. */

/**
 * TnClientCategory:
 * @slug: the category's stable key
 * @name: its name, the value of an event's `category`
 * @colour: `#rrggbb`
 * @icon: a symbolic icon name
 * @upcoming_events: scheduled, not yet ended events in it that the caller
 *   would see in the list
 */
typedef struct
{
  char  *slug;
  char  *name;
  char  *colour;
  char  *icon;
  guint  upcoming_events;
} TnClientCategory;

#define TN_TYPE_CLIENT_CATEGORY (tn_client_category_get_type ())
GType             tn_client_category_get_type (void) G_GNUC_CONST;
TnClientCategory *tn_client_category_copy     (const TnClientCategory *category);
void              tn_client_category_free     (TnClientCategory       *category);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TnClientCategory, tn_client_category_free)

/**
 * TnClientFollow:
 * @user_id: the other user of the follow
 * @name: their name
 * @friend: the two follow each other
 * @since: when the follow was made (Unix seconds)
 *
 * An entry of a follower or following list.
 */
typedef struct
{
  char     *user_id;
  char     *name;
  gboolean  friend;
  gint64    since;
} TnClientFollow;

#define TN_TYPE_CLIENT_FOLLOW (tn_client_follow_get_type ())
GType           tn_client_follow_get_type (void) G_GNUC_CONST;
TnClientFollow *tn_client_follow_copy     (const TnClientFollow *follow);
void            tn_client_follow_free     (TnClientFollow       *follow);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TnClientFollow, tn_client_follow_free)

/**
 * TnClientPersonRole:
 * @TN_CLIENT_PERSON_ROLE_COHOST: edits and cancels the event, sees its
 *   attendees, manages staff and guests
 * @TN_CLIENT_PERSON_ROLE_STAFF: sees the attendees, for check-in
 * @TN_CLIENT_PERSON_ROLE_INVITED: may see a private event
 *
 * A user's place on an event's team and guest list.
 */
typedef enum
{
  TN_CLIENT_PERSON_ROLE_COHOST,
  TN_CLIENT_PERSON_ROLE_STAFF,
  TN_CLIENT_PERSON_ROLE_INVITED,
} TnClientPersonRole;

/**
 * TnClientPerson:
 * @user_id: the user
 * @name: the user's name
 * @email: the user's e-mail address
 * @role: the user's role at the event
 */
typedef struct
{
  char               *user_id;
  char               *name;
  char               *email;
  TnClientPersonRole  role;
} TnClientPerson;

#define TN_TYPE_CLIENT_PERSON (tn_client_person_get_type ())
GType           tn_client_person_get_type (void) G_GNUC_CONST;
TnClientPerson *tn_client_person_copy     (const TnClientPerson *person);
void            tn_client_person_free     (TnClientPerson       *person);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TnClientPerson, tn_client_person_free)

/**
 * TnClientAuditEntry:
 * @seq: increasing number of the record
 * @at: when, in Unix seconds
 * @actor_id: (nullable): who
 * @actor_email: (nullable): their e-mail address
 * @action: what, such as `event.update`
 * @target_type: `user`, `event` or `attendee`
 * @target_id: (nullable): to what
 * @event_id: (nullable): the event it belongs to
 * @details: what changed; for updates each field as `{"old": …, "new": …}`
 */
typedef struct
{
  gint64      seq;
  gint64      at;
  char       *actor_id;
  char       *actor_email;
  char       *action;
  char       *target_type;
  char       *target_id;
  char       *event_id;
  JsonObject *details;
} TnClientAuditEntry;

#define TN_TYPE_CLIENT_AUDIT_ENTRY (tn_client_audit_entry_get_type ())
GType               tn_client_audit_entry_get_type (void) G_GNUC_CONST;
TnClientAuditEntry *tn_client_audit_entry_copy     (const TnClientAuditEntry *entry);
void                tn_client_audit_entry_free     (TnClientAuditEntry       *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TnClientAuditEntry, tn_client_audit_entry_free)

/**
 * TnClientImportOutcome:
 * @TN_CLIENT_IMPORT_CREATED: added, going with a ticket or with the
 *   status asked for
 * @TN_CLIENT_IMPORT_WAITLISTED: added, on the waitlist
 * @TN_CLIENT_IMPORT_UPDATED: an attendee with this e-mail address had
 *   another name, ticket type or note
 * @TN_CLIENT_IMPORT_UNCHANGED: nothing to change
 * @TN_CLIENT_IMPORT_ERROR: the row is wrong; see its @error
 */
typedef enum
{
  TN_CLIENT_IMPORT_CREATED,
  TN_CLIENT_IMPORT_WAITLISTED,
  TN_CLIENT_IMPORT_UPDATED,
  TN_CLIENT_IMPORT_UNCHANGED,
  TN_CLIENT_IMPORT_ERROR,
} TnClientImportOutcome;

/**
 * TnClientImportRow:
 * @line: the line of the file the row starts on (the header is line 1)
 * @email: the row's e-mail address, as given (may be empty)
 * @outcome: what became of the row
 * @error: (nullable): what is wrong with it, for %TN_CLIENT_IMPORT_ERROR
 */
typedef struct
{
  guint                  line;
  char                  *email;
  TnClientImportOutcome  outcome;
  char                  *error;
} TnClientImportRow;

#define TN_TYPE_CLIENT_IMPORT_ROW (tn_client_import_row_get_type ())
GType              tn_client_import_row_get_type (void) G_GNUC_CONST;
TnClientImportRow *tn_client_import_row_copy     (const TnClientImportRow *row);
void               tn_client_import_row_free     (TnClientImportRow       *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TnClientImportRow, tn_client_import_row_free)

/**
 * TnClientImportReport:
 * @rows: (element-type TnClientImportRow): after a stored import every row
 *   in file order; after a refused one only the rows in error
 * @created: rows added
 * @waitlisted: rows added to the waitlist
 * @updated: rows that changed an attendee
 * @unchanged: rows that changed nothing
 * @errors: rows in error (0 when the import was stored)
 * @header_error: (nullable): what is wrong with the header row
 */
typedef struct
{
  GPtrArray *rows;
  guint      created;
  guint      waitlisted;
  guint      updated;
  guint      unchanged;
  guint      errors;
  char      *header_error;
} TnClientImportReport;

#define TN_TYPE_CLIENT_IMPORT_REPORT (tn_client_import_report_get_type ())
GType                 tn_client_import_report_get_type (void) G_GNUC_CONST;
TnClientImportReport *tn_client_import_report_copy     (const TnClientImportReport *report);
void                  tn_client_import_report_free     (TnClientImportReport       *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TnClientImportReport, tn_client_import_report_free)

#define TN_TYPE_CLIENT (tn_client_get_type ())
G_DECLARE_FINAL_TYPE (TnClient, tn_client, TN, CLIENT, GObject)

TnClient   *tn_client_new                (const char           *base_url);
const char *tn_client_get_base_url       (TnClient             *self);
const char *tn_client_get_token          (TnClient             *self);
void        tn_client_set_token          (TnClient             *self,
                                          const char           *token);
void        tn_client_set_timeout        (TnClient             *self,
                                          guint                 seconds);

void        tn_client_login_async        (TnClient             *self,
                                          const char           *email,
                                          const char           *password,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
TnUser     *tn_client_login_finish       (TnClient             *self,
                                          GAsyncResult         *result,
                                          GError              **error);
void        tn_client_logout_async       (TnClient             *self,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean    tn_client_logout_finish      (TnClient             *self,
                                          GAsyncResult         *result,
                                          GError              **error);
void        tn_client_me_async           (TnClient             *self,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
TnUser     *tn_client_me_finish          (TnClient             *self,
                                          GAsyncResult         *result,
                                          GError              **error);
void        tn_client_list_events_async  (TnClient             *self,
                                          const TnEventFilter  *filter,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
GPtrArray  *tn_client_list_events_finish (TnClient             *self,
                                          GAsyncResult         *result,
                                          char                **next_cursor,
                                          GError              **error);
void        tn_client_get_event_async    (TnClient             *self,
                                          const char           *id,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
void        tn_client_create_event_async (TnClient             *self,
                                          TnEvent              *event,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
void        tn_client_update_event_async (TnClient             *self,
                                          TnEvent              *event,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
void        tn_client_cancel_event_async (TnClient             *self,
                                          const char           *id,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
void        tn_client_cancel_event_at_version_async
                                         (TnClient             *self,
                                          const char           *id,
                                          gint64                version,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
TnEvent    *tn_client_event_finish       (TnClient             *self,
                                          GAsyncResult         *result,
                                          GError              **error);
void        tn_client_delete_event_async (TnClient             *self,
                                          const char           *id,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
void        tn_client_delete_event_at_version_async
                                         (TnClient             *self,
                                          const char           *id,
                                          gint64                version,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean    tn_client_delete_event_finish(TnClient             *self,
                                          GAsyncResult         *result,
                                          GError              **error);
void        tn_client_get_rsvp_async     (TnClient             *self,
                                          const char           *event_id,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
void        tn_client_set_rsvp_async     (TnClient             *self,
                                          const char           *event_id,
                                          TnRsvpStatus          status,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
TnAttendee *tn_client_attendee_finish    (TnClient             *self,
                                          GAsyncResult         *result,
                                          GError              **error);

void        tn_client_list_attendees_async  (TnClient            *self,
                                             const char          *event_id,
                                             const char          *status,
                                             const char          *q,
                                             guint                limit,
                                             const char          *cursor,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
GPtrArray  *tn_client_list_attendees_finish (TnClient            *self,
                                             GAsyncResult        *result,
                                             char               **next_cursor,
                                             GError             **error);
void        tn_client_add_guest_async       (TnClient            *self,
                                             const char          *event_id,
                                             const char          *name,
                                             const char          *email,
                                             const char          *ticket_type,
                                             const char          *note,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
void        tn_client_change_ticket_async   (TnClient            *self,
                                             const char          *event_id,
                                             const char          *attendee_id,
                                             gboolean             reissue,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
void        tn_client_import_attendees_async  (TnClient               *self,
                                               const char             *event_id,
                                               GBytes                 *csv,
                                               GCancellable           *cancellable,
                                               GAsyncReadyCallback     callback,
                                               gpointer                user_data);
gboolean    tn_client_import_attendees_finish (TnClient               *self,
                                               GAsyncResult           *result,
                                               TnClientImportReport  **out_report,
                                               GError                **error);
void        tn_client_export_attendees_async  (TnClient               *self,
                                               const char             *event_id,
                                               GCancellable           *cancellable,
                                               GAsyncReadyCallback     callback,
                                               gpointer                user_data);
GBytes     *tn_client_export_attendees_finish (TnClient               *self,
                                               GAsyncResult           *result,
                                               GError                **error);

void            tn_client_list_categories_async  (TnClient             *self,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
GPtrArray      *tn_client_list_categories_finish (TnClient             *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

void            tn_client_list_people_async      (TnClient             *self,
                                                  const char           *event_id,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
GPtrArray      *tn_client_list_people_finish     (TnClient             *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
void            tn_client_set_person_async       (TnClient             *self,
                                                  const char           *event_id,
                                                  const char           *user_id,
                                                  TnClientPersonRole    role,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
TnClientPerson *tn_client_set_person_finish      (TnClient             *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
void            tn_client_remove_person_async    (TnClient             *self,
                                                  const char           *event_id,
                                                  const char           *user_id,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean        tn_client_remove_person_finish   (TnClient             *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

void            tn_client_list_audit_async       (TnClient             *self,
                                                  const TnAuditFilter  *filter,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
GPtrArray      *tn_client_list_audit_finish      (TnClient             *self,
                                                  GAsyncResult         *result,
                                                  char                **next_cursor,
                                                  GError              **error);

/* Door devices and check-in (docs/CHECKIN.md) */
void        tn_client_pair_device_async    (TnClient             *self,
                                            const char           *pairing_code,
                                            const char           *name,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
JsonObject *tn_client_pair_device_finish   (TnClient             *self,
                                            GAsyncResult         *result,
                                            GError              **error);
void        tn_client_post_checkins_async  (TnClient             *self,
                                            JsonArray            *scans,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
JsonArray  *tn_client_post_checkins_finish (TnClient             *self,
                                            GAsyncResult         *result,
                                            GError              **error);
void        tn_client_sync_async           (TnClient             *self,
                                            const char           *event_id,
                                            const char           *since,
                                            guint                 limit,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
JsonObject *tn_client_sync_finish          (TnClient             *self,
                                            GAsyncResult         *result,
                                            GError              **error);

/* Door devices, for the organizer's side, and undoing a scan. */
void        tn_client_create_pairing_code_async  (TnClient             *self,
                                                  const char           *event_id,
                                                  const char           *role,
                                                  const char           *name,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
JsonObject *tn_client_create_pairing_code_finish (TnClient             *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
void        tn_client_list_devices_async         (TnClient             *self,
                                                  const char           *event_id,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
JsonObject *tn_client_list_devices_finish        (TnClient             *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
void        tn_client_rename_device_async        (TnClient             *self,
                                                  const char           *device_id,
                                                  const char           *name,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
JsonObject *tn_client_rename_device_finish       (TnClient             *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
void        tn_client_revoke_device_async        (TnClient             *self,
                                                  const char           *device_id,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean    tn_client_revoke_device_finish       (TnClient             *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
void        tn_client_undo_checkin_async         (TnClient             *self,
                                                  const char           *scan_id,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean    tn_client_undo_checkin_finish        (TnClient             *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

void            tn_client_follow_async           (TnClient             *self,
                                                  const char           *user_id,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
TnClientFollow *tn_client_follow_finish          (TnClient             *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
void            tn_client_unfollow_async         (TnClient             *self,
                                                  const char           *user_id,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean        tn_client_unfollow_finish        (TnClient             *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
void            tn_client_list_followers_async   (TnClient             *self,
                                                  const char           *user_id,
                                                  guint                 limit,
                                                  const char           *cursor,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
void            tn_client_list_following_async   (TnClient             *self,
                                                  const char           *user_id,
                                                  guint                 limit,
                                                  const char           *cursor,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
GPtrArray      *tn_client_list_follows_finish    (TnClient             *self,
                                                  GAsyncResult         *result,
                                                  char                **next_cursor,
                                                  GError              **error);
void            tn_client_update_profile_async   (TnClient             *self,
                                                  gboolean              set_home,
                                                  double                home_lat,
                                                  double                home_lon,
                                                  const char * const   *interests,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
TnUser         *tn_client_update_profile_finish  (TnClient             *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

/**
 * TnClientRecommendation:
 * @event: the event
 * @score: how well it fits (higher first; comparable within one answer)
 * @reasons: (array zero-terminated=1): why, in English sentences from the
 *   server, the strongest first
 */
typedef struct
{
  TnEvent  *event;
  double    score;
  char    **reasons;
} TnClientRecommendation;

#define TN_TYPE_CLIENT_RECOMMENDATION (tn_client_recommendation_get_type ())
GType                   tn_client_recommendation_get_type (void) G_GNUC_CONST;
TnClientRecommendation *tn_client_recommendation_copy     (const TnClientRecommendation *item);
void                    tn_client_recommendation_free     (TnClientRecommendation       *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TnClientRecommendation, tn_client_recommendation_free)

void            tn_client_recommendations_async  (TnClient             *self,
                                                  guint                 limit,
                                                  gboolean              near,
                                                  double                near_lat,
                                                  double                near_lon,
                                                  const char           *category,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
void            tn_client_similar_events_async   (TnClient             *self,
                                                  const char           *event_id,
                                                  guint                 limit,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
void            tn_client_trending_async         (TnClient             *self,
                                                  const char           *category,
                                                  guint                 limit,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
GPtrArray      *tn_client_recommendations_finish (TnClient             *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

G_END_DECLS
