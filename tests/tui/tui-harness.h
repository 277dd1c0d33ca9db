/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

/* What the tmux tests of turnout-door share: real turnout-server
 * processes, the door in a detached tmux session of its own with a
 * private socket, keys in with send-keys, the screen back with
 * capture-pane. Waits poll the screen and are bounded; nothing asserts
 * how long anything took. */

G_BEGIN_DECLS

#define TUI_DEMO_PASSWORD   "turnout-demo"
#define TUI_MEMBER_EMAIL    "maria@example.org"
#define TUI_ORGANIZER_EMAIL "olivia@example.org"

/* Generous, for sanitizer builds on slow machines; a pass is much faster. */
#define TUI_WAIT_TIMEOUT_MS  60000
#define TUI_POLL_INTERVAL_MS 50

/* --- setup --------------------------------------------------------------- */

/* Call first in main(): g_test_init(), the door's path ($TURNOUT_DOOR), a
 * temporary root directory and a janitor that cleans up after an abort. */
void        tui_init          (int    *argc,
                               char ***argv);
/* Call last in main(): removes the root directory. */
void        tui_cleanup       (void);
const char *tui_root_dir      (void);
const char *tui_door_path     (void);
void        tui_rm_rf         (const char *path);
gboolean    tui_have_tmux     (void);

/* --- a turnout-server process -------------------------------------------- */

typedef struct
{
  GSubprocess *process;
  char        *dir;        /* its database and output */
  char        *url;        /* http://127.0.0.1:PORT */
  char        *listen;     /* 127.0.0.1:PORT */
  gboolean     exited;
} TuiServer;

/* Starts `turnout-server --demo` over @dir/turnout.db (made if missing;
 * an existing database is kept) on @listen (NULL: a free port). It dies
 * with the test. */
gboolean tui_server_start (TuiServer   *server,
                           const char  *dir,
                           const char  *listen,
                           GError     **error);
/* SIGTERM and wait. */
void     tui_server_stop  (TuiServer   *server);
/* SIGKILL and wait, as a power cut would. */
void     tui_server_kill  (TuiServer   *server);
/* Starts it again on the same address over the same database. */
void     tui_server_restart (TuiServer *server);
void     tui_server_clear (TuiServer   *server);

/* --- the API ------------------------------------------------------------- */

/* A synchronous request; returns the status and fills @out_body. */
guint       tui_http         (const char  *url,
                              const char  *method,
                              const char  *path,
                              const char  *token,
                              const char  *body,
                              char       **out_body);
/* As tui_http(), asserts @status and returns the parsed object. */
JsonObject *tui_http_object  (const char  *url,
                              const char  *method,
                              const char  *path,
                              const char  *token,
                              const char  *body,
                              guint        status);
/* A bearer token for a demo account. */
char       *tui_login        (const char  *url,
                              const char  *email);

/* --- the door in tmux ---------------------------------------------------- */

typedef struct
{
  char *dir;
  char *socket;
  char *conf;
  char *config_home;
  char *config_dir;     /* config_home/turnout */
  char *data_home;      /* XDG_DATA_HOME: the door's replicas are in here */
  char *door_log;
  char *screen;         /* the last capture */
  int   height;
} TuiFixture;

typedef gboolean (*TuiScreenCheck) (TuiFixture    *fixture,
                                    const char    *screen,
                                    gconstpointer  data);

void        tui_fixture_setup    (TuiFixture    *fixture,
                                  gconstpointer  data);
void        tui_fixture_teardown (TuiFixture    *fixture,
                                  gconstpointer  data);

gboolean    tui_run_tmux         (TuiFixture  *fixture,
                                  char       **envp,
                                  char       **out,
                                  const char  *first_arg,
                                  ...) G_GNUC_NULL_TERMINATED;
/* Starts turnout-door in a new 80×24 session against @url. @extra_env is
 * NULL or "NAME", "value" pairs. */
void        tui_start_door_full  (TuiFixture         *fixture,
                                  const char         *url,
                                  const char         *tz,
                                  gboolean            no_color,
                                  const char * const *extra_env);
void        tui_start_door       (TuiFixture  *fixture,
                                  const char  *url,
                                  const char  *tz);

const char *tui_capture          (TuiFixture  *fixture);
/* The whole screen with its attributes as SGR escape sequences. */
char       *tui_capture_escapes  (TuiFixture  *fixture,
                                  int          first_row,
                                  int          last_row);
void        tui_show_failure     (TuiFixture  *fixture,
                                  const char  *what);
gboolean    tui_wait_for_screen  (TuiFixture     *fixture,
                                  TuiScreenCheck  check,
                                  gconstpointer   data,
                                  const char     *what);
/* Waits until every one of the NULL-terminated strings is on screen. */
gboolean    tui_wait_for_text    (TuiFixture  *fixture,
                                  const char  *first,
                                  ...) G_GNUC_NULL_TERMINATED;
/* Waits until @text is gone from the screen. */
gboolean    tui_wait_for_no_text (TuiFixture  *fixture,
                                  const char  *text);
void        tui_send_keys        (TuiFixture  *fixture,
                                  const char  *first_key,
                                  ...) G_GNUC_NULL_TERMINATED;
void        tui_send_text        (TuiFixture  *fixture,
                                  const char  *text);
char       *tui_screen_line      (TuiFixture  *fixture,
                                  int          row);
void        tui_resize           (TuiFixture  *fixture,
                                  int          width,
                                  int          height);

/* The door's process id, or 0 once the pane is dead. */
GPid        tui_door_pid         (TuiFixture  *fixture);
gboolean    tui_door_alive       (TuiFixture  *fixture);
/* Waits for the door to exit and asserts it exited with status 0. */
void        tui_assert_door_exits (TuiFixture *fixture);
/* Waits for the pane to be dead, whatever the status. */
gboolean    tui_wait_door_dead   (TuiFixture  *fixture,
                                  int         *status);

/* Whether the door rang the terminal bell since the session started
 * (tmux keeps a flag on the window). */
gboolean    tui_bell_rang        (TuiFixture  *fixture);

/* The one replica file under XDG_DATA_HOME/turnout/replicas, or NULL. */
char       *tui_find_replica     (TuiFixture  *fixture);

gboolean    tui_has_color        (const char  *escapes);

G_END_DECLS
