/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-fanout — how long a change takes to reach every live subscriber.
 *
 * Against a running turnout-server (bench/fanout starts one): creates an
 * event under way as the organizer whose token it is given, with one
 * guest, opens N WebSocket subscribers of its live stream
 * (GET /api/v1/events/{id}/live), then K times posts a scan of the
 * guest's ticket (in, out, in, …: each one accepted) to
 * POST /api/v1/checkins as a door would, and measures from sending the
 * scan to the moment the last subscriber has the delta. Prints one
 * RESULT line with p50, p99 and max in ms.
 *
 * Subscribers and the measuring client share this process and its main
 * loop, so the figure includes reading 500 sockets here, on one core. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

typedef struct
{
  SoupSession *session;
  const char  *url;
  const char  *token;
  char        *event_id;
  GPtrArray   *connections;
  guint        subscribers;
  guint        connected;
  guint        failed;
  guint        deltas_wanted;   /* every subscriber must reach this count */
  guint       *deltas;          /* per subscriber */
  guint        complete;        /* subscribers at deltas_wanted */
  gint64       sent_at;
  GArray      *latencies;       /* of double, ms */
  GMainLoop   *loop;
} Bench;

typedef struct
{
  Bench *bench;
  guint  index;
} Subscriber;

static void
message_cb (SoupWebsocketConnection *connection,
            SoupWebsocketDataType    type,
            GBytes                  *message,
            Subscriber              *s)
{
  Bench *b = s->bench;
  gsize size;
  const char *data = g_bytes_get_data (message, &size);

  /* A delta, not the snapshot: cheap to tell apart. */
  if (g_strstr_len (data, (gssize) MIN (size, 32), "\"delta\"") == NULL)
    return;
  b->deltas[s->index]++;
  if (b->deltas[s->index] == b->deltas_wanted && ++b->complete == b->subscribers)
    {
      double ms = (double) (g_get_monotonic_time () - b->sent_at) / 1000.0;

      g_array_append_val (b->latencies, ms);
      g_main_loop_quit (b->loop);
    }
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Subscriber *s = user_data;
  Bench *b = s->bench;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *connection = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);

  if (connection == NULL)
    {
      g_printerr ("bench-fanout: subscriber %u: %s\n", s->index, error->message);
      b->failed++;
    }
  else
    {
      g_signal_connect (connection, "message", G_CALLBACK (message_cb), s);
      g_ptr_array_add (b->connections, connection);
      b->connected++;
    }
  if (b->connected + b->failed == b->subscribers)
    g_main_loop_quit (b->loop);
}

static SoupMessage *
request (Bench      *b,
         const char *method,
         const char *path,
         const char *body)
{
  g_autofree char *uri = g_strconcat (b->url, path, NULL);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", b->token);
  SoupMessage *msg = soup_message_new (method, uri);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  return msg;
}

static char *
answer_member (SoupMessage *msg,
               GBytes      *body,
               guint        status,
               const char  *member)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (body == NULL || soup_message_get_status (msg) != status ||
      !json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body), NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return g_strdup (json_object_get_string_member_with_default (json_node_get_object (json_parser_get_root (parser)),
                                                               member, ""));
}

static void
scan_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  if (body == NULL)
    g_error ("bench-fanout: the scan failed: %s", error->message);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

