/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "tn-tui-entry.h"
#include "tn-tui-text.h"

struct _TnTuiEntry
{
  GString  *text;
  gboolean  masked;
  glong     cursor;   /* in characters */
  glong     scroll;   /* first character shown */
};

TnTuiEntry *
tn_tui_entry_new (gboolean masked)
{
  TnTuiEntry *self = g_new0 (TnTuiEntry, 1);

  self->text = g_string_new (NULL);
  self->masked = masked;
  return self;
}

static void
wipe (TnTuiEntry *self)
{
  /* A password should not linger in freed memory. */
  memset (self->text->str, 0, self->text->allocated_len);
  g_string_truncate (self->text, 0);
}

void
tn_tui_entry_free (TnTuiEntry *self)
{
  if (self == NULL)
    return;

  wipe (self);
  g_string_free (self->text, TRUE);
  g_free (self);
}

const char *
tn_tui_entry_get_text (TnTuiEntry *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->text->str;
}

static glong
n_chars (TnTuiEntry *self)
{
  return g_utf8_strlen (self->text->str, self->text->len);
}

static gsize
byte_offset (TnTuiEntry *self,
             glong       chars)
{
  return g_utf8_offset_to_pointer (self->text->str, chars) - self->text->str;
}

void
tn_tui_entry_set_text (TnTuiEntry *self,
                       const char *text)
{
  g_autofree char *clean = tn_tui_text_sanitize (text, FALSE, FALSE);

  g_return_if_fail (self != NULL);

  wipe (self);
  g_string_append (self->text, clean);
  self->cursor = n_chars (self);
  self->scroll = 0;
}

static void
delete_range (TnTuiEntry *self,
              glong       start,
              glong       end)
{
  gsize from;

  if (start >= end)
    return;
  from = byte_offset (self, start);
  g_string_erase (self->text, from, byte_offset (self, end) - from);
  self->cursor = start;
}

/**
 * tn_tui_entry_handle_key:
 * @self: an entry
 * @key: a key
 *
 * Edits as in a shell: arrows, Home/End (Ctrl-A/Ctrl-E), Backspace,
 * Delete (Ctrl-D), Ctrl-U and Ctrl-K.
 *
 * Returns: %TRUE if the entry used @key
 */
gboolean
tn_tui_entry_handle_key (TnTuiEntry     *self,
                         const TnTuiKey *key)
{
  glong length;

  g_return_val_if_fail (self != NULL, FALSE);

  length = n_chars (self);
  switch (key->code)
    {
    case TN_TUI_KEY_CHAR:
      if (length < TN_TUI_ENTRY_MAX_CHARS)
        {
          char buffer[8];
          int len = g_unichar_to_utf8 (key->ch, buffer);

          g_string_insert_len (self->text, byte_offset (self, self->cursor), buffer, len);
          self->cursor++;
        }
      return TRUE;
    case TN_TUI_KEY_BACKSPACE:
      if (self->cursor > 0)
        delete_range (self, self->cursor - 1, self->cursor);
      return TRUE;
    case TN_TUI_KEY_DELETE:
      delete_range (self, self->cursor, MIN (self->cursor + 1, length));
      return TRUE;
    case TN_TUI_KEY_LEFT:
      self->cursor = MAX (self->cursor - 1, 0);
      return TRUE;
    case TN_TUI_KEY_RIGHT:
      self->cursor = MIN (self->cursor + 1, length);
      return TRUE;
    case TN_TUI_KEY_HOME:
      self->cursor = 0;
      return TRUE;
    case TN_TUI_KEY_END:
      self->cursor = length;
      return TRUE;
    case TN_TUI_KEY_CTRL:
      switch (key->ch)
        {
        case 'a': self->cursor = 0; return TRUE;
        case 'e': self->cursor = length; return TRUE;
        case 'b': self->cursor = MAX (self->cursor - 1, 0); return TRUE;
        case 'f': self->cursor = MIN (self->cursor + 1, length); return TRUE;
        case 'd': delete_range (self, self->cursor, MIN (self->cursor + 1, length)); return TRUE;
        case 'u': delete_range (self, 0, self->cursor); return TRUE;
        case 'k': delete_range (self, self->cursor, length); return TRUE;
        default: return FALSE;
        }
    default:
      return FALSE;
    }
}

static char *
shown_text (TnTuiEntry *self)
{
  if (self->masked)
    {
      glong length = n_chars (self);
      char *stars = g_malloc (length + 1);

      memset (stars, '*', length);
      stars[length] = '\0';
      return stars;
    }

  return tn_tui_display_printable (self->text->str, FALSE);
}

static int
width_between (const char *text,
               glong       start,
               glong       end)
{
  const char *p = g_utf8_offset_to_pointer (text, start);
  int width = 0;

  for (glong i = start; i < end && *p != '\0'; i++, p = g_utf8_next_char (p))
    width += tn_tui_char_width (g_utf8_get_char (p));
  return width;
}

/**
 * tn_tui_entry_draw:
 * @self: an entry
 * @row: the screen row
 * @column: the screen column
 * @width: the field's width in cells
 * @focused: whether the field has the keyboard (it then shows the cursor)
 *
 * Draws the field, scrolled so that the cursor is visible.
 */
void
tn_tui_entry_draw (TnTuiEntry *self,
                   int         row,
                   int         column,
                   int         width,
                   gboolean    focused)
{
  g_autofree char *shown = NULL;
  glong shown_chars;
  glong cursor;
  const char *start;

  g_return_if_fail (self != NULL);

  if (width <= 0)
    return;

  shown = shown_text (self);
  shown_chars = g_utf8_strlen (shown, -1);
  /* Outside a UTF-8 locale transliteration can change the length. */
  cursor = MIN (self->cursor, shown_chars);

  /* Keep one cell free after the cursor for it to stand on. */
  if (self->scroll > cursor)
    self->scroll = cursor;
  while (self->scroll < cursor && width_between (shown, self->scroll, cursor) > width - 1)
    self->scroll++;

  tn_tui_display_fill (row, column, width,
                       focused ? TN_TUI_STYLE_FIELD_FOCUS : TN_TUI_STYLE_FIELD);
  start = g_utf8_offset_to_pointer (shown, self->scroll);
  {
    g_autofree char *visible = tn_tui_text_fit (start, width, "");

    tn_tui_display_text (row, column, width,
                         focused ? TN_TUI_STYLE_FIELD_FOCUS : TN_TUI_STYLE_FIELD,
                         visible);
  }

  if (focused)
    tn_tui_display_set_cursor (row, column + width_between (shown, self->scroll, cursor));
}
