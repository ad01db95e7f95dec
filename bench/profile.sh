#!/usr/bin/env bash
# Where does orchestrator spend its CPU under load? Starts the simulator and orchestrator (same
# config as bench/run.sh, no nginx), warms up, then records a JDK Flight Recorder profile of
# orchestrator while wrk drives it, and prints the hottest frames: by top frame (self time), by
# package of the top frame, and inclusive counts of orchestrator's own methods. Also keeps a few
# jcmd Thread.print samples. Bounded; traffic only to 127.0.0.1; all children stopped on exit.
#
# Usage: bench/profile.sh
# Environment (all optional):
#   PROFILE_SECONDS=20   recorded seconds of load
#   PROFILE_STREAM=0     1 = streaming requests
#   PROFILE_CONNS=32     wrk connections (threads: 1 when 1 connection, else 2)
#   PROFILE_PERIOD_MS=2  JFR's Java sampling period per thread (its "profile" settings say 10 ms, which
#                        gives only ~600 samples in 20 s on two event loops: too few to rank µs-sized costs)
#   PROFILE_WARMUP_SECONDS=45  load before recording: C2 needs tens of seconds on 2 busy cores
#   PROFILE_OUT=<dir>    keep the recording, thread dumps and the report there (default: a temp dir,
#                        printed at the end and kept)
#   BENCH_CHUNKS=20      content chunks per stream (the scenario is bench/run.sh's; streams ask for
#                        stream_options.include_usage, see bench/wrk/chat.lua)
#   BENCH_SIM_PORT=18089 BENCH_ORCH_PORT=18000 BENCH_JAVA_OPTS= BENCH_SIM_JAVA_OPTS=
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
JAR="$ROOT/target/orchestrator.jar"
SECS="${PROFILE_SECONDS:-20}"
STREAM="${PROFILE_STREAM:-0}"
CONNS="${PROFILE_CONNS:-32}"
PERIOD="${PROFILE_PERIOD_MS:-2}"
WARMUP="${PROFILE_WARMUP_SECONDS:-45}"
CHUNKS="${BENCH_CHUNKS:-20}"
SIM_PORT="${BENCH_SIM_PORT:-18089}"
ORCH_PORT="${BENCH_ORCH_PORT:-18000}"
SCENARIO="bench"
OUT="${PROFILE_OUT:-$(mktemp -d /tmp/orchestrator-profile.XXXXXX)}"
mkdir -p "$OUT"

die() { echo "profile: $*" >&2; exit 1; }
log() { echo "profile: $*" >&2; }
for v in SECS STREAM CONNS PERIOD WARMUP CHUNKS SIM_PORT ORCH_PORT; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a whole number, got '${!v}'"
done
for tool in java jcmd jfr wrk curl; do command -v "$tool" >/dev/null 2>&1 || die "$tool not found (bench/run.sh installs wrk)"; done
[[ -f "$JAR" ]] || die "$JAR missing: run bench/run.sh or mvn -DskipTests package first"

cp "$JAR" "$OUT/orchestrator.jar"   # a rebuild of target/ must not pull classes from under the JVMs
JAR="$OUT/orchestrator.jar"

