/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tn-replica.h"
#include "tn-backoff.h"
#include "tn-error.h"
#include "tn-id.h"
#include "tn-json.h"
#include "tn-signed-ticket.h"
#include "tn-sqlite-db.h"
#include "tn-ticket-code.h"
#include "tn-time.h"

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>

/* A door's replica (docs/CHECKIN.md, ../shared/DESIGN.md "Offline-first
 * clients"): one SQLite file per server and account, the followed event,
 * its attendees and ticket codes, revoked codes, every door's scans, the
 * sync cursor and the outbox of scans and undos the server has not
 * confirmed.
 *
 * Verdicts come from this file and tn_signed_ticket_check() only: nothing
 * here touches the network. A scan or an undo and its outbox entry are
 * written in one transaction, a sync page and its cursor in another, with
 * WAL and synchronous=FULL, so a crash keeps both or neither. */

/* The verdict that counts for a scan: the server's once it has judged. */
#define EFFECTIVE "COALESCE(server_verdict, local_verdict)"

/* The counters, for the calls below and for a count in a thread. */
#define COUNT_INSIDE \
  "SELECT COUNT(*) FROM (SELECT direction, ROW_NUMBER() OVER (" \
  "  PARTITION BY ticket_code ORDER BY scanned_at DESC, rowid DESC) AS n " \
  "  FROM scans WHERE ticket_code IS NOT NULL AND undone = 0 AND " EFFECTIVE " = 'accepted') " \
  "WHERE n = 1 AND direction = 'in'"
#define COUNT_CHECKED_IN \
  "SELECT COUNT(DISTINCT ticket_code) FROM scans WHERE ticket_code IS NOT NULL " \
  "AND undone = 0 AND direction = 'in' AND " EFFECTIVE " = 'accepted'"
#define COUNT_GOING \
  "SELECT COUNT(*) FROM attendees WHERE status = 'going'"
#define COUNT_OWN_ADMITTED \
  "SELECT COUNT(DISTINCT ticket_code) FROM scans WHERE own = 1 AND ticket_code IS NOT NULL " \
  "AND undone = 0 AND direction = 'in' AND " EFFECTIVE " = 'accepted'"
#define CONFLICTS_WHERE \
  "(own = 1 AND rejected IS NOT NULL) " \
  "OR (own = 1 AND server_verdict IS NOT NULL " \
  "  AND local_verdict IS NOT NULL AND server_verdict <> local_verdict) " \
  "OR (own = 0 AND flagged = 1 AND EXISTS (SELECT 1 FROM scans o WHERE o.own = 1 " \
  "  AND o.ticket_code = s.ticket_code AND o.local_verdict = 'accepted' AND o.direction = 'in')) "

/* Whether an undo of the scan whose id is the SQL expression @scan waits
 * in the outbox. Its payload is `{"id": "<scan id>"}`; instr() rather
 * than json_extract(), which SQLite before 3.38 may be built without. */
#define PENDING_UNDO(scan) \
  "EXISTS (SELECT 1 FROM outbox WHERE kind = '" TN_REPLICA_KIND_UNDO "' " \
  "AND instr(payload, '\"' || " scan " || '\"') > 0)"

struct _TnReplica
{
  GObject parent_instance;

  TnSqliteDb *db;
  gboolean wiped;

  char    *event_id;
  guint8   public_key[TN_SIGNED_TICKET_PUBLIC_KEY];
  gboolean has_public_key;

  TnBackoff backoff;

  GHashTable   *statements;   /* SQL text → prepared statement, reused */

  /* the verdict path, prepared once */
  sqlite3_stmt *find_code;
  sqlite3_stmt *find_revoked;
  sqlite3_stmt *find_last_accepted;
};

G_DEFINE_FINAL_TYPE (TnReplica, tn_replica, G_TYPE_OBJECT)

static const char * const verdict_names[] = {
  "accepted", "duplicate", "unknown", "wrong_event", "revoked", "not_going", "not_inside", NULL
};

static const char schema_v1[] =
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
  "CREATE TABLE attendees ("
  "  id TEXT PRIMARY KEY,"
  "  status TEXT NOT NULL,"
  "  name TEXT NOT NULL,"
  "  name_key TEXT NOT NULL,"
  "  ticket_code TEXT,"
  "  signed_ticket TEXT,"
  "  ticket_type TEXT,"
  "  note TEXT,"
  "  json TEXT NOT NULL);"
  "CREATE INDEX attendees_name_key ON attendees (name_key);"
  /* every code an attendee ever had: an old code still names its owner */
  "CREATE TABLE ticket_codes (code TEXT PRIMARY KEY, attendee_id TEXT NOT NULL) WITHOUT ROWID;"
  "CREATE TABLE revoked (code TEXT PRIMARY KEY) WITHOUT ROWID;"
  "CREATE TABLE scans ("
  "  id TEXT PRIMARY KEY,"
  "  code TEXT NOT NULL,"
  "  ticket_code TEXT,"
  "  attendee_id TEXT,"
  "  direction TEXT NOT NULL,"
  "  scanned_at INTEGER NOT NULL,"
  "  received_at INTEGER,"
  "  device TEXT,"
  "  local_verdict TEXT,"
  "  server_verdict TEXT,"
  "  flagged INTEGER NOT NULL DEFAULT 0,"
  "  undone INTEGER NOT NULL DEFAULT 0,"
  "  own INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX scans_ticket ON scans (ticket_code, scanned_at);"
  "CREATE TABLE outbox ("
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  id TEXT NOT NULL UNIQUE,"
  "  kind TEXT NOT NULL,"
  "  payload TEXT NOT NULL,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  next_attempt_at INTEGER NOT NULL DEFAULT 0,"
  "  created_at INTEGER NOT NULL);";

/* --- value types --------------------------------------------------------- */

/**
 * tn_verdict_to_string:
 * @verdict: a #TnVerdict
 *
 * Returns: its name in the API, such as `"wrong_event"`
 */
const char *
tn_verdict_to_string (TnVerdict verdict)
{
  g_return_val_if_fail (verdict <= TN_VERDICT_NOT_INSIDE, "unknown");
  return verdict_names[verdict];
}

/**
 * tn_verdict_from_string:
 * @text: (nullable): a verdict's name in the API
 * @out: (out): the verdict
 *
 * Returns: whether @text names a verdict
 */
gboolean
tn_verdict_from_string (const char *text,
                        TnVerdict  *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  if (text == NULL)
    return FALSE;
  for (guint i = 0; verdict_names[i] != NULL; i++)
    if (g_str_equal (verdict_names[i], text))
      {
        *out = (TnVerdict) i;
        return TRUE;
      }
  return FALSE;
}

TnReplicaScan *
tn_replica_scan_copy (const TnReplicaScan *scan)
{
  TnReplicaScan *copy;

  g_return_val_if_fail (scan != NULL, NULL);

  copy = g_memdup2 (scan, sizeof *scan);
  copy->id = g_strdup (scan->id);
  copy->code = g_strdup (scan->code);
  copy->ticket_code = g_strdup (scan->ticket_code);
  copy->device = g_strdup (scan->device);
  copy->attendee_id = g_strdup (scan->attendee_id);
  copy->name = g_strdup (scan->name);
  copy->ticket_type = g_strdup (scan->ticket_type);
  copy->note = g_strdup (scan->note);
  copy->previous_device = g_strdup (scan->previous_device);
  copy->rejected = g_strdup (scan->rejected);
  return copy;
}

void
tn_replica_scan_free (TnReplicaScan *scan)
{
  if (scan == NULL)
    return;
  g_free (scan->id);
  g_free (scan->code);
  g_free (scan->ticket_code);
  g_free (scan->device);
  g_free (scan->attendee_id);
  g_free (scan->name);
  g_free (scan->ticket_type);
  g_free (scan->note);
  g_free (scan->previous_device);
  g_free (scan->rejected);
  g_free (scan);
}

G_DEFINE_BOXED_TYPE (TnReplicaScan, tn_replica_scan, tn_replica_scan_copy, tn_replica_scan_free)

TnReplicaOutboxEntry *
tn_replica_outbox_entry_copy (const TnReplicaOutboxEntry *entry)
{
  TnReplicaOutboxEntry *copy;

  g_return_val_if_fail (entry != NULL, NULL);

  copy = g_memdup2 (entry, sizeof *entry);
  copy->id = g_strdup (entry->id);
  copy->kind = g_strdup (entry->kind);
  copy->payload = g_strdup (entry->payload);
  return copy;
}

void
tn_replica_outbox_entry_free (TnReplicaOutboxEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->id);
  g_free (entry->kind);
  g_free (entry->payload);
  g_free (entry);
}

G_DEFINE_BOXED_TYPE (TnReplicaOutboxEntry, tn_replica_outbox_entry,
                     tn_replica_outbox_entry_copy, tn_replica_outbox_entry_free)

/* --- SQLite helpers ------------------------------------------------------ */

/* A statement prepared once and kept: g_autoptr(CachedStmt) resets it
 * instead of finalizing it. For the statements a sync page or a scan
 * runs thousands of times. */
