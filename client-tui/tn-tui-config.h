/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* door.ini keeps preferences (the server, the last e-mail address); the
 * bearer token lives apart in door-token, readable by its owner only. */

char     *tn_tui_config_get_default_dir (void);
gboolean  tn_tui_config_is_server_url   (const char  *text);
gboolean  tn_tui_config_load            (const char  *dir,
                                         char       **server,
                                         char       **email,
                                         GError     **error);
gboolean  tn_tui_config_save            (const char  *dir,
                                         const char  *server,
                                         const char  *email,
                                         GError     **error);
char     *tn_tui_config_load_token      (const char  *dir,
                                         const char  *server,
                                         GError     **error);
gboolean  tn_tui_config_save_token      (const char  *dir,
                                         const char  *server,
                                         const char  *token,
                                         GError     **error);
gboolean  tn_tui_config_forget_token    (const char  *dir,
                                         GError     **error);

/* A paired door device: what its token may do goes with the token. */
typedef struct
{
  char *id;
  char *event_id;
  char *role;        /* "steward" or "supervisor" */
  char *name;
} TnTuiDevice;

void      tn_tui_device_clear           (TnTuiDevice *device);
gboolean  tn_tui_config_save_device     (const char         *dir,
                                         const char         *server,
                                         const char         *token,
                                         const TnTuiDevice  *device,
                                         GError            **error);
gboolean  tn_tui_config_load_device     (const char         *dir,
                                         const char         *server,
                                         TnTuiDevice        *device);

char     *tn_tui_config_load_value      (const char  *dir,
                                         const char  *key);
gboolean  tn_tui_config_save_value      (const char  *dir,
                                         const char  *key,
                                         const char  *value,
                                         GError     **error);

G_END_DECLS
