/*
 * Tests of engine/js/runtime/51-url.js and engine/native-url.c (URL and
 * URLSearchParams as Node 20 has them). Plain ES5; throws on the first
 * mismatch and prints nothing on success. Run it from /work/main:
 *   node tests/js/url.test.js              (the reference: must pass on Node)
 *   sh tests/e2e/js.sh                     (through `srcfn run`: URL needs the
 *                                           engine's curl binding)
 *   { echo 'this.__native = {}; (function (global) {'; cat engine/js/runtime/*.js \
 *     tests/js/url.test.js; echo '})(this);'; } > /tmp/t.js && /tmp/dk/proto /tmp/t.js
 *     (the runtime's scope without the engine: URLSearchParams and the private
 *     parseForm only; URL parsing is skipped)
 * The URL table was printed by Node 20 (href, origin, protocol, username,
 * password, host, hostname, port, pathname, search, hash).
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

function throwsType(fn, message, what) {
  try {
    fn();
  } catch (e) {
    ok(e instanceof TypeError, what + ': threw ' + e + ', expected a TypeError');
    if (message !== undefined) eq(e.message, message, what + ' message');
    return e;
  }
  throw new Error(what + ': did not throw');
}

function collect(it) {
  var out = [], step;
  while (!(step = it.next()).done) out.push(step.value);
  return out;
}

var PRIVATE = typeof parseForm === 'function';
/* URL parsing needs the engine's binding; in the bare runtime scope it is absent. */
var HAS_URL = !PRIVATE || typeof native.urlParse === 'function';
var FIELDS = ['href', 'origin', 'protocol', 'username', 'password', 'host', 'hostname', 'port', 'pathname', 'search', 'hash'];

