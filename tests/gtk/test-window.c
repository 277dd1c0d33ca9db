/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include "tn-application.h"
#include "tn-client.h"
#include "tn-conflict-dialog.h"
#include "tn-conflict-dialog-private.h"
#include "tn-event-replica.h"
#include "tn-event-detail-private.h"
#include "tn-event-editor-private.h"
#include "tn-event-row-private.h"
#include "tn-sign-in-page-private.h"
#include "tn-gtk-test-utils.h"
#include "tn-test-utils.h"
#include "tn-token-store.h"
#include "tn-window-private.h"

/* The desktop app against a real turnout-server with the demo community:
 * the test types into the sign-in form, presses the buttons and reads what
 * the window shows. */

/* Titles from data/demo.json, with characters beyond ASCII. */
#define DEMO_TITLE      "Café Philosophique: Was ist Zeit?"
#define DEMO_LOCATION   "Café Kaffeehaus Riquet"
#define OWN_TITLE       "Rust Night: async without tears"
#define DEMO_TITLE_2    "Language Exchange: Deutsch ↔ English"

/* Generous: the suite also runs under AddressSanitizer. */
#define WAIT_TIMEOUT_MS 30000



static TnGtkTestServer *server;
static TnApplication *application;
static char          *work_dir;

/* --- waiting ------------------------------------------------------------- */

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

/* --- the server ---------------------------------------------------------- */

/* An address where nothing listens: a port the kernel just handed out and
 * that was closed again. */
static char *
unused_url (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);

  return g_strdup_printf ("http://127.0.0.1:%u", port);
}

/* --- fixture ------------------------------------------------------------- */

typedef struct
{
  TnWindow  *window;
  GSettings *settings;
} Fixture;

static gboolean
have_display (void)
{
  return g_getenv ("DISPLAY") != NULL || g_getenv ("WAYLAND_DISPLAY") != NULL;
}

static TnWindow *
open_window (int width)
{
  TnWindow *window = tn_window_new (application);

  if (width > 0)
    gtk_window_set_default_size (GTK_WINDOW (window), width, 640);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

/* Destroys @window and checks that nothing keeps it alive. */
static void
close_window (TnWindow **window)
{
  gpointer weak = *window;

  g_object_add_weak_pointer (G_OBJECT (*window), &weak);
  gtk_window_destroy (GTK_WINDOW (*window));
  *window = NULL;
  WAIT_FOR (weak == NULL);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = tn_token_store_get_file_path ();

  if (!have_display ())
    return;

  /* The settings and the config folder serve the whole process: start
   * each case clean. */
  g_remove (path);
  fixture->settings = g_settings_new (APPLICATION_ID);
  g_settings_reset (fixture->settings, "server-url");
  g_settings_reset (fixture->settings, "account-email");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    {
      WAIT_FOR (!_tn_window_get_busy (fixture->window));
      close_window (&fixture->window);
    }
  g_clear_object (&fixture->settings);
}

#define SKIP_WITHOUT_DISPLAY() \
  G_STMT_START { \
    if (!have_display ()) \
      { \
        g_test_skip ("no display: run under xvfb-run"); \
        return; \
      } \
  } G_STMT_END

/* --- helpers ------------------------------------------------------------- */

static void
fill_sign_in_form (TnWindow   *window,
                   const char *url,
                   const char *email,
                   const char *password)
{
  TnSignInPage *page = _tn_window_get_sign_in_page (window);

  g_assert_cmpstr (_tn_window_get_visible_page (window), ==, "sign-in");
  gtk_editable_set_text (GTK_EDITABLE (_tn_sign_in_page_get_server_row (page)), url);
  gtk_editable_set_text (GTK_EDITABLE (_tn_sign_in_page_get_email_row (page)), email);
  gtk_editable_set_text (GTK_EDITABLE (_tn_sign_in_page_get_password_row (page)), password);
}

static void
press_sign_in (TnWindow *window)
{
  GtkButton *button = _tn_sign_in_page_get_sign_in_button (_tn_window_get_sign_in_page (window));

  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (button)));
  g_assert_true (gtk_widget_activate (GTK_WIDGET (button)));
}

static gboolean
showing_events (TnWindow *window)
{
  return g_strcmp0 (_tn_window_get_visible_page (window), "events") == 0 &&
         g_strcmp0 (_tn_window_get_list_page (window), "list") == 0;
}

static gboolean
sign_in_error_shown (TnWindow *window)
{
  GtkLabel *label = _tn_sign_in_page_get_error_label (_tn_window_get_sign_in_page (window));

  return gtk_widget_get_visible (GTK_WIDGET (label)) && gtk_label_get_text (label)[0] != '\0';
}

static guint
shown_count (TnWindow *window)
{
  GtkListBox *list = _tn_window_get_event_list (window);
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list, (int) n) != NULL)
    n++;
  return n;
}

static GPtrArray *
shown_titles (TnWindow *window)
{
  GtkListBox *list = _tn_window_get_event_list (window);
  g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    {
      g_assert_true (TN_IS_EVENT_ROW (row));
      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (row)));
      g_ptr_array_add (titles, g_strdup (gtk_label_get_text (_tn_event_row_get_title_label (TN_EVENT_ROW (row)))));
    }
  return g_steal_pointer (&titles);
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

