/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
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
  ParseFunc      parse;          /* NULL: the result is the body as GBytes */
  GDestroyNotify free_result;
  JsonObject    *error_details;  /* `error.details` of a refusal, if any */
} RequestData;

static void
request_data_free (gpointer data)
{
  RequestData *request = data;

  g_clear_pointer (&request->error_details, json_object_unref);
  g_free (request);
}

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

/* The TnError of a refusal; @out_details gets the error body's
 * `details` object, if it has one. */
static GError *
error_from_answer (guint        status,
                   GBytes      *body,
                   JsonObject **out_details)
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
      JsonNode *details = json_object_get_member (error, "details");

      if (details != NULL && JSON_NODE_HOLDS_OBJECT (details))
        *out_details = json_object_ref (json_node_get_object (details));
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
      g_task_return_error (task, error_from_answer (status, body, &data->error_details));
      return;
    }

  if (data->parse == NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&body), (GDestroyNotify) g_bytes_unref);
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

/* Sends @body (nullable) of @content_type, asking for @accept; @parse
 * NULL makes the body of a successful answer the result, as GBytes. */
static void
send_request_full (TnClient            *self,
                   const char          *method,
                   const char          *path,
                   GHashTable          *query,
                   const char          *content_type,
                   GBytes              *body,
                   const char          *accept,
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
  g_task_set_task_data (task, data, request_data_free);

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
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", accept);
  if (self->token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (if_match != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "If-Match", if_match);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, content_type, body);

  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    send_cb, g_steal_pointer (&task));
}

/* A JSON request (@body nullable) for a JSON answer read by @parse. */
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
  g_autoptr(GBytes) bytes = NULL;

  g_assert (parse != NULL);

  if (body != NULL)
    {
      char *text = tn_json_to_string (body);

      bytes = g_bytes_new_take (text, strlen (text));
    }
  send_request_full (self, method, path, query, "application/json", bytes, "application/json", if_match,
                     parse, free_result, source_tag, cancellable, callback, user_data);
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

/* Reads one item of a page; returns a new item or NULL with @error. */
typedef gpointer (*ItemFunc) (JsonObject  *object,
                              GError     **error);

/* `{"items": […], "next_cursor": …}` with items read by @read_item. */
static gpointer
parse_page (JsonObject      *root,
            ItemFunc         read_item,
            GDestroyNotify   free_item,
            GError         **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (free_item);
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
  return parse_page (root, read_event_item, g_object_unref, error);
}

static gpointer
parse_attendee_page (TnClient   *self,
                     JsonObject *root,
                     GError    **error)
{
  return parse_page (root, read_attendee_item, g_object_unref, error);
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

/* --- value types --------------------------------------------------------- */

/**
 * tn_client_category_copy:
 * @category: a #TnClientCategory
 *
 * Returns: (transfer full): a copy of @category
 */
TnClientCategory *
tn_client_category_copy (const TnClientCategory *category)
{
  TnClientCategory *copy;

  g_return_val_if_fail (category != NULL, NULL);

  copy = g_new0 (TnClientCategory, 1);
  copy->slug = g_strdup (category->slug);
  copy->name = g_strdup (category->name);
  copy->colour = g_strdup (category->colour);
  copy->icon = g_strdup (category->icon);
  copy->upcoming_events = category->upcoming_events;
  return copy;
}

void
tn_client_category_free (TnClientCategory *category)
{
  if (category == NULL)
    return;
  g_free (category->slug);
  g_free (category->name);
  g_free (category->colour);
  g_free (category->icon);
  g_free (category);
}

G_DEFINE_BOXED_TYPE (TnClientCategory, tn_client_category, tn_client_category_copy, tn_client_category_free)

/**
 * tn_client_person_copy:
 * @person: a #TnClientPerson
 *
 * Returns: (transfer full): a copy of @person
 */
TnClientPerson *
tn_client_person_copy (const TnClientPerson *person)
{
  TnClientPerson *copy;

  g_return_val_if_fail (person != NULL, NULL);

  copy = g_new0 (TnClientPerson, 1);
  copy->user_id = g_strdup (person->user_id);
  copy->name = g_strdup (person->name);
  copy->email = g_strdup (person->email);
  copy->role = person->role;
  return copy;
}

void
tn_client_person_free (TnClientPerson *person)
{
  if (person == NULL)
    return;
  g_free (person->user_id);
  g_free (person->name);
  g_free (person->email);
  g_free (person);
}

G_DEFINE_BOXED_TYPE (TnClientPerson, tn_client_person, tn_client_person_copy, tn_client_person_free)

/**
 * tn_client_audit_entry_copy:
 * @entry: a #TnClientAuditEntry
 *
 * Returns: (transfer full): a copy of @entry; it shares @entry's
 *   details, which are not to be changed
 */
TnClientAuditEntry *
tn_client_audit_entry_copy (const TnClientAuditEntry *entry)
{
  TnClientAuditEntry *copy;

  g_return_val_if_fail (entry != NULL, NULL);

  copy = g_new0 (TnClientAuditEntry, 1);
  copy->seq = entry->seq;
  copy->at = entry->at;
  copy->actor_id = g_strdup (entry->actor_id);
  copy->actor_email = g_strdup (entry->actor_email);
  copy->action = g_strdup (entry->action);
  copy->target_type = g_strdup (entry->target_type);
  copy->target_id = g_strdup (entry->target_id);
  copy->event_id = g_strdup (entry->event_id);
  copy->details = entry->details != NULL ? json_object_ref (entry->details) : NULL;
  return copy;
}

void
tn_client_audit_entry_free (TnClientAuditEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->actor_id);
  g_free (entry->actor_email);
  g_free (entry->action);
  g_free (entry->target_type);
  g_free (entry->target_id);
  g_free (entry->event_id);
  g_clear_pointer (&entry->details, json_object_unref);
  g_free (entry);
}

G_DEFINE_BOXED_TYPE (TnClientAuditEntry, tn_client_audit_entry, tn_client_audit_entry_copy, tn_client_audit_entry_free)

/**
 * tn_client_import_row_copy:
 * @row: a #TnClientImportRow
 *
 * Returns: (transfer full): a copy of @row
 */
TnClientImportRow *
tn_client_import_row_copy (const TnClientImportRow *row)
{
  TnClientImportRow *copy;

  g_return_val_if_fail (row != NULL, NULL);

  copy = g_new0 (TnClientImportRow, 1);
  copy->line = row->line;
  copy->email = g_strdup (row->email);
  copy->outcome = row->outcome;
  copy->error = g_strdup (row->error);
  return copy;
}

void
tn_client_import_row_free (TnClientImportRow *row)
{
  if (row == NULL)
    return;
  g_free (row->email);
  g_free (row->error);
  g_free (row);
}

G_DEFINE_BOXED_TYPE (TnClientImportRow, tn_client_import_row, tn_client_import_row_copy, tn_client_import_row_free)

static TnClientImportReport *
import_report_new (void)
{
  TnClientImportReport *report = g_new0 (TnClientImportReport, 1);

  report->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) tn_client_import_row_free);
  return report;
}

