/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Attendees and tickets: the organizer's list with filters and pages,
 * guests, edits, reissued and revoked tickets, who may do what, and bad
 * input that changes nothing, against a real server. */
#include "config.h"

#include <string.h>

#include "tn-error.h"
#include "tn-json.h"
#include "tn-store.h"
#include "tn-test-utils.h"
#include "tn-time.h"

#define CODE_PATTERN "^([0-9A-HJKMNP-TV-Z]{4}-){6}[0-9A-HJKMNP-TV-Z]{2}$"

typedef struct
{
  TnTestServer *server;
  char         *organizer;   /* tokens */
  char         *other_organizer;
  char         *admin;
  char         *member;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->server = tn_test_server_new (TRUE);
  f->organizer = tn_test_server_token_for (f->server, TN_DEMO_ORGANIZER_EMAIL);
  f->other_organizer = tn_test_server_token_for (f->server, "omar@example.org");
  f->admin = tn_test_server_token_for (f->server, TN_DEMO_ADMIN_EMAIL);
  f->member = tn_test_server_token_for (f->server, TN_DEMO_MEMBER_EMAIL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_free (f->organizer);
  g_free (f->other_organizer);
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
              guint       expected_status)
{
  g_autofree char *answer = NULL;
  guint status = tn_test_http (tn_test_server_get_url (f->server), method, path, token, body, -1, NULL, &answer);

  if (status != expected_status)
    g_error ("%s %s: expected %u, got %u: %s", method, path, expected_status, status, answer);
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
  g_autofree char *answer = request_text (f, method, path, token, body, expected_status);

  return answer[0] != '\0' ? tn_test_parse_object (answer) : NULL;
}

static void
assert_error (JsonObject *answer,
              const char *code)
{
  g_assert_nonnull (answer);
  g_assert_cmpstr (tn_json_object_get_string (json_object_get_object_member (answer, "error"), "code"), ==, code);
}

/* Creates an event of the demo organizer starting tomorrow; @extra is
 * more JSON members. */
static char *
create_event (Fixture    *f,
              const char *extra)
{
  g_autofree char *starts = tn_time_format (tn_time_now () + 86400);
  g_autofree char *ends = tn_time_format (tn_time_now () + 90000);
  g_autofree char *body = g_strdup_printf ("{\"title\":\"Attendee test\",\"starts_at\":\"%s\",\"ends_at\":\"%s\"%s%s}",
                                           starts, ends, extra[0] ? "," : "", extra);
  g_autoptr(JsonObject) event = request (f, "POST", "/api/v1/events", f->organizer, body, 201);

  return g_strdup (tn_json_object_get_string (event, "id"));
}

static JsonObject *
add_guest (Fixture    *f,
           const char *event_id,
           const char *body,
           guint       expected_status)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/attendees", event_id);

  return request (f, "POST", path, f->organizer, body, expected_status);
}

/* The whole attendee list of an event, as the server answers it: for
 * checking that a refused request changed nothing. */
static char *
snapshot (Fixture    *f,
          const char *event_id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/attendees?limit=500", event_id);

  return request_text (f, "GET", path, f->organizer, NULL, 200);
}

static JsonArray *
items_of (JsonObject *page)
{
  return json_object_get_array_member (page, "items");
}

/* A second connection to the server's database, for what the API does
 * not offer yet (ticket lookup belongs to check-in). */
static TnStore *
open_store (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  TnStore *store = tn_test_store_open (tn_test_server_get_uri (f->server), &error);

  g_assert_no_error (error);
  return store;
}

/* --- permissions --------------------------------------------------------- */

static void
test_permissions (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *id = create_event (f, "");
  g_autofree char *private_id = create_event (f, "\"visibility\":\"private\"");
  g_autoptr(JsonObject) guest = add_guest (f, id, "{\"name\":\"Ada Guest\",\"email\":\"ada@example.net\"}", 201);
  g_autoptr(JsonObject) private_guest = add_guest (f, private_id, "{\"name\":\"Bo\",\"email\":\"bo@example.net\"}", 201);
  g_autofree char *before = snapshot (f, id);
  g_autofree char *private_before = snapshot (f, private_id);
  const char *guest_id = tn_json_object_get_string (guest, "id");
  const char *private_guest_id = tn_json_object_get_string (private_guest, "id");
  /* the path is /attendees, then /ATTENDEE_ID with @one, then @tail */
  struct { const char *method; gboolean one; const char *tail; const char *body; } calls[] = {
    { "GET", FALSE, "", NULL },
    { "POST", FALSE, "", "{\"name\":\"Eve\",\"email\":\"eve@example.net\"}" },
    { "GET", TRUE, "", NULL },
    { "PATCH", TRUE, "", "{\"note\":\"let in\"}" },
    { "POST", TRUE, "/ticket", NULL },
    { "DELETE", TRUE, "/ticket", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      g_autofree char *path = g_strconcat ("/api/v1/events/", id, "/attendees", calls[i].one ? "/" : "",
                                           calls[i].one ? guest_id : "", calls[i].tail, NULL);
      g_autofree char *private_path = g_strconcat ("/api/v1/events/", private_id, "/attendees",
                                                   calls[i].one ? "/" : "", calls[i].one ? private_guest_id : "",
                                                   calls[i].tail, NULL);
      g_autoptr(JsonObject) anonymous = request (f, calls[i].method, path, NULL, calls[i].body, 401);
      g_autoptr(JsonObject) member = request (f, calls[i].method, path, f->member, calls[i].body, 403);
      g_autoptr(JsonObject) other = request (f, calls[i].method, path, f->other_organizer, calls[i].body, 403);
      g_autoptr(JsonObject) hidden = request (f, calls[i].method, private_path, f->member, calls[i].body, 404);
      g_autoptr(JsonObject) hidden_other = request (f, calls[i].method, private_path, f->other_organizer,
                                                    calls[i].body, 404);

      assert_error (anonymous, "unauthorized");
      assert_error (member, "forbidden");
      assert_error (other, "forbidden");
      assert_error (hidden, "not_found");
      assert_error (hidden_other, "not_found");
    }

  /* nothing of that changed anything */
  {
    g_autofree char *after = snapshot (f, id);
    g_autofree char *private_after = snapshot (f, private_id);

    g_assert_cmpstr (after, ==, before);
    g_assert_cmpstr (private_after, ==, private_before);
  }

  /* an admin may, as the organizer may */
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/attendees", private_id);
    g_autoptr(JsonObject) page = request (f, "GET", path, f->admin, NULL, 200);

    g_assert_cmpuint (json_array_get_length (items_of (page)), ==, 1);
  }
}

