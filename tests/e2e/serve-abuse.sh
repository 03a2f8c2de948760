#!/bin/sh
# tests/e2e/serve-abuse.sh: `srcfn serve` under abuse, over loopback. While a
# well-behaved client sends a webhook every 250 ms, fixtures/serve/abuse.js
# holds 1000 idle connections, drips a request head one byte a second
# (slowloris), sends 100 KB of headers, a body that is not UTF-8, bodies cut
# short (then closed, or left hanging) and bodies of the wrong types. The
# server must answer the abusers with the right status or drop them, and keep
# answering the good client quickly.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/e2e/fixtures/serve/lib.sh"

ulimit -n 4096 2>/dev/null || ulimit -n "$(ulimit -H -n)" 2>/dev/null
IDLE=1000
[ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 1100 ] && IDLE=$(( $(ulimit -n) - 100 ))

serve_workspace
add_function echo echo
connect_to_stdout serve-abuse echo e1
serve_start
URL=$(hook e1)
HOOK_PATH=/${URL#http://*/}

# 14 s: past the server's 10 s deadline for a request head and its 10 s idle limit.
OUT=$(node "$FIX/abuse.js" "$PORT" "$HOOK_PATH" "$IDLE" 14 2>"$TMP/abuse.err")
[ -n "$OUT" ] || OUT='{}'
expect_json "abuse: $IDLE idle connections were all accepted" "$OUT" ".idle.connected == $IDLE"
expect_json "abuse: idle connections are closed after the idle limit" "$OUT" ".idle.closedByServer == $IDLE"
expect_json "abuse: the slowloris client is cut off after about 10 s" "$OUT" \
  '.slowloris.closedAfterMs >= 9000 and .slowloris.closedAfterMs <= 13000'
expect_json "abuse: 100 KB of headers is 431" "$OUT" '.bigHeaders.status == 431'
expect_json "abuse: a body that is not UTF-8 is 400" "$OUT" '.invalidUtf8.status == 400'
expect_json "abuse: a body cut short and closed gets no answer" "$OUT" '.truncatedClosed.status == null'
expect_json "abuse: a body cut short and left hanging is dropped after the idle limit" "$OUT" \
  '.truncatedSilent.status == null and .truncatedSilent.closedAfterMs >= 9000 and .truncatedSilent.closedAfterMs <= 13000'
expect_json "abuse: text/plain is 415" "$OUT" '.textPlain.status == 415'
expect_json "abuse: multipart/form-data is 415" "$OUT" '.multipart.status == 415'
expect_json "abuse: a body without a Content-Type is 415" "$OUT" '.noType.status == 415'
expect_json "abuse: every good webhook meanwhile got 200" "$OUT" '.normal.count >= 40 and .normal.ok == .normal.count'
expect_json "abuse: good webhooks stayed quick (p50 < 50 ms, max < 1 s)" "$OUT" '.normal.p50Ms < 50 and .normal.maxMs < 1000'
echo "abuse: good webhooks p50 $(echo "$OUT" | jq .normal.p50Ms) ms, max $(echo "$OUT" | jq .normal.maxMs) ms"

done_count() { [ "$(sql "SELECT count(*) FROM requests WHERE state = 'done'")" -ge "$1" ]; }
N=$(echo "$OUT" | jq '.normal.ok // 0')
wait_until 30 done_count "$N"
expect_eq "abuse: every good webhook ran" "$(sql "SELECT count(*) FROM requests WHERE state = 'done'")" "$N"
expect_eq "abuse: nothing else was accepted" "$(sql "SELECT count(*) FROM requests")" "$N"
expect_eq "abuse: the server is still up" "$(kill -0 "$SERVE_PID" 2>/dev/null && echo alive)" alive
serve_stop
expect_eq "abuse: SIGTERM exits 0" "$SERVE_RC" 0
check_sanitizers "abuse"