/**
 * tn_client_import_report_copy:
 * @report: a #TnClientImportReport
 *
 * Returns: (transfer full): a copy of @report
 */
TnClientImportReport *
tn_client_import_report_copy (const TnClientImportReport *report)
{
  TnClientImportReport *copy;

  g_return_val_if_fail (report != NULL, NULL);

  copy = import_report_new ();
  for (guint i = 0; i < report->rows->len; i++)
    g_ptr_array_add (copy->rows, tn_client_import_row_copy (report->rows->pdata[i]));
  copy->created = report->created;
  copy->waitlisted = report->waitlisted;
  copy->updated = report->updated;
  copy->unchanged = report->unchanged;
  copy->errors = report->errors;
  copy->header_error = g_strdup (report->header_error);
  return copy;
}

void
tn_client_import_report_free (TnClientImportReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->rows, g_ptr_array_unref);
  g_free (report->header_error);
  g_free (report);
}

G_DEFINE_BOXED_TYPE (TnClientImportReport, tn_client_import_report,
                     tn_client_import_report_copy, tn_client_import_report_free)

static const char * const person_roles[] = { "cohost", "staff", "invited", NULL };
static const char * const import_outcomes[] = { "created", "waitlisted", "updated", "unchanged", "error", NULL };

/* The index of @text in @names, or -1. */
static int
find_name (const char * const *names,
           const char         *text)
{
  for (int i = 0; text != NULL && names[i] != NULL; i++)
    if (g_str_equal (names[i], text))
      return i;
  return -1;
}

/* A count of at least 0 in @object, or -1. */
static gint64
get_count (JsonObject *object,
           const char *name)
{
  gint64 value = tn_json_object_get_int (object, name, -1);

  return value >= 0 && value <= G_MAXUINT ? value : -1;
}

/* @name is missing, null or a string. */
static gboolean
get_nullable_string (JsonObject  *object,
                     const char  *name,
                     const char **out_value)
{
  JsonNode *node = json_object_get_member (object, name);

  *out_value = tn_json_object_get_string (object, name);
  return node == NULL || JSON_NODE_HOLDS_NULL (node) || *out_value != NULL;
}

static gpointer
read_category_item (JsonObject  *object,
                    GError     **error)
{
  TnClientCategory *category;
  const char *slug = tn_json_object_get_string (object, "slug");
  const char *name = tn_json_object_get_string (object, "name");
  const char *colour = tn_json_object_get_string (object, "colour");
  const char *icon = tn_json_object_get_string (object, "icon");
  gint64 upcoming = get_count (object, "upcoming_events");

  if (slug == NULL || name == NULL || colour == NULL || icon == NULL || upcoming < 0)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST, _("The server sent a category that cannot be read"));
      return NULL;
    }
  category = g_new0 (TnClientCategory, 1);
  category->slug = g_strdup (slug);
  category->name = g_strdup (name);
  category->colour = g_strdup (colour);
  category->icon = g_strdup (icon);
  category->upcoming_events = (guint) upcoming;
  return category;
}

static gpointer
read_person_item (JsonObject  *object,
                  GError     **error)
{
  TnClientPerson *person;
  const char *user_id = tn_json_object_get_string (object, "user_id");
  const char *name = tn_json_object_get_string (object, "name");
  const char *email = tn_json_object_get_string (object, "email");
  int role = find_name (person_roles, tn_json_object_get_string (object, "role"));

  if (user_id == NULL || name == NULL || email == NULL || role < 0)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST, _("The server sent a team member that cannot be read"));
      return NULL;
    }
  person = g_new0 (TnClientPerson, 1);
  person->user_id = g_strdup (user_id);
  person->name = g_strdup (name);
  person->email = g_strdup (email);
  person->role = (TnClientPersonRole) role;
  return person;
}

static gpointer
read_audit_item (JsonObject  *object,
                 GError     **error)
{
  TnClientAuditEntry *entry;
  JsonNode *actor_node = json_object_get_member (object, "actor");
  JsonNode *details_node = json_object_get_member (object, "details");
  JsonObject *actor = actor_node != NULL && JSON_NODE_HOLDS_OBJECT (actor_node)
                      ? json_node_get_object (actor_node) : NULL;
  const char *at_text = tn_json_object_get_string (object, "at");
  const char *action = tn_json_object_get_string (object, "action");
  const char *target_type = tn_json_object_get_string (object, "target_type");
  const char *actor_id = NULL, *actor_email = NULL, *target_id = NULL, *event_id = NULL;
  gint64 seq = tn_json_object_get_int (object, "seq", -1);
  gint64 at = 0;

  if (seq < 0 || at_text == NULL || !tn_time_parse (at_text, &at, NULL) ||
      action == NULL || target_type == NULL || actor == NULL ||
      !get_nullable_string (actor, "id", &actor_id) ||
      !get_nullable_string (actor, "email", &actor_email) ||
      !get_nullable_string (object, "target_id", &target_id) ||
      !get_nullable_string (object, "event_id", &event_id) ||
      (details_node != NULL && !JSON_NODE_HOLDS_OBJECT (details_node)))
    {
      g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST, _("The server sent an audit record that cannot be read"));
      return NULL;
    }
  entry = g_new0 (TnClientAuditEntry, 1);
  entry->seq = seq;
  entry->at = at;
  entry->actor_id = g_strdup (actor_id);
  entry->actor_email = g_strdup (actor_email);
  entry->action = g_strdup (action);
  entry->target_type = g_strdup (target_type);
  entry->target_id = g_strdup (target_id);
  entry->event_id = g_strdup (event_id);
  entry->details = details_node != NULL ? json_object_ref (json_node_get_object (details_node))
                                        : json_object_new ();
  return entry;
}

static gpointer
parse_category_page (TnClient   *self,
                     JsonObject *root,
                     GError    **error)
{
  return parse_page (root, read_category_item, (GDestroyNotify) tn_client_category_free, error);
}

static gpointer
parse_person_page (TnClient   *self,
                   JsonObject *root,
                   GError    **error)
{
  return parse_page (root, read_person_item, (GDestroyNotify) tn_client_person_free, error);
}

static gpointer
parse_audit_page (TnClient   *self,
                  JsonObject *root,
                  GError    **error)
{
  return parse_page (root, read_audit_item, (GDestroyNotify) tn_client_audit_entry_free, error);
}

static gpointer
parse_person (TnClient   *self,
              JsonObject *root,
              GError    **error)
{
  if (root == NULL)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST, _("The server sent an empty answer"));
      return NULL;
    }
  return read_person_item (root, error);
}

/* The answer of a stored import, or the `details` of a refused one:
 * `rows` (in a refusal only those in error, and absent for a bad header),
 * the counts, and `header`. */