/* The event's team (…/people): staff read the attendees, for check-in;
 * co-hosts manage them as the organizer does. */
static void
test_team (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *id = create_event (f, "\"visibility\":\"private\"");
  g_autofree char *staff = tn_test_server_token_for (f->server, TN_DEMO_STAFF_EMAIL);
  g_autoptr(JsonObject) staff_me = request (f, "GET", "/api/v1/me", staff, NULL, 200);
  g_autoptr(JsonObject) cohost_me = request (f, "GET", "/api/v1/me", f->other_organizer, NULL, 200);
  g_autofree char *staff_path = g_strdup_printf ("/api/v1/events/%s/people/%s", id,
                                                 tn_json_object_get_string (staff_me, "id"));
  g_autofree char *cohost_path = g_strdup_printf ("/api/v1/events/%s/people/%s", id,
                                                  tn_json_object_get_string (cohost_me, "id"));
  g_autofree char *list_path = g_strdup_printf ("/api/v1/events/%s/attendees", id);
  g_autoptr(JsonObject) guest = add_guest (f, id, "{\"name\":\"Ada\",\"email\":\"ada@example.net\"}", 201);
  g_autofree char *one_path = g_strdup_printf ("%s/%s", list_path, tn_json_object_get_string (guest, "id"));
  g_autofree char *ticket_path = g_strconcat (one_path, "/ticket", NULL);
  g_autoptr(JsonObject) hidden = request (f, "GET", list_path, staff, NULL, 404);
  g_autoptr(JsonObject) assigned = request (f, "PUT", staff_path, f->organizer, "{\"role\":\"staff\"}", 200);
  g_autoptr(JsonObject) made_cohost = request (f, "PUT", cohost_path, f->organizer, "{\"role\":\"cohost\"}", 200);
  g_autoptr(JsonObject) staff_list = request (f, "GET", list_path, staff, NULL, 200);
  g_autoptr(JsonObject) staff_one = request (f, "GET", one_path, staff, NULL, 200);
  g_autoptr(JsonObject) staff_add = request (f, "POST", list_path, staff,
                                             "{\"name\":\"Bo\",\"email\":\"bo@example.net\"}", 403);
  g_autoptr(JsonObject) staff_patch = request (f, "PATCH", one_path, staff, "{\"note\":\"x\"}", 403);
  g_autoptr(JsonObject) staff_ticket = request (f, "POST", ticket_path, staff, NULL, 403);
  g_autoptr(JsonObject) cohost_add = request (f, "POST", list_path, f->other_organizer,
                                              "{\"name\":\"Cy\",\"email\":\"cy@example.net\"}", 201);
  g_autoptr(JsonObject) cohost_ticket = request (f, "POST", ticket_path, f->other_organizer, NULL, 200);

  assert_error (hidden, "not_found");
  g_assert_cmpuint (json_array_get_length (items_of (staff_list)), ==, 1);
  g_assert_cmpstr (tn_json_object_get_string (staff_one, "id"), ==, tn_json_object_get_string (guest, "id"));
  assert_error (staff_add, "forbidden");
  assert_error (staff_patch, "forbidden");
  assert_error (staff_ticket, "forbidden");
  g_assert_cmpstr (tn_json_object_get_string (cohost_add, "status"), ==, "going");
  g_assert_cmpstr (tn_json_object_get_string (cohost_ticket, "ticket_code"), !=,
                   tn_json_object_get_string (guest, "ticket_code"));
}

/* --- guests -------------------------------------------------------------- */

