/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tn-json.h"
#include "tn-signed-ticket.h"
#include "tn-ticket-code.h"
#include "tn-tui-entry.h"
#include "tn-tui-scan.h"
#include "tn-tui-screen.h"
#include "tn-tui-text.h"

/* The scan screen: what a door shows for three hours. It is always ready
 * for a code (typed, or typed by a USB scanner); Enter, or a short pause
 * after a complete code, gives the verdict from the replica at once, in
 * a banner as wide as the terminal. The counters and the state of the
 * sync stay on screen.
 *
 * Order of work for a scan: the scan and its outbox entry are committed
 * (tn_sync_engine_scan), then the verdict is drawn. A door that is killed
 * in between has the scan in its outbox and never showed its verdict. */

/* A banner this old is drawn as the previous verdict, so the next person
 * in the queue is not taken for the last one. */
#define BANNER_FRESH_MS 8000

/* Counting from the replica costs more than a verdict: at most this often. */
#define COUNTS_INTERVAL_MS 200

#define RECENT_MAX 12

typedef enum
{
  CONFIRM_NONE,
  CONFIRM_UNDO,
  CONFIRM_SIGN_OUT,
} Confirm;

struct _TnTuiScan
{
  TnTuiApp        *app;
  TnSyncEngine    *engine;
  TnReplica       *replica;
  TnTuiEntry      *entry;
  TnScanDirection  direction;

  TnReplicaScan   *last;          /* in the banner */
  gint64           last_at;       /* monotonic µs */
  gboolean         stale;         /* the banner is no longer fresh */
  GPtrArray       *recent;        /* of TnReplicaScan, newest first */

  char            *title;
  gint64           capacity;      /* -1: none */
  guint            checked_in;
  guint            going;
  guint            inside;
  guint            own;
  guint            conflicts;
  gint64           counted_at;    /* monotonic µs */
  GCancellable    *counting;      /* a count in a thread */
  gboolean         count_again;

  Confirm          confirm;
  char            *undo_id;

  guint            idle_id;
  guint            counts_id;
  guint            fade_id;
  gulong           handlers[4];
};

/* --- counters ------------------------------------------------------------ */

static void
read_event (TnTuiScan *self)
{
  g_autoptr(JsonObject) event = tn_replica_dup_event (self->replica);
  JsonNode *capacity;

  g_clear_pointer (&self->title, g_free);
  self->capacity = -1;
  if (event == NULL)
    return;
  self->title = g_strdup (tn_json_object_get_string (event, "title"));
  capacity = json_object_get_member (event, "capacity");
  if (capacity != NULL && tn_json_node_is_integer (capacity))
    self->capacity = json_node_get_int (capacity);
}

static void
set_counts (TnTuiScan             *self,
            const TnReplicaCounts *counts)
{
  self->checked_in = counts->checked_in;
  self->going = counts->going;
  self->inside = counts->inside;
  self->own = counts->own_admitted;
  self->conflicts = counts->conflicts;
}

/* At once: when the screen opens. */
static void
refresh_counts (TnTuiScan *self)
{
  g_autoptr(GPtrArray) conflicts = tn_replica_get_conflicts (self->replica);
  TnReplicaCounts counts = {
    .going = tn_replica_count_going (self->replica),
    .checked_in = tn_replica_count_checked_in (self->replica),
    .inside = tn_replica_count_inside (self->replica),
    .own_admitted = tn_replica_count_own_admitted (self->replica),
    .conflicts = conflicts->len,
  };

  read_event (self);
  set_counts (self, &counts);
  self->counted_at = g_get_monotonic_time ();
}

static void queue_counts (TnTuiScan *self);

