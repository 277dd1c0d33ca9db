/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tn-ticket-code.h"

G_BEGIN_DECLS

/* A signed ticket: what the QR code on a ticket holds. See
 * tn-signed-ticket.c for the format. */
#define TN_SIGNED_TICKET_PREFIX      "TN1"
#define TN_SIGNED_TICKET_PUBLIC_KEY  32   /* bytes of an Ed25519 public key */
#define TN_SIGNED_TICKET_SECRET_KEY  64   /* bytes of an Ed25519 secret key */

/**
 * TnTicketClaim:
 * @event_id: the event's id, a UUID in text form
 * @code: the ticket's short code, canonical and grouped (as
 *   tn_ticket_code_normalize() gives it)
 * @valid_until: Unix seconds after which the ticket admits nobody
 *
 * What a signed ticket says.
 */
typedef struct
{
  char   event_id[37];
  char   code[TN_TICKET_CODE_LENGTH + 1];
  gint64 valid_until;
} TnTicketClaim;

/**
 * TnSignedTicketCheck:
 * @TN_SIGNED_TICKET_VALID: well formed and signed with the event's key
 * @TN_SIGNED_TICKET_MALFORMED: not a signed ticket, or damaged
 * @TN_SIGNED_TICKET_FORGED: well formed, but not signed with this key
 *   (altered, made up, or of another event)
 */
typedef enum
{
  TN_SIGNED_TICKET_VALID,
  TN_SIGNED_TICKET_MALFORMED,
  TN_SIGNED_TICKET_FORGED,
} TnSignedTicketCheck;

void                tn_signed_ticket_new_keypair (guint8              public_key[TN_SIGNED_TICKET_PUBLIC_KEY],
                                                  guint8              secret_key[TN_SIGNED_TICKET_SECRET_KEY]);
char               *tn_signed_ticket_new         (const TnTicketClaim *claim,
                                                  const guint8         secret_key[TN_SIGNED_TICKET_SECRET_KEY]);
gboolean            tn_signed_ticket_is_signed   (const char          *text);
gboolean            tn_signed_ticket_read        (const char          *text,
                                                  TnTicketClaim       *out_claim);
TnSignedTicketCheck tn_signed_ticket_check       (const char          *text,
                                                  const guint8         public_key[TN_SIGNED_TICKET_PUBLIC_KEY],
                                                  TnTicketClaim       *out_claim);

G_END_DECLS
