/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tn-application.h"
#include "tn-window.h"

struct _TnApplication
{
  AdwApplication  parent_instance;

  TnTokenStore   *token_store;
};

G_DEFINE_FINAL_TYPE (TnApplication, tn_application, ADW_TYPE_APPLICATION)

static void
tn_application_quit_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  TnApplication *self = TN_APPLICATION (user_data);
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Closing the windows first lets each save its size. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
  g_application_quit (G_APPLICATION (self));
}

static void
tn_application_about_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  TnApplication *self = TN_APPLICATION (user_data);
  static const char *developers[] = { "The Turnout developers", NULL };

  adw_show_about_window (gtk_application_get_active_window (GTK_APPLICATION (self)),
                         "application-name", _("Turnout"),
                         "application-icon", APPLICATION_ID,
                         /* Translators: who made the app, in the About window */
                         "developer-name", _("The Turnout developers"),
                         "version", PACKAGE_VERSION,
                         "comments", _("Organize events, follow RSVPs and check in guests."),
                         "developers", developers,
                         "copyright", "© 2026 The Turnout developers",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         /* Translators: put your names here, one per line */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

/* The keyboard shortcuts window, built the first time it is asked for:
 * GTK would build it from gtk/help-overlay.ui for every window it adds,
 * before that window's first frame (about 9 ms of a cold start). */
static void
tn_application_show_help_overlay_action (GSimpleAction *action,
                                         GVariant      *parameter,
                                         gpointer       user_data)
{
  GtkApplicationWindow *window = GTK_APPLICATION_WINDOW (user_data);
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (window);

  if (overlay == NULL)
    {
      g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/org/turnout/Turnout/gtk/tn-help-overlay.ui");

      overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      /* makes it transient for the window and hidden, not destroyed, on close */
      gtk_application_window_set_help_overlay (window, overlay);
    }
  gtk_window_present (GTK_WINDOW (overlay));
}

static const GActionEntry app_entries[] = {
  { "quit", tn_application_quit_action },
  { "about", tn_application_about_action },
};

static void
tn_application_startup (GApplication *application)
{
  TnApplication *self = TN_APPLICATION (application);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *refresh_accels[] = { "<Control>r", "F5", NULL };
  static const char *search_accels[] = { "<Control>f", NULL };
  static const char *new_event_accels[] = { "<Control>n", NULL };
  static const char *edit_event_accels[] = { "<Control>e", NULL };
  static const char *dashboard_accels[] = { "<Control>d", NULL };
  static const char *attendees_accels[] = { "<Control><Shift>a", NULL };
  static const char *help_overlay_accels[] = { "<Control>question", NULL };

  G_APPLICATION_CLASS (tn_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_entries, G_N_ELEMENTS (app_entries), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.refresh", refresh_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.search", search_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.new-event", new_event_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.edit-event", edit_event_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.open-dashboard", dashboard_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.attendees", attendees_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay", help_overlay_accels);

  gtk_window_set_default_icon_name (APPLICATION_ID);
}

static void
tn_application_activate (GApplication *application)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL)
    window = GTK_WINDOW (tn_window_new (TN_APPLICATION (application)));
  gtk_window_present (window);
}

static void
tn_application_window_added (GtkApplication *application,
                             GtkWindow      *window)
{
  const GActionEntry entries[] = {
    { "show-help-overlay", tn_application_show_help_overlay_action },
  };

  GTK_APPLICATION_CLASS (tn_application_parent_class)->window_added (application, window);

  if (GTK_IS_APPLICATION_WINDOW (window) &&
      g_action_map_lookup_action (G_ACTION_MAP (window), "show-help-overlay") == NULL)
    g_action_map_add_action_entries (G_ACTION_MAP (window), entries, G_N_ELEMENTS (entries), window);
}

static void
tn_application_dispose (GObject *object)
{
  TnApplication *self = TN_APPLICATION (object);

  g_clear_object (&self->token_store);

  G_OBJECT_CLASS (tn_application_parent_class)->dispose (object);
}

/* After the command line is read, before anything is shown: --version
 * needs no display and no settings; without its GSettings schema the app
 * would abort at its first setting, so it says what is missing instead. */
static int
tn_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  GSettingsSchemaSource *source;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("turnout %s\n", PACKAGE_VERSION);
      return 0;
    }
  source = g_settings_schema_source_get_default ();
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL)
    {
      g_printerr (_("The settings schema %s is not installed. Install Turnout, or point GSETTINGS_SCHEMA_DIR at the folder that holds its compiled schema.\n"),
                  APPLICATION_ID);
      return 1;
    }
  return G_APPLICATION_CLASS (tn_application_parent_class)->handle_local_options (application, options);
}

static void
tn_application_class_init (TnApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);
  GtkApplicationClass *gtk_application_class = GTK_APPLICATION_CLASS (klass);

  object_class->dispose = tn_application_dispose;
  application_class->startup = tn_application_startup;
  application_class->handle_local_options = tn_application_handle_local_options;
  application_class->activate = tn_application_activate;
  gtk_application_class->window_added = tn_application_window_added;
}

static const GOptionEntry option_entries[] = {
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and quit"), NULL },
  { NULL }
};

static void
tn_application_init (TnApplication *self)
{
  self->token_store = tn_token_store_new ();
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Organize events, follow RSVPs and check in guests."));
}

/**
 * tn_application_new:
 *
 * Returns: (transfer full): the desktop app
 */
TnApplication *
tn_application_new (void)
{
  return g_object_new (TN_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/org/turnout/Turnout",
                       NULL);
}

/**
 * tn_application_get_token_store:
 * @self: a #TnApplication
 *
 * Returns: (transfer none): where the windows keep sign-in tokens
 */
TnTokenStore *
tn_application_get_token_store (TnApplication *self)
{
  g_return_val_if_fail (TN_IS_APPLICATION (self), NULL);
  return self->token_store;
}
