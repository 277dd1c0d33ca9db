/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sign-in rate limits: TnRateLimiter with injected time, then the login
 * endpoint of a real server on a test clock, then the config keys of the
 * turnout-server binary. */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <gio/gio.h>
#include <libsoup/soup.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "tn-json.h"
#include "tn-rate-limiter.h"
#include "tn-server.h"
#include "tn-test-utils.h"

#define SEC G_USEC_PER_SEC
#define T0  (1000 * SEC)   /* any start will do; not 0, to catch "unset" */

/* --- the limiter ----------------------------------------------------------- */

/* After @burst attempts at T0, one more @wait_ms later. */
typedef struct
{
  const char *name;
  guint       limit;
  gint64      window_s;
  guint       burst;
  gint64      wait_ms;
  gboolean    allowed;
  guint       retry_after;
} RetryCase;

static const RetryCase retry_cases[] = {
  { "account-sixth",         5, 900,  5,      0, FALSE, 180 },
  { "account-almost",        5, 900,  5, 179999, FALSE,   1 },
  { "account-after-refill",  5, 900,  5, 180000, TRUE,    0 },
  { "account-fifth",         5, 900,  4,      0, TRUE,    0 },
  { "address-21st",         20,  60, 20,      0, FALSE,   3 },
  { "address-2s-later",     20,  60, 20,   2000, FALSE,   1 },
  { "address-after-refill", 20,  60, 20,   3000, TRUE,    0 },
  { "rounds-up",             3,  10,  3,      0, FALSE,   4 },   /* 3.33 s */
  { "under-a-second",       10,   1, 10,      0, FALSE,   1 },   /* 0.1 s, at least 1 */
  { "one-per-hour",          1, 3600, 1,   1000, FALSE, 3599 },
};

static void
test_retry_after (gconstpointer data)
{
  const RetryCase *c = data;
  g_autoptr(TnRateLimiter) limiter = tn_rate_limiter_new (c->limit, c->window_s * SEC);
  guint retry_after = 12345;

  for (guint i = 0; i < c->burst; i++)
    {
      g_assert_true (tn_rate_limiter_check (limiter, "key", T0, &retry_after));
      g_assert_cmpuint (retry_after, ==, 0);
    }
  g_assert_cmpint (tn_rate_limiter_check (limiter, "key", T0 + c->wait_ms * 1000, &retry_after),
                   ==, c->allowed);
  g_assert_cmpuint (retry_after, ==, c->retry_after);
}

/* Waiting exactly Retry-After seconds is enough; a microsecond less is not. */
static void
test_retry_after_is_true (void)
{
  static const guint limits[] = { 1, 3, 5, 7, 20, 100 };

  for (guint i = 0; i < G_N_ELEMENTS (limits); i++)
    {
      g_autoptr(TnRateLimiter) limiter = tn_rate_limiter_new (limits[i], 60 * SEC);
      guint retry_after;
      gint64 now = T0;

      for (guint n = 0; n < limits[i]; n++)
        g_assert_true (tn_rate_limiter_check (limiter, "k", now, NULL));
      g_assert_false (tn_rate_limiter_check (limiter, "k", now, &retry_after));
      g_assert_cmpuint (retry_after, >=, 1);
      /* A fractional wait is rounded up: a microsecond less than the exact
       * wait is refused, and the rounded seconds are enough. */
      now += (gint64) retry_after * SEC;
      g_assert_true (tn_rate_limiter_check (limiter, "k", now, NULL));
      g_assert_false (tn_rate_limiter_check (limiter, "k", now, &retry_after));
      g_assert_false (tn_rate_limiter_check (limiter, "k", now + (gint64) retry_after * SEC - SEC,
                                             NULL));
    }
}

static void
test_window_edges (void)
{
  g_autoptr(TnRateLimiter) limiter = tn_rate_limiter_new (5, 900 * SEC);
  guint allowed = 0;

  for (guint i = 0; i < 5; i++)
    g_assert_true (tn_rate_limiter_check (limiter, "a", T0, NULL));
  g_assert_false (tn_rate_limiter_check (limiter, "a", T0, NULL));

  /* A microsecond before the window has passed, one token is missing... */
  while (tn_rate_limiter_check (limiter, "a", T0 + 900 * SEC - 1, NULL))
    allowed++;
  g_assert_cmpuint (allowed, ==, 4);

  /* ...and after a whole idle window the full burst is back. */
  allowed = 0;
  while (tn_rate_limiter_check (limiter, "b", T0, NULL))
    allowed++;
  g_assert_cmpuint (allowed, ==, 5);
  allowed = 0;
  while (tn_rate_limiter_check (limiter, "b", T0 + 900 * SEC, NULL))
    allowed++;
  g_assert_cmpuint (allowed, ==, 5);
}

