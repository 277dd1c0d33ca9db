/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Places and categories over HTTP, against a real server with the demo
 * community: `near` + `radius_km` on the event list, checked against
 * distances this test computes on its own, and GET /api/v1/categories. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "tn-json.h"
#include "tn-test-utils.h"

#define DEMO_EVENTS 31
#define OTHER_ORGANIZER_EMAIL "omar@example.org"

/* Leipzig Hauptbahnhof and Berlin Hauptbahnhof. */
#define LEIPZIG_HBF_LAT 51.3455
#define LEIPZIG_HBF_LON 12.3821
#define BERLIN_HBF_LAT  52.5251
#define BERLIN_HBF_LON  13.3694

typedef struct
{
  TnTestServer *server;
  const char   *url;
  char         *admin;
  char         *organizer;   /* olivia */
  char         *other;       /* omar */
  char         *member;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->server = tn_test_server_new (TRUE);
  f->url = tn_test_server_get_url (f->server);
  f->admin = tn_test_server_token_for (f->server, TN_DEMO_ADMIN_EMAIL);
  f->organizer = tn_test_server_token_for (f->server, TN_DEMO_ORGANIZER_EMAIL);
  f->other = tn_test_server_token_for (f->server, OTHER_ORGANIZER_EMAIL);
  f->member = tn_test_server_token_for (f->server, TN_DEMO_MEMBER_EMAIL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->server, tn_test_server_free);
  g_free (f->admin);
  g_free (f->organizer);
  g_free (f->other);
  g_free (f->member);
}

/* --- helpers ------------------------------------------------------------- */

/* The great-circle distance, written independently of the server's: the
 * atan2 form of the haversine formula, mean Earth radius 6371.0088 km. */
static double
test_distance_km (double lat1,
                  double lon1,
                  double lat2,
                  double lon2)
{
  const double to_rad = M_PI / 180.0;
  double s_lat = sin ((lat2 - lat1) * to_rad / 2.0);
  double s_lon = sin ((lon2 - lon1) * to_rad / 2.0);
  double a = s_lat * s_lat + cos (lat1 * to_rad) * cos (lat2 * to_rad) * s_lon * s_lon;

  return 6371.0088 * 2.0 * atan2 (sqrt (a), sqrt (1.0 - a));
}

static JsonObject *
request_ok (Fixture    *f,
            const char *method,
            const char *path,
            const char *token,
            const char *body,
            guint       status)
{
  g_autofree char *answer = NULL;
  guint got = tn_test_http (f->url, method, path, token, body, -1, NULL, &answer);

  if (got != status)
    g_error ("%s %s: expected %u, got %u: %s", method, path, status, got, answer);
  return answer[0] != '\0' ? tn_test_parse_object (answer) : NULL;
}

static JsonObject *
get_ok (Fixture    *f,
        const char *path,
        const char *token)
{
  return request_ok (f, "GET", path, token, NULL, 200);
}

/* Asserts a 4xx with the JSON error body of @code; with @field, that the
 * details name it. */
static void
expect_error (Fixture    *f,
              const char *path,
              const char *token,
              guint       status,
              const char *code,
              const char *field)
{
  g_autofree char *answer = NULL;
  g_autoptr(JsonObject) root = NULL;
  JsonObject *error, *details;
  guint got = tn_test_http (f->url, "GET", path, token, NULL, 0, NULL, &answer);

  if (got != status)
    g_error ("GET %s: expected %u, got %u: %s", path, status, got, answer);
  tn_test_assert_error_body (answer, code);
  if (field == NULL)
    return;
  root = tn_test_parse_object (answer);
  error = json_object_get_object_member (root, "error");
  g_assert_true (json_object_has_member (error, "details"));
  details = json_object_get_object_member (error, "details");
  if (!json_object_has_member (details, field))
    g_error ("GET %s: the details do not name %s: %s", path, field, answer);
  g_assert_nonnull (tn_json_object_get_string (details, field));
}

static JsonObject *
create_event (Fixture    *f,
              const char *token,
              const char *fields)
{
  g_autofree char *body = g_strdup_printf ("{\"starts_at\": \"2030-05-01T18:00:00Z\", "
                                           "\"ends_at\": \"2030-05-01T20:00:00Z\", %s}", fields);

  return request_ok (f, "POST", "/api/v1/events", token, body, 201);
}

/* An event of a list, as this test needs it. */
typedef struct
{
  char   *id;
  char   *starts_at;   /* RFC 3339 in UTC: sorts as text */
  double  lat;
  double  lon;
  double  distance;    /* from the query point, computed here */
} Place;

static void
place_free (gpointer p)
{
  Place *place = p;

  g_free (place->id);
  g_free (place->starts_at);
  g_free (place);
}

static int
place_compare (gconstpointer a,
               gconstpointer b)
{
  const Place *x = *(Place * const *) a;
  const Place *y = *(Place * const *) b;
  int c;

  if (x->distance != y->distance)
    return x->distance < y->distance ? -1 : 1;
  if ((c = strcmp (x->starts_at, y->starts_at)) != 0)
    return c;
  return strcmp (x->id, y->id);
}

