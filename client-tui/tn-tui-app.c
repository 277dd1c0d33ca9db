/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#include <unistd.h>

#include "tn-tui-app.h"
#include "tn-tui-config.h"
#include "tn-tui-display.h"
#include "tn-tui-screen.h"
#include "tn-tui-text.h"
#include "tn-error.h"
#include "tn-json.h"
#include "tn-replica.h"

/* Below this the layout cannot hold a header, two rows of content, the
 * message line and the status line. */
#define TN_TUI_MIN_ROWS     5
#define TN_TUI_MIN_COLUMNS  20

/* A door is usually on the same network as the server: waiting longer
 * than this only keeps a queue at the door waiting. */
#define TN_TUI_CLIENT_TIMEOUT 10

/* A scanner that ends a code with nothing: a complete code followed by
 * this long without a key is taken as scanned (door.ini: scan-idle-ms). */
#define TN_TUI_DEFAULT_SCAN_IDLE_MS 150

typedef struct
{
  const TnTuiScreen *screen;
  gpointer           data;
} TnTuiView;

struct _TnTuiApp
{
  GObject parent_instance;

  TnClient         *client;
  TnUser           *user;
  char             *server_url;
  char             *server_label;
  char             *config_dir;
  char             *email;

  GPtrArray        *views;      /* of TnTuiView, the top one last */
  GMainLoop        *loop;
  GCancellable     *session_cancellable;  /* cancelled when quitting */
  GCancellable     *sign_in_cancellable;  /* Esc while signing in */
  guint             pending;
  gboolean          busy;
  gboolean          checking_user;
  gboolean          quitting;

  TnTuiMessageKind  message_kind;
  char             *message;

  guint             draw_id;
  guint             input_id;
  guint             signal_ids[4];

  /* the door */
  TnTuiDevice       device;        /* when paired */
  gboolean          paired;
  TnSyncEngine     *engine;
  char             *door_name;
  guint             scan_idle_ms;
  TnTuiVerdictFunc  verdict_func;
  gpointer          verdict_data;
};

G_DEFINE_FINAL_TYPE (TnTuiApp, tn_tui_app, G_TYPE_OBJECT)

static void
tn_tui_view_free (gpointer data)
{
  TnTuiView *view = data;

  view->screen->close (view->data);
  g_free (view);
}

static TnTuiView *
top_view (TnTuiApp *self)
{
  if (self->views->len == 0)
    return NULL;
  return g_ptr_array_index (self->views, self->views->len - 1);
}

static char *
make_server_label (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup (url);
  if (g_uri_get_port (uri) > 0)
    return g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
  return g_strdup (g_uri_get_host (uri));
}

static void
set_server (TnTuiApp   *self,
            const char *server_url)
{
  g_clear_object (&self->client);
  g_free (self->server_url);
  g_free (self->server_label);

  self->server_url = g_strdup (server_url);
  self->server_label = make_server_label (server_url);
  self->client = tn_client_new (server_url);
  tn_client_set_timeout (self->client, TN_TUI_CLIENT_TIMEOUT);
}

static void
tn_tui_app_finalize (GObject *object)
{
  TnTuiApp *self = (TnTuiApp *) object;

  g_assert (self->pending == 0);

  g_clear_pointer (&self->views, g_ptr_array_unref);
  g_clear_object (&self->engine);
  tn_tui_device_clear (&self->device);
  g_free (self->door_name);
  g_clear_object (&self->client);
  g_clear_object (&self->user);
  g_clear_object (&self->session_cancellable);
  g_clear_object (&self->sign_in_cancellable);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_free (self->server_url);
  g_free (self->server_label);
  g_free (self->config_dir);
  g_free (self->email);
  g_free (self->message);

  G_OBJECT_CLASS (tn_tui_app_parent_class)->finalize (object);
}

static void
tn_tui_app_class_init (TnTuiAppClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tn_tui_app_finalize;
}

static void
tn_tui_app_init (TnTuiApp *self)
{
  self->views = g_ptr_array_new_with_free_func (tn_tui_view_free);
  self->session_cancellable = g_cancellable_new ();
  self->sign_in_cancellable = g_cancellable_new ();
}

/* --- drawing ------------------------------------------------------------- */

static void
draw_header (TnTuiApp  *self,
             TnTuiView *view,
             int        columns)
{
  g_autofree char *title = NULL;
  g_autofree char *header = NULL;

  if (view != NULL)
    title = view->screen->dup_title (view->data);

  tn_tui_display_fill (0, 0, columns, TN_TUI_STYLE_HEADER);
  if (title != NULL)
    /* Translators: the header line: the app's name, then what the screen shows */
    header = g_strdup_printf (_("Turnout door — %s"), title);
  else
    header = g_strdup (_("Turnout door"));
  tn_tui_display_text (0, 1, columns - 2, TN_TUI_STYLE_HEADER, header);
}

