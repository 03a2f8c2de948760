#!/bin/sh
# tests/e2e/delivery.sh: what `srcfn serve` delivers, end to end over loopback.
# A stand-in for Segment's Tracking and Object APIs (fixtures/segment-api/
# server.js, Node.js) records what reaches it; instances of one function
# deliver to it (and one to "-", stdout). This script owns both servers and
# stops them on exit, whatever happened. tests/unit/test-delivery.c checks the
# same module without serve (limits, restarts, unknown instances).
. "$(dirname "$0")/../lib.sh"
API_PID=""
SERVE_PID=""
stop_servers() {
  [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null
  [ -n "$SERVE_PID" ] && wait "$SERVE_PID" 2>/dev/null
  [ -n "$API_PID" ] && kill "$API_PID" 2>/dev/null
  [ -n "$API_PID" ] && wait "$API_PID" 2>/dev/null
  SERVE_PID=""
  API_PID=""
}
trap 'stop_servers; rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM HUP

if "$SRCFN" serve --help 2>&1 | grep -q 'unknown command'; then
  echo "SKIP delivery.sh: srcfn serve is not built yet (tests/unit/test-delivery.c covers delivery)"
  exit 0
fi

# wait_for FILE: the first line of FILE, once there is one (5 s at most).
wait_for() {
  for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
    line=$(head -n 1 "$1" 2>/dev/null)
    [ -n "$line" ] && { echo "$line"; return 0; }
    sleep 0.25
  done
  return 1
}

node "$ROOT/tests/e2e/fixtures/segment-api/server.js" >"$TMP/api.port" 2>"$TMP/api.err" &
API_PID=$!
API_PORT=$(wait_for "$TMP/api.port") || { fail "delivery: the API server starts" "$(head -3 "$TMP/api.err")"; exit 0; }
API=http://127.0.0.1:$API_PORT
PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
export SRCFN_PORT=$PORT

WS=$TMP/ws
mkdir -p "$WS" && cd "$WS" || exit 1
"$SRCFN" init >/dev/null 2>&1 && "$SRCFN" new emit >/dev/null 2>&1
cat >emit/handler.js <<'EOF'
async function onRequest(request) {
  const b = request.json()
  for (const e of b.events || []) Segment.track({ event: e, userId: 'u1', properties: { n: b.n } })
  for (const o of b.objects || []) Segment.set({ collection: 'products', id: o, properties: { name: 'P ' + o } })
}
EOF
echo '{"displayName": "emit", "settings": []}' >emit/function.json
"$SRCFN" connect emit --instance src --write-key wk_e2e --endpoint "$API" >"$TMP/connect.out" 2>&1
"$SRCFN" connect emit --instance local --write-key wk_local --endpoint - >>"$TMP/connect.out" 2>&1
"$SRCFN" deploy emit >>"$TMP/connect.out" 2>&1
HOOK_SRC=$(grep -o "http://127.0.0.1:$PORT/hooks/[0-9a-f]*" "$TMP/connect.out" | sed -n 1p)
HOOK_LOCAL=$(grep -o "http://127.0.0.1:$PORT/hooks/[0-9a-f]*" "$TMP/connect.out" | sed -n 2p)
if [ -z "$HOOK_SRC" ] || [ -z "$HOOK_LOCAL" ]; then
  fail "delivery: two instances connected" "$(tr '\n' ' ' <"$TMP/connect.out")"
  exit 0
fi
pass "delivery: two instances connected"

"$SRCFN" serve --port "$PORT" >"$TMP/serve.out" 2>"$TMP/serve.err" &
SERVE_PID=$!
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
  curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break
  sleep 0.25
done

hook() { curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' --data-binary "$2" "$1"; }

# received JQ-FILTER: the API server's log, filtered; waits (20 s at most)
# until the filter gives something other than null/false.
received() {
  n=0
  while [ $n -lt 80 ]; do
    OUT=$(curl -s "$API/_received" | jq -c "$1" 2>/dev/null)
    [ -n "$OUT" ] && [ "$OUT" != null ] && [ "$OUT" != false ] && return 0
    sleep 0.25
    n=$((n + 1))
  done
  return 1
}

expect_eq "delivery: the webhook is accepted" "$(hook "$HOOK_SRC" '{"n":1,"events":["A","B","C"],"objects":["p1","p2"]}')" 200
received '[.[] | select(.status == 200 and .path == "/v1/batch")] | if length > 0 then . else null end'
expect_json "delivery: events reach POST /v1/batch with Basic auth (write key, empty password)" "$OUT" \
  '.[0].auth == "wk_e2e:" and .[0].method == "POST" and .[0].contentType == "application/json"'
expect_json "delivery: {\"batch\": [...]} holds the events in order" "$OUT" \
  '[.[].body.batch[] | .event] == ["A","B","C"] and all(.[].body.batch[]; .type == "track" and .userId == "u1")'
expect_json "delivery: messageId, receivedAt, sentAt and context.library are added" "$OUT" \
  'all(.[].body.batch[]; (.messageId | test("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"))
     and (.receivedAt | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\\.[0-9]{3}Z$"))
     and (.sentAt | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\\.[0-9]{3}Z$"))
     and .context.library.name == "srcfn" and (.context.library.version | type) == "string")'
received '[.[] | select(.status == 200 and .path == "/v1/set")] | if length > 0 then . else null end'
expect_json "delivery: objects reach the Object API, POST /v1/set, as {collection, objects: [{id, properties}]}" "$OUT" \
  '.[0].auth == "wk_e2e:" and .[0].body == {"collection":"products","objects":[{"id":"p1","properties":{"name":"P p1"}},{"id":"p2","properties":{"name":"P p2"}}]}'

# The API answers 500 twice: the same messages come back until accepted.
curl -s -o /dev/null -X POST --data-binary '{"n":2}' "$API/_fail"
expect_eq "delivery: a second webhook is accepted" "$(hook "$HOOK_SRC" '{"n":2,"events":["R1","R2"]}')" 200
received '[.[] | select(.status == 200) | .body.batch // [] | .[] | select(.event == "R1")] | if length > 0 then . else null end'
ALL=$(curl -s "$API/_received")
expect_json "delivery: two failed attempts carried the messages" "$ALL" \
  '[.[] | select(.status == 500) | .body.batch // [] | .[].event] == ["R1","R2","R1","R2"]'
expect_json "delivery: retried with the same messageIds, accepted once" "$ALL" \
  '([.[] | select(.status == 500) | .body.batch // [] | .[].messageId] | unique) as $failed
   | [.[] | select(.status == 200) | .body.batch // [] | .[] | select(.event | startswith("R")) | .messageId] as $ok
   | ($ok | length) == 2 and ($ok | sort) == $failed'
expect_json "delivery: no message accepted twice" "$ALL" \
  '[.[] | select(.status == 200) | .body.batch // [] | .[].messageId] | length == (unique | length)'

# Endpoint "-": JSON lines on serve's stdout.
expect_eq "delivery: a webhook to the stdout instance is accepted" "$(hook "$HOOK_LOCAL" '{"n":3,"events":["L1","L2"],"objects":["o1"]}')" 200
n=0
while [ $n -lt 40 ] && [ "$(grep -c '^{' "$TMP/serve.out")" -lt 3 ]; do
  sleep 0.25
  n=$((n + 1))
done
LINES=$(grep '^{' "$TMP/serve.out" | jq -s -c '.')
expect_json "delivery: endpoint - prints one JSON line per message" "$LINES" \
  '[.[] | .event // .id] == ["L1","L2","o1"]'
expect_json "delivery: stdout lines carry the added fields" "$LINES" \
  '.[0].messageId != null and .[0].receivedAt != null and .[0].sentAt != null and .[0].context.library.name == "srcfn"'

kill "$SERVE_PID"; wait "$SERVE_PID"; rc=$?; SERVE_PID=""
expect_eq "delivery: serve stops on SIGTERM" "$rc" 0
if grep -q -e 'Sanitizer' -e 'runtime error' "$TMP/serve.err"; then
  fail "delivery: serve sanitizers clean" "$(grep -m 3 -e 'Sanitizer' -e 'runtime error' "$TMP/serve.err" | tr '\n' ' ')"
else
  pass "delivery: serve sanitizers clean"
fi
