#!/bin/sh
# tests/e2e/functest.sh: `srcfn test`, a function's examples as its tests:
# the PASS/FAIL lines and the "N passed, N failed" summary, the diff of a
# wrong expectation (JSON paths, expected vs got), exit statuses, --update
# (with and without confirmation) rewriting only the expectation, the
# functions-library fixture layout, and running every function of a
# workspace, by name or from inside it.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh

# st ARGS...: runs srcfn test in the current directory; sets $OUT, $ERR, $RC.
st() {
  OUT=$("$SRCFN" test "$@" 2>"$TMP/stderr" </dev/null); RC=$?
  ERR=$(cat "$TMP/stderr")
}
expect_rc() {
  if [ "$RC" = "$2" ]; then pass "$1"; else fail "$1" "exit $RC, want $2; out: $(printf '%s' "$OUT" | head -c 400); err: $(printf '%s' "$ERR" | head -c 300)"; fi
}
expect_has() {
  case "$2" in *"$3"*) pass "$1";; *) fail "$1" "no [$3] in: $(printf '%s' "$2" | head -c 600)";; esac
}
expect_not() {
  case "$2" in *"$3"*) fail "$1" "[$3] in: $(printf '%s' "$2" | head -c 600)";; *) pass "$1";; esac
}
# edit FILE JQ-FILTER: rewrites a JSON file in place.
edit() { jq "$2" "$1" >"$1.new" && mv "$1.new" "$1"; }

F=$TMP/fn
cp -r templates/default "$F"
EX=$F/examples

# --- the output of a passing run ------------------------------------------------------
st "$F"
expect_rc "test: all examples pass: exit 0" 0
expect_eq "test: one PASS line per example, then the summary" "$OUT" "PASS fn/01-order-completed
PASS fn/02-user-created
PASS fn/03-missing-user
PASS fn/04-unknown-event
4 passed, 0 failed"

# --- a wrong expectation ----------------------------------------------------------------
edit "$EX/01-order-completed.json" '.expect.events[0].properties.total = 60
  | .expect.events[0].properties.coupon = "SPRING"
  | del(.expect.events[0].properties.source)
  | .expect.objects |= .[:1]'
st "$F"
expect_rc "test: a failing example: exit 1" 1
expect_has "test: FAIL line names function and example" "$OUT" "FAIL fn/01-order-completed"
expect_has "test: a changed value shows its path, expected and got" "$OUT" "    events[0].properties.total: expected 60, got 59.9"
expect_has "test: a missing key is named" "$OUT" '    events[0].properties.coupon: missing (expected "SPRING")'
expect_has "test: an unexpected key is named" "$OUT" '    events[0].properties.source: unexpected (got "shop")'
expect_has "test: array lengths are compared" "$OUT" "    objects: expected 1 item, got 2"
expect_has "test: the extra item is shown" "$OUT" '    objects[1]: unexpected (got {"collection":"products","id":"sku_2"'
expect_has "test: the other examples still pass" "$OUT" "PASS fn/02-user-created"
expect_has "test: the summary counts both" "$OUT" "3 passed, 1 failed"
cp templates/default/examples/01-order-completed.json "$EX/"

# key order in objects does not matter, numbers compare by value
edit "$EX/02-user-created.json" '.expect.events[0].traits |= (to_entries | reverse | from_entries)'
sed -i 's/"objects": \[\]/"objects": [ ]/' "$EX/02-user-created.json"
st "$F"
expect_rc "test: key order in objects is ignored" 0
sed -i 's/"total": 59.9/"total": 59.90/' "$EX/01-order-completed.json"
st "$F"
expect_rc "test: 59.90 equals 59.9" 0
cp templates/default/examples/0[12]-*.json "$EX/"

# errors: expected but none, none expected but one, a field that differs
edit "$EX/02-user-created.json" '.expect = {"error": {"type": "Message Rejected"}}'
edit "$EX/04-unknown-event.json" '.expect.error = null'
edit "$EX/03-missing-user.json" '.expect.error.message = "user is missing"'
st "$F"
expect_rc "test: wrong error expectations: exit 1" 1
expect_has "test: an expected error that did not happen" "$OUT" '    error: expected Message Rejected, got success'
expect_has "test: an error where success was expected" "$OUT" \
  '    error: expected success, got Unsupported Event Type (EventNotSupported: user.deleted is not supported, line 61)'
expect_has "test: an error field that differs" "$OUT" \
  '    error.message: expected "user is missing", got "user.id is missing from the body"'