/* Every event @token sees that has coordinates, with its distance from
 * (@lat, @lon) as this test computes it. */
static GPtrArray *
all_places (Fixture    *f,
            const char *token,
            double      lat,
            double      lon)
{
  g_autoptr(JsonObject) page = get_ok (f, "/api/v1/events?limit=500", token);
  JsonArray *items = json_object_get_array_member (page, "items");
  GPtrArray *places = g_ptr_array_new_with_free_func (place_free);

  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (page, "next_cursor")));
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      Place *place;

      if (JSON_NODE_HOLDS_NULL (json_object_get_member (item, "lat")))
        continue;
      place = g_new0 (Place, 1);
      place->id = g_strdup (tn_json_object_get_string (item, "id"));
      place->starts_at = g_strdup (tn_json_object_get_string (item, "starts_at"));
      place->lat = json_object_get_double_member (item, "lat");
      place->lon = json_object_get_double_member (item, "lon");
      place->distance = test_distance_km (lat, lon, place->lat, place->lon);
      g_ptr_array_add (places, place);
    }
  return places;
}

/* The places within @radius_km, in the order the API promises. */
static GPtrArray *
expected_near (GPtrArray *places,
               double     radius_km)
{
  GPtrArray *expected = g_ptr_array_new ();

  for (guint i = 0; i < places->len; i++)
    {
      Place *place = places->pdata[i];

      /* The test stays clear of points where rounding could decide. */
      g_assert_cmpfloat (fabs (place->distance - radius_km), >, 1e-6);
      if (place->distance <= radius_km)
        g_ptr_array_add (expected, place);
    }
  g_ptr_array_sort (expected, place_compare);
  /* Different places at the same distance would tie here and not on the
   * server, or the other way round, by a rounding: the cases avoid them. */
  for (guint i = 1; i < expected->len; i++)
    {
      Place *a = expected->pdata[i - 1], *b = expected->pdata[i];

      if (a->lat != b->lat || a->lon != b->lon)
        g_assert_cmpfloat (b->distance - a->distance, >, 1e-9);
    }
  return expected;
}

static char *
near_path (double      lat,
           double      lon,
           double      radius_km,
           const char *extra)
{
  char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE], r[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup_printf ("/api/v1/events?near=%s,%s&radius_km=%s%s%s",
                          g_ascii_dtostr (a, sizeof a, lat), g_ascii_dtostr (b, sizeof b, lon),
                          g_ascii_dtostr (r, sizeof r, radius_km),
                          extra != NULL ? "&" : "", extra != NULL ? extra : "");
}

/* Asserts that @items are @expected, in order, each with a distance_km
 * that is the distance rounded to 0.1 km. */
static void
assert_items_are (JsonArray *items,
                  GPtrArray *expected)
{
  g_assert_cmpuint (json_array_get_length (items), ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      Place *place = expected->pdata[i];
      double shown;

      g_assert_cmpstr (tn_json_object_get_string (item, "id"), ==, place->id);
      g_assert_true (json_object_has_member (item, "distance_km"));
      shown = json_object_get_double_member (item, "distance_km");
      g_assert_cmpfloat_with_epsilon (shown, round (place->distance * 10.0) / 10.0, 1e-9);
    }
}

static void
assert_near_list (Fixture    *f,
                  const char *token,
                  double      lat,
                  double      lon,
                  double      radius_km)
{
  g_autoptr(GPtrArray) places = all_places (f, token, lat, lon);
  g_autoptr(GPtrArray) expected = expected_near (places, radius_km);
  g_autofree char *path = near_path (lat, lon, radius_km, "limit=500");
  g_autoptr(JsonObject) page = get_ok (f, path, token);

  assert_items_are (json_object_get_array_member (page, "items"), expected);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (page, "next_cursor")));
}

static gboolean
items_have_id (JsonArray  *items,
               const char *id)
{
  for (guint i = 0; i < json_array_get_length (items); i++)
    if (g_strcmp0 (tn_json_object_get_string (json_array_get_object_element (items, i), "id"), id) == 0)
      return TRUE;
  return FALSE;
}

/* --- near ---------------------------------------------------------------- */

