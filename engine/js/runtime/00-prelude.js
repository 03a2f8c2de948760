/*
 * The srcfn runtime: the globals a source function sees, evaluated once into
 * every function heap before the function's own code. The files of this folder
 * are concatenated in name order inside one function scope (see the Makefile),
 * so a top-level `var` or `function` here is private to the runtime unless a
 * file publishes it with defineGlobal().
 *
 * `native` holds the C bindings (engine/native-*.c); it is taken off the global
 * object here so user code never sees it.
 */
var native = global.__native;
delete global.__native;

/* Publishes a global the way built-ins are: writable, not enumerable. */
function defineGlobal(name, value) {
  Object.defineProperty(global, name, {
    value: value, writable: true, enumerable: false, configurable: true
  });
}

/* Publishes a helper that lowered code calls: hidden and fixed. */
function defineInternal(name, value) {
  Object.defineProperty(global, name, {
    value: value, writable: false, enumerable: false, configurable: false
  });
}

/* Adds methods to a built-in prototype or constructor, only where missing. */
function polyfill(target, methods) {
  Object.keys(methods).forEach(function (name) {
    if (typeof target[name] !== 'undefined') return;
    Object.defineProperty(target, name, {
      value: methods[name], writable: true, enumerable: false, configurable: true
    });
  });
}
