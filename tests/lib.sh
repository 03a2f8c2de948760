# tests/lib.sh: helpers for end-to-end tests, sourced by tests/e2e/*.sh.
# Every check prints one line, "PASS name" or "FAIL name: why"; tests/run.sh
# counts them. $SRCFN is the binary under test (the sanitised build in make test).
: "${SRCFN:=$(pwd)/srcfn}"
ROOT=$(pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }

# check NAME COMMAND...: passes when COMMAND exits 0.
check() {
  name=$1; shift
  if out=$("$@" 2>&1); then pass "$name"; else fail "$name" "$(echo "$out" | tail -3 | tr '\n' ' ')"; fi
}

# expect_eq NAME ACTUAL EXPECTED
expect_eq() {
  if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got [$2], want [$3]"; fi
}

# expect_json NAME JSON JQ-EXPR: passes when the jq expression is true for JSON.
expect_json() {
  if printf '%s' "$2" | jq -e "$3" >/dev/null 2>&1; then pass "$1"
  else fail "$1" "jq '$3' false for: $(printf '%s' "$2" | head -c 400)"; fi
}

# run_json ARGS...: runs `srcfn run ARGS --json`, sets $OUT (stdout) and $RC.
run_json() {
  OUT=$("$SRCFN" run "$@" --json 2>"$TMP/stderr"); RC=$?
}
