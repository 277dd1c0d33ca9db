/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TN_TYPE_SIGN_IN_PAGE (tn_sign_in_page_get_type ())
G_DECLARE_FINAL_TYPE (TnSignInPage, tn_sign_in_page, TN, SIGN_IN_PAGE, AdwBin)

GtkWidget  *tn_sign_in_page_new            (void);
const char *tn_sign_in_page_get_server_url (TnSignInPage *self);
void        tn_sign_in_page_set_server_url (TnSignInPage *self,
                                            const char   *url);
const char *tn_sign_in_page_get_email      (TnSignInPage *self);
void        tn_sign_in_page_set_email      (TnSignInPage *self,
                                            const char   *email);
const char *tn_sign_in_page_get_password   (TnSignInPage *self);
void        tn_sign_in_page_clear_password (TnSignInPage *self);
gboolean    tn_sign_in_page_get_busy       (TnSignInPage *self);
void        tn_sign_in_page_set_busy       (TnSignInPage *self,
                                            gboolean      busy);
void        tn_sign_in_page_set_error      (TnSignInPage *self,
                                            const char   *message);
void        tn_sign_in_page_focus          (TnSignInPage *self);

G_END_DECLS