static void
list_events_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GPtrArray **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = tn_client_list_events_finish (TN_CLIENT (source), result, NULL, &error);
  g_assert_no_error (error);
}

static void
login_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  TnUser **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = tn_client_login_finish (TN_CLIENT (source), result, &error);
  g_assert_no_error (error);
}

/* The upcoming events as the server lists them, read without the app. */
static GPtrArray *
server_titles (void)
{
  g_autoptr(TnClient) client = tn_client_new (tn_gtk_test_server_get_url (server));
  g_autoptr(TnUser) user = NULL;
  g_autoptr(GPtrArray) events = NULL;
  TnEventFilter filter = { 0 };
  GPtrArray *titles = g_ptr_array_new_with_free_func (g_free);

  tn_client_login_async (client, TN_DEMO_ORGANIZER_EMAIL, TN_DEMO_PASSWORD, NULL, login_cb, &user);
  WAIT_FOR (user != NULL);

  filter.from = g_get_real_time () / G_USEC_PER_SEC;
  filter.limit = 500;
  tn_client_list_events_async (client, &filter, NULL, list_events_cb, &events);
  WAIT_FOR (events != NULL);

  for (guint i = 0; i < events->len; i++)
    g_ptr_array_add (titles, g_strdup (tn_event_get_title (g_ptr_array_index (events, i))));
  return titles;
}

static void
sign_in (TnWindow *window)
{
  fill_sign_in_form (window, tn_gtk_test_server_get_url (server), TN_DEMO_ORGANIZER_EMAIL, TN_DEMO_PASSWORD);
  press_sign_in (window);
  WAIT_FOR (showing_events (window));
}

static gboolean
token_file_exists (void)
{
  g_autofree char *path = tn_token_store_get_file_path ();

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* --- tests --------------------------------------------------------------- */

static void
test_sign_in_shows_events (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(GPtrArray) titles = NULL;
  TnEventDetail *detail;
  GtkListBoxRow *row;
  TnEvent *event;

  SKIP_WITHOUT_DISPLAY ();

  fixture->window = open_window (1000);
  /* No saved account: the window asks at once. */
  g_assert_cmpstr (_tn_window_get_visible_page (fixture->window), ==, "sign-in");

  sign_in (fixture->window);
  WAIT_FOR (!_tn_window_get_busy (fixture->window));

  /* Every upcoming event, in the server's order, by its title. */
  expected = server_titles ();
  g_assert_cmpuint (expected->len, >=, 20);
  titles = shown_titles (fixture->window);
  g_assert_cmpuint (titles->len, ==, expected->len);
  for (guint i = 0; i < titles->len; i++)
    g_assert_cmpstr (g_ptr_array_index (titles, i), ==, g_ptr_array_index (expected, i));
  g_assert_nonnull (find_row (fixture->window, DEMO_TITLE));
  g_assert_nonnull (find_row (fixture->window, DEMO_TITLE_2));

  /* Nothing chosen yet: the detail pane says so. */
  detail = _tn_window_get_event_detail (fixture->window);
  g_assert_cmpstr (_tn_event_detail_get_page (detail), ==, "empty");

  /* Choosing a row (Enter on it) shows its details beside the list. */
  row = find_row (fixture->window, DEMO_TITLE);
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_activate (GTK_WIDGET (row)));
  WAIT_FOR (g_strcmp0 (_tn_event_detail_get_page (detail), "event") == 0);
  g_assert_cmpstr (gtk_label_get_text (_tn_event_detail_get_title_label (detail)), ==, DEMO_TITLE);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (_tn_event_detail_get_where_row (detail))),
                   ==, DEMO_LOCATION);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (_tn_event_detail_get_when_row (detail))),
                   !=, "");
  event = tn_event_row_get_event (TN_EVENT_ROW (row));
  g_assert_true (tn_event_detail_get_event (detail) == event);
  g_assert_cmpstr (gtk_label_get_text (_tn_event_row_get_location_label (TN_EVENT_ROW (row))), ==, DEMO_LOCATION);
  g_assert_cmpstr (gtk_label_get_text (_tn_event_row_get_category_label (TN_EVENT_ROW (row))), ==, "Community");
  g_assert_cmpstr (gtk_label_get_text (_tn_event_row_get_when_label (TN_EVENT_ROW (row))), !=, "");

  /* Wide enough for both panes. */
  g_assert_false (adw_leaflet_get_folded (_tn_window_get_leaflet (fixture->window)));

  /* Refreshing keeps the chosen event (the list comes from the account's
   * replica; rows of events that did not change stay as they are). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.refresh", NULL));
  WAIT_FOR (!_tn_window_get_busy (fixture->window));
  WAIT_FOR (tn_event_detail_get_event (detail) != NULL);
  g_assert_cmpstr (tn_event_get_title (tn_event_detail_get_event (detail)), ==, DEMO_TITLE);
}

static void
test_wrong_password (Fixture       *fixture,
                     gconstpointer  data)
{
  TnSignInPage *page;
  GtkLabel *error_label;

  SKIP_WITHOUT_DISPLAY ();

  fixture->window = open_window (0);
  page = _tn_window_get_sign_in_page (fixture->window);
  error_label = _tn_sign_in_page_get_error_label (page);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error_label)));

  fill_sign_in_form (fixture->window, tn_gtk_test_server_get_url (server), TN_DEMO_ORGANIZER_EMAIL, "not-the-password");
  press_sign_in (fixture->window);
  WAIT_FOR (sign_in_error_shown (fixture->window));
  WAIT_FOR (!_tn_window_get_busy (fixture->window));

  g_assert_cmpstr (_tn_window_get_visible_page (fixture->window), ==, "sign-in");
  g_assert_nonnull (strstr (gtk_label_get_text (error_label), "password"));
  g_assert_false (tn_sign_in_page_get_busy (page));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (_tn_sign_in_page_get_password_row (page))));
  g_assert_false (token_file_exists ());

  /* Typing again hides the old error. */
  gtk_editable_set_text (GTK_EDITABLE (_tn_sign_in_page_get_password_row (page)), TN_DEMO_PASSWORD);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  press_sign_in (fixture->window);
  WAIT_FOR (showing_events (fixture->window));
}

