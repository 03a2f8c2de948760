/*
 * srcfnLower(source, filename): modern JavaScript in, ES5 for Duktape out.
 *
 * Three passes, all on real tooling:
 *  1. acorn parses the source as ES2022 and this file rewrites, with
 *     magic-string, what buble cannot take or gets wrong for Node code:
 *     async functions and await, generators and yield (run on Duktape
 *     coroutines by the runtime's __srcfn_async / __srcfn_gen, or at once by
 *     __srcfn_async_now when there is no await), optional chaining, ??,
 *     logical assignment, for...of (the iterator protocol, so Map, Set and
 *     generators iterate), spread of any iterable, optional catch bindings,
 *     numeric separators; and it marks every arrow (markArrow).
 *  2. buble lowers the rest of ES2015+ (arrows, classes, let/const, templates,
 *     destructuring, default and rest parameters, object spread, **).
 *  3. acorn again, on buble's output: each marked arrow becomes a method
 *     of an object literal, which has no prototype (methodArrows).
 *
 * Invariant: passes 1 and 3 never add or remove a line break (a multi-line
 * for...of head pattern is the one exception), so buble's source map alone
 * maps lines of the output back to the user's file.
 *
 * Returns a JSON string: {"code", "lines"} or {"error", "line"}.
 */
var acorn = require('acorn');
var MagicString = require('magic-string');
var buble = require('buble');
var codec = require('sourcemap-codec');

var BUBLE_OPTIONS = {
  transforms: {
    asyncAwait: false, generator: false, forOf: false,
    moduleImport: false, moduleExport: false, dangerousTaggedTemplateString: true
  },
  objectAssign: 'Object.assign'
};

function SrcfnSyntaxError(message, line) {
  this.message = message;
  this.line = line;
}

function fail(node, source, message) {
  var line = acorn.getLineInfo(source, node.start).line;
  throw new SrcfnSyntaxError(message + ' (' + line + ':' +
    acorn.getLineInfo(source, node.start).column + ')', line);
}

/* --- walking ------------------------------------------------------------- */

function isNode(x) {
  return x !== null && typeof x === 'object' && typeof x.type === 'string';
}

/* Post-order walk: children are rewritten before their parent, so a parent
 * that reads s.slice() of a child sees the child's edits. */
function walk(node, parent, visit) {
  for (var key in node) {
    if (key === 'parentNode') continue;
    var v = node[key];
    if (Array.isArray(v)) {
      for (var i = 0; i < v.length; i++) if (isNode(v[i])) walk(v[i], node, visit);
    } else if (isNode(v)) {
      walk(v, node, visit);
    }
  }
  visit(node, parent);
}

function linkParents(node, parent) {
  node.parentNode = parent;
  for (var key in node) {
    if (key === 'parentNode') continue;
    var v = node[key];
    if (Array.isArray(v)) {
      for (var i = 0; i < v.length; i++) if (isNode(v[i])) linkParents(v[i], node);
    } else if (isNode(v)) {
      linkParents(v, node);
    }
  }
}

function isFunction(node) {
  return node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' ||
    node.type === 'ArrowFunctionExpression';
}

function enclosingFunction(node) {
  for (var p = node.parentNode; p; p = p.parentNode) {
    if (isFunction(p) || p.type === 'Program') return p;
  }
  return null;
}

/* --- token search in the source text ------------------------------------------ */

/* Index of `token` at or after `from`, skipping spaces, comments and ')'. */
function findToken(source, from, token) {
  var i = from;
  while (i < source.length) {
    if (source.substr(i, token.length) === token) return i;
    var c = source.charAt(i);
    if (c === '/' && source.charAt(i + 1) === '/') {
      i = source.indexOf('\n', i);
      if (i < 0) break;
    } else if (c === '/' && source.charAt(i + 1) === '*') {
      i = source.indexOf('*/', i + 2);
      if (i < 0) break;
      i += 2;
    } else if (/[\s)]/.test(c)) {
      i++;
    } else {
      break;
    }
  }
  throw new Error('srcfn lower: expected "' + token + '" at offset ' + from);
}

