-- wrk script for bench/nearby.py: every request a different pre-generated location.
-- Usage: wrk ... -s bench/nearby.lua URL -- PATHS_FILE THREADS
-- PATHS_FILE holds one request path (with query string) per line. Thread k of n sends
-- lines k, k+n, k+2n, ... cycling, so threads never repeat each other's locations.
-- done() prints one line "BENCH {json}" that nearby.py parses.

local thread_count = 0

function setup(thread)
   thread:set("tid", thread_count)
   thread_count = thread_count + 1
end

local paths = {}
local position = 0
local step = 1

function init(args)
   for line in io.lines(args[1]) do
      paths[#paths + 1] = line
   end
   step = tonumber(args[2]) or 1
   position = tid or 0
end

function request()
   local path = paths[(position % #paths) + 1]
   position = position + step
   return wrk.format("GET", path)
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      'BENCH {"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p95_us":%d,'
         .. '"p99_us":%d,"mean_us":%.1f,"max_us":%d,"err_connect":%d,"err_read":%d,'
         .. '"err_write":%d,"err_status":%d,"err_timeout":%d}\n',
      summary.requests, summary.duration, summary.bytes,
      latency:percentile(50), latency:percentile(95), latency:percentile(99),
      latency.mean, latency.max,
      e.connect, e.read, e.write, e.status, e.timeout))
end
