/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n.h>

#include "tn-format.h"
#include "tn-qr.h"
#include "tn-ticket-page.h"
#include "tn-ticket-page-private.h"
#include "tn-time.h"

/* One attendee's ticket: on screen, on paper and as a PDF. Paper and PDF
 * share one drawing function, so what is printed is what is saved. */

/* The QR code on screen, about this wide: whole pixels per module keep
 * it crisp, so the real width depends on the code's size. */
#define SCREEN_QR_PIXELS 288

/* A4, in points: a ticket printed or saved at home. */
#define PDF_WIDTH  595.28
#define PDF_HEIGHT 841.89

struct _TnTicketPage
{
  AdwWindow        parent_instance;

  TnEvent         *event;
  TnAttendee      *attendee;
  TnQr            *qr;

  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  GtkLabel        *event_title_label;
  GtkLabel        *when_label;
  GtkLabel        *where_label;
  GtkLabel        *name_label;
  GtkLabel        *ticket_type_label;
  GtkPicture      *picture;
  GtkLabel        *code_label;
  GtkWidget       *save_button;

  GtkFileChooserNative *chooser;
};

enum {
  PROP_0,
  PROP_EVENT,
  PROP_ATTENDEE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TnTicketPage, tn_ticket_page, ADW_TYPE_WINDOW)

static gboolean
is_set (const char *text)
{
  return text != NULL && text[0] != '\0';
}

static void
set_label (GtkLabel   *label,
           const char *text)
{
  gtk_label_set_text (label, is_set (text) ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), is_set (text));
}

static char *
format_when (TnEvent *event)
{
  if (tn_event_get_starts_at (event) == 0)
    return NULL;
  return tn_format_event_when (tn_event_get_starts_at (event), tn_event_get_ends_at (event),
                               tn_time_now (), TN_FORMAT_LONG);
}

static const char *
ticket_type_or_default (TnAttendee *attendee)
{
  const char *type = tn_attendee_get_ticket_type (attendee);

  /* Translators: the ticket type of an attendee who was given none */
  return is_set (type) ? type : _("General admission");
}

static void
tn_ticket_page_show_toast (TnTicketPage *self,
                           const char   *title)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

static void
tn_ticket_page_update (TnTicketPage *self)
{
  g_autofree char *when = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  const char *payload;
  gboolean has_ticket;
  guint scale;

  if (self->event == NULL || self->attendee == NULL)
    return;

  when = format_when (self->event);
  set_label (self->event_title_label, tn_event_get_title (self->event));
  set_label (self->when_label, when);
  set_label (self->where_label, tn_event_get_location (self->event));
  set_label (self->name_label, tn_attendee_get_name (self->attendee));
  set_label (self->ticket_type_label, ticket_type_or_default (self->attendee));

  /* The QR holds the signed ticket, which a door verifies offline; the
   * short code alone still finds the attendee in the door's replica. */
  payload = tn_attendee_get_signed_ticket (self->attendee);
  if (!is_set (payload))
    payload = tn_attendee_get_ticket_code (self->attendee);

  g_clear_pointer (&self->qr, tn_qr_unref);
  if (is_set (payload))
    {
      self->qr = tn_qr_new (payload, &error);
      if (self->qr == NULL)
        g_warning ("Cannot show the ticket of %s as a QR code: %s",
                   tn_attendee_get_id (self->attendee), error->message);
    }

  has_ticket = self->qr != NULL;
  if (has_ticket)
    {
      scale = MAX (2, SCREEN_QR_PIXELS / (tn_qr_get_size (self->qr) + 2 * TN_QR_QUIET_ZONE));
      texture = tn_qr_to_texture (self->qr, scale);
    }
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
  set_label (self->code_label, tn_attendee_get_ticket_code (self->attendee));

  gtk_stack_set_visible_child_name (self->stack, has_ticket ? "ticket" : "no-ticket");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "ticket.print", has_ticket);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "ticket.save-pdf", has_ticket);
}

static void
tn_ticket_page_map (GtkWidget *widget)
{
  TnTicketPage *self = TN_TICKET_PAGE (widget);

  GTK_WIDGET_CLASS (tn_ticket_page_parent_class)->map (widget);

  /* Not the selectable code label, which would show selected. */
  if (self->qr != NULL)
    gtk_widget_grab_focus (self->save_button);
}

/* --- drawing on paper ---------------------------------------------------- */

/* A layout whose font sizes are in points when @cr's unit is the point,
 * as on a PDF surface and a print context set to GTK_UNIT_POINTS. */
