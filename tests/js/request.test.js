/*
 * Tests of engine/js/runtime/60-request.js (the `request` onRequest gets).
 * Plain ES5; throws on the first mismatch and prints nothing on success.
 *   sh tests/e2e/js.sh                     (through `srcfn run`: onRequest below
 *                                           checks the default request)
 *   { echo 'this.__native = {}; (function (global) {'; cat engine/js/runtime/*.js \
 *     tests/js/request.test.js; echo '})(this);'; } > /tmp/t.js && /tmp/dk/proto /tmp/t.js
 *     (the runtime's scope: makeRequest with many bodies; URLs need the engine)
 * Node has no such object; `node tests/js/request.test.js` checks nothing.
 */

function eq(actual, expected, what) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(what + ': got ' + JSON.stringify(actual) + ', expected ' + JSON.stringify(expected));
  }
}

function ok(cond, what) {
  if (!cond) throw new Error(what);
}

var PRIVATE = typeof makeRequest === 'function';
var HAS_URL = !PRIVATE || typeof native.urlParse === 'function';

/* What `srcfn run` sends when no request is given: an empty JSON POST to the placeholder URL. */
function checkDefaultRequest(request) {
  eq(request.method, 'POST', 'method');
  eq(request.json(), {}, 'json');
  eq(request.text(), '{}', 'text');
  ok(request.headers instanceof Headers, 'headers is a Headers');
  eq(request.headers.get('Content-Type'), 'application/json', 'content type');
  ok(request.headers === request.headers, 'headers is built once');
  if (HAS_URL) {
    ok(request.url instanceof URL, 'url is a URL');
    eq(request.url.href, 'https://fn.segmentapis.com/', 'url');
    eq(request.url.searchParams.get('x'), null, 'no query');
    ok(request.url === request.url, 'url is built once');
  }
}

function onRequest(request) {
  checkDefaultRequest(request);
}

if (PRIVATE) {
  (function defaultRequest() {
    checkDefaultRequest(makeRequest({ method: 'POST', url: 'https://fn.segmentapis.com/',
      headers: [['Content-Type', 'application/json']], body: '{}' }));
  })();

  (function bodies() {
    var r = makeRequest({ headers: [['content-type', 'application/json']], body: '{"a":[1,2],"b":{"c":null}}' });
    eq(r.json(), { a: [1, 2], b: { c: null } }, 'JSON body');
    ok(r.json() === r.json(), 'json() returns the same object each time');
    r.json().a.push(3);
    eq(r.json().a, [1, 2, 3], 'so changes to it stay');
    eq(r.text(), '{"a":[1,2],"b":{"c":null}}', 'text is the raw body');
    eq(r.method, 'POST', 'method defaults to POST');

    var f = makeRequest({ headers: [['Content-Type', 'application/x-www-form-urlencoded; charset=utf-8']],
      body: 'name=Jane+Doe&tag=a&tag=b&empty=&pct=%E2%82%AC' });
    eq(f.json(), { name: 'Jane Doe', tag: ['a', 'b'], empty: '', pct: '\u20ac' }, 'form body');
    eq(f.text(), 'name=Jane+Doe&tag=a&tag=b&empty=&pct=%E2%82%AC', 'form text');

    var o = makeRequest({ body: { already: 'parsed' } });
    eq(o.json(), { already: 'parsed' }, 'object body returned as is');
    eq(o.text(), '{"already":"parsed"}', 'object body text');

    var bad = makeRequest({ headers: [['Content-Type', 'application/json']], body: '{"a":' });
    var threw = null;
    try { bad.json(); } catch (e) { threw = e; }
    ok(threw instanceof SyntaxError, 'invalid JSON throws a SyntaxError: ' + threw);

    var empty = makeRequest({ method: 'GET', body: '' });
    threw = null;
    try { empty.json(); } catch (e) { threw = e; }
    ok(threw instanceof SyntaxError, 'an empty body is not JSON');
    eq(empty.text(), '', 'empty text');
    eq(empty.method, 'GET', 'method');
    eq(makeRequest({}).text(), '', 'no body');

    var noType = makeRequest({ headers: [], body: '[1]' });
    eq(noType.json(), [1], 'JSON without a Content-Type');
    var h = makeRequest({ headers: [['X-A', '1'], ['x-a', '2']] }).headers;
    eq(h.get('x-a'), '1, 2', 'repeated headers');
  })();

  (function lazy() {
    var r = makeRequest({ headers: [['a', 'b']], body: '{}' });
    ok(!Object.prototype.hasOwnProperty.call(r, 'headers'), 'headers not built before use');
    var h = r.headers;
    ok(Object.getOwnPropertyDescriptor(r, 'headers').value === h, 'then a data property');
    r.headers = 'replaced';
    eq(r.headers, 'replaced', 'assignable');
    eq(Object.keys(makeRequest({})), ['method'], 'own keys');
  })();

  (function speed() {
    var data = { method: 'POST', url: 'https://fn.segmentapis.com/', body: '{"userId":"u1","event":"Signed Up","properties":{"plan":"pro"}}',
      headers: [['content-type', 'application/json'], ['user-agent', 'hook/1.0'], ['x-request-id', 'abc']] };
    var start = Date.now(), i;
    for (i = 0; i < 10000; i++) makeRequest(data).json();
    var ms = Date.now() - start;
    /* About 5 µs each in a release build; generous for sanitiser builds. */
    ok(ms < 1500, '10,000 makeRequest().json() took ' + ms + ' ms');
  })();
}
