# shellcheck shell=bash
# Common environment for OmniFy's scripts. Source it, don't run it:
#   source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
# It sets OMNIFY_ROOT and PATH (cargo's bin dir and ./node_modules/.bin first),
# pins the tool versions and defines small helpers. It changes no files.

# Nothing here is exported with an OMNIFY_ prefix: the server reads OMNIFY_* variables as settings.
OMNIFY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Tools installed by `cargo install` and by `npm install` must win over anything older on the PATH
# (cargo-leptos looks up tailwindcss, wasm-opt and wasm-bindgen on the PATH).
_omnify_path_prepend() {
  local p=":$PATH:"
  while [[ "$p" == *":$1:"* ]]; do p="${p//:$1:/:}"; done
  p="${p#:}"
  PATH="$1:${p%:}"
}
_omnify_path_prepend "${CARGO_HOME:-$HOME/.cargo}/bin"
_omnify_path_prepend "$OMNIFY_ROOT/node_modules/.bin"
export PATH

# Playwright must never try to download its own browsers: we use Debian's Chromium.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# (end2end/playwright.config.ts launches this path.)
CHROMIUM_BIN="${CHROMIUM_BIN:-/usr/bin/chromium}"

# Versions the build needs. wasm-bindgen's comes from Cargo.lock (see wasm_bindgen_lock_version).
# shellcheck disable=SC2034  # used by setup.sh
CARGO_LEPTOS_VERSION="0.3.10"

log()  { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
note() { printf '    %s\n' "$*" >&2; }
warn() { printf '\033[1;33mwarning:\033[0m %s\n' "$*" >&2; }
die()  { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

# Runs a command as root: directly when we are root, else through sudo.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif have sudo; then
    sudo "$@"
  else
    die "need root (or sudo) to run: $*"
  fi
}

# apt-get install with a single `apt-get update` per shell.
_OMNIFY_APT_UPDATED=""
apt_install() {
  have apt-get || die "apt-get not found: install these by hand: $*"
  if [ -z "$_OMNIFY_APT_UPDATED" ]; then
    log "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    _OMNIFY_APT_UPDATED=1
  fi
  log "apt-get install -y $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

# The wasm-bindgen version pinned in Cargo.lock (the CLI must be exactly this version).
wasm_bindgen_lock_version() {
  awk '
    $0 == "[[package]]" { name = "" }
    $1 == "name" && $3 == "\"wasm-bindgen\"" { name = "wasm-bindgen"; next }
    name == "wasm-bindgen" && $1 == "version" { gsub(/"/, "", $3); print $3; exit }
  ' "$OMNIFY_ROOT/Cargo.lock"
}

# Is something listening on 127.0.0.1:$1?
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# First free TCP port on 127.0.0.1 at or above $1.
free_port() {
  local p="$1"
  while port_in_use "$p"; do
    p=$((p + 1))
    [ "$p" -lt $(($1 + 200)) ] || die "no free port in $1..$p"
  done
  echo "$p"
}

# wait_for_health URL PID LOGFILE [TIMEOUT_SECONDS]: polls URL until it answers 2xx.
# Fails (printing the server log) if the process dies or the timeout passes.
wait_for_health() {
  local url="$1" pid="$2" logfile="$3" timeout="${4:-60}" start=$SECONDS
  while :; do
    if curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then
      note "healthy after $((SECONDS - start)) s: $url"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      warn "server (pid $pid) exited before $url answered; its log:"
      cat "$logfile" >&2 || true
      return 1
    fi
    if [ $((SECONDS - start)) -ge "$timeout" ]; then
      warn "$url did not answer within $timeout s; server log:"
      cat "$logfile" >&2 || true
      return 1
    fi
    sleep 0.5
  done
}

# start_server BIN PORT DIR LOG [VAR=value ...]: starts BIN serve on 127.0.0.1:PORT in the
# background, on a fresh SQLite database under DIR with a throwaway JWT secret and in-process
# rate limits; extra VAR=value pairs (limits, RUST_LOG) are passed through. Sets SERVER_PID.
start_server() {
  local bin="$1" port="$2" dir="$3" log="$4"
  shift 4
  mkdir -p "$dir/data"
  env -u OMNIFY_REDIS_URL \
    OMNIFY_ENV=development \
    OMNIFY_DATA_DIR="$dir/data" \
    OMNIFY_DATABASE_URL="sqlite://$dir/omnify.db" \
    OMNIFY_JWT_SECRET="run-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
    OMNIFY_SITE_ROOT=target/site \
    LEPTOS_SITE_ADDR="127.0.0.1:$port" \
    "$@" \
    "$bin" serve >"$log" 2>&1 &
  # shellcheck disable=SC2034  # read by the scripts that call this
  SERVER_PID=$!
}

# stop_pid PID: SIGTERM, then SIGKILL after 10 s. Only for processes this script started.
stop_pid() {
  local pid="$1" _
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 20); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.5
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
