/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "tn-client.h"
#include "tn-tui-config.h"
#include "tui-harness.h"

/* turnout-door's staff side as a user sees it: a real turnout-server
 * (--demo, over a fresh SQLite file, on a free port) and the door app in
 * a detached tmux session of 80×24 (tui-harness.c). */

#define DEMO_PASSWORD   TUI_DEMO_PASSWORD
#define MEMBER_EMAIL    TUI_MEMBER_EMAIL
#define ORGANIZER_EMAIL TUI_ORGANIZER_EMAIL

#define BERLIN "Europe/Berlin"

typedef TuiFixture Fixture;

static TuiServer test_server;

#define wait_for_text       tui_wait_for_text
#define wait_for_screen     tui_wait_for_screen
#define send_keys           tui_send_keys
#define send_text           tui_send_text
#define screen_line         tui_screen_line
#define assert_door_exits   tui_assert_door_exits
#define have_tmux           tui_have_tmux
#define start_door          tui_start_door
#define resize              tui_resize
#define has_color           tui_has_color
#define fixture_setup       tui_fixture_setup
#define fixture_teardown    tui_fixture_teardown

static void
start_door_full (Fixture    *fixture,
                 const char *url,
                 const char *tz,
                 gboolean    no_color)
{
  tui_start_door_full (fixture, url, tz, no_color, NULL);
}

/* Without a stored token the door offers pairing first; Ctrl-T goes to
 * the staff sign-in. */
static void
sign_in_by_keys (Fixture    *fixture,
                 const char *email,
                 const char *password)
{
  g_assert_true (wait_for_text (fixture, "Pair this door", "Pairing code", NULL));
  send_keys (fixture, "C-t", NULL);
  g_assert_true (wait_for_text (fixture, "Sign in to your Turnout server", "E-mail", "Password", NULL));
  send_text (fixture, email);
  send_keys (fixture, "Tab", NULL);
  send_text (fixture, password);
  send_keys (fixture, "Enter", NULL);
}

/* --- the API, to know what the door should show -------------------------- */

typedef struct
{
  GAsyncResult *result;
} Waiter;

static void
waiter_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Waiter *waiter = user_data;

  waiter->result = g_object_ref (result);
}

static GAsyncResult *
wait_result (Waiter *waiter)
{
  while (waiter->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return waiter->result;
}

/* Signs in as @email; returns the client holding the token. */
static TnClient *
api_sign_in (const char  *email,
             TnUser     **out_user)
{
  g_autoptr(TnClient) client = tn_client_new (test_server.url);
  g_autoptr(GError) error = NULL;
  g_autoptr(TnUser) user = NULL;
  Waiter waiter = { NULL };

  tn_client_login_async (client, email, DEMO_PASSWORD, NULL, waiter_cb, &waiter);
  user = tn_client_login_finish (client, wait_result (&waiter), &error);
  g_clear_object (&waiter.result);
  g_assert_no_error (error);
  g_assert_nonnull (tn_client_get_token (client));

  if (out_user != NULL)
    *out_user = g_steal_pointer (&user);
  return g_steal_pointer (&client);
}

/* The events the door lists: upcoming ones, first page, by start. */
static GPtrArray *
api_upcoming_events (TnClient  *client,
                     gboolean  *more)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *next_cursor = NULL;
  GPtrArray *events;
  TnEventFilter filter = { 0 };
  Waiter waiter = { NULL };

  filter.from = g_get_real_time () / G_USEC_PER_SEC;
  tn_client_list_events_async (client, &filter, NULL, waiter_cb, &waiter);
  events = tn_client_list_events_finish (client, wait_result (&waiter), &next_cursor, &error);
  g_clear_object (&waiter.result);
  g_assert_no_error (error);
  g_assert_nonnull (events);
  *more = next_cursor != NULL;
  return events;
}

static void
store_token (Fixture    *fixture,
             const char *token)
{
  g_autoptr(GError) error = NULL;

  tn_tui_config_save_token (fixture->config_dir, test_server.url, token, &error);
  g_assert_no_error (error);
}

