/*
 * The ES2015+ standard library that Node code expects and Duktape 2.7 lacks:
 * the iteration protocol for arrays, strings, typed arrays and `arguments`;
 * Map, Set, WeakMap, WeakSet; the newer Object, Array, String and Math
 * functions; a stable Array.prototype.sort.
 *
 * Invariants:
 * - Everything is added non-enumerably and only where missing (polyfill()),
 *   except Array.prototype.sort, which is replaced because Duktape's is not
 *   stable and Node's is.
 * - Internal state lives under private Symbols in non-enumerable properties, so
 *   JSON.stringify, Object.keys and for-in never see it.
 * - The private helpers makeIterator, getIterator and iterableToArray are used
 *   by the other runtime files under these names.
 */

/* ---- small shared helpers ----------------------------------------------- */

var hasOwn = Object.prototype.hasOwnProperty;
var objectToString = Object.prototype.toString;
var MAX_STRING_LENGTH = 0x1fffffe8; /* V8's limit, for the same RangeError */

function isObject(value) {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

function isCallable(value) {
  return typeof value === 'function';
}

function isArguments(value) {
  return isObject(value) && objectToString.call(value) === '[object Arguments]';
}

function isRegExp(value) {
  return isObject(value) && objectToString.call(value) === '[object RegExp]';
}

/* How V8 names a receiver in "called on incompatible receiver" messages. */
function describeReceiver(value) {
  if (!isObject(value)) return typeof value === 'symbol' ? 'Symbol()' : String(value);
  var ctor = value.constructor;
  var name = typeof ctor === 'function' && ctor.name ? ctor.name : 'Object';
  return '#<' + name + '>';
}

/* How V8 names a value in "x is not a function" and "Iterator value x" messages. */
function describeValue(value) {
  if (Array.isArray(value)) return '[object Array]';
  if (isObject(value)) return describeReceiver(value);
  return String(value);
}

function requireCallable(value) {
  if (!isCallable(value)) throw new TypeError(describeValue(value) + ' is not a function');
  return value;
}

/* ToObject with the message Node gives for null and undefined. */
function toObject(value) {
  if (value == null) throw new TypeError('Cannot convert undefined or null to object');
  return Object(value);
}

/* `this` of a String.prototype method, as a string. */
function thisString(value, method) {
  if (value == null) {
    throw new TypeError('String.prototype.' + method + ' called on null or undefined');
  }
  return String(value);
}

function toIntegerOrInfinity(value) {
  var n = +value;
  if (n !== n || n === 0) return 0;
  if (n === Infinity || n === -Infinity) return n;
  return n < 0 ? Math.ceil(n) : Math.floor(n);
}

function toLength(value) {
  var n = toIntegerOrInfinity(value);
  if (n <= 0) return 0;
  return n > 9007199254740991 ? 9007199254740991 : n;
}

/* A relative index (negative counts from the end) clamped into [0, length]. */
function clampIndex(value, length, fallback) {
  if (value === undefined) return fallback;
  var n = toIntegerOrInfinity(value);
  if (n < 0) return Math.max(length + n, 0);
  return Math.min(n, length);
}

function sameValueZero(a, b) {
  return a === b || (a !== a && b !== b);
}

/* Adds a non-enumerable, non-writable property (Symbol.toStringTag and the like). */
function defineConstant(target, key, value) {
  Object.defineProperty(target, key, {
    value: value, writable: false, enumerable: false, configurable: true
  });
}

/* Adds a non-enumerable getter. */
function defineGetter(target, key, getter) {
  Object.defineProperty(target, key, {
    get: getter, enumerable: false, configurable: true
  });
}

/* Gives fn the `name` (and `length`) Node reports, where the source cannot spell it. */
function nameFunction(fn, name, length) {
  Object.defineProperty(fn, 'name', { value: name, configurable: true });
  if (length !== undefined) Object.defineProperty(fn, 'length', { value: length, configurable: true });
  return fn;
}

/* Sets a method under a Symbol key, non-enumerably, only where missing. */
function polyfillSymbol(target, symbol, fn) {
  if (typeof target[symbol] !== 'undefined') return;
  Object.defineProperty(target, symbol, {
    value: fn, writable: true, enumerable: false, configurable: true
  });
}

/* ---- Symbols ------------------------------------------------------------ */

if (typeof Symbol.asyncIterator === 'undefined') {
  Object.defineProperty(Symbol, 'asyncIterator', {
    value: Symbol('Symbol.asyncIterator'), writable: false, enumerable: false, configurable: false
  });
}

if (!('description' in Symbol.prototype)) {
  /* Symbol() and Symbol('') both give '' here; Node gives undefined for the first. */
  defineGetter(Symbol.prototype, 'description', function () {
    var text = String(Symbol.prototype.valueOf.call(this));
    return text.slice(7, -1);
  });
}

var ITERATOR = Symbol.iterator;
var TO_STRING_TAG = Symbol.toStringTag;

/* ---- the iteration protocol --------------------------------------------- */

/* %IteratorPrototype%: every iterator here inherits "return this" as its iterator. */
var IteratorPrototype = {};
polyfillSymbol(IteratorPrototype, ITERATOR, nameFunction(function () { return this; }, '[Symbol.iterator]'));

function iteratorPrototype(tag) {
  var proto = Object.create(IteratorPrototype);
  defineConstant(proto, TO_STRING_TAG, tag);
  return proto;
}

var ArrayIteratorPrototype = iteratorPrototype('Array Iterator');
var StringIteratorPrototype = iteratorPrototype('String Iterator');
var RegExpStringIteratorPrototype = iteratorPrototype('RegExp String Iterator');

/* An iterator inheriting from `proto`, whose (hidden) own `next` is `next`. */
function createIterator(proto, next) {
  var iterator = Object.create(proto);
  Object.defineProperty(iterator, 'next', {
    value: next, writable: true, enumerable: false, configurable: true
  });
  return iterator;
}

/* An iterator {next} that is itself iterable. */
function makeIterator(next) {
  return createIterator(IteratorPrototype, next);
}

function iterResult(value) {
  return { value: value, done: false };
}

function iterDone() {
  return { value: undefined, done: true };
}

function notIterableMessage(value) {
  var what;
  if (value === undefined) what = 'undefined';
  else if (value === null) what = 'object null';
  else if (isObject(value) || typeof value === 'symbol') what = typeof value;
  else what = typeof value + ' ' + String(value);
  return what + ' is not iterable (cannot read property Symbol(Symbol.iterator))';
}

/* obj[Symbol.iterator](), or for `arguments` (which Duktape cannot make iterable) an array iterator. */
function getIterator(obj) {
  if (obj != null) {
    var method = obj[ITERATOR];
    if (isCallable(method)) {
      var iterator = method.call(obj);
      if (!isObject(iterator)) {
        throw new TypeError('Result of the Symbol.iterator method is not an object');
      }
      return iterator;
    }
    if (method == null && isArguments(obj)) return arrayIterator(obj, 'values');
  }
  throw new TypeError(notIterableMessage(obj));
}

/* The next result of `iterator`, checked to be an object. */
function iteratorStep(iterator) {
  var result = iterator.next();
  if (!isObject(result)) throw new TypeError('Iterator result ' + describeValue(result) + ' is not an object');
  return result;
}

/* Calls iterator.return() after an abrupt exit; its own errors are dropped (the first error wins). */
function iteratorClose(iterator) {
  try {
    var method = iterator['return'];
    if (isCallable(method)) method.call(iterator);
  } catch (ignored) { /* the original error is the one to report */ }
}

/* Calls visit(value) for each value iterated from `iterable`, closing the iterator if visit throws. */
function forEachIterated(iterable, visit) {
  var iterator = getIterator(iterable);
  for (;;) {
    var step = iteratorStep(iterator);
    if (step.done) return;
    try {
      visit(step.value);
    } catch (err) {
      iteratorClose(iterator);
      throw err;
    }
  }
}

/* The code points of a string, each as a one- or two-unit string. */
function splitCodePoints(s) {
  if (!/[\uD800-\uDFFF]/.test(s)) return s.split('');
  var out = [];
  for (var i = 0; i < s.length; i += out[out.length - 1].length) {
    out.push(codePointStringAt(s, i));
  }
  return out;
}

/* The code point at index i as a string: a surrogate pair, or a single unit. */
function codePointStringAt(s, i) {
  var c = s.charCodeAt(i);
  if (c >= 0xD800 && c <= 0xDBFF && i + 1 < s.length) {
    var d = s.charCodeAt(i + 1);
    if (d >= 0xDC00 && d <= 0xDFFF) return s.substr(i, 2);
  }
  return s.charAt(i);
}

/* A dense copy of an array or arguments object: holes read as undefined, as
 * iterating gives. Array.apply is native and faster than slice() here; past
 * a size it would overflow Duktape's value stack, so a loop takes over. */
var NativeArray = Array;
function copyArray(arr) {
  var length = arr.length;
  if (length === 1) return [arr[0]];   /* Array(n) would make n holes */
  if (length <= 65536) return NativeArray.apply(null, arr);
  return arrayLikeToArray(arr);
}

/* The values iterated from obj as a new array; TypeError when obj is not iterable. */
function iterableToArray(obj) {
  if (Array.isArray(obj) && obj[ITERATOR] === arrayValues) return copyArray(obj);
  if (typeof obj === 'string' && String.prototype[ITERATOR] === stringIterator) {
    return splitCodePoints(obj);
  }
  if (isArguments(obj) && obj[ITERATOR] == null) return copyArray(obj);
  var out = [];
  forEachIterated(obj, function (value) { out.push(value); });
  return out;
}

/* An iterator over an array-like's keys, values or [key, value] entries; length is read at each step. */
function arrayIterator(obj, kind) {
  var index = 0;
  return createIterator(ArrayIteratorPrototype, function next() {
    if (obj === null) return iterDone();
    if (index >= toLength(obj.length)) {
      obj = null;
      return iterDone();
    }
    var i = index++;
    if (kind === 'values') return iterResult(obj[i]);
    return iterResult(kind === 'keys' ? i : [i, obj[i]]);
  });
}

function arrayValues() { return arrayIterator(toObject(this), 'values'); }
function arrayKeys() { return arrayIterator(toObject(this), 'keys'); }
function arrayEntries() { return arrayIterator(toObject(this), 'entries'); }

/* String.prototype[Symbol.iterator]: by code point. */
function stringIterator() {
  var s = thisString(this, '[Symbol.iterator]');
  var index = 0;
  return createIterator(StringIteratorPrototype, function next() {
    if (index >= s.length) return iterDone();
    var c = codePointStringAt(s, index);
    index += c.length;
    return iterResult(c);
  });
}

nameFunction(arrayValues, 'values');
nameFunction(arrayKeys, 'keys');
nameFunction(arrayEntries, 'entries');
nameFunction(stringIterator, '[Symbol.iterator]');
polyfill(Array.prototype, { values: arrayValues, keys: arrayKeys, entries: arrayEntries });
polyfillSymbol(Array.prototype, ITERATOR, Array.prototype.values);
polyfillSymbol(String.prototype, ITERATOR, stringIterator);

/* ---- Object -------------------------------------------------------------- */

/* Like obj[key] = value, but '__proto__' becomes an own property as the spec's CreateDataProperty does. */
function createDataProperty(obj, key, value) {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, {
      value: value, writable: true, enumerable: true, configurable: true
    });
  } else {
    obj[key] = value;
  }
}