/* One attempt a second for an hour at 5 per 15 minutes: the burst, then
 * one every 3 minutes; never more than the long-run rate allows. */
static void
test_long_run_rate (void)
{
  g_autoptr(TnRateLimiter) limiter = tn_rate_limiter_new (5, 900 * SEC);
  guint allowed = 0;

  for (gint64 s = 0; s < 3600; s++)
    if (tn_rate_limiter_check (limiter, "a", T0 + s * SEC, NULL))
      allowed++;
  g_assert_cmpuint (allowed, ==, 5 + 3420 / 180);
  g_assert_cmpuint (allowed, <=, 5 + 3600 / 180);
}

/* Hammering while refused does not push the next allowed attempt away. */
static void
test_refused_not_counted (void)
{
  g_autoptr(TnRateLimiter) limiter = tn_rate_limiter_new (5, 900 * SEC);
  guint retry_after;

  for (guint i = 0; i < 5; i++)
    g_assert_true (tn_rate_limiter_check (limiter, "a", T0, NULL));
  for (gint64 i = 0; i < 1000; i++)
    {
      g_assert_false (tn_rate_limiter_check (limiter, "a", T0 + i * 179 * SEC / 1000, &retry_after));
      g_assert_cmpuint (retry_after, ==, 180 - i * 179 / 1000);
    }
  g_assert_true (tn_rate_limiter_check (limiter, "a", T0 + 180 * SEC, NULL));
}

static void
test_keys_independent (void)
{
  g_autoptr(TnRateLimiter) limiter = tn_rate_limiter_new (2, 60 * SEC);

  g_assert_true (tn_rate_limiter_check (limiter, "a", T0, NULL));
  g_assert_true (tn_rate_limiter_check (limiter, "a", T0, NULL));
  g_assert_false (tn_rate_limiter_check (limiter, "a", T0, NULL));
  g_assert_true (tn_rate_limiter_check (limiter, "b", T0, NULL));
  g_assert_true (tn_rate_limiter_check (limiter, "A", T0, NULL));   /* keys are exact */
}

/* A success resets an account: its failures are forgotten, others' not. */
static void
test_reset (void)
{
  g_autoptr(TnRateLimiter) limiter = tn_rate_limiter_new (5, 900 * SEC);
  guint retry_after;

  for (guint i = 0; i < 5; i++)
    {
      g_assert_true (tn_rate_limiter_check (limiter, "a", T0, NULL));
      g_assert_true (tn_rate_limiter_check (limiter, "b", T0, NULL));
    }
  g_assert_false (tn_rate_limiter_check (limiter, "a", T0, NULL));
  tn_rate_limiter_reset (limiter, "a");
  tn_rate_limiter_reset (limiter, "never-seen");
  for (guint i = 0; i < 5; i++)
    g_assert_true (tn_rate_limiter_check (limiter, "a", T0 + SEC, NULL));
  g_assert_false (tn_rate_limiter_check (limiter, "a", T0 + SEC, &retry_after));
  g_assert_cmpuint (retry_after, ==, 180);
  g_assert_false (tn_rate_limiter_check (limiter, "b", T0 + SEC, &retry_after));
  g_assert_cmpuint (retry_after, ==, 179);
}

/* Keys whose buckets are full again are forgotten: memory follows the
 * keys active within one window. */
static void
test_idle_expiry (void)
{
  g_autoptr(TnRateLimiter) limiter = tn_rate_limiter_new (20, 60 * SEC);

  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *key = g_strdup_printf ("192.0.2.%u", i);

      g_assert_true (tn_rate_limiter_check (limiter, key, T0 + i, NULL));
    }
  g_assert_cmpuint (tn_rate_limiter_get_n_keys (limiter), ==, 1000);
  /* One attempt refills in 3 s: after that, all are idle. */
  g_assert_true (tn_rate_limiter_check (limiter, "late", T0 + 4 * SEC, NULL));
  g_assert_cmpuint (tn_rate_limiter_get_n_keys (limiter), ==, 1);
}

