/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tn-event-replica.h"
#include "tn-backoff.h"
#include "tn-error.h"
#include "tn-id.h"
#include "tn-json.h"
#include "tn-sqlite-db.h"

#include <string.h>

/* The organizer's replica (../shared/DESIGN.md "Offline-first clients"):
 * one SQLite file per server and account, the events the account sees
 * and an outbox of event mutations the server has not confirmed.
 *
 * Each event row holds the local view (`json`: the server's copy with
 * every pending change applied), which the app reads, and the server's
 * last known copy (`server_json`, NULL for an event only created here),
 * which a conflict is shown against and "keep theirs" goes back to. A
 * local change and its outbox entry are written in one transaction, with
 * WAL and synchronous=FULL, so a crash keeps both or neither. A pull
 * never overwrites the local view of an event with entries waiting. */

struct _TnEventReplica
{
  GObject parent_instance;

  TnSqliteDb *db;
  TnBackoff   backoff;
};

G_DEFINE_FINAL_TYPE (TnEventReplica, tn_event_replica, G_TYPE_OBJECT)

static const char schema_v1[] =
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
  "CREATE TABLE events ("
  "  id TEXT PRIMARY KEY,"
  "  json TEXT NOT NULL,"
  "  server_json TEXT,"
  "  version INTEGER NOT NULL DEFAULT 0,"
  "  starts_at INTEGER NOT NULL,"
  "  ends_at INTEGER NOT NULL,"
  "  title TEXT NOT NULL,"
  "  search TEXT NOT NULL,"
  "  status TEXT NOT NULL,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  pending INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX events_time ON events (deleted, ends_at, starts_at);"
  "CREATE TABLE outbox ("
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  id TEXT NOT NULL UNIQUE,"
  "  event_id TEXT NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  payload TEXT NOT NULL,"
  "  base_version INTEGER NOT NULL DEFAULT 0,"
  "  state TEXT NOT NULL DEFAULT 'queued',"
  "  reason TEXT,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  next_attempt_at INTEGER NOT NULL DEFAULT 0,"
  "  created_at INTEGER NOT NULL);"
  "CREATE INDEX outbox_event ON outbox (event_id, seq);";

static const char * const kind_names[] = { "create", "update", "cancel", "delete", NULL };
static const char * const state_names[] = { "queued", "conflicted", "rejected", NULL };

/* --- the mutation type --------------------------------------------------- */

TnEventMutation *
tn_event_mutation_copy (const TnEventMutation *mutation)
{
  TnEventMutation *copy;

  g_return_val_if_fail (mutation != NULL, NULL);

  copy = g_memdup2 (mutation, sizeof *mutation);
  copy->id = g_strdup (mutation->id);
  copy->event_id = g_strdup (mutation->event_id);
  copy->payload = g_strdup (mutation->payload);
  copy->reason = g_strdup (mutation->reason);
  return copy;
}

void
tn_event_mutation_free (TnEventMutation *mutation)
{
  if (mutation == NULL)
    return;
  g_free (mutation->id);
  g_free (mutation->event_id);
  g_free (mutation->payload);
  g_free (mutation->reason);
  g_free (mutation);
}

G_DEFINE_BOXED_TYPE (TnEventMutation, tn_event_mutation, tn_event_mutation_copy, tn_event_mutation_free)

static guint
name_index (const char * const *names,
            const char         *name)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (g_strcmp0 (names[i], name) == 0)
      return i;
  return 0;
}

/* --- events as text ------------------------------------------------------ */

static char *
event_text (TnEvent *event)
{
  g_autoptr(GString) text = g_string_sized_new (1024);

  tn_event_append_json (event, TN_EVENT_JSON_STORED, text);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static TnEvent *
event_from_text (const char *text)
{
  g_autoptr(JsonObject) object = NULL;

  if (text == NULL)
    return NULL;
  object = tn_json_parse_object (text, strlen (text), NULL);
  if (object == NULL)
    return NULL;
  return tn_event_new_from_json (object, TN_EVENT_JSON_STORED, NULL, NULL);
}

static JsonObject *
patch_object (TnEvent *event)
{
  g_autoptr(JsonNode) node = tn_event_to_json (event, TN_EVENT_JSON_PATCH);

  return json_object_ref (json_node_get_object (node));
}

static char *
object_text (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return tn_json_to_string (node);
}

static char *
search_text (TnEvent *event)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const char * const *tags = tn_event_get_tags (event);

  g_string_append_printf (text, "%s\n%s\n%s\n%s",
                          tn_event_get_title (event) ? tn_event_get_title (event) : "",
                          tn_event_get_description (event) ? tn_event_get_description (event) : "",
                          tn_event_get_location (event) ? tn_event_get_location (event) : "",
                          tn_event_get_category (event) ? tn_event_get_category (event) : "");
  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    g_string_append_printf (text, "\n%s", tags[i]);
  return tn_sqlite_fold_text (text->str);
}

/* Writes @local as the event's local view (and @server, when given, as
 * its server copy), keeping the other columns. */
static gboolean
store_event (TnEventReplica  *self,
             TnEvent         *local,
             TnEvent         *server,
             gboolean         deleted,
             GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *json = event_text (local);
  g_autofree char *server_json = server != NULL ? event_text (server) : NULL;
  g_autofree char *search = search_text (local);

  stmt = tn_sqlite_db_prepare (self->db,
                               "INSERT INTO events (id, json, server_json, version, starts_at, ends_at, title, search, status, deleted) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
                               "ON CONFLICT (id) DO UPDATE SET json = ?2, server_json = COALESCE(?3, server_json), "
                               "version = CASE WHEN ?3 IS NULL THEN version ELSE ?4 END, "
                               "starts_at = ?5, ends_at = ?6, title = ?7, search = ?8, status = ?9, deleted = ?10",
                               error);
  if (stmt == NULL)
    return FALSE;
  tn_sqlite_bind_text (stmt, 1, tn_event_get_id (local));
  tn_sqlite_bind_text (stmt, 2, json);
  tn_sqlite_bind_text (stmt, 3, server_json);
  sqlite3_bind_int64 (stmt, 4, server != NULL ? tn_event_get_version (server) : 0);
  sqlite3_bind_int64 (stmt, 5, tn_event_get_starts_at (local));
  sqlite3_bind_int64 (stmt, 6, tn_event_get_ends_at (local));
  tn_sqlite_bind_text (stmt, 7, tn_event_get_title (local));
  tn_sqlite_bind_text (stmt, 8, search);
  tn_sqlite_bind_text (stmt, 9, tn_event_status_to_string (tn_event_get_status (local)));
  sqlite3_bind_int (stmt, 10, deleted ? 1 : 0);
  return tn_sqlite_db_step_done (self->db, stmt, error);
}