static PangoLayout *
create_layout (cairo_t    *cr,
               const char *font,
               const char *text,
               double      width)
{
  g_autoptr(PangoFontDescription) description = pango_font_description_from_string (font);
  PangoContext *context = pango_cairo_create_context (cr);
  PangoLayout *layout;

  pango_cairo_context_set_resolution (context, 72.0);
  layout = pango_layout_new (context);
  g_object_unref (context);
  pango_layout_set_font_description (layout, description);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

/* Draws @text centred in a column @width wide at @x, from *@y down, and
 * moves *@y below it. */
static void
draw_text (cairo_t    *cr,
           const char *font,
           const char *text,
           double      x,
           double      width,
           double     *y,
           double      space_after)
{
  g_autoptr(PangoLayout) layout = NULL;
  int height;

  if (!is_set (text))
    return;

  layout = create_layout (cr, font, text, width);
  cairo_move_to (cr, x, *y);
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_size (layout, NULL, &height);
  *y += (double) height / PANGO_SCALE + space_after;
}

/* The ticket on a page @width by @height points, from the top. */
static void
tn_ticket_page_draw (TnTicketPage *self,
                     cairo_t      *cr,
                     double        width,
                     double        height)
{
  g_autofree char *when = format_when (self->event);
  double margin = 36.0;
  double column = width - 2 * margin;
  double y = margin;
  double qr_size;

  g_assert (self->qr != NULL);

  cairo_save (cr);
  cairo_set_source_rgb (cr, 0.0, 0.0, 0.0);

  /* Translators: the heading of a printed ticket */
  draw_text (cr, "Sans 11", _("Ticket"), margin, column, &y, 6.0);
  draw_text (cr, "Sans Bold 20", tn_event_get_title (self->event), margin, column, &y, 6.0);
  draw_text (cr, "Sans 12", when, margin, column, &y, 2.0);
  draw_text (cr, "Sans 12", tn_event_get_location (self->event), margin, column, &y, 18.0);

  qr_size = MIN (column, MIN (260.0, height - y - 120.0));
  qr_size = MAX (qr_size, 120.0);
  tn_qr_draw (self->qr, cr, margin + (column - qr_size) / 2, y, qr_size);
  y += qr_size + 18.0;

  cairo_set_source_rgb (cr, 0.0, 0.0, 0.0);
  draw_text (cr, "Sans Bold 16", tn_attendee_get_name (self->attendee), margin, column, &y, 4.0);
  draw_text (cr, "Sans 12", ticket_type_or_default (self->attendee), margin, column, &y, 12.0);
  draw_text (cr, "Monospace 13", tn_attendee_get_ticket_code (self->attendee), margin, column, &y, 12.0);
  /* Translators: under the QR code of a printed ticket */
  draw_text (cr, "Sans 9", _("Show this code at the door."), margin, column, &y, 0.0);

  cairo_restore (cr);
}

static void
tn_ticket_page_operation_draw_page_cb (GtkPrintOperation *operation,
                                       GtkPrintContext   *context,
                                       int                page_nr,
                                       TnTicketPage      *self)
{
  tn_ticket_page_draw (self, gtk_print_context_get_cairo_context (context),
                       gtk_print_context_get_width (context),
                       gtk_print_context_get_height (context));
}

static void
tn_ticket_page_operation_done_cb (GtkPrintOperation       *operation,
                                  GtkPrintOperationResult  result,
                                  TnTicketPage            *self)
{
  g_autoptr(GError) error = NULL;

  if (result != GTK_PRINT_OPERATION_RESULT_ERROR)
    return;

  gtk_print_operation_get_error (operation, &error);
  g_warning ("Printing a ticket failed: %s", error != NULL ? error->message : "unknown error");
  tn_ticket_page_show_toast (self, _("The ticket could not be printed"));
}

/* The print job of the ticket: one page, drawn in points. */
static GtkPrintOperation *
tn_ticket_page_new_print_operation (TnTicketPage *self)
{
  GtkPrintOperation *operation = gtk_print_operation_new ();
  g_autofree char *job_name = NULL;

  /* Translators: the name of a print job; %s is the attendee's name */
  job_name = g_strdup_printf (_("Ticket of %s"), tn_attendee_get_name (self->attendee));
  gtk_print_operation_set_job_name (operation, job_name);
  gtk_print_operation_set_n_pages (operation, 1);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  g_signal_connect_object (operation, "draw-page",
                           G_CALLBACK (tn_ticket_page_operation_draw_page_cb), self, 0);
  return operation;
}

static void
tn_ticket_page_print_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  TnTicketPage *self = TN_TICKET_PAGE (widget);
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) error = NULL;

  if (self->qr == NULL)
    return;

  operation = tn_ticket_page_new_print_operation (self);
  g_signal_connect_object (operation, "done",
                           G_CALLBACK (tn_ticket_page_operation_done_cb), self, 0);
  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_WINDOW (self), &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_warning ("Printing a ticket failed: %s", error->message);
      tn_ticket_page_show_toast (self, _("The ticket could not be printed"));
    }
}