static TnClientImportReport *
import_report_from_json (JsonObject  *object,
                         GError     **error)
{
  g_autoptr(TnClientImportReport) report = import_report_new ();
  JsonNode *rows_node = json_object_get_member (object, "rows");
  JsonNode *header_node = json_object_get_member (object, "header");
  guint *counts[] = { &report->created, &report->waitlisted, &report->updated, &report->unchanged, &report->errors };
  const char *count_names[] = { "created", "waitlisted", "updated", "unchanged", "errors" };

  if ((rows_node == NULL && header_node == NULL) ||
      (rows_node != NULL && !JSON_NODE_HOLDS_ARRAY (rows_node)) ||
      (header_node != NULL && !tn_json_node_is_string (header_node)))
    goto fail;
  if (header_node != NULL)
    report->header_error = g_strdup (json_node_get_string (header_node));
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      gint64 count = json_object_has_member (object, count_names[i]) ? get_count (object, count_names[i]) : 0;

      if (count < 0)
        goto fail;
      *counts[i] = (guint) count;
    }
  if (rows_node != NULL)
    {
      JsonArray *rows = json_node_get_array (rows_node);

      for (guint i = 0; i < json_array_get_length (rows); i++)
        {
          JsonNode *element = json_array_get_element (rows, i);
          JsonObject *row_object;
          TnClientImportRow *row;
          const char *email, *message = NULL;
          gint64 line;
          int outcome;

          if (!JSON_NODE_HOLDS_OBJECT (element))
            goto fail;
          row_object = json_node_get_object (element);
          line = get_count (row_object, "line");
          email = tn_json_object_get_string (row_object, "email");
          outcome = find_name (import_outcomes, tn_json_object_get_string (row_object, "result"));
          if (line < 1 || email == NULL || outcome < 0 || !get_nullable_string (row_object, "error", &message))
            goto fail;
          row = g_new0 (TnClientImportRow, 1);
          row->line = (guint) line;
          row->email = g_strdup (email);
          row->outcome = (TnClientImportOutcome) outcome;
          row->error = g_strdup (message);
          g_ptr_array_add (report->rows, row);
        }
    }
  return g_steal_pointer (&report);

fail:
  g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST, _("The server sent import results that cannot be read"));
  return NULL;
}

static gpointer
parse_import_report (TnClient   *self,
                     JsonObject *root,
                     GError    **error)
{
  if (root == NULL)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST, _("The server sent an empty answer"));
      return NULL;
    }
  return import_report_from_json (root, error);
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

/* `If-Match: "N"` for @version, or none for a negative one. */
static char *
if_match_for (gint64 version)
{
  return version >= 0 ? g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", version) : NULL;
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
  if_match = if_match_for (tn_event_get_version (event));
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
  tn_client_cancel_event_at_version_async (self, id, -1, cancellable, callback, user_data);
}

/**
 * tn_client_cancel_event_at_version_async:
 * @self: a #TnClient
 * @id: the event's id
 * @version: the event version the cancellation was decided on, sent as
 *   `If-Match`, so that it fails with %TN_ERROR_CONFLICT when the event
 *   changed meanwhile; -1 to send none (as tn_client_cancel_event_async())
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the server has answered; finish with
 *   tn_client_event_finish()
 * @user_data: data for @callback
 */
void
tn_client_cancel_event_at_version_async (TnClient            *self,
                                         const char          *id,
                                         gint64               version,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autofree char *path = NULL;
  g_autofree char *if_match = NULL;

  g_return_if_fail (TN_IS_CLIENT (self));
  g_return_if_fail (id != NULL);

  path = event_path (id, "/cancel");
  if_match = if_match_for (version);
  send_request (self, "POST", path, NULL, NULL, if_match,
                parse_event, g_object_unref, tn_client_cancel_event_at_version_async,
                cancellable, callback, user_data);
}

/**
 * tn_client_event_finish:
 * @self: a #TnClient
 * @result: the result of tn_client_get_event_async(),
 *   tn_client_create_event_async(), tn_client_update_event_async(),
 *   tn_client_cancel_event_async() or
 *   tn_client_cancel_event_at_version_async()
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
  tn_client_delete_event_at_version_async (self, id, -1, cancellable, callback, user_data);
}

/**
 * tn_client_delete_event_at_version_async:
 * @self: a #TnClient
 * @id: the event's id
 * @version: the event version the deletion was decided on, sent as
 *   `If-Match`, so that it fails with %TN_ERROR_CONFLICT when the event
 *   changed meanwhile; -1 to send none (as tn_client_delete_event_async())
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the server has answered; finish with
 *   tn_client_delete_event_finish()
 * @user_data: data for @callback
 */
void
tn_client_delete_event_at_version_async (TnClient            *self,
                                         const char          *id,
                                         gint64               version,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autofree char *path = NULL;
  g_autofree char *if_match = NULL;

  g_return_if_fail (TN_IS_CLIENT (self));
  g_return_if_fail (id != NULL);

  path = event_path (id, NULL);
  if_match = if_match_for (version);
  send_request (self, "DELETE", path, NULL, NULL, if_match,
                parse_nothing, NULL, tn_client_delete_event_at_version_async,
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

/**
 * tn_client_import_attendees_async:
 * @self: a #TnClient
 * @event_id: the event
 * @csv: the file: UTF-8 CSV with a header row naming the columns `name`
 *   and `email`, optionally `ticket_type`, `note` and `status` (the file of
 *   tn_client_export_attendees_async() reads back)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the server has answered
 * @user_data: data for @callback
 *
 * Imports guests, for the event's organizer, co-hosts and admins. The
 * server stores every row or none; finish with
 * tn_client_import_attendees_finish().
 */
void
tn_client_import_attendees_async (TnClient            *self,
                                  const char          *event_id,
                                  GBytes              *csv,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (TN_IS_CLIENT (self));
  g_return_if_fail (event_id != NULL);
  g_return_if_fail (csv != NULL);

  path = event_path (event_id, "/attendees/import");
  send_request_full (self, "POST", path, NULL, "text/csv", csv, "application/json", NULL,
                     parse_import_report, (GDestroyNotify) tn_client_import_report_free,
                     tn_client_import_attendees_async, cancellable, callback, user_data);
}

/**
 * tn_client_import_attendees_finish:
 * @self: a #TnClient
 * @result: the result given to the callback
 * @out_report: (out) (optional) (nullable) (transfer full): what became of
 *   each row
 * @error: return location for a #TnError
 *
 * When the import was stored, @out_report has every row in file order and
 * the counts. When the server refused the file because of its header or
 * some of its rows (%TN_ERROR_VALIDATION_FAILED, or %TN_ERROR_CAPACITY_FULL
 * for a row that found no seat), this returns %FALSE and still sets
 * @out_report: to the rows in error, or with `header_error` set. Nothing
 * was stored then. A file that cannot be read as CSV at all is
 * %TN_ERROR_BAD_REQUEST with the line in the message and no report.
 *
 * Returns: %TRUE if every row was stored
 */
gboolean
tn_client_import_attendees_finish (TnClient              *self,
                                   GAsyncResult          *result,
                                   TnClientImportReport **out_report,
                                   GError               **error)
{
  TnClientImportReport *report;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, tn_client_import_attendees_async), FALSE);

  if (out_report != NULL)
    *out_report = NULL;
  report = g_task_propagate_pointer (G_TASK (result), error);
  if (report == NULL)
    {
      RequestData *data = g_task_get_task_data (G_TASK (result));

      if (out_report != NULL && data->error_details != NULL)
        *out_report = import_report_from_json (data->error_details, NULL);
      return FALSE;
    }
  if (out_report != NULL)
    *out_report = report;
  else
    tn_client_import_report_free (report);
  return TRUE;
}

