#!/usr/bin/env bash
# Installs every Debian 12 package Berkas needs to build, test and run.
# Idempotent: when everything is present it only checks and returns.
set -euo pipefail

packages=(
    build-essential cmake pkg-config git
    libwxgtk3.2-dev
    libsqlite3-dev sqlite3
    sqlcipher
    libpoco-dev
    openssl
    libxlsxwriter-dev
    catch2
    gettext
    xvfb xauth
    postgresql libpq-dev
    # pg_dump and pg_restore: berkas-server backup and restore on PostgreSQL
    postgresql-client
    nginx-light
    python3-openpyxl
    # a real SMTP server on loopback for the tests of applicants' e-mail
    python3-aiosmtpd
    clang libclang-rt-14-dev
    # make package renders the icon (rsvg-convert); tests/installer checks
    # the packages with Debian's validators
    librsvg2-bin
    lintian desktop-file-utils appstream
    # the QR code on printed receipts (libqrencode); tests open the public
    # status page in a headless browser and read the printed QR code back
    libqrencode-dev
    # where and when a photo was taken, from its EXIF data
    libexif-dev
    chromium
    zbar-tools
    # the inspection report (Berita Acara Pemeriksaan) as PDF through cairo;
    # tests read it back with poppler's pdfinfo, pdftotext and pdfimages
    libcairo2-dev libjpeg-dev
    poppler-utils
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

# npm fetches the SQLite build with page encryption (below); Debian's npm
# only when the machine has no npm of its own.
if ! command -v npm >/dev/null 2>&1 && ! dpkg-query -W -f='${Status}' npm 2>/dev/null | grep -q "install ok installed"; then
    missing+=(npm)
fi

if [ ${#missing[@]} -gt 0 ]; then
    echo "install-deps: installing ${missing[*]}"
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then
        SUDO="sudo"
    fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

bash "$(dirname "$0")/fetch-sqlite3mc.sh"