static void
test_add_guest (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *id = create_event (f, "\"capacity\":2,\"waitlist\":true");
  g_autofree char *full_id = create_event (f, "\"capacity\":1,\"waitlist\":false");
  g_autofree char *rsvp_path = g_strdup_printf ("/api/v1/events/%s/rsvp", id);
  g_autoptr(JsonObject) a = add_guest (f, id, "{\"name\":\"  Ada Lovelace \",\"email\":\"ada@example.net\","
                                       "\"ticket_type\":\"Speaker\",\"note\":\"Table 1\\nvegetarian\"}", 201);
  g_autoptr(JsonObject) member = request (f, "PUT", rsvp_path, f->member, "{\"status\":\"going\"}", 200);
  g_autoptr(JsonObject) b = add_guest (f, id, "{\"name\":\"Bo\",\"email\":\"bo@example.net\",\"status\":\"going\"}",
                                       201);
  g_autoptr(JsonObject) c = add_guest (f, id, "{\"name\":\"Cy\",\"email\":\"cy@example.net\"}", 201);
  g_autoptr(JsonObject) d = add_guest (f, id, "{\"name\":\"Di\",\"email\":\"di@example.net\",\"status\":\"maybe\"}",
                                       201);
  g_autofree char *before = NULL;

  /* a free seat: going, with a ticket; the name trimmed */
  g_assert_cmpstr (tn_json_object_get_string (a, "status"), ==, "going");
  g_assert_cmpstr (tn_json_object_get_string (a, "name"), ==, "Ada Lovelace");
  g_assert_cmpstr (tn_json_object_get_string (a, "email"), ==, "ada@example.net");
  g_assert_cmpstr (tn_json_object_get_string (a, "event_id"), ==, id);
  g_assert_cmpstr (tn_json_object_get_string (a, "ticket_type"), ==, "Speaker");
  g_assert_cmpstr (tn_json_object_get_string (a, "note"), ==, "Table 1\nvegetarian");
  g_assert_true (json_object_get_null_member (a, "user_id"));
  g_assert_true (g_regex_match_simple (CODE_PATTERN, tn_json_object_get_string (a, "ticket_code"), 0, 0));
  g_assert_true (g_uuid_string_is_valid (tn_json_object_get_string (a, "id")));
  g_assert_cmpstr (tn_json_object_get_string (member, "status"), ==, "going");

  /* the event is full: guests queue as members do, and only `going` queues */
  g_assert_cmpstr (tn_json_object_get_string (b, "status"), ==, "waitlisted");
  g_assert_cmpint (tn_json_object_get_int (b, "waitlist_position", -1), ==, 1);
  g_assert_true (json_object_get_null_member (b, "ticket_code"));
  g_assert_cmpstr (tn_json_object_get_string (c, "status"), ==, "waitlisted");
  g_assert_cmpint (tn_json_object_get_int (c, "waitlist_position", -1), ==, 2);
  g_assert_cmpstr (tn_json_object_get_string (d, "status"), ==, "maybe");
  g_assert_true (json_object_get_null_member (d, "ticket_code"));
  g_assert_cmpstr (tn_json_object_get_string (d, "ticket_type"), ==, "");

  /* an e-mail address already on the event, in any case, whether a guest's
   * or a member's: 409, and nothing stored */
  before = snapshot (f, id);
  {
    g_autoptr(JsonObject) twin = add_guest (f, id, "{\"name\":\"Ada 2\",\"email\":\"ADA@Example.NET\"}", 409);
    g_autoptr(JsonObject) member_twin = add_guest (f, id, "{\"name\":\"Maria\",\"email\":\"" TN_DEMO_MEMBER_EMAIL "\","
                                                   "\"status\":\"interested\"}", 409);
    g_autofree char *after = snapshot (f, id);

    assert_error (twin, "conflict");
    assert_error (member_twin, "conflict");
    g_assert_cmpstr (after, ==, before);
  }

  /* the seat a member leaves goes to the first guest waiting */
  {
    g_autoptr(JsonObject) left = request (f, "PUT", rsvp_path, f->member, "{\"status\":\"not_going\"}", 200);
    g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/attendees/%s", id, tn_json_object_get_string (b, "id"));
    g_autoptr(JsonObject) promoted = request (f, "GET", path, f->organizer, NULL, 200);

    g_assert_cmpstr (tn_json_object_get_string (promoted, "status"), ==, "going");
    g_assert_true (g_regex_match_simple (CODE_PATTERN, tn_json_object_get_string (promoted, "ticket_code"), 0, 0));
  }

  /* a guest added under a member's e-mail address is that member: their
   * RSVP takes over the guest's row, seat and ticket */
  {
    g_autofree char *own_id = create_event (f, "");
    g_autofree char *own_rsvp = g_strdup_printf ("/api/v1/events/%s/rsvp", own_id);
    g_autoptr(JsonObject) added = add_guest (f, own_id, "{\"name\":\"Maria (guest)\",\"email\":\"MARIA@example.org\","
                                             "\"ticket_type\":\"Crew\"}", 201);
    g_autoptr(JsonObject) answered = request (f, "PUT", own_rsvp, f->member, "{\"status\":\"going\"}", 200);
    g_autoptr(JsonObject) seen = request (f, "GET", own_rsvp, f->member, NULL, 200);
    g_autofree char *list = snapshot (f, own_id);
    g_autoptr(JsonObject) page = tn_test_parse_object (list);

    g_assert_true (json_object_get_null_member (added, "user_id"));
    g_assert_cmpstr (tn_json_object_get_string (answered, "id"), ==, tn_json_object_get_string (added, "id"));
    g_assert_nonnull (tn_json_object_get_string (answered, "user_id"));
    g_assert_cmpstr (tn_json_object_get_string (answered, "status"), ==, "going");
    g_assert_cmpstr (tn_json_object_get_string (answered, "ticket_code"), ==,
                     tn_json_object_get_string (added, "ticket_code"));
    g_assert_cmpstr (tn_json_object_get_string (answered, "ticket_type"), ==, "Crew");
    g_assert_cmpstr (tn_json_object_get_string (seen, "id"), ==, tn_json_object_get_string (added, "id"));
    g_assert_cmpuint (json_array_get_length (items_of (page)), ==, 1);
  }

  /* full without a waitlist: capacity_full, nothing stored; other
   * statuses still fine */
  {
    g_autoptr(JsonObject) first = add_guest (f, full_id, "{\"name\":\"Ed\",\"email\":\"ed@example.net\"}", 201);
    g_autofree char *full_before = snapshot (f, full_id);
    g_autoptr(JsonObject) refused = add_guest (f, full_id, "{\"name\":\"Flo\",\"email\":\"flo@example.net\"}", 409);
    g_autofree char *full_after = snapshot (f, full_id);
    g_autoptr(JsonObject) interested = add_guest (f, full_id, "{\"name\":\"Flo\",\"email\":\"flo@example.net\","
                                                  "\"status\":\"interested\"}", 201);

    assert_error (refused, "capacity_full");
    g_assert_cmpstr (full_after, ==, full_before);
    g_assert_cmpstr (tn_json_object_get_string (interested, "status"), ==, "interested");
  }

  /* a cancelled event takes no guests */
  {
    g_autofree char *cancel = g_strdup_printf ("/api/v1/events/%s/cancel", full_id);
    g_autoptr(JsonObject) cancelled = request (f, "POST", cancel, f->organizer, NULL, 200);
    g_autoptr(JsonObject) refused = add_guest (f, full_id, "{\"name\":\"Gus\",\"email\":\"gus@example.net\","
                                               "\"status\":\"maybe\"}", 409);

    assert_error (refused, "conflict");
  }
}

/* --- list, filters, pages ------------------------------------------------ */

#define N_GUESTS 23

static const char *
status_of_guest (guint i)
{
  return i % 3 == 0 ? "interested" : (i % 3 == 1 ? "going" : "maybe");
}

/* Pages through the list with @query (URL-encoded, may be empty) and
 * @limit; asserts no page is over the limit and no id repeats. */
