#!/usr/bin/env bash
# Usage: bench/sidecar.sh [seconds]   (default 10 s per case, 3 rounds: about 5 minutes in all, plus a build)
# The sidecar's added latency and throughput (issue #9): one upstream (nginx returning a static 17-byte
# response), reached three ways — directly, through `switchboard sidecar`, and through nginx as a reverse
# proxy with a kept-alive upstream pool — with the same generator (switchboard-sidecar's bench/HttpLoad.java,
# raw kept-alive sockets):
#   - latency: GETs at a fixed rate (SIDECAR_BENCH_RATE, default 2000/s) over 32 connections, p50/p99
#     measured from when each request was due; each run opens with one second at the same rate that is
#     not counted (the same for all three targets): without it a run's first ~100 requests measured its
#     start — the generator's fresh threads and JIT, the targets' first use of new connections (the
#     sidecar's pool has closed its idle ones after 4 s, nginx keeps them 60 s) — and they alone are
#     about the 1% a p99 looks at. Their percentiles are kept apart (warmup_* in the JSON, and a column);
#   - throughput: 64 connections as fast as answers come, req/s;
# in SIDECAR_BENCH_ROUNDS rounds (default 3), the three targets interleaved, summarised by the median.
# Both proxies log one access line per request (nginx to a file, the sidecar to its log). Everything this
# script starts is stopped by PID; nginx is installed with apt-get when missing. Results: one JSON line per
# case in bench/results/sidecar-<time>.jsonl, then a summary with the ratios.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
secs=${1:-10}
rate=${SIDECAR_BENCH_RATE:-2000}
rounds=${SIDECAR_BENCH_ROUNDS:-3}
jdk=$(bench_java)
command -v nginx >/dev/null || apt-get install -y nginx >&2

# A frozen copy of the CLI jar (package, not install: the shared ~/.m2 stays untouched).
jar=${SWITCHBOARD_JAR:-}
if [ -z "$jar" ]; then
  (cd "$REPO" && JAVA_HOME="$jdk" ./mvnw -q -o -B package -DskipTests -pl switchboard-cli -am >&2)
  dir="$SCRATCH/jars/sidecar-$(git -C "$REPO" rev-parse --short HEAD)-$(date +%Y%m%d%H%M%S)"
  mkdir -p "$dir" && cp -r "$REPO/switchboard-cli/target/switchboard.jar" "$REPO/switchboard-cli/target/lib" "$dir/"
  jar=$dir/switchboard.jar
fi

