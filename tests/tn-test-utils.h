/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "tn-test-signal.h"
#include "tn-user.h"

/* The server's type, without its header: the GTK and terminal tests
 * include this file for the demo constants only. */
typedef struct _TnServer TnServer;
typedef struct _TnStore TnStore;

G_BEGIN_DECLS

/* Demo community (data/demo.json): every demo account has this password. */
#define TN_DEMO_PASSWORD        "turnout-demo"
#define TN_DEMO_ADMIN_EMAIL     "admin@example.org"
#define TN_DEMO_ORGANIZER_EMAIL "olivia@example.org"
#define TN_DEMO_STAFF_EMAIL     "sam@example.org"
#define TN_DEMO_MEMBER_EMAIL    "maria@example.org"

typedef struct _TnTestServer TnTestServer;

/* A real turnout-server in its own thread, with its own GMainContext,
 * listening on 127.0.0.1 port 0 over a fresh SQLite file in a temporary
 * directory. With @demo, the demo community is seeded (events relative to
 * now). */
TnTestServer *tn_test_server_new          (gboolean      demo);
/* As tn_test_server_new(), and calls @setup (nullable) with the TnServer
 * on the server's thread before it listens: for setters such as limits or
 * a test clock. */
typedef void (*TnTestServerSetupFunc) (TnServer *server,
                                       gpointer  user_data);
TnTestServer *tn_test_server_new_full     (gboolean              demo,
                                           TnTestServerSetupFunc setup,
                                           gpointer              user_data);
void          tn_test_server_free         (TnTestServer *server);
const char   *tn_test_server_get_url      (TnTestServer *server);
guint         tn_test_server_get_port     (TnTestServer *server);
const char   *tn_test_server_get_db_path  (TnTestServer *server);
const char   *tn_test_server_get_uri      (TnTestServer *server);
void          tn_test_server_exec_sql     (TnTestServer *server,
                                           const char   *sql);
/* Creates a user directly in the store and returns a fresh bearer token. */
char         *tn_test_server_add_user     (TnTestServer *server,
                                           const char   *email,
                                           const char   *password,
                                           TnRole        role);
/* Returns a token for an existing user (by e-mail), without a password. */
char         *tn_test_server_token_for    (TnTestServer *server,
                                           const char   *email);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TnTestServer, tn_test_server_free)

/* The turnout-server binary ($TURNOUT_SERVER) in a process of its own,
 * for tests where the process matters: signals, SIGKILL, restarts. It
 * dies with the test (PR_SET_PDEATHSIG). @env is NULL or a
 * NULL-terminated list of "NAME", "value" pairs. */
typedef struct _GSubprocess GSubprocess;
typedef struct _GDataInputStream GDataInputStream;
typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
  char             *url;     /* http://127.0.0.1:PORT */
} TnTestProcess;

GSubprocess   *tn_test_spawn_server   (const char * const *args,
                                       const char * const *env,
                                       int                 flags);
/* Starts `turnout-server @args` and reads its stdout until it listens. */
TnTestProcess *tn_test_process_start  (const char * const *args,
                                       const char * const *env);
/* Stops it with @signal, expects a clean exit; returns the rest of its
 * output. */
char          *tn_test_process_stop   (TnTestProcess      *process,
                                       int                 signal);
/* Kills it with SIGKILL, as a power cut would, and waits. */
void           tn_test_process_kill   (TnTestProcess      *process);
void           tn_test_process_free   (TnTestProcess      *process);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TnTestProcess, tn_test_process_free)

void          tn_test_remove_tree         (const char   *path);

/* Stores for tests of either backend (issue 8): under
 * tests/postgres/with-cluster (TURNOUT_TEST_PG set) a new empty PostgreSQL
 * database's URI, else NULL; and a store opened on a `sqlite:` path or a
 * `postgresql://` URI (the PostgreSQL backend is not offered by
 * tn_store_open() until it is complete). */
char         *tn_test_pg_fresh_database   (void);
TnStore      *tn_test_store_open          (const char   *uri,
                                           GError      **error);

/* Iterates the thread-default main context until @condition returns TRUE
 * or @timeout_ms passes; returns the last value of @condition. */
gboolean tn_test_wait_until (gboolean (*condition) (gpointer user_data),
                             gpointer   user_data,
                             guint      timeout_ms);

/* Runs the thread-default main context until *@flag becomes non-zero. */
void     tn_test_wait_flag  (volatile gint *flag,
                             guint          timeout_ms);

/* A synchronous HTTP request for black-box tests; returns the status and
 * fills @out_body (nullable) with the body. @token and @body may be NULL.
 * @extra_headers is a NULL-terminated list of "Name", "value" pairs. */
guint    tn_test_http        (const char  *url,
                              const char  *method,
                              const char  *path,
                              const char  *token,
                              const char  *body,
                              gssize       body_len,
                              const char * const *extra_headers,
                              char       **out_body);

/* A reply with its headers, from tn_test_request(). */
typedef struct _SoupMessageHeaders SoupMessageHeaders;
typedef struct
{
  guint               status;
  char               *body;      /* never NULL */
  SoupMessageHeaders *headers;
} TnTestReply;

TnTestReply *tn_test_request    (const char  *url,
                                 const char  *method,
                                 const char  *path,
                                 const char  *token,
                                 const char  *body,
                                 const char  *if_match);
void         tn_test_reply_free (TnTestReply *reply);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TnTestReply, tn_test_reply_free)

/* Asserts @json parses and equals @expected_json (member order ignored). */
#define tn_assert_json_equal(json, expected_json) \
  tn_test_assert_json_equal (__FILE__, __LINE__, json, expected_json)
void     tn_test_assert_json_equal (const char *file,
                                    int         line,
                                    const char *json,
                                    const char *expected_json);
/* Parses @json (which must be an object) or fails the test. */
JsonObject *tn_test_parse_object   (const char *json);
/* Asserts a JSON error body with @code. */
void     tn_test_assert_error_body (const char *json,
                                    const char *code);

/* A request that must be answered @expected (or the test fails, with
 * the answer); returns the body's object, NULL for an empty body. */
JsonObject *tn_test_call (const char *url,
                          const char *method,
                          const char *path,
                          const char *token,
                          const char *body,
                          guint       expected);

/* A subscriber of an event's live statistics (GET …/events/{id}/live)
 * through a real libsoup WebSocket client: connection is NULL and error
 * set when the server refused it; messages fill as the main context runs. */
typedef struct _SoupSession SoupSession;
typedef struct _SoupMessage SoupMessage;
typedef struct _SoupWebsocketConnection SoupWebsocketConnection;
typedef struct
{
  SoupSession             *session;
  SoupMessage             *msg;
  SoupWebsocketConnection *connection;
  GError                  *error;
  gboolean                 done;
  GPtrArray               *messages;   /* of JsonObject */
} TnTestSubscriber;

/* Connects as @token (NULL: anonymous), waiting for the answer. */
TnTestSubscriber *tn_test_subscribe       (const char       *url,
                                           const char       *event_id,
                                           const char       *token);
/* The @n-th message (from 1), waiting for it. */
JsonObject       *tn_test_subscriber_nth  (TnTestSubscriber *subscriber,
                                           guint             n);
void              tn_test_subscriber_free (TnTestSubscriber *subscriber);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TnTestSubscriber, tn_test_subscriber_free)

/* Call in main() after g_test_init(): makes unexpected warnings fatal. */
void     tn_test_init (int    *argc,
                       char ***argv);

G_END_DECLS
