#!/bin/sh
# tests/e2e/serve-retention.sh: a finished request, body and state, is kept
# for --keep-finished seconds (an hour by default), then deleted: the store
# holds what is queued or running and the last hour, not every body ever
# received. What failed stays in the error log (its own limits).
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/e2e/fixtures/serve/lib.sh"

serve_workspace
add_function track track
connect_to_stdout retention track t1

expect_eq "retention: --keep-finished takes seconds" \
  "$("$SRCFN" serve --keep-finished soon >/dev/null 2>"$TMP/usage.err"; echo $?) $(grep -c 'keep-finished takes seconds' "$TMP/usage.err")" "2 1"

serve_start --keep-finished 0
URL=$(hook t1)
for n in 1 2 3; do post "$URL" "{\"n\": $n}"; done
delivered_all() { [ "$(grep -c '"Loaded"' "$TMP/serve.out")" -ge 3 ]; }
wait_until 20 delivered_all
expect_eq "retention: the three webhooks ran and were delivered" "$(grep -c '"Loaded"' "$TMP/serve.out")" 3
# The newest request stays whatever its age, so that ids are never given twice.
gone() { [ "$(sql "SELECT count(*) FROM request_data") $(sql "SELECT count(*) FROM request_state")" = "1 1" ]; }
wait_until 10 gone
expect_eq "retention: with --keep-finished 0 their bodies and states are gone (but the newest's)" \
  "$(sql "SELECT json_extract(CAST(body AS TEXT), '\$.n') FROM requests") $(sql "SELECT count(*) FROM request_state")" "3 1"
serve_stop

serve_start
URL=$(hook t1)
post "$URL" '{"n": 4}'
wait_until 20 state_is "json_extract(CAST(body AS TEXT), '\$.n') = 4" done
sleep 1   # a few of the server's rounds of deleting
expect_eq "retention: by default a finished request stays (an hour)" \
  "$(sql "SELECT state FROM requests WHERE json_extract(CAST(body AS TEXT), '\$.n') = 4")" done
serve_stop
