/* SPDX-License-Identifier: GPL-3.0-or-later */
/* CSV as RFC 4180 has it: records end in CRLF or LF (a lone CR too);
 * fields in double quotes may hold commas, line breaks and "" for a
 * quote. Input is UTF-8, a byte order mark at the start is skipped. Blank
 * lines between records are skipped. Errors name the line they are on. */
#include "tn-csv.h"

#include <string.h>

G_DEFINE_QUARK (tn-csv-error-quark, tn_csv_error)

void
tn_csv_free (TnCsv *csv)
{
  if (csv == NULL)
    return;
  g_ptr_array_unref (csv->rows);
  g_array_unref (csv->lines);
  g_free (csv);
}

guint
tn_csv_row_length (TnCsv *csv,
                   guint  row)
{
  return g_strv_length (csv->rows->pdata[row]);
}

/* The line of @p in @data (1-based). */
static guint
line_of (const char *data,
         const char *p)
{
  guint line = 1;

  for (const char *q = data; q < p; q++)
    if (*q == '\n' || (*q == '\r' && q[1] != '\n'))
      line++;
  return line;
}

/**
 * tn_csv_parse:
 * @data: the file, not necessarily NUL-terminated
 *
 * Returns: (transfer full) (nullable): the records, or %NULL with
 *   %TN_CSV_ERROR set (its message names the line)
 */
TnCsv *
tn_csv_parse (const char  *data,
              gsize        length,
              GError     **error)
{
  g_autoptr(TnCsv) csv = g_new0 (TnCsv, 1);
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GString) field = g_string_new (NULL);
  const char *invalid = NULL;
  const char *p, *end = data + length;
  guint line = 1, record_line = 1, quote_line = 0;
  gboolean quoted = FALSE, was_quoted = FALSE, in_record = FALSE;

  csv->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  csv->lines = g_array_new (FALSE, FALSE, sizeof (guint));

  if (length > 0 && !g_utf8_validate_len (data, length, &invalid))
    {
      g_set_error (error, TN_CSV_ERROR, TN_CSV_ERROR_INVALID_UTF8,
                   "Line %u is not valid UTF-8", line_of (data, invalid));
      return NULL;
    }
  p = data;
  if (length >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
    p += 3;

  fields = g_ptr_array_new_with_free_func (g_free);
  while (p < end)
    {
      char c = *p;

      if (quoted)
        {
          if (c == '"')
            {
              if (p + 1 < end && p[1] == '"')
                {
                  g_string_append_c (field, '"');
                  p += 2;
                }
              else
                {
                  quoted = FALSE;
                  p++;
                  if (p < end && *p != ',' && *p != '\r' && *p != '\n')
                    {
                      g_set_error (error, TN_CSV_ERROR, TN_CSV_ERROR_BAD_QUOTE,
                                   "Line %u: text after the closing quote of a field", line);
                      return NULL;
                    }
                }
            }
          else
            {
              if (c == '\n' || (c == '\r' && !(p + 1 < end && p[1] == '\n')))
                line++;
              g_string_append_c (field, c);
              p++;
            }
        }
      else if (c == '"')
        {
          if (field->len > 0 || was_quoted)
            {
              g_set_error (error, TN_CSV_ERROR, TN_CSV_ERROR_BAD_QUOTE,
                           "Line %u: a quote inside a field that does not start with one", line);
              return NULL;
            }
          quoted = was_quoted = in_record = TRUE;
          quote_line = line;
          p++;
        }
      else if (c == ',')
        {
          g_ptr_array_add (fields, g_string_free (g_steal_pointer (&field), FALSE));
          field = g_string_new (NULL);
          was_quoted = FALSE;
          in_record = TRUE;
          p++;
        }
      else if (c == '\r' || c == '\n')
        {
          p += (c == '\r' && p + 1 < end && p[1] == '\n') ? 2 : 1;
          if (in_record || field->len > 0)
            {
              if (csv->rows->len > TN_CSV_ROWS_MAX)
                {
                  g_set_error (error, TN_CSV_ERROR, TN_CSV_ERROR_TOO_MANY_ROWS,
                               "Line %u: more than %d rows after the header", line, TN_CSV_ROWS_MAX);
                  return NULL;
                }
              g_ptr_array_add (fields, g_string_free (g_steal_pointer (&field), FALSE));
              g_ptr_array_add (fields, NULL);
              g_ptr_array_add (csv->rows, g_ptr_array_steal (fields, NULL));
              g_array_append_val (csv->lines, record_line);
              field = g_string_new (NULL);
              was_quoted = in_record = FALSE;
            }
          line++;
          record_line = line;
        }
      else
        {
          if (was_quoted)
            {
              g_set_error (error, TN_CSV_ERROR, TN_CSV_ERROR_BAD_QUOTE,
                           "Line %u: text after the closing quote of a field", line);
              return NULL;
            }
          g_string_append_c (field, c);
          in_record = TRUE;
          p++;
        }

      if (field->len > TN_CSV_FIELD_MAX)
        {
          g_set_error (error, TN_CSV_ERROR, TN_CSV_ERROR_FIELD_TOO_LONG,
                       "Line %u: a field is longer than %d bytes", line, TN_CSV_FIELD_MAX);
          return NULL;
        }
      if (fields->len >= TN_CSV_COLUMNS_MAX)
        {
          g_set_error (error, TN_CSV_ERROR, TN_CSV_ERROR_TOO_MANY_COLUMNS,
                       "Line %u: more than %d columns", record_line, TN_CSV_COLUMNS_MAX);
          return NULL;
        }
    }

  if (quoted)
    {
      g_set_error (error, TN_CSV_ERROR, TN_CSV_ERROR_UNTERMINATED_QUOTE,
                   "Line %u: a quoted field is not closed before the end of the file", quote_line);
      return NULL;
    }
  if (in_record || field->len > 0)
    {
      if (csv->rows->len > TN_CSV_ROWS_MAX)
        {
          g_set_error (error, TN_CSV_ERROR, TN_CSV_ERROR_TOO_MANY_ROWS,
                       "Line %u: more than %d rows after the header", line, TN_CSV_ROWS_MAX);
          return NULL;
        }
      g_ptr_array_add (fields, g_string_free (g_steal_pointer (&field), FALSE));
      g_ptr_array_add (fields, NULL);
      g_ptr_array_add (csv->rows, g_ptr_array_steal (fields, NULL));
      g_array_append_val (csv->lines, record_line);
    }
  return g_steal_pointer (&csv);
}

/**
 * tn_csv_append_row:
 * @fields: (array length=n_fields): the fields; %NULL writes an empty one
 *
 * Appends one record to @out, ending in CRLF; a field with a comma, a
 * quote, CR or LF goes in quotes, its quotes doubled.
 */
void
tn_csv_append_row (GString            *out,
                   const char * const *fields,
                   guint               n_fields)
{
  for (guint i = 0; i < n_fields; i++)
    {
      const char *f = fields[i] != NULL ? fields[i] : "";

      if (i > 0)
        g_string_append_c (out, ',');
      if (strpbrk (f, ",\"\r\n") == NULL)
        {
          g_string_append (out, f);
          continue;
        }
      g_string_append_c (out, '"');
      for (const char *p = f; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  g_string_append (out, "\r\n");
}
