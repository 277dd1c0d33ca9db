/* SPDX-License-Identifier: GPL-3.0-or-later */
/* CSV: the RFC 4180 reader and writer of server/tn-csv.c, and against a
 * real server the attendee import and export: results per row, re-import
 * without duplicates, a round trip, who may do it, and files that are
 * refused without storing anything. */
#include "config.h"

#include <string.h>

#include "tn-csv.h"
#include "tn-json.h"
#include "tn-test-utils.h"
#include "tn-time.h"

/* --- the reader and the writer -------------------------------------------- */

static TnCsv *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  TnCsv *csv = tn_csv_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (csv);
  return csv;
}

static void
assert_row (TnCsv       *csv,
            guint        row,
            guint        line,
            const char  *first,
            ...)
{
  GStrv fields = csv->rows->pdata[row];
  va_list args;
  guint i = 0;

  g_assert_cmpuint (g_array_index (csv->lines, guint, row), ==, line);
  va_start (args, first);
  for (const char *expected = first; expected != NULL; expected = va_arg (args, const char *), i++)
    {
      g_assert_nonnull (fields[i]);
      g_assert_cmpstr (fields[i], ==, expected);
    }
  va_end (args);
  g_assert_null (fields[i]);
}

static void
test_reader_basic (void)
{
  g_autoptr(TnCsv) lf = parse_ok ("a,b,c\n1,2,3\n");
  g_autoptr(TnCsv) crlf = parse_ok ("a,b,c\r\n1,2,3\r\n");
  g_autoptr(TnCsv) cr = parse_ok ("a,b\r1,2");
  g_autoptr(TnCsv) no_end = parse_ok ("a,b\n1,2");
  g_autoptr(TnCsv) empty = parse_ok ("a,,c\n,,\n\"\",x,\n");
  g_autoptr(TnCsv) blank = parse_ok ("a\n\n\r\nb\n");
  g_autoptr(TnCsv) nothing = parse_ok ("");
  g_autoptr(TnCsv) bom = parse_ok ("\xef\xbb\xbfname,email\r\nZoë,z@example.org\r\n");

  g_assert_cmpuint (lf->rows->len, ==, 2);
  assert_row (lf, 0, 1, "a", "b", "c", NULL);
  assert_row (lf, 1, 2, "1", "2", "3", NULL);
  g_assert_cmpuint (crlf->rows->len, ==, 2);
  assert_row (crlf, 1, 2, "1", "2", "3", NULL);
  assert_row (cr, 1, 2, "1", "2", NULL);
  assert_row (no_end, 1, 2, "1", "2", NULL);
  g_assert_cmpuint (empty->rows->len, ==, 3);
  assert_row (empty, 0, 1, "a", "", "c", NULL);
  assert_row (empty, 1, 2, "", "", "", NULL);
  assert_row (empty, 2, 3, "", "x", "", NULL);
  g_assert_cmpuint (blank->rows->len, ==, 2);
  assert_row (blank, 1, 4, "b", NULL);
  g_assert_cmpuint (nothing->rows->len, ==, 0);
  assert_row (bom, 0, 1, "name", "email", NULL);
  assert_row (bom, 1, 2, "Zoë", "z@example.org", NULL);
}

static void
test_reader_quoted (void)
{
  g_autoptr(TnCsv) csv = parse_ok ("\"a,b\",\"say \"\"hi\"\"\",\"\"\r\n"
                                   "\"two\nlines\",\"crlf\r\ninside\",\"cr\rinside\"\r\n"
                                   "last,\"\",\"\"\"\"\n");

  g_assert_cmpuint (csv->rows->len, ==, 3);
  assert_row (csv, 0, 1, "a,b", "say \"hi\"", "", NULL);
  assert_row (csv, 1, 2, "two\nlines", "crlf\r\ninside", "cr\rinside", NULL);
  /* The second record spans lines 2 to 5. */
  assert_row (csv, 2, 6, "last", "", "\"", NULL);
}

