-- wrk script that sends pre-built raw HTTP requests, one per call, from files written by gen_requests.py.
--
-- Usage: wrk -t2 -c128 -d20s --latency -s bench/webhooks.lua http://127.0.0.1:18080 -- FILE_PREFIX
-- Thread N reads FILE_PREFIX-N.req: a first line with the record length, then fixed-length requests. When a thread
-- reaches the end of its file it starts again from the first request, so event ids repeat and the service
-- replies "duplicate" without storing them. done() prints how often that happened. done() also prints one BENCH_JSON line with the
-- figures that run.sh reads.

local threads = {}
local next_id = 0

function setup(thread)
   thread:set("id", next_id)
   next_id = next_id + 1
   table.insert(threads, thread)
end

function init(args)
   local name = args[1] .. "-" .. id .. ".req"
   file = assert(io.open(name, "rb"))
   record_length = tonumber(file:read("*l"))
   first_record = file:seek()
   wraps = 0
end

function request()
   local raw = file:read(record_length)
   if raw == nil or #raw < record_length then
      wraps = wraps + 1
      file:seek("set", first_record)
      raw = file:read(record_length)
   end
   return raw
end

function done(summary, latency, requests)
   local total_wraps = 0
   for _, thread in ipairs(threads) do
      total_wraps = total_wraps + (thread:get("wraps") or 0)
   end
   local errors = summary.errors
   io.write(string.format(
      'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"connect_errors":%d,"read_errors":%d,' ..
      '"write_errors":%d,"non_2xx_3xx":%d,"timeouts":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,' ..
      '"mean_us":%.1f,"file_wraps":%d}\n',
      summary.requests, summary.duration, summary.bytes, errors.connect, errors.read, errors.write,
      errors.status, errors.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
      latency.max, latency.mean, total_wraps))
end