/* Index of the keyword `word` between from and to (as a whole word). */
function findWord(source, from, to, word) {
  var re = new RegExp('\\b' + word + '\\b', 'g');
  re.lastIndex = from;
  var m = re.exec(source);
  if (!m || m.index >= to) throw new Error('srcfn lower: expected "' + word + '" at offset ' + from);
  return m.index;
}

/* --- the rewriting pass ----------------------------------------------------------- */

function Lowering(source) {
  this.source = source;
  this.s = new MagicString(source);
  this.nextTemp = 0;
  this.temps = [];      /* [{fn, names}] in order of first use */
  this.opened = {};     /* offsets where a rewrite now starts with '(' */
  this.statements = []; /* expression statements, for guardStatements() */
  this.callLines = {};  /* last line of a multi-line call -> its first line */
}

/* Inserts text that starts with '(' before the expression at pos. */
Lowering.prototype.open = function (pos, text) {
  this.s.prependRight(pos, text);
  this.opened[pos] = true;
};

/* A statement that now starts with '(' would continue the previous line when
 * that line has no semicolon (`f()` newline `(a...)` is a call): give each
 * such statement a leading ';'. Runs after the walk, so the ';' lands before
 * every other insertion at that offset. */
Lowering.prototype.guardStatements = function () {
  var s = this.s, opened = this.opened;
  this.statements.forEach(function (st) {
    if (opened[st.start]) s.prependRight(st.start, ';');
  });
};

/* A fresh variable declared at the top of the function that holds `node`. */
Lowering.prototype.temp = function (node) {
  var fn = enclosingFunction(node);
  var name = '__t' + (++this.nextTemp);
  for (var i = 0; i < this.temps.length; i++) {
    if (this.temps[i].fn === fn) { this.temps[i].names.push(name); return name; }
  }
  this.temps.push({ fn: fn, names: [name] });
  return name;
};

Lowering.prototype.declareTemps = function () {
  var s = this.s;
  this.temps.forEach(function (t) {
    if (t.declared) return;
    var decl = 'var ' + t.names.join(', ') + '; ';
    var fn = t.fn;
    if (fn.type === 'Program') {
      s.prependRight(afterDirectives(fn.body, fn.start), decl);
    } else {
      s.prependRight(afterDirectives(fn.body.body, fn.body.start + 1), decl);
    }
  });
};

/* An arrow with an expression body gets a block for its temps when it is
 * visited (all its temps exist by then, the walk being post-order), so the
 * block closes before what markArrow and enclosing rewrites add at its end. */
Lowering.prototype.declareArrowTemps = function (fn) {
  if (fn.body.type === 'BlockStatement') return;
  for (var i = 0; i < this.temps.length; i++) {
    var t = this.temps[i];
    if (t.fn !== fn) continue;
    this.s.prependRight(fn.body.start, '{ var ' + t.names.join(', ') + '; return ');
    this.s.appendLeft(fn.body.end, '; }');
    t.declared = true;
  }
};

function afterDirectives(statements, start) {
  var at = start;
  for (var i = 0; i < statements.length && statements[i].directive !== undefined; i++) {
    at = statements[i].end;
  }
  return at;
}

Lowering.prototype.visit = function (node) {
  var handler = VISITORS[node.type];
  if (handler) handler.call(this, node);
};

