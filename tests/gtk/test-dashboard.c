/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>

#include "tn-application.h"
#include "tn-dashboard-private.h"
#include "tn-event-row-private.h"
#include "tn-gtk-test-utils.h"
#include "tn-sign-in-page-private.h"
#include "tn-window-private.h"

/* The event-day dashboard against a real turnout-server: another client
 * posts a scan and the dashboard shows it, pushed over the live stream;
 * the server goes away and comes back. Nothing here polls: the test only
 * iterates the main context until what it waits for shows, or fails. */

/* Generous: the suite also runs under AddressSanitizer. */
#define WAIT_TIMEOUT_MS 30000

static TnGtkTestServer *server;
static TnApplication   *application;
static char            *work_dir;
static guint            n_events;

static gboolean
wake_up_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the main context until @expr holds, failing the test after
 * WAIT_TIMEOUT_MS. */
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

static gboolean
have_display (void)
{
  return g_getenv ("DISPLAY") != NULL || g_getenv ("WAYLAND_DISPLAY") != NULL;
}

#define SKIP_WITHOUT_DISPLAY() \
  G_STMT_START { \
    if (!have_display ()) \
      { \
        g_test_skip ("no display: run under xvfb-run"); \
        return; \
      } \
  } G_STMT_END

typedef struct
{
  TnClient    *organizer;   /* the other client, which posts the scans */
  TnEvent     *event;
  char        *title;
  char        *codes[2];
  GtkWindow   *window;
  TnDashboard *dashboard;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  if (!have_display ())
    return;

  if (!tn_gtk_test_server_running (server))
    tn_gtk_test_server_start (server);
  fixture->organizer = tn_gtk_test_sign_in (tn_gtk_test_server_get_url (server));
  fixture->title = g_strdup_printf ("Doors Open: Town Hall Night %u", ++n_events);
  fixture->event = tn_gtk_test_create_event_soon (fixture->organizer, fixture->title, 40);
  fixture->codes[0] = tn_gtk_test_add_guest (fixture->organizer, tn_event_get_id (fixture->event),
                                             "Zoë Ångström", "zoe@example.org");
  fixture->codes[1] = tn_gtk_test_add_guest (fixture->organizer, tn_event_get_id (fixture->event),
                                             "Kwame Mensah", "kwame@example.org");
}

static void
open_dashboard (Fixture *fixture,
                int      width)
{
  /* The app's own client: another session than the one posting scans. */
  g_autoptr(TnClient) client = tn_gtk_test_sign_in (tn_gtk_test_server_get_url (server));

  fixture->window = tn_dashboard_open_window (client, fixture->event, NULL);
  if (width > 0)
    gtk_window_set_default_size (fixture->window, width, 640);
  fixture->dashboard = TN_DASHBOARD (adw_window_get_content (ADW_WINDOW (fixture->window)));
  g_assert_true (TN_IS_DASHBOARD (fixture->dashboard));
  g_assert_true (tn_dashboard_get_event (fixture->dashboard) == fixture->event);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    {
      gpointer weak = fixture->dashboard;

      /* Closing the window lets go of the dashboard and its stream. */
      g_object_add_weak_pointer (G_OBJECT (fixture->dashboard), &weak);
      gtk_window_destroy (fixture->window);
      WAIT_FOR (weak == NULL);
    }
  g_clear_object (&fixture->organizer);
  g_clear_object (&fixture->event);
  g_clear_pointer (&fixture->title, g_free);
  g_clear_pointer (&fixture->codes[0], g_free);
  g_clear_pointer (&fixture->codes[1], g_free);
}

static const char *
label_text (GtkLabel *label)
{
  return gtk_label_get_text (label);
}

static gboolean
shows (GtkLabel   *label,
       const char *text)
{
  return g_strcmp0 (gtk_label_get_text (label), text) == 0;
}

static guint
n_rows (GtkListBox *list)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list, (int) n) != NULL)
    n++;
  return n;
}

