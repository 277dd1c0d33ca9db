/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every route of the HTTP API, in one table, and their handlers. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "tn-auth.h"
#include "tn-csv.h"
#include "tn-error.h"
#include "tn-ics.h"
#include "tn-id.h"
#include "tn-json.h"
#include "tn-request.h"
#include "tn-routes.h"
#include "tn-server-private.h"
#include "tn-signed-ticket.h"
#include "tn-time.h"

typedef enum
{
  AUTH_NONE,       /* no token is looked at (health, metrics) */
  AUTH_OPTIONAL,   /* anonymous callers allowed; a token given must be valid */
  AUTH_REQUIRED,
  /* As AUTH_OPTIONAL and AUTH_REQUIRED, and a door device's token may be
   * used too (docs/CHECKIN.md): on every other route it is refused. */
  AUTH_OPTIONAL_DEVICE,
  AUTH_REQUIRED_DEVICE,
} RouteAuth;

typedef void (*RouteHandler) (TnRequest *req);

typedef struct
{
  const char   *method;
  const char   *pattern;   /* `{…}` are parameters: a whole segment, or a
                             segment's start before a literal suffix, as in
                             `{id}.ics`; a parameter never holds a dot */
  RouteAuth     auth;
  RouteHandler  handler;
} Route;

static void handle_health       (TnRequest *req);
static void handle_ready        (TnRequest *req);
static void handle_metrics      (TnRequest *req);
static void handle_openapi      (TnRequest *req);
static void handle_login        (TnRequest *req);
static void handle_logout       (TnRequest *req);
static void handle_me           (TnRequest *req);
static void handle_me_patch     (TnRequest *req);
static void handle_follow_put   (TnRequest *req);
static void handle_follow_delete (TnRequest *req);
static void handle_followers_list (TnRequest *req);
static void handle_following_list (TnRequest *req);
static void handle_users_list   (TnRequest *req);
static void handle_users_create (TnRequest *req);
static void handle_audit_list   (TnRequest *req);
static void handle_categories_list (TnRequest *req);
static void handle_recommendations (TnRequest *req);
static void handle_event_similar   (TnRequest *req);
static void handle_trending        (TnRequest *req);
static void handle_events_list  (TnRequest *req);
static void handle_events_ics   (TnRequest *req);
static void handle_event_create (TnRequest *req);
static void handle_event_get    (TnRequest *req);
static void handle_event_ics    (TnRequest *req);
static void handle_event_patch  (TnRequest *req);
static void handle_event_delete (TnRequest *req);
static void handle_event_cancel (TnRequest *req);
static void handle_rsvp_get     (TnRequest *req);
static void handle_rsvp_put     (TnRequest *req);
static void handle_attendees_list (TnRequest *req);
static void handle_attendees_csv  (TnRequest *req);
static void handle_attendees_import (TnRequest *req);
static void handle_attendee_add   (TnRequest *req);
static void handle_attendee_get   (TnRequest *req);
static void handle_attendee_patch (TnRequest *req);
static void handle_ticket_reissue (TnRequest *req);
static void handle_ticket_revoke  (TnRequest *req);
static void handle_people_list  (TnRequest *req);
static void handle_event_stats  (TnRequest *req);
static void handle_event_live   (TnRequest *req);
static void handle_person_put   (TnRequest *req);
static void handle_person_delete (TnRequest *req);
static void handle_pairing_create (TnRequest *req);
static void handle_device_pair    (TnRequest *req);
static void handle_devices_list   (TnRequest *req);
static void handle_device_patch   (TnRequest *req);
static void handle_device_delete  (TnRequest *req);
static void handle_checkins_post  (TnRequest *req);
static void handle_checkin_delete (TnRequest *req);
static void handle_sync           (TnRequest *req);

static const Route routes[] = {
  { "GET",    "/health",                        AUTH_NONE,     handle_health },
  { "GET",    "/health/ready",                  AUTH_NONE,     handle_ready },
  { "GET",    "/metrics",                       AUTH_NONE,     handle_metrics },
  { "GET",    "/api/v1/openapi.json",           AUTH_NONE,     handle_openapi },
  { "POST",   "/api/v1/auth/login",             AUTH_NONE,     handle_login },
  { "POST",   "/api/v1/auth/logout",            AUTH_REQUIRED, handle_logout },
  { "GET",    "/api/v1/me",                     AUTH_REQUIRED, handle_me },
  { "PATCH",  "/api/v1/me",                     AUTH_REQUIRED, handle_me_patch },
  { "PUT",    "/api/v1/users/{id}/follow",      AUTH_REQUIRED, handle_follow_put },
  { "DELETE", "/api/v1/users/{id}/follow",      AUTH_REQUIRED, handle_follow_delete },
  { "GET",    "/api/v1/users/{id}/followers",   AUTH_REQUIRED, handle_followers_list },
  { "GET",    "/api/v1/users/{id}/following",   AUTH_REQUIRED, handle_following_list },
  { "GET",    "/api/v1/users",                  AUTH_REQUIRED, handle_users_list },
  { "POST",   "/api/v1/users",                  AUTH_REQUIRED, handle_users_create },
  { "GET",    "/api/v1/audit",                  AUTH_REQUIRED, handle_audit_list },
  { "GET",    "/api/v1/categories",             AUTH_OPTIONAL, handle_categories_list },
  { "GET",    "/api/v1/recommendations",        AUTH_REQUIRED, handle_recommendations },
  { "GET",    "/api/v1/trending",               AUTH_OPTIONAL, handle_trending },
  { "GET",    "/api/v1/events",                 AUTH_OPTIONAL, handle_events_list },
  { "GET",    "/api/v1/events.ics",             AUTH_OPTIONAL, handle_events_ics },
  { "POST",   "/api/v1/events",                 AUTH_REQUIRED, handle_event_create },
  { "GET",    "/api/v1/events/{id}.ics",        AUTH_OPTIONAL, handle_event_ics },
  { "GET",    "/api/v1/events/{id}",            AUTH_OPTIONAL_DEVICE, handle_event_get },
  { "PATCH",  "/api/v1/events/{id}",            AUTH_REQUIRED, handle_event_patch },
  { "DELETE", "/api/v1/events/{id}",            AUTH_REQUIRED, handle_event_delete },
  { "POST",   "/api/v1/events/{id}/cancel",     AUTH_REQUIRED, handle_event_cancel },
  { "GET",    "/api/v1/events/{id}/similar",    AUTH_OPTIONAL, handle_event_similar },
  { "GET",    "/api/v1/events/{id}/rsvp",       AUTH_REQUIRED, handle_rsvp_get },
  { "PUT",    "/api/v1/events/{id}/rsvp",       AUTH_REQUIRED, handle_rsvp_put },
  { "GET",    "/api/v1/events/{id}/attendees",  AUTH_REQUIRED, handle_attendees_list },
  { "POST",   "/api/v1/events/{id}/attendees",  AUTH_REQUIRED, handle_attendee_add },
  { "GET",    "/api/v1/events/{id}/attendees.csv", AUTH_REQUIRED, handle_attendees_csv },
  { "POST",   "/api/v1/events/{id}/attendees/import", AUTH_REQUIRED, handle_attendees_import },
  { "GET",    "/api/v1/events/{id}/attendees/{attendee_id}", AUTH_REQUIRED, handle_attendee_get },
  { "PATCH",  "/api/v1/events/{id}/attendees/{attendee_id}", AUTH_REQUIRED, handle_attendee_patch },
  { "POST",   "/api/v1/events/{id}/attendees/{attendee_id}/ticket", AUTH_REQUIRED, handle_ticket_reissue },
  { "DELETE", "/api/v1/events/{id}/attendees/{attendee_id}/ticket", AUTH_REQUIRED, handle_ticket_revoke },
  { "GET",    "/api/v1/events/{id}/stats",      AUTH_REQUIRED_DEVICE, handle_event_stats },
  { "GET",    "/api/v1/events/{id}/live",       AUTH_REQUIRED_DEVICE, handle_event_live },
  { "GET",    "/api/v1/events/{id}/people",     AUTH_REQUIRED, handle_people_list },
  { "PUT",    "/api/v1/events/{id}/people/{user_id}", AUTH_REQUIRED, handle_person_put },
  { "DELETE", "/api/v1/events/{id}/people/{user_id}", AUTH_REQUIRED, handle_person_delete },
  { "POST",   "/api/v1/devices/pairing",        AUTH_REQUIRED, handle_pairing_create },
  { "POST",   "/api/v1/devices",                AUTH_NONE,     handle_device_pair },
  { "GET",    "/api/v1/devices",                AUTH_REQUIRED, handle_devices_list },
  { "PATCH",  "/api/v1/devices/{id}",           AUTH_REQUIRED, handle_device_patch },
  { "DELETE", "/api/v1/devices/{id}",           AUTH_REQUIRED, handle_device_delete },
  { "POST",   "/api/v1/checkins",               AUTH_REQUIRED_DEVICE, handle_checkins_post },
  { "DELETE", "/api/v1/checkins/{id}",          AUTH_REQUIRED_DEVICE, handle_checkin_delete },
  { "GET",    "/api/v1/sync",                   AUTH_REQUIRED_DEVICE, handle_sync },
};

/* --- matching ------------------------------------------------------------ */

static gboolean
match_pattern (const char  *pattern,
               const char  *path,
               char       **params)
{
  const char *p = pattern;
  const char *s = path;
  guint n = 0;

  while (*p != '\0' && *s != '\0')
    {
      if (*p == '{')
        {
          /* The parameter takes its segment up to the pattern's literal
           * suffix (".ics" of "{id}.ics"), which is then matched as usual.
           * No dot in a parameter: "{id}" must not take "ID.ics". */
          const char *suffix = strchr (p, '}') + 1;
          gsize suffix_len = strcspn (suffix, "/");
          gsize len = strcspn (s, "/");

          if (len <= suffix_len || n >= TN_ROUTE_MAX_PARAMS)
            return FALSE;
          len -= suffix_len;
          if (memchr (s, '.', len) != NULL)
            return FALSE;
          if (params != NULL)
            params[n] = g_strndup (s, len);
          n++;
          s += len;
          p = suffix;
        }
      else if (*p++ != *s++)
        return FALSE;
    }
  return *p == '\0' && *s == '\0';
}

/* A door device's token: the device, if it is not revoked and the route
 * takes devices. */
static gboolean
authenticate_device (TnRequest   *req,
                     RouteAuth    auth,
                     char        *hash,
                     GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TnDevice) device = tn_store_lookup_device (tn_server_get_store (req->server), hash, &local_error);

  if (device == NULL)
    {
      if (g_error_matches (local_error, TN_ERROR, TN_ERROR_NOT_FOUND))
        g_set_error_literal (error, TN_ERROR, TN_ERROR_UNAUTHORIZED, "The token is unknown, revoked or expired");
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (device->revoked_at != 0)
    {
      g_set_error_literal (error, TN_ERROR, TN_ERROR_DEVICE_REVOKED,
                           "This door device was revoked, or its event deleted: wipe its data");
      return FALSE;
    }
  if (auth != AUTH_OPTIONAL_DEVICE && auth != AUTH_REQUIRED_DEVICE)
    {
      g_set_error_literal (error, TN_ERROR, TN_ERROR_FORBIDDEN,
                           "A door device's token only reads its event, syncs and checks people in");
      return FALSE;
    }
  req->device = g_steal_pointer (&device);
  req->token_hash = g_strdup (hash);
  return TRUE;
}

static gboolean
authenticate (TnRequest  *req,
              RouteAuth   auth,
              GError    **error)
{
  const char *header;
  g_autofree char *hash = NULL;

  if (auth == AUTH_NONE)
    return TRUE;

  header = tn_request_get_header (req, "Authorization");
  if (header == NULL)
    {
      if (auth == AUTH_OPTIONAL || auth == AUTH_OPTIONAL_DEVICE)
        return TRUE;
      g_set_error (error, TN_ERROR, TN_ERROR_UNAUTHORIZED, "Sign in first: send Authorization: Bearer <token>");
      return FALSE;
    }
  if (g_ascii_strncasecmp (header, "Bearer ", 7) != 0 || header[7] == '\0')
    {
      g_set_error (error, TN_ERROR, TN_ERROR_UNAUTHORIZED, "The Authorization header must be Bearer <token>");
      return FALSE;
    }

  hash = tn_auth_hash_token (header + 7);
  if (g_str_has_prefix (header + 7, TN_DEVICE_TOKEN_PREFIX))
    return authenticate_device (req, auth, hash, error);
  req->user = tn_store_lookup_token (tn_server_get_store (req->server), hash, tn_time_now (), error);
  if (req->user == NULL)
    return FALSE;
  req->token_hash = g_steal_pointer (&hash);
  return TRUE;
}

/* On the main loop, or in a worker (tn_server_run_in_worker()). */
static void
run_route (TnRequest     *req,
           gconstpointer  data)
{
  const Route *route = data;
  g_autoptr(GError) error = NULL;

  if (!authenticate (req, route->auth, &error))
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  route->handler (req);
}

void
tn_routes_dispatch (TnServer          *server,
                    SoupServerMessage *msg,
                    const char        *path,
                    GHashTable        *query)
{
  g_autoptr(TnRequest) req = tn_request_new (server, msg, query);
  g_autoptr(GError) error = NULL;
  const char *method = soup_server_message_get_method (msg);
  const Route *path_match = NULL;
  GString *allowed = NULL;

  req->dispatched = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      if (!match_pattern (routes[i].pattern, path, NULL))
        continue;
      path_match = &routes[i];
      if (!g_str_equal (routes[i].method, method))
        continue;

      match_pattern (routes[i].pattern, path, req->params);
      g_object_set_data (G_OBJECT (msg), "tn-route", (gpointer) routes[i].pattern);
      if (tn_server_has_workers (server))
        tn_server_run_in_worker (server, req, run_route, &routes[i]);
      else
        run_route (req, &routes[i]);
      return;
    }

  if (path_match == NULL)
    {
      tn_request_reply_error_literal (req, TN_ERROR_NOT_FOUND, "No such API path");
      return;
    }

  allowed = g_string_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    if (g_str_equal (routes[i].pattern, path_match->pattern))
      g_string_append_printf (allowed, "%s%s", allowed->len > 0 ? ", " : "", routes[i].method);
  g_object_set_data (G_OBJECT (msg), "tn-route", (gpointer) path_match->pattern);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allowed->str);
  g_string_free (allowed, TRUE);
  tn_request_reply_error_literal (req, TN_ERROR_BAD_REQUEST, "This method is not allowed on this path");
  soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
}

/* --- helpers ------------------------------------------------------------- */

static JsonNode *
node_take_object (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

static gboolean
require_role (TnRequest  *req,
              TnRole      role,
              GError    **error)
{
  if (req->user == NULL || tn_user_get_role (req->user) < role)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_FORBIDDEN, "This needs the %s role", tn_role_to_string (role));
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_admin (TnRequest *req)
{
  return req->user != NULL && tn_user_get_role (req->user) == TN_ROLE_ADMIN;
}

/* What a caller may do with an event beyond seeing it. */
typedef enum
{
  EVENT_EDIT,              /* PATCH and cancel */
  EVENT_DELETE,
  EVENT_SEE_ATTENDEES,
  EVENT_MANAGE_PEOPLE,     /* the team and guest list (but co-hosts: below); attendees and tickets */
  EVENT_MANAGE_COHOSTS,    /* add and remove co-hosts */
} EventRight;

/* The caller's relation to @event; none when anonymous. */
static gboolean
caller_event_role (TnRequest    *req,
                   TnEvent      *event,
                   TnEventRole  *out_role,
                   GError      **error)
{
  *out_role = TN_EVENT_ROLE_NONE;
  if (req->user == NULL)
    return TRUE;
  return tn_store_get_event_role (tn_server_get_store (req->server), tn_event_get_id (event),
                                  tn_user_get_id (req->user), out_role, error);
}

/* Who may see an event by id: anyone a public or unlisted one (lists
 * leave unlisted ones out: LISTED_TO in the store); a private one only
 * admins, its organizer, co-hosts, staff, invited guests and attendees.
 * To anyone else a private event is "not found", so that its existence
 * does not leak. */
static gboolean
may_see_event (TnRequest  *req,
               TnEvent    *event,
               GError    **error)
{
  TnEventRole role;

  if (tn_event_get_visibility (event) != TN_VISIBILITY_PRIVATE || is_admin (req))
    return TRUE;
  if (!caller_event_role (req, event, &role, error))
    return FALSE;
  if (role == TN_EVENT_ROLE_NONE)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_NOT_FOUND, "No such event");
      return FALSE;
    }
  return TRUE;
}

/* Who may do @right to an event they see: admins anything; the organizer
 * anything; co-hosts edit, cancel, see attendees and manage staff and
 * guests, but neither delete nor add or remove co-hosts; staff see the
 * attendees (for check-in). */
static gboolean
may_change_event (TnRequest   *req,
                  TnEvent     *event,
                  EventRight   right,
                  GError     **error)
{
  TnEventRole role;
  TnEventRole needed = TN_EVENT_ROLE_ORGANIZER;
  const char *message = NULL;

  if (is_admin (req))
    return TRUE;
  if (!caller_event_role (req, event, &role, error))
    return FALSE;
  switch (right)
    {
    case EVENT_EDIT:
      needed = TN_EVENT_ROLE_COHOST;
      message = "Only the organizer of this event, a co-host or an admin can change it";
      break;
    case EVENT_DELETE:
      message = "Only the organizer of this event or an admin can delete it";
      break;
    case EVENT_SEE_ATTENDEES:
      needed = TN_EVENT_ROLE_STAFF;
      message = "Only the organizer of this event, its co-hosts, its staff or an admin can see its attendees";
      break;
    case EVENT_MANAGE_PEOPLE:
      needed = TN_EVENT_ROLE_COHOST;
      message = "Only the organizer of this event, a co-host or an admin can manage its people and attendees";
      break;
    case EVENT_MANAGE_COHOSTS:
      message = "Only the organizer of this event or an admin can add or remove co-hosts";
      break;
    default:
      g_assert_not_reached ();
    }
  if (role < needed)
    {
      g_set_error_literal (error, TN_ERROR, TN_ERROR_FORBIDDEN, message);
      return FALSE;
    }
  return TRUE;
}

/* Fetches the event of the {id} parameter, if the caller may see it. */
static TnEvent *
load_event (TnRequest  *req,
            GError    **error)
{
  g_autoptr(TnEvent) event = NULL;
  g_autofree char *id = NULL;

  if (!g_uuid_string_is_valid (req->params[0]))
    {
      g_set_error (error, TN_ERROR, TN_ERROR_NOT_FOUND, "No such event");
      return NULL;
    }
  id = g_ascii_strdown (req->params[0], -1);
  /* A door device sees its own event and no other. */
  if (req->device != NULL && !g_str_equal (id, req->device->event_id))
    {
      g_set_error (error, TN_ERROR, TN_ERROR_NOT_FOUND, "No such event");
      return NULL;
    }
  event = tn_store_get_event (tn_server_get_store (req->server), id, error);
  if (event == NULL || (req->device == NULL && !may_see_event (req, event, error)))
    return NULL;
  return g_steal_pointer (&event);
}