static void
test_unreachable_server (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *url = unused_url ();
  GtkLabel *error_label;

  SKIP_WITHOUT_DISPLAY ();

  fixture->window = open_window (0);
  error_label = _tn_sign_in_page_get_error_label (_tn_window_get_sign_in_page (fixture->window));

  fill_sign_in_form (fixture->window, url, TN_DEMO_ORGANIZER_EMAIL, TN_DEMO_PASSWORD);
  press_sign_in (fixture->window);
  WAIT_FOR (sign_in_error_shown (fixture->window));
  g_assert_cmpstr (_tn_window_get_visible_page (fixture->window), ==, "sign-in");
  g_assert_nonnull (strstr (gtk_label_get_text (error_label), "Could not reach the server"));
  g_assert_nonnull (strstr (gtk_label_get_text (error_label), url));

  /* Not a web address at all. */
  fill_sign_in_form (fixture->window, "ftp://example.org", TN_DEMO_ORGANIZER_EMAIL, TN_DEMO_PASSWORD);
  press_sign_in (fixture->window);
  WAIT_FOR (sign_in_error_shown (fixture->window));
  g_assert_nonnull (strstr (gtk_label_get_text (error_label), "not a server address"));
  g_assert_false (_tn_window_get_busy (fixture->window));
}

static void
test_saved_sign_in (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = tn_token_store_get_file_path ();
  TnSignInPage *page;
  TnEventDetail *detail;
  AdwLeaflet *leaflet;
  GtkListBoxRow *row;
  GStatBuf st;

  SKIP_WITHOUT_DISPLAY ();

  fixture->window = open_window (0);
  sign_in (fixture->window);
  WAIT_FOR (!_tn_window_get_busy (fixture->window));

  /* No Secret Service in this test: the token went to a private file. */
  g_assert_true (tn_token_store_get_uses_file (tn_application_get_token_store (application)));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  close_window (&fixture->window);

  /* A new window signs in with the saved token, without asking; a narrow
   * one shows the list alone. */
  fixture->window = open_window (360);
  g_assert_cmpstr (_tn_window_get_visible_page (fixture->window), ==, "loading");
  WAIT_FOR (g_strcmp0 (_tn_window_get_visible_page (fixture->window), "loading") != 0);
  g_assert_cmpstr (_tn_window_get_visible_page (fixture->window), ==, "events");
  WAIT_FOR (showing_events (fixture->window));

  leaflet = _tn_window_get_leaflet (fixture->window);
  WAIT_FOR (adw_leaflet_get_folded (leaflet));
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "sidebar");

  /* Choosing an event in the folded window opens its page. */
  row = find_row (fixture->window, DEMO_TITLE_2);
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_activate (GTK_WIDGET (row)));
  detail = _tn_window_get_event_detail (fixture->window);
  WAIT_FOR (g_strcmp0 (adw_leaflet_get_visible_child_name (leaflet), "content") == 0);
  g_assert_cmpstr (gtk_label_get_text (_tn_event_detail_get_title_label (detail)), ==, DEMO_TITLE_2);

  /* Signing out forgets the token, here and in the file. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.sign-out", NULL));
  g_assert_cmpstr (_tn_window_get_visible_page (fixture->window), ==, "sign-in");
  g_assert_null (gtk_list_box_get_row_at_index (_tn_window_get_event_list (fixture->window), 0));
  WAIT_FOR (!token_file_exists ());
  page = _tn_window_get_sign_in_page (fixture->window);
  g_assert_cmpstr (tn_sign_in_page_get_email (page), ==, TN_DEMO_ORGANIZER_EMAIL);
  g_assert_cmpstr (tn_sign_in_page_get_password (page), ==, "");
  close_window (&fixture->window);

  /* …so the next window asks again, with the account filled in. */
  fixture->window = open_window (0);
  g_assert_cmpstr (_tn_window_get_visible_page (fixture->window), ==, "loading");
  WAIT_FOR (g_strcmp0 (_tn_window_get_visible_page (fixture->window), "loading") != 0);
  g_assert_cmpstr (_tn_window_get_visible_page (fixture->window), ==, "sign-in");
  page = _tn_window_get_sign_in_page (fixture->window);
  g_assert_cmpstr (tn_sign_in_page_get_server_url (page), ==, tn_gtk_test_server_get_url (server));
  g_assert_cmpstr (tn_sign_in_page_get_email (page), ==, TN_DEMO_ORGANIZER_EMAIL);
  g_assert_false (sign_in_error_shown (fixture->window));
}

