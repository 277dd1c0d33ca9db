-- SPDX-License-Identifier: GPL-3.0-or-later
-- wrk script of bench/run's check-in case: POST /api/v1/checkins with one
-- scan each, as a door would post scans one by one: a new scan id (a
-- UUID) every time, the next guest's ticket code ($BENCH_CODES, one a
-- line, written by bench-seed --guests; thread k of n takes codes
-- offset+k, offset+k+n, …), direction in, scanned now. Past the last code
-- guests are scanned again: those are duplicates.

local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

local function uuid()
  local bytes = {}
  for i = 1, 16 do bytes[i] = math.random(0, 255) end
  bytes[7] = 0x40 + (bytes[7] % 16)
  bytes[9] = 0x80 + (bytes[9] % 64)
  local hex = ""
  for i = 1, 16 do
    hex = hex .. string.format("%02x", bytes[i])
    if i == 4 or i == 6 or i == 8 or i == 10 then hex = hex .. "-" end
  end
  return hex
end

function init(args)
  codes = {}
  for line in io.lines(os.getenv("BENCH_CODES")) do
    if #line > 0 then codes[#codes + 1] = line end
  end
  assert(#codes > 0, "no codes in $BENCH_CODES")
  math.randomseed(os.time() * 100 + id + tonumber(os.getenv("BENCH_RUN") or "0") * 7919)
  step = tonumber(os.getenv("BENCH_THREADS") or "1")
  next_index = tonumber(os.getenv("BENCH_TOKEN_OFFSET") or "0") + id
  event_id = os.getenv("BENCH_EVENT")
  headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN"),
  }
end

function request()
  local code = codes[(next_index % #codes) + 1]
  next_index = next_index + step
  local body = string.format(
    '{"scans":[{"id":"%s","event_id":"%s","code":"%s","direction":"in","scanned_at":"%s"}]}',
    uuid(), event_id, code, os.date("!%Y-%m-%dT%H:%M:%SZ"))
  return wrk.format("POST", nil, headers, body)
end

dofile(os.getenv("BENCH_DIR") .. "/report.lua")
