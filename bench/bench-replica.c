/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bench-replica.h"

/**
 * bench_sync_page_new:
 * @public_key: the event's public key, standard base64
 * @cursor: the page's cursor; negative: none
 *
 * Returns: (transfer full): a page of the event with no changes yet
 */
JsonObject *
bench_sync_page_new (const char *public_key,
                     gint64      cursor)
{
  JsonObject *page = json_object_new ();
  JsonObject *event = json_object_new ();

  json_object_set_string_member (event, "id", BENCH_EVENT_ID);
  json_object_set_string_member (event, "title", "Benchmark");
  json_object_set_string_member (event, "public_key", public_key);
  json_object_set_object_member (page, "event", event);
  json_object_set_array_member (page, "changes", json_array_new ());
  if (cursor >= 0)
    json_object_set_int_member (page, "cursor", cursor);
  json_object_set_boolean_member (page, "more", FALSE);
  return page;
}

/**
 * bench_sync_add_attendee:
 * @with_details: a ticket type for every fourth and a note for every
 *   twentieth, as a door's banner shows them
 *
 * Adds attendee @i ("Guest Nummer 000042"), going but for every fiftieth.
 */
void
bench_sync_add_attendee (JsonArray  *changes,
                         gint64      seq,
                         guint       i,
                         const char *code,
                         gboolean    with_details)
{
  JsonObject *change = json_object_new ();
  JsonObject *attendee = json_object_new ();
  g_autofree char *id = g_strdup_printf ("attendee-%06u", i);
  g_autofree char *name = g_strdup_printf ("Guest Nummer %06u", i);

  json_object_set_string_member (attendee, "id", id);
  json_object_set_string_member (attendee, "event_id", BENCH_EVENT_ID);
  json_object_set_null_member (attendee, "user_id");
  json_object_set_string_member (attendee, "name", name);
  json_object_set_string_member (attendee, "email", "guest@example.org");
  json_object_set_string_member (attendee, "status", i % 50 == 7 ? "not_going" : "going");
  json_object_set_null_member (attendee, "waitlist_position");
  json_object_set_string_member (attendee, "ticket_code", code);
  json_object_set_null_member (attendee, "signed_ticket");
  json_object_set_string_member (attendee, "ticket_type",
                                 !with_details ? "" : i % 4 == 0 ? "Volunteer" : "Standard");
  json_object_set_string_member (attendee, "note",
                                 with_details && i % 20 == 1 ? "Wheelchair: use the side door" : "");
  json_object_set_string_member (attendee, "created_at", "2030-01-01T10:00:00Z");
  json_object_set_string_member (attendee, "updated_at", "2030-01-01T10:00:00Z");
  json_object_set_int_member (change, "seq", seq);
  json_object_set_string_member (change, "type", "attendee");
  json_object_set_object_member (change, "attendee", attendee);
  json_array_add_object_element (changes, change);
}

/**
 * bench_sync_add_checkin:
 *
 * Adds another door's accepted scan of @code ("scan-000042").
 */
void
bench_sync_add_checkin (JsonArray  *changes,
                        gint64      seq,
                        guint       i,
                        const char *code)
{
  JsonObject *change = json_object_new ();
  JsonObject *checkin = json_object_new ();
  g_autofree char *id = g_strdup_printf ("scan-%06u", i);

  json_object_set_string_member (checkin, "id", id);
  json_object_set_string_member (checkin, "code", code);
  json_object_set_null_member (checkin, "attendee_id");
  json_object_set_string_member (checkin, "direction", "in");
  json_object_set_string_member (checkin, "scanned_at", "2030-06-01T18:00:00Z");
  json_object_set_string_member (checkin, "received_at", "2030-06-01T18:00:01Z");
  json_object_set_string_member (checkin, "device", "door-2");
  json_object_set_string_member (checkin, "verdict", "accepted");
  json_object_set_boolean_member (checkin, "flagged", FALSE);
  json_object_set_boolean_member (checkin, "undone", FALSE);
  json_object_set_int_member (change, "seq", seq);
  json_object_set_string_member (change, "type", "checkin");
  json_object_set_object_member (change, "checkin", checkin);
  json_array_add_object_element (changes, change);
}
