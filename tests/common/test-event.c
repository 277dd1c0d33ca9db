/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tn-error.h"
#include "tn-event.h"
#include "tn-json.h"
#include "tn-test-utils.h"
#include "tn-time.h"

static const char *full_event =
  "{\"id\":\"0b6a2f6e-2a8e-4a2c-9a55-3f6f5b8f1c11\",\"title\":\"Rust Night\","
  "\"description\":\"Talks\\nand pairing\",\"starts_at\":\"2026-11-22T18:00:00Z\","
  "\"ends_at\":\"2026-11-22T21:00:00Z\",\"location\":\"Basislager\",\"lat\":51.5,\"lon\":12.25,"
  "\"capacity\":60,\"category\":\"Tech\",\"tags\":[\"rust\",\"café\"],\"visibility\":\"unlisted\","
  "\"waitlist\":true,\"price\":12.5,\"currency\":\"EUR\",\"status\":\"cancelled\","
  "\"organizer\":\"5d1b7c1e-0f6e-4b8e-8a57-2b0a3c4d5e6f\",\"version\":7,"
  "\"created_at\":\"2026-11-01T10:00:00Z\",\"updated_at\":\"2026-11-02T11:30:00Z\"}";

static TnEvent *
parse (const char      *json,
       TnEventJsonMode  mode,
       JsonObject      *details,
       GError         **error)
{
  g_autoptr(JsonObject) object = tn_test_parse_object (json);

  return tn_event_new_from_json (object, mode, details, error);
}

static void
test_roundtrip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) event = parse (full_event, TN_EVENT_JSON_STORED, NULL, &error);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;
  double lat, lon, price;

  g_assert_no_error (error);
  g_assert_cmpstr (tn_event_get_title (event), ==, "Rust Night");
  g_assert_cmpint (tn_event_get_capacity (event), ==, 60);
  g_assert_true (tn_event_get_coordinates (event, &lat, &lon));
  g_assert_cmpfloat (lat, ==, 51.5);
  g_assert_cmpfloat (lon, ==, 12.25);
  g_assert_true (tn_event_get_price (event, &price));
  g_assert_cmpfloat (price, ==, 12.5);
  g_assert_cmpint (tn_event_get_visibility (event), ==, TN_VISIBILITY_UNLISTED);
  g_assert_cmpint (tn_event_get_status (event), ==, TN_EVENT_STATUS_CANCELLED);
  g_assert_cmpint (tn_event_get_version (event), ==, 7);
  g_assert_cmpstr (tn_event_get_tags (event)[1], ==, "café");
  g_assert_true (tn_event_validate (event, NULL, &error));
  g_assert_no_error (error);

  node = tn_event_to_json (event, TN_EVENT_JSON_STORED);
  json = tn_json_to_string (node);
  tn_assert_json_equal (json, full_event);
}

static void
test_roundtrip_nulls (void)
{
  const char *json_in =
    "{\"title\":\"Open\",\"starts_at\":\"2026-11-22T18:00:00+01:00\",\"ends_at\":\"2026-11-22T18:00:00+01:00\"}";
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) event = parse (json_in, TN_EVENT_JSON_CREATE, NULL, &error);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *json = NULL;

  g_assert_no_error (error);
  g_assert_true (tn_event_validate (event, NULL, &error));
  g_assert_cmpint (tn_event_get_starts_at (event), ==, 1795366800); /* 17:00Z */
  g_assert_cmpint (tn_event_get_capacity (event), ==, -1);
  g_assert_false (tn_event_get_coordinates (event, NULL, NULL));

  node = tn_event_to_json (event, TN_EVENT_JSON_CREATE);
  json = tn_json_to_string (node);
  object = tn_test_parse_object (json);
  g_assert_true (json_object_get_null_member (object, "capacity"));
  g_assert_true (json_object_get_null_member (object, "lat"));
  g_assert_true (json_object_get_null_member (object, "price"));
  g_assert_cmpstr (json_object_get_string_member (object, "starts_at"), ==, "2026-11-22T17:00:00Z");
  g_assert_false (json_object_has_member (object, "version"));
  g_assert_false (json_object_has_member (object, "status"));
}

typedef struct
{
  const char *name;
  const char *json;       /* a create request */
  const char *field;      /* the field that must be named in details; NULL: valid */
} ValidationCase;

#define T0 "\"starts_at\":\"2026-11-22T18:00:00Z\",\"ends_at\":\"2026-11-22T20:00:00Z\""

