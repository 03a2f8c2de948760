/*
 * crypto: the global `crypto`, shaped like Node's `crypto` module for what
 * source functions use (webhook signature checks above all): createHash,
 * createHmac, randomBytes, randomUUID, randomInt, getRandomValues,
 * timingSafeEqual, getHashes, and the Hash and Hmac classes.
 *
 * Hash and Hmac keep the chunks given to update() (copies, as Node hashes
 * them on the spot) and hash them in one native call (engine/native-crypto.c,
 * OpenSSL EVP) when digest() is called. Errors carry Node's messages and
 * codes. Parts of the module that srcfn does not offer (ciphers, signatures,
 * key derivation, WebCrypto's subtle) throw a clear "not available" error
 * when called.
 */
(function () {
  var B = bufferInternals;
  var Buffer = B.Buffer;
  var MAX_RANDOM = 2147483647;

  function hashFinalized() {
    return B.nodeError(Error, 'ERR_CRYPTO_HASH_FINALIZED', 'Digest already called');
  }

  /* update()'s data as a Buffer the caller can no longer change. */
  function chunkOf(data, encoding) {
    if (typeof data === 'string' && data.length % 2 !== 0 && B.normalizeEncoding(encoding) === 'hex') {
      throw B.nodeError(TypeError, 'ERR_INVALID_ARG_VALUE', "The argument 'encoding' is invalid for data of length " +
        data.length + ". Received '" + encoding + "'");
    }
    var bytes = B.bytesOf(data, encoding);
    if (bytes === null) {
      throw B.invalidArgType('data', 'of type string or an instance of Buffer, TypedArray, or DataView', data);
    }
    return typeof data === 'string' ? bytes : B.copyOf(bytes);
  }

  function joinChunks(chunks) {
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
  }

  /* digest()'s result in the encoding asked for; a Buffer for none or an
   * encoding Node would not know (Node does the same). */
  function encodeDigest(buf, encoding) {
    if (!encoding || encoding === 'buffer') return buf;
    var name = B.normalizeEncoding(encoding);
    return name === undefined ? buf : B.decode(buf, name, 0, buf.length);
  }

  /* Throws Node's error for an algorithm OpenSSL does not offer (checked once
   * at creation, as Node does). */
  function checkAlgorithm(algorithm, forHmac) {
    if (typeof algorithm !== 'string') {
      throw B.invalidArgType(forHmac ? 'hmac' : 'algorithm', 'of type string', algorithm);
    }
    try {
      native.digest(algorithm, EMPTY);
    } catch (e) {
      if (forHmac) throw B.nodeError(TypeError, 'ERR_CRYPTO_INVALID_DIGEST', 'Invalid digest: ' + algorithm);
      throw new Error('Digest method not supported');
    }
  }
  var EMPTY = Buffer.alloc(0);

  function defineMethods(Ctor, methods) {
    Object.keys(methods).forEach(function (name) {
      Object.defineProperty(Ctor.prototype, name, {
        value: methods[name], writable: true, enumerable: false, configurable: true
      });
    });
  }

  /* ---- Hash ------------------------------------------------------------ */

  function Hash(algorithm, options) {
    if (!(this instanceof Hash)) return new Hash(algorithm, options);
    var state = { algorithm: algorithm, chunks: [], finalized: false };
    if (algorithm instanceof Hash) {          /* hash.copy() */
      state.algorithm = algorithm._state.algorithm;
      state.chunks = algorithm._state.chunks.slice();
    } else checkAlgorithm(algorithm, false);
    Object.defineProperty(this, '_state', { value: state, writable: false, enumerable: false });
  }

  defineMethods(Hash, {
    update: function update(data, inputEncoding) {
      var state = this._state;
      if (state.finalized) throw hashFinalized();
      state.chunks.push(chunkOf(data, inputEncoding));
      return this;
    },
    digest: function digest(outputEncoding) {
      var state = this._state;
      if (state.finalized) throw hashFinalized();
      state.finalized = true;
      var result = native.digest(state.algorithm, joinChunks(state.chunks.length ? state.chunks : [EMPTY]));
      state.chunks = [];
      return encodeDigest(result, outputEncoding);
    },
    copy: function copy() {
      if (this._state.finalized) throw hashFinalized();
      return new Hash(this);
    }
  });

  /* ---- Hmac ------------------------------------------------------------ */

  function keyOf(key, encoding) {
    if (typeof key === 'string') return B.bytesOf(key, encoding);
    if (B.isArrayBuffer(key)) return B.copyOf(new Uint8Array(key));
    var bytes = B.bytesOf(key);
    if (bytes === null) {
      throw B.invalidArgType('key', 'of type string or an instance of ArrayBuffer, Buffer, ' +
        'TypedArray, DataView, KeyObject, or CryptoKey', key);
    }
    return B.copyOf(bytes);
  }

  function Hmac(hmac, key, options) {
    if (!(this instanceof Hmac)) return new Hmac(hmac, key, options);
    checkAlgorithm(hmac, true);
    var encoding = options && typeof options === 'object' ? options.encoding : undefined;
    Object.defineProperty(this, '_state', {
      value: { algorithm: hmac, key: keyOf(key, encoding), chunks: [], finalized: false },
      writable: false, enumerable: false
    });
  }

  defineMethods(Hmac, {
    update: function update(data, inputEncoding) {
      var state = this._state;
      if (state.finalized) throw hashFinalized();
      state.chunks.push(chunkOf(data, inputEncoding));
      return this;
    },
    digest: function digest(outputEncoding) {
      var state = this._state;
      if (state.finalized) {
        /* Node gives an empty result for a second digest() of an Hmac. */
        return encodeDigest(Buffer.alloc(0), outputEncoding);
      }
      state.finalized = true;
      var result = native.hmac(state.algorithm, state.key,
        joinChunks(state.chunks.length ? state.chunks : [EMPTY]));
      state.chunks = [];
      state.key = EMPTY;
      return encodeDigest(result, outputEncoding);
    }
  });

  /* ---- random ------------------------------------------------------------ */

  function validateRandomSize(size) {
    if (typeof size !== 'number') throw B.invalidArgType('size', 'of type number', size);
    if (!(size >= 0 && size <= MAX_RANDOM)) {
      throw B.outOfRange('size', '>= 0 && <= ' + MAX_RANDOM, size);
    }
    return Math.floor(size);
  }

  function later(callback, err, value) {
    Promise.resolve().then(function () { callback(err, value); });
  }

  function randomBytes(size, callback) {
    size = validateRandomSize(size);
    if (callback !== undefined && typeof callback !== 'function') {
      throw B.invalidArgType('callback', 'of type function', callback);
    }
    var buf = native.randomBytes(size);
    if (callback) {
      later(callback, null, buf);
      return undefined;
    }
    return buf;
  }

  var HEX = [];
  for (var h = 0; h < 256; h++) HEX.push((h < 16 ? '0' : '') + h.toString(16));

  function randomUUID(options) {
    var b = native.randomBytes(16);
    b[6] = (b[6] & 0x0f) | 0x40;      /* version 4 */
    b[8] = (b[8] & 0x3f) | 0x80;      /* RFC 4122 variant */
    return HEX[b[0]] + HEX[b[1]] + HEX[b[2]] + HEX[b[3]] + '-' + HEX[b[4]] + HEX[b[5]] + '-' +
      HEX[b[6]] + HEX[b[7]] + '-' + HEX[b[8]] + HEX[b[9]] + '-' + HEX[b[10]] + HEX[b[11]] +
      HEX[b[12]] + HEX[b[13]] + HEX[b[14]] + HEX[b[15]];
  }

  /* randomInt([min, ]max[, callback]): uniform in [min, max), by rejection. */
  function randomInt(min, max, callback) {
    if (typeof max === 'undefined' || typeof max === 'function') {
      callback = max;
      max = min;
      min = 0;
    }
    var isSafe = function (n) { return typeof n === 'number' && n === Math.floor(n) && Math.abs(n) <= 9007199254740991; };
    if (!isSafe(min)) throw B.invalidArgType('min', 'a safe integer', min);
    if (!isSafe(max)) throw B.invalidArgType('max', 'a safe integer', max);
    if (max <= min) {
      throw B.outOfRange('max', 'greater than the value of "min" (' + min + ')', max);
    }
    var range = max - min;
    if (range > 281474976710655) {
      throw B.outOfRange('max - min', '<= 281474976710655', range);
    }
    if (callback !== undefined && typeof callback !== 'function') {
      throw B.invalidArgType('callback', 'of type function', callback);
    }
    var limit = 281474976710656 - (281474976710656 % range), x;
    do {
      var r = native.randomBytes(6);
      x = ((r[0] * 256 + r[1]) * 256 + r[2]) * 16777216 + ((r[3] * 256 + r[4]) * 256 + r[5]);
    } while (x >= limit);
    var n = min + x % range;
    if (callback) {
      later(callback, null, n);
      return undefined;
    }
    return n;
  }

  function getRandomValues(array) {
    var ok = ArrayBuffer.isView(array) && !(array instanceof Float32Array) &&
      !(array instanceof Float64Array) && !(array instanceof DataView);
    if (!ok) {
      var e = new TypeError('The data argument must be an integer-type TypedArray');
      Object.defineProperty(e, 'name', { value: 'TypeMismatchError', writable: true, configurable: true });
      Object.defineProperty(e, 'code', { value: 17, writable: true, configurable: true });
      throw e;
    }
    if (array.byteLength > 65536) {
      var q = new Error("The ArrayBufferView's byte length (" + array.byteLength +
        ') exceeds the number of bytes of entropy available via this API (65536)');
      q.name = 'QuotaExceededError';
      throw q;
    }
    new Uint8Array(array.buffer, array.byteOffset, array.byteLength).set(native.randomBytes(array.byteLength));
    return array;
  }

  /* randomFillSync(buf[, offset[, size]]): buf an ArrayBuffer or a view. */
  function randomFillSync(buf, offset, size) {
    var bytes;
    if (B.isArrayBuffer(buf)) bytes = new Uint8Array(buf);
    else if (B.isView(buf)) bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    else throw B.invalidArgType('buf', 'an instance of ArrayBuffer or ArrayBufferView', buf);
    var elementSize = B.isView(buf) && buf.BYTES_PER_ELEMENT ? buf.BYTES_PER_ELEMENT : 1;
    offset = offset === undefined ? 0 : offset;
    if (typeof offset !== 'number') throw B.invalidArgType('offset', 'of type number', offset);
    offset *= elementSize;
    if (!(offset >= 0 && offset <= bytes.length)) throw B.outOfRange('offset', '>= 0 && <= ' + bytes.length, offset);
    size = size === undefined ? bytes.length - offset : size * elementSize;
    if (typeof size !== 'number') throw B.invalidArgType('size', 'of type number', size);
    if (!(size >= 0 && offset + size <= bytes.length)) {
      throw B.outOfRange('size + offset', '<= ' + bytes.length, size + offset);
    }
    size = Math.floor(size);
    if (size > 0) bytes.set(native.randomBytes(size), Math.floor(offset));
    return buf;
  }

  function randomFill(buf, offset, size, callback) {
    if (typeof offset === 'function') {
      callback = offset;
      offset = undefined;
    } else if (typeof size === 'function') {
      callback = size;
      size = undefined;
    }
    if (typeof callback !== 'function') throw B.invalidArgType('callback', 'of type function', callback);
    randomFillSync(buf, offset, size);
    later(callback, null, buf);
  }

  function timingSafeEqual(buf1, buf2) {
    var names = ['buf1', 'buf2'], args = [buf1, buf2];
    for (var i = 0; i < 2; i++) {
      if (!B.isArrayBuffer(args[i]) && !B.isView(args[i])) {
        throw B.invalidArgType(names[i], 'an instance of ArrayBuffer, Buffer, TypedArray, or DataView', args[i]);
      }
    }
    if (buf1.byteLength !== buf2.byteLength) {
      throw B.nodeError(RangeError, 'ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH',
        'Input buffers must have the same byte length');
    }
    return native.timingSafeEqual(buf1, buf2);
  }

  var hashNames = null;
  function getHashes() {
    if (!hashNames) hashNames = native.hashes().sort();
    return hashNames.slice();
  }

  /* ---- the module --------------------------------------------------------- */

  var crypto = {
    createHash: function createHash(algorithm, options) { return new Hash(algorithm, options); },
    createHmac: function createHmac(hmac, key, options) { return new Hmac(hmac, key, options); },
    Hash: Hash,
    Hmac: Hmac,
    randomBytes: randomBytes,
    pseudoRandomBytes: randomBytes,
    randomUUID: randomUUID,
    randomInt: randomInt,
    getRandomValues: getRandomValues,
    randomFill: randomFill,
    randomFillSync: randomFillSync,
    timingSafeEqual: timingSafeEqual,
    getHashes: getHashes
  };

  /* What Node's module has and srcfn does not: a clear error, not "undefined is not a function". */
  ['createCipheriv', 'createDecipheriv', 'createSign', 'createVerify', 'sign', 'verify',
    'createPublicKey', 'createPrivateKey', 'createSecretKey', 'generateKeyPair',
    'generateKeyPairSync', 'generateKey', 'generateKeySync', 'publicEncrypt', 'privateDecrypt',
    'privateEncrypt', 'publicDecrypt', 'pbkdf2', 'pbkdf2Sync', 'scrypt', 'scryptSync', 'hkdf',
    'hkdfSync', 'createDiffieHellman', 'createECDH', 'getDiffieHellman', 'getCiphers',
    'getCurves', 'generatePrime', 'generatePrimeSync',
    'checkPrime', 'checkPrimeSync'].forEach(function (name) {
    crypto[name] = function () {
      throw new Error('crypto.' + name + ' is not available in srcfn: only hashes, HMAC and ' +
        'random values (createHash, createHmac, randomBytes, randomUUID, timingSafeEqual) are');
    };
    Object.defineProperty(crypto[name], 'name', { value: name, configurable: true });
  });

  defineGlobal('crypto', crypto);
})();
