#!/usr/bin/env bash
# What caller limits add to a request: two orchestrators from the same jar in front of one simulator,
#   plain   auth.mode headers, no limits (the release's default path)
#   limits  auth.mode keys + limits on key, user and tenant (requests, tokens, concurrency, a daily budget),
#           the key's record cached, so every request costs one Redis script round trip (EVALSHA admit.lua)
#           and one asynchronous settlement after its answer
# measured as interleaved wrk rounds at concurrency 1 (the latency a single client sees) and 16.
# Uses the machine's Redis on 127.0.0.1:6379 under a key prefix of its own, deleted at the end.
#
#   bench/limits.sh                 # about 3 minutes
#   LIMITS_ROUNDS=5 LIMITS_SECONDS=10 bench/limits.sh
#   LIMITS_CONCURRENCY=16 LIMITS_REDIS_POOL=32 bench/limits.sh   # one concurrency, a larger redis.maxPoolSize
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=target/orchestrator.jar
ROUNDS=${LIMITS_ROUNDS:-3}
SECONDS_PER=${LIMITS_SECONDS:-8}
SIM_PORT=${LIMITS_SIM_PORT:-18289}; PLAIN_PORT=${LIMITS_PLAIN_PORT:-18290}; LIMITS_PORT=${LIMITS_LIMITS_PORT:-18291}
PREFIX="bench-limits:$$:"
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  redis-cli --scan --pattern "${PREFIX}*" | xargs -r redis-cli del >/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
[ -f "$JAR" ] || mvn -B -q -o -DskipTests package
command -v wrk >/dev/null || { echo "wrk missing (apt-get install wrk)"; exit 1; }

java -jar "$JAR" simulate --port $SIM_PORT >"$WORK/sim.log" 2>&1 & PIDS+=($!)
common="providers:
  sim: {baseUrl: \"http://127.0.0.1:$SIM_PORT/bench/v1\", apiKeyRequired: false, model: sim-small, timeout: 30s,
        pricing: {sim-small: {prompt: 0.15, completion: 0.6}}}
cache: {enabled: false}"
printf '%s\n' "$common" >"$WORK/plain.yaml"
cat >"$WORK/limits.yaml" <<YAML
$common
admin: {token: bench-admin}
auth: {mode: keys}
redis: {keyPrefix: "$PREFIX", maxPoolSize: ${LIMITS_REDIS_POOL:-8}}
limits:
  key: {requestsPerMinute: 100000000, tokensPerMinute: 1000000000, concurrentRequests: 10000}
  user: {requestsPerMinute: 100000000}
  tenant: {dollarsPerDay: 1000000}
YAML
ORCHESTRATOR_CONFIG="$WORK/plain.yaml" PORT=$PLAIN_PORT java -jar "$JAR" >/dev/null 2>"$WORK/plain.log" & PIDS+=($!)
ORCHESTRATOR_CONFIG="$WORK/limits.yaml" PORT=$LIMITS_PORT java -jar "$JAR" >/dev/null 2>"$WORK/limits.log" & PIDS+=($!)
wait_url() { for _ in $(seq 1 60); do curl -fsS -o /dev/null --max-time 1 "$1" 2>/dev/null && return 0; sleep 1; done
  echo "no answer from $1"; cat "$WORK"/*.log | tail -20; exit 1; }
wait_url "http://127.0.0.1:$SIM_PORT/_sim/stats"
wait_url "http://127.0.0.1:$PLAIN_PORT/readyz"
wait_url "http://127.0.0.1:$LIMITS_PORT/readyz"
curl -fsS -o /dev/null -X PUT -H 'content-type: application/json' -d '{"latencyMs":0,"chunks":5}' \
  "http://127.0.0.1:$SIM_PORT/_sim/scenarios/bench"
KEY=$(curl -fsS -X POST -H 'Authorization: Bearer bench-admin' -H 'content-type: application/json' \
  -d '{"tenant":"bench","user":"wrk"}' "http://127.0.0.1:$LIMITS_PORT/admin/keys" | sed 's/.*"key":"\([^"]*\)".*/\1/')
BODY='{"model":"sim-small","max_tokens":50,"messages":[{"role":"user","content":"Say hello"}]}'
check=$(curl -sS -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $KEY" -H 'content-type: application/json' \
  -d "$BODY" "http://127.0.0.1:$LIMITS_PORT/v1/chat/completions")
[ "$check" = 200 ] || { echo "limits gateway answered $check"; cat "$WORK/limits.log"; exit 1; }

run() { # run <port> <conc> <seconds> [header]
  BENCH_BODY="$BODY" wrk -t1 -c"$2" -d"$3s" ${4:+-H "$4"} -s bench/wrk/chat.lua "http://127.0.0.1:$1/v1/chat/completions" \
    | grep '^RESULT'
}
echo "warming up..."
for _ in 1 2 3; do run $PLAIN_PORT 16 5 >/dev/null; run $LIMITS_PORT 16 5 "Authorization: Bearer $KEY" >/dev/null; done
adm() { curl -fsS "http://127.0.0.1:$LIMITS_PORT/metrics" | awk '/^orchestrator_limits_admission_seconds_sum/ {s=$2} /^orchestrator_limits_admission_seconds_count/ {c=$2} END {print s, c}'; }
for c in ${LIMITS_CONCURRENCY:-1 16}; do
  read -r s0 c0 < <(adm)
  for r in $(seq 1 "$ROUNDS"); do
    echo "c=$c round $r plain  $(run $PLAIN_PORT "$c" "$SECONDS_PER")"
    echo "c=$c round $r limits $(run $LIMITS_PORT "$c" "$SECONDS_PER" "Authorization: Bearer $KEY")"
  done
  read -r s1 c1 < <(adm)
  echo "c=$c admission (orchestrator_limits_admission_seconds): $(awk -v a="$s0" -v b="$s1" -v x="$c0" -v y="$c1" 'BEGIN{printf "%d admissions, mean %.0f us", y-x, (b-a)/(y-x)*1e6}')"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
curl -fsS "http://127.0.0.1:$LIMITS_PORT/metrics" | grep -E '^orchestrator_limits_fallback_total|^orchestrator_redis_errors_total\{use="limits"' | awk '{print "  " $0}'
