#!/usr/bin/env bash
# Time from start to steady-state throughput, as after a rollout: starts the simulator (already warm:
# it is the upstream, not what is measured), then starts orchestrator's JVM (t=0), polls /readyz every
# 50 ms (t_ready), then drives it at once with wrk in 1-second slices at concurrency 32 for
# STARTUP_SLICES seconds. "Steady" is the median RPS of the last 10 slices; start_to_80pct is the time
# from start to the end of the first slice at 80% of steady (the figure to compare); time to steady is the
# end of the first slice after which every slice stays within 10% of steady (a single dip afterwards
# counts: the JIT is not done until the dips are). Prints the slices, one RESULT line, and repeats
# the whole for each variant of STARTUP_VARIANTS:
#   plain   java -jar                                    (what the image did before)
#   cds     -XX:SharedArchiveFile=<archive> built here first with -XX:ArchiveClassesAtExit over a
#           training run (as deploy/Dockerfile does)
#   flags   STARTUP_FLAGS, JIT or GC flags to try (e.g. "-XX:+UseParallelGC" or
#           "-XX:TieredStopAtLevel=1", which starts faster but never reaches C2's steady state)
#   warm    plain, with server.warmUp.duration: STARTUP_WARMUP (10s): ready only after warm-up traffic
#           through a throwaway pipeline in the same JVM
#   cds+warm  both (what the chart and image do)
#   aot     JDK 24+ only (BENCH_JAVA): -XX:AOTCache=<cache> built here first with -XX:AOTCacheOutput over
#           the same training run: classes loaded and linked ahead of time and, from JDK 25 on, the
#           training run's method profiles, so the JIT compiles the hot path sooner (JEP 483, 514, 515)
#   aot+warm  both
#
# Usage: bench/startup.sh
#        STARTUP_VARIANTS="plain cds" STARTUP_SLICES=60 bench/startup.sh
# Environment: STARTUP_VARIANTS="plain cds", STARTUP_SLICES=60, STARTUP_STREAM=0 (1 = streaming), STARTUP_WARMUP=10s,
#   STARTUP_FLAGS=, BENCH_JAVA=java (binary or JDK dir), BENCH_JAVA_OPTS=, BENCH_CHUNKS=20,
#   BENCH_SIM_PORT=18289 BENCH_ORCH_PORT=18200
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
JAR="$ROOT/target/orchestrator.jar"
read -r -a VARIANTS <<<"${STARTUP_VARIANTS:-plain cds}"
SLICES="${STARTUP_SLICES:-60}"
STREAM="${STARTUP_STREAM:-0}"
CHUNKS="${BENCH_CHUNKS:-20}"
SIM_PORT="${BENCH_SIM_PORT:-18289}"
ORCH_PORT="${BENCH_ORCH_PORT:-18200}"
ORCH_JAVA="${BENCH_JAVA:-java}"; [[ -d "$ORCH_JAVA" ]] && ORCH_JAVA="$ORCH_JAVA/bin/java"
die() { echo "startup: $*" >&2; exit 1; }
log() { echo "startup: $*" >&2; }
for v in SLICES STREAM CHUNKS SIM_PORT ORCH_PORT; do [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a whole number"; done
(( SLICES >= 12 )) || die "STARTUP_SLICES must be at least 12 (steady = the last 10)"
for t in java wrk curl; do command -v "$t" >/dev/null 2>&1 || die "$t not found (bench/run.sh installs wrk)"; done
[[ -f "$JAR" ]] || die "$JAR missing: mvn -B -DskipTests package first"

WORK="$(mktemp -d /tmp/orchestrator-startup.XXXXXX)"
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
now_ms() { date +%s%3N; }

java -jar "$JAR" simulate --port "$SIM_PORT" >"$WORK/simulator.log" 2>&1 &
SIM_PID=$!; PIDS+=("$SIM_PID")
deadline=$((SECONDS + 60))
until grep -q "simulator listening" "$WORK/simulator.log" 2>/dev/null; do
  kill -0 "$SIM_PID" 2>/dev/null || die "simulator exited"; (( SECONDS < deadline )) || die "simulator did not start"; sleep 0.2
done
curl -fsS --max-time 5 -o /dev/null -X PUT "http://127.0.0.1:$SIM_PORT/_sim/scenarios/bench" -H 'Content-Type: application/json' \
  -d "{\"latencyMs\":0,\"chunks\":$CHUNKS,\"chunkIntervalMs\":0,\"content\":\"The simulator streams this answer in small pieces, about one token per chunk, as models do.\"}"
sed -e "s|@SIM_PORT@|$SIM_PORT|g" -e "s|@SCENARIO@|bench|g" "$BENCH_DIR/orchestrator.yaml.template" >"$WORK/orchestrator.yaml"
printf 'server:\n  warmUp:\n    duration: %s\n' "${STARTUP_WARMUP:-10s}" | cat - "$WORK/orchestrator.yaml" >"$WORK/orchestrator-warm.yaml"
CONFIG="$WORK/orchestrator.yaml"
URL="http://127.0.0.1:$ORCH_PORT/v1/chat/completions"
# The simulator is the upstream: warm it up first so its JIT is not in the figures.
BENCH_STREAM="$STREAM" wrk -t2 -c32 -d15s -s "$BENCH_DIR/wrk/chat.lua" "http://127.0.0.1:$SIM_PORT/bench/v1/chat/completions" >/dev/null

# start <log> <java options...>: starts orchestrator, sets ORCH_PID
start() {
  local logf=$1; shift
  # shellcheck disable=SC2086
  ORCHESTRATOR_CONFIG="$CONFIG" PORT="$ORCH_PORT" "$ORCH_JAVA" ${BENCH_JAVA_OPTS:-} "$@" -jar "$JAR" \
    >/dev/null 2>"$logf" &
  ORCH_PID=$!; PIDS+=("$ORCH_PID")
}
stop() { kill -TERM "$ORCH_PID" 2>/dev/null || true; wait "$ORCH_PID" 2>/dev/null || true; }

# train <file> <flag> <what>: a training run that writes <file> (start, 10s of load, stop), as deploy/Dockerfile does
train() {
  local file=$1 flag=$2 what=$3 logf="$WORK/train-$(basename "$1").log"
  log "building $what: a training run with ${flag%%=*} (start, 10s of load, stop)"
  start "$logf" "$flag"
  until curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$ORCH_PORT/readyz" 2>/dev/null; do
    kill -0 "$ORCH_PID" 2>/dev/null || die "training run exited; see $logf"; sleep 0.1
  done
  BENCH_STREAM=0 wrk -t1 -c4 -d5s -s "$BENCH_DIR/wrk/chat.lua" "$URL" >/dev/null
  BENCH_STREAM=1 wrk -t1 -c4 -d5s -s "$BENCH_DIR/wrk/chat.lua" "$URL" >/dev/null
  stop
  [[ -f "$file" ]] || die "no $what written; see $logf"
}

for variant in "${VARIANTS[@]}"; do
  opts=()
  CONFIG="$WORK/orchestrator.yaml"
  case $variant in
    plain) ;;
    warm) CONFIG="$WORK/orchestrator-warm.yaml" ;;
    aot|aot+warm)
      [[ -f "$WORK/orchestrator.aot" ]] || train "$WORK/orchestrator.aot" "-XX:AOTCacheOutput=$WORK/orchestrator.aot" \
        "the AOT cache (JDK 24+)"
      opts=("-XX:AOTCache=$WORK/orchestrator.aot")
      [[ $variant == aot+warm ]] && CONFIG="$WORK/orchestrator-warm.yaml" ;;
    cds|cds+warm)
      [[ -f "$WORK/orchestrator.jsa" ]] || train "$WORK/orchestrator.jsa" "-XX:ArchiveClassesAtExit=$WORK/orchestrator.jsa" \
        "the AppCDS archive"
      opts=("-XX:SharedArchiveFile=$WORK/orchestrator.jsa")
      [[ $variant == cds+warm ]] && CONFIG="$WORK/orchestrator-warm.yaml" ;;
    flags) read -r -a opts <<<"${STARTUP_FLAGS:-}" ;;
    *) die "unknown variant '$variant' (plain, cds, warm, cds+warm, aot, aot+warm, flags)" ;;
  esac
  sleep 2
  t0=$(now_ms)
  start "$WORK/$variant.log" "${opts[@]}"
  until curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$ORCH_PORT/readyz" 2>/dev/null; do
    kill -0 "$ORCH_PID" 2>/dev/null || die "orchestrator exited; see $WORK/$variant.log"
    (( $(now_ms) - t0 < 60000 )) || die "not ready within 60s"
    sleep 0.05
  done
  ready=$(( $(now_ms) - t0 ))
  rps=()
  for (( i = 0; i < SLICES; i++ )); do
    out=$(BENCH_STREAM="$STREAM" wrk -t2 -c32 -d1s --timeout 10s -s "$BENCH_DIR/wrk/chat.lua" "$URL" 2>&1 | grep '^RESULT ' || true)
    r=$(sed -n 's/.* rps=\([0-9.]*\).*/\1/p' <<<"$out"); rps+=("${r:-0}")
  done
  stop
  steady=$(printf '%s\n' "${rps[@]: -10}" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }')
  # first index from which every slice is within 10% of steady
  at=$(printf '%s\n' "${rps[@]}" | awk -v s="$steady" '{ r[NR] = $1 } END {
    k = NR; for (i = NR; i >= 1; i--) { d = r[i] - s; if (d < 0) d = -d; if (d > 0.1 * s) break; k = i } print k }')
  # slices are ~1s of load plus wrk's start-up; time to steady = ready + at slices
  # the first slice that reaches 80% of steady: on a shared 2-core machine slices move by +-15%, which
  # makes "within 10% from then on" land near the end of any run; this one is the robust figure
  at80=$(printf '%s\n' "${rps[@]}" | awk -v s="$steady" '{ if (!k && $1 >= 0.8 * s) k = NR } END { print k ? k : NR }')
  echo "slices ($variant, rps): ${rps[*]}"
  echo "RESULT variant=$variant stream=$STREAM ready_ms=$ready first_slice_rps=${rps[0]} steady_rps=$steady" \
    "ready_to_80pct_s=$at80 start_to_80pct_s=$(awk -v r="$ready" -v a="$at80" 'BEGIN { printf "%.1f", r / 1000 + a }')" \
    "steady_after_slices=$at time_to_steady_s=$(awk -v r="$ready" -v a="$at" 'BEGIN { printf "%.1f", r / 1000 + a }')"
done
echo "java: $("$ORCH_JAVA" -version 2>&1 | head -1); options: ${BENCH_JAVA_OPTS:-(none)}; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
