/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tn-json.h"
#include "tn-replica.h"
#include "tn-tui-config.h"
#include "tui-harness.h"

/* turnout-door at the door, as a volunteer uses it: paired with a code,
 * checking tickets in and out against a real turnout-server, through the
 * server vanishing and returning, random keys, huge pastes, tiny
 * terminals and SIGTERM; and the main screens compared with stored
 * copies (screens/NAME.txt; TURNOUT_UPDATE_SCREENS=1 rewrites them).
 *
 * Each test makes its own event, starting within the hour (the server
 * refuses scans made more than a day before an event starts), and pairs
 * a door to it. Tests that kill the server have a server of their own. */

#define EVENT_TITLE "Harvest Supper"
#define DOOR_NAME   "Main Hall"

typedef TuiFixture Fixture;

static TuiServer shared_server;

/* --- the event, through the API ------------------------------------------ */

typedef struct
{
  char *id;
  char *name;
  char *code;
} Guest;

typedef struct
{
  char       *url;          /* a copy: a restarted server has a new string */
  char       *organizer;    /* a bearer token */
  char       *id;
  GPtrArray  *guests;       /* of Guest */
} TestEvent;

static void
guest_free (gpointer data)
{
  Guest *guest = data;

  g_free (guest->id);
  g_free (guest->name);
  g_free (guest->code);
  g_free (guest);
}

static void
test_event_free (TestEvent *event)
{
  g_free (event->url);
  g_free (event->organizer);
  g_free (event->id);
  g_ptr_array_unref (event->guests);
  g_free (event);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestEvent, test_event_free)

static char *
json_string (const char *text)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, text);
  return json_to_string (node, FALSE);
}

static Guest *
add_guest (TestEvent  *event,
           const char *name,
           const char *email,
           const char *ticket_type,
           const char *note)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/attendees", event->id);
  g_autofree char *name_json = json_string (name);
  g_autofree char *email_json = json_string (email);
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(JsonObject) answer = NULL;
  Guest *guest = g_new0 (Guest, 1);

  g_string_append_printf (body, "{\"name\":%s,\"email\":%s", name_json, email_json);
  if (ticket_type != NULL)
    {
      g_autofree char *json = json_string (ticket_type);

      g_string_append_printf (body, ",\"ticket_type\":%s", json);
    }
  if (note != NULL)
    {
      g_autofree char *json = json_string (note);

      g_string_append_printf (body, ",\"note\":%s", json);
    }
  g_string_append (body, "}");

  answer = tui_http_object (event->url, "POST", path, event->organizer, body->str, 201);
  guest->id = g_strdup (json_object_get_string_member (answer, "id"));
  guest->name = g_strdup (name);
  guest->code = g_strdup (json_object_get_string_member_with_default (answer, "ticket_code", NULL));
  g_assert_nonnull (guest->code);
  g_ptr_array_add (event->guests, guest);
  return guest;
}

/* The guests every event has: the first two are looked at on screen. */
#define GUEST_ZOE   0
#define GUEST_BART  1
#define N_NAMED     4

/* An event starting in half an hour, with the named guests and
 * @n_numbered more ("Guest 001", …). */
static TestEvent *
create_event (const char *url,
              guint       n_numbered)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) starts = g_date_time_add_minutes (now, 30);
  g_autoptr(GDateTime) ends = g_date_time_add_hours (now, 4);
  g_autofree char *starts_text = g_date_time_format_iso8601 (starts);
  g_autofree char *ends_text = g_date_time_format_iso8601 (ends);
  g_autofree char *body = NULL;
  g_autoptr(JsonObject) answer = NULL;
  TestEvent *event = g_new0 (TestEvent, 1);

  event->url = g_strdup (url);
  event->organizer = tui_login (url, TUI_ORGANIZER_EMAIL);
  event->guests = g_ptr_array_new_with_free_func (guest_free);
  body = g_strdup_printf ("{\"title\":\"" EVENT_TITLE "\",\"starts_at\":\"%s\",\"ends_at\":\"%s\","
                          "\"capacity\":120}", starts_text, ends_text);
  answer = tui_http_object (url, "POST", "/api/v1/events", event->organizer, body, 201);
  event->id = g_strdup (json_object_get_string_member (answer, "id"));

  add_guest (event, "Zoë Ångström", "zoe@example.net", NULL, NULL);
  add_guest (event, "Bartholomew Okonkwo", "bart@example.net", "Speaker", "Uses the ramp");
  add_guest (event, "Chen Wei", "chen@example.net", NULL, NULL);
  add_guest (event, "Dana Fox", "dana@example.net", NULL, NULL);
  for (guint i = 1; i <= n_numbered; i++)
    {
      g_autofree char *name = g_strdup_printf ("Guest %03u", i);
      g_autofree char *email = g_strdup_printf ("guest%03u@example.net", i);

      add_guest (event, name, email, NULL, NULL);
    }
  return event;
}

static Guest *
guest (TestEvent *event,
       guint      index)
{
  g_assert_cmpuint (index, <, event->guests->len);
  return g_ptr_array_index (event->guests, index);
}

static char *
pairing_code (TestEvent  *event,
              const char *role)
{
  g_autofree char *body = g_strdup_printf ("{\"event_id\":\"%s\",\"role\":\"%s\"}", event->id, role);
  g_autoptr(JsonObject) answer = tui_http_object (event->url, "POST", "/api/v1/devices/pairing",
                                                  event->organizer, body, 201);

  return g_strdup (json_object_get_string_member (answer, "code"));
}

static gint64
server_stat (TestEvent  *event,
             const char *member)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/stats", event->id);
  g_autoptr(JsonObject) stats = tui_http_object (event->url, "GET", path, event->organizer, NULL, 200);

  return json_object_get_int_member (stats, member);
}