work=$(mktemp -d "$SCRATCH/sidecar.XXXXXX")
pids=()
cleanup() {
  set +e
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

await_port() { for _ in $(seq 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "nothing listens on $1" >&2; return 1; }

# nginx in the foreground (daemon off) so that $! is its master; $1 name, $2 workers, $3 the http{} body.
start_nginx() {
  mkdir -p "$work/$1"
  cat >"$work/$1/nginx.conf" <<EOF
daemon off;
worker_processes $2;
pid $work/$1/nginx.pid;
error_log $work/$1/error.log warn;
events { worker_connections 4096; }
http {
  client_body_temp_path $work/$1/body; proxy_temp_path $work/$1/proxy; fastcgi_temp_path $work/$1/fastcgi;
  uwsgi_temp_path $work/$1/uwsgi; scgi_temp_path $work/$1/scgi;
  default_type text/plain;
  keepalive_requests 1000000;
  $3
}
EOF
  nginx -p "$work/$1" -c "$work/$1/nginx.conf" -e "$work/$1/error.log" &
  pids+=($!)
}

up=$(free_port); px=$(free_port); sc=$(free_port); ctl=$(free_port)
start_nginx upstream 1 "access_log off; server { listen 127.0.0.1:$up; location / { return 200 'hello from nginx\n'; } }"
start_nginx proxy "$(nproc)" "access_log $work/proxy/access.log;
  upstream app { server 127.0.0.1:$up; keepalive 64; }
  server { listen 127.0.0.1:$px; location / { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection \"\"; } }"
SWITCHBOARD_JAR=$jar "$REPO/switchboard" sidecar --upstream "http://127.0.0.1:$up" --port "$sc" --control-port "$ctl" \
  >"$work/sidecar.log" 2>&1 &
pids+=($!)
await_port "$up"; await_port "$px"; await_port "$sc"

load() { "$jdk/bin/java" -XX:+UseSerialGC -Xmx256m "$REPO/switchboard-sidecar/src/test/java/dev/switchboard/sidecar/bench/HttpLoad.java" "$@"; }
out=$RESULTS/sidecar-$(date +%Y%m%d-%H%M%S).jsonl
label=$(commit_label)
declare -A url=([direct]="http://127.0.0.1:$up/hello" [nginx]="http://127.0.0.1:$px/hello" [sidecar]="http://127.0.0.1:$sc/hello")

# Warm-up, the same for all three targets: each at full speed, then at the measured rate. The sidecar's JIT
# needs both: after the full-speed part alone, the first round's sidecar run still spent ~2 s of CPU in the
# JIT's compiler threads (the paths of a loop that waits between requests were not compiled yet, or were
# recompiled), the second ~0.15 s; that is CPU taken from the loops on 2 cores, and the first round's p99
# was the worst. Then rounds of every case, the targets interleaved so that the machine's noise (it is
# shared) falls on all three alike; the summary takes the median of the rounds.
for t in direct nginx sidecar; do load max "${url[$t]}" 5 64 >/dev/null; load rate "${url[$t]}" "$rate" 10 32 >/dev/null; done
for ((round = 1; round <= rounds; round++)); do
  for t in direct nginx sidecar; do
    r=$(load rate "${url[$t]}" "$rate" "$secs" 32 1)
    echo "{\"case\":\"latency\",\"round\":$round,\"target\":\"$t\",\"commit\":\"$label\",\"loadavg\":\"$(cut -d' ' -f1 /proc/loadavg)\",\"result\":$r}" | tee -a "$out" >&2
  done
  for t in direct nginx sidecar; do
    r=$(load max "${url[$t]}" "$secs" 64)
    echo "{\"case\":\"throughput\",\"round\":$round,\"target\":\"$t\",\"commit\":\"$label\",\"loadavg\":\"$(cut -d' ' -f1 /proc/loadavg)\",\"result\":$r}" | tee -a "$out" >&2
  done
done

python3 - "$out" <<'EOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
targets = ("direct", "nginx", "sidecar")
def values(case, target, key):
    return [r["result"][key] for r in rows if r["case"] == case and r["target"] == target]
def med(case, target, key):
    return statistics.median(values(case, target, key))
lat = lambda t, k: med("latency", t, k)
added = lambda t, k: lat(t, k) - lat("direct", k)
print(f"latency at {rows[0]['result']['rate']} req/s, ms from when each request was due, median of {len(values('latency', 'direct', 'p50_ms'))} rounds")
print("(1-min load average during the runs: " + ", ".join(r["loadavg"] for r in rows) + ")")
print("| path | p50 | p99 | p99 of each round | p99.9 | added p50 | added p99 | errors | warm-up second's p99 by round |")
print("|---|---|---|---|---|---|---|---|---|")
for t in targets:
    rounds = " / ".join(f"{v:.2f}" for v in values("latency", t, "p99_ms"))
    warm = " / ".join(f"{v:.2f}" for v in values("latency", t, "warmup_p99_ms"))
    print(f"| {t} | {lat(t, 'p50_ms'):.3f} | {lat(t, 'p99_ms'):.3f} | {rounds} | {lat(t, 'p999_ms'):.3f} | "
          f"{added(t, 'p50_ms'):+.3f} | {added(t, 'p99_ms'):+.3f} | {sum(values('latency', t, 'errors'))} | {warm} |")
thr = {t: med("throughput", t, "req_per_s") for t in targets}
print("\nthroughput, 64 connections, median req/s:", ", ".join(f"{t} {thr[t]:.0f}" for t in targets))
ratio = lambda k: max(added("sidecar", k), 0) / max(added("nginx", k), 1e-3)
print(f"sidecar/nginx: throughput x{thr['sidecar'] / thr['nginx']:.2f}, added p50 x{ratio('p50_ms'):.2f}, added p99 x{ratio('p99_ms'):.2f}")
EOF
