#!/bin/sh
# tests/e2e/capture.sh: `srcfn listen` / `srcfn captures` / `srcfn run --capture`
# with the real binary over loopback. The listener runs on a port the system
# picks (--port 0); this script owns it and stops it on exit, whatever happened.
. "$(dirname "$0")/../lib.sh"
LISTEN_PID=""
stop_listener() {
  [ -n "$LISTEN_PID" ] && kill "$LISTEN_PID" 2>/dev/null
  [ -n "$LISTEN_PID" ] && wait "$LISTEN_PID" 2>/dev/null
  LISTEN_PID=""
}
trap 'stop_listener; rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM HUP

WS=$TMP/ws
mkdir -p "$WS" && cd "$WS" || exit 1
"$SRCFN" init >/dev/null 2>&1 && "$SRCFN" new echo >/dev/null 2>&1
check "capture: a workspace with a function" test -f echo/handler.js
cat >echo/handler.js <<'EOF'
async function onRequest(request, settings) {
  Segment.track({
    event: 'Captured', userId: 'u1',
    properties: {
      body: request.json(), text: request.text(), url: request.url.href,
      q: request.url.searchParams.get('q'), type: request.headers.get('content-type'),
      custom: request.headers.get('x-custom'), method: request.method || null
    }
  })
}
EOF

"$SRCFN" listen echo --port 0 >"$TMP/listen.out" 2>"$TMP/listen.err" &
LISTEN_PID=$!
URL=""
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
  URL=$(sed -n 's|^capturing requests for echo at \(http://127\.0\.0\.1:[0-9]*/\)$|\1|p' "$TMP/listen.out" 2>/dev/null)
  [ -n "$URL" ] && break
  sleep 0.25
done
if [ -z "$URL" ]; then
  fail "capture: listen prints its URL" "$(head -3 "$TMP/listen.out" "$TMP/listen.err" | tr '\n' ' ')"
  exit 0
fi
pass "capture: listen prints its URL"

# post NAME CURL-ARGS...: POSTs to the capture URL; sets $BODY and $CODE.
post() {
  name=$1; shift
  CODE=$(curl -s -o "$TMP/reply" -w '%{http_code}' "$@")
  BODY=$(cat "$TMP/reply")
}

post json -X POST -H 'Content-Type: application/json' -H 'X-Custom: yes' \
  --data-binary '{"userId":"u1","b":2,"a":[1,2]}' "${URL}hooks/stripe?q=search%20me&n=1"
expect_eq "capture: a JSON POST is answered 200" "$CODE" 200
expect_json "capture: the answer names the capture" "$BODY" '.ok == true and (.capture | type) == "number"'
JSON_ID=$(printf '%s' "$BODY" | jq -r .capture)

post form -X POST --data-binary 'name=Jane+Doe&tag=a&tag=b' "$URL"
expect_eq "capture: a form POST is answered 200" "$CODE" 200
FORM_ID=$(printf '%s' "$BODY" | jq -r .capture)

post get "$URL"
expect_eq "capture: GET is refused with 405" "$CODE" 405

# 512 KiB is accepted, one byte more is refused (413), and not stored.
node -e 'process.stdout.write(JSON.stringify({pad: "x".repeat(512 * 1024 - 10)}))' >"$TMP/limit.json"
expect_eq "capture: the limit body is 512 KiB" "$(wc -c <"$TMP/limit.json" | tr -d ' ')" 524288
post limit -X POST -H 'Content-Type: application/json' --data-binary @"$TMP/limit.json" "$URL"
expect_eq "capture: a body of exactly 512 KiB is accepted" "$CODE" 200
LIMIT_ID=$(printf '%s' "$BODY" | jq -r .capture)
printf ' ' >>"$TMP/limit.json"
post over -X POST -H 'Content-Type: application/json' --data-binary @"$TMP/limit.json" "$URL"
expect_eq "capture: 512 KiB + 1 is refused with 413" "$CODE" 413

sleep 0.2
lines=$(grep -c '^#[0-9]' "$TMP/listen.out")
expect_eq "capture: listen prints one line per capture" "$lines" 3
case "$(grep "^#$JSON_ID " "$TMP/listen.out")" in
  *"POST /hooks/stripe?q=search%20me&n=1"*"application/json"*'{"userId":"u1"'*) pass "capture: the line shows method, path, type and body" ;;
  *) fail "capture: the line shows method, path, type and body" "$(cat "$TMP/listen.out")" ;;
esac