static GPtrArray *
collect_ids (Fixture    *f,
             const char *event_id,
             const char *query,
             guint       limit)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *cursor = NULL;

  for (guint pages = 0;; pages++)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/attendees?limit=%u%s%s%s%s", event_id, limit,
                                               query[0] ? "&" : "", query,
                                               cursor != NULL ? "&cursor=" : "", cursor != NULL ? cursor : "");
      g_autoptr(JsonObject) page = request (f, "GET", path, f->organizer, NULL, 200);
      JsonArray *items = items_of (page);
      JsonNode *next = json_object_get_member (page, "next_cursor");

      g_assert_cmpuint (pages, <, 100);
      g_assert_cmpuint (json_array_get_length (items), <=, limit);
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          const char *id = tn_json_object_get_string (json_array_get_object_element (items, i), "id");

          g_assert_false (g_hash_table_contains (seen, id));
          g_hash_table_add (seen, g_strdup (id));
          g_ptr_array_add (ids, g_strdup (id));
        }
      g_clear_pointer (&cursor, g_free);
      g_assert_nonnull (next);
      if (JSON_NODE_HOLDS_NULL (next))
        break;
      /* a full page before every cursor */
      g_assert_cmpuint (json_array_get_length (items), ==, limit);
      cursor = g_strdup (json_node_get_string (next));
    }
  return g_steal_pointer (&ids);
}

