#!/bin/sh
# tests/e2e/serve-crash.sh: kill -9 during a load of 1000 webhooks, then a
# restart. The function (fixtures/serve/counter.js) tells a sink
# (fixtures/serve/sink.js) the n of each request it runs, so the sink's log
# counts runs per request. fixtures/serve/load.js sends {"n": 0..999}, 50 at a
# time, records which were answered 200, and SIGKILLs the server once 300
# were. Then: the requests the store shows 'running' at that moment are the
# only ones a kill can have interrupted. After a restart drains the queue,
# every 200-answered request must have run, and none may have run twice
# except interrupted ones.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/e2e/fixtures/serve/lib.sh"

serve_workspace
add_function counter counter
node "$FIX/sink.js" "$TMP/runs.log" >"$TMP/sink.port" 2>"$TMP/sink.err" &
track_pid $!
sink_up() { [ -n "$(head -n 1 "$TMP/sink.port")" ]; }
wait_until 10 sink_up || { fail "crash: the sink starts" "$(head -3 "$TMP/sink.err")"; exit 0; }
SINK=http://127.0.0.1:$(head -n 1 "$TMP/sink.port")
"$SRCFN" connect counter --instance c1 --endpoint - --setting "sink=$SINK" >/dev/null 2>&1 ||
  { fail "crash: connect" "srcfn connect failed"; exit 0; }

WORKERS=4
serve_start --workers "$WORKERS"
URL=$(hook c1)
KILLED_PID=$SERVE_PID
LOAD=$(node "$FIX/load.js" "$URL" 1000 50 300 "$SERVE_PID" "$TMP/accepted" 2>"$TMP/load.err")
wait "$KILLED_PID" 2>/dev/null
SERVE_PID=""
expect_json "crash: the server was killed during the load" "$LOAD" '.killed == true and .accepted >= 300'
echo "crash: $(echo "$LOAD" | jq .accepted) requests answered 200 before and around the kill"

# What the kill may have interrupted: requests marked running.
sql "SELECT CAST(body AS TEXT) FROM requests WHERE state = 'running'" | jq -r .n | sort -n >"$TMP/interrupted"
echo "crash: $(wc -l <"$TMP/interrupted" | tr -d ' ') runs were in progress at the kill"
expect_eq "crash: at most one run per worker was in progress" "$(test "$(wc -l <"$TMP/interrupted")" -le "$WORKERS" && echo ok)" ok
PENDING=$(sql "SELECT count(*) FROM requests WHERE state IN ('queued', 'running')")
expect_eq "crash: accepted work was left over for the restart" "$(test "$PENDING" -gt 0 && echo yes)" yes

serve_start
if grep -q "resuming $PENDING request" "$TMP/serve.err"; then pass "crash: the restart resumes every unfinished request"
else fail "crash: the restart resumes every unfinished request" "$(head -2 "$TMP/serve.err" | tr '\n' ' ')"; fi
drained() { [ "$(sql "SELECT count(*) FROM requests WHERE state IN ('queued', 'running')")" = 0 ]; }
wait_until 120 drained
serve_stop
expect_eq "crash: the restarted server exits 0" "$SERVE_RC" 0

# Every 200-answered request is done in the store.
cut -d' ' -f2 "$TMP/accepted" | sort -n >"$TMP/accepted.ids"
sql "SELECT id FROM requests WHERE state = 'done'" | sort -n >"$TMP/done.ids"
expect_eq "crash: every accepted request is done" "$(comm -23 "$TMP/accepted.ids" "$TMP/done.ids" | wc -l | tr -d ' ')" 0

# Runs per request, from the sink: none lost, none twice but interrupted ones.
cut -d' ' -f1 "$TMP/accepted" | sort -n >"$TMP/accepted.n"
sort -n "$TMP/runs.log" | uniq -c | awk '{ print $2, $1 }' >"$TMP/runs.count"
awk '{ print $1 }' "$TMP/runs.count" >"$TMP/ran.n"
expect_eq "crash: every accepted request ran" "$(comm -23 "$TMP/accepted.n" "$TMP/ran.n" | wc -l | tr -d ' ')" 0
awk '$2 > 1 { print $1 }' "$TMP/runs.count" >"$TMP/twice.n"
expect_eq "crash: only interrupted runs ran twice" "$(comm -23 "$TMP/twice.n" "$TMP/interrupted" | tr '\n' ' ')" ""
expect_eq "crash: nothing ran three times" "$(awk '$2 > 2' "$TMP/runs.count" | wc -l | tr -d ' ')" 0
echo "crash: $(wc -l <"$TMP/twice.n" | tr -d ' ') requests ran twice (interrupted by the kill)"
check_sanitizers "crash"
