/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tn-attendees-window.h"
#include "tn-client.h"
#include "tn-error.h"
#include "tn-test-utils.h"

/* The attendees window under a display, against a real server (in a
 * thread of this process, on a loopback port): 50,000 attendees in a
 * GtkListView, search, a guest added, a ticket revoked and reissued, a
 * CSV import with a report per row and an export read back. */

#define WAIT_TIMEOUT_MS 60000
#define MANY            50000
#define FEW             5000

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
  TnTestServer      *server;
  TnClient          *client;
  TnEvent           *event;
  TnAttendeesWindow *window;
  GAsyncResult      *result;
  gboolean           done;
  GError            *error;
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
done_cb (TnAttendeesWindow *window,
         const GError      *error,
         Fixture           *f)
{
  f->done = TRUE;
  g_clear_error (&f->error);
  if (error != NULL)
    f->error = g_error_copy (error);
}

static void
wait_done (Fixture *f)
{
  WAIT_FOR (f->done);
  f->done = FALSE;
}

static TnEvent *
create_event (Fixture *f)
{
  g_autoptr(TnEvent) event = tn_event_new ();
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  TnEvent *created;

  tn_event_set_title (event, "Großes Fest der 50.000");
  /* soon: the server takes no scan more than 24 hours before the start */
  tn_event_set_starts_at (event, now + 3600);
  tn_event_set_ends_at (event, now + 7200);
  tn_client_create_event_async (f->client, event, NULL, result_cb, f);
  created = tn_client_event_finish (f->client, wait_result (f), &error);
  g_assert_no_error (error);
  return created;
}

/* Guests first … last - 1 as a CSV file; the server takes at most 1 MiB
 * a request, so 50,000 go in a few files. */
static GBytes *
guests_csv (guint first,
            guint last,
            guint all)
{
  GString *csv = g_string_new ("name,email,ticket_type\n");

  for (guint i = first; i < last; i++)
    g_string_append_printf (csv, "Guest %05u,guest%05u@example.org,%s\n", i, i, i % 10 == 0 ? "Crew" : "");
  if (last == all)
    g_string_append (csv, "Zoë Ångström,zoe@example.org,Speaker\n");
  return g_string_free_to_bytes (csv);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnUser) user = NULL;
  guint guests = GPOINTER_TO_UINT (data);
  guint created = 0;

  f->server = tn_test_server_new (TRUE);
  f->client = tn_client_new (tn_test_server_get_url (f->server));
  tn_client_login_async (f->client, TN_DEMO_ORGANIZER_EMAIL, TN_DEMO_PASSWORD, NULL, result_cb, f);
  user = tn_client_login_finish (f->client, wait_result (f), &error);
  g_assert_no_error (error);
  f->event = create_event (f);

  for (guint first = 0; first < guests; first += 20000)
    {
      g_autoptr(GBytes) csv = guests_csv (first, MIN (first + 20000, guests), guests);
      g_autoptr(TnClientImportReport) report = NULL;
      gboolean stored;

      tn_client_import_attendees_async (f->client, tn_event_get_id (f->event), csv, NULL, result_cb, f);
      stored = tn_client_import_attendees_finish (f->client, wait_result (f), &report, &error);
      g_assert_no_error (error);
      g_assert_true (stored);
      created += report->created;
    }
  g_assert_cmpuint (created, ==, guests + 1);

  f->window = tn_attendees_window_new (NULL, f->client, f->event);
  g_signal_connect (f->window, "done", G_CALLBACK (done_cb), f);
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->event);
  g_clear_object (&f->client);
  g_clear_object (&f->result);
  g_clear_error (&f->error);
  tn_test_server_free (f->server);
}

static TnAttendee *
find (GListModel *model,
      const char *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TnAttendee) attendee = g_list_model_get_item (model, i);

      if (g_strcmp0 (tn_attendee_get_name (attendee), name) == 0)
        return g_steal_pointer (&attendee);
    }
  return NULL;
}

static guint
find_position (GListModel *model,
               const char *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TnAttendee) attendee = g_list_model_get_item (model, i);

      if (g_strcmp0 (tn_attendee_get_name (attendee), name) == 0)
        return i;
    }
  return G_MAXUINT;
}

/* Every attendee loads, page after page, into one list view; only the
 * rows on screen have widgets. */
static void
test_many (Fixture       *f,
           gconstpointer  data)
{
  GListModel *model = G_LIST_MODEL (tn_attendees_window_get_model (f->window));
  g_autoptr(TnAttendee) zoe = NULL;
  guint rows = 0;

  WAIT_FOR (!tn_attendee_model_get_loading (TN_ATTENDEE_MODEL (model)) &&
            g_list_model_get_n_items (model) == MANY + 1);
  zoe = find (model, "Zoë Ångström");
  g_assert_nonnull (zoe);
  g_assert_cmpstr (tn_attendee_get_ticket_type (zoe), ==, "Speaker");

  /* a GtkListView recycles: far fewer row widgets than items */
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (f->window)));
  {
    GtkWidget *view = gtk_widget_get_first_child (GTK_WIDGET (f->window));
    GQueue queue = G_QUEUE_INIT;

    g_queue_push_tail (&queue, view);
    while (!g_queue_is_empty (&queue))
      {
        GtkWidget *w = g_queue_pop_head (&queue);

        if (GTK_IS_LIST_VIEW (w))
          for (GtkWidget *row = gtk_widget_get_first_child (w); row != NULL; row = gtk_widget_get_next_sibling (row))
            rows++;
        for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
          g_queue_push_tail (&queue, c);
      }
  }
  g_assert_cmpuint (rows, >, 0);
  g_assert_cmpuint (rows, <, 500);
}