function toPropertyKey(value) {
  return typeof value === 'symbol' ? value : String(value);
}

polyfill(Object, {
  entries: function entries(obj) {
    var o = toObject(obj);
    return Object.keys(o).map(function (key) { return [key, o[key]]; });
  },
  values: function values(obj) {
    var o = toObject(obj);
    return Object.keys(o).map(function (key) { return o[key]; });
  },
  fromEntries: function fromEntries(iterable) {
    if (iterable == null) throw new TypeError(notIterableMessage(iterable));
    var out = {};
    forEachIterated(iterable, function (entry) {
      if (!isObject(entry)) {
        throw new TypeError('Iterator value ' + describeValue(entry) + ' is not an entry object');
      }
      createDataProperty(out, toPropertyKey(entry[0]), entry[1]);
    });
    return out;
  },
  hasOwn: function hasOwn(obj, key) {
    return Object.prototype.hasOwnProperty.call(toObject(obj), toPropertyKey(key));
  },
  getOwnPropertyDescriptors: function getOwnPropertyDescriptors(obj) {
    var o = toObject(obj);
    var out = {};
    Reflect.ownKeys(o).forEach(function (key) {
      var descriptor = Object.getOwnPropertyDescriptor(o, key);
      if (descriptor !== undefined) createDataProperty(out, key, descriptor);
    });
    return out;
  }
});