static void
assert_parse_error (const char *text,
                    gssize      length,
                    TnCsvError  code,
                    const char *in_message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnCsv) csv = tn_csv_parse (text, length < 0 ? strlen (text) : (gsize) length, &error);

  g_assert_null (csv);
  g_assert_error (error, TN_CSV_ERROR, (int) code);
  if (strstr (error->message, in_message) == NULL)
    g_error ("expected \"%s\" in \"%s\"", in_message, error->message);
}

static void
test_reader_errors (void)
{
  g_autoptr(GString) text = NULL;

  assert_parse_error ("a,b\n1,\"open\nand on\n", -1, TN_CSV_ERROR_UNTERMINATED_QUOTE, "Line 2");
  assert_parse_error ("a,b\r\nok,ok\r\nbad\xff,x\r\n", -1, TN_CSV_ERROR_INVALID_UTF8, "Line 3");
  assert_parse_error ("a,b\n\"x\"y,z\n", -1, TN_CSV_ERROR_BAD_QUOTE, "Line 2");
  assert_parse_error ("a,b\nx\"y,z\n", -1, TN_CSV_ERROR_BAD_QUOTE, "Line 2");
  assert_parse_error ("a\nb\0c\n", 6, TN_CSV_ERROR_INVALID_UTF8, "Line 2");

  text = g_string_new ("a\n\"multi\nline\"\n");
  for (guint i = 0; i <= TN_CSV_FIELD_MAX; i++)
    g_string_append_c (text, 'x');
  assert_parse_error (text->str, -1, TN_CSV_ERROR_FIELD_TOO_LONG, "Line 4");

  g_string_assign (text, "a\n");
  for (guint i = 0; i < TN_CSV_COLUMNS_MAX; i++)
    g_string_append (text, "x,");
  g_string_append (text, "x\n");
  assert_parse_error (text->str, -1, TN_CSV_ERROR_TOO_MANY_COLUMNS, "Line 2");

  /* Exactly the limits are fine. */
  g_string_assign (text, "");
  for (guint i = 0; i < TN_CSV_COLUMNS_MAX; i++)
    g_string_append (text, i > 0 ? ",x" : "x");
  g_string_append (text, "\n");
  for (guint i = 0; i < TN_CSV_ROWS_MAX; i++)
    g_string_append (text, "y\n");
  {
    g_autoptr(TnCsv) csv = parse_ok (text->str);

    g_assert_cmpuint (csv->rows->len, ==, TN_CSV_ROWS_MAX + 1);
    g_assert_cmpuint (tn_csv_row_length (csv, 0), ==, TN_CSV_COLUMNS_MAX);
  }
  g_string_append (text, "one too many");
  assert_parse_error (text->str, -1, TN_CSV_ERROR_TOO_MANY_ROWS, "Line 20002");
}

static void
test_writer (void)
{
  const char *fields[] = { "plain", "a,b", "say \"hi\"", "two\nlines", "cr\rx", NULL, "" };
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(TnCsv) csv = NULL;

  tn_csv_append_row (out, fields, G_N_ELEMENTS (fields));
  tn_csv_append_row (out, fields, 1);
  g_assert_cmpstr (out->str, ==, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rx\",,\r\nplain\r\n");
  csv = parse_ok (out->str);
  g_assert_cmpuint (csv->rows->len, ==, 2);
  assert_row (csv, 0, 1, "plain", "a,b", "say \"hi\"", "two\nlines", "cr\rx", "", "", NULL);
  assert_row (csv, 1, 4, "plain", NULL);
}

/* --- against a server ------------------------------------------------------ */

