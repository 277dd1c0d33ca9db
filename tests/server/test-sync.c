/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sync data against a real server: paging and cursors across 2,500
 * attendees, the event's public key verifying the signed tickets, and
 * later changes (scans, revoked tickets, a verdict changed by a later
 * arrival) after the cursor (docs/CHECKIN.md, "Sync"). */
#include "config.h"

#include "checkin-helpers.h"
#include "tn-signed-ticket.h"

#define N_ATTENDEES 2500

static JsonObject *
sync_page (Fixture    *f,
           const char *token,
           const char *event_id,
           const char *since,
           guint       limit)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/sync?event_id=%s%s%s&limit=%u", event_id,
                                           since != NULL ? "&since=" : "", since != NULL ? since : "", limit);

  return request (f, "GET", path, token, NULL, 200);
}

static void
import_attendees (Fixture    *f,
                  const char *event_id,
                  guint       n)
{
  GString *csv = g_string_new ("name,email\r\n");
  g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/attendees/import", event_id);
  g_autofree char *answer = NULL;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (csv, "Guest %u,guest%u@example.org\r\n", i, i);
  answer = request_text (f, "POST", path, f->organizer, csv->str, "text/csv; charset=utf-8", 200);
  g_string_free (csv, TRUE);
}

static void
test_paging (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *event_id = create_event (f, f->organizer, "");
  g_autofree char *device = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *cursor = NULL;
  g_autofree char *signed_example = NULL;
  guint8 public_key[TN_SIGNED_TICKET_PUBLIC_KEY];
  gint64 last_seq = 0;
  guint pages = 0;
  static const guint expected_sizes[] = { 1000, 1000, 500 };

  import_attendees (f, event_id, N_ATTENDEES);
  device = pair_device (f, f->organizer, event_id, "steward", "Door", NULL);

  for (;;)
    {
      g_autoptr(JsonObject) page = sync_page (f, device, event_id, cursor, 1000);
      JsonArray *changes = json_object_get_array_member (page, "changes");
      JsonObject *event = json_object_get_object_member (page, "event");
      g_autofree guchar *key = NULL;
      gsize key_len = 0;

      g_assert_cmpuint (pages, <, G_N_ELEMENTS (expected_sizes));
      g_assert_cmpuint (json_array_get_length (changes), ==, expected_sizes[pages]);
      g_assert_cmpstr (tn_json_object_get_string (event, "id"), ==, event_id);
      key = g_base64_decode (tn_json_object_get_string (event, "public_key"), &key_len);
      g_assert_cmpuint (key_len, ==, TN_SIGNED_TICKET_PUBLIC_KEY);
      memcpy (public_key, key, key_len);

      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *change = json_array_get_object_element (changes, i);
          JsonObject *attendee = json_object_get_object_member (change, "attendee");
          gint64 seq = json_object_get_int_member (change, "seq");
          TnTicketClaim claim;

          g_assert_cmpint (seq, >, last_seq);
          last_seq = seq;
          g_assert_cmpstr (tn_json_object_get_string (change, "type"), ==, "attendee");
          g_assert_true (g_hash_table_add (seen, g_strdup (tn_json_object_get_string (attendee, "id"))));
          /* every ticket's QR form verifies offline with the key */
          g_assert_cmpint (tn_signed_ticket_check (tn_json_object_get_string (attendee, "signed_ticket"),
                                                   public_key, &claim), ==, TN_SIGNED_TICKET_VALID);
          g_assert_cmpstr (claim.code, ==, tn_json_object_get_string (attendee, "ticket_code"));
          g_assert_cmpstr (claim.event_id, ==, event_id);
          if (signed_example == NULL)
            signed_example = g_strdup (tn_json_object_get_string (attendee, "signed_ticket"));
        }
      {
        g_autofree char *expected_cursor = g_strdup_printf ("%" G_GINT64_FORMAT, last_seq);

        g_assert_cmpstr (tn_json_object_get_string (page, "cursor"), ==, expected_cursor);
      }
      g_free (cursor);
      cursor = g_strdup (tn_json_object_get_string (page, "cursor"));
      pages++;
      if (!json_object_get_boolean_member (page, "more"))
        break;
    }
  g_assert_cmpuint (pages, ==, 3);
  g_assert_cmpuint (g_hash_table_size (seen), ==, N_ATTENDEES);

  /* Nothing new: an empty page, the same cursor */
  {
    g_autoptr(JsonObject) page = sync_page (f, device, event_id, cursor, 1000);

    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "changes")), ==, 0);
    g_assert_cmpstr (tn_json_object_get_string (page, "cursor"), ==, cursor);
    g_assert_false (json_object_get_boolean_member (page, "more"));
  }

  /* The default limit is 1,000 */
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/sync?event_id=%s", event_id);
    g_autoptr(JsonObject) page = request (f, "GET", path, f->organizer, NULL, 200);

    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "changes")), ==, 1000);
    g_assert_true (json_object_get_boolean_member (page, "more"));
  }
}

