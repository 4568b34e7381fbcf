#!/usr/bin/env bash
# Usage: bench/postgres.sh [postgres-url] [seconds]   (default postgresql://postgres@127.0.0.1:5432/test, 10 s)
# Issue #6's figures on PostgreSQL: durable publish (bench/publish.sh: batches and single publishes,
# sync beside async), jobs with remote HTTP workers (bench/jobs.sh), and the pooling pattern
# (`switchboard bench pool`: HikariCP's hot connections against a new connection per operation).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
url=${1:-postgresql://postgres@127.0.0.1:5432/test}
secs=${2:-10}
export BENCH_SERVER_ARGS="--store postgres --postgres-url $url"
"$BENCH/publish.sh" "$secs"
BENCH_BUILD=0 "$BENCH/jobs.sh" "$secs"
jar=$(BENCH_BUILD=0 snapshot_jar)
out=$(SWITCHBOARD_JAR=$jar timeout $((secs * 2 + 60)) "$REPO/switchboard" bench pool --postgres-url "$url" --seconds "$secs")
echo "$out" | sed '$d'
echo "$out" | tail -1 | sed "s/}\$/,\"commit\":\"$(commit_label)\",\"date\":\"$(date -u +%FT%TZ)\"}/" >> "$RESULTS/pool.jsonl"
