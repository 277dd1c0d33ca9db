/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "tn-client.h"
#include "tn-error.h"
#include "tn-test-utils.h"
#include "tn-time.h"

typedef struct
{
  TnTestServer *server;
  TnClient     *client;
  GAsyncResult *result;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->server = tn_test_server_new (TRUE);
  f->client = tn_client_new (tn_test_server_get_url (f->server));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->result);
  g_assert_finalize_object (f->client);
  tn_test_server_free (f->server);
}

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Fixture *f = user_data;

  g_assert_null (f->result);
  f->result = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return ((Fixture *) data)->result != NULL;
}

/* Waits for the pending call and hands its result over. */
static GAsyncResult *
wait_result (Fixture *f)
{
  if (!tn_test_wait_until (has_result, f, 30000))
    g_error ("The client did not answer within 30 s");
  return g_steal_pointer (&f->result);
}

static void
login (Fixture    *f,
       const char *email)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TnUser) user = NULL;

  tn_client_login_async (f->client, email, TN_DEMO_PASSWORD, NULL, store_result_cb, f);
  result = wait_result (f);
  user = tn_client_login_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tn_user_get_email (user), ==, email);
}

static void
test_login_me_logout (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TnUser) me = NULL;

  g_assert_null (tn_client_get_token (f->client));
  login (f, TN_DEMO_ORGANIZER_EMAIL);
  g_assert_true (g_str_has_prefix (tn_client_get_token (f->client), "tn1_"));

  tn_client_me_async (f->client, NULL, store_result_cb, f);
  result = wait_result (f);
  me = tn_client_me_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tn_user_get_email (me), ==, TN_DEMO_ORGANIZER_EMAIL);
  g_assert_cmpint (tn_user_get_role (me), ==, TN_ROLE_ORGANIZER);
  g_clear_object (&result);

  {
    g_autofree char *token = g_strdup (tn_client_get_token (f->client));
    g_autoptr(TnUser) nobody = NULL;

    tn_client_logout_async (f->client, NULL, store_result_cb, f);
    result = wait_result (f);
    g_assert_true (tn_client_logout_finish (f->client, result, &error));
    g_assert_no_error (error);
    g_assert_null (tn_client_get_token (f->client));
    g_clear_object (&result);

    /* The old token is revoked on the server, not only forgotten here. */
    tn_client_set_token (f->client, token);
    tn_client_me_async (f->client, NULL, store_result_cb, f);
    result = wait_result (f);
    nobody = tn_client_me_finish (f->client, result, &error);
    g_assert_null (nobody);
    g_assert_error (error, TN_ERROR, TN_ERROR_UNAUTHORIZED);
  }
}

static void
test_login_wrong_password (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TnUser) user = NULL;

  tn_client_login_async (f->client, TN_DEMO_ORGANIZER_EMAIL, "wrong password", NULL, store_result_cb, f);
  result = wait_result (f);
  user = tn_client_login_finish (f->client, result, &error);
  g_assert_null (user);
  g_assert_error (error, TN_ERROR, TN_ERROR_UNAUTHORIZED);
  g_assert_null (tn_client_get_token (f->client));
}

static void
test_list_pages (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *cursor = NULL;
  gint64 last_start = 0;
  guint pages = 0;

  do
    {
      TnEventFilter filter = { .limit = 7, .cursor = cursor };
      g_autoptr(GError) error = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) events = NULL;
      char *next = NULL;

      tn_client_list_events_async (f->client, &filter, NULL, store_result_cb, f);
      result = wait_result (f);
      events = tn_client_list_events_finish (f->client, result, &next, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (events->len, <=, 7);
      for (guint i = 0; i < events->len; i++)
        {
          TnEvent *event = events->pdata[i];

          g_assert_cmpint (tn_event_get_starts_at (event), >=, last_start);
          last_start = tn_event_get_starts_at (event);
          g_assert_true (g_hash_table_add (seen, g_strdup (tn_event_get_id (event))));
        }
      g_free (cursor);
      cursor = next;
      pages++;
    }
  while (cursor != NULL && pages < 20);

  g_assert_cmpuint (g_hash_table_size (seen), ==, 31);
  g_assert_cmpuint (pages, ==, 5);
}

static void
test_list_filters (Fixture       *f,
                   gconstpointer  data)
{
  TnEventFilter filter = { .q = "philosophique", .from = tn_time_now () };
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) events = NULL;

  tn_client_list_events_async (f->client, &filter, NULL, store_result_cb, f);
  result = wait_result (f);
  events = tn_client_list_events_finish (f->client, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (tn_event_get_title (events->pdata[0]), ==, "Café Philosophique: Was ist Zeit?");
  g_clear_pointer (&events, g_ptr_array_unref);
  g_clear_object (&result);

  filter = (TnEventFilter) { .category = "Music", .tag = "live" };
  tn_client_list_events_async (f->client, &filter, NULL, store_result_cb, f);
  result = wait_result (f);
  events = tn_client_list_events_finish (f->client, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 2);
  for (guint i = 0; i < events->len; i++)
    g_assert_cmpstr (tn_event_get_category (events->pdata[i]), ==, "Music");
}

static TnEvent *
finish_event (Fixture  *f,
              GError  **error)
{
  g_autoptr(GAsyncResult) result = wait_result (f);

  return tn_client_event_finish (f->client, result, error);
}

