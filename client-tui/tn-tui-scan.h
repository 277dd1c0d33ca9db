/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tn-replica.h"
#include "tn-tui-app.h"

G_BEGIN_DECLS

/* The scan screen's data, for the screens a supervisor opens from it
 * (search, attendee details): they check tickets in through it. */
typedef struct _TnTuiScan TnTuiScan;

void            tn_tui_scan_check_by_hand (TnTuiScan  *self,
                                           const char *ticket_code);
TnScanDirection tn_tui_scan_get_direction (TnTuiScan  *self);
TnReplica      *tn_tui_scan_get_replica   (TnTuiScan  *self);

/* What the attendee screen opens with. */
typedef struct
{
  TnTuiScan  *scan;
  const char *attendee_id;
} TnTuiAttendeeArg;

void            tn_tui_search_check_in    (TnTuiApp   *app,
                                           TnTuiScan  *scan,
                                           TnAttendee *attendee);

G_END_DECLS
