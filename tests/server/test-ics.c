/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Calendar feeds: the writer's escaping and folding, and the two .ics
 * routes against a real server, read back by an independent parser
 * (python3-icalendar, through ics-check.py) and compared with the JSON API. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "tn-ics.h"
#include "tn-json.h"
#include "tn-test-utils.h"
#include "tn-time.h"

#define OTHER_ORGANIZER_EMAIL "omar@example.org"
#define ICS_CONTENT_TYPE      "text/calendar"

/* --- reading calendars back, independently of tn-ics.c -------------------- */

/* Joins folded lines: a CRLF followed by one space or tab disappears. */
static char *
unfold (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (p[0] == '\r' && p[1] == '\n' && (p[2] == ' ' || p[2] == '\t'))
        p += 2;
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* Undoes TEXT escaping in one pass, so "\\\\n" is a backslash and an n. */
static char *
unescape (const char *value)
{
  GString *out = g_string_new (NULL);

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p != '\\')
        {
          g_string_append_c (out, *p);
          continue;
        }
      p++;
      g_assert_true (*p == '\\' || *p == ';' || *p == ',' || *p == 'n' || *p == 'N');
      g_string_append_c (out, *p == 'n' || *p == 'N' ? '\n' : *p);
    }
  return g_string_free (out, FALSE);
}

/* Asserts that @text is made of CRLF-ended physical lines of at most 75
 * octets, each valid UTF-8, continuations starting with a space, and no
 * line shorter than it had to be. */
static void
assert_folded (const char *text)
{
  g_auto(GStrv) lines = NULL;
  guint n;

  g_assert_true (g_str_has_suffix (text, "\r\n"));
  lines = g_strsplit (text, "\r\n", -1);
  n = g_strv_length (lines);
  g_assert_cmpstr (lines[n - 1], ==, "");
  for (guint i = 0; i + 1 < n; i++)
    {
      gsize len = strlen (lines[i]);

      g_assert_null (strchr (lines[i], '\n'));
      g_assert_null (strchr (lines[i], '\r'));
      g_assert_cmpuint (len, <=, TN_ICS_LINE_MAX);
      g_assert_true (g_utf8_validate (lines[i], (gssize) len, NULL));
      /* A fold backs up at most 3 bytes, to the start of a character. */
      if (i + 2 < n && lines[i + 1][0] == ' ')
        g_assert_cmpuint (len, >=, TN_ICS_LINE_MAX - 3);
    }
}

/* --- unit tests of the writer --------------------------------------------- */

typedef struct
{
  const char *text;
  const char *escaped;
} EscapeCase;

static const EscapeCase escape_cases[] = {
  { "", "" },
  { "plain text", "plain text" },
  { "a,b;c", "a\\,b\\;c" },
  { "back\\slash", "back\\\\slash" },
  { "C:\\new", "C:\\\\new" },
  { "one\ntwo", "one\\ntwo" },
  { "one\r\ntwo", "one\\ntwo" },
  { "one\rtwo", "one\\ntwo" },
  { "end\n", "end\\n" },
  { "\n\n", "\\n\\n" },
  { "tab\there", "tab\there" },
  { "bell\a and nul-free \x1b escape", "bell and nul-free  escape" },
  { "Café: ünïcødé €5, 🎉; ok", "Café: ünïcødé €5\\, 🎉\\; ok" },
  { "\"quoted\" and colon:", "\"quoted\" and colon:" },
};

static void
test_escape (void)
{
  g_autofree char *from_null = tn_ics_escape_text (NULL);

  g_assert_cmpstr (from_null, ==, "");
  for (guint i = 0; i < G_N_ELEMENTS (escape_cases); i++)
    {
      g_autofree char *escaped = tn_ics_escape_text (escape_cases[i].text);
      g_autofree char *back = unescape (escaped);
      g_autofree char *expected_back = NULL;

      g_assert_cmpstr (escaped, ==, escape_cases[i].escaped);
      /* Unescaping gives the text back, with LF for every line break and
       * without the dropped control characters. */
      expected_back = unescape (escape_cases[i].escaped);
      g_assert_cmpstr (back, ==, expected_back);
    }

  /* Invalid UTF-8 never reaches a calendar. */
  {
    g_autofree char *escaped = tn_ics_escape_text ("bad \xff byte");

    g_assert_true (g_utf8_validate (escaped, -1, NULL));
  }
}

/* 300 bytes of UTF-8 with characters of 1 to 4 bytes and every character
 * that TEXT escapes. */