int
main (int    argc,
      char **argv)
{
  Bench b = { 0 };
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  gint subscribers = 500, changes = 200;
  GOptionEntry entries[] = {
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, "The server, http://HOST:PORT", "URL" },
    { "token", 0, 0, G_OPTION_ARG_STRING, &token, "An organizer's bearer token", "TOKEN" },
    { "subscribers", 0, 0, G_OPTION_ARG_INT, &subscribers, "WebSocket subscribers (500)", "N" },
    { "changes", 0, 0, G_OPTION_ARG_INT, &changes, "Changes to time (200)", "K" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— time from a scan to the last live subscriber");
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) create = NULL;
  g_autoptr(GBytes) created = NULL;
  g_autoptr(SoupMessage) add = NULL;
  g_autoptr(GBytes) added = NULL;
  g_autofree char *code = NULL;
  g_autofree char *guests_path = NULL;
  Subscriber *subs;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) tomorrow = NULL;
  g_autoptr(GDateTime) after = NULL;
  g_autofree char *starts = NULL;
  g_autofree char *ends = NULL;
  g_autofree char *event_body = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || url == NULL || token == NULL ||
      subscribers < 1 || subscribers > 100000 || changes < 1 || changes > 100000)
    {
      g_printerr ("bench-fanout: %s\n", error != NULL ? error->message : "needs --url and --token; see --help");
      return 2;
    }
  b.url = url;
  b.token = token;
  b.subscribers = (guint) subscribers;
  b.session = soup_session_new_with_options ("max-conns", subscribers + 16, "max-conns-per-host",
                                             subscribers + 16, NULL);
  b.loop = g_main_loop_new (NULL, FALSE);
  b.connections = g_ptr_array_new_with_free_func (g_object_unref);
  b.latencies = g_array_new (FALSE, FALSE, sizeof (double));
  b.deltas = g_new0 (guint, b.subscribers);

  now = g_date_time_new_now_utc ();
  tomorrow = g_date_time_add_hours (now, -1);
  after = g_date_time_add_hours (now, 6);
  starts = g_date_time_format (tomorrow, "%Y-%m-%dT%H:%M:%SZ");
  ends = g_date_time_format (after, "%Y-%m-%dT%H:%M:%SZ");
  event_body = g_strdup_printf ("{\"title\":\"Fan-out\",\"starts_at\":\"%s\",\"ends_at\":\"%s\"}", starts, ends);
  create = request (&b, "POST", "/api/v1/events", event_body);
  created = soup_session_send_and_read (b.session, create, NULL, &error);
  b.event_id = answer_member (create, created, 201, "id");
  if (b.event_id == NULL)
    {
      g_printerr ("bench-fanout: cannot create the event (%u): %s\n", soup_message_get_status (create),
                  error != NULL ? error->message : "");
      return 1;
    }
  guests_path = g_strdup_printf ("/api/v1/events/%s/attendees", b.event_id);
  add = request (&b, "POST", guests_path, "{\"name\":\"Fan\",\"email\":\"fan@example.org\"}");
  added = soup_session_send_and_read (b.session, add, NULL, &error);
  code = answer_member (add, added, 201, "ticket_code");
  if (code == NULL || code[0] == '\0')
    {
      g_printerr ("bench-fanout: cannot add the guest (%u)\n", soup_message_get_status (add));
      return 1;
    }

  subs = g_new0 (Subscriber, b.subscribers);
  for (guint i = 0; i < b.subscribers; i++)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/events/%s/live", b.event_id);
      g_autoptr(SoupMessage) msg = request (&b, "GET", path, NULL);

      subs[i] = (Subscriber) { &b, i };
      soup_session_websocket_connect_async (b.session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                            connected_cb, &subs[i]);
    }
  g_main_loop_run (b.loop);
  if (b.failed > 0)
    return 1;

  for (guint k = 1; k <= (guint) changes; k++)
    {
      g_autofree char *id = g_uuid_string_random ();
      g_autoptr(GDateTime) at = g_date_time_new_now_utc ();
      g_autofree char *scanned_at = g_date_time_format (at, "%Y-%m-%dT%H:%M:%SZ");
      g_autofree char *scan = g_strdup_printf ("{\"scans\":[{\"id\":\"%s\",\"event_id\":\"%s\",\"code\":\"%s\","
                                               "\"direction\":\"%s\",\"scanned_at\":\"%s\"}]}",
                                               id, b.event_id, code, k % 2 ? "in" : "out", scanned_at);
      g_autoptr(SoupMessage) post = request (&b, "POST", "/api/v1/checkins", scan);

      b.deltas_wanted = k;
      b.complete = 0;
      b.sent_at = g_get_monotonic_time ();
      soup_session_send_and_read_async (b.session, post, G_PRIORITY_DEFAULT, NULL, scan_done_cb, &b);
      g_main_loop_run (b.loop);
    }

  g_array_sort (b.latencies, compare_doubles);
  printf ("RESULT case=fanout subscribers=%u changes=%u p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
          b.subscribers, b.latencies->len,
          g_array_index (b.latencies, double, b.latencies->len / 2),
          g_array_index (b.latencies, double, MIN (b.latencies->len - 1, (guint) (b.latencies->len * 0.99))),
          g_array_index (b.latencies, double, b.latencies->len - 1));
  return 0;
}