typedef sqlite3_stmt CachedStmt;

static void
release_cached (CachedStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachedStmt, release_cached)

static void
finalize_stmt (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static CachedStmt *
cached (TnReplica   *self,
        const char  *sql,
        GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);

  if (stmt != NULL)
    return stmt;
  if (sqlite3_prepare_v3 (self->db->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      tn_sqlite_db_set_error (self->db, error);
      return NULL;
    }
  g_hash_table_insert (self->statements, (gpointer) sql, stmt);
  return stmt;
}

static char *
get_meta (TnReplica  *self,
          const char *key)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (self->db->handle == NULL)
    return NULL;
  stmt = tn_sqlite_db_prepare (self->db, "SELECT value FROM meta WHERE key = ?", NULL);
  if (stmt == NULL)
    return NULL;
  tn_sqlite_bind_text (stmt, 1, key);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return tn_sqlite_column_dup (stmt, 0);
}

static gboolean
set_meta (TnReplica   *self,
          const char  *key,
          const char  *value,
          GError     **error)
{
  g_autoptr(CachedStmt) stmt = cached (self, "INSERT INTO meta (key, value) VALUES (?, ?) "
                                                "ON CONFLICT (key) DO UPDATE SET value = excluded.value", error);

  if (stmt == NULL)
    return FALSE;
  tn_sqlite_bind_text (stmt, 1, key);
  tn_sqlite_bind_text (stmt, 2, value);
  return tn_sqlite_db_step_done (self->db, stmt, error);
}

/* The short code a scanned text names, trusted or not: a signed ticket's
 * claim or a typed code. */
static char *
ticket_code_of (const char *text)
{
  TnTicketClaim claim;

  if (text == NULL)
    return NULL;
  if (tn_signed_ticket_is_signed (text))
    return tn_signed_ticket_read (text, &claim) ? g_strdup (claim.code) : NULL;
  return tn_ticket_code_normalize (text);
}

/* --- opening ------------------------------------------------------------- */

static gboolean
load_event (TnReplica  *self,
            GError    **error)
{
  g_autofree char *key = get_meta (self, "public_key");

  g_clear_pointer (&self->event_id, g_free);
  self->event_id = get_meta (self, "event_id");
  self->has_public_key = FALSE;
  if (key != NULL)
    {
      gsize len = 0;
      g_autofree guchar *bytes = g_base64_decode (key, &len);

      if (len == TN_SIGNED_TICKET_PUBLIC_KEY)
        {
          memcpy (self->public_key, bytes, len);
          self->has_public_key = TRUE;
        }
    }
  return TRUE;
}

/* One step per version: migrations[i] takes a file from version i to i + 1. */
static const char * const migrations[] = {
  schema_v1,
  /* 2: scans the server refuses for good (a 422), with its reason */
  "ALTER TABLE scans ADD COLUMN rejected TEXT;"
  /* the door's counters, recounted while it scans */
  "CREATE INDEX IF NOT EXISTS attendees_status ON attendees (status);"
  "CREATE INDEX IF NOT EXISTS scans_own ON scans (own, ticket_code);",
};

static gboolean
prepare_hot_path (TnReplica  *self,
                  GError    **error)
{
  static const char *find_code_sql =
    "SELECT a.id, a.status, a.name, a.ticket_type, a.note, a.ticket_code "
    "FROM ticket_codes c JOIN attendees a ON a.id = c.attendee_id WHERE c.code = ?";
  static const char *find_revoked_sql = "SELECT 1 FROM revoked WHERE code = ?";
  static const char *find_last_sql =
    "SELECT direction, scanned_at, device FROM scans "
    "WHERE ticket_code = ? AND undone = 0 AND " EFFECTIVE " = 'accepted' "
    "ORDER BY scanned_at DESC, rowid DESC LIMIT 1";

  if (sqlite3_prepare_v3 (self->db->handle, find_code_sql, -1, SQLITE_PREPARE_PERSISTENT, &self->find_code, NULL) != SQLITE_OK ||
      sqlite3_prepare_v3 (self->db->handle, find_revoked_sql, -1, SQLITE_PREPARE_PERSISTENT, &self->find_revoked, NULL) != SQLITE_OK ||
      sqlite3_prepare_v3 (self->db->handle, find_last_sql, -1, SQLITE_PREPARE_PERSISTENT, &self->find_last_accepted, NULL) != SQLITE_OK)
    return tn_sqlite_db_set_error (self->db, error);
  return TRUE;
}

static void
close_db (TnReplica *self)
{
  g_hash_table_remove_all (self->statements);
  g_clear_pointer (&self->find_code, sqlite3_finalize);
  g_clear_pointer (&self->find_revoked, sqlite3_finalize);
  g_clear_pointer (&self->find_last_accepted, sqlite3_finalize);
  if (self->db != NULL)
    tn_sqlite_db_close (self->db);
}

static gboolean
open_db (TnReplica   *self,
         const char  *path,
         GError     **error)
{
  self->db = tn_sqlite_db_open (path, migrations, G_N_ELEMENTS (migrations), error);
  return self->db != NULL &&
         prepare_hot_path (self, error) &&
         load_event (self, error);
}

static void
tn_replica_finalize (GObject *object)
{
  TnReplica *self = (TnReplica *) object;

  close_db (self);
  g_hash_table_unref (self->statements);
  g_clear_pointer (&self->db, tn_sqlite_db_free);
  g_free (self->event_id);

  G_OBJECT_CLASS (tn_replica_parent_class)->finalize (object);
}

static void
tn_replica_class_init (TnReplicaClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tn_replica_finalize;
}

static void
tn_replica_init (TnReplica *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, finalize_stmt);
  self->backoff = TN_BACKOFF_DEFAULT;
}

/**
 * tn_replica_path_for:
 * @server_url: the server's URL
 * @account: the account's or the device's id
 *
 * Returns: (transfer full): where the replica of @account at @server_url
 *   lives: `$XDG_DATA_HOME/turnout/replicas/<hash>.sqlite`
 */
char *
tn_replica_path_for (const char *server_url,
                     const char *account)
{
  g_return_val_if_fail (server_url != NULL && account != NULL, NULL);

  return tn_sqlite_db_path_for ("replicas", server_url, account);
}

/**
 * tn_replica_open_path:
 * @path: the replica's file
 * @error: return location for a #TnError
 *
 * Opens the replica at @path, making it (0600, its directory 0700) and
 * bringing its schema up to date as needed.
 *
 * Returns: (transfer full) (nullable): the replica
 */
TnReplica *
tn_replica_open_path (const char  *path,
                      GError     **error)
{
  g_autoptr(TnReplica) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (TN_TYPE_REPLICA, NULL);
  if (!open_db (self, path, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * tn_replica_open:
 * @server_url: the server's URL
 * @account: the account's or the device's id
 * @error: return location for a #TnError
 *
 * Opens the replica of @account at @server_url, at tn_replica_path_for().
 *
 * Returns: (transfer full) (nullable): the replica
 */
TnReplica *
tn_replica_open (const char  *server_url,
                 const char  *account,
                 GError     **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (server_url != NULL && account != NULL, NULL);

  path = tn_replica_path_for (server_url, account);
  return tn_replica_open_path (path, error);
}

const char *
tn_replica_get_path (TnReplica *self)
{
  g_return_val_if_fail (TN_IS_REPLICA (self), NULL);
  return self->db->path;
}

/**
 * tn_replica_set_backoff:
 * @self: a #TnReplica
 * @base_us: the delay after the first failed delivery, in µs
 * @max_us: the longest delay
 *
 * Sets the outbox's retry schedule (default 1 s doubling up to 5 min).
 */
void
tn_replica_set_backoff (TnReplica *self,
                        gint64     base_us,
                        gint64     max_us)
{
  g_return_if_fail (TN_IS_REPLICA (self));
  g_return_if_fail (base_us > 0 && max_us >= base_us);

  self->backoff.base = base_us;
  self->backoff.max = max_us;
}

/* --- the followed event and sync ----------------------------------------- */

/**
 * tn_replica_get_event_id:
 *
 * Returns: (nullable): the followed event's id, once a sync brought it
 */
const char *
tn_replica_get_event_id (TnReplica *self)
{
  g_return_val_if_fail (TN_IS_REPLICA (self), NULL);
  return self->event_id;
}

/**
 * tn_replica_dup_event:
 *
 * Returns: (transfer full) (nullable): the followed event as the last
 *   sync gave it (with `public_key`)
 */
JsonObject *
tn_replica_dup_event (TnReplica *self)
{
  g_autofree char *json = NULL;

  g_return_val_if_fail (TN_IS_REPLICA (self), NULL);

  json = get_meta (self, "event");
  return json != NULL ? tn_json_parse_object (json, strlen (json), NULL) : NULL;
}

/**
 * tn_replica_dup_cursor:
 *
 * Returns: (transfer full) (nullable): the `cursor` of the last sync page
 *   applied, for the next `since`
 */
char *
tn_replica_dup_cursor (TnReplica *self)
{
  g_return_val_if_fail (TN_IS_REPLICA (self), NULL);
  return get_meta (self, "cursor");
}

static gboolean
apply_event (TnReplica   *self,
             JsonObject  *event,
             GError     **error)
{
  const char *id = tn_json_object_get_string (event, "id");
  const char *key = tn_json_object_get_string (event, "public_key");
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), event);
  g_autofree char *json = tn_json_to_string (node);

  if (id == NULL)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST, "A sync page's event has no id");
      return FALSE;
    }
  if (self->event_id != NULL && !g_str_equal (self->event_id, id))
    {
      g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST,
                   "A sync page of event %s reached the replica of event %s", id, self->event_id);
      return FALSE;
    }
  if (key != NULL)
    {
      gsize len = 0;
      g_autofree guchar *bytes = g_base64_decode (key, &len);

      if (len != TN_SIGNED_TICKET_PUBLIC_KEY)
        {
          g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST, "The event's public key is not 32 bytes");
          return FALSE;
        }
      if (!set_meta (self, "public_key", key, error))
        return FALSE;
    }
  return set_meta (self, "event_id", id, error) && set_meta (self, "event", json, error);
}

