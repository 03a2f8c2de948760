/*
 * URL and URLSearchParams (WHATWG URL standard, as Node 20 has them).
 *
 * URLSearchParams is plain JavaScript: application/x-www-form-urlencoded
 * parsing ('+' is a space; malformed percent escapes are kept as written;
 * invalid UTF-8 becomes U+FFFD) and serialization (only ASCII alphanumerics
 * and *-._ are left as is, a space is '+').
 *
 * URL leans on libcurl's parser (native.urlParse, engine/native-url.c) for
 * the authority, IPv4/IPv6 hosts, ports and dot segments, around which this
 * file does what curl does not do the WHATWG way:
 *  - input clean-up: leading/trailing C0 controls and spaces, tabs and
 *    newlines anywhere; backslashes as slashes in special URLs; any number of
 *    slashes after a special scheme;
 *  - reference resolution against a base (curl 7.88 resolves "#x", "" and
 *    queries with spaces differently from browsers), so curl only ever sees
 *    absolute URLs;
 *  - URLs with an opaque path (mailto:, urn:, javascript:…), which curl
 *    refuses;
 *  - lowercasing of special hosts and Punycode for international names
 *    (a lowercase mapping, not full UTS #46);
 *  - default ports dropped, percent-encoding of each component with the
 *    standard's encode sets.
 * Known differences: IPv6 addresses are lowercased but not re-compressed;
 * '%2e' path segments are not treated as dots; a URL with an empty fragment
 * ("…#") loses the '#' in href.
 *
 * searchParams is live both ways, as in the standard.
 *
 * parseForm(text): the fields of a form-urlencoded body as an object, a
 * repeated key giving an array of its values (request.json() uses it).
 */

var URL_STATE = Symbol('srcfn.url');
var PARAMS_STATE = Symbol('srcfn.urlSearchParams');
var SPECIAL_PORTS = { 'ftp:': '21', 'file:': '', 'http:': '80', 'https:': '443', 'ws:': '80', 'wss:': '443' };
var URLSearchParamsIteratorPrototype = iteratorPrototype('URLSearchParams Iterator');

/* --- percent-encoding -------------------------------------------------------- */

function toUSVString(s) {
  s = String(s);
  if (!/[\ud800-\udfff]/.test(s)) return s;
  var out = '', i, c, d;
  for (i = 0; i < s.length; i++) {
    c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length &&
        (d = s.charCodeAt(i + 1)) >= 0xdc00 && d <= 0xdfff) {
      out += s.charAt(i) + s.charAt(i + 1);
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      out += '\ufffd';
    } else {
      out += s.charAt(i);
    }
  }
  return out;
}

function hex2(n) {
  return (n < 16 ? '%0' : '%') + n.toString(16).toUpperCase();
}

function percentEncodeChar(ch) {
  if (ch.length === 1 && ch.charCodeAt(0) < 0x80) return hex2(ch.charCodeAt(0));
  return encodeURIComponent(ch);   /* UTF-8, uppercase hex */
}

/* Every code point above U+007E and the ASCII characters of `ascii` (a regexp class body). */
function encodeSet(ascii) {
  return new RegExp('[\\ud800-\\udbff][\\udc00-\\udfff]|[' + ascii + '\\u007f-\\uffff]', 'g');
}
var C0_SET = encodeSet('\\x00-\\x1f');
var FRAGMENT_SET = encodeSet('\\x00-\\x20"<>`');
var QUERY_SET = encodeSet('\\x00-\\x20"#<>');
var SPECIAL_QUERY_SET = encodeSet('\\x00-\\x20"#<>\'');
var PATH_SET = encodeSet('\\x00-\\x20"#<>?`{}');
var USERINFO_SET = encodeSet('\\x00-\\x20"#<>?`{}/:;=@\\[\\\\\\]^|');

function percentEncode(s, set) {
  set.lastIndex = 0;
  return set.test(s) ? s.replace(set, percentEncodeChar) : s;
}

