/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "tn-application.h"
#include "tn-attendees-window.h"
#include "tn-client.h"
#include "tn-dashboard.h"
#include "tn-event-row.h"
#include "tn-sign-in-page-private.h"
#include "tn-test-utils.h"
#include "tn-ticket-page.h"
#include "tn-window-private.h"

/* gtk-screenshots OUTDIR: the desktop app's main pages as PNG files, for
 * README.md (tools/screenshots runs it under Xvfb). A demo server runs in
 * a thread; the app signs in as the demo organizer through its own form.
 * Private config and data folders: nothing of the person running it is
 * read or written. */

#define WAIT_TIMEOUT_MS 30000

static gboolean
wake_up_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the main loop until @cond holds (or for @ms when @cond is NULL). */
static void
wait_until (gboolean (*cond) (gpointer), gpointer data, guint ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (cond != NULL ? WAIT_TIMEOUT_MS : ms) * 1000;
  guint tick = g_timeout_add (20, wake_up_cb, NULL);

  while ((cond == NULL || !cond (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  if (cond != NULL && !cond (data))
    g_error ("timed out");
}

static void
save (GtkWindow  *window,
      const char *dir,
      const char *name)
{
  GtkWidget *widget = GTK_WIDGET (window);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  int w, h;

  wait_until (NULL, NULL, 700);   /* let it lay out and paint */
  w = gtk_widget_get_width (widget);
  h = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  if (!gdk_texture_save_to_png (texture, path))
    g_error ("cannot save %s", path);
  g_print ("%s (%d×%d)\n", path, w, h);
}

static gboolean
showing_list (gpointer data)
{
  TnWindow *window = data;

  return !_tn_window_get_busy (window) &&
         g_strcmp0 (_tn_window_get_visible_page (window), "events") == 0 &&
         g_strcmp0 (_tn_window_get_list_page (window), "list") == 0;
}

static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* (transfer none) */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return GTK_WINDOW (window);
    }
  return NULL;
}

static gboolean
attendees_loaded (gpointer data)
{
  TnAttendeeModel *model = tn_attendees_window_get_model (data);

  return !tn_attendee_model_get_loading (model) && g_list_model_get_n_items (G_LIST_MODEL (model)) > 0;
}

int
main (int    argc,
      char **argv)
{
  static const char * const dirs[] = { "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME" };
  g_autofree char *work = g_dir_make_tmp ("turnout-screenshots-XXXXXX", NULL);
  g_autofree char *no_bus = g_strdup_printf ("unix:path=%s/no-such-bus", work);
  g_autoptr(TnTestServer) server = NULL;
  g_autoptr(TnApplication) application = NULL;
  g_autoptr(TnClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TnUser) user = NULL;
  g_autoptr(GPtrArray) attendees = NULL;
  g_autoptr(GError) error = NULL;
  TnSignInPage *page;
  TnWindow *window;
  TnEvent *open_house = NULL;
  GtkListBox *list;
  const char *out;

  if (argc != 2)
    {
      g_printerr ("Usage: %s OUTDIR\n", argv[0]);
      return 2;
    }
  out = argv[1];
  g_mkdir_with_parents (out, 0755);

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *dir = g_build_filename (work, dirs[i], NULL);

      g_mkdir_with_parents (dir, 0700);
      g_setenv (dirs[i], dir, TRUE);
    }
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", no_bus, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("ADW_DISABLE_PORTAL", "1", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);

  gtk_init ();
  adw_init ();
  server = tn_test_server_new (TRUE);

  application = tn_application_new ();
  g_application_set_flags (G_APPLICATION (application), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (application), NULL, &error);
  g_assert_no_error (error);

  window = tn_window_new (application);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 680);
  gtk_window_present (GTK_WINDOW (window));
  page = _tn_window_get_sign_in_page (window);
  gtk_editable_set_text (GTK_EDITABLE (_tn_sign_in_page_get_server_row (page)), tn_test_server_get_url (server));
  gtk_editable_set_text (GTK_EDITABLE (_tn_sign_in_page_get_email_row (page)), TN_DEMO_ORGANIZER_EMAIL);
  save (GTK_WINDOW (window), out, "sign-in.png");
  gtk_editable_set_text (GTK_EDITABLE (_tn_sign_in_page_get_password_row (page)), TN_DEMO_PASSWORD);
  gtk_widget_activate (GTK_WIDGET (_tn_sign_in_page_get_sign_in_button (page)));
  wait_until (showing_list, window, 0);

  /* the open house, chosen */
  list = _tn_window_get_event_list (window);
  for (int i = 0; gtk_list_box_get_row_at_index (list, i) != NULL; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, i);
      TnEvent *event = tn_event_row_get_event (TN_EVENT_ROW (row));

      if (g_str_has_prefix (tn_event_get_title (event), "Open House"))
        {
          open_house = event;
          gtk_widget_activate (GTK_WIDGET (row));
        }
    }
  g_assert_nonnull (open_house);
  save (GTK_WINDOW (window), out, "events.png");

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  save (GTK_WINDOW (window), out, "events-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  /* a window is sized when it is shown: show it again, narrow */
  gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 680);
  gtk_window_present (GTK_WINDOW (window));
  save (GTK_WINDOW (window), out, "events-narrow.png");
  gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 680);
  gtk_window_present (GTK_WINDOW (window));

  /* a client of its own for the other windows */
  client = tn_client_new (tn_test_server_get_url (server));
  tn_client_login_async (client, TN_DEMO_ORGANIZER_EMAIL, TN_DEMO_PASSWORD, NULL, result_cb, &result);
  wait_until (is_set, &result, 0);
  user = tn_client_login_finish (client, result, &error);
  g_assert_no_error (error);

  {
    TnAttendeesWindow *attendees_window = tn_attendees_window_new (GTK_WINDOW (window), client, open_house);

    gtk_window_present (GTK_WINDOW (attendees_window));
    wait_until (attendees_loaded, attendees_window, 0);
    save (GTK_WINDOW (attendees_window), out, "attendees.png");
    gtk_window_destroy (GTK_WINDOW (attendees_window));
  }

  /* a few people let in, so the dashboard has figures to show */
  g_clear_object (&result);
  tn_client_list_attendees_async (client, tn_event_get_id (open_house), "going", NULL, 10, NULL, NULL,
                                  result_cb, &result);
  wait_until (is_set, &result, 0);
  attendees = tn_client_list_attendees_finish (client, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (attendees->len, >, 0);
  {
    g_autoptr(JsonArray) scans = json_array_new ();
    g_autoptr(JsonArray) answers = NULL;
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autofree char *when = g_date_time_format_iso8601 (now);

    for (guint i = 0; i < MIN (attendees->len, 7u); i++)
      {
        JsonObject *scan = json_object_new ();
        g_autofree char *id = g_uuid_string_random ();

        json_object_set_string_member (scan, "id", id);
        json_object_set_string_member (scan, "event_id", tn_event_get_id (open_house));
        json_object_set_string_member (scan, "code", tn_attendee_get_ticket_code (g_ptr_array_index (attendees, i)));
        json_object_set_string_member (scan, "direction", "in");
        json_object_set_string_member (scan, "scanned_at", when);
        json_object_set_string_member (scan, "device", i % 2 == 0 ? "Main entrance" : "Side door");
        json_array_add_object_element (scans, scan);
      }
    g_clear_object (&result);
    tn_client_post_checkins_async (client, scans, NULL, result_cb, &result);
    wait_until (is_set, &result, 0);
    answers = tn_client_post_checkins_finish (client, result, &error);
    g_assert_no_error (error);
  }

  {
    GtkWindow *dashboard = tn_dashboard_open_window (client, open_house, GTK_WINDOW (window));

    wait_until (NULL, NULL, 2000);
    save (dashboard, out, "dashboard.png");
    gtk_window_destroy (dashboard);
  }

  tn_ticket_page_show (GTK_WIDGET (window), open_house, g_ptr_array_index (attendees, 0));
  wait_until (NULL, NULL, 500);
  save (find_toplevel (TN_TYPE_TICKET_PAGE), out, "ticket.png");

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
