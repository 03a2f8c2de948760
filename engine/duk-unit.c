/*
 * duk-unit: Duktape's translation unit. It compiles the amalgamation (with
 * srcfn's configuration, see duk_overrides.h) and, after it, the helpers of
 * duk-pack.h and duk-walk.h, which need Duktape's internals: the layout of an
 * object's property table and reference counts. Built with Duktape's own
 * flags, not ours (see the Makefile).
 *
 * Invariant of the pack helpers: the values move from the value stack into the
 * new container with a reference each (INCREF), then the stack drops its
 * own (duk_set_top), so every count stays right on every path; nothing in
 * between allocates, so no garbage collection can see a half-made object.
 */
#define _GNU_SOURCE   /* qsort_r */
#include <stdlib.h>

#include "duktape.c"

#include "engine/decimal.h"
#include "engine/duk-pack.h"
#include "engine/duk-walk.h"
#include "engine/dukjson.h"

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

/* --- sorting the pairs by key ---------------------------------------------------- */

/* The next character of a key at *p (before end) as a code point: Duktape
 * keeps a character beyond U+FFFF as two 3-byte surrogates, joined here. */
static duk_ucodepoint_t key_char(duk_hthread *thr, const duk_uint8_t **p, const duk_uint8_t *start,
                                 const duk_uint8_t *end)
{
    duk_ucodepoint_t c = duk_unicode_decode_xutf8_checked(thr, p, start, end);
    if (c >= 0xd800 && c <= 0xdbff && *p < end) {
        const duk_uint8_t *q = *p;
        duk_ucodepoint_t low = duk_unicode_decode_xutf8_checked(thr, &q, start, end);
        if (low >= 0xdc00 && low <= 0xdfff) {
            *p = q;
            return 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        }
    }
    return c;
}

/* Keys in the order of their UTF-8 bytes (so of their code points), a key
 * before any longer one it starts. */
static int key_compare(duk_hthread *thr, duk_hstring *a, duk_hstring *b)
{
    const duk_uint8_t *pa = DUK_HSTRING_GET_DATA(a), *pb = DUK_HSTRING_GET_DATA(b);
    duk_size_t na = DUK_HSTRING_GET_BYTELEN(a), nb = DUK_HSTRING_GET_BYTELEN(b);
    if (DUK_HSTRING_HAS_ASCII(a) && DUK_HSTRING_HAS_ASCII(b)) {
        int c = memcmp(pa, pb, na < nb ? na : nb);
        return c ? c : (na > nb) - (na < nb);
    }
    const duk_uint8_t *ea = pa + na, *eb = pb + nb, *sa = pa, *sb = pb;
    while (pa < ea && pb < eb) {
        duk_ucodepoint_t ca = key_char(thr, &pa, sa, ea), cb = key_char(thr, &pb, sb, eb);
        if (ca != cb)
            return ca < cb ? -1 : 1;
    }
    return (pa < ea) - (pb < eb);
}

typedef struct pair_sort {
    duk_hthread *thr;
    duk_tval *pairs;
} pair_sort;

/* Pair positions by key, then by position: a stable order. */
static int pair_compare(const void *x, const void *y, void *arg)
{
    const pair_sort *ps = arg;
    duk_uint32_t a = *(const duk_uint32_t *)x, b = *(const duk_uint32_t *)y;
    int c = key_compare(ps->thr, DUK_TVAL_GET_STRING(ps->pairs + 2 * a), DUK_TVAL_GET_STRING(ps->pairs + 2 * b));
    return c ? c : (a > b) - (a < b);
}

/* Sorts the n pairs below the top of the stack by key, keeping the order of
 * equal keys (so a repeated key still takes its last value): their positions
 * are sorted (an insertion sort for the short objects webhooks are mostly
 * made of, qsort_r past that), then the pairs moved into that order. */