/* Whether the "Checked in" figure sits on a line below "Going". */
static gboolean
figures_wrap (TnDashboard *dashboard)
{
  graphene_point_t going;
  graphene_point_t checked_in;

  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (_tn_dashboard_get_going_label (dashboard)),
                                           GTK_WIDGET (dashboard), &GRAPHENE_POINT_INIT (0, 0), &going));
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (_tn_dashboard_get_checked_in_label (dashboard)),
                                           GTK_WIDGET (dashboard), &GRAPHENE_POINT_INIT (0, 0), &checked_in));
  return checked_in.y > going.y;
}

static void
test_scan_by_another_client (Fixture       *fixture,
                             gconstpointer  data)
{
  TnDashboard *dashboard;
  TnArrivalsChart *chart;
  g_autofree char *verdict = NULL;
  g_autofree char *figures_from = NULL;
  gint64 scanned_at = 0;

  SKIP_WITHOUT_DISPLAY ();

  open_dashboard (fixture, 0);
  dashboard = fixture->dashboard;
  chart = _tn_dashboard_get_chart (dashboard);

  /* The snapshot: two going, nobody in yet. */
  WAIT_FOR (_tn_dashboard_get_n_updates (dashboard) > 0);
  g_assert_true (tn_dashboard_get_live (dashboard));
  g_assert_false (_tn_dashboard_get_stale (dashboard));
  g_assert_cmpstr (label_text (_tn_dashboard_get_status_label (dashboard)), ==, "Live");
  g_assert_cmpstr (label_text (_tn_dashboard_get_going_label (dashboard)), ==, "2");
  g_assert_cmpstr (label_text (_tn_dashboard_get_waitlist_label (dashboard)), ==, "0");
  g_assert_cmpstr (label_text (_tn_dashboard_get_checked_in_label (dashboard)), ==, "0");
  g_assert_cmpstr (label_text (_tn_dashboard_get_inside_label (dashboard)), ==, "0");
  g_assert_cmpstr (label_text (_tn_dashboard_get_capacity_label (dashboard)), ==, "0 inside of 40 places · 38 seats left");
  g_assert_cmpfloat (gtk_level_bar_get_value (_tn_dashboard_get_capacity_bar (dashboard)), ==, 0.0);
  g_assert_cmpuint (tn_arrivals_chart_get_n_minutes (chart), ==, 60);
  g_assert_cmpuint (tn_arrivals_chart_get_total (chart), ==, 0);
  g_assert_cmpstr (tn_arrivals_chart_get_summary (chart), ==, "No arrivals in the last hour");
  g_assert_cmpuint (n_rows (_tn_dashboard_get_doors_list (dashboard)), ==, 0);
  /* Wide: the four figures on one line. */
  WAIT_FOR (gtk_widget_get_width (GTK_WIDGET (dashboard)) >= 700);
  g_assert_false (figures_wrap (dashboard));

  /* Another client lets the first guest in: the figures follow, pushed. */
  verdict = tn_gtk_test_post_scan (fixture->organizer, tn_event_get_id (fixture->event),
                                   fixture->codes[0], "in", &scanned_at);
  g_assert_cmpstr (verdict, ==, "accepted");
  WAIT_FOR (shows (_tn_dashboard_get_checked_in_label (dashboard), "1") &&
            shows (_tn_dashboard_get_inside_label (dashboard), "1"));
  g_assert_cmpstr (label_text (_tn_dashboard_get_going_label (dashboard)), ==, "2");
  g_assert_cmpstr (label_text (_tn_dashboard_get_capacity_label (dashboard)), ==, "1 inside of 40 places · 38 seats left");
  g_assert_cmpfloat_with_epsilon (gtk_level_bar_get_value (_tn_dashboard_get_capacity_bar (dashboard)), 1.0 / 40, 1e-9);
  /* One arrival, in the minute of the scan. */
  g_assert_cmpuint (tn_arrivals_chart_get_total (chart), ==, 1);
  g_assert_cmpuint (tn_arrivals_chart_get_count_at (chart, scanned_at), ==, 1);
  g_assert_true (g_str_has_prefix (tn_arrivals_chart_get_summary (chart), "1 arrival in the last hour, most at "));
  /* The door that scanned. */
  g_assert_cmpuint (n_rows (_tn_dashboard_get_doors_list (dashboard)), ==, 1);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (gtk_list_box_get_row_at_index (_tn_dashboard_get_doors_list (dashboard), 0))),
                   ==, "Test door");

  /* The server goes away: the figures stay, marked as stale. */
  tn_gtk_test_server_stop (server);
  WAIT_FOR (_tn_dashboard_get_stale (dashboard));
  g_assert_false (tn_dashboard_get_live (dashboard));
  g_assert_true (g_str_has_prefix (label_text (_tn_dashboard_get_status_label (dashboard)), "Offline — figures from "));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (_tn_dashboard_get_status_label (dashboard)), "warning"));
  g_assert_cmpstr (label_text (_tn_dashboard_get_checked_in_label (dashboard)), ==, "1");
  g_assert_cmpstr (label_text (_tn_dashboard_get_inside_label (dashboard)), ==, "1");
  g_assert_cmpstr (label_text (_tn_dashboard_get_going_label (dashboard)), ==, "2");
  g_assert_cmpuint (tn_arrivals_chart_get_total (chart), ==, 1);
  figures_from = g_strdup (label_text (_tn_dashboard_get_status_label (dashboard)));

  /* It comes back on the same address: the dashboard is live again by
   * itself, and follows the next scan. */
  tn_gtk_test_server_start (server);
  WAIT_FOR (tn_dashboard_get_live (dashboard));
  g_assert_false (_tn_dashboard_get_stale (dashboard));
  g_assert_cmpstr (label_text (_tn_dashboard_get_status_label (dashboard)), ==, "Live");
  g_assert_cmpstr (label_text (_tn_dashboard_get_inside_label (dashboard)), ==, "1");

  g_clear_pointer (&verdict, g_free);
  verdict = tn_gtk_test_post_scan (fixture->organizer, tn_event_get_id (fixture->event),
                                   fixture->codes[0], "out", NULL);
  g_assert_cmpstr (verdict, ==, "accepted");
  WAIT_FOR (shows (_tn_dashboard_get_inside_label (dashboard), "0"));
  g_assert_cmpstr (label_text (_tn_dashboard_get_checked_in_label (dashboard)), ==, "1");
  g_assert_cmpuint (tn_arrivals_chart_get_total (chart), ==, 1);
}

