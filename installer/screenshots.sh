#!/usr/bin/env bash
# Screenshots of every section of the window in Indonesian and English, on
# demo data, under Xvfb: assets/screenshots/<section>-<lang>.png, plus the
# application editor (permohonan-editor-<lang>.png).
# Usage: installer/screenshots.sh [BUILD_DIR]   (default: build)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
berkas="$build/bin/berkas"
out="$root/assets/screenshots"
data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT
mkdir -p "$out"
"$berkas" --data="$data" demo >/dev/null
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
