/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Scans against a real server: verdicts, signed tickets, two offline
 * doors admitting one ticket, idempotent re-posts, refused batches and
 * undo (docs/CHECKIN.md, "Scans"). */
#include "config.h"

#include "checkin-helpers.h"

/* Scan ids: a fixed prefix and a number, so tests can name them. */
static char *
scan_id (guint n)
{
  return g_strdup_printf ("0190a000-0000-7000-8000-%012u", n);
}

/* scan_json() with the id scan_id (@n). */
static char *
scan_n (guint       n,
        const char *event_id,
        const char *code,
        const char *direction,
        gint64      scanned_at,
        const char *device,
        const char *local)
{
  g_autofree char *id = scan_id (n);

  return scan_json (id, event_id, code, direction, scanned_at, device, local);
}

static void
assert_verdict (Fixture    *f,
                const char *token,
                const char *scan,
                const char *expected)
{
  g_autofree char *verdict = verdict_of (f, token, scan);

  g_assert_cmpstr (verdict, ==, expected);
}

/* Issue 4, test a: two doors offline admit the same ticket; the earlier
 * scan wins whichever arrives first, the other becomes a duplicate, is
 * flagged, and both doors see it after a sync. */
static void
test_two_doors_offline (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *event_id = create_event (f, f->organizer, "");
  g_autoptr(JsonObject) guest = add_guest (f, event_id, "Ada Lovelace", "ada@example.org");
  const char *code = tn_json_object_get_string (guest, "ticket_code");
  g_autofree char *door_a = pair_device (f, f->organizer, event_id, "steward", "Door A", NULL);
  g_autofree char *door_b = pair_device (f, f->organizer, event_id, "steward", "Door B", NULL);
  g_autofree char *id_a = scan_id (1);
  g_autofree char *id_b = scan_id (2);
  gint64 now = tn_time_now ();
  /* A scanned first (offline), B a minute later (offline); B's arrives first */
  g_autofree char *scan_a = scan_json (id_a, event_id, code, "in", now - 120, "Door A", "accepted");
  g_autofree char *scan_b = scan_json (id_b, event_id, code, "in", now - 60, "Door B", "accepted");
  g_autoptr(JsonObject) answer_b = NULL;
  g_autoptr(JsonObject) answer_a = NULL;
  g_autoptr(JsonArray) seen_by_a = NULL;
  g_autoptr(JsonArray) seen_by_b = NULL;
  JsonObject *result, *previous, *checkin_a, *checkin_b;

  result = post_scan (f, door_b, scan_b, &answer_b);
  g_assert_cmpstr (tn_json_object_get_string (result, "verdict"), ==, "accepted");
  g_assert_false (json_object_get_boolean_member (result, "flagged"));
  g_assert_cmpstr (tn_json_object_get_string (json_object_get_object_member (result, "attendee"), "name"), ==,
                   "Ada Lovelace");

  result = post_scan (f, door_a, scan_a, &answer_a);
  g_assert_cmpstr (tn_json_object_get_string (result, "verdict"), ==, "accepted");
  g_assert_false (json_object_get_boolean_member (result, "flagged"));

  /* B's verdict changed: a duplicate of A's scan, flagged (B let her in) */
  seen_by_a = sync_all (f, door_a, event_id);
  seen_by_b = sync_all (f, door_b, event_id);
  checkin_a = find_checkin (seen_by_b, id_a);
  checkin_b = find_checkin (seen_by_a, id_b);
  g_assert_nonnull (checkin_a);
  g_assert_nonnull (checkin_b);
  g_assert_cmpstr (tn_json_object_get_string (checkin_a, "verdict"), ==, "accepted");
  g_assert_false (json_object_get_boolean_member (checkin_a, "flagged"));
  g_assert_cmpstr (tn_json_object_get_string (checkin_b, "verdict"), ==, "duplicate");
  g_assert_true (json_object_get_boolean_member (checkin_b, "flagged"));
  g_assert_cmpstr (tn_json_object_get_string (checkin_b, "device"), ==, "Door B");
  g_assert_nonnull (tn_json_object_get_string (checkin_b, "received_at"));
  g_assert_false (json_object_get_boolean_member (checkin_b, "undone"));

  /* Posting B's scan again gives the verdict stored now, with the scan
   * that let her in */
  g_clear_pointer (&answer_b, json_object_unref);
  result = post_scan (f, door_b, scan_b, &answer_b);
  g_assert_cmpstr (tn_json_object_get_string (result, "verdict"), ==, "duplicate");
  g_assert_true (json_object_get_boolean_member (result, "flagged"));
  previous = json_object_get_object_member (result, "previous");
  g_assert_nonnull (previous);
  g_assert_cmpstr (tn_json_object_get_string (previous, "device"), ==, "Door A");
  {
    g_autofree char *at = tn_time_format (now - 120);

    g_assert_cmpstr (tn_json_object_get_string (previous, "scanned_at"), ==, at);
  }

  /* A scan that does not say which door: the posting device's id */
  {
    g_autofree char *id_d = scan_id (4);
    g_autofree char *at = tn_time_format (now);
    g_autofree char *body = g_strdup_printf ("{\"scans\":[{\"id\":\"%s\",\"event_id\":\"%s\",\"code\":\"%s\","
                                             "\"direction\":\"in\",\"scanned_at\":\"%s\",\"device\":null}]}",
                                             id_d, event_id, code, at);
    g_autoptr(JsonObject) answer_d = request (f, "POST", "/api/v1/checkins", door_a, body, 200);
    g_autoptr(JsonArray) seen = sync_all (f, f->organizer, event_id);
    JsonObject *checkin_d = find_checkin (seen, id_d);

    g_assert_nonnull (checkin_d);
    g_assert_true (g_uuid_string_is_valid (tn_json_object_get_string (checkin_d, "device")));
    g_assert_cmpstr (tn_json_object_get_string (checkin_d, "device"), !=, "Door A");
    g_assert_cmpstr (tn_json_object_get_string (checkin_d, "verdict"), ==, "duplicate");
    g_assert_false (json_object_get_boolean_member (checkin_d, "flagged"));
  }

  /* A third door online: a duplicate, not flagged (it said so itself) */
  {
    g_autofree char *id_c = scan_id (3);
    g_autofree char *scan_c = scan_json (id_c, event_id, code, "in", now, "Door C", "duplicate");
    g_autoptr(JsonObject) answer_c = NULL;

    result = post_scan (f, door_a, scan_c, &answer_c);
    g_assert_cmpstr (tn_json_object_get_string (result, "verdict"), ==, "duplicate");
    g_assert_false (json_object_get_boolean_member (result, "flagged"));
  }
}