static void
tn_tui_scan_counted_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  TnTuiApp *app = user_data;
  g_autoptr(GError) error = NULL;
  TnReplicaCounts counts;
  gboolean ok = tn_replica_count_finish (TN_REPLICA (source), result, &counts, &error);
  TnTuiScan *self;

  tn_tui_app_release (app);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (app);
      return;   /* the screen is gone */
    }
  self = g_object_get_data (G_OBJECT (app), "tn-tui-scan");
  g_object_unref (app);
  if (self == NULL)
    return;

  g_clear_object (&self->counting);
  if (ok)
    set_counts (self, &counts);
  else
    g_message ("Could not count: %s", error->message);
  read_event (self);
  self->counted_at = g_get_monotonic_time ();
  if (self->count_again)
    {
      self->count_again = FALSE;
      queue_counts (self);
    }
  tn_tui_app_queue_draw (self->app);
}

/* Counting 50,000 attendees and their scans takes tens of milliseconds:
 * in a thread, over a connection of its own, never in a scan's way. */
static gboolean
tn_tui_scan_counts_cb (gpointer user_data)
{
  TnTuiScan *self = user_data;

  self->counts_id = 0;
  if (self->counting != NULL)
    {
      self->count_again = TRUE;
      return G_SOURCE_REMOVE;
    }
  self->counting = g_cancellable_new ();
  tn_tui_app_hold (self->app);
  tn_replica_count_async (self->replica, self->counting, tn_tui_scan_counted_cb, g_object_ref (self->app));
  return G_SOURCE_REMOVE;
}

/* Counts again soon, but never in the way of a verdict: a burst of scans
 * or a sync page of thousands of changes makes one count. */
static void
queue_counts (TnTuiScan *self)
{
  gint64 since;
  guint delay;

  if (self->counts_id != 0)
    return;
  since = (g_get_monotonic_time () - self->counted_at) / 1000;
  delay = since >= COUNTS_INTERVAL_MS ? 0 : (guint) (COUNTS_INTERVAL_MS - since);
  /* Not a low priority: a scanner typing flat out would starve it. */
  self->counts_id = g_timeout_add (delay, tn_tui_scan_counts_cb, self);
}

static void
tn_tui_scan_changed_cb (TnSyncEngine *engine,
                        gpointer      user_data)
{
  queue_counts (user_data);
}

static void
tn_tui_scan_notify_cb (GObject    *object,
                       GParamSpec *pspec,
                       gpointer    user_data)
{
  TnTuiScan *self = user_data;

  tn_tui_app_queue_draw (self->app);
}

/* --- the screen ---------------------------------------------------------- */

static gpointer
tn_tui_scan_open (TnTuiApp *app,
                  gpointer  arg)
{
  TnTuiScan *self = g_new0 (TnTuiScan, 1);

  self->app = app;
  self->engine = g_object_ref (tn_tui_app_get_engine (app));
  self->replica = tn_sync_engine_get_replica (self->engine);
  self->entry = tn_tui_entry_new (FALSE);
  self->direction = TN_SCAN_IN;
  /* After a restart the list goes on where it was. */
  self->recent = tn_replica_get_recent_own_scans (self->replica, RECENT_MAX);
  self->capacity = -1;

  self->handlers[0] = g_signal_connect (self->engine, "changed", G_CALLBACK (tn_tui_scan_changed_cb), self);
  self->handlers[1] = g_signal_connect (self->engine, "notify::online", G_CALLBACK (tn_tui_scan_notify_cb), self);
  self->handlers[2] = g_signal_connect (self->engine, "notify::pending", G_CALLBACK (tn_tui_scan_notify_cb), self);
  self->handlers[3] = g_signal_connect (self->engine, "notify::last-sync", G_CALLBACK (tn_tui_scan_notify_cb), self);

  refresh_counts (self);
  g_object_set_data (G_OBJECT (app), "tn-tui-scan", self);
  return self;
}

