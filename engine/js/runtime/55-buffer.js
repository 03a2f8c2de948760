/*
 * Buffer, atob and btoa, as Node.js has them.
 *
 * Duktape 2.7 ships a partial Node.js Buffer: a constructor whose instances
 * are Uint8Arrays with Buffer.prototype, and native methods on that prototype
 * (readUInt8…, writeUInt8…, slice as a shared view). It lacks Buffer.from and
 * Buffer.alloc, and its toString and write know UTF-8 only. This file keeps
 * Duktape's prototype object, so every buffer Duktape itself makes (native
 * slice, the Buffers native.digest returns) is one of ours, and replaces the
 * constructor and whatever differs from Node:
 * - the constructor: `new Buffer(…)` and `Buffer(…)` work as Node's deprecated
 *   constructor does (a number allocates, anything else goes to Buffer.from);
 * - Buffer.from/alloc/allocUnsafe/of/concat/byteLength/compare/isBuffer/
 *   isEncoding;
 * - toString, write, fill, equals, compare, copy, slice, subarray, indexOf,
 *   lastIndexOf, includes, toJSON with Node's encodings: utf8, utf16le (ucs2),
 *   latin1 (binary), ascii, hex, base64, base64url;
 * - readX/writeX keep Duktape's native code behind Node's argument checks.
 *
 * Codecs are Duktape's (Duktape.enc/dec for hex and base64, TextEncoder and
 * TextDecoder for UTF-8); decoding is as lenient as Node's (hex stops at the
 * first bad pair; base64 accepts both alphabets, skips other characters and
 * stops at '=').
 *
 * Everything is private to the IIFE; `bufferInternals` is what 56-crypto.js
 * uses.
 */