static void
draw_status (TnTuiApp  *self,
             TnTuiView *view,
             int        row,
             int        columns)
{
  g_autofree char *where = NULL;
  const char *keys = view != NULL ? view->screen->get_keys (view->data) : NULL;
  int where_width;

  if (self->engine != NULL && self->paired)
    {
      /* Translators: in the status line: the door's name and the server */
      where = g_strdup_printf (_("%s on %s"), tn_tui_app_get_door_name (self), self->server_label);
    }
  else if (self->user != NULL)
    {
      const char *name = tn_user_get_name (self->user);

      if (name == NULL || name[0] == '\0')
        name = tn_user_get_email (self->user);
      /* Translators: in the status line: the signed-in user and the server */
      where = g_strdup_printf (_("%s on %s"), name, self->server_label);
    }
  else
    {
      where = g_strdup (self->server_label);
    }

  /* The keys come first; who and where take at most half the line. */
  where_width = MIN (tn_tui_text_width (where), columns / 2 - 1);
  /* Keys left without room make way: who and where go first. */
  if (keys != NULL && tn_tui_text_width (keys) + where_width + 3 > columns)
    {
      where_width = MAX (0, columns - tn_tui_text_width (keys) - 3);
      if (where_width < 8)
        where_width = 0;
    }

  tn_tui_display_fill (row, 0, columns, TN_TUI_STYLE_STATUS);
  if (keys != NULL)
    tn_tui_display_text (row, 1, columns - where_width - (where_width > 0 ? 3 : 2), TN_TUI_STYLE_STATUS, keys);
  if (where_width > 0)
    tn_tui_display_text (row, columns - where_width - 1, where_width, TN_TUI_STYLE_STATUS, where);
}

static void
draw_now (TnTuiApp *self)
{
  TnTuiView *view = top_view (self);
  int rows, columns;

  g_clear_handle_id (&self->draw_id, g_source_remove);
  if (!tn_tui_display_is_open ())
    return;

  tn_tui_display_get_size (&rows, &columns);
  tn_tui_display_begin ();

  if (rows < TN_TUI_MIN_ROWS || columns < TN_TUI_MIN_COLUMNS)
    {
      /* Still usable by key: say why nothing else is shown. */
      tn_tui_display_text (0, 0, columns, TN_TUI_STYLE_ERROR, _("Terminal too small"));
      tn_tui_display_text (1, 0, columns, TN_TUI_STYLE_NORMAL, _("Make the window larger."));
    }
  else
    {
      TnTuiRect area = { 1, 0, rows - 3, columns };

      draw_header (self, view, columns);
      if (view != NULL)
        view->screen->draw (view->data, &area);
      if (self->message != NULL)
        tn_tui_display_text (rows - 2, 1, columns - 2,
                             self->message_kind == TN_TUI_MESSAGE_ERROR ? TN_TUI_STYLE_ERROR : TN_TUI_STYLE_INFO,
                             self->message);
      draw_status (self, view, rows - 1, columns);
    }

  tn_tui_display_end ();
}

/**
 * tn_tui_app_draw_now:
 * @self: the app
 *
 * Redraws at once, for a verdict that must not wait for the main loop.
 */
void
tn_tui_app_draw_now (TnTuiApp *self)
{
  g_return_if_fail (TN_IS_TUI_APP (self));
  draw_now (self);
}

static gboolean
tn_tui_app_draw_cb (gpointer user_data)
{
  TnTuiApp *self = user_data;

  self->draw_id = 0;
  draw_now (self);
  return G_SOURCE_REMOVE;
}

/**
 * tn_tui_app_queue_draw:
 * @self: the app
 *
 * Redraws the screen once the main loop is idle; many calls make one
 * redraw.
 */
void
tn_tui_app_queue_draw (TnTuiApp *self)
{
  g_return_if_fail (TN_IS_TUI_APP (self));

  if (self->draw_id == 0 && !self->quitting)
    self->draw_id = g_idle_add (tn_tui_app_draw_cb, self);
}

/* --- main loop sources --------------------------------------------------- */

static void
handle_key (TnTuiApp       *self,
            const TnTuiKey *key)
{
  TnTuiView *view = top_view (self);

  if (key->code == TN_TUI_KEY_RESIZE)
    {
      /* curses queues this itself after a resize (ours, on SIGWINCH):
       * only the redraw below is left to do. */
    }
  else if (key->code == TN_TUI_KEY_CTRL && key->ch == 'l')
    {
      tn_tui_display_force_redraw ();
    }
  else if (key->code == TN_TUI_KEY_CTRL && (key->ch == 'c' || key->ch == 'q'))
    {
      /* The terminal is raw: these are keys, not signals. Scans are in the
       * outbox the moment their verdict shows, so quitting loses none. */
      tn_tui_app_quit (self);
      return;
    }
  else if (view != NULL && view->screen->handle_key (view->data, key))
    {
      /* used */
    }
  else if (key->code == TN_TUI_KEY_CHAR && key->ch == '?')
    {
      tn_tui_app_push_screen (self, &tn_tui_help_screen, NULL);
    }

  tn_tui_app_queue_draw (self);
}

