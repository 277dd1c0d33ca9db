/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tn-attendee.h"
#include "tn-event.h"
#include "tn-rec-data.h"
#include "tn-replica.h"   /* TnVerdict, shared with the doors' replicas */
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
  const char *search;      /* what a user typed: events with every word, each as a prefix,
                            * case and accents ignored; no words: no filter */
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
 * TnAttendeeQuery:
 * Filters of an event's attendee list, ordered by (created_at, id).
 * @search is a substring of the name or e-mail address, in any case
 * (NULL: all); @status applies when @has_status.
 */
typedef struct
{
  const char   *event_id;
  gboolean      has_status;
  TnRsvpStatus  status;
  const char   *search;
  guint         limit;
  gint64        after_created_at;  /* keyset cursor; after_id NULL: first page */
  const char   *after_id;
} TnAttendeeQuery;

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

/**
 * TnEventRole:
 * A user's relation to an event, strongest first when several hold: its
 * organizer; a co-host or assigned staff (the team); an invited guest; an
 * attendee (anyone with an RSVP). Who may see or change what is decided
 * in the routes, from this.
 */
typedef enum
{
  TN_EVENT_ROLE_NONE,
  TN_EVENT_ROLE_ATTENDEE,
  TN_EVENT_ROLE_INVITED,
  TN_EVENT_ROLE_STAFF,
  TN_EVENT_ROLE_COHOST,
  TN_EVENT_ROLE_ORGANIZER,
} TnEventRole;

const char *tn_event_role_to_string   (TnEventRole  role);
gboolean    tn_event_role_from_string (const char  *text,
                                       TnEventRole *out_role);

/**
 * TnEventPerson:
 * An entry of an event's team and guest list: a co-host, assigned staff
 * or an invited guest (@role is one of those three).
 */
typedef struct
{
  char        *user_id;
  char        *name;
  char        *email;
  TnEventRole  role;
} TnEventPerson;

void tn_event_person_free (TnEventPerson *person);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TnEventPerson, tn_event_person_free)

/**
 * TnAuditEntry:
 * One record of the audit log: who (@actor_id, @actor_email) did
 * @action (such as "event.update") to what (@target_type, @target_id,
 * and the event it belongs to, @event_id), when (@at, Unix seconds), and
 * @details, JSON object text of what changed (NULL: none). @seq and @at
 * are the store's: ignored when recording.
 */
typedef struct
{
  gint64  seq;
  gint64  at;
  char   *actor_id;
  char   *actor_email;
  char   *action;
  char   *target_type;
  char   *target_id;
  char   *event_id;
  char   *details;
} TnAuditEntry;

TnAuditEntry *tn_audit_entry_copy (const TnAuditEntry *entry);
void          tn_audit_entry_free (TnAuditEntry       *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TnAuditEntry, tn_audit_entry_free)

/**
 * TnEventStats:
 * An event's figures for its dashboard: its capacity (-1: none), the
 * number of attendees in each RSVP status, the tickets let in at least
 * once (@checked_in) and those inside now (@inside: their last accepted,
 * not undone scan, by scanned_at, is an entry).
 */
typedef struct
{
  gint64 capacity;
  gint64 going;
  gint64 waitlisted;
  gint64 interested;
  gint64 maybe;
  gint64 not_going;
  gint64 checked_in;
  gint64 inside;
} TnEventStats;

/**
 * TnDoorStats:
 * One door's scans at an event (undone ones left out): @device is a
 * device id or a staff member's e-mail address, @name the device's name
 * (NULL for a person).
 */
typedef struct
{
  char   *device;
  char   *name;
  gint64  accepted;
  gint64  refused;
  gint64  last_scan_at;
} TnDoorStats;

void          tn_door_stats_free  (TnDoorStats        *door);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TnDoorStats, tn_door_stats_free)

#define TN_ARRIVAL_MINUTES 60

/**
 * TnAttendeeCheckin:
 * @checked_in_at: when the attendee was first let in (Unix seconds; 0:
 *   never), by a scan that counts (accepted, not undone)
 * @inside: whether their last scan that counts is `in`
 */
typedef struct
{
  gint64   checked_in_at;
  gboolean inside;
} TnAttendeeCheckin;

/**
 * TnAuditQuery:
 * Filters of the audit log, newest first. Strings are NULL and times 0
 * when unset; @from is inclusive, @to exclusive; @before_seq (0: first
 * page) is the keyset cursor.
 */
