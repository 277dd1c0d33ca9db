/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "tn-application.h"
#include "tn-event-row.h"
#include "tn-sign-in-page-private.h"
#include "tn-test-utils.h"
#include "tn-window-private.h"

/* Cold start of the desktop app to its first painted list of events, from
 * a warm replica (issue 6, part 8: under 500 ms).
 *
 *   xvfb-run -a _build/bench/bench-startup [--runs N] [--offline]
 *
 * The parent makes private XDG folders, starts a demo server (in a thread
 * of its own process), and runs this program once with --prepare: the
 * app signs in through its form and syncs, so the token and the replica
 * are on disk. Then it starts this program N times with --measure: each is
 * a new process that opens the app's window and reports, on its standard
 * output, CLOCK_MONOTONIC at the end of the first frame painted with the
 * list of events in it. The parent took CLOCK_MONOTONIC just before the
 * spawn; the difference is the cold start. With --offline the server is
 * shut down before the runs: the list must not wait for it.
 *
 * GSETTINGS_SCHEMA_DIR must name the compiled schema (_build/data). */

static gint64
monotonic_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gboolean
list_painted (TnWindow *window)
{
  return g_strcmp0 (_tn_window_get_visible_page (window), "events") == 0 &&
         g_strcmp0 (_tn_window_get_list_page (window), "list") == 0 &&
         gtk_list_box_get_row_at_index (_tn_window_get_event_list (window), 0) != NULL;
}

static gboolean done;
static gboolean bare;

static void
after_paint_cb (GdkFrameClock *clock,
                TnWindow      *window)
{
  if (done || (!bare && !list_painted (window)))
    return;
  done = TRUE;
  g_print ("%" G_GINT64_FORMAT "\n", monotonic_us ());
  fflush (stdout);
}

static void
window_realize_cb (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), widget);
}

