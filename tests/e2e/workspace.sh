#!/bin/sh
# tests/e2e/workspace.sh: workspaces, functions, versions and instances
# (srcfn init, new, deploy, versions, rollback, connect, sources, disconnect),
# checked on the command's output and exit status and, with the sqlite3 CLI,
# on what the workspace database holds.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh

if [ ! -x "$SRCFN" ]; then
  fail "workspace: the binary under test exists" "$SRCFN is not executable"
  exit 0
fi

W=$TMP/ws
DB=$W/.srcfn/state.db

# sw ARGS...: runs srcfn in the current directory; sets $OUT, $ERR, $RC.
sw() {
  OUT=$("$SRCFN" "$@" 2>"$TMP/stderr"); RC=$?
  ERR=$(cat "$TMP/stderr")
}

# expect_rc NAME RC: checks $RC, showing stderr on failure.
expect_rc() {
  if [ "$RC" = "$2" ]; then pass "$1"; else fail "$1" "exit $RC, want $2; out: $(printf '%s' "$OUT" | head -c 300); err: $(printf '%s' "$ERR" | head -c 300)"; fi
}

# expect_has NAME TEXT PATTERN: passes when TEXT contains PATTERN (a case glob).
expect_has() {
  case "$2" in *$3*) pass "$1";; *) fail "$1" "no [$3] in: $(printf '%s' "$2" | head -c 400)";; esac
}

# q SQL: one query on the workspace database.
q() { sqlite3 "$DB" "$1"; }

if ! command -v sqlite3 >/dev/null 2>&1; then
  fail "workspace: sqlite3 CLI present" "install the Debian package sqlite3 (make deps)"
  q() { echo "no-sqlite3"; }
fi

# --- outside a workspace: exit 2 and the init advice --------------------------
mkdir -p "$TMP/outside" && cd "$TMP/outside" || exit 1
for cmd in "new fn" "deploy fn" "versions fn" "rollback inst 1" "connect fn --instance inst" "sources" "disconnect inst"; do
  # shellcheck disable=SC2086
  sw $cmd
  if [ "$RC" = 2 ] && echo "$ERR" | grep -q 'not in a srcfn workspace.*srcfn init'; then
    pass "outside a workspace: $cmd exits 2 with the init advice"
  else
    fail "outside a workspace: $cmd exits 2 with the init advice" "exit $RC, err: $ERR"
  fi
done

# --- init ----------------------------------------------------------------------
sw init "$W"
expect_rc "init: exit 0" 0
expect_has "init: says it initialised the directory" "$OUT" "initialised an empty srcfn workspace in"
if [ -d "$W/.srcfn" ] && [ -f "$DB" ]; then pass "init: .srcfn/state.db exists"; else fail "init: .srcfn/state.db exists" "$(ls -la "$W" "$W/.srcfn" 2>&1)"; fi
expect_eq "init: the database is in WAL mode" "$(q 'PRAGMA journal_mode')" "wal"
expect_eq "init: versions and instances tables exist" \
  "$(q "select count(*) from sqlite_master where type='table' and name in ('versions','instances')")" 2
sw init "$W"
expect_rc "init: again exits 0" 0
expect_has "init: again says it was already initialised" "$OUT" "already initialised"

# --- new, walking up from a subdirectory ------------------------------------------
mkdir -p "$W/sub/deeper" && cd "$W/sub/deeper" || exit 1
sw new fn1
expect_rc "new: from a subdirectory exits 0" 0
if [ -f "$W/fn1/handler.js" ] && [ -f "$W/fn1/function.json" ] && [ -d "$W/fn1/examples" ]; then
  pass "new: walks up to the workspace root and creates fn1/ there"
else
  fail "new: walks up to the workspace root and creates fn1/ there" "$(find "$W" -maxdepth 2 2>&1 | tr '\n' ' ')"
fi
if cmp -s "$W/fn1/handler.js" "$ROOT/templates/default/handler.js"; then
  pass "new: handler.js is the default template's"
else
  fail "new: handler.js is the default template's" "differs"
fi
expect_eq "new: examples copied" "$(ls "$W/fn1/examples" | wc -l | tr -d ' ')" "$(ls "$ROOT/templates/default/examples" | wc -l | tr -d ' ')"
expect_eq "new: displayName is the function's name" "$(jq -r .displayName "$W/fn1/function.json")" fn1
expect_has "new: lists the files it made" "$OUT" "fn1/handler.js"
[ -d "$W/sub/deeper/fn1" ] && fail "new: nothing created in the current directory" "sub/deeper/fn1 exists" || pass "new: nothing created in the current directory"

