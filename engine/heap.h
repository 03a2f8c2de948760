/*
 * heap: a Duktape heap with a memory cap and a deadline.
 *
 * The allocator counts every byte the heap holds; an allocation that would pass
 * the cap fails (Duktape then throws a RangeError the run reports), so a
 * runaway function ends its run, never the process. The deadline is checked
 * by Duktape's execution-timeout hook, which interrupts running bytecode.
 */
#ifndef SRCFN_HEAP_H
#define SRCFN_HEAP_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include "duktape.h"

typedef struct heap_state {
    size_t cap;              /* bytes; allocations past it fail */
    size_t used, peak;
    int64_t deadline_ns;     /* monotonic; 0: none */
    atomic_int cancelled;    /* set from any thread: stop at the next check */
    int timed_out;           /* the hook stopped bytecode (deadline or cancel) */
    int timeout_hits;        /* checks that found the run over time (see heap.c) */
    int out_of_memory;       /* an allocation was refused */
} heap_state;

/* Creates a heap whose allocations and timeout checks go through *st. */
duk_context *heap_create(heap_state *st);

/* Monotonic clock in nanoseconds. */
int64_t heap_now_ns(void);

#endif