static void
test_list (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *id = create_event (f, "");
  g_autofree char *other_id = create_event (f, "");
  g_autoptr(JsonObject) elsewhere = add_guest (f, other_id, "{\"name\":\"Zoë Elsewhere\",\"email\":\"z@example.net\"}",
                                               201);
  g_autoptr(GPtrArray) all_ids = NULL;
  g_autoptr(GPtrArray) everything = NULL;
  static const char *names[] = { "Zoë Ångström", "100% Cotton", "under_score", "Plain Name" };

  for (guint i = 0; i < N_GUESTS; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"name\":\"%s %u\",\"email\":\"guest%u@%s\",\"status\":\"%s\"}",
                                               names[i % G_N_ELEMENTS (names)], i, i,
                                               i % 2 ? "example.net" : "Example.ORG", status_of_guest (i));
      g_autoptr(JsonObject) guest = add_guest (f, id, body, 201);
    }

  /* every page size gives every attendee once, in the same order */
  everything = collect_ids (f, id, "", 500);
  g_assert_cmpuint (everything->len, ==, N_GUESTS);
  for (guint limit = 1; limit <= 7; limit += 3)
    {
      g_autoptr(GPtrArray) ids = collect_ids (f, id, "", limit);

      g_assert_cmpuint (ids->len, ==, N_GUESTS);
      for (guint i = 0; i < ids->len; i++)
        g_assert_cmpstr (ids->pdata[i], ==, everything->pdata[i]);
    }
  /* the default page is 50 */
  all_ids = collect_ids (f, id, "", 50);
  g_assert_cmpuint (all_ids->len, ==, N_GUESTS);

  /* status */
  {
    g_autoptr(GPtrArray) going = collect_ids (f, id, "status=going", 2);
    g_autoptr(GPtrArray) interested = collect_ids (f, id, "status=interested", 500);
    g_autoptr(GPtrArray) waitlisted = collect_ids (f, id, "status=waitlisted", 500);

    g_assert_cmpuint (going->len, ==, 8);        /* i % 3 == 1 of 0…22 */
    g_assert_cmpuint (interested->len, ==, 8);   /* i % 3 == 0 */
    g_assert_cmpuint (waitlisted->len, ==, 0);
  }

  /* q: any case, with or without accents, any script, name or e-mail;
   * % and _ are plain characters */
  {
    static const struct { const char *q; guint count; } cases[] = {
      { "zo%C3%AB", 6 },             /* zoë: 0, 4, 8, 12, 16, 20 */
      { "%C3%85NGSTR", 6 },          /* ÅNGSTR */
      { "zoe", 6 },                  /* accents are ignored: zoe finds Zoë */
      { "ANGSTROM", 6 },
      { "Zo%C3%A9", 6 },             /* Zoé, another accent */
      { "zoe%CC%88", 6 },            /* zoë decomposed: e + combining diaeresis */
      { "%25", 6 },                  /* % */
      { "_", 6 },
      { "%25%25", 0 },
      { "example.org", 12 },         /* even i, stored as Example.ORG */
      { "GUEST1", 11 },              /* 1, 10…19 */
      { "plain+name+3", 1 },         /* "Plain Name 3" */
      { "nobody", 0 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autofree char *query = g_strdup_printf ("q=%s", cases[i].q);
        g_autoptr(GPtrArray) ids = collect_ids (f, id, query, 4);

        if (ids->len != cases[i].count)
          g_error ("q=%s: expected %u, got %u", cases[i].q, cases[i].count, ids->len);
      }
  }

  /* filters together, paged one by one */
  {
    g_autoptr(GPtrArray) ids = collect_ids (f, id, "status=going&q=zo%C3%AB", 1);

    g_assert_cmpuint (ids->len, ==, 2);   /* 4 and 16 */
  }

  /* bad filters: 422 with a detail each */
  {
    static const struct { const char *query; const char *field; } bad[] = {
      { "limit=0", "limit" },
      { "limit=501", "limit" },
      { "limit=ten", "limit" },
      { "limit=-1", "limit" },
      { "status=waiting", "status" },
      { "status=GOING", "status" },
      { "cursor=not-a-cursor!", "cursor" },
      { "cursor=bm90IGEgY3Vyc29y", "cursor" },          /* "not a cursor" */
      { "cursor=YXR0OjEyMzpub3QtYS11dWlk", "cursor" },  /* "att:123:not-a-uuid" */
      { "q=%FF%FE", "q" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/attendees?%s", id, bad[i].query);
        g_autoptr(JsonObject) answer = request (f, "GET", path, f->organizer, NULL, 422);
        JsonObject *details = json_object_get_object_member (json_object_get_object_member (answer, "error"),
                                                             "details");

        assert_error (answer, "validation_failed");
        g_assert_true (json_object_has_member (details, bad[i].field));
      }
  }
  {
    g_autofree char *long_q = g_strnfill (201, 'x');
    g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/attendees?q=%s", id, long_q);
    g_autoptr(JsonObject) answer = request (f, "GET", path, f->organizer, NULL, 422);

    assert_error (answer, "validation_failed");
  }
}

/* --- bad input ----------------------------------------------------------- */

static void
test_bad_input (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *id = create_event (f, "\"capacity\":5");
  g_autofree char *other_id = create_event (f, "");
  g_autoptr(JsonObject) guest = add_guest (f, id, "{\"name\":\"Ada\",\"email\":\"ada@example.net\"}", 201);
  g_autoptr(JsonObject) other_guest = add_guest (f, other_id, "{\"name\":\"Bo\",\"email\":\"bo@example.net\"}", 201);
  const char *guest_id = tn_json_object_get_string (guest, "id");
  g_autofree char *add_path = g_strdup_printf ("/api/v1/events/%s/attendees", id);
  g_autofree char *one_path = g_strdup_printf ("/api/v1/events/%s/attendees/%s", id, guest_id);
  g_autofree char *ticket_path = g_strdup_printf ("/api/v1/events/%s/attendees/%s/ticket", id, guest_id);
  g_autofree char *long_name = g_strnfill (101, 'n');
  g_autofree char *long_type = g_strnfill (41, 't');
  g_autofree char *long_note = g_strnfill (501, 'x');
  g_autofree char *ok_note = g_strnfill (500, 'x');
  g_autofree char *before = snapshot (f, id);
  struct { const char *path; const char *method; char *body; guint status; const char *code; const char *field; }
  bad[] = {
    /* adding a guest */
    { add_path, "POST", g_strdup ("{\"name\":"), 400, "bad_request", NULL },
    { add_path, "POST", g_strdup ("[{\"name\":\"A\",\"email\":\"a@example.net\"}]"), 400, "bad_request", NULL },
    { add_path, "POST", g_strdup ("{\"name\":\"B\xff\",\"email\":\"b@example.net\"}"), 400, "bad_request", NULL },
    { add_path, "POST", g_strdup ("{\"name\":\"B\",\"email\":\"b@example.net\"} trailing"), 400, "bad_request", NULL },
    { add_path, "POST", g_strdup (""), 400, "bad_request", NULL },
    { add_path, "POST", g_strdup ("{}"), 422, "validation_failed", "name" },
    { add_path, "POST", g_strdup ("{\"name\":\"B\"}"), 422, "validation_failed", "email" },
    { add_path, "POST", g_strdup ("{\"name\":1,\"email\":\"b@example.net\"}"), 422, "validation_failed", "name" },
    { add_path, "POST", g_strdup ("{\"name\":\"B\",\"email\":null}"), 422, "validation_failed", "email" },
    { add_path, "POST", g_strdup ("{\"name\":\"B\",\"email\":[\"b@example.net\"]}"), 422, "validation_failed", "email" },
    { add_path, "POST", g_strdup ("{\"name\":\"B\",\"email\":\"b@example.net\",\"plus_one\":true}"), 422,
      "validation_failed", "plus_one" },
    { add_path, "POST", g_strdup ("{\"name\":\"B\",\"email\":\"b@example.net\",\"user_id\":\"x\"}"), 422,
      "validation_failed", "user_id" },
    { add_path, "POST", g_strdup_printf ("{\"name\":\"%s\",\"email\":\"b@example.net\"}", long_name), 422,
      "validation_failed", "name" },
    { add_path, "POST", g_strdup ("{\"name\":\"   \",\"email\":\"b@example.net\"}"), 422, "validation_failed", "name" },
    { add_path, "POST", g_strdup ("{\"name\":\"B\\u0007ell\",\"email\":\"b@example.net\"}"), 422,
      "validation_failed", "name" },
    { add_path, "POST", g_strdup ("{\"name\":\"Two\\nlines\",\"email\":\"b@example.net\"}"), 422,
      "validation_failed", "name" },
    { add_path, "POST", g_strdup ("{\"name\":\"B\",\"email\":\"not an address\"}"), 422, "validation_failed", "email" },
    { add_path, "POST", g_strdup ("{\"name\":\"B\",\"email\":\"b@\"}"), 422, "validation_failed", "email" },
    { add_path, "POST", g_strdup_printf ("{\"name\":\"B\",\"email\":\"b@example.net\",\"ticket_type\":\"%s\"}",
                                         long_type), 422, "validation_failed", "ticket_type" },
    { add_path, "POST", g_strdup ("{\"name\":\"B\",\"email\":\"b@example.net\",\"ticket_type\":\"a\\tb\"}"), 422,
      "validation_failed", "ticket_type" },
    { add_path, "POST", g_strdup_printf ("{\"name\":\"B\",\"email\":\"b@example.net\",\"note\":\"%s\"}", long_note),
      422, "validation_failed", "note" },
    { add_path, "POST", g_strdup ("{\"name\":\"B\",\"email\":\"b@example.net\",\"note\":5}"), 422,
      "validation_failed", "note" },
    { add_path, "POST", g_strdup ("{\"name\":\"B\",\"email\":\"b@example.net\",\"status\":\"waitlisted\"}"), 422,
      "validation_failed", "status" },
    { add_path, "POST", g_strdup ("{\"name\":\"B\",\"email\":\"b@example.net\",\"status\":\"yes\"}"), 422,
      "validation_failed", "status" },
    { add_path, "POST", g_strdup ("{\"name\":\"B\",\"email\":\"b@example.net\",\"status\":true}"), 422,
      "validation_failed", "status" },
    /* editing */
    { one_path, "PATCH", g_strdup ("{\"note\":"), 400, "bad_request", NULL },
    { one_path, "PATCH", g_strdup ("{\"note\":\"\xc3\x28\"}"), 400, "bad_request", NULL },
    { one_path, "PATCH", g_strdup ("\"note\""), 400, "bad_request", NULL },
    { one_path, "PATCH", g_strdup ("{\"name\":\"Renamed\"}"), 422, "validation_failed", "name" },
    { one_path, "PATCH", g_strdup ("{\"status\":\"going\"}"), 422, "validation_failed", "status" },
    { one_path, "PATCH", g_strdup ("{\"ticket_code\":\"X\"}"), 422, "validation_failed", "ticket_code" },
    { one_path, "PATCH", g_strdup ("{\"ticket_type\":7}"), 422, "validation_failed", "ticket_type" },
    { one_path, "PATCH", g_strdup ("{\"note\":null}"), 422, "validation_failed", "note" },
    { one_path, "PATCH", g_strdup_printf ("{\"ticket_type\":\"%s\"}", long_type), 422, "validation_failed",
      "ticket_type" },
    { one_path, "PATCH", g_strdup_printf ("{\"note\":\"ok\",\"ticket_type\":\"x\",\"note2\":\"%s\"}", ok_note), 422,
      "validation_failed", "note2" },
    { one_path, "PATCH", g_strdup_printf ("{\"note\":\"%s\"}", long_note), 422, "validation_failed", "note" },
    { one_path, "PATCH", g_strdup ("{\"note\":\"bell\\u0007\"}"), 422, "validation_failed", "note" },
    /* tickets take no fields */
    { ticket_path, "POST", g_strdup ("{\"code\":\"X\"}"), 422, "validation_failed", NULL },
    { ticket_path, "DELETE", g_strdup ("{\"reason\":\"lost\"}"), 422, "validation_failed", NULL },
    { ticket_path, "POST", g_strdup ("{"), 400, "bad_request", NULL },
    /* unknown and misspelt ids */
    { g_strdup_printf ("/api/v1/events/%s/attendees/%s", id, tn_json_object_get_string (other_guest, "id")), "GET",
      NULL, 404, "not_found", NULL },
    { g_strdup_printf ("/api/v1/events/%s/attendees/%s", id, tn_json_object_get_string (other_guest, "id")), "PATCH",
      g_strdup ("{\"note\":\"x\"}"), 404, "not_found", NULL },
    { g_strdup_printf ("/api/v1/events/%s/attendees/%s/ticket", id, tn_json_object_get_string (other_guest, "id")),
      "POST", NULL, 404, "not_found", NULL },
    { g_strdup_printf ("/api/v1/events/%s/attendees/%s/ticket", id, tn_json_object_get_string (other_guest, "id")),
      "DELETE", NULL, 404, "not_found", NULL },
    { g_strdup_printf ("/api/v1/events/%s/attendees/not-a-uuid", id), "GET", NULL, 404, "not_found", NULL },
    { g_strdup_printf ("/api/v1/events/%s/attendees/not-a-uuid", id), "PATCH", g_strdup ("{}"), 404, "not_found",
      NULL },
    { g_strdup_printf ("/api/v1/events/%s/attendees/00000000-0000-4000-8000-000000000000/ticket", id), "POST", NULL,
      404, "not_found", NULL },
    { g_strdup ("/api/v1/events/00000000-0000-4000-8000-000000000000/attendees"), "GET", NULL, 404, "not_found",
      NULL },
    { g_strdup ("/api/v1/events/00000000-0000-4000-8000-000000000000/attendees"), "POST",
      g_strdup ("{\"name\":\"B\",\"email\":\"b@example.net\"}"), 404, "not_found", NULL },
    { g_strdup ("/api/v1/events/nope/attendees"), "GET", NULL, 404, "not_found", NULL },
    { g_strdup_printf ("/api/v1/events/00000000-0000-4000-8000-000000000000/attendees/%s", guest_id), "GET", NULL,
      404, "not_found", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *answer = NULL;
      guint status = tn_test_http (tn_test_server_get_url (f->server), bad[i].method, bad[i].path, f->organizer,
                                   bad[i].body, -1, NULL, &answer);

      if (status != bad[i].status)
        g_error ("case %u, %s %s %s: expected %u, got %u: %s", i, bad[i].method, bad[i].path,
                 bad[i].body != NULL ? bad[i].body : "", bad[i].status, status, answer);
      tn_test_assert_error_body (answer, bad[i].code);
      if (bad[i].field != NULL)
        {
          g_autoptr(JsonObject) root = tn_test_parse_object (answer);
          JsonObject *details = json_object_get_object_member (json_object_get_object_member (root, "error"),
                                                               "details");

          g_assert_nonnull (details);
          if (!json_object_has_member (details, bad[i].field))
            g_error ("case %u: no detail for %s: %s", i, bad[i].field, answer);
        }
    }

  /* nothing of that changed the list, here or there */
  {
    g_autofree char *after = snapshot (f, id);

    g_assert_cmpstr (after, ==, before);
  }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      if (bad[i].path != add_path && bad[i].path != one_path && bad[i].path != ticket_path)
        g_free ((char *) bad[i].path);
      g_free (bad[i].body);
    }

  /* the limits themselves are fine */
  {
    g_autofree char *name = g_strnfill (100, 'n');
    g_autofree char *type = g_strnfill (40, 't');
    g_autofree char *body = g_strdup_printf ("{\"name\":\"%s\",\"email\":\"long@example.net\",\"ticket_type\":\"%s\","
                                             "\"note\":\"%s\"}", name, type, ok_note);
    g_autoptr(JsonObject) added = add_guest (f, id, body, 201);

    g_assert_cmpuint (strlen (tn_json_object_get_string (added, "note")), ==, 500);
  }
}

/* --- editing ------------------------------------------------------------- */

static void
test_patch (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *id = create_event (f, "");
  g_autoptr(JsonObject) guest = add_guest (f, id, "{\"name\":\"Ada\",\"email\":\"ada@example.net\"}", 201);
  g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/attendees/%s", id, tn_json_object_get_string (guest, "id"));
  g_autofree char *upper = g_ascii_strup (path, -1);
  g_autoptr(JsonObject) both = request (f, "PATCH", path, f->organizer,
                                        "{\"ticket_type\":\"Crew\",\"note\":\"Stage door\\nafter 17:00\"}", 200);
  g_autoptr(JsonObject) note_only = request (f, "PATCH", path, f->organizer, "{\"note\":\"Main door\"}", 200);
  g_autoptr(JsonObject) nothing = request (f, "PATCH", path, f->organizer, "{}", 200);
  g_autoptr(JsonObject) cleared = NULL;
  g_autoptr(JsonObject) got = NULL;

  g_assert_cmpstr (tn_json_object_get_string (both, "ticket_type"), ==, "Crew");
  g_assert_cmpstr (tn_json_object_get_string (both, "note"), ==, "Stage door\nafter 17:00");
  g_assert_cmpstr (tn_json_object_get_string (note_only, "ticket_type"), ==, "Crew");
  g_assert_cmpstr (tn_json_object_get_string (note_only, "note"), ==, "Main door");
  g_assert_cmpstr (tn_json_object_get_string (nothing, "note"), ==, "Main door");
  /* an edit keeps the rest: status, ticket */
  g_assert_cmpstr (tn_json_object_get_string (nothing, "status"), ==, "going");
  g_assert_cmpstr (tn_json_object_get_string (nothing, "ticket_code"), ==,
                   tn_json_object_get_string (guest, "ticket_code"));

  cleared = request (f, "PATCH", path, f->organizer, "{\"ticket_type\":\"\"}", 200);
  g_assert_cmpstr (tn_json_object_get_string (cleared, "ticket_type"), ==, "");

  /* the GET answers what the PATCH did */
  got = request (f, "GET", path, f->organizer, NULL, 200);
  g_assert_cmpstr (tn_json_object_get_string (got, "note"), ==, "Main door");
  g_assert_cmpstr (tn_json_object_get_string (got, "ticket_type"), ==, "");
  /* attendee ids in any case */
  {
    g_autofree char *mixed = g_strdup_printf ("/api/v1/events/%s/attendees/%s", id,
                                              upper + strlen (upper) - strlen (tn_json_object_get_string (guest, "id")));
    g_autoptr(JsonObject) again = request (f, "GET", mixed, f->organizer, NULL, 200);

    g_assert_cmpstr (tn_json_object_get_string (again, "id"), ==, tn_json_object_get_string (guest, "id"));
  }
}

/* --- tickets ------------------------------------------------------------- */

static void
assert_code_resolves (TnStore    *store,
                      const char *code,
                      const char *attendee_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnAttendee) found = tn_store_lookup_ticket (store, code, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (tn_attendee_get_id (found), ==, attendee_id);
}

static void
assert_code_refused (TnStore    *store,
                     const char *code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnAttendee) found = tn_store_lookup_ticket (store, code, &error);

  g_assert_null (found);
  g_assert_error (error, TN_ERROR, TN_ERROR_NOT_FOUND);
}

