/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>

#include "tn-dashboard-private.h"
#include "tn-gtk-test-utils.h"

/* The dashboard from a scan to its repaint (issue 6, part 8; see
 * docs/PERFORMANCE.md, "Desktop: dashboard update"). A turnout-server
 * process with the demo community, an event with --scans guests, the
 * dashboard of that event in a window; another client posts the scans one
 * at a time. For each: t0 just before the POST, t_answer when its answer
 * arrives, t_label when the dashboard's "checked in" label changes to the
 * new count (pushed over the live stream), t_paint at the window's next
 * GdkFrameClock::after-paint after that. The next scan is posted once the
 * frame is painted and the answer is in. Run under a display:
 * xvfb-run -a _build/bench/bench-dashboard */

#define WAIT_TIMEOUT_S 30

typedef struct
{
  TnClient        *organizer;
  TnEvent         *event;
  TnDashboard     *dashboard;
  GtkLabel        *checked_in;
  char            *expected;    /* the label text the current scan leads to */
  gint64           t0;
  gint64           t_answer;
  gint64           t_label;
  gint64           t_paint;
  char            *verdict;
} Bench;

static int scans = 200;
static char *screenshot;
static gboolean dark;
static int width = 1000;

static const GOptionEntry options[] = {
  { "scans", 'n', 0, G_OPTION_ARG_INT, &scans, "Scans to post, one at a time (default 200)", "N" },
  { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, &screenshot, "Save the window as PNG after the run", "FILE" },
  { "dark", 0, 0, G_OPTION_ARG_NONE, &dark, "Dark style", NULL },
  { "width", 0, 0, G_OPTION_ARG_INT, &width, "Window width (default 1000)", "PX" },
  { NULL }
};

static gboolean
wake_up_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

#define WAIT_FOR(expr) \
  G_STMT_START { \
    gint64 wait_deadline_ = g_get_monotonic_time () + (gint64) WAIT_TIMEOUT_S * G_USEC_PER_SEC; \
    guint wait_tick_ = g_timeout_add (50, wake_up_cb, NULL); \
    while (!(expr) && g_get_monotonic_time () < wait_deadline_) \
      g_main_context_iteration (NULL, TRUE); \
    g_source_remove (wait_tick_); \
    if (!(expr)) \
      g_error ("timed out waiting for: " #expr); \
  } G_STMT_END

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* nearest rank */
static double
percentile_ms (const gint64 *sorted,
               guint         n,
               double        p)
{
  guint rank = (guint) ((p / 100.0) * n + 0.999999);

  rank = CLAMP (rank, 1, n);
  return sorted[rank - 1] / 1e3;
}

static void
report (const char *what,
        GArray     *samples)
{
  const gint64 *v;
  guint n = samples->len;

  if (n == 0)
    return;
  g_array_sort (samples, compare_gint64);
  v = (const gint64 *) (gconstpointer) samples->data;
  g_print ("%-28s %5u  p50 %7.2f  p90 %7.2f  p99 %7.2f  max %7.2f ms\n", what, n,
           percentile_ms (v, n, 50), percentile_ms (v, n, 90), percentile_ms (v, n, 99), v[n - 1] / 1e3);
}

static void
bench_label_notify_cb (GtkLabel *label,
                       GParamSpec *pspec,
                       Bench   *bench)
{
  if (bench->expected != NULL && bench->t_label == 0 &&
      g_strcmp0 (gtk_label_get_text (label), bench->expected) == 0)
    bench->t_label = g_get_monotonic_time ();
}

static void
bench_after_paint_cb (GdkFrameClock *clock,
                      Bench         *bench)
{
  if (bench->t_label != 0 && bench->t_paint == 0)
    bench->t_paint = g_get_monotonic_time ();
}

static void
bench_posted_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Bench *bench = user_data;

  bench->verdict = tn_gtk_test_post_scan_finish (TN_CLIENT (source), result);
  bench->t_answer = g_get_monotonic_time ();
}