/* Percent-decoding to a string: valid escapes become bytes, read as UTF-8 (bad sequences: U+FFFD). */
function percentDecode(s) {
  if (s.indexOf('%') < 0) return s;
  try {
    return decodeURIComponent(s);
  } catch (e) {
    /* malformed escapes or invalid UTF-8: byte by byte, as the standard does */
  }
  var bytes = [], i, c, h;
  for (i = 0; i < s.length; i++) {
    c = s.charCodeAt(i);
    if (c === 37 && i + 2 < s.length && /^[0-9A-Fa-f]{2}$/.test(h = s.substr(i + 1, 2))) {
      bytes.push(parseInt(h, 16));
      i += 2;
    } else if (c < 0x80) {
      bytes.push(c);
    } else {
      var enc = encodeURIComponent(codePointAt(s, i));
      if (enc.length > 9) i++;   /* a surrogate pair */
      enc.replace(/%([0-9A-F]{2})/g, function (m, x) { bytes.push(parseInt(x, 16)); return m; });
    }
  }
  return utf8Decode(bytes);
}

/* The UTF-8 decoder of the Encoding standard: each bad sequence becomes one U+FFFD. */
function utf8Decode(bytes) {
  var out = '', i = 0, needed = 0, seen = 0, cp = 0, lower = 0x80, upper = 0xbf, b;
  while (i < bytes.length) {
    b = bytes[i];
    if (needed === 0) {
      i++;
      if (b <= 0x7f) {
        out += String.fromCharCode(b);
      } else if (b >= 0xc2 && b <= 0xdf) {
        needed = 1; cp = b & 0x1f;
      } else if (b >= 0xe0 && b <= 0xef) {
        if (b === 0xe0) lower = 0xa0;
        if (b === 0xed) upper = 0x9f;
        needed = 2; cp = b & 0x0f;
      } else if (b >= 0xf0 && b <= 0xf4) {
        if (b === 0xf0) lower = 0x90;
        if (b === 0xf4) upper = 0x8f;
        needed = 3; cp = b & 0x07;
      } else {
        out += '\ufffd';
      }
      continue;
    }
    if (b < lower || b > upper) {
      /* the byte is read again as the start of a sequence */
      cp = needed = seen = 0; lower = 0x80; upper = 0xbf;
      out += '\ufffd';
      continue;
    }
    lower = 0x80; upper = 0xbf;
    cp = (cp << 6) | (b & 0x3f);
    seen++;
    i++;
    if (seen === needed) {
      out += String.fromCodePoint(cp);
      cp = needed = seen = 0;
    }
  }
  if (needed) out += '\ufffd';
  return out;
}

/* --- application/x-www-form-urlencoded -------------------------------------- */

function formDecode(s) {
  if (s.indexOf('+') >= 0) s = s.replace(/\+/g, ' ');
  return percentDecode(s);
}

/* [[name, value], …] of a form-urlencoded string. */
function parseFormPairs(input) {
  var list = [], parts, i, part, eq;
  if (input === '') return list;
  parts = input.split('&');
  for (i = 0; i < parts.length; i++) {
    part = parts[i];
    if (part === '') continue;
    eq = part.indexOf('=');
    if (eq < 0) list.push([formDecode(part), '']);
    else list.push([formDecode(part.slice(0, eq)), formDecode(part.slice(eq + 1))]);
  }
  return list;
}

var FORM_SAFE = /^[A-Za-z0-9*\-._]*$/;
var FORM_ENCODE = /[\ud800-\udbff][\udc00-\udfff]|[^A-Za-z0-9*\-._ ]/g;

function formEncode(s) {
  if (FORM_SAFE.test(s)) return s;
  return s.replace(FORM_ENCODE, percentEncodeChar).replace(/ /g, '+');
}

function serializeForm(list) {
  var out = [], i;
  for (i = 0; i < list.length; i++) out.push(formEncode(list[i][0]) + '=' + formEncode(list[i][1]));
  return out.join('&');
}

/* The fields of a form body: {name: value}, a repeated name giving [values…]. */
function parseForm(text) {
  var list = parseFormPairs(String(text)), out = {}, i, k, v;
  for (i = 0; i < list.length; i++) {
    k = list[i][0];
    v = list[i][1];
    if (!hasOwnProp.call(out, k)) {
      Object.defineProperty(out, k, { value: v, writable: true, enumerable: true, configurable: true });
    } else if (Array.isArray(out[k])) {
      out[k].push(v);
    } else {
      out[k] = [out[k], v];
    }
  }
  return out;
}

/* --- URLSearchParams ------------------------------------------------------------ */

