/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tn-tui-pager.h"
#include "tn-tui-text.h"

typedef struct
{
  TnTuiStyle  style;
  char       *label;
  char       *text;
} PagerRow;

struct _TnTuiPager
{
  GArray *rows;         /* of PagerRow */
  int     scroll;       /* first line shown */
  int     n_lines;      /* lines at the last draw */
  int     page;         /* height at the last draw */
};

static void
pager_row_clear (gpointer data)
{
  PagerRow *row = data;

  g_free (row->label);
  g_free (row->text);
}

TnTuiPager *
tn_tui_pager_new (void)
{
  TnTuiPager *self = g_new0 (TnTuiPager, 1);

  self->rows = g_array_new (FALSE, TRUE, sizeof (PagerRow));
  g_array_set_clear_func (self->rows, pager_row_clear);
  self->page = 1;
  return self;
}

void
tn_tui_pager_free (TnTuiPager *self)
{
  if (self == NULL)
    return;

  g_array_unref (self->rows);
  g_free (self);
}

/**
 * tn_tui_pager_clear:
 * @self: a pager
 *
 * Removes every row; the scroll position stays, so that reloading the
 * same text does not jump.
 */
void
tn_tui_pager_clear (TnTuiPager *self)
{
  g_return_if_fail (self != NULL);
  g_array_set_size (self->rows, 0);
}

/**
 * tn_tui_pager_add:
 * @self: a pager
 * @style: how @text looks
 * @label: (nullable): shown in the label column before @text
 * @text: (nullable): the text, `\n` separating paragraphs; %NULL adds an
 *   empty line
 */
void
tn_tui_pager_add (TnTuiPager *self,
                  TnTuiStyle  style,
                  const char *label,
                  const char *text)
{
  PagerRow row = { style, NULL, NULL };

  g_return_if_fail (self != NULL);

  row.label = label != NULL ? tn_tui_display_printable (label, FALSE) : NULL;
  row.text = tn_tui_display_printable (text != NULL ? text : "", TRUE);
  g_array_append_val (self->rows, row);
}

gboolean
tn_tui_pager_handle_key (TnTuiPager     *self,
                         const TnTuiKey *key)
{
  int max_scroll;
  int scroll;

  g_return_val_if_fail (self != NULL, FALSE);

  scroll = self->scroll;
  switch (key->code)
    {
    case TN_TUI_KEY_UP:        scroll--; break;
    case TN_TUI_KEY_DOWN:      scroll++; break;
    case TN_TUI_KEY_PAGE_UP:   scroll -= MAX (self->page - 1, 1); break;
    case TN_TUI_KEY_PAGE_DOWN: scroll += MAX (self->page - 1, 1); break;
    case TN_TUI_KEY_HOME:      scroll = 0; break;
    case TN_TUI_KEY_END:       scroll = G_MAXINT / 2; break;
    case TN_TUI_KEY_CHAR:
      switch (key->ch)
        {
        case 'k': scroll--; break;
        case 'j': scroll++; break;
        case 'b': scroll -= MAX (self->page - 1, 1); break;
        case ' ': scroll += MAX (self->page - 1, 1); break;
        case 'g': scroll = 0; break;
        case 'G': scroll = G_MAXINT / 2; break;
        default: return FALSE;
        }
      break;
    default:
      return FALSE;
    }

  max_scroll = MAX (self->n_lines - self->page, 0);
  self->scroll = CLAMP (scroll, 0, max_scroll);
  return TRUE;
}

typedef struct
{
  TnTuiStyle  style;
  const char *label;
  char       *text;
  gboolean    indented;
} PagerLine;

static void
pager_line_clear (gpointer data)
{
  PagerLine *line = data;

  g_free (line->text);
}

void
tn_tui_pager_draw (TnTuiPager      *self,
                   const TnTuiRect *area)
{
  g_autoptr(GArray) lines = g_array_new (FALSE, TRUE, sizeof (PagerLine));
  int label_width = 0;
  int text_left;
  int text_width;
  int full_width;

  g_return_if_fail (self != NULL);

  if (area->height <= 0 || area->width <= 2)
    return;
  g_array_set_clear_func (lines, pager_line_clear);

  for (guint i = 0; i < self->rows->len; i++)
    {
      PagerRow *row = &g_array_index (self->rows, PagerRow, i);

      if (row->label != NULL)
        label_width = MAX (label_width, tn_tui_text_width (row->label));
    }
  label_width = MIN (label_width, area->width / 3);
  text_left = area->left + 1 + (label_width > 0 ? label_width + 2 : 0);
  text_width = area->left + area->width - 1 - text_left;
  full_width = area->width - 2;

  for (guint i = 0; i < self->rows->len; i++)
    {
      PagerRow *row = &g_array_index (self->rows, PagerRow, i);
      gboolean indented = row->label != NULL;
      g_autoptr(GPtrArray) wrapped = tn_tui_text_wrap (row->text, indented ? text_width : full_width);

      for (guint j = 0; j < wrapped->len; j++)
        {
          PagerLine line = { row->style, j == 0 ? row->label : NULL, NULL, indented };

          line.text = g_steal_pointer (&g_ptr_array_index (wrapped, j));
          g_array_append_val (lines, line);
        }
    }

  self->n_lines = lines->len;
  self->page = area->height;
  self->scroll = CLAMP (self->scroll, 0, MAX (self->n_lines - self->page, 0));

  for (int y = 0; y < area->height && self->scroll + y < self->n_lines; y++)
    {
      PagerLine *line = &g_array_index (lines, PagerLine, self->scroll + y);
      int row = area->top + y;

      if (line->label != NULL)
        tn_tui_display_text (row, area->left + 1, label_width, TN_TUI_STYLE_LABEL, line->label);
      tn_tui_display_text (row, line->indented ? text_left : area->left + 1,
                           line->indented ? text_width : full_width,
                           line->style, line->text);
    }
}
