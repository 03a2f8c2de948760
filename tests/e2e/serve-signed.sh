#!/bin/sh
# A deployed template verifies a provider's signature: serve sorts the keys
# json() sees, but text() keeps the bytes the provider signed.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/e2e/fixtures/serve/lib.sh"

serve_workspace
"$SRCFN" new gh --template github >/dev/null 2>&1 || { fail "serve-signed: new" "srcfn new --template github failed"; exit 0; }
"$SRCFN" deploy gh >/dev/null 2>&1
EX="$ROOT/templates/github/examples/01-push.json"
secret=$(jq -r '.settings.webhookSecret' "$EX")
"$SRCFN" connect gh --instance g1 --endpoint - --setting "webhookSecret=$secret" >/dev/null 2>&1 ||
  { fail "serve-signed: connect" "srcfn connect failed"; exit 0; }
serve_start
URL=$(hook g1)

# The exact bytes the example's signature covers: its body as JSON.stringify writes it.
node -e 'process.stdout.write(JSON.stringify(require(process.argv[1]).body))' "$EX" > "$TMP/body.json"
set --
for h in X-GitHub-Event X-GitHub-Delivery X-Hub-Signature-256; do
  set -- "$@" -H "$h: $(jq -r --arg h "$h" '.headers[$h]' "$EX")"
done
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' "$@" --data-binary @"$TMP/body.json" "$URL")
expect_eq "serve-signed: the signed push is accepted" "$code" 200
if wait_until 20 grep -q '"event"' "$TMP/serve.out"; then pass "serve-signed: the deployed function verified the signature and emitted"
else fail "serve-signed: the deployed function verified the signature and emitted" "$("$SRCFN" errors g1 2>&1 | head -5)"; fi
expect_eq "serve-signed: no error logged" "$("$SRCFN" errors g1 --json | jq 'length')" 0
serve_stop