var URL_CASES = [
  ["https://fn.segmentapis.com/", undefined,
    ["https://fn.segmentapis.com/","https://fn.segmentapis.com","https:","","","fn.segmentapis.com","fn.segmentapis.com","","/","",""]],
  ["https://fn.segmentapis.com", undefined,
    ["https://fn.segmentapis.com/","https://fn.segmentapis.com","https:","","","fn.segmentapis.com","fn.segmentapis.com","","/","",""]],
  ["https://fn.segmentapis.com/?a=1&b=two&a=3", undefined,
    ["https://fn.segmentapis.com/?a=1&b=two&a=3","https://fn.segmentapis.com","https:","","","fn.segmentapis.com","fn.segmentapis.com","","/","?a=1&b=two&a=3",""]],
  ["HTTP://User:Pa ss@EXAMPLE.com:80/a b/../c?q=1 2&'x#frag ment`", undefined,
    ["http://User:Pa%20ss@example.com/c?q=1%202&%27x#frag%20ment%60","http://example.com","http:","User","Pa%20ss","example.com","example.com","","/c","?q=1%202&%27x","#frag%20ment%60"]],
  ["https://a.com/b/c?d#e", undefined,
    ["https://a.com/b/c?d#e","https://a.com","https:","","","a.com","a.com","","/b/c","?d","#e"]],
  ["?x", "https://a.com/b/c?d#e",
    ["https://a.com/b/c?x","https://a.com","https:","","","a.com","a.com","","/b/c","?x",""]],
  ["#h", "https://a.com/b/c?d#e",
    ["https://a.com/b/c?d#h","https://a.com","https:","","","a.com","a.com","","/b/c","?d","#h"]],
  ["", "https://a.com/b/c?d#e",
    ["https://a.com/b/c?d","https://a.com","https:","","","a.com","a.com","","/b/c","?d",""]],
  ["../x?y=1 2", "https://a.com/b/c?d#e",
    ["https://a.com/x?y=1%202","https://a.com","https:","","","a.com","a.com","","/x","?y=1%202",""]],
  ["./x", "https://a.com/b/c",
    ["https://a.com/b/x","https://a.com","https:","","","a.com","a.com","","/b/x","",""]],
  ["x/../../../y", "https://a.com/b/c",
    ["https://a.com/y","https://a.com","https:","","","a.com","a.com","","/y","",""]],
  ["//other/x", "https://a.com/b/c",
    ["https://other/x","https://other","https:","","","other","other","","/x","",""]],
  ["/abs?q", "https://u:p@a.com:8080/b/c",
    ["https://u:p@a.com:8080/abs?q","https://a.com:8080","https:","u","p","a.com:8080","a.com","8080","/abs","?q",""]],
  ["https:x", "https://a.com/b/c",
    ["https://a.com/b/x","https://a.com","https:","","","a.com","a.com","","/b/x","",""]],
  ["http:x", "https://a.com/b/c",
    ["http://x/","http://x","http:","","","x","x","","/","",""]],
  ["http://z/", "https://a.com/b/c",
    ["http://z/","http://z","http:","","","z","z","","/","",""]],
  ["mailto:Joe@Example.com?subject=hi there", undefined,
    ["mailto:Joe@Example.com?subject=hi%20there","null","mailto:","","","","","","Joe@Example.com","?subject=hi%20there",""]],
  ["mailto:x", undefined,
    ["mailto:x","null","mailto:","","","","","","x","",""]],
  ["urn:isbn:0451450523", undefined,
    ["urn:isbn:0451450523","null","urn:","","","","","","isbn:0451450523","",""]],
  ["javascript:alert(1)", undefined,
    ["javascript:alert(1)","null","javascript:","","","","","","alert(1)","",""]],
  ["http://münchen.de/ü?ä#ö", undefined,
    ["http://xn--mnchen-3ya.de/%C3%BC?%C3%A4#%C3%B6","http://xn--mnchen-3ya.de","http:","","","xn--mnchen-3ya.de","xn--mnchen-3ya.de","","/%C3%BC","?%C3%A4","#%C3%B6"]],
  ["https://例え.テスト/パス", undefined,
    ["https://xn--r8jz45g.xn--zckzah/%E3%83%91%E3%82%B9","https://xn--r8jz45g.xn--zckzah","https:","","","xn--r8jz45g.xn--zckzah","xn--r8jz45g.xn--zckzah","","/%E3%83%91%E3%82%B9","",""]],
  ["http://a/?", undefined,
    ["http://a/?","http://a","http:","","","a","a","","/","",""]],
  ["  http://a/\tb\n ", undefined,
    ["http://a/b","http://a","http:","","","a","a","","/b","",""]],
  ["http:\\\\a\\b\\c?d\\e", undefined,
    ["http://a/b/c?d\\e","http://a","http:","","","a","a","","/b/c","?d\\e",""]],
  ["http:///a", undefined,
    ["http://a/","http://a","http:","","","a","a","","/","",""]],
  ["http://a:0080/", undefined,
    ["http://a/","http://a","http:","","","a","a","","/","",""]],
  ["https://a:443/x", undefined,
    ["https://a/x","https://a","https:","","","a","a","","/x","",""]],
  ["http://a:8080", undefined,
    ["http://a:8080/","http://a:8080","http:","","","a:8080","a","8080","/","",""]],
  ["ws://a:80/", undefined,
    ["ws://a/","ws://a","ws:","","","a","a","","/","",""]],
  ["foo://Bar/Baz", undefined,
    ["foo://Bar/Baz","null","foo:","","","Bar","Bar","","/Baz","",""]],
  ["foo://a/x y?q=a\"b'g#h", undefined,
    ["foo://a/x%20y?q=a%22b'g#h","null","foo:","","","a","a","","/x%20y","?q=a%22b'g","#h"]],
  ["file:///etc/passwd", undefined,
    ["file:///etc/passwd","null","file:","","","","","","/etc/passwd","",""]],
  ["http://a/x y?q=a\"b<c>d`e{f}'g#h\"i<j>k`l{m}", undefined,
    ["http://a/x%20y?q=a%22b%3Cc%3Ed`e{f}%27g#h%22i%3Cj%3Ek%60l{m}","http://a","http:","","","a","a","","/x%20y","?q=a%22b%3Cc%3Ed`e{f}%27g","#h%22i%3Cj%3Ek%60l{m}"]],
  ["http://a/%zz%41?%zz#%zz", undefined,
    ["http://a/%zz%41?%zz#%zz","http://a","http:","","","a","a","","/%zz%41","?%zz","#%zz"]],
  ["http://0x7f.1/", undefined,
    ["http://127.0.0.1/","http://127.0.0.1","http:","","","127.0.0.1","127.0.0.1","","/","",""]],
  ["http://[::1]:3000/x", undefined,
    ["http://[::1]:3000/x","http://[::1]:3000","http:","","","[::1]:3000","[::1]","3000","/x","",""]],
  ["http://A.COM./", undefined,
    ["http://a.com./","http://a.com.","http:","","","a.com.","a.com.","","/","",""]],
  ["https://api.example.com/v1/users?id=123&name=J%C3%BCrgen&tags=a,b", undefined,
    ["https://api.example.com/v1/users?id=123&name=J%C3%BCrgen&tags=a,b","https://api.example.com","https:","","","api.example.com","api.example.com","","/v1/users","?id=123&name=J%C3%BCrgen&tags=a,b",""]],
  ["https://hooks.example.com/path;params?x=1&y=2#top", undefined,
    ["https://hooks.example.com/path;params?x=1&y=2#top","https://hooks.example.com","https:","","","hooks.example.com","hooks.example.com","","/path;params","?x=1&y=2","#top"]],
  ["http://a/b/c/./../../g", undefined,
    ["http://a/g","http://a","http:","","","a","a","","/g","",""]],
  ["http://a/b?c=%2F&d=e%20f+g", undefined,
    ["http://a/b?c=%2F&d=e%20f+g","http://a","http:","","","a","a","","/b","?c=%2F&d=e%20f+g",""]]
];
var INVALID_URLS = [["not a url"],["/path"],["http://a b/"],["http://h:99999/"],["x","mailto:y"],["http://[1::2::3]/"]];

