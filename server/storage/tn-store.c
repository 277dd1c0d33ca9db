/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "tn-error.h"
#include "tn-store.h"
#include "tn-store-sql.h"
#include "sqlite/tn-sqlite-store.h"
#ifdef TN_HAVE_POSTGRES
#include "postgres/tn-pg-store.h"
#endif

G_DEFINE_INTERFACE (TnStore, tn_store, G_TYPE_OBJECT)

static void
tn_store_default_init (TnStoreInterface *iface)
{
}

/**
 * tn_store_open:
 * @uri: `sqlite:PATH`, a plain path (SQLite), or a `postgresql://` URI
 * @error: return location for an error
 *
 * Opens the store a database URI names. The store is not migrated: call
 * tn_store_migrate().
 *
 * Returns: (transfer full) (nullable): the store
 */
TnStore *
tn_store_open (const char  *uri,
               GError     **error)
{
  return tn_store_open_full (uri, TN_STORE_CONNECTIONS_DEFAULT, error);
}

/**
 * tn_store_open_full:
 * @uri: as for tn_store_open()
 * @connections: how many connections a networked database gets (its
 *   pool, and as many threads of requests); SQLite has one
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the store
 */
TnStore *
tn_store_open_full (const char  *uri,
                    guint        connections,
                    GError     **error)
{
  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (connections > 0, NULL);

  if (g_str_has_prefix (uri, "postgresql://") || g_str_has_prefix (uri, "postgres://"))
    {
#ifdef TN_HAVE_POSTGRES
      return TN_STORE (tn_pg_store_new (uri, connections, error));
#else
      g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST,
                   "This build of turnout-server has no PostgreSQL backend (libpq was missing); use sqlite:PATH");
      return NULL;
#endif
    }
  if (g_str_has_prefix (uri, "sqlite:"))
    uri += strlen ("sqlite:");
  if (uri[0] == '\0')
    {
      g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST, "The database path is empty");
      return NULL;
    }
  return TN_STORE (tn_sqlite_store_new (uri, error));
}

/**
 * tn_store_uri_for_messages:
 * @uri: a database URI as tn_store_open() takes it
 *
 * Returns: (transfer full): @uri without a password (in its user part or
 *   as a `password` parameter), for logs and messages
 */
char *
tn_store_uri_for_messages (const char *uri)
{
  g_autoptr(GUri) parsed = NULL;
  g_autoptr(GString) query = NULL;
  g_autoptr(GUri) shown = NULL;
  GUriParamsIter iter;
  char *name, *value;

  g_return_val_if_fail (uri != NULL, NULL);

  if (!g_str_has_prefix (uri, "postgresql://") && !g_str_has_prefix (uri, "postgres://"))
    return g_strdup (uri);
  parsed = g_uri_parse (uri, G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED, NULL);
  if (parsed == NULL)
    return g_strdup ("the PostgreSQL database");
  if (g_uri_get_query (parsed) != NULL)
    {
      query = g_string_new (NULL);
      g_uri_params_iter_init (&iter, g_uri_get_query (parsed), -1, "&", G_URI_PARAMS_NONE);
      while (g_uri_params_iter_next (&iter, &name, &value, NULL))
        {
          if (g_ascii_strcasecmp (name, "password") != 0)
            {
              g_autofree char *escaped = g_uri_escape_string (value, "/", FALSE);

              g_string_append_printf (query, "%s%s=%s", query->len > 0 ? "&" : "", name, escaped);
            }
          g_free (name);
          g_free (value);
        }
    }
  shown = g_uri_build_with_user (G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED,
                                 g_uri_get_scheme (parsed), g_uri_get_user (parsed), NULL, NULL,
                                 g_uri_get_host (parsed), g_uri_get_port (parsed), g_uri_get_path (parsed),
                                 query != NULL && query->len > 0 ? query->str : NULL, NULL);
  return g_uri_to_string (shown);
}

#define IFACE(self) TN_STORE_GET_IFACE (self)

/**
 * tn_store_get_threads:
 *
 * Returns: 0 when the store is called from the main loop (its calls
 *   are local and quick: SQLite), else how many threads may call it at
 *   once (its calls wait on the network: PostgreSQL)
 */
guint
tn_store_get_threads (TnStore *self)
{
  g_return_val_if_fail (TN_IS_STORE (self), 0);
  return IFACE (self)->get_threads != NULL ? IFACE (self)->get_threads (self) : 0;
}

/* What a copy carries, referenced tables first. Not copied: what each
 * backend keeps for itself (SQLite's search index, schema versions). */
const char * const tn_store_copy_tables[] = {
  "users", "tokens", "categories", "events", "event_tags", "attendees", "tickets", "event_people",
  "audit_log", "sync_counter", "event_keys", "pairing_codes", "devices", "removed_devices", "checkins",
  "follows", NULL
};

typedef struct
{
  TnStore    *to;
  GHashTable *counts;   /* table → GUINT_TO_POINTER (rows) */
} Copy;

static gboolean
copy_row (const char          *table,
          guint                n_columns,
          const char * const  *columns,
          const TnStoreValue  *values,
          gpointer             user_data,
          GError             **error)
{
  Copy *copy = user_data;
  guint rows = GPOINTER_TO_UINT (g_hash_table_lookup (copy->counts, table));

  g_hash_table_replace (copy->counts, (gpointer) table, GUINT_TO_POINTER (rows + 1));
  return IFACE (copy->to)->import_row (copy->to, table, n_columns, columns, values, error);
}

/**
 * tn_store_copy:
 * @from: a migrated store
 * @to: a migrated, empty store of another backend
 * @out_counts: (out) (optional) (transfer full): table name → rows
 *   copied (GUINT_TO_POINTER)
 *
 * Copies everything of @from into @to, as it is: ids, tokens (members
 * stay signed in), door devices and their scans, and the sync sequence
 * numbers, so that doors syncing with @from go on with @to from the
 * cursor they have. @to gets all of it in one transaction, or nothing.
 *
 * Returns: %FALSE with @error set (%TN_ERROR_CONFLICT: @to is not empty)
 */
