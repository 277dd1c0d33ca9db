/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tn-devices-page.h"
#include "tn-devices-page-private.h"
#include "tn-error.h"
#include "tn-pairing-dialog.h"
#include "tn-time.h"

/* The door devices of one event, revoked ones too, with rename and revoke
 * (docs/CHECKIN.md, "Devices"), and the way to pair another. */

struct _TnDevicesPage
{
  AdwWindow            parent_instance;

  TnClient            *client;
  TnEvent             *event;

  GCancellable        *cancellable;
  guint                pending;

  /* the question being asked, and for which device */
  AdwMessageDialog    *dialog;
  GtkEditable         *rename_entry;
  char                *dialog_device_id;

  AdwToastOverlay     *toast_overlay;
  GtkStack            *stack;
  AdwPreferencesGroup *group;
  GtkListBox          *list;
  AdwStatusPage       *error_page;
};

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_EVENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TnDevicesPage, tn_devices_page, ADW_TYPE_WINDOW)

static void tn_devices_page_load (TnDevicesPage *self);

static void
tn_devices_page_begin (TnDevicesPage *self)
{
  self->pending++;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "devices.refresh", FALSE);
}

static void
tn_devices_page_end (TnDevicesPage *self)
{
  g_assert (self->pending > 0);
  self->pending--;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "devices.refresh", self->pending == 0);
}

static char *
describe_error (const GError *error)
{
  if (g_error_matches (error, TN_ERROR, TN_ERROR_FORBIDDEN) ||
      g_error_matches (error, TN_ERROR, TN_ERROR_NOT_FOUND))
    return g_strdup (_("You may not manage the door devices of this event."));
  if (g_error_matches (error, TN_ERROR, TN_ERROR_UNAUTHORIZED))
    return g_strdup (_("Your session has ended: sign in again."));
  if (g_error_matches (error, TN_ERROR, TN_ERROR_NETWORK) || error->domain == G_IO_ERROR)
    return g_strdup (_("The server cannot be reached. Try again when you are online."));
  return g_strdup_printf (_("The server refused: %s"), error->message);
}

static void
tn_devices_page_toast (TnDevicesPage *self,
                       const char    *title)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

static const char *
role_to_words (const char *role)
{
  if (g_strcmp0 (role, "supervisor") == 0)
    /* Translators: a door device role: checks people in and undoes check-ins */
    return _("Supervisor");
  /* Translators: a door device role: checks people in */
  return _("Steward");
}

static char *
format_time (const char *text)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  gint64 unix_time;

  if (text == NULL || !tn_time_parse (text, &unix_time, NULL))
    return NULL;
  utc = g_date_time_new_from_unix_utc (unix_time);
  local = g_date_time_to_local (utc);
  /* Translators: when a door device was last seen, a strftime() format */
  return g_date_time_format (local, _("%-d %b %Y, %H:%M"));
}

static char *
describe_device (JsonObject *device)
{
  const char *revoked_at = json_object_get_string_member_with_default (device, "revoked_at", NULL);
  const char *last_seen_at = json_object_get_string_member_with_default (device, "last_seen_at", NULL);
  const char *role = role_to_words (json_object_get_string_member_with_default (device, "role", NULL));
  g_autofree char *seen = format_time (last_seen_at);
  g_autofree char *revoked = format_time (revoked_at);
  g_autofree char *seen_words = NULL;

  if (seen != NULL)
    /* Translators: %s is a date and time */
    seen_words = g_strdup_printf (_("last seen %s"), seen);
  else
    seen_words = g_strdup (_("never seen"));

  if (revoked_at != NULL)
    /* Translators: a door device's role, when it was last seen, when it was revoked */
    return g_strdup_printf (_("%s · %s · revoked %s"), role, seen_words, revoked != NULL ? revoked : "");
  /* Translators: a door device's role and when it was last seen */
  return g_strdup_printf (_("%s · %s"), role, seen_words);
}

static const char *
device_name (JsonObject *device)
{
  const char *name = json_object_get_string_member_with_default (device, "name", NULL);

  /* Translators: a door device that was given no name */
  return name != NULL && name[0] != '\0' ? name : _("Unnamed device");
}

/* --- revoke and rename --------------------------------------------------- */

