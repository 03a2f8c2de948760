/*
 * console, and the Node.js-style formatting behind it.
 *
 * Every console call appends {level, message} to run.logs; the message is
 * what Node's console would print (util.format of the arguments, without the
 * trailing newline). inspect(value, options) follows Node 20's util.inspect
 * with its defaults (depth 2, breakLength 80, compact 3, maxArrayLength 100,
 * maxStringLength 10000), including its line-breaking and array-grouping
 * rules and custom inspection through Symbol.for('nodejs.util.inspect.custom').
 *
 * Known differences from Node (Duktape cannot tell these apart):
 *  - functions print as [Function: name]; Node would print [class X] for a
 *    class and [AsyncFunction: f] for an async function, which the lowering
 *    turned into plain functions; anonymous functions assigned to a variable
 *    keep the name '' (Node infers the variable's name);
 *  - stacks (errors, console.trace) are Duktape's frames, not V8's;
 *  - %o shows non-enumerable own properties like Node's showHidden, but not
 *    the [length]/[name]/[prototype] details Node shows for functions;
 *  - Proxy objects print as their target; getters are never invoked.
 */

/* The invocation in progress; 90-invoke.js replaces it at the start of each run. */
var run = { events: [], objects: [], logs: [] };

var INSPECT_CUSTOM = Symbol.for('nodejs.util.inspect.custom');
var INSPECT_DEFAULTS = {
  depth: 2, breakLength: 80, compact: 3, maxArrayLength: 100,
  maxStringLength: 10000, showHidden: false, customInspect: true
};
var KEY_IDENTIFIER = /^[a-zA-Z_][a-zA-Z_0-9]*$/;
var NUMBER_KEY = /^(0|[1-9][0-9]*)$/;
/* The globals Node counts as built-in (util's builtInObjects), for %s. */
var BUILTIN_NAMES = ['Object', 'Function', 'Array', 'Number', 'Boolean', 'String',
  'Symbol', 'Date', 'Promise', 'RegExp', 'Error', 'EvalError', 'RangeError',
  'ReferenceError', 'SyntaxError', 'TypeError', 'URIError', 'ArrayBuffer',
  'Uint8Array', 'Int8Array', 'Uint16Array', 'Int16Array', 'Uint32Array',
  'Int32Array', 'Float32Array', 'Float64Array', 'Uint8ClampedArray', 'DataView',
  'Map', 'Set', 'WeakMap', 'WeakSet', 'Proxy', 'Reflect', 'BigInt', 'JSON', 'Math',
  'URL', 'URLSearchParams', 'Headers', 'Request', 'Response', 'Buffer',
  'TextEncoder', 'TextDecoder', 'AbortController', 'AbortSignal', 'Event', 'EventTarget'];

var hasOwnProp = Object.prototype.hasOwnProperty;
var objTag = Object.prototype.toString;

function spaces(n) {
  return n > 0 ? new Array(n + 1).join(' ') : '';
}
function padStartStr(s, n) { return s.length >= n ? s : spaces(n - s.length) + s; }
function padEndStr(s, n) { return s.length >= n ? s : s + spaces(n - s.length); }

function isInstance(value, name) {
  var C = global[name];
  try { return typeof C === 'function' && value instanceof C; } catch (e) { return false; }
}

/* --- primitives ------------------------------------------------------------ */

var META = (function () {
  var meta = [], i;
  for (i = 0; i < 0xa0; i++) meta.push('');
  for (i = 0; i < 0x20; i++) meta[i] = '\\x' + (i < 16 ? '0' : '') + i.toString(16).toUpperCase();
  for (i = 0x7f; i < 0xa0; i++) meta[i] = '\\x' + i.toString(16).toUpperCase();
  meta[8] = '\\b'; meta[9] = '\\t'; meta[10] = '\\n'; meta[12] = '\\f'; meta[13] = '\\r';
  meta[39] = "\\'"; meta[92] = '\\\\';
  return meta;
})();
var NEEDS_ESCAPE = /[\x00-\x1f\x27\x5c\x7f-\x9f\ud800-\udfff]/;

/* Quotes a string as util.inspect does: ', then ", then ` when needed. */
function strEscape(str) {
  var quote = 39, q = "'", result = '', last = 0, i, point, next;
  if (str.indexOf("'") >= 0) {
    if (str.indexOf('"') < 0) quote = -2;
    else if (str.indexOf('`') < 0 && str.indexOf('${') < 0) quote = -1;
  }
  if (quote === -2) q = '"'; else if (quote === -1) q = '`';
  if (!NEEDS_ESCAPE.test(str)) return q + str + q;
  for (i = 0; i < str.length; i++) {
    point = str.charCodeAt(i);
    if (point === quote || point === 92 || point < 32 || (point > 126 && point < 160)) {
      result += str.slice(last, i) + META[point];
      last = i + 1;
    } else if (point >= 0xd800 && point <= 0xdfff) {
      if (point <= 0xdbff && i + 1 < str.length) {
        next = str.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) { i++; continue; }
      }
      result += str.slice(last, i) + '\\u' + point.toString(16);
      last = i + 1;
    }
  }
  if (last !== str.length) result += str.slice(last);
  return q + result + q;
}