static void
test_known_distance (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonObject) berlin = NULL;
  g_autoptr(JsonObject) page = NULL;
  g_autofree char *inside = NULL;
  g_autofree char *outside = NULL;
  JsonArray *items;
  JsonObject *item;
  double expected = test_distance_km (LEIPZIG_HBF_LAT, LEIPZIG_HBF_LON, BERLIN_HBF_LAT, BERLIN_HBF_LON);

  /* The test's own formula against the published figure first. */
  g_assert_cmpfloat_with_epsilon (expected, 147.3, 0.5);

  berlin = create_event (f, f->organizer,
                         "\"title\": \"Meetup at Berlin Hbf\", \"category\": \"Tech\", "
                         "\"lat\": 52.5251, \"lon\": 13.3694");

  inside = near_path (LEIPZIG_HBF_LAT, LEIPZIG_HBF_LON, 148.0, "limit=500");
  page = get_ok (f, inside, NULL);
  items = json_object_get_array_member (page, "items");
  g_assert_cmpuint (json_array_get_length (items), ==, DEMO_EVENTS + 1);
  /* Farthest of all, so last. */
  item = json_array_get_object_element (items, DEMO_EVENTS);
  g_assert_cmpstr (tn_json_object_get_string (item, "id"), ==, tn_json_object_get_string (berlin, "id"));
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (item, "distance_km"), 147.3, 0.5);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (item, "distance_km"),
                                  round (expected * 10.0) / 10.0, 1e-9);

  outside = near_path (LEIPZIG_HBF_LAT, LEIPZIG_HBF_LON, 147.0, "limit=500");
  g_clear_pointer (&page, json_object_unref);
  page = get_ok (f, outside, NULL);
  items = json_object_get_array_member (page, "items");
  g_assert_cmpuint (json_array_get_length (items), ==, DEMO_EVENTS);
  g_assert_false (items_have_id (items, tn_json_object_get_string (berlin, "id")));

  /* Symmetric: from Berlin, Berlin is at 0 and Leipzig's events ~150 km. */
  g_clear_pointer (&page, json_object_unref);
  g_free (inside);
  inside = near_path (BERLIN_HBF_LAT, BERLIN_HBF_LON, 1.0, NULL);
  page = get_ok (f, inside, NULL);
  items = json_object_get_array_member (page, "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (items, 0), "distance_km"),
                     ==, 0.0);
}

static void
test_filter_and_order (Fixture       *f,
                       gconstpointer  data)
{
  static const struct { double lat, lon, radius; } cases[] = {
    { LEIPZIG_HBF_LAT, LEIPZIG_HBF_LON, 0.5 },
    { LEIPZIG_HBF_LAT, LEIPZIG_HBF_LON, 1.5 },
    { LEIPZIG_HBF_LAT, LEIPZIG_HBF_LON, 2.5 },
    { LEIPZIG_HBF_LAT, LEIPZIG_HBF_LON, 25.0 },
    { 51.3283, 12.3605, 1.0 },          /* a demo park: events at distance 0 */
    { 51.3136, 12.3808, 3.3 },
    { 51.30, 12.30, 7.0 },
    { 48.1374, 11.5755, 100.0 },        /* Munich: nothing near */
  };
  g_autoptr(JsonObject) nowhere = NULL;
  g_autoptr(JsonObject) page = NULL;
  g_autoptr(GPtrArray) places = NULL;
  g_autofree char *path = NULL;
  guint within = 0;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      assert_near_list (f, NULL, cases[i].lat, cases[i].lon, cases[i].radius);
      assert_near_list (f, f->admin, cases[i].lat, cases[i].lon, cases[i].radius);
    }

  /* The distance filter narrows the other filters, never widens them. */
  places = all_places (f, NULL, LEIPZIG_HBF_LAT, LEIPZIG_HBF_LON);
  g_assert_cmpuint (places->len, ==, DEMO_EVENTS);
  path = near_path (LEIPZIG_HBF_LAT, LEIPZIG_HBF_LON, 25.0, "category=Tech&limit=500");
  page = get_ok (f, path, NULL);
  for (guint i = 0; i < json_array_get_length (json_object_get_array_member (page, "items")); i++)
    {
      JsonObject *item = json_array_get_object_element (json_object_get_array_member (page, "items"), i);

      g_assert_cmpstr (tn_json_object_get_string (item, "category"), ==, "Tech");
      within++;
    }
  g_assert_cmpuint (within, >, 0);

  /* Without near, no distance_km. */
  g_clear_pointer (&page, json_object_unref);
  page = get_ok (f, "/api/v1/events?limit=5", NULL);
  g_assert_false (json_object_has_member (json_array_get_object_element (json_object_get_array_member (page, "items"), 0),
                                          "distance_km"));

  /* An event without coordinates is in the list, never in a near list. */
  nowhere = create_event (f, f->organizer, "\"title\": \"Online only\", \"category\": \"Tech\"");
  g_clear_pointer (&page, json_object_unref);
  page = get_ok (f, "/api/v1/events?limit=500", NULL);
  g_assert_true (items_have_id (json_object_get_array_member (page, "items"),
                                tn_json_object_get_string (nowhere, "id")));
  g_clear_pointer (&page, json_object_unref);
  g_free (path);
  path = near_path (0.0, 0.0, 20000.0, "limit=500");
  page = get_ok (f, path, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "items")), ==, DEMO_EVENTS);
  g_assert_false (items_have_id (json_object_get_array_member (page, "items"),
                                 tn_json_object_get_string (nowhere, "id")));

  /* radius_km defaults to 25: all of Leipzig from its station. */
  g_clear_pointer (&page, json_object_unref);
  g_free (path);
  path = g_strdup ("/api/v1/events?limit=500&near=51.3455,12.3821");
  page = get_ok (f, path, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "items")), ==, DEMO_EVENTS);
  g_clear_pointer (&page, json_object_unref);
  page = get_ok (f, "/api/v1/events?limit=500&near=51.3455,11.9", NULL);   /* ~33 km west */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "items")), ==, 0);
}