static void
tn_devices_page_revoked_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(TnDevicesPage) self = TN_DEVICES_PAGE (user_data);
  g_autoptr(GError) error = NULL;

  if (!tn_client_revoke_device_finish (TN_CLIENT (source), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  tn_devices_page_end (self);
  if (error != NULL)
    {
      g_autofree char *message = describe_error (error);

      tn_devices_page_toast (self, message);
      return;
    }
  tn_devices_page_toast (self, _("Device revoked"));
  tn_devices_page_load (self);
}

static void
tn_devices_page_renamed_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(TnDevicesPage) self = TN_DEVICES_PAGE (user_data);
  g_autoptr(JsonObject) device = NULL;
  g_autoptr(GError) error = NULL;

  device = tn_client_rename_device_finish (TN_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  tn_devices_page_end (self);
  if (error != NULL)
    {
      g_autofree char *message = describe_error (error);

      tn_devices_page_toast (self, message);
      return;
    }
  tn_devices_page_load (self);
}

static void
tn_devices_page_dialog_response_cb (AdwMessageDialog *dialog,
                                    const char       *response,
                                    TnDevicesPage    *self)
{
  g_autofree char *device_id = g_steal_pointer (&self->dialog_device_id);

  if (g_str_equal (response, "revoke"))
    {
      tn_devices_page_begin (self);
      tn_client_revoke_device_async (self->client, device_id, self->cancellable,
                                     tn_devices_page_revoked_cb, g_object_ref (self));
    }
  else if (g_str_equal (response, "rename"))
    {
      g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (self->rename_entry)));

      if (name[0] != '\0')
        {
          tn_devices_page_begin (self);
          tn_client_rename_device_async (self->client, device_id, name, self->cancellable,
                                         tn_devices_page_renamed_cb, g_object_ref (self));
        }
    }
  g_clear_weak_pointer (&self->dialog);
  self->rename_entry = NULL;
}

static AdwMessageDialog *
tn_devices_page_ask (TnDevicesPage *self,
                     const char    *device_id,
                     const char    *heading,
                     const char    *body)
{
  AdwMessageDialog *dialog;

  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, body));
  adw_message_dialog_add_response (dialog, "cancel", _("_Cancel"));
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response",
                           G_CALLBACK (tn_devices_page_dialog_response_cb), self, 0);
  g_free (self->dialog_device_id);
  self->dialog_device_id = g_strdup (device_id);
  g_set_weak_pointer (&self->dialog, dialog);
  self->rename_entry = NULL;
  return dialog;
}

static void
tn_devices_page_revoke_clicked_cb (GtkButton     *button,
                                   TnDevicesPage *self)
{
  const char *device_id = g_object_get_data (G_OBJECT (button), "device-id");
  const char *name = g_object_get_data (G_OBJECT (button), "device-name");
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;

  /* Translators: asks before revoking a door device; %s is its name */
  heading = g_strdup_printf (_("Revoke “%s”?"), name);
  dialog = tn_devices_page_ask (self, device_id, heading,
                                _("The device can no longer check people in, and wipes its copy "
                                  "of the attendee list the next time it connects. This cannot be undone."));
  adw_message_dialog_add_response (dialog, "revoke", _("_Revoke"));
  adw_message_dialog_set_response_appearance (dialog, "revoke", ADW_RESPONSE_DESTRUCTIVE);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
tn_devices_page_rename_clicked_cb (GtkButton     *button,
                                   TnDevicesPage *self)
{
  const char *device_id = g_object_get_data (G_OBJECT (button), "device-id");
  const char *name = g_object_get_data (G_OBJECT (button), "device-name");
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  dialog = tn_devices_page_ask (self, device_id, _("Rename Device"), NULL);
  adw_message_dialog_add_response (dialog, "rename", _("_Rename"));
  adw_message_dialog_set_response_appearance (dialog, "rename", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "rename");

  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), name);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Name of the door device"),
                                  -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  self->rename_entry = GTK_EDITABLE (entry);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- the list ------------------------------------------------------------ */

static GtkWidget *
make_button (TnDevicesPage *self,
             const char    *icon_name,
             const char    *tooltip,
             const char    *device_id,
             const char    *name,
             GCallback      callback)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  g_object_set_data_full (G_OBJECT (button), "device-id", g_strdup (device_id), g_free);
  g_object_set_data_full (G_OBJECT (button), "device-name", g_strdup (name), g_free);
  g_signal_connect_object (button, "clicked", callback, self, 0);
  return button;
}

