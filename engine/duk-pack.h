/*
 * duk-pack: two helpers that make an array or a plain object out of values
 * already on the value stack, with no more work than storing them, and one
 * that pushes a string the parse may have pushed before. Duktape's
 * public API can only add properties one by one, each a lookup and often a
 * reallocation; native-json.c builds every value of a webhook body with these.
 * They live in Duktape's own translation unit (engine/duk-unit.c), where its
 * internals are visible.
 */
#ifndef SRCFN_DUK_PACK_H
#define SRCFN_DUK_PACK_H

#include "duktape.h"

/* [... v1 ... vn] -> [... array]: the n values in order. */
void dukx_pack_array(duk_context *ctx, duk_uint32_t n);

/* [... k1 v1 ... kn vn] -> [... object]: a plain object (Object.prototype)
 * whose own properties are k1: v1 ... kn: vn, writable, enumerable and
 * configurable, in that order; every ki is a string. With sort, the pairs
 * are first put in the order of their keys' UTF-8 bytes (equal keys keeping
 * theirs). Returns 0; or -1, with the pairs left on the stack (sorted, with
 * sort), when a key repeats or is an array index (the caller then defines
 * them one by one, which orders and merges them). */
int dukx_pack_object(duk_context *ctx, duk_uint32_t n, int sort);

/* A parse's memory of strings it has pushed, so that one met again (a body's
 * objects mostly share a few keys, and often values) is pushed without
 * hashing and looking it up in the string table. It holds no references: it
 * serves only while every string it remembers stays reachable, as all a
 * parse makes does until the parse ends. Zeroed before use. */
typedef struct dukx_string_cache {
    void *slot[128];
} dukx_string_cache;

/* Pushes the string s[0..n) (in Duktape's internal form), as duk_push_lstring. */
void dukx_push_cached(duk_context *ctx, dukx_string_cache *cache, const char *s, duk_size_t n);

#endif