static void
tn_tui_scan_close (gpointer data)
{
  TnTuiScan *self = data;

  for (guint i = 0; i < G_N_ELEMENTS (self->handlers); i++)
    g_clear_signal_handler (&self->handlers[i], self->engine);
  g_clear_handle_id (&self->idle_id, g_source_remove);
  g_clear_handle_id (&self->counts_id, g_source_remove);
  g_clear_handle_id (&self->fade_id, g_source_remove);
  if (self->counting != NULL)
    g_cancellable_cancel (self->counting);
  g_clear_object (&self->counting);
  g_object_set_data (G_OBJECT (self->app), "tn-tui-scan", NULL);
  g_clear_object (&self->engine);
  tn_tui_entry_free (self->entry);
  g_clear_pointer (&self->last, tn_replica_scan_free);
  g_ptr_array_unref (self->recent);
  g_free (self->title);
  g_free (self->undo_id);
  g_free (self);
}

static char *
tn_tui_scan_dup_title (gpointer data)
{
  TnTuiScan *self = data;
  const char *door = tn_tui_app_get_door_name (self->app);

  if (self->title == NULL)
    /* Translators: the header of the scan screen before the first sync: the door's name */
    return g_strdup_printf (_("%s (waiting for the first sync)"), door);
  /* Translators: the header of the scan screen: the event's title and the door's name */
  return g_strdup_printf (_("%s · %s"), self->title, door);
}

static const char *
tn_tui_scan_get_keys (gpointer data)
{
  TnTuiScan *self = data;

  if (self->confirm != CONFIRM_NONE)
    return _("y yes · any other key: no");
  /* Enter needs no hint: the field says what to do. */
  if (!tn_tui_app_is_paired (self->app))
    return _("Tab in/out ^F find ^U undo ^O conflicts ^R sync ^E events ^X sign out ? help");
  if (tn_tui_app_is_supervisor (self->app))
    return _("Tab in/out  ^F find  ^U undo  ^O conflicts  ^R sync  ^X unpair  ? help");
  return _("Tab in/out  ^O conflicts  ^R sync  ^X unpair  ? help");
}

static char *
format_clock (gint64 unix_seconds,
              gboolean seconds)
{
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (unix_seconds);

  if (local == NULL)
    return g_strdup ("?");
  return g_date_time_format (local, seconds ? "%H:%M:%S" : "%H:%M");
}

/* What a door shows for a verdict: the headline, a line saying why, and
 * how it looks. */
static const char *
verdict_headline (const TnReplicaScan *scan,
                  TnTuiStyle          *style)
{
  switch (scan->verdict)
    {
    case TN_VERDICT_ACCEPTED:
      *style = TN_TUI_STYLE_GOOD;
      return scan->direction == TN_SCAN_OUT ? _("CHECKED OUT") : _("ACCEPTED");
    case TN_VERDICT_DUPLICATE:
      *style = TN_TUI_STYLE_WARN;
      return _("ALREADY INSIDE");
    case TN_VERDICT_NOT_INSIDE:
      *style = TN_TUI_STYLE_WARN;
      return _("NOT INSIDE");
    case TN_VERDICT_WRONG_EVENT:
      *style = TN_TUI_STYLE_BAD;
      return _("WRONG EVENT");
    case TN_VERDICT_REVOKED:
      *style = TN_TUI_STYLE_BAD;
      return _("REVOKED");
    case TN_VERDICT_NOT_GOING:
      *style = TN_TUI_STYLE_BAD;
      return _("NOT GOING");
    case TN_VERDICT_UNKNOWN:
    default:
      *style = TN_TUI_STYLE_BAD;
      return _("UNKNOWN TICKET");
    }
}

static char *
verdict_reason (TnTuiScan           *self,
                const TnReplicaScan *scan)
{
  switch (scan->verdict)
    {
    case TN_VERDICT_DUPLICATE:
      {
        g_autofree char *when = format_clock (scan->previous_scanned_at, FALSE);

        if (scan->previous_device == NULL ||
            g_strcmp0 (scan->previous_device, tn_tui_app_get_door_name (self->app)) == 0)
          /* Translators: why a ticket is refused: %s is a time such as 19:02 */
          return g_strdup_printf (_("since %s at this door"), when);
        /* Translators: why a ticket is refused: a time such as 19:02, and a door's name */
        return g_strdup_printf (_("since %s at %s"), when, scan->previous_device);
      }
    case TN_VERDICT_NOT_INSIDE:
      return g_strdup (_("This ticket is not checked in, so it cannot leave."));
    case TN_VERDICT_WRONG_EVENT:
      return g_strdup (_("This ticket is for another event."));
    case TN_VERDICT_REVOKED:
      return g_strdup (_("This ticket was revoked; an organizer may have issued a new one."));
    case TN_VERDICT_NOT_GOING:
      return g_strdup (_("This person is no longer on the list of those going."));
    case TN_VERDICT_UNKNOWN:
      return g_strdup (_("No ticket of this event has this code."));
    case TN_VERDICT_ACCEPTED:
    default:
      return NULL;
    }
}

