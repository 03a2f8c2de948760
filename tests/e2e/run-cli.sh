#!/bin/sh
# srcfn run: request formats, settings precedence, output and exit statuses.
. tests/lib.sh
F=tests/e2e/fixtures/cli

run_json $F/echo.js --request $F/fixture-format.json
expect_eq "run: fixture format succeeds" "$RC" 0
expect_json "run: fixture queryParameters become the URL query" "$OUT" \
  '.events[0].properties.query == "a b&c" and (.logs[0].message | startswith("https://fn.segmentapis.com/?q="))'
expect_json "run: fixture headers and settings reach the function" "$OUT" \
  '.logs[1] == {"level":"info","message":"fixture"} and .events[0].properties.settings.apiKey == "from-fixture"'
expect_json "run: a JSON body object is sent as JSON text" "$OUT" '.events[0].properties.text == "{\"userId\":\"u1\"}"'

run_json $F/echo.js --request $F/srcfn-format.json
expect_json "run: srcfn format keeps method, URL and raw body" "$OUT" \
  '.events[0].properties.method == "PUT" and .events[0].properties.query == "42" and .events[0].properties.text == "{\"userId\": \"u2\"}" and .logs[0].message == "https://example.com/hook?q=42"'
expect_json "run: repeated header values join with a comma" "$OUT" '.logs[1].message == "a, b"'

run_json $F/echo.js --request $F/srcfn-format.json --settings $F/settings.json
expect_json "run: --settings wins over the request file's settings" "$OUT" '.events[0].properties.settings.apiKey == "from-flag"'

run_json $F/echo.js
expect_json "run: without a request, an empty JSON POST" "$OUT" '.events[0].userId == "anon" and .events[0].properties.method == "POST" and .events[0].properties.text == "{}"'

run_json templates/default
expect_eq "run: a directory runs its first example" "$RC" 0
expect_json "run: first example's events" "$OUT" '.events[0].event == "Order Completed" and (.objects | length) == 2'

out=$("$SRCFN" run templates/default 2>&1); rc=$?
expect_eq "run: human output exits 0" "$rc" 0
case "$out" in *"ok: onRequest succeeded"*"events (1)"*'"event": "Order Completed"'*"objects (2)"*"console (1)"*) pass "run: human output sections";; *) fail "run: human output sections" "$out";; esac

out=$("$SRCFN" run templates/default --request templates/default/examples/03-missing-user.json 2>&1); rc=$?
expect_eq "run: a thrown error exits 1" "$rc" 1
case "$out" in *"error: Message Rejected: ValidationError: user.id is missing from the body"*"handler.js:23"*) pass "run: human error line";; *) fail "run: human error line" "$out";; esac

"$SRCFN" run $F/echo.js --request $F/broken.json >/dev/null 2>"$TMP/err"; rc=$?
expect_eq "run: a request file that is not JSON exits 2" "$rc" 2
case "$(cat "$TMP/err")" in *"broken.json is not valid JSON"*"line 1"*) pass "run: bad JSON names file and position";; *) fail "run: bad JSON names file and position" "$(cat "$TMP/err")";; esac
expect_eq "run: bad JSON message is one line" "$(wc -l < "$TMP/err" | tr -d ' ')" 1

"$SRCFN" run $TMP/nowhere.js >/dev/null 2>"$TMP/err"; rc=$?
expect_eq "run: a missing handler exits 2" "$rc" 2
case "$(cat "$TMP/err")" in *"cannot read"*"nowhere.js"*"No such file"*) pass "run: missing file message";; *) fail "run: missing file message" "$(cat "$TMP/err")";; esac

"$SRCFN" run >/dev/null 2>"$TMP/err"; rc=$?
expect_eq "run: no target is a usage error" "$rc" 2
"$SRCFN" run $F/echo.js --bogus >/dev/null 2>"$TMP/err"; rc=$?
expect_eq "run: an unknown option is a usage error" "$rc" 2
"$SRCFN" frobnicate >/dev/null 2>"$TMP/err"; rc=$?
expect_eq "unknown command exits 2" "$rc" 2

run_json $F/surrogates.js
expect_json "run: surrogate pairs print as UTF-8, lone halves as U+FFFD" "$OUT" \
  '.error == null and .logs[0].message == "a\ufffdb \ufffd é 😀"'