/* For changes: the event the caller sees, if they may do @right to it
 * (forbidden otherwise). */
static TnEvent *
load_own_event (TnRequest   *req,
                EventRight   right,
                GError     **error)
{
  g_autoptr(TnEvent) event = load_event (req, error);

  if (event == NULL || !may_change_event (req, event, right, error))
    return NULL;
  return g_steal_pointer (&event);
}

static void
set_etag (TnRequest *req,
          TnEvent   *event)
{
  g_autofree char *etag = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", tn_event_get_version (event));

  tn_request_set_header (req, "ETag", etag);
}

static void
reply_event (TnRequest *req,
             guint      status,
             TnEvent   *event)
{
  GString *text = g_string_sized_new (1024);

  tn_event_append_json (event, TN_EVENT_JSON_STORED, text);
  set_etag (req, event);
  tn_request_reply_json_text (req, status, text);
}

/* Tells the event's live subscribers (once committed) that the event
 * changed: its capacity, its status, or its details. */
static void
publish_event (TnRequest  *req,
               TnEvent    *event)
{
  g_autoptr(JsonObject) change = json_object_new ();

  json_object_set_string_member (change, "type", "event");
  json_object_set_int_member (change, "version", tn_event_get_version (event));
  json_object_set_string_member (change, "status",
                                 tn_event_get_status (event) == TN_EVENT_STATUS_CANCELLED ? "cancelled" : "scheduled");
  tn_server_publish_change (req->server, tn_event_get_id (event), change);
}

/* Reads If-Match as a version: `"3"`, `W/"3"` or `3`. Returns -1 when the
 * header is absent, -2 when it is not a version. */
static gint64
if_match_version (TnRequest *req)
{
  const char *header = tn_request_get_header (req, "If-Match");
  g_autofree char *text = NULL;
  gsize len;
  guint64 version;
  char *end = NULL;

  if (header == NULL)
    return -1;
  text = g_strstrip (g_strdup (header));
  if (g_str_has_prefix (text, "W/"))
    memmove (text, text + 2, strlen (text + 2) + 1);
  len = strlen (text);
  if (len >= 2 && text[0] == '"' && text[len - 1] == '"')
    {
      text[len - 1] = '\0';
      memmove (text, text + 1, len - 1);
    }
  if (text[0] == '\0' || !g_ascii_isdigit (text[0]))
    return -2;
  version = g_ascii_strtoull (text, &end, 10);
  if (*end != '\0' || version > G_MAXINT64)
    return -2;
  return (gint64) version;
}

/* For PATCH, DELETE and cancel: the event, if the caller may do @right to
 * it, and the version of If-Match (-1 when absent and not @required). On failure the error is
 * answered here and NULL returned. */
static TnEvent *
load_event_to_change (TnRequest  *req,
                      EventRight  right,
                      gboolean    required,
                      gint64     *out_version)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) event = load_own_event (req, right, &error);

  if (event == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return NULL;
    }
  *out_version = if_match_version (req);
  if (*out_version == -1 && required)
    {
      tn_request_reply_error_literal (req, TN_ERROR_PRECONDITION_REQUIRED,
                                      "Send If-Match with the version you edited, such as If-Match: \"3\"");
      return NULL;
    }
  if (*out_version == -2)
    {
      tn_request_reply_error_literal (req, TN_ERROR_BAD_REQUEST, "If-Match must be an event version, such as \"3\"");
      return NULL;
    }
  return g_steal_pointer (&event);
}

/* Query values arrive percent-decoded, as bytes: they may not be UTF-8. */
static const char *
query_text (TnRequest  *req,
            const char *name,
            gsize       max_chars,
            JsonObject *details)
{
  const char *value = tn_request_get_query (req, name);

  if (value == NULL || value[0] == '\0')
    return NULL;
  if (!g_utf8_validate (value, -1, NULL))
    json_object_set_string_member (details, name, "must be valid UTF-8");
  else if (g_utf8_strlen (value, -1) > (glong) max_chars)
    json_object_set_string_member (details, name, "is too long");
  else
    return value;
  return NULL;
}

static gint64
query_time (TnRequest  *req,
            const char *name,
            JsonObject *details)
{
  const char *value = tn_request_get_query (req, name);
  gint64 time = 0;

  if (value == NULL || value[0] == '\0')
    return 0;
  if (!tn_time_parse (value, &time, NULL))
    {
      json_object_set_string_member (details, name,
                                     "must be an RFC 3339 date and time with a time zone, such as 2026-11-22T18:00:00Z");
      return 0;
    }
  return time == 0 ? 1 : time;   /* 0 means "unset" in TnEventQuery */
}

/* `limit`: @fallback when absent, else a whole number from 1 to @max. */
static guint
query_limit_between (TnRequest  *req,
                     JsonObject *details,
                     guint       fallback,
                     guint       max)
{
  const char *value = tn_request_get_query (req, "limit");
  guint64 limit;

  if (value == NULL || value[0] == '\0')
    return fallback;
  if (!g_ascii_string_to_unsigned (value, 10, 1, max, &limit, NULL))
    {
      g_autofree char *message = g_strdup_printf ("must be a whole number from 1 to %u", max);

      json_object_set_string_member (details, "limit", message);
      return fallback;
    }
  return (guint) limit;
}

static guint
query_limit (TnRequest  *req,
             JsonObject *details)
{
  return query_limit_between (req, details, TN_LIST_LIMIT_DEFAULT, TN_LIST_LIMIT_MAX);
}

/* Cursors are opaque to clients: base64url of "STARTS_AT:ID" of the last
 * event of the previous page, or of the e-mail address of the last user. */
static char *
base64url_encode (const char *raw)
{
  char *encoded = g_base64_encode ((const guchar *) raw, strlen (raw));

  g_strdelimit (encoded, "+", '-');
  g_strdelimit (encoded, "/", '_');
  return encoded;
}

static char *
base64url_decode (const char *cursor)
{
  g_autofree char *copy = NULL;
  g_autofree guchar *raw = NULL;
  gsize len = 0;

  if (strlen (cursor) > 400)
    return NULL;
  for (const char *p = cursor; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '=')
      return NULL;
  copy = g_strdup (cursor);
  g_strdelimit (copy, "-", '+');
  g_strdelimit (copy, "_", '/');
  raw = g_base64_decode (copy, &len);
  if (len == 0 || memchr (raw, '\0', len) != NULL || !g_utf8_validate_len ((const char *) raw, len, NULL))
    return NULL;
  return g_strndup ((const char *) raw, len);
}

static char *
encode_cursor (TnEvent *last)
{
  g_autofree char *raw = g_strdup_printf ("%" G_GINT64_FORMAT ":%s",
                                          tn_event_get_starts_at (last), tn_event_get_id (last));

  return base64url_encode (raw);
}

static gboolean
decode_cursor (const char  *cursor,
               gint64      *out_starts_at,
               char       **out_id)
{
  g_autofree char *text = base64url_decode (cursor);
  const char *colon;
  char *end = NULL;
  gint64 starts_at;

  if (text == NULL || (colon = strchr (text, ':')) == NULL)
    return FALSE;
  starts_at = g_ascii_strtoll (text, &end, 10);
  if (end != colon || !g_uuid_string_is_valid (colon + 1))
    return FALSE;
  *out_starts_at = starts_at;
  *out_id = g_strdup (colon + 1);
  return TRUE;
}

static char *
decode_user_cursor (const char *cursor)
{
  g_autofree char *email = base64url_decode (cursor);

  if (email == NULL || !tn_email_is_valid (email))
    return NULL;
  return g_steal_pointer (&email);
}

/* A list by distance (`near`) pages by (distance, starts_at, id): its
 * cursor is "near:DISTANCE:STARTS_AT:ID", with the distance the store
 * computed, written so that it reads back as the same double. */
static char *
encode_near_cursor (double   distance,
                    TnEvent *last)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *raw = g_strdup_printf ("near:%s:%" G_GINT64_FORMAT ":%s",
                                          g_ascii_dtostr (buf, sizeof buf, distance),
                                          tn_event_get_starts_at (last), tn_event_get_id (last));

  return base64url_encode (raw);
}

static gboolean
decode_near_cursor (const char  *cursor,
                    double      *out_distance,
                    gint64      *out_starts_at,
                    char       **out_id)
{
  g_autofree char *text = base64url_decode (cursor);
  const char *p, *colon;
  char *end = NULL;
  double distance;
  gint64 starts_at;

  if (text == NULL || !g_str_has_prefix (text, "near:"))
    return FALSE;
  p = text + strlen ("near:");
  distance = g_ascii_strtod (p, &end);
  if (end == p || *end != ':' || !isfinite (distance) || distance < 0.0)
    return FALSE;
  p = end + 1;
  if ((colon = strchr (p, ':')) == NULL)
    return FALSE;
  starts_at = g_ascii_strtoll (p, &end, 10);
  if (end == p || end != colon || !g_uuid_string_is_valid (colon + 1))
    return FALSE;
  *out_distance = distance;
  *out_starts_at = starts_at;
  *out_id = g_strdup (colon + 1);
  return TRUE;
}

/* --- audit log: recording ------------------------------------------------ */

/* Has the store record, with the next change it makes, that the caller
 * did @action to @target_type @target_id (of @event_id), with @details
 * (a JSON object, or NULL). The store writes the record in the change's
 * transaction; call audit_done() after the change, whatever its result. */
static void
audit_begin (TnRequest  *req,
             const char *action,
             const char *target_type,
             const char *target_id,
             const char *event_id,
             JsonObject *details)
{
  g_autofree char *text = NULL;
  TnAuditEntry entry = { 0 };

  if (details != NULL)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (node, details);
      text = json_to_string (node, FALSE);
    }
  entry.actor_id = req->user != NULL ? (char *) tn_user_get_id (req->user) : NULL;
  entry.actor_email = req->user != NULL ? (char *) tn_user_get_email (req->user) : NULL;
  entry.action = (char *) action;
  entry.target_type = (char *) target_type;
  entry.target_id = (char *) target_id;
  entry.event_id = (char *) event_id;
  entry.details = text;
  tn_store_set_audit (tn_server_get_store (req->server), &entry);
}

static void
audit_done (TnRequest *req)
{
  tn_store_set_audit (tn_server_get_store (req->server), NULL);
}

/* Adds {"old": …, "new": …} under @name to @changes (NULL values: null). */
static void
audit_change (JsonObject *changes,
              const char *name,
              JsonNode   *old_value,
              JsonNode   *new_value)
{
  JsonObject *change = json_object_new ();

  json_object_set_member (change, "old", old_value != NULL ? json_node_copy (old_value) : json_node_new (JSON_NODE_NULL));
  json_object_set_member (change, "new", new_value != NULL ? json_node_copy (new_value) : json_node_new (JSON_NODE_NULL));
  json_object_set_object_member (changes, name, change);
}

static void
audit_change_string (JsonObject *changes,
                     const char *name,
                     const char *old_value,
                     const char *new_value)
{
  g_autoptr(JsonNode) old_node = NULL;
  g_autoptr(JsonNode) new_node = NULL;

  if (old_value != NULL)
    old_node = json_node_init_string (json_node_alloc (), old_value);
  if (new_value != NULL)
    new_node = json_node_init_string (json_node_alloc (), new_value);
  audit_change (changes, name, old_node, new_node);
}

/* The fields of an event that differ from @before to @after, each as
 * {"old", "new"}; what the server keeps itself (version, times of
 * creation and update) is left out. */
static JsonObject *
audit_event_changes (TnEvent *before,
                     TnEvent *after)
{
  static const char * const skipped[] = { "version", "created_at", "updated_at", NULL };
  g_autoptr(JsonNode) old_node = tn_event_to_json (before, TN_EVENT_JSON_STORED);
  g_autoptr(JsonNode) new_node = tn_event_to_json (after, TN_EVENT_JSON_STORED);
  JsonObject *old_object = json_node_get_object (old_node);
  JsonObject *new_object = json_node_get_object (new_node);
  JsonObject *changes = json_object_new ();
  g_autoptr(GList) new_names = json_object_get_members (new_object);
  g_autoptr(GList) old_names = json_object_get_members (old_object);

  for (GList *l = new_names; l != NULL; l = l->next)
    {
      JsonNode *old_value = json_object_get_member (old_object, l->data);
      JsonNode *new_value = json_object_get_member (new_object, l->data);

      if (g_strv_contains (skipped, l->data))
        continue;
      if (old_value == NULL || !json_node_equal (old_value, new_value))
        audit_change (changes, l->data, old_value, new_value);
    }
  for (GList *l = old_names; l != NULL; l = l->next)
    if (!g_strv_contains (skipped, l->data) && !json_object_has_member (new_object, l->data))
      audit_change (changes, l->data, json_object_get_member (old_object, l->data), NULL);
  return changes;
}

/* --- health, metrics ----------------------------------------------------- */

static void
handle_health (TnRequest *req)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = NULL;

  json_object_set_string_member (object, "status", "ok");
  json_object_set_string_member (object, "version", PACKAGE_VERSION);
  node = node_take_object (g_steal_pointer (&object));
  tn_request_reply_json (req, SOUP_STATUS_OK, node);
}

static void
handle_ready (TnRequest *req)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ready = tn_store_ping (tn_server_get_store (req->server), &error);

  json_object_set_string_member (object, "status", ready ? "ready" : "unavailable");
  json_object_set_string_member (object, "database", ready ? "ok" : "failed");
  node = node_take_object (g_steal_pointer (&object));
  tn_request_reply_json (req, ready ? SOUP_STATUS_OK : SOUP_STATUS_SERVICE_UNAVAILABLE, node);
}

static void
handle_metrics (TnRequest *req)
{
  g_autofree char *text = tn_metrics_render (tn_server_get_metrics (req->server));

  tn_request_reply_text (req, SOUP_STATUS_OK, "text/plain; version=0.0.4; charset=utf-8", text);
}

/* GET /api/v1/openapi.json: docs/openapi.json, compiled into the server. */
static void
handle_openapi (TnRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_resources_lookup_data ("/org/turnout/server/openapi.json",
                                                     G_RESOURCE_LOOKUP_FLAGS_NONE, &error);

  if (bytes == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  /* resource data always ends with a NUL byte */
  tn_request_reply_text (req, SOUP_STATUS_OK, "application/json", g_bytes_get_data (bytes, NULL));
}

/* --- auth and users ------------------------------------------------------ */

/* Checks that @object has exactly the string members @names (all required)
 * and no others; fills @details. */
static gboolean
read_string_fields (JsonObject          *object,
                    const char * const  *names,
                    JsonObject          *details)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (const GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (names, l->data))
      json_object_set_string_member (details, l->data, "is not a field of this request");
  for (guint i = 0; names[i] != NULL; i++)
    {
      JsonNode *node = json_object_get_member (object, names[i]);

      if (node == NULL)
        json_object_set_string_member (details, names[i], "is required");
      else if (!tn_json_node_is_string (node))
        json_object_set_string_member (details, names[i], "must be a string");
    }
  return json_object_get_size (details) == 0;
}

static void
reply_validation (TnRequest  *req,
                  JsonObject *details)
{
  g_autoptr(GError) error = g_error_new_literal (TN_ERROR, TN_ERROR_VALIDATION_FAILED,
                                                 "Some fields are not valid; see details");

  tn_request_reply_error (req, error, details);
}

/* The request's body, a JSON object of only @fields, each a string; on
 * anything else the error is answered here (400, or 422 with @details)
 * and NULL returned. */
static JsonObject *
read_string_body (TnRequest          *req,
                  const char * const *fields,
                  JsonObject         *details)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = tn_request_read_object (req, &error);

  if (body == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return NULL;
    }
  if (!read_string_fields (body, fields, details))
    {
      reply_validation (req, details);
      return NULL;
    }
  return g_steal_pointer (&body);
}

typedef struct
{
  TnRequest *req;
  TnUser    *user;      /* NULL: no such account */
  char      *account;   /* its key in the account limiter */
} LoginData;

/* Sign-in limits (TnRateLimiter), checked before Argon2id runs, so a
 * refused attempt costs no CPU. Per client address every attempt counts.
 * Per account every attempt counts too, from before the password check
 * (parallel guesses must not all pass before the first failure is known),
 * and a success clears the account: what remains are the failures since
 * the last success. Unknown e-mail addresses are counted the same way, so
 * neither answers nor limits tell whether an account exists. Only
 * well-formed attempts count: malformed requests cost nothing to refuse. */
static gboolean
check_rate_limit (TnRequest     *req,
                  TnRateLimiter *limiter,
                  const char    *key,
                  const char    *attempts)
{
  g_autofree char *seconds = NULL;
  g_autofree char *message = NULL;
  guint retry_after;

  if (tn_rate_limiter_check (limiter, key, tn_server_get_monotonic_time (req->server), &retry_after))
    return TRUE;

  seconds = g_strdup_printf ("%u", retry_after);
  message = g_strdup_printf ("Too many %s; try again in %u seconds", attempts, retry_after);
  tn_request_set_header (req, "Retry-After", seconds);
  tn_request_reply_error_literal (req, TN_ERROR_RATE_LIMITED, message);
  return FALSE;
}

static gboolean
check_login_limit (TnRequest     *req,
                   TnRateLimiter *limiter,
                   const char    *key)
{
  return check_rate_limit (req, limiter, key, "sign-in attempts");
}

static void
login_verified_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  LoginData *data = user_data;
  g_autoptr(TnRequest) req = data->req;
  g_autoptr(TnUser) user = data->user;
  g_autofree char *account = data->account;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *token = NULL;
  g_autofree char *expires = NULL;
  gint64 expires_at;

  g_free (data);

  if (!tn_auth_verify_password_finish (result) || user == NULL)
    {
      tn_request_reply_error_literal (req, TN_ERROR_UNAUTHORIZED, "The e-mail address or the password is wrong");
      return;
    }
  tn_rate_limiter_reset (tn_server_get_account_limiter (req->server), account);

  token = tn_server_issue_token (req->server, tn_user_get_id (user), &expires_at, &error);
  if (token == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  expires = tn_time_format (expires_at);
  object = json_object_new ();
  json_object_set_string_member (object, "token", token);
  json_object_set_string_member (object, "token_type", "Bearer");
  json_object_set_string_member (object, "expires_at", expires);
  json_object_set_member (object, "user", tn_user_to_json (user));
  node = node_take_object (g_steal_pointer (&object));
  tn_request_reply_json (req, SOUP_STATUS_OK, node);
}