var VISITORS = {
  ChainExpression: function () { /* handled at each optional link below */ },

  ExpressionStatement: function (node) { this.statements.push(node); },

  ObjectExpression: function (node) { this.objectSpread(node); },

  MemberExpression: function (node) {
    if (node.optional) this.optionalLink(node, node.object);
  },

  CallExpression: function (node) {
    this.noteCallLines(node);
    this.wrapSpreads(node.arguments);
    if (node.optional) this.optionalCall(node);
  },

  NewExpression: function (node) {
    this.noteCallLines(node);
    this.wrapSpreads(node.arguments);
  },

  ArrayExpression: function (node) { this.wrapSpreads(node.elements); },

  LogicalExpression: function (node) {
    if (node.operator !== '??') return;
    var t = this.temp(node);
    var op = findToken(this.source, node.left.end, '??');
    this.open(node.left.start, '((' + t + ' = ');
    this.s.overwrite(op, op + 2, ') != null ? ' + t + ' :');
    this.s.appendLeft(node.right.end, ')');
  },

  AssignmentExpression: function (node) {
    var op = node.operator;
    if (op !== '??=' && op !== '||=' && op !== '&&=') return;
    this.logicalAssignment(node, op);
  },

  ForOfStatement: function (node) {
    if (node.await) fail(node, this.source, 'for await...of is not supported by srcfn');
    this.forOf(node);
  },

  CatchClause: function (node) {
    if (node.param) return;
    var at = findWord(this.source, node.start, node.body.start, 'catch');
    this.s.appendLeft(at + 5, ' (__srcfn_unused)');
  },

  Literal: function (node) {
    if (typeof node.bigint === 'string') fail(node, this.source, 'BigInt literals are not supported by srcfn');
    if (typeof node.value === 'number' && node.raw.indexOf('_') >= 0) {
      this.s.overwrite(node.start, node.end, node.raw.replace(/_/g, ''));
    }
  },

  PropertyDefinition: function (node) {
    fail(node, this.source, 'class fields are not supported by srcfn: assign them in the constructor');
  },

  PrivateIdentifier: function (node) {
    fail(node, this.source, 'private class members (#name) are not supported by srcfn');
  },

  AwaitExpression: function (node) {
    enclosingFunction(node).awaits = true;
    this.s.overwrite(node.start, node.argument.start, '__srcfn_await(');
    this.s.appendLeft(node.end, ')');
  },

  YieldExpression: function (node) {
    var helper = node.delegate ? '__srcfn_yield_star(' : '__srcfn_yield(';
    if (!node.argument) {
      this.s.overwrite(node.start, node.end, helper + ')');
      return;
    }
    this.s.overwrite(node.start, node.argument.start, helper);
    this.s.appendLeft(node.end, ')');
  },

  FunctionDeclaration: function (node) { this.coroutine(node); },
  FunctionExpression: function (node) { this.coroutine(node); },
  ArrowFunctionExpression: function (node) {
    this.coroutine(node);
    this.declareArrowTemps(node);
    this.markArrow(node, arrowName(node));
  }
};

/* The name V8 gives an anonymous arrow from where it is written
 * (`const f = () => 1`: "f"), or '' */
function arrowName(node) {
  var p = node.parentNode;
  var named = p && (
    (p.type === 'VariableDeclarator' && p.init === node && p.id) ||
    (p.type === 'AssignmentExpression' && p.operator === '=' && p.right === node && p.left) ||
    (p.type === 'AssignmentPattern' && p.right === node && p.left) ||
    (p.type === 'Property' && p.value === node && !p.computed && p.kind === 'init' && !p.method && p.key));
  if (!named) return '';
  if (named.type === 'Identifier') return named.name;
  return named.type === 'Literal' && typeof named.value === 'string' ? named.value : '';
}

/* Arrow functions have no prototype and cannot be constructed. buble makes
 * them ordinary functions, each with a prototype object that points back at
 * it: a cycle that only a full garbage collection frees. So each arrow is
 * marked here as __srcfn_arrow(ARROW, "name"), and after buble,
 * methodArrows() turns the marked function into a method of an object
 * literal, which Duktape creates without a prototype, as V8 creates arrows. */
Lowering.prototype.markArrow = function (node, name) {
  this.s.prependRight(node.start, '__srcfn_arrow(');
  this.s.appendLeft(node.end, ', ' + JSON.stringify(name) + ')');
};

/* Duktape puts a call on the line of its closing parenthesis, V8 on the line
 * where it starts; remember which, so errors name the line Node.js would. */
Lowering.prototype.noteCallLines = function (node) {
  var first = node.loc.start.line, last = node.loc.end.line;
  if (first < last && !(this.callLines[last] <= first)) this.callLines[last] = first;
};

/* { a, ...b, c } => Object.assign({}, { a }, b, { c }): buble's own object
 * spread emits invalid code next to computed keys. Line breaks between
 * properties are kept so lines still match. */
