/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tn-attendees-window.h"
#include "tn-client.h"
#include "tn-conflict-dialog.h"
#include "tn-dashboard.h"
#include "tn-devices-page.h"
#include "tn-error.h"
#include "tn-event-detail.h"
#include "tn-event-editor.h"
#include "tn-event-replica.h"
#include "tn-event-row.h"
#include "tn-event-sync.h"
#include "tn-format.h"
#include "tn-json.h"
#include "tn-sign-in-page.h"
#include "tn-time.h"
#include "tn-token-store.h"
#include "tn-window.h"
#include "tn-window-private.h"

struct _TnWindow
{
  AdwApplicationWindow  parent_instance;

  /* template */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  GtkSpinner           *loading_spinner;
  GtkBox               *sign_in_box;
  TnSignInPage         *sign_in_page;   /* built when first needed */
  AdwStatusPage        *unreachable_page;
  GtkLabel             *unreachable_detail;
  AdwLeaflet           *leaflet;
  AdwWindowTitle       *list_title;
  GtkStack             *list_stack;
  GtkSpinner           *list_spinner;
  GtkListBox           *events_list;
  TnEventDetail        *event_detail;
  GtkRevealer          *offline_revealer;
  GtkLabel             *offline_label;
  GtkRevealer          *decision_revealer;
  GtkLabel             *decision_label;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkToggleButton      *past_button;
  GtkDropDown          *category_dropdown;
  GtkDropDown          *span_dropdown;
  GtkDropDown          *tag_dropdown;
  GtkStringList        *categories;   /* "All categories", then those in the replica */
  GtkStringList        *tags;         /* "All tags", then those in the replica */
  GStrv                 server_categories;   /* GET /categories, once per session */
  gboolean              choices_stale;       /* the replica changed since the filters' choices */

  GSettings            *settings;
  TnTokenStore         *token_store;

  /* the session: a client with a token, and whose token it is */
  TnClient             *client;
  TnUser               *user;
  char                 *email;
  GCancellable         *session_cancellable;

  /* the account's copy of its events, and what keeps it in step */
  TnEventReplica       *replica;
  TnEventSync          *sync;
  gboolean              first_sync;   /* the session waits for its first pull */

  /* the list of events */
  GListStore           *events;
  gboolean              focus_list;

  /* requests under way, whatever their kind */
  guint                 n_pending;
};

enum {
  PROP_0,
  PROP_TOKEN_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TnWindow, tn_window, ADW_TYPE_APPLICATION_WINDOW)

static void tn_window_load_events (TnWindow *self);
static void tn_window_close_replica (TnWindow *self);
static void tn_window_load_categories  (TnWindow   *self);
static void tn_window_sync_conflict_cb (TnWindow   *self,
                                        const char *event_id,
                                        TnEvent    *local,
                                        TnEvent    *server);
static void tn_window_sync_rejected_cb (TnWindow   *self,
                                        const char *event_id,
                                        const char *reason);
static void tn_window_sync_gone_cb     (TnWindow   *self,
                                        const char *event_id);

/* --- helpers ------------------------------------------------------------- */

static void
tn_window_begin_request (TnWindow *self)
{
  self->n_pending++;
}

static void
tn_window_end_request (TnWindow *self)
{
  g_assert (self->n_pending > 0);
  self->n_pending--;
}

static GCancellable *
renew_cancellable (GCancellable **cancellable)
{
  if (*cancellable != NULL)
    g_cancellable_cancel (*cancellable);
  g_clear_object (cancellable);
  *cancellable = g_cancellable_new ();
  return *cancellable;
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Turns an error of the API client into a sentence for people. */
static char *
describe_error (const GError *error,
                const char   *url)
{
  if (error->domain == TN_ERROR)
    {
      switch ((TnError) error->code)
        {
        case TN_ERROR_UNAUTHORIZED:
          return g_strdup (_("The e-mail address or the password is not right."));
        case TN_ERROR_NETWORK:
          return g_strdup_printf (_("Could not reach the server at %s. Check the address and your network connection."),
                                  url);
        case TN_ERROR_RATE_LIMITED:
          return g_strdup (_("Too many attempts. Wait a minute, then try again."));
        case TN_ERROR_FORBIDDEN:
          return g_strdup (_("This account is not allowed to do that."));
        case TN_ERROR_INTERNAL:
          return g_strdup (_("The server ran into a problem. Try again later."));
        case TN_ERROR_BAD_REQUEST:
        case TN_ERROR_VALIDATION_FAILED:
        case TN_ERROR_NOT_FOUND:
        case TN_ERROR_CONFLICT:
        case TN_ERROR_CAPACITY_FULL:
        case TN_ERROR_PAYLOAD_TOO_LARGE:
        case TN_ERROR_PRECONDITION_REQUIRED:
        case TN_ERROR_DEVICE_REVOKED:
        default:
          break;
        }
    }

  /* Translators: %s is the server's own explanation, in English */
  return g_strdup_printf (_("The server did not accept the request: %s"), error->message);
}

static void
tn_window_toast (TnWindow   *self,
                 const char *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
tn_window_set_action_enabled (TnWindow   *self,
                              const char *name,
                              gboolean    enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

static void
tn_window_show_page (TnWindow   *self,
                     const char *name)
{
  gboolean loading = g_str_equal (name, "loading");
  gboolean signed_in = g_str_equal (name, "events");

  gtk_spinner_set_spinning (self->loading_spinner, loading);
  tn_window_set_action_enabled (self, "refresh", signed_in);
  tn_window_set_action_enabled (self, "attendees", signed_in);
  tn_window_set_action_enabled (self, "search", signed_in);
  tn_window_set_action_enabled (self, "new-event", signed_in);
  tn_window_set_action_enabled (self, "sign-out", self->client != NULL);
  tn_window_set_action_enabled (self, "reconnect", g_str_equal (name, "unreachable"));
  /* Pages start hidden, unstyled and unmeasured, until first shown. */
  gtk_widget_set_visible (gtk_stack_get_child_by_name (self->stack, name), TRUE);
  /* Out of "loading" at once: at start it was never drawn, and a crossfade
   * starts at 0, which leaves the list out of its first frame altogether. */
  gtk_stack_set_visible_child_full (self->stack, name,
                                    g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "loading") == 0
                                      ? GTK_STACK_TRANSITION_TYPE_NONE
                                      : gtk_stack_get_transition_type (self->stack));
}

static void tn_window_sign_in_page_sign_in_cb (TnWindow     *self,
                                               TnSignInPage *page);

/* The sign-in form is built the first time it is needed: a saved sign-in
 * goes straight to the list, and the form cost its first frame 5 ms. */
static TnSignInPage *
tn_window_ensure_sign_in_page (TnWindow *self)
{
  g_autofree char *url = NULL;
  g_autofree char *email = NULL;

  if (self->sign_in_page != NULL)
    return self->sign_in_page;

  url = g_settings_get_string (self->settings, "server-url");
  email = g_settings_get_string (self->settings, "account-email");
  self->sign_in_page = TN_SIGN_IN_PAGE (tn_sign_in_page_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->sign_in_page), TRUE);
  tn_sign_in_page_set_server_url (self->sign_in_page, url);
  tn_sign_in_page_set_email (self->sign_in_page, email);
  g_signal_connect_object (self->sign_in_page, "sign-in",
                           G_CALLBACK (tn_window_sign_in_page_sign_in_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (self->sign_in_box, GTK_WIDGET (self->sign_in_page));
  return self->sign_in_page;
}

static void
tn_window_show_sign_in (TnWindow   *self,
                        const char *error_message)
{
  TnSignInPage *page = tn_window_ensure_sign_in_page (self);

  tn_sign_in_page_set_busy (page, FALSE);
  tn_sign_in_page_set_error (page, error_message);
  tn_window_show_page (self, "sign-in");
  tn_sign_in_page_focus (page);
}

static void
tn_window_show_unreachable (TnWindow     *self,
                            const GError *error)
{
  g_autofree char *message = describe_error (error, tn_client_get_base_url (self->client));

  adw_status_page_set_title (self->unreachable_page,
                             g_error_matches (error, TN_ERROR, TN_ERROR_NETWORK)
                               ? _("Cannot Reach the Server")
                               /* Translators: the heading when the server answers with an error */
                               : _("The Server Cannot Be Used Right Now"));
  adw_status_page_set_description (self->unreachable_page, message);
  gtk_label_set_text (self->unreachable_detail, error->message);
  tn_window_show_page (self, "unreachable");
}

/* Forgets the session in this window (not the saved token). */
static void
tn_window_drop_session (TnWindow *self)
{
  g_cancellable_cancel (self->session_cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->user);
  g_clear_pointer (&self->email, g_free);
  self->focus_list = FALSE;
  g_list_store_remove_all (self->events);
  tn_event_detail_set_event (self->event_detail, NULL);
  tn_window_close_replica (self);
  if (self->offline_revealer != NULL)
    gtk_revealer_set_reveal_child (self->offline_revealer, FALSE);
}

/* Keeps the application running until a sign-out is done, even when the
 * last window closes right after. Returns a reference, or %NULL if the
 * window has no application. */
static GApplication *
tn_window_hold_application (TnWindow *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

  if (application == NULL)
    return NULL;
  g_application_hold (G_APPLICATION (application));
  return G_APPLICATION (g_object_ref (application));
}

static void
tn_window_token_cleared_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GApplication) application = user_data;
  g_autoptr(GError) error = NULL;

  if (!tn_token_store_clear_finish (TN_TOKEN_STORE (source), result, &error))
    g_message ("Could not forget the saved sign-in: %s", error->message);
  if (application != NULL)
    g_application_release (application);
}

static void
tn_window_forget_token (TnWindow *self)
{
  if (self->client == NULL || self->email == NULL)
    return;

  /* Quitting right after signing out must not leave the token behind. */
  tn_token_store_clear_async (self->token_store, tn_client_get_base_url (self->client), self->email, NULL,
                              tn_window_token_cleared_cb, tn_window_hold_application (self));
}

static void
tn_window_session_expired (TnWindow *self)
{
  tn_window_forget_token (self);
  tn_window_drop_session (self);
  tn_window_show_sign_in (self, _("Your session has ended. Sign in again."));
}

/* --- the list of events -------------------------------------------------- */

static GtkWidget *
tn_window_create_row (gpointer item,
                      gpointer user_data)
{
  return tn_event_row_new (TN_EVENT (item));
}

static gboolean
tn_window_find_event (TnWindow   *self,
                      const char *id,
                      guint      *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->events));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TnEvent) event = g_list_model_get_item (G_LIST_MODEL (self->events), i);

      if (g_strcmp0 (tn_event_get_id (event), id) == 0)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
