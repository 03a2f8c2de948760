/*
 * The driver: how engine.c runs one invocation on this heap.
 *
 *   setSource(file, lines)  names the user's file and the line map of its
 *                           lowered code (lines[i] = user line of line i+1)
 *   loaded()                after the top-level code ran: keeps its console lines
 *   start(request, settings) calls onRequest
 *   drain()                 fires due timers and runs microtasks; returns -2 when
 *                           the run has settled, else the ms until the next timer
 *                           (-1: none; only pending I/O can settle it now)
 *   finish(override, err)   the result document as JSON text; override
 *                           {type,name,message} is set when engine.c stopped the
 *                           run (timeout, memory, cancel, nothing left to wait for)
 *
 * engine.c moves this object from the global object into the heap stash.
 */
var userFile = 'handler.js';
var lineMap = [];
var outcome = null;        /* the promise of onRequest's result */
var failure = null;        /* an error thrown outside it: a timer, an unhandled rejection */
var loadLogs = null;

function userLineOf(generated) {
  var mapped = lineMap[generated - 1];
  return mapped > 0 ? mapped : generated;
}

/* Stack frames as users read them: their own lines, no runtime internals. */
setStackFrames(function (frames) {
  var out = [];
  for (var i = 0; i < frames.length; i++) {
    var f = frames[i];
    if (/\(srcfn:[^()]*\)/.test(f) || /\) internal$/.test(f)) continue;
    out.push(f.replace(/\(([^()]*):(\d+)\)/, function (all, file, n) {
      return file === userFile ? '(' + file + ':' + userLineOf(Number(n)) + ')' : all;
    }));
  }
  return out;
});

/* The first frame of the user's file in a stack trace (already mapped). */
function userLine(e) {
  var stack = e && typeof e === 'object' ? String(e.stack || '') : '';
  var re = /\(([^()]*):(\d+)\)/g, m;
  while ((m = re.exec(stack)) !== null) {
    if (m[1] === userFile) return Number(m[2]);
  }
  if (e && e.fileName === userFile && e.lineNumber > 0) return userLineOf(e.lineNumber);
  return null;
}

function report(e) {
  var isObject = e !== null && typeof e === 'object';
  return {
    type: errorType(e),
    name: isObject && e.name ? String(e.name) : 'Error',
    message: isObject && 'message' in e ? String(e.message) : String(e),
    line: userLine(e)
  };
}

/* JSON text for engine.c: non-ASCII escaped, because Duktape writes a
 * surrogate pair as two CESU-8 sequences, which are not UTF-8; a lone
 * surrogate (half an emoji cut by slice) becomes U+FFFD, as no UTF-8 holds it. */
function asciiJson(value) {
  var text = JSON.stringify(value);
  if (!/[^\u0000-\u007e]/.test(text)) return text;
  return text.replace(/[\ud800-\udbff][\udc00-\udfff]|[\u007f-\uffff]/g, function (c) {
    if (c.length === 2) return escapeUnit(c.charCodeAt(0)) + escapeUnit(c.charCodeAt(1));
    var code = c.charCodeAt(0);
    return escapeUnit(code >= 0xd800 && code <= 0xdfff ? 0xfffd : code);   /* a lone surrogate */
  });
}

function escapeUnit(code) {
  return '\\u' + ('000' + code.toString(16)).slice(-4);
}

function settle(value) {
  outcome = Promise.resolve(value);
  outcome.then(null, function () {});   /* the driver handles it: not "unhandled" */
}

function fail(e) {
  if (!failure) failure = { error: e };
}

var driver = {
  setSource: function (file, lines) {
    userFile = file;
    lineMap = lines;
  },

  loaded: function () {
    loadLogs = run.logs;
  },

  start: function (data, settings) {
    run = { events: [], objects: [], logs: loadLogs || [] };
    loadLogs = null;
    failure = null;
    unhandledRejections.length = 0;
    var onRequest = global.onRequest;
    if (typeof onRequest !== 'function') {
      settle(Promise.reject(new EventNotSupported('onRequest is not defined')));
      return;
    }
    try {
      settle(onRequest(makeRequest(data), settings));
    } catch (e) {
      settle(Promise.reject(e));
    }
  },

  drain: function () {
    try {
      fireTimers();
      runMicrotasks();
    } catch (e) {
      fail(e);
    }
    if (unhandledRejections.length) fail(unhandledRejections[0]);
    if (failure || promiseState(outcome) !== 'pending') return -2;
    return nextTimerDelay();
  },

  finish: function (override, err) {
    clearAllTimers();
    var result = { events: [], objects: [], logs: run.logs, error: null };
    if (override) {
      /* The line is where the run was when it was stopped, if an error shows it. */
      var where = err !== undefined ? err : failure ? failure.error
        : outcome && promiseState(outcome) === 'rejected' ? promiseValue(outcome) : undefined;
      result.error = { type: override.type, name: override.name, message: override.message,
        line: where === undefined ? null : userLine(where) };
    } else if (failure) {
      result.error = report(failure.error);
    } else if (promiseState(outcome) === 'rejected') {
      result.error = report(promiseValue(outcome));
    } else {
      result.events = run.events;
      result.objects = run.objects;
    }
    try {
      return asciiJson(result);
    } catch (e) {
      return asciiJson({ events: [], objects: [], logs: run.logs, error: report(e) });
    }
  }
};

global.__srcfn_driver = driver;