/* A title as it can be found on screen: its beginning, which fits any
 * column it is shown in at 80 columns. */
static char *
title_prefix (TnEvent *event,
              glong    chars)
{
  const char *title = tn_event_get_title (event);

  return g_utf8_substring (title, 0, MIN (chars, g_utf8_strlen (title, -1)));
}

/* --- tests --------------------------------------------------------------- */

static void
test_sign_in_wrong_password (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *token_path = g_build_filename (fixture->config_dir, "door-token", NULL);

  if (!have_tmux ())
    return;

  start_door (fixture, test_server.url, "UTC");
  sign_in_by_keys (fixture, MEMBER_EMAIL, "not-the-password");
  g_assert_true (wait_for_text (fixture, "Wrong e-mail address or password.", "Sign in to your Turnout server", NULL));
  g_assert_false (g_file_test (token_path, G_FILE_TEST_EXISTS));

  /* The e-mail stays, the password field is empty: a second try needs
   * only the password. */
  g_assert_nonnull (strstr (fixture->screen, MEMBER_EMAIL));
  send_text (fixture, DEMO_PASSWORD);
  send_keys (fixture, "Enter", NULL);
  g_assert_true (wait_for_text (fixture, "Upcoming events", NULL));

  send_keys (fixture, "q", NULL);
  assert_door_exits (fixture);
}