Lowering.prototype.objectSpread = function (node) {
  var props = node.properties, s = this.s, src = this.source;
  if (!props.some(function (p) { return p.type === 'SpreadElement'; })) return;
  var out = 'Object.assign({}', group = null;
  var prevEnd = node.start + 1;
  for (var i = 0; i < props.length; i++) {
    var p = props[i];
    var breaks = src.slice(prevEnd, p.start).replace(/[^\n]/g, '');
    if (p.type === 'SpreadElement') {
      if (group !== null) { out += '}'; group = null; }
      out += ', ' + breaks + s.slice(p.argument.start, p.argument.end);
    } else {
      out += group === null ? ', {' + breaks : ', ' + breaks;
      group = true;
      out += s.slice(p.start, p.end);
    }
    prevEnd = p.end;
  }
  if (group !== null) out += '}';
  out += src.slice(prevEnd, node.end).replace(/[^\n]/g, '') + ')';
  s.overwrite(node.start, node.end, out);
};

/* `...x` becomes `...__srcfn_spread(x)`: buble spreads with concat/apply,
 * which only knows arrays; the helper turns any iterable into one. */
Lowering.prototype.wrapSpreads = function (list) {
  for (var i = 0; i < list.length; i++) {
    var el = list[i];
    if (el && el.type === 'SpreadElement') {
      this.s.prependRight(el.argument.start, '__srcfn_spread(');
      this.s.appendLeft(el.argument.end, ')');
    }
  }
};

/* The end of the stretch an optional link short-circuits: up the chain until
 * the next optional link (which tests this one's result itself). */
function shortCircuitEnd(node) {
  var cur = node;
  for (;;) {
    var p = cur.parentNode;
    var continues = p && ((p.type === 'MemberExpression' && p.object === cur) ||
      (p.type === 'CallExpression' && p.callee === cur));
    if (!continues || p.optional) return cur.end;
    cur = p;
  }
}

/* o?.p, o?.[k]  =>  ((t = o) == null ? void 0 : t.p ...) */
Lowering.prototype.optionalLink = function (node, object) {
  var t = this.temp(node);
  var q = findToken(this.source, object.end, '?.');
  this.open(object.start, '((' + t + ' = ');
  this.s.appendLeft(object.end, ') == null ? void 0 : ' + t);
  this.s.overwrite(q, q + 2, node.computed ? '' : '.');
  this.s.appendLeft(shortCircuitEnd(node), ')');
};

/* f?.(a)  =>  ((t = f) == null ? void 0 : t(a));
 * o.m?.(a) => ((r = o, t = r.m) == null ? void 0 : t.call(r, a)), keeping `this`. */
Lowering.prototype.optionalCall = function (node) {
  var callee = node.callee;
  var q = findToken(this.source, callee.end, '?.');
  var paren = findToken(this.source, q + 2, '(');
  var t = this.temp(node);
  if (callee.type === 'MemberExpression' && !callee.optional && callee.object.type !== 'Super' &&
      !hasOptionalLink(callee.object)) {
    var r = this.temp(node);
    this.open(callee.object.start, '((' + r + ' = ');
    this.s.appendLeft(callee.object.end, ', ' + t + ' = ' + r);
    this.s.appendLeft(callee.end, ') == null ? void 0 : ' + t + '.call(' + r);
    this.s.overwrite(q, paren + 1, node.arguments.length ? ', ' : '');
  } else {
    this.open(callee.start, '((' + t + ' = ');
    this.s.appendLeft(callee.end, ') == null ? void 0 : ' + t);
    this.s.overwrite(q, paren, '');
  }
  this.s.appendLeft(shortCircuitEnd(node), ')');
};

/* Whether an optional link sits anywhere down this member/call chain. */
function hasOptionalLink(node) {
  for (var n = node; n && (n.type === 'MemberExpression' || n.type === 'CallExpression');
    n = n.object || n.callee) {
    if (n.optional) return true;
  }
  return false;
}