var bufferInternals = (function () {
  var NativeBuffer = global.Buffer;
  var proto = NativeBuffer.prototype;
  var nativeSlice = proto.slice;
  var K_MAX_LENGTH = 4294967296;          /* Node 20's buffer.constants.MAX_LENGTH */
  var utf8Encoder = new TextEncoder();
  var utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  var CHUNK = 4096;                       /* arguments per String.fromCharCode.apply */

  /* ---- Node-style errors ------------------------------------------------ */

  function nodeError(Ctor, code, message) {
    var e = new Ctor(message);
    e.code = code;
    return e;
  }

  /* How Node's ERR_INVALID_ARG_TYPE describes the value it received. */
  function describeReceived(value) {
    if (value === null) return ' Received null';
    if (value === undefined) return ' Received undefined';
    if (typeof value === 'function') return ' Received function ' + (value.name || '<anonymous>');
    if (typeof value === 'object') {
      var ctor = value.constructor;
      if (typeof ctor === 'function' && ctor.name) return ' Received an instance of ' + ctor.name;
      return ' Received [object Object]';
    }
    var shown = typeof value === 'string' ? "'" + value + "'" : String(value);
    if (shown.length > 28) shown = shown.slice(0, 25) + '...';
    return ' Received type ' + typeof value + ' (' + shown + ')';
  }

  function invalidArgType(name, expected, value) {
    var what = name.indexOf(' ') >= 0 ? 'The ' + name : 'The "' + name + '" argument';
    return nodeError(TypeError, 'ERR_INVALID_ARG_TYPE',
      what + ' must be ' + expected + '.' + describeReceived(value));
  }

  function formatNumber(n) {
    var s = String(n);
    if (isFinite(n) && n === Math.floor(n) && Math.abs(n) > 4294967296) {
      var sign = s.charAt(0) === '-' ? '-' : '';
      var digits = sign ? s.slice(1) : s, out = '';
      while (digits.length > 3) {
        out = '_' + digits.slice(-3) + out;
        digits = digits.slice(0, -3);
      }
      s = sign + digits + out;
    }
    return s;
  }

  function outOfRange(name, range, value) {
    return nodeError(RangeError, 'ERR_OUT_OF_RANGE', 'The value of "' + name +
      '" is out of range. It must be ' + range + '. Received ' +
      (typeof value === 'number' ? formatNumber(value) : String(value)));
  }

  function bufferOutOfBounds(name) {
    return nodeError(RangeError, 'ERR_BUFFER_OUT_OF_BOUNDS', name ?
      '"' + name + '" is outside of buffer bounds' : 'Attempt to access memory outside buffer bounds');
  }

  function unknownEncoding(encoding) {
    return nodeError(TypeError, 'ERR_UNKNOWN_ENCODING', 'Unknown encoding: ' + encoding);
  }

  function validateInteger(value, name, min, max) {
    if (typeof value !== 'number') throw invalidArgType(name, 'of type number', value);
    if (!isFinite(value) || value !== Math.floor(value)) throw outOfRange(name, 'an integer', value);
    if (value < min || value > max) throw outOfRange(name, '>= ' + min + ' && <= ' + max, value);
    return value;
  }

  function validateSize(size) {
    if (typeof size !== 'number') throw invalidArgType('size', 'of type number', size);
    if (!(size >= 0 && size <= K_MAX_LENGTH)) {
      throw outOfRange('size', '>= 0 && <= ' + K_MAX_LENGTH, size);
    }
    return size;
  }

  /* ---- kinds of values -------------------------------------------------- */

  function isUint8Array(value) {
    return value instanceof Uint8Array;
  }

  function isArrayBuffer(value) {
    return value instanceof ArrayBuffer;
  }

  function isView(value) {
    return ArrayBuffer.isView(value);
  }

  /* ---- making buffers ---------------------------------------------------- */

  /* A zero-filled Buffer of n bytes (n already validated). */
  function allocate(n) {
    return new NativeBuffer(n);
  }

  /* Makes a fresh Uint8Array object a Buffer, in place. */
  function adopt(u8) {
    Object.setPrototypeOf(u8, proto);
    return u8;
  }

  /* A Buffer holding a copy of the bytes of any Duktape buffer (plain or view). */
  function copyOf(bytes) {
    var b = allocate(bytes.length);
    if (bytes.length) b.set(bytes);
    return b;
  }

  /* A Buffer sharing the memory of `buf` (a Buffer or Uint8Array) over [start, end). */
  function viewOf(buf, start, end) {
    return nativeSlice.call(buf, start, end);
  }

  /* ---- encodings --------------------------------------------------------- */

  /* Node's normalizeEncoding: the canonical name, or undefined. */
  function normalizeEncoding(encoding) {
    if (encoding === undefined || encoding === null || encoding === 'utf8' || encoding === 'utf-8') {
      return 'utf8';
    }
    switch (String(encoding).toLowerCase()) {
      case 'utf8': case 'utf-8': case '': return 'utf8';
      case 'ucs2': case 'ucs-2': case 'utf16le': case 'utf-16le': return 'utf16le';
      case 'latin1': case 'binary': return 'latin1';
      case 'base64': return 'base64';
      case 'base64url': return 'base64url';
      case 'hex': return 'hex';
      case 'ascii': return 'ascii';
      default: return undefined;
    }
  }

  function requireEncoding(encoding) {
    var name = normalizeEncoding(encoding);
    if (name === undefined) throw unknownEncoding(encoding);
    return name;
  }

  /* Base64 text in either alphabet, cleaned the way Node's decoder reads it. */
  function cleanBase64(s) {
    var eq = s.indexOf('=');
    if (eq >= 0) s = s.slice(0, eq);
    s = s.replace(/[^A-Za-z0-9+\/\-_]+/g, '').replace(/-/g, '+').replace(/_/g, '/');
    switch (s.length % 4) {
      case 1: return s.slice(0, -1);
      case 2: return s + '==';
      case 3: return s + '=';
      default: return s;
    }
  }

  /* Node 20's hex and base64 decoders read each UTF-16 unit of a string that
   * is not Latin-1 by its low byte; so do we, for the same bytes. */
  function lowBytes(s) {
    return /[^\x00-\xff]/.test(s) ? s.replace(/[^\x00-\xff]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) & 0xff);
    }) : s;
  }

  /* The fast path of decoding: Duktape's strict decoder, or null when it
   * refuses the text (the lenient path then decides, as Node would). */
  function decodeStrict(codec, s) {
    if (s.length === 0) return allocate(0);
    try {
      return copyOf(Duktape.dec(codec, s));
    } catch (e) {
      return null;
    }
  }

  /* Base64 that Duktape's decoder reads exactly as Node's does: the standard
   * alphabet (any other character makes Duktape throw), no whitespace, '='
   * only as final padding. Searched with indexOf, which is much faster than a
   * RegExp in Duktape. The caller maps the url alphabet to the standard one. */
  function isPlainBase64(s) {
    var n = s.length, eq = s.indexOf('=');
    if (s.indexOf(' ') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0 || s.indexOf('\t') >= 0) {
      return false;
    }
    if (eq < 0) return n % 4 !== 1;
    return n % 4 === 0 && (eq === n - 1 || (eq === n - 2 && s.charCodeAt(n - 1) === 0x3d));
  }

  /* String -> a new Buffer of its bytes in a canonical encoding. */
  function encode(s, encoding) {
    var b, i, n, c;
    switch (encoding) {
      case 'utf8':
        return adopt(utf8Encoder.encode(s));
      case 'hex':
        n = s.length & ~1;
        b = decodeStrict('hex', n === s.length ? s : s.slice(0, n));
        if (b) return b;
        s = lowBytes(s);
        n = s.search(/[^0-9a-fA-F]/);
        n = (n < 0 ? s.length : n) & ~1;
        return n ? copyOf(Duktape.dec('hex', n === s.length ? s : s.slice(0, n))) : allocate(0);
      case 'base64':
      case 'base64url':
        if (s.indexOf('-') >= 0) s = s.split('-').join('+');
        if (s.indexOf('_') >= 0) s = s.split('_').join('/');
        b = isPlainBase64(s) ? decodeStrict('base64', s) : null;
        if (b) return b;
        s = cleanBase64(lowBytes(s));
        return s ? copyOf(Duktape.dec('base64', s)) : allocate(0);
      case 'latin1':
      case 'ascii':
        b = utf8Encoder.encode(s);
        if (b.length === s.length) return adopt(b);   /* ASCII only: the same bytes */
        n = s.length;
        b = allocate(n);
        for (i = 0; i < n; i++) b[i] = s.charCodeAt(i);
        return b;
      case 'utf16le':
        n = s.length;
        b = allocate(n * 2);
        for (i = 0; i < n; i++) {
          c = s.charCodeAt(i);
          b[2 * i] = c & 0xff;
          b[2 * i + 1] = c >>> 8;
        }
        return b;
    }
    throw unknownEncoding(encoding);
  }

  /* Bytes [start, end) of buf -> string, in a canonical encoding. */
  function decode(buf, encoding, start, end) {
    var view = start === 0 && end === buf.length ? buf : viewOf(buf, start, end);
    var parts, i, j, n, codes, s;
    switch (encoding) {
      case 'utf8':
        return utf8Decoder.decode(view);
      case 'hex':
        return Duktape.enc('hex', view);
      case 'base64':
        return Duktape.enc('base64', view);
      case 'base64url':
        /* split/join rather than RegExp replace: far faster in Duktape */
        s = Duktape.enc('base64', view).split('+').join('-').split('/').join('_');
        n = s.length;
        while (n > 0 && s.charCodeAt(n - 1) === 0x3d) n--;
        return n === s.length ? s : s.slice(0, n);
      case 'latin1':
      case 'ascii':
      case 'utf16le':
        parts = [];
        n = view.length;
        if (encoding === 'utf16le') n -= n & 1;
        for (i = 0; i < n; i += CHUNK) {
          j = Math.min(n, i + CHUNK);
          if (encoding === 'latin1') {
            parts.push(String.fromCharCode.apply(null, view.subarray(i, j)));
            continue;
          }
          codes = [];
          if (encoding === 'ascii') {
            for (var k = i; k < j; k++) codes.push(view[k] & 0x7f);
          } else {
            for (var m = i; m < j; m += 2) codes.push(view[m] | (view[m + 1] << 8));
          }
          parts.push(String.fromCharCode.apply(null, codes));
        }
        s = parts.join('');
        return s;
    }
    throw unknownEncoding(encoding);
  }

  /* Bytes a string takes in an encoding, without encoding it. */
  function stringByteLength(s, encoding) {
    var n = s.length, i, c, bytes, end;
    switch (encoding) {
      case 'latin1': case 'ascii': return n;
      case 'utf16le': return n * 2;
      case 'hex': return n >>> 1;
      case 'base64': case 'base64url':
        end = n;
        if (end > 0 && s.charCodeAt(end - 1) === 0x3d) end--;
        if (end > 1 && s.charCodeAt(end - 1) === 0x3d) end--;
        return (end * 3) >>> 2;
    }
    if (n > 256) return utf8Encoder.encode(s).length;   /* native: faster than counting */
    bytes = 0;
    for (i = 0; i < n; i++) {
      c = s.charCodeAt(i);
      if (c < 0x80) bytes += 1;
      else if (c < 0x800) bytes += 2;
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n &&
               s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    }
    return bytes;
  }

  /* The bytes of data for hashing and the like: a string in an encoding
   * (utf8 when none or unknown, as Node's Hash.update does), or the bytes a
   * TypedArray or DataView covers. Returns a Buffer or a view; null if neither. */
  function bytesOf(data, encoding) {
    if (typeof data === 'string') return encode(data, normalizeEncoding(encoding) || 'utf8');
    if (isUint8Array(data)) return data;
    if (isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    return null;
  }

  /* ---- the constructor and its statics ----------------------------------- */

  var Buffer = function Buffer(arg, encodingOrOffset, length) {
    if (typeof arg === 'number') {
      if (typeof encodingOrOffset === 'string') {
        throw invalidArgType('string', 'of type string', arg);
      }
      return allocate(validateSize(arg));
    }
    return from(arg, encodingOrOffset, length);
  };
  Buffer.prototype = proto;
  Object.defineProperty(proto, 'constructor', {
    value: Buffer, writable: true, enumerable: false, configurable: true
  });
  Object.setPrototypeOf(Buffer, Uint8Array);

  function fromString(s, encoding) {
    var name = typeof encoding !== 'string' || encoding.length === 0 ? 'utf8' : normalizeEncoding(encoding);
    if (name === undefined) throw unknownEncoding(encoding);
    return encode(s, name);
  }

  function fromArrayBuffer(ab, byteOffset, length) {
    var offset = byteOffset === undefined ? 0 : +byteOffset;
    if (offset !== offset) offset = 0;
    var max = ab.byteLength - offset;
    if (max < 0) throw bufferOutOfBounds('offset');
    if (length === undefined) length = max;
    else {
      length = +length;
      if (length > 0) {
        if (length > max) throw bufferOutOfBounds('length');
      } else length = 0;
    }
    return adopt(new Uint8Array(ab, offset, length));
  }

  function fromArrayLike(obj) {
    var n = obj.length;
    if (!(n > 0)) return allocate(0);
    var b = allocate(n);
    b.set(obj);
    return b;
  }

  function fromObject(obj) {
    if (obj.length !== undefined || isArrayBuffer(obj.buffer)) {
      if (typeof obj.length !== 'number') return allocate(0);
      return fromArrayLike(obj);
    }
    if (obj.type === 'Buffer' && Array.isArray(obj.data)) return fromArrayLike(obj.data);
    return undefined;
  }

  function from(value, encodingOrOffset, length) {
    if (typeof value === 'string') return fromString(value, encodingOrOffset);
    if (typeof value === 'object' && value !== null) {
      if (isArrayBuffer(value)) return fromArrayBuffer(value, encodingOrOffset, length);
      var valueOf = typeof value.valueOf === 'function' ? value.valueOf() : undefined;
      if (valueOf != null && valueOf !== value &&
          (typeof valueOf === 'string' || typeof valueOf === 'object')) {
        return from(valueOf, encodingOrOffset, length);
      }
      var b = fromObject(value);
      if (b) return b;
      if (typeof value[Symbol.toPrimitive] === 'function') {
        var primitive = value[Symbol.toPrimitive]('string');
        if (typeof primitive === 'string') return fromString(primitive, encodingOrOffset);
      }
    }
    throw invalidArgType('first argument', 'of type string or an instance of Buffer, ArrayBuffer, ' +
      'or Array or an Array-like Object', value);
  }

  function alloc(size, fill, encoding) {
    var b = allocate(validateSize(size));
    if (fill !== undefined && fill !== 0 && size > 0) fillBuffer(b, fill, 0, b.length, encoding);
    return b;
  }

  function compareBytes(a, b) {
    var n = Math.min(a.length, b.length);
    for (var i = 0; i < n; i++) {
      if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
    }
    return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
  }

  var statics = {
    from: from,
    of: function of() {
      var b = allocate(arguments.length);
      for (var i = 0; i < arguments.length; i++) b[i] = arguments[i];
      return b;
    },
    alloc: alloc,
    allocUnsafe: function allocUnsafe(size) { return allocate(validateSize(size)); },
    allocUnsafeSlow: function allocUnsafeSlow(size) { return allocate(validateSize(size)); },
    isBuffer: function isBuffer(b) { return b instanceof Buffer; },
    isEncoding: function isEncoding(encoding) {
      return typeof encoding === 'string' && encoding.length !== 0 &&
        normalizeEncoding(encoding) !== undefined;
    },
    byteLength: function byteLength(string, encoding) {
      if (typeof string !== 'string') {
        if (isView(string) || isArrayBuffer(string)) return string.byteLength;
        throw invalidArgType('string', 'of type string or an instance of Buffer or ArrayBuffer', string);
      }
      return stringByteLength(string, normalizeEncoding(encoding) || 'utf8');
    },
    compare: function compare(buf1, buf2) {
      if (!isUint8Array(buf1)) throw invalidArgType('buf1', 'an instance of Buffer or Uint8Array', buf1);
      if (!isUint8Array(buf2)) throw invalidArgType('buf2', 'an instance of Buffer or Uint8Array', buf2);
      return buf1 === buf2 ? 0 : compareBytes(buf1, buf2);
    },
    concat: function concat(list, totalLength) {
      var i, pos, item;
      if (!Array.isArray(list)) throw invalidArgType('list', 'an instance of Array', list);
      if (list.length === 0) return allocate(0);
      if (totalLength === undefined) {
        totalLength = 0;
        for (i = 0; i < list.length; i++) {
          if (list[i].length) totalLength += list[i].length;
        }
      } else validateInteger(totalLength, 'length', 0, K_MAX_LENGTH);
      var out = allocate(totalLength);
      for (i = 0, pos = 0; i < list.length; i++) {
        item = list[i];
        if (!isUint8Array(item)) {
          throw invalidArgType('list[' + i + ']', 'an instance of Buffer or Uint8Array', item);
        }
        if (pos + item.length > totalLength) item = item.subarray(0, Math.max(totalLength - pos, 0));
        if (item.length) out.set(item, pos);
        pos += item.length;
      }
      return out;
    },
    poolSize: 8192
  };
  Object.keys(statics).forEach(function (name) {
    Object.defineProperty(Buffer, name, {
      value: statics[name], writable: true, enumerable: name === 'poolSize', configurable: true
    });
  });

  /* ---- the prototype ------------------------------------------------------ */

  /* Node's adjustOffset (slice, subarray). */
  function adjustOffset(offset, length) {
    offset = offset < 0 ? Math.ceil(offset) : Math.floor(offset);
    if (offset === 0 || offset !== offset) return 0;
    if (offset < 0) {
      offset += length;
      return offset > 0 ? offset : 0;
    }
    return offset < length ? offset : length;
  }

  function toInteger(n, fallback) {
    n = +n;
    if (n === n && n >= -9007199254740991 && n <= 9007199254740991) {
      return n % 1 === 0 ? n : Math.floor(n);
    }
    return fallback;
  }

  /* Node's _fill. */
  function fillBuffer(buf, value, offset, end, encoding) {
    var bytes, i, n;
    if (typeof value === 'string') {
      if (offset === undefined || typeof offset === 'string') {
        encoding = offset;
        offset = 0;
        end = buf.length;
      } else if (typeof end === 'string') {
        encoding = end;
        end = buf.length;
      }
      var name = normalizeEncoding(encoding);
      if (name === undefined) throw unknownEncoding(encoding);
      if (value.length === 0) value = 0;
      else if (value.length === 1 && name === 'utf8' && value.charCodeAt(0) < 128) value = value.charCodeAt(0);
      else if (value.length === 1 && name === 'latin1') value = value.charCodeAt(0);
      else bytes = encode(value, name);
    } else if (typeof value === 'boolean') {
      value = +value;
    } else if (isUint8Array(value)) {
      bytes = value;
    } else if (typeof value !== 'number') {
      value = Number(value) || 0;
    }
    if (offset === undefined) {
      offset = 0;
      end = buf.length;
    } else {
      validateInteger(offset, 'offset', 0, K_MAX_LENGTH);
      if (end === undefined) end = buf.length;
      else validateInteger(end, 'end', 0, buf.length);
      if (offset >= end) return buf;
    }
    if (end > buf.length) throw bufferOutOfBounds();
    if (offset >= end) return buf;
    if (bytes === undefined) {
      value = value & 255;
      for (i = offset; i < end; i++) buf[i] = value;
      return buf;
    }
    n = bytes.length;
    if (n === 0) {
      throw nodeError(TypeError, 'ERR_INVALID_ARG_VALUE',
        "The argument 'value' is invalid. Received " +
        (typeof value === 'string' ? "'" + value + "'" : String(value)));
    }
    for (i = offset; i < end; i += n) buf.set(end - i < n ? bytes.subarray(0, end - i) : bytes, i);
    return buf;
  }

  /* Node's bidirectionalIndexOf, on bytes. */
  function searchBytes(buf, value, byteOffset, encoding, forward) {
    var needle, len = buf.length, n, off, i, j;
    if (typeof byteOffset === 'string') {
      encoding = byteOffset;
      byteOffset = undefined;
    } else if (byteOffset > 0x7fffffff) byteOffset = 0x7fffffff;
    else if (byteOffset < -0x80000000) byteOffset = -0x80000000;
    byteOffset = +byteOffset;
    if (byteOffset !== byteOffset) byteOffset = forward ? 0 : len;
    byteOffset = byteOffset < 0 ? Math.ceil(byteOffset) : Math.floor(byteOffset);
    if (typeof value === 'number') {
      needle = [value & 255];
    } else if (typeof value === 'string') {
      needle = encode(value, encoding === undefined ? 'utf8' : requireEncoding(encoding));
    } else if (isUint8Array(value)) {
      needle = value;
    } else {
      throw invalidArgType('value', 'one of type number or string or an instance of Buffer or Uint8Array', value);
    }
    n = needle.length;
    /* IndexOfOffset in node_buffer.cc */
    if (byteOffset < 0) {
      if (byteOffset + len >= 0) off = len + byteOffset;
      else if (forward || n === 0) off = 0;
      else return -1;
    } else if (byteOffset + n <= len) off = byteOffset;
    else if (n === 0) off = len;
    else if (forward) return -1;
    else off = len - 1;
    if (n === 0) return off;
    if (len === 0 || (forward && len < off + n)) return -1;
    if (forward) {
      for (i = off; i + n <= len; i++) {
        for (j = 0; j < n && buf[i + j] === needle[j]; j++);
        if (j === n) return i;
      }
    } else {
      for (i = Math.min(off, len - n); i >= 0; i--) {
        for (j = 0; j < n && buf[i + j] === needle[j]; j++);
        if (j === n) return i;
      }
    }
    return -1;
  }

  function subarray(start, end) {
    var length = this.length;
    start = adjustOffset(start, length);
    end = end !== undefined ? adjustOffset(end, length) : length;
    return viewOf(this, start, end > start ? end : start);
  }

  var methods = {
    toString: function toString(encoding, start, end) {
      var len = this.length;
      if (arguments.length === 0) return decode(this, 'utf8', 0, len);
      if (start <= 0) start = 0;
      else if (start >= len) return '';
      else start = toInteger(start, 0);
      if (end === undefined || end > len) end = len;
      else end = toInteger(end, 0);
      if (end <= start) return '';
      if (encoding === undefined) return decode(this, 'utf8', start, end);
      return decode(this, requireEncoding(encoding), start, end);
    },
    toLocaleString: function toLocaleString(encoding, start, end) {
      return methods.toString.apply(this, arguments);
    },
    toJSON: function toJSON() {
      var data = new Array(this.length);
      for (var i = 0; i < this.length; i++) data[i] = this[i];
      return { type: 'Buffer', data: data };
    },
    write: function write(string, offset, length, encoding) {
      if (typeof string !== 'string') throw invalidArgType('argument', 'of type string', string);
      if (offset === undefined) {
        /* Node ignores the encoding here: write(string) is UTF-8. */
        offset = 0;
        length = this.length;
        encoding = 'utf8';
      } else if (length === undefined && typeof offset === 'string') {
        encoding = offset;
        length = this.length;
        offset = 0;
      } else {
        validateInteger(offset, 'offset', 0, this.length);
        var remaining = this.length - offset;
        if (length === undefined) length = remaining;
        else if (typeof length === 'string') {
          encoding = length;
          length = remaining;
        } else {
          validateInteger(length, 'length', 0, this.length);
          if (length > remaining) length = remaining;
        }
      }
      var name = requireEncoding(encoding);
      var bytes = encode(string, name);
      var n = Math.min(bytes.length, length);
      if (n < bytes.length) {
        /* Node writes whole characters only. */
        if (name === 'utf8') {
          while (n > 0 && (bytes[n] & 0xc0) === 0x80) n--;
        } else if (name === 'utf16le') n -= n & 1;
      }
      if (n > 0) this.set(n < bytes.length ? bytes.subarray(0, n) : bytes, offset);
      return n;
    },
    fill: function fill(value, offset, end, encoding) {
      return fillBuffer(this, value, offset, end, encoding);
    },
    equals: function equals(otherBuffer) {
      if (!isUint8Array(otherBuffer)) {
        throw invalidArgType('otherBuffer', 'an instance of Buffer or Uint8Array', otherBuffer);
      }
      if (this === otherBuffer) return true;
      if (this.length !== otherBuffer.length) return false;
      return compareBytes(this, otherBuffer) === 0;
    },
    compare: function compare(target, targetStart, targetEnd, sourceStart, sourceEnd) {
      if (!isUint8Array(target)) throw invalidArgType('target', 'an instance of Buffer or Uint8Array', target);
      if (targetStart === undefined) targetStart = 0;
      else validateInteger(targetStart, 'targetStart', 0, K_MAX_LENGTH);
      if (targetEnd === undefined) targetEnd = target.length;
      else validateInteger(targetEnd, 'targetEnd', 0, target.length);
      if (sourceStart === undefined) sourceStart = 0;
      else validateInteger(sourceStart, 'sourceStart', 0, K_MAX_LENGTH);
      if (sourceEnd === undefined) sourceEnd = this.length;
      else validateInteger(sourceEnd, 'sourceEnd', 0, this.length);
      if (sourceStart >= sourceEnd) return targetStart >= targetEnd ? 0 : -1;
      if (targetStart >= targetEnd) return 1;
      if (sourceStart > this.length) throw outOfRange('sourceStart', '<= ' + this.length, sourceStart);
      if (targetStart > target.length) throw outOfRange('targetStart', '<= ' + target.length, targetStart);
      return compareBytes(this.subarray(sourceStart, sourceEnd), target.subarray(targetStart, targetEnd));
    },
    copy: function copy(target, targetStart, sourceStart, sourceEnd) {
      if (!isUint8Array(target)) throw invalidArgType('target', 'an instance of Buffer or Uint8Array', target);
      if (targetStart === undefined) targetStart = 0;
      else {
        targetStart = toInteger(targetStart, 0);
        if (targetStart < 0) throw outOfRange('targetStart', '>= 0', targetStart);
      }
      if (sourceStart === undefined) sourceStart = 0;
      else {
        sourceStart = toInteger(sourceStart, 0);
        if (sourceStart < 0 || sourceStart > this.length) {
          throw outOfRange('sourceStart', '>= 0 && <= ' + this.length, sourceStart);
        }
      }
      if (sourceEnd === undefined) sourceEnd = this.length;
      else {
        sourceEnd = toInteger(sourceEnd, 0);
        if (sourceEnd < 0) throw outOfRange('sourceEnd', '>= 0', sourceEnd);
      }
      if (targetStart >= target.length || sourceStart >= sourceEnd) return 0;
      if (sourceEnd - sourceStart > target.length - targetStart) {
        sourceEnd = sourceStart + target.length - targetStart;
      }
      var nb = Math.min(sourceEnd - sourceStart, this.length - sourceStart);
      target.set(viewOf(this, sourceStart, sourceStart + nb), targetStart);
      return nb;
    },
    slice: subarray,
    subarray: subarray,
    indexOf: function indexOf(value, byteOffset, encoding) {
      return searchBytes(this, value, byteOffset, encoding, true);
    },
    lastIndexOf: function lastIndexOf(value, byteOffset, encoding) {
      return searchBytes(this, value, byteOffset, encoding, false);
    },
    includes: function includes(value, byteOffset, encoding) {
      return searchBytes(this, value, byteOffset, encoding, true) !== -1;
    }
  };

  /* readX / writeX: Node's argument checks in front of Duktape's natives. */
  function checkBounds(buf, offset, size) {
    if (offset === undefined) offset = 0;
    if (typeof offset !== 'number') throw invalidArgType('offset', 'of type number', offset);
    if (offset !== Math.floor(offset)) throw outOfRange('offset', 'an integer', offset);
    var last = buf.length - size;
    if (offset < 0 || offset > last) {
      if (last < 0) throw bufferOutOfBounds();
      throw outOfRange('offset', '>= 0 and <= ' + last, offset);
    }
    return offset;
  }

  function checkByteLength(byteLength) {
    if (typeof byteLength !== 'number') throw invalidArgType('byteLength', 'of type number', byteLength);
    if (byteLength !== Math.floor(byteLength)) throw outOfRange('byteLength', 'an integer', byteLength);
    if (byteLength < 1 || byteLength > 6) throw outOfRange('byteLength', '>= 1 and <= 6', byteLength);
    return byteLength;
  }

  /* Node's checkInt message for a value outside [min, max] of `size` bytes. */
  function checkValue(value, size, signed) {
    var bits = size * 8;
    var min = signed ? -Math.pow(2, bits - 1) : 0;
    var max = signed ? Math.pow(2, bits - 1) - 1 : Math.pow(2, bits) - 1;
    if (value > max || value < min) {
      var range;
      if (size > 4) {
        range = signed ? '>= -(2 ** ' + (bits - 1) + ') and < 2 ** ' + (bits - 1) : '>= 0 and < 2 ** ' + bits;
      } else range = '>= ' + min + ' and <= ' + max;
      throw outOfRange('value', range, value);
    }
  }

  var accessors = [
    ['UInt8', 1, false], ['Int8', 1, true],
    ['UInt16LE', 2, false], ['UInt16BE', 2, false], ['Int16LE', 2, true], ['Int16BE', 2, true],
    ['UInt32LE', 4, false], ['UInt32BE', 4, false], ['Int32LE', 4, true], ['Int32BE', 4, true],
    ['FloatLE', 4, null], ['FloatBE', 4, null], ['DoubleLE', 8, null], ['DoubleBE', 8, null],
    ['UIntLE', 0, false], ['UIntBE', 0, false], ['IntLE', 0, true], ['IntBE', 0, true]
  ];
  accessors.forEach(function (a) {
    var name = a[0], size = a[1], signed = a[2];
    var nativeRead = proto['read' + name], nativeWrite = proto['write' + name];
    if (typeof nativeRead !== 'function' || typeof nativeWrite !== 'function') return;
    var read, write;
    if (size) {
      read = function (offset) {
        return nativeRead.call(this, checkBounds(this, offset, size));
      };
      write = function (value, offset) {
        value = +value;
        if (signed !== null) checkValue(value, size, signed);
        offset = checkBounds(this, offset, size);
        nativeWrite.call(this, value, offset);
        return offset + size;
      };
    } else {
      read = function (offset, byteLength) {
        if (offset === undefined) throw invalidArgType('offset', 'of type number', offset);
        checkByteLength(byteLength);
        return nativeRead.call(this, checkBounds(this, offset, byteLength), byteLength);
      };
      write = function (value, offset, byteLength) {
        value = +value;
        if (offset === undefined) throw invalidArgType('offset', 'of type number', offset);
        checkByteLength(byteLength);
        checkValue(value, byteLength, signed);
        offset = checkBounds(this, offset, byteLength);
        nativeWrite.call(this, value, offset, byteLength);
        return offset + byteLength;
      };
    }
    Object.defineProperty(read, 'name', { value: 'read' + name, configurable: true });
    Object.defineProperty(write, 'name', { value: 'write' + name, configurable: true });
    methods['read' + name] = read;
    methods['write' + name] = write;
    if (name.indexOf('UInt') === 0) {       /* Node's lower-case aliases: readUint8… */
      methods['readUint' + name.slice(4)] = read;
      methods['writeUint' + name.slice(4)] = write;
    }
  });

  Object.keys(methods).forEach(function (name) {
    Object.defineProperty(proto, name, {
      value: methods[name], writable: true, enumerable: false, configurable: true
    });
  });

  defineGlobal('Buffer', Buffer);

  /* ---- atob / btoa --------------------------------------------------------- */

  function invalidCharacter(message) {
    if (typeof global.DOMException === 'function') {
      return new global.DOMException(message, 'InvalidCharacterError');
    }
    var e = new Error(message);
    Object.defineProperty(e, 'name', {
      value: 'InvalidCharacterError', writable: true, enumerable: false, configurable: true
    });
    Object.defineProperty(e, 'code', {
      value: 5, writable: true, enumerable: false, configurable: true
    });
    return e;
  }

  function missingInput() {
    return nodeError(TypeError, 'ERR_MISSING_ARGS', 'The "input" argument must be specified');
  }

  function btoa(input) {
    if (arguments.length === 0) throw missingInput();
    input = String(input);
    for (var i = 0; i < input.length; i++) {
      if (input.charCodeAt(i) > 0xff) throw invalidCharacter('Invalid character');
    }
    return decode(encode(input, 'latin1'), 'base64', 0, input.length);
  }

  /* WHATWG forgiving-base64 decode, with the two messages Node 20 gives. */
  function atob(input) {
    if (arguments.length === 0) throw missingInput();
    input = String(input);
    var text = input.replace(/[\t\n\f\r ]+/g, ''), n = text.length, pad = 0, i, c;
    while (pad < n && text.charCodeAt(n - 1 - pad) === 0x3d) pad++;
    if (pad > 2) throw invalidCharacter('Invalid character');
    var body = n - pad;
    for (i = 0; i < body; i++) {
      c = text.charCodeAt(i);
      if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) ||
            c === 0x2b || c === 0x2f)) throw invalidCharacter('Invalid character');
    }
    if (body % 4 === 1) throw invalidCharacter('The string to be decoded is not correctly encoded.');
    if (pad && n % 4 !== 0) throw invalidCharacter('Invalid character');
    var bytes = encode(text, 'base64');
    return decode(bytes, 'latin1', 0, bytes.length);
  }

  defineGlobal('btoa', btoa);
  defineGlobal('atob', atob);
  if (typeof global.TextEncoder !== 'function') defineGlobal('TextEncoder', TextEncoder);
  if (typeof global.TextDecoder !== 'function') defineGlobal('TextDecoder', TextDecoder);

  return {
    Buffer: Buffer,
    bytesOf: bytesOf,
    normalizeEncoding: normalizeEncoding,
    decode: decode,
    copyOf: copyOf,
    nodeError: nodeError,
    invalidArgType: invalidArgType,
    outOfRange: outOfRange,
    isArrayBuffer: isArrayBuffer,
    isView: isView
  };
})();