static void
save_token_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (tn_token_store_save_finish (TN_TOKEN_STORE (source), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
save_account (Fixture    *fixture,
              const char *url,
              const char *token)
{
  gboolean done = FALSE;

  g_settings_set_string (fixture->settings, "server-url", url);
  g_settings_set_string (fixture->settings, "account-email", TN_DEMO_ORGANIZER_EMAIL);
  tn_token_store_save_async (tn_application_get_token_store (application),
                             url, TN_DEMO_ORGANIZER_EMAIL, token, NULL, save_token_cb, &done);
  WAIT_FOR (done);
}

static void
test_expired_token (Fixture       *fixture,
                    gconstpointer  data)
{
  SKIP_WITHOUT_DISPLAY ();

  save_account (fixture, tn_gtk_test_server_get_url (server), "not-a-token-the-server-knows");

  /* An earlier test left this account's replica: its events show at once,
   * until the server refuses the token. */
  fixture->window = open_window (0);
  WAIT_FOR (!_tn_window_get_busy (fixture->window) &&
            g_strcmp0 (_tn_window_get_visible_page (fixture->window), "sign-in") == 0);
  g_assert_true (sign_in_error_shown (fixture->window));
  /* The refused token is forgotten. */
  WAIT_FOR (!token_file_exists ());
}

static void
test_server_gone (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *url = unused_url ();
  AdwStatusPage *status;

  SKIP_WITHOUT_DISPLAY ();

  save_account (fixture, url, "a-token-from-earlier");

  /* The saved server does not answer: say so, and offer to try again. */
  fixture->window = open_window (0);
  WAIT_FOR (g_strcmp0 (_tn_window_get_visible_page (fixture->window), "unreachable") == 0);
  status = _tn_window_get_unreachable_page (fixture->window);
  g_assert_nonnull (strstr (adw_status_page_get_description (status), url));
  g_assert_cmpstr (gtk_label_get_text (_tn_window_get_unreachable_detail (fixture->window)), !=, "");
  /* The token may still be good once the server is back. */
  g_assert_true (token_file_exists ());

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.reconnect", NULL));
  WAIT_FOR (!_tn_window_get_busy (fixture->window));
  g_assert_cmpstr (_tn_window_get_visible_page (fixture->window), ==, "unreachable");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.sign-out", NULL));
  g_assert_cmpstr (_tn_window_get_visible_page (fixture->window), ==, "sign-in");
  WAIT_FOR (!token_file_exists ());
}

static TnEventEditor *
find_editor (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* (transfer none) */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (TN_IS_EVENT_EDITOR (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return TN_EVENT_EDITOR (window);
    }
  return NULL;
}

static gboolean
server_has_title (const char *title)
{
  g_autoptr(GPtrArray) titles = server_titles ();

  for (guint i = 0; i < titles->len; i++)
    if (g_strcmp0 (g_ptr_array_index (titles, i), title) == 0)
      return TRUE;
  return FALSE;
}

/* New Event (Ctrl+N) while the server does not answer: the event is in
 * the list at once, waits in the outbox, and reaches the server once it
 * answers again. */
static void
test_create_offline (Fixture       *fixture,
                     gconstpointer  data)
{
  static const char title[] = "Repair café, made offline";
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) start = g_date_time_add_days (now, 20);
  g_autofree char *starts = g_date_time_format (start, "%Y-%m-%d 18:00");
  g_autofree char *ends = g_date_time_format (start, "%Y-%m-%d 21:00");
  TnEventEditor *editor;

  SKIP_WITHOUT_DISPLAY ();

  fixture->window = open_window (1000);
  sign_in (fixture->window);
  WAIT_FOR (!_tn_window_get_busy (fixture->window));

  tn_gtk_test_server_pause (server);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-event", NULL));
  WAIT_FOR (find_editor () != NULL);
  editor = find_editor ();
  gtk_editable_set_text (GTK_EDITABLE (_tn_event_editor_get_field (editor, "title")), title);
  gtk_editable_set_text (GTK_EDITABLE (_tn_event_editor_get_field (editor, "starts_at")), starts);
  gtk_editable_set_text (GTK_EDITABLE (_tn_event_editor_get_field (editor, "ends_at")), ends);
  WAIT_FOR (tn_event_editor_get_valid (editor));
  g_assert_true (tn_event_editor_save (editor));

  /* in the list at once, from the replica */
  WAIT_FOR (find_row (fixture->window, title) != NULL);
  WAIT_FOR (gtk_revealer_get_reveal_child (_tn_window_get_offline_revealer (fixture->window)));

  tn_gtk_test_server_resume (server);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.refresh", NULL));
  WAIT_FOR (server_has_title (title));
  WAIT_FOR (!gtk_revealer_get_reveal_child (_tn_window_get_offline_revealer (fixture->window)));
}

/* The editor offers the server's categories (GET /categories), also
 * those no event uses yet. */
static void
test_editor_categories (Fixture       *fixture,
                        gconstpointer  data)
{
  TnEventEditor *editor;
  GListModel *names;
  gboolean business = FALSE;

  SKIP_WITHOUT_DISPLAY ();

  fixture->window = open_window (1000);
  sign_in (fixture->window);
  WAIT_FOR (!_tn_window_get_busy (fixture->window));
  WAIT_FOR (_tn_window_get_server_categories (fixture->window) != NULL);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-event", NULL));
  WAIT_FOR (find_editor () != NULL);
  editor = find_editor ();
  names = adw_combo_row_get_model (ADW_COMBO_ROW (_tn_event_editor_get_field (editor, "category")));
  for (guint i = 0; i < g_list_model_get_n_items (names); i++)
    {
      const char *name = gtk_string_list_get_string (GTK_STRING_LIST (names), i);

      /* one of the server's, and no demo event has it */
      business |= g_strcmp0 (name, "Business") == 0;
    }
  g_assert_true (business);
  gtk_window_destroy (GTK_WINDOW (editor));
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* (transfer none) */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return GTK_WINDOW (window);
    }
  return NULL;
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

typedef enum
{
  EDIT_CONFLICTED,
  EDIT_REFUSED,
  DELETE_CONFLICTED,
} Decision;

/* Leaves a change of OWN_TITLE (an event of the demo organizer) in the
 * account's replica as the sync engine leaves one the server answered
 * 409 or 422 to: it waits for the organizer and is not sent again. */
static void
leave_decision (const char *path,
                Decision    decision)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEventReplica) replica = tn_event_replica_open_path (path, &error);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(TnEvent) server_copy = NULL;
  const char *entry_id;
  TnEvent *event = NULL;

  g_assert_no_error (error);
  events = tn_event_replica_list (replica, FALSE, "rust night", g_get_real_time () / G_USEC_PER_SEC);
  g_assert_cmpuint (events->len, ==, 1);
  event = events->pdata[0];
  server_copy = tn_event_copy (event);
  if (decision == DELETE_CONFLICTED)
    g_assert_true (tn_event_replica_delete (replica, tn_event_get_id (event), &error));
  else
    {
      tn_event_set_title (event, "Mine: async without tears");
      g_assert_true (tn_event_replica_update (replica, event, NULL, &error));
    }
  g_assert_no_error (error);
  entries = tn_event_replica_outbox_list (replica);
  g_assert_cmpuint (entries->len, ==, 1);
  entry_id = ((TnEventMutation *) entries->pdata[0])->id;
  if (decision == EDIT_REFUSED)
    g_assert_true (tn_event_replica_outbox_reject (replica, entry_id, "Title: too long", &error));
  else
    {
      /* someone else changed the event on the server meanwhile */
      g_autoptr(TnClient) other = tn_gtk_test_sign_in (tn_gtk_test_server_get_url (server));
      g_autoptr(TnEvent) stored = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_autofree char *description = g_strdup_printf ("Theirs: bring a laptop (%d).", decision);

      tn_event_set_description (server_copy, description);
      tn_client_update_event_async (other, server_copy, NULL, store_result, &result);
      WAIT_FOR (result != NULL);
      stored = tn_client_event_finish (other, result, &error);
      g_assert_no_error (error);
      g_assert_true (tn_event_replica_outbox_conflict (replica, entry_id, stored, &error));
    }
  g_assert_no_error (error);
}

