#!/usr/bin/env bash
# Benchmark: orchestrator vs a plain nginx reverse proxy vs the provider simulator directly, for the
# OpenAI chat completions API and the Anthropic Messages API (orchestrator's pass-through).
#
# Starts the provider simulator, nginx (Debian nginx-light) and orchestrator in front of the same
# simulator scenario (optionally a second, "baseline" orchestrator from another jar), warms each up,
# then drives them with wrk at concurrency 1 and 32, non-streaming and streaming, for each API, and
# prints one table side by side, the server CPU per request, the issue's targets and the Anthropic
# pass-through check (PASS/MISS; a MISS does not fail the script: this is a measurement). All traffic
# stays on 127.0.0.1; every child is stopped on exit.
#
# The requests (bench/wrk/chat.lua sends exactly the bodies the smoke check sent):
#   OpenAI     POST /v1/chat/completions  Content-Type: application/json
#              {"model":"sim-small","messages":[{"role":"user","content":"Say hello"}]}
#              streaming: the same plus "stream":true,"stream_options":{"include_usage":true}
#   Anthropic  POST /v1/messages  x-api-key: bench, anthropic-version: 2023-06-01
#              {"model":"sim-claude","max_tokens":256,"messages":[{"role":"user","content":"Say hello"}]}
#              streaming: the same plus "stream":true
#   (direct: the simulator's /bench/v1/...; nginx and orchestrator: /v1/...; orchestrator routes
#   sim-small to its OpenAI-compatible provider "sim" and sim-claude to its anthropic provider "anthro",
#   both pointing at the simulator's scenario "bench".)
# The simulator scenario (production-shaped streams): no latency, BENCH_CHUNKS (20) content chunks
# with no interval, a 91-character answer (about one token per chunk). An OpenAI stream is then 22
# data events (20 content chunks, each with "usage":null, the finish chunk and the usage chunk) plus
# data: [DONE]; an Anthropic stream is message_start, ping, content_block_start, 20
# content_block_delta, content_block_stop, message_delta, message_stop.
#
# Columns (each skipped with a printed note when its tool is missing or BENCH_<NAME>=0):
#   direct        the simulator itself (the floor)
#   nginx         Debian nginx-light, keep-alive upstream (installed from Debian when missing)
#   haproxy       Debian haproxy, a second plain-proxy reference (optional: `apt-get install haproxy`)
#   peer          Portkey's open-source gateway 1.15.2 on Node (bench/setup-peer.sh installs it into
#                 bench/peer/; routed with x-portkey-provider and x-portkey-custom-host headers)
#   orchestrator  every production feature on (metrics, accounting, the request log line, breakers,
#                 admission, routing; cache off so every request reaches the upstream)
#   orch bare     the same jar with metrics.enabled: false and logging.requestLog: false: the
#                 difference to the full row is what those two features cost
#   baseline      optional (BENCH_BASELINE_JAR), another jar with the full config
#
# Usage: bench/run.sh
#        BENCH_QUICK=1 bench/run.sh                              # a quick check that the script works
#        BENCH_BASELINE_JAR=/path/to/old.jar bench/run.sh        # before/after in one run
# Environment (all optional):
#   BENCH_QUICK=0             1 = short cells for checking the script: BENCH_SECONDS=2,
#                             BENCH_WARMUP_SECONDS=2, BENCH_WARMUP_MAX_ROUNDS=2, BENCH_CELL_RETRIES=0
#                             unless those are set explicitly. Its figures are not measurements.
#   BENCH_SECONDS=10          measured seconds per cell (8 rows x 3 targets = 24 cells; 32 with a baseline)
#   BENCH_WARMUP_SECONDS=5    length of one warm-up round (wrk at concurrency 32). Each target, API and
#                             mode gets rounds until two consecutive rounds differ by less than 10% in RPS:
#                             the JVMs need tens of seconds of load on 2 busy cores before C2 has
#                             compiled the hot path; measuring earlier measures the JIT.
#   BENCH_WARMUP_MAX_ROUNDS=12  upper bound on warm-up rounds per target, API and mode (stability needs 2)
#   BENCH_MAX_OTHER_CPU=10    a cell during which other processes (builds, test suites) took more than
#   BENCH_CELL_RETRIES=2      this % of the machine is repeated up to this many times; the quietest
#                             attempt is kept, and marked with * in the table if still disturbed
#   BENCH_CHUNKS=20           content chunks per stream (both APIs)
#   BENCH_APIS="openai anthropic"  which APIs to measure (one of them halves the run time)
#   BENCH_BASELINE_JAR=       a second orchestrator jar (e.g. a build of the previous commit): adds an
#                             "orchestrator (baseline)" column, measured in the same run against the same
#                             simulator with the same warm-up rules and config. A baseline that rejects
#                             the anthropic provider runs without it and gets n/a in the Anthropic rows.
#   BENCH_SIM_PORT=18089 BENCH_NGINX_PORT=18080 BENCH_ORCH_PORT=18000 BENCH_BASELINE_PORT=18001
#   BENCH_JAVA=java           the java binary (or a JDK directory) for orchestrator, bare and baseline,
#                             e.g. BENCH_JAVA=/usr/lib/jvm/temurin-25-jdk-amd64 for the JDK 25 figures.
#                             The simulator stays on BENCH_SIM_JAVA (default: java on PATH) so the upstream
#                             is the same in a JDK 17 and a JDK 25 run.
#   BENCH_PEER=1 BENCH_HAPROXY=1 BENCH_BARE=1   0 = leave that column out
#   BENCH_PEER_PORT=18087 BENCH_HAPROXY_PORT=18081 BENCH_BARE_PORT=18002
#   BENCH_JAVA_OPTS=          extra JVM options for orchestrator and the baseline (e.g. -Xmx512m)
#   BENCH_SIM_JAVA_OPTS=      extra JVM options for the simulator
#   BENCH_RESULTS_DIR=bench/results   where a markdown copy of the results is written
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
JAR="$ROOT/target/orchestrator.jar"

die() { echo "bench: $*" >&2; exit 1; }
log() { echo "bench: $*" >&2; }

QUICK="${BENCH_QUICK:-0}"
[[ "$QUICK" == 0 || "$QUICK" == 1 ]] || die "BENCH_QUICK must be 0 or 1, got '$QUICK'"
if (( QUICK )); then
  d_secs=2; d_warm=2; d_rounds=2; d_retries=0
else
  d_secs=10; d_warm=5; d_rounds=12; d_retries=2
