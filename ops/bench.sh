#!/usr/bin/env bash
# The full benchmark (not part of ops/test.sh, which runs a smoke test of the
# same tools). Installs what is missing, builds Release (build/bench), starts
# its own MariaDB under .local/bench, loads the data set at 10,000 profiles,
# runs every scenario, grows the data to 1,000,000 profiles, runs the
# scale-sensitive scenarios again, and writes tests/bench/RESULTS.md: the
# machine, the exact commands, the figures and the target ratios.
#
# The server (and the database) and the load generator are pinned to
# different cores with taskset where there are at least two. The raw-SQL
# baselines do the server's work, so they run on the server's cores.
#
# Settings (environment):
#   BENCH_DURATION=10s BENCH_WARMUP=3s   the measured window and warm-up
#   BENCH_CONCURRENCY=16                 calls in flight (closed loop)
#   BENCH_SMALL=10000 BENCH_LARGE=1000000  profiles at the two scales
#   BENCH_ADVISERS=500 BENCH_EXPERIENCES=100  advisers; experiences of each
#                                        profile at the small scale
#   BENCH_OUT=tests/bench/RESULTS.md     where the report goes
# e.g. a quick look: BENCH_DURATION=2s BENCH_WARMUP=1s BENCH_LARGE=50000 ops/bench.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CAREERS_ROOT"

DURATION="${BENCH_DURATION:-10s}"
WARMUP="${BENCH_WARMUP:-3s}"
CONCURRENCY="${BENCH_CONCURRENCY:-16}"
SMALL="${BENCH_SMALL:-10000}"
LARGE="${BENCH_LARGE:-1000000}"
ADVISERS="${BENCH_ADVISERS:-500}"
EXPERIENCES="${BENCH_EXPERIENCES:-100}"
OUT="${BENCH_OUT:-$CAREERS_ROOT/tests/bench/RESULTS.md}"
# The server's own limit, above the calls in flight so none is refused for
# want of a thread (the sync server answers RESOURCE_EXHAUSTED beyond it).
# Workers: as many as calls in flight (each has a database connection).
SERVER_CONCURRENCY=$CONCURRENCY

careers_install_deps
BUILD="$CAREERS_ROOT/build/bench"
# -g only adds symbols (for perf and callgrind); the code is Release's.
careers_build Release "$BUILD" -DCAREERS_BUILD_TESTS=OFF -DCAREERS_BUILD_BENCH=ON \
  -DCMAKE_CXX_FLAGS=-g
SERVER="$BUILD/server/careers-server"
BENCH="$BUILD/tests/bench/careers-bench"
DATA="$BUILD/tests/bench/careers-bench-data"

WORK="$CAREERS_ROOT/.local/bench"
DB_DIR="$WORK/db"
RUNS="$WORK/runs.jsonl"
mkdir -p "$WORK"
: >"$RUNS"
: >"$WORK/retries.txt"

# Cores: the load generator gets the last quarter (at least one), the
# server and the database the rest.
cores="$(nproc)"
if ((cores >= 2)); then
  bench_n=$((cores / 4 > 0 ? cores / 4 : 1))
  SERVER_CPUS="0-$((cores - bench_n - 1))"
  BENCH_CPUS="$((cores - bench_n))-$((cores - 1))"
  PIN_SERVER=(taskset -c "$SERVER_CPUS")
  PIN_BENCH=(taskset -c "$BENCH_CPUS")
else
  SERVER_CPUS="all" BENCH_CPUS="all" PIN_SERVER=() PIN_BENCH=()
fi

server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  careers_stop_db "$DB_DIR"
}
trap cleanup EXIT