static const ValidationCase validation_cases[] = {
  { "minimal", "{\"title\":\"x\"," T0 "}", NULL },
  { "title-200", "{\"title\":\"" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                 "\"," T0 "}", NULL },
  { "title-201", "{\"title\":\"" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                 "\"," T0 "}", "title" },
  { "title-200-multibyte", "{\"title\":\"" "éééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé"
                           "éééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé"
                           "\"," T0 "}", NULL },
  { "title-empty", "{\"title\":\"\"," T0 "}", "title" },
  { "title-blank", "{\"title\":\"   \"," T0 "}", "title" },
  { "title-control", "{\"title\":\"a\\u0007b\"," T0 "}", "title" },
  { "title-missing", "{" T0 "}", "title" },
  { "title-number", "{\"title\":5," T0 "}", "title" },
  { "ends-before-starts", "{\"title\":\"x\",\"starts_at\":\"2026-11-22T18:00:00Z\",\"ends_at\":\"2026-11-22T17:59:59Z\"}", "ends_at" },
  { "date-no-zone", "{\"title\":\"x\",\"starts_at\":\"2026-11-22T18:00:00\",\"ends_at\":\"2026-11-22T20:00:00Z\"}", "starts_at" },
  { "date-month-13", "{\"title\":\"x\",\"starts_at\":\"2026-13-22T18:00:00Z\",\"ends_at\":\"2026-11-22T20:00:00Z\"}", "starts_at" },
  { "date-words", "{\"title\":\"x\",\"starts_at\":\"tomorrow\",\"ends_at\":\"2026-11-22T20:00:00Z\"}", "starts_at" },
  { "date-number", "{\"title\":\"x\",\"starts_at\":1700000000,\"ends_at\":\"2026-11-22T20:00:00Z\"}", "starts_at" },
  { "lat-range", "{\"title\":\"x\"," T0 ",\"lat\":91,\"lon\":0}", "lat" },
  { "lon-range", "{\"title\":\"x\"," T0 ",\"lat\":0,\"lon\":-180.5}", "lon" },
  { "lat-alone", "{\"title\":\"x\"," T0 ",\"lat\":10}", "lon" },
  { "lat-string", "{\"title\":\"x\"," T0 ",\"lat\":\"10\",\"lon\":1}", "lat" },
  { "capacity-zero", "{\"title\":\"x\"," T0 ",\"capacity\":0}", NULL },
  { "capacity-negative", "{\"title\":\"x\"," T0 ",\"capacity\":-1}", "capacity" },
  { "capacity-float", "{\"title\":\"x\"," T0 ",\"capacity\":1.5}", "capacity" },
  { "tags-20", "{\"title\":\"x\"," T0 ",\"tags\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\",\"10\","
               "\"11\",\"12\",\"13\",\"14\",\"15\",\"16\",\"17\",\"18\",\"19\",\"20\"]}", NULL },
  { "tags-21", "{\"title\":\"x\"," T0 ",\"tags\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\",\"10\","
               "\"11\",\"12\",\"13\",\"14\",\"15\",\"16\",\"17\",\"18\",\"19\",\"20\",\"21\"]}", "tags" },
  { "tag-41", "{\"title\":\"x\"," T0 ",\"tags\":[\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"]}", "tags" },
  { "tag-empty", "{\"title\":\"x\"," T0 ",\"tags\":[\"\"]}", "tags" },
  { "tag-repeated", "{\"title\":\"x\"," T0 ",\"tags\":[\"a\",\"a\"]}", "tags" },
  { "tags-string", "{\"title\":\"x\"," T0 ",\"tags\":\"a\"}", "tags" },
  { "currency-valid", "{\"title\":\"x\"," T0 ",\"price\":3,\"currency\":\"CHF\"}", NULL },
  { "currency-unknown", "{\"title\":\"x\"," T0 ",\"price\":3,\"currency\":\"ABC\"}", "currency" },
  { "currency-lowercase", "{\"title\":\"x\"," T0 ",\"price\":3,\"currency\":\"eur\"}", "currency" },
  { "price-without-currency", "{\"title\":\"x\"," T0 ",\"price\":3}", "currency" },
  { "price-negative", "{\"title\":\"x\"," T0 ",\"price\":-1,\"currency\":\"EUR\"}", "price" },
  { "visibility-unknown", "{\"title\":\"x\"," T0 ",\"visibility\":\"secret\"}", "visibility" },
  { "waitlist-string", "{\"title\":\"x\"," T0 ",\"waitlist\":\"yes\"}", "waitlist" },
  { "unknown-field", "{\"title\":\"x\"," T0 ",\"colour\":\"red\"}", "colour" },
  { "read-only-field", "{\"title\":\"x\"," T0 ",\"version\":3}", "version" },
  { "id-not-uuid", "{\"id\":\"42\",\"title\":\"x\"," T0 "}", "id" },
};