fi
SECONDS_PER_CELL="${BENCH_SECONDS:-$d_secs}"
WARMUP_SECONDS="${BENCH_WARMUP_SECONDS:-$d_warm}"
WARMUP_MAX_ROUNDS="${BENCH_WARMUP_MAX_ROUNDS:-$d_rounds}"
MAX_OTHER="${BENCH_MAX_OTHER_CPU:-10}"
CELL_RETRIES="${BENCH_CELL_RETRIES:-$d_retries}"
CHUNKS="${BENCH_CHUNKS:-20}"
SIM_PORT="${BENCH_SIM_PORT:-18089}"
NGINX_PORT="${BENCH_NGINX_PORT:-18080}"
ORCH_PORT="${BENCH_ORCH_PORT:-18000}"
BASE_PORT="${BENCH_BASELINE_PORT:-18001}"
BASELINE_SRC="${BENCH_BASELINE_JAR:-}"
PEER_PORT="${BENCH_PEER_PORT:-18087}"
HAPROXY_PORT="${BENCH_HAPROXY_PORT:-18081}"
BARE_PORT="${BENCH_BARE_PORT:-18002}"
WANT_PEER="${BENCH_PEER:-1}"; WANT_HAPROXY="${BENCH_HAPROXY:-1}"; WANT_BARE="${BENCH_BARE:-1}"
ORCH_JAVA="${BENCH_JAVA:-java}"
[[ -d "$ORCH_JAVA" ]] && ORCH_JAVA="$ORCH_JAVA/bin/java"
SIM_JAVA="${BENCH_SIM_JAVA:-java}"
[[ -d "$SIM_JAVA" ]] && SIM_JAVA="$SIM_JAVA/bin/java"
read -r -a APIS <<<"${BENCH_APIS:-openai anthropic}"
SCENARIO="bench"
RESULTS_DIR="${BENCH_RESULTS_DIR:-$BENCH_DIR/results}"
LUA="$BENCH_DIR/wrk/chat.lua"
CONTENT="The simulator streams this answer in small pieces, about one token per chunk, as models do."
OPENAI_MODEL="sim-small"
ANTHROPIC_MODEL="sim-claude"

