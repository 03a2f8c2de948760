/*
 * fetch, Request and Response with node-fetch 2 semantics (what Segment's
 * runtime gives functions), plus a minimal AbortController/AbortSignal.
 *
 * The bytes move in engine/fetch.c: native.fetchStart(id, method, url, pairs,
 * body, options) starts one HTTP/1.1 exchange on the engine's curl multi
 * handle, and the engine calls fetchDone(id, result) once it finished, from
 * its event loop. Everything node-fetch decides lives here: default headers,
 * body encoding and Content-Type, redirects (followed hop by hop, as
 * node-fetch does: 303, or 301/302 after a POST, become a GET; credentials
 * are dropped when a hop leaves the host), the FetchError messages.
 *
 * Invariants:
 * - A body is held as bytes (a Uint8Array over the data) or null; its state
 *   lives under the private BODY symbol. Responses arrive whole, so there are
 *   no streams: `body` is a Buffer (a Uint8Array without Buffer), not a
 *   Readable.
 * - inflight[id] exists from fetchStart until the transfer is delivered or
 *   aborted. Transfers the engine dropped at the end of a run (a function
 *   that did not await its fetch) leave stale entries, forgotten as soon as
 *   the engine reports no transfer in flight.
 * - fetch() never throws: every error rejects its promise, as node-fetch's
 *   does (it works inside the Promise executor).
 */

var BODY = Symbol('srcfn.body');
var REQUEST = Symbol('srcfn.request');
var RESPONSE = Symbol('srcfn.response');
var SIGNAL = Symbol('srcfn.abortSignal');