function formatNumber(n) {
  if (n === 0 && 1 / n < 0) return '-0';
  return String(n);
}

function formatPrimitive(ctx, value) {
  switch (typeof value) {
    case 'string': {
      var trailer = '';
      if (value.length > ctx.maxStringLength) {
        var remaining = value.length - ctx.maxStringLength;
        value = value.slice(0, ctx.maxStringLength);
        trailer = '... ' + remaining + ' more character' + (remaining > 1 ? 's' : '');
      }
      if (ctx.compact !== true && value.length > 16 &&
          value.length > ctx.breakLength - ctx.indentationLvl - 4 && value.indexOf('\n') >= 0) {
        var lines = value.split('\n'), parts = [], i;
        for (i = 0; i < lines.length; i++) {
          if (i < lines.length - 1) parts.push(strEscape(lines[i] + '\n'));
          else if (lines[i] !== '') parts.push(strEscape(lines[i]));
        }
        return parts.join(' +\n' + spaces(ctx.indentationLvl + 2)) + trailer;
      }
      return strEscape(value) + trailer;
    }
    case 'number': return formatNumber(value);
    case 'bigint': return String(value) + 'n';
    case 'symbol': return String(value);
    default: return String(value);   /* boolean, undefined */
  }
}

/* --- objects --------------------------------------------------------------- */

function getConstructorName(obj) {
  var o = obj, d, guard = 0;
  while (o !== null && o !== undefined && guard++ < 1000) {
    d = Object.getOwnPropertyDescriptor(o, 'constructor');
    if (d !== undefined && typeof d.value === 'function' && d.value.name !== '') {
      try { if (obj instanceof d.value) return String(d.value.name); } catch (e) { /* not a constructor */ }
    }
    o = Object.getPrototypeOf(o);
    if (o === null && guard === 1) return null;
  }
  return 'Object';
}

function getPrefix(constructor, tag, fallback, size) {
  size = size || '';
  if (constructor === null) {
    if (tag !== '' && fallback !== tag) return '[' + fallback + size + ': null prototype] [' + tag + '] ';
    return '[' + fallback + size + ': null prototype] ';
  }
  if (tag !== '' && constructor !== tag) return constructor + size + ' [' + tag + '] ';
  return constructor + size + ' ';
}

function getKeys(value, showHidden) {
  var keys, symbols = Object.getOwnPropertySymbols ? Object.getOwnPropertySymbols(value) : [], i;
  if (showHidden) {
    keys = Object.getOwnPropertyNames(value);
    for (i = 0; i < symbols.length; i++) keys.push(symbols[i]);
  } else {
    keys = Object.keys(value);
    for (i = 0; i < symbols.length; i++) {
      if (Object.prototype.propertyIsEnumerable.call(value, symbols[i])) keys.push(symbols[i]);
    }
  }
  return keys;
}

/* Own keys that are not array indices (arrays, typed arrays). */
function getNonIndexKeys(value, showHidden) {
  var all = getKeys(value, showHidden), out = [], i;
  for (i = 0; i < all.length; i++) {
    if (typeof all[i] === 'string' && NUMBER_KEY.test(all[i]) && Number(all[i]) < 4294967295) continue;
    out.push(all[i]);
  }
  return out;
}

function isError(value) {
  return value instanceof NativeError || objTag.call(value) === '[object Error]';
}

function isTypedArray(value) {
  return typeof ArrayBuffer !== 'undefined' && ArrayBuffer.isView && ArrayBuffer.isView(value) &&
    !(typeof DataView !== 'undefined' && value instanceof DataView);
}

function isBuffer(value) {
  var B = global.Buffer;
  return typeof B === 'function' && typeof B.isBuffer === 'function' && B.isBuffer(value);
}

function formatValue(ctx, value, recurseTimes) {
  if (typeof value !== 'object' && typeof value !== 'function') return formatPrimitive(ctx, value);
  if (value === null) return 'null';

  if (ctx.customInspect) {
    var custom;
    try { custom = value[INSPECT_CUSTOM]; } catch (e) { custom = undefined; }
    if (typeof custom === 'function' && custom !== inspect &&
        !(value.constructor && value.constructor.prototype === value)) {
      var depth = ctx.depth === null ? null : ctx.depth - recurseTimes;
      var ret = custom.call(value, depth, userOptions(ctx, depth), inspect);
      if (ret !== value) {
        if (typeof ret !== 'string') return formatValue(ctx, ret, recurseTimes);
        return ret.split('\n').join('\n' + spaces(ctx.indentationLvl));
      }
    }
  }

  if (ctx.seen.indexOf(value) >= 0) {
    var index = ctx.circular.indexOf(value);
    if (index < 0) { ctx.circular.push(value); index = ctx.circular.length - 1; }
    return '[Circular *' + (index + 1) + ']';
  }
  return formatRaw(ctx, value, recurseTimes);
}