static gboolean
tn_tui_app_input_cb (int          fd,
                     GIOCondition condition,
                     gpointer     user_data)
{
  TnTuiApp *self = user_data;
  TnTuiKey key;

  while (!self->quitting && tn_tui_display_read_key (&key))
    handle_key (self, &key);

  if ((condition & (G_IO_HUP | G_IO_ERR)) != 0)
    {
      /* The terminal went away: nobody is left to answer. */
      self->input_id = 0;
      tn_tui_app_quit (self);
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static gboolean
tn_tui_app_sigwinch_cb (gpointer user_data)
{
  TnTuiApp *self = user_data;

  if (tn_tui_display_is_open ())
    {
      tn_tui_display_update_size ();
      draw_now (self);
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
tn_tui_app_quit_signal_cb (gpointer user_data)
{
  tn_tui_app_quit (TN_TUI_APP (user_data));
  return G_SOURCE_CONTINUE;
}

/* --- sign-in ------------------------------------------------------------- */

static char *
describe_error (TnTuiApp     *self,
                const GError *error)
{
  if (error->domain != TN_ERROR)
    return g_strdup (error->message);

  switch ((TnError) error->code)
    {
    case TN_ERROR_NETWORK:
      return g_strdup_printf (_("Cannot reach the server at %s."), self->server_url);
    case TN_ERROR_FORBIDDEN:
      return g_strdup (_("Your account is not allowed to do this."));
    case TN_ERROR_NOT_FOUND:
      return g_strdup (_("The server does not have this any more; it may have been deleted."));
    case TN_ERROR_RATE_LIMITED:
      return g_strdup (_("Too many attempts; wait a moment and try again."));
    case TN_ERROR_INTERNAL:
      return g_strdup (_("The server ran into a problem; try again later."));
    case TN_ERROR_BAD_REQUEST:
    case TN_ERROR_VALIDATION_FAILED:
    case TN_ERROR_UNAUTHORIZED:
    case TN_ERROR_CONFLICT:
    case TN_ERROR_CAPACITY_FULL:
    case TN_ERROR_PAYLOAD_TOO_LARGE:
    case TN_ERROR_PRECONDITION_REQUIRED:
    case TN_ERROR_DEVICE_REVOKED:
    default:
      /* Translators: %s is the server's own (English) explanation */
      return g_strdup_printf (_("The server refused the request: %s"), error->message);
    }
}

static void
forget_token (TnTuiApp *self)
{
  g_autoptr(GError) error = NULL;

  tn_client_set_token (self->client, NULL);
  g_clear_object (&self->user);
  if (!tn_tui_config_forget_token (self->config_dir, &error))
    g_warning ("Could not remove the stored sign-in: %s", error->message);
}

static void
signed_in (TnTuiApp *self,
           TnUser   *user,
           gboolean  store)
{
  g_autoptr(GError) error = NULL;

  g_set_object (&self->user, user);
  tn_tui_app_clear_message (self);

  if (store &&
      (!tn_tui_config_save_token (self->config_dir, self->server_url,
                                  tn_client_get_token (self->client), &error) ||
       !tn_tui_config_save (self->config_dir, self->server_url, self->email, &error)))
    {
      g_autofree char *message =
        g_strdup_printf (_("Signed in, but the sign-in could not be saved: %s"), error->message);

      tn_tui_app_set_message (self, TN_TUI_MESSAGE_ERROR, message);
    }

  tn_tui_app_show_screen (self, &tn_tui_event_list_screen, NULL);
}

static void
tn_tui_app_login_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(TnTuiApp) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TnUser) user = NULL;

  user = tn_client_login_finish (TN_CLIENT (source), result, &error);
  tn_tui_app_release (self);
  self->busy = FALSE;
  tn_tui_app_queue_draw (self);

  if (user != NULL)
    {
      signed_in (self, user, TRUE);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      tn_tui_app_clear_message (self);
    }
  else if (g_error_matches (error, TN_ERROR, TN_ERROR_UNAUTHORIZED))
    {
      tn_tui_app_set_message (self, TN_TUI_MESSAGE_ERROR, _("Wrong e-mail address or password."));
    }
  else if (g_error_matches (error, TN_ERROR, TN_ERROR_VALIDATION_FAILED) ||
           g_error_matches (error, TN_ERROR, TN_ERROR_BAD_REQUEST))
    {
      tn_tui_app_set_message (self, TN_TUI_MESSAGE_ERROR, _("Enter a valid e-mail address and password."));
    }
  else
    {
      g_autofree char *message = describe_error (self, error);

      tn_tui_app_set_message (self, TN_TUI_MESSAGE_ERROR, message);
    }
}

/**
 * tn_tui_app_sign_in:
 * @self: the app
 * @server_url: the server to sign in to
 * @email: the account's e-mail address
 * @password: its password
 *
 * Signs in without waiting; on success the token is stored and the list of
 * events replaces the sign-in screen, on failure the message line says why.
 */
void
tn_tui_app_sign_in (TnTuiApp   *self,
                    const char *server_url,
                    const char *email,
                    const char *password)
{
  g_return_if_fail (TN_IS_TUI_APP (self));
  g_return_if_fail (server_url != NULL && email != NULL && password != NULL);

  if (self->busy)
    return;

  if (g_strcmp0 (server_url, self->server_url) != 0)
    set_server (self, server_url);
  g_free (self->email);
  self->email = g_strdup (email);

  g_clear_object (&self->sign_in_cancellable);
  self->sign_in_cancellable = g_cancellable_new ();
  self->busy = TRUE;
  tn_tui_app_set_message (self, TN_TUI_MESSAGE_INFO, _("Signing in…"));

  tn_tui_app_hold (self);
  tn_client_login_async (self->client, email, password, self->sign_in_cancellable,
                         tn_tui_app_login_cb, g_object_ref (self));
}

/**
 * tn_tui_app_cancel_sign_in:
 * @self: the app
 *
 * Stops waiting for the server's answer to a sign-in.
 */
void
tn_tui_app_cancel_sign_in (TnTuiApp *self)
{
  g_return_if_fail (TN_IS_TUI_APP (self));
  g_cancellable_cancel (self->sign_in_cancellable);
}

static void
tn_tui_app_stored_me_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(TnTuiApp) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TnUser) user = NULL;

  user = tn_client_me_finish (TN_CLIENT (source), result, &error);
  tn_tui_app_release (self);
  self->busy = FALSE;
  tn_tui_app_queue_draw (self);

  if (user != NULL)
    {
      signed_in (self, user, FALSE);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Esc on the sign-in screen: sign in by password instead. A new
       * sign-in replaces the stored token, so the file can stay. */
      if (!self->quitting)
        {
          tn_client_set_token (self->client, NULL);
          tn_tui_app_clear_message (self);
        }
    }
  else if (g_error_matches (error, TN_ERROR, TN_ERROR_UNAUTHORIZED))
    {
      forget_token (self);
      tn_tui_app_set_message (self, TN_TUI_MESSAGE_INFO,
                              _("The stored sign-in is no longer valid; please sign in."));
    }
  else
    {
      /* The token may well be good and the server merely away: show the
       * list, which says so and retries on request. */
      tn_tui_app_show_screen (self, &tn_tui_event_list_screen, NULL);
      tn_tui_app_report_error (self, error);
    }
}