/* --- saving a PDF -------------------------------------------------------- */

static char *
suggested_file_name (TnTicketPage *self)
{
  const char *name = tn_attendee_get_name (self->attendee);
  g_autofree char *safe = g_strdup (is_set (name) ? name : "");

  g_strdelimit (safe, "/\\:*?\"<>|", '-');
  /* Translators: the file name a saved ticket gets; %s is the attendee's name */
  return g_strdup_printf (_("Ticket %s.pdf"), safe);
}

static void
tn_ticket_page_chooser_response_cb (GtkNativeDialog *chooser,
                                    int              response,
                                    TnTicketPage    *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file == NULL)
    return;

  if (!tn_ticket_page_save_pdf (self, file, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The ticket could not be saved: %s"), error->message);

      tn_ticket_page_show_toast (self, message);
      return;
    }
  tn_ticket_page_show_toast (self, _("Ticket saved"));
}

static void
tn_ticket_page_save_pdf_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  TnTicketPage *self = TN_TICKET_PAGE (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *file_name = NULL;

  if (self->qr == NULL || self->chooser != NULL)
    return;

  /* GtkFileDialog needs GTK 4.10; Debian 12 has 4.8. */
  self->chooser = gtk_file_chooser_native_new (_("Save Ticket as PDF"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  file_name = suggested_file_name (self);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), file_name);
  gtk_file_filter_set_name (filter, _("PDF documents"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_filter_add_suffix (filter, "pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect_object (self->chooser, "response",
                           G_CALLBACK (tn_ticket_page_chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* --- GObject ------------------------------------------------------------- */

static void
tn_ticket_page_dispose (GObject *object)
{
  TnTicketPage *self = TN_TICKET_PAGE (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), TN_TYPE_TICKET_PAGE);
  g_clear_pointer (&self->qr, tn_qr_unref);
  g_clear_object (&self->event);
  g_clear_object (&self->attendee);

  G_OBJECT_CLASS (tn_ticket_page_parent_class)->dispose (object);
}

static void
tn_ticket_page_constructed (GObject *object)
{
  TnTicketPage *self = TN_TICKET_PAGE (object);

  G_OBJECT_CLASS (tn_ticket_page_parent_class)->constructed (object);
  tn_ticket_page_update (self);
}

static void
tn_ticket_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TnTicketPage *self = TN_TICKET_PAGE (object);

  switch (prop_id)
    {
    case PROP_EVENT:
      g_value_set_object (value, self->event);
      break;
    case PROP_ATTENDEE:
      g_value_set_object (value, self->attendee);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tn_ticket_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TnTicketPage *self = TN_TICKET_PAGE (object);

  switch (prop_id)
    {
    case PROP_EVENT:
      self->event = g_value_dup_object (value);
      break;
    case PROP_ATTENDEE:
      self->attendee = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tn_ticket_page_class_init (TnTicketPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tn_ticket_page_dispose;
  object_class->constructed = tn_ticket_page_constructed;
  object_class->get_property = tn_ticket_page_get_property;
  object_class->set_property = tn_ticket_page_set_property;
  widget_class->map = tn_ticket_page_map;

  properties[PROP_EVENT] =
    g_param_spec_object ("event", NULL, NULL, TN_TYPE_EVENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ATTENDEE] =
    g_param_spec_object ("attendee", NULL, NULL, TN_TYPE_ATTENDEE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/turnout/Turnout/tn-ticket-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TnTicketPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TnTicketPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TnTicketPage, event_title_label);
  gtk_widget_class_bind_template_child (widget_class, TnTicketPage, when_label);
  gtk_widget_class_bind_template_child (widget_class, TnTicketPage, where_label);
  gtk_widget_class_bind_template_child (widget_class, TnTicketPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, TnTicketPage, ticket_type_label);
  gtk_widget_class_bind_template_child (widget_class, TnTicketPage, picture);
  gtk_widget_class_bind_template_child (widget_class, TnTicketPage, code_label);
  gtk_widget_class_bind_template_child (widget_class, TnTicketPage, save_button);

  gtk_widget_class_install_action (widget_class, "ticket.print", NULL, tn_ticket_page_print_action);
  gtk_widget_class_install_action (widget_class, "ticket.save-pdf", NULL, tn_ticket_page_save_pdf_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "ticket.print", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "ticket.save-pdf", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tn_ticket_page_init (TnTicketPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* --- public API ---------------------------------------------------------- */

/**
 * tn_ticket_page_new:
 * @event: the event the ticket is for
 * @attendee: whose ticket it is
 *
 * Returns: (transfer full): a window showing the ticket
 */
TnTicketPage *
tn_ticket_page_new (TnEvent    *event,
                    TnAttendee *attendee)
{
  g_return_val_if_fail (TN_IS_EVENT (event), NULL);
  g_return_val_if_fail (TN_IS_ATTENDEE (attendee), NULL);

  return g_object_new (TN_TYPE_TICKET_PAGE,
                       "event", event,
                       "attendee", attendee,
                       NULL);
}

/**
 * tn_ticket_page_show:
 * @parent: (nullable): a widget of the window the ticket is opened from
 * @event: the event the ticket is for
 * @attendee: whose ticket it is
 *
 * "Show Ticket" for an attendee: opens the ticket in its own window, over
 * @parent's.
 */
void
tn_ticket_page_show (GtkWidget  *parent,
                     TnEvent    *event,
                     TnAttendee *attendee)
{
  TnTicketPage *page;
  GtkRoot *root;

  g_return_if_fail (parent == NULL || GTK_IS_WIDGET (parent));

  page = tn_ticket_page_new (event, attendee);
  root = parent != NULL ? gtk_widget_get_root (parent) : NULL;
  if (GTK_IS_WINDOW (root))
    {
      gtk_window_set_transient_for (GTK_WINDOW (page), GTK_WINDOW (root));
      gtk_window_set_application (GTK_WINDOW (page), gtk_window_get_application (GTK_WINDOW (root)));
    }
  gtk_window_present (GTK_WINDOW (page));
}

TnEvent *
tn_ticket_page_get_event (TnTicketPage *self)
{
  g_return_val_if_fail (TN_IS_TICKET_PAGE (self), NULL);
  return self->event;
}

TnAttendee *
tn_ticket_page_get_attendee (TnTicketPage *self)
{
  g_return_val_if_fail (TN_IS_TICKET_PAGE (self), NULL);
  return self->attendee;
}

/**
 * tn_ticket_page_save_pdf:
 * @self: a #TnTicketPage
 * @file: a local file to write
 * @error: return location for a #GError
 *
 * Writes the ticket as a one-page A4 PDF, drawn as it is printed. What
 * "Save as PDF…" runs once a file is chosen.
 *
 * Returns: whether the file was written
 */
gboolean
tn_ticket_page_save_pdf (TnTicketPage  *self,
                         GFile         *file,
                         GError       **error)
{
  g_autofree char *path = NULL;
  g_autofree char *title = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;

  g_return_val_if_fail (TN_IS_TICKET_PAGE (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->qr == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("This attendee has no ticket"));
      return FALSE;
    }
  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Tickets can only be saved to local folders"));
      return FALSE;
    }

  surface = cairo_pdf_surface_create (path, PDF_WIDTH, PDF_HEIGHT);
  title = g_strdup_printf (_("Ticket of %s"), tn_attendee_get_name (self->attendee));
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Turnout " PACKAGE_VERSION);
  cr = cairo_create (surface);
  tn_ticket_page_draw (self, cr, PDF_WIDTH, PDF_HEIGHT);
  cairo_show_page (cr);
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

GtkPicture *
_tn_ticket_page_get_picture (TnTicketPage *self)
{
  g_return_val_if_fail (TN_IS_TICKET_PAGE (self), NULL);
  return self->picture;
}

GtkLabel *
_tn_ticket_page_get_code_label (TnTicketPage *self)
{
  g_return_val_if_fail (TN_IS_TICKET_PAGE (self), NULL);
  return self->code_label;
}

TnQr *
_tn_ticket_page_get_qr (TnTicketPage *self)
{
  g_return_val_if_fail (TN_IS_TICKET_PAGE (self), NULL);
  return self->qr;
}

const char *
_tn_ticket_page_get_visible_page (TnTicketPage *self)
{
  g_return_val_if_fail (TN_IS_TICKET_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

/* Runs the print job of "Print…" without its dialog, GTK writing the
 * pages to a PDF at @path. */
gboolean
_tn_ticket_page_print_to_pdf (TnTicketPage  *self,
                              const char    *path,
                              GError       **error)
{
  g_autoptr(GtkPrintOperation) operation = NULL;

  g_return_val_if_fail (TN_IS_TICKET_PAGE (self), FALSE);
  g_return_val_if_fail (self->qr != NULL, FALSE);

  operation = tn_ticket_page_new_print_operation (self);
  gtk_print_operation_set_export_filename (operation, path);
  return gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT,
                                  GTK_WINDOW (self), error) == GTK_PRINT_OPERATION_RESULT_APPLY;
}
