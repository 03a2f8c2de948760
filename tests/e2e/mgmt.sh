#!/bin/sh
# tests/e2e/mgmt.sh: members, roles and the management API of `srcfn serve`,
# over real HTTP on loopback with curl.
#
# The heart is MATRIX below: for every member (one per role, limited roles and
# the combinations the contract names) and every management call, the status
# expected on function "a" (inside the limited roles' scope) and on "b"
# (outside it). Each cell makes the call and checks both the status and its
# effect (or the absence of one): files written, versions recorded, instances
# connected, pointed or removed, error logs read. Then: 401s (no token, a wrong
# one, another workspace's, a removed member's), 400/404/409s, secrets masked,
# `srcfn members` and `srcfn audit` allowed to the owner only, and the audit
# log holding every call. Servers started here are stopped on exit.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/e2e/fixtures/serve/lib.sh"

#            calls: list get create update versions deploy connect disconnect errors
MATRIX='
owner     a   200  200  201  200  200  200  201  200  200
owner     b   200  200  201  200  200  200  201  200  200
fadmin    a   200  200  201  200  200  403  403  403  200
fadmin    b   200  200  201  200  200  403  403  403  200
fadmin_a  a   200  200  201  200  200  403  403  403  200
fadmin_a  b   200  403  403  403  403  403  403  403  403
ro        a   200  200  403  403  200  403  403  403  200
ro        b   200  200  403  403  200  403  403  403  200
ro_a      a   200  200  403  403  200  403  403  403  200
ro_a      b   200  403  403  403  403  403  403  403  403
src       a   403  403  403  403  403  403  201  200  403
src       b   403  403  403  403  403  403  201  200  403
srcfadmin a   200  200  201  200  200  200  201  200  200
srcfadmin b   200  200  201  200  200  200  201  200  200
srcro_a   a   200  200  403  403  200  200  201  200  200
srcro_a   b   200  403  403  403  403  403  201  200  403
'
CALLS="list get create update versions deploy connect disconnect errors"

# The members (the owner comes from srcfn init): NAME ROLES [FUNCTIONS].
MEMBERS='
fadmin    functions-admin
fadmin_a  functions-admin                  a,a-by-fadmin_a
ro        functions-read-only
ro_a      functions-read-only              a
src       source-admin
srcfadmin source-admin,functions-admin
srcro_a   source-admin,functions-read-only a
'

# --- helpers --------------------------------------------------------------------------------------------

# api METHOD PATH TOKEN [BODY]: $CODE, $BODY_OUT (server at $BASE).
api() {
  if [ -n "${4:-}" ]; then
    out=$(printf '%s' "$4" | curl -s -o - -w '\n%{http_code}' -X "$1" -H "Authorization: Bearer $3" \
      -H 'Content-Type: application/json' --data-binary @- "$BASE$2")
  else
    out=$(curl -s -o - -w '\n%{http_code}' -X "$1" -H "Authorization: Bearer $3" "$BASE$2")
  fi
  CODE=$(printf '%s' "$out" | tail -n 1)
  BODY_OUT=$(printf '%s' "$out" | sed '$d')
}

# token NAME: the member's token (kept in $TMP/tokens/NAME).
token() { cat "$TMP/tokens/$1"; }

# effect NAME COND: passes when the shell condition COND holds.
effect() {
  if eval "$2"; then pass "$1"; else fail "$1" "effect not seen: $2 (status $CODE, body $(printf '%s' "$BODY_OUT" | head -c 300))"; fi
}

has_error() { [ "$(sql "SELECT count(*) FROM errors WHERE instance = '$1'")" -ge 1 ]; }
versions_of() { sql "SELECT count(*) FROM versions WHERE function = '$1'"; }
instance_fn() { sql "SELECT function FROM instances WHERE name = '$1'"; }
# Instances of F not on F's newest version.
behind() { sql "SELECT count(*) FROM instances WHERE function = '$1' AND (version IS NULL OR version <> (SELECT max(number) FROM versions WHERE function = '$1'))"; }