static gboolean
apply_attendee (TnReplica   *self,
                JsonObject  *attendee,
                GError     **error)
{
  const char *id = tn_json_object_get_string (attendee, "id");
  const char *status = tn_json_object_get_string (attendee, "status");
  const char *name = tn_json_object_get_string (attendee, "name");
  g_autofree char *code = NULL;
  g_autofree char *key = tn_sqlite_fold_text (name);
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), attendee);
  g_autofree char *json = tn_json_to_string (node);
  g_autoptr(CachedStmt) stmt = NULL;

  if (id == NULL || status == NULL)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST, "An attendee in the sync data has no id or status");
      return FALSE;
    }
  if (tn_json_object_get_string (attendee, "ticket_code") != NULL)
    code = tn_ticket_code_normalize (tn_json_object_get_string (attendee, "ticket_code"));

  stmt = cached (self, "INSERT INTO attendees (id, status, name, name_key, ticket_code, signed_ticket, ticket_type, note, json) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                        "status = excluded.status, name = excluded.name, name_key = excluded.name_key, "
                        "ticket_code = excluded.ticket_code, signed_ticket = excluded.signed_ticket, "
                        "ticket_type = excluded.ticket_type, note = excluded.note, json = excluded.json", error);
  if (stmt == NULL)
    return FALSE;
  tn_sqlite_bind_text (stmt, 1, id);
  tn_sqlite_bind_text (stmt, 2, status);
  tn_sqlite_bind_text (stmt, 3, name != NULL ? name : "");
  tn_sqlite_bind_text (stmt, 4, key);
  tn_sqlite_bind_text (stmt, 5, code);
  tn_sqlite_bind_text (stmt, 6, tn_json_object_get_string (attendee, "signed_ticket"));
  tn_sqlite_bind_text (stmt, 7, tn_json_object_get_string (attendee, "ticket_type"));
  tn_sqlite_bind_text (stmt, 8, tn_json_object_get_string (attendee, "note"));
  tn_sqlite_bind_text (stmt, 9, json);
  if (!tn_sqlite_db_step_done (self->db, stmt, error))
    return FALSE;

  if (code != NULL)
    {
      g_autoptr(CachedStmt) codes = cached (self, "INSERT OR REPLACE INTO ticket_codes (code, attendee_id) VALUES (?, ?)", error);

      if (codes == NULL)
        return FALSE;
      tn_sqlite_bind_text (codes, 1, code);
      tn_sqlite_bind_text (codes, 2, id);
      if (!tn_sqlite_db_step_done (self->db, codes, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
apply_revoked (TnReplica   *self,
               const char  *text,
               GError     **error)
{
  g_autofree char *code = text != NULL ? tn_ticket_code_normalize (text) : NULL;
  g_autoptr(CachedStmt) stmt = NULL;

  if (code == NULL)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST, "A revoked code in the sync data cannot be read");
      return FALSE;
    }
  stmt = cached (self, "INSERT OR IGNORE INTO revoked (code) VALUES (?)", error);
  if (stmt == NULL)
    return FALSE;
  tn_sqlite_bind_text (stmt, 1, code);
  return tn_sqlite_db_step_done (self->db, stmt, error);
}

static TnReplicaScan *get_scan (TnReplica *self, const char *id);

/* The server's verdict on one scan, from sync or from a checkins answer.
 * A new conflict goes to @conflicts: our own scan, judged otherwise than
 * we did, or another door's flagged scan (it let someone in that it
 * should not have) of a ticket we let in — each door that admitted the
 * ticket sees the conflict. */
static gboolean
store_server_verdict (TnReplica   *self,
                      const char  *id,
                      const char  *verdict,
                      gboolean     flagged,
                      gboolean     undone,
                      gint64       received_at,
                      GPtrArray   *conflicts,
                      GError     **error)
{
  g_autoptr(CachedStmt) find = cached (self, "SELECT own, local_verdict, server_verdict, flagged, "
                                             "  (SELECT count(*) FROM scans o WHERE o.own = 1 AND o.ticket_code = s.ticket_code "
                                             "     AND o.local_verdict = 'accepted' AND o.direction = 'in') "
                                             "FROM scans s WHERE id = ?", error);
  g_autoptr(CachedStmt) update = NULL;
  gboolean conflict = FALSE;

  if (find == NULL)
    return FALSE;
  tn_sqlite_bind_text (find, 1, id);
  if (sqlite3_step (find) == SQLITE_ROW)
    {
      gboolean own = sqlite3_column_int (find, 0) != 0;
      const char *local = (const char *) sqlite3_column_text (find, 1);
      const char *before = (const char *) sqlite3_column_text (find, 2);
      gboolean was_flagged = sqlite3_column_int (find, 3) != 0;
      gboolean we_admitted = sqlite3_column_int (find, 4) > 0;

      if (own)
        conflict = local != NULL && verdict != NULL && !g_str_equal (local, verdict) &&
                   g_strcmp0 (before, verdict) != 0;
      else
        conflict = flagged && !was_flagged && we_admitted;
    }

  /* An undo the server has not had yet wins over what it says: its
   * answer was made before it saw the undo. */
  update = cached (self, "UPDATE scans SET server_verdict = COALESCE(?1, server_verdict), flagged = ?2, "
                          "undone = (?3 OR " PENDING_UNDO ("?5") "), "
                          "received_at = COALESCE(?4, received_at) WHERE id = ?5", error);
  if (update == NULL)
    return FALSE;
  tn_sqlite_bind_text (update, 1, verdict);
  sqlite3_bind_int (update, 2, flagged);
  sqlite3_bind_int (update, 3, undone);
  if (received_at != 0)
    sqlite3_bind_int64 (update, 4, received_at);
  else
    sqlite3_bind_null (update, 4);
  tn_sqlite_bind_text (update, 5, id);
  if (!tn_sqlite_db_step_done (self->db, update, error))
    return FALSE;

  if (conflict && conflicts != NULL)
    {
      TnReplicaScan *scan = get_scan (self, id);

      if (scan != NULL)
        g_ptr_array_add (conflicts, scan);
    }
  return TRUE;
}

static gboolean
apply_checkin (TnReplica   *self,
               JsonObject  *checkin,
               GPtrArray   *conflicts,
               GError     **error)
{
  const char *id = tn_json_object_get_string (checkin, "id");
  const char *code = tn_json_object_get_string (checkin, "code");
  const char *direction = tn_json_object_get_string (checkin, "direction");
  const char *verdict = tn_json_object_get_string (checkin, "verdict");
  const char *scanned = tn_json_object_get_string (checkin, "scanned_at");
  const char *received = tn_json_object_get_string (checkin, "received_at");
  gint64 scanned_at = 0, received_at = 0;
  g_autofree char *ticket_code = ticket_code_of (code);
  g_autoptr(CachedStmt) insert = NULL;
  g_autoptr(CachedStmt) unqueue = NULL;
  TnVerdict parsed;

  if (id == NULL || code == NULL || !tn_verdict_from_string (verdict, &parsed) ||
      (g_strcmp0 (direction, "in") != 0 && g_strcmp0 (direction, "out") != 0) ||
      scanned == NULL || !tn_time_parse (scanned, &scanned_at, NULL) ||
      (received != NULL && !tn_time_parse (received, &received_at, NULL)))
    {
      g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST, "A check-in in the sync data cannot be read");
      return FALSE;
    }

  /* Another door's scan, new to us; our own is there already. */
  insert = cached (self, "INSERT OR IGNORE INTO scans (id, code, ticket_code, attendee_id, direction, scanned_at, device, own) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, 0)", error);
  if (insert == NULL)
    return FALSE;
  tn_sqlite_bind_text (insert, 1, id);
  tn_sqlite_bind_text (insert, 2, code);
  tn_sqlite_bind_text (insert, 3, ticket_code);
  tn_sqlite_bind_text (insert, 4, tn_json_object_get_string (checkin, "attendee_id"));
  tn_sqlite_bind_text (insert, 5, direction);
  sqlite3_bind_int64 (insert, 6, scanned_at);
  tn_sqlite_bind_text (insert, 7, tn_json_object_get_string (checkin, "device"));
  if (!tn_sqlite_db_step_done (self->db, insert, error))
    return FALSE;

  if (!store_server_verdict (self, id, verdict,
                             json_object_get_boolean_member_with_default (checkin, "flagged", FALSE),
                             json_object_get_boolean_member_with_default (checkin, "undone", FALSE),
                             received_at, conflicts, error))
    return FALSE;

  /* The server has it: a post whose answer was lost needs no retry. */
  unqueue = cached (self, "DELETE FROM outbox WHERE id = ?", error);
  if (unqueue == NULL)
    return FALSE;
  tn_sqlite_bind_text (unqueue, 1, id);
  return tn_sqlite_db_step_done (self->db, unqueue, error);
}

