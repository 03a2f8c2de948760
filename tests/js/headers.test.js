/*
 * Tests of engine/js/runtime/50-headers.js (Headers as Node 20 / undici has
 * it). Plain ES5; throws on the first mismatch and prints nothing on success.
 * Run it both ways, from /work/main:
 *   node tests/js/headers.test.js          (the reference: must pass on Node)
 *   { echo 'this.__native = {}; (function (global) {'; cat engine/js/runtime/*.js \
 *     tests/js/headers.test.js; echo '})(this);'; } > /tmp/t.js && /tmp/dk/proto /tmp/t.js
 * Inside the runtime's scope the private headersFromData and inspect are
 * tested too; `srcfn run` (tests/e2e/js.sh) runs the public part.
 */

function show(x) {
  if (x === undefined) return 'undefined';
  if (typeof x === 'string') return JSON.stringify(x);
  if (x === null || typeof x !== 'object') return String(x);
  if (Array.isArray(x)) return '[' + x.map(show).join(',') + ']';
  return '{' + Object.keys(x).map(function (k) { return k + ':' + show(x[k]); }).join(',') + '}';
}

function eq(actual, expected, what) {
  if (show(actual) !== show(expected)) {
    throw new Error(what + ': got ' + show(actual) + ', expected ' + show(expected));
  }
}

function ok(cond, what) {
  if (!cond) throw new Error(what);
}

function throwsType(fn, message, what) {
  try {
    fn();
  } catch (e) {
    ok(e instanceof TypeError, what + ': threw ' + e + ', expected a TypeError');
    if (message !== undefined) eq(e.message, message, what + ' message');
    return;
  }
  throw new Error(what + ': did not throw');
}

function collect(it) {
  var out = [], step;
  while (!(step = it.next()).done) out.push(step.value);
  return out;
}

var PRIVATE = typeof headersFromData === 'function';
var NOT_CONVERTIBLE = 'Headers constructor: Argument 1 could not be converted to one of: ' +
  'sequence<sequence<ByteString>>, record<ByteString, ByteString>.';

(function construction() {
  var h = new Headers({ 'Content-Type': 'application/json', 'X-B': ' padded\t' });
  eq(h.get('content-type'), 'application/json', 'get is case-insensitive');
  eq(h.get('CONTENT-TYPE'), 'application/json', 'get upper case');
  eq(h.get('x-b'), 'padded', 'values are trimmed');
  eq(h.get('missing'), null, 'absent is null');
  eq(collect(new Headers([['b', '2'], ['a', '1'], ['A', '3']]).entries()), [['a', '1, 3'], ['b', '2']], 'pairs');
  eq(collect(new Headers(new Headers({ x: '1' })).entries()), [['x', '1']], 'from Headers');
  eq(collect(new Headers(new Map([['m', 'v']])).entries()), [['m', 'v']], 'from a Map');
  eq(collect(new Headers({ a: 1, b: null, c: undefined }).entries()), [['a', '1'], ['b', 'null'], ['c', 'undefined']], 'values are strings');
  eq(collect(new Headers().entries()), [], 'empty');
  eq(collect(new Headers(undefined).keys()), [], 'undefined init');
  throwsType(function () { return new Headers({ 'a b': '1' }); }, 'Headers.append: "a b" is an invalid header name.', 'bad name');
  throwsType(function () { return new Headers({ a: 'x\ny' }); }, 'Headers.append: "x\ny" is an invalid header value.', 'bad value');
  throwsType(function () { return new Headers([['a']]); }, 'Headers constructor: expected name/value pair to be length 2, found 1.', 'short pair');
  throwsType(function () { return new Headers('abc'); }, NOT_CONVERTIBLE, 'string init');
  throwsType(function () { return new Headers(5); }, NOT_CONVERTIBLE, 'number init');
  throwsType(function () { return new Headers(null); }, NOT_CONVERTIBLE, 'null init');
  throwsType(function () { return new Headers({ a: '\u0100' }); },
    'Cannot convert argument to a ByteString because the character at index 0 has a value of 256 which is greater than 255.', 'non-byte value');
  eq(new Headers({ a: '\u00e9' }).get('a'), '\u00e9', 'latin-1 value');
  throwsType(function () { return Headers(); }, undefined, 'call without new');
  eq(Headers.length, 0, 'length');
})();