static char *
make_description (void)
{
  static const char * const pieces[] = {
    "Grüße", " aus ", "Leipzig", ", ", "€", "12", "; ", "🎉", "\n", "C:\\next", " ",
    "日本語", "—", "ß", "👩‍💻", " ok",
  };
  GString *text = g_string_new (NULL);

  for (guint i = 0; ; i++)
    {
      const char *piece = pieces[i % G_N_ELEMENTS (pieces)];

      if (text->len + strlen (piece) > 300)
        break;
      g_string_append (text, piece);
    }
  while (text->len < 300)
    g_string_append_c (text, 'x');
  return g_string_free (text, FALSE);
}

static void
test_fold (void)
{
  g_autofree char *description = make_description ();

  g_assert_cmpuint (strlen (description), ==, 300);
  g_assert_true (g_utf8_validate (description, -1, NULL));

  /* Shift the text by 0 to 4 bytes so that the folds land on every byte of
   * the multibyte characters. */
  for (guint shift = 0; shift <= 4; shift++)
    {
      g_autofree char *text = g_strconcat (&"xxxx"[4 - shift], description, NULL);
      g_autofree char *escaped = tn_ics_escape_text (text);
      g_autofree char *line = g_strconcat ("DESCRIPTION:", escaped, NULL);
      g_autoptr(GString) out = g_string_new (NULL);
      g_autofree char *unfolded = NULL;
      g_autofree char *value = NULL;

      tn_ics_append_line (out, line);
      assert_folded (out->str);
      g_assert_cmpuint (out->len, >, strlen (line) + 2 * 4);   /* folded 4 times or more */

      unfolded = unfold (out->str);
      g_assert_true (g_str_has_suffix (unfolded, "\r\n"));
      unfolded[strlen (unfolded) - 2] = '\0';
      g_assert_cmpstr (unfolded, ==, line);
      g_assert_true (g_str_has_prefix (unfolded, "DESCRIPTION:"));
      value = unescape (unfolded + strlen ("DESCRIPTION:"));
      g_assert_cmpstr (value, ==, text);
    }
}

static void
test_fold_lengths (void)
{
  /* Lines of 1 to 200 octets, ASCII and 2-, 3- and 4-byte characters. */
  static const char * const fills[] = { "a", "ü", "€", "🎉" };

  for (guint f = 0; f < G_N_ELEMENTS (fills); f++)
    for (guint len = 1; len <= 200; len++)
      {
        g_autoptr(GString) line = g_string_new (NULL);
        g_autoptr(GString) out = g_string_new (NULL);
        g_autofree char *unfolded = NULL;

        while (line->len < len)
          g_string_append (line, line->len + strlen (fills[f]) <= len ? fills[f] : "a");
        tn_ics_append_line (out, line->str);
        assert_folded (out->str);
        if (line->len <= TN_ICS_LINE_MAX)
          g_assert_cmpuint (out->len, ==, line->len + 2);   /* not folded */
        unfolded = unfold (out->str);
        unfolded[strlen (unfolded) - 2] = '\0';
        g_assert_cmpstr (unfolded, ==, line->str);
      }
}

