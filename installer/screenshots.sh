#!/usr/bin/env bash
# Screenshots of every section of the window in Indonesian and English, on
# demo data, under Xvfb: assets/screenshots/<section>-<lang>.png, plus the
# application editor (permohonan-editor-<lang>.png).
#
# The demo laptop is enrolled with a temporary berkas-server and synced, so
# applications carry their registration numbers; a second laptop edits the
# same applications at the same time, so Konflik shows real conflicts made by
# the sync itself. The server is stopped before the screenshots are taken.
# Usage: installer/screenshots.sh [BUILD_DIR]   (default: build)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
berkas="$build/bin/berkas"
server_bin="$build/bin/berkas-server"
out="$root/assets/screenshots"
work="$(mktemp -d)"
data="$work/laptop"
other="$work/laptop-2"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$out" "$work/server"

password="demo-sandi-1"
export BERKAS_PASSWORD="$password"
"$berkas" --data="$data" demo >/dev/null

# A temporary central office on a free port of 127.0.0.1.
echo "$password" | "$server_bin" --data="$work/server" user add rina.kasir --role=manager >/dev/null
"$server_bin" --data="$work/server" --port=0 --plain-http >"$work/server.out" 2>/dev/null &
server_pid=$!
for _ in $(seq 50); do grep -q "listening on" "$work/server.out" 2>/dev/null && break; sleep 0.1; done
url="http://$(sed -n 's/^listening on //p' "$work/server.out" | head -1)"

echo "$password" | "$berkas" --data="$data" enroll --server="$url" --user=rina.kasir >/dev/null
"$berkas" --data="$data" sync >/dev/null
echo "$password" | "$berkas" --data="$other" enroll --server="$url" --user=rina.kasir >/dev/null
"$berkas" --data="$other" sync >/dev/null

# Both laptops change the same fields of two applications before syncing.
ids=$("$berkas" --data="$data" list application --where=status=submitted --limit=2 --json |
      grep -o '"id":"[^"]*"' | cut -d'"' -f4)
n=0
for id in $ids; do
    n=$((n + 1))
    "$berkas" --data="$data" set "$id" phone=08121110000$n "address=Jl. Melati No. 1$n" >/dev/null
    "$berkas" --data="$other" set "$id" phone=08571112222$n "address=Jl. Kenanga Blok C$n" >/dev/null
done
"$berkas" --data="$data" sync >/dev/null
"$berkas" --data="$other" sync >/dev/null
"$berkas" --data="$data" sync >/dev/null
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""

shot() {
    xvfb-run -a -s "-screen 0 1280x800x24" "$berkas" --data="$data" "$@" >/dev/null 2>&1
}
for lang in id en; do
    for section in beranda permohonan verifikasi pengaduan antrean konflik layanan; do
        shot --lang="$lang" --section="$section" --screenshot="$out/$section-$lang.png"
    done
    shot --lang="$lang" --section=permohonan --open-first --screenshot="$out/permohonan-editor-$lang.png"
done
ls -1 "$out"