function userOptions(ctx) {
  return {
    depth: ctx.depth, breakLength: ctx.breakLength, compact: ctx.compact,
    maxArrayLength: ctx.maxArrayLength, maxStringLength: ctx.maxStringLength,
    showHidden: ctx.showHidden, customInspect: ctx.customInspect, colors: false,
    stylize: function (s) { return String(s); }
  };
}

function getFunctionBase(value, constructor, tag) {
  var base = '[Function';
  if (constructor === null) base += ' (null prototype)';
  base += value.name === '' || typeof value.name !== 'string' ? ' (anonymous)' : ': ' + value.name;
  base += ']';
  if (constructor !== 'Function' && constructor !== null) base += ' ' + constructor;
  if (tag !== '' && constructor !== tag) base += ' [' + tag + ']';
  return base;
}

function improveStack(stack, constructor, name, tag) {
  var len = name.length, fallback, start, prefix;
  if (constructor === null ||
      (/Error$/.test(name) && stack.indexOf(name) === 0 &&
       (stack.length === len || stack.charAt(len) === ':' || stack.charAt(len) === '\n'))) {
    fallback = 'Error';
    if (constructor === null) {
      start = /^([A-Z][a-z_ A-Z0-9[\]()-]+)(?::|\n\s+at)/.exec(stack) || /^([a-z_A-Z0-9-]*Error)$/.exec(stack);
      fallback = (start && start[1]) || '';
      len = fallback.length;
      fallback = fallback || 'Error';
    }
    prefix = getPrefix(constructor, tag, fallback).slice(0, -1);
    if (name !== prefix) {
      if (prefix.indexOf(name) >= 0) {
        stack = len === 0 ? prefix + ': ' + stack : prefix + stack.slice(len);
      } else {
        stack = prefix + ' [' + name + ']' + stack.slice(len);
      }
    }
  }
  return stack;
}

function formatError(err, constructor, tag, ctx, keys) {
  var name = err.name != null ? String(err.name) : 'Error';
  var stack, message, pos, stackStart;
  try { stack = err.stack ? String(err.stack) : NativeError.prototype.toString.call(err); }
  catch (e) { stack = NativeError.prototype.toString.call(err); }
  /* Keys already shown by the stack are not repeated. */
  if (!ctx.showHidden && keys.length !== 0) {
    ['name', 'message', 'stack'].forEach(function (key) {
      var at = keys.indexOf(key);
      if (at !== -1 && stack.indexOf(err[key]) >= 0) keys.splice(at, 1);
    });
  }
  if ('cause' in err && (keys.length === 0 || keys.indexOf('cause') < 0)) keys.push('cause');
  if (Array.isArray(err.errors) && (keys.length === 0 || keys.indexOf('errors') < 0)) keys.push('errors');
  stack = improveStack(stack, constructor, name, tag);
  message = err.message;
  pos = (message && stack.indexOf(message)) || -1;
  if (pos !== -1) pos += String(message).length;
  stackStart = stack.indexOf('\n    at', pos);
  if (stackStart === -1) stack = '[' + stack + ']';
  if (ctx.indentationLvl !== 0) stack = stack.split('\n').join('\n' + spaces(ctx.indentationLvl));
  return stack;
}

function formatArrayLike(ctx, value, recurseTimes, length, getter) {
  var len = Math.min(Math.max(0, ctx.maxArrayLength), length);
  var remaining = length - len, output = [], i;
  for (i = 0; i < len; i++) output.push(getter(i));
  if (remaining > 0) output.push('... ' + remaining + ' more item' + (remaining > 1 ? 's' : ''));
  return output;
}

function formatArray(ctx, value, recurseTimes) {
  var valLen = value.length;
  var len = Math.min(Math.max(0, ctx.maxArrayLength), valLen);
  var remaining = valLen - len, output = [], i;
  for (i = 0; i < len; i++) {
    if (!hasOwnProp.call(value, i)) return formatSpecialArray(ctx, value, recurseTimes, len, output, i);
    output.push(formatProperty(ctx, value, recurseTimes, i, true));
  }
  if (remaining > 0) output.push('... ' + remaining + ' more item' + (remaining > 1 ? 's' : ''));
  return output;
}

