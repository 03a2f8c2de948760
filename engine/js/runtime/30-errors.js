/*
 * Errors.
 *
 * 1. Subclassing Error. User code written as
 *      class MyError extends Error { constructor(m) { super(m); this.name = 'MyError' } }
 *    is lowered to `function MyError(m) { Error.call(this, m); … }` with
 *    MyError.prototype = Object.create(Error.prototype). Duktape's Error, like
 *    V8's, ignores `this` when called as a function and returns a new error, so
 *    the instance would have no message and no stack. The global Error and its
 *    native subclasses are therefore replaced by wrappers that share the native
 *    prototypes (errors Duktape throws itself stay `instanceof Error`) and that,
 *    when called on a `this` whose constructor is a subclass (the lowered
 *    super() call), initialise `this` as V8 would: an own `message` (not
 *    enumerable), an own `cause` when the options carry one, and a stack. Any
 *    other call behaves as the native constructor: `new Error(m)` and `Error(m)`
 *    both create an error.
 *
 * 2. Stacks. An error made through a wrapper would name the wrapper (and the
 *    subclass constructors) as its first frames and blame the wrapper's line.
 *    Such errors carry a hidden record (ERROR_INFO) saying which native error
 *    holds the trace and how many frames to hide; Error.prototype's `stack`,
 *    `lineNumber` and `fileName` accessors consult it and otherwise defer to
 *    Duktape's own. As in V8, the stack text is composed on first read (so a
 *    `this.name = …` after super() shows in its header) and then fixed.
 *    Errors Duktape throws by itself carry no record and keep Duktape's
 *    accessors untouched. One difference remains: a wrapper is an ECMAScript
 *    function, so `return Error(m)` (without `new`) is a tail call for Duktape
 *    and the returning function's frame is lost.
 *
 * 3. The contract's error classes, ValidationError, InvalidEventPayload,
 *    EventNotSupported and RetryError: subclasses of Error whose `name` is an
 *    own enumerable property set by the constructor, as Segment's Node.js
 *    runtime does (`this.name = this.constructor.name`).
 *
 * 4. errorType(e): the contract's error type of a thrown value.
 */

var NativeError = Error;
var ERROR_INFO = Symbol('srcfn.errorInfo');
var nativeErrorAccessors = (function () {
  var out = {};
  ['stack', 'lineNumber', 'fileName'].forEach(function (key) {
    var d = Object.getOwnPropertyDescriptor(NativeError.prototype, key);
    out[key] = d && d.get ? d : null;
  });
  return out;
})();

/* V8's ErrorUtils::ToString: the header line(s) of a stack. */
function errorHeader(e) {
  var name = e.name, message = e.message;
  name = name === undefined ? 'Error' : String(name);
  message = message === undefined ? '' : String(message);
  if (name === '') return message;
  if (message === '') return name;
  return name + ': ' + message;
}

/* The "    at …" lines of a native error's trace. */
function nativeFrames(source) {
  var acc = nativeErrorAccessors.stack, text, lines, i;
  if (!acc) return [];
  text = String(acc.get.call(source));
  lines = text.split('\n');
  for (i = 0; i < lines.length; i++) {
    if (/^ {4}at /.test(lines[i])) return lines.slice(i);
  }
  return [];
}

function framesOf(info) {
  if (!info.frames) {
    var frames = nativeFrames(info.source), skip = 0, names = info.names, n = 0;
    /* The wrapper itself (and constructError, unless it was a tail call)… */
    while (skip < 2 && skip < frames.length &&
           /^ {4}at (constructError|Error|TypeError|RangeError|SyntaxError|ReferenceError|EvalError|URIError) \(/.test(frames[skip])) skip++;
    /* …then the constructors of the subclass chain, as V8 hides them. */
    while (names && n < names.length && skip < frames.length) {
      var m = /^ {4}at (\S+) /.exec(frames[skip]);
      if (!m || names.indexOf(m[1]) < 0) break;
      skip++; n++;
    }
    info.frames = frames.slice(skip);
  }
  return info.frames;
}

/* "(file:line)" of the first frame that names a file. */
function blamedFrame(info) {
  var frames = framesOf(info), i, m;
  for (i = 0; i < frames.length; i++) {
    if (/\) (internal|native)/.test(frames[i]) || /\(\) native/.test(frames[i])) continue;
    m = /\(([^()]*):(\d+)\)/.exec(frames[i]);
    if (m) return { fileName: m[1], lineNumber: Number(m[2]) };
  }
  return null;
}

/* How frames read in a `stack`: 90-invoke.js installs a mapper that names the
 * user's own lines (not those of the lowered code) and hides runtime frames. */
var stackFrames = function (frames) { return frames; };
function setStackFrames(mapper) { stackFrames = mapper; }

