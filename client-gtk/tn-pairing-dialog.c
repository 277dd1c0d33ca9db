/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tn-error.h"
#include "tn-pairing-dialog.h"
#include "tn-pairing-dialog-private.h"
#include "tn-qr.h"
#include "tn-time.h"

/* Pairs a door device with an event: the organizer picks a role and
 * perhaps a name, and the dialog shows the server's one-time code as text
 * (to type in) and as a QR code (for a door with a camera), with the time
 * it has left. docs/CHECKIN.md, "Devices". */

#define QR_PIXELS 240

/* The roles of the combo row, in its order. */
static const char * const roles[] = { "steward", "supervisor" };

struct _TnPairingDialog
{
  AdwWindow        parent_instance;

  TnClient        *client;
  TnEvent         *event;

  GCancellable    *cancellable;
  char            *code;
  gint64           expires_at;
  guint            tick_id;

  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  AdwComboRow     *role_row;
  AdwEntryRow     *name_row;
  GtkLabel        *error_label;
  GtkLabel        *code_label;
  GtkPicture      *picture;
  GtkLabel        *expiry_label;
  GtkLabel        *event_label;
  GtkWidget       *copy_button;
};

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_EVENT,
  PROP_CODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TnPairingDialog, tn_pairing_dialog, ADW_TYPE_WINDOW)

static gboolean
tn_pairing_dialog_busy (TnPairingDialog *self)
{
  return self->cancellable != NULL;
}

static void
tn_pairing_dialog_update_actions (TnPairingDialog *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pairing.create", !tn_pairing_dialog_busy (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pairing.copy",
                                 self->code != NULL && self->expires_at > tn_time_now ());
}

static void
tn_pairing_dialog_update_expiry (TnPairingDialog *self)
{
  gint64 left = self->expires_at - tn_time_now ();
  g_autofree char *text = NULL;

  if (left <= 0)
    {
      gtk_label_set_text (self->expiry_label, _("This code has expired: create a new one."));
      gtk_widget_set_opacity (GTK_WIDGET (self->picture), 0.2);
      gtk_widget_add_css_class (GTK_WIDGET (self->code_label), "dim-label");
    }
  else if (left < 60)
    {
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Valid for %d more second",
                                           "Valid for %d more seconds", (gulong) left),
                              (int) left);
      gtk_label_set_text (self->expiry_label, text);
    }
  else
    {
      gint64 minutes = (left + 59) / 60;

      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Valid for %d more minute",
                                           "Valid for %d more minutes", (gulong) minutes),
                              (int) minutes);
      gtk_label_set_text (self->expiry_label, text);
    }
  tn_pairing_dialog_update_actions (self);
}