static void
test_radius_boundaries (Fixture       *f,
                        gconstpointer  data)
{
  static const struct { double lat, lon; } far_places[] = {
    { 0.0, 179.99 },     /* either side of the antimeridian, not quite */
    { 0.002, -179.985 }, /* symmetric: equal distances would tie */
    { 89.99, 0.0 },      /* by the North Pole */
    { -33.8568, 151.2153 },
  };
  g_autoptr(GPtrArray) places = all_places (f, NULL, LEIPZIG_HBF_LAT, LEIPZIG_HBF_LON);
  g_autoptr(JsonObject) page = NULL;
  g_autofree char *path = NULL;
  double nearest = G_MAXDOUBLE;

  /* Just under and just over the distance of the nearest event. */
  for (guint i = 0; i < places->len; i++)
    nearest = MIN (nearest, ((Place *) places->pdata[i])->distance);
  g_assert_cmpfloat (nearest, >, 0.01);
  assert_near_list (f, NULL, LEIPZIG_HBF_LAT, LEIPZIG_HBF_LON, nearest - 0.001);
  assert_near_list (f, NULL, LEIPZIG_HBF_LAT, LEIPZIG_HBF_LON, nearest + 0.001);
  path = near_path (LEIPZIG_HBF_LAT, LEIPZIG_HBF_LON, nearest - 0.001, NULL);
  page = get_ok (f, path, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "items")), ==, 0);

  /* Due south, north, west and east of a venue, just reaching it: the
   * corners of a bounding box must not cut it off. */
  {
    static const struct { double dlat, dlon; } offsets[] = {
      { -0.09, 0.0 }, { 0.09, 0.0 }, { 0.0, -0.15 }, { 0.0, 0.15 }, { 0.0635, 0.1 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (offsets); i++)
      {
        double lat = 51.3397 + offsets[i].dlat, lon = 12.3731 + offsets[i].dlon;
        double d = test_distance_km (lat, lon, 51.3397, 12.3731);
        g_autofree char *reach = near_path (lat, lon, d + 2e-6, "limit=500");
        g_autoptr(JsonObject) reached = get_ok (f, reach, NULL);
        g_autofree char *miss = near_path (lat, lon, d - 2e-6, "limit=500");
        g_autoptr(JsonObject) missed = get_ok (f, miss, NULL);
        JsonArray *items = json_object_get_array_member (reached, "items");

        assert_near_list (f, NULL, lat, lon, d + 2e-6);
        g_assert_cmpuint (json_array_get_length (items), >=, 4);
        /* the venue's four events, farthest of all, are last */
        g_assert_cmpfloat_with_epsilon (json_object_get_double_member (
                                          json_array_get_object_element (items, json_array_get_length (items) - 1),
                                          "distance_km"),
                                        round (d * 10.0) / 10.0, 1e-9);
        for (guint j = 0; j < json_array_get_length (json_object_get_array_member (missed, "items")); j++)
          g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (
                               json_object_get_array_member (missed, "items"), j), "distance_km"), <, d);
        g_assert_cmpuint (json_array_get_length (json_object_get_array_member (missed, "items")), <,
                          json_array_get_length (items));
      }
  }

  /* The smallest and largest radii; a point is at distance 0 of itself. */
  g_clear_pointer (&page, json_object_unref);
  page = get_ok (f, "/api/v1/events?near=51.3397,12.3731&radius_km=0.000001&limit=500", NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "items")), ==, 4);
  /* From the antipode, Leipzig is ~20,010 km away: beyond the largest radius. */
  assert_near_list (f, NULL, -51.3397, -167.6269, 20000.0);
  g_clear_pointer (&page, json_object_unref);
  page = get_ok (f, "/api/v1/events?near=-51.3397,-167.6269&radius_km=20000&limit=500", NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "items")), ==, 0);
  g_clear_pointer (&page, json_object_unref);
  page = get_ok (f, "/api/v1/events?near=90,-180&radius_km=20000&limit=500", NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "items")), ==, DEMO_EVENTS);
  g_clear_pointer (&page, json_object_unref);
  page = get_ok (f, "/api/v1/events?near=-90,180&radius_km=1&limit=500", NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "items")), ==, 0);

  /* Far from Leipzig: where a bounding box must wrap or widen. */
  for (guint i = 0; i < G_N_ELEMENTS (far_places); i++)
    {
      g_autofree char *fields = g_strdup_printf ("\"title\": \"Far away %u\", \"lat\": %.6f, \"lon\": %.6f",
                                                 i, far_places[i].lat, far_places[i].lon);
      g_autoptr(JsonObject) event = create_event (f, f->organizer, fields);
    }
  {
    static const struct { double lat, lon, radius; } cases[] = {
      { 0.0, 180.0, 5.0 },
      { 0.0, -180.0, 5.0 },
      { 0.0, 179.995, 2.0 },
      { 0.0, -179.0, 120.0 },
      { 89.99, 180.0, 5.0 },
      { 90.0, 0.0, 5.0 },
      { 89.0, 90.0, 200.0 },
      { -33.8688, 151.2093, 2.0 },
      { -33.8688, 151.2093, 15000.0 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      assert_near_list (f, NULL, cases[i].lat, cases[i].lon, cases[i].radius);
  }
  g_clear_pointer (&page, json_object_unref);
  page = get_ok (f, "/api/v1/events?near=0,180&radius_km=5&limit=500", NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "items")), ==, 2);
}

