/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sodium.h>

#include "tn-auth.h"
#include "tn-error.h"

#define TOKEN_BYTES 32   /* 256 bits */

/* A hash of a password nobody has, checked when the e-mail address is
 * unknown, so that a login takes as long whether or not the account exists. */
static char *dummy_hash;

gboolean
tn_auth_init (GError **error)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      if (sodium_init () < 0)
        {
          g_set_error (error, TN_ERROR, TN_ERROR_INTERNAL, "libsodium could not be initialized");
          return FALSE;
        }
      dummy_hash = g_malloc0 (crypto_pwhash_STRBYTES);
      if (crypto_pwhash_str_alg (dummy_hash, "no such account", strlen ("no such account"),
                                 crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                 crypto_pwhash_MEMLIMIT_INTERACTIVE,
                                 crypto_pwhash_ALG_ARGON2ID13) != 0)
        {
          g_set_error (error, TN_ERROR, TN_ERROR_INTERNAL, "Out of memory while hashing a password");
          return FALSE;
        }
      g_once_init_leave (&initialized, 1);
    }
  return TRUE;
}

/**
 * tn_auth_hash_password:
 * @password: the password, UTF-8
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): an Argon2id hash in the PHC string
 *   format, with a random salt and libsodium's interactive limits
 */
char *
tn_auth_hash_password (const char  *password,
                       GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];

  g_return_val_if_fail (password != NULL, NULL);

  if (!tn_auth_init (error))
    return NULL;
  if (crypto_pwhash_str_alg (hash, password, strlen (password),
                             crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE,
                             crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_INTERNAL, "Out of memory while hashing a password");
      return NULL;
    }
  return g_strdup (hash);
}

/**
 * tn_auth_verify_password:
 * @hash: (nullable): a hash from tn_auth_hash_password(), or %NULL for an
 *   account that does not exist
 * @password: the password given
 *
 * Takes about as long whether or not @hash is %NULL. Blocks for tens of
 * milliseconds: call it from a worker thread.
 *
 * Returns: %TRUE if @password matches @hash
 */
gboolean
tn_auth_verify_password (const char *hash,
                         const char *password)
{
  g_return_val_if_fail (password != NULL, FALSE);

  if (!tn_auth_init (NULL))
    return FALSE;
  if (hash == NULL)
    {
      /* The same work as for a real account; there is nothing to match. */
      (void) !crypto_pwhash_str_verify (dummy_hash, password, strlen (password));
      return FALSE;
    }
  return crypto_pwhash_str_verify (hash, password, strlen (password)) == 0;
}

typedef struct
{
  char *hash;
  char *password;
} VerifyData;

static void
verify_data_free (gpointer data)
{
  VerifyData *verify = data;

  g_free (verify->hash);
  if (verify->password != NULL)
    sodium_memzero (verify->password, strlen (verify->password));
  g_free (verify->password);
  g_free (verify);
}

static void
verify_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  VerifyData *verify = task_data;

  g_task_return_boolean (task, tn_auth_verify_password (verify->hash, verify->password));
}

/**
 * tn_auth_verify_password_async:
 *
 * tn_auth_verify_password() in a worker thread, so the main loop keeps
 * serving other requests while Argon2id runs.
 */
void
tn_auth_verify_password_async (const char          *hash,
                               const char          *password,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  VerifyData *verify = g_new0 (VerifyData, 1);

  verify->hash = g_strdup (hash);
  verify->password = g_strdup (password);
  g_task_set_source_tag (task, tn_auth_verify_password_async);
  g_task_set_task_data (task, verify, verify_data_free);
  g_task_run_in_thread (task, verify_thread);
}

gboolean
tn_auth_verify_password_finish (GAsyncResult *result)
{
  return g_task_propagate_boolean (G_TASK (result), NULL);
}