static void
test_time (void)
{
  static const struct { const char *rfc3339; const char *ics; } cases[] = {
    { "1970-01-01T00:00:00Z", "19700101T000000Z" },
    { "2026-11-22T18:00:00Z", "20261122T180000Z" },
    { "2026-11-22T19:30:05+01:00", "20261122T183005Z" },
    { "2028-02-29T23:59:59Z", "20280229T235959Z" },
    { "9999-12-31T23:59:59Z", "99991231T235959Z" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 unix_time = 0;
      g_autofree char *text = NULL;

      g_assert_true (tn_time_parse (cases[i].rfc3339, &unix_time, NULL));
      text = tn_ics_format_time (unix_time);
      g_assert_cmpstr (text, ==, cases[i].ics);
    }
}

static TnEvent *
make_event (const char *id,
            const char *title,
            const char *starts_at,
            const char *ends_at)
{
  TnEvent *event = tn_event_new ();
  gint64 starts = 0, ends = 0;

  g_assert_true (tn_time_parse (starts_at, &starts, NULL));
  g_assert_true (tn_time_parse (ends_at, &ends, NULL));
  tn_event_set_id (event, id);
  tn_event_set_title (event, title);
  tn_event_set_starts_at (event, starts);
  tn_event_set_ends_at (event, ends);
  tn_event_set_version (event, 1);
  tn_event_set_created_at (event, starts - 86400);
  tn_event_set_updated_at (event, starts - 3600);
  return event;
}

static void
assert_has_line (const char *unfolded,
                 const char *line)
{
  g_autofree char *needle = g_strconcat ("\r\n", line, "\r\n", NULL);

  if (strstr (unfolded, needle) == NULL)
    g_error ("No line \"%s\" in:\n%s", line, unfolded);
}

static void
assert_no_property (const char *unfolded,
                    const char *name)
{
  g_autofree char *needle = g_strconcat ("\r\n", name, ":", NULL);

  g_assert_null (strstr (unfolded, needle));
}

static void
test_calendar (void)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(TnEvent) full = make_event ("6f1c2f8e-3b0a-4c5e-9d7f-0a1b2c3d4e5f", "Talk, Bar; Café",
                                        "2026-11-22T18:00:00Z", "2026-11-22T20:30:00Z");
  g_autoptr(TnEvent) bare = make_event ("0a1b2c3d-0000-4000-8000-000000000001", "Instant",
                                        "2027-01-01T00:00:00Z", "2027-01-01T00:00:00Z");
  g_autofree char *text = NULL;
  g_autofree char *unfolded = NULL;
  g_autofree char *unsafe = NULL;
  g_autofree char *unsafe_unfolded = NULL;

  tn_event_set_description (full, "First line\nsecond, with; all\\ of it");
  tn_event_set_location (full, "Basislager, Leipzig");
  tn_event_set_coordinates (full, 51.5, -0.125);
  tn_event_set_category (full, "Food & Drink");
  tn_event_set_version (full, 3);
  tn_event_set_status (full, TN_EVENT_STATUS_CANCELLED);
  tn_event_set_visibility (full, TN_VISIBILITY_PRIVATE);
  tn_event_set_description (bare, "");
  g_ptr_array_add (events, g_object_ref (full));
  g_ptr_array_add (events, g_object_ref (bare));

  text = tn_ics_write_calendar ("Turnout, events", events, "http://127.0.0.1:8080");
  assert_folded (text);
  g_assert_true (g_str_has_prefix (text, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
                                         "PRODID:-//Turnout//turnout-server//EN\r\n"
                                         "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n"));
  g_assert_true (g_str_has_suffix (text, "\r\nEND:VCALENDAR\r\n"));
  unfolded = unfold (text);

  assert_has_line (unfolded, "X-WR-CALNAME:Turnout\\, events");
  assert_has_line (unfolded, "UID:6f1c2f8e-3b0a-4c5e-9d7f-0a1b2c3d4e5f@turnout");
  assert_has_line (unfolded, "DTSTAMP:20261122T170000Z");
  assert_has_line (unfolded, "DTSTART:20261122T180000Z");
  assert_has_line (unfolded, "DTEND:20261122T203000Z");
  assert_has_line (unfolded, "SUMMARY:Talk\\, Bar\\; Café");
  assert_has_line (unfolded, "DESCRIPTION:First line\\nsecond\\, with\\; all\\\\ of it");
  assert_has_line (unfolded, "LOCATION:Basislager\\, Leipzig");
  assert_has_line (unfolded, "GEO:51.500000;-0.125000");
  assert_has_line (unfolded, "CATEGORIES:Food & Drink");
  assert_has_line (unfolded, "CLASS:PRIVATE");
  assert_has_line (unfolded, "SEQUENCE:2");
  assert_has_line (unfolded, "STATUS:CANCELLED");
  assert_has_line (unfolded, "CREATED:20261121T180000Z");
  assert_has_line (unfolded, "LAST-MODIFIED:20261122T170000Z");
  assert_has_line (unfolded, "URL:http://127.0.0.1:8080/api/v1/events/6f1c2f8e-3b0a-4c5e-9d7f-0a1b2c3d4e5f");

  /* The second event: nothing optional, and no DTEND for an instant. */
  {
    const char *second = strstr (unfolded, "UID:0a1b2c3d-0000-4000-8000-000000000001@turnout");

    g_assert_nonnull (second);
    assert_no_property (second, "DESCRIPTION");
    assert_no_property (second, "LOCATION");
    assert_no_property (second, "GEO");
    assert_no_property (second, "CATEGORIES");
    assert_no_property (second, "DTEND");
    assert_has_line (second - 2, "UID:0a1b2c3d-0000-4000-8000-000000000001@turnout");
    assert_has_line (second, "SEQUENCE:0");
    assert_has_line (second, "STATUS:CONFIRMED");
    assert_has_line (second, "CLASS:PUBLIC");
  }

  /* A Host header cannot smuggle a line into the calendar. */
  unsafe = tn_ics_write_calendar ("x", events, "http://evil\r\nATTACH:x");
  unsafe_unfolded = unfold (unsafe);
  assert_no_property (unsafe_unfolded, "URL");
  assert_no_property (unsafe_unfolded, "ATTACH");
}

