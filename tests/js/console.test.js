/*
 * Tests of engine/js/runtime/40-console.js (util.format / util.inspect as
 * Node 20 prints them, and console). Plain ES5; throws on the first mismatch
 * and prints nothing on success. Run it both ways, from /work/main:
 *   node tests/js/console.test.js          (the reference: must pass on Node)
 *   { echo 'this.__native = {}; (function (global) {'; cat engine/js/runtime/*.js \
 *     tests/js/console.test.js; echo '})(this);'; } > /tmp/t.js && /tmp/dk/proto /tmp/t.js
 * Inside the runtime's scope the private formatArgs/inspect and the run's log
 * lines are checked; under Node, util.format is (the expectations were taken
 * from Node 20); through `srcfn run` (tests/e2e/js.sh) only what is public is.
 */

var PRIVATE = typeof formatArgs === 'function';
var nodeUtil = null;
if (!PRIVATE) {
  try { nodeUtil = require('util'); } catch (e) { nodeUtil = null; }   /* srcfn's require throws */
}
var NODE = nodeUtil !== null;
var format = PRIVATE ? formatArgs :
  NODE ? function (args) { return nodeUtil.format.apply(null, args); } : null;

var caseNo = 0;
function c(expected, makeArgs) {
  caseNo++;
  if (!format) return;
  var actual = format(makeArgs());
  if (actual !== expected) {
    throw new Error('format case ' + caseNo + /* (dev: one mismatch per case) */
      '\n  got:      ' + JSON.stringify(actual) + '\n  expected: ' + JSON.stringify(expected));
  }
}

function eq(actual, expected, what) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(what + ': got ' + JSON.stringify(actual) + ', expected ' + JSON.stringify(expected));
  }
}

function ok(cond, what) {
  if (!cond) throw new Error(what);
}

/* ---- util.format, with expectations printed by Node 20 ----------------- */

