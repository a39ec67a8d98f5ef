-- patch_me.lua — wrk script for bench/write.sh: every request is one durable write,
-- PATCH /api/v1/me switching the caller's digit preference back and forth (a user
-- update, an audit row and an event in one transaction). The bearer token comes from
-- the command line: wrk ... -s bench/lua/patch_me.lua URL -- TOKEN
local bodies = { '{"latin_digits":true}', '{"latin_digits":false}' }
local token = ""
local n = 0

function init(args)
  token = args[1] or ""
end

function request()
  n = n + 1
  return wrk.format("PATCH", "/api/v1/me", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }, bodies[n % 2 + 1])
end