static void
test_event_lifecycle (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(TnEvent) draft = tn_event_new ();
  g_autoptr(TnEvent) created = NULL;
  g_autoptr(TnEvent) fetched = NULL;
  g_autoptr(TnEvent) updated = NULL;
  g_autoptr(TnEvent) stale = NULL;
  g_autoptr(TnEvent) cancelled = NULL;
  g_autoptr(TnEvent) gone = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *id = g_uuid_string_random ();
  const char *tags[] = { "test", "ünïcödé", NULL };

  login (f, TN_DEMO_ORGANIZER_EMAIL);

  tn_event_set_id (draft, id);
  tn_event_set_title (draft, "Client test — Café");
  tn_event_set_starts_at (draft, tn_time_now () + 86400);
  tn_event_set_ends_at (draft, tn_time_now () + 90000);
  tn_event_set_capacity (draft, 12);
  tn_event_set_tags (draft, tags);
  tn_event_set_coordinates (draft, 51.3, 12.4);
  tn_client_create_event_async (f->client, draft, NULL, store_result_cb, f);
  created = finish_event (f, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tn_event_get_id (created), ==, id);
  g_assert_cmpint (tn_event_get_version (created), ==, 1);
  g_assert_cmpstr (tn_event_get_tags (created)[1], ==, "ünïcödé");

  tn_client_get_event_async (f->client, id, NULL, store_result_cb, f);
  fetched = finish_event (f, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tn_event_get_title (fetched), ==, "Client test — Café");
  g_assert_cmpint (tn_event_get_capacity (fetched), ==, 12);

  /* Keep a copy at version 1, then update. */
  stale = tn_event_copy (fetched);
  tn_event_set_title (fetched, "Client test, renamed");
  tn_client_update_event_async (f->client, fetched, NULL, store_result_cb, f);
  updated = finish_event (f, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tn_event_get_version (updated), ==, 2);
  g_assert_cmpstr (tn_event_get_title (updated), ==, "Client test, renamed");

  /* An edit of the stale copy is refused, never applied. */
  tn_event_set_title (stale, "Lost update");
  tn_client_update_event_async (f->client, stale, NULL, store_result_cb, f);
  g_assert_null (finish_event (f, &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_CONFLICT);
  g_clear_error (&error);

  /* A cancellation decided on the stale copy is refused too. */
  tn_client_cancel_event_at_version_async (f->client, id, 1, NULL, store_result_cb, f);
  g_assert_null (finish_event (f, &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_CONFLICT);
  g_clear_error (&error);

  tn_client_cancel_event_at_version_async (f->client, id, 2, NULL, store_result_cb, f);
  cancelled = finish_event (f, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tn_event_get_status (cancelled), ==, TN_EVENT_STATUS_CANCELLED);
  g_assert_cmpint (tn_event_get_version (cancelled), ==, 3);
  g_assert_cmpstr (tn_event_get_title (cancelled), ==, "Client test, renamed");

  /* Without a version, cancelling a cancelled event changes nothing. */
  g_clear_object (&cancelled);
  tn_client_cancel_event_async (f->client, id, NULL, store_result_cb, f);
  cancelled = finish_event (f, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tn_event_get_version (cancelled), ==, 3);

  /* So is a deletion decided on a version before the cancellation. */
  tn_client_delete_event_at_version_async (f->client, id, 2, NULL, store_result_cb, f);
  result = wait_result (f);
  g_assert_false (tn_client_delete_event_finish (f->client, result, &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_CONFLICT);
  g_clear_error (&error);
  g_clear_object (&result);

  tn_client_delete_event_at_version_async (f->client, id, 3, NULL, store_result_cb, f);
  result = wait_result (f);
  g_assert_true (tn_client_delete_event_finish (f->client, result, &error));
  g_assert_no_error (error);

  tn_client_get_event_async (f->client, id, NULL, store_result_cb, f);
  gone = finish_event (f, &error);
  g_assert_null (gone);
  g_assert_error (error, TN_ERROR, TN_ERROR_NOT_FOUND);
}

static void
test_errors_mapped (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(TnEvent) draft = tn_event_new ();
  g_autoptr(GError) error = NULL;

  tn_event_set_title (draft, "Member's event");
  tn_event_set_starts_at (draft, tn_time_now () + 3600);
  tn_event_set_ends_at (draft, tn_time_now () + 7200);

  /* Anonymous */
  tn_client_create_event_async (f->client, draft, NULL, store_result_cb, f);
  g_assert_null (finish_event (f, &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  /* A member may not organize */
  login (f, TN_DEMO_MEMBER_EMAIL);
  tn_client_create_event_async (f->client, draft, NULL, store_result_cb, f);
  g_assert_null (finish_event (f, &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_FORBIDDEN);
  g_clear_error (&error);

  /* Invalid: ends before it starts */
  login (f, TN_DEMO_ORGANIZER_EMAIL);
  tn_event_set_ends_at (draft, tn_time_now ());
  tn_client_create_event_async (f->client, draft, NULL, store_result_cb, f);
  g_assert_null (finish_event (f, &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_VALIDATION_FAILED);
}

static TnAttendee *
finish_rsvp (Fixture  *f,
             GError  **error)
{
  g_autoptr(GAsyncResult) result = wait_result (f);

  return tn_client_attendee_finish (f->client, result, error);
}

static void
test_rsvp (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(TnEvent) draft = tn_event_new ();
  g_autoptr(TnEvent) event = NULL;
  g_autoptr(TnAttendee) none = NULL;
  g_autoptr(TnAttendee) going = NULL;
  g_autoptr(TnAttendee) fetched = NULL;
  g_autoptr(TnAttendee) full = NULL;
  g_autoptr(GError) error = NULL;

  login (f, TN_DEMO_ORGANIZER_EMAIL);
  tn_event_set_title (draft, "One seat");
  tn_event_set_starts_at (draft, tn_time_now () + 86400);
  tn_event_set_ends_at (draft, tn_time_now () + 90000);
  tn_event_set_capacity (draft, 1);
  tn_client_create_event_async (f->client, draft, NULL, store_result_cb, f);
  event = finish_event (f, &error);
  g_assert_no_error (error);

  login (f, TN_DEMO_MEMBER_EMAIL);
  tn_client_get_rsvp_async (f->client, tn_event_get_id (event), NULL, store_result_cb, f);
  none = finish_rsvp (f, &error);
  g_assert_null (none);
  g_assert_error (error, TN_ERROR, TN_ERROR_NOT_FOUND);
  g_clear_error (&error);

  tn_client_set_rsvp_async (f->client, tn_event_get_id (event), TN_RSVP_GOING, NULL, store_result_cb, f);
  going = finish_rsvp (f, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tn_attendee_get_status (going), ==, TN_RSVP_GOING);
  g_assert_nonnull (tn_attendee_get_ticket_code (going));
  g_assert_cmpstr (tn_attendee_get_email (going), ==, TN_DEMO_MEMBER_EMAIL);

  tn_client_get_rsvp_async (f->client, tn_event_get_id (event), NULL, store_result_cb, f);
  fetched = finish_rsvp (f, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tn_attendee_get_ticket_code (fetched), ==, tn_attendee_get_ticket_code (going));

  /* The one seat is taken and there is no waitlist. */
  login (f, TN_DEMO_STAFF_EMAIL);
  tn_client_set_rsvp_async (f->client, tn_event_get_id (event), TN_RSVP_GOING, NULL, store_result_cb, f);
  full = finish_rsvp (f, &error);
  g_assert_null (full);
  g_assert_error (error, TN_ERROR, TN_ERROR_CAPACITY_FULL);
}

static GPtrArray *
finish_attendees (Fixture  *f,
                  char    **next_cursor,
                  GError  **error)
{
  g_autoptr(GAsyncResult) result = wait_result (f);

  return tn_client_list_attendees_finish (f->client, result, next_cursor, error);
}

static void
test_attendees (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(TnEvent) draft = tn_event_new ();
  g_autoptr(TnEvent) event = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) going = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) denied = NULL;
  g_autoptr(TnAttendee) reissued = NULL;
  g_autoptr(TnAttendee) revoked = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *first_code = NULL;
  const char *names[] = { "Ada Lovelace", "Björn Ström", "Chidi Okeke" };
  TnAttendee *guests[3] = { NULL };
  guint seen = 0;

  login (f, TN_DEMO_ORGANIZER_EMAIL);
  tn_event_set_title (draft, "Guests only");
  tn_event_set_starts_at (draft, tn_time_now () + 86400);
  tn_event_set_ends_at (draft, tn_time_now () + 90000);
  tn_event_set_capacity (draft, 2);
  tn_event_set_waitlist (draft, TRUE);
  tn_client_create_event_async (f->client, draft, NULL, store_result_cb, f);
  event = finish_event (f, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *email = g_strdup_printf ("guest%u@example.org", i);

      tn_client_add_guest_async (f->client, tn_event_get_id (event), names[i], email,
                                 i == 0 ? "Speaker" : NULL, i == 0 ? "Gate B" : NULL,
                                 NULL, store_result_cb, f);
      guests[i] = finish_rsvp (f, &error);
      g_assert_no_error (error);
    }
  g_assert_cmpint (tn_attendee_get_status (guests[0]), ==, TN_RSVP_GOING);
  g_assert_cmpstr (tn_attendee_get_ticket_type (guests[0]), ==, "Speaker");
  g_assert_cmpstr (tn_attendee_get_note (guests[0]), ==, "Gate B");
  g_assert_cmpint (tn_attendee_get_status (guests[2]), ==, TN_RSVP_WAITLISTED);
  g_assert_cmpuint (tn_attendee_get_waitlist_position (guests[2]), ==, 1);

  /* Pages of one, then filters */
  do
    {
      g_autoptr(GPtrArray) page = NULL;
      char *next = NULL;

      tn_client_list_attendees_async (f->client, tn_event_get_id (event), NULL, NULL, 1, cursor,
                                      NULL, store_result_cb, f);
      page = finish_attendees (f, &next, &error);
      g_assert_no_error (error);
      seen += page->len;
      g_free (cursor);
      cursor = next;
    }
  while (cursor != NULL && seen < 10);
  g_assert_cmpuint (seen, ==, 3);

  tn_client_list_attendees_async (f->client, tn_event_get_id (event), "going", NULL, 0, NULL,
                                  NULL, store_result_cb, f);
  going = finish_attendees (f, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (going->len, ==, 2);
  tn_client_list_attendees_async (f->client, tn_event_get_id (event), NULL, "STRÖM", 0, NULL,
                                  NULL, store_result_cb, f);
  found = finish_attendees (f, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (tn_attendee_get_name (found->pdata[0]), ==, "Björn Ström");

  /* Reissue: a new code; revoke: none */
  first_code = g_strdup (tn_attendee_get_ticket_code (guests[0]));
  tn_client_change_ticket_async (f->client, tn_event_get_id (event), tn_attendee_get_id (guests[0]), TRUE,
                                 NULL, store_result_cb, f);
  reissued = finish_rsvp (f, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tn_attendee_get_ticket_code (reissued));
  g_assert_cmpstr (tn_attendee_get_ticket_code (reissued), !=, first_code);
  tn_client_change_ticket_async (f->client, tn_event_get_id (event), tn_attendee_get_id (guests[0]), FALSE,
                                 NULL, store_result_cb, f);
  revoked = finish_rsvp (f, &error);
  g_assert_no_error (error);
  g_assert_null (tn_attendee_get_ticket_code (revoked));

  /* A member may not see the list */
  login (f, TN_DEMO_MEMBER_EMAIL);
  tn_client_list_attendees_async (f->client, tn_event_get_id (event), NULL, NULL, 0, NULL,
                                  NULL, store_result_cb, f);
  denied = finish_attendees (f, NULL, &error);
  g_assert_null (denied);
  g_assert_error (error, TN_ERROR, TN_ERROR_FORBIDDEN);

  for (guint i = 0; i < G_N_ELEMENTS (guests); i++)
    g_clear_object (&guests[i]);
}

/* Signs in as @email and returns the account's id. */
static char *
login_id (Fixture    *f,
          const char *email)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TnUser) user = NULL;

  tn_client_login_async (f->client, email, TN_DEMO_PASSWORD, NULL, store_result_cb, f);
  result = wait_result (f);
  user = tn_client_login_finish (f->client, result, &error);
  g_assert_no_error (error);
  return g_strdup (tn_user_get_id (user));
}

/* Creates an event tomorrow as the signed-in user. */
static TnEvent *
create_event (Fixture    *f,
              const char *title,
              const char *category,
              guint       capacity,
              gboolean    waitlist)
{
  g_autoptr(TnEvent) draft = tn_event_new ();
  g_autoptr(GError) error = NULL;
  TnEvent *event;

  tn_event_set_title (draft, title);
  tn_event_set_starts_at (draft, tn_time_now () + 86400);
  tn_event_set_ends_at (draft, tn_time_now () + 90000);
  if (category != NULL)
    tn_event_set_category (draft, category);
  if (capacity > 0)
    tn_event_set_capacity (draft, capacity);
  tn_event_set_waitlist (draft, waitlist);
  tn_client_create_event_async (f->client, draft, NULL, store_result_cb, f);
  event = finish_event (f, &error);
  g_assert_no_error (error);
  g_assert_nonnull (event);
  return event;
}

static GPtrArray *
finish_categories (Fixture  *f,
                   GError  **error)
{
  g_autoptr(GAsyncResult) result = wait_result (f);

  return tn_client_list_categories_finish (f->client, result, error);
}

static const TnClientCategory *
find_category (GPtrArray  *categories,
               const char *slug)
{
  for (guint i = 0; i < categories->len; i++)
    {
      const TnClientCategory *category = categories->pdata[i];

      if (g_str_equal (category->slug, slug))
        return category;
    }
  return NULL;
}

/* The upcoming_events of category @slug, or -1 without it. */
static gint64
upcoming_in (GPtrArray  *categories,
             const char *slug)
{
  const TnClientCategory *category = find_category (categories, slug);

  return category != NULL ? (gint64) category->upcoming_events : -1;
}

/* Upcoming events of @category the caller sees in the event list. */
static guint
count_upcoming (Fixture    *f,
                const char *category)
{
  g_autofree char *cursor = NULL;
  guint count = 0;

  do
    {
      TnEventFilter filter = { .category = category, .status = "scheduled", .from = tn_time_now (),
                               .limit = 500, .cursor = cursor };
      g_autoptr(GError) error = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) events = NULL;
      char *next = NULL;

      tn_client_list_events_async (f->client, &filter, NULL, store_result_cb, f);
      result = wait_result (f);
      events = tn_client_list_events_finish (f->client, result, &next, &error);
      g_assert_no_error (error);
      count += events->len;
      g_free (cursor);
      cursor = next;
    }
  while (cursor != NULL);
  return count;
}

static void
test_categories (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) anonymous = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) refused = NULL;
  g_autoptr(TnEvent) event = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TnClientCategory) copy = NULL;
  const TnClientCategory *music;

  /* Signed out: every category, in the server's order. */
  tn_client_list_categories_async (f->client, NULL, store_result_cb, f);
  anonymous = finish_categories (f, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (anonymous->len, ==, 12);
  g_assert_cmpstr (((TnClientCategory *) anonymous->pdata[0])->slug, ==, "tech");
  music = find_category (anonymous, "music");
  if (music == NULL)
    g_error ("The categories lack music");
  g_assert_cmpstr (music->name, ==, "Music");
  g_assert_cmpstr (music->colour, ==, "#9141ac");
  g_assert_cmpstr (music->icon, ==, "emblem-music-symbolic");
  g_assert_cmpuint (music->upcoming_events, >, 0);
  g_assert_cmpuint (music->upcoming_events, ==, count_upcoming (f, "Music"));
  copy = tn_client_category_copy (music);
  g_assert_cmpstr (copy->colour, ==, music->colour);
  g_assert_cmpuint (copy->upcoming_events, ==, music->upcoming_events);

  /* A new event counts in its category. */
  login (f, TN_DEMO_ORGANIZER_EMAIL);
  tn_client_list_categories_async (f->client, NULL, store_result_cb, f);
  before = finish_categories (f, &error);
  g_assert_no_error (error);
  event = create_event (f, "One more concert", "Music", 0, FALSE);
  tn_client_list_categories_async (f->client, NULL, store_result_cb, f);
  after = finish_categories (f, &error);
  g_assert_no_error (error);
  g_assert_cmpint (upcoming_in (after, "music"), ==, upcoming_in (before, "music") + 1);
  g_assert_cmpint (upcoming_in (after, "tech"), ==, upcoming_in (before, "tech"));

  /* A token that is not valid is refused, not taken as signed out. */
  tn_client_set_token (f->client, "tn1_not-a-token");
  tn_client_list_categories_async (f->client, NULL, store_result_cb, f);
  refused = finish_categories (f, &error);
  g_assert_null (refused);
  g_assert_error (error, TN_ERROR, TN_ERROR_UNAUTHORIZED);
}

static GPtrArray *
finish_people (Fixture  *f,
               GError  **error)
{
  g_autoptr(GAsyncResult) result = wait_result (f);

  return tn_client_list_people_finish (f->client, result, error);
}

static TnClientPerson *
finish_person (Fixture  *f,
               GError  **error)
{
  g_autoptr(GAsyncResult) result = wait_result (f);

  return tn_client_set_person_finish (f->client, result, error);
}

static gboolean
finish_remove_person (Fixture  *f,
                      GError  **error)
{
  g_autoptr(GAsyncResult) result = wait_result (f);

  return tn_client_remove_person_finish (f->client, result, error);
}

static const TnClientPerson *
find_person (GPtrArray  *people,
             const char *user_id)
{
  for (guint i = 0; i < people->len; i++)
    {
      const TnClientPerson *person = people->pdata[i];

      if (g_str_equal (person->user_id, user_id))
        return person;
    }
  return NULL;
}

/* The role of @user_id in @people, or -1 when not on the list. */
static int
role_in (GPtrArray  *people,
         const char *user_id)
{
  const TnClientPerson *person = find_person (people, user_id);

  return person != NULL ? (int) person->role : -1;
}

static void
test_people (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *omar_id = login_id (f, "omar@example.org");
  g_autofree char *sam_id = login_id (f, TN_DEMO_STAFF_EMAIL);
  g_autofree char *maria_id = login_id (f, TN_DEMO_MEMBER_EMAIL);
  g_autofree char *olivia_id = login_id (f, TN_DEMO_ORGANIZER_EMAIL);
  g_autofree char *unknown_event = g_uuid_string_random ();
  g_autoptr(TnEvent) event = create_event (f, "Team test", NULL, 0, FALSE);
  const char *event_id = tn_event_get_id (event);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) empty = NULL;
  g_autoptr(GPtrArray) team = NULL;
  g_autoptr(GPtrArray) smaller = NULL;
  g_autoptr(GPtrArray) denied = NULL;
  g_autoptr(GPtrArray) missing = NULL;
  g_autoptr(TnClientPerson) cohost = NULL;
  g_autoptr(TnClientPerson) staff = NULL;
  g_autoptr(TnClientPerson) invited = NULL;
  g_autoptr(TnClientPerson) promoted = NULL;
  g_autoptr(TnClientPerson) refused = NULL;

  tn_client_list_people_async (f->client, event_id, NULL, store_result_cb, f);
  empty = finish_people (f, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (empty->len, ==, 0);

  tn_client_set_person_async (f->client, event_id, omar_id, TN_CLIENT_PERSON_ROLE_COHOST,
                              NULL, store_result_cb, f);
  cohost = finish_person (f, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cohost->user_id, ==, omar_id);
  g_assert_cmpstr (cohost->email, ==, "omar@example.org");
  g_assert_cmpint (cohost->role, ==, TN_CLIENT_PERSON_ROLE_COHOST);

  tn_client_set_person_async (f->client, event_id, sam_id, TN_CLIENT_PERSON_ROLE_STAFF,
                              NULL, store_result_cb, f);
  staff = finish_person (f, &error);
  g_assert_no_error (error);
  g_assert_cmpint (staff->role, ==, TN_CLIENT_PERSON_ROLE_STAFF);

  tn_client_set_person_async (f->client, event_id, maria_id, TN_CLIENT_PERSON_ROLE_INVITED,
                              NULL, store_result_cb, f);
  invited = finish_person (f, &error);
  g_assert_no_error (error);
  g_assert_cmpint (invited->role, ==, TN_CLIENT_PERSON_ROLE_INVITED);
  g_assert_cmpstr (invited->email, ==, TN_DEMO_MEMBER_EMAIL);

  tn_client_list_people_async (f->client, event_id, NULL, store_result_cb, f);
  team = finish_people (f, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (team->len, ==, 3);
  g_assert_cmpint (role_in (team, omar_id), ==, TN_CLIENT_PERSON_ROLE_COHOST);
  g_assert_cmpint (role_in (team, sam_id), ==, TN_CLIENT_PERSON_ROLE_STAFF);
  g_assert_cmpint (role_in (team, maria_id), ==, TN_CLIENT_PERSON_ROLE_INVITED);
  g_assert_null (find_person (team, olivia_id));

  /* The organizer takes no role. */
  tn_client_set_person_async (f->client, event_id, olivia_id, TN_CLIENT_PERSON_ROLE_STAFF,
                              NULL, store_result_cb, f);
  refused = finish_person (f, &error);
  g_assert_null (refused);
  g_assert_error (error, TN_ERROR, TN_ERROR_VALIDATION_FAILED);
  g_clear_error (&error);

  /* A co-host manages staff and guests, but makes no co-host. */
  login (f, "omar@example.org");
  tn_client_set_person_async (f->client, event_id, maria_id, TN_CLIENT_PERSON_ROLE_STAFF,
                              NULL, store_result_cb, f);
  promoted = finish_person (f, &error);
  g_assert_no_error (error);
  g_assert_cmpint (promoted->role, ==, TN_CLIENT_PERSON_ROLE_STAFF);
  tn_client_set_person_async (f->client, event_id, sam_id, TN_CLIENT_PERSON_ROLE_COHOST,
                              NULL, store_result_cb, f);
  refused = finish_person (f, &error);
  g_assert_null (refused);
  g_assert_error (error, TN_ERROR, TN_ERROR_FORBIDDEN);
  g_clear_error (&error);

  tn_client_remove_person_async (f->client, event_id, sam_id, NULL, store_result_cb, f);
  g_assert_true (finish_remove_person (f, &error));
  g_assert_no_error (error);
  tn_client_list_people_async (f->client, event_id, NULL, store_result_cb, f);
  smaller = finish_people (f, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (smaller->len, ==, 2);
  g_assert_null (find_person (smaller, sam_id));
  g_assert_cmpint (role_in (smaller, maria_id), ==, TN_CLIENT_PERSON_ROLE_STAFF);

  /* Only the organizer removes a co-host. */
  tn_client_remove_person_async (f->client, event_id, omar_id, NULL, store_result_cb, f);
  g_assert_false (finish_remove_person (f, &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_FORBIDDEN);
  g_clear_error (&error);

  /* Staff may not see the team list. */
  login (f, TN_DEMO_MEMBER_EMAIL);
  tn_client_list_people_async (f->client, event_id, NULL, store_result_cb, f);
  denied = finish_people (f, &error);
  g_assert_null (denied);
  g_assert_error (error, TN_ERROR, TN_ERROR_FORBIDDEN);
  g_clear_error (&error);

  login (f, TN_DEMO_ORGANIZER_EMAIL);
  tn_client_list_people_async (f->client, unknown_event, NULL, store_result_cb, f);
  missing = finish_people (f, &error);
  g_assert_null (missing);
  g_assert_error (error, TN_ERROR, TN_ERROR_NOT_FOUND);
  g_clear_error (&error);
  tn_client_set_person_async (f->client, unknown_event, sam_id, TN_CLIENT_PERSON_ROLE_STAFF,
                              NULL, store_result_cb, f);
  refused = finish_person (f, &error);
  g_assert_null (refused);
  g_assert_error (error, TN_ERROR, TN_ERROR_NOT_FOUND);
  g_clear_error (&error);
  tn_client_remove_person_async (f->client, unknown_event, sam_id, NULL, store_result_cb, f);
  g_assert_false (finish_remove_person (f, &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_NOT_FOUND);
  g_clear_error (&error);

  tn_client_set_token (f->client, NULL);
  tn_client_remove_person_async (f->client, event_id, maria_id, NULL, store_result_cb, f);
  g_assert_false (finish_remove_person (f, &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_UNAUTHORIZED);
}

static gboolean
finish_import (Fixture               *f,
               TnClientImportReport **report,
               GError               **error)
{
  g_autoptr(GAsyncResult) result = wait_result (f);

  return tn_client_import_attendees_finish (f->client, result, report, error);
}

static GBytes *
finish_export (Fixture  *f,
               GError  **error)
{
  g_autoptr(GAsyncResult) result = wait_result (f);

  return tn_client_export_attendees_finish (f->client, result, error);
}

static void
import_text (Fixture    *f,
             const char *event_id,
             const char *csv)
{
  g_autoptr(GBytes) bytes = g_bytes_new (csv, strlen (csv));

  tn_client_import_attendees_async (f->client, event_id, bytes, NULL, store_result_cb, f);
}

static guint
count_attendees (Fixture    *f,
                 const char *event_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) attendees = NULL;

  tn_client_list_attendees_async (f->client, event_id, NULL, NULL, 500, NULL, NULL, store_result_cb, f);
  attendees = finish_attendees (f, NULL, &error);
  g_assert_no_error (error);
  return attendees->len;
}

static void
test_import_export (Fixture       *f,
                    gconstpointer  data)
{
  static const char csv[] =
    "name,email,ticket_type,note\r\n"
    "Ada Lovelace,ada@example.org,VIP,\"Table 1, near the stage\"\r\n"
    "Björn Ström,bjorn@example.org,,\r\n"
    "Chidi Okeke,chidi@example.org,,\r\n";
  g_autoptr(TnEvent) event = NULL;
  g_autoptr(TnClientImportReport) report = NULL;
  g_autoptr(TnClientImportReport) again = NULL;
  g_autoptr(TnClientImportReport) copy = NULL;
  g_autoptr(GBytes) exported = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *text = NULL;
  const TnClientImportRow *row;

  login (f, TN_DEMO_ORGANIZER_EMAIL);
  event = create_event (f, "Import test", NULL, 2, TRUE);

  import_text (f, tn_event_get_id (event), csv);
  g_assert_true (finish_import (f, &report, &error));
  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_cmpuint (report->rows->len, ==, 3);
  g_assert_cmpuint (report->created, ==, 2);
  g_assert_cmpuint (report->waitlisted, ==, 1);
  g_assert_cmpuint (report->updated, ==, 0);
  g_assert_cmpuint (report->unchanged, ==, 0);
  g_assert_cmpuint (report->errors, ==, 0);
  g_assert_null (report->header_error);
  for (guint i = 0; i < report->rows->len; i++)
    {
      row = report->rows->pdata[i];
      g_assert_cmpuint (row->line, ==, i + 2);
      g_assert_cmpint (row->outcome, ==, i < 2 ? TN_CLIENT_IMPORT_CREATED : TN_CLIENT_IMPORT_WAITLISTED);
      g_assert_null (row->error);
    }
  g_assert_cmpstr (((TnClientImportRow *) report->rows->pdata[1])->email, ==, "bjorn@example.org");
  copy = tn_client_import_report_copy (report);
  g_assert_cmpuint (copy->rows->len, ==, 3);
  g_assert_cmpstr (((TnClientImportRow *) copy->rows->pdata[2])->email, ==, "chidi@example.org");
  g_assert_cmpuint (count_attendees (f, tn_event_get_id (event)), ==, 3);

  /* The export: a header and a row per attendee, in CRLF lines. */
  tn_client_export_attendees_async (f->client, tn_event_get_id (event), NULL, store_result_cb, f);
  exported = finish_export (f, &error);
  g_assert_no_error (error);
  g_assert_nonnull (exported);
  text = g_strndup (g_bytes_get_data (exported, NULL), g_bytes_get_size (exported));
  g_assert_true (g_str_has_suffix (text, "\r\n"));
  lines = g_strsplit (text, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  g_assert_cmpstr (lines[0], ==, "name,email,status,ticket_type,note,ticket_code,waitlist_position");
  g_assert_cmpstr (lines[4], ==, "");
  /* In the file's order: rows imported together share their creation
   * time, and their ids are made in order (tn_id_new()). */
  g_assert_true (g_str_has_prefix (lines[1], "Ada Lovelace,ada@example.org,going,VIP,\"Table 1, near the stage\","));
  g_assert_true (g_str_has_prefix (lines[2], "Björn Ström,bjorn@example.org,going,,,"));
  g_assert_cmpstr (lines[3], ==, "Chidi Okeke,chidi@example.org,waitlisted,,,,1");

  /* It reads back, and changes nothing. */
  tn_client_import_attendees_async (f->client, tn_event_get_id (event), exported, NULL, store_result_cb, f);
  g_assert_true (finish_import (f, &again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (again->rows->len, ==, 3);
  g_assert_cmpuint (again->unchanged, ==, 3);
  g_assert_cmpuint (again->created + again->waitlisted + again->updated, ==, 0);
  g_assert_cmpuint (count_attendees (f, tn_event_get_id (event)), ==, 3);
}

static void
test_import_errors (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(TnEvent) event = NULL;
  g_autoptr(TnEvent) full = NULL;
  g_autoptr(TnClientImportReport) report = NULL;
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *unknown_event = g_uuid_string_random ();
  const TnClientImportRow *row;

  login (f, TN_DEMO_ORGANIZER_EMAIL);
  event = create_event (f, "Import errors", NULL, 0, FALSE);

  /* Rows in error: the report names them, and nothing is stored. */
  import_text (f, tn_event_get_id (event),
               "name,email\n"
               "Ada Lovelace,ada@example.org\n"
               "No Address,not-an-address\n"
               "Too,many,fields\n"
               "Ada Again,ADA@example.org\n");
  g_assert_false (finish_import (f, &report, &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_VALIDATION_FAILED);
  g_clear_error (&error);
  g_assert_nonnull (report);
  g_assert_null (report->header_error);
  g_assert_cmpuint (report->errors, ==, 3);
  g_assert_cmpuint (report->rows->len, ==, 3);
  for (guint i = 0; i < report->rows->len; i++)
    {
      row = report->rows->pdata[i];
      g_assert_cmpuint (row->line, ==, i + 3);
      g_assert_cmpint (row->outcome, ==, TN_CLIENT_IMPORT_ERROR);
      g_assert_nonnull (row->error);
    }
  g_assert_cmpstr (((TnClientImportRow *) report->rows->pdata[0])->email, ==, "not-an-address");
  g_assert_nonnull (strstr (((TnClientImportRow *) report->rows->pdata[2])->error, "line 2"));
  g_assert_cmpuint (count_attendees (f, tn_event_get_id (event)), ==, 0);
  g_clear_pointer (&report, tn_client_import_report_free);

  /* A bad header */
  import_text (f, tn_event_get_id (event), "name,email,shoe_size\nAda,ada@example.org,38\n");
  g_assert_false (finish_import (f, &report, &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_VALIDATION_FAILED);
  g_clear_error (&error);
  g_assert_nonnull (report);
  g_assert_nonnull (strstr (report->header_error, "shoe_size"));
  g_assert_cmpuint (report->rows->len, ==, 0);
  g_clear_pointer (&report, tn_client_import_report_free);

  /* Not CSV at all: the message names the line; no report. */
  import_text (f, tn_event_get_id (event), "name,email\n\"Ada,ada@example.org\n");
  g_assert_false (finish_import (f, &report, &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST);
  g_assert_null (report);
  g_clear_error (&error);

  /* No seat for the second row and no waitlist: that row is named. */
  full = create_event (f, "One seat, no waitlist", NULL, 1, FALSE);
  import_text (f, tn_event_get_id (full), "name,email\nAda,ada@example.org\nBjörn,bjorn@example.org\n");
  g_assert_false (finish_import (f, &report, &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_CAPACITY_FULL);
  g_clear_error (&error);
  g_assert_nonnull (report);
  g_assert_cmpuint (report->rows->len, ==, 1);
  row = report->rows->pdata[0];
  g_assert_cmpuint (row->line, ==, 3);
  g_assert_cmpstr (row->email, ==, "bjorn@example.org");
  g_assert_cmpint (row->outcome, ==, TN_CLIENT_IMPORT_ERROR);
  g_clear_pointer (&report, tn_client_import_report_free);
  g_assert_cmpuint (count_attendees (f, tn_event_get_id (full)), ==, 0);

  /* The caller need not take a report. */
  import_text (f, tn_event_get_id (event), "name,email\nNo Address,nowhere\n");
  g_assert_false (finish_import (f, NULL, &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_VALIDATION_FAILED);
  g_clear_error (&error);

  import_text (f, unknown_event, "name,email\nAda,ada@example.org\n");
  g_assert_false (finish_import (f, &report, &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_NOT_FOUND);
  g_assert_null (report);
  g_clear_error (&error);
  tn_client_export_attendees_async (f->client, unknown_event, NULL, store_result_cb, f);
  csv = finish_export (f, &error);
  g_assert_null (csv);
  g_assert_error (error, TN_ERROR, TN_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A member may neither import nor export. */
  login (f, TN_DEMO_MEMBER_EMAIL);
  import_text (f, tn_event_get_id (event), "name,email\nAda,ada@example.org\n");
  g_assert_false (finish_import (f, &report, &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_FORBIDDEN);
  g_assert_null (report);
  g_clear_error (&error);
  tn_client_export_attendees_async (f->client, tn_event_get_id (event), NULL, store_result_cb, f);
  csv = finish_export (f, &error);
  g_assert_null (csv);
  g_assert_error (error, TN_ERROR, TN_ERROR_FORBIDDEN);
  g_clear_error (&error);

  tn_client_set_token (f->client, NULL);
  tn_client_export_attendees_async (f->client, tn_event_get_id (event), NULL, store_result_cb, f);
  csv = finish_export (f, &error);
  g_assert_null (csv);
  g_assert_error (error, TN_ERROR, TN_ERROR_UNAUTHORIZED);
}

static GPtrArray *
finish_audit (Fixture  *f,
              char    **next_cursor,
              GError  **error)
{
  g_autoptr(GAsyncResult) result = wait_result (f);

  return tn_client_list_audit_finish (f->client, result, next_cursor, error);
}

static void
test_audit (Fixture       *f,
            gconstpointer  data)
{
  static const char * const newest_first[] = { "person.set", "event.update", "event.create" };
  g_autofree char *sam_id = login_id (f, TN_DEMO_STAFF_EMAIL);
  g_autofree char *admin_id = login_id (f, TN_DEMO_ADMIN_EMAIL);
  g_autofree char *olivia_id = login_id (f, TN_DEMO_ORGANIZER_EMAIL);
  g_autoptr(TnEvent) event = create_event (f, "Audited", NULL, 0, FALSE);
  g_autoptr(TnEvent) updated = NULL;
  g_autoptr(TnClientPerson) staff = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) updates = NULL;
  g_autoptr(GPtrArray) by_admin = NULL;
  g_autoptr(GPtrArray) later = NULL;
  g_autoptr(GPtrArray) denied = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TnClientAuditEntry) copy = NULL;
  g_autofree char *cursor = NULL;
  const char *event_id = tn_event_get_id (event);
  TnAuditFilter filter = { .event_id = event_id };
  const TnClientAuditEntry *update;
  JsonObject *title;
  gint64 last_seq = G_MAXINT64;
  guint pages = 0, seen = 0;

  tn_event_set_title (event, "Audited, renamed");
  tn_client_update_event_async (f->client, event, NULL, store_result_cb, f);
  updated = finish_event (f, &error);
  g_assert_no_error (error);
  tn_client_set_person_async (f->client, event_id, sam_id, TN_CLIENT_PERSON_ROLE_STAFF,
                              NULL, store_result_cb, f);
  staff = finish_person (f, &error);
  g_assert_no_error (error);

  /* Only admins read the log. */
  tn_client_list_audit_async (f->client, &filter, NULL, store_result_cb, f);
  denied = finish_audit (f, NULL, &error);
  g_assert_null (denied);
  g_assert_error (error, TN_ERROR, TN_ERROR_FORBIDDEN);
  g_clear_error (&error);

  login (f, TN_DEMO_ADMIN_EMAIL);
  tn_client_list_audit_async (f->client, &filter, NULL, store_result_cb, f);
  all = finish_audit (f, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, G_N_ELEMENTS (newest_first));
  for (guint i = 0; i < all->len; i++)
    {
      const TnClientAuditEntry *entry = all->pdata[i];

      g_assert_cmpstr (entry->action, ==, newest_first[i]);
      g_assert_cmpstr (entry->actor_id, ==, olivia_id);
      g_assert_cmpstr (entry->actor_email, ==, TN_DEMO_ORGANIZER_EMAIL);
      g_assert_cmpstr (entry->event_id, ==, event_id);
      g_assert_cmpint (entry->seq, <, last_seq);
      g_assert_cmpint (entry->at, >, 0);
      g_assert_nonnull (entry->details);
      last_seq = entry->seq;
    }
  g_assert_cmpstr (((TnClientAuditEntry *) all->pdata[0])->target_type, ==, "user");
  g_assert_cmpstr (((TnClientAuditEntry *) all->pdata[0])->target_id, ==, sam_id);
  update = all->pdata[1];
  g_assert_cmpstr (update->target_type, ==, "event");
  g_assert_cmpstr (update->target_id, ==, event_id);
  g_assert_true (json_object_has_member (update->details, "title"));
  title = json_object_get_object_member (update->details, "title");
  g_assert_cmpstr (json_object_get_string_member (title, "old"), ==, "Audited");
  g_assert_cmpstr (json_object_get_string_member (title, "new"), ==, "Audited, renamed");
  copy = tn_client_audit_entry_copy (update);
  g_assert_cmpint (copy->seq, ==, update->seq);
  g_assert_cmpstr (copy->action, ==, "event.update");

  /* Pages of one give the same records. */
  do
    {
      TnAuditFilter page_filter = { .event_id = event_id, .limit = 1, .cursor = cursor };
      g_autoptr(GPtrArray) page = NULL;
      char *next = NULL;

      tn_client_list_audit_async (f->client, &page_filter, NULL, store_result_cb, f);
      page = finish_audit (f, &next, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (page->len, <=, 1);
      if (page->len == 1)
        {
          g_assert_cmpuint (seen, <, all->len);
          g_assert_cmpint (((TnClientAuditEntry *) page->pdata[0])->seq, ==,
                           ((TnClientAuditEntry *) all->pdata[seen])->seq);
          seen++;
        }
      g_free (cursor);
      cursor = next;
      pages++;
    }
  while (cursor != NULL && pages < 10);
  g_assert_cmpuint (seen, ==, all->len);
  g_assert_null (cursor);

  filter = (TnAuditFilter) { .event_id = event_id, .action = "event.update", .actor_id = olivia_id };
  tn_client_list_audit_async (f->client, &filter, NULL, store_result_cb, f);
  updates = finish_audit (f, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (updates->len, ==, 1);
  g_assert_cmpint (((TnClientAuditEntry *) updates->pdata[0])->seq, ==, update->seq);

  filter = (TnAuditFilter) { .event_id = event_id, .actor_id = admin_id };
  tn_client_list_audit_async (f->client, &filter, NULL, store_result_cb, f);
  by_admin = finish_audit (f, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (by_admin->len, ==, 0);

  filter = (TnAuditFilter) { .event_id = event_id, .from = tn_time_now () + 86400 };
  tn_client_list_audit_async (f->client, &filter, NULL, store_result_cb, f);
  later = finish_audit (f, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (later->len, ==, 0);

  filter = (TnAuditFilter) { .action = "event.explode" };
  tn_client_list_audit_async (f->client, &filter, NULL, store_result_cb, f);
  g_assert_null (finish_audit (f, NULL, &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_VALIDATION_FAILED);
  g_clear_error (&error);

  tn_client_set_token (f->client, NULL);
  tn_client_list_audit_async (f->client, NULL, NULL, store_result_cb, f);
  g_assert_null (finish_audit (f, NULL, &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_UNAUTHORIZED);
}

static void
test_network_error (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TnClient) client = NULL;
  g_autofree char *url = NULL;
  Fixture f = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TnUser) user = NULL;
  guint16 port;

  /* A port that was free a moment ago: nothing listens there now. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  url = g_strdup_printf ("http://127.0.0.1:%u", port);

  client = tn_client_new (url);
  f.client = client;
  tn_client_me_async (client, NULL, store_result_cb, &f);
  result = wait_result (&f);
  user = tn_client_me_finish (client, result, &error);
  g_assert_null (user);
  g_assert_error (error, TN_ERROR, TN_ERROR_NETWORK);
}

static void
test_cancelled (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TnUser) user = NULL;

  tn_client_login_async (f->client, TN_DEMO_ORGANIZER_EMAIL, TN_DEMO_PASSWORD, cancellable, store_result_cb, f);
  g_cancellable_cancel (cancellable);
  result = wait_result (f);
  user = tn_client_login_finish (f->client, result, &error);
  g_assert_null (user);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Recommendations, similar events and trending through the client: items
 * with their event, score and reasons; a recommendation for the caller
 * never one they answered; the server's 422 for a bad category. Retries
 * while a just-started server builds its first model (unavailable). */
static GPtrArray *
recommendations (Fixture    *f,
                 const char *kind,
                 const char *arg,
                 GError    **error)
{
  for (guint attempt = 0; attempt < 600; attempt++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) local_error = NULL;
      GPtrArray *items;

      if (g_str_equal (kind, "for-me"))
        tn_client_recommendations_async (f->client, 5, arg != NULL, 51.34, 12.37, NULL, NULL, store_result_cb, f);
      else if (g_str_equal (kind, "similar"))
        tn_client_similar_events_async (f->client, arg, 3, NULL, store_result_cb, f);
      else
        tn_client_trending_async (f->client, arg, 0, NULL, store_result_cb, f);
      result = wait_result (f);
      items = tn_client_recommendations_finish (f->client, result, &local_error);
      if (!g_error_matches (local_error, TN_ERROR, TN_ERROR_UNAVAILABLE))
        {
          if (local_error != NULL)
            g_propagate_error (error, g_steal_pointer (&local_error));
          return items;
        }
      g_usleep (50 * 1000);
    }
  g_assert_not_reached ();
}

static void
test_recommendations (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *maria_id = login_id (f, TN_DEMO_MEMBER_EMAIL);
  g_autoptr(GPtrArray) mine = NULL;
  g_autoptr(GPtrArray) near = NULL;
  g_autoptr(GPtrArray) similar = NULL;
  g_autoptr(GPtrArray) trending = NULL;
  g_autoptr(GPtrArray) bad = NULL;
  g_autoptr(GError) error = NULL;
  const char *first_id;

  mine = recommendations (f, "for-me", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mine->len, >, 0);
  g_assert_cmpuint (mine->len, <=, 5);
  for (guint i = 0; i < mine->len; i++)
    {
      TnClientRecommendation *item = mine->pdata[i];

      g_assert_true (TN_IS_EVENT (item->event));
      g_assert_cmpint (tn_event_get_starts_at (item->event), >, g_get_real_time () / G_USEC_PER_SEC);
      g_assert_nonnull (item->reasons);
      g_assert_nonnull (item->reasons[0]);
      if (i > 0)
        g_assert_cmpfloat (item->score, <=, ((TnClientRecommendation *) mine->pdata[i - 1])->score);
    }
  near = recommendations (f, "for-me", "near", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (near->len, >, 0);

  first_id = tn_event_get_id (((TnClientRecommendation *) mine->pdata[0])->event);
  similar = recommendations (f, "similar", first_id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < similar->len; i++)
    g_assert_cmpstr (tn_event_get_id (((TnClientRecommendation *) similar->pdata[i])->event), !=, first_id);

  trending = recommendations (f, "trending", "Tech", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (trending->len, >, 0);
  for (guint i = 0; i < trending->len; i++)
    g_assert_cmpstr (tn_event_get_category (((TnClientRecommendation *) trending->pdata[i])->event), ==, "Tech");

  bad = recommendations (f, "trending", "\xff\xfe", &error);
  g_assert_error (error, TN_ERROR, TN_ERROR_VALIDATION_FAILED);
  g_assert_null (bad);
  g_assert_nonnull (maria_id);
}

/* Follows and the profile through the client: follow (a friend when
 * followed back), both lists page by page, unfollow twice, a follow of
 * oneself refused; the profile set, read back and refused when wrong. */
static gboolean
follows_contain (GPtrArray  *follows,
                 const char *user_id,
                 gboolean    friend)
{
  for (guint i = 0; i < follows->len; i++)
    {
      TnClientFollow *follow = follows->pdata[i];

      if (g_str_equal (follow->user_id, user_id))
        return follow->friend == friend;
    }
  return FALSE;
}

static GPtrArray *
all_follows (Fixture    *f,
             const char *user_id,
             gboolean    followers)
{
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify) tn_client_follow_free);
  g_autofree char *cursor = NULL;

  do
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) page = NULL;
      g_autofree char *next = NULL;

      if (followers)
        tn_client_list_followers_async (f->client, user_id, 1, cursor, NULL, store_result_cb, f);
      else
        tn_client_list_following_async (f->client, user_id, 1, cursor, NULL, store_result_cb, f);
      result = wait_result (f);
      page = tn_client_list_follows_finish (f->client, result, &next, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (page->len, <=, 1);
      for (guint i = 0; i < page->len; i++)
        g_ptr_array_add (all, tn_client_follow_copy (page->pdata[i]));
      g_clear_pointer (&cursor, g_free);
      cursor = g_steal_pointer (&next);
    }
  while (cursor != NULL);
  return all;
}

static void
test_follows (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *tomasz_id = login_id (f, "tomasz@example.org");
  g_autofree char *maria_id = login_id (f, TN_DEMO_MEMBER_EMAIL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TnClientFollow) follow = NULL;
  g_autoptr(TnClientFollow) self_follow = NULL;
  g_autoptr(GPtrArray) followers = NULL;
  g_autoptr(GPtrArray) following = NULL;
  g_autoptr(TnUser) me = NULL;
  g_autoptr(TnUser) refused = NULL;
  const char *interests[] = { "music", "Arts", NULL };
  double lat = 0, lon = 0;

  /* the demo has Tomasz follow María: she follows back, a friend */
  tn_client_follow_async (f->client, tomasz_id, NULL, store_result_cb, f);
  result = wait_result (f);
  follow = tn_client_follow_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (follow->user_id, ==, tomasz_id);
  g_assert_true (follow->friend);
  g_assert_cmpint (follow->since, >, 0);
  g_clear_object (&result);

  followers = all_follows (f, maria_id, TRUE);
  g_assert_true (follows_contain (followers, tomasz_id, TRUE));
  following = all_follows (f, maria_id, FALSE);
  g_assert_true (follows_contain (following, tomasz_id, TRUE));
  g_assert_cmpuint (following->len, >=, 4);

  for (guint i = 0; i < 2; i++)
    {
      tn_client_unfollow_async (f->client, tomasz_id, NULL, store_result_cb, f);
      result = wait_result (f);
      g_assert_true (tn_client_unfollow_finish (f->client, result, &error));
      g_assert_no_error (error);
      g_clear_object (&result);
    }
  g_clear_pointer (&followers, g_ptr_array_unref);
  followers = all_follows (f, maria_id, TRUE);
  g_assert_true (follows_contain (followers, tomasz_id, FALSE));

  tn_client_follow_async (f->client, maria_id, NULL, store_result_cb, f);
  result = wait_result (f);
  self_follow = tn_client_follow_finish (f->client, result, &error);
  g_assert_error (error, TN_ERROR, TN_ERROR_VALIDATION_FAILED);
  g_assert_null (self_follow);
  g_clear_error (&error);
  g_clear_object (&result);

  tn_client_update_profile_async (f->client, TRUE, 51.34, 12.37, interests, NULL, store_result_cb, f);
  result = wait_result (f);
  me = tn_client_update_profile_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_true (tn_user_has_profile (me));
  g_assert_true (tn_user_get_home (me, &lat, &lon));
  g_assert_cmpfloat_with_epsilon (lat, 51.34, 1e-9);
  g_assert_cmpfloat_with_epsilon (lon, 12.37, 1e-9);
  g_assert_cmpstr (tn_user_get_interests (me)[0], ==, "Music");
  g_assert_cmpstr (tn_user_get_interests (me)[1], ==, "Arts");
  g_assert_null (tn_user_get_interests (me)[2]);
  g_clear_object (&result);
  g_clear_object (&me);

  /* forget the home, keep the interests */
  tn_client_update_profile_async (f->client, TRUE, NAN, NAN, NULL, NULL, store_result_cb, f);
  result = wait_result (f);
  me = tn_client_update_profile_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_false (tn_user_get_home (me, NULL, NULL));
  g_assert_cmpstr (tn_user_get_interests (me)[0], ==, "Music");
  g_clear_object (&result);

  tn_client_update_profile_async (f->client, TRUE, 91.0, 0.0, NULL, NULL, store_result_cb, f);
  result = wait_result (f);
  refused = tn_client_update_profile_finish (f->client, result, &error);
  g_assert_error (error, TN_ERROR, TN_ERROR_VALIDATION_FAILED);
  g_assert_null (refused);
}

int
main (int    argc,
      char **argv)
{
  tn_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/common/client/login-me-logout", test_login_me_logout);
  ADD ("/common/client/login-wrong-password", test_login_wrong_password);
  ADD ("/common/client/list-pages", test_list_pages);
  ADD ("/common/client/list-filters", test_list_filters);
  ADD ("/common/client/event-lifecycle", test_event_lifecycle);
  ADD ("/common/client/errors-mapped", test_errors_mapped);
  ADD ("/common/client/cancelled", test_cancelled);
  ADD ("/common/client/rsvp", test_rsvp);
  ADD ("/common/client/attendees", test_attendees);
  ADD ("/common/client/categories", test_categories);
  ADD ("/common/client/people", test_people);
  ADD ("/common/client/import-export", test_import_export);
  ADD ("/common/client/import-errors", test_import_errors);
  ADD ("/common/client/audit", test_audit);
  ADD ("/common/client/follows", test_follows);
  ADD ("/common/client/recommendations", test_recommendations);
#undef ADD
  g_test_add_func ("/common/client/network-error", test_network_error);

  return g_test_run ();
}