/* --- black-box: the routes against a demo server -------------------------- */

typedef struct
{
  TnTestServer *server;
  const char   *url;
  char         *admin;
  char         *organizer;
  char         *other;
  char         *staff;
  char         *member;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->server = tn_test_server_new (TRUE);
  f->url = tn_test_server_get_url (f->server);
  f->admin = tn_test_server_token_for (f->server, TN_DEMO_ADMIN_EMAIL);
  f->organizer = tn_test_server_token_for (f->server, TN_DEMO_ORGANIZER_EMAIL);
  f->other = tn_test_server_token_for (f->server, OTHER_ORGANIZER_EMAIL);
  f->staff = tn_test_server_token_for (f->server, TN_DEMO_STAFF_EMAIL);
  f->member = tn_test_server_token_for (f->server, TN_DEMO_MEMBER_EMAIL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->server, tn_test_server_free);
  g_free (f->admin);
  g_free (f->organizer);
  g_free (f->other);
  g_free (f->staff);
  g_free (f->member);
}

/* The shared request helper, with this file's fixture. */
typedef TnTestReply Reply;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, tn_test_reply_free)

static Reply *
http (Fixture    *f,
      const char *method,
      const char *path,
      const char *token,
      const char *body,
      const char *if_match)
{
  return tn_test_request (f->url, method, path, token, body, if_match);
}

static char *
expect_json (Fixture    *f,
             const char *method,
             const char *path,
             const char *token,
             const char *body,
             const char *if_match,
             guint       status)
{
  g_autoptr(Reply) reply = http (f, method, path, token, body, if_match);

  if (reply->status != status)
    g_error ("%s %s: expected %u, got %u: %s", method, path, status, reply->status, reply->body);
  g_assert_cmpstr (soup_message_headers_get_content_type (reply->headers, NULL), ==,
                   "application/json");
  return g_steal_pointer (&reply->body);
}

static void
expect_error (Fixture    *f,
              const char *method,
              const char *path,
              const char *token,
              guint       status,
              const char *code)
{
  g_autofree char *body = expect_json (f, method, path, token, NULL, NULL, status);

  tn_test_assert_error_body (body, code);
}

/* GET of a calendar that must succeed; returns its text. */
static char *
get_ics (Fixture    *f,
         const char *path,
         const char *token)
{
  g_autoptr(Reply) reply = http (f, "GET", path, token, NULL, NULL);
  g_autoptr(GHashTable) params = NULL;

  if (reply->status != 200)
    g_error ("GET %s: expected 200, got %u: %s", path, reply->status, reply->body);
  g_assert_cmpstr (soup_message_headers_get_content_type (reply->headers, &params), ==,
                   ICS_CONTENT_TYPE);
  g_assert_cmpstr (g_hash_table_lookup (params, "charset"), ==, "utf-8");
  return g_steal_pointer (&reply->body);
}

static char *
feed_path (const char *query)
{
  return g_strconcat ("/api/v1/events.ics", query != NULL ? "?" : "", query, NULL);
}

/* The JSON list of one page of 500, which must be the whole list. */
static char *
get_list (Fixture    *f,
          const char *token,
          const char *query)
{
  g_autofree char *path = g_strconcat ("/api/v1/events?limit=500", query != NULL ? "&" : "", query,
                                       NULL);
  g_autofree char *body = expect_json (f, "GET", path, token, NULL, NULL, 200);
  g_autoptr(JsonObject) page = tn_test_parse_object (body);

  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (page, "next_cursor")));
  return g_steal_pointer (&body);
}

static char *
event_path (const char *id,
            const char *suffix)
{
  return g_strconcat ("/api/v1/events/", id, suffix, NULL);
}

static guint
count_events (const char *ics)
{
  guint n = 0;

  for (const char *p = ics; (p = strstr (p, "\r\nBEGIN:VEVENT\r\n")) != NULL; p++)
    n++;
  return n;
}

static gboolean
python_has_icalendar (const char *python)
{
  g_autoptr(GSubprocess) process = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                              NULL, python, "-c", "import icalendar", NULL);
  return process != NULL && g_subprocess_wait_check (process, NULL, NULL);
}

/* The python3 that has python3-icalendar: the one in PATH, else Debian's
 * own (a python3 from pyenv or a venv earlier in PATH does not see the
 * packages of /usr/lib/python3/dist-packages). NULL after failing the test
 * when there is none: CI installs it, so this is never skipped. */