static void
test_tickets (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *id = create_event (f, "\"capacity\":1,\"waitlist\":true");
  g_autoptr(TnStore) store = open_store (f);
  g_autoptr(JsonObject) guest = add_guest (f, id, "{\"name\":\"Ada\",\"email\":\"ada@example.net\"}", 201);
  g_autoptr(JsonObject) waiting = add_guest (f, id, "{\"name\":\"Bo\",\"email\":\"bo@example.net\"}", 201);
  g_autoptr(JsonObject) maybe = add_guest (f, id, "{\"name\":\"Cy\",\"email\":\"cy@example.net\","
                                           "\"status\":\"maybe\"}", 201);
  const char *guest_id = tn_json_object_get_string (guest, "id");
  g_autofree char *ticket = g_strdup_printf ("/api/v1/events/%s/attendees/%s/ticket", id, guest_id);
  g_autofree char *waiting_ticket = g_strdup_printf ("/api/v1/events/%s/attendees/%s/ticket", id,
                                                     tn_json_object_get_string (waiting, "id"));
  g_autofree char *maybe_ticket = g_strdup_printf ("/api/v1/events/%s/attendees/%s/ticket", id,
                                                   tn_json_object_get_string (maybe, "id"));
  g_autofree char *code1 = g_strdup (tn_json_object_get_string (guest, "ticket_code"));
  g_autofree char *code2 = NULL;
  g_autofree char *code3 = NULL;
  g_autofree char *sloppy = NULL;

  /* the code as issued resolves, and as typed: lower case, no dashes */
  assert_code_resolves (store, code1, guest_id);
  sloppy = g_ascii_strdown (code1, -1);
  g_strdelimit (sloppy, "-", ' ');
  assert_code_resolves (store, sloppy, guest_id);
  assert_code_refused (store, "not a code");
  assert_code_refused (store, "");

  /* reissue: a new code; the old one stops working */
  {
    g_autoptr(JsonObject) reissued = request (f, "POST", ticket, f->organizer, NULL, 200);

    code2 = g_strdup (tn_json_object_get_string (reissued, "ticket_code"));
    g_assert_true (g_regex_match_simple (CODE_PATTERN, code2, 0, 0));
    g_assert_cmpstr (code2, !=, code1);
    g_assert_cmpstr (tn_json_object_get_string (reissued, "status"), ==, "going");
    assert_code_refused (store, code1);
    assert_code_refused (store, sloppy);
    assert_code_resolves (store, code2, guest_id);
  }

  /* revoke: still going, no valid code; revoking again changes nothing */
  {
    g_autoptr(JsonObject) revoked = request (f, "DELETE", ticket, f->organizer, NULL, 200);
    g_autoptr(JsonObject) again = request (f, "DELETE", ticket, f->organizer, "{}", 200);
    g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/attendees/%s", id, guest_id);
    g_autoptr(JsonObject) got = request (f, "GET", path, f->organizer, NULL, 200);

    g_assert_cmpstr (tn_json_object_get_string (revoked, "status"), ==, "going");
    g_assert_true (json_object_get_null_member (revoked, "ticket_code"));
    g_assert_true (json_object_get_null_member (again, "ticket_code"));
    g_assert_true (json_object_get_null_member (got, "ticket_code"));
    assert_code_refused (store, code2);
    assert_code_refused (store, code1);
  }

  /* the seat stays taken: the next guest still waits */
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/attendees/%s", id,
                                             tn_json_object_get_string (waiting, "id"));
    g_autoptr(JsonObject) got = request (f, "GET", path, f->organizer, NULL, 200);

    g_assert_cmpstr (tn_json_object_get_string (got, "status"), ==, "waitlisted");
  }

  /* a reissue after a revoke gives a working code again */
  {
    g_autoptr(JsonObject) reissued = request (f, "POST", ticket, f->organizer, "{}", 200);

    code3 = g_strdup (tn_json_object_get_string (reissued, "ticket_code"));
    g_assert_cmpstr (code3, !=, code2);
    g_assert_cmpstr (code3, !=, code1);
    assert_code_resolves (store, code3, guest_id);
  }

  /* only going attendees have tickets to reissue; revoking theirs is a no-op */
  {
    g_autofree char *before = snapshot (f, id);
    g_autoptr(JsonObject) refused = request (f, "POST", waiting_ticket, f->organizer, NULL, 409);
    g_autoptr(JsonObject) refused_maybe = request (f, "POST", maybe_ticket, f->organizer, NULL, 409);
    g_autoptr(JsonObject) nothing = request (f, "DELETE", maybe_ticket, f->organizer, NULL, 200);
    g_autofree char *after = snapshot (f, id);

    assert_error (refused, "conflict");
    assert_error (refused_maybe, "conflict");
    g_assert_true (json_object_get_null_member (nothing, "ticket_code"));
    g_assert_cmpstr (tn_json_object_get_string (nothing, "status"), ==, "maybe");
    g_assert_cmpstr (after, ==, before);
  }

  /* a member's ticket (from an RSVP) is reissued the same way, and the
   * member sees the new code */
  {
    g_autofree char *open_id = create_event (f, "");
    g_autofree char *open_rsvp = g_strdup_printf ("/api/v1/events/%s/rsvp", open_id);
    g_autoptr(JsonObject) member = request (f, "PUT", open_rsvp, f->member, "{\"status\":\"going\"}", 200);
    g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/attendees/%s/ticket", open_id,
                                             tn_json_object_get_string (member, "id"));
    g_autoptr(JsonObject) reissued = request (f, "POST", path, f->organizer, NULL, 200);
    g_autoptr(JsonObject) seen = request (f, "GET", open_rsvp, f->member, NULL, 200);

    g_assert_cmpstr (tn_json_object_get_string (reissued, "ticket_code"), !=,
                     tn_json_object_get_string (member, "ticket_code"));
    g_assert_cmpstr (tn_json_object_get_string (seen, "ticket_code"), ==,
                     tn_json_object_get_string (reissued, "ticket_code"));
    assert_code_refused (store, tn_json_object_get_string (member, "ticket_code"));
  }
}