/* The ids of every scan the server has for the event, from its sync feed. */
static GHashTable *
server_scan_ids (TestEvent *event)
{
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *cursor = NULL;
  gboolean more = TRUE;

  while (more)
    {
      g_autofree char *path = NULL;
      g_autoptr(JsonObject) page = NULL;
      JsonArray *changes;

      if (cursor != NULL)
        path = g_strdup_printf ("/api/v1/sync?event_id=%s&since=%s", event->id, cursor);
      else
        path = g_strdup_printf ("/api/v1/sync?event_id=%s", event->id);
      page = tui_http_object (event->url, "GET", path, event->organizer, NULL, 200);
      changes = json_object_get_array_member (page, "changes");
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *change = json_array_get_object_element (changes, i);

          if (g_strcmp0 (json_object_get_string_member (change, "type"), "checkin") == 0)
            {
              JsonObject *checkin = json_object_get_object_member (change, "checkin");

              g_hash_table_add (ids, g_strdup (json_object_get_string_member (checkin, "id")));
            }
        }
      more = json_object_get_boolean_member_with_default (page, "more", FALSE);
      g_free (cursor);
      cursor = g_strdup (json_object_get_string_member_with_default (page, "cursor", NULL));
      g_assert_true (!more || cursor != NULL);
    }
  return ids;
}

/* --- the door ------------------------------------------------------------ */

static gboolean
stat_equals (TestEvent  *event,
             const char *member,
             gint64      expected)
{
  gint64 deadline = g_get_monotonic_time () + TUI_WAIT_TIMEOUT_MS * G_GINT64_CONSTANT (1000);
  gint64 value;

  /* The door says "0 scans to send" once the server answered; an undo
   * is a request of its own: poll, bounded. */
  while ((value = server_stat (event, member)) != expected &&
         g_get_monotonic_time () < deadline)
    g_usleep (100 * 1000);
  if (value != expected)
    g_test_message ("the server's %s is %" G_GINT64_FORMAT ", not %" G_GINT64_FORMAT,
                    member, value, expected);
  return value == expected;
}

static void
pair_by_keys (Fixture    *fixture,
              const char *code,
              const char *door_name)
{
  g_assert_true (tui_wait_for_text (fixture, "Pair this door", "Pairing code", "Door name", NULL));
  tui_send_text (fixture, code);
  /* The name field: cleared (Ctrl-U deletes to its start), then typed. */
  tui_send_keys (fixture, "Tab", "End", "C-u", NULL);
  tui_send_text (fixture, door_name);
  tui_send_keys (fixture, "Enter", NULL);
}

/* The scan screen of a door paired to @event, online, every guest known. */
static void
wait_scan_screen (Fixture   *fixture,
                  TestEvent *event)
{
  g_autofree char *going = g_strdup_printf ("of %u going (capacity 120)", event->guests->len);

  g_assert_true (tui_wait_for_text (fixture, "Turnout door — ", EVENT_TITLE,
                                    " ENTRY ", "Code:", going, "● Online", " 0 scans to send",
                                    "synced", NULL));
}

/* A door paired by keys with a fresh code for @role. */
static void
start_paired_door (Fixture    *fixture,
                   TestEvent  *event,
                   const char *role)
{
  g_autofree char *code = pairing_code (event, role);

  tui_start_door (fixture, event->url, "UTC");
  pair_by_keys (fixture, code, DOOR_NAME);
  wait_scan_screen (fixture, event);
}

static void
scan (Fixture    *fixture,
      const char *code)
{
  tui_send_text (fixture, code);
  tui_send_keys (fixture, "Enter", NULL);
}

/* A number on screen after @label, or -1. */
static gint64
screen_number (const char *screen,
               const char *label)
{
  const char *at = strstr (screen, label);

  if (at == NULL)
    return -1;
  at += strlen (label);
  while (*at == ' ')
    at++;
  if (!g_ascii_isdigit (*at))
    return -1;
  return g_ascii_strtoll (at, NULL, 10);
}

/* Scans waiting in the door's outbox, as its sync line says. */
static gint64
screen_pending (const char *screen)
{
  g_autoptr(GRegex) regex = g_regex_new (" ([0-9]+) scans? to send", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *number = NULL;

  if (!g_regex_match (regex, screen, 0, &match))
    return -1;
  number = g_match_info_fetch (match, 1);
  return g_ascii_strtoll (number, NULL, 10);
}

static gboolean
pending_at_least_check (Fixture       *fixture,
                        const char    *screen,
                        gconstpointer  data)
{
  return screen_pending (screen) >= GPOINTER_TO_INT (data);
}

static gboolean
banner_check (Fixture       *fixture,
              const char    *screen,
              gconstpointer  data)
{
  const char * const *needles = data;
  g_auto(GStrv) lines = g_strsplit (screen, "\n", -1);

  /* The verdict's banner: the headline alone on its row, centred. */
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *row = g_strstrip (g_strdup (lines[i]));

      if (g_strcmp0 (row, needles[0]) == 0)
        {
          for (guint j = 1; needles[j] != NULL; j++)
            if (strstr (screen, needles[j]) == NULL)
              return FALSE;
          return TRUE;
        }
    }
  return FALSE;
}

/* Waits for a banner with @headline, and the other strings on screen. */
static gboolean
wait_for_verdict (Fixture    *fixture,
                  const char *headline,
                  ...)
{
  g_autoptr(GPtrArray) needles = g_ptr_array_new ();
  g_autofree char *what = g_strdup_printf ("the verdict %s", headline);
  va_list args;

  g_ptr_array_add (needles, (char *) headline);
  va_start (args, headline);
  for (const char *s = va_arg (args, const char *); s != NULL; s = va_arg (args, const char *))
    g_ptr_array_add (needles, (char *) s);
  va_end (args);
  g_ptr_array_add (needles, NULL);
  return tui_wait_for_screen (fixture, banner_check, needles->pdata, what);
}