var utf8Encoder = new TextEncoder();
var utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });
var HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
var HEADER_CONTENT_BAD = /[^\t\x20-\x7e\x80-\xff]/;
var ABSOLUTE_URL = /^([a-zA-Z][a-zA-Z\d+\-.]*:)\/\/(?:[^@\/?#]*@)?(\[[^\]]*\]|[^:\/?#]*)/;
var HAS_SCHEME = /^[a-zA-Z][a-zA-Z\d+\-.]*:/;
var NODE_FETCH_AGENT = 'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)';
var REDIRECT_STATUS = { 301: true, 302: true, 303: true, 307: true, 308: true };

/* Node's http.STATUS_CODES, for the statusText of a Response built by hand. */
var STATUS_CODES = {
  100: 'Continue', 101: 'Switching Protocols', 102: 'Processing', 103: 'Early Hints',
  200: 'OK', 201: 'Created', 202: 'Accepted', 203: 'Non-Authoritative Information',
  204: 'No Content', 205: 'Reset Content', 206: 'Partial Content', 207: 'Multi-Status',
  208: 'Already Reported', 226: 'IM Used', 300: 'Multiple Choices', 301: 'Moved Permanently',
  302: 'Found', 303: 'See Other', 304: 'Not Modified', 305: 'Use Proxy', 307: 'Temporary Redirect',
  308: 'Permanent Redirect', 400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required',
  403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 406: 'Not Acceptable',
  407: 'Proxy Authentication Required', 408: 'Request Timeout', 409: 'Conflict', 410: 'Gone',
  411: 'Length Required', 412: 'Precondition Failed', 413: 'Payload Too Large', 414: 'URI Too Long',
  415: 'Unsupported Media Type', 416: 'Range Not Satisfiable', 417: 'Expectation Failed',
  418: "I'm a Teapot", 421: 'Misdirected Request', 422: 'Unprocessable Entity', 423: 'Locked',
  424: 'Failed Dependency', 425: 'Too Early', 426: 'Upgrade Required', 428: 'Precondition Required',
  429: 'Too Many Requests', 431: 'Request Header Fields Too Large',
  451: 'Unavailable For Legal Reasons', 500: 'Internal Server Error', 501: 'Not Implemented',
  502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported', 506: 'Variant Also Negotiates', 507: 'Insufficient Storage',
  508: 'Loop Detected', 509: 'Bandwidth Limit Exceeded', 510: 'Not Extended',
  511: 'Network Authentication Required'
};

/* ---- errors ------------------------------------------------------------------ */

function setOwn(obj, key, value) {
  Object.defineProperty(obj, key, { value: value, writable: true, enumerable: true, configurable: true });
}

/* node-fetch's FetchError: own message, type and, for system errors, code = errno. */
function FetchError(message, type, systemError) {
  Error.call(this, message);
  setOwn(this, 'message', message);
  this.type = type;
  if (systemError) this.code = this.errno = systemError.code;
  Error.captureStackTrace(this, this.constructor);
}
FetchError.prototype = Object.create(Error.prototype);
defineHidden(FetchError.prototype, 'constructor', FetchError);
defineHidden(FetchError.prototype, 'name', 'FetchError');

/* node-fetch's AbortError, what an aborted fetch rejects with. */
function AbortError(message) {
  Error.call(this, message);
  this.type = 'aborted';
  setOwn(this, 'message', message);
  Error.captureStackTrace(this, this.constructor);
}
AbortError.prototype = Object.create(Error.prototype);
defineHidden(AbortError.prototype, 'constructor', AbortError);
defineHidden(AbortError.prototype, 'name', 'AbortError');

/* ---- bytes ------------------------------------------------------------------- */

function hasBuffer() {
  var B = global.Buffer;
  return typeof B === 'function' && typeof B.from === 'function';
}

function toNodeBuffer(bytes) {
  return hasBuffer() ? global.Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : bytes;
}

function utf8Bytes(text) {
  return utf8Encoder.encode(String(text));
}

function utf8Text(bytes) {
  return bytes.byteLength ? utf8Decoder.decode(bytes) : '';
}

function isURLSearchParams(obj) {
  if (obj === null || typeof obj !== 'object') return false;
  if (typeof global.URLSearchParams === 'function' && obj instanceof global.URLSearchParams) return true;
  return objectToString.call(obj) === '[object URLSearchParams]' ||
    (typeof obj.append === 'function' && typeof obj.getAll === 'function' &&
     typeof obj.sort === 'function' && obj.constructor && obj.constructor.name === 'URLSearchParams');
}

/* A multipart body from the form-data package (or one shaped like it). */
function isFormData(obj) {
  return obj !== null && typeof obj === 'object' && typeof obj.getBoundary === 'function' &&
    typeof obj.getBuffer === 'function';
}

function isArrayBuffer(obj) {
  return objectToString.call(obj) === '[object ArrayBuffer]';
}

/* node-fetch's Body(): null, or the bytes a body init stands for. */
function bodyBytes(body) {
  if (body == null) return null;
  if (isURLSearchParams(body)) return utf8Bytes(body.toString());
  if (isFormData(body)) body = body.getBuffer();
  if (isArrayBuffer(body)) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  return utf8Bytes(String(body));
}

/* node-fetch's extractContentType(). */
function contentTypeOf(body) {
  if (body == null) return null;
  if (typeof body === 'string') return 'text/plain;charset=UTF-8';
  if (isURLSearchParams(body)) return 'application/x-www-form-urlencoded;charset=UTF-8';
  if (isFormData(body)) return 'multipart/form-data;boundary=' + body.getBoundary();
  if (isArrayBuffer(body) || ArrayBuffer.isView(body)) return null;
  return 'text/plain;charset=UTF-8';
}

/* ---- Body: what Request and Response share ----------------------------------------- */

function initBody(obj, body, size, timeout) {
  Object.defineProperty(obj, BODY, {
    value: { bytes: bodyBytes(body), used: false, error: null, shown: null },
    writable: false, enumerable: false, configurable: false
  });
  obj.size = size || 0;
  obj.timeout = timeout || 0;
}

function bodyState(obj, method) {
  var state = obj !== null && typeof obj === 'object' ? obj[BODY] : undefined;
  if (!state) throw new TypeError('Method ' + method + ' called on incompatible receiver ' + describeReceiver(obj));
  return state;
}

/* node-fetch's consumeBody(): the bytes, once. */
function consumeBody(obj, method) {
  var state;
  try {
    state = bodyState(obj, method);
  } catch (e) {
    return Promise.reject(e);
  }
  if (state.used) return Promise.reject(new TypeError('body used already for: ' + obj.url));
  state.used = true;
  if (state.error) return Promise.reject(state.error);
  return Promise.resolve(state.bytes || new Uint8Array(0));
}

/* node-fetch's clone(): the body for a copy (shared bytes; nothing streams here). */
function cloneBody(obj) {
  var state = obj[BODY];
  if (state.used) throw new Error('cannot clone body after it is used');
  return state.bytes;
}

var bodyMethods = {
  arrayBuffer: function arrayBuffer() {
    return consumeBody(this, 'arrayBuffer').then(function (bytes) {
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    });
  },
  json: function json() {
    var self = this;
    return consumeBody(this, 'json').then(function (bytes) {
      try {
        return JSON.parse(utf8Text(bytes));
      } catch (err) {
        return Promise.reject(new FetchError('invalid json response body at ' + self.url +
          ' reason: ' + err.message, 'invalid-json'));
      }
    });
  },
  text: function text() {
    return consumeBody(this, 'text').then(utf8Text);
  },
  buffer: function buffer() {
    return consumeBody(this, 'buffer').then(toNodeBuffer);
  }
};

function mixinBody(proto) {
  Object.defineProperty(proto, 'body', {
    get: function () {
      var state = bodyState(this, 'body');
      if (state.bytes === null) return null;
      if (state.shown === null) state.shown = toNodeBuffer(state.bytes);
      return state.shown;
    },
    enumerable: true, configurable: true
  });
  Object.defineProperty(proto, 'bodyUsed', {
    get: function () { return bodyState(this, 'bodyUsed').used; },
    enumerable: true, configurable: true
  });
  Object.keys(bodyMethods).forEach(function (name) {
    Object.defineProperty(proto, name, {
      value: bodyMethods[name], writable: true, enumerable: true, configurable: true
    });
  });
}

function defineGetters(proto, getters) {
  Object.keys(getters).forEach(function (name) {
    Object.defineProperty(proto, name, { get: getters[name], enumerable: true, configurable: true });
  });
}

/* ---- URLs --------------------------------------------------------------------------- */

/* node-fetch's parseURL(): a string with a scheme goes through WHATWG URL. */
function normalizeURL(input) {
  var text = input !== null && typeof input === 'object' && typeof input.href === 'string' ?
    input.href : String(input);
  if (HAS_SCHEME.test(text) && typeof global.URL === 'function') text = new global.URL(text).toString();
  return text;
}

/* {protocol, hostname} of an absolute URL, or null. */
function urlParts(href) {
  var m = ABSOLUTE_URL.exec(href);
  if (!m || !m[2]) return null;
  return { protocol: m[1].toLowerCase(), hostname: m[2].toLowerCase() };
}

function resolveLocation(location, base, fallback) {
  if (typeof global.URL === 'function') return new global.URL(location, base).toString();
  return fallback || location;
}

/* node-fetch's Headers#raw(): {lowercased name: [values]}, on the Headers this
 * file makes (code written for node-fetch reads set-cookie through it). */
function headersRaw() {
  var list = this[HEADERS], out = {};
  if (list && list.order) {
    list.order.forEach(function (lower) { out[lower] = list.map[lower].values.slice(); });
  }
  return out;
}

function nodeFetchHeaders(headers) {
  defineHidden(headers, 'raw', headersRaw);
  return headers;
}

/* ---- Request ------------------------------------------------------------------------------ */

function isRequest(obj) {
  return obj !== null && typeof obj === 'object' && typeof obj[REQUEST] === 'object';
}

function isAbortSignal(obj) {
  var proto = obj && typeof obj === 'object' && Object.getPrototypeOf(obj);
  return !!(proto && proto.constructor && proto.constructor.name === 'AbortSignal');
}

function Request(input, init) {
  if (!(this instanceof Request)) throw new TypeError("Class constructor Request cannot be invoked without 'new'");
  init = init === undefined || init === null ? {} : init;
  var fromRequest = isRequest(input);
  var url = normalizeURL(fromRequest ? input.url : input);
  var method = String(init.method || (fromRequest && input.method) || 'GET').toUpperCase();
  if ((init.body != null || (fromRequest && input[BODY].bytes !== null)) &&
      (method === 'GET' || method === 'HEAD')) {
    throw new TypeError('Request with GET/HEAD method cannot have body');
  }
  var body = init.body != null ? init.body : fromRequest && input[BODY].bytes !== null ? cloneBody(input) : null;
  initBody(this, body, init.size || (fromRequest && input.size) || 0,
    init.timeout || (fromRequest && input.timeout) || 0);
  var headers = nodeFetchHeaders(new Headers(init.headers || (fromRequest && input.headers) || {}));
  if (body != null && !headers.has('Content-Type')) {
    var type = contentTypeOf(body);
    if (type) headers.append('Content-Type', type);
  }
  var signal = fromRequest ? input.signal : null;
  if ('signal' in init) signal = init.signal;
  if (signal != null && !isAbortSignal(signal)) {
    throw new TypeError('Expected signal to be an instanceof AbortSignal');
  }
  Object.defineProperty(this, REQUEST, {
    value: { method: method, url: url, headers: headers, signal: signal || null,
      redirect: init.redirect || (fromRequest && input.redirect) || 'follow' },
    writable: false, enumerable: false, configurable: false
  });
  this.follow = init.follow !== undefined ? init.follow :
    fromRequest && input.follow !== undefined ? input.follow : 20;
  this.compress = init.compress !== undefined ? init.compress :
    fromRequest && input.compress !== undefined ? input.compress : true;
  this.counter = init.counter || (fromRequest && input.counter) || 0;
  this.agent = init.agent || (fromRequest ? input.agent : undefined);
}

mixinBody(Request.prototype);
defineGetters(Request.prototype, {
  method: function () { return requestState(this).method; },
  url: function () { return requestState(this).url; },
  headers: function () { return requestState(this).headers; },
  redirect: function () { return requestState(this).redirect; },
  signal: function () { return requestState(this).signal; }
});
Object.defineProperty(Request.prototype, 'clone', {
  value: function clone() { return new Request(this); },
  writable: true, enumerable: true, configurable: true
});
defineConstant(Request.prototype, TO_STRING_TAG, 'Request');

function requestState(obj) {
  if (!isRequest(obj)) throw new TypeError('Illegal invocation');
  return obj[REQUEST];
}

/* ---- Response ------------------------------------------------------------------------------- */

function Response(body, init) {
  if (!(this instanceof Response)) throw new TypeError("Class constructor Response cannot be invoked without 'new'");
  body = body === undefined ? null : body;
  init = init === undefined || init === null ? {} : init;
  initBody(this, body, init.size, init.timeout);
  var status = init.status || 200;
  var headers = nodeFetchHeaders(new Headers(init.headers));
  if (body != null && !headers.has('Content-Type')) {
    var type = contentTypeOf(body);
    if (type) headers.append('Content-Type', type);
  }
  Object.defineProperty(this, RESPONSE, {
    value: { url: init.url, status: status, statusText: init.statusText || STATUS_CODES[status],
      headers: headers, counter: init.counter || 0 },
    writable: false, enumerable: false, configurable: false
  });
}

function responseState(obj) {
  var state = obj !== null && typeof obj === 'object' ? obj[RESPONSE] : undefined;
  if (!state) throw new TypeError('Illegal invocation');
  return state;
}

mixinBody(Response.prototype);
defineGetters(Response.prototype, {
  url: function () { return responseState(this).url || ''; },
  status: function () { return responseState(this).status; },
  ok: function () { var s = responseState(this).status; return s >= 200 && s < 300; },
  redirected: function () { return responseState(this).counter > 0; },
  statusText: function () { return responseState(this).statusText; },
  headers: function () { return responseState(this).headers; }
});
Object.defineProperty(Response.prototype, 'clone', {
  value: function clone() {
    var state = responseState(this);
    var copy = new Response(cloneBody(this), { url: this.url, status: state.status,
      statusText: state.statusText, headers: state.headers, counter: state.counter,
      size: this.size, timeout: this.timeout });
    copy[BODY].error = this[BODY].error;
    return copy;
  },
  writable: true, enumerable: true, configurable: true
});
defineConstant(Response.prototype, TO_STRING_TAG, 'Response');

/* ---- fetch --------------------------------------------------------------------------------- */

var inflight = Object.create(null);
var nextFetchId = 1;

/* The header lines to send: the request's, then node-fetch's defaults. */
function outgoingHeaders(request, bytes) {
  var headers = request.headers, list = headers[HEADERS], pairs = [];
  var dropLength = bytes !== null;
  function add(name, value) {
    if (HEADER_CONTENT_BAD.test(value)) {
      var err = new TypeError('Invalid character in header content ["' + name + '"]');
      err.code = 'ERR_INVALID_CHAR';
      throw err;
    }
    pairs.push([name, value]);
  }
  if (list && list.order) {
    /* the names as first given, each value on its own line, as Node sends them */
    list.order.forEach(function (lower) {
      if (dropLength && lower === 'content-length') return;
      var entry = list.map[lower];
      entry.values.forEach(function (value) { add(entry.name, value); });
    });
  } else {
    headers.forEach(function (value, name) {
      if (!(dropLength && name === 'content-length')) add(name, value);
    });
  }
  if (!headers.has('Accept')) add('Accept', '*/*');
  if (!headers.has('User-Agent')) add('User-Agent', NODE_FETCH_AGENT);
  if (request.compress && !headers.has('Accept-Encoding')) add('Accept-Encoding', 'gzip,deflate');
  return pairs;
}

/* The FetchError for a transfer that failed before a response was complete. */
function transferError(request, result) {
  if (result.kind === 'request-timeout') {
    return new FetchError('network timeout at: ' + request.url, 'request-timeout');
  }
  return new FetchError('request to ' + request.url + ' failed, reason: ' + result.error, 'system', result);
}

/* The error its body rejects with when a response broke off after its headers. */
function bodyError(request, result) {
  if (result.kind === 'max-size') {
    /* result.error: "over limit: <request.size, or the engine's own cap>" */
    return new FetchError('content size at ' + request.url + ' ' + result.error, 'max-size');
  }
  if (result.kind === 'request-timeout') {
    return new FetchError('Response timeout while trying to fetch ' + request.url +
      ' (over ' + request.timeout + 'ms)', 'body-timeout');
  }
  return new FetchError('Invalid response body while trying to fetch ' + request.url + ': ' + result.error,
    'system', result);
}

function fetchDone(id, result) {
  var entry = inflight[id];
  if (!entry) return;
  delete inflight[id];
  entry.finalize();
  try {
    if (result.error !== undefined && !result.headersDone) {
      entry.reject(transferError(entry.request, result));
      return;
    }
    respond(entry, result);
  } catch (e) {
    entry.reject(e);
  }
}

/* The response to a transfer: a redirect to follow or refuse, else a Response. */
function respond(entry, result) {
  var request = entry.request, status = result.status;
  var headers = headersFromData(result.headers);
  if (REDIRECT_STATUS[status] && result.error === undefined) {
    var location = headers.get('Location'), locationURL = null;
    try {
      locationURL = location === null ? null : resolveLocation(location, request.url, result.location);
    } catch (err) {
      if (request.redirect !== 'manual') {
        entry.reject(new FetchError('uri requested responds with an invalid redirect URL: ' + location,
          'invalid-redirect'));
        return;
      }
    }
    if (request.redirect === 'error') {
      entry.reject(new FetchError('uri requested responds with a redirect, redirect mode is set to error: ' +
        request.url, 'no-redirect'));
      return;
    }
    if (request.redirect === 'manual') {
      if (locationURL !== null) headers.set('Location', locationURL);
    } else if (request.redirect === 'follow' && locationURL !== null) {
      entry.resolve(followRedirect(request, status, locationURL));
      return;
    }
  }
  var response = new Response(null, { url: request.url, status: status, statusText: result.statusText,
    size: request.size, timeout: request.timeout, counter: request.counter });
  response[RESPONSE].headers = nodeFetchHeaders(headers);   /* as received: names, repeated values */
  var state = response[BODY];
  state.bytes = result.body || new Uint8Array(0);
  if (result.error !== undefined) state.error = bodyError(request, result);
  entry.resolve(response);
}

function followRedirect(request, status, locationURL) {
  if (request.counter >= request.follow) {
    return Promise.reject(new FetchError('maximum redirect reached at: ' + request.url, 'max-redirect'));
  }
  var options = { headers: new Headers(request.headers), follow: request.follow,
    counter: request.counter + 1, agent: request.agent, compress: request.compress,
    method: request.method, body: request[BODY].bytes, signal: request.signal,
    timeout: request.timeout, size: request.size };
  var from = urlParts(request.url), to = urlParts(locationURL);
  var sameHost = from && to && (to.hostname === from.hostname ||
    (to.hostname.length > from.hostname.length &&
     to.hostname.slice(-from.hostname.length - 1) === '.' + from.hostname));
  if (!sameHost || from.protocol !== to.protocol) {
    ['authorization', 'www-authenticate', 'cookie', 'cookie2'].forEach(function (name) {
      options.headers['delete'](name);
    });
  }
  if (status === 303 || ((status === 301 || status === 302) && request.method === 'POST')) {
    options.method = 'GET';
    options.body = undefined;
    options.headers['delete']('content-length');
  }
  return fetch(new Request(locationURL, options));
}

/* Starts the transfer of a request; settles entry when it ends. */
function send(request, resolve, reject) {
  var parts = urlParts(request.url);
  if (!parts) throw new TypeError('Only absolute URLs are supported');
  if (parts.protocol !== 'http:' && parts.protocol !== 'https:') {
    throw new TypeError('Only HTTP(S) protocols are supported');
  }
  if (!HTTP_TOKEN.test(request.method)) {
    var bad = new TypeError('Method must be a valid HTTP token ["' + request.method + '"]');
    bad.code = 'ERR_INVALID_HTTP_TOKEN';
    throw bad;
  }
  var bytes = request[BODY].bytes;
  if (bytes === null && (request.method === 'POST' || request.method === 'PUT')) bytes = new Uint8Array(0);
  var pairs = outgoingHeaders(request, bytes);
  var signal = request.signal;
  var id = nextFetchId++;
  var entry = { request: request, resolve: resolve, reject: reject, finalize: finalize };
  function abort() {
    if (inflight[id] !== entry) return;
    delete inflight[id];
    native.fetchAbort(id);
    finalize();
    reject(new AbortError('The user aborted a request.'));
  }
  function finalize() {
    if (signal) signal.removeEventListener('abort', abort);
  }
  if (native.fetchPending() === 0) inflight = Object.create(null);
  native.fetchStart(id, request.method, request.url, pairs, bytes === null ? undefined : bytes,
    { timeout: request.timeout, size: request.size, compress: request.compress !== false });
  inflight[id] = entry;
  if (signal) signal.addEventListener('abort', abort);
}

function fetch(input, init) {
  return new Promise(function (resolve, reject) {
    var request = new Request(input, init);
    if (request.signal && request.signal.aborted) {
      reject(new AbortError('The user aborted a request.'));
      return;
    }
    send(request, resolve, reject);
  });
}

/* What node-fetch's module hangs on its default export. */
fetch.isRedirect = function (code) { return REDIRECT_STATUS[code] === true; };
fetch.Headers = Headers;
fetch.Request = Request;
fetch.Response = Response;
fetch.FetchError = FetchError;
fetch.AbortError = AbortError;
fetch.Promise = Promise;

native.fetchOnDone(fetchDone);

defineGlobal('fetch', fetch);
defineGlobal('Request', Request);
defineGlobal('Response', Response);

/* ---- AbortController / AbortSignal (Node's globals, minimal) -------------------------------- */

function domAbortError(message, name) {
  var e = new Error(message);
  e.name = name || 'AbortError';
  e.code = name === 'TimeoutError' ? 23 : 20;
  return e;
}

var constructingSignal = false;

function AbortSignal() {
  if (!constructingSignal) throw new TypeError('Illegal constructor');
  Object.defineProperty(this, SIGNAL, {
    value: { aborted: false, reason: undefined, listeners: [] },
    writable: false, enumerable: false, configurable: false
  });
  this.onabort = null;
}

function newSignal() {
  constructingSignal = true;
  try {
    return new AbortSignal();
  } finally {
    constructingSignal = false;
  }
}

function signalState(obj) {
  var state = obj !== null && typeof obj === 'object' ? obj[SIGNAL] : undefined;
  if (!state) throw new TypeError('Illegal invocation');
  return state;
}

function abortSignal(signal, reason) {
  var state = signal[SIGNAL];
  if (state.aborted) return;
  state.aborted = true;
  state.reason = reason === undefined ? domAbortError('This operation was aborted') : reason;
  var event = { type: 'abort', target: signal, currentTarget: signal };
  if (typeof signal.onabort === 'function') signal.onabort(event);
  state.listeners.slice().forEach(function (l) {
    if (l.once) signal.removeEventListener('abort', l.fn);
    if (typeof l.fn === 'function') l.fn.call(signal, event);
    else if (l.fn && typeof l.fn.handleEvent === 'function') l.fn.handleEvent(event);
  });
}

defineGetters(AbortSignal.prototype, {
  aborted: function () { return signalState(this).aborted; },
  reason: function () { return signalState(this).reason; }
});
AbortSignal.prototype.addEventListener = function addEventListener(type, fn, options) {
  var state = signalState(this);
  if (type !== 'abort' || fn == null) return;
  for (var i = 0; i < state.listeners.length; i++) if (state.listeners[i].fn === fn) return;
  state.listeners.push({ fn: fn, once: !!(options && typeof options === 'object' && options.once) });
};
AbortSignal.prototype.removeEventListener = function removeEventListener(type, fn) {
  var state = signalState(this);
  if (type !== 'abort') return;
  for (var i = 0; i < state.listeners.length; i++) {
    if (state.listeners[i].fn === fn) {
      state.listeners.splice(i, 1);
      return;
    }
  }
};
AbortSignal.prototype.throwIfAborted = function throwIfAborted() {
  var state = signalState(this);
  if (state.aborted) throw state.reason;
};
defineConstant(AbortSignal.prototype, TO_STRING_TAG, 'AbortSignal');
AbortSignal.abort = function abort(reason) {
  var signal = newSignal();
  abortSignal(signal, reason);
  return signal;
};
AbortSignal.timeout = function timeout(ms) {
  var signal = newSignal();
  global.setTimeout(function () {
    abortSignal(signal, domAbortError('The operation was aborted due to timeout', 'TimeoutError'));
  }, ms);
  return signal;
};

function AbortController() {
  if (!(this instanceof AbortController)) {
    throw new TypeError("Class constructor AbortController cannot be invoked without 'new'");
  }
  Object.defineProperty(this, SIGNAL, {
    value: newSignal(), writable: false, enumerable: false, configurable: false
  });
}
defineGetters(AbortController.prototype, {
  signal: function () {
    if (!(this instanceof AbortController)) throw new TypeError('Illegal invocation');
    return this[SIGNAL];
  }
});
AbortController.prototype.abort = function abort(reason) {
  if (!(this instanceof AbortController)) throw new TypeError('Illegal invocation');
  abortSignal(this[SIGNAL], reason);
};
defineConstant(AbortController.prototype, TO_STRING_TAG, 'AbortController');

if (typeof global.AbortController === 'undefined') {
  defineGlobal('AbortController', AbortController);
  defineGlobal('AbortSignal', AbortSignal);
}
