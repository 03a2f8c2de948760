/*
 * Tests of engine/js/runtime/20-promise.js: results and the exact order in
 * which callbacks run, which must match Node. Plain ES5; throws on the first
 * mismatch and prints nothing on success. Run it both ways, from /work/main:
 *   node tests/js/promise.test.js          (the reference: must pass on Node)
 *   { echo 'this.__native = {}; (function (global) {'; cat engine/js/runtime/*.js \
 *     tests/js/promise.test.js; echo '})(this);'; } > /tmp/t.js && /tmp/dk/proto /tmp/t.js
 * Through `srcfn run` (tests/e2e/js.sh) onRequest waits for every scenario.
 * Each scenario starts on an empty microtask queue: inside the runtime's scope
 * the test drains it with runMicrotasks(); elsewhere it waits with setTimeout.
 * The private API (runMicrotasks, promiseState, unhandledRejections, ...) is
 * tested only inside the runtime's scope.
 */

/* ---- checking ---------------------------------------------------------- */

function show(x) {
  if (x === undefined) return 'undefined';
  if (typeof x === 'string') return JSON.stringify(x);
  if (x instanceof Error) return x.name + '(' + x.message + ')';
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
    eq(e.message, message, what + ' message');
    return;
  }
  throw new Error(what + ': did not throw');
}

var PRIVATE = typeof runMicrotasks === 'function';

/* ---- scenarios: setup(log) runs, the queue drains, check(log) runs ------ */

var scenarios = [];

function scenario(name, setup, check) {
  scenarios.push({ name: name, setup: setup, check: check });
}

/* A check that the log is exactly `expected`. */
function logIs(expected) {
  return function (log) { return [log, expected]; };
}

function afterDrain(fn) {
  if (PRIVATE) {
    runMicrotasks();
    fn();
  } else {
    setTimeout(fn, 0);
  }
}

var allScenariosRan;
var finished = new Promise(function (resolve) { allScenariosRan = resolve; });

function runScenario(i) {
  if (i === scenarios.length) {
    allScenariosRan();
    return;
  }
  var s = scenarios[i];
  var log = [];
  s.setup(function (entry) { log.push(entry); });
  afterDrain(function () {
    var pair = s.check(log);
    if (pair) eq(pair[0], pair[1], s.name);
    runScenario(i + 1);
  });
}

/* ---- ordering ----------------------------------------------------------------- */

scenario('chains interleave FIFO', function (log) {
  Promise.resolve().then(function () { log('a1'); }).then(function () { log('a2'); }).then(function () { log('a3'); });
  Promise.resolve().then(function () { log('b1'); }).then(function () { log('b2'); });
  log('sync');
}, logIs(['sync', 'a1', 'b1', 'a2', 'b2', 'a3']));

scenario('then callbacks of one promise run in order', function (log) {
  var resolve;
  var p = new Promise(function (r) { resolve = r; });
  p.then(function (v) { log('x' + v); });
  p.then(function (v) { log('y' + v); });
  resolve(1);
  p.then(function (v) { log('z' + v); });
  log('sync');
}, logIs(['sync', 'x1', 'y1', 'z1']));

scenario('resolve(promise) takes two extra ticks', function (log) {
  new Promise(function (resolve) { resolve(Promise.resolve()); }).then(function () { log('A'); });
  Promise.resolve().then(function () { log(1); }).then(function () { log(2); }).then(function () { log(3); })
    .then(function () { log(4); });
}, logIs([1, 2, 'A', 3, 4]));

scenario('returning a promise from then takes two extra ticks', function (log) {
  Promise.resolve().then(function () { log('r'); return Promise.resolve('R'); }).then(function (v) { log(v); });
  Promise.resolve().then(function () { log(1); }).then(function () { log(2); }).then(function () { log(3); })
    .then(function () { log(4); }).then(function () { log(5); });
}, logIs(['r', 1, 2, 3, 'R', 4, 5]));

