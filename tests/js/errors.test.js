/*
 * Tests of engine/js/runtime/30-errors.js: Error and its native subclasses
 * wrapped so that lowered `class X extends Error` works, stacks, and the
 * contract's error classes. Plain ES5; throws on the first mismatch and prints
 * nothing on success. Run it both ways, from /work/main:
 *   node tests/js/errors.test.js           (the reference: must pass on Node)
 *   { echo 'this.__native = {}; (function (global) {'; cat engine/js/runtime/*.js \
 *     tests/js/errors.test.js; echo '})(this);'; } > /tmp/t.js && /tmp/dk/proto /tmp/t.js
 * `srcfn run` (tests/e2e/js.sh) runs it as the code of a function.
 * What Node does differently by design (an ES5 `Error.call(this)` leaves
 * `this` untouched there, while srcfn must support the lowered classes) is
 * checked only outside Node.
 */

function eq(actual, expected, what) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(what + ': got ' + JSON.stringify(actual) + ', expected ' + JSON.stringify(expected));
  }
}

function ok(cond, what) {
  if (!cond) throw new Error(what);
}

var NODE = typeof process === 'object' && typeof require === 'function' && typeof Duktape === 'undefined';
var PRIVATE = typeof errorType === 'function';

(function natives() {
  var e = new Error('m');
  ok(e instanceof Error, 'instanceof');
  eq([e.message, e.name, String(e)], ['m', 'Error', 'Error: m'], 'fields');
  ok(/^Error: m\n {4}at /.test(e.stack), 'stack: ' + e.stack);
  eq(Object.keys(e), [], 'no enumerable keys');
  eq(JSON.stringify(e), '{}', 'JSON');
  var f = Error('called');
  ok(f instanceof Error && f.message === 'called', 'Error() without new');
  eq(new Error().message, '', 'no message');
  ok(!Object.prototype.hasOwnProperty.call(new Error(undefined), 'message'), 'undefined message is not set');
  eq(new Error(null).message, 'null', 'null message');
  var cause = { why: 1 }, withCause = new Error('x', { cause: cause });
  ok(withCause.cause === cause, 'cause');
  eq(Object.keys(withCause), [], 'cause is not enumerable');
  ok(!('cause' in new Error('x', {})), 'no cause');

  [TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError].forEach(function (C) {
    var x = new C('y');
    ok(x instanceof C && x instanceof Error, C.name + ' instanceof');
    eq([x.name, x.message, C.length], [C.name, 'y', 1], C.name + ' fields');
    ok(C.prototype.constructor === C, C.name + ' prototype.constructor');
    ok(Object.getPrototypeOf(C) === Error, C.name + ' inherits Error statics');
    ok(Object.getPrototypeOf(C.prototype) === Error.prototype, C.name + ' prototype chain');
    ok(C('z') instanceof C, C.name + ' without new');
  });
  ok(Error.prototype.constructor === Error, 'Error.prototype.constructor');
  eq([Error.name, Error.length], ['Error', 1], 'Error name and length');

  var thrown;
  try { null.x; } catch (err) { thrown = err; }
  ok(thrown instanceof TypeError && thrown instanceof Error, 'engine errors are instances');
  ok(thrown.constructor === TypeError, 'engine error constructor');
  try { JSON.parse('{'); } catch (err) { thrown = err; }
  ok(thrown instanceof SyntaxError, 'JSON.parse error is a SyntaxError');

  var s = new Error('m');
  s.stack = 'custom';
  eq(s.stack, 'custom', 'stack can be set');
  eq(typeof Error.stackTraceLimit, 'number', 'stackTraceLimit');
  var o = {};
  Error.captureStackTrace(o);
  ok(/^Error\n {4}at /.test(o.stack), 'captureStackTrace: ' + o.stack);
  eq(Object.keys(o), [], 'captured stack is not enumerable');
  var named = { name: 'Custom', message: 'msg' };
  Error.captureStackTrace(named);
  ok(named.stack.indexOf('Custom: msg\n') === 0, 'captureStackTrace header: ' + named.stack);
})();

/* What the lowering makes of `class MyError extends Error { constructor(m) { super(m); this.name = 'MyError' } }`. */
var MyError = (function (Error) {
  function MyError(m) {
    Error.call(this, m);
    this.name = 'MyError';
  }
  if (Error) MyError.__proto__ = Error;
  MyError.prototype = Object.create(Error && Error.prototype);
  MyError.prototype.constructor = MyError;
  return MyError;
}(Error));

/* …and of `class Deeper extends MyError {}` (no constructor). */
var Deeper = (function (MyError) {
  function Deeper() {
    MyError.apply(this, arguments);
  }
  if (MyError) Deeper.__proto__ = MyError;
  Deeper.prototype = Object.create(MyError && MyError.prototype);
  Deeper.prototype.constructor = Deeper;
  return Deeper;
}(MyError));