/**
 * tn_client_export_attendees_async:
 * @self: a #TnClient
 * @event_id: the event
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the server has answered
 * @user_data: data for @callback
 *
 * Fetches an event's attendees as CSV (for its hosts and staff); finish
 * with tn_client_export_attendees_finish().
 */
void
tn_client_export_attendees_async (TnClient            *self,
                                  const char          *event_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (TN_IS_CLIENT (self));
  g_return_if_fail (event_id != NULL);

  path = event_path (event_id, "/attendees.csv");
  send_request_full (self, "GET", path, NULL, NULL, NULL, "text/csv", NULL,
                     NULL, NULL, tn_client_export_attendees_async, cancellable, callback, user_data);
}

/**
 * tn_client_export_attendees_finish:
 * @self: a #TnClient
 * @result: the result given to the callback
 * @error: return location for a #TnError
 *
 * Returns: (transfer full) (nullable): the CSV file: UTF-8, CRLF line
 *   ends, a header row `name,email,status,ticket_type,note,ticket_code,waitlist_position`
 */
GBytes *
tn_client_export_attendees_finish (TnClient      *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, tn_client_export_attendees_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * tn_client_list_categories_async:
 * @self: a #TnClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the server has answered
 * @user_data: data for @callback
 *
 * Lists every category (one page); works signed in or not. Finish with
 * tn_client_list_categories_finish().
 */
void
tn_client_list_categories_async (TnClient            *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (TN_IS_CLIENT (self));

  send_request (self, "GET", "/api/v1/categories", NULL, NULL, NULL,
                parse_category_page, page_free, tn_client_list_categories_async,
                cancellable, callback, user_data);
}

/**
 * tn_client_list_categories_finish:
 * @self: a #TnClient
 * @result: the result given to the callback
 * @error: return location for a #TnError
 *
 * Returns: (transfer container) (element-type TnClientCategory) (nullable):
 *   the categories, with the number of upcoming events the caller sees in each
 */
GPtrArray *
tn_client_list_categories_finish (TnClient      *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, tn_client_list_categories_async), NULL);
  return page_finish (result, NULL, error);
}

/**
 * tn_client_list_people_async:
 * @self: a #TnClient
 * @event_id: the event
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the server has answered
 * @user_data: data for @callback
 *
 * Lists an event's co-hosts, staff and invited guests (one page), for its
 * organizer, co-hosts and admins. Finish with tn_client_list_people_finish().
 */
void
tn_client_list_people_async (TnClient            *self,
                             const char          *event_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (TN_IS_CLIENT (self));
  g_return_if_fail (event_id != NULL);

  path = event_path (event_id, "/people");
  send_request (self, "GET", path, NULL, NULL, NULL,
                parse_person_page, page_free, tn_client_list_people_async,
                cancellable, callback, user_data);
}

/**
 * tn_client_list_people_finish:
 * @self: a #TnClient
 * @result: the result given to the callback
 * @error: return location for a #TnError
 *
 * Returns: (transfer container) (element-type TnClientPerson) (nullable):
 *   the event's team and guest list
 */
GPtrArray *
tn_client_list_people_finish (TnClient      *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, tn_client_list_people_async), NULL);
  return page_finish (result, NULL, error);
}

static char *
person_path (const char *event_id,
             const char *user_id)
{
  g_autofree char *escaped = g_uri_escape_string (user_id, NULL, FALSE);
  g_autofree char *tail = g_strconcat ("/people/", escaped, NULL);

  return event_path (event_id, tail);
}

/**
 * tn_client_set_person_async:
 * @self: a #TnClient
 * @event_id: the event
 * @user_id: the user
 * @role: the user's new role at the event
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the server has answered
 * @user_data: data for @callback
 *
 * Makes a user a co-host, staff or an invited guest of an event (or
 * changes their role). Co-hosts manage staff and guests; only the
 * organizer and admins make or unmake co-hosts (%TN_ERROR_FORBIDDEN). The
 * organizer takes no role (%TN_ERROR_VALIDATION_FAILED). Finish with
 * tn_client_set_person_finish().
 */
void
tn_client_set_person_async (TnClient            *self,
                            const char          *event_id,
                            const char          *user_id,
                            TnClientPersonRole   role,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *path = NULL;

  g_return_if_fail (TN_IS_CLIENT (self));
  g_return_if_fail (event_id != NULL && user_id != NULL);
  g_return_if_fail (role <= TN_CLIENT_PERSON_ROLE_INVITED);

  json_object_set_string_member (object, "role", person_roles[role]);
  json_node_set_object (body, object);
  path = person_path (event_id, user_id);
  send_request (self, "PUT", path, NULL, body, NULL,
                parse_person, (GDestroyNotify) tn_client_person_free, tn_client_set_person_async,
                cancellable, callback, user_data);
}

/**
 * tn_client_set_person_finish:
 * @self: a #TnClient
 * @result: the result given to the callback
 * @error: return location for a #TnError
 *
 * Returns: (transfer full) (nullable): the user's entry as stored
 */
TnClientPerson *
tn_client_set_person_finish (TnClient      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, tn_client_set_person_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * tn_client_remove_person_async:
 * @self: a #TnClient
 * @event_id: the event
 * @user_id: the user
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the server has answered
 * @user_data: data for @callback
 *
 * Takes a user off an event's team and guest list; only the organizer and
 * admins remove co-hosts. Finish with tn_client_remove_person_finish().
 */
void
tn_client_remove_person_async (TnClient            *self,
                               const char          *event_id,
                               const char          *user_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (TN_IS_CLIENT (self));
  g_return_if_fail (event_id != NULL && user_id != NULL);

  path = person_path (event_id, user_id);
  send_request (self, "DELETE", path, NULL, NULL, NULL,
                parse_nothing, NULL, tn_client_remove_person_async,
                cancellable, callback, user_data);
}

/**
 * tn_client_remove_person_finish:
 * @self: a #TnClient
 * @result: the result given to the callback
 * @error: return location for a #TnError
 *
 * Returns: %TRUE once the user is off the list
 */
gboolean
tn_client_remove_person_finish (TnClient      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, tn_client_remove_person_async), FALSE);
  return g_task_propagate_pointer (G_TASK (result), error) != NULL;
}

/**
 * tn_client_list_audit_async:
 * @self: a #TnClient
 * @filter: (nullable): which records, and which page
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the server has answered
 * @user_data: data for @callback
 *
 * Lists the audit log, newest first; for admins only (others get
 * %TN_ERROR_FORBIDDEN). Finish with tn_client_list_audit_finish().
 */
