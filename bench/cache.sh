#!/usr/bin/env bash
# Benchmark of issue 11: response cache hit latency (Redis and memory backends) and embeddings
# throughput with request batching off and on. All traffic stays on 127.0.0.1; every child is stopped
# on exit; the Redis keys it writes (prefix bench-cache-<pid>:) are deleted.
#
# 1. Cache hits. One orchestrator per backend (cache.type redis on the machine's Redis at
#    127.0.0.1:6379, and memory), in front of the provider simulator. One request fills the entry; wrk
#    then sends the same request (bench/wrk/chat.lua, OpenAI chat, non-streaming) for BENCH_SECONDS at
#    concurrency 1 and 32: every answer is a hit (the script checks x-orchestrator-cache: hit and that
#    the simulator saw exactly one request).
#      {"model":"sim-small","messages":[{"role":"user","content":"Say hello"}]}
# 2. Embeddings. The simulator answers after BENCH_EMBED_LATENCY_MS (50 ms, a provider's round trip);
#    the provider's admission allows BENCH_EMBED_CONCURRENCY (8) calls at once, as a provider's
#    concurrency or request-rate limit would. wrk sends one-input embeddings requests at concurrency 64
#    to an orchestrator with providers.batching off, then on (maxBatchSize 10, batchTimeout 100ms: the
#    runbook's values). The table gives requests/s, latency, and upstream calls per request.
#      {"model":"text-embed","input":"the quick brown fox"}
#
# Usage: bench/cache.sh            (needs target/orchestrator.jar: mvn -B -o -q package -DskipTests)
# Environment: BENCH_PARTS="cache embed" (either or both), BENCH_SECONDS=10, BENCH_WARMUP_SECONDS=10, BENCH_EMBED_LATENCY_MS=50,
#              BENCH_EMBED_CONCURRENCY=8, BENCH_PORT_BASE=18100, REDIS_URL=redis://127.0.0.1:6379
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
JAR="$ROOT/target/orchestrator.jar"
LUA="$BENCH_DIR/wrk/chat.lua"
SECS="${BENCH_SECONDS:-10}"
WARM="${BENCH_WARMUP_SECONDS:-10}"
EMBED_LATENCY="${BENCH_EMBED_LATENCY_MS:-50}"
EMBED_CONC="${BENCH_EMBED_CONCURRENCY:-8}"
BASE="${BENCH_PORT_BASE:-18100}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
SIM_PORT=$BASE
PREFIX="bench-cache-$$:"
WORK="$(mktemp -d)"
PIDS=()

die() { echo "bench: $*" >&2; exit 1; }
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  if command -v redis-cli >/dev/null; then
    redis-cli -u "$REDIS_URL" --scan --pattern "${PREFIX}*" | xargs -r redis-cli -u "$REDIS_URL" del >/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
[ -f "$JAR" ] || die "no $JAR: build it with mvn -B -o -q package -DskipTests"
command -v wrk >/dev/null || die "wrk not found (apt-get install wrk)"

java -jar "$JAR" simulate --port "$SIM_PORT" >"$WORK/sim.log" 2>&1 &
PIDS+=($!)
until grep -q "simulator listening" "$WORK/sim.log" 2>/dev/null; do sleep 0.2; done
curl -fsS -o /dev/null -X PUT "http://127.0.0.1:$SIM_PORT/_sim/scenarios/chat" -H 'Content-Type: application/json' \
  -d '{"latencyMs":0}'
curl -fsS -o /dev/null -X PUT "http://127.0.0.1:$SIM_PORT/_sim/scenarios/embed" -H 'Content-Type: application/json' \
  -d "{\"latencyMs\":$EMBED_LATENCY,\"promptTokens\":5}"

# start <name> <port> <yaml>: one orchestrator, ready when /readyz answers 200.
start() {
  printf '%s\n' "$3" >"$WORK/$1.yaml"
  ORCHESTRATOR_CONFIG="$WORK/$1.yaml" PORT="$2" java -jar "$JAR" >/dev/null 2>"$WORK/$1.log" &
  PIDS+=($!)
  local deadline=$((SECONDS + 60))
  until curl -fsS -o /dev/null "http://127.0.0.1:$2/readyz" 2>/dev/null; do
    (( SECONDS < deadline )) || die "$1 did not start; see $WORK/$1.log: $(tail -3 "$WORK/$1.log")"
    sleep 0.3
  done
}

