#!/bin/sh
# tests/e2e/secrets.sh: values of sensitive settings at rest and in output.
# A session uses a secret the way people do (connect with a sensitive value,
# sources, deploy, versions, rollback, run with a settings file, serve with a
# function that logs the secret and throws with it, errors); then everything
# srcfn wrote to disk (the workspace: function files, .srcfn/ with the SQLite
# database, its WAL and shared memory, raw with grep -a and dumped with
# sqlite3 .dump) and everything it printed is searched for the plain value,
# which must be nowhere. The function did get the value: it reports its
# length and last 4 characters. The key file is mode 0600; a key file others
# may read is refused; a tampered ciphertext does not open; a row stored in
# plain by an older srcfn is read and sealed on its next write.
. "$(dirname "$0")/../lib.sh"
SERVE_PID=""
stop_serve() {
  [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null
  [ -n "$SERVE_PID" ] && wait "$SERVE_PID" 2>/dev/null
  SERVE_PID=""
}
trap 'stop_serve; rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM HUP

SECRET=sk_live_SECRET_4711
WS=$TMP/ws
OUTS=$TMP/printed        # every command's stdout and stderr
INPUT=$TMP/input         # files the test gives srcfn (not srcfn's writing)
mkdir -p "$WS" "$OUTS" "$INPUT"
n=0
# s ARGS...: runs srcfn, keeping what it printed; sets $OUT, $ERR, $RC.
s() {
  n=$((n + 1))
  "$SRCFN" "$@" >"$OUTS/$n.out" 2>"$OUTS/$n.err"; RC=$?
  OUT=$(cat "$OUTS/$n.out"); ERR=$(cat "$OUTS/$n.err")
}
expect_rc() {
  if [ "$RC" = "$2" ]; then pass "$1"; else fail "$1" "exit $RC, want $2; out: $(printf '%s' "$OUT" | head -c 300); err: $(printf '%s' "$ERR" | head -c 300)"; fi
}
expect_has() {
  case "$2" in *"$3"*) pass "$1";; *) fail "$1" "no [$3] in: $(printf '%s' "$2" | head -c 400)";; esac
}
# nowhere NAME DIR...: the secret is in no file under DIR (raw bytes).
nowhere() {
  name=$1; shift
  found=$(grep -a -r -l -F "$SECRET" "$@" 2>/dev/null)
  if [ -z "$found" ]; then pass "$name"; else fail "$name" "found in: $(echo "$found" | sed "s|$TMP/||" | tr '\n' ' ')"; fi
}

PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
export SRCFN_PORT=$PORT
cd "$WS" || exit 1
s init
s new shop
cat >shop/function.json <<'EOF'
{
  "displayName": "shop",
  "description": "orders with a signed key",
  "settings": [
    {"name": "apiKey", "label": "API key", "type": "STRING", "required": true, "sensitive": true},
    {"name": "region", "label": "Region", "type": "STRING"}
  ]
}
EOF
cat >shop/handler.js <<'EOF'
async function onRequest(request, settings) {
  const body = request.json()
  console.log('using key ' + settings.apiKey + ' in ' + settings.region)
  if (body.fail) throw new Error('the shop refused key ' + settings.apiKey)
  Segment.track({ event: 'Key Used', userId: 'u1',
    properties: { length: settings.apiKey.length, last4: settings.apiKey.slice(-4) } })
}
EOF

# --- a session ---------------------------------------------------------------------------------
s connect shop --instance prod --setting "apiKey=$SECRET" --setting region=eu --endpoint -
expect_rc "connect with a sensitive value" 0
expect_has "connect shows the value masked: bullets and the last 4" "$OUT" "apiKey=••••4711"
s sources
expect_rc "sources" 0
s sources --json
expect_json "sources --json masks the sensitive value, shows the other" "$OUT" \
  '.[0].settings.apiKey == "••••4711" and .[0].settings.region == "eu"'
echo "// v2" >>shop/handler.js
s deploy shop
expect_rc "deploy" 0
s versions shop
s rollback prod 1
expect_rc "rollback" 0
s deploy shop
printf '{"apiKey": "%s", "region": "us"}\n' "$SECRET" >"$INPUT/settings.json"
echo '{"method": "POST", "body": {"fail": true}}' >"$INPUT/fail.json"
s run shop --settings "$INPUT/settings.json" --request "$INPUT/fail.json"
expect_rc "run: the function throws" 1
expect_has "run: the console line is shown, masked" "$OUT" "using key •••• in us"
s run shop --settings "$INPUT/settings.json" --request "$INPUT/fail.json" --json
expect_json "run --json: logs and error message masked" "$OUT" \
  '.logs[0].message == "using key •••• in us" and .error.message == "the shop refused key ••••"'

