/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tn-event-editor.h"
#include "tn-event-editor-private.h"
#include "tn-error.h"

/* Creates or edits an event, every writable field. As the organizer
 * types, the form is read into a TnEvent and checked by
 * tn_event_validate(), the rules the server applies; each field's message
 * shows under its row once the field was touched, and Save waits until
 * there is none. Saving goes through the TnEventSync: to the replica and
 * its outbox at once, to the server when it can be reached. Dates and
 * times are read and shown in the user's time zone. */

typedef enum
{
  FIELD_TITLE,
  FIELD_DESCRIPTION,
  FIELD_STARTS_AT,
  FIELD_ENDS_AT,
  FIELD_LOCATION,
  FIELD_LAT,
  FIELD_LON,
  FIELD_CAPACITY,
  FIELD_WAITLIST,
  FIELD_CATEGORY,
  FIELD_TAGS,
  FIELD_VISIBILITY,
  FIELD_PRICE,
  FIELD_CURRENCY,
  N_FIELDS
} FieldId;

/* the names tn_event_validate() reports fields by */
static const char * const field_names[N_FIELDS] = {
  "title", "description", "starts_at", "ends_at", "location", "lat", "lon",
  "capacity", "waitlist", "category", "tags", "visibility", "price", "currency",
};

/* Categories when the server's list is not at hand; they are values of
 * events, not words of the interface: not translated. */
static const char * const fallback_categories[] = {
  "Arts", "Community", "Food & Drink", "Music", "Outdoors", "Sports", "Tech", NULL,
};

typedef struct
{
  TnEventEditor *editor;
  FieldId        id;
  GtkWidget     *widget;       /* what the organizer edits */
  GtkWidget     *row;          /* what gets the error style */
  GtkWidget     *error_box;    /* shown with a message */
  GtkLabel      *error_label;
  gboolean       touched;
} Field;

struct _TnEventEditor
{
  AdwWindow        parent_instance;

  TnEventSync     *sync;
  TnEvent         *original;   /* NULL when creating */
  GtkStringList   *categories;
  char            *baseline;   /* the form as loaded */
  Field            fields[N_FIELDS];
  gboolean         loading;
  gboolean         show_all;
  gboolean         valid;
  gboolean         closing;
  gboolean         syncing_calendar;

  AdwWindowTitle  *window_title;
  GtkWidget       *save_button;
  GtkLabel        *error_label;
  AdwEntryRow     *title_row;
  GtkTextView     *description_view;
  GtkLabel        *description_error;
  AdwPreferencesGroup *when_group;
  AdwEntryRow     *starts_row;
  GtkCalendar     *starts_calendar;
  GtkPopover      *starts_popover;
  AdwEntryRow     *ends_row;
  GtkCalendar     *ends_calendar;
  GtkPopover      *ends_popover;
  AdwEntryRow     *location_row;
  AdwEntryRow     *lat_row;
  AdwEntryRow     *lon_row;
  AdwEntryRow     *capacity_row;
  GtkSwitch       *waitlist_switch;
  AdwComboRow     *category_row;
  AdwEntryRow     *tags_row;
  AdwComboRow     *visibility_row;
  AdwEntryRow     *price_row;
  AdwEntryRow     *currency_row;
};

enum {
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TnEventEditor, tn_event_editor, ADW_TYPE_WINDOW)

static void validate (TnEventEditor *self);

/* --- reading and writing the form ------------------------------------------ */

static const char *
entry_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static char *
description_text (TnEventEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->description_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static char *
format_local_time (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_time);

  if (time == NULL)
    return g_strdup ("");
  return g_date_time_format (time, g_date_time_get_second (time) != 0 ? "%Y-%m-%d %H:%M:%S" : "%Y-%m-%d %H:%M");
}

/* "2026-11-22 18:00" (or with seconds, or a "T") in the local time zone */
static gboolean
parse_local_time (const char *text,
                  gint64     *out)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  g_autoptr(GDateTime) time = NULL;
  int year, month, day, hour, minute, second = 0, used = 0;
  char *t = strchr (copy, 'T');

  if (t != NULL)
    *t = ' ';
  if (sscanf (copy, "%4d-%2d-%2d %2d:%2d%n", &year, &month, &day, &hour, &minute, &used) != 5)
    return FALSE;
  if (copy[used] == ':')
    {
      int more = 0;

      if (sscanf (copy + used, ":%2d%n", &second, &more) != 1)
        return FALSE;
      used += more;
    }
  if (copy[used] != '\0' || hour > 23 || minute > 59 || second > 59 || year < 1)
    return FALSE;
  time = g_date_time_new_local (year, month, day, hour, minute, second);
  if (time == NULL)
    return FALSE;
  *out = g_date_time_to_unix (time);
  return TRUE;
}

