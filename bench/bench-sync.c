/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-sync — a door's first sync of a large event.
 *
 * Against a running turnout-server (bench/sync starts one), as the
 * organizer whose token it is given: creates an event under way, imports N
 * guests (CSV), pairs a door device, then measures
 *   http:    every page of GET /api/v1/sync for the event, as the device
 *            (the server's work and the transfer over loopback);
 *   replica: the same sync through TnSyncEngine into a new TnReplica
 *            (pages fetched and applied, each with its cursor in one
 *            local transaction), until the replica holds every attendee.
 * Prints one RESULT line per measure, in ms, over --rounds rounds. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "tn-client.h"
#include "tn-json.h"
#include "tn-sync-engine.h"
#include "tn-time.h"

static SoupMessage *
request (const char *url,
         const char *token,
         const char *method,
         const char *path,
         const char *content_type,
         const char *body)
{
  g_autofree char *uri = g_strconcat (url, path, NULL);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", token);
  SoupMessage *msg = soup_message_new (method, uri);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }
  return msg;
}

/* Sends @msg (taking it) and parses the answer; exits on anything but
 * @status. */
static JsonObject *
send_json (SoupSession *session,
           SoupMessage *msg,
           guint        status)
{
  g_autoptr(SoupMessage) owned = msg;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, &error);
  JsonObject *object;

  if (body == NULL || soup_message_get_status (msg) != status)
    {
      g_printerr ("bench-sync: %s %s answered %u: %s\n", soup_message_get_method (msg),
                  g_uri_get_path (soup_message_get_uri (msg)), soup_message_get_status (msg),
                  body != NULL ? (const char *) g_bytes_get_data (body, NULL) : error->message);
      exit (1);
    }
  object = tn_json_parse_object (g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body), &error);
  if (object == NULL)
    {
      g_printerr ("bench-sync: unreadable answer: %s\n", error->message);
      exit (1);
    }
  return object;
}

static void
pair_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
report (const char *name,
        GArray     *ms,
        guint       attendees)
{
  g_array_sort (ms, compare_doubles);
  printf ("RESULT case=%s attendees=%u rounds=%u median_ms=%.1f min_ms=%.1f max_ms=%.1f\n", name, attendees,
          ms->len, g_array_index (ms, double, ms->len / 2), g_array_index (ms, double, 0),
          g_array_index (ms, double, ms->len - 1));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  gint attendees = 10000, rounds = 5;
  GOptionEntry entries[] = {
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, "The server, http://HOST:PORT", "URL" },
    { "token", 0, 0, G_OPTION_ARG_STRING, &token, "An organizer's bearer token", "TOKEN" },
    { "attendees", 0, 0, G_OPTION_ARG_INT, &attendees, "Guests of the event (10000)", "N" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Rounds of each measure (5)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— a door's first sync of a large event");
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GString) csv = g_string_new ("name,email\r\n");
  g_autoptr(JsonObject) event = NULL;
  g_autoptr(JsonObject) imported = NULL;
  g_autoptr(JsonObject) pairing = NULL;
  g_autoptr(TnClient) door = NULL;
  g_autoptr(GArray) http_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) replica_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *starts = tn_time_format (tn_time_now () - 3600);
  g_autofree char *ends = tn_time_format (tn_time_now () + 6 * 3600);
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  const char *event_id;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || url == NULL || token == NULL ||
      attendees < 1 || attendees > 20000 || rounds < 1 || rounds > 100)
    {
      g_printerr ("bench-sync: %s\n", error != NULL ? error->message : "needs --url and --token; see --help");
      return 2;
    }

  body = g_strdup_printf ("{\"title\":\"First sync\",\"starts_at\":\"%s\",\"ends_at\":\"%s\"}", starts, ends);
  event = send_json (session, request (url, token, "POST", "/api/v1/events", "application/json", body), 201);
  event_id = json_object_get_string_member (event, "id");
  for (gint i = 0; i < attendees; i++)
    g_string_append_printf (csv, "Guest %d,guest%d@example.org\r\n", i, i);
  path = g_strdup_printf ("/api/v1/events/%s/attendees/import", event_id);
  imported = send_json (session, request (url, token, "POST", path, "text/csv", csv->str), 200);
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{\"event_id\":\"%s\",\"role\":\"steward\",\"name\":\"bench\"}", event_id);
  pairing = send_json (session, request (url, token, "POST", "/api/v1/devices/pairing", "application/json", body),
                       201);

  door = tn_client_new (url);
  {
    GAsyncResult *result = NULL;
    g_autoptr(JsonObject) device = NULL;

    tn_client_pair_device_async (door, json_object_get_string_member (pairing, "code"), "bench", NULL, pair_cb,
                                 &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    device = tn_client_pair_device_finish (door, result, &error);
    g_object_unref (result);
    if (device == NULL)
      {
        g_printerr ("bench-sync: cannot pair: %s\n", error->message);
        return 1;
      }
  }

  dir = g_dir_make_tmp ("turnout-bench-sync-XXXXXX", &error);
  g_assert_no_error (error);
  for (gint r = 0; r < rounds; r++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autofree char *cursor = NULL;
      gboolean more = TRUE;
      guint seen = 0;
      double ms;

      /* http: every page, as the device */
      while (more)
        {
          g_autofree char *page_path = g_strdup_printf ("/api/v1/sync?event_id=%s%s%s", event_id,
                                                        cursor != NULL ? "&since=" : "",
                                                        cursor != NULL ? cursor : "");
          g_autoptr(JsonObject) page = send_json (session, request (url, tn_client_get_token (door), "GET",
                                                                    page_path, NULL, NULL), 200);

          seen += json_array_get_length (json_object_get_array_member (page, "changes"));
          more = json_object_get_boolean_member (page, "more");
          g_free (cursor);
          cursor = g_strdup (json_object_get_string_member (page, "cursor"));
        }
      ms = (double) (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (http_ms, ms);
      if (seen < (guint) attendees)
        {
          g_printerr ("bench-sync: the sync gave %u changes for %d attendees\n", seen, attendees);
          return 1;
        }

      /* replica: the engine into a new replica file */
      {
        g_autofree char *replica_path = g_strdup_printf ("%s/round-%d.db", dir, r);
        g_autoptr(TnReplica) replica = tn_replica_open_path (replica_path, &error);
        g_autoptr(TnSyncEngine) engine = NULL;

        if (replica == NULL)
          {
            g_printerr ("bench-sync: %s\n", error->message);
            return 1;
          }
        engine = tn_sync_engine_new (replica, door, event_id);
        start = g_get_monotonic_time ();
        tn_sync_engine_start (engine);
        while (tn_sync_engine_get_last_sync (engine) == 0 ||
               tn_replica_count_attendees (replica) < (guint) attendees)
          g_main_context_iteration (NULL, TRUE);
        ms = (double) (g_get_monotonic_time () - start) / 1000.0;
        g_array_append_val (replica_ms, ms);
        tn_sync_engine_stop (engine);
        tn_replica_wipe (replica, NULL);
      }
    }
  g_rmdir (dir);

  report ("first-sync-http", http_ms, (guint) attendees);
  report ("first-sync-replica", replica_ms, (guint) attendees);
  return 0;
}
