/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
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
  /* the recommendation profile, when the user was read with it */
  gboolean has_profile;
  double   home_lat;     /* NAN: no home */
  double   home_lon;
  char   **interests;
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
  g_strfreev (self->interests);

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
  self->home_lat = NAN;
  self->home_lon = NAN;
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
  TnUser *user;

  if (id == NULL || email == NULL || name == NULL ||
      !tn_role_from_string (tn_json_object_get_string (object, "role"), &role) ||
      (created != NULL && !tn_time_parse (created, &created_at, NULL)))
    {
      g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST, _("The server sent a user that cannot be read"));
      return NULL;
    }
  user = tn_user_new (id, email, name, role, created_at);
  if (json_object_has_member (object, "interests"))
    {
      JsonNode *lat = json_object_get_member (object, "home_lat");
      JsonNode *lon = json_object_get_member (object, "home_lon");
      JsonNode *list = json_object_get_member (object, "interests");
      JsonArray *array = JSON_NODE_HOLDS_ARRAY (list) ? json_node_get_array (list) : NULL;
      g_autoptr(GPtrArray) interests = g_ptr_array_new ();

      for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);

          if (tn_json_node_is_string (item))
            g_ptr_array_add (interests, (gpointer) json_node_get_string (item));
        }
      g_ptr_array_add (interests, NULL);
      tn_user_set_profile (user,
                           tn_json_node_is_number (lat) ? json_node_get_double (lat) : NAN,
                           tn_json_node_is_number (lon) ? json_node_get_double (lon) : NAN,
                           (const char * const *) interests->pdata);
    }
  return user;
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
  if (self->has_profile)
    {
      JsonArray *interests = json_array_new ();

      if (isnan (self->home_lat))
        {
          json_object_set_null_member (object, "home_lat");
          json_object_set_null_member (object, "home_lon");
        }
      else
        {
          json_object_set_double_member (object, "home_lat", self->home_lat);
          json_object_set_double_member (object, "home_lon", self->home_lon);
        }
      for (guint i = 0; self->interests[i] != NULL; i++)
        json_array_add_string_element (interests, self->interests[i]);
      json_object_set_array_member (object, "interests", interests);
    }
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

/**
 * tn_user_set_profile:
 * @home_lat: latitude of the user's home, or NAN for none
 * @home_lon: longitude, or NAN
 * @interests: (nullable) (array zero-terminated=1): category names
 *
 * Sets what recommendations start from. A user with a profile shows it
 * in tn_user_to_json() (`home_lat`, `home_lon`, `interests`), as
 * `GET /api/v1/me` does; others (lists, sign-in answers) do not.
 */
void
tn_user_set_profile (TnUser             *self,
                     double              home_lat,
                     double              home_lon,
                     const char * const *interests)
{
  g_return_if_fail (TN_IS_USER (self));

  self->has_profile = TRUE;
  if (isnan (home_lat) || isnan (home_lon))
    home_lat = home_lon = NAN;
  self->home_lat = home_lat;
  self->home_lon = home_lon;
  g_strfreev (self->interests);
  self->interests = interests != NULL ? g_strdupv ((char **) interests) : g_new0 (char *, 1);
}

gboolean
tn_user_has_profile (TnUser *self)
{
  g_return_val_if_fail (TN_IS_USER (self), FALSE);
  return self->has_profile;
}

/**
 * tn_user_get_home:
 * @out_lat: (out) (optional): latitude
 * @out_lon: (out) (optional): longitude
 *
 * Returns: %TRUE if the user gave a home location
 */
gboolean
tn_user_get_home (TnUser *self,
                  double *out_lat,
                  double *out_lon)
{
  g_return_val_if_fail (TN_IS_USER (self), FALSE);
  if (out_lat != NULL)
    *out_lat = self->home_lat;
  if (out_lon != NULL)
    *out_lon = self->home_lon;
  return !isnan (self->home_lat);
}

/**
 * tn_user_get_interests:
 *
 * Returns: (array zero-terminated=1) (transfer none): the category names
 *   the user chose; empty without a profile
 */
const char * const *
tn_user_get_interests (TnUser *self)
{
  static const char * const none[] = { NULL };

  g_return_val_if_fail (TN_IS_USER (self), none);
  return self->interests != NULL ? (const char * const *) self->interests : none;
}