typedef struct
{
  const char *event_id;
  const char *actor_id;
  const char *action;
  gint64      from;
  gint64      to;
  guint       limit;
  gint64      before_seq;
} TnAuditQuery;

/**
 * TnImportResult:
 * What tn_store_import_guests() did with one row: added it (going or
 * not), put it on the waitlist, changed the name, ticket type or note of
 * the attendee with its e-mail address, or found nothing to change.
 */
typedef enum
{
  TN_IMPORT_CREATED,
  TN_IMPORT_WAITLISTED,
  TN_IMPORT_UPDATED,
  TN_IMPORT_UNCHANGED,
} TnImportResult;

const char *tn_import_result_to_string (TnImportResult result);

/**
 * TnDeviceRole:
 * A door device's role: a steward only scans; a supervisor also undoes
 * scans.
 */
typedef enum
{
  TN_DEVICE_ROLE_STEWARD,
  TN_DEVICE_ROLE_SUPERVISOR,
} TnDeviceRole;

const char *tn_device_role_to_string   (TnDeviceRole  role);
gboolean    tn_device_role_from_string (const char   *text,
                                        TnDeviceRole *out_role);

/**
 * TnDevice:
 * A door device paired with one event (docs/CHECKIN.md). Times are Unix
 * seconds, 0 for never.
 */
typedef struct
{
  char         *id;
  char         *event_id;
  char         *name;
  TnDeviceRole  role;
  gint64        created_at;
  gint64        last_seen_at;
  gint64        revoked_at;
} TnDevice;

TnDevice *tn_device_copy (const TnDevice *device);
void      tn_device_free (TnDevice       *device);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TnDevice, tn_device_free)

/**
 * TnCheckin:
 * A scan made at a door. The caller fills the first group
 * (tn_store_record_checkins()); the store fills the rest: the verdict,
 * whether the door let in someone it should not have (@flagged), the
 * scan that let the ticket in for a duplicate (@previous_*), the
 * attendee the code belongs to, and the sync sequence number of its
 * last change. Times are Unix seconds, 0 for none.
 */
typedef struct
{
  char      *id;
  char      *event_id;
  char      *code;
  gboolean   out;               /* direction "out", else "in" */
  gint64     scanned_at;
  char      *device;
  gboolean   has_local_verdict;
  TnVerdict  local_verdict;

  TnVerdict  verdict;
  gboolean   flagged;
  gint64     received_at;
  gint64     undone_at;
  char      *attendee_id;
  gint64     previous_scanned_at;
  char      *previous_device;
  gint64     seq;
} TnCheckin;

void tn_checkin_free (TnCheckin *checkin);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TnCheckin, tn_checkin_free)

/**
 * TnSyncChange:
 * One change of an event's sync data, at server sequence number @seq:
 * an attendee's new state (@attendee, its signed ticket unset), a
 * revoked ticket code (@code) or a scan (@checkin).
 */
typedef enum
{
  TN_SYNC_ATTENDEE,
  TN_SYNC_REVOKED,
  TN_SYNC_CHECKIN,
} TnSyncType;

typedef struct
{
  gint64      seq;
  TnSyncType  type;
  TnAttendee *attendee;
  char       *code;
  TnCheckin  *checkin;
} TnSyncChange;

void tn_sync_change_free (TnSyncChange *change);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TnSyncChange, tn_sync_change_free)

/**
 * TnFollow:
 * An entry of a follower or following list: the other user (@user_id,
 * @name), when the follow was made (@since, Unix seconds), and whether
 * the two follow each other (@friend).
 */
typedef struct
{
  char     *user_id;
  char     *name;
  gint64    since;
  gboolean  friend;
} TnFollow;

void tn_follow_free (TnFollow *follow);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TnFollow, tn_follow_free)

/**
 * TnFollowQuery:
 * Who follows @user_id (@followers), or whom @user_id follows, ordered
 * by (since, user_id); (@after_since, @after_id) is the keyset cursor
 * (@after_id NULL: first page).
 */
typedef struct
{
  const char *user_id;
  gboolean    followers;
  guint       limit;
  gint64      after_since;
  const char *after_id;
} TnFollowQuery;

#define TN_SYNC_LIMIT_DEFAULT 1000
#define TN_SYNC_LIMIT_MAX     5000

#define TN_TYPE_STORE (tn_store_get_type ())
G_DECLARE_INTERFACE (TnStore, tn_store, TN, STORE, GObject)

