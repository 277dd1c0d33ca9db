/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tn-event.h"
#include "tn-event-sync.h"

G_BEGIN_DECLS

#define TN_TYPE_CONFLICT_DIALOG (tn_conflict_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TnConflictDialog, tn_conflict_dialog, TN, CONFLICT_DIALOG, AdwWindow)

TnConflictDialog   *tn_conflict_dialog_new              (GtkWindow         *parent,
                                                         TnEventSync       *sync,
                                                         const char        *event_id,
                                                         TnEvent           *local,
                                                         TnEvent           *server);
char              **tn_conflict_dialog_list_differences (TnEvent           *local,
                                                         TnEvent           *server);
const char * const *tn_conflict_dialog_get_differences  (TnConflictDialog  *self);
gboolean            tn_conflict_dialog_resolve          (TnConflictDialog  *self,
                                                         TnEventSyncChoice  choice);

G_END_DECLS
