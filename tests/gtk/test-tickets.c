/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>

#include "tn-application.h"
#include "tn-client.h"
#include "tn-devices-page-private.h"
#include "tn-error.h"
#include "tn-event-row-private.h"
#include "tn-pairing-dialog-private.h"
#include "tn-qr.h"
#include "tn-gtk-test-utils.h"
#include "tn-test-utils.h"
#include "tn-sign-in-page-private.h"
#include "tn-ticket-page-private.h"
#include "tn-window-private.h"

/* Tickets and door devices (issue 6, part 4) against a real turnout-server
 * with the demo community. What the app draws is read back by programs we
 * did not write: zbarimg (zbar-tools) decodes the QR codes, pdftoppm and
 * pdftotext (poppler-utils) read the saved PDF. */

/* From data/demo.json: an event Olivia organizes, happening now, whose
 * guests are going with tickets; one guest's name is beyond ASCII. */
#define DEMO_EVENT_TITLE "Open House at the Makerspace"
#define DEMO_GUEST_NAME  "Zoë Ångström"

/* Generous: the suite also runs under AddressSanitizer. */
#define WAIT_TIMEOUT_MS 30000

static TnGtkTestServer *server;
static char            *work_dir;
static TnApplication *application;

/* Signed in as the demo organizer; her event and a guest with a ticket. */
static TnClient   *organizer;
static TnEvent    *event;
static TnAttendee *guest;

/* --- waiting ------------------------------------------------------------- */

static gboolean
wake_up_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the main context until @expr holds, failing the test after
 * WAIT_TIMEOUT_MS. */
#define WAIT_FOR(expr) \
  G_STMT_START { \
    gint64 wait_deadline_ = g_get_monotonic_time () + (gint64) WAIT_TIMEOUT_MS * 1000; \
    guint wait_tick_ = g_timeout_add (20, wake_up_cb, NULL); \
    while (!(expr) && g_get_monotonic_time () < wait_deadline_) \
      g_main_context_iteration (NULL, TRUE); \
    g_source_remove (wait_tick_); \
    if (!(expr)) \
      g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, \
                           "timed out waiting for: " #expr); \
  } G_STMT_END

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Runs an _async call whose last two arguments are the callback and its
 * data, and waits for its result. */
#define AWAIT(result, call, ...) \
  G_STMT_START { \
    g_clear_object (&(result)); \
    call (__VA_ARGS__, store_result_cb, &(result)); \
    WAIT_FOR ((result) != NULL); \
  } G_STMT_END

/* --- the server ---------------------------------------------------------- */

/* The organizer's session, her event and a guest with a signed ticket. */
static void
load_demo_data (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TnUser) user = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) attendees = NULL;
  TnEventFilter filter = { .q = DEMO_EVENT_TITLE };

  organizer = tn_client_new (tn_gtk_test_server_get_url (server));
  AWAIT (result, tn_client_login_async, organizer, TN_DEMO_ORGANIZER_EMAIL, TN_DEMO_PASSWORD, NULL);
  user = tn_client_login_finish (organizer, result, &error);
  g_assert_no_error (error);

  AWAIT (result, tn_client_list_events_async, organizer, &filter, NULL);
  events = tn_client_list_events_finish (organizer, result, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < events->len && event == NULL; i++)
    if (g_strcmp0 (tn_event_get_title (events->pdata[i]), DEMO_EVENT_TITLE) == 0)
      event = g_object_ref (events->pdata[i]);
  g_assert_nonnull (event);

  AWAIT (result, tn_client_list_attendees_async, organizer, tn_event_get_id (event), "going", NULL, 100, NULL, NULL);
  attendees = tn_client_list_attendees_finish (organizer, result, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < attendees->len && guest == NULL; i++)
    if (g_strcmp0 (tn_attendee_get_name (attendees->pdata[i]), DEMO_GUEST_NAME) == 0)
      guest = g_object_ref (attendees->pdata[i]);
  g_assert_nonnull (guest);
  g_assert_nonnull (tn_attendee_get_ticket_code (guest));
  g_assert_nonnull (tn_attendee_get_signed_ticket (guest));
  g_assert_true (g_str_has_prefix (tn_attendee_get_signed_ticket (guest), "TN1"));
}