void
tn_client_list_audit_async (TnClient            *self,
                            const TnAuditFilter *filter,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GHashTable) query = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_return_if_fail (TN_IS_CLIENT (self));

  if (filter != NULL)
    {
      insert_string (query, "event_id", filter->event_id);
      insert_string (query, "actor_id", filter->actor_id);
      insert_string (query, "action", filter->action);
      insert_time (query, "from", filter->from);
      insert_time (query, "to", filter->to);
      insert_string (query, "cursor", filter->cursor);
      if (filter->limit > 0)
        g_hash_table_insert (query, g_strdup ("limit"), g_strdup_printf ("%u", filter->limit));
    }

  send_request (self, "GET", "/api/v1/audit", query, NULL, NULL,
                parse_audit_page, page_free, tn_client_list_audit_async,
                cancellable, callback, user_data);
}

/**
 * tn_client_list_audit_finish:
 * @self: a #TnClient
 * @result: the result given to the callback
 * @next_cursor: (out) (optional) (nullable): the cursor of the next page,
 *   or %NULL on the last page
 * @error: return location for a #TnError
 *
 * Returns: (transfer container) (element-type TnClientAuditEntry) (nullable):
 *   the records
 */
GPtrArray *
tn_client_list_audit_finish (TnClient      *self,
                             GAsyncResult  *result,
                             char         **next_cursor,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, tn_client_list_audit_async), NULL);
  return page_finish (result, next_cursor, error);
}

/* --- door devices and check-in ------------------------------------------- */

static gpointer
parse_pairing (TnClient   *self,
               JsonObject *root,
               GError    **error)
{
  const char *token = root != NULL ? tn_json_object_get_string (root, "token") : NULL;
  JsonNode *device = root != NULL ? json_object_get_member (root, "device") : NULL;

  if (token == NULL || device == NULL || !JSON_NODE_HOLDS_OBJECT (device) ||
      tn_json_object_get_string (json_node_get_object (device), "id") == NULL ||
      tn_json_object_get_string (json_node_get_object (device), "event_id") == NULL)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST, _("The server sent a pairing answer that cannot be read"));
      return NULL;
    }
  tn_client_set_token (self, token);
  return json_object_ref (json_node_get_object (device));
}

/**
 * tn_client_pair_device_async:
 * @self: a #TnClient
 * @pairing_code: the code the organizer's app shows (`7K2Q-MW9D-X4T1`)
 * @name: the door's name, such as "North entrance"
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the server has answered
 * @user_data: data for @callback
 *
 * Exchanges a pairing code for a device token (`POST /api/v1/devices`,
 * sent without Authorization). On success the client keeps the device
 * token for later calls, as after signing in.
 */
void
tn_client_pair_device_async (TnClient            *self,
                             const char          *pairing_code,
                             const char          *name,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *token = NULL;

  g_return_if_fail (TN_IS_CLIENT (self));
  g_return_if_fail (pairing_code != NULL && name != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "pairing_code");
  json_builder_add_string_value (builder, pairing_code);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  /* The contract pairs without Authorization: a signed-in user's token
   * stays out of this request (it is set on the message synchronously). */
  token = g_steal_pointer (&self->token);
  send_request (self, "POST", "/api/v1/devices", NULL, body, NULL,
                parse_pairing, (GDestroyNotify) json_object_unref, tn_client_pair_device_async,
                cancellable, callback, user_data);
  self->token = g_steal_pointer (&token);
}

/**
 * tn_client_pair_device_finish:
 * @self: a #TnClient
 * @result: the result given to the callback
 * @error: return location for a #TnError (%TN_ERROR_UNAUTHORIZED for a
 *   wrong, used or expired code)
 *
 * Returns: (transfer full) (nullable): the Device, `{"id", "event_id",
 *   "name", "role", …}`; its token is the client's now
 */
JsonObject *
tn_client_pair_device_finish (TnClient      *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Answers that are one JSON object, handed over as they are. */
static gpointer
parse_object (TnClient   *self,
              JsonObject *root,
              GError    **error)
{
  if (root == NULL)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST, _("The server sent an answer that cannot be read"));
      return NULL;
    }
  return json_object_ref (root);
}

static char *
id_path (const char *prefix,
         const char *id)
{
  g_autofree char *escaped = g_uri_escape_string (id, NULL, FALSE);

  return g_strconcat (prefix, escaped, NULL);
}

/**
 * tn_client_create_pairing_code_async:
 * @self: a #TnClient, signed in as someone who may check people in
 * @event_id: the event the door will work for
 * @role: `steward` (scans only) or `supervisor` (may also undo scans)
 * @name: (nullable): a name for the door
 *
 * Asks for a one-time pairing code (`POST /api/v1/devices/pairing`) to
 * show the door staff, as text or a QR code.
 */
void
tn_client_create_pairing_code_async (TnClient            *self,
                                     const char          *event_id,
                                     const char          *role,
                                     const char          *name,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (TN_IS_CLIENT (self));
  g_return_if_fail (event_id != NULL && role != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "event_id");
  json_builder_add_string_value (builder, event_id);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, role);
  if (name != NULL)
    {
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, name);
    }
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  send_request (self, "POST", "/api/v1/devices/pairing", NULL, body, NULL,
                parse_object, (GDestroyNotify) json_object_unref, tn_client_create_pairing_code_async,
                cancellable, callback, user_data);
}

/**
 * tn_client_create_pairing_code_finish:
 *
 * Returns: (transfer full) (nullable): `{"code", "event_id", "role",
 *   "expires_at"}`
 */
JsonObject *
tn_client_create_pairing_code_finish (TnClient      *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * tn_client_list_devices_async:
 * @event_id: the event whose door devices to list
 *
 * `GET /api/v1/devices?event_id=`.
 */
void
tn_client_list_devices_async (TnClient            *self,
                              const char          *event_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GHashTable) query = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_if_fail (TN_IS_CLIENT (self));
  g_return_if_fail (event_id != NULL);

  g_hash_table_insert (query, (gpointer) "event_id", (gpointer) event_id);
  send_request (self, "GET", "/api/v1/devices", query, NULL, NULL,
                parse_object, (GDestroyNotify) json_object_unref, tn_client_list_devices_async,
                cancellable, callback, user_data);
}

/**
 * tn_client_list_devices_finish:
 *
 * Returns: (transfer full) (nullable): the devices, `{"items": [Device, …]}`
 */