typedef struct
{
  TnTestServer *server;
  char         *organizer;   /* tokens */
  char         *admin;
  char         *member;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->server = tn_test_server_new (TRUE);
  f->organizer = tn_test_server_token_for (f->server, TN_DEMO_ORGANIZER_EMAIL);
  f->admin = tn_test_server_token_for (f->server, TN_DEMO_ADMIN_EMAIL);
  f->member = tn_test_server_token_for (f->server, TN_DEMO_MEMBER_EMAIL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_free (f->organizer);
  g_free (f->admin);
  g_free (f->member);
  tn_test_server_free (f->server);
}

static char *
request_text (Fixture    *f,
              const char *method,
              const char *path,
              const char *token,
              const char *body,
              gssize      body_len,
              const char *content_type,
              guint       expected_status)
{
  const char *headers[] = { "Content-Type", content_type, NULL };
  g_autofree char *answer = NULL;
  guint status = tn_test_http (tn_test_server_get_url (f->server), method, path, token, body, body_len,
                               content_type != NULL ? headers : NULL, &answer);

  if (status != expected_status)
    g_error ("%s %s: expected %u, got %u: %.2000s", method, path, expected_status, status, answer);
  return g_steal_pointer (&answer);
}

static JsonObject *
request (Fixture    *f,
         const char *method,
         const char *path,
         const char *token,
         const char *body,
         guint       expected_status)
{
  g_autofree char *answer = request_text (f, method, path, token, body, -1, NULL, expected_status);

  return answer[0] != '\0' ? tn_test_parse_object (answer) : NULL;
}

static JsonObject *
import_as (Fixture    *f,
           const char *event_id,
           const char *token,
           const char *csv,
           gssize      length,
           guint       expected_status)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/attendees/import", event_id);
  g_autofree char *answer = request_text (f, "POST", path, token, csv, length, "text/csv; charset=utf-8",
                                          expected_status);

  return answer[0] != '\0' ? tn_test_parse_object (answer) : NULL;
}

static JsonObject *
import (Fixture    *f,
        const char *event_id,
        const char *csv,
        guint       expected_status)
{
  return import_as (f, event_id, f->organizer, csv, -1, expected_status);
}

static char *
export (Fixture    *f,
        const char *event_id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/attendees.csv", event_id);

  return request_text (f, "GET", path, f->organizer, NULL, -1, NULL, 200);
}

static void
assert_error (JsonObject *answer,
              const char *code)
{
  g_assert_nonnull (answer);
  g_assert_cmpstr (tn_json_object_get_string (json_object_get_object_member (answer, "error"), "code"), ==, code);
}

static const char *
error_message (JsonObject *answer)
{
  return tn_json_object_get_string (json_object_get_object_member (answer, "error"), "message");
}

static char *
create_event (Fixture    *f,
              const char *extra)
{
  g_autofree char *starts = tn_time_format (tn_time_now () + 86400);
  g_autofree char *ends = tn_time_format (tn_time_now () + 90000);
  g_autofree char *body = g_strdup_printf ("{\"title\":\"CSV test\",\"starts_at\":\"%s\",\"ends_at\":\"%s\"%s%s}",
                                           starts, ends, extra[0] ? "," : "", extra);
  g_autoptr(JsonObject) event = request (f, "POST", "/api/v1/events", f->organizer, body, 201);

  return g_strdup (tn_json_object_get_string (event, "id"));
}

static char *
snapshot (Fixture    *f,
          const char *event_id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/attendees?limit=500", event_id);

  return request_text (f, "GET", path, f->organizer, NULL, -1, NULL, 200);
}

static guint
count_attendees (Fixture    *f,
                 const char *event_id)
{
  g_autofree char *text = snapshot (f, event_id);
  g_autoptr(JsonObject) list = tn_test_parse_object (text);

  return json_array_get_length (json_object_get_array_member (list, "items"));
}

static void
assert_counts (JsonObject *answer,
               gint64      created,
               gint64      updated,
               gint64      unchanged)
{
  g_assert_cmpint (json_object_get_int_member (answer, "created"), ==, created);
  g_assert_cmpint (json_object_get_int_member (answer, "updated"), ==, updated);
  g_assert_cmpint (json_object_get_int_member (answer, "unchanged"), ==, unchanged);
  g_assert_cmpint (json_object_get_int_member (answer, "errors"), ==, 0);
}

static const char *
row_member (JsonObject *answer,
            guint       i,
            const char *member)
{
  JsonObject *row = json_array_get_object_element (json_object_get_array_member (answer, "rows"), i);

  return tn_json_object_get_string (row, member);
}

