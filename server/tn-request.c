/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tn-error.h"
#include "tn-json.h"
#include "tn-request.h"
#include "tn-server-private.h"

#include <string.h>

TnRequest *
tn_request_new (TnServer          *server,
                SoupServerMessage *msg,
                GHashTable        *query)
{
  TnRequest *req = g_rc_box_new0 (TnRequest);

  req->server = g_object_ref (server);
  req->msg = g_object_ref (msg);
  req->query = query != NULL ? g_hash_table_ref (query) : NULL;
  return req;
}

TnRequest *
tn_request_ref (TnRequest *req)
{
  return g_rc_box_acquire (req);
}

static void
tn_request_clear (gpointer data)
{
  TnRequest *req = data;

  g_clear_object (&req->server);
  g_clear_object (&req->msg);
  g_clear_pointer (&req->query, g_hash_table_unref);
  for (guint i = 0; i < TN_ROUTE_MAX_PARAMS; i++)
    g_clear_pointer (&req->params[i], g_free);
  g_clear_object (&req->user);
  g_clear_pointer (&req->device, tn_device_free);
  g_clear_pointer (&req->token_hash, g_free);
  g_clear_pointer (&req->reply_type, g_free);
  g_clear_pointer (&req->reply_body, g_bytes_unref);
  g_clear_pointer (&req->reply_headers, g_ptr_array_unref);
  g_clear_pointer (&req->on_main_arg, g_free);
}

void
tn_request_unref (TnRequest *req)
{
  g_rc_box_release_full (req, tn_request_clear);
}

/* Marks the request as answered later; the reply functions unpause it. */
void
tn_request_pause (TnRequest *req)
{
  if (!req->paused)
    {
      soup_server_message_pause (req->msg);
      req->paused = TRUE;
    }
}

/* Sends the answer that is set, if the request was paused. */
void
tn_request_resume (TnRequest *req)
{
  if (req->paused)
    {
      req->paused = FALSE;
      soup_server_message_unpause (req->msg);
    }
}

static void
finish_reply (TnRequest *req)
{
  if (req->on_worker)
    {
      req->answered = TRUE;
      return;
    }
  /* An answer given while a batch of changes is open waits for its COMMIT. */
  if (req->dispatched && tn_server_hold_reply (req->server, req))
    return;
  tn_request_resume (req);
}

/**
 * tn_request_set_header:
 *
 * Sets a header of the answer (replacing one of that name).
 */
void
tn_request_set_header (TnRequest  *req,
                       const char *name,
                       const char *value)
{
  if (!req->on_worker)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), name, value);
      return;
    }
  if (req->reply_headers == NULL)
    req->reply_headers = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (req->reply_headers, g_strdup (name));
  g_ptr_array_add (req->reply_headers, g_strdup (value));
}

/* Takes @body (may be NULL: no body). */
static void
set_answer (TnRequest  *req,
            guint       status,
            const char *content_type,
            char       *body,
            gsize       length)
{
  if (req->on_worker)
    {
      req->reply_status = status;
      g_free (req->reply_type);
      req->reply_type = g_strdup (content_type);
      g_clear_pointer (&req->reply_body, g_bytes_unref);
      if (body != NULL)
        req->reply_body = g_bytes_new_take (body, length);
    }
  else
    {
      soup_server_message_set_status (req->msg, status, NULL);
      if (body != NULL)
        soup_server_message_set_response (req->msg, content_type, SOUP_MEMORY_TAKE, body, length);
    }
  finish_reply (req);
}

/**
 * tn_request_send_answer:
 *
 * On the main loop: sets the answer a worker kept on the message and
 * sends it.
 */
void
tn_request_send_answer (TnRequest *req)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (req->msg);

  g_assert (req->answered && !req->on_worker);
  if (req->on_main != NULL)
    {
      /* it answers */
      req->on_main (req, req->on_main_arg);
      tn_request_resume (req);
      return;
    }
  for (guint i = 0; req->reply_headers != NULL && i + 1 < req->reply_headers->len; i += 2)
    soup_message_headers_replace (headers, req->reply_headers->pdata[i], req->reply_headers->pdata[i + 1]);
  soup_server_message_set_status (req->msg, req->reply_status, NULL);
  if (req->reply_body != NULL)
    {
      gsize length;
      gconstpointer data = g_bytes_get_data (req->reply_body, &length);

      soup_server_message_set_response (req->msg, req->reply_type, SOUP_MEMORY_COPY, data, length);
    }
  tn_request_resume (req);
}

