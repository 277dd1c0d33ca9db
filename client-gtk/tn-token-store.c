/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "tn-token-store.h"

/* Keeps one bearer token per (server, e-mail address): in the Secret
 * Service when one runs, else in a 0600 key file in the user's config
 * folder. Which one is decided on the first failure of libsecret and kept
 * for the life of the store. */
struct _TnTokenStore
{
  GObject  parent_instance;

  gboolean uses_file;
};

G_DEFINE_FINAL_TYPE (TnTokenStore, tn_token_store, G_TYPE_OBJECT)

typedef struct
{
  char *server;
  char *email;
  char *token;
  char *path;
} Request;

/* Serialises the threads that read and write the fallback file. */
static GMutex file_lock;

static const SecretSchema *
tn_token_store_get_schema (void)
{
  static const SecretSchema schema = {
    "org.turnout.Turnout.Token", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "email", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

static Request *
request_new (const char *server,
             const char *email,
             const char *token)
{
  Request *request = g_new0 (Request, 1);

  request->server = g_strdup (server);
  request->email = g_strdup (email);
  request->token = g_strdup (token);
  /* Resolved here, on the caller's thread: the config folder may change
   * during a process's life (tests isolate it per case). */
  request->path = tn_token_store_get_file_path ();
  return request;
}

static void
request_free (gpointer data)
{
  Request *request = data;

  g_free (request->server);
  g_free (request->email);
  g_free (request->token);
  g_free (request->path);
  g_free (request);
}

static char *
record_group (const Request *request)
{
  g_autofree char *key = g_strconcat (request->server, "\n", request->email, NULL);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
}

/* Returns the file's records, or none if the file does not exist or is
 * unreadable as a key file (it is then rewritten on the next save). */
static GKeyFile *
load_file (const char  *path,
           GError     **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;

  if (g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &local_error))
    return g_steal_pointer (&file);

  if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    return g_key_file_new ();
  if (local_error->domain == G_KEY_FILE_ERROR)
    {
      g_message ("Ignoring the unreadable token file %s: %s", path, local_error->message);
      return g_key_file_new ();
    }

  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

static gboolean
write_file (GKeyFile    *file,
            const char  *path,
            GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *data = NULL;
  g_auto(GStrv) groups = NULL;
  gsize n_groups = 0;
  gsize len = 0;

  groups = g_key_file_get_groups (file, &n_groups);
  if (n_groups == 0)
    {
      if (g_unlink (path) != 0 && errno != ENOENT)
        {
          int saved_errno = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                       _("Could not remove %s: %s"), path, g_strerror (saved_errno));
          return FALSE;
        }
      return TRUE;
    }

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create the folder %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  data = g_key_file_to_data (file, &len, NULL);
  return g_file_set_contents_full (path, data, len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

static void
file_lookup_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  Request *request = task_data;
  g_autoptr(GKeyFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *group = record_group (request);
  g_autofree char *server = NULL;
  g_autofree char *email = NULL;
  g_autofree char *token = NULL;

  g_mutex_lock (&file_lock);
  file = load_file (request->path, &error);
  g_mutex_unlock (&file_lock);

  if (file == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  server = g_key_file_get_string (file, group, "server", NULL);
  email = g_key_file_get_string (file, group, "email", NULL);
  token = g_key_file_get_string (file, group, "token", NULL);
  if (g_strcmp0 (server, request->server) != 0 || g_strcmp0 (email, request->email) != 0 ||
      token == NULL || token[0] == '\0')
    g_clear_pointer (&token, g_free);

  g_task_return_pointer (task, g_steal_pointer (&token), g_free);
}

static void
file_save_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Request *request = task_data;
  g_autoptr(GKeyFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *group = record_group (request);
  gboolean ok = FALSE;

  g_mutex_lock (&file_lock);
  file = load_file (request->path, &error);
  if (file != NULL)
    {
      g_key_file_set_string (file, group, "server", request->server);
      g_key_file_set_string (file, group, "email", request->email);
      g_key_file_set_string (file, group, "token", request->token);
      ok = write_file (file, request->path, &error);
    }
  g_mutex_unlock (&file_lock);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
file_clear_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  Request *request = task_data;
  g_autoptr(GKeyFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *group = record_group (request);
  gboolean ok = FALSE;

  g_mutex_lock (&file_lock);
  if (!g_file_test (request->path, G_FILE_TEST_EXISTS))
    ok = TRUE;
  else if ((file = load_file (request->path, &error)) != NULL)
    ok = !g_key_file_has_group (file, group) ||
         (g_key_file_remove_group (file, group, NULL) && write_file (file, request->path, &error));
  g_mutex_unlock (&file_lock);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/* libsecret failed for a reason other than cancellation: no session bus,
 * no Secret Service on it, or a keyring that cannot be used. */
static void
tn_token_store_fall_back (TnTokenStore *self,
                          const GError *error)
{
  g_autofree char *path = NULL;

  if (self->uses_file)
    return;

  self->uses_file = TRUE;
  path = tn_token_store_get_file_path ();
  g_message ("The Secret Service is not available (%s); keeping sign-in tokens in %s",
             error->message, path);
}

static void
tn_token_store_class_init (TnTokenStoreClass *klass)
{
}

static void
tn_token_store_init (TnTokenStore *self)
{
}

/**
 * tn_token_store_new:
 *
 * Returns: (transfer full): a new token store
 */
TnTokenStore *
tn_token_store_new (void)
{
  return g_object_new (TN_TYPE_TOKEN_STORE, NULL);
}

/**
 * tn_token_store_get_uses_file:
 * @self: a #TnTokenStore
 *
 * Returns: %TRUE once libsecret failed and tokens go to the fallback file
 */
gboolean
tn_token_store_get_uses_file (TnTokenStore *self)
{
  g_return_val_if_fail (TN_IS_TOKEN_STORE (self), FALSE);
  return self->uses_file;
}

/**
 * tn_token_store_get_file_path:
 *
 * Returns: (transfer full): the fallback file, in the user's config folder
 */
char *
tn_token_store_get_file_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "turnout", "tokens.ini", NULL);
}

static void
tn_token_store_lookup_secret_cb (GObject      *source,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TnTokenStore *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
  if (secret != NULL)
    {
      char *token = g_strdup (secret);

      secret_password_free (secret);
      g_task_return_pointer (task, token, g_free);
      return;
    }

  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      tn_token_store_fall_back (self, error);
    }

  /* Not in the keyring: a token saved while no Secret Service ran may
   * still be in the file. */
  g_task_run_in_thread (task, file_lookup_thread);
}

/**
 * tn_token_store_lookup_async:
 * @self: a #TnTokenStore
 * @server: the server's URL
 * @email: the account's e-mail address
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Looks up the token kept for @email on @server.
 */
void
tn_token_store_lookup_async (TnTokenStore        *self,
                             const char          *server,
                             const char          *email,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TN_IS_TOKEN_STORE (self));
  g_return_if_fail (server != NULL && email != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tn_token_store_lookup_async);
  g_task_set_task_data (task, request_new (server, email, NULL), request_free);

  if (self->uses_file)
    {
      g_task_run_in_thread (task, file_lookup_thread);
      return;
    }

  secret_password_lookup (tn_token_store_get_schema (), cancellable,
                          tn_token_store_lookup_secret_cb, g_steal_pointer (&task),
                          "server", server,
                          "email", email,
                          NULL);
}

/**
 * tn_token_store_lookup_finish:
 * @self: a #TnTokenStore
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the token, or %NULL (without an
 *   error) if none is kept
 */
char *
tn_token_store_lookup_finish (TnTokenStore  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
tn_token_store_save_secret_cb (GObject      *source,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TnTokenStore *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (secret_password_store_finish (result, &error))
    {
      /* In the keyring now: no plain copy may stay behind in the file. */
      g_task_run_in_thread (task, file_clear_thread);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  tn_token_store_fall_back (self, error);
  g_task_run_in_thread (task, file_save_thread);
}

/**
 * tn_token_store_save_async:
 * @self: a #TnTokenStore
 * @server: the server's URL
 * @email: the account's e-mail address
 * @token: the bearer token to keep
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Keeps @token for @email on @server, replacing any earlier one.
 */
void
tn_token_store_save_async (TnTokenStore        *self,
                           const char          *server,
                           const char          *email,
                           const char          *token,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (TN_IS_TOKEN_STORE (self));
  g_return_if_fail (server != NULL && email != NULL && token != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tn_token_store_save_async);
  g_task_set_task_data (task, request_new (server, email, token), request_free);

  if (self->uses_file)
    {
      g_task_run_in_thread (task, file_save_thread);
      return;
    }

  /* Translators: the label of the keyring item holding a sign-in token:
   * the e-mail address, then the server's address */
  label = g_strdup_printf (_("Turnout sign-in of %s at %s"), email, server);
  secret_password_store (tn_token_store_get_schema (), SECRET_COLLECTION_DEFAULT,
                         label, token, cancellable,
                         tn_token_store_save_secret_cb, g_steal_pointer (&task),
                         "server", server,
                         "email", email,
                         NULL);
}

gboolean
tn_token_store_save_finish (TnTokenStore  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
tn_token_store_clear_secret_cb (GObject      *source,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TnTokenStore *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!secret_password_clear_finish (result, &error) && error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      tn_token_store_fall_back (self, error);
    }

  g_task_run_in_thread (task, file_clear_thread);
}

/**
 * tn_token_store_clear_async:
 * @self: a #TnTokenStore
 * @server: the server's URL
 * @email: the account's e-mail address
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Forgets the token of @email on @server, in the keyring and in the file.
 */
void
tn_token_store_clear_async (TnTokenStore        *self,
                            const char          *server,
                            const char          *email,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TN_IS_TOKEN_STORE (self));
  g_return_if_fail (server != NULL && email != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tn_token_store_clear_async);
  g_task_set_task_data (task, request_new (server, email, NULL), request_free);

  if (self->uses_file)
    {
      g_task_run_in_thread (task, file_clear_thread);
      return;
    }

  secret_password_clear (tn_token_store_get_schema (), cancellable,
                         tn_token_store_clear_secret_cb, g_steal_pointer (&task),
                         "server", server,
                         "email", email,
                         NULL);
}

gboolean
tn_token_store_clear_finish (TnTokenStore  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
