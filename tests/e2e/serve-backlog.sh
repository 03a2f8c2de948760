#!/bin/sh
# tests/e2e/serve-backlog.sh: the queue has a bound (--max-queued, a million
# by default): while that many webhooks wait or run, more are refused with
# 503 (which providers retry), so a flood cannot fill the disk or the memory;
# once the queue goes down, webhooks are accepted again.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/e2e/fixtures/serve/lib.sh"

serve_workspace
add_function echo echo
connect_to_stdout backlog echo e1

expect_eq "backlog: --max-queued takes a number" \
  "$("$SRCFN" serve --max-queued 0 >/dev/null 2>"$TMP/usage.err"; echo $?) $(grep -c 'max-queued takes a number' "$TMP/usage.err")" "2 1"

serve_start --workers 1 --max-queued 2
URL=$(hook e1)
post "$URL" '{"busy": 1500, "n": 1}'
C1=$CODE
post "$URL" '{"busy": 100, "n": 2}'
C2=$CODE
post "$URL" '{"n": 3}'
expect_eq "backlog: two webhooks fill a queue of two" "$C1 $C2" "200 200"
expect_eq "backlog: the third is refused with 503" "$CODE" 503
expect_json "backlog: and says why" "$(printf '%s' "$BODY_OUT" | head -n 1)" '.error | test("waiting to run")'
expect_eq "backlog: the refused one was not stored" "$(sql "SELECT count(*) FROM requests WHERE json_extract(CAST(body AS TEXT), '\$.n') = 3")" 0
both_done() { [ "$(sql "SELECT count(*) FROM requests WHERE state = 'done'")" = 2 ]; }
wait_until 20 both_done
post "$URL" '{"n": 4}'
expect_eq "backlog: once they ran, webhooks are accepted again" "$CODE" 200
serve_stop