/* --- helpers ------------------------------------------------------------- */

static gboolean
have_display (void)
{
  return g_getenv ("DISPLAY") != NULL || g_getenv ("WAYLAND_DISPLAY") != NULL;
}

#define SKIP_WITHOUT_DISPLAY() \
  G_STMT_START { \
    if (!have_display ()) \
      { \
        g_test_skip ("no display: run under xvfb-run"); \
        return; \
      } \
  } G_STMT_END

/* Skips when a checker is missing, and says which package has it. */
#define SKIP_WITHOUT_PROGRAM(program, package) \
  G_STMT_START { \
    g_autofree char *found_ = g_find_program_in_path (program); \
    if (found_ == NULL) \
      { \
        g_test_skip (program " is missing: install " package " (tools/install-deps does)"); \
        return; \
      } \
  } G_STMT_END

/* Runs @argv, fails the test unless it exits with 0, and returns its
 * standard output. */
static char *
run (const char * const *argv)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s failed: %s\n%s", argv[0], error->message, err);
  return g_steal_pointer (&out);
}

/* What zbarimg reads in the image at @path: one code, no trailing newline. */
static char *
decode_qr (const char *path)
{
  const char * const argv[] = { "zbarimg", "--raw", "-q", path, NULL };
  char *text = run (argv);

  g_strchomp (text);
  g_assert_null (strchr (text, '\n'));
  return text;
}

static char *
work_path (const char *name)
{
  return g_build_filename (work_dir, name, NULL);
}

/* Writes what @picture shows to a PNG at @path. */
static void
save_picture (GtkPicture *picture,
              const char *path)
{
  GdkPaintable *paintable = gtk_picture_get_paintable (picture);

  g_assert_true (GDK_IS_TEXTURE (paintable));
  g_assert_true (gdk_texture_save_to_png (GDK_TEXTURE (paintable), path));
}

/* Destroys @window and checks that nothing keeps it alive. */
static void
close_window (gpointer window)
{
  gpointer weak = window;

  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_window_destroy (GTK_WINDOW (window));
  WAIT_FOR (weak == NULL);
}

static JsonObject *
find_device (const char *device_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = NULL;
  JsonArray *items;

  AWAIT (result, tn_client_list_devices_async, organizer, tn_event_get_id (event), NULL);
  object = tn_client_list_devices_finish (organizer, result, &error);
  g_assert_no_error (error);
  items = json_object_get_array_member (object, "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *device = json_array_get_object_element (items, i);

      if (g_strcmp0 (json_object_get_string_member (device, "id"), device_id) == 0)
        return json_object_ref (device);
    }
  return NULL;
}

/* Pairs a door with @code, as turnout-door does; returns its client,
 * which now holds the device token, and the device's id. */
static TnClient *
pair_door (const char  *code,
           const char  *name,
           char       **out_device_id)
{
  g_autoptr(TnClient) door = tn_client_new (tn_gtk_test_server_get_url (server));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) device = NULL;

  AWAIT (result, tn_client_pair_device_async, door, code, name, NULL);
  device = tn_client_pair_device_finish (door, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (device);
  g_assert_cmpstr (json_object_get_string_member (device, "event_id"), ==, tn_event_get_id (event));
  g_assert_cmpstr (json_object_get_string_member (device, "name"), ==, name);
  g_assert_true (g_str_has_prefix (tn_client_get_token (door), "tnd_"));
  *out_device_id = g_strdup (json_object_get_string_member (device, "id"));
  return g_steal_pointer (&door);
}

/* --- tests --------------------------------------------------------------- */

/* The QR of a ticket, written to PNG by tn-qr and as the ticket window
 * shows it, decodes back to the signed ticket; the short code's too. */
