/*
 * Promise (ES2015 to ES2021) and the microtask queue it runs on: Duktape has
 * neither. The algorithms follow the spec's steps, so the order in which
 * callbacks run matches V8/Node: reactions run as FIFO microtasks, resolving
 * with a thenable costs a NewPromiseResolveThenableJob (two extra ticks for a
 * native promise), Promise.resolve(p) returns p itself.
 *
 * Invariants:
 * - A promise's state lives in one record under a hidden symbol (Duktape's:
 *   no enumeration, getOwnPropertySymbols or user code sees it), so
 *   JSON.stringify(promise) is "{}" and a promise has no own keys. The brand check is
 *   that the record is the object's own property (an object inheriting from a
 *   promise is not one).
 * - Nothing a promise holds refers back to it: no record.promise, resolving
 *   functions without a prototype (method definitions, which Duktape makes
 *   without one). So a promise that is done with is freed by reference
 *   counting at once, not left for a full garbage collection; a run makes
 *   several and its request body must not wait for a collection either.
 * - Jobs are queued flat, four slots each: fn, a, b, c; running one calls
 *   fn(a, b, c). No closure per job.
 * - A rejected promise with no handler at the end of a drain has its reason
 *   in unhandledRejections (Node's 'unhandledRejection'); attaching a handler
 *   later takes it out again.
 *
 * Private API for the other runtime files: enqueueMicrotask, runMicrotasks,
 * promiseState, promiseValue, uncaughtJobErrors, unhandledRejections.
 * Subclassing (species, NewPromiseCapability(C)) is not supported.
 */

/* ---- the microtask queue -------------------------------------------------- */

var microtasks = [];
var microtaskHead = 0;
var drainingMicrotasks = false;
var uncaughtJobErrors = [];     /* errors thrown by jobs: runtime bugs, or queueMicrotask callbacks */
var unhandledRejections = [];   /* reasons of rejected promises nobody handled */
var pendingRejections = [];     /* records rejected without a handler since the last drain ended */

function enqueueJob(fn, a, b, c) {
  microtasks.push(fn, a, b, c);
}

function enqueueMicrotask(fn) {
  microtasks.push(fn, undefined, undefined, undefined);
}

/* Runs jobs until the queue is empty, then records unhandled rejections. Not re-entrant. */
function runMicrotasks() {
  if (drainingMicrotasks) return;
  drainingMicrotasks = true;
  try {
    if (microtaskHead < microtasks.length) {
      while (microtaskHead < microtasks.length) runNextJob();
      microtasks = [];
      microtaskHead = 0;
    }
    collectUnhandledRejections();
  } finally {
    drainingMicrotasks = false;
  }
}

function runNextJob() {
  var i = microtaskHead;
  var fn = microtasks[i], a = microtasks[i + 1], b = microtasks[i + 2], c = microtasks[i + 3];
  microtasks[i] = microtasks[i + 1] = microtasks[i + 2] = microtasks[i + 3] = undefined;
  microtaskHead = i + 4;
  if (microtaskHead > 4096 && microtaskHead * 2 > microtasks.length) {
    microtasks = microtasks.slice(microtaskHead);   /* drop the run part of a long drain */
    microtaskHead = 0;
  }
  try {
    fn(a, b, c);
  } catch (err) {
    uncaughtJobErrors.push(err);
  }
}

function callMicrotask(callback) {
  callback();
}

/* How Node's ERR_INVALID_ARG_TYPE messages name the value received. */
function describeReceived(value) {
  if (value == null) return 'Received ' + value;
  if (typeof value === 'function') return 'Received function ' + (value.name || '<anonymous>');
  if (typeof value === 'object') {
    var ctor = value.constructor;
    return 'Received an instance of ' + (typeof ctor === 'function' && ctor.name ? ctor.name : 'Object');
  }
  var shown = typeof value === 'string' ? "'" + value + "'" : String(value);
  return 'Received type ' + typeof value + ' (' + shown + ')';
}

function queueMicrotask(callback) {
  if (!isCallable(callback)) {
    var err = new TypeError('The "callback" argument must be of type function. ' + describeReceived(callback));
    err.code = 'ERR_INVALID_ARG_TYPE';
    throw err;
  }
  enqueueJob(callMicrotask, callback);
}

/* ---- promise records ------------------------------------------------------ */