static const char *guest_file =
  "\xef\xbb\xbf" "NAME,Email,Ticket_Type,note,status\r\n"
  "Ada Lovelace,ada@example.org,VIP,\"Table 1, near the stage\",going\r\n"
  "\"Grace \"\"Amazing\"\" Hopper\",grace@example.org,,\"Two\r\nlines\",\r\n"
  "Zoë Ünicode,zoe@example.org,,,interested\r\n";

static void
test_import (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *event_id = create_event (f, "");
  g_autoptr(JsonObject) first = import (f, event_id, guest_file, 200);
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(JsonObject) changed = NULL;
  g_autoptr(JsonObject) list = NULL;
  g_autofree char *text = NULL;
  JsonArray *items;

  assert_counts (first, 3, 0, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (first, "rows")), ==, 3);
  g_assert_cmpstr (row_member (first, 0, "email"), ==, "ada@example.org");
  g_assert_cmpstr (row_member (first, 0, "result"), ==, "created");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (json_object_get_array_member (first, "rows"), 2), "line"), ==, 5);

  text = snapshot (f, event_id);
  list = tn_test_parse_object (text);
  items = json_object_get_array_member (list, "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *a = json_array_get_object_element (items, i);
      const char *email = tn_json_object_get_string (a, "email");

      if (g_str_equal (email, "ada@example.org"))
        {
          g_assert_cmpstr (tn_json_object_get_string (a, "note"), ==, "Table 1, near the stage");
          g_assert_cmpstr (tn_json_object_get_string (a, "ticket_type"), ==, "VIP");
          g_assert_cmpstr (tn_json_object_get_string (a, "status"), ==, "going");
        }
      else if (g_str_equal (email, "grace@example.org"))
        {
          g_assert_cmpstr (tn_json_object_get_string (a, "name"), ==, "Grace \"Amazing\" Hopper");
          g_assert_cmpstr (tn_json_object_get_string (a, "note"), ==, "Two\nlines");
          g_assert_cmpstr (tn_json_object_get_string (a, "status"), ==, "going");
        }
      else
        {
          g_assert_cmpstr (email, ==, "zoe@example.org");
          g_assert_cmpstr (tn_json_object_get_string (a, "name"), ==, "Zoë Ünicode");
          g_assert_cmpstr (tn_json_object_get_string (a, "status"), ==, "interested");
        }
    }

  /* The same file again: nothing new. */
  again = import (f, event_id, guest_file, 200);
  assert_counts (again, 0, 0, 3);
  g_assert_cmpstr (row_member (again, 1, "result"), ==, "unchanged");
  g_assert_cmpuint (count_attendees (f, event_id), ==, 3);

  /* Matched on e-mail in any case; a new name and note update. */
  changed = import (f, event_id,
                    "name,email,note\n"
                    "Ada King,ADA@example.org,Table 1\n"
                    "\"Grace \"\"Amazing\"\" Hopper\",grace@example.org,\"Two\nlines\"\n"
                    "New Person,new@example.org,\n", 200);
  assert_counts (changed, 1, 1, 1);
  g_assert_cmpstr (row_member (changed, 0, "result"), ==, "updated");
  g_assert_cmpstr (row_member (changed, 2, "result"), ==, "created");
  g_assert_cmpuint (count_attendees (f, event_id), ==, 4);
}

