/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the storage backends' SQL has in common: the columns each reads
 * in the order its row readers expect, and how lists are kept in one
 * column. For server/storage/<backend>/ only. */
#pragma once

#include <glib.h>

#include "tn-store.h"

#define EVENT_COLUMNS \
  "id, title, description, starts_at, ends_at, location, lat, lon, capacity, category, " \
  "tags, visibility, waitlist, price, currency, status, organizer_id, version, created_at, updated_at"

/* Tags are stored in one column, joined by a control character, which
 * validation keeps out of tags: reading them back is a split, not a JSON
 * parse (a parse per row was a fifth of a single-event GET). Full-text
 * search takes it for a separator. A member's chosen categories are kept
 * the same way. */
#define TAG_SEPARATOR "\x1f"

#define USER_COLUMNS "id, email, name, role, created_at"
#define PROFILE_COLUMNS "home_lat, home_lon, interests"

/* Mean Earth radius (IUGG), as the API documents it. */
#define TN_EARTH_RADIUS_KM 6371.0088

double tn_store_distance_km (double lat1,
                             double lon1,
                             double lat2,
                             double lon2);

/**
 * TnNearBox:
 * The box of latitudes and longitudes that holds every point within a
 * distance of a place, so that a (lat, lon) index finds the candidates
 * before the exact distance decides.
 */
typedef struct
{
  double   min_lat, max_lat;
  double   min_lon, max_lon;
  gboolean wraps;   /* across ±180°: lon >= min_lon OR lon <= max_lon */
} TnNearBox;

void tn_store_near_box (double     lat,
                        double     lon,
                        double     radius_km,
                        TnNearBox *box);

/* An attendee search's form of text: compatibility-decomposed, accents
 * dropped, case-folded (any script); matching is then a substring test. */
char *tn_store_fold_for_search (const char *text);

/* Check-in verdicts, the same in every backend. A ticket's counted scans
 * (not undone, not refused for the ticket itself), in the order they were
 * made: an entry is accepted when the ticket is not inside, else a
 * duplicate of the entry that let it in (@prev_*); an exit is accepted
 * when it is inside, else not_inside. */
typedef struct
{
  gboolean    out;
  gint64      scanned_at;
  const char *device;
} TnReplayScan;

typedef struct
{
  int         verdict;       /* a TnVerdict */
  gint64      prev_scanned_at;
  const char *prev_device;   /* points into the scans given */
} TnReplayVerdict;

void     tn_store_replay_scans      (const TnReplayScan *scans,
                                     guint               n,
                                     TnReplayVerdict    *out_verdicts);
/* What the door said matters when it let in someone who should not be. */
gboolean tn_store_checkin_flagged   (const char         *local_verdict,
                                     int                 verdict);
/* The verdict a ticket's own state settles, or TN_VERDICT_ACCEPTED when
 * it is to be judged with its other scans: of another event, revoked
 * (REVOKED for someone still going, else NOT_GOING), not going. */
int      tn_store_ticket_verdict    (const char         *ticket_event,
                                     const char         *scan_event,
                                     gboolean            revoked,
                                     const char         *status);

/* A scan sent again: copies the stored one's verdict and what goes with
 * it into @scan (@out_found TRUE), or nothing when @stored is NULL for
 * TN_ERROR_NOT_FOUND in @lookup_error (@out_found FALSE). FALSE with
 * @error for any other lookup error, or when the id is another event's
 * scan. */
gboolean tn_store_take_stored_checkin (TnCheckin    *scan,
                                       TnCheckin    *stored,
                                       const GError *lookup_error,
                                       gboolean     *out_found,
                                       GError      **error);
