/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tn-application.h"

G_BEGIN_DECLS

#define TN_TYPE_WINDOW (tn_window_get_type ())
G_DECLARE_FINAL_TYPE (TnWindow, tn_window, TN, WINDOW, AdwApplicationWindow)

TnWindow *tn_window_new (TnApplication *application);

G_END_DECLS