/* Lists say where each attendee is, from the doors' scans that count:
 * when they were first let in, and whether they are inside. */
static void
test_checkin_state (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *starts = tn_time_format (tn_time_now () + 3600);
  g_autofree char *ends = tn_time_format (tn_time_now () + 7200);
  g_autofree char *body = g_strdup_printf ("{\"title\":\"Door night\",\"starts_at\":\"%s\",\"ends_at\":\"%s\"}",
                                           starts, ends);
  g_autoptr(JsonObject) event = request (f, "POST", "/api/v1/events", f->organizer, body, 201);
  const char *id = tn_json_object_get_string (event, "id");
  g_autoptr(JsonObject) ada = add_guest (f, id, "{\"name\":\"Ada\",\"email\":\"ada@example.org\"}", 201);
  g_autoptr(JsonObject) bob = add_guest (f, id, "{\"name\":\"Bob\",\"email\":\"bob@example.org\"}", 201);
  g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/attendees", id);
  g_autofree char *now = tn_time_format (tn_time_now ());
  const char *directions[] = { "in", "out", "in" };

  for (guint step = 0; step <= G_N_ELEMENTS (directions); step++)
    {
      g_autoptr(JsonObject) page = request (f, "GET", path, f->organizer, NULL, 200);
      JsonArray *items = items_of (page);

      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *item = json_array_get_object_element (items, i);
          gboolean is_ada = g_strcmp0 (tn_json_object_get_string (item, "name"), "Ada") == 0;

          g_assert_true (json_object_has_member (item, "checked_in_at"));
          if (!is_ada || step == 0)
            {
              g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (item, "checked_in_at")));
              g_assert_false (json_object_get_boolean_member (item, "inside"));
            }
          else
            {
              g_assert_cmpstr (tn_json_object_get_string (item, "checked_in_at"), ==, now);
              /* in, out, in again */
              g_assert_cmpint (json_object_get_boolean_member (item, "inside"), ==, step != 2);
            }
        }
      if (step < G_N_ELEMENTS (directions))
        {
          g_autofree char *scan_id = g_uuid_string_random ();
          g_autofree char *scans = g_strdup_printf ("{\"scans\":[{\"id\":\"%s\",\"event_id\":\"%s\","
                                                    "\"code\":\"%s\",\"direction\":\"%s\",\"scanned_at\":\"%s\"}]}",
                                                    scan_id, id, tn_json_object_get_string (ada, "ticket_code"),
                                                    directions[step], now);
          g_autoptr(JsonObject) answer = request (f, "POST", "/api/v1/checkins", f->organizer, scans, 200);
        }
    }
  (void) bob;
}

int
main (int    argc,
      char **argv)
{
  tn_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/server/attendees/permissions", test_permissions);
  ADD ("/server/attendees/team", test_team);
  ADD ("/server/attendees/add-guest", test_add_guest);
  ADD ("/server/attendees/list", test_list);
  ADD ("/server/attendees/checkin-state", test_checkin_state);
  ADD ("/server/attendees/bad-input", test_bad_input);
  ADD ("/server/attendees/patch", test_patch);
  ADD ("/server/attendees/tickets", test_tickets);
#undef ADD

  return g_test_run ();
}
