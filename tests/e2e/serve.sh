#!/bin/sh
# tests/e2e/serve.sh: `srcfn serve` end to end over loopback, with the real
# binary: what the listener answers (200, 413, 404, 405, 415, 400), what the
# function is given (sorted keys, URL, headers, settings), retries, the error
# log, hot reload after deploy and rollback, and a clean stop that leaves
# queued work queued for the next start. Delivery goes to "-" (serve's
# stdout), where the events the function emitted are read back.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/e2e/fixtures/serve/lib.sh"

serve_workspace
add_function echo echo
"$SRCFN" deploy echo >/dev/null 2>&1
"$SRCFN" connect echo --instance e1 --endpoint - --setting greeting=hello --setting secret=s3cr3t-value-1234 >/dev/null 2>&1 ||
  { fail "serve: connect" "srcfn connect failed"; exit 0; }

# The tester (srcfn run) does not sort keys.
printf '{"body": {"b": 1, "a": {"d": 1, "c": 2}}}' >"$TMP/unsorted.json"
run_json echo --request "$TMP/unsorted.json"
expect_json "run: keys arrive as sent" "$OUT" '.events[0].properties.parsed == "{\"b\":1,\"a\":{\"d\":1,\"c\":2}}"'

serve_start --retry-base-ms 50
URL=$(hook e1)

# delivered N EXPR: at least N delivered lines match the jq EXPR.
delivered() {
  [ "$(jq -c "select($2)" "$TMP/serve.out" 2>/dev/null | wc -l)" -ge "$1" ]
}

# --- accepted requests and what the function sees ---------------------------------
post "$URL?x=1&y=a%20b" '{"z": {"b": [{"y": 1, "x": 2}], "a": true}, "n": 1, "m": 0.1}'
expect_eq "serve: a JSON webhook is accepted" "$CODE" 200
expect_json "serve: the answer names the stored request" "$BODY_OUT" '.ok == true and (.id | type) == "number"'
wait_until 20 delivered 1 '.properties.n == 1'
LINE=$(jq -c 'select(.properties.n == 1)' "$TMP/serve.out" | head -1)
expect_json "serve: keys arrive sorted at every depth" "$LINE" \
  '.properties.parsed == "{\"m\":0.1,\"n\":1,\"z\":{\"a\":true,\"b\":[{\"x\":2,\"y\":1}]}}"'
expect_json "serve: text() is the body as sent, so signatures over it verify" "$LINE" \
  '.properties.text == "{\"z\": {\"b\": [{\"y\": 1, \"x\": 2}], \"a\": true}, \"n\": 1, \"m\": 0.1}"'
expect_json "serve: the URL is the placeholder plus the webhook's query" "$LINE" \
  '.properties.url == "https://fn.segmentapis.com/?x=1&y=a%20b"'
expect_json "serve: the instance's settings reach the function" "$LINE" '.properties.greeting == "hello"'

BODY_OUT=$(curl -s -H 'Content-Type: application/json' -H 'X-Custom: c1' -d '{"n": 2}' "$URL")
wait_until 20 delivered 1 '.properties.n == 2'
expect_json "serve: headers arrive as received" "$(jq -c 'select(.properties.n == 2)' "$TMP/serve.out")" \
  '.properties.custom == "c1"'

post "$URL" 'n=3&b=x' application/x-www-form-urlencoded
expect_eq "serve: a form-urlencoded webhook is accepted" "$CODE" 200
wait_until 20 delivered 1 '.properties.n == "3"'
expect_json "serve: a form body is given as sent" "$(jq -c 'select(.properties.n == "3")' "$TMP/serve.out")" \
  '.properties.text == "n=3&b=x"'

# --- refusals ------------------------------------------------------------------------
node -e 'const s = JSON.stringify({n: 4, pad: ""}); process.stdout.write(s.replace(/""/, JSON.stringify("x".repeat(524288 - s.length))))' >"$TMP/exact.json"
expect_eq "serve: the 512 KiB body fixture is 524288 bytes" "$(wc -c <"$TMP/exact.json" | tr -d ' ')" 524288
CODE=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary @"$TMP/exact.json" "$URL")
expect_eq "serve: a body of exactly 512 KiB is accepted" "$CODE" 200
printf ' ' >>"$TMP/exact.json"
OUT=$(curl -s -w '\n%{http_code}' -H 'Content-Type: application/json' --data-binary @"$TMP/exact.json" "$URL")
expect_eq "serve: 512 KiB + 1 is refused with 413" "$(echo "$OUT" | tail -1)" 413
expect_json "serve: the 413 has a JSON error body" "$(echo "$OUT" | head -1)" '.error | test("512 KiB")'
CODE=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' \
  --data-binary @"$TMP/exact.json" "$URL")
expect_eq "serve: a chunked body past 512 KiB is refused with 413" "$CODE" 413

