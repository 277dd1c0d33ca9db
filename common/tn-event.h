/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TN_EVENT_TITLE_MAX        200
#define TN_EVENT_DESCRIPTION_MAX  20000
#define TN_EVENT_LOCATION_MAX     300
#define TN_EVENT_CATEGORY_MAX     60
#define TN_EVENT_TAGS_MAX         20
#define TN_EVENT_TAG_MAX          40
#define TN_EVENT_CAPACITY_MAX     1000000
#define TN_EVENT_PRICE_MAX        1000000000.0

typedef enum
{
  TN_VISIBILITY_PUBLIC,
  TN_VISIBILITY_UNLISTED,
  TN_VISIBILITY_PRIVATE,
} TnVisibility;

typedef enum
{
  TN_EVENT_STATUS_SCHEDULED,
  TN_EVENT_STATUS_CANCELLED,
} TnEventStatus;

/**
 * TnEventJsonMode:
 * @TN_EVENT_JSON_CREATE: a create request: every writable field may be
 *   present, required ones must be, read-only ones must not be
 * @TN_EVENT_JSON_PATCH: an update request: only the fields present change;
 *   read-only fields must not be present
 * @TN_EVENT_JSON_STORED: an event as the server answers it, read-only
 *   fields included
 */
typedef enum
{
  TN_EVENT_JSON_CREATE,
  TN_EVENT_JSON_PATCH,
  TN_EVENT_JSON_STORED,
} TnEventJsonMode;

#define TN_TYPE_EVENT (tn_event_get_type ())
G_DECLARE_FINAL_TYPE (TnEvent, tn_event, TN, EVENT, GObject)

TnEvent       *tn_event_new               (void);
TnEvent       *tn_event_copy              (TnEvent          *self);
TnEvent       *tn_event_new_from_json     (JsonObject       *object,
                                           TnEventJsonMode   mode,
                                           JsonObject       *details,
                                           GError          **error);
gboolean       tn_event_apply_json        (TnEvent          *self,
                                           JsonObject       *object,
                                           TnEventJsonMode   mode,
                                           JsonObject       *details,
                                           GError          **error);
JsonNode      *tn_event_to_json           (TnEvent          *self,
                                           TnEventJsonMode   mode);
void           tn_event_append_json       (TnEvent          *self,
                                           TnEventJsonMode   mode,
                                           GString          *out);
gboolean       tn_event_validate          (TnEvent          *self,
                                           JsonObject       *details,
                                           GError          **error);

const char    *tn_event_get_id            (TnEvent          *self);
void           tn_event_set_id            (TnEvent          *self,
                                           const char       *id);
const char    *tn_event_get_title         (TnEvent          *self);
void           tn_event_set_title         (TnEvent          *self,
                                           const char       *title);
const char    *tn_event_get_description   (TnEvent          *self);
void           tn_event_set_description   (TnEvent          *self,
                                           const char       *description);
gint64         tn_event_get_starts_at     (TnEvent          *self);
void           tn_event_set_starts_at     (TnEvent          *self,
                                           gint64            starts_at);
gint64         tn_event_get_ends_at       (TnEvent          *self);
void           tn_event_set_ends_at       (TnEvent          *self,
                                           gint64            ends_at);
const char    *tn_event_get_location      (TnEvent          *self);
void           tn_event_set_location      (TnEvent          *self,
                                           const char       *location);
gboolean       tn_event_get_coordinates   (TnEvent          *self,
                                           double           *lat,
                                           double           *lon);
void           tn_event_set_coordinates   (TnEvent          *self,
                                           double            lat,
                                           double            lon);
void           tn_event_clear_coordinates (TnEvent          *self);
gint64         tn_event_get_capacity      (TnEvent          *self);
void           tn_event_set_capacity      (TnEvent          *self,
                                           gint64            capacity);
const char    *tn_event_get_category      (TnEvent          *self);
void           tn_event_set_category      (TnEvent          *self,
                                           const char       *category);
const char * const *tn_event_get_tags     (TnEvent          *self);
void           tn_event_set_tags          (TnEvent          *self,
                                           const char * const *tags);
TnVisibility   tn_event_get_visibility    (TnEvent          *self);
void           tn_event_set_visibility    (TnEvent          *self,
                                           TnVisibility      visibility);
gboolean       tn_event_get_waitlist      (TnEvent          *self);
void           tn_event_set_waitlist      (TnEvent          *self,
                                           gboolean          waitlist);
gboolean       tn_event_get_price         (TnEvent          *self,
                                           double           *price);
void           tn_event_set_price         (TnEvent          *self,
                                           double            price);
void           tn_event_clear_price       (TnEvent          *self);
const char    *tn_event_get_currency      (TnEvent          *self);
void           tn_event_set_currency      (TnEvent          *self,
                                           const char       *currency);
TnEventStatus  tn_event_get_status        (TnEvent          *self);
void           tn_event_set_status        (TnEvent          *self,
                                           TnEventStatus     status);
const char    *tn_event_get_organizer     (TnEvent          *self);
void           tn_event_set_organizer     (TnEvent          *self,
                                           const char       *organizer);
gint64         tn_event_get_version       (TnEvent          *self);
void           tn_event_set_version       (TnEvent          *self,
                                           gint64            version);
gint64         tn_event_get_created_at    (TnEvent          *self);
void           tn_event_set_created_at    (TnEvent          *self,
                                           gint64            created_at);
gint64         tn_event_get_updated_at    (TnEvent          *self);
void           tn_event_set_updated_at    (TnEvent          *self,
                                           gint64            updated_at);

const char    *tn_visibility_to_string    (TnVisibility      visibility);
gboolean       tn_visibility_from_string  (const char       *text,
                                           TnVisibility     *out);
const char    *tn_event_status_to_string  (TnEventStatus     status);
gboolean       tn_event_status_from_string(const char       *text,
                                           TnEventStatus    *out);
gboolean       tn_currency_is_valid       (const char       *code);

G_END_DECLS
