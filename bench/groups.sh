#!/usr/bin/env bash
# Usage: bench/groups.sh [seconds]      (default 10 s per case, after 3 s of warm-up)
# Consumer groups, issue #5's figures, against a fresh server (frozen jar via ./switchboard, fresh
# data folder, SQLite store, durability=sync publishing in NDJSON batches of 100 100-byte messages):
#   ws-max        one group of 4 WebSocket consumers (prefetch window 1,000), as fast as possible
#   poll-max      one group of 4 HTTP long-poll consumers (fetch max=100, one ack per fetch), as fast as possible
#   ws-5000       the same WebSocket group at 5,000 msg/s: publish→delivery latency
#   poll-5000     the same long-poll group at 5,000 msg/s
# Load generator: `switchboard bench groups` (switchboard-bench's GroupBench: JDK HttpClient/WebSocket,
# HdrHistogram), in its own JVM. Results: a table on stdout, JSON lines in bench/results/groups.jsonl.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
secs=${1:-10}
jar=$(snapshot_jar)
label=$(commit_label)
data=$(mktemp -d "$SCRATCH/data.XXXXXX")
port=$(free_port)
log=$RESULTS/groups-server.log
SERVER=""
cleanup() { set +e; [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null; rm -rf "$data"; }
trap cleanup EXIT
trap 'exit 143' TERM INT
# shellcheck disable=SC2086 # BENCH_SERVER_ARGS holds several flags on purpose
SWITCHBOARD_JAR=$jar "$REPO/switchboard" server --port "$port" --data "$data" ${BENCH_SERVER_ARGS:-} >"$log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
url=http://127.0.0.1:$port
echo "groups bench, commit $label, $(nproc) cores, ${secs}s per case"
for case in "ws 0" "long-poll 0" "ws 5000" "long-poll 5000"; do
  set -- $case
  out=$(SWITCHBOARD_JAR=$jar timeout $((secs + 60)) "$REPO/switchboard" bench groups --url "$url" --via "$1" --rate "$2" --seconds "$secs")
  echo "$out" | sed '$d'
  echo "$out" | tail -1 | sed "s/}\$/,\"commit\":\"$label\",\"date\":\"$(date -u +%FT%TZ)\"}/" >> "$RESULTS/groups.jsonl"
done
