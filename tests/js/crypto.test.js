/*
 * Tests of the global `crypto` (engine/js/runtime/56-crypto.js and
 * engine/native-crypto.c), as a source function: onRequest throws an Error
 * naming the first mismatch and returns normally when everything matches.
 *   ./srcfn run tests/js/crypto.test.js --json      passes when "error" is null
 * The same file is the reference on Node.js (crypto is a module there):
 *   node -e 'globalThis.crypto = require("crypto"); eval(require("fs").readFileSync(
 *     "tests/js/crypto.test.js", "utf8")); onRequest().then(() => console.log("ok"))'
 *
 * Known answers come from the published vectors: RFC 1321 (MD5), FIPS 180-2
 * appendices / NIST examples (SHA-1, SHA-256, SHA-384, SHA-512), RFC 2202
 * (HMAC-MD5, HMAC-SHA1), RFC 4231 (HMAC-SHA256, HMAC-SHA512), GitHub's and
 * Twilio's documented webhook signatures. The Stripe and Shopify signatures
 * were computed with Node.js 20's crypto for the fixed secret and payload.
 */

function eq(actual, expected, what) {
  if (actual !== expected) {
    throw new Error(`${what}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
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
    if (key === 'type') {
      ok(caught instanceof value, `${what}: threw ${caught}, expected a ${value.name}`);
    } else {
      eq(caught[key], value, `${what}: ${key}`);
    }
  }
}

const hex = (alg, data, enc) => crypto.createHash(alg).update(data, enc).digest('hex');
const hmacHex = (alg, key, data) => crypto.createHmac(alg, key).update(data).digest('hex');
const bytes = (byte, n) => Buffer.alloc(n, byte);

function knownHashes() {
  /* RFC 1321, appendix A.5 */
  const md5 = [
    ['', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['a', '0cc175b9c0f1b6a831c399e269772661'],
    ['abc', '900150983cd24fb0d6963f7d28e17f72'],
    ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
    ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
    ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
      'd174ab98d277d9f5a5611c2c9f419d9f'],
    ['1234567890'.repeat(8), '57edf4a22be3c955ac49da2e2107b67a'],
  ];
  for (const [msg, want] of md5) eq(hex('md5', msg), want, `MD5("${msg}")`);

  const m448 = 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq';
  const m896 = 'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn' +
    'hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu';
  const million = 'a'.repeat(1000000);
  /* FIPS 180-2 appendices A-D and the NIST examples */
  const sha = [
    ['sha1', 'abc', 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    ['sha1', '', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
    ['sha1', m448, '84983e441c3bd26ebaae4aa1f95129e5e54670f1'],
    ['sha1', million, '34aa973cd4c4daa4f61eeb2bdbad27316534016f'],
    ['sha256', 'abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['sha256', '', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['sha256', m448, '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
    ['sha256', million, 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0'],
    ['sha384', 'abc', 'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed' +
      '8086072ba1e7cc2358baeca134c825a7'],
    ['sha384', m896, '09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712' +
      'fcc7c71a557e2db966c3e9fa91746039'],
    ['sha512', 'abc', 'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a' +
      '2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f'],
    ['sha512', '', 'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce' +
      '47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e'],
    ['sha512', m448, '204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c335' +
      '96fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445'],
    ['sha512', m896, '8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018' +
      '501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909'],
  ];
  for (const [alg, msg, want] of sha) {
    eq(hex(alg, msg), want, `${alg}(${msg.length > 60 ? msg.length + ' chars' : '"' + msg + '"'})`);
  }
}

function knownHmacs() {
  const key25 = Buffer.from(Array.from({ length: 25 }, (_, i) => i + 1));
  /* RFC 2202 */
  const md5 = [
    [bytes(0x0b, 16), 'Hi There', '9294727a3638bb1c13f48ef8158bfc9d'],
    ['Jefe', 'what do ya want for nothing?', '750c783e6ab0b503eaa86e310a5db738'],
    [bytes(0xaa, 16), bytes(0xdd, 50), '56be34521d144c88dbb8c733f0e8b3f6'],
    [key25, bytes(0xcd, 50), '697eaf0aca3a3aea3a75164746ffaa79'],
    [bytes(0x0c, 16), 'Test With Truncation', '56461ef2342edc00f9bab995690efd4c'],
    [bytes(0xaa, 80), 'Test Using Larger Than Block-Size Key - Hash Key First',
      '6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd'],
    [bytes(0xaa, 80), 'Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data',
      '6f630fad67cda0ee1fb1f562db3aa53e'],
  ];
  md5.forEach(([key, data, want], i) => eq(hmacHex('md5', key, data), want, `RFC 2202 HMAC-MD5 case ${i + 1}`));
  const sha1 = [
    [bytes(0x0b, 20), 'Hi There', 'b617318655057264e28bc0b6fb378c8ef146be00'],
    ['Jefe', 'what do ya want for nothing?', 'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79'],
    [bytes(0xaa, 20), bytes(0xdd, 50), '125d7342b9ac11cd91a39af48aa17b4f63f175d3'],
    [key25, bytes(0xcd, 50), '4c9007f4026250c6bc8414f9bf50c86c2d7235da'],
    [bytes(0x0c, 20), 'Test With Truncation', '4c1a03424b55e07fe7f27be1d58bb9324a9a5a04'],
    [bytes(0xaa, 80), 'Test Using Larger Than Block-Size Key - Hash Key First',
      'aa4ae5e15272d00e95705637ce8a3b55ed402112'],
    [bytes(0xaa, 80), 'Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data',
      'e8e99d0f45237d786d6bbaa7965c7808bbff1a91'],
  ];
  sha1.forEach(([key, data, want], i) => eq(hmacHex('sha1', key, data), want, `RFC 2202 HMAC-SHA1 case ${i + 1}`));

  /* RFC 4231 test cases 1-4, 6, 7 */
  const big = 'This is a test using a larger than block-size key and a larger than block-size data. ' +
    'The key needs to be hashed before being used by the HMAC algorithm.';
  const rfc4231 = [
    [1, bytes(0x0b, 20), 'Hi There',
      'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
      '87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde' +
      'daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854'],
    [2, 'Jefe', 'what do ya want for nothing?',
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
      '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554' +
      '9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737'],
    [3, bytes(0xaa, 20), bytes(0xdd, 50),
      '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe',
      'fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39' +
      'bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb'],
    [4, key25, bytes(0xcd, 50),
      '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b',
      'b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db' +
      'a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd'],
    [6, bytes(0xaa, 131), 'Test Using Larger Than Block-Size Key - Hash Key First',
      '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
      '80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352' +
      '6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598'],
    [7, bytes(0xaa, 131), big,
      '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
      'e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944' +
      'b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58'],
  ];
  for (const [n, key, data, want256, want512] of rfc4231) {
    eq(hmacHex('sha256', key, data), want256, `RFC 4231 HMAC-SHA256 case ${n}`);
    eq(hmacHex('sha512', key, data), want512, `RFC 4231 HMAC-SHA512 case ${n}`);
  }
}

function hashApi() {
  /* chunks, input encodings, output encodings */
  const whole = hex('sha256', 'hello world');
  eq(crypto.createHash('sha256').update('hello').update(' ').update(Buffer.from('world')).digest('hex'),
    whole, 'chained update');
  eq(crypto.createHash('sha256').update('68656c6c6f20776f726c64', 'hex').digest('hex'), whole, 'hex input');
  eq(crypto.createHash('sha256').update('aGVsbG8gd29ybGQ=', 'base64').digest('hex'), whole, 'base64 input');
  eq(crypto.createHash('sha256').update(new TextEncoder().encode('hello world')).digest('hex'),
    whole, 'Uint8Array input');
  const padded = new TextEncoder().encode('__hello world__');
  eq(crypto.createHash('sha256').update(new DataView(padded.buffer, 2, 11)).digest('hex'), whole, 'DataView input');
  eq(crypto.createHash('sha256').update(padded.subarray(2, 13)).digest('hex'), whole, 'Uint8Array view input');
  eq(hex('md5', 'é', 'latin1'), '3406877694691ddd1dfb0aca54681407', 'latin1 input');
  eq(hex('md5', 'é'), hex('md5', Buffer.from([0xc3, 0xa9])), 'utf8 default input');
  eq(hex('sha256', '日本語 😀'), hex('sha256', Buffer.from('日本語 😀', 'utf8')), 'multibyte input');

  const digest = crypto.createHash('sha256').update('abc').digest();
  ok(Buffer.isBuffer(digest), 'digest() gives a Buffer');
  eq(digest.length, 32, 'digest() length');
  eq(digest.toString('hex'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', 'digest() bytes');
  eq(crypto.createHash('sha256').update('abc').digest('base64'),
    'ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=', 'base64 digest');
  eq(crypto.createHash('sha256').update('abc').digest('base64url'),
    'ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0', 'base64url digest');
  eq(crypto.createHash('md5').update('abc').digest('latin1'),
    Buffer.from('900150983cd24fb0d6963f7d28e17f72', 'hex').toString('latin1'), 'latin1 digest');
  eq(crypto.createHash('md5').update('abc').digest('binary').length, 16, 'binary digest');
  ok(Buffer.isBuffer(crypto.createHash('md5').digest('buffer')), "digest('buffer')");

  /* algorithm names */
  eq(hex('SHA256', 'abc'), hex('sha256', 'abc'), 'upper-case name');
  eq(hex('RSA-SHA1', 'abc'), hex('sha1', 'abc'), 'RSA- alias');
  eq(hex('sha224', 'abc'), '23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7', 'sha224');
  eq(hex('sha3-256', ''), 'a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a', 'sha3-256');
  const hashes = crypto.getHashes();
  for (const name of ['md5', 'sha1', 'sha256', 'sha384', 'sha512']) {
    ok(hashes.includes(name), `getHashes() lists ${name}`);
  }
  throws(() => crypto.createHash('nope'), { type: Error, message: 'Digest method not supported' },
    'unknown hash');
  throws(() => crypto.createHmac('nope', 'k'), { type: TypeError, message: 'Invalid digest: nope' },
    'unknown hmac digest');

  /* finalisation, as Node */
  const h = crypto.createHash('md5');
  h.update('x');
  h.digest();
  throws(() => h.digest(), { type: Error, message: 'Digest already called', code: 'ERR_CRYPTO_HASH_FINALIZED' },
    'second digest()');
  throws(() => h.update('y'), { message: 'Digest already called' }, 'update after digest()');
  const m = crypto.createHmac('sha256', 'k');
  m.digest();
  eq(m.digest('hex'), '', 'second Hmac digest() is empty');
  throws(() => m.update('y'), { message: 'Digest already called' }, 'Hmac update after digest()');

  /* copy() and chunk isolation */
  const a = crypto.createHash('sha256').update('a');
  const b = a.copy();
  a.update('b');
  eq(a.digest('hex'), hex('sha256', 'ab'), 'copy: original continues');
  eq(b.digest('hex'), hex('sha256', 'a'), 'copy: copy kept its state');
  const buf = Buffer.from('abc');
  const later = crypto.createHash('sha1').update(buf);
  buf[0] = 0x7a;
  eq(later.digest('hex'), hex('sha1', 'abc'), 'update copies its input');

  throws(() => crypto.createHash('md5').update(5), {
    type: TypeError, code: 'ERR_INVALID_ARG_TYPE',
    message: 'The "data" argument must be of type string or an instance of Buffer, TypedArray, or DataView. Received type number (5)',
  }, 'update(number)');
  throws(() => crypto.createHmac('sha256', null), { type: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
    'createHmac(null key)');

  /* keys in every form */
  const keyHex = hmacHex('sha256', 'key', 'msg');
  eq(hmacHex('sha256', Buffer.from('key'), 'msg'), keyHex, 'Buffer key');
  eq(hmacHex('sha256', new Uint8Array([107, 101, 121]), 'msg'), keyHex, 'Uint8Array key');
  eq(hmacHex('sha256', new Uint8Array([107, 101, 121]).buffer, 'msg'), keyHex, 'ArrayBuffer key');
  eq(hmacHex('sha256', '', ''), 'b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad', 'empty key');
  eq(crypto.createHmac('sha256', 'key').update('msg').digest('base64'),
    Buffer.from(keyHex, 'hex').toString('base64'), 'Hmac base64');
}

function randomApi() {
  const r = crypto.randomBytes(32);
  ok(Buffer.isBuffer(r), 'randomBytes gives a Buffer');
  eq(r.length, 32, 'randomBytes length');
  ok(!r.equals(crypto.randomBytes(32)), 'randomBytes differs between calls');
  eq(crypto.randomBytes(0).length, 0, 'randomBytes(0)');
  throws(() => crypto.randomBytes(-1), { type: RangeError, code: 'ERR_OUT_OF_RANGE' }, 'randomBytes(-1)');
  throws(() => crypto.randomBytes('1'), { type: TypeError, code: 'ERR_INVALID_ARG_TYPE' }, "randomBytes('1')");

  const seen = new Set();
  for (let i = 0; i < 50; i++) {
    const id = crypto.randomUUID();
    ok(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id), `randomUUID shape: ${id}`);
    seen.add(id);
  }
  eq(seen.size, 50, 'randomUUID values are distinct');

  for (let i = 0; i < 200; i++) {
    const n = crypto.randomInt(3, 7);
    ok(n >= 3 && n < 7 && Number.isInteger(n), `randomInt(3, 7) gave ${n}`);
  }
  const arr = crypto.getRandomValues(new Uint32Array(8));
  ok(arr instanceof Uint32Array && arr.some((x) => x !== 0), 'getRandomValues');
}

function timingSafe() {
  ok(crypto.timingSafeEqual(Buffer.from('abc'), Buffer.from('abc')), 'timingSafeEqual equal');
  ok(!crypto.timingSafeEqual(Buffer.from('abc'), Buffer.from('abd')), 'timingSafeEqual different');
  ok(crypto.timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2])), 'timingSafeEqual Uint8Array');
  ok(crypto.timingSafeEqual(Buffer.alloc(0), Buffer.alloc(0)), 'timingSafeEqual empty');
  throws(() => crypto.timingSafeEqual(Buffer.from('a'), Buffer.from('ab')), {
    type: RangeError, code: 'ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH',
    message: 'Input buffers must have the same byte length',
  }, 'timingSafeEqual lengths');
  throws(() => crypto.timingSafeEqual('a', 'a'), { type: TypeError, code: 'ERR_INVALID_ARG_TYPE' },
    'timingSafeEqual strings');
}

/* ---- webhook signatures, each checked as its provider documents it ------ */

/* Stripe: Stripe-Signature "t=<unix>,v1=<hex HMAC-SHA256 of `${t}.${payload}`>". */
function verifyStripe(payload, header, secret, nowSeconds, tolerance = 300) {
  const parts = header.split(',').map((kv) => kv.split('='));
  const t = parts.find(([k]) => k === 't')?.[1];
  const signatures = parts.filter(([k]) => k === 'v1').map(([, v]) => v);
  if (!t || signatures.length === 0) return false;
  const expected = Buffer.from(crypto.createHmac('sha256', secret).update(`${t}.${payload}`, 'utf8').digest('hex'));
  const match = signatures.some((sig) => {
    const given = Buffer.from(sig);
    return given.length === expected.length && crypto.timingSafeEqual(given, expected);
  });
  return match && Math.abs(nowSeconds - Number(t)) <= tolerance;
}

/* GitHub: X-Hub-Signature-256 "sha256=<hex HMAC-SHA256 of the raw body>". */
function verifyGitHub(body, header, secret) {
  const signature = crypto.createHmac('sha256', secret).update(body).digest('hex');
  const trusted = Buffer.from(`sha256=${signature}`, 'ascii');
  const untrusted = Buffer.from(header, 'ascii');
  return trusted.length === untrusted.length && crypto.timingSafeEqual(trusted, untrusted);
}

/* Shopify: X-Shopify-Hmac-Sha256, base64 HMAC-SHA256 of the raw body. */
function verifyShopify(body, header, secret) {
  const digest = crypto.createHmac('sha256', secret).update(body, 'utf8').digest('base64');
  const a = Buffer.from(digest, 'base64');
  const b = Buffer.from(header, 'base64');
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/* Twilio: X-Twilio-Signature, base64 HMAC-SHA1 of the full URL followed by the
 * POST parameters sorted by name, each name immediately followed by its value. */
function verifyTwilio(url, params, header, authToken) {
  const data = Object.keys(params).sort().reduce((acc, key) => acc + key + params[key], url);
  const expected = crypto.createHmac('sha1', authToken).update(Buffer.from(data, 'utf-8')).digest('base64');
  const a = Buffer.from(expected);
  const b = Buffer.from(header);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

function webhooks() {
  /* Stripe */
  const stripeSecret = 'whsec_5up3rS3cr3t';
  const stripeBody = '{"id":"evt_1","type":"payment_intent.succeeded","data":{"object":{"amount":2000,"currency":"usd"}}}';
  const stripeHeader = 't=1700000000,v1=818684165e7885032205f5040fb63e251bdfd1f25730c0fcda120e0420f922cc';
  ok(verifyStripe(stripeBody, stripeHeader, stripeSecret, 1700000100), 'Stripe signature accepted');
  ok(!verifyStripe(stripeBody.replace('2000', '2001'), stripeHeader, stripeSecret, 1700000100),
    'Stripe: tampered body rejected');
  ok(!verifyStripe(stripeBody, stripeHeader.replace('t=1700000000', 't=1700000001'), stripeSecret, 1700000100),
    'Stripe: tampered timestamp rejected');
  ok(!verifyStripe(stripeBody, stripeHeader, stripeSecret, 1700000000 + 301), 'Stripe: stale timestamp rejected');

  /* GitHub: the example from GitHub's "Validating webhook deliveries". */
  ok(verifyGitHub('Hello, World!',
    'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
    "It's a Secret to Everybody"), "GitHub's documented example accepted");
  const ghBody = '{"action":"opened","issue":{"number":1347,"title":"Found a bug"}}';
  const ghHeader = 'sha256=c185e5160ef9db3033663021e1a2dd07688cd8f052e111210455462db38258eb';
  ok(verifyGitHub(ghBody, ghHeader, 'gh-webhook-secret'), 'GitHub signature accepted');
  ok(!verifyGitHub(ghBody.replace('1347', '1348'), ghHeader, 'gh-webhook-secret'), 'GitHub: tampered body rejected');
  ok(!verifyGitHub(ghBody, ghHeader, 'other-secret'), 'GitHub: wrong secret rejected');

  /* Shopify (the body has multibyte UTF-8) */
  const shopBody = '{"id":820982911946154500,"email":"jon@example.com","total_price":"12.50","note":"Café ☕"}';
  const shopHeader = 'R7+c2E7GnqvlqVjT7+26n/BSQGf3fTIw8cg7qWdpOFs=';
  ok(verifyShopify(shopBody, shopHeader, 'shpss_0123456789abcdef'), 'Shopify signature accepted');
  ok(!verifyShopify(shopBody.replace('12.50', '1.50'), shopHeader, 'shpss_0123456789abcdef'),
    'Shopify: tampered body rejected');
  ok(!verifyShopify(shopBody.replace('☕', '🍵'), shopHeader, 'shpss_0123456789abcdef'),
    'Shopify: tampered multibyte character rejected');

  /* Twilio: the example from Twilio's webhook security documentation. */
  const twUrl = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const twParams = {
    CallSid: 'CA1234567890ABCDE', Caller: '+12349013030', Digits: '1234',
    From: '+12349013030', To: '+18005551212',
  };
  ok(verifyTwilio(twUrl, twParams, '0/KCTR6DLpKmkAf8muzZqo1nDgQ=', '12345'), 'Twilio signature accepted');
  ok(!verifyTwilio(twUrl, { ...twParams, Digits: '1235' }, '0/KCTR6DLpKmkAf8muzZqo1nDgQ=', '12345'),
    'Twilio: tampered parameter rejected');
  ok(!verifyTwilio(twUrl.replace('foo=1', 'foo=2'), twParams, '0/KCTR6DLpKmkAf8muzZqo1nDgQ=', '12345'),
    'Twilio: tampered URL rejected');
}

async function onRequest() {
  knownHashes();
  knownHmacs();
  hashApi();
  randomApi();
  timingSafe();
  webhooks();
  /* the callback form of randomBytes runs later, like Node's */
  const viaCallback = await new Promise((resolve, reject) => {
    let sync = true;
    crypto.randomBytes(8, (err, buf) => (err ? reject(err) : resolve({ buf, sync })));
    sync = false;
  });
  eq(viaCallback.buf.length, 8, 'randomBytes callback length');
  eq(viaCallback.sync, false, 'randomBytes callback is asynchronous');
}