# --- the workspace: functions a and b, each deployed with an instance that has errors -------------------

WS=$TMP/ws
mkdir -p "$WS" && cd "$WS" || exit 1
"$SRCFN" init >"$TMP/init.out" 2>&1 || { fail "mgmt: init" "$(cat "$TMP/init.out")"; exit 0; }
mkdir -p "$TMP/tokens"
grep -o 'srcfn_[0-9a-f]\{64\}' "$TMP/init.out" | head -1 >"$TMP/tokens/owner"
expect_eq "init: prints the first owner's token once" "$(grep -c 'srcfn_[0-9a-f]\{64\}' "$TMP/init.out")" 1
expect_eq "init: the owner member exists, with its token hashed" \
  "$(sql "SELECT name || ' ' || length(token_sha256) FROM members")" "owner 32"
if grep -a -q -F "$(token owner)" "$WS/.srcfn/state.db"*; then fail "init: the token is not stored" "found in state.db"
else pass "init: the token is not stored"; fi
"$SRCFN" init >"$TMP/init2.out" 2>&1
expect_eq "init: again adds no member and prints no token" \
  "$(grep -c 'srcfn_' "$TMP/init2.out") $(sql 'SELECT count(*) FROM members')" "0 1"

for f in a b; do
  mkdir -p "$f"
  cat >"$f/handler.js" <<'EOF'
async function onRequest(request, settings) {
  const body = request.json()
  if (body.fail) throw new Error('boom ' + body.fail)
  Segment.track({ event: 'Hit', userId: 'u1', properties: { greeting: settings.greeting || null } })
}
EOF
  cat >"$f/function.json" <<EOF
{"displayName": "Function $f", "description": "test $f",
 "settings": [{"name": "greeting", "type": "STRING"},
              {"name": "apiKey", "type": "STRING", "sensitive": true}]}
EOF
  "$SRCFN" deploy "$f" >/dev/null 2>&1 && "$SRCFN" connect "$f" --instance "e$f" --endpoint - >/dev/null 2>&1 ||
    { fail "mgmt: deploy and connect $f" "failed"; exit 0; }
done

echo "$MEMBERS" | while read -r name roles fns; do
  [ -n "$name" ] || continue
  set -- members add "$name"
  for r in $(echo "$roles" | tr ',' ' '); do set -- "$@" --role "$r"; done
  [ -n "$fns" ] && set -- "$@" --functions "$fns"
  "$SRCFN" "$@" >"$TMP/add.out" 2>&1 || fail "members add $name" "$(cat "$TMP/add.out")"
  sed -n 's/^token: //p' "$TMP/add.out" >"$TMP/tokens/$name"
done
expect_eq "members: the local owner added every member" "$(sql 'SELECT count(*) FROM members')" 8

serve_start --retry-base-ms 50
BASE="http://127.0.0.1:$PORT/api/v1"
for f in a b; do
  post "$(hook "e$f")" '{"fail": "in '"$f"'"}'
  wait_until 20 has_error "e$f" || fail "mgmt: an error of e$f is logged" "none after 20 s"
done

# Instances for the disconnect cells, made by the owner through the API.
echo "$MATRIX" | while read -r m t rest; do
  [ -n "$m" ] || continue
  api POST /instances "$(token owner)" '{"function": "'"$t"'", "name": "d-'"$m-$t"'", "endpoint": "-"}'
  [ "$CODE" = 201 ] || fail "setup: instance d-$m-$t" "status $CODE: $BODY_OUT"
done

# --- the matrix --------------------------------------------------------------------------------------------

