#!/bin/sh
# tests/e2e/corpus.sh: runs every example of tests/corpus/*/ and tests/seed/*/
# with `srcfn test`, the one implementation of how a result is compared with
# its expectation (workspace/functest.h):
#   examples/NAME.json   a srcfn request with its "expect" inside;
#   fixtures/NAME.json   a request in the functions-library format ({"payload":
#                        …, "settings": …}), expectation in fixtures/NAME.expect.json.
# events/objects/logs are compared exactly when the expectation lists them
# (key order in objects ignored, array order kept); error null means the run
# must succeed, an error object is compared on the fields it lists.
# One line per example: "PASS corpus/<dir>/<example>" or "FAIL …: <diff>".
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh

# srcfn test's report (PASS/FAIL lines, the differences indented under a FAIL,
# then "N passed, N failed") as this suite's lines, prefixed; a FAIL's
# differences are folded into its line.
fold_report() {
  awk -v prefix="$1" '
    function flush() {
      if (verdict == "PASS") print "PASS " prefix name
      else if (verdict == "FAIL") print "FAIL " prefix name ": " diff
      verdict = ""
    }
    /^(PASS|FAIL) / { flush(); verdict = $1; name = $2; diff = ""; next }
    /^    / { sub(/^    /, ""); diff = diff (diff == "" ? "" : "; ") $0; next }
    { flush() }
    END { flush() }'
}

for top in corpus seed; do
  prefix="corpus/"
  [ "$top" = seed ] && prefix="corpus/seed/"
  "$SRCFN" test "tests/$top" >"$TMP/report" 2>"$TMP/err"
  rc=$?
  if ! grep -q '^[0-9]* passed, [0-9]* failed$' "$TMP/report"; then
    fail "corpus: srcfn test tests/$top reports" "exit $rc: $(head -c 300 "$TMP/err" | tr '\n' ' ')"
    continue
  fi
  fold_report "$prefix" <"$TMP/report"
done