static gboolean
apply_change (TnReplica   *self,
              JsonObject  *change,
              GPtrArray   *conflicts,
              GError     **error)
{
  const char *type = tn_json_object_get_string (change, "type");
  JsonNode *node;

  if (g_strcmp0 (type, "attendee") == 0)
    {
      node = json_object_get_member (change, "attendee");
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        goto bad;
      return apply_attendee (self, json_node_get_object (node), error);
    }
  if (g_strcmp0 (type, "revoked") == 0)
    return apply_revoked (self, tn_json_object_get_string (change, "code"), error);
  if (g_strcmp0 (type, "checkin") == 0)
    {
      node = json_object_get_member (change, "checkin");
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        goto bad;
      return apply_checkin (self, json_node_get_object (node), conflicts, error);
    }
  /* A kind of change this client does not know yet: a newer server. */
  g_debug ("Sync: skipping a change of type %s", type != NULL ? type : "(none)");
  return TRUE;

bad:
  g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST, "A %s change in the sync data cannot be read", type);
  return FALSE;
}

/**
 * tn_replica_apply_sync_page:
 * @self: a #TnReplica
 * @page: an answer of `GET /api/v1/sync`: `{"event", "changes", "cursor", "more"}`
 * @out_conflicts: (out) (optional) (transfer container) (element-type TnReplicaScan):
 *   this device's scans the page judged otherwise than the door did, new
 *   since the last page
 * @error: return location for a #TnError
 *
 * Applies the page's event, changes and cursor in one transaction: all or
 * nothing. Applying a page twice is the same as applying it once.
 *
 * Returns: whether the page was applied
 */
gboolean
tn_replica_apply_sync_page (TnReplica   *self,
                            JsonObject  *page,
                            GPtrArray  **out_conflicts,
                            GError     **error)
{
  g_autoptr(GPtrArray) conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) tn_replica_scan_free);
  JsonNode *event = NULL, *changes = NULL, *cursor = NULL;
  g_autofree char *cursor_text = NULL;

  g_return_val_if_fail (TN_IS_REPLICA (self), FALSE);
  g_return_val_if_fail (page != NULL, FALSE);

  event = json_object_get_member (page, "event");
  changes = json_object_get_member (page, "changes");
  cursor = json_object_get_member (page, "cursor");
  if ((event != NULL && !JSON_NODE_HOLDS_OBJECT (event)) ||
      changes == NULL || !JSON_NODE_HOLDS_ARRAY (changes))
    {
      g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST, "A sync page cannot be read");
      return FALSE;
    }
  if (cursor != NULL && tn_json_node_is_integer (cursor))
    cursor_text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (cursor));
  else if (cursor != NULL && tn_json_node_is_string (cursor))
    cursor_text = g_strdup (json_node_get_string (cursor));

  if (!tn_sqlite_db_begin (self->db, error))
    return FALSE;
  if (event != NULL && !apply_event (self, json_node_get_object (event), error))
    goto fail;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (changes)); i++)
    {
      JsonNode *change = json_array_get_element (json_node_get_array (changes), i);

      if (!JSON_NODE_HOLDS_OBJECT (change))
        {
          g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST, "A sync change is not an object");
          goto fail;
        }
      if (!apply_change (self, json_node_get_object (change), conflicts, error))
        goto fail;
    }
  if (cursor_text != NULL && !set_meta (self, "cursor", cursor_text, error))
    goto fail;
  if (!tn_sqlite_db_commit (self->db, error))
    goto fail;

  load_event (self, NULL);
  if (out_conflicts != NULL)
    *out_conflicts = g_steal_pointer (&conflicts);
  return TRUE;

fail:
  tn_sqlite_db_rollback (self->db);
  load_event (self, NULL);
  return FALSE;
}

/* --- verdicts ------------------------------------------------------------ */

/* Fills @scan's verdict from the replica alone. */
static void
judge (TnReplica     *self,
       TnReplicaScan *scan)
{
  TnTicketClaim claim;
  gboolean signed_valid = FALSE;
  gboolean current_code = FALSE;
  gboolean revoked;
  g_autofree char *status = NULL;
  char *code = NULL;

  scan->verdict = TN_VERDICT_UNKNOWN;
  if (self->db->handle == NULL)
    return;

  if (tn_signed_ticket_is_signed (scan->code))
    {
      TnSignedTicketCheck check = TN_SIGNED_TICKET_MALFORMED;

      if (self->has_public_key)
        check = tn_signed_ticket_check (scan->code, self->public_key, &claim);
      if (check != TN_SIGNED_TICKET_VALID)
        {
          /* Forged under this event's key. A well-formed claim of another
           * event is refused as such (its signature cannot be checked
           * here, but it admits nobody either way). */
          if (check == TN_SIGNED_TICKET_FORGED && tn_signed_ticket_read (scan->code, &claim) &&
              self->event_id != NULL && g_ascii_strcasecmp (claim.event_id, self->event_id) != 0)
            scan->verdict = TN_VERDICT_WRONG_EVENT;
          return;
        }
      if (self->event_id == NULL || g_ascii_strcasecmp (claim.event_id, self->event_id) != 0)
        {
          scan->verdict = TN_VERDICT_WRONG_EVENT;
          return;
        }
      if (claim.valid_until < scan->scanned_at)
        return;
      signed_valid = TRUE;
      scan->ticket_code = g_strdup (claim.code);
    }
  else
    {
      scan->ticket_code = tn_ticket_code_normalize (scan->code);
      if (scan->ticket_code == NULL)
        return;
    }
  code = scan->ticket_code;

  sqlite3_reset (self->find_code);
  sqlite3_bind_text (self->find_code, 1, code, -1, SQLITE_STATIC);
  if (sqlite3_step (self->find_code) == SQLITE_ROW)
    {
      scan->attendee_id = tn_sqlite_column_dup (self->find_code, 0);
      status = tn_sqlite_column_dup (self->find_code, 1);
      scan->name = tn_sqlite_column_dup (self->find_code, 2);
      scan->ticket_type = tn_sqlite_column_dup (self->find_code, 3);
      scan->note = tn_sqlite_column_dup (self->find_code, 4);
      current_code = g_strcmp0 ((const char *) sqlite3_column_text (self->find_code, 5), code) == 0;
    }
  sqlite3_reset (self->find_code);

  /* after the attendee lookup, so the door can say whose ticket it was */
  sqlite3_bind_text (self->find_revoked, 1, code, -1, SQLITE_STATIC);
  revoked = sqlite3_step (self->find_revoked) == SQLITE_ROW;
  sqlite3_reset (self->find_revoked);
  if (revoked)
    {
      scan->verdict = TN_VERDICT_REVOKED;
      return;
    }

  if (scan->attendee_id == NULL && !signed_valid)
    return;   /* unknown */
  if (scan->attendee_id != NULL && g_strcmp0 (status, "going") != 0)
    {
      scan->verdict = TN_VERDICT_NOT_GOING;
      return;
    }
  if (scan->attendee_id != NULL && !current_code)
    {
      /* going, with another ticket now: this one was replaced */
      scan->verdict = TN_VERDICT_REVOKED;
      return;
    }

  sqlite3_reset (self->find_last_accepted);
  sqlite3_bind_text (self->find_last_accepted, 1, code, -1, SQLITE_STATIC);
  if (sqlite3_step (self->find_last_accepted) == SQLITE_ROW &&
      g_strcmp0 ((const char *) sqlite3_column_text (self->find_last_accepted, 0), "in") == 0)
    {
      if (scan->direction == TN_SCAN_IN)
        {
          scan->verdict = TN_VERDICT_DUPLICATE;
          scan->previous_scanned_at = sqlite3_column_int64 (self->find_last_accepted, 1);
          scan->previous_device = tn_sqlite_column_dup (self->find_last_accepted, 2);
        }
      else
        scan->verdict = TN_VERDICT_ACCEPTED;
    }
  else
    scan->verdict = scan->direction == TN_SCAN_IN ? TN_VERDICT_ACCEPTED : TN_VERDICT_NOT_INSIDE;
  sqlite3_reset (self->find_last_accepted);
}