# cell MEMBER FN CALL EXPECTED [GET-EXPECTED]: one call and its effect.
cell() {
  m=$1 t=$2 call=$3 want=$4 tok=$(token "$1")
  label="$m $call $t"
  case $call in
  list)
    api GET /functions "$tok"
    if [ "$CODE" = 200 ]; then
      listed=$(printf '%s' "$BODY_OUT" | jq -r --arg t "$t" '[.functions[].name] | index($t) != null')
      [ "$5" = 200 ] && seen=true || seen=false
      effect "$label: $t listed exactly when readable" '[ "$listed" = "$seen" ]'
    fi ;;
  get)
    api GET "/functions/$t" "$tok"
    [ "$CODE" = 200 ] && effect "$label: the code is handler.js" \
      '[ "$(printf "%s" "$BODY_OUT" | jq -r .code)" = "$(cat "$WS/$t/handler.js")" ] && printf "%s" "$BODY_OUT" | jq -e ".settings[0].name == \"greeting\"" >/dev/null' ;;
  create)
    n="$t-by-$m"
    api POST /functions "$tok" '{"name": "'"$n"'", "code": "async function onRequest(r) { /* by '"$m"' */ }", "description": "made by '"$m"'"}'
    if [ "$CODE" = 201 ]; then
      effect "$label: $n/ written" 'grep -q "by $m" "$WS/$n/handler.js" && jq -e ".description == \"made by $m\" and .displayName == \"$n\"" "$WS/$n/function.json" >/dev/null'
    else
      effect "$label: nothing written" '[ ! -e "$WS/$n" ]'
    fi ;;
  update)
    api PATCH "/functions/$t" "$tok" '{"code": '"$(jq -Rs --arg m "$m" '. + "// edited by " + $m + "\n"' "$WS/$t/handler.js")"', "description": "edited by '"$m"'"}'
    if [ "$CODE" = 200 ]; then
      effect "$label: handler.js and function.json rewritten" 'grep -q "edited by $m" "$WS/$t/handler.js" && jq -e ".description == \"edited by $m\" and .settings[0].name == \"greeting\"" "$WS/$t/function.json" >/dev/null'
    else
      effect "$label: nothing rewritten" '! grep -q "edited by $m" "$WS/$t/handler.js"'
    fi ;;
  versions)
    api GET "/functions/$t/versions" "$tok"
    [ "$CODE" = 200 ] && effect "$label: every version listed" \
      '[ "$(printf "%s" "$BODY_OUT" | jq ".versions | length")" = "$(versions_of "$t")" ]' ;;
  deploy)
    echo "// deploy by $m" >>"$WS/$t/handler.js"
    before=$(versions_of "$t")
    api POST "/functions/$t/deploy" "$tok"
    if [ "$CODE" = 200 ]; then
      effect "$label: a version recorded, every instance on it" '[ "$(versions_of "$t")" = $((before + 1)) ] && [ "$(behind "$t")" = 0 ]'
    else
      effect "$label: no version recorded" '[ "$(versions_of "$t")" = "$before" ]'
    fi ;;
  connect)
    api POST /instances "$tok" '{"function": "'"$t"'", "name": "c-'"$m-$t"'", "endpoint": "-", "settings": {"greeting": "hi"}}'
    if [ "$CODE" = 201 ]; then
      effect "$label: instance connected" '[ "$(instance_fn "c-$m-$t")" = "$t" ] && [ "$(printf "%s" "$BODY_OUT" | jq -r .version)" = "$(versions_of "$t")" ]'
    else
      effect "$label: no instance" '[ -z "$(instance_fn "c-$m-$t")" ]'
    fi ;;
  disconnect)
    api DELETE "/instances/d-$m-$t" "$tok"
    if [ "$CODE" = 200 ]; then effect "$label: instance removed" '[ -z "$(instance_fn "d-$m-$t")" ]'
    else effect "$label: instance kept" '[ "$(instance_fn "d-$m-$t")" = "$t" ]'; fi ;;
  errors)
    api GET "/instances/e$t/errors" "$tok"
    [ "$CODE" = 200 ] && effect "$label: the error log" \
      'printf "%s" "$BODY_OUT" | jq -e ".errors | length >= 1 and (.[0].message | test(\"boom in $t\"))" >/dev/null' ;;
  esac
  expect_eq "matrix: $label is $want" "$CODE" "$want"
  if [ "$CODE" = 403 ] || [ "$CODE" = 401 ]; then
    expect_json "matrix: $label refusal is a JSON error" "$BODY_OUT" '.error | test("forbidden|token")'
  fi
}

