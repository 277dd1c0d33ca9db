/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TN_USER_NAME_MAX      100
#define TN_USER_EMAIL_MAX     254
#define TN_USER_PASSWORD_MIN  8
#define TN_USER_PASSWORD_MAX  1024

typedef enum
{
  TN_ROLE_MEMBER,
  TN_ROLE_STAFF,
  TN_ROLE_ORGANIZER,
  TN_ROLE_ADMIN,
} TnRole;

#define TN_TYPE_USER (tn_user_get_type ())
G_DECLARE_FINAL_TYPE (TnUser, tn_user, TN, USER, GObject)

TnUser     *tn_user_new             (const char  *id,
                                     const char  *email,
                                     const char  *name,
                                     TnRole       role,
                                     gint64       created_at);
TnUser     *tn_user_new_from_json   (JsonObject  *object,
                                     GError     **error);
JsonNode   *tn_user_to_json         (TnUser      *self);
const char *tn_user_get_id          (TnUser      *self);
const char *tn_user_get_email       (TnUser      *self);
const char *tn_user_get_name        (TnUser      *self);
TnRole      tn_user_get_role        (TnUser      *self);
gint64      tn_user_get_created_at  (TnUser      *self);

#define TN_USER_INTERESTS_MAX 20

void                tn_user_set_profile     (TnUser             *self,
                                             double              home_lat,
                                             double              home_lon,
                                             const char * const *interests);
gboolean            tn_user_has_profile     (TnUser             *self);
gboolean            tn_user_get_home        (TnUser             *self,
                                             double             *out_lat,
                                             double             *out_lon);
const char * const *tn_user_get_interests   (TnUser             *self);

const char *tn_role_to_string       (TnRole      role);
gboolean    tn_role_from_string     (const char *text,
                                     TnRole     *out);
gboolean    tn_email_is_valid       (const char *email);

G_END_DECLS