static GtkWidget *
tn_devices_page_make_row (TnDevicesPage *self,
                          JsonObject    *device)
{
  const char *id = json_object_get_string_member_with_default (device, "id", "");
  const char *name = device_name (device);
  gboolean revoked = json_object_get_string_member_with_default (device, "revoked_at", NULL) != NULL;
  g_autofree char *escaped = g_markup_escape_text (name, -1);
  g_autofree char *subtitle = describe_device (device);
  g_autofree char *escaped_subtitle = g_markup_escape_text (subtitle, -1);
  g_autofree char *rename_tooltip = NULL;
  g_autofree char *revoke_tooltip = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *rename_button;
  GtkWidget *revoke_button;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped_subtitle);
  g_object_set_data_full (G_OBJECT (row), "device-id", g_strdup (id), g_free);
  g_object_set_data (G_OBJECT (row), "revoked", GINT_TO_POINTER (revoked));

  /* Translators: tooltip of a button; %s is a door device's name */
  rename_tooltip = g_strdup_printf (_("Rename “%s”"), name);
  rename_button = make_button (self, "document-edit-symbolic", rename_tooltip, id, name,
                               G_CALLBACK (tn_devices_page_rename_clicked_cb));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), rename_button);
  g_object_set_data (G_OBJECT (row), "rename-button", rename_button);

  /* Translators: tooltip of a button; %s is a door device's name */
  revoke_tooltip = g_strdup_printf (_("Revoke “%s”"), name);
  revoke_button = make_button (self, "user-trash-symbolic", revoke_tooltip, id, name,
                               G_CALLBACK (tn_devices_page_revoke_clicked_cb));
  gtk_widget_add_css_class (revoke_button, "error");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), revoke_button);
  g_object_set_data (G_OBJECT (row), "revoke-button", revoke_button);

  if (revoked)
    {
      gtk_widget_set_visible (rename_button, FALSE);
      gtk_widget_set_visible (revoke_button, FALSE);
      gtk_widget_add_css_class (row, "dim-label");
    }
  return row;
}

static void
tn_devices_page_listed_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(TnDevicesPage) self = TN_DEVICES_PAGE (user_data);
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *items = NULL;
  GtkWidget *child;

  object = tn_client_list_devices_finish (TN_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  tn_devices_page_end (self);

  if (object != NULL)
    items = json_object_get_array_member (object, "items");
  if (items == NULL)
    {
      g_autofree char *message = NULL;

      if (error == NULL)
        g_set_error_literal (&error, TN_ERROR, TN_ERROR_INTERNAL, "The reply has no items");
      message = describe_error (error);
      adw_status_page_set_description (self->error_page, message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *device = json_array_get_object_element (items, i);

      if (device != NULL)
        gtk_list_box_append (self->list, tn_devices_page_make_row (self, device));
    }
  gtk_stack_set_visible_child_name (self->stack, json_array_get_length (items) > 0 ? "list" : "empty");
}

static void
tn_devices_page_load (TnDevicesPage *self)
{
  tn_devices_page_begin (self);
  tn_client_list_devices_async (self->client, tn_event_get_id (self->event), self->cancellable,
                                tn_devices_page_listed_cb, g_object_ref (self));
}

/* --- actions ------------------------------------------------------------- */

static void
tn_devices_page_refresh_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  tn_devices_page_reload (TN_DEVICES_PAGE (widget));
}

static void
tn_devices_page_pairing_destroyed_cb (TnDevicesPage *self)
{
  /* A door may have paired with the code meanwhile. */
  tn_devices_page_load (self);
}

static void
tn_devices_page_pair_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  TnDevicesPage *self = TN_DEVICES_PAGE (widget);
  TnPairingDialog *dialog = tn_pairing_dialog_new (self->client, self->event);

  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  g_signal_connect_object (dialog, "destroy",
                           G_CALLBACK (tn_devices_page_pairing_destroyed_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- GObject ------------------------------------------------------------- */

static void
tn_devices_page_constructed (GObject *object)
{
  TnDevicesPage *self = TN_DEVICES_PAGE (object);
  const char *title;

  G_OBJECT_CLASS (tn_devices_page_parent_class)->constructed (object);

  g_assert (self->client != NULL && self->event != NULL);
  title = tn_event_get_title (self->event);
  if (title != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (title, -1);

      adw_preferences_group_set_title (self->group, escaped);
    }
  tn_devices_page_load (self);
}

static void
tn_devices_page_dispose (GObject *object)
{
  TnDevicesPage *self = TN_DEVICES_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));
  g_clear_weak_pointer (&self->dialog);
  self->rename_entry = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), TN_TYPE_DEVICES_PAGE);
  g_clear_object (&self->client);
  g_clear_object (&self->event);
  g_clear_pointer (&self->dialog_device_id, g_free);

  G_OBJECT_CLASS (tn_devices_page_parent_class)->dispose (object);
}

