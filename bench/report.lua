-- SPDX-License-Identifier: GPL-3.0-or-later
-- wrk script of bench/run: after a run, prints one line that bench/run
-- parses: the case (from $BENCH_CASE), requests per second, latency
-- percentiles in milliseconds and the failures wrk saw.

done = function (summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  io.write(string.format(
    "RESULT case=%s rps=%.0f p50_ms=%.2f p90_ms=%.2f p95_ms=%.2f p99_ms=%.2f max_ms=%.2f " ..
    "requests=%d seconds=%.2f non2xx=%d socket_errors=%d\n",
    os.getenv("BENCH_CASE") or "unnamed",
    summary.requests / seconds,
    latency:percentile(50) / 1000,
    latency:percentile(90) / 1000,
    latency:percentile(95) / 1000,
    latency:percentile(99) / 1000,
    latency.max / 1000,
    summary.requests, seconds,
    errors.status,
    errors.connect + errors.read + errors.write + errors.timeout))
end
