#!/bin/sh
# tests/e2e/push.sh: srcfn push and pull end to end, over loopback, against a
# stand-in for the Functions endpoints of Segment's Public API
# (fixtures/segment-public-api/server.js, Node.js) that checks the Bearer
# token and the documented request shapes and records what reached it. This
# script owns the server and stops it on exit, whatever happened.
. "$(dirname "$0")/../lib.sh"
API_PID=""
stop_server() {
  [ -n "$API_PID" ] && kill "$API_PID" 2>/dev/null
  [ -n "$API_PID" ] && wait "$API_PID" 2>/dev/null
  API_PID=""
}
trap 'stop_server; rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM HUP

if "$SRCFN" push --help 2>&1 | grep -q 'unknown command'; then
  fail "push: srcfn push exists" "unknown command"
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

TOKEN=tok_e2e_5f2b
node "$ROOT/tests/e2e/fixtures/segment-public-api/server.js" --token "$TOKEN" >"$TMP/api.port" 2>"$TMP/api.err" &
API_PID=$!
API_PORT=$(wait_for "$TMP/api.port") || { fail "push: the API server starts" "$(head -3 "$TMP/api.err")"; exit 0; }
API=http://127.0.0.1:$API_PORT

# sw ARGS...: runs srcfn in the current directory; sets $OUT, $ERR, $RC.
sw() {
  OUT=$("$SRCFN" "$@" 2>"$TMP/stderr"); RC=$?
  ERR=$(cat "$TMP/stderr")
}
expect_rc() {
  if [ "$RC" = "$2" ]; then pass "$1"; else fail "$1" "exit $RC, want $2; out: $(printf '%s' "$OUT" | head -c 300); err: $(printf '%s' "$ERR" | head -c 300)"; fi
}
expect_has() {
  case "$2" in *"$3"*) pass "$1";; *) fail "$1" "no [$3] in: $(printf '%s' "$2" | head -c 400)";; esac
}
# last: the last request the API received.
last() { curl -s "$API/_received" | jq -c '.[-1]'; }
count() { curl -s "$API/_received" | jq 'length'; }

WS=$TMP/ws
mkdir -p "$WS" && cd "$WS" || exit 1
unset SEGMENT_TOKEN
"$SRCFN" init >/dev/null 2>&1 && "$SRCFN" new orders >/dev/null 2>&1
cat >orders/handler.js <<'EOF'
// Orders webhook: one track per order.
async function onRequest(request, settings) {
  const body = request.json()
  Segment.track({ event: 'Order Completed', userId: body.user, properties: { total: body.total } })
}
EOF
cat >orders/function.json <<'EOF'
{
  "displayName": "Orders Pipeline",
  "description": "Orders from the shop",
  "logoUrl": "https://example.com/logo.png",
  "settings": [
    {"name": "apiKey", "label": "API key", "description": "the shop's key", "type": "STRING", "required": true, "sensitive": true},
    {"name": "regions", "type": "ARRAY"}
  ]
}
EOF
cp orders/function.json "$TMP/function.json.orig"

# --- refusals before any request -------------------------------------------------
sw push orders --base "$API"
expect_rc "push: without a token exits 2" 2
expect_has "push: the refusal names SEGMENT_TOKEN" "$ERR" "SEGMENT_TOKEN"
SEGMENT_TOKEN=$TOKEN sw push orders --base http://example.com
expect_rc "push: plain http to a non-loopback host is refused" 2
expect_has "push: the refusal says why" "$ERR" "loopback"
SEGMENT_TOKEN=$TOKEN sw push nothere --base "$API"
expect_rc "push: an unknown function is refused" 2
expect_eq "push: nothing reached the API yet" "$(count)" 0

# --- a bad token: the API's message is shown -----------------------------------------
SEGMENT_TOKEN=wrong sw push orders --base "$API"
expect_rc "push: a bad token exits 1" 1
expect_has "push: the 401 status is shown" "$ERR" "401 Unauthorized"
expect_has "push: the API's error message is shown" "$ERR" "The API token is missing or invalid"
expect_eq "push: a failed push remembers no id" "$(sqlite3 .srcfn/state.db 'select count(*) from remote')" 0