static void
test_ticket_qr_decodes (void)
{
  const char *signed_ticket;
  const char *ticket_code;
  g_autoptr(TnQr) qr = NULL;
  g_autoptr(TnQr) short_qr = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *qr_path = work_path ("ticket-qr.png");
  g_autofree char *short_path = work_path ("ticket-short-qr.png");
  g_autofree char *shown_path = work_path ("ticket-shown.png");
  g_autofree char *decoded = NULL;
  g_autofree char *decoded_short = NULL;
  g_autofree char *decoded_shown = NULL;
  TnTicketPage *page;

  SKIP_WITHOUT_DISPLAY ();
  SKIP_WITHOUT_PROGRAM ("zbarimg", "zbar-tools");

  signed_ticket = tn_attendee_get_signed_ticket (guest);
  ticket_code = tn_attendee_get_ticket_code (guest);

  qr = tn_qr_new (signed_ticket, &error);
  g_assert_no_error (error);
  /* Encoded in the alphanumeric mode: 187 characters fit version 8 (49
   * modules) at level M, where as bytes they would need version 10 (57):
   * fewer, larger modules for the door's camera. */
  g_assert_cmpuint (strlen (signed_ticket), ==, 187);
  g_assert_cmpuint (tn_qr_get_size (qr), <=, 49);
  g_assert_true (tn_qr_write_png (qr, 4, qr_path, &error));
  g_assert_no_error (error);
  decoded = decode_qr (qr_path);
  g_assert_cmpstr (decoded, ==, signed_ticket);

  short_qr = tn_qr_new (ticket_code, &error);
  g_assert_no_error (error);
  g_assert_true (tn_qr_write_png (short_qr, 3, short_path, &error));
  decoded_short = decode_qr (short_path);
  g_assert_cmpstr (decoded_short, ==, ticket_code);
  /* Not the same code twice: the short one is a smaller symbol. */
  g_assert_cmpuint (tn_qr_get_size (short_qr), <, tn_qr_get_size (qr));

  page = tn_ticket_page_new (event, guest);
  gtk_window_present (GTK_WINDOW (page));
  g_assert_cmpstr (gtk_label_get_text (_tn_ticket_page_get_code_label (page)), ==, ticket_code);
  g_assert_cmpstr (gtk_picture_get_alternative_text (_tn_ticket_page_get_picture (page)), ==,
                   "QR code of the ticket");
  save_picture (_tn_ticket_page_get_picture (page), shown_path);
  decoded_shown = decode_qr (shown_path);
  g_assert_cmpstr (decoded_shown, ==, signed_ticket);
  close_window (page);
}

/* Too long for any QR code: an error, not a crash. */
static void
test_qr_too_long (void)
{
  g_autofree char *text = g_strnfill (8000, 'A');
  g_autoptr(GError) error = NULL;
  g_autoptr(TnQr) qr = tn_qr_new (text, &error);

  g_assert_null (qr);
  g_assert_nonnull (error);
}

/* Renders the one-page PDF at @path with pdftoppm and reads it with
 * pdftotext: a ticket of the guest, whose QR still decodes. Returns the
 * page's size in pixels at 100 dots per inch. */
