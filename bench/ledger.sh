#!/usr/bin/env bash
# The usage ledger's cost on the request path: the same orchestrator jar with the ledger off and on
# (spool on local disk, fsync none, and optionally always), in front of the provider simulator,
# measured with wrk in interleaved rounds (off, on, off, on, ...), non-streaming and streaming, at
# concurrency 1 (latency) and 32 (throughput). Also prints the ledger's own histogram of the wait an
# answer's end spends on its spool write (orchestrator_ledger_spool_wait_seconds).
#
# Needs: target/orchestrator.jar (mvn -B -o -q -DskipTests package), wrk, PostgreSQL on 127.0.0.1:5432
# (trust auth, user postgres): a database of its own is created and dropped.
# Usage: bench/ledger.sh    (optional: LEDGER_ROUNDS=3 LEDGER_SECONDS=10 LEDGER_FSYNC="none always"
#                           LEDGER_STREAMS="0 1" LEDGER_CONNS="1 32")
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/target/orchestrator.jar"
LUA="$ROOT/bench/wrk/chat.lua"
ROUNDS="${LEDGER_ROUNDS:-3}"
SECS="${LEDGER_SECONDS:-10}"
FSYNCS="${LEDGER_FSYNC:-none}"
SIM_PORT="${LEDGER_SIM_PORT:-18789}" OFF_PORT="${LEDGER_OFF_PORT:-18700}" ON_PORT="${LEDGER_ON_PORT:-18701}"
DB="orchestrator_ledger_bench_$$"
WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
[ -f "$JAR" ] || { echo "build first: mvn -B -o -q -DskipTests package" >&2; exit 1; }
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB" >/dev/null

java -jar "$JAR" simulate --port "$SIM_PORT" >"$WORK/sim.log" 2>&1 & PIDS+=($!)

start() { # start <port> <ledger yaml or empty> <name>
  cat >"$WORK/$3.yaml" <<YAML
server: {port: $1}
reload: {enabled: false}
cache: {enabled: false}
providers:
  sim: {baseUrl: "http://127.0.0.1:$SIM_PORT/bench/v1", apiKeyRequired: false, model: sim-small, timeout: 30s}
$2
YAML
  ORCHESTRATOR_CONFIG="$WORK/$3.yaml" ORCHESTRATOR_SECRETS_DIR=/nonexistent java -jar "$JAR" >"$WORK/$3.log" 2>&1 & PIDS+=($!)
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$1/readyz" >/dev/null && return; sleep 0.2; done
  echo "orchestrator $3 did not start: $(tail -5 "$WORK/$3.log")" >&2; exit 1
}
drive() { # drive <port> <stream 0|1> <conns> <secs> -> RESULT line
  local t=1; [ "$3" -gt 1 ] && t=2
  BENCH_STREAM="$2" wrk -t"$t" -c"$3" -d"${4}s" --timeout 10s --latency -s "$LUA" "http://127.0.0.1:$1/v1/chat/completions" | grep '^RESULT'
}
field() { sed -E "s/.* $1=([^ ]+).*/\1/" <<<"$2"; }

STREAMS="${LEDGER_STREAMS:-0 1}"
CONNS="${LEDGER_CONNS:-1 32}"
for fsync in $FSYNCS; do
  start "$OFF_PORT" "" off
  start "$ON_PORT" "ledger: {enabled: true, url: \"postgresql://127.0.0.1:5432/$DB\", spoolDir: \"$WORK/spool-$fsync\", fsync: $fsync}" "on-$fsync"
  for p in "$OFF_PORT" "$ON_PORT"; do drive "$p" 0 32 15 >/dev/null; drive "$p" 1 32 10 >/dev/null; done # warm-up (C2)
  echo "fsync=$fsync: $ROUNDS interleaved rounds of ${SECS}s per cell (µs; p50/p99 from wrk --latency)"
  printf '%-10s %4s | %-28s | %-28s\n' mode conc "ledger off: rps p50 p99" "ledger on: rps p50 p99"
  for stream in $STREAMS; do
    for conns in $CONNS; do
      for r in $(seq 1 "$ROUNDS"); do
        off="$(drive "$OFF_PORT" "$stream" "$conns" "$SECS")"; on="$(drive "$ON_PORT" "$stream" "$conns" "$SECS")"
        printf '%-10s %4s | %8s %8s %8s | %8s %8s %8s\n' "$([ $stream = 1 ] && echo stream || echo non-stream)" "$conns" \
          "$(field rps "$off")" "$(field p50_us "$off")" "$(field p99_us "$off")" "$(field rps "$on")" "$(field p50_us "$on")" "$(field p99_us "$on")"
      done
    done
  done
  m="$(curl -s "http://127.0.0.1:$ON_PORT/metrics")"
  sum="$(grep '^orchestrator_ledger_spool_wait_seconds_sum' <<<"$m" | awk '{print $2}')"
  cnt="$(grep '^orchestrator_ledger_spool_wait_seconds_count' <<<"$m" | awk '{print $2}')"
  echo "spool wait (the ledger's own histogram): count=$cnt mean_us=$(awk -v s="$sum" -v c="$cnt" 'BEGIN{printf "%.1f", s/c*1e6}')"
  grep '^orchestrator_ledger_spool_wait_seconds_bucket' <<<"$m" | awk -v c="$cnt" '{printf "  %s %.4f\n", $1, $2/c}'
  echo "rows in PostgreSQL: $(psql -h 127.0.0.1 -U postgres -d "$DB" -Atc 'SELECT count(*) FROM usage_ledger'), dropped: $(grep '^orchestrator_ledger_records_dropped_total' <<<"$m" | awk '{s+=$2} END {print s}')"
  kill "${PIDS[-1]}" "${PIDS[-2]}"; wait "${PIDS[-1]}" "${PIDS[-2]}" 2>/dev/null || true; unset 'PIDS[-1]' 'PIDS[-1]'
done