static void
check_stored_token (TnTuiApp   *self,
                    const char *token)
{
  tn_client_set_token (self->client, token);
  self->busy = TRUE;
  tn_tui_app_set_message (self, TN_TUI_MESSAGE_INFO, _("Checking the stored sign-in…"));

  tn_tui_app_hold (self);
  tn_client_me_async (self->client, self->sign_in_cancellable,
                      tn_tui_app_stored_me_cb, g_object_ref (self));
}

static void
tn_tui_app_ensure_user_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(TnTuiApp) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TnUser) user = NULL;

  user = tn_client_me_finish (TN_CLIENT (source), result, &error);
  tn_tui_app_release (self);
  self->checking_user = FALSE;

  if (user != NULL)
    {
      g_set_object (&self->user, user);
      tn_tui_app_queue_draw (self);
    }
  else if (g_error_matches (error, TN_ERROR, TN_ERROR_UNAUTHORIZED))
    {
      tn_tui_app_report_error (self, error);
    }
}

/**
 * tn_tui_app_ensure_user:
 * @self: the app
 *
 * Asks the server who the token belongs to, if that is not known yet (the
 * app started with a stored token while the server was away).
 */
void
tn_tui_app_ensure_user (TnTuiApp *self)
{
  g_return_if_fail (TN_IS_TUI_APP (self));

  if (self->user != NULL || self->checking_user || self->quitting ||
      tn_client_get_token (self->client) == NULL)
    return;

  self->checking_user = TRUE;
  tn_tui_app_hold (self);
  tn_client_me_async (self->client, self->session_cancellable,
                      tn_tui_app_ensure_user_cb, g_object_ref (self));
}

/* --- the door ------------------------------------------------------------ */

static void close_door (TnTuiApp *self);

static void
tn_tui_app_device_revoked_cb (TnSyncEngine *engine,
                              GPtrArray    *undelivered,
                              gpointer      user_data)
{
  TnTuiApp *self = user_data;
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;
  guint lost = undelivered != NULL ? undelivered->len : 0;

  /* The engine has wiped the replica already. */
  close_door (self);
  self->paired = FALSE;
  tn_tui_device_clear (&self->device);
  tn_client_set_token (self->client, NULL);
  if (!tn_tui_config_forget_token (self->config_dir, &error))
    g_warning ("Could not remove the stored pairing: %s", error->message);

  if (lost > 0)
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "An organizer removed this door; its data was wiped and %u scan was never delivered. Pair again to go on.",
                                            "An organizer removed this door; its data was wiped and %u scans were never delivered. Pair again to go on.",
                                            lost), lost);
  else
    message = g_strdup (_("An organizer removed this door and its data was wiped. Pair again to go on."));

  tn_tui_app_show_screen (self, &tn_tui_pair_screen, NULL);
  tn_tui_app_set_message (self, TN_TUI_MESSAGE_ERROR, message);
  if (tn_tui_display_is_open ())
    tn_tui_display_beep ();
}

static void
tn_tui_app_conflict_cb (TnSyncEngine  *engine,
                        TnReplicaScan *scan,
                        gpointer       user_data)
{
  TnTuiApp *self = user_data;

  tn_tui_app_set_message (self, TN_TUI_MESSAGE_ERROR,
                          _("The server found a conflict with another door: Ctrl-O shows it."));
  if (tn_tui_display_is_open ())
    tn_tui_display_beep ();
}

static void
tn_tui_app_refused_cb (TnSyncEngine *engine,
                       const GError *error,
                       gpointer      user_data)
{
  TnTuiApp *self = user_data;

  if (g_error_matches (error, TN_ERROR, TN_ERROR_UNAUTHORIZED))
    {
      if (self->paired)
        tn_tui_app_set_message (self, TN_TUI_MESSAGE_ERROR,
                                _("The server no longer knows this door: scans stay here until it is paired again (Ctrl-X)."));
      else
        tn_tui_app_set_message (self, TN_TUI_MESSAGE_ERROR,
                                _("Your sign-in has expired or was revoked: scans stay here until you sign in again (Ctrl-X)."));
    }
  else if (g_error_matches (error, TN_ERROR, TN_ERROR_VALIDATION_FAILED))
    {
      tn_tui_app_set_message (self, TN_TUI_MESSAGE_ERROR,
                              _("The server refused some scans of this door for good; Ctrl-O lists them. Is this computer’s clock right, and is the event today?"));
    }
  else if (g_error_matches (error, TN_ERROR, TN_ERROR_FORBIDDEN) ||
           g_error_matches (error, TN_ERROR, TN_ERROR_NOT_FOUND))
    {
      tn_tui_app_set_message (self, TN_TUI_MESSAGE_ERROR,
                              _("The server refuses this door’s check-ins for this event; ask an organizer."));
    }
}