/* ---- Array --------------------------------------------------------------- */

polyfill(Array, {
  from: function from(items, mapFn, thisArg) {
    if (mapFn !== undefined) requireCallable(mapFn);
    if (items == null) throw new TypeError(notIterableMessage(items));
    var values;
    if (items[ITERATOR] != null || isArguments(items)) {
      values = iterableToArray(items);
    } else {
      values = arrayLikeToArray(Object(items));
    }
    if (mapFn !== undefined) {
      for (var i = 0; i < values.length; i++) values[i] = mapFn.call(thisArg, values[i], i);
    }
    return values;
  },
  of: function of() {
    return Array.prototype.slice.call(arguments);
  }
});

/* A dense copy of an array-like: holes read as undefined. */
function arrayLikeToArray(obj) {
  var length = toLength(obj.length);
  var out = new Array(length);
  for (var i = 0; i < length; i++) out[i] = obj[i];
  return out;
}

/* Index of the first (step 1) or last (step -1) element passing `test`, or -1. */
function findIndexIn(obj, test, thisArg, step) {
  requireCallable(test);
  var length = toLength(obj.length);
  var i = step > 0 ? 0 : length - 1;
  for (; i >= 0 && i < length; i += step) {
    if (test.call(thisArg, obj[i], i, obj)) return i;
  }
  return -1;
}

/* Appends the elements of `source` to `out`, flattening nested arrays `depth` levels; holes are skipped. */
function flattenInto(out, source, depth) {
  var length = toLength(source.length);
  for (var i = 0; i < length; i++) {
    if (!(i in source)) continue;
    var value = source[i];
    if (depth > 0 && Array.isArray(value)) flattenInto(out, value, depth - 1);
    else out.push(value);
  }
  return out;
}

polyfill(Array.prototype, {
  includes: function includes(search, fromIndex) {
    var o = toObject(this);
    var length = toLength(o.length);
    for (var i = clampIndex(fromIndex, length, 0); i < length; i++) {
      if (sameValueZero(o[i], search)) return true;
    }
    return false;
  },
  find: function find(test, thisArg) {
    var o = toObject(this);
    var i = findIndexIn(o, test, thisArg, 1);
    return i < 0 ? undefined : o[i];
  },
  findIndex: function findIndex(test, thisArg) {
    return findIndexIn(toObject(this), test, thisArg, 1);
  },
  findLast: function findLast(test, thisArg) {
    var o = toObject(this);
    var i = findIndexIn(o, test, thisArg, -1);
    return i < 0 ? undefined : o[i];
  },
  findLastIndex: function findLastIndex(test, thisArg) {
    return findIndexIn(toObject(this), test, thisArg, -1);
  },
  fill: function fill(value, start, end) {
    var o = toObject(this);
    var length = toLength(o.length);
    var last = clampIndex(end, length, length);
    for (var i = clampIndex(start, length, 0); i < last; i++) o[i] = value;
    return o;
  },
  flat: function flat(depth) {
    var o = toObject(this);
    return flattenInto([], o, depth === undefined ? 1 : toIntegerOrInfinity(depth));
  },
  flatMap: function flatMap(mapper, thisArg) {
    var o = toObject(this);
    if (!isCallable(mapper)) throw new TypeError('flatMap mapper function is not callable');
    var length = toLength(o.length);
    var out = [];
    for (var i = 0; i < length; i++) {
      if (!(i in o)) continue;
      var value = mapper.call(thisArg, o[i], i, o);
      if (Array.isArray(value)) flattenInto(out, value, 0);
      else out.push(value);
    }
    return out;
  },
  at: function at(index) {
    var o = toObject(this);
    var length = toLength(o.length);
    var i = toIntegerOrInfinity(index);
    if (i < 0) i += length;
    return i < 0 || i >= length ? undefined : o[i];
  },
  copyWithin: function copyWithin(target, start, end) {
    var o = toObject(this);
    var length = toLength(o.length);
    var to = clampIndex(target, length, 0);
    var from = clampIndex(start, length, 0);
    var count = Math.min(clampIndex(end, length, length) - from, length - to);
    var step = 1;
    if (from < to && to < from + count) { /* overlapping forwards: copy from the end */
      step = -1;
      from += count - 1;
      to += count - 1;
    }
    for (; count > 0; count--, from += step, to += step) {
      if (from in o) o[to] = o[from];
      else delete o[to];
    }
    return o;
  }
});