/* Every call runs on the thread that opened the store and either does all
 * of its work in one transaction or none of it. Errors are TnError. */
/* A message from another server on the same database (tn_store_listen()). */
typedef void (*TnStoreMessageFunc) (const char *message,
                                    gpointer    user_data);

/* The most a broadcast message may hold, in bytes (PostgreSQL's NOTIFY
 * payload is under 8,000 bytes, with the sender's id). */
#define TN_STORE_MESSAGE_MAX 7800

/* A value of a row copied between stores (tn_store_copy()). */
typedef enum
{
  TN_STORE_VALUE_NULL,
  TN_STORE_VALUE_INT,
  TN_STORE_VALUE_REAL,
  TN_STORE_VALUE_TEXT,
  TN_STORE_VALUE_BLOB,
} TnStoreValueType;

typedef struct
{
  TnStoreValueType  type;
  gint64            integer;
  double            real;
  const char       *data;   /* TEXT (NUL-terminated) and BLOB */
  gsize             size;
} TnStoreValue;

/* One row of @table: @columns and @values, @n_columns of each. */
typedef gboolean (*TnStoreRowFunc) (const char          *table,
                                    guint                n_columns,
                                    const char * const  *columns,
                                    const TnStoreValue  *values,
                                    gpointer             user_data,
                                    GError             **error);

/* Connections (and threads of requests) of a networked database, unless
 * told otherwise (turnout-server --db-connections). */
