/*
 * delivery: what successful runs emitted, on its way to Segment. Events go to
 * the Tracking API (POST {endpoint}/v1/batch, HTTP Basic with the instance's
 * write key, {"batch": [...]}, messageId / receivedAt / sentAt /
 * context.library added where absent); objects to the Object API. Messages
 * wait in the durable outbox until the endpoint took them; a failed delivery
 * is retried with backoff and never lost. The endpoint "-" writes JSON lines
 * to stdout instead.
 */
#ifndef SRCFN_DELIVERY_H
#define SRCFN_DELIVERY_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>

/* Queues a successful run's events and objects; call inside the caller's
 * transaction, so a run's output is queued exactly when its request is done. */
int delivery_enqueue(sqlite3 *db, const char *instance, json_t *events, json_t *objects,
                     int64_t received_at_ms);

typedef struct delivery delivery;

typedef struct delivery_options {
    int backoff_base_ms;   /* first retry delay; doubles each time */
    int batch_max;         /* messages per batch */
} delivery_options;

/* Starts the delivery thread for the workspace at root. */
delivery *delivery_start(const char *root, const delivery_options *opt, char **err);

/* Wakes the thread: something was queued. */
void delivery_notify(delivery *d);

/* Stops after one last attempt at what is queued; what remains stays queued. */
void delivery_stop(delivery *d);

#endif
