/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TN_ERROR (tn_error_quark ())

/**
 * TnError:
 * @TN_ERROR_BAD_REQUEST: the request could not be read (malformed JSON, bad UTF-8, …)
 * @TN_ERROR_VALIDATION_FAILED: the request was read but a field is wrong
 * @TN_ERROR_UNAUTHORIZED: no valid credentials
 * @TN_ERROR_FORBIDDEN: credentials valid, but not allowed
 * @TN_ERROR_NOT_FOUND: no such resource
 * @TN_ERROR_CONFLICT: the resource changed meanwhile, or already exists
 * @TN_ERROR_CAPACITY_FULL: the event has no free seat and no waitlist
 * @TN_ERROR_RATE_LIMITED: too many requests
 * @TN_ERROR_PAYLOAD_TOO_LARGE: the request body is over the limit
 * @TN_ERROR_INTERNAL: a fault on the server
 * @TN_ERROR_NETWORK: (client side) the server could not be reached
 * @TN_ERROR_PRECONDITION_REQUIRED: a conditional request lacked If-Match
 * @TN_ERROR_DEVICE_REVOKED: the door device's token was revoked: the door
 *   wipes its replica
 * @TN_ERROR_UNAVAILABLE: the server cannot answer this yet (503, with
 *   Retry-After), such as recommendations before their first model
 *
 * The one error domain of Turnout. The server maps it to HTTP statuses and
 * error codes in one place; clients map error bodies back to it.
 */
typedef enum
{
  TN_ERROR_BAD_REQUEST,
  TN_ERROR_VALIDATION_FAILED,
  TN_ERROR_UNAUTHORIZED,
  TN_ERROR_FORBIDDEN,
  TN_ERROR_NOT_FOUND,
  TN_ERROR_CONFLICT,
  TN_ERROR_CAPACITY_FULL,
  TN_ERROR_RATE_LIMITED,
  TN_ERROR_PAYLOAD_TOO_LARGE,
  TN_ERROR_INTERNAL,
  TN_ERROR_NETWORK,
  TN_ERROR_PRECONDITION_REQUIRED,
  TN_ERROR_DEVICE_REVOKED,
  TN_ERROR_UNAVAILABLE,
} TnError;

GQuark       tn_error_quark          (void);
const char  *tn_error_to_code        (TnError     error);
TnError      tn_error_from_code      (const char *code);
guint        tn_error_to_http_status (TnError     error);

G_END_DECLS
