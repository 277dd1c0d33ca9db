/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

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

  g_assert_cmpuint (g_hash_table_size (seen), ==, 30);
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

  tn_client_cancel_event_async (f->client, id, NULL, store_result_cb, f);
  cancelled = finish_event (f, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tn_event_get_status (cancelled), ==, TN_EVENT_STATUS_CANCELLED);
  g_assert_cmpstr (tn_event_get_title (cancelled), ==, "Client test, renamed");

  tn_client_delete_event_async (f->client, id, NULL, store_result_cb, f);
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
#undef ADD
  g_test_add_func ("/common/client/network-error", test_network_error);

  return g_test_run ();
}