post "http://127.0.0.1:$PORT/hooks/0123456789abcdef0123456789abcdef" '{}'
expect_eq "serve: an unknown token is 404" "$CODE" 404
expect_json "serve: the 404 has a JSON error body" "$BODY_OUT" '.error | type == "string"'
post "http://127.0.0.1:$PORT/elsewhere" '{}'
expect_eq "serve: a path outside /hooks/ is 404" "$CODE" 404

OUT=$(curl -s -D "$TMP/headers" -w '\n%{http_code}' "$URL")
expect_eq "serve: GET is 405" "$(echo "$OUT" | tail -1)" 405
expect_json "serve: the 405 has a JSON error body" "$(echo "$OUT" | head -1)" '.error | type == "string"'
if grep -qi '^Allow: POST' "$TMP/headers"; then pass "serve: the 405 names POST in Allow"; else fail "serve: the 405 names POST in Allow" "$(cat "$TMP/headers")"; fi
CODE=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/json' -d '{}' "$URL")
expect_eq "serve: PUT is 405" "$CODE" 405

post "$URL" 'hello' text/plain
expect_eq "serve: text/plain is 415" "$CODE" 415
post "$URL" '{"a":' application/json
expect_eq "serve: a JSON body that does not parse is 400" "$CODE" 400
CODE=$(printf '{"a":"\377"}' | curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary @- "$URL")
expect_eq "serve: a body that is not UTF-8 is 400" "$CODE" 400
# The UTF-8 check reads ASCII eight bytes at a time: a bad byte or a truncated
# sequence after long ASCII runs, at each offset within a word, is still seen.
bad=0
for pad in 16 17 18 19 20 21 22 23; do
  text=$(printf '%*s' "$pad" '' | tr ' ' x)
  for tail in '\377' '\303' '\355\240\200'; do
    CODE=$(printf '{"a":"%s'"$tail"'"}' "$text" | curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary @- "$URL")
    [ "$CODE" = 400 ] || bad=$((bad + 1))
  done
done
expect_eq "serve: invalid UTF-8 after long ASCII runs is 400 at every offset" "$bad" 0
CODE=$(printf '{"a":"xxxxxxxxxxxxxxxxxxxxxxx\303\251\360\237\230\200xxxxxxxx"}' | curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary @- "$URL")
expect_eq "serve: valid UTF-8 among long ASCII runs is accepted" "$CODE" 200

# --- errors: the log, and retries ------------------------------------------------------
post "$URL" '{"fail": true, "n": 5}'
expect_eq "serve: a webhook whose run will throw is still accepted" "$CODE" 200
errors_count() { [ "$("$SRCFN" errors e1 --json | jq "[.[] | select($1)] | length")" -ge "$2" ]; }
wait_until 20 errors_count '.name == "Error"' 1
ERR=$("$SRCFN" errors e1 --json | jq -c '[.[] | select(.name == "Error")][0]')
expect_json "errors --json: type, name, message, line" "$ERR" \
  '.type == "Bad Request" and .message == "asked to fail" and .line == 8 and .final == true and .attempt == 1'
expect_json "errors --json: the console lines" "$ERR" '.logs[0] == {"level": "log", "message": "got {\"fail\": true, \"n\": 5}"}'
expect_json "errors --json: the request" "$ERR" \
  '.request.method == "POST" and .request.url == "https://fn.segmentapis.com/" and .request.body == "{\"fail\": true, \"n\": 5}" and .request.headers["Content-Type"] == "application/json"'
HUMAN=$("$SRCFN" errors e1)
case "$HUMAN" in
  *"Bad Request: Error: asked to fail (line 8)"*"[log] got {"*) pass "errors: human-readable by default";;
  *) fail "errors: human-readable by default" "$(echo "$HUMAN" | head -8 | tr '\n' ' ')";;
esac
post "$URL" '{"leak": true}'
wait_until 20 errors_count '.message | startswith("leaked")' 1
LEAK=$("$SRCFN" errors e1 --json | jq -c '[.[] | select(.message | startswith("leaked"))][0]')
expect_json "errors: a sensitive setting is masked in the error and the console lines" "$LEAK" \
  '(tostring | test("s3cr3t") | not) and (.message | test("••••")) and (.logs[-1].message | test("••••"))'
if grep -q s3cr3t "$TMP/serve.err"; then fail "serve: a sensitive setting never reaches stderr" "$(grep s3cr3t "$TMP/serve.err" | head -2)"
else pass "serve: a sensitive setting never reaches stderr"; fi
expect_eq "serve: a thrown error is not retried" "$(sql "SELECT state || ' ' || attempts FROM requests WHERE CAST(body AS TEXT) LIKE '%\"fail\"%'")" "failed 1"

