#!/bin/sh
# install-deps.sh [--if-missing]
# Installs the Debian packages srcfn builds and tests with, then the pinned npm
# modules (JavaScript tooling that runs inside Duktape). With --if-missing it
# only calls apt-get when a package is absent, so `make run` stays quick.
set -eu
PKGS="build-essential pkg-config duktape-dev libjansson-dev libcurl4-openssl-dev
libssl-dev libmicrohttpd-dev libncurses-dev libsqlite3-dev libyajl-dev libsimdjson-dev libmimalloc-dev
tmux jq curl wrk procps sqlite3"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
# Node.js and npm may come from another distribution of Node.js (whose nodejs
# package conflicts with Debian's npm): only ask Debian when they are absent.
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
if [ -n "$missing" ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  echo "installing:$missing"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi
cd "$(dirname "$0")/.."
if [ "${1:-}" != "--if-missing" ] || [ ! -f node_modules/.srcfn-stamp ]; then
  npm ci --no-audit --no-fund --silent
  touch node_modules/.srcfn-stamp
fi