static void
test_later_changes (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *event_id = create_event (f, f->organizer, "");
  g_autofree char *other_id = create_event (f, f->organizer, "");
  g_autoptr(JsonObject) guest = add_guest (f, event_id, "Katherine Johnson", "katherine@example.org");
  g_autoptr(JsonObject) other_guest = add_guest (f, other_id, "Elsewhere", "elsewhere@example.org");
  g_autofree char *door = pair_device (f, f->organizer, event_id, "steward", "Door", NULL);
  g_autofree char *cursor = NULL;
  g_autofree char *revoke_path = g_strdup_printf ("/api/v1/events/%s/attendees/%s/ticket", event_id,
                                                  tn_json_object_get_string (guest, "id"));
  g_autofree char *scan = scan_json ("0190a000-0000-7000-8000-000000000001", event_id,
                                     tn_json_object_get_string (guest, "ticket_code"), "in", tn_time_now (),
                                     "Door", NULL);
  g_autoptr(JsonObject) revoked = NULL;
  g_autoptr(JsonObject) answer = NULL;
  const char *old_code = tn_json_object_get_string (guest, "ticket_code");

  {
    g_autoptr(JsonObject) page = sync_page (f, door, event_id, NULL, 5000);
    JsonArray *changes = json_object_get_array_member (page, "changes");

    /* Only this event's attendee */
    g_assert_cmpuint (json_array_get_length (changes), ==, 1);
    cursor = g_strdup (tn_json_object_get_string (page, "cursor"));
  }

  post_scan (f, door, scan, &answer);
  revoked = request (f, "DELETE", revoke_path, f->organizer, NULL, 200);

  {
    g_autoptr(JsonObject) page = sync_page (f, door, event_id, cursor, 5000);
    JsonArray *changes = json_object_get_array_member (page, "changes");
    JsonObject *checkin, *revoked_change, *attendee_change;

    /* the scan, then the revoked code, then the attendee without a ticket */
    g_assert_cmpuint (json_array_get_length (changes), ==, 3);
    checkin = json_array_get_object_element (changes, 0);
    revoked_change = json_array_get_object_element (changes, 1);
    attendee_change = json_array_get_object_element (changes, 2);
    g_assert_cmpstr (tn_json_object_get_string (checkin, "type"), ==, "checkin");
    g_assert_cmpstr (tn_json_object_get_string (json_object_get_object_member (checkin, "checkin"), "verdict"), ==,
                     "accepted");
    g_assert_cmpstr (tn_json_object_get_string (json_object_get_object_member (checkin, "checkin"), "attendee_id"),
                     ==, tn_json_object_get_string (guest, "id"));
    g_assert_cmpstr (tn_json_object_get_string (revoked_change, "type"), ==, "revoked");
    g_assert_cmpstr (tn_json_object_get_string (revoked_change, "code"), ==, old_code);
    g_assert_cmpstr (tn_json_object_get_string (attendee_change, "type"), ==, "attendee");
    g_assert_true (json_object_get_null_member (json_object_get_object_member (attendee_change, "attendee"),
                                                "ticket_code"));
    g_assert_true (json_object_get_null_member (json_object_get_object_member (attendee_change, "attendee"),
                                                "signed_ticket"));
    g_assert_cmpint (json_object_get_int_member (checkin, "seq"), <, json_object_get_int_member (revoked_change, "seq"));
    g_assert_cmpint (json_object_get_int_member (revoked_change, "seq"), <,
                     json_object_get_int_member (attendee_change, "seq"));
  }
}

static void
test_refusals (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *event_id = create_event (f, f->organizer, "");
  g_autofree char *private_id = create_event (f, f->other, "\"visibility\":\"private\"");
  g_autofree char *base = g_strdup_printf ("/api/v1/sync?event_id=%s", event_id);
  g_autofree char *private_path = g_strdup_printf ("/api/v1/sync?event_id=%s", private_id);
  const char *suffixes[] = { "&limit=0", "&limit=5001", "&limit=ten", "&since=abc", "&since=-1",
                             "&since=99999999999999999999", NULL };

  refused (f, "GET", "/api/v1/sync", f->organizer, NULL, 422, "validation_failed");
  refused (f, "GET", "/api/v1/sync?event_id=nope", f->organizer, NULL, 422, "validation_failed");
  for (guint i = 0; suffixes[i] != NULL; i++)
    {
      g_autofree char *path = g_strconcat (base, suffixes[i], NULL);

      refused (f, "GET", path, f->organizer, NULL, 422, "validation_failed");
    }
  refused (f, "GET", base, NULL, NULL, 401, "unauthorized");
  refused (f, "GET", base, f->member, NULL, 403, "forbidden");
  refused (f, "GET", base, f->other, NULL, 403, "forbidden");
  refused (f, "GET", private_path, f->organizer, NULL, 404, "not_found");
  refused (f, "GET", "/api/v1/sync?event_id=00000000-0000-4000-8000-000000000000", f->admin, NULL, 404,
           "not_found");
  /* the limit's bounds are allowed */
  {
    g_autofree char *path = g_strconcat (base, "&limit=5000&since=0", NULL);
    g_autoptr(JsonObject) page = request (f, "GET", path, f->admin, NULL, 200);
  }
}

int
main (int    argc,
      char **argv)
{
  tn_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/server/sync/paging", test_paging);
  ADD ("/server/sync/later-changes", test_later_changes);
  ADD ("/server/sync/refusals", test_refusals);
#undef ADD

  return g_test_run ();
}
