/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the storage backends' SQL has in common: the columns each reads
 * in the order its row readers expect, and how lists are kept in one
 * column. For server/storage/<backend>/ only. */
#pragma once

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