static void
handle_login (TnRequest *req)
{
  static const char * const fields[] = { "email", "password", NULL };
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) details = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *address = NULL;
  g_autofree char *account = NULL;
  const char *email, *password;
  LoginData *data;

  body = read_string_body (req, fields, details);
  if (body == NULL)
    return;
  email = tn_json_object_get_string (body, "email");
  password = tn_json_object_get_string (body, "password");
  address = tn_request_get_client_address (req);
  if (!check_login_limit (req, tn_server_get_address_limiter (req->server), address))
    return;
  if (strlen (password) > TN_USER_PASSWORD_MAX * 4 || strlen (email) > TN_USER_EMAIL_MAX)
    {
      tn_request_reply_error_literal (req, TN_ERROR_UNAUTHORIZED, "The e-mail address or the password is wrong");
      return;
    }
  /* ASCII only, as the store compares e-mail addresses (COLLATE NOCASE):
   * one key per account, whatever the spelling. */
  account = g_ascii_strdown (email, -1);
  if (!check_login_limit (req, tn_server_get_account_limiter (req->server), account))
    return;

  data = g_new0 (LoginData, 1);
  data->req = tn_request_ref (req);
  data->account = g_steal_pointer (&account);
  data->user = tn_store_find_user_by_email (tn_server_get_store (req->server), email, &hash, &error);
  if (data->user == NULL && !g_error_matches (error, TN_ERROR, TN_ERROR_NOT_FOUND))
    {
      tn_request_reply_error (req, error, NULL);
      tn_request_unref (data->req);
      g_free (data->account);
      g_free (data);
      return;
    }

  /* Argon2id takes tens of milliseconds: off the main loop. */
  tn_request_pause (req);
  tn_auth_verify_password_async (hash, password, NULL, login_verified_cb, data);
}

static void
handle_logout (TnRequest *req)
{
  g_autoptr(GError) error = NULL;

  if (!tn_request_read_empty (req, &error) ||
      !tn_store_revoke_token (tn_server_get_store (req->server), req->token_hash, &error))
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  tn_request_reply_empty (req, SOUP_STATUS_NO_CONTENT);
}

static void
handle_users_list (TnRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) details = json_object_new ();
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonArray) items = json_array_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *after = NULL;
  const char *cursor;
  guint limit;

  if (!require_role (req, TN_ROLE_ADMIN, &error))
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  limit = query_limit (req, details);
  cursor = tn_request_get_query (req, "cursor");
  if (cursor != NULL && cursor[0] != '\0' && (after = decode_user_cursor (cursor)) == NULL)
    json_object_set_string_member (details, "cursor", "is not a cursor this server gave out");
  if (json_object_get_size (details) > 0)
    {
      reply_validation (req, details);
      return;
    }
  users = tn_store_list_users (tn_server_get_store (req->server), limit + 1, after, &error);
  if (users == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  for (guint i = 0; i < users->len && i < limit; i++)
    json_array_add_element (items, tn_user_to_json (users->pdata[i]));
  json_object_set_array_member (object, "items", g_steal_pointer (&items));
  if (users->len > limit)
    {
      g_autofree char *next = base64url_encode (tn_user_get_email (users->pdata[limit - 1]));

      json_object_set_string_member (object, "next_cursor", next);
    }
  else
    json_object_set_null_member (object, "next_cursor");
  node = node_take_object (g_steal_pointer (&object));
  tn_request_reply_json (req, SOUP_STATUS_OK, node);
}

typedef struct
{
  TnRequest *req;
  char      *email;
  char      *name;
  char      *password;
  TnRole     role;
} CreateUserData;

static void
create_user_data_free (gpointer p)
{
  CreateUserData *data = p;

  tn_request_unref (data->req);
  g_free (data->email);
  g_free (data->name);
  g_free (data->password);
  g_free (data);
}

static void
hash_password_thread (GTask        *task,
                      gpointer      source,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  CreateUserData *data = task_data;
  GError *error = NULL;
  char *hash = tn_auth_hash_password (data->password, &error);

  if (hash == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, hash, g_free);
}

static void
user_hashed_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  CreateUserData *data = g_task_get_task_data (G_TASK (result));
  TnRequest *req = data->req;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *id = NULL;
  g_autoptr(TnUser) user = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (hash == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  id = tn_id_new ();
  {
    g_autoptr(JsonObject) details = json_object_new ();

    json_object_set_string_member (details, "email", data->email);
    json_object_set_string_member (details, "name", data->name);
    json_object_set_string_member (details, "role", tn_role_to_string (data->role));
    audit_begin (req, "user.create", "user", id, NULL, details);
  }
  user = tn_store_create_user (tn_server_get_store (req->server), id, data->email, data->name, hash,
                               data->role, &error);
  audit_done (req);
  if (user == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  node = tn_user_to_json (user);
  tn_request_reply_json (req, SOUP_STATUS_CREATED, node);
}

static void
handle_users_create (TnRequest *req)
{
  static const char * const fields[] = { "email", "name", "password", "role", NULL };
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) details = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  g_autofree char *name = NULL;
  CreateUserData *data;
  const char *email, *password;
  TnRole role = TN_ROLE_MEMBER;
  glong len;

  if (!require_role (req, TN_ROLE_ADMIN, &error))
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  body = read_string_body (req, fields, details);
  if (body == NULL)
    return;

  email = tn_json_object_get_string (body, "email");
  password = tn_json_object_get_string (body, "password");
  name = g_strstrip (g_strdup (tn_json_object_get_string (body, "name")));
  if (!tn_email_is_valid (email))
    json_object_set_string_member (details, "email", "must be an e-mail address");
  len = g_utf8_validate (name, -1, NULL) ? g_utf8_strlen (name, -1) : -1;
  if (len < 1 || len > TN_USER_NAME_MAX)
    json_object_set_string_member (details, "name", "must be 1 to 100 characters long");
  else
    for (const char *p = name; *p; p = g_utf8_next_char (p))
      if (g_unichar_iscntrl (g_utf8_get_char (p)))
        {
          json_object_set_string_member (details, "name", "must not contain control characters");
          break;
        }
  len = g_utf8_validate (password, -1, NULL) ? g_utf8_strlen (password, -1) : -1;
  if (len < TN_USER_PASSWORD_MIN || len > TN_USER_PASSWORD_MAX)
    json_object_set_string_member (details, "password", "must be 8 to 1024 characters long");
  if (!tn_role_from_string (tn_json_object_get_string (body, "role"), &role))
    json_object_set_string_member (details, "role", "must be admin, organizer, staff or member");
  if (json_object_get_size (details) > 0)
    {
      reply_validation (req, details);
      return;
    }

  data = g_new0 (CreateUserData, 1);
  data->req = tn_request_ref (req);
  data->email = g_strdup (email);
  data->name = g_steal_pointer (&name);
  data->password = g_strdup (password);
  data->role = role;

  tn_request_pause (req);
  task = g_task_new (NULL, NULL, user_hashed_cb, NULL);
  g_task_set_task_data (task, data, create_user_data_free);
  g_task_set_source_tag (task, handle_users_create);
  /* Argon2id takes tens of milliseconds: off the main loop. */
  g_task_run_in_thread (task, hash_password_thread);
}

/* --- events -------------------------------------------------------------- */

/* The filters of an event list as the query string gives them, with the
 * caller's visibility: one reading for GET /api/v1/events and its feed. */
typedef struct
{
  TnEventQuery  query;     /* query.search points into the request's query string */
  char         *after_id;   /* owned; what query.after_id points to */
} EventFilters;

static void
event_filters_clear (EventFilters *filters)
{
  g_clear_pointer (&filters->after_id, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (EventFilters, event_filters_clear)

#define NEAR_RADIUS_DEFAULT_KM 25.0
#define NEAR_RADIUS_MAX_KM     20000.0

/* A plain decimal number (no hex, inf or nan) from @min to @max. */
static gboolean
parse_decimal (const char *text,
               double      min,
               double      max,
               double     *out)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  char *end = NULL;
  double value;

  if (copy[0] == '\0' || strspn (copy, "0123456789+-.eE") != strlen (copy))
    return FALSE;
  value = g_ascii_strtod (copy, &end);
  if (end == copy || *end != '\0' || !isfinite (value) || value < min || value > max)
    return FALSE;
  *out = value;
  return TRUE;
}

/* `near=LAT,LON` (decimal degrees) and `radius_km` (default 25 with near,
 * meaningless without it). */
static void
query_near (TnRequest    *req,
            TnEventQuery *query,
            JsonObject   *details)
{
  const char *near = query_text (req, "near", 100, details);
  const char *radius = query_text (req, "radius_km", 40, details);
  const char *near_raw = tn_request_get_query (req, "near");

  if (near != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (near, ",", -1);

      if (g_strv_length (parts) == 2 &&
          parse_decimal (parts[0], -90.0, 90.0, &query->near_lat) &&
          parse_decimal (parts[1], -180.0, 180.0, &query->near_lon))
        query->near = TRUE;
      else
        json_object_set_string_member (details, "near",
                                       "must be a latitude from -90 to 90 and a longitude from -180 to 180 "
                                       "in decimal degrees, such as near=51.3397,12.3731");
    }

  query->radius_km = NEAR_RADIUS_DEFAULT_KM;
  if (radius == NULL)
    return;
  if (!parse_decimal (radius, 0.0, NEAR_RADIUS_MAX_KM, &query->radius_km) || !(query->radius_km > 0.0))
    json_object_set_string_member (details, "radius_km",
                                   "must be a number of kilometres greater than 0 and at most 20000");
  else if (near_raw == NULL || near_raw[0] == '\0')
    json_object_set_string_member (details, "radius_km", "needs near=LAT,LON to measure from");
}

/* Fills @filters; @default_limit applies without `limit`, and `cursor` is
 * read only when @paginated. Bad filters are answered here (422, a detail
 * per parameter) and FALSE returned. */
static gboolean
read_event_filters (TnRequest    *req,
                    guint         default_limit,
                    gboolean      paginated,
                    EventFilters *filters)
{
  g_autoptr(JsonObject) details = json_object_new ();
  TnEventQuery *query = &filters->query;
  const char *q, *cursor, *limit;

  query->from = query_time (req, "from", details);
  query->to = query_time (req, "to", details);
  limit = tn_request_get_query (req, "limit");
  query->limit = limit == NULL || limit[0] == '\0' ? default_limit : query_limit (req, details);
  q = query_text (req, "q", 200, details);
  query->category = query_text (req, "category", TN_EVENT_CATEGORY_MAX, details);
  query->tag = query_text (req, "tag", TN_EVENT_TAG_MAX, details);
  query->status = query_text (req, "status", 20, details);
  if (query->status != NULL && !g_str_equal (query->status, "scheduled") && !g_str_equal (query->status, "cancelled"))
    json_object_set_string_member (details, "status", "must be scheduled or cancelled");
  query_near (req, query, details);
  cursor = paginated ? tn_request_get_query (req, "cursor") : NULL;
  if (cursor != NULL && cursor[0] != '\0' &&
      !(query->near ? decode_near_cursor (cursor, &query->after_distance_km, &query->after_starts_at,
                                          &filters->after_id)
                    : decode_cursor (cursor, &query->after_starts_at, &filters->after_id)))
    json_object_set_string_member (details, "cursor", "is not a cursor this server gave out");
  if (json_object_get_size (details) > 0)
    {
      reply_validation (req, details);
      return FALSE;
    }

  query->search = q;
  query->after_id = filters->after_id;
  query->viewer_id = req->user != NULL ? tn_user_get_id (req->user) : NULL;
  query->viewer_sees_all = is_admin (req);
  return TRUE;
}

static void
handle_events_list (TnRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_auto(EventFilters) filters = { { 0 } };
  g_autoptr(GArray) distances = NULL;
  GString *text;
  gboolean more = FALSE;

  if (!read_event_filters (req, TN_LIST_LIMIT_DEFAULT, TRUE, &filters))
    return;
  if (filters.query.near)
    filters.query.out_distances = distances = g_array_new (FALSE, FALSE, sizeof (double));

  events = tn_store_list_events (tn_server_get_store (req->server), &filters.query, &more, &error);
  if (events == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  g_assert (distances == NULL || distances->len == events->len);
  text = g_string_sized_new (1024 * (events->len + 1));
  g_string_append (text, "{\"items\":[");
  for (guint i = 0; i < events->len; i++)
    {
      if (i > 0)
        g_string_append_c (text, ',');
      tn_event_append_json (events->pdata[i], TN_EVENT_JSON_STORED, text);
      if (distances != NULL)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          /* one more member before the object's closing brace */
          g_string_truncate (text, text->len - 1);
          g_string_append_printf (text, ",\"distance_km\":%s}",
                                  g_ascii_formatd (buf, sizeof buf, "%.1f",
                                                   round (g_array_index (distances, double, i) * 10.0) / 10.0));
        }
    }
  g_string_append (text, "],\"next_cursor\":");
  if (more && events->len > 0)
    {
      /* a cursor is URL-safe base64: nothing to escape */
      g_autofree char *next = distances != NULL
        ? encode_near_cursor (g_array_index (distances, double, events->len - 1), events->pdata[events->len - 1])
        : encode_cursor (events->pdata[events->len - 1]);

      g_string_append_printf (text, "\"%s\"}", next);
    }
  else
    g_string_append (text, "null}");
  tn_request_reply_json_text (req, SOUP_STATUS_OK, text);
}

/* --- recommendations ------------------------------------------------------ */

#define REC_LIMIT_DEFAULT 10
#define REC_LIMIT_MAX     50

static guint
rec_limit (TnRequest  *req,
           JsonObject *details)
{
  return query_limit_between (req, details, REC_LIMIT_DEFAULT, REC_LIMIT_MAX);
}

/* The current model (a reference), or NULL with a 503 answered while the
 * server builds its first one: requests never wait for a build. */
static TnRecModel *
rec_model (TnRequest *req)
{
  TnRecModel *model = tn_rec_service_get_model (tn_server_get_recs (req->server));

  if (model != NULL)
    return model;
  tn_request_set_header (req, "Retry-After", "2");
  tn_request_reply_error_literal (req, TN_ERROR_UNAVAILABLE,
                                  "Recommendations are being prepared; try again in a moment");
  return NULL;
}

/* Answers the model's @items (asked for a few more than @limit): each
 * event as the store has it now, so one cancelled, made private or
 * started since the model was built is left out, as is one the caller
 * answered since. */
static void
reply_rec_items (TnRequest  *req,
                 TnRecModel *model,
                 GPtrArray  *items,
                 guint       limit,
                 GHashTable *exclude)
{
  g_autofree char *built_text = tn_time_format (tn_rec_model_get_built_at (model));
  GString *text = g_string_sized_new (1024 * (limit + 1));
  gint64 now = tn_time_now ();
  guint shown = 0;

  g_string_append (text, "{\"items\":[");
  for (guint i = 0; i < items->len && shown < limit; i++)
    {
      TnRecItem *item = items->pdata[i];
      g_autoptr(TnEvent) event = NULL;
      char score[G_ASCII_DTOSTR_BUF_SIZE];

      if (exclude != NULL && g_hash_table_contains (exclude, item->event_id))
        continue;
      event = tn_store_get_event (tn_server_get_store (req->server), item->event_id, NULL);
      if (event == NULL || tn_event_get_visibility (event) != TN_VISIBILITY_PUBLIC ||
          tn_event_get_status (event) != TN_EVENT_STATUS_SCHEDULED || tn_event_get_starts_at (event) <= now)
        continue;
      if (shown++ > 0)
        g_string_append_c (text, ',');
      g_string_append (text, "{\"event\":");
      tn_event_append_json (event, TN_EVENT_JSON_STORED, text);
      g_string_append_printf (text, ",\"score\":%s,\"reasons\":[",
                              g_ascii_formatd (score, sizeof score, "%.4f", item->score));
      for (guint r = 0; item->reasons[r] != NULL; r++)
        {
          if (r > 0)
            g_string_append_c (text, ',');
          tn_json_append_string (text, item->reasons[r]);
        }
      g_string_append (text, "]}");
    }
  g_string_append_printf (text, "],\"model_built_at\":\"%s\"}", built_text);
  tn_request_reply_json_text (req, SOUP_STATUS_OK, text);
}

/* A recommendation costs a few hundred microseconds of CPU on a large
 * community. The model is immutable and takes no lock, so the call runs
 * in a worker thread: the main loop goes on serving HTTP and the store
 * meanwhile (a door's check-in does not queue behind it), and a second
 * core, if there is one, shares the work. What the store says is read
 * before and after, on the main loop. */
typedef struct
{
  TnRequest  *req;
  TnRecModel *model;
  GPtrArray  *answered;   /* owns the exclusion's keys */
  GHashTable *exclude;
  TnRecQuery  query;
  guint       limit;
  GPtrArray  *items;
} RecJob;

static void
rec_job_free (gpointer data)
{
  RecJob *job = data;

  tn_request_unref (job->req);
  tn_rec_model_unref (job->model);
  g_hash_table_unref (job->exclude);
  g_ptr_array_unref (job->answered);
  g_clear_pointer (&job->items, g_ptr_array_unref);
  g_free (job);
}

static void
rec_job_run (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  RecJob *job = data;

  job->items = tn_rec_model_recommend (job->model, &job->query);
  g_task_return_boolean (task, TRUE);
}

static void
rec_job_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  RecJob *job = g_task_get_task_data (G_TASK (result));

  reply_rec_items (job->req, job->model, job->items, job->limit, job->exclude);
}

/* GET /api/v1/recommendations: upcoming public events for the caller,
 * blended from co-attendance, content, friends going, trending and
 * distance, each with its reasons. */
static void
handle_recommendations (TnRequest *req)
{
  g_autoptr(JsonObject) details = json_object_new ();
  g_autoptr(TnRecModel) model = NULL;
  g_autoptr(GPtrArray) answered = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  TnEventQuery near = { 0 };
  RecJob *job;
  guint limit;
  const char *category;

  limit = rec_limit (req, details);
  query_near (req, &near, details);
  if (tn_request_get_query (req, "radius_km") != NULL)
    json_object_set_string_member (details, "radius_km", "is not a parameter of recommendations");
  category = query_text (req, "category", 100, details);
  if (json_object_get_size (details) > 0)
    {
      reply_validation (req, details);
      return;
    }
  model = rec_model (req);
  if (model == NULL)
    return;

  /* what the caller answered, also since the model was built */
  answered = tn_store_list_user_answers (tn_server_get_store (req->server), tn_user_get_id (req->user), &error);
  if (answered == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }

  /* the query's strings belong to the request (its parameters, its user),
   * which the job holds */
  job = g_new0 (RecJob, 1);
  job->req = tn_request_ref (req);
  job->model = g_steal_pointer (&model);
  job->answered = g_steal_pointer (&answered);
  job->exclude = g_hash_table_new (g_str_hash, g_str_equal);
  job->limit = limit;
  for (guint i = 0; i < job->answered->len; i++)
    g_hash_table_add (job->exclude, job->answered->pdata[i]);
  tn_rec_query_init (&job->query);
  job->query.user_id = tn_user_get_id (req->user);
  job->query.now = tn_time_now ();
  job->query.limit = limit + 5;
  job->query.exclude = job->exclude;
  job->query.category = category;
  job->query.interests = tn_user_get_interests (req->user);
  if (near.near)
    {
      job->query.has_near = TRUE;
      job->query.near_lat = near.near_lat;
      job->query.near_lon = near.near_lon;
    }
  else
    job->query.has_near = tn_user_get_home (req->user, &job->query.near_lat, &job->query.near_lon);

  tn_request_pause (req);
  task = g_task_new (NULL, NULL, rec_job_done, NULL);
  g_task_set_source_tag (task, handle_recommendations);
  g_task_set_task_data (task, job, rec_job_free);
  g_task_run_in_thread (task, rec_job_run);
}

