/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "tn-client.h"
#include "tn-conflict-dialog.h"
#include "tn-conflict-dialog-private.h"
#include "tn-error.h"
#include "tn-event-editor.h"
#include "tn-event-editor-private.h"
#include "tn-event-replica.h"
#include "tn-event-sync.h"
#include "tn-test-utils.h"

/* The event editor and the conflict dialog under a display, over a real
 * TnEventSync and its replica (in the test's own XDG data directory)
 * against a real server in a thread of this process: inline validation,
 * a create made offline that reaches the server once the engine runs,
 * and a stale edit resolved both ways. Fields are filled through their
 * widgets; Save and the choices are the buttons' own actions. */

#define WAIT_TIMEOUT_MS 60000

static gboolean
wake_up_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

#define WAIT_FOR(expr) \
  G_STMT_START { \
    gint64 wait_deadline_ = g_get_monotonic_time () + (gint64) WAIT_TIMEOUT_MS * 1000; \
    guint wait_tick_ = g_timeout_add (20, wake_up_cb, NULL); \
    while (!(expr) && g_get_monotonic_time () < wait_deadline_) \
      g_main_context_iteration (NULL, TRUE); \
    g_source_remove (wait_tick_); \
    if (!(expr)) \
      g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, \
                           "timed out waiting for: " #expr); \
  } G_STMT_END

typedef struct
{
  TnTestServer   *server;
  TnClient       *client;     /* the engine's */
  TnClient       *other;      /* someone else editing on the server */
  TnEventReplica *replica;
  TnEventSync    *sync;
  GAsyncResult   *result;
  TnEvent        *saved;
  guint           conflicts;
  char           *conflict_id;
  TnEvent        *conflict_local;
  TnEvent        *conflict_server;
} Fixture;

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Fixture *f = user_data;

  f->result = g_object_ref (result);
}

static GAsyncResult *
wait_result (Fixture *f)
{
  g_clear_object (&f->result);
  WAIT_FOR (f->result != NULL);
  return f->result;
}

static void
conflict_cb (TnEventSync *sync,
             const char  *event_id,
             TnEvent     *local,
             TnEvent     *server,
             Fixture     *f)
{
  f->conflicts++;
  g_free (f->conflict_id);
  f->conflict_id = g_strdup (event_id);
  g_set_object (&f->conflict_local, local);
  g_set_object (&f->conflict_server, server);
}

static void
saved_cb (TnEventEditor *editor,
          TnEvent       *event,
          Fixture       *f)
{
  g_set_object (&f->saved, event);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *replica_path = NULL;
  g_autofree char *data_dir = NULL;

  f->server = tn_test_server_new (TRUE);
  token = tn_test_server_token_for (f->server, TN_DEMO_ORGANIZER_EMAIL);
  f->client = tn_client_new (tn_test_server_get_url (f->server));
  tn_client_set_token (f->client, token);
  f->other = tn_client_new (tn_test_server_get_url (f->server));
  tn_client_set_token (f->other, token);

  f->replica = tn_event_replica_open (tn_test_server_get_url (f->server), TN_DEMO_ORGANIZER_EMAIL, &error);
  g_assert_no_error (error);
  /* in the temporary data directory of this test, nowhere else */
  data_dir = g_build_filename (g_get_user_data_dir (), NULL);
  g_assert_true (g_str_has_prefix (tn_event_replica_get_path (f->replica), data_dir));
  tn_event_replica_set_backoff (f->replica, 20 * 1000, 200 * 1000);

  f->sync = tn_event_sync_new (f->replica, f->client);
  tn_event_sync_set_timeout (f->sync, 10000);
  /* no cycle of its own during a test: only local changes run one */
  tn_event_sync_set_probe_interval (f->sync, 600000);
  g_signal_connect (f->sync, "conflict", G_CALLBACK (conflict_cb), f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gpointer sync = f->sync;

  tn_event_sync_stop (f->sync);
  g_object_add_weak_pointer (sync, &sync);
  g_clear_object (&f->sync);
  WAIT_FOR (sync == NULL);
  g_clear_object (&f->replica);
  g_clear_object (&f->client);
  g_clear_object (&f->other);
  g_clear_object (&f->result);
  g_clear_object (&f->saved);
  g_clear_object (&f->conflict_local);
  g_clear_object (&f->conflict_server);
  g_free (f->conflict_id);
  tn_test_server_free (f->server);
}

static void
set_text (TnEventEditor *editor,
          const char    *field,
          const char    *text)
{
  GtkWidget *widget = _tn_event_editor_get_field (editor, field);

  if (GTK_IS_TEXT_VIEW (widget))
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget)), text, -1);
  else
    gtk_editable_set_text (GTK_EDITABLE (widget), text);
}