/*
 * A stable Array.prototype.sort, as in Node (Duktape's quicksort is not
 * stable). The native sort orders an array of indexes, breaking ties by
 * index; undefined values go last, then holes, as the spec says.
 */
var nativeSort = Array.prototype.sort;

function sortedIndexes(values, compare) {
  var order = new Array(values.length);
  for (var i = 0; i < values.length; i++) order[i] = i;
  if (compare === undefined) {
    var keys = values.map(String);
    return nativeSort.call(order, function (a, b) {
      var x = keys[a], y = keys[b];
      return x < y ? -1 : x > y ? 1 : a - b;
    });
  }
  return nativeSort.call(order, function (a, b) {
    var r = +compare(values[a], values[b]);
    return r < 0 ? -1 : r > 0 ? 1 : a - b; /* NaN counts as a tie */
  });
}

function stableSort(compare) {
  if (compare !== undefined && !isCallable(compare)) {
    throw new TypeError('The comparison function must be either a function or undefined');
  }
  var o = toObject(this);
  var length = toLength(o.length);
  var values = [];
  var undefinedCount = 0;
  var i;
  for (i = 0; i < length; i++) {
    if (!(i in o)) continue;
    if (o[i] === undefined) undefinedCount++;
    else values.push(o[i]);
  }
  var order = sortedIndexes(values, compare);
  var k = 0;
  for (i = 0; i < order.length; i++) o[k++] = values[order[i]];
  for (i = 0; i < undefinedCount; i++) o[k++] = undefined;
  for (; k < length; k++) delete o[k];
  return o;
}

Object.defineProperty(Array.prototype, 'sort', {
  value: stableSort, writable: true, enumerable: false, configurable: true
});

/* ES2023's copying variants (Node 20). */
polyfill(Array.prototype, {
  toSorted: function toSorted(compare) {
    if (compare !== undefined && !isCallable(compare)) {
      throw new TypeError('The comparison function must be either a function or undefined');
    }
    return stableSort.call(arrayLikeToArray(toObject(this)), compare);
  },
  toReversed: function toReversed() {
    return arrayLikeToArray(toObject(this)).reverse();
  },
  toSpliced: function toSpliced(start, deleteCount) {
    var copy = arrayLikeToArray(toObject(this));
    Array.prototype.splice.apply(copy, arguments);
    return copy;
  },
  'with': function (index, value) {
    var copy = arrayLikeToArray(toObject(this));
    var i = toIntegerOrInfinity(index);
    if (i < 0) i += copy.length;
    if (i < 0 || i >= copy.length) throw new RangeError('Invalid index : ' + index);
    copy[i] = value;
    return copy;
  }
});
nameFunction(Array.prototype['with'], 'with');

/* ---- typed arrays --------------------------------------------------------
 * Duktape's shared %TypedArray%.prototype has only set/subarray. The generic
 * Array.prototype methods work on typed arrays as they are; slice, map,
 * filter and sort build or order values of the same element type. */

var typedArrayConstructors = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array,
  Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array];
var TypedArrayPrototype = Object.getPrototypeOf(Int8Array.prototype);

/* Numeric order with -0 before +0 and NaN last, as %TypedArray%.prototype.sort. */
function compareNumbers(a, b) {
  if (a !== a) return b !== b ? 0 : 1;
  if (b !== b) return -1;
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === 0 && b === 0) return (1 / a < 0 ? -1 : 0) - (1 / b < 0 ? -1 : 0);
  return 0;
}

(function () {
  var generic = ['forEach', 'indexOf', 'lastIndexOf', 'includes', 'join', 'every', 'some',
    'reduce', 'reduceRight', 'find', 'findIndex', 'findLast', 'findLastIndex', 'fill', 'at',
    'reverse', 'copyWithin', 'keys', 'values', 'entries'];
  var methods = {};
  generic.forEach(function (name) { methods[name] = Array.prototype[name]; });
  methods.slice = function slice(start, end) {
    var length = this.length;
    var from = clampIndex(start, length, 0);
    var to = Math.max(clampIndex(end, length, length), from);
    return new this.constructor(this.subarray(from, to));
  };
  methods.map = function map(fn, thisArg) {
    requireCallable(fn);
    var out = new this.constructor(this.length);
    for (var i = 0; i < this.length; i++) out[i] = fn.call(thisArg, this[i], i, this);
    return out;
  };
  methods.filter = function filter(fn, thisArg) {
    requireCallable(fn);
    var kept = [];
    for (var i = 0; i < this.length; i++) {
      if (fn.call(thisArg, this[i], i, this)) kept.push(this[i]);
    }
    return new this.constructor(kept);
  };
  methods.sort = function sort(compare) {
    var values = Array.prototype.slice.call(this);
    stableSort.call(values, compare === undefined ? compareNumbers : compare);
    for (var i = 0; i < values.length; i++) this[i] = values[i];
    return this;
  };
  /* toString is inherited from Object.prototype, which polyfill() would take as present. */
  if (TypedArrayPrototype.toString === Object.prototype.toString) {
    Object.defineProperty(TypedArrayPrototype, 'toString', {
      value: Array.prototype.toString, writable: true, enumerable: false, configurable: true
    });
  }
  polyfill(TypedArrayPrototype, methods);
  polyfillSymbol(TypedArrayPrototype, ITERATOR, TypedArrayPrototype.values);

  typedArrayConstructors.forEach(function (Ctor) {
    polyfill(Ctor, {
      from: function from(source, mapFn, thisArg) {
        return new this(Array.from(source, mapFn, thisArg));
      },
      of: function of() {
        return new this(Array.prototype.slice.call(arguments));
      }
    });
  });
})();