tn_window_list_done (TnWindow  *self,
                     GPtrArray *items)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->events));
  TnEvent *selected = tn_event_detail_get_event (self->event_detail);
  g_autofree char *selected_id = selected != NULL ? g_strdup (tn_event_get_id (selected)) : NULL;
  guint position;

  g_list_store_splice (self->events, 0, n_items, items->pdata, items->len);
  if (selected_id != NULL && tn_window_find_event (self, selected_id, &position))
    gtk_list_box_select_row (self->events_list,
                             gtk_list_box_get_row_at_index (self->events_list, (int) position));

  gtk_stack_set_visible_child_name (self->list_stack,
                                    g_list_model_get_n_items (G_LIST_MODEL (self->events)) > 0 ? "list" : "empty");
  gtk_spinner_set_spinning (self->list_spinner, FALSE);

  /* Right after signing in, the keyboard starts in the list. */
  if (self->focus_list)
    {
      GtkListBoxRow *row = gtk_list_box_get_selected_row (self->events_list);

      if (row == NULL)
        row = gtk_list_box_get_row_at_index (self->events_list, 0);
      if (row != NULL)
        gtk_widget_grab_focus (GTK_WIDGET (row));
      self->focus_list = FALSE;
    }
}

/* Whether @items are the events listed, each in the same version. */
static gboolean
tn_window_same_events (TnWindow  *self,
                       GPtrArray *items)
{
  GListModel *shown = G_LIST_MODEL (self->events);

  if (g_list_model_get_n_items (shown) != items->len ||
      g_strcmp0 (gtk_stack_get_visible_child_name (self->list_stack), "loading") == 0)
    return FALSE;
  for (guint i = 0; i < items->len; i++)
    {
      g_autoptr(TnEvent) event = g_list_model_get_item (shown, i);
      TnEvent *item = g_ptr_array_index (items, i);

      g_autoptr(JsonNode) shown_json = NULL;
      g_autoptr(JsonNode) item_json = NULL;

      if (g_strcmp0 (tn_event_get_id (event), tn_event_get_id (item)) != 0 ||
          tn_event_get_version (event) != tn_event_get_version (item) ||
          tn_event_get_status (event) != tn_event_get_status (item))
        return FALSE;
      /* a change made here, or one discarded, keeps the version */
      shown_json = tn_event_to_json (event, TN_EVENT_JSON_STORED);
      item_json = tn_event_to_json (item, TN_EVENT_JSON_STORED);
      if (!json_node_equal (shown_json, item_json))
        return FALSE;
    }
  return TRUE;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

/* Sets a filter's choices after its first ("All …") to @names (sorted,
 * NULL-terminated), keeping the one chosen if it is still there. */
static void
tn_window_set_choices (GtkDropDown   *dropdown,
                       GtkStringList *choices,
                       GPtrArray     *names)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (choices));
  guint selected = gtk_drop_down_get_selected (dropdown);
  g_autofree char *chosen = NULL;

  if (names->len == n)   /* names ends with its NULL */
    {
      gboolean same = TRUE;

      for (guint i = 0; i + 1 < names->len && same; i++)
        same = g_strcmp0 (names->pdata[i], gtk_string_list_get_string (choices, i + 1)) == 0;
      if (same)
        return;
    }
  if (selected > 0 && selected < n)
    chosen = g_strdup (gtk_string_list_get_string (choices, selected));
  gtk_string_list_splice (choices, 1, n - 1, (const char * const *) names->pdata);
  for (guint i = 1; chosen != NULL && i < g_list_model_get_n_items (G_LIST_MODEL (choices)); i++)
    if (g_strcmp0 (gtk_string_list_get_string (choices, i), chosen) == 0)
      {
        gtk_drop_down_set_selected (dropdown, i);
        return;
      }
  gtk_drop_down_set_selected (dropdown, 0);
}

/* Keeps the category and tag filters' choices to those the replica's
 * events, upcoming and past, use. */
