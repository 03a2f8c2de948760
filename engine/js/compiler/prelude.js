/*
 * The compiler heap's module loader: tools/bundle.sh registers each npm module
 * as a factory in __modules; require() runs a factory once and caches its
 * exports, as CommonJS does.
 */
var __moduleCache = {};
function require(name) {
  if (!__modules[name]) throw new Error('srcfn compiler: no module ' + name);
  if (!__moduleCache[name]) {
    var module = { exports: {} };
    __moduleCache[name] = module;
    __modules[name].call(module.exports, module, module.exports, require);
  }
  return __moduleCache[name].exports;
}
