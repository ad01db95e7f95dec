#!/usr/bin/env bash
# Many concurrently open streams: starts the simulator with slow chunks (STREAMS_INTERVAL_MS between
# chunks, so every stream stays open for seconds) and orchestrator in front of it, samples the idle
# RSS, then opens STREAMS_N streaming chat completions at once (bench/streams-client.mjs, one
# connection each), checks that every stream receives every frame, and samples orchestrator's RSS
# from /proc every 200 ms. Prints one RESULT line and PASS/MISS against issue 9's targets:
#   every stream complete (no dropped frame), peak RSS <= 1 GiB, idle RSS <= 300 MB.
# Raises the open-file limit (ulimit -n) first: each stream is a client and an upstream connection.
#
# Usage: bench/streams.sh                      # STREAMS_N=10000
#        STREAMS_N=1000 bench/streams.sh       # the smoke test
# Environment (all optional):
#   STREAMS_N=10000            concurrent streams
#   STREAMS_CHUNKS=20          content chunks per stream
#   STREAMS_INTERVAL_MS=1000   interval between chunks (a stream lasts about CHUNKS x this)
#   STREAMS_NOFILE=65536       open-file limit to raise to (soft; at most the hard limit)
#   BENCH_JAVA=java            java binary or JDK directory for orchestrator (the simulator uses java on PATH)
#   BENCH_JAVA_OPTS=           e.g. -Xmx512m
#   BENCH_SIM_PORT=18189 BENCH_ORCH_PORT=18100
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
JAR="$ROOT/target/orchestrator.jar"
N="${STREAMS_N:-10000}"
CHUNKS="${STREAMS_CHUNKS:-20}"
INTERVAL="${STREAMS_INTERVAL_MS:-1000}"
NOFILE="${STREAMS_NOFILE:-65536}"
SIM_PORT="${BENCH_SIM_PORT:-18189}"
ORCH_PORT="${BENCH_ORCH_PORT:-18100}"
ORCH_JAVA="${BENCH_JAVA:-java}"; [[ -d "$ORCH_JAVA" ]] && ORCH_JAVA="$ORCH_JAVA/bin/java"
die() { echo "streams: $*" >&2; exit 1; }
log() { echo "streams: $*" >&2; }
for v in N CHUNKS INTERVAL NOFILE SIM_PORT ORCH_PORT; do [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a whole number"; done
for t in java node curl; do command -v "$t" >/dev/null 2>&1 || die "$t not found"; done
[[ -f "$JAR" ]] || die "$JAR missing: mvn -B -DskipTests package first"

# Orchestrator holds 2 descriptors per stream (the client's connection and the upstream one), plus
# ~200 of its own. Raise the hard limit too where allowed (root with CAP_SYS_RESOURCE), else the soft.
ulimit -n "$NOFILE" 2>/dev/null || true
hard=$(ulimit -Hn)
want=$NOFILE; [[ "$hard" != unlimited ]] && (( hard < want )) && want=$hard
ulimit -Sn "$want" || die "cannot raise the open-file limit to $want"
need=$(( 2 * N + 200 ))
(( $(ulimit -Sn) >= need )) || die "open-file limit $(ulimit -Sn) (hard $hard) is below the ~$need orchestrator needs for $N streams (2 per stream): raise the hard limit (e.g. docker run --ulimit nofile=65536, or limits.conf) or lower STREAMS_N"
log "open-file limit $(ulimit -Sn) (hard $hard)"

WORK="$(mktemp -d /tmp/orchestrator-streams.XXXXXX)"
PIDS=()
cleanup() {
  local rc=$? pid
  trap - EXIT INT TERM
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  done
  if (( rc == 0 )); then rm -rf "$WORK"; else log "failed (exit $rc); logs in $WORK"; fi
  exit "$rc"
}
trap cleanup EXIT; trap 'exit 130' INT; trap 'exit 143' TERM
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$SIM_PORT" "$ORCH_PORT"; do port_in_use "$p" && die "port $p is taken"; done
cp "$JAR" "$WORK/orchestrator.jar"; JAR="$WORK/orchestrator.jar"

java -jar "$JAR" simulate --port "$SIM_PORT" >"$WORK/simulator.log" 2>&1 &
SIM_PID=$!; PIDS+=("$SIM_PID")
deadline=$((SECONDS + 60))
until grep -q "simulator listening" "$WORK/simulator.log" 2>/dev/null; do
  kill -0 "$SIM_PID" 2>/dev/null || die "simulator exited; see $WORK/simulator.log"
  (( SECONDS < deadline )) || die "simulator did not start"; sleep 0.2
done
curl -fsS --max-time 5 -o /dev/null -X PUT "http://127.0.0.1:$SIM_PORT/_sim/scenarios/streams" -H 'Content-Type: application/json' \
  -d "{\"latencyMs\":0,\"chunks\":$CHUNKS,\"chunkIntervalMs\":$INTERVAL,\"content\":\"The simulator streams this answer in small pieces, about one token per chunk, as models do.\"}"

# Production defaults except what N streams to one provider need: one upstream connection per
# stream (HTTP/1.1), so the pool and the admission bulkhead are sized for N; server.maxConnections
# leaves room for probes and scrapes above N.
cat >"$WORK/orchestrator.yaml" <<YAML
server:
  maxConnections: $(( N + 1000 ))
providers:
  connectionPool: {maxConnections: $(( N + 100 ))}
  admission: {maxConcurrent: $(( N + 100 )), maxQueued: 1000}
  sim:
    baseUrl: http://127.0.0.1:$SIM_PORT/streams/v1
    apiKeyRequired: false
    model: sim-small
    timeout: 300s
cache:
  enabled: false
YAML
# shellcheck disable=SC2086
ORCHESTRATOR_CONFIG="$WORK/orchestrator.yaml" PORT="$ORCH_PORT" "$ORCH_JAVA" ${BENCH_JAVA_OPTS:-} -jar "$JAR" \
  >/dev/null 2>"$WORK/orchestrator.log" &
ORCH_PID=$!; PIDS+=("$ORCH_PID")
deadline=$((SECONDS + 60))
until curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$ORCH_PORT/readyz" 2>/dev/null; do
  kill -0 "$ORCH_PID" 2>/dev/null || die "orchestrator exited; see $WORK/orchestrator.log"
  (( SECONDS < deadline )) || die "orchestrator not ready"; sleep 0.2
done
log "orchestrator's open-file limit: $(awk '/Max open files/ {print $4 " (hard " $5 ")"}' /proc/$ORCH_PID/limits)"
rss() { awk '/^VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$1/status"; }
# Idle: after start and one request (a gateway that has served nothing is not what runs in production).
curl -fsS -o /dev/null --max-time 60 -X POST "http://127.0.0.1:$ORCH_PORT/v1/chat/completions" -H 'Content-Type: application/json' \
  -d '{"model":"sim-small","messages":[{"role":"user","content":"Say hello"}]}' || die "a first request failed"
sleep 2
IDLE=$(rss "$ORCH_PID")
log "idle RSS ${IDLE} MiB; opening $N streams ($CHUNKS chunks every ${INTERVAL} ms)"

node "$BENCH_DIR/streams-client.mjs" "http://127.0.0.1:$ORCH_PORT/v1/chat/completions" "$N" "$CHUNKS" >"$WORK/client.log" 2>&1 &
CLIENT_PID=$!; PIDS+=("$CLIENT_PID")
PEAK=0; PEAK_OPEN=0
while kill -0 "$CLIENT_PID" 2>/dev/null; do
  r=$(rss "$ORCH_PID" 2>/dev/null || echo 0); (( r > PEAK )) && PEAK=$r
  o=$(curl -fsS --max-time 2 "http://127.0.0.1:$ORCH_PORT/metrics" 2>/dev/null | awk '/^orchestrator_http_connections_open / {print int($2)}' || true)
  [[ -n "$o" ]] && (( o > PEAK_OPEN )) && PEAK_OPEN=$o
  sleep 0.2
done
rc=0; wait "$CLIENT_PID" || rc=$?
cat "$WORK/client.log" >&2
RESULT=$(grep '^RESULT ' "$WORK/client.log" || true)
[[ -n "$RESULT" ]] || die "the client printed no result (exit $rc)"
kill -0 "$ORCH_PID" 2>/dev/null || die "orchestrator died; see $WORK/orchestrator.log"
REFUSED=$(curl -fsS --max-time 5 "http://127.0.0.1:$ORCH_PORT/metrics" | awk '/^orchestrator_http_connections_refused_total/ {s += $2} END {print s + 0}')
complete=$(sed -n 's/.* complete=\([0-9]*\).*/\1/p' <<<"$RESULT")
echo "RESULT n=$N chunks=$CHUNKS interval_ms=$INTERVAL idle_rss_mib=$IDLE peak_rss_mib=$PEAK peak_open_connections=$PEAK_OPEN refused=$REFUSED ${RESULT#RESULT }"
echo "java: $("$ORCH_JAVA" -version 2>&1 | head -1); options: ${BENCH_JAVA_OPTS:-(none)}; load average before/after: $(cut -d' ' -f1-3 /proc/loadavg)"
v() { if eval "$1"; then echo PASS; else echo MISS; fi; }
echo "every stream complete, every frame (no dropped frame): $(v "(( rc == 0 && complete == N ))") ($complete of $N)"
echo "peak RSS <= 1024 MiB: $(v "(( PEAK <= 1024 ))") ($PEAK MiB)"
echo "idle RSS <= 300 MB (286 MiB): $(v "(( IDLE <= 286 ))") ($IDLE MiB)"
