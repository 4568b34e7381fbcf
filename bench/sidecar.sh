#!/usr/bin/env bash
# Usage: bench/sidecar.sh [seconds]   (default 10 s per target and case, 3 rounds: about 5 minutes in all, plus a build)
# The sidecar's added latency and throughput (issue #9): one upstream (nginx returning a static 17-byte
# response), reached four ways — directly, through `switchboard sidecar`, through nginx as a reverse
# proxy with a kept-alive upstream pool, and through `netty`, the floor under the sidecar (switchboard-sidecar's
# bench/NettyFloor.java: Netty's HTTP/1.1 codecs between each client connection and one upstream connection of
# its own, nothing else, in a JVM with the sidecar's flags) — with the same generator (switchboard-sidecar's bench/HttpLoad.java,
# raw kept-alive sockets):
#   - latency: GETs at a fixed rate (SIDECAR_BENCH_RATE, default 2000/s), p50/p99 measured from when each
#     request was due, in time slices (HttpLoad's `slices` mode): slices of SIDECAR_BENCH_SLICE_MS (default
#     500 ms) go to direct, nginx, sidecar, netty, direct, … in turn, only one target loaded at a time, each over its
#     own 32 connections, until each has had [seconds] of slices. The machine's noise moves on a scale of
#     seconds to minutes (the direct path's own p99 moved 0.7–2.4 ms from one round to the next), so targets
#     measured one after another were compared across different noise; in slices all four share it. Each
#     run opens with one second of slices per target that is not counted: a run's first requests measure its
#     start (the generator's fresh threads and JIT, the sidecar reopening the upstream connections its pool
#     closed after 4 s idle) rather than the steady rate. The JSON also gives each target's p99 per block of
#     10 slices, so the spread within a run shows;
#   - throughput: 64 connections as fast as answers come, req/s, one target after another;
# in SIDECAR_BENCH_ROUNDS rounds (default 3), summarised by the median of the rounds.
# An A/B in the same slices: SIDECAR_BENCH_B_JAR (another build's switchboard.jar) and/or SIDECAR_BENCH_B_ARGS
# (flags for it, e.g. "--loop-spin-micros 0") add a fifth target, sidecar-b, and a line comparing it with sidecar.
# Both proxies log one access line per request (nginx to a file, the sidecar to its log). Everything this
# script starts is stopped by PID; nginx is installed with apt-get when missing. Results: one JSON line per
# case and round in bench/results/sidecar-<time>.jsonl (the latency line holds all the targets: they are
# one run), then a summary with the ratios.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
secs=${1:-10}
rate=${SIDECAR_BENCH_RATE:-2000}
rounds=${SIDECAR_BENCH_ROUNDS:-3}
slice_ms=${SIDECAR_BENCH_SLICE_MS:-500}
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

