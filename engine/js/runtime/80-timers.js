/*
 * Timers: setTimeout, setInterval, setImmediate and their clear functions, on
 * the engine's event loop. The loop (engine.c) asks nextTimerDelay() how long
 * it may wait, and fireTimers() runs every timer that is due, in due order
 * (ties in creation order), each followed by the microtasks it queued, as
 * Node.js does. Times come from the engine's monotonic clock.
 */
var timers = [];          /* pending, sorted by (due, id) */
var nextTimerId = 1;

function addTimer(fn, delay, args, repeat) {
  if (typeof fn !== 'function') throw new TypeError('The "callback" argument must be of type function');
  delay = Number(delay);
  if (!(delay >= 1 && delay <= 2147483647)) delay = 1;   /* Node's rule */
  var t = { id: nextTimerId++, fn: fn, args: args, due: native.now() + delay,
    repeat: repeat ? delay : 0 };
  insertTimer(t);
  return new Timeout(t.id);
}

function insertTimer(t) {
  var i = timers.length;
  while (i > 0 && timers[i - 1].due > t.due) i--;
  timers.splice(i, 0, t);
}

/* What setTimeout returns: Node gives an object; its number works as an id too. */
function Timeout(id) { this._id = id; }
Timeout.prototype.ref = function () { return this; };
Timeout.prototype.unref = function () { return this; };
Timeout.prototype.hasRef = function () { return true; };
Timeout.prototype[Symbol.toPrimitive] = function () { return this._id; };
Timeout.prototype.valueOf = function () { return this._id; };

function clearTimer(handle) {
  if (handle === undefined || handle === null) return;
  var id = typeof handle === 'object' ? handle._id : Number(handle);
  for (var i = 0; i < timers.length; i++) {
    if (timers[i].id === id) { timers.splice(i, 1); return; }
  }
}

/* Milliseconds until the next timer is due; -1 when none is pending. */
function nextTimerDelay() {
  if (!timers.length) return -1;
  return Math.max(0, timers[0].due - native.now());
}

function fireTimers() {
  var now = native.now();
  while (timers.length && timers[0].due <= now) {
    var t = timers.shift();
    if (t.repeat) {
      t.due = now + t.repeat;
      insertTimer(t);
    }
    t.fn.apply(undefined, t.args);
    runMicrotasks();
  }
}

function clearAllTimers() { if (timers.length) timers = []; }

defineGlobal('setTimeout', function (fn, delay) {
  return addTimer(fn, delay, Array.prototype.slice.call(arguments, 2), false);
});
defineGlobal('setInterval', function (fn, delay) {
  return addTimer(fn, delay, Array.prototype.slice.call(arguments, 2), true);
});
defineGlobal('setImmediate', function (fn) {
  return addTimer(fn, 0, Array.prototype.slice.call(arguments, 1), false);
});
defineGlobal('clearTimeout', clearTimer);
defineGlobal('clearInterval', clearTimer);
defineGlobal('clearImmediate', clearTimer);
