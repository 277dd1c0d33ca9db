/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include "tn-auth.h"
#include "tn-demo.h"
#include "tn-error.h"
#include "tn-id.h"
#include "tn-json.h"

/* Finds the id of a demo user by e-mail among those just created. */
static const char *
organizer_id (GHashTable *ids,
              JsonObject *event)
{
  const char *email = tn_json_object_get_string (event, "organizer");

  return email != NULL ? g_hash_table_lookup (ids, email) : NULL;
}

static gboolean
seed_event (TnStore     *store,
            JsonObject  *spec,
            GHashTable  *ids,
            gint64       today,
            GPtrArray   *seeded,
            GError     **error)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(TnEvent) event = NULL;
  g_autoptr(TnEvent) stored = NULL;
  g_autofree char *id = tn_id_new ();
  const char *start_time = tn_json_object_get_string (spec, "start_time");
  guint hour = 18, minute = 0;
  gint64 starts_at;
  const char *names[] = { "title", "description", "location", "lat", "lon", "capacity",
                          "category", "tags", "waitlist", "price", "currency" };

  if (start_time != NULL && sscanf (start_time, "%u:%u", &hour, &minute) != 2)
    hour = 18, minute = 0;
  starts_at = today + json_object_get_int_member_with_default (spec, "starts_in_days", 1) * 86400 +
              hour * 3600 + minute * 60;
  /* An event happening whenever the demo is seeded: the door app's
   * check-in can be tried on it at once. */
  if (json_object_has_member (spec, "starts_in_minutes"))
    {
      gint64 now = g_get_real_time () / G_USEC_PER_SEC;

      starts_at = (now - now % 900) + json_object_get_int_member (spec, "starts_in_minutes") * 60;
    }

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (json_object_has_member (spec, names[i]))
      json_object_set_member (fields, names[i], json_node_copy (json_object_get_member (spec, names[i])));

  event = tn_event_new_from_json (fields, TN_EVENT_JSON_PATCH, NULL, error);
  if (event == NULL)
    return FALSE;
  tn_event_set_id (event, id);
  tn_event_set_starts_at (event, starts_at);
  tn_event_set_ends_at (event, starts_at + json_object_get_int_member_with_default (spec, "duration_minutes", 120) * 60);
  tn_event_set_organizer (event, organizer_id (ids, spec));
  if (!tn_event_validate (event, NULL, error))
    return FALSE;

  stored = tn_store_create_event (store, event, error);
  if (stored == NULL)
    return FALSE;

  /* Guests without an account, each with a ticket: people to let in. */
  if (json_object_has_member (spec, "guests"))
    {
      JsonArray *guests = json_object_get_array_member (spec, "guests");

      for (guint i = 0; i < json_array_get_length (guests); i++)
        {
          JsonObject *fields_of = json_array_get_object_element (guests, i);
          g_autoptr(TnAttendee) guest = tn_attendee_new ();
          g_autoptr(TnAttendee) added = NULL;

          tn_attendee_set_event_id (guest, id);
          tn_attendee_set_name (guest, tn_json_object_get_string (fields_of, "name"));
          tn_attendee_set_email (guest, tn_json_object_get_string (fields_of, "email"));
          tn_attendee_set_ticket_type (guest, tn_json_object_get_string (fields_of, "ticket_type"));
          tn_attendee_set_note (guest, tn_json_object_get_string (fields_of, "note"));
          tn_attendee_set_status (guest, TN_RSVP_GOING);
          added = tn_store_add_guest (store, guest, tn_event_get_created_at (stored), error);
          if (added == NULL)
            return FALSE;
        }
    }
  g_ptr_array_add (seeded, g_steal_pointer (&stored));
  return TRUE;
}

/* A community with some life in it: the other organizer co-hosts every
 * third event of the first (as in the Connectify seed), the staff member
 * works every door, and members have answered, on a fixed pattern so that
 * every seeding looks the same. */
static gboolean
seed_people (TnStore    *store,
             GPtrArray  *users,
             GPtrArray  *events,
             gint64      now,
             GError    **error)
{
  TnUser *cohost = NULL, *staff = NULL;

  for (guint i = 0; i < users->len; i++)
    {
      TnUser *user = users->pdata[i];

      if (tn_user_get_role (user) == TN_ROLE_ORGANIZER && g_str_equal (tn_user_get_email (user), "omar@example.org"))
        cohost = user;
      else if (tn_user_get_role (user) == TN_ROLE_STAFF && staff == NULL)
        staff = user;
    }

  for (guint e = 0; e < events->len; e++)
    {
      TnEvent *event = events->pdata[e];
      const char *event_id = tn_event_get_id (event);

      if (staff != NULL)
        {
          g_autoptr(TnEventPerson) person = tn_store_set_event_person (store, event_id, tn_user_get_id (staff),
                                                                      TN_EVENT_ROLE_STAFF, now, error);
          if (person == NULL)
            return FALSE;
        }
      if (cohost != NULL && e % 3 == 2 &&
          g_strcmp0 (tn_event_get_organizer (event), tn_user_get_id (cohost)) != 0)
        {
          g_autoptr(TnEventPerson) person = tn_store_set_event_person (store, event_id, tn_user_get_id (cohost),
                                                                      TN_EVENT_ROLE_COHOST, now, error);
          if (person == NULL)
            return FALSE;
        }
      for (guint u = 0; u < users->len; u++)
        {
          TnUser *user = users->pdata[u];
          g_autoptr(TnAttendee) answer = NULL;
          guint pattern = (e + u) % 4;

          if (tn_user_get_role (user) != TN_ROLE_MEMBER || pattern >= 2)
            continue;
          answer = tn_store_set_rsvp (store, event_id, user,
                                      pattern == 0 ? TN_RSVP_GOING : TN_RSVP_INTERESTED, now, error);
          if (answer == NULL)
            return FALSE;
        }
    }
  return TRUE;
}

