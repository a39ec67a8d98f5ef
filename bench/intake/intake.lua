-- intake.lua — wrk script for bench/intake/run.sh: every request records one 110 call,
-- POST /api/v1/calls as a call-taker (bearer token), with varied bodies: incident
-- types, outcomes, caller numbers, places around Rasht and Persian narratives. Each
-- 201 is a call durably on disk (the call row, its audit row and its live event in
-- one group-committed transaction).
--   wrk ... -s bench/intake/intake.lua URL -- TOKEN [idempotent]
-- With "idempotent" every request carries its own Idempotency-Key, so the server also
-- stores each answer for replay, as a careful client would make it.
-- Answers are counted by status in each thread and printed by done(), so the script
-- can compare the 201s with the rows on disk.

local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

local token = ""
local with_key = false
local n = 0
statuses = {}

local types = {
  "fight", "theft", "crash_damage", "disturbance", "burglary", "family_dispute",
  "suspicious", "harassment", "crash_injury", "noise", "information", "lost_property",
}
local outcomes = { "operation", "operation", "operation", "guidance", "non_emergency", "invalid" }
local narratives = {
  "تماس‌گیرنده از درگیری چند نفر در خیابان خبر می‌دهد",
  "سرقت لوازم داخل خودرو در پارکینگ",
  "تصادف دو خودرو بدون جرح، راه بسته شده است",
  "صدای فریاد از واحد همسایه",
  "فرد مشکوک در حال بررسی درِ خودروهاست",
  "راهنمایی درباره‌ی شکایت از کلاهبرداری اینترنتی",
}

function init(args)
  token = args[1] or ""
  with_key = args[2] == "idempotent"
  math.randomseed(7919 * (id or 1))
end

function request()
  n = n + 1
  local body = string.format(
    '{"caller_number":"0911%07d","type":"%s","outcome":"%s",' ..
    '"location":{"lat":%.5f,"lon":%.5f,"uncertainty_m":%d},"narrative":"%s"}',
    math.random(0, 9999999), types[math.random(#types)], outcomes[math.random(#outcomes)],
    37.28 + (math.random() - 0.5) * 0.06, 49.58 + (math.random() - 0.5) * 0.08,
    math.random(5, 800), narratives[math.random(#narratives)])
  local headers = {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }
  if with_key then
    -- A random version-4 UUID, as clients make them: keys in no particular order. The
    -- thread and the count keep it unique whatever the random numbers.
    headers["Idempotency-Key"] = string.format("%08x-%04x-4%03x-%04x-%04x%08x",
      math.random(0, 0x7fffffff), math.random(0, 0xffff), math.random(0, 0xfff),
      0x8000 + math.random(0, 0x3fff), id or 0, n)
  end
  return wrk.format("POST", "/api/v1/calls", headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for status, count in pairs(t:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  local keys = {}
  for status in pairs(total) do table.insert(keys, status) end
  table.sort(keys)
  for _, status in ipairs(keys) do
    io.write(string.format("status %d: %d\n", status, total[status]))
  end
end