if (!NODE) {
  (function lowered() {
    function makeIt() { return new MyError('boom'); }
    var e = makeIt();
    ok(e instanceof MyError && e instanceof Error, 'instanceof');
    eq([e.message, e.name, String(e)], ['boom', 'MyError', 'MyError: boom'], 'fields');
    ok(/^MyError: boom\n {4}at /.test(e.stack), 'stack header follows the name: ' + e.stack);
    eq(Object.keys(e), ['name'], 'only the name is enumerable');
    eq(JSON.stringify(e), '{"name":"MyError"}', 'JSON');
    var d = new Deeper('deep');
    ok(d instanceof Deeper && d instanceof MyError && d instanceof Error, 'deeper instanceof');
    eq([d.message, d.name], ['deep', 'MyError'], 'deeper fields');
    ok(MyError.captureStackTrace === Error.captureStackTrace, 'statics are inherited');
    var bare = new (function () {
      function Bare() { TypeError.call(this); }
      Bare.prototype = Object.create(TypeError.prototype);
      Bare.prototype.constructor = Bare;
      return Bare;
    }())();
    eq([bare.message, bare.name, bare instanceof TypeError], ['', 'TypeError', true], 'TypeError subclass without a message');
    if (typeof Duktape === 'object') {
      /* The first frame is the caller, not the wrapper nor the constructors. */
      ok(/^MyError: boom\n {4}at makeIt \(/.test(e.stack), 'first frame: ' + e.stack);
      function thrower() { return new TypeError('t'); }
      ok(/^TypeError: t\n {4}at thrower \(/.test(thrower().stack), 'native first frame: ' + thrower().stack);
      /* (not `return Error('x')`: Duktape would make that a tail call and drop thrower2's frame) */
      ok(/^Error: x\n {4}at thrower2 \(/.test((function thrower2() { var x = Error('x'); return x; })().stack), 'Error() first frame');
    }
  })();

  (function contractClasses() {
    [['ValidationError', 'Message Rejected'], ['InvalidEventPayload', 'Message Rejected'],
     ['EventNotSupported', 'Unsupported Event Type'], ['RetryError', 'Retry']].forEach(function (row) {
      var C = { ValidationError: ValidationError, InvalidEventPayload: InvalidEventPayload,
        EventNotSupported: EventNotSupported, RetryError: RetryError }[row[0]];
      var e = new C('why');
      ok(e instanceof C && e instanceof Error, row[0] + ' instanceof');
      eq([e.name, e.message, String(e), C.name], [row[0], 'why', row[0] + ': why', row[0]], row[0] + ' fields');
      ok(e.stack.indexOf(row[0] + ': why\n    at ') === 0, row[0] + ' stack: ' + e.stack);
      eq(Object.keys(e), ['name'], row[0] + ' keys');
      if (PRIVATE) eq(errorType(e), row[1], row[0] + ' type');
    });
  })();
}

if (PRIVATE) {
  (function types() {
    eq(errorType(new Error('x')), 'Bad Request', 'Error');
    eq(errorType(new TypeError('x')), 'Bad Request', 'TypeError');
    eq(errorType(new MyError('x')), 'Bad Request', 'a user class');
    eq(errorType({ name: 'RetryError', message: 'm' }), 'Retry', 'by name');
    eq(errorType(new (function () {
      function ValidationError(m) { Error.call(this, m); this.name = 'ValidationError'; }
      ValidationError.prototype = Object.create(Error.prototype);
      ValidationError.prototype.constructor = ValidationError;
      return ValidationError;
    }())('x')), 'Message Rejected', 'a user class of the same name');
    var Sub = function (m) { RetryError.call(this, m); };
    Sub.prototype = Object.create(RetryError.prototype);
    Sub.prototype.constructor = Sub;
    eq(errorType(new Sub('x')), 'Retry', 'a subclass of RetryError');
    eq(errorType('a string'), 'Bad Request', 'a string');
    eq(errorType(undefined), 'Bad Request', 'undefined');
    eq(errorType(null), 'Bad Request', 'null');
  })();
}

// Stack traces name the user's own lines, not the lowered code's, and hide
// srcfn's runtime frames. (Lines below are this file's own.)
async function stackLineCheck() {
  const { a = 1 } = {};
  await null;
  throw new RangeError(`line check ${a}`);
}
async function onRequest() {
  let stack = '';
  try { await stackLineCheck(); } catch (e) { stack = e.stack; }
  const frame = /\(errors\.test\.js:(\d+)\)/.exec(stack);
  if (!frame) throw new Error('no user frame in ' + stack);
  if (/srcfn:runtime/.test(stack)) throw new Error('runtime frames shown: ' + stack);
  if (Number(frame[1]) !== thrownLineOf()) throw new Error(`stack names line ${frame[1]}, want ${thrownLineOf()}: ${stack}`);
}
function thrownLineOf() {
  return 172;
}

// Errors Duktape throws itself carry the messages Node.js gives them.
function nodeMessages() {
  const caught = f => { try { f(); } catch (e) { return `${e.name}: ${e.message}|${String(e.stack).split('\n')[0]}`; } return 'no error'; };
  const none = undefined, nil = null, obj = {};
  const want = [
    ["TypeError: Cannot read properties of undefined (reading 'x')", () => none.x],
    ["TypeError: Cannot read properties of null (reading 'y')", () => nil.y],
    ["TypeError: Cannot set properties of undefined (setting 'x')", () => { none.x = 1; }],
    ['TypeError: f is not a function', () => obj.f()],
    ['ReferenceError: notDeclaredAnywhere is not defined', () => notDeclaredAnywhere]
  ];
  for (const [text, f] of want) {
    const got = caught(f);
    if (got !== `${text}|${text}`) throw new Error(`want ${text} (also heading the stack), got ${got}`);
  }
  const cycle = {};
  cycle.self = cycle;
  const circular = caught(() => JSON.stringify(cycle));   /* V8 adds lines naming the objects */
  if (!circular.startsWith('TypeError: Converting circular structure to JSON')) throw new Error(`a cycle: got ${circular}`);
}
const onRequestBeforeMessages = onRequest;
onRequest = async function () { await onRequestBeforeMessages(); nodeMessages(); };
