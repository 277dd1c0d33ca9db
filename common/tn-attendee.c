/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "tn-attendee.h"
#include "tn-error.h"
#include "tn-json.h"
#include "tn-time.h"

struct _TnAttendee
{
  GObject parent_instance;

  char         *id;
  char         *event_id;
  char         *user_id;      /* NULL: a guest without an account */
  char         *name;
  char         *email;
  TnRsvpStatus  status;
  guint         waitlist_position;   /* 1-based; 0 unless waitlisted */
  char         *ticket_code;  /* NULL unless going */
  char         *signed_ticket; /* the QR form of ticket_code; NULL when none was made */
  char         *ticket_type;
  char         *note;
  gint64        created_at;
  gint64        updated_at;
  gint64        checked_in_at;   /* from attendee lists only */
  gboolean      inside;
};

G_DEFINE_FINAL_TYPE (TnAttendee, tn_attendee, G_TYPE_OBJECT)

static const char *status_names[] = { "going", "waitlisted", "interested", "maybe", "not_going" };

const char *
tn_rsvp_status_to_string (TnRsvpStatus status)
{
  g_return_val_if_fail (status <= TN_RSVP_NOT_GOING, "not_going");
  return status_names[status];
}

gboolean
tn_rsvp_status_from_string (const char   *text,
                            TnRsvpStatus *out)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (status_names); i++)
    if (g_str_equal (text, status_names[i]))
      {
        *out = (TnRsvpStatus) i;
        return TRUE;
      }
  return FALSE;
}

static void
tn_attendee_finalize (GObject *object)
{
  TnAttendee *self = (TnAttendee *) object;

  g_free (self->id);
  g_free (self->event_id);
  g_free (self->user_id);
  g_free (self->name);
  g_free (self->email);
  g_free (self->ticket_code);
  g_free (self->signed_ticket);
  g_free (self->ticket_type);
  g_free (self->note);

  G_OBJECT_CLASS (tn_attendee_parent_class)->finalize (object);
}

static void
tn_attendee_class_init (TnAttendeeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tn_attendee_finalize;
}

static void
tn_attendee_init (TnAttendee *self)
{
  self->name = g_strdup ("");
  self->email = g_strdup ("");
  self->ticket_type = g_strdup ("");
  self->note = g_strdup ("");
  self->status = TN_RSVP_NOT_GOING;
}

TnAttendee *
tn_attendee_new (void)
{
  return g_object_new (TN_TYPE_ATTENDEE, NULL);
}

/**
 * tn_attendee_to_json:
 * @self: a #TnAttendee
 *
 * Returns: (transfer full): the attendee as the API answers it;
 *   `waitlist_position`, `ticket_code` and `signed_ticket` are null when
 *   they do not apply
 */
JsonNode *
tn_attendee_to_json (TnAttendee *self)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autofree char *created = NULL;
  g_autofree char *updated = NULL;
  JsonNode *node;

  g_return_val_if_fail (TN_IS_ATTENDEE (self), NULL);

  created = tn_time_format (self->created_at);
  updated = tn_time_format (self->updated_at);
  json_object_set_string_member (object, "id", self->id);
  json_object_set_string_member (object, "event_id", self->event_id);
  if (self->user_id != NULL)
    json_object_set_string_member (object, "user_id", self->user_id);
  else
    json_object_set_null_member (object, "user_id");
  json_object_set_string_member (object, "name", self->name);
  json_object_set_string_member (object, "email", self->email);
  json_object_set_string_member (object, "status", tn_rsvp_status_to_string (self->status));
  if (self->status == TN_RSVP_WAITLISTED)
    json_object_set_int_member (object, "waitlist_position", self->waitlist_position);
  else
    json_object_set_null_member (object, "waitlist_position");
  if (self->ticket_code != NULL)
    json_object_set_string_member (object, "ticket_code", self->ticket_code);
  else
    json_object_set_null_member (object, "ticket_code");
  if (self->ticket_code != NULL && self->signed_ticket != NULL)
    json_object_set_string_member (object, "signed_ticket", self->signed_ticket);
  else
    json_object_set_null_member (object, "signed_ticket");
  json_object_set_string_member (object, "ticket_type", self->ticket_type);
  json_object_set_string_member (object, "note", self->note);
  json_object_set_string_member (object, "created_at", created);
  json_object_set_string_member (object, "updated_at", updated);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, object);
  return node;
}

/**
 * tn_attendee_new_from_json:
 * @object: an attendee as the server answers it
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the attendee
 */