static void
tn_window_update_choices (TnWindow *self)
{
  g_autoptr(GPtrArray) upcoming = NULL;
  g_autoptr(GPtrArray) past = NULL;
  g_autoptr(GHashTable) seen_categories = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) seen_tags = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) categories = g_ptr_array_new ();
  g_autoptr(GPtrArray) tags = g_ptr_array_new ();

  upcoming = tn_event_replica_list (self->replica, FALSE, NULL, tn_time_now ());
  past = tn_event_replica_list (self->replica, TRUE, NULL, tn_time_now ());
  for (guint i = 0; i < upcoming->len + past->len; i++)
    {
      TnEvent *event = i < upcoming->len ? upcoming->pdata[i] : past->pdata[i - upcoming->len];
      const char *category = tn_event_get_category (event);
      const char * const *event_tags = tn_event_get_tags (event);

      if (category != NULL && category[0] != '\0' && g_hash_table_add (seen_categories, (gpointer) category))
        g_ptr_array_add (categories, (gpointer) category);
      for (guint j = 0; event_tags != NULL && event_tags[j] != NULL; j++)
        if (event_tags[j][0] != '\0' && g_hash_table_add (seen_tags, (gpointer) event_tags[j]))
          g_ptr_array_add (tags, (gpointer) event_tags[j]);
    }
  g_ptr_array_sort (categories, compare_names);
  g_ptr_array_add (categories, NULL);
  g_ptr_array_sort (tags, compare_names);
  g_ptr_array_add (tags, NULL);
  tn_window_set_choices (self->category_dropdown, self->categories, categories);
  tn_window_set_choices (self->tag_dropdown, self->tags, tags);
}

/* The choice of a filter, or NULL for its first ("All …"). */
static const char *
tn_window_chosen (GtkDropDown   *dropdown,
                  GtkStringList *choices)
{
  guint index = gtk_drop_down_get_selected (dropdown);

  if (index == 0 || index == GTK_INVALID_LIST_POSITION)
    return NULL;
  return gtk_string_list_get_string (choices, index);
}

static gboolean
has_tag (TnEvent    *event,
         const char *tag)
{
  const char * const *tags = tn_event_get_tags (event);

  return tags != NULL && g_strv_contains (tags, tag);
}

/* The replica's events as the filters above the list choose them:
 * upcoming or past, the words searched (title, place, category, tags),
 * a category, a tag, and how far from now. */
static GPtrArray *
tn_window_filtered_events (TnWindow *self)
{
  gboolean past = gtk_toggle_button_get_active (self->past_button);
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  guint span = gtk_drop_down_get_selected (self->span_dropdown);
  const char *category;
  const char *tag;
  gint64 now = tn_time_now ();
  gint64 limit = span == 1 ? 7 * 86400 : span == 2 ? 31 * 86400 : 0;
  GPtrArray *items;

  /* all the replica's events are read for these only when it changed */
  if (self->choices_stale)
    {
      tn_window_update_choices (self);
      self->choices_stale = FALSE;
    }
  category = tn_window_chosen (self->category_dropdown, self->categories);
  tag = tn_window_chosen (self->tag_dropdown, self->tags);

  items = tn_event_replica_list (self->replica, past, search[0] != '\0' ? search : NULL, now);
  for (guint i = items->len; i > 0; i--)
    {
      TnEvent *event = g_ptr_array_index (items, i - 1);
      gboolean keep = TRUE;

      if (category != NULL && g_strcmp0 (tn_event_get_category (event), category) != 0)
        keep = FALSE;
      if (tag != NULL && !has_tag (event, tag))
        keep = FALSE;
      if (limit > 0 && !past && tn_event_get_starts_at (event) > now + limit)
        keep = FALSE;
      if (limit > 0 && past && tn_event_get_ends_at (event) < now - limit)
        keep = FALSE;
      if (!keep)
        g_ptr_array_remove_index (items, i - 1);
    }
  return items;
}

static void tn_window_relist (TnWindow *self);

static void
tn_window_filters_changed_cb (TnWindow *self)
{
  gboolean past = gtk_toggle_button_get_active (self->past_button);

  adw_window_title_set_title (self->list_title, past ? _("Past Events") : _("Upcoming Events"));
  tn_window_relist (self);
}

/* The list comes from the replica: at once, offline too. */
static void
tn_window_relist (TnWindow *self)
{
  g_autoptr(GPtrArray) items = NULL;

  if (self->replica == NULL || self->first_sync)
    return;   /* keep the spinner until the first pull is over */
  items = tn_window_filtered_events (self);
  if (tn_window_same_events (self, items))
    return;   /* rows stay, and so do the selection and the focus */
  tn_window_list_done (self, items);
}

static void
tn_window_update_offline (TnWindow *self)
{
  g_autofree char *text = NULL;
  guint pending;

  if (self->offline_revealer == NULL)
    return;
  if (self->sync == NULL)
    {
      gtk_revealer_set_reveal_child (self->offline_revealer, FALSE);
      return;
    }
  pending = tn_event_sync_get_pending (self->sync);
  if (tn_event_sync_get_online (self->sync) || self->first_sync)
    {
      gtk_revealer_set_reveal_child (self->offline_revealer, FALSE);
      return;
    }
  if (pending > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Offline: %u change waits and is sent when the server is back.",
                                         "Offline: %u changes wait and are sent when the server is back.",
                                         pending), pending);
  else
    text = g_strdup (_("Offline: showing the events as last synced. Changes are kept and sent later."));
  gtk_label_set_text (self->offline_label, text);
  gtk_revealer_set_reveal_child (self->offline_revealer, TRUE);
}

static void tn_window_update_decisions (TnWindow *self);

static void
tn_window_sync_changed_cb (TnWindow *self)
{
  self->choices_stale = TRUE;
  tn_window_relist (self);
  tn_window_update_decisions (self);
  tn_window_update_offline (self);
}

static void
tn_window_sync_last_sync_cb (TnWindow *self)
{
  self->first_sync = FALSE;
  self->choices_stale = TRUE;
  tn_window_relist (self);
  tn_window_update_offline (self);
}

static void
tn_window_sync_online_cb (TnWindow *self)
{
  /* signed in offline: the server's categories come with the server */
  if (tn_event_sync_get_online (self->sync) && self->server_categories == NULL)
    tn_window_load_categories (self);

  /* A first sync that cannot happen shows what the copy has. */
  if (!tn_event_sync_get_online (self->sync) && self->first_sync)
    {
      self->first_sync = FALSE;
      tn_window_relist (self);
      if (g_list_model_get_n_items (G_LIST_MODEL (self->events)) == 0)
        {
          gtk_stack_set_visible_child_name (self->list_stack, "empty");
          gtk_spinner_set_spinning (self->list_spinner, FALSE);
        }
    }
  tn_window_update_offline (self);
}

/* Opens the account's replica (a file per server and account) and its
 * sync engine, not started yet. */
static gboolean
tn_window_open_replica (TnWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (self->replica != NULL)
    return TRUE;
  self->choices_stale = TRUE;
  self->replica = tn_event_replica_open (tn_client_get_base_url (self->client), self->email, &error);
  if (self->replica == NULL)
    {
      g_autofree char *message =
        /* Translators: %s says why */
        g_strdup_printf (_("This computer’s copy of the events cannot be opened: %s"), error->message);

      tn_window_toast (self, message);
      return FALSE;
    }
  self->sync = tn_event_sync_new (self->replica, self->client);
  g_signal_connect_swapped (self->sync, "changed", G_CALLBACK (tn_window_sync_changed_cb), self);
  g_signal_connect_swapped (self->sync, "notify::last-sync", G_CALLBACK (tn_window_sync_last_sync_cb), self);
  g_signal_connect_swapped (self->sync, "notify::online", G_CALLBACK (tn_window_sync_online_cb), self);
  g_signal_connect_swapped (self->sync, "notify::pending", G_CALLBACK (tn_window_update_offline), self);
  g_signal_connect_swapped (self->sync, "conflict", G_CALLBACK (tn_window_sync_conflict_cb), self);
  g_signal_connect_swapped (self->sync, "rejected", G_CALLBACK (tn_window_sync_rejected_cb), self);
  g_signal_connect_swapped (self->sync, "gone", G_CALLBACK (tn_window_sync_gone_cb), self);
  return TRUE;
}