function ParamsState(list, url) {
  this.list = list;
  this.url = url;     /* the URL whose query this is, or null */
}

function paramsStateOf(obj, method) {
  var st = obj !== null && typeof obj === 'object' ? obj[PARAMS_STATE] : undefined;
  if (!(st instanceof ParamsState)) {
    throw new TypeError('Value of "this" must be of type URLSearchParams');
  }
  return st;
}

/* The standard's "update steps": the URL follows the list. */
function paramsUpdate(st) {
  if (!st.url) return;
  var q = serializeForm(st.list);
  st.url.query = q === '' ? null : q;
}

function URLSearchParams() {
  if (!(this instanceof URLSearchParams) || hasOwnProp.call(this, PARAMS_STATE)) {
    throw new TypeError("Class constructor URLSearchParams cannot be invoked without 'new'");
  }
  var init = arguments[0], list = [];
  if (init === undefined || init === null) {
    /* empty */
  } else if (typeof init === 'object' || typeof init === 'function') {
    if (typeof init[Symbol.iterator] === 'function' || Array.isArray(init)) {
      forEachIterated(init, function (pair) {
        var items = pair !== null && typeof pair === 'object' &&
          (Array.isArray(pair) || typeof pair[Symbol.iterator] === 'function') ?
          (Array.isArray(pair) ? pair : iterableToArray(pair)) : null;
        if (!items || items.length !== 2) {
          var err = new TypeError('Each query pair must be an iterable [name, value] tuple');
          err.code = 'ERR_INVALID_TUPLE';
          throw err;
        }
        list.push([toUSVString(items[0]), toUSVString(items[1])]);
      });
    } else {
      Object.keys(init).forEach(function (key) {
        list.push([toUSVString(key), toUSVString(init[key])]);
      });
    }
  } else {
    var s = toUSVString(init);
    list = parseFormPairs(s.charAt(0) === '?' ? s.slice(1) : s);
  }
  Object.defineProperty(this, PARAMS_STATE, {
    value: new ParamsState(list, null), writable: false, enumerable: false, configurable: false
  });
}

function newSearchParams(list, url) {
  var p = Object.create(URLSearchParams.prototype);
  Object.defineProperty(p, PARAMS_STATE, {
    value: new ParamsState(list, url), writable: false, enumerable: false, configurable: false
  });
  return p;
}

function requireArgs(n, got, names) {
  if (got < n) {
    var err = new TypeError('The ' + names + ' argument' + (n > 1 ? 's' : '') + ' must be specified');
    err.code = 'ERR_MISSING_ARGS';
    throw err;
  }
}

Object.defineProperty(URLSearchParams.prototype, 'size', {
  get: function () { return paramsStateOf(this, 'size').list.length; },
  enumerable: true, configurable: true
});
URLSearchParams.prototype.append = function append(name, value) {
  var st = paramsStateOf(this, 'append');
  requireArgs(2, arguments.length, '"name" and "value"');
  st.list.push([toUSVString(name), toUSVString(value)]);
  paramsUpdate(st);
};
URLSearchParams.prototype['delete'] = function (name, value) {
  var st = paramsStateOf(this, 'delete'), i;
  requireArgs(1, arguments.length, '"name"');
  name = toUSVString(name);
  if (value !== undefined) value = toUSVString(value);
  for (i = st.list.length - 1; i >= 0; i--) {
    if (st.list[i][0] === name && (value === undefined || st.list[i][1] === value)) st.list.splice(i, 1);
  }
  paramsUpdate(st);
};
URLSearchParams.prototype.get = function get(name) {
  var st = paramsStateOf(this, 'get'), i;
  requireArgs(1, arguments.length, '"name"');
  name = toUSVString(name);
  for (i = 0; i < st.list.length; i++) if (st.list[i][0] === name) return st.list[i][1];
  return null;
};
URLSearchParams.prototype.getAll = function getAll(name) {
  var st = paramsStateOf(this, 'getAll'), out = [], i;
  requireArgs(1, arguments.length, '"name"');
  name = toUSVString(name);
  for (i = 0; i < st.list.length; i++) if (st.list[i][0] === name) out.push(st.list[i][1]);
  return out;
};
URLSearchParams.prototype.has = function has(name, value) {
  var st = paramsStateOf(this, 'has'), i;
  requireArgs(1, arguments.length, '"name"');
  name = toUSVString(name);
  if (value !== undefined) value = toUSVString(value);
  for (i = 0; i < st.list.length; i++) {
    if (st.list[i][0] === name && (value === undefined || st.list[i][1] === value)) return true;
  }
  return false;
};
URLSearchParams.prototype.set = function set(name, value) {
  var st = paramsStateOf(this, 'set'), i, found = false;
  requireArgs(2, arguments.length, '"name" and "value"');
  name = toUSVString(name);
  value = toUSVString(value);
  for (i = 0; i < st.list.length; i++) {
    if (st.list[i][0] !== name) continue;
    if (found) { st.list.splice(i, 1); i--; } else { st.list[i][1] = value; found = true; }
  }
  if (!found) st.list.push([name, value]);
  paramsUpdate(st);
};
URLSearchParams.prototype.sort = function sort() {
  var st = paramsStateOf(this, 'sort');
  /* Stable, by UTF-16 code units of the names (Array.prototype.sort is stable here). */
  var indexed = st.list.map(function (pair, i) { return [pair, i]; });
  indexed.sort(function (a, b) {
    if (a[0][0] < b[0][0]) return -1;
    if (a[0][0] > b[0][0]) return 1;
    return a[1] - b[1];
  });
  st.list = indexed.map(function (x) { return x[0]; });
  paramsUpdate(st);
};