static char *
door_account (TnTuiApp   *self,
              const char *event_id)
{
  if (self->paired)
    return g_strdup (self->device.id);
  /* One replica per person and event: a staff member may work several. */
  return g_strdup_printf ("staff:%s:%s", self->email != NULL ? self->email : "", event_id);
}

static gboolean
open_door (TnTuiApp    *self,
           const char  *event_id,
           GError     **error)
{
  g_autoptr(TnReplica) replica = NULL;
  g_autofree char *account = door_account (self, event_id);

  close_door (self);
  replica = tn_replica_open (self->server_url, account, error);
  if (replica == NULL)
    return FALSE;

  self->engine = tn_sync_engine_new (replica, self->client, event_id);
  g_signal_connect (self->engine, "device-revoked", G_CALLBACK (tn_tui_app_device_revoked_cb), self);
  g_signal_connect (self->engine, "conflict", G_CALLBACK (tn_tui_app_conflict_cb), self);
  g_signal_connect (self->engine, "refused", G_CALLBACK (tn_tui_app_refused_cb), self);
  tn_sync_engine_start (self->engine);
  return TRUE;
}

static void
close_door (TnTuiApp *self)
{
  if (self->engine == NULL)
    return;
  /* Screens hold no reference past their close: drop them first. */
  g_ptr_array_set_size (self->views, 0);
  g_signal_handlers_disconnect_by_data (self->engine, self);
  tn_sync_engine_stop (self->engine);
  g_clear_object (&self->engine);
}

static void
show_door (TnTuiApp   *self,
           const char *event_id)
{
  g_autoptr(GError) error = NULL;

  if (!open_door (self, event_id, &error))
    {
      g_autofree char *message =
        g_strdup_printf (_("Cannot open this door’s local data: %s"), error->message);

      tn_tui_app_set_message (self, TN_TUI_MESSAGE_ERROR, message);
      return;
    }
  tn_tui_app_show_screen (self, &tn_tui_scan_screen, NULL);
}

static void
tn_tui_app_pair_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(TnTuiApp) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) device = NULL;
  const char *token;

  device = tn_client_pair_device_finish (TN_CLIENT (source), result, &error);
  tn_tui_app_release (self);
  self->busy = FALSE;
  tn_tui_app_queue_draw (self);

  if (device == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        tn_tui_app_clear_message (self);
      else if (g_error_matches (error, TN_ERROR, TN_ERROR_UNAUTHORIZED))
        tn_tui_app_set_message (self, TN_TUI_MESSAGE_ERROR,
                                _("This pairing code is wrong, used or expired; ask an organizer for a new one."));
      else if (g_error_matches (error, TN_ERROR, TN_ERROR_VALIDATION_FAILED) ||
               g_error_matches (error, TN_ERROR, TN_ERROR_BAD_REQUEST))
        tn_tui_app_set_message (self, TN_TUI_MESSAGE_ERROR,
                                _("Enter the pairing code as shown, such as 7K2Q-MW9D-X4T1, and a name for this door."));
      else
        {
          g_autofree char *message = describe_error (self, error);

          tn_tui_app_set_message (self, TN_TUI_MESSAGE_ERROR, message);
        }
      return;
    }

  /* The client holds the device's token now. */
  token = tn_client_get_token (self->client);
  tn_tui_device_clear (&self->device);
  self->device.id = g_strdup (tn_json_object_get_string (device, "id"));
  self->device.event_id = g_strdup (tn_json_object_get_string (device, "event_id"));
  self->device.role = g_strdup (tn_json_object_get_string (device, "role"));
  self->device.name = g_strdup (tn_json_object_get_string (device, "name"));
  if (token == NULL || self->device.id == NULL || self->device.event_id == NULL)
    {
      tn_tui_device_clear (&self->device);
      tn_tui_app_set_message (self, TN_TUI_MESSAGE_ERROR,
                              _("The server’s answer to the pairing was not understood."));
      return;
    }

  self->paired = TRUE;
  g_free (self->door_name);
  self->door_name = g_strdup (self->device.name);
  g_clear_object (&self->user);
  tn_tui_app_clear_message (self);
  if (!tn_tui_config_save_device (self->config_dir, self->server_url, token, &self->device, &error) ||
      !tn_tui_config_save (self->config_dir, self->server_url, NULL, &error))
    {
      g_autofree char *message =
        g_strdup_printf (_("Paired, but the pairing could not be saved: %s"), error->message);

      tn_tui_app_set_message (self, TN_TUI_MESSAGE_ERROR, message);
    }
  show_door (self, self->device.event_id);
}

/**
 * tn_tui_app_pair:
 * @self: the app
 * @server_url: the server
 * @pairing_code: the code an organizer gave
 * @door_name: what the door is called, such as "Main entrance"
 *
 * Pairs this terminal as a door device without waiting; on success the
 * scan screen replaces the pairing screen.
 */
void
tn_tui_app_pair (TnTuiApp   *self,
                 const char *server_url,
                 const char *pairing_code,
                 const char *door_name)
{
  g_return_if_fail (TN_IS_TUI_APP (self));
  g_return_if_fail (server_url != NULL && pairing_code != NULL && door_name != NULL);

  if (self->busy)
    return;
  if (g_strcmp0 (server_url, self->server_url) != 0)
    set_server (self, server_url);
  tn_client_set_token (self->client, NULL);

  g_clear_object (&self->sign_in_cancellable);
  self->sign_in_cancellable = g_cancellable_new ();
  self->busy = TRUE;
  tn_tui_app_set_message (self, TN_TUI_MESSAGE_INFO, _("Pairing…"));

  tn_tui_app_hold (self);
  tn_client_pair_device_async (self->client, pairing_code, door_name, self->sign_in_cancellable,
                               tn_tui_app_pair_cb, g_object_ref (self));
}