echo "$MATRIX" | while read -r m t s1 s2 s3 s4 s5 s6 s7 s8 s9; do
  [ -n "$m" ] || continue
  i=1
  for call in $CALLS; do
    eval "want=\$s$i"
    cell "$m" "$t" "$call" "$want" "$s2"
    i=$((i + 1))
  done
done

# --- around the matrix: 400, 404, 409 and what no role may see ---------------------------------------------
OWNER=$(token owner)
api GET /functions/nope "$OWNER"
expect_eq "owner: an unknown function is 404" "$CODE" 404
api GET /functions/nope "$(token ro_a)"
expect_eq "limited read-only: an unknown function outside its scope is 403, not 404" "$CODE" 403
api GET /instances/nope/errors "$OWNER"
expect_eq "owner: an unknown instance is 404" "$CODE" 404
api POST /functions "$OWNER" '{"name": "a", "code": "x"}'
expect_eq "create: an existing name is 409" "$CODE" 409
api POST /functions "$OWNER" '{"name": "../x", "code": "x"}'
expect_eq "create: a bad name is 400" "$CODE" 400
api POST /functions "$OWNER" '{"name": "x1", "code": "x", "colour": "red"}'
expect_eq "create: an unknown field is 400" "$CODE" 400
expect_json "create: the 400 names the field" "$BODY_OUT" '.error | test("colour")'
api POST /functions "$OWNER" '{"name": "x2", "code": "x", "settings": [{"name": "bad name", "type": "STRING"}]}'
expect_eq "create: an invalid settings declaration is 400" "$CODE" 400
[ ! -e "$WS/x2" ] && pass "create: nothing written after a 400" || fail "create: nothing written after a 400" "x2/ exists"
api POST /functions "$OWNER" '{"name": "x3", '
expect_eq "create: broken JSON is 400 (and reaches the API)" "$CODE" 400
api PATCH /functions/a "$OWNER" '{}'
expect_eq "update: an empty change is 400" "$CODE" 400
api PATCH /functions/a "$OWNER" '{"name": "z"}'
expect_eq "update: renaming is refused (400)" "$CODE" 400
api POST /functions/a/deploy "$OWNER" '{"instances": ["nope"]}'
expect_eq "deploy: an unknown instance is 400" "$CODE" 400
api POST /functions/a/deploy "$OWNER" '{"instances": []}'
expect_eq "deploy: an empty list of instances is 400" "$CODE" 400
api POST /functions/a/deploy "$OWNER" '{"instances": ["ea", "ea"]}'
expect_json "deploy: named instances only, once each" "$BODY_OUT" '.instances | length == 1 and .[0].name == "ea"'
api POST /instances "$OWNER" '{"function": "a", "name": "ea", "endpoint": "-"}'
expect_eq "connect: an existing instance is 409" "$CODE" 409
api POST /instances "$OWNER" '{"function": "a", "name": "s1", "settings": {"greeting": true}}'
expect_eq "connect: a value of the wrong type is 400" "$CODE" 400
expect_json "connect: the 400 names the setting" "$BODY_OUT" '.error | test("greeting")'
api POST /instances "$OWNER" '{"function": "a", "name": "s2", "settings": {"colour": "x"}}'
expect_eq "connect: an undeclared setting is 400" "$CODE" 400
api POST /instances "$OWNER" '{"function": "a", "name": "s3", "endpoint": "-", "settings": {"apiKey": "sk_live_abcdef987654"}}'
expect_eq "connect: with a secret" "$CODE" 201
expect_json "connect: the secret is masked in the answer" "$BODY_OUT" '.settings.apiKey == "••••7654"'
case $BODY_OUT in *abcdef987654*) fail "connect: the secret is nowhere in the answer" "$BODY_OUT";; *) pass "connect: the secret is nowhere in the answer";; esac
expect_json "connect: the answer has a working webhook URL" "$BODY_OUT" ".url | startswith(\"http://127.0.0.1:$PORT/hooks/\")"
post "$(printf '%s' "$BODY_OUT" | jq -r .url)" '{"n": 1}'
expect_eq "connect: the new instance answers webhooks" "$CODE" 200
api DELETE /instances/nope "$OWNER"
expect_eq "disconnect: an unknown instance is 404" "$CODE" 404
api GET /nothing "$OWNER"
expect_eq "an unknown call is 404" "$CODE" 404
api PUT /functions/a "$OWNER" '{}'
expect_eq "a method without a call is 404" "$CODE" 404

