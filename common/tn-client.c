/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "tn-client.h"
#include "tn-error.h"
#include "tn-json.h"
#include "tn-time.h"

struct _TnClient
{
  GObject parent_instance;

  SoupSession *session;
  char        *base_url;   /* without trailing slash */
  char        *token;
};

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_TOKEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TnClient, tn_client, G_TYPE_OBJECT)

/* What to make of a successful answer: returns the task's result or sets
 * @error. @root is NULL for an answer without a body. */
typedef gpointer (*ParseFunc) (TnClient   *self,
                               JsonObject *root,
                               GError    **error);

typedef struct
{
  ParseFunc      parse;
  GDestroyNotify free_result;
} RequestData;

typedef struct
{
  GPtrArray *items;
  char      *next_cursor;
} Page;

static void
page_free (gpointer data)
{
  Page *page = data;

  g_clear_pointer (&page->items, g_ptr_array_unref);
  g_free (page->next_cursor);
  g_free (page);
}

static void
tn_client_finalize (GObject *object)
{
  TnClient *self = (TnClient *) object;

  g_clear_object (&self->session);
  g_free (self->base_url);
  g_free (self->token);

  G_OBJECT_CLASS (tn_client_parent_class)->finalize (object);
}

static void
tn_client_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  TnClient *self = TN_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL: g_value_set_string (value, self->base_url); break;
    case PROP_TOKEN:    g_value_set_string (value, self->token); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tn_client_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  TnClient *self = TN_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      {
        const char *url = g_value_get_string (value);
        gsize len = url != NULL ? strlen (url) : 0;

        while (len > 0 && url[len - 1] == '/')
          len--;
        g_free (self->base_url);
        self->base_url = g_strndup (url != NULL ? url : "", len);
      }
      break;
    case PROP_TOKEN:
      tn_client_set_token (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tn_client_class_init (TnClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tn_client_finalize;
  object_class->get_property = tn_client_get_property;
  object_class->set_property = tn_client_set_property;

  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tn_client_init (TnClient *self)
{
  g_autofree char *user_agent = g_strdup_printf ("turnout/%s", PACKAGE_VERSION);

  self->session = soup_session_new_with_options ("user-agent", user_agent,
                                                 "timeout", 15,
                                                 NULL);
}

/**
 * tn_client_new:
 * @base_url: the server's URL, such as `http://127.0.0.1:8080`
 *
 * Returns: (transfer full): a client for the Turnout API at @base_url
 */
TnClient *
tn_client_new (const char *base_url)
{
  g_return_val_if_fail (base_url != NULL, NULL);

  return g_object_new (TN_TYPE_CLIENT, "base-url", base_url, NULL);
}

const char *
tn_client_get_base_url (TnClient *self)
{
  g_return_val_if_fail (TN_IS_CLIENT (self), NULL);
  return self->base_url;
}

const char *
tn_client_get_token (TnClient *self)
{
  g_return_val_if_fail (TN_IS_CLIENT (self), NULL);
  return self->token;
}

/**
 * tn_client_set_token:
 * @self: a #TnClient
 * @token: (nullable): a bearer token, or %NULL to sign out locally
 */
void
tn_client_set_token (TnClient   *self,
                     const char *token)
{
  g_return_if_fail (TN_IS_CLIENT (self));

  if (g_strcmp0 (self->token, token) == 0)
    return;
  g_free (self->token);
  self->token = g_strdup (token);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
}

/**
 * tn_client_set_timeout:
 * @self: a #TnClient
 * @seconds: how long to wait for the server before failing with
 *   %TN_ERROR_NETWORK (0: no limit)
 */
void
tn_client_set_timeout (TnClient *self,
                       guint     seconds)
{
  g_return_if_fail (TN_IS_CLIENT (self));
  soup_session_set_timeout (self->session, seconds);
}

/* --- transport ----------------------------------------------------------- */

static GError *
error_from_answer (guint       status,
                   GBytes     *body)
{
  g_autoptr(JsonObject) root = NULL;
  gsize len = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;
  JsonNode *error_node;

  root = tn_json_parse_object (data, len, NULL);
  error_node = root != NULL ? json_object_get_member (root, "error") : NULL;
  if (error_node != NULL && JSON_NODE_HOLDS_OBJECT (error_node))
    {
      JsonObject *error = json_node_get_object (error_node);
      const char *code = tn_json_object_get_string (error, "code");
      const char *message = tn_json_object_get_string (error, "message");

      return g_error_new_literal (TN_ERROR, tn_error_from_code (code),
                                  message != NULL ? message : _("The server refused the request"));
    }

  return g_error_new (TN_ERROR, status >= 500 ? TN_ERROR_INTERNAL : TN_ERROR_BAD_REQUEST,
                      _("The server answered with HTTP status %u"), status);
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TnClient *self = g_task_get_source_object (task);
  RequestData *data = g_task_get_task_data (task);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonObject) root = NULL;
  gpointer value;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, TN_ERROR, TN_ERROR_NETWORK,
                                 _("Could not reach the server: %s"), error->message);
      return;
    }

  status = soup_message_get_status (msg);
  if (status < 200 || status >= 300)
    {
      g_task_return_error (task, error_from_answer (status, body));
      return;
    }

  if (g_bytes_get_size (body) > 0)
    {
      gsize len;
      const char *text = g_bytes_get_data (body, &len);

      root = tn_json_parse_object (text, len, NULL);
      if (root == NULL)
        {
          g_task_return_new_error (task, TN_ERROR, TN_ERROR_BAD_REQUEST,
                                   _("The server sent an answer that is not JSON"));
          return;
        }
    }

  value = data->parse (self, root, &error);
  if (value == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, value, data->free_result);
}