scenario('a foreign thenable is called one tick later', function (log) {
  var thenable = {
    then: function (resolve) { log('then called'); resolve('T'); }
  };
  Promise.resolve(thenable).then(function (v) { log(v); });
  Promise.resolve().then(function () { log(1); }).then(function () { log(2); }).then(function () { log(3); });
  log('sync');
}, logIs(['sync', 'then called', 1, 'T', 2, 3]));

scenario('Promise.resolve(p) is p; resolve with a fulfilled promise', function (log) {
  var p = Promise.resolve(1);
  ok(Promise.resolve(p) === p, 'Promise.resolve returns the same promise');
  ok(new Promise(function (r) { r(p); }) !== p, 'the constructor does not');
  Promise.resolve(p).then(function () { log('same'); });
  Promise.resolve().then(function () { log('other'); });
}, logIs(['same', 'other']));

scenario('finally passes values through and takes extra ticks', function (log) {
  Promise.resolve('v')['finally'](function () { log('f1'); return 'ignored'; }).then(function (v) { log('then ' + v); });
  Promise.reject(new Error('e'))['finally'](function () { log('f2'); })['catch'](function (e) { log('catch ' + e.message); });
  Promise.resolve('v')['finally'](function () { throw new Error('thrown'); })['catch'](function (e) { log('override ' + e.message); });
  Promise.resolve('v')['finally'](function () { return Promise.reject(new Error('rejected')); })
    ['catch'](function (e) { log('override ' + e.message); });
  Promise.resolve('w')['finally']().then(function (v) { log('no callback ' + v); });
  Promise.resolve().then(function () { log(1); }).then(function () { log(2); }).then(function () { log(3); })
    .then(function () { log(4); }).then(function () { log(5); }).then(function () { log(6); });
}, logIs(['f1', 'f2', 1, 'override thrown', 'no callback w', 2, 3, 'then v', 'catch e', 'override rejected', 4, 5, 6]));

scenario('queueMicrotask interleaves with reactions', function (log) {
  Promise.resolve().then(function () { log('p1'); queueMicrotask(function () { log('q2'); }); });
  queueMicrotask(function () { log('q1'); });
  Promise.resolve().then(function () { log('p2'); });
}, logIs(['p1', 'q1', 'p2', 'q2']));

scenario('Promise.all with chains running alongside', function (log) {
  Promise.all([1, Promise.resolve(2), { then: function (r) { r(3); } }]).then(function (v) { log(v); });
  Promise.resolve().then(function () { log(1); }).then(function () { log(2); }).then(function () { log(3); })
    .then(function () { log(4); });
}, logIs([1, 2, [1, 2, 3], 3, 4]));

scenario('race, allSettled, any timing', function (log) {
  Promise.race([new Promise(function () {}), Promise.resolve('fast')]).then(function (v) { log('race ' + v); });
  Promise.allSettled([Promise.reject('no'), 1]).then(function (v) { log(v); });
  Promise.any([Promise.reject('x'), Promise.resolve('y')]).then(function (v) { log('any ' + v); });
  Promise.resolve().then(function () { log(1); }).then(function () { log(2); }).then(function () { log(3); });
}, logIs([1, 'race fast', [{ status: 'rejected', reason: 'no' }, { status: 'fulfilled', value: 1 }], 'any y', 2, 3]));

scenario('rejection flows past then to catch', function (log) {
  Promise.reject('r').then(function () { log('not called'); }).then(null, function (e) { log('caught ' + e); return 'recovered'; })
    .then(function (v) { log(v); });
  new Promise(function () { throw new Error('executor'); })['catch'](function (e) { log(e.message); });
  Promise.resolve().then(function () { throw 'from handler'; })['catch'](function (e) { log(e); });
}, logIs(['executor', 'caught r', 'from handler', 'recovered']));

/* ---- results ----------------------------------------------------------------------- */

scenario('first settlement wins', function (log) {
  new Promise(function (resolve, reject) {
    resolve(1);
    reject(2);
    resolve(3);
    throw new Error('ignored');
  }).then(function (v) { log('fulfilled ' + v); }, function (e) { log('rejected ' + e); });
  new Promise(function (resolve) {
    resolve({ then: function (ok, fail) { ok('a'); fail('b'); ok('c'); throw new Error('late'); } });
  }).then(function (v) { log('thenable ' + v); });
}, logIs(['fulfilled 1', 'thenable a']));