var PROMISE = native.promiseKey;   /* a hidden symbol: no code outside the runtime sees it */
var PENDING = 0, FULFILLED = 1, REJECTED = 2;
var STATE_NAMES = ['pending', 'fulfilled', 'rejected'];

function initPromise(promise) {
  promise[PROMISE] = {
    state: PENDING,
    value: undefined,
    reactions: null,   /* flat: derived promise, onFulfilled, onRejected, ... */
    handled: false,    /* a then() has been attached */
    reported: false    /* its reason is in unhandledRejections */
  };
  return promise;
}

function newPromise() {
  return initPromise(Object.create(Promise.prototype));
}

/* The record of a promise, or undefined for anything else. */
function recordOf(value) {
  var record = value == null ? undefined : value[PROMISE];
  return record !== undefined && hasOwn.call(value, PROMISE) ? record : undefined;
}

function isPromise(value) {
  return recordOf(value) !== undefined;
}

function requireRecord(value, method) {
  var record = recordOf(value);
  if (record === undefined) {
    throw new TypeError('Method ' + method + ' called on incompatible receiver ' + describeReceiver(value));
  }
  return record;
}

/* 'pending' | 'fulfilled' | 'rejected', for the driver. */
function promiseState(promise) {
  return STATE_NAMES[requireRecord(promise, 'promiseState').state];
}

/* The value or reason of a settled promise (undefined while pending). */
function promiseValue(promise) {
  return requireRecord(promise, 'promiseValue').value;
}

/* ---- settling --------------------------------------------------------------- */

/* The spec's promise resolve functions: the first call of either wins.
 * Written as methods so that they have no prototype (see the top); the ''
 * keys leave them nameless, as V8's are. */
function resolvingFunctions(promise) {
  var alreadyResolved = false;
  return {
    resolve: ({ ''(resolution) {
      if (alreadyResolved) return;
      alreadyResolved = true;
      resolvePromise(promise, resolution);
    } })[''],
    reject: ({ ''(reason) {
      if (alreadyResolved) return;
      alreadyResolved = true;
      rejectPromise(promise, reason);
    } })['']
  };
}

/* Resolves with a value: fulfils, or follows a thenable one job later. */
function resolvePromise(promise, resolution) {
  if (resolution === promise) {
    rejectPromise(promise, new TypeError('Chaining cycle detected for promise #<Promise>'));
    return;
  }
  if (!isObject(resolution)) {
    settlePromise(promise, FULFILLED, resolution);
    return;
  }
  var then;
  try {
    then = resolution.then;
  } catch (err) {
    rejectPromise(promise, err);
    return;
  }
  if (!isCallable(then)) {
    settlePromise(promise, FULFILLED, resolution);
    return;
  }
  enqueueJob(resolveThenableJob, promise, resolution, then);
}

function rejectPromise(promise, reason) {
  settlePromise(promise, REJECTED, reason);
}

/* NewPromiseResolveThenableJob. When the thenable is one of our promises
 * with the built-in then, the reactions go straight to `promise`, as V8 does:
 * same jobs, same order, without the two resolving closures. */
function resolveThenableJob(promise, thenable, then) {
  var record = then === promiseThen ? recordOf(thenable) : undefined;
  if (record !== undefined) {
    performThen(record, undefined, undefined, promise);
    return;
  }
  var resolving = resolvingFunctions(promise);
  try {
    then.call(thenable, resolving.resolve, resolving.reject);
  } catch (err) {
    resolving.reject(err);
  }
}

function settlePromise(promise, state, value) {
  var record = promise[PROMISE];
  var reactions = record.reactions;
  record.state = state;
  record.value = value;
  record.reactions = null;
  if (state === REJECTED && !record.handled) pendingRejections.push(record);
  if (reactions === null) return;
  for (var i = 0; i < reactions.length; i += 3) {
    scheduleReaction(record, reactions[i], reactions[i + 1], reactions[i + 2]);
  }
}

function scheduleReaction(record, derived, onFulfilled, onRejected) {
  if (record.state === FULFILLED) enqueueJob(fulfilledReactionJob, derived, onFulfilled, record.value);
  else enqueueJob(rejectedReactionJob, derived, onRejected, record.value);
}

/* PromiseReactionJob, fulfilled side: an absent handler passes the value on. */
function fulfilledReactionJob(derived, handler, value) {
  if (handler === undefined) resolvePromise(derived, value);
  else runHandler(derived, handler, value);
}