/* A flood of distinct keys within one window cannot grow the table past
 * its cap; the least recently checked go first, so a key under attack
 * (checked again and again) stays limited. */
static void
test_eviction (void)
{
  g_autoptr(TnRateLimiter) limiter = tn_rate_limiter_new (5, 900 * SEC);
  guint retry_after;

  tn_rate_limiter_set_max_keys (limiter, 100);
  for (guint i = 0; i < 5; i++)
    {
      g_assert_true (tn_rate_limiter_check (limiter, "attacked", T0, NULL));
      g_assert_true (tn_rate_limiter_check (limiter, "quiet", T0, NULL));
    }

  for (guint i = 0; i < 100000; i++)
    {
      g_autofree char *key = g_strdup_printf ("flood-%u@example.org", i);

      g_assert_true (tn_rate_limiter_check (limiter, key, T0 + SEC, NULL));
      g_assert_cmpuint (tn_rate_limiter_get_n_keys (limiter), <=, 100);
      if (i % 50 == 0)
        {
          g_assert_false (tn_rate_limiter_check (limiter, "attacked", T0 + SEC, &retry_after));
          g_assert_cmpuint (retry_after, ==, 179);
        }
    }
  g_assert_cmpuint (tn_rate_limiter_get_n_keys (limiter), ==, 100);
  /* "quiet" was evicted and starts afresh; the last flood keys are kept. */
  g_assert_false (tn_rate_limiter_check (limiter, "attacked", T0 + SEC, NULL));
  for (guint i = 0; i < 5; i++)
    g_assert_true (tn_rate_limiter_check (limiter, "quiet", T0 + SEC, NULL));
  g_assert_false (tn_rate_limiter_check (limiter, "quiet", T0 + SEC, NULL));

  /* A lower cap evicts at once. */
  tn_rate_limiter_set_max_keys (limiter, 10);
  g_assert_cmpuint (tn_rate_limiter_get_n_keys (limiter), ==, 10);
  g_assert_false (tn_rate_limiter_check (limiter, "quiet", T0 + SEC, NULL));
}

static void
test_set_limit (void)
{
  g_autoptr(TnRateLimiter) limiter = tn_rate_limiter_new (5, 900 * SEC);
  guint retry_after;

  g_assert_cmpuint (tn_rate_limiter_get_limit (limiter), ==, 5);
  g_assert_cmpint (tn_rate_limiter_get_window (limiter), ==, 900 * SEC);
  g_assert_cmpuint (tn_rate_limiter_get_max_keys (limiter), ==, TN_RATE_LIMITER_MAX_KEYS_DEFAULT);
  tn_rate_limiter_set_limit (limiter, 2);
  g_assert_true (tn_rate_limiter_check (limiter, "a", T0, NULL));
  g_assert_true (tn_rate_limiter_check (limiter, "a", T0, NULL));
  g_assert_false (tn_rate_limiter_check (limiter, "a", T0, &retry_after));
  g_assert_cmpuint (retry_after, ==, 450);
}

/* --- the login endpoint ---------------------------------------------------- */

typedef struct
{
  gboolean trust_loopback;   /* 127.0.0.1 is a trusted proxy */
  guint    per_account;      /* 0: the default */
  guint    per_address;      /* 0: the default */
} ServerOptions;

typedef struct
{
  TnTestServer        *server;
  const char          *url;
  SoupSession         *session;
  const ServerOptions *options;
  gint                 clock_s;   /* seconds after T0, atomic */
} Fixture;

static gint64
fixture_clock (gpointer data)
{
  Fixture *f = data;

  return T0 + (gint64) g_atomic_int_get (&f->clock_s) * SEC;
}

static void
advance (Fixture *f,
         gint     seconds)
{
  g_atomic_int_add (&f->clock_s, seconds);
}

