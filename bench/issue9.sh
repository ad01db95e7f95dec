#!/usr/bin/env bash
# Issue 9's whole measurement, in order, for a quiet machine: waits until the load average is low,
# then runs bench/run.sh on JDK 17 and JDK 25, bench/profile.sh (both modes), bench/streams.sh
# (10,000 streams, with and without -Xmx512m) and bench/startup.sh (both modes), and keeps every
# report in one directory. About 90 minutes. Each step's failure is recorded and the next step runs.
#
# Usage: bench/issue9.sh
# Environment: ISSUE9_MAX_LOAD=0.5 (1-minute load average to wait for), ISSUE9_WAIT_MINUTES=30,
#   ISSUE9_JDK25=/usr/lib/jvm/temurin-25-jdk-amd64, ISSUE9_STREAMS=10000, ISSUE9_OUT=bench/results/issue9-<time>
set -uo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
MAX_LOAD="${ISSUE9_MAX_LOAD:-0.5}"
WAIT_MIN="${ISSUE9_WAIT_MINUTES:-30}"
JDK25="${ISSUE9_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
STREAMS="${ISSUE9_STREAMS:-10000}"
OUT="${ISSUE9_OUT:-$BENCH_DIR/results/issue9-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"
log() { echo "issue9: $*" | tee -a "$OUT/steps.log" >&2; }

wait_quiet() {
  local deadline=$((SECONDS + WAIT_MIN * 60)) l
  while :; do
    l=$(cut -d' ' -f1 /proc/loadavg)
    awk -v l="$l" -v m="$MAX_LOAD" 'BEGIN { exit !(l <= m) }' && return 0
    (( SECONDS < deadline )) || { log "load average $l still above $MAX_LOAD after ${WAIT_MIN} min: stopping (figures would not be measurements)"; exit 1; }
    sleep 15
  done
}
# step <name> <command...>: waits for a quiet machine, runs the command, keeps stdout and stderr.
step() {
  local name=$1; shift
  wait_quiet
  log "$name: start (load $(cut -d' ' -f1-3 /proc/loadavg))"
  if "$@" >"$OUT/$name.md" 2>"$OUT/$name.log"; then log "$name: done"; else log "$name: FAILED (exit $?), see $OUT/$name.log"; fi
}

(cd "$ROOT" && mvn -B -q -DskipTests package) || { log "build failed"; exit 1; }
"$BENCH_DIR/setup-peer.sh" 2>&1 | tee -a "$OUT/steps.log"
command -v haproxy >/dev/null 2>&1 || log "NOTE: no haproxy (apt-get install haproxy adds the column)"

step run-jdk17 "$BENCH_DIR/run.sh"
if [[ -x "$JDK25/bin/java" ]]; then
  step run-jdk25 env BENCH_JAVA="$JDK25" "$BENCH_DIR/run.sh"
else
  log "NOTE: no JDK 25 at $JDK25: no JDK 25 run"
fi
step profile-nonstream env PROFILE_STREAM=0 PROFILE_OUT="$OUT/profile-nonstream" "$BENCH_DIR/profile.sh"
step profile-stream env PROFILE_STREAM=1 PROFILE_OUT="$OUT/profile-stream" "$BENCH_DIR/profile.sh"
step streams env STREAMS_N="$STREAMS" "$BENCH_DIR/streams.sh"
step streams-xmx512m env STREAMS_N="$STREAMS" BENCH_JAVA_OPTS=-Xmx512m "$BENCH_DIR/streams.sh"
step startup-nonstream env STARTUP_VARIANTS="plain cds" "$BENCH_DIR/startup.sh"
step startup-stream env STARTUP_STREAM=1 STARTUP_VARIANTS="plain cds" "$BENCH_DIR/startup.sh"
log "all reports in $OUT (paste them into docs/PERFORMANCE.md, section \"Issue 9\")"
