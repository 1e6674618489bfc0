-- One scenario of scripts/bench for wrk: requests go round a list of paths (and bodies), each thread from its own
-- place in the list, so a run reads many records and moves many deals instead of one; at the end one JSON line with
-- the counts and the latency percentiles the table shows.
-- BENCH_METHOD: GET, POST or PATCH. BENCH_PATHS: a file of paths, one a line. BENCH_BODIES: a file of JSON bodies, one
-- a line, sent with the path on the same line number (optional). BENCH_TOKENS: a file of API tokens, one a line, each
-- sent with the path on its line number (optional; many people's writes spread over their own records).

local method = os.getenv("BENCH_METHOD") or "GET"
local paths, bodies = {}, {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local bodies_file = os.getenv("BENCH_BODIES")
if bodies_file and bodies_file ~= "" then
  for line in io.lines(bodies_file) do bodies[#bodies + 1] = line end
end

local tokens = {}
local tokens_file = os.getenv("BENCH_TOKENS")
if tokens_file and tokens_file ~= "" then
  for line in io.lines(tokens_file) do tokens[#tokens + 1] = line end
end

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("offset", counter * 7919)
  table.insert(threads, thread)
end

local index = 0
function init(args)
  index = offset or 0
  if #bodies > 0 then wrk.headers["Content-Type"] = "application/json" end
end

function request()
  index = index + 1
  local i = (index % #paths) + 1
  local headers = nil
  if #tokens > 0 then headers = { ["Authorization"] = "Bearer " .. tokens[i] } end
  return wrk.format(method, paths[i], headers, bodies[i])
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests":%d,"seconds":%.3f,"p50_us":%d,"p95_us":%d,"p99_us":%d,"max_us":%d,"non_2xx":%d,"socket_errors":%d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