up=$(free_port); px=$(free_port); sc=$(free_port); ctl=$(free_port); nf=$(free_port); scb=$(free_port); ctlb=$(free_port)
start_nginx upstream 1 "access_log off; server { listen 127.0.0.1:$up; location / { return 200 'hello from nginx\n'; } }"
start_nginx proxy "$(nproc)" "access_log $work/proxy/access.log;
  upstream app { server 127.0.0.1:$up; keepalive 64; }
  server { listen 127.0.0.1:$px; location / { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection \"\"; } }"
# A sidecar in front of the upstream: $1 its name (its log's), $2 its jar, $3 its port, $4 its control port, the rest flags.
start_sidecar() {
  local name=$1 sjar=$2 port=$3 control=$4
  shift 4
  SWITCHBOARD_JAR=$sjar "$REPO/switchboard" sidecar --upstream "http://127.0.0.1:$up" --port "$port" --control-port "$control" "$@" \
    >"$work/$name.log" 2>&1 &
  pids+=($!)
}
start_sidecar sidecar "$jar" "$sc" "$ctl"
targets=(direct nginx sidecar netty)
if [ -n "${SIDECAR_BENCH_B_JAR:-}${SIDECAR_BENCH_B_ARGS:-}" ]; then
  # shellcheck disable=SC2086 # the flags are words
  start_sidecar sidecar-b "${SIDECAR_BENCH_B_JAR:-$jar}" "$scb" "$ctlb" ${SIDECAR_BENCH_B_ARGS:-}
  await_port "$scb"
  targets+=(sidecar-b)
fi
# The floor gets the collector flags `./switchboard sidecar` picks on ≤ 2 CPUs (this machine kind), so that the
# two JVMs differ in the proxy's code only.
floor_flags=()
[ "$(nproc)" -le 2 ] && floor_flags=(-XX:+UseSerialGC -Xmn32m -XX:MaxTenuringThreshold=2)
"$jdk/bin/java" --enable-native-access=ALL-UNNAMED "${floor_flags[@]}" -cp "$(dirname "$jar")/lib/*" \
  "$REPO/switchboard-sidecar/src/test/java/dev/switchboard/sidecar/bench/NettyFloor.java" "$nf" "$up" >"$work/netty.log" 2>&1 &
pids+=($!)
await_port "$up"; await_port "$px"; await_port "$sc"; await_port "$nf"

load() { "$jdk/bin/java" -XX:+UseSerialGC -Xmx256m "$REPO/switchboard-sidecar/src/test/java/dev/switchboard/sidecar/bench/HttpLoad.java" "$@"; }
out=$RESULTS/sidecar-$(date +%Y%m%d-%H%M%S).jsonl
label=$(commit_label)
declare -A url=([direct]="http://127.0.0.1:$up/hello" [nginx]="http://127.0.0.1:$px/hello" [sidecar]="http://127.0.0.1:$sc/hello" [netty]="http://127.0.0.1:$nf/hello"
  [sidecar-b]="http://127.0.0.1:$scb/hello")
sliced=$(for t in "${targets[@]}"; do printf '%s=%s,' "$t" "${url[$t]}"; done)

# Warm-up, the same for every target: each at full speed, then at the measured rate. The sidecar's JIT
# needs both: after the full-speed part alone, the first round's sidecar run still spent ~2 s of CPU in the
# JIT's compiler threads (the paths of a loop that waits between requests were not compiled yet, or were
# recompiled), the second ~0.15 s; that is CPU taken from the loops on 2 cores, and the first round's p99
# was the worst. Then rounds of both cases; the summary takes the median of the rounds.
for t in "${targets[@]}"; do load max "${url[$t]}" 5 64 >/dev/null; load rate "${url[$t]}" "$rate" 10 32 >/dev/null; done
for ((round = 1; round <= rounds; round++)); do
  r=$(load slices "${sliced%,}" "$rate" "$slice_ms" "$secs" 32 1)
  echo "{\"case\":\"latency\",\"round\":$round,\"commit\":\"$label\",\"loadavg\":\"$(cut -d' ' -f1 /proc/loadavg)\",\"result\":$r}" | tee -a "$out" >&2
  for t in "${targets[@]}"; do
    r=$(load max "${url[$t]}" "$secs" 64)
    echo "{\"case\":\"throughput\",\"round\":$round,\"target\":\"$t\",\"commit\":\"$label\",\"loadavg\":\"$(cut -d' ' -f1 /proc/loadavg)\",\"result\":$r}" | tee -a "$out" >&2
  done
done

python3 - "$out" <<'EOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
slices = [r["result"] for r in rows if r["case"] == "latency"]
targets = tuple(slices[0]["targets"])
def values(target, key):
    return [s["targets"][target][key] for s in slices]
lat = lambda t, k: statistics.median(values(t, k))
added = lambda t, k: lat(t, k) - lat("direct", k)
first = slices[0]
print(f"latency at {first['rate']} req/s, ms from when each request was due, in slices of {first['slice_ms']} ms "
      f"({first['slices_per_target']} per target and round, the targets in turn), median of {len(slices)} round{'s' if len(slices) > 1 else ''}")
print("(1-min load average during the runs: " + ", ".join(r["loadavg"] for r in rows) + ")")
print(f"| path | p50 | p99 | p99 of each round | p99 per {first['block_slices']} slices, lowest–highest | p99.9 | "
      "added p50 | added p99 | errors | answered after their slice |")
print("|---|---|---|---|---|---|---|---|---|---|")
for t in targets:
    rounds = " / ".join(f"{v:.2f}" for v in values(t, "p99_ms"))
    blocks = [b for bs in values(t, "block_p99_ms") for b in bs]
    print(f"| {t} | {lat(t, 'p50_ms'):.3f} | {lat(t, 'p99_ms'):.3f} | {rounds} | {min(blocks):.2f}–{max(blocks):.2f} | "
          f"{lat(t, 'p999_ms'):.3f} | {added(t, 'p50_ms'):+.3f} | {added(t, 'p99_ms'):+.3f} | "
          f"{sum(values(t, 'errors'))} | {sum(values(t, 'overran'))} |")
thr = {t: statistics.median(r["result"]["req_per_s"] for r in rows if r["case"] == "throughput" and r["target"] == t)
       for t in targets}
print("\nthroughput, 64 connections, median req/s:", ", ".join(f"{t} {thr[t]:.0f}" for t in targets))
ratio = lambda k: max(added("sidecar", k), 0) / max(added("nginx", k), 1e-3)
print(f"sidecar/nginx: throughput x{thr['sidecar'] / thr['nginx']:.2f}, added p50 x{ratio('p50_ms'):.2f}, added p99 x{ratio('p99_ms'):.2f}")
# What the sidecar's own work costs: its latency over the floor's, the JVM's and Netty's share being equal.
print(f"sidecar over the netty floor: p50 {lat('sidecar', 'p50_ms') - lat('netty', 'p50_ms'):+.3f} ms, "
      f"p99 {lat('sidecar', 'p99_ms') - lat('netty', 'p99_ms'):+.3f} ms, throughput x{thr['sidecar'] / thr['netty']:.2f}")
if "sidecar-b" in targets:
    print(f"sidecar-b against sidecar: p50 {lat('sidecar-b', 'p50_ms') - lat('sidecar', 'p50_ms'):+.3f} ms, "
          f"p99 {lat('sidecar-b', 'p99_ms') - lat('sidecar', 'p99_ms'):+.3f} ms, throughput x{thr['sidecar-b'] / thr['sidecar']:.2f}")
EOF