function paramsIterator(obj, kind) {
  var st = paramsStateOf(obj, kind), index = 0;
  return createIterator(URLSearchParamsIteratorPrototype, function next() {
    if (index >= st.list.length) return iterDone();
    var pair = st.list[index++];
    return iterResult(kind === 'keys' ? pair[0] : kind === 'values' ? pair[1] : [pair[0], pair[1]]);
  });
}

URLSearchParams.prototype.entries = function entries() { return paramsIterator(this, 'entries'); };
URLSearchParams.prototype.forEach = function forEach(callback, thisArg) {
  var st = paramsStateOf(this, 'forEach'), i;
  if (typeof callback !== 'function') {
    var err = new TypeError('The "callback" argument must be of type function. Received ' +
      (callback === undefined ? 'undefined' : inspect(callback)));
    err.code = 'ERR_INVALID_ARG_TYPE';
    throw err;
  }
  for (i = 0; i < st.list.length; i++) {
    callback.call(thisArg, st.list[i][1], st.list[i][0], this);
  }
};
URLSearchParams.prototype.keys = function keys() { return paramsIterator(this, 'keys'); };
URLSearchParams.prototype.values = function values() { return paramsIterator(this, 'values'); };
URLSearchParams.prototype.toString = function toString() {
  return serializeForm(paramsStateOf(this, 'toString').list);
};
Object.defineProperty(URLSearchParams.prototype, Symbol.iterator, {
  value: URLSearchParams.prototype.entries, writable: true, enumerable: false, configurable: true
});
Object.defineProperty(URLSearchParams.prototype, Symbol.toStringTag, {
  value: 'URLSearchParams', writable: false, enumerable: false, configurable: true
});
/* util.inspect, as Node prints it: URLSearchParams { 'a' => '1' } */
Object.defineProperty(URLSearchParams.prototype, INSPECT_CUSTOM, {
  value: function (depth, options) {
    var st = this[PARAMS_STATE], output = [], length, i, inner = {};
    if (!(st instanceof ParamsState)) return this;
    if (typeof depth === 'number' && depth < 0) return '[Object]';
    for (var k in options) inner[k] = options[k];
    if (depth !== null) inner.depth = depth - 1;
    for (i = 0; i < st.list.length; i++) {
      output.push(inspect(st.list[i][0], inner) + ' => ' + inspect(st.list[i][1], inner));
    }
    length = output.reduce(function (prev, cur) { return prev + cur.length + 2; }, -2);
    if (length > (options && options.breakLength || 80)) {
      return 'URLSearchParams {\n  ' + output.join(',\n  ') + ' }';
    }
    return output.length ? 'URLSearchParams { ' + output.join(', ') + ' }' : 'URLSearchParams {}';
  },
  writable: true, enumerable: false, configurable: true
});

defineGlobal('URLSearchParams', URLSearchParams);

