/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "tn-tui-form.h"
#include "tn-tui-text.h"

/* Wider fields only push the labels away from the text. */
#define FIELD_MAX_WIDTH 48

/**
 * tn_tui_form_draw:
 * @form: what to draw
 * @area: where
 *
 * Draws the form centred in @area, with a blank row between fields when
 * there is room for it.
 */
void
tn_tui_form_draw (const TnTuiForm *form,
                  const TnTuiRect *area)
{
  guint n_hints = form->hints != NULL ? g_strv_length ((char **) form->hints) : 0;
  gboolean roomy = area->height >= (int) (2 * form->n_fields + n_hints + 5);
  int bottom = area->top + area->height;
  int label_width = 0;
  int field_width;
  int left;
  int row;

  for (guint i = 0; i < form->n_fields; i++)
    label_width = MAX (label_width, tn_tui_text_width (_(form->labels[i])));
  label_width = MIN (label_width, area->width / 3);
  field_width = MIN (FIELD_MAX_WIDTH, area->width - label_width - 4);
  left = area->left + MAX (1, (area->width - label_width - 2 - field_width) / 2);

  row = area->top + (roomy ? 1 : 0);
  tn_tui_display_text (row, left, area->width - left, TN_TUI_STYLE_TITLE, form->title);
  row += roomy ? 2 : 1;

  for (guint i = 0; i < form->n_fields && row < bottom; i++)
    {
      gboolean focused = !form->busy && i == form->focus;

      tn_tui_display_text (row, left, label_width,
                           focused ? TN_TUI_STYLE_LABEL : TN_TUI_STYLE_NORMAL,
                           _(form->labels[i]));
      tn_tui_entry_draw (form->fields[i], row, left + label_width + 2, field_width, focused);
      row += roomy ? 2 : 1;
    }

  for (guint i = 0; !form->busy && i < n_hints && row < bottom; i++, row++)
    tn_tui_display_text (row, left, area->width - left, TN_TUI_STYLE_DIM, form->hints[i]);
}

/**
 * tn_tui_form_move_focus:
 * @key: a key
 * @focus: (inout): the field with the focus
 * @n_fields: how many fields there are
 *
 * Tab and Down go to the next field, Shift-Tab and Up to the previous one,
 * round the form.
 *
 * Returns: whether @key moved the focus
 */
gboolean
tn_tui_form_move_focus (const TnTuiKey *key,
                        guint          *focus,
                        guint           n_fields)
{
  switch (key->code)
    {
    case TN_TUI_KEY_TAB:
    case TN_TUI_KEY_DOWN:
      *focus = (*focus + 1) % n_fields;
      return TRUE;
    case TN_TUI_KEY_BACK_TAB:
    case TN_TUI_KEY_UP:
      *focus = (*focus + n_fields - 1) % n_fields;
      return TRUE;
    default:
      return FALSE;
    }
}