scenario('thenables that throw', function (log) {
  var getterThrows = {};
  Object.defineProperty(getterThrows, 'then', { get: function () { throw new Error('getter'); } });
  Promise.resolve(getterThrows)['catch'](function (e) { log(e.message); });
  Promise.resolve({ then: function () { throw new Error('then'); } })['catch'](function (e) { log(e.message); });
  Promise.resolve({ then: 5 }).then(function (v) { log('plain ' + v.then); });
}, logIs(['getter', 'plain 5', 'then']));

scenario('chaining cycle', function (log) {
  var p = Promise.resolve().then(function () { return p; });
  p['catch'](function (e) { log(e instanceof TypeError); log(e.message); });
}, logIs([true, 'Chaining cycle detected for promise #<Promise>']));

scenario('non-function handlers are ignored', function (log) {
  Promise.resolve(7).then(5, 'x').then(function (v) { log(v); });
  Promise.reject(8).then(null, {})['catch'](function (e) { log(e); });
}, logIs([7, 8]));

scenario('all and allSettled results, iterables', function (log) {
  Promise.all([]).then(function (v) { log(['empty', v]); });
  Promise.all('ab').then(function (v) { log(v); });
  Promise.all(new Set([1, 2])).then(function (v) { log(v); });
  Promise.all([Promise.resolve(1), Promise.reject('bad'), Promise.reject('worse')])
    ['catch'](function (e) { log('all rejected ' + e); });
  Promise.all(5)['catch'](function (e) { log(e.constructor.name + ': ' + e.message); });
  Promise.allSettled([]).then(function (v) { log(['settled empty', v]); });
}, logIs([['empty', []], 'TypeError: number 5 is not iterable (cannot read property Symbol(Symbol.iterator))',
  ['settled empty', []], ['a', 'b'], [1, 2], 'all rejected bad']));

scenario('race and any results', function (log) {
  Promise.race([Promise.reject('first'), Promise.resolve('second')])['catch'](function (e) { log('race ' + e); });
  Promise.any([Promise.reject('e1'), Promise.reject('e2')])['catch'](function (e) {
    log([e instanceof AggregateError, e instanceof Error, e.name, e.message, e.errors]);
  });
  Promise.any([])['catch'](function (e) { log(['empty any', e.errors]); });
  Promise.race([]).then(function () { log('never'); });
}, logIs([['empty any', []], 'race first', [true, true, 'AggregateError', 'All promises were rejected', ['e1', 'e2']]]));

scenario('iteration stops at a throwing iterator', function (log) {
  var iterable = {};
  iterable[Symbol.iterator] = function () {
    var n = 0;
    return {
      next: function () {
        if (n++ === 1) throw new Error('next failed');
        return { value: n, done: false };
      }
    };
  };
  Promise.all(iterable)['catch'](function (e) { log(e.message); });
}, logIs(['next failed']));

/* ---- API surface ------------------------------------------------------------------------ */