/* a ??= b => (a != null ? a : (a = b)); o.p and o[k] are evaluated once. */
Lowering.prototype.logicalAssignment = function (node, op) {
  var s = this.s, left = node.left;
  var target;
  if (left.type === 'Identifier') {
    target = left.name;
  } else if (left.type === 'MemberExpression' && !left.optional && left.object.type !== 'Super') {
    var o = this.temp(node);
    var object = s.slice(left.object.start, left.object.end);
    if (left.computed) {
      var k = this.temp(node);
      s.overwrite(left.start, left.end, '(' + o + ' = ' + object + ', ' + k + ' = ' +
        s.slice(left.property.start, left.property.end) + ', ' + o + ')[' + k + ']');
      target = o + '[' + k + ']';
    } else {
      s.overwrite(left.start, left.end, '(' + o + ' = ' + object + ').' + left.property.name);
      target = o + '.' + left.property.name;
    }
  } else {
    fail(node, this.source, 'unsupported target for ' + op);
  }
  var at = findToken(this.source, left.end, op);
  var test = op === '??=' ? ' != null ? ' + target + ' : (' : op === '||=' ? ' || (' : ' && (';
  this.open(left.start, '(');
  s.overwrite(at, at + 3, test + target + ' =');
  s.appendLeft(node.right.end, '))');
};

/* for (DECL of EXPR) BODY  =>
 * for (var it = __srcfn_iter(EXPR), st; !(st = it.next()).done; ) { DECL = st.value; BODY } */
Lowering.prototype.forOf = function (node) {
  var s = this.s, src = this.source;
  var it = this.temp(node), st = this.temp(node);
  var left = node.left;
  var bind;
  if (left.type === 'VariableDeclaration') {
    bind = s.slice(left.start, left.end) + ' = ' + st + '.value;';
  } else {
    bind = '(' + s.slice(left.start, left.end) + ' = ' + st + '.value);';
  }
  var of = findWord(src, left.end, node.right.start, 'of');
  s.overwrite(left.start, of + 2, it + ' = __srcfn_iter(');
  s.appendLeft(node.right.end, '), ' + st + '; !(' + st + ' = ' + it + '.next()).done; ');
  if (node.body.type === 'BlockStatement') {
    s.appendLeft(node.body.start + 1, ' ' + bind);
  } else {
    s.prependRight(node.body.start, '{ ' + bind + ' ');
    s.appendLeft(node.body.end, ' }');
  }
};

/* async function f(a) { B }  =>  function f(a) { return __srcfn_async(() => { B }) }
 * function* g(a) { B }       =>  function g(a) { return __srcfn_gen(() => { B }) }
 * An async function without await in its own body needs no coroutine: it
 * gets __srcfn_async_now, which runs B at once. (AwaitExpression marks its
 * function first: the walk is post-order.)
 * The inner arrow keeps `this` and `arguments`; buble lowers it (it is
 * marked as every arrow is, see markArrow). */
Lowering.prototype.coroutine = function (node) {
  if (!node.async && !node.generator) return;
  if (node.async && node.generator) fail(node, this.source, 'async generators are not supported by srcfn');
  var s = this.s, src = this.source;
  var helper = node.generator ? '__srcfn_gen' : node.awaits ? '__srcfn_async' : '__srcfn_async_now';
  var head = methodHead(node);
  var keywordEnd = node.params.length ? node.params[0].start : node.body.start;
  if (head) keywordEnd = head.key.start;
  var from = head ? head.start : node.start;
  if (node.async) {
    var a = findWord(src, from, keywordEnd, 'async');
    s.overwrite(a, a + 5, '');
  }
  if (node.generator) {
    var star = src.indexOf('*', from);
    s.overwrite(star, star + 1, '');
  }
  var body = node.body;
  if (body.type === 'BlockStatement') {
    s.appendLeft(body.start + 1, ' return ' + helper + '(__srcfn_arrow(() => {');
    s.prependRight(body.end - 1, '}, ""));');
  } else {
    s.prependRight(body.start, helper + '(__srcfn_arrow(() => (');
    s.appendLeft(body.end, '), ""))');
  }
};

/* The method or property that holds a function written as `async m() {}`. */
function methodHead(fn) {
  var p = fn.parentNode;
  if (p && p.value === fn && (p.type === 'MethodDefinition' || (p.type === 'Property' && (p.method || p.kind !== 'init')))) {
    return p;
  }
  return null;
}

