/*
 * The rest of Segment's global library: lodash as `_` (the real lodash 4,
 * embedded in the binary and evaluated into the heap on first use, once per
 * heap), the per-instance `cache`, and, for the Node-only libraries Segment
 * offers that srcfn cannot run, globals that fail with a clear message the
 * moment they are used.
 */
Object.defineProperty(global, '_', {
  configurable: true, enumerable: false,
  get: function () {
    delete global._;
    native.loadLodash();   /* lodash's own UMD code sets global._ */
    return global._;
  },
  set: function (value) {
    Object.defineProperty(global, '_', { value: value, writable: true, configurable: true, enumerable: false });
  }
});

/* cache.load(key, ttlMs, fn): the value cached under key, calling fn (possibly
 * async) only when it is missing or older than ttlMs (-1 or omitted: never
 * expires). Concurrent loads of one key share one call. */
var cacheEntries = Object.create(null);

function cacheFresh(entry) {
  return entry && (entry.ttl < 0 || native.now() - entry.at < entry.ttl);
}

defineGlobal('cache', {
  load: function (key, ttlMs, fn) {
    if (typeof ttlMs === 'function') { fn = ttlMs; ttlMs = -1; }
    if (typeof fn !== 'function') return Promise.reject(new TypeError('cache.load needs a function that produces the value'));
    var k = String(key);
    var entry = cacheEntries[k];
    if (cacheFresh(entry)) return entry.promise;
    var ttl = ttlMs === undefined || ttlMs === null || Number(ttlMs) < 0 ? -1 : Number(ttlMs);
    var promise = new Promise(function (resolve) { resolve(fn()); });
    entry = { promise: promise, at: native.now(), ttl: ttl };
    cacheEntries[k] = entry;
    promise.then(null, function () {
      if (cacheEntries[k] === entry) delete cacheEntries[k];   /* failures are not cached */
    });
    return promise;
  },
  'delete': function (key) {
    delete cacheEntries[String(key)];
  }
});

function clearCache() { cacheEntries = Object.create(null); }

/* Names Segment's Node.js runtime provides that need Node.js itself. */
var UNAVAILABLE = [
  ['AWS', 'aws-sdk'], ['FormData', 'form-data'], ['OAuth', 'oauth'], ['xml', 'xml'],
  ['xml2js', 'xml2js'], ['jsonwebtoken', 'jsonwebtoken'], ['zlib', 'zlib'],
  ['moment', 'moment-timezone'], ['stripe', 'stripe'], ['twilio', 'twilio'],
  ['jsforce', 'jsforce'], ['winston', 'winston'], ['mailchimp', 'mailchimp marketing'],
  ['hubspot', 'hubspot-api-nodejs'], ['Sendgrid', '@sendgrid/client'], ['mailjet', 'node-mailjet'],
  ['libphonenumberjs', 'libphonenumber-js'], ['fetchretry', 'fetch-retry'], ['google', 'googleapis'],
  ['BigQuery', '@google-cloud/bigquery'], ['Datastore', '@google-cloud/datastore'],
  ['Firestore', '@google-cloud/firestore'], ['PubSub', '@google-cloud/pubsub'],
  ['Storage', '@google-cloud/storage'], ['CloudTasks', '@google-cloud/tasks'],
  ['require', 'require()'], ['process', 'process'], ['module', 'module']
];

function unavailable(name, library) {
  function refuse() {
    throw new Error(name + ' (' + library + ') is not available in srcfn: it runs functions without ' +
      'Node.js modules. Use fetch, crypto, Buffer or _ instead, or test this function in Segment.');
  }
  return new Proxy(function () {}, {
    get: function (target, prop) {
      if (prop === Symbol.toPrimitive || prop === 'toString') return function () { return '[unavailable ' + name + ']'; };
      refuse();
    },
    apply: refuse,
    construct: refuse,
    set: refuse
  });
}

UNAVAILABLE.forEach(function (u) {
  if (!(u[0] in global)) defineGlobal(u[0], unavailable(u[0], u[1]));
});
