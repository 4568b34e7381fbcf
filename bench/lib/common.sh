# Shared by the bench/ scripts (sourced). Everything a script starts is recorded by PID and
# stopped by PID on exit; results go to bench/results/ (gitignored).
BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO=$(cd "$BENCH/.." && pwd)
RESULTS=$BENCH/results
SCRATCH=${BENCH_SCRATCH:-${TMPDIR:-/tmp}/switchboard-bench}
mkdir -p "$RESULTS" "$SCRATCH"

# A JDK >= 21 for the load generator (the server's own JDK is chosen by ./switchboard).
bench_java() {
  local c
  for c in "${SWITCHBOARD_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [ -n "$c" ] && [ -x "$c/bin/java" ] && [ -f "$c/release" ] || continue
    local major; major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$c/release")
    [ -n "$major" ] && [ "$major" -ge 21 ] && { echo "$c"; return 0; }
  done
  echo "no JDK >= 21 found" >&2; return 1
}

# Prints the path of a frozen copy of the server jar (jar + lib/), so that a build by someone
# else in the same tree cannot change the server under a run. SWITCHBOARD_JAR skips all this.
# BENCH_BUILD=0 snapshots the jar as it is, without building first.
snapshot_jar() {
  if [ -n "${SWITCHBOARD_JAR:-}" ]; then echo "$SWITCHBOARD_JAR"; return 0; fi
  local jdk; jdk=$(bench_java) || return 1
  if [ "${BENCH_BUILD:-1}" != 0 ]; then
    (cd "$REPO" && JAVA_HOME="$jdk" ./mvnw -q -o -B package -DskipTests -pl switchboard-cli -am >&2) || return 1
  fi
  local sha; sha=$(git -C "$REPO" rev-parse --short HEAD)
  local dirty=""; [ -n "$(git -C "$REPO" status --porcelain -- '*.java' '*pom.xml' 2>/dev/null)" ] && dirty="-dirty"
  local dir="$SCRATCH/jars/$sha$dirty-$(date +%Y%m%d%H%M%S)"
  mkdir -p "$dir"
  cp -r "$REPO/switchboard-cli/target/switchboard.jar" "$REPO/switchboard-cli/target/lib" "$dir/"
  echo "$dir/switchboard.jar"
}

# A fresh copy of the shared peer harness in the scratch folder, installed once.
peers_dir() {
  local src=${PEERS_SRC:-$REPO/../shared/peers} dst=$SCRATCH/peers
  if [ ! -f "$dst/.installed" ] || [ -n "$(diff -rq -x node_modules -x run -x .installed "$src" "$dst" 2>/dev/null)" ]; then
    { [ ! -e "$dst" ] || { chmod -R u+w "$dst" && rm -rf "$dst"; }; } && cp -r "$src" "$dst" && chmod -R u+w "$dst" && (cd "$dst" && ./install.sh >&2) && touch "$dst/.installed" || return 1
  fi
  echo "$dst"
}

# Free loopback port (asks the kernel).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# What a result is labelled with: the snapshot's folder name (commit-timestamp) when a frozen jar
# runs, else the work tree's commit (+local when it has uncommitted Java changes).
commit_label() {
  if [ -n "${BENCH_LABEL:-}" ]; then echo "$BENCH_LABEL"
  elif [ -n "${SWITCHBOARD_JAR:-}" ]; then basename "$(dirname "$SWITCHBOARD_JAR")"
  else echo "$(git -C "$REPO" rev-parse --short HEAD)$([ -n "$(git -C "$REPO" status --porcelain -- '*.java' 2>/dev/null)" ] && echo '+local')"
  fi
}

# Starts the frozen server ($1: the jar) on a free port with a fresh data folder, plus any
# BENCH_SERVER_ARGS (e.g. "--store postgres --postgres-url …"), logging to $2; sets SERVER (its PID),
# url, and a trap that stops it by PID and removes the folder when the script ends.
start_server() {
  local jar=$1 log=$2 port
  data=$(mktemp -d "$SCRATCH/data.XXXXXX")
  port=$(free_port)
  SERVER=""
  trap 'set +e; [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null; rm -rf "$data"' EXIT
  trap 'exit 143' TERM INT
  # shellcheck disable=SC2086 # BENCH_SERVER_ARGS holds several flags on purpose
  SWITCHBOARD_JAR=$jar "$REPO/switchboard" server --port "$port" --data "$data" ${BENCH_SERVER_ARGS:-} >"$log" 2>&1 &
  SERVER=$!
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
  url=http://127.0.0.1:$port
}
