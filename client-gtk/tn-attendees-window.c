/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tn-attendees-window.h"
#include "tn-error.h"
#include "tn-ticket-page.h"

/* An event's attendees: a GtkListView over a TnAttendeeModel (a row
 * widget per visible row only, so 50,000 attendees scroll smoothly),
 * search, a guest added by hand, CSV import with a report per row, CSV
 * export, and a ticket revoked or reissued. */

struct _TnAttendeesWindow
{
  AdwWindow           parent_instance;

  TnClient           *client;
  TnEvent            *event;
  TnAttendeeModel    *model;
  GtkSingleSelection *selection;
  GCancellable       *cancellable;

  AdwToastOverlay    *toast_overlay;
  AdwWindowTitle     *window_title;
  GtkStack           *stack;
  GtkListView        *list_view;
  AdwStatusPage      *empty_page;
  GtkLabel           *count_label;
  GtkSearchEntry     *search_entry;
  GtkToggleButton    *search_button;
  GtkMenuButton      *ticket_button;
};

enum {
  SIGNAL_DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TnAttendeesWindow, tn_attendees_window, ADW_TYPE_WINDOW)

static void
toast (TnAttendeesWindow *self,
       const char        *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

/* Says what went wrong in a dialog, the server's own words included. */
static void
show_error (TnAttendeesWindow *self,
            const char        *heading,
            const GError      *error)
{
  AdwMessageDialog *dialog;
  const char *body = error->message;

  if (g_error_matches (error, TN_ERROR, TN_ERROR_NETWORK))
    body = _("The server cannot be reached. Try again when the connection is back.");
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, body));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
finish (TnAttendeesWindow *self,
        const GError      *error)
{
  g_signal_emit (self, signals[SIGNAL_DONE], 0, error);
}

/* --- the list ------------------------------------------------------------ */

static const char *
status_words (TnAttendee *attendee,
              char      **owned)
{
  switch (tn_attendee_get_status (attendee))
    {
    case TN_RSVP_GOING:
      if (tn_attendee_get_inside (attendee))
        return _("Inside");
      if (tn_attendee_get_checked_in_at (attendee) > 0)
        {
          g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (tn_attendee_get_checked_in_at (attendee));
          g_autofree char *time = when != NULL ? g_date_time_format (when, "%H:%M") : g_strdup ("?");

          /* Translators: an attendee who came in and left; %s is when they came, such as 19:02 */
          *owned = g_strdup_printf (_("Left (in at %s)"), time);
          return *owned;
        }
      return tn_attendee_get_ticket_code (attendee) != NULL ? _("Going") : _("Going, no ticket");
    case TN_RSVP_WAITLISTED:
      /* Translators: an attendee's place on the waitlist */
      *owned = g_strdup_printf (_("Waitlist #%u"), tn_attendee_get_waitlist_position (attendee));
      return *owned;
    case TN_RSVP_INTERESTED:
      return _("Interested");
    case TN_RSVP_MAYBE:
      return _("Maybe");
    case TN_RSVP_NOT_GOING:
    default:
      return _("Not going");
    }
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *detail = gtk_label_new (NULL);
  GtkWidget *status = gtk_label_new (NULL);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  gtk_label_set_ellipsize (GTK_LABEL (detail), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_widget_add_css_class (detail, "caption");
  gtk_widget_set_hexpand (text, TRUE);
  gtk_widget_add_css_class (status, "caption-heading");
  gtk_box_append (GTK_BOX (text), name);
  gtk_box_append (GTK_BOX (text), detail);
  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), status);
  gtk_list_item_set_child (item, box);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  TnAttendee *attendee = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *text = gtk_widget_get_first_child (box);
  GtkWidget *name = gtk_widget_get_first_child (text);
  GtkWidget *detail = gtk_widget_get_next_sibling (name);
  GtkWidget *status = gtk_widget_get_next_sibling (text);
  g_autofree char *status_owned = NULL;
  g_autoptr(GString) line = g_string_new (tn_attendee_get_email (attendee));
  const char *type = tn_attendee_get_ticket_type (attendee);
  const char *words = status_words (attendee, &status_owned);

  if (type != NULL && type[0] != '\0')
    g_string_append_printf (line, " · %s", type);
  gtk_label_set_text (GTK_LABEL (name), tn_attendee_get_name (attendee));
  gtk_label_set_text (GTK_LABEL (detail), line->str);
  gtk_label_set_text (GTK_LABEL (status), words);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  tn_attendee_get_name (attendee), -1);
}

