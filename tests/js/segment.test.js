/*
 * Tests of engine/js/runtime/70-segment.js (the Segment object) and of the
 * error classes of 30-errors.js that it throws. Plain ES5; throws on the first
 * mismatch and prints nothing on success. Node has no Segment, so it runs:
 *   sh tests/e2e/js.sh                     (through `srcfn run`)
 *   { echo 'this.__native = {}; (function (global) {'; cat engine/js/runtime/*.js \
 *     tests/js/segment.test.js; echo '})(this);'; } > /tmp/t.js && /tmp/dk/proto /tmp/t.js
 * Inside the runtime's scope run.events / run.objects are checked too.
 */

function show(x) {
  if (x === undefined) return 'undefined';
  if (typeof x === 'string') return JSON.stringify(x);
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

function rejects(fn, Type, message, what) {
  try {
    fn();
  } catch (e) {
    ok(e instanceof Type, what + ': threw ' + e + ', expected a ' + Type.name);
    eq(e.message, message, what + ' message');
    return e;
  }
  throw new Error(what + ': did not throw');
}

var PRIVATE = typeof errorType === 'function';
var HAS_SEGMENT = typeof Segment === 'object';
var ONE_OF = 'One of userId,anonymousId is required but not defined';

if (HAS_SEGMENT) {
  var savedRun;
  if (PRIVATE) {
    savedRun = run;
    run = { events: [], objects: [], logs: [] };
  }

  (function messages() {
    var props = { total: 10 };
    eq(Segment.track({ event: 'Order Completed', userId: 'u1', properties: props, extra: 'dropped', anonymousId: '' }),
      { type: 'track', event: 'Order Completed', properties: { total: 10 }, userId: 'u1' }, 'track');
    eq(Segment.identify({ anonymousId: 'a1', traits: { name: 'Jane' }, context: { ip: '1.2.3.4' }, timestamp: '2020-01-01T00:00:00Z' }),
      { type: 'identify', traits: { name: 'Jane' }, anonymousId: 'a1', context: { ip: '1.2.3.4' }, timestamp: '2020-01-01T00:00:00Z' }, 'identify');
    eq(Segment.page({ userId: 'u', name: 'Home', properties: { url: 'x' }, integrations: { All: false }, messageId: 'm', sentAt: 's' }),
      { type: 'page', name: 'Home', properties: { url: 'x' }, userId: 'u', integrations: { All: false }, messageId: 'm', sentAt: 's' }, 'page');
    eq(Segment.screen({ userId: 'u', name: '' }), { type: 'screen', userId: 'u' }, 'screen: empty name not copied');
    eq(Segment.group({ groupId: 'g1', userId: 'u', traits: { plan: 'pro' } }), { type: 'group', groupId: 'g1', traits: { plan: 'pro' }, userId: 'u' }, 'group');
    eq(Segment.alias({ previousId: 'old', userId: 'new' }), { type: 'alias', previousId: 'old', userId: 'new' }, 'alias');
    eq(Segment.set({ collection: 'products', id: 'p1', properties: { name: 'Air' }, userId: 'ignored' }),
      { collection: 'products', id: 'p1', properties: { name: 'Air' } }, 'set');
    eq(Segment.set({ collection: 'c', id: 0 }), { collection: 'c', id: 0 }, 'set: id 0 counts as present');
    eq(Segment.track({ event: null, userId: 'u' }), { type: 'track', event: null, userId: 'u' }, 'track: a null event is kept');
    eq(Segment.alias({ previousId: 0, userId: 'u' }), { type: 'alias', userId: 'u' }, 'alias: a falsy previousId passes but is not copied');
    eq(Segment.identify({ userId: 42 }), { type: 'identify', userId: 42 }, 'numeric userId');

    /* context is copied at the time of the call (lodash merge); properties are kept by reference */
    var ctx = { ip: 'a', nested: { x: 1 } }, p2 = { a: 1 };
    var msg = Segment.track({ event: 'E', userId: 'u', context: ctx, properties: p2 });
    ctx.ip = 'b';
    ctx.nested.x = 2;
    p2.a = 2;
    eq([msg.context.ip, msg.context.nested.x, msg.properties.a], ['a', 1, 2], 'copy semantics');

    if (PRIVATE) {
      eq(run.events.length, 10, 'events appended');
      eq(run.objects.length, 2, 'objects appended');
      eq(run.events[0].type, 'track', 'first event');
      eq(run.objects[1], { collection: 'c', id: 0 }, 'last object');
    }
  })();

  (function validation() {
    rejects(function () { Segment.track({ userId: 'u' }); }, ValidationError, 'event is required but not defined', 'track without event');
    rejects(function () { Segment.track({ event: '', userId: 'u' }); }, ValidationError, 'event is required but not defined', 'track empty event');
    rejects(function () { Segment.track({ event: 'E' }); }, ValidationError, ONE_OF, 'track without ids');
    rejects(function () { Segment.track({}); }, ValidationError, 'event is required but not defined', 'event is checked first');
    rejects(function () { Segment.identify({ userId: '', anonymousId: null }); }, ValidationError, ONE_OF, 'identify');
    rejects(function () { Segment.alias({ previousId: 'p' }); }, ValidationError, ONE_OF, 'alias without ids');
    // page, screen and group run without ids, as the seed's own samples do.
    eq(Segment.page({ anonymousId: 0, name: 'Home' }), { type: 'page', name: 'Home' }, 'page without ids');
    eq(Segment.screen({}), { type: 'screen' }, 'screen without ids');
    eq(Segment.group({ groupId: 'g' }), { type: 'group', groupId: 'g' }, 'group without ids');
    rejects(function () { Segment.group({ userId: 'u' }); }, ValidationError, 'groupId is required but not defined', 'group');
    rejects(function () { Segment.alias({ userId: 'u' }); }, ValidationError, 'previousId is required but not defined', 'alias');
    rejects(function () { Segment.set({ id: 'x' }); }, ValidationError, 'collection is required but not defined', 'set collection');
    rejects(function () { Segment.set({ collection: 'c', id: '' }); }, ValidationError, 'id is required but not defined', 'set id');
    rejects(function () { Segment.track(); }, TypeError, "Cannot read properties of undefined (reading 'event')", 'track()');
    rejects(function () { Segment.identify(null); }, TypeError, "Cannot read properties of null (reading 'traits')", 'identify(null)');
    rejects(function () { Segment.set(undefined); }, TypeError, "Cannot read properties of undefined (reading 'collection')", 'set()');
    rejects(function () { Segment.identify('u1'); }, ValidationError, ONE_OF, 'a string argument');
    var e = rejects(function () { Segment.track({}); }, ValidationError, 'event is required but not defined', 'error details');
    eq(e.name, 'ValidationError', 'name');
    ok(e instanceof Error, 'instanceof Error');
    ok(/^ValidationError: event is required but not defined\n/.test(e.stack), 'stack: ' + e.stack);
    if (PRIVATE) eq(errorType(e), 'Message Rejected', 'type');
    if (PRIVATE) eq(run.events.length, 13, 'failed calls append nothing');
  })();

  if (PRIVATE) run = savedRun;
}