static void
send_request (TnClient            *self,
              const char          *method,
              const char          *path,
              GHashTable          *query,
              JsonNode            *body,
              const char          *if_match,
              ParseFunc            parse,
              GDestroyNotify       free_result,
              gpointer             source_tag,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  RequestData *data;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  data = g_new0 (RequestData, 1);
  data->parse = parse;
  data->free_result = free_result;
  g_task_set_task_data (task, data, g_free);

  url = g_strconcat (self->base_url, path, NULL);
  if (query != NULL && g_hash_table_size (query) > 0)
    {
      g_autofree char *encoded = soup_form_encode_hash (query);
      char *with_query = g_strconcat (url, "?", encoded, NULL);

      g_free (url);
      url = with_query;
    }

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, &error);
  if (uri == NULL ||
      (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 && g_strcmp0 (g_uri_get_scheme (uri), "https") != 0))
    {
      g_task_return_new_error (task, TN_ERROR, TN_ERROR_NETWORK,
                               _("“%s” is not a web address the client can use"), self->base_url);
      return;
    }

  msg = soup_message_new_from_uri (method, uri);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "application/json");
  if (self->token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (if_match != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "If-Match", if_match);
  if (body != NULL)
    {
      char *text = tn_json_to_string (body);
      gsize len = strlen (text);
      g_autoptr(GBytes) bytes = g_bytes_new_take (text, len);

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    send_cb, g_steal_pointer (&task));
}

static gpointer
parse_user (TnClient   *self,
            JsonObject *root,
            GError    **error)
{
  if (root == NULL)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST, _("The server sent an empty answer"));
      return NULL;
    }
  return tn_user_new_from_json (root, error);
}

static gpointer
parse_login (TnClient   *self,
             JsonObject *root,
             GError    **error)
{
  const char *token = root != NULL ? tn_json_object_get_string (root, "token") : NULL;
  JsonNode *user = root != NULL ? json_object_get_member (root, "user") : NULL;

  if (token == NULL || user == NULL || !JSON_NODE_HOLDS_OBJECT (user))
    {
      g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST, _("The server sent a sign-in answer that cannot be read"));
      return NULL;
    }
  tn_client_set_token (self, token);
  return tn_user_new_from_json (json_node_get_object (user), error);
}

static gpointer
parse_event (TnClient   *self,
             JsonObject *root,
             GError    **error)
{
  if (root == NULL)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST, _("The server sent an empty answer"));
      return NULL;
    }
  return tn_event_new_from_json (root, TN_EVENT_JSON_STORED, NULL, error);
}

/* Reads one item of a page; returns a new GObject or NULL with @error. */
typedef gpointer (*ItemFunc) (JsonObject  *object,
                              GError     **error);