static void
test_waitlist (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *event_id = create_event (f, "\"capacity\":1,\"waitlist\":true");
  g_autofree char *full_id = create_event (f, "\"capacity\":1,\"waitlist\":false");
  g_autoptr(JsonObject) answer = import (f, event_id, "name,email\nA,a@example.org\nB,b@example.org\n", 200);
  g_autoptr(JsonObject) refused = NULL;
  g_autofree char *before = snapshot (f, full_id);
  g_autofree char *after = NULL;

  g_assert_cmpstr (row_member (answer, 0, "result"), ==, "created");
  g_assert_cmpstr (row_member (answer, 1, "result"), ==, "waitlisted");
  g_assert_cmpint (json_object_get_int_member (answer, "waitlisted"), ==, 1);

  /* No seat and no waitlist for the second row: neither row is stored. */
  refused = import (f, full_id, "name,email\nA,a@example.org\nB,b@example.org\n", 409);
  assert_error (refused, "capacity_full");
  after = snapshot (f, full_id);
  g_assert_cmpstr (before, ==, after);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The records of an export without the ticket codes, sorted: guests
 * imported in one second have no order between them. */
static GPtrArray *
export_rows (Fixture    *f,
             const char *event_id)
{
  g_autofree char *text = export (f, event_id);
  g_autoptr(TnCsv) csv = parse_ok (text);
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);

  g_assert_cmpuint (csv->rows->len, >=, 1);
  for (guint r = 0; r < csv->rows->len; r++)
    {
      GStrv fields = csv->rows->pdata[r];

      g_assert_cmpuint (g_strv_length (fields), ==, 7);
      if (r > 0 && g_str_equal (fields[2], "going"))
        g_assert_cmpuint (strlen (fields[5]), >, 0);
      g_free (fields[5]);
      fields[5] = g_strdup ("");
      g_ptr_array_add (rows, g_strjoinv ("\x1f", fields));
    }
  g_ptr_array_sort (rows, compare_strings);
  return rows;
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *from_id = create_event (f, "");
  g_autofree char *to_id = create_event (f, "");
  g_autofree char *text = NULL;
  g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/attendees.csv", from_id);
  g_autoptr(JsonObject) first = import (f, from_id, guest_file, 200);
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(JsonObject) third = NULL;
  g_autoptr(GPtrArray) from_rows = NULL;
  g_autoptr(GPtrArray) to_rows = NULL;
  g_autoptr(JsonObject) added = NULL;
  g_autofree char *attendees_path = g_strdup_printf ("/api/v1/events/%s/attendees", from_id);

  added = request (f, "POST", attendees_path, f->organizer,
                   "{\"name\":\"Quote, \\\"and\\\" comma\",\"email\":\"q@example.org\",\"note\":\"a\\nb\",\"status\":\"maybe\"}",
                   201);

  /* The export: its header, text/csv, CRLF line ends. */
  {
    g_autofree char *answer = NULL;

    text = export (f, from_id);
    g_assert_true (g_str_has_prefix (text, "name,email,status,ticket_type,note,ticket_code,waitlist_position\r\n"));
    g_assert_nonnull (strstr (text, "\"Table 1, near the stage\""));
    g_assert_cmpuint (tn_test_http (tn_test_server_get_url (f->server), "GET", path, f->organizer,
                                    NULL, -1, NULL, &answer), ==, 200);
  }

  second = import (f, to_id, text, 200);
  assert_counts (second, 4, 0, 0);
  from_rows = export_rows (f, from_id);
  to_rows = export_rows (f, to_id);
  g_assert_cmpuint (from_rows->len, ==, 5);
  g_assert_cmpuint (to_rows->len, ==, from_rows->len);
  for (guint i = 0; i < from_rows->len; i++)
    g_assert_cmpstr (from_rows->pdata[i], ==, to_rows->pdata[i]);

  /* And the export read back into its own event changes nothing. */
  third = import (f, from_id, text, 200);
  assert_counts (third, 0, 0, 4);
}