/* --- Punycode (RFC 3492), for international host names ----------------------- */

function punycodeEncode(input) {
  var cps = [], i, n = 128, delta = 0, bias = 72, h, b, m, q, k, t, out = '', c;
  var base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700;
  for (i = 0; i < input.length; i++) {
    c = input.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < input.length) {
      c = (c - 0xd800) * 0x400 + input.charCodeAt(++i) - 0xdc00 + 0x10000;
    }
    cps.push(c);
  }
  function digit(d) { return String.fromCharCode(d + 22 + 75 * (d < 26)); }
  function adapt(d, numPoints, first) {
    var kk = 0;
    d = first ? Math.floor(d / damp) : d >> 1;
    d += Math.floor(d / numPoints);
    for (; d > ((base - tMin) * tMax) >> 1; kk += base) d = Math.floor(d / (base - tMin));
    return Math.floor(kk + (base - tMin + 1) * d / (d + skew));
  }
  for (i = 0; i < cps.length; i++) if (cps[i] < 128) out += String.fromCharCode(cps[i]);
  h = b = out.length;
  if (b) out += '-';
  while (h < cps.length) {
    m = Infinity;
    for (i = 0; i < cps.length; i++) if (cps[i] >= n && cps[i] < m) m = cps[i];
    delta += (m - n) * (h + 1);
    n = m;
    for (i = 0; i < cps.length; i++) {
      if (cps[i] < n) delta++;
      if (cps[i] === n) {
        for (q = delta, k = base; ; k += base) {
          t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias);
          if (q < t) break;
          out += digit(t + (q - t) % (base - t));
          q = Math.floor((q - t) / (base - t));
        }
        out += digit(q);
        bias = adapt(delta, h + 1, h === b);
        delta = 0;
        h++;
      }
    }
    delta++;
    n++;
  }
  return out;
}

function domainToASCII(host) {
  host = host.toLowerCase();
  if (!/[^\x00-\x7f]/.test(host)) return host;
  return host.split('.').map(function (label) {
    return /[^\x00-\x7f]/.test(label) ? 'xn--' + punycodeEncode(label) : label;
  }).join('.');
}

/* --- URL parsing ---------------------------------------------------------------- */

function invalidURL(input) {
  var err = new TypeError('Invalid URL');
  err.code = 'ERR_INVALID_URL';
  err.input = input;
  return err;
}

function isSpecial(protocol) {
  return hasOwnProp.call(SPECIAL_PORTS, protocol);
}

/* The record behind a URL. host === null: no authority; query/fragment null: absent. */
function UrlRecord() {
  this.protocol = '';
  this.username = '';
  this.password = '';
  this.host = null;
  this.port = '';
  this.pathname = '';
  this.query = null;
  this.fragment = null;
  this.opaque = false;
  this.params = null;   /* the URLSearchParams handed out, if any */
}

function authorityOf(r) {
  if (r.host === null) return '';
  var s = '//';
  if (r.username !== '' || r.password !== '') {
    s += r.username + (r.password !== '' ? ':' + r.password : '') + '@';
  }
  return s + r.host + (r.port !== '' ? ':' + r.port : '');
}

function hrefOf(r) {
  var s = r.protocol + authorityOf(r);
  if (r.host === null && !r.opaque && r.pathname.slice(0, 2) === '//') s += '/.';
  s += r.pathname;
  if (r.query !== null) s += '?' + r.query;
  if (r.fragment !== null) s += '#' + r.fragment;
  return s;
}

var SCHEME = /^([a-zA-Z][a-zA-Z0-9+.\-]*):/;

/* An absolute URL without an authority: "mailto:x", "urn:a:b", "foo:/p". */
function parseWithoutAuthority(protocol, rest) {
  var r = new UrlRecord(), hashAt = rest.indexOf('#'), queryAt;
  r.protocol = protocol;
  if (hashAt >= 0) {
    r.fragment = percentEncode(rest.slice(hashAt + 1), FRAGMENT_SET);
    rest = rest.slice(0, hashAt);
  }
  queryAt = rest.indexOf('?');
  if (queryAt >= 0) {
    r.query = percentEncode(rest.slice(queryAt + 1), QUERY_SET);
    rest = rest.slice(0, queryAt);
  }
  r.opaque = rest.charAt(0) !== '/';
  r.pathname = percentEncode(rest, r.opaque ? C0_SET : PATH_SET);
  return r;
}