/**
 * tn_replica_judge:
 * @self: a #TnReplica
 * @code: a short code as typed, or a signed ticket as scanned
 * @direction: in or out
 * @scanned_at: when, Unix seconds
 *
 * The door's verdict on @code, from the replica and the event's public key
 * alone, without recording anything.
 *
 * Returns: (transfer full): the scan as it would be recorded (without id)
 */
TnReplicaScan *
tn_replica_judge (TnReplica       *self,
                  const char      *code,
                  TnScanDirection  direction,
                  gint64           scanned_at)
{
  TnReplicaScan *scan;

  g_return_val_if_fail (TN_IS_REPLICA (self), NULL);
  g_return_val_if_fail (code != NULL, NULL);

  scan = g_new0 (TnReplicaScan, 1);
  scan->code = g_strstrip (g_strdup (code));
  scan->direction = direction;
  scan->scanned_at = scanned_at;
  judge (self, scan);
  return scan;
}

static char *
scan_payload (TnReplica     *self,
              TnReplicaScan *scan)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *when = tn_time_format (scan->scanned_at);

  json_object_set_string_member (object, "id", scan->id);
  json_object_set_string_member (object, "event_id", self->event_id != NULL ? self->event_id : "");
  json_object_set_string_member (object, "code", scan->code);
  json_object_set_string_member (object, "direction", scan->direction == TN_SCAN_IN ? "in" : "out");
  json_object_set_string_member (object, "scanned_at", when);
  if (scan->device != NULL)
    json_object_set_string_member (object, "device", scan->device);
  json_object_set_string_member (object, "local_verdict", tn_verdict_to_string (scan->verdict));
  node = json_node_init_object (json_node_alloc (), object);
  return tn_json_to_string (node);
}

/**
 * tn_replica_record_scan:
 * @self: a #TnReplica
 * @code: a short code as typed, or a signed ticket as scanned
 * @direction: in or out
 * @scanned_at: when, Unix seconds
 * @device: (nullable): the device id, or free text for a staff member
 * @error: return location for a #TnError
 *
 * Judges @code as tn_replica_judge() does and records the scan with its
 * outbox entry in one transaction. The verdict is the door's at once.
 *
 * Returns: (transfer full) (nullable): the recorded scan, with its new id
 */
TnReplicaScan *
tn_replica_record_scan (TnReplica        *self,
                        const char       *code,
                        TnScanDirection   direction,
                        gint64            scanned_at,
                        const char       *device,
                        GError          **error)
{
  g_autoptr(TnReplicaScan) scan = NULL;
  g_autoptr(CachedStmt) insert = NULL;
  g_autoptr(CachedStmt) queue = NULL;
  g_autofree char *payload = NULL;

  g_return_val_if_fail (TN_IS_REPLICA (self), NULL);
  g_return_val_if_fail (code != NULL, NULL);

  if (!tn_sqlite_db_begin (self->db, error))
    return NULL;

  scan = tn_replica_judge (self, code, direction, scanned_at);
  scan->id = tn_id_new ();
  scan->device = g_strdup (device);
  payload = scan_payload (self, scan);

  insert = cached (self, "INSERT INTO scans (id, code, ticket_code, attendee_id, direction, scanned_at, device, "
                          "local_verdict, own) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)", error);
  if (insert == NULL)
    goto fail;
  tn_sqlite_bind_text (insert, 1, scan->id);
  tn_sqlite_bind_text (insert, 2, scan->code);
  tn_sqlite_bind_text (insert, 3, scan->ticket_code);
  tn_sqlite_bind_text (insert, 4, scan->attendee_id);
  tn_sqlite_bind_text (insert, 5, direction == TN_SCAN_IN ? "in" : "out");
  sqlite3_bind_int64 (insert, 6, scanned_at);
  tn_sqlite_bind_text (insert, 7, device);
  tn_sqlite_bind_text (insert, 8, tn_verdict_to_string (scan->verdict));
  if (!tn_sqlite_db_step_done (self->db, insert, error))
    goto fail;

  queue = cached (self, "INSERT INTO outbox (id, kind, payload, created_at) VALUES (?, ?, ?, ?)", error);
  if (queue == NULL)
    goto fail;
  tn_sqlite_bind_text (queue, 1, scan->id);
  tn_sqlite_bind_text (queue, 2, TN_REPLICA_KIND_CHECKIN);
  tn_sqlite_bind_text (queue, 3, payload);
  sqlite3_bind_int64 (queue, 4, g_get_real_time ());
  if (!tn_sqlite_db_step_done (self->db, queue, error) || !tn_sqlite_db_commit (self->db, error))
    goto fail;

  return g_steal_pointer (&scan);

fail:
  tn_sqlite_db_rollback (self->db);
  return NULL;
}

static char *
undo_payload (const char *scan_id)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = NULL;

  json_object_set_string_member (object, "id", scan_id);
  node = json_node_init_object (json_node_alloc (), object);
  return tn_json_to_string (node);
}

/**
 * tn_replica_record_undo:
 * @self: a #TnReplica
 * @scan_id: the id of a scan in the replica, this door's or another's
 * @error: return location for a #TnError
 *
 * Marks the scan undone and queues the undo in the outbox, in one
 * transaction: the counts leave the scan out at once, and a sync page
 * the server made before it had the undo does not bring the scan back
 * while the undo waits in the outbox.
 *
 * Returns: whether it was recorded; %TN_ERROR_NOT_FOUND for a scan the
 *   replica does not have, %TN_ERROR_CONFLICT for one undone already
 */
gboolean
tn_replica_record_undo (TnReplica   *self,
                        const char  *scan_id,
                        GError     **error)
{
  g_autoptr(CachedStmt) find = NULL;
  g_autoptr(CachedStmt) mark = NULL;
  g_autoptr(CachedStmt) queue = NULL;
  g_autofree char *id = NULL;
  g_autofree char *payload = NULL;
  gboolean undone;
  int rc;

  g_return_val_if_fail (TN_IS_REPLICA (self), FALSE);
  g_return_val_if_fail (scan_id != NULL, FALSE);

  if (!tn_sqlite_db_begin (self->db, error))
    return FALSE;

  find = cached (self, "SELECT undone FROM scans WHERE id = ?", error);
  if (find == NULL)
    goto fail;
  tn_sqlite_bind_text (find, 1, scan_id);
  rc = sqlite3_step (find);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_NOT_FOUND, "No scan %s in the replica", scan_id);
      goto fail;
    }
  if (rc != SQLITE_ROW)
    {
      tn_sqlite_db_set_error (self->db, error);
      goto fail;
    }
  undone = sqlite3_column_int (find, 0) != 0;
  sqlite3_reset (find);
  if (undone)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_CONFLICT, "Scan %s is undone already", scan_id);
      goto fail;
    }

  mark = cached (self, "UPDATE scans SET undone = 1 WHERE id = ?", error);
  if (mark == NULL)
    goto fail;
  tn_sqlite_bind_text (mark, 1, scan_id);
  if (!tn_sqlite_db_step_done (self->db, mark, error))
    goto fail;

  id = tn_id_new ();
  payload = undo_payload (scan_id);
  queue = cached (self, "INSERT INTO outbox (id, kind, payload, created_at) VALUES (?, ?, ?, ?)", error);
  if (queue == NULL)
    goto fail;
  tn_sqlite_bind_text (queue, 1, id);
  tn_sqlite_bind_text (queue, 2, TN_REPLICA_KIND_UNDO);
  tn_sqlite_bind_text (queue, 3, payload);
  sqlite3_bind_int64 (queue, 4, g_get_real_time ());
  if (!tn_sqlite_db_step_done (self->db, queue, error) || !tn_sqlite_db_commit (self->db, error))
    goto fail;
  return TRUE;

fail:
  tn_sqlite_db_rollback (self->db);
  return FALSE;
}

static TnReplicaScan *
get_scan (TnReplica  *self,
          const char *id)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  TnReplicaScan *scan;
  const char *local, *server;

  if (self->db->handle == NULL)
    return NULL;
  stmt = tn_sqlite_db_prepare (self->db, "SELECT s.id, s.code, s.ticket_code, s.direction, s.scanned_at, s.device, "
                                         "s.local_verdict, s.server_verdict, s.flagged, s.undone, "
                                         "COALESCE(s.attendee_id, a.id), a.name, a.ticket_type, a.note, s.rejected "
                                         "FROM scans s LEFT JOIN ticket_codes c ON c.code = s.ticket_code "
                                         "LEFT JOIN attendees a ON a.id = c.attendee_id WHERE s.id = ?", NULL);
  if (stmt == NULL)
    return NULL;
  tn_sqlite_bind_text (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

  scan = g_new0 (TnReplicaScan, 1);
  scan->id = tn_sqlite_column_dup (stmt, 0);
  scan->code = tn_sqlite_column_dup (stmt, 1);
  scan->ticket_code = tn_sqlite_column_dup (stmt, 2);
  scan->direction = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 3), "out") == 0 ? TN_SCAN_OUT : TN_SCAN_IN;
  scan->scanned_at = sqlite3_column_int64 (stmt, 4);
  scan->device = tn_sqlite_column_dup (stmt, 5);
  local = (const char *) sqlite3_column_text (stmt, 6);
  server = (const char *) sqlite3_column_text (stmt, 7);
  scan->has_server_verdict = tn_verdict_from_string (server, &scan->server_verdict);
  if (!tn_verdict_from_string (local, &scan->verdict))
    scan->verdict = scan->has_server_verdict ? scan->server_verdict : TN_VERDICT_UNKNOWN;
  scan->flagged = sqlite3_column_int (stmt, 8) != 0;
  scan->undone = sqlite3_column_int (stmt, 9) != 0;
  scan->attendee_id = tn_sqlite_column_dup (stmt, 10);
  scan->name = tn_sqlite_column_dup (stmt, 11);
  scan->ticket_type = tn_sqlite_column_dup (stmt, 12);
  scan->note = tn_sqlite_column_dup (stmt, 13);
  scan->rejected = tn_sqlite_column_dup (stmt, 14);
  return scan;
}