/* PromiseReactionJob, rejected side: an absent handler passes the reason on. */
function rejectedReactionJob(derived, handler, reason) {
  if (handler === undefined) rejectPromise(derived, reason);
  else runHandler(derived, handler, reason);
}

function runHandler(derived, handler, argument) {
  var result;
  try {
    result = handler(argument);
  } catch (err) {
    rejectPromise(derived, err);
    return;
  }
  resolvePromise(derived, result);
}

/* PerformPromiseThen with a fresh derived promise. */
function performThen(record, onFulfilled, onRejected, derived) {
  if (!isCallable(onFulfilled)) onFulfilled = undefined;
  if (!isCallable(onRejected)) onRejected = undefined;
  if (record.state === PENDING) {
    if (record.reactions === null) record.reactions = [];
    record.reactions.push(derived, onFulfilled, onRejected);
  } else {
    if (record.state === REJECTED && record.reported) forgetReportedRejection(record);
    scheduleReaction(record, derived, onFulfilled, onRejected);
  }
  record.handled = true;
  return derived;
}

/* ---- unhandled rejections ---------------------------------------------------- */

function collectUnhandledRejections() {
  if (!pendingRejections.length) return;
  var records = pendingRejections;
  pendingRejections = [];
  for (var i = 0; i < records.length; i++) {
    if (records[i].handled) continue;
    records[i].reported = true;
    unhandledRejections.push(records[i].value);
  }
}

/* A handler came late (Node's 'rejectionHandled'): one entry with this reason goes. */
function forgetReportedRejection(record) {
  record.reported = false;
  for (var i = 0; i < unhandledRejections.length; i++) {
    var reason = unhandledRejections[i];
    if (reason === record.value || (reason !== reason && record.value !== record.value)) {
      unhandledRejections.splice(i, 1);
      return;
    }
  }
}

/* ---- Promise ---------------------------------------------------------------------- */

function Promise(executor) {
  if (!(this instanceof Promise) || hasOwn.call(this, PROMISE)) {
    throw new TypeError("Promise constructor cannot be invoked without 'new'");
  }
  if (!isCallable(executor)) {
    throw new TypeError('Promise resolver ' + describeReceiver(executor) + ' is not a function');
  }
  initPromise(this);
  var resolving = resolvingFunctions(this);
  try {
    executor(resolving.resolve, resolving.reject);
  } catch (err) {
    resolving.reject(err);
  }
}

/* PromiseResolve(%Promise%, value). */
function promiseResolve(value) {
  if (isPromise(value) && value.constructor === Promise) return value;
  var promise = newPromise();
  resolvePromise(promise, value);
  return promise;
}

function requireConstructorThis(value, method) {
  if (!isObject(value)) throw new TypeError(method + ' called on non-object');
}

function promiseThen(onFulfilled, onRejected) {
  var record = requireRecord(this, 'Promise.prototype.then');
  return performThen(record, onFulfilled, onRejected, newPromise());
}

polyfill(Promise.prototype, {
  then: promiseThen,
  'catch': function (onRejected) {
    return this.then(undefined, onRejected);
  },
  'finally': function (onFinally) {
    if (!isObject(this)) {
      throw new TypeError('Method Promise.prototype.finally called on incompatible receiver ' +
        describeReceiver(this));
    }
    if (!isCallable(onFinally)) return this.then(onFinally, onFinally);
    return this.then(function (value) {
      return promiseResolve(onFinally()).then(function () { return value; });
    }, function (reason) {
      return promiseResolve(onFinally()).then(function () { throw reason; });
    });
  }
});
nameFunction(promiseThen, 'then');
nameFunction(Promise.prototype['catch'], 'catch');
nameFunction(Promise.prototype['finally'], 'finally');
defineConstant(Promise.prototype, TO_STRING_TAG, 'Promise');

/*
 * The combinators share one shape (the spec's PerformPromiseAll and kin):
 * iterate, pass each item through C.resolve, attach handlers with .then,
 * and settle the result when the last one reports. Errors thrown while
 * iterating reject the result instead of escaping.
 */
