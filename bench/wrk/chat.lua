-- wrk script for bench/run.sh: POSTs a small chat completion, streaming when BENCH_STREAM=1, and
-- prints one machine-readable line at the end:
--   RESULT requests=<n> seconds=<s> rps=<r> p50_us=<µs> p99_us=<µs> errors=<socket errors> non2xx=<n>
local stream = os.getenv("BENCH_STREAM") == "1"

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = stream and "text/event-stream" or "application/json"
if stream then
  wrk.body = '{"model":"sim-small","messages":[{"role":"user","content":"Say hello"}],"stream":true}'
else
  wrk.body = '{"model":"sim-small","messages":[{"role":"user","content":"Say hello"}]}'
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
