/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tn-conflict-dialog.h"
#include "tn-conflict-dialog-private.h"
#include "tn-format.h"

/* A stale edit (409): the organizer's version and the server's, side by
 * side, the fields that differ only, and a choice. Nothing is sent or
 * dropped until the organizer chooses; closing leaves the edit set aside
 * (the sync engine keeps it conflicted) to decide later. */

typedef struct
{
  const char *name;
  const char *members[2];   /* the JSON members compared */
} Compared;

static const Compared compared[] = {
  { "title",       { "title", NULL } },
  { "description", { "description", NULL } },
  { "starts_at",   { "starts_at", NULL } },
  { "ends_at",     { "ends_at", NULL } },
  { "location",    { "location", NULL } },
  { "coordinates", { "lat", "lon" } },
  { "capacity",    { "capacity", NULL } },
  { "waitlist",    { "waitlist", NULL } },
  { "category",    { "category", NULL } },
  { "tags",        { "tags", NULL } },
  { "visibility",  { "visibility", NULL } },
  { "price",       { "price", NULL } },
  { "currency",    { "currency", NULL } },
  { "status",      { "status", NULL } },
};

struct _TnConflictDialog
{
  AdwWindow       parent_instance;

  TnEventSync    *sync;
  char           *event_id;
  TnEvent        *local;
  TnEvent        *server;
  GStrv           differences;
  GHashTable     *mine_labels;     /* field → GtkLabel */
  GHashTable     *server_labels;

  AdwWindowTitle *window_title;
  GtkGrid        *grid;
  GtkLabel       *mine_info;
  GtkLabel       *server_info;
  GtkLabel       *error_label;
};

enum {
  SIGNAL_RESOLVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TnConflictDialog, tn_conflict_dialog, ADW_TYPE_WINDOW)

static const char *
field_label (const char *name)
{
  if (g_str_equal (name, "title"))       return _("Title");
  if (g_str_equal (name, "description")) return _("Description");
  if (g_str_equal (name, "starts_at"))   return _("Starts");
  if (g_str_equal (name, "ends_at"))     return _("Ends");
  if (g_str_equal (name, "location"))    return _("Location");
  if (g_str_equal (name, "coordinates")) return _("Coordinates");
  if (g_str_equal (name, "capacity"))    return _("Capacity");
  if (g_str_equal (name, "waitlist"))    return _("Waitlist");
  if (g_str_equal (name, "category"))    return _("Category");
  if (g_str_equal (name, "tags"))        return _("Tags");
  if (g_str_equal (name, "visibility"))  return _("Visibility");
  if (g_str_equal (name, "price"))       return _("Price");
  if (g_str_equal (name, "currency"))    return _("Currency");
  if (g_str_equal (name, "status"))      return _("Status");
  return name;
}

static char *
format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_time);

  return time != NULL ? g_date_time_format (time, "%Y-%m-%d %H:%M %Z") : g_strdup ("");
}

static char *
or_none (const char *text)
{
  /* Translators: a field of an event that is empty */
  return g_strdup (text != NULL && text[0] != '\0' ? text : _("(none)"));
}

/* How @field of @event reads in the dialog. */
static char *
format_value (TnEvent    *event,
              const char *field)
{
  if (g_str_equal (field, "title"))
    return or_none (tn_event_get_title (event));
  if (g_str_equal (field, "description"))
    return or_none (tn_event_get_description (event));
  if (g_str_equal (field, "starts_at"))
    return format_time (tn_event_get_starts_at (event));
  if (g_str_equal (field, "ends_at"))
    return format_time (tn_event_get_ends_at (event));
  if (g_str_equal (field, "location"))
    return or_none (tn_event_get_location (event));
  if (g_str_equal (field, "coordinates"))
    {
      double lat, lon;

      if (!tn_event_get_coordinates (event, &lat, &lon))
        return or_none (NULL);
      return g_strdup_printf ("%.6g, %.6g", lat, lon);
    }
  if (g_str_equal (field, "capacity"))
    return tn_format_capacity (tn_event_get_capacity (event));
  if (g_str_equal (field, "waitlist"))
    return g_strdup (tn_event_get_waitlist (event) ? _("On") : _("Off"));
  if (g_str_equal (field, "category"))
    return or_none (tn_event_get_category (event));
  if (g_str_equal (field, "tags"))
    {
      g_autofree char *tags = g_strjoinv (", ", (char **) tn_event_get_tags (event));

      return or_none (tags);
    }
  if (g_str_equal (field, "visibility"))
    switch (tn_event_get_visibility (event))
      {
      case TN_VISIBILITY_UNLISTED: return g_strdup (_("Unlisted"));
      case TN_VISIBILITY_PRIVATE:  return g_strdup (_("Private"));
      case TN_VISIBILITY_PUBLIC:
      default:                     return g_strdup (_("Public"));
      }
  if (g_str_equal (field, "price"))
    {
      double price;
      gboolean has_price = tn_event_get_price (event, &price);

      return tn_format_price (has_price, price, tn_event_get_currency (event));
    }
  if (g_str_equal (field, "currency"))
    return or_none (tn_event_get_currency (event));
  if (g_str_equal (field, "status"))
    return g_strdup (tn_event_get_status (event) == TN_EVENT_STATUS_CANCELLED ? _("Cancelled") : _("Scheduled"));
  g_assert_not_reached ();
}