static void
test_sign_in (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *token_path = g_build_filename (fixture->config_dir, "door-token", NULL);
  g_autofree char *ini_path = g_build_filename (fixture->config_dir, "door.ini", NULL);
  g_autofree char *ini = NULL;
  g_autofree char *first = NULL;
  g_autofree char *status_line = NULL;
  g_autoptr(TnClient) client = NULL;
  g_autoptr(TnUser) user = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *stored = NULL;
  GStatBuf st;
  gboolean more;

  if (!have_tmux ())
    return;

  client = api_sign_in (MEMBER_EMAIL, &user);
  events = api_upcoming_events (client, &more);
  g_assert_cmpuint (events->len, >, 3);
  first = title_prefix (g_ptr_array_index (events, 0), 30);

  start_door (fixture, test_server.url, "UTC");
  sign_in_by_keys (fixture, MEMBER_EMAIL, DEMO_PASSWORD);
  g_assert_true (wait_for_text (fixture, "Upcoming events", first, NULL));

  /* The status line names the keys, the user (UTF-8) and the server;
   * the keys come first, so the server may be cut short at 80 columns. */
  status_line = screen_line (fixture, fixture->height - 1);
  g_test_message ("status line: %s", status_line);
  g_assert_nonnull (strstr (status_line, "q quit"));
  g_assert_nonnull (strstr (status_line, tn_user_get_name (user)));
  {
    const char *server = strstr (test_server.url, "://") + 3;
    const char *on = strstr (status_line, " on ");

    g_assert_nonnull (on);
    on += strlen (" on ");
    g_assert_true (strncmp (on, server, strlen (server)) == 0 ||
                   (g_str_has_suffix (g_strchomp (status_line), "…") &&
                    strncmp (on, server, strlen (on) - strlen ("…")) == 0));
  }

  /* The token is kept for the next start, readable by its owner only. */
  g_assert_cmpint (g_stat (token_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  stored = tn_tui_config_load_token (fixture->config_dir, test_server.url, NULL);
  g_assert_nonnull (stored);
  g_assert_true (g_file_get_contents (ini_path, &ini, NULL, NULL));
  g_assert_nonnull (strstr (ini, test_server.url));
  g_assert_null (strstr (ini, stored));

  send_keys (fixture, "q", NULL);
  assert_door_exits (fixture);
}

static void
test_stored_token (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(TnClient) client = NULL;
  g_autoptr(TnUser) user = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *first = NULL;
  gboolean more;

  if (!have_tmux ())
    return;

  client = api_sign_in (ORGANIZER_EMAIL, &user);
  events = api_upcoming_events (client, &more);
  first = title_prefix (g_ptr_array_index (events, 0), 30);
  store_token (fixture, tn_client_get_token (client));

  /* No keys typed: the stored token signs in. */
  start_door (fixture, test_server.url, "UTC");
  g_assert_true (wait_for_text (fixture, "Upcoming events", first, tn_user_get_name (user), NULL));

  send_keys (fixture, "q", NULL);
  assert_door_exits (fixture);
}

static void
test_revoked_token (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *token_path = g_build_filename (fixture->config_dir, "door-token", NULL);

  if (!have_tmux ())
    return;

  store_token (fixture, "tn1_this-token-was-never-issued");
  start_door (fixture, test_server.url, "UTC");
  g_assert_true (wait_for_text (fixture, "The stored sign-in is no longer valid",
                                "Sign in to your Turnout server", NULL));
  g_assert_false (g_file_test (token_path, G_FILE_TEST_EXISTS));

  send_keys (fixture, "Escape", NULL);
  assert_door_exits (fixture);
}

static gboolean
title_and_position_check (Fixture      *fixture,
                          const char   *screen,
                          gconstpointer data)
{
  const char * const *needles = data;

  return strstr (screen, needles[0]) != NULL && strstr (screen, needles[1]) != NULL;
}

static char *
format_in_zone (gint64      when,
                const char *zone,
                const char *format)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (zone);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (when);
  g_autoptr(GDateTime) local = NULL;

  g_assert_nonnull (tz);
  local = g_date_time_to_timezone (utc, tz);
  return g_date_time_format (local, format);
}

static void
assert_details_of (Fixture *fixture,
                   TnEvent *event)
{
  g_autofree char *title = title_prefix (event, 40);
  g_autofree char *start = format_in_zone (tn_event_get_starts_at (event), BERLIN, "%H:%M");
  const char *location = tn_event_get_location (event);

  g_assert_true (wait_for_text (fixture, "Event details", title, "When", start, NULL));
  if (location != NULL && location[0] != '\0')
    {
      g_autofree char *where = g_utf8_substring (location, 0, MIN (30, g_utf8_strlen (location, -1)));

      g_assert_nonnull (strstr (fixture->screen, where));
    }
  if (tn_event_get_category (event) != NULL)
    g_assert_nonnull (strstr (fixture->screen, tn_event_get_category (event)));
}

static void
test_list_and_details (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(TnClient) client = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *first = NULL;
  g_autofree char *fourth_position = NULL;
  g_autofree char *last_position = NULL;
  g_autofree char *fourth_title = NULL;
  const char *needles[3];
  gboolean more;
  TnEvent *fourth;

  if (!have_tmux ())
    return;
  if (!g_file_test ("/usr/share/zoneinfo/" BERLIN, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("tzdata is not installed");
      return;
    }

  client = api_sign_in (MEMBER_EMAIL, NULL);
  events = api_upcoming_events (client, &more);
  g_assert_cmpuint (events->len, >=, 5);
  store_token (fixture, tn_client_get_token (client));
  first = title_prefix (g_ptr_array_index (events, 0), 30);
  fourth = g_ptr_array_index (events, 3);

  /* Times are shown in local time: Berlin is never UTC. */
  start_door (fixture, test_server.url, BERLIN);
  g_assert_true (wait_for_text (fixture, "Upcoming events (1 of", first, NULL));
  {
    g_autofree char *start = format_in_zone (tn_event_get_starts_at (g_ptr_array_index (events, 0)),
                                             BERLIN, "%H:%M");
    g_autofree char *row = screen_line (fixture, 2);

    g_assert_nonnull (strstr (row, start));
  }

  /* Three down (arrow, j, arrow), then open. */
  send_keys (fixture, "Down", "j", "Down", NULL);
  fourth_position = g_strdup_printf ("Upcoming events (4 of %u", events->len);
  g_assert_true (wait_for_text (fixture, fourth_position, NULL));
  send_keys (fixture, "Enter", NULL);
  assert_details_of (fixture, fourth);

  /* Back keeps the selection. */
  send_keys (fixture, "Escape", NULL);
  fourth_title = title_prefix (fourth, 30);
  needles[0] = fourth_position;
  needles[1] = fourth_title;
  needles[2] = NULL;
  g_assert_true (wait_for_screen (fixture, title_and_position_check, needles, "the list again"));
  g_assert_null (strstr (fixture->screen, "Event details"));

  /* The last one, past the first screenful; q goes back from details. */
  if (!more)
    {
      send_keys (fixture, "End", NULL);
      last_position = g_strdup_printf ("Upcoming events (%u of %u)", events->len, events->len);
      g_assert_true (wait_for_text (fixture, last_position, NULL));
      send_keys (fixture, "Enter", NULL);
      assert_details_of (fixture, g_ptr_array_index (events, events->len - 1));
      send_keys (fixture, "q", NULL);
      g_assert_true (wait_for_text (fixture, last_position, NULL));
    }

  /* Up from the top stays at the top. */
  send_keys (fixture, "Home", "Up", "k", NULL);
  g_assert_true (wait_for_text (fixture, "Upcoming events (1 of", NULL));

  /* Help, and back. */
  send_keys (fixture, "?", NULL);
  g_assert_true (wait_for_text (fixture, "Keys", NULL));
  /* One help for every screen: the list's keys may be a page or two
   * down. */
  for (guint page = 0; page < 6 && strstr (tui_capture (fixture), "Refresh the list from the server") == NULL; page++)
    {
      send_keys (fixture, "NPage", NULL);
      g_usleep (100 * 1000);
    }
  g_assert_true (wait_for_text (fixture, "Keys", "Refresh the list from the server", NULL));
  send_keys (fixture, "Escape", NULL);
  g_assert_true (wait_for_text (fixture, "Upcoming events (1 of", NULL));

  send_keys (fixture, "q", NULL);
  assert_door_exits (fixture);
}

typedef struct
{
  int         height;
  const char *last_line;   /* what the last line starts with */
  const char *also;        /* (nullable) somewhere on screen */
} SizeCheck;

static gboolean
size_check (Fixture      *fixture,
            const char   *screen,
            gconstpointer data)
{
  const SizeCheck *check = data;
  g_auto(GStrv) lines = g_strsplit (screen, "\n", -1);
  guint n = g_strv_length (lines);

  /* capture-pane ends the last line with a newline too */
  if (n > 0 && lines[n - 1][0] == '\0')
    n--;
  if ((int) n != check->height)
    return FALSE;
  if (!g_str_has_prefix (lines[n - 1], check->last_line))
    return FALSE;
  return check->also == NULL || strstr (screen, check->also) != NULL;
}

static void
test_resize (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(TnClient) client = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *first = NULL;
  g_autofree char *later = NULL;
  SizeCheck check;
  gboolean more;

  if (!have_tmux ())
    return;

  client = api_sign_in (MEMBER_EMAIL, NULL);
  events = api_upcoming_events (client, &more);
  /* At 80×24 the list shows 20 rows; at 100×30, 26. */
  g_assert_cmpuint (events->len, >=, 26);
  store_token (fixture, tn_client_get_token (client));
  first = title_prefix (g_ptr_array_index (events, 0), 25);
  later = title_prefix (g_ptr_array_index (events, 24), 25);

  start_door (fixture, test_server.url, "UTC");
  check = (SizeCheck) { 24, " Enter open", first };
  g_assert_true (wait_for_screen (fixture, size_check, &check, "the list at 80×24"));
  g_assert_null (strstr (fixture->screen, later));

  /* Larger: more rows, and the status line moves to the new bottom. */
  resize (fixture, 100, 30);
  check = (SizeCheck) { 30, " Enter open", later };
  g_assert_true (wait_for_screen (fixture, size_check, &check, "the list at 100×30"));

  /* Smaller than 80×24: still a header, rows and a status line. */
  resize (fixture, 40, 10);
  check = (SizeCheck) { 10, " Enter open", "Turnout door" };
  g_assert_true (wait_for_screen (fixture, size_check, &check, "the list at 40×10"));

  /* Too small for anything: it says so instead of drawing garbage. */
  resize (fixture, 16, 4);
  check = (SizeCheck) { 4, "", "Terminal too" };
  g_assert_true (wait_for_screen (fixture, size_check, &check, "the too-small notice"));

  /* And back, with the keys still working. */
  resize (fixture, 80, 24);
  check = (SizeCheck) { 24, " Enter open", first };
  g_assert_true (wait_for_screen (fixture, size_check, &check, "the list at 80×24 again"));
  send_keys (fixture, "Enter", NULL);
  g_assert_true (wait_for_text (fixture, "Event details", first, NULL));
  send_keys (fixture, "Escape", "q", NULL);
  assert_door_exits (fixture);
}

/* The first line with its attributes, as SGR escape sequences. */
static char *
capture_header (Fixture *fixture)
{
  return tui_capture_escapes (fixture, 0, 0);
}

static void
test_colors (Fixture       *fixture,
             gconstpointer  data)
{
  gboolean no_color = GPOINTER_TO_INT (data);
  g_autoptr(TnClient) client = NULL;
  g_autofree char *header = NULL;

  if (!have_tmux ())
    return;

  client = api_sign_in (MEMBER_EMAIL, NULL);
  store_token (fixture, tn_client_get_token (client));
  start_door_full (fixture, test_server.url, "UTC", no_color);
  g_assert_true (wait_for_text (fixture, "Upcoming events (1 of", NULL));

  header = capture_header (fixture);
  g_test_message ("header: %s", header);
  if (no_color)
    {
      /* NO_COLOR: no colour at all, and the header still stands out. */
      g_assert_false (has_color (header));
      g_assert_true (g_regex_match_simple ("\\x1b\\[([0-9;]*;)?7(;[0-9;]*)?m", header, 0, 0));
    }
  else
    {
      g_assert_true (has_color (header));
    }

  send_keys (fixture, "q", NULL);
  assert_door_exits (fixture);
}

static void
test_unreachable (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  guint16 port;

  if (!have_tmux ())
    return;

  /* A port that was free a moment ago and that nobody listens on. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  url = g_strdup_printf ("http://127.0.0.1:%u", port);

  start_door (fixture, url, "UTC");
  sign_in_by_keys (fixture, MEMBER_EMAIL, DEMO_PASSWORD);
  g_assert_true (wait_for_text (fixture, "Cannot reach the server at", "Sign in to your Turnout server", NULL));

  send_keys (fixture, "Escape", NULL);
  assert_door_exits (fixture);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *server_dir = NULL;
  int result;

  tui_init (&argc, &argv);
  server_dir = g_build_filename (tui_root_dir (), "server", NULL);
  if (!tui_server_start (&test_server, server_dir, NULL, &error))
    {
      tui_server_clear (&test_server);
      tui_cleanup ();
      g_error ("%s", error->message);
    }

  g_test_add ("/tui/sign-in", Fixture, NULL, fixture_setup, test_sign_in, fixture_teardown);
  g_test_add ("/tui/sign-in/wrong-password", Fixture, NULL,
              fixture_setup, test_sign_in_wrong_password, fixture_teardown);
  g_test_add ("/tui/sign-in/stored-token", Fixture, NULL,
              fixture_setup, test_stored_token, fixture_teardown);
  g_test_add ("/tui/sign-in/revoked-token", Fixture, NULL,
              fixture_setup, test_revoked_token, fixture_teardown);
  g_test_add ("/tui/sign-in/unreachable", Fixture, NULL,
              fixture_setup, test_unreachable, fixture_teardown);
  g_test_add ("/tui/list-and-details", Fixture, NULL,
              fixture_setup, test_list_and_details, fixture_teardown);
  g_test_add ("/tui/resize", Fixture, NULL, fixture_setup, test_resize, fixture_teardown);
  g_test_add ("/tui/colors", Fixture, GINT_TO_POINTER (FALSE),
              fixture_setup, test_colors, fixture_teardown);
  g_test_add ("/tui/colors/no-color", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_colors, fixture_teardown);

  result = g_test_run ();
  tui_server_clear (&test_server);
  tui_cleanup ();
  return result;
}
