/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "tn-error.h"
#include "tn-event.h"
#include "tn-json.h"
#include "tn-time.h"

struct _TnEvent
{
  GObject parent_instance;

  char          *id;
  char          *title;
  char          *description;
  gint64         starts_at;
  gint64         ends_at;
  char          *location;
  double         lat;
  double         lon;
  gint64         capacity;     /* -1: no limit */
  char          *category;
  GStrv          tags;
  TnVisibility   visibility;
  gboolean       waitlist;
  double         price;
  char          *currency;
  TnEventStatus  status;
  char          *organizer;
  gint64         version;
  gint64         created_at;
  gint64         updated_at;
  guint          has_coordinates : 1;
  guint          has_price : 1;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_DESCRIPTION,
  PROP_LOCATION,
  PROP_CATEGORY,
  PROP_STARTS_AT,
  PROP_ENDS_AT,
  PROP_CAPACITY,
  PROP_CANCELLED,
  PROP_VERSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TnEvent, tn_event, G_TYPE_OBJECT)

/* The active ISO 4217 codes (list one of the standard, 2024). */
static const char iso4217[] =
  "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND "
  "BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU "
  "CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS "
  "GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY "
  "KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA "
  "MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD "
  "OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK "
  "SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD "
  "TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG XAU "
  "XBA XBB XBC XBD XCD XCG XDR XOF XPD XPF XPT XSU XUA YER ZAR ZMW ZWG ZWL";

/**
 * tn_currency_is_valid:
 * @code: (nullable): a currency code
 *
 * Returns: %TRUE if @code is an active ISO 4217 alphabetic code
 */
gboolean
tn_currency_is_valid (const char *code)
{
  if (code == NULL || strlen (code) != 3)
    return FALSE;
  for (int i = 0; i < 3; i++)
    if (code[i] < 'A' || code[i] > 'Z')
      return FALSE;
  for (gsize i = 0; i + 3 < sizeof iso4217; i += 4)
    if (strncmp (iso4217 + i, code, 3) == 0)
      return TRUE;
  return FALSE;
}

static const char *visibility_names[] = { "public", "unlisted", "private" };
static const char *status_names[] = { "scheduled", "cancelled" };

const char *
tn_visibility_to_string (TnVisibility visibility)
{
  g_return_val_if_fail (visibility <= TN_VISIBILITY_PRIVATE, "private");
  return visibility_names[visibility];
}

gboolean
tn_visibility_from_string (const char   *text,
                           TnVisibility *out)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (visibility_names); i++)
    if (g_str_equal (text, visibility_names[i]))
      {
        *out = (TnVisibility) i;
        return TRUE;
      }
  return FALSE;
}

const char *
tn_event_status_to_string (TnEventStatus status)
{
  g_return_val_if_fail (status <= TN_EVENT_STATUS_CANCELLED, "scheduled");
  return status_names[status];
}

gboolean
tn_event_status_from_string (const char    *text,
                             TnEventStatus *out)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (status_names); i++)
    if (g_str_equal (text, status_names[i]))
      {
        *out = (TnEventStatus) i;
        return TRUE;
      }
  return FALSE;
}

static void
tn_event_finalize (GObject *object)
{
  TnEvent *self = (TnEvent *) object;

  g_free (self->id);
  g_free (self->title);
  g_free (self->description);
  g_free (self->location);
  g_free (self->category);
  g_strfreev (self->tags);
  g_free (self->currency);
  g_free (self->organizer);

  G_OBJECT_CLASS (tn_event_parent_class)->finalize (object);
}