/* On the server's thread, before it listens. */
static void
server_setup (TnServer *server,
              gpointer  data)
{
  Fixture *f = data;
  static const char * const loopback[] = { "127.0.0.1", NULL };

  tn_server_set_clock (server, fixture_clock, f);
  if (f->options->trust_loopback)
    g_assert_true (tn_server_set_trusted_proxies (server, loopback, NULL));
  if (f->options->per_account > 0)
    tn_server_set_login_attempts_per_account (server, f->options->per_account);
  if (f->options->per_address > 0)
    tn_server_set_login_attempts_per_address (server, f->options->per_address);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  static const ServerOptions defaults = { 0 };

  f->options = data != NULL ? data : &defaults;
  f->server = tn_test_server_new_full (TRUE, server_setup, f);
  f->url = tn_test_server_get_url (f->server);
  f->session = soup_session_new ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->session);
  g_clear_pointer (&f->server, tn_test_server_free);
}

typedef struct
{
  guint  status;
  char  *body;
  char  *retry_after;   /* the header, or NULL */
} Answer;

static void
answer_free (Answer *answer)
{
  g_free (answer->body);
  g_free (answer->retry_after);
  g_free (answer);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Answer, answer_free)

static Answer *
login_from (Fixture    *f,
            const char *email,
            const char *password,
            const char *forwarded_for)
{
  g_autofree char *full = g_strconcat (f->url, "/api/v1/auth/login", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", full);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  Answer *answer = g_new0 (Answer, 1);
  gsize size;
  const char *data;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, email);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  size = strlen (text);
  body = g_bytes_new_take (g_steal_pointer (&text), size);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  if (forwarded_for != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Forwarded-For",
                                  forwarded_for);

  reply = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (reply, &size);
  answer->status = soup_message_get_status (msg);
  answer->body = g_strndup (data != NULL ? data : "", size);
  headers = soup_message_get_response_headers (msg);
  answer->retry_after = g_strdup (soup_message_headers_get_one (headers, "Retry-After"));
  return answer;
}

static Answer *
login (Fixture    *f,
       const char *email,
       const char *password)
{
  return login_from (f, email, password, NULL);
}

static void
expect_status (Fixture    *f,
               const char *email,
               const char *password,
               guint       status)
{
  g_autoptr(Answer) answer = login (f, email, password);

  if (answer->status != status)
    g_error ("login %s: %u %s, expected %u", email, answer->status, answer->body, status);
  if (status != 429)
    g_assert_null (answer->retry_after);
}

/* A 429 with Retry-After between @min and @max seconds (a whole number)
 * and the JSON error body. */
static void
assert_limited_range (Answer *answer,
                      guint   min,
                      guint   max)
{
  guint64 seconds;

  if (answer->status != 429)
    g_error ("expected 429, got %u %s", answer->status, answer->body);
  g_assert_nonnull (answer->retry_after);
  g_assert_true (g_ascii_string_to_unsigned (answer->retry_after, 10, min, max, &seconds, NULL));
  tn_test_assert_error_body (answer->body, "rate_limited");
}

static void
assert_limited (Answer *answer,
                guint   seconds)
{
  assert_limited_range (answer, seconds, seconds);
}

static void
expect_limited (Fixture    *f,
                const char *email,
                guint       seconds)
{
  g_autoptr(Answer) answer = login (f, email, TN_DEMO_PASSWORD);

  assert_limited (answer, seconds);
}

#define WRONG "not the password"

/* Five wrong passwords, then even the right one is refused. */
static void
test_login_account_limit (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(Answer) sixth = NULL;
  g_autoptr(Answer) other_case = NULL;
  g_autoptr(JsonObject) body = NULL;

  for (guint i = 0; i < 5; i++)
    expect_status (f, TN_DEMO_ORGANIZER_EMAIL, WRONG, 401);
  sixth = login (f, TN_DEMO_ORGANIZER_EMAIL, TN_DEMO_PASSWORD);
  assert_limited (sixth, 180);
  body = tn_test_parse_object (sixth->body);
  g_assert_nonnull (strstr (tn_json_object_get_string (json_object_get_object_member (body, "error"),
                                                       "message"),
                            "180 seconds"));
  /* The account, however its address is spelt. */
  other_case = login (f, "Olivia@EXAMPLE.org", TN_DEMO_PASSWORD);
  assert_limited (other_case, 180);

  /* The next token comes after 15 minutes / 5. */
  advance (f, 179);
  {
    g_autoptr(Answer) almost = login (f, TN_DEMO_ORGANIZER_EMAIL, TN_DEMO_PASSWORD);

    assert_limited (almost, 1);
  }
  advance (f, 1);
  expect_status (f, TN_DEMO_ORGANIZER_EMAIL, TN_DEMO_PASSWORD, 200);
}