/**
 * tn_replica_get_scan:
 * @self: a #TnReplica
 * @id: a scan's id
 *
 * Returns: (transfer full) (nullable): the scan, this door's or another's
 */
TnReplicaScan *
tn_replica_get_scan (TnReplica  *self,
                     const char *id)
{
  g_return_val_if_fail (TN_IS_REPLICA (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  return get_scan (self, id);
}

/* The scans whose ids @sql selects, in its order; @param (nullable) is
 * bound to its ?1. */
static GPtrArray *
scans_where (TnReplica  *self,
             const char *sql,
             const char *param)
{
  g_autoptr(GPtrArray) scans = g_ptr_array_new_with_free_func ((GDestroyNotify) tn_replica_scan_free);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (self->db->handle == NULL || (stmt = tn_sqlite_db_prepare (self->db, sql, NULL)) == NULL)
    return g_steal_pointer (&scans);
  if (param != NULL)
    tn_sqlite_bind_text (stmt, 1, param);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, tn_sqlite_column_dup (stmt, 0));
  for (guint i = 0; i < ids->len; i++)
    {
      TnReplicaScan *scan = get_scan (self, g_ptr_array_index (ids, i));

      if (scan != NULL)
        g_ptr_array_add (scans, scan);
    }
  return g_steal_pointer (&scans);
}

/**
 * tn_replica_get_conflicts:
 *
 * Returns: (transfer container) (element-type TnReplicaScan): this door's
 *   scans that the server judged otherwise than the door, and other
 *   doors' flagged scans of tickets this door let in, oldest first
 */
GPtrArray *
tn_replica_get_conflicts (TnReplica *self)
{
  g_return_val_if_fail (TN_IS_REPLICA (self), NULL);
  return scans_where (self, "SELECT id FROM scans s WHERE " CONFLICTS_WHERE "ORDER BY scanned_at, rowid", NULL);
}

/**
 * tn_replica_search:
 * @self: a #TnReplica
 * @query: part of a name; case and accents do not matter
 * @limit: at most this many (0: 50)
 *
 * Returns: (transfer container) (element-type TnAttendee): the attendees
 *   whose name holds @query, by name
 */
GPtrArray *
tn_replica_search (TnReplica  *self,
                   const char *query,
                   guint       limit)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *key = NULL;
  g_autoptr(GString) pattern = g_string_new ("%");
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (TN_IS_REPLICA (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  if (self->db->handle == NULL)
    return g_steal_pointer (&found);
  key = tn_sqlite_fold_text (query);
  for (const char *p = key; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append_c (pattern, '%');

  stmt = tn_sqlite_db_prepare (self->db, "SELECT json FROM attendees WHERE name_key LIKE ? ESCAPE '\\' "
                                         "ORDER BY name_key, id LIMIT ?", NULL);
  if (stmt == NULL)
    return g_steal_pointer (&found);
  tn_sqlite_bind_text (stmt, 1, pattern->str);
  sqlite3_bind_int (stmt, 2, limit > 0 ? (int) limit : 50);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *json = (const char *) sqlite3_column_text (stmt, 0);
      g_autoptr(JsonObject) object = tn_json_parse_object (json, strlen (json), NULL);
      TnAttendee *attendee = object != NULL ? tn_attendee_new_from_json (object, NULL) : NULL;

      if (attendee != NULL)
        g_ptr_array_add (found, attendee);
    }
  return g_steal_pointer (&found);
}

/**
 * tn_replica_count_inside:
 *
 * Returns: tickets whose last accepted, not undone scan is `in`
 */
guint
tn_replica_count_inside (TnReplica *self)
{
  g_return_val_if_fail (TN_IS_REPLICA (self), 0);
  return (guint) tn_sqlite_db_query_int (self->db, COUNT_INSIDE);
}

/**
 * tn_replica_count_checked_in:
 *
 * Returns: tickets let in at least once (by any door)
 */
guint
tn_replica_count_checked_in (TnReplica *self)
{
  g_return_val_if_fail (TN_IS_REPLICA (self), 0);
  return (guint) tn_sqlite_db_query_int (self->db, COUNT_CHECKED_IN);
}

/**
 * tn_replica_count_attendees:
 *
 * Returns: attendees in the replica, whatever their status
 */
guint
tn_replica_count_attendees (TnReplica *self)
{
  g_return_val_if_fail (TN_IS_REPLICA (self), 0);
  return (guint) tn_sqlite_db_query_int (self->db, "SELECT COUNT(*) FROM attendees");
}

/**
 * tn_replica_count_going:
 *
 * Returns: attendees whose status is `going`, as of the last sync
 */
guint
tn_replica_count_going (TnReplica *self)
{
  g_return_val_if_fail (TN_IS_REPLICA (self), 0);
  return (guint) tn_sqlite_db_query_int (self->db, COUNT_GOING);
}

/**
 * tn_replica_count_own_admitted:
 *
 * Returns: tickets this door let in (its `in` scans that count as
 *   accepted and are not undone, one per ticket)
 */
guint
tn_replica_count_own_admitted (TnReplica *self)
{
  g_return_val_if_fail (TN_IS_REPLICA (self), 0);
  return (guint) tn_sqlite_db_query_int (self->db, COUNT_OWN_ADMITTED);
}

/**
 * tn_replica_get_last_own_scan:
 *
 * Returns: (transfer full) (nullable): this door's latest scan that is
 *   not undone
 */
TnReplicaScan *
tn_replica_get_last_own_scan (TnReplica *self)
{
  g_autoptr(GPtrArray) scans = NULL;

  g_return_val_if_fail (TN_IS_REPLICA (self), NULL);
  scans = scans_where (self, "SELECT id FROM scans WHERE own = 1 AND undone = 0 "
                             "ORDER BY rowid DESC LIMIT 1", NULL);
  if (scans->len == 0)
    return NULL;
  return g_ptr_array_steal_index (scans, 0);
}

/**
 * tn_replica_get_recent_own_scans:
 * @self: a #TnReplica
 * @limit: at most this many
 *
 * Returns: (transfer container) (element-type TnReplicaScan): this door's
 *   latest scans, undone ones too, newest first
 */
GPtrArray *
tn_replica_get_recent_own_scans (TnReplica *self,
                                 guint      limit)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (TN_IS_REPLICA (self), NULL);
  sql = g_strdup_printf ("SELECT id FROM scans WHERE own = 1 ORDER BY rowid DESC LIMIT %u", limit);
  return scans_where (self, sql, NULL);
}

/**
 * tn_replica_get_attendee_scans:
 * @self: a #TnReplica
 * @attendee_id: an attendee's id
 *
 * Returns: (transfer container) (element-type TnReplicaScan): every
 *   door's scans of the attendee's tickets, undone ones too, oldest first
 */
GPtrArray *
tn_replica_get_attendee_scans (TnReplica  *self,
                               const char *attendee_id)
{
  g_return_val_if_fail (TN_IS_REPLICA (self), NULL);
  g_return_val_if_fail (attendee_id != NULL, NULL);

  return scans_where (self, "SELECT s.id FROM scans s WHERE s.attendee_id = ?1 "
                            "OR s.ticket_code IN (SELECT code FROM ticket_codes WHERE attendee_id = ?1) "
                            "ORDER BY s.scanned_at, s.rowid", attendee_id);
}

/**
 * tn_replica_get_attendee:
 * @self: a #TnReplica
 * @attendee_id: an attendee's id
 *
 * Returns: (transfer full) (nullable): the attendee, as of the last sync
 */
TnAttendee *
tn_replica_get_attendee (TnReplica  *self,
                         const char *attendee_id)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonObject) object = NULL;
  const char *json;

  g_return_val_if_fail (TN_IS_REPLICA (self), NULL);
  g_return_val_if_fail (attendee_id != NULL, NULL);

  if (self->db->handle == NULL)
    return NULL;
  stmt = tn_sqlite_db_prepare (self->db, "SELECT json FROM attendees WHERE id = ?", NULL);
  if (stmt == NULL)
    return NULL;
  tn_sqlite_bind_text (stmt, 1, attendee_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  json = (const char *) sqlite3_column_text (stmt, 0);
  object = tn_json_parse_object (json, strlen (json), NULL);
  return object != NULL ? tn_attendee_new_from_json (object, NULL) : NULL;
}

