#!/bin/sh
# tests/e2e/request.sh: the `request` a function receives (engine.c makes it,
# engine/js/runtime/60-request.js reads it), through `srcfn run`: json() and
# text() of JSON, form and empty bodies, which Content-Type makes a form, the
# method, and what user code cannot see.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh

cat > "$TMP/handler.js" <<'JS'
async function onRequest(request) {
  const keys = Object.keys(request), names = Object.getOwnPropertyNames(request);
  const lazy = !Object.prototype.hasOwnProperty.call(request, 'headers');
  const repeated = request.headers.get('x-a');
  const built = Object.getOwnPropertyDescriptor(request, 'headers').value === request.headers;
  let json;
  try { json = request.json(); } catch (e) { json = e.name; }
  console.log(JSON.stringify({
    json, same: json === (typeof json === 'object' ? request.json() : json), text: request.text(),
    method: request.method, keys, symbols: Object.getOwnPropertySymbols(request).length,
    names, lazy, built, repeated
  }));
}
JS

# req NAME HEADERS-JSON BODY [METHOD]: runs a request, sets $R to what the handler logged.
req() {
  jq -n --argjson h "$2" --arg b "$3" --arg m "${4:-POST}" '{method: $m, headers: $h, body: $b}' > "$TMP/req.json"
  run_json "$TMP/handler.js" --request "$TMP/req.json"
  R=$(printf '%s' "$OUT" | jq -r '.logs[0].message' 2>/dev/null)
}

req json '{"Content-Type":"application/json"}' '{"a":[1,2],"b":{"c":null}}'
expect_json "request: a JSON body" "$R" '.json == {"a":[1,2],"b":{"c":null}} and .same and .text == "{\"a\":[1,2],\"b\":{\"c\":null}}"'
expect_json "request: only method is an own key; the rest is hidden" "$R" '.keys == ["method"] and .names == ["method"] and .symbols == 0 and .method == "POST"'

req headers '{"X-A":["1","2"]}' '[1]'
expect_json "request: JSON without a Content-Type; repeated headers joined; headers built on first use" "$R" '.json == [1] and .repeated == "1, 2" and .lazy and .built'

req form '{"Content-Type":"application/x-www-form-urlencoded; charset=utf-8"}' 'name=Jane+Doe&tag=a&tag=b&empty=&pct=%E2%82%AC'
expect_json "request: a form body (with a charset)" "$R" '.json == {"name":"Jane Doe","tag":["a","b"],"empty":"","pct":"€"} and .text == "name=Jane+Doe&tag=a&tag=b&empty=&pct=%E2%82%AC"'

req form-spaced '{"content-type":" \tApplication/X-WWW-Form-Urlencoded\t "}' 'a=1'
expect_json "request: the form type in any case, with spaces around" "$R" '.json == {"a":"1"}'

req form-twice '{"Content-Type":["application/x-www-form-urlencoded","text/plain"]}' 'a=1'
expect_json "request: two Content-Types, the first a bare form type, is no form (as Headers joins them)" "$R" '.json == "SyntaxError"'

req form-twice-params '{"Content-Type":["application/x-www-form-urlencoded;charset=utf-8","text/plain"]}' 'a=1'
expect_json "request: two Content-Types, the first a form type with parameters, is a form" "$R" '.json == {"a":"1"}'

req form-lookalike '{"Content-Type":"application/x-www-form-urlencodedx"}' 'a=1'
expect_json "request: a type that only starts like the form type is no form" "$R" '.json == "SyntaxError"'

req empty '{}' '' GET
expect_json "request: an empty body is not JSON, its text is empty, the method is kept" "$R" '.json == "SyntaxError" and .text == "" and .method == "GET"'

req bytes '{"Content-Type":"application/json"}' '{"s":"caf\u00e9 😀"}'
expect_json "request: text() is the raw body, json() decodes it" "$R" '.json.s == "café 😀" and .text == "{\"s\":\"caf\\u00e9 😀\"}"'