/* ---- String -------------------------------------------------------------- */

function padString(s, maxLength, fillString, atStart) {
  var length = toLength(maxLength);
  if (length <= s.length) return s;
  var filler = fillString === undefined ? ' ' : String(fillString);
  if (filler === '') return s;
  if (length > MAX_STRING_LENGTH) throw new RangeError('Invalid string length');
  var needed = length - s.length;
  var padding = filler.repeat(Math.ceil(needed / filler.length)).slice(0, needed);
  return atStart ? padding + s : s + padding;
}

function escapeRegExp(s) {
  return s.replace(/[\\^$.*+?()[\]{}|\/]/g, '\\$&');
}

function requireGlobalRegExp(regexp, method) {
  if (String(regexp.flags).indexOf('g') < 0) {
    throw new TypeError('String.prototype.' + method + ' called with a non-global RegExp argument');
  }
}

function stringTrimStart() { return thisString(this, 'trimStart').replace(/^\s+/, ''); }
function stringTrimEnd() { return thisString(this, 'trimEnd').replace(/\s+$/, ''); }

var NORMALIZATION_FORMS = { NFC: true, NFD: true, NFKC: true, NFKD: true };

polyfill(String.prototype, {
  padStart: function padStart(maxLength, fillString) {
    return padString(thisString(this, 'padStart'), maxLength, fillString, true);
  },
  padEnd: function padEnd(maxLength, fillString) {
    return padString(thisString(this, 'padEnd'), maxLength, fillString, false);
  },
  trimStart: nameFunction(stringTrimStart, 'trimStart'),
  trimEnd: nameFunction(stringTrimEnd, 'trimEnd'),
  trimLeft: stringTrimStart,
  trimRight: stringTrimEnd,
  at: function at(index) {
    var s = thisString(this, 'at');
    var i = toIntegerOrInfinity(index);
    if (i < 0) i += s.length;
    return i < 0 || i >= s.length ? undefined : s.charAt(i);
  },
  replaceAll: function replaceAll(searchValue, replaceValue) {
    var s = thisString(this, 'replaceAll');
    if (isRegExp(searchValue)) {
      requireGlobalRegExp(searchValue, 'replaceAll');
      return s.replace(searchValue, replaceValue);
    }
    /* A global RegExp matching the literal text gives the spec's results, $-patterns included. */
    return s.replace(new RegExp(escapeRegExp(String(searchValue)), 'g'), replaceValue);
  },
  matchAll: function matchAll(regexp) {
    var s = thisString(this, 'matchAll');
    var rx;
    if (isRegExp(regexp)) {
      requireGlobalRegExp(regexp, 'matchAll');
      rx = new RegExp(regexp.source, regexp.flags);
      rx.lastIndex = regexp.lastIndex;
    } else {
      rx = new RegExp(regexp === undefined ? '(?:)' : regexp, 'g');
    }
    return createIterator(RegExpStringIteratorPrototype, function next() {
      var match = rx === null ? null : rx.exec(s);
      if (match === null) {
        rx = null;
        return iterDone();
      }
      if (match[0] === '') rx.lastIndex++; /* step over an empty match */
      return iterResult(match);
    });
  },
  /* Identity: correct for ASCII and for text already in the requested form;
   * srcfn carries no Unicode tables, so it never composes or decomposes. */
  normalize: function normalize(form) {
    var s = thisString(this, 'normalize');
    var f = form === undefined ? 'NFC' : String(form);
    if (!NORMALIZATION_FORMS[f]) {
      throw new RangeError('The normalization form should be one of NFC, NFD, NFKC, NFKD.');
    }
    return s;
  }
});

polyfill(String, {
  raw: function raw(template) {
    var strings = toObject(toObject(template).raw);
    var length = toLength(strings.length);
    var out = '';
    for (var i = 0; i < length; i++) {
      out += String(strings[i]);
      if (i + 1 < length && i + 1 < arguments.length) out += String(arguments[i + 1]);
    }
    return out;
  }
});

/* ---- Math ---------------------------------------------------------------- */

polyfill(Math, {
  log1p: function log1p(x) {
    x = +x;
    var u = 1 + x;
    if (u === Infinity) return Infinity;
    return u === 1 ? x : Math.log(u) * x / (u - 1);
  },
  expm1: function expm1(x) {
    x = +x;
    var u = Math.exp(x);
    if (u === 1) return x;
    if (u === Infinity) return Infinity;
    if (u - 1 === -1) return -1;
    return (u - 1) * x / Math.log(u);
  },
  fround: (function () {
    var f32 = new Float32Array(1);
    return function fround(x) {
      f32[0] = x;
      return f32[0];
    };
  })(),
  sinh: function sinh(x) {
    x = +x;
    return x === 0 ? x : (Math.expm1(x) - Math.expm1(-x)) / 2;
  },
  cosh: function cosh(x) {
    x = +x;
    return (Math.exp(x) + Math.exp(-x)) / 2;
  },
  tanh: function tanh(x) {
    x = +x;
    if (x > 20) return 1;
    if (x < -20) return -1;
    var e = Math.expm1(2 * x);
    return e / (e + 2);
  },
  asinh: function asinh(x) {
    x = +x;
    if (x === 0 || !isFinite(x)) return x;
    var a = Math.abs(x);
    var r = a > 1e8 ? Math.log(a) + Math.LN2 : Math.log1p(a + a * a / (1 + Math.sqrt(1 + a * a)));
    return x < 0 ? -r : r;
  },
  acosh: function acosh(x) {
    x = +x;
    if (x > 1e8) return Math.log(x) + Math.LN2;
    return Math.log(x + Math.sqrt(x * x - 1));
  },
  atanh: function atanh(x) {
    x = +x;
    return x === 0 ? x : 0.5 * Math.log1p(2 * x / (1 - x));
  }
});