JsonObject *
tn_client_list_devices_finish (TnClient      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * tn_client_rename_device_async:
 *
 * `PATCH /api/v1/devices/{id}` with a new name.
 */
void
tn_client_rename_device_async (TnClient            *self,
                               const char          *device_id,
                               const char          *name,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (TN_IS_CLIENT (self));
  g_return_if_fail (device_id != NULL && name != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  path = id_path ("/api/v1/devices/", device_id);
  send_request (self, "PATCH", path, NULL, body, NULL,
                parse_object, (GDestroyNotify) json_object_unref, tn_client_rename_device_async,
                cancellable, callback, user_data);
}

/**
 * tn_client_rename_device_finish:
 *
 * Returns: (transfer full) (nullable): the Device, renamed
 */
JsonObject *
tn_client_rename_device_finish (TnClient      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * tn_client_revoke_device_async:
 *
 * `DELETE /api/v1/devices/{id}`: the device's token stops working, and
 * the door wipes its data at its next contact.
 */
void
tn_client_revoke_device_async (TnClient            *self,
                               const char          *device_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (TN_IS_CLIENT (self));
  g_return_if_fail (device_id != NULL);

  path = id_path ("/api/v1/devices/", device_id);
  send_request (self, "DELETE", path, NULL, NULL, NULL,
                parse_nothing, NULL, tn_client_revoke_device_async,
                cancellable, callback, user_data);
}

gboolean
tn_client_revoke_device_finish (TnClient      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_pointer (G_TASK (result), error) != NULL;
}

/**
 * tn_client_undo_checkin_async:
 * @scan_id: the id of the scan to undo
 *
 * `DELETE /api/v1/checkins/{id}` (supervisor devices and the event's
 * team): the ticket's state follows its remaining scans.
 */
void
tn_client_undo_checkin_async (TnClient            *self,
                              const char          *scan_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (TN_IS_CLIENT (self));
  g_return_if_fail (scan_id != NULL);

  path = id_path ("/api/v1/checkins/", scan_id);
  send_request (self, "DELETE", path, NULL, NULL, NULL,
                parse_nothing, NULL, tn_client_undo_checkin_async,
                cancellable, callback, user_data);
}

gboolean
tn_client_undo_checkin_finish (TnClient      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_pointer (G_TASK (result), error) != NULL;
}

static gpointer
parse_checkins (TnClient   *self,
                JsonObject *root,
                GError    **error)
{
  JsonNode *results = root != NULL ? json_object_get_member (root, "results") : NULL;
  JsonArray *array;

  if (results == NULL || !JSON_NODE_HOLDS_ARRAY (results))
    goto bad;
  array = json_node_get_array (results);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_OBJECT (element) ||
          tn_json_object_get_string (json_node_get_object (element), "id") == NULL ||
          tn_json_object_get_string (json_node_get_object (element), "verdict") == NULL)
        goto bad;
    }
  return json_array_ref (array);

bad:
  g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST, _("The server sent check-in results that cannot be read"));
  return NULL;
}

/**
 * tn_client_post_checkins_async:
 * @self: a #TnClient
 * @scans: 1 to 1,000 scans, `{"id", "event_id", "code", "direction",
 *   "scanned_at", "device", "local_verdict"}` each
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the server has answered
 * @user_data: data for @callback
 *
 * Posts scans (`POST /api/v1/checkins`). Posting a scan again is harmless:
 * the server answers with the verdict it stored the first time.
 */
void
tn_client_post_checkins_async (TnClient            *self,
                               JsonArray           *scans,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (TN_IS_CLIENT (self));
  g_return_if_fail (scans != NULL);

  json_object_set_array_member (object, "scans", json_array_ref (scans));
  body = json_node_init_object (json_node_alloc (), object);
  send_request (self, "POST", "/api/v1/checkins", NULL, body, NULL,
                parse_checkins, (GDestroyNotify) json_array_unref, tn_client_post_checkins_async,
                cancellable, callback, user_data);
}

/**
 * tn_client_post_checkins_finish:
 * @self: a #TnClient
 * @result: the result given to the callback
 * @error: return location for a #TnError (%TN_ERROR_DEVICE_REVOKED when
 *   the device was revoked)
 *
 * Returns: (transfer full) (nullable): one result per scan, in order:
 *   `{"id", "verdict", "attendee"?, "previous"?, "flagged"}`
 */
JsonArray *
tn_client_post_checkins_finish (TnClient      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gpointer
parse_sync (TnClient   *self,
            JsonObject *root,
            GError    **error)
{
  JsonNode *changes = root != NULL ? json_object_get_member (root, "changes") : NULL;
  JsonNode *event = root != NULL ? json_object_get_member (root, "event") : NULL;

  if (changes == NULL || !JSON_NODE_HOLDS_ARRAY (changes) ||
      event == NULL || !JSON_NODE_HOLDS_OBJECT (event))
    {
      g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST, _("The server sent sync data that cannot be read"));
      return NULL;
    }
  return json_object_ref (root);
}

/**
 * tn_client_sync_async:
 * @self: a #TnClient
 * @event_id: the followed event
 * @since: (nullable): the `cursor` of the previous page; %NULL: from the
 *   beginning
 * @limit: changes per page (0: the server's default)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the server has answered
 * @user_data: data for @callback
 *
 * Asks for the changes after @since (`GET /api/v1/sync`).
 */
void
tn_client_sync_async (TnClient            *self,
                      const char          *event_id,
                      const char          *since,
                      guint                limit,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GHashTable) query = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_return_if_fail (TN_IS_CLIENT (self));
  g_return_if_fail (event_id != NULL);

  insert_string (query, "event_id", event_id);
  insert_string (query, "since", since);
  if (limit > 0)
    g_hash_table_insert (query, g_strdup ("limit"), g_strdup_printf ("%u", limit));
  send_request (self, "GET", "/api/v1/sync", query, NULL, NULL,
                parse_sync, (GDestroyNotify) json_object_unref, tn_client_sync_async,
                cancellable, callback, user_data);
}

/**
 * tn_client_sync_finish:
 * @self: a #TnClient
 * @result: the result given to the callback
 * @error: return location for a #TnError (%TN_ERROR_DEVICE_REVOKED when
 *   the device was revoked)
 *
 * Returns: (transfer full) (nullable): the page, `{"event", "changes",
 *   "cursor", "more"}`, for tn_replica_apply_sync_page()
 */
JsonObject *
tn_client_sync_finish (TnClient      *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- follows and the caller's profile ------------------------------------ */

/**
 * tn_client_follow_copy:
 * @follow: a #TnClientFollow
 *
 * Returns: (transfer full): a copy of @follow
 */
TnClientFollow *
tn_client_follow_copy (const TnClientFollow *follow)
{
  TnClientFollow *copy = g_new0 (TnClientFollow, 1);

  copy->user_id = g_strdup (follow->user_id);
  copy->name = g_strdup (follow->name);
  copy->friend = follow->friend;
  copy->since = follow->since;
  return copy;
}

void
tn_client_follow_free (TnClientFollow *follow)
{
  if (follow == NULL)
    return;
  g_free (follow->user_id);
  g_free (follow->name);
  g_free (follow);
}

G_DEFINE_BOXED_TYPE (TnClientFollow, tn_client_follow, tn_client_follow_copy, tn_client_follow_free)

static gpointer
read_follow_item (JsonObject  *object,
                  GError     **error)
{
  TnClientFollow *follow;
  const char *user_id = tn_json_object_get_string (object, "id");
  const char *name = tn_json_object_get_string (object, "name");
  const char *since_text = tn_json_object_get_string (object, "since");
  JsonNode *friend = json_object_get_member (object, "friend");
  gint64 since = 0;

  if (user_id == NULL || name == NULL || since_text == NULL || !tn_time_parse (since_text, &since, NULL) ||
      friend == NULL || !JSON_NODE_HOLDS_VALUE (friend) || json_node_get_value_type (friend) != G_TYPE_BOOLEAN)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST, _("The server sent a follow that cannot be read"));
      return NULL;
    }
  follow = g_new0 (TnClientFollow, 1);
  follow->user_id = g_strdup (user_id);
  follow->name = g_strdup (name);
  follow->friend = json_node_get_boolean (friend);
  follow->since = since;
  return follow;
}