gboolean
tn_store_copy (TnStore     *from,
               TnStore     *to,
               GHashTable **out_counts,
               GError     **error)
{
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  Copy copy = { to, counts };
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (TN_IS_STORE (from) && TN_IS_STORE (to), FALSE);

  if (IFACE (from)->export_rows == NULL || IFACE (to)->begin_import == NULL)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST,
                   "Copies go from SQLite to PostgreSQL (migrate --from sqlite:PATH --to postgresql://…)");
      return FALSE;
    }
  if (!IFACE (to)->begin_import (to, error))
    return FALSE;
  if (!IFACE (from)->export_rows (from, copy_row, &copy, &local_error))
    {
      IFACE (to)->end_import (to, FALSE, NULL);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!IFACE (to)->end_import (to, TRUE, error))
    return FALSE;
  if (out_counts != NULL)
    *out_counts = g_steal_pointer (&counts);
  return TRUE;
}

/**
 * tn_store_broadcast:
 * @message: UTF-8 text of at most %TN_STORE_MESSAGE_MAX bytes
 *
 * Tells every other server on this database @message (their
 * tn_store_listen() functions get it), if the backend has others; a
 * store no other server shares (SQLite) has nobody to tell.
 *
 * Returns: %FALSE with @error set if it could not be sent
 */
gboolean
tn_store_broadcast (TnStore     *self,
                    const char  *message,
                    GError     **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), FALSE);
  g_return_val_if_fail (message != NULL, FALSE);

  if (strlen (message) > TN_STORE_MESSAGE_MAX)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_PAYLOAD_TOO_LARGE, "A message between servers is at most %d bytes",
                   TN_STORE_MESSAGE_MAX);
      return FALSE;
    }
  if (IFACE (self)->broadcast == NULL)
    return TRUE;
  return IFACE (self)->broadcast (self, message, error);
}

/**
 * tn_store_listen:
 * @func: (nullable): gets the other servers' messages, on the main
 *   context that is thread-default now; %NULL stops listening
 *
 * A backend no other server shares never calls @func.
 */
void
tn_store_listen (TnStore            *self,
                 TnStoreMessageFunc  func,
                 gpointer            user_data)
{
  g_return_if_fail (TN_IS_STORE (self));

  if (IFACE (self)->listen != NULL)
    IFACE (self)->listen (self, func, user_data);
}

gboolean
tn_store_migrate (TnStore  *self,
                  GError  **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), FALSE);
  return IFACE (self)->migrate (self, error);
}

/**
 * tn_store_begin_batch:
 * @self: a store
 * @error: return location for an error
 *
 * Opens a batch (group commit): until tn_store_commit_batch(), every
 * change runs as a savepoint of one transaction — a change that fails
 * undoes only itself — and the batch is made durable with one sync.
 * Nothing a change of the batch did may be reported as done before
 * tn_store_commit_batch() has returned %TRUE.
 *
 * Returns: %TRUE when the batch is open
 */
gboolean
tn_store_begin_batch (TnStore  *self,
                      GError  **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), FALSE);
  return IFACE (self)->begin_batch (self, error);
}

/**
 * tn_store_commit_batch:
 * @self: a store with an open batch
 * @error: return location for an error
 *
 * Commits the open batch. The batch is closed either way.
 *
 * Returns: %TRUE when every change of the batch that succeeded is
 *   stored; %FALSE when none is
 */
gboolean
tn_store_commit_batch (TnStore  *self,
                       GError  **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), FALSE);
  return IFACE (self)->commit_batch (self, error);
}

gboolean
tn_store_in_batch (TnStore *self)
{
  g_return_val_if_fail (TN_IS_STORE (self), FALSE);
  return IFACE (self)->in_batch (self);
}

gboolean
tn_store_ping (TnStore  *self,
               GError  **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), FALSE);
  return IFACE (self)->ping (self, error);
}

gboolean
tn_store_backup (TnStore     *self,
                 const char  *path,
                 GError     **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  return IFACE (self)->backup (self, path, error);
}

gint64
tn_store_count_users (TnStore  *self,
                      GError  **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), -1);
  return IFACE (self)->count_users (self, error);
}

TnUser *
tn_store_create_user (TnStore     *self,
                      const char  *id,
                      const char  *email,
                      const char  *name,
                      const char  *password_hash,
                      TnRole       role,
                      GError     **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL && email != NULL && name != NULL && password_hash != NULL, NULL);
  return IFACE (self)->create_user (self, id, email, name, password_hash, role, error);
}

TnUser *
tn_store_get_user (TnStore     *self,
                   const char  *id,
                   GError     **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  return IFACE (self)->get_user (self, id, error);
}

/**
 * tn_store_find_user_by_email:
 * @out_password_hash: (out) (optional): the stored password hash
 *
 * Returns: (transfer full) (nullable): the user; %NULL with
 *   %TN_ERROR_NOT_FOUND when there is none
 */
TnUser *
tn_store_find_user_by_email (TnStore     *self,
                             const char  *email,
                             char       **out_password_hash,
                             GError     **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), NULL);
  g_return_val_if_fail (email != NULL, NULL);
  return IFACE (self)->find_user_by_email (self, email, out_password_hash, error);
}

GPtrArray *
tn_store_list_users (TnStore     *self,
                     guint        limit,
                     const char  *after_email,
                     GError     **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), NULL);
  return IFACE (self)->list_users (self, limit, after_email, error);
}

gboolean
tn_store_add_token (TnStore     *self,
                    const char  *token_hash,
                    const char  *user_id,
                    gint64       expires_at,
                    GError     **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), FALSE);
  g_return_val_if_fail (token_hash != NULL && user_id != NULL, FALSE);
  return IFACE (self)->add_token (self, token_hash, user_id, expires_at, error);
}

/**
 * tn_store_lookup_token:
 *
 * Returns: (transfer full) (nullable): the user of a token that exists,
 *   is not revoked and has not expired at @now; else %NULL with
 *   %TN_ERROR_UNAUTHORIZED
 */
TnUser *
tn_store_lookup_token (TnStore     *self,
                       const char  *token_hash,
                       gint64       now,
                       GError     **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), NULL);
  g_return_val_if_fail (token_hash != NULL, NULL);
  return IFACE (self)->lookup_token (self, token_hash, now, error);
}

gboolean
tn_store_revoke_token (TnStore     *self,
                       const char  *token_hash,
                       GError     **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), FALSE);
  g_return_val_if_fail (token_hash != NULL, FALSE);
  return IFACE (self)->revoke_token (self, token_hash, error);
}

/**
 * tn_store_create_event:
 * @event: a valid event with id and organizer set
 *
 * Stores @event with version 1 and the current time as created_at and
 * updated_at. An event with the same id that exists already is
 * %TN_ERROR_CONFLICT.
 *
 * Returns: (transfer full) (nullable): the event as stored
 */