static gboolean
can_save (TnEventEditor *editor)
{
  return gtk_widget_get_sensitive (_tn_event_editor_get_save_button (editor));
}

static gint64
utc (int year, int month, int day, int hour, int minute)
{
  g_autoptr(GDateTime) time = g_date_time_new_utc (year, month, day, hour, minute, 0);

  return g_date_time_to_unix (time);
}

static TnEvent *
server_get (Fixture    *f,
            const char *id)
{
  g_autoptr(GError) error = NULL;
  TnEvent *event;

  tn_client_get_event_async (f->other, id, NULL, result_cb, f);
  event = tn_client_event_finish (f->other, wait_result (f), &error);
  g_assert_no_error (error);
  return event;
}

static gboolean
delivered (Fixture *f)
{
  return tn_event_sync_get_online (f->sync) && tn_event_sync_get_pending (f->sync) == 0;
}

/* Wrong values show a message under their field and keep Save off; the
 * message goes once the value is right. Times are the user's local time
 * (TZ=Europe/Berlin here). */
static void
test_validation (Fixture       *f,
                 gconstpointer  data)
{
  TnEventEditor *editor = tn_event_editor_new_create (NULL, f->sync);
  g_autoptr(TnEvent) event = NULL;
  const char *message;

  gtk_window_present (GTK_WINDOW (editor));
  /* a new, empty title: Save is off, but nothing is scolded before it
   * is touched */
  WAIT_FOR (!can_save (editor));
  g_assert_null (_tn_event_editor_get_field_error (editor, "title"));
  g_assert_false (tn_event_editor_get_dirty (editor));

  set_text (editor, "title", "Picnic in the park");
  WAIT_FOR (can_save (editor));
  set_text (editor, "title", "   ");
  g_assert_nonnull (_tn_event_editor_get_field_error (editor, "title"));
  WAIT_FOR (!can_save (editor));
  set_text (editor, "title", "Picnic in the park");
  g_assert_null (_tn_event_editor_get_field_error (editor, "title"));

  set_text (editor, "starts_at", "2030-07-01 18:00");
  set_text (editor, "ends_at", "2030-07-01 17:00");
  message = _tn_event_editor_get_field_error (editor, "ends_at");
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "end before it starts"));
  g_assert_null (_tn_event_editor_get_field_error (editor, "starts_at"));
  g_assert_true (gtk_widget_has_css_class (_tn_event_editor_get_field (editor, "ends_at"), "error"));
  g_assert_false (tn_event_editor_get_valid (editor));
  WAIT_FOR (!can_save (editor));

  set_text (editor, "ends_at", "2030-07-01 21:30");
  g_assert_null (_tn_event_editor_get_field_error (editor, "ends_at"));
  g_assert_false (gtk_widget_has_css_class (_tn_event_editor_get_field (editor, "ends_at"), "error"));
  WAIT_FOR (can_save (editor));

  event = tn_event_editor_get_event (editor);
  g_assert_cmpint (tn_event_get_starts_at (event), ==, utc (2030, 7, 1, 16, 0));
  g_assert_cmpint (tn_event_get_ends_at (event), ==, utc (2030, 7, 1, 19, 30));

  set_text (editor, "starts_at", "next tuesday");
  g_assert_nonnull (_tn_event_editor_get_field_error (editor, "starts_at"));
  WAIT_FOR (!can_save (editor));
  set_text (editor, "starts_at", "2030-07-01T18:00");
  g_assert_null (_tn_event_editor_get_field_error (editor, "starts_at"));

  set_text (editor, "capacity", "-5");
  g_assert_nonnull (_tn_event_editor_get_field_error (editor, "capacity"));
  set_text (editor, "capacity", "2000000");
  g_assert_nonnull (_tn_event_editor_get_field_error (editor, "capacity"));
  set_text (editor, "capacity", "");
  g_assert_null (_tn_event_editor_get_field_error (editor, "capacity"));

  set_text (editor, "lat", "52.52");
  g_assert_nonnull (_tn_event_editor_get_field_error (editor, "lon"));
  set_text (editor, "lon", "200");
  g_assert_nonnull (_tn_event_editor_get_field_error (editor, "lon"));
  set_text (editor, "lon", "13,40");
  g_assert_null (_tn_event_editor_get_field_error (editor, "lon"));
  g_assert_null (_tn_event_editor_get_field_error (editor, "lat"));

  set_text (editor, "price", "10");
  set_text (editor, "currency", "XYZ");
  g_assert_nonnull (_tn_event_editor_get_field_error (editor, "currency"));
  WAIT_FOR (!can_save (editor));
  set_text (editor, "currency", "eur");
  g_assert_null (_tn_event_editor_get_field_error (editor, "currency"));

  set_text (editor, "tags", "food, food");
  g_assert_nonnull (_tn_event_editor_get_field_error (editor, "tags"));
  set_text (editor, "tags", "food, outdoors");
  g_assert_null (_tn_event_editor_get_field_error (editor, "tags"));
  WAIT_FOR (can_save (editor));

  /* Escape with changes asks first: the editor stays */
  g_assert_true (tn_event_editor_get_dirty (editor));
  gtk_window_close (GTK_WINDOW (editor));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (editor)));
  gtk_window_destroy (GTK_WINDOW (editor));
}

