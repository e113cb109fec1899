#!/bin/sh
# Installs what building, running and testing Détente needs on Debian 12,
# and only what is missing.  Run as root, or as a user with sudo.
#   scripts/install-deps.sh          build, run and test
#   scripts/install-deps.sh bench    also wrk and nginx for make bench
set -eu

pkgs="gcc make pkg-config meson ninja-build
libmicrohttpd-dev libjansson-dev libsqlite3-dev libsodium-dev
libcurl4-openssl-dev libcmocka-dev zlib1g-dev chromium ca-certificates sqlite3
clang clang-format libclang-rt-14-dev openssl iso-codes"
[ "${1:-}" = bench ] && pkgs="$pkgs wrk nginx-light curl"

missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
# Node.js may come from Debian or elsewhere; ask for the commands.
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"

if [ -n "$missing" ]; then
	echo "install-deps: installing$missing"
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	# shellcheck disable=SC2086
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends $missing
fi

# The browser tests' npm packages, pinned by tests/package-lock.json.
if [ -f tests/package-lock.json ] &&
	{ [ ! -d tests/node_modules ] ||
		[ tests/package-lock.json -nt tests/node_modules/.package-lock.json ]; }; then
	(cd tests && npm ci --no-audit --no-fund --loglevel=error)
fi

# The web UI's data from npm (the world map), pinned by web/package-lock.json.
if [ -f web/package-lock.json ] &&
	{ [ ! -d web/node_modules ] ||
		[ web/package-lock.json -nt web/node_modules/.package-lock.json ]; }; then
	(cd web && npm ci --no-audit --no-fund --loglevel=error)
fi