static void
update_state (TnAttendeesWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  gboolean loading = tn_attendee_model_get_loading (self->model);
  g_autofree char *count = NULL;
  const char *query = tn_attendee_model_get_query (self->model);

  if (loading)
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u attendee, loading…", "%u attendees, loading…", n), n);
  else
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u attendee", "%u attendees", n), n);
  gtk_label_set_text (self->count_label, count);

  if (n == 0 && !loading)
    {
      adw_status_page_set_description (self->empty_page,
                                       query != NULL && query[0] != '\0'
                                         ? _("Nobody matches the search.")
                                         : _("Nobody has answered yet. Add a guest or import a CSV file."));
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }
  else
    {
      gtk_stack_set_visible_child_name (self->stack, "list");
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->ticket_button),
                            gtk_single_selection_get_selected_item (self->selection) != NULL);
}

static void
tn_attendees_window_model_notify_cb (TnAttendeesWindow *self)
{
  update_state (self);
}

static void
tn_attendees_window_model_error_cb (TnAttendeesWindow *self,
                                    const GError      *error)
{
  update_state (self);
  show_error (self, _("Could Not Load the Attendees"), error);
}

static void
tn_attendees_window_search_changed_cb (TnAttendeesWindow *self)
{
  tn_attendee_model_set_query (self->model, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

/* --- adding a guest ------------------------------------------------------ */

static void
tn_attendees_window_guest_added_cb (GObject      *source,
                                    GAsyncResult *result,
                                    gpointer      user_data)
{
  g_autoptr(TnAttendeesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TnAttendee) attendee = tn_client_attendee_finish (TN_CLIENT (source), result, &error);

  if (attendee == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, _("Could Not Add the Guest"), error);
      finish (self, error);
      return;
    }
  tn_attendee_model_replace (self->model, attendee);
  toast (self, tn_attendee_get_status (attendee) == TN_RSVP_WAITLISTED
                 ? _("Guest added to the waitlist") : _("Guest added"));
  update_state (self);
  finish (self, NULL);
}

void
tn_attendees_window_add_guest (TnAttendeesWindow *self,
                               const char        *name,
                               const char        *email,
                               const char        *ticket_type,
                               const char        *note)
{
  g_return_if_fail (TN_IS_ATTENDEES_WINDOW (self));

  tn_client_add_guest_async (self->client, tn_event_get_id (self->event), name, email,
                             ticket_type != NULL && ticket_type[0] != '\0' ? ticket_type : NULL,
                             note != NULL && note[0] != '\0' ? note : NULL,
                             self->cancellable, tn_attendees_window_guest_added_cb, g_object_ref (self));
}

static GtkWidget *
entry_row (GtkWidget  *list,
           const char *title)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  return row;
}

static void
tn_attendees_window_add_guest_response_cb (AdwMessageDialog  *dialog,
                                           const char        *response,
                                           TnAttendeesWindow *self)
{
  GtkWidget *list = adw_message_dialog_get_extra_child (dialog);
  GtkWidget *rows[4];

  if (g_strcmp0 (response, "add") != 0)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    rows[i] = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), (int) i));
  tn_attendees_window_add_guest (self,
                                 gtk_editable_get_text (GTK_EDITABLE (rows[0])),
                                 gtk_editable_get_text (GTK_EDITABLE (rows[1])),
                                 gtk_editable_get_text (GTK_EDITABLE (rows[2])),
                                 gtk_editable_get_text (GTK_EDITABLE (rows[3])));
}

