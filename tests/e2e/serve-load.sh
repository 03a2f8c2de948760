#!/bin/sh
# tests/e2e/serve-load.sh: `srcfn serve` under many concurrent webhooks. The
# listener has a thread per core and sets a request aside while the store
# commits it (no thread waits), so far more connections than threads are all
# answered, each 200 only once its request is stored; runs go on at the
# lowest scheduling priority; and a SIGTERM in the middle of a load answers
# what was set aside before the server exits, losing nothing it answered 200.
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/e2e/fixtures/serve/lib.sh"

serve_workspace
add_function track track
connect_to_stdout load track t1

serve_start
URL=$(hook t1)

# --- many connections at once ---------------------------------------------------------
LOAD=$(node "$FIX/load.js" "$URL" 400 100 401 "$SERVE_PID" "$TMP/accepted" 2>"$TMP/load.err")
expect_json "load: 400 webhooks on 100 connections at once are all answered 200" "$LOAD" \
  '.accepted == 400 and .failed == 0 and .killed == false'
expect_eq "load: each answer names a request of its own" "$(cut -d' ' -f2 "$TMP/accepted" | sort -u | wc -l | tr -d ' ')" 400
STORED=$(cut -d' ' -f2 "$TMP/accepted" | tr '\n' ',' | sed 's/,$//')
expect_eq "load: every request answered 200 is in the store" \
  "$(sql "SELECT count(*) FROM requests WHERE id IN ($STORED)")" 400
expect_eq "load: the store holds its body" \
  "$(sql "SELECT count(*) FROM requests WHERE json_extract(CAST(body AS TEXT), '\$.n') BETWEEN 0 AND 399")" 400
all_done() { [ "$(sql "SELECT count(*) FROM requests WHERE state = 'done'")" = 400 ]; }
wait_until 60 all_done
expect_eq "load: every one of them runs" "$(sql "SELECT count(*) FROM requests WHERE state = 'done'")" 400

# --- scheduling ------------------------------------------------------------------------
# Field 41 of /proc/PID/task/TID/stat is the scheduling policy: 0 normal, 5
# SCHED_IDLE. policies GLOB: those of the threads whose name matches GLOB.
policies() {
  for t in /proc/"$SERVE_PID"/task/*; do
    # shellcheck disable=SC2254
    case "$(cat "$t/comm")" in $1) awk '{ print $41 }' "$t/stat" ;; esac
  done | sort -u | tr '\n' ' '
}
expect_eq "load: four workers by default" "$(cat /proc/"$SERVE_PID"/task/*/comm | grep -c '^srcfn-worker$')" 4
expect_eq "load: workers run at the lowest priority (SCHED_IDLE)" "$(policies srcfn-worker)" "5 "
expect_eq "load: the listener's threads keep the normal priority" "$(policies 'MHD-*')" "0 "
expect_eq "load: the store's writer keeps the normal priority" "$(policies srcfn-writer)" "0 "

# The listener: one thread per core (at least two here), each with its own
# socket on the port (SO_REUSEPORT), so the kernel shares connections out.
LISTENERS=$(ss -ltnH "sport = :$PORT" 2>/dev/null | wc -l | tr -d ' ')
expect_eq "load: the listener has a socket per thread on its port" \
  "$(test "$LISTENERS" -ge 2 && test "$LISTENERS" = "$(cat /proc/"$SERVE_PID"/task/*/comm | grep -c '^MHD-')" && echo ok)" ok
mkdir -p "$TMP/other" && (cd "$TMP/other" && "$SRCFN" init >/dev/null 2>&1 && timeout 20 "$SRCFN" serve --port "$PORT" >/dev/null 2>"$TMP/other.err")
expect_eq "load: another server cannot share the port" "$?:$(grep -c 'in use' "$TMP/other.err")" "1:1"

# --- SIGTERM in the middle of a load -----------------------------------------------------
STOPPED_PID=$SERVE_PID
LOAD=$(node "$FIX/load.js" "$URL" 2000 100 300 "$SERVE_PID" "$TMP/accepted2" SIGTERM 2>"$TMP/load.err")
wait "$STOPPED_PID" 2>/dev/null
RC=$?
SERVE_PID=""
expect_json "load: SIGTERM came during the load" "$LOAD" '.killed == true and .accepted >= 300'
expect_eq "load: the server stops cleanly under load" "$RC" 0
cut -d" " -f2 "$TMP/accepted2" | sort >"$TMP/accepted2.ids"
sql "SELECT id FROM requests" | sort >"$TMP/stored.ids"
expect_eq "load: nothing answered 200 before the stop is lost" \
  "$(comm -23 "$TMP/accepted2.ids" "$TMP/stored.ids" | wc -l | tr -d ' ')" 0
check_sanitizers "load"
