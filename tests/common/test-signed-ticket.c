/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Signed tickets: what the QR code holds, checked offline with the
 * event's public key. */
#include "config.h"

#include <string.h>

#include "tn-signed-ticket.h"
#include "tn-ticket-code.h"

#define EVENT_ID "01932c7e-5a10-7c3d-9f00-0123456789ab"

typedef struct
{
  guint8 public_key[TN_SIGNED_TICKET_PUBLIC_KEY];
  guint8 secret_key[TN_SIGNED_TICKET_SECRET_KEY];
  char  *code;
  char  *ticket;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  TnTicketClaim claim = { .event_id = EVENT_ID, .valid_until = 1893456000 };

  tn_signed_ticket_new_keypair (f->public_key, f->secret_key);
  f->code = tn_ticket_code_new ();
  g_strlcpy (claim.code, f->code, sizeof claim.code);
  f->ticket = tn_signed_ticket_new (&claim, f->secret_key);
  g_assert_nonnull (f->ticket);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_free (f->code);
  g_free (f->ticket);
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  TnTicketClaim claim = { 0 };
  TnTicketClaim read = { 0 };
  g_autofree char *lower = g_ascii_strdown (f->ticket, -1);

  g_assert_true (g_str_has_prefix (f->ticket, "TN1"));
  g_assert_cmpuint (strlen (f->ticket), ==, 187);
  /* every character in the QR code's alphanumeric set */
  for (const char *p = f->ticket; *p != '\0'; p++)
    g_assert_nonnull (strchr ("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:", *p));
  g_assert_true (tn_signed_ticket_is_signed (f->ticket));
  g_assert_false (tn_signed_ticket_is_signed (f->code));

  g_assert_cmpint (tn_signed_ticket_check (f->ticket, f->public_key, &claim), ==, TN_SIGNED_TICKET_VALID);
  g_assert_cmpstr (claim.event_id, ==, EVENT_ID);
  g_assert_cmpstr (claim.code, ==, f->code);
  g_assert_cmpint (claim.valid_until, ==, 1893456000);

  g_assert_true (tn_signed_ticket_read (f->ticket, &read));
  g_assert_cmpstr (read.code, ==, f->code);
  /* a scanner that sends lower case */
  g_assert_cmpint (tn_signed_ticket_check (lower, f->public_key, NULL), ==, TN_SIGNED_TICKET_VALID);
}

/* Any single changed symbol is caught: never VALID. */
static void
test_tampering (Fixture       *f,
                gconstpointer  data)
{
  static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  guint forged = 0, malformed = 0;

  for (gsize i = 3; i < strlen (f->ticket); i++)
    {
      g_autofree char *altered = g_strdup (f->ticket);
      const char *at = strchr (alphabet, altered[i]);
      TnSignedTicketCheck check;

      altered[i] = alphabet[((at - alphabet) + 1) % 32];
      check = tn_signed_ticket_check (altered, f->public_key, NULL);
      g_assert_cmpint (check, !=, TN_SIGNED_TICKET_VALID);
      if (check == TN_SIGNED_TICKET_FORGED)
        forged++;
      else
        malformed++;
    }
  /* most changes keep the form and break the signature */
  g_assert_cmpuint (forged, >, 150);
  g_assert_cmpuint (forged + malformed, ==, 184);
}

static void
test_other_key_and_garbage (Fixture       *f,
                            gconstpointer  data)
{
  guint8 other_public[TN_SIGNED_TICKET_PUBLIC_KEY];
  guint8 other_secret[TN_SIGNED_TICKET_SECRET_KEY];
  g_autofree char *truncated = g_strndup (f->ticket, 186);
  g_autofree char *longer = g_strconcat (f->ticket, "0", NULL);
  g_autofree char *prefix = g_strdup (f->ticket);
  TnTicketClaim claim = { .event_id = "not-a-uuid", .valid_until = 1 };

  tn_signed_ticket_new_keypair (other_public, other_secret);
  g_assert_cmpint (tn_signed_ticket_check (f->ticket, other_public, NULL), ==, TN_SIGNED_TICKET_FORGED);

  prefix[2] = '2';
  g_assert_cmpint (tn_signed_ticket_check (prefix, f->public_key, NULL), ==, TN_SIGNED_TICKET_MALFORMED);
  g_assert_cmpint (tn_signed_ticket_check (truncated, f->public_key, NULL), ==, TN_SIGNED_TICKET_MALFORMED);
  g_assert_cmpint (tn_signed_ticket_check (longer, f->public_key, NULL), ==, TN_SIGNED_TICKET_MALFORMED);
  g_assert_cmpint (tn_signed_ticket_check ("", f->public_key, NULL), ==, TN_SIGNED_TICKET_MALFORMED);
  g_assert_cmpint (tn_signed_ticket_check ("TN1", f->public_key, NULL), ==, TN_SIGNED_TICKET_MALFORMED);
  g_assert_cmpint (tn_signed_ticket_check (f->code, f->public_key, NULL), ==, TN_SIGNED_TICKET_MALFORMED);
  g_assert_false (tn_signed_ticket_read ("TN1\xff\xfe", NULL));

  /* nothing to sign without an event id and a code */
  g_strlcpy (claim.code, f->code, sizeof claim.code);
  g_assert_null (tn_signed_ticket_new (&claim, f->secret_key));
  g_strlcpy (claim.event_id, EVENT_ID, sizeof claim.event_id);
  g_strlcpy (claim.code, "not a code", sizeof claim.code);
  g_assert_null (tn_signed_ticket_new (&claim, f->secret_key));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/common/signed-ticket/round-trip", test_round_trip);
  ADD ("/common/signed-ticket/tampering", test_tampering);
  ADD ("/common/signed-ticket/other-key-and-garbage", test_other_key_and_garbage);
#undef ADD

  return g_test_run ();
}