static void
tn_window_close_replica (TnWindow *self)
{
  if (self->sync != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->sync, self);
      tn_event_sync_stop (self->sync);
    }
  g_clear_object (&self->sync);
  g_clear_object (&self->replica);
  g_clear_pointer (&self->server_categories, g_strfreev);
  self->first_sync = FALSE;
}

/* Whether the replica has something to show before the server answers. */
static gboolean
tn_window_replica_is_warm (TnWindow *self)
{
  g_autoptr(GPtrArray) upcoming = NULL;
  g_autoptr(GPtrArray) past = NULL;

  if (self->replica == NULL)
    return FALSE;
  upcoming = tn_event_replica_list (self->replica, FALSE, NULL, tn_time_now ());
  past = tn_event_replica_list (self->replica, TRUE, NULL, tn_time_now ());
  return upcoming->len + past->len > 0 || tn_event_replica_outbox_size (self->replica) > 0;
}

/* Shows the list again from the replica; a refresh also asks the server. */
static void
tn_window_load_events (TnWindow *self)
{
  if (self->client == NULL || self->sync == NULL)
    return;

  if (g_list_model_get_n_items (G_LIST_MODEL (self->events)) == 0)
    {
      gtk_stack_set_visible_child_name (self->list_stack, "loading");
      gtk_spinner_set_spinning (self->list_spinner, TRUE);
    }
  tn_window_relist (self);
  tn_event_sync_sync_now (self->sync);
}

static void
tn_window_events_list_row_selected_cb (TnWindow      *self,
                                       GtkListBoxRow *row)
{
  tn_event_detail_set_event (self->event_detail,
                             row != NULL ? tn_event_row_get_event (TN_EVENT_ROW (row)) : NULL);
}

static void
tn_window_events_list_row_activated_cb (TnWindow      *self,
                                        GtkListBoxRow *row)
{
  gtk_list_box_select_row (self->events_list, row);
  /* Side by side, the details are already in view. */
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
tn_window_back_button_clicked_cb (TnWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

/* --- the session --------------------------------------------------------- */

static void
tn_window_start_sync (TnWindow *self)
{
  if (!tn_window_open_replica (self))
    return;
  if (!tn_window_replica_is_warm (self) && tn_event_sync_get_last_sync (self->sync) == 0)
    self->first_sync = TRUE;
  if (g_list_model_get_n_items (G_LIST_MODEL (self->events)) == 0)
    {
      gtk_stack_set_visible_child_name (self->list_stack, "loading");
      gtk_spinner_set_spinning (self->list_spinner, TRUE);
    }
  tn_window_relist (self);
  tn_event_sync_start (self->sync);
  tn_window_update_offline (self);
  tn_window_update_decisions (self);
}

static void
tn_window_start_session (TnWindow *self,
                         TnUser   *user)
{
  g_autoptr(GUri) uri = g_uri_parse (tn_client_get_base_url (self->client), G_URI_FLAGS_NONE, NULL);
  g_autofree char *subtitle = NULL;

  g_set_object (&self->user, user);

  /* Translators: under "Upcoming Events": the account, then the server */
  subtitle = g_strdup_printf (_("%1$s on %2$s"), tn_user_get_name (user),
                              uri != NULL && g_uri_get_host (uri) != NULL ? g_uri_get_host (uri)
                                                                          : tn_client_get_base_url (self->client));
  adw_window_title_set_subtitle (self->list_title, subtitle);

  adw_leaflet_set_visible_child_name (self->leaflet, "sidebar");
  tn_window_show_page (self, "events");
  self->focus_list = TRUE;
  tn_window_start_sync (self);
  tn_window_load_categories (self);
}

/* The replica's events while the server has not confirmed the sign-in yet
 * (or cannot be reached): a warm copy needs no network. */
static void
tn_window_show_replica (TnWindow *self)
{
  g_autoptr(GUri) uri = g_uri_parse (tn_client_get_base_url (self->client), G_URI_FLAGS_NONE, NULL);
  g_autofree char *subtitle = NULL;

  subtitle = g_strdup_printf (_("%1$s on %2$s"), self->email,
                              uri != NULL && g_uri_get_host (uri) != NULL ? g_uri_get_host (uri)
                                                                          : tn_client_get_base_url (self->client));
  adw_window_title_set_subtitle (self->list_title, subtitle);
  adw_leaflet_set_visible_child_name (self->leaflet, "sidebar");
  tn_window_show_page (self, "events");
  self->focus_list = TRUE;
  tn_window_relist (self);
}

static void
tn_window_me_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TnWindow) self = user_data;
  g_autoptr(TnUser) user = NULL;
  g_autoptr(GError) error = NULL;

  tn_window_end_request (self);
  user = tn_client_me_finish (TN_CLIENT (source), result, &error);
  if (is_cancelled (error))
    return;

  if (user != NULL)
    tn_window_start_session (self, user);
  else if (g_error_matches (error, TN_ERROR, TN_ERROR_UNAUTHORIZED))
    tn_window_session_expired (self);
  else if (tn_window_replica_is_warm (self))
    {
      /* Offline: the copy stays in use; the engine finds the server again. */
      tn_window_show_replica (self);
      tn_window_start_sync (self);
    }
  else
    tn_window_show_unreachable (self, error);
}

typedef struct
{
  GWeakRef      window;
  GCancellable *cancellable;   /* the session's when the check was put off */
} SessionCheck;

static void
session_check_free (gpointer  data,
                    GClosure *closure)
{
  SessionCheck *check = data;

  g_weak_ref_clear (&check->window);
  g_object_unref (check->cancellable);
  g_free (check);
}

static void
tn_window_frame_clock_after_paint_cb (GdkFrameClock *clock,
                                      SessionCheck  *check)
{
  g_autoptr(TnWindow) self = g_weak_ref_get (&check->window);
  g_autoptr(GCancellable) cancellable = g_object_ref (check->cancellable);

  g_signal_handlers_disconnect_by_func (clock, tn_window_frame_clock_after_paint_cb, check);   /* frees check */
  if (self == NULL)
    return;
  if (g_cancellable_is_cancelled (cancellable) || cancellable != self->session_cancellable || self->client == NULL)
    {
      tn_window_end_request (self);   /* the session it was for is gone */
      return;
    }
  tn_client_me_async (self->client, cancellable, tn_window_me_cb, g_object_ref (self));
}

/* With the replica's list on screen, the server's check of the token waits
 * for that list's first frame: its answer, the first sync it starts and the
 * server itself took the CPU from that frame (10-15 ms of a cold start). */
static void
tn_window_check_session_after_paint (TnWindow *self)
{
  SessionCheck *check = g_new0 (SessionCheck, 1);

  g_weak_ref_init (&check->window, self);
  check->cancellable = g_object_ref (self->session_cancellable);
  g_signal_connect_data (gtk_widget_get_frame_clock (GTK_WIDGET (self)), "after-paint",
                         G_CALLBACK (tn_window_frame_clock_after_paint_cb), check, session_check_free, 0);
}