/* Created with the engine not running (offline): in the replica and the
 * outbox at once; on the server once the engine runs. */
static void
test_create_offline (Fixture       *f,
                     gconstpointer  data)
{
  TnEventEditor *editor = tn_event_editor_new_create (NULL, f->sync);
  gpointer weak = editor;
  g_autoptr(TnEvent) local = NULL;
  g_autoptr(TnEvent) stored = NULL;
  const char * const *tags;
  double value;

  g_object_add_weak_pointer (G_OBJECT (editor), &weak);
  g_signal_connect (editor, "saved", G_CALLBACK (saved_cb), f);
  gtk_window_present (GTK_WINDOW (editor));

  set_text (editor, "title", "Offline picnic");
  set_text (editor, "description", "Bring a blanket.\nAnd a friend.");
  set_text (editor, "starts_at", "2030-07-01 12:00");
  set_text (editor, "ends_at", "2030-07-01 15:00");
  set_text (editor, "location", "Tiergarten");
  set_text (editor, "lat", "52.5145");
  set_text (editor, "lon", "13.3501");
  set_text (editor, "capacity", "40");
  gtk_switch_set_active (GTK_SWITCH (_tn_event_editor_get_field (editor, "waitlist")), TRUE);
  adw_combo_row_set_selected (ADW_COMBO_ROW (_tn_event_editor_get_field (editor, "category")), 4);
  set_text (editor, "tags", "outdoors, food");
  adw_combo_row_set_selected (ADW_COMBO_ROW (_tn_event_editor_get_field (editor, "visibility")), 1);
  set_text (editor, "price", "12,50");
  set_text (editor, "currency", "eur");
  WAIT_FOR (can_save (editor));

  g_assert_true (gtk_widget_activate (_tn_event_editor_get_save_button (editor)));
  WAIT_FOR (f->saved != NULL && weak == NULL);

  g_assert_cmpuint (tn_event_sync_get_pending (f->sync), ==, 1);
  local = tn_event_replica_get (f->replica, tn_event_get_id (f->saved));
  g_assert_nonnull (local);
  g_assert_cmpstr (tn_event_get_title (local), ==, "Offline picnic");
  g_assert_true (tn_event_replica_is_pending (f->replica, tn_event_get_id (f->saved)));

  tn_event_sync_start (f->sync);
  WAIT_FOR (delivered (f));

  stored = server_get (f, tn_event_get_id (f->saved));
  g_assert_cmpstr (tn_event_get_title (stored), ==, "Offline picnic");
  g_assert_cmpstr (tn_event_get_description (stored), ==, "Bring a blanket.\nAnd a friend.");
  g_assert_cmpint (tn_event_get_starts_at (stored), ==, utc (2030, 7, 1, 10, 0));
  g_assert_cmpint (tn_event_get_ends_at (stored), ==, utc (2030, 7, 1, 13, 0));
  g_assert_cmpstr (tn_event_get_location (stored), ==, "Tiergarten");
  g_assert_true (tn_event_get_coordinates (stored, &value, NULL));
  g_assert_cmpfloat_with_epsilon (value, 52.5145, 1e-9);
  g_assert_cmpint (tn_event_get_capacity (stored), ==, 40);
  g_assert_true (tn_event_get_waitlist (stored));
  g_assert_cmpstr (tn_event_get_category (stored), ==, "Music");
  tags = tn_event_get_tags (stored);
  g_assert_cmpuint (g_strv_length ((char **) tags), ==, 2);
  g_assert_cmpstr (tags[0], ==, "outdoors");
  g_assert_cmpstr (tags[1], ==, "food");
  g_assert_cmpint (tn_event_get_visibility (stored), ==, TN_VISIBILITY_UNLISTED);
  g_assert_true (tn_event_get_price (stored, &value));
  g_assert_cmpfloat_with_epsilon (value, 12.5, 1e-9);
  g_assert_cmpstr (tn_event_get_currency (stored), ==, "EUR");
}