static gboolean
update_pending_flag (TnEventReplica  *self,
                     const char      *event_id,
                     GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    tn_sqlite_db_prepare (self->db, "UPDATE events SET pending = EXISTS (SELECT 1 FROM outbox WHERE event_id = events.id) "
                                    "WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  tn_sqlite_bind_text (stmt, 1, event_id);
  return tn_sqlite_db_step_done (self->db, stmt, error);
}

static gboolean
delete_event_row (TnEventReplica  *self,
                  const char      *event_id,
                  GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = tn_sqlite_db_prepare (self->db, "DELETE FROM events WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  tn_sqlite_bind_text (stmt, 1, event_id);
  return tn_sqlite_db_step_done (self->db, stmt, error);
}

static gboolean
delete_entries (TnEventReplica  *self,
                const char      *event_id,
                GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = tn_sqlite_db_prepare (self->db, "DELETE FROM outbox WHERE event_id = ?", error);

  if (stmt == NULL)
    return FALSE;
  tn_sqlite_bind_text (stmt, 1, event_id);
  return tn_sqlite_db_step_done (self->db, stmt, error);
}

static gboolean
add_entry (TnEventReplica       *self,
           const char           *event_id,
           TnEventMutationKind   kind,
           const char           *payload,
           gint64                base_version,
           GError              **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *id = tn_id_new ();

  stmt = tn_sqlite_db_prepare (self->db, "INSERT INTO outbox (id, event_id, kind, payload, base_version, created_at) "
                                         "VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  tn_sqlite_bind_text (stmt, 1, id);
  tn_sqlite_bind_text (stmt, 2, event_id);
  tn_sqlite_bind_text (stmt, 3, kind_names[kind]);
  tn_sqlite_bind_text (stmt, 4, payload);
  sqlite3_bind_int64 (stmt, 5, base_version);
  sqlite3_bind_int64 (stmt, 6, g_get_real_time ());
  return tn_sqlite_db_step_done (self->db, stmt, error) && update_pending_flag (self, event_id, error);
}

static TnEventMutation *
read_entry (sqlite3_stmt *stmt)
{
  TnEventMutation *entry = g_new0 (TnEventMutation, 1);

  entry->id = tn_sqlite_column_dup (stmt, 0);
  entry->event_id = tn_sqlite_column_dup (stmt, 1);
  entry->kind = name_index (kind_names, (const char *) sqlite3_column_text (stmt, 2));
  entry->payload = tn_sqlite_column_dup (stmt, 3);
  entry->base_version = sqlite3_column_int64 (stmt, 4);
  entry->state = name_index (state_names, (const char *) sqlite3_column_text (stmt, 5));
  entry->reason = tn_sqlite_column_dup (stmt, 6);
  entry->attempts = (guint) sqlite3_column_int (stmt, 7);
  entry->next_attempt_at = sqlite3_column_int64 (stmt, 8);
  return entry;
}

#define ENTRY_COLUMNS "id, event_id, kind, payload, base_version, state, reason, attempts, next_attempt_at"

/* The event's last outbox entry, or NULL. */
static TnEventMutation *
last_entry (TnEventReplica *self,
            const char     *event_id)
{
  g_autoptr(sqlite3_stmt) stmt =
    tn_sqlite_db_prepare (self->db, "SELECT " ENTRY_COLUMNS " FROM outbox WHERE event_id = ? ORDER BY seq DESC LIMIT 1", NULL);

  if (stmt == NULL)
    return NULL;
  tn_sqlite_bind_text (stmt, 1, event_id);
  return sqlite3_step (stmt) == SQLITE_ROW ? read_entry (stmt) : NULL;
}

static TnEventMutation *
entry_by_id (TnEventReplica *self,
             const char     *id)
{
  g_autoptr(sqlite3_stmt) stmt = tn_sqlite_db_prepare (self->db, "SELECT " ENTRY_COLUMNS " FROM outbox WHERE id = ?", NULL);

  if (stmt == NULL)
    return NULL;
  tn_sqlite_bind_text (stmt, 1, id);
  return sqlite3_step (stmt) == SQLITE_ROW ? read_entry (stmt) : NULL;
}

static gboolean
set_payload (TnEventReplica  *self,
             const char      *id,
             const char      *payload,
             GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = tn_sqlite_db_prepare (self->db, "UPDATE outbox SET payload = ? WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  tn_sqlite_bind_text (stmt, 1, payload);
  tn_sqlite_bind_text (stmt, 2, id);
  return tn_sqlite_db_step_done (self->db, stmt, error);
}

/* The local view and server copy of an event; FALSE when unknown. */
static gboolean
load_row (TnEventReplica  *self,
          const char      *event_id,
          TnEvent        **out_local,
          TnEvent        **out_server,
          gboolean        *out_deleted)
{
  g_autoptr(sqlite3_stmt) stmt =
    tn_sqlite_db_prepare (self->db, "SELECT json, server_json, deleted FROM events WHERE id = ?", NULL);

  if (stmt == NULL)
    return FALSE;
  tn_sqlite_bind_text (stmt, 1, event_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;
  if (out_local != NULL)
    *out_local = event_from_text ((const char *) sqlite3_column_text (stmt, 0));
  if (out_server != NULL)
    *out_server = event_from_text ((const char *) sqlite3_column_text (stmt, 1));
  if (out_deleted != NULL)
    *out_deleted = sqlite3_column_int (stmt, 2) != 0;
  return TRUE;
}

/* --- opening ------------------------------------------------------------- */

static const char * const migrations[] = {
  schema_v1,
};

static void
tn_event_replica_finalize (GObject *object)
{
  TnEventReplica *self = (TnEventReplica *) object;

  g_clear_pointer (&self->db, tn_sqlite_db_free);

  G_OBJECT_CLASS (tn_event_replica_parent_class)->finalize (object);
}

static void
tn_event_replica_class_init (TnEventReplicaClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tn_event_replica_finalize;
}

static void
tn_event_replica_init (TnEventReplica *self)
{
  self->backoff = TN_BACKOFF_DEFAULT;
}

/* --- public API: opening ------------------------------------------------- */

/**
 * tn_event_replica_path_for:
 * @server_url: the server's URL
 * @account: the account's id
 *
 * Returns: (transfer full): where the organizer replica of @account at
 *   @server_url lives: `$XDG_DATA_HOME/turnout/organizer/<hash>.sqlite`
 */
char *
tn_event_replica_path_for (const char *server_url,
                           const char *account)
{
  g_return_val_if_fail (server_url != NULL && account != NULL, NULL);

  return tn_sqlite_db_path_for ("organizer", server_url, account);
}

/**
 * tn_event_replica_open_path:
 * @path: the replica's file
 * @error: return location for a #TnError
 *
 * Opens the replica at @path, making it (0600, its directory 0700) and
 * bringing its schema up to date as needed.
 *
 * Returns: (transfer full) (nullable): the replica
 */
TnEventReplica *
tn_event_replica_open_path (const char  *path,
                            GError     **error)
{
  g_autoptr(TnEventReplica) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (TN_TYPE_EVENT_REPLICA, NULL);
  self->db = tn_sqlite_db_open (path, migrations, G_N_ELEMENTS (migrations), error);
  if (self->db == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * tn_event_replica_open:
 * @server_url: the server's URL
 * @account: the account's id
 * @error: return location for a #TnError
 *
 * Returns: (transfer full) (nullable): the replica at
 *   tn_event_replica_path_for()
 */
TnEventReplica *
tn_event_replica_open (const char  *server_url,
                       const char  *account,
                       GError     **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (server_url != NULL && account != NULL, NULL);

  path = tn_event_replica_path_for (server_url, account);
  return tn_event_replica_open_path (path, error);
}

const char *
tn_event_replica_get_path (TnEventReplica *self)
{
  g_return_val_if_fail (TN_IS_EVENT_REPLICA (self), NULL);
  return self->db->path;
}

/**
 * tn_event_replica_set_backoff:
 * @self: a #TnEventReplica
 * @base_us: the delay after the first failed delivery, in µs
 * @max_us: the longest delay
 *
 * Sets the outbox's retry schedule (default 1 s doubling up to 5 min).
 */
void
tn_event_replica_set_backoff (TnEventReplica *self,
                              gint64          base_us,
                              gint64          max_us)
{
  g_return_if_fail (TN_IS_EVENT_REPLICA (self));
  g_return_if_fail (base_us > 0 && max_us >= base_us);

  self->backoff.base = base_us;
  self->backoff.max = max_us;
}

/* --- public API: reads --------------------------------------------------- */

/**
 * tn_event_replica_get:
 * @self: a #TnEventReplica
 * @event_id: an event's id
 *
 * Returns: (transfer full) (nullable): the event with every pending
 *   change applied; %NULL when unknown or deleted here
 */
TnEvent *
tn_event_replica_get (TnEventReplica *self,
                      const char     *event_id)
{
  g_autoptr(TnEvent) local = NULL;
  gboolean deleted = FALSE;

  g_return_val_if_fail (TN_IS_EVENT_REPLICA (self), NULL);
  g_return_val_if_fail (event_id != NULL, NULL);

  if (!load_row (self, event_id, &local, NULL, &deleted) || deleted)
    return NULL;
  return g_steal_pointer (&local);
}

/**
 * tn_event_replica_get_server_copy:
 * @self: a #TnEventReplica
 * @event_id: an event's id
 *
 * Returns: (transfer full) (nullable): the event as the server last gave
 *   it; %NULL for one only created here so far
 */
TnEvent *
tn_event_replica_get_server_copy (TnEventReplica *self,
                                  const char     *event_id)
{
  g_autoptr(TnEvent) server = NULL;

  g_return_val_if_fail (TN_IS_EVENT_REPLICA (self), NULL);
  g_return_val_if_fail (event_id != NULL, NULL);

  if (!load_row (self, event_id, NULL, &server, NULL))
    return NULL;
  return g_steal_pointer (&server);
}

/**
 * tn_event_replica_list:
 * @self: a #TnEventReplica
 * @past: %FALSE for upcoming events (not ended at @now), soonest first;
 *   %TRUE for past ones, latest first
 * @search: (nullable): only events whose title, description, location,
 *   category or tags hold every word of it (case and accents ignored)
 * @now: the time that splits past from upcoming, Unix seconds
 *
 * Returns: (transfer container) (element-type TnEvent): the events, with
 *   pending changes applied; deleted ones left out
 */
GPtrArray *
tn_event_replica_list (TnEventReplica *self,
                       gboolean        past,
                       const char     *search,
                       gint64          now)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GString) sql = g_string_new ("SELECT json FROM events WHERE deleted = 0 AND ");
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *folded = tn_sqlite_fold_text (search);
  g_auto(GStrv) words = g_strsplit_set (folded, " \t\n", -1);
  int index = 2;

  g_return_val_if_fail (TN_IS_EVENT_REPLICA (self), NULL);

  g_string_append (sql, past ? "ends_at < ?1" : "ends_at >= ?1");
  for (guint i = 0; words[i] != NULL; i++)
    if (words[i][0] != '\0')
      g_string_append_printf (sql, " AND instr(search, ?%d) > 0", index++);
  g_string_append (sql, past ? " ORDER BY starts_at DESC, id" : " ORDER BY starts_at, id");
  stmt = tn_sqlite_db_prepare (self->db, sql->str, NULL);
  if (stmt == NULL)
    return g_steal_pointer (&events);
  sqlite3_bind_int64 (stmt, 1, now);
  index = 2;
  for (guint i = 0; words[i] != NULL; i++)
    if (words[i][0] != '\0')
      tn_sqlite_bind_text (stmt, index++, words[i]);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      TnEvent *event = event_from_text ((const char *) sqlite3_column_text (stmt, 0));

      if (event != NULL)
        g_ptr_array_add (events, event);
    }
  return g_steal_pointer (&events);
}

/**
 * tn_event_replica_is_pending:
 *
 * Returns: whether changes of the event wait in the outbox
 */
gboolean
tn_event_replica_is_pending (TnEventReplica *self,
                             const char     *event_id)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (TN_IS_EVENT_REPLICA (self), FALSE);
  g_return_val_if_fail (event_id != NULL, FALSE);

  stmt = tn_sqlite_db_prepare (self->db, "SELECT pending FROM events WHERE id = ?", NULL);
  if (stmt == NULL)
    return FALSE;
  tn_sqlite_bind_text (stmt, 1, event_id);
  return sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
}

/* --- public API: local writes -------------------------------------------- */

static gboolean
no_such_event (const char  *event_id,
               GError     **error)
{
  g_set_error (error, TN_ERROR, TN_ERROR_NOT_FOUND, "No event %s in the replica", event_id);
  return FALSE;
}

/* The server version a change made now rests on: that of the server's
 * copy, else (an event only created here) the local view's. */
static gint64
base_version (TnEvent *local,
              TnEvent *server)
{
  return server != NULL ? tn_event_get_version (server) : tn_event_get_version (local);
}

/**
 * tn_event_replica_create:
 * @self: a #TnEventReplica
 * @event: the new event; without an id it gets a new UUIDv7
 * @details: (nullable): gets a message per invalid field
 * @error: return location for a #TnError
 *
 * Validates @event and stores it with a create in the outbox. The id is
 * sent with the create, so a retried POST cannot make a second event.
 *
 * Returns: (transfer full) (nullable): the event as stored here
 */
TnEvent *
tn_event_replica_create (TnEventReplica  *self,
                         TnEvent         *event,
                         JsonObject      *details,
                         GError         **error)
{
  g_autoptr(TnEvent) copy = NULL;
  g_autoptr(JsonNode) payload = NULL;
  g_autofree char *payload_text = NULL;
  g_autoptr(JsonObject) own_details = NULL;

  g_return_val_if_fail (TN_IS_EVENT_REPLICA (self), NULL);
  g_return_val_if_fail (TN_IS_EVENT (event), NULL);

  if (details == NULL)
    details = own_details = json_object_new ();
  if (!tn_event_validate (event, details, error))
    return NULL;
  copy = tn_event_copy (event);
  if (tn_event_get_id (copy) == NULL)
    {
      g_autofree char *id = tn_id_new ();

      tn_event_set_id (copy, id);
    }
  else if (load_row (self, tn_event_get_id (copy), NULL, NULL, NULL))
    {
      g_set_error (error, TN_ERROR, TN_ERROR_CONFLICT, "Event %s exists already", tn_event_get_id (copy));
      return NULL;
    }
  tn_event_set_version (copy, 0);
  tn_event_set_status (copy, TN_EVENT_STATUS_SCHEDULED);
  payload = tn_event_to_json (copy, TN_EVENT_JSON_CREATE);
  payload_text = tn_json_to_string (payload);

  if (!tn_sqlite_db_begin (self->db, error))
    return NULL;
  if (!store_event (self, copy, NULL, FALSE, error) ||
      !add_entry (self, tn_event_get_id (copy), TN_EVENT_MUTATION_CREATE, payload_text, 0, error) ||
      !tn_sqlite_db_commit (self->db, error))
    {
      tn_sqlite_db_rollback (self->db);
      return NULL;
    }
  return g_steal_pointer (&copy);
}

/**
 * tn_event_replica_update:
 * @self: a #TnEventReplica
 * @edited: the event as edited (its id names it)
 * @details: (nullable): gets a message per invalid field
 * @error: return location for a #TnError
 *
 * Stores the fields of @edited that differ from the local view, with an
 * update in the outbox made on the server version the local view rests
 * on. Edits made before the last one is delivered merge into it (into
 * the create of an event not delivered yet), keeping the first base
 * version. Changing nothing stores nothing.
 *
 * Returns: whether it was stored; %TN_ERROR_NOT_FOUND for an event the
 *   replica does not have or deleted
 */
gboolean
tn_event_replica_update (TnEventReplica  *self,
                         TnEvent         *edited,
                         JsonObject      *details,
                         GError         **error)
{
  g_autoptr(TnEvent) local = NULL;
  g_autoptr(TnEvent) server = NULL;
  g_autoptr(TnEvent) merged = NULL;
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(JsonObject) changes = json_object_new ();
  g_autoptr(TnEventMutation) last = NULL;
  g_autoptr(JsonObject) own_details = NULL;
  g_autoptr(GList) members = NULL;
  const char *event_id;
  gboolean deleted = FALSE;

  g_return_val_if_fail (TN_IS_EVENT_REPLICA (self), FALSE);
  g_return_val_if_fail (TN_IS_EVENT (edited), FALSE);
  g_return_val_if_fail (tn_event_get_id (edited) != NULL, FALSE);

  event_id = tn_event_get_id (edited);
  if (details == NULL)
    details = own_details = json_object_new ();
  if (!tn_event_validate (edited, details, error))
    return FALSE;
  if (!load_row (self, event_id, &local, &server, &deleted) || local == NULL || deleted)
    return no_such_event (event_id, error);

  before = patch_object (local);
  after = patch_object (edited);
  members = json_object_get_members (after);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *old = json_object_get_member (before, l->data);
      JsonNode *new = json_object_get_member (after, l->data);

      if (old == NULL || !json_node_equal (old, new))
        json_object_set_member (changes, l->data, json_node_copy (new));
    }
  if (json_object_get_size (changes) == 0)
    return TRUE;

  /* the local view: the old one with the changes, read-only fields kept */
  merged = tn_event_copy (local);
  if (!tn_event_apply_json (merged, changes, TN_EVENT_JSON_PATCH, details, error))
    return FALSE;

  if (!tn_sqlite_db_begin (self->db, error))
    return FALSE;
  last = last_entry (self, event_id);
  if (last != NULL && last->state == TN_EVENT_MUTATION_QUEUED &&
      (last->kind == TN_EVENT_MUTATION_UPDATE || last->kind == TN_EVENT_MUTATION_CREATE))
    {
      /* coalesce into the entry not delivered yet */
      g_autoptr(JsonObject) payload = tn_json_parse_object (last->payload, strlen (last->payload), NULL);
      g_autoptr(GList) changed = json_object_get_members (changes);
      g_autofree char *text = NULL;

      if (payload == NULL)
        payload = json_object_new ();
      for (GList *l = changed; l != NULL; l = l->next)
        json_object_set_member (payload, l->data, json_node_copy (json_object_get_member (changes, l->data)));
      text = object_text (payload);
      if (!set_payload (self, last->id, text, error))
        goto fail;
    }
  else
    {
      g_autofree char *text = object_text (changes);

      if (!add_entry (self, event_id, TN_EVENT_MUTATION_UPDATE, text, base_version (local, server), error))
        goto fail;
    }
  if (!store_event (self, merged, NULL, FALSE, error) ||
      !update_pending_flag (self, event_id, error) ||
      !tn_sqlite_db_commit (self->db, error))
    goto fail;
  return TRUE;

fail:
  tn_sqlite_db_rollback (self->db);
  return FALSE;
}

/**
 * tn_event_replica_cancel:
 * @self: a #TnEventReplica
 * @event_id: the event
 * @error: return location for a #TnError
 *
 * Marks the event cancelled here and queues its cancellation, made on the
 * server version the local view rests on (sent as `If-Match`).
 *
 * Returns: whether it was stored
 */
gboolean
tn_event_replica_cancel (TnEventReplica  *self,
                         const char      *event_id,
                         GError         **error)
{
  g_autoptr(TnEvent) local = NULL;
  g_autoptr(TnEvent) server = NULL;
  gboolean deleted = FALSE;

  g_return_val_if_fail (TN_IS_EVENT_REPLICA (self), FALSE);
  g_return_val_if_fail (event_id != NULL, FALSE);

  if (!load_row (self, event_id, &local, &server, &deleted) || local == NULL || deleted)
    return no_such_event (event_id, error);
  if (tn_event_get_status (local) == TN_EVENT_STATUS_CANCELLED)
    return TRUE;
  tn_event_set_status (local, TN_EVENT_STATUS_CANCELLED);
  if (!tn_sqlite_db_begin (self->db, error))
    return FALSE;
  if (!store_event (self, local, NULL, FALSE, error) ||
      !add_entry (self, event_id, TN_EVENT_MUTATION_CANCEL, "{}", base_version (local, server), error) ||
      !tn_sqlite_db_commit (self->db, error))
    {
      tn_sqlite_db_rollback (self->db);
      return FALSE;
    }
  return TRUE;
}

/**
 * tn_event_replica_delete:
 * @self: a #TnEventReplica
 * @event_id: the event
 * @error: return location for a #TnError
 *
 * Hides the event here and queues its deletion, made on the server
 * version the local view rests on (sent as `If-Match`); its queued edits
 * and cancellation are moot and dropped (a create stays: it may have
 * reached the server already).
 *
 * Returns: whether it was stored
 */
gboolean
tn_event_replica_delete (TnEventReplica  *self,
                         const char      *event_id,
                         GError         **error)
{
  g_autoptr(TnEvent) local = NULL;
  g_autoptr(TnEvent) server = NULL;
  g_autoptr(sqlite3_stmt) drop = NULL;
  gboolean deleted = FALSE;

  g_return_val_if_fail (TN_IS_EVENT_REPLICA (self), FALSE);
  g_return_val_if_fail (event_id != NULL, FALSE);

  if (!load_row (self, event_id, &local, &server, &deleted) || local == NULL)
    return no_such_event (event_id, error);
  if (deleted)
    return TRUE;
  if (!tn_sqlite_db_begin (self->db, error))
    return FALSE;
  drop = tn_sqlite_db_prepare (self->db, "DELETE FROM outbox WHERE event_id = ? AND kind <> 'create'", error);
  if (drop == NULL)
    goto fail;
  tn_sqlite_bind_text (drop, 1, event_id);
  if (!tn_sqlite_db_step_done (self->db, drop, error) ||
      !store_event (self, local, NULL, TRUE, error) ||
      !add_entry (self, event_id, TN_EVENT_MUTATION_DELETE, "{}", base_version (local, server), error) ||
      !tn_sqlite_db_commit (self->db, error))
    goto fail;
  return TRUE;

fail:
  tn_sqlite_db_rollback (self->db);
  return FALSE;
}

/**
 * tn_event_replica_discard:
 * @self: a #TnEventReplica
 * @event_id: the event
 * @error: return location for a #TnError
 *
 * Drops every change of the event waiting in the outbox (queued,
 * conflicted or rejected) and goes back to the server's copy: "keep
 * theirs" for a conflict, "discard" for a refused change. An event only
 * created here goes away.
 *
 * Returns: whether it was stored
 */
gboolean
tn_event_replica_discard (TnEventReplica  *self,
                          const char      *event_id,
                          GError         **error)
{
  g_autoptr(TnEvent) server = NULL;

  g_return_val_if_fail (TN_IS_EVENT_REPLICA (self), FALSE);
  g_return_val_if_fail (event_id != NULL, FALSE);

  if (!load_row (self, event_id, NULL, &server, NULL))
    return no_such_event (event_id, error);
  if (!tn_sqlite_db_begin (self->db, error))
    return FALSE;
  if (!delete_entries (self, event_id, error) ||
      !(server != NULL ? store_event (self, server, server, FALSE, error)
                       : delete_event_row (self, event_id, error)) ||
      !update_pending_flag (self, event_id, error) ||
      !tn_sqlite_db_commit (self->db, error))
    {
      tn_sqlite_db_rollback (self->db);
      return FALSE;
    }
  return TRUE;
}

/* --- public API: the outbox ---------------------------------------------- */

/**
 * tn_event_replica_outbox_size:
 *
 * Returns: mutations the server has not confirmed, conflicted and
 *   rejected ones included
 */
guint
tn_event_replica_outbox_size (TnEventReplica *self)
{
  g_return_val_if_fail (TN_IS_EVENT_REPLICA (self), 0);
  return (guint) tn_sqlite_db_query_int (self->db, "SELECT COUNT(*) FROM outbox");
}

/**
 * tn_event_replica_outbox_list:
 *
 * Returns: (transfer container) (element-type TnEventMutation): every
 *   entry, oldest first
 */
GPtrArray *
tn_event_replica_outbox_list (TnEventReplica *self)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) tn_event_mutation_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (TN_IS_EVENT_REPLICA (self), NULL);

  stmt = tn_sqlite_db_prepare (self->db, "SELECT " ENTRY_COLUMNS " FROM outbox ORDER BY seq", NULL);
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (entries, read_entry (stmt));
  return g_steal_pointer (&entries);
}

