-- wrk script (scripts/bench-load): every request's own latency, written one line per response
-- ("start_unix_s latency_ms status") to FILE.N, N the wrk thread. Use one connection per thread
-- (-tN -cN): a thread's request() and response() then pair up. wrk's own percentiles add
-- synthetic samples for each slow request (its coordinated-omission correction: a request of
-- L ms counts again at L - i, L - 2i, … with i the mean interval between a connection's
-- requests), so a handful of slow requests move its p99; these lines are what was measured.
-- Arguments: wrk … -s scripts/wrk-latency.lua URL -- COOKIE FILE
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } lajna_timespec;
int clock_gettime(int clk_id, lajna_timespec *tp);
]]
local ts = ffi.new("lajna_timespec")
local function now()
  ffi.C.clock_gettime(0, ts)
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) / 1e9
end
local n = 0
function setup(thread)
  n = n + 1
  thread:set("tid", n)
end
local started, out = 0, nil
function init(args)
  cookie = args[1]
  out = io.open(args[2] .. "." .. tid, "w")
end
function request()
  started = now()
  return wrk.format(nil, nil, { ["cookie"] = cookie, ["accept-encoding"] = "gzip" })
end
function response(status, headers, body)
  out:write(string.format("%.4f %.2f %d\n", started, (now() - started) * 1000, status))
  out:flush()
end
