#!/usr/bin/env bash
# Usage: bench/jobs.sh [seconds]      (default 10 s per case, after 3 s of warm-up)
# Async jobs, issue #4's figures (frozen jar via ./switchboard, SQLite store in a fresh folder):
#   embedded-max      `switchboard bench jobs --mode embedded`: the bench JVM embeds the server with a no-op
#                     Java handler (256 threads) and submits through the Java API (32 threads): no HTTP
#   in-process-max    `--mode in-process`: the same handler; 64 HTTP submitters, as fast as possible
#   remote-max        a separate server process; 64 HTTP submitters and 64 HTTP workers (long-poll claim,
#                     then complete), as fast as possible
#   remote-1000       the same at 1,000 jobs/s offered: submit→complete latency from the job records
# BENCH_SERVER_ARGS="--store postgres --postgres-url …" runs the remote cases against PostgreSQL
# (and skips the embedded ones). Results: a table on stdout, JSON lines in bench/results/jobs.jsonl.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
secs=${1:-10}
jar=$(snapshot_jar)
label=$(commit_label)
data=$(mktemp -d "$SCRATCH/data.XXXXXX")
port=$(free_port)
log=$RESULTS/jobs-server.log
SERVER=""
cleanup() { set +e; [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null; rm -rf "$data"; }
trap cleanup EXIT
trap 'exit 143' TERM INT
record() { echo "$1" | sed '$d'; echo "$1" | tail -1 | sed "s/}\$/,\"commit\":\"$label\",\"date\":\"$(date -u +%FT%TZ)\"}/" >> "$RESULTS/jobs.jsonl"; }
echo "jobs bench, commit $label, $(nproc) cores, ${secs}s per case${BENCH_SERVER_ARGS:+, server: $BENCH_SERVER_ARGS}"
if [ -z "${BENCH_SERVER_ARGS:-}" ]; then # the embedded modes run their own SQLite server
  record "$(SWITCHBOARD_JAR=$jar timeout $((secs + 90)) "$REPO/switchboard" bench jobs --mode embedded --workers 256 --submitters 32 --seconds "$secs")"
  record "$(SWITCHBOARD_JAR=$jar timeout $((secs + 90)) "$REPO/switchboard" bench jobs --mode in-process --seconds "$secs")"
fi
# shellcheck disable=SC2086 # BENCH_SERVER_ARGS holds several flags on purpose
SWITCHBOARD_JAR=$jar "$REPO/switchboard" server --port "$port" --data "$data" ${BENCH_SERVER_ARGS:-} >"$log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
url=http://127.0.0.1:$port
record "$(SWITCHBOARD_JAR=$jar timeout $((secs + 90)) "$REPO/switchboard" bench jobs --mode remote --url "$url" --seconds "$secs")"
record "$(SWITCHBOARD_JAR=$jar timeout $((secs + 90)) "$REPO/switchboard" bench jobs --mode remote --url "$url" --rate 1000 --seconds "$secs")"
