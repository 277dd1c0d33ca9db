/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tn-format.h"

/* Days from @now's local date to @dt's local date. */
static int
day_distance (GDateTime *dt,
              GDateTime *now)
{
  g_autoptr(GDate) day = g_date_new_dmy (g_date_time_get_day_of_month (dt),
                                         g_date_time_get_month (dt),
                                         g_date_time_get_year (dt));
  g_autoptr(GDate) today = g_date_new_dmy (g_date_time_get_day_of_month (now),
                                           g_date_time_get_month (now),
                                           g_date_time_get_year (now));

  return g_date_days_between (today, day);
}

static char *
format_day (GDateTime      *dt,
            GDateTime      *now,
            TnFormatLength  length)
{
  int distance = day_distance (dt, now);

  if (distance == 0)
    return g_strdup (_("Today"));
  if (distance == 1)
    return g_strdup (_("Tomorrow"));

  if (length == TN_FORMAT_LONG)
    /* Translators: a day in full, see the GLib docs of g_date_time_format() */
    return g_date_time_format (dt, _("%A %-d %B %Y"));
  if (g_date_time_get_year (dt) == g_date_time_get_year (now))
    /* Translators: a day of this year, short, see g_date_time_format() */
    return g_date_time_format (dt, _("%a %-d %b"));
  /* Translators: a day of another year, short, see g_date_time_format() */
  return g_date_time_format (dt, _("%a %-d %b %Y"));
}

static char *
format_time (GDateTime *dt)
{
  /* Translators: a time of day, see g_date_time_format(); use
   * "%-l:%M %p" for a 12-hour clock */
  return g_date_time_format (dt, _("%H:%M"));
}

/**
 * tn_format_event_when:
 * @starts_at: start, in seconds since the epoch
 * @ends_at: end, in seconds since the epoch
 * @now: the current time, for "Today" and "Tomorrow"
 * @length: %TN_FORMAT_SHORT for a list row, %TN_FORMAT_LONG for details
 *
 * Returns: (transfer full): when the event takes place, in local time
 */
char *
tn_format_event_when (gint64          starts_at,
                      gint64          ends_at,
                      gint64          now,
                      TnFormatLength  length)
{
  g_autoptr(GDateTime) start = g_date_time_new_from_unix_local (starts_at);
  g_autoptr(GDateTime) end = g_date_time_new_from_unix_local (ends_at);
  g_autoptr(GDateTime) now_dt = g_date_time_new_from_unix_local (now);
  g_autofree char *start_day = NULL;
  g_autofree char *start_time = NULL;
  g_autofree char *end_day = NULL;
  g_autofree char *end_time = NULL;

  if (start == NULL || now_dt == NULL)
    return g_strdup ("");

  start_day = format_day (start, now_dt, length);
  start_time = format_time (start);

  if (end == NULL || ends_at <= starts_at)
    /* Translators: an event's day and start time, as "Today, 18:00" */
    return g_strdup_printf (_("%1$s, %2$s"), start_day, start_time);

  end_time = format_time (end);
  if (day_distance (end, start) == 0)
    /* Translators: an event's day, start and end time, as
     * "Today, 18:00 – 21:00" */
    return g_strdup_printf (_("%1$s, %2$s – %3$s"), start_day, start_time, end_time);

  end_day = format_day (end, now_dt, length);
  /* Translators: an event over several days, as
   * "Fri 4 Dec, 18:00 – Sun 6 Dec, 14:00" */
  return g_strdup_printf (_("%1$s, %2$s – %3$s, %4$s"), start_day, start_time, end_day, end_time);
}

/**
 * tn_format_capacity:
 * @capacity: the number of places, or -1 without a limit
 *
 * Returns: (transfer full): the capacity in words
 */
char *
tn_format_capacity (gint64 capacity)
{
  if (capacity < 0)
    return g_strdup (_("No limit"));

  /* Capacities are validated to at most TN_EVENT_CAPACITY_MAX, well
   * within an int. */
  capacity = MIN (capacity, G_MAXINT);
  /* Translators: how many people an event has room for */
  return g_strdup_printf (ngettext ("%d place", "%d places", (unsigned long) capacity), (int) capacity);
}

/**
 * tn_format_price:
 * @has_price: whether the event has a price at all
 * @price: the price, in units of @currency
 * @currency: (nullable): an ISO 4217 code
 *
 * Returns: (transfer full): the price in words
 */
char *
tn_format_price (gboolean    has_price,
                 double      price,
                 const char *currency)
{
  if (!has_price || price <= 0.0)
    return g_strdup (_("Free"));

  /* Translators: a price and its ISO 4217 currency code, as "12.50 EUR" */
  return g_strdup_printf (_("%1$.2f %2$s"), price, currency != NULL ? currency : "");
}

/**
 * tn_format_server_url:
 * @text: a server address as a person typed it
 *
 * Trims @text and adds a scheme when it has none: `http://` for this
 * machine, `https://` for any other.
 *
 * Returns: (transfer full) (nullable): the address to use, or %NULL if
 *   @text is not a web address
 */
char *
tn_format_server_url (const char *text)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text != NULL ? text : ""));
  g_autofree char *url = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (trimmed[0] == '\0')
    return NULL;

  if (strstr (trimmed, "://") == NULL)
    {
      gboolean local = g_str_has_prefix (trimmed, "localhost") ||
                       g_str_has_prefix (trimmed, "127.") ||
                       g_str_has_prefix (trimmed, "[::1]");

      url = g_strconcat (local ? "http://" : "https://", trimmed, NULL);
    }
  else
    url = g_steal_pointer (&trimmed);

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return NULL;
  scheme = g_uri_get_scheme (uri);
  if ((g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0) ||
      g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    return NULL;

  while (g_str_has_suffix (url, "/"))
    url[strlen (url) - 1] = '\0';
  return g_steal_pointer (&url);
}
