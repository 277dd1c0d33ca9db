/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sodium.h>

#include "tn-signed-ticket.h"

/* The format, version 1 (what the QR code on a ticket holds):
 *
 *   "TN1" + Crockford base32 (upper case, no padding, no dashes) of
 *   payload (51 bytes) || Ed25519 signature of the payload (64 bytes)
 *
 *   payload: 0x01 (version) | event id, the 16 bytes of its UUID |
 *            the ticket's short code, its 26 symbols in ASCII |
 *            valid until, Unix seconds, signed 64-bit big-endian
 *
 * 187 characters, all in the QR code's alphanumeric set, so a QR code
 * holds it compactly. Each event has its own key pair; a door holds the
 * public key from its last sync and verifies tickets issued since,
 * offline. The short code inside is the ticket's identity: revoking it
 * (which travels in the sync data) refuses the signed form as well. */

#define VERSION        1
#define CODE_SYMBOLS   26
#define PAYLOAD_LENGTH (1 + 16 + CODE_SYMBOLS + 8)
#define SIGNED_LENGTH  (PAYLOAD_LENGTH + crypto_sign_BYTES)
#define TEXT_LENGTH    (3 + (SIGNED_LENGTH * 8 + 4) / 5)

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static void
ensure_sodium (void)
{
  if (sodium_init () < 0)
    g_error ("libsodium could not be initialized");
}

/* Crockford base32 of @length bytes, most significant bit first; the last
 * symbol is padded with zero bits. */
static void
base32_encode (const guint8 *bytes,
               gsize         length,
               GString      *out)
{
  guint32 buffer = 0;
  guint bits = 0;

  for (gsize i = 0; i < length; i++)
    {
      buffer = (buffer << 8) | bytes[i];
      bits += 8;
      while (bits >= 5)
        {
          g_string_append_c (out, alphabet[(buffer >> (bits - 5)) & 31]);
          bits -= 5;
        }
    }
  if (bits > 0)
    g_string_append_c (out, alphabet[(buffer << (5 - bits)) & 31]);
}

static int
symbol_value (char c)
{
  const char *p;

  c = g_ascii_toupper (c);
  if (c == 'O')
    c = '0';
  else if (c == 'I' || c == 'L')
    c = '1';
  p = c != '\0' ? strchr (alphabet, c) : NULL;
  return p != NULL ? (int) (p - alphabet) : -1;
}

/* Decodes exactly @length bytes from @text; FALSE unless @text is exactly
 * that long and its padding bits are zero. */
static gboolean
base32_decode (const char *text,
               guint8     *bytes,
               gsize       length)
{
  guint32 buffer = 0;
  guint bits = 0;
  gsize n = 0;

  for (const char *p = text; *p != '\0'; p++)
    {
      int value = symbol_value (*p);

      if (value < 0)
        return FALSE;
      buffer = (buffer << 5) | (guint32) value;
      bits += 5;
      if (bits >= 8)
        {
          if (n == length)
            return FALSE;
          bytes[n++] = (guint8) (buffer >> (bits - 8));
          bits -= 8;
        }
      buffer &= (1u << bits) - 1;
    }
  return n == length && bits < 5 && buffer == 0;
}

static gboolean
uuid_to_bytes (const char *uuid,
               guint8      bytes[16])
{
  guint n = 0;

  if (!g_uuid_string_is_valid (uuid))
    return FALSE;
  for (const char *p = uuid; *p != '\0' && n < 32; p++)
    {
      int v = g_ascii_xdigit_value (*p);

      if (v < 0)
        continue;
      if (n % 2 == 0)
        bytes[n / 2] = (guint8) (v << 4);
      else
        bytes[n / 2] |= (guint8) v;
      n++;
    }
  return n == 32;
}

/**
 * tn_signed_ticket_new_keypair:
 *
 * A new Ed25519 key pair for an event's tickets.
 */
void
tn_signed_ticket_new_keypair (guint8 public_key[TN_SIGNED_TICKET_PUBLIC_KEY],
                              guint8 secret_key[TN_SIGNED_TICKET_SECRET_KEY])
{
  ensure_sodium ();
  crypto_sign_keypair (public_key, secret_key);
}

/**
 * tn_signed_ticket_new:
 * @claim: what the ticket says; @code is read as tn_ticket_code_normalize()
 *   reads a code
 * @secret_key: the event's secret key
 *
 * Returns: (transfer full) (nullable): the signed ticket's text, or %NULL
 *   when @claim's event id is not a UUID or its code not a ticket code
 */
