/*
 * Tests of Buffer, atob, btoa, TextEncoder and TextDecoder
 * (engine/js/runtime/55-buffer.js), as a source function: onRequest throws an
 * Error naming the first mismatch and returns normally when everything matches.
 *   ./srcfn run tests/js/buffer.test.js --json      passes when "error" is null
 * The same file passes on Node.js 20, the reference:
 *   node -e 'eval(require("fs").readFileSync("tests/js/buffer.test.js", "utf8"));
 *     onRequest().then(() => console.log("ok"))'
 */

/* A string quoted with everything outside printable ASCII escaped, so that a
 * message never carries a lone surrogate. */
function quote(s) {
  return '"' + s.replace(/[^\x20-\x7e]|["\\]/g,
    (c) => (c === '"' || c === '\\' ? '\\' + c : '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))) + '"';
}

function show(x) {
  if (typeof x === 'string') return quote(x);
  if (x instanceof Uint8Array) return `<${x.constructor.name} ${Array.from(x, (b) => b.toString(16).padStart(2, '0')).join(' ')}>`;
  if (x && typeof x === 'object') return JSON.stringify(x);
  return String(x);
}

function eq(actual, expected, what) {
  if (show(actual) !== show(expected) || typeof actual !== typeof expected) {
    throw new Error(`${what}: got ${show(actual)}, expected ${show(expected)}`);
  }
}

function ok(cond, what) {
  if (!cond) throw new Error(what);
}

function throws(fn, check, what) {
  let caught;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  if (!caught) throw new Error(`${what}: did not throw`);
  for (const [key, value] of Object.entries(check)) {
    if (key === 'type') ok(caught instanceof value, `${what}: threw ${caught}, expected a ${value.name}`);
    else eq(caught[key], value, `${what}: ${key}`);
  }
}

const hexOf = (buf) => buf.toString('hex');

function encodings() {
  /* UTF-8, multibyte included */
  const utf8 = [
    ['hello', '68656c6c6f'],
    ['é', 'c3a9'],
    ['€', 'e282ac'],
    ['日本語', 'e697a5e69cace8aa9e'],
    ['😀', 'f09f9880'],
    ['a\u0000b', '610062'],
    ['\ud800', 'efbfbd'],               /* a lone surrogate becomes U+FFFD */
    ['x\udc00\ud83d', '78efbfbdefbfbd'],
  ];
  for (const [s, hex] of utf8) {
    eq(hexOf(Buffer.from(s)), hex, `utf8 bytes of ${quote(s)}`);
    eq(hexOf(Buffer.from(s, 'utf-8')), hex, `'utf-8' bytes of ${quote(s)}`);
    eq(Buffer.byteLength(s), hex.length / 2, `byteLength of ${quote(s)}`);
  }
  for (const s of ['hello', 'é€', '日本語 😀 ok', 'Ünïcödé ✓ 🎉🎉', '']) {
    eq(Buffer.from(s).toString(), s, `utf8 round trip ${quote(s)}`);
    eq(Buffer.from(s).toString('utf8'), s, `utf8 round trip (named) ${quote(s)}`);
  }
  eq(Buffer.from('😀').length, 4, 'emoji takes 4 bytes');
  eq('😀'.length, 2, 'emoji is 2 UTF-16 units');
  /* malformed UTF-8 decodes to U+FFFD (WHATWG, as V8) */
  eq(Buffer.from([0xff, 0x41]).toString(), '\ufffdA', 'invalid byte');
  eq(Buffer.from([0xe2, 0x82]).toString(), '\ufffd', 'truncated sequence');
  eq(Buffer.from([0xc0, 0x80]).toString(), '\ufffd\ufffd', 'overlong NUL');
  eq(Buffer.from([0xef, 0xbb, 0xbf, 0x41]).toString().length, 2, 'a BOM is kept');

  /* hex */
  eq(hexOf(Buffer.from('00ff7F80', 'hex')), '00ff7f80', 'hex decode');
  eq(Buffer.from([0, 255, 16]).toString('hex'), '00ff10', 'hex encode');
  eq(hexOf(Buffer.from('4a4', 'hex')), '4a', 'odd hex length is truncated');
  eq(hexOf(Buffer.from('4azz4a', 'hex')), '4a', 'hex stops at the first bad pair');
  eq(Buffer.from('zz', 'hex').length, 0, 'bad hex gives nothing');
  eq(Buffer.byteLength('abcdef', 'hex'), 3, 'hex byteLength');

  /* base64 and base64url */
  const b64 = [
    ['', ''], ['f', 'Zg=='], ['fo', 'Zm8='], ['foo', 'Zm9v'], ['foob', 'Zm9vYg=='],
    ['fooba', 'Zm9vYmE='], ['foobar', 'Zm9vYmFy'],               /* RFC 4648 section 10 */
  ];
  for (const [plain, encoded] of b64) {
    eq(Buffer.from(plain).toString('base64'), encoded, `base64 of ${JSON.stringify(plain)}`);
    eq(Buffer.from(encoded, 'base64').toString(), plain, `base64 decode of ${encoded}`);
    eq(Buffer.from(encoded.replace(/=/g, ''), 'base64').toString(), plain, `unpadded decode of ${encoded}`);
    eq(Buffer.from(plain).toString('base64url'), encoded.replace(/=/g, ''), `base64url of ${JSON.stringify(plain)}`);
  }
  const binary = Buffer.from([0xfb, 0xff, 0xbf, 0x00, 0x3e, 0x3f]);
  eq(binary.toString('base64'), '+/+/AD4/', 'base64 alphabet');
  eq(binary.toString('base64url'), '-_-_AD4_', 'base64url alphabet');
  eq(hexOf(Buffer.from('-_-_AD4_', 'base64url')), hexOf(binary), 'base64url decode');
  eq(hexOf(Buffer.from('-_-_AD4_', 'base64')), hexOf(binary), 'base64 accepts the url alphabet');
  eq(hexOf(Buffer.from('+/+/AD4/', 'base64url')), hexOf(binary), 'base64url accepts the standard alphabet');
  eq(Buffer.from('aGVs\nbG8g\r\nd29y bGQ=', 'base64').toString(), 'hello world', 'base64 skips whitespace');
  eq(Buffer.from('aGk=aGk=', 'base64').toString(), 'hi', 'base64 stops at =');
  eq(Buffer.byteLength('aGk=', 'base64'), 2, 'base64 byteLength');
  eq(Buffer.byteLength('Zm9vYmFy', 'base64'), 6, 'base64 byteLength unpadded');
  const all = Buffer.alloc(256);
  for (let i = 0; i < 256; i++) all[i] = i;
  eq(hexOf(Buffer.from(all.toString('base64'), 'base64')), hexOf(all), 'base64 round trip of every byte');
  eq(hexOf(Buffer.from(all.toString('base64url'), 'base64url')), hexOf(all), 'base64url round trip');
  eq(hexOf(Buffer.from(all.toString('hex'), 'hex')), hexOf(all), 'hex round trip of every byte');
  eq(Buffer.from('héllo wörld €').toString('base64'), 'aMOpbGxvIHfDtnJsZCDigqw=', 'base64 of utf8 text');

  /* latin1 / binary, ascii, utf16le */
  eq(hexOf(Buffer.from('é\u00ff\u0100A', 'latin1')), 'e9ff0041', 'latin1 keeps the low byte');
  eq(hexOf(Buffer.from('é', 'binary')), 'e9', 'binary is latin1');
  eq(hexOf(Buffer.from('é', 'ascii')), 'e9', 'ascii writes like latin1');
  eq(all.toString('latin1').length, 256, 'latin1 decode length');
  eq(all.toString('latin1').charCodeAt(233), 233, 'latin1 decode');
  eq(Buffer.from([0xe9, 0x41]).toString('ascii'), 'iA', 'ascii drops the high bit');
  eq(hexOf(Buffer.from('hé€', 'utf16le')), '6800e900ac20', 'utf16le');
  eq(hexOf(Buffer.from('hi', 'ucs2')), '68006900', 'ucs2');
  eq(Buffer.from('3dd800de', 'hex').toString('utf16le'), '\ud83d\ude00', 'utf16le decode');
  eq(Buffer.byteLength('abc', 'utf16le'), 6, 'utf16le byteLength');
  eq(Buffer.from('Hello', 'UTF8').toString('HEX'), '48656c6c6f', 'encoding names are case-insensitive');

  ok(Buffer.isEncoding('utf8') && Buffer.isEncoding('base64url') && Buffer.isEncoding('LATIN1'), 'isEncoding');
  ok(!Buffer.isEncoding('nope') && !Buffer.isEncoding(''), 'isEncoding rejects');
  throws(() => Buffer.from('x', 'nope'), { type: TypeError, code: 'ERR_UNKNOWN_ENCODING', message: 'Unknown encoding: nope' },
    'unknown encoding in from');
  throws(() => Buffer.from('x').toString('nope'), { type: TypeError, message: 'Unknown encoding: nope' },
    'unknown encoding in toString');
}

function construction() {
  const b = Buffer.from([1, 2, 3, 256, -1, 1.9]);
  eq(hexOf(b), '010203 00ff01'.replace(' ', ''), 'from(array) wraps values');
  ok(b instanceof Buffer && b instanceof Uint8Array, 'instanceof');
  ok(Buffer.isBuffer(b), 'isBuffer(Buffer)');
  ok(!Buffer.isBuffer(new Uint8Array(2)) && !Buffer.isBuffer('ab') && !Buffer.isBuffer(null), 'isBuffer(others)');
  eq(Object.prototype.toString.call(b), '[object Uint8Array]', 'toStringTag');

  const ab = new ArrayBuffer(8);
  const view = Buffer.from(ab, 2, 4);
  eq(view.length, 4, 'from(arrayBuffer, offset, length)');
  view[0] = 9;
  eq(new Uint8Array(ab)[2], 9, 'from(arrayBuffer) shares memory');
  eq(Buffer.from(ab).length, 8, 'from(arrayBuffer)');
  throws(() => Buffer.from(ab, 9), { type: RangeError, code: 'ERR_BUFFER_OUT_OF_BOUNDS' }, 'offset out of bounds');

  const src = Buffer.from('abc');
  const copy = Buffer.from(src);
  copy[0] = 0x7a;
  eq(src.toString(), 'abc', 'from(buffer) copies');
  eq(hexOf(Buffer.from(new Uint16Array([0x1234, 0x5678]))), '3478', 'from(Uint16Array) takes elements');
  eq(Buffer.from({ type: 'Buffer', data: [104, 105] }).toString(), 'hi', 'from(toJSON form)');
  eq(Buffer.from(new String('hi')).toString(), 'hi', 'from(String object)');
  eq(Buffer.from({ length: 2, 0: 65, 1: 66 }).toString(), 'AB', 'from(array-like)');
  throws(() => Buffer.from(5), {
    type: TypeError, code: 'ERR_INVALID_ARG_TYPE',
    message: 'The first argument must be of type string or an instance of Buffer, ArrayBuffer, or Array or an Array-like Object. Received type number (5)',
  }, 'from(number)');
  throws(() => Buffer.from(null), { type: TypeError }, 'from(null)');

  eq(hexOf(Buffer.alloc(3)), '000000', 'alloc zero-fills');
  eq(hexOf(Buffer.alloc(5, 1)), '0101010101', 'alloc(n, number)');
  eq(Buffer.alloc(5, 'ab').toString(), 'ababa', 'alloc(n, string)');
  eq(hexOf(Buffer.alloc(4, 'a1b2', 'hex')), 'a1b2a1b2', 'alloc(n, hex)');
  eq(hexOf(Buffer.alloc(3, Buffer.from([7, 8]))), '070807', 'alloc(n, buffer)');
  eq(Buffer.allocUnsafe(10).length, 10, 'allocUnsafe');
  eq(Buffer.allocUnsafeSlow(3).length, 3, 'allocUnsafeSlow');
  throws(() => Buffer.alloc(-1), { type: RangeError, code: 'ERR_OUT_OF_RANGE' }, 'alloc(-1)');
  throws(() => Buffer.alloc('3'), { type: TypeError, code: 'ERR_INVALID_ARG_TYPE' }, "alloc('3')");
  eq(hexOf(Buffer.of(1, 2, 255)), '0102ff', 'Buffer.of');
  /* the deprecated constructor, still in old code */
  eq(new Buffer('aGk=', 'base64').toString(), 'hi', 'new Buffer(string, encoding)');
  eq(new Buffer('hi').toString('hex'), '6869', 'new Buffer(string)');
  eq(hexOf(new Buffer(2)), '0000', 'new Buffer(size)');
  eq(hexOf(Buffer([1, 2])), '0102', 'Buffer(array) without new');
  eq(new Buffer(5).map((x, i) => i * 2).toString('hex'), '0002040608', 'map keeps a Buffer');
}

function access() {
  const b = Buffer.from('hello');
  eq(b.length, 5, 'length');
  eq(b[0], 104, 'index');
  eq(b[10], undefined, 'index past the end');
  b[0] = 0x148;
  eq(b[0], 0x48, 'assignment wraps');
  eq(b.toString(), 'Hello', 'after assignment');
  eq([...b].length, 5, 'spread');
  eq(Array.from(b).join(','), '72,101,108,108,111', 'Array.from');
  let n = 0;
  for (const byte of b) n += byte;
  eq(n, 72 + 101 + 108 + 108 + 111, 'for-of');
  eq(Object.keys(Buffer.from('ab')).join(','), '0,1', 'Object.keys');

  /* slice and subarray are views */
  const s = b.slice(1, 3);
  eq(s.toString(), 'el', 'slice');
  ok(Buffer.isBuffer(s), 'slice is a Buffer');
  s[0] = 0x61;
  eq(b.toString(), 'Hallo', 'slice shares memory');
  eq(b.subarray(-3).toString(), 'llo', 'subarray(-3)');
  ok(Buffer.isBuffer(b.subarray(1)), 'subarray is a Buffer');
  eq(b.slice(-2, -1).toString(), 'l', 'slice with negative ends');
  eq(b.slice(3, 1).length, 0, 'slice with end before start');
  eq(b.slice(2, 100).toString(), 'llo', 'slice past the end');
  eq(b.subarray(1, 3).toString(), 'al', 'subarray');

  /* toString(encoding, start, end) */
  const t = Buffer.from('hello world');
  eq(t.toString('utf8', 6), 'world', 'toString start');
  eq(t.toString('utf8', 0, 5), 'hello', 'toString start end');
  eq(t.toString('hex', 0, 2), '6865', 'toString hex range');
  eq(t.toString('base64', 6, 11), 'd29ybGQ=', 'toString base64 range');
  eq(t.toString(undefined, 2, 4), 'll', 'toString default encoding with range');
  eq(t.toString('utf8', 20), '', 'toString start past the end');
  eq(String(t), 'hello world', 'String(buffer)');
  eq(`${Buffer.from('ok')}`, 'ok', 'template literal');

  /* toJSON */
  eq(JSON.stringify(Buffer.from('hi')), '{"type":"Buffer","data":[104,105]}', 'JSON.stringify');
  eq(JSON.stringify({ b: Buffer.alloc(0) }), '{"b":{"type":"Buffer","data":[]}}', 'toJSON of empty');
  eq(Buffer.from(JSON.parse(JSON.stringify(t))).toString(), 'hello world', 'toJSON round trip');
}

function comparing() {
  ok(Buffer.from('abc').equals(Buffer.from('abc')), 'equals');
  ok(!Buffer.from('abc').equals(Buffer.from('abd')), 'equals different');
  ok(!Buffer.from('abc').equals(Buffer.from('ab')), 'equals different length');
  ok(Buffer.from('abc').equals(new Uint8Array([97, 98, 99])), 'equals Uint8Array');
  throws(() => Buffer.from('a').equals('a'), { type: TypeError, code: 'ERR_INVALID_ARG_TYPE' }, 'equals(string)');

  eq(Buffer.from('abc').compare(Buffer.from('abd')), -1, 'compare less');
  eq(Buffer.from('abd').compare(Buffer.from('abc')), 1, 'compare greater');
  eq(Buffer.from('abc').compare(Buffer.from('abc')), 0, 'compare equal');
  eq(Buffer.from('ab').compare(Buffer.from('abc')), -1, 'compare prefix');
  eq(Buffer.from('xbcx').compare(Buffer.from('abc'), 1, 3, 1, 3), 0, 'compare ranges');
  eq(Buffer.compare(Buffer.from([2]), Buffer.from([1])), 1, 'Buffer.compare');
  const sorted = [Buffer.from('c'), Buffer.from('a'), Buffer.from('b')].sort(Buffer.compare);
  eq(sorted.map(String).join(''), 'abc', 'sort by Buffer.compare');

  const hay = Buffer.from('this is a buffer');
  eq(hay.indexOf('is'), 2, 'indexOf string');
  eq(hay.indexOf('is', 3), 5, 'indexOf from');
  eq(hay.indexOf(Buffer.from('a buf')), 8, 'indexOf buffer');
  eq(hay.indexOf(0x62), 10, 'indexOf byte');
  eq(hay.indexOf('nope'), -1, 'indexOf missing');
  eq(hay.lastIndexOf('is'), 5, 'lastIndexOf');
  eq(hay.indexOf('', 3), 3, 'indexOf empty');
  ok(hay.includes('buffer') && !hay.includes('xyz'), 'includes');
  eq(hay.indexOf('6973', 0, 'hex'), 2, 'indexOf with encoding');
}

function mutating() {
  const target = Buffer.alloc(6, '.');
  eq(Buffer.from('abc').copy(target, 2), 3, 'copy returns the count');
  eq(target.toString(), '..abc.', 'copy');
  eq(Buffer.from('xyz').copy(target, 4), 2, 'copy is cut at the end of target');
  eq(target.toString(), '..abxy', 'copy cut');
  eq(Buffer.from('hello').copy(target, 0, 1, 3), 2, 'copy range');
  eq(target.toString(), 'elabxy', 'copy range result');
  const overlap = Buffer.from('abcdef');
  overlap.copy(overlap, 2, 0, 4);
  eq(overlap.toString(), 'ababcd', 'copy within one buffer');

  const w = Buffer.alloc(8);
  eq(w.write('hi'), 2, 'write');
  eq(w.write('ff00', 2, 'hex'), 2, 'write hex at offset');
  eq(hexOf(w), '6869ff0000000000', 'write result');
  eq(w.write('€€€', 5), 3, 'write stops before a cut character');
  eq(hexOf(w.subarray(5)), 'e282ac', 'only whole characters');
  eq(w.write('abcdef', 1, 2), 2, 'write with length');

  const f = Buffer.alloc(5);
  eq(f.fill('xy').toString(), 'xyxyx', 'fill string');
  eq(hexOf(f.fill(0)), '0000000000', 'fill number');
  eq(hexOf(f.fill(1, 1, 3)), '0001010000', 'fill range');
  eq(f.fill('€').toString('hex'), 'e282ace282', 'fill multibyte');
  throws(() => Buffer.alloc(2).fill('zz', 'hex'), { type: TypeError, code: 'ERR_INVALID_ARG_VALUE' }, 'fill with bad hex');

  /* concat */
  eq(Buffer.concat([Buffer.from('ab'), Buffer.from('cd'), new Uint8Array([101])]).toString(), 'abcde', 'concat');
  eq(Buffer.concat([Buffer.from('abc'), Buffer.from('def')], 4).toString(), 'abcd', 'concat truncates');
  eq(hexOf(Buffer.concat([Buffer.from([1])], 3)), '010000', 'concat zero-pads');
  eq(Buffer.concat([]).length, 0, 'concat([])');
  throws(() => Buffer.concat([Buffer.from('a'), 'b']), { type: TypeError, code: 'ERR_INVALID_ARG_TYPE' }, 'concat of a string');

  /* numbers */
  const n = Buffer.from([0x12, 0x34, 0x56, 0x78, 0xff]);
  eq(n.readUInt8(0), 0x12, 'readUInt8');
  eq(n.readUInt16BE(0), 0x1234, 'readUInt16BE');
  eq(n.readUInt16LE(0), 0x3412, 'readUInt16LE');
  eq(n.readUInt32BE(0), 0x12345678, 'readUInt32BE');
  eq(n.readInt8(4), -1, 'readInt8');
  eq(n.readUint8(1), 0x34, 'readUint8 alias');
  eq(n.readUIntBE(0, 3), 0x123456, 'readUIntBE');
  throws(() => n.readUInt32BE(2), { type: RangeError, code: 'ERR_OUT_OF_RANGE',
    message: 'The value of "offset" is out of range. It must be >= 0 and <= 1. Received 2' }, 'read past the end');
  const o = Buffer.alloc(8);
  eq(o.writeUInt32BE(0xdeadbeef, 0), 4, 'writeUInt32BE returns the next offset');
  eq(o.writeInt16LE(-2, 4), 6, 'writeInt16LE');
  eq(hexOf(o), 'deadbeeffeff0000', 'written numbers');
  o.writeDoubleLE(1.5, 0);
  eq(o.readDoubleLE(0), 1.5, 'double round trip');
  throws(() => o.writeUInt8(300, 0), { type: RangeError, code: 'ERR_OUT_OF_RANGE',
    message: 'The value of "value" is out of range. It must be >= 0 and <= 255. Received 300' }, 'writeUInt8(300)');
}

function webGlobals() {
  eq(btoa('hello'), 'aGVsbG8=', 'btoa');
  eq(atob('aGVsbG8='), 'hello', 'atob');
  eq(atob('aGVsbG8'), 'hello', 'atob unpadded');
  eq(atob(' aGVs bG8=\n'), 'hello', 'atob skips whitespace');
  eq(btoa('\u00e9\u00ff'), '6f8=', 'btoa latin1');
  eq(atob('6f8='), '\u00e9\u00ff', 'atob gives latin1');
  eq(btoa(''), '', 'btoa empty');
  eq(btoa(null), 'bnVsbA==', 'btoa(null)');
  eq(atob(btoa('user:pässword')), 'user:pässword', 'atob/btoa round trip');
  throws(() => btoa('€'), { name: 'InvalidCharacterError', message: 'Invalid character' }, 'btoa above latin1');
  throws(() => atob('!!'), { name: 'InvalidCharacterError' }, 'atob bad character');
  throws(() => atob('a'), { name: 'InvalidCharacterError',
    message: 'The string to be decoded is not correctly encoded.' }, 'atob bad length');
  throws(() => atob('aGk=='), { name: 'InvalidCharacterError' }, 'atob too much padding');
  throws(() => atob('aG=k'), { name: 'InvalidCharacterError' }, 'atob = in the middle');
  throws(() => atob('-_'), { name: 'InvalidCharacterError' }, 'atob rejects base64url');
  ok(new (class { f() { try { atob('!'); } catch (e) { return e instanceof Error; } } })().f(), 'atob error is an Error');

  eq(hexOf(Buffer.from(new TextEncoder().encode('é😀'))), 'c3a9f09f9880', 'TextEncoder');
  eq(new TextDecoder().decode(Buffer.from('c3a9f09f9880', 'hex')), 'é😀', 'TextDecoder of a Buffer');
  eq(new TextDecoder('utf-8').decode(new Uint8Array([0x68, 0x69])), 'hi', 'TextDecoder of a Uint8Array');

  /* the usual Basic auth header */
  const auth = `Basic ${Buffer.from('api_key:').toString('base64')}`;
  eq(auth, 'Basic YXBpX2tleTo=', 'Basic auth');
  eq(Buffer.from(auth.slice(6), 'base64').toString('utf8'), 'api_key:', 'Basic auth decoded');
}

async function onRequest() {
  encodings();
  construction();
  access();
  comparing();
  mutating();
  webGlobals();
}