static char *
new_token_with_prefix (const char *prefix)
{
  guchar bytes[TOKEN_BYTES];
  char encoded[sodium_base64_ENCODED_LEN (TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

  tn_auth_init (NULL);
  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2base64 (encoded, sizeof encoded, bytes, sizeof bytes,
                     sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero (bytes, sizeof bytes);
  return g_strconcat (prefix, encoded, NULL);
}

/**
 * tn_auth_new_token:
 *
 * Returns: (transfer full): a new bearer token: 256 random bits, base64url,
 *   after a version prefix that lets secret scanners recognise it
 */
char *
tn_auth_new_token (void)
{
  return new_token_with_prefix (TN_TOKEN_PREFIX);
}

/**
 * tn_auth_new_device_token:
 *
 * Returns: (transfer full): a new door-device token: as a bearer token,
 *   with its own prefix, so the server tells them apart before a lookup
 */
char *
tn_auth_new_device_token (void)
{
  return new_token_with_prefix (TN_DEVICE_TOKEN_PREFIX);
}

#define PAIRING_SYMBOLS 12
static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * tn_auth_new_pairing_code:
 *
 * Returns: (transfer full): a one-time pairing code for a door device:
 *   12 Crockford base32 symbols (60 random bits) in groups of four,
 *   such as `7K2Q-MW9D-X4T1`
 */
char *
tn_auth_new_pairing_code (void)
{
  GString *code = g_string_sized_new (PAIRING_SYMBOLS + 3);

  tn_auth_init (NULL);
  for (guint i = 0; i < PAIRING_SYMBOLS; i++)
    {
      if (i > 0 && i % 4 == 0)
        g_string_append_c (code, '-');
      g_string_append_c (code, crockford[randombytes_uniform (32)]);
    }
  return g_string_free (code, FALSE);
}

/**
 * tn_auth_normalize_pairing_code:
 * @text: a pairing code as typed: any case, dashes and spaces anywhere,
 *   O for 0, I and L for 1
 *
 * Returns: (transfer full) (nullable): the code as tn_auth_new_pairing_code()
 *   writes it, or %NULL when @text is not one
 */
char *
tn_auth_normalize_pairing_code (const char *text)
{
  GString *code;
  guint n = 0;

  g_return_val_if_fail (text != NULL, NULL);

  if (strlen (text) > 64)
    return NULL;
  code = g_string_sized_new (PAIRING_SYMBOLS + 3);
  for (const char *p = text; *p != '\0'; p++)
    {
      char c = g_ascii_toupper (*p);

      if (c == '-' || c == ' ')
        continue;
      if (c == 'O')
        c = '0';
      else if (c == 'I' || c == 'L')
        c = '1';
      if (strchr (crockford, c) == NULL || n == PAIRING_SYMBOLS)
        {
          g_string_free (code, TRUE);
          return NULL;
        }
      if (n > 0 && n % 4 == 0)
        g_string_append_c (code, '-');
      g_string_append_c (code, c);
      n++;
    }
  if (n != PAIRING_SYMBOLS)
    {
      g_string_free (code, TRUE);
      return NULL;
    }
  return g_string_free (code, FALSE);
}

/**
 * tn_auth_hash_token:
 * @token: a bearer token
 *
 * Tokens are stored only as this hash: a copy of the database does not
 * sign anybody in. A fast hash is right here, unlike for passwords: the
 * token has 256 bits of entropy, so there is nothing to guess.
 *
 * Returns: (transfer full): BLAKE2b-256 of @token, in hex
 */
char *
tn_auth_hash_token (const char *token)
{
  guchar digest[32];
  char hex[sizeof digest * 2 + 1];

  g_return_val_if_fail (token != NULL, NULL);

  tn_auth_init (NULL);
  crypto_generichash (digest, sizeof digest, (const guchar *) token, strlen (token), NULL, 0);
  sodium_bin2hex (hex, sizeof hex, digest, sizeof digest);
  return g_strdup (hex);
}