# Connecting a function never deployed deploys it: Source Admin alone may not.
api POST /functions "$OWNER" '{"name": "fresh", "code": "async function onRequest() {}"}'
api POST /instances "$(token src)" '{"function": "fresh", "name": "f1", "endpoint": "-"}'
expect_eq "connect: Source Admin alone may not connect (so deploy) a function never deployed" "$CODE" 403
effect "connect: ... and nothing was deployed" '[ "$(versions_of fresh)" = 0 ]'
api POST /instances "$(token srcfadmin)" '{"function": "fresh", "name": "f1", "endpoint": "-"}'
expect_eq "connect: Source Admin + Functions Admin may" "$CODE" 201
expect_json "connect: ... and says it deployed version 1" "$BODY_OUT" '.deployed == 1 and .version == 1'

# --- 401 ------------------------------------------------------------------------------------------------------
OUT=$(curl -s -D "$TMP/h401" -w '\n%{http_code}' "$BASE/functions")
expect_eq "401: no token" "$(echo "$OUT" | tail -1)" 401
expect_json "401: a JSON error" "$(echo "$OUT" | head -1)" '.error | test("Bearer")'
if grep -qi '^WWW-Authenticate: Bearer' "$TMP/h401"; then pass "401: WWW-Authenticate: Bearer"; else fail "401: WWW-Authenticate: Bearer" "$(cat "$TMP/h401")"; fi
api GET /functions "srcfn_0000000000000000000000000000000000000000000000000000000000000000"
expect_eq "401: a wrong token" "$CODE" 401
CODE=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Basic $(token owner)" "$BASE/functions")
expect_eq "401: another scheme" "$CODE" 401
CODE=$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "$BASE/instances/ea")
expect_eq "401: before anything else (a DELETE without token)" "$CODE" 401
effect "401: ... and nothing removed" '[ "$(instance_fn ea)" = a ]'

# A second workspace and its server: tokens do not cross.
WS2=$TMP/ws2
mkdir -p "$WS2" && cd "$WS2" || exit 1
"$SRCFN" init >"$TMP/init-ws2.out" 2>&1
OWNER2=$(grep -o 'srcfn_[0-9a-f]\{64\}' "$TMP/init-ws2.out" | head -1)
mkdir -p only2 && cp "$WS/b/handler.js" only2/ && echo '{"settings": []}' >only2/function.json
"$SRCFN" serve --port 0 >"$TMP/serve2.out" 2>"$TMP/serve2.err" &
SERVE2=$!
track_pid "$SERVE2"
cd "$WS" || exit 1
wait_until 30 grep -q 'listening on http://' "$TMP/serve2.err" || { fail "second serve starts" "$(cat "$TMP/serve2.err")"; exit 0; }
PORT2=$(grep -o 'listening on http://[^ ]*' "$TMP/serve2.err" | head -1 | sed 's/.*://')
BASE1=$BASE
BASE="http://127.0.0.1:$PORT2/api/v1"
api GET /functions "$OWNER2"
expect_json "ws2: its owner sees its own functions only" "$BODY_OUT" '[.functions[].name] == ["only2"]'
for m in owner fadmin ro src; do
  api GET /functions "$(token "$m")"
  expect_eq "ws2: ws1's $m token is 401 on ws2's server" "$CODE" 401
done
api GET /functions/a "$OWNER"
expect_eq "ws2: ws1's function a is not reachable through ws2" "$CODE" 401
BASE=$BASE1
api GET /functions "$OWNER2"
expect_eq "ws1: ws2's owner token is 401 on ws1's server" "$CODE" 401
api GET /functions/only2 "$OWNER"
expect_eq "ws1: ws2's function is unknown on ws1" "$CODE" 404

