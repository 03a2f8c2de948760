/*
 * duk-unit: Duktape's translation unit. It compiles the amalgamation (with
 * srcfn's configuration, see duk_overrides.h) and, after it, the helpers of
 * duk-pack.h, which need Duktape's internals: the layout of an object's
 * property table and reference counts. Built with Duktape's own flags, not
 * ours (see the Makefile).
 *
 * Invariant of both helpers: the values move from the value stack into the
 * new container with a reference each (INCREF), then the stack drops its
 * own (duk_set_top), so every count stays right on every path; nothing in
 * between allocates, so no garbage collection can see a half-made object.
 */
#include "duktape.c"

#include "engine/duk-pack.h"

void dukx_pack_array(duk_context *ctx, duk_uint32_t n)
{
    duk_pack((duk_hthread *)ctx, (duk_idx_t)n);
}

/* Puts entry idx's key into obj's hash part; 0, or -1 when it is there already. */
static int pack_hash_insert(duk_hthread *thr, duk_hobject *obj, duk_hstring *key, duk_uint32_t idx)
{
    duk_uint32_t *h = DUK_HOBJECT_H_GET_BASE(thr->heap, obj);
    duk_uint32_t mask = DUK_HOBJECT_GET_HSIZE(obj) - 1;
    for (duk_uint32_t i = DUK_HSTRING_GET_HASH(key) & mask;; i = (i + 1) & mask) {
        duk_uint32_t t = h[i];
        if (t == DUK_HOBJECT_HASHIDX_UNUSED) {
            h[i] = idx;
            return 0;
        }
        if (DUK_HOBJECT_E_GET_KEY(thr->heap, obj, t) == key)
            return -1;
    }
}

/* Without a hash part: a linear look for key among the first idx entries. */
static int pack_seen(duk_hthread *thr, duk_hobject *obj, duk_hstring *key, duk_uint32_t idx)
{
    for (duk_uint32_t j = 0; j < idx; j++) {
        if (DUK_HOBJECT_E_GET_KEY(thr->heap, obj, j) == key)
            return -1;
    }
    return 0;
}

/* Stores the n pairs below the object on top into it; -1 on a key it cannot take. */
static int pack_entries(duk_hthread *thr, duk_hobject *obj, duk_uint32_t n)
{
    duk_tval *pair = thr->valstack_top - 1 - 2 * (duk_size_t)n;
    int hashed = DUK_HOBJECT_GET_HSIZE(obj) > 0;
    for (duk_uint32_t i = 0; i < n; i++, pair += 2) {
        if (!DUK_TVAL_IS_STRING(pair))
            return -1;
        duk_hstring *key = DUK_TVAL_GET_STRING(pair);
        if (DUK_HSTRING_HAS_ARRIDX(key))
            return -1;
        if (hashed ? pack_hash_insert(thr, obj, key, i) : pack_seen(thr, obj, key, i))
            return -1;
        DUK_HOBJECT_E_SET_KEY(thr->heap, obj, i, key);
        DUK_HSTRING_INCREF(thr, key);
        DUK_TVAL_SET_TVAL(DUK_HOBJECT_E_GET_VALUE_TVAL_PTR(thr->heap, obj, i), pair + 1);
        DUK_TVAL_INCREF(thr, pair + 1);
        DUK_HOBJECT_E_SET_FLAGS(thr->heap, obj, i, DUK_PROPDESC_FLAGS_WEC);
        DUK_HOBJECT_SET_ENEXT(obj, i + 1);
    }
    return 0;
}

int dukx_pack_object(duk_context *ctx, duk_uint32_t n)
{
    duk_hthread *thr = (duk_hthread *)ctx;
    duk_idx_t base = duk_get_top(ctx) - 2 * (duk_idx_t)n;
    duk_hobject *obj = duk_push_object_helper(thr,
                                              DUK_HOBJECT_FLAG_EXTENSIBLE | DUK_HOBJECT_FLAG_FASTREFS |
                                                  DUK_HOBJECT_CLASS_AS_FLAGS(DUK_HOBJECT_CLASS_OBJECT),
                                              DUK_BIDX_OBJECT_PROTOTYPE);
    duk_hobject_realloc_props(thr, obj, n, 0, duk__get_default_h_size(n), 0);
    if (pack_entries(thr, obj, n) != 0) {
        duk_pop(ctx);   /* frees it, dropping the references it took */
        return -1;
    }
    if (n > 0) {
        duk_replace(ctx, base);
        duk_set_top(ctx, base + 1);
    }
    return 0;
}