/* --- buble and the line map ---------------------------------------------------------- */

/* lines[i] = user line of output line i+1, from buble's source map. */
function lineTable(map, outputLines) {
  var decoded = codec.decode(map.mappings);
  var lines = [];
  var last = 0;
  for (var i = 0; i < outputLines; i++) {
    var segs = decoded[i] || [];
    if (segs.length && segs[0].length >= 3) last = segs[0][2] + 1;
    lines.push(last);
  }
  return lines;
}

/* The lines of text, as empty lines: what an edit must keep. */
function breaksOf(text) {
  return text.replace(/[^\n]/g, '');
}

/* After buble: __srcfn_arrow(function (a) { B }, "f")  =>  ({ f (a) { B } })["f"]
 * on the same lines (see markArrow). */
function methodArrows(code) {
  if (code.indexOf('__srcfn_arrow(') < 0) return code;
  var ast = acorn.parse(code, { ecmaVersion: 2022, sourceType: 'script', allowHashBang: true });
  var s = new MagicString(code);
  walk(ast, null, function (node) {
    if (node.type !== 'CallExpression' || node.callee.type !== 'Identifier' ||
        node.callee.name !== '__srcfn_arrow' || node.arguments.length !== 2) return;
    var fn = node.arguments[0], name = node.arguments[1];
    if (fn.type !== 'FunctionExpression' || fn.id || fn.async || fn.generator ||
        code.slice(fn.start, fn.start + 8) !== 'function' || name.type !== 'Literal') return;
    /* Duktape names a method after its key only when the key is an identifier. */
    var key = /^[A-Za-z_$][\w$]*$/.test(name.value) ? name.value : '""';
    s.overwrite(node.start, fn.start + 8, '({ ' + key + ' ' + breaksOf(code.slice(node.start, fn.start)));
    s.overwrite(fn.end, node.end, ' })[' + JSON.stringify(key === '""' ? '' : key) + ']' +
      breaksOf(code.slice(fn.end, node.end)));
  });
  return s.toString();
}

function lowerSource(source, filename) {
  if (source.charCodeAt(0) === 0xfeff) source = source.slice(1);
  var ast;
  try {
    ast = acorn.parse(source, {
      ecmaVersion: 2022, sourceType: 'script', allowHashBang: true,
      allowReturnOutsideFunction: false, preserveParens: true, locations: true
    });
  } catch (e) {
    if (e.loc) throw new SrcfnSyntaxError(e.message, e.loc.line);
    throw e;
  }
  linkParents(ast, null);
  var pass = new Lowering(source);
  if (source.slice(0, 2) === '#!') pass.s.overwrite(0, 2, '//');
  walk(ast, null, function (node) { pass.visit(node); });
  pass.guardStatements();
  pass.declareTemps();
  var intermediate = pass.s.toString();
  var out;
  try {
    out = buble.transform(intermediate, Object.assign({ source: filename, file: filename }, BUBLE_OPTIONS));
  } catch (e) {
    var line = e.loc ? e.loc.line : 0;
    throw new SrcfnSyntaxError(String(e.message).replace(/\s*\(\d+:\d+\)\s*$/, '') +
      (line ? ' (' + line + ':' + e.loc.column + ')' : ''), line);
  }
  var code = methodArrows(out.code);
  var lines = lineTable(out.map, code.split('\n').length).map(function (line) {
    return pass.callLines[line] || line;
  });
  return { code: code, lines: lines };
}

/* JSON text for lower.c: non-ASCII escaped, because Duktape writes a
 * surrogate pair as two CESU-8 sequences, which are not UTF-8. */
function asciiJson(value) {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, function (c) {
    return '\\u' + ('000' + c.charCodeAt(0).toString(16)).slice(-4);
  });
}

function srcfnLower(source, filename) {
  try {
    return asciiJson(lowerSource(source, filename));
  } catch (e) {
    if (e instanceof SrcfnSyntaxError) return asciiJson({ error: e.message, line: e.line });
    throw e;
  }
}