/**
 * tn_request_answer_on_main:
 * @func: answers @req (or leaves it to libsoup, as a WebSocket handshake
 *   does), on the main loop
 * @arg: (nullable): for @func, copied
 *
 * For an answer only the main loop may give: at once on the main loop,
 * after the worker is done in a worker.
 */
void
tn_request_answer_on_main (TnRequest         *req,
                           TnRequestMainFunc  func,
                           const char        *arg)
{
  if (!req->on_worker)
    {
      func (req, arg);
      return;
    }
  req->on_main = func;
  g_free (req->on_main_arg);
  req->on_main_arg = g_strdup (arg);
  req->answered = TRUE;
}

void
tn_request_reply_text (TnRequest  *req,
                       guint       status,
                       const char *content_type,
                       const char *text)
{
  set_answer (req, status, content_type, g_strdup (text), strlen (text));
}

void
tn_request_reply_json (TnRequest *req,
                       guint      status,
                       JsonNode  *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize length;
  char *text;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &length);
  set_answer (req, status, "application/json", text, length);
}

/* Takes @text, JSON already written. */
void
tn_request_reply_json_text (TnRequest *req,
                            guint      status,
                            GString   *text)
{
  gsize length = text->len;

  set_answer (req, status, "application/json", g_string_free (text, FALSE), length);
}

void
tn_request_reply_empty (TnRequest *req,
                        guint      status)
{
  set_answer (req, status, NULL, NULL, 0);
}

/**
 * tn_request_reply_error:
 * @req: the request
 * @error: what went wrong
 * @details: (nullable): per-field messages
 *
 * The one place where errors become HTTP answers: the status and the
 * stable code come from the #TnError, the body is always
 * `{"error": {"code", "message", "details"}}`. Errors of other domains are
 * faults of ours: logged, and answered as `internal` without their text.
 */
void
tn_request_reply_error (TnRequest    *req,
                        const GError *error,
                        JsonObject   *details)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) inner = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  TnError code = TN_ERROR_INTERNAL;
  const char *message = "Internal error";
  g_autofree char *valid_message = NULL;

  if (error != NULL && error->domain == TN_ERROR)
    {
      code = (TnError) error->code;
      message = error->message;
    }
  else
    g_warning ("Internal error on %s %s: %s",
               soup_server_message_get_method (req->msg),
               g_uri_get_path (soup_server_message_get_uri (req->msg)),
               error != NULL ? error->message : "(no error)");

  if (code == TN_ERROR_INTERNAL)
    message = "Internal error";

  json_object_set_string_member (inner, "code", tn_error_to_code (code));
  /* Messages may quote what was sent (a header, a parser's view of the
   * body), which need not be UTF-8; the answer must be. */
  valid_message = g_utf8_make_valid (message, -1);
  json_object_set_string_member (inner, "message", valid_message);
  if (details != NULL && json_object_get_size (details) > 0)
    json_object_set_object_member (inner, "details", json_object_ref (details));
  json_object_set_object_member (body, "error", g_steal_pointer (&inner));
  json_node_set_object (node, body);

  if (code == TN_ERROR_UNAUTHORIZED)
    tn_request_set_header (req, "WWW-Authenticate", "Bearer realm=\"turnout\"");

  tn_request_reply_json (req, tn_error_to_http_status (code), node);
}

void
tn_request_reply_error_literal (TnRequest  *req,
                                TnError     code,
                                const char *message)
{
  g_autoptr(GError) error = g_error_new_literal (TN_ERROR, code, message);

  tn_request_reply_error (req, error, NULL);
}

static gboolean
check_content_type (TnRequest  *req,
                    GError    **error)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  const char *type = soup_message_headers_get_content_type (headers, NULL);

  if (type != NULL && g_ascii_strcasecmp (type, "application/json") != 0)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST,
                   "The request body must be application/json, not %s", type);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_size (TnRequest  *req,
            gsize       length,
            GError    **error)
{
  if (length > tn_server_get_max_body_size (req->server))
    {
      g_set_error (error, TN_ERROR, TN_ERROR_PAYLOAD_TOO_LARGE,
                   "The request body is larger than %" G_GSIZE_FORMAT " bytes",
                   tn_server_get_max_body_size (req->server));
      return FALSE;
    }
  return TRUE;
}