char *
tn_signed_ticket_new (const TnTicketClaim *claim,
                      const guint8         secret_key[TN_SIGNED_TICKET_SECRET_KEY])
{
  guint8 signed_bytes[SIGNED_LENGTH];
  g_autofree char *code = NULL;
  GString *text;
  guint64 until;
  guint n = 0;

  g_return_val_if_fail (claim != NULL, NULL);

  ensure_sodium ();
  code = tn_ticket_code_normalize (claim->code);
  if (code == NULL || !uuid_to_bytes (claim->event_id, signed_bytes + 1))
    return NULL;
  signed_bytes[0] = VERSION;
  for (const char *p = code; *p != '\0'; p++)
    if (*p != '-')
      signed_bytes[17 + n++] = (guint8) *p;
  g_assert (n == CODE_SYMBOLS);
  until = (guint64) claim->valid_until;
  for (int i = 7; i >= 0; i--, until >>= 8)
    signed_bytes[17 + CODE_SYMBOLS + i] = (guint8) (until & 0xff);

  crypto_sign_detached (signed_bytes + PAYLOAD_LENGTH, NULL, signed_bytes, PAYLOAD_LENGTH, secret_key);

  text = g_string_sized_new (TEXT_LENGTH + 1);
  g_string_append (text, TN_SIGNED_TICKET_PREFIX);
  base32_encode (signed_bytes, SIGNED_LENGTH, text);
  return g_string_free (text, FALSE);
}

/**
 * tn_signed_ticket_is_signed:
 *
 * Returns: whether @text has the form of a signed ticket (as opposed to
 *   a short code typed in), whatever its signature
 */
gboolean
tn_signed_ticket_is_signed (const char *text)
{
  g_return_val_if_fail (text != NULL, FALSE);
  return g_ascii_strncasecmp (text, TN_SIGNED_TICKET_PREFIX, 3) == 0 && strlen (text) == TEXT_LENGTH;
}

static gboolean
decode (const char    *text,
        guint8         signed_bytes[SIGNED_LENGTH],
        TnTicketClaim *out_claim)
{
  char symbols[CODE_SYMBOLS + 1];
  g_autofree char *code = NULL;
  g_autofree char *uuid = NULL;
  guint64 until = 0;

  if (!tn_signed_ticket_is_signed (text) ||
      !base32_decode (text + 3, signed_bytes, SIGNED_LENGTH) ||
      signed_bytes[0] != VERSION)
    return FALSE;
  memcpy (symbols, signed_bytes + 17, CODE_SYMBOLS);
  symbols[CODE_SYMBOLS] = '\0';
  /* symbols straight from the alphabet: no look-alikes inside */
  for (guint i = 0; i < CODE_SYMBOLS; i++)
    if (strchr (alphabet, symbols[i]) == NULL || symbols[i] == '\0')
      return FALSE;
  code = tn_ticket_code_normalize (symbols);
  if (code == NULL)
    return FALSE;
  for (guint i = 0; i < 8; i++)
    until = (until << 8) | signed_bytes[17 + CODE_SYMBOLS + i];

  uuid = g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          signed_bytes[1], signed_bytes[2], signed_bytes[3], signed_bytes[4],
                          signed_bytes[5], signed_bytes[6], signed_bytes[7], signed_bytes[8],
                          signed_bytes[9], signed_bytes[10], signed_bytes[11], signed_bytes[12],
                          signed_bytes[13], signed_bytes[14], signed_bytes[15], signed_bytes[16]);
  if (out_claim != NULL)
    {
      g_strlcpy (out_claim->event_id, uuid, sizeof out_claim->event_id);
      g_strlcpy (out_claim->code, code, sizeof out_claim->code);
      out_claim->valid_until = (gint64) until;
    }
  return TRUE;
}

/**
 * tn_signed_ticket_read:
 * @out_claim: (out) (optional): what the ticket says
 *
 * Reads a signed ticket without checking its signature: to find the event
 * whose key checks it. Never trust the claim before
 * tn_signed_ticket_check().
 *
 * Returns: whether @text is a well-formed signed ticket
 */
gboolean
tn_signed_ticket_read (const char    *text,
                       TnTicketClaim *out_claim)
{
  guint8 signed_bytes[SIGNED_LENGTH];

  g_return_val_if_fail (text != NULL, FALSE);
  return decode (text, signed_bytes, out_claim);
}

/**
 * tn_signed_ticket_check:
 * @public_key: the public key of the event the ticket is shown at
 * @out_claim: (out) (optional): what the ticket says, when valid
 *
 * Checks a signed ticket offline. The caller still compares the claim's
 * event with the event at the door, its valid_until with the time, and
 * its code with the revoked codes it knows.
 *
 * Returns: the outcome
 */
TnSignedTicketCheck
tn_signed_ticket_check (const char    *text,
                        const guint8   public_key[TN_SIGNED_TICKET_PUBLIC_KEY],
                        TnTicketClaim *out_claim)
{
  guint8 signed_bytes[SIGNED_LENGTH];
  TnTicketClaim claim;

  g_return_val_if_fail (text != NULL, TN_SIGNED_TICKET_MALFORMED);
  g_return_val_if_fail (public_key != NULL, TN_SIGNED_TICKET_MALFORMED);

  ensure_sodium ();
  if (!decode (text, signed_bytes, &claim))
    return TN_SIGNED_TICKET_MALFORMED;
  if (crypto_sign_verify_detached (signed_bytes + PAYLOAD_LENGTH, signed_bytes, PAYLOAD_LENGTH, public_key) != 0)
    return TN_SIGNED_TICKET_FORGED;
  if (out_claim != NULL)
    *out_claim = claim;
  return TN_SIGNED_TICKET_VALID;
}