/* ---- URLSearchParams ---------------------------------------------------------------- */

(function searchParams() {
  var p = new URLSearchParams('?a=1&&b=%zz&c=%E2%82%AC&d=%FF&e=+x+&f&=g&h==');
  eq(collect(p.entries()), [['a', '1'], ['b', '%zz'], ['c', '\u20ac'], ['d', '\ufffd'], ['e', ' x '], ['f', ''], ['', 'g'], ['h', '=']], 'parsing');
  eq(p.toString(), 'a=1&b=%25zz&c=%E2%82%AC&d=%EF%BF%BD&e=+x+&f=&=g&h=%3D', 'serializing');
  eq(new URLSearchParams({ 'a b': 'c&d=e', '\u00e9': "*-._~!'()" }).toString(), 'a+b=c%26d%3De&%C3%A9=*-._%7E%21%27%28%29', 'encode set');
  eq(new URLSearchParams({ a: 1, b: [1, 2] }).toString(), 'a=1&b=1%2C2', 'record values are strings');
  eq(new URLSearchParams([['x', '1'], ['y', '2']]).toString(), 'x=1&y=2', 'pairs');
  eq(new URLSearchParams(new Map([['m', 'v']])).toString(), 'm=v', 'from a Map');
  eq(new URLSearchParams(new URLSearchParams('q=1')).toString(), 'q=1', 'from URLSearchParams');
  eq(new URLSearchParams(null).toString(), '', 'null');
  eq(new URLSearchParams().toString(), '', 'nothing');
  eq(new URLSearchParams('%F0%9F%98%80=%C3%A9').get('\ud83d\ude00'), '\u00e9', 'UTF-8');
  eq(new URLSearchParams('a=%E0%A4%A').get('a'), '\ufffd%A', 'truncated escape');
  eq(new URLSearchParams('a=%ED%A0%80').get('a'), '\ufffd\ufffd\ufffd', 'surrogate bytes');
  throwsType(function () { return new URLSearchParams([['a', 'b', 'c']]); }, 'Each query pair must be an iterable [name, value] tuple', '3-tuple');
  throwsType(function () { return new URLSearchParams([5]); }, 'Each query pair must be an iterable [name, value] tuple', 'not a pair');

  var s = new URLSearchParams('b=2&a=1&b=1&a=0');
  s.sort();
  eq(s.toString(), 'a=1&a=0&b=2&b=1', 'sort is stable');
  var d = new URLSearchParams('a=1&b=2&a=3');
  d['delete']('a', '3');
  eq([d.toString(), d.has('a', '1'), d.has('a', '2'), d.size], ['a=1&b=2', true, false, 2], 'delete and has with a value');
  var t = new URLSearchParams('a=1&b=2&a=3');
  t.set('a', 'x');
  eq(t.toString(), 'a=x&b=2', 'set keeps the first place');
  t.append('c', 'y z');
  eq([t.get('c'), t.get('nope'), t.getAll('a'), t.has('b'), t.has('q')], ['y z', null, ['x'], true, false], 'get getAll has');
  eq(collect(t.keys()), ['a', 'b', 'c'], 'keys');
  eq(collect(t.values()), ['x', '2', 'y z'], 'values');
  eq(collect(t[Symbol.iterator]()), [['a', 'x'], ['b', '2'], ['c', 'y z']], 'iteration');
  var seen = [], thisArg = {};
  t.forEach(function (value, key, obj) { seen.push([value, key, obj === t, this === thisArg]); }, thisArg);
  eq(seen[0], ['x', 'a', true, true], 'forEach');
  eq(Object.prototype.toString.call(t), '[object URLSearchParams]', 'tag');
  eq(Object.prototype.toString.call(t.entries()), '[object URLSearchParams Iterator]', 'iterator tag');
  eq(URLSearchParams.length, 0, 'length');
  eq(JSON.stringify(t), '{}', 'JSON');
  throwsType(function () { t.get(); }, 'The "name" argument must be specified', 'get()');
  throwsType(function () { return URLSearchParams(); }, undefined, 'call without new');
})();

