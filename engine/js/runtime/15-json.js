/*
 * JSON.parse as V8's: the parser behind request.json() (native.parseJson,
 * engine/native-json.c) replaces Duktape's own, which rounds some numbers
 * wrongly (62480208440804404 read as 62480208440804410), words its errors
 * its own way ("invalid json (at offset 6)") and is several times slower.
 * A reviver walks the result as the specification's InternalizeJSONProperty
 * does: arrays by index, objects by Object.keys, each result defined as an
 * own data property, undefined deleting it.
 */
function internalizeJson(holder, key, reviver) {
  var value = holder[key];
  if (value !== null && typeof value === 'object') {
    var keys = Array.isArray(value) ? null : Object.keys(value);
    var n = keys ? keys.length : value.length;
    for (var i = 0; i < n; i++) {
      var k = keys ? keys[i] : String(i);
      var revived = internalizeJson(value, k, reviver);
      if (revived === undefined) delete value[k];
      else Object.defineProperty(value, k, { value: revived, writable: true, enumerable: true, configurable: true });
    }
  }
  return reviver.call(holder, key, value);
}

Object.defineProperty(JSON, 'parse', {
  value: function parse(text, reviver) {
    if (typeof text === 'symbol') throw new TypeError('Cannot convert a Symbol value to a string');
    var value = native.parseJson(String(text), false);
    return typeof reviver === 'function' ? internalizeJson({ '': value }, '', reviver) : value;
  },
  writable: true, enumerable: false, configurable: true
});