static void
check_ticket_pdf (const char *pdf_path,
                  const char *name,
                  int        *out_width,
                  int        *out_height)
{
  g_autofree char *prefix = g_strconcat (pdf_path, "-page", NULL);
  g_autofree char *png_path = g_strconcat (prefix, "-1.png", NULL);
  g_autofree char *second_page = g_strconcat (prefix, "-2.png", NULL);
  g_autofree char *text = NULL;
  g_autofree guchar *pixels = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  const char *pdftoppm[] = { "pdftoppm", "-png", "-r", "100", pdf_path, prefix, NULL };
  const char *pdftotext[] = { "pdftotext", "-enc", "UTF-8", pdf_path, "-", NULL };
  g_autofree char *zbarimg = g_find_program_in_path ("zbarimg");
  gsize stride, dark = 0;
  int width, height;

  g_free (run (pdftoppm));
  g_assert_true (g_file_test (png_path, G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (second_page, G_FILE_TEST_EXISTS));

  texture = gdk_texture_new_from_filename (png_path, &error);
  g_assert_no_error (error);
  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  stride = (gsize) width * 4;
  pixels = g_malloc (stride * height);
  gdk_texture_download (texture, pixels, stride);
  for (gsize i = 0; i < stride * height; i += 4)
    if (pixels[i] < 64 && pixels[i + 1] < 64 && pixels[i + 2] < 64)
      dark++;
  /* Not blank, not black: a QR code and some text on white. */
  g_assert_cmpuint (dark, >, (gsize) width * height / 50);
  g_assert_cmpuint (dark, <, (gsize) width * height / 4);

  if (zbarimg != NULL)
    {
      g_autofree char *decoded = decode_qr (png_path);

      g_assert_cmpstr (decoded, ==, tn_attendee_get_signed_ticket (guest));
    }

  text = run (pdftotext);
  g_assert_nonnull (strstr (text, name));
  g_assert_nonnull (strstr (text, tn_attendee_get_ticket_code (guest)));
  g_assert_nonnull (strstr (text, DEMO_EVENT_TITLE));
  g_assert_nonnull (strstr (text, "Speaker"));

  *out_width = width;
  *out_height = height;
}

/* The PDF that "Save as PDF…" writes: one A4 page that poppler renders,
 * with the guest's name and short code, and a QR code that decodes. */
static void
test_ticket_pdf (void)
{
  g_autofree char *pdf_path = work_path ("ticket.pdf");
  g_autoptr(GFile) file = g_file_new_for_path (pdf_path);
  g_autoptr(GError) error = NULL;
  int width, height;
  TnTicketPage *page;

  SKIP_WITHOUT_DISPLAY ();
  SKIP_WITHOUT_PROGRAM ("pdftoppm", "poppler-utils");
  SKIP_WITHOUT_PROGRAM ("pdftotext", "poppler-utils");

  page = tn_ticket_page_new (event, guest);
  g_assert_true (tn_ticket_page_save_pdf (page, file, &error));
  g_assert_no_error (error);
  close_window (page);

  check_ticket_pdf (pdf_path, DEMO_GUEST_NAME, &width, &height);
  /* A4 at 100 dots per inch, give or take poppler's rounding */
  g_assert_cmpint (ABS (width - 827), <=, 1);
  g_assert_cmpint (ABS (height - 1169), <=, 1);
}

/* "Print…" runs the same drawing through GtkPrintOperation: exported to a
 * PDF by GTK's own print backend, it reads the same. */
static void
test_ticket_print (void)
{
  g_autofree char *pdf_path = work_path ("ticket-printed.pdf");
  g_autoptr(GError) error = NULL;
  int width, height;
  TnTicketPage *page;

  SKIP_WITHOUT_DISPLAY ();
  SKIP_WITHOUT_PROGRAM ("pdftoppm", "poppler-utils");
  SKIP_WITHOUT_PROGRAM ("pdftotext", "poppler-utils");

  page = tn_ticket_page_new (event, guest);
  gtk_window_present (GTK_WINDOW (page));
  g_assert_true (_tn_ticket_page_print_to_pdf (page, pdf_path, &error));
  g_assert_no_error (error);
  close_window (page);

  check_ticket_pdf (pdf_path, DEMO_GUEST_NAME, &width, &height);
  g_assert_cmpint (width, >, 500);
  g_assert_cmpint (height, >, width);
}

/* Someone who is not going has no ticket: no QR, nothing to print. */
static void
test_no_ticket (void)
{
  g_autoptr(TnAttendee) maybe = tn_attendee_new ();
  g_autofree char *pdf_path = work_path ("no-ticket.pdf");
  g_autoptr(GFile) file = g_file_new_for_path (pdf_path);
  g_autoptr(GError) error = NULL;
  TnTicketPage *page;

  SKIP_WITHOUT_DISPLAY ();

  tn_attendee_set_name (maybe, "Maybe Later");
  tn_attendee_set_status (maybe, TN_RSVP_MAYBE);
  page = tn_ticket_page_new (event, maybe);
  gtk_window_present (GTK_WINDOW (page));
  g_assert_cmpstr (_tn_ticket_page_get_visible_page (page), ==, "no-ticket");
  g_assert_null (_tn_ticket_page_get_qr (page));
  g_assert_null (gtk_picture_get_paintable (_tn_ticket_page_get_picture (page)));
  g_assert_false (tn_ticket_page_save_pdf (page, file, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_false (g_file_test (pdf_path, G_FILE_TEST_EXISTS));
  close_window (page);
}

/* The pairing dialog asks the server for a code, shows it as text and as
 * a QR code that decodes to the same code, and a door pairs with it. */
static void
test_pairing_dialog (void)
{
  g_autofree char *png_path = work_path ("pairing-qr.png");
  g_autofree char *decoded = NULL;
  g_autofree char *code = NULL;
  g_autofree char *device_id = NULL;
  g_autoptr(TnClient) door = NULL;
  g_autoptr(TnClient) second_door = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(JsonObject) device = NULL;
  TnPairingDialog *dialog;

  SKIP_WITHOUT_DISPLAY ();
  SKIP_WITHOUT_PROGRAM ("zbarimg", "zbar-tools");

  dialog = tn_pairing_dialog_new (organizer, event);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_null (tn_pairing_dialog_get_code (dialog));
  adw_combo_row_set_selected (_tn_pairing_dialog_get_role_row (dialog), 1);
  gtk_editable_set_text (GTK_EDITABLE (_tn_pairing_dialog_get_name_row (dialog)), "Side door");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "pairing.create", NULL));
  WAIT_FOR (!_tn_pairing_dialog_get_busy (dialog));

  code = g_strdup (tn_pairing_dialog_get_code (dialog));
  g_assert_nonnull (code);
  /* 12 Crockford base32 symbols in groups of four */
  g_assert_cmpuint (strlen (code), ==, 14);
  g_assert_cmpstr (gtk_label_get_text (_tn_pairing_dialog_get_code_label (dialog)), ==, code);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (_tn_pairing_dialog_get_expiry_label (dialog)),
                                   "Valid for 10 more minutes") ||
                 g_str_has_prefix (gtk_label_get_text (_tn_pairing_dialog_get_expiry_label (dialog)),
                                   "Valid for 9 more minutes"));

  save_picture (_tn_pairing_dialog_get_picture (dialog), png_path);
  decoded = decode_qr (png_path);
  g_assert_cmpstr (decoded, ==, code);
  close_window (dialog);

  /* What the door scanned pairs it, with the role the dialog asked for. */
  door = pair_door (decoded, "Side door (test)", &device_id);
  device = find_device (device_id);
  g_assert_nonnull (device);
  g_assert_cmpstr (json_object_get_string_member (device, "role"), ==, "supervisor");

  /* The code was for one device. */
  second_door = tn_client_new (tn_gtk_test_server_get_url (server));
  AWAIT (result, tn_client_pair_device_async, second_door, code, "Another door", NULL);
  reply = tn_client_pair_device_finish (second_door, result, &error);
  g_assert_null (reply);
  g_assert_error (error, TN_ERROR, TN_ERROR_UNAUTHORIZED);
}