static void
test_verdicts (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *event_id = create_event (f, f->organizer, "");
  g_autofree char *other_id = create_event (f, f->organizer, "");
  g_autoptr(JsonObject) guest = add_guest (f, event_id, "Grace Hopper", "grace@example.org");
  g_autoptr(JsonObject) revoked_guest = add_guest (f, event_id, "Revoked Guest", "revoked@example.org");
  g_autoptr(JsonObject) other_guest = add_guest (f, other_id, "Other Guest", "other@example.org");
  g_autofree char *door = pair_device (f, f->organizer, event_id, "steward", "Door", NULL);
  g_autofree char *member_path = g_strdup_printf ("/api/v1/events/%s/rsvp", event_id);
  g_autoptr(JsonObject) member_rsvp = request (f, "PUT", member_path, f->member, "{\"status\":\"going\"}", 200);
  g_autoptr(JsonObject) member_left = NULL;
  g_autoptr(JsonObject) revoked_answer = NULL;
  g_autofree char *revoke_path = NULL;
  const char *code = tn_json_object_get_string (guest, "ticket_code");
  const char *signed_ticket = tn_json_object_get_string (guest, "signed_ticket");
  const char *revoked_code = tn_json_object_get_string (revoked_guest, "ticket_code");
  const char *revoked_signed = tn_json_object_get_string (revoked_guest, "signed_ticket");
  g_autofree char *member_code = g_strdup (tn_json_object_get_string (member_rsvp, "ticket_code"));
  g_autofree char *forged = NULL;
  g_autofree char *altered = NULL;
  gint64 now = tn_time_now ();
  guint n = 100;

#define SCAN(code_, direction_) scan_n (n++, event_id, code_, direction_, now, "Door", NULL)
#define VERDICT(code_, direction_, expected_) \
  G_STMT_START { g_autofree char *s_ = SCAN (code_, direction_); assert_verdict (f, door, s_, expected_); } G_STMT_END

  g_assert_nonnull (signed_ticket);
  g_assert_true (g_str_has_prefix (signed_ticket, "TN1"));
  g_assert_cmpuint (strlen (signed_ticket), ==, 187);

  /* out before in; in; in again; out; in again */
  VERDICT (code, "out", "not_inside");
  VERDICT (code, "in", "accepted");
  VERDICT (signed_ticket, "in", "duplicate");
  VERDICT (code, "out", "accepted");
  VERDICT (signed_ticket, "in", "accepted");

  /* Codes as people type them: lower case, no dashes */
  {
    g_autofree char *typed = g_ascii_strdown (code, -1);
    GString *plain = g_string_new (NULL);

    for (const char *p = typed; *p; p++)
      if (*p != '-')
        g_string_append_c (plain, *p);
    VERDICT (plain->str, "out", "accepted");
    g_string_free (plain, TRUE);
  }

  /* Garbage and forgeries: unknown */
  VERDICT ("hello", "in", "unknown");
  VERDICT ("0000-0000-0000-0000-0000-0000-00", "in", "unknown");
  VERDICT ("TN1", "in", "unknown");
  VERDICT ("TN1ABCDEF", "in", "unknown");
  VERDICT ("\\u00e9\\u00e9\\u00e9 \\ud83d\\ude00", "in", "unknown");
  /* a changed symbol in the signature, and one in the payload */
  forged = g_strdup (signed_ticket);
  forged[150] = forged[150] == '0' ? '1' : '0';
  VERDICT (forged, "in", "unknown");
  altered = g_strdup (signed_ticket);
  altered[20] = altered[20] == '0' ? '1' : '0';
  VERDICT (altered, "in", "unknown");

  /* Another event's ticket, in both forms */
  VERDICT (tn_json_object_get_string (other_guest, "ticket_code"), "in", "wrong_event");
  VERDICT (tn_json_object_get_string (other_guest, "signed_ticket"), "in", "wrong_event");

  /* A revoked ticket (the guest keeps the seat), in both forms */
  revoke_path = g_strdup_printf ("/api/v1/events/%s/attendees/%s/ticket", event_id,
                                 tn_json_object_get_string (revoked_guest, "id"));
  revoked_answer = request (f, "DELETE", revoke_path, f->organizer, NULL, 200);
  g_assert_true (json_object_get_null_member (revoked_answer, "ticket_code"));
  g_assert_true (json_object_get_null_member (revoked_answer, "signed_ticket"));
  VERDICT (revoked_code, "in", "revoked");
  VERDICT (revoked_signed, "in", "revoked");

  /* Someone who is no longer going */
  member_left = request (f, "PUT", member_path, f->member, "{\"status\":\"not_going\"}", 200);
  VERDICT (member_code, "in", "not_going");

#undef VERDICT
#undef SCAN
}