/* ---- Map and Set ----------------------------------------------------------
 * A store keeps entries in insertion order in two parallel arrays; a deleted
 * slot holds EMPTY. `index` maps a typed string key to its slot: 's'+string,
 * 'n'+number, 'o'+object id (a hidden non-enumerable property of the object),
 * and so on. Symbols and objects that cannot take a property (frozen,
 * sealed, non-extensible, plain buffers) are found by a linear scan of
 * `linear` instead.
 *
 * Live iterators hold a cursor {store, pos}. When deletions leave too many
 * holes the store is compacted into a new one and the old store forwards to
 * it, with `remap` translating cursor positions (clear() forwards to an
 * empty store with remap null: every position becomes 0). So iteration sees
 * entries added during it and skips those deleted during it, as the spec says.
 */

var EMPTY = {};

/* Whether a hidden property can be added to obj: not for non-extensible objects,
 * nor for Duktape's plain buffers, which (like primitives) are boxed anew on each access. */
function canHoldProperty(obj) {
  return Object.isExtensible(obj) && Object(obj) === obj;
}

var OBJECT_ID = Symbol('srcfn.objectId');
var COLLECTION = Symbol('srcfn.collection');
var nextObjectId = 1;
var NOT_FOUND = -1;

function CollectionStore() {
  this.keys = [];
  this.values = [];
  this.index = Object.create(null);
  this.linear = [];   /* slots of keys that have no typed key */
  this.size = 0;
  this.holes = 0;
  this.forward = null;
  this.remap = null;
}

/* The typed string key for `key`; null when it must be found by linear scan;
 * NOT_FOUND when it is an object without an id (only when !assign): never
 * stored, or stored in `linear` because it refused the id. */
function typedKey(key, assign) {
  switch (typeof key) {
    case 'string': return 's' + key;
    case 'number': return 'n' + key;
    case 'boolean': return key ? 'T' : 'F';
    case 'undefined': return 'u';
    case 'symbol': return null;
  }
  if (key === null) return 'l';
  var id = key[OBJECT_ID];
  if (id !== undefined && hasOwn.call(key, OBJECT_ID)) return 'o' + id;
  if (!canHoldProperty(key)) return null;
  if (!assign) return NOT_FOUND;
  id = nextObjectId++;
  try {
    Object.defineProperty(key, OBJECT_ID, { value: id, writable: false, enumerable: false, configurable: false });
  } catch (err) {
    return null; /* e.g. a Proxy that refuses it */
  }
  return key[OBJECT_ID] === id ? 'o' + id : null;
}

/* The slot holding key, or -1. */
function findSlot(store, key) {
  return slotOf(store, key, typeof key === 'string' ? 's' + key : typedKey(key, false));
}

function slotOf(store, key, typed) {
  if (typed === NOT_FOUND) return store.linear.length ? linearSlot(store, key) : -1;
  if (typed === null) return linearSlot(store, key);
  var slot = store.index[typed];
  return slot === undefined ? -1 : slot;
}

function linearSlot(store, key) {
  var linear = store.linear;
  for (var i = 0; i < linear.length; i++) {
    if (store.keys[linear[i]] === key) return linear[i];
  }
  return -1;
}

function storeSet(store, key, value) {
  if (key === 0) key = 0; /* -0 becomes +0 */
  var typed = typeof key === 'string' ? 's' + key : typedKey(key, true);
  var slot = slotOf(store, key, typed);
  if (slot >= 0) {
    store.values[slot] = value;
    return;
  }
  slot = store.keys.length;
  store.keys.push(key);
  store.values.push(value);
  if (typed === null) store.linear.push(slot);
  else store.index[typed] = slot;
  store.size++;
}

/* Removes key; returns the store now current (a compaction makes a new one), or null when absent. */
function storeDelete(store, key) {
  var typed = typeof key === 'string' ? 's' + key : typedKey(key, false);
  var slot = slotOf(store, key, typed);
  if (slot < 0) return null;
  if (typed === null || typed === NOT_FOUND) store.linear.splice(store.linear.indexOf(slot), 1);
  else delete store.index[typed];
  store.keys[slot] = store.values[slot] = EMPTY;
  store.size--;
  store.holes++;
  if (store.holes > 32 && store.holes * 2 > store.keys.length) return compactStore(store);
  return store;
}

/* A copy of store without holes; store forwards to it. */
function compactStore(store) {
  var fresh = new CollectionStore();
  var remap = new Array(store.keys.length + 1);
  for (var i = 0; i < store.keys.length; i++) {
    remap[i] = fresh.keys.length;
    if (store.keys[i] !== EMPTY) storeSet(fresh, store.keys[i], store.values[i]);
  }
  remap[store.keys.length] = fresh.keys.length;
  store.forward = fresh;
  store.remap = remap;
  return fresh;
}

function clearStore(store) {
  var fresh = new CollectionStore();
  store.forward = fresh;
  store.remap = null;
  return fresh;
}