cd "$W" || exit 1
sw new fn1
expect_rc "new: an existing name is refused with exit 2" 2
expect_has "new: the refusal says it exists" "$ERR" "already exists"
sw new "bad/name"
expect_rc "new: a name with / is refused" 2
expect_has "new: the refusal says the name is not valid" "$ERR" "not a valid function name"
sw new .hidden
expect_rc "new: a name starting with . is refused" 2
sw new fn9 --template no-such-template
expect_rc "new: an unknown template is refused" 2
expect_has "new: the refusal lists available templates" "$ERR" "available: default"
[ -e "$W/fn9" ] && fail "new: a refused template leaves nothing behind" "fn9 exists" || pass "new: a refused template leaves nothing behind"
SRCFN_TEMPLATES="$ROOT/templates" sw new fn2
expect_rc "new: SRCFN_TEMPLATES names the templates folder" 0

# --- deploy and versions ----------------------------------------------------------
sw deploy fn1
expect_rc "deploy: first deploy exits 0" 0
expect_has "deploy: records version 1" "$OUT" "version 1"
expect_eq "deploy: versions holds fn1 v1" "$(q "select group_concat(number) from versions where function='fn1'")" 1
expect_eq "deploy: the stored code is handler.js" "$(q "select code = CAST(readfile('$W/fn1/handler.js') AS TEXT) from versions where function='fn1' and number=1")" 1
sw deploy fn1
expect_rc "deploy: unchanged deploy exits 0" 0
expect_has "deploy: unchanged code reuses the newest version" "$OUT" "unchanged since version 1"
expect_eq "deploy: no second row for an unchanged deploy" "$(q "select count(*) from versions where function='fn1'")" 1
echo "// edited" >> "$W/fn1/handler.js"
sw deploy fn1
expect_has "deploy: edited handler.js records version 2" "$OUT" "recorded fn1 version 2"
expect_eq "deploy: versions holds 1 and 2" "$(q "select group_concat(number) from (select number from versions where function='fn1' order by number)")" "1,2"

sw versions fn1
expect_rc "versions: exits 0" 0
expect_has "versions: lists version 2" "$OUT" "
2 "
expect_has "versions: lists version 1" "$OUT" "
1 "
sw versions fn1 --json
expect_json "versions --json: two versions, newest first, with sizes and dates" "$OUT" \
  'length == 2 and .[0].version == 2 and .[1].version == 1 and (.[0].codeBytes > 0) and (.[0].createdAt | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T"))'
sw versions nothing-here
expect_rc "versions: an unknown function exits 2" 2