# --- members and audit: the owner only ---------------------------------------------------------------------
for m in owner fadmin fadmin_a ro ro_a src srcfadmin srcro_a; do
  [ "$m" = owner ] && want=0 || want=1
  SRCFN_TOKEN=$(token "$m") "$SRCFN" members list --json >"$TMP/ml.out" 2>"$TMP/ml.err"
  expect_eq "members list as $m exits $want" "$?" "$want"
  SRCFN_TOKEN=$(token "$m") "$SRCFN" members add "new-$m" --role functions-read-only >"$TMP/ma.out" 2>"$TMP/ma.err"
  expect_eq "members add as $m exits $want" "$?" "$want"
  [ "$want" = 0 ] && n=1 || n=0
  expect_eq "members add as $m: member added only if allowed" "$(sql "SELECT count(*) FROM members WHERE name = 'new-$m'")" "$n"
  SRCFN_TOKEN=$(token "$m") "$SRCFN" members remove ro_a >"$TMP/mr.out" 2>"$TMP/mr.err"
  rc=$?
  if [ "$want" = 0 ]; then
    expect_eq "members remove as $m exits 0" "$rc" 0
    "$SRCFN" members add ro_a --role functions-read-only --functions a | sed -n 's/^token: //p' >"$TMP/tokens/ro_a"
  else
    expect_eq "members remove as $m exits 1" "$rc" 1
    if grep -q 'forbidden: members.manage needs Workspace Owner' "$TMP/mr.err"; then pass "members remove as $m: says why"
    else fail "members remove as $m: says why" "$(cat "$TMP/mr.err")"; fi
  fi
  SRCFN_TOKEN=$(token "$m") "$SRCFN" audit --json >/dev/null 2>&1
  expect_eq "audit as $m exits $want" "$?" "$want"
done
SRCFN_TOKEN=srcfn_nope "$SRCFN" members list >/dev/null 2>"$TMP/bad.err"
expect_eq "members: a bad SRCFN_TOKEN exits 1" "$?" 1
SRCFN_TOKEN=$OWNER2 "$SRCFN" members list >/dev/null 2>&1
expect_eq "members: another workspace's owner token exits 1" "$?" 1
"$SRCFN" members add bad --role source-admin --functions a >/dev/null 2>&1
expect_eq "members add: Source Admin cannot be limited (exit 2)" "$?" 2
"$SRCFN" members add bad --role wizard >/dev/null 2>&1
expect_eq "members add: an unknown role (exit 2)" "$?" 2
"$SRCFN" members add owner --role owner >/dev/null 2>&1
expect_eq "members add: a name taken (exit 2)" "$?" 2
LIST=$("$SRCFN" members list --json)
expect_json "members list: roles and scopes" "$LIST" \
  '(.[] | select(.name == "srcro_a") | .roles) == [{"role":"functions-read-only","label":"Functions Read-only","functions":["a"]},{"role":"source-admin","label":"Source Admin","functions":null}]'
case $LIST in *"$(token fadmin)"*) fail "members list: no token shown" "found";; *) pass "members list: no token shown";; esac

# A removed member's token stops working at once.
OLD=$(token fadmin)
"$SRCFN" members remove fadmin >/dev/null
api GET /functions "$OLD"
expect_eq "a removed member's token is 401" "$CODE" 401

# --- the audit log ------------------------------------------------------------------------------------------
AUDIT=$("$SRCFN" audit --json)
for m in owner fadmin fadmin_a ro src srcfadmin srcro_a; do
  expect_json "audit: every matrix call of $m recorded" "$AUDIT" \
    "[.[] | select(.member == \"$m\" and .method != \"CLI\" and (.path | startswith(\"/api/v1/\")))] | length >= 18"