/* A decimal number, with a point or a comma. */
static gboolean
parse_number (const char *text,
              double     *out)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  char *end = NULL;

  g_strdelimit (copy, ",", '.');
  if (copy[0] == '\0')
    return FALSE;
  *out = g_ascii_strtod (copy, &end);
  return end != NULL && *end == '\0';
}

static void
note (JsonObject *details,
      FieldId     field,
      const char *message)
{
  if (!json_object_has_member (details, field_names[field]))
    json_object_set_string_member (details, field_names[field], message);
}

/* The event as the form says, with a message in @details for each field
 * that cannot be read; tn_event_validate() adds the rest. */
static TnEvent *
build_event (TnEventEditor *self,
             JsonObject    *details)
{
  g_autoptr(TnEvent) event = self->original != NULL ? tn_event_copy (self->original) : tn_event_new ();
  g_autofree char *title = g_strstrip (g_strdup (entry_text (self->title_row)));
  g_autofree char *location = g_strstrip (g_strdup (entry_text (self->location_row)));
  g_autofree char *description = description_text (self);
  g_autofree char *capacity = g_strstrip (g_strdup (entry_text (self->capacity_row)));
  g_autofree char *lat_text = g_strstrip (g_strdup (entry_text (self->lat_row)));
  g_autofree char *lon_text = g_strstrip (g_strdup (entry_text (self->lon_row)));
  g_autofree char *price_text = g_strstrip (g_strdup (entry_text (self->price_row)));
  g_autofree char *currency = g_ascii_strup (entry_text (self->currency_row), -1);
  g_auto(GStrv) pieces = g_strsplit (entry_text (self->tags_row), ",", -1);
  g_autoptr(GPtrArray) tags = g_ptr_array_new ();
  gint64 starts_at = 0, ends_at = 0;
  gboolean have_starts, have_ends;
  guint category = adw_combo_row_get_selected (self->category_row);
  double lat = 0, lon = 0, price = 0;

  tn_event_set_title (event, title);
  tn_event_set_description (event, description);
  tn_event_set_location (event, location);

  have_starts = parse_local_time (entry_text (self->starts_row), &starts_at);
  if (!have_starts)
    note (details, FIELD_STARTS_AT, _("Enter a date and time such as 2026-11-22 18:00"));
  else
    tn_event_set_starts_at (event, starts_at);
  have_ends = parse_local_time (entry_text (self->ends_row), &ends_at);
  if (!have_ends)
    note (details, FIELD_ENDS_AT, _("Enter a date and time such as 2026-11-22 20:00"));
  else
    tn_event_set_ends_at (event, ends_at);
  if (have_starts && have_ends && ends_at < starts_at)
    note (details, FIELD_ENDS_AT, _("The event must not end before it starts"));

  if (lat_text[0] == '\0' && lon_text[0] == '\0')
    tn_event_clear_coordinates (event);
  else if (lat_text[0] == '\0' || lon_text[0] == '\0')
    note (details, lat_text[0] == '\0' ? FIELD_LAT : FIELD_LON,
          _("Enter both latitude and longitude, or neither"));
  else
    {
      gboolean ok = TRUE;

      if (!parse_number (lat_text, &lat))
        {
          note (details, FIELD_LAT, _("Enter a number such as 52.52"));
          ok = FALSE;
        }
      if (!parse_number (lon_text, &lon))
        {
          note (details, FIELD_LON, _("Enter a number such as 13.40"));
          ok = FALSE;
        }
      if (ok)
        tn_event_set_coordinates (event, lat, lon);
    }

  if (capacity[0] == '\0')
    tn_event_set_capacity (event, -1);
  else
    {
      gint64 value;

      if (!g_ascii_string_to_signed (capacity, 10, 0, G_MAXINT64, &value, NULL))
        note (details, FIELD_CAPACITY, _("Enter a whole number, or leave it empty for no limit"));
      else
        tn_event_set_capacity (event, value);
    }

  tn_event_set_waitlist (event, gtk_switch_get_active (self->waitlist_switch));

  if (category == 0 || category == GTK_INVALID_LIST_POSITION)
    tn_event_set_category (event, "");
  else
    tn_event_set_category (event, gtk_string_list_get_string (self->categories, category));

  for (guint i = 0; pieces[i] != NULL; i++)
    {
      g_strstrip (pieces[i]);
      if (pieces[i][0] != '\0')
        g_ptr_array_add (tags, pieces[i]);
    }
  g_ptr_array_add (tags, NULL);
  tn_event_set_tags (event, (const char * const *) tags->pdata);

  switch (adw_combo_row_get_selected (self->visibility_row))
    {
    case 1:  tn_event_set_visibility (event, TN_VISIBILITY_UNLISTED); break;
    case 2:  tn_event_set_visibility (event, TN_VISIBILITY_PRIVATE); break;
    default: tn_event_set_visibility (event, TN_VISIBILITY_PUBLIC); break;
    }

  if (price_text[0] == '\0')
    tn_event_clear_price (event);
  else if (!parse_number (price_text, &price))
    note (details, FIELD_PRICE, _("Enter an amount such as 12.50, or leave it empty if the event is free"));
  else
    tn_event_set_price (event, price);
  g_strstrip (currency);
  tn_event_set_currency (event, currency);

  return g_steal_pointer (&event);
}

