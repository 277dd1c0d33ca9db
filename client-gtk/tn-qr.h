/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <gdk/gdk.h>

G_BEGIN_DECLS

/* The quiet zone around every QR code we draw, in modules (ISO 18004
 * asks for four). */
#define TN_QR_QUIET_ZONE 4

typedef struct _TnQr TnQr;

#define TN_TYPE_QR (tn_qr_get_type ())
GType       tn_qr_get_type     (void) G_GNUC_CONST;

TnQr       *tn_qr_new          (const char  *text,
                                GError     **error);
TnQr       *tn_qr_ref          (TnQr        *self);
void        tn_qr_unref        (TnQr        *self);
const char *tn_qr_get_text     (TnQr        *self);
guint       tn_qr_get_size     (TnQr        *self);
gboolean    tn_qr_get_module   (TnQr        *self,
                                guint        x,
                                guint        y);
GdkTexture *tn_qr_to_texture   (TnQr        *self,
                                guint        scale);
void        tn_qr_draw         (TnQr        *self,
                                cairo_t     *cr,
                                double       x,
                                double       y,
                                double       size);
gboolean    tn_qr_write_png    (TnQr        *self,
                                guint        scale,
                                const char  *path,
                                GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TnQr, tn_qr_unref)

G_END_DECLS