TnEvent *
tn_store_create_event (TnStore     *self,
                       TnEvent     *event,
                       GError     **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), NULL);
  g_return_val_if_fail (TN_IS_EVENT (event), NULL);
  g_return_val_if_fail (tn_event_get_id (event) != NULL, NULL);
  return IFACE (self)->create_event (self, event, error);
}

TnEvent *
tn_store_get_event (TnStore     *self,
                    const char  *id,
                    GError     **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  return IFACE (self)->get_event (self, id, error);
}

/**
 * tn_store_list_events:
 * @out_more: (out): set when more events follow the last one returned
 *
 * Returns: (transfer container) (element-type TnEvent) (nullable): the
 *   events matching @query, by starts_at then id; with @query->near, by
 *   distance, then starts_at, then id
 */
GPtrArray *
tn_store_list_events (TnStore             *self,
                      const TnEventQuery  *query,
                      gboolean            *out_more,
                      GError             **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL && out_more != NULL, NULL);
  g_return_val_if_fail (!query->near || (query->radius_km > 0 && query->near_lat >= -90 && query->near_lat <= 90 &&
                                         query->near_lon >= -180 && query->near_lon <= 180), NULL);
  return IFACE (self)->list_events (self, query, out_more, error);
}

/**
 * tn_store_update_event:
 * @event: the event with its new fields
 * @expected_version: the version the change was made to
 *
 * Replaces the stored event if its version is still @expected_version,
 * and increments the version. A stale version is %TN_ERROR_CONFLICT.
 *
 * Returns: (transfer full) (nullable): the event as stored now
 */
TnEvent *
tn_store_update_event (TnStore     *self,
                       TnEvent     *event,
                       gint64       expected_version,
                       GError     **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), NULL);
  g_return_val_if_fail (TN_IS_EVENT (event), NULL);
  return IFACE (self)->update_event (self, event, expected_version, error);
}

/**
 * tn_store_delete_event:
 * @expected_version: the version the caller saw, or -1 for any
 */
gboolean
tn_store_delete_event (TnStore     *self,
                       const char  *id,
                       gint64       expected_version,
                       GError     **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  return IFACE (self)->delete_event (self, id, expected_version, error);
}

/**
 * tn_store_list_categories:
 * @viewer_id: (nullable): the caller, %NULL when anonymous
 * @viewer_sees_all: the caller is an admin
 * @now: the current time
 *
 * Lists the categories in their display order, each with the number of
 * scheduled events that have not ended at @now and that the caller sees
 * in event lists. An event counts under the category whose name equals
 * its free-text category, ignoring case; an event with an empty or
 * unknown category counts under "Other".
 *
 * Returns: (transfer container) (element-type TnCategory) (nullable): the
 *   categories
 */
GPtrArray *
tn_store_list_categories (TnStore     *self,
                          const char  *viewer_id,
                          gboolean     viewer_sees_all,
                          gint64       now,
                          GError     **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), NULL);
  return IFACE (self)->list_categories (self, viewer_id, viewer_sees_all, now, error);
}

void
tn_category_free (TnCategory *category)
{
  if (category == NULL)
    return;
  g_free (category->slug);
  g_free (category->name);
  g_free (category->colour);
  g_free (category->icon);
  g_free (category);
}

/**
 * tn_store_set_rsvp:
 * @event_id: the event
 * @user: who answers
 * @wanted: %TN_RSVP_GOING, %TN_RSVP_INTERESTED, %TN_RSVP_MAYBE or
 *   %TN_RSVP_NOT_GOING (%TN_RSVP_WAITLISTED is the store's to give)
 * @now: the current time: a past event refuses answers
 *
 * Records @user's answer in one transaction. `going` takes a free seat
 * and issues a ticket, or joins the end of the waitlist when the event is
 * full (or others already wait), or fails with %TN_ERROR_CAPACITY_FULL
 * when the event has no waitlist. Leaving a seat revokes the ticket and
 * promotes the first on the waitlist in the same transaction. A cancelled
 * or past event is %TN_ERROR_CONFLICT; asking again for what one has
 * changes nothing.
 *
 * Returns: (transfer full) (nullable): the attendee as stored, with its
 *   waitlist position
 */
TnAttendee *
tn_store_set_rsvp (TnStore       *self,
                   const char    *event_id,
                   TnUser        *user,
                   TnRsvpStatus   wanted,
                   gint64         now,
                   GError       **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), NULL);
  g_return_val_if_fail (event_id != NULL && TN_IS_USER (user), NULL);
  g_return_val_if_fail (wanted != TN_RSVP_WAITLISTED, NULL);
  return IFACE (self)->set_rsvp (self, event_id, user, wanted, now, error);
}

/**
 * tn_store_get_rsvp:
 *
 * Returns: (transfer full) (nullable): the answer of @user_id for
 *   @event_id; %NULL with %TN_ERROR_NOT_FOUND when there is none
 */
TnAttendee *
tn_store_get_rsvp (TnStore     *self,
                   const char  *event_id,
                   const char  *user_id,
                   GError     **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), NULL);
  g_return_val_if_fail (event_id != NULL && user_id != NULL, NULL);
  return IFACE (self)->get_rsvp (self, event_id, user_id, error);
}

/* --- attendees and tickets ------------------------------------------------ */

/**
 * tn_store_list_attendees:
 * @query: the event and filters
 * @out_more: (out): set when more attendees follow the page
 *
 * Returns: (transfer container) (element-type TnAttendee) (nullable): a
 *   page of the event's attendees by (created_at, id)
 */
GPtrArray *
tn_store_list_attendees (TnStore                *self,
                         const TnAttendeeQuery  *query,
                         gboolean               *out_more,
                         GError                **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL && query->event_id != NULL && out_more != NULL, NULL);
  return IFACE (self)->list_attendees (self, query, out_more, error);
}

/**
 * tn_store_get_attendee:
 *
 * Returns: (transfer full) (nullable): the attendee @attendee_id of
 *   @event_id; %TN_ERROR_NOT_FOUND when there is none on that event
 */
TnAttendee *
tn_store_get_attendee (TnStore     *self,
                       const char  *event_id,
                       const char  *attendee_id,
                       GError     **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), NULL);
  g_return_val_if_fail (event_id != NULL && attendee_id != NULL, NULL);
  return IFACE (self)->get_attendee (self, event_id, attendee_id, error);
}

