/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tn-client.h"
#include "tn-event.h"

G_BEGIN_DECLS

#define TN_TYPE_DEVICES_PAGE (tn_devices_page_get_type ())
G_DECLARE_FINAL_TYPE (TnDevicesPage, tn_devices_page, TN, DEVICES_PAGE, AdwWindow)

TnDevicesPage *tn_devices_page_new     (TnClient      *client,
                                        TnEvent       *event);
void           tn_devices_page_reload  (TnDevicesPage *self);

G_END_DECLS
