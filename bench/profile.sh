#!/usr/bin/env bash
# Usage: bench/profile.sh <switchboard arguments…>   e.g. bench/profile.sh bench jobs --mode embedded --seconds 8
# Where a figure that misses its target spends its CPU: runs `./switchboard <arguments>` (a frozen build,
# see lib/common.sh) with Java Flight Recorder's profiling settings, then prints the share of CPU samples
# per thread kind and per code area (the first switchboard, Netty, SQLite, PostgreSQL, Jackson or JDK
# frame of each sample's stack). The recording stays in bench/results/ for `jfr print` or JDK Mission Control.
# PROFILE_DELAY (default 6s: start-up and the default warm-up) and PROFILE_DURATION (default 5s) choose the
# recorded window, so that start-up's class loading and compiling stay out of it. Works for the scenarios
# that run the server inside the bench's JVM (jobs --mode embedded|in-process); for a server in its own
# process, start it with SWITCHBOARD_JAVA_OPTS=-XX:StartFlightRecording=… instead.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
[ $# -gt 0 ] || { sed -n 2,8p "$0" >&2; exit 2; }
jdk=$(bench_java)
jar=$(snapshot_jar)
rec=$RESULTS/profile-$(date +%Y%m%d-%H%M%S).jfr
SWITCHBOARD_JAR=$jar SWITCHBOARD_JAVA_OPTS="${SWITCHBOARD_JAVA_OPTS:-} -XX:StartFlightRecording=delay=${PROFILE_DELAY:-6s},duration=${PROFILE_DURATION:-5s},filename=$rec,settings=profile,jdk.ExecutionSample#period=1ms" \
  "$REPO/switchboard" "$@"
"$jdk/bin/jfr" print --events jdk.ExecutionSample "$rec" | python3 "$BENCH/lib/jfr_summary.py"
echo "recording: $rec" >&2