/* --- 1. online --------------------------------------------------------- */

static void
test_online (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(TestEvent) event = NULL;
  g_autofree char *token_path = g_build_filename (fixture->config_dir, "door-token", NULL);
  g_autofree char *ini_path = g_build_filename (fixture->config_dir, "door.ini", NULL);
  g_autofree char *ini = NULL;
  g_autofree char *bart_lower = NULL;
  g_autofree char *key_line = NULL;
  g_autoptr(GRegex) since = NULL;
  GStatBuf st;
  Guest *bart;

  if (!tui_have_tmux ())
    return;

  event = create_event (shared_server.url, 0);
  bart = guest (event, GUEST_BART);
  start_paired_door (fixture, event, "supervisor");

  /* A supervisor's keys, and the door's name on screen. */
  key_line = tui_screen_line (fixture, fixture->height - 1);
  g_assert_nonnull (strstr (key_line, "^F find"));
  g_assert_nonnull (strstr (key_line, "^U undo"));
  g_assert_nonnull (strstr (fixture->screen, DOOR_NAME));
  g_assert_nonnull (strstr (fixture->screen, "Checked in 0 of 4 going (capacity 120) · Inside now 0 · This door 0"));

  /* Typed in lower case without dashes: the same ticket. */
  bart_lower = g_ascii_strdown (bart->code, -1);
  {
    char *dash;

    while ((dash = strchr (bart_lower, '-')) != NULL)
      memmove (dash, dash + 1, strlen (dash));
  }
  scan (fixture, bart_lower);
  g_assert_true (wait_for_verdict (fixture, "ACCEPTED", "Bartholomew Okonkwo",
                                   "Speaker · Note: Uses the ramp", "Recent scans at this door",
                                   "Checked in 1 of 4 going", "Inside now 1", "This door 1", NULL));

  /* No bell for a ticket let in. */
  g_assert_false (tui_bell_rang (fixture));

  /* Again: already inside, since when and where, and the bell. */
  scan (fixture, bart->code);
  g_assert_true (wait_for_verdict (fixture, "ALREADY INSIDE", "Bartholomew Okonkwo", NULL));
  g_assert_true (tui_bell_rang (fixture));
  since = g_regex_new ("since [0-2][0-9]:[0-5][0-9] at (this door|" DOOR_NAME ")", 0, 0, NULL);
  g_assert_true (g_regex_match (since, fixture->screen, 0, NULL));
  g_assert_true (tui_wait_for_text (fixture, "Checked in 1 of 4 going", "Inside now 1", NULL));

  /* Exit mode, and out. */
  tui_send_keys (fixture, "Tab", NULL);
  g_assert_true (tui_wait_for_text (fixture, " EXIT ", "Exit mode", NULL));
  scan (fixture, bart->code);
  g_assert_true (wait_for_verdict (fixture, "CHECKED OUT", "Bartholomew Okonkwo",
                                   "Checked in 1 of 4 going", "Inside now 0", NULL));
  tui_send_keys (fixture, "Tab", NULL);
  g_assert_true (tui_wait_for_text (fixture, " ENTRY ", "Entry mode", NULL));

  /* Search without accents or case; Ctrl-A checks in by hand. */
  tui_send_keys (fixture, "C-f", NULL);
  g_assert_true (tui_wait_for_text (fixture, "Find an attendee", "Name:", NULL));
  tui_send_text (fixture, "zoe");
  g_assert_true (tui_wait_for_text (fixture, "Zoë Ångström", NULL));
  g_assert_null (strstr (fixture->screen, "Chen Wei"));
  tui_send_keys (fixture, "C-a", NULL);
  g_assert_true (wait_for_verdict (fixture, "ACCEPTED", "Zoë Ångström", " ENTRY ", "Code:",
                                   "Checked in 2 of 4 going", "Inside now 1", NULL));
  g_assert_null (strstr (fixture->screen, "Find an attendee"));

  /* Undo asks first; y undoes, and the counts drop. */
  tui_send_keys (fixture, "C-u", NULL);
  g_assert_true (tui_wait_for_text (fixture, "Undo the last scan: Zoë Ångström, in at", "y yes", NULL));
  tui_send_keys (fixture, "y", NULL);
  g_assert_true (tui_wait_for_text (fixture, "The scan was undone.", "(undone)",
                                    "Checked in 1 of 4 going", "Inside now 0", NULL));

  /* Everything delivered: the server agrees. */
  tui_send_keys (fixture, "C-r", NULL);
  g_assert_true (tui_wait_for_text (fixture, "● Online", " 0 scans to send", NULL));
  g_assert_true (stat_equals (event, "checked_in", 1));
  g_assert_true (stat_equals (event, "inside", 0));

  /* The pairing is kept, readable by its owner only; door.ini names the
   * server and not the token. */
  g_assert_cmpint (g_stat (token_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (ini_path, &ini, NULL, NULL));
  g_assert_nonnull (strstr (ini, shared_server.url));
  g_assert_null (strstr (ini, "tnd_"));

  tui_send_keys (fixture, "C-q", NULL);
  tui_assert_door_exits (fixture);

  /* A second start goes straight to the scan screen, and remembers. */
  tui_start_door (fixture, event->url, "UTC");
  wait_scan_screen (fixture, event);
  g_assert_true (tui_wait_for_text (fixture, "Checked in 1 of 4 going", "This door 1", NULL));
  tui_send_keys (fixture, "C-c", NULL);
  tui_assert_door_exits (fixture);
}

/* --- 2. a steward's door ------------------------------------------------- */

static void
test_steward (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(TestEvent) event = NULL;
  g_autofree char *key_line = NULL;

  if (!tui_have_tmux ())
    return;

  event = create_event (shared_server.url, 0);
  start_paired_door (fixture, event, "steward");
  key_line = tui_screen_line (fixture, fixture->height - 1);
  g_assert_null (strstr (key_line, "^F"));
  g_assert_null (strstr (key_line, "^U"));

  scan (fixture, guest (event, GUEST_ZOE)->code);
  g_assert_true (wait_for_verdict (fixture, "ACCEPTED", "Zoë Ångström", NULL));

  tui_send_keys (fixture, "C-f", NULL);
  g_assert_true (tui_wait_for_text (fixture, "Only a supervisor can do this", NULL));
  g_assert_null (strstr (fixture->screen, "Find an attendee"));
  tui_send_keys (fixture, "Escape", NULL);
  g_assert_true (tui_wait_for_no_text (fixture, "Only a supervisor can do this"));

  tui_send_keys (fixture, "C-u", NULL);
  g_assert_true (tui_wait_for_text (fixture, "Only a supervisor can do this", NULL));
  g_assert_null (strstr (fixture->screen, "Undo the last scan"));
  /* Nothing was undone: a y now is a key for the code field. */
  tui_send_keys (fixture, "Escape", "C-r", NULL);
  g_assert_true (tui_wait_for_text (fixture, "Checked in 1 of 4 going", " 0 scans to send", NULL));
  g_assert_true (stat_equals (event, "checked_in", 1));

  tui_send_keys (fixture, "C-q", NULL);
  tui_assert_door_exits (fixture);
}

/* --- 3. offline ---------------------------------------------------------- */

static void
test_offline (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *server_dir = g_build_filename (fixture->dir, "server", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TestEvent) event = NULL;
  TuiServer server = { 0 };
  gint64 pending;
  gint64 checked_in;

  if (!tui_have_tmux ())
    return;

  g_assert_true (tui_server_start (&server, server_dir, NULL, &error));
  g_assert_no_error (error);
  event = create_event (server.url, 3);
  start_paired_door (fixture, event, "supervisor");

  scan (fixture, guest (event, GUEST_ZOE)->code);
  g_assert_true (wait_for_verdict (fixture, "ACCEPTED", "Zoë Ångström", NULL));
  g_assert_true (tui_wait_for_text (fixture, "● Online", " 0 scans to send", "Checked in 1 of", NULL));

  /* The server vanishes: the first scan after it finds out. */
  tui_server_kill (&server);
  scan (fixture, guest (event, GUEST_BART)->code);
  g_assert_true (wait_for_verdict (fixture, "ACCEPTED", "Bartholomew Okonkwo", NULL));
  g_assert_true (tui_wait_for_text (fixture, "○ OFFLINE", NULL));
  g_assert_true (tui_wait_for_screen (fixture, pending_at_least_check, GINT_TO_POINTER (1),
                                      "a scan to send"));
  pending = screen_pending (fixture->screen);
  g_assert_cmpint (pending, ==, 1);

  /* Verdicts go on from the replica, and the count grows by each. */
  scan (fixture, guest (event, GUEST_ZOE)->code);
  g_assert_true (wait_for_verdict (fixture, "ALREADY INSIDE", "Zoë Ångström", NULL));
  scan (fixture, "0000-0000-0000-0000-0000-0000-00");
  g_assert_true (wait_for_verdict (fixture, "UNKNOWN TICKET", "No ticket of this event has this code.", NULL));
  scan (fixture, guest (event, N_NAMED)->code);
  g_assert_true (wait_for_verdict (fixture, "ACCEPTED", "Guest 001", NULL));
  scan (fixture, guest (event, N_NAMED + 1)->code);
  g_assert_true (wait_for_verdict (fixture, "ACCEPTED", "Guest 002", NULL));
  tui_send_keys (fixture, "Tab", NULL);
  scan (fixture, guest (event, GUEST_ZOE)->code);
  g_assert_true (wait_for_verdict (fixture, "CHECKED OUT", "Zoë Ångström", NULL));
  tui_send_keys (fixture, "Tab", NULL);
  g_assert_true (tui_wait_for_text (fixture, " ENTRY ", "Checked in 4 of 7 going", "Inside now 3",
                                    "○ OFFLINE", NULL));
  g_assert_true (tui_wait_for_screen (fixture, pending_at_least_check, GINT_TO_POINTER (6),
                                      "six scans to send"));
  g_assert_cmpint (screen_pending (fixture->screen), ==, 6);
  checked_in = screen_number (fixture->screen, "Checked in");

  /* Back on the same port and database: Ctrl-R, and it drains. */
  tui_server_restart (&server);
  tui_send_keys (fixture, "C-r", NULL);
  g_assert_true (tui_wait_for_text (fixture, "● Online", " 0 scans to send", NULL));
  g_assert_true (stat_equals (event, "checked_in", checked_in));
  g_assert_true (stat_equals (event, "inside", 3));
  g_assert_true (tui_wait_for_text (fixture, "Checked in 4 of 7 going", "Inside now 3", NULL));

  tui_send_keys (fixture, "C-q", NULL);
  tui_assert_door_exits (fixture);
  tui_server_clear (&server);
}

/* --- 4. random keys ------------------------------------------------------ */

static const char * const named_keys[] = {
  "Enter", "Enter", "Tab", "Tab", "BTab", "Escape", "Up", "Down", "Left", "Right",
  "BSpace", "BSpace", "DC", "IC", "Home", "End", "PPage", "NPage",
  "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "F10", "F11", "F12",
  "Space",
};

/* Every Ctrl letter but C-c and C-q (quit), C-x (sign out and wipe) and
 * C-z (suspend). */
static const char ctrl_letters[] = "abdefghijklmnoprstuvwy";

static char *
random_key (GRand *rand)
{
  static const char printable[] =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    " !\"#$%&'()*+,-./:<=>?@[]^_`{|}~";
  guint kind = g_rand_int_range (rand, 0, 100);

  if (kind < 55)
    {
      char c = printable[g_rand_int_range (rand, 0, sizeof printable - 1)];

      return g_strdup_printf ("%c", c);
    }
  if (kind < 62)
    {
      /* UTF-8 as well */
      static const char * const words[] = { "é", "Ö", "ß", "ñ", "ž", "Å", "€", "日" };

      return g_strdup (words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
    }
  if (kind < 88)
    return g_strdup (named_keys[g_rand_int_range (rand, 0, G_N_ELEMENTS (named_keys))]);
  return g_strdup_printf ("C-%c", ctrl_letters[g_rand_int_range (rand, 0, sizeof ctrl_letters - 1)]);
}

static void
test_random_keys (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(TestEvent) event = NULL;
  g_autoptr(GRand) rand = NULL;
  guint32 seed = g_test_rand_int ();
  guint sent = 0;

  if (!tui_have_tmux ())
    return;

  event = create_event (shared_server.url, 2);
  start_paired_door (fixture, event, "supervisor");
  scan (fixture, guest (event, GUEST_ZOE)->code);
  g_assert_true (wait_for_verdict (fixture, "ACCEPTED", "Zoë Ångström", NULL));

  g_test_message ("random keys from seed %u", seed);
  rand = g_rand_new_with_seed (seed);
  while (sent < 2000)
    {
      g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *keys = NULL;

      g_ptr_array_add (argv, g_strdup ("send-keys"));
      g_ptr_array_add (argv, g_strdup ("-t"));
      g_ptr_array_add (argv, g_strdup ("door"));
      for (guint i = 0; i < 50; i++, sent++)
        g_ptr_array_add (argv, random_key (rand));
      g_ptr_array_add (argv, NULL);
      {
        /* As tmux's own arguments: a lone ";" would end the command. */
        g_auto(GStrv) args = (GStrv) g_ptr_array_steal (argv, NULL);
        g_autoptr(GError) error = NULL;
        g_autofree char *err = NULL;
        int status;
        const char *prefix[] = { "tmux", "-S", fixture->socket, "-f", fixture->conf };
        g_autoptr(GPtrArray) full = g_ptr_array_new ();

        for (guint i = 0; i < G_N_ELEMENTS (prefix); i++)
          g_ptr_array_add (full, (char *) prefix[i]);
        for (guint i = 0; args[i] != NULL; i++)
          g_ptr_array_add (full, args[i]);
        g_ptr_array_add (full, NULL);
        g_assert_true (g_spawn_sync (NULL, (char **) full->pdata, NULL, G_SPAWN_SEARCH_PATH,
                                     NULL, NULL, NULL, &err, &status, &error));
        g_assert_no_error (error);
        if (!g_spawn_check_wait_status (status, NULL))
          {
            keys = g_strjoinv (" ", args);
            g_test_message ("tmux refused %s: %s", keys, err);
          }
      }
      if (!tui_door_alive (fixture))
        {
          tui_capture (fixture);
          tui_show_failure (fixture, "turnout-door to stay alive under random keys");
          g_assert_not_reached ();
        }
    }

  g_test_message ("after the random keys:\n%s", tui_capture (fixture));

  /* Still alive, and still a door: back to the scan screen (Esc closes
   * any other screen and answers any question no), and a scan. */
  for (guint i = 0; i < 5; i++)
    {
      tui_send_keys (fixture, "Escape", NULL);
      g_usleep (50 * 1000);
    }
  g_assert_true (tui_wait_for_text (fixture, EVENT_TITLE, "Code:", NULL));
  g_assert_true (tui_door_alive (fixture));
  tui_send_keys (fixture, "Escape", NULL);
  scan (fixture, guest (event, GUEST_BART)->code);
  {
    /* In either mode, whatever the keys did to this ticket. */
    g_autoptr(GRegex) verdict = g_regex_new ("^ *(ACCEPTED|ALREADY INSIDE|CHECKED OUT|NOT INSIDE) *$\n"
                                             " *Bartholomew Okonkwo *$", G_REGEX_MULTILINE, 0, NULL);
    gint64 deadline = g_get_monotonic_time () + TUI_WAIT_TIMEOUT_MS * G_GINT64_CONSTANT (1000);

    while (!g_regex_match (verdict, tui_capture (fixture), 0, NULL) && g_get_monotonic_time () < deadline)
      g_usleep (TUI_POLL_INTERVAL_MS * 1000);
    if (!g_regex_match (verdict, fixture->screen, 0, NULL))
      tui_show_failure (fixture, "a verdict for Bartholomew Okonkwo");
    g_assert_true (g_regex_match (verdict, fixture->screen, 0, NULL));
  }

  tui_send_keys (fixture, "C-q", NULL);
  tui_assert_door_exits (fixture);
}

/* --- 5. a huge paste, a tiny terminal ------------------------------------ */

static gboolean
rows_check (Fixture       *fixture,
            const char    *screen,
            gconstpointer  data)
{
  g_auto(GStrv) lines = g_strsplit (screen, "\n", -1);
  guint n = g_strv_length (lines);

  if (n > 0 && lines[n - 1][0] == '\0')
    n--;
  return (int) n == GPOINTER_TO_INT (data) && screen[strspn (screen, " \n")] != '\0';
}

static void
test_paste_and_resize (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(TestEvent) event = NULL;
  g_autoptr(GString) line = g_string_sized_new (1024 * 1024 + 1);
  g_autofree char *paste_path = g_build_filename (fixture->dir, "paste.txt", NULL);
  g_autoptr(GError) error = NULL;

  if (!tui_have_tmux ())
    return;

  event = create_event (shared_server.url, 0);
  start_paired_door (fixture, event, "supervisor");

  /* 1 MB of code symbols on one line, as a scanner gone mad or a paste
   * into the wrong window would send. */
  while (line->len < 1024 * 1024)
    g_string_append (line, "7K2QMW9DX4T1ABCDEFGHJKMNPQRSTVWXYZ-");
  g_string_truncate (line, 1024 * 1024);
  g_file_set_contents (paste_path, line->str, line->len, &error);
  g_assert_no_error (error);
  g_assert_true (tui_run_tmux (fixture, NULL, NULL, "load-buffer", "-b", "huge", paste_path, NULL));
  g_assert_true (tui_run_tmux (fixture, NULL, NULL, "paste-buffer", "-b", "huge", "-t", "door", NULL));
  tui_send_keys (fixture, "Enter", NULL);
  g_assert_true (wait_for_verdict (fixture, "UNKNOWN TICKET", NULL));
  g_assert_true (tui_door_alive (fixture));

  /* And the next code is judged as ever. */
  scan (fixture, guest (event, GUEST_ZOE)->code);
  g_assert_true (wait_for_verdict (fixture, "ACCEPTED", "Zoë Ångström", NULL));

  /* 20×5, and back. */
  tui_resize (fixture, 20, 5);
  g_assert_true (tui_wait_for_screen (fixture, rows_check, GINT_TO_POINTER (5), "a screen of 20×5"));
  g_assert_true (tui_door_alive (fixture));
  tui_resize (fixture, 80, 24);
  g_assert_true (tui_wait_for_screen (fixture, rows_check, GINT_TO_POINTER (24), "a screen of 80×24"));
  g_assert_true (tui_wait_for_text (fixture, "Turnout door — " EVENT_TITLE, " ENTRY ", "Code:",
                                    "Checked in 1 of 4 going", "● Online", NULL));
  g_assert_true (tui_door_alive (fixture));
  scan (fixture, guest (event, GUEST_BART)->code);
  g_assert_true (wait_for_verdict (fixture, "ACCEPTED", "Bartholomew Okonkwo", NULL));

  tui_send_keys (fixture, "C-q", NULL);
  tui_assert_door_exits (fixture);
}

/* --- 6. SIGTERM in the middle of scans ----------------------------------- */

#define N_BURST 40

typedef struct
{
  TuiFixture *fixture;
  TestEvent  *event;
} Typist;

/* Types every ticket, one send-keys each, as a queue at the door would
 * come; stops when tmux refuses (the door is gone). No assertions here:
 * this is not the test's thread. */
static gpointer
typist_thread (gpointer data)
{
  Typist *typist = data;

  for (guint i = 0; i < typist->event->guests->len; i++)
    {
      Guest *g = g_ptr_array_index (typist->event->guests, i);
      const char *argv[] = { "tmux", "-S", typist->fixture->socket, "-f", typist->fixture->conf,
                             "send-keys", "-t", "door", g->code, "Enter", NULL };
      int status;

      if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                         G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL) ||
          !g_spawn_check_wait_status (status, NULL))
        break;
    }
  return NULL;
}

