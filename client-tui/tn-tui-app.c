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

/* Below this the layout cannot hold a header, two rows of content, the
 * message line and the status line. */
#define TN_TUI_MIN_ROWS     5
#define TN_TUI_MIN_COLUMNS  20

/* A door is usually on the same network as the server: waiting longer
 * than this only keeps a queue at the door waiting. */
#define TN_TUI_CLIENT_TIMEOUT 10

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

  if (self->user != NULL)
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

  tn_tui_display_fill (row, 0, columns, TN_TUI_STYLE_STATUS);
  if (keys != NULL)
    tn_tui_display_text (row, 1, columns - where_width - 3, TN_TUI_STYLE_STATUS, keys);
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

  g_return_val_if_fail (server_url != NULL, NULL);
  g_return_val_if_fail (config_dir != NULL, NULL);

  self = g_object_new (TN_TYPE_TUI_APP, NULL);
  set_server (self, server_url);
  self->config_dir = g_strdup (config_dir);
  self->email = g_strdup (email);
  return self;
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
  g_autoptr(GError) token_error = NULL;
  g_autofree char *token = NULL;

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

  tn_tui_app_push_screen (self, &tn_tui_sign_in_screen, NULL);
  token = tn_tui_config_load_token (self->config_dir, self->server_url, &token_error);
  if (token != NULL)
    check_stored_token (self, token);
  else if (token_error != NULL)
    tn_tui_app_set_message (self, TN_TUI_MESSAGE_ERROR, token_error->message);
  draw_now (self);

  if (!self->quitting)
    g_main_loop_run (self->loop);

  /* Close every screen (which cancels their requests) and let what is in
   * flight come back, so nothing outlives the app. */
  self->quitting = TRUE;
  g_ptr_array_set_size (self->views, 0);
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