/* A batch is judged in order, in one answer; posting it again changes
 * nothing and gives the same verdicts. */
static void
test_idempotent_batch (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *event_id = create_event (f, f->organizer, "");
  g_autoptr(JsonObject) guest = add_guest (f, event_id, "Alan Turing", "alan@example.org");
  g_autofree char *door = pair_device (f, f->organizer, event_id, "steward", "Door", NULL);
  const char *code = tn_json_object_get_string (guest, "ticket_code");
  gint64 now = tn_time_now ();
  g_autofree char *id1 = scan_id (1);
  g_autofree char *id2 = scan_id (2);
  g_autofree char *id3 = scan_id (3);
  g_autofree char *s1 = scan_json (id1, event_id, code, "in", now - 30, "Door", NULL);
  g_autofree char *s2 = scan_json (id2, event_id, code, "in", now - 20, "Door", "accepted");
  g_autofree char *s3 = scan_json (id3, event_id, "nonsense", "in", now - 10, "Door", NULL);
  g_autofree char *body = g_strdup_printf ("{\"scans\":[%s,%s,%s,%s]}", s1, s2, s3, s1);
  g_autoptr(JsonObject) first = request (f, "POST", "/api/v1/checkins", door, body, 200);
  g_autoptr(JsonArray) changes = sync_all (f, f->organizer, event_id);
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(JsonArray) changes_again = NULL;
  JsonArray *results = json_object_get_array_member (first, "results");
  static const char * const expected[] = { "accepted", "duplicate", "unknown", "accepted" };

  g_assert_cmpuint (json_array_get_length (results), ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpstr (tn_json_object_get_string (json_array_get_object_element (results, i), "verdict"), ==,
                     expected[i]);
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (results, 1), "flagged"));
  g_assert_false (json_object_has_member (json_array_get_object_element (results, 2), "attendee"));

  second = request (f, "POST", "/api/v1/checkins", door, body, 200);
  {
    g_autofree char *a = tn_json_to_string (json_node_init_object (json_node_alloc (), first));
    g_autofree char *b = tn_json_to_string (json_node_init_object (json_node_alloc (), second));

    tn_assert_json_equal (b, a);
  }
  changes_again = sync_all (f, f->organizer, event_id);
  g_assert_cmpuint (json_array_get_length (changes_again), ==, json_array_get_length (changes));

  /* A scan id of this event's posted for another event is a conflict */
  {
    g_autofree char *other_id = create_event (f, f->organizer, "");
    g_autofree char *clash = scan_json (id1, other_id, code, "in", now, "Door", NULL);
    g_autofree char *clash_body = g_strdup_printf ("{\"scans\":[%s]}", clash);

    refused (f, "POST", "/api/v1/checkins", f->organizer, clash_body, 409, "conflict");
  }
}

