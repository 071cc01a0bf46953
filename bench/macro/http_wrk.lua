-- wrk script of bench/macro/http_load.py: POSTs /search bodies (one JSON object per line of the
-- file given after `--`) round-robin, each thread starting at its own offset, and prints the
-- summary as one JSON line (latencies in microseconds; errors.status counts HTTP >= 400).
local threads = {}
local counter = 0

function setup(thread)
  thread:set("offset", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  requests = {}
  for line in io.lines(args[1]) do
    if #line > 0 then
      requests[#requests + 1] = wrk.format("POST", "/search",
        {["Content-Type"] = "application/json"}, line)
    end
  end
  i = (offset * 37) % #requests
end

function request()
  i = i + 1
  if i > #requests then i = 1 end
  return requests[i]
end

function done(summary, latency, requests_)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"mean": %.1f, "p50": %d, "p90": %d, "p99": %d, "max": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max))
end
