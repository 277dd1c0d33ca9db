/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tn-event.h"
#include "tn-event-sync.h"

G_BEGIN_DECLS

#define TN_TYPE_EVENT_EDITOR (tn_event_editor_get_type ())
G_DECLARE_FINAL_TYPE (TnEventEditor, tn_event_editor, TN, EVENT_EDITOR, AdwWindow)

TnEventEditor *tn_event_editor_new_create     (GtkWindow          *parent,
                                               TnEventSync        *sync);
TnEventEditor *tn_event_editor_new_edit       (GtkWindow          *parent,
                                               TnEventSync        *sync,
                                               TnEvent            *event);
void           tn_event_editor_set_categories (TnEventEditor      *self,
                                               const char * const *names);
TnEvent       *tn_event_editor_get_event      (TnEventEditor      *self);
gboolean       tn_event_editor_get_valid      (TnEventEditor      *self);
gboolean       tn_event_editor_get_dirty      (TnEventEditor      *self);
gboolean       tn_event_editor_save           (TnEventEditor      *self);

G_END_DECLS