/* Walks every page of a near list with @limit, and asserts that the pages
 * concatenate to @all: no repeats, no gaps. */
static void
walk_near_pages (Fixture    *f,
                 const char *base,
                 guint       limit,
                 JsonArray  *all)
{
  g_autofree char *cursor = NULL;
  guint seen = 0, pages = 0;
  guint total = json_array_get_length (all);

  do
    {
      g_autofree char *path = cursor != NULL ? g_strdup_printf ("%s&limit=%u&cursor=%s", base, limit, cursor)
                                             : g_strdup_printf ("%s&limit=%u", base, limit);
      g_autoptr(JsonObject) page = get_ok (f, path, NULL);
      JsonArray *items = json_object_get_array_member (page, "items");
      JsonNode *next = json_object_get_member (page, "next_cursor");
      guint n = json_array_get_length (items);

      g_assert_cmpuint (n, ==, MIN (limit, total - seen));
      for (guint i = 0; i < n; i++, seen++)
        {
          JsonObject *got = json_array_get_object_element (items, i);
          JsonObject *want = json_array_get_object_element (all, seen);

          g_assert_cmpstr (tn_json_object_get_string (got, "id"), ==, tn_json_object_get_string (want, "id"));
          g_assert_cmpfloat (json_object_get_double_member (got, "distance_km"), ==,
                             json_object_get_double_member (want, "distance_km"));
        }
      g_clear_pointer (&cursor, g_free);
      if (!JSON_NODE_HOLDS_NULL (next))
        {
          g_assert_cmpuint (seen, <, total);
          cursor = g_uri_escape_string (json_node_get_string (next), NULL, FALSE);
        }
      pages++;
      g_assert_cmpuint (pages, <=, total / limit + 1);
    }
  while (cursor != NULL);
  g_assert_cmpuint (seen, ==, total);
}

static void
test_pagination (Fixture       *f,
                 gconstpointer  data)
{
  /* From a demo venue: several events at distance 0 and other shared
   * places, so that ties of distance fall across page boundaries. */
  const char *base = "/api/v1/events?near=51.3397,12.3731&radius_km=25";
  g_autofree char *path = g_strdup_printf ("%s&limit=500", base);
  g_autoptr(JsonObject) full = get_ok (f, path, NULL);
  JsonArray *all = json_object_get_array_member (full, "items");
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) plain = NULL;
  g_autoptr(JsonObject) added = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *plain_cursor = NULL;
  guint rest;

  g_assert_cmpuint (json_array_get_length (all), ==, DEMO_EVENTS);
  for (guint limit = 1; limit <= 8; limit++)
    walk_near_pages (f, base, limit, all);
  walk_near_pages (f, base, 29, all);
  walk_near_pages (f, base, 30, all);

  /* A keyset, not an offset: an event added before the cursor neither
   * repeats nor hides what follows it. */
  g_free (path);
  path = g_strdup_printf ("%s&limit=10", base);
  first = get_ok (f, path, NULL);
  cursor = g_uri_escape_string (tn_json_object_get_string (first, "next_cursor"), NULL, FALSE);
  added = create_event (f, f->organizer, "\"title\": \"Right here\", \"lat\": 51.3397, \"lon\": 12.3731");
  rest = 0;
  while (cursor != NULL)
    {
      g_autofree char *next_path = g_strdup_printf ("%s&limit=10&cursor=%s", base, cursor);
      g_autoptr(JsonObject) page = get_ok (f, next_path, NULL);
      JsonArray *items = json_object_get_array_member (page, "items");

      for (guint i = 0; i < json_array_get_length (items); i++, rest++)
        g_assert_cmpstr (tn_json_object_get_string (json_array_get_object_element (items, i), "id"), ==,
                         tn_json_object_get_string (json_array_get_object_element (all, 10 + rest), "id"));
      g_clear_pointer (&cursor, g_free);
      if (!JSON_NODE_HOLDS_NULL (json_object_get_member (page, "next_cursor")))
        cursor = g_uri_escape_string (tn_json_object_get_string (page, "next_cursor"), NULL, FALSE);
    }
  g_assert_cmpuint (rest, ==, DEMO_EVENTS - 10);

  /* A cursor belongs to its kind of list. */
  plain = get_ok (f, "/api/v1/events?limit=3", NULL);
  plain_cursor = g_uri_escape_string (tn_json_object_get_string (plain, "next_cursor"), NULL, FALSE);
  g_free (path);
  path = g_strdup_printf ("%s&cursor=%s", base, plain_cursor);
  expect_error (f, path, NULL, 422, "validation_failed", "cursor");
  g_free (cursor);
  cursor = g_uri_escape_string (tn_json_object_get_string (first, "next_cursor"), NULL, FALSE);
  g_free (path);
  path = g_strdup_printf ("/api/v1/events?cursor=%s", cursor);
  expect_error (f, path, NULL, 422, "validation_failed", "cursor");
  /* Made-up cursors: "near:nan:1:UUID" and "near:-1:1:UUID". */
  expect_error (f, "/api/v1/events?near=51.3397,12.3731&cursor="
                "bmVhcjpuYW46MTowMDAwMDAwMC0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMDAwMDA%3D",
                NULL, 422, "validation_failed", "cursor");
  expect_error (f, "/api/v1/events?near=51.3397,12.3731&cursor="
                "bmVhcjotMToxOjAwMDAwMDAwLTAwMDAtNDAwMC04MDAwLTAwMDAwMDAwMDAwMA%3D%3D",
                NULL, 422, "validation_failed", "cursor");
}

