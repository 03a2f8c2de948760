#!/bin/sh
# Runs every tests/js/*.test.js through the real binary as a source function:
# a file passes when `srcfn run` reports no error. Files written before the
# runtime could run them (plain scripts that throw at top level) get an empty
# onRequest appended.
. tests/lib.sh
for t in tests/js/*.test.js; do
  [ -f "$t" ] || continue
  name=js/$(basename "$t" .test.js)
  f=$TMP/$(basename "$t")
  cp "$t" "$f"
  grep -q 'function onRequest' "$t" || printf '\nasync function onRequest() {}\n' >> "$f"
  run_json "$f"
  if [ "$RC" = 0 ] && printf '%s' "$OUT" | jq -e '.error == null' >/dev/null 2>&1; then
    pass "$name"
  else
    fail "$name" "$(printf '%s' "$OUT" | jq -c '.error' 2>/dev/null || cat "$TMP/stderr")"
  fi
done