static void
tn_event_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  TnEvent *self = TN_EVENT (object);

  switch (prop_id)
    {
    case PROP_ID:          g_value_set_string (value, self->id); break;
    case PROP_TITLE:       g_value_set_string (value, self->title); break;
    case PROP_DESCRIPTION: g_value_set_string (value, self->description); break;
    case PROP_LOCATION:    g_value_set_string (value, self->location); break;
    case PROP_CATEGORY:    g_value_set_string (value, self->category); break;
    case PROP_STARTS_AT:   g_value_set_int64 (value, self->starts_at); break;
    case PROP_ENDS_AT:     g_value_set_int64 (value, self->ends_at); break;
    case PROP_CAPACITY:    g_value_set_int64 (value, self->capacity); break;
    case PROP_CANCELLED:   g_value_set_boolean (value, self->status == TN_EVENT_STATUS_CANCELLED); break;
    case PROP_VERSION:     g_value_set_int64 (value, self->version); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tn_event_class_init (TnEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = tn_event_finalize;
  object_class->get_property = tn_event_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, flags);
  properties[PROP_LOCATION] = g_param_spec_string ("location", NULL, NULL, NULL, flags);
  properties[PROP_CATEGORY] = g_param_spec_string ("category", NULL, NULL, NULL, flags);
  properties[PROP_STARTS_AT] = g_param_spec_int64 ("starts-at", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_ENDS_AT] = g_param_spec_int64 ("ends-at", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_CAPACITY] = g_param_spec_int64 ("capacity", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_CANCELLED] = g_param_spec_boolean ("cancelled", NULL, NULL, FALSE, flags);
  properties[PROP_VERSION] = g_param_spec_int64 ("version", NULL, NULL, 0, G_MAXINT64, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tn_event_init (TnEvent *self)
{
  self->title = g_strdup ("");
  self->description = g_strdup ("");
  self->location = g_strdup ("");
  self->category = g_strdup ("");
  self->tags = g_new0 (char *, 1);
  self->capacity = -1;
  self->visibility = TN_VISIBILITY_PUBLIC;
}

/**
 * tn_event_new:
 *
 * Returns: (transfer full): an empty, public, scheduled event with no id
 */
TnEvent *
tn_event_new (void)
{
  return g_object_new (TN_TYPE_EVENT, NULL);
}

/**
 * tn_event_copy:
 * @self: a #TnEvent
 *
 * Returns: (transfer full): a deep copy of @self
 */
TnEvent *
tn_event_copy (TnEvent *self)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (TN_IS_EVENT (self), NULL);

  node = tn_event_to_json (self, TN_EVENT_JSON_STORED);
  return tn_event_new_from_json (json_node_get_object (node), TN_EVENT_JSON_STORED, NULL, NULL);
}

/* --- JSON ---------------------------------------------------------------- */

typedef enum
{
  FIELD_WRITABLE = 1 << 0,
  FIELD_REQUIRED = 1 << 1,   /* on create */
  FIELD_NULLABLE = 1 << 2,
} FieldFlags;

static const struct {
  const char *name;
  FieldFlags  flags;
} event_fields[] = {
  { "id",          FIELD_WRITABLE },  /* clients may choose it on create */
  { "title",       FIELD_WRITABLE | FIELD_REQUIRED },
  { "description", FIELD_WRITABLE | FIELD_NULLABLE },
  { "starts_at",   FIELD_WRITABLE | FIELD_REQUIRED },
  { "ends_at",     FIELD_WRITABLE | FIELD_REQUIRED },
  { "location",    FIELD_WRITABLE | FIELD_NULLABLE },
  { "lat",         FIELD_WRITABLE | FIELD_NULLABLE },
  { "lon",         FIELD_WRITABLE | FIELD_NULLABLE },
  { "capacity",    FIELD_WRITABLE | FIELD_NULLABLE },
  { "category",    FIELD_WRITABLE | FIELD_NULLABLE },
  { "tags",        FIELD_WRITABLE | FIELD_NULLABLE },
  { "visibility",  FIELD_WRITABLE },
  { "waitlist",    FIELD_WRITABLE },
  { "price",       FIELD_WRITABLE | FIELD_NULLABLE },
  { "currency",    FIELD_WRITABLE | FIELD_NULLABLE },
  { "status",      0 },
  { "organizer",   0 },
  { "version",     0 },
  { "created_at",  0 },
  { "updated_at",  0 },
};

static void
add_detail (JsonObject *details,
            GError    **first,
            const char *field,
            const char *message)
{
  if (details != NULL && !json_object_has_member (details, field))
    json_object_set_string_member (details, field, message);
  if (first != NULL && *first == NULL)
    *first = g_error_new (TN_ERROR, TN_ERROR_VALIDATION_FAILED, "%s: %s", field, message);
}

static gboolean
read_string (JsonObject  *object,
             const char  *name,
             gboolean     nullable,
             char       **out,
             JsonObject  *details,
             GError     **first)
{
  JsonNode *node = json_object_get_member (object, name);
  const char *value;

  if (JSON_NODE_HOLDS_NULL (node) && nullable)
    {
      g_free (*out);
      *out = g_strdup ("");
      return TRUE;
    }
  if (!tn_json_node_is_string (node))
    {
      add_detail (details, first, name, _("must be a string"));
      return FALSE;
    }
  value = json_node_get_string (node);
  if (!g_utf8_validate (value, -1, NULL))
    {
      add_detail (details, first, name, _("must be valid UTF-8"));
      return FALSE;
    }
  g_free (*out);
  *out = g_strdup (value);
  return TRUE;
}

static gboolean
read_time (JsonObject *object,
           const char *name,
           gint64     *out,
           JsonObject *details,
           GError    **first)
{
  JsonNode *node = json_object_get_member (object, name);

  if (!tn_json_node_is_string (node) || !tn_time_parse (json_node_get_string (node), out, NULL))
    {
      add_detail (details, first, name,
                  _("must be an RFC 3339 date and time with a time zone, such as 2026-11-22T18:00:00Z"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_number (JsonObject *object,
             const char *name,
             double     *out,
             JsonObject *details,
             GError    **first)
{
  JsonNode *node = json_object_get_member (object, name);

  if (!tn_json_node_is_number (node))
    {
      add_detail (details, first, name, _("must be a number"));
      return FALSE;
    }
  *out = json_node_get_double (node);
  if (!isfinite (*out))
    {
      add_detail (details, first, name, _("must be a finite number"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_integer (JsonObject *object,
              const char *name,
              gint64     *out,
              JsonObject *details,
              GError    **first)
{
  JsonNode *node = json_object_get_member (object, name);

  if (!tn_json_node_is_integer (node))
    {
      add_detail (details, first, name, _("must be a whole number"));
      return FALSE;
    }
  *out = json_node_get_int (node);
  return TRUE;
}

/**
 * tn_event_apply_json:
 * @self: a #TnEvent
 * @object: a JSON object
 * @mode: what @object is
 * @details: (nullable): an object that receives one message per wrong field
 * @error: return location for a %TN_ERROR_VALIDATION_FAILED error
 *
 * Sets the fields of @self from @object. Unknown fields, read-only fields
 * in a request, missing required fields on create and values of the wrong
 * type are errors. Only types are checked here: call tn_event_validate()
 * for the rules that span fields. On error @self may be partly changed;
 * apply to a copy when that matters.
 *
 * Returns: %TRUE if every field was read
 */
gboolean
tn_event_apply_json (TnEvent          *self,
                     JsonObject       *object,
                     TnEventJsonMode   mode,
                     JsonObject       *details,
                     GError          **error)
{
  g_autoptr(GError) first = NULL;
  g_autoptr(GList) members = NULL;
  gboolean has_lat, has_lon;

  g_return_val_if_fail (TN_IS_EVENT (self), FALSE);
  g_return_val_if_fail (object != NULL, FALSE);

  members = json_object_get_members (object);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      guint i;

      for (i = 0; i < G_N_ELEMENTS (event_fields); i++)
        if (g_str_equal (event_fields[i].name, name))
          break;

      if (i == G_N_ELEMENTS (event_fields))
        {
          /* A server may add fields later; an old client must still read them. */
          if (mode != TN_EVENT_JSON_STORED)
            add_detail (details, &first, name, _("is not a field of an event"));
          continue;
        }
      if (mode != TN_EVENT_JSON_STORED && !(event_fields[i].flags & FIELD_WRITABLE))
        add_detail (details, &first, name, _("is read-only"));
      else if (mode == TN_EVENT_JSON_PATCH && g_str_equal (name, "id"))
        add_detail (details, &first, name, _("cannot be changed"));
    }

  if (mode == TN_EVENT_JSON_CREATE)
    for (guint i = 0; i < G_N_ELEMENTS (event_fields); i++)
      if ((event_fields[i].flags & FIELD_REQUIRED) &&
          !json_object_has_member (object, event_fields[i].name))
        add_detail (details, &first, event_fields[i].name, _("is required"));

#define HAS(name) json_object_has_member (object, name)
#define IS_NULL(name) (JSON_NODE_HOLDS_NULL (json_object_get_member (object, name)))

  if (HAS ("id"))
    {
      JsonNode *node = json_object_get_member (object, "id");

      if (!tn_json_node_is_string (node) || !g_uuid_string_is_valid (json_node_get_string (node)))
        add_detail (details, &first, "id", _("must be a UUID"));
      else
        {
          g_free (self->id);
          self->id = g_ascii_strdown (json_node_get_string (node), -1);
        }
    }
  if (HAS ("title"))
    read_string (object, "title", FALSE, &self->title, details, &first);
  if (HAS ("description"))
    read_string (object, "description", TRUE, &self->description, details, &first);
  if (HAS ("location"))
    read_string (object, "location", TRUE, &self->location, details, &first);
  if (HAS ("category"))
    read_string (object, "category", TRUE, &self->category, details, &first);
  if (HAS ("starts_at"))
    read_time (object, "starts_at", &self->starts_at, details, &first);
  if (HAS ("ends_at"))
    read_time (object, "ends_at", &self->ends_at, details, &first);

  has_lat = HAS ("lat");
  has_lon = HAS ("lon");
  if (has_lat || has_lon)
    {
      if (has_lat != has_lon || IS_NULL (has_lat ? "lat" : "lon") != IS_NULL (has_lon ? "lon" : "lat"))
        add_detail (details, &first, has_lat ? "lon" : "lat",
                    _("lat and lon must be given together"));
      else if (IS_NULL ("lat"))
        self->has_coordinates = FALSE;
      else if (read_number (object, "lat", &self->lat, details, &first) &&
               read_number (object, "lon", &self->lon, details, &first))
        self->has_coordinates = TRUE;
    }

  if (HAS ("capacity"))
    {
      gint64 capacity;

      /* Internally -1 means "no limit"; in JSON that is null, never -1. */
      if (IS_NULL ("capacity"))
        self->capacity = -1;
      else if (read_integer (object, "capacity", &capacity, details, &first))
        {
          if (capacity < 0)
            add_detail (details, &first, "capacity", _("must not be negative"));
          else
            self->capacity = capacity;
        }
    }

  if (HAS ("tags"))
    {
      JsonNode *node = json_object_get_member (object, "tags");

      if (JSON_NODE_HOLDS_NULL (node))
        {
          g_strfreev (self->tags);
          self->tags = g_new0 (char *, 1);
        }
      else if (!JSON_NODE_HOLDS_ARRAY (node))
        add_detail (details, &first, "tags", _("must be an array of strings"));
      else
        {
          JsonArray *array = json_node_get_array (node);
          guint n = json_array_get_length (array);
          g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
          gboolean ok = TRUE;

          for (guint i = 0; i < n && ok; i++)
            {
              JsonNode *element = json_array_get_element (array, i);

              if (!tn_json_node_is_string (element) ||
                  !g_utf8_validate (json_node_get_string (element), -1, NULL))
                ok = FALSE;
              else
                g_strv_builder_add (builder, json_node_get_string (element));
            }
          if (!ok)
            add_detail (details, &first, "tags", _("must be an array of strings"));
          else
            {
              g_strfreev (self->tags);
              self->tags = g_strv_builder_end (builder);
            }
        }
    }

  if (HAS ("visibility"))
    {
      JsonNode *node = json_object_get_member (object, "visibility");

      if (!tn_json_node_is_string (node) ||
          !tn_visibility_from_string (json_node_get_string (node), &self->visibility))
        add_detail (details, &first, "visibility", _("must be public, unlisted or private"));
    }

  if (HAS ("waitlist"))
    {
      JsonNode *node = json_object_get_member (object, "waitlist");

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        add_detail (details, &first, "waitlist", _("must be true or false"));
      else
        self->waitlist = json_node_get_boolean (node);
    }

  if (HAS ("price"))
    {
      if (IS_NULL ("price"))
        self->has_price = FALSE;
      else if (read_number (object, "price", &self->price, details, &first))
        self->has_price = TRUE;
    }
  if (HAS ("currency"))
    read_string (object, "currency", TRUE, &self->currency, details, &first);

  if (mode == TN_EVENT_JSON_STORED)
    {
      if (HAS ("status"))
        {
          JsonNode *node = json_object_get_member (object, "status");

          if (!tn_json_node_is_string (node) ||
              !tn_event_status_from_string (json_node_get_string (node), &self->status))
            add_detail (details, &first, "status", _("must be scheduled or cancelled"));
        }
      if (HAS ("organizer"))
        read_string (object, "organizer", TRUE, &self->organizer, details, &first);
      if (HAS ("version"))
        read_integer (object, "version", &self->version, details, &first);
      if (HAS ("created_at"))
        read_time (object, "created_at", &self->created_at, details, &first);
      if (HAS ("updated_at"))
        read_time (object, "updated_at", &self->updated_at, details, &first);
    }

#undef HAS
#undef IS_NULL

  if (first != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&first));
      return FALSE;
    }
  return TRUE;
}

/**
 * tn_event_new_from_json:
 * @object: a JSON object
 * @mode: what @object is
 * @details: (nullable): receives one message per wrong field
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the event, or %NULL on error
 */
TnEvent *
tn_event_new_from_json (JsonObject       *object,
                        TnEventJsonMode   mode,
                        JsonObject       *details,
                        GError          **error)
{
  g_autoptr(TnEvent) self = tn_event_new ();

  g_return_val_if_fail (object != NULL, NULL);

  if (!tn_event_apply_json (self, object, mode, details, error))
    return NULL;
  return g_steal_pointer (&self);
}

static void
append_json_double (GString *out,
                    double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_dtostr (buf, sizeof buf, value);
  g_string_append (out, buf);
  /* as json-glib writes it: a double stays a double when read back */
  if (strpbrk (buf, ".eE") == NULL)
    g_string_append (out, ".0");
}

static void
append_member (GString    *out,
               const char *name)
{
  if (out->len > 0 && out->str[out->len - 1] != '{')
    g_string_append_c (out, ',');
  g_string_append_c (out, '"');
  g_string_append (out, name);
  g_string_append (out, "\":");
}

static void
append_string_member (GString    *out,
                      const char *name,
                      const char *value)
{
  append_member (out, name);
  if (value != NULL)
    tn_json_append_string (out, value);
  else
    g_string_append (out, "null");
}

static void
append_time_member (GString    *out,
                    const char *name,
                    gint64      value)
{
  g_autofree char *text = tn_time_format (value);

  append_member (out, name);
  g_string_append_c (out, '"');
  g_string_append (out, text);
  g_string_append_c (out, '"');
}

/**
 * tn_event_append_json:
 * @self: a #TnEvent
 * @mode: as for tn_event_to_json()
 * @out: where to append the JSON object
 *
 * Writes @self as a JSON object straight as text, without building a
 * JSON tree first: what the server does for every answer, and what
 * tn_event_to_json() parses.
 */
void
tn_event_append_json (TnEvent         *self,
                      TnEventJsonMode  mode,
                      GString         *out)
{
  g_return_if_fail (TN_IS_EVENT (self));
  g_return_if_fail (out != NULL);

  g_string_append_c (out, '{');
  if (self->id != NULL && mode != TN_EVENT_JSON_PATCH)
    append_string_member (out, "id", self->id);
  append_string_member (out, "title", self->title);
  append_string_member (out, "description", self->description);
  append_time_member (out, "starts_at", self->starts_at);
  append_time_member (out, "ends_at", self->ends_at);
  append_string_member (out, "location", self->location);
  append_member (out, "lat");
  if (self->has_coordinates)
    append_json_double (out, self->lat);
  else
    g_string_append (out, "null");
  append_member (out, "lon");
  if (self->has_coordinates)
    append_json_double (out, self->lon);
  else
    g_string_append (out, "null");
  append_member (out, "capacity");
  if (self->capacity >= 0)
    g_string_append_printf (out, "%" G_GINT64_FORMAT, self->capacity);
  else
    g_string_append (out, "null");
  append_string_member (out, "category", self->category);
  append_member (out, "tags");
  g_string_append_c (out, '[');
  for (guint i = 0; self->tags[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      tn_json_append_string (out, self->tags[i]);
    }
  g_string_append_c (out, ']');
  append_string_member (out, "visibility", tn_visibility_to_string (self->visibility));
  append_member (out, "waitlist");
  g_string_append (out, self->waitlist ? "true" : "false");
  append_member (out, "price");
  if (self->has_price)
    append_json_double (out, self->price);
  else
    g_string_append (out, "null");
  append_string_member (out, "currency",
                        self->currency != NULL && self->currency[0] != '\0' ? self->currency : NULL);
  if (mode == TN_EVENT_JSON_STORED)
    {
      append_string_member (out, "status", tn_event_status_to_string (self->status));
      append_string_member (out, "organizer", self->organizer);
      append_member (out, "version");
      g_string_append_printf (out, "%" G_GINT64_FORMAT, self->version);
      append_time_member (out, "created_at", self->created_at);
      append_time_member (out, "updated_at", self->updated_at);
    }
  g_string_append_c (out, '}');
}

/**
 * tn_event_to_json:
 * @self: a #TnEvent
 * @mode: %TN_EVENT_JSON_STORED for every field, %TN_EVENT_JSON_CREATE for
 *   the writable ones, %TN_EVENT_JSON_PATCH for the writable ones but id
 *
 * Returns: (transfer full): a JSON object node; the same object that
 *   tn_event_append_json() writes, which is the one place that knows the
 *   fields
 */
JsonNode *
tn_event_to_json (TnEvent         *self,
                  TnEventJsonMode  mode)
{
  g_autoptr(GString) text = g_string_sized_new (1024);
  JsonNode *node;

  g_return_val_if_fail (TN_IS_EVENT (self), NULL);

  tn_event_append_json (self, mode, text);
  node = json_from_string (text->str, NULL);
  g_assert (node != NULL);
  return node;
}

static gboolean
has_control_characters (const char *text,
                        gboolean    allow_newlines)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (allow_newlines && (c == '\n' || c == '\t' || c == '\r'))
        continue;
      if (g_unichar_iscntrl (c))
        return TRUE;
    }
  return FALSE;
}

static void
check_text (JsonObject *details,
            GError    **first,
            const char *field,
            const char *value,
            glong       min,
            glong       max,
            gboolean    multiline)
{
  glong len;

  if (!g_utf8_validate (value, -1, NULL))
    {
      add_detail (details, first, field, _("must be valid UTF-8"));
      return;
    }
  len = g_utf8_strlen (value, -1);
  if (len < min || len > max)
    {
      g_autofree char *message = NULL;

      if (min > 0)
        message = g_strdup_printf (_("must be %ld to %ld characters long"), min, max);
      else
        message = g_strdup_printf (_("must be at most %ld characters long"), max);
      add_detail (details, first, field, message);
    }
  else if (has_control_characters (value, multiline))
    add_detail (details, first, field, _("must not contain control characters"));
}

/**
 * tn_event_validate:
 * @self: a #TnEvent
 * @details: (nullable): receives one message per wrong field
 * @error: return location for a %TN_ERROR_VALIDATION_FAILED error
 *
 * Checks the rules every event obeys, on the server and in the clients:
 * title of 1–200 characters, ends_at not before starts_at, coordinates in
 * range, capacity ≥ 0, at most 20 tags of 1–40 characters, an ISO 4217
 * currency with any price, valid UTF-8 everywhere.
 *
 * Returns: %TRUE if @self is valid
 */
gboolean
tn_event_validate (TnEvent    *self,
                   JsonObject *details,
                   GError    **error)
{
  g_autoptr(GError) first = NULL;
  g_autofree char *stripped = NULL;
  guint n_tags;

  g_return_val_if_fail (TN_IS_EVENT (self), FALSE);

  stripped = g_strstrip (g_strdup (self->title));
  if (stripped[0] == '\0')
    add_detail (details, &first, "title", _("must not be empty"));
  else
    check_text (details, &first, "title", self->title, 1, TN_EVENT_TITLE_MAX, FALSE);
  check_text (details, &first, "description", self->description, 0, TN_EVENT_DESCRIPTION_MAX, TRUE);
  check_text (details, &first, "location", self->location, 0, TN_EVENT_LOCATION_MAX, FALSE);
  check_text (details, &first, "category", self->category, 0, TN_EVENT_CATEGORY_MAX, FALSE);

  if (self->ends_at < self->starts_at)
    add_detail (details, &first, "ends_at", _("must not be before starts_at"));

  if (self->has_coordinates)
    {
      if (!(self->lat >= -90.0 && self->lat <= 90.0))
        add_detail (details, &first, "lat", _("must be between -90 and 90"));
      if (!(self->lon >= -180.0 && self->lon <= 180.0))
        add_detail (details, &first, "lon", _("must be between -180 and 180"));
    }

  if (self->capacity < -1 || self->capacity > TN_EVENT_CAPACITY_MAX)
    add_detail (details, &first, "capacity",
                self->capacity < -1 ? _("must not be negative") : _("is too large"));

  n_tags = g_strv_length (self->tags);
  if (n_tags > TN_EVENT_TAGS_MAX)
    add_detail (details, &first, "tags", _("must be at most 20 tags"));
  for (guint i = 0; i < n_tags; i++)
    {
      glong len;

      if (!g_utf8_validate (self->tags[i], -1, NULL))
        {
          add_detail (details, &first, "tags", _("must be valid UTF-8"));
          break;
        }
      len = g_utf8_strlen (self->tags[i], -1);
      if (len < 1 || len > TN_EVENT_TAG_MAX || has_control_characters (self->tags[i], FALSE))
        {
          add_detail (details, &first, "tags",
                      _("each tag must be 1 to 40 characters long, without control characters"));
          break;
        }
      for (guint j = 0; j < i; j++)
        if (g_str_equal (self->tags[i], self->tags[j]))
          {
            add_detail (details, &first, "tags", _("must not repeat a tag"));
            break;
          }
    }

  if (self->has_price)
    {
      if (!(self->price >= 0.0 && self->price <= TN_EVENT_PRICE_MAX))
        add_detail (details, &first, "price", _("must be between 0 and 1000000000"));
      if (!tn_currency_is_valid (self->currency))
        add_detail (details, &first, "currency",
                    _("must be an ISO 4217 currency code, such as EUR, when a price is given"));
    }
  else if (self->currency != NULL && self->currency[0] != '\0' && !tn_currency_is_valid (self->currency))
    add_detail (details, &first, "currency", _("must be an ISO 4217 currency code, such as EUR"));

  if (first != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&first));
      return FALSE;
    }
  return TRUE;
}

/* --- accessors ----------------------------------------------------------- */

static void
replace_string (TnEvent     *self,
                char       **field,
                const char  *value,
                int          prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value != NULL ? value : "");
  if (prop != PROP_0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
replace_int64 (TnEvent *self,
               gint64  *field,
               gint64   value,
               int      prop)
{
  if (*field == value)
    return;
  *field = value;
  if (prop != PROP_0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

const char *
tn_event_get_id (TnEvent *self)
{
  g_return_val_if_fail (TN_IS_EVENT (self), NULL);
  return self->id;
}

void
tn_event_set_id (TnEvent    *self,
                 const char *id)
{
  g_return_if_fail (TN_IS_EVENT (self));
  if (g_strcmp0 (self->id, id) == 0)
    return;
  g_free (self->id);
  self->id = g_strdup (id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

#define STRING_ACCESSORS(field, PROP)                                   \
  const char *                                                          \
  tn_event_get_##field (TnEvent *self)                                  \
  {                                                                     \
    g_return_val_if_fail (TN_IS_EVENT (self), NULL);                    \
    return self->field;                                                 \
  }                                                                     \
  void                                                                  \
  tn_event_set_##field (TnEvent    *self,                               \
                        const char *value)                              \
  {                                                                     \
    g_return_if_fail (TN_IS_EVENT (self));                              \
    replace_string (self, &self->field, value, PROP);                   \
  }

#define INT64_ACCESSORS(field, PROP)                                    \
  gint64                                                                \
  tn_event_get_##field (TnEvent *self)                                  \
  {                                                                     \
    g_return_val_if_fail (TN_IS_EVENT (self), 0);                       \
    return self->field;                                                 \
  }                                                                     \
  void                                                                  \
  tn_event_set_##field (TnEvent *self,                                  \
                        gint64   value)                                 \
  {                                                                     \
    g_return_if_fail (TN_IS_EVENT (self));                              \
    replace_int64 (self, &self->field, value, PROP);                    \
  }

STRING_ACCESSORS (title, PROP_TITLE)
STRING_ACCESSORS (description, PROP_DESCRIPTION)
STRING_ACCESSORS (location, PROP_LOCATION)
STRING_ACCESSORS (category, PROP_CATEGORY)
STRING_ACCESSORS (currency, PROP_0)
STRING_ACCESSORS (organizer, PROP_0)
INT64_ACCESSORS (starts_at, PROP_STARTS_AT)
INT64_ACCESSORS (ends_at, PROP_ENDS_AT)
INT64_ACCESSORS (capacity, PROP_CAPACITY)
INT64_ACCESSORS (version, PROP_VERSION)
INT64_ACCESSORS (created_at, PROP_0)
INT64_ACCESSORS (updated_at, PROP_0)

gboolean
tn_event_get_coordinates (TnEvent *self,
                          double  *lat,
                          double  *lon)
{
  g_return_val_if_fail (TN_IS_EVENT (self), FALSE);
  if (lat != NULL)
    *lat = self->has_coordinates ? self->lat : 0.0;
  if (lon != NULL)
    *lon = self->has_coordinates ? self->lon : 0.0;
  return self->has_coordinates;
}

void
tn_event_set_coordinates (TnEvent *self,
                          double   lat,
                          double   lon)
{
  g_return_if_fail (TN_IS_EVENT (self));
  self->lat = lat;
  self->lon = lon;
  self->has_coordinates = TRUE;
}

void
tn_event_clear_coordinates (TnEvent *self)
{
  g_return_if_fail (TN_IS_EVENT (self));
  self->has_coordinates = FALSE;
}

const char * const *
tn_event_get_tags (TnEvent *self)
{
  g_return_val_if_fail (TN_IS_EVENT (self), NULL);
  return (const char * const *) self->tags;
}

void
tn_event_set_tags (TnEvent            *self,
                   const char * const *tags)
{
  g_return_if_fail (TN_IS_EVENT (self));
  g_strfreev (self->tags);
  self->tags = tags != NULL ? g_strdupv ((char **) tags) : g_new0 (char *, 1);
}

TnVisibility
tn_event_get_visibility (TnEvent *self)
{
  g_return_val_if_fail (TN_IS_EVENT (self), TN_VISIBILITY_PRIVATE);
  return self->visibility;
}

void
tn_event_set_visibility (TnEvent      *self,
                         TnVisibility  visibility)
{
  g_return_if_fail (TN_IS_EVENT (self));
  self->visibility = visibility;
}

gboolean
tn_event_get_waitlist (TnEvent *self)
{
  g_return_val_if_fail (TN_IS_EVENT (self), FALSE);
  return self->waitlist;
}

void
tn_event_set_waitlist (TnEvent  *self,
                       gboolean  waitlist)
{
  g_return_if_fail (TN_IS_EVENT (self));
  self->waitlist = !!waitlist;
}

gboolean
tn_event_get_price (TnEvent *self,
                    double  *price)
{
  g_return_val_if_fail (TN_IS_EVENT (self), FALSE);
  if (price != NULL)
    *price = self->has_price ? self->price : 0.0;
  return self->has_price;
}

void
tn_event_set_price (TnEvent *self,
                    double   price)
{
  g_return_if_fail (TN_IS_EVENT (self));
  self->price = price;
  self->has_price = TRUE;
}

void
tn_event_clear_price (TnEvent *self)
{
  g_return_if_fail (TN_IS_EVENT (self));
  self->has_price = FALSE;
}

TnEventStatus
tn_event_get_status (TnEvent *self)
{
  g_return_val_if_fail (TN_IS_EVENT (self), TN_EVENT_STATUS_SCHEDULED);
  return self->status;
}

void
tn_event_set_status (TnEvent       *self,
                     TnEventStatus  status)
{
  g_return_if_fail (TN_IS_EVENT (self));
  if (self->status == status)
    return;
  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CANCELLED]);
}
