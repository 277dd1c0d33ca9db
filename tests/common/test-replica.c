/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The door's replica: local verdicts, the outbox, sync pages, files. */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "tn-error.h"
#include "tn-event-replica.h"
#include "tn-replica.h"
#include "tn-signed-ticket.h"
#include "tn-ticket-code.h"
#include "tn-test-utils.h"

#define EVENT_ID       "01932c7e-5a10-7c3d-9f00-0123456789ab"
#define OTHER_EVENT_ID "01932c7e-5a10-7c3d-9f00-ba9876543210"
#define SERVER_URL     "https://turnout.example.org"
#define DEVICE_ID      "01932c7e-0000-7000-8000-00000000d001"
#define VALID_UNTIL    G_GINT64_CONSTANT (4102444800)   /* 2100-01-01 */
#define NOW            G_GINT64_CONSTANT (1900000000)

typedef struct
{
  guint8     public_key[TN_SIGNED_TICKET_PUBLIC_KEY];
  guint8     secret_key[TN_SIGNED_TICKET_SECRET_KEY];
  TnReplica *replica;
  char      *going;        /* Zoë Ångström, going */
  char      *not_going;    /* going once, no longer */
  char      *revoked;      /* going, then revoked */
  char      *newcomer;     /* issued after the last sync: not in the replica */
  char      *stranger;     /* never issued */
} Fixture;

static char *
sign (const char   *event_id,
      const char   *code,
      gint64        valid_until,
      const guint8 *secret_key)
{
  TnTicketClaim claim = { .valid_until = valid_until };

  g_strlcpy (claim.event_id, event_id, sizeof claim.event_id);
  g_strlcpy (claim.code, code, sizeof claim.code);
  return tn_signed_ticket_new (&claim, secret_key);
}

static JsonObject *
attendee_json (const char *id,
               const char *name,
               const char *status,
               const char *code)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (object, "event_id", EVENT_ID);
  json_object_set_null_member (object, "user_id");
  json_object_set_string_member (object, "name", name);
  json_object_set_string_member (object, "email", "someone@example.org");
  json_object_set_string_member (object, "status", status);
  json_object_set_null_member (object, "waitlist_position");
  if (code != NULL)
    json_object_set_string_member (object, "ticket_code", code);
  else
    json_object_set_null_member (object, "ticket_code");
  json_object_set_null_member (object, "signed_ticket");
  json_object_set_string_member (object, "ticket_type", "Speaker");
  json_object_set_string_member (object, "note", "");
  json_object_set_string_member (object, "created_at", "2030-01-01T10:00:00Z");
  json_object_set_string_member (object, "updated_at", "2030-01-01T10:00:00Z");
  return object;
}

/* A sync page: {"event", "changes", "cursor", "more"} */
static JsonObject *
page_new (Fixture *f,
          gint64   cursor)
{
  JsonObject *page = json_object_new ();
  JsonObject *event = json_object_new ();
  g_autofree char *key = g_base64_encode (f->public_key, sizeof f->public_key);

  json_object_set_string_member (event, "id", EVENT_ID);
  json_object_set_string_member (event, "title", "Door test");
  json_object_set_string_member (event, "public_key", key);
  json_object_set_object_member (page, "event", event);
  json_object_set_array_member (page, "changes", json_array_new ());
  json_object_set_int_member (page, "cursor", cursor);
  json_object_set_boolean_member (page, "more", FALSE);
  return page;
}

static void
page_add_attendee (JsonObject *page,
                   gint64      seq,
                   JsonObject *attendee)
{
  JsonObject *change = json_object_new ();

  json_object_set_int_member (change, "seq", seq);
  json_object_set_string_member (change, "type", "attendee");
  json_object_set_object_member (change, "attendee", attendee);
  json_array_add_object_element (json_object_get_array_member (page, "changes"), change);
}

static void
page_add_revoked (JsonObject *page,
                  gint64      seq,
                  const char *code)
{
  JsonObject *change = json_object_new ();

  json_object_set_int_member (change, "seq", seq);
  json_object_set_string_member (change, "type", "revoked");
  json_object_set_string_member (change, "code", code);
  json_array_add_object_element (json_object_get_array_member (page, "changes"), change);
}

static void
page_add_checkin (JsonObject *page,
                  gint64      seq,
                  const char *id,
                  const char *code,
                  const char *direction,
                  gint64      scanned_at,
                  const char *device,
                  const char *verdict)
{
  JsonObject *change = json_object_new ();
  JsonObject *checkin = json_object_new ();
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (scanned_at);
  g_autofree char *text = g_date_time_format_iso8601 (when);

  json_object_set_string_member (checkin, "id", id);
  json_object_set_string_member (checkin, "code", code);
  json_object_set_null_member (checkin, "attendee_id");
  json_object_set_string_member (checkin, "direction", direction);
  json_object_set_string_member (checkin, "scanned_at", text);
  json_object_set_string_member (checkin, "received_at", text);
  json_object_set_string_member (checkin, "device", device);
  json_object_set_string_member (checkin, "verdict", verdict);
  json_object_set_boolean_member (checkin, "flagged", FALSE);
  json_object_set_boolean_member (checkin, "undone", FALSE);
  json_object_set_int_member (change, "seq", seq);
  json_object_set_string_member (change, "type", "checkin");
  json_object_set_object_member (change, "checkin", checkin);
  json_array_add_object_element (json_object_get_array_member (page, "changes"), change);
}

static void
apply (Fixture    *f,
       JsonObject *page)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tn_replica_apply_sync_page (f->replica, page, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;

  tn_signed_ticket_new_keypair (f->public_key, f->secret_key);
  f->going = tn_ticket_code_new ();
  f->not_going = tn_ticket_code_new ();
  f->revoked = tn_ticket_code_new ();
  f->newcomer = tn_ticket_code_new ();
  f->stranger = tn_ticket_code_new ();

  f->replica = tn_replica_open (SERVER_URL, DEVICE_ID, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->replica);

  first = page_new (f, 3);
  page_add_attendee (first, 1, attendee_json ("a-going", "Zoë Ångström", "going", f->going));
  page_add_attendee (first, 2, attendee_json ("a-leaving", "Leo Left", "going", f->not_going));
  page_add_attendee (first, 3, attendee_json ("a-revoked", "Rita Revoked", "going", f->revoked));
  apply (f, first);

  /* later: Leo is no longer going (his ticket is gone), Rita's code is revoked */
  second = page_new (f, 5);
  page_add_attendee (second, 4, attendee_json ("a-leaving", "Leo Left", "not_going", NULL));
  page_add_revoked (second, 5, f->revoked);
  apply (f, second);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->replica);
  g_free (f->going);
  g_free (f->not_going);
  g_free (f->revoked);
  g_free (f->newcomer);
  g_free (f->stranger);
}

