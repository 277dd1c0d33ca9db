/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "tn-error.h"
#include "tn-time.h"

/* Years outside this range are certainly typing mistakes, and keeping them
 * out means every stored time formats back to four digits. */
#define TN_TIME_MIN G_GINT64_CONSTANT (0)            /* 1970-01-01 */
#define TN_TIME_MAX G_GINT64_CONSTANT (253402300799) /* 9999-12-31T23:59:59Z */

/**
 * tn_time_parse:
 * @text: an RFC 3339 date-time with a time zone (`2026-11-22T18:00:00Z`)
 * @out_unix: (out): seconds since the Unix epoch, in UTC
 * @error: return location for a %TN_ERROR_VALIDATION_FAILED error
 *
 * Parses an RFC 3339 time. A time zone (`Z` or an offset) is required:
 * a time without one would mean something different on every machine.
 *
 * Returns: %TRUE on success
 */
gboolean
tn_time_parse (const char  *text,
               gint64      *out_unix,
               GError     **error)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *upper = NULL;
  gsize len;

  g_return_val_if_fail (out_unix != NULL, FALSE);

  if (text == NULL || (len = strlen (text)) < 20 || len > 40 ||
      !g_ascii_isdigit (text[0]) || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != 't') || text[13] != ':')
    goto invalid;

  /* GDateTime accepts a time without zone as local time; refuse that. */
  if (text[len - 1] != 'Z' && text[len - 1] != 'z' &&
      !((text[len - 6] == '+' || text[len - 6] == '-') && text[len - 3] == ':'))
    goto invalid;

  /* RFC 3339 allows a lower-case t and z; GDateTime does not. */
  upper = g_ascii_strup (text, -1);
  dt = g_date_time_new_from_iso8601 (upper, NULL);
  if (dt == NULL)
    goto invalid;

  *out_unix = g_date_time_to_unix (dt);
  if (*out_unix < TN_TIME_MIN || *out_unix > TN_TIME_MAX)
    goto invalid;

  return TRUE;

invalid:
  g_set_error (error, TN_ERROR, TN_ERROR_VALIDATION_FAILED,
               _("Not an RFC 3339 date and time with a time zone, such as 2026-11-22T18:00:00Z"));
  return FALSE;
}

/**
 * tn_time_format:
 * @unix_time: seconds since the Unix epoch
 *
 * Returns: (transfer full): @unix_time as RFC 3339 in UTC (`2026-11-22T18:00:00Z`)
 */
char *
tn_time_format (gint64 unix_time)
{
  gint64 days, secs, z, era, doe, yoe, y, doy, mp, d, m;

  if (unix_time < TN_TIME_MIN || unix_time > TN_TIME_MAX)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_time);

      if (dt == NULL)
        return g_strdup ("1970-01-01T00:00:00Z");
      return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
    }

  /* Days to a civil date (H. Hinnant's algorithm): GDateTime costs several
   * thousand instructions per call, and every event in an answer has four. */
  days = unix_time / 86400;
  secs = unix_time % 86400;
  z = days + 719468;
  era = z / 146097;
  doe = z - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = yoe + era * 400;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2)
    y++;

  {
    /* digits by hand: printf costs more than all the arithmetic above */
    char *text = g_malloc (21);
    int fields[6] = { (int) y, (int) m, (int) d,
                      (int) (secs / 3600), (int) (secs / 60 % 60), (int) (secs % 60) };
    const char separators[6] = { '-', '-', 'T', ':', ':', 'Z' };
    char *p = text;

    for (guint i = 0; i < 6; i++)
      {
        if (i == 0)
          {
            *p++ = '0' + fields[0] / 1000;
            *p++ = '0' + fields[0] / 100 % 10;
          }
        *p++ = '0' + fields[i] / 10 % 10;
        *p++ = '0' + fields[i] % 10;
        *p++ = separators[i];
      }
    *p = '\0';
    return text;
  }
}

/**
 * tn_time_now:
 *
 * Returns: the current time in seconds since the Unix epoch
 */
gint64
tn_time_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}
