-- wrk script for ``python -m benchmarks http``: POST /orders with a counter token and a unique
-- clientRef per request; counts statuses (and 503s without Retry-After) across threads.
-- Configured by environment: BENCH_TOKEN, BENCH_ITEMS (comma-separated item codes).
local threads = {}
local counter = 0

function setup(thread)
   thread:set("id", #threads + 1)
   table.insert(threads, thread)
end

function init(args)
   ok, shed, other, noretry = 0, 0, 0, 0
   items = {}
   for code in string.gmatch(os.getenv("BENCH_ITEMS") or "bibimbap", "[^,]+") do
      table.insert(items, code)
   end
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/json"
   wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_TOKEN") or "")
end

function request()
   counter = counter + 1
   local item = items[(counter % #items) + 1]
   local body = string.format(
      '{"lines":[{"itemCode":"%s","quantity":1}],"customerName":"벤치","phone":"010-1234-5678",' ..
      '"address":"서울","clientRef":"bench-%s-%d-%d"}', item, os.getenv("BENCH_RUN") or "0", id, counter)
   return wrk.format(nil, "/orders", nil, body)
end

function response(status, headers, body)
   if status == 201 then
      ok = ok + 1
   elseif status == 503 then
      shed = shed + 1
      if headers["Retry-After"] == nil and headers["retry-after"] == nil then noretry = noretry + 1 end
   else
      other = other + 1
   end
end

function done(summary, latency, requests)
   local t = {ok = 0, shed = 0, other = 0, noretry = 0}
   for _, thread in ipairs(threads) do
      for k, _ in pairs(t) do t[k] = t[k] + thread:get(k) end
   end
   local e = summary.errors
   io.write(string.format(
      'WRKJSON {"requests":%d,"duration_us":%d,"ok":%d,"shed":%d,"other":%d,"shed_without_retry_after":%d,' ..
      '"p50_us":%d,"p99_us":%d,"socket_errors":%d,"timeouts":%d}\n',
      summary.requests, summary.duration, t.ok, t.shed, t.other, t.noretry,
      latency:percentile(50), latency:percentile(99), e.connect + e.read + e.write, e.timeout))
end
