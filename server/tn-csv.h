/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Limits of tn_csv_parse(): bytes in a field, fields in a record and
 * records after the first (the header). */
#define TN_CSV_FIELD_MAX   10000
#define TN_CSV_COLUMNS_MAX 100
#define TN_CSV_ROWS_MAX    20000

#define TN_CSV_ERROR (tn_csv_error_quark ())
GQuark tn_csv_error_quark (void);

typedef enum
{
  TN_CSV_ERROR_UNTERMINATED_QUOTE,
  TN_CSV_ERROR_BAD_QUOTE,
  TN_CSV_ERROR_INVALID_UTF8,
  TN_CSV_ERROR_FIELD_TOO_LONG,
  TN_CSV_ERROR_TOO_MANY_COLUMNS,
  TN_CSV_ERROR_TOO_MANY_ROWS,
} TnCsvError;

/**
 * TnCsv:
 * The records of a CSV file: @rows holds a %NULL-terminated string
 * vector per record, @lines the (1-based) line each record starts on.
 */
typedef struct
{
  GPtrArray *rows;   /* of GStrv */
  GArray    *lines;  /* of guint */
} TnCsv;

TnCsv *tn_csv_parse      (const char          *data,
                          gsize                length,
                          GError             **error);
void   tn_csv_free       (TnCsv               *csv);
guint  tn_csv_row_length (TnCsv               *csv,
                          guint                row);
void   tn_csv_append_row (GString             *out,
                          const char * const  *fields,
                          guint                n_fields);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TnCsv, tn_csv_free)

G_END_DECLS