/* Arrays with holes: runs of holes print as <N empty items>. */
function formatSpecialArray(ctx, value, recurseTimes, maxLength, output, i) {
  var keys = Object.keys(value), index = i, key, tmp, empty, remaining;
  for (; i < keys.length && output.length < maxLength; i++) {
    key = keys[i];
    tmp = +key;
    if (tmp > 4294967294) break;
    if (String(index) !== key) {
      if (!NUMBER_KEY.test(key)) break;
      empty = tmp - index;
      output.push('<' + empty + ' empty item' + (empty > 1 ? 's' : '') + '>');
      index = tmp;
      if (output.length === maxLength) break;
    }
    output.push(formatProperty(ctx, value, recurseTimes, key, true));
    index++;
  }
  remaining = value.length - index;
  if (output.length !== maxLength) {
    if (remaining > 0) output.push('<' + remaining + ' empty item' + (remaining > 1 ? 's' : '') + '>');
  } else if (remaining > 0) {
    output.push('... ' + remaining + ' more item' + (remaining > 1 ? 's' : ''));
  }
  return output;
}

function collectionItems(value) {
  var items = [];
  value.forEach(function (v, k) { items.push([k, v]); });
  return items;
}

function formatSet(ctx, items, recurseTimes) {
  var max = Math.min(Math.max(0, ctx.maxArrayLength), items.length), output = [], i;
  ctx.indentationLvl += 2;
  for (i = 0; i < max; i++) output.push(formatValue(ctx, items[i][1], recurseTimes));
  if (items.length > max) {
    output.push('... ' + (items.length - max) + ' more item' + (items.length - max > 1 ? 's' : ''));
  }
  ctx.indentationLvl -= 2;
  return output;
}

function formatMap(ctx, items, recurseTimes) {
  var max = Math.min(Math.max(0, ctx.maxArrayLength), items.length), output = [], i;
  ctx.indentationLvl += 2;
  for (i = 0; i < max; i++) {
    output.push(formatValue(ctx, items[i][0], recurseTimes) + ' => ' +
                formatValue(ctx, items[i][1], recurseTimes));
  }
  if (items.length > max) {
    output.push('... ' + (items.length - max) + ' more item' + (items.length - max > 1 ? 's' : ''));
  }
  ctx.indentationLvl -= 2;
  return output;
}

function hexBytes(bytes, max) {
  var out = [], i, n = Math.min(bytes.length, max);
  for (i = 0; i < n; i++) out.push((bytes[i] < 16 ? '0' : '') + bytes[i].toString(16));
  var s = out.join(' ');
  if (bytes.length > max) s += ' ... ' + (bytes.length - max) + ' more byte' + (bytes.length - max > 1 ? 's' : '');
  return s;
}

function formatProperty(ctx, value, recurseTimes, key, isArrayItem, desc) {
  var name, str;
  desc = desc || Object.getOwnPropertyDescriptor(value, key) || { value: value[key], enumerable: true };
  if (desc.value !== undefined) {
    ctx.indentationLvl += 2;
    str = formatValue(ctx, desc.value, recurseTimes);
    ctx.indentationLvl -= 2;
  } else if (desc.get !== undefined) {
    str = desc.set !== undefined ? '[Getter/Setter]' : '[Getter]';
  } else if (desc.set !== undefined) {
    str = '[Setter]';
  } else {
    str = 'undefined';
  }
  if (isArrayItem) return str;
  if (typeof key === 'symbol') {
    name = '[' + String(key) + ']';
  } else if (key === '__proto__') {
    name = "['__proto__']";
  } else if (desc.enumerable === false) {
    name = '[' + strEscape(key).slice(1, -1) + ']';
  } else if (KEY_IDENTIFIER.test(key)) {
    name = key;
  } else {
    name = strEscape(key);
  }
  return name + ': ' + str;
}