static char *
scan_name (const TnReplicaScan *scan)
{
  if (scan->name != NULL && scan->name[0] != '\0')
    return g_strdup (scan->name);
  if (scan->verdict == TN_VERDICT_ACCEPTED)
    return g_strdup (_("Valid ticket; the name arrives with the next sync"));
  return NULL;
}

static char *
scan_extra (const TnReplicaScan *scan)
{
  GString *extra = g_string_new (NULL);

  if (scan->ticket_type != NULL && scan->ticket_type[0] != '\0')
    g_string_append (extra, scan->ticket_type);
  if (scan->note != NULL && scan->note[0] != '\0')
    {
      if (extra->len > 0)
        g_string_append (extra, " · ");
      /* Translators: the attendee's note, shown at the door */
      g_string_append_printf (extra, _("Note: %s"), scan->note);
    }
  return g_string_free (extra, extra->len == 0);
}

static void
draw_centered (int         row,
               int         left,
               int         width,
               TnTuiStyle  style,
               const char *text)
{
  g_autofree char *printable = tn_tui_display_printable (text, FALSE);
  int text_width = MIN (tn_tui_text_width (printable), width - 2);

  tn_tui_display_text (row, left + MAX (1, (width - text_width) / 2), width - 2, style, printable);
}

/* Returns: the rows used */
static int
draw_banner (TnTuiScan       *self,
             int              top,
             int              rows,
             const TnTuiRect *area)
{
  const TnReplicaScan *scan = self->last;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *headline = NULL;
  TnTuiStyle style;
  gboolean padded;
  int row = top;

  if (scan == NULL || rows <= 0)
    return 0;

  headline = g_strdup (verdict_headline (scan, &style));
  if (self->stale)
    {
      /* Translators: a verdict some seconds old, such as "Last scan: ACCEPTED" */
      g_ptr_array_add (lines, g_strdup_printf (_("Last scan: %s"), headline));
      style = TN_TUI_STYLE_DIM;
    }
  else
    {
      g_ptr_array_add (lines, g_steal_pointer (&headline));
    }
  g_ptr_array_add (lines, scan_name (scan));
  g_ptr_array_add (lines, verdict_reason (self, scan));
  g_ptr_array_add (lines, scan_extra (scan));
  g_ptr_array_remove (lines, NULL);
  g_ptr_array_remove (lines, NULL);
  g_ptr_array_remove (lines, NULL);

  padded = rows >= (int) lines->len + 2;
  if (padded)
    {
      tn_tui_display_fill (row++, area->left, area->width, style);
      rows -= 2;
    }
  for (guint i = 0; i < lines->len && rows > 0; i++, rows--)
    {
      tn_tui_display_fill (row, area->left, area->width, style);
      draw_centered (row, area->left, area->width, style, g_ptr_array_index (lines, i));
      row++;
    }
  if (padded)
    tn_tui_display_fill (row++, area->left, area->width, style);
  return row - top;
}

