/*
 * workers: the pool of threads that runs accepted webhooks for `srcfn serve`.
 *
 * Each worker keeps warm engines, one per instance it has run (at most
 * WORKERS_WARM_MAX, least recently used first out), loaded with the version
 * the instance pointed at when the engine was made; a run that finds its
 * instance on another version (deploy, rollback) reloads first. Engines are
 * never shared between instances, so globals never leak from one instance or
 * function to another.
 *
 * Scheduling: one FIFO lane per instance, served round-robin, so a busy
 * instance does not starve the others; an instance whose runs are slow
 * (WORKERS_SLOW_MS on average) holds at most count-1 workers at once, so a
 * slow function never takes the whole pool. Workers run at the lowest
 * priority (SCHED_IDLE): under load, webhooks are answered first and runs use
 * the CPU that is left.
 *
 * A run ends in one transaction: success marks the request done and queues
 * its events and objects for delivery (then wakes delivery); a Retry error
 * before the WORKERS_MAX_ATTEMPTS-th run logs the error and requeues the
 * request after retry_base_ms * 2^(attempt-1); any other error, or the last
 * Retry, logs it as final and ends the request ('failed' or 'dropped').
 */
#ifndef SRCFN_WORKERS_H
#define SRCFN_WORKERS_H

#include <jansson.h>
#include <stdint.h>

#include "webhook/delivery.h"
#include "webhook/queue.h"
#include "webhook/registry.h"

/* Four: a worker waits for its run's outcome to be committed before the
 * next run (so a kill interrupts at most one run per worker), and while one
 * waits another runs; on two cores four drain about a fifth faster than two. */
#define WORKERS_DEFAULT_COUNT 4
#define WORKERS_DEFAULT_RETRY_MS 1000
#define WORKERS_MAX_ATTEMPTS 7
#define WORKERS_WARM_MAX 16
#define WORKERS_SLOW_MS 100

typedef struct workers workers;

typedef struct workers_options {
    int count;             /* threads; 0: WORKERS_DEFAULT_COUNT */
    int retry_base_ms;     /* first Retry delay, doubling; 0: WORKERS_DEFAULT_RETRY_MS */
} workers_options;

/* Starts the pool; NULL with *err. reg, d and writer must outlive it. */
workers *workers_start(const char *root, registry *reg, delivery *d, queue_writer *writer,
                       const workers_options *opt, char **err);

/*
 * Hands over a stored request to run at due_ms (ms since the epoch; 0: now).
 * With its content r, which the pool then owns, or with r NULL, to be loaded
 * from the store when its turn comes.
 */
void workers_submit(workers *w, int64_t id, const char *instance, int64_t due_ms, queued_request *r);

/* The requests handed over and not yet finished (queued, waiting for a
 * retry, or running); callable from any thread. */
size_t workers_backlog(workers *w);

/* Stops taking requests, lets runs in progress finish, frees. What was not
 * run stays queued in the store. */
void workers_stop(workers *w);

#endif
