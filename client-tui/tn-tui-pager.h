/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tn-tui-display.h"

G_BEGIN_DECLS

/* Scrollable text made of rows, each with an optional label in a column
 * of its own; the text wraps to the width it is drawn at. */
typedef struct _TnTuiPager TnTuiPager;

TnTuiPager *tn_tui_pager_new        (void);
void        tn_tui_pager_free       (TnTuiPager      *self);
void        tn_tui_pager_clear      (TnTuiPager      *self);
void        tn_tui_pager_add        (TnTuiPager      *self,
                                     TnTuiStyle       style,
                                     const char      *label,
                                     const char      *text);
gboolean    tn_tui_pager_handle_key (TnTuiPager      *self,
                                     const TnTuiKey  *key);
void        tn_tui_pager_draw       (TnTuiPager      *self,
                                     const TnTuiRect *area);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TnTuiPager, tn_tui_pager_free)

G_END_DECLS