static gpointer
parse_follow (TnClient   *self,
              JsonObject *root,
              GError    **error)
{
  if (root == NULL)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST, _("The server sent an empty answer"));
      return NULL;
    }
  return read_follow_item (root, error);
}

static gpointer
parse_follow_page (TnClient   *self,
                   JsonObject *root,
                   GError    **error)
{
  return parse_page (root, read_follow_item, (GDestroyNotify) tn_client_follow_free, error);
}

static char *
user_path (const char *user_id,
           const char *suffix)
{
  g_autofree char *escaped = g_uri_escape_string (user_id, NULL, FALSE);

  return g_strconcat ("/api/v1/users/", escaped, suffix, NULL);
}

/**
 * tn_client_follow_async:
 * @self: a #TnClient
 * @user_id: whom to follow
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the server has answered
 * @user_data: data for @callback
 *
 * Makes the signed-in user follow @user_id (following again changes
 * nothing). Finish with tn_client_follow_finish().
 */
void
tn_client_follow_async (TnClient            *self,
                        const char          *user_id,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (TN_IS_CLIENT (self));
  g_return_if_fail (user_id != NULL);

  path = user_path (user_id, "/follow");
  send_request (self, "PUT", path, NULL, NULL, NULL,
                parse_follow, (GDestroyNotify) tn_client_follow_free, tn_client_follow_async,
                cancellable, callback, user_data);
}

/**
 * tn_client_follow_finish:
 * @self: a #TnClient
 * @result: the result given to the callback
 * @error: return location for a #TnError
 *
 * Returns: (transfer full) (nullable): the followed user, with whether
 *   they are now a friend
 */
TnClientFollow *
tn_client_follow_finish (TnClient      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, tn_client_follow_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * tn_client_unfollow_async:
 * @self: a #TnClient
 * @user_id: whom to stop following
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the server has answered
 * @user_data: data for @callback
 *
 * Ends a follow of the signed-in user, if there is one. Finish with
 * tn_client_unfollow_finish().
 */
void
tn_client_unfollow_async (TnClient            *self,
                          const char          *user_id,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (TN_IS_CLIENT (self));
  g_return_if_fail (user_id != NULL);

  path = user_path (user_id, "/follow");
  send_request (self, "DELETE", path, NULL, NULL, NULL,
                parse_nothing, NULL, tn_client_unfollow_async,
                cancellable, callback, user_data);
}

/**
 * tn_client_unfollow_finish:
 * @self: a #TnClient
 * @result: the result given to the callback
 * @error: return location for a #TnError
 *
 * Returns: %TRUE once the follow is gone
 */
gboolean
tn_client_unfollow_finish (TnClient      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, tn_client_unfollow_async), FALSE);
  return g_task_propagate_pointer (G_TASK (result), error) != NULL;
}

static void
list_follows (TnClient            *self,
              const char          *user_id,
              const char          *which,
              guint                limit,
              const char          *cursor,
              gpointer             source_tag,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GHashTable) query = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *path = user_path (user_id, which);

  insert_string (query, "cursor", cursor);
  if (limit > 0)
    g_hash_table_insert (query, g_strdup ("limit"), g_strdup_printf ("%u", limit));
  send_request (self, "GET", path, query, NULL, NULL,
                parse_follow_page, page_free, source_tag,
                cancellable, callback, user_data);
}

/**
 * tn_client_list_followers_async:
 * @self: a #TnClient
 * @user_id: whose followers
 * @limit: page size (0: the server's default)
 * @cursor: (nullable): the `next_cursor` of the previous page
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the server has answered
 * @user_data: data for @callback
 *
 * Lists who follows @user_id, oldest follow first. Finish with
 * tn_client_list_follows_finish().
 */
void
tn_client_list_followers_async (TnClient            *self,
                                const char          *user_id,
                                guint                limit,
                                const char          *cursor,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (TN_IS_CLIENT (self));
  g_return_if_fail (user_id != NULL);
  list_follows (self, user_id, "/followers", limit, cursor, tn_client_list_followers_async,
                cancellable, callback, user_data);
}

/**
 * tn_client_list_following_async:
 * @self: a #TnClient
 * @user_id: whose follows
 * @limit: page size (0: the server's default)
 * @cursor: (nullable): the `next_cursor` of the previous page
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the server has answered
 * @user_data: data for @callback
 *
 * Lists whom @user_id follows, oldest follow first. Finish with
 * tn_client_list_follows_finish().
 */
void
tn_client_list_following_async (TnClient            *self,
                                const char          *user_id,
                                guint                limit,
                                const char          *cursor,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (TN_IS_CLIENT (self));
  g_return_if_fail (user_id != NULL);
  list_follows (self, user_id, "/following", limit, cursor, tn_client_list_following_async,
                cancellable, callback, user_data);
}

/**
 * tn_client_list_follows_finish:
 * @self: a #TnClient
 * @result: the result given to the callback
 * @next_cursor: (out) (optional) (nullable): the cursor of the next page
 * @error: return location for a #TnError
 *
 * Finishes tn_client_list_followers_async() and
 * tn_client_list_following_async().
 *
 * Returns: (transfer container) (element-type TnClientFollow) (nullable):
 *   the entries
 */
GPtrArray *
tn_client_list_follows_finish (TnClient      *self,
                               GAsyncResult  *result,
                               char         **next_cursor,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return page_finish (result, next_cursor, error);
}

/**
 * tn_client_update_profile_async:
 * @self: a #TnClient
 * @set_home: whether to change the home location
 * @home_lat: its latitude (−90 to 90), or NAN to forget it
 * @home_lon: its longitude (−180 to 180), or NAN
 * @interests: (nullable) (array zero-terminated=1): names of categories
 *   (at most 20); %NULL leaves them as they are
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the server has answered
 * @user_data: data for @callback
 *
 * Changes the signed-in user's recommendation profile (PATCH
 * /api/v1/me). Finish with tn_client_update_profile_finish().
 */
void
tn_client_update_profile_async (TnClient            *self,
                                gboolean             set_home,
                                double               home_lat,
                                double               home_lon,
                                const char * const  *interests,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (TN_IS_CLIENT (self));

  if (set_home && (isnan (home_lat) || isnan (home_lon)))
    {
      json_object_set_null_member (object, "home_lat");
      json_object_set_null_member (object, "home_lon");
    }
  else if (set_home)
    {
      json_object_set_double_member (object, "home_lat", home_lat);
      json_object_set_double_member (object, "home_lon", home_lon);
    }
  if (interests != NULL)
    {
      JsonArray *array = json_array_new ();

      for (guint i = 0; interests[i] != NULL; i++)
        json_array_add_string_element (array, interests[i]);
      json_object_set_array_member (object, "interests", array);
    }
  body = json_node_init_object (json_node_alloc (), object);
  send_request (self, "PATCH", "/api/v1/me", NULL, body, NULL,
                parse_user, g_object_unref, tn_client_update_profile_async,
                cancellable, callback, user_data);
}