#define TN_STORE_CONNECTIONS_DEFAULT 8

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
  /* Messages between the servers of one database (PostgreSQL's
   * NOTIFY): broadcast() reaches every other server's listen() function,
   * called on the main context that was thread-default at listen();
   * listen (NULL) stops. Both optional: one server has nobody to tell. */
  gboolean    (*broadcast)          (TnStore             *self,
                                     const char          *message,
                                     GError             **error);
  void        (*listen)             (TnStore             *self,
                                     TnStoreMessageFunc   func,
                                     gpointer             user_data);
  /* Copying a whole community to another backend (tn_store_copy()):
   * export_rows() gives every row of every table of
   * tn_store_copy_tables, in that order, from one snapshot, with the
   * ids, sequence numbers and counters as they are (checkins' arrival
   * order as a column "arrival"); an importer takes them into an empty
   * database in one transaction, keeping them as given. Optional. */
  gboolean    (*export_rows)        (TnStore             *self,
                                     TnStoreRowFunc       func,
                                     gpointer             user_data,
                                     GError             **error);
  gboolean    (*begin_import)       (TnStore             *self,
                                     GError             **error);
  gboolean    (*import_row)         (TnStore             *self,
                                     const char          *table,
                                     guint                n_columns,
                                     const char * const  *columns,
                                     const TnStoreValue  *values,
                                     GError             **error);
  gboolean    (*end_import)         (TnStore             *self,
                                     gboolean             commit,
                                     GError             **error);
  /* 0: calls are quick and local, made from the main loop (SQLite);
   * N: they may wait on the network, and up to N threads may call at
   * once (PostgreSQL's pool). */
  guint       (*get_threads)        (TnStore             *self);

  /* Batches (group commit): between begin_batch() and commit_batch()
   * every change runs as a savepoint of one transaction, and nothing of
   * it is durable (or visible to other connections) before
   * commit_batch() returns TRUE. */
  gboolean    (*begin_batch)        (TnStore             *self,
                                     GError             **error);
  gboolean    (*commit_batch)       (TnStore             *self,
                                     GError             **error);
  gboolean    (*in_batch)           (TnStore             *self);

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

  GPtrArray  *(*list_attendees)     (TnStore                *self,
                                     const TnAttendeeQuery  *query,
                                     gboolean               *out_more,
                                     GError                **error);
  TnAttendee *(*get_attendee)       (TnStore             *self,
                                     const char          *event_id,
                                     const char          *attendee_id,
                                     GError             **error);
  TnAttendee *(*add_guest)          (TnStore             *self,
                                     TnAttendee          *guest,
                                     gint64               now,
                                     GError             **error);
  gboolean    (*import_guests)      (TnStore             *self,
                                     const char          *event_id,
                                     GPtrArray           *guests,
                                     gint64               now,
                                     TnImportResult      *out_results,
                                     guint               *out_failed,
                                     GError             **error);
  TnAttendee *(*update_attendee)    (TnStore             *self,
                                     const char          *event_id,
                                     const char          *attendee_id,
                                     const char          *ticket_type,
                                     const char          *note,
                                     gint64               now,
                                     GError             **error);
  TnAttendee *(*reissue_ticket)     (TnStore             *self,
                                     const char          *event_id,
                                     const char          *attendee_id,
                                     gint64               now,
                                     GError             **error);
  TnAttendee *(*revoke_ticket)      (TnStore             *self,
                                     const char          *event_id,
                                     const char          *attendee_id,
                                     gint64               now,
                                     GError             **error);
  TnAttendee *(*lookup_ticket)      (TnStore             *self,
                                     const char          *code,
                                     GError             **error);

  gboolean       (*get_event_role)     (TnStore             *self,
                                        const char          *event_id,
                                        const char          *user_id,
                                        TnEventRole         *out_role,
                                        GError             **error);
  GPtrArray     *(*list_event_people)  (TnStore             *self,
                                        const char          *event_id,
                                        GError             **error);
  TnEventPerson *(*set_event_person)   (TnStore             *self,
                                        const char          *event_id,
                                        const char          *user_id,
                                        TnEventRole          role,
                                        gint64               now,
                                        GError             **error);
  gboolean       (*remove_event_person) (TnStore            *self,
                                        const char          *event_id,
                                        const char          *user_id,
                                        GError             **error);

  GHashTable    *(*get_attendee_checkins) (TnStore         *self,
                                        const char          *event_id,
                                        const char * const  *attendee_ids,
                                        GError             **error);
  gboolean       (*get_door_stats)     (TnStore             *self,
                                        const char          *event_id,
                                        gint64               from,
                                        gint64               out_arrivals[TN_ARRIVAL_MINUTES],
                                        GPtrArray          **out_doors,
                                        GError             **error);
  gboolean       (*get_event_stats)    (TnStore             *self,
                                        const char          *event_id,
                                        TnEventStats        *out_stats,
                                        GError             **error);

  /* Audit: set_audit() keeps a copy of @entry (NULL: none) for the next
   * change the store makes, which records it in its own transaction (a
   * change that fails records nothing) and drops it either way. */
  void           (*set_audit)          (TnStore             *self,
                                        const TnAuditEntry  *entry);
  GPtrArray     *(*list_audit)         (TnStore             *self,
                                        const TnAuditQuery  *query,
                                        gboolean            *out_more,
                                        GError             **error);

  /* Door devices, signed tickets, check-in and sync (docs/CHECKIN.md).
   * Pairing codes and device tokens are given as hashes. */
  gboolean       (*add_pairing_code)   (TnStore             *self,
                                        const char          *code_hash,
                                        const char          *event_id,
                                        TnDeviceRole         role,
                                        const char          *name,
                                        gint64               expires_at,
                                        gint64               now,
                                        GError             **error);
  TnDevice      *(*pair_device)        (TnStore             *self,
                                        const char          *code_hash,
                                        const char          *device_id,
                                        const char          *name,
                                        const char          *token_hash,
                                        gint64               now,
                                        GError             **error);
  GPtrArray     *(*list_devices)       (TnStore             *self,
                                        const char          *event_id,
                                        GError             **error);
  TnDevice      *(*get_device)         (TnStore             *self,
                                        const char          *id,
                                        GError             **error);
  TnDevice      *(*lookup_device)      (TnStore             *self,
                                        const char          *token_hash,
                                        GError             **error);
  TnDevice      *(*rename_device)      (TnStore             *self,
                                        const char          *id,
                                        const char          *name,
                                        GError             **error);
  TnDevice      *(*revoke_device)      (TnStore             *self,
                                        const char          *id,
                                        gint64               now,
                                        GError             **error);
  gboolean       (*touch_device)       (TnStore             *self,
                                        const char          *id,
                                        gint64               now,
                                        GError             **error);
  gboolean       (*get_event_key)      (TnStore             *self,
                                        const char          *event_id,
                                        guint8               public_key[32],
                                        guint8               secret_key[64],
                                        GError             **error);
  gboolean       (*record_checkins)    (TnStore             *self,
                                        GPtrArray           *checkins,
                                        gint64               now,
                                        GError             **error);
  TnCheckin     *(*get_checkin)        (TnStore             *self,
                                        const char          *id,
                                        GError             **error);
  gboolean       (*undo_checkin)       (TnStore             *self,
                                        const char          *id,
                                        gint64               now,
                                        GError             **error);
  GPtrArray     *(*list_changes)       (TnStore             *self,
                                        const char          *event_id,
                                        gint64               since,
                                        guint                limit,
                                        gboolean            *out_more,
                                        GError             **error);

  /* Follows and members' recommendation profiles (issue 7). */
  TnFollow      *(*follow)             (TnStore             *self,
                                        const char          *follower_id,
                                        const char          *followee_id,
                                        gint64               now,
                                        GError             **error);
  gboolean       (*unfollow)           (TnStore             *self,
                                        const char          *follower_id,
                                        const char          *followee_id,
                                        GError             **error);
  GPtrArray     *(*list_follows)       (TnStore             *self,
                                        const TnFollowQuery *query,
                                        gboolean            *out_more,
                                        GError             **error);
  TnUser        *(*update_profile)     (TnStore             *self,
                                        const char          *user_id,
                                        gboolean             set_home,
                                        double               home_lat,
                                        double               home_lon,
                                        const char * const  *interests,
                                        GError             **error);

  /* The recommender's data. load_rec_data() is the one call that may run
   * on any thread, at the same time as others: it reads on a connection
   * of its own, and sees only committed data. */
  gboolean       (*load_rec_data)      (TnStore             *self,
                                        TnRecData           *data,
                                        GError             **error);
  GPtrArray     *(*list_user_answers)  (TnStore             *self,
                                        const char          *user_id,
                                        GError             **error);
};