static TnReplicaScan *
scan (Fixture         *f,
      const char      *code,
      TnScanDirection  direction,
      gint64           at,
      const char      *device)
{
  g_autoptr(GError) error = NULL;
  TnReplicaScan *result = tn_replica_record_scan (f->replica, code, direction, at, device, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_nonnull (result->id);
  return result;
}

typedef enum
{
  CODE_GOING,
  CODE_GOING_SIGNED,
  CODE_GOING_TYPED,        /* lower case, without dashes, O for 0 … */
  CODE_NOT_GOING,
  CODE_REVOKED,
  CODE_REVOKED_SIGNED,
  CODE_NEWCOMER_SIGNED,    /* validly signed, unknown to the replica */
  CODE_STRANGER,           /* a well-formed code nobody has */
  CODE_GARBAGE,
  CODE_FORGED,             /* signed with another key */
  CODE_ALTERED,            /* a valid signed ticket with one symbol changed */
  CODE_EXPIRED,
  CODE_OTHER_EVENT,        /* signed by this key for another event */
  CODE_OTHER_EVENT_KEY,    /* another event's ticket, its own key */
} CodeKind;

typedef struct
{
  CodeKind         kind;
  TnScanDirection  direction;
  TnVerdict        verdict;
  gboolean         name_known;
} VerdictCase;

/* In order: each row sees the scans of the rows before it. */
static const VerdictCase verdict_cases[] = {
  { CODE_GOING,           TN_SCAN_OUT, TN_VERDICT_NOT_INSIDE,  TRUE },
  { CODE_GOING,           TN_SCAN_IN,  TN_VERDICT_ACCEPTED,    TRUE },
  { CODE_GOING_SIGNED,    TN_SCAN_IN,  TN_VERDICT_DUPLICATE,   TRUE },
  { CODE_GOING_TYPED,     TN_SCAN_IN,  TN_VERDICT_DUPLICATE,   TRUE },
  { CODE_GOING_SIGNED,    TN_SCAN_OUT, TN_VERDICT_ACCEPTED,    TRUE },
  { CODE_GOING,           TN_SCAN_OUT, TN_VERDICT_NOT_INSIDE,  TRUE },
  { CODE_GOING_TYPED,     TN_SCAN_IN,  TN_VERDICT_ACCEPTED,    TRUE },
  { CODE_NOT_GOING,       TN_SCAN_IN,  TN_VERDICT_NOT_GOING,   TRUE },
  { CODE_REVOKED,         TN_SCAN_IN,  TN_VERDICT_REVOKED,     TRUE },
  { CODE_REVOKED_SIGNED,  TN_SCAN_IN,  TN_VERDICT_REVOKED,     TRUE },
  { CODE_NEWCOMER_SIGNED, TN_SCAN_IN,  TN_VERDICT_ACCEPTED,    FALSE },
  { CODE_NEWCOMER_SIGNED, TN_SCAN_IN,  TN_VERDICT_DUPLICATE,   FALSE },
  { CODE_NEWCOMER_SIGNED, TN_SCAN_OUT, TN_VERDICT_ACCEPTED,    FALSE },
  { CODE_STRANGER,        TN_SCAN_IN,  TN_VERDICT_UNKNOWN,     FALSE },
  { CODE_GARBAGE,         TN_SCAN_IN,  TN_VERDICT_UNKNOWN,     FALSE },
  { CODE_FORGED,          TN_SCAN_IN,  TN_VERDICT_UNKNOWN,     FALSE },
  { CODE_ALTERED,         TN_SCAN_IN,  TN_VERDICT_UNKNOWN,     FALSE },
  { CODE_EXPIRED,         TN_SCAN_IN,  TN_VERDICT_UNKNOWN,     FALSE },
  { CODE_OTHER_EVENT,     TN_SCAN_IN,  TN_VERDICT_WRONG_EVENT, FALSE },
  { CODE_OTHER_EVENT_KEY, TN_SCAN_IN,  TN_VERDICT_WRONG_EVENT, FALSE },
};

static char *
make_code (Fixture  *f,
           CodeKind  kind)
{
  guint8 other_public[TN_SIGNED_TICKET_PUBLIC_KEY];
  guint8 other_secret[TN_SIGNED_TICKET_SECRET_KEY];

  tn_signed_ticket_new_keypair (other_public, other_secret);
  switch (kind)
    {
    case CODE_GOING:
      return g_strdup (f->going);
    case CODE_GOING_SIGNED:
      return sign (EVENT_ID, f->going, VALID_UNTIL, f->secret_key);
    case CODE_GOING_TYPED:
      {
        g_autofree char *bare = NULL;
        g_auto(GStrv) parts = g_strsplit (f->going, "-", -1);

        bare = g_strjoinv (" ", parts);
        return g_ascii_strdown (bare, -1);
      }
    case CODE_NOT_GOING:
      return g_strdup (f->not_going);
    case CODE_REVOKED:
      return g_strdup (f->revoked);
    case CODE_REVOKED_SIGNED:
      return sign (EVENT_ID, f->revoked, VALID_UNTIL, f->secret_key);
    case CODE_NEWCOMER_SIGNED:
      return sign (EVENT_ID, f->newcomer, VALID_UNTIL, f->secret_key);
    case CODE_STRANGER:
      return g_strdup (f->stranger);
    case CODE_GARBAGE:
      return g_strdup ("hello, door");
    case CODE_FORGED:
      return sign (EVENT_ID, f->newcomer, VALID_UNTIL, other_secret);
    case CODE_ALTERED:
      {
        char *ticket = sign (EVENT_ID, f->newcomer, VALID_UNTIL, f->secret_key);

        /* a symbol inside the payload's code */
        ticket[60] = ticket[60] == 'A' ? 'B' : 'A';
        return ticket;
      }
    case CODE_EXPIRED:
      return sign (EVENT_ID, f->newcomer, NOW - 1, f->secret_key);
    case CODE_OTHER_EVENT:
      return sign (OTHER_EVENT_ID, f->newcomer, VALID_UNTIL, f->secret_key);
    case CODE_OTHER_EVENT_KEY:
      return sign (OTHER_EVENT_ID, f->newcomer, VALID_UNTIL, other_secret);
    default:
      g_assert_not_reached ();
    }
}

static void
test_verdicts (Fixture       *f,
               gconstpointer  data)
{
  gint64 at = NOW;

  for (guint i = 0; i < G_N_ELEMENTS (verdict_cases); i++)
    {
      const VerdictCase *c = &verdict_cases[i];
      g_autofree char *code = make_code (f, c->kind);
      g_autoptr(TnReplicaScan) judged = tn_replica_judge (f->replica, code, c->direction, at);
      g_autoptr(TnReplicaScan) result = scan (f, code, c->direction, at, "door-1");

      g_test_message ("case %u", i);
      g_assert_cmpstr (tn_verdict_to_string (judged->verdict), ==, tn_verdict_to_string (c->verdict));
      g_assert_cmpstr (tn_verdict_to_string (result->verdict), ==, tn_verdict_to_string (c->verdict));
      g_assert_cmpint (result->name != NULL, ==, c->name_known);
      if (c->verdict == TN_VERDICT_DUPLICATE)
        {
          g_assert_cmpint (result->previous_scanned_at, >, 0);
          g_assert_cmpint (result->previous_scanned_at, <, at);
          g_assert_cmpstr (result->previous_device, ==, "door-1");
        }
      else
        g_assert_null (result->previous_device);
      at += 10;
    }
}

static void
test_verdict_details (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(TnReplicaScan) first = scan (f, f->going, TN_SCAN_IN, NOW, "north door");
  g_autoptr(TnReplicaScan) again = scan (f, f->going, TN_SCAN_IN, NOW + 60, "south door");
  g_autoptr(TnReplicaScan) stored = tn_replica_get_scan (f->replica, first->id);

  g_assert_cmpint (first->verdict, ==, TN_VERDICT_ACCEPTED);
  g_assert_cmpstr (first->name, ==, "Zoë Ångström");
  g_assert_cmpstr (first->ticket_type, ==, "Speaker");
  g_assert_cmpstr (first->attendee_id, ==, "a-going");
  g_assert_cmpstr (first->ticket_code, ==, f->going);

  g_assert_cmpint (again->verdict, ==, TN_VERDICT_DUPLICATE);
  g_assert_cmpint (again->previous_scanned_at, ==, NOW);
  g_assert_cmpstr (again->previous_device, ==, "north door");

  g_assert_nonnull (stored);
  g_assert_cmpint (stored->verdict, ==, TN_VERDICT_ACCEPTED);
  g_assert_false (stored->has_server_verdict);
  g_assert_cmpstr (stored->device, ==, "north door");
  g_assert_cmpuint (tn_replica_count_inside (f->replica), ==, 1);
  g_assert_cmpuint (tn_replica_count_checked_in (f->replica), ==, 1);
  g_assert_cmpuint (tn_replica_outbox_size (f->replica), ==, 2);
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  static const struct { const char *query; guint found; } cases[] = {
    { "zoe", 1 }, { "ZOË", 1 }, { "ANG", 1 }, { "ÅNGSTRÖM", 1 }, { "angstrom", 1 }, { "Zoë Å", 1 },
    { "le", 1 }, { "e", 3 }, { "%", 0 }, { "_", 0 }, { "nobody", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) found = tn_replica_search (f->replica, cases[i].query, 0);

      g_test_message ("query %s", cases[i].query);
      g_assert_cmpuint (found->len, ==, cases[i].found);
    }
  {
    g_autoptr(GPtrArray) found = tn_replica_search (f->replica, "ZOE", 10);

    g_assert_cmpstr (tn_attendee_get_name (g_ptr_array_index (found, 0)), ==, "Zoë Ångström");
    g_assert_cmpstr (tn_attendee_get_ticket_code (g_ptr_array_index (found, 0)), ==, f->going);
  }
  /* without accents or case, in the middle of the name */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GPtrArray) found = tn_replica_search (f->replica, i == 0 ? "zoe" : "ANG", 0);

      g_assert_cmpuint (found->len, ==, 1);
      g_assert_cmpstr (tn_attendee_get_name (g_ptr_array_index (found, 0)), ==, "Zoë Ångström");
    }
}