/* An unknown address is limited exactly like an account: same answers,
 * same limits, so they tell nothing about which accounts exist. */
static void
test_login_unknown_account (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(Answer) known = NULL;
  g_autoptr(Answer) unknown = NULL;

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(Answer) a = login (f, TN_DEMO_ORGANIZER_EMAIL, WRONG);
      g_autoptr(Answer) b = login (f, "nobody@example.org", WRONG);

      g_assert_cmpuint (a->status, ==, 401);
      g_assert_cmpuint (b->status, ==, 401);
      g_assert_cmpstr (a->body, ==, b->body);
    }
  known = login (f, TN_DEMO_ORGANIZER_EMAIL, TN_DEMO_PASSWORD);
  unknown = login (f, "nobody@example.org", TN_DEMO_PASSWORD);
  assert_limited (known, 180);
  assert_limited (unknown, 180);
  g_assert_cmpstr (known->body, ==, unknown->body);
}

/* A success starts the account afresh. */
static void
test_login_success_resets (Fixture       *f,
                           gconstpointer  data)
{
  for (guint i = 0; i < 4; i++)
    expect_status (f, TN_DEMO_MEMBER_EMAIL, WRONG, 401);
  expect_status (f, TN_DEMO_MEMBER_EMAIL, TN_DEMO_PASSWORD, 200);
  for (guint i = 0; i < 5; i++)
    expect_status (f, TN_DEMO_MEMBER_EMAIL, WRONG, 401);
  expect_status (f, TN_DEMO_MEMBER_EMAIL, TN_DEMO_PASSWORD, 429);
}

/* Other accounts from the same address go on until the address has made
 * 20 attempts in a minute. Attempts on a locked account count for the
 * address too (and cost no Argon2id, which keeps this test quick); their
 * Retry-After is the account's, 180 s, where the address's is 3 s. */
static void
test_login_address_limit (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *malformed = NULL;

  for (guint i = 0; i < 5; i++)
    expect_status (f, TN_DEMO_ORGANIZER_EMAIL, WRONG, 401);
  expect_limited (f, TN_DEMO_ORGANIZER_EMAIL, 180);                /* 6 */
  expect_status (f, TN_DEMO_MEMBER_EMAIL, TN_DEMO_PASSWORD, 200);  /* 7 */
  for (guint i = 8; i < 20; i++)
    expect_limited (f, TN_DEMO_ORGANIZER_EMAIL, 180);
  expect_status (f, TN_DEMO_MEMBER_EMAIL, TN_DEMO_PASSWORD, 200);  /* 20 */
  expect_limited (f, TN_DEMO_STAFF_EMAIL, 3);
  expect_limited (f, TN_DEMO_MEMBER_EMAIL, 3);

  /* One more every 3 seconds. Malformed requests are not attempts: they
   * are refused for what they are and leave the allowance alone. */
  advance (f, 3);
  g_assert_cmpuint (tn_test_http (f->url, "POST", "/api/v1/auth/login", NULL, "{\"email\": 1}", -1,
                                  NULL, &malformed), ==, 422);
  expect_status (f, TN_DEMO_STAFF_EMAIL, TN_DEMO_PASSWORD, 200);
  expect_limited (f, TN_DEMO_STAFF_EMAIL, 3);

  /* A minute later the full allowance is back. */
  advance (f, 60);
  for (guint i = 1; i < 20; i++)
    expect_limited (f, TN_DEMO_ORGANIZER_EMAIL, 180 - 63);
  expect_status (f, TN_DEMO_MEMBER_EMAIL, TN_DEMO_PASSWORD, 200);
  expect_limited (f, TN_DEMO_MEMBER_EMAIL, 3);
}

/* X-Forwarded-For counts only from a trusted proxy: here every attempt is
 * 127.0.0.1's, whatever the header says. */
static void
test_login_forwarded_untrusted (Fixture       *f,
                                gconstpointer  data)
{
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *forwarded = g_strdup_printf ("203.0.113.%u", i);
      g_autoptr(Answer) answer = login_from (f, "nobody@example.org", WRONG, forwarded);

      if (i < 5)
        g_assert_cmpuint (answer->status, ==, 401);
      else
        assert_limited (answer, 180);   /* the account */
    }
  {
    g_autoptr(Answer) limited = login_from (f, TN_DEMO_MEMBER_EMAIL, TN_DEMO_PASSWORD,
                                            "198.51.100.1");

    assert_limited (limited, 3);        /* the address */
  }
}