# serve: one run that succeeds, one that logs the secret and throws with it.
HOOK=$(grep -h -o "http://127.0.0.1:$PORT/hooks/[0-9a-f]*" "$OUTS"/*.out | head -1)
"$SRCFN" serve --port "$PORT" >"$OUTS/serve.out" 2>"$OUTS/serve.err" &
SERVE_PID=$!
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
  curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break
  sleep 0.25
done
hook() { curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' --data-binary "$1" "$HOOK"; }
expect_eq "serve accepts a webhook" "$(hook '{"ok": true}')" 200
expect_eq "serve accepts a failing webhook" "$(hook '{"fail": true}')" 200
i=0
while [ $i -lt 40 ]; do
  "$SRCFN" errors prod --json 2>/dev/null | jq -e 'length > 0' >/dev/null 2>&1 && grep -q '^{' "$OUTS/serve.out" && break
  sleep 0.25
  i=$((i + 1))
done
stop_serve
expect_json "serve: the function got the real value (length 19, last 4 4711)" "$(grep '^{' "$OUTS/serve.out" | head -1)" \
  '.event == "Key Used" and .properties.length == 19 and .properties.last4 == "4711"'
s errors prod
expect_rc "errors" 0
s errors prod --json
expect_json "errors --json: the failed run is logged" "$OUT" 'length == 1'

# --- the secret is nowhere -----------------------------------------------------------------------
nowhere "nowhere in the function directory" "$WS/shop"
nowhere "nowhere in .srcfn/ (state.db, -wal, -shm, secret.key, raw bytes)" "$WS/.srcfn"
nowhere "nowhere in anything under the workspace" "$WS"
sqlite3 "$WS/.srcfn/state.db" .dump >"$TMP/dump.sql" 2>"$TMP/dump.err"
if [ -s "$TMP/dump.sql" ] && ! grep -q -F "$SECRET" "$TMP/dump.sql"; then pass "nowhere in sqlite3 .dump"
else fail "nowhere in sqlite3 .dump" "$(grep -F "$SECRET" "$TMP/dump.sql" | head -3 | cut -c1-200) $(head -2 "$TMP/dump.err")"; fi
expect_json "the stored value is sealed (enc:v1:)" "$(sqlite3 "$WS/.srcfn/state.db" "select settings from instances where name='prod'")" \
  '(.apiKey | startswith("enc:v1:")) and .region == "eu"'
nowhere "nowhere in what srcfn printed (every command, serve included)" "$OUTS"
if [ -n "${SRCFN_CACHE_DIR:-}" ] && [ -d "$SRCFN_CACHE_DIR" ]; then nowhere "nowhere in the lowering cache" "$SRCFN_CACHE_DIR"; fi

# --- the key file ---------------------------------------------------------------------------------
KEY=$WS/.srcfn/secret.key
expect_eq "the key file is mode 0600" "$(stat -c %a "$KEY")" 600
expect_eq "the key file holds 32 bytes" "$(stat -c %s "$KEY")" 32
chmod 644 "$KEY"
s sources
expect_rc "a key file others may read is refused" 1
expect_has "the refusal names the file" "$ERR" "$KEY"
expect_has "the refusal gives the chmod" "$ERR" "chmod 600 $KEY"
s connect shop --instance other --setting "apiKey=$SECRET"
expect_rc "connect refuses to seal with it" 2
expect_has "connect's refusal gives the chmod" "$ERR" "chmod 600 $KEY"
chmod 600 "$KEY"
s sources
expect_rc "chmod 600 fixes it" 0

# --- a tampered ciphertext ---------------------------------------------------------------------------
sqlite3 "$WS/.srcfn/state.db" "update instances set settings = json_set(settings, '\$.apiKey',
  substr(json_extract(settings, '\$.apiKey'), 1, 12) ||
  (case substr(json_extract(settings, '\$.apiKey'), 13, 1) when 'A' then 'B' else 'A' end) ||
  substr(json_extract(settings, '\$.apiKey'), 14)) where name = 'prod'"
s sources --json
expect_rc "a tampered value: sources still lists the instance" 0
expect_json "a tampered value is refused: left out, the reason given" "$OUT" \
  '.[0].settings.apiKey == null and (.[0].settingsError | test("apiKey.*does not open"))'
expect_has "a tampered value: a warning on stderr" "$ERR" "does not open"
s disconnect prod
expect_rc "a tampered instance can still be disconnected" 0
nowhere "nowhere in what srcfn printed, after the key checks" "$OUTS"

# --- a row stored in plain by an older srcfn ---------------------------------------------------------------
W2=$TMP/legacy
mkdir -p "$W2" && cd "$W2" || exit 1
s init
s new shop
cp "$WS/shop/function.json" "$WS/shop/handler.js" shop/
s connect shop --instance old --setting apiKey=placeholder_value --endpoint -
sqlite3 .srcfn/state.db "update instances set settings = '{\"apiKey\":\"legacy_plain_4242\",\"region\":\"eu\"}' where name = 'old'"
s sources --json
expect_json "legacy: a plain stored value is read (and masked)" "$OUT" '.[0].settings.apiKey == "••••4242"'
echo "// v2" >>shop/handler.js
s deploy shop
expect_rc "legacy: the next write (deploy moves the instance to version 2)" 0
expect_json "legacy: sealed on the next write" "$(sqlite3 .srcfn/state.db "select settings from instances where name='old'")" \
  '(.apiKey | startswith("enc:v1:")) and .region == "eu"'
s sources --json
expect_json "legacy: reads back the same value" "$OUT" '.[0].settings.apiKey == "••••4242"'

if grep -q -e 'Sanitizer' -e 'runtime error' "$OUTS"/*; then
  fail "secrets: sanitizers clean" "$(grep -h -m 3 -e 'Sanitizer' -e 'runtime error' "$OUTS"/* | tr '\n' ' ')"
else
  pass "secrets: sanitizers clean"
fi