for v in SECONDS_PER_CELL WARMUP_SECONDS WARMUP_MAX_ROUNDS MAX_OTHER CELL_RETRIES CHUNKS SIM_PORT NGINX_PORT ORCH_PORT BASE_PORT PEER_PORT HAPROXY_PORT BARE_PORT WANT_PEER WANT_HAPROXY WANT_BARE; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a whole number, got '${!v}'"
done
(( SECONDS_PER_CELL >= 1 )) || die "BENCH_SECONDS must be at least 1"
(( CHUNKS >= 1 )) || die "BENCH_CHUNKS must be at least 1"
(( ${#APIS[@]} > 0 )) || die "BENCH_APIS is empty"
for a in "${APIS[@]}"; do
  [[ "$a" == openai || "$a" == anthropic ]] || die "BENCH_APIS: unknown API '$a' (openai, anthropic)"
done
if [[ -n "$BASELINE_SRC" ]]; then
  [[ -f "$BASELINE_SRC" ]] || die "BENCH_BASELINE_JAR: no such file: $BASELINE_SRC"
fi
has_api() { local a; for a in "${APIS[@]}"; do [[ "$a" == "$1" ]] && return 0; done; return 1; }

# ---------------------------------------------------------------- children and cleanup
WORK="$(mktemp -d /tmp/orchestrator-bench.XXXXXX)"
chmod 755 "$WORK"   # nginx workers run as an unprivileged user and must reach their prefix
PIDS=()

stop_pid() {
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  if (( rc != 0 )); then
    log "failed (exit $rc); logs kept in $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_http <name> <pid> <url> <seconds> [curl args...]: until the URL answers 2xx, or fail.
wait_http() {
  local name=$1 pid=$2 url=$3 limit=$4; shift 4
  local deadline=$((SECONDS + limit))
  while (( SECONDS < deadline )); do
    kill -0 "$pid" 2>/dev/null || die "$name exited during start-up; see $WORK/$name.log"
    if curl -fsS -o /dev/null --max-time 2 "$@" "$url" 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  die "$name not ready at $url after ${limit}s; see $WORK/$name.log"
}

# ---------------------------------------------------------------- prerequisites
need_apt=()
command -v wrk >/dev/null 2>&1 || need_apt+=(wrk)
command -v nginx >/dev/null 2>&1 || need_apt+=(nginx-light)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
if (( ${#need_apt[@]} > 0 )); then
  log "installing ${need_apt[*]} from Debian"
  SUDO=(); (( EUID == 0 )) || SUDO=(sudo)
  "${SUDO[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
command -v java >/dev/null 2>&1 || die "java not found (JDK 17+ required)"
command -v "$ORCH_JAVA" >/dev/null 2>&1 || die "BENCH_JAVA: $ORCH_JAVA is not a java binary"
command -v "$SIM_JAVA" >/dev/null 2>&1 || die "BENCH_SIM_JAVA: $SIM_JAVA is not a java binary"
PEER_JS="$BENCH_DIR/peer/node_modules/@portkey-ai/gateway/build/start-server.js"
if (( WANT_PEER )); then
  if ! command -v node >/dev/null 2>&1; then
    log "NOTE: node not found: no peer column (install Node.js 18+, then bench/setup-peer.sh)"; WANT_PEER=0
  else
    [[ -f "$PEER_JS" ]] || "$BENCH_DIR/setup-peer.sh" || true
    if [[ ! -f "$PEER_JS" ]]; then log "NOTE: the peer gateway could not be installed: no peer column"; WANT_PEER=0; fi
  fi
fi
if (( WANT_HAPROXY )) && ! command -v haproxy >/dev/null 2>&1; then
  log "NOTE: haproxy not found: no haproxy column (apt-get install haproxy adds it)"; WANT_HAPROXY=0
fi

if [[ ! -f "$JAR" ]]; then
  log "building $JAR"
  (cd "$ROOT" && mvn -B -q -DskipTests package) || die "build failed"
  [[ -f "$JAR" ]] || die "build finished but $JAR is missing"
fi

ports=("$SIM_PORT" "$NGINX_PORT" "$ORCH_PORT")
[[ -n "$BASELINE_SRC" ]] && ports+=("$BASE_PORT")
(( WANT_PEER )) && ports+=("$PEER_PORT")
(( WANT_HAPROXY )) && ports+=("$HAPROXY_PORT")
(( WANT_BARE )) && ports+=("$BARE_PORT")
for p in "${ports[@]}"; do
  port_in_use "$p" && die "port $p on 127.0.0.1 is already taken; free it or set BENCH_*_PORT"
done
[[ $(printf '%s\n' "${ports[@]}" | sort -u | wc -l) == "${#ports[@]}" ]] || die "two BENCH_*_PORT settings are equal"

# ---------------------------------------------------------------- start the servers
log "work dir $WORK"
# Run from copies: a rebuild of target/ during the run must not pull classes from under the JVMs.
jar_id() { echo "$(sha256sum "$1" | cut -c1-12), $(date -u -r "$1" +%Y-%m-%dT%H:%M:%SZ)"; }
JAR_ID="$(jar_id "$JAR")"
cp "$JAR" "$WORK/orchestrator.jar"
JAR="$WORK/orchestrator.jar"
if [[ -n "$BASELINE_SRC" ]]; then
  BASE_JAR_ID="$(jar_id "$BASELINE_SRC")"
  cp "$BASELINE_SRC" "$WORK/baseline.jar"
fi

# shellcheck disable=SC2086
"$SIM_JAVA" ${BENCH_SIM_JAVA_OPTS:-} -jar "$JAR" simulate --port "$SIM_PORT" >"$WORK/simulator.log" 2>&1 &
SIM_PID=$!; PIDS+=("$SIM_PID")
deadline=$((SECONDS + 60))
until grep -q "simulator listening" "$WORK/simulator.log" 2>/dev/null; do
  kill -0 "$SIM_PID" 2>/dev/null || die "simulator exited during start-up; see $WORK/simulator.log"
  (( SECONDS < deadline )) || die "simulator did not start within 60s; see $WORK/simulator.log"
  sleep 0.2
done
PROFILE="{\"latencyMs\":0,\"chunks\":$CHUNKS,\"chunkIntervalMs\":0,\"content\":\"$CONTENT\"}"
curl -fsS --max-time 5 -o /dev/null -X PUT "http://127.0.0.1:$SIM_PORT/_sim/scenarios/$SCENARIO" \
  -H 'Content-Type: application/json' -d "$PROFILE" \
  || die "cannot set the simulator scenario profile"

sed -e "s|@SIM_PORT@|$SIM_PORT|g" -e "s|@SCENARIO@|$SCENARIO|g" \
  "$BENCH_DIR/orchestrator.yaml.template" >"$WORK/orchestrator.yaml"
sed -e '/@ANTHROPIC_BEGIN@/,/@ANTHROPIC_END@/d' "$WORK/orchestrator.yaml" >"$WORK/orchestrator-openai-only.yaml"
if ! has_api anthropic; then cp "$WORK/orchestrator-openai-only.yaml" "$WORK/orchestrator.yaml"; fi
# The bare row: the same config with the per-request provider series and the request log line off.
{ cat "$WORK/orchestrator.yaml"; printf 'metrics:\n  enabled: false\nlogging:\n  requestLog: false\n'; } >"$WORK/orchestrator-bare.yaml"

# start_orch <name> <jar> <port> <config>: starts an orchestrator JVM, sets STARTED_PID. One log line
# per request goes to /dev/null, so the disk is not the benchmark (stderr is kept in <name>.log).
start_orch() {
  # shellcheck disable=SC2086
  ORCHESTRATOR_CONFIG="$4" PORT="$3" "$ORCH_JAVA" ${BENCH_JAVA_OPTS:-} -jar "$2" >/dev/null 2>"$WORK/$1.log" &
  STARTED_PID=$!; PIDS+=("$STARTED_PID")
}
start_orch orchestrator "$JAR" "$ORCH_PORT" "$WORK/orchestrator.yaml"
ORCH_PID=$STARTED_PID
BARE_PID=""
if (( WANT_BARE )); then
  start_orch bare "$JAR" "$BARE_PORT" "$WORK/orchestrator-bare.yaml"
  BARE_PID=$STARTED_PID
fi
PEER_PID=""
if (( WANT_PEER )); then
  (cd "$WORK" && NODE_ENV=production exec node "$PEER_JS" --port="$PEER_PORT" --headless) >"$WORK/peer.log" 2>&1 &
  PEER_PID=$!; PIDS+=("$PEER_PID")
fi
HAPROXY_PID=""
if (( WANT_HAPROXY )); then
  cat >"$WORK/haproxy.cfg" <<HAP
global
  nbthread $(nproc)
  maxconn 4000
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  option http-keep-alive
frontend bench
  bind 127.0.0.1:$HAPROXY_PORT
  default_backend sim
backend sim
  http-reuse always
  http-request set-path /$SCENARIO%[path]
  server sim 127.0.0.1:$SIM_PORT maxconn 1000
HAP
  haproxy -c -q -f "$WORK/haproxy.cfg" >"$WORK/haproxy.log" 2>&1 || die "haproxy rejected its config: $(cat "$WORK/haproxy.log")"
  haproxy -db -f "$WORK/haproxy.cfg" >>"$WORK/haproxy.log" 2>&1 &
  HAPROXY_PID=$!; PIDS+=("$HAPROXY_PID")
fi

BASE_PID=""
BASE_ANTHRO=0
if [[ -n "$BASELINE_SRC" ]]; then
  start_orch baseline "$WORK/baseline.jar" "$BASE_PORT" "$WORK/orchestrator.yaml"
  BASE_PID=$STARTED_PID
  has_api anthropic && BASE_ANTHRO=1
fi

mkdir -p "$WORK/nginx"
sed -e "s|@SIM_PORT@|$SIM_PORT|g" -e "s|@NGINX_PORT@|$NGINX_PORT|g" -e "s|@SCENARIO@|$SCENARIO|g" \
  -e "s|@PREFIX@|$WORK/nginx|g" "$BENCH_DIR/nginx.conf.template" >"$WORK/nginx/nginx.conf"
nginx -t -q -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' >"$WORK/nginx.log" 2>&1 \
  || die "nginx rejected its config: $(cat "$WORK/nginx.log")"
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' >>"$WORK/nginx.log" 2>&1 &
NGINX_PID=$!; PIDS+=("$NGINX_PID")

wait_http orchestrator "$ORCH_PID" "http://127.0.0.1:$ORCH_PORT/readyz" 60
[[ -z "$BARE_PID" ]] || wait_http bare "$BARE_PID" "http://127.0.0.1:$BARE_PORT/readyz" 60
if [[ -n "$HAPROXY_PID" ]]; then
  deadline=$((SECONDS + 30))
  until port_in_use "$HAPROXY_PORT"; do
    kill -0 "$HAPROXY_PID" 2>/dev/null || die "haproxy exited during start-up; see $WORK/haproxy.log"
    (( SECONDS < deadline )) || die "haproxy did not listen on $HAPROXY_PORT within 30s; see $WORK/haproxy.log"
    sleep 0.2
  done
fi
if [[ -n "$PEER_PID" ]]; then
  deadline=$((SECONDS + 60))
  until port_in_use "$PEER_PORT"; do
    kill -0 "$PEER_PID" 2>/dev/null || die "the peer gateway exited during start-up; see $WORK/peer.log"
    (( SECONDS < deadline )) || die "the peer gateway did not listen on $PEER_PORT within 60s; see $WORK/peer.log"
    sleep 0.2
  done
fi

if [[ -n "$BASE_PID" ]]; then
  # An older jar may reject the anthropic provider: then run it with the OpenAI provider only.
  deadline=$((SECONDS + 60))
  until curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$BASE_PORT/readyz" 2>/dev/null; do
    if ! kill -0 "$BASE_PID" 2>/dev/null; then
      (( BASE_ANTHRO )) || die "baseline exited during start-up; see $WORK/baseline.log"
      log "baseline exited with the anthropic provider configured (see $WORK/baseline-anthropic.log);" \
        "restarting it with the OpenAI provider only: its Anthropic cells will be n/a"
      mv "$WORK/baseline.log" "$WORK/baseline-anthropic.log"
      wait "$BASE_PID" 2>/dev/null || true
      start_orch baseline "$WORK/baseline.jar" "$BASE_PORT" "$WORK/orchestrator-openai-only.yaml"
      BASE_PID=$STARTED_PID; BASE_ANTHRO=0
      deadline=$((SECONDS + 60))
    fi
    (( SECONDS < deadline )) || die "baseline not ready at :$BASE_PORT/readyz after 60s; see $WORK/baseline.log"
    sleep 0.2
  done
fi

# ---------------------------------------------------------------- targets, requests and smoke check
TARGETS=(direct nginx)
[[ -n "$HAPROXY_PID" ]] && TARGETS+=(haproxy)
[[ -n "$PEER_PID" ]] && TARGETS+=(peer)
TARGETS+=(orchestrator)
[[ -n "$BARE_PID" ]] && TARGETS+=(bare)
[[ -n "$BASE_PID" ]] && TARGETS+=(baseline)
PEER_ANTHRO=1
declare -A PORT_OF=([nginx]="$NGINX_PORT" [orchestrator]="$ORCH_PORT" [baseline]="$BASE_PORT" [peer]="$PEER_PORT"
  [haproxy]="$HAPROXY_PORT" [bare]="$BARE_PORT")
declare -A URL PATH_OF=([openai]="chat/completions" [anthropic]="messages")
for a in openai anthropic; do
  URL[$a/direct]="http://127.0.0.1:$SIM_PORT/$SCENARIO/v1/${PATH_OF[$a]}"
  for t in nginx orchestrator baseline peer haproxy bare; do URL[$a/$t]="http://127.0.0.1:${PORT_OF[$t]}/v1/${PATH_OF[$a]}"; done
done
MESSAGES='"messages":[{"role":"user","content":"Say hello"}]'
declare -A BODY=(
  [openai/0]="{\"model\":\"$OPENAI_MODEL\",$MESSAGES}"
  [openai/1]="{\"model\":\"$OPENAI_MODEL\",$MESSAGES,\"stream\":true,\"stream_options\":{\"include_usage\":true}}"
  [anthropic/0]="{\"model\":\"$ANTHROPIC_MODEL\",\"max_tokens\":256,$MESSAGES}"
  [anthropic/1]="{\"model\":\"$ANTHROPIC_MODEL\",\"max_tokens\":256,$MESSAGES,\"stream\":true}"
)
declare -A EXPECT_PROVIDER=([openai]=sim [anthropic]=anthro)
# The peer routes by headers: provider (openai / anthropic) and the upstream base URL.
declare -A PEER_HEADERS=(
  [openai]="x-portkey-provider: openai|x-portkey-custom-host: http://127.0.0.1:$SIM_PORT/$SCENARIO/v1|Authorization: Bearer bench"
  [anthropic]="x-portkey-provider: anthropic|x-portkey-custom-host: http://127.0.0.1:$SIM_PORT/$SCENARIO/v1"
)
# extra_headers <api> <target>: the "|"-separated headers that target needs (bench/wrk/chat.lua's BENCH_HEADERS)
extra_headers() { if [[ $2 == peer ]]; then echo "${PEER_HEADERS[$1]}"; fi; }
api_headers() {
  local h
  API_HEADERS=(-H 'Content-Type: application/json')
  if [[ $1 == anthropic ]]; then API_HEADERS+=(-H 'x-api-key: bench' -H 'anthropic-version: 2023-06-01'); fi
  if [[ -n "${2:-}" ]]; then
    IFS='|' read -r -a h <<<"$(extra_headers "$1" "$2")"
    for x in "${h[@]}"; do [[ -z "$x" ]] || API_HEADERS+=(-H "$x"); done
  fi
}

# has_cell <api> <target>: whether that target serves that API in this run.
has_cell() {
  if [[ $2 == baseline ]]; then [[ $1 == openai ]] || (( BASE_ANTHRO )); return; fi
  if [[ $2 == peer ]]; then [[ $1 == openai ]] || (( PEER_ANTHRO )); return; fi
  return 0
}

# smoke <api> <target>: both modes answer correctly; on failure sets SMOKE_ERR and returns 1.
smoke() {
  local a=$1 t=$2 out prov n
  api_headers "$a" "$t"
  if ! out="$(curl -fsS --max-time 10 -D "$WORK/smoke.h" -X POST "${API_HEADERS[@]}" -d "${BODY[$a/0]}" "${URL[$a/$t]}" 2>&1)"; then
    SMOKE_ERR="non-streaming request failed: ${out:0:300}"; return 1
  fi
  prov="$(tr -d '\r' <"$WORK/smoke.h" | sed -n 's/^[Xx]-[Oo]rchestrator-[Pp]rovider: *//p')"
  if [[ -n "$prov" && "$prov" != "${EXPECT_PROVIDER[$a]}" ]]; then
    SMOKE_ERR="served by provider '$prov', expected '${EXPECT_PROVIDER[$a]}'"; return 1
  fi
  if [[ $a == openai && "$out" != *'"choices"'* ]] || [[ $a == anthropic && "$out" != *'"type":"message"'* ]]; then
    SMOKE_ERR="unexpected non-streaming answer: ${out:0:300}"; return 1
  fi
  if ! out="$(curl -fsSN --max-time 10 -D "$WORK/smoke.h" -X POST "${API_HEADERS[@]}" -d "${BODY[$a/1]}" "${URL[$a/$t]}" 2>&1)"; then
    SMOKE_ERR="streaming request failed: ${out:0:300}"; return 1
  fi
  prov="$(tr -d '\r' <"$WORK/smoke.h" | sed -n 's/^[Xx]-[Oo]rchestrator-[Pp]rovider: *//p')"
  if [[ -n "$prov" && "$prov" != "${EXPECT_PROVIDER[$a]}" ]]; then
    SMOKE_ERR="stream served by provider '$prov', expected '${EXPECT_PROVIDER[$a]}'"; return 1
  fi
  if [[ $a == openai ]]; then
    [[ "$out" == *'data: [DONE]'* ]] || { SMOKE_ERR="stream did not end with data: [DONE]: ${out:0:300}"; return 1; }
    [[ "$out" == *'"usage":{'* ]] || { SMOKE_ERR="stream has no usage chunk (include_usage): ${out:0:300}"; return 1; }
    n=$(grep -c '^data: {' <<<"$out" || true)
    SMOKE_INFO="stream: $n data events + [DONE]"
  else
    [[ "$out" == *'event: message_stop'* ]] || { SMOKE_ERR="stream did not end with message_stop: ${out:0:300}"; return 1; }
    n=$(grep -c '^event: ' <<<"$out" || true)
    SMOKE_INFO="stream: $n events"
  fi
  [[ -z "$prov" ]] || SMOKE_INFO+=", provider $prov"
}

api_headers openai
wait_http nginx "$NGINX_PID" "${URL[openai/nginx]}" 30 -X POST "${API_HEADERS[@]}" -d "${BODY[openai/0]}"
for a in "${APIS[@]}"; do
  for t in "${TARGETS[@]}"; do
    has_cell "$a" "$t" || continue
    if ! smoke "$a" "$t"; then
      if [[ $t == baseline && $a == anthropic ]]; then
        log "baseline does not serve the Anthropic pass-through ($SMOKE_ERR): its Anthropic cells will be n/a"
        BASE_ANTHRO=0; continue
      fi
      if [[ $t == peer ]]; then
        if [[ $a == anthropic ]]; then
          log "NOTE: the peer does not relay the Anthropic API here ($SMOKE_ERR): its Anthropic cells will be n/a"
          PEER_ANTHRO=0; continue
        fi
        die "$a peer: $SMOKE_ERR (see $WORK/peer.log; BENCH_PEER=0 leaves the peer out)"
      fi
      die "$a $t: $SMOKE_ERR"
    fi
    log "$a $t answers ($SMOKE_INFO)"
  done
done

# ---------------------------------------------------------------- wrk
# Every server must still be running: a dead simulator would turn the proxies' cells into fast 502s.
alive() {
  check_alive "$SIM_PID" "the simulator" "$WORK/simulator.log"
  check_alive "$NGINX_PID" nginx "$WORK/nginx.log and $WORK/nginx/error.log"
  check_alive "$ORCH_PID" orchestrator "$WORK/orchestrator.log"
  [[ -z "$BASE_PID" ]] || check_alive "$BASE_PID" "the baseline orchestrator" "$WORK/baseline.log"
  [[ -z "$BARE_PID" ]] || check_alive "$BARE_PID" "the bare orchestrator" "$WORK/bare.log"
  [[ -z "$PEER_PID" ]] || check_alive "$PEER_PID" "the peer gateway" "$WORK/peer.log"
  [[ -z "$HAPROXY_PID" ]] || check_alive "$HAPROXY_PID" haproxy "$WORK/haproxy.log"
}
# check_alive <pid> <name> <logs>: dies with the child's exit status (above 128: killed by signal - 128).
check_alive() {
  local rc=0
  kill -0 "$1" 2>/dev/null && return 0
  wait "$1" 2>/dev/null || rc=$?
  die "$2 died (exit status $rc$( ((rc > 128)) && echo ", signal $((rc - 128))")); see $3"
}

# run_wrk <api> <target> <stream 0|1> <connections> <seconds> -> prints the RESULT line
run_wrk() {
  local a=$1 target=$2 stream=$3 conns=$4 secs=$5 threads=1 out
  alive
  if (( conns > 1 )); then threads=2; fi
  out="$(BENCH_API="$a" BENCH_STREAM="$stream" BENCH_BODY="${BODY[$a/$stream]}" BENCH_HEADERS="$(extra_headers "$a" "$target")" timeout $((secs + 30)) \
    wrk -t"$threads" -c"$conns" -d"${secs}s" --timeout 10s --latency -s "$LUA" "${URL[$a/$target]}" 2>&1)" \
    || die "wrk against $a $target failed: $out"
  grep '^RESULT ' <<<"$out" || die "wrk against $a $target printed no result: $out"
}

field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }
mode_name() { if (( $1 )); then echo "stream"; else echo "non-stream"; fi; }
declare -A LABEL=([direct]=direct [nginx]=nginx [orchestrator]=orch [baseline]=baseline [peer]=peer [haproxy]=haproxy
  [bare]="orch bare")

# warm_up <api> <target> <stream>: rounds at concurrency 32 until the RPS is stable (< 10% change).
declare -A WARM_ROUNDS
warm_up() {
  local a=$1 target=$2 stream=$3 round prev=0 rps stable=0 out
  for (( round = 1; round <= WARMUP_MAX_ROUNDS; round++ )); do
    out="$(run_wrk "$a" "$target" "$stream" 32 "$WARMUP_SECONDS")"
    rps=$(field "$out" rps)
    if (( round >= 2 )) && awk -v a="$prev" -v b="$rps" 'BEGIN { d = b - a; if (d < 0) d = -d; exit !(a > 0 && d / a < 0.10) }'; then
      stable=1; break
    fi
    prev=$rps
  done
  (( round > WARMUP_MAX_ROUNDS )) && round=$WARMUP_MAX_ROUNDS
  WARM_ROUNDS[$a/$target/$stream]="$round$( ((stable)) || echo '!')"
  log "  warmed $target $a $(mode_name "$stream"): $round rounds, last ${rps} rps$( ((stable)) || echo ', NOT stable')"
}
if (( WARMUP_SECONDS > 0 && WARMUP_MAX_ROUNDS > 0 )); then
  log "warming up: ${WARMUP_SECONDS}s rounds at concurrency 32 until RPS is stable (max $WARMUP_MAX_ROUNDS rounds)"
  for t in "${TARGETS[@]}"; do
    for a in "${APIS[@]}"; do
      has_cell "$a" "$t" || continue
      for s in 0 1; do warm_up "$a" "$t" "$s"; done
    done
  done
fi

# CPU time (clock ticks, user + system) of the server under test: the simulator for "direct", nginx's
# master and workers, orchestrator's JVM, the baseline's JVM. Less sensitive than RPS to what else the
# 2 cores are doing.
CLK_TCK=$(getconf CLK_TCK)
mapfile -t NGINX_WORKERS < <(ps -o pid= --ppid "$NGINX_PID" | tr -d ' ')
declare -A SERVER_PIDS=([direct]="$SIM_PID" [nginx]="$NGINX_PID ${NGINX_WORKERS[*]}" [orchestrator]="$ORCH_PID" [baseline]="$BASE_PID"
  [bare]="$BARE_PID" [haproxy]="$HAPROXY_PID" [peer]="$PEER_PID")
cpu_ticks() {
  local pid total=0 rest
  for pid in "$@"; do
    rest="$(cat "/proc/$pid/stat" 2>/dev/null)" || continue
    rest="${rest##*) }"   # fields after the command name: state ppid ... utime(12th) stime(13th)
    read -r -a f <<<"$rest"
    total=$(( total + f[11] + f[12] ))
  done
  echo "$total"
}

# CPU that other processes on the machine took during a cell, in % of all cores: machine busy ticks
# minus the servers' ticks minus this script's reaped children (wrk). A high figure marks a cell
# disturbed by something else (a build, a test suite).
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }
children_ticks() { local rest; rest="$(cat /proc/$$/stat)"; rest="${rest##*) }"; read -r -a f <<<"$rest"; echo $(( f[13] + f[14] )); }
# shellcheck disable=SC2206
ALL_SERVER_PIDS=("$SIM_PID" "$NGINX_PID" "${NGINX_WORKERS[@]}" "$ORCH_PID" $BASE_PID $BARE_PID $PEER_PID $HAPROXY_PID)

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A RPS P50 P99 ERR CPU OTHER RETRIED

# measure_cell <api> <target> <stream> <conns>: one wrk run; sets M_RPS M_P50 M_P99 M_ERR M_CPU M_OTHER.
measure_cell() {
  local a=$1 t=$2 s=$3 c=$4 t0 t1 busy0 total0 busy1 total1 all0 all1 ch0 ch1 r
  # shellcheck disable=SC2086
  t0=$(cpu_ticks ${SERVER_PIDS[$t]})
  read -r busy0 total0 <<<"$(machine_ticks)"; all0=$(cpu_ticks "${ALL_SERVER_PIDS[@]}"); ch0=$(children_ticks)
  r="$(run_wrk "$a" "$t" "$s" "$c" "$SECONDS_PER_CELL")"
  # shellcheck disable=SC2086
  t1=$(cpu_ticks ${SERVER_PIDS[$t]})
  read -r busy1 total1 <<<"$(machine_ticks)"; all1=$(cpu_ticks "${ALL_SERVER_PIDS[@]}"); ch1=$(children_ticks)
  M_OTHER=$(awk -v o=$(( (busy1 - busy0) - (all1 - all0) - (ch1 - ch0) )) -v t=$(( total1 - total0 )) \
    'BEGIN { v = (t > 0 ? 100 * o / t : 0); printf "%.0f", (v < 0 ? 0 : v) }')
  M_CPU=$(awk -v d=$((t1 - t0)) -v hz="$CLK_TCK" -v n="$(field "$r" requests)" \
    'BEGIN { printf "%.0f", (n > 0 ? d / hz * 1e6 / n : 0) }')
  M_RPS=$(field "$r" rps); M_P50=$(field "$r" p50_us); M_P99=$(field "$r" p99_us)
  M_ERR=$(( $(field "$r" errors) + $(field "$r" non2xx) ))
  alive
}

cells=0
for a in "${APIS[@]}"; do for t in "${TARGETS[@]}"; do if has_cell "$a" "$t"; then cells=$((cells + 4)); fi; done; done
log "measuring: $cells cells of ${SECONDS_PER_CELL}s (targets and APIs interleaved; a cell during which" \
  "other processes took more than ${MAX_OTHER}% of the machine is repeated up to $CELL_RETRIES times, the quietest attempt kept)"
# Order: mode, concurrency, API, target, so that the OpenAI and Anthropic cells compared with each
# other (and orchestrator's and the baseline's) run minutes apart at most, not a whole half-run.
for s in 0 1; do
  for c in 1 32; do
    for a in "${APIS[@]}"; do
      for t in "${TARGETS[@]}"; do
        has_cell "$a" "$t" || continue
        k="$a/$s/$c/$t"
        for (( attempt = 0; attempt <= CELL_RETRIES; attempt++ )); do
          measure_cell "$a" "$t" "$s" "$c"
          log "  $a $(mode_name "$s") c=$c $t: ${M_RPS} rps, p50 ${M_P50} us, p99 ${M_P99} us," \
            "errors ${M_ERR}, server CPU ${M_CPU} us/request, other processes ${M_OTHER}% of the machine"
          if (( attempt == 0 || M_OTHER < OTHER[$k] )); then
            RPS[$k]=$M_RPS; P50[$k]=$M_P50; P99[$k]=$M_P99; ERR[$k]=$M_ERR; CPU[$k]=$M_CPU; OTHER[$k]=$M_OTHER
          fi
          RETRIED[$k]=$attempt
          if (( OTHER[$k] <= MAX_OTHER )); then break; fi
          if (( attempt < CELL_RETRIES )); then log "    disturbed (${M_OTHER}% > ${MAX_OTHER}%): repeating"; fi
        done
      done
    done
  done
done

rss_mib() { awk '/^VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "?"; }
ORCH_RSS=$(rss_mib "$ORCH_PID")
SIM_RSS=$(rss_mib "$SIM_PID")
BASE_RSS=""; [[ -z "$BASE_PID" ]] || BASE_RSS=$(rss_mib "$BASE_PID")
BARE_RSS=""; [[ -z "$BARE_PID" ]] || BARE_RSS=$(rss_mib "$BARE_PID")
PEER_RSS=""; [[ -z "$PEER_PID" ]] || PEER_RSS=$(rss_mib "$PEER_PID")

# ---------------------------------------------------------------- report
ms() { awk -v us="$1" 'BEGIN { printf "%.3f", us / 1000 }'; }
# ratio <a> <b> <format>: a / b, or n/a when b is 0
ratio() { awk -v a="$1" -v b="$2" -v f="$3" 'BEGIN { if (b > 0) printf f, a / b; else printf "n/a" }'; }
disturbed() { local k; for k in "$@"; do [[ -n "${OTHER[$k]:-}" ]] && (( OTHER[$k] > MAX_OTHER )) && return 0; done; return 1; }
PROXIES=(orchestrator); [[ -n "$BARE_PID" ]] && PROXIES+=(bare); [[ -n "$BASE_PID" ]] && PROXIES+=(baseline)
[[ -n "$PEER_PID" ]] && PROXIES+=(peer); [[ -n "$HAPROXY_PID" ]] && PROXIES+=(haproxy)
declare -A PROXY_NAME=([orchestrator]="orchestrator" [baseline]="orchestrator (baseline)" [bare]="orchestrator bare"
  [peer]="peer (Portkey 1.15.2)" [haproxy]="haproxy")

CORES=$(nproc)
REPORT="$WORK/report.md"
{
  echo "## Results $(date -u +%Y-%m-%dT%H:%M:%SZ)$( ((QUICK)) && echo ' (BENCH_QUICK=1: a check of the script, not a measurement)')"
  echo
  echo "Machine: $CORES cores ($(awk '/^model name/ {sub(/.*: /, ""); print; exit}' /proc/cpuinfo)), $(free -g | awk '/^Mem:/ {print $2}') GiB RAM;" \
    "orchestrator on $("$ORCH_JAVA" -version 2>&1 | head -1) ($ORCH_JAVA), simulator on $("$SIM_JAVA" -version 2>&1 | head -1); nginx $(nginx -v 2>&1 | sed 's|.*nginx/||'); wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}')."
  echo "orchestrator: target/orchestrator.jar (sha256 $JAR_ID; worktree at $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD -- src pom.xml 2>/dev/null || echo ', src modified'))."
  if [[ -n "$BASE_PID" ]]; then
    note=""
    if has_api anthropic && (( ! BASE_ANTHRO )); then note="; it does not serve the Anthropic pass-through here: n/a in those rows"; fi
    echo "orchestrator (baseline): $BASELINE_SRC (sha256 $BASE_JAR_ID)$note."
  fi
  [[ -z "$PEER_PID" ]] || echo "peer: @portkey-ai/gateway $(node -p "require('$BENCH_DIR/peer/node_modules/@portkey-ai/gateway/package.json').version" 2>/dev/null) on Node $(node --version), NODE_ENV=production, headless."
  [[ -z "$HAPROXY_PID" ]] || echo "haproxy: $(haproxy -v 2>&1 | head -1)."
  [[ -z "$BARE_PID" ]] || echo "orch bare: the same jar with \`metrics.enabled: false\` and \`logging.requestLog: false\`."
  echo "JVM options: ${BENCH_JAVA_OPTS:-(none)}."
  echo "Load average (1/5/15 min) before measuring: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg) (includes this benchmark's own load)."
  echo "NOTE: all $CORES cores are shared by wrk, the proxy under test and the simulator:" \
    "absolute figures are lower than on dedicated machines; compare columns, not absolutes."
  echo
  echo "Requests: OpenAI \`POST /v1/chat/completions\` \`${BODY[openai/0]}\`, streaming with" \
    "\`\"stream\":true,\"stream_options\":{\"include_usage\":true}\`; Anthropic \`POST /v1/messages\`" \
    "\`${BODY[anthropic/0]}\`, streaming with \`\"stream\":true\`. Simulator scenario: \`$PROFILE\`" \
    "($CHUNKS content chunks per stream)."
  echo "wrk -d ${SECONDS_PER_CELL}s --latency per cell (c=1: 1 thread, c=32: 2 threads), after warm-up. Latency in ms."
  echo
  echo -n "Warm-up (${WARMUP_SECONDS}s rounds at c=32 until two consecutive rounds differ < 10% in RPS, at most $WARMUP_MAX_ROUNDS; ! = not stable), rounds per target, API non-stream/stream:"
  for t in "${TARGETS[@]}"; do
    for a in "${APIS[@]}"; do
      has_cell "$a" "$t" && echo -n " $t $a ${WARM_ROUNDS[$a/$t/0]:-0}/${WARM_ROUNDS[$a/$t/1]:-0};"
    done
  done
  echo
  echo
  head="| api | mode | conc |"; rule="|---|---|---:|"
  for t in "${TARGETS[@]}"; do head+=" ${LABEL[$t]} RPS | ${LABEL[$t]} p50 | ${LABEL[$t]} p99 |"; rule+="---:|---:|---:|"; done
  echo "$head"; echo "$rule"
  for a in "${APIS[@]}"; do
    for s in 0 1; do
      for c in 1 32; do
        line="| $a | $(mode_name "$s") | $c"
        for t in "${TARGETS[@]}"; do
          k="$a/$s/$c/$t"
          if ! has_cell "$a" "$t"; then line+=" | n/a | n/a | n/a"; continue; fi
          mark=""; if disturbed "$k"; then mark="*"; fi
          line+=" | $(printf '%.0f' "${RPS[$k]}")$mark | $(ms "${P50[$k]}") | $(ms "${P99[$k]}")"
        done
        echo "$line |"
      done
    done
  done
  if disturbed "${!OTHER[@]}"; then
    echo
    echo "\* other processes took more than ${MAX_OTHER}% of the machine during that cell even after $CELL_RETRIES repeats (see the CPU table): treat it as disturbed."
  fi
  errs=""
  for k in "${!ERR[@]}"; do if (( ERR[$k] > 0 )); then errs+=" $k:${ERR[$k]}"; fi; done
  echo
  if [[ -n "$errs" ]]; then echo "Errors (socket errors + non-2xx) in cells (api/stream/conc/target):$errs"; else echo "Errors: none (no socket errors, no non-2xx answers)."; fi
  echo
  echo "Server CPU per request (user + system, microseconds; the process under test only: the simulator for direct, nginx master + workers, orchestrator's JVM; ${CLK_TCK} Hz tick accounting):"
  echo
  head="| api | mode | conc |"; rule="|---|---|---:|"
  for t in "${TARGETS[@]}"; do
    case $t in direct) head+=" direct (simulator) |";; baseline) head+=" orchestrator (baseline) |";; bare) head+=" orch bare |";; *) head+=" $t |";; esac
    rule+="---:|"
  done
  if [[ -n "$BASE_PID" ]]; then head+=" orchestrator ÷ baseline |"; rule+="---:|"; fi
  others=""; for t in "${TARGETS[@]}"; do others+="${others:+ / }${LABEL[$t]}"; done
  head+=" other processes' CPU during the $others cell (% of machine; repeats) |"; rule+="---|"
  echo "$head"; echo "$rule"
  for a in "${APIS[@]}"; do
    for s in 0 1; do
      for c in 1 32; do
        line="| $a | $(mode_name "$s") | $c"; o=""; r=""
        for t in "${TARGETS[@]}"; do
          k="$a/$s/$c/$t"
          if has_cell "$a" "$t"; then
            line+=" | ${CPU[$k]}"; o+="${o:+ / }${OTHER[$k]}"; r+="${r:+/}${RETRIED[$k]}"
          else
            line+=" | n/a"; o+="${o:+ / }-"; r+="${r:+/}-"
          fi
        done
        if [[ -n "$BASE_PID" ]]; then
          if has_cell "$a" baseline; then
            line+=" | $(ratio "${CPU[$a/$s/$c/orchestrator]}" "${CPU[$a/$s/$c/baseline]}" '%.2fx')"
          else
            line+=" | n/a"
          fi
        fi
        echo "$line | $o ($r) |"
      done
    done
  done
  echo
  echo "Memory after the run (RSS): orchestrator $ORCH_RSS MiB$([[ -z "$BARE_PID" ]] || echo ", bare $BARE_RSS MiB")$([[ -z "$BASE_PID" ]] || echo ", baseline $BASE_RSS MiB")$([[ -z "$PEER_PID" ]] || echo ", peer $PEER_RSS MiB"), simulator $SIM_RSS MiB."

  if [[ -n "$BASE_PID" ]]; then
    echo
    echo "### Before/after: orchestrator vs orchestrator (baseline), same run"
    echo
    echo "| api | mode | conc | baseline RPS | orch RPS | RPS orch ÷ baseline | baseline CPU µs/req | orch CPU µs/req | CPU orch ÷ baseline |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
    for a in "${APIS[@]}"; do
      has_cell "$a" baseline || continue
      for s in 0 1; do
        for c in 1 32; do
          kb="$a/$s/$c/baseline"; ko="$a/$s/$c/orchestrator"
          mark=""; if disturbed "$kb" "$ko"; then mark=" (disturbed cell)"; fi
          echo "| $a | $(mode_name "$s") | $c | $(printf '%.0f' "${RPS[$kb]}") | $(printf '%.0f' "${RPS[$ko]}") |" \
            "$(ratio "${RPS[$ko]}" "${RPS[$kb]}" '%.2fx') | ${CPU[$kb]} | ${CPU[$ko]} | $(ratio "${CPU[$ko]}" "${CPU[$kb]}" '%.2fx')$mark |"
        done
      done
    done
  fi

  echo
  echo "### Against the targets (issue 9)"
  echo
  echo "Targets: added p50 at c=1 <= 2x nginx's added p50, added p99 <= 3x nginx's; RPS at c=32 >= 0.6x nginx's;" \
    "server CPU per request at c=32 <= 35 µs non-streaming, <= 45 µs streaming. \"Added\" = the proxy's latency" \
    "minus the simulator's own (direct). The peer and haproxy rows are context, held to the same bars."
  echo
  echo "| api | mode | proxy | nginx added p50 | proxy added p50 | p50 <= 2x | nginx added p99 | proxy added p99 | p99 <= 3x | nginx RPS @c=32 | proxy RPS @c=32 | RPS >= 0.6x | CPU µs/req @c=32 | CPU target |"
  echo "|---|---|---|---:|---:|---|---:|---:|---|---:|---:|---|---:|---|"
  for a in "${APIS[@]}"; do
    for s in 0 1; do
      for p in "${PROXIES[@]}"; do
        has_cell "$a" "$p" || continue
        # bench_check <nginx added> <proxy added> <factor>: nginx's added latency can measure <= 0 at this
        # resolution: compare against max(0, nginx).
        check() { awk -v na="$1" -v oa="$2" -v f="$3" 'BEGIN {
          lim = f * (na > 0 ? na : 0); ratio = (na > 0) ? sprintf("%.1fx", oa / na) : "n/a";
          printf "%s (%s)", (oa <= lim ? "PASS" : "MISS"), ratio }'; }
        d=${P50[$a/$s/1/direct]}; n=${P50[$a/$s/1/nginx]}; o=${P50[$a/$s/1/$p]}
        na=$((n - d)); oa=$((o - d)); lat=$(check "$na" "$oa" 2)
        d9=${P99[$a/$s/1/direct]}; n9=${P99[$a/$s/1/nginx]}; o9=${P99[$a/$s/1/$p]}
        na9=$((n9 - d9)); oa9=$((o9 - d9)); lat9=$(check "$na9" "$oa9" 3)
        nr=${RPS[$a/$s/32/nginx]}; orr=${RPS[$a/$s/32/$p]}
        thr=$(awk -v n="$nr" -v o="$orr" 'BEGIN { printf "%s (%.2fx)", (o >= 0.6 * n ? "PASS" : "MISS"), (n > 0 ? o / n : 0) }')
        cpu=${CPU[$a/$s/32/$p]}; lim=$(( s ? 45 : 35 ))
        cpuv=$(awk -v c="$cpu" -v l="$lim" 'BEGIN { printf "%s (<= %d)", (c <= l ? "PASS" : "MISS"), l }')
        if disturbed "$a/$s/1/direct" "$a/$s/1/nginx" "$a/$s/1/$p"; then lat+=" (disturbed)"; lat9+=" (disturbed)"; fi
        if disturbed "$a/$s/32/nginx" "$a/$s/32/$p"; then thr+=" (disturbed)"; cpuv+=" (disturbed)"; fi
        echo "| $a | $(mode_name "$s") | ${PROXY_NAME[$p]} | $(ms "$na") | $(ms "$oa") | $lat | $(ms "$na9") | $(ms "$oa9") | $lat9 |" \
          "$(printf '%.0f' "$nr") | $(printf '%.0f' "$orr") | $thr | $cpu | $cpuv |"
      done
    done
  done

  if [[ -n "$BARE_PID" ]]; then
    echo
    echo "### What the features cost: orchestrator (everything on) vs orch bare (metrics.enabled and logging.requestLog off)"
    echo
    echo "| api | mode | conc | bare RPS | full RPS | full ÷ bare RPS | bare CPU µs/req | full CPU µs/req | features' CPU µs/req | bare p50 ms | full p50 ms |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for a in "${APIS[@]}"; do
      for s in 0 1; do
        for c in 1 32; do
          kb="$a/$s/$c/bare"; kf="$a/$s/$c/orchestrator"
          mark=""; if disturbed "$kb" "$kf"; then mark=" (disturbed)"; fi
          echo "| $a | $(mode_name "$s") | $c | $(printf '%.0f' "${RPS[$kb]}") | $(printf '%.0f' "${RPS[$kf]}") |" \
            "$(ratio "${RPS[$kf]}" "${RPS[$kb]}" '%.2fx') | ${CPU[$kb]} | ${CPU[$kf]} | $(( CPU[$kf] - CPU[$kb] ))$mark |" \
            "$(ms "${P50[$kb]}") | $(ms "${P50[$kf]}") |"
        done
      done
    done
  fi

  if has_api openai && has_api anthropic; then
    echo
    echo "### Anthropic pass-through vs the OpenAI path"
    echo
    echo "Check: the Anthropic pass-through's RPS and server CPU per request within 10% of the OpenAI path's," \
      "cell by cell: PASS when Anthropic RPS >= 0.90x and CPU/request <= 1.10x OpenAI's (faster or cheaper is" \
      "never a miss). The direct column is the simulator's own Anthropic/OpenAI ratio, for context: its two" \
      "formats differ in size and event count, and that difference reaches the proxies too."
    echo
    echo "| proxy | mode | conc | OpenAI RPS | Anthropic RPS | RPS A÷O | OpenAI CPU µs/req | Anthropic CPU µs/req | CPU A÷O | check | direct RPS A÷O | direct CPU A÷O |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|"
    SUMMARY_LINES=()
    for p in "${PROXIES[@]}"; do
      passed=0; total=0
      for s in 0 1; do
        for c in 1 32; do
          ko="openai/$s/$c/$p"; ka="anthropic/$s/$c/$p"
          if ! has_cell anthropic "$p"; then
            echo "| ${PROXY_NAME[$p]} | $(mode_name "$s") | $c | $(printf '%.0f' "${RPS[$ko]}") | n/a | n/a | ${CPU[$ko]} | n/a | n/a | n/a (no Anthropic pass-through) | | |"
            continue
          fi
          verdict=$(awk -v ro="${RPS[$ko]}" -v ra="${RPS[$ka]}" -v co="${CPU[$ko]}" -v ca="${CPU[$ka]}" 'BEGIN {
            ok_r = (ro > 0 && ra >= 0.90 * ro); ok_c = (co > 0 && ca <= 1.10 * co)
            if (ok_r && ok_c) print "PASS"
            else if (!ok_r && !ok_c) print "MISS (RPS and CPU)"
            else if (!ok_r) print "MISS (RPS)"
            else print "MISS (CPU)" }')
          total=$((total + 1)); [[ $verdict == PASS ]] && passed=$((passed + 1))
          if disturbed "$ko" "$ka"; then verdict+=" (disturbed cell)"; fi
          kdo="openai/$s/$c/direct"; kda="anthropic/$s/$c/direct"
          echo "| ${PROXY_NAME[$p]} | $(mode_name "$s") | $c | $(printf '%.0f' "${RPS[$ko]}") | $(printf '%.0f' "${RPS[$ka]}") |" \
            "$(ratio "${RPS[$ka]}" "${RPS[$ko]}" '%.2fx') | ${CPU[$ko]} | ${CPU[$ka]} | $(ratio "${CPU[$ka]}" "${CPU[$ko]}" '%.2fx') | $verdict |" \
            "$(ratio "${RPS[$kda]}" "${RPS[$kdo]}" '%.2fx') | $(ratio "${CPU[$kda]}" "${CPU[$kdo]}" '%.2fx') |"
        done
      done
      if (( total == 0 )); then
        verdict="n/a (no Anthropic pass-through)"
      elif (( passed == total )); then
        verdict="PASS ($passed of $total cells)"
      else
        verdict="MISS ($passed of $total cells pass)"
      fi
      SUMMARY_LINES+=("${PROXY_NAME[$p]}: Anthropic pass-through within 10% of the OpenAI path: $verdict")
    done
    echo
    for l in "${SUMMARY_LINES[@]}"; do echo "- $l"; done
  fi
} >"$REPORT"

echo
cat "$REPORT"
if mkdir -p "$RESULTS_DIR" 2>/dev/null && cp "$REPORT" "$RESULTS_DIR/$(date -u +%Y%m%dT%H%M%SZ).md" 2>/dev/null; then
  log "results also written to $RESULTS_DIR/"
fi
