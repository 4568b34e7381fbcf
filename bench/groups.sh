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
start_server "$jar" "$RESULTS/groups-server.log"
echo "groups bench, commit $label, $(nproc) cores, ${secs}s per case"
for case in "ws 0" "long-poll 0" "ws 5000" "long-poll 5000"; do
  set -- $case
  out=$(SWITCHBOARD_JAR=$jar timeout $((secs + 60)) "$REPO/switchboard" bench groups --url "$url" --via "$1" --rate "$2" --seconds "$secs")
  echo "$out" | sed '$d'
  echo "$out" | tail -1 | sed "s/}\$/,\"commit\":\"$label\",\"date\":\"$(date -u +%FT%TZ)\"}/" >> "$RESULTS/groups.jsonl"
done
