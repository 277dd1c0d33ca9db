/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "tn-tui-text.h"

/* Terminal cell arithmetic on UTF-8 text. Nothing here knows about curses,
 * so the rules can be tested without a terminal. */

/**
 * tn_tui_char_width:
 * @c: a character that is not a control character
 *
 * Returns: how many terminal cells @c takes: 0 for combining marks and
 *   other zero-width characters, 2 for East Asian wide ones, else 1
 */
int
tn_tui_char_width (gunichar c)
{
  if (g_unichar_iszerowidth (c))
    return 0;
  if (g_unichar_iswide (c))
    return 2;
  return 1;
}

/**
 * tn_tui_text_width:
 * @text: (nullable): sanitized UTF-8 text without newlines
 *
 * Returns: how many terminal cells @text takes
 */
int
tn_tui_text_width (const char *text)
{
  int width = 0;

  if (text == NULL)
    return 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    width += tn_tui_char_width (g_utf8_get_char (p));

  return width;
}

/**
 * tn_tui_text_sanitize:
 * @text: (nullable): any text, possibly not valid UTF-8
 * @keep_newlines: whether to keep line breaks (as `\n`)
 * @ascii_only: whether to transliterate to ASCII, for terminals that are
 *   not in a UTF-8 locale
 *
 * Makes text from the network safe to print: invalid UTF-8 is replaced,
 * and control characters (which could move the cursor or change the
 * terminal's state) become spaces.
 *
 * Returns: (transfer full): the printable text
 */
char *
tn_tui_text_sanitize (const char *text,
                      gboolean    keep_newlines,
                      gboolean    ascii_only)
{
  g_autofree char *valid = NULL;
  GString *out;

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, -1);
  if (ascii_only)
    {
      char *ascii = g_str_to_ascii (valid, NULL);

      g_free (valid);
      valid = ascii;
    }

  out = g_string_sized_new (strlen (valid));
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\r' && p[1] == '\n')
        continue;
      if ((c == '\n' || c == '\r') && keep_newlines)
        g_string_append_c (out, '\n');
      else if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029)
        g_string_append_c (out, ' ');
      else
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/**
 * tn_tui_text_fit:
 * @text: (nullable): any text
 * @columns: the room there is
 * @ellipsis: what marks text that was cut, such as `…`
 *
 * Returns: (transfer full): @text, sanitized, on one line and cut to at
 *   most @columns cells, ending in @ellipsis when it was cut
 */
char *
tn_tui_text_fit (const char *text,
                 int         columns,
                 const char *ellipsis)
{
  g_autofree char *clean = tn_tui_text_sanitize (text, FALSE, FALSE);
  int ellipsis_width;
  int target;
  int width = 0;
  const char *p;

  if (columns <= 0)
    return g_strdup ("");
  if (tn_tui_text_width (clean) <= columns)
    return g_steal_pointer (&clean);

  ellipsis_width = tn_tui_text_width (ellipsis);
  if (ellipsis_width > columns)
    {
      ellipsis = "";
      ellipsis_width = 0;
    }
  target = columns - ellipsis_width;

  for (p = clean; *p != '\0'; p = g_utf8_next_char (p))
    {
      int cw = tn_tui_char_width (g_utf8_get_char (p));

      if (width + cw > target)
        break;
      width += cw;
    }

  {
    GString *out = g_string_new_len (clean, p - clean);

    g_string_append (out, ellipsis);
    return g_string_free (out, FALSE);
  }
}

static void
wrap_word (GPtrArray  *lines,
           GString    *line,
           int        *line_width,
           const char *word,
           gsize       word_len,
           int         columns)
{
  int word_width = 0;

  for (const char *p = word; p < word + word_len; p = g_utf8_next_char (p))
    word_width += tn_tui_char_width (g_utf8_get_char (p));

  if (*line_width > 0 && *line_width + 1 + word_width <= columns)
    {
      g_string_append_c (line, ' ');
      g_string_append_len (line, word, word_len);
      *line_width += 1 + word_width;
      return;
    }

  if (*line_width > 0)
    {
      g_ptr_array_add (lines, g_strdup (line->str));
      g_string_truncate (line, 0);
      *line_width = 0;
    }

  /* A word longer than a line (a URL, say) is broken where it must be. */
  for (const char *p = word; p < word + word_len; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      int cw = tn_tui_char_width (c);

      if (*line_width + cw > columns && *line_width > 0)
        {
          g_ptr_array_add (lines, g_strdup (line->str));
          g_string_truncate (line, 0);
          *line_width = 0;
        }
      g_string_append_unichar (line, c);
      *line_width += cw;
    }
}

/**
 * tn_tui_text_wrap:
 * @text: (nullable): any text; `\n` separates paragraphs
 * @columns: the width of a line, at least 1
 *
 * Breaks @text into lines of at most @columns cells, between words where
 * it can. Runs of spaces collapse into one; empty lines are kept.
 *
 * Returns: (transfer full) (element-type utf8): the lines
 */
GPtrArray *
tn_tui_text_wrap (const char *text,
                  int         columns)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *clean = tn_tui_text_sanitize (text, TRUE, FALSE);
  g_auto(GStrv) paragraphs = NULL;

  columns = MAX (columns, 1);
  if (text == NULL)
    return g_steal_pointer (&lines);

  if (clean[0] == '\0')
    {
      g_ptr_array_add (lines, g_strdup (""));
      return g_steal_pointer (&lines);
    }

  paragraphs = g_strsplit (clean, "\n", -1);
  for (guint i = 0; paragraphs[i] != NULL; i++)
    {
      g_autoptr(GString) line = g_string_new (NULL);
      int line_width = 0;
      const char *p = paragraphs[i];

      while (*p != '\0')
        {
          const char *end;

          while (*p == ' ')
            p++;
          if (*p == '\0')
            break;
          end = strchr (p, ' ');
          if (end == NULL)
            end = p + strlen (p);
          wrap_word (lines, line, &line_width, p, end - p, columns);
          p = end;
        }
      g_ptr_array_add (lines, g_strdup (line->str));
    }

  return g_steal_pointer (&lines);
}
