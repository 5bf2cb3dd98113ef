-- wrk script for bench/keys.py: like nearby.lua, but each line is "PATH<TAB>ETAG".
-- Usage: wrk ... -s bench/conditional.lua URL -- FILE THREADS MODE
-- MODE "conditional" sends If-None-Match with the line's ETag (expecting 304s);
-- MODE "full" sends the same paths without it. Headers given with -H are kept.

local thread_count = 0

function setup(thread)
   thread:set("tid", thread_count)
   thread_count = thread_count + 1
end

local paths = {}
local etags = {}
local position = 0
local step = 1
local conditional = false

function init(args)
   for line in io.lines(args[1]) do
      local path, etag = line:match("^([^\t]+)\t(.+)$")
      paths[#paths + 1] = path
      etags[#etags + 1] = etag
   end
   step = tonumber(args[2]) or 1
   conditional = args[3] == "conditional"
   position = tid or 0
end

function request()
   local i = (position % #paths) + 1
   position = position + step
   local headers = {}
   for k, v in pairs(wrk.headers) do headers[k] = v end
   if conditional then headers["If-None-Match"] = etags[i] end
   return wrk.format("GET", paths[i], headers)
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
