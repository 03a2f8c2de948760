/*
 * heap: allocator with a cap, the execution-timeout hook, heap creation.
 * Each block carries a header with its size so realloc/free can keep the
 * count exact without asking the C library.
 */
#include "engine/heap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef union block_header {
    size_t size;
    max_align_t align;   /* keeps the payload aligned as malloc's would be */
} block_header;

int64_t heap_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int heap_admit(heap_state *st, size_t more)
{
    if (st->used + more > st->cap) {
        st->out_of_memory = 1;
        return 0;
    }
    return 1;
}

static void heap_account(heap_state *st, size_t old_size, size_t new_size)
{
    st->used = st->used - old_size + new_size;
    if (st->used > st->peak)
        st->peak = st->used;
}

static void *heap_alloc(void *udata, duk_size_t size)
{
    heap_state *st = udata;
    if (!heap_admit(st, size))
        return NULL;
    block_header *h = malloc(sizeof *h + size);
    if (!h)
        return NULL;
    h->size = size;
    heap_account(st, 0, size);
    return h + 1;
}

static void *heap_realloc(void *udata, void *ptr, duk_size_t size)
{
    heap_state *st = udata;
    if (!ptr)
        return heap_alloc(udata, size);
    block_header *h = (block_header *)ptr - 1;
    size_t old = h->size;
    if (size > old && !heap_admit(st, size - old))
        return NULL;
    block_header *n = realloc(h, sizeof *n + size);
    if (!n)
        return NULL;
    n->size = size;
    heap_account(st, old, size);
    return n + 1;
}

static void heap_free(void *udata, void *ptr)
{
    heap_state *st = udata;
    if (!ptr)
        return;
    block_header *h = (block_header *)ptr - 1;
    heap_account(st, h->size, 0);
    free(h);
}

/* Only reached by an error outside any protected call: a bug in srcfn. */
static void heap_fatal(void *udata, const char *msg)
{
    (void)udata;
    fprintf(stderr, "srcfn: fatal JavaScript engine error: %s\n", msg ? msg : "(none)");
    abort();
}

/*
 * Called by Duktape every few hundred thousand bytecode instructions; once it
 * answers 1, Duktape throws a RangeError and calls it again before every
 * instruction until the error has left all JavaScript. We let the second call
 * pass once: the runtime's own catch handlers (the promise machinery) then
 * record the first error, which carries the user's line, and the run settles
 * as rejected; from the next check on, the answer is 1 for good.
 */
int engine_timeout_check(void *udata)
{
    heap_state *st = udata;
    if (!st)
        return 0;
    if (atomic_load(&st->cancelled) ||
        (st->deadline_ns && heap_now_ns() >= st->deadline_ns)) {
        st->timed_out = 1;
        return st->timeout_hits++ == 1 ? 0 : 1;
    }
    return 0;
}

duk_context *heap_create(heap_state *st)
{
    return duk_create_heap(heap_alloc, heap_realloc, heap_free, st, heap_fatal);
}
