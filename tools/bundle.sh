#!/bin/sh
# bundle.sh OUT FILE... -- NAME:PATH...
# Writes OUT: each NAME:PATH wrapped as a CommonJS module registered under NAME
# (loaded on first require), then each FILE appended as is. A build step, so the
# compiler heap can load npm's ES5 builds without a module system of its own.
set -eu
out=$1; shift
files=""
while [ "$1" != "--" ]; do files="$files $1"; shift; done
shift
{
  echo "var __modules = {};"
  for m in "$@"; do
    name=${m%%:*}; path=${m#*:}
    test -f "$path" || { echo "bundle.sh: missing $path" >&2; exit 1; }
    echo "__modules['$name'] = function (module, exports, require) { var define;"
    cat "$path"
    echo ""
    echo "};"
  done
  for f in $files; do cat "$f"; echo ""; done
} > "$out.tmp"
mv "$out.tmp" "$out"