(function methods() {
  var h = new Headers({ a: '1' });
  h.append('A', '2');
  h.set('b', 3);
  eq(collect(h[Symbol.iterator]()), [['a', '1, 2'], ['b', '3']], 'append and set');
  h.set('A', 'only');
  eq(h.get('a'), 'only', 'set replaces every value');
  ok(h.has('B') && !h.has('c'), 'has');
  h['delete']('B');
  ok(!h.has('b'), 'delete');
  h['delete']('never');
  eq(collect(h.keys()), ['a'], 'keys');
  eq(collect(h.values()), ['only'], 'values');
  throwsType(function () { h.get('a b'); }, 'Headers.get: "a b" is an invalid header name.', 'get bad name');
  throwsType(function () { h.has('a b'); }, 'Headers.has: "a b" is an invalid header name.', 'has bad name');
  throwsType(function () { h['delete']('a b'); }, 'Headers.delete: "a b" is an invalid header name.', 'delete bad name');
  throwsType(function () { h.append('x', 'a\rb'); }, undefined, 'append bad value');

  var c = new Headers([['set-cookie', 'a=1'], ['Set-Cookie', 'b=2'], ['B', '2']]);
  eq(collect(c.entries()), [['b', '2'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2']], 'set-cookie iterates apart');
  eq(c.get('set-cookie'), 'a=1, b=2', 'set-cookie get joins');
  eq(c.getSetCookie(), ['a=1', 'b=2'], 'getSetCookie');
  eq(new Headers().getSetCookie(), [], 'getSetCookie none');

  var seen = [], self = new Headers({ b: '1', a: '2' }), thisArg = { q: 1 };
  self.forEach(function (value, name, object) { seen.push([value, name, object === self, this === thisArg]); }, thisArg);
  eq(seen, [['2', 'a', true, true], ['1', 'b', true, true]], 'forEach');
  throwsType(function () { self.forEach(5); }, "Failed to execute 'forEach' on 'Headers': parameter 1 is not of type 'Function'.", 'forEach non-function');

  var it = self.entries();
  eq(Object.prototype.toString.call(it), '[object Headers Iterator]', 'iterator tag');
  ok(it[Symbol.iterator]() === it, 'iterator is iterable');
  self.append('c', '3');
  eq(collect(it), [['a', '2'], ['b', '1'], ['c', '3']], 'iterator sees later changes');
  eq(Object.prototype.toString.call(self), '[object Headers]', 'toStringTag');
  ok(Headers.prototype[Symbol.iterator] === Headers.prototype.entries, '@@iterator is entries');
  eq(JSON.stringify(self), '{}', 'JSON');
  eq(Object.keys(self), [], 'no own keys');
  eq(Object.keys(Headers.prototype), ['append', 'delete', 'get', 'has', 'set', 'getSetCookie', 'keys', 'values', 'entries', 'forEach'], 'prototype methods enumerable, as WebIDL makes them');
  ok(self instanceof Headers, 'instanceof');
})();

if (PRIVATE) {
  (function privateHelpers() {
    var h = headersFromData([['Content-Type', 'application/json'], ['X-Multi', 'a'], ['x-multi', 'b'], ['bad name', 'x']]);
    ok(h instanceof Headers, 'headersFromData gives a Headers');
    eq(h.get('content-type'), 'application/json', 'headersFromData get');
    eq(h.get('X-MULTI'), 'a, b', 'headersFromData joins');
    ok(!h.has('bad'), 'invalid names are dropped');
    eq(inspect(new Headers({ b: '2', a: '1', 'Set-Cookie': 'x' })), "Headers { b: '2', a: '1', 'Set-Cookie': 'x' }", 'inspect');
    eq(inspect(new Headers()), 'Headers {}', 'inspect empty');
    eq(inspect({ h: new Headers([['a', '1'], ['A', '2']]) }), "{ h: Headers { a: '1, 2' } }", 'inspect nested');
    var start = Date.now(), i, pairs = [['content-type', 'application/json'], ['user-agent', 'x'], ['accept', '*/*']];
    for (i = 0; i < 10000; i++) headersFromData(pairs).get('content-type');
    var ms = Date.now() - start;
    ok(ms < 1000, '10,000 headersFromData+get took ' + ms + ' ms');
  })();
}