static void
tn_attendees_window_add_guest_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  TnAttendeesWindow *self = TN_ATTENDEES_WINDOW (widget);
  GtkWidget *list = gtk_list_box_new ();
  AdwMessageDialog *dialog;

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  entry_row (list, _("_Name"));
  entry_row (list, _("_E-mail"));
  entry_row (list, _("Ticket _type (optional)"));
  entry_row (list, _("_Note for the door (optional)"));

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Add Guest"),
                                                        _("A guest without an account gets a seat and a ticket, or a place on the waitlist.")));
  adw_message_dialog_set_extra_child (dialog, list);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "add", _("_Add"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "add", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "add");
  g_signal_connect_object (dialog, "response", G_CALLBACK (tn_attendees_window_add_guest_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- tickets ------------------------------------------------------------- */

static void
tn_attendees_window_ticket_changed_cb (GObject      *source,
                                       GAsyncResult *result,
                                       gpointer      user_data)
{
  g_autoptr(TnAttendeesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TnAttendee) attendee = tn_client_attendee_finish (TN_CLIENT (source), result, &error);

  if (attendee == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, _("Could Not Change the Ticket"), error);
      finish (self, error);
      return;
    }
  tn_attendee_model_replace (self->model, attendee);
  toast (self, tn_attendee_get_ticket_code (attendee) != NULL ? _("New ticket issued") : _("Ticket revoked"));
  finish (self, NULL);
}

void
tn_attendees_window_change_ticket (TnAttendeesWindow *self,
                                   TnAttendee        *attendee,
                                   gboolean           reissue)
{
  g_return_if_fail (TN_IS_ATTENDEES_WINDOW (self));
  g_return_if_fail (TN_IS_ATTENDEE (attendee));

  tn_client_change_ticket_async (self->client, tn_event_get_id (self->event), tn_attendee_get_id (attendee),
                                 reissue, self->cancellable, tn_attendees_window_ticket_changed_cb,
                                 g_object_ref (self));
}

static void
tn_attendees_window_ticket_response_cb (AdwMessageDialog  *dialog,
                                        const char        *response,
                                        TnAttendeesWindow *self)
{
  TnAttendee *attendee = g_object_get_data (G_OBJECT (dialog), "attendee");

  if (g_strcmp0 (response, "revoke") == 0 || g_strcmp0 (response, "reissue") == 0)
    tn_attendees_window_change_ticket (self, attendee, g_str_equal (response, "reissue"));
}

static void
ask_ticket_change (TnAttendeesWindow *self,
                   gboolean           reissue)
{
  TnAttendee *attendee = tn_attendees_window_get_selected (self);
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;

  if (attendee == NULL)
    return;
  if (reissue)
    /* Translators: %s is an attendee's name */
    body = g_strdup_printf (_("%s gets a new ticket code; the old one no longer lets anyone in once doors have synced."),
                            tn_attendee_get_name (attendee));
  else
    body = g_strdup_printf (_("The ticket of %s stops letting anyone in once doors have synced."),
                            tn_attendee_get_name (attendee));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                        reissue ? _("Reissue Ticket?") : _("Revoke Ticket?"),
                                                        body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"),
                                    reissue ? "reissue" : "revoke",
                                    reissue ? _("_Reissue") : _("_Revoke"), NULL);
  adw_message_dialog_set_response_appearance (dialog, reissue ? "reissue" : "revoke", ADW_RESPONSE_DESTRUCTIVE);
  g_object_set_data_full (G_OBJECT (dialog), "attendee", g_object_ref (attendee), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (tn_attendees_window_ticket_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
tn_attendees_window_show_ticket_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *parameter)
{
  TnAttendeesWindow *self = TN_ATTENDEES_WINDOW (widget);
  TnAttendee *attendee = tn_attendees_window_get_selected (self);

  if (attendee != NULL)
    tn_ticket_page_show (GTK_WIDGET (self), self->event, attendee);
}

static void
tn_attendees_window_revoke_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  ask_ticket_change (TN_ATTENDEES_WINDOW (widget), FALSE);
}

static void
tn_attendees_window_reissue_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  ask_ticket_change (TN_ATTENDEES_WINDOW (widget), TRUE);
}

/* --- import and export --------------------------------------------------- */

/**
 * tn_attendees_window_describe_report:
 * @report: what an import did
 *
 * Returns: (transfer full): the report in words, a line per row in error
 */
char *
tn_attendees_window_describe_report (const TnClientImportReport *report)
{
  GString *text = g_string_new (NULL);
  guint shown = 0;

  if (report->header_error != NULL)
    {
      /* Translators: %s is the server's explanation */
      g_string_append_printf (text, _("The first row (the column names) is wrong: %s"), report->header_error);
      return g_string_free (text, FALSE);
    }
  if (report->errors > 0)
    {
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                 "Nothing was imported: %u row is wrong. Correct it and import the file again.",
                                                 "Nothing was imported: %u rows are wrong. Correct them and import the file again.",
                                                 report->errors), report->errors);
      for (guint i = 0; i < report->rows->len && shown < 20; i++)
        {
          TnClientImportRow *row = g_ptr_array_index (report->rows, i);

          if (row->error == NULL)
            continue;
          /* Translators: a row of a CSV file in error: its line number and what is wrong */
          g_string_append_printf (text, _("\nLine %u: %s"), row->line, row->error);
          shown++;
        }
      if (report->errors > shown)
        g_string_append_printf (text, _("\n… and %u more"), report->errors - shown);
      return g_string_free (text, FALSE);
    }
  g_string_append_printf (text, _("Added %u (%u on the waitlist), updated %u, unchanged %u."),
                          report->created + report->waitlisted, report->waitlisted,
                          report->updated, report->unchanged);
  return g_string_free (text, FALSE);
}

