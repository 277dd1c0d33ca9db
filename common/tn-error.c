/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tn-error.h"

G_DEFINE_QUARK (tn-error-quark, tn_error)

static const struct {
  TnError     error;
  const char *code;
  guint       status;
} error_table[] = {
  { TN_ERROR_BAD_REQUEST,           "bad_request",           400 },
  { TN_ERROR_VALIDATION_FAILED,     "validation_failed",     422 },
  { TN_ERROR_UNAUTHORIZED,          "unauthorized",          401 },
  { TN_ERROR_FORBIDDEN,             "forbidden",             403 },
  { TN_ERROR_NOT_FOUND,             "not_found",             404 },
  { TN_ERROR_CONFLICT,              "conflict",              409 },
  { TN_ERROR_CAPACITY_FULL,         "capacity_full",         409 },
  { TN_ERROR_RATE_LIMITED,          "rate_limited",          429 },
  { TN_ERROR_PAYLOAD_TOO_LARGE,     "payload_too_large",     413 },
  { TN_ERROR_INTERNAL,              "internal",              500 },
  { TN_ERROR_NETWORK,               "network",               503 },
  { TN_ERROR_PRECONDITION_REQUIRED, "precondition_required", 428 },
  { TN_ERROR_DEVICE_REVOKED,        "device_revoked",        401 },
  { TN_ERROR_UNAVAILABLE,           "unavailable",           503 },
};

/**
 * tn_error_to_code:
 * @error: a #TnError
 *
 * Returns: the stable API error code, such as `"validation_failed"`
 */
const char *
tn_error_to_code (TnError error)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_table); i++)
    if (error_table[i].error == error)
      return error_table[i].code;
  return "internal";
}

/**
 * tn_error_from_code:
 * @code: (nullable): an API error code
 *
 * Returns: the #TnError for @code; %TN_ERROR_INTERNAL for unknown codes
 */
TnError
tn_error_from_code (const char *code)
{
  if (code == NULL)
    return TN_ERROR_INTERNAL;
  for (guint i = 0; i < G_N_ELEMENTS (error_table); i++)
    if (g_str_equal (error_table[i].code, code))
      return error_table[i].error;
  return TN_ERROR_INTERNAL;
}

/**
 * tn_error_to_http_status:
 * @error: a #TnError
 *
 * Returns: the HTTP status the server answers @error with
 */
guint
tn_error_to_http_status (TnError error)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_table); i++)
    if (error_table[i].error == error)
      return error_table[i].status;
  return 500;
}
