/*
 * fetch: the engine's outgoing HTTP, on a libcurl multi handle, so that every
 * request a run starts proceeds concurrently while the event loop waits.
 *
 * One fetcher per engine. The runtime's fetch() (engine/js/runtime/57-fetch.js)
 * starts transfers through native functions (native_fetch_register) and
 * registers a completion callback; fetcher_wait() drives the transfers and
 * calls that callback, on the heap, for each one that finished.
 */
#ifndef SRCFN_FETCH_H
#define SRCFN_FETCH_H

#include <stdint.h>
#include "duktape.h"

typedef struct fetcher fetcher;

fetcher *fetcher_new(void);
void fetcher_free(fetcher *f);

/* Transfers in flight. */
int fetcher_pending(const fetcher *f);

/* No transfer may outlive this monotonic time (the run's deadline). */
void fetcher_set_deadline(fetcher *f, int64_t deadline_ns);

/* Waits up to timeout_ms for transfers to progress, then delivers every
 * finished one to the runtime's callback. Returns 0, or -1 when the callback
 * threw (the error is left handled by the runtime). */
int fetcher_wait(fetcher *f, duk_context *ctx, long timeout_ms);

/* Aborts every transfer (a run that was stopped). */
void fetcher_abort_all(fetcher *f);

/* The natives 57-fetch.js calls; finds its fetcher in the heap stash under
 * "fetcher" (a pointer the engine puts there at boot). */
void native_fetch_register(duk_context *ctx);

#endif
