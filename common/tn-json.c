/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tn-error.h"
#include "tn-json.h"

/* json-glib 1.6 turns the escape \u0000 into a NUL that silently cuts the
 * string short, wraps whole numbers outside 64 bits (so that
 * 99999999999999999999 reads as -1), and ignores values after the first
 * one (`{…} {}`). Each would act on something other than what was sent:
 * find them in the text first. */
static gboolean
check_lossless (const char  *data,
                gsize        length,
                GError     **error)
{
  gboolean in_string = FALSE;
  gboolean closed = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      if (closed && !g_ascii_isspace (data[i]))
        {
          g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST,
                       _("The request body must hold one JSON value, with nothing after it"));
          return FALSE;
        }
      if (in_string)
        {
          if (data[i] == '"')
            in_string = FALSE;
          else if (data[i] == '\\' && i + 1 < length)
            {
              i++;
              if (data[i] == 'u' && i + 4 < length && strncmp (data + i + 1, "0000", 4) == 0)
                {
                  g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST,
                               _("The request body has a \\u0000 escape; "
                                 "text must not contain NUL characters"));
                  return FALSE;
                }
            }
        }
      else if (data[i] == '"')
        in_string = TRUE;
      else if (data[i] == '{' || data[i] == '[')
        depth++;
      else if ((data[i] == '}' || data[i] == ']') && depth > 0)
        closed = --depth == 0;
      else if (data[i] == '-' || g_ascii_isdigit (data[i]))
        {
          gsize start = data[i] == '-' ? i + 1 : i;
          gsize digits, end;

          for (digits = start; digits < length && g_ascii_isdigit (data[digits]); digits++)
            ;
          for (end = digits; end < length; end++)
            if (!g_ascii_isdigit (data[end]) && strchr ("+-.eE", data[end]) == NULL)
              break;
          /* Fractions and exponents make doubles, which json-glib reads right. */
          if (digits > start && digits == end)
            {
              g_autofree char *number = g_strndup (data + i, end - i);

              if (!g_ascii_string_to_signed (number, 10, G_MININT64, G_MAXINT64, NULL, NULL))
                {
                  g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST,
                               _("The request body has a whole number outside the 64-bit range"));
                  return FALSE;
                }
            }
          i = end - 1;
        }
    }
  return TRUE;
}

/**
 * tn_json_parse_object:
 * @data: (array length=length): the bytes of a JSON document
 * @length: the length of @data
 * @error: return location for a %TN_ERROR_BAD_REQUEST error
 *
 * Parses a JSON document whose root must be an object. The document must
 * be valid UTF-8 without NUL bytes: json-glib would otherwise cut strings
 * short or replace bytes, and we never store what we were not sent.
 *
 * Returns: (transfer full) (nullable): the root object
 */
JsonObject *
tn_json_parse_object (const char  *data,
                      gsize        length,
                      GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (data == NULL || length == 0)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST, _("The request body is empty; a JSON object was expected"));
      return NULL;
    }
  if (!g_utf8_validate_len (data, length, NULL) || memchr (data, '\0', length) != NULL)
    {
      g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST, _("The request body is not valid UTF-8"));
      return NULL;
    }
  if (!check_lossless (data, length, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST, _("Malformed JSON: %s"), local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, TN_ERROR, TN_ERROR_BAD_REQUEST, _("The request body must be a JSON object"));
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}

/**
 * tn_json_to_string:
 * @node: a JSON node
 *
 * Returns: (transfer full): @node as compact JSON text
 */
char *
tn_json_to_string (JsonNode *node)
{
  g_return_val_if_fail (node != NULL, NULL);
  return json_to_string (node, FALSE);
}

gboolean
tn_json_node_is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING;
}

gboolean
tn_json_node_is_number (JsonNode *node)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

gboolean
tn_json_node_is_integer (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_INT64;
}

/**
 * tn_json_object_get_string:
 * @object: a JSON object
 * @name: a member name
 *
 * Returns: (nullable): the member's string, or %NULL if it is missing or
 *   not a string
 */
const char *
tn_json_object_get_string (JsonObject *object,
                           const char *name)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, NULL);

  node = json_object_get_member (object, name);
  return tn_json_node_is_string (node) ? json_node_get_string (node) : NULL;
}

gint64
tn_json_object_get_int (JsonObject *object,
                        const char *name,
                        gint64      fallback)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, fallback);

  node = json_object_get_member (object, name);
  return tn_json_node_is_integer (node) ? json_node_get_int (node) : fallback;
}

/**
 * tn_json_append_string:
 * @out: where to append
 * @text: UTF-8 text
 *
 * Appends @text as a JSON string (quoted, escaped as json-glib escapes),
 * for answers written straight into a #GString.
 */
void
tn_json_append_string (GString    *out,
                       const char *text)
{
  const char *p, *run;

  g_string_append_c (out, '"');
  for (p = run = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;
      g_string_append_len (out, run, p - run);
      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default: g_string_append_printf (out, "\\u%04x", c); break;
        }
      run = p + 1;
    }
  g_string_append_len (out, run, p - run);
  g_string_append_c (out, '"');
}