done
expect_json "audit: a refused create" "$AUDIT" \
  'any(.[]; .member == "ro" and .method == "POST" and .path == "/api/v1/functions" and .function == "a-by-ro" and .action == "functions.create" and .allowed == false and .status == 403)'
expect_json "audit: an allowed deploy" "$AUDIT" \
  'any(.[]; .member == "srcro_a" and .path == "/api/v1/functions/a/deploy" and .action == "functions.deploy" and .allowed == true and .status == 200)'
expect_json "audit: a disconnect names the instance's function" "$AUDIT" \
  'any(.[]; .member == "src" and .method == "DELETE" and .path == "/api/v1/instances/d-src-b" and .function == "b" and .allowed == true)'
expect_json "audit: a 401 with no member" "$AUDIT" 'any(.[]; .member == null and .status == 401 and .allowed == false)'
expect_json "audit: a 404 of an unknown call" "$AUDIT" 'any(.[]; .path == "/api/v1/nothing" and .status == 404 and .allowed == false)'
expect_json "audit: a 400 of broken JSON" "$AUDIT" 'any(.[]; .member == "owner" and .status == 400 and .function == null and .method == "POST")'
expect_json "audit: a refused CLI command" "$AUDIT" \
  'any(.[]; .member == "ro" and .method == "CLI" and .path == "members list" and .allowed == false and .status == 1)'
expect_json "audit: the local owner's CLI commands" "$AUDIT" 'any(.[]; (.member // "" | startswith("local:")) and .path == "members remove fadmin" and .allowed == true)'
expect_json "audit: newest first, with times" "$AUDIT" '.[0].id > .[1].id and (.[0].at | type) == "number"'
case $AUDIT in *abcdef987654*|*srcfn_[0-9a-f]*) fail "audit: no secret or token recorded" "found";; *) pass "audit: no secret or token recorded";; esac
HUMAN=$("$SRCFN" audit --limit 3)
expect_eq "audit: --limit" "$(echo "$HUMAN" | wc -l | tr -d ' ')" 4

# --- a slow call holds no webhook ------------------------------------------------------------------------------
# A deploy of new code lowers it (seconds for this one); meanwhile webhooks on
# fresh connections are answered: the call runs on a thread of its own, not on
# the listener thread its connection came in on. Each curl notes when it ends.
{
  echo "// $TMP: new code each run, so it is lowered anew, not found in the cache"
  echo 'async function onRequest(request) { Segment.track({ event: "Hit", userId: "u1" }) }'
  for i in $(seq 150); do echo "const f$i = (a, b) => ({ ...a, b, c: a?.x ?? b, d: [1, 2].map(x => x * $i) });"; done
} >"$WS/a/handler.js"
HOOK_A=$(hook ea)
: >"$TMP/order"
( curl -s -o /dev/null -X POST -H "Authorization: Bearer $(token owner)" "$BASE/functions/a/deploy"; echo deploy >>"$TMP/order" ) &
DEPLOY=$!
sleep 0.3
HOOKS=""
for i in 1 2 3 4 5 6 7 8; do
  ( curl -s -o /dev/null -H 'Content-Type: application/json' --data-binary '{}' "$HOOK_A"; echo "hook $i" >>"$TMP/order" ) &
  HOOKS="$HOOKS $!"
done
wait $DEPLOY $HOOKS
expect_eq "a slow deploy: the eight webhooks sent during it are answered before it" \
  "$(grep -n . "$TMP/order" | sed -n 's/^\([0-9]*\):deploy$/\1/p')" 9

# --- stop ------------------------------------------------------------------------------------------------------
serve_stop
expect_eq "serve stops cleanly" "$SERVE_RC" 0
check_sanitizers "mgmt serve"
stop_pid "$SERVE2" TERM 10
EXTRA_PIDS=""
expect_eq "the second serve stops cleanly" "$STOP_RC" 0
if grep -q -e 'Sanitizer' -e 'runtime error' "$TMP/serve2.err"; then fail "second serve: no sanitizer report" "$(grep -m3 Sanitizer "$TMP/serve2.err")"
else pass "second serve: no sanitizer report"; fi
