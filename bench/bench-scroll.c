/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <stdio.h>

#include "tn-attendees-window.h"
#include "tn-client.h"
#include "tn-test-utils.h"

/* Scrolling the attendees window through 50,000 attendees (issue 6, part
 * 8: "scrolls smoothly"):
 *
 *   xvfb-run -a _build/bench/bench-scroll [--attendees N] [--seconds S]
 *
 * A demo server in a thread; an event with N guests imported as CSV; the
 * attendees window loads them all (pages of 500), then the list is
 * scrolled from top to bottom and back at a steady speed, one step per
 * frame of the window's frame clock, for S seconds. Reported: the time
 * between frames (p50, p99, max) and the frames that took longer than two
 * 60 Hz frames, plus how many row widgets the list view made. */

static gboolean
wake_up_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
wait_result (GAsyncResult **result)
{
  guint tick = g_timeout_add (20, wake_up_cb, NULL);

  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
}

typedef struct
{
  GtkAdjustment *adjustment;
  GArray        *intervals;   /* µs between frames */
  gint64         last;
  gint64         end;
  double         step;
  gboolean       finished;
} Scroll;

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  Scroll *scroll = user_data;
  gint64 now = gdk_frame_clock_get_frame_time (clock);
  double value = gtk_adjustment_get_value (scroll->adjustment);
  double upper = gtk_adjustment_get_upper (scroll->adjustment) - gtk_adjustment_get_page_size (scroll->adjustment);

  if (scroll->last > 0)
    {
      gint64 interval = now - scroll->last;

      g_array_append_val (scroll->intervals, interval);
    }
  scroll->last = now;

  value += scroll->step;
  if (value >= upper || value <= 0)
    scroll->step = -scroll->step;
  gtk_adjustment_set_value (scroll->adjustment, CLAMP (value, 0, upper));

  if (now >= scroll->end)
    {
      scroll->finished = TRUE;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static GtkWidget *
find_list_view (GtkWidget *widget)
{
  if (GTK_IS_LIST_VIEW (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_list_view (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
run_scroll (GtkWidget  *view,
            int         seconds,
            double      step,
            GListModel *model)
{
  Scroll scroll = { 0 };
  guint rows = 0, long_frames = 0;

  scroll.adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));
  scroll.intervals = g_array_new (FALSE, FALSE, sizeof (gint64));
  scroll.step = step > 0 ? step : gtk_adjustment_get_upper (scroll.adjustment) / (seconds * 30.0);
  gtk_adjustment_set_value (scroll.adjustment, 0);
  scroll.end = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;
  gtk_widget_add_tick_callback (view, tick_cb, &scroll, NULL);
  while (!scroll.finished)
    g_main_context_iteration (NULL, TRUE);

  for (GtkWidget *row = gtk_widget_get_first_child (view); row != NULL; row = gtk_widget_get_next_sibling (row))
    rows++;
  g_array_sort (scroll.intervals, compare_gint64);
  for (guint i = 0; i < scroll.intervals->len; i++)
    if (g_array_index (scroll.intervals, gint64, i) > 34000)
      long_frames++;
  g_print ("%s, %d s at %.0f px a frame: %u frames, %u row widgets for %u attendees\n",
           step > 0 ? "steady" : "fling", seconds, ABS (scroll.step), scroll.intervals->len + 1, rows,
           g_list_model_get_n_items (model));
  g_print ("  time between frames: p50 %.1f ms  p99 %.1f ms  max %.1f ms; longer than two frames (34 ms): %u (%.1f %%)\n",
           g_array_index (scroll.intervals, gint64, scroll.intervals->len / 2) / 1000.0,
           g_array_index (scroll.intervals, gint64, scroll.intervals->len * 99 / 100) / 1000.0,
           g_array_index (scroll.intervals, gint64, scroll.intervals->len - 1) / 1000.0,
           long_frames, 100.0 * long_frames / MAX (scroll.intervals->len, 1));
  g_array_unref (scroll.intervals);
}

int
main (int    argc,
      char **argv)
{
  int attendees = 50000, seconds = 10;
  GOptionEntry entries[] = {
    { "attendees", 'n', 0, G_OPTION_ARG_INT, &attendees, "Guests of the event (50000)", "N" },
    { "seconds", 's', 0, G_OPTION_ARG_INT, &seconds, "How long to scroll (10)", "S" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— scroll the attendees window through a large event");
  g_autoptr(GError) error = NULL;
  g_autoptr(TnTestServer) server = NULL;
  g_autoptr(TnClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TnUser) user = NULL;
  g_autoptr(TnEvent) event = tn_event_new ();
  g_autoptr(TnEvent) created = NULL;
  TnAttendeesWindow *window;
  TnAttendeeModel *model;
  GtkWidget *view;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint tick;
  gint64 loading_started;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  gtk_init ();
  adw_init ();

  server = tn_test_server_new (TRUE);
  client = tn_client_new (tn_test_server_get_url (server));
  tn_client_login_async (client, TN_DEMO_ORGANIZER_EMAIL, TN_DEMO_PASSWORD, NULL, result_cb, &result);
  wait_result (&result);
  user = tn_client_login_finish (client, result, &error);
  g_assert_no_error (error);

  tn_event_set_title (event, "Scrolling through a city festival");
  tn_event_set_starts_at (event, now + 86400);
  tn_event_set_ends_at (event, now + 90000);
  g_clear_object (&result);
  tn_client_create_event_async (client, event, NULL, result_cb, &result);
  wait_result (&result);
  created = tn_client_event_finish (client, result, &error);
  g_assert_no_error (error);

  /* the server takes at most 1 MiB a request: 20,000 rows a file */
  for (int first = 0; first < attendees; first += 20000)
    {
      g_autoptr(GString) csv = g_string_new ("name,email,ticket_type\n");
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(TnClientImportReport) report = NULL;

      for (int i = first; i < MIN (first + 20000, attendees); i++)
        g_string_append_printf (csv, "Guest Nummer %05d,guest%05d@example.org,%s\n", i, i, i % 7 == 0 ? "Crew" : "");
      bytes = g_string_free_to_bytes (g_steal_pointer (&csv));
      g_clear_object (&result);
      tn_client_import_attendees_async (client, tn_event_get_id (created), bytes, NULL, result_cb, &result);
      wait_result (&result);
      if (!tn_client_import_attendees_finish (client, result, &report, &error))
        g_error ("import: %s", error != NULL ? error->message : "refused");
    }

  window = tn_attendees_window_new (NULL, client, created);
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 640);
  gtk_window_present (GTK_WINDOW (window));
  model = tn_attendees_window_get_model (window);
  loading_started = g_get_monotonic_time ();
  tick = g_timeout_add (20, wake_up_cb, NULL);
  while (tn_attendee_model_get_loading (model) ||
         g_list_model_get_n_items (G_LIST_MODEL (model)) < (guint) attendees)
    g_main_context_iteration (NULL, TRUE);
  g_print ("loaded %u attendees in %.2f s (pages of 500, the first shown at once)\n",
           g_list_model_get_n_items (G_LIST_MODEL (model)),
           (g_get_monotonic_time () - loading_started) / (double) G_USEC_PER_SEC);

  view = find_list_view (GTK_WIDGET (window));
  run_scroll (view, seconds, -1, G_LIST_MODEL (model));   /* a fling: end to end in seconds / 2 */
  run_scroll (view, seconds, 30, G_LIST_MODEL (model));   /* reading: 30 px a frame, 1,800 px/s */
  g_source_remove (tick);
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