/* A conflicted or refused change the organizer did not decide on stays
 * in the outbox; a line above the list says so, also after a restart,
 * and Review… offers it again. */
static void
test_decisions (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  GtkRevealer *revealer;
  GtkWindow *dialog;
  gpointer weak;

  SKIP_WITHOUT_DISPLAY ();

  fixture->window = open_window (1000);
  sign_in (fixture->window);
  WAIT_FOR (!_tn_window_get_busy (fixture->window) && find_row (fixture->window, OWN_TITLE) != NULL);
  g_assert_false (gtk_revealer_get_reveal_child (_tn_window_get_decision_revealer (fixture->window)));
  path = g_strdup (tn_event_replica_get_path (_tn_window_get_replica (fixture->window)));
  close_window (&fixture->window);

  /* a conflict left from an earlier run */
  leave_decision (path, EDIT_CONFLICTED);
  fixture->window = open_window (1000);
  revealer = _tn_window_get_decision_revealer (fixture->window);
  WAIT_FOR (gtk_revealer_get_reveal_child (revealer));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_widget_get_first_child (gtk_revealer_get_child (revealer)))),
                   ==, "1 change needs your decision.");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.review-changes", NULL));
  WAIT_FOR ((dialog = find_toplevel (TN_TYPE_CONFLICT_DIALOG)) != NULL);
  g_assert_cmpstr (_tn_conflict_dialog_get_value (TN_CONFLICT_DIALOG (dialog), "title", TRUE), ==, "Mine: async without tears");
  g_assert_cmpstr (_tn_conflict_dialog_get_value (TN_CONFLICT_DIALOG (dialog), "title", FALSE), ==, OWN_TITLE);
  g_assert_cmpstr (_tn_conflict_dialog_get_value (TN_CONFLICT_DIALOG (dialog), "description", FALSE), ==,
                   "Theirs: bring a laptop (0).");
  /* closed without a choice: still waiting, and offered again */
  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  gtk_window_destroy (dialog);
  WAIT_FOR (weak == NULL);
  g_assert_true (gtk_revealer_get_reveal_child (revealer));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.review-changes", NULL));
  WAIT_FOR ((dialog = find_toplevel (TN_TYPE_CONFLICT_DIALOG)) != NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "conflict.keep-theirs", NULL));
  WAIT_FOR (!gtk_revealer_get_reveal_child (revealer));
  /* the server's version, in the list and in the replica */
  WAIT_FOR (find_row (fixture->window, OWN_TITLE) != NULL);
  g_assert_null (find_row (fixture->window, "Mine: async without tears"));
  close_window (&fixture->window);

  /* a change the server refused: its reason, and Discard */
  leave_decision (path, EDIT_REFUSED);
  fixture->window = open_window (1000);
  revealer = _tn_window_get_decision_revealer (fixture->window);
  WAIT_FOR (gtk_revealer_get_reveal_child (revealer));
  g_assert_nonnull (find_row (fixture->window, "Mine: async without tears"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.review-changes", NULL));
  WAIT_FOR ((dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "Title: too long"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "theirs");   /* as its button does, */
  gtk_window_destroy (dialog);                                              /* which closes it too */
  WAIT_FOR (!gtk_revealer_get_reveal_child (revealer));
  WAIT_FOR (find_row (fixture->window, OWN_TITLE) != NULL);
  g_assert_null (find_row (fixture->window, "Mine: async without tears"));
  close_window (&fixture->window);

  /* deleted here, changed there: delete anyway or keep it */
  leave_decision (path, DELETE_CONFLICTED);
  fixture->window = open_window (1000);
  revealer = _tn_window_get_decision_revealer (fixture->window);
  WAIT_FOR (gtk_revealer_get_reveal_child (revealer));
  g_assert_null (find_row (fixture->window, OWN_TITLE));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.review-changes", NULL));
  WAIT_FOR ((dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "Deleted Event Was Changed");
  g_assert_true (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (dialog), "mine"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "theirs");   /* as its button does, */
  gtk_window_destroy (dialog);                                              /* which closes it too */
  WAIT_FOR (!gtk_revealer_get_reveal_child (revealer));
  WAIT_FOR (find_row (fixture->window, OWN_TITLE) != NULL);
  g_assert_true (server_has_title (OWN_TITLE));
}

static AdwAboutWindow *
find_about_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_ABOUT_WINDOW (toplevel))
        return ADW_ABOUT_WINDOW (toplevel);
    }
  return NULL;
}