/* Someone else saves the event on the server; the organizer's edit of
 * the older version conflicts (409), and the dialog shows both. */
static TnConflictDialog *
stale_edit (Fixture    *f,
            const char *id,
            const char *mine,
            const char *theirs)
{
  g_autoptr(TnEvent) current = server_get (f, id);
  g_autoptr(TnEvent) changed = NULL;
  g_autoptr(TnEvent) local = tn_event_replica_get (f->replica, id);
  g_autoptr(GError) error = NULL;
  TnEventEditor *editor;
  TnConflictDialog *dialog;
  guint conflicts = f->conflicts;
  gpointer weak;

  g_assert_cmpint (tn_event_get_version (local), ==, tn_event_get_version (current));
  tn_event_set_title (current, theirs);
  tn_client_update_event_async (f->other, current, NULL, result_cb, f);
  changed = tn_client_event_finish (f->other, wait_result (f), &error);
  g_assert_no_error (error);
  g_assert_cmpint (tn_event_get_version (changed), ==, tn_event_get_version (local) + 1);

  editor = tn_event_editor_new_edit (NULL, f->sync, local);
  weak = editor;
  g_object_add_weak_pointer (G_OBJECT (editor), &weak);
  gtk_window_present (GTK_WINDOW (editor));
  g_assert_false (tn_event_editor_get_dirty (editor));
  WAIT_FOR (can_save (editor));
  set_text (editor, "title", mine);
  set_text (editor, "location", "Back room");
  g_assert_true (gtk_widget_activate (_tn_event_editor_get_save_button (editor)));
  WAIT_FOR (weak == NULL);

  WAIT_FOR (f->conflicts == conflicts + 1);
  g_assert_cmpstr (f->conflict_id, ==, id);
  dialog = tn_conflict_dialog_new (NULL, f->sync, id, f->conflict_local, f->conflict_server);
  gtk_window_present (GTK_WINDOW (dialog));

  g_assert_true (g_strv_contains (tn_conflict_dialog_get_differences (dialog), "title"));
  g_assert_false (g_strv_contains (tn_conflict_dialog_get_differences (dialog), "capacity"));
  g_assert_false (g_strv_contains (tn_conflict_dialog_get_differences (dialog), "starts_at"));
  g_assert_cmpstr (_tn_conflict_dialog_get_value (dialog, "title", TRUE), ==, mine);
  g_assert_cmpstr (_tn_conflict_dialog_get_value (dialog, "title", FALSE), ==, theirs);
  g_assert_null (_tn_conflict_dialog_get_value (dialog, "capacity", TRUE));
  /* the stale edit waits: not sent, not lost */
  g_assert_cmpuint (tn_event_sync_get_pending (f->sync), ==, 1);
  return dialog;
}