static void
draw_entry_row (TnTuiScan       *self,
                int              row,
                const TnTuiRect *area)
{
  const char *badge = self->direction == TN_SCAN_IN ? _("ENTRY") : _("EXIT");
  g_autofree char *padded = g_strdup_printf (" %s ", badge);
  const char *prompt = _("Code:");
  int column = area->left + 1;

  column += tn_tui_display_text (row, column, area->width - 2,
                                 self->direction == TN_SCAN_IN ? TN_TUI_STYLE_GOOD : TN_TUI_STYLE_EXIT,
                                 padded) + 1;
  if (area->width - column > 30)
    column += tn_tui_display_text (row, column, area->width - column, TN_TUI_STYLE_LABEL, prompt) + 1;
  if (area->width - column > 1)
    tn_tui_entry_draw (self->entry, row, column, area->width - column - 1,
                       self->confirm == CONFIRM_NONE);
}

static void
draw_counts (TnTuiScan       *self,
             int              row,
             const TnTuiRect *area)
{
  g_autoptr(GString) text = g_string_new (NULL);

  /* Translators: the door's counters: tickets let in, of those going */
  g_string_append_printf (text, _("Checked in %u of %u going"), self->checked_in, self->going);
  if (self->capacity >= 0)
    /* Translators: follows "Checked in 12 of 150 going" */
    g_string_append_printf (text, _(" (capacity %u)"), (guint) MIN (self->capacity, G_MAXUINT));
  g_string_append (text, " · ");
  g_string_append_printf (text, _("Inside now %u"), self->inside);
  g_string_append (text, " · ");
  g_string_append_printf (text, _("This door %u"), self->own);
  tn_tui_display_text (row, area->left + 1, area->width - 2, TN_TUI_STYLE_TITLE, text->str);
}

static void
draw_sync (TnTuiScan       *self,
           int              row,
           const TnTuiRect *area)
{
  g_autoptr(GString) text = g_string_new (NULL);
  gboolean online = tn_sync_engine_get_online (self->engine);
  guint pending = tn_sync_engine_get_pending (self->engine);
  gint64 last_sync = tn_sync_engine_get_last_sync (self->engine);

  g_string_append (text, online ? _("● Online") : _("○ OFFLINE: verdicts from this door’s copy"));
  g_string_append (text, " · ");
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u scan to send", "%u scans to send", pending),
                          pending);
  g_string_append (text, " · ");
  if (last_sync > 0)
    {
      g_autofree char *when = format_clock (last_sync / G_USEC_PER_SEC, TRUE);

      g_string_append_printf (text, _("synced %s"), when);
    }
  else
    {
      g_string_append (text, _("never synced"));
    }
  if (self->conflicts > 0)
    {
      g_string_append (text, " · ");
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u conflict (^O)", "%u conflicts (^O)",
                                                 self->conflicts), self->conflicts);
    }
  tn_tui_display_text (row, area->left + 1, area->width - 2,
                       online && self->conflicts == 0 ? TN_TUI_STYLE_INFO : TN_TUI_STYLE_ERROR, text->str);
}

static void
draw_recent (TnTuiScan       *self,
             int              top,
             int              rows,
             const TnTuiRect *area)
{
  int row = top;

  if (rows < 2 || self->recent->len == 0)
    return;
  tn_tui_display_text (row++, area->left + 1, area->width - 2, TN_TUI_STYLE_LABEL, _("Recent scans at this door"));
  for (guint i = 0; i < self->recent->len && row < top + rows; i++, row++)
    {
      const TnReplicaScan *scan = g_ptr_array_index (self->recent, i);
      g_autofree char *when = format_clock (scan->scanned_at, TRUE);
      g_autofree char *name = scan_name (scan);
      g_autofree char *line = NULL;
      TnTuiStyle style;
      const char *headline = verdict_headline (scan, &style);

      line = g_strdup_printf ("%s  %-3s  %s", when,
                              scan->direction == TN_SCAN_IN ? _("in") : _("out"),
                              scan->undone ? _("(undone)") : headline);
      tn_tui_display_text (row, area->left + 1, area->width / 2,
                           scan->undone ? TN_TUI_STYLE_DIM : TN_TUI_STYLE_NORMAL, line);
      tn_tui_display_text (row, area->left + area->width / 2, area->width - area->width / 2 - 1,
                           scan->undone ? TN_TUI_STYLE_DIM : TN_TUI_STYLE_NORMAL,
                           name != NULL ? name : scan->code);
    }
}