void
tn_tui_app_cancel_pairing (TnTuiApp *self)
{
  g_return_if_fail (TN_IS_TUI_APP (self));
  g_cancellable_cancel (self->sign_in_cancellable);
}

/**
 * tn_tui_app_start_door:
 * @self: the app, signed in as a staff member
 * @event_id: the event to check people in at
 *
 * Opens the event's replica and the scan screen; the event is remembered
 * for the next start.
 */
void
tn_tui_app_start_door (TnTuiApp   *self,
                       const char *event_id)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (TN_IS_TUI_APP (self));
  g_return_if_fail (event_id != NULL);

  if (!tn_tui_config_save_value (self->config_dir, "event", event_id, &error))
    g_warning ("Could not remember the event: %s", error->message);
  show_door (self, event_id);
}

/**
 * tn_tui_app_leave_door:
 * @self: the app, signed in as a staff member
 *
 * Back to the list of events; the replica and its outbox stay for when
 * the event is picked again.
 */
void
tn_tui_app_leave_door (TnTuiApp *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (TN_IS_TUI_APP (self));
  g_return_if_fail (!self->paired);

  close_door (self);
  if (!tn_tui_config_save_value (self->config_dir, "event", NULL, &error))
    g_warning ("Could not forget the event: %s", error->message);
  tn_tui_app_show_screen (self, &tn_tui_event_list_screen, NULL);
}

/**
 * tn_tui_app_sign_out:
 * @self: the app
 *
 * Forgets the pairing or the sign-in and wipes the door's local data
 * (names of attendees do not stay on a door laptop), scans not yet
 * delivered included: the caller asks first.
 */
void
tn_tui_app_sign_out (TnTuiApp *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (TN_IS_TUI_APP (self));

  if (self->engine != NULL)
    {
      g_autoptr(TnReplica) replica = g_object_ref (tn_sync_engine_get_replica (self->engine));

      close_door (self);
      if (!tn_replica_wipe (replica, &error))
        {
          g_warning ("Could not wipe the door’s data: %s", error->message);
          g_clear_error (&error);
        }
    }
  forget_token (self);
  if (!tn_tui_config_save_value (self->config_dir, "event", NULL, &error))
    g_warning ("Could not forget the event: %s", error->message);
  self->paired = FALSE;
  tn_tui_device_clear (&self->device);
  tn_tui_app_show_screen (self, &tn_tui_pair_screen, NULL);
  tn_tui_app_set_message (self, TN_TUI_MESSAGE_INFO, _("Signed out; this door’s data was wiped."));
}

TnSyncEngine *
tn_tui_app_get_engine (TnTuiApp *self)
{
  g_return_val_if_fail (TN_IS_TUI_APP (self), NULL);
  return self->engine;
}

gboolean
tn_tui_app_is_paired (TnTuiApp *self)
{
  g_return_val_if_fail (TN_IS_TUI_APP (self), FALSE);
  return self->paired;
}

/**
 * tn_tui_app_is_supervisor:
 * @self: the app
 *
 * Returns: whether searching, checking in by hand and undoing are open:
 *   a staff member signed in, or a device paired as a supervisor
 */
gboolean
tn_tui_app_is_supervisor (TnTuiApp *self)
{
  g_return_val_if_fail (TN_IS_TUI_APP (self), FALSE);
  if (self->paired)
    return g_strcmp0 (self->device.role, "supervisor") == 0;
  return tn_client_get_token (self->client) != NULL;
}

/**
 * tn_tui_app_get_door_name:
 *
 * Returns: the door's name as scans report it: the paired device's name,
 *   or door.ini's door-name, or this computer's name
 */
const char *
tn_tui_app_get_door_name (TnTuiApp *self)
{
  g_return_val_if_fail (TN_IS_TUI_APP (self), NULL);
  if (self->door_name == NULL)
    {
      self->door_name = tn_tui_config_load_value (self->config_dir, "door-name");
      if (self->door_name == NULL || self->door_name[0] == '\0')
        {
          g_free (self->door_name);
          self->door_name = g_strdup (g_get_host_name ());
        }
    }
  return self->door_name;
}

guint
tn_tui_app_get_scan_idle_ms (TnTuiApp *self)
{
  g_return_val_if_fail (TN_IS_TUI_APP (self), 0);
  return self->scan_idle_ms;
}

void
tn_tui_app_set_verdict_func (TnTuiApp         *self,
                             TnTuiVerdictFunc  func,
                             gpointer          user_data)
{
  g_return_if_fail (TN_IS_TUI_APP (self));
  self->verdict_func = func;
  self->verdict_data = user_data;
}

void
tn_tui_app_verdict_shown (TnTuiApp            *self,
                          const TnReplicaScan *scan)
{
  g_return_if_fail (TN_IS_TUI_APP (self));
  if (self->verdict_func != NULL)
    self->verdict_func (scan, self->verdict_data);
}

/* --- public API ---------------------------------------------------------- */

/**
 * tn_tui_app_new:
 * @server_url: the server's URL
 * @config_dir: where door.ini and the token live
 * @email: (nullable): the e-mail address to offer on the sign-in screen
 *
 * Returns: (transfer full): a new app
 */
