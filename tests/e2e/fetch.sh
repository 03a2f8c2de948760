#!/bin/sh
# tests/e2e/fetch.sh: fetch against a real HTTP server. The server
# (fixtures/fetch/server.js, Node.js) listens on 127.0.0.1 on a port the system
# picks; this script owns it and stops it on exit, whatever happened. Each
# fixture function reads the port from its request body.
. "$(dirname "$0")/../lib.sh"
FIX=$ROOT/tests/e2e/fixtures/fetch
SERVER_PID=""
stop_server() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null
  [ -n "$SERVER_PID" ] && wait "$SERVER_PID" 2>/dev/null
  SERVER_PID=""
}
trap 'stop_server; rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM HUP

node "$FIX/server.js" >"$TMP/port" 2>"$TMP/server.err" &
SERVER_PID=$!
PORT=""
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
  PORT=$(head -n 1 "$TMP/port" 2>/dev/null)
  [ -n "$PORT" ] && break
  sleep 0.25
done
if [ -z "$PORT" ]; then
  fail "fetch server starts" "$(cat "$TMP/server.err" | head -3 | tr '\n' ' ')"
  exit 0
fi
pass "fetch server starts"

# A port nothing listens on: taken from the system, then released.
CLOSED=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
printf '{"payload": {"body": {"port": %s, "closed": %s}}}\n' "$PORT" "$CLOSED" >"$TMP/request.json"

# run_fixture NAME: runs fixtures/fetch/NAME.js; $OUT, $RC, and $LOG (its first
# console line). Checks that the sanitisers had nothing to say about the run.
run_fixture() {
  run_json "$FIX/$1.js" --request "$TMP/request.json"
  LOG=$(printf '%s' "$OUT" | jq -r '.logs[0].message // empty' 2>/dev/null)
  if grep -q -e 'Sanitizer' -e 'runtime error' "$TMP/stderr"; then
    fail "fetch $1: sanitizers clean" "$(grep -m 3 -e 'Sanitizer' -e 'runtime error' "$TMP/stderr" | tr '\n' ' ')"
  else
    pass "fetch $1: sanitizers clean"
  fi
}

run_fixture json
expect_json "fetch json: the run succeeds" "$OUT" '.error == null'
expect_json "fetch json: status 200, ok" "$LOG" '.status == 200 and .ok == true and .statusText == "OK"'
expect_json "fetch json: body parsed" "$LOG" '.body == {"hello": "world", "n": 42} and .bodyUsed == true'
expect_json "fetch json: headers and url" "$LOG" \
  ".contentType == \"application/json\" and .url == \"http://127.0.0.1:$PORT/json\" and .redirected == false"

run_fixture status
expect_json "fetch 404 resolves with ok false" "$LOG" '."404" == {"status": 404, "ok": false, "statusText": "Not Found", "text": "status 404"}'
expect_json "fetch 500 resolves with ok false" "$LOG" '."500".status == 500 and ."500".ok == false and ."500".statusText == "Internal Server Error"'

run_fixture echo
expect_json "fetch echo: method" "$LOG" '.echo.method == "POST" and .echo.url == "/echo?q=1"'
expect_json "fetch echo: custom headers arrive" "$LOG" \
  '.echo.headers["x-custom"] == "custom value" and .echo.headers.authorization == "Bearer t0k3n" and .echo.headers["content-type"] == "application/json"'
expect_json "fetch echo: node-fetch default headers" "$LOG" \
  '.echo.headers.accept == "*/*" and (.echo.headers["user-agent"] | startswith("node-fetch/1.0")) and .echo.headers["accept-encoding"] == "gzip,deflate" and .echo.headers.expect == null'
expect_json "fetch echo: body arrives as UTF-8" "$LOG" \
  '(.echo.body | fromjson) == {"hello": "w\u00f6rld", "n": [1, 2]} and .echo.headers["content-length"] == (.echo.body | utf8bytelength | tostring)'
