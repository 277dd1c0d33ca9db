/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tn-devices-page.h"

G_BEGIN_DECLS

/* For tests: the rows, their buttons and the dialog that asks. */
gboolean          _tn_devices_page_get_busy          (TnDevicesPage *self);
const char       *_tn_devices_page_get_visible_page  (TnDevicesPage *self);
AdwActionRow     *_tn_devices_page_find_row          (TnDevicesPage *self,
                                                      const char    *device_id);
GtkButton        *_tn_devices_page_get_revoke_button (AdwActionRow  *row);
GtkButton        *_tn_devices_page_get_rename_button (AdwActionRow  *row);
gboolean          _tn_devices_page_row_is_revoked    (AdwActionRow  *row);
AdwMessageDialog *_tn_devices_page_get_dialog        (TnDevicesPage *self);
GtkEditable      *_tn_devices_page_get_rename_entry  (TnDevicesPage *self);

G_END_DECLS