static void
test_login_forwarded_trusted (Fixture       *f,
                              gconstpointer  data)
{
  /* Each hop was appended by the next proxy: the client is the last
   * address not of a trusted proxy. */
  static const struct
  {
    const char *forwarded_for;
    const char *same_as;   /* shares its bucket with */
  } hops[] = {
    { "203.0.113.1",                          NULL },
    { "198.51.100.7, 203.0.113.1",            "203.0.113.1" },   /* spoofed first hop */
    { "203.0.113.1, 127.0.0.1",               "203.0.113.1" },   /* via a second trusted hop */
    { "2001:db8:0:1::1",                      NULL },
    { "2001:db8:0:1:ffff::2",                 "2001:db8:0:1::1" },   /* same /64 */
    { "::ffff:203.0.113.9",                   "203.0.113.9" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (hops); i++)
    {
      g_autoptr(Answer) limited = NULL;
      const char *fresh = hops[i].same_as != NULL ? hops[i].same_as : hops[i].forwarded_for;
      guint before = 0;

      /* A fresh bucket for this client, then its 3rd attempt. */
      advance (f, 61);
      for (; before < 2; before++)
        {
          g_autoptr(Answer) answer = login_from (f, TN_DEMO_MEMBER_EMAIL, TN_DEMO_PASSWORD, fresh);

          g_assert_cmpuint (answer->status, ==, 200);
        }
      limited = login_from (f, TN_DEMO_MEMBER_EMAIL, TN_DEMO_PASSWORD, hops[i].forwarded_for);
      assert_limited (limited, 30);
      /* ...while another client behind the same proxy goes on. */
      {
        g_autoptr(Answer) other = login_from (f, TN_DEMO_MEMBER_EMAIL, TN_DEMO_PASSWORD, "192.0.2.200");

        g_assert_cmpuint (other->status, ==, 200);
      }
    }
}

/* Limits set on the server apply (the config keys end here). */
static void
test_login_configured (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(Answer) limited = NULL;

  expect_status (f, TN_DEMO_ORGANIZER_EMAIL, WRONG, 401);
  expect_status (f, TN_DEMO_ORGANIZER_EMAIL, WRONG, 401);
  limited = login (f, TN_DEMO_ORGANIZER_EMAIL, TN_DEMO_PASSWORD);
  assert_limited (limited, 450);
}

/* --- the config file --------------------------------------------------------- */

static void
child_setup (gpointer data)
{
#ifdef __linux__
  /* A server must not outlive a test that aborted. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
#endif
}

static GSubprocess *
spawn_server (const char *config)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GError) error = NULL;
  const char *binary = g_getenv ("TURNOUT_SERVER");
  GSubprocess *process;

  g_assert_nonnull (binary);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  process = g_subprocess_launcher_spawn (launcher, &error, binary, "--config", config, NULL);
  g_assert_no_error (error);
  return process;
}

static void
test_config (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("turnout-rate-XXXXXX", &error);
  g_autofree char *config = g_build_filename (dir, "turnout.ini", NULL);
  g_autofree char *contents = g_strdup_printf ("[server]\n"
                                               "listen=127.0.0.1:0\n"
                                               "database=sqlite:%s/x.db\n"
                                               "demo=true\n"
                                               "login-attempts-per-account=2\n"
                                               "login-attempts-per-address=3\n"
                                               "trusted-proxies=10.0.0.1, ::1\n", dir);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  Fixture f = { 0 };
  g_autoptr(Answer) third = NULL;
  g_autoptr(Answer) fourth = NULL;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (config, contents, -1, &error));
  g_assert_no_error (error);
  process = spawn_server (config);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  if (line == NULL || !g_str_has_prefix (line, "Listening on "))
    g_error ("turnout-server did not start: %s", line);

  f.session = soup_session_new ();
  f.url = line + strlen ("Listening on ");
  expect_status (&f, TN_DEMO_ORGANIZER_EMAIL, WRONG, 401);
  expect_status (&f, TN_DEMO_ORGANIZER_EMAIL, WRONG, 401);
  third = login (&f, TN_DEMO_ORGANIZER_EMAIL, TN_DEMO_PASSWORD);
  /* Real time passes while Argon2id runs: allow a few seconds. */
  assert_limited_range (third, 445, 450);   /* the account: 15 min / 2 */
  fourth = login (&f, TN_DEMO_MEMBER_EMAIL, TN_DEMO_PASSWORD);
  assert_limited_range (fourth, 15, 20);    /* the address: 1 min / 3 */
  g_clear_object (&f.session);

  g_subprocess_send_signal (process, SIGTERM);
  g_assert_true (g_subprocess_wait_check (process, NULL, &error));
  g_assert_no_error (error);
  tn_test_remove_tree (dir);
}

/* Bad values stop the server with a message naming the key. */
static void
test_config_invalid (void)
{
  static const struct
  {
    const char *line;
    const char *message;
  } cases[] = {
    { "login-attempts-per-account=0", "login-attempts-per-account must be a positive whole number" },
    { "login-attempts-per-address=-3", "login-attempts-per-address must be a positive whole number" },
    { "login-attempts-per-address=many", "login-attempts-per-address must be a positive whole number" },
    { "trusted-proxies=10.0.0.1;proxy.example.org", "trusted-proxies" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *dir = g_dir_make_tmp ("turnout-rate-XXXXXX", &error);
      g_autofree char *config = g_build_filename (dir, "turnout.ini", NULL);
      g_autofree char *contents = g_strdup_printf ("[server]\nlisten=127.0.0.1:0\n"
                                                   "database=sqlite:%s/x.db\n%s\n", dir, cases[i].line);
      g_autoptr(GSubprocess) process = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_assert_no_error (error);
      g_assert_true (g_file_set_contents (config, contents, -1, &error));
      process = spawn_server (config);
      g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error));
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_exited (process));
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 2);
      g_assert_null (strstr (out, "Listening"));
      if (strstr (err, cases[i].message) == NULL)
        g_error ("%s: expected “%s” in: %s", cases[i].line, cases[i].message, err);
      tn_test_remove_tree (dir);
    }
}

