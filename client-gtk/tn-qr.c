/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <qrencode.h>
#include <string.h>

#include "tn-qr.h"

/* A QR code of a text, drawn the same way on screen (a texture with whole
 * pixels per module), on paper and in PDFs (cairo), and in PNGs (tests). */
struct _TnQr
{
  gatomicrefcount  ref_count;
  char            *text;
  QRcode          *code;
};

G_DEFINE_BOXED_TYPE (TnQr, tn_qr, tn_qr_ref, tn_qr_unref)

/**
 * tn_qr_new:
 * @text: what the code holds
 * @error: return location for a #GError
 *
 * Encodes @text at error correction level M. libqrencode picks the
 * densest mode for each run of characters: signed tickets, short codes and
 * pairing codes are uppercase letters, digits and `-`, which all fit the
 * alphanumeric mode (5.5 bits a character); case is kept for anything else.
 *
 * Returns: (transfer full) (nullable): the code, or %NULL when @text is
 *   empty or too long for a QR code
 */
TnQr *
tn_qr_new (const char  *text,
           GError     **error)
{
  g_autoptr(TnQr) self = NULL;
  int saved_errno;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (text[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("There is nothing to put in a QR code"));
      return NULL;
    }

  self = g_new0 (TnQr, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->text = g_strdup (text);
  errno = 0;
  self->code = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  saved_errno = errno;
  if (self->code == NULL)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not make a QR code: %s"),
                   saved_errno == ERANGE ? _("the text is too long") : g_strerror (saved_errno));
      return NULL;
    }

  return g_steal_pointer (&self);
}

TnQr *
tn_qr_ref (TnQr *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
tn_qr_unref (TnQr *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_clear_pointer (&self->code, QRcode_free);
  g_free (self->text);
  g_free (self);
}

const char *
tn_qr_get_text (TnQr *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->text;
}

/**
 * tn_qr_get_size:
 *
 * Returns: the width (and height) of the symbol in modules, without the
 *   quiet zone
 */
guint
tn_qr_get_size (TnQr *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return (guint) self->code->width;
}

/**
 * tn_qr_get_module:
 *
 * Returns: whether the module at @x, @y of the symbol (without the quiet
 *   zone) is dark
 */
gboolean
tn_qr_get_module (TnQr  *self,
                  guint  x,
                  guint  y)
{
  guint width;

  g_return_val_if_fail (self != NULL, FALSE);

  width = (guint) self->code->width;
  g_return_val_if_fail (x < width && y < width, FALSE);
  return (self->code->data[y * width + x] & 1) != 0;
}

/**
 * tn_qr_to_texture:
 * @self: a #TnQr
 * @scale: pixels per module, at least 1
 *
 * Black modules on white with the quiet zone, each module exactly @scale
 * by @scale pixels: shown at its own size, the code stays crisp.
 *
 * Returns: (transfer full): the texture
 */
GdkTexture *
tn_qr_to_texture (TnQr  *self,
                  guint  scale)
{
  g_autoptr(GBytes) bytes = NULL;
  guint modules;
  gsize side, stride;
  guint8 *pixels;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (scale > 0, NULL);

  modules = tn_qr_get_size (self) + 2 * TN_QR_QUIET_ZONE;
  side = (gsize) modules * scale;
  stride = side * 3;
  pixels = g_malloc (stride * side);
  memset (pixels, 0xff, stride * side);

  for (guint y = 0; y < tn_qr_get_size (self); y++)
    for (guint x = 0; x < tn_qr_get_size (self); x++)
      {
        if (!tn_qr_get_module (self, x, y))
          continue;
        for (guint dy = 0; dy < scale; dy++)
          {
            guint8 *row = pixels + ((gsize) (y + TN_QR_QUIET_ZONE) * scale + dy) * stride;

            memset (row + (gsize) (x + TN_QR_QUIET_ZONE) * scale * 3, 0x00, (gsize) scale * 3);
          }
      }

  bytes = g_bytes_new_take (pixels, stride * side);
  return gdk_memory_texture_new ((int) side, (int) side, GDK_MEMORY_R8G8B8, bytes, stride);
}

/**
 * tn_qr_draw:
 * @self: a #TnQr
 * @cr: where to draw
 * @x: left edge of the code, quiet zone included
 * @y: top edge of the code, quiet zone included
 * @size: width and height of the code, quiet zone included
 *
 * Draws the code, its white quiet zone included, as vector shapes: for
 * printing and PDFs. Dark modules next to each other in a row are one
 * rectangle, so no hairline seams show between them.
 */
void
tn_qr_draw (TnQr    *self,
            cairo_t *cr,
            double   x,
            double   y,
            double   size)
{
  guint width;
  double module;

  g_return_if_fail (self != NULL);
  g_return_if_fail (cr != NULL);

  width = tn_qr_get_size (self);
  module = size / (width + 2 * TN_QR_QUIET_ZONE);

  cairo_save (cr);
  cairo_set_source_rgb (cr, 1.0, 1.0, 1.0);
  cairo_rectangle (cr, x, y, size, size);
  cairo_fill (cr);

  cairo_set_source_rgb (cr, 0.0, 0.0, 0.0);
  for (guint row = 0; row < width; row++)
    {
      guint start = 0;

      while (start < width)
        {
          guint end;

          if (!tn_qr_get_module (self, start, row))
            {
              start++;
              continue;
            }
          for (end = start; end < width && tn_qr_get_module (self, end, row); end++)
            ;
          cairo_rectangle (cr,
                           x + (start + TN_QR_QUIET_ZONE) * module,
                           y + (row + TN_QR_QUIET_ZONE) * module,
                           (end - start) * module,
                           module);
          start = end;
        }
    }
  cairo_fill (cr);
  cairo_restore (cr);
}

/**
 * tn_qr_write_png:
 * @self: a #TnQr
 * @scale: pixels per module, at least 1
 * @path: the file to write
 * @error: return location for a #GError
 *
 * Writes the code with its quiet zone as a PNG, each module @scale pixels.
 *
 * Returns: whether the file was written
 */
gboolean
tn_qr_write_png (TnQr        *self,
                 guint        scale,
                 const char  *path,
                 GError     **error)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  int side;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (scale > 0, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  side = (int) ((tn_qr_get_size (self) + 2 * TN_QR_QUIET_ZONE) * scale);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, side, side);
  cr = cairo_create (surface);
  /* Whole pixels per module: no edge needs smoothing. */
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  tn_qr_draw (self, cr, 0, 0, side);
  cairo_destroy (cr);

  status = cairo_surface_write_to_png (surface, path);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not write the QR code to “%s”: %s"),
                   path, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
