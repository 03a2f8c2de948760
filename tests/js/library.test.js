// lodash, cache, timers and the sandbox, as a source function sees them.
// Run by tests/e2e/js.sh through `srcfn run`; throws on the first mismatch.
function eq(actual, expected, what) {
  const a = JSON.stringify(actual), e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: got ${a}, want ${e}`);
}

function lodash() {
  eq(typeof _, 'function', 'lodash is a function');
  eq(_.VERSION, '4.17.21', 'the real lodash 4');
  eq(_.get({ a: [{ b: 2 }] }, 'a[0].b'), 2, '_.get');
  eq(_.chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]], '_.chunk');
  eq(_.pick({ a: 1, b: 2, c: 3 }, ['a', 'c']), { a: 1, c: 3 }, '_.pick');
  eq(_.groupBy(['one', 'two', 'three'], 'length'), { 3: ['one', 'two'], 5: ['three'] }, '_.groupBy');
  eq(_.merge({ a: { b: 1 } }, { a: { c: 2 } }), { a: { b: 1, c: 2 } }, '_.merge');
  eq(_.camelCase('Foo Bar'), 'fooBar', '_.camelCase');
  eq(_ === _, true, 'loaded once');
}

async function cacheSemantics() {
  let calls = 0;
  const produce = async () => { calls++; return { token: `t${calls}` }; };
  const a = await cache.load('k', 60000, produce);
  const b = await cache.load('k', 60000, produce);
  eq([a.token, b.token, calls], ['t1', 't1', 1], 'cached within ttl');
  cache.delete('k');
  eq((await cache.load('k', 60000, produce)).token, 't2', 'delete drops it');
  await cache.load('short', 1, produce);
  await new Promise(r => setTimeout(r, 5));
  eq((await cache.load('short', 1, produce)).token, 't4', 'expired after ttl');
  const [x, y] = await Promise.all([cache.load('same', -1, produce), cache.load('same', -1, produce)]);
  eq([x === y, calls], [true, 5], 'concurrent loads share one call');
  let failed = 0;
  await cache.load('bad', -1, async () => { failed++; throw new Error('no'); }).catch(() => {});
  await cache.load('bad', -1, async () => { failed++; return 1; });
  eq(failed, 2, 'failures are not cached');
}

async function timers() {
  const order = [];
  setTimeout(() => order.push('t20'), 20);
  setTimeout(() => order.push('t0'), 0);
  const cancelled = setTimeout(() => order.push('never'), 5);
  clearTimeout(cancelled);
  let ticks = 0;
  const iv = setInterval(() => { if (++ticks === 3) clearInterval(iv); }, 2);
  Promise.resolve().then(() => order.push('micro'));
  await new Promise(r => setTimeout(r, 40));
  eq(order, ['micro', 't0', 't20'], 'timer order');
  eq(ticks, 3, 'setInterval until cleared');
  const started = Date.now();
  await new Promise(r => setTimeout(r, 50));
  const waited = Date.now() - started;
  if (waited < 45 || waited > 1000) throw new Error(`setTimeout 50 waited ${waited} ms`);
}

async function combinators() {
  eq(await Promise.allSettled([Promise.resolve(1), Promise.reject(new Error('x'))]).then(r => r.map(s => s.status)),
    ['fulfilled', 'rejected'], 'allSettled');
  eq(await Promise.race([new Promise(r => setTimeout(() => r('slow'), 20)), Promise.resolve('fast')]), 'fast', 'race');
  eq(await Promise.any([Promise.reject(new Error('a')), Promise.resolve('b')]), 'b', 'any');
  const agg = await Promise.any([Promise.reject(new Error('a'))]).catch(e => e);
  eq([agg instanceof AggregateError, agg.errors.length], [true, 1], 'any rejects with AggregateError');
}

function sandbox() {
  for (const name of ['require', 'process', 'AWS', 'stripe', 'xml2js']) {
    let message = '';
    try { name === 'require' ? require('fs') : globalThis[name].anything; } catch (e) { message = e.message; }
    if (!/not available in srcfn/.test(message)) throw new Error(`${name}: ${message || 'no error'}`);
  }
  eq(typeof readFile, 'undefined', 'no file system');
}

async function onRequest() {
  lodash();
  await cacheSemantics();
  await timers();
  await combinators();
  sandbox();
}
