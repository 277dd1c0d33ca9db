/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sodium.h>

#include "tn-ticket-code.h"

/* Crockford's base32: no I, L, O or U, so a code read aloud or typed from
 * paper has no look-alikes. */
static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

#define CODE_SYMBOLS 26   /* 26 × 5 = 130 bits */

/**
 * tn_ticket_code_new:
 *
 * Returns: (transfer full): a new ticket code: 130 random bits in
 *   Crockford base32, grouped by four for reading aloud
 *   (`7K2Q-MW9D-…-X4`)
 */
char *
tn_ticket_code_new (void)
{
  guchar bytes[CODE_SYMBOLS];
  GString *code = g_string_sized_new (TN_TICKET_CODE_LENGTH + 1);

  if (sodium_init () < 0)
    g_error ("libsodium could not be initialized");
  /* One random byte per symbol, reduced by masking: 32 divides 256, so
   * every symbol is uniform and the code holds 26 × 5 = 130 bits. */
  randombytes_buf (bytes, sizeof bytes);
  for (guint i = 0; i < CODE_SYMBOLS; i++)
    {
      if (i > 0 && i % 4 == 0)
        g_string_append_c (code, '-');
      g_string_append_c (code, alphabet[bytes[i] & 31]);
    }
  sodium_memzero (bytes, sizeof bytes);
  return g_string_free (code, FALSE);
}

/**
 * tn_ticket_code_normalize:
 * @text: a code as typed or scanned
 *
 * Reads a code the way Crockford's base32 asks: case is ignored, dashes
 * and spaces are ignored, O reads as 0, I and L as 1.
 *
 * Returns: (transfer full) (nullable): the code in its canonical grouped
 *   form, or %NULL if @text is not a code
 */
char *
tn_ticket_code_normalize (const char *text)
{
  GString *code;
  guint n = 0;

  g_return_val_if_fail (text != NULL, NULL);

  code = g_string_sized_new (TN_TICKET_CODE_LENGTH + 1);
  for (const char *p = text; *p != '\0'; p++)
    {
      char c = g_ascii_toupper (*p);

      if (c == '-' || c == ' ')
        continue;
      if (c == 'O')
        c = '0';
      else if (c == 'I' || c == 'L')
        c = '1';
      if (strchr (alphabet, c) == NULL || n == CODE_SYMBOLS)
        {
          g_string_free (code, TRUE);
          return NULL;
        }
      if (n > 0 && n % 4 == 0)
        g_string_append_c (code, '-');
      g_string_append_c (code, c);
      n++;
    }
  if (n != CODE_SYMBOLS)
    {
      g_string_free (code, TRUE);
      return NULL;
    }
  return g_string_free (code, FALSE);
}
