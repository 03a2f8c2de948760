/*
 * queue: the durable work queue of `srcfn serve`: the tables request_data
 * (what arrived, written once) and request_state (where its runs are), shown
 * together as the view `requests` (see workspace/store.c).
 *
 * A webhook is inserted (and committed) before its sender hears 200. Its state
 * then moves
 *     queued -> running -> done      the run succeeded (its output queued for
 *                                    delivery in the same transaction)
 *                       -> failed    it threw anything but a Retry error
 *                       -> dropped   the seventh run ended in Retry, or the
 *                                    instance is gone
 *                       -> queued    a Retry error, with next_at = when to run again
 * `attempts` counts runs started. After a crash or kill -9,
 * queue_reset_interrupted puts every 'running' request back to 'queued':
 * those are exactly the runs the kill may have interrupted, the only ones
 * that can run twice.
 *
 * Writes go through one writer thread (queue_writer), which commits what all
 * threads asked for meanwhile in one transaction (group commit) and then
 * wakes them: the listener's threads never wait on a lock a busy worker holds,
 * and a commit is shared by every request that arrived during the previous
 * one. Each call blocks until its change is committed (or failed).
 *
 * A queue_db is one connection for reading (and for recovery and
 * checkpoints); one thread at a time uses it.
 */
#ifndef SRCFN_QUEUE_H
#define SRCFN_QUEUE_H

#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "webhook/errlog.h"

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

/* --- reading ------------------------------------------------------------------ */

typedef struct queue_db queue_db;

/* Opens the store of the workspace at root; NULL with *err (malloc'd). */
queue_db *queue_open(const char *root, char **err);
void queue_close(queue_db *q);
sqlite3 *queue_sqlite(queue_db *q);

/* Loads one request: 1 found, 0 not found, -1 error with *err. */
int queue_load(queue_db *q, int64_t id, queued_request *out, char **err);

/* At start, before anything runs: every 'running' request (a run a crash or
 * kill interrupted) goes back to 'queued'; *last gets the highest id stored.
 * 0, or -1 with *err. */
int queue_reset_interrupted(queue_db *q, int64_t *last, char **err);

/* Hands each pending request with an id up to last to each(), in id order
 * (those after last are new: the listener hands them over itself). Returns
 * how many, or -1 with *err. */
typedef void (*queue_each)(void *ctx, int64_t id, const char *instance, int64_t next_at);
long queue_recover(queue_db *q, int64_t last, queue_each each, void *ctx, char **err);

/* Copies what the write-ahead log holds into the database (PASSIVE: never
 * waits for writers). No connection of this module checkpoints on commit;
 * call it every few hundred ms. 0, or -1 with *err. */
int queue_checkpoint(queue_db *q, char **err);

/* Deletes up to `most` requests (what arrived and their state) that
 * finished (done, failed or dropped) before `before` (ms since the epoch),
 * the oldest first, in one transaction; never the newest request (so that
 * ids are never given twice). Returns how many, or -1 with *err. */
long queue_prune(queue_db *q, int64_t before, int most, char **err);

/* --- writing -------------------------------------------------------------------- */

typedef struct queue_writer queue_writer;

/* Starts the writer (and its checkpointer); NULL with *err. */
queue_writer *queue_writer_start(const char *root, char **err);

/* Commits what is pending, then stops the thread and frees. */
void queue_writer_stop(queue_writer *w);

/* Inserts a request as 'queued'; returns its id once committed, or -1 with *err. */
int64_t queue_insert(queue_writer *w, const queued_request *r, char **err);

/* The same without waiting: stored(ctx, tag, r, id, NULL) is called on the
 * writer's thread once the insert is committed, or stored(ctx, tag, r, -1, why)
 * when it failed; r is the callback's from then on. Nothing that the writer
 * needs may be held while calling it. queue_writer_stop reports every insert
 * handed over before it. */
typedef void (*queue_stored)(void *ctx, void *tag, queued_request *r, int64_t id, const char *err);
void queue_insert_async(queue_writer *w, queued_request *r, queue_stored stored, void *ctx, void *tag);

/* Marks a request 'running' and counts the attempt; *attempt gets its number
 * (1 for the first run). 1 done, 0 the request is not pending any more
 * (nothing changed), -1 error. */
int queue_start_run(queue_writer *w, int64_t id, int *attempt, char **err);

/* How a run ended, recorded in one transaction. */
typedef struct queue_outcome {
    int64_t id;
    const char *instance;
    int64_t received_at;
    const char *state;          /* 'done', 'failed', 'dropped'; NULL: back to 'queued' */
    int64_t next_at;            /* when state is NULL: when to run again */
    json_t *events, *objects;   /* 'done': handed to delivery_enqueue */
    const errlog_entry *error;  /* a failed run: added to the error log; else NULL */
} queue_outcome;

/* Records o; when then_start > 0, also marks that request running in the same
 * transaction (as queue_start_run: *then_attempt gets its attempt, 0 when it
 * is not pending any more), so a busy worker commits once per run. */
int queue_settle(queue_writer *w, const queue_outcome *o, int64_t then_start, int *then_attempt, char **err);

#endif
