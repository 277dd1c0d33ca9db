/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tn-tui-display.h"

G_BEGIN_DECLS

/* A one-line text field. */
typedef struct _TnTuiEntry TnTuiEntry;

#define TN_TUI_ENTRY_MAX_CHARS 1024

TnTuiEntry *tn_tui_entry_new        (gboolean        masked);
void        tn_tui_entry_free       (TnTuiEntry     *self);
const char *tn_tui_entry_get_text   (TnTuiEntry     *self);
void        tn_tui_entry_set_text   (TnTuiEntry     *self,
                                     const char     *text);
gboolean    tn_tui_entry_handle_key (TnTuiEntry     *self,
                                     const TnTuiKey *key);
void        tn_tui_entry_draw       (TnTuiEntry     *self,
                                     int             row,
                                     int             column,
                                     int             width,
                                     gboolean        focused);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TnTuiEntry, tn_tui_entry_free)

G_END_DECLS