/* GET /api/v1/events/{id}/similar: upcoming public events like it, by
 * content and by who goes. */
static void
handle_event_similar (TnRequest *req)
{
  g_autoptr(JsonObject) details = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) event = NULL;
  g_autoptr(TnRecModel) model = NULL;
  g_autoptr(GPtrArray) items = NULL;
  guint limit = rec_limit (req, details);

  if (json_object_get_size (details) > 0)
    {
      reply_validation (req, details);
      return;
    }
  event = load_event (req, &error);
  if (event == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  model = rec_model (req);
  if (model == NULL)
    return;
  items = tn_rec_model_similar (model, tn_event_get_id (event), tn_time_now (), limit + 5);
  reply_rec_items (req, model, items, limit, NULL);
}

/* GET /api/v1/trending: upcoming public events by RSVPs, the recent ones
 * weighing most; `category` narrows it. */
static void
handle_trending (TnRequest *req)
{
  g_autoptr(JsonObject) details = json_object_new ();
  g_autoptr(TnRecModel) model = NULL;
  g_autoptr(GPtrArray) items = NULL;
  guint limit = rec_limit (req, details);
  const char *category = query_text (req, "category", 100, details);

  if (json_object_get_size (details) > 0)
    {
      reply_validation (req, details);
      return;
    }
  model = rec_model (req);
  if (model == NULL)
    return;
  items = tn_rec_model_trending (model, category, tn_time_now (), limit + 5);
  reply_rec_items (req, model, items, limit, NULL);
}

/* GET /api/v1/categories: every category with the number of upcoming
 * events the caller would see in the list. Few and fixed: one page. */
static void
handle_categories_list (TnRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonArray) items = json_array_new ();
  g_autoptr(JsonNode) node = NULL;

  categories = tn_store_list_categories (tn_server_get_store (req->server),
                                         req->user != NULL ? tn_user_get_id (req->user) : NULL,
                                         is_admin (req), tn_time_now (), &error);
  if (categories == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  for (guint i = 0; i < categories->len; i++)
    {
      TnCategory *category = categories->pdata[i];
      JsonObject *item = json_object_new ();

      json_object_set_string_member (item, "slug", category->slug);
      json_object_set_string_member (item, "name", category->name);
      json_object_set_string_member (item, "colour", category->colour);
      json_object_set_string_member (item, "icon", category->icon);
      json_object_set_int_member (item, "upcoming_events", category->upcoming_events);
      json_array_add_object_element (items, item);
    }
  json_object_set_array_member (object, "items", g_steal_pointer (&items));
  json_object_set_null_member (object, "next_cursor");
  node = node_take_object (g_steal_pointer (&object));
  tn_request_reply_json (req, SOUP_STATUS_OK, node);
}

static void
handle_event_create (TnRequest *req)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) details = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) event = NULL;
  g_autoptr(TnEvent) stored = NULL;
  g_autofree char *location = NULL;

  if (!require_role (req, TN_ROLE_ORGANIZER, &error))
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  body = tn_request_read_object (req, &error);
  if (body == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  event = tn_event_new_from_json (body, TN_EVENT_JSON_CREATE, details, &error);
  if (event == NULL || !tn_event_validate (event, details, &error))
    {
      reply_validation (req, details);
      return;
    }
  if (tn_event_get_id (event) == NULL)
    {
      g_autofree char *id = tn_id_new ();

      tn_event_set_id (event, id);
    }
  tn_event_set_organizer (event, tn_user_get_id (req->user));

  {
    g_autoptr(JsonObject) created = json_object_new ();

    json_object_set_string_member (created, "title", tn_event_get_title (event));
    audit_begin (req, "event.create", "event", tn_event_get_id (event), tn_event_get_id (event), created);
  }
  stored = tn_store_create_event (tn_server_get_store (req->server), event, &error);
  audit_done (req);
  if (stored == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  location = g_strconcat ("/api/v1/events/", tn_event_get_id (stored), NULL);
  tn_request_set_header (req, "Location", location);
  reply_event (req, SOUP_STATUS_CREATED, stored);
}

static void
handle_event_get (TnRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) event = load_event (req, &error);

  if (event == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  reply_event (req, SOUP_STATUS_OK, event);
}

/* --- calendar feeds ------------------------------------------------------ */

#define ICS_CONTENT_TYPE "text/calendar; charset=utf-8"
/* Without `from`, a feed starts this far back: subscribers see what is
 * coming and what just happened, not a community's oldest events. */
#define ICS_FEED_PAST_DAYS 30

/* The server's own URL as the caller reached it, for URL properties. */
static char *
request_base_url (TnRequest *req)
{
  GUri *uri = soup_server_message_get_uri (req->msg);

  return g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                     g_uri_get_port (uri), "", NULL, NULL);
}

/* GET /api/v1/events.ics: the events of GET /api/v1/events, with its
 * filters and visibility rules, as one RFC 5545 calendar to subscribe to.
 * A feed has no pages: `cursor` is ignored and `limit` (at most 500) is 500
 * unless given, so a feed ends after 500 events in the list's order.
 * Without `from` it starts ICS_FEED_PAST_DAYS back. */
static void
handle_events_ics (TnRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_auto(EventFilters) filters = { { 0 } };
  g_autofree char *base_url = NULL;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;
  gboolean more = FALSE;

  if (!read_event_filters (req, TN_LIST_LIMIT_MAX, FALSE, &filters))
    return;
  if (filters.query.from == 0)
    filters.query.from = tn_time_now () - ICS_FEED_PAST_DAYS * G_GINT64_CONSTANT (86400);

  events = tn_store_list_events (tn_server_get_store (req->server), &filters.query, &more, &error);
  if (events == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  base_url = request_base_url (req);
  name = filters.query.category != NULL ? g_strconcat ("Turnout: ", filters.query.category, NULL)
                                        : g_strdup ("Turnout events");
  text = tn_ics_write_calendar (name, events, base_url);
  tn_request_reply_text (req, SOUP_STATUS_OK, ICS_CONTENT_TYPE, text);
}

/* GET /api/v1/events/{id}.ics: one event as a calendar, to whoever may
 * see it as JSON. */
static void
handle_event_ics (TnRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) event = load_event (req, &error);
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *text = NULL;

  if (event == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  events = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (events, g_object_ref (event));
  base_url = request_base_url (req);
  text = tn_ics_write_calendar (tn_event_get_title (event), events, base_url);
  tn_request_reply_text (req, SOUP_STATUS_OK, ICS_CONTENT_TYPE, text);
}

static void
handle_event_patch (TnRequest *req)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) details = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) event = NULL;
  g_autoptr(TnEvent) changed = NULL;
  g_autoptr(TnEvent) stored = NULL;
  gint64 version;

  event = load_event_to_change (req, EVENT_EDIT, TRUE, &version);
  if (event == NULL)
    return;
  body = tn_request_read_object (req, &error);
  if (body == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }

  changed = tn_event_copy (event);
  if (!tn_event_apply_json (changed, body, TN_EVENT_JSON_PATCH, details, &error) ||
      !tn_event_validate (changed, details, &error))
    {
      reply_validation (req, details);
      return;
    }

  {
    g_autoptr(JsonObject) changes = audit_event_changes (event, changed);

    /* A PATCH that changes nothing stores nothing: no new version (which
     * would make every other client's copy stale), no record. */
    if (json_object_get_size (changes) == 0)
      {
        reply_event (req, SOUP_STATUS_OK, event);
        return;
      }
    audit_begin (req, "event.update", "event", tn_event_get_id (event), tn_event_get_id (event), changes);
  }
  stored = tn_store_update_event (tn_server_get_store (req->server), changed, version, &error);
  audit_done (req);
  if (stored == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  publish_event (req, stored);
  reply_event (req, SOUP_STATUS_OK, stored);
}

static void
handle_event_delete (TnRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) event = NULL;
  gint64 version;

  event = load_event_to_change (req, EVENT_DELETE, FALSE, &version);
  if (event == NULL)
    return;
  {
    g_autoptr(JsonObject) deleted = json_object_new ();
    gboolean done;

    json_object_set_string_member (deleted, "title", tn_event_get_title (event));
    audit_begin (req, "event.delete", "event", tn_event_get_id (event), tn_event_get_id (event), deleted);
    done = tn_store_delete_event (tn_server_get_store (req->server), tn_event_get_id (event), version, &error);
    audit_done (req);
    if (!done)
      {
        tn_request_reply_error (req, error, NULL);
        return;
      }
  }
  tn_request_reply_empty (req, SOUP_STATUS_NO_CONTENT);
}

static void
handle_event_cancel (TnRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) event = NULL;
  g_autoptr(TnEvent) stored = NULL;
  gint64 version;

  event = load_event_to_change (req, EVENT_EDIT, FALSE, &version);
  if (event == NULL)
    return;
  if (!tn_request_read_empty (req, &error))
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  if (tn_event_get_status (event) == TN_EVENT_STATUS_CANCELLED && version < 0)
    {
      reply_event (req, SOUP_STATUS_OK, event);
      return;
    }

  {
    g_autoptr(JsonObject) changes = json_object_new ();

    audit_change_string (changes, "status", tn_event_status_to_string (tn_event_get_status (event)),
                         tn_event_status_to_string (TN_EVENT_STATUS_CANCELLED));
    audit_begin (req, "event.cancel", "event", tn_event_get_id (event), tn_event_get_id (event), changes);
  }
  tn_event_set_status (event, TN_EVENT_STATUS_CANCELLED);
  stored = tn_store_update_event (tn_server_get_store (req->server), event,
                                  version >= 0 ? version : tn_event_get_version (event), &error);
  audit_done (req);
  if (stored == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  publish_event (req, stored);
  reply_event (req, SOUP_STATUS_OK, stored);
}

/* --- RSVPs --------------------------------------------------------------- */

/* Signed tickets: the QR form of every valid ticket of @attendees (of
 * @event), signed with the event's key (made on first need), valid until
 * 12 hours after the event ends. */
#define SIGNED_TICKET_GRACE (12 * 3600)

static gboolean
sign_tickets (TnRequest   *req,
              TnEvent     *event,
              TnAttendee **attendees,
              guint        n,
              GError     **error)
{
  guint8 public_key[TN_SIGNED_TICKET_PUBLIC_KEY];
  guint8 secret_key[TN_SIGNED_TICKET_SECRET_KEY];
  gboolean any = FALSE;

  for (guint i = 0; i < n && !any; i++)
    any = tn_attendee_get_ticket_code (attendees[i]) != NULL;
  if (!any)
    return TRUE;
  if (!tn_store_get_event_key (tn_server_get_store (req->server), tn_event_get_id (event),
                               public_key, secret_key, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      const char *code = tn_attendee_get_ticket_code (attendees[i]);
      g_autofree char *text = NULL;
      TnTicketClaim claim = { 0 };

      if (code == NULL)
        continue;
      g_strlcpy (claim.event_id, tn_event_get_id (event), sizeof claim.event_id);
      g_strlcpy (claim.code, code, sizeof claim.code);
      claim.valid_until = tn_event_get_ends_at (event) + SIGNED_TICKET_GRACE;
      text = tn_signed_ticket_new (&claim, secret_key);
      tn_attendee_set_signed_ticket (attendees[i], text);
    }
  memset (secret_key, 0, sizeof secret_key);
  return TRUE;
}

static void
reply_attendee_status (TnRequest  *req,
                       guint       status,
                       TnEvent    *event,
                       TnAttendee *attendee)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  if (!sign_tickets (req, event, &attendee, 1, &error))
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  node = tn_attendee_to_json (attendee);
  tn_request_reply_json (req, status, node);
}

static void
reply_attendee (TnRequest  *req,
                TnEvent    *event,
                TnAttendee *attendee)
{
  reply_attendee_status (req, SOUP_STATUS_OK, event, attendee);
}

/* Tells the event's live subscribers (once committed) that @attendee's
 * answer changed; @type says how. */
static void
publish_attendee (TnRequest  *req,
                  const char *type,
                  TnAttendee *attendee)
{
  g_autoptr(JsonObject) change = json_object_new ();
  g_autoptr(JsonObject) who = json_object_new ();

  json_object_set_string_member (who, "id", tn_attendee_get_id (attendee));
  json_object_set_string_member (who, "name", tn_attendee_get_name (attendee));
  json_object_set_string_member (who, "status", tn_rsvp_status_to_string (tn_attendee_get_status (attendee)));
  if (tn_attendee_get_status (attendee) == TN_RSVP_WAITLISTED)
    json_object_set_int_member (who, "waitlist_position", tn_attendee_get_waitlist_position (attendee));
  json_object_set_string_member (change, "type", type);
  json_object_set_object_member (change, "attendee", g_steal_pointer (&who));
  tn_server_publish_change (req->server, tn_attendee_get_event_id (attendee), change);
}

static void
handle_rsvp_get (TnRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) event = load_event (req, &error);
  g_autoptr(TnAttendee) attendee = NULL;

  if (event != NULL)
    attendee = tn_store_get_rsvp (tn_server_get_store (req->server), tn_event_get_id (event),
                                  tn_user_get_id (req->user), &error);
  if (attendee == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  reply_attendee (req, event, attendee);
}

static void
handle_rsvp_put (TnRequest *req)
{
  static const char * const fields[] = { "status", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) details = json_object_new ();
  g_autoptr(TnEvent) event = NULL;
  g_autoptr(TnAttendee) attendee = NULL;
  TnRsvpStatus wanted;

  event = load_event (req, &error);
  if (event == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  body = read_string_body (req, fields, details);
  if (body == NULL)
    return;
  /* "waitlisted" is the server's answer, not a wish. */
  if (!tn_rsvp_status_from_string (tn_json_object_get_string (body, "status"), &wanted) ||
      wanted == TN_RSVP_WAITLISTED)
    {
      json_object_set_string_member (details, "status", "must be going, interested, maybe or not_going");
      reply_validation (req, details);
      return;
    }

  attendee = tn_store_set_rsvp (tn_server_get_store (req->server), tn_event_get_id (event), req->user,
                                wanted, tn_time_now (), &error);
  if (attendee == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  publish_attendee (req, "rsvp", attendee);
  reply_attendee (req, event, attendee);
}

/* --- attendees and tickets ----------------------------------------------- */

#define ATTENDEE_TICKET_TYPE_MAX 40
#define ATTENDEE_NOTE_MAX        500
#define ATTENDEE_SEARCH_MAX      200

/* Who may read an event's attendee list, its attendees and their tickets.
 * Adding guests, editing attendees and their tickets takes more:
 * load_attendees_event(). */
static gboolean
can_see_attendees (TnRequest  *req,
                   TnEvent    *event,
                   GError    **error)
{
  return may_change_event (req, event, EVENT_SEE_ATTENDEES, error);
}

/* The event of {id}, if the caller may read its attendees or, with
 * @change, manage them. On failure the error is answered here (404 as
 * load_event(), else 403) and NULL returned. */
static TnEvent *
load_attendees_event (TnRequest *req,
                      gboolean   change)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) event = load_event (req, &error);

  if (event != NULL &&
      !(change ? may_change_event (req, event, EVENT_MANAGE_PEOPLE, &error)
               : can_see_attendees (req, event, &error)))
    g_clear_object (&event);
  if (event == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return NULL;
    }
  return g_steal_pointer (&event);
}

/* The attendee id of {attendee_id}, lower case; answers 404 and returns
 * NULL when it is not an id. */
static char *
attendee_param (TnRequest *req)
{
  if (!g_uuid_string_is_valid (req->params[1]))
    {
      tn_request_reply_error_literal (req, TN_ERROR_NOT_FOUND, "No such attendee");
      return NULL;
    }
  return g_ascii_strdown (req->params[1], -1);
}

/* Checks that every member of @object is one of @names and a string, and
 * that the @required ones are there; fills @details. */
static gboolean
read_optional_string_fields (JsonObject          *object,
                             const char * const  *names,
                             const char * const  *required,
                             JsonObject          *details)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (const GList *l = members; l != NULL; l = l->next)
    {
      if (!g_strv_contains (names, l->data))
        json_object_set_string_member (details, l->data, "is not a field of this request");
      else if (!tn_json_node_is_string (json_object_get_member (object, l->data)))
        json_object_set_string_member (details, l->data, "must be a string");
    }
  for (guint i = 0; required[i] != NULL; i++)
    if (!json_object_has_member (object, required[i]))
      json_object_set_string_member (details, required[i], "is required");
  return json_object_get_size (details) == 0;
}

/* A text field from @min to @max characters without control characters
 * (but line breaks and tabs when @multiline); a detail otherwise. */
static void
check_text_field (JsonObject *details,
                  const char *name,
                  const char *value,
                  glong       min,
                  glong       max,
                  gboolean    multiline)
{
  glong len = g_utf8_validate (value, -1, NULL) ? g_utf8_strlen (value, -1) : -1;

  if (len < min || len > max)
    {
      g_autofree char *message = min > 0 ? g_strdup_printf ("must be %ld to %ld characters long", min, max)
                                         : g_strdup_printf ("must be at most %ld characters long", max);

      json_object_set_string_member (details, name, message);
      return;
    }
  for (const char *p = value; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) && !(multiline && (c == '\n' || c == '\t')))
        {
          json_object_set_string_member (details, name, "must not contain control characters");
          return;
        }
    }
}

/* Attendee lists page by (created_at, id), follow lists by (since, user
 * id): the cursor is "PREFIX:TIME:ID" of the last item of the previous
 * page, PREFIX "att" or "fol". */
static char *
encode_time_id_cursor (const char *prefix,
                       gint64      time,
                       const char *id)
{
  g_autofree char *raw = g_strdup_printf ("%s:%" G_GINT64_FORMAT ":%s", prefix, time, id);

  return base64url_encode (raw);
}

static gboolean
decode_time_id_cursor (const char  *prefix,
                       const char  *cursor,
                       gint64      *out_time,
                       char       **out_id)
{
  g_autofree char *text = base64url_decode (cursor);
  const char *p, *colon;
  char *end = NULL;
  gint64 time;

  if (text == NULL || !g_str_has_prefix (text, prefix) || text[strlen (prefix)] != ':')
    return FALSE;
  p = text + strlen (prefix) + 1;
  if ((colon = strchr (p, ':')) == NULL)
    return FALSE;
  time = g_ascii_strtoll (p, &end, 10);
  if (end == p || end != colon || !g_uuid_string_is_valid (colon + 1))
    return FALSE;
  *out_time = time;
  *out_id = g_ascii_strdown (colon + 1, -1);
  return TRUE;
}

