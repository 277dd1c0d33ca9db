/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tn-event-detail.h"
#include "tn-event-replica.h"
#include "tn-sign-in-page.h"
#include "tn-window.h"

G_BEGIN_DECLS

/* For tests: what the window shows, and the widgets a person uses. */
const char    *_tn_window_get_visible_page     (TnWindow *self);
const char    *_tn_window_get_list_page        (TnWindow *self);
TnSignInPage  *_tn_window_get_sign_in_page     (TnWindow *self);
GtkListBox    *_tn_window_get_event_list       (TnWindow *self);
TnEventDetail *_tn_window_get_event_detail     (TnWindow *self);
AdwLeaflet    *_tn_window_get_leaflet          (TnWindow *self);
AdwStatusPage *_tn_window_get_unreachable_page (TnWindow *self);
GtkLabel      *_tn_window_get_unreachable_detail (TnWindow *self);
gboolean       _tn_window_get_busy             (TnWindow *self);
GtkRevealer   *_tn_window_get_offline_revealer (TnWindow *self);
GtkRevealer   *_tn_window_get_decision_revealer (TnWindow *self);
TnEventReplica *_tn_window_get_replica         (TnWindow *self);
GtkSearchEntry *_tn_window_get_search_entry    (TnWindow *self);
GtkToggleButton *_tn_window_get_past_button    (TnWindow *self);
GtkDropDown   *_tn_window_get_category_dropdown (TnWindow *self);
GtkDropDown   *_tn_window_get_span_dropdown    (TnWindow *self);
GtkDropDown   *_tn_window_get_tag_dropdown     (TnWindow *self);
const char * const *_tn_window_get_server_categories (TnWindow *self);

G_END_DECLS
