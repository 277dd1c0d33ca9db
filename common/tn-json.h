/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

JsonObject *tn_json_parse_object     (const char  *data,
                                      gsize        length,
                                      GError     **error);
char       *tn_json_to_string        (JsonNode    *node);
gboolean    tn_json_node_is_string   (JsonNode    *node);
gboolean    tn_json_node_is_number   (JsonNode    *node);
gboolean    tn_json_node_is_integer  (JsonNode    *node);
const char *tn_json_object_get_string(JsonObject  *object,
                                      const char  *name);
gint64      tn_json_object_get_int   (JsonObject  *object,
                                      const char  *name,
                                      gint64       fallback);
void        tn_json_append_string    (GString     *out,
                                      const char  *text);

G_END_DECLS
