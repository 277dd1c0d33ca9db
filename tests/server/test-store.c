/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The storage interface, on the SQLite backend, through TnStore only. */
#include "config.h"

#include <math.h>

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "tn-error.h"
#include "tn-store.h"
#include "tn-test-utils.h"
#include "tn-time.h"

typedef struct
{
  char    *dir;
  char    *uri;
  TnStore *store;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("turnout-store-XXXXXX", &error);
  g_assert_no_error (error);
  /* under tests/postgres/with-cluster, a new PostgreSQL database */
  f->uri = tn_test_pg_fresh_database ();
  if (f->uri == NULL)
    f->uri = g_strdup_printf ("sqlite:%s/db/turnout.db", f->dir);
  f->store = tn_test_store_open (f->uri, &error);
  g_assert_no_error (error);
  g_assert_true (tn_store_migrate (f->store, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->store);
  tn_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->uri);
}

static TnUser *
add_user (Fixture    *f,
          const char *email,
          TnRole      role)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_uuid_string_random ();
  TnUser *user = tn_store_create_user (f->store, id, email, "Some One", "$argon2id$placeholder-hash", role, &error);

  g_assert_no_error (error);
  return user;
}

static TnEvent *
add_event (Fixture    *f,
           TnUser     *organizer,
           const char *title,
           gint64      starts_at)
{
  g_autoptr(TnEvent) event = tn_event_new ();
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(GError) error = NULL;
  const char *tags[] = { "alpha", "beta", NULL };
  TnEvent *stored;

  tn_event_set_id (event, id);
  tn_event_set_title (event, title);
  tn_event_set_description (event, "A description with the word pumpernickel");
  tn_event_set_starts_at (event, starts_at);
  tn_event_set_ends_at (event, starts_at + 3600);
  tn_event_set_category (event, "Tech");
  tn_event_set_tags (event, tags);
  tn_event_set_organizer (event, tn_user_get_id (organizer));
  stored = tn_store_create_event (f->store, event, &error);
  g_assert_no_error (error);
  return stored;
}

static guint
count_events (Fixture            *f,
              const TnEventQuery *query)
{
  g_autoptr(GError) error = NULL;
  gboolean more;
  g_autoptr(GPtrArray) events = tn_store_list_events (f->store, query, &more, &error);

  g_assert_no_error (error);
  return events->len;
}

static void
test_migrate_idempotent (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnStore) again = NULL;
  g_autoptr(TnUser) user = add_user (f, "a@example.org", TN_ROLE_ADMIN);

  /* Reopening and migrating an up-to-date database changes nothing. */
  again = tn_test_store_open (f->uri, &error);
  g_assert_no_error (error);
  g_assert_true (tn_store_migrate (again, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tn_store_count_users (again, &error), ==, 1);
  g_assert_true (tn_store_ping (again, &error));
}

static void
test_users (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnUser) user = add_user (f, "Mixed.Case@example.org", TN_ROLE_ORGANIZER);
  g_autoptr(TnUser) found = NULL;
  g_autoptr(TnUser) duplicate = NULL;
  g_autoptr(TnUser) by_id = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *id = g_uuid_string_random ();

  /* E-mail addresses match without regard to case. */
  found = tn_store_find_user_by_email (f->store, "mixed.case@EXAMPLE.org", &hash, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tn_user_get_id (found), ==, tn_user_get_id (user));
  g_assert_cmpstr (hash, ==, "$argon2id$placeholder-hash");

  duplicate = tn_store_create_user (f->store, id, "MIXED.case@example.org", "Twin", "x", TN_ROLE_MEMBER, &error);
  g_assert_null (duplicate);
  g_assert_error (error, TN_ERROR, TN_ERROR_CONFLICT);
  g_clear_error (&error);

  by_id = tn_store_get_user (f->store, tn_user_get_id (user), &error);
  g_assert_no_error (error);
  g_assert_cmpint (tn_user_get_role (by_id), ==, TN_ROLE_ORGANIZER);

  g_assert_null (tn_store_find_user_by_email (f->store, "nobody@example.org", NULL, &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_NOT_FOUND);
}