function formatRaw(ctx, value, recurseTimes) {
  var constructor = getConstructorName(value);
  var tag, base = '', braces, keys, formatter = null, extrasType = 'object', i, output, items;
  try { tag = value[Symbol.toStringTag]; } catch (e) { tag = undefined; }
  if (typeof tag !== 'string' ||
      (tag !== '' && (ctx.showHidden ? hasOwnProp : Object.prototype.propertyIsEnumerable).call(value, Symbol.toStringTag))) {
    tag = '';
  }

  if (Array.isArray(value)) {
    var prefix = (constructor !== 'Array' || tag !== '') ? getPrefix(constructor, tag, 'Array', '(' + value.length + ')') : '';
    keys = getNonIndexKeys(value, ctx.showHidden);
    braces = [prefix + '[', ']'];
    if (value.length === 0 && keys.length === 0) return braces[0] + ']';
    extrasType = 'array';
    formatter = function () { return formatArray(ctx, value, recurseTimes); };
  } else if (isInstance(value, 'Set')) {
    items = collectionItems(value);
    keys = getKeys(value, ctx.showHidden);
    prefix = getPrefix(constructor, tag, 'Set', '(' + items.length + ')');
    if (items.length === 0 && keys.length === 0) return prefix + '{}';
    braces = [prefix + '{', '}'];
    formatter = function () { return formatSet(ctx, items, recurseTimes); };
  } else if (isInstance(value, 'Map')) {
    items = collectionItems(value);
    keys = getKeys(value, ctx.showHidden);
    prefix = getPrefix(constructor, tag, 'Map', '(' + items.length + ')');
    if (items.length === 0 && keys.length === 0) return prefix + '{}';
    braces = [prefix + '{', '}'];
    formatter = function () { return formatMap(ctx, items, recurseTimes); };
  } else if (isBuffer(value)) {
    /* Node's Buffer has its own inspect: <Buffer 68 69>. */
    return '<' + (constructor === 'Buffer' || constructor === 'Uint8Array' ? 'Buffer' : constructor) +
      (value.length ? ' ' + hexBytes(value, 50) : '') + '>';
  } else if (isTypedArray(value)) {
    keys = getNonIndexKeys(value, ctx.showHidden);
    braces = [getPrefix(constructor, tag, 'TypedArray', '(' + value.length + ')') + '[', ']'];
    if (value.length === 0 && keys.length === 0) return braces[0] + ']';
    extrasType = 'array';
    formatter = function () {
      return formatArrayLike(ctx, value, recurseTimes, value.length, function (j) {
        return formatNumber(value[j]);
      });
    };
  } else {
    keys = getKeys(value, ctx.showHidden);
    braces = ['{', '}'];
    if (constructor === 'Object') {
      if (objTag.call(value) === '[object Arguments]') {
        braces[0] = '[Arguments] {';
      } else if (tag !== '') {
        braces[0] = getPrefix(constructor, tag, 'Object') + '{';
      }
      if (keys.length === 0) return braces[0] + '}';
    } else if (typeof value === 'function') {
      base = getFunctionBase(value, constructor, tag);
      if (keys.length === 0) return base;
    } else if (value instanceof RegExp || objTag.call(value) === '[object RegExp]') {
      base = RegExp.prototype.toString.call(value);
      prefix = getPrefix(constructor, tag, 'RegExp');
      if (prefix !== 'RegExp ') base = prefix + base;
      if (keys.length === 0 || (ctx.depth !== null && recurseTimes > ctx.depth)) return base;
    } else if (value instanceof Date || objTag.call(value) === '[object Date]') {
      base = isNaN(Date.prototype.getTime.call(value)) ? 'Invalid Date' : Date.prototype.toISOString.call(value);
      prefix = getPrefix(constructor, tag, 'Date');
      if (prefix !== 'Date ') base = prefix + base;
      if (keys.length === 0) return base;
    } else if (isError(value)) {
      base = formatError(value, constructor, tag, ctx, keys);
      if (keys.length === 0) return base;
    } else if (typeof ArrayBuffer !== 'undefined' && value instanceof ArrayBuffer) {
      var bytes = new Uint8Array(value);
      prefix = getPrefix(constructor, tag, 'ArrayBuffer');
      braces[0] = prefix + '{';
      var abOutput = ['[Uint8Contents]: <' + hexBytes(bytes, 50) + '>', 'byteLength: ' + value.byteLength];
      formatter = function () { return abOutput; };
    } else if (typeof isPromise === 'function' && isPromise(value)) {
      braces[0] = getPrefix(constructor, tag, 'Promise') + '{';
      formatter = function () {
        /* promiseState/promiseValue: 20-promise.js */
        var state = promiseState(value);
        if (state === 'pending') return ['<pending>'];
        ctx.indentationLvl += 2;
        var s = formatValue(ctx, promiseValue(value), recurseTimes);
        ctx.indentationLvl -= 2;
        return [state === 'rejected' ? '<rejected> ' + s : s];
      };
    } else if (isInstance(value, 'WeakMap') || isInstance(value, 'WeakSet')) {
      braces[0] = getPrefix(constructor, tag, isInstance(value, 'WeakMap') ? 'WeakMap' : 'WeakSet') + '{';
      formatter = function () { return ['<items unknown>']; };
    } else if (value instanceof Number || value instanceof String || value instanceof Boolean ||
               (typeof Symbol === 'function' && value instanceof Symbol)) {
      var kind = value instanceof Number ? 'Number' : value instanceof String ? 'String' :
        value instanceof Boolean ? 'Boolean' : 'Symbol';
      var prim = value.valueOf();
      if (kind === 'String') keys = getNonIndexKeys(value, ctx.showHidden).filter(function (k) { return k !== 'length'; });
      base = '[' + kind;
      if (kind !== constructor) base += constructor === null ? ' (null prototype)' : ' (' + constructor + ')';
      base += ': ' + formatPrimitive(ctxNoBreak(ctx), prim) + ']';
      if (tag !== '' && tag !== constructor) base += ' [' + tag + ']';
      if (keys.length === 0) return base;
    } else {
      if (keys.length === 0) return getPrefix(constructor, tag, 'Object') + '{}';
      braces[0] = getPrefix(constructor, tag, 'Object') + '{';
    }
  }

  if (ctx.depth !== null && recurseTimes > ctx.depth) {
    var cname = getPrefix(constructor, tag, 'Object').slice(0, -1);
    return constructor !== null ? '[' + cname + ']' : cname;
  }
  recurseTimes += 1;
  ctx.seen.push(value);
  ctx.currentDepth = recurseTimes;
  output = formatter ? formatter() : [];
  for (i = 0; i < keys.length; i++) {
    output.push(formatProperty(ctx, value, recurseTimes, keys[i], false));
  }
  var ref = ctx.circular.indexOf(value);
  if (ref >= 0) {
    var reference = '<ref *' + (ref + 1) + '>';
    base = base === '' ? reference : reference + ' ' + base;
  }
  ctx.seen.pop();
  return reduceToSingleString(ctx, output, base, braces, extrasType, recurseTimes, value);
}

