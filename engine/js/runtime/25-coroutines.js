/*
 * Coroutines: what lowered async functions and generators run on.
 *
 * The lowering pass (engine/js/compiler/lower.js) turns
 *   async function f(a) { B }   into  function f(a) { return __srcfn_async(() => { B }) }
 *   function* g(a) { B }        into  function g(a) { return __srcfn_gen(() => { B }) }
 * and `await x` / `yield x` into __srcfn_await(x) / __srcfn_yield(x).
 *
 * (__srcfn_async_now when the body has no await: it needs no coroutine.)
 *
 * Each call gets its own Duktape.Thread, so an async function runs synchronously
 * up to its first await, exactly as in Node.js, and suspends there with its
 * whole stack (loops, try/finally) intact. An await resumes one microtask after
 * the awaited promise settles, the ordering V8 uses. Duktape cannot yield across
 * a native call, which JavaScript rules out anyway: `await` only appears
 * directly inside an async function's own body.
 */
var Thread = Duktape.Thread;

/* Runs body on a new thread; `done` tells a return from a suspension. */
function startCoroutine(body) {
  var co = { done: false, thread: null };
  co.thread = new Thread(function () {
    var value = body();
    co.done = true;
    return value;
  });
  return co;
}

/*
 * One async call: its state lives in `co`, and the thread's function and the
 * steps are shared functions that take it, so nothing co holds refers back
 * to it. When the call finishes, reference counting frees the thread, the
 * body and all it kept alive (often the request body) at once.
 */
function runAsyncBody(co) {
  var value = co.body();
  co.done = true;
  return value;
}

function asyncFunction(body) {
  var co = { thread: new Thread(runAsyncBody), body: body, promise: newPromise(), done: false };
  stepAsync(co, co, false);   /* the first resume passes co to runAsyncBody */
  return co.promise;
}

function stepAsync(co, value, isError) {
  var out;
  try {
    out = Thread.resume(co.thread, value, isError);
  } catch (e) {
    co.thread = co.body = null;
    rejectPromise(co.promise, e);
    return;
  }
  if (co.done) {
    co.thread = co.body = null;
    resolvePromise(co.promise, out);
    return;
  }
  /* Resumes one microtask after the awaited value settles, as V8 does. */
  var next = {
    value(v) { stepAsync(co, v, false); },
    error(e) { stepAsync(co, e, true); }
  };
  performThen(recordOf(promiseResolve(out)), next.value, next.error, newPromise());
}

/* An async function whose body has no await runs to its end at once: the
 * lowering pass calls this instead, which settles the same promise the same
 * way without a thread. */
function asyncNow(body) {
  var promise = newPromise();
  try {
    resolvePromise(promise, body());
  } catch (e) {
    rejectPromise(promise, e);
  }
  return promise;
}

function awaitValue(value) {
  return Thread.yield(value);
}

/* Thrown into a suspended generator by return(), so its finally blocks run. */
function GeneratorReturn(value) { this.value = value; }

function generator(body) {
  var co = null, finished = false, running = false;
  function resume(value, isError) {
    if (finished) {
      if (isError) throw value;
      return { value: undefined, done: true };
    }
    if (running) throw new TypeError('Generator is already running');
    if (!co) co = startCoroutine(body);
    running = true;
    var out;
    try {
      out = Thread.resume(co.thread, value, isError);
    } catch (e) {
      finished = true;
      if (e instanceof GeneratorReturn) return { value: e.value, done: true };
      throw e;
    } finally {
      running = false;
    }
    if (co.done) finished = true;
    return { value: out, done: co.done };
  }
  var gen = {
    next: function (v) { return resume(v, false); },
    'throw': function (e) {
      if (!co) finished = true;
      return resume(e, true);
    },
    'return': function (v) {
      if (!co || finished) {
        finished = true;
        return { value: v, done: true };
      }
      return resume(new GeneratorReturn(v), true);
    }
  };
  gen[Symbol.iterator] = function () { return this; };
  return gen;
}

function yieldValue(value) {
  return Thread.yield(value);
}

/* yield* iterable: passes each value out and each next() argument in. */
function yieldStar(iterable) {
  var it = getIterator(iterable);
  var input;
  for (;;) {
    var r = it.next(input);
    if (r.done) return r.value;
    input = Thread.yield(r.value);
  }
}

defineInternal('__srcfn_async', asyncFunction);
defineInternal('__srcfn_async_now', asyncNow);
defineInternal('__srcfn_await', awaitValue);
defineInternal('__srcfn_gen', generator);
defineInternal('__srcfn_yield', yieldValue);
defineInternal('__srcfn_yield_star', yieldStar);
defineInternal('__srcfn_iter', function (x) { return getIterator(x); });
/* What the lowering pass marks arrows with; the compiler turns each marked
 * arrow into a method (no prototype) and the call disappears, so this only
 * runs for an arrow that pass left as it was. */
defineInternal('__srcfn_arrow', function (fn) { return fn; });
defineInternal('__srcfn_spread', function (x) {
  return Array.isArray(x) ? x : iterableToArray(x);
});
