-- SPDX-License-Identifier: GPL-3.0-or-later
-- wrk script of bench/run's RSVP cases: PUT {"status":"going"} to the URL
-- (…/events/{id}/rsvp), each request as another member. The members' bearer
-- tokens come from $BENCH_TOKENS (one a line, written by bench-seed
-- --users); thread k of n sends tokens offset+k, offset+k+n, offset+k+2n, …
-- ($BENCH_TOKEN_OFFSET: bench/run moves it on after every run, so the next
-- run starts with members who have not answered yet). Past the last token
-- it starts again from the first: those are repeated answers.

local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

function init(args)
  tokens = {}
  for line in io.lines(os.getenv("BENCH_TOKENS")) do
    if #line > 0 then tokens[#tokens + 1] = line end
  end
  assert(#tokens > 0, "no tokens in $BENCH_TOKENS")
  step = tonumber(os.getenv("BENCH_THREADS") or "1")
  next_index = tonumber(os.getenv("BENCH_TOKEN_OFFSET") or "0") + id
  body = '{"status":"going"}'
end

function request()
  local token = tokens[(next_index % #tokens) + 1]
  next_index = next_index + step
  return wrk.format("PUT", nil, {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
  }, body)
end

dofile(os.getenv("BENCH_DIR") .. "/report.lua")