/* The About window (app.about) shows the application's icon, which the
 * icon theme has (from the app's resources when it is not installed),
 * and the version. */
static void
test_about (Fixture       *fixture,
            gconstpointer  data)
{
  AdwAboutWindow *about;
  GtkIconTheme *theme;

  SKIP_WITHOUT_DISPLAY ();

  fixture->window = open_window (1000);
  g_assert_null (find_about_window ());
  g_action_group_activate_action (G_ACTION_GROUP (application), "about", NULL);
  WAIT_FOR (find_about_window () != NULL);
  about = find_about_window ();
  theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (about)));
  g_assert_cmpstr (adw_about_window_get_application_icon (about), ==, APPLICATION_ID);
  g_assert_true (gtk_icon_theme_has_icon (theme, APPLICATION_ID));
  g_assert_true (gtk_icon_theme_has_icon (theme, APPLICATION_ID "-symbolic"));
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (about)) == GTK_WINDOW (fixture->window));
  gtk_window_destroy (GTK_WINDOW (about));
  WAIT_FOR (find_about_window () == NULL);
}

/* Every icon the app's interface names is in the icon theme or among
 * the app's own (a missing one draws as a broken image). */
static void
test_icons (Fixture       *fixture,
            gconstpointer  data)
{
  static const char * const in_code[] = {
    "document-edit-symbolic", "network-offline-symbolic", "network-transmit-receive-symbolic",
    "user-trash-symbolic", "x-office-calendar-symbolic", NULL,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) icon_name = g_regex_new ("<property name=\"icon-name\">([^<]+)</property>", 0, 0, &error);
  GtkIconTheme *theme;
  guint checked = 0;
  const char *dirs[] = { "/org/turnout/Turnout/", "/org/turnout/Turnout/gtk/" };

  SKIP_WITHOUT_DISPLAY ();

  g_assert_no_error (error);
  fixture->window = open_window (1000);
  theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (fixture->window)));
  for (guint d = 0; d < G_N_ELEMENTS (dirs); d++)
    {
      g_auto(GStrv) names = g_resources_enumerate_children (dirs[d], 0, &error);

      g_assert_no_error (error);
      for (guint i = 0; names[i] != NULL; i++)
        {
          g_autofree char *path = g_strconcat (dirs[d], names[i], NULL);
          g_autoptr(GBytes) ui = NULL;
          g_autoptr(GMatchInfo) match = NULL;

          if (!g_str_has_suffix (names[i], ".ui"))
            continue;
          ui = g_resources_lookup_data (path, 0, &error);
          g_assert_no_error (error);
          g_regex_match (icon_name, g_bytes_get_data (ui, NULL), 0, &match);
          for (; g_match_info_matches (match); g_match_info_next (match, NULL))
            {
              g_autofree char *name = g_match_info_fetch (match, 1);

              if (!gtk_icon_theme_has_icon (theme, name))
                g_error ("%s names the icon %s, which the theme does not have", path, name);
              checked++;
            }
        }
    }
  for (guint i = 0; in_code[i] != NULL; i++)
    g_assert_true (gtk_icon_theme_has_icon (theme, in_code[i]));
  g_assert_cmpuint (checked, >, 10);
  g_assert_true (gtk_icon_theme_has_icon (theme, "turnout-dashboard-symbolic"));
}

