/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tn-tui-config.h"
#include "tn-tui-entry.h"
#include "tn-tui-form.h"
#include "tn-tui-screen.h"
#include "tn-tui-text.h"

/* The sign-in screen: server, e-mail address and password. */

enum
{
  FIELD_SERVER,
  FIELD_EMAIL,
  FIELD_PASSWORD,
  N_FIELDS
};

static const char * const field_labels[N_FIELDS] = {
  N_("Server"),
  N_("E-mail"),
  N_("Password"),
};

typedef struct
{
  TnTuiApp   *app;
  TnTuiEntry *fields[N_FIELDS];
  guint       focus;
} TnTuiSignIn;

static gpointer
tn_tui_sign_in_open (TnTuiApp *app,
                     gpointer  arg)
{
  TnTuiSignIn *self = g_new0 (TnTuiSignIn, 1);
  const char *email = tn_tui_app_get_email (app);

  self->app = app;
  self->fields[FIELD_SERVER] = tn_tui_entry_new (FALSE);
  self->fields[FIELD_EMAIL] = tn_tui_entry_new (FALSE);
  self->fields[FIELD_PASSWORD] = tn_tui_entry_new (TRUE);
  tn_tui_entry_set_text (self->fields[FIELD_SERVER], tn_tui_app_get_server_url (app));
  tn_tui_entry_set_text (self->fields[FIELD_EMAIL], email);
  self->focus = email != NULL && email[0] != '\0' ? FIELD_PASSWORD : FIELD_EMAIL;

  return self;
}

static void
tn_tui_sign_in_close (gpointer data)
{
  TnTuiSignIn *self = data;

  for (guint i = 0; i < N_FIELDS; i++)
    tn_tui_entry_free (self->fields[i]);
  g_free (self);
}

static char *
tn_tui_sign_in_dup_title (gpointer data)
{
  return g_strdup (_("Sign in"));
}

static const char *
tn_tui_sign_in_get_keys (gpointer data)
{
  TnTuiSignIn *self = data;

  if (tn_tui_app_is_busy (self->app))
    return _("Esc cancel");
  return _("Tab next field · Enter sign in · ^P pair with a code · Esc quit");
}

static void
tn_tui_sign_in_draw (gpointer         data,
                     const TnTuiRect *area)
{
  TnTuiSignIn *self = data;
  const char *hints[] = { _("Tab moves between fields; Enter on the password signs in."), NULL };
  TnTuiForm form = {
    .title = _("Sign in to your Turnout server"),
    .labels = field_labels,
    .fields = self->fields,
    .n_fields = N_FIELDS,
    .focus = self->focus,
    .busy = tn_tui_app_is_busy (self->app),
    .hints = hints,
  };

  tn_tui_form_draw (&form, area);
}

static void
focus_with_message (TnTuiSignIn *self,
                    guint        field,
                    const char  *message)
{
  self->focus = field;
  tn_tui_app_set_message (self->app, TN_TUI_MESSAGE_ERROR, message);
}

static void
submit (TnTuiSignIn *self)
{
  g_autofree char *server = g_strstrip (g_strdup (tn_tui_entry_get_text (self->fields[FIELD_SERVER])));
  g_autofree char *email = g_strstrip (g_strdup (tn_tui_entry_get_text (self->fields[FIELD_EMAIL])));
  const char *password = tn_tui_entry_get_text (self->fields[FIELD_PASSWORD]);

  if (!tn_tui_config_is_server_url (server))
    focus_with_message (self, FIELD_SERVER,
                        _("Enter the server’s address, starting with http:// or https://."));
  else if (email[0] == '\0')
    focus_with_message (self, FIELD_EMAIL, _("Enter your e-mail address."));
  else if (password[0] == '\0')
    focus_with_message (self, FIELD_PASSWORD, _("Enter your password."));
  else
    {
      tn_tui_app_sign_in (self->app, server, email, password);
      /* Whatever the answer, the password has been sent: if it was wrong
       * the next one is typed afresh. */
      tn_tui_entry_set_text (self->fields[FIELD_PASSWORD], NULL);
    }
}

static gboolean
tn_tui_sign_in_handle_key (gpointer        data,
                           const TnTuiKey *key)
{
  TnTuiSignIn *self = data;

  if (tn_tui_app_is_busy (self->app))
    {
      if (key->code == TN_TUI_KEY_ESCAPE)
        tn_tui_app_cancel_sign_in (self->app);
      return TRUE;
    }

  if (tn_tui_form_move_focus (key, &self->focus, N_FIELDS))
    return TRUE;

  switch (key->code)
    {
    case TN_TUI_KEY_ENTER:
      if (self->focus == FIELD_PASSWORD)
        submit (self);
      else
        self->focus++;
      return TRUE;
    case TN_TUI_KEY_ESCAPE:
      tn_tui_app_quit (self->app);
      return TRUE;
    case TN_TUI_KEY_CTRL:
      if (key->ch == 'p')
        {
          tn_tui_app_clear_message (self->app);
          tn_tui_app_show_screen (self->app, &tn_tui_pair_screen, NULL);
          return TRUE;
        }
      return tn_tui_entry_handle_key (self->fields[self->focus], key);
    default:
      return tn_tui_entry_handle_key (self->fields[self->focus], key);
    }
}

const TnTuiScreen tn_tui_sign_in_screen = {
  .name = "sign-in",
  .open = tn_tui_sign_in_open,
  .close = tn_tui_sign_in_close,
  .dup_title = tn_tui_sign_in_dup_title,
  .get_keys = tn_tui_sign_in_get_keys,
  .draw = tn_tui_sign_in_draw,
  .handle_key = tn_tui_sign_in_handle_key,
};