static void
tn_window_token_lookup_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(TnWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *url = NULL;

  tn_window_end_request (self);
  token = tn_token_store_lookup_finish (TN_TOKEN_STORE (source), result, &error);
  if (is_cancelled (error))
    return;

  if (error != NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s says why */
      message = g_strdup_printf (_("The saved sign-in could not be read: %s"), error->message);
      tn_window_show_sign_in (self, message);
      return;
    }
  if (token == NULL)
    {
      tn_window_show_sign_in (self, NULL);
      return;
    }

  url = g_settings_get_string (self->settings, "server-url");
  g_clear_object (&self->client);
  self->client = tn_client_new (url);
  tn_client_set_token (self->client, token);
  g_free (self->email);
  self->email = g_settings_get_string (self->settings, "account-email");

  tn_window_begin_request (self);
  if (tn_window_open_replica (self) && tn_window_replica_is_warm (self))
    {
      tn_window_show_replica (self);
      if (gtk_widget_get_mapped (GTK_WIDGET (self)))
        {
          tn_window_check_session_after_paint (self);
          return;
        }
    }

  tn_client_me_async (self->client, self->session_cancellable, tn_window_me_cb, g_object_ref (self));
}

/* Signs in with the token kept for the last account, if there is one. */
static void
tn_window_restore_session (TnWindow *self)
{
  g_autofree char *url = g_settings_get_string (self->settings, "server-url");
  g_autofree char *email = g_settings_get_string (self->settings, "account-email");

  tn_window_drop_session (self);
  if (self->sign_in_page != NULL)
    {
      tn_sign_in_page_set_server_url (self->sign_in_page, url);
      tn_sign_in_page_set_email (self->sign_in_page, email);
      tn_sign_in_page_clear_password (self->sign_in_page);
    }

  if (url[0] == '\0' || email[0] == '\0')
    {
      tn_window_show_sign_in (self, NULL);
      return;
    }

  tn_window_show_page (self, "loading");
  tn_window_begin_request (self);
  tn_token_store_lookup_async (self->token_store, url, email,
                               renew_cancellable (&self->session_cancellable),
                               tn_window_token_lookup_cb, g_object_ref (self));
}

static void
tn_window_token_saved_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(TnWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  tn_window_end_request (self);
  if (!tn_token_store_save_finish (TN_TOKEN_STORE (source), result, &error) && !is_cancelled (error))
    {
      g_autofree char *message = NULL;

      /* Translators: %s says why */
      message = g_strdup_printf (_("The sign-in could not be saved, so you will need to sign in again next time: %s"),
                                 error->message);
      tn_window_toast (self, message);
    }
}

static void
tn_window_login_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(TnWindow) self = user_data;
  g_autoptr(TnUser) user = NULL;
  g_autoptr(GError) error = NULL;
  TnClient *client = TN_CLIENT (source);
  TnSignInPage *page;

  tn_window_end_request (self);
  user = tn_client_login_finish (client, result, &error);
  if (is_cancelled (error))
    return;

  page = tn_window_ensure_sign_in_page (self);
  tn_sign_in_page_set_busy (page, FALSE);

  if (user == NULL)
    {
      g_autofree char *message = describe_error (error, tn_client_get_base_url (client));

      g_clear_object (&self->client);
      tn_sign_in_page_set_error (page, message);
      tn_sign_in_page_focus (page);
      return;
    }

  g_free (self->email);
  self->email = g_strdup (tn_user_get_email (user));
  g_settings_set_string (self->settings, "server-url", tn_client_get_base_url (client));
  g_settings_set_string (self->settings, "account-email", self->email);

  tn_window_begin_request (self);
  tn_token_store_save_async (self->token_store, tn_client_get_base_url (client), self->email,
                             tn_client_get_token (client), NULL,
                             tn_window_token_saved_cb, g_object_ref (self));

  tn_sign_in_page_clear_password (page);
  tn_window_start_session (self, user);
}

static void
tn_window_sign_in_page_sign_in_cb (TnWindow     *self,
                                   TnSignInPage *page)
{
  g_autofree char *url = tn_format_server_url (tn_sign_in_page_get_server_url (page));
  g_autofree char *email = g_strstrip (g_strdup (tn_sign_in_page_get_email (page)));

  if (url == NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is what was typed as the server's address */
      message = g_strdup_printf (_("“%s” is not a server address. Enter one such as https://events.example.org."),
                                 tn_sign_in_page_get_server_url (page));
      tn_sign_in_page_set_error (page, message);
      return;
    }

  tn_window_drop_session (self);
  self->client = tn_client_new (url);
  tn_sign_in_page_set_busy (page, TRUE);

  tn_window_begin_request (self);
  tn_client_login_async (self->client, email, tn_sign_in_page_get_password (page),
                         renew_cancellable (&self->session_cancellable),
                         tn_window_login_cb, g_object_ref (self));
}

static void
tn_window_logged_out_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GApplication) application = user_data;
  g_autoptr(GError) error = NULL;

  /* The token is forgotten here either way; a server that cannot be
   * reached lets it expire. */
  if (!tn_client_logout_finish (TN_CLIENT (source), result, &error))
    g_debug ("Signing out on the server failed: %s", error->message);
  if (application != NULL)
    g_application_release (application);
}

/* --- actions ------------------------------------------------------------- */

static void
tn_window_refresh_action (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  tn_window_load_events (TN_WINDOW (user_data));
  tn_window_load_categories (TN_WINDOW (user_data));
}

static void
tn_window_reconnect_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  tn_window_restore_session (TN_WINDOW (user_data));
}

static void
tn_window_sign_out_action (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  TnWindow *self = TN_WINDOW (user_data);

  if (self->client == NULL)
    return;

  if (tn_client_get_token (self->client) != NULL)
    tn_client_logout_async (self->client, NULL, tn_window_logged_out_cb, tn_window_hold_application (self));
  tn_window_forget_token (self);
  tn_window_drop_session (self);
  if (self->sign_in_page != NULL)
    tn_sign_in_page_clear_password (self->sign_in_page);
  tn_window_show_sign_in (self, NULL);
}

static void
tn_window_attendees_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  TnWindow *self = TN_WINDOW (user_data);
  TnEvent *event = tn_event_detail_get_event (self->event_detail);
  TnAttendeesWindow *window;

  if (event == NULL || self->client == NULL)
    return;
  window = tn_attendees_window_new (GTK_WINDOW (self), self->client, event);
  gtk_window_present (GTK_WINDOW (window));
}

/* Issue 6, part 4: the selected event's door devices, and pairing more. */
static void
tn_window_door_devices_action (GSimpleAction *action,
                               GVariant      *parameter,
                               gpointer       user_data)
{
  TnWindow *self = TN_WINDOW (user_data);
  TnEvent *event = tn_event_detail_get_event (self->event_detail);
  TnDevicesPage *page;

  if (self->client == NULL || tn_client_get_token (self->client) == NULL || event == NULL)
    return;

  page = tn_devices_page_new (self->client, event);
  gtk_window_set_transient_for (GTK_WINDOW (page), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (page));
}

/* The dashboard (issue 6, part 5): the event-day figures of the chosen
 * event, live, in a window of their own. */
static void
tn_window_open_dashboard_action (GSimpleAction *action,
                                 GVariant      *parameter,
                                 gpointer       user_data)
{
  TnWindow *self = TN_WINDOW (user_data);
  TnEvent *event = tn_event_detail_get_event (self->event_detail);

  if (self->client == NULL || event == NULL || tn_event_get_id (event) == NULL)
    return;
  tn_dashboard_open_window (self->client, event, GTK_WINDOW (self));
}

