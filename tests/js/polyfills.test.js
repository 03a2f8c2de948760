/*
 * Tests of engine/js/runtime/10-polyfills.js. Plain ES5; throws on the first
 * mismatch and prints nothing on success. Run it both ways, from /work/main:
 *   node tests/js/polyfills.test.js        (the reference: must pass on Node)
 *   { echo 'this.__native = {}; (function (global) {'; cat engine/js/runtime/*.js \
 *     tests/js/polyfills.test.js; echo '})(this);'; } > /tmp/t.js && /tmp/dk/proto /tmp/t.js
 * Inside the runtime's scope the private helpers (makeIterator, getIterator,
 * iterableToArray) are tested too; under Node those checks are skipped.
 */

/* ---- checking ---------------------------------------------------------- */

function show(x) {
  if (x === undefined) return 'undefined';
  if (typeof x === 'number') return x === 0 && 1 / x < 0 ? '-0' : String(x);
  if (typeof x === 'string') return JSON.stringify(x);
  if (typeof x === 'symbol') return String(x);
  if (typeof x === 'function') return 'function ' + x.name;
  if (x === null || typeof x !== 'object') return String(x);
  if (Array.isArray(x) || ArrayBuffer.isView(x)) {
    var items = [];
    for (var i = 0; i < x.length; i++) items.push(i in x ? show(x[i]) : '<hole>');
    return '[' + items.join(',') + ']';
  }
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

function throwsType(fn, Type, message, what) {
  try {
    fn();
  } catch (e) {
    ok(e instanceof Type, what + ': threw ' + e + ', expected a ' + Type.name);
    if (message !== undefined) eq(e.message, message, what + ' message');
    return;
  }
  throw new Error(what + ': did not throw');
}

/* Values iterated from x through the protocol, as for-of does. */
function collect(x) {
  var it = x[Symbol.iterator](), out = [], step;
  while (!(step = it.next()).done) out.push(step.value);
  return out;
}

function tag(x) {
  return Object.prototype.toString.call(x);
}

var PRIVATE = typeof makeIterator === 'function';
var NOT_ITERABLE = ' is not iterable (cannot read property Symbol(Symbol.iterator))';

/* ---- iteration protocol ------------------------------------------------- */

(function iteration() {
  ok(Array.prototype[Symbol.iterator] === Array.prototype.values, 'Array iterator is values');
  var it = [1, 2][Symbol.iterator]();
  ok(it[Symbol.iterator]() === it, 'array iterator is iterable');
  eq(tag(it), '[object Array Iterator]', 'array iterator tag');
  eq(it.next(), { value: 1, done: false }, 'first');
  eq(it.next(), { value: 2, done: false }, 'second');
  eq(it.next(), { value: undefined, done: true }, 'end');
  eq(Object.keys(it), [], 'iterator has no enumerable props');
  eq(collect(['a', 'b'].keys()), [0, 1], 'keys');
  eq(collect(['a', 'b'].entries()), [[0, 'a'], [1, 'b']], 'entries');

  var grow = [1];
  var g = grow.values();
  g.next();
  grow.push(2);
  eq(g.next().value, 2, 'array iterator sees growth');
  eq(g.next().done, true, 'then ends');
  grow.push(3);
  eq(g.next().done, true, 'and stays ended');

  eq(collect('a\uD83D\uDE00b'), ['a', '\uD83D\uDE00', 'b'], 'string by code point');
  eq(collect('\uD83Dx'), ['\uD83D', 'x'], 'lone surrogate');
  eq(tag(''[Symbol.iterator]()), '[object String Iterator]', 'string iterator tag');
  eq(collect(new Uint8Array([1, 2, 3])), [1, 2, 3], 'typed array');
  eq(collect(new Float64Array([0.5]).entries()), [[0, 0.5]], 'typed array entries');
  eq((function () { return Array.from(arguments); })(1, 2), [1, 2], 'Array.from(arguments)');
  eq(typeof Symbol.asyncIterator, 'symbol', 'Symbol.asyncIterator');
  eq(Symbol('desc').description, 'desc', 'Symbol description');

  if (!PRIVATE) return;
  var n = 0;
  var counter = makeIterator(function () { return n < 2 ? { value: n++, done: false } : { done: true }; });
  ok(counter[Symbol.iterator]() === counter, 'makeIterator result is iterable');
  eq(iterableToArray(counter), [0, 1], 'iterableToArray of an iterator');
  eq(iterableToArray([1, 2]), [1, 2], 'iterableToArray array');
  eq(iterableToArray([5]), [5], 'iterableToArray one number');
  eq(iterableToArray([]), [], 'iterableToArray empty');
  eq(iterableToArray([, 1]), [undefined, 1], 'iterableToArray fills holes');
  eq(iterableToArray(new Array(70000)).length, 70000, 'iterableToArray big array');
  var src = [1];
  ok(iterableToArray(src) !== src, 'iterableToArray copies');
  eq(iterableToArray('x\uD83D\uDE00'), ['x', '\uD83D\uDE00'], 'iterableToArray string');
  eq(iterableToArray(new Set([3, 4])), [3, 4], 'iterableToArray Set');
  eq((function () { return iterableToArray(arguments); })(5, 6), [5, 6], 'iterableToArray arguments');
  eq(getIterator((function () { return arguments; })(7)).next().value, 7, 'getIterator arguments');
  throwsType(function () { getIterator(null); }, TypeError, 'object null' + NOT_ITERABLE, 'getIterator null');
  throwsType(function () { getIterator(undefined); }, TypeError, 'undefined' + NOT_ITERABLE, 'getIterator undefined');
  throwsType(function () { getIterator(5); }, TypeError, 'number 5' + NOT_ITERABLE, 'getIterator 5');
  throwsType(function () { iterableToArray({}); }, TypeError, 'object' + NOT_ITERABLE, 'iterableToArray {}');
})();

/* ---- Map ------------------------------------------------------------------ */

(function map() {
  var m = new Map();
  eq(tag(m), '[object Map]', 'Map tag');
  ok(m instanceof Map, 'instanceof Map');
  ok(Map.prototype[Symbol.iterator] === Map.prototype.entries, 'Map iterator is entries');
  eq(m.size, 0, 'empty size');
  ok(m.set('a', 1) === m, 'set returns the map');
  m.set('b', 2).set('a', 3);
  eq(collect(m), [['a', 3], ['b', 2]], 'overwrite keeps position');
  eq(m.size, 2, 'size');

  var keys = [1, '1', NaN, -0, true, 'true', null, 'null', undefined, 'undefined', '__proto__', 'hasOwnProperty'];
  var typed = new Map();
  keys.forEach(function (k, i) { typed.set(k, i); });
  eq(typed.size, keys.length, 'distinct typed keys');
  keys.forEach(function (k, i) { eq(typed.get(k), i, 'get ' + show(k)); });
  eq(typed.get(0), 3, '+0 finds -0');
  eq(show(collect(typed.keys())[3]), '0', '-0 stored as +0');
  eq(typed.get(0 / 0), 2, 'NaN finds NaN');
  ok(!typed.has('x') && typed.get('x') === undefined, 'missing key');
  eq(typed.get({}), undefined, 'unknown object');

  var o1 = {}, o2 = {}, fn = function () {}, sym = Symbol('s'), sym2 = Symbol('s');
  var frozen = Object.freeze({ f: 1 });
  var om = new Map([[o1, 'o1'], [o2, 'o2'], [fn, 'fn'], [sym, 'sym'], [sym2, 'sym2'], [frozen, 'frozen']]);
  eq([om.get(o1), om.get(o2), om.get(fn), om.get(sym), om.get(sym2), om.get(frozen)],
    ['o1', 'o2', 'fn', 'sym', 'sym2', 'frozen'], 'object, symbol and frozen keys');
  ok(om['delete'](sym) && !om.has(sym) && om.get(sym2) === 'sym2', 'delete symbol');
  ok(om['delete'](frozen) && !om.has(frozen), 'delete frozen');
  eq(Object.keys(o1), [], 'key object gets no enumerable property');
  eq(JSON.stringify(o1), '{}', 'key object JSON');
  eq(Object.getOwnPropertyNames(o1), [], 'key object names');
  var props = [];
  for (var p in o1) props.push(p);
  eq(props, [], 'key object for-in');
  Object.freeze(o1);
  eq(om.get(o1), 'o1', 'frozen after set');

  var child = Object.create(o2);
  eq(om.get(child), undefined, 'child of a key is not the key');
  om.set(child, 'child');
  eq([om.get(o2), om.get(child)], ['o2', 'child'], 'child gets its own id');

  var proxy = new Proxy({}, {}), sealed = Object.seal({}), arr = Object.preventExtensions([]);
  var exotic = [proxy, sealed, arr, new Uint8Array(1), /re/, new Date(0), new String('s')];
  if (typeof Duktape === 'object') exotic.push(Duktape.dec('hex', '00ff')); /* a plain buffer */
  var em = new Map(), ewm = new WeakMap();
  exotic.forEach(function (k, i) { em.set(k, i); ewm.set(k, i); });
  exotic.forEach(function (k, i) { eq([em.get(k), ewm.get(k), em.has(k)], [i, i, true], 'exotic key ' + i); });
  eq(em.size, exotic.length, 'exotic keys are distinct');
  exotic.forEach(function (k, i) { ok(em['delete'](k) && ewm['delete'](k), 'delete exotic key ' + i); });
  eq([em.size, ewm.has(proxy)], [0, false], 'exotic keys deleted');

  eq(JSON.stringify(m), '{}', 'Map JSON');
  eq(Object.keys(m), [], 'Map own keys');
  eq(collect(new Map(m)), [['a', 3], ['b', 2]], 'new Map(map)');
  eq(collect(new Map(null)), [], 'new Map(null)');
  eq(collect(m.keys()), ['a', 'b'], 'keys');
  eq(collect(m.values()), [3, 2], 'values');
  eq(tag(m.keys()), '[object Map Iterator]', 'Map iterator tag');
  var itself = m.entries();
  ok(itself[Symbol.iterator]() === itself, 'Map iterator is iterable');

  var seen = [];
  var thisArg = {};
  m.forEach(function (v, k, map) { seen.push([k, v, map === m, this === thisArg]); }, thisArg);
  eq(seen, [['a', 3, true, true], ['b', 2, true, true]], 'forEach');

  ok(m['delete']('a') && !m['delete']('a'), 'delete returns');
  eq(m.size, 1, 'size after delete');
  m.clear();
  eq([m.size, m.has('b')], [0, false], 'clear');

  throwsType(function () { Map(); }, TypeError, "Constructor Map requires 'new'", 'Map()');
  throwsType(function () { new Map([1]); }, TypeError, 'Iterator value 1 is not an entry object', 'non-entry');
  throwsType(function () { new Map(5); }, TypeError, 'number 5' + NOT_ITERABLE, 'new Map(5)');
  throwsType(function () { Map.prototype.get.call({}, 1); }, TypeError,
    'Method Map.prototype.get called on incompatible receiver #<Object>', 'receiver');
  throwsType(function () { Map.prototype.get.call(new Set(), 1); }, TypeError, undefined, 'Set as Map');
  throwsType(function () { m.forEach(5); }, TypeError, undefined, 'forEach non-function');
})();

(function mapIterationUnderMutation() {
  var m = new Map([[1, 1], [2, 2], [3, 3]]);
  var order = [];
  m.forEach(function (v, k) {
    order.push(k);
    if (k === 1) { m['delete'](2); m.set(4, 4); }
  });
  eq(order, [1, 3, 4], 'forEach skips deleted, sees added');

  var it = m.keys();
  eq(it.next().value, 1, 'before clear');
  m.clear();
  m.set(9, 9);
  eq(collect(it), [9], 'iterator after clear sees new entries');

  var big = new Map();
  for (var i = 0; i < 200; i++) big.set(i, i);
  var bit = big.keys();
  for (i = 0; i < 10; i++) bit.next();
  for (i = 0; i < 150; i++) big['delete'](i);   /* forces compactions */
  big.set('late', 1);
  var rest = collect(bit);
  eq(rest.length, 51, 'iterator survives compaction');
  eq([rest[0], rest[49], rest[50]], [150, 199, 'late'], 'compaction keeps order');
  eq(big.size, 51, 'size after compaction');
  for (i = 150; i < 200; i++) eq(big.get(i), i, 'get after compaction ' + i);

  var s = new Set([1, 2, 3]);
  var sit = s.values();
  sit.next();
  s['delete'](2);
  eq(collect(sit), [3], 'Set iterator skips deleted');
  var done = new Set([1]).values();
  collect(done);
  eq(done.next().done, true, 'ended stays ended');
})();

/* ---- Set, WeakMap, WeakSet ------------------------------------------------- */

(function set() {
  var s = new Set('abca');
  eq(tag(s), '[object Set]', 'Set tag');
  eq(collect(s), ['a', 'b', 'c'], 'Set from string, deduplicated');
  ok(Set.prototype.keys === Set.prototype.values, 'keys is values');
  ok(Set.prototype[Symbol.iterator] === Set.prototype.values, 'Set iterator is values');
  ok(s.add('d') === s, 'add returns the set');
  eq(collect(s.entries()), [['a', 'a'], ['b', 'b'], ['c', 'c'], ['d', 'd']], 'entries');
  var nan = new Set([NaN, NaN, 0, -0]);
  eq(nan.size, 2, 'NaN and zeros deduplicated');
  eq(show(collect(nan)[1]), '0', '-0 added as +0');
  var seen = [];
  s.forEach(function (v, k, set) { seen.push(v + k + (set === s)); });
  eq(seen, ['aatrue', 'bbtrue', 'cctrue', 'ddtrue'], 'forEach');
  ok(s['delete']('a') && !s.has('a') && s.size === 3, 'delete');
  throwsType(function () { Set(); }, TypeError, "Constructor Set requires 'new'", 'Set()');
  throwsType(function () { Set.prototype.add.call(new Map(), 1); }, TypeError,
    'Method Set.prototype.add called on incompatible receiver #<Map>', 'Map as Set');
  eq(Array.from(new Set([1, 2])), [1, 2], 'Array.from(Set)');
  eq(Array.from(new Map([[1, 2]])), [[1, 2]], 'Array.from(Map)');
})();

(function weak() {
  var wm = new WeakMap();
  var k = {}, frozen = Object.freeze({});
  eq(tag(wm), '[object WeakMap]', 'WeakMap tag');
  ok(wm.set(k, 1) === wm, 'set returns the map');
  wm.set(frozen, 2);
  eq([wm.get(k), wm.get(frozen), wm.has(k), wm.has({}), wm.get(1)], [1, 2, true, false, undefined], 'get/has');
  eq(Object.keys(k), [], 'key gets no enumerable property');
  eq(Object.getOwnPropertyNames(k), [], 'key gets no named property');
  Object.freeze(k);
  wm.set(k, 3);
  eq(wm.get(k), 3, 'set after freezing the key');
  ok(wm['delete'](k) && !wm.has(k) && !wm['delete'](k), 'delete');
  ok(wm['delete'](frozen) && !wm.has(frozen), 'delete frozen');
  var other = new WeakMap([[k, 'other']]);
  eq([wm.get(k), other.get(k)], [undefined, 'other'], 'maps are separate');
  throwsType(function () { wm.set(1, 1); }, TypeError, 'Invalid value used as weak map key', 'primitive key');
  var ws = new WeakSet([k]);
  eq(tag(ws), '[object WeakSet]', 'WeakSet tag');
  ok(ws.has(k) && !ws.has({}) && ws['delete'](k) && !ws.has(k), 'WeakSet');
  throwsType(function () { ws.add(1); }, TypeError, 'Invalid value used in weak set', 'WeakSet primitive');
})();

/* ---- Object ------------------------------------------------------------------ */

(function object() {
  var o = { a: 1, b: [2] };
  eq(Object.entries(o), [['a', 1], ['b', [2]]], 'entries');
  eq(Object.values(o), [1, [2]], 'values');
  eq([Object.hasOwn(o, 'a'), Object.hasOwn(o, 'toString'), Object.hasOwn('ab', 1)], [true, false, true], 'hasOwn');
  eq(Object.entries('ab'), [['0', 'a'], ['1', 'b']], 'entries of a string');
  throwsType(function () { Object.entries(null); }, TypeError, 'Cannot convert undefined or null to object', 'entries(null)');
  eq(Object.fromEntries([['a', 1], ['b', 2]]), { a: 1, b: 2 }, 'fromEntries');
  eq(Object.fromEntries(new Map([['x', 1]])), { x: 1 }, 'fromEntries(Map)');
  var proto = Object.fromEntries([['__proto__', 5]]);
  ok(Object.getPrototypeOf(proto) === Object.prototype, '__proto__ entry leaves the prototype');
  ok(Object.prototype.hasOwnProperty.call(proto, '__proto__'), '__proto__ entry is an own property');
  throwsType(function () { Object.fromEntries([1]); }, TypeError, 'Iterator value 1 is not an entry object', 'fromEntries non-entry');
  var d = Object.getOwnPropertyDescriptors({ get g() { return 1; }, v: 2 });
  eq([typeof d.g.get, d.v.value, d.v.writable, d.v.enumerable], ['function', 2, true, true], 'descriptors');
})();

/* ---- Array --------------------------------------------------------------------- */

(function array() {
  eq(Array.from('a\uD83D\uDE00'), ['a', '\uD83D\uDE00'], 'from string');
  eq(Array.from({ length: 2, 0: 'x' }), ['x', undefined], 'from array-like');
  eq(Array.from([1, 2], function (v, i) { return v * 10 + i + this.k; }, { k: 100 }), [110, 121], 'from with map');
  eq(Array.from(5), [], 'from number');
  throwsType(function () { Array.from(null); }, TypeError, 'object null' + NOT_ITERABLE, 'from(null)');
  throwsType(function () { Array.from([], 5); }, TypeError, undefined, 'from non-function mapper');
  eq(Array.from(new Array(3)).map(function (x, i) { return i; }), [0, 1, 2], 'from a sparse array fills it');
  eq(Array.of(7), [7], 'of');
  eq(Array.of(1, 2, 3), [1, 2, 3], 'of many');

  eq([1, NaN, 3].includes(NaN), true, 'includes NaN');
  eq([1, 2, 3].includes(1, 1), false, 'includes fromIndex');
  eq([1, 2, 3].includes(3, -1), true, 'includes negative fromIndex');
  eq([, 1].includes(undefined), true, 'includes hole');
  eq([-0].includes(0), true, 'includes zero');

  var xs = [5, 12, 8, 130, 44];
  eq(xs.find(function (x) { return x > 10; }), 12, 'find');
  eq(xs.findIndex(function (x) { return x > 10; }), 1, 'findIndex');
  eq(xs.findLast(function (x) { return x > 10; }), 44, 'findLast');
  eq(xs.findLastIndex(function (x) { return x > 1000; }), -1, 'findLastIndex none');
  eq(xs.find(function (x) { return x > 1000; }), undefined, 'find none');
  throwsType(function () { [].find(5); }, TypeError, '5 is not a function', 'find non-function');

  eq([1, 2, 3, 4].fill(0, 1, -1), [1, 0, 0, 4], 'fill range');
  eq(new Array(3).fill('x'), ['x', 'x', 'x'], 'fill all');
  eq([1, [2, [3, [4]]], , 5].flat(), [1, 2, [3, [4]], 5], 'flat skips holes');
  eq([1, [2, [3, [4]]]].flat(Infinity), [1, 2, 3, 4], 'flat Infinity');
  eq([1, [2]].flat(0), [1, [2]], 'flat 0');
  eq([1, 2].flatMap(function (x) { return [x, [x * 2]]; }), [1, [2], 2, [4]], 'flatMap one level');
  throwsType(function () { [].flatMap(5); }, TypeError, 'flatMap mapper function is not callable', 'flatMap');
  eq([1, 2, 3].at(-1), 3, 'at -1');
  eq([1, 2, 3].at(5), undefined, 'at out of range');
  eq([1, 2, 3].at(1.7), 2, 'at truncates');
  eq([1, 2, 3, 4, 5].copyWithin(0, 3), [4, 5, 3, 4, 5], 'copyWithin');
  eq([1, 2, 3, 4, 5].copyWithin(1, 0, 3), [1, 1, 2, 3, 5], 'copyWithin overlap');
  eq([1, 2, 3, 4, 5].copyWithin(-2, -3, -1), [1, 2, 3, 3, 4], 'copyWithin negative');
  eq(Array.prototype.includes.call({ length: 1, 0: 'a' }, 'a'), true, 'generic includes');
  var original = [3, 1, 2];
  eq([original.toSorted(), original.toReversed(), original.toSpliced(1, 1, 'x', 'y'), original['with'](-1, 9)],
    [[1, 2, 3], [2, 1, 3], [3, 'x', 'y', 2], [3, 1, 9]], 'copying variants');
  eq(original, [3, 1, 2], 'original untouched');
  throwsType(function () { original['with'](3, 0); }, RangeError, 'Invalid index : 3', 'with out of range');
})();

(function sort() {
  var people = [];
  for (var i = 0; i < 40; i++) people.push({ age: i % 3, id: i });
  people.sort(function (a, b) { return a.age - b.age; });
  for (i = 1; i < people.length; i++) {
    var a = people[i - 1], b = people[i];
    ok(a.age < b.age || (a.age === b.age && a.id < b.id), 'sort is stable at ' + i);
  }
  eq([10, 9, 1, 100, 'b', 'a'].sort(), [1, 10, 100, 9, 'a', 'b'], 'default sort compares strings');
  var holes = [3, undefined, , 1];
  var sorted = holes.sort();
  ok(sorted === holes, 'sort returns the array');
  eq(holes, [1, 3, undefined, , ], 'undefined then holes last');
  eq(holes.length, 4, 'length kept');
  eq([3, 1, 2].sort(function () { return NaN; }), [3, 1, 2], 'NaN compares as equal');
  eq([2, 1].sort(undefined), [1, 2], 'explicit undefined comparator');
  throwsType(function () { [].sort(5); }, TypeError,
    'The comparison function must be either a function or undefined', 'sort non-function');
  var calls = 0;
  [undefined, 2, 1].sort(function (x, y) { calls++; ok(x !== undefined && y !== undefined, 'undefined never compared'); return x - y; });
  ok(calls > 0, 'comparator called');
  var big = [];
  for (i = 0; i < 1000; i++) big.push((i * 7919) % 1000);
  big.sort(function (x, y) { return x - y; });
  for (i = 0; i < 1000; i++) eq(big[i], i, 'big sort ' + i);
})();

(function typedArrays() {
  var u = new Uint8Array([3, 1, 2]);
  eq(u.slice(1), new Uint8Array([1, 2]), 'slice');
  ok(u.slice(1) instanceof Uint8Array, 'slice keeps the type');
  eq(u.map(function (x) { return x * 100; }), new Uint8Array([44, 100, 200]), 'map wraps like Uint8Array');
  eq(u.filter(function (x) { return x > 1; }), new Uint8Array([3, 2]), 'filter');
  eq([u.indexOf(2), u.includes(9), u.join('-'), String(u)], [2, false, '3-1-2', '3,1,2'], 'generic methods');
  eq(new Float64Array([3, NaN, -0, 0, -1]).sort(), new Float64Array([-1, -0, 0, 3, NaN]), 'numeric sort');
  eq(new Int8Array(3).fill(7), new Int8Array([7, 7, 7]), 'fill');
  eq(Uint16Array.from([1, 2], function (x) { return x * 2; }), new Uint16Array([2, 4]), 'from');
  eq(Uint8Array.of(1, 2), new Uint8Array([1, 2]), 'of');
  eq(u.at(-1), 2, 'at');
  var sum = 0;
  u.forEach(function (x) { sum += x; });
  eq(sum, 6, 'forEach');
})();

/* ---- String ------------------------------------------------------------------------ */

(function string() {
  eq('5'.padStart(3, '0'), '005', 'padStart');
  eq('abc'.padStart(10, '123'), '1231231abc', 'padStart cycles');
  eq('abc'.padEnd(6), 'abc   ', 'padEnd default space');
  eq('abc'.padEnd(2, 'x'), 'abc', 'padEnd shorter');
  eq('abc'.padStart(6, ''), 'abc', 'padStart empty filler');
  throwsType(function () { 'a'.padStart(Infinity); }, RangeError, 'Invalid string length', 'padStart Infinity');
  eq(' \t x \n'.trimStart(), 'x \n', 'trimStart');
  eq(' \t x \n'.trimEnd(), ' \t x', 'trimEnd');
  ok(String.prototype.trimLeft === String.prototype.trimStart, 'trimLeft alias');
  eq('abc'.at(-1), 'c', 'at');
  eq('abc'.at(3), undefined, 'at out of range');

  eq('a.b.c'.replaceAll('.', '-'), 'a-b-c', 'replaceAll literal dot');
  eq('aaa'.replaceAll('a', '$&$&'), 'aaaaaa', 'replaceAll $&');
  eq('a$b'.replaceAll('$', '$$'), 'a$b', 'replaceAll $$');
  eq('xax'.replaceAll('a', '[$`|$\']'), 'x[x|x]x', 'replaceAll $` and $\'');
  eq('ab'.replaceAll('a', '$1'), '$1b', 'replaceAll $1 stays literal');
  eq('abc'.replaceAll('', '-'), '-a-b-c-', 'replaceAll empty');
  eq('a+a+'.replaceAll('a+', function (m, i, s) { return '<' + m + i + s.length + '>'; }), '<a+04><a+24>', 'replaceAll function');
  eq('a1b2'.replaceAll(/\d/g, '#'), 'a#b#', 'replaceAll regexp');
  throwsType(function () { 'a'.replaceAll(/a/, 'b'); }, TypeError,
    'String.prototype.replaceAll called with a non-global RegExp argument', 'replaceAll non-global');

  var matches = [];
  var mit = 'test1test2'.matchAll(/t(e)(st(\d?))/g);
  eq(tag(mit), '[object RegExp String Iterator]', 'matchAll tag');
  var m;
  while (!(m = mit.next()).done) matches.push([m.value[0], m.value[1], m.value[3], m.value.index]);
  eq(matches, [['test1', 'e', '1', 0], ['test2', 'e', '2', 5]], 'matchAll');
  eq(collect('a-b'.matchAll('-')).map(function (x) { return x.index; }), [1], 'matchAll string');
  eq(collect('ab'.matchAll(/(?:)/g)).map(function (x) { return x.index; }), [0, 1, 2], 'matchAll empty matches');
  var rx = /a/g;
  rx.lastIndex = 2;
  eq(collect('aaaa'.matchAll(rx)).length, 2, 'matchAll starts at lastIndex');
  eq(rx.lastIndex, 2, 'matchAll leaves the regexp alone');
  throwsType(function () { 'a'.matchAll(/a/); }, TypeError,
    'String.prototype.matchAll called with a non-global RegExp argument', 'matchAll non-global');

  eq(String.raw({ raw: ['a', 'b', 'c'] }, 1, 2, 3), 'a1b2c', 'String.raw');
  eq(String.raw({ raw: 'xyz' }, 0), 'x0yz', 'String.raw string');
  eq('caf\u00e9'.normalize(), 'caf\u00e9', 'normalize NFC');
  eq('abc'.normalize('NFKD'), 'abc', 'normalize ASCII');
  throwsType(function () { 'a'.normalize('x'); }, RangeError,
    'The normalization form should be one of NFC, NFD, NFKC, NFKD.', 'normalize bad form');
})();

/* ---- Math ----------------------------------------------------------------------------- */

(function math() {
  function near(actual, expected, what) {
    var close = actual === expected || Math.abs(actual - expected) <= 4e-16 * Math.max(1, Math.abs(expected));
    ok(close || (actual !== actual && expected !== expected), what + ': got ' + actual + ', expected ' + expected);
  }
  near(Math.log1p(1e-10), 9.999999999500001e-11, 'log1p small');
  near(Math.log1p(1), 0.6931471805599453, 'log1p 1');
  near(Math.log1p(-1), -Infinity, 'log1p -1');
  near(Math.log1p(Infinity), Infinity, 'log1p Infinity');
  near(Math.expm1(1e-10), 1.00000000005e-10, 'expm1 small');
  near(Math.expm1(1), 1.718281828459045, 'expm1 1');
  near(Math.expm1(-Infinity), -1, 'expm1 -Infinity');
  eq(Math.fround(5.5), 5.5, 'fround exact');
  eq(Math.fround(5.05), 5.050000190734863, 'fround');
  near(Math.sinh(1), 1.1752011936438014, 'sinh');
  eq(Math.sinh(-0), -0, 'sinh -0');
  near(Math.cosh(1), 1.5430806348152437, 'cosh');
  near(Math.tanh(0.5), 0.46211715726000974, 'tanh');
  eq(Math.tanh(Infinity), 1, 'tanh Infinity');
  near(Math.asinh(1), 0.881373587019543, 'asinh');
  near(Math.acosh(2), 1.3169578969248166, 'acosh');
  near(Math.atanh(0.5), 0.5493061443340548, 'atanh');
  eq(Math.atanh(1), Infinity, 'atanh 1');
})();

/* ---- speed ------------------------------------------------------------------------------ */

(function speed() {
  var keys = [];
  for (var i = 0; i < 10000; i++) keys.push('key' + i);
  var start = Date.now();
  var m = new Map();
  for (i = 0; i < keys.length; i++) m.set(keys[i], i);
  var sum = 0;
  for (i = 0; i < keys.length; i++) sum += m.get(keys[i]);
  var ms = Date.now() - start;
  eq(sum, 49995000, 'Map of 10,000 keys');
  /* About 10 ms in a release build; generous for sanitiser builds. */
  ok(ms < 500, 'Map of 10,000 string keys took ' + ms + ' ms');
})();

/* ---- names and lengths Node reports ---------------------------------------------------- */

(function names() {
  eq([Map.length, Set.length, WeakMap.length, WeakSet.length], [0, 0, 0, 0], 'constructor lengths');
  eq([Map.prototype['delete'].name, Set.prototype['delete'].name, WeakMap.prototype['delete'].name,
    Set.prototype.values.name, [].values.name, ''[Symbol.iterator].name],
    ['delete', 'delete', 'delete', 'values', 'values', '[Symbol.iterator]'], 'method names');
})();