static void
test_validation (gconstpointer data)
{
  const ValidationCase *c = data;
  g_autoptr(JsonObject) details = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) event = parse (c->json, TN_EVENT_JSON_CREATE, details, &error);
  gboolean ok = event != NULL && tn_event_validate (event, details, &error);

  if (c->field == NULL)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
      g_assert_cmpuint (json_object_get_size (details), ==, 0);
    }
  else
    {
      g_assert_false (ok);
      g_assert_error (error, TN_ERROR, TN_ERROR_VALIDATION_FAILED);
      if (!json_object_has_member (details, c->field))
        g_error ("details do not name %s: %s", c->field,
                 json_to_string (json_node_init_object (json_node_alloc (), details), FALSE));
    }
}

static void
test_patch_keeps_other_fields (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) event = parse (full_event, TN_EVENT_JSON_STORED, NULL, &error);
  g_autoptr(JsonObject) patch = tn_test_parse_object ("{\"title\":\"Renamed\",\"capacity\":null}");
  g_autoptr(JsonObject) bad = tn_test_parse_object ("{\"id\":\"0b6a2f6e-2a8e-4a2c-9a55-3f6f5b8f1c12\"}");

  g_assert_true (tn_event_apply_json (event, patch, TN_EVENT_JSON_PATCH, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (tn_event_get_title (event), ==, "Renamed");
  g_assert_cmpint (tn_event_get_capacity (event), ==, -1);
  g_assert_cmpstr (tn_event_get_location (event), ==, "Basislager");
  g_assert_cmpint (tn_event_get_version (event), ==, 7);

  g_assert_false (tn_event_apply_json (event, bad, TN_EVENT_JSON_PATCH, NULL, &error));
  g_assert_error (error, TN_ERROR, TN_ERROR_VALIDATION_FAILED);
}

static void
test_copy (void)
{
  g_autoptr(TnEvent) event = parse (full_event, TN_EVENT_JSON_STORED, NULL, NULL);
  g_autoptr(TnEvent) copy = tn_event_copy (event);
  g_autoptr(JsonNode) a = tn_event_to_json (event, TN_EVENT_JSON_STORED);
  g_autoptr(JsonNode) b = tn_event_to_json (copy, TN_EVENT_JSON_STORED);

  g_assert_true (event != copy);
  g_assert_true (json_node_equal (a, b));
  tn_event_set_title (copy, "Other");
  g_assert_cmpstr (tn_event_get_title (event), ==, "Rust Night");
}

static void
test_time (void)
{
  static const struct { const char *text; gint64 expected; } good[] = {
    { "2026-11-22T18:00:00Z", 1795370400 },
    { "2026-11-22t18:00:00z", 1795370400 },
    { "2026-11-22T19:00:00+01:00", 1795370400 },
    { "2026-11-22T18:00:00.500Z", 1795370400 },
    { "1970-01-01T00:00:00Z", 0 },
  };
  static const char *bad[] = {
    "", "2026-11-22", "2026-11-22T18:00:00", "2026-11-22 18:00:00Z", "2026-02-30T10:00:00Z",
    "2026-11-22T25:00:00Z", "tomorrow", "1969-12-31T23:59:59Z", "2026-11-22T18:00:00+0100",
  };
  g_autofree char *formatted = tn_time_format (1795370400);

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 value = -1;

      g_assert_true (tn_time_parse (good[i].text, &value, &error));
      g_assert_no_error (error);
      g_assert_cmpint (value, ==, good[i].expected);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 value = -1;

      if (tn_time_parse (bad[i], &value, &error))
        g_error ("“%s” was accepted as %" G_GINT64_FORMAT, bad[i], value);
      g_assert_error (error, TN_ERROR, TN_ERROR_VALIDATION_FAILED);
    }
  g_assert_cmpstr (formatted, ==, "2026-11-22T18:00:00Z");
}

/* tn_time_format does its own calendar arithmetic for speed: it must agree
 * with GDateTime everywhere in the range it serves. */
static void
test_time_format_matches_glib (void)
{
  static const gint64 fixed[] = {
    0, 59, 86399, 86400, 951782400 /* 2000-02-29 */, 951868800 /* 2000-03-01 */,
    4107542399 /* 2100-02-28T23:59:59 */, 4107542400 /* 2100-03-01 */, 253402300799,
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261123);

  for (guint i = 0; i < G_N_ELEMENTS (fixed) + 20000; i++)
    {
      gint64 t = i < G_N_ELEMENTS (fixed) ? fixed[i]
                                          : (gint64) (g_rand_double (rand) * 253402300799.0);
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);
      g_autofree char *expected = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
      g_autofree char *got = tn_time_format (t);

      g_assert_cmpstr (got, ==, expected);
    }
}

