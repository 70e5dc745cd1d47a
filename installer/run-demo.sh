#!/usr/bin/env bash
# Starts Berkas with demo data: `make run` calls it after building.
#
#   bash installer/run-demo.sh [BUILD_DIR]
#
# 1. finds the binaries in BUILD_DIR/bin (default: build);
# 2. starts a local berkas-server on 127.0.0.1 with two demo users (first
#    start: creates them);
# 3. on first start, enrolls a demo laptop data folder with that server, fills
#    it with a synthetic Kota Bekasi office and syncs it, so the applications
#    get their registration numbers;
# 4. opens the window on the demo folder (or, without a display, prints how to
#    use the command line) and stops the server when the window closes.
#
# The demo folders are separate from real ones: $XDG_DATA_HOME/berkas-demo
# (the laptop) and $XDG_DATA_HOME/berkas-demo-server; delete them to start over.
set -euo pipefail

build_dir="${1:-build}"
bin_dir="$build_dir/bin"
berkas="$bin_dir/berkas"
server="$bin_dir/berkas-server"

data_home="${XDG_DATA_HOME:-$HOME/.local/share}"
demo_dir="${BERKAS_DEMO_DATA:-$data_home/berkas-demo}"
server_dir="${BERKAS_DEMO_SERVER_DATA:-$data_home/berkas-demo-server}"
demo_applications="${BERKAS_DEMO_APPLICATIONS:-500}"
port="${BERKAS_DEMO_PORT:-8470}"
url="http://127.0.0.1:$port"
# Synthetic accounts for the demo only; never use these passwords for real work.
manager="demo.manager"
clerk="demo.clerk"
password="berkas-demo-2026"
server_pid=""

check_binaries() {
    for b in "$berkas" "$server"; do
        if [ ! -x "$b" ]; then
            echo "run-demo: $b not found; build first (make build)" >&2
            exit 1
        fi
    done
}

stop_server() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
}

start_server() {
    mkdir -p "$server_dir"
    if [ ! -f "$server_dir/server.db" ]; then
        echo "$password" | "$server" --data="$server_dir" user add "$manager" --role=manager >/dev/null
        echo "$password" | "$server" --data="$server_dir" user add "$clerk" --role=clerk --kecamatan=32.75.09 >/dev/null
    fi
    local log="$server_dir/server.out"
    # Plain HTTP on 127.0.0.1 only: a local demo, asked for explicitly.
    "$server" --data="$server_dir" --port="$port" --plain-http >"$log" 2>&1 &
    server_pid=$!
    trap stop_server EXIT
    for _ in $(seq 1 50); do
        if grep -q "^listening on" "$log" 2>/dev/null; then
            echo "Server: $url (data in $server_dir, log in $log)"
            return
        fi
        if ! kill -0 "$server_pid" 2>/dev/null; then
            echo "run-demo: berkas-server did not start:" >&2
            cat "$log" >&2
            exit 1
        fi
        sleep 0.1
    done
    echo "run-demo: berkas-server did not answer within 5 s (see $log)" >&2
    exit 1
}

prepare_demo_laptop() {
    if [ -f "$demo_dir/berkas.db" ]; then
        echo "Demo laptop: $demo_dir (already there)"
        BERKAS_PASSWORD="$password" "$berkas" --data="$demo_dir" sync >/dev/null 2>&1 || true
        return
    fi
    mkdir -p "$demo_dir"
    echo "Demo laptop: creating $demo_dir ..."
    # Enrolling encrypts the folder; the commands after it unlock it with
    # the password in BERKAS_PASSWORD, as a script does.
    echo "$password" | "$berkas" --data="$demo_dir" enroll --server="$url" --user="$manager" >/dev/null
    BERKAS_PASSWORD="$password" "$berkas" --data="$demo_dir" demo --applications="$demo_applications"
    BERKAS_PASSWORD="$password" "$berkas" --data="$demo_dir" sync
}

print_usage() {
    local b="$berkas --data=$demo_dir"
    cat <<EOF

Demo accounts on the local server: $manager (manager) and $clerk (clerk of
kecamatan Jatiasih, 32.75.09), both with the password $password.

The demo laptop's data is encrypted, as on every enrolled laptop: a command
asks for the password, or takes it from BERKAS_PASSWORD:

  export BERKAS_PASSWORD=$password

The command line works on the same data ($berkas --help lists every command):

  $b list application --limit=10
  $b list application --search=sari --json
  $b list application --where=status=document_check
  $b conflicts
  $b export --xlsx=/tmp/ringkasan.xlsx
  $b sync
EOF
}

open_window() {
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
        echo
        echo "No display: the window cannot open here. The server stops when this script ends."
        return
    fi
    echo
    echo "Opening the window (log in as $manager); the server stops when it closes."
    "$berkas" --data="$demo_dir" || true
}

check_binaries
start_server
prepare_demo_laptop
print_usage
open_window