/* Issue 4, test g: garbage, huge batches, absurd times, wrong events.
 * A refused batch stores nothing, not even its good scans. */
static void
test_refused_batches (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *event_id = create_event (f, f->organizer, "");
  g_autofree char *private_id = create_event (f, f->other, "\"visibility\":\"private\"");
  g_autofree char *public_other = create_event (f, f->other, "");
  g_autoptr(JsonObject) guest = add_guest (f, event_id, "Edsger Dijkstra", "edsger@example.org");
  g_autofree char *door = pair_device (f, f->organizer, event_id, "steward", "Door", NULL);
  const char *code = tn_json_object_get_string (guest, "ticket_code");
  gint64 now = tn_time_now ();
  g_autofree char *good_id = scan_id (1);
  g_autofree char *good = scan_json (good_id, event_id, code, "in", now, "Door", NULL);
  g_autoptr(JsonArray) before = sync_all (f, f->organizer, event_id);
  g_autoptr(JsonArray) after = NULL;
  GString *huge = g_string_new ("{\"scans\":[");
  g_autofree char *future = scan_n (2, event_id, code, "in", now + 3600, "Door", NULL);
  g_autofree char *ancient = scan_n (3, event_id, code, "in", 0, "Door", NULL);
  g_autofree char *day_before = scan_n (4, event_id, code, "in", now - 2 * 86400, "Door", NULL);
  g_autofree char *sideways = scan_n (5, event_id, code, "sideways", now, "Door", NULL);
  g_autofree char *bad_local = scan_n (6, event_id, code, "in", now, "Door", "maybe");
  g_autofree char *private_scan = scan_n (7, private_id, code, "in", now, "Door", NULL);
  g_autofree char *other_scan = scan_n (8, public_other, code, "in", now, "Door", NULL);
  g_autofree char *missing_event = scan_n (9, "00000000-0000-4000-8000-000000000000", code, "in", now,
                                              "Door", NULL);
  g_autofree char *bad_id = scan_json ("not-a-uuid", event_id, code, "in", now, "Door", NULL);
  g_autofree char *empty_code = scan_n (10, event_id, "", "in", now, "Door", NULL);
  g_autofree char *empty_device = scan_n (11, event_id, code, "in", now, "", NULL);
  g_autofree char *bad_date = g_strdup_printf ("{\"id\":\"%s\",\"event_id\":\"%s\",\"code\":\"%s\",\"direction\":\"in\","
                                               "\"scanned_at\":\"2026-13-45T99:00:00Z\",\"device\":\"Door\"}",
                                               good_id, event_id, code);
  g_autofree char *no_zone = g_strdup_printf ("{\"id\":\"%s\",\"event_id\":\"%s\",\"code\":\"%s\",\"direction\":\"in\","
                                              "\"scanned_at\":\"2026-11-22T18:00:00\",\"device\":\"Door\"}",
                                              good_id, event_id, code);
  g_autofree char *number_code = g_strdup_printf ("{\"id\":\"%s\",\"event_id\":\"%s\",\"code\":7,\"direction\":\"in\","
                                                  "\"scanned_at\":\"2026-11-22T18:00:00Z\",\"device\":\"Door\"}",
                                                  good_id, event_id);
  g_autofree char *extra_field = g_strdup_printf ("{\"id\":\"%s\",\"event_id\":\"%s\",\"code\":\"x\",\"direction\":\"in\","
                                                  "\"scanned_at\":\"2026-11-22T18:00:00Z\",\"device\":\"Door\","
                                                  "\"verdict\":\"accepted\"}", good_id, event_id);
  const char *bad_scans[] = { future, ancient, day_before, sideways, bad_local, bad_id, empty_code, empty_device,
                              bad_date, no_zone, number_code, extra_field, "42", "[]", "null", NULL };

  for (guint i = 0; bad_scans[i] != NULL; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"scans\":[%s,%s]}", good, bad_scans[i]);

      refused (f, "POST", "/api/v1/checkins", door, body, 422, "validation_failed");
      refused (f, "POST", "/api/v1/checkins", f->organizer, body, 422, "validation_failed");
    }

  /* Batches: empty, 1001 scans, not an array, not there, more fields */
  refused (f, "POST", "/api/v1/checkins", door, "{\"scans\":[]}", 422, "validation_failed");
  for (guint i = 0; i < 1001; i++)
    {
      g_autofree char *id = scan_id (1000 + i);
      g_autofree char *scan = scan_json (id, event_id, code, "in", now, "Door", NULL);

      g_string_append_printf (huge, "%s%s", i > 0 ? "," : "", scan);
    }
  g_string_append (huge, "]}");
  refused (f, "POST", "/api/v1/checkins", door, huge->str, 422, "validation_failed");
  g_string_free (huge, TRUE);
  refused (f, "POST", "/api/v1/checkins", door, "{\"scans\":{}}", 422, "validation_failed");
  refused (f, "POST", "/api/v1/checkins", door, "{}", 422, "validation_failed");
  {
    g_autofree char *body = g_strdup_printf ("{\"scans\":[%s],\"device\":\"x\"}", good);

    refused (f, "POST", "/api/v1/checkins", door, body, 422, "validation_failed");
  }
  refused (f, "POST", "/api/v1/checkins", door, "{\"scans\":[", 400, "bad_request");
  refused (f, "POST", "/api/v1/checkins", door, "[1,2]", 400, "bad_request");

  /* Events one may not check people in at: whole batch refused */
  {
    g_autofree char *body = g_strdup_printf ("{\"scans\":[%s,%s]}", good, private_scan);
    g_autofree char *body_other = g_strdup_printf ("{\"scans\":[%s,%s]}", good, other_scan);
    g_autofree char *body_missing = g_strdup_printf ("{\"scans\":[%s,%s]}", good, missing_event);
    g_autofree char *alone = g_strdup_printf ("{\"scans\":[%s]}", good);

    refused (f, "POST", "/api/v1/checkins", f->organizer, body, 404, "not_found");
    refused (f, "POST", "/api/v1/checkins", f->organizer, body_other, 403, "forbidden");
    refused (f, "POST", "/api/v1/checkins", f->organizer, body_missing, 404, "not_found");
    refused (f, "POST", "/api/v1/checkins", door, body_other, 404, "not_found");
    refused (f, "POST", "/api/v1/checkins", f->member, alone, 403, "forbidden");
    refused (f, "POST", "/api/v1/checkins", NULL, alone, 401, "unauthorized");
    refused (f, "POST", "/api/v1/checkins", "tn1_nonsense", alone, 401, "unauthorized");
  }

  after = sync_all (f, f->organizer, event_id);
  g_assert_cmpuint (json_array_get_length (after), ==, json_array_get_length (before));
  g_assert_null (find_checkin (after, good_id));

  /* and the good scan alone is taken */
  assert_verdict (f, door, good, "accepted");
}

