/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tn-sign-in-page.h"
#include "tn-sign-in-page-private.h"

/* The sign-in form. It only collects the server, e-mail address and
 * password and shows progress and errors; the window signs in when the
 * page emits ::sign-in. */
struct _TnSignInPage
{
  AdwBin               parent_instance;

  AdwEntryRow         *server_row;
  AdwEntryRow         *email_row;
  AdwPasswordEntryRow *password_row;
  GtkLabel            *error_label;
  GtkButton           *sign_in_button;
  GtkSpinner          *spinner;

  gboolean             busy;
};

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

enum {
  SIGNAL_SIGN_IN,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TnSignInPage, tn_sign_in_page, ADW_TYPE_BIN)

static gboolean
row_is_empty (gpointer row)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

  return text == NULL || text[0] == '\0';
}

static gboolean
tn_sign_in_page_can_sign_in (TnSignInPage *self)
{
  return !self->busy &&
         !row_is_empty (self->server_row) &&
         !row_is_empty (self->email_row) &&
         !row_is_empty (self->password_row);
}

static void
tn_sign_in_page_update (TnSignInPage *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button), tn_sign_in_page_can_sign_in (self));
}

static void
tn_sign_in_page_submit (TnSignInPage *self)
{
  if (!tn_sign_in_page_can_sign_in (self))
    return;
  g_signal_emit (self, signals[SIGNAL_SIGN_IN], 0);
}

static void
tn_sign_in_page_row_changed_cb (TnSignInPage *self)
{
  if (!self->busy)
    tn_sign_in_page_set_error (self, NULL);
  tn_sign_in_page_update (self);
}

static void
tn_sign_in_page_server_row_entry_activated_cb (TnSignInPage *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->email_row));
}

static void
tn_sign_in_page_email_row_entry_activated_cb (TnSignInPage *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
tn_sign_in_page_password_row_entry_activated_cb (TnSignInPage *self)
{
  tn_sign_in_page_submit (self);
}

static void
tn_sign_in_page_sign_in_button_clicked_cb (TnSignInPage *self)
{
  tn_sign_in_page_submit (self);
}

static void
tn_sign_in_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TN_TYPE_SIGN_IN_PAGE);

  G_OBJECT_CLASS (tn_sign_in_page_parent_class)->dispose (object);
}

