/*
 * The `request` onRequest receives, built by makeRequest(data) from the
 * engine's {method, url, headers: [[name, value], …], body}.
 *
 * Like the ServerRequest of Segment's Node.js runtime:
 *   json()   the body parsed as JSON (a SyntaxError propagates), or, when the
 *            Content-Type is application/x-www-form-urlencoded, the object of
 *            its fields (parseForm); a body given as an object is returned as
 *            is. The result is kept: later calls return the same object.
 *            JSON goes through native.parseJson (engine/native-json.c): what
 *            JSON.parse gives, several times faster, with Node's reading of
 *            characters beyond U+FFFF and of bytes that are not UTF-8.
 *   text()   the body as the raw string (an object body: its JSON text)
 *   headers  a Headers          url  a URL          method  'POST', …
 *
 * headers and url are built on first use by getters on the prototype, which
 * then leave a plain data property on the request: most functions only call
 * json(), and a warm invocation must stay cheap.
 */
var REQUEST_DATA = Symbol('srcfn.request');
var FORM_CONTENT_TYPE = /^[\t ]*application\/x-www-form-urlencoded[\t ]*(;|$)/i;

function ServerRequest() {
  throw new TypeError('Illegal constructor');
}

function requestData(req) {
  var data = req !== null && typeof req === 'object' ? req[REQUEST_DATA] : undefined;
  if (!data) throw new TypeError('Illegal invocation');
  return data;
}

function ownData(obj, key, value) {
  Object.defineProperty(obj, key, { value: value, writable: true, enumerable: true, configurable: true });
}

/* The Content-Type of the raw header pairs, without building a Headers. */
function requestContentType(pairs) {
  var i, found = null;
  if (!pairs) return null;
  for (i = 0; i < pairs.length; i++) {
    if (String(pairs[i][0]).toLowerCase() === 'content-type') {
      found = found === null ? String(pairs[i][1]) : found + ', ' + pairs[i][1];
    }
  }
  return found;
}

ServerRequest.prototype.json = function json() {
  var data = requestData(this), body = data.body;
  if (body !== null && typeof body === 'object') return body;
  if (data.parsed === undefined) {
    /* A deployed function parses the copy with sorted keys; text() stays raw,
     * so signatures over the bytes the provider sent still verify. */
    if (typeof data.jsonText === 'string') body = data.jsonText;
    var text = body === undefined || body === null ? '' : String(body);
    data.parsed = FORM_CONTENT_TYPE.test(requestContentType(data.headers) || '') ? parseForm(text) : native.parseJson(text);
  }
  return data.parsed;
};

ServerRequest.prototype.text = function text() {
  var body = requestData(this).body;
  if (body === undefined || body === null) return '';
  return typeof body === 'object' ? JSON.stringify(body) : String(body);
};

Object.defineProperty(ServerRequest.prototype, 'headers', {
  get: function () {
    var h = headersFromData(requestData(this).headers);
    ownData(this, 'headers', h);
    return h;
  },
  set: function (value) { ownData(this, 'headers', value); },
  enumerable: false, configurable: true
});

Object.defineProperty(ServerRequest.prototype, 'url', {
  get: function () {
    var u = new URL(requestData(this).url || 'https://fn.segmentapis.com/');
    ownData(this, 'url', u);
    return u;
  },
  set: function (value) { ownData(this, 'url', value); },
  enumerable: false, configurable: true
});

function makeRequest(data) {
  var req = Object.create(ServerRequest.prototype);
  data = data || {};
  Object.defineProperty(req, REQUEST_DATA, {
    value: { headers: data.headers, url: data.url, body: data.body, jsonText: data.jsonText, parsed: undefined },
    writable: false, enumerable: false, configurable: false
  });
  req.method = data.method ? String(data.method) : 'POST';
  return req;
}