/* Down to 360 pixels wide the window folds to the list, every control of
 * it in reach. */
static void
test_narrow (Fixture       *fixture,
             gconstpointer  data)
{
  SKIP_WITHOUT_DISPLAY ();

  fixture->window = open_window (360);
  sign_in (fixture->window);
  WAIT_FOR (!_tn_window_get_busy (fixture->window) && showing_events (fixture->window));
  WAIT_FOR (gtk_widget_get_width (GTK_WIDGET (fixture->window)) > 0);
  WAIT_FOR (adw_leaflet_get_folded (_tn_window_get_leaflet (fixture->window)));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=, 360);
}

/* The filters above the list: words searched, a category, a tag, how
 * soon, past events. */
static void
test_filters (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) found = NULL;
  GtkDropDown *categories;
  GtkDropDown *tags;
  GListModel *names;
  GtkListBox *list;
  guint music = G_MAXUINT;
  guint outdoors = G_MAXUINT;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  SKIP_WITHOUT_DISPLAY ();

  fixture->window = open_window (1000);
  sign_in (fixture->window);
  WAIT_FOR (!_tn_window_get_busy (fixture->window));
  all = shown_titles (fixture->window);
  list = _tn_window_get_event_list (fixture->window);

  /* words: case and accents do not matter */
  gtk_editable_set_text (GTK_EDITABLE (_tn_window_get_search_entry (fixture->window)), "cafe philosophique");
  WAIT_FOR (shown_count (fixture->window) == 1);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = shown_titles (fixture->window);
  g_assert_cmpstr (g_ptr_array_index (found, 0), ==, DEMO_TITLE);
  gtk_editable_set_text (GTK_EDITABLE (_tn_window_get_search_entry (fixture->window)), "");
  WAIT_FOR (shown_count (fixture->window) == all->len);

  /* a category: every row shown is of it, and fewer than all */
  categories = _tn_window_get_category_dropdown (fixture->window);
  names = gtk_drop_down_get_model (categories);
  for (guint i = 0; i < g_list_model_get_n_items (names); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (names), i), "Music") == 0)
      music = i;
  g_assert_cmpuint (music, !=, G_MAXUINT);
  gtk_drop_down_set_selected (categories, music);
  WAIT_FOR (shown_count (fixture->window) < all->len);
  g_assert_cmpuint (shown_count (fixture->window), >, 0);
  for (GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, 0); row != NULL;
       row = gtk_list_box_get_row_at_index (list, gtk_list_box_row_get_index (row) + 1))
    g_assert_cmpstr (tn_event_get_category (tn_event_row_get_event (TN_EVENT_ROW (row))), ==, "Music");
  gtk_drop_down_set_selected (categories, 0);
  WAIT_FOR (shown_count (fixture->window) == all->len);

  /* a tag: only the events that have it ("outdoors": three demo events,
   * not all of them upcoming-and-shown necessarily, but at least one) */
  tags = _tn_window_get_tag_dropdown (fixture->window);
  names = gtk_drop_down_get_model (tags);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (names), 0), ==, "All tags");
  for (guint i = 0; i < g_list_model_get_n_items (names); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (names), i), "outdoors") == 0)
      outdoors = i;
  g_assert_cmpuint (outdoors, !=, G_MAXUINT);
  gtk_drop_down_set_selected (tags, outdoors);
  WAIT_FOR (shown_count (fixture->window) < all->len);
  g_assert_cmpuint (shown_count (fixture->window), >, 0);
  for (GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, 0); row != NULL;
       row = gtk_list_box_get_row_at_index (list, gtk_list_box_row_get_index (row) + 1))
    g_assert_true (g_strv_contains (tn_event_get_tags (tn_event_row_get_event (TN_EVENT_ROW (row))), "outdoors"));
  /* with a category none of them has: nothing, and the empty page */
  for (guint i = 0; i < g_list_model_get_n_items (gtk_drop_down_get_model (categories)); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (gtk_drop_down_get_model (categories)), i), "Tech") == 0)
      gtk_drop_down_set_selected (categories, i);
  WAIT_FOR (g_strcmp0 (_tn_window_get_list_page (fixture->window), "empty") == 0);
  gtk_drop_down_set_selected (categories, 0);
  gtk_drop_down_set_selected (tags, 0);
  WAIT_FOR (shown_count (fixture->window) == all->len);

  /* this week only */
  gtk_drop_down_set_selected (_tn_window_get_span_dropdown (fixture->window), 1);
  WAIT_FOR (shown_count (fixture->window) < all->len);
  for (GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, 0); row != NULL;
       row = gtk_list_box_get_row_at_index (list, gtk_list_box_row_get_index (row) + 1))
    g_assert_cmpint (tn_event_get_starts_at (tn_event_row_get_event (TN_EVENT_ROW (row))), <=, now + 7 * 86400);
  gtk_drop_down_set_selected (_tn_window_get_span_dropdown (fixture->window), 0);

  /* past events: none of them still to come; the list changes at once
   * (from the replica), not at the next sync */
  gtk_toggle_button_set_active (_tn_window_get_past_button (fixture->window), TRUE);
  g_assert_true (shown_count (fixture->window) != all->len ||
                 g_strcmp0 (_tn_window_get_list_page (fixture->window), "empty") == 0);
  for (GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, 0); row != NULL;
       row = gtk_list_box_get_row_at_index (list, gtk_list_box_row_get_index (row) + 1))
    g_assert_cmpint (tn_event_get_ends_at (tn_event_row_get_event (TN_EVENT_ROW (row))), <, now + 60);
}