static void sort_pairs(duk_hthread *thr, duk_uint32_t n)
{
    duk_uint32_t *order = duk_push_fixed_buffer((duk_context *)thr, (duk_size_t)n * sizeof *order);
    pair_sort ps = {thr, thr->valstack_top - 1 - 2 * (duk_size_t)n};
    for (duk_uint32_t k = 0; k < n; k++)
        order[k] = k;
    if (n > 16) {
        qsort_r(order, n, sizeof *order, pair_compare, &ps);
    } else {
        for (duk_uint32_t k = 1; k < n; k++) {
            duk_uint32_t x = order[k], j = k;
            for (; j > 0 && pair_compare(&order[j - 1], &x, &ps) > 0; j--)
                order[j] = order[j - 1];
            order[j] = x;
        }
    }
    duk_tval *copy = duk_push_fixed_buffer((duk_context *)thr, (duk_size_t)n * 2 * sizeof *copy);
    duk_tval *pairs = thr->valstack_top - 2 - 2 * (duk_size_t)n;   /* below order and copy */
    memcpy(copy, pairs, (duk_size_t)n * 2 * sizeof *copy);
    for (duk_uint32_t k = 0; k < n; k++) {   /* a permutation: no count changes */
        pairs[2 * k] = copy[2 * order[k]];
        pairs[2 * k + 1] = copy[2 * order[k] + 1];
    }
    duk_pop_2((duk_context *)thr);
}

/* --- objects ------------------------------------------------------------------------ */