static void
test_narrow (Fixture       *fixture,
             gconstpointer  data)
{
  int minimum = 0;

  SKIP_WITHOUT_DISPLAY ();

  /* A phone-sized window: the figures wrap instead of widening it. */
  open_dashboard (fixture, 360);
  g_assert_true (gtk_window_get_resizable (fixture->window));
  WAIT_FOR (_tn_dashboard_get_n_updates (fixture->dashboard) > 0);
  gtk_widget_measure (GTK_WIDGET (fixture->dashboard), GTK_ORIENTATION_HORIZONTAL, -1,
                      &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);
  WAIT_FOR (gtk_widget_get_width (GTK_WIDGET (fixture->window)) > 0);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=, 400);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (_tn_dashboard_get_chart (fixture->dashboard))), <=, 360);
  g_assert_true (figures_wrap (fixture->dashboard));
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(TnClient) client = NULL;
  GtkLabel *status;

  SKIP_WITHOUT_DISPLAY ();

  /* A token the server does not know (signed out elsewhere): the page
   * says so and stops trying. */
  client = tn_client_new (tn_gtk_test_server_get_url (server));
  tn_client_set_token (client, "not-a-token-the-server-knows");
  fixture->window = tn_dashboard_open_window (client, fixture->event, NULL);
  fixture->dashboard = TN_DASHBOARD (adw_window_get_content (ADW_WINDOW (fixture->window)));
  status = _tn_dashboard_get_status_label (fixture->dashboard);
  WAIT_FOR (strstr (gtk_label_get_text (status), "any more") != NULL);
  g_assert_false (tn_dashboard_get_live (fixture->dashboard));
  g_assert_cmpuint (_tn_dashboard_get_n_updates (fixture->dashboard), ==, 0);
  g_assert_cmpstr (label_text (_tn_dashboard_get_checked_in_label (fixture->dashboard)), ==, "–");
}