static void
test_currency (void)
{
  g_assert_true (tn_currency_is_valid ("EUR"));
  g_assert_true (tn_currency_is_valid ("JPY"));
  g_assert_true (tn_currency_is_valid ("ZWL"));
  g_assert_false (tn_currency_is_valid ("EURO"));
  g_assert_false (tn_currency_is_valid ("XYZ"));
  g_assert_false (tn_currency_is_valid ("usd"));
  g_assert_false (tn_currency_is_valid (""));
  g_assert_false (tn_currency_is_valid (NULL));
}

static void
test_errors (void)
{
  static const struct { TnError error; const char *code; guint status; } table[] = {
    { TN_ERROR_BAD_REQUEST, "bad_request", 400 },
    { TN_ERROR_VALIDATION_FAILED, "validation_failed", 422 },
    { TN_ERROR_UNAUTHORIZED, "unauthorized", 401 },
    { TN_ERROR_FORBIDDEN, "forbidden", 403 },
    { TN_ERROR_NOT_FOUND, "not_found", 404 },
    { TN_ERROR_CONFLICT, "conflict", 409 },
    { TN_ERROR_CAPACITY_FULL, "capacity_full", 409 },
    { TN_ERROR_RATE_LIMITED, "rate_limited", 429 },
    { TN_ERROR_PAYLOAD_TOO_LARGE, "payload_too_large", 413 },
    { TN_ERROR_INTERNAL, "internal", 500 },
    { TN_ERROR_PRECONDITION_REQUIRED, "precondition_required", 428 },
    { TN_ERROR_DEVICE_REVOKED, "device_revoked", 401 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_assert_cmpstr (tn_error_to_code (table[i].error), ==, table[i].code);
      g_assert_cmpint (tn_error_from_code (table[i].code), ==, table[i].error);
      g_assert_cmpuint (tn_error_to_http_status (table[i].error), ==, table[i].status);
    }
  g_assert_cmpint (tn_error_from_code ("no_such_code"), ==, TN_ERROR_INTERNAL);
  g_assert_cmpint (tn_error_from_code (NULL), ==, TN_ERROR_INTERNAL);
}

static void
test_json_parse (void)
{
  static const struct { const char *data; gssize len; } bad[] = {
    { "", 0 },
    { "{", 1 },
    { "[1,2]", 5 },
    { "\"text\"", 6 },
    { "{\"a\":\"\xff\xfe\"}", 10 },
    { "{\"a\":\"\xc0\xaf\"}", 10 },
    { "{\"a\":1}\0{}", 10 },
    { "{\"a\":1,}", 8 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) object = tn_json_parse_object (bad[i].data, (gsize) bad[i].len, &error);

      g_assert_null (object);
      g_assert_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST);
    }
}

static void
test_email (void)
{
  g_assert_true (tn_email_is_valid ("a@b.org"));
  g_assert_true (tn_email_is_valid ("chloé@exemple.fr"));
  g_assert_false (tn_email_is_valid ("a@b"));
  g_assert_false (tn_email_is_valid ("@b.org"));
  g_assert_false (tn_email_is_valid ("a b@c.org"));
  g_assert_false (tn_email_is_valid ("a@@b.org"));
  g_assert_false (tn_email_is_valid ("a@b.org."));
  g_assert_false (tn_email_is_valid (NULL));
}

int
main (int    argc,
      char **argv)
{
  tn_test_init (&argc, &argv);

  g_test_add_func ("/common/event/json-roundtrip", test_roundtrip);
  g_test_add_func ("/common/event/json-roundtrip-nulls", test_roundtrip_nulls);
  g_test_add_func ("/common/event/patch", test_patch_keeps_other_fields);
  g_test_add_func ("/common/event/copy", test_copy);
  for (guint i = 0; i < G_N_ELEMENTS (validation_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/common/event/validate/%s", validation_cases[i].name);

      g_test_add_data_func (path, &validation_cases[i], test_validation);
    }
  g_test_add_func ("/common/time/parse-format", test_time);
  g_test_add_func ("/common/time/format-matches-glib", test_time_format_matches_glib);
  g_test_add_func ("/common/event/currency", test_currency);
  g_test_add_func ("/common/error/codes", test_errors);
  g_test_add_func ("/common/json/parse-object", test_json_parse);
  g_test_add_func ("/common/user/email", test_email);

  return g_test_run ();
}
