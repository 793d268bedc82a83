# Shared by ops/run.sh, ops/test.sh and ops/bench.sh. Source it; do not run it.
# Everything here is idempotent and quick when there is nothing to do.

CAREERS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Debian packages the build, the tests and the private database need.
CAREERS_APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler libabsl-dev
  libmysqlcppconn-dev mariadb-server mariadb-client
  libgtest-dev libgmock-dev tzdata
  libcli11-dev libspdlog-dev libfmt-dev libssl-dev openssl libjwt-dev
  nlohmann-json3-dev libical-dev
  nodejs npm
)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf '\033[31merror: %s\033[0m\n' "$*" >&2; exit 1; }

# Installs the Debian packages that are missing (apt-get update only then),
# and the npm tooling in ops/tools when its lock file changed.
careers_install_deps() {
  local missing=() pkg
  for pkg in "${CAREERS_APT_PACKAGES[@]}"; do
    # node and npm may come from elsewhere on the machine; that is fine.
    if [[ "$pkg" == nodejs && -n "$(command -v node)" ]]; then continue; fi
    if [[ "$pkg" == npm && -n "$(command -v npm)" ]]; then continue; fi
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    log "installing Debian packages: ${missing[*]}"
    local sudo=""
    [[ $(id -u) -eq 0 ]] || sudo="sudo"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
    # The packaged MariaDB service must not start: we run private instances.
    # (Only if no policy is in place already, and removed again afterwards.)
    local policy=""
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
      policy=/usr/sbin/policy-rc.d
      printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
      $sudo chmod +x "$policy"
    fi
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
    [[ -z "$policy" ]] || $sudo rm -f "$policy"
  fi
  local tools="$CAREERS_ROOT/ops/tools"
  local stamp="$tools/node_modules/.careers-lock-stamp"
  if [[ ! -f "$stamp" ]] || ! cmp -s "$tools/package-lock.json" "$stamp"; then
    log "installing build and test tooling from npm (ops/tools)"
    # `npm install` rather than `npm ci`: the lock file holds buf's binary for
    # the platforms this registry serves, and `npm ci` insists on all of them.
    # With the lock present, install keeps to its versions.
    (cd "$tools" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error)
    cp "$tools/package-lock.json" "$stamp"
  fi
}

# careers_build <Debug|Release> <build-dir> [extra cmake args...]
careers_build() {
  local type="$1" dir="$2"
  shift 2
  if [[ ! -f "$dir/build.ninja" ]]; then
    log "configuring $type build in ${dir#"$CAREERS_ROOT"/}"
    cmake -S "$CAREERS_ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" "$@" >/dev/null
  fi
  log "building ($type)"
  cmake --build "$dir" -- -j "$(nproc)"
}

# A free TCP port on 127.0.0.1 (best effort: checked by connecting to it).
careers_free_port() {
  local port
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  die "no free TCP port found"
}

# careers_db_running <datadir>: the private MariaDB in <datadir> answers.
careers_db_running() {
  [[ -S "$1/sock" ]] && mariadb-admin --no-defaults -S "$1/sock" -uroot ping >/dev/null 2>&1
}

# careers_start_db <datadir> <port> [mariadbd options...]: starts a private MariaDB bound to
# 127.0.0.1:<port> with its data, socket, pid and log in <datadir>; returns
# once it answers. It runs in its own session so a terminal's Ctrl-C reaches
# the server, not the database; careers_stop_db stops it.
careers_start_db() {
  local dir="$1" port="$2"
  shift 2
  mkdir -p "$dir"
  if [[ ! -d "$dir/data/mysql" ]]; then
    mariadb-install-db --no-defaults --datadir="$dir/data" --user="$(id -un)" \
      --auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1 \
      || { cat "$dir/install.log" >&2; die "mariadb-install-db failed"; }
  fi
  setsid mariadbd --no-defaults --datadir="$dir/data" --socket="$dir/sock" \
    --pid-file="$dir/mariadbd.pid" --port="$port" --bind-address=127.0.0.1 \
    --user="$(id -un)" --innodb-buffer-pool-size=256M --max-connections=500 \
    --skip-name-resolve --log-error="$dir/error.log" "$@" </dev/null >/dev/null 2>&1 &
  echo "$port" >"$dir/port"
  # mariadb-admin --wait retries the connection until the server is up.
  if ! mariadb-admin --no-defaults -S "$dir/sock" -uroot --wait=60 --connect-timeout=2 \
      ping >/dev/null 2>&1; then
    tail -20 "$dir/error.log" >&2
    die "the private MariaDB in $dir did not start"
  fi
}

careers_stop_db() {
  local dir="$1"
  if careers_db_running "$dir"; then
    mariadb-admin --no-defaults -S "$dir/sock" -uroot shutdown >/dev/null 2>&1 || true
  fi
}