static GtkListBoxRow *
find_row (TnWindow   *window,
          const char *title)
{
  GtkListBox *list = _tn_window_get_event_list (window);
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    if (g_strcmp0 (gtk_label_get_text (_tn_event_row_get_title_label (TN_EVENT_ROW (row))), title) == 0)
      return row;
  return NULL;
}

static gboolean
action_enabled (TnWindow   *window,
                const char *name)
{
  return g_action_get_enabled (g_action_map_lookup_action (G_ACTION_MAP (window), name));
}

/* The window the app opened for the dashboard, if any. */
static GtkWindow *
find_dashboard_window (void)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (application)); l != NULL; l = l->next)
    if (ADW_IS_WINDOW (l->data) && TN_IS_DASHBOARD (adw_window_get_content (ADW_WINDOW (l->data))))
      return l->data;
  return NULL;
}

static void
test_open_from_window (Fixture       *fixture,
                       gconstpointer  data)
{
  TnWindow *window;
  TnSignInPage *page;
  GtkListBoxRow *row;
  gpointer weak;

  SKIP_WITHOUT_DISPLAY ();

  window = tn_window_new (application);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 640);
  gtk_window_present (GTK_WINDOW (window));
  page = _tn_window_get_sign_in_page (window);
  gtk_editable_set_text (GTK_EDITABLE (_tn_sign_in_page_get_server_row (page)), tn_gtk_test_server_get_url (server));
  gtk_editable_set_text (GTK_EDITABLE (_tn_sign_in_page_get_email_row (page)), "olivia@example.org");
  gtk_editable_set_text (GTK_EDITABLE (_tn_sign_in_page_get_password_row (page)), "turnout-demo");
  g_assert_true (gtk_widget_activate (GTK_WIDGET (_tn_sign_in_page_get_sign_in_button (page))));
  WAIT_FOR (g_strcmp0 (_tn_window_get_visible_page (window), "events") == 0 && !_tn_window_get_busy (window));

  /* Nothing chosen: nothing to open. */
  g_assert_false (action_enabled (window, "open-dashboard"));

  /* Choose the event, then Dashboard: a window of its own, live. */
  WAIT_FOR (find_row (window, fixture->title) != NULL);
  row = find_row (window, fixture->title);
  g_assert_true (gtk_widget_activate (GTK_WIDGET (row)));
  WAIT_FOR (tn_event_detail_get_event (_tn_window_get_event_detail (window)) != NULL);
  g_assert_true (action_enabled (window, "open-dashboard"));
  g_assert_null (find_dashboard_window ());
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-dashboard", NULL));
  fixture->window = find_dashboard_window ();
  g_assert_nonnull (fixture->window);
  fixture->dashboard = TN_DASHBOARD (adw_window_get_content (ADW_WINDOW (fixture->window)));
  g_assert_cmpstr (tn_event_get_id (tn_dashboard_get_event (fixture->dashboard)), ==, tn_event_get_id (fixture->event));
  WAIT_FOR (_tn_dashboard_get_n_updates (fixture->dashboard) > 0);
  g_assert_true (tn_dashboard_get_live (fixture->dashboard));
  g_assert_cmpstr (label_text (_tn_dashboard_get_going_label (fixture->dashboard)), ==, "2");

  /* Closing the main window leaves the dashboard to the organizer. */
  weak = window;
  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_window_destroy (GTK_WINDOW (window));
  WAIT_FOR (weak == NULL);
  g_assert_true (tn_dashboard_get_live (fixture->dashboard));
}