expect_has "test: summary" "$OUT" "1 passed, 3 failed"
cp templates/default/examples/*.json "$EX/"

# logs are compared when listed; an unknown expectation key is reported
edit "$EX/02-user-created.json" '.expect.logs = [{"level": "log", "message": "hello"}] | .expect.event = []'
st "$F"
expect_has "test: logs are compared when listed" "$OUT" '    logs[0].message: expected "hello", got "handled user.created for u_7"'
expect_has "test: an unknown expectation key is reported" "$OUT" "    expect.event: not something srcfn compares"
cp templates/default/examples/*.json "$EX/"

# an example without expectation passes when it runs; a broken one fails
edit "$EX/02-user-created.json" 'del(.expect)'
printf '{"body": ' >"$EX/05-broken.json"
st "$F"
expect_rc "test: a broken example fails the run" 1
expect_has "test: an example without expect passes" "$OUT" "PASS fn/02-user-created"
expect_has "test: a broken example says why" "$OUT" "FAIL fn/05-broken
    cannot run this example: "
rm "$EX/05-broken.json"
cp templates/default/examples/*.json "$EX/"

# a handler that does not load fails every example with its error
cp "$F/handler.js" "$TMP/handler.js"
echo 'function (' >>"$F/handler.js"
st "$F"
expect_rc "test: a syntax error fails the run" 1
expect_has "test: the syntax error is shown" "$OUT" "got Bad Request (SyntaxError"
cp "$TMP/handler.js" "$F/handler.js"

# --- --update ------------------------------------------------------------------------------
edit "$EX/01-order-completed.json" '.expect.events[0].properties.total = 1'
cp "$EX/01-order-completed.json" "$TMP/before.json"
OUT=$(echo n | "$SRCFN" test "$F" --update 2>&1); RC=$?
expect_rc "test --update answered no: exit 1" 1
expect_has "test --update shows the new expectation" "$OUT" "new expectation for fn/01-order-completed"
expect_has "test --update shows its content" "$OUT" '"total": 59.9'
expect_has "test --update asks" "$OUT" "write 1 new expectation? [y/N]"
expect_has "test --update answered no writes nothing" "$OUT" "no expectation written"
cmp -s "$EX/01-order-completed.json" "$TMP/before.json" && pass "test --update answered no: the file is unchanged" \
  || fail "test --update answered no: the file is unchanged" "changed"
OUT=$(echo y | "$SRCFN" test "$F" --update 2>&1); RC=$?
expect_rc "test --update answered yes: exit 0" 0
expect_has "test --update names the file written" "$OUT" "updated $EX/01-order-completed.json"
st "$F"
expect_rc "test: after --update every example passes" 0
edit "$EX/04-unknown-event.json" '.expect.error.line = 1'
cp "$EX/04-unknown-event.json" "$TMP/before.json"
st "$F" --update --yes
expect_rc "test --update --yes: exit 0" 0
expect_not "test --update --yes does not ask" "$OUT" "[y/N]"
expect_json "test --update --yes rewrote the expectation" "$(cat "$EX/04-unknown-event.json")" \
  '.expect.error == {"type": "Unsupported Event Type", "name": "EventNotSupported", "message": "user.deleted is not supported", "line": 61}'
if [ "$(jq -c 'del(.expect)' "$EX/04-unknown-event.json")" = "$(jq -c 'del(.expect)' "$TMP/before.json")" ]; then
  pass "test --update --yes keeps the rest of the example"
else
  fail "test --update --yes keeps the rest of the example" "$(cat "$EX/04-unknown-event.json")"
fi
# only the expect member's text changed: the request is byte for byte the same
if [ "$(sed -n '1,/"expect"/p' "$EX/04-unknown-event.json")" = "$(sed -n '1,/"expect"/p' "$TMP/before.json")" ]; then
  pass "test --update --yes keeps the request's formatting"
else
  fail "test --update --yes keeps the request's formatting" "$(head -5 "$EX/04-unknown-event.json")"
fi
# an example without expectation gets one
edit "$EX/02-user-created.json" 'del(.expect)'
edit "$EX/01-order-completed.json" '.expect.error = {"type": "Retry"}'
st "$F" --update --yes
expect_json "test --update --yes adds an expectation to a failing example" "$(cat "$EX/01-order-completed.json")" \
  '.expect.error == null and (.expect.events | length) == 1 and (.expect.objects | length) == 2 and (.expect.logs | length) == 1'
expect_json "test --update leaves an example without expectation alone (it passes)" "$(cat "$EX/02-user-created.json")" 'has("expect") | not'
st "$F" --yes
expect_rc "test --yes without --update is refused" 2

# --- the functions-library layout: fixtures/NAME.json + NAME.expect.json -------------------
mkdir -p "$F/fixtures"
cat >"$F/fixtures/signup.json" <<'JSON'
{"payload": {"body": {"type": "user.created", "user": {"id": "u_9", "email": "e@example.com", "name": "Eleven"}},
             "headers": {"Content-Type": "application/json"}}, "settings": {}}
JSON
echo '{"events": [{"type": "identify", "userId": "u_9", "traits": {"email": "e@example.com", "name": "Eleven", "plan": "pro"}}]}' \
  >"$F/fixtures/signup.expect.json"
st "$F"
expect_has "test: a fixture is run with the expectation beside it" "$OUT" 'FAIL fn/fixtures/signup
    events[0].traits.plan: expected "pro", got "free"'
st "$F" --update --yes
expect_json "test --update writes NAME.expect.json for a fixture" "$(cat "$F/fixtures/signup.expect.json")" \
  '.events[0].traits.plan == "free" and .error == null'
st "$F"
expect_rc "test: the fixture passes after --update" 0

# --- what runs --------------------------------------------------------------------------------
st "$TMP/nowhere"
expect_rc "test: a path that is neither a directory nor a function name: exit 2" 2
mkdir -p "$TMP/empty"
st "$TMP/empty"
expect_rc "test: a directory without functions: exit 2" 2
mkdir -p "$TMP/bare" && cp templates/default/handler.js "$TMP/bare/"
st "$TMP/bare"
expect_rc "test: a function without examples: exit 1" 1
expect_has "test: says there are no examples" "$ERR" "has no examples"
# outside a workspace, no argument: the current directory when it is a function
OUT=$(cd "$F" && "$SRCFN" test 2>&1); RC=$?
expect_rc "test: no argument in a function directory runs it" 0
expect_has "test: ... named after the directory" "$OUT" "PASS fn/01-order-completed"
OUT=$(cd "$TMP/empty" && "$SRCFN" test 2>&1); RC=$?
expect_rc "test: no argument outside a workspace and a function: exit 2" 2
# a folder of functions (templates/ or a workspace) runs them all
mkdir -p "$TMP/two" && cp -r templates/default "$TMP/two/a" && cp -r templates/default "$TMP/two/b"
st "$TMP/two"
expect_rc "test: a folder of functions runs each" 0
expect_has "test: ... the first" "$OUT" "PASS a/04-unknown-event"
expect_has "test: ... and the second, with one summary" "$OUT" "PASS b/01-order-completed
PASS b/02-user-created
PASS b/03-missing-user
PASS b/04-unknown-event
8 passed, 0 failed"

# --- a workspace ---------------------------------------------------------------------------
W=$TMP/ws
mkdir -p "$W"
(cd "$W" && "$SRCFN" init >/dev/null 2>&1 && "$SRCFN" new shop >/dev/null 2>&1 && "$SRCFN" new gh --template github >/dev/null 2>&1)
OUT=$(cd "$W" && "$SRCFN" test 2>&1); RC=$?
expect_rc "test: no argument in a workspace runs every function" 0
expect_has "test: ... its github function" "$OUT" "PASS gh/01-push"
expect_has "test: ... its default function" "$OUT" "PASS shop/04-unknown-event"
expect_has "test: ... with one summary" "$OUT" "11 passed, 0 failed"
OUT=$(cd "$W/gh" && "$SRCFN" test shop 2>&1); RC=$?
expect_rc "test NAME runs the workspace's function by name" 0
expect_not "test NAME runs only that one" "$OUT" "gh/"
OUT=$(cd "$W" && "$SRCFN" test nosuch 2>&1); RC=$?
expect_rc "test: an unknown function name: exit 2" 2
expect_has "test: ... says so" "$OUT" 'no function "nosuch" in the workspace'
edit "$W/gh/examples/01-push.json" '.expect.events[0].event = "Pushed"'
OUT=$(cd "$W" && "$SRCFN" test 2>&1); RC=$?
expect_rc "test: one failing example in the workspace: exit 1" 1
expect_has "test: ... shown with its function" "$OUT" 'FAIL gh/01-push
    events[0].event: expected "Pushed", got "Code Pushed"'
expect_has "test: ... counted" "$OUT" "10 passed, 1 failed"

# Every example starts as a test run does: module state and cache are empty.
mkdir -p "$TMP/fresh/examples"
cat > "$TMP/fresh/handler.js" <<'JS'
let runs = 0;
async function onRequest() {
  runs++;
  const cached = await cache.load('k', -1, async () => `loaded at run ${runs}`);
  Segment.track({ event: cached, userId: String(runs) });
}
JS
for n in 1 2; do
  printf '{"body": {}, "expect": {"events": [{"type": "track", "event": "loaded at run 1", "userId": "1"}]}}' \
    > "$TMP/fresh/examples/0$n.json"
done
OUT=$("$SRCFN" test "$TMP/fresh" 2>&1); RC=$?
expect_rc "test: each example starts with empty state and cache" 0