static const char *
find_python (void)
{
  static char *found = NULL;
  static gboolean looked = FALSE;

  if (!looked)
    {
      g_autofree char *in_path = g_find_program_in_path ("python3");
      const char *candidates[] = { in_path, "/usr/bin/python3" };

      looked = TRUE;
      for (guint i = 0; i < G_N_ELEMENTS (candidates) && found == NULL; i++)
        if (candidates[i] != NULL && python_has_icalendar (candidates[i]))
          found = g_strdup (candidates[i]);
    }
  if (found == NULL)
    g_test_fail_printf ("python3-icalendar is missing: it checks the calendar feeds. "
                        "Install it with `apt-get install python3-icalendar` "
                        "(tools/install-deps does).");
  return found;
}

/* Runs ics-check.py: python3-icalendar parses @ics, and every field of
 * every event is compared with @json (a list page or one event). */
static void
check_ics (const char *ics,
           const char *json)
{
  const char *python = find_python ();
  const char *script = g_test_get_filename (G_TEST_DIST, "server", "ics-check.py", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *json_path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int fd;

  if (python == NULL)
    return;
  fd = g_file_open_tmp ("ics-check-XXXXXX.json", &json_path, &error);
  g_assert_no_error (error);
  g_close (fd, NULL);
  g_file_set_contents (json_path, json, -1, &error);
  g_assert_no_error (error);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                              G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, python, script, json_path, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, ics, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_unlink (json_path);
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    g_error ("ics-check.py disagrees with the API:\n%s\ncalendar:\n%s", err, ics);
  g_test_message ("ics-check.py: %s", g_strchomp (out));
}

/* Checks a feed against the list with the same query, as @token sees both. */
static char *
check_feed (Fixture    *f,
            const char *token,
            const char *query)
{
  g_autofree char *path = feed_path (query);
  g_autofree char *ics = get_ics (f, path, token);
  g_autofree char *json = get_list (f, token, query);

  check_ics (ics, json);
  return g_steal_pointer (&ics);
}

static char *
check_event_ics (Fixture    *f,
                 const char *id,
                 const char *token)
{
  g_autofree char *path = event_path (id, ".ics");
  g_autofree char *json_path = event_path (id, NULL);
  g_autofree char *ics = get_ics (f, path, token);
  g_autofree char *json = expect_json (f, "GET", json_path, token, NULL, NULL, 200);

  check_ics (ics, json);
  return g_steal_pointer (&ics);
}

static char *
first_id (Fixture    *f,
          const char *query)
{
  g_autofree char *json = get_list (f, NULL, query);
  g_autoptr(JsonObject) page = tn_test_parse_object (json);
  JsonArray *items = json_object_get_array_member (page, "items");

  g_assert_cmpuint (json_array_get_length (items), >, 0);
  return g_strdup (tn_json_object_get_string (json_array_get_object_element (items, 0), "id"));
}

static char *
create_event (Fixture    *f,
              const char *token,
              JsonObject *fields)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *body = NULL;
  g_autofree char *answer = NULL;
  g_autoptr(JsonObject) event = NULL;

  json_node_set_object (node, fields);
  body = tn_json_to_string (node);
  answer = expect_json (f, "POST", "/api/v1/events", token, body, NULL, 201);
  event = tn_test_parse_object (answer);
  return g_strdup (tn_json_object_get_string (event, "id"));
}

static JsonObject *
event_fields (const char *title,
              gint64      starts_at,
              gint64      ends_at,
              const char *visibility)
{
  JsonObject *fields = json_object_new ();
  g_autofree char *starts = tn_time_format (starts_at);
  g_autofree char *ends = tn_time_format (ends_at);

  json_object_set_string_member (fields, "title", title);
  json_object_set_string_member (fields, "starts_at", starts);
  json_object_set_string_member (fields, "ends_at", ends);
  json_object_set_string_member (fields, "visibility", visibility);
  return fields;
}

static void
test_feed (Fixture       *f,
           gconstpointer  data)
{
  const char *callers[] = { NULL, f->member, f->organizer, f->admin };

  for (guint i = 0; i < G_N_ELEMENTS (callers); i++)
    {
      g_autofree char *ics = check_feed (f, callers[i], NULL);
      g_autofree char *unfolded = unfold (ics);

      g_assert_cmpuint (count_events (ics), ==, 31);
      assert_has_line (unfolded, "X-WR-CALNAME:Turnout events");
    }
}