static void
tn_devices_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TnDevicesPage *self = TN_DEVICES_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_EVENT:
      g_value_set_object (value, self->event);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tn_devices_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TnDevicesPage *self = TN_DEVICES_PAGE (object);

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
tn_devices_page_class_init (TnDevicesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = tn_devices_page_constructed;
  object_class->dispose = tn_devices_page_dispose;
  object_class->get_property = tn_devices_page_get_property;
  object_class->set_property = tn_devices_page_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, TN_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EVENT] =
    g_param_spec_object ("event", NULL, NULL, TN_TYPE_EVENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/turnout/Turnout/tn-devices-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TnDevicesPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TnDevicesPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TnDevicesPage, group);
  gtk_widget_class_bind_template_child (widget_class, TnDevicesPage, list);
  gtk_widget_class_bind_template_child (widget_class, TnDevicesPage, error_page);

  gtk_widget_class_install_action (widget_class, "devices.refresh", NULL, tn_devices_page_refresh_action);
  gtk_widget_class_install_action (widget_class, "devices.pair", NULL, tn_devices_page_pair_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "devices.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "devices.pair", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tn_devices_page_init (TnDevicesPage *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* --- public API ---------------------------------------------------------- */

/**
 * tn_devices_page_new:
 * @client: a client signed in as someone who may manage @event's doors
 * @event: the event
 *
 * Returns: (transfer full): a window listing @event's door devices; it
 *   starts loading them at once
 */
TnDevicesPage *
tn_devices_page_new (TnClient *client,
                     TnEvent  *event)
{
  g_return_val_if_fail (TN_IS_CLIENT (client), NULL);
  g_return_val_if_fail (TN_IS_EVENT (event), NULL);

  return g_object_new (TN_TYPE_DEVICES_PAGE,
                       "client", client,
                       "event", event,
                       NULL);
}

/**
 * tn_devices_page_reload:
 *
 * Loads the list of devices again, unless a load is under way.
 */
void
tn_devices_page_reload (TnDevicesPage *self)
{
  g_return_if_fail (TN_IS_DEVICES_PAGE (self));

  if (self->pending == 0)
    tn_devices_page_load (self);
}

gboolean
_tn_devices_page_get_busy (TnDevicesPage *self)
{
  g_return_val_if_fail (TN_IS_DEVICES_PAGE (self), FALSE);
  return self->pending > 0;
}

const char *
_tn_devices_page_get_visible_page (TnDevicesPage *self)
{
  g_return_val_if_fail (TN_IS_DEVICES_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

AdwActionRow *
_tn_devices_page_find_row (TnDevicesPage *self,
                           const char    *device_id)
{
  g_return_val_if_fail (TN_IS_DEVICES_PAGE (self), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (ADW_IS_ACTION_ROW (child) &&
        g_strcmp0 (g_object_get_data (G_OBJECT (child), "device-id"), device_id) == 0)
      return ADW_ACTION_ROW (child);
  return NULL;
}

GtkButton *
_tn_devices_page_get_revoke_button (AdwActionRow *row)
{
  g_return_val_if_fail (ADW_IS_ACTION_ROW (row), NULL);
  return g_object_get_data (G_OBJECT (row), "revoke-button");
}

GtkButton *
_tn_devices_page_get_rename_button (AdwActionRow *row)
{
  g_return_val_if_fail (ADW_IS_ACTION_ROW (row), NULL);
  return g_object_get_data (G_OBJECT (row), "rename-button");
}

gboolean
_tn_devices_page_row_is_revoked (AdwActionRow *row)
{
  g_return_val_if_fail (ADW_IS_ACTION_ROW (row), FALSE);
  return GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "revoked"));
}

AdwMessageDialog *
_tn_devices_page_get_dialog (TnDevicesPage *self)
{
  g_return_val_if_fail (TN_IS_DEVICES_PAGE (self), NULL);
  return self->dialog;
}

GtkEditable *
_tn_devices_page_get_rename_entry (TnDevicesPage *self)
{
  g_return_val_if_fail (TN_IS_DEVICES_PAGE (self), NULL);
  return self->rename_entry;
}