/**
 * tn_event_replica_outbox_next:
 * @self: a #TnEventReplica
 * @now: g_get_real_time(); entries waiting for a later retry are left out
 *
 * The oldest queued entry due that is the first of its event: an event's
 * mutations go in order, and one conflicted, rejected or waiting holds
 * up its own event's later ones only.
 *
 * Returns: (transfer full) (nullable): the entry, or %NULL
 */
TnEventMutation *
tn_event_replica_outbox_next (TnEventReplica *self,
                              gint64          now)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (TN_IS_EVENT_REPLICA (self), NULL);

  stmt = tn_sqlite_db_prepare (self->db, "SELECT " ENTRY_COLUMNS " FROM outbox o WHERE state = 'queued' "
                                         "AND next_attempt_at <= ? AND NOT EXISTS (SELECT 1 FROM outbox p "
                                         "WHERE p.event_id = o.event_id AND p.seq < o.seq) ORDER BY seq LIMIT 1", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);
  return sqlite3_step (stmt) == SQLITE_ROW ? read_entry (stmt) : NULL;
}

/**
 * tn_event_replica_outbox_next_due:
 *
 * Returns: the earliest next attempt time (µs) of a queued entry, or 0
 */
gint64
tn_event_replica_outbox_next_due (TnEventReplica *self)
{
  g_return_val_if_fail (TN_IS_EVENT_REPLICA (self), 0);
  return tn_sqlite_db_query_int (self->db, "SELECT COALESCE(MIN(next_attempt_at), 0) FROM outbox WHERE state = 'queued'");
}

