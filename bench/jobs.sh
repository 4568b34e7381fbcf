#!/usr/bin/env bash
# Usage: bench/jobs.sh [seconds]      (default 10 s per case, after 3 s of warm-up)
# Async jobs, issue #4's figures (frozen jar via ./switchboard, SQLite store in a fresh folder):
#   embedded-max      `switchboard bench jobs --mode embedded`: the bench JVM embeds the server with a no-op
#                     Java handler (256 threads) and submits through the Java API (32 threads): no HTTP
#   in-process-max    `--mode in-process`: the same handler; 64 HTTP submitters, as fast as possible
#   remote-max        a separate server process; 64 HTTP submitters and 64 HTTP workers (long-poll claim,
#                     then complete), as fast as possible
#   remote-batch      the same, each worker claiming up to 16 jobs per request (--claim-max 16, max=16)
#   remote-1000       the same at 1,000 jobs/s offered: submit→complete latency from the job records
# BENCH_SERVER_ARGS="--store postgres --postgres-url …" runs the remote cases against PostgreSQL
# (and skips the embedded ones). Results: a table on stdout, JSON lines in bench/results/jobs.jsonl.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
secs=${1:-10}
jar=$(snapshot_jar)
label=$(commit_label)
record() { echo "$1" | sed '$d'; echo "$1" | tail -1 | sed "s/}\$/,\"commit\":\"$label\",\"date\":\"$(date -u +%FT%TZ)\"}/" >> "$RESULTS/jobs.jsonl"; }
echo "jobs bench, commit $label, $(nproc) cores, ${secs}s per case${BENCH_SERVER_ARGS:+, server: $BENCH_SERVER_ARGS}"
if [ -z "${BENCH_SERVER_ARGS:-}" ]; then # the embedded modes run their own SQLite server
  record "$(SWITCHBOARD_JAR=$jar timeout $((secs + 90)) "$REPO/switchboard" bench jobs --mode embedded --workers 256 --submitters 32 --seconds "$secs")"
  record "$(SWITCHBOARD_JAR=$jar timeout $((secs + 90)) "$REPO/switchboard" bench jobs --mode in-process --seconds "$secs")"
fi
start_server "$jar" "$RESULTS/jobs-server.log"
record "$(SWITCHBOARD_JAR=$jar timeout $((secs + 90)) "$REPO/switchboard" bench jobs --mode remote --url "$url" --seconds "$secs")"
record "$(SWITCHBOARD_JAR=$jar timeout $((secs + 90)) "$REPO/switchboard" bench jobs --mode remote --url "$url" --claim-max 16 --seconds "$secs")"
record "$(SWITCHBOARD_JAR=$jar timeout $((secs + 90)) "$REPO/switchboard" bench jobs --mode remote --url "$url" --rate 1000 --seconds "$secs")"