/* Another door's scan, as a sync page brings it; @undone as the server says. */
static void
apply_other_scan (Fixture    *f,
                  gint64      seq,
                  const char *id,
                  const char *code,
                  gint64      scanned_at,
                  const char *verdict,
                  gboolean    undone)
{
  g_autoptr(JsonObject) page = page_new (f, seq);
  JsonObject *checkin;

  page_add_checkin (page, seq, id, code, "in", scanned_at, "door-2", verdict);
  checkin = json_object_get_object_member (json_array_get_object_element (json_object_get_array_member (page, "changes"), 0),
                                           "checkin");
  json_object_set_boolean_member (checkin, "undone", undone);
  apply (f, page);
}

static void
test_going (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(JsonObject) page = page_new (f, 7);

  /* Zoë and Rita (whose code was revoked, but who is going); not Leo */
  g_assert_cmpuint (tn_replica_count_going (f->replica), ==, 2);
  page_add_attendee (page, 6, attendee_json ("a-new", "Nina New", "going", f->newcomer));
  page_add_attendee (page, 7, attendee_json ("a-going", "Zoë Ångström", "not_going", NULL));
  apply (f, page);
  g_assert_cmpuint (tn_replica_count_going (f->replica), ==, 2);
  g_assert_cmpuint (tn_replica_count_attendees (f->replica), ==, 4);
}