int dukx_pack_object(duk_context *ctx, duk_uint32_t n, int sort)
{
    duk_hthread *thr = (duk_hthread *)ctx;
    duk_idx_t base = duk_get_top(ctx) - 2 * (duk_idx_t)n;
    for (duk_uint32_t i = 0; sort && i < n; i++) {
        if (!duk_is_string(ctx, base + 2 * (duk_idx_t)i))
            return -1;
    }
    if (sort && n > 1)
        sort_pairs(thr, n);
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

/* --- strings seen before ------------------------------------------------------------- */

void dukx_push_cached(duk_context *ctx, dukx_string_cache *cache, const char *s, duk_size_t n)
{
    duk_hthread *thr = (duk_hthread *)ctx;
    duk_uint32_t mix = (duk_uint32_t)n * 0x9e3779b1u;   /* the length, first, middle and last bytes */
    if (n)
        mix += (unsigned char)s[0] * 0x85ebca6bu + (unsigned char)s[n / 2] * 0xc2b2ae35u + (unsigned char)s[n - 1];
    duk_size_t at = (duk_size_t)((mix * 2654435761u) >> 25);   /* 7 bits */
    duk_hstring *h = cache->slot[at];
    if (h && DUK_HSTRING_GET_BYTELEN(h) == n && memcmp(DUK_HSTRING_GET_DATA(h), s, n) == 0 &&
        thr->valstack_top < thr->valstack_end) {
        /* Stored in place: duk_push_hstring copies a tval it just wrote to
         * the C stack, and that load stalls (its two halves were stored
         * apart). */
        DUK_TVAL_SET_STRING(thr->valstack_top, h);
        DUK_HSTRING_INCREF(thr, h);
        thr->valstack_top++;
        return;
    }
    duk_push_lstring(ctx, s, n);
    cache->slot[at] = duk_known_hstring(thr, -1);
}

/* --- string to number: a hook in duk_numconv_parse (see the Makefile) ------------------- */

static int is_digit(duk_uint8_t c)
{
    return c >= '0' && c <= '9';
}

/* Whether s[0..n) is a plain decimal, -?(0|[1-9][0-9]*)(\.[0-9]+)?, with the
 * sign and the fraction only where flags allow them. The rest (white space,
 * exponents, hex, octal, leading zeros, Infinity, garbage...) is Duktape's. */
static int plain_decimal(const duk_uint8_t *s, duk_size_t n, duk_small_uint_t flags)
{
    duk_size_t i = 0, start, fraction;
    if (n > 0 && s[0] == '-') {
        if (!(flags & DUK_S2N_FLAG_ALLOW_MINUS))
            return 0;
        i++;
    }
    for (start = i; i < n && is_digit(s[i]); i++) {
    }
    if (i == start || (s[start] == '0' && i - start > 1))
        return 0;
    if (i < n && s[i] == '.') {
        if (!(flags & DUK_S2N_FLAG_ALLOW_FRAC))
            return 0;
        for (fraction = ++i; i < n && is_digit(s[i]); i++) {
        }
        if (i == fraction)
            return 0;
    }
    return i == n;
}

/* Called first by duk_numconv_parse, which turns the string on top of the
 * stack into a number for Number(), parseFloat, unary plus, arithmetic on
 * strings and the lexer's literals: Duktape's conversion runs a big-integer
 * algorithm every time (6,000 instructions for "29.99"). A plain decimal
 * that engine/decimal.h converts exactly is converted here; returns 0, with
 * the string left, for Duktape to convert the rest.
 * Also mends one difference from V8: Duktape reads a string only up to its
 * first NUL, so Number("1\u0000") was 1; no number's text holds a NUL, so
 * where the whole string must be a number it is NaN. */
DUK_INTERNAL duk_bool_t dukx_numconv_fast(duk_hthread *thr, duk_small_int_t radix, duk_small_uint_t flags)
{
    duk_hstring *h = duk_get_hstring(thr, -1);
    double d;
    if (!h)
        return 0;
    const duk_uint8_t *s = DUK_HSTRING_GET_DATA(h);
    duk_size_t n = DUK_HSTRING_GET_BYTELEN(h);
    if (radix == 10 && plain_decimal(s, n, flags) && decimal_exact((const char *)s, n, &d)) {
        duk_pop(thr);
        duk_push_number(thr, d);
        return 1;
    }
    if (!(flags & DUK_S2N_FLAG_ALLOW_GARBAGE) && memchr(s, 0, n) != NULL) {
        duk_pop(thr);
        duk_push_nan(thr);
        return 1;
    }
    return 0;
}

/* --- plain data to jansson (duk-walk.h) ---------------------------------------------- */

#define WALK_MAX_DEPTH 64

/* What a walk found at one place: a value, nothing (what stringify leaves
 * out), or something only stringify can tell. */
typedef enum { WALK_VALUE, WALK_OMIT, WALK_BAIL } walk_kind;

static walk_kind walk_tval(duk_hthread *thr, duk_tval *tv, int depth, json_t **out);

/* The k-digit decimal nearest to d, as an integer (its digits then zeros);
 * 0 when that is not an integer of json_int_t. */
static int nearest_digits(double d, int k, json_int_t *out)
{
    char text[40];
    int n = snprintf(text, sizeof text, "%.*e", k - 1, d);   /* correctly rounded; the point is the locale's */
    const char *e = n > 0 && (size_t)n < sizeof text ? strchr(text, 'e') : NULL;
    if (!e)
        return 0;
    json_int_t v = 0;
    for (const char *c = text; c < e; c++) {
        if (!is_digit((duk_uint8_t)*c))
            continue;   /* the sign and the point */
        if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, *c - '0', &v))
            return 0;
    }
    int zeros = atoi(e + 1) - (k - 1);
    if (zeros < 0)
        return 0;
    while (zeros-- > 0) {
        if (__builtin_mul_overflow(v, 10, &v))
            return 0;
    }
    *out = text[0] == '-' ? -v : v;
    return 1;
}

/* An integer beyond 2^53 as JSON.stringify writes it: its shortest digits
 * that read back as d, then zeros (2^60 + 1 is 1152921504606847000); the
 * nearest decimal of k digits reads back for every k from the shortest on,
 * so k is found by bisection. 0 for a power of two, whose neighbour below is
 * nearer than the one above (the nearest decimal may then not be the one
 * V8 picks), and past json_int_t. */