static GtkWidget *
value_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_yalign (GTK_LABEL (label), 0.0);
  gtk_widget_set_hexpand (label, TRUE);
  return label;
}

static void
fill (TnConflictDialog *self)
{
  g_autofree char *server_when = format_time (tn_event_get_updated_at (self->server));
  g_autofree char *mine = NULL;
  g_autofree char *theirs = NULL;

  /* Translators: %ld is the version of the event the organizer edited */
  mine = g_strdup_printf (_("Edited here on version %ld, not sent yet"),
                          (long) tn_event_get_version (self->local));
  /* Translators: %ld is a version number, %s a date and time */
  theirs = g_strdup_printf (_("Version %ld, changed %s"),
                            (long) tn_event_get_version (self->server), server_when);
  gtk_label_set_text (self->mine_info, mine);
  gtk_label_set_text (self->server_info, theirs);
  adw_window_title_set_subtitle (self->window_title, tn_event_get_title (self->server));

  for (guint i = 0; self->differences[i] != NULL; i++)
    {
      const char *field = self->differences[i];
      g_autofree char *mine_text = format_value (self->local, field);
      g_autofree char *server_text = format_value (self->server, field);
      GtkWidget *name = gtk_label_new (field_label (field));
      GtkWidget *mine_label = value_label (mine_text);
      GtkWidget *server_label = value_label (server_text);
      int row = (int) i + 2;

      gtk_label_set_xalign (GTK_LABEL (name), 0.0);
      gtk_label_set_yalign (GTK_LABEL (name), 0.0);
      gtk_widget_add_css_class (name, "dim-label");
      gtk_grid_attach (self->grid, name, 0, row, 1, 1);
      gtk_grid_attach (self->grid, mine_label, 1, row, 1, 1);
      gtk_grid_attach (self->grid, server_label, 2, row, 1, 1);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (mine_label),
                                      GTK_ACCESSIBLE_RELATION_LABELLED_BY, name, NULL, -1);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (server_label),
                                      GTK_ACCESSIBLE_RELATION_LABELLED_BY, name, NULL, -1);
      g_hash_table_insert (self->mine_labels, (gpointer) field, mine_label);
      g_hash_table_insert (self->server_labels, (gpointer) field, server_label);
    }
}

static void
tn_conflict_dialog_keep_mine_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  tn_conflict_dialog_resolve (TN_CONFLICT_DIALOG (widget), TN_EVENT_SYNC_KEEP_MINE);
}

static void
tn_conflict_dialog_keep_theirs_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter)
{
  tn_conflict_dialog_resolve (TN_CONFLICT_DIALOG (widget), TN_EVENT_SYNC_KEEP_THEIRS);
}

static void
tn_conflict_dialog_dispose (GObject *object)
{
  TnConflictDialog *self = (TnConflictDialog *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), TN_TYPE_CONFLICT_DIALOG);
  g_clear_object (&self->sync);
  g_clear_object (&self->local);
  g_clear_object (&self->server);
  g_clear_pointer (&self->mine_labels, g_hash_table_unref);
  g_clear_pointer (&self->server_labels, g_hash_table_unref);

  G_OBJECT_CLASS (tn_conflict_dialog_parent_class)->dispose (object);
}

static void
tn_conflict_dialog_finalize (GObject *object)
{
  TnConflictDialog *self = (TnConflictDialog *) object;

  g_free (self->event_id);
  g_strfreev (self->differences);

  G_OBJECT_CLASS (tn_conflict_dialog_parent_class)->finalize (object);
}