/**
 * tn_store_add_guest:
 * @guest: the event id, name, e-mail address, ticket type, note and the
 *   wanted status (not %TN_RSVP_WAITLISTED); the id, if set, is used
 * @now: the current time: a past event takes no guests
 *
 * Adds a guest without an account, in one transaction. `going` follows
 * the rules of tn_store_set_rsvp(): a free seat and a ticket, else the
 * waitlist, else %TN_ERROR_CAPACITY_FULL. An e-mail address already on
 * the event is %TN_ERROR_CONFLICT, as are cancelled and past events.
 *
 * Returns: (transfer full) (nullable): the attendee as stored
 */
TnAttendee *
tn_store_add_guest (TnStore     *self,
                    TnAttendee  *guest,
                    gint64       now,
                    GError     **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), NULL);
  g_return_val_if_fail (TN_IS_ATTENDEE (guest) && tn_attendee_get_event_id (guest) != NULL, NULL);
  g_return_val_if_fail (tn_attendee_get_status (guest) != TN_RSVP_WAITLISTED, NULL);
  return IFACE (self)->add_guest (self, guest, now, error);
}

const char *
tn_import_result_to_string (TnImportResult result)
{
  switch (result)
    {
    case TN_IMPORT_CREATED:    return "created";
    case TN_IMPORT_WAITLISTED: return "waitlisted";
    case TN_IMPORT_UPDATED:    return "updated";
    case TN_IMPORT_UNCHANGED:  return "unchanged";
    default:                   g_return_val_if_reached ("unchanged");
    }
}

/**
 * tn_store_import_guests:
 * @event_id: the event
 * @guests: (element-type TnAttendee): the rows, as for tn_store_add_guest()
 *   (their event id is ignored); a %NULL ticket type or note leaves an
 *   existing attendee's as it is, an empty one clears it
 * @now: the current time
 * @out_results: (array): receives a result per row
 * @out_failed: (out): on failure, the row that failed (or @guests->len
 *   when no one row did)
 *
 * Imports a guest list in ONE transaction: all rows or none. A row whose
 * e-mail address (in any case) is on the event already updates that
 * attendee's name, ticket type and note; its status stays as it is.
 * Other rows are added as tn_store_add_guest() adds a guest.
 *
 * Returns: %TRUE when every row is stored
 */
gboolean
tn_store_import_guests (TnStore         *self,
                        const char      *event_id,
                        GPtrArray       *guests,
                        gint64           now,
                        TnImportResult  *out_results,
                        guint           *out_failed,
                        GError         **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), FALSE);
  g_return_val_if_fail (event_id != NULL && guests != NULL && out_failed != NULL, FALSE);
  g_return_val_if_fail (guests->len == 0 || out_results != NULL, FALSE);
  *out_failed = guests->len;
  return IFACE (self)->import_guests (self, event_id, guests, now, out_results, out_failed, error);
}

/**
 * tn_store_update_attendee:
 * @ticket_type: (nullable): the new ticket type, or %NULL to keep it
 * @note: (nullable): the new door note, or %NULL to keep it
 *
 * Returns: (transfer full) (nullable): the attendee as stored
 */
TnAttendee *
tn_store_update_attendee (TnStore     *self,
                          const char  *event_id,
                          const char  *attendee_id,
                          const char  *ticket_type,
                          const char  *note,
                          gint64       now,
                          GError     **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), NULL);
  g_return_val_if_fail (event_id != NULL && attendee_id != NULL, NULL);
  return IFACE (self)->update_attendee (self, event_id, attendee_id, ticket_type, note, now, error);
}

/**
 * tn_store_reissue_ticket:
 *
 * Revokes the ticket of a going attendee and issues a new code, in one
 * transaction; the old code stops working. An attendee who is not going
 * is %TN_ERROR_CONFLICT.
 *
 * Returns: (transfer full) (nullable): the attendee with the new code
 */
TnAttendee *
tn_store_reissue_ticket (TnStore     *self,
                         const char  *event_id,
                         const char  *attendee_id,
                         gint64       now,
                         GError     **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), NULL);
  g_return_val_if_fail (event_id != NULL && attendee_id != NULL, NULL);
  return IFACE (self)->reissue_ticket (self, event_id, attendee_id, now, error);
}

/**
 * tn_store_revoke_ticket:
 *
 * Revokes the attendee's ticket without a new one: the attendee keeps
 * their status (and seat) but has no valid code until a reissue. Revoking
 * where there is no valid ticket changes nothing.
 *
 * Returns: (transfer full) (nullable): the attendee as stored
 */
TnAttendee *
tn_store_revoke_ticket (TnStore     *self,
                        const char  *event_id,
                        const char  *attendee_id,
                        gint64       now,
                        GError     **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), NULL);
  g_return_val_if_fail (event_id != NULL && attendee_id != NULL, NULL);
  return IFACE (self)->revoke_ticket (self, event_id, attendee_id, now, error);
}

/**
 * tn_store_lookup_ticket:
 * @code: a ticket code as typed or scanned (tn_ticket_code_normalize())
 *
 * Returns: (transfer full) (nullable): the attendee holding @code if it
 *   is a valid, unrevoked ticket; %TN_ERROR_NOT_FOUND otherwise
 */
TnAttendee *
tn_store_lookup_ticket (TnStore     *self,
                        const char  *code,
                        GError     **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), NULL);
  g_return_val_if_fail (code != NULL, NULL);
  return IFACE (self)->lookup_ticket (self, code, error);
}

/* --- hosts and visibility ----------------------------------------------- */

static const char * const event_role_names[] = {
  [TN_EVENT_ROLE_NONE] = "none",
  [TN_EVENT_ROLE_ATTENDEE] = "attendee",
  [TN_EVENT_ROLE_INVITED] = "invited",
  [TN_EVENT_ROLE_STAFF] = "staff",
  [TN_EVENT_ROLE_COHOST] = "cohost",
  [TN_EVENT_ROLE_ORGANIZER] = "organizer",
};

const char *
tn_event_role_to_string (TnEventRole role)
{
  g_return_val_if_fail ((guint) role < G_N_ELEMENTS (event_role_names), NULL);
  return event_role_names[role];
}

gboolean
tn_event_role_from_string (const char  *text,
                           TnEventRole *out_role)
{
  g_return_val_if_fail (out_role != NULL, FALSE);

  if (text == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (event_role_names); i++)
    if (g_str_equal (text, event_role_names[i]))
      {
        *out_role = (TnEventRole) i;
        return TRUE;
      }
  return FALSE;
}

