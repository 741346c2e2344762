-- wrk script for bench/simulator.sh: small Track API v1 requests against the Customer.io simulator.
-- Requests alternate between a person event (POST /track/api/v1/customers/<id>/events) and an identify
-- (PUT /track/api/v1/customers/<id>). Person ids cycle over <people> ids (default 10,000), and every event has its own ULID-like id.
-- Arguments after "--": <Authorization header value> <run tag of 5 digits> [<people>]
-- The run tag keeps the event ids of separate wrk runs against the same simulator apart, so no event is a duplicate.

local thread_count = 0

-- Gives each wrk thread its number as the global "tid", so the event ids of the two threads never collide.
function setup(thread)
   thread:set("tid", thread_count)
   thread_count = thread_count + 1
end

local auth
local prefix
local people
local counter = 0
local person = 0
local headers

function init(args)
   auth = args[1]
   local tag = args[2] or "00000"
   people = tonumber(args[3] or "10000")
   -- 26 characters: "01K" + 5-digit run tag + 2-digit thread number + 16-digit counter, all Crockford base32.
   prefix = "01K" .. tag .. string.format("%02d", tid)
   person = tid * 7919 % people
   headers = {
      ["Authorization"] = auth,
      ["Content-Type"] = "application/json",
   }
end

function request()
   counter = counter + 1
   person = person + 1
   if person >= people then
      person = 0
   end
   local path = "/track/api/v1/customers/bench-" .. person
   if counter % 2 == 1 then
      local body = '{"name":"bench","id":"' .. prefix .. string.format("%016d", counter)
         .. '","data":{"n":' .. counter .. '},"timestamp":1767225600}'
      return wrk.format("POST", path .. "/events", headers, body)
   end
   local body = '{"email":"bench-' .. person .. '@example.com","plan":"pro","n":' .. counter .. '}'
   return wrk.format("PUT", path, headers, body)
end