/* ---- URL ------------------------------------------------------------------------------ */

if (HAS_URL) {
  (function table() {
    URL_CASES.forEach(function (c) {
      var u = c[1] === undefined ? new URL(c[0]) : new URL(c[0], c[1]);
      var got = FIELDS.map(function (f) { return u[f]; });
      for (var i = 0; i < FIELDS.length; i++) {
        eq(got[i], c[2][i], 'new URL(' + JSON.stringify(c[0]) + (c[1] === undefined ? '' : ', ' + JSON.stringify(c[1])) + ').' + FIELDS[i]);
      }
      eq(String(u), c[2][0], 'toString of ' + c[0]);
      eq(u.toJSON(), c[2][0], 'toJSON of ' + c[0]);
      eq(new URL(u.href).href, u.href, 'href parses back: ' + u.href);
    });
    INVALID_URLS.forEach(function (c) {
      var e = throwsType(function () { return c.length > 1 ? new URL(c[0], c[1]) : new URL(c[0]); }, 'Invalid URL', 'invalid ' + c[0]);
      eq(e.code, 'ERR_INVALID_URL', 'code of ' + c[0]);
      eq(e.input, c[0], 'input of ' + c[0]);
    });
    var m = throwsType(function () { return new URL(); }, 'The "url" argument must be specified', 'no argument');
    eq(m.code, 'ERR_MISSING_ARGS', 'no argument code');
    throwsType(function () { return URL('http://a'); }, "Class constructor URL cannot be invoked without 'new'", 'call without new');
    eq(new URL('x', new URL('https://a.com/b/c')).href, 'https://a.com/b/x', 'a URL as base');
    eq([URL.canParse('http://a'), URL.canParse('nope'), URL.canParse('x', 'http://a/')], [true, false, true], 'canParse');
  })();

  (function liveSearchParams() {
    var u = new URL('https://a.com/p?a=1');
    ok(u.searchParams === u.searchParams, 'searchParams is one object');
    u.searchParams.append('b', 'x y');
    eq([u.href, u.search], ['https://a.com/p?a=1&b=x+y', '?a=1&b=x+y'], 'append updates the URL');
    u.searchParams['delete']('a');
    u.searchParams['delete']('b');
    eq([u.href, u.search], ['https://a.com/p', ''], 'emptied');
    var v = new URL('https://a.com/p?a=1'), sp = v.searchParams;
    v.search = '?z=9';
    eq([sp.get('z'), sp.get('a'), v.href], ['9', null, 'https://a.com/p?z=9'], 'search updates searchParams');
    v.href = 'https://b.com/?k=v';
    eq(sp.get('k'), 'v', 'href updates searchParams');
    eq(new URL('https://fn.segmentapis.com/?a=1&b=2&a=3').searchParams.getAll('a'), ['1', '3'], 'getAll');
  })();

  (function setters() {
    var u = new URL('https://a.com/p');
    u.search = 'q=a b';
    u.hash = 'x y';
    u.pathname = 'new path/../z?#';
    eq(u.href, 'https://a.com/z%3F%23?q=a%20b#x%20y', 'search, hash, pathname');
    u.port = '8080';
    u.hostname = 'B.com';
    eq([u.href, u.host], ['https://b.com:8080/z%3F%23?q=a%20b#x%20y', 'b.com:8080'], 'port and hostname');
    u.port = '443';
    eq(u.port, '', 'default port dropped');
    u.host = 'c.com:99';
    u.username = 'me';
    u.password = 'p@ss';
    eq(u.href, 'https://me:p%40ss@c.com:99/z%3F%23?q=a%20b#x%20y', 'host and credentials');
    u.protocol = 'http';
    eq(u.protocol, 'http:', 'protocol');
    u.protocol = 'foo';
    eq(u.protocol, 'http:', 'special to non-special is refused');
    u.search = '';
    u.hash = '';
    eq(u.href, 'http://me:p%40ss@c.com:99/z%3F%23', 'cleared');
    u.href = 'http://z/';
    eq(u.href, 'http://z/', 'href');
    throwsType(function () { u.href = 'nope'; }, 'Invalid URL', 'bad href');
    eq(u.href, 'http://z/', 'unchanged after a bad href');
  })();

  (function webIDL() {
    eq(Object.keys(URL.prototype), ['toString', 'href', 'origin', 'protocol', 'username', 'password', 'host', 'hostname', 'port', 'pathname', 'search', 'searchParams', 'hash', 'toJSON'], 'prototype keys');
    var u = new URL('https://a.com/');
    eq(Object.keys(u), [], 'no own keys');
    eq(JSON.stringify({ u: u }), '{"u":"https://a.com/"}', 'JSON');
    eq(Object.prototype.toString.call(u), '[object URL]', 'tag');
  })();
}