/* Members' homes and interests, and who follows whom ("follows":
 * [follower, followee] e-mail pairs), so that recommendations have
 * friends and places to talk about. */
static gboolean
seed_follows (TnStore     *store,
              JsonObject  *root,
              JsonArray   *users,
              GHashTable  *ids,
              gint64       now,
              GError     **error)
{
  JsonArray *follows = json_object_has_member (root, "follows")
                       ? json_object_get_array_member (root, "follows") : NULL;

  for (guint i = 0; i < json_array_get_length (users); i++)
    {
      JsonObject *spec = json_array_get_object_element (users, i);
      const char *id = g_hash_table_lookup (ids, tn_json_object_get_string (spec, "email"));
      JsonArray *list = json_object_has_member (spec, "interests")
                        ? json_object_get_array_member (spec, "interests") : NULL;
      g_autoptr(GPtrArray) interests = g_ptr_array_new ();
      g_autoptr(TnUser) user = NULL;
      gboolean home = json_object_has_member (spec, "home_lat");

      if (!home && list == NULL)
        continue;
      for (guint j = 0; list != NULL && j < json_array_get_length (list); j++)
        g_ptr_array_add (interests, (gpointer) json_array_get_string_element (list, j));
      g_ptr_array_add (interests, NULL);
      user = tn_store_update_profile (store, id, home,
                                      home ? json_object_get_double_member (spec, "home_lat") : NAN,
                                      home ? json_object_get_double_member (spec, "home_lon") : NAN,
                                      list != NULL ? (const char * const *) interests->pdata : NULL, error);
      if (user == NULL)
        return FALSE;
    }
  for (guint i = 0; follows != NULL && i < json_array_get_length (follows); i++)
    {
      JsonArray *pair = json_array_get_array_element (follows, i);
      const char *follower = g_hash_table_lookup (ids, json_array_get_string_element (pair, 0));
      const char *followee = g_hash_table_lookup (ids, json_array_get_string_element (pair, 1));
      g_autoptr(TnFollow) follow = NULL;

      if (follower == NULL || followee == NULL)
        {
          g_set_error (error, TN_ERROR, TN_ERROR_INTERNAL, "The demo data's follow %u names an unknown user", i);
          return FALSE;
        }
      follow = tn_store_follow (store, follower, followee, now, error);
      if (follow == NULL)
        return FALSE;
    }
  return TRUE;
}

/**
 * tn_demo_seed:
 * @store: a migrated store without users
 * @now: the current time; events are placed over the following weeks
 * @error: return location for an error
 *
 * Seeds the demo community from the server's resources: about ten people
 * (password `turnout-demo`) and thirty events in several categories.
 *
 * Returns: %TRUE on success
 */
gboolean
tn_demo_seed (TnStore  *store,
              gint64    now,
              GError  **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *hash = NULL;
  g_autoptr(GPtrArray) people = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) seeded = g_ptr_array_new_with_free_func (g_object_unref);
  JsonArray *users, *events;
  gsize len;
  const char *data;
  gint64 count;

  count = tn_store_count_users (store, error);
  if (count < 0)
    return FALSE;
  if (count > 0)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_CONFLICT,
                   "The database has users already; the demo community is only seeded into an empty one");
      return FALSE;
    }

  bytes = g_resources_lookup_data ("/org/turnout/server/demo.json", G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return FALSE;
  data = g_bytes_get_data (bytes, &len);
  root = tn_json_parse_object (data, len, error);
  if (root == NULL)
    return FALSE;
  users = json_object_get_array_member (root, "users");
  events = json_object_get_array_member (root, "events");

  /* One hash for every demo account: Argon2id is slow on purpose. */
  hash = tn_auth_hash_password (TN_DEMO_PASSWORD, error);
  if (hash == NULL)
    return FALSE;

  for (guint i = 0; i < json_array_get_length (users); i++)
    {
      JsonObject *spec = json_array_get_object_element (users, i);
      g_autofree char *id = tn_id_new ();
      g_autoptr(TnUser) user = NULL;
      TnRole role = TN_ROLE_MEMBER;

      tn_role_from_string (tn_json_object_get_string (spec, "role"), &role);
      user = tn_store_create_user (store, id,
                                   tn_json_object_get_string (spec, "email"),
                                   tn_json_object_get_string (spec, "name"),
                                   hash, role, error);
      if (user == NULL)
        return FALSE;
      g_hash_table_insert (ids, g_strdup (tn_user_get_email (user)), g_strdup (tn_user_get_id (user)));
      g_ptr_array_add (people, g_steal_pointer (&user));
    }

  if (!seed_follows (store, root, users, ids, now, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (events); i++)
    if (!seed_event (store, json_array_get_object_element (events, i), ids,
                     now - now % 86400, seeded, error))
      return FALSE;
  if (!seed_people (store, people, seeded, now, error))
    return FALSE;

  g_info ("Seeded the demo community: %u people, %u events",
          json_array_get_length (users), json_array_get_length (events));
  return TRUE;
}