scenario('objects and errors', function (log) {
  var p = Promise.resolve({ a: 1 });
  eq(JSON.stringify(p), '{}', 'JSON of a promise');
  eq(Object.keys(p), [], 'no enumerable state');
  eq(Object.getOwnPropertyNames(p), [], 'no named state');
  eq(Object.getOwnPropertySymbols(p).length, 0, 'no symbol state either, as in Node');
  eq(Object.prototype.toString.call(p), '[object Promise]', 'toStringTag');
  ok(p instanceof Promise, 'instanceof');
  ok(!(Object.create(p) instanceof Error), 'sanity');
  throwsType(function () { Promise(function () {}); }, "Promise constructor cannot be invoked without 'new'", 'Promise()');
  throwsType(function () { return new Promise(5); }, 'Promise resolver 5 is not a function', 'resolver 5');
  throwsType(function () { return new Promise(); }, 'Promise resolver undefined is not a function', 'no resolver');
  throwsType(function () { Promise.prototype.then.call({}, 1); },
    'Method Promise.prototype.then called on incompatible receiver #<Object>', 'then receiver');
  throwsType(function () { Promise.prototype.then.call(Object.create(p)); },
    'Method Promise.prototype.then called on incompatible receiver #<Promise>', 'inheriting from a promise');
  throwsType(function () { Promise.resolve.call(5, 1); }, 'PromiseResolve called on non-object', 'resolve receiver');
  throwsType(function () { queueMicrotask(5); },
    'The "callback" argument must be of type function. Received type number (5)', 'queueMicrotask');
  var agg = new AggregateError(new Set([1, 2]), 'msg', { cause: 'why' });
  eq([agg.name, agg.message, agg.errors, agg.cause, String(agg)], ['AggregateError', 'msg', [1, 2], 'why', 'AggregateError: msg'], 'AggregateError');
  eq(Object.keys(agg), [], 'AggregateError props hidden');
  eq(AggregateError([]).message, '', 'AggregateError without new');
  ok(Object.getPrototypeOf(AggregateError.prototype) === Error.prototype, 'AggregateError inherits from Error');
  eq([Promise.length, AggregateError.length, Promise.prototype.then.name, Promise.prototype['catch'].name,
    Promise.prototype['finally'].name], [1, 2, 'then', 'catch', 'finally'], 'names and lengths');
  eq([Promise.all.name, Promise.allSettled.name, Promise.any.name, Promise.race.name],
    ['all', 'allSettled', 'any', 'race'], 'combinator names');
  log('done');
}, logIs(['done']));

/* ---- private API (inside the runtime only) ------------------------------------------------ */

if (PRIVATE) {
  scenario('promiseState and promiseValue', function (log) {
    var resolve;
    var pending = new Promise(function (r) { resolve = r; });
    var rejected = Promise.reject('why');
    rejected['catch'](function () {});
    eq([promiseState(pending), promiseValue(pending)], ['pending', undefined], 'pending');
    eq([promiseState(rejected), promiseValue(rejected)], ['rejected', 'why'], 'rejected');
    resolve(Promise.resolve(42));
    eq(promiseState(pending), 'pending', 'still pending while following');
    log(pending);
  }, function (log) {
    eq([promiseState(log[0]), promiseValue(log[0])], ['fulfilled', 42], 'fulfilled after the drain');
  });

  scenario('enqueueMicrotask and uncaughtJobErrors', function (log) {
    uncaughtJobErrors.length = 0;
    enqueueMicrotask(function () {
      log(1);
      enqueueMicrotask(function () { log(3); });
      throw new Error('job failed');
    });
    enqueueMicrotask(function () { log(2); });
  }, function (log) {
    eq(log, [1, 2, 3], 'jobs enqueued while draining run in the same drain');
    eq(uncaughtJobErrors.length, 1, 'the throwing job was recorded');
    eq(uncaughtJobErrors[0].message, 'job failed', 'its error');
    uncaughtJobErrors.length = 0;
  });

  var late;
  scenario('unhandled rejections are recorded at the end of a drain', function (log) {
    unhandledRejections.length = 0;
    Promise.reject('lonely');
    late = Promise.reject('late');
    var handledInTime = Promise.reject('in time');
    Promise.resolve().then(function () { handledInTime['catch'](function () {}); });
    Promise.resolve().then(function () { throw 'from then'; });
    Promise.reject('chained').then(function () {});
    log('set up');
  }, function () {
    eq(unhandledRejections, ['lonely', 'late', 'from then', 'chained'], 'reported');
    late['catch'](function () {});
    eq(unhandledRejections, ['lonely', 'from then', 'chained'], 'a late handler removes it');
    unhandledRejections.length = 0;
  });

  scenario('a long drain', function (log) {
    var p = Promise.resolve(0);
    for (var i = 0; i < 5000; i++) p = p.then(function (v) { return v + 1; });
    p.then(function (v) { log(v); });
  }, function (log) {
    eq(log, [5000], 'long chain');
    eq([microtasks.length, microtaskHead], [0, 0], 'queue emptied');
  });
}

runScenario(0);

/* For `srcfn run`: the run ends when the last scenario has passed (a failing
 * check throws from its timer, which fails the run). */
function onRequest() {
  return finished;
}
