/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tn-tui-config.h"

#define CONFIG_FILE   "door.ini"
#define CONFIG_GROUP  "door"
#define TOKEN_FILE    "door-token"
#define TOKEN_GROUP   "token"
#define DEVICE_GROUP  "device"

/**
 * tn_tui_config_get_default_dir:
 *
 * Returns: (transfer full): `$XDG_CONFIG_HOME/turnout`
 */
char *
tn_tui_config_get_default_dir (void)
{
  return g_build_filename (g_get_user_config_dir (), "turnout", NULL);
}

/**
 * tn_tui_config_is_server_url:
 * @text: what the user gave as the server
 *
 * Returns: whether @text is an http:// or https:// address with a host
 */
gboolean
tn_tui_config_is_server_url (const char *text)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (text == NULL)
    return FALSE;
  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    return FALSE;
  scheme = g_uri_get_scheme (uri);
  return g_strcmp0 (scheme, "http") == 0 || g_strcmp0 (scheme, "https") == 0;
}

static char *
normalize_server (const char *server)
{
  gsize len = strlen (server);

  while (len > 0 && server[len - 1] == '/')
    len--;
  return g_strndup (server, len);
}

static GKeyFile *
load_key_file (const char  *path,
               gboolean    *found,
               GError     **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;

  *found = FALSE;
  if (!g_key_file_load_from_file (key_file, path, G_KEY_FILE_KEEP_COMMENTS, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&key_file);
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", path);
      return NULL;
    }

  *found = TRUE;
  return g_steal_pointer (&key_file);
}