if (PRIVATE) {
  (function privateHelpers() {
    eq(parseForm('a=1&b=x+y&a=2&c=%E2%82%AC&d&a=3'), { a: ['1', '2', '3'], b: 'x y', c: '\u20ac', d: '' }, 'parseForm');
    eq(parseForm(''), {}, 'parseForm empty');
    var proto = parseForm('__proto__=x&constructor=y');
    eq([Object.getOwnPropertyDescriptor(proto, '__proto__').value, proto.constructor], ['x', 'y'], 'parseForm odd keys');
    ok(Object.getPrototypeOf(proto) === Object.prototype, 'parseForm keeps the prototype');
    eq(inspect(new URLSearchParams('a=1&b=2')), "URLSearchParams { 'a' => '1', 'b' => '2' }", 'inspect params');
    eq(inspect(new URLSearchParams('')), 'URLSearchParams {}', 'inspect empty params');
    if (HAS_URL) {
      eq(inspect(new URL('https://u:p@a.com:8080/x?y=1&z=%20#h')), [
        'URL {',
        "  href: 'https://u:p@a.com:8080/x?y=1&z=%20#h',",
        "  origin: 'https://a.com:8080',",
        "  protocol: 'https:',",
        "  username: 'u',",
        "  password: 'p',",
        "  host: 'a.com:8080',",
        "  hostname: 'a.com',",
        "  port: '8080',",
        "  pathname: '/x',",
        "  search: '?y=1&z=%20',",
        "  searchParams: URLSearchParams { 'y' => '1', 'z' => ' ' },",
        "  hash: '#h'",
        '}'].join('\n'), 'inspect URL');
    }
  })();
}