# --- create -----------------------------------------------------------------------------
SEGMENT_TOKEN=$TOKEN sw push orders --base "$API"
expect_rc "push: create exits 0" 0
expect_has "push: says it created the function" "$OUT" "created orders in Segment as sfnc_"
REQ=$(last)
expect_json "push: POST /functions with the Bearer token and JSON" "$REQ" \
  ".method == \"POST\" and .path == \"/functions\" and .auth == \"Bearer $TOKEN\" and .contentType == \"application/json\" and .status == 200"
CODE=$(jq -Rs . <orders/handler.js)
expect_json "push: the body is the mapped function object" "$REQ" \
  ".body == {\"code\": $CODE, \"displayName\": \"Orders Pipeline\", \"description\": \"Orders from the shop\",
    \"logoUrl\": \"https://example.com/logo.png\", \"resourceType\": \"SOURCE\",
    \"settings\": [{\"name\": \"apiKey\", \"label\": \"API key\", \"description\": \"the shop's key\", \"type\": \"STRING\", \"required\": true, \"sensitive\": true},
                   {\"name\": \"regions\", \"label\": \"regions\", \"description\": \"\", \"type\": \"ARRAY\", \"required\": false, \"sensitive\": false}]}"
ID=$(printf '%s' "$OUT" | grep -o 'sfnc_[0-9a-f]*' | head -1)
expect_eq "push: the remote id is remembered" "$(sqlite3 .srcfn/state.db "select remote_id from remote where function='orders' and base_url='$API'")" "$ID"
if cmp -s orders/function.json "$TMP/function.json.orig"; then pass "push: function.json is left as it was (no srcfn key)"
else fail "push: function.json is left as it was (no srcfn key)" "$(cat orders/function.json)"; fi

# --- update -------------------------------------------------------------------------------
echo "// edited" >>orders/handler.js
SEGMENT_TOKEN=$TOKEN sw push orders --base "$API/"
expect_rc "push: update exits 0" 0
expect_has "push: says it updated the function" "$OUT" "updated $ID in Segment"
REQ=$(last)
expect_json "push: PATCH /functions/{id}" "$REQ" ".method == \"PATCH\" and .path == \"/functions/$ID\" and .status == 200"
expect_json "push: the update body has the new code and no resourceType" "$REQ" \
  "(.body.code | endswith(\"// edited\\n\")) and (.body | has(\"resourceType\") | not) and .body.displayName == \"Orders Pipeline\""

# --- .srcfn/segment.json names the base URL and the token variable ------------------------
printf '{"baseUrl": "%s", "tokenEnv": "MY_SEGMENT_TOKEN"}\n' "$API" >.srcfn/segment.json
echo "// again" >>orders/handler.js
MY_SEGMENT_TOKEN=$TOKEN sw push orders
expect_rc "push: segment.json gives base URL and token variable" 0
expect_json "push: the same remote function is updated" "$(last)" ".method == \"PATCH\" and .path == \"/functions/$ID\""
SEGMENT_TOKEN=$TOKEN sw push orders
expect_rc "push: the token variable of segment.json is required" 2
expect_has "push: the refusal names that variable" "$ERR" "MY_SEGMENT_TOKEN"
rm .srcfn/segment.json

# --- pull -----------------------------------------------------------------------------------
export SEGMENT_TOKEN=$TOKEN
sw pull "$ID" --base "$API" --name copy
expect_rc "pull: exits 0" 0
expect_has "pull: says where it wrote" "$OUT" "into copy/"
expect_json "pull: GET /functions/{id}" "$(last)" ".method == \"GET\" and .path == \"/functions/$ID\" and .auth == \"Bearer $TOKEN\""
if cmp -s copy/handler.js orders/handler.js; then pass "pull: handler.js is the function's code"
else fail "pull: handler.js is the function's code" "$(diff copy/handler.js orders/handler.js | head -5)"; fi
expect_json "pull: function.json from the rest" "$(cat copy/function.json)" \
  '.displayName == "Orders Pipeline" and .description == "Orders from the shop" and .logoUrl == "https://example.com/logo.png"
   and (keys | sort) == ["description","displayName","logoUrl","settings"]
   and .settings[0] == {"name":"apiKey","label":"API key","description":"the shop'"'"'s key","type":"STRING","required":true,"sensitive":true}
   and .settings[1].name == "regions" and .settings[1].type == "ARRAY"'
sw deploy copy
expect_rc "pull: the pulled function deploys" 0
sw pull "$ID" --base "$API" --name copy
expect_rc "pull: again exits 0" 0
expect_has "pull: again says it is the same" "$OUT" "already the same"

# A remote change is pulled over an untouched copy without --force.
echo "// remote edit" >>orders/handler.js
sw push orders --base "$API"
sw pull "$ID" --base "$API" --name copy
expect_rc "pull: an untouched copy takes the remote change" 0
expect_has "pull: the remote change arrived" "$(tail -1 copy/handler.js)" "// remote edit"

# Local changes are not overwritten without --force.
echo "// local edit" >>copy/handler.js
echo "// remote edit 2" >>orders/handler.js
sw push orders --base "$API"
sw pull "$ID" --base "$API" --name copy
expect_rc "pull: local changes refused, exit 1" 1
expect_has "pull: the refusal says local changes and --force" "$ERR" "local changes"
expect_has "pull: the refusal names --force" "$ERR" "--force"
expect_has "pull: the local edit is still there" "$(tail -1 copy/handler.js)" "// local edit"
sw pull "$ID" --base "$API" --name copy --force
expect_rc "pull --force: exits 0" 0
expect_has "pull --force: overwrote the local edit" "$(tail -1 copy/handler.js)" "// remote edit 2"

# An existing function never pulled is not overwritten either.
"$SRCFN" new mine >/dev/null 2>&1
sw pull "$ID" --base "$API" --name mine
expect_rc "pull: a directory with other content is refused" 1

# Without --name: the directory the id was last pulled into or pushed from,
# else one named after displayName.
sw pull "$ID" --base "$API"
expect_rc "pull: a known id without --name exits 0" 0
expect_has "pull: a known id goes where it was last pulled" "$OUT" "copy/ is already the same"
NEW_ID=$(curl -s -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"code":"async function onRequest() {}\n","displayName":"Stripe: Payments!","resourceType":"SOURCE","settings":[]}' \
  "$API/functions" | jq -r .data.function.id)
sw pull "$NEW_ID" --base "$API"
expect_rc "pull: a new id without --name exits 0" 0
if [ -f stripe-payments/handler.js ] && [ -f stripe-payments/function.json ]; then pass "pull: the directory is named after displayName"
else fail "pull: the directory is named after displayName" "$OUT $ERR"; fi

# Push from a pulled copy updates the same remote function.
echo "// from the copy" >>copy/handler.js
sw push copy --base "$API"
expect_rc "push: from the pulled copy" 0
expect_json "push: the pulled copy updates the remote id it came from" "$(last)" ".method == \"PATCH\" and .path == \"/functions/$ID\""

# --- API and network errors ----------------------------------------------------------------------
sw pull sfnc_nope --base "$API"
expect_rc "pull: an unknown id exits 1" 1
expect_has "pull: shows the 404 and the API's message" "$ERR" "404 Not Found: Function sfnc_nope was not found"
sw pull "../etc" --base "$API"
expect_rc "pull: an id that is not one is refused" 2
DEST=$(curl -s -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"code":"async function onTrack() {}","displayName":"D","resourceType":"DESTINATION"}' "$API/functions" | jq -r .data.function.id)
sw pull "$DEST" --base "$API"
expect_rc "pull: a destination function is refused" 1
expect_has "pull: the refusal says it is not a source function" "$ERR" "not a source function"
sqlite3 .srcfn/state.db "update remote set remote_id = 'sfnc_gone' where function = 'orders'"
sw push orders --base "$API"
expect_rc "push: a remembered id the API does not know exits 1" 1
expect_has "push: shows the 404 and the hint" "$ERR" "404 Not Found"
expect_has "push: hints at --new" "$ERR" "--new"
sw push orders --base "$API" --new
expect_rc "push --new: creates it again" 0
expect_json "push --new: POST /functions" "$(last)" '.method == "POST" and .path == "/functions" and .body.resourceType == "SOURCE"'
CLOSED=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
sw push orders --base "http://127.0.0.1:$CLOSED"
expect_rc "push: a network error exits 1" 1
expect_has "push: the network error is named" "$ERR" "cannot reach http://127.0.0.1:$CLOSED"

# --- the token is written nowhere ---------------------------------------------------------------------
if grep -a -r -q "$TOKEN" "$WS"; then fail "push: the token is written nowhere in the workspace" "$(grep -a -r -l "$TOKEN" "$WS")"
else pass "push: the token is written nowhere in the workspace"; fi

pid=$API_PID
stop_server
if kill -0 "$pid" 2>/dev/null; then fail "push: the API server stopped" "still running"; else pass "push: the API server stopped"; fi
