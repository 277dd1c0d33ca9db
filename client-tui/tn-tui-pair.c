/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tn-tui-config.h"
#include "tn-tui-entry.h"
#include "tn-tui-form.h"
#include "tn-tui-screen.h"
#include "tn-tui-text.h"

/* The first screen of a new door: the server, the pairing code an
 * organizer gave (shown in the desktop app as text and QR code) and a
 * name for this door. Staff can sign in with their account instead. */

enum
{
  FIELD_SERVER,
  FIELD_CODE,
  FIELD_NAME,
  N_FIELDS
};

static const char * const field_labels[N_FIELDS] = {
  N_("Server"),
  N_("Pairing code"),
  N_("Door name"),
};

typedef struct
{
  TnTuiApp   *app;
  TnTuiEntry *fields[N_FIELDS];
  guint       focus;
} TnTuiPair;

static gpointer
tn_tui_pair_open (TnTuiApp *app,
                  gpointer  arg)
{
  TnTuiPair *self = g_new0 (TnTuiPair, 1);

  self->app = app;
  for (guint i = 0; i < N_FIELDS; i++)
    self->fields[i] = tn_tui_entry_new (FALSE);
  tn_tui_entry_set_text (self->fields[FIELD_SERVER], tn_tui_app_get_server_url (app));
  tn_tui_entry_set_text (self->fields[FIELD_NAME], tn_tui_app_get_door_name (app));
  self->focus = FIELD_CODE;
  return self;
}

static void
tn_tui_pair_close (gpointer data)
{
  TnTuiPair *self = data;

  for (guint i = 0; i < N_FIELDS; i++)
    tn_tui_entry_free (self->fields[i]);
  g_free (self);
}

static char *
tn_tui_pair_dup_title (gpointer data)
{
  return g_strdup (_("Pair this door"));
}

static const char *
tn_tui_pair_get_keys (gpointer data)
{
  TnTuiPair *self = data;

  if (tn_tui_app_is_busy (self->app))
    return _("Esc cancel");
  return _("Tab next field · Enter pair · ^T staff sign-in · Esc quit");
}

static void
tn_tui_pair_draw (gpointer         data,
                  const TnTuiRect *area)
{
  TnTuiPair *self = data;
  const char *hints[] = {
    _("An organizer makes the pairing code in the Turnout app."),
    _("Staff with an account: Ctrl-T signs in instead."),
    NULL
  };
  TnTuiForm form = {
    .title = _("Pair this terminal as a door"),
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
focus_with_message (TnTuiPair  *self,
                    guint       field,
                    const char *message)
{
  self->focus = field;
  tn_tui_app_set_message (self->app, TN_TUI_MESSAGE_ERROR, message);
}

static void
submit (TnTuiPair *self)
{
  g_autofree char *server = g_strstrip (g_strdup (tn_tui_entry_get_text (self->fields[FIELD_SERVER])));
  g_autofree char *code = g_strstrip (g_strdup (tn_tui_entry_get_text (self->fields[FIELD_CODE])));
  g_autofree char *name = g_strstrip (g_strdup (tn_tui_entry_get_text (self->fields[FIELD_NAME])));

  if (!tn_tui_config_is_server_url (server))
    focus_with_message (self, FIELD_SERVER,
                        _("Enter the server’s address, starting with http:// or https://."));
  else if (code[0] == '\0')
    focus_with_message (self, FIELD_CODE, _("Enter the pairing code an organizer gave you."));
  else if (name[0] == '\0')
    focus_with_message (self, FIELD_NAME, _("Give this door a name, such as “Main entrance”."));
  else
    tn_tui_app_pair (self->app, server, code, name);
}

static gboolean
tn_tui_pair_handle_key (gpointer        data,
                        const TnTuiKey *key)
{
  TnTuiPair *self = data;

  if (tn_tui_app_is_busy (self->app))
    {
      if (key->code == TN_TUI_KEY_ESCAPE)
        tn_tui_app_cancel_pairing (self->app);
      return TRUE;
    }

  if (tn_tui_form_move_focus (key, &self->focus, N_FIELDS))
    return TRUE;

  switch (key->code)
    {
    case TN_TUI_KEY_ENTER:
      if (self->focus == FIELD_NAME || self->focus == FIELD_CODE)
        submit (self);
      else
        self->focus++;
      return TRUE;
    case TN_TUI_KEY_ESCAPE:
      tn_tui_app_quit (self->app);
      return TRUE;
    case TN_TUI_KEY_CTRL:
      if (key->ch == 't')
        {
          tn_tui_app_clear_message (self->app);
          tn_tui_app_show_screen (self->app, &tn_tui_sign_in_screen, NULL);
          return TRUE;
        }
      return tn_tui_entry_handle_key (self->fields[self->focus], key);
    default:
      return tn_tui_entry_handle_key (self->fields[self->focus], key);
    }
}

const TnTuiScreen tn_tui_pair_screen = {
  .name = "pair",
  .open = tn_tui_pair_open,
  .close = tn_tui_pair_close,
  .dup_title = tn_tui_pair_dup_title,
  .get_keys = tn_tui_pair_get_keys,
  .draw = tn_tui_pair_draw,
  .handle_key = tn_tui_pair_handle_key,
};
