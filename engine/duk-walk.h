/*
 * duk-walk: the jansson value of a Duktape value that is plain data, read
 * straight from Duktape's property tables. Every run's result goes through
 * it; JSON.stringify plus a parse of its text did the same work twice.
 *
 * Plain data: null, booleans, numbers, strings, arrays with no holes and
 * objects of class Object whose prototype is Object.prototype or null, each
 * property a data property. What JSON.stringify leaves out is left out
 * (undefined, functions and symbols as values; symbol and non-enumerable
 * keys), NaN and the infinities are null, an integer of at most 2^53 is a
 * jansson integer. Strings are made UTF-8 as dukjson does (engine/dukjson.h).
 * Anything JSON.stringify would treat otherwise gives NULL, and the caller
 * stringifies instead: toJSON anywhere (Object.prototype or Array.prototype
 * included), accessors (calling a getter twice would be visible), proxies,
 * buffers, boxed primitives, other classes, array-index keys in an object
 * (whose order differs), integers beyond 2^53 (which V8 writes rounded, as
 * 1152921504606847000), and nesting deeper than 64 (a cycle, maybe). So
 * nothing here runs JavaScript or allocates on the Duktape heap.
 * Lives in Duktape's translation unit (engine/duk-unit.c), for its internals.
 */
#ifndef SRCFN_DUK_WALK_H
#define SRCFN_DUK_WALK_H

#include <jansson.h>

#include "duktape.h"

/* The value at idx as jansson, or NULL when it is not plain data (or out of memory). */
json_t *dukx_plain_json(duk_context *ctx, duk_idx_t idx);

#endif