/* The devices window lists a paired door, renames it and, after asking,
 * revokes it: the server then refuses the door's token. */
static void
test_devices_revoke (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) pairing = NULL;
  g_autoptr(JsonObject) device = NULL;
  g_autoptr(JsonObject) synced = NULL;
  g_autoptr(TnClient) door = NULL;
  g_autofree char *device_id = NULL;
  TnDevicesPage *page;
  AdwActionRow *row;
  AdwMessageDialog *dialog;

  SKIP_WITHOUT_DISPLAY ();

  AWAIT (result, tn_client_create_pairing_code_async, organizer, tn_event_get_id (event), "steward", NULL, NULL);
  pairing = tn_client_create_pairing_code_finish (organizer, result, &error);
  g_assert_no_error (error);
  door = pair_door (json_object_get_string_member (pairing, "code"), "Back door", &device_id);

  page = tn_devices_page_new (organizer, event);
  gtk_window_present (GTK_WINDOW (page));
  WAIT_FOR (!_tn_devices_page_get_busy (page));
  g_assert_cmpstr (_tn_devices_page_get_visible_page (page), ==, "list");
  row = _tn_devices_page_find_row (page, device_id);
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Back door");
  g_assert_false (_tn_devices_page_row_is_revoked (row));
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (row), "Steward"));

  /* Rename */
  g_assert_true (gtk_widget_activate (GTK_WIDGET (_tn_devices_page_get_rename_button (row))));
  /* A button activated by keyboard clicks when its press animation ends. */
  WAIT_FOR (_tn_devices_page_get_dialog (page) != NULL);
  dialog = _tn_devices_page_get_dialog (page);
  gtk_editable_set_text (_tn_devices_page_get_rename_entry (page), "Front door");
  adw_message_dialog_response (dialog, "rename");
  WAIT_FOR (!_tn_devices_page_get_busy (page));
  row = _tn_devices_page_find_row (page, device_id);
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Front door");

  /* Revoke, but cancel when asked: nothing happens. */
  g_assert_true (gtk_widget_activate (GTK_WIDGET (_tn_devices_page_get_revoke_button (row))));
  /* A button activated by keyboard clicks when its press animation ends. */
  WAIT_FOR (_tn_devices_page_get_dialog (page) != NULL);
  dialog = _tn_devices_page_get_dialog (page);
  adw_message_dialog_response (dialog, "cancel");
  g_assert_false (_tn_devices_page_get_busy (page));
  device = find_device (device_id);
  g_assert_true (json_object_get_null_member (device, "revoked_at"));
  g_clear_pointer (&device, json_object_unref);

  /* Revoke, and confirm. */
  g_assert_true (gtk_widget_activate (GTK_WIDGET (_tn_devices_page_get_revoke_button (row))));
  /* A button activated by keyboard clicks when its press animation ends. */
  WAIT_FOR (_tn_devices_page_get_dialog (page) != NULL);
  dialog = _tn_devices_page_get_dialog (page);
  adw_message_dialog_response (dialog, "revoke");
  WAIT_FOR (!_tn_devices_page_get_busy (page));
  row = _tn_devices_page_find_row (page, device_id);
  g_assert_nonnull (row);
  g_assert_true (_tn_devices_page_row_is_revoked (row));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "revoked"));
  close_window (page);

  device = find_device (device_id);
  g_assert_nonnull (device);
  g_assert_cmpstr (json_object_get_string_member (device, "name"), ==, "Front door");
  g_assert_false (json_object_get_null_member (device, "revoked_at"));

  AWAIT (result, tn_client_sync_async, door, tn_event_get_id (event), NULL, 0, NULL);
  synced = tn_client_sync_finish (door, result, &error);
  g_assert_null (synced);
  g_assert_error (error, TN_ERROR, TN_ERROR_DEVICE_REVOKED);
}