static void
handle_attendees_list (TnRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) event = NULL;
  g_autoptr(JsonObject) details = json_object_new ();
  g_autoptr(GPtrArray) attendees = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonArray) items = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GHashTable) checkins = NULL;
  g_autofree char *after_id = NULL;
  TnAttendeeQuery query = { 0 };
  const char *status, *cursor;
  gboolean more = FALSE;

  event = load_attendees_event (req, FALSE);
  if (event == NULL)
    return;
  query.event_id = tn_event_get_id (event);
  query.limit = query_limit (req, details);
  query.search = query_text (req, "q", ATTENDEE_SEARCH_MAX, details);
  status = query_text (req, "status", 20, details);
  if (status != NULL)
    {
      if (tn_rsvp_status_from_string (status, &query.status))
        query.has_status = TRUE;
      else
        json_object_set_string_member (details, "status",
                                       "must be going, waitlisted, interested, maybe or not_going");
    }
  cursor = tn_request_get_query (req, "cursor");
  if (cursor != NULL && cursor[0] != '\0' && !decode_time_id_cursor ("att", cursor, &query.after_created_at, &after_id))
    json_object_set_string_member (details, "cursor", "is not a cursor this server gave out");
  if (json_object_get_size (details) > 0)
    {
      reply_validation (req, details);
      return;
    }
  query.after_id = after_id;

  attendees = tn_store_list_attendees (tn_server_get_store (req->server), &query, &more, &error);
  if (attendees == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  if (!sign_tickets (req, event, (TnAttendee **) attendees->pdata, attendees->len, &error))
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  {
    g_autoptr(GPtrArray) ids = g_ptr_array_new ();

    for (guint i = 0; i < attendees->len; i++)
      g_ptr_array_add (ids, (gpointer) tn_attendee_get_id (attendees->pdata[i]));
    g_ptr_array_add (ids, NULL);
    checkins = tn_store_get_attendee_checkins (tn_server_get_store (req->server), tn_event_get_id (event),
                                               (const char * const *) ids->pdata, &error);
    if (checkins == NULL)
      {
        tn_request_reply_error (req, error, NULL);
        return;
      }
  }
  items = json_array_new ();
  for (guint i = 0; i < attendees->len; i++)
    {
      JsonNode *item = tn_attendee_to_json (attendees->pdata[i]);
      JsonObject *fields = json_node_get_object (item);
      TnAttendeeCheckin *state = g_hash_table_lookup (checkins, tn_attendee_get_id (attendees->pdata[i]));

      /* Only in lists: where the attendee is, as the doors have told. */
      if (state != NULL && state->checked_in_at > 0)
        {
          g_autofree char *when = tn_time_format (state->checked_in_at);

          json_object_set_string_member (fields, "checked_in_at", when);
        }
      else
        json_object_set_null_member (fields, "checked_in_at");
      json_object_set_boolean_member (fields, "inside", state != NULL && state->inside);
      json_array_add_element (items, item);
    }
  object = json_object_new ();
  json_object_set_array_member (object, "items", g_steal_pointer (&items));
  if (more && attendees->len > 0)
    {
      g_autofree char *next = encode_time_id_cursor ("att", tn_attendee_get_created_at (attendees->pdata[attendees->len - 1]),
                                                     tn_attendee_get_id (attendees->pdata[attendees->len - 1]));

      json_object_set_string_member (object, "next_cursor", next);
    }
  else
    json_object_set_null_member (object, "next_cursor");
  node = node_take_object (g_steal_pointer (&object));
  tn_request_reply_json (req, SOUP_STATUS_OK, node);
}

/* The fields of a guest, for POST …/attendees and the CSV import: fills
 * @details and, from @status (NULL: going), @out_wanted. "waitlisted" is
 * the server's answer, not a wish, as for an RSVP; with @waitlisted_is_going
 * (an import of an export) it reads as going. */
static void
check_guest_fields (JsonObject   *details,
                    const char   *name,
                    const char   *email,
                    const char   *ticket_type,
                    const char   *note,
                    const char   *status,
                    gboolean      waitlisted_is_going,
                    TnRsvpStatus *out_wanted)
{
  TnRsvpStatus wanted = TN_RSVP_GOING;
  gboolean known;

  check_text_field (details, "name", name, 1, TN_USER_NAME_MAX, FALSE);
  if (!tn_email_is_valid (email))
    json_object_set_string_member (details, "email", "must be an e-mail address");
  if (ticket_type != NULL)
    check_text_field (details, "ticket_type", ticket_type, 0, ATTENDEE_TICKET_TYPE_MAX, FALSE);
  if (note != NULL)
    check_text_field (details, "note", note, 0, ATTENDEE_NOTE_MAX, TRUE);
  known = status == NULL || tn_rsvp_status_from_string (status, &wanted);
  if (known && wanted == TN_RSVP_WAITLISTED && waitlisted_is_going)
    wanted = TN_RSVP_GOING;
  if (!known || wanted == TN_RSVP_WAITLISTED)
    json_object_set_string_member (details, "status", "must be going, interested, maybe or not_going");
  *out_wanted = wanted;
}

static void
handle_attendee_add (TnRequest *req)
{
  static const char * const fields[] = { "name", "email", "ticket_type", "note", "status", NULL };
  static const char * const required[] = { "name", "email", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) event = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) details = json_object_new ();
  g_autoptr(TnAttendee) guest = NULL;
  g_autoptr(TnAttendee) stored = NULL;
  g_autofree char *name = NULL;
  g_autofree char *location = NULL;
  const char *email, *ticket_type, *note, *status;
  TnRsvpStatus wanted = TN_RSVP_GOING;

  event = load_attendees_event (req, TRUE);
  if (event == NULL)
    return;
  body = tn_request_read_object (req, &error);
  if (body == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  if (!read_optional_string_fields (body, fields, required, details))
    {
      reply_validation (req, details);
      return;
    }

  name = g_strstrip (g_strdup (tn_json_object_get_string (body, "name")));
  email = tn_json_object_get_string (body, "email");
  ticket_type = tn_json_object_get_string (body, "ticket_type");
  note = tn_json_object_get_string (body, "note");
  status = tn_json_object_get_string (body, "status");
  check_guest_fields (details, name, email, ticket_type, note, status, FALSE, &wanted);
  if (json_object_get_size (details) > 0)
    {
      reply_validation (req, details);
      return;
    }

  guest = tn_attendee_new ();
  tn_attendee_set_event_id (guest, tn_event_get_id (event));
  tn_attendee_set_name (guest, name);
  tn_attendee_set_email (guest, email);
  tn_attendee_set_ticket_type (guest, ticket_type);
  tn_attendee_set_note (guest, note);
  tn_attendee_set_status (guest, wanted);
  {
    g_autoptr(JsonObject) added = json_object_new ();

    json_object_set_string_member (added, "name", name);
    json_object_set_string_member (added, "email", email);
    json_object_set_string_member (added, "status", tn_rsvp_status_to_string (wanted));
    audit_begin (req, "attendee.add", "attendee", NULL, tn_event_get_id (event), added);
  }
  stored = tn_store_add_guest (tn_server_get_store (req->server), guest, tn_time_now (), &error);
  audit_done (req);
  if (stored == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  location = g_strdup_printf ("/api/v1/events/%s/attendees/%s", tn_event_get_id (event), tn_attendee_get_id (stored));
  tn_request_set_header (req, "Location", location);
  publish_attendee (req, "guest", stored);
  reply_attendee_status (req, SOUP_STATUS_CREATED, event, stored);
}

/* --- CSV export and import ------------------------------------------------ */

/* The columns of GET …/attendees.csv; the import reads them back, and
 * ignores the two the server gives out (ticket_code, waitlist_position). */
static const char * const csv_columns[] = {
  "name", "email", "status", "ticket_type", "note", "ticket_code", "waitlist_position", NULL
};

enum { CSV_NAME, CSV_EMAIL, CSV_STATUS, CSV_TICKET_TYPE, CSV_NOTE, CSV_TICKET_CODE, CSV_WAITLIST_POSITION, CSV_N_COLUMNS };

static void
handle_attendees_csv (TnRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) event = load_attendees_event (req, FALSE);
  g_autoptr(GString) out = NULL;
  g_autofree char *after_id = NULL;
  g_autofree char *disposition = NULL;
  TnAttendeeQuery query = { 0 };
  gboolean more = TRUE;

  if (event == NULL)
    return;
  out = g_string_new (NULL);
  tn_csv_append_row (out, csv_columns, CSV_N_COLUMNS);
  query.event_id = tn_event_get_id (event);
  query.limit = TN_LIST_LIMIT_MAX;
  while (more)
    {
      g_autoptr(GPtrArray) page = NULL;

      query.after_id = after_id;
      page = tn_store_list_attendees (tn_server_get_store (req->server), &query, &more, &error);
      if (page == NULL)
        {
          tn_request_reply_error (req, error, NULL);
          return;
        }
      for (guint i = 0; i < page->len; i++)
        {
          TnAttendee *a = page->pdata[i];
          g_autofree char *position = tn_attendee_get_waitlist_position (a) > 0
                                      ? g_strdup_printf ("%u", tn_attendee_get_waitlist_position (a)) : NULL;
          const char *row[CSV_N_COLUMNS] = {
            tn_attendee_get_name (a), tn_attendee_get_email (a),
            tn_rsvp_status_to_string (tn_attendee_get_status (a)),
            tn_attendee_get_ticket_type (a), tn_attendee_get_note (a),
            tn_attendee_get_ticket_code (a), position,
          };

          tn_csv_append_row (out, row, CSV_N_COLUMNS);
        }
      if (page->len == 0)
        break;
      g_free (after_id);
      after_id = g_strdup (tn_attendee_get_id (page->pdata[page->len - 1]));
      query.after_created_at = tn_attendee_get_created_at (page->pdata[page->len - 1]);
    }
  disposition = g_strdup_printf ("attachment; filename=\"attendees-%s.csv\"", tn_event_get_id (event));
  tn_request_set_header (req, "Content-Disposition", disposition);
  tn_request_reply_text (req, SOUP_STATUS_OK, "text/csv; charset=utf-8", out->str);
}

static JsonObject *
import_row_result (guint       line,
                   const char *email,
                   const char *result,
                   const char *message)
{
  JsonObject *row = json_object_new ();

  json_object_set_int_member (row, "line", line);
  json_object_set_string_member (row, "email", email != NULL ? email : "");
  json_object_set_string_member (row, "result", result);
  if (message != NULL)
    json_object_set_string_member (row, "error", message);
  return row;
}

/* "name: must be …; email: …" of a details object. */
static char *
details_to_message (JsonObject *details)
{
  g_autoptr(GList) members = json_object_get_members (details);
  GString *text = g_string_new (NULL);

  for (const GList *l = members; l != NULL; l = l->next)
    g_string_append_printf (text, "%s%s: %s", text->len > 0 ? "; " : "", (const char *) l->data,
                            json_object_get_string_member (details, l->data));
  return g_string_free (text, FALSE);
}

/* Turns CRLF and CR into LF, in place: spreadsheets write CRLF inside
 * quoted fields, and a note takes LF only. */
static void
normalize_line_ends (char *text)
{
  char *out = text;

  for (const char *p = text; *p; p++)
    {
      if (*p == '\r')
        {
          *out++ = '\n';
          if (p[1] == '\n')
            p++;
        }
      else
        *out++ = *p;
    }
  *out = '\0';
}

/* POST …/attendees/import: see docs/openapi.json. Every row is checked
 * first; with any row wrong (422) or the file malformed (400) nothing is
 * stored; else all rows are stored in one transaction. */
static void
handle_attendees_import (TnRequest *req)
{
  g_autoptr(JsonObject) audit_details = NULL;
  gboolean imported;
  SoupMessageBody *body = soup_server_message_get_request_body (req->msg);
  const char *type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (req->msg), NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) event = NULL;
  g_autoptr(TnCsv) csv = NULL;
  g_autoptr(JsonObject) details = json_object_new ();
  g_autoptr(JsonArray) rows = json_array_new ();
  g_autoptr(GPtrArray) guests = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree TnImportResult *results = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonNode) node = NULL;
  int column_of[CSV_N_COLUMNS];
  GStrv header;
  guint n_columns, failed = 0, errors = 0;
  guint counts[4] = { 0 };

  event = load_attendees_event (req, TRUE);
  if (event == NULL)
    return;
  if (type == NULL || g_ascii_strcasecmp (type, "text/csv") != 0)
    {
      tn_request_reply_error_literal (req, TN_ERROR_BAD_REQUEST, "The request body must be text/csv");
      return;
    }
  if ((gsize) body->length > tn_server_get_max_body_size (req->server))
    {
      tn_request_reply_error_literal (req, TN_ERROR_PAYLOAD_TOO_LARGE, "The file is larger than the server takes");
      return;
    }
  csv = tn_csv_parse (body->data, (gsize) body->length, &error);
  if (csv == NULL)
    {
      tn_request_reply_error_literal (req, TN_ERROR_BAD_REQUEST, error->message);
      return;
    }
  if (csv->rows->len == 0)
    {
      tn_request_reply_error_literal (req, TN_ERROR_BAD_REQUEST, "The file is empty: it needs a header row");
      return;
    }

  /* The header: known names in any case and order, each once. */
  for (guint c = 0; c < CSV_N_COLUMNS; c++)
    column_of[c] = -1;
  header = csv->rows->pdata[0];
  n_columns = g_strv_length (header);
  for (guint i = 0; i < n_columns; i++)
    {
      g_autofree char *name = g_ascii_strdown (g_strstrip (header[i]), -1);
      guint c = 0;

      while (c < CSV_N_COLUMNS && !g_str_equal (csv_columns[c], name))
        c++;
      if (c == CSV_N_COLUMNS)
        {
          g_autofree char *message = g_strdup_printf ("column %u (%s) is not one of name, email, ticket_type, note, status",
                                                      i + 1, name);

          json_object_set_string_member (details, "header", message);
        }
      else if (column_of[c] >= 0)
        json_object_set_string_member (details, "header", "names a column twice");
      else
        column_of[c] = (int) i;
    }
  if (json_object_get_size (details) == 0 && (column_of[CSV_NAME] < 0 || column_of[CSV_EMAIL] < 0))
    json_object_set_string_member (details, "header", "must have the columns name and email");
  if (json_object_get_size (details) > 0)
    {
      reply_validation (req, details);
      return;
    }

  /* Each row, checked as POST …/attendees checks a guest. */
  for (guint r = 1; r < csv->rows->len; r++)
    {
      GStrv fields = csv->rows->pdata[r];
      guint line = g_array_index (csv->lines, guint, r);
      g_autoptr(JsonObject) row_details = json_object_new ();
      g_autofree char *name = NULL;
      g_autofree char *key = NULL;
      const char *value[CSV_N_COLUMNS] = { NULL };
      TnRsvpStatus wanted = TN_RSVP_GOING;
      TnAttendee *guest;

      if (g_strv_length (fields) != n_columns)
        {
          g_autofree char *message = g_strdup_printf ("has %u fields; the header has %u", g_strv_length (fields), n_columns);

          json_array_add_object_element (rows, import_row_result (line, NULL, "error", message));
          errors++;
          continue;
        }
      for (guint c = 0; c < CSV_N_COLUMNS; c++)
        value[c] = column_of[c] >= 0 ? fields[column_of[c]] : NULL;
      if (value[CSV_NOTE] != NULL)
        normalize_line_ends (fields[column_of[CSV_NOTE]]);
      name = g_strstrip (g_strdup (value[CSV_NAME]));
      check_guest_fields (row_details, name, value[CSV_EMAIL], value[CSV_TICKET_TYPE], value[CSV_NOTE],
                          value[CSV_STATUS] != NULL && value[CSV_STATUS][0] != '\0' ? value[CSV_STATUS] : NULL,
                          TRUE, &wanted);
      key = g_utf8_validate (value[CSV_EMAIL], -1, NULL) ? g_utf8_casefold (value[CSV_EMAIL], -1) : NULL;
      if (json_object_get_size (row_details) == 0 && key != NULL)
        {
          gpointer first = g_hash_table_lookup (seen, key);

          if (first != NULL)
            {
              g_autofree char *message = g_strdup_printf ("is on line %u already", GPOINTER_TO_UINT (first));

              json_object_set_string_member (row_details, "email", message);
            }
          else
            g_hash_table_insert (seen, g_steal_pointer (&key), GUINT_TO_POINTER (line));
        }
      if (json_object_get_size (row_details) > 0)
        {
          g_autofree char *message = details_to_message (row_details);

          json_array_add_object_element (rows, import_row_result (line, value[CSV_EMAIL], "error", message));
          errors++;
          continue;
        }
      guest = tn_attendee_new ();
      tn_attendee_set_event_id (guest, tn_event_get_id (event));
      tn_attendee_set_name (guest, name);
      tn_attendee_set_email (guest, value[CSV_EMAIL]);
      tn_attendee_set_ticket_type (guest, value[CSV_TICKET_TYPE]);
      tn_attendee_set_note (guest, value[CSV_NOTE]);
      tn_attendee_set_status (guest, wanted);
      g_object_set_data (G_OBJECT (guest), "tn-line", GUINT_TO_POINTER (line));
      g_ptr_array_add (guests, guest);
    }
  if (errors > 0)
    {
      json_object_set_array_member (details, "rows", g_steal_pointer (&rows));
      json_object_set_int_member (details, "errors", errors);
      reply_validation (req, details);
      return;
    }

  results = g_new0 (TnImportResult, MAX (guests->len, 1));
  audit_details = json_object_new ();
  json_object_set_int_member (audit_details, "rows", guests->len);
  audit_begin (req, "attendees.import", "event", tn_event_get_id (event), tn_event_get_id (event), audit_details);
  imported = tn_store_import_guests (tn_server_get_store (req->server), tn_event_get_id (event), guests,
                                     tn_time_now (), results, &failed, &error);
  audit_done (req);
  if (!imported)
    {
      if (failed < guests->len)
        {
          TnAttendee *guest = guests->pdata[failed];

          json_array_add_object_element (rows, import_row_result (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (guest), "tn-line")),
                                                                  tn_attendee_get_email (guest), "error", error->message));
          json_object_set_array_member (details, "rows", g_steal_pointer (&rows));
          json_object_set_int_member (details, "errors", 1);
        }
      tn_request_reply_error (req, error, details);
      return;
    }

  for (guint i = 0; i < guests->len; i++)
    {
      TnAttendee *guest = guests->pdata[i];

      counts[results[i]]++;
      json_array_add_object_element (rows, import_row_result (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (guest), "tn-line")),
                                                              tn_attendee_get_email (guest),
                                                              tn_import_result_to_string (results[i]), NULL));
    }
  answer = json_object_new ();
  json_object_set_array_member (answer, "rows", g_steal_pointer (&rows));
  json_object_set_int_member (answer, "created", counts[TN_IMPORT_CREATED]);
  json_object_set_int_member (answer, "waitlisted", counts[TN_IMPORT_WAITLISTED]);
  json_object_set_int_member (answer, "updated", counts[TN_IMPORT_UPDATED]);
  json_object_set_int_member (answer, "unchanged", counts[TN_IMPORT_UNCHANGED]);
  json_object_set_int_member (answer, "errors", 0);
  {
    g_autoptr(JsonObject) change = json_object_new ();

    json_object_set_string_member (change, "type", "import");
    json_object_set_int_member (change, "created", counts[TN_IMPORT_CREATED]);
    json_object_set_int_member (change, "waitlisted", counts[TN_IMPORT_WAITLISTED]);
    json_object_set_int_member (change, "updated", counts[TN_IMPORT_UPDATED]);
    if (counts[TN_IMPORT_CREATED] + counts[TN_IMPORT_WAITLISTED] + counts[TN_IMPORT_UPDATED] > 0)
      tn_server_publish_change (req->server, tn_event_get_id (event), change);
  }
  node = node_take_object (g_steal_pointer (&answer));
  tn_request_reply_json (req, SOUP_STATUS_OK, node);
}

