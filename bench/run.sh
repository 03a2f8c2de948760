#!/bin/sh
# bench/run.sh: make bench. Prints srcfn's figures, then the same figures for
# the baseline run in this invocation and the ratio between them.
set -eu
cd "$(dirname "$0")/.."
make --no-print-directory -s build/rel/bench-engine
export SRCFN_CACHE_DIR="${SRCFN_CACHE_DIR:-$(mktemp -d)}"
# The headline body (bench/fixtures: 40 line items, 1,113 values in 8.6 KB),
# and a real provider's shape (a Shopify order, 818 values in 9 KB).
BODIES="bench/fixtures shopify_order=bench/fixtures-shopify"
ours=$(build/rel/bench-engine $BODIES)
echo "$ours"
if command -v node >/dev/null 2>&1; then
  base=$(node bench/node-baseline.js $BODIES)
  echo "$base"
  fig() { echo "$1" | awk -v k="$2" '$1 == k { print $2 }'; }
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0) printf "%.2f", b / a; else print "n/a" }'; }
  echo "ratio.warm_invocation (node/srcfn, >1: srcfn faster) $(ratio "$(fig "$ours" engine.warm_invocation)" "$(fig "$base" node.warm_invocation)")"
  echo "ratio.warm_invocation_shopify_order (node/srcfn) $(ratio "$(fig "$ours" engine.warm_invocation_shopify_order)" "$(fig "$base" node.warm_invocation_shopify_order)")"
  echo "ratio.cold_start (node/srcfn, >1: srcfn faster) $(ratio "$(fig "$ours" engine.cold_start)" "$(fig "$base" node.cold_start)")"
  echo "ratio.memory (node process heap / srcfn heap) $(ratio "$(fig "$ours" engine.peak_heap)" "$(fig "$base" node.process_heap)")"
  echo "ratio.fetch_round_trip (node/srcfn, >1: srcfn faster) $(ratio "$(fig "$ours" library.fetch_round_trip)" "$(fig "$base" node.fetch_round_trip)")"
fi
# srcfn serve under load, beside a bare libmicrohttpd server and Node.js.
sh bench/serve.sh
# The studio: start to first frame, run key to output drawn (in tmux).
sh bench/studio.sh
