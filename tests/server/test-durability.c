/* SPDX-License-Identifier: GPL-3.0-or-later */
/* No acknowledged write is lost when the server process is killed: eight
 * clients create events as fast as they can, the server gets SIGKILL in
 * the middle, and after a restart on the same database every event whose
 * creation was answered 201 is there. With group commit, an answer waits
 * for the COMMIT of its batch; an answer sent before it would be lost
 * here. (SIGKILL keeps what the kernel has; a power cut is what
 * synchronous=FULL is for, and no test here can cut the power.) */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <libsoup/soup.h>

#include "tn-json.h"
#include "tn-test-utils.h"
#include "tn-time.h"

#define N_WRITERS      8
#define KILL_AFTER     150   /* answers before the kill */

typedef struct
{
  const char *url;
  const char *token;
  guint       n;
  GMutex     *lock;
  GPtrArray  *acknowledged;   /* ids answered 201, under lock */
  gint       *answered;       /* atomic */
  gboolean    stopped;        /* the connection failed: the server is gone */
} Writer;

/* POST @body; 0 when no answer came (the server is gone). */
static guint
post_event (SoupSession  *session,
            Writer       *w,
            const char   *body,
            char        **out_answer)
{
  g_autofree char *uri = g_strconcat (w->url, "/api/v1/events", NULL);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", w->token);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) answer = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_set_request_body_from_bytes (msg, "application/json", request);
  answer = soup_session_send_and_read (session, msg, NULL, NULL);
  if (answer == NULL)
    return 0;
  *out_answer = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
  return soup_message_get_status (msg);
}

static gpointer
writer_thread (gpointer data)
{
  Writer *w = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;

  g_main_context_push_thread_default (context);
  session = soup_session_new ();

  for (guint i = 0; i < 10000 && !w->stopped; i++)
    {
      g_autofree char *starts = tn_time_format (tn_time_now () + 86400 + i * 60);
      g_autofree char *ends = tn_time_format (tn_time_now () + 90000 + i * 60);
      g_autofree char *body = g_strdup_printf ("{\"title\":\"Writer %u, event %u\",\"starts_at\":\"%s\","
                                               "\"ends_at\":\"%s\"}", w->n, i, starts, ends);
      g_autofree char *answer = NULL;
      guint status = post_event (session, w, body, &answer);

      if (status == 201)
        {
          g_autoptr(JsonObject) event = tn_test_parse_object (answer);

          g_mutex_lock (w->lock);
          g_ptr_array_add (w->acknowledged, g_strdup (tn_json_object_get_string (event, "id")));
          g_mutex_unlock (w->lock);
          g_atomic_int_inc (w->answered);
        }
      else
        {
          /* No answer: the server died. */
          g_assert_cmpuint (status, ==, 0);
          w->stopped = TRUE;
        }
    }
  g_clear_object (&session);
  g_main_context_pop_thread_default (context);
  return NULL;
}

static void
test_kill_during_writes (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("turnout-durability-XXXXXX", &error);
  /* under tests/postgres/with-cluster: a new PostgreSQL database */
  g_autofree char *pg = tn_test_pg_fresh_database ();
  g_autofree char *db = pg != NULL ? g_strdup (pg) : g_strdup_printf ("sqlite:%s/turnout.db", dir);
  const char *serve[] = { "--listen", "127.0.0.1:0", "--database", db, "--demo", NULL };
  g_autoptr(TnTestProcess) server = NULL;
  g_autoptr(TnTestProcess) again = NULL;
  g_autoptr(GPtrArray) acknowledged = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *token = NULL;
  Writer writers[N_WRITERS];
  GThread *threads[N_WRITERS];
  GMutex lock;
  gint answered = 0;

  g_assert_no_error (error);
  g_mutex_init (&lock);
  server = tn_test_process_start (serve, NULL);
  {
    g_autofree char *answer = NULL;
    g_autoptr(JsonObject) login = NULL;

    g_assert_cmpuint (tn_test_http (server->url, "POST", "/api/v1/auth/login", NULL,
                                    "{\"email\":\"" TN_DEMO_ORGANIZER_EMAIL "\",\"password\":\"" TN_DEMO_PASSWORD "\"}",
                                    -1, NULL, &answer), ==, 200);
    login = tn_test_parse_object (answer);
    token = g_strdup (tn_json_object_get_string (login, "token"));
  }

  for (guint i = 0; i < N_WRITERS; i++)
    {
      writers[i] = (Writer) { server->url, token, i, &lock, acknowledged, &answered, FALSE };
      threads[i] = g_thread_new ("writer", writer_thread, &writers[i]);
    }
  while (g_atomic_int_get (&answered) < KILL_AFTER)
    g_usleep (1000);
  tn_test_process_kill (server);
  for (guint i = 0; i < N_WRITERS; i++)
    g_thread_join (threads[i]);
  g_assert_cmpuint (acknowledged->len, >=, KILL_AFTER);

  /* Every answered creation survived. */
  again = tn_test_process_start (serve, NULL);
  for (guint i = 0; i < acknowledged->len; i++)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/events/%s", (char *) acknowledged->pdata[i]);
      guint status = tn_test_http (again->url, "GET", path, token, NULL, -1, NULL, NULL);

      if (status != 200)
        g_error ("event %u of %u, %s, answered 201 before the kill, is gone (%u)", i + 1, acknowledged->len,
                 (char *) acknowledged->pdata[i], status);
    }
  g_free (tn_test_process_stop (again, SIGTERM));
  g_mutex_clear (&lock);
  tn_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  tn_test_init (&argc, &argv);

  g_test_add_func ("/server/durability/kill-during-writes", test_kill_during_writes);

  return g_test_run ();
}
