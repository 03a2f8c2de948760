#!/bin/sh
# tests/e2e/templates.sh: the template gallery. Every template passes
# `srcfn test` on its own examples; the gallery has the providers the product
# promises, each with a description, at least three examples and (but
# default) a required, sensitive secret setting; `srcfn templates` lists them
# all; and tampering with a signed example, its body or its signature, on a
# temporary copy, makes that example fail with a Message Rejected error.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh

# template:how its requests are authenticated (a signature header, or "token"
# for a shared token in the URL where the provider does not sign with HMAC).
AUTH="github:X-Hub-Signature-256 stripe:Stripe-Signature shopify:X-Shopify-Hmac-Sha256
typeform:Typeform-Signature twilio:X-Twilio-Signature slack:X-Slack-Signature
zendesk:X-Zendesk-Webhook-Signature hubspot:X-HubSpot-Signature-v3 intercom:X-Hub-Signature
calendly:Calendly-Webhook-Signature jira:X-Hub-Signature sendgrid:token mailchimp:token paypal:token"

# --- every template passes its own examples ----------------------------------------
count=0
for dir in templates/*/; do
  [ -f "$dir/handler.js" ] || continue
  name=$(basename "$dir")
  count=$((count + 1))
  out=$("$SRCFN" test "$dir" 2>&1); rc=$?
  if [ "$rc" = 0 ]; then
    pass "templates: $name passes srcfn test"
  else
    fail "templates: $name passes srcfn test" "exit $rc: $(echo "$out" | grep -A4 '^FAIL' | head -10 | tr '\n' ' ')"
  fi
  examples=$(ls "$dir/examples/"*.json 2>/dev/null | wc -l)
  [ "$examples" -ge 3 ] && pass "templates: $name has at least 3 examples" \
    || fail "templates: $name has at least 3 examples" "$examples"
  expect_json "templates: $name's function.json has a displayName and a description" "$(cat "$dir/function.json")" \
    '(.displayName | length > 0) and (.description | length > 0)'
  if [ "$name" != default ]; then
    expect_json "templates: $name declares a required, sensitive secret" "$(cat "$dir/function.json")" \
      '[.settings[] | select(.required and .sensitive and .type == "STRING")] | length >= 1'
  fi
done
[ "$count" -ge 15 ] && pass "templates: at least 15 in the gallery" || fail "templates: at least 15 in the gallery" "$count"
for pair in $AUTH; do
  name=${pair%%:*}
  [ -f "templates/$name/handler.js" ] && pass "templates: $name is in the gallery" || fail "templates: $name is in the gallery" "no templates/$name/handler.js"
done

# --- the listing --------------------------------------------------------------------------
out=$("$SRCFN" templates 2>&1); rc=$?
expect_eq "templates: srcfn templates exits 0" "$rc" 0
expect_eq "templates: default comes first" "$(echo "$out" | head -1 | cut -d' ' -f1)" default
for dir in templates/*/; do
  name=$(basename "$dir")
  desc=$(jq -r .description "$dir/function.json")
  if echo "$out" | grep -qF "$desc" && echo "$out" | grep -q "^$name "; then pass "templates: the listing shows $name with its description"
  else fail "templates: the listing shows $name with its description" "$(echo "$out" | head -3)"; fi
done
json=$("$SRCFN" templates --json)
expect_json "templates: --json lists every template with name, description and dir" "$json" \
  "length == $count and all(.[]; has(\"name\") and has(\"description\") and has(\"dir\"))"

# --- tampering -----------------------------------------------------------------------------
# tampered NAME EXAMPLE JQ-FILTER WHAT: on a copy of template NAME, rewrites
# EXAMPLE with the filter; `srcfn test` must then fail that example with
# Message Rejected (and exit 1).
tampered() {
  name=$1 example=$2 filter=$3 what=$4
  rm -rf "$TMP/t" && mkdir -p "$TMP/t" && cp -r "templates/$name" "$TMP/t/$name"
  file="$TMP/t/$name/examples/$example.json"
  if ! jq "$filter" "$file" >"$TMP/tampered.json" 2>"$TMP/jq.err" || cmp -s "$file" "$TMP/tampered.json"; then
    fail "templates: $name: $what is refused" "could not tamper with $example: $(cat "$TMP/jq.err")"
    return
  fi
  mv "$TMP/tampered.json" "$file"
  out=$("$SRCFN" test "$TMP/t/$name" 2>&1); rc=$?
  if [ "$rc" = 1 ] && echo "$out" | grep -q "^FAIL $name/$example\$" \
     && echo "$out" | grep -A3 "^FAIL $name/$example\$" | grep -q "got Message Rejected (ValidationError"; then
    pass "templates: $name: $what is refused (Message Rejected)"
  else
    fail "templates: $name: $what is refused" "exit $rc: $(echo "$out" | grep -A3 "$example" | tr '\n' ' ')"
  fi
}

BODY='if (.body | type) == "string" then .body += "&tampered=1"
      elif (.body | type) == "array" then .body += [{"tampered": true}]
      else .body.tampered = true end'
for pair in $AUTH; do
  name=${pair%%:*} header=${pair#*:}
  # the first example expected to succeed
  example=$(for f in "templates/$name/examples/"*.json; do
    jq -e '.expect.error == null and (.expect | has("error"))' "$f" >/dev/null && { basename "$f" .json; break; }
  done)
  if [ -z "$example" ]; then fail "templates: $name has an example that succeeds" "none"; continue; fi
  if [ "$header" = token ]; then
    tampered "$name" "$example" '.url |= sub("token=[^&]*"; "token=guessed")' "a wrong token in $example"
  else
    tampered "$name" "$example" "$BODY" "a tampered body in $example"
    tampered "$name" "$example" \
      ".headers[\"$header\"] |= sub(\"(?<c>[^=])(?<t>=*)\$\"; (if .c == \"0\" then \"1\" else \"0\" end) + .t)" \
      "a tampered $header in $example"
  fi
done
