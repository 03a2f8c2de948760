/*
 * queue: the `requests` table, the durable work queue of `srcfn serve`.
 *
 * A webhook is inserted (and committed) before its sender hears 200. Its state
 * then moves
 *     queued -> running -> done      the run succeeded (its output queued for delivery
 *                                    in the same transaction)
 *                       -> failed    it threw anything but a Retry error
 *                       -> dropped   the seventh run ended in Retry, or the instance
 *                                    is gone
 *                       -> queued    a Retry error, with next_at = when to run again
 * `attempts` counts runs started. After a crash or kill -9, queue_recover puts
 * every 'running' request back to 'queued': those are exactly the runs the
 * kill may have interrupted, the only ones that can run twice.
 *
 * Writes of the whole process take one lock (queue_begin .. queue_commit /
 * queue_rollback, and queue_insert) so srcfn's own threads never wait on
 * SQLite's busy handler for each other; other writers (delivery, other
 * commands) are waited for with short sleeps.
 *
 * A queue_db is one connection with its prepared statements: one thread at a
 * time uses it.
 */
#ifndef SRCFN_QUEUE_H
#define SRCFN_QUEUE_H

#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

typedef struct queue_db queue_db;

typedef struct queued_request {
    int64_t id;
    char *instance;
    int64_t received_at;   /* ms since the epoch */
    char *method;
    char *url;             /* as the function sees it */
    json_t *headers;       /* object: name -> string or array of strings */
    char *body;            /* NUL-terminated; body_len bytes */
    size_t body_len;
    int attempts;
} queued_request;

void queued_request_free(queued_request *r);

/* Opens the store of the workspace at root; NULL with *err (malloc'd). */
queue_db *queue_open(const char *root, char **err);
void queue_close(queue_db *q);
sqlite3 *queue_sqlite(queue_db *q);

/* Inserts a request as 'queued' and commits it; returns its id, or -1 with *err. */
int64_t queue_insert(queue_db *q, const queued_request *r, char **err);

/* Loads one request: 1 found, 0 not found, -1 error with *err. */
int queue_load(queue_db *q, int64_t id, queued_request *out, char **err);

/* Marks a request 'running' and counts the attempt (own transaction); sets
 * *attempt to its number (1 for the first run). 1 done, 0 the request is not
 * pending any more (nothing changed), -1 error. */
int queue_start_run(queue_db *q, int64_t id, int *attempt, char **err);

/* The write lock and transaction of the whole process. */
int queue_begin(queue_db *q, char **err);
int queue_commit(queue_db *q, char **err);
void queue_rollback(queue_db *q);

/* Inside a transaction: ends a request ('done', 'failed', 'dropped'), or puts
 * it back to 'queued' until next_at. */
int queue_finish(queue_db *q, int64_t id, const char *state, char **err);
int queue_requeue(queue_db *q, int64_t id, int64_t next_at, char **err);

/* At start: every 'running' request goes back to 'queued'; then each pending
 * request is handed to each() in id order. Returns how many, or -1. */
typedef void (*queue_each)(void *ctx, int64_t id, const char *instance, int64_t next_at);
long queue_recover(queue_db *q, queue_each each, void *ctx, char **err);

#endif
