#!/usr/bin/env bash
# Installs what is missing, builds (Release), starts a private MariaDB under
# .local/db (or uses CAREERS_DB_URL), migrates, loads demo data and serves on
# 127.0.0.1:50051 in the foreground. Ctrl-C stops the server, then the
# private database.
#
# Environment: CAREERS_DB_URL (use that database instead), CAREERS_DB_PORT
# (private database port, default 3316), CAREERS_LISTEN (default
# 127.0.0.1:50051); any other careers-server setting (see --help).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CAREERS_ROOT"

careers_install_deps
BUILD="$CAREERS_ROOT/build/release"
careers_build Release "$BUILD" -DCAREERS_BUILD_TESTS=OFF

LOCAL="$CAREERS_ROOT/.local"
DB_DIR="$LOCAL/db"
mkdir -p "$LOCAL"
chmod 700 "$LOCAL"
started_db=""

if [[ -z "${CAREERS_DB_URL:-}" ]]; then
  if careers_db_running "$DB_DIR"; then
    log "reusing the private MariaDB already running in .local/db"
  else
    log "starting a private MariaDB in .local/db"
    careers_start_db "$DB_DIR" "${CAREERS_DB_PORT:-3316}"
    started_db=yes
  fi
  # A development password, made here and kept only under .local/.
  [[ -s "$LOCAL/db-password" ]] || openssl rand -hex 16 >"$LOCAL/db-password"
  password="$(cat "$LOCAL/db-password")"
  mariadb --no-defaults -S "$DB_DIR/sock" -uroot <<SQL
CREATE DATABASE IF NOT EXISTS careers CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci;
CREATE USER IF NOT EXISTS 'careers'@'127.0.0.1' IDENTIFIED BY '$password';
ALTER USER 'careers'@'127.0.0.1' IDENTIFIED BY '$password';
GRANT ALL ON careers.* TO 'careers'@'127.0.0.1';
SQL
  export CAREERS_DB_URL="mysql://careers:$password@127.0.0.1:$(cat "$DB_DIR/port")/careers"
fi

stop_db() {
  if [[ -n "$started_db" ]]; then
    log "stopping the private MariaDB"
    careers_stop_db "$DB_DIR"
  fi
}
trap stop_db EXIT

# Page tokens are signed; keep the development key across restarts.
[[ -s "$LOCAL/page-token.key" ]] || openssl rand -hex 32 >"$LOCAL/page-token.key"
export CAREERS_PAGE_TOKEN_KEY_FILE="$LOCAL/page-token.key"

# A development identity provider: an ES256 key pair made here, kept only
# under .local/. The server trusts its public key; careersctl token mint
# signs with its private key.
if [[ ! -s "$LOCAL/dev-jwt.key" ]]; then
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$LOCAL/dev-jwt.key"
  openssl pkey -in "$LOCAL/dev-jwt.key" -pubout -out "$LOCAL/dev-jwt.pub"
fi
chmod 600 "$LOCAL/dev-jwt.key"
export CAREERS_JWT_ISSUER="https://careers.local/dev"
export CAREERS_JWT_AUDIENCE="careers-api"
export CAREERS_JWT_KEYS_FILE="$LOCAL/dev-jwt.pub"
export CAREERS_DEV_JWT_KEY="$LOCAL/dev-jwt.key"

SERVER="$BUILD/server/careers-server"
CTL="$BUILD/clients/cli/careersctl"
log "migrating and loading demo data"
"$SERVER" --migrate --load-demo-data

LISTEN="${CAREERS_LISTEN:-127.0.0.1:50051}"
export CAREERS_LISTEN="$LISTEN"

# Tokens for the demo, valid for a day, also kept in .local/tokens.env.
admin_token="$("$CTL" token mint --role admin --subject dev-admin --ttl 24h)"
person_token="$("$CTL" token mint --role person --subject demo-eilidh \
  --profile profiles/demo-eilidh --ttl 24h)"
adviser_token="$("$CTL" token mint --role adviser --subject demo-adviser-morag-campbell \
  --organisation organisations/sds --ttl 24h)"
cat >"$LOCAL/tokens.env" <<EOT
# Development tokens from ops/run.sh (signed with .local/dev-jwt.key).
export CAREERS_SERVER=$LISTEN
export ADMIN_TOKEN=$admin_token
export PERSON_TOKEN=$person_token
export ADVISER_TOKEN=$adviser_token
export CAREERS_TOKEN=\$ADMIN_TOKEN
# For careersctl token mint:
export CAREERS_DEV_JWT_KEY=$LOCAL/dev-jwt.key
EOT
cat >&2 <<EOT

  careers-server is starting on $LISTEN. In another terminal:

    source .local/tokens.env     # ADMIN_TOKEN, PERSON_TOKEN (Eilidh), ADVISER_TOKEN (Morag, SDS), mint key
    $CTL profiles get profiles/demo-eilidh
    CAREERS_TOKEN=\$PERSON_TOKEN $CTL access-events list profiles/demo-eilidh
    $CTL slots search --type appointmentTypes/careers-interview --from <RFC 3339> --to <RFC 3339>
    CAREERS_TOKEN=\$PERSON_TOKEN $CTL skills summary profiles/demo-eilidh

  or any gRPC client through reflection, e.g. buf:

    ops/tools/node_modules/.bin/buf curl --protocol grpc --http2-prior-knowledge \\
      -H "authorization: Bearer \$ADMIN_TOKEN" \\
      http://$LISTEN/careers.v1.ProfileService/ListProfiles -d '{"pageSize": 3}'

  Admin token (24 h):
    $admin_token

  Eilidh's token (a person, profiles/demo-eilidh):
    $person_token

  Ctrl-C stops the server, then the private database.

EOT
# Development: outside referees' attestation tokens go to the log (there is
# no mail sender yet), so the referee flow can be tried by hand.
export CAREERS_DEV_LOG_REFEREE_LINKS="${CAREERS_DEV_LOG_REFEREE_LINKS:-true}"
# Ctrl-C reaches the server directly (same process group): it drains and
# exits, and then the EXIT trap stops the database. SIGTERM is passed on.
"$SERVER" &
server_pid=$!
trap 'kill -TERM "$server_pid" 2>/dev/null || true' TERM
trap 'true' INT
status=0
while true; do
  wait "$server_pid" && status=0 || status=$?
  kill -0 "$server_pid" 2>/dev/null || break
done
exit "$status"