TnStore    *tn_store_open               (const char          *uri,
                                         GError             **error);
TnStore    *tn_store_open_full          (const char          *uri,
                                         guint                connections,
                                         GError             **error);
char       *tn_store_uri_for_messages   (const char          *uri);
gboolean    tn_store_migrate            (TnStore             *self,
                                         GError             **error);
gboolean    tn_store_begin_batch        (TnStore             *self,
                                         GError             **error);
gboolean    tn_store_commit_batch       (TnStore             *self,
                                         GError             **error);
gboolean    tn_store_in_batch           (TnStore             *self);
guint       tn_store_get_threads        (TnStore             *self);
extern const char * const tn_store_copy_tables[];
gboolean    tn_store_copy               (TnStore             *from,
                                         TnStore             *to,
                                         GHashTable         **out_counts,
                                         GError             **error);
gboolean    tn_store_broadcast          (TnStore             *self,
                                         const char          *message,
                                         GError             **error);
void        tn_store_listen             (TnStore             *self,
                                         TnStoreMessageFunc   func,
                                         gpointer             user_data);
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

GPtrArray  *tn_store_list_attendees     (TnStore                *self,
                                         const TnAttendeeQuery  *query,
                                         gboolean               *out_more,
                                         GError                **error);
TnAttendee *tn_store_get_attendee       (TnStore             *self,
                                         const char          *event_id,
                                         const char          *attendee_id,
                                         GError             **error);
TnAttendee *tn_store_add_guest          (TnStore             *self,
                                         TnAttendee          *guest,
                                         gint64               now,
                                         GError             **error);
gboolean    tn_store_import_guests      (TnStore             *self,
                                         const char          *event_id,
                                         GPtrArray           *guests,
                                         gint64               now,
                                         TnImportResult      *out_results,
                                         guint               *out_failed,
                                         GError             **error);
TnAttendee *tn_store_update_attendee    (TnStore             *self,
                                         const char          *event_id,
                                         const char          *attendee_id,
                                         const char          *ticket_type,
                                         const char          *note,
                                         gint64               now,
                                         GError             **error);
TnAttendee *tn_store_reissue_ticket     (TnStore             *self,
                                         const char          *event_id,
                                         const char          *attendee_id,
                                         gint64               now,
                                         GError             **error);
TnAttendee *tn_store_revoke_ticket      (TnStore             *self,
                                         const char          *event_id,
                                         const char          *attendee_id,
                                         gint64               now,
                                         GError             **error);
TnAttendee *tn_store_lookup_ticket      (TnStore             *self,
                                         const char          *code,
                                         GError             **error);

gboolean       tn_store_get_event_role      (TnStore             *self,
                                            const char          *event_id,
                                            const char          *user_id,
                                            TnEventRole         *out_role,
                                            GError             **error);
GPtrArray     *tn_store_list_event_people   (TnStore             *self,
                                            const char          *event_id,
                                            GError             **error);