/* The account's replica keeps the app usable without the server: the
 * events show at once from it, a line says the app is offline, and it
 * goes away when the server answers again. */
static void
test_offline_replica (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) online = NULL;
  g_autoptr(GPtrArray) offline = NULL;
  GtkRevealer *revealer;

  SKIP_WITHOUT_DISPLAY ();

  fixture->window = open_window (1000);
  sign_in (fixture->window);
  WAIT_FOR (!_tn_window_get_busy (fixture->window));
  online = shown_titles (fixture->window);
  g_assert_cmpuint (online->len, >, 0);
  close_window (&fixture->window);

  /* The server stops answering (its connections stay open). */
  tn_gtk_test_server_pause (server);

  fixture->window = open_window (1000);
  WAIT_FOR (g_strcmp0 (_tn_window_get_visible_page (fixture->window), "events") == 0);
  /* at once: the server has not answered who the token belongs to */
  g_assert_true (_tn_window_get_busy (fixture->window));
  offline = shown_titles (fixture->window);
  g_assert_cmpuint (offline->len, ==, online->len);
  for (guint i = 0; i < online->len; i++)
    g_assert_cmpstr (g_ptr_array_index (offline, i), ==, g_ptr_array_index (online, i));
  revealer = _tn_window_get_offline_revealer (fixture->window);
  WAIT_FOR (gtk_revealer_get_reveal_child (revealer));

  tn_gtk_test_server_resume (server);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.refresh", NULL));
  WAIT_FOR (!gtk_revealer_get_reveal_child (revealer));
  g_assert_cmpstr (_tn_window_get_visible_page (fixture->window), ==, "events");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  work_dir = tn_gtk_test_isolate ("turnout-test-gtk");

  g_test_init (&argc, &argv, NULL);

  g_test_add ("/gtk/window/sign-in-shows-events", Fixture, NULL,
              fixture_set_up, test_sign_in_shows_events, fixture_tear_down);
  g_test_add ("/gtk/window/wrong-password", Fixture, NULL,
              fixture_set_up, test_wrong_password, fixture_tear_down);
  g_test_add ("/gtk/window/unreachable-server", Fixture, NULL,
              fixture_set_up, test_unreachable_server, fixture_tear_down);
  g_test_add ("/gtk/window/saved-sign-in", Fixture, NULL,
              fixture_set_up, test_saved_sign_in, fixture_tear_down);
  g_test_add ("/gtk/window/expired-token", Fixture, NULL,
              fixture_set_up, test_expired_token, fixture_tear_down);
  g_test_add ("/gtk/window/server-gone", Fixture, NULL,
              fixture_set_up, test_server_gone, fixture_tear_down);
  g_test_add ("/gtk/window/narrow", Fixture, NULL,
              fixture_set_up, test_narrow, fixture_tear_down);
  g_test_add ("/gtk/window/create-offline", Fixture, NULL,
              fixture_set_up, test_create_offline, fixture_tear_down);
  g_test_add ("/gtk/window/editor-categories", Fixture, NULL,
              fixture_set_up, test_editor_categories, fixture_tear_down);
  g_test_add ("/gtk/window/decisions", Fixture, NULL,
              fixture_set_up, test_decisions, fixture_tear_down);
  g_test_add ("/gtk/window/about", Fixture, NULL,
              fixture_set_up, test_about, fixture_tear_down);
  g_test_add ("/gtk/window/icons", Fixture, NULL,
              fixture_set_up, test_icons, fixture_tear_down);
  g_test_add ("/gtk/window/filters", Fixture, NULL,
              fixture_set_up, test_filters, fixture_tear_down);
  g_test_add ("/gtk/window/offline-replica", Fixture, NULL,
              fixture_set_up, test_offline_replica, fixture_tear_down);

  if (have_display ())
    {
      application = tn_application_new ();
      g_application_set_flags (G_APPLICATION (application), G_APPLICATION_NON_UNIQUE);
      g_application_register (G_APPLICATION (application), NULL, &error);
      g_assert_no_error (error);
      g_autofree char *server_dir = g_build_filename (work_dir, "server", NULL);

      server = tn_gtk_test_server_new (server_dir);
      tn_gtk_test_server_start (server);
    }

  status = g_test_run ();

  if (application != NULL)
    {
      g_clear_pointer (&server, tn_gtk_test_server_free);
      g_clear_object (&application);
    }
  tn_gtk_test_remove_tree (work_dir);
  g_free (work_dir);

  return status;
}
