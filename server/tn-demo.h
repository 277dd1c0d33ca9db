/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tn-store.h"

G_BEGIN_DECLS

#define TN_DEMO_PASSWORD "turnout-demo"

gboolean tn_demo_seed (TnStore  *store,
                       gint64    now,
                       GError  **error);

G_END_DECLS
