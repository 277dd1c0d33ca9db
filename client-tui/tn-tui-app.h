/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "tn-client.h"
#include "tn-sync-engine.h"

G_BEGIN_DECLS

typedef struct _TnTuiScreen TnTuiScreen;

typedef enum
{
  TN_TUI_MESSAGE_INFO,
  TN_TUI_MESSAGE_ERROR,
} TnTuiMessageKind;

#define TN_TYPE_TUI_APP (tn_tui_app_get_type ())
G_DECLARE_FINAL_TYPE (TnTuiApp, tn_tui_app, TN, TUI_APP, GObject)

TnTuiApp   *tn_tui_app_new               (const char         *server_url,
                                          const char         *config_dir,
                                          const char         *email);
gboolean    tn_tui_app_run               (TnTuiApp           *self,
                                          GError            **error);
void        tn_tui_app_quit              (TnTuiApp           *self);

TnClient   *tn_tui_app_get_client        (TnTuiApp           *self);
const char *tn_tui_app_get_server_url    (TnTuiApp           *self);
const char *tn_tui_app_get_email         (TnTuiApp           *self);
gboolean    tn_tui_app_is_busy           (TnTuiApp           *self);

void        tn_tui_app_show_screen       (TnTuiApp           *self,
                                          const TnTuiScreen  *screen,
                                          gpointer            arg);
void        tn_tui_app_push_screen       (TnTuiApp           *self,
                                          const TnTuiScreen  *screen,
                                          gpointer            arg);
void        tn_tui_app_pop_screen        (TnTuiApp           *self);
void        tn_tui_app_pop_to_screen     (TnTuiApp           *self,
                                          const TnTuiScreen  *screen);
void        tn_tui_app_queue_draw        (TnTuiApp           *self);

void        tn_tui_app_set_message       (TnTuiApp           *self,
                                          TnTuiMessageKind    kind,
                                          const char         *message);
void        tn_tui_app_clear_message     (TnTuiApp           *self);
void        tn_tui_app_report_error      (TnTuiApp           *self,
                                          const GError       *error);

void        tn_tui_app_hold              (TnTuiApp           *self);
void        tn_tui_app_release           (TnTuiApp           *self);

void        tn_tui_app_sign_in           (TnTuiApp           *self,
                                          const char         *server_url,
                                          const char         *email,
                                          const char         *password);
void        tn_tui_app_cancel_sign_in    (TnTuiApp           *self);
void        tn_tui_app_ensure_user       (TnTuiApp           *self);
TnUser     *tn_tui_app_get_user          (TnTuiApp           *self);

/* The door: a paired device, or a staff member checking people in at
 * one event, over the replica and its sync engine. */
void          tn_tui_app_pair             (TnTuiApp           *self,
                                           const char         *server_url,
                                           const char         *pairing_code,
                                           const char         *door_name);
void          tn_tui_app_cancel_pairing   (TnTuiApp           *self);
void          tn_tui_app_start_door       (TnTuiApp           *self,
                                           const char         *event_id);
void          tn_tui_app_leave_door       (TnTuiApp           *self);
void          tn_tui_app_sign_out         (TnTuiApp           *self);
TnSyncEngine *tn_tui_app_get_engine       (TnTuiApp           *self);
gboolean      tn_tui_app_is_paired        (TnTuiApp           *self);
gboolean      tn_tui_app_is_supervisor    (TnTuiApp           *self);
const char   *tn_tui_app_get_door_name    (TnTuiApp           *self);
guint         tn_tui_app_get_scan_idle_ms (TnTuiApp           *self);
void          tn_tui_app_draw_now         (TnTuiApp           *self);

/* Called once a verdict is on the terminal (for bench/bench-door). */
typedef void (*TnTuiVerdictFunc) (const TnReplicaScan *scan,
                                  gpointer             user_data);
void          tn_tui_app_set_verdict_func (TnTuiApp           *self,
                                           TnTuiVerdictFunc    func,
                                           gpointer            user_data);
void          tn_tui_app_verdict_shown    (TnTuiApp           *self,
                                           const TnReplicaScan *scan);

G_END_DECLS
