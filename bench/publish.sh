#!/usr/bin/env bash
# Usage: bench/publish.sh [seconds]      (default 10 s per case)
# Durable publish throughput, durability=sync beside durability=async, against a fresh server
# (frozen jar via ./switchboard, fresh data folder, SQLite store):
#   single-64   64 concurrent publishers, one 100-byte JSON message per request, keep-alive HTTP/1.1
#   batch-1000  NDJSON batches of 1,000 100-byte messages, 4 connections
#   serial-1    one publisher, one message at a time (the round trip the peer harness sees)
# Load generator: wrk (Debian; installed when missing) with bench/wrk/publish.lua, 1 thread so it
# leaves a core to the server (its CPU is reported). After each case the topic's last offset is
# read back and must be >= the acknowledged messages (each case uses a fresh topic).
# Results: a table on stdout and JSON lines in bench/results/publish.jsonl.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
secs=${1:-10}
command -v wrk >/dev/null || { apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }; }
jar=$(snapshot_jar)
SWITCHBOARD_JAR=$jar
label=$(commit_label)
store=$(echo " ${BENCH_SERVER_ARGS:-}" | sed -n 's/.* --store \([a-z]*\).*/\1/p'); store=${store:-sqlite}
start_server "$jar" "$RESULTS/publish-server.log"
# Warm the JIT a little (bounded), so the first case is not measured cold.
TOPIC=warm DURABILITY=async BATCH=0 timeout 30 wrk -t1 -c8 -d3s -s "$REPO/bench/wrk/publish.lua" "$url" >/dev/null

cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
run_case() { # name conns batch durability
  local name=$1 conns=$2 batch=$3 dur=$4 topic="pub-$1-$4-$$"
  local t0 c0 out c1 t1
  t0=$(date +%s%N); c0=$(cpu_ticks "$SERVER")
  out=$(TOPIC=$topic DURABILITY=$dur BATCH=$batch timeout $((secs + 30)) \
    wrk -t1 -c"$conns" -d"${secs}s" --latency -s "$REPO/bench/wrk/publish.lua" "$url")
  c1=$(cpu_ticks "$SERVER"); t1=$(date +%s%N)
  local reqs errs p50 p99 last
  reqs=$(echo "$out" | awk '/requests in/ {print $1}')
  errs=$(echo "$out" | awk '/Non-2xx/ {print $NF}'); errs=${errs:-0}
  p50=$(echo "$out" | awk '$1=="50%" {print $2}'); p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  last=$(curl -s "$url/v1/topics/$topic" | sed -n 's/.*"last":\([0-9]*\).*/\1/p')
  local per=$(( batch > 0 ? batch : 1 ))
  local msgs=$(( (reqs - errs) * per ))
  local wall_ms=$(( (t1 - t0) / 1000000 ))
  local rate=$(( msgs * 1000 / (secs * 1000) ))
  local cpu=$(( (c1 - c0) * 1000 / $(getconf CLK_TCK) * 100 / wall_ms ))
  local ok=true; [ "${last:-0}" -ge "$msgs" ] || ok=false
  printf '%-11s %-6s %10s msg/s  req p50 %-8s p99 %-8s  errors %-4s server cpu %3s%%  stored>=acked %s\n' \
    "$name" "$dur" "$rate" "$p50" "$p99" "$errs" "$cpu" "$ok"
  printf '{"bench":"publish","store":"%s","case":"%s","durability":"%s","conns":%d,"batch":%d,"secs":%d,"requests":%d,"errors":%d,"msgs_per_s":%d,"p50":"%s","p99":"%s","server_cpu_pct":%d,"stored_last":%s,"stored_ok":%s,"commit":"%s","date":"%s"}\n' \
    "$store" "$name" "$dur" "$conns" "$batch" "$secs" "$reqs" "$errs" "$rate" "$p50" "$p99" "$cpu" "${last:-0}" "$ok" "$label" "$(date -u +%FT%TZ)" \
    >> "$RESULTS/publish.jsonl"
}
echo "publish bench, commit $label, store $store, $(nproc) cores, ${secs}s per case, wrk 1 thread"
for dur in sync async; do
  run_case single-64 64 0 "$dur"
  run_case batch-1000 4 1000 "$dur"
  run_case serial-1 1 0 "$dur"
done
