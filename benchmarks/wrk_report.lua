-- For benchmarks/pages.py: wrk's figures as one JSON line, with p95 (wrk's own
-- --latency report has no p95) and a count of responses other than 200 (wrk itself
-- counts only statuses of 400 and up, so a redirect to the sign-in page would pass).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  not_ok = 0
end

function response(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
  end
end

function done(summary, latency, requests)
  local not_ok_total = 0
  for _, thread in ipairs(threads) do
    not_ok_total = not_ok_total + thread:get("not_ok")
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"socket_errors": %d, "connect": %d, "read": %d, "write": %d, "timeout": %d, ' ..
    '"not_ok": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.connect + e.read + e.write + e.timeout, e.connect, e.read,
    e.write, e.timeout, not_ok_total))
end