static void
test_sigterm (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *server_dir = g_build_filename (fixture->dir, "server", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TestEvent) event = NULL;
  g_autoptr(GHashTable) on_server = NULL;
  g_autoptr(TnReplica) replica = NULL;
  g_autofree char *replica_path = NULL;
  g_autofree char *last_screen = NULL;
  TuiServer server = { 0 };
  Typist typist;
  GThread *thread;
  guint replica_scans = 0;
  guint delivered = 0;
  guint accepted = 0;
  guint in_outbox = 0;
  guint outbox;
  int status;
  GPid pid;

  if (!tui_have_tmux ())
    return;

  g_assert_true (tui_server_start (&server, server_dir, NULL, &error));
  g_assert_no_error (error);
  event = create_event (server.url, N_BURST - N_NAMED);
  start_paired_door (fixture, event, "supervisor");
  pid = tui_door_pid (fixture);
  g_assert_cmpint (pid, >, 0);

  /* Every ticket once, from another thread, while this one waits for
   * the first verdicts and sends the signal. */
  typist.fixture = fixture;
  typist.event = event;
  thread = g_thread_new ("typist", typist_thread, &typist);
  /* Some verdicts on screen, then the signal. */
  g_assert_true (wait_for_verdict (fixture, "ACCEPTED", NULL));
  last_screen = g_strdup (tui_capture (fixture));
  g_assert_cmpint (kill (pid, SIGTERM), ==, 0);
  g_assert_true (tui_wait_door_dead (fixture, &status));
  g_thread_join (thread);
  g_test_message ("the last screen:\n%s\nexit status %d", last_screen, status);
  g_assert_cmpint (status, ==, 0);

  /* The replica, read as it was left. */
  replica_path = tui_find_replica (fixture);
  g_assert_nonnull (replica_path);
  replica = tn_replica_open_path (replica_path, &error);
  g_assert_no_error (error);
  on_server = server_scan_ids (event);
  outbox = tn_replica_outbox_size (replica);
  for (guint i = 0; i < event->guests->len; i++)
    {
      Guest *g = guest (event, i);
      g_autoptr(GPtrArray) scans = tn_replica_get_attendee_scans (replica, g->id);
      guint own = 0;

      for (guint j = 0; j < scans->len; j++)
        {
          TnReplicaScan *s = g_ptr_array_index (scans, j);

          if (g_strcmp0 (s->device, DOOR_NAME) != 0)
            continue;
          own++;
          replica_scans++;
          if (s->verdict == TN_VERDICT_ACCEPTED)
            accepted++;
          if (g_hash_table_contains (on_server, s->id))
            delivered++;
          /* Out of the outbox only once the server has it; a scan the
           * server has may still be in the outbox (its answer was on the
           * way when the door stopped): sent again, it changes nothing. */
          if (tn_replica_outbox_contains (replica, s->id))
            in_outbox++;
          else
            g_assert_true (g_hash_table_contains (on_server, s->id));
        }
      g_assert_cmpuint (own, <=, 1);
      /* A verdict that was shown was recorded. */
      if (strstr (last_screen, g->name) != NULL)
        {
          if (own != 1)
            g_test_message ("%s is on the last screen but not in the replica", g->name);
          g_assert_cmpuint (own, ==, 1);
        }
    }
  g_test_message ("%u scans in the replica: %u on the server, %u in the outbox", replica_scans, delivered, outbox);
  g_assert_cmpuint (replica_scans, >, 0);
  /* Nothing on the server that the door does not have… */
  g_assert_cmpuint (g_hash_table_size (on_server), ==, delivered);
  /* …and the outbox is exactly the scans not confirmed yet. */
  g_assert_cmpuint (outbox, ==, in_outbox);
  g_clear_object (&replica);

  /* The door again: it delivers the rest. */
  tui_start_door (fixture, event->url, "UTC");
  g_assert_true (tui_wait_for_text (fixture, EVENT_TITLE, "● Online", NULL));
  tui_send_keys (fixture, "C-r", NULL);
  g_assert_true (tui_wait_for_text (fixture, "● Online", " 0 scans to send", NULL));
  g_assert_true (stat_equals (event, "checked_in", accepted));
  {
    g_autofree char *counts = g_strdup_printf ("Checked in %u of %u going", accepted, event->guests->len);

    g_assert_true (tui_wait_for_text (fixture, counts, NULL));
  }
  g_clear_pointer (&on_server, g_hash_table_unref);
  on_server = server_scan_ids (event);
  g_assert_cmpuint (g_hash_table_size (on_server), ==, replica_scans);

  tui_send_keys (fixture, "C-q", NULL);
  tui_assert_door_exits (fixture);
  tui_server_clear (&server);
}

