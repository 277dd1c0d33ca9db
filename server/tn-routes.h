/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "tn-server.h"

G_BEGIN_DECLS

void tn_routes_dispatch (TnServer          *server,
                         SoupServerMessage *msg,
                         const char        *path,
                         GHashTable        *query);

G_END_DECLS