static void
test_event (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *id = first_id (f, NULL);
  g_autofree char *ics = check_event_ics (f, id, NULL);
  g_autofree char *unfolded = unfold (ics);
  g_autofree char *url = g_strconcat ("URL:", f->url, "/api/v1/events/", id, NULL);
  g_autofree char *upper = g_ascii_strup (id, -1);
  g_autofree char *upper_path = event_path (upper, ".ics");
  g_autofree char *upper_ics = get_ics (f, upper_path, NULL);

  g_assert_cmpuint (count_events (ics), ==, 1);
  assert_has_line (unfolded, url);
  /* The UID is the stable id, however the path spelled it. */
  g_assert_cmpstr (upper_ics, ==, ics);
  /* The JSON route is still JSON. */
  {
    g_autofree char *path = event_path (id, NULL);
    g_autofree char *json = expect_json (f, "GET", path, NULL, NULL, NULL, 200);

    g_assert_true (json[0] == '{');
  }
}

/* Text that needs every kind of escaping and folding, through the whole
 * stack: JSON in, SQLite, calendar out, icalendar back. */
static void
test_changes (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *description = make_description ();
  g_autofree char *long_description = NULL;
  gint64 now = tn_time_now ();
  JsonObject *fields = event_fields ("Lieder, Lyrik; Lärm — 🎶", now + 86400, now + 90000, "public");
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *cancel = NULL;
  g_autofree char *ics = NULL;
  g_autofree char *patched = NULL;
  g_autofree char *cancelled = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *feed = NULL;

  /* The python parser's own unescaping turns "\\n" into a line break
   * (see ics-check.py), so the text sent to it has no backslash before n;
   * test_fold covers that case. */
  g_strdelimit (description, "\\", '/');
  long_description = g_strconcat (description, "\r\nWindows line end, tab\there.", NULL);
  json_object_set_string_member (fields, "description", long_description);
  json_object_set_string_member (fields, "location", "Moritzbastei, Kurt-Masur-Platz 1; Leipzig");
  json_object_set_double_member (fields, "lat", 51.3372);
  json_object_set_double_member (fields, "lon", -12.3783);
  json_object_set_string_member (fields, "category", "Music");
  id = create_event (f, f->organizer, fields);
  json_object_unref (fields);
  path = event_path (id, NULL);
  cancel = event_path (id, "/cancel");

  ics = check_event_ics (f, id, NULL);
  assert_folded (ics);
  g_assert_nonnull (strstr (ics, "\r\nSEQUENCE:0\r\n"));
  g_assert_nonnull (strstr (ics, "\r\nSTATUS:CONFIRMED\r\n"));

  answer = expect_json (f, "PATCH", path, f->organizer, "{\"title\": \"Lieder, renamed\"}", "\"1\"", 200);
  g_clear_pointer (&answer, g_free);
  patched = check_event_ics (f, id, NULL);
  g_assert_nonnull (strstr (patched, "\r\nSEQUENCE:1\r\n"));
  g_assert_nonnull (strstr (patched, "\r\nSUMMARY:Lieder\\, renamed\r\n"));

  answer = expect_json (f, "POST", cancel, f->organizer, NULL, NULL, 200);
  cancelled = check_event_ics (f, id, NULL);
  g_assert_nonnull (strstr (cancelled, "\r\nSEQUENCE:2\r\n"));
  g_assert_nonnull (strstr (cancelled, "\r\nSTATUS:CANCELLED\r\n"));

  /* A cancelled event stays in the feed, so calendars hear of it. */
  feed = check_feed (f, NULL, "status=cancelled");
  g_assert_cmpuint (count_events (feed), ==, 1);
  g_assert_nonnull (strstr (feed, "\r\nSTATUS:CANCELLED\r\n"));
  g_clear_pointer (&feed, g_free);
  feed = check_feed (f, NULL, "category=Music");
  g_assert_cmpuint (count_events (feed), ==, 5);

  /* A deleted event is gone. */
  g_clear_pointer (&answer, g_free);
  {
    g_autoptr(Reply) deleted = http (f, "DELETE", path, f->organizer, NULL, NULL);
    g_autofree char *ics_path = event_path (id, ".ics");

    g_assert_cmpuint (deleted->status, ==, 204);
    expect_error (f, "GET", ics_path, f->organizer, 404, "not_found");
  }
}

