-- wrk script for bench/run.sh and bench/profile.sh: POSTs one small chat request and prints one
-- machine-readable line at the end:
--   RESULT requests=<n> seconds=<s> rps=<r> p50_us=<µs> p99_us=<µs> errors=<socket errors> non2xx=<n>
--
-- Environment:
--   BENCH_API=openai     OpenAI chat completions (the URL on wrk's command line ends in /chat/completions)
--   BENCH_API=anthropic  Anthropic Messages (the URL ends in /messages): sends x-api-key and
--                        anthropic-version: 2023-06-01
--   BENCH_STREAM=1       streaming
--   BENCH_BODY=<json>    the request body; run.sh always passes it, so that wrk sends exactly what its
--                        smoke check sent. Without it, a default body for the API and mode:
--                        OpenAI   {"model":"sim-small","messages":[{"role":"user","content":"Say hello"}]}
--                                 streaming adds "stream":true,"stream_options":{"include_usage":true}
--                        Anthropic {"model":"sim-claude","max_tokens":256,"messages":[...same...]}
--                                 streaming adds "stream":true
--   BENCH_HEADERS=<k: v|k: v>  extra request headers, separated by "|" (the peer gateway's routing headers)
local api = os.getenv("BENCH_API") or "openai"
local stream = os.getenv("BENCH_STREAM") == "1"
local body = os.getenv("BENCH_BODY")

if api ~= "openai" and api ~= "anthropic" then
  error("BENCH_API must be openai or anthropic, got " .. api)
end

local messages = '"messages":[{"role":"user","content":"Say hello"}]'
if body == nil or body == "" then
  if api == "anthropic" then
    body = '{"model":"sim-claude","max_tokens":256,' .. messages .. (stream and ',"stream":true' or '') .. '}'
  else
    body = '{"model":"sim-small",' .. messages
      .. (stream and ',"stream":true,"stream_options":{"include_usage":true}' or '') .. '}'
  end
end

wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = stream and "text/event-stream" or "application/json"
for h in string.gmatch(os.getenv("BENCH_HEADERS") or "", "[^|]+") do
  local k, v = string.match(h, "^%s*([^:]+):%s*(.-)%s*$")
  if k then wrk.headers[k] = v end
end
if api == "anthropic" then
  wrk.headers["x-api-key"] = "bench"
  wrk.headers["anthropic-version"] = "2023-06-01"
end

function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f rps=%.1f p50_us=%d p99_us=%d errors=%d non2xx=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