/* A native stack text with its frames passed through stackFrames. */
function mappedNativeStack(text) {
  var lines = String(text).split('\n'), i = 0;
  while (i < lines.length && !/^ {4}at /.test(lines[i])) i++;
  return lines.slice(0, i).concat(stackFrames(lines.slice(i))).join('\n');
}

function defineHidden(obj, key, value) {
  Object.defineProperty(obj, key, {
    value: value, writable: true, enumerable: false, configurable: true
  });
}

function hasInfo(obj) {
  return obj !== null && typeof obj === 'object' &&
    Object.prototype.hasOwnProperty.call(obj, ERROR_INFO);
}

/* Error.prototype.stack / lineNumber / fileName, aware of ERROR_INFO. */
(function () {
  function accessor(key, compute) {
    var native = nativeErrorAccessors[key];
    Object.defineProperty(NativeError.prototype, key, {
      get: function () {
        if (hasInfo(this)) return compute(this, this[ERROR_INFO]);
        if (!native) return undefined;
        return key === 'stack' ? mappedNativeStack(native.get.call(this)) : native.get.call(this);
      },
      set: function (value) {
        /* Like V8 (and Duktape's own setter): an own data property. */
        defineHidden(this, key, value);
      },
      enumerable: false, configurable: true
    });
  }
  accessor('stack', function (self, info) {
    var frames = stackFrames(framesOf(info));
    var text = errorHeader(self) + (frames.length ? '\n' + frames.join('\n') : '');
    defineHidden(self, 'stack', text);     /* composed once, as V8 does */
    return text;
  });
  accessor('lineNumber', function (self, info) {
    var b = blamedFrame(info);
    return b ? b.lineNumber : undefined;
  });
  accessor('fileName', function (self, info) {
    var b = blamedFrame(info);
    return b ? b.fileName : undefined;
  });
})();

/* Names of the constructors between `obj` and `proto` (a super() chain). */
function constructorChain(obj, proto) {
  var names = [], p = Object.getPrototypeOf(obj);
  while (p && p !== proto && names.length < 32) {
    var c = Object.prototype.hasOwnProperty.call(p, 'constructor') ? p.constructor : null;
    if (typeof c === 'function' && c.name) names.push(c.name);
    p = Object.getPrototypeOf(p);
  }
  return names;
}

function applyCause(target, options) {
  if (options !== null && typeof options === 'object' && 'cause' in options) {
    defineHidden(target, 'cause', options.cause);
  }
}

/*
 * The body shared by the wrappers. `self` is the wrapper, `N` the native
 * constructor, `that` the call's this, `args` its arguments.
 */
function constructError(self, N, that, args) {
  var message = args[0], e;
  if (that instanceof self && that.constructor !== self &&
      !Object.prototype.hasOwnProperty.call(that, ERROR_INFO)) {
    /* super(message) from a subclass: initialise `that`. */
    if (message !== undefined) defineHidden(that, 'message', String(message));
    applyCause(that, args[1]);
    defineHidden(that, ERROR_INFO, {
      source: new N(), names: constructorChain(that, self.prototype), frames: null
    });
    return undefined;
  }
  e = args.length ? new N(message) : new N();
  applyCause(e, args[1]);
  defineHidden(e, ERROR_INFO, { source: e, names: null, frames: null });
  return e;
}

function wrapErrorConstructor(W, N) {
  W.prototype = N.prototype;
  Object.defineProperty(N.prototype, 'constructor', {
    value: W, writable: true, enumerable: false, configurable: true
  });
  defineGlobal(N.prototype.name, W);
  return W;
}

var NativeTypeError = TypeError;
var NativeRangeError = RangeError;
var NativeSyntaxError = SyntaxError;
var NativeReferenceError = ReferenceError;
var NativeEvalError = EvalError;
var NativeURIError = URIError;

/* Named function expressions so that `Error.name === 'Error'` and frames read "at Error". */
var ErrorW = wrapErrorConstructor(function Error(message) {
  return constructError(ErrorW, NativeError, this, arguments);
}, NativeError);
var TypeErrorW = wrapErrorConstructor(function TypeError(message) {
  return constructError(TypeErrorW, NativeTypeError, this, arguments);
}, NativeTypeError);
var RangeErrorW = wrapErrorConstructor(function RangeError(message) {
  return constructError(RangeErrorW, NativeRangeError, this, arguments);
}, NativeRangeError);
var SyntaxErrorW = wrapErrorConstructor(function SyntaxError(message) {
  return constructError(SyntaxErrorW, NativeSyntaxError, this, arguments);
}, NativeSyntaxError);
var ReferenceErrorW = wrapErrorConstructor(function ReferenceError(message) {
  return constructError(ReferenceErrorW, NativeReferenceError, this, arguments);
}, NativeReferenceError);
var EvalErrorW = wrapErrorConstructor(function EvalError(message) {
  return constructError(EvalErrorW, NativeEvalError, this, arguments);
}, NativeEvalError);
var URIErrorW = wrapErrorConstructor(function URIError(message) {
  return constructError(URIErrorW, NativeURIError, this, arguments);
}, NativeURIError);

