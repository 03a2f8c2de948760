#!/bin/sh
# The run's limits hold for pending work too: timers count against the
# 5-second budget, a run with nothing left to wait for ends, and an error in a
# timer callback fails the run.
. tests/lib.sh
F=tests/e2e/fixtures/limits

start=$(date +%s%N)
run_json $F/timer.js
ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect_json "limits: a timer past the budget is a timeout" "$OUT" \
  '.error.type == "Bad Request" and .error.name == "TimeoutError" and .events == [] and .logs[0].message == "waiting"'
if [ "$ms" -ge 4800 ] && [ "$ms" -lt 7500 ]; then pass "limits: stopped at about 5 s"; else fail "limits: stopped at about 5 s" "took $ms ms"; fi

start=$(date +%s%N)
run_json $F/pending.js
ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect_json "limits: a promise that never settles ends the run" "$OUT" \
  '.error.type == "Bad Request" and (.error.message | test("never settled"))'
if [ "$ms" -lt 3000 ]; then pass "limits: without waiting for the budget"; else fail "limits: without waiting for the budget" "took $ms ms"; fi

run_json $F/timer-throws.js
expect_json "limits: a timer's error fails the run" "$OUT" \
  '.error.name == "RangeError" and .error.message == "from a timer" and .error.line == 3'