static void
tn_window_event_detail_notify_event_cb (TnWindow *self)
{
  gboolean chosen = tn_event_detail_get_event (self->event_detail) != NULL;

  tn_window_set_action_enabled (self, "open-dashboard", chosen);
  tn_window_set_action_enabled (self, "edit-event", chosen && self->sync != NULL);
  tn_window_set_action_enabled (self, "cancel-event", chosen && self->sync != NULL);
  tn_window_set_action_enabled (self, "delete-event", chosen && self->sync != NULL);
}

/* --- changes waiting for the organizer's decision ------------------------- */

/* The outbox's conflicted and refused changes: they are not retried and
 * wait for a choice, also after the dialog that offered it was closed or
 * the app restarted. Returns how many; @first gets the oldest. */
static guint
tn_window_count_decisions (TnWindow         *self,
                           TnEventMutation **first)
{
  g_autoptr(GPtrArray) entries = NULL;
  guint count = 0;

  if (first != NULL)
    *first = NULL;
  if (self->replica == NULL)
    return 0;
  entries = tn_event_replica_outbox_list (self->replica);
  for (guint i = 0; i < entries->len; i++)
    {
      TnEventMutation *entry = entries->pdata[i];

      if (entry->state == TN_EVENT_MUTATION_QUEUED)
        continue;
      if (count++ == 0 && first != NULL)
        *first = tn_event_mutation_copy (entry);
    }
  return count;
}

static void
tn_window_update_decisions (TnWindow *self)
{
  g_autofree char *text = NULL;
  guint count = tn_window_count_decisions (self, NULL);

  tn_window_set_action_enabled (self, "review-changes", count > 0);
  if (count == 0)
    {
      gtk_revealer_set_reveal_child (self->decision_revealer, FALSE);
      return;
    }
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u change needs your decision.",
                                       "%u changes need your decision.",
                                       count), count);
  gtk_label_set_text (self->decision_label, text);
  gtk_revealer_set_reveal_child (self->decision_revealer, TRUE);
}

static void
tn_window_resolve (TnWindow          *self,
                   const char        *event_id,
                   TnEventSyncChoice  choice)
{
  g_autoptr(GError) error = NULL;

  if (self->sync == NULL)
    return;
  if (!tn_event_sync_resolve (self->sync, event_id, choice, &error))
    {
      /* Translators: %s says why */
      g_autofree char *message = g_strdup_printf (_("The change could not be stored: %s"), error->message);

      tn_window_toast (self, message);
    }
  tn_window_update_decisions (self);
}

static void
tn_window_decision_response_cb (AdwMessageDialog *dialog,
                                const char       *response,
                                TnWindow         *self)
{
  const char *event_id = g_object_get_data (G_OBJECT (dialog), "event-id");

  if (g_strcmp0 (response, "mine") == 0)
    tn_window_resolve (self, event_id, TN_EVENT_SYNC_KEEP_MINE);
  else if (g_strcmp0 (response, "theirs") == 0)
    tn_window_resolve (self, event_id, TN_EVENT_SYNC_KEEP_THEIRS);
}

/* A dialog for a change with no two versions to set side by side: a
 * refused one (the server's reason, discard it or keep it for later), or
 * a deletion the server's newer version stands against. */
static void
tn_window_ask_decision (TnWindow   *self,
                        const char *event_id,
                        const char *heading,
                        const char *body,
                        const char *mine,
                        const char *theirs)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, body));
  g_object_set_data_full (G_OBJECT (dialog), "event-id", g_strdup (event_id), g_free);
  adw_message_dialog_add_response (dialog, "later", _("Decide _Later"));
  if (mine != NULL)
    adw_message_dialog_add_response (dialog, "mine", mine);
  adw_message_dialog_add_response (dialog, "theirs", theirs);
  adw_message_dialog_set_response_appearance (dialog, "theirs", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "later");
  adw_message_dialog_set_close_response (dialog, "later");
  g_signal_connect_object (dialog, "response", G_CALLBACK (tn_window_decision_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
tn_window_offer_conflict (TnWindow   *self,
                          const char *event_id,
                          TnEvent    *local,
                          TnEvent    *server)
{
  TnConflictDialog *dialog;
  g_autofree char *body = NULL;

  if (local == NULL)
    {
      /* Translators: %s is an event's title */
      body = g_strdup_printf (_("“%s” was changed on the server after you deleted it here. "
                                "Delete it anyway, or keep the server’s version?"),
                              server != NULL ? tn_event_get_title (server) : event_id);
      tn_window_ask_decision (self, event_id, _("Deleted Event Was Changed"), body,
                              _("_Delete Anyway"), _("_Keep the Event"));
      return;
    }
  dialog = tn_conflict_dialog_new (GTK_WINDOW (self), self->sync, event_id, local, server);
  g_signal_connect_object (dialog, "resolved", G_CALLBACK (tn_window_update_decisions), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Offers the oldest change that waits for a decision. */
static void
tn_window_review_changes_action (GSimpleAction *action,
                                 GVariant      *parameter,
                                 gpointer       user_data)
{
  TnWindow *self = TN_WINDOW (user_data);
  g_autoptr(TnEventMutation) entry = NULL;
  g_autoptr(TnEvent) local = NULL;
  g_autoptr(TnEvent) server = NULL;

  if (tn_window_count_decisions (self, &entry) == 0)
    return;
  local = tn_event_replica_get (self->replica, entry->event_id);
  if (entry->state == TN_EVENT_MUTATION_CONFLICTED)
    {
      g_autoptr(JsonObject) object = NULL;

      if (entry->reason != NULL)
        object = tn_json_parse_object (entry->reason, strlen (entry->reason), NULL);
      if (object != NULL)
        server = tn_event_new_from_json (object, TN_EVENT_JSON_STORED, NULL, NULL);
      if (server == NULL)
        server = tn_event_replica_get_server_copy (self->replica, entry->event_id);
      if (server != NULL)
        {
          tn_window_offer_conflict (self, entry->event_id, local, server);
          return;
        }
    }
  {
    g_autofree char *body =
      /* Translators: the first %s is an event's title, the second the
       * server's (English) reason */
      g_strdup_printf (_("The server refused your change to “%s”: %s"),
                       local != NULL ? tn_event_get_title (local) : entry->event_id,
                       entry->reason != NULL ? entry->reason : "");

    tn_window_ask_decision (self, entry->event_id, _("Change Refused"), body, NULL, _("_Discard Change"));
  }
}

/* --- creating and changing events (offline too, through the outbox) ----- */

static void
tn_window_sync_conflict_cb (TnWindow   *self,
                            const char *event_id,
                            TnEvent    *local,
                            TnEvent    *server)
{
  tn_window_update_decisions (self);
  tn_window_offer_conflict (self, event_id, local, server);
}

static void
tn_window_sync_rejected_cb (TnWindow   *self,
                            const char *event_id,
                            const char *reason)
{
  /* Translators: %s is the server's (English) reason */
  g_autofree char *message = g_strdup_printf (_("The server refused a change: %s"), reason);

  tn_window_toast (self, message);
  tn_window_update_decisions (self);
}

static void
tn_window_sync_gone_cb (TnWindow   *self,
                        const char *event_id)
{
  tn_window_toast (self, _("An event you changed was deleted on the server."));
}

static void
tn_window_categories_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(TnWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) categories = tn_client_list_categories_finish (TN_CLIENT (source), result, &error);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  if (categories == NULL)
    {
      /* the editor offers those of the replica's events instead */
      if (!is_cancelled (error))
        g_message ("The server's categories could not be loaded: %s", error->message);
      return;
    }
  for (guint i = 0; i < categories->len; i++)
    g_strv_builder_add (names, ((TnClientCategory *) categories->pdata[i])->name);
  g_strfreev (self->server_categories);
  self->server_categories = g_strv_builder_end (names);
}

/* The categories the server offers (GET /categories), for the editor. */
static void
tn_window_load_categories (TnWindow *self)
{
  if (self->client == NULL)
    return;
  tn_client_list_categories_async (self->client, self->session_cancellable,
                                   tn_window_categories_cb, g_object_ref (self));
}

/* The editor's choice of categories: the server's, and any other that the
 * replica's events use; none known (offline from the start, nothing
 * synced) leaves the editor's own list. */
static GPtrArray *
tn_window_editor_categories (TnWindow *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *names = g_ptr_array_new ();
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->categories));

  for (guint i = 0; self->server_categories != NULL && self->server_categories[i] != NULL; i++)
    if (g_hash_table_add (seen, self->server_categories[i]))
      g_ptr_array_add (names, self->server_categories[i]);
  for (guint i = 1; i < n; i++)
    {
      const char *name = gtk_string_list_get_string (self->categories, i);

      if (g_hash_table_add (seen, (gpointer) name))
        g_ptr_array_add (names, (gpointer) name);
    }
  g_ptr_array_sort (names, compare_names);
  return names;
}

static void
tn_window_open_editor (TnWindow *self,
                       TnEvent  *event)
{
  g_autoptr(GPtrArray) categories = NULL;
  TnEventEditor *editor;

  if (self->sync == NULL)
    return;
  editor = event != NULL ? tn_event_editor_new_edit (GTK_WINDOW (self), self->sync, event)
                         : tn_event_editor_new_create (GTK_WINDOW (self), self->sync);
  categories = tn_window_editor_categories (self);
  if (categories->len > 0)
    {
      g_ptr_array_add (categories, NULL);
      tn_event_editor_set_categories (editor, (const char * const *) categories->pdata);
    }
  gtk_window_present (GTK_WINDOW (editor));
}

static void
tn_window_new_event_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  tn_window_open_editor (TN_WINDOW (user_data), NULL);
}

