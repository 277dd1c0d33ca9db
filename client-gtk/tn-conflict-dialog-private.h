/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tn-conflict-dialog.h"

G_BEGIN_DECLS

/* For tests: the text shown for @field ("title", "coordinates", …) in
 * the organizer's column (@mine) or the server's; NULL if not listed.
 * The error shown after a failed choice, or NULL. */
const char *_tn_conflict_dialog_get_value (TnConflictDialog *self,
                                           const char       *field,
                                           gboolean          mine);
const char *_tn_conflict_dialog_get_error (TnConflictDialog *self);

G_END_DECLS