static int shortest_integer(double d, json_int_t *out)
{
    int exp2;
    if (DUK_FABS(d) >= 9.2e18 || frexp(DUK_FABS(d), &exp2) == 0.5)
        return 0;
    int lo = 1, hi = 17;   /* 17 digits always read back */
    json_int_t v;
    while (lo < hi) {
        int k = (lo + hi) / 2;
        if (nearest_digits(d, k, &v) && (double)v == d)
            hi = k;
        else
            lo = k + 1;
    }
    return nearest_digits(d, lo, out) && (double)*out == d;
}

static walk_kind walk_number(double d, json_t **out)
{
    const double max_exact = 9007199254740992.0;   /* 2^53 */
    json_int_t digits;
    if (!DUK_ISFINITE(d))
        *out = json_null();
    else if (d == DUK_FLOOR(d) && d >= -max_exact && d <= max_exact)
        *out = json_integer((json_int_t)d);   /* -0 too: stringify writes 0 */
    else if (d > -1e21 && d < 1e21 && d == DUK_FLOOR(d))
        *out = shortest_integer(d, &digits) ? json_integer(digits) : NULL;   /* else stringify writes it */
    else
        *out = json_real(d);
    return *out ? WALK_VALUE : WALK_BAIL;
}

/* Whether h has a property toJSON of its own (JSON.stringify would call it). */
static int has_own_tojson(duk_hthread *thr, duk_hobject *h)
{
    duk_hstring *key = DUK_HTHREAD_STRING_TO_JSON(thr);
    for (duk_uint32_t i = 0; i < DUK_HOBJECT_GET_ENEXT(h); i++) {
        if (DUK_HOBJECT_E_GET_KEY(thr->heap, h, i) == key)
            return 1;
    }
    return 0;
}

static walk_kind walk_array(duk_hthread *thr, duk_hobject *h, int depth, json_t **out)
{
    duk_uint32_t len = ((duk_harray *)h)->length;
    if (!DUK_HOBJECT_HAS_ARRAY_PART(h) || len > DUK_HOBJECT_GET_ASIZE(h) || has_own_tojson(thr, h))
        return WALK_BAIL;   /* sparse, or its own toJSON */
    json_t *arr = json_array();
    for (duk_uint32_t i = 0; arr && i < len; i++) {
        duk_tval *tv = DUK_HOBJECT_A_GET_VALUE_PTR(thr->heap, h, i);
        json_t *v = NULL;
        walk_kind k = DUK_TVAL_IS_UNUSED(tv) ? WALK_BAIL : walk_tval(thr, tv, depth + 1, &v);
        if (k == WALK_BAIL || json_array_append_new(arr, k == WALK_OMIT ? json_null() : v) != 0) {
            json_decref(arr);
            return WALK_BAIL;
        }
    }
    *out = arr;
    return arr ? WALK_VALUE : WALK_BAIL;
}

/* Sets key (Duktape's bytes) to v in obj; 0, or -1 (v released). */
static int walk_set(json_t *obj, duk_hstring *key, json_t *v)
{
    json_t *k = dukjson_string((const char *)DUK_HSTRING_GET_DATA(key), DUK_HSTRING_GET_BYTELEN(key));
    int rc = k ? json_object_setn_new_nocheck(obj, json_string_value(k), json_string_length(k), v) : -1;
    if (!k)
        json_decref(v);
    json_decref(k);
    return rc;
}

