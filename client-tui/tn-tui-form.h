/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tn-tui-display.h"
#include "tn-tui-entry.h"

G_BEGIN_DECLS

/* A centred form of labelled one-line fields, as the sign-in and pairing
 * screens show: a title, the fields, and lines of hints below. */
typedef struct
{
  const char         *title;     /* translated */
  const char * const *labels;    /* marked for translation, not translated; one per field */
  TnTuiEntry * const *fields;
  guint               n_fields;
  guint               focus;
  gboolean            busy;      /* no field has the focus, no hints */
  const char * const *hints;     /* translated, NULL-terminated; may be NULL */
} TnTuiForm;

void     tn_tui_form_draw       (const TnTuiForm *form,
                                 const TnTuiRect *area);
gboolean tn_tui_form_move_focus (const TnTuiKey  *key,
                                 guint           *focus,
                                 guint            n_fields);

G_END_DECLS