TnTuiApp *
tn_tui_app_new (const char *server_url,
                const char *config_dir,
                const char *email)
{
  TnTuiApp *self;
  g_autofree char *idle = NULL;

  g_return_val_if_fail (server_url != NULL, NULL);
  g_return_val_if_fail (config_dir != NULL, NULL);

  self = g_object_new (TN_TYPE_TUI_APP, NULL);
  set_server (self, server_url);
  self->config_dir = g_strdup (config_dir);
  self->email = g_strdup (email);

  idle = tn_tui_config_load_value (config_dir, "scan-idle-ms");
  self->scan_idle_ms = TN_TUI_DEFAULT_SCAN_IDLE_MS;
  if (idle != NULL)
    {
      guint64 value;

      if (g_ascii_string_to_unsigned (idle, 10, 0, 10000, &value, NULL))
        self->scan_idle_ms = (guint) value;
      else
        g_warning ("door.ini: scan-idle-ms must be a number of milliseconds (0 to 10000), not “%s”", idle);
    }
  return self;
}

/* The first screen. The network is never in the way of a door: a paired
 * device, or a staff member who was checking people in, goes straight to
 * the scan screen over the replica; only a person's sign-in without an
 * event waits for the server to confirm it. */
static void
start (TnTuiApp *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *event_id = NULL;

  token = tn_tui_config_load_token (self->config_dir, self->server_url, &error);
  if (token == NULL)
    {
      tn_tui_app_push_screen (self, &tn_tui_pair_screen, NULL);
      if (error != NULL)
        tn_tui_app_set_message (self, TN_TUI_MESSAGE_ERROR, error->message);
      return;
    }

  tn_client_set_token (self->client, token);
  if (tn_tui_config_load_device (self->config_dir, self->server_url, &self->device))
    {
      self->paired = TRUE;
      self->door_name = g_strdup (self->device.name);
      show_door (self, self->device.event_id);
      if (self->engine == NULL)
        tn_tui_app_push_screen (self, &tn_tui_pair_screen, NULL);
      return;
    }

  event_id = tn_tui_config_load_value (self->config_dir, "event");
  if (event_id != NULL && event_id[0] != '\0')
    {
      show_door (self, event_id);
      if (self->engine != NULL)
        {
          tn_tui_app_ensure_user (self);
          return;
        }
    }

  tn_tui_app_push_screen (self, &tn_tui_sign_in_screen, NULL);
  check_stored_token (self, token);
}

/**
 * tn_tui_app_run:
 * @self: the app
 * @error: return location for an error
 *
 * Takes over the terminal and runs until the user quits.
 *
 * Returns: %FALSE if the terminal cannot be used
 */
gboolean
tn_tui_app_run (TnTuiApp  *self,
                GError   **error)
{
  static const int quit_signals[] = { SIGINT, SIGTERM, SIGHUP };
  g_return_val_if_fail (TN_IS_TUI_APP (self), FALSE);
  g_return_val_if_fail (self->loop == NULL, FALSE);

  /* Before curses starts: it only installs its own handlers where none
   * is, and these must reach the main loop instead. */
  self->signal_ids[0] = g_unix_signal_add (SIGWINCH, tn_tui_app_sigwinch_cb, self);
  for (guint i = 0; i < G_N_ELEMENTS (quit_signals); i++)
    self->signal_ids[i + 1] = g_unix_signal_add (quit_signals[i], tn_tui_app_quit_signal_cb, self);

  if (!tn_tui_display_open (error))
    {
      for (guint i = 0; i < G_N_ELEMENTS (self->signal_ids); i++)
        g_clear_handle_id (&self->signal_ids[i], g_source_remove);
      return FALSE;
    }

  self->input_id = g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                  tn_tui_app_input_cb, self);
  self->loop = g_main_loop_new (NULL, FALSE);

  start (self);
  draw_now (self);

  if (!self->quitting)
    g_main_loop_run (self->loop);

  /* Close every screen (which cancels their requests) and let what is in
   * flight come back, so nothing outlives the app. */
  self->quitting = TRUE;
  g_ptr_array_set_size (self->views, 0);
  close_door (self);
  g_cancellable_cancel (self->session_cancellable);
  g_cancellable_cancel (self->sign_in_cancellable);
  while (self->pending > 0)
    g_main_context_iteration (NULL, TRUE);

  g_clear_handle_id (&self->draw_id, g_source_remove);
  g_clear_handle_id (&self->input_id, g_source_remove);
  for (guint i = 0; i < G_N_ELEMENTS (self->signal_ids); i++)
    g_clear_handle_id (&self->signal_ids[i], g_source_remove);
  tn_tui_display_close ();

  return TRUE;
}

void
tn_tui_app_quit (TnTuiApp *self)
{
  g_return_if_fail (TN_IS_TUI_APP (self));

  self->quitting = TRUE;
  if (self->loop != NULL)
    g_main_loop_quit (self->loop);
}

TnClient *
tn_tui_app_get_client (TnTuiApp *self)
{
  g_return_val_if_fail (TN_IS_TUI_APP (self), NULL);
  return self->client;
}

const char *
tn_tui_app_get_server_url (TnTuiApp *self)
{
  g_return_val_if_fail (TN_IS_TUI_APP (self), NULL);
  return self->server_url;
}

TnUser *
tn_tui_app_get_user (TnTuiApp *self)
{
  g_return_val_if_fail (TN_IS_TUI_APP (self), NULL);
  return self->user;
}