void
tn_event_person_free (TnEventPerson *person)
{
  if (person == NULL)
    return;
  g_free (person->user_id);
  g_free (person->name);
  g_free (person->email);
  g_free (person);
}

/**
 * tn_store_get_event_role:
 * @out_role: (out): the strongest relation of @user_id to @event_id:
 *   organizer, co-host, staff, invited, attendee (an RSVP of any status),
 *   or %TN_EVENT_ROLE_NONE (also for an unknown event or user)
 *
 * Returns: %FALSE only when the store fails
 */
gboolean
tn_store_get_event_role (TnStore      *self,
                         const char   *event_id,
                         const char   *user_id,
                         TnEventRole  *out_role,
                         GError      **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), FALSE);
  g_return_val_if_fail (event_id != NULL && user_id != NULL && out_role != NULL, FALSE);
  return IFACE (self)->get_event_role (self, event_id, user_id, out_role, error);
}

/**
 * tn_store_list_event_people:
 *
 * The co-hosts, staff and invited guests of @event_id, in that order,
 * then by name.
 *
 * Returns: (transfer container) (element-type TnEventPerson) (nullable):
 *   the entries
 */
GPtrArray *
tn_store_list_event_people (TnStore     *self,
                            const char  *event_id,
                            GError     **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), NULL);
  g_return_val_if_fail (event_id != NULL, NULL);
  return IFACE (self)->list_event_people (self, event_id, error);
}

/**
 * tn_store_set_event_person:
 * @role: %TN_EVENT_ROLE_COHOST, %TN_EVENT_ROLE_STAFF or
 *   %TN_EVENT_ROLE_INVITED
 *
 * Gives @user_id @role on @event_id, replacing a role they had there.
 * An unknown user or event is %TN_ERROR_NOT_FOUND.
 *
 * Returns: (transfer full) (nullable): the entry as stored
 */
TnEventPerson *
tn_store_set_event_person (TnStore      *self,
                           const char   *event_id,
                           const char   *user_id,
                           TnEventRole   role,
                           gint64        now,
                           GError      **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), NULL);
  g_return_val_if_fail (event_id != NULL && user_id != NULL, NULL);
  g_return_val_if_fail (role == TN_EVENT_ROLE_COHOST || role == TN_EVENT_ROLE_STAFF ||
                        role == TN_EVENT_ROLE_INVITED, NULL);
  return IFACE (self)->set_event_person (self, event_id, user_id, role, now, error);
}

/**
 * tn_store_remove_event_person:
 *
 * Takes @user_id off the team and guest list of @event_id; an entry that
 * is not there is %TN_ERROR_NOT_FOUND.
 */
gboolean
tn_store_remove_event_person (TnStore     *self,
                              const char  *event_id,
                              const char  *user_id,
                              GError     **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), FALSE);
  g_return_val_if_fail (event_id != NULL && user_id != NULL, FALSE);
  return IFACE (self)->remove_event_person (self, event_id, user_id, error);
}

/* --- for the backends: distances (tn-store-sql.h) -------------------------- */

/**
 * tn_store_distance_km:
 *
 * Returns: the great-circle distance by the haversine formula, in km
 */
double
tn_store_distance_km (double lat1,
                      double lon1,
                      double lat2,
                      double lon2)
{
  double phi1 = lat1 * G_PI / 180.0;
  double phi2 = lat2 * G_PI / 180.0;
  double dphi = phi2 - phi1;
  double dlambda = (lon2 - lon1) * G_PI / 180.0;
  double h = sin (dphi / 2) * sin (dphi / 2) + cos (phi1) * cos (phi2) * sin (dlambda / 2) * sin (dlambda / 2);

  return 2.0 * TN_EARTH_RADIUS_KM * asin (sqrt (CLAMP (h, 0.0, 1.0)));
}

/**
 * tn_store_near_box:
 *
 * Fills @box with the latitudes and longitudes that hold every point
 * within @radius_km of (@lat, @lon) (J. P. Matuschek, "Finding Points
 * Within a Distance of a Latitude/Longitude Using Bounding Coordinates"),
 * widened by a hair (1e-6° ≈ 0.1 m) so that rounding never drops a point
 * the exact distance keeps. Near a pole, or for a radius that reaches
 * one, every longitude is in.
 */
void
tn_store_near_box (double     lat,
                   double     lon,
                   double     radius_km,
                   TnNearBox *box)
{
  const double slack = 1e-6;
  double angle = radius_km / TN_EARTH_RADIUS_KM;
  double dlat = angle * 180.0 / G_PI;

  box->min_lat = lat - dlat - slack;
  box->max_lat = lat + dlat + slack;
  box->min_lon = -180.0;
  box->max_lon = 180.0;
  box->wraps = FALSE;
  if (box->min_lat > -90.0 && box->max_lat < 90.0)
    {
      double dlon = asin (sin (angle) / cos (lat * G_PI / 180.0)) * 180.0 / G_PI + slack;

      box->min_lon = lon - dlon;
      box->max_lon = lon + dlon;
      if (box->min_lon < -180.0)
        {
          box->min_lon += 360.0;
          box->wraps = TRUE;
        }
      else if (box->max_lon > 180.0)
        {
          box->max_lon -= 360.0;
          box->wraps = TRUE;
        }
    }
}

/**
 * tn_store_fold_for_search:
 *
 * The form in which attendee searches compare text: compatibility
 * decomposed, accents dropped, then case-folded, so that a search matches
 * with or without accents and any case of any
 * script, not only ASCII as LIKE and lower() do. Matching is then a plain
 * substring test (instr), which has no wildcards a search could smuggle in. */
char *
tn_store_fold_for_search (const char *text)
{
  g_autofree char *normal = NULL;
  GString *bare;

  if (!g_utf8_validate (text, -1, NULL))
    return g_strdup (text);
  /* Compatibility decomposition splits "é" into "e" and a combining
   * accent, "ﬁ" into "fi"; dropping the combining marks then makes
   * "Müller" and "Muller", "José" and "Jose" the same. */
  normal = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);
  if (normal == NULL)
    return g_utf8_casefold (text, -1);
  bare = g_string_sized_new (strlen (normal));
  for (const char *p = normal; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_type (c) != G_UNICODE_NON_SPACING_MARK)
        g_string_append_unichar (bare, c);
    }
  {
    g_autofree char *unaccented = g_string_free (bare, FALSE);

    return g_utf8_casefold (unaccented, -1);
  }
}