printf 'async function onRequest(request) {\n  let x = ;\n}\n' > "$W/fn2/handler.js"
sw deploy fn2
expect_rc "deploy: code with a syntax error is refused" 2
expect_has "deploy: the refusal names the file and line" "$ERR" "fn2/handler.js:2"
expect_eq "deploy: a refused deploy records nothing" "$(q "select count(*) from versions where function='fn2'")" 0
cp "$ROOT/templates/default/handler.js" "$W/fn2/handler.js"
for bad in '[{"name":"1st","type":"STRING"}]|must be a JavaScript identifier' \
           '[{"name":"a","type":"NUMBER"}]|unknown type "NUMBER"' \
           '[{"name":"a","type":"STRING"},{"name":"a","type":"BOOLEAN"}]|"a" is declared twice' \
           '[{"label":"A","type":"STRING"}]|has no "name"'; do
  decl=${bad%%|*}; why=${bad#*|}
  printf '{"displayName":"fn2","settings":%s}\n' "$decl" > "$W/fn2/function.json"
  sw deploy fn2
  if [ "$RC" = 2 ] && echo "$ERR" | grep -qF "$why"; then pass "deploy: refuses settings $decl"
  else fail "deploy: refuses settings $decl" "exit $RC, err: $ERR"; fi
done

# --- connect ------------------------------------------------------------------------
cat > "$W/fn1/function.json" <<'EOF'
{
  "displayName": "fn1",
  "description": "test function",
  "settings": [
    {"name": "apiKey", "label": "API key", "type": "STRING", "required": true, "sensitive": true},
    {"name": "enabled", "label": "Enabled", "type": "BOOLEAN"},
    {"name": "tags", "label": "Tags", "type": "ARRAY"},
    {"name": "labels", "label": "Labels", "type": "TEXT_MAP"}
  ]
}
EOF
sw connect fn1 --instance prod --setting apiKey=k1
expect_rc "connect: a setting the newest version does not declare is refused" 2
expect_has "connect: the refusal hints that function.json is not deployed" "$ERR" "srcfn deploy fn1"
sw deploy fn1
expect_has "deploy: new settings declaration records version 3" "$OUT" "version 3"

sw connect fn1 --instance prod
expect_rc "connect: a required setting missing is refused" 2
expect_has "connect: the refusal names the missing setting" "$ERR" '"apiKey" is required'
sw connect fn1 --instance prod --setting apiKey=k1 --setting enabled=maybe
expect_rc "connect: a wrong-typed BOOLEAN is refused" 2
expect_has "connect: the refusal names the BOOLEAN setting" "$ERR" '"enabled" must be a boolean'
sw connect fn1 --instance prod --setting apiKey=k1 --setting colour=red
expect_rc "connect: an undeclared setting is refused" 2
expect_has "connect: the refusal names the unknown setting" "$ERR" '"colour" is not declared'
sw connect fn1 --instance prod --setting apiKey=k1 --setting 'tags=[1,2]'
expect_rc "connect: an ARRAY of numbers is refused" 2
expect_has "connect: the refusal names the ARRAY setting" "$ERR" '"tags" must be an array of strings'
sw connect fn1 --instance prod --setting apiKey=k1 --setting labels=novalue
expect_rc "connect: a TEXT_MAP item without : is refused" 2
expect_eq "connect: refused connects store nothing" "$(q 'select count(*) from instances')" 0

sw connect fn1 --instance prod --setting apiKey=k1 --setting enabled=true --setting 'tags=a, b' --setting 'labels=x:1,y:http://h'
expect_rc "connect: succeeds" 0
URL1=$(printf '%s' "$OUT" | grep -o 'http://127\.0\.0\.1:[0-9]*/hooks/[A-Za-z0-9_-]*' | head -1)
T1=${URL1##*/}
if printf '%s' "$T1" | grep -Eq '^[0-9a-f]{32,}$'; then pass "connect: prints a webhook URL with a token of 32+ hex chars"
else fail "connect: prints a webhook URL with a token of 32+ hex chars" "url [$URL1] in: $OUT"; fi
expect_has "connect: the URL uses the default serve port 8720" "$URL1" ":8720/hooks/"
case "$OUT" in *k1*) fail "connect: the sensitive value is not printed" "$OUT";; *) pass "connect: the sensitive value is not printed";; esac
expect_eq "connect: settings stored with their types (the sensitive one sealed, see secrets.sh)" \
  "$(q "select settings from instances where name='prod'" | jq -c '.apiKey |= (startswith("enc:v1:") | tostring)')" \
  '{"apiKey":"true","enabled":true,"labels":{"x":"1","y":"http://h"},"tags":["a","b"]}'
expect_eq "connect: the instance runs the newest version" "$(q "select version from instances where name='prod'")" 3
expect_eq "connect: token stored" "$(q "select token from instances where name='prod'")" "$T1"
expect_eq "connect: default endpoint" "$(q "select endpoint from instances where name='prod'")" "https://api.segment.io"
if q "select write_key from instances where name='prod'" | grep -Eq '^[0-9a-f]{32}$'; then pass "connect: a random 32-hex write key by default"
else fail "connect: a random 32-hex write key by default" "$(q "select write_key from instances where name='prod'")"; fi

