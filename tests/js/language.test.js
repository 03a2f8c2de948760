// The language users write for Node.js, lowered and run by srcfn: each check
// throws on the first mismatch. Run by tests/e2e/js.sh through `srcfn run`.
function eq(actual, expected, what) {
  const a = JSON.stringify(actual), e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: got ${a}, want ${e}`);
}

// async/await interleaves as in Node: each runs to its first await.
async function interleaving() {
  const log = [];
  async function a() { log.push('a1'); await null; log.push('a2'); await null; log.push('a3'); return 'A'; }
  async function b() { log.push('b1'); await null; log.push('b2'); return 'B'; }
  const result = await Promise.all([a(), b()]);
  eq(result, ['A', 'B'], 'Promise.all results');
  eq(log, ['a1', 'b1', 'a2', 'b2', 'a3'], 'interleaving');
}

async function microtaskOrder() {
  const log = [];
  const p = Promise.resolve();
  p.then(() => log.push('then1')).then(() => log.push('then2'));
  (async () => { log.push('async start'); await p; log.push('after await'); })();
  log.push('sync end');
  await null; await null; await null;
  eq(log, ['async start', 'sync end', 'then1', 'after await', 'then2'], 'microtask order');
}

async function errorsThroughAwait() {
  async function thrower() { await null; throw new TypeError('boom'); }
  try { await thrower(); throw new Error('not reached'); }
  catch (e) { eq([e instanceof TypeError, e.message], [true, 'boom'], 'await rethrows'); }
  let finallyRan = false;
  async function withFinally() { try { await Promise.reject(new Error('x')); } finally { finallyRan = true; } }
  await withFinally().catch(() => {});
  eq(finallyRan, true, 'finally after await');
  // await in a loop, a value thrown back in and caught
  let sum = 0;
  for (let i = 0; i < 5; i++) sum += await Promise.resolve(i);
  eq(sum, 10, 'await in a loop');
  const timer = await new Promise(resolve => setTimeout(() => resolve('tick'), 5));
  eq(timer, 'tick', 'await a timer');
}

function generators() {
  function* count(n) { for (let i = 0; i < n; i++) { const got = yield i; if (got) i += got; } return 'done'; }
  eq([...count(4)], [0, 1, 2, 3], 'spread a generator');
  const g = count(10);
  eq([g.next().value, g.next(5).value, g.next().value], [0, 6, 7], 'next(value)');
  function* inner() { yield 1; yield 2; }
  function* outer() { yield 0; yield* inner(); yield 3; }
  eq(Array.from(outer()), [0, 1, 2, 3], 'yield*');
  let cleaned = false;
  function* guarded() { try { yield 1; yield 2; } finally { cleaned = true; } }
  for (const v of guarded()) { if (v === 1) break; }
  const h = guarded(); h.next(); h.return(9);
  eq(cleaned, true, 'return() runs finally');
  const obj = { *[Symbol.iterator]() { yield 'x'; yield 'y'; } };
  eq([...obj], ['x', 'y'], 'generator method as iterator');
}

function syntax() {
  const o = { a: { b: null, f() { return this.tag; }, tag: 't' }, list: [1, 2] };
  eq([o?.a?.b?.c, o.x?.y.z, o.a?.['tag'], o.a.f?.(), o.nope?.(), o.list?.[1]], [undefined, undefined, 't', 't', undefined, 2], 'optional chaining');
  eq([null ?? 'd', 0 ?? 'd', '' ?? 'd', undefined ?? null ?? 'z'], ['d', 0, '', 'z'], 'nullish coalescing');
  let x = null; x ??= 5; let y = 0; y ||= 7; let z = 1; z &&= 3;
  const holder = { n: null }; holder.n ??= 'set';
  eq([x, y, z, holder.n], [5, 7, 3, 'set'], 'logical assignment');
  eq([2 ** 10, 1_000_000], [1024, 1000000], 'exponent and numeric separators');
  const { a: { tag }, list: [first, ...rest], missing = 'dflt' } = o;
  eq([tag, first, rest, missing], ['t', 1, [2], 'dflt'], 'destructuring');
  const key = 'k';
  const merged = { ...{ p: 1 }, [key + '1']: 2, key, ...null };
  eq(merged, { p: 1, k1: 2, key: 'k' }, 'object spread, computed and shorthand');
  const { p, ...others } = { p: 1, q: 2, r: 3 };
  eq([p, others], [1, { q: 2, r: 3 }], 'object rest');
  const fns = [];
  for (let i = 0; i < 3; i++) fns.push(() => i);
  eq(fns.map(f => f()), [0, 1, 2], 'let per iteration');
  const fns2 = [];
  for (const v of ['a', 'b']) fns2.push(() => v);
  eq(fns2.map(f => f()), ['a', 'b'], 'const in for-of per iteration');
  function defaults(a, b = a * 2, ...more) { return [a, b, more]; }
  eq(defaults(1), [1, 2, []], 'default parameters');
  eq(defaults(1, 5, 6, 7), [1, 5, [6, 7]], 'rest parameters');
  eq(Math.max(...[1, 5, 3]), 5, 'spread in calls');
  eq([...'héllo'], ['h', 'é', 'l', 'l', 'o'], 'spread a string');
  eq(`a${1 + 1}b${'c'}`, 'a2bc', 'template literal');
  let caught = 'no';
  try { JSON.parse('{'); } catch { caught = 'yes'; }
  eq(caught, 'yes', 'optional catch binding');
  outer: for (const i of [1, 2, 3]) { for (const j of [1, 2]) { if (j === 2) continue outer; if (i === 3) break outer; } }
  const arrow = (a, b) => ({ sum: a + b });
  eq(arrow(1, 2), { sum: 3 }, 'arrow returning an object');
}

function classes() {
  class Animal {
    constructor(name) { this.name = name; }
    get label() { return `animal ${this.name}`; }
    speak() { return `${this.name} makes a sound`; }
    static create(n) { return new this(n); }
  }
  class Dog extends Animal {
    speak() { return `${super.speak()} (woof)`; }
  }
  const d = Dog.create('Rex');
  eq([d.speak(), d.label, d instanceof Animal], ['Rex makes a sound (woof)', 'animal Rex', true], 'classes');
  class HttpError extends Error {
    constructor(status, message) { super(message); this.name = 'HttpError'; this.status = status; }
  }
  const e = new HttpError(404, 'not found');
  eq([e.message, e.name, e.status, e instanceof Error, e instanceof HttpError, String(e)],
    ['not found', 'HttpError', 404, true, true, 'HttpError: not found'], 'extending Error');
  class Async { async get() { await null; return this.v; } constructor() { this.v = 42; } }
  return new Async().get().then(v => eq(v, 42, 'async method keeps this'));
}

function library() {
  const m = new Map([['a', 1]]);
  m.set('b', 2).set(NaN, 'nan');
  eq([m.get('b'), m.get(NaN), m.size, [...m.keys()]], [2, 'nan', 3, ['a', 'b', NaN]], 'Map');
  eq([...new Set([3, 1, 3, 2, 1])], [3, 1, 2], 'Set dedup');
  eq(Object.entries({ x: 1, y: 2 }), [['x', 1], ['y', 2]], 'Object.entries');
  eq(Object.fromEntries([['a', 1]]), { a: 1 }, 'Object.fromEntries');
  eq(Object.values({ a: 1, b: 2 }), [1, 2], 'Object.values');
  eq(Array.from({ length: 3 }, (_, i) => i * 2), [0, 2, 4], 'Array.from');
  eq(['5'.padStart(3, '0'), 'ab'.padEnd(4, '.'), [1, 2].includes(2), [1, [2, [3]]].flat(2), [5, 6].at(-1)],
    ['005', 'ab..', true, [1, 2, 3], 6], 'string and array methods');
  eq([[3, 1, 2].find(n => n < 3), [3, 1, 2].findIndex(n => n === 2), 'a-b-c'.replaceAll('-', '+')], [1, 2, 'a+b+c'], 'find and replaceAll');
}

// Arrow functions are not constructors and have no prototype; their names
// come from where they are written.
function arrows() {
  const add = (a, b) => a + b;
  const o = { twice: x => x * 2, ['comp' + 'uted']: () => 1 };
  let f;
  f = () => 0;
  const withDefault = (g = () => 1) => g.name;
  eq([add.name, o.twice.name, f.name, ((() => 1)).name, withDefault()], ['add', 'twice', 'f', '', 'g'], 'arrow names');
  eq([typeof add.prototype, 'prototype' in add, add.length, add(2, 3)], ['undefined', false, 2, 5], 'arrow shape');
  let message = null;
  try { new add(1, 2); } catch (e) { message = e instanceof TypeError ? 'TypeError' : String(e); }
  eq(message, 'TypeError', 'new on an arrow');
  const self = function () { return [(() => this)(), (() => arguments[0])()]; };
  eq(self.call('t', 'arg'), ['t', 'arg'], 'arrows keep this and arguments');
  const fact = n => (n <= 1 ? 1 : n * fact(n - 1));
  eq(fact(5), 120, 'a recursive arrow');
  const withTemps = v => v?.a ?? (w => w ?? 'inner')(null);
  eq([withTemps({ a: 1 }), withTemps(null)], [1, 'inner'], 'arrows with ?. and ??');
  let resolveName;
  new Promise(resolve => { resolveName = resolve.name; });
  eq(resolveName, '', 'resolving functions are nameless');
}

// An async function that never awaits still settles a fresh promise one
// tick later for its callers, and throws into a rejection.
async function asyncWithoutAwait() {
  const log = [];
  async function quick(v) { log.push('quick ' + v); return v; }
  async function thrower() { throw new RangeError('r'); }
  const inner = Promise.resolve('x');
  async function returnsPromise() { return inner; }
  const p = quick(1);
  p.then(v => log.push('then ' + v));
  Promise.resolve().then(() => log.push('tick'));
  log.push('sync');
  eq([p instanceof Promise, returnsPromise() === inner], [true, false], 'a fresh promise');
  await null; await null; await null;
  eq(log, ['quick 1', 'sync', 'then 1', 'tick'], 'settles like an async function');
  const err = await thrower().catch(e => e);
  eq([err instanceof RangeError, err.message], [true, 'r'], 'throws into a rejection');
  const order = [];
  returnsPromise().then(() => order.push('returned promise'));
  Promise.resolve().then(() => order.push('a')).then(() => order.push('b')).then(() => order.push('c'));
  await null; await null; await null; await null;
  eq(order, ['a', 'b', 'returned promise', 'c'], 'returning a promise costs two ticks');
}

async function onRequest() {
  arrows();
  await asyncWithoutAwait();
  await interleaving();
  await microtaskOrder();
  await errorsThroughAwait();
  generators();
  syntax();
  await classes();
  library();
}