static void
test_permissions (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *event_id = create_event (f, "");
  g_autofree char *import_path = g_strdup_printf ("/api/v1/events/%s/attendees/import", event_id);
  g_autofree char *export_path = g_strdup_printf ("/api/v1/events/%s/attendees.csv", event_id);
  g_autoptr(JsonObject) by_member = import_as (f, event_id, f->member, guest_file, -1, 403);
  g_autoptr(JsonObject) by_nobody = import_as (f, event_id, NULL, guest_file, -1, 401);
  g_autoptr(JsonObject) by_admin = import_as (f, event_id, f->admin, guest_file, -1, 200);
  g_autoptr(JsonObject) no_event = import_as (f, "00000000-0000-4000-8000-000000000000", f->organizer,
                                              guest_file, -1, 404);
  g_autofree char *member_export = request_text (f, "GET", export_path, f->member, NULL, -1, NULL, 403);
  g_autofree char *anonymous_export = request_text (f, "GET", export_path, NULL, NULL, -1, NULL, 401);
  g_autofree char *admin_export = request_text (f, "GET", export_path, f->admin, NULL, -1, NULL, 200);
  g_autofree char *wrong_method = request_text (f, "POST", export_path, f->organizer, "", -1, NULL, 405);
  g_autofree char *not_csv = request_text (f, "POST", import_path, f->organizer, "name,email\n", -1, NULL, 400);

  assert_error (by_member, "forbidden");
  assert_error (by_nobody, "unauthorized");
  assert_counts (by_admin, 3, 0, 0);
  assert_error (no_event, "not_found");
  g_assert_cmpuint (count_attendees (f, event_id), ==, 3);
}

/* Each of these files is refused with @status and stores nothing. */
static void
assert_refused (Fixture    *f,
                const char *event_id,
                const char *csv,
                gssize      length,
                guint       status,
                const char *code,
                const char *in_message)
{
  g_autofree char *before = snapshot (f, event_id);
  g_autoptr(JsonObject) answer = import_as (f, event_id, f->organizer, csv, length, status);
  g_autofree char *after = snapshot (f, event_id);

  assert_error (answer, code);
  if (in_message != NULL && strstr (error_message (answer), in_message) == NULL)
    g_error ("expected \"%s\" in \"%s\"", in_message, error_message (answer));
  g_assert_cmpstr (before, ==, after);
}

static void
test_bad_files (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *event_id = create_event (f, "");
  g_autoptr(JsonObject) seeded = import (f, event_id, "name,email\nFirst,first@example.org\n", 200);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *row_path = g_strdup_printf ("/api/v1/events/%s/attendees/import", event_id);

  /* Structurally malformed: 400 with the line. */
  assert_refused (f, event_id, "name,email\nA,a@example.org\nB,\"b@example.org\n", -1, 400, "bad_request", "Line 3");
  assert_refused (f, event_id, "name,email\nA,a@example.org\nB\xc3\x28,b@example.org\n", -1, 400, "bad_request", "Line 3");
  assert_refused (f, event_id, "name,email\nA,a@ex\"ample.org\n", -1, 400, "bad_request", "Line 2");
  assert_refused (f, event_id, "", -1, 400, "bad_request", "header");

  /* A row with 10,000 columns. */
  g_string_assign (text, "name,email\nA,a@example.org\n");
  for (guint i = 0; i < 10000; i++)
    g_string_append (text, i > 0 ? ",x" : "x");
  g_string_append (text, "\n");
  assert_refused (f, event_id, text->str, -1, 400, "bad_request", "Line 3");

  /* 100,000 rows (under the body size limit): too many. */
  g_string_assign (text, "name,email\n");
  for (guint i = 0; i < 100000; i++)
    g_string_append (text, "x,a@b.co\n");
  assert_refused (f, event_id, text->str, -1, 400, "bad_request", "rows");

  /* Over the body size limit. */
  g_string_assign (text, "name,email\n");
  while (text->len <= 1024 * 1024)
    g_string_append (text, "Someone,someone@example.org\n");
  {
    g_autofree char *before = snapshot (f, event_id);
    g_autofree char *answer = NULL;
    const char *headers[] = { "Content-Type", "text/csv", NULL };
    guint status = tn_test_http (tn_test_server_get_url (f->server), "POST", row_path, f->organizer,
                                 text->str, (gssize) text->len, headers, &answer);
    g_autofree char *after = snapshot (f, event_id);

    g_assert_cmpuint (status, ==, 413);
    g_assert_cmpstr (before, ==, after);
  }

  /* Bad headers: 422. */
  assert_refused (f, event_id, "name,email,shoe_size\nA,a@example.org,44\n", -1, 422, "validation_failed", NULL);
  assert_refused (f, event_id, "name,note\nA,x\n", -1, 422, "validation_failed", NULL);
  assert_refused (f, event_id, "name,email,EMAIL\nA,a@example.org,a@example.org\n", -1, 422, "validation_failed", NULL);

  /* Good rows with one bad one: 422, the bad row named, nothing stored. */
  {
    g_autofree char *before = snapshot (f, event_id);
    g_autoptr(JsonObject) answer = import (f, event_id,
                                           "name,email,status\n"
                                           "Good,good@example.org,going\n"
                                           "Bad,not-an-address,going\n"
                                           "Worse,worse@example.org,sometimes\n"
                                           "Short\n"
                                           "Twice,GOOD@example.org,\n", 422);
    g_autofree char *after = snapshot (f, event_id);
    JsonObject *details = json_object_get_object_member (json_object_get_object_member (answer, "error"), "details");
    JsonArray *rows = json_object_get_array_member (details, "rows");

    assert_error (answer, "validation_failed");
    g_assert_cmpstr (before, ==, after);
    g_assert_cmpint (json_object_get_int_member (details, "errors"), ==, 4);
    g_assert_cmpuint (json_array_get_length (rows), ==, 4);
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (rows, 0), "line"), ==, 3);
    g_assert_cmpstr (tn_json_object_get_string (json_array_get_object_element (rows, 0), "result"), ==, "error");
    g_assert_nonnull (strstr (tn_json_object_get_string (json_array_get_object_element (rows, 0), "error"), "email"));
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (rows, 1), "line"), ==, 4);
    g_assert_nonnull (strstr (tn_json_object_get_string (json_array_get_object_element (rows, 1), "error"), "status"));
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (rows, 2), "line"), ==, 5);
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (rows, 3), "line"), ==, 6);
    g_assert_nonnull (strstr (tn_json_object_get_string (json_array_get_object_element (rows, 3), "error"), "line 2"));
  }
  g_assert_cmpuint (count_attendees (f, event_id), ==, 1);
}

