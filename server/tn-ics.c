/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RFC 5545 calendars of events, for calendar apps to import or subscribe
 * to. Pure functions: text in, text out. */
#include "config.h"

#include <string.h>

#include "tn-ics.h"

/**
 * tn_ics_escape_text:
 * @text: (nullable): UTF-8 text
 *
 * Escapes @text as an RFC 5545 TEXT value (section 3.3.11): backslash,
 * semicolon and comma get a backslash, a line break (LF, CRLF or a lone CR)
 * becomes `\n`. TEXT may hold no other ASCII control character than a tab,
 * so those are dropped; invalid UTF-8 is repaired.
 *
 * Returns: (transfer full): the escaped text
 */
char *
tn_ics_escape_text (const char *text)
{
  g_autofree char *valid = NULL;
  GString *out;

  if (text == NULL)
    return g_strdup ("");
  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);

  out = g_string_sized_new (strlen (text) + 16);
  for (const char *p = text; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '\\':
        case ';':
        case ',':
          g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
          break;
        case '\r':
          if (p[1] == '\n')
            p++;
          G_GNUC_FALLTHROUGH;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\t':
          g_string_append_c (out, '\t');
          break;
        default:
          if ((guchar) *p >= 0x20 && *p != 0x7f)
            g_string_append_c (out, *p);
          break;
        }
    }
  return g_string_free (out, FALSE);
}

/**
 * tn_ics_format_time:
 * @unix_time: seconds since the Unix epoch
 *
 * Returns: (transfer full): a DATE-TIME in UTC, such as `20261122T180000Z`
 */
char *
tn_ics_format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_time);

  /* Stored times are validated to years 1970 to 9999; anything else is
   * clamped rather than written as a malformed value. */
  if (dt == NULL)
    return g_strdup (unix_time < 0 ? "19700101T000000Z" : "99991231T235959Z");
  return g_date_time_format (dt, "%Y%m%dT%H%M%SZ");
}

/**
 * tn_ics_append_line:
 * @out: where the line goes
 * @line: one content line, without its line break
 *
 * Appends @line folded as RFC 5545 section 3.1 asks: physical lines of at
 * most 75 octets, CRLF not counted, each continuation starting with one
 * space (which counts), never splitting a UTF-8 sequence.
 */
void
tn_ics_append_line (GString    *out,
                    const char *line)
{
  gsize remaining, room = TN_ICS_LINE_MAX;

  g_return_if_fail (out != NULL);
  g_return_if_fail (line != NULL);

  remaining = strlen (line);
  while (remaining > room)
    {
      gsize cut = room;

      /* Back up to the start of a UTF-8 sequence: at most 3 bytes. */
      while (cut > 0 && ((guchar) line[cut] & 0xc0) == 0x80)
        cut--;
      g_string_append_len (out, line, (gssize) cut);
      g_string_append (out, "\r\n ");
      line += cut;
      remaining -= cut;
      room = TN_ICS_LINE_MAX - 1;
    }
  g_string_append_len (out, line, (gssize) remaining);
  g_string_append (out, "\r\n");
}

static void
append_property (GString    *out,
                 const char *name,
                 const char *value)
{
  g_autofree char *line = g_strconcat (name, ":", value, NULL);

  tn_ics_append_line (out, line);
}

static void
append_text (GString    *out,
             const char *name,
             const char *text)
{
  g_autofree char *escaped = tn_ics_escape_text (text);

  append_property (out, name, escaped);
}

static void
append_time (GString    *out,
             const char *name,
             gint64      unix_time)
{
  g_autofree char *value = tn_ics_format_time (unix_time);

  append_property (out, name, value);
}

/* A base URL comes from the request's Host; refuse anything that could
 * break out of its content line. */
static gboolean
url_is_safe (const char *url)
{
  for (const char *p = url; *p != '\0'; p++)
    if ((guchar) *p <= 0x20 || *p == 0x7f)
      return FALSE;
  return url[0] != '\0';
}

/**
 * tn_ics_append_event:
 * @out: where the VEVENT goes
 * @event: a stored event (with id, version and times)
 * @base_url: (nullable): the server's URL, such as `http://127.0.0.1:8080`,
 *   for a URL property pointing at the event in the API
 *
 * Appends one VEVENT. Its UID (`ID@turnout`) never changes, and its
 * SEQUENCE is the event's version minus one, so a calendar app replaces
 * its copy when the event is edited or cancelled.
 */