function ctxNoBreak(ctx) {
  return { compact: true, maxStringLength: ctx.maxStringLength, breakLength: Infinity, indentationLvl: 0 };
}

/* Lines up short array items in columns, as Node does for arrays over 6 items. */
function groupArrayElements(ctx, output, value) {
  var totalLength = 0, maxLength = 0, i = 0, j, outputLength = output.length;
  if (ctx.maxArrayLength < output.length) outputLength--;
  var separatorSpace = 2, dataLen = new Array(outputLength);
  for (; i < outputLength; i++) {
    var len = output[i].length;
    dataLen[i] = len;
    totalLength += len + separatorSpace;
    if (maxLength < len) maxLength = len;
  }
  var actualMax = maxLength + separatorSpace;
  if (actualMax * 3 + ctx.indentationLvl < ctx.breakLength &&
      (totalLength / actualMax > 5 || maxLength <= 6)) {
    var approxCharHeights = 2.5, averageBias = Math.sqrt(actualMax - totalLength / output.length);
    var biasedMax = Math.max(actualMax - 3 - averageBias, 1);
    var columns = Math.min(
      Math.round(Math.sqrt(approxCharHeights * biasedMax * outputLength) / biasedMax),
      Math.floor((ctx.breakLength - ctx.indentationLvl) / actualMax),
      ctx.compact * 4,
      15);
    if (columns <= 1) return output;
    var tmp = [], maxLineLength = [], lineLength;
    for (i = 0; i < columns; i++) {
      lineLength = 0;
      for (j = i; j < output.length; j += columns) {
        if (dataLen[j] > lineLength) lineLength = dataLen[j];
      }
      maxLineLength.push(lineLength + separatorSpace);
    }
    var padStart = true;
    if (value !== undefined) {
      for (i = 0; i < output.length; i++) {
        if (typeof value[i] !== 'number' && typeof value[i] !== 'bigint') { padStart = false; break; }
      }
    }
    for (i = 0; i < outputLength; i += columns) {
      var max = Math.min(i + columns, outputLength), str = '';
      for (j = i; j < max - 1; j++) {
        str += padStart ? padStartStr(output[j] + ', ', maxLineLength[j - i])
                        : padEndStr(output[j] + ', ', maxLineLength[j - i]);
      }
      if (padStart) str += padStartStr(output[j], maxLineLength[j - i] - separatorSpace);
      else str += output[j];
      tmp.push(str);
    }
    if (ctx.maxArrayLength < output.length) tmp.push(output[outputLength]);
    output = tmp;
  }
  return output;
}

function isBelowBreakLength(ctx, output, start, base) {
  var totalLength = output.length + start, i;
  if (totalLength + output.length > ctx.breakLength) return false;
  for (i = 0; i < output.length; i++) {
    totalLength += output[i].length;
    if (totalLength > ctx.breakLength) return false;
  }
  return base === '' || base.indexOf('\n') < 0;
}

function reduceToSingleString(ctx, output, base, braces, extrasType, recurseTimes, value) {
  if (ctx.compact !== true) {
    if (typeof ctx.compact === 'number' && ctx.compact >= 1) {
      var entries = output.length;
      if (extrasType === 'array' && entries > 6) output = groupArrayElements(ctx, output, value);
      if (ctx.currentDepth - recurseTimes < ctx.compact && entries === output.length) {
        var start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
        if (isBelowBreakLength(ctx, output, start, base)) {
          var joined = output.join(', ');
          if (joined.indexOf('\n') < 0) {
            return (base ? base + ' ' : '') + braces[0] + ' ' + joined + ' ' + braces[1];
          }
        }
      }
    }
    var indentation = '\n' + spaces(ctx.indentationLvl);
    return (base ? base + ' ' : '') + braces[0] + indentation + '  ' +
      output.join(',' + indentation + '  ') + indentation + braces[1];
  }
  if (isBelowBreakLength(ctx, output, 0, base)) {
    return braces[0] + (base ? ' ' + base : '') + ' ' + output.join(', ') + ' ' + braces[1];
  }
  var ind = spaces(ctx.indentationLvl);
  var ln = base === '' && braces[0].length === 1 ? ' ' : (base ? ' ' + base : '') + '\n' + ind + '  ';
  return braces[0] + ln + output.join(',\n' + ind + '  ') + ' ' + braces[1];
}