/* `{"items": […], "next_cursor": …}` with items read by @read_item. */
static gpointer
parse_page (JsonObject  *root,
            ItemFunc     read_item,
            GError     **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  JsonNode *items_node = root != NULL ? json_object_get_member (root, "items") : NULL;
  JsonArray *array;
  Page *page;

  if (items_node == NULL || !JSON_NODE_HOLDS_ARRAY (items_node))
    {
      g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST, _("The server sent a list that cannot be read"));
      return NULL;
    }
  array = json_node_get_array (items_node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      gpointer item;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST, _("The server sent a list that cannot be read"));
          return NULL;
        }
      item = read_item (json_node_get_object (element), error);
      if (item == NULL)
        return NULL;
      g_ptr_array_add (items, item);
    }

  page = g_new0 (Page, 1);
  page->items = g_steal_pointer (&items);
  page->next_cursor = g_strdup (tn_json_object_get_string (root, "next_cursor"));
  return page;
}

static gpointer
read_event_item (JsonObject  *object,
                 GError     **error)
{
  return tn_event_new_from_json (object, TN_EVENT_JSON_STORED, NULL, error);
}

static gpointer
read_attendee_item (JsonObject  *object,
                    GError     **error)
{
  return tn_attendee_new_from_json (object, error);
}

static gpointer
parse_event_page (TnClient   *self,
                  JsonObject *root,
                  GError    **error)
{
  return parse_page (root, read_event_item, error);
}

static gpointer
parse_attendee_page (TnClient   *self,
                     JsonObject *root,
                     GError    **error)
{
  return parse_page (root, read_attendee_item, error);
}

static gpointer
parse_attendee (TnClient   *self,
                JsonObject *root,
                GError    **error)
{
  if (root == NULL)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST, _("The server sent an empty answer"));
      return NULL;
    }
  return tn_attendee_new_from_json (root, error);
}

static gpointer
parse_nothing (TnClient   *self,
               JsonObject *root,
               GError    **error)
{
  return GINT_TO_POINTER (TRUE);
}

static char *
event_path (const char *id,
            const char *suffix)
{
  g_autofree char *escaped = g_uri_escape_string (id, NULL, FALSE);

  return g_strconcat ("/api/v1/events/", escaped, suffix, NULL);
}

/* Hands over the items of a Page result and its next cursor. */
static GPtrArray *
page_finish (GAsyncResult  *result,
             char         **next_cursor,
             GError       **error)
{
  Page *page = g_task_propagate_pointer (G_TASK (result), error);
  GPtrArray *items;

  if (page == NULL)
    return NULL;
  items = g_steal_pointer (&page->items);
  if (next_cursor != NULL)
    *next_cursor = g_steal_pointer (&page->next_cursor);
  page_free (page);
  return items;
}

/* --- public API ---------------------------------------------------------- */

/**
 * tn_client_login_async:
 * @self: a #TnClient
 * @email: the account's e-mail address
 * @password: its password
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the server has answered
 * @user_data: data for @callback
 *
 * Signs in. On success the client keeps the new token for later calls.
 */
void
tn_client_login_async (TnClient            *self,
                       const char          *email,
                       const char          *password,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (TN_IS_CLIENT (self));
  g_return_if_fail (email != NULL && password != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, email);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  send_request (self, "POST", "/api/v1/auth/login", NULL, body, NULL,
                parse_login, g_object_unref, tn_client_login_async,
                cancellable, callback, user_data);
}

/**
 * tn_client_login_finish:
 * @self: a #TnClient
 * @result: the result given to the callback
 * @error: return location for a #TnError
 *
 * Returns: (transfer full) (nullable): the signed-in user
 */