static void
test_bad_input (Fixture       *f,
                gconstpointer  data)
{
  static const struct { const char *query; const char *field; } cases[] = {
    { "near=abc", "near" },
    { "near=91,0", "near" },
    { "near=-90.0001,0", "near" },
    { "near=0,181", "near" },
    { "near=0,-180.5", "near" },
    { "near=51.3", "near" },
    { "near=51.3,", "near" },
    { "near=,12.3", "near" },
    { "near=1,2,3", "near" },
    { "near=51.3;12.3", "near" },
    { "near=nan,0", "near" },
    { "near=0,inf", "near" },
    { "near=1e999,0", "near" },
    { "near=0x10,0", "near" },
    { "near=%FF%FE,1", "near" },
    { "near=51.3397,12.3731&radius_km=0", "radius_km" },
    { "near=51.3397,12.3731&radius_km=-1", "radius_km" },
    { "near=51.3397,12.3731&radius_km=abc", "radius_km" },
    { "near=51.3397,12.3731&radius_km=20000.001", "radius_km" },
    { "near=51.3397,12.3731&radius_km=nan", "radius_km" },
    { "near=51.3397,12.3731&radius_km=inf", "radius_km" },
    { "near=51.3397,12.3731&radius_km=1e-400", "radius_km" },
    { "near=51.3397,12.3731&radius_km=%C3%28", "radius_km" },
    { "radius_km=5", "radius_km" },
    { "radius_km=5&near=", "radius_km" },
    { "near=abc&radius_km=-1", "radius_km" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strconcat ("/api/v1/events?", cases[i].query, NULL);

      expect_error (f, path, NULL, 422, "validation_failed", cases[i].field);
      expect_error (f, path, f->member, 422, "validation_failed", cases[i].field);
    }
  /* Both wrong: both named. */
  expect_error (f, "/api/v1/events?near=abc&radius_km=-1", NULL, 422, "validation_failed", "near");

  /* The edges of the ranges are in. */
  {
    static const char * const good[] = {
      "near=90,180&radius_km=20000", "near=-90,-180&radius_km=0.001", "near=+51.3,-0.0",
      "near=%2051.3397%20,%2012.3731", "near=5e1,1.2e1&radius_km=2.5e1",
    };

    for (guint i = 0; i < G_N_ELEMENTS (good); i++)
      {
        g_autofree char *path = g_strconcat ("/api/v1/events?", good[i], NULL);
        g_autoptr(JsonObject) page = get_ok (f, path, NULL);
      }
  }
}

/* --- categories ---------------------------------------------------------- */

static const char * const category_names[] = {
  "Tech", "Music", "Sports", "Arts", "Food & Drink", "Outdoors", "Community",
  "Business", "Education", "Health & Wellness", "Family", "Other",
};

/* name → upcoming_events, from GET /api/v1/categories as @token */
static GHashTable *
category_counts (Fixture    *f,
                 const char *token)
{
  g_autoptr(JsonObject) answer = get_ok (f, "/api/v1/categories", token);
  JsonArray *items = json_object_get_array_member (answer, "items");
  GHashTable *counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (answer, "next_cursor")));
  g_assert_cmpuint (json_array_get_length (items), ==, G_N_ELEMENTS (category_names));
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      g_hash_table_insert (counts, g_strdup (tn_json_object_get_string (item, "name")),
                           GINT_TO_POINTER ((int) json_object_get_int_member (item, "upcoming_events")));
    }
  return counts;
}