/* Everything the organizer can change, as one string: the form is dirty
 * when it differs from the one taken after loading. */
static char *
snapshot (TnEventEditor *self)
{
  g_autofree char *description = description_text (self);

  return g_strdup_printf ("%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%d\x1f%u\x1f%s\x1f%u\x1f%s\x1f%s",
                          entry_text (self->title_row), description,
                          entry_text (self->starts_row), entry_text (self->ends_row),
                          entry_text (self->location_row), entry_text (self->lat_row),
                          entry_text (self->lon_row), entry_text (self->capacity_row),
                          gtk_switch_get_active (self->waitlist_switch),
                          adw_combo_row_get_selected (self->category_row),
                          entry_text (self->tags_row),
                          adw_combo_row_get_selected (self->visibility_row),
                          entry_text (self->price_row), entry_text (self->currency_row));
}

static char *
format_number (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, value));
}

static void
select_category (TnEventEditor *self,
                 const char    *name)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->categories));

  if (name == NULL || name[0] == '\0')
    {
      adw_combo_row_set_selected (self->category_row, 0);
      return;
    }
  for (guint i = 1; i < n; i++)
    if (g_strcmp0 (gtk_string_list_get_string (self->categories, i), name) == 0)
      {
        adw_combo_row_set_selected (self->category_row, i);
        return;
      }
  /* a category the list does not know (yet): kept */
  gtk_string_list_append (self->categories, name);
  adw_combo_row_set_selected (self->category_row, n);
}

static void
load (TnEventEditor *self,
      TnEvent       *event)
{
  g_autofree char *starts = format_local_time (tn_event_get_starts_at (event));
  g_autofree char *ends = format_local_time (tn_event_get_ends_at (event));
  g_autofree char *tags = g_strjoinv (", ", (char **) tn_event_get_tags (event));
  double lat, lon, price;

  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->title_row), tn_event_get_title (event));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->description_view), tn_event_get_description (event), -1);
  gtk_editable_set_text (GTK_EDITABLE (self->starts_row), starts);
  gtk_editable_set_text (GTK_EDITABLE (self->ends_row), ends);
  gtk_editable_set_text (GTK_EDITABLE (self->location_row), tn_event_get_location (event));
  if (tn_event_get_coordinates (event, &lat, &lon))
    {
      g_autofree char *lat_text = format_number (lat);
      g_autofree char *lon_text = format_number (lon);

      gtk_editable_set_text (GTK_EDITABLE (self->lat_row), lat_text);
      gtk_editable_set_text (GTK_EDITABLE (self->lon_row), lon_text);
    }
  if (tn_event_get_capacity (event) >= 0)
    {
      g_autofree char *capacity = g_strdup_printf ("%" G_GINT64_FORMAT, tn_event_get_capacity (event));

      gtk_editable_set_text (GTK_EDITABLE (self->capacity_row), capacity);
    }
  gtk_switch_set_active (self->waitlist_switch, tn_event_get_waitlist (event));
  select_category (self, tn_event_get_category (event));
  gtk_editable_set_text (GTK_EDITABLE (self->tags_row), tags);
  adw_combo_row_set_selected (self->visibility_row, (guint) tn_event_get_visibility (event));
  if (tn_event_get_price (event, &price))
    {
      g_autofree char *price_text = format_number (price);

      gtk_editable_set_text (GTK_EDITABLE (self->price_row), price_text);
    }
  if (tn_event_get_currency (event) != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->currency_row), tn_event_get_currency (event));
  self->loading = FALSE;

  g_free (self->baseline);
  self->baseline = snapshot (self);
  validate (self);
}