static void
test_private (Fixture       *f,
              gconstpointer  data)
{
  gint64 now = tn_time_now ();
  JsonObject *fields = event_fields ("Team retreat", now + 86400, now + 2 * 86400, "private");
  g_autofree char *id = create_event (f, f->organizer, fields);
  g_autofree char *ics_path = event_path (id, ".ics");
  const char *outsiders[] = { NULL, f->member, f->staff, f->other };
  const char *insiders[] = { f->organizer, f->admin };

  json_object_unref (fields);
  for (guint i = 0; i < G_N_ELEMENTS (outsiders); i++)
    {
      g_autofree char *feed = check_feed (f, outsiders[i], NULL);
      g_autofree char *search = check_feed (f, outsiders[i], "q=retreat");

      g_assert_null (strstr (feed, id));
      g_assert_cmpuint (count_events (feed), ==, 31);
      g_assert_cmpuint (count_events (search), ==, 0);
      expect_error (f, "GET", ics_path, outsiders[i], 404, "not_found");
    }
  for (guint i = 0; i < G_N_ELEMENTS (insiders); i++)
    {
      g_autofree char *feed = check_feed (f, insiders[i], NULL);
      g_autofree char *ics = check_event_ics (f, id, insiders[i]);

      g_assert_nonnull (strstr (feed, id));
      g_assert_cmpuint (count_events (feed), ==, 32);
      g_assert_nonnull (strstr (ics, "\r\nCLASS:PRIVATE\r\n"));
    }
}

static void
test_filters (Fixture       *f,
              gconstpointer  data)
{
  static const struct { const char *query; guint count; const char *calname; } cases[] = {
    { "category=Music", 4, "Turnout: Music" },
    { "category=Food%20%26%20Drink", 4, "Turnout: Food & Drink" },
    { "category=Nope", 0, "Turnout: Nope" },
    { "tag=outdoors", 3, "Turnout events" },
    { "category=Tech&tag=linux", 2, "Turnout: Tech" },
    { "q=jazz", 1, "Turnout events" },
    { "status=scheduled", 31, "Turnout events" },
    { "status=cancelled", 0, "Turnout events" },
    { "from=2000-01-01T00:00:00Z&to=2001-01-01T00:00:00Z", 0, "Turnout events" },
    /* nearest first, as the list orders them */
    { "near=51.3397,12.3731&radius_km=2", G_MAXUINT, "Turnout events" },
    { "near=0,0&radius_km=1", 0, "Turnout events" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *ics = check_feed (f, NULL, cases[i].query);
      g_autofree char *unfolded = unfold (ics);
      g_autofree char *calname = g_strconcat ("X-WR-CALNAME:", cases[i].calname, NULL);

      g_test_message ("%s", cases[i].query);
      if (cases[i].count != G_MAXUINT)
        g_assert_cmpuint (count_events (ics), ==, cases[i].count);
      else
        g_assert_cmpuint (count_events (ics), >, 1);
      assert_has_line (unfolded, calname);
    }

  /* limit works as in the list; the feed has no cursor to follow. */
  {
    g_autofree char *ics = get_ics (f, "/api/v1/events.ics?limit=2", NULL);
    g_autofree char *json = expect_json (f, "GET", "/api/v1/events?limit=2", NULL, NULL, NULL, 200);

    check_ics (ics, json);
    g_assert_cmpuint (count_events (ics), ==, 2);
  }
}

/* Without `from`, a feed starts 30 days back; with it, it is the list. */
static void
test_past_window (Fixture       *f,
                  gconstpointer  data)
{
  gint64 now = tn_time_now ();
  JsonObject *old = event_fields ("Long ago", now - 90 * 86400, now - 90 * 86400 + 3600, "public");
  JsonObject *recent = event_fields ("Last week", now - 7 * 86400, now - 7 * 86400 + 3600, "public");
  g_autofree char *old_id = create_event (f, f->organizer, old);
  g_autofree char *recent_id = create_event (f, f->organizer, recent);
  g_autofree char *feed = get_ics (f, "/api/v1/events.ics", NULL);
  g_autofree char *from = tn_time_format (now - 100 * 86400);
  g_autofree char *query = g_strconcat ("from=", from, NULL);
  g_autofree char *full = check_feed (f, NULL, query);

  json_object_unref (old);
  json_object_unref (recent);
  g_assert_null (strstr (feed, old_id));
  g_assert_nonnull (strstr (feed, recent_id));
  g_assert_cmpuint (count_events (feed), ==, 32);
  g_assert_nonnull (strstr (full, old_id));
  g_assert_cmpuint (count_events (full), ==, 33);
}

static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *id = first_id (f, NULL);
  g_autofree char *ics_path = event_path (id, ".ics");
  g_autofree char *nested = event_path (id, ".ics/cancel");
  g_autofree char *double_suffix = event_path (id, ".ics.ics");

  expect_error (f, "GET", "/api/v1/events/00000000-0000-4000-8000-000000000000.ics", NULL, 404,
                "not_found");
  expect_error (f, "GET", "/api/v1/events/nope.ics", NULL, 404, "not_found");
  expect_error (f, "GET", "/api/v1/events/.ics", NULL, 404, "not_found");
  expect_error (f, "GET", "/api/v1/events.ics/x", NULL, 404, "not_found");
  expect_error (f, "GET", nested, NULL, 404, "not_found");
  expect_error (f, "GET", double_suffix, NULL, 404, "not_found");

  /* Calendars are read-only, and `{id}` does not take "ID.ics". */
  {
    g_autoptr(Reply) patch = http (f, "PATCH", ics_path, f->organizer, "{\"title\": \"x\"}", "\"1\"");
    g_autoptr(Reply) post = http (f, "POST", "/api/v1/events.ics", f->organizer, "{}", NULL);
    g_autofree char *json_path = event_path (id, NULL);
    g_autofree char *json = expect_json (f, "GET", json_path, NULL, NULL, NULL, 200);
    g_autoptr(JsonObject) event = tn_test_parse_object (json);

    g_assert_cmpuint (patch->status, ==, 405);
    g_assert_cmpstr (soup_message_headers_get_one (patch->headers, "Allow"), ==, "GET");
    tn_test_assert_error_body (patch->body, "bad_request");
    g_assert_cmpuint (post->status, ==, 405);
    g_assert_cmpstr (soup_message_headers_get_one (post->headers, "Allow"), ==, "GET");
    g_assert_cmpint (json_object_get_int_member (event, "version"), ==, 1);
  }
}