post "$URL" '{"retry": true, "n": 6}'
RID=$(echo "$BODY_OUT" | jq .id)
wait_until 30 errors_count '.name == "RetryError"' 7
RETRIES=$("$SRCFN" errors e1 --json | jq -c '[.[] | select(.name == "RetryError")] | reverse')
expect_json "serve: a Retry error is tried seven times in all" "$RETRIES" '[.[].attempt] == [1,2,3,4,5,6,7]'
expect_json "serve: only the seventh is final" "$RETRIES" '[.[].final] == [false,false,false,false,false,false,true]'
# The function logs Date.now() at each run: each gap is at least its backoff
# (50 ms, doubling), so the gaps grow; a run may start late on a busy machine,
# never early.
GAPS=$(echo "$RETRIES" | jq -c '[.[].logs[1].message | ltrimstr("at ") | tonumber] | [range(1; length) as $i | .[$i] - .[$i - 1]]')
expect_json "serve: the gaps between retries grow ($GAPS ms)" "$GAPS" \
  'length == 6 and ([range(0; 6) as $i | .[$i] >= 50 * pow(2; $i) - 5] | all) and .[5] > .[4] and .[4] > .[3]'
wait_until 5 state_is "id = $RID" dropped
expect_eq "serve: after the seventh, the request is dropped" "$(sql "SELECT state || ' ' || attempts FROM requests WHERE id = $RID")" "dropped 7"
expect_eq "errors: an unknown instance exits 2" "$("$SRCFN" errors nope >/dev/null 2>&1; echo $?)" 2

# --- a slow function does not hold every worker ----------------------------------------
"$SRCFN" connect echo --instance fast --endpoint - >/dev/null 2>&1
post "$URL" '{"busy": 2000, "n": 20}'
sleep 0.3
for n in 21 22; do post "$URL" "{\"busy\": 2000, \"n\": $n}"; done
T0=$(date +%s%3N)
post "$(hook fast)" '{"n": 24}'
wait_until 20 delivered 1 '.properties.n == 24'
T1=$(date +%s%3N)
expect_eq "serve: another instance runs while a slow one has work queued ($((T1 - T0)) ms)" \
  "$(test $((T1 - T0)) -lt 1000 && echo quick)" quick
wait_until 20 delivered 1 '.properties.n == 22'

# --- hot reload --------------------------------------------------------------------------
sed 's/'"'"'Echo'"'"'/'"'"'EchoV2'"'"'/' "$FIX/echo.js" >echo/handler.js
"$SRCFN" deploy echo >/dev/null 2>&1
sleep 0.7
post "$URL" '{"n": 7}'
wait_until 20 delivered 1 '.properties.n == 7'
expect_eq "serve: a deploy applies without restart" "$(jq -r 'select(.properties.n == 7) | .event' "$TMP/serve.out")" EchoV2
"$SRCFN" rollback e1 1 >/dev/null 2>&1
sleep 0.7
post "$URL" '{"n": 8}'
wait_until 20 delivered 1 '.properties.n == 8'
expect_eq "serve: a rollback applies without restart" "$(jq -r 'select(.properties.n == 8) | .event' "$TMP/serve.out")" Echo
"$SRCFN" connect echo --instance e2 --endpoint - >/dev/null 2>&1
post "$(hook e2)" '{"n": 9}'
expect_eq "serve: an instance connected while serving is served" "$CODE" 200
expect_eq "serve: the same server throughout" "$(kill -0 "$SERVE_PID" 2>/dev/null && echo alive)" alive

serve_stop
expect_eq "serve: SIGTERM exits 0" "$SERVE_RC" 0
check_sanitizers "serve"

# --- stop and restart: a run in progress finishes, queued requests wait for the next start
serve_start --workers 1
URL=$(hook e1)
post "$URL" '{"n": 10, "busy": 1500}'
post "$URL" '{"n": 11}'
post "$URL" '{"n": 12}'
wait_until 10 state_is "CAST(body AS TEXT) LIKE '%\"n\": 10,%'" running
serve_stop
expect_eq "serve: SIGTERM during a run exits 0" "$SERVE_RC" 0
expect_eq "serve: the run in progress finished" "$(sql "SELECT state FROM requests WHERE CAST(body AS TEXT) LIKE '%\"n\": 10,%'")" done
expect_eq "serve: queued requests stay queued" "$(sql "SELECT group_concat(state) FROM requests WHERE CAST(body AS TEXT) IN ('{\"n\": 11}', '{\"n\": 12}')")" "queued,queued"
serve_start
wait_until 20 delivered 1 '.properties.n == 12'
expect_json "serve: the next start runs what was queued" "$(jq -sc '[.[] | .properties.n]' "$TMP/serve.out")" 'sort == [11, 12]'
if grep -q 'resuming 2 requests' "$TMP/serve.err"; then pass "serve: the restart says what it resumes"; else fail "serve: the restart says what it resumes" "$(head -3 "$TMP/serve.err")"; fi
timeout 20 "$SRCFN" serve --port 0 >/dev/null 2>"$TMP/second.err"
expect_eq "serve: a second server on the same workspace is refused" "$?" 1
serve_stop
expect_eq "serve: exits 0 again" "$SERVE_RC" 0
check_sanitizers "serve restart"