/**
 * tn_request_read_object:
 *
 * Returns: (transfer full) (nullable): the body, which must be a JSON
 *   object in UTF-8 and within the size limit
 */
JsonObject *
tn_request_read_object (TnRequest  *req,
                        GError    **error)
{
  SoupMessageBody *body = soup_server_message_get_request_body (req->msg);

  if (!check_content_type (req, error) || !check_size (req, (gsize) body->length, error))
    return NULL;
  return tn_json_parse_object (body->data, (gsize) body->length, error);
}

/**
 * tn_request_read_empty:
 *
 * For actions that take no input: accepts no body or `{}`.
 */
gboolean
tn_request_read_empty (TnRequest  *req,
                       GError    **error)
{
  SoupMessageBody *body = soup_server_message_get_request_body (req->msg);
  g_autoptr(JsonObject) object = NULL;

  if (body->length == 0)
    return TRUE;
  object = tn_request_read_object (req, error);
  if (object == NULL)
    return FALSE;
  if (json_object_get_size (object) != 0)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_VALIDATION_FAILED, "This action takes no fields");
      return FALSE;
    }
  return TRUE;
}

const char *
tn_request_get_query (TnRequest  *req,
                      const char *name)
{
  return req->query != NULL ? g_hash_table_lookup (req->query, name) : NULL;
}

const char *
tn_request_get_header (TnRequest  *req,
                       const char *name)
{
  return soup_message_headers_get_one (soup_server_message_get_request_headers (req->msg), name);
}

/* IPv6 is cut to its /64 (one subscriber usually holds a whole /64, so
 * single addresses would be free for the asking); IPv4-mapped IPv6 is
 * written as IPv4. */
static char *
client_key (GInetAddress *inet)
{
  guint8 bytes[16];
  static const guint8 v4_mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
  g_autoptr(GInetAddress) masked = NULL;

  if (g_inet_address_get_family (inet) != G_SOCKET_FAMILY_IPV6)
    return g_inet_address_to_string (inet);
  memcpy (bytes, g_inet_address_to_bytes (inet), sizeof bytes);
  if (memcmp (bytes, v4_mapped, sizeof v4_mapped) == 0)
    masked = g_inet_address_new_from_bytes (bytes + 12, G_SOCKET_FAMILY_IPV4);
  else
    {
      memset (bytes + 8, 0, 8);
      masked = g_inet_address_new_from_bytes (bytes, G_SOCKET_FAMILY_IPV6);
    }
  return g_inet_address_to_string (masked);
}

/**
 * tn_request_get_client_address:
 *
 * The address per-address limits count. It is the peer's address
 * (soup_server_message_get_remote_address()); only when the peer is a
 * trusted proxy (tn_server_set_trusted_proxies()) does `X-Forwarded-For`
 * count: the client is its last entry that is not a trusted proxy.
 *
 * Returns: (transfer full): the client's address, or `unknown`
 */
char *
tn_request_get_client_address (TnRequest *req)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (req->msg);
  g_autoptr(GInetAddress) client = NULL;

  if (remote == NULL || !G_IS_INET_SOCKET_ADDRESS (remote))
    return g_strdup ("unknown");
  client = g_object_ref (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));

  if (tn_server_is_trusted_proxy (req->server, client))
    {
      SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
      const char *forwarded = soup_message_headers_get_list (headers, "X-Forwarded-For");
      g_auto(GStrv) hops = forwarded != NULL ? g_strsplit (forwarded, ",", -1) : NULL;

      /* From the right: each hop was added by the one after it; stop at
       * the first hop no trusted proxy vouches for. */
      for (guint i = hops != NULL ? g_strv_length (hops) : 0; i > 0; i--)
        {
          GInetAddress *hop = g_inet_address_new_from_string (g_strstrip (hops[i - 1]));

          if (hop == NULL)
            break;
          g_object_unref (client);
          client = hop;
          if (!tn_server_is_trusted_proxy (req->server, client))
            break;
        }
    }
  return client_key (client);
}