# A fresh database every run, so runs compare. The buffer pool holds the
# large data set, as a production database's would.
careers_stop_db "$DB_DIR"
rm -rf "$DB_DIR"
port="$(careers_free_port)"
log "starting the benchmark's MariaDB on 127.0.0.1:$port (cores $SERVER_CPUS)"
careers_start_db "$DB_DIR" "$port" --innodb-buffer-pool-size=4G
mariadb_pid="$(cat "$DB_DIR/mariadbd.pid")"
if ((${#PIN_SERVER[@]})); then taskset -a -p -c "$SERVER_CPUS" "$mariadb_pid" >/dev/null; fi
mariadb --no-defaults -S "$DB_DIR/sock" -uroot -e "CREATE DATABASE careers"
export CAREERS_DB_URL="mysql://root@127.0.0.1:$port/careers"

# A development identity provider for the benchmark, under .local/ only.
if [[ ! -s "$WORK/bench-jwt.key" ]]; then
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$WORK/bench-jwt.key" 2>/dev/null
  openssl pkey -in "$WORK/bench-jwt.key" -pubout -out "$WORK/bench-jwt.pub"
fi
export CAREERS_JWT_ISSUER="https://careers.local/dev"
export CAREERS_JWT_AUDIENCE="careers-api"
export CAREERS_JWT_KEYS_FILE="$WORK/bench-jwt.pub"
export CAREERS_PAGE_TOKEN_KEY="bench-page-token-key-not-a-secret"

"$SERVER" --migrate >/dev/null 2>&1
load() {
  log "loading the data set: $1 profiles"
  "$DATA" --profiles "$1" --advisers "$ADVISERS" --experiences-per-profile "$2" --quiet \
    | tee "$WORK/load-$1.txt"
}
load "$SMALL" "$EXPERIENCES"

listen_port="$(careers_free_port)"
TARGET="127.0.0.1:$listen_port"
log "starting careers-server on $TARGET (cores $SERVER_CPUS, --concurrency $SERVER_CONCURRENCY)"
"${PIN_SERVER[@]}" "$SERVER" --listen "$TARGET" --concurrency "$SERVER_CONCURRENCY" \
  >"$WORK/server.log" 2>&1 &
server_pid=$!

COMMON=(--target "$TARGET" --jwt-key "$WORK/bench-jwt.key" --advisers "$ADVISERS"
  --output json --timeout 30s)
# Waits for the server: one short health run that must connect.
for _ in $(seq 1 50); do
  if "$BENCH" --target "$TARGET" --scenario health --duration 100ms --warmup 0s \
      --timeout 1s >/dev/null 2>&1; then
    break
  fi
  kill -0 "$server_pid" 2>/dev/null || { cat "$WORK/server.log" >&2; die "the server did not start"; }
done

# run <label> <scale> <pin: server|bench> <careers-bench args...>
run() {
  local label="$1" scale="$2" pin="$3"
  shift 3
  local -a cmd=("$BENCH" "${COMMON[@]}" --profiles "$scale" --duration "$DURATION"
    --warmup "$WARMUP" "$@")
  local -a pinned=("${PIN_BENCH[@]}")
  [[ "$pin" == server ]] && pinned=("${PIN_SERVER[@]}")
  log "$label ($scale profiles): ${*}"
  local out
  if ! out="$("${pinned[@]}" "${cmd[@]}")"; then
    # Recorded in the report's log; a second failure stops the run.
    log "careers-bench failed; running $label once more"
    echo "$label at $scale profiles: careers-bench failed once and was run again" >>"$WORK/retries.txt"
    out="$("${pinned[@]}" "${cmd[@]}")"
  fi
  # The command as a reader would type it (paths relative to the checkout).
  local shown="${pinned[*]} ${cmd[*]}"
  shown="${shown//$CAREERS_ROOT\//}"
  node -e '
    const [label, scale, command, out] = process.argv.slice(1);
    const result = JSON.parse(out);
    console.log(JSON.stringify({label, scale: Number(scale), command, result}));
  ' "$label" "$scale" "$shown" "$out" >>"$RUNS"
  node -e 'const r = JSON.parse(process.argv[1]);
    console.error(`    ${r.qps.toFixed(0)} OK/s, p50 ${(r.latency_us.p50/1000).toFixed(2)} ms, ` +
      `p99 ${(r.latency_us.p99/1000).toFixed(2)} ms, codes ${JSON.stringify(r.codes)}`)' "$out"
}

# The peak QPS of a closed-loop run already recorded.
peak() {
  node -e '
    const fs = require("fs");
    const runs = fs.readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
    const r = runs.filter(x => x.label === process.argv[2] && x.scale === Number(process.argv[3])).pop();
    console.log(Math.max(1, Math.round(r.result.qps)));
  ' "$RUNS" "$1" "$2"
}

C=(--concurrency "$CONCURRENCY")
# Reads first, at both scales, on the same data: the writes below (20,000
# bookings among them) would change what a search reads.
half() {  # half <scenario> <scale> [args...]: open loop at half its peak
  local s="$1" scale="$2"
  shift 2
  run "$s@half" "$scale" bench --scenario "$s" --rate "$(($(peak "$s" "$scale") / 2))" "$@"
}
run health "$SMALL" bench --scenario health "${C[@]}"
run get-profile "$SMALL" bench --scenario get-profile "${C[@]}"
run get-own-profile "$SMALL" bench --scenario get-own-profile "${C[@]}"
run sql-get-profile "$SMALL" server --scenario sql-get-profile --db-url "$CAREERS_DB_URL" "${C[@]}"
run list-profiles "$SMALL" bench --scenario list-profiles "${C[@]}"
run search-availability "$SMALL" bench --scenario search-availability "${C[@]}"
run get-skills-summary "$SMALL" bench --scenario get-skills-summary "${C[@]}"
# Health last: its backlog beyond what the server sustains would spill
# into the next run.
for s in get-profile get-own-profile search-availability get-skills-summary health; do
  half "$s" "$SMALL"
done

# A school class at the bell: 1,000 connections, a call in flight on each.
run burst-1000 "$SMALL" bench --scenario get-own-profile --channels 1000 --concurrency 1000
# Health watches held open: the server's threads and memory with 2,000.
log "2,000 open health Watch streams"
"${PIN_BENCH[@]}" "$BUILD/tests/bench/careers-watch-streams" --target "$TARGET" \
  --streams 2000 --pid "$server_pid" | tee "$WORK/watch-streams.json"

load "$LARGE" 1
for s in health get-profile get-own-profile search-availability; do
  run "$s" "$LARGE" bench --scenario "$s" "${C[@]}"
done
for s in get-profile get-own-profile search-availability; do half "$s" "$LARGE"; done

# Writes, on the large data set.
run update-profile "$LARGE" bench --scenario update-profile "${C[@]}"
run create-experience "$LARGE" bench --scenario create-experience "${C[@]}"
# The change feed: how long a committed change takes to reach a
# WatchChanges reader while profiles are updated at a fixed rate, with one
# reader and with 2,000 (and what those cost the server). The watcher
# listens a little longer than the writes run (warm-up included).
change_latency() {  # change_latency <streams> <rate> <json out>
  "${PIN_BENCH[@]}" "$BUILD/tests/bench/careers-change-latency" --target "$TARGET" \
    --jwt-key "$WORK/bench-jwt.key" --streams "$1" --duration 16s --pid "$server_pid" >"$3" &
  local watcher=$!
  run "update-profile@$2" "$LARGE" bench --scenario update-profile --rate "$2"
  wait "$watcher" || log "careers-change-latency: a stream ended early"
  log "    $(cat "$3")"
}
change_latency 1 200 "$WORK/change-latency.json"
change_latency 2000 20 "$WORK/change-streams.json"
run create-appointment "$LARGE" bench --scenario create-appointment --slots 20000 "${C[@]}"
run sql-create-appointment "$LARGE" server --scenario sql-create-appointment \
  --db-url "$CAREERS_DB_URL" --slots 20000 "${C[@]}"
half create-appointment "$LARGE" --slots 20000
run create-appointment-hot "$LARGE" bench --scenario create-appointment-hot "${C[@]}"

kill -TERM "$server_pid"
wait "$server_pid" || true
server_pid=""

log "writing ${OUT#"$CAREERS_ROOT"/}"
node "$CAREERS_ROOT/tests/bench/report.js" \
  --runs "$RUNS" --out "$OUT" --small "$SMALL" --large "$LARGE" \
  --server-cpus "$SERVER_CPUS" --bench-cpus "$BENCH_CPUS" \
  --server-concurrency "$SERVER_CONCURRENCY" --watch-streams "$WORK/watch-streams.json" \
  --change-latency "$WORK/change-latency.json" --change-streams "$WORK/change-streams.json" \
  --load-small "$WORK/load-$SMALL.txt" --load-large "$WORK/load-$LARGE.txt" \
  --commit "$(git -C "$CAREERS_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
log "done: ${OUT#"$CAREERS_ROOT"/}"
