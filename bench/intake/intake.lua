-- intake.lua — wrk script for bench/intake/run.sh: every request records one 110 call,
-- POST /api/v1/calls as a call-taker (bearer token), with varied bodies: incident
-- types, outcomes, caller numbers, places around Rasht and Persian narratives. Each
-- 201 is a call durably on disk (the call row, its audit row and its live event in
-- one group-committed transaction).
--   wrk ... -s bench/intake/intake.lua URL -- TOKEN [idempotent]
-- With "idempotent" or "console" every request carries its own Idempotency-Key, so the
-- server also stores each answer for replay: "idempotent" makes random version-4 UUIDs,
-- as a client may; "console" makes keys as the console does (web/lib/api.js): a number
-- that grows with time, then random digits.
--
-- wrk shares the machine with the server, so the script does as little as it can per
-- request, as wrk's own guide advises: the bodies are made once in init() (a pool per
-- thread, taken in turn), and there is no response() function, which would make wrk
-- parse every answer's headers and body into Lua. The answers are counted from wrk's
-- summary instead: done() prints the completed requests that were not errors (status
-- below 400) and those that were; the server's log and the rows on disk tell the 201s.

local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

local POOL = 4096 -- distinct bodies per thread
local pool = {}
local with_key = false
local console_keys = false
local started_ms = 0
local n = 0

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

local function body()
  return string.format(
    '{"caller_number":"0911%07d","type":"%s","outcome":"%s",' ..
    '"location":{"lat":%.5f,"lon":%.5f,"uncertainty_m":%d},"narrative":"%s"}',
    math.random(0, 9999999), types[math.random(#types)], outcomes[math.random(#outcomes)],
    37.28 + (math.random() - 0.5) * 0.06, 49.58 + (math.random() - 0.5) * 0.08,
    math.random(5, 800), narratives[math.random(#narratives)])
end

local headers = {}

function init(args)
  headers["Authorization"] = "Bearer " .. (args[1] or "")
  headers["Content-Type"] = "application/json"
  with_key = args[2] == "idempotent" or args[2] == "console"
  console_keys = args[2] == "console"
  started_ms = os.time() * 1000
  math.randomseed(7919 * (id or 1))
  for i = 1, POOL do
    -- whole requests when they do not change; only the bodies when each needs its key
    pool[i] = with_key and body() or wrk.format("POST", "/api/v1/calls", headers, body())
  end
end

function request()
  n = n + 1
  local i = n % POOL + 1
  if not with_key then return pool[i] end
  if console_keys then
    -- The console's 12 hex digits of milliseconds, then 20 random ones; wrk's Lua reads
    -- no clock finer than seconds, so the count of requests stands in for the
    -- milliseconds, and the thread keeps the two threads' keys apart.
    headers["Idempotency-Key"] = string.format("%012x%04x%08x%08x", started_ms + n, id or 0,
      math.random(0, 0x7fffffff), math.random(0, 0x7fffffff))
  else
    -- A random version-4 UUID, as clients make them: keys in no particular order. The
    -- thread and the count keep it unique whatever the random numbers.
    headers["Idempotency-Key"] = string.format("%08x-%04x-4%03x-%04x-%04x%08x",
      math.random(0, 0x7fffffff), math.random(0, 0xffff), math.random(0, 0xfff),
      0x8000 + math.random(0, 0x3fff), id or 0, n)
  end
  return wrk.format("POST", "/api/v1/calls", headers, pool[i])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("answered below 400: %d\n", summary.requests - e.status))
  io.write(string.format("answered 400 or above: %d\n", e.status))
end
