#!/usr/bin/env bash
# Usage: bench/peers.sh <target> <scenario> [repetitions]
#   targets:   switchboard-sse switchboard-ws switchboard-longpoll  pushpin-sse pushpin-ws pushpin-longpoll
#   scenarios: 100x2000 (100 subscribers x 2,000 msgs) | 1000x500 | idle10000 | <N>x<M>
# Runs the shared peer harness (../shared/peers, copied to a scratch folder and installed once:
# apt pushpin, npm ws + hdr-histogram-js) so that Pushpin and Switchboard go through the SAME
# Node client. Switchboard runs from a frozen copy of the jar via ./switchboard (its JVM flags),
# with a fresh data folder per run. One JSON line per run is printed and appended to
# bench/results/peers.jsonl. Each run is bounded (harness watchdog WATCHDOG_S, default 300 s).
# Env: SWITCHBOARD_JAR (use this jar), BENCH_BUILD=0 (no build before the snapshot),
#      SWITCHBOARD_PUBLISH_QS ('' = durable publishing; default ?durability=async), and the
#      harness's knobs (QUIET_MAX_S, PHASE_MAX_S, ... see ../shared/peers/run.sh).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
target=${1:?usage: bench/peers.sh <target> <scenario> [repetitions]}
scenario=${2:?usage: bench/peers.sh <target> <scenario> [repetitions]}
reps=${3:-1}
peers=$(peers_dir)
if [[ $target == switchboard-* ]]; then
  jar=$(snapshot_jar)
  export SWITCHBOARD_JAR=$jar
fi
label=$(commit_label)
for ((rep = 1; rep <= reps; rep++)); do
  data=$(mktemp -d "$SCRATCH/data.XXXXXX")
  line=""
  if [[ $target == switchboard-* ]]; then
    port=$(free_port)
    line=$(cd "$peers" && REP=$rep SWITCHBOARD_VERSION="$label" SWITCHBOARD_URL="http://127.0.0.1:$port" \
      SWITCHBOARD_CMD="env SWITCHBOARD_JAR=$jar $REPO/switchboard server --port $port --data $data" \
      ./run.sh "$target" "$scenario" || true)
  else
    line=$(cd "$peers" && REP=$rep ./run.sh "$target" "$scenario" || true)
  fi
  rm -rf "$data"
  # Tag the line with what ran, so the report can tell the commits apart.
  line=$(node -e 'const l=JSON.parse(process.argv[1]); l.commit=process.argv[2]; l.publish_qs=process.argv[3]; l.session=process.argv[4]; console.log(JSON.stringify(l))' \
    "$line" "$label" "${SWITCHBOARD_PUBLISH_QS-?durability=async}" "${BENCH_SESSION:-}" 2>/dev/null || echo "$line")
  echo "$line" | tee -a "$RESULTS/peers.jsonl"
done