const char *
tn_tui_app_get_email (TnTuiApp *self)
{
  g_return_val_if_fail (TN_IS_TUI_APP (self), NULL);
  return self->email;
}

/**
 * tn_tui_app_is_busy:
 * @self: the app
 *
 * Returns: %TRUE while a sign-in (or the check of a stored one) waits for
 *   the server
 */
gboolean
tn_tui_app_is_busy (TnTuiApp *self)
{
  g_return_val_if_fail (TN_IS_TUI_APP (self), FALSE);
  return self->busy;
}

/**
 * tn_tui_app_push_screen:
 * @self: the app
 * @screen: the screen to open on top
 * @arg: (nullable): handed to the screen's open function
 */
void
tn_tui_app_push_screen (TnTuiApp          *self,
                        const TnTuiScreen *screen,
                        gpointer           arg)
{
  TnTuiView *view;

  g_return_if_fail (TN_IS_TUI_APP (self));
  g_return_if_fail (screen != NULL);

  if (self->quitting)
    return;

  view = g_new0 (TnTuiView, 1);
  view->screen = screen;
  view->data = screen->open (self, arg);
  g_ptr_array_add (self->views, view);
  tn_tui_app_queue_draw (self);
}

/**
 * tn_tui_app_show_screen:
 * @self: the app
 * @screen: the screen to show
 * @arg: (nullable): handed to the screen's open function
 *
 * Closes every open screen and opens @screen alone.
 */
void
tn_tui_app_show_screen (TnTuiApp          *self,
                        const TnTuiScreen *screen,
                        gpointer           arg)
{
  g_return_if_fail (TN_IS_TUI_APP (self));

  g_ptr_array_set_size (self->views, 0);
  tn_tui_app_push_screen (self, screen, arg);
}

/**
 * tn_tui_app_pop_screen:
 * @self: the app
 *
 * Closes the top screen; closing the last one quits.
 */
void
tn_tui_app_pop_screen (TnTuiApp *self)
{
  g_return_if_fail (TN_IS_TUI_APP (self));

  if (self->views->len > 0)
    g_ptr_array_remove_index (self->views, self->views->len - 1);
  if (self->views->len == 0)
    tn_tui_app_quit (self);
  tn_tui_app_queue_draw (self);
}

/**
 * tn_tui_app_pop_to_screen:
 * @self: the app
 * @screen: a screen that is open
 *
 * Closes the screens above the topmost @screen.
 */
void
tn_tui_app_pop_to_screen (TnTuiApp          *self,
                          const TnTuiScreen *screen)
{
  g_return_if_fail (TN_IS_TUI_APP (self));

  while (self->views->len > 1 && top_view (self)->screen != screen)
    g_ptr_array_remove_index (self->views, self->views->len - 1);
  tn_tui_app_queue_draw (self);
}

/**
 * tn_tui_app_set_message:
 * @self: the app
 * @kind: information or error
 * @message: a translated message, shown above the status line
 */
void
tn_tui_app_set_message (TnTuiApp         *self,
                        TnTuiMessageKind  kind,
                        const char       *message)
{
  g_return_if_fail (TN_IS_TUI_APP (self));

  g_free (self->message);
  self->message = g_strdup (message);
  self->message_kind = kind;
  tn_tui_app_queue_draw (self);
}

void
tn_tui_app_clear_message (TnTuiApp *self)
{
  g_return_if_fail (TN_IS_TUI_APP (self));

  g_clear_pointer (&self->message, g_free);
  tn_tui_app_queue_draw (self);
}

/**
 * tn_tui_app_report_error:
 * @self: the app
 * @error: what went wrong with a request
 *
 * Says what went wrong in the message line, in the user's language. A
 * token the server no longer accepts is forgotten and the sign-in screen
 * shown. Cancellation is not reported.
 */
void
tn_tui_app_report_error (TnTuiApp     *self,
                         const GError *error)
{
  g_autofree char *message = NULL;

  g_return_if_fail (TN_IS_TUI_APP (self));
  g_return_if_fail (error != NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->quitting)
    return;

  if (g_error_matches (error, TN_ERROR, TN_ERROR_UNAUTHORIZED) && self->engine != NULL)
    {
      /* Scans may wait in this door's outbox: keep them and the door;
       * the person signs out (Ctrl-X) when they choose to. */
      tn_tui_app_set_message (self, TN_TUI_MESSAGE_ERROR,
                              _("Your sign-in has expired or was revoked: scans stay here until you sign in again (Ctrl-X)."));
      return;
    }

  if (g_error_matches (error, TN_ERROR, TN_ERROR_UNAUTHORIZED))
    {
      forget_token (self);
      tn_tui_app_show_screen (self, &tn_tui_sign_in_screen, NULL);
      tn_tui_app_set_message (self, TN_TUI_MESSAGE_ERROR,
                              _("Your sign-in has expired or was revoked; please sign in again."));
      return;
    }

  message = describe_error (self, error);
  tn_tui_app_set_message (self, TN_TUI_MESSAGE_ERROR, message);
}

/**
 * tn_tui_app_hold:
 * @self: the app
 *
 * Counts a request in flight; the app does not finish before each is
 * matched by tn_tui_app_release().
 */
void
tn_tui_app_hold (TnTuiApp *self)
{
  g_return_if_fail (TN_IS_TUI_APP (self));
  self->pending++;
}

void
tn_tui_app_release (TnTuiApp *self)
{
  g_return_if_fail (TN_IS_TUI_APP (self));
  g_return_if_fail (self->pending > 0);
  self->pending--;
}