static walk_kind walk_object(duk_hthread *thr, duk_hobject *h, int depth, json_t **out)
{
    duk_hobject *proto = DUK_HOBJECT_GET_PROTOTYPE(thr->heap, h);
    if (DUK_HOBJECT_HAS_ARRAY_PART(h) || (proto && proto != thr->builtins[DUK_BIDX_OBJECT_PROTOTYPE]))
        return WALK_BAIL;
    json_t *obj = json_object();
    for (duk_uint32_t i = 0; obj && i < DUK_HOBJECT_GET_ENEXT(h); i++) {
        duk_hstring *key = DUK_HOBJECT_E_GET_KEY(thr->heap, h, i);
        if (!key || DUK_HSTRING_HAS_SYMBOL(key))
            continue;   /* a deleted entry; a symbol (hidden ones included) */
        duk_small_uint_t flags = DUK_HOBJECT_E_GET_FLAGS(thr->heap, h, i);
        if ((flags & DUK_PROPDESC_FLAG_ACCESSOR) || DUK_HSTRING_HAS_ARRIDX(key) || key == DUK_HTHREAD_STRING_TO_JSON(thr)) {
            json_decref(obj);
            return WALK_BAIL;
        }
        if (!(flags & DUK_PROPDESC_FLAG_ENUMERABLE))
            continue;
        json_t *v = NULL;
        walk_kind k = walk_tval(thr, DUK_HOBJECT_E_GET_VALUE_TVAL_PTR(thr->heap, h, i), depth + 1, &v);
        if (k == WALK_BAIL || (k == WALK_VALUE && walk_set(obj, key, v) != 0)) {
            json_decref(obj);
            return WALK_BAIL;
        }
    }
    *out = obj;
    return obj ? WALK_VALUE : WALK_BAIL;
}

static walk_kind walk_tval(duk_hthread *thr, duk_tval *tv, int depth, json_t **out)
{
    switch (DUK_TVAL_GET_TAG(tv)) {
    case DUK_TAG_UNDEFINED:
    case DUK_TAG_LIGHTFUNC:
        return WALK_OMIT;
    case DUK_TAG_NULL:
        *out = json_null();
        return WALK_VALUE;
    case DUK_TAG_BOOLEAN:
        *out = json_boolean(DUK_TVAL_GET_BOOLEAN(tv));
        return WALK_VALUE;
    case DUK_TAG_STRING: {
        duk_hstring *s = DUK_TVAL_GET_STRING(tv);
        if (DUK_HSTRING_HAS_SYMBOL(s))
            return WALK_OMIT;
        *out = dukjson_string((const char *)DUK_HSTRING_GET_DATA(s), DUK_HSTRING_GET_BYTELEN(s));
        return *out ? WALK_VALUE : WALK_BAIL;
    }
    case DUK_TAG_OBJECT: {
        duk_hobject *h = DUK_TVAL_GET_OBJECT(tv);
        if (DUK_HOBJECT_IS_CALLABLE(h))
            return WALK_OMIT;
        if (depth >= WALK_MAX_DEPTH || DUK_HOBJECT_IS_PROXY(h))
            return WALK_BAIL;
        switch (DUK_HOBJECT_GET_CLASS_NUMBER(h)) {
        case DUK_HOBJECT_CLASS_ARRAY:
            if (DUK_HOBJECT_GET_PROTOTYPE(thr->heap, h) != thr->builtins[DUK_BIDX_ARRAY_PROTOTYPE])
                return WALK_BAIL;
            return walk_array(thr, h, depth, out);
        case DUK_HOBJECT_CLASS_OBJECT:
            return walk_object(thr, h, depth, out);
        default:
            return WALK_BAIL;
        }
    }
    default:
        if (DUK_TVAL_IS_NUMBER(tv))
            return walk_number(DUK_TVAL_GET_NUMBER(tv), out);
        return WALK_BAIL;   /* plain buffers, pointers */
    }
}

json_t *dukx_plain_json(duk_context *ctx, duk_idx_t idx)
{
    duk_hthread *thr = (duk_hthread *)ctx;
    /* A toJSON on Array.prototype or (through it) Object.prototype applies everywhere. */
    if (duk_hobject_hasprop_raw(thr, thr->builtins[DUK_BIDX_ARRAY_PROTOTYPE], DUK_HTHREAD_STRING_TO_JSON(thr)))
        return NULL;
    json_t *out = NULL;
    return walk_tval(thr, duk_require_tval(ctx, idx), 0, &out) == WALK_VALUE ? out : NULL;
}