static void
tn_attendees_window_imported_cb (GObject      *source,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  g_autoptr(TnAttendeesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TnClientImportReport) report = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;
  gboolean stored = tn_client_import_attendees_finish (TN_CLIENT (source), result, &report, &error);

  if (report == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, _("Could Not Import the File"), error);
      finish (self, error);
      return;
    }
  body = tn_attendees_window_describe_report (report);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                        stored ? _("Import Done") : _("Import Refused"), body));
  adw_message_dialog_set_body_use_markup (dialog, FALSE);
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
  if (stored)
    tn_attendee_model_reload (self->model);
  finish (self, error);
}

void
tn_attendees_window_import (TnAttendeesWindow *self,
                            GBytes            *csv)
{
  g_return_if_fail (TN_IS_ATTENDEES_WINDOW (self));

  tn_client_import_attendees_async (self->client, tn_event_get_id (self->event), csv, self->cancellable,
                                    tn_attendees_window_imported_cb, g_object_ref (self));
}

static void
tn_attendees_window_file_loaded_cb (GObject      *source,
                                    GAsyncResult *result,
                                    gpointer      user_data)
{
  g_autoptr(TnAttendeesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_file_load_bytes_finish (G_FILE (source), result, NULL, &error);

  if (bytes == NULL)
    {
      show_error (self, _("Could Not Read the File"), error);
      finish (self, error);
      return;
    }
  tn_attendees_window_import (self, bytes);
}

static void
tn_attendees_window_import_chosen_cb (GtkNativeDialog   *chooser,
                                      int                response,
                                      TnAttendeesWindow *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    g_file_load_bytes_async (file, self->cancellable, tn_attendees_window_file_loaded_cb, g_object_ref (self));
  g_object_unref (chooser);
}

static void
tn_attendees_window_import_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  TnAttendeesWindow *self = TN_ATTENDEES_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_suffix (filter, "csv");
  chooser = gtk_file_chooser_native_new (_("Import Attendees"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), NULL);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect_object (chooser, "response", G_CALLBACK (tn_attendees_window_import_chosen_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
tn_attendees_window_written_cb (GObject      *source,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  g_autoptr(TnAttendeesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    show_error (self, _("Could Not Save the File"), error);
  else
    toast (self, _("Attendees exported"));
  finish (self, error);
}

static void
tn_attendees_window_exported_cb (GObject      *source,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  g_autoptr(TnAttendeesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) csv = tn_client_export_attendees_finish (TN_CLIENT (source), result, &error);
  GFile *file = g_object_get_data (G_OBJECT (self), "export-file");

  if (csv == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, _("Could Not Export the Attendees"), error);
      finish (self, error);
      return;
    }
  g_file_replace_contents_bytes_async (file, csv, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       self->cancellable, tn_attendees_window_written_cb, g_object_ref (self));
}

void
tn_attendees_window_export (TnAttendeesWindow *self,
                            GFile             *file)
{
  g_return_if_fail (TN_IS_ATTENDEES_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  g_object_set_data_full (G_OBJECT (self), "export-file", g_object_ref (file), g_object_unref);
  tn_client_export_attendees_async (self->client, tn_event_get_id (self->event), self->cancellable,
                                    tn_attendees_window_exported_cb, g_object_ref (self));
}

static void
tn_attendees_window_export_chosen_cb (GtkNativeDialog   *chooser,
                                      int                response,
                                      TnAttendeesWindow *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    tn_attendees_window_export (self, file);
  g_object_unref (chooser);
}

static void
tn_attendees_window_export_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  TnAttendeesWindow *self = TN_ATTENDEES_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  chooser = gtk_file_chooser_native_new (_("Export Attendees"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  /* Translators: the suggested file name of an export; %s is the event's title */
  name = g_strdup_printf (_("%s — attendees.csv"), tn_event_get_title (self->event));
  g_strdelimit (name, "/", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect_object (chooser, "response", G_CALLBACK (tn_attendees_window_export_chosen_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
tn_attendees_window_reload_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  tn_attendee_model_reload (TN_ATTENDEES_WINDOW (widget)->model);
}

/* --- GObject ------------------------------------------------------------- */

static void
tn_attendees_window_search_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  TnAttendeesWindow *self = TN_ATTENDEES_WINDOW (widget);

  gtk_toggle_button_set_active (self->search_button, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
tn_attendees_window_dispose (GObject *object)
{
  TnAttendeesWindow *self = TN_ATTENDEES_WINDOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->client);
  g_clear_object (&self->event);
  gtk_widget_dispose_template (GTK_WIDGET (self), TN_TYPE_ATTENDEES_WINDOW);

  G_OBJECT_CLASS (tn_attendees_window_parent_class)->dispose (object);
}

static void
tn_attendees_window_class_init (TnAttendeesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tn_attendees_window_dispose;

  /**
   * TnAttendeesWindow::done:
   * @error: (nullable): why it failed
   *
   * An action the window started (a guest added, a ticket changed, an
   * import or export) is over.
   */
  signals[SIGNAL_DONE] =
    g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/turnout/Turnout/tn-attendees-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TnAttendeesWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TnAttendeesWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, TnAttendeesWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TnAttendeesWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, TnAttendeesWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, TnAttendeesWindow, count_label);
  gtk_widget_class_bind_template_child (widget_class, TnAttendeesWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TnAttendeesWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, TnAttendeesWindow, ticket_button);
  gtk_widget_class_bind_template_callback (widget_class, tn_attendees_window_search_changed_cb);

  gtk_widget_class_install_action (widget_class, "attendees.add-guest", NULL, tn_attendees_window_add_guest_action);
  gtk_widget_class_install_action (widget_class, "attendees.import", NULL, tn_attendees_window_import_action);
  gtk_widget_class_install_action (widget_class, "attendees.export", NULL, tn_attendees_window_export_action);
  gtk_widget_class_install_action (widget_class, "attendees.reload", NULL, tn_attendees_window_reload_action);
  gtk_widget_class_install_action (widget_class, "attendees.show-ticket", NULL, tn_attendees_window_show_ticket_action);
  gtk_widget_class_install_action (widget_class, "attendees.revoke", NULL, tn_attendees_window_revoke_action);
  gtk_widget_class_install_action (widget_class, "attendees.reissue", NULL, tn_attendees_window_reissue_action);
  gtk_widget_class_install_action (widget_class, "attendees.search", NULL, tn_attendees_window_search_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "attendees.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "attendees.add-guest", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "attendees.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}


static void
tn_attendees_window_selection_notify_cb (TnAttendeesWindow *self)
{
  update_state (self);
}

static void
tn_attendees_window_init (TnAttendeesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/**
 * tn_attendees_window_new:
 * @parent: (nullable): the main window
 * @client: a signed-in client
 * @event: the event
 *
 * Returns: (transfer full): the event's attendees window, loading
 */
TnAttendeesWindow *
tn_attendees_window_new (GtkWindow *parent,
                         TnClient  *client,
                         TnEvent   *event)
{
  TnAttendeesWindow *self;
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_return_val_if_fail (TN_IS_CLIENT (client), NULL);
  g_return_val_if_fail (TN_IS_EVENT (event), NULL);

  self = g_object_new (TN_TYPE_ATTENDEES_WINDOW, "transient-for", parent, NULL);
  self->client = g_object_ref (client);
  self->event = g_object_ref (event);
  adw_window_title_set_subtitle (self->window_title, tn_event_get_title (event));

  self->model = tn_attendee_model_new (client, tn_event_get_id (event));
  g_signal_connect_swapped (self->model, "notify::loading", G_CALLBACK (tn_attendees_window_model_notify_cb), self);
  g_signal_connect_swapped (self->model, "notify::n-items", G_CALLBACK (tn_attendees_window_model_notify_cb), self);
  g_signal_connect_swapped (self->model, "error", G_CALLBACK (tn_attendees_window_model_error_cb), self);

  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected", G_CALLBACK (tn_attendees_window_selection_notify_cb), self);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  update_state (self);
  return self;
}

TnAttendeeModel *
tn_attendees_window_get_model (TnAttendeesWindow *self)
{
  g_return_val_if_fail (TN_IS_ATTENDEES_WINDOW (self), NULL);
  return self->model;
}

/**
 * tn_attendees_window_get_selected:
 *
 * Returns: (transfer none) (nullable): the selected attendee
 */
TnAttendee *
tn_attendees_window_get_selected (TnAttendeesWindow *self)
{
  g_return_val_if_fail (TN_IS_ATTENDEES_WINDOW (self), NULL);
  return gtk_single_selection_get_selected_item (self->selection);
}

void
tn_attendees_window_select (TnAttendeesWindow *self,
                            guint              position)
{
  g_return_if_fail (TN_IS_ATTENDEES_WINDOW (self));
  gtk_single_selection_set_selected (self->selection, position);
}
