/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Signals sent at once. g_subprocess_send_signal() hands the kill() to
 * GLib's worker thread and returns before it happens: a test that stops
 * a server with SIGSTOP and then sends it a request could see the request
 * answered first (it did, once, on a loaded CI machine). Header-only, so
 * the GTK and terminal tests, which do not link tn-test-utils, share it. */
#pragma once

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <gio/gio.h>

static inline void
tn_test_signal_now (GSubprocess *process,
                    int          signal_number)
{
  const char *identifier = g_subprocess_get_identifier (process);
  pid_t pid;

  /* NULL once the process has been reaped: it cannot be signalled, and
   * its number may be someone else's by now. */
  g_assert_nonnull (identifier);
  pid = (pid_t) g_ascii_strtoll (identifier, NULL, 10);
  g_assert_cmpint (pid, >, 0);
  if (kill (pid, signal_number) != 0)
    g_error ("kill(%d, %d): %s", (int) pid, signal_number, g_strerror (errno));
}
