/*
 * JSON.parse (engine/js/runtime/15-json.js): V8's numbers, errors and reviver
 * walk. Plain ES5; throws on the first mismatch. Must pass on Node too:
 *   node tests/js/json.test.js
 */
function expect(what, got, want) {
  if (got !== want) throw new Error(what + ': got ' + got + ', want ' + want);
}
function message(text) {
  try { JSON.parse(text); } catch (e) { return e.name + ': ' + e.message; }
  return 'no error';
}

expect('a number Duktape rounded wrongly', String(JSON.parse('62480208440804404')), '62480208440804400');
expect('a number in an object', JSON.parse('{"a":[1.5,-0.25e2]}').a[1], -25);
expect('the end of the input', message(''), 'SyntaxError: Unexpected end of JSON input');
expect('a value that is not JSON', message('[1,]').indexOf('SyntaxError: Unexpected token'), 0);
expect('text is made a string first', JSON.parse({ toString: function () { return '[7]'; } })[0], 7);
expect('a number as text', JSON.parse(12), 12);
expect('a Symbol is a TypeError', (function () {
  try { JSON.parse(Symbol('s')); } catch (e) { return e.name; }
  return 'no error';
})(), 'TypeError');
expect('__proto__ is an own key', Object.prototype.hasOwnProperty.call(JSON.parse('{"__proto__":1}'), '__proto__'), true);

/* The reviver: children first, in order, with the holder as this. */
var seen = [];
var revived = JSON.parse('{"a":1,"b":[2,{"c":3}],"d":4}', function (key, value) {
  seen.push(key + (this && typeof this === 'object' && key in this ? '' : '?'));
  if (key === 'a') return undefined;         /* deleted */
  if (key === 'c') return value * 10;
  if (typeof value === 'number') return value + 1;
  return value;
});
expect('reviver order', seen.join(','), 'a,0,c,1,b,d,');
expect('reviver deletes', 'a' in revived, false);
expect('reviver replaces', revived.b[1].c, 30);
expect('reviver sees numbers', revived.b[0] + revived.d, 3 + 5);
expect('reviver at the root', JSON.parse('5', function (k, v) { return k === '' ? v * 2 : v; }), 10);
expect('a reviver that is not a function is ignored', JSON.parse('[1]', 'x')[0], 1);
expect('JSON.parse is not enumerable', Object.keys(JSON).indexOf('parse'), -1);
expect('JSON.parse.name', JSON.parse.name, 'parse');
expect('JSON.parse.length', JSON.parse.length, 2);