static gboolean
tn_pairing_dialog_tick_cb (gpointer user_data)
{
  TnPairingDialog *self = TN_PAIRING_DIALOG (user_data);

  tn_pairing_dialog_update_expiry (self);
  if (self->expires_at <= tn_time_now ())
    {
      self->tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
tn_pairing_dialog_show_error (TnPairingDialog *self,
                              const GError    *error)
{
  const char *message;

  if (g_error_matches (error, TN_ERROR, TN_ERROR_FORBIDDEN) ||
      g_error_matches (error, TN_ERROR, TN_ERROR_NOT_FOUND))
    message = _("You may not pair door devices for this event.");
  else if (g_error_matches (error, TN_ERROR, TN_ERROR_UNAUTHORIZED))
    message = _("Your session has ended: sign in again.");
  else if (g_error_matches (error, TN_ERROR, TN_ERROR_NETWORK) || error->domain == G_IO_ERROR)
    message = _("The server cannot be reached. Try again when you are online.");
  else
    message = _("The server could not create a pairing code.");

  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
  gtk_stack_set_visible_child_name (self->stack, "form");
}

static void
tn_pairing_dialog_created_cb (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(TnPairingDialog) self = TN_PAIRING_DIALOG (user_data);
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TnQr) qr = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  const char *code = NULL;
  const char *expires_at = NULL;
  gint64 expires = 0;
  guint scale;

  object = tn_client_create_pairing_code_finish (TN_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  tn_pairing_dialog_update_actions (self);

  if (object != NULL)
    {
      code = json_object_get_string_member_with_default (object, "code", NULL);
      expires_at = json_object_get_string_member_with_default (object, "expires_at", NULL);
      if (code == NULL || expires_at == NULL || !tn_time_parse (expires_at, &expires, NULL))
        g_set_error_literal (&error, TN_ERROR, TN_ERROR_INTERNAL, "The pairing code reply lacks its code or expiry");
    }
  if (error == NULL)
    qr = tn_qr_new (code, &error);
  if (error != NULL)
    {
      g_warning ("Creating a pairing code failed: %s", error->message);
      tn_pairing_dialog_show_error (self, error);
      return;
    }

  g_free (self->code);
  self->code = g_strdup (code);
  self->expires_at = expires;

  scale = MAX (2, QR_PIXELS / (tn_qr_get_size (qr) + 2 * TN_QR_QUIET_ZONE));
  texture = tn_qr_to_texture (qr, scale);
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
  gtk_widget_set_opacity (GTK_WIDGET (self->picture), 1.0);
  gtk_label_set_text (self->code_label, code);
  gtk_widget_remove_css_class (GTK_WIDGET (self->code_label), "dim-label");
  gtk_stack_set_visible_child_name (self->stack, "code");

  g_clear_handle_id (&self->tick_id, g_source_remove);
  self->tick_id = g_timeout_add_seconds (1, tn_pairing_dialog_tick_cb, self);
  tn_pairing_dialog_update_expiry (self);
  /* Not the selectable code label, which would show selected. */
  gtk_widget_grab_focus (self->copy_button);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CODE]);
}

static void
tn_pairing_dialog_create_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  TnPairingDialog *self = TN_PAIRING_DIALOG (widget);
  guint role = adw_combo_row_get_selected (self->role_row);
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));

  if (tn_pairing_dialog_busy (self))
    return;
  if (role >= G_N_ELEMENTS (roles))
    role = 0;

  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  self->cancellable = g_cancellable_new ();
  tn_pairing_dialog_update_actions (self);
  tn_client_create_pairing_code_async (self->client, tn_event_get_id (self->event), roles[role],
                                       name[0] != '\0' ? name : NULL,
                                       self->cancellable, tn_pairing_dialog_created_cb,
                                       g_object_ref (self));
}

static void
tn_pairing_dialog_name_row_entry_activated_cb (TnPairingDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "pairing.create", NULL);
}

static void
tn_pairing_dialog_copy_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  TnPairingDialog *self = TN_PAIRING_DIALOG (widget);

  if (self->code == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->code);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Pairing code copied")));
}

static void
tn_pairing_dialog_constructed (GObject *object)
{
  TnPairingDialog *self = TN_PAIRING_DIALOG (object);
  const char *title;

  G_OBJECT_CLASS (tn_pairing_dialog_parent_class)->constructed (object);

  g_assert (self->client != NULL && self->event != NULL);
  title = tn_event_get_title (self->event);
  gtk_label_set_text (self->event_label, title != NULL ? title : "");
  tn_pairing_dialog_update_actions (self);
}

static void
tn_pairing_dialog_dispose (GObject *object)
{
  TnPairingDialog *self = TN_PAIRING_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), TN_TYPE_PAIRING_DIALOG);
  g_clear_object (&self->client);
  g_clear_object (&self->event);

  G_OBJECT_CLASS (tn_pairing_dialog_parent_class)->dispose (object);
}

static void
tn_pairing_dialog_finalize (GObject *object)
{
  TnPairingDialog *self = TN_PAIRING_DIALOG (object);

  g_free (self->code);

  G_OBJECT_CLASS (tn_pairing_dialog_parent_class)->finalize (object);
}