static gboolean
wake_up_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static int
run_app (const char *url,
         gboolean    prepare)
{
  g_autoptr(TnApplication) application = NULL;
  g_autoptr(GError) error = NULL;
  TnWindow *window;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  guint tick = g_timeout_add (20, wake_up_cb, NULL);
  gboolean ok;

  gtk_init ();
  adw_init ();
  application = tn_application_new ();
  g_application_set_flags (G_APPLICATION (application), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (application), NULL, &error);
  g_assert_no_error (error);

  if (bare)
    {
      /* the floor: GTK and libadwaita's own first frame, an empty window */
      GtkWidget *empty = adw_application_window_new (GTK_APPLICATION (application));

      gtk_window_set_default_size (GTK_WINDOW (empty), 1000, 680);
      g_signal_connect (empty, "realize", G_CALLBACK (window_realize_cb), NULL);
      gtk_window_present (GTK_WINDOW (empty));
      while (!done && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
      g_source_remove (tick);
      gtk_window_destroy (GTK_WINDOW (empty));
      return done ? 0 : 1;
    }

  window = tn_window_new (application);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 680);
  g_signal_connect (window, "realize", G_CALLBACK (window_realize_cb), NULL);
  gtk_window_present (GTK_WINDOW (window));

  if (prepare)
    {
      TnSignInPage *page = _tn_window_get_sign_in_page (window);

      while (g_strcmp0 (_tn_window_get_visible_page (window), "sign-in") != 0 &&
             g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
      gtk_editable_set_text (GTK_EDITABLE (_tn_sign_in_page_get_server_row (page)), url);
      gtk_editable_set_text (GTK_EDITABLE (_tn_sign_in_page_get_email_row (page)), TN_DEMO_ORGANIZER_EMAIL);
      gtk_editable_set_text (GTK_EDITABLE (_tn_sign_in_page_get_password_row (page)), TN_DEMO_PASSWORD);
      gtk_widget_activate (GTK_WIDGET (_tn_sign_in_page_get_sign_in_button (page)));
      while (!(list_painted (window) && !_tn_window_get_busy (window)) && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
    }
  else
    {
      while (!done && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (tick);
  ok = prepare ? list_painted (window) : done;
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return ok ? 0 : 1;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

int
main (int    argc,
      char **argv)
{
  static const char * const dirs[] = { "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME" };
  g_autofree char *url = NULL;
  gboolean prepare = FALSE, measure = FALSE, offline = FALSE;
  int runs = 20;
  GOptionEntry entries[] = {
    { "prepare", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &prepare, NULL, NULL },
    { "measure", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &measure, NULL, NULL },
    { "url", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &url, NULL, NULL },
    { "runs", 'n', 0, G_OPTION_ARG_INT, &runs, "Cold starts to time (20)", "N" },
    { "offline", 0, 0, G_OPTION_ARG_NONE, &offline, "Stop the server while timing", NULL },
    { "bare", 0, 0, G_OPTION_ARG_NONE, &bare, "Time an empty libadwaita window instead (the floor)", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— time the desktop app's cold start to its first painted list");
  g_autoptr(GError) error = NULL;
  g_autofree char *work = NULL;
  g_autofree char *no_bus = NULL;
  g_autoptr(TnTestServer) server = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (prepare || measure)
    return run_app (url, prepare);

  /* the parent: private folders, a demo server, one sign-in, N starts */
  work = g_dir_make_tmp ("turnout-bench-startup-XXXXXX", NULL);
  no_bus = g_strdup_printf ("unix:path=%s/no-such-bus", work);
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *dir = g_build_filename (work, dirs[i], NULL);

      g_mkdir_with_parents (dir, 0700);
      g_setenv (dirs[i], dir, TRUE);
    }
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", no_bus, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "keyfile", TRUE);   /* kept between the runs */
  g_setenv ("ADW_DISABLE_PORTAL", "1", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);

  server = tn_test_server_new (TRUE);
  {
    const char *argv_prepare[] = { argv[0], "--prepare", "--url", tn_test_server_get_url (server), NULL };
    g_autoptr(GSubprocess) child = g_subprocess_newv (argv_prepare, G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);

    g_assert_no_error (error);
    /* the server runs in this process's thread: wait without blocking it */
    g_subprocess_wait_check (child, NULL, &error);
    if (error != NULL)
      g_error ("the sign-in run failed: %s", error->message);
  }

  if (offline)
    g_print ("server: shut down before the runs (connections refused)\n");
  for (int i = 0; i < runs; i++)
    {
      const char *argv_measure[] = { argv[0], "--measure", bare ? "--bare" : NULL, NULL };
      g_autoptr(GSubprocess) child = NULL;
      g_autofree char *out = NULL;
      gint64 t0, t1;

      if (offline && server != NULL)
        g_clear_pointer (&server, tn_test_server_free);
      t0 = monotonic_us ();
      child = g_subprocess_newv (argv_measure, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
      g_assert_no_error (error);
      g_subprocess_communicate_utf8 (child, NULL, NULL, &out, NULL, &error);
      g_assert_no_error (error);
      if (!g_subprocess_get_successful (child) || out == NULL || out[0] == '\0')
        g_error ("run %d: no list painted", i + 1);
      t1 = g_ascii_strtoll (out, NULL, 10) - t0;
      g_array_append_val (times, t1);
    }

  g_array_sort (times, compare_gint64);
  g_print ("cold start to the first painted %s, %d runs%s:\n", bare ? "empty window" : "list", runs,
           bare ? "" : offline ? ", warm replica, server gone" : ", warm replica");
  g_print ("  min %.0f ms  p50 %.0f ms  p90 %.0f ms  max %.0f ms\n",
           g_array_index (times, gint64, 0) / 1000.0,
           g_array_index (times, gint64, times->len / 2) / 1000.0,
           g_array_index (times, gint64, MIN (times->len - 1, times->len * 9 / 10)) / 1000.0,
           g_array_index (times, gint64, times->len - 1) / 1000.0);
  return 0;
}
