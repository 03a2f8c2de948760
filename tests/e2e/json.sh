#!/bin/sh
# tests/e2e/json.sh: request.json() (native.parseJson, engine/native-json.c)
# reads tricky bodies as Node.js's JSON.parse does. Each body runs through
# `srcfn run` with a handler that logs a description of the parsed value, and
# Node describes JSON.parse of the same text with the same function; invalid
# bodies must fail as a Bad Request SyntaxError that says where. Bodies that
# are not UTF-8 cannot go in a request file: tests/unit/test-native-json.c
# has those.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh

# The description: JSON text with -0 marked, every string code unit outside
# printable ASCII escaped (so lone surrogates survive the trip out), and, for
# objects, whether the prototype is Object.prototype.
DESCRIBE='function describe(v) {
  var s = JSON.stringify(v, function (k, x) {
    return typeof x === "number" && x === 0 && 1 / x < 0 ? "-0!" : x;
  });
  s = s.replace(/[^\x20-\x7e]/g, function (c) {
    return "\\u" + ("000" + c.charCodeAt(0).toString(16)).slice(-4);
  });
  var proto = v !== null && typeof v === "object" && !Array.isArray(v)
    ? (Object.getPrototypeOf(v) === Object.prototype ? " proto=Object" : " proto=other") : "";
  return s + proto;
}'

printf '%s\n' "$DESCRIBE" > "$TMP/handler.js"
cat >> "$TMP/handler.js" <<'EOF'
async function onRequest(request) {
  console.log(describe(request.json()));
}
EOF

if ! command -v node >/dev/null 2>&1; then
  fail "json: node is needed to compare with JSON.parse" "node not found"
  exit 0
fi

# json_case NAME: the body is in $TMP/body.
json_case() {
  jq -Rs '{headers: {"Content-Type": "application/json"}, body: .}' < "$TMP/body" > "$TMP/req.json"
  run_json "$TMP/handler.js" --request "$TMP/req.json"
  got=$(printf '%s' "$OUT" | jq -r 'if .error == null then .logs[0].message else "error " + .error.type + " " + .error.name + ": " + .error.message end' 2>/dev/null)
  want=$(node -e "$DESCRIBE
    var text = require('fs').readFileSync(process.argv[1], 'utf8');
    try { console.log(describe(JSON.parse(text))); }
    catch (e) { console.log('error Bad Request ' + e.name); }" "$TMP/body")
  case "$want" in
    error*)
      # Node's messages differ by version; ours must say where, or that the text ended.
      case "$got" in
        "$want: "*"at position "[0-9]*|"$want: Unexpected end of JSON input") pass "json: $1" ;;
        *) fail "json: $1" "got [$got], want [$want: ... at position N]" ;;
      esac ;;
    *) expect_eq "json: $1" "$got" "$want" ;;
  esac
}

body() { printf '%s' "$1" > "$TMP/body"; }

