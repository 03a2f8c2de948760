/*
 * Headers, as the Fetch standard defines it and Node 20 (undici) behaves:
 * names are case-insensitive and iterate lowercased and sorted, several
 * values of one name join with ', ' (set-cookie values iterate one by one),
 * invalid names and values throw TypeError with undici's messages. Methods
 * live on the prototype, enumerable, as WebIDL makes them.
 *
 * Storage: a private record under HEADERS holding, per lowercased name, the
 * name as first given and its values, plus the names in insertion order
 * (which util.inspect shows, as Node's does).
 *
 * headersFromData([[name, value], …]) builds one from trusted request data
 * without re-validating every name.
 */

var HEADERS = Symbol('srcfn.headers');
var HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
var HEADER_VALUE_BAD = /[\0\r\n]/;
var HTTP_WHITESPACE_EDGES = /^[\t\n\r ]+|[\t\n\r ]+$/g;
var HeadersIteratorPrototype = iteratorPrototype('Headers Iterator');

function HeaderList() {
  this.order = [];                    /* lowercased names, insertion order */
  this.map = Object.create(null);     /* lowercased name -> {name, values} */
  this.sorted = null;                 /* cache of the sort-and-combine list */
}

function byteString(value) {
  var s = String(value), i, c;
  for (i = 0; i < s.length; i++) {
    c = s.charCodeAt(i);
    if (c > 255) {
      throw new TypeError('Cannot convert argument to a ByteString because the character at index ' +
        i + ' has a value of ' + c + ' which is greater than 255.');
    }
  }
  return s;
}

function headerName(name, method) {
  name = byteString(name);
  if (!HEADER_NAME.test(name)) {
    throw new TypeError('Headers.' + method + ': "' + name + '" is an invalid header name.');
  }
  return name;
}

function headerValue(value, method) {
  value = byteString(value).replace(HTTP_WHITESPACE_EDGES, '');
  if (HEADER_VALUE_BAD.test(value)) {
    throw new TypeError('Headers.' + method + ': "' + value + '" is an invalid header value.');
  }
  return value;
}

function listAppend(list, name, value) {
  var lower = name.toLowerCase(), entry = list.map[lower];
  if (entry) {
    entry.values.push(value);
  } else {
    list.map[lower] = { name: name, values: [value] };
    list.order.push(lower);
  }
  list.sorted = null;
}

function listDelete(list, lower) {
  if (!list.map[lower]) return;
  delete list.map[lower];
  list.order.splice(list.order.indexOf(lower), 1);
  list.sorted = null;
}

/* The spec's "sort and combine": [[lowercased name, value], …]. */
function listSorted(list) {
  if (list.sorted) return list.sorted;
  var names = list.order.slice().sort(), out = [], i, j, values;
  for (i = 0; i < names.length; i++) {
    values = list.map[names[i]].values;
    if (names[i] === 'set-cookie') {
      for (j = 0; j < values.length; j++) out.push([names[i], values[j]]);
    } else {
      out.push([names[i], values.join(', ')]);
    }
  }
  list.sorted = out;
  return out;
}

function headerListOf(obj, method) {
  var list = obj !== null && typeof obj === 'object' ? obj[HEADERS] : undefined;
  if (!(list instanceof HeaderList)) {
    throw new TypeError("Failed to execute '" + method + "' on 'Headers': Illegal invocation");
  }
  return list;
}

function Headers() {
  var init = arguments[0];
  if (!(this instanceof Headers) || hasOwnProp.call(this, HEADERS)) {
    throw new TypeError("Class constructor Headers cannot be invoked without 'new'");
  }
  var list = new HeaderList();
  Object.defineProperty(this, HEADERS, { value: list, writable: false, enumerable: false, configurable: false });
  if (init === undefined) return;
  if (init === null || (typeof init !== 'object' && typeof init !== 'function')) {
    throw new TypeError('Headers constructor: Argument 1 could not be converted to one of: ' +
      'sequence<sequence<ByteString>>, record<ByteString, ByteString>.');
  }
  if (init instanceof Headers) {
    listSorted(headerListOf(init, 'constructor')).forEach(function (pair) {
      listAppend(list, pair[0], pair[1]);
    });
  } else if (typeof init[Symbol.iterator] === 'function' || Array.isArray(init)) {
    forEachIterated(init, function (pair) {
      if (pair === null || typeof pair !== 'object') {
        throw new TypeError('Headers constructor: Argument 1 could not be converted to one of: ' +
          'sequence<sequence<ByteString>>, record<ByteString, ByteString>.');
      }
      var items = Array.isArray(pair) ? pair : iterableToArray(pair);
      if (items.length !== 2) {
        throw new TypeError('Headers constructor: expected name/value pair to be length 2, found ' +
          items.length + '.');
      }
      listAppend(list, headerName(items[0], 'append'), headerValue(items[1], 'append'));
    });
  } else {
    Object.keys(init).forEach(function (key) {
      listAppend(list, headerName(key, 'append'), headerValue(init[key], 'append'));
    });
  }
}