/* Resolves a relative reference against a base record: an absolute URL string. */
function resolveReference(input, base, special) {
  var withoutFragment = hrefOf(base);
  if (base.fragment !== null) withoutFragment = withoutFragment.slice(0, withoutFragment.length - base.fragment.length - 1);
  if (input === '') return withoutFragment;
  var c = input.charAt(0);
  if (c === '#') return withoutFragment + input;
  if (base.opaque) return null;
  var prefix = base.protocol + authorityOf(base);
  if (c === '?') return prefix + base.pathname + input;
  if (special) input = slashesOfPath(input);
  if (input.slice(0, 2) === '//') return base.protocol + input;
  if (c === '/') return prefix + input;
  var dir = base.pathname.slice(0, base.pathname.lastIndexOf('/') + 1);
  if (dir === '' && base.host !== null) dir = '/';
  return prefix + dir + input;
}

/* Backslashes in the path part (before '?' or '#') count as slashes in special URLs. */
function slashesOfPath(s) {
  var end = s.search(/[?#]/), head = end < 0 ? s : s.slice(0, end);
  if (head.indexOf('\\') < 0) return s;
  return head.replace(/\\/g, '/') + (end < 0 ? '' : s.slice(end));
}

function parseURL(input, base) {
  var original = input, m, protocol, rest, special, abs, parts, r;
  input = toUSVString(input).replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, '').replace(/[\t\n\r]/g, '');
  m = SCHEME.exec(input);
  if (m) {
    protocol = m[1].toLowerCase() + ':';
    rest = input.slice(m[0].length);
    special = isSpecial(protocol);
    if (special && base && base.protocol === protocol && !/^[\/\\]/.test(rest)) {
      abs = resolveReference(rest, base, true);            /* "https:x" against an https base */
    } else if (special) {
      rest = slashesOfPath(rest);
      abs = protocol === 'file:' ?
        'file://' + (rest.slice(0, 2) === '//' ? rest.slice(2) : rest.charAt(0) === '/' ? rest : '/' + rest) :
        protocol + '//' + rest.replace(/^\/+/, '');
    } else if (rest.slice(0, 2) !== '//') {
      return parseWithoutAuthority(protocol, rest);
    } else {
      abs = protocol + rest;
    }
  } else {
    if (!base) throw invalidURL(original);
    special = isSpecial(base.protocol);
    abs = resolveReference(input, base, special);
    if (abs === null) throw invalidURL(original);
    if (base.opaque || base.host === null) {
      m = SCHEME.exec(abs);
      if (!isSpecial(base.protocol) && abs.slice(m[0].length, m[0].length + 2) !== '//') {
        return parseWithoutAuthority(base.protocol, abs.slice(m[0].length));
      }
    }
  }
  if (typeof native.urlParse !== 'function') throw new Error('URL parsing needs the srcfn engine');
  /* C0 controls would make curl refuse what the standard percent-encodes. */
  abs = abs.replace(/[\x00-\x1f\x7f]/g, percentEncodeChar);
  try {
    parts = native.urlParse(abs);
  } catch (e) {
    throw invalidURL(original);
  }
  r = new UrlRecord();
  r.protocol = parts.protocol;
  special = isSpecial(r.protocol);
  r.username = percentEncode(parts.username, USERINFO_SET);
  r.password = percentEncode(parts.password, USERINFO_SET);
  r.host = parts.hostname;
  if (special) {
    r.host = r.host.charAt(0) === '[' ? r.host.toLowerCase() : domainToASCII(percentDecode(r.host));
    if (/[\x00-\x20#%\/:<>?@\[\\\]^|]/.test(r.host.replace(/^\[.*\]$/, ''))) throw invalidURL(original);
  } else {
    r.host = percentEncode(r.host, C0_SET);
  }
  r.port = parts.port === '' ? '' : String(parseInt(parts.port, 10));
  if (special && SPECIAL_PORTS[r.protocol] === r.port) r.port = '';
  r.pathname = percentEncode(parts.pathname, PATH_SET);
  if (special && r.pathname === '') r.pathname = '/';
  if (parts.search !== '') r.query = percentEncode(parts.search.slice(1), special ? SPECIAL_QUERY_SET : QUERY_SET);
  if (parts.hash !== '') r.fragment = percentEncode(parts.hash.slice(1), FRAGMENT_SET);
  if (r.protocol === 'file:') r.host = r.host === 'localhost' ? '' : r.host;
  return r;
}

/* --- URL ---------------------------------------------------------------------------- */

function urlStateOf(obj) {
  var r = obj !== null && typeof obj === 'object' ? obj[URL_STATE] : undefined;
  if (!(r instanceof UrlRecord)) throw new TypeError('Value of "this" must be of type URL');
  return r;
}

function installRecord(url, r) {
  Object.defineProperty(url, URL_STATE, { value: r, writable: true, enumerable: false, configurable: true });
}

/* Replaces the record of `url`, keeping its URLSearchParams object (updated). */
function replaceRecord(url, r) {
  var old = urlStateOf(url);
  r.params = old.params;
  if (r.params) {
    r.params[PARAMS_STATE].list = r.query === null ? [] : parseFormPairs(r.query);
    r.params[PARAMS_STATE].url = r;
  }
  installRecord(url, r);
}

function URL(input) {
  if (!(this instanceof URL) || hasOwnProp.call(this, URL_STATE)) {
    throw new TypeError("Class constructor URL cannot be invoked without 'new'");
  }
  if (arguments.length === 0) {
    var err = new TypeError('The "url" argument must be specified');
    err.code = 'ERR_MISSING_ARGS';
    throw err;
  }
  var base = arguments[1], baseRecord = null;
  if (base !== undefined) {
    baseRecord = base instanceof URL ? urlStateOf(base) : parseURL(String(base), null);
  }
  installRecord(this, parseURL(String(input), baseRecord));
}

URL.canParse = function canParse(input, base) {
  try {
    parseURL(String(input), base === undefined ? null : parseURL(String(base), null));
    return true;
  } catch (e) {
    return false;
  }
};

/* Re-parses `href` with one part changed; a setter that cannot apply is ignored, as the standard says. */
function reparse(url, href) {
  var r;
  try { r = parseURL(href, null); } catch (e) { return; }
  replaceRecord(url, r);
}

function prefixOf(r) {
  return r.protocol + authorityOf(r);
}

function tailOf(r) {
  return (r.query !== null ? '?' + r.query : '') + (r.fragment !== null ? '#' + r.fragment : '');
}

function urlAccessor(name, get, set) {
  Object.defineProperty(URL.prototype, name, {
    get: function () { return get(urlStateOf(this)); },
    set: set ? function (value) { set(this, urlStateOf(this), toUSVString(value)); } : undefined,
    enumerable: true, configurable: true
  });
}

URL.prototype.toString = function toString() { return hrefOf(urlStateOf(this)); };

urlAccessor('href', hrefOf, function (url, r, value) {
  replaceRecord(url, parseURL(value, null));   /* throws Invalid URL, as Node does */
});
urlAccessor('origin', function (r) {
  if (r.protocol === 'blob:') {
    try { return new URL(r.pathname).origin; } catch (e) { return 'null'; }
  }
  if (r.protocol === 'file:' || !isSpecial(r.protocol)) return 'null';
  return r.protocol + '//' + r.host + (r.port !== '' ? ':' + r.port : '');
});
urlAccessor('protocol', function (r) { return r.protocol; }, function (url, r, value) {
  var m = /^([a-zA-Z][a-zA-Z0-9+.\-]*)(:|$)/.exec(value);
  if (!m) return;
  var p = m[1].toLowerCase() + ':';
  if (isSpecial(p) !== isSpecial(r.protocol) || p === 'file:' || r.protocol === 'file:') return;
  if (r.opaque) return;
  reparse(url, p + authorityOf(r) + r.pathname + tailOf(r));
});
urlAccessor('username', function (r) { return r.username; }, function (url, r, value) {
  if (r.host === null || r.host === '' || r.protocol === 'file:') return;
  r.username = percentEncode(value, USERINFO_SET);
});
urlAccessor('password', function (r) { return r.password; }, function (url, r, value) {
  if (r.host === null || r.host === '' || r.protocol === 'file:') return;
  r.password = percentEncode(value, USERINFO_SET);
});
urlAccessor('host', function (r) {
  return r.host === null ? '' : r.host + (r.port !== '' ? ':' + r.port : '');
}, function (url, r, value) {
  if (r.opaque || value === '') return;
  var host = value.split(/[\/?#\\]/)[0];
  var userinfo = r.username !== '' || r.password !== '' ?
    r.username + (r.password !== '' ? ':' + r.password : '') + '@' : '';
  var hasPort = /:\d*$/.test(host) && host.charAt(host.length - 1) !== ']';
  reparse(url, r.protocol + '//' + userinfo + host + (hasPort ? '' : (r.port !== '' ? ':' + r.port : '')) +
    r.pathname + tailOf(r));
});
urlAccessor('hostname', function (r) { return r.host === null ? '' : r.host; }, function (url, r, value) {
  if (r.opaque || value === '') return;
  var host = value.split(/[\/?#\\:]/)[0];
  if (value.charAt(0) === '[') host = value.slice(0, value.indexOf(']') + 1);
  var userinfo = r.username !== '' || r.password !== '' ?
    r.username + (r.password !== '' ? ':' + r.password : '') + '@' : '';
  reparse(url, r.protocol + '//' + userinfo + host + (r.port !== '' ? ':' + r.port : '') + r.pathname + tailOf(r));
});
urlAccessor('port', function (r) { return r.port; }, function (url, r, value) {
  if (r.host === null || r.host === '' || r.protocol === 'file:') return;
  if (value === '') {
    r.port = '';
    return;
  }
  var m = /^\d+/.exec(value);
  if (!m) return;
  var port = parseInt(m[0], 10);
  if (port > 65535) return;
  r.port = SPECIAL_PORTS[r.protocol] === String(port) ? '' : String(port);
});
urlAccessor('pathname', function (r) { return r.pathname; }, function (url, r, value) {
  if (r.opaque) return;
  var special = isSpecial(r.protocol);
  if (special) value = value.replace(/\\/g, '/');
  value = value.replace(/\?/g, '%3F').replace(/#/g, '%23');
  if (value.charAt(0) !== '/' && (special || r.host !== null)) value = '/' + value;
  if (r.host === null) {
    r.pathname = percentEncode(value, PATH_SET);
    return;
  }
  reparse(url, prefixOf(r) + value + tailOf(r));
});
urlAccessor('search', function (r) {
  return r.query === null || r.query === '' ? '' : '?' + r.query;
}, function (url, r, value) {
  if (value === '') {
    r.query = null;
  } else {
    if (value.charAt(0) === '?') value = value.slice(1);
    r.query = percentEncode(value, isSpecial(r.protocol) ? SPECIAL_QUERY_SET : QUERY_SET);
  }
  if (r.params) r.params[PARAMS_STATE].list = r.query === null ? [] : parseFormPairs(r.query);
});
urlAccessor('searchParams', function (r) {
  if (!r.params) r.params = newSearchParams(r.query === null ? [] : parseFormPairs(r.query), r);
  return r.params;
});
urlAccessor('hash', function (r) {
  return r.fragment === null || r.fragment === '' ? '' : '#' + r.fragment;
}, function (url, r, value) {
  if (value === '') {
    r.fragment = null;
    return;
  }
  if (value.charAt(0) === '#') value = value.slice(1);
  r.fragment = percentEncode(value, FRAGMENT_SET);
});
URL.prototype.toJSON = function toJSON() { return hrefOf(urlStateOf(this)); };

Object.defineProperty(URL.prototype, Symbol.toStringTag, {
  value: 'URL', writable: false, enumerable: false, configurable: true
});
/* util.inspect, as Node prints a URL. */
Object.defineProperty(URL.prototype, INSPECT_CUSTOM, {
  value: function (depth, options) {
    var r = this[URL_STATE];
    if (!(r instanceof UrlRecord)) return this;
    if (typeof depth === 'number' && depth < 0) return this;
    var self = this, obj = {};
    ['href', 'origin', 'protocol', 'username', 'password', 'host', 'hostname', 'port',
     'pathname', 'search', 'searchParams', 'hash'].forEach(function (k) { obj[k] = self[k]; });
    return 'URL ' + inspect(obj, options);
  },
  writable: true, enumerable: false, configurable: true
});

defineGlobal('URL', URL);