/* The next occupied slot for a cursor, or -1 at the end (after which the cursor stays ended). */
function nextSlot(cursor) {
  var store = cursor.store;
  if (store === null) return -1;
  var pos = cursor.pos;
  while (store.forward !== null) {
    pos = store.remap === null ? 0 : store.remap[pos];
    store = store.forward;
  }
  var keys = store.keys;
  while (pos < keys.length && keys[pos] === EMPTY) pos++;
  if (pos >= keys.length) {
    cursor.store = null;
    return -1;
  }
  cursor.store = store;
  cursor.pos = pos + 1;
  return pos;
}

/* The hidden state of a Map or Set: {owner, kind, store}; TypeError for any other receiver. */
function collectionState(obj, kind, method) {
  var state = obj == null ? undefined : obj[COLLECTION];
  if (state === undefined || state.owner !== obj || state.kind !== kind) {
    throw new TypeError('Method ' + kind + '.prototype.' + method +
      ' called on incompatible receiver ' + describeReceiver(obj));
  }
  return state;
}

function initCollection(obj, kind, ctor) {
  if (!(obj instanceof ctor) || hasOwn.call(obj, COLLECTION)) {
    throw new TypeError("Constructor " + kind + " requires 'new'");
  }
  Object.defineProperty(obj, COLLECTION, {
    value: { owner: obj, kind: kind, store: new CollectionStore() },
    writable: false, enumerable: false, configurable: false
  });
}

/* Iterator over a collection: kind 'keys', 'values' or 'entries'. */
function collectionIterator(state, kind, proto) {
  var cursor = { store: state.store, pos: 0 };
  return createIterator(proto, function next() {
    var slot = nextSlot(cursor);
    if (slot < 0) return iterDone();
    var store = cursor.store;
    if (kind === 'keys') return iterResult(store.keys[slot]);
    if (kind === 'values') return iterResult(store.values[slot]);
    return iterResult([store.keys[slot], store.values[slot]]);
  });
}

function collectionForEach(obj, state, callback, thisArg) {
  requireCallable(callback);
  var cursor = { store: state.store, pos: 0 };
  for (var slot = nextSlot(cursor); slot >= 0; slot = nextSlot(cursor)) {
    callback.call(thisArg, cursor.store.values[slot], cursor.store.keys[slot], obj);
  }
}

/* Fills a new Map or Set from an iterable through its own set/add, as the spec does. */
function fillCollection(obj, iterable, adderName, pairs) {
  if (iterable == null) return;
  var adder = requireCallable(obj[adderName]);
  forEachIterated(iterable, function (item) {
    if (!pairs) {
      adder.call(obj, item);
      return;
    }
    if (!isObject(item)) {
      throw new TypeError('Iterator value ' + describeValue(item) + ' is not an entry object');
    }
    adder.call(obj, item[0], item[1]);
  });
}

var MapIteratorPrototype = iteratorPrototype('Map Iterator');
var SetIteratorPrototype = iteratorPrototype('Set Iterator');

function Map(iterable) {
  initCollection(this, 'Map', Map);
  fillCollection(this, iterable, 'set', true);
}

polyfill(Map.prototype, {
  get: function get(key) {
    var store = collectionState(this, 'Map', 'get').store;
    var slot = findSlot(store, key);
    return slot < 0 ? undefined : store.values[slot];
  },
  set: function set(key, value) {
    storeSet(collectionState(this, 'Map', 'set').store, key, value);
    return this;
  },
  has: function has(key) {
    return findSlot(collectionState(this, 'Map', 'has').store, key) >= 0;
  },
  'delete': function (key) {
    var state = collectionState(this, 'Map', 'delete');
    var store = storeDelete(state.store, key);
    if (store === null) return false;
    state.store = store;
    return true;
  },
  clear: function clear() {
    var state = collectionState(this, 'Map', 'clear');
    state.store = clearStore(state.store);
  },
  forEach: function forEach(callback, thisArg) {
    collectionForEach(this, collectionState(this, 'Map', 'forEach'), callback, thisArg);
  },
  keys: function keys() {
    return collectionIterator(collectionState(this, 'Map', 'keys'), 'keys', MapIteratorPrototype);
  },
  values: function values() {
    return collectionIterator(collectionState(this, 'Map', 'values'), 'values', MapIteratorPrototype);
  },
  entries: function entries() {
    return collectionIterator(collectionState(this, 'Map', 'entries'), 'entries', MapIteratorPrototype);
  }
});
nameFunction(Map.prototype['delete'], 'delete');
defineGetter(Map.prototype, 'size', function () { return collectionState(this, 'Map', 'size').store.size; });
polyfillSymbol(Map.prototype, ITERATOR, Map.prototype.entries);
defineConstant(Map.prototype, TO_STRING_TAG, 'Map');

function Set(iterable) {
  initCollection(this, 'Set', Set);
  fillCollection(this, iterable, 'add', false);
}

function setValues() {
  return collectionIterator(collectionState(this, 'Set', 'values'), 'values', SetIteratorPrototype);
}

polyfill(Set.prototype, {
  add: function add(value) {
    storeSet(collectionState(this, 'Set', 'add').store, value, value === 0 ? 0 : value);
    return this;
  },
  has: function has(value) {
    return findSlot(collectionState(this, 'Set', 'has').store, value) >= 0;
  },
  'delete': function (value) {
    var state = collectionState(this, 'Set', 'delete');
    var store = storeDelete(state.store, value);
    if (store === null) return false;
    state.store = store;
    return true;
  },
  clear: function clear() {
    var state = collectionState(this, 'Set', 'clear');
    state.store = clearStore(state.store);
  },
  forEach: function forEach(callback, thisArg) {
    collectionForEach(this, collectionState(this, 'Set', 'forEach'), callback, thisArg);
  },
  values: setValues,
  keys: setValues,
  entries: function entries() {
    return collectionIterator(collectionState(this, 'Set', 'entries'), 'entries', SetIteratorPrototype);
  }
});
nameFunction(Set.prototype['delete'], 'delete');
nameFunction(setValues, 'values');
defineGetter(Set.prototype, 'size', function () { return collectionState(this, 'Set', 'size').store.size; });
polyfillSymbol(Set.prototype, ITERATOR, setValues);
defineConstant(Set.prototype, TO_STRING_TAG, 'Set');

