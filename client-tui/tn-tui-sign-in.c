/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tn-tui-config.h"
#include "tn-tui-entry.h"
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

/* Wider fields only push the labels away from the text. */
#define FIELD_MAX_WIDTH 48

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
  gboolean busy = tn_tui_app_is_busy (self->app);
  gboolean roomy = area->height >= 2 * N_FIELDS + 5;
  int label_width = 0;
  int field_width;
  int left;
  int row;

  for (guint i = 0; i < N_FIELDS; i++)
    label_width = MAX (label_width, tn_tui_text_width (_(field_labels[i])));
  label_width = MIN (label_width, area->width / 3);
  field_width = MIN (FIELD_MAX_WIDTH, area->width - label_width - 4);
  left = area->left + MAX (1, (area->width - label_width - 2 - field_width) / 2);

  row = area->top + (roomy ? 1 : 0);
  tn_tui_display_text (row, left, area->width - left, TN_TUI_STYLE_TITLE,
                       _("Sign in to your Turnout server"));
  row += roomy ? 2 : 1;

  for (guint i = 0; i < N_FIELDS && row < area->top + area->height; i++)
    {
      gboolean focused = !busy && i == self->focus;

      tn_tui_display_text (row, left, label_width,
                           focused ? TN_TUI_STYLE_LABEL : TN_TUI_STYLE_NORMAL,
                           _(field_labels[i]));
      tn_tui_entry_draw (self->fields[i], row, left + label_width + 2, field_width, focused);
      row += roomy ? 2 : 1;
    }

  if (!busy && row < area->top + area->height)
    tn_tui_display_text (row, left, area->width - left, TN_TUI_STYLE_DIM,
                         _("Tab moves between fields; Enter on the password signs in."));
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

  switch (key->code)
    {
    case TN_TUI_KEY_TAB:
    case TN_TUI_KEY_DOWN:
      self->focus = (self->focus + 1) % N_FIELDS;
      return TRUE;
    case TN_TUI_KEY_BACK_TAB:
    case TN_TUI_KEY_UP:
      self->focus = (self->focus + N_FIELDS - 1) % N_FIELDS;
      return TRUE;
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
