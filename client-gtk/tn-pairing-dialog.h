/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tn-client.h"
#include "tn-event.h"

G_BEGIN_DECLS

#define TN_TYPE_PAIRING_DIALOG (tn_pairing_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TnPairingDialog, tn_pairing_dialog, TN, PAIRING_DIALOG, AdwWindow)

TnPairingDialog *tn_pairing_dialog_new      (TnClient        *client,
                                             TnEvent         *event);
const char      *tn_pairing_dialog_get_code (TnPairingDialog *self);

G_END_DECLS
