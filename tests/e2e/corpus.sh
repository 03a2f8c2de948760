#!/bin/sh
# tests/e2e/corpus.sh: runs every example of tests/corpus/*/ and tests/seed/*/
# through `srcfn run DIR --request EXAMPLE --json` and compares the result with
# the example's expectation:
#   examples/NAME.json   a srcfn request with its "expect" inside;
#   fixtures/NAME.json   a request in the functions-library format ({"payload":
#                        …, "settings": …}), expectation in fixtures/NAME.expect.json.
# events/objects/logs are compared exactly when the expectation lists them (jq's
# == ignores key order in objects, keeps it in arrays); error null means the run
# must succeed, an error object is compared on the fields it lists. The exit
# status must be 0 for a success and 1 for an error.
# One line per example: "PASS corpus/<dir>/<example>" or "FAIL …: <diff>".
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh

# The jq program: input is srcfn's output, $e[0] the expectation. Prints the
# differences joined by "; ", or nothing.
COMPARE='
def short: tojson | if length > 300 then .[0:300] + "…" else . end;
def diffarr($k):
  if ($e[0] | has($k)) and (.[$k] != $e[0][$k]) then
    if (.[$k] | type) != "array" then "\($k): missing (got \(.[$k] | short))"
    elif (.[$k] | length) != ($e[0][$k] | length) then "\($k): got \(.[$k] | length) want \($e[0][$k] | length): \(.[$k] | short)"
    else . as $o | [range(0; $o[$k] | length) | select($o[$k][.] != $e[0][$k][.])][0] as $i
      | "\($k)[\($i)]: got \($o[$k][$i] | short) want \($e[0][$k][$i] | short)"
    end
  else empty end;
. as $o
| [ diffarr("events"), diffarr("objects"), diffarr("logs"),
    ( if ($e[0] | has("error")) | not then empty
      elif $e[0].error == null then (if $o.error == null then empty else "unexpected error \($o.error | short)" end)
      elif $o.error == null then "expected error \($e[0].error | short), got none"
      else $e[0].error | to_entries[] | select(.value != $o.error[.key])
        | "error.\(.key): got \($o.error[.key] | short) want \(.value | short)"
      end ) ]
| join("; ")'

run_example() {  # run_example DIR REQUEST NAME
  dir=$1 req=$2 name=$3
  if jq -e 'type == "object" and has("payload")' "$req" >/dev/null 2>&1; then
    expf=${req%.json}.expect.json
    if [ ! -f "$expf" ]; then fail "$name" "no expectation file $expf"; return; fi
    cp "$expf" "$TMP/expect.json"
  else
    jq '.expect // {}' "$req" >"$TMP/expect.json" 2>/dev/null || { fail "$name" "example is not valid JSON"; return; }
  fi
  "$SRCFN" run "$dir" --request "$req" --json >"$TMP/out.json" 2>"$TMP/err"
  rc=$?
  if ! jq -e 'type == "object"' "$TMP/out.json" >/dev/null 2>&1; then
    fail "$name" "no JSON result (exit $rc): $(head -c 300 "$TMP/err" | tr '\n' ' ')"
    return
  fi
  # exit status expected: 1 when an error is expected, 0 when error is null;
  # without an "error" key it must agree with the result's own error field.
  want=$(jq -r --slurpfile o "$TMP/out.json" '
    if has("error") then (if .error == null then 0 else 1 end)
    else (if $o[0].error == null then 0 else 1 end) end' "$TMP/expect.json")
  diff=$(jq -r --slurpfile e "$TMP/expect.json" "$COMPARE" "$TMP/out.json" 2>&1)
  if [ "$rc" != "$want" ]; then
    diff="exit $rc, want $want${diff:+; $diff}"
  fi
  if [ -z "$diff" ]; then pass "$name"; else fail "$name" "$diff"; fi
}

for top in corpus seed; do
  for dir in "$ROOT/tests/$top"/*/; do
    [ -d "$dir" ] || continue
    dir=${dir%/}
    base=${dir##*/}
    prefix="corpus/$base"
    [ "$top" = seed ] && prefix="corpus/seed/$base"
    for req in "$dir"/examples/*.json "$dir"/fixtures/*.json; do
      [ -f "$req" ] || continue
      case $req in *.expect.json) continue ;; esac
      file=${req##*/}
      ex=${file%.json}
      case $req in */fixtures/*) ex="fixtures/$ex" ;; esac
      run_example "$dir" "$req" "$prefix/$ex"
    done
  done
done
