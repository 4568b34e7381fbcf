#!/usr/bin/env bash
# Usage: bench/all.sh            every figure of bench/README.md, in one session (about 10-15 min)
# Pushpin and Switchboard over SSE, WebSocket and long polling (100x2000, 1000x500, idle10000),
# then durable publish. One frozen jar for the whole session. Lines land in bench/results/*.jsonl;
# bench/report.sh turns them into the README's table.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
export SWITCHBOARD_JAR; SWITCHBOARD_JAR=$(snapshot_jar)
session=$(date -u +%Y%m%dT%H%M%SZ)
export BENCH_SESSION=$session
echo "session $session, jar $SWITCHBOARD_JAR" >&2
for scenario in 100x2000 1000x500 idle10000; do
  for transport in sse ws longpoll; do
    [[ $scenario == idle10000 && $transport == longpoll ]] && continue # a long poll is not an idle connection
    for peer in pushpin switchboard; do
      timeout 400 "$BENCH/peers.sh" "$peer-$transport" "$scenario" >/dev/null || echo "run $peer-$transport $scenario failed" >&2
      tail -1 "$RESULTS/peers.jsonl" | cut -c1-160 >&2
    done
  done
done
timeout 300 "$BENCH/publish.sh" 10
