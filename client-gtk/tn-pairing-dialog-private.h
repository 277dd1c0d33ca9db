/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tn-pairing-dialog.h"

G_BEGIN_DECLS

/* For tests: the widgets a person reads and uses. */
AdwComboRow *_tn_pairing_dialog_get_role_row     (TnPairingDialog *self);
AdwEntryRow *_tn_pairing_dialog_get_name_row     (TnPairingDialog *self);
GtkLabel    *_tn_pairing_dialog_get_code_label   (TnPairingDialog *self);
GtkPicture  *_tn_pairing_dialog_get_picture      (TnPairingDialog *self);
GtkLabel    *_tn_pairing_dialog_get_expiry_label (TnPairingDialog *self);
gboolean     _tn_pairing_dialog_get_busy         (TnPairingDialog *self);

G_END_DECLS