static void
test_tokens (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnUser) user = add_user (f, "t@example.org", TN_ROLE_MEMBER);
  g_autoptr(TnUser) found = NULL;
  gint64 now = tn_time_now ();

  g_assert_true (tn_store_add_token (f->store, "hash-1", tn_user_get_id (user), now + 100, &error));
  g_assert_no_error (error);

  found = tn_store_lookup_token (f->store, "hash-1", now, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tn_user_get_id (found), ==, tn_user_get_id (user));

  /* Expired */
  g_assert_null (tn_store_lookup_token (f->store, "hash-1", now + 100, &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  /* Revoked */
  g_assert_true (tn_store_revoke_token (f->store, "hash-1", &error));
  g_assert_null (tn_store_lookup_token (f->store, "hash-1", now, &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  /* Unknown */
  g_assert_null (tn_store_lookup_token (f->store, "hash-2", now, &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_UNAUTHORIZED);
}

static void
test_event_versions (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnUser) user = add_user (f, "o@example.org", TN_ROLE_ORGANIZER);
  g_autoptr(TnEvent) event = add_event (f, user, "Original", 1800000000);
  g_autoptr(TnEvent) changed = tn_event_copy (event);
  g_autoptr(TnEvent) stored = NULL;
  g_autoptr(TnEvent) refused = NULL;
  g_autoptr(TnEvent) current = NULL;
  g_autoptr(TnEvent) twin = NULL;
  const char *tags[] = { "gamma", "quote \" and \\ back", "中文 é", NULL };

  g_assert_cmpint (tn_event_get_version (event), ==, 1);

  tn_event_set_title (changed, "Changed");
  tn_event_set_tags (changed, tags);
  stored = tn_store_update_event (f->store, changed, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tn_event_get_version (stored), ==, 2);

  /* The same change again, made to version 1, is a conflict. */
  tn_event_set_title (changed, "Lost update");
  refused = tn_store_update_event (f->store, changed, 1, &error);
  g_assert_null (refused);
  g_assert_error (error, TN_ERROR, TN_ERROR_CONFLICT);
  g_clear_error (&error);

  current = tn_store_get_event (f->store, tn_event_get_id (event), &error);
  g_assert_cmpstr (tn_event_get_title (current), ==, "Changed");
  g_assert_cmpstrv (tn_event_get_tags (current), tags);

  /* The tag index follows the update. */
  {
    TnEventQuery query = { .tag = "alpha" };
    TnEventQuery gamma = { .tag = "gamma" };

    g_assert_cmpuint (count_events (f, &query), ==, 0);
    g_assert_cmpuint (count_events (f, &gamma), ==, 1);
  }

  /* Same id twice */
  twin = tn_store_create_event (f->store, event, &error);
  g_assert_null (twin);
  g_assert_error (error, TN_ERROR, TN_ERROR_CONFLICT);
  g_clear_error (&error);

  /* Delete with a stale version, then with the right one */
  g_assert_false (tn_store_delete_event (f->store, tn_event_get_id (event), 1, &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_true (tn_store_delete_event (f->store, tn_event_get_id (event), 2, &error));
  g_assert_no_error (error);
  g_assert_false (tn_store_delete_event (f->store, tn_event_get_id (event), -1, &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_NOT_FOUND);
}

static void
test_list_and_search (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(TnUser) owner = add_user (f, "o@example.org", TN_ROLE_ORGANIZER);
  g_autoptr(TnUser) other = add_user (f, "p@example.org", TN_ROLE_ORGANIZER);
  g_autoptr(GError) error = NULL;
  TnEventQuery all = { .viewer_sees_all = TRUE };
  TnEventQuery page = { .viewer_sees_all = TRUE, .limit = 3 };
  TnEventQuery search = { .viewer_sees_all = TRUE, .search = "café \"pumper" };
  TnEventQuery nothing = { .viewer_sees_all = TRUE, .search = "zzzz" };
  TnEventQuery range = { .viewer_sees_all = TRUE, .from = 1800000000 + 5 * 86400, .to = 1800000000 + 8 * 86400 };
  TnEventQuery anonymous = { 0 };
  TnEventQuery as_owner = { .viewer_id = tn_user_get_id (owner) };
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(TnEvent) hidden = NULL;
  g_autoptr(TnEvent) hidden_changed = NULL;
  g_autoptr(TnEvent) stored = NULL;
  gboolean more = FALSE;

  for (int i = 9; i >= 0; i--)
    {
      g_autofree char *title = g_strdup_printf ("Event %d%s", i, i == 4 ? " at the Café" : "");
      g_autoptr(TnEvent) event = add_event (f, i % 2 ? owner : other, title, 1800000000 + i * 86400);
    }
  hidden = add_event (f, owner, "Private party", 1800000000);
  hidden_changed = tn_event_copy (hidden);
  tn_event_set_visibility (hidden_changed, TN_VISIBILITY_PRIVATE);
  stored = tn_store_update_event (f->store, hidden_changed, 1, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (count_events (f, &all), ==, 11);
  g_assert_cmpuint (count_events (f, &anonymous), ==, 10);
  g_assert_cmpuint (count_events (f, &as_owner), ==, 11);
  /* "café" matches "Café", "cafe" too; the quote in the query is only
   * data; no words is no filter */
  g_assert_cmpuint (count_events (f, &nothing), ==, 0);
  {
    TnEventQuery cafe_query = { .viewer_sees_all = TRUE, .search = "cafe" };
    TnEventQuery quotes = { .viewer_sees_all = TRUE, .search = "\"caf\" OR ' -- " };
    TnEventQuery blank = { .viewer_sees_all = TRUE, .search = "   " };

    g_assert_cmpuint (count_events (f, &cafe_query), ==, 1);
    g_assert_cmpuint (count_events (f, &quotes), ==, 0);
    g_assert_cmpuint (count_events (f, &blank), ==, 11);
  }
  /* Every word must match: only event 4 has both "Café" and "pumper…" */
  g_assert_cmpuint (count_events (f, &search), ==, 1);
  {
    TnEventQuery q = { .viewer_sees_all = TRUE, .search = "pumper" };

    g_assert_cmpuint (count_events (f, &q), ==, 11);
  }
  /* from compares with ends_at, to with starts_at: days 5, 6, 7 (and 4, which ends on day 4 + 1 h: no) */
  g_assert_cmpuint (count_events (f, &range), ==, 3);

  first = tn_store_list_events (f->store, &page, &more, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first->len, ==, 3);
  g_assert_true (more);
  g_assert_cmpint (tn_event_get_starts_at (first->pdata[0]), <=, tn_event_get_starts_at (first->pdata[1]));
  {
    TnEvent *last = first->pdata[2];
    TnEventQuery next = { .viewer_sees_all = TRUE, .limit = 100,
                          .after_starts_at = tn_event_get_starts_at (last),
                          .after_id = tn_event_get_id (last) };

    g_assert_cmpuint (count_events (f, &next), ==, 8);
  }
}

static void
test_backup (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnUser) user = add_user (f, "b@example.org", TN_ROLE_ADMIN);
  g_autoptr(TnEvent) event = add_event (f, user, "Backed up", 1800000000);
  g_autofree char *path = g_build_filename (f->dir, "backup.db", NULL);
  g_autofree char *uri = g_strconcat ("sqlite:", path, NULL);
  g_autoptr(TnStore) copy = NULL;
  g_autoptr(TnEvent) copied = NULL;

  g_assert_true (tn_store_backup (f->store, path, &error));
  g_assert_no_error (error);

  copy = tn_store_open (uri, &error);
  g_assert_no_error (error);
  g_assert_true (tn_store_migrate (copy, &error));
  g_assert_cmpint (tn_store_count_users (copy, &error), ==, 1);
  copied = tn_store_get_event (copy, tn_event_get_id (event), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tn_event_get_title (copied), ==, "Backed up");
}

static guint
count_matches (Fixture    *f,
               const char *word)
{
  TnEventQuery query = { .viewer_sees_all = TRUE, .search = word };

  return count_events (f, &query);
}

/* A batch is one transaction: changes in it are savepoints (a failing one
 * undoes only itself), and nothing is visible to another connection, nor
 * stored, before tn_store_commit_batch(). */
static void
test_batch (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(TnUser) owner = add_user (f, "owner@example.org", TN_ROLE_ORGANIZER);
  g_autoptr(TnUser) first = add_user (f, "first@example.org", TN_ROLE_MEMBER);
  g_autoptr(TnUser) second = add_user (f, "second@example.org", TN_ROLE_MEMBER);
  g_autoptr(TnStore) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) small = tn_event_new ();
  g_autoptr(TnEvent) stored = NULL;
  g_autoptr(TnEvent) seen = NULL;
  g_autoptr(TnEvent) in_batch = NULL;
  g_autoptr(TnUser) duplicate = NULL;
  g_autoptr(TnAttendee) seat = NULL;
  g_autoptr(TnAttendee) refused = NULL;
  g_autoptr(TnAttendee) again = NULL;
  gint64 now = tn_time_now ();

  tn_event_set_id (small, "6b0f3a52-0000-4000-8000-000000000001");
  tn_event_set_title (small, "One seat only");
  tn_event_set_starts_at (small, now + 86400);
  tn_event_set_ends_at (small, now + 90000);
  tn_event_set_capacity (small, 1);
  tn_event_set_organizer (small, tn_user_get_id (owner));

  other = tn_store_open (f->uri, &error);
  g_assert_no_error (error);

  g_assert_false (tn_store_in_batch (f->store));
  g_assert_true (tn_store_begin_batch (f->store, &error));
  g_assert_no_error (error);
  g_assert_true (tn_store_in_batch (f->store));

  stored = tn_store_create_event (f->store, small, &error);
  g_assert_no_error (error);
  /* A change that fails in the batch: only it is undone. */
  duplicate = tn_store_create_user (f->store, "5c4e1111-0000-4000-8000-000000000002", "owner@example.org",
                                    "Twin", "$argon2id$placeholder-hash", TN_ROLE_MEMBER, &error);
  g_assert_error (error, TN_ERROR, TN_ERROR_CONFLICT);
  g_assert_null (duplicate);
  g_clear_error (&error);
  seat = tn_store_set_rsvp (f->store, tn_event_get_id (small), first, TN_RSVP_GOING, now, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tn_attendee_get_status (seat), ==, TN_RSVP_GOING);
  refused = tn_store_set_rsvp (f->store, tn_event_get_id (small), second, TN_RSVP_GOING, now, &error);
  g_assert_error (error, TN_ERROR, TN_ERROR_CAPACITY_FULL);
  g_assert_null (refused);
  g_clear_error (&error);

  /* A change that fails after writing: the import of two guests into
   * the one seat seats the first, then finds no seat for the second, and
   * must undo the first too. */
  {
    g_autoptr(GPtrArray) guests = g_ptr_array_new_with_free_func (g_object_unref);
    g_autoptr(TnEvent) other_event = tn_event_copy (small);
    g_autoptr(TnEvent) other_stored = NULL;
    TnImportResult results[2];
    guint failed = 0;

    tn_event_set_id (other_event, "6b0f3a52-0000-4000-8000-000000000003");
    other_stored = tn_store_create_event (f->store, other_event, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < 2; i++)
      {
        TnAttendee *guest = tn_attendee_new ();
        g_autofree char *email = g_strdup_printf ("guest%u@example.org", i);

        tn_attendee_set_name (guest, "Guest");
        tn_attendee_set_email (guest, email);
        tn_attendee_set_status (guest, TN_RSVP_GOING);
        g_ptr_array_add (guests, guest);
      }
    g_assert_false (tn_store_import_guests (f->store, tn_event_get_id (other_event), guests, now, results,
                                            &failed, &error));
    g_assert_error (error, TN_ERROR, TN_ERROR_CAPACITY_FULL);
    g_assert_cmpuint (failed, ==, 1);
    g_clear_error (&error);
    {
      TnAttendeeQuery query = { .event_id = tn_event_get_id (other_event) };
      gboolean more = FALSE;
      g_autoptr(GPtrArray) left = tn_store_list_attendees (f->store, &query, &more, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (left->len, ==, 0);
    }
  }

  /* The batch's own connection sees its changes, another one does not. */
  in_batch = tn_store_get_event (f->store, tn_event_get_id (small), &error);
  g_assert_no_error (error);
  seen = tn_store_get_event (other, tn_event_get_id (small), &error);
  g_assert_error (error, TN_ERROR, TN_ERROR_NOT_FOUND);
  g_assert_null (seen);
  g_clear_error (&error);

  g_assert_true (tn_store_commit_batch (f->store, &error));
  g_assert_no_error (error);
  g_assert_false (tn_store_in_batch (f->store));

  seen = tn_store_get_event (other, tn_event_get_id (small), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tn_event_get_title (seen), ==, "One seat only");
  again = tn_store_get_rsvp (other, tn_event_get_id (small), tn_user_get_id (first), &error);
  g_assert_no_error (error);
  g_assert_cmpint (tn_attendee_get_status (again), ==, TN_RSVP_GOING);
  g_clear_pointer (&again, g_object_unref);
  again = tn_store_get_rsvp (other, tn_event_get_id (small), tn_user_get_id (second), &error);
  g_assert_error (error, TN_ERROR, TN_ERROR_NOT_FOUND);
  g_clear_error (&error);
  {
    g_autoptr(TnUser) nobody = tn_store_find_user_by_email (other, "owner@example.org", NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (tn_user_get_name (nobody), ==, "Some One");
  }

  /* After the batch, changes commit on their own again. */
  g_clear_pointer (&refused, g_object_unref);
  refused = tn_store_set_rsvp (f->store, tn_event_get_id (small), second, TN_RSVP_GOING, now, &error);
  g_assert_error (error, TN_ERROR, TN_ERROR_CAPACITY_FULL);
  g_clear_error (&error);
}

/* The full-text index follows events created, changed and deleted, in a
 * batch and alone: it is brought up to date once per transaction. */
static void
test_search_index (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(TnUser) owner = add_user (f, "o@example.org", TN_ROLE_ORGANIZER);
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) walrus = add_event (f, owner, "Walrus walk", 1800000000);
  g_autoptr(TnEvent) okapi = NULL;
  g_autoptr(TnEvent) lemur = NULL;
  g_autoptr(TnEvent) renamed = NULL;
  g_autoptr(TnEvent) changed = NULL;
  g_autoptr(TnEvent) moved = NULL;

  g_assert_cmpuint (count_matches (f, "walrus"), ==, 1);

  /* Alone: a new title replaces the old one in the index; a change of
   * an unindexed column leaves it as it is. */
  renamed = tn_event_copy (walrus);
  tn_event_set_title (renamed, "Narwhal night");
  changed = tn_store_update_event (f->store, renamed, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_matches (f, "walrus"), ==, 0);
  g_assert_cmpuint (count_matches (f, "narwhal"), ==, 1);
  moved = tn_event_copy (changed);
  tn_event_set_capacity (moved, 30);
  g_clear_object (&changed);
  changed = tn_store_update_event (f->store, moved, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_matches (f, "narwhal"), ==, 1);

  /* In a batch: rename twice, create and delete, delete and create. */
  g_assert_true (tn_store_begin_batch (f->store, &error));
  g_clear_object (&renamed);
  renamed = tn_event_copy (changed);
  tn_event_set_title (renamed, "Pangolin picnic");
  g_clear_object (&changed);
  changed = tn_store_update_event (f->store, renamed, 3, &error);
  g_assert_no_error (error);
  g_clear_object (&renamed);
  renamed = tn_event_copy (changed);
  tn_event_set_title (renamed, "Quokka quiz");
  g_clear_object (&changed);
  changed = tn_store_update_event (f->store, renamed, 4, &error);
  g_assert_no_error (error);
  okapi = add_event (f, owner, "Okapi outing", 1800003600);
  g_assert_true (tn_store_delete_event (f->store, tn_event_get_id (okapi), 1, &error));
  g_assert_no_error (error);
  lemur = add_event (f, owner, "Lemur lecture", 1800007200);
  g_assert_true (tn_store_commit_batch (f->store, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (count_matches (f, "narwhal"), ==, 0);
  g_assert_cmpuint (count_matches (f, "pangolin"), ==, 0);
  g_assert_cmpuint (count_matches (f, "quokka"), ==, 1);
  g_assert_cmpuint (count_matches (f, "okapi"), ==, 0);
  g_assert_cmpuint (count_matches (f, "lemur"), ==, 1);
  /* every event's description */
  g_assert_cmpuint (count_matches (f, "pumpernickel"), ==, 2);

  g_assert_true (tn_store_delete_event (f->store, tn_event_get_id (lemur), 1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_matches (f, "lemur"), ==, 0);
  g_assert_cmpuint (count_matches (f, "pumpernickel"), ==, 1);
}

static TnCheckin *
new_scan (const char *id,
          const char *event_id,
          const char *code,
          gint64      scanned_at)
{
  TnCheckin *scan = g_new0 (TnCheckin, 1);

  scan->id = g_strdup (id);
  scan->event_id = g_strdup (event_id);
  scan->code = g_strdup (code);
  scan->scanned_at = scanned_at;
  scan->device = g_strdup ("Door");
  return scan;
}

/* Check-in in a group-commit batch: a batch of scans that fails (a scan
 * id of another event) undoes all of itself and nothing else; every
 * change gets a sequence number above the ones before, and the sync
 * data lists them in order. */
static void
test_checkins_in_batch (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(TnUser) owner = add_user (f, "owner@example.org", TN_ROLE_ORGANIZER);
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) event = tn_event_new ();
  g_autoptr(TnEvent) other = tn_event_new ();
  g_autoptr(TnEvent) stored = NULL;
  g_autoptr(TnEvent) other_stored = NULL;
  g_autoptr(TnAttendee) guest = tn_attendee_new ();
  g_autoptr(TnAttendee) added = NULL;
  g_autoptr(GPtrArray) first = g_ptr_array_new_with_free_func ((GDestroyNotify) tn_checkin_free);
  g_autoptr(GPtrArray) failing = g_ptr_array_new_with_free_func ((GDestroyNotify) tn_checkin_free);
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(TnCheckin) missing = NULL;
  guint8 public_key[32], secret_key[64], again_public[32], again_secret[64];
  gint64 now = tn_time_now ();
  gboolean more = TRUE;
  const char *code;

  tn_event_set_id (event, "6b0f3a52-0000-4000-8000-0000000000c1");
  tn_event_set_title (event, "Doors");
  tn_event_set_starts_at (event, now + 600);
  tn_event_set_ends_at (event, now + 3600);
  tn_event_set_organizer (event, tn_user_get_id (owner));
  stored = tn_store_create_event (f->store, event, &error);
  g_assert_no_error (error);
  other = tn_event_copy (event);
  tn_event_set_id (other, "6b0f3a52-0000-4000-8000-0000000000c2");
  other_stored = tn_store_create_event (f->store, other, &error);
  g_assert_no_error (error);
  tn_attendee_set_event_id (guest, tn_event_get_id (event));
  tn_attendee_set_name (guest, "Gina Guest");
  tn_attendee_set_email (guest, "gina@example.org");
  tn_attendee_set_status (guest, TN_RSVP_GOING);
  added = tn_store_add_guest (f->store, guest, now, &error);
  g_assert_no_error (error);
  code = tn_attendee_get_ticket_code (added);
  g_assert_nonnull (code);

  /* The first ticket made the event's key; it stays the same */
  g_assert_true (tn_store_get_event_key (f->store, tn_event_get_id (event), public_key, secret_key, &error));
  g_assert_true (tn_store_get_event_key (f->store, tn_event_get_id (event), again_public, again_secret, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (public_key, 32, again_public, 32);
  g_assert_cmpmem (secret_key, 64, again_secret, 64);

  g_ptr_array_add (first, new_scan ("0190c000-0000-7000-8000-000000000001", tn_event_get_id (event), code, now - 60));
  g_ptr_array_add (failing, new_scan ("0190c000-0000-7000-8000-000000000002", tn_event_get_id (event), code, now - 90));
  g_ptr_array_add (failing, new_scan ("0190c000-0000-7000-8000-000000000001", tn_event_get_id (other), code, now));

  g_assert_true (tn_store_begin_batch (f->store, &error));
  g_assert_true (tn_store_record_checkins (f->store, first, now, &error));
  g_assert_no_error (error);
  g_assert_cmpint (((TnCheckin *) first->pdata[0])->verdict, ==, TN_VERDICT_ACCEPTED);
  g_assert_false (tn_store_record_checkins (f->store, failing, now, &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_true (tn_store_commit_batch (f->store, &error));
  g_assert_no_error (error);

  /* The earlier scan of the failed batch is not there, so the first
   * scan's verdict stands */
  missing = tn_store_get_checkin (f->store, "0190c000-0000-7000-8000-000000000002", &error);
  g_assert_error (error, TN_ERROR, TN_ERROR_NOT_FOUND);
  g_assert_null (missing);
  g_clear_error (&error);

  changes = tn_store_list_changes (f->store, tn_event_get_id (event), 0, 10, &more, &error);
  g_assert_no_error (error);
  g_assert_false (more);
  g_assert_cmpuint (changes->len, ==, 2);
  g_assert_cmpint (((TnSyncChange *) changes->pdata[0])->type, ==, TN_SYNC_ATTENDEE);
  g_assert_cmpint (((TnSyncChange *) changes->pdata[1])->type, ==, TN_SYNC_CHECKIN);
  g_assert_cmpint (((TnSyncChange *) changes->pdata[0])->seq, <, ((TnSyncChange *) changes->pdata[1])->seq);
  g_assert_cmpint (((TnSyncChange *) changes->pdata[1])->checkin->verdict, ==, TN_VERDICT_ACCEPTED);

  /* The other event has no changes at all */
  g_clear_pointer (&changes, g_ptr_array_unref);
  changes = tn_store_list_changes (f->store, tn_event_get_id (other), 0, 10, &more, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 0);
}

/* The recommender's data: a small community read back whole, on the
 * store's second connection. */
static TnEvent *
add_rec_event (Fixture      *f,
               TnUser       *organizer,
               const char   *title,
               TnVisibility  visibility,
               TnEventStatus status,
               gboolean      placed)
{
  g_autoptr(TnEvent) event = tn_event_new ();
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(GError) error = NULL;
  const char *tags[] = { "rust", "meetup", NULL };
  gint64 now = tn_time_now ();
  TnEvent *stored;

  tn_event_set_id (event, id);
  tn_event_set_title (event, title);
  tn_event_set_starts_at (event, now + 600);
  tn_event_set_ends_at (event, now + 7200);
  tn_event_set_category (event, "Tech");
  tn_event_set_tags (event, tags);
  tn_event_set_visibility (event, visibility);
  if (placed)
    tn_event_set_coordinates (event, 52.52, 13.405);
  tn_event_set_organizer (event, tn_user_get_id (organizer));
  stored = tn_store_create_event (f->store, event, &error);
  g_assert_no_error (error);
  if (status != TN_EVENT_STATUS_SCHEDULED)
    {
      /* events are made scheduled: cancelling is a change */
      g_autoptr(TnEvent) change = tn_event_copy (stored);
      TnEvent *changed;

      tn_event_set_status (change, status);
      changed = tn_store_update_event (f->store, change, tn_event_get_version (stored), &error);
      g_assert_no_error (error);
      g_object_unref (stored);
      stored = changed;
    }
  return stored;
}

static TnAttendee *
answer (Fixture      *f,
        TnEvent      *event,
        TnUser       *user,
        TnRsvpStatus  status)
{
  g_autoptr(GError) error = NULL;
  TnAttendee *attendee = tn_store_set_rsvp (f->store, tn_event_get_id (event), user, status, tn_time_now (),
                                            &error);

  g_assert_no_error (error);
  return attendee;
}

static void
test_rec_data (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(TnUser) owner = add_user (f, "owner@example.org", TN_ROLE_ORGANIZER);
  g_autoptr(TnUser) ada = add_user (f, "ada@example.org", TN_ROLE_MEMBER);
  g_autoptr(TnUser) bob = add_user (f, "bob@example.org", TN_ROLE_MEMBER);
  g_autoptr(TnUser) cy = add_user (f, "cy@example.org", TN_ROLE_MEMBER);
  g_autoptr(TnUser) profiled = NULL;
  g_autoptr(TnEvent) open = add_rec_event (f, owner, "Rust Night", TN_VISIBILITY_PUBLIC, TN_EVENT_STATUS_SCHEDULED,
                                           TRUE);
  g_autoptr(TnEvent) hidden = add_rec_event (f, owner, "Board meeting", TN_VISIBILITY_PRIVATE,
                                             TN_EVENT_STATUS_SCHEDULED, FALSE);
  g_autoptr(TnEvent) unlisted = add_rec_event (f, owner, "Secret gig", TN_VISIBILITY_UNLISTED,
                                               TN_EVENT_STATUS_SCHEDULED, TRUE);
  g_autoptr(TnEvent) cancelled = add_rec_event (f, owner, "Rained out", TN_VISIBILITY_PUBLIC,
                                                TN_EVENT_STATUS_CANCELLED, FALSE);
  g_autoptr(TnAttendee) ada_open = NULL, bob_open = NULL, cy_open = NULL, ada_hidden = NULL, added = NULL;
  g_autoptr(TnAttendee) guest = tn_attendee_new ();
  g_autoptr(TnFollow) follow = NULL;
  g_autoptr(GPtrArray) scans = g_ptr_array_new_with_free_func ((GDestroyNotify) tn_checkin_free);
  g_autoptr(GPtrArray) answered = NULL;
  g_autoptr(TnRecData) rec = tn_rec_data_new ();
  g_autoptr(GError) error = NULL;
  const char *interests[] = { "Tech", "Music", NULL };
  gint64 now = tn_time_now ();
  TnRecUser *user;
  TnRecEvent *event;
  guint checked_in = 0;
  gint i_ada, i_bob, i_cy, i_owner, i_open;

  profiled = tn_store_update_profile (f->store, tn_user_get_id (ada), TRUE, 48.85, 2.35, interests, &error);
  g_assert_no_error (error);
  g_assert_true (tn_user_get_home (profiled, NULL, NULL));

  ada_open = answer (f, open, ada, TN_RSVP_GOING);
  bob_open = answer (f, open, bob, TN_RSVP_GOING);
  cy_open = answer (f, open, cy, TN_RSVP_MAYBE);
  ada_hidden = answer (f, hidden, ada, TN_RSVP_INTERESTED);
  /* a guest without an account is no member's RSVP */
  tn_attendee_set_event_id (guest, tn_event_get_id (open));
  tn_attendee_set_name (guest, "Gina Guest");
  tn_attendee_set_email (guest, "gina@example.org");
  tn_attendee_set_status (guest, TN_RSVP_GOING);
  added = tn_store_add_guest (f->store, guest, now, &error);
  g_assert_no_error (error);

  /* Ada is let in; Bob's scan is undone; the guest is let in */
  g_ptr_array_add (scans, new_scan ("0190c000-0000-7000-8000-0000000000a1", tn_event_get_id (open),
                                    tn_attendee_get_ticket_code (ada_open), now - 60));
  g_ptr_array_add (scans, new_scan ("0190c000-0000-7000-8000-0000000000a2", tn_event_get_id (open),
                                    tn_attendee_get_ticket_code (bob_open), now - 50));
  g_ptr_array_add (scans, new_scan ("0190c000-0000-7000-8000-0000000000a3", tn_event_get_id (open),
                                    tn_attendee_get_ticket_code (added), now - 40));
  g_assert_true (tn_store_record_checkins (f->store, scans, now, &error));
  g_assert_no_error (error);
  g_assert_true (tn_store_undo_checkin (f->store, "0190c000-0000-7000-8000-0000000000a2", now, &error));
  g_assert_no_error (error);

  /* Ada and Bob are friends; Cy follows Ada */
  follow = tn_store_follow (f->store, tn_user_get_id (ada), tn_user_get_id (bob), now, &error);
  g_assert_no_error (error);
  g_clear_pointer (&follow, tn_follow_free);
  follow = tn_store_follow (f->store, tn_user_get_id (bob), tn_user_get_id (ada), now, &error);
  g_assert_no_error (error);
  g_assert_true (follow->friend);
  g_clear_pointer (&follow, tn_follow_free);
  follow = tn_store_follow (f->store, tn_user_get_id (cy), tn_user_get_id (ada), now, &error);
  g_assert_no_error (error);
  g_assert_false (follow->friend);

  g_assert_true (tn_store_load_rec_data (f->store, rec, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (rec->users->len, ==, 4);
  g_assert_cmpuint (rec->events->len, ==, 4);
  g_assert_cmpuint (rec->rsvps->len, ==, 4);
  g_assert_cmpuint (rec->follows->len, ==, 3);

  i_ada = tn_rec_data_find_user (rec, tn_user_get_id (ada));
  i_bob = tn_rec_data_find_user (rec, tn_user_get_id (bob));
  i_cy = tn_rec_data_find_user (rec, tn_user_get_id (cy));
  i_owner = tn_rec_data_find_user (rec, tn_user_get_id (owner));
  g_assert_cmpint (i_ada, >=, 0);
  g_assert_cmpint (i_bob, >=, 0);
  g_assert_cmpint (i_cy, >=, 0);
  g_assert_cmpint (i_owner, >=, 0);

  user = rec->users->pdata[i_ada];
  g_assert_cmpfloat_with_epsilon (user->home_lat, 48.85, 1e-9);
  g_assert_cmpfloat_with_epsilon (user->home_lon, 2.35, 1e-9);
  g_assert_cmpstrv (user->interests, interests);
  user = rec->users->pdata[i_bob];
  g_assert_true (isnan (user->home_lat) && isnan (user->home_lon));
  g_assert_cmpuint (g_strv_length (user->interests), ==, 0);

  i_open = tn_rec_data_find_event (rec, tn_event_get_id (open));
  event = rec->events->pdata[i_open];
  g_assert_true (event->listed);
  g_assert_cmpint (event->organizer, ==, i_owner);
  g_assert_cmpstr (event->title, ==, "Rust Night");
  g_assert_cmpstr (event->category, ==, "Tech");
  g_assert_cmpuint (g_strv_length (event->tags), ==, 2);
  g_assert_cmpfloat_with_epsilon (event->lat, 52.52, 1e-9);
  g_assert_cmpint (event->starts_at, ==, tn_event_get_starts_at (open));
  event = rec->events->pdata[tn_rec_data_find_event (rec, tn_event_get_id (hidden))];
  g_assert_false (event->listed);
  g_assert_true (isnan (event->lat) && isnan (event->lon));
  event = rec->events->pdata[tn_rec_data_find_event (rec, tn_event_get_id (unlisted))];
  g_assert_false (event->listed);
  event = rec->events->pdata[tn_rec_data_find_event (rec, tn_event_get_id (cancelled))];
  g_assert_false (event->listed);

  for (guint i = 0; i < rec->rsvps->len; i++)
    {
      TnRecRsvp *rsvp = &g_array_index (rec->rsvps, TnRecRsvp, i);

      checked_in += rsvp->checked_in;
      g_assert_cmpint (rsvp->at, >=, now - 5);
      if (rsvp->user == (guint32) i_ada && rsvp->event == (guint32) i_open)
        {
          g_assert_cmpint (rsvp->answer, ==, TN_REC_GOING);
          g_assert_true (rsvp->checked_in);
        }
      else if (rsvp->user == (guint32) i_cy)
        g_assert_cmpint (rsvp->answer, ==, TN_REC_MAYBE);
      else if (rsvp->user == (guint32) i_ada)
        g_assert_cmpint (rsvp->answer, ==, TN_REC_INTERESTED);
      else
        {
          g_assert_cmpint (rsvp->user, ==, i_bob);
          g_assert_false (rsvp->checked_in);   /* the scan was undone */
        }
    }
  g_assert_cmpuint (checked_in, ==, 1);

  for (guint i = 0; i < rec->follows->len; i++)
    {
      TnRecFollow *edge = &g_array_index (rec->follows, TnRecFollow, i);

      g_assert_true ((edge->follower == (guint32) i_ada && edge->followee == (guint32) i_bob) ||
                     (edge->follower == (guint32) i_bob && edge->followee == (guint32) i_ada) ||
                     (edge->follower == (guint32) i_cy && edge->followee == (guint32) i_ada));
    }

  /* Ada's answers: the open and the private event */
  answered = tn_store_list_user_answers (f->store, tn_user_get_id (ada), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (answered->len, ==, 2);
  g_assert_true (g_ptr_array_find_with_equal_func (answered, tn_event_get_id (open), g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (answered, tn_event_get_id (hidden), g_str_equal, NULL));
}

static int
collect_plan (void  *data,
              int    n,
              char **values,
              char **names)
{
  g_string_append_printf (data, "%s\n", values[n - 1]);
  return 0;
}

/* Every recommendation request reads the caller's answered events: from
 * the index alone (migration 10), not a row read per answer. */
static void
test_answers_index (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "db", "turnout.db", NULL);
  g_autoptr(GString) plan = g_string_new (NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "EXPLAIN QUERY PLAN SELECT event_id FROM attendees WHERE user_id = 'someone'",
                                 collect_plan, plan, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_test_message ("plan: %s", plan->str);
  g_assert_nonnull (strstr (plan->str, "USING COVERING INDEX attendees_user_event"));
}

/* The snapshot is read on a connection of its own, so a batch the main
 * connection has not committed is not in it; a thread can load it. */
static gpointer
load_in_thread (gpointer data)
{
  Fixture *f = data;
  TnRecData *rec = tn_rec_data_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (tn_store_load_rec_data (f->store, rec, &error));
  g_assert_no_error (error);
  return rec;
}

static void
test_rec_data_snapshot (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(TnUser) first = add_user (f, "first@example.org", TN_ROLE_MEMBER);
  g_autoptr(TnUser) second = NULL;
  g_autoptr(TnRecData) rec = NULL;
  g_autoptr(GError) error = NULL;
  GThread *thread;

  g_assert_true (tn_store_begin_batch (f->store, &error));
  second = add_user (f, "second@example.org", TN_ROLE_MEMBER);
  thread = g_thread_new ("rec-data", load_in_thread, f);
  rec = g_thread_join (thread);
  g_assert_cmpuint (rec->users->len, ==, 1);
  g_assert_true (tn_store_commit_batch (f->store, &error));
  g_assert_no_error (error);
  g_clear_pointer (&rec, tn_rec_data_free);
  rec = load_in_thread (f);
  g_assert_cmpuint (rec->users->len, ==, 2);
}

/* Follows: idempotent, not of oneself nor of nobody, gone with a user's
 * account; lists page by (since, id). */
static void
test_follows (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(TnUser) ada = add_user (f, "ada@example.org", TN_ROLE_MEMBER);
  g_autoptr(TnUser) bob = add_user (f, "bob@example.org", TN_ROLE_MEMBER);
  g_autoptr(TnFollow) follow = NULL;
  g_autoptr(TnFollow) again = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;
  TnFollowQuery query = { .user_id = tn_user_get_id (bob), .followers = TRUE, .limit = 10 };
  gboolean more = TRUE;

  follow = tn_store_follow (f->store, tn_user_get_id (ada), tn_user_get_id (bob), 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (follow->user_id, ==, tn_user_get_id (bob));
  g_assert_cmpint (follow->since, ==, 1000);
  again = tn_store_follow (f->store, tn_user_get_id (ada), tn_user_get_id (bob), 2000, &error);
  g_assert_no_error (error);
  g_assert_cmpint (again->since, ==, 1000);

  g_assert_null (tn_store_follow (f->store, tn_user_get_id (ada), tn_user_get_id (ada), 1000, &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_VALIDATION_FAILED);
  g_clear_error (&error);
  g_assert_null (tn_store_follow (f->store, tn_user_get_id (ada), "00000000-0000-4000-8000-000000000000", 1000,
                                  &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_NOT_FOUND);
  g_clear_error (&error);

  page = tn_store_list_follows (f->store, &query, &more, &error);
  g_assert_no_error (error);
  g_assert_false (more);
  g_assert_cmpuint (page->len, ==, 1);
  g_assert_cmpstr (((TnFollow *) page->pdata[0])->user_id, ==, tn_user_get_id (ada));

  g_assert_true (tn_store_unfollow (f->store, tn_user_get_id (ada), tn_user_get_id (bob), &error));
  g_assert_true (tn_store_unfollow (f->store, tn_user_get_id (ada), tn_user_get_id (bob), &error));
  g_assert_no_error (error);
  g_clear_pointer (&page, g_ptr_array_unref);
  page = tn_store_list_follows (f->store, &query, &more, &error);
  g_assert_cmpuint (page->len, ==, 0);
}

static void
test_open_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnStore) store = NULL;

  store = tn_store_open ("sqlite:", &error);
  g_assert_null (store);
  g_assert_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST);
  g_clear_error (&error);

  /* a socket directory that does not exist: nobody answers */
  store = tn_store_open ("postgresql:///turnout?host=/proc/no-such-dir&user=turnout", &error);
  g_assert_null (store);
#ifdef TN_HAVE_POSTGRES
  g_assert_error (error, TN_ERROR, TN_ERROR_UNAVAILABLE);
#else
  g_assert_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST);
#endif
  g_clear_error (&error);

  store = tn_store_open ("sqlite:/proc/no-such-dir/turnout.db", &error);
  g_assert_null (store);
  g_assert_error (error, TN_ERROR, TN_ERROR_INTERNAL);
}

/* What the server prints of its database: never a password. */
static void
test_uri_for_messages (void)
{
  static const struct { const char *uri; const char *shown; } cases[] = {
    { "sqlite:/var/lib/turnout/turnout.db", "sqlite:/var/lib/turnout/turnout.db" },
    { "postgresql://turnout:s3cret@db.example.org:5433/turnout",
      "postgresql://turnout@db.example.org:5433/turnout" },
    { "postgresql://db.example.org/turnout?user=turnout&password=s3cret&sslmode=require",
      "postgresql://db.example.org/turnout?user=turnout&sslmode=require" },
    { "postgres:///turnout?host=/run/postgresql&PASSWORD=s3cret",
      "postgres:///turnout?host=/run/postgresql" },
    { "postgresql://[::1]/turnout", "postgresql://[::1]/turnout" },
    { "postgresql://turnout:s3cret@[::1/turnout", "the PostgreSQL database" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shown = tn_store_uri_for_messages (cases[i].uri);

      g_assert_cmpstr (shown, ==, cases[i].shown);
    }
}

/* The tests that run on the PostgreSQL backend too (issue 8,
 * docs/POSTGRES.md): under tests/postgres/with-cluster the others, which
 * test what only SQLite has (group commit, its search index, backups,
 * query plans), are reported skipped. */
static const char * const postgres_ready[] = {
  "/server/store/migrate-idempotent", "/server/store/users", "/server/store/tokens",
  "/server/store/event-versions", "/server/store/list-and-search", "/server/store/follows",
  "/server/store/rec-data",
  NULL
};

static void
sqlite_only (void)
{
  g_test_skip ("SQLite only: its group commit, search index, backup or query plans");
}

static void
add_test (const char *path,
          void      (*func) (Fixture *, gconstpointer))
{
  if (g_getenv ("TURNOUT_TEST_PG") != NULL && !g_strv_contains (postgres_ready, path))
    g_test_add_func (path, sqlite_only);
  else
    g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown);
}

int
main (int    argc,
      char **argv)
{
  tn_test_init (&argc, &argv);

#define ADD(path, func) add_test (path, func)
  ADD ("/server/store/migrate-idempotent", test_migrate_idempotent);
  ADD ("/server/store/answers-index", test_answers_index);
  ADD ("/server/store/checkins-in-batch", test_checkins_in_batch);
  ADD ("/server/store/users", test_users);
  ADD ("/server/store/tokens", test_tokens);
  ADD ("/server/store/event-versions", test_event_versions);
  ADD ("/server/store/list-and-search", test_list_and_search);
  ADD ("/server/store/backup", test_backup);
  ADD ("/server/store/batch", test_batch);
  ADD ("/server/store/search-index", test_search_index);
  ADD ("/server/store/rec-data", test_rec_data);
  ADD ("/server/store/rec-data/snapshot", test_rec_data_snapshot);
  ADD ("/server/store/follows", test_follows);
#undef ADD
  g_test_add_func ("/server/store/open-errors", test_open_errors);
  g_test_add_func ("/server/store/uri-for-messages", test_uri_for_messages);

  return g_test_run ();
}
