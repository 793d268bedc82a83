#!/usr/bin/env bash
# Write throughput of two careers-server builds on the same machine, data
# and settings, in alternating rounds: for a change to the write path, the
# before/after figures. Not part of ops/test.sh.
#
#   ops/bench-compare.sh OLD_DIR [NEW_DIR]
#
# Each DIR holds careers-server, careers-bench and careers-bench-data (a
# Release build: build/bench/server and build/bench/tests/bench, copied
# aside before the change). NEW_DIR defaults to this checkout's build/bench.
# Each build gets its own database (a server refuses a schema newer than
# its own), loaded with the same data set (BENCH_PROFILES=10000 profiles,
# 500 advisers), then UpdateProfile and CreateAppointment run closed loop
# with 16 in flight for BENCH_DURATION (10s) each, BENCH_ROUNDS (2) times
# per build, old and new in turn. Prints one line per run and a summary
# (best of the rounds, new / old).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CAREERS_ROOT"

OLD="${1:?usage: ops/bench-compare.sh OLD_DIR [NEW_DIR]}"
NEW="${2:-}"
if [[ -z "$NEW" ]]; then
  NEW="$CAREERS_ROOT/.local/bench-compare/new"
  mkdir -p "$NEW"
  cp build/bench/server/careers-server build/bench/tests/bench/careers-bench \
    build/bench/tests/bench/careers-bench-data "$NEW/"
fi
PROFILES="${BENCH_PROFILES:-10000}"
DURATION="${BENCH_DURATION:-10s}"
ROUNDS="${BENCH_ROUNDS:-2}"
WORK="$CAREERS_ROOT/.local/bench-compare"
DB_DIR="$WORK/db"
mkdir -p "$WORK"

cores="$(nproc)"
PIN_SERVER=() PIN_BENCH=() SERVER_CPUS=""
if ((cores >= 2)); then
  SERVER_CPUS="0-$((cores - 2))"
  PIN_SERVER=(taskset -c "$SERVER_CPUS")
  PIN_BENCH=(taskset -c "$((cores - 1))")
fi

server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill -TERM "$server_pid" 2>/dev/null || true; fi
  careers_stop_db "$DB_DIR"
}
trap cleanup EXIT
careers_stop_db "$DB_DIR"
rm -rf "$DB_DIR"
port="$(careers_free_port)"
careers_start_db "$DB_DIR" "$port" --innodb-buffer-pool-size=2G
if ((${#PIN_SERVER[@]})); then
  taskset -a -p -c "$SERVER_CPUS" "$(cat "$DB_DIR/mariadbd.pid")" >/dev/null
fi
if [[ ! -s "$WORK/jwt.key" ]]; then
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$WORK/jwt.key" 2>/dev/null
  openssl pkey -in "$WORK/jwt.key" -pubout -out "$WORK/jwt.pub"
fi
export CAREERS_JWT_ISSUER="https://careers.local/dev" CAREERS_JWT_AUDIENCE="careers-api"
export CAREERS_JWT_KEYS_FILE="$WORK/jwt.pub" CAREERS_PAGE_TOKEN_KEY="bench-compare-page-token-key-not-a-secret"

for build in old new; do
  dir="$OLD"
  [[ "$build" == new ]] && dir="$NEW"
  mariadb --no-defaults -S "$DB_DIR/sock" -uroot -e "CREATE DATABASE careers_$build"
  CAREERS_DB_URL="mysql://root@127.0.0.1:$port/careers_$build" "$dir/careers-server" --migrate >/dev/null
  log "loading $PROFILES profiles for $build"
  CAREERS_DB_URL="mysql://root@127.0.0.1:$port/careers_$build" \
    "$dir/careers-bench-data" --profiles "$PROFILES" --advisers 500 --experiences-per-profile 1 --quiet
done

results="$WORK/results.txt"
: >"$results"
for round in $(seq 1 "$ROUNDS"); do
  for build in old new; do
    dir="$OLD"
    [[ "$build" == new ]] && dir="$NEW"
    listen="127.0.0.1:$(careers_free_port)"
    CAREERS_DB_URL="mysql://root@127.0.0.1:$port/careers_$build" \
      "${PIN_SERVER[@]}" "$dir/careers-server" --listen "$listen" --concurrency 16 \
      >"$WORK/server-$build.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 50); do
      "$dir/careers-bench" --target "$listen" --scenario health --duration 100ms --warmup 0s \
        --timeout 1s >/dev/null 2>&1 && break
      kill -0 "$server_pid" 2>/dev/null || die "the $build server did not start"
    done
    for scenario in update-profile create-appointment; do
      extra=()
      [[ "$scenario" == create-appointment ]] && extra=(--slots 20000)
      out="$("${PIN_BENCH[@]}" "$dir/careers-bench" --target "$listen" --jwt-key "$WORK/jwt.key" \
        --advisers 500 --profiles "$PROFILES" --output json --timeout 30s --duration "$DURATION" \
        --warmup 2s --concurrency 16 --scenario "$scenario" "${extra[@]}")"
      qps="$(node -e 'console.log(JSON.parse(process.argv[1]).qps.toFixed(0))' "$out")"
      echo "$round $build $scenario $qps" | tee -a "$results"
    done
    kill -TERM "$server_pid"
    wait "$server_pid" || true
    server_pid=""
  done
done

node -e '
  const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n");
  const best = {};
  for (const l of lines) {
    const [, build, scenario, qps] = l.split(" ");
    const k = scenario + " " + build;
    best[k] = Math.max(best[k] || 0, Number(qps));
  }
  for (const s of ["update-profile", "create-appointment"]) {
    const o = best[s + " old"], n = best[s + " new"];
    console.log(`${s}: old ${o}/s, new ${n}/s = ${(n / o).toFixed(2)} x`);
  }' "$results"