OUT=$("$SRCFN" captures echo --json 2>"$TMP/stderr"); RC=$?
expect_eq "captures --json exits 0" "$RC" 0
expect_json "captures: newest first" "$OUT" "length == 3 and .[0].id == $LIMIT_ID and .[1].id == $FORM_ID and .[2].id == $JSON_ID"
expect_json "captures: the JSON capture, raw body and headers" "$OUT" \
  ".[2] | .method == \"POST\" and .path == \"/hooks/stripe\" and .query == \"q=search%20me&n=1\"
   and .body == \"{\\\"userId\\\":\\\"u1\\\",\\\"b\\\":2,\\\"a\\\":[1,2]}\" and .headers[\"X-Custom\"] == \"yes\"
   and .contentType == \"application/json\" and .size == 31 and .function == \"echo\" and (.at | test(\"Z$\"))"
expect_json "captures: the form capture, raw body" "$OUT" \
  ".[1] | .body == \"name=Jane+Doe&tag=a&tag=b\" and .contentType == \"application/x-www-form-urlencoded\" and .path == \"/\""

out=$("$SRCFN" captures echo 2>&1); rc=$?
expect_eq "captures: the table exits 0" "$rc" 0
case "$out" in
  "ID "*"TIME"*"METHOD"*"PATH"*"SIZE"*"TYPE"*"BODY"*"$FORM_ID "*"application/x-www-form-urlencoded"*"name=Jane+Doe"*"$JSON_ID "*"/hooks/stripe"*"31 B"*) pass "captures: the table" ;;
  *) fail "captures: the table" "$out" ;;
esac

run_json echo --capture "$JSON_ID"
expect_eq "run --capture: exits 0" "$RC" 0
expect_json "run --capture: json() gives the body, text() the raw text" "$OUT" \
  '.events[0].properties | .body == {"userId":"u1","b":2,"a":[1,2]} and .text == "{\"userId\":\"u1\",\"b\":2,\"a\":[1,2]}"'
expect_json "run --capture: the default URL with the query, headers as captured" "$OUT" \
  '.events[0].properties | .url == "https://fn.segmentapis.com/?q=search%20me&n=1" and .q == "search me"
   and .type == "application/json" and .custom == "yes"'

run_json echo --capture "$FORM_ID"
expect_json "run --capture: a form body reads as fields" "$OUT" \
  '.events[0].properties | .body == {"name":"Jane Doe","tag":["a","b"]} and .text == "name=Jane+Doe&tag=a&tag=b"'

(cd echo && "$SRCFN" run echo --capture "$FORM_ID" --json >/dev/null 2>&1); rc=$?
expect_eq "run --capture: NAME is found in the workspace from a subdirectory" "$rc" 0

run_json echo --capture 999999
expect_eq "run --capture: an unknown id exits 2" "$RC" 2
case "$(cat "$TMP/stderr")" in *"no capture 999999"*) pass "run --capture: an unknown id is named" ;;
  *) fail "run --capture: an unknown id is named" "$(cat "$TMP/stderr")" ;; esac

# Only the newest 100 captures of a function are kept.
i=0
while [ $i -lt 100 ]; do
  curl -s -o /dev/null -X POST -H 'Content-Type: application/json' --data-binary "{\"n\":$i}" "$URL" || break
  i=$((i + 1))
done
OUT=$("$SRCFN" captures echo --json 2>/dev/null)
expect_json "captures: the newest 100 are kept" "$OUT" \
  "length == 100 and .[0].body == \"{\\\"n\\\":99}\" and .[99].body == \"{\\\"n\\\":0}\" and all(.[]; .id != $JSON_ID)"
OUT=$("$SRCFN" captures echo --json --limit 2 2>/dev/null)
expect_json "captures: --limit" "$OUT" 'length == 2'

kill "$LISTEN_PID"; wait "$LISTEN_PID"; rc=$?; LISTEN_PID=""
expect_eq "capture: listen stops on SIGTERM with status 0" "$rc" 0
if grep -q -e 'Sanitizer' -e 'runtime error' "$TMP/listen.err"; then
  fail "capture: listen sanitizers clean" "$(grep -m 3 -e 'Sanitizer' -e 'runtime error' "$TMP/listen.err" | tr '\n' ' ')"
else
  pass "capture: listen sanitizers clean"
fi

"$SRCFN" listen nosuch --port 0 >/dev/null 2>"$TMP/err"; rc=$?
expect_eq "capture: listen for a missing function exits 2" "$rc" 2
"$SRCFN" listen echo --port 99999 >/dev/null 2>"$TMP/err"; rc=$?
expect_eq "capture: listen refuses a bad port" "$rc" 2