sw connect fn1 --instance staging --setting apiKey=k2 --setting 'tags=["q"]' --setting 'labels={"a":"b"}' --write-key wk-staging --endpoint -
expect_rc "connect: a second instance with JSON values, write key and endpoint" 0
URL2=$(printf '%s' "$OUT" | grep -o 'http://127\.0\.0\.1:[0-9]*/hooks/[A-Za-z0-9_-]*' | head -1)
T2=${URL2##*/}
if [ -n "$T2" ] && [ "$T1" != "$T2" ]; then pass "connect: two instances get different tokens"; else fail "connect: two instances get different tokens" "[$T1] [$T2]"; fi
expect_eq "connect: --write-key and --endpoint stored" "$(q "select write_key || ' ' || endpoint from instances where name='staging'")" "wk-staging -"
sw connect fn1 --instance prod --setting apiKey=k3
expect_rc "connect: an existing instance name is refused" 2
expect_has "connect: the refusal says it exists" "$ERR" "already exists"

# A function never deployed is deployed by connect.
sw new fn3
sw connect fn3 --instance auto
expect_rc "connect: a function without versions" 0
expect_has "connect: says it deployed the function first" "$OUT" "deployed fn3 as version 1"
expect_eq "connect: the automatic deploy is version 1" "$(q "select version from instances where name='auto'")" 1

# --- sources ---------------------------------------------------------------------
sw sources
expect_rc "sources: exits 0" 0
expect_has "sources: shows prod with its version and URL" "$OUT" "prod*fn1*3*$URL1"
expect_has "sources: shows staging's URL and endpoint" "$OUT" "staging*$URL2*-"
sw sources --json
expect_json "sources --json: three instances with name, function, version, URL, endpoint" "$OUT" \
  "length == 3 and (map(.name) | sort) == [\"auto\",\"prod\",\"staging\"] and (.[] | select(.name == \"prod\") | .version == 3 and .url == \"$URL1\" and .function == \"fn1\" and .endpoint == \"https://api.segment.io\")"
expect_json "sources --json: sensitive values hidden, others shown" "$OUT" \
  '(.[] | select(.name == "prod") | .settings.apiKey != "k1" and .settings.enabled == true and .settings.tags == ["a","b"])'
SRCFN_PORT=9911 sw sources
expect_has "sources: SRCFN_PORT sets the URL's port" "$OUT" "http://127.0.0.1:9911/hooks/$T1"

# --- deploy --instance moves only that instance; rollback ------------------------
before_staging=$(q "select updated_at from instances where name='staging'")
before_prod=$(q "select updated_at from instances where name='prod'")
echo "// edited again" >> "$W/fn1/handler.js"
sw deploy fn1 --instance staging
expect_rc "deploy --instance: exits 0" 0
expect_has "deploy --instance: records version 4" "$OUT" "version 4"
expect_eq "deploy --instance: staging moves to 4, prod stays at 3" \
  "$(q "select group_concat(name || '=' || version) from (select * from instances where function='fn1' order by name)")" "prod=3,staging=4"
if [ "$(q "select updated_at from instances where name='staging'")" -gt "$before_staging" ]; then pass "deploy --instance: staging's updated_at moves on"
else fail "deploy --instance: staging's updated_at moves on" "was $before_staging"; fi
expect_eq "deploy --instance: prod's updated_at unchanged" "$(q "select updated_at from instances where name='prod'")" "$before_prod"
sw deploy fn1 --instance nobody
expect_rc "deploy --instance: an unknown instance is refused" 2
sw deploy fn3 --instance prod
expect_rc "deploy --instance: an instance of another function is refused" 2
expect_has "deploy --instance: the refusal names the instance's function" "$ERR" 'runs function "fn1"'
sw versions fn1
expect_has "versions: shows which instance runs which version" "$OUT" "4 *staging"

sw rollback staging 1
expect_rc "rollback: exits 0" 0
expect_has "rollback: says what moved" "$OUT" "4 -> 1"
expect_eq "rollback: staging runs version 1" "$(q "select version from instances where name='staging'")" 1
sw rollback staging 99
expect_rc "rollback: a version that does not exist is refused" 2
expect_has "rollback: the refusal names the range" "$ERR" "no version 99"
sw rollback nobody 1
expect_rc "rollback: an unknown instance is refused" 2
sw deploy fn1
expect_has "deploy: unchanged code reuses version 4 and moves every instance to it" "$OUT" "unchanged since version 4"
expect_eq "deploy: all instances of fn1 at 4 again" \
  "$(q "select group_concat(version) from (select version from instances where function='fn1' order by name)")" "4,4"

# --- disconnect ----------------------------------------------------------------------
sw disconnect staging
expect_rc "disconnect: exits 0" 0
expect_eq "disconnect: the row is gone" "$(q "select count(*) from instances where name='staging'")" 0
sw sources
case "$OUT" in *staging*) fail "disconnect: sources no longer lists it" "$OUT";; *) pass "disconnect: sources no longer lists it";; esac
sw disconnect staging
expect_rc "disconnect: an unknown instance exits 2" 2