/**
 * tn_event_replica_outbox_retry_all:
 *
 * Makes every queued entry due now (the server answers again).
 *
 * Returns: whether it was stored
 */
gboolean
tn_event_replica_outbox_retry_all (TnEventReplica  *self,
                                   GError         **error)
{
  g_return_val_if_fail (TN_IS_EVENT_REPLICA (self), FALSE);
  return tn_sqlite_db_exec (self->db, "UPDATE outbox SET next_attempt_at = 0 WHERE state = 'queued'", error);
}

/**
 * tn_event_replica_outbox_confirm:
 * @self: a #TnEventReplica
 * @mutation: the entry as it was sent
 * @stored: (nullable): the event as the server answered (%NULL for a
 *   delete)
 * @error: return location for a #TnError
 *
 * The server has the mutation: drops the entry and stores the server's
 * copy, in one transaction. An entry that took more edits while it was
 * on its way stays, as an update of those fields on the new version.
 *
 * Returns: whether it was stored
 */
gboolean
tn_event_replica_outbox_confirm (TnEventReplica         *self,
                                 const TnEventMutation  *mutation,
                                 TnEvent                *stored,
                                 GError                **error)
{
  g_autoptr(TnEventMutation) now = NULL;
  g_autoptr(TnEvent) local = NULL;
  gboolean deleted = FALSE;
  guint left;

  g_return_val_if_fail (TN_IS_EVENT_REPLICA (self), FALSE);
  g_return_val_if_fail (mutation != NULL, FALSE);
  g_return_val_if_fail (stored == NULL || TN_IS_EVENT (stored), FALSE);

  if (!tn_sqlite_db_begin (self->db, error))
    return FALSE;
  now = entry_by_id (self, mutation->id);
  if (now != NULL && stored != NULL && g_strcmp0 (now->payload, mutation->payload) != 0)
    {
      /* edited meanwhile: what is not on the server yet goes on as an
       * update on the version it has now */
      g_autoptr(sqlite3_stmt) rebase =
        tn_sqlite_db_prepare (self->db, "UPDATE outbox SET kind = 'update', base_version = ?, attempts = 0, "
                                        "next_attempt_at = 0 WHERE id = ?", error);
      g_autofree char *payload = NULL;

      if (rebase == NULL)
        goto fail;
      sqlite3_bind_int64 (rebase, 1, tn_event_get_version (stored));
      tn_sqlite_bind_text (rebase, 2, mutation->id);
      if (!tn_sqlite_db_step_done (self->db, rebase, error))
        goto fail;
      if (now->kind == TN_EVENT_MUTATION_CREATE)
        {
          /* a create's payload has the id, which a PATCH may not */
          g_autoptr(JsonObject) object = tn_json_parse_object (now->payload, strlen (now->payload), NULL);

          if (object != NULL)
            {
              json_object_remove_member (object, "id");
              payload = object_text (object);
              if (!set_payload (self, mutation->id, payload, error))
                goto fail;
            }
        }
    }
  else if (now != NULL)
    {
      g_autoptr(sqlite3_stmt) drop = tn_sqlite_db_prepare (self->db, "DELETE FROM outbox WHERE id = ?", error);

      if (drop == NULL)
        goto fail;
      tn_sqlite_bind_text (drop, 1, mutation->id);
      if (!tn_sqlite_db_step_done (self->db, drop, error))
        goto fail;
    }

  if (stored != NULL)
    {
      /* The event's other entries came after this one, made on a local
       * view that had it: they rest on the version it made. */
      g_autoptr(sqlite3_stmt) later =
        tn_sqlite_db_prepare (self->db, "UPDATE outbox SET base_version = ?1 WHERE event_id = ?2 AND id <> ?3 "
                                        "AND state = 'queued' AND base_version < ?1", error);

      if (later == NULL)
        goto fail;
      sqlite3_bind_int64 (later, 1, tn_event_get_version (stored));
      tn_sqlite_bind_text (later, 2, mutation->event_id);
      tn_sqlite_bind_text (later, 3, mutation->id);
      if (!tn_sqlite_db_step_done (self->db, later, error))
        goto fail;
    }

  {
    g_autoptr(sqlite3_stmt) count = tn_sqlite_db_prepare (self->db, "SELECT COUNT(*) FROM outbox WHERE event_id = ?", error);

    if (count == NULL)
      goto fail;
    tn_sqlite_bind_text (count, 1, mutation->event_id);
    left = sqlite3_step (count) == SQLITE_ROW ? (guint) sqlite3_column_int (count, 0) : 0;
  }

  if (stored == NULL)
    {
      if (left == 0 && !delete_event_row (self, mutation->event_id, error))
        goto fail;
    }
  else if (left == 0)
    {
      if (!store_event (self, stored, stored, FALSE, error))
        goto fail;
    }
  else if (load_row (self, mutation->event_id, &local, NULL, &deleted) && local != NULL)
    {
      /* later changes wait: the local view keeps them, on the new version */
      tn_event_set_version (local, tn_event_get_version (stored));
      if (!store_event (self, local, stored, deleted, error))
        goto fail;
    }
  if (!update_pending_flag (self, mutation->event_id, error) || !tn_sqlite_db_commit (self->db, error))
    goto fail;
  return TRUE;

fail:
  tn_sqlite_db_rollback (self->db);
  return FALSE;
}