int
main (int    argc,
      char **argv)
{
  /* Two per address and minute: quick to exhaust. */
  static const ServerOptions trusted = { .trust_loopback = TRUE, .per_address = 2 };
  static const ServerOptions two_per_account = { .per_account = 2 };

  tn_test_init (&argc, &argv);

  for (guint i = 0; i < G_N_ELEMENTS (retry_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/server/rate-limit/limiter/retry-after/",
                                           retry_cases[i].name, NULL);

      g_test_add_data_func (path, &retry_cases[i], test_retry_after);
    }
  g_test_add_func ("/server/rate-limit/limiter/retry-after-is-true", test_retry_after_is_true);
  g_test_add_func ("/server/rate-limit/limiter/window-edges", test_window_edges);
  g_test_add_func ("/server/rate-limit/limiter/long-run-rate", test_long_run_rate);
  g_test_add_func ("/server/rate-limit/limiter/refused-not-counted", test_refused_not_counted);
  g_test_add_func ("/server/rate-limit/limiter/keys-independent", test_keys_independent);
  g_test_add_func ("/server/rate-limit/limiter/reset", test_reset);
  g_test_add_func ("/server/rate-limit/limiter/idle-expiry", test_idle_expiry);
  g_test_add_func ("/server/rate-limit/limiter/eviction", test_eviction);
  g_test_add_func ("/server/rate-limit/limiter/set-limit", test_set_limit);

#define ADD(path, options, func) \
  g_test_add ("/server/rate-limit/login/" path, Fixture, options, fixture_setup, func, fixture_teardown)
  ADD ("account-limit", NULL, test_login_account_limit);
  ADD ("unknown-account", NULL, test_login_unknown_account);
  ADD ("success-resets", NULL, test_login_success_resets);
  ADD ("address-limit", NULL, test_login_address_limit);
  ADD ("forwarded-untrusted", NULL, test_login_forwarded_untrusted);
  ADD ("forwarded-trusted", &trusted, test_login_forwarded_trusted);
  ADD ("configured", &two_per_account, test_login_configured);
#undef ADD

  g_test_add_func ("/server/rate-limit/config/keys", test_config);
  g_test_add_func ("/server/rate-limit/config/invalid", test_config_invalid);

  return g_test_run ();
}