/* --- 7. stored screens --------------------------------------------------- */

/* Times, the port and the host name vary from run to run. */
static char *
mask_screen (const char *screen)
{
  g_autoptr(GRegex) clock = g_regex_new ("\\b[0-2][0-9]:[0-5][0-9](:[0-5][0-9])?\\b", 0, 0, NULL);
  g_autoptr(GRegex) port = g_regex_new ("127\\.0\\.0\\.1:[0-9]+", 0, 0, NULL);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  const char *host = g_get_host_name ();

  a = g_regex_replace_literal (clock, screen, -1, 0, "HH:MM", 0, NULL);
  b = g_regex_replace_literal (port, a, -1, 0, "127.0.0.1:PORT", 0, NULL);
  lines = g_strsplit (b, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = g_strchomp (g_strdup (lines[i]));

      if (host != NULL && host[0] != '\0' && strlen (host) > 3)
        {
          g_auto(GStrv) parts = g_strsplit (line, host, -1);

          g_free (line);
          line = g_strjoinv ("HOST", parts);
        }
      if (lines[i + 1] == NULL && line[0] == '\0')
        break;
      g_string_append_printf (out, "%s\n", line);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

typedef struct
{
  const char *name;
  char       *expected;
} StoredScreen;

static gboolean
stored_check (Fixture       *fixture,
              const char    *screen,
              gconstpointer  data)
{
  const StoredScreen *stored = data;
  g_autofree char *masked = mask_screen (screen);

  return g_strcmp0 (masked, stored->expected) == 0;
}

/* Compares the screen, once @ready is on it, with screens/@name.txt; or
 * stores it with TURNOUT_UPDATE_SCREENS=1. */
static void
assert_screen (Fixture    *fixture,
               const char *name,
               const char *ready)
{
  const char *dir = g_getenv ("TURNOUT_SCREENS_DIR");
  g_autofree char *file = g_strconcat (name, ".txt", NULL);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  StoredScreen stored = { name, NULL };

  g_assert_nonnull (dir);
  path = g_build_filename (dir, file, NULL);
  g_assert_true (tui_wait_for_text (fixture, ready, NULL));

  if (g_strcmp0 (g_getenv ("TURNOUT_UPDATE_SCREENS"), "1") == 0)
    {
      g_autofree char *masked = NULL;

      /* Let counters and the sync line settle first. */
      g_usleep (1000 * 1000);
      masked = mask_screen (tui_capture (fixture));
      g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
      g_file_set_contents (path, masked, -1, &error);
      g_assert_no_error (error);
      g_test_message ("stored %s", path);
      return;
    }

  g_file_get_contents (path, &stored.expected, NULL, &error);
  g_assert_no_error (error);
  if (!tui_wait_for_screen (fixture, stored_check, &stored, path))
    {
      g_autofree char *masked = mask_screen (fixture->screen);

      g_test_message ("expected (%s):\n%s\nseen, masked:\n%s", path, stored.expected, masked);
      g_free (stored.expected);
      g_assert_not_reached ();
    }
  g_free (stored.expected);
}

static void
test_screens (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(TestEvent) event = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *escapes = NULL;

  if (!tui_have_tmux ())
    return;

  event = create_event (shared_server.url, 0);
  code = pairing_code (event, "supervisor");

  /* A known door name, not this computer's. */
  tn_tui_config_save_value (fixture->config_dir, "door-name", "Side Door", &error);
  g_assert_no_error (error);
  tui_start_door (fixture, event->url, "UTC");
  assert_screen (fixture, "pair", "Door name");

  tui_send_text (fixture, code);
  tui_send_keys (fixture, "Enter", NULL);
  wait_scan_screen (fixture, event);
  assert_screen (fixture, "scan", "Code:");

  scan (fixture, guest (event, GUEST_BART)->code);
  g_assert_true (wait_for_verdict (fixture, "ACCEPTED", NULL));
  assert_screen (fixture, "scan-accepted", "Checked in 1 of 4 going");

  scan (fixture, guest (event, GUEST_BART)->code);
  g_assert_true (wait_for_verdict (fixture, "ALREADY INSIDE", NULL));
  assert_screen (fixture, "scan-already-inside", "ALREADY INSIDE");

  tui_send_keys (fixture, "Escape", "C-f", NULL);
  g_assert_true (tui_wait_for_text (fixture, "Find an attendee", NULL));
  tui_send_text (fixture, "o");
  assert_screen (fixture, "search", "Zoë Ångström");

  tui_send_keys (fixture, "Escape", NULL);
  g_assert_true (tui_wait_for_no_text (fixture, "Find an attendee"));
  tui_send_keys (fixture, "?", NULL);
  assert_screen (fixture, "help", "Check the code");

  tui_send_keys (fixture, "Escape", NULL);
  g_assert_true (tui_wait_for_no_text (fixture, "Check the code"));
  tui_send_keys (fixture, "C-o", NULL);
  assert_screen (fixture, "conflicts", "Conflicts");
  tui_send_keys (fixture, "Escape", NULL);
  g_assert_true (tui_wait_for_text (fixture, "Code:", NULL));

  /* Colour by default, on the scan screen with a verdict. */
  scan (fixture, guest (event, GUEST_ZOE)->code);
  g_assert_true (wait_for_verdict (fixture, "ACCEPTED", "Zoë Ångström", NULL));
  escapes = tui_capture_escapes (fixture, 0, 23);
  g_assert_true (tui_has_color (escapes));
  g_clear_pointer (&escapes, g_free);
  tui_send_keys (fixture, "C-q", NULL);
  tui_assert_door_exits (fixture);

  /* NO_COLOR: none, and the verdict still stands out. */
  tui_start_door_full (fixture, event->url, "UTC", TRUE, NULL);
  wait_scan_screen (fixture, event);
  scan (fixture, guest (event, GUEST_ZOE)->code);
  g_assert_true (wait_for_verdict (fixture, "ALREADY INSIDE", "Zoë Ångström", NULL));
  escapes = tui_capture_escapes (fixture, 0, 23);
  g_test_message ("NO_COLOR screen:\n%s", escapes);
  g_assert_false (tui_has_color (escapes));
  g_assert_true (g_regex_match_simple ("\\x1b\\[([0-9;]*;)?(1|7)(;[0-9;]*)?m", escapes, 0, 0));
  tui_send_keys (fixture, "C-q", NULL);
  tui_assert_door_exits (fixture);
}

/* Scanners that end a code with nothing, or with Tab: a complete code
 * alone is a scan once the keys stop, and Tab after a code is a scan, not
 * a switch to exit mode. */
static void
test_scanner_terminators (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(TestEvent) event = NULL;

  if (!tui_have_tmux ())
    return;

  event = create_event (shared_server.url, 0);
  start_paired_door (fixture, event, "steward");

  tui_send_text (fixture, guest (event, GUEST_ZOE)->code);
  g_assert_true (wait_for_verdict (fixture, "ACCEPTED", "Zoë Ångström", "This door 1", NULL));

  tui_send_text (fixture, guest (event, GUEST_BART)->code);
  tui_send_keys (fixture, "Tab", NULL);
  g_assert_true (wait_for_verdict (fixture, "ACCEPTED", "Bartholomew Okonkwo", "This door 2", NULL));
  g_assert_nonnull (strstr (fixture->screen, " ENTRY "));
  g_assert_null (strstr (fixture->screen, " EXIT "));

  /* A part of a code is not complete: it waits for Enter. */
  tui_send_text (fixture, "ZZZZ");
  tui_send_keys (fixture, "Enter", NULL);
  g_assert_true (wait_for_verdict (fixture, "UNKNOWN TICKET", NULL));
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
  if (!tui_server_start (&shared_server, server_dir, NULL, &error))
    {
      tui_server_clear (&shared_server);
      tui_cleanup ();
      g_error ("%s", error->message);
    }

  g_test_add ("/door/online", Fixture, NULL, tui_fixture_setup, test_online, tui_fixture_teardown);
  g_test_add ("/door/steward", Fixture, NULL, tui_fixture_setup, test_steward, tui_fixture_teardown);
  g_test_add ("/door/scanner-terminators", Fixture, NULL,
              tui_fixture_setup, test_scanner_terminators, tui_fixture_teardown);
  g_test_add ("/door/offline", Fixture, NULL, tui_fixture_setup, test_offline, tui_fixture_teardown);
  g_test_add ("/door/random-keys", Fixture, NULL, tui_fixture_setup, test_random_keys, tui_fixture_teardown);
  g_test_add ("/door/paste-and-resize", Fixture, NULL,
              tui_fixture_setup, test_paste_and_resize, tui_fixture_teardown);
  g_test_add ("/door/sigterm", Fixture, NULL, tui_fixture_setup, test_sigterm, tui_fixture_teardown);
  g_test_add ("/door/screens", Fixture, NULL, tui_fixture_setup, test_screens, tui_fixture_teardown);

  result = g_test_run ();
  tui_server_clear (&shared_server);
  tui_cleanup ();
  return result;
}