TnAttendee *
tn_attendee_new_from_json (JsonObject  *object,
                           GError     **error)
{
  g_autoptr(TnAttendee) self = tn_attendee_new ();
  const char *id = tn_json_object_get_string (object, "id");
  const char *event_id = tn_json_object_get_string (object, "event_id");
  const char *created = tn_json_object_get_string (object, "created_at");
  const char *updated = tn_json_object_get_string (object, "updated_at");

  if (id == NULL || event_id == NULL ||
      !tn_rsvp_status_from_string (tn_json_object_get_string (object, "status"), &self->status) ||
      (created != NULL && !tn_time_parse (created, &self->created_at, NULL)) ||
      (updated != NULL && !tn_time_parse (updated, &self->updated_at, NULL)))
    {
      g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST, _("The server sent an RSVP that cannot be read"));
      return NULL;
    }
  self->id = g_strdup (id);
  self->event_id = g_strdup (event_id);
  self->user_id = g_strdup (tn_json_object_get_string (object, "user_id"));
  tn_attendee_set_name (self, tn_json_object_get_string (object, "name"));
  tn_attendee_set_email (self, tn_json_object_get_string (object, "email"));
  self->waitlist_position = (guint) CLAMP (tn_json_object_get_int (object, "waitlist_position", 0), 0, G_MAXUINT);
  self->ticket_code = g_strdup (tn_json_object_get_string (object, "ticket_code"));
  self->signed_ticket = g_strdup (tn_json_object_get_string (object, "signed_ticket"));
  tn_attendee_set_ticket_type (self, tn_json_object_get_string (object, "ticket_type"));
  tn_attendee_set_note (self, tn_json_object_get_string (object, "note"));
  /* attendee lists only */
  if (tn_json_object_get_string (object, "checked_in_at") != NULL)
    tn_time_parse (tn_json_object_get_string (object, "checked_in_at"), &self->checked_in_at, NULL);
  self->inside = json_object_get_boolean_member_with_default (object, "inside", FALSE);
  return g_steal_pointer (&self);
}

/**
 * tn_attendee_get_checked_in_at:
 *
 * Returns: when a door first let the attendee in, Unix seconds; 0 when
 *   never or not known (only attendee lists say)
 */
gint64
tn_attendee_get_checked_in_at (TnAttendee *self)
{
  g_return_val_if_fail (TN_IS_ATTENDEE (self), 0);
  return self->checked_in_at;
}

/**
 * tn_attendee_get_inside:
 *
 * Returns: whether the attendee is inside, as attendee lists say
 */
gboolean
tn_attendee_get_inside (TnAttendee *self)
{
  g_return_val_if_fail (TN_IS_ATTENDEE (self), FALSE);
  return self->inside;
}

#define STRING_ACCESSORS(field, nullable)                               \
  const char *                                                          \
  tn_attendee_get_##field (TnAttendee *self)                            \
  {                                                                     \
    g_return_val_if_fail (TN_IS_ATTENDEE (self), NULL);                 \
    return self->field;                                                 \
  }                                                                     \
  void                                                                  \
  tn_attendee_set_##field (TnAttendee *self,                            \
                           const char *value)                           \
  {                                                                     \
    g_return_if_fail (TN_IS_ATTENDEE (self));                           \
    g_free (self->field);                                               \
    self->field = g_strdup (value != NULL || nullable ? value : "");    \
  }

STRING_ACCESSORS (id, TRUE)
STRING_ACCESSORS (event_id, TRUE)
STRING_ACCESSORS (user_id, TRUE)
STRING_ACCESSORS (name, FALSE)
STRING_ACCESSORS (email, FALSE)
STRING_ACCESSORS (ticket_code, TRUE)
STRING_ACCESSORS (signed_ticket, TRUE)
STRING_ACCESSORS (ticket_type, FALSE)
STRING_ACCESSORS (note, FALSE)

TnRsvpStatus
tn_attendee_get_status (TnAttendee *self)
{
  g_return_val_if_fail (TN_IS_ATTENDEE (self), TN_RSVP_NOT_GOING);
  return self->status;
}

void
tn_attendee_set_status (TnAttendee   *self,
                        TnRsvpStatus  status)
{
  g_return_if_fail (TN_IS_ATTENDEE (self));
  self->status = status;
}

guint
tn_attendee_get_waitlist_position (TnAttendee *self)
{
  g_return_val_if_fail (TN_IS_ATTENDEE (self), 0);
  return self->waitlist_position;
}

void
tn_attendee_set_waitlist_position (TnAttendee *self,
                                   guint       position)
{
  g_return_if_fail (TN_IS_ATTENDEE (self));
  self->waitlist_position = position;
}

gint64
tn_attendee_get_created_at (TnAttendee *self)
{
  g_return_val_if_fail (TN_IS_ATTENDEE (self), 0);
  return self->created_at;
}

void
tn_attendee_set_created_at (TnAttendee *self,
                            gint64      created_at)
{
  g_return_if_fail (TN_IS_ATTENDEE (self));
  self->created_at = created_at;
}

gint64
tn_attendee_get_updated_at (TnAttendee *self)
{
  g_return_val_if_fail (TN_IS_ATTENDEE (self), 0);
  return self->updated_at;
}

void
tn_attendee_set_updated_at (TnAttendee *self,
                            gint64      updated_at)
{
  g_return_if_fail (TN_IS_ATTENDEE (self));
  self->updated_at = updated_at;
}