static void
tn_window_edit_event_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  TnWindow *self = TN_WINDOW (user_data);
  TnEvent *event = tn_event_detail_get_event (self->event_detail);

  if (event != NULL)
    tn_window_open_editor (self, event);
}

static void
tn_window_change_response_cb (AdwMessageDialog *dialog,
                              const char       *response,
                              TnWindow         *self)
{
  const char *event_id = g_object_get_data (G_OBJECT (dialog), "event-id");
  g_autoptr(GError) error = NULL;
  gboolean ok = TRUE;

  if (self->sync == NULL || event_id == NULL)
    return;
  if (g_strcmp0 (response, "cancel-event") == 0)
    ok = tn_event_sync_cancel (self->sync, event_id, &error);
  else if (g_strcmp0 (response, "delete-event") == 0)
    ok = tn_event_sync_delete (self->sync, event_id, &error);
  if (!ok)
    tn_window_toast (self, error->message);
}

static void
ask_change (TnWindow *self,
            gboolean  delete)
{
  TnEvent *event = tn_event_detail_get_event (self->event_detail);
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;

  if (event == NULL || self->sync == NULL)
    return;
  if (delete)
    /* Translators: %s is an event's title */
    body = g_strdup_printf (_("“%s” and its attendees, tickets and check-ins are removed for good. Attendees are not told."),
                            tn_event_get_title (event));
  else
    body = g_strdup_printf (_("“%s” stays listed as cancelled; its tickets no longer let anyone in."),
                            tn_event_get_title (event));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                        delete ? _("Delete Event?") : _("Cancel Event?"), body));
  adw_message_dialog_add_responses (dialog, "keep", _("_Keep"),
                                    delete ? "delete-event" : "cancel-event",
                                    delete ? _("_Delete") : _("Cancel _Event"), NULL);
  adw_message_dialog_set_response_appearance (dialog, delete ? "delete-event" : "cancel-event",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "keep");
  g_object_set_data_full (G_OBJECT (dialog), "event-id", g_strdup (tn_event_get_id (event)), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (tn_window_change_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
tn_window_cancel_event_action (GSimpleAction *action,
                               GVariant      *parameter,
                               gpointer       user_data)
{
  ask_change (TN_WINDOW (user_data), FALSE);
}

static void
tn_window_delete_event_action (GSimpleAction *action,
                               GVariant      *parameter,
                               gpointer       user_data)
{
  ask_change (TN_WINDOW (user_data), TRUE);
}

static void
tn_window_search_action (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  TnWindow *self = TN_WINDOW (user_data);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static const GActionEntry win_entries[] = {
  { "search", tn_window_search_action },
  { "new-event", tn_window_new_event_action },
  { "edit-event", tn_window_edit_event_action },
  { "cancel-event", tn_window_cancel_event_action },
  { "delete-event", tn_window_delete_event_action },
  { "door-devices", tn_window_door_devices_action },
  { "open-dashboard", tn_window_open_dashboard_action },
  { "refresh", tn_window_refresh_action },
  { "attendees", tn_window_attendees_action },
  { "reconnect", tn_window_reconnect_action },
  { "sign-out", tn_window_sign_out_action },
  { "review-changes", tn_window_review_changes_action },
};

/* --- GObject ------------------------------------------------------------- */

static gboolean
tn_window_close_request (GtkWindow *window)
{
  TnWindow *self = TN_WINDOW (window);
  int width = 0;
  int height = 0;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_delay (self->settings);
  /* The schema's ranges match the window's smallest size. */
  if (!gtk_window_is_maximized (window) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", MAX (width, 360));
      g_settings_set_int (self->settings, "window-height", MAX (height, 294));
    }
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  g_settings_apply (self->settings);

  return GTK_WINDOW_CLASS (tn_window_parent_class)->close_request (window);
}

static void
tn_window_constructed (GObject *object)
{
  TnWindow *self = TN_WINDOW (object);

  G_OBJECT_CLASS (tn_window_parent_class)->constructed (object);

  g_assert (TN_IS_TOKEN_STORE (self->token_store));

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  tn_window_restore_session (self);
}

static void
tn_window_dispose (GObject *object)
{
  TnWindow *self = TN_WINDOW (object);

  if (self->session_cancellable != NULL)
    g_cancellable_cancel (self->session_cancellable);
  tn_window_close_replica (self);

  /* Drop the rows while the detail pane their selection feeds still exists. */
  if (self->events_list != NULL)
    gtk_list_box_bind_model (self->events_list, NULL, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TN_TYPE_WINDOW);
  self->sign_in_page = NULL;   /* was the sign-in box's */

  g_clear_object (&self->session_cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->user);
  g_clear_object (&self->events);
  g_clear_object (&self->categories);
  g_clear_object (&self->tags);
  g_clear_pointer (&self->server_categories, g_strfreev);
  g_clear_object (&self->token_store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tn_window_parent_class)->dispose (object);
}

static void
tn_window_finalize (GObject *object)
{
  TnWindow *self = TN_WINDOW (object);

  g_free (self->email);

  G_OBJECT_CLASS (tn_window_parent_class)->finalize (object);
}

static void
tn_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  TnWindow *self = TN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_TOKEN_STORE:
      g_value_set_object (value, self->token_store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tn_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  TnWindow *self = TN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_TOKEN_STORE:
      self->token_store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tn_window_class_init (TnWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = tn_window_constructed;
  object_class->dispose = tn_window_dispose;
  object_class->finalize = tn_window_finalize;
  object_class->get_property = tn_window_get_property;
  object_class->set_property = tn_window_set_property;
  window_class->close_request = tn_window_close_request;

  /**
   * TnWindow:token-store:
   *
   * Where the window looks up, saves and forgets sign-in tokens.
   */
  properties[PROP_TOKEN_STORE] =
    g_param_spec_object ("token-store", NULL, NULL, TN_TYPE_TOKEN_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TN_TYPE_EVENT_DETAIL);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/turnout/Turnout/tn-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TnWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TnWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TnWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, TnWindow, sign_in_box);
  gtk_widget_class_bind_template_child (widget_class, TnWindow, unreachable_page);
  gtk_widget_class_bind_template_child (widget_class, TnWindow, unreachable_detail);
  gtk_widget_class_bind_template_child (widget_class, TnWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, TnWindow, list_title);
  gtk_widget_class_bind_template_child (widget_class, TnWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, TnWindow, list_spinner);
  gtk_widget_class_bind_template_child (widget_class, TnWindow, events_list);
  gtk_widget_class_bind_template_child (widget_class, TnWindow, event_detail);
  gtk_widget_class_bind_template_child (widget_class, TnWindow, offline_revealer);
  gtk_widget_class_bind_template_child (widget_class, TnWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, TnWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TnWindow, past_button);
  gtk_widget_class_bind_template_child (widget_class, TnWindow, category_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TnWindow, tag_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TnWindow, decision_revealer);
  gtk_widget_class_bind_template_child (widget_class, TnWindow, decision_label);
  gtk_widget_class_bind_template_child (widget_class, TnWindow, span_dropdown);
  gtk_widget_class_bind_template_callback (widget_class, tn_window_filters_changed_cb);
  gtk_widget_class_bind_template_child (widget_class, TnWindow, offline_label);
  gtk_widget_class_bind_template_callback (widget_class, tn_window_events_list_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, tn_window_events_list_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, tn_window_back_button_clicked_cb);
}

static void
choice_setup_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
choice_bind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item)
{
  GtkStringObject *choice = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), gtk_string_object_get_string (choice));
}