static void
test_undo (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *event_id = create_event (f, f->organizer, "");
  g_autofree char *other_id = create_event (f, f->organizer, "");
  g_autoptr(JsonObject) guest = add_guest (f, event_id, "Barbara Liskov", "barbara@example.org");
  g_autofree char *steward = pair_device (f, f->organizer, event_id, "steward", "Door", NULL);
  g_autofree char *supervisor = pair_device (f, f->organizer, event_id, "supervisor", "Desk", NULL);
  g_autofree char *other_supervisor = pair_device (f, f->organizer, other_id, "supervisor", "Elsewhere", NULL);
  const char *code = tn_json_object_get_string (guest, "ticket_code");
  gint64 now = tn_time_now ();
  g_autofree char *id1 = scan_id (1);
  g_autofree char *id2 = scan_id (2);
  g_autofree char *s1 = scan_json (id1, event_id, code, "in", now - 10, "Door", NULL);
  g_autofree char *s2 = scan_json (id2, event_id, code, "in", now - 5, "Door", NULL);
  g_autofree char *path = g_strdup_printf ("/api/v1/checkins/%s", id1);
  g_autoptr(JsonArray) changes = NULL;
  JsonObject *checkin;

  assert_verdict (f, steward, s1, "accepted");
  assert_verdict (f, steward, s2, "duplicate");

  refused (f, "DELETE", path, steward, NULL, 403, "forbidden");
  refused (f, "DELETE", path, f->member, NULL, 403, "forbidden");
  refused (f, "DELETE", path, f->other, NULL, 403, "forbidden");
  refused (f, "DELETE", path, other_supervisor, NULL, 404, "not_found");
  refused (f, "DELETE", path, NULL, NULL, 401, "unauthorized");
  refused (f, "DELETE", "/api/v1/checkins/00000000-0000-4000-8000-000000000000", supervisor, NULL, 404, "not_found");
  refused (f, "DELETE", "/api/v1/checkins/garbage", f->organizer, NULL, 404, "not_found");

  /* Undoing the scan that let her in: the later one now does */
  g_assert_null (request (f, "DELETE", path, supervisor, NULL, 204));
  g_assert_null (request (f, "DELETE", path, f->organizer, NULL, 204));
  changes = sync_all (f, f->organizer, event_id);
  checkin = find_checkin (changes, id1);
  g_assert_true (json_object_get_boolean_member (checkin, "undone"));
  checkin = find_checkin (changes, id2);
  g_assert_cmpstr (tn_json_object_get_string (checkin, "verdict"), ==, "accepted");
  g_assert_false (json_object_get_boolean_member (checkin, "undone"));

  /* and the organizer may undo too: then she is not inside */
  {
    g_autofree char *path2 = g_strdup_printf ("/api/v1/checkins/%s", id2);
    g_autofree char *out = scan_n (3, event_id, code, "out", now, "Door", NULL);

    g_assert_null (request (f, "DELETE", path2, f->organizer, NULL, 204));
    assert_verdict (f, steward, out, "not_inside");
  }
}

