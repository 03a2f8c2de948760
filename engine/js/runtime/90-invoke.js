/*
 * The driver: how engine.c runs one invocation on this heap.
 *
 *   setSource(file, lines)  names the user's file and the line map of its
 *                           lowered code (lines[i] = user line of line i+1)
 *   loaded()                after the top-level code ran: keeps its console lines
 *   run(request, settings)  start, then drain; when that settles the run, the
 *                           result of finish(), else drain's delay (a number):
 *                           a run that needs no waiting is one call
 *   start(request, settings) calls onRequest (the request is made by engine.c)
 *   drain()                 fires due timers and runs microtasks; returns -2 when
 *                           the run has settled, else the ms until the next timer
 *                           (-1: none; only pending I/O can settle it now)
 *   finish(override, err)   the result document (an object); override
 *                           {type,name,message} is set when engine.c stopped the
 *                           run (timeout, memory, cancel, nothing left to wait for)
 *   text(result)            the result as JSON text, for what engine.c cannot
 *                           read itself (engine/duk-walk.h): what JSON.stringify
 *                           throws on (a cycle, a throwing toJSON) fails the run
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

function settle(value) {
  outcome = promiseResolve(value);
  recordOf(outcome).handled = true;   /* the driver handles it: not "unhandled" */
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

  /* engine.c gives requests this prototype (push_request). */
  requestPrototype: ServerRequest.prototype,

  run: function (request, settings) {
    this.start(request, settings);
    var delay = this.drain();
    return delay === -2 ? this.finish() : delay;
  },

  start: function (request, settings) {
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
      settle(onRequest(request, settings));
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
    return result;
  },

  /* JSON text in Duktape's encoding (engine/dukjson.c reads it). */
  text: function (result) {
    try {
      return JSON.stringify(result);
    } catch (e) {
      return JSON.stringify({ events: [], objects: [], logs: result.logs, error: report(e) });
    }
  }
};

global.__srcfn_driver = driver;