static gboolean
ensure_dir (const char  *dir,
            GError     **error)
{
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "%s: %s", dir, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

/**
 * tn_tui_config_load:
 * @dir: the configuration directory
 * @server: (out) (transfer full) (nullable): the server URL last used
 * @email: (out) (transfer full) (nullable): the e-mail address last used
 * @error: return location for an error
 *
 * A missing door.ini is not an error: both values are then %NULL.
 *
 * Returns: %TRUE unless door.ini exists and cannot be read
 */
gboolean
tn_tui_config_load (const char  *dir,
                    char       **server,
                    char       **email,
                    GError     **error)
{
  g_autofree char *path = g_build_filename (dir, CONFIG_FILE, NULL);
  g_autoptr(GKeyFile) key_file = NULL;
  gboolean found;

  g_return_val_if_fail (dir != NULL, FALSE);

  *server = NULL;
  *email = NULL;
  key_file = load_key_file (path, &found, error);
  if (key_file == NULL)
    return FALSE;

  *server = g_key_file_get_string (key_file, CONFIG_GROUP, "server", NULL);
  *email = g_key_file_get_string (key_file, CONFIG_GROUP, "email", NULL);
  return TRUE;
}

/**
 * tn_tui_config_save:
 * @dir: the configuration directory
 * @server: the server URL
 * @email: (nullable): the e-mail address that signed in
 * @error: return location for an error
 *
 * Stores the values in door.ini, keeping whatever else it holds.
 */
gboolean
tn_tui_config_save (const char  *dir,
                    const char  *server,
                    const char  *email,
                    GError     **error)
{
  g_autofree char *path = g_build_filename (dir, CONFIG_FILE, NULL);
  g_autofree char *normalized = NULL;
  g_autoptr(GKeyFile) key_file = NULL;
  gboolean found;

  g_return_val_if_fail (dir != NULL, FALSE);
  g_return_val_if_fail (server != NULL, FALSE);

  if (!ensure_dir (dir, error))
    return FALSE;
  key_file = load_key_file (path, &found, error);
  if (key_file == NULL)
    return FALSE;

  normalized = normalize_server (server);
  g_key_file_set_string (key_file, CONFIG_GROUP, "server", normalized);
  if (email != NULL)
    g_key_file_set_string (key_file, CONFIG_GROUP, "email", email);

  return g_key_file_save_to_file (key_file, path, error);
}

/**
 * tn_tui_config_load_token:
 * @dir: the configuration directory
 * @server: the server the token must belong to
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the stored token if there is one
 *   for @server; %NULL without an error when there is none
 */
char *
tn_tui_config_load_token (const char  *dir,
                          const char  *server,
                          GError     **error)
{
  g_autofree char *path = g_build_filename (dir, TOKEN_FILE, NULL);
  g_autofree char *stored_server = NULL;
  g_autofree char *wanted_server = NULL;
  g_autofree char *token = NULL;
  g_autoptr(GKeyFile) key_file = NULL;
  GStatBuf st;
  gboolean found;

  g_return_val_if_fail (dir != NULL, NULL);
  g_return_val_if_fail (server != NULL, NULL);

  key_file = load_key_file (path, &found, error);
  if (key_file == NULL || !found)
    return NULL;

  /* Someone loosened the mode by hand (or a restore did): a token is a
   * password, so take the file back. */
  if (g_stat (path, &st) == 0 && (st.st_mode & 0077) != 0)
    g_chmod (path, 0600);

  stored_server = g_key_file_get_string (key_file, TOKEN_GROUP, "server", NULL);
  wanted_server = normalize_server (server);
  token = g_key_file_get_string (key_file, TOKEN_GROUP, "token", NULL);
  if (stored_server == NULL || token == NULL || token[0] == '\0' ||
      g_strcmp0 (stored_server, wanted_server) != 0)
    return NULL;

  return g_steal_pointer (&token);
}

/**
 * tn_tui_config_save_token:
 * @dir: the configuration directory
 * @server: the server that issued @token
 * @token: a bearer token
 * @error: return location for an error
 *
 * Writes door-token atomically with mode 0600 (the directory is 0700).
 */
gboolean
tn_tui_config_save_token (const char  *dir,
                          const char  *server,
                          const char  *token,
                          GError     **error)
{
  return tn_tui_config_save_device (dir, server, token, NULL, error);
}

void
tn_tui_device_clear (TnTuiDevice *device)
{
  g_clear_pointer (&device->id, g_free);
  g_clear_pointer (&device->event_id, g_free);
  g_clear_pointer (&device->role, g_free);
  g_clear_pointer (&device->name, g_free);
}

/**
 * tn_tui_config_save_device:
 * @dir: the configuration directory
 * @server: the server that issued @token
 * @token: a bearer token
 * @device: (nullable): the paired device @token belongs to; %NULL for a
 *   person's sign-in
 * @error: return location for an error
 *
 * Writes door-token atomically with mode 0600 (the directory is 0700),
 * replacing whatever sign-in or pairing it held.
 */
gboolean
tn_tui_config_save_device (const char         *dir,
                           const char         *server,
                           const char         *token,
                           const TnTuiDevice  *device,
                           GError            **error)
{
  g_autofree char *path = g_build_filename (dir, TOKEN_FILE, NULL);
  g_autofree char *normalized = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  gsize length;

  g_return_val_if_fail (dir != NULL, FALSE);
  g_return_val_if_fail (server != NULL, FALSE);
  g_return_val_if_fail (token != NULL, FALSE);
  g_return_val_if_fail (device == NULL || (device->id != NULL && device->event_id != NULL), FALSE);

  if (!ensure_dir (dir, error))
    return FALSE;

  normalized = normalize_server (server);
  g_key_file_set_comment (key_file, NULL, NULL,
                          " turnout-door sign-in: keep this file private", NULL);
  g_key_file_set_string (key_file, TOKEN_GROUP, "server", normalized);
  g_key_file_set_string (key_file, TOKEN_GROUP, "token", token);
  if (device != NULL)
    {
      g_key_file_set_string (key_file, DEVICE_GROUP, "id", device->id);
      g_key_file_set_string (key_file, DEVICE_GROUP, "event-id", device->event_id);
      g_key_file_set_string (key_file, DEVICE_GROUP, "role", device->role != NULL ? device->role : "steward");
      if (device->name != NULL)
        g_key_file_set_string (key_file, DEVICE_GROUP, "name", device->name);
    }
  data = g_key_file_to_data (key_file, &length, NULL);

  return g_file_set_contents_full (path, data, length,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/**
 * tn_tui_config_load_device:
 * @dir: the configuration directory
 * @server: the server the device must be paired with
 * @device: (out caller-allocates): the device, cleared first
 *
 * Returns: whether the stored token is a door device's of @server
 */
gboolean
tn_tui_config_load_device (const char  *dir,
                           const char  *server,
                           TnTuiDevice *device)
{
  g_autofree char *path = g_build_filename (dir, TOKEN_FILE, NULL);
  g_autofree char *stored_server = NULL;
  g_autofree char *wanted_server = NULL;
  g_autoptr(GKeyFile) key_file = NULL;
  gboolean found;

  g_return_val_if_fail (dir != NULL && server != NULL && device != NULL, FALSE);

  memset (device, 0, sizeof *device);
  key_file = load_key_file (path, &found, NULL);
  if (key_file == NULL || !found)
    return FALSE;
  stored_server = g_key_file_get_string (key_file, TOKEN_GROUP, "server", NULL);
  wanted_server = normalize_server (server);
  if (g_strcmp0 (stored_server, wanted_server) != 0)
    return FALSE;

  device->id = g_key_file_get_string (key_file, DEVICE_GROUP, "id", NULL);
  device->event_id = g_key_file_get_string (key_file, DEVICE_GROUP, "event-id", NULL);
  device->role = g_key_file_get_string (key_file, DEVICE_GROUP, "role", NULL);
  device->name = g_key_file_get_string (key_file, DEVICE_GROUP, "name", NULL);
  if (device->id == NULL || device->event_id == NULL)
    {
      tn_tui_device_clear (device);
      return FALSE;
    }
  if (g_strcmp0 (device->role, "supervisor") != 0)
    {
      g_free (device->role);
      device->role = g_strdup ("steward");
    }
  return TRUE;
}

/**
 * tn_tui_config_load_value:
 * @dir: the configuration directory
 * @key: a key of door.ini's [door] group
 *
 * Returns: (transfer full) (nullable): its value
 */
char *
tn_tui_config_load_value (const char *dir,
                          const char *key)
{
  g_autofree char *path = g_build_filename (dir, CONFIG_FILE, NULL);
  g_autoptr(GKeyFile) key_file = NULL;
  gboolean found;

  key_file = load_key_file (path, &found, NULL);
  if (key_file == NULL || !found)
    return NULL;
  return g_key_file_get_string (key_file, CONFIG_GROUP, key, NULL);
}

/**
 * tn_tui_config_save_value:
 * @dir: the configuration directory
 * @key: a key of door.ini's [door] group
 * @value: (nullable): its new value; %NULL removes it
 * @error: return location for an error
 */
gboolean
tn_tui_config_save_value (const char  *dir,
                          const char  *key,
                          const char  *value,
                          GError     **error)
{
  g_autofree char *path = g_build_filename (dir, CONFIG_FILE, NULL);
  g_autoptr(GKeyFile) key_file = NULL;
  gboolean found;

  if (!ensure_dir (dir, error))
    return FALSE;
  key_file = load_key_file (path, &found, error);
  if (key_file == NULL)
    return FALSE;
  if (value != NULL)
    g_key_file_set_string (key_file, CONFIG_GROUP, key, value);
  else
    g_key_file_remove_key (key_file, CONFIG_GROUP, key, NULL);
  return g_key_file_save_to_file (key_file, path, error);
}

/**
 * tn_tui_config_forget_token:
 * @dir: the configuration directory
 * @error: return location for an error
 *
 * Removes door-token; a missing file is not an error.
 */
gboolean
tn_tui_config_forget_token (const char  *dir,
                            GError     **error)
{
  g_autofree char *path = g_build_filename (dir, TOKEN_FILE, NULL);

  g_return_val_if_fail (dir != NULL, FALSE);

  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "%s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}