static void
tn_sign_in_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TnSignInPage *self = TN_SIGN_IN_PAGE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tn_sign_in_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TnSignInPage *self = TN_SIGN_IN_PAGE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      tn_sign_in_page_set_busy (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tn_sign_in_page_class_init (TnSignInPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tn_sign_in_page_dispose;
  object_class->get_property = tn_sign_in_page_get_property;
  object_class->set_property = tn_sign_in_page_set_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TnSignInPage::sign-in:
   *
   * The form is filled in and the person asked to sign in.
   */
  signals[SIGNAL_SIGN_IN] =
    g_signal_new ("sign-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/turnout/Turnout/tn-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TnSignInPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, TnSignInPage, email_row);
  gtk_widget_class_bind_template_child (widget_class, TnSignInPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, TnSignInPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, TnSignInPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, TnSignInPage, spinner);
  gtk_widget_class_bind_template_callback (widget_class, tn_sign_in_page_row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, tn_sign_in_page_server_row_entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, tn_sign_in_page_email_row_entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, tn_sign_in_page_password_row_entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, tn_sign_in_page_sign_in_button_clicked_cb);
}

static void
tn_sign_in_page_init (TnSignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * tn_sign_in_page_new:
 *
 * Returns: (transfer floating): an empty sign-in form
 */
GtkWidget *
tn_sign_in_page_new (void)
{
  return g_object_new (TN_TYPE_SIGN_IN_PAGE, NULL);
}

/**
 * tn_sign_in_page_get_server_url:
 * @self: a #TnSignInPage
 *
 * Returns: the server address as typed
 */
const char *
tn_sign_in_page_get_server_url (TnSignInPage *self)
{
  g_return_val_if_fail (TN_IS_SIGN_IN_PAGE (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->server_row));
}

void
tn_sign_in_page_set_server_url (TnSignInPage *self,
                                const char   *url)
{
  g_return_if_fail (TN_IS_SIGN_IN_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), url != NULL ? url : "");
}

const char *
tn_sign_in_page_get_email (TnSignInPage *self)
{
  g_return_val_if_fail (TN_IS_SIGN_IN_PAGE (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->email_row));
}

void
tn_sign_in_page_set_email (TnSignInPage *self,
                           const char   *email)
{
  g_return_if_fail (TN_IS_SIGN_IN_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->email_row), email != NULL ? email : "");
}

const char *
tn_sign_in_page_get_password (TnSignInPage *self)
{
  g_return_val_if_fail (TN_IS_SIGN_IN_PAGE (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->password_row));
}

void
tn_sign_in_page_clear_password (TnSignInPage *self)
{
  g_return_if_fail (TN_IS_SIGN_IN_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
}

gboolean
tn_sign_in_page_get_busy (TnSignInPage *self)
{
  g_return_val_if_fail (TN_IS_SIGN_IN_PAGE (self), FALSE);
  return self->busy;
}

/**
 * tn_sign_in_page_set_busy:
 * @self: a #TnSignInPage
 * @busy: whether a sign-in is under way
 *
 * While busy, the form cannot be changed and shows a spinner.
 */
void
tn_sign_in_page_set_busy (TnSignInPage *self,
                          gboolean      busy)
{
  g_return_if_fail (TN_IS_SIGN_IN_PAGE (self));

  busy = !!busy;
  if (self->busy == busy)
    return;

  self->busy = busy;
  /* Read-only rather than insensitive: a focused GtkText made insensitive
   * gets no focus-out in GTK 4, and its cursor blink then warns "GtkText -
   * did not receive a focus-out event" (seen by nicotine-plus too, see
   * nicotine-plus/nicotine-plus#3855). */
  gtk_editable_set_editable (GTK_EDITABLE (self->server_row), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->email_row), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->password_row), !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  tn_sign_in_page_update (self);
  if (busy)
    tn_sign_in_page_set_error (self, NULL);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/**
 * tn_sign_in_page_set_error:
 * @self: a #TnSignInPage
 * @message: (nullable): why signing in failed, or %NULL to hide the error
 */
void
tn_sign_in_page_set_error (TnSignInPage *self,
                           const char   *message)
{
  g_return_if_fail (TN_IS_SIGN_IN_PAGE (self));

  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL && message[0] != '\0');
}

/**
 * tn_sign_in_page_focus:
 * @self: a #TnSignInPage
 *
 * Moves the keyboard focus to the first field still empty.
 */
void
tn_sign_in_page_focus (TnSignInPage *self)
{
  g_return_if_fail (TN_IS_SIGN_IN_PAGE (self));

  if (row_is_empty (self->server_row))
    gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
  else if (row_is_empty (self->email_row))
    gtk_widget_grab_focus (GTK_WIDGET (self->email_row));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

AdwEntryRow *
_tn_sign_in_page_get_server_row (TnSignInPage *self)
{
  g_return_val_if_fail (TN_IS_SIGN_IN_PAGE (self), NULL);
  return self->server_row;
}

AdwEntryRow *
_tn_sign_in_page_get_email_row (TnSignInPage *self)
{
  g_return_val_if_fail (TN_IS_SIGN_IN_PAGE (self), NULL);
  return self->email_row;
}

AdwPasswordEntryRow *
_tn_sign_in_page_get_password_row (TnSignInPage *self)
{
  g_return_val_if_fail (TN_IS_SIGN_IN_PAGE (self), NULL);
  return self->password_row;
}

GtkButton *
_tn_sign_in_page_get_sign_in_button (TnSignInPage *self)
{
  g_return_val_if_fail (TN_IS_SIGN_IN_PAGE (self), NULL);
  return self->sign_in_button;
}

GtkLabel *
_tn_sign_in_page_get_error_label (TnSignInPage *self)
{
  g_return_val_if_fail (TN_IS_SIGN_IN_PAGE (self), NULL);
  return self->error_label;
}
