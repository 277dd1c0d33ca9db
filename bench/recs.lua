-- SPDX-License-Identifier: GPL-3.0-or-later
-- wrk script of bench/run's recs case: GET /api/v1/recommendations, each
-- request as the next member of $BENCH_TOKENS (bearer tokens, one a line,
-- written by recs-seed) with the next query string of $BENCH_QUERIES (one a
-- line, written by recs-seed: empty, ?near=LAT,LON, ?category=NAME or
-- both). Thread k of n takes tokens k, k+n, k+2n, … and the queries one
-- after the other from its own place, so that a member does not always
-- come with the same query.

local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

local function read_lines(path, keep_empty)
  local lines = {}
  for line in io.lines(path) do
    if keep_empty or #line > 0 then lines[#lines + 1] = line end
  end
  return lines
end

function init(args)
  tokens = read_lines(os.getenv("BENCH_TOKENS"), false)
  queries = read_lines(os.getenv("BENCH_QUERIES"), true)
  assert(#tokens > 0, "no tokens in $BENCH_TOKENS")
  assert(#queries > 0, "no queries in $BENCH_QUERIES")
  step = tonumber(os.getenv("BENCH_THREADS") or "1")
  -- each run starts elsewhere in the rotation ($BENCH_RUN counts them)
  local run = tonumber(os.getenv("BENCH_RUN") or "0")
  next_index = id + 7919 * run
  next_query = 389 * id + 101 * run
  path = wrk.path
end

function request()
  local token = tokens[(next_index % #tokens) + 1]
  local query = queries[(next_query % #queries) + 1]
  next_index = next_index + step
  next_query = next_query + 1
  return wrk.format("GET", path .. query, { ["Authorization"] = "Bearer " .. token })
end

dofile(os.getenv("BENCH_DIR") .. "/report.lua")
