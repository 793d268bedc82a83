#!/usr/bin/env bash
# Installs what is missing, builds (Debug, warnings as errors), lints the
# protos, starts a throwaway MariaDB on a free port and runs every test
# through ctest (labels unit, integration, e2e). Stops the database even
# when tests fail; exits non-zero on any failure.
#
# Extra arguments go to ctest, e.g. `ops/test.sh -L unit` or `-R Pool`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CAREERS_ROOT"

careers_install_deps
BUILD="$CAREERS_ROOT/build/debug"
careers_build Debug "$BUILD" -DCAREERS_WERROR=ON

log "buf lint protos/"
"$CAREERS_ROOT/ops/tools/node_modules/.bin/buf" lint "$BUILD/protos/careers_api.binpb" \
  --config "$CAREERS_ROOT/protos/buf.yaml" --path careers

DB_DIR="$(mktemp -d /tmp/careers-test-db.XXXXXX)"
cleanup() {
  careers_stop_db "$DB_DIR"
  rm -rf "$DB_DIR"
}
trap cleanup EXIT
port="$(careers_free_port)"
log "starting a throwaway MariaDB on 127.0.0.1:$port"
careers_start_db "$DB_DIR" "$port"
# Tests create (and drop) their own databases through this account.
export CAREERS_TEST_DB_URL="mysql://root@127.0.0.1:$port/mysql"

log "running tests"
cd "$BUILD"
ctest --output-on-failure --no-tests=error -j "$(nproc)" --timeout 300 "$@"