c("hello", function () { return ['hello']; });
c("a b 1", function () { return ['a', 'b', 1]; });
c("1 a { b: 2 }", function () { return [1, 'a', { b: 2 }]; });
c("", function () { return []; });
c("x", function () { return ['%s', 'x']; });
c("42", function () { return ['%s', 42]; });
c("-0", function () { return ['%s', -0]; });
c("null extra", function () { return ['%s', null, 'extra']; });
c("undefined", function () { return ['%s', undefined]; });
c("[ 1, 2, [Array] ]", function () { return ['%s', [1, 2, [3, [4]]]]; });
c("{ a: [Object] }", function () { return ['%s', { a: { b: { c: 1 } } }]; });
c("TS", function () { return ['%s', { toString: function () { return 'TS'; } }]; });
c("1970-01-01T00:00:00.000Z", function () { return ['%s', new Date(0)]; });
c("Symbol(s)", function () { return ['%s', Symbol('s')]; });
c("a:%s", function () { return ['%s:%s', 'a']; });
c("a %s", function () { return ['%s %s', 'a']; });
c("42", function () { return ['%d', '42']; });
c("NaN", function () { return ['%d', {}]; });
c("16", function () { return ['%d', '0x10']; });
c("-0", function () { return ['%d', -0]; });
c("42", function () { return ['%i', '42.9px']; });
c("-7", function () { return ['%i', -7.9]; });
c("1500", function () { return ['%f', '1.5e3x']; });
c("NaN", function () { return ['%f', 'abc']; });
c("{\"a\":1,\"b\":[1,\"x\"]}", function () { return ['%j', { a: 1, b: [1, 'x'] }]; });
c("undefined", function () { return ['%j', undefined]; });
c("%%", function () { return ['%%']; });
c("% 1", function () { return ['%%', 1]; });
c("a% 1", function () { return ['a%', 1]; });
c("%x 1", function () { return ['%x', 1]; });
c("%s", function () { return ['%s']; });
c(" red", function () { return ['%c red', 'color:red']; });
c("{ a: [ 1, 2 ] }", function () { return ['%O', { a: [1, 2] }]; });
c("{ a: [ 1, 2, [length]: 2 ] }", function () { return ['%o', { a: [1, 2] }]; });
c("[ 1, 2, [length]: 2 ]", function () { return ['%o', [1, 2]]; });
c("Bob is 42 years extra { k: 1 }", function () { return ['%s is %d years', 'Bob', 42, 'extra', { k: 1 }]; });
c("{ a: 'x' } y", function () { return [{ a: 'x' }, 'y']; });
c("null undefined true false 0 -0 NaN Infinity -Infinity 1e+21 1.5e-7", function () { return [null, undefined, true, false, 0, -0, NaN, Infinity, -Infinity, 1e21, 1.5e-7]; });
c("[ null, undefined, NaN ]", function () { return [[null, undefined, NaN]]; });
c("a\nb [\n  'a\\nb',\n  \"it's\",\n  `x\"y'z`,\n  'back`tick\"\\'',\n  '\\x00\\x07\\x1B\\x7F\\x85 \\ud800'\n]", function () { return ['a\nb', ['a\nb', "it's", 'x"y\'z', 'back`tick"\'', '\x00\x07\x1b\x7f\u0085\u00a0\ud800']]; });
c("[ 'tab\\there', 'cr\\rlf\\n', 'bs\\\\', '\u2028' ]", function () { return [['tab\there', 'cr\rlf\n', 'bs\\', '\u2028']]; });
c("{\n  '1': 3,\n  'a-b': 1,\n  a_b: 2,\n  '$d': 4,\n  _u: 5,\n  '0a': 6,\n  'sp ace': 7,\n  'ünï': 8,\n  \"q'uote\": 9\n}", function () { return [{ 'a-b': 1, a_b: 2, 1: 3, $d: 4, _u: 5, '0a': 6, 'sp ace': 7, 'ünï': 8, "q'uote": 9 }]; });
c("[Object: null prototype] {}", function () { return [Object.create(null)]; });
c("[Object: null prototype] { a: 1 }", function () { return [(function () { var o = Object.create(null); o.a = 1; return o; })()]; });
c("{ a: { b: { c: [Object] } } }", function () { return [{ a: { b: { c: { d: {} } } } }]; });
c("{ a: { b: { c: {} } } }", function () { return [{ a: { b: { c: {} } } }]; });
c("{ a: { b: { c: [] } } }", function () { return [{ a: { b: { c: [] } } }]; });
c("[ [ [ [Array] ] ] ]", function () { return [[[[[1]]]]]; });
c("{ a: [ { b: [Object] } ] }", function () { return [{ a: [{ b: { c: {} } }] }]; });
c("[ 1, [ 2, [ 3, [Array] ] ] ]", function () { return [[1, [2, [3, [4]]]]]; });
c("{} [] [ [] ] [ {} ]", function () { return [{}, [], [[]], [{}]]; });
c("[\n   0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11,\n  12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,\n  24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35,\n  36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47,\n  48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59,\n  60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71,\n  72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83,\n  84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95,\n  96, 97, 98, 99,\n  ... 20 more items\n]", function () { return [(function () { var a = []; for (var i = 0; i < 120; i++) a.push(i); return a; })()]; });
c("[\n  'item0',  'item1',  'item2',\n  'item3',  'item4',  'item5',\n  'item6',  'item7',  'item8',\n  'item9',  'item10', 'item11',\n  'item12', 'item13', 'item14',\n  'item15', 'item16', 'item17',\n  'item18', 'item19', 'item20',\n  'item21', 'item22', 'item23',\n  'item24', 'item25', 'item26',\n  'item27', 'item28', 'item29'\n]", function () { return [(function () { var a = []; for (var i = 0; i < 30; i++) a.push('item' + i); return a; })()]; });
c("[\n      0,  1001,  2002,  3003,\n   4004,  5005,  6006,  7007,\n   8008,  9009, 10010, 11011,\n  12012, 13013, 14014, 15015,\n  16016, 17017, 18018, 19019,\n  20020, 21021, 22022, 23023,\n  24024, 25025\n]", function () { return [(function () { var a = []; for (var i = 0; i < 26; i++) a.push(i * 1001); return a; })()]; });
c("[\n  { id: 0 }, { id: 1 },\n  { id: 2 }, { id: 3 },\n  { id: 4 }, { id: 5 },\n  { id: 6 }, { id: 7 }\n]", function () { return [(function () { var a = []; for (var i = 0; i < 8; i++) a.push({ id: i }); return a; })()]; });
c("[\n  0,   'x', 2,   'x', 4,\n  'x', 6,   'x', 8,   'x'\n]", function () { return [(function () { var a = []; for (var i = 0; i < 10; i++) a.push(i % 2 ? 'x' : i); return a; })()]; });
c("[\n  1, 2, 3, 4,\n  5, 6, 7\n]", function () { return [[1, 2, 3, 4, 5, 6, 7]]; });
c("[\n  'a',     'bb',\n  'ccc',   'dddd',\n  'eeeee', 'ffffff',\n  'g',     'hh'\n]", function () { return [['a', 'bb', 'ccc', 'dddd', 'eeeee', 'ffffff', 'g', 'hh']]; });
c("{\n  aaaaaaaaaa: 1111111111,\n  bbbbbbbbbb: 2222222222,\n  cccccccccc: 3333333333,\n  dddddddddd: 4444444444,\n  eeeeeeeeee: 555555555555,\n  ffff: 1\n}", function () { return [{ aaaaaaaaaa: 1111111111, bbbbbbbbbb: 2222222222, cccccccccc: 3333333333, dddddddddd: 4444444444, eeeeeeeeee: 555555555555, ffff: 1 }]; });
c("{\n  aaaaaaaaaa: 1111111111,\n  bbbbbbbbbb: 2222222222,\n  cccccccccc: 3333333333,\n  dddddddddd: 4444444444,\n  eeeeeeeeee: 55555555\n}", function () { return [{ aaaaaaaaaa: 1111111111, bbbbbbbbbb: 2222222222, cccccccccc: 3333333333, dddddddddd: 4444444444, eeeeeeeeee: 55555555 }]; });
c("{\n  a: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'\n}", function () { return [{ a: new Array(201).join('x') }]; });
c("{\n  a: 'line one of many\\n' +\n    'line two of many\\n' +\n    'line one of many\\n' +\n    'line two of many\\n' +\n    'line one of many\\n' +\n    'line two of many\\n' +\n    'line one of many\\n' +\n    'line two of many\\n'\n}", function () { return [{ a: new Array(5).join('line one of many\nline two of many\n') }]; });
c("[\n  'xxxxxxxxxxxxxxxxxxxx\\n' +\n    'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy'\n]", function () { return [[new Array(21).join('x') + '\n' + new Array(121).join('y')]]; });
c("{\n  user: {\n    id: 'u1',\n    email: 'a@b.com',\n    traits: {\n      name: 'Jane Hopper',\n      plan: 'pro',\n      tags: [Array],\n      address: [Object]\n    }\n  },\n  event: 'Signed Up'\n}", function () { return [{ user: { id: 'u1', email: 'a@b.com', traits: { name: 'Jane Hopper', plan: 'pro', tags: ['a', 'b'], address: { city: 'Hawkins', zip: '46000' } } }, event: 'Signed Up' }]; });
c("{\n  userId: 'user_123',\n  event: 'Order Completed',\n  properties: {\n    orderId: 'o_1',\n    total: 99.99,\n    currency: 'USD',\n    products: [ [Object], [Object] ]\n  }\n}", function () { return [{ userId: 'user_123', event: 'Order Completed', properties: { orderId: 'o_1', total: 99.99, currency: 'USD', products: [{ sku: 'A', qty: 1 }, { sku: 'B', qty: 2 }] } }]; });
c("[ 1, <1 empty item>, 3, <2 empty items>, 6 ]", function () { return [[1, , 3, , , 6]]; });
c("[ <5 empty items> ]", function () { return [new Array(5)]; });
c("[ 1, 2, foo: 'bar' ]", function () { return [(function () { var a = [1, 2]; a.foo = 'bar'; return a; })()]; });
c("[Function: foo]", function () { return [function foo() {}]; });
c("[Function: bar] { x: 1 }", function () { return [(function () { var f = function bar() {}; f.x = 1; return f; })()]; });
c("{ a: [Getter], b: [Setter], c: [Getter/Setter] }", function () { return [{ get a() { return 1; }, set b(v) {}, get c() { return 1; }, set c(v) {} }]; });
c("[Number: 3] [String: 'ab'] [Boolean: false]", function () { return [new Number(3), new String('ab'), new Boolean(false)]; });
c("[Arguments] { '0': 1, '1': 2 }", function () { return [(function () { return arguments; })(1, 2)]; });
c("1970-01-01T00:00:00.000Z [ Invalid Date ] /re/g { d: 1970-01-02T00:00:00.000Z }", function () { return [new Date(0), [new Date(NaN)], /re/g, { d: new Date(86400000) }]; });
c("Uint8Array(3) [ 1, 2, 3 ]", function () { return [new Uint8Array([1, 2, 3])]; });
c("Uint8Array(0) []", function () { return [new Uint8Array(0)]; });
c("Map(2) { { a: 1 } => [ 1, 2 ], 'k' => Set(1) { 'x' } }", function () { return [new Map([[{ a: 1 }, [1, 2]], ['k', new Set(['x'])]])]; });
c("Map(0) {} Set(0) {} Map(1) { 'a' => 1 } Set(2) { 1, 2 }", function () { return [new Map(), new Set(), new Map([['a', 1]]), new Set([1, 2])]; });
c("{ m: Map(1) { 'a' => { b: [Object] } } }", function () { return [{ m: new Map([['a', { b: { c: 1 } }]]) }]; });
c("<ref *1> { name: 'x', self: [Circular *1], arr: [ [Circular *1] ] }", function () { return [(function () { var o = { name: 'x' }; o.self = o; o.arr = [o]; return o; })()]; });
c("[\n  <ref *1> { name: 'x', self: [Circular *1] },\n  <ref *1> { name: 'x', self: [Circular *1] }\n]", function () { return [(function () { var o = { name: 'x' }; o.self = o; return [o, o]; })()]; });
c("{\n  a: <ref *1> { n: 'a', b: { n: 'b', a: [Circular *1] } },\n  b: <ref *2> { n: 'b', a: <ref *1> { n: 'a', b: [Circular *2] } }\n}", function () { return [(function () { var a = { n: 'a' }, b = { n: 'b', a: a }; a.b = b; return { a: a, b: b }; })()]; });
c("Foo { x: 1 }", function () { return [(function () { function Foo() { this.x = 1; } return new Foo(); })()]; });
c("Foo {}", function () { return [(function () { function Foo() {} return new Foo(); })()]; });
c("[ Foo { a: { b: [Object] } } ]", function () { return [(function () { function Foo() { this.a = { b: { c: { d: 1 } } }; } return [new Foo()]; })()]; });
c("{ s: Symbol(q) }", function () { return [{ s: Symbol('q') }]; });
c("{ z: 2, [Symbol(k)]: 1 }", function () { return [(function () { var o = {}; o[Symbol('k')] = 1; o.z = 2; return o; })()]; });
c("{ __proto__x: 5, constructor: 1 }", function () { return [{ __proto__x: 5, constructor: 1 }]; });
c("boom", function () { return ['%s', new Error('boom').message]; });
c("{ nested: { list: [ 1, 2, [Object] ] } }", function () { return [{ nested: { list: [1, 2, { deep: { deeper: true } }] } }]; });
c("{ a: 1 } { b: 2 } [ 3 ]", function () { return [{ a: 1 }, { b: 2 }, [3]]; });
c("{ a: 'x' } %s y", function () { return [{ a: 'x' }, '%s', 'y']; });
c("5 %s y", function () { return [5, '%s', 'y']; });
c("{\n  long: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',\n  long2: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'\n}", function () { return [{ long: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', long2: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' }]; });
c("[ { a: 1, b: 2 }, { a: 3, b: 4 } ]", function () { return [[{ a: 1, b: 2 }, { a: 3, b: 4 }]]; });
c("{ a: [], b: {}, c: '', d: 0 }", function () { return [{ a: [], b: {}, c: '', d: 0 }]; });
c("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", function () { return [new Array(102).join('a')]; });
c("ababababababababababababababababababababababababababababab", function () { return ['%s', new Array(30).join('ab')]; });
c("[ [], {}, [ [] ], [ {} ], { a: [] } ]", function () { return [[[], {}, [[]], [{}], { a: [] }]]; });
c("{ x: undefined, y: null }", function () { return [{ 'x': undefined, y: null }]; });
c("[\n  [ 0 ], [ 1 ],\n  [ 2 ], [ 3 ],\n  [ 4 ], [ 5 ],\n  [ 6 ]\n]", function () { return [(function () { var a = []; for (var i = 0; i < 7; i++) a.push([i]); return a; })()]; });
c("{\n  k0: 0,\n  k1: 1,\n  k2: 2,\n  k3: 3,\n  k4: 4,\n  k5: 5,\n  k6: 6,\n  k7: 7,\n  k8: 8,\n  k9: 9,\n  k10: 10,\n  k11: 11,\n  k12: 12,\n  k13: 13,\n  k14: 14,\n  k15: 15,\n  k16: 16,\n  k17: 17,\n  k18: 18,\n  k19: 19,\n  k20: 20,\n  k21: 21,\n  k22: 22,\n  k23: 23,\n  k24: 24,\n  k25: 25,\n  k26: 26,\n  k27: 27,\n  k28: 28,\n  k29: 29\n}", function () { return [(function () { var o = {}; for (var i = 0; i < 30; i++) o['k' + i] = i; return o; })()]; });

