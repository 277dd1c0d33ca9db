/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tn-request.h"
#include "tn-server.h"

G_BEGIN_DECLS

/* Group commit: see "Write batches" in tn-server.c. */
gboolean    tn_server_hold_reply        (TnServer   *self,
                                         TnRequest  *req);

G_END_DECLS