static void
tn_tui_scan_draw (gpointer         data,
                  const TnTuiRect *area)
{
  TnTuiScan *self = data;
  int bottom = area->top + area->height;
  int row = area->top;
  int used;

  self->stale = self->last != NULL &&
                g_get_monotonic_time () - self->last_at >= (gint64) BANNER_FRESH_MS * 1000;

  if (area->height == 1)
    {
      /* Only the latest verdict, or the field while there is none. */
      if (self->last != NULL && !self->stale)
        draw_banner (self, row, 1, area);
      else
        draw_entry_row (self, row, area);
      return;
    }

  /* Bottom up: the sync line, then the counters, have their rows first. */
  if (area->height >= 4)
    draw_sync (self, --bottom, area);
  if (area->height >= 5)
    draw_counts (self, --bottom, area);

  if (area->height >= 12)
    row++;
  draw_entry_row (self, row++, area);
  if (area->height >= 12)
    row++;

  used = draw_banner (self, row, bottom - row, area);
  row += used;
  if (used > 0 && bottom - row > 3)
    row++;
  draw_recent (self, row, bottom - row, area);
}

/* --- scanning ------------------------------------------------------------ */

static gboolean
tn_tui_scan_fade_cb (gpointer user_data)
{
  TnTuiScan *self = user_data;

  self->fade_id = 0;
  tn_tui_app_queue_draw (self->app);
  return G_SOURCE_REMOVE;
}

static void
remember (TnTuiScan     *self,
          TnReplicaScan *scan)
{
  g_ptr_array_insert (self->recent, 0, tn_replica_scan_copy (scan));
  if (self->recent->len > RECENT_MAX)
    g_ptr_array_set_size (self->recent, RECENT_MAX);

  g_clear_pointer (&self->last, tn_replica_scan_free);
  self->last = scan;
  self->last_at = g_get_monotonic_time ();
  g_clear_handle_id (&self->fade_id, g_source_remove);
  self->fade_id = g_timeout_add (BANNER_FRESH_MS + 50, tn_tui_scan_fade_cb, self);
}

static void
check_code (TnTuiScan  *self,
            const char *code,
            TnScanDirection direction)
{
  g_autoptr(GError) error = NULL;
  TnReplicaScan *scan;

  scan = tn_sync_engine_scan (self->engine, code, direction,
                              tn_tui_app_get_door_name (self->app), &error);
  if (scan == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The scan was not recorded: %s"), error->message);

      tn_tui_app_set_message (self->app, TN_TUI_MESSAGE_ERROR, message);
      tn_tui_display_beep ();
      return;
    }

  tn_tui_app_clear_message (self->app);
  remember (self, scan);
  if (scan->verdict != TN_VERDICT_ACCEPTED)
    tn_tui_display_beep ();

  /* The verdict is committed: show it now, count later. */
  tn_tui_app_draw_now (self->app);
  tn_tui_app_verdict_shown (self->app, scan);
  queue_counts (self);
}

static void
submit (TnTuiScan *self)
{
  g_autofree char *code = g_strstrip (g_strdup (tn_tui_entry_get_text (self->entry)));

  g_clear_handle_id (&self->idle_id, g_source_remove);
  tn_tui_entry_set_text (self->entry, NULL);
  if (code[0] == '\0')
    return;
  check_code (self, code, self->direction);
}

static gboolean
tn_tui_scan_idle_cb (gpointer user_data)
{
  TnTuiScan *self = user_data;

  self->idle_id = 0;
  submit (self);
  return G_SOURCE_REMOVE;
}

/* A whole code, in either form: nothing can follow it. */
static gboolean
is_complete_code (const char *text)
{
  g_autofree char *code = g_strstrip (g_strdup (text));
  g_autofree char *normalized = NULL;
  TnTicketClaim claim;

  if (tn_signed_ticket_is_signed (code))
    return tn_signed_ticket_read (code, &claim);
  normalized = tn_ticket_code_normalize (code);
  return normalized != NULL;
}