/* errors (stacks set by hand: frames differ between engines), custom inspection, tags */

c("[Error: m]", function () { return [(function () { var e = new Error('m'); e.stack = 'Error: m'; return e; })()]; });
c("{ e: [Error: m] }", function () { return [{ e: (function () { var e = new Error('m'); e.stack = 'Error: m'; return e; })() }]; });
c("Error: m\n    at foo (x.js:1) {\n  code: 'E1'\n}", function () { return [(function () { var e = new Error('m'); e.code = 'E1'; e.stack = 'Error: m\n    at foo (x.js:1)'; return e; })()]; });
c("[\n  Error: m\n      at foo (x.js:1) {\n    code: 'E1'\n  }\n]", function () { return [[(function () { var e = new Error('m'); e.code = 'E1'; e.stack = 'Error: m\n    at foo (x.js:1)'; return e; })()]]; });
c("TypeError: bad thing\n    at a (x.js:1)\n    at b (x.js:2)", function () { return [(function () { var e = new TypeError('bad thing'); e.stack = 'TypeError: bad thing\n    at a (x.js:1)\n    at b (x.js:2)'; return e; })()]; });
c("failed: Error: m\n    at foo (x.js:1)", function () { return ['failed:', (function () { var e = new Error('m'); e.stack = 'Error: m\n    at foo (x.js:1)'; return e; })()]; });
c("Error [CustomError]: m\n    at foo (x.js:1)", function () { return [(function () { var e = new Error('m'); e.name = 'CustomError'; e.stack = 'CustomError: m\n    at foo (x.js:1)'; return e; })()]; });
c("Custom: m\n    at foo (x.js:1)", function () { return [(function () { var e = new Error('m'); e.name = 'Custom'; e.stack = 'Custom: m\n    at foo (x.js:1)'; return e; })()]; });
c("Foo [Error]: x\n    at z (x.js:9)", function () { return [(function () { function Foo(m) { this.message = m; } Foo.prototype = Object.create(Error.prototype); Foo.prototype.constructor = Foo; var e = new Foo('x'); Object.defineProperty(e, 'stack', { value: 'Error: x\n    at z (x.js:9)' }); return e; })()]; });
c("Error\n    at foo (x.js:1)", function () { return [(function () { var e = new Error(''); e.stack = 'Error\n    at foo (x.js:1)'; return e; })()]; });
c("Error: with\nnewline\n    at foo (x.js:1)", function () { return [(function () { var e = new Error('with\nnewline'); e.stack = 'Error: with\nnewline\n    at foo (x.js:1)'; return e; })()]; });
c("CUSTOM", function () { return [(function () { var o = { a: 1 }; o[Symbol.for('nodejs.util.inspect.custom')] = function () { return 'CUSTOM'; }; return o; })()]; });
c("{\n  x: C1\n  C2\n}", function () { return [{ x: (function () { var o = { a: 1 }; o[Symbol.for('nodejs.util.inspect.custom')] = function () { return 'C1\nC2'; }; return o; })() }]; });
c("{ replaced: true }", function () { return [(function () { var o = { a: 1 }; o[Symbol.for('nodejs.util.inspect.custom')] = function () { return { replaced: true }; }; return o; })()]; });
c("{ l1: { l2: depth=0 function } }", function () { return [(function () { var o = { a: 1 }; o[Symbol.for('nodejs.util.inspect.custom')] = function (depth, opts) { return 'depth=' + depth + ' ' + typeof opts.stylize; }; return { l1: { l2: o } }; })()]; });
c("T [Tagged] {}", function () { return [(function () { function T() {} T.prototype[Symbol.toStringTag] = 'Tagged'; return new T(); })()]; });
c("{ a: 1 }", function () { return [(function () { var o = { a: 1 }; Object.defineProperty(o, 'hidden', { value: 2, enumerable: false }); return o; })()]; });
c("{ a: 1, [hidden]: 2 }", function () { return ['%o', (function () { var o = { a: 1 }; Object.defineProperty(o, 'hidden', { value: 2, enumerable: false }); return o; })()]; });
c("x", function () { return ['%s', new Error('x').message]; });
c("{\n  a: {\n    b: Error: m\n        at foo (x.js:1)\n  }\n}", function () { return [(function () { var e = new Error('m'); e.stack = 'Error: m\n    at foo (x.js:1)'; return { a: { b: e } }; })()]; });
c("{ n: -0, big: 123456789012345680000, small: 0.000001, tiny: 1e-7 }", function () { return [{ n: -0, big: 123456789012345680000, small: 0.000001, tiny: 1e-7 }]; });
c("[ undefined, <1 empty item>, null ]", function () { return [[undefined, , null]]; });