static int
count_of (GHashTable *counts,
          const char *name)
{
  g_assert_true (g_hash_table_contains (counts, name));
  return GPOINTER_TO_INT (g_hash_table_lookup (counts, name));
}

static void
test_categories (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(JsonObject) answer = get_ok (f, "/api/v1/categories", NULL);
  g_autoptr(JsonObject) events = get_ok (f, "/api/v1/events?limit=500&status=scheduled", NULL);
  g_autoptr(GHashTable) expected = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) slugs = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GRegex) colour = g_regex_new ("^#[0-9a-f]{6}$", 0, 0, NULL);
  g_autoptr(GRegex) slug = g_regex_new ("^[a-z0-9]+(-[a-z0-9]+)*$", 0, 0, NULL);
  JsonArray *items = json_object_get_array_member (answer, "items");
  JsonArray *list = json_object_get_array_member (events, "items");
  gint64 total = 0;
  const char *icon_dir = "/usr/share/icons/Adwaita";

  /* What the demo list shows, counted here: every demo event is upcoming. */
  g_assert_cmpuint (json_array_get_length (list), ==, DEMO_EVENTS);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      const char *category = tn_json_object_get_string (json_array_get_object_element (list, i), "category");

      g_hash_table_insert (expected, (gpointer) category,
                           GINT_TO_POINTER (GPOINTER_TO_INT (g_hash_table_lookup (expected, category)) + 1));
    }

  g_assert_cmpuint (json_array_get_length (items), ==, G_N_ELEMENTS (category_names));
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      const char *name = tn_json_object_get_string (item, "name");
      const char *icon = tn_json_object_get_string (item, "icon");

      /* Meetinity's categories, in its order, "Other" last. */
      g_assert_cmpstr (name, ==, category_names[i]);
      g_assert_true (g_regex_match (slug, tn_json_object_get_string (item, "slug"), 0, NULL));
      g_assert_false (g_hash_table_contains (slugs, tn_json_object_get_string (item, "slug")));
      g_hash_table_add (slugs, (gpointer) tn_json_object_get_string (item, "slug"));
      g_assert_true (g_regex_match (colour, tn_json_object_get_string (item, "colour"), 0, NULL));
      g_assert_true (g_str_has_suffix (icon, "-symbolic"));
      g_assert_cmpint (json_object_get_int_member (item, "upcoming_events"), ==,
                       GPOINTER_TO_INT (g_hash_table_lookup (expected, name)));
      total += json_object_get_int_member (item, "upcoming_events");
      g_assert_cmpuint (json_object_get_size (item), ==, 5);

      /* Where the Adwaita icon theme is installed, the icon is in it. */
      if (g_file_test (icon_dir, G_FILE_TEST_IS_DIR))
        {
          g_autofree char *svg = g_strconcat (icon, ".svg", NULL);
          g_autoptr(GDir) dir = g_dir_open (icon_dir, 0, NULL);
          gboolean found = FALSE;

          /* $dir/scalable/<context>/<icon>.svg */
          for (const char *size; !found && dir != NULL && (size = g_dir_read_name (dir)) != NULL;)
            {
              g_autofree char *size_dir = g_build_filename (icon_dir, size, NULL);
              g_autoptr(GDir) contexts = g_dir_open (size_dir, 0, NULL);

              for (const char *context; !found && contexts != NULL && (context = g_dir_read_name (contexts)) != NULL;)
                {
                  g_autofree char *path = g_build_filename (size_dir, context, svg, NULL);

                  found = g_file_test (path, G_FILE_TEST_EXISTS);
                }
            }
          if (!found)
            g_error ("The icon %s of %s is not in %s", icon, name, icon_dir);
        }
    }
  g_assert_cmpint (total, ==, DEMO_EVENTS);
  /* The demo data's own names are the table's. */
  g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (expected, "Tech")), >, 0);
  g_assert_cmpuint (g_hash_table_size (expected), ==, 7);
}