/* The window as it is on screen, through its own renderer. */
static void
save_screenshot (GtkWindow  *window,
                 const char *path)
{
  GtkWidget *widget = GTK_WIDGET (window);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int w = gtk_widget_get_width (widget);
  int h = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  if (!gdk_texture_save_to_png (texture, path))
    g_error ("cannot save %s", path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— the dashboard from a scan to its repaint");
  g_autoptr(GError) error = NULL;
  g_autoptr(TnGtkTestServer) server = NULL;
  g_autoptr(TnClient) client = NULL;
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) scan_to_paint = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) answer_to_paint = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) scan_to_label = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) label_to_paint = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) scan_to_answer = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *work_dir = NULL;
  g_autofree char *server_dir = NULL;
  GtkWindow *window;
  GdkFrameClock *clock;
  Bench bench = { 0 };
  guint label_first = 0;
  gint64 started;

  g_option_context_add_main_entries (context, options, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (scans < 1)
    scans = 1;
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr ("No display: run it under xvfb-run -a\n");
      return 2;
    }

  work_dir = tn_gtk_test_isolate ("turnout-bench-dashboard");
  g_setenv ("TURNOUT_SERVER", TURNOUT_SERVER_PATH, FALSE);

  adw_init ();
  {
    /* The app's style sheet, which TnApplication loads. */
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/org/turnout/Turnout/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }
  if (dark)
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);

  server_dir = g_build_filename (work_dir, "server", NULL);
  server = tn_gtk_test_server_new (server_dir);
  tn_gtk_test_server_start (server);
  bench.organizer = tn_gtk_test_sign_in (tn_gtk_test_server_get_url (server));
  bench.event = tn_gtk_test_create_event_soon (bench.organizer, "Dashboard benchmark", scans + 50);
  for (int i = 0; i < scans; i++)
    {
      g_autofree char *name = g_strdup_printf ("Guest %d", i + 1);
      g_autofree char *email = g_strdup_printf ("guest%d@example.org", i + 1);

      g_ptr_array_add (codes, tn_gtk_test_add_guest (bench.organizer, tn_event_get_id (bench.event), name, email));
    }

  /* The app's own session, another than the one posting the scans. */
  client = tn_gtk_test_sign_in (tn_gtk_test_server_get_url (server));
  window = tn_dashboard_open_window (client, bench.event, NULL);
  gtk_window_set_default_size (window, width, 800);
  bench.dashboard = TN_DASHBOARD (adw_window_get_content (ADW_WINDOW (window)));
  bench.checked_in = _tn_dashboard_get_checked_in_label (bench.dashboard);
  WAIT_FOR (_tn_dashboard_get_n_updates (bench.dashboard) > 0 && gtk_widget_get_mapped (GTK_WIDGET (window)));
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (bench.checked_in, "notify::label", G_CALLBACK (bench_label_notify_cb), &bench);
  g_signal_connect (clock, "after-paint", G_CALLBACK (bench_after_paint_cb), &bench);
  /* Let the first frames settle. */
  bench.t_label = 1;
  WAIT_FOR (bench.t_paint != 0);

  started = g_get_monotonic_time ();
  for (int i = 0; i < scans; i++)
    {
      g_autoptr(JsonObject) scan = tn_gtk_test_make_scan (tn_event_get_id (bench.event),
                                                          g_ptr_array_index (codes, i), "in", NULL);
      gint64 d;

      g_free (bench.expected);
      bench.expected = g_strdup_printf ("%d", i + 1);
      g_clear_pointer (&bench.verdict, g_free);
      bench.t_answer = bench.t_label = bench.t_paint = 0;

      bench.t0 = g_get_monotonic_time ();
      tn_gtk_test_post_scan_async (bench.organizer, scan, bench_posted_cb, &bench);
      WAIT_FOR (bench.t_paint != 0 && bench.t_answer != 0);
      if (g_strcmp0 (bench.verdict, "accepted") != 0)
        g_error ("scan %d: %s, not accepted", i + 1, bench.verdict);

      d = bench.t_paint - bench.t0;
      g_array_append_val (scan_to_paint, d);
      d = MAX (bench.t_paint - bench.t_answer, 0);
      g_array_append_val (answer_to_paint, d);
      d = bench.t_label - bench.t0;
      g_array_append_val (scan_to_label, d);
      d = bench.t_paint - bench.t_label;
      g_array_append_val (label_to_paint, d);
      d = bench.t_answer - bench.t0;
      g_array_append_val (scan_to_answer, d);
      if (bench.t_label < bench.t_answer)
        label_first++;
    }

  g_print ("%d scans in %.2f s; the dashboard changed before the POST's answer arrived %u times\n",
           scans, (g_get_monotonic_time () - started) / 1e6, label_first);
  report ("scan to repaint", scan_to_paint);
  report ("POST answer to repaint", answer_to_paint);
  report ("scan to label (live delta)", scan_to_label);
  report ("label to repaint", label_to_paint);
  report ("scan to POST answer", scan_to_answer);

  if (screenshot != NULL)
    save_screenshot (window, screenshot);

  g_signal_handlers_disconnect_by_data (clock, &bench);
  g_signal_handlers_disconnect_by_data (bench.checked_in, &bench);
  gtk_window_destroy (window);
  g_clear_object (&bench.organizer);
  g_clear_object (&bench.event);
  g_free (bench.expected);
  g_free (bench.verdict);
  g_clear_pointer (&server, tn_gtk_test_server_free);
  tn_gtk_test_remove_tree (work_dir);
  return 0;
}