/* A second connection, read only: with WAL it reads the last committed
 * state while the door's connection goes on writing. */
static void
count_in_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  const char *path = task_data;
  g_autofree TnReplicaCounts *counts = g_new0 (TnReplicaCounts, 1);
  static const char * const queries[] = {
    COUNT_GOING, COUNT_CHECKED_IN, COUNT_INSIDE, COUNT_OWN_ADMITTED,
    "SELECT COUNT(*) FROM scans s WHERE " CONFLICTS_WHERE,
  };
  guint *fields[] = {
    &counts->going, &counts->checked_in, &counts->inside, &counts->own_admitted, &counts->conflicts,
  };
  sqlite3 *db = NULL;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      g_task_return_new_error (task, TN_ERROR, TN_ERROR_INTERNAL, "%s: %s", path,
                               db != NULL ? sqlite3_errmsg (db) : "cannot open");
      sqlite3_close (db);
      return;
    }
  sqlite3_busy_timeout (db, 1000);
  /* one read transaction: the figures agree with each other */
  sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      sqlite3_stmt *stmt = NULL;

      if (sqlite3_prepare_v2 (db, queries[i], -1, &stmt, NULL) == SQLITE_OK &&
          sqlite3_step (stmt) == SQLITE_ROW)
        *fields[i] = (guint) sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
    }
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  sqlite3_close (db);
  g_task_return_pointer (task, g_steal_pointer (&counts), g_free);
}

/**
 * tn_replica_count_async:
 * @self: a #TnReplica
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the counts
 * @user_data: for @callback
 *
 * Counts what a door shows (going, checked in, inside, this door's
 * admissions, conflicts) in a thread of its own, over a connection of its
 * own, so that a door's scans never wait for a count.
 */
void
tn_replica_count_async (TnReplica           *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TN_IS_REPLICA (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tn_replica_count_async);
  if (self->db->handle == NULL)
    {
      g_task_return_new_error (task, TN_ERROR, TN_ERROR_INTERNAL, "The replica was wiped");
      return;
    }
  g_task_set_task_data (task, g_strdup (self->db->path), g_free);
  g_task_run_in_thread (task, count_in_thread);
}

/**
 * tn_replica_count_finish:
 * @self: a #TnReplica
 * @result: the result
 * @counts: (out caller-allocates): the counts
 * @error: return location for an error
 *
 * Returns: whether @counts was filled
 */
gboolean
tn_replica_count_finish (TnReplica        *self,
                         GAsyncResult     *result,
                         TnReplicaCounts  *counts,
                         GError          **error)
{
  g_autofree TnReplicaCounts *found = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  found = g_task_propagate_pointer (G_TASK (result), error);
  if (found == NULL)
    return FALSE;
  *counts = *found;
  return TRUE;
}

/* --- outbox -------------------------------------------------------------- */

/**
 * tn_replica_outbox_size:
 *
 * Returns: mutations the server has not confirmed
 */
guint
tn_replica_outbox_size (TnReplica *self)
{
  g_return_val_if_fail (TN_IS_REPLICA (self), 0);
  return (guint) tn_sqlite_db_query_int (self->db, "SELECT COUNT(*) FROM outbox");
}

/**
 * tn_replica_outbox_next_due:
 *
 * Returns: the earliest next attempt time (g_get_real_time() µs) of the
 *   outbox, or 0 when it is empty
 */
gint64
tn_replica_outbox_next_due (TnReplica *self)
{
  g_return_val_if_fail (TN_IS_REPLICA (self), 0);
  return tn_sqlite_db_query_int (self->db, "SELECT COALESCE(MIN(next_attempt_at), 0) FROM outbox");
}

/**
 * tn_replica_outbox_retry_all:
 * @self: a #TnReplica
 * @error: return location for a #TnError
 *
 * Makes every entry due now: the server answers again, so the backoff
 * that kept them waiting while it could not be reached is over.
 *
 * Returns: whether it was stored
 */
gboolean
tn_replica_outbox_retry_all (TnReplica  *self,
                             GError    **error)
{
  g_return_val_if_fail (TN_IS_REPLICA (self), FALSE);

  return tn_sqlite_db_check_open (self->db, error) &&
         tn_sqlite_db_exec (self->db, "UPDATE outbox SET next_attempt_at = 0", error);
}

/**
 * tn_replica_outbox_peek:
 * @self: a #TnReplica
 * @max: at most this many
 * @now: g_get_real_time(); entries waiting for a later retry are left out
 *   (%G_MAXINT64: all of them)
 *
 * Returns: (transfer container) (element-type TnReplicaOutboxEntry): the
 *   oldest entries due, oldest first; they stay until confirmed
 */
GPtrArray *
tn_replica_outbox_peek (TnReplica *self,
                        guint      max,
                        gint64     now)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) tn_replica_outbox_entry_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (TN_IS_REPLICA (self), NULL);

  if (self->db->handle == NULL)
    return g_steal_pointer (&entries);
  stmt = tn_sqlite_db_prepare (self->db, "SELECT id, kind, payload, attempts, next_attempt_at FROM outbox "
                                         "WHERE next_attempt_at <= ? ORDER BY seq LIMIT ?", NULL);
  if (stmt == NULL)
    return g_steal_pointer (&entries);
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int (stmt, 2, (int) MIN (max, (guint) G_MAXINT));
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      TnReplicaOutboxEntry *entry = g_new0 (TnReplicaOutboxEntry, 1);

      entry->id = tn_sqlite_column_dup (stmt, 0);
      entry->kind = tn_sqlite_column_dup (stmt, 1);
      entry->payload = tn_sqlite_column_dup (stmt, 2);
      entry->attempts = (guint) sqlite3_column_int (stmt, 3);
      entry->next_attempt_at = sqlite3_column_int64 (stmt, 4);
      g_ptr_array_add (entries, entry);
    }
  return g_steal_pointer (&entries);
}

/**
 * tn_replica_outbox_confirm:
 * @self: a #TnReplica
 * @id: an outbox entry's id
 * @result: (nullable): the server's result for it (for a check-in:
 *   `{"id", "verdict", "flagged", …}`)
 * @out_conflict: (out) (optional) (nullable) (transfer full): the scan,
 *   when the server's verdict differs from the door's
 * @error: return location for a #TnError
 *
 * The server has the mutation: drops it from the outbox and stores the
 * server's verdict, in one transaction.
 *
 * Returns: whether it was stored
 */