static void
handle_attendee_get (TnRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) event = load_attendees_event (req, FALSE);
  g_autofree char *id = NULL;
  g_autoptr(TnAttendee) attendee = NULL;

  if (event == NULL || (id = attendee_param (req)) == NULL)
    return;
  attendee = tn_store_get_attendee (tn_server_get_store (req->server), tn_event_get_id (event), id, &error);
  if (attendee == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  reply_attendee_status (req, SOUP_STATUS_OK, event, attendee);
}

static void
handle_attendee_patch (TnRequest *req)
{
  static const char * const fields[] = { "ticket_type", "note", NULL };
  static const char * const required[] = { NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) event = load_attendees_event (req, TRUE);
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) details = json_object_new ();
  g_autoptr(TnAttendee) attendee = NULL;
  g_autofree char *id = NULL;
  const char *ticket_type, *note;

  if (event == NULL || (id = attendee_param (req)) == NULL)
    return;
  body = tn_request_read_object (req, &error);
  if (body == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  if (!read_optional_string_fields (body, fields, required, details))
    {
      reply_validation (req, details);
      return;
    }
  ticket_type = tn_json_object_get_string (body, "ticket_type");
  note = tn_json_object_get_string (body, "note");
  if (ticket_type != NULL)
    check_text_field (details, "ticket_type", ticket_type, 0, ATTENDEE_TICKET_TYPE_MAX, FALSE);
  if (note != NULL)
    check_text_field (details, "note", note, 0, ATTENDEE_NOTE_MAX, TRUE);
  if (json_object_get_size (details) > 0)
    {
      reply_validation (req, details);
      return;
    }

  {
    g_autoptr(TnAttendee) current = tn_store_get_attendee (tn_server_get_store (req->server),
                                                           tn_event_get_id (event), id, &error);
    g_autoptr(JsonObject) changes = json_object_new ();

    if (current == NULL)
      {
        tn_request_reply_error (req, error, NULL);
        return;
      }
    if (ticket_type != NULL && g_strcmp0 (ticket_type, tn_attendee_get_ticket_type (current)) != 0)
      audit_change_string (changes, "ticket_type", tn_attendee_get_ticket_type (current), ticket_type);
    if (note != NULL && g_strcmp0 (note, tn_attendee_get_note (current)) != 0)
      audit_change_string (changes, "note", tn_attendee_get_note (current), note);
    if (json_object_get_size (changes) == 0)
      {
        reply_attendee_status (req, SOUP_STATUS_OK, event, current);
        return;
      }
    audit_begin (req, "attendee.update", "attendee", id, tn_event_get_id (event), changes);
  }
  attendee = tn_store_update_attendee (tn_server_get_store (req->server), tn_event_get_id (event), id,
                                       ticket_type, note, tn_time_now (), &error);
  audit_done (req);
  if (attendee == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  reply_attendee_status (req, SOUP_STATUS_OK, event, attendee);
}

/* POST …/ticket reissues (a new code, the old one revoked); DELETE
 * revokes without a new one. Either answers the attendee. */
static void
change_attendee_ticket (TnRequest *req,
                        gboolean   reissue)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) event = load_attendees_event (req, TRUE);
  g_autoptr(TnAttendee) attendee = NULL;
  g_autofree char *id = NULL;
  TnStore *store = tn_server_get_store (req->server);

  if (event == NULL || (id = attendee_param (req)) == NULL)
    return;
  if (!tn_request_read_empty (req, &error))
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  audit_begin (req, reissue ? "ticket.reissue" : "ticket.revoke", "attendee", id, tn_event_get_id (event), NULL);
  attendee = reissue ? tn_store_reissue_ticket (store, tn_event_get_id (event), id, tn_time_now (), &error)
                     : tn_store_revoke_ticket (store, tn_event_get_id (event), id, tn_time_now (), &error);
  audit_done (req);
  if (attendee == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  publish_attendee (req, "ticket", attendee);
  reply_attendee_status (req, SOUP_STATUS_OK, event, attendee);
}

static void
handle_ticket_reissue (TnRequest *req)
{
  change_attendee_ticket (req, TRUE);
}

static void
handle_ticket_revoke (TnRequest *req)
{
  change_attendee_ticket (req, FALSE);
}

/* --- hosts: an event's team and guest list ------------------------------ */

static JsonNode *
event_person_to_json (TnEventPerson *person)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "user_id", person->user_id);
  json_object_set_string_member (object, "name", person->name);
  json_object_set_string_member (object, "email", person->email);
  json_object_set_string_member (object, "role", tn_event_role_to_string (person->role));
  return node_take_object (object);
}

/* The event of {id} if the caller may manage its people, and the user id
 * of {user_id} (when @out_user_id is not NULL). On failure the error is
 * answered here and NULL returned. */
static TnEvent *
load_people_event (TnRequest  *req,
                   char      **out_user_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) event = load_own_event (req, EVENT_MANAGE_PEOPLE, &error);

  if (event == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return NULL;
    }
  if (out_user_id != NULL)
    {
      if (!g_uuid_string_is_valid (req->params[1]))
        {
          tn_request_reply_error_literal (req, TN_ERROR_NOT_FOUND, "No such user");
          return NULL;
        }
      *out_user_id = g_ascii_strdown (req->params[1], -1);
    }
  return g_steal_pointer (&event);
}

/* Co-hosts manage staff and guests; only the organizer (or an admin)
 * makes or unmakes a co-host. Answers the error and returns FALSE when
 * the caller may not touch @user_id's entry as @wanted asks (@wanted
 * TN_EVENT_ROLE_NONE: removal). */
static gboolean
check_person_change (TnRequest   *req,
                     TnEvent     *event,
                     const char  *user_id,
                     TnEventRole  wanted)
{
  g_autoptr(GError) error = NULL;
  TnEventRole current = TN_EVENT_ROLE_NONE;

  if (!tn_store_get_event_role (tn_server_get_store (req->server), tn_event_get_id (event), user_id,
                                &current, &error) ||
      ((wanted == TN_EVENT_ROLE_COHOST || current == TN_EVENT_ROLE_COHOST) &&
       !may_change_event (req, event, EVENT_MANAGE_COHOSTS, &error)))
    {
      tn_request_reply_error (req, error, NULL);
      return FALSE;
    }
  return TRUE;
}

/* --- live statistics ----------------------------------------------------- */

/* The event of {id} for its figures: the team, or a door device of the
 * event (load_event() shows a device its own event only). On failure the
 * error is answered here. */
static TnEvent *
load_stats_event (TnRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) event = NULL;

  if (req->device == NULL)
    return load_attendees_event (req, FALSE);
  event = load_event (req, &error);
  if (event == NULL)
    tn_request_reply_error (req, error, NULL);
  return g_steal_pointer (&event);
}

/* GET …/stats: the event's figures (the team and its door devices). */
static void
handle_event_stats (TnRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) event = load_stats_event (req);
  g_autoptr(JsonObject) stats = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (event == NULL)
    return;
  stats = tn_server_event_stats (req->server, tn_event_get_id (event), &error);
  if (stats == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  node = node_take_object (g_steal_pointer (&stats));
  tn_request_reply_json (req, SOUP_STATUS_OK, node);
}

/* Answers 101 Switching Protocols; the connection becomes the
 * subscriber's once that is written. On the main loop: it owns the
 * connection. */
static void
live_handshake (TnRequest  *req,
                const char *event_id)
{
  if (!soup_websocket_server_process_handshake (req->msg, NULL, NULL, NULL, NULL))
    {
      tn_request_reply_error_literal (req, TN_ERROR_BAD_REQUEST, "The WebSocket handshake failed");
      return;
    }
  tn_server_accept_live (req->server, req->msg, event_id);
}

/* GET …/live: a WebSocket of the event's statistics: a snapshot, then a
 * delta after every committed change (tn-live.c). The team and the
 * event's door devices. */
static void
handle_event_live (TnRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) event = load_stats_event (req);

  if (event == NULL)
    return;
  if (!soup_websocket_server_check_handshake (req->msg, NULL, NULL, NULL, &error))
    {
      g_autofree char *message = g_strdup_printf ("This is a WebSocket endpoint: %s", error->message);

      tn_request_reply_error_literal (req, TN_ERROR_BAD_REQUEST, message);
      return;
    }
  tn_request_answer_on_main (req, live_handshake, tn_event_get_id (event));
}

static void
handle_people_list (TnRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnEvent) event = load_people_event (req, NULL);
  g_autoptr(GPtrArray) people = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonArray) items = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (event == NULL)
    return;
  people = tn_store_list_event_people (tn_server_get_store (req->server), tn_event_get_id (event), &error);
  if (people == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  items = json_array_new ();
  for (guint i = 0; i < people->len; i++)
    json_array_add_element (items, event_person_to_json (people->pdata[i]));
  object = json_object_new ();
  json_object_set_array_member (object, "items", g_steal_pointer (&items));
  json_object_set_null_member (object, "next_cursor");
  node = node_take_object (g_steal_pointer (&object));
  tn_request_reply_json (req, SOUP_STATUS_OK, node);
}

static void
handle_person_put (TnRequest *req)
{
  static const char * const fields[] = { "role", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) details = json_object_new ();
  g_autofree char *user_id = NULL;
  g_autoptr(TnEvent) event = load_people_event (req, &user_id);
  g_autoptr(TnEventPerson) person = NULL;
  g_autoptr(JsonNode) node = NULL;
  TnEventRole wanted;

  if (event == NULL)
    return;
  body = read_string_body (req, fields, details);
  if (body == NULL)
    return;
  if (!tn_event_role_from_string (tn_json_object_get_string (body, "role"), &wanted) ||
      (wanted != TN_EVENT_ROLE_COHOST && wanted != TN_EVENT_ROLE_STAFF && wanted != TN_EVENT_ROLE_INVITED))
    json_object_set_string_member (details, "role", "must be cohost, staff or invited");
  else if (g_strcmp0 (user_id, tn_event_get_organizer (event)) == 0)
    json_object_set_string_member (details, "user_id", "is the organizer of this event, who has every right already");
  if (json_object_get_size (details) > 0)
    {
      reply_validation (req, details);
      return;
    }
  if (!check_person_change (req, event, user_id, wanted))
    return;

  {
    g_autoptr(JsonObject) changes = json_object_new ();
    TnEventRole current = TN_EVENT_ROLE_NONE;

    if (!tn_store_get_event_role (tn_server_get_store (req->server), tn_event_get_id (event), user_id,
                                  &current, &error))
      {
        tn_request_reply_error (req, error, NULL);
        return;
      }
    audit_change_string (changes, "role",
                         current == TN_EVENT_ROLE_COHOST || current == TN_EVENT_ROLE_STAFF ||
                         current == TN_EVENT_ROLE_INVITED ? tn_event_role_to_string (current) : NULL,
                         tn_event_role_to_string (wanted));
    /* The same role again is answered as set, and not recorded. */
    if (current != wanted)
      audit_begin (req, "person.set", "user", user_id, tn_event_get_id (event), changes);
  }
  person = tn_store_set_event_person (tn_server_get_store (req->server), tn_event_get_id (event), user_id,
                                      wanted, tn_time_now (), &error);
  audit_done (req);
  if (person == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  node = event_person_to_json (person);
  tn_request_reply_json (req, SOUP_STATUS_OK, node);
}

static void
handle_person_delete (TnRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *user_id = NULL;
  g_autoptr(TnEvent) event = load_people_event (req, &user_id);

  if (event == NULL)
    return;
  if (!check_person_change (req, event, user_id, TN_EVENT_ROLE_NONE))
    return;
  {
    g_autoptr(JsonObject) removed = json_object_new ();
    TnEventRole current = TN_EVENT_ROLE_NONE;
    gboolean done;

    if (!tn_store_get_event_role (tn_server_get_store (req->server), tn_event_get_id (event), user_id,
                                  &current, &error))
      {
        tn_request_reply_error (req, error, NULL);
        return;
      }
    if (current == TN_EVENT_ROLE_COHOST || current == TN_EVENT_ROLE_STAFF || current == TN_EVENT_ROLE_INVITED)
      json_object_set_string_member (removed, "role", tn_event_role_to_string (current));
    audit_begin (req, "person.remove", "user", user_id, tn_event_get_id (event), removed);
    done = tn_store_remove_event_person (tn_server_get_store (req->server), tn_event_get_id (event), user_id,
                                         &error);
    audit_done (req);
    if (!done)
      {
        tn_request_reply_error (req, error, NULL);
        return;
      }
  }
  tn_request_reply_empty (req, SOUP_STATUS_NO_CONTENT);
}

/* --- follows and the caller's profile (issue 7) ---------------------------- */

/* Any signed-in member may follow anyone, and see anyone's followers and
 * whom they follow: follows are public within the community, as on most
 * social sites. A door device never reaches these routes. */

/* The {id} user of a follow route, lower-cased; an id that cannot exist
 * is answered 404 here (NULL). */
static char *
follow_user_param (TnRequest *req)
{
  if (!g_uuid_string_is_valid (req->params[0]))
    {
      tn_request_reply_error_literal (req, TN_ERROR_NOT_FOUND, "No such user");
      return NULL;
    }
  return g_ascii_strdown (req->params[0], -1);
}

static JsonNode *
follow_to_json (TnFollow *follow)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autofree char *since = tn_time_format (follow->since);

  json_object_set_string_member (object, "id", follow->user_id);
  json_object_set_string_member (object, "name", follow->name);
  json_object_set_boolean_member (object, "friend", follow->friend);
  json_object_set_string_member (object, "since", since);
  return node_take_object (g_steal_pointer (&object));
}

static void
handle_follow_put (TnRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *user_id = follow_user_param (req);
  g_autoptr(TnFollow) follow = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (user_id == NULL)
    return;
  if (!tn_request_read_empty (req, &error))
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  if (g_str_equal (user_id, tn_user_get_id (req->user)))
    {
      g_autoptr(JsonObject) details = json_object_new ();

      json_object_set_string_member (details, "id", "is you: nobody can follow themself");
      reply_validation (req, details);
      return;
    }
  follow = tn_store_follow (tn_server_get_store (req->server), tn_user_get_id (req->user), user_id,
                            tn_time_now (), &error);
  if (follow == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  node = follow_to_json (follow);
  tn_request_reply_json (req, SOUP_STATUS_OK, node);
}

static void
handle_follow_delete (TnRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *user_id = follow_user_param (req);

  if (user_id == NULL)
    return;
  if (!tn_request_read_empty (req, &error) ||
      !tn_store_unfollow (tn_server_get_store (req->server), tn_user_get_id (req->user), user_id, &error))
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  tn_request_reply_empty (req, SOUP_STATUS_NO_CONTENT);
}

static void
list_follows (TnRequest *req,
              gboolean   followers)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) details = json_object_new ();
  g_autofree char *user_id = follow_user_param (req);
  g_autofree char *after_id = NULL;
  g_autoptr(TnUser) user = NULL;
  g_autoptr(GPtrArray) follows = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonArray) items = NULL;
  g_autoptr(JsonNode) node = NULL;
  TnFollowQuery query = { 0 };
  const char *cursor;
  gboolean more = FALSE;

  if (user_id == NULL)
    return;
  user = tn_store_get_user (tn_server_get_store (req->server), user_id, &error);
  if (user == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  query.user_id = user_id;
  query.followers = followers;
  query.limit = query_limit (req, details);
  cursor = tn_request_get_query (req, "cursor");
  if (cursor != NULL && cursor[0] != '\0' && !decode_time_id_cursor ("fol", cursor, &query.after_since, &after_id))
    json_object_set_string_member (details, "cursor", "is not a cursor this server gave out");
  if (json_object_get_size (details) > 0)
    {
      reply_validation (req, details);
      return;
    }
  query.after_id = after_id;
  follows = tn_store_list_follows (tn_server_get_store (req->server), &query, &more, &error);
  if (follows == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  items = json_array_new ();
  for (guint i = 0; i < follows->len; i++)
    json_array_add_element (items, follow_to_json (follows->pdata[i]));
  object = json_object_new ();
  json_object_set_array_member (object, "items", g_steal_pointer (&items));
  if (more && follows->len > 0)
    {
      g_autofree char *next = encode_time_id_cursor ("fol", ((TnFollow *) follows->pdata[follows->len - 1])->since,
                                                     ((TnFollow *) follows->pdata[follows->len - 1])->user_id);

      json_object_set_string_member (object, "next_cursor", next);
    }
  else
    json_object_set_null_member (object, "next_cursor");
  node = node_take_object (g_steal_pointer (&object));
  tn_request_reply_json (req, SOUP_STATUS_OK, node);
}

static void
handle_followers_list (TnRequest *req)
{
  list_follows (req, TRUE);
}

static void
handle_following_list (TnRequest *req)
{
  list_follows (req, FALSE);
}

/* Reads `home_lat` and `home_lon` of a PATCH /me: both or neither, each
 * a number in range, or both null (no home). Returns TRUE when they are
 * there and fine. */
static gboolean
read_home (JsonObject *body,
           double     *out_lat,
           double     *out_lon,
           JsonObject *details)
{
  JsonNode *lat = json_object_get_member (body, "home_lat");
  JsonNode *lon = json_object_get_member (body, "home_lon");

  if (lat == NULL && lon == NULL)
    return FALSE;
  if (lat == NULL || lon == NULL || JSON_NODE_HOLDS_NULL (lat) != JSON_NODE_HOLDS_NULL (lon))
    {
      json_object_set_string_member (details, lat == NULL || JSON_NODE_HOLDS_NULL (lat) ? "home_lat" : "home_lon",
                                     "home_lat and home_lon come together: both numbers, or both null");
      return FALSE;
    }
  if (JSON_NODE_HOLDS_NULL (lat))
    {
      *out_lat = *out_lon = NAN;
      return TRUE;
    }
  if (!tn_json_node_is_number (lat))
    json_object_set_string_member (details, "home_lat", "must be a number or null");
  else if (!(json_node_get_double (lat) >= -90.0 && json_node_get_double (lat) <= 90.0))
    json_object_set_string_member (details, "home_lat", "must be between -90 and 90");
  if (!tn_json_node_is_number (lon))
    json_object_set_string_member (details, "home_lon", "must be a number or null");
  else if (!(json_node_get_double (lon) >= -180.0 && json_node_get_double (lon) <= 180.0))
    json_object_set_string_member (details, "home_lon", "must be between -180 and 180");
  if (json_object_has_member (details, "home_lat") || json_object_has_member (details, "home_lon"))
    return FALSE;
  *out_lat = json_node_get_double (lat);
  *out_lon = json_node_get_double (lon);
  return TRUE;
}

/* Reads `interests`: an array of at most TN_USER_INTERESTS_MAX names of
 * categories (any case), as the categories' own names, without repeats.
 * NULL when absent or wrong (then with a detail). */
static GPtrArray *
read_interests (TnRequest  *req,
                JsonObject *body,
                JsonObject *details,
                GError    **error)
{
  JsonNode *node = json_object_get_member (body, "interests");
  g_autoptr(GPtrArray) interests = g_ptr_array_new ();
  g_autoptr(GPtrArray) categories = NULL;
  JsonArray *array;

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      json_object_set_string_member (details, "interests", "must be an array of category names");
      return NULL;
    }
  array = json_node_get_array (node);
  if (json_array_get_length (array) > TN_USER_INTERESTS_MAX)
    {
      json_object_set_string_member (details, "interests", "may name at most 20 categories");
      return NULL;
    }
  categories = tn_store_list_categories (tn_server_get_store (req->server), NULL, FALSE, tn_time_now (), error);
  if (categories == NULL)
    return NULL;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      const char *name = NULL;

      if (!tn_json_node_is_string (item))
        {
          json_object_set_string_member (details, "interests", "must be an array of category names");
          return NULL;
        }
      for (guint c = 0; c < categories->len && name == NULL; c++)
        {
          TnCategory *category = categories->pdata[c];
          g_autofree char *a = g_utf8_casefold (category->name, -1);
          g_autofree char *b = g_utf8_casefold (json_node_get_string (item), -1);

          if (g_str_equal (a, b))
            name = category->name;
        }
      if (name == NULL)
        {
          json_object_set_string_member (details, "interests",
                                         "must name categories of GET /api/v1/categories");
          return NULL;
        }
      if (!g_ptr_array_find_with_equal_func (interests, name, g_str_equal, NULL))
        g_ptr_array_add (interests, (gpointer) name);
    }
  /* the names belong to @categories: copy them */
  {
    GPtrArray *copy = g_ptr_array_new_with_free_func (g_free);

    for (guint i = 0; i < interests->len; i++)
      g_ptr_array_add (copy, g_strdup (interests->pdata[i]));
    g_ptr_array_add (copy, NULL);
    return copy;
  }
}