/* --- for the backends: check-in verdicts (tn-store-sql.h) ------------------ */

void
tn_store_replay_scans (const TnReplayScan *scans,
                       guint               n,
                       TnReplayVerdict    *out_verdicts)
{
  gboolean inside = FALSE;
  gint64 admitted_at = 0;
  const char *admitted_by = NULL;

  for (guint i = 0; i < n; i++)
    {
      TnReplayVerdict *v = &out_verdicts[i];

      v->prev_scanned_at = 0;
      v->prev_device = NULL;
      if (!scans[i].out && !inside)
        {
          v->verdict = TN_VERDICT_ACCEPTED;
          inside = TRUE;
          admitted_at = scans[i].scanned_at;
          admitted_by = scans[i].device;
        }
      else if (!scans[i].out)
        {
          v->verdict = TN_VERDICT_DUPLICATE;
          v->prev_scanned_at = admitted_at;
          v->prev_device = admitted_by;
        }
      else if (inside)
        {
          v->verdict = TN_VERDICT_ACCEPTED;
          inside = FALSE;
        }
      else
        v->verdict = TN_VERDICT_NOT_INSIDE;
    }
}

gboolean
tn_store_checkin_flagged (const char *local_verdict,
                          int         verdict)
{
  return g_strcmp0 (local_verdict, "accepted") == 0 && verdict != TN_VERDICT_ACCEPTED;
}

int
tn_store_ticket_verdict (const char *ticket_event,
                         const char *scan_event,
                         gboolean    revoked,
                         const char *status)
{
  if (!g_str_equal (ticket_event, scan_event))
    return TN_VERDICT_WRONG_EVENT;
  if (revoked)
    return g_str_equal (status, "going") ? TN_VERDICT_REVOKED : TN_VERDICT_NOT_GOING;
  if (!g_str_equal (status, "going"))
    return TN_VERDICT_NOT_GOING;
  return TN_VERDICT_ACCEPTED;
}

gboolean
tn_store_take_stored_checkin (TnCheckin    *scan,
                              TnCheckin    *stored,
                              const GError *lookup_error,
                              gboolean     *out_found,
                              GError      **error)
{
  *out_found = FALSE;
  if (stored == NULL)
    {
      if (g_error_matches (lookup_error, TN_ERROR, TN_ERROR_NOT_FOUND))
        return TRUE;
      if (error != NULL)
        *error = g_error_copy (lookup_error);
      return FALSE;
    }
  if (!g_str_equal (stored->event_id, scan->event_id))
    {
      g_set_error (error, TN_ERROR, TN_ERROR_CONFLICT, "The scan id %s is taken by a scan of another event",
                   scan->id);
      return FALSE;
    }
  *out_found = TRUE;
  scan->verdict = stored->verdict;
  scan->flagged = stored->flagged;
  scan->received_at = stored->received_at;
  scan->undone_at = stored->undone_at;
  scan->previous_scanned_at = stored->previous_scanned_at;
  scan->seq = stored->seq;
  g_free (scan->attendee_id);
  scan->attendee_id = g_steal_pointer (&stored->attendee_id);
  g_free (scan->previous_device);
  scan->previous_device = g_steal_pointer (&stored->previous_device);
  return TRUE;
}

/* --- audit log ------------------------------------------------------------ */

TnAuditEntry *
tn_audit_entry_copy (const TnAuditEntry *entry)
{
  TnAuditEntry *copy;

  g_return_val_if_fail (entry != NULL, NULL);
  copy = g_new0 (TnAuditEntry, 1);
  copy->seq = entry->seq;
  copy->at = entry->at;
  copy->actor_id = g_strdup (entry->actor_id);
  copy->actor_email = g_strdup (entry->actor_email);
  copy->action = g_strdup (entry->action);
  copy->target_type = g_strdup (entry->target_type);
  copy->target_id = g_strdup (entry->target_id);
  copy->event_id = g_strdup (entry->event_id);
  copy->details = g_strdup (entry->details);
  return copy;
}

void
tn_audit_entry_free (TnAuditEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->actor_id);
  g_free (entry->actor_email);
  g_free (entry->action);
  g_free (entry->target_type);
  g_free (entry->target_id);
  g_free (entry->event_id);
  g_free (entry->details);
  g_free (entry);
}

/**
 * tn_store_set_audit:
 * @entry: (nullable): what to record; NULL forgets a pending entry
 *
 * Has the next change of the store (create, update, delete or cancel an
 * event, create a user, add a guest, update an attendee, reissue or
 * revoke a ticket, set or remove a person) record @entry in the audit
 * log in the same transaction: the record exists exactly when the change
 * does. @action and @target_type are required. Call it just before the
 * change, on the store's thread.
 */
void
tn_store_set_audit (TnStore            *self,
                    const TnAuditEntry *entry)
{
  g_return_if_fail (TN_IS_STORE (self));
  g_return_if_fail (entry == NULL || (entry->action != NULL && entry->target_type != NULL));
  IFACE (self)->set_audit (self, entry);
}

void
tn_door_stats_free (TnDoorStats *door)
{
  if (door == NULL)
    return;
  g_free (door->device);
  g_free (door->name);
  g_free (door);
}

/**
 * tn_store_get_door_stats:
 * @from: the start of the first minute (Unix seconds)
 * @out_arrivals: (out): accepted entries (not undone) in each of the
 *   %TN_ARRIVAL_MINUTES minutes from @from, by when they were scanned
 * @out_doors: (out) (transfer container) (element-type TnDoorStats): the
 *   scans of each door, by device
 */
gboolean
tn_store_get_door_stats (TnStore      *self,
                         const char   *event_id,
                         gint64        from,
                         gint64        out_arrivals[TN_ARRIVAL_MINUTES],
                         GPtrArray   **out_doors,
                         GError      **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), FALSE);
  g_return_val_if_fail (event_id != NULL && out_arrivals != NULL && out_doors != NULL, FALSE);
  return IFACE (self)->get_door_stats (self, event_id, from, out_arrivals, out_doors, error);
}

/**
 * tn_store_get_attendee_checkins:
 * @self: a #TnStore
 * @event_id: an event
 * @attendee_ids: (array zero-terminated=1): some of its attendees
 * @error: return location for a #TnError
 *
 * Returns: (transfer full) (nullable): attendee id → #TnAttendeeCheckin
 *   for those of @attendee_ids a scan let in; the others are absent
 */