/* util.inspect(value, options) */
function inspect(value, options) {
  var ctx = {
    seen: [], circular: [], indentationLvl: 0, currentDepth: 0,
    depth: INSPECT_DEFAULTS.depth, breakLength: INSPECT_DEFAULTS.breakLength,
    compact: INSPECT_DEFAULTS.compact, maxArrayLength: INSPECT_DEFAULTS.maxArrayLength,
    maxStringLength: INSPECT_DEFAULTS.maxStringLength, showHidden: INSPECT_DEFAULTS.showHidden,
    customInspect: INSPECT_DEFAULTS.customInspect
  };
  if (options !== null && typeof options === 'object') {
    ['depth', 'breakLength', 'compact', 'maxArrayLength', 'maxStringLength',
     'showHidden', 'customInspect'].forEach(function (k) {
      if (options[k] !== undefined) ctx[k] = options[k];
    });
    if (ctx.depth === Infinity) ctx.depth = null;
    if (ctx.maxArrayLength === null) ctx.maxArrayLength = Infinity;
    if (ctx.maxStringLength === null) ctx.maxStringLength = Infinity;
  }
  return formatValue(ctx, value, 0);
}
inspect.custom = INSPECT_CUSTOM;

/* --- util.format ----------------------------------------------------------- */

function hasBuiltInToString(value) {
  var pointer = value, d;
  if (typeof value.toString !== 'function') return true;
  if (hasOwnProp.call(value, 'toString')) return false;
  do { pointer = Object.getPrototypeOf(pointer); } while (pointer !== null && !hasOwnProp.call(pointer, 'toString'));
  if (pointer === null) return true;
  d = Object.getOwnPropertyDescriptor(pointer, 'constructor');
  return d !== undefined && typeof d.value === 'function' && BUILTIN_NAMES.indexOf(d.value.name) >= 0;
}

function tryStringify(value) {
  try {
    return JSON.stringify(value);
  } catch (e) {
    if (/circular|cyclic/i.test(String(e && e.message))) return '[Circular]';
    throw e;
  }
}

/* util.format(...args), Node 20 semantics. */
function formatArgs(args) {
  var first = args[0], a = 0, str = '', join = '', i, lastPos = 0, tempStr, next, arg;
  if (typeof first === 'string') {
    if (args.length === 1) return first;
    for (i = 0; i < first.length - 1; i++) {
      if (first.charCodeAt(i) !== 37) continue;   /* '%' */
      next = first.charCodeAt(++i);
      if (a + 1 !== args.length) {
        switch (next) {
          case 115: /* s */
            arg = args[++a];
            if (typeof arg === 'number') tempStr = formatNumber(arg);
            else if (typeof arg === 'bigint') tempStr = String(arg) + 'n';
            else if (typeof arg !== 'object' || arg === null || !hasBuiltInToString(arg)) tempStr = String(arg);
            else tempStr = inspect(arg, { depth: 0 });
            break;
          case 106: /* j */
            tempStr = tryStringify(args[++a]);
            break;
          case 100: /* d */
            arg = args[++a];
            if (typeof arg === 'bigint') tempStr = String(arg) + 'n';
            else if (typeof arg === 'symbol') tempStr = 'NaN';
            else tempStr = formatNumber(Number(arg));
            break;
          case 79: /* O */
            tempStr = inspect(args[++a]);
            break;
          case 111: /* o */
            tempStr = inspect(args[++a], { showHidden: true, depth: 4 });
            break;
          case 105: /* i */
            arg = args[++a];
            if (typeof arg === 'bigint') tempStr = String(arg) + 'n';
            else if (typeof arg === 'symbol') tempStr = 'NaN';
            else tempStr = formatNumber(parseInt(arg));
            break;
          case 102: /* f */
            arg = args[++a];
            tempStr = typeof arg === 'symbol' ? 'NaN' : formatNumber(parseFloat(arg));
            break;
          case 99: /* c */
            a += 1;
            tempStr = '';
            break;
          case 37: /* % */
            str += first.slice(lastPos, i);
            lastPos = i + 1;
            continue;
          default:
            continue;
        }
        if (lastPos !== i - 1) str += first.slice(lastPos, i - 1);
        str += tempStr;
        lastPos = i + 1;
      } else if (next === 37) {
        str += first.slice(lastPos, i);
        lastPos = i + 1;
      }
    }
    if (lastPos !== 0) {
      a++;
      join = ' ';
      if (lastPos < first.length) str += first.slice(lastPos);
    }
  }
  while (a < args.length) {
    arg = args[a];
    str += join;
    str += typeof arg !== 'string' ? inspect(arg) : arg;
    join = ' ';
    a++;
  }
  return str;
}