/**
 * tn_event_replica_backoff_delay:
 * @self: a #TnEventReplica
 * @attempts: failed deliveries so far (1 after the first)
 *
 * Exponential backoff with jitter, up to the maximum.
 *
 * Returns: how long to wait, in µs
 */
gint64
tn_event_replica_backoff_delay (TnEventReplica *self,
                                guint           attempts)
{
  g_return_val_if_fail (TN_IS_EVENT_REPLICA (self), 0);
  return tn_backoff_delay (&self->backoff, attempts);
}

/**
 * tn_event_replica_outbox_fail:
 * @self: a #TnEventReplica
 * @id: an outbox entry's id
 * @now: g_get_real_time()
 * @error: return location for a #TnError
 *
 * A delivery failed: counts the attempt and puts the next one off.
 *
 * Returns: whether it was stored
 */
gboolean
tn_event_replica_outbox_fail (TnEventReplica  *self,
                              const char      *id,
                              gint64           now,
                              GError         **error)
{
  g_autoptr(TnEventMutation) entry = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (TN_IS_EVENT_REPLICA (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  entry = entry_by_id (self, id);
  if (entry == NULL)
    return TRUE;
  stmt = tn_sqlite_db_prepare (self->db, "UPDATE outbox SET attempts = ?, next_attempt_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, (int) entry->attempts + 1);
  sqlite3_bind_int64 (stmt, 2, now + tn_event_replica_backoff_delay (self, entry->attempts + 1));
  tn_sqlite_bind_text (stmt, 3, id);
  return tn_sqlite_db_step_done (self->db, stmt, error);
}

static gboolean
set_state (TnEventReplica        *self,
           const char            *id,
           TnEventMutationState   state,
           const char            *reason,
           GError               **error)
{
  g_autoptr(sqlite3_stmt) stmt = tn_sqlite_db_prepare (self->db, "UPDATE outbox SET state = ?, reason = ? WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  tn_sqlite_bind_text (stmt, 1, state_names[state]);
  tn_sqlite_bind_text (stmt, 2, reason);
  tn_sqlite_bind_text (stmt, 3, id);
  return tn_sqlite_db_step_done (self->db, stmt, error);
}

/**
 * tn_event_replica_outbox_conflict:
 * @self: a #TnEventReplica
 * @id: an outbox entry's id
 * @server: the event as the server has it now
 * @error: return location for a #TnError
 *
 * The server has a newer version than the entry was made on (409): the
 * entry waits, conflicted, for tn_event_replica_keep_mine() or
 * tn_event_replica_discard(); the server's copy is stored beside the
 * local view, which keeps the organizer's changes.
 *
 * Returns: whether it was stored
 */
gboolean
tn_event_replica_outbox_conflict (TnEventReplica  *self,
                                  const char      *id,
                                  TnEvent         *server,
                                  GError         **error)
{
  g_autoptr(TnEventMutation) entry = NULL;
  g_autoptr(TnEvent) local = NULL;
  g_autofree char *text = NULL;
  gboolean deleted = FALSE;

  g_return_val_if_fail (TN_IS_EVENT_REPLICA (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (TN_IS_EVENT (server), FALSE);

  if (!tn_sqlite_db_begin (self->db, error))
    return FALSE;
  entry = entry_by_id (self, id);
  if (entry == NULL)
    {
      tn_sqlite_db_rollback (self->db);
      return TRUE;
    }
  text = event_text (server);
  if (!set_state (self, id, TN_EVENT_MUTATION_CONFLICTED, text, error))
    goto fail;
  if (load_row (self, entry->event_id, &local, NULL, &deleted) && local != NULL &&
      !store_event (self, local, server, deleted, error))
    goto fail;
  if (!tn_sqlite_db_commit (self->db, error))
    goto fail;
  return TRUE;

fail:
  tn_sqlite_db_rollback (self->db);
  return FALSE;
}

/**
 * tn_event_replica_outbox_reject:
 * @self: a #TnEventReplica
 * @id: an outbox entry's id
 * @reason: the server's reason
 * @error: return location for a #TnError
 *
 * The server will never take the entry (422): it is kept aside with the
 * reason, not retried, until tn_event_replica_discard(); it holds up later changes of the
 * same event (not of others).
 *
 * Returns: whether it was stored
 */
gboolean
tn_event_replica_outbox_reject (TnEventReplica  *self,
                                const char      *id,
                                const char      *reason,
                                GError         **error)
{
  g_return_val_if_fail (TN_IS_EVENT_REPLICA (self), FALSE);
  g_return_val_if_fail (id != NULL && reason != NULL, FALSE);

  return set_state (self, id, TN_EVENT_MUTATION_REJECTED, reason, error);
}

/**
 * tn_event_replica_keep_mine:
 * @self: a #TnEventReplica
 * @event_id: an event with a conflicted entry
 * @error: return location for a #TnError
 *
 * Resolves a conflict for the organizer's version: the conflicted entry
 * is queued again on the server's current version, and the local view
 * becomes the server's copy with the organizer's changed fields.
 *
 * Returns: whether it was stored; %TN_ERROR_NOT_FOUND when the event has
 *   no conflicted entry
 */
gboolean
tn_event_replica_keep_mine (TnEventReplica  *self,
                            const char      *event_id,
                            GError         **error)
{
  g_autoptr(sqlite3_stmt) find = NULL;
  g_autoptr(sqlite3_stmt) requeue = NULL;
  g_autoptr(TnEventMutation) entry = NULL;
  g_autoptr(TnEvent) server = NULL;
  g_autoptr(TnEvent) local = NULL;
  g_autoptr(TnEvent) view = NULL;
  g_autoptr(GPtrArray) later = NULL;
  gboolean deleted = FALSE;

  g_return_val_if_fail (TN_IS_EVENT_REPLICA (self), FALSE);
  g_return_val_if_fail (event_id != NULL, FALSE);

  if (!tn_sqlite_db_begin (self->db, error))
    return FALSE;
  find = tn_sqlite_db_prepare (self->db, "SELECT " ENTRY_COLUMNS " FROM outbox WHERE event_id = ? AND state = 'conflicted' "
                                         "ORDER BY seq LIMIT 1", error);
  if (find == NULL)
    goto fail;
  tn_sqlite_bind_text (find, 1, event_id);
  if (sqlite3_step (find) != SQLITE_ROW)
    {
      tn_sqlite_db_rollback (self->db);
      return no_such_event (event_id, error);
    }
  entry = read_entry (find);
  server = event_from_text (entry->reason);
  if (server == NULL || !load_row (self, event_id, &local, NULL, &deleted) || local == NULL)
    {
      tn_sqlite_db_rollback (self->db);
      return no_such_event (event_id, error);
    }

  requeue = tn_sqlite_db_prepare (self->db, "UPDATE outbox SET state = 'queued', reason = NULL, base_version = ?, attempts = 0, "
                                            "next_attempt_at = 0 WHERE event_id = ? AND state = 'conflicted'", error);
  if (requeue == NULL)
    goto fail;
  sqlite3_bind_int64 (requeue, 1, tn_event_get_version (server));
  tn_sqlite_bind_text (requeue, 2, event_id);
  if (!tn_sqlite_db_step_done (self->db, requeue, error))
    goto fail;

  /* the local view: theirs with every change of mine still waiting */
  view = tn_event_copy (server);
  later = tn_event_replica_outbox_list (self);
  for (guint i = 0; i < later->len; i++)
    {
      TnEventMutation *m = g_ptr_array_index (later, i);

      if (g_strcmp0 (m->event_id, event_id) != 0)
        continue;
      if (m->kind == TN_EVENT_MUTATION_UPDATE)
        {
          g_autoptr(JsonObject) changes = tn_json_parse_object (m->payload, strlen (m->payload), NULL);

          if (changes != NULL)
            tn_event_apply_json (view, changes, TN_EVENT_JSON_PATCH, NULL, NULL);
        }
      else if (m->kind == TN_EVENT_MUTATION_CANCEL)
        tn_event_set_status (view, TN_EVENT_STATUS_CANCELLED);
    }
  if (!store_event (self, view, server, deleted, error) || !tn_sqlite_db_commit (self->db, error))
    goto fail;
  return TRUE;

fail:
  tn_sqlite_db_rollback (self->db);
  return FALSE;
}

/**
 * tn_event_replica_forget:
 * @self: a #TnEventReplica
 * @event_id: an event
 * @error: return location for a #TnError
 *
 * The event is gone from the server (404): drops it and its entries.
 *
 * Returns: whether it was stored
 */
gboolean
tn_event_replica_forget (TnEventReplica  *self,
                         const char      *event_id,
                         GError         **error)
{
  g_return_val_if_fail (TN_IS_EVENT_REPLICA (self), FALSE);
  g_return_val_if_fail (event_id != NULL, FALSE);

  if (!tn_sqlite_db_begin (self->db, error))
    return FALSE;
  if (!delete_entries (self, event_id, error) ||
      !delete_event_row (self, event_id, error) ||
      !tn_sqlite_db_commit (self->db, error))
    {
      tn_sqlite_db_rollback (self->db);
      return FALSE;
    }
  return TRUE;
}

/**
 * tn_event_replica_apply_server_events:
 * @self: a #TnEventReplica
 * @events: (element-type TnEvent): events as the server lists them
 * @complete: whether @events is everything the account sees: then the
 *   server's events missing from it were deleted or hidden, and go
 * @error: return location for a #TnError
 *
 * Stores the server's copies in one transaction. The local view of an
 * event with changes waiting is kept as it is.
 *
 * Returns: whether it was stored
 */
gboolean
tn_event_replica_apply_server_events (TnEventReplica  *self,
                                      GPtrArray       *events,
                                      gboolean         complete,
                                      GError         **error)
{
  g_autoptr(sqlite3_stmt) pending = NULL;
  g_autoptr(sqlite3_stmt) set_server = NULL;

  g_return_val_if_fail (TN_IS_EVENT_REPLICA (self), FALSE);
  g_return_val_if_fail (events != NULL, FALSE);

  if (!tn_sqlite_db_begin (self->db, error))
    return FALSE;
  if (complete && !tn_sqlite_db_exec (self->db, "CREATE TEMP TABLE IF NOT EXISTS seen (id TEXT PRIMARY KEY); DELETE FROM seen;", error))
    goto fail;
  pending = tn_sqlite_db_prepare (self->db, "SELECT 1 FROM outbox WHERE event_id = ?", error);
  set_server = tn_sqlite_db_prepare (self->db, "UPDATE events SET server_json = ?, version = ? WHERE id = ?", error);
  if (pending == NULL || set_server == NULL)
    goto fail;
  for (guint i = 0; i < events->len; i++)
    {
      TnEvent *event = g_ptr_array_index (events, i);
      const char *id = tn_event_get_id (event);
      gboolean waiting;

      if (id == NULL)
        continue;
      sqlite3_reset (pending);
      tn_sqlite_bind_text (pending, 1, id);
      waiting = sqlite3_step (pending) == SQLITE_ROW;
      if (waiting)
        {
          g_autofree char *text = event_text (event);

          sqlite3_reset (set_server);
          tn_sqlite_bind_text (set_server, 1, text);
          sqlite3_bind_int64 (set_server, 2, tn_event_get_version (event));
          tn_sqlite_bind_text (set_server, 3, id);
          if (!tn_sqlite_db_step_done (self->db, set_server, error))
            goto fail;
        }
      else if (!store_event (self, event, event, FALSE, error))
        goto fail;
      if (complete)
        {
          g_autoptr(sqlite3_stmt) seen = tn_sqlite_db_prepare (self->db, "INSERT OR IGNORE INTO seen (id) VALUES (?)", error);

          if (seen == NULL)
            goto fail;
          tn_sqlite_bind_text (seen, 1, id);
          if (!tn_sqlite_db_step_done (self->db, seen, error))
            goto fail;
        }
    }
  if (complete &&
      !tn_sqlite_db_exec (self->db, "DELETE FROM events WHERE server_json IS NOT NULL AND id NOT IN (SELECT id FROM seen) "
                                    "AND NOT EXISTS (SELECT 1 FROM outbox WHERE event_id = events.id)", error))
    goto fail;
  if (!tn_sqlite_db_commit (self->db, error))
    goto fail;
  return TRUE;

fail:
  tn_sqlite_db_rollback (self->db);
  return FALSE;
}