/* ---- WeakMap and WeakSet ---------------------------------------------------
 * Each instance has its own private Symbol; a key object carries a hidden box
 * {present, value} under it, so the value lives exactly as long as the key
 * (true weak semantics without GC hooks). The box is fixed on the key but
 * stays mutable, so freezing a key after set() still lets set/delete work.
 * Keys that could not take a property when added go in a strong linear list. */

var WEAK = Symbol('srcfn.weak');

function WeakStore() {
  this.symbol = Symbol('srcfn.weakEntry');
  this.frozenKeys = [];
  this.frozenValues = [];
}

function weakBox(store, key) {
  var box = key[store.symbol];
  if (box !== undefined && hasOwn.call(key, store.symbol)) return box;
  var i = store.frozenKeys.indexOf(key);
  return i < 0 ? null : { present: true, value: store.frozenValues[i], frozenIndex: i };
}

function weakGet(store, key) {
  if (!isObject(key)) return undefined;
  var box = weakBox(store, key);
  return box !== null && box.present ? box.value : undefined;
}

function weakHas(store, key) {
  if (!isObject(key)) return false;
  var box = weakBox(store, key);
  return box !== null && box.present;
}

/* Hangs a box with the value on key; false when key refuses it (e.g. a Proxy). */
function addWeakBox(store, key, value) {
  var box = { present: true, value: value };
  try {
    Object.defineProperty(key, store.symbol, {
      value: box, writable: false, enumerable: false, configurable: false
    });
  } catch (err) {
    return false;
  }
  return key[store.symbol] === box;
}

function weakSet(store, key, value) {
  var box = weakBox(store, key);
  if (box !== null && box.frozenIndex !== undefined) {
    store.frozenValues[box.frozenIndex] = value;
  } else if (box !== null) {
    box.present = true;
    box.value = value;
  } else if (!canHoldProperty(key) || !addWeakBox(store, key, value)) {
    store.frozenKeys.push(key);
    store.frozenValues.push(value);
  }
}

function weakDelete(store, key) {
  if (!isObject(key)) return false;
  var box = weakBox(store, key);
  if (box === null || !box.present) return false;
  if (box.frozenIndex !== undefined) {
    store.frozenKeys.splice(box.frozenIndex, 1);
    store.frozenValues.splice(box.frozenIndex, 1);
  } else {
    box.present = false;
    box.value = undefined;
  }
  return true;
}

function weakState(obj, kind, method) {
  var state = obj == null ? undefined : obj[WEAK];
  if (state === undefined || state.owner !== obj || state.kind !== kind) {
    throw new TypeError('Method ' + kind + '.prototype.' + method +
      ' called on incompatible receiver ' + describeReceiver(obj));
  }
  return state.store;
}

function initWeak(obj, kind, ctor) {
  if (!(obj instanceof ctor) || hasOwn.call(obj, WEAK)) {
    throw new TypeError("Constructor " + kind + " requires 'new'");
  }
  Object.defineProperty(obj, WEAK, {
    value: { owner: obj, kind: kind, store: new WeakStore() },
    writable: false, enumerable: false, configurable: false
  });
}

function WeakMap(iterable) {
  initWeak(this, 'WeakMap', WeakMap);
  fillCollection(this, iterable, 'set', true);
}

polyfill(WeakMap.prototype, {
  get: function get(key) { return weakGet(weakState(this, 'WeakMap', 'get'), key); },
  has: function has(key) { return weakHas(weakState(this, 'WeakMap', 'has'), key); },
  set: function set(key, value) {
    var store = weakState(this, 'WeakMap', 'set');
    if (!isObject(key)) throw new TypeError('Invalid value used as weak map key');
    weakSet(store, key, value);
    return this;
  },
  'delete': function (key) { return weakDelete(weakState(this, 'WeakMap', 'delete'), key); }
});
nameFunction(WeakMap.prototype['delete'], 'delete');
defineConstant(WeakMap.prototype, TO_STRING_TAG, 'WeakMap');

function WeakSet(iterable) {
  initWeak(this, 'WeakSet', WeakSet);
  fillCollection(this, iterable, 'add', false);
}

polyfill(WeakSet.prototype, {
  has: function has(value) { return weakHas(weakState(this, 'WeakSet', 'has'), value); },
  add: function add(value) {
    var store = weakState(this, 'WeakSet', 'add');
    if (!isObject(value)) throw new TypeError('Invalid value used in weak set');
    weakSet(store, value, true);
    return this;
  },
  'delete': function (value) { return weakDelete(weakState(this, 'WeakSet', 'delete'), value); }
});
nameFunction(WeakSet.prototype['delete'], 'delete');
defineConstant(WeakSet.prototype, TO_STRING_TAG, 'WeakSet');

[Map, Set, WeakMap, WeakSet].forEach(function (C) { nameFunction(C, C.name, 0); });
if (typeof global.Map === 'undefined') defineGlobal('Map', Map);
if (typeof global.Set === 'undefined') defineGlobal('Set', Set);
if (typeof global.WeakMap === 'undefined') defineGlobal('WeakMap', WeakMap);
if (typeof global.WeakSet === 'undefined') defineGlobal('WeakSet', WeakSet);