/* attendees.csv is a path of its own; attendee ids still route. */
static void
test_routes (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *event_id = create_event (f, "");
  g_autoptr(JsonObject) answer = import (f, event_id, "name,email\nA,a@example.org\n", 200);
  g_autofree char *list = snapshot (f, event_id);
  g_autoptr(JsonObject) object = tn_test_parse_object (list);
  JsonObject *first = json_array_get_object_element (json_object_get_array_member (object, "items"), 0);
  g_autofree char *one_path = g_strdup_printf ("/api/v1/events/%s/attendees/%s", event_id,
                                               tn_json_object_get_string (first, "id"));
  g_autofree char *csv_path = g_strdup_printf ("/api/v1/events/%s/attendees.csv", event_id);
  g_autofree char *dot_path = g_strdup_printf ("/api/v1/events/%s/attendees/x.csv", event_id);
  g_autoptr(JsonObject) one = request (f, "GET", one_path, f->organizer, NULL, 200);
  g_autoptr(JsonObject) dotted = request (f, "GET", dot_path, f->organizer, NULL, 404);
  g_autofree char *exported = request_text (f, "GET", csv_path, f->organizer, NULL, -1, NULL, 200);

  g_assert_cmpstr (tn_json_object_get_string (one, "email"), ==, "a@example.org");
  g_assert_nonnull (strstr (exported, "\r\nA,a@example.org,going,"));
}

int
main (int    argc,
      char **argv)
{
  tn_test_init (&argc, &argv);

  g_test_add_func ("/server/csv/reader/basic", test_reader_basic);
  g_test_add_func ("/server/csv/reader/quoted", test_reader_quoted);
  g_test_add_func ("/server/csv/reader/errors", test_reader_errors);
  g_test_add_func ("/server/csv/writer", test_writer);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/server/csv/import", test_import);
  ADD ("/server/csv/waitlist", test_waitlist);
  ADD ("/server/csv/round-trip", test_round_trip);
  ADD ("/server/csv/permissions", test_permissions);
  ADD ("/server/csv/bad-files", test_bad_files);
  ADD ("/server/csv/routes", test_routes);
#undef ADD

  return g_test_run ();
}