function combinePromises(C, iterable, method, attach, finish) {
  requireConstructorThis(C, method);
  var result = newPromise();
  var resolving = resolvingFunctions(result);
  var remaining = 1;
  var index = 0;
  function settledOne() {
    if (--remaining === 0) finish(resolving);
  }
  try {
    var resolve = C.resolve;
    if (!isCallable(resolve)) throw new TypeError('Promise resolve or reject function is not callable');
    forEachIterated(iterable, function (item) {
      remaining++;
      attach(resolve.call(C, item), index++, resolving, settledOne);
    });
    settledOne();
  } catch (err) {
    resolving.reject(err);
  }
  return result;
}

/* A function that runs fn(value) only the first time it is called. */
function callOnce(fn) {
  var called = false;
  return function (value) {
    if (called) return;
    called = true;
    fn(value);
  };
}

function promiseAll(iterable) {
  'use strict'; /* a primitive `this` must stay unboxed to be refused */
  var values = [];
  return combinePromises(this, iterable, 'Promise.all', function (next, i, resolving, settledOne) {
    values[i] = undefined;
    next.then(callOnce(function (value) {
      values[i] = value;
      settledOne();
    }), resolving.reject);
  }, function (resolving) {
    resolving.resolve(values);
  });
}

function promiseAllSettled(iterable) {
  'use strict'; /* a primitive `this` must stay unboxed to be refused */
  var results = [];
  return combinePromises(this, iterable, 'Promise.allSettled', function (next, i, resolving, settledOne) {
    results[i] = undefined;
    var report = callOnce(function (outcome) {
      results[i] = outcome;
      settledOne();
    });
    next.then(function (value) {
      report({ status: 'fulfilled', value: value });
    }, function (reason) {
      report({ status: 'rejected', reason: reason });
    });
  }, function (resolving) {
    resolving.resolve(results);
  });
}

function promiseAny(iterable) {
  'use strict'; /* a primitive `this` must stay unboxed to be refused */
  var errors = [];
  return combinePromises(this, iterable, 'Promise.any', function (next, i, resolving, settledOne) {
    errors[i] = undefined;
    next.then(resolving.resolve, callOnce(function (reason) {
      errors[i] = reason;
      settledOne();
    }));
  }, function (resolving) {
    resolving.reject(new AggregateError(errors, 'All promises were rejected'));
  });
}

function promiseRace(iterable) {
  'use strict'; /* a primitive `this` must stay unboxed to be refused */
  return combinePromises(this, iterable, 'Promise.race', function (next, i, resolving) {
    next.then(resolving.resolve, resolving.reject);
  }, function () { /* a race never settles by counting */ });
}

polyfill(Promise, {
  resolve: function resolve(value) {
    'use strict'; /* a primitive `this` must stay unboxed to be refused */
    requireConstructorThis(this, 'PromiseResolve');
    return promiseResolve(value);
  },
  reject: function reject(reason) {
    'use strict'; /* a primitive `this` must stay unboxed to be refused */
    requireConstructorThis(this, 'PromiseReject');
    var promise = newPromise();
    rejectPromise(promise, reason);
    return promise;
  },
  all: nameFunction(promiseAll, 'all'),
  allSettled: nameFunction(promiseAllSettled, 'allSettled'),
  any: nameFunction(promiseAny, 'any'),
  race: nameFunction(promiseRace, 'race')
});

/* ---- AggregateError ----------------------------------------------------------- */

function hideProperty(target, key, value) {
  Object.defineProperty(target, key, {
    value: value, writable: true, enumerable: false, configurable: true
  });
}

function AggregateError(errors, message, options) {
  if (!(this instanceof AggregateError)) return new AggregateError(errors, message, options);
  if (message !== undefined) hideProperty(this, 'message', String(message));
  if (isObject(options) && 'cause' in options) hideProperty(this, 'cause', options.cause);
  hideProperty(this, 'errors', iterableToArray(errors));
}
AggregateError.prototype = Object.create(Error.prototype);
hideProperty(AggregateError.prototype, 'constructor', AggregateError);
hideProperty(AggregateError.prototype, 'name', 'AggregateError');
hideProperty(AggregateError.prototype, 'message', '');
Object.setPrototypeOf(AggregateError, Error);
nameFunction(AggregateError, 'AggregateError', 2);

if (typeof global.Promise === 'undefined') defineGlobal('Promise', Promise);
if (typeof global.AggregateError === 'undefined') defineGlobal('AggregateError', AggregateError);
if (typeof global.queueMicrotask === 'undefined') defineGlobal('queueMicrotask', queueMicrotask);
