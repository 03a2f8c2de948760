#!/bin/sh
# The binary people run (./srcfn: optimised, allocating with mimalloc, not
# sanitised) runs the corpus and serves webhooks as the sanitised build does:
# those two suites run again against it, their checks named "release: ...".
cd "$(dirname "$0")/../.."
SRCFN=$(pwd)/srcfn
export SRCFN
for t in corpus serve; do
  sh "tests/e2e/$t.sh" 2>&1 | sed 's/^\(PASS\|FAIL\) /\1 release: /'
done
