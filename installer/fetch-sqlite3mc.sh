#!/usr/bin/env bash
# Fetches the SQLite the laptop store is built with: SQLite3 Multiple Ciphers
# (sqlite3mc 2.4.0 on SQLite 3.53.4, MIT), an SQLite amalgamation with page
# encryption, carried by the npm package better-sqlite3-multiple-ciphers in
# deps/sqlite3/. The pinned tarball is checked against its sha256 and only the
# amalgamation is unpacked, into a cache folder outside the source tree that
# CMake reads (BERKAS_SQLITE3MC_DIR). Does nothing when it is already there.
set -euo pipefail

package=better-sqlite3-multiple-ciphers
version=13.0.3
sha256=24a11e221247fc003f755ad0f82126bc6b0295d0be1c06f3cb3e48d9db8eb898
cache="${BERKAS_DEPS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/berkas}"
target="$cache/sqlite3mc-$version"

if [ -f "$target/sqlite3.c" ] && [ -f "$target/sqlite3.h" ] && [ -f "$target/.verified" ]; then
    exit 0
fi

fail() {
    echo "install-deps: sqlite3mc: $*" >&2
    exit 1
}

command -v npm >/dev/null 2>&1 || fail "npm is not installed; it fetches $package@$version from the npm registry"
mkdir -p "$cache"
work="$(mktemp -d "$cache/fetch.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "install-deps: fetching $package@$version from the npm registry"
if ! (cd "$work" && npm pack --silent "$package@$version" >pack.log 2>&1); then
    fail "npm could not fetch $package@$version: $(tail -n 3 "$work/pack.log" | tr '\n' ' ')"
fi
tarball="$work/$package-$version.tgz"
[ -f "$tarball" ] || fail "npm did not write $package-$version.tgz"
got="$(sha256sum "$tarball" | cut -d' ' -f1)"
[ "$got" = "$sha256" ] || fail "$package-$version.tgz has sha256 $got, expected $sha256; not used"

mkdir -p "$work/unpacked"
tar -xzf "$tarball" -C "$work/unpacked" package/deps/sqlite3/sqlite3.c package/deps/sqlite3/sqlite3.h \
    package/deps/sqlite3/sqlite3ext.h ||
    fail "$package-$version.tgz holds no deps/sqlite3/ amalgamation"
grep -q '"SQLite3 Multiple Ciphers 2.4.0"' "$work/unpacked/package/deps/sqlite3/sqlite3.h" ||
    fail "the amalgamation in $package-$version.tgz is not sqlite3mc 2.4.0"
echo "$package@$version sha256 $sha256" >"$work/unpacked/package/deps/sqlite3/.verified"
rm -rf "$target"
mv "$work/unpacked/package/deps/sqlite3" "$target"
echo "install-deps: sqlite3mc in $target"
