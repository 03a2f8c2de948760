/*
 * duk-check.h: for the C tests that run JavaScript on a bare heap (one of
 * engine/heap.h's, nothing of srcfn's runtime on it): the heap, set-up code
 * that must run, and a CHECK on a JavaScript expression. After check.h.
 */
#ifndef SRCFN_DUK_CHECK_H
#define SRCFN_DUK_CHECK_H

#include <stdlib.h>
#include <string.h>

#include "engine/heap.h"

static duk_context *ctx;
static heap_state ctx_state;

/* Makes ctx, a heap of cap bytes; exits with a FAIL line if it cannot. */
static inline void open_heap(size_t cap, const char *who)
{
    memset(&ctx_state, 0, sizeof ctx_state);
    ctx_state.cap = cap;
    ctx = heap_create(&ctx_state);
    if (!ctx) {
        printf("FAIL %s: cannot create a heap\n", who);
        exit(1);
    }
}

/* Runs code the tests need (definitions, globals); exits if it throws. */
static inline void eval_setup(const char *src)
{
    if (duk_peval_string(ctx, src) != 0) {
        printf("FAIL setup: %s\n", duk_safe_to_string(ctx, -1));
        exit(1);
    }
    duk_pop(ctx);
}

/* Passes when expr evaluates to true; else prints what it gave. */
static inline void check_js(const char *name, const char *expr)
{
    int ok = duk_peval_string(ctx, expr) == 0 && duk_is_boolean(ctx, -1) && duk_get_boolean(ctx, -1);
    if (!ok)
        printf("  %s -> %s\n", expr, duk_safe_to_string(ctx, -1));
    CHECK(name, ok);
    duk_pop(ctx);
}

#endif
