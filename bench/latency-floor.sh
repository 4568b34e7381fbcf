#!/usr/bin/env bash
# Usage: bench/latency-floor.sh [seconds] [rate]   (default 10 s per case at 200/s: about 2 minutes)
# Where the publish→delivery p99 of the patterns scenario goes (issue #3's 1.5 ms target), measured with
# bench/probe/LatencyProbe.java (blocking sockets, no HTTP library) so that the generator adds as little
# as it can. On one fresh server per store (memory, then the default SQLite), at the same rate:
#   1. GET /healthz round trips: one HTTP exchange on an event loop, the machine's floor at this rate;
#   2. publish round trips (durability=async) with 1 SSE subscriber, and the deliveries;
#   3. the same with 100 SSE subscribers (rate × 100 deliveries/s, the target's load).
# Then, side by side in the same run, the same publisher and subscriber loop against the peers the issue
# quotes, when they listen on this machine: NATS core on 127.0.0.1:4222 and Mosquitto (MQTT 3.1.1, QoS 0)
# on 127.0.0.1:1883, with 1 and 100 subscribers (PEERS=0 leaves them out).
# One JSON line per case in bench/results/latency-floor-<time>.jsonl, and a table on stdout.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
secs=${1:-10}
rate=${2:-200}
jdk=$(bench_java)
jar=$(snapshot_jar)
out=$RESULTS/latency-floor-$(date +%Y%m%d-%H%M%S).jsonl
label=$(commit_label)
server=""
data=""
cleanup() { set +e; [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null; [ -n "$data" ] && rm -rf "$data"; }
trap cleanup EXIT
trap 'exit 143' TERM INT

probe() { "$jdk/bin/java" -XX:+UseSerialGC -Xms256m -Xmx256m "$BENCH/probe/LatencyProbe.java" "$@"; }

for store in memory sqlite; do
  data=$(mktemp -d "$SCRATCH/data.XXXXXX")
  port=$(free_port)
  SWITCHBOARD_JAR=$jar "$REPO/switchboard" server --port "$port" --data "$data" --store "$store" >"$SCRATCH/latency-floor-$store.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
  for c in "healthz 0" "publish 1" "publish 100"; do
    set -- $c
    [ "$store" = sqlite ] && [ "$1" = healthz ] && continue # the store plays no part in it
    line=$(probe "$port" "$1" "$rate" "$2" "$secs")
    echo "{\"label\":\"$label\",\"store\":\"$store\",\"load\":\"$(cut -d' ' -f1-3 /proc/loadavg)\",\"result\":$line}" | tee -a "$out" >/dev/null
  done
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
  rm -rf "$data"; data=""
done

peer_up() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [ "${PEERS:-1}" != 0 ]; then
  for peer in "nats 4222" "mosquitto 1883"; do
    set -- $peer
    name=$1 port=$2
    if ! peer_up "$port"; then echo "$name: nothing listens on 127.0.0.1:$port, left out" >&2; continue; fi
    mode=$([ "$name" = nats ] && echo nats || echo mqtt)
    for subs in 1 100; do
      line=$(probe "$port" "$mode" "$rate" "$subs" "$secs")
      echo "{\"label\":\"$label\",\"store\":\"$name\",\"load\":\"$(cut -d' ' -f1-3 /proc/loadavg)\",\"result\":$line}" | tee -a "$out" >/dev/null
    done
  done
fi

python3 - "$out" <<'PY'
import json, sys
print(f"| server | case | round trip p50 / p99 / p99.9 ms | delivery p50 / p99 / p99.9 ms | load |")
print("|---|---|---|---|---|")
for line in open(sys.argv[1]):
    r = json.loads(line); x = r["result"]
    rt = x["round_trip"]; d = x.get("delivery")
    via = {"publish": "SSE", "nats": "NATS", "mqtt": "MQTT"}.get(x["mode"])
    case = "GET /healthz" if x["mode"] == "healthz" else f"publish, {x['subscribers']} {via}"
    ds = f"{d['p50_ms']} / {d['p99_ms']} / {d['p999_ms']}" if d else "—"
    print(f"| {r['store']} | {case} | {rt['p50_ms']} / {rt['p99_ms']} / {rt['p999_ms']} | {ds} | {r['load']} |")
PY