/**
 * tn_client_update_profile_finish:
 * @self: a #TnClient
 * @result: the result given to the callback
 * @error: return location for a #TnError
 *
 * Returns: (transfer full) (nullable): the signed-in user, with the
 *   profile (tn_user_get_home(), tn_user_get_interests())
 */
TnUser *
tn_client_update_profile_finish (TnClient      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, tn_client_update_profile_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- recommendations ------------------------------------------------------ */

/**
 * tn_client_recommendation_copy:
 * @item: a #TnClientRecommendation
 *
 * Returns: (transfer full): a copy of @item
 */
TnClientRecommendation *
tn_client_recommendation_copy (const TnClientRecommendation *item)
{
  TnClientRecommendation *copy = g_new0 (TnClientRecommendation, 1);

  copy->event = g_object_ref (item->event);
  copy->score = item->score;
  copy->reasons = g_strdupv (item->reasons);
  return copy;
}

void
tn_client_recommendation_free (TnClientRecommendation *item)
{
  if (item == NULL)
    return;
  g_clear_object (&item->event);
  g_strfreev (item->reasons);
  g_free (item);
}

G_DEFINE_BOXED_TYPE (TnClientRecommendation, tn_client_recommendation,
                     tn_client_recommendation_copy, tn_client_recommendation_free)

static gpointer
read_recommendation_item (JsonObject  *object,
                          GError     **error)
{
  g_autoptr(TnClientRecommendation) item = g_new0 (TnClientRecommendation, 1);
  g_autoptr(GStrvBuilder) reasons = g_strv_builder_new ();
  JsonNode *event = json_object_get_member (object, "event");
  JsonNode *score = json_object_get_member (object, "score");
  JsonNode *reason_list = json_object_get_member (object, "reasons");

  if (event == NULL || !JSON_NODE_HOLDS_OBJECT (event) ||
      score == NULL || !JSON_NODE_HOLDS_VALUE (score) ||
      (json_node_get_value_type (score) != G_TYPE_DOUBLE && json_node_get_value_type (score) != G_TYPE_INT64) ||
      reason_list == NULL || !JSON_NODE_HOLDS_ARRAY (reason_list))
    goto unreadable;
  item->event = tn_event_new_from_json (json_node_get_object (event), TN_EVENT_JSON_STORED, NULL, error);
  if (item->event == NULL)
    return NULL;
  item->score = json_node_get_double (score);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (reason_list)); i++)
    {
      JsonNode *reason = json_array_get_element (json_node_get_array (reason_list), i);

      if (!JSON_NODE_HOLDS_VALUE (reason) || json_node_get_value_type (reason) != G_TYPE_STRING)
        goto unreadable;
      g_strv_builder_add (reasons, json_node_get_string (reason));
    }
  item->reasons = g_strv_builder_end (reasons);
  return g_steal_pointer (&item);

unreadable:
  g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST, _("The server sent a recommendation that cannot be read"));
  return NULL;
}

static gpointer
parse_recommendation_page (TnClient   *self,
                           JsonObject *root,
                           GError    **error)
{
  return parse_page (root, read_recommendation_item, (GDestroyNotify) tn_client_recommendation_free, error);
}

static void
list_recommendations (TnClient            *self,
                      const char          *path,
                      GHashTable          *query,
                      guint                limit,
                      const char          *category,
                      gpointer             source_tag,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  insert_string (query, "category", category);
  if (limit > 0)
    g_hash_table_insert (query, g_strdup ("limit"), g_strdup_printf ("%u", limit));
  send_request (self, "GET", path, query, NULL, NULL,
                parse_recommendation_page, page_free, source_tag,
                cancellable, callback, user_data);
}

/**
 * tn_client_recommendations_async:
 * @self: a signed-in #TnClient
 * @limit: how many at most (0: the server's default, 10)
 * @near: whether to measure distances from @near_lat, @near_lon instead
 *   of the caller's home
 * @near_lat: latitude
 * @near_lon: longitude
 * @category: (nullable): only this category
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the server has answered
 * @user_data: data for @callback
 *
 * Upcoming events for the signed-in member, each with why. A server that
 * has just started may answer %TN_ERROR_UNAVAILABLE for a moment. Finish
 * with tn_client_recommendations_finish().
 */
void
tn_client_recommendations_async (TnClient            *self,
                                 guint                limit,
                                 gboolean             near,
                                 double               near_lat,
                                 double               near_lon,
                                 const char          *category,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GHashTable) query = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_return_if_fail (TN_IS_CLIENT (self));

  if (near)
    {
      char lat[G_ASCII_DTOSTR_BUF_SIZE];
      char lon[G_ASCII_DTOSTR_BUF_SIZE];

      g_hash_table_insert (query, g_strdup ("near"),
                           g_strdup_printf ("%s,%s", g_ascii_dtostr (lat, sizeof lat, near_lat),
                                            g_ascii_dtostr (lon, sizeof lon, near_lon)));
    }
  list_recommendations (self, "/api/v1/recommendations", query, limit, category,
                        tn_client_recommendations_async, cancellable, callback, user_data);
}

/**
 * tn_client_similar_events_async:
 * @self: a #TnClient
 * @event_id: the event
 * @limit: how many at most (0: 10)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the server has answered
 * @user_data: data for @callback
 *
 * Upcoming events like @event_id. Finish with
 * tn_client_recommendations_finish().
 */
void
tn_client_similar_events_async (TnClient            *self,
                                const char          *event_id,
                                guint                limit,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GHashTable) query = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *path = NULL;

  g_return_if_fail (TN_IS_CLIENT (self));
  g_return_if_fail (event_id != NULL);

  path = event_path (event_id, "/similar");
  list_recommendations (self, path, query, limit, NULL,
                        tn_client_similar_events_async, cancellable, callback, user_data);
}

/**
 * tn_client_trending_async:
 * @self: a #TnClient
 * @category: (nullable): only this category
 * @limit: how many at most (0: 10)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the server has answered
 * @user_data: data for @callback
 *
 * Upcoming events by recent RSVPs. Finish with
 * tn_client_recommendations_finish().
 */
void
tn_client_trending_async (TnClient            *self,
                          const char          *category,
                          guint                limit,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GHashTable) query = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_return_if_fail (TN_IS_CLIENT (self));

  list_recommendations (self, "/api/v1/trending", query, limit, category,
                        tn_client_trending_async, cancellable, callback, user_data);
}

/**
 * tn_client_recommendations_finish:
 * @self: a #TnClient
 * @result: the result given to the callback of
 *   tn_client_recommendations_async(), tn_client_similar_events_async()
 *   or tn_client_trending_async()
 * @error: return location for a #TnError
 *
 * Returns: (transfer container) (element-type TnClientRecommendation)
 *   (nullable): the items, best first
 */
GPtrArray *
tn_client_recommendations_finish (TnClient      *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, tn_client_recommendations_async) ||
                        g_async_result_is_tagged (result, tn_client_similar_events_async) ||
                        g_async_result_is_tagged (result, tn_client_trending_async), NULL);
  return page_finish (result, NULL, error);
}
