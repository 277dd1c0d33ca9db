/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tn-event-editor.h"

G_BEGIN_DECLS

/* For tests: a field's input widget by its JSON name ("title", "starts_at",
 * "description" gives the GtkTextView, "category" and "visibility" an
 * AdwComboRow, "waitlist" the GtkSwitch), the message shown under it
 * (NULL when none shows), the Save button and the general error. */
GtkWidget  *_tn_event_editor_get_field       (TnEventEditor *self,
                                              const char    *field);
const char *_tn_event_editor_get_field_error (TnEventEditor *self,
                                              const char    *field);
GtkWidget  *_tn_event_editor_get_save_button (TnEventEditor *self);
const char *_tn_event_editor_get_error       (TnEventEditor *self);

G_END_DECLS
