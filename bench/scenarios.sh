#!/usr/bin/env bash
# The end-to-end scenarios of `switchboard bench` (patterns, fanout, connections, http2, publish,
# ceiling), one after the other, on a frozen build; each starts its own server process(es). Then the
# one-page report: bench/report/latest.html (committed) and a PNG screenshot of it when headless
# Chromium is there. Usage: bench/scenarios.sh [seconds per case] [postgres url]
# Commands and method: BENCHMARKS.md.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
seconds=${1:-5}
postgres=${2:-}
jar=$(snapshot_jar)
jdk=$(bench_java)
out=$RESULTS/scenarios-$(date -u +%Y%m%dT%H%M%SZ)
bench() { "$jdk/bin/java" --enable-native-access=ALL-UNNAMED -jar "$jar" bench "$@" --seconds "$seconds" --out "$out"; }

bench patterns
bench fanout
bench connections
bench http2
bench publish ${postgres:+--postgres-url "$postgres"}
bench ceiling
mkdir -p "$BENCH/report"
"$jdk/bin/java" -jar "$jar" bench report --in "$out" --out "$BENCH/report/latest.html"
if command -v chromium >/dev/null; then
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1000,4200 \
    --screenshot="$BENCH/report/latest.png" "file://$BENCH/report/latest.html" 2>/dev/null
fi