/* --- validation ------------------------------------------------------------ */

static char *
sentence (const char *message)
{
  gunichar first = g_utf8_get_char (message);
  char head[8] = { 0 };

  g_unichar_to_utf8 (g_unichar_totitle (first), head);
  return g_strconcat (head, g_utf8_next_char (message), NULL);
}

static void
show_field_error (Field      *field,
                  const char *message)
{
  if (message != NULL)
    {
      g_autofree char *text = sentence (message);

      gtk_label_set_text (field->error_label, text);
      gtk_widget_set_visible (field->error_box, TRUE);
      gtk_widget_add_css_class (field->row, "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (field->widget),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
      gtk_accessible_update_state (GTK_ACCESSIBLE (field->widget),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  else
    {
      gtk_label_set_text (field->error_label, "");
      gtk_widget_set_visible (field->error_box, FALSE);
      gtk_widget_remove_css_class (field->row, "error");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (field->widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      gtk_accessible_reset_state (GTK_ACCESSIBLE (field->widget), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

static void
show_details (TnEventEditor *self,
              JsonObject    *details)
{
  for (guint i = 0; i < N_FIELDS; i++)
    {
      Field *field = &self->fields[i];
      const char *message = NULL;

      if ((field->touched || self->show_all) && json_object_has_member (details, field_names[i]))
        message = json_object_get_string_member (details, field_names[i]);
      show_field_error (field, message);
    }
}

static void
validate (TnEventEditor *self)
{
  g_autoptr(JsonObject) details = json_object_new ();
  g_autoptr(TnEvent) event = build_event (self, details);

  tn_event_validate (event, details, NULL);
  show_details (self, details);
  self->valid = json_object_get_size (details) == 0;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", self->valid);
}

static void
tn_event_editor_field_changed_cb (Field *field)
{
  TnEventEditor *self = field->editor;

  if (self->loading)
    return;
  field->touched = TRUE;
  /* rules that span two fields speak as soon as either is touched */
  if (field->id == FIELD_LAT || field->id == FIELD_LON)
    self->fields[FIELD_LAT].touched = self->fields[FIELD_LON].touched = TRUE;
  if (field->id == FIELD_STARTS_AT || field->id == FIELD_ENDS_AT)
    self->fields[FIELD_STARTS_AT].touched = self->fields[FIELD_ENDS_AT].touched = TRUE;
  if (field->id == FIELD_PRICE || field->id == FIELD_CURRENCY)
    self->fields[FIELD_PRICE].touched = self->fields[FIELD_CURRENCY].touched = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  validate (self);
}

/* --- the calendars --------------------------------------------------------- */

static AdwEntryRow *
calendar_entry (TnEventEditor *self,
                GtkCalendar   *calendar)
{
  return calendar == self->starts_calendar ? self->starts_row : self->ends_row;
}

static void
tn_event_editor_calendar_day_selected_cb (TnEventEditor *self,
                                          GtkCalendar   *calendar)
{
  AdwEntryRow *row = calendar_entry (self, calendar);
  g_autoptr(GDateTime) day = gtk_calendar_get_date (calendar);
  g_autofree char *date = g_date_time_format (day, "%Y-%m-%d");
  g_autofree char *text = NULL;
  const char *old = entry_text (row);
  const char *space = strpbrk (old, " T");

  if (self->syncing_calendar)
    return;
  /* the time of day stays as typed */
  text = g_strconcat (date, " ", space != NULL ? g_strstrip (g_strdup (space + 1)) : "18:00", NULL);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  gtk_popover_popdown (calendar == self->starts_calendar ? self->starts_popover : self->ends_popover);
}

static void
tn_event_editor_popover_show_cb (TnEventEditor *self,
                                 GtkPopover    *popover)
{
  GtkCalendar *calendar = popover == self->starts_popover ? self->starts_calendar : self->ends_calendar;
  gint64 when;

  if (!parse_local_time (entry_text (calendar_entry (self, calendar)), &when))
    return;
  {
    g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (when);

    self->syncing_calendar = TRUE;
    gtk_calendar_select_day (calendar, time);
    self->syncing_calendar = FALSE;
  }
}

/* --- saving and closing ---------------------------------------------------- */

static void
tn_event_editor_save_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  tn_event_editor_save (TN_EVENT_EDITOR (widget));
}

static void
tn_event_editor_cancel_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
tn_event_editor_discard_response_cb (TnEventEditor *self,
                                     const char    *response)
{
  if (g_strcmp0 (response, "discard") != 0)
    return;
  self->closing = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
tn_event_editor_close_request (GtkWindow *window)
{
  TnEventEditor *self = TN_EVENT_EDITOR (window);
  AdwMessageDialog *dialog;

  if (self->closing || !tn_event_editor_get_dirty (self))
    return GTK_WINDOW_CLASS (tn_event_editor_parent_class)->close_request (window);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (window, _("Discard Changes?"),
                                                       _("The changes to this event have not been saved.")));
  adw_message_dialog_add_responses (dialog,
                                    "keep", _("_Keep Editing"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "keep");
  adw_message_dialog_set_close_response (dialog, "keep");
  g_signal_connect_object (dialog, "response", G_CALLBACK (tn_event_editor_discard_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

/* --- GObject --------------------------------------------------------------- */

static void
tn_event_editor_dispose (GObject *object)
{
  TnEventEditor *self = (TnEventEditor *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), TN_TYPE_EVENT_EDITOR);
  g_clear_object (&self->sync);
  g_clear_object (&self->original);
  g_clear_object (&self->categories);

  G_OBJECT_CLASS (tn_event_editor_parent_class)->dispose (object);
}

static void
tn_event_editor_finalize (GObject *object)
{
  TnEventEditor *self = (TnEventEditor *) object;

  g_free (self->baseline);

  G_OBJECT_CLASS (tn_event_editor_parent_class)->finalize (object);
}

static void
tn_event_editor_class_init (TnEventEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = tn_event_editor_dispose;
  object_class->finalize = tn_event_editor_finalize;
  window_class->close_request = tn_event_editor_close_request;

  /**
   * TnEventEditor::saved:
   * @event: the event as stored in the replica
   *
   * The event was created or changed locally; the sync engine delivers it.
   */
  signals[SIGNAL_SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, TN_TYPE_EVENT);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/turnout/Turnout/tn-event-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, TnEventEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, TnEventEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, TnEventEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, TnEventEditor, title_row);
  gtk_widget_class_bind_template_child (widget_class, TnEventEditor, description_view);
  gtk_widget_class_bind_template_child (widget_class, TnEventEditor, description_error);
  gtk_widget_class_bind_template_child (widget_class, TnEventEditor, when_group);
  gtk_widget_class_bind_template_child (widget_class, TnEventEditor, starts_row);
  gtk_widget_class_bind_template_child (widget_class, TnEventEditor, starts_calendar);
  gtk_widget_class_bind_template_child (widget_class, TnEventEditor, starts_popover);
  gtk_widget_class_bind_template_child (widget_class, TnEventEditor, ends_row);
  gtk_widget_class_bind_template_child (widget_class, TnEventEditor, ends_calendar);
  gtk_widget_class_bind_template_child (widget_class, TnEventEditor, ends_popover);
  gtk_widget_class_bind_template_child (widget_class, TnEventEditor, location_row);
  gtk_widget_class_bind_template_child (widget_class, TnEventEditor, lat_row);
  gtk_widget_class_bind_template_child (widget_class, TnEventEditor, lon_row);
  gtk_widget_class_bind_template_child (widget_class, TnEventEditor, capacity_row);
  gtk_widget_class_bind_template_child (widget_class, TnEventEditor, waitlist_switch);
  gtk_widget_class_bind_template_child (widget_class, TnEventEditor, category_row);
  gtk_widget_class_bind_template_child (widget_class, TnEventEditor, tags_row);
  gtk_widget_class_bind_template_child (widget_class, TnEventEditor, visibility_row);
  gtk_widget_class_bind_template_child (widget_class, TnEventEditor, price_row);
  gtk_widget_class_bind_template_child (widget_class, TnEventEditor, currency_row);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, tn_event_editor_save_action);
  gtk_widget_class_install_action (widget_class, "editor.cancel", NULL, tn_event_editor_cancel_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "editor.cancel", NULL);
}

/* A message row under @row in its list, hidden until there is a message. */
static void
add_error_row (Field *field)
{
  GtkWidget *list = gtk_widget_get_parent (field->row);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *row = adw_preferences_row_new ();

  g_assert (GTK_IS_LIST_BOX (list));
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_add_css_class (label, "error");
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  gtk_widget_set_visible (row, FALSE);
  gtk_list_box_insert (GTK_LIST_BOX (list), row, gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (field->row)) + 1);
  field->error_box = row;
  field->error_label = GTK_LABEL (label);
}

static void
tn_event_editor_init (TnEventEditor *self)
{
  GtkWidget *rows[N_FIELDS];
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *zone_text = NULL;
  GtkEventController *shortcuts;

  gtk_widget_init_template (GTK_WIDGET (self));

  rows[FIELD_TITLE] = GTK_WIDGET (self->title_row);
  rows[FIELD_DESCRIPTION] = GTK_WIDGET (self->description_view);
  rows[FIELD_STARTS_AT] = GTK_WIDGET (self->starts_row);
  rows[FIELD_ENDS_AT] = GTK_WIDGET (self->ends_row);
  rows[FIELD_LOCATION] = GTK_WIDGET (self->location_row);
  rows[FIELD_LAT] = GTK_WIDGET (self->lat_row);
  rows[FIELD_LON] = GTK_WIDGET (self->lon_row);
  rows[FIELD_CAPACITY] = GTK_WIDGET (self->capacity_row);
  rows[FIELD_WAITLIST] = GTK_WIDGET (self->waitlist_switch);
  rows[FIELD_CATEGORY] = GTK_WIDGET (self->category_row);
  rows[FIELD_TAGS] = GTK_WIDGET (self->tags_row);
  rows[FIELD_VISIBILITY] = GTK_WIDGET (self->visibility_row);
  rows[FIELD_PRICE] = GTK_WIDGET (self->price_row);
  rows[FIELD_CURRENCY] = GTK_WIDGET (self->currency_row);

  for (guint i = 0; i < N_FIELDS; i++)
    {
      Field *field = &self->fields[i];

      field->editor = self;
      field->id = i;
      field->widget = rows[i];
      if (i == FIELD_DESCRIPTION)
        {
          field->row = gtk_widget_get_parent (gtk_widget_get_parent (rows[i]));
          field->error_box = GTK_WIDGET (self->description_error);
          field->error_label = self->description_error;
          g_signal_connect_swapped (gtk_text_view_get_buffer (self->description_view), "changed",
                                    G_CALLBACK (tn_event_editor_field_changed_cb), field);
          continue;
        }
      if (i == FIELD_WAITLIST)
        field->row = gtk_widget_get_ancestor (rows[i], GTK_TYPE_LIST_BOX_ROW);
      else
        field->row = rows[i];
      add_error_row (field);
      if (ADW_IS_COMBO_ROW (rows[i]))
        g_signal_connect_swapped (rows[i], "notify::selected", G_CALLBACK (tn_event_editor_field_changed_cb), field);
      else if (GTK_IS_SWITCH (rows[i]))
        g_signal_connect_swapped (rows[i], "notify::active", G_CALLBACK (tn_event_editor_field_changed_cb), field);
      else
        g_signal_connect_swapped (rows[i], "changed", G_CALLBACK (tn_event_editor_field_changed_cb), field);
    }

  g_signal_connect_swapped (self->starts_calendar, "day-selected",
                            G_CALLBACK (tn_event_editor_calendar_day_selected_cb), self);
  g_signal_connect_swapped (self->ends_calendar, "day-selected",
                            G_CALLBACK (tn_event_editor_calendar_day_selected_cb), self);
  g_signal_connect_swapped (self->starts_popover, "show", G_CALLBACK (tn_event_editor_popover_show_cb), self);
  g_signal_connect_swapped (self->ends_popover, "show", G_CALLBACK (tn_event_editor_popover_show_cb), self);

  self->categories = gtk_string_list_new (NULL);
  /* Translators: the category of an event that has none */
  gtk_string_list_append (self->categories, _("None"));
  for (guint i = 0; fallback_categories[i] != NULL; i++)
    gtk_string_list_append (self->categories, fallback_categories[i]);
  self->loading = TRUE;
  adw_combo_row_set_model (self->category_row, G_LIST_MODEL (self->categories));
  self->loading = FALSE;

  zone = g_time_zone_new_local ();
  now = g_date_time_new_now (zone);
  if (g_strcmp0 (g_time_zone_get_identifier (zone), g_date_time_get_timezone_abbreviation (now)) == 0)
    zone_text = g_strdup (g_time_zone_get_identifier (zone));
  else
    zone_text = g_strdup_printf ("%s, %s", g_time_zone_get_identifier (zone),
                                 g_date_time_get_timezone_abbreviation (now));
  {
    /* Translators: %s is the time zone, such as "Europe/Berlin, CET" */
    g_autofree char *description = g_strdup_printf (_("As 2026-11-22 18:00, in your time zone (%s)"), zone_text);

    adw_preferences_group_set_description (self->when_group, description);
  }

  /* captured before the description's text view takes Ctrl+Return */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
    gtk_shortcut_new (gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Return, GDK_CONTROL_MASK),
                                                   gtk_keyval_trigger_new (GDK_KEY_KP_Enter, GDK_CONTROL_MASK)),
                      gtk_named_action_new ("editor.save")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
}

/* --- public API ------------------------------------------------------------ */

static TnEventEditor *
editor_new (GtkWindow   *parent,
            TnEventSync *sync)
{
  TnEventEditor *self = g_object_new (TN_TYPE_EVENT_EDITOR,
                                      "transient-for", parent,
                                      NULL);

  self->sync = g_object_ref (sync);
  return self;
}

/**
 * tn_event_editor_new_create:
 * @parent: (nullable): the window it is modal to
 * @sync: the organizer's sync engine
 *
 * Returns: (transfer none): a new editor for a new event, starting
 *   tomorrow at 18:00 for two hours
 */
TnEventEditor *
tn_event_editor_new_create (GtkWindow   *parent,
                            TnEventSync *sync)
{
  TnEventEditor *self;
  g_autoptr(TnEvent) event = tn_event_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
  g_autoptr(GDateTime) starts = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TN_IS_EVENT_SYNC (sync), NULL);

  self = editor_new (parent, sync);
  starts = g_date_time_new_local (g_date_time_get_year (tomorrow), g_date_time_get_month (tomorrow),
                                  g_date_time_get_day_of_month (tomorrow), 18, 0, 0);
  tn_event_set_starts_at (event, g_date_time_to_unix (starts));
  tn_event_set_ends_at (event, g_date_time_to_unix (starts) + 2 * 3600);
  /* Translators: the title of the editor of a new event */
  adw_window_title_set_title (self->window_title, _("New Event"));
  gtk_window_set_title (GTK_WINDOW (self), _("New Event"));
  load (self, event);
  return self;
}

/**
 * tn_event_editor_new_edit:
 * @parent: (nullable): the window it is modal to
 * @sync: the organizer's sync engine
 * @event: the event to change (not changed itself)
 *
 * Returns: (transfer none): a new editor for @event
 */
TnEventEditor *
tn_event_editor_new_edit (GtkWindow   *parent,
                          TnEventSync *sync,
                          TnEvent     *event)
{
  TnEventEditor *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TN_IS_EVENT_SYNC (sync), NULL);
  g_return_val_if_fail (TN_IS_EVENT (event), NULL);

  self = editor_new (parent, sync);
  self->original = tn_event_copy (event);
  /* Translators: the title of the editor of an existing event */
  adw_window_title_set_title (self->window_title, _("Edit Event"));
  adw_window_title_set_subtitle (self->window_title, tn_event_get_title (event));
  gtk_window_set_title (GTK_WINDOW (self), _("Edit Event"));
  load (self, event);
  return self;
}

/**
 * tn_event_editor_set_categories:
 * @self: a #TnEventEditor
 * @names: (array zero-terminated=1): the category names, such as the
 *   server's list from tn_client_list_categories_async()
 *
 * Replaces the fallback list; the event's own category stays choosable.
 */
void
tn_event_editor_set_categories (TnEventEditor      *self,
                                const char * const *names)
{
  g_autofree char *current = NULL;
  guint selected;

  g_return_if_fail (TN_IS_EVENT_EDITOR (self));
  g_return_if_fail (names != NULL);

  selected = adw_combo_row_get_selected (self->category_row);
  if (selected != 0 && selected != GTK_INVALID_LIST_POSITION)
    current = g_strdup (gtk_string_list_get_string (self->categories, selected));

  self->loading = TRUE;
  gtk_string_list_splice (self->categories, 1,
                          g_list_model_get_n_items (G_LIST_MODEL (self->categories)) - 1, names);
  select_category (self, current);
  self->loading = FALSE;
  /* the selection moved with the list, not by the organizer */
  g_free (self->baseline);
  self->baseline = snapshot (self);
  validate (self);
}

/**
 * tn_event_editor_get_event:
 * @self: a #TnEventEditor
 *
 * Returns: (transfer full): the event as the form says now, valid or not
 */
TnEvent *
tn_event_editor_get_event (TnEventEditor *self)
{
  g_autoptr(JsonObject) details = json_object_new ();

  g_return_val_if_fail (TN_IS_EVENT_EDITOR (self), NULL);
  return build_event (self, details);
}

gboolean
tn_event_editor_get_valid (TnEventEditor *self)
{
  g_return_val_if_fail (TN_IS_EVENT_EDITOR (self), FALSE);
  return self->valid;
}

/**
 * tn_event_editor_get_dirty:
 * @self: a #TnEventEditor
 *
 * Returns: whether the form differs from what it loaded
 */
gboolean
tn_event_editor_get_dirty (TnEventEditor *self)
{
  g_autofree char *now = NULL;

  g_return_val_if_fail (TN_IS_EVENT_EDITOR (self), FALSE);
  now = snapshot (self);
  return g_strcmp0 (now, self->baseline) != 0;
}

/**
 * tn_event_editor_save:
 * @self: a #TnEventEditor
 *
 * What Save does: stores the event through the sync engine, emits
 * ::saved and closes; or shows why it cannot, under the fields and at
 * the top, and stays open.
 *
 * Returns: whether it was saved
 */
gboolean
tn_event_editor_save (TnEventEditor *self)
{
  g_autoptr(JsonObject) details = json_object_new ();
  g_autoptr(TnEvent) event = NULL;
  g_autoptr(TnEvent) saved = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (TN_IS_EVENT_EDITOR (self), FALSE);

  event = build_event (self, details);
  if (json_object_get_size (details) == 0 && tn_event_validate (event, details, NULL))
    {
      if (self->original == NULL)
        saved = tn_event_sync_create (self->sync, event, details, &error);
      else if (tn_event_sync_update (self->sync, event, details, &error))
        saved = tn_event_replica_get (tn_event_sync_get_replica (self->sync), tn_event_get_id (event));
    }
  else
    g_set_error_literal (&error, TN_ERROR, TN_ERROR_VALIDATION_FAILED, _("Some fields need attention."));

  if (saved == NULL)
    {
      g_autofree char *text = NULL;

      if (error == NULL)
        g_set_error_literal (&error, TN_ERROR, TN_ERROR_INTERNAL, _("The event is no longer here."));
      self->show_all = TRUE;
      show_details (self, details);
      text = g_strdup_printf (_("The event could not be saved: %s"), error->message);
      gtk_label_set_text (self->error_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return FALSE;
    }

  g_signal_emit (self, signals[SIGNAL_SAVED], 0, saved);
  self->closing = TRUE;
  gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}

GtkWidget *
_tn_event_editor_get_field (TnEventEditor *self,
                            const char    *field)
{
  g_return_val_if_fail (TN_IS_EVENT_EDITOR (self), NULL);
  for (guint i = 0; i < N_FIELDS; i++)
    if (g_str_equal (field_names[i], field))
      return self->fields[i].widget;
  g_return_val_if_reached (NULL);
}

const char *
_tn_event_editor_get_field_error (TnEventEditor *self,
                                  const char    *field)
{
  g_return_val_if_fail (TN_IS_EVENT_EDITOR (self), NULL);
  for (guint i = 0; i < N_FIELDS; i++)
    if (g_str_equal (field_names[i], field))
      return gtk_widget_get_visible (self->fields[i].error_box)
        ? gtk_label_get_text (self->fields[i].error_label) : NULL;
  g_return_val_if_reached (NULL);
}

GtkWidget *
_tn_event_editor_get_save_button (TnEventEditor *self)
{
  g_return_val_if_fail (TN_IS_EVENT_EDITOR (self), NULL);
  return self->save_button;
}

const char *
_tn_event_editor_get_error (TnEventEditor *self)
{
  g_return_val_if_fail (TN_IS_EVENT_EDITOR (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label)) ? gtk_label_get_text (self->error_label) : NULL;
}