/* Bad filters: the same 422 answer from the feed as from the list. */
static void
test_bad_query (Fixture       *f,
                gconstpointer  data)
{
  static const char * const queries[] = {
    "from=yesterday",
    "to=2026-11-22",
    "from=2026-11-22T18:00:00",
    "limit=0",
    "limit=501",
    "limit=ten",
    "limit=-1",
    "status=maybe",
    "category=%FF%FE",
    "tag=%C3",
    "q=%80",
    "near=north",
    "radius_km=5",
    "from=x&to=y&limit=0&status=z",
  };
  g_autoptr(GString) long_q = g_string_new ("q=");

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autofree char *list_path = g_strconcat ("/api/v1/events?", queries[i], NULL);
      g_autofree char *feed = feed_path (queries[i]);
      g_autofree char *from_list = expect_json (f, "GET", list_path, NULL, NULL, NULL, 422);
      g_autofree char *from_feed = expect_json (f, "GET", feed, NULL, NULL, NULL, 422);

      g_test_message ("%s", queries[i]);
      tn_test_assert_error_body (from_feed, "validation_failed");
      tn_assert_json_equal (from_feed, from_list);
    }

  while (long_q->len < 2 + 201)
    g_string_append_c (long_q, 'a');
  {
    g_autofree char *list_path = g_strconcat ("/api/v1/events?", long_q->str, NULL);
    g_autofree char *feed = feed_path (long_q->str);
    g_autofree char *from_list = expect_json (f, "GET", list_path, NULL, NULL, NULL, 422);
    g_autofree char *from_feed = expect_json (f, "GET", feed, NULL, NULL, NULL, 422);

    tn_assert_json_equal (from_feed, from_list);
  }

  /* A cursor means nothing to a feed: the list refuses a bad one, the
   * feed ignores it. */
  {
    g_autofree char *from_list = expect_json (f, "GET", "/api/v1/events?cursor=%21%21", NULL, NULL,
                                              NULL, 422);
    g_autofree char *ics = get_ics (f, "/api/v1/events.ics?cursor=%21%21", NULL);

    tn_test_assert_error_body (from_list, "validation_failed");
    g_assert_cmpuint (count_events (ics), ==, 31);
  }
}

int
main (int    argc,
      char **argv)
{
  tn_test_init (&argc, &argv);

  g_test_add_func ("/server/ics/escape", test_escape);
  g_test_add_func ("/server/ics/fold", test_fold);
  g_test_add_func ("/server/ics/fold-lengths", test_fold_lengths);
  g_test_add_func ("/server/ics/time", test_time);
  g_test_add_func ("/server/ics/calendar", test_calendar);

#define ADD(path, func) \
  g_test_add ("/server/ics/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("feed", test_feed);
  ADD ("event", test_event);
  ADD ("changes", test_changes);
  ADD ("private", test_private);
  ADD ("filters", test_filters);
  ADD ("past-window", test_past_window);
  ADD ("not-found", test_not_found);
  ADD ("bad-query", test_bad_query);
#undef ADD

  return g_test_run ();
}
