/*
 * delivery: what successful runs emitted, on its way to Segment. Events go to
 * the Tracking API (POST {endpoint}/v1/batch, HTTP Basic with the instance's
 * write key, {"batch": [...]}, messageId / receivedAt / sentAt /
 * context.library added where absent); objects to the Object API. Messages
 * wait in the durable outbox until the endpoint took them; a failed delivery
 * is retried with backoff and never lost. The endpoint "-" writes JSON lines
 * to stdout instead.
 *
 * Notes for the serve engineer (the contract as implemented in delivery.c):
 * - messageId, receivedAt and context.library are added at enqueue time and
 *   stored, so a retried message keeps its messageId (Segment deduplicates on
 *   it); sentAt is added at each send.
 * - Order: per instance and kind, messages leave in the order they were
 *   queued; a failed batch holds back the instance's later messages of that
 *   kind until it went through (other instances are not held back), unless
 *   the endpoint refused it outright (400, 413, 422): then each message is
 *   sent alone, and one refused alone is set aside (kind "<kind>-refused",
 *   offered again hourly) so that it holds back nothing.
 * - The instance's write_key and endpoint are read from the `instances` table
 *   at each send, so a changed endpoint applies to what is still queued. A
 *   message whose instance no longer exists stays queued, untouched, until an
 *   instance of that name exists again; `disconnect` may delete the
 *   instance's outbox rows instead.
 * - Backoff: backoff_base_ms * 2^attempts, at most DELIVERY_BACKOFF_CAP_MS;
 *   `serve` may want to pass its --retry-base-ms here too, so tests run fast.
 * - delivery_start creates the index outbox_group (instance, kind, id) that
 *   keeps picking the next batch cheap however long the outbox grows.
 * - Any answer but 2xx, and any network error, is a failure (backed off and
 *   retried, or set aside as above; never dropped); it is reported on stderr.
 * - The Object API: POST {base}/v1/set with {"collection", "objects": [{"id",
 *   "properties"}]}, Basic auth with the write key, JSON body, at most 10
 *   objects of one collection per request (Segment's "Objects API" page).
 *   The base is delivery_options.objects_endpoint when set, else
 *   https://objects.segment.com for Segment's own endpoints (hosts under
 *   segment.io, segment.com, segmentapis.com), else the instance endpoint.
 */
#ifndef SRCFN_DELIVERY_H
#define SRCFN_DELIVERY_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>

#ifndef SRCFN_VERSION
#define SRCFN_VERSION "0.1.0"
#endif

/* The Tracking API's limit on one batch request (500 KB). */
#define DELIVERY_BATCH_BYTES (500 * 1000)
/* The Object API's limit on objects per request. */
#define DELIVERY_OBJECTS_MAX 10
/* The longest gap between two attempts at a message. */
#define DELIVERY_BACKOFF_CAP_MS (10 * 60 * 1000)

/* Queues a successful run's events and objects (arrays, either may be NULL);
 * call inside the caller's transaction, so a run's output is queued exactly
 * when its request is done. Returns 0, or -1 after a message on stderr. */
int delivery_enqueue(sqlite3 *db, const char *instance, json_t *events, json_t *objects,
                     int64_t received_at_ms);

typedef struct delivery delivery;

typedef struct delivery_options {
    int backoff_base_ms;   /* first retry delay; doubles each time (0: 1000) */
    int batch_max;         /* events per batch (0: 100) */
    const char *objects_endpoint; /* Object API base for every instance (NULL: see above) */
    FILE *out;             /* where endpoint "-" writes (NULL: stdout) */
} delivery_options;

/* Starts the delivery thread for the workspace at root; NULL with *err. */
delivery *delivery_start(const char *root, const delivery_options *opt, char **err);

/* Wakes the thread: something was queued. NULL is ignored. */
void delivery_notify(delivery *d);

/* Stops after one last attempt at what is due (bounded by a few seconds);
 * what remains stays queued for the next start. Frees d. */
void delivery_stop(delivery *d);

#endif
