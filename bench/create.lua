-- SPDX-License-Identifier: GPL-3.0-or-later
-- wrk script of bench/run's create case: POST a new event to the URL
-- (/api/v1/events) as the organizer ($BENCH_TOKEN), every body different
-- (title, times, capacity, tags) and without an id, so the server makes one.

local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

local categories = { "music", "tech", "sports", "arts", "food", "community" }

function init(args)
  n = 0
  run = tonumber(os.getenv("BENCH_RUN") or "0")
  headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN"),
  }
end

function request()
  n = n + 1
  -- in 2030, a day and an hour from the request's number
  local day = 1 + (n % 28)
  local hour = 8 + (n % 12)
  local body = string.format(
    '{"title":"Bench event %d.%d.%d","description":"Created by bench/run, thread %d, request %d.",' ..
    '"starts_at":"2030-%02d-%02dT%02d:00:00Z","ends_at":"2030-%02d-%02dT%02d:30:00Z",' ..
    '"location":"Community Hall, 12 Elm Street","category":"%s","tags":["bench","t%d"],' ..
    '"capacity":%d,"visibility":"public"}',
    run, id, n, id, n,
    1 + (n % 12), day, hour, 1 + (n % 12), day, hour + 1,
    categories[(n % #categories) + 1], n % 100, 10 + (n % 500))
  return wrk.format("POST", nil, headers, body)
end

dofile(os.getenv("BENCH_DIR") .. "/report.lua")