/* The search asks the server; accents and case do not matter. */
static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  TnAttendeeModel *model = tn_attendees_window_get_model (f->window);

  tn_attendee_model_set_query (model, "zoe");
  WAIT_FOR (!tn_attendee_model_get_loading (model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  g_assert_nonnull (find (G_LIST_MODEL (model), "Zoë Ångström"));

  tn_attendee_model_set_query (model, "guest 04242");
  WAIT_FOR (!tn_attendee_model_get_loading (model) && g_list_model_get_n_items (G_LIST_MODEL (model)) == 1);
  tn_attendee_model_set_query (model, "nobody-has-this-name");
  WAIT_FOR (!tn_attendee_model_get_loading (model) && g_list_model_get_n_items (G_LIST_MODEL (model)) == 0);
}

/* A guest added by hand, a ticket revoked and reissued: the list shows
 * each change, and the server has it. */
static void
test_guest_and_ticket (Fixture       *f,
                       gconstpointer  data)
{
  TnAttendeeModel *model = tn_attendees_window_get_model (f->window);
  g_autoptr(TnAttendee) added = NULL;
  g_autoptr(TnAttendee) revoked = NULL;
  g_autoptr(TnAttendee) reissued = NULL;
  g_autofree char *old_code = NULL;
  guint position;

  tn_attendee_model_set_query (model, "Ngozi");
  WAIT_FOR (!tn_attendee_model_get_loading (model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);

  /* bad input: the server says why, nothing is added */
  tn_attendees_window_add_guest (f->window, "Ngozi Adébáyọ̀", "not an address", NULL, NULL);
  wait_done (f);
  g_assert_error (f->error, TN_ERROR, TN_ERROR_VALIDATION_FAILED);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);

  tn_attendees_window_add_guest (f->window, "Ngozi Adébáyọ̀", "ngozi@example.org", "Press", "Side entrance");
  wait_done (f);
  g_assert_no_error (f->error);
  added = find (G_LIST_MODEL (model), "Ngozi Adébáyọ̀");
  g_assert_nonnull (added);
  g_assert_nonnull (tn_attendee_get_ticket_code (added));
  old_code = g_strdup (tn_attendee_get_ticket_code (added));

  position = find_position (G_LIST_MODEL (model), "Ngozi Adébáyọ̀");
  tn_attendees_window_select (f->window, position);
  g_assert_true (tn_attendees_window_get_selected (f->window) == added);

  tn_attendees_window_change_ticket (f->window, added, FALSE);
  wait_done (f);
  g_assert_no_error (f->error);
  revoked = find (G_LIST_MODEL (model), "Ngozi Adébáyọ̀");
  g_assert_null (tn_attendee_get_ticket_code (revoked));

  tn_attendees_window_change_ticket (f->window, revoked, TRUE);
  wait_done (f);
  g_assert_no_error (f->error);
  reissued = find (G_LIST_MODEL (model), "Ngozi Adébáyọ̀");
  g_assert_nonnull (tn_attendee_get_ticket_code (reissued));
  g_assert_cmpstr (tn_attendee_get_ticket_code (reissued), !=, old_code);

  /* from the server, not only the list */
  tn_attendee_model_reload (model);
  WAIT_FOR (!tn_attendee_model_get_loading (model) && g_list_model_get_n_items (G_LIST_MODEL (model)) == 1);
  g_clear_object (&reissued);
  reissued = find (G_LIST_MODEL (model), "Ngozi Adébáyọ̀");
  g_assert_cmpstr (tn_attendee_get_ticket_type (reissued), ==, "Press");
  g_assert_cmpstr (tn_attendee_get_note (reissued), ==, "Side entrance");
  g_assert_cmpstr (tn_attendee_get_ticket_code (reissued), !=, old_code);
}

/* A file with bad rows stores nothing and says which rows; a good one is
 * stored; the export reads back with everyone in it. */
static void
test_import_export (Fixture       *f,
                    gconstpointer  data)
{
  TnAttendeeModel *model = tn_attendees_window_get_model (f->window);
  static const char bad_csv[] = "name,email\nAda,ada@example.org\nBob,not-an-address\n,nobody@example.org\n";
  static const char good_csv[] = "name,email\nAda Lovelace,ada@example.org\n";
  g_autoptr(GBytes) bad = g_bytes_new_static (bad_csv, strlen (bad_csv));
  g_autoptr(GBytes) good = g_bytes_new_static (good_csv, strlen (good_csv));
  g_autofree char *dir = g_dir_make_tmp ("turnout-attendees-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "export.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *contents = NULL;
  g_autoptr(TnClientImportReport) report = NULL;
  g_autofree char *words = NULL;
  g_autoptr(GError) error = NULL;

  WAIT_FOR (!tn_attendee_model_get_loading (model));

  /* the report in words, as the dialog shows it */
  tn_client_import_attendees_async (f->client, tn_event_get_id (f->event), bad, NULL, result_cb, f);
  g_assert_false (tn_client_import_attendees_finish (f->client, wait_result (f), &report, &error));
  g_assert_nonnull (report);
  words = tn_attendees_window_describe_report (report);
  g_assert_nonnull (strstr (words, "Nothing was imported: 2 rows are wrong"));
  g_assert_nonnull (strstr (words, "Line 3: "));
  g_assert_nonnull (strstr (words, "Line 4: "));
  g_assert_null (strstr (words, "Line 2: "));

  tn_attendees_window_import (f->window, bad);
  wait_done (f);
  tn_attendee_model_set_query (model, "Ada");
  WAIT_FOR (!tn_attendee_model_get_loading (model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);

  tn_attendees_window_import (f->window, good);
  wait_done (f);
  g_assert_no_error (f->error);
  WAIT_FOR (!tn_attendee_model_get_loading (model) && g_list_model_get_n_items (G_LIST_MODEL (model)) == 1);

  tn_attendees_window_export (f->window, file);
  wait_done (f);
  g_assert_no_error (f->error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "Ada Lovelace"));
  g_assert_nonnull (strstr (contents, "Zoë Ångström"));
  g_assert_nonnull (strstr (contents, "Guest 04999"));
  g_unlink (path);
  g_rmdir (dir);
}

/* The list says who is inside and who came and left, from the doors'
 * scans. */
static void
test_checkin_state (Fixture       *f,
                    gconstpointer  data)
{
  TnAttendeeModel *model = tn_attendees_window_get_model (f->window);
  g_autoptr(TnAttendee) zoe = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *when = g_date_time_format_iso8601 (now);
  const char *directions[] = { "in", "out" };

  tn_attendee_model_set_query (model, "zoe");
  WAIT_FOR (!tn_attendee_model_get_loading (model) && g_list_model_get_n_items (G_LIST_MODEL (model)) == 1);
  zoe = find (G_LIST_MODEL (model), "Zoë Ångström");
  g_assert_false (tn_attendee_get_inside (zoe));
  g_assert_cmpint (tn_attendee_get_checked_in_at (zoe), ==, 0);

  for (guint d = 0; d < G_N_ELEMENTS (directions); d++)
    {
      g_autoptr(JsonArray) scans = json_array_new ();
      g_autoptr(JsonArray) results = NULL;
      JsonObject *scan = json_object_new ();
      g_autofree char *id = g_uuid_string_random ();

      json_object_set_string_member (scan, "id", id);
      json_object_set_string_member (scan, "event_id", tn_event_get_id (f->event));
      json_object_set_string_member (scan, "code", tn_attendee_get_ticket_code (zoe));
      json_object_set_string_member (scan, "direction", directions[d]);
      json_object_set_string_member (scan, "scanned_at", when);
      json_object_set_string_member (scan, "device", "Main entrance");
      json_array_add_object_element (scans, scan);
      tn_client_post_checkins_async (f->client, scans, NULL, result_cb, f);
      results = tn_client_post_checkins_finish (f->client, wait_result (f), &error);
      g_assert_no_error (error);

      tn_attendee_model_reload (model);
      WAIT_FOR (!tn_attendee_model_get_loading (model) && g_list_model_get_n_items (G_LIST_MODEL (model)) == 1);
      g_clear_object (&zoe);
      zoe = find (G_LIST_MODEL (model), "Zoë Ångström");
      g_assert_cmpint (tn_attendee_get_checked_in_at (zoe), >, 0);
      g_assert_cmpint (tn_attendee_get_inside (zoe), ==, d == 0);
    }
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  g_test_add ("/gtk/attendees/many", Fixture, GUINT_TO_POINTER (MANY), fixture_setup, test_many, fixture_teardown);
  g_test_add ("/gtk/attendees/search", Fixture, GUINT_TO_POINTER (FEW), fixture_setup, test_search, fixture_teardown);
  g_test_add ("/gtk/attendees/guest-and-ticket", Fixture, GUINT_TO_POINTER (FEW), fixture_setup, test_guest_and_ticket, fixture_teardown);
  g_test_add ("/gtk/attendees/checkin-state", Fixture, GUINT_TO_POINTER (FEW),
              fixture_setup, test_checkin_state, fixture_teardown);
  g_test_add ("/gtk/attendees/import-export", Fixture, GUINT_TO_POINTER (FEW), fixture_setup, test_import_export, fixture_teardown);
  return g_test_run ();
}
