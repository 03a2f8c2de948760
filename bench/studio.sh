#!/bin/sh
# bench/studio.sh: the studio's two latencies, for the default template, in a
# real terminal (tmux, 100x30):
#   studio.first_frame    from the exec of `srcfn studio welcome` to its first
#                         full frame on screen (target < 100 ms)
#   studio.run_to_output  from the run key (F5) being read to the output drawn
#                         (target < 30 ms), the median of RUNS runs
# The studio writes the moments to $SRCFN_STUDIO_TRACE ("frame", "run_key",
# "output", each with CLOCK_REALTIME in ns); the launcher writes "exec" just
# before the studio starts. Prints one line per figure: name, value, unit,
# target, as bench/run.sh's other figures.
set -eu
cd "$(dirname "$0")/.."
command -v tmux >/dev/null 2>&1 || { echo "studio: skipped (no tmux)"; exit 0; }
SRCFN=$(pwd)/srcfn
TMP=$(mktemp -d)
SOCK=srcfn-bench-$$
cleanup() { tmux -L "$SOCK" kill-server >/dev/null 2>&1 || true; rm -rf "$TMP"; }
trap cleanup EXIT
STARTS=${STARTS:-5}
RUNS=${RUNS:-20}
export SRCFN_CACHE_DIR="${SRCFN_CACHE_DIR:-$TMP/cache}"

mkdir -p "$TMP/ws"
(cd "$TMP/ws" && "$SRCFN" init >/dev/null && "$SRCFN" new welcome >/dev/null)
cat >"$TMP/launch.sh" <<EOF
cd "$TMP/ws" || exit 1
echo "exec \$(date +%s%N)" >>"\$1"
SRCFN_STUDIO_TRACE="\$1" LANG=C.UTF-8 TERM=tmux-256color exec "$SRCFN" studio welcome
EOF

# wait_count FILE EVENT N: until FILE has N lines of EVENT (at most 10 s).
wait_count() {
  i=0
  while c=$(grep -c "^$2 " "$1" 2>/dev/null); [ "${c:-0}" -lt "$3" ]; do
    i=$((i + 1))
    [ $i -gt 1000 ] && { echo "studio: no \"$2\" in $1" >&2; exit 1; }
    sleep 0.01
  done
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# The lowering cache warm (as after the first start), each start is a fresh process.
for n in $(seq 0 "$STARTS"); do
  trace="$TMP/start-$n.trace"
  tmux -L "$SOCK" new-session -d -s "s$n" -x 100 -y 30 "sh '$TMP/launch.sh' '$trace'"
  wait_count "$trace" frame 1
  if [ "$n" -eq 0 ]; then   # the first start warms the cache and also gives the runs
    sleep 0.5
    for r in $(seq 1 "$RUNS"); do
      tmux -L "$SOCK" send-keys -t "s$n" F5
      wait_count "$trace" output "$r"
    done
    cp "$trace" "$TMP/runs.trace"
  fi
  tmux -L "$SOCK" send-keys -t "s$n" F10
  [ "$n" -gt 0 ] && awk '$1 == "exec" { e = $2 } $1 == "frame" { f = $2 } END { printf "%.3f\n", (f - e) / 1e6 }' "$trace" >>"$TMP/frames"
done

frame=$(median <"$TMP/frames")
run=$(awk '$1 == "run_key" { k = $2 } $1 == "output" && k { printf "%.3f\n", ($2 - k) / 1e6; k = 0 }' "$TMP/runs.trace" | median)
echo "studio.first_frame $frame ms (median of $STARTS starts) target < 100 ms"
echo "studio.run_to_output $run ms (median of $RUNS runs, default template) target < 30 ms"
