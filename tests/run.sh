#!/bin/sh
# tests/run.sh: the whole suite. C unit tests and end-to-end scripts all print
# "PASS name" / "FAIL name: why" lines; this counts them and ends with the
# summary line "N passed, N failed". Exit status 0 only when nothing failed.
cd "$(dirname "$0")/.."
SRCFN=$(pwd)/build/asan/srcfn
export SRCFN
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export SRCFN_CACHE_DIR=$(mktemp -d)
log=$(mktemp)
for t in build/asan/tests/test-*; do
  [ -x "$t" ] || continue
  echo "== $t"
  "$t" 2>&1 | tee -a "$log" || echo "FAIL $t: exited with $?" | tee -a "$log"
done
for t in tests/e2e/*.sh; do
  [ -f "$t" ] || continue
  [ -n "${TESTS:-}" ] && ! echo "$t" | grep -q "$TESTS" && continue
  echo "== $t"
  sh "$t" 2>&1 | tee -a "$log" || echo "FAIL $t: exited with $?" | tee -a "$log"
done
rm -rf "$SRCFN_CACHE_DIR"
passed=$(grep -c '^PASS ' "$log")
failed=$(grep -c '^FAIL ' "$log")
echo
grep '^FAIL ' "$log"
rm -f "$log"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
