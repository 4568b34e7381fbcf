#!/usr/bin/env bash
# Usage: bench/ab.sh <jar-A> <jar-B> <target> <scenario> [rounds]
# Side-by-side comparison of two builds (e.g. before/after an optimization): runs A, B, A, B, ...
# through bench/peers.sh in one session so both see the same machine noise, and prints the key
# figures of each run. Snapshots live in the scratch folder (see bench/lib/common.sh).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
a=${1:?jar A}; b=${2:?jar B}; target=${3:?target}; scenario=${4:?scenario}; rounds=${5:-2}
for ((r = 1; r <= rounds; r++)); do
  for side in A B; do
    jar=$a; [ $side = B ] && jar=$b
    SWITCHBOARD_JAR=$jar "$BENCH/peers.sh" "$target" "$scenario" | node -e '
      const l = JSON.parse(require("fs").readFileSync(0, "utf8").trim().split("\n").pop());
      const f = (p) => p ? `${p.deliveries_per_s}/s pub ${p.publish_rate}/s p50 ${p.p50_ms} p99 ${p.p99_ms} lost ${p.lost} srv ${p.server_cpu_pct}% gen ${p.loadgen_cpu_pct}% other ${p.other_cpu_pct}%` : "-";
      console.log(`${process.argv[1]} ${l.target} ${l.scenario} mem/conn ${l.memory && l.memory.per_conn_kb} KiB | lat: ${f(l.latency)} | thr: ${f(l.throughput)} ${l.errors.length ? "errors " + l.errors.join("; ") : ""}`);' "$side"
  done
done
