#!/usr/bin/env bash
# Usage: bench/idle-cold.sh [connections] [runs]   (default 10000 connections, 5 runs per transport: ~3 minutes)
# Issue #3's idle-connection target ("≤ 5 KiB of server memory each, RSS delta / connections") on the
# server as users start it: each run starts a fresh `./switchboard server` (frozen jar, SQLite in a fresh
# folder), reads its RSS (VmRSS) once it answers /healthz and has settled for 2 s, opens N idle SSE
# streams or WebSockets with bench/probe/hold_connections.py (Python's standard library, asyncio: no
# per-connection work after the handshake), reads the RSS again 3 s after the last one is open, and
# stops the server. Cold: nothing warmed the server first, so its first touches of heap pages, JIT code
# and class metadata for these code paths count against the connections. `switchboard bench
# connections` measures the same thing on its own child JVM (warmed and cold); see BENCHMARKS.md.
# One JSON line per run in bench/results/idle-cold-<time>.jsonl, then the medians.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
count=${1:-10000}
runs=${2:-5}
jar=$(snapshot_jar)
label=$(commit_label)
out=$RESULTS/idle-cold-$(date +%Y%m%d-%H%M%S).jsonl
server=""
client=""
data=""
cleanup() {
  set +e
  [ -n "$client" ] && kill "$client" 2>/dev/null
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  [ -n "$data" ] && rm -rf "$data"
}
trap cleanup EXIT
trap 'exit 143' TERM INT
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

for run in $(seq "$runs"); do
  for kind in sse ws; do
    data=$(mktemp -d "$SCRATCH/data.XXXXXX")
    port=$(free_port)
    SWITCHBOARD_JAR=$jar "$REPO/switchboard" server --port "$port" --data "$data" >"$SCRATCH/idle-cold-server.log" 2>&1 &
    server=$!
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
    sleep 2
    before=$(rss_kib "$server")
    log=$(mktemp "$SCRATCH/hold.XXXXXX")
    python3 "$BENCH/probe/hold_connections.py" "$port" "$kind" "$count" 600 >"$log" 2>&1 &
    client=$!
    for _ in $(seq 1200); do grep -q '^open' "$log" && break; kill -0 "$client" 2>/dev/null || break; sleep 0.1; done
    grep -q '^open' "$log" || { echo "the client failed: $(tail -3 "$log")" >&2; exit 1; }
    sleep 3
    after=$(rss_kib "$server")
    kill "$client"; wait "$client" 2>/dev/null || true; client=""
    kill "$server"; wait "$server" 2>/dev/null || true; server=""
    rm -rf "$data" "$log"; data=""
    echo "{\"label\":\"$label\",\"transport\":\"$kind\",\"run\":$run,\"connections\":$count,\"rss_before_kib\":$before,\"rss_after_kib\":$after,\"kib_per_connection\":$(awk -v a="$after" -v b="$before" -v n="$count" 'BEGIN {printf "%.2f", (a - b) / n}'),\"load\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}" | tee -a "$out"
  done
done

python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
for kind in ("sse", "ws"):
    v = sorted(r["kib_per_connection"] for r in rows if r["transport"] == kind)
    print(f"{kind}: median {statistics.median(v):.2f} KiB per connection, runs {v}")
PY