/* A category or tag filter: long names are shortened with an ellipsis
 * so that the filters fit side by side down to 360 pixels; typing in its
 * list finds a choice. */
static void
tn_window_setup_choices (GtkDropDown   *dropdown,
                         GtkStringList *choices)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (choice_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (choice_bind_cb), NULL);
  gtk_drop_down_set_factory (dropdown, factory);
  gtk_drop_down_set_expression (dropdown, gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string"));
  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (choices));
  gtk_drop_down_set_selected (dropdown, 0);
}

static void
tn_window_init (TnWindow *self)
{
  const char *all_categories[] = { NULL, NULL };
  const char *all_tags[] = { NULL, NULL };

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Translators: the category filter's first choice */
  all_categories[0] = _("All categories");
  self->categories = gtk_string_list_new (all_categories);
  tn_window_setup_choices (self->category_dropdown, self->categories);
  /* Translators: the tag filter's first choice */
  all_tags[0] = _("All tags");
  self->tags = gtk_string_list_new (all_tags);
  tn_window_setup_choices (self->tag_dropdown, self->tags);
  /* Typing in the list starts a search, as in GNOME's own apps. */
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self->events_list));

  g_action_map_add_action_entries (G_ACTION_MAP (self), win_entries, G_N_ELEMENTS (win_entries), self);
  tn_window_set_action_enabled (self, "open-dashboard", FALSE);
  g_signal_connect_object (self->event_detail, "notify::event",
                           G_CALLBACK (tn_window_event_detail_notify_event_cb), self, G_CONNECT_SWAPPED);

  self->settings = g_settings_new (APPLICATION_ID);
  self->events = g_list_store_new (TN_TYPE_EVENT);
  gtk_list_box_bind_model (self->events_list, G_LIST_MODEL (self->events),
                           tn_window_create_row, NULL, NULL);
}

/**
 * tn_window_new:
 * @application: the application
 *
 * Returns: (transfer full): a new main window, which signs in with the
 *   saved token if there is one
 */
TnWindow *
tn_window_new (TnApplication *application)
{
  g_return_val_if_fail (TN_IS_APPLICATION (application), NULL);

  return g_object_new (TN_TYPE_WINDOW,
                       "application", application,
                       "token-store", tn_application_get_token_store (application),
                       NULL);
}

/* --- for tests ----------------------------------------------------------- */

const char *
_tn_window_get_visible_page (TnWindow *self)
{
  g_return_val_if_fail (TN_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
_tn_window_get_list_page (TnWindow *self)
{
  g_return_val_if_fail (TN_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->list_stack);
}

TnSignInPage *
_tn_window_get_sign_in_page (TnWindow *self)
{
  g_return_val_if_fail (TN_IS_WINDOW (self), NULL);
  return tn_window_ensure_sign_in_page (self);
}

GtkListBox *
_tn_window_get_event_list (TnWindow *self)
{
  g_return_val_if_fail (TN_IS_WINDOW (self), NULL);
  return self->events_list;
}

TnEventDetail *
_tn_window_get_event_detail (TnWindow *self)
{
  g_return_val_if_fail (TN_IS_WINDOW (self), NULL);
  return self->event_detail;
}

AdwLeaflet *
_tn_window_get_leaflet (TnWindow *self)
{
  g_return_val_if_fail (TN_IS_WINDOW (self), NULL);
  return self->leaflet;
}

AdwStatusPage *
_tn_window_get_unreachable_page (TnWindow *self)
{
  g_return_val_if_fail (TN_IS_WINDOW (self), NULL);
  return self->unreachable_page;
}

GtkLabel *
_tn_window_get_unreachable_detail (TnWindow *self)
{
  g_return_val_if_fail (TN_IS_WINDOW (self), NULL);
  return self->unreachable_detail;
}

/**
 * _tn_window_get_busy:
 * @self: a #TnWindow
 *
 * Returns: whether a request of the window is still under way
 */
GtkSearchEntry *
_tn_window_get_search_entry (TnWindow *self)
{
  return self->search_entry;
}

GtkToggleButton *
_tn_window_get_past_button (TnWindow *self)
{
  return self->past_button;
}

GtkDropDown *
_tn_window_get_category_dropdown (TnWindow *self)
{
  return self->category_dropdown;
}

GtkDropDown *
_tn_window_get_span_dropdown (TnWindow *self)
{
  return self->span_dropdown;
}

GtkDropDown *
_tn_window_get_tag_dropdown (TnWindow *self)
{
  return self->tag_dropdown;
}

const char * const *
_tn_window_get_server_categories (TnWindow *self)
{
  return (const char * const *) self->server_categories;
}

TnEventReplica *
_tn_window_get_replica (TnWindow *self)
{
  return self->replica;
}

GtkRevealer *
_tn_window_get_decision_revealer (TnWindow *self)
{
  return self->decision_revealer;
}

GtkRevealer *
_tn_window_get_offline_revealer (TnWindow *self)
{
  g_return_val_if_fail (TN_IS_WINDOW (self), NULL);
  return self->offline_revealer;
}

gboolean
_tn_window_get_busy (TnWindow *self)
{
  g_return_val_if_fail (TN_IS_WINDOW (self), FALSE);
  return self->n_pending > 0 || self->first_sync;
}