static void
test_own_admitted (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *newcomer = sign (EVENT_ID, f->newcomer, VALID_UNTIL, f->secret_key);
  g_autoptr(TnReplicaScan) zoe_in = NULL;
  g_autoptr(TnReplicaScan) zoe_again = NULL;
  g_autoptr(TnReplicaScan) zoe_out = NULL;
  g_autoptr(TnReplicaScan) nina_in = NULL;
  g_autoptr(TnReplicaScan) refused = NULL;
  g_autoptr(JsonObject) result = json_object_new ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (tn_replica_count_own_admitted (f->replica), ==, 0);

  /* another door's admissions are not this door's */
  apply_other_scan (f, 6, "c-other", f->stranger, NOW, "accepted", FALSE);
  g_assert_cmpuint (tn_replica_count_own_admitted (f->replica), ==, 0);

  zoe_in = scan (f, f->going, TN_SCAN_IN, NOW + 1, "door-1");
  zoe_again = scan (f, f->going, TN_SCAN_IN, NOW + 2, "door-1");
  refused = scan (f, f->not_going, TN_SCAN_IN, NOW + 3, "door-1");
  g_assert_cmpint (zoe_again->verdict, ==, TN_VERDICT_DUPLICATE);
  g_assert_cmpint (refused->verdict, ==, TN_VERDICT_NOT_GOING);
  g_assert_cmpuint (tn_replica_count_own_admitted (f->replica), ==, 1);

  /* leaving does not take an admission back; coming in again is the same ticket */
  zoe_out = scan (f, f->going, TN_SCAN_OUT, NOW + 4, "door-1");
  g_clear_pointer (&zoe_again, tn_replica_scan_free);
  zoe_again = scan (f, f->going, TN_SCAN_IN, NOW + 5, "door-1");
  g_assert_cmpint (zoe_again->verdict, ==, TN_VERDICT_ACCEPTED);
  g_assert_cmpuint (tn_replica_count_own_admitted (f->replica), ==, 1);

  nina_in = scan (f, newcomer, TN_SCAN_IN, NOW + 6, "door-1");
  g_assert_cmpint (nina_in->verdict, ==, TN_VERDICT_ACCEPTED);
  g_assert_cmpuint (tn_replica_count_own_admitted (f->replica), ==, 2);

  /* the server's verdict counts once it has one */
  json_object_set_string_member (result, "id", nina_in->id);
  json_object_set_string_member (result, "verdict", "revoked");
  json_object_set_boolean_member (result, "flagged", TRUE);
  g_assert_true (tn_replica_outbox_confirm (f->replica, nina_in->id, result, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tn_replica_count_own_admitted (f->replica), ==, 1);
}

static void
test_last_own_scan (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(TnReplicaScan) first = NULL;
  g_autoptr(TnReplicaScan) second = NULL;
  g_autoptr(TnReplicaScan) last = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (tn_replica_get_last_own_scan (f->replica));
  first = scan (f, f->going, TN_SCAN_IN, NOW, "door-1");
  last = tn_replica_get_last_own_scan (f->replica);
  g_assert_cmpstr (last->id, ==, first->id);
  g_assert_cmpstr (last->name, ==, "Zoë Ångström");

  /* the latest one recorded, whatever its verdict or its clock */
  second = scan (f, f->stranger, TN_SCAN_IN, NOW - 100, "door-1");
  g_clear_pointer (&last, tn_replica_scan_free);
  last = tn_replica_get_last_own_scan (f->replica);
  g_assert_cmpstr (last->id, ==, second->id);
  g_assert_cmpint (last->verdict, ==, TN_VERDICT_UNKNOWN);

  /* another door's later scan is not this door's */
  apply_other_scan (f, 6, "c-other", f->not_going, NOW + 100, "not_going", FALSE);
  g_clear_pointer (&last, tn_replica_scan_free);
  last = tn_replica_get_last_own_scan (f->replica);
  g_assert_cmpstr (last->id, ==, second->id);

  /* an undone scan is skipped */
  g_assert_true (tn_replica_record_undo (f->replica, second->id, &error));
  g_assert_no_error (error);
  g_clear_pointer (&last, tn_replica_scan_free);
  last = tn_replica_get_last_own_scan (f->replica);
  g_assert_cmpstr (last->id, ==, first->id);
  g_assert_true (tn_replica_record_undo (f->replica, first->id, &error));
  g_assert_no_error (error);
  g_assert_null (tn_replica_get_last_own_scan (f->replica));
}

static void
test_attendee (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *signed_ticket = sign (EVENT_ID, f->going, VALID_UNTIL, f->secret_key);
  g_autoptr(TnAttendee) zoe = tn_replica_get_attendee (f->replica, "a-going");
  g_autoptr(TnAttendee) leo = tn_replica_get_attendee (f->replica, "a-leaving");
  g_autoptr(TnReplicaScan) a = NULL;
  g_autoptr(TnReplicaScan) b = NULL;
  g_autoptr(TnReplicaScan) c = NULL;
  g_autoptr(GPtrArray) scans = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (zoe);
  g_assert_cmpstr (tn_attendee_get_id (zoe), ==, "a-going");
  g_assert_cmpstr (tn_attendee_get_name (zoe), ==, "Zoë Ångström");
  g_assert_cmpint (tn_attendee_get_status (zoe), ==, TN_RSVP_GOING);
  g_assert_cmpstr (tn_attendee_get_ticket_code (zoe), ==, f->going);
  g_assert_cmpstr (tn_attendee_get_ticket_type (zoe), ==, "Speaker");
  /* as of the last sync: Leo is no longer going */
  g_assert_nonnull (leo);
  g_assert_cmpint (tn_attendee_get_status (leo), ==, TN_RSVP_NOT_GOING);
  g_assert_null (tn_replica_get_attendee (f->replica, "a-nobody"));

  /* her scans: every door's, by either form of her ticket, undone ones
   * too, oldest first; nobody else's */
  a = scan (f, signed_ticket, TN_SCAN_IN, NOW + 10, "door-1");
  apply_other_scan (f, 6, "c-other", f->going, NOW, "accepted", FALSE);
  b = scan (f, f->going, TN_SCAN_OUT, NOW + 20, "door-1");
  c = scan (f, f->stranger, TN_SCAN_IN, NOW + 30, "door-1");
  g_assert_true (tn_replica_record_undo (f->replica, b->id, &error));
  g_assert_no_error (error);
  scans = tn_replica_get_attendee_scans (f->replica, "a-going");
  g_assert_cmpuint (scans->len, ==, 3);
  g_assert_cmpstr (((TnReplicaScan *) g_ptr_array_index (scans, 0))->id, ==, "c-other");
  g_assert_cmpstr (((TnReplicaScan *) g_ptr_array_index (scans, 1))->id, ==, a->id);
  g_assert_cmpstr (((TnReplicaScan *) g_ptr_array_index (scans, 2))->id, ==, b->id);
  g_assert_false (((TnReplicaScan *) g_ptr_array_index (scans, 1))->undone);
  g_assert_true (((TnReplicaScan *) g_ptr_array_index (scans, 2))->undone);
  g_assert_cmpstr (((TnReplicaScan *) g_ptr_array_index (scans, 0))->device, ==, "door-2");
  none = tn_replica_get_attendee_scans (f->replica, "a-leaving");
  g_assert_cmpuint (none->len, ==, 0);
}

static void
test_undo (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(TnReplicaScan) zoe = scan (f, f->going, TN_SCAN_IN, NOW, "door-1");
  g_autoptr(TnReplicaScan) stored = NULL;
  g_autoptr(TnReplicaScan) again = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonObject) payload = NULL;
  g_autoptr(GError) error = NULL;
  TnReplicaOutboxEntry *entry;

  g_assert_cmpuint (tn_replica_count_inside (f->replica), ==, 1);
  g_assert_cmpuint (tn_replica_count_checked_in (f->replica), ==, 1);
  g_assert_cmpuint (tn_replica_count_own_admitted (f->replica), ==, 1);

  g_assert_true (tn_replica_record_undo (f->replica, zoe->id, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tn_replica_count_inside (f->replica), ==, 0);
  g_assert_cmpuint (tn_replica_count_checked_in (f->replica), ==, 0);
  g_assert_cmpuint (tn_replica_count_own_admitted (f->replica), ==, 0);
  g_assert_null (tn_replica_get_last_own_scan (f->replica));
  stored = tn_replica_get_scan (f->replica, zoe->id);
  g_assert_true (stored->undone);

  /* queued after the scan: its own id, the scan's in the payload */
  entries = tn_replica_outbox_peek (f->replica, 10, G_MAXINT64);
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_cmpstr (((TnReplicaOutboxEntry *) g_ptr_array_index (entries, 0))->id, ==, zoe->id);
  entry = g_ptr_array_index (entries, 1);
  g_assert_cmpstr (entry->kind, ==, TN_REPLICA_KIND_UNDO);
  g_assert_true (g_uuid_string_is_valid (entry->id));
  g_assert_cmpstr (entry->id, !=, zoe->id);
  payload = tn_test_parse_object (entry->payload);
  g_assert_cmpuint (json_object_get_size (payload), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (payload, "id"), ==, zoe->id);
  g_assert_true (tn_replica_outbox_contains (f->replica, zoe->id));
  g_assert_true (tn_replica_outbox_contains (f->replica, entry->id));

  /* refusals leave the outbox as it was */
  g_assert_false (tn_replica_record_undo (f->replica, zoe->id, &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_false (tn_replica_record_undo (f->replica, "01932c7e-0000-7000-8000-00000000beef", &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (tn_replica_outbox_size (f->replica), ==, 2);

  /* Zoë may come in again */
  again = scan (f, f->going, TN_SCAN_IN, NOW + 10, "door-1");
  g_assert_cmpint (again->verdict, ==, TN_VERDICT_ACCEPTED);
  g_assert_cmpuint (tn_replica_count_inside (f->replica), ==, 1);
  g_assert_cmpuint (tn_replica_outbox_size (f->replica), ==, 3);
}

/* An undo waiting in the outbox wins over what the server says of the
 * scan before it had the undo; once delivered, the server says. */
static void
test_undo_pending_wins (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(TnReplicaScan) zoe = scan (f, f->going, TN_SCAN_IN, NOW, "door-1");
  g_autoptr(TnReplicaScan) stored = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonObject) result = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *undo_id = NULL;

  g_assert_true (tn_replica_record_undo (f->replica, zoe->id, &error));
  g_assert_no_error (error);
  entries = tn_replica_outbox_peek (f->replica, 10, G_MAXINT64);
  undo_id = g_strdup (((TnReplicaOutboxEntry *) g_ptr_array_index (entries, 1))->id);

  /* a page made when the server had the scan and not the undo: the scan
   * leaves the outbox, the undo stays, and so does the scan's state */
  apply_other_scan (f, 6, zoe->id, f->going, NOW, "accepted", FALSE);
  g_assert_false (tn_replica_outbox_contains (f->replica, zoe->id));
  g_assert_true (tn_replica_outbox_contains (f->replica, undo_id));
  stored = tn_replica_get_scan (f->replica, zoe->id);
  g_assert_true (stored->undone);
  g_assert_true (stored->has_server_verdict);
  g_assert_cmpuint (tn_replica_count_inside (f->replica), ==, 0);
  g_assert_cmpuint (tn_replica_count_checked_in (f->replica), ==, 0);

  /* the checkins answer for the scan, late, neither */
  json_object_set_string_member (result, "id", zoe->id);
  json_object_set_string_member (result, "verdict", "accepted");
  json_object_set_boolean_member (result, "flagged", FALSE);
  g_assert_true (tn_replica_outbox_confirm (f->replica, zoe->id, result, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&stored, tn_replica_scan_free);
  stored = tn_replica_get_scan (f->replica, zoe->id);
  g_assert_true (stored->undone);

  /* delivered: the server's pages say undone; a later page is the truth */
  g_assert_true (tn_replica_outbox_remove (f->replica, undo_id, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tn_replica_outbox_size (f->replica), ==, 0);
  apply_other_scan (f, 7, zoe->id, f->going, NOW, "accepted", TRUE);
  g_clear_pointer (&stored, tn_replica_scan_free);
  stored = tn_replica_get_scan (f->replica, zoe->id);
  g_assert_true (stored->undone);
  g_assert_cmpuint (tn_replica_count_inside (f->replica), ==, 0);
  apply_other_scan (f, 8, zoe->id, f->going, NOW, "accepted", FALSE);
  g_clear_pointer (&stored, tn_replica_scan_free);
  stored = tn_replica_get_scan (f->replica, zoe->id);
  g_assert_false (stored->undone);
  g_assert_cmpuint (tn_replica_count_inside (f->replica), ==, 1);
}

/* An undo of another door's scan, refused for good by the server: it
 * counts again. */
static void
test_undo_given_up (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(TnReplicaScan) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *undo_id = NULL;

  apply_other_scan (f, 6, "c-other", f->going, NOW, "accepted", FALSE);
  g_assert_cmpuint (tn_replica_count_inside (f->replica), ==, 1);
  g_assert_true (tn_replica_record_undo (f->replica, "c-other", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tn_replica_count_inside (f->replica), ==, 0);
  /* the same page again, as the next sync might bring it */
  apply_other_scan (f, 6, "c-other", f->going, NOW, "accepted", FALSE);
  g_assert_cmpuint (tn_replica_count_inside (f->replica), ==, 0);

  entries = tn_replica_outbox_peek (f->replica, 10, G_MAXINT64);
  g_assert_cmpuint (entries->len, ==, 1);
  undo_id = g_strdup (((TnReplicaOutboxEntry *) g_ptr_array_index (entries, 0))->id);
  g_assert_true (tn_replica_outbox_give_up (f->replica, undo_id, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tn_replica_outbox_size (f->replica), ==, 0);
  stored = tn_replica_get_scan (f->replica, "c-other");
  g_assert_false (stored->undone);
  g_assert_cmpuint (tn_replica_count_inside (f->replica), ==, 1);
}

static void
test_counts (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *newcomer = sign (EVENT_ID, f->newcomer, VALID_UNTIL, f->secret_key);
  g_autoptr(TnReplicaScan) a = scan (f, f->going, TN_SCAN_IN, NOW, NULL);
  g_autoptr(TnReplicaScan) b = scan (f, newcomer, TN_SCAN_IN, NOW + 1, NULL);

  g_assert_cmpuint (tn_replica_count_inside (f->replica), ==, 2);
  g_assert_cmpuint (tn_replica_count_checked_in (f->replica), ==, 2);
  g_clear_pointer (&a, tn_replica_scan_free);
  a = scan (f, f->going, TN_SCAN_OUT, NOW + 2, NULL);
  g_assert_cmpuint (tn_replica_count_inside (f->replica), ==, 1);
  g_assert_cmpuint (tn_replica_count_checked_in (f->replica), ==, 2);
  g_assert_cmpuint (tn_replica_count_attendees (f->replica), ==, 3);
}

static void
counted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* The counts made in a thread, over a connection of their own, are the
 * ones the calls give on the replica's connection. */
static void
test_count_async (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *newcomer = sign (EVENT_ID, f->newcomer, VALID_UNTIL, f->secret_key);
  g_autoptr(TnReplicaScan) a = scan (f, f->going, TN_SCAN_IN, NOW, "Door");
  g_autoptr(TnReplicaScan) b = scan (f, newcomer, TN_SCAN_IN, NOW + 1, "Door");
  g_autoptr(TnReplicaScan) c = scan (f, f->going, TN_SCAN_OUT, NOW + 2, "Door");
  g_autoptr(GPtrArray) conflicts = tn_replica_get_conflicts (f->replica);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TnReplicaCounts counts = { 0 };

  tn_replica_count_async (f->replica, NULL, counted_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (tn_replica_count_finish (f->replica, result, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.going, ==, tn_replica_count_going (f->replica));
  g_assert_cmpuint (counts.checked_in, ==, tn_replica_count_checked_in (f->replica));
  g_assert_cmpuint (counts.inside, ==, tn_replica_count_inside (f->replica));
  g_assert_cmpuint (counts.own_admitted, ==, tn_replica_count_own_admitted (f->replica));
  g_assert_cmpuint (counts.conflicts, ==, conflicts->len);
  g_assert_cmpuint (counts.checked_in, ==, 2);
  g_assert_cmpuint (counts.inside, ==, 1);
  g_assert_cmpuint (counts.own_admitted, ==, 2);
  g_assert_cmpuint (counts.going, >, 0);
}

static void
test_sync_twice (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(JsonObject) page = page_new (f, 9);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autofree char *cursor = NULL;
  guint attendees, inside;

  page_add_attendee (page, 6, attendee_json ("a-new", "Nina New", "going", f->newcomer));
  page_add_revoked (page, 7, f->stranger);
  page_add_checkin (page, 8, "c-other-door", f->newcomer, "in", NOW, "door-2", "accepted");
  page_add_checkin (page, 9, "c-other-door-2", f->newcomer, "in", NOW + 5, "door-3", "duplicate");

  g_assert_true (tn_replica_apply_sync_page (f->replica, page, &conflicts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 0);
  attendees = tn_replica_count_attendees (f->replica);
  inside = tn_replica_count_inside (f->replica);
  g_assert_cmpuint (attendees, ==, 4);
  g_assert_cmpuint (inside, ==, 1);

  g_clear_pointer (&conflicts, g_ptr_array_unref);
  g_assert_true (tn_replica_apply_sync_page (f->replica, page, &conflicts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 0);
  g_assert_cmpuint (tn_replica_count_attendees (f->replica), ==, attendees);
  g_assert_cmpuint (tn_replica_count_inside (f->replica), ==, inside);
  g_assert_cmpuint (tn_replica_count_checked_in (f->replica), ==, 1);
  cursor = tn_replica_dup_cursor (f->replica);
  g_assert_cmpstr (cursor, ==, "9");

  /* another door let Nina in: here she is a duplicate, with its door */
  {
    g_autoptr(TnReplicaScan) result = scan (f, f->newcomer, TN_SCAN_IN, NOW + 20, NULL);
    g_autoptr(TnReplicaScan) stranger = scan (f, f->stranger, TN_SCAN_IN, NOW + 21, NULL);

    g_assert_cmpint (result->verdict, ==, TN_VERDICT_DUPLICATE);
    g_assert_cmpstr (result->previous_device, ==, "door-2");
    g_assert_cmpstr (result->name, ==, "Nina New");
    g_assert_cmpint (stranger->verdict, ==, TN_VERDICT_REVOKED);
  }

  /* a supervisor undid door-2's scan: Nina is not inside any more */
  {
    g_autoptr(JsonObject) undo = page_new (f, 10);
    g_autoptr(TnReplicaScan) result = NULL;
    JsonObject *checkin;

    page_add_checkin (undo, 10, "c-other-door", f->newcomer, "in", NOW, "door-2", "accepted");
    checkin = json_object_get_object_member (json_array_get_object_element (json_object_get_array_member (undo, "changes"), 0), "checkin");
    json_object_set_boolean_member (checkin, "undone", TRUE);
    apply (f, undo);
    g_assert_cmpuint (tn_replica_count_inside (f->replica), ==, 0);
    result = tn_replica_judge (f->replica, f->newcomer, TN_SCAN_IN, NOW + 30);
    g_assert_cmpint (result->verdict, ==, TN_VERDICT_ACCEPTED);
  }
}

/* A page that fails halfway leaves nothing of itself, and its cursor is
 * not stored: the cursor moves with its changes only. */
static void
test_sync_atomic (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(JsonObject) page = page_new (f, 12);
  g_autoptr(JsonObject) broken = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  g_autoptr(JsonObject) event = NULL;

  page_add_attendee (page, 10, attendee_json ("a-new", "Nina New", "going", f->newcomer));
  json_object_set_string_member (broken, "name", "no id");
  json_object_set_string_member (broken, "status", "going");
  page_add_attendee (page, 11, json_object_ref (broken));
  g_assert_false (tn_replica_apply_sync_page (f->replica, page, NULL, &error));
  g_assert_nonnull (error);

  cursor = tn_replica_dup_cursor (f->replica);
  g_assert_cmpstr (cursor, ==, "5");
  g_assert_cmpuint (tn_replica_count_attendees (f->replica), ==, 3);
  event = tn_replica_dup_event (f->replica);
  g_assert_cmpstr (json_object_get_string_member (event, "id"), ==, EVENT_ID);
  g_assert_cmpstr (tn_replica_get_event_id (f->replica), ==, EVENT_ID);
}

static void
test_conflicts (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(TnReplicaScan) mine = scan (f, f->going, TN_SCAN_IN, NOW + 30, "door-1");
  g_autoptr(JsonObject) page = page_new (f, 8);
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (mine->verdict, ==, TN_VERDICT_ACCEPTED);
  g_assert_cmpuint (tn_replica_outbox_size (f->replica), ==, 1);

  /* door-2 let the same ticket in earlier, offline; the server keeps
   * that one and calls ours a duplicate */
  page_add_checkin (page, 6, "c-earlier", f->going, "in", NOW, "door-2", "accepted");
  page_add_checkin (page, 7, mine->id, f->going, "in", NOW + 30, "door-1", "duplicate");
  g_assert_true (tn_replica_apply_sync_page (f->replica, page, &conflicts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  {
    TnReplicaScan *conflict = g_ptr_array_index (conflicts, 0);

    g_assert_cmpstr (conflict->id, ==, mine->id);
    g_assert_cmpint (conflict->verdict, ==, TN_VERDICT_ACCEPTED);
    g_assert_true (conflict->has_server_verdict);
    g_assert_cmpint (conflict->server_verdict, ==, TN_VERDICT_DUPLICATE);
  }
  /* the server has our scan: nothing left to send */
  g_assert_cmpuint (tn_replica_outbox_size (f->replica), ==, 0);
  g_assert_cmpuint (tn_replica_count_inside (f->replica), ==, 1);

  g_clear_pointer (&conflicts, g_ptr_array_unref);
  g_assert_true (tn_replica_apply_sync_page (f->replica, page, &conflicts, &error));
  g_assert_cmpuint (conflicts->len, ==, 0);
  all = tn_replica_get_conflicts (f->replica);
  g_assert_cmpuint (all->len, ==, 1);
}

static void
test_outbox (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(TnReplicaScan) a = scan (f, f->going, TN_SCAN_IN, NOW, "door-1");
  g_autofree char *newcomer = sign (EVENT_ID, f->newcomer, VALID_UNTIL, f->secret_key);
  g_autoptr(TnReplicaScan) b = scan (f, newcomer, TN_SCAN_IN, NOW + 1, "door-1");
  g_autoptr(TnReplicaScan) stored = NULL;
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) payload = NULL;
  g_autoptr(JsonObject) result = json_object_new ();
  g_autoptr(TnReplicaScan) conflict = NULL;
  TnReplicaOutboxEntry *entry;
  gint64 now = g_get_real_time ();

  tn_replica_set_backoff (f->replica, 1000, 8000);
  due = tn_replica_outbox_peek (f->replica, 10, now);
  g_assert_cmpuint (due->len, ==, 2);
  entry = g_ptr_array_index (due, 0);
  g_assert_cmpstr (entry->id, ==, a->id);
  g_assert_cmpstr (entry->kind, ==, TN_REPLICA_KIND_CHECKIN);
  g_assert_cmpuint (entry->attempts, ==, 0);
  payload = tn_test_parse_object (entry->payload);
  g_assert_cmpstr (json_object_get_string_member (payload, "id"), ==, a->id);
  g_assert_cmpstr (json_object_get_string_member (payload, "event_id"), ==, EVENT_ID);
  g_assert_cmpstr (json_object_get_string_member (payload, "code"), ==, f->going);
  g_assert_cmpstr (json_object_get_string_member (payload, "direction"), ==, "in");
  g_assert_cmpstr (json_object_get_string_member (payload, "scanned_at"), ==, "2030-03-17T17:46:40Z");
  g_assert_cmpstr (json_object_get_string_member (payload, "device"), ==, "door-1");
  g_assert_cmpstr (json_object_get_string_member (payload, "local_verdict"), ==, "accepted");

  /* a failed delivery waits: base 1 ms → between 0.5 and 1 ms */
  g_assert_true (tn_replica_outbox_fail (f->replica, a->id, now, &error));
  g_assert_no_error (error);
  g_clear_pointer (&due, g_ptr_array_unref);
  due = tn_replica_outbox_peek (f->replica, 10, now);
  g_assert_cmpuint (due->len, ==, 1);
  g_assert_cmpstr (((TnReplicaOutboxEntry *) g_ptr_array_index (due, 0))->id, ==, b->id);
  g_clear_pointer (&due, g_ptr_array_unref);
  due = tn_replica_outbox_peek (f->replica, 10, G_MAXINT64);
  entry = g_ptr_array_index (due, 0);
  g_assert_cmpuint (entry->attempts, ==, 1);
  g_assert_cmpint (entry->next_attempt_at, >=, now + 500);
  g_assert_cmpint (entry->next_attempt_at, <=, now + 1000);
  g_assert_cmpint (tn_replica_outbox_next_due (f->replica), ==, 0);   /* b is due at once */
  g_assert_true (tn_replica_outbox_retry_all (f->replica, &error));
  g_assert_no_error (error);
  g_clear_pointer (&due, g_ptr_array_unref);
  due = tn_replica_outbox_peek (f->replica, 10, now);
  g_assert_cmpuint (due->len, ==, 2);
  g_assert_cmpuint (((TnReplicaOutboxEntry *) g_ptr_array_index (due, 0))->attempts, ==, 1);

  /* the schedule doubles up to its maximum */
  for (guint attempts = 1; attempts < 10; attempts++)
    {
      gint64 delay = tn_replica_backoff_delay (f->replica, attempts);
      gint64 ceiling = MIN (1000 << (attempts - 1), 8000);

      g_assert_cmpint (delay, >=, ceiling / 2);
      g_assert_cmpint (delay, <=, ceiling);
    }

  json_object_set_string_member (result, "id", a->id);
  json_object_set_string_member (result, "verdict", "accepted");
  json_object_set_boolean_member (result, "flagged", FALSE);
  g_assert_true (tn_replica_outbox_confirm (f->replica, a->id, result, &conflict, &error));
  g_assert_no_error (error);
  g_assert_null (conflict);
  g_assert_cmpuint (tn_replica_outbox_size (f->replica), ==, 1);

  /* the server refuses what the door let in (revoked after the door's
   * last sync): a conflict, flagged */
  g_assert_cmpint (b->verdict, ==, TN_VERDICT_ACCEPTED);
  json_object_set_string_member (result, "id", b->id);
  json_object_set_string_member (result, "verdict", "revoked");
  json_object_set_boolean_member (result, "flagged", TRUE);
  g_assert_true (tn_replica_outbox_confirm (f->replica, b->id, result, &conflict, &error));
  g_assert_no_error (error);
  g_assert_nonnull (conflict);
  g_assert_cmpstr (conflict->id, ==, b->id);
  g_assert_cmpint (conflict->server_verdict, ==, TN_VERDICT_REVOKED);
  g_assert_true (conflict->flagged);
  g_assert_cmpuint (tn_replica_outbox_size (f->replica), ==, 0);
  stored = tn_replica_get_scan (f->replica, a->id);
  g_assert_true (stored->has_server_verdict);
  g_assert_cmpint (stored->server_verdict, ==, TN_VERDICT_ACCEPTED);
  g_assert_cmpuint (tn_replica_count_inside (f->replica), ==, 1);
}

static void
test_reopen (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *path = g_strdup (tn_replica_get_path (f->replica));
  g_autoptr(TnReplicaScan) a = scan (f, f->going, TN_SCAN_IN, NOW, "door-1");
  g_autoptr(TnReplicaScan) again = NULL;
  g_autoptr(TnReplicaScan) stored = NULL;
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_object (&f->replica);
  f->replica = tn_replica_open_path (path, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (tn_replica_outbox_size (f->replica), ==, 1);
  due = tn_replica_outbox_peek (f->replica, 10, g_get_real_time ());
  g_assert_cmpstr (((TnReplicaOutboxEntry *) g_ptr_array_index (due, 0))->id, ==, a->id);
  stored = tn_replica_get_scan (f->replica, a->id);
  g_assert_nonnull (stored);
  again = scan (f, f->going, TN_SCAN_IN, NOW + 1, "door-1");
  g_assert_cmpint (again->verdict, ==, TN_VERDICT_DUPLICATE);
}

static guint
count_rows (sqlite3    *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  guint n;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = (guint) sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

/* A door killed while scanning: every scan has its outbox entry and every
 * entry its scan, however far the last transaction got. */
static void
test_crash (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *path = g_strdup (tn_replica_get_path (f->replica));
  int ready[2];
  pid_t child;
  char byte;
  guint seen = 0;
  int status = 0;
  sqlite3 *db = NULL;

  g_clear_object (&f->replica);
  g_assert_cmpint (pipe (ready), ==, 0);
  child = fork ();
  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    {
      TnReplica *replica = tn_replica_open_path (path, NULL);

      close (ready[0]);
      for (guint i = 0; replica != NULL; i++)
        {
          TnReplicaScan *s = tn_replica_record_scan (replica, i % 2 ? f->going : f->stranger,
                                                     TN_SCAN_IN, NOW + i, "door-1", NULL);

          tn_replica_scan_free (s);
          if (write (ready[1], "x", 1) != 1)
            break;
        }
      _exit (1);
    }
  close (ready[1]);
  while (seen < 25 && read (ready[0], &byte, 1) == 1)
    seen++;
  kill (child, SIGKILL);
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  close (ready[0]);
  g_assert_cmpuint (seen, ==, 25);

  f->replica = tn_replica_open_path (path, NULL);
  g_assert_nonnull (f->replica);
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpuint (count_rows (db, "SELECT COUNT(*) FROM scans WHERE own = 1"), >=, 25);
  g_assert_cmpuint (count_rows (db, "SELECT COUNT(*) FROM scans WHERE own = 1"), ==,
                    count_rows (db, "SELECT COUNT(*) FROM outbox"));
  g_assert_cmpuint (count_rows (db, "SELECT COUNT(*) FROM outbox o LEFT JOIN scans s ON s.id = o.id "
                                    "WHERE s.id IS NULL"), ==, 0);
  g_assert_cmpuint (count_rows (db, "PRAGMA integrity_check = 1") , ==, 0);
  sqlite3_close (db);
  g_assert_cmpuint (tn_replica_outbox_size (f->replica), >=, 25);
}

static void
test_files (Fixture       *f,
            gconstpointer  data)
{
  const char *path = tn_replica_get_path (f->replica);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *expected_dir = g_build_filename (g_get_user_data_dir (), "turnout", "replicas", NULL);
  g_autofree char *same = tn_replica_path_for (SERVER_URL, DEVICE_ID);
  g_autofree char *other = tn_replica_path_for (SERVER_URL, "another-device");
  g_autofree char *other_server = tn_replica_path_for ("https://elsewhere.example.org", DEVICE_ID);
  g_autoptr(GError) error = NULL;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  sqlite3 *db = NULL;
  GStatBuf st;

  g_assert_cmpstr (dir, ==, expected_dir);
  g_assert_cmpstr (path, ==, same);
  g_assert_cmpstr (path, !=, other);
  g_assert_cmpstr (path, !=, other_server);
  g_assert_null (strstr (path, "example"));
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpuint (count_rows (db, "PRAGMA user_version"), ==, 2);
  sqlite3_close (db);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));

  /* wipe: the device was revoked */
  g_assert_true (tn_replica_wipe (f->replica, &error));
  g_assert_no_error (error);
  g_assert_true (tn_replica_is_wiped (f->replica));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (tn_replica_outbox_size (f->replica), ==, 0);
  g_assert_null (tn_replica_record_scan (f->replica, f->going, TN_SCAN_IN, NOW, NULL, &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_INTERNAL);
}

/* A replica made by the first version (no `rejected` column) is brought
 * up to date when opened, keeping its scans and outbox. */
static void
test_upgrade (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *path = g_strdup (tn_replica_get_path (f->replica));
  g_autoptr(TnReplicaScan) scan = NULL;
  g_autoptr(TnReplicaScan) again = NULL;
  g_autoptr(TnReplica) reopened = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  scan = tn_replica_record_scan (f->replica, f->going, TN_SCAN_IN, NOW, "Door", &error);
  g_assert_no_error (error);
  g_clear_object (&f->replica);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP INDEX attendees_status; DROP INDEX scans_own; "
                                 "ALTER TABLE scans DROP COLUMN rejected; PRAGMA user_version = 1;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  reopened = tn_replica_open_path (path, &error);
  g_assert_no_error (error);
  again = tn_replica_get_scan (reopened, scan->id);
  g_assert_nonnull (again);
  g_assert_null (again->rejected);
  g_assert_cmpuint (tn_replica_outbox_size (reopened), ==, 1);
  g_assert_true (tn_replica_outbox_reject (reopened, scan->id, "refused", &error));
  g_assert_no_error (error);
  g_clear_pointer (&again, tn_replica_scan_free);
  again = tn_replica_get_scan (reopened, scan->id);
  g_assert_cmpstr (again->rejected, ==, "refused");
  g_assert_cmpuint (tn_replica_outbox_size (reopened), ==, 0);
  f->replica = g_steal_pointer (&reopened);
}

/* Replicas on disk are found by their path: the formula of the first
 * version, pinned (SHA-256 of the URL, a newline and the account). */
static void
test_paths_stable (Fixture       *f,
                   gconstpointer  data)
{
  static const char hash[] = "43ad22fc5e6c4c95efa9354348aa5832";
  g_autofree char *door = tn_replica_path_for (SERVER_URL, DEVICE_ID);
  g_autofree char *organizer = tn_event_replica_path_for (SERVER_URL, DEVICE_ID);
  g_autofree char *door_name = g_strconcat (hash, ".sqlite", NULL);
  g_autofree char *expected_door = g_build_filename (g_get_user_data_dir (), "turnout", "replicas",
                                                     door_name, NULL);
  g_autofree char *expected_organizer = g_build_filename (g_get_user_data_dir (), "turnout", "organizer",
                                                          door_name, NULL);

  g_assert_cmpstr (door, ==, expected_door);
  g_assert_cmpstr (organizer, ==, expected_organizer);
  g_assert_cmpstr (tn_replica_get_path (f->replica), ==, expected_door);
}

/* A file of a newer program is refused, not opened and not changed. */
static void
test_newer_schema (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *door = g_strdup (tn_replica_get_path (f->replica));
  g_autofree char *organizer = tn_event_replica_path_for (SERVER_URL, DEVICE_ID);
  const char *paths[] = { door, organizer };
  g_autoptr(GError) error = NULL;

  g_clear_object (&f->replica);
  {
    g_autoptr(TnEventReplica) made = tn_event_replica_open_path (organizer, &error);

    g_assert_no_error (error);
  }
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      sqlite3 *db = NULL;

      g_assert_cmpint (sqlite3_open (paths[i], &db), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
      sqlite3_close (db);
    }

  g_assert_null (tn_replica_open_path (door, &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_INTERNAL);
  g_clear_error (&error);
  g_assert_null (tn_event_replica_open_path (organizer, &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_INTERNAL);
  g_clear_error (&error);

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      sqlite3 *db = NULL;

      g_assert_cmpint (sqlite3_open_v2 (paths[i], &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
      g_assert_cmpuint (count_rows (db, "PRAGMA user_version"), ==, 99);
      sqlite3_close (db);
    }
}

/* The organizer's replica has the door's schedule: the default, then one
 * of its own. */
static void
test_organizer_backoff (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *path = tn_event_replica_path_for (SERVER_URL, DEVICE_ID);
  g_autoptr(TnEventReplica) organizer = NULL;
  g_autoptr(GError) error = NULL;

  organizer = tn_event_replica_open_path (path, &error);
  g_assert_no_error (error);
  for (guint attempts = 1; attempts < 12; attempts++)
    {
      gint64 delay = tn_event_replica_backoff_delay (organizer, attempts);
      gint64 ceiling = MIN (G_USEC_PER_SEC << (attempts - 1), 300 * G_USEC_PER_SEC);

      g_assert_cmpint (delay, >=, ceiling / 2);
      g_assert_cmpint (delay, <=, ceiling);
    }
  tn_event_replica_set_backoff (organizer, 1000, 8000);
  for (guint attempts = 1; attempts < 10; attempts++)
    {
      gint64 delay = tn_event_replica_backoff_delay (organizer, attempts);
      gint64 ceiling = MIN (1000 << (attempts - 1), 8000);

      g_assert_cmpint (delay, >=, ceiling / 2);
      g_assert_cmpint (delay, <=, ceiling);
    }
}

int
main (int    argc,
      char **argv)
{
  tn_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/common/replica/verdicts", test_verdicts);
  ADD ("/common/replica/upgrade", test_upgrade);
  ADD ("/common/replica/verdict-details", test_verdict_details);
  ADD ("/common/replica/search", test_search);
  ADD ("/common/replica/counts", test_counts);
  ADD ("/common/replica/count-async", test_count_async);
  ADD ("/common/replica/going", test_going);
  ADD ("/common/replica/own-admitted", test_own_admitted);
  ADD ("/common/replica/last-own-scan", test_last_own_scan);
  ADD ("/common/replica/attendee", test_attendee);
  ADD ("/common/replica/undo", test_undo);
  ADD ("/common/replica/undo-pending-wins", test_undo_pending_wins);
  ADD ("/common/replica/undo-given-up", test_undo_given_up);
  ADD ("/common/replica/sync-twice", test_sync_twice);
  ADD ("/common/replica/sync-atomic", test_sync_atomic);
  ADD ("/common/replica/conflicts", test_conflicts);
  ADD ("/common/replica/outbox", test_outbox);
  ADD ("/common/replica/reopen", test_reopen);
  ADD ("/common/replica/crash", test_crash);
  ADD ("/common/replica/files", test_files);
  ADD ("/common/replica/paths-stable", test_paths_stable);
  ADD ("/common/replica/newer-schema", test_newer_schema);
  ADD ("/common/replica/organizer-backoff", test_organizer_backoff);
#undef ADD

  return g_test_run ();
}
