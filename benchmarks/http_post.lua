-- wrk script for ``python -m benchmarks http``: POST /orders with a counter token and a unique
-- clientRef per request; counts statuses (and 503s without Retry-After) across threads.
-- Configured by environment: BENCH_TOKEN, BENCH_ITEMS (comma-separated item codes), BENCH_RUN (a tag
-- making clientRefs unique per run), BENCH_POLITE (set: a connection answered 503 waits Retry-After
-- seconds before its next request, as the counter's cashier does; unset: it retries at once),
-- BENCH_GET (set to a path, e.g. /gifts: GET it instead, and count 200s as ok: the original's siege run).
local threads = {}
local counter = 0

function setup(thread)
   thread:set("id", #threads + 1)
   table.insert(threads, thread)
end

function init(args)
   ok, shed, other, other5xx, noretry = 0, 0, 0, 0, 0
   items = {}
   for code in string.gmatch(os.getenv("BENCH_ITEMS") or "bibimbap", "[^,]+") do
      table.insert(items, code)
   end
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/json"
   wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_TOKEN") or "")
end

local get_path = os.getenv("BENCH_GET")

function request()
   if get_path then
      return wrk.format("GET", get_path, nil, nil)
   end
   counter = counter + 1
   local item = items[(counter % #items) + 1]
   local body = string.format(
      '{"lines":[{"itemCode":"%s","quantity":1}],"customerName":"벤치","phone":"010-1234-5678",' ..
      '"address":"서울","clientRef":"bench-%s-%d-%d"}', item, os.getenv("BENCH_RUN") or "0", id, counter)
   return wrk.format(nil, "/orders", nil, body)
end

local wait_ms = 0

if os.getenv("BENCH_POLITE") then
   -- wrk asks for the delay of a connection's next request right after handing its response to
   -- response(), so a thread-local "last answer said wait" applies to that connection.
   function delay()
      local ms = wait_ms
      wait_ms = 0
      return ms
   end
end

function response(status, headers, body)
   if status == 201 or (get_path and status == 200) then
      ok = ok + 1
   elseif status == 503 then
      shed = shed + 1
      local retry = headers["Retry-After"] or headers["retry-after"]
      if retry == nil then noretry = noretry + 1 else wait_ms = (tonumber(retry) or 1) * 1000 end
   elseif status >= 500 then
      other5xx = other5xx + 1
   else
      other = other + 1
   end
end

function done(summary, latency, requests)
   local t = {ok = 0, shed = 0, other = 0, other5xx = 0, noretry = 0}
   for _, thread in ipairs(threads) do
      for k, _ in pairs(t) do t[k] = t[k] + thread:get(k) end
   end
   local e = summary.errors
   io.write(string.format(
      'WRKJSON {"requests":%d,"duration_us":%d,"ok":%d,"shed":%d,"other":%d,"other_5xx":%d,"shed_without_retry_after":%d,' ..
      '"p50_us":%d,"p99_us":%d,"socket_errors":%d,"timeouts":%d}\n',
      summary.requests, summary.duration, t.ok, t.shed, t.other, t.other5xx, t.noretry,
      latency:percentile(50), latency:percentile(99), e.connect + e.read + e.write, e.timeout))
end