static void
tn_pairing_dialog_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TnPairingDialog *self = TN_PAIRING_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_EVENT:
      g_value_set_object (value, self->event);
      break;
    case PROP_CODE:
      g_value_set_string (value, self->code);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tn_pairing_dialog_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TnPairingDialog *self = TN_PAIRING_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_EVENT:
      self->event = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tn_pairing_dialog_class_init (TnPairingDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = tn_pairing_dialog_constructed;
  object_class->dispose = tn_pairing_dialog_dispose;
  object_class->finalize = tn_pairing_dialog_finalize;
  object_class->get_property = tn_pairing_dialog_get_property;
  object_class->set_property = tn_pairing_dialog_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, TN_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EVENT] =
    g_param_spec_object ("event", NULL, NULL, TN_TYPE_EVENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CODE] =
    g_param_spec_string ("code", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/turnout/Turnout/tn-pairing-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TnPairingDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TnPairingDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, TnPairingDialog, role_row);
  gtk_widget_class_bind_template_child (widget_class, TnPairingDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, TnPairingDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, TnPairingDialog, code_label);
  gtk_widget_class_bind_template_child (widget_class, TnPairingDialog, picture);
  gtk_widget_class_bind_template_child (widget_class, TnPairingDialog, expiry_label);
  gtk_widget_class_bind_template_child (widget_class, TnPairingDialog, event_label);
  gtk_widget_class_bind_template_child (widget_class, TnPairingDialog, copy_button);

  gtk_widget_class_bind_template_callback (widget_class, tn_pairing_dialog_name_row_entry_activated_cb);

  gtk_widget_class_install_action (widget_class, "pairing.create", NULL, tn_pairing_dialog_create_action);
  gtk_widget_class_install_action (widget_class, "pairing.copy", NULL, tn_pairing_dialog_copy_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
tn_pairing_dialog_init (TnPairingDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * tn_pairing_dialog_new:
 * @client: a client signed in as someone who may pair doors for @event
 * @event: the event the door will check people in for
 *
 * Returns: (transfer full): the dialog, asking for a role and a name
 */
TnPairingDialog *
tn_pairing_dialog_new (TnClient *client,
                       TnEvent  *event)
{
  g_return_val_if_fail (TN_IS_CLIENT (client), NULL);
  g_return_val_if_fail (TN_IS_EVENT (event), NULL);

  return g_object_new (TN_TYPE_PAIRING_DIALOG,
                       "client", client,
                       "event", event,
                       NULL);
}

/**
 * tn_pairing_dialog_get_code:
 *
 * Returns: (nullable): the pairing code shown, or %NULL before one came
 */
const char *
tn_pairing_dialog_get_code (TnPairingDialog *self)
{
  g_return_val_if_fail (TN_IS_PAIRING_DIALOG (self), NULL);
  return self->code;
}

AdwComboRow *
_tn_pairing_dialog_get_role_row (TnPairingDialog *self)
{
  g_return_val_if_fail (TN_IS_PAIRING_DIALOG (self), NULL);
  return self->role_row;
}

AdwEntryRow *
_tn_pairing_dialog_get_name_row (TnPairingDialog *self)
{
  g_return_val_if_fail (TN_IS_PAIRING_DIALOG (self), NULL);
  return self->name_row;
}

GtkLabel *
_tn_pairing_dialog_get_code_label (TnPairingDialog *self)
{
  g_return_val_if_fail (TN_IS_PAIRING_DIALOG (self), NULL);
  return self->code_label;
}

GtkPicture *
_tn_pairing_dialog_get_picture (TnPairingDialog *self)
{
  g_return_val_if_fail (TN_IS_PAIRING_DIALOG (self), NULL);
  return self->picture;
}

GtkLabel *
_tn_pairing_dialog_get_expiry_label (TnPairingDialog *self)
{
  g_return_val_if_fail (TN_IS_PAIRING_DIALOG (self), NULL);
  return self->expiry_label;
}

gboolean
_tn_pairing_dialog_get_busy (TnPairingDialog *self)
{
  g_return_val_if_fail (TN_IS_PAIRING_DIALOG (self), FALSE);
  return tn_pairing_dialog_busy (self);
}