gboolean
tn_replica_outbox_confirm (TnReplica      *self,
                           const char     *id,
                           JsonObject     *result,
                           TnReplicaScan **out_conflict,
                           GError        **error)
{
  g_autoptr(GPtrArray) conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) tn_replica_scan_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (TN_IS_REPLICA (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (out_conflict != NULL)
    *out_conflict = NULL;
  if (!tn_sqlite_db_begin (self->db, error))
    return FALSE;
  stmt = tn_sqlite_db_prepare (self->db, "DELETE FROM outbox WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  tn_sqlite_bind_text (stmt, 1, id);
  if (!tn_sqlite_db_step_done (self->db, stmt, error))
    goto fail;
  if (result != NULL && tn_json_object_get_string (result, "verdict") != NULL &&
      !store_server_verdict (self, id, tn_json_object_get_string (result, "verdict"),
                             json_object_get_boolean_member_with_default (result, "flagged", FALSE),
                             FALSE, 0, conflicts, error))
    goto fail;
  if (!tn_sqlite_db_commit (self->db, error))
    goto fail;
  if (out_conflict != NULL && conflicts->len > 0)
    *out_conflict = g_ptr_array_steal_index (conflicts, 0);
  return TRUE;

fail:
  tn_sqlite_db_rollback (self->db);
  return FALSE;
}

/**
 * tn_replica_outbox_contains:
 * @self: a #TnReplica
 * @id: an outbox entry's id (for a check-in: the scan's id)
 *
 * Returns: whether the entry still waits in the outbox, due or not
 */
gboolean
tn_replica_outbox_contains (TnReplica  *self,
                            const char *id)
{
  g_autoptr(CachedStmt) stmt = NULL;

  g_return_val_if_fail (TN_IS_REPLICA (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (self->db->handle == NULL || (stmt = cached (self, "SELECT 1 FROM outbox WHERE id = ?", NULL)) == NULL)
    return FALSE;
  tn_sqlite_bind_text (stmt, 1, id);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

static gboolean
delete_entry (TnReplica   *self,
              const char  *id,
              GError     **error)
{
  g_autoptr(CachedStmt) stmt = cached (self, "DELETE FROM outbox WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  tn_sqlite_bind_text (stmt, 1, id);
  return tn_sqlite_db_step_done (self->db, stmt, error);
}

/**
 * tn_replica_outbox_remove:
 * @self: a #TnReplica
 * @id: an outbox entry's id
 * @error: return location for a #TnError
 *
 * The server carried the mutation out and its answer holds nothing to
 * store (an undo): drops it from the outbox. An unknown @id is no error.
 *
 * Returns: whether it was stored
 */
gboolean
tn_replica_outbox_remove (TnReplica   *self,
                          const char  *id,
                          GError     **error)
{
  g_return_val_if_fail (TN_IS_REPLICA (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  return tn_sqlite_db_check_open (self->db, error) && delete_entry (self, id, error);
}

/**
 * tn_replica_outbox_give_up:
 * @self: a #TnReplica
 * @id: an outbox entry's id
 * @error: return location for a #TnError
 *
 * The server refused the mutation for good (it does not know the scan,
 * or this device may not undo): drops it and takes back what it did in
 * the replica, in one transaction. A refused undo's scan counts again.
 *
 * Returns: whether it was stored
 */
gboolean
tn_replica_outbox_give_up (TnReplica   *self,
                           const char  *id,
                           GError     **error)
{
  g_autoptr(CachedStmt) find = NULL;
  g_autoptr(CachedStmt) restore = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *payload = NULL;

  g_return_val_if_fail (TN_IS_REPLICA (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!tn_sqlite_db_begin (self->db, error))
    return FALSE;
  find = cached (self, "SELECT kind, payload FROM outbox WHERE id = ?", error);
  if (find == NULL)
    goto fail;
  tn_sqlite_bind_text (find, 1, id);
  if (sqlite3_step (find) == SQLITE_ROW)
    {
      kind = tn_sqlite_column_dup (find, 0);
      payload = tn_sqlite_column_dup (find, 1);
    }
  sqlite3_reset (find);
  if (!delete_entry (self, id, error))
    goto fail;
  if (g_strcmp0 (kind, TN_REPLICA_KIND_UNDO) == 0)
    {
      g_autoptr(JsonObject) object = tn_json_parse_object (payload, strlen (payload), NULL);
      const char *scan_id = object != NULL ? tn_json_object_get_string (object, "id") : NULL;

      restore = cached (self, "UPDATE scans SET undone = 0 WHERE id = ?", error);
      if (restore == NULL)
        goto fail;
      tn_sqlite_bind_text (restore, 1, scan_id);
      if (scan_id != NULL && !tn_sqlite_db_step_done (self->db, restore, error))
        goto fail;
    }
  if (!tn_sqlite_db_commit (self->db, error))
    goto fail;
  return TRUE;

fail:
  tn_sqlite_db_rollback (self->db);
  return FALSE;
}

/**
 * tn_replica_outbox_reject:
 * @self: a #TnReplica
 * @id: an outbox entry's id
 * @reason: the server's explanation
 * @error: return location for a #TnError
 *
 * The server refuses the entry for good (a malformed scan, a scan time it
 * does not take): it leaves the outbox so that it does not hold up the
 * rest, and a scan keeps @reason in the replica, among the conflicts. A
 * refused undo is given up as tn_replica_outbox_give_up() does.
 */
gboolean
tn_replica_outbox_reject (TnReplica   *self,
                          const char  *id,
                          const char  *reason,
                          GError     **error)
{
  g_autoptr(CachedStmt) find = NULL;
  g_autoptr(CachedStmt) mark = NULL;
  g_autofree char *kind = NULL;

  g_return_val_if_fail (TN_IS_REPLICA (self), FALSE);
  g_return_val_if_fail (id != NULL && reason != NULL, FALSE);

  find = cached (self, "SELECT kind FROM outbox WHERE id = ?", error);
  if (find == NULL)
    return FALSE;
  tn_sqlite_bind_text (find, 1, id);
  if (sqlite3_step (find) == SQLITE_ROW)
    kind = tn_sqlite_column_dup (find, 0);
  sqlite3_reset (find);
  if (g_strcmp0 (kind, TN_REPLICA_KIND_CHECKIN) != 0)
    return tn_replica_outbox_give_up (self, id, error);

  if (!tn_sqlite_db_begin (self->db, error))
    return FALSE;
  mark = cached (self, "UPDATE scans SET rejected = ? WHERE id = ?", error);
  if (mark == NULL)
    goto fail;
  tn_sqlite_bind_text (mark, 1, reason);
  tn_sqlite_bind_text (mark, 2, id);
  if (!tn_sqlite_db_step_done (self->db, mark, error) || !delete_entry (self, id, error) ||
      !tn_sqlite_db_commit (self->db, error))
    goto fail;
  return TRUE;

fail:
  tn_sqlite_db_rollback (self->db);
  return FALSE;
}

/**
 * tn_replica_backoff_delay:
 * @self: a #TnReplica
 * @attempts: failed deliveries so far (1 after the first)
 *
 * Exponential backoff with jitter: the base doubled per earlier failure,
 * up to the maximum, then a random half of it added to the other half, so
 * doors that went offline together do not retry together.
 *
 * Returns: how long to wait, in µs
 */
gint64
tn_replica_backoff_delay (TnReplica *self,
                          guint      attempts)
{
  g_return_val_if_fail (TN_IS_REPLICA (self), 0);
  return tn_backoff_delay (&self->backoff, attempts);
}

/**
 * tn_replica_outbox_fail:
 * @self: a #TnReplica
 * @id: an outbox entry's id
 * @now: g_get_real_time()
 * @error: return location for a #TnError
 *
 * A delivery failed: counts the attempt and puts the next one off by
 * tn_replica_backoff_delay().
 *
 * Returns: whether it was stored
 */
static gboolean
fail_entry (TnReplica   *self,
            const char  *id,
            gint64       now,
            GError     **error)
{
  g_autoptr(CachedStmt) find = NULL;
  g_autoptr(CachedStmt) update = NULL;
  guint attempts;

  find = cached (self, "SELECT attempts FROM outbox WHERE id = ?", error);
  if (find == NULL)
    return FALSE;
  tn_sqlite_bind_text (find, 1, id);
  if (sqlite3_step (find) != SQLITE_ROW)
    return TRUE;   /* confirmed meanwhile (by a sync) */
  attempts = (guint) sqlite3_column_int (find, 0) + 1;

  update = cached (self, "UPDATE outbox SET attempts = ?, next_attempt_at = ? WHERE id = ?", error);
  if (update == NULL)
    return FALSE;
  sqlite3_bind_int (update, 1, (int) attempts);
  sqlite3_bind_int64 (update, 2, now + tn_replica_backoff_delay (self, attempts));
  tn_sqlite_bind_text (update, 3, id);
  return tn_sqlite_db_step_done (self->db, update, error);
}

gboolean
tn_replica_outbox_fail (TnReplica   *self,
                        const char  *id,
                        gint64       now,
                        GError     **error)
{
  g_return_val_if_fail (TN_IS_REPLICA (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!tn_sqlite_db_check_open (self->db, error))
    return FALSE;
  return fail_entry (self, id, now, error);
}

/**
 * tn_replica_outbox_fail_many:
 * @self: a #TnReplica
 * @ids: (element-type utf8): outbox entries' ids
 * @now: the time of the failure, g_get_real_time() µs
 * @error: return location for a #TnError
 *
 * As tn_replica_outbox_fail() for each of @ids, in one transaction: a
 * failed batch of 500 scans costs one write to disk, not 500.
 */
gboolean
tn_replica_outbox_fail_many (TnReplica   *self,
                             GPtrArray   *ids,
                             gint64       now,
                             GError     **error)
{
  g_return_val_if_fail (TN_IS_REPLICA (self), FALSE);
  g_return_val_if_fail (ids != NULL, FALSE);

  if (ids->len == 0)
    return TRUE;
  if (!tn_sqlite_db_begin (self->db, error))
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    if (!fail_entry (self, g_ptr_array_index (ids, i), now, error))
      {
        tn_sqlite_db_rollback (self->db);
        return FALSE;
      }
  if (!tn_sqlite_db_commit (self->db, error))
    {
      tn_sqlite_db_rollback (self->db);
      return FALSE;
    }
  return TRUE;
}

/* --- wipe ---------------------------------------------------------------- */

/**
 * tn_replica_wipe:
 * @self: a #TnReplica
 * @error: return location for a #TnError
 *
 * Closes the replica and deletes its file (the device was revoked): the
 * attendee data and the outbox are gone. Every later call finds nothing.
 *
 * Returns: whether the files are gone
 */
gboolean
tn_replica_wipe (TnReplica  *self,
                 GError    **error)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  g_return_val_if_fail (TN_IS_REPLICA (self), FALSE);

  close_db (self);
  self->wiped = TRUE;
  g_clear_pointer (&self->event_id, g_free);
  self->has_public_key = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (self->db->path, suffixes[i], NULL);

      if (g_unlink (file) != 0 && errno != ENOENT)
        {
          int saved = errno;

          g_set_error (error, TN_ERROR, TN_ERROR_INTERNAL, "Cannot delete %s: %s", file, g_strerror (saved));
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
tn_replica_is_wiped (TnReplica *self)
{
  g_return_val_if_fail (TN_IS_REPLICA (self), FALSE);
  return self->wiped;
}