Headers.prototype.append = function append(name, value) {
  var list = headerListOf(this, 'append');
  listAppend(list, headerName(name, 'append'), headerValue(value, 'append'));
};
Headers.prototype['delete'] = function (name) {
  var list = headerListOf(this, 'delete');
  listDelete(list, headerName(name, 'delete').toLowerCase());
};
Headers.prototype.get = function get(name) {
  var entry = headerListOf(this, 'get').map[headerName(name, 'get').toLowerCase()];
  return entry ? entry.values.join(', ') : null;
};
Headers.prototype.has = function has(name) {
  return !!headerListOf(this, 'has').map[headerName(name, 'has').toLowerCase()];
};
Headers.prototype.set = function set(name, value) {
  var list = headerListOf(this, 'set');
  name = headerName(name, 'set');
  value = headerValue(value, 'set');
  var entry = list.map[name.toLowerCase()];
  if (entry) {
    entry.values = [value];
    list.sorted = null;
  } else {
    listAppend(list, name, value);
  }
};
Headers.prototype.getSetCookie = function getSetCookie() {
  var entry = headerListOf(this, 'getSetCookie').map['set-cookie'];
  return entry ? entry.values.slice() : [];
};

function headersIterator(headers, kind, method) {
  var list = headerListOf(headers, method), index = 0;
  return createIterator(HeadersIteratorPrototype, function next() {
    var pairs = listSorted(list);
    if (index >= pairs.length) return iterDone();
    var pair = pairs[index++];
    return iterResult(kind === 'keys' ? pair[0] : kind === 'values' ? pair[1] : [pair[0], pair[1]]);
  });
}

Headers.prototype.keys = function keys() { return headersIterator(this, 'keys', 'keys'); };
Headers.prototype.values = function values() { return headersIterator(this, 'values', 'values'); };
Headers.prototype.entries = function entries() { return headersIterator(this, 'entries', 'entries'); };
Headers.prototype.forEach = function forEach(callback, thisArg) {
  var list = headerListOf(this, 'forEach'), i, pairs;
  if (typeof callback !== 'function') {
    throw new TypeError("Failed to execute 'forEach' on 'Headers': parameter 1 is not of type 'Function'.");
  }
  for (i = 0; i < (pairs = listSorted(list)).length; i++) {
    callback.call(thisArg, pairs[i][1], pairs[i][0], this);
  }
};
Object.defineProperty(Headers.prototype, Symbol.iterator, {
  value: Headers.prototype.entries, writable: true, enumerable: false, configurable: true
});
Object.defineProperty(Headers.prototype, Symbol.toStringTag, {
  value: 'Headers', writable: false, enumerable: false, configurable: true
});
/* util.inspect: Headers { name: 'value', … } with names as first given. */
Object.defineProperty(Headers.prototype, INSPECT_CUSTOM, {
  value: function (depth, options) {
    var list = this[HEADERS], record = {};
    if (!(list instanceof HeaderList)) return this;
    list.order.forEach(function (lower) {
      record[list.map[lower].name] = list.map[lower].values.join(', ');
    });
    return 'Headers ' + inspect(record, options);
  },
  writable: true, enumerable: false, configurable: true
});

defineGlobal('Headers', Headers);

/* A Headers from request data [[name, value], …] (names already valid). */
function headersFromData(pairs) {
  var headers = Object.create(Headers.prototype), list = new HeaderList(), i, name;
  Object.defineProperty(headers, HEADERS, { value: list, writable: false, enumerable: false, configurable: false });
  if (pairs) {
    for (i = 0; i < pairs.length; i++) {
      name = String(pairs[i][0]);
      if (!HEADER_NAME.test(name)) continue;   /* a name fetch could never have sent */
      listAppend(list, name, String(pairs[i][1]).replace(HTTP_WHITESPACE_EDGES, ''));
    }
  }
  return headers;
}