/* A signed ticket admits nobody after its valid-until time (the event's
 * end plus 12 hours), at the server as at the door; its short code is
 * judged as always. */
static void
test_expired_signed_ticket (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *event_id = create_event (f, f->organizer, "");
  g_autoptr(JsonObject) guest = add_guest (f, event_id, "Ada Lovelace", "ada@example.org");
  g_autofree char *door = pair_device (f, f->organizer, event_id, "supervisor", "Door", NULL);
  g_autofree char *event_path = g_strdup_printf ("/api/v1/events/%s", event_id);
  g_autofree char *guest_path = g_strdup_printf ("/api/v1/events/%s/attendees/%s", event_id,
                                                 tn_json_object_get_string (guest, "id"));
  gint64 now = tn_time_now ();
  g_autofree char *starts = tn_time_format (now - 20 * 3600);
  g_autofree char *ends = tn_time_format (now - 13 * 3600);
  g_autofree char *moved_body = g_strdup_printf ("{\"starts_at\":\"%s\",\"ends_at\":\"%s\"}", starts, ends);
  g_autoptr(JsonObject) moved = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autofree char *expired = NULL;
  g_autofree char *by_code = NULL;
  g_autofree char *fresh = NULL;

  /* Valid now… */
  fresh = scan_n (1, event_id, tn_json_object_get_string (guest, "signed_ticket"), "in", now, "Door", NULL);
  assert_verdict (f, door, fresh, "accepted");
  /* …and once the event ended 13 hours ago, its tickets signed anew say
   * so: valid until an hour ago. */
  {
    const char *headers[] = { "If-Match", "\"1\"", NULL };
    g_autofree char *answer = NULL;

    g_assert_cmpuint (tn_test_http (tn_test_server_get_url (f->server), "PATCH", event_path, f->organizer,
                                    moved_body, -1, headers, &answer), ==, 200);
    moved = tn_test_parse_object (answer);
  }
  again = request (f, "GET", guest_path, f->organizer, NULL, 200);
  g_assert_cmpstr (tn_json_object_get_string (again, "signed_ticket"), !=,
                   tn_json_object_get_string (guest, "signed_ticket"));
  expired = scan_n (2, event_id, tn_json_object_get_string (again, "signed_ticket"), "out", now, "Door", NULL);
  assert_verdict (f, door, expired, "unknown");
  by_code = scan_n (3, event_id, tn_json_object_get_string (again, "ticket_code"), "out", now, "Door", NULL);
  assert_verdict (f, door, by_code, "accepted");
}

int
main (int    argc,
      char **argv)
{
  tn_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/server/checkins/two-doors-offline", test_two_doors_offline);
  ADD ("/server/checkins/verdicts", test_verdicts);
  ADD ("/server/checkins/idempotent-batch", test_idempotent_batch);
  ADD ("/server/checkins/refused-batches", test_refused_batches);
  ADD ("/server/checkins/undo", test_undo);
  ADD ("/server/checkins/expired-signed-ticket", test_expired_signed_ticket);
#undef ADD

  return g_test_run ();
}
