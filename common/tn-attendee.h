/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * TnRsvpStatus:
 * @TN_RSVP_GOING: has a seat (and a ticket)
 * @TN_RSVP_WAITLISTED: wants a seat; waits for one in order
 * @TN_RSVP_INTERESTED: interested, no seat
 * @TN_RSVP_MAYBE: might come, no seat
 * @TN_RSVP_NOT_GOING: will not come
 *
 * What an attendee answered. A member asks for `going`; the server
 * answers `going` or `waitlisted`.
 */
typedef enum
{
  TN_RSVP_GOING,
  TN_RSVP_WAITLISTED,
  TN_RSVP_INTERESTED,
  TN_RSVP_MAYBE,
  TN_RSVP_NOT_GOING,
} TnRsvpStatus;

const char *tn_rsvp_status_to_string   (TnRsvpStatus  status);
gboolean    tn_rsvp_status_from_string (const char   *text,
                                        TnRsvpStatus *out);

#define TN_TYPE_ATTENDEE (tn_attendee_get_type ())
G_DECLARE_FINAL_TYPE (TnAttendee, tn_attendee, TN, ATTENDEE, GObject)

TnAttendee   *tn_attendee_new                   (void);
JsonNode     *tn_attendee_to_json               (TnAttendee   *self);
TnAttendee   *tn_attendee_new_from_json         (JsonObject   *object,
                                                 GError      **error);

const char   *tn_attendee_get_id                (TnAttendee   *self);
void          tn_attendee_set_id                (TnAttendee   *self,
                                                 const char   *id);
const char   *tn_attendee_get_event_id          (TnAttendee   *self);
void          tn_attendee_set_event_id          (TnAttendee   *self,
                                                 const char   *event_id);
const char   *tn_attendee_get_user_id           (TnAttendee   *self);
void          tn_attendee_set_user_id           (TnAttendee   *self,
                                                 const char   *user_id);
const char   *tn_attendee_get_name              (TnAttendee   *self);
void          tn_attendee_set_name              (TnAttendee   *self,
                                                 const char   *name);
const char   *tn_attendee_get_email             (TnAttendee   *self);
void          tn_attendee_set_email             (TnAttendee   *self,
                                                 const char   *email);
TnRsvpStatus  tn_attendee_get_status            (TnAttendee   *self);
void          tn_attendee_set_status            (TnAttendee   *self,
                                                 TnRsvpStatus  status);
guint         tn_attendee_get_waitlist_position (TnAttendee   *self);
void          tn_attendee_set_waitlist_position (TnAttendee   *self,
                                                 guint         position);
const char   *tn_attendee_get_ticket_code       (TnAttendee   *self);
void          tn_attendee_set_ticket_code       (TnAttendee   *self,
                                                 const char   *code);
const char   *tn_attendee_get_signed_ticket     (TnAttendee   *self);
void          tn_attendee_set_signed_ticket     (TnAttendee   *self,
                                                 const char   *signed_ticket);
const char   *tn_attendee_get_ticket_type       (TnAttendee   *self);
void          tn_attendee_set_ticket_type       (TnAttendee   *self,
                                                 const char   *ticket_type);
const char   *tn_attendee_get_note              (TnAttendee   *self);
void          tn_attendee_set_note              (TnAttendee   *self,
                                                 const char   *note);
gint64        tn_attendee_get_checked_in_at     (TnAttendee   *self);
gboolean      tn_attendee_get_inside            (TnAttendee   *self);
gint64        tn_attendee_get_created_at        (TnAttendee   *self);
void          tn_attendee_set_created_at        (TnAttendee   *self,
                                                 gint64        created_at);
gint64        tn_attendee_get_updated_at        (TnAttendee   *self);
void          tn_attendee_set_updated_at        (TnAttendee   *self,
                                                 gint64        updated_at);

G_END_DECLS