static void
handle_me (TnRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnUser) user = tn_store_get_user (tn_server_get_store (req->server), tn_user_get_id (req->user),
                                              &error);
  g_autoptr(JsonNode) node = NULL;

  if (user == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  node = tn_user_to_json (user);
  tn_request_reply_json (req, SOUP_STATUS_OK, node);
}

static void
handle_me_patch (TnRequest *req)
{
  static const char * const fields[] = { "home_lat", "home_lon", "interests", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = tn_request_read_object (req, &error);
  g_autoptr(JsonObject) details = json_object_new ();
  g_autoptr(GPtrArray) interests = NULL;
  g_autoptr(TnUser) user = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GList) members = NULL;
  double lat = NAN, lon = NAN;
  gboolean set_home;

  if (body == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  members = json_object_get_members (body);
  for (const GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (fields, l->data))
      json_object_set_string_member (details, l->data, "is not a field of this request");
  set_home = read_home (body, &lat, &lon, details);
  interests = read_interests (req, body, details, &error);
  if (error != NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  if (json_object_get_size (details) > 0)
    {
      reply_validation (req, details);
      return;
    }
  user = tn_store_update_profile (tn_server_get_store (req->server), tn_user_get_id (req->user), set_home, lat,
                                  lon, interests != NULL ? (const char * const *) interests->pdata : NULL, &error);
  if (user == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  node = tn_user_to_json (user);
  tn_request_reply_json (req, SOUP_STATUS_OK, node);
}

/* --- audit log: reading --------------------------------------------------- */

static const char * const audit_actions[] = {
  "user.create",
  "event.create", "event.update", "event.cancel", "event.delete",
  "attendee.add", "attendee.update", "ticket.reissue", "ticket.revoke",
  "person.set", "person.remove", "attendees.import",
  "device.pairing", "device.rename", "device.revoke",
  NULL
};

static JsonNode *
audit_entry_to_json (TnAuditEntry *entry)
{
  JsonObject *object = json_object_new ();
  JsonObject *actor = json_object_new ();
  g_autofree char *at = tn_time_format (entry->at);
  JsonNode *details = NULL;

  json_object_set_int_member (object, "seq", entry->seq);
  json_object_set_string_member (object, "at", at);
  if (entry->actor_id != NULL)
    json_object_set_string_member (actor, "id", entry->actor_id);
  else
    json_object_set_null_member (actor, "id");
  if (entry->actor_email != NULL)
    json_object_set_string_member (actor, "email", entry->actor_email);
  else
    json_object_set_null_member (actor, "email");
  json_object_set_object_member (object, "actor", actor);
  json_object_set_string_member (object, "action", entry->action);
  json_object_set_string_member (object, "target_type", entry->target_type);
  if (entry->target_id != NULL)
    json_object_set_string_member (object, "target_id", entry->target_id);
  else
    json_object_set_null_member (object, "target_id");
  if (entry->event_id != NULL)
    json_object_set_string_member (object, "event_id", entry->event_id);
  else
    json_object_set_null_member (object, "event_id");
  if (entry->details != NULL)
    details = json_from_string (entry->details, NULL);
  if (details != NULL && JSON_NODE_HOLDS_OBJECT (details))
    json_object_set_member (object, "details", details);
  else
    {
      g_clear_pointer (&details, json_node_unref);
      json_object_set_object_member (object, "details", json_object_new ());
    }
  return node_take_object (object);
}

/* An id filter: a UUID, compared in lower case as ids are stored. */
static char *
audit_query_id (TnRequest  *req,
                const char *name,
                JsonObject *details)
{
  const char *value = tn_request_get_query (req, name);

  if (value == NULL || value[0] == '\0')
    return NULL;
  if (!g_uuid_string_is_valid (value))
    {
      json_object_set_string_member (details, name, "must be an id (a UUID)");
      return NULL;
    }
  return g_ascii_strdown (value, -1);
}

/* The cursor of the audit log is base64url of "audit:SEQ", the seq of the
 * last record of the previous page (pages go from newest to oldest). */
static gint64
decode_audit_cursor (const char *cursor)
{
  g_autofree char *text = base64url_decode (cursor);
  guint64 seq;

  if (text == NULL || !g_str_has_prefix (text, "audit:") ||
      !g_ascii_string_to_unsigned (text + strlen ("audit:"), 10, 1, G_MAXINT64, &seq, NULL))
    return 0;
  return (gint64) seq;
}

static void
handle_audit_list (TnRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) details = json_object_new ();
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonArray) items = json_array_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *event_id = NULL;
  g_autofree char *actor_id = NULL;
  TnAuditQuery query = { 0 };
  const char *action, *cursor;
  gboolean more = FALSE;

  if (!require_role (req, TN_ROLE_ADMIN, &error))
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  event_id = audit_query_id (req, "event_id", details);
  actor_id = audit_query_id (req, "actor_id", details);
  action = tn_request_get_query (req, "action");
  if (action != NULL && action[0] == '\0')
    action = NULL;
  if (action != NULL && !g_strv_contains (audit_actions, action))
    {
      g_autofree char *known = g_strjoinv (", ", (char **) audit_actions);
      g_autofree char *message = g_strconcat ("must be one of ", known, NULL);

      json_object_set_string_member (details, "action", message);
      action = NULL;
    }
  query.from = query_time (req, "from", details);
  query.to = query_time (req, "to", details);
  if (query.from != 0 && query.to != 0 && query.to <= query.from)
    json_object_set_string_member (details, "to", "must be after from");
  query.limit = query_limit (req, details);
  cursor = tn_request_get_query (req, "cursor");
  if (cursor != NULL && cursor[0] != '\0' && (query.before_seq = decode_audit_cursor (cursor)) == 0)
    json_object_set_string_member (details, "cursor", "is not a cursor this server gave out");
  if (json_object_get_size (details) > 0)
    {
      reply_validation (req, details);
      return;
    }
  query.event_id = event_id;
  query.actor_id = actor_id;
  query.action = action;

  entries = tn_store_list_audit (tn_server_get_store (req->server), &query, &more, &error);
  if (entries == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  for (guint i = 0; i < entries->len; i++)
    json_array_add_element (items, audit_entry_to_json (entries->pdata[i]));
  json_object_set_array_member (object, "items", g_steal_pointer (&items));
  if (more && entries->len > 0)
    {
      TnAuditEntry *last = entries->pdata[entries->len - 1];
      g_autofree char *raw = g_strdup_printf ("audit:%" G_GINT64_FORMAT, last->seq);
      g_autofree char *next = base64url_encode (raw);

      json_object_set_string_member (object, "next_cursor", next);
    }
  else
    json_object_set_null_member (object, "next_cursor");
  node = node_take_object (g_steal_pointer (&object));
  tn_request_reply_json (req, SOUP_STATUS_OK, node);
}

/* --- door devices (docs/CHECKIN.md) ---------------------------------------- */

#define PAIRING_CODE_TTL  (10 * 60)
#define DEVICE_NAME_MAX   100

static JsonNode *
device_to_json (TnDevice *device)
{
  JsonObject *object = json_object_new ();
  g_autofree char *created = tn_time_format (device->created_at);

  json_object_set_string_member (object, "id", device->id);
  json_object_set_string_member (object, "event_id", device->event_id);
  json_object_set_string_member (object, "name", device->name);
  json_object_set_string_member (object, "role", tn_device_role_to_string (device->role));
  json_object_set_string_member (object, "created_at", created);
  if (device->last_seen_at != 0)
    {
      g_autofree char *seen = tn_time_format (device->last_seen_at);

      json_object_set_string_member (object, "last_seen_at", seen);
    }
  else
    json_object_set_null_member (object, "last_seen_at");
  if (device->revoked_at != 0)
    {
      g_autofree char *revoked = tn_time_format (device->revoked_at);

      json_object_set_string_member (object, "revoked_at", revoked);
    }
  else
    json_object_set_null_member (object, "revoked_at");
  return node_take_object (object);
}

/* The event @id (a UUID or anything else), if the caller may check
 * people in there: its organizer, co-hosts, staff, admins (as for its
 * attendees); a door device at its own event only. 404 for an event the
 * caller may not see, 403 for one they see but may not check in at. */
static TnEvent *
load_checkin_event (TnRequest   *req,
                    const char  *id,
                    GError     **error)
{
  g_autoptr(TnEvent) event = NULL;
  g_autofree char *lower = NULL;

  if (id == NULL || !g_uuid_string_is_valid (id))
    {
      g_set_error_literal (error, TN_ERROR, TN_ERROR_NOT_FOUND, "No such event");
      return NULL;
    }
  lower = g_ascii_strdown (id, -1);
  if (req->device != NULL && !g_str_equal (lower, req->device->event_id))
    {
      g_set_error_literal (error, TN_ERROR, TN_ERROR_NOT_FOUND, "No such event");
      return NULL;
    }
  event = tn_store_get_event (tn_server_get_store (req->server), lower, error);
  if (event == NULL)
    return NULL;
  if (req->device == NULL &&
      (!may_see_event (req, event, error) || !may_change_event (req, event, EVENT_SEE_ATTENDEES, error)))
    return NULL;
  return g_steal_pointer (&event);
}

/* A device's name: 1 to 100 characters, no control characters. */
static char *
device_name (JsonObject *details,
             const char *name)
{
  g_autofree char *stripped = g_strstrip (g_strdup (name));

  check_text_field (details, "name", stripped, 1, DEVICE_NAME_MAX, FALSE);
  return g_steal_pointer (&stripped);
}

static void
handle_pairing_create (TnRequest *req)
{
  static const char * const fields[] = { "event_id", "role", "name", NULL };
  static const char * const required[] = { "event_id", "role", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) details = json_object_new ();
  g_autoptr(TnEvent) event = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *name = NULL;
  g_autofree char *code = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *expires = NULL;
  const char *event_id, *role_text;
  TnDeviceRole role = TN_DEVICE_ROLE_STEWARD;
  gint64 now = tn_time_now ();
  gboolean stored;

  body = tn_request_read_object (req, &error);
  if (body == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  if (!read_optional_string_fields (body, fields, required, details))
    {
      reply_validation (req, details);
      return;
    }
  event_id = tn_json_object_get_string (body, "event_id");
  role_text = tn_json_object_get_string (body, "role");
  if (!g_uuid_string_is_valid (event_id))
    json_object_set_string_member (details, "event_id", "must be an event id (a UUID)");
  if (!tn_device_role_from_string (role_text, &role))
    json_object_set_string_member (details, "role", "must be steward or supervisor");
  if (tn_json_object_get_string (body, "name") != NULL)
    name = device_name (details, tn_json_object_get_string (body, "name"));
  if (json_object_get_size (details) > 0)
    {
      reply_validation (req, details);
      return;
    }
  event = load_checkin_event (req, event_id, &error);
  if (event == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }

  code = tn_auth_new_pairing_code ();
  hash = tn_auth_hash_token (code);
  {
    g_autoptr(JsonObject) audit = json_object_new ();

    json_object_set_string_member (audit, "role", tn_device_role_to_string (role));
    if (name != NULL)
      json_object_set_string_member (audit, "name", name);
    audit_begin (req, "device.pairing", "event", tn_event_get_id (event), tn_event_get_id (event), audit);
  }
  stored = tn_store_add_pairing_code (tn_server_get_store (req->server), hash, tn_event_get_id (event), role,
                                      name, now + PAIRING_CODE_TTL, now, &error);
  audit_done (req);
  if (!stored)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  expires = tn_time_format (now + PAIRING_CODE_TTL);
  object = json_object_new ();
  json_object_set_string_member (object, "code", code);
  json_object_set_string_member (object, "event_id", tn_event_get_id (event));
  json_object_set_string_member (object, "role", tn_device_role_to_string (role));
  json_object_set_string_member (object, "expires_at", expires);
  node = node_take_object (g_steal_pointer (&object));
  tn_request_reply_json (req, SOUP_STATUS_CREATED, node);
}

/* POST /api/v1/devices: a door exchanges a pairing code for a device
 * token. Rate-limited per client address like sign-ins (the limiter is
 * shared, the keys are not): a code has 60 bits, and guessing must stay
 * slow. */
static void
handle_device_pair (TnRequest *req)
{
  static const char * const fields[] = { "pairing_code", "name", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) details = json_object_new ();
  g_autoptr(TnDevice) device = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *name = NULL;
  g_autofree char *code = NULL;
  g_autofree char *code_hash = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token_hash = NULL;
  g_autofree char *address = NULL;
  g_autofree char *key = NULL;
  g_autofree char *id = NULL;

  body = read_string_body (req, fields, details);
  if (body == NULL)
    return;
  name = device_name (details, tn_json_object_get_string (body, "name"));
  if (json_object_get_size (details) > 0)
    {
      reply_validation (req, details);
      return;
    }
  address = tn_request_get_client_address (req);
  key = g_strconcat ("pairing ", address, NULL);
  if (!check_rate_limit (req, tn_server_get_address_limiter (req->server), key, "pairing attempts"))
    return;

  code = tn_auth_normalize_pairing_code (tn_json_object_get_string (body, "pairing_code"));
  if (code == NULL)
    {
      tn_request_reply_error_literal (req, TN_ERROR_UNAUTHORIZED, "The pairing code is wrong, used or expired");
      return;
    }
  code_hash = tn_auth_hash_token (code);
  token = tn_auth_new_device_token ();
  token_hash = tn_auth_hash_token (token);
  id = tn_id_new ();
  device = tn_store_pair_device (tn_server_get_store (req->server), code_hash, id, name, token_hash,
                                 tn_time_now (), &error);
  if (device == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  object = json_object_new ();
  json_object_set_member (object, "device", device_to_json (device));
  json_object_set_string_member (object, "token", token);
  node = node_take_object (g_steal_pointer (&object));
  tn_request_reply_json (req, SOUP_STATUS_CREATED, node);
}

static void
handle_devices_list (TnRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) details = json_object_new ();
  g_autoptr(TnEvent) event = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonArray) items = json_array_new ();
  g_autoptr(JsonNode) node = NULL;
  const char *event_id = tn_request_get_query (req, "event_id");

  if (event_id == NULL || event_id[0] == '\0')
    json_object_set_string_member (details, "event_id", "is required");
  else if (!g_uuid_string_is_valid (event_id))
    json_object_set_string_member (details, "event_id", "must be an event id (a UUID)");
  if (json_object_get_size (details) > 0)
    {
      reply_validation (req, details);
      return;
    }
  event = load_checkin_event (req, event_id, &error);
  if (event != NULL)
    devices = tn_store_list_devices (tn_server_get_store (req->server), tn_event_get_id (event), &error);
  if (devices == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  for (guint i = 0; i < devices->len; i++)
    json_array_add_element (items, device_to_json (devices->pdata[i]));
  json_object_set_array_member (object, "items", g_steal_pointer (&items));
  json_object_set_null_member (object, "next_cursor");
  node = node_take_object (g_steal_pointer (&object));
  tn_request_reply_json (req, SOUP_STATUS_OK, node);
}

/* The device of {id}, if the caller may manage the devices of its event
 * (as load_checkin_event()). On failure the error is answered here. */
static TnDevice *
load_device (TnRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnDevice) device = NULL;
  g_autoptr(TnEvent) event = NULL;
  g_autofree char *id = NULL;

  if (!g_uuid_string_is_valid (req->params[0]))
    {
      tn_request_reply_error_literal (req, TN_ERROR_NOT_FOUND, "No such device");
      return NULL;
    }
  id = g_ascii_strdown (req->params[0], -1);
  device = tn_store_get_device (tn_server_get_store (req->server), id, &error);
  if (device != NULL)
    {
      event = load_checkin_event (req, device->event_id, &error);
      /* A device of an event the caller does not see does not exist. */
      if (event == NULL && g_error_matches (error, TN_ERROR, TN_ERROR_NOT_FOUND))
        {
          g_clear_error (&error);
          g_set_error_literal (&error, TN_ERROR, TN_ERROR_NOT_FOUND, "No such device");
        }
    }
  if (device == NULL || event == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return NULL;
    }
  return g_steal_pointer (&device);
}

static void
handle_device_patch (TnRequest *req)
{
  static const char * const fields[] = { "name", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) details = json_object_new ();
  g_autoptr(TnDevice) device = NULL;
  g_autoptr(TnDevice) renamed = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *name = NULL;

  device = load_device (req);
  if (device == NULL)
    return;
  body = read_string_body (req, fields, details);
  if (body == NULL)
    return;
  name = device_name (details, tn_json_object_get_string (body, "name"));
  if (json_object_get_size (details) > 0)
    {
      reply_validation (req, details);
      return;
    }
  {
    g_autoptr(JsonObject) changes = json_object_new ();

    audit_change_string (changes, "name", device->name, name);
    audit_begin (req, "device.rename", "device", device->id, device->event_id, changes);
  }
  renamed = tn_store_rename_device (tn_server_get_store (req->server), device->id, name, &error);
  audit_done (req);
  if (renamed == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  node = device_to_json (renamed);
  tn_request_reply_json (req, SOUP_STATUS_OK, node);
}

static void
handle_device_delete (TnRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnDevice) device = NULL;
  g_autoptr(TnDevice) revoked = NULL;

  device = load_device (req);
  if (device == NULL)
    return;
  if (!tn_request_read_empty (req, &error))
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  {
    g_autoptr(JsonObject) audit = json_object_new ();

    json_object_set_string_member (audit, "name", device->name);
    json_object_set_string_member (audit, "role", tn_device_role_to_string (device->role));
    audit_begin (req, "device.revoke", "device", device->id, device->event_id, audit);
  }
  revoked = tn_store_revoke_device (tn_server_get_store (req->server), device->id, tn_time_now (), &error);
  audit_done (req);
  if (revoked == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  tn_request_reply_empty (req, SOUP_STATUS_NO_CONTENT);
}

/* --- check-in -------------------------------------------------------------- */

#define CHECKIN_BATCH_MAX     1000
#define CHECKIN_CODE_MAX      300
#define CHECKIN_DEVICE_MAX    100
/* A door's clock may run a little fast; a scan from further ahead, or
 * from more than a day before the event starts, is a broken clock or a
 * broken door, and its batch is refused. */
#define CHECKIN_FUTURE_SLACK  (5 * 60)
#define CHECKIN_EARLIEST      (24 * 3600)

static void
scan_detail (JsonObject *details,
             guint       index,
             const char *field,
             const char *message)
{
  g_autofree char *name = field != NULL ? g_strdup_printf ("scans[%u].%s", index, field)
                                        : g_strdup_printf ("scans[%u]", index);

  if (!json_object_has_member (details, name))
    json_object_set_string_member (details, name, message);
}

/* Reads scan @index of a batch into a TnCheckin, or fills @details. */
static TnCheckin *
read_scan (JsonNode   *node,
           guint       index,
           gint64      now,
           JsonObject *details)
{
  static const char * const fields[] = {
    "id", "event_id", "code", "direction", "scanned_at", "device", "local_verdict", NULL
  };
  static const char * const required[] = { "id", "event_id", "code", "direction", "scanned_at", NULL };
  static const char * const nullable[] = { "device", "local_verdict", NULL };
  g_autoptr(TnCheckin) scan = g_new0 (TnCheckin, 1);
  g_autoptr(GList) members = NULL;
  JsonObject *object;
  const char *text;
  guint before = json_object_get_size (details);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      scan_detail (details, index, NULL, "must be an object");
      return NULL;
    }
  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *member = json_object_get_member (object, l->data);

      if (!g_strv_contains (fields, l->data))
        scan_detail (details, index, l->data, "is not a field of a scan");
      else if (!tn_json_node_is_string (member) &&
               !(g_strv_contains (nullable, l->data) && JSON_NODE_HOLDS_NULL (member)))
        scan_detail (details, index, l->data, "must be a string");
    }
  for (guint i = 0; required[i] != NULL; i++)
    if (!json_object_has_member (object, required[i]))
      scan_detail (details, index, required[i], "is required");
  if (json_object_get_size (details) > before)
    return NULL;

  text = tn_json_object_get_string (object, "id");
  if (!g_uuid_string_is_valid (text))
    scan_detail (details, index, "id", "must be a UUID");
  else
    scan->id = g_ascii_strdown (text, -1);
  text = tn_json_object_get_string (object, "event_id");
  if (!g_uuid_string_is_valid (text))
    scan_detail (details, index, "event_id", "must be an event id (a UUID)");
  else
    scan->event_id = g_ascii_strdown (text, -1);
  text = tn_json_object_get_string (object, "code");
  if (!g_utf8_validate (text, -1, NULL) || text[0] == '\0' || g_utf8_strlen (text, -1) > CHECKIN_CODE_MAX)
    scan_detail (details, index, "code", "must be 1 to 300 characters long");
  else
    scan->code = g_strdup (text);
  text = tn_json_object_get_string (object, "direction");
  if (g_strcmp0 (text, "in") != 0 && g_strcmp0 (text, "out") != 0)
    scan_detail (details, index, "direction", "must be in or out");
  else
    scan->out = g_str_equal (text, "out");
  text = tn_json_object_get_string (object, "scanned_at");
  if (!tn_time_parse (text, &scan->scanned_at, NULL))
    scan_detail (details, index, "scanned_at",
                 "must be an RFC 3339 date and time with a time zone, such as 2026-11-22T18:00:00Z");
  else if (scan->scanned_at > now + CHECKIN_FUTURE_SLACK)
    scan_detail (details, index, "scanned_at", "is in the future: check the door's clock");
  {
    g_autoptr(JsonObject) device_details = json_object_new ();

    /* Absent or null: filled in from the caller (handle_checkins_post()). */
    text = tn_json_object_get_string (object, "device");
    if (text != NULL)
      check_text_field (device_details, "device", text, 1, CHECKIN_DEVICE_MAX, FALSE);
    if (json_object_get_size (device_details) > 0)
      scan_detail (details, index, "device", json_object_get_string_member (device_details, "device"));
    else
      scan->device = g_strdup (text);
  }
  text = tn_json_object_get_string (object, "local_verdict");
  if (text != NULL)
    {
      if (!tn_verdict_from_string (text, &scan->local_verdict))
        scan_detail (details, index, "local_verdict",
                     "must be accepted, duplicate, unknown, wrong_event, revoked, not_going or not_inside");
      else
        scan->has_local_verdict = TRUE;
    }
  if (json_object_get_size (details) > before)
    return NULL;
  return g_steal_pointer (&scan);
}

static JsonNode *
checkin_result_to_json (TnCheckin  *scan,
                        TnAttendee *attendee)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "id", scan->id);
  json_object_set_string_member (object, "verdict", tn_verdict_to_string (scan->verdict));
  if (attendee != NULL)
    json_object_set_member (object, "attendee", tn_attendee_to_json (attendee));
  if (scan->verdict == TN_VERDICT_DUPLICATE && scan->previous_device != NULL)
    {
      JsonObject *previous = json_object_new ();
      g_autofree char *at = tn_time_format (scan->previous_scanned_at);

      json_object_set_string_member (previous, "scanned_at", at);
      json_object_set_string_member (previous, "device", scan->previous_device);
      json_object_set_object_member (object, "previous", previous);
    }
  json_object_set_boolean_member (object, "flagged", scan->flagged);
  return node_take_object (object);
}

