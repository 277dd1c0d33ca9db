/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tn-sign-in-page.h"

G_BEGIN_DECLS

/* For tests: the form's widgets. */
AdwEntryRow         *_tn_sign_in_page_get_server_row     (TnSignInPage *self);
AdwEntryRow         *_tn_sign_in_page_get_email_row      (TnSignInPage *self);
AdwPasswordEntryRow *_tn_sign_in_page_get_password_row   (TnSignInPage *self);
GtkButton           *_tn_sign_in_page_get_sign_in_button (TnSignInPage *self);
GtkLabel            *_tn_sign_in_page_get_error_label    (TnSignInPage *self);

G_END_DECLS