# run <url> <body> <threads> <conns> <seconds>: prints wrk's RESULT line
run() {
  BENCH_API=openai BENCH_BODY="$2" wrk -t"$3" -c"$4" -d"$5s" --timeout 10s --latency -s "$LUA" "$1" 2>&1 | grep '^RESULT'
}
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
ms() { awk -v us="$1" 'BEGIN { printf "%.3f", us / 1000 }'; }
sim_count() { curl -fsS "http://127.0.0.1:$SIM_PORT/_sim/scenarios/$1" | sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p"; }

CHAT='{"model":"sim-small","messages":[{"role":"user","content":"Say hello"}]}'
EMBED='{"model":"text-embed","input":"the quick brown fox"}'
PROVIDER_CHAT="providers:
  sim: {baseUrl: \"http://127.0.0.1:$SIM_PORT/chat/v1\", apiKeyRequired: false, model: sim-small}"

PARTS="${BENCH_PARTS:-cache embed}"
port=$((BASE + 1))
if [[ " $PARTS " == *" cache "* ]]; then
echo "== cache hits (each cell ${SECS}s after ${WARM}s of warm-up)"
printf '| backend | concurrency | requests/s | p50 ms | p99 ms | errors |\n|---|---|---|---|---|---|\n' >"$WORK/cache.md"
: >"$WORK/notes"
for backend in redis memory; do
  start "cache-$backend" "$port" "cache: {enabled: true, type: $backend, ttl: 3600, maxSize: 10000}
redis: {url: \"$REDIS_URL\", keyPrefix: \"$PREFIX$backend:\"}
$PROVIDER_CHAT"
  url="http://127.0.0.1:$port/v1/chat/completions"
  before=$(sim_count chat chatRequests)
  curl -fsS -o /dev/null -H 'Content-Type: application/json' -d "$CHAT" "$url"   # the miss that fills the entry
  sleep 1                                                                        # the write lands after the answer
  verdict=$(curl -fsS -D - -o /dev/null -H 'Content-Type: application/json' -d "$CHAT" "$url" | tr -d '\r' \
    | sed -n 's/^x-orchestrator-cache: //Ip')
  [ "$verdict" = hit ] || die "$backend: expected a cache hit, got '$verdict'"
  run "$url" "$CHAT" 2 32 "$WARM" >/dev/null
  for c in 1 32; do
    t=$([ "$c" = 1 ] && echo 1 || echo 2)
    r=$(run "$url" "$CHAT" "$t" "$c" "$SECS")
    printf '| %s | %s | %s | %s | %s | %s |\n' "$backend" "$c" "$(field rps "$r")" "$(ms "$(field p50_us "$r")")" \
      "$(ms "$(field p99_us "$r")")" "$(( $(field errors "$r") + $(field non2xx "$r") ))" >>"$WORK/cache.md"
  done
  after=$(sim_count chat chatRequests)
  # A hit that Redis did not answer within redis.commandTimeout is a miss (it reaches the simulator).
  echo "$backend: the simulator saw $((after - before - 1)) requests after the filling miss (cache reads that timed out)" >>"$WORK/notes"
  port=$((port + 1))
done
cat "$WORK/cache.md"
cat "$WORK/notes"
fi

if [[ " $PARTS " == *" embed "* ]]; then
echo
echo "== embeddings: provider latency ${EMBED_LATENCY}ms, at most $EMBED_CONC provider calls at once, wrk concurrency 64"
printf '| batching | requests/s | p50 ms | p99 ms | upstream calls | calls per request | errors |\n|---|---|---|---|---|---|---|\n' >"$WORK/embed.md"
for mode in off on; do
  enabled=$([ "$mode" = on ] && echo true || echo false)
  start "embed-$mode" "$port" "providers:
  batching: {enabled: $enabled, maxBatchSize: 10, batchTimeout: 100ms}
  admission: {maxConcurrent: $EMBED_CONC, maxQueued: 1000, maxWait: 10s}
  sim: {baseUrl: \"http://127.0.0.1:$SIM_PORT/embed/v1\", apiKeyRequired: false, model: text-embed}"
  url="http://127.0.0.1:$port/v1/embeddings"
  run "$url" "$EMBED" 2 64 "$WARM" >/dev/null
  before=$(sim_count embed embeddingRequests)
  r=$(run "$url" "$EMBED" 2 64 "$SECS")
  calls=$(( $(sim_count embed embeddingRequests) - before ))
  reqs=$(field requests "$r")
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$mode" "$(field rps "$r")" "$(ms "$(field p50_us "$r")")" \
    "$(ms "$(field p99_us "$r")")" "$calls" "$(awk -v c="$calls" -v r="$reqs" 'BEGIN { printf "%.3f", c / r }')" \
    "$(( $(field errors "$r") + $(field non2xx "$r") ))" >>"$WORK/embed.md"
  port=$((port + 1))
done
cat "$WORK/embed.md"
fi
echo
echo "$(nproc) cores; $(java -version 2>&1 | head -1); $(redis-server --version 2>/dev/null | awk '{print $1, $2, $3}'); jar $(sha256sum "$JAR" | cut -c1-12)"