GHashTable *
tn_store_get_attendee_checkins (TnStore            *self,
                                const char         *event_id,
                                const char * const *attendee_ids,
                                GError            **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), NULL);
  g_return_val_if_fail (event_id != NULL && attendee_ids != NULL, NULL);
  return IFACE (self)->get_attendee_checkins (self, event_id, attendee_ids, error);
}

/**
 * tn_store_get_event_stats:
 * @out_stats: (out): the event's capacity and attendees by RSVP status
 *
 * Returns: %FALSE with %TN_ERROR_NOT_FOUND when there is no such event
 */
gboolean
tn_store_get_event_stats (TnStore       *self,
                          const char    *event_id,
                          TnEventStats  *out_stats,
                          GError       **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), FALSE);
  g_return_val_if_fail (event_id != NULL, FALSE);
  g_return_val_if_fail (out_stats != NULL, FALSE);
  return IFACE (self)->get_event_stats (self, event_id, out_stats, error);
}

/**
 * tn_store_list_audit:
 *
 * Returns: (transfer container): #TnAuditEntry records matching @query,
 * newest (highest seq) first; @out_more tells whether more follow.
 */
GPtrArray *
tn_store_list_audit (TnStore            *self,
                     const TnAuditQuery *query,
                     gboolean           *out_more,
                     GError            **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);
  return IFACE (self)->list_audit (self, query, out_more, error);
}

/* --- door devices, check-in and sync -------------------------------------- */

static const char * const device_role_names[] = { "steward", "supervisor" };

const char *
tn_device_role_to_string (TnDeviceRole role)
{
  g_return_val_if_fail ((guint) role < G_N_ELEMENTS (device_role_names), NULL);
  return device_role_names[role];
}

gboolean
tn_device_role_from_string (const char   *text,
                            TnDeviceRole *out_role)
{
  g_return_val_if_fail (out_role != NULL, FALSE);

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (device_role_names); i++)
    if (g_str_equal (text, device_role_names[i]))
      {
        *out_role = (TnDeviceRole) i;
        return TRUE;
      }
  return FALSE;
}

TnDevice *
tn_device_copy (const TnDevice *device)
{
  TnDevice *copy;

  g_return_val_if_fail (device != NULL, NULL);
  copy = g_memdup2 (device, sizeof *device);
  copy->id = g_strdup (device->id);
  copy->event_id = g_strdup (device->event_id);
  copy->name = g_strdup (device->name);
  return copy;
}

void
tn_device_free (TnDevice *device)
{
  if (device == NULL)
    return;
  g_free (device->id);
  g_free (device->event_id);
  g_free (device->name);
  g_free (device);
}

void
tn_checkin_free (TnCheckin *checkin)
{
  if (checkin == NULL)
    return;
  g_free (checkin->id);
  g_free (checkin->event_id);
  g_free (checkin->code);
  g_free (checkin->device);
  g_free (checkin->attendee_id);
  g_free (checkin->previous_device);
  g_free (checkin);
}

void
tn_sync_change_free (TnSyncChange *change)
{
  if (change == NULL)
    return;
  g_clear_object (&change->attendee);
  g_free (change->code);
  g_clear_pointer (&change->checkin, tn_checkin_free);
  g_free (change);
}

/**
 * tn_store_add_pairing_code:
 * @code_hash: tn_auth_hash_token() of the canonical pairing code
 *
 * Keeps a one-time pairing code for a door device of @event_id, valid
 * until @expires_at.
 */
gboolean
tn_store_add_pairing_code (TnStore      *self,
                           const char   *code_hash,
                           const char   *event_id,
                           TnDeviceRole  role,
                           const char   *name,
                           gint64        expires_at,
                           gint64        now,
                           GError      **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), FALSE);
  g_return_val_if_fail (code_hash != NULL && event_id != NULL, FALSE);
  return IFACE (self)->add_pairing_code (self, code_hash, event_id, role, name, expires_at, now, error);
}

/**
 * tn_store_pair_device:
 *
 * Uses up the pairing code of @code_hash and makes a device with it:
 * %TN_ERROR_UNAUTHORIZED when the code is unknown, used or expired.
 *
 * Returns: (transfer full): the new device
 */
TnDevice *
tn_store_pair_device (TnStore     *self,
                      const char  *code_hash,
                      const char  *device_id,
                      const char  *name,
                      const char  *token_hash,
                      gint64       now,
                      GError     **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), NULL);
  g_return_val_if_fail (code_hash != NULL && device_id != NULL && name != NULL && token_hash != NULL, NULL);
  return IFACE (self)->pair_device (self, code_hash, device_id, name, token_hash, now, error);
}

/**
 * tn_store_list_devices:
 *
 * Returns: (transfer container): the #TnDevice records of @event_id,
 *   oldest first, revoked ones included
 */
GPtrArray *
tn_store_list_devices (TnStore     *self,
                       const char  *event_id,
                       GError     **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), NULL);
  return IFACE (self)->list_devices (self, event_id, error);
}

TnDevice *
tn_store_get_device (TnStore     *self,
                     const char  *id,
                     GError     **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), NULL);
  return IFACE (self)->get_device (self, id, error);
}

/**
 * tn_store_lookup_device:
 *
 * Returns: (transfer full): the device whose token has @token_hash,
 *   revoked or not (the caller tells them apart); a device removed with
 *   its event comes back revoked; %TN_ERROR_NOT_FOUND when there is none
 */
TnDevice *
tn_store_lookup_device (TnStore     *self,
                        const char  *token_hash,
                        GError     **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), NULL);
  return IFACE (self)->lookup_device (self, token_hash, error);
}

TnDevice *
tn_store_rename_device (TnStore     *self,
                        const char  *id,
                        const char  *name,
                        GError     **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), NULL);
  return IFACE (self)->rename_device (self, id, name, error);
}

/**
 * tn_store_revoke_device:
 *
 * Revokes the device's token (a device revoked already stays as it was).
 *
 * Returns: (transfer full): the device
 */
TnDevice *
tn_store_revoke_device (TnStore     *self,
                        const char  *id,
                        gint64       now,
                        GError     **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), NULL);
  return IFACE (self)->revoke_device (self, id, now, error);
}

/**
 * tn_store_touch_device:
 *
 * Notes that the device was seen at @now (written at most once a minute).
 */
