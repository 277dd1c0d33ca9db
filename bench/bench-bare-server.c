/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-bare-server: the reference ceiling of the benchmark. A libsoup 3
 * server on one main loop, as turnout-server is, that answers every request
 * with the same 200-byte JSON body: what is left of a request's cost when
 * the application does nothing. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib-unix.h>
#include <libsoup/soup.h>

#define BODY \
  "{\"id\":\"8d3f2a4e-5b6c-4d7e-9f80-a1b2c3d4e5f6\",\"title\":\"Big Jazz Night\"," \
  "\"starts_at\":\"2026-11-27T18:00:00Z\",\"ends_at\":\"2026-11-27T21:00:00Z\"," \
  "\"category\":\"music\",\"tags\":[\"live\"],\"capacity\":120,\"version\":1}"

G_STATIC_ASSERT (sizeof (BODY) - 1 == 200);

static void
bare_server_handler_cb (SoupServer        *server,
                        SoupServerMessage *msg,
                        const char        *path,
                        GHashTable        *query,
                        gpointer           user_data)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                    BODY, sizeof (BODY) - 1);
}

static gboolean
bare_server_quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  GSList *uris;
  gint port = 0;
  GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1 (default 0: any free port)", "PORT" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  context = g_option_context_new ("— a bare libsoup server for reference figures");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-bare-server: %s\n", error->message);
      return 2;
    }
  if (argc != 1 || port < 0 || port > 65535)
    {
      g_printerr ("bench-bare-server: give at most --port PORT; see --help\n");
      return 2;
    }

  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, NULL, bare_server_handler_cb, NULL, NULL);
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, (guint16) port);
  /* The same listen backlog as turnout-server (1024, against GSocket's
   * default of 10), so that both meet a burst of connections alike. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  if (socket != NULL)
    g_socket_set_listen_backlog (socket, 1024);
  if (socket == NULL ||
      !g_socket_bind (socket, address, TRUE, &error) ||
      !g_socket_listen (socket, &error) ||
      !soup_server_listen_socket (server, socket, 0, &error))
    {
      g_printerr ("bench-bare-server: cannot listen on 127.0.0.1:%d: %s\n", port, error->message);
      return 1;
    }

  /* The same line as turnout-server, so that bench/run reads both alike. */
  uris = soup_server_get_uris (server);
  if (uris != NULL)
    {
      g_autofree char *uri = g_uri_to_string_partial (uris->data, G_URI_HIDE_NONE);

      /* g_uri_to_string ends a bare authority with "/": drop it. */
      if (g_str_has_suffix (uri, "/"))
        uri[strlen (uri) - 1] = '\0';
      g_print ("Listening on %s\n", uri);
    }
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, bare_server_quit_cb, loop);
  g_unix_signal_add (SIGTERM, bare_server_quit_cb, loop);
  g_main_loop_run (loop);
  return EXIT_SUCCESS;
}