static void
restart_idle (TnTuiScan *self)
{
  guint idle_ms = tn_tui_app_get_scan_idle_ms (self->app);

  g_clear_handle_id (&self->idle_id, g_source_remove);
  if (idle_ms > 0 && is_complete_code (tn_tui_entry_get_text (self->entry)))
    self->idle_id = g_timeout_add (idle_ms, tn_tui_scan_idle_cb, self);
}

/* --- supervisor actions -------------------------------------------------- */

static gboolean
require_supervisor (TnTuiScan *self)
{
  if (tn_tui_app_is_supervisor (self->app))
    return TRUE;
  tn_tui_app_set_message (self->app, TN_TUI_MESSAGE_ERROR,
                          _("Only a supervisor can do this: a staff sign-in or a door paired as supervisor."));
  return FALSE;
}

static void
ask_undo (TnTuiScan *self)
{
  g_autoptr(TnReplicaScan) scan = tn_replica_get_last_own_scan (self->replica);
  g_autofree char *when = NULL;
  g_autofree char *name = NULL;
  g_autofree char *question = NULL;
  TnTuiStyle style;

  if (scan == NULL)
    {
      tn_tui_app_set_message (self->app, TN_TUI_MESSAGE_INFO, _("This door has no scan to undo."));
      return;
    }
  when = format_clock (scan->scanned_at, TRUE);
  name = scan_name (scan);
  /* Translators: a question: a name or code, "in" or "out", a time, a verdict */
  question = g_strdup_printf (_("Undo the last scan: %s, %s at %s, %s?"),
                              name != NULL ? name : scan->code,
                              scan->direction == TN_SCAN_IN ? _("in") : _("out"),
                              when, verdict_headline (scan, &style));
  g_free (self->undo_id);
  self->undo_id = g_strdup (scan->id);
  self->confirm = CONFIRM_UNDO;
  tn_tui_app_set_message (self->app, TN_TUI_MESSAGE_INFO, question);
}

static void
undo (TnTuiScan *self)
{
  g_autoptr(GError) error = NULL;

  if (!tn_sync_engine_undo (self->engine, self->undo_id, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not undo the scan: %s"), error->message);

      tn_tui_app_set_message (self->app, TN_TUI_MESSAGE_ERROR, message);
      return;
    }
  for (guint i = 0; i < self->recent->len; i++)
    {
      TnReplicaScan *scan = g_ptr_array_index (self->recent, i);

      if (g_strcmp0 (scan->id, self->undo_id) == 0)
        scan->undone = TRUE;
    }
  if (self->last != NULL && g_strcmp0 (self->last->id, self->undo_id) == 0)
    g_clear_pointer (&self->last, tn_replica_scan_free);
  tn_tui_app_set_message (self->app, TN_TUI_MESSAGE_INFO, _("The scan was undone."));
  queue_counts (self);
}

static void
ask_sign_out (TnTuiScan *self)
{
  guint pending = tn_sync_engine_get_pending (self->engine);
  g_autofree char *question = NULL;

  if (pending > 0)
    question = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "Sign out and wipe this door’s data? %u scan was not sent yet and would be lost.",
                                             "Sign out and wipe this door’s data? %u scans were not sent yet and would be lost.",
                                             pending), pending);
  else
    question = g_strdup (_("Sign out and wipe this door’s data?"));
  self->confirm = CONFIRM_SIGN_OUT;
  tn_tui_app_set_message (self->app, pending > 0 ? TN_TUI_MESSAGE_ERROR : TN_TUI_MESSAGE_INFO, question);
}

static gboolean
answer (TnTuiScan      *self,
        const TnTuiKey *key)
{
  Confirm confirm = self->confirm;
  gboolean yes = key->code == TN_TUI_KEY_CHAR && (key->ch == 'y' || key->ch == 'Y');

  self->confirm = CONFIRM_NONE;
  tn_tui_app_clear_message (self->app);
  if (!yes)
    return TRUE;
  if (confirm == CONFIRM_UNDO)
    undo (self);
  else if (confirm == CONFIRM_SIGN_OUT)
    tn_tui_app_sign_out (self->app);   /* closes this screen */
  return TRUE;
}