gboolean
tn_store_touch_device (TnStore     *self,
                       const char  *id,
                       gint64       now,
                       GError     **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), FALSE);
  return IFACE (self)->touch_device (self, id, now, error);
}

/**
 * tn_store_get_event_key:
 *
 * Reads the Ed25519 key pair that signs the tickets of @event_id, making
 * it when the event has none yet.
 */
gboolean
tn_store_get_event_key (TnStore     *self,
                        const char  *event_id,
                        guint8       public_key[32],
                        guint8       secret_key[64],
                        GError     **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), FALSE);
  return IFACE (self)->get_event_key (self, event_id, public_key, secret_key, error);
}

/**
 * tn_store_record_checkins:
 * @checkins: (element-type TnCheckin): scans, with the fields the caller
 *   fills set
 *
 * Judges and stores every scan in one transaction (docs/CHECKIN.md): a
 * scan id stored already changes nothing and gets its stored verdict
 * back (%TN_ERROR_CONFLICT when it was a scan of another event).
 */
gboolean
tn_store_record_checkins (TnStore    *self,
                          GPtrArray  *checkins,
                          gint64      now,
                          GError    **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), FALSE);
  g_return_val_if_fail (checkins != NULL, FALSE);
  return IFACE (self)->record_checkins (self, checkins, now, error);
}

TnCheckin *
tn_store_get_checkin (TnStore     *self,
                      const char  *id,
                      GError     **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), NULL);
  return IFACE (self)->get_checkin (self, id, error);
}

/**
 * tn_store_undo_checkin:
 *
 * Marks the scan undone (once) and judges its ticket's other scans again.
 */
gboolean
tn_store_undo_checkin (TnStore     *self,
                       const char  *id,
                       gint64       now,
                       GError     **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), FALSE);
  return IFACE (self)->undo_checkin (self, id, now, error);
}

/**
 * tn_store_list_changes:
 *
 * Returns: (transfer container): the #TnSyncChange records of @event_id
 *   after sequence number @since, in order, at most @limit
 */
GPtrArray *
tn_store_list_changes (TnStore     *self,
                       const char  *event_id,
                       gint64       since,
                       guint        limit,
                       gboolean    *out_more,
                       GError     **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), NULL);
  g_return_val_if_fail (out_more != NULL, NULL);
  return IFACE (self)->list_changes (self, event_id, since, limit, out_more, error);
}

/* --- follows, profiles and the recommender's data ------------------------ */

void
tn_follow_free (TnFollow *follow)
{
  if (follow == NULL)
    return;
  g_free (follow->user_id);
  g_free (follow->name);
  g_free (follow);
}

/**
 * tn_store_follow:
 * @follower_id: who follows
 * @followee_id: whom
 * @now: the time of the follow, if it is new
 *
 * Makes @follower_id follow @followee_id; following again changes
 * nothing. An unknown @followee_id is %TN_ERROR_NOT_FOUND, following
 * oneself %TN_ERROR_VALIDATION_FAILED.
 *
 * Returns: (transfer full) (nullable): @followee_id as an entry of
 *   @follower_id's following list
 */
TnFollow *
tn_store_follow (TnStore     *self,
                 const char  *follower_id,
                 const char  *followee_id,
                 gint64       now,
                 GError     **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), NULL);
  g_return_val_if_fail (follower_id != NULL && followee_id != NULL, NULL);
  return IFACE (self)->follow (self, follower_id, followee_id, now, error);
}

/**
 * tn_store_unfollow:
 *
 * Ends a follow; without one, does nothing. An unknown @followee_id is
 * %TN_ERROR_NOT_FOUND.
 */
gboolean
tn_store_unfollow (TnStore     *self,
                   const char  *follower_id,
                   const char  *followee_id,
                   GError     **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), FALSE);
  g_return_val_if_fail (follower_id != NULL && followee_id != NULL, FALSE);
  return IFACE (self)->unfollow (self, follower_id, followee_id, error);
}

/**
 * tn_store_list_follows:
 * @out_more: (out): whether more entries follow the page
 *
 * One page of a follower or following list (#TnFollowQuery). The user
 * of @query is not checked: an unknown one has empty lists.
 *
 * Returns: (transfer container) (element-type TnFollow) (nullable): the
 *   entries
 */
GPtrArray *
tn_store_list_follows (TnStore             *self,
                       const TnFollowQuery *query,
                       gboolean            *out_more,
                       GError             **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL && query->user_id != NULL && out_more != NULL, NULL);
  return IFACE (self)->list_follows (self, query, out_more, error);
}

/**
 * tn_store_update_profile:
 * @set_home: whether to change the home location
 * @home_lat: its latitude, or NAN to clear it
 * @home_lon: its longitude, or NAN
 * @interests: (nullable) (array zero-terminated=1): category names, as
 *   the caller checked them; %NULL leaves them as they are
 *
 * Changes a user's recommendation profile.
 *
 * Returns: (transfer full) (nullable): the user, with the profile
 */
TnUser *
tn_store_update_profile (TnStore            *self,
                         const char         *user_id,
                         gboolean            set_home,
                         double              home_lat,
                         double              home_lon,
                         const char * const *interests,
                         GError            **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), NULL);
  g_return_val_if_fail (user_id != NULL, NULL);
  return IFACE (self)->update_profile (self, user_id, set_home, home_lat, home_lon, interests, error);
}

/**
 * tn_store_load_rec_data:
 * @data: an empty #TnRecData to fill
 *
 * Reads the whole community the recommender is built from into @data:
 * every user with their profile, every event (`listed` when public and
 * scheduled), members' RSVPs (guests without an account are left out)
 * with whether a door let them in, and follows. Unlike every other call,
 * this one may run on any thread while the store serves others: it reads
 * one consistent snapshot of the committed data on a read-only
 * connection of its own.
 */
gboolean
tn_store_load_rec_data (TnStore    *self,
                        TnRecData  *data,
                        GError    **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  return IFACE (self)->load_rec_data (self, data, error);
}

/**
 * tn_store_list_user_answers:
 *
 * The events @user_id has an RSVP for, whatever its answer.
 *
 * Returns: (transfer container) (element-type utf8) (nullable): event ids
 */
GPtrArray *
tn_store_list_user_answers (TnStore     *self,
                            const char  *user_id,
                            GError     **error)
{
  g_return_val_if_fail (TN_IS_STORE (self), NULL);
  g_return_val_if_fail (user_id != NULL, NULL);
  return IFACE (self)->list_user_answers (self, user_id, error);
}