static void
tn_conflict_dialog_class_init (TnConflictDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tn_conflict_dialog_dispose;
  object_class->finalize = tn_conflict_dialog_finalize;

  /**
   * TnConflictDialog::resolved:
   * @choice: the #TnEventSyncChoice made
   *
   * The choice is stored; the dialog closes.
   */
  signals[SIGNAL_RESOLVED] =
    g_signal_new ("resolved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/turnout/Turnout/tn-conflict-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TnConflictDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, TnConflictDialog, grid);
  gtk_widget_class_bind_template_child (widget_class, TnConflictDialog, mine_info);
  gtk_widget_class_bind_template_child (widget_class, TnConflictDialog, server_info);
  gtk_widget_class_bind_template_child (widget_class, TnConflictDialog, error_label);

  gtk_widget_class_install_action (widget_class, "conflict.keep-mine", NULL, tn_conflict_dialog_keep_mine_action);
  gtk_widget_class_install_action (widget_class, "conflict.keep-theirs", NULL, tn_conflict_dialog_keep_theirs_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tn_conflict_dialog_init (TnConflictDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->mine_labels = g_hash_table_new (g_str_hash, g_str_equal);
  self->server_labels = g_hash_table_new (g_str_hash, g_str_equal);
}

/**
 * tn_conflict_dialog_list_differences:
 * @local: the organizer's version
 * @server: the server's version
 *
 * Returns: (transfer full): the fields in which they differ, by name
 *   ("title", "starts_at", "coordinates" for lat and lon, …), in the
 *   order of the editor
 */
char **
tn_conflict_dialog_list_differences (TnEvent *local,
                                     TnEvent *server)
{
  g_autoptr(JsonNode) mine_node = NULL;
  g_autoptr(JsonNode) server_node = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonObject *mine, *theirs;

  g_return_val_if_fail (TN_IS_EVENT (local), NULL);
  g_return_val_if_fail (TN_IS_EVENT (server), NULL);

  mine_node = tn_event_to_json (local, TN_EVENT_JSON_STORED);
  server_node = tn_event_to_json (server, TN_EVENT_JSON_STORED);
  mine = json_node_get_object (mine_node);
  theirs = json_node_get_object (server_node);
  for (guint i = 0; i < G_N_ELEMENTS (compared); i++)
    for (guint m = 0; m < G_N_ELEMENTS (compared[i].members) && compared[i].members[m] != NULL; m++)
      {
        JsonNode *a = json_object_get_member (mine, compared[i].members[m]);
        JsonNode *b = json_object_get_member (theirs, compared[i].members[m]);

        if (!json_node_equal (a, b))
          {
            g_strv_builder_add (builder, compared[i].name);
            break;
          }
      }
  return g_strv_builder_end (builder);
}

/**
 * tn_conflict_dialog_new:
 * @parent: (nullable): the window it is modal to
 * @sync: the engine that reported the conflict
 * @event_id: the event
 * @local: the organizer's version, as TnEventSync::conflict gives it
 * @server: the server's version
 *
 * Returns: (transfer none): a new dialog; present it
 */
TnConflictDialog *
tn_conflict_dialog_new (GtkWindow   *parent,
                        TnEventSync *sync,
                        const char  *event_id,
                        TnEvent     *local,
                        TnEvent     *server)
{
  TnConflictDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TN_IS_EVENT_SYNC (sync), NULL);
  g_return_val_if_fail (event_id != NULL, NULL);
  g_return_val_if_fail (TN_IS_EVENT (local), NULL);
  g_return_val_if_fail (TN_IS_EVENT (server), NULL);

  self = g_object_new (TN_TYPE_CONFLICT_DIALOG, "transient-for", parent, NULL);
  self->sync = g_object_ref (sync);
  self->event_id = g_strdup (event_id);
  self->local = g_object_ref (local);
  self->server = g_object_ref (server);
  self->differences = tn_conflict_dialog_list_differences (local, server);
  fill (self);
  return self;
}

const char * const *
tn_conflict_dialog_get_differences (TnConflictDialog *self)
{
  g_return_val_if_fail (TN_IS_CONFLICT_DIALOG (self), NULL);
  return (const char * const *) self->differences;
}

/**
 * tn_conflict_dialog_resolve:
 * @self: a #TnConflictDialog
 * @choice: what the organizer chose
 *
 * What the buttons do: tn_event_sync_resolve(), then ::resolved and
 * close; or the error shown in the dialog, which stays.
 *
 * Returns: whether the choice was stored
 */
gboolean
tn_conflict_dialog_resolve (TnConflictDialog  *self,
                            TnEventSyncChoice  choice)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (TN_IS_CONFLICT_DIALOG (self), FALSE);

  if (!tn_event_sync_resolve (self->sync, self->event_id, choice, &error))
    {
      g_autofree char *text = g_strdup_printf (_("The choice could not be stored: %s"), error->message);

      gtk_label_set_text (self->error_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return FALSE;
    }
  g_signal_emit (self, signals[SIGNAL_RESOLVED], 0, (int) choice);
  gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}

const char *
_tn_conflict_dialog_get_value (TnConflictDialog *self,
                               const char       *field,
                               gboolean          mine)
{
  GtkLabel *label;

  g_return_val_if_fail (TN_IS_CONFLICT_DIALOG (self), NULL);
  label = g_hash_table_lookup (mine ? self->mine_labels : self->server_labels, field);
  return label != NULL ? gtk_label_get_text (label) : NULL;
}

const char *
_tn_conflict_dialog_get_error (TnConflictDialog *self)
{
  g_return_val_if_fail (TN_IS_CONFLICT_DIALOG (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label)) ? gtk_label_get_text (self->error_label) : NULL;
}
