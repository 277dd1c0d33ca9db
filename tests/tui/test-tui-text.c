/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib.h>

#include "tn-tui-text.h"

/* Terminal cell arithmetic: what fits, and where lines break. */

typedef struct
{
  const char *text;
  int         columns;
  const char *expected;
} FitCase;

static const FitCase fit_cases[] = {
  { "Jazz Jam", 20, "Jazz Jam" },
  { "Jazz Jam", 8, "Jazz Jam" },
  { "Jazz Jam", 7, "Jazz J…" },
  { "Jazz Jam", 1, "…" },
  { "Jazz Jam", 0, "" },
  { "Café Philosophique", 5, "Café…" },
  /* wide characters take two cells and are never split */
  { "東京の夜", 8, "東京の夜" },
  { "東京の夜", 7, "東京の…" },
  { "東京の夜", 6, "東京…" },
  { "東京の夜", 2, "…" },
  /* a combining accent stays with its letter */
  { "Cafe\xcc\x81 Riquet", 5, "Cafe\xcc\x81…" },
  { "Cafe\xcc\x81 Riquet", 4, "Caf…" },
  /* control characters from the network never reach the terminal */
  { "Evil\x1b[2Jtitle", 40, "Evil [2Jtitle" },
  { "two\nlines\ttab", 40, "two lines tab" },
  /* invalid UTF-8 is replaced, not passed on */
  { "bad \xff byte", 40, "bad \xef\xbf\xbd byte" },
  { NULL, 10, "" },
};

static void
test_fit (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (fit_cases); i++)
    {
      const FitCase *c = &fit_cases[i];
      g_autofree char *fitted = tn_tui_text_fit (c->text, c->columns, "…");
      g_autofree char *shown = c->text ? g_utf8_make_valid (c->text, -1) : g_strdup ("(null)");

      /* TAP output must stay UTF-8: one case is invalid on purpose. */
      g_test_message ("case %u: “%s” in %d", i, shown, c->columns);
      g_assert_cmpstr (fitted, ==, c->expected);
      g_assert_cmpint (tn_tui_text_width (fitted), <=, MAX (c->columns, 0));
    }
}

static void
test_width (void)
{
  g_assert_cmpint (tn_tui_text_width (NULL), ==, 0);
  g_assert_cmpint (tn_tui_text_width (""), ==, 0);
  g_assert_cmpint (tn_tui_text_width ("Núñez"), ==, 5);
  g_assert_cmpint (tn_tui_text_width ("東京"), ==, 4);
  g_assert_cmpint (tn_tui_text_width ("e\xcc\x81"), ==, 1);
}

static void
test_sanitize (void)
{
  g_autofree char *kept = tn_tui_text_sanitize ("a\r\nb\rc\x07", TRUE, FALSE);
  g_autofree char *flat = tn_tui_text_sanitize ("a\r\nb", FALSE, FALSE);
  g_autofree char *ascii = tn_tui_text_sanitize ("Café Núñez", FALSE, TRUE);

  g_assert_cmpstr (kept, ==, "a\nb\nc ");
  g_assert_cmpstr (flat, ==, "a b");
  g_assert_cmpstr (ascii, ==, "Cafe Nunez");
}

typedef struct
{
  const char  *text;
  int          columns;
  const char  *lines[8];
} WrapCase;

static const WrapCase wrap_cases[] = {
  { "An easy 5 km loop at conversation pace.", 16,
    { "An easy 5 km", "loop at", "conversation", "pace.", NULL } },
  { "short", 40, { "short", NULL } },
  { "", 10, { "", NULL } },
  { "one\n\ntwo", 10, { "one", "", "two", NULL } },
  { "  spaces   collapse  ", 40, { "spaces collapse", NULL } },
  /* a word longer than the line is broken */
  { "https://example.org/a/long/path", 10, { "https://ex", "ample.org/", "a/long/pat", "h", NULL } },
  { "東京の夜 です", 5, { "東京", "の夜", "です", NULL } },
};

static void
test_wrap (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (wrap_cases); i++)
    {
      const WrapCase *c = &wrap_cases[i];
      g_autoptr(GPtrArray) lines = tn_tui_text_wrap (c->text, c->columns);
      guint n = 0;

      g_test_message ("case %u: “%s” at %d", i, c->text, c->columns);
      while (c->lines[n] != NULL)
        n++;
      g_assert_cmpuint (lines->len, ==, n);
      for (guint j = 0; j < n; j++)
        {
          g_assert_cmpstr (g_ptr_array_index (lines, j), ==, c->lines[j]);
          g_assert_cmpint (tn_tui_text_width (g_ptr_array_index (lines, j)), <=, c->columns);
        }
    }

  {
    g_autoptr(GPtrArray) none = tn_tui_text_wrap (NULL, 10);

    g_assert_cmpuint (none->len, ==, 0);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tui/text/fit", test_fit);
  g_test_add_func ("/tui/text/width", test_width);
  g_test_add_func ("/tui/text/sanitize", test_sanitize);
  g_test_add_func ("/tui/text/wrap", test_wrap);

  return g_test_run ();
}