/* The subclasses inherit the statics of Error, as ES2015 classes do. */
[TypeErrorW, RangeErrorW, SyntaxErrorW, ReferenceErrorW, EvalErrorW, URIErrorW].forEach(function (W) {
  Object.setPrototypeOf(W, ErrorW);
});

/*
 * Error.captureStackTrace(obj, fn): gives obj a `stack` (V8 API, often called
 * from custom error constructors). Frames above and including `fn` are
 * hidden when `fn` is found by name.
 */
defineHidden(ErrorW, 'captureStackTrace', function captureStackTrace(obj, fn) {
  if (obj === null || (typeof obj !== 'object' && typeof obj !== 'function')) {
    throw new TypeErrorW('The "targetObject" argument must be of type object');
  }
  var frames = nativeFrames(new NativeError()).slice(1), i;
  if (typeof fn === 'function' && fn.name) {
    for (i = 0; i < frames.length; i++) {
      if (frames[i].indexOf('    at ' + fn.name + ' (') === 0) {
        frames = frames.slice(i + 1);
        break;
      }
    }
  }
  var text = null;
  Object.defineProperty(obj, 'stack', {
    get: function () {
      if (text === null) text = errorHeader(obj) + (frames.length ? '\n' + frames.join('\n') : '');
      return text;
    },
    set: function (value) { defineHidden(obj, 'stack', value); },
    enumerable: false, configurable: true
  });
});
ErrorW.stackTraceLimit = 10;

/* --- the contract's error classes ---------------------------------------- */

function defineErrorClass(name) {
  var C = function (message) {
    ErrorW.call(this, message);
    this.name = name;
  };
  Object.defineProperty(C, 'name', { value: name, configurable: true });
  C.prototype = Object.create(ErrorW.prototype, {
    constructor: { value: C, writable: true, enumerable: false, configurable: true }
  });
  Object.setPrototypeOf(C, ErrorW);
  defineGlobal(name, C);
  return C;
}

var ValidationError = defineErrorClass('ValidationError');
var InvalidEventPayload = defineErrorClass('InvalidEventPayload');
var EventNotSupported = defineErrorClass('EventNotSupported');
var RetryError = defineErrorClass('RetryError');

var ERROR_TYPES = [
  { error: ValidationError, type: 'Message Rejected' },
  { error: InvalidEventPayload, type: 'Message Rejected' },
  { error: EventNotSupported, type: 'Unsupported Event Type' },
  { error: RetryError, type: 'Retry' }
];

/*
 * The contract's type of a thrown value: by class, then by name (for errors
 * of the same name made elsewhere, e.g. a class the user declared himself).
 * 'Invalid Settings' is decided before the code runs and is never returned.
 */
function errorType(e) {
  var i, name;
  if (e === null || (typeof e !== 'object' && typeof e !== 'function')) return 'Bad Request';
  for (i = 0; i < ERROR_TYPES.length; i++) {
    if (e instanceof ERROR_TYPES[i].error) return ERROR_TYPES[i].type;
  }
  try { name = e.name; } catch (err) { return 'Bad Request'; }
  for (i = 0; i < ERROR_TYPES.length; i++) {
    if (name === ERROR_TYPES[i].error.name) return ERROR_TYPES[i].type;
  }
  return 'Bad Request';
}

/*
 * 5. Messages. Duktape words the errors it throws itself differently from V8,
 * and people log those messages or match them in tests; the ones that come up
 * in webhook code are reworded as Node.js words them, as each is created.
 */
var V8_MESSAGES = [
  [/^cannot read property '(.*)' of (undefined|null)$/, "Cannot read properties of $2 (reading '$1')"],
  [/^cannot write property '(.*)' of (undefined|null)$/, "Cannot set properties of $2 (setting '$1')"],
  [/^identifier '(.*)' undefined$/, '$1 is not defined'],
  [/^\S+ not callable \(property '(.*)' of .*\)$/, '$1 is not a function'],
  [/^(\S+) not callable$/, '$1 is not a function'],
  [/^(.+) not constructable$/, '$1 is not a constructor'],
  [/^cyclic input$/, 'Converting circular structure to JSON']
];

Duktape.errCreate = function (e) {
  if (!(e instanceof NativeError) || hasInfo(e) || typeof e.message !== 'string') return e;
  for (var i = 0; i < V8_MESSAGES.length; i++) {
    if (V8_MESSAGES[i][0].test(e.message)) {
      e.message = e.message.replace(V8_MESSAGES[i][0], V8_MESSAGES[i][1]);
      break;
    }
  }
  return e;
};