/* Tells each event's live subscribers (once committed) how many scans of
 * the batch were its; the statistics that come with it say who is in. */
static void
publish_checkins (TnRequest  *req,
                  GHashTable *events,
                  GPtrArray  *scans)
{
  GHashTableIter iter;
  gpointer event_id;

  g_hash_table_iter_init (&iter, events);
  while (g_hash_table_iter_next (&iter, &event_id, NULL))
    {
      g_autoptr(JsonObject) change = json_object_new ();
      gint64 n = 0;

      for (guint i = 0; i < scans->len; i++)
        n += g_str_equal (((TnCheckin *) scans->pdata[i])->event_id, event_id);
      json_object_set_string_member (change, "type", "checkin");
      json_object_set_int_member (change, "scans", n);
      tn_server_publish_change (req->server, event_id, change);
    }
}

static void
handle_checkins_post (TnRequest *req)
{
  static const char * const fields[] = { "scans", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) details = json_object_new ();
  g_autoptr(GPtrArray) scans = g_ptr_array_new_with_free_func ((GDestroyNotify) tn_checkin_free);
  g_autoptr(GHashTable) events = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonArray) results = json_array_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GList) members = NULL;
  TnStore *store = tn_server_get_store (req->server);
  gint64 now = tn_time_now ();
  JsonNode *scans_node;
  JsonArray *array;
  guint n;

  body = tn_request_read_object (req, &error);
  if (body == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  members = json_object_get_members (body);
  for (const GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (fields, l->data))
      json_object_set_string_member (details, l->data, "is not a field of this request");
  scans_node = json_object_get_member (body, "scans");
  if (scans_node == NULL)
    json_object_set_string_member (details, "scans", "is required");
  else if (!JSON_NODE_HOLDS_ARRAY (scans_node))
    json_object_set_string_member (details, "scans", "must be an array of scans");
  else if ((n = json_array_get_length (array = json_node_get_array (scans_node))) < 1 || n > CHECKIN_BATCH_MAX)
    json_object_set_string_member (details, "scans", "must hold 1 to 1000 scans");
  else
    for (guint i = 0; i < n; i++)
      {
        TnCheckin *scan = read_scan (json_array_get_element (array, i), i, now, details);

        if (scan != NULL)
          g_ptr_array_add (scans, scan);
      }
  if (json_object_get_size (details) > 0)
    {
      reply_validation (req, details);
      return;
    }

  /* A scan that does not say where it was made was made by the caller:
   * the door device, or the signed-in staff member. */
  for (guint i = 0; i < scans->len; i++)
    {
      TnCheckin *scan = scans->pdata[i];

      if (scan->device == NULL)
        scan->device = g_strdup (req->device != NULL ? req->device->id : tn_user_get_email (req->user));
    }

  /* Every event of the batch: the caller checks people in there, and the
   * scans are not from before its day. */
  for (guint i = 0; i < scans->len; i++)
    {
      TnCheckin *scan = scans->pdata[i];
      TnEvent *event = g_hash_table_lookup (events, scan->event_id);

      if (event == NULL)
        {
          event = load_checkin_event (req, scan->event_id, &error);
          if (event == NULL)
            {
              tn_request_reply_error (req, error, NULL);
              return;
            }
          g_hash_table_insert (events, g_strdup (scan->event_id), event);
        }
      if (scan->scanned_at < tn_event_get_starts_at (event) - CHECKIN_EARLIEST)
        scan_detail (details, i, "scanned_at", "is more than a day before the event starts: check the door's clock");
    }
  if (json_object_get_size (details) > 0)
    {
      reply_validation (req, details);
      return;
    }

  if (!tn_store_record_checkins (store, scans, now, &error) ||
      (req->device != NULL && !tn_store_touch_device (store, req->device->id, now, &error)))
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  publish_checkins (req, events, scans);
  for (guint i = 0; i < scans->len; i++)
    {
      TnCheckin *scan = scans->pdata[i];
      g_autoptr(TnAttendee) attendee = NULL;

      if (scan->attendee_id != NULL)
        {
          TnEvent *event = g_hash_table_lookup (events, scan->event_id);

          attendee = tn_store_get_attendee (store, scan->event_id, scan->attendee_id, &error);
          if (attendee == NULL || !sign_tickets (req, event, &attendee, 1, &error))
            {
              tn_request_reply_error (req, error, NULL);
              return;
            }
        }
      json_array_add_element (results, checkin_result_to_json (scan, attendee));
    }
  json_object_set_array_member (object, "results", g_steal_pointer (&results));
  node = node_take_object (g_steal_pointer (&object));
  tn_request_reply_json (req, SOUP_STATUS_OK, node);
}

/* DELETE /api/v1/checkins/{id}: undo a scan. A supervisor device of its
 * event, or whoever checks people in there. */
static void
handle_checkin_delete (TnRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TnCheckin) scan = NULL;
  g_autoptr(TnEvent) event = NULL;
  g_autofree char *id = NULL;
  TnStore *store = tn_server_get_store (req->server);

  if (!g_uuid_string_is_valid (req->params[0]))
    {
      tn_request_reply_error_literal (req, TN_ERROR_NOT_FOUND, "No such scan");
      return;
    }
  id = g_ascii_strdown (req->params[0], -1);
  scan = tn_store_get_checkin (store, id, &error);
  if (scan != NULL)
    {
      event = load_checkin_event (req, scan->event_id, &error);
      if (event == NULL && g_error_matches (error, TN_ERROR, TN_ERROR_NOT_FOUND))
        {
          g_clear_error (&error);
          g_set_error_literal (&error, TN_ERROR, TN_ERROR_NOT_FOUND, "No such scan");
        }
    }
  if (scan == NULL || event == NULL)
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  if (req->device != NULL && req->device->role != TN_DEVICE_ROLE_SUPERVISOR)
    {
      tn_request_reply_error_literal (req, TN_ERROR_FORBIDDEN, "Only a supervisor device can undo a scan");
      return;
    }
  if (!tn_request_read_empty (req, &error) ||
      !tn_store_undo_checkin (store, id, tn_time_now (), &error))
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  {
    g_autoptr(JsonObject) change = json_object_new ();

    json_object_set_string_member (change, "type", "checkin_undo");
    json_object_set_string_member (change, "id", id);
    tn_server_publish_change (req->server, scan->event_id, change);
  }
  tn_request_reply_empty (req, SOUP_STATUS_NO_CONTENT);
}

/* --- sync ------------------------------------------------------------------ */

static JsonNode *
checkin_to_json (TnCheckin *scan)
{
  JsonObject *object = json_object_new ();
  g_autofree char *scanned = tn_time_format (scan->scanned_at);
  g_autofree char *received = tn_time_format (scan->received_at);

  json_object_set_string_member (object, "id", scan->id);
  json_object_set_string_member (object, "code", scan->code);
  if (scan->attendee_id != NULL)
    json_object_set_string_member (object, "attendee_id", scan->attendee_id);
  else
    json_object_set_null_member (object, "attendee_id");
  json_object_set_string_member (object, "direction", scan->out ? "out" : "in");
  json_object_set_string_member (object, "scanned_at", scanned);
  json_object_set_string_member (object, "received_at", received);
  json_object_set_string_member (object, "device", scan->device);
  json_object_set_string_member (object, "verdict", tn_verdict_to_string (scan->verdict));
  json_object_set_boolean_member (object, "flagged", scan->flagged);
  json_object_set_boolean_member (object, "undone", scan->undone_at != 0);
  return node_take_object (object);
}

static void
handle_sync (TnRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) details = json_object_new ();
  g_autoptr(TnEvent) event = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GPtrArray) attendees = g_ptr_array_new ();
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonArray) items = json_array_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) event_node = NULL;
  g_autofree char *public_text = NULL;
  g_autofree char *cursor = NULL;
  TnStore *store = tn_server_get_store (req->server);
  const char *event_id = tn_request_get_query (req, "event_id");
  const char *since_text = tn_request_get_query (req, "since");
  const char *limit_text = tn_request_get_query (req, "limit");
  guint8 public_key[TN_SIGNED_TICKET_PUBLIC_KEY];
  guint8 secret_key[TN_SIGNED_TICKET_SECRET_KEY];
  guint64 since = 0, limit = TN_SYNC_LIMIT_DEFAULT;
  gboolean more = FALSE;

  if (event_id == NULL || event_id[0] == '\0')
    json_object_set_string_member (details, "event_id", "is required");
  else if (!g_uuid_string_is_valid (event_id))
    json_object_set_string_member (details, "event_id", "must be an event id (a UUID)");
  if (since_text != NULL && since_text[0] != '\0' &&
      !g_ascii_string_to_unsigned (since_text, 10, 0, G_MAXINT64, &since, NULL))
    json_object_set_string_member (details, "since", "is not a cursor this server gave out");
  if (limit_text != NULL && limit_text[0] != '\0' &&
      !g_ascii_string_to_unsigned (limit_text, 10, 1, TN_SYNC_LIMIT_MAX, &limit, NULL))
    json_object_set_string_member (details, "limit", "must be a whole number from 1 to 5000");
  if (json_object_get_size (details) > 0)
    {
      reply_validation (req, details);
      return;
    }
  event = load_checkin_event (req, event_id, &error);
  if (event == NULL ||
      !tn_store_get_event_key (store, tn_event_get_id (event), public_key, secret_key, &error) ||
      (changes = tn_store_list_changes (store, tn_event_get_id (event), (gint64) since, (guint) limit,
                                        &more, &error)) == NULL ||
      (req->device != NULL && !tn_store_touch_device (store, req->device->id, tn_time_now (), &error)))
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  memset (secret_key, 0, sizeof secret_key);

  for (guint i = 0; i < changes->len; i++)
    {
      TnSyncChange *change = changes->pdata[i];

      if (change->type == TN_SYNC_ATTENDEE)
        g_ptr_array_add (attendees, change->attendee);
    }
  if (!sign_tickets (req, event, (TnAttendee **) attendees->pdata, attendees->len, &error))
    {
      tn_request_reply_error (req, error, NULL);
      return;
    }
  for (guint i = 0; i < changes->len; i++)
    {
      TnSyncChange *change = changes->pdata[i];
      JsonObject *item = json_object_new ();

      json_object_set_int_member (item, "seq", change->seq);
      switch (change->type)
        {
        case TN_SYNC_ATTENDEE:
          json_object_set_string_member (item, "type", "attendee");
          json_object_set_member (item, "attendee", tn_attendee_to_json (change->attendee));
          break;
        case TN_SYNC_REVOKED:
          json_object_set_string_member (item, "type", "revoked");
          json_object_set_string_member (item, "code", change->code);
          break;
        case TN_SYNC_CHECKIN:
          json_object_set_string_member (item, "type", "checkin");
          json_object_set_member (item, "checkin", checkin_to_json (change->checkin));
          break;
        default:
          g_assert_not_reached ();
        }
      json_array_add_element (items, node_take_object (item));
    }

  event_node = tn_event_to_json (event, TN_EVENT_JSON_STORED);
  public_text = g_base64_encode (public_key, sizeof public_key);
  json_object_set_string_member (json_node_get_object (event_node), "public_key", public_text);
  cursor = g_strdup_printf ("%" G_GINT64_FORMAT,
                            changes->len > 0 ? ((TnSyncChange *) changes->pdata[changes->len - 1])->seq
                                             : (gint64) since);
  json_object_set_member (object, "event", g_steal_pointer (&event_node));
  json_object_set_array_member (object, "changes", g_steal_pointer (&items));
  json_object_set_string_member (object, "cursor", cursor);
  json_object_set_boolean_member (object, "more", more);
  node = node_take_object (g_steal_pointer (&object));
  tn_request_reply_json (req, SOUP_STATUS_OK, node);
}