TnEventPerson *tn_store_set_event_person    (TnStore             *self,
                                            const char          *event_id,
                                            const char          *user_id,
                                            TnEventRole          role,
                                            gint64               now,
                                            GError             **error);
gboolean       tn_store_remove_event_person (TnStore             *self,
                                            const char          *event_id,
                                            const char          *user_id,
                                            GError             **error);

GHashTable    *tn_store_get_attendee_checkins (TnStore            *self,
                                              const char         *event_id,
                                              const char * const *attendee_ids,
                                              GError            **error);
gboolean       tn_store_get_door_stats      (TnStore             *self,
                                            const char          *event_id,
                                            gint64               from,
                                            gint64               out_arrivals[TN_ARRIVAL_MINUTES],
                                            GPtrArray          **out_doors,
                                            GError             **error);
gboolean       tn_store_get_event_stats     (TnStore             *self,
                                            const char          *event_id,
                                            TnEventStats        *out_stats,
                                            GError             **error);

void           tn_store_set_audit           (TnStore             *self,
                                            const TnAuditEntry  *entry);
GPtrArray     *tn_store_list_audit          (TnStore             *self,
                                            const TnAuditQuery  *query,
                                            gboolean            *out_more,
                                            GError             **error);

gboolean       tn_store_add_pairing_code    (TnStore             *self,
                                            const char          *code_hash,
                                            const char          *event_id,
                                            TnDeviceRole         role,
                                            const char          *name,
                                            gint64               expires_at,
                                            gint64               now,
                                            GError             **error);
TnDevice      *tn_store_pair_device         (TnStore             *self,
                                            const char          *code_hash,
                                            const char          *device_id,
                                            const char          *name,
                                            const char          *token_hash,
                                            gint64               now,
                                            GError             **error);
GPtrArray     *tn_store_list_devices        (TnStore             *self,
                                            const char          *event_id,
                                            GError             **error);
TnDevice      *tn_store_get_device          (TnStore             *self,
                                            const char          *id,
                                            GError             **error);
TnDevice      *tn_store_lookup_device       (TnStore             *self,
                                            const char          *token_hash,
                                            GError             **error);
TnDevice      *tn_store_rename_device       (TnStore             *self,
                                            const char          *id,
                                            const char          *name,
                                            GError             **error);
TnDevice      *tn_store_revoke_device       (TnStore             *self,
                                            const char          *id,
                                            gint64               now,
                                            GError             **error);
gboolean       tn_store_touch_device        (TnStore             *self,
                                            const char          *id,
                                            gint64               now,
                                            GError             **error);
gboolean       tn_store_get_event_key       (TnStore             *self,
                                            const char          *event_id,
                                            guint8               public_key[32],
                                            guint8               secret_key[64],
                                            GError             **error);
gboolean       tn_store_record_checkins     (TnStore             *self,
                                            GPtrArray           *checkins,
                                            gint64               now,
                                            GError             **error);
TnCheckin     *tn_store_get_checkin         (TnStore             *self,
                                            const char          *id,
                                            GError             **error);
gboolean       tn_store_undo_checkin        (TnStore             *self,
                                            const char          *id,
                                            gint64               now,
                                            GError             **error);
GPtrArray     *tn_store_list_changes        (TnStore             *self,
                                            const char          *event_id,
                                            gint64               since,
                                            guint                limit,
                                            gboolean            *out_more,
                                            GError             **error);

TnFollow      *tn_store_follow              (TnStore             *self,
                                            const char          *follower_id,
                                            const char          *followee_id,
                                            gint64               now,
                                            GError             **error);
gboolean       tn_store_unfollow            (TnStore             *self,
                                            const char          *follower_id,
                                            const char          *followee_id,
                                            GError             **error);
GPtrArray     *tn_store_list_follows        (TnStore             *self,
                                            const TnFollowQuery *query,
                                            gboolean            *out_more,
                                            GError             **error);
TnUser        *tn_store_update_profile      (TnStore             *self,
                                            const char          *user_id,
                                            gboolean             set_home,
                                            double               home_lat,
                                            double               home_lon,
                                            const char * const  *interests,
                                            GError             **error);
gboolean       tn_store_load_rec_data       (TnStore             *self,
                                            TnRecData           *data,
                                            GError             **error);
GPtrArray     *tn_store_list_user_answers   (TnStore             *self,
                                            const char          *user_id,
                                            GError             **error);


G_END_DECLS
