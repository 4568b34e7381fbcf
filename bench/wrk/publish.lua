-- POST one 100-byte JSON message (or an NDJSON batch of BATCH of them) per request.
-- Env: TOPIC, DURABILITY (sync|async), BATCH (0 = single message, application/json).
local topic = os.getenv("TOPIC") or "bench"
local durability = os.getenv("DURABILITY") or "sync"
local batch = tonumber(os.getenv("BATCH") or "0")
local msg = '{"p":"bench","pad":"' .. string.rep("x", 100 - 22) .. '"}' -- 100 bytes
wrk.method = "POST"
wrk.path = "/v1/topics/" .. topic .. "/messages?durability=" .. durability
if batch > 0 then
  wrk.headers["Content-Type"] = "application/x-ndjson"
  wrk.body = string.rep(msg .. "\n", batch)
else
  wrk.headers["Content-Type"] = "application/json"
  wrk.body = msg
end

local bad = 0
function response(status, headers, body)
  if status ~= 201 then bad = bad + 1 end
end
-- wrk gives each thread its own Lua state; done() sees only the main one, so errors are
-- counted by wrk itself ("Non-2xx or 3xx responses") and checked by publish.sh.