static TnDevicesPage *
find_devices_page (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (TN_IS_DEVICES_PAGE (window))
        return TN_DEVICES_PAGE (window);
    }
  return NULL;
}

static gboolean
showing_events (TnWindow *window)
{
  return g_strcmp0 (_tn_window_get_visible_page (window), "events") == 0 &&
         g_strcmp0 (_tn_window_get_list_page (window), "list") == 0;
}

/* In the app: sign in, choose the event, Menu → Door Devices…: the devices
 * window of that event opens. */
static void
test_window_door_devices (void)
{
  TnWindow *window;
  TnSignInPage *sign_in;
  GtkListBox *list;
  GtkListBoxRow *row;
  GtkListBoxRow *found = NULL;
  TnDevicesPage *page;
  g_autoptr(TnEvent) shown = NULL;

  SKIP_WITHOUT_DISPLAY ();

  window = tn_window_new (application);
  gtk_window_present (GTK_WINDOW (window));
  /* Not signed in: the action is there and does nothing. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.door-devices", NULL));
  g_assert_null (find_devices_page ());

  sign_in = _tn_window_get_sign_in_page (window);
  WAIT_FOR (g_strcmp0 (_tn_window_get_visible_page (window), "sign-in") == 0);
  gtk_editable_set_text (GTK_EDITABLE (_tn_sign_in_page_get_server_row (sign_in)), tn_gtk_test_server_get_url (server));
  gtk_editable_set_text (GTK_EDITABLE (_tn_sign_in_page_get_email_row (sign_in)), TN_DEMO_ORGANIZER_EMAIL);
  gtk_editable_set_text (GTK_EDITABLE (_tn_sign_in_page_get_password_row (sign_in)), TN_DEMO_PASSWORD);
  g_assert_true (gtk_widget_activate (GTK_WIDGET (_tn_sign_in_page_get_sign_in_button (sign_in))));
  WAIT_FOR (showing_events (window) && !_tn_window_get_busy (window));

  list = _tn_window_get_event_list (window);
  for (int i = 0; found == NULL && (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    if (g_strcmp0 (gtk_label_get_text (_tn_event_row_get_title_label (TN_EVENT_ROW (row))), DEMO_EVENT_TITLE) == 0)
      found = row;
  g_assert_nonnull (found);
  gtk_list_box_select_row (list, found);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.door-devices", NULL));
  page = find_devices_page ();
  g_assert_nonnull (page);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (page)) == GTK_WINDOW (window));
  g_object_get (page, "event", &shown, NULL);
  g_assert_cmpstr (tn_event_get_id (shown), ==, tn_event_get_id (event));
  WAIT_FOR (!_tn_devices_page_get_busy (page));
  g_assert_cmpstr (_tn_devices_page_get_visible_page (page), !=, "error");

  close_window (page);
  WAIT_FOR (!_tn_window_get_busy (window));
  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  work_dir = tn_gtk_test_isolate ("turnout-test-tickets");

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtk/tickets/qr-too-long", test_qr_too_long);
  g_test_add_func ("/gtk/tickets/qr-decodes", test_ticket_qr_decodes);
  g_test_add_func ("/gtk/tickets/pdf-renders", test_ticket_pdf);
  g_test_add_func ("/gtk/tickets/print-renders", test_ticket_print);
  g_test_add_func ("/gtk/tickets/no-ticket", test_no_ticket);
  g_test_add_func ("/gtk/tickets/pairing-dialog", test_pairing_dialog);
  g_test_add_func ("/gtk/tickets/devices-revoke", test_devices_revoke);
  g_test_add_func ("/gtk/tickets/window-door-devices", test_window_door_devices);

  if (have_display ())
    {
      application = tn_application_new ();
      g_application_set_flags (G_APPLICATION (application), G_APPLICATION_NON_UNIQUE);
      g_application_register (G_APPLICATION (application), NULL, &error);
      g_assert_no_error (error);
      g_autofree char *server_dir = g_build_filename (work_dir, "server", NULL);

      server = tn_gtk_test_server_new (server_dir);
      tn_gtk_test_server_start (server);
      load_demo_data ();
    }

  status = g_test_run ();

  if (organizer != NULL)
    {
      g_clear_object (&guest);
      g_clear_object (&event);
      g_clear_object (&organizer);
      g_clear_pointer (&server, tn_gtk_test_server_free);
      g_clear_object (&application);
    }
  tn_gtk_test_remove_tree (work_dir);
  g_free (work_dir);

  return status;
}