TnUser *
tn_client_login_finish (TnClient      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
tn_client_logout_async (TnClient            *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (TN_IS_CLIENT (self));
  send_request (self, "POST", "/api/v1/auth/logout", NULL, NULL, NULL,
                parse_nothing, NULL, tn_client_logout_async,
                cancellable, callback, user_data);
}

/**
 * tn_client_logout_finish:
 *
 * Returns: %TRUE once the server revoked the token. The client forgets
 *   its token either way.
 */
gboolean
tn_client_logout_finish (TnClient      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  tn_client_set_token (self, NULL);
  return g_task_propagate_pointer (G_TASK (result), error) != NULL;
}

void
tn_client_me_async (TnClient            *self,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_return_if_fail (TN_IS_CLIENT (self));
  send_request (self, "GET", "/api/v1/me", NULL, NULL, NULL,
                parse_user, g_object_unref, tn_client_me_async,
                cancellable, callback, user_data);
}

/**
 * tn_client_me_finish:
 *
 * Returns: (transfer full) (nullable): the user the token belongs to
 */
TnUser *
tn_client_me_finish (TnClient      *self,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
insert_time (GHashTable *query,
             const char *name,
             gint64      value)
{
  if (value != 0)
    g_hash_table_insert (query, g_strdup (name), tn_time_format (value));
}

static void
insert_string (GHashTable *query,
               const char *name,
               const char *value)
{
  if (value != NULL && value[0] != '\0')
    g_hash_table_insert (query, g_strdup (name), g_strdup (value));
}

/**
 * tn_client_list_events_async:
 * @self: a #TnClient
 * @filter: (nullable): which events, and which page
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the server has answered
 * @user_data: data for @callback
 *
 * Lists events, in order of their start.
 */
void
tn_client_list_events_async (TnClient            *self,
                             const TnEventFilter *filter,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GHashTable) query = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_return_if_fail (TN_IS_CLIENT (self));

  if (filter != NULL)
    {
      insert_time (query, "from", filter->from);
      insert_time (query, "to", filter->to);
      insert_string (query, "q", filter->q);
      insert_string (query, "category", filter->category);
      insert_string (query, "tag", filter->tag);
      insert_string (query, "status", filter->status);
      insert_string (query, "cursor", filter->cursor);
      if (filter->limit > 0)
        g_hash_table_insert (query, g_strdup ("limit"), g_strdup_printf ("%u", filter->limit));
    }

  send_request (self, "GET", "/api/v1/events", query, NULL, NULL,
                parse_event_page, page_free, tn_client_list_events_async,
                cancellable, callback, user_data);
}

/**
 * tn_client_list_events_finish:
 * @self: a #TnClient
 * @result: the result given to the callback
 * @next_cursor: (out) (optional) (nullable): the cursor of the next page,
 *   or %NULL on the last page
 * @error: return location for a #TnError
 *
 * Returns: (transfer container) (element-type TnEvent) (nullable): the events
 */
GPtrArray *
tn_client_list_events_finish (TnClient      *self,
                              GAsyncResult  *result,
                              char         **next_cursor,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return page_finish (result, next_cursor, error);
}

void
tn_client_get_event_async (TnClient            *self,
                           const char          *id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (TN_IS_CLIENT (self));
  g_return_if_fail (id != NULL);

  path = event_path (id, NULL);
  send_request (self, "GET", path, NULL, NULL, NULL,
                parse_event, g_object_unref, tn_client_get_event_async,
                cancellable, callback, user_data);
}

/**
 * tn_client_create_event_async:
 * @self: a #TnClient
 * @event: the event; if it has an id the server keeps it, which makes a
 *   retry after a lost answer harmless
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the server has answered
 * @user_data: data for @callback
 */
void
tn_client_create_event_async (TnClient            *self,
                              TnEvent             *event,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (TN_IS_CLIENT (self));
  g_return_if_fail (TN_IS_EVENT (event));

  body = tn_event_to_json (event, TN_EVENT_JSON_CREATE);
  send_request (self, "POST", "/api/v1/events", NULL, body, NULL,
                parse_event, g_object_unref, tn_client_create_event_async,
                cancellable, callback, user_data);
}

/**
 * tn_client_update_event_async:
 * @self: a #TnClient
 * @event: the event as edited; its version is sent as `If-Match`, so an
 *   edit of a stale copy fails with %TN_ERROR_CONFLICT
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the server has answered
 * @user_data: data for @callback
 */
void
tn_client_update_event_async (TnClient            *self,
                              TnEvent             *event,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;
  g_autofree char *if_match = NULL;

  g_return_if_fail (TN_IS_CLIENT (self));
  g_return_if_fail (TN_IS_EVENT (event));
  g_return_if_fail (tn_event_get_id (event) != NULL);

  body = tn_event_to_json (event, TN_EVENT_JSON_PATCH);
  path = event_path (tn_event_get_id (event), NULL);
  if_match = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", tn_event_get_version (event));
  send_request (self, "PATCH", path, NULL, body, if_match,
                parse_event, g_object_unref, tn_client_update_event_async,
                cancellable, callback, user_data);
}

void
tn_client_cancel_event_async (TnClient            *self,
                              const char          *id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (TN_IS_CLIENT (self));
  g_return_if_fail (id != NULL);

  path = event_path (id, "/cancel");
  send_request (self, "POST", path, NULL, NULL, NULL,
                parse_event, g_object_unref, tn_client_cancel_event_async,
                cancellable, callback, user_data);
}

/**
 * tn_client_event_finish:
 * @self: a #TnClient
 * @result: the result of tn_client_get_event_async(),
 *   tn_client_create_event_async(), tn_client_update_event_async() or
 *   tn_client_cancel_event_async()
 * @error: return location for a #TnError
 *
 * Returns: (transfer full) (nullable): the event as the server now has it
 */
TnEvent *
tn_client_event_finish (TnClient      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
tn_client_delete_event_async (TnClient            *self,
                              const char          *id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (TN_IS_CLIENT (self));
  g_return_if_fail (id != NULL);

  path = event_path (id, NULL);
  send_request (self, "DELETE", path, NULL, NULL, NULL,
                parse_nothing, NULL, tn_client_delete_event_async,
                cancellable, callback, user_data);
}

gboolean
tn_client_delete_event_finish (TnClient      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_pointer (G_TASK (result), error) != NULL;
}

/**
 * tn_client_get_rsvp_async:
 * @self: a #TnClient
 * @event_id: the event
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the server has answered
 * @user_data: data for @callback
 *
 * Fetches the signed-in user's answer for @event_id; finish with
 * tn_client_attendee_finish(). No answer yet is %TN_ERROR_NOT_FOUND.
 */
void
tn_client_get_rsvp_async (TnClient            *self,
                          const char          *event_id,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (TN_IS_CLIENT (self));
  g_return_if_fail (event_id != NULL);

  path = event_path (event_id, "/rsvp");
  send_request (self, "GET", path, NULL, NULL, NULL,
                parse_attendee, g_object_unref, tn_client_get_rsvp_async,
                cancellable, callback, user_data);
}

/**
 * tn_client_set_rsvp_async:
 * @self: a #TnClient
 * @event_id: the event
 * @status: %TN_RSVP_GOING, %TN_RSVP_INTERESTED, %TN_RSVP_MAYBE or
 *   %TN_RSVP_NOT_GOING
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the server has answered
 * @user_data: data for @callback
 *
 * Answers for the signed-in user. Asking for `going` gets a seat and a
 * ticket, or a place on the waitlist; a full event without a waitlist is
 * %TN_ERROR_CAPACITY_FULL. Finish with tn_client_attendee_finish().
 */
void
tn_client_set_rsvp_async (TnClient            *self,
                          const char          *event_id,
                          TnRsvpStatus         status,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *path = NULL;

  g_return_if_fail (TN_IS_CLIENT (self));
  g_return_if_fail (event_id != NULL);
  g_return_if_fail (status != TN_RSVP_WAITLISTED);

  json_object_set_string_member (object, "status", tn_rsvp_status_to_string (status));
  json_node_set_object (body, object);
  path = event_path (event_id, "/rsvp");
  send_request (self, "PUT", path, NULL, body, NULL,
                parse_attendee, g_object_unref, tn_client_set_rsvp_async,
                cancellable, callback, user_data);
}

/**
 * tn_client_attendee_finish:
 * @self: a #TnClient
 * @result: the result given to the callback
 * @error: return location for a #TnError
 *
 * Finishes tn_client_get_rsvp_async(), tn_client_set_rsvp_async(),
 * tn_client_add_guest_async() and the ticket calls.
 *
 * Returns: (transfer full) (nullable): the attendee as stored, with the
 *   waitlist position or the ticket code
 */
TnAttendee *
tn_client_attendee_finish (TnClient      *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static char *
attendee_path (const char *event_id,
               const char *attendee_id,
               const char *suffix)
{
  g_autofree char *escaped = g_uri_escape_string (attendee_id, NULL, FALSE);
  g_autofree char *tail = g_strconcat ("/attendees/", escaped, suffix, NULL);

  return event_path (event_id, tail);
}

/**
 * tn_client_list_attendees_async:
 * @self: a #TnClient
 * @event_id: the event
 * @status: (nullable): only attendees with this answer
 * @q: (nullable): only attendees whose name or e-mail contains this
 * @limit: page size (0: the server's default)
 * @cursor: (nullable): the `next_cursor` of the previous page
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the server has answered
 * @user_data: data for @callback
 *
 * Lists an event's attendees (for its hosts and staff); finish with
 * tn_client_list_attendees_finish().
 */
void
tn_client_list_attendees_async (TnClient            *self,
                                const char          *event_id,
                                const char          *status,
                                const char          *q,
                                guint                limit,
                                const char          *cursor,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GHashTable) query = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *path = NULL;

  g_return_if_fail (TN_IS_CLIENT (self));
  g_return_if_fail (event_id != NULL);

  insert_string (query, "status", status);
  insert_string (query, "q", q);
  insert_string (query, "cursor", cursor);
  if (limit > 0)
    g_hash_table_insert (query, g_strdup ("limit"), g_strdup_printf ("%u", limit));
  path = event_path (event_id, "/attendees");
  send_request (self, "GET", path, query, NULL, NULL,
                parse_attendee_page, page_free, tn_client_list_attendees_async,
                cancellable, callback, user_data);
}

/**
 * tn_client_list_attendees_finish:
 * @self: a #TnClient
 * @result: the result given to the callback
 * @next_cursor: (out) (optional) (nullable): the cursor of the next page
 * @error: return location for a #TnError
 *
 * Returns: (transfer container) (element-type TnAttendee) (nullable): the attendees
 */
GPtrArray *
tn_client_list_attendees_finish (TnClient      *self,
                                 GAsyncResult  *result,
                                 char         **next_cursor,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return page_finish (result, next_cursor, error);
}

/**
 * tn_client_add_guest_async:
 * @self: a #TnClient
 * @event_id: the event
 * @name: the guest's name
 * @email: the guest's e-mail address
 * @ticket_type: (nullable): such as "Speaker"
 * @note: (nullable): a note shown at the door
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the server has answered
 * @user_data: data for @callback
 *
 * Adds a guest as going (a seat and a ticket, or the waitlist, as for an
 * RSVP). Finish with tn_client_attendee_finish().
 */
void
tn_client_add_guest_async (TnClient            *self,
                           const char          *event_id,
                           const char          *name,
                           const char          *email,
                           const char          *ticket_type,
                           const char          *note,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *path = NULL;

  g_return_if_fail (TN_IS_CLIENT (self));
  g_return_if_fail (event_id != NULL && name != NULL && email != NULL);

  json_object_set_string_member (object, "name", name);
  json_object_set_string_member (object, "email", email);
  if (ticket_type != NULL)
    json_object_set_string_member (object, "ticket_type", ticket_type);
  if (note != NULL)
    json_object_set_string_member (object, "note", note);
  json_node_set_object (body, object);
  path = event_path (event_id, "/attendees");
  send_request (self, "POST", path, NULL, body, NULL,
                parse_attendee, g_object_unref, tn_client_add_guest_async,
                cancellable, callback, user_data);
}

/**
 * tn_client_change_ticket_async:
 * @self: a #TnClient
 * @event_id: the event
 * @attendee_id: the attendee
 * @reissue: %TRUE for a new code (the old one stops working), %FALSE to
 *   revoke the ticket without a new one
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the server has answered
 * @user_data: data for @callback
 *
 * Finish with tn_client_attendee_finish().
 */
void
tn_client_change_ticket_async (TnClient            *self,
                               const char          *event_id,
                               const char          *attendee_id,
                               gboolean             reissue,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (TN_IS_CLIENT (self));
  g_return_if_fail (event_id != NULL && attendee_id != NULL);

  path = attendee_path (event_id, attendee_id, "/ticket");
  send_request (self, reissue ? "POST" : "DELETE", path, NULL, NULL, NULL,
                parse_attendee, g_object_unref, tn_client_change_ticket_async,
                cancellable, callback, user_data);
}
