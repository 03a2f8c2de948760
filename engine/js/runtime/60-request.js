/*
 * The `request` onRequest receives. engine.c makes it (push_request): an
 * object with ServerRequest.prototype, its `method`, and under a hidden key
 * (native.requestKey) the record {url, headers: [[name, value], ...], body,
 * form, sortKeys}, where body is the bytes received and sortKeys asks json()
 * for objects with sorted keys (a deployed function).
 *
 * Like the ServerRequest of Segment's Node.js runtime:
 *   json()   the body parsed as JSON (a SyntaxError propagates), or, when the
 *            Content-Type is application/x-www-form-urlencoded (record.form),
 *            the object of its fields (parseForm). The result is kept: later
 *            calls return the same object. JSON goes through
 *            native.parseJson (engine/native-json.c): what JSON.parse gives,
 *            several times faster, with Node's reading of characters beyond
 *            U+FFFF and of bytes that are not UTF-8.
 *   text()   the body as the raw string
 *   headers  a Headers          url  a URL          method  'POST', …
 *
 * headers and url are built on first use by getters on the prototype, which
 * then leave a plain data property on the request: most functions only call
 * json(), and a warm invocation must stay cheap.
 */
var REQUEST_DATA = native.requestKey;

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

ServerRequest.prototype.json = function json() {
  var data = requestData(this);
  if (data.parsed === undefined) {
    /* A deployed function's keys come sorted; text() stays raw, so
     * signatures over the bytes the provider sent still verify. */
    data.parsed = data.form ? parseForm(native.text(data.body)) : native.parseJson(data.body, data.sortKeys);
  }
  return data.parsed;
};

ServerRequest.prototype.text = function text() {
  var data = requestData(this);
  if (data.text === undefined) data.text = native.text(data.body);
  return data.text;
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