/* --- console --------------------------------------------------------------- */

var consoleState = { groupIndent: '', counts: {}, timers: {} };

function emitLog(level, message) {
  if (consoleState.groupIndent !== '') {
    message = consoleState.groupIndent + message.split('\n').join('\n' + consoleState.groupIndent);
  }
  run.logs.push({ level: level, message: message });
}

function logger(level) {
  return function () { emitLog(level, formatArgs(arguments)); };
}

function formatTime(ms) {
  var hours = 0, minutes = 0, seconds = 0;
  if (ms >= 1000) {
    if (ms >= 60000) {
      if (ms >= 3600000) { hours = Math.floor(ms / 3600000); ms -= hours * 3600000; }
      minutes = Math.floor(ms / 60000); ms -= minutes * 60000;
    }
    seconds = ms / 1000;
  }
  if (hours !== 0 || minutes !== 0) {
    var parts = seconds.toFixed(3).split('.');
    var res = hours !== 0 ? hours + ':' + padStartStr(String(minutes), 2).replace(/ /g, '0') : String(minutes);
    return res + ':' + padStartStr(parts[0], 2).replace(/ /g, '0') + '.' + parts[1] +
      ' (' + (hours !== 0 ? 'h:m' : '') + 'm:ss.mmm)';
  }
  if (seconds !== 0) return seconds.toFixed(3) + 's';
  return Number(ms.toFixed(3)) + 'ms';
}

function nowMs() {
  return Date.now();
}

function timeLogImpl(name, label, data) {
  if (!hasOwnProp.call(consoleState.timers, label)) {
    emitLog('warn', "(node) Warning: No such label '" + label + "' for console." + name + '()');
    return false;
  }
  emitLog('log', formatArgs(['%s: %s', label, formatTime(nowMs() - consoleState.timers[label])].concat(data)));
  return true;
}

var consoleObject = {
  log: logger('log'),
  info: logger('info'),
  warn: logger('warn'),
  error: logger('error'),
  debug: logger('debug'),
  trace: function () {
    var frames = nativeFrames(new NativeError()).slice(1);
    var message = 'Trace' + (arguments.length ? ': ' + formatArgs(arguments) : '');
    emitLog('debug', message + (frames.length ? '\n' + frames.join('\n') : ''));
  },
  dir: function (value, options) {
    var opts = {}, k;
    if (options !== null && typeof options === 'object') for (k in options) opts[k] = options[k];
    opts.customInspect = false;
    emitLog('log', inspect(value, opts));
  },
  assert: function (condition) {
    if (condition) return;
    var rest = Array.prototype.slice.call(arguments, 1);
    if (rest.length && typeof rest[0] === 'string') {
      rest[0] = 'Assertion failed: ' + rest[0];
    } else {
      rest.unshift('Assertion failed');
    }
    emitLog('warn', formatArgs(rest));
  },
  count: function (label) {
    label = label === undefined ? 'default' : String(label);
    var n = (hasOwnProp.call(consoleState.counts, label) ? consoleState.counts[label] : 0) + 1;
    consoleState.counts[label] = n;
    emitLog('log', label + ': ' + n);
  },
  countReset: function (label) {
    label = label === undefined ? 'default' : String(label);
    if (!hasOwnProp.call(consoleState.counts, label)) {
      emitLog('warn', "Count for '" + label + "' does not exist");
      return;
    }
    delete consoleState.counts[label];
  },
  time: function (label) {
    label = label === undefined ? 'default' : String(label);
    if (hasOwnProp.call(consoleState.timers, label)) {
      emitLog('warn', "(node) Warning: Label '" + label + "' already exists for console.time()");
      return;
    }
    consoleState.timers[label] = nowMs();
  },
  timeEnd: function (label) {
    label = label === undefined ? 'default' : String(label);
    if (timeLogImpl('timeEnd', label, [])) delete consoleState.timers[label];
  },
  timeLog: function (label) {
    label = label === undefined ? 'default' : String(label);
    timeLogImpl('timeLog', label, Array.prototype.slice.call(arguments, 1));
  },
  group: function () {
    if (arguments.length) emitLog('log', formatArgs(arguments));
    consoleState.groupIndent += '  ';
  },
  groupEnd: function () {
    consoleState.groupIndent = consoleState.groupIndent.slice(0, -2);
  },
  table: function () { emitLog('log', formatArgs(arguments)); }
};
consoleObject.groupCollapsed = consoleObject.group;
consoleObject.dirxml = consoleObject.log;

defineGlobal('console', consoleObject);

/* Called by 90-invoke.js at the start of a run: counters, timers and groups restart. */
function resetConsole() {
  consoleState.groupIndent = '';
  consoleState.counts = {};
  consoleState.timers = {};
}