static void
test_chart_data (void)
{
  g_autoptr(GtkWidget) widget = NULL;
  TnArrivalsChart *chart;
  guint counts[60] = { 0 };
  gint64 last = 1795000000 - 1795000000 % 60;   /* a whole minute */

  SKIP_WITHOUT_DISPLAY ();

  widget = g_object_ref_sink (tn_arrivals_chart_new ());
  chart = TN_ARRIVALS_CHART (widget);
  g_assert_cmpuint (tn_arrivals_chart_get_n_minutes (chart), ==, 0);
  g_assert_cmpstr (tn_arrivals_chart_get_summary (chart), ==, "No arrivals in the last hour");

  counts[0] = 1;
  counts[57] = 9;
  counts[59] = 2;
  tn_arrivals_chart_set_data (chart, counts, G_N_ELEMENTS (counts), last + 17);
  g_assert_cmpint (tn_arrivals_chart_get_last_minute (chart), ==, last);
  g_assert_cmpuint (tn_arrivals_chart_get_total (chart), ==, 12);
  g_assert_cmpuint (tn_arrivals_chart_get_count_at (chart, last + 59), ==, 2);
  g_assert_cmpuint (tn_arrivals_chart_get_count_at (chart, last - 2 * 60), ==, 9);
  g_assert_cmpuint (tn_arrivals_chart_get_count_at (chart, last - 59 * 60), ==, 1);
  g_assert_cmpuint (tn_arrivals_chart_get_count_at (chart, last - 60 * 60), ==, 0);
  g_assert_cmpuint (tn_arrivals_chart_get_count_at (chart, last + 60), ==, 0);
  g_assert_true (g_str_has_prefix (tn_arrivals_chart_get_summary (chart), "12 arrivals in the last hour, most at "));

  /* Two quiet minutes later: the oldest minute drops out, the rest moves. */
  tn_arrivals_chart_advance_to (chart, last + 2 * 60 + 5);
  g_assert_cmpint (tn_arrivals_chart_get_last_minute (chart), ==, last + 2 * 60);
  g_assert_cmpuint (tn_arrivals_chart_get_n_minutes (chart), ==, 60);
  g_assert_cmpuint (tn_arrivals_chart_get_total (chart), ==, 11);
  g_assert_cmpuint (tn_arrivals_chart_get_count (chart, 59), ==, 0);
  g_assert_cmpuint (tn_arrivals_chart_get_count (chart, 57), ==, 2);
  g_assert_cmpuint (tn_arrivals_chart_get_count_at (chart, last - 2 * 60), ==, 9);
  /* Not backwards. */
  tn_arrivals_chart_advance_to (chart, last);
  g_assert_cmpint (tn_arrivals_chart_get_last_minute (chart), ==, last + 2 * 60);
  /* An hour and more: nothing left. */
  tn_arrivals_chart_advance_to (chart, last + 3 * 3600);
  g_assert_cmpuint (tn_arrivals_chart_get_total (chart), ==, 0);
  g_assert_cmpuint (tn_arrivals_chart_get_n_minutes (chart), ==, 60);
  g_assert_cmpstr (tn_arrivals_chart_get_summary (chart), ==, "No arrivals in the last hour");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *server_dir = NULL;
  int status;

  work_dir = tn_gtk_test_isolate ("turnout-test-dashboard");

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtk/arrivals-chart/data", test_chart_data);
  g_test_add ("/gtk/dashboard/scan-by-another-client", Fixture, NULL,
              fixture_set_up, test_scan_by_another_client, fixture_tear_down);
  g_test_add ("/gtk/dashboard/narrow", Fixture, NULL,
              fixture_set_up, test_narrow, fixture_tear_down);
  g_test_add ("/gtk/dashboard/refused", Fixture, NULL,
              fixture_set_up, test_refused, fixture_tear_down);
  g_test_add ("/gtk/dashboard/open-from-window", Fixture, NULL,
              fixture_set_up, test_open_from_window, fixture_tear_down);

  if (have_display ())
    {
      application = tn_application_new ();
      g_application_set_flags (G_APPLICATION (application), G_APPLICATION_NON_UNIQUE);
      g_application_register (G_APPLICATION (application), NULL, &error);
      g_assert_no_error (error);
      server_dir = g_build_filename (work_dir, "server", NULL);
      server = tn_gtk_test_server_new (server_dir);
      tn_gtk_test_server_start (server);
    }

  status = g_test_run ();

  g_clear_pointer (&server, tn_gtk_test_server_free);
  g_clear_object (&application);
  tn_gtk_test_remove_tree (work_dir);
  g_free (work_dir);

  return status;
}