static void
test_conflict (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(TnEvent) event = tn_event_new ();
  g_autoptr(TnEvent) created = NULL;
  g_autoptr(TnEvent) stored = NULL;
  g_autoptr(TnEvent) local = NULL;
  g_autoptr(JsonNode) local_json = NULL;
  g_autoptr(JsonNode) stored_json = NULL;
  g_autoptr(GError) error = NULL;
  TnConflictDialog *dialog;
  gpointer weak;
  const char *id;

  tn_event_set_title (event, "Board games");
  tn_event_set_starts_at (event, utc (2030, 3, 1, 18, 0));
  tn_event_set_ends_at (event, utc (2030, 3, 1, 22, 0));
  tn_client_create_event_async (f->other, event, NULL, result_cb, f);
  created = tn_client_event_finish (f->other, wait_result (f), &error);
  g_assert_no_error (error);
  id = tn_event_get_id (created);

  tn_event_sync_start (f->sync);
  WAIT_FOR ((local = tn_event_replica_get (f->replica, id)) != NULL);
  g_clear_object (&local);

  /* Keep Mine: the organizer's edit goes on the server's version */
  dialog = stale_edit (f, id, "Board games (mine)", "Board games (theirs)");
  g_assert_true (g_strv_contains (tn_conflict_dialog_get_differences (dialog), "location"));
  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "conflict.keep-mine", NULL));
  WAIT_FOR (weak == NULL);
  WAIT_FOR (delivered (f));
  stored = server_get (f, id);
  g_assert_cmpstr (tn_event_get_title (stored), ==, "Board games (mine)");
  g_assert_cmpstr (tn_event_get_location (stored), ==, "Back room");
  WAIT_FOR ((local = tn_event_replica_get (f->replica, id)) != NULL &&
            tn_event_get_version (local) == tn_event_get_version (stored));
  g_clear_object (&local);
  g_clear_object (&stored);

  /* Keep Theirs: the local copy becomes the server's */
  dialog = stale_edit (f, id, "Board games (mine again)", "Board games (theirs again)");
  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "conflict.keep-theirs", NULL));
  WAIT_FOR (weak == NULL);
  g_assert_cmpuint (tn_event_sync_get_pending (f->sync), ==, 0);
  WAIT_FOR (delivered (f));
  stored = server_get (f, id);
  g_assert_cmpstr (tn_event_get_title (stored), ==, "Board games (theirs again)");
  local = tn_event_replica_get (f->replica, id);
  local_json = tn_event_to_json (local, TN_EVENT_JSON_STORED);
  stored_json = tn_event_to_json (stored, TN_EVENT_JSON_STORED);
  g_assert_true (json_node_equal (local_json, stored_json));
  g_assert_false (tn_event_replica_is_pending (f->replica, id));
  g_assert_cmpuint (f->conflicts, ==, 2);
}

/* The list of differences, by itself. */
static void
test_differences (void)
{
  g_autoptr(TnEvent) a = tn_event_new ();
  g_autoptr(TnEvent) b = NULL;
  g_auto(GStrv) none = NULL;
  g_auto(GStrv) some = NULL;
  const char *tags[] = { "x", NULL };

  tn_event_set_title (a, "Same");
  b = tn_event_copy (a);
  tn_event_set_version (b, 7);
  none = tn_conflict_dialog_list_differences (a, b);
  g_assert_cmpuint (g_strv_length (none), ==, 0);

  tn_event_set_coordinates (b, 1.0, 2.0);
  tn_event_set_tags (b, tags);
  tn_event_set_status (b, TN_EVENT_STATUS_CANCELLED);
  some = tn_conflict_dialog_list_differences (a, b);
  g_assert_cmpuint (g_strv_length (some), ==, 3);
  g_assert_cmpstr (some[0], ==, "coordinates");
  g_assert_cmpstr (some[1], ==, "tags");
  g_assert_cmpstr (some[2], ==, "status");
}

int
main (int    argc,
      char **argv)
{
  /* local times in the editor are read in this zone */
  g_setenv ("TZ", "Europe/Berlin", TRUE);
  gtk_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  adw_init ();
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  g_test_add_func ("/gtk/editor/differences", test_differences);
  g_test_add ("/gtk/editor/validation", Fixture, NULL, fixture_setup, test_validation, fixture_teardown);
  g_test_add ("/gtk/editor/create-offline", Fixture, NULL, fixture_setup, test_create_offline, fixture_teardown);
  g_test_add ("/gtk/editor/conflict", Fixture, NULL, fixture_setup, test_conflict, fixture_teardown);
  return g_test_run ();
}