body '{"price":9.99,"q":0.1,"tax":1.005,"total":12345.678901234567,"neg":-0.5}'; json_case "decimals"
body '[1e3,1E-3,2.5e+10,-1e-7,1e21,1e308,1e400,5e-324,1e-400]'; json_case "exponents"
body '[-0,0,-0.0,-0e10,{"z":-0}]'; json_case "-0 stays negative zero"
body '[9007199254740993,18446744073709551617,123456789012345678901234567890,62480208440804404,-9007199254740995]'; json_case "integers beyond 2^53 round as JS does"
body '["\u00e9\u20ac","\ud83d\ude00","\uD83D\uDE00x","\u0000","\"\\\/\b\f\n\r\t"]'; json_case "escapes and surrogate pairs"
body '["\ud800","\udc00","\ud800\u0041","a\udbffb","\\ud800"]'; json_case "lone surrogate escapes"
body '{"é":"ü","emoji":"😀👍🏽","cjk":"漢字","mixed":"a😀b"}'; json_case "raw UTF-8, characters beyond U+FFFF"
body '{"a":[1,[2,[3,{"b":{"c":[[],{}]}}]]],"d":{"e":{"f":{"g":null}}}}'; json_case "nested arrays and objects"
body '{"a":1,"b":2,"a":3,"b":{"x":1},"b":[4]}'; json_case "duplicate keys: last value, first place"
body '{"__proto__":{"polluted":true},"x":1}'; json_case "__proto__ is an own key; the prototype stays"
body '{"b":1,"1":"one","0":"zero","a":2,"10":"ten"}'; json_case "index-like keys"
body '{}'; json_case "empty object"
body '[]'; json_case "empty array"
body '""'; json_case "empty string"
body '[true,false,null,"true"]'; json_case "literals"
printf ' \t\r\n {\n\t"a" : [ 1 ,\r\n 2 ] , "b":\t{ } \n}\n\t ' > "$TMP/body"; json_case "whitespace"
node -e 'var a = []; for (var i = 0; i < 600; i++) a.push(i % 2 ? {id: i, price: i / 7, tags: ["x" + i]} : [i, -i]); process.stdout.write(JSON.stringify({items: a}))' > "$TMP/body"
json_case "a large document"
node -e 'process.stdout.write("[".repeat(1000) + "]".repeat(1000))' > "$TMP/body"; json_case "1000 levels of nesting"

body '{"a":1,}'; json_case "invalid: trailing comma in an object"
body '[1,2,]'; json_case "invalid: trailing comma in an array"
body "{'a':1}"; json_case "invalid: single quotes"
body '{"a":[1,2'; json_case "invalid: truncated"
body '{"a":"unterminated'; json_case "invalid: unterminated string"
body ''; json_case "invalid: empty body"
body '{"a":1} {"b":2}'; json_case "invalid: two documents"
body '{"a":1} "x'; json_case "invalid: an open string after the document"
body '[01]'; json_case "invalid: leading zero"
body '[NaN]'; json_case "invalid: NaN"
body '{"a":undefined}'; json_case "invalid: undefined"
printf '["tab\tinside"]' > "$TMP/body"; json_case "invalid: raw tab in a string"
body '{"a" 1}'; json_case "invalid: missing colon"

# The message names the offending character and its position, as Node does.
body '{"a":1,}'
jq -Rs '{body: .}' < "$TMP/body" > "$TMP/req.json"
run_json "$TMP/handler.js" --request "$TMP/req.json"
expect_json "json: invalid JSON is a Bad Request SyntaxError at the json() line, with the position" "$OUT" \
  '.error.type == "Bad Request" and .error.name == "SyntaxError" and .error.message == "Unexpected token } in JSON at position 7" and .error.line == 13'

# Deeper than 1000 levels: a RangeError (as Duktape's JSON.parse), not a crash.
node -e 'process.stdout.write("[".repeat(5000) + "]".repeat(5000))' > "$TMP/body"
jq -Rs '{body: .}' < "$TMP/body" > "$TMP/req.json"
run_json "$TMP/handler.js" --request "$TMP/req.json"
expect_json "json: nesting past 1000 levels is a RangeError" "$OUT" \
  '.error.type == "Bad Request" and .error.name == "RangeError" and (.error.message | test("1000 levels"))'

# A form body is still read as its fields; json() keeps returning the same object.
cat > "$TMP/form.js" <<'EOF'
async function onRequest(request) {
  var a = request.json(), b = request.json();
  console.log(JSON.stringify(a) + ' ' + (a === b));
}
EOF
printf '%s' '{"headers": {"Content-Type": "application/x-www-form-urlencoded"}, "body": "a=1&b=x%20y"}' > "$TMP/req.json"
run_json "$TMP/form.js" --request "$TMP/req.json"
expect_json "json: form bodies are still parsed as forms" "$OUT" '.logs[0].message == "{\"a\":\"1\",\"b\":\"x y\"} true"'
printf '%s' '{"body": "{\"k\":[1]}"}' > "$TMP/req.json"
run_json "$TMP/form.js" --request "$TMP/req.json"
expect_json "json: json() returns the same object each time" "$OUT" '.logs[0].message == "{\"k\":[1]} true"'
