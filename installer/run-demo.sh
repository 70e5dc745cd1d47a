#!/usr/bin/env bash
# Starts Berkas with demo data: `make run` calls it after building.
#
#   bash installer/run-demo.sh [BUILD_DIR]
#
# Steps, each a function so that later ones slot in (start berkas-server,
# open the window):
#   1. find the binaries in BUILD_DIR/bin (default: build);
#   2. on first start, fill a demo data folder under the XDG data dir with a
#      synthetic Kota Bekasi office (only when that folder has no database);
#   3. tell the user how to work with it.
set -euo pipefail

build_dir="${1:-build}"
bin_dir="$build_dir/bin"
berkas="$bin_dir/berkas"

# The demo keeps its own folder so it never touches a real data folder
# ($BERKAS_DATA or $XDG_DATA_HOME/berkas). BERKAS_DEMO_DATA overrides it.
data_home="${XDG_DATA_HOME:-$HOME/.local/share}"
demo_dir="${BERKAS_DEMO_DATA:-$data_home/berkas-demo}"
demo_applications="${BERKAS_DEMO_APPLICATIONS:-500}"

check_binaries() {
    if [ ! -x "$berkas" ]; then
        echo "run-demo: $berkas not found; build first (make build)" >&2
        exit 1
    fi
}

prepare_demo_data() {
    if [ -f "$demo_dir/berkas.db" ]; then
        echo "Demo data: $demo_dir (already there; delete the folder to start over)"
        return
    fi
    mkdir -p "$demo_dir"
    echo "Demo data: creating $demo_dir ..."
    "$berkas" --data="$demo_dir" demo --applications="$demo_applications"
}

# Later: start_server (berkas-server --data=... with demo users) and
# open_window ("$berkas" --data="$demo_dir"). Neither exists yet.

print_usage() {
    local b="$berkas --data=$demo_dir"
    cat <<EOF

Berkas is ready. The window and the sync server are not built yet; use the
command line (every command: $berkas --help):

  $b list application --limit=10
  $b list application --search=sari --json
  $b list application --where=status=document_check
  $b list complaint --limit=5
  $b list service
  $b schema application
  $b get ID
  $b set ID status=document_check
  $b history ID
  $b new complaint kind=complaint channel=whatsapp complainant_name="Dewi Lestari" subject="Status permohonan"

Or set it once for this shell:  export BERKAS_DATA=$demo_dir
EOF
}

check_binaries
prepare_demo_data
print_usage