/* ---- values only the runtime has, or whose Node output is fixed ---------- */

if (PRIVATE || NODE) {
  c('Promise { 4 }', function () { return [Promise.resolve(4)]; });
  c('Promise { <pending> }', function () { return [new Promise(function () {})]; });
  c("{ p: Promise { { a: 'x' } } }", function () { return [{ p: Promise.resolve({ a: 'x' }) }]; });
  c("Map(1) { 'a' => [ 1, 2 ] } Set(3) { 'x', 2, {} }", function () {
    return [new Map([['a', [1, 2]]]), new Set(['x', 2, {}])];
  });
  c('WeakMap { <items unknown> }', function () { return [new WeakMap()]; });
}

if (PRIVATE) {
  (function errorsOfTheRuntime() {
    var e = new ValidationError('userId is required but not defined');
    var text = inspect(e);
    ok(text.indexOf('ValidationError: userId is required but not defined\n    at ') === 0, 'ValidationError inspected: ' + text);
    ok(text.indexOf('{') < 0, 'own name is not repeated: ' + text);
    var t = inspect({ err: new TypeError('x') });
    ok(t.indexOf('{\n  err: TypeError: x\n      at ') === 0, 'nested error indented: ' + t);
    eq(inspect('str'), "'str'", 'inspect of a string quotes it');
    eq(inspect({ a: { b: { c: { d: 1 } } } }, { depth: 0 }), '{ a: [Object] }', 'depth option');
    eq(inspect({ a: { b: { c: { d: 1 } } } }, { depth: Infinity }), '{\n  a: { b: { c: { d: 1 } } }\n}', 'infinite depth');
  })();

  (function consoleLines() {
    var saved = run;
    run = { events: [], objects: [], logs: [] };
    try {
      console.log('a', 1, { b: [2] });
      console.info('%s=%d', 'n', 5);
      console.warn('w');
      console.error(new Error('boom').message);
      console.debug('d');
      console.trace('t');
      console.log();
      console.assert(1 === 1, 'not shown');
      console.assert(false, 'shown %s', 'here');
      console.count(); console.count(); console.count('x');
      console.group('G'); console.log('inside\nsecond'); console.groupEnd(); console.log('outside');
      console.dir({ a: 1 });
      var logs = run.logs;
      eq(logs[0], { level: 'log', message: 'a 1 { b: [ 2 ] }' }, 'log');
      eq(logs[1], { level: 'info', message: 'n=5' }, 'info');
      eq(logs[2], { level: 'warn', message: 'w' }, 'warn');
      eq(logs[3], { level: 'error', message: 'boom' }, 'error');
      eq(logs[4], { level: 'debug', message: 'd' }, 'debug');
      eq(logs[5].level, 'debug', 'trace level');
      ok(logs[5].message.indexOf('Trace: t\n    at ') === 0, 'trace message: ' + logs[5].message);
      eq(logs[6], { level: 'log', message: '' }, 'empty log');
      eq(logs[7], { level: 'warn', message: 'Assertion failed: shown here' }, 'assert');
      eq([logs[8].message, logs[9].message, logs[10].message], ['default: 1', 'default: 2', 'x: 1'], 'count');
      eq([logs[11].message, logs[12].message, logs[13].message], ['G', '  inside\n  second', 'outside'], 'group');
      eq(logs[14], { level: 'log', message: '{ a: 1 }' }, 'dir');
      eq(logs.length, 15, 'number of lines');
    } finally {
      run = saved;
    }
  })();

  (function speed() {
    var saved = run, i, start, ms;
    run = { events: [], objects: [], logs: [] };
    var body = { userId: 'u1', event: 'Order Completed', properties: { total: 10, items: [{ sku: 'a' }, { sku: 'b' }] } };
    start = Date.now();
    for (i = 0; i < 1000; i++) console.log('got', body);
    ms = Date.now() - start;
    run = saved;
    /* About 30 ms in a release build; generous for sanitiser builds. */
    ok(ms < 1500, '1000 console.log of an object took ' + ms + ' ms');
  })();
}
