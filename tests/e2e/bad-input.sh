#!/bin/sh
# tests/e2e/bad-input.sh: the contract's bad inputs. Each check is one
# PASS/FAIL line on the exit status, the stderr message and, where srcfn prints
# a JSON result, the error's type, name and line.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
F=tests/e2e/fixtures/bad-input

# bad_json NAME EXPECTED-RC JQ-EXPR: checks $RC and $OUT after run_json.
bad_json() {
  if [ "$RC" != "$2" ]; then
    fail "$1" "exit $RC, want $2; stdout: $(printf '%s' "$OUT" | head -c 300); stderr: $(head -c 200 "$TMP/stderr" | tr '\n' ' ')"
  elif ! printf '%s' "$OUT" | jq -e "$3" >/dev/null 2>&1; then
    fail "$1" "jq '$3' false for: $(printf '%s' "$OUT" | head -c 400)"
  else
    pass "$1"
  fi
}

# 1. A syntax error in the handler: Bad Request, SyntaxError, the user's line.
run_json $F/syntax-error --request $F/request.json
bad_json "bad-input: syntax error is Bad Request/SyntaxError at the user's line" 1 \
  '.error.type == "Bad Request" and .error.name == "SyntaxError" and .error.line == 5 and .events == []'

# 2. A request file that is not JSON: exit 2, one stderr line naming the file and the position.
"$SRCFN" run $F/bom --request $F/not-json-request.json --json >"$TMP/out" 2>"$TMP/err"; rc=$?
lines=$(grep -c '' "$TMP/err")
msg=$(cat "$TMP/err")
if [ "$rc" != 2 ]; then
  fail "bad-input: request file not JSON" "exit $rc, want 2; stderr: $msg"
elif [ "$lines" != 1 ]; then
  fail "bad-input: request file not JSON" "stderr has $lines lines, want 1: $msg"
else
  case "$msg" in
    *not-json-request.json*[0-9]*) pass "bad-input: request file not JSON" ;;
    *) fail "bad-input: request file not JSON" "stderr names neither the file nor a position: $msg" ;;
  esac
fi

# 3. A body that is not JSON when json() is called: SyntaxError at the json() line.
run_json $F/body-not-json --request $F/body-not-json/request.json
bad_json "bad-input: json() on a non-JSON body is a SyntaxError at its line" 1 \
  '.error.type == "Bad Request" and .error.name == "SyntaxError" and .error.line == 3 and .logs == [{"level":"log","message":"parsing"}]'

# 4. A function directory without handler.js: exit 2, stderr names the file.
"$SRCFN" run $F/no-handler --request $F/request.json --json >"$TMP/out" 2>"$TMP/err"; rc=$?
msg=$(cat "$TMP/err")
if [ "$rc" != 2 ]; then
  fail "bad-input: missing handler file" "exit $rc, want 2; stderr: $msg"
else
  case "$msg" in
    *handler.js*) pass "bad-input: missing handler file" ;;
    *) fail "bad-input: missing handler file" "stderr does not name handler.js: $msg" ;;
  esac
fi

# 5. A function that never returns: stopped after ~5 s, Bad Request, a timeout message.
start=$(date +%s)
run_json $F/never-returns --request $F/request.json
elapsed=$(( $(date +%s) - start ))
bad_json "bad-input: endless loop is a Bad Request timeout" 1 \
  '.error.type == "Bad Request" and (.error.message | test("time"; "i"))'
if [ "$elapsed" -ge 4 ] && [ "$elapsed" -le 12 ]; then
  pass "bad-input: endless loop stopped after about 5 s"
else
  fail "bad-input: endless loop stopped after about 5 s" "took ${elapsed}s"
fi

# 6. A function that allocates without end: Bad Request about memory; srcfn itself survives.
run_json $F/alloc-forever --request $F/request.json
bad_json "bad-input: endless allocation is a Bad Request about memory" 1 \
  '.error.type == "Bad Request" and (.error.message | test("memory"; "i"))'

# 7. A file without onRequest: Unsupported Event Type.
run_json $F/no-onrequest --request $F/request.json
bad_json "bad-input: no onRequest is Unsupported Event Type" 1 \
  '.error.type == "Unsupported Event Type" and .events == []'

# 8. A leading UTF-8 byte-order mark: ignored, the function runs, lines are unshifted.
run_json $F/bom --request $F/request.json
bad_json "bad-input: a leading BOM is ignored" 0 \
  '.error == null and .logs == [{"level":"log","message":"BOM ok Jane"}]'
run_json $F/bom --request $F/bom/request-other.json
bad_json "bad-input: line numbers after a BOM are the file's own" 1 \
  '.error.type == "Message Rejected" and .error.name == "ValidationError" and .error.message == "not Jane" and .error.line == 5'
