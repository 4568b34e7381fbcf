#!/usr/bin/env bash
# Usage: bench/jmh.sh [JMH args]      e.g. bench/jmh.sh Ring   ·   bench/jmh.sh -l   ·   bench/jmh.sh -h
# JMH microbenchmarks of the hot paths (module switchboard-microbench): builds target/microbench.jar,
# then runs it on a JDK >= 21 with defaults short enough for a shared 2-core machine (1 fork, 5 × 1 s
# warm-up, 5 × 1 s measured; ~11 s per benchmark and parameter, ~2.5 min for all; after 3 warm-up
# iterations the JSON encoders still drifted down while measured). Each default applies unless the same
# option is given (as a separate word: -f 3, not -f3). Results: a table on stdout and JSON in
# bench/results/jmh-<UTC date>-<commit>.json.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
jdk=$(bench_java)
(cd "$REPO" && JAVA_HOME="$jdk" ./mvnw -q -B package -pl switchboard-microbench -am -DskipTests)

given() { local opt=$1 a; shift; for a in "$@"; do [ "$a" = "$opt" ] && return 0; done; return 1; }
label=$(commit_label)
defaults=(-f 1 -wi 5 -w 1s -i 5 -r 1s -rf json -rff "$RESULTS/jmh-$(date -u +%Y%m%dT%H%M%SZ)-$label.json")
args=()
for ((i = 0; i < ${#defaults[@]}; i += 2)); do
  given "${defaults[i]}" "$@" || args+=("${defaults[i]}" "${defaults[i + 1]}")
done
# JMH reads fields through sun.misc.Unsafe: JDK 23+ warns unless this is allowed (JDK 21 does not know
# the flag). Forked benchmark JVMs inherit it.
jvm=()
[ "$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$jdk/release")" -ge 23 ] && jvm+=(--sun-misc-unsafe-memory-access=allow)
echo "jmh: commit $label, $(nproc) cores, $("$jdk/bin/java" -version 2>&1 | head -1)" >&2
exec "$jdk/bin/java" "${jvm[@]}" -jar "$REPO/switchboard-microbench/target/microbench.jar" "${args[@]}" "$@"