expect_json "fetch echo: URLSearchParams body" "$LOG" \
  '.form.method == "PUT" and .form.body == "a=1+2&b=x%26y" and .form.headers["content-type"] == "application/x-www-form-urlencoded;charset=UTF-8"'
expect_json "fetch echo: binary body" "$LOG" '.bytes.bodyBase64 == "AAH+/w==" and .bytes.headers["content-type"] == null'

run_fixture redirect
expect_json "fetch redirect: followed to the final url" "$LOG" \
  ".status == 200 and .url == \"http://127.0.0.1:$PORT/json\" and .redirected == true and .body.hello == \"world\""
expect_json "fetch redirect: manual keeps the 302, Location absolute" "$LOG" \
  ".manual == {\"status\": 302, \"location\": \"http://127.0.0.1:$PORT/json\"}"
expect_json "fetch redirect: error mode rejects" "$LOG" '.refused == {"name": "FetchError", "type": "no-redirect"}'
expect_json "fetch redirect: 303 turns a POST into a GET" "$LOG" '.post == {"method": "GET", "body": ""}'

run_fixture refused
expect_json "fetch refused: rejects with FetchError ECONNREFUSED" "$LOG" \
  '.name == "FetchError" and .type == "system" and .code == "ECONNREFUSED" and .errno == "ECONNREFUSED" and .isError == true'
expect_json "fetch refused: node-fetch message" "$LOG" \
  ".message == \"request to http://127.0.0.1:$CLOSED/ failed, reason: connect ECONNREFUSED 127.0.0.1:$CLOSED\""

run_fixture body
expect_json "fetch body: gzip decoded" "$LOG" '.gzip == {"compressed": true, "length": 1000}'
expect_json "fetch body: binary intact" "$LOG" '.binary == {"length": 256, "first": 0, "last": 255}'
expect_json "fetch body: invalid JSON rejects as node-fetch does" "$LOG" \
  ".badJson == {\"name\": \"FetchError\", \"type\": \"invalid-json\", \"prefix\": \"invalid json response body at http://127.0.0.1:$PORT/bad-json\"}"
expect_json "fetch body: text and clone" "$LOG" '.text == "plain text, h\u00e9llo" and .cloneText == .text'
expect_json "fetch body: used twice is a TypeError" "$LOG" '.usedTwice == {"name": "TypeError", "message": "body used already for: BASE/text"}'
expect_json "fetch body: new Response" "$LOG" \
  '.made == {"status": 201, "ok": true, "statusText": "Created", "type": "text/plain;charset=UTF-8", "made": "yes", "text": "made by hand"}'
expect_json "fetch body: abort rejects with AbortError" "$LOG" '.abort == {"name": "AbortError", "type": "aborted"}'

run_fixture concurrent
expect_json "fetch concurrent: both answers" "$LOG" '.a.slept == 1000 and .b.slept == 1000'
expect_json "fetch concurrent: Promise.all of two 1 s requests takes about 1 s" "$LOG" '.elapsed > 900 and .elapsed < 1700'

started=$(date +%s%N)
run_fixture timeout
ended=$(date +%s%N)
expect_json "fetch past the time limit: TimeoutError" "$OUT" \
  '.error.type == "Bad Request" and .error.name == "TimeoutError" and (.logs | length) == 0'
expect_json "fetch past the time limit: the run lasts about 5 s" "$OUT" '.durationMs > 4900 and .durationMs < 5600'
case $started$ended in
  *[!0-9]*) ;;   # no nanoseconds from date(1): the run's own duration was checked above
  *) wall=$(( (ended - started) / 1000000 ))
     if [ "$wall" -lt 9000 ]; then pass "fetch past the time limit: srcfn exits before the response"
     else fail "fetch past the time limit: srcfn exits before the response" "took ${wall} ms"; fi ;;
esac

pid=$SERVER_PID
stop_server
if kill -0 "$pid" 2>/dev/null; then fail "fetch server stopped" "still running"; else pass "fetch server stopped"; fi
