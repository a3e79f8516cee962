-- For benchmarks/traffic.py: wrk plays a sequence of requests, each with its own
-- method, path, headers (a person's cookie) and body, in order and round again.
-- The sequence is a Lua file given after `--`; every request should answer 200.
-- The figures are printed as wrk_report.lua prints them for one page.
dofile("benchmarks/wrk_report.lua")
local report_init = init

function init(args)
  report_init(args)
  formatted = {}
  for i, r in ipairs(dofile(args[1])) do
    local body = r[4]
    if body == "" then body = nil end
    formatted[i] = wrk.format(r[1], r[2], r[3], body)
  end
  position = 0
end

function request()
  position = position % #formatted + 1
  return formatted[position]
end
