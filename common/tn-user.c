/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tn-error.h"
#include "tn-json.h"
#include "tn-time.h"
#include "tn-user.h"

struct _TnUser
{
  GObject parent_instance;

  char   *id;
  char   *email;
  char   *name;
  TnRole  role;
  gint64  created_at;
};

G_DEFINE_FINAL_TYPE (TnUser, tn_user, G_TYPE_OBJECT)

static const char *role_names[] = { "member", "staff", "organizer", "admin" };

const char *
tn_role_to_string (TnRole role)
{
  g_return_val_if_fail (role <= TN_ROLE_ADMIN, "member");
  return role_names[role];
}

gboolean
tn_role_from_string (const char *text,
                     TnRole     *out)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (role_names); i++)
    if (g_str_equal (text, role_names[i]))
      {
        *out = (TnRole) i;
        return TRUE;
      }
  return FALSE;
}

/**
 * tn_email_is_valid:
 * @email: (nullable): an e-mail address
 *
 * A deliberately plain check (one @, a dot in the domain, no spaces or
 * control characters, at most 254 bytes): the only real test of an
 * address is mail reaching it.
 *
 * Returns: %TRUE if @email looks like an address
 */
gboolean
tn_email_is_valid (const char *email)
{
  const char *at;
  gsize len;

  if (email == NULL || (len = strlen (email)) < 3 || len > TN_USER_EMAIL_MAX ||
      !g_utf8_validate (email, -1, NULL))
    return FALSE;
  at = strchr (email, '@');
  if (at == NULL || at == email || strchr (at + 1, '@') != NULL ||
      strchr (at + 1, '.') == NULL || at[1] == '.' || email[len - 1] == '.')
    return FALSE;
  for (const char *p = email; *p; p++)
    if ((guchar) *p <= ' ' || *p == 0x7f)
      return FALSE;
  return TRUE;
}

static void
tn_user_finalize (GObject *object)
{
  TnUser *self = (TnUser *) object;

  g_free (self->id);
  g_free (self->email);
  g_free (self->name);

  G_OBJECT_CLASS (tn_user_parent_class)->finalize (object);
}

static void
tn_user_class_init (TnUserClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tn_user_finalize;
}

static void
tn_user_init (TnUser *self)
{
}

TnUser *
tn_user_new (const char *id,
             const char *email,
             const char *name,
             TnRole      role,
             gint64      created_at)
{
  TnUser *self = g_object_new (TN_TYPE_USER, NULL);

  self->id = g_strdup (id);
  self->email = g_strdup (email);
  self->name = g_strdup (name);
  self->role = role;
  self->created_at = created_at;
  return self;
}

/**
 * tn_user_new_from_json:
 * @object: a user as the server answers it
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the user
 */
TnUser *
tn_user_new_from_json (JsonObject  *object,
                       GError     **error)
{
  const char *id = tn_json_object_get_string (object, "id");
  const char *email = tn_json_object_get_string (object, "email");
  const char *name = tn_json_object_get_string (object, "name");
  const char *created = tn_json_object_get_string (object, "created_at");
  TnRole role;
  gint64 created_at = 0;

  if (id == NULL || email == NULL || name == NULL ||
      !tn_role_from_string (tn_json_object_get_string (object, "role"), &role) ||
      (created != NULL && !tn_time_parse (created, &created_at, NULL)))
    {
      g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST, _("The server sent a user that cannot be read"));
      return NULL;
    }
  return tn_user_new (id, email, name, role, created_at);
}

JsonNode *
tn_user_to_json (TnUser *self)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autofree char *created = NULL;
  JsonNode *node;

  g_return_val_if_fail (TN_IS_USER (self), NULL);

  created = tn_time_format (self->created_at);
  json_object_set_string_member (object, "id", self->id);
  json_object_set_string_member (object, "email", self->email);
  json_object_set_string_member (object, "name", self->name);
  json_object_set_string_member (object, "role", tn_role_to_string (self->role));
  json_object_set_string_member (object, "created_at", created);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, object);
  return node;
}

const char *
tn_user_get_id (TnUser *self)
{
  g_return_val_if_fail (TN_IS_USER (self), NULL);
  return self->id;
}

const char *
tn_user_get_email (TnUser *self)
{
  g_return_val_if_fail (TN_IS_USER (self), NULL);
  return self->email;
}

const char *
tn_user_get_name (TnUser *self)
{
  g_return_val_if_fail (TN_IS_USER (self), NULL);
  return self->name;
}

TnRole
tn_user_get_role (TnUser *self)
{
  g_return_val_if_fail (TN_IS_USER (self), TN_ROLE_MEMBER);
  return self->role;
}

gint64
tn_user_get_created_at (TnUser *self)
{
  g_return_val_if_fail (TN_IS_USER (self), 0);
  return self->created_at;
}