PIDS=()
cleanup() {
  local rc=$? pid
  trap - EXIT INT TERM
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$SIM_PORT" "$ORCH_PORT"; do port_in_use "$p" && die "port $p on 127.0.0.1 is already taken"; done

# shellcheck disable=SC2086
java ${BENCH_SIM_JAVA_OPTS:-} -jar "$JAR" simulate --port "$SIM_PORT" >"$OUT/simulator.log" 2>&1 &
SIM_PID=$!; PIDS+=("$SIM_PID")
deadline=$((SECONDS + 60))
until grep -q "simulator listening" "$OUT/simulator.log" 2>/dev/null; do
  kill -0 "$SIM_PID" 2>/dev/null || die "simulator exited; see $OUT/simulator.log"
  (( SECONDS < deadline )) || die "simulator did not start within 60s"
  sleep 0.2
done
curl -fsS --max-time 5 -o /dev/null -X PUT "http://127.0.0.1:$SIM_PORT/_sim/scenarios/$SCENARIO" \
  -H 'Content-Type: application/json' \
  -d "{\"latencyMs\":0,\"chunks\":$CHUNKS,\"chunkIntervalMs\":0,\"content\":\"The simulator streams this answer in small pieces, about one token per chunk, as models do.\"}"

sed -e "s|@SIM_PORT@|$SIM_PORT|g" -e "s|@SCENARIO@|$SCENARIO|g" \
  "$BENCH_DIR/orchestrator.yaml.template" >"$OUT/orchestrator.yaml"
# shellcheck disable=SC2086
ORCHESTRATOR_CONFIG="$OUT/orchestrator.yaml" PORT="$ORCH_PORT" \
  java ${BENCH_JAVA_OPTS:-} -jar "$JAR" >/dev/null 2>"$OUT/orchestrator.log" &
ORCH_PID=$!; PIDS+=("$ORCH_PID")
deadline=$((SECONDS + 60))
until curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$ORCH_PORT/readyz" 2>/dev/null; do
  kill -0 "$ORCH_PID" 2>/dev/null || die "orchestrator exited; see $OUT/orchestrator.log"
  (( SECONDS < deadline )) || die "orchestrator not ready within 60s"
  sleep 0.2
done

URL="http://127.0.0.1:$ORCH_PORT/v1/chat/completions"
THREADS=1; if (( CONNS > 1 )); then THREADS=2; fi
load() { BENCH_STREAM="$STREAM" timeout $(($1 + 30)) wrk -t"$THREADS" -c"$CONNS" -d"$1s" --timeout 10s --latency \
  -s "$BENCH_DIR/wrk/chat.lua" "$URL"; }

log "warming up orchestrator (${WARMUP}s)"
load "$WARMUP" >/dev/null
log "recording ${SECS}s of load (stream=$STREAM, c=$CONNS) with JFR; output in $OUT"
java_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
sed -E "/name=\"jdk.ExecutionSample\"/,/<\/event>/ s|<setting name=\"period\"([^>]*)>[^<]*<|<setting name=\"period\"\1>${PERIOD} ms<|" \
  "$java_home/lib/jfr/profile.jfc" >"$OUT/profile.jfc"
jcmd "$ORCH_PID" JFR.start name=bench settings="$OUT/profile.jfc" filename="$OUT/orchestrator.jfr" >/dev/null
load "$SECS" >"$OUT/wrk.txt" &
WRK_PID=$!; PIDS+=("$WRK_PID")
sleep $(( SECS / 2 ))
for i in 1 2 3; do jcmd "$ORCH_PID" Thread.print >"$OUT/threads-$i.txt" 2>&1 || true; sleep 0.5; done
wait "$WRK_PID" || die "wrk failed: $(cat "$OUT/wrk.txt")"
jcmd "$ORCH_PID" JFR.stop name=bench >/dev/null
grep '^RESULT ' "$OUT/wrk.txt" >&2 || true

jfr print --events jdk.ExecutionSample --stack-depth 64 "$OUT/orchestrator.jfr" >"$OUT/samples.txt"
{
  echo "# orchestrator CPU profile: JFR execution samples, stream=$STREAM c=$CONNS, ${SECS}s"
  grep '^RESULT ' "$OUT/wrk.txt" || true
  awk '
    /^jdk.ExecutionSample/ { if (n > 0 && near == "") nearCount["(no orchestrator frame on the stack: I/O and framework)"]++
                             n++; depth = -1; near = ""; delete seen; next }
    /stackTrace = \[/ { depth = 0; next }
    depth >= 0 && /^[[:space:]]*\]/ { depth = -1; next }
    depth >= 0 {
      f = $0; sub(/^[[:space:]]+/, "", f); sub(/[[:space:]]+line:.*/, "", f)
      if (f == "...") next
      if (depth == 0) {
        self[f]++
        p = f; sub(/\.[^.]*\(.*$/, "", p)          # drop method: class
        k = split(p, parts, "."); pkg = parts[1]
        for (i = 2; i <= (k < 4 ? k - 1 : 3); i++) pkg = pkg "." parts[i]
        bypkg[pkg]++
      }
      if (f ~ /^dev\.ossaat\./ && !(f in seen)) { seen[f] = 1; incl[f]++ }
      if (f ~ /^dev\.ossaat\./ && near == "") { near = f; nearCount[f]++ }
      depth++
    }
    END {
      if (n > 0 && near == "") nearCount["(no orchestrator frame on the stack: I/O and framework)"]++
      printf "samples: %d\n\n## top frames (self)\n", n
      for (f in self) printf "%6d %5.1f%%  %s\n", self[f], 100 * self[f] / n, f | "sort -rn | head -30"
      close("sort -rn | head -30")
      printf "\n## package of the top frame\n"
      for (p in bypkg) printf "%6d %5.1f%%  %s\n", bypkg[p], 100 * bypkg[p] / n, p | "sort -rn | head -20"
      close("sort -rn | head -20")
      printf "\n## orchestrator methods anywhere on the stack (inclusive)\n"
      for (f in incl) printf "%6d %5.1f%%  %s\n", incl[f], 100 * incl[f] / n, f | "sort -rn | head -30"
      close("sort -rn | head -30")
      printf "\n## nearest orchestrator frame (the orchestrator code that led to the sampled work)\n"
      for (f in nearCount) printf "%6d %5.1f%%  %s\n", nearCount[f], 100 * nearCount[f] / n, f | "sort -rn | head -25"
      close("sort -rn | head -25")
    }' "$OUT/samples.txt"
} >"$OUT/report.txt"
cat "$OUT/report.txt"
log "recording, thread dumps and report kept in $OUT (open orchestrator.jfr in JDK Mission Control for more)"