void
tn_ics_append_event (GString    *out,
                     TnEvent    *event,
                     const char *base_url)
{
  g_autofree char *uid = NULL;
  g_autofree char *sequence = NULL;
  const char *text;
  gint64 stamp;
  double lat, lon;

  g_return_if_fail (out != NULL);
  g_return_if_fail (TN_IS_EVENT (event));
  g_return_if_fail (tn_event_get_id (event) != NULL);

  uid = g_strconcat (tn_event_get_id (event), "@turnout", NULL);
  sequence = g_strdup_printf ("%" G_GINT64_FORMAT, MAX (tn_event_get_version (event) - 1, 0));
  stamp = tn_event_get_updated_at (event) > 0 ? tn_event_get_updated_at (event)
                                              : tn_event_get_created_at (event);

  tn_ics_append_line (out, "BEGIN:VEVENT");
  append_text (out, "UID", uid);
  append_time (out, "DTSTAMP", stamp);
  append_time (out, "DTSTART", tn_event_get_starts_at (event));
  /* DTEND must be later than DTSTART; without it the event is an instant. */
  if (tn_event_get_ends_at (event) > tn_event_get_starts_at (event))
    append_time (out, "DTEND", tn_event_get_ends_at (event));
  append_text (out, "SUMMARY", tn_event_get_title (event));
  if ((text = tn_event_get_description (event)) != NULL && text[0] != '\0')
    append_text (out, "DESCRIPTION", text);
  if ((text = tn_event_get_location (event)) != NULL && text[0] != '\0')
    append_text (out, "LOCATION", text);
  if (tn_event_get_coordinates (event, &lat, &lon))
    {
      char lat_text[G_ASCII_DTOSTR_BUF_SIZE], lon_text[G_ASCII_DTOSTR_BUF_SIZE];
      g_autofree char *geo = NULL;

      /* FLOAT allows no exponent; six decimals are about 0.1 m. */
      g_ascii_formatd (lat_text, sizeof lat_text, "%.6f", lat);
      g_ascii_formatd (lon_text, sizeof lon_text, "%.6f", lon);
      geo = g_strconcat (lat_text, ";", lon_text, NULL);
      append_property (out, "GEO", geo);
    }
  if ((text = tn_event_get_category (event)) != NULL && text[0] != '\0')
    append_text (out, "CATEGORIES", text);
  append_property (out, "CLASS",
                   tn_event_get_visibility (event) == TN_VISIBILITY_PRIVATE ? "PRIVATE" : "PUBLIC");
  append_property (out, "SEQUENCE", sequence);
  append_property (out, "STATUS",
                   tn_event_get_status (event) == TN_EVENT_STATUS_CANCELLED ? "CANCELLED" : "CONFIRMED");
  if (tn_event_get_created_at (event) > 0)
    append_time (out, "CREATED", tn_event_get_created_at (event));
  append_time (out, "LAST-MODIFIED", stamp);
  if (base_url != NULL && url_is_safe (base_url))
    {
      g_autofree char *url = g_strconcat (base_url, "/api/v1/events/", tn_event_get_id (event), NULL);

      append_property (out, "URL", url);
    }
  tn_ics_append_line (out, "END:VEVENT");
}

/**
 * tn_ics_write_calendar:
 * @name: the calendar's name, shown by calendar apps (X-WR-CALNAME)
 * @events: (element-type TnEvent): the events, in order
 * @base_url: (nullable): as for tn_ics_append_event()
 *
 * Writes a whole VCALENDAR for publishing, CRLF line ends and folding
 * included.
 *
 * Returns: (transfer full): the calendar text
 */
char *
tn_ics_write_calendar (const char *name,
                       GPtrArray  *events,
                       const char *base_url)
{
  GString *out;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (events != NULL, NULL);

  out = g_string_sized_new (512 + 1024 * events->len);
  tn_ics_append_line (out, "BEGIN:VCALENDAR");
  tn_ics_append_line (out, "VERSION:2.0");
  tn_ics_append_line (out, "PRODID:-//Turnout//turnout-server//EN");
  tn_ics_append_line (out, "CALSCALE:GREGORIAN");
  tn_ics_append_line (out, "METHOD:PUBLISH");
  append_text (out, "X-WR-CALNAME", name);
  /* How often subscribers should look again (RFC 7986, and its older
   * Microsoft spelling). */
  tn_ics_append_line (out, "REFRESH-INTERVAL;VALUE=DURATION:PT1H");
  tn_ics_append_line (out, "X-PUBLISHED-TTL:PT1H");
  for (guint i = 0; i < events->len; i++)
    tn_ics_append_event (out, events->pdata[i], base_url);
  tn_ics_append_line (out, "END:VCALENDAR");
  return g_string_free (out, FALSE);
}