static gboolean
tn_tui_scan_handle_key (gpointer        data,
                        const TnTuiKey *key)
{
  TnTuiScan *self = data;
  gboolean empty = tn_tui_entry_get_text (self->entry)[0] == '\0';

  if (self->confirm != CONFIRM_NONE)
    return answer (self, key);

  switch (key->code)
    {
    case TN_TUI_KEY_ENTER:
      submit (self);
      return TRUE;
    case TN_TUI_KEY_TAB:
      /* Some scanners end a code with Tab: then it is a scan. */
      if (!empty)
        {
          submit (self);
          return TRUE;
        }
      self->direction = self->direction == TN_SCAN_IN ? TN_SCAN_OUT : TN_SCAN_IN;
      tn_tui_app_set_message (self->app, TN_TUI_MESSAGE_INFO,
                              self->direction == TN_SCAN_IN ? _("Entry mode: scans let people in.")
                                                            : _("Exit mode: scans let people out."));
      return TRUE;
    case TN_TUI_KEY_ESCAPE:
      g_clear_handle_id (&self->idle_id, g_source_remove);
      tn_tui_entry_set_text (self->entry, NULL);
      g_clear_pointer (&self->last, tn_replica_scan_free);
      tn_tui_app_clear_message (self->app);
      return TRUE;
    case TN_TUI_KEY_CHAR:
      if (key->ch == '?' && empty)
        return FALSE;   /* the app's help */
      tn_tui_entry_handle_key (self->entry, key);
      restart_idle (self);
      return TRUE;
    case TN_TUI_KEY_CTRL:
      switch (key->ch)
        {
        case 'f':
          if (require_supervisor (self))
            tn_tui_app_push_screen (self->app, &tn_tui_search_screen, self);
          return TRUE;
        case 'u':
          if (require_supervisor (self))
            ask_undo (self);
          return TRUE;
        case 'o':
          tn_tui_app_push_screen (self->app, &tn_tui_conflicts_screen, NULL);
          return TRUE;
        case 'r':
          tn_sync_engine_sync_now (self->engine);
          tn_tui_app_set_message (self->app, TN_TUI_MESSAGE_INFO, _("Syncing with the server…"));
          return TRUE;
        case 'e':
          if (!tn_tui_app_is_paired (self->app))
            tn_tui_app_leave_door (self->app);   /* closes this screen */
          return TRUE;
        case 'x':
          ask_sign_out (self);
          return TRUE;
        default:
          return TRUE;   /* nothing else may leak to the app */
        }
    default:
      tn_tui_entry_handle_key (self->entry, key);
      restart_idle (self);
      return TRUE;
    }
}

/**
 * tn_tui_scan_check_by_hand:
 * @self: the scan screen, open under the search screen
 * @ticket_code: a ticket's short code
 *
 * A supervisor's check-in from the search: closes the screens above the
 * scan screen and judges @ticket_code as if it had been typed, in the
 * current direction.
 */
void
tn_tui_scan_check_by_hand (TnTuiScan  *self,
                           const char *ticket_code)
{
  g_autofree char *code = g_strdup (ticket_code);

  tn_tui_app_pop_to_screen (self->app, &tn_tui_scan_screen);
  check_code (self, code, self->direction);
}

TnScanDirection
tn_tui_scan_get_direction (TnTuiScan *self)
{
  return self->direction;
}

TnReplica *
tn_tui_scan_get_replica (TnTuiScan *self)
{
  return self->replica;
}

const TnTuiScreen tn_tui_scan_screen = {
  .name = "scan",
  .open = tn_tui_scan_open,
  .close = tn_tui_scan_close,
  .dup_title = tn_tui_scan_dup_title,
  .get_keys = tn_tui_scan_get_keys,
  .draw = tn_tui_scan_draw,
  .handle_key = tn_tui_scan_handle_key,
};