static void
test_category_counts (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GHashTable) before = category_counts (f, NULL);
  g_autoptr(GHashTable) before_member = category_counts (f, f->member);
  g_autoptr(GHashTable) before_admin = category_counts (f, f->admin);
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(JsonObject) tech = NULL;
  g_autoptr(JsonObject) cancelled = NULL;
  g_autofree char *cancel_path = NULL;

  /* A case-insensitive match counts under the table's category; an
   * unknown or empty category under Other; an ended event nowhere. */
  tech = create_event (f, f->organizer, "\"title\": \"Lowercase tech\", \"category\": \"tECH\"");
  g_autoptr(JsonObject) food = create_event (f, f->other, "\"title\": \"Food\", \"category\": \"food & drink\"");
  g_autoptr(JsonObject) weaving = create_event (f, f->organizer,
                                                "\"title\": \"Weaving\", \"category\": \"Underwater Basket Weaving\"");
  g_autoptr(JsonObject) none = create_event (f, f->organizer, "\"title\": \"No category\"");
  g_autoptr(JsonObject) past = request_ok (f, "POST", "/api/v1/events", f->organizer,
                                           "{\"title\": \"Long ago\", \"category\": \"Music\", "
                                           "\"starts_at\": \"2020-01-01T18:00:00Z\", "
                                           "\"ends_at\": \"2020-01-01T20:00:00Z\"}", 201);
  /* The event keeps its free text. */
  g_assert_cmpstr (tn_json_object_get_string (tech, "category"), ==, "tECH");
  g_assert_cmpstr (tn_json_object_get_string (weaving, "category"), ==, "Underwater Basket Weaving");

  after = category_counts (f, NULL);
  g_assert_cmpint (count_of (after, "Tech"), ==, count_of (before, "Tech") + 1);
  g_assert_cmpint (count_of (after, "Food & Drink"), ==, count_of (before, "Food & Drink") + 1);
  g_assert_cmpint (count_of (after, "Other"), ==, count_of (before, "Other") + 2);
  g_assert_cmpint (count_of (after, "Music"), ==, count_of (before, "Music"));
  /* The list's category filter ignores case too, and agrees with the count. */
  {
    g_autoptr(JsonObject) page = get_ok (f, "/api/v1/events?category=TECH&status=scheduled&limit=500", NULL);

    g_assert_cmpint (json_array_get_length (json_object_get_array_member (page, "items")), ==,
                     count_of (after, "Tech"));
  }

  /* Cancelling takes an event out of the count. */
  cancel_path = g_strconcat ("/api/v1/events/", tn_json_object_get_string (tech, "id"), "/cancel", NULL);
  cancelled = request_ok (f, "POST", cancel_path, f->organizer, NULL, 200);
  g_assert_cmpstr (tn_json_object_get_string (cancelled, "status"), ==, "cancelled");
  g_clear_pointer (&after, g_hash_table_unref);
  after = category_counts (f, NULL);
  g_assert_cmpint (count_of (after, "Tech"), ==, count_of (before, "Tech"));

  /* Private and unlisted events count for their organizer and admins,
   * as the list shows them, not for others. */
  {
    g_autoptr(JsonObject) secret = create_event (f, f->organizer,
                                                 "\"title\": \"Secret gig\", \"category\": \"Music\", "
                                                 "\"visibility\": \"private\"");
    g_autoptr(JsonObject) hidden = create_event (f, f->organizer,
                                                 "\"title\": \"Hidden gig\", \"category\": \"music\", "
                                                 "\"visibility\": \"unlisted\"");
    g_autoptr(GHashTable) anonymous = category_counts (f, NULL);
    g_autoptr(GHashTable) member = category_counts (f, f->member);
    g_autoptr(GHashTable) other = category_counts (f, f->other);
    g_autoptr(GHashTable) owner = category_counts (f, f->organizer);
    g_autoptr(GHashTable) admin = category_counts (f, f->admin);

    g_assert_cmpint (count_of (anonymous, "Music"), ==, count_of (before, "Music"));
    g_assert_cmpint (count_of (member, "Music"), ==, count_of (before_member, "Music"));
    g_assert_cmpint (count_of (other, "Music"), ==, count_of (before, "Music"));
    g_assert_cmpint (count_of (owner, "Music"), ==, count_of (before, "Music") + 2);
    g_assert_cmpint (count_of (admin, "Music"), ==, count_of (before_admin, "Music") + 2);
  }
}

static void
test_auth (Fixture       *f,
           gconstpointer  data)
{
  static const char * const paths[] = {
    "/api/v1/categories",
    "/api/v1/events?near=51.3397,12.3731&radius_km=5",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(JsonObject) anonymous = get_ok (f, paths[i], NULL);
      g_autoptr(JsonObject) member = get_ok (f, paths[i], f->member);

      /* A token given must be valid, as for the list. */
      expect_error (f, paths[i], "not-a-token-this-server-gave-out", 401, "unauthorized", NULL);
    }

  /* POST is not a method of the categories. */
  {
    g_autofree char *answer = NULL;
    guint status = tn_test_http (f->url, "POST", "/api/v1/categories", f->admin, "{}", -1, NULL, &answer);

    g_assert_cmpuint (status, ==, 405);
    tn_test_assert_error_body (answer, "bad_request");
  }
}

int
main (int    argc,
      char **argv)
{
  tn_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/server/places/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("near/known-distance", test_known_distance);
  ADD ("near/filter-and-order", test_filter_and_order);
  ADD ("near/radius-boundaries", test_radius_boundaries);
  ADD ("near/pagination", test_pagination);
  ADD ("near/bad-input", test_bad_input);
  ADD ("categories/contents", test_categories);
  ADD ("categories/counts", test_category_counts);
  ADD ("auth", test_auth);
#undef ADD

  return g_test_run ();
}
