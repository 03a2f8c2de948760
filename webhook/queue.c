/*
 * queue: the request tables and their writer thread (see queue.h).
 *
 * A request is two rows: request_data, inserted once with the body, and
 * request_state, the few small columns each run updates. So a run's two
 * updates (running, then its outcome) rewrite a page or two shared with
 * other requests, never the body's pages: in one table a row of an 8 KiB
 * body was rewritten whole, overflow pages included, at each update that
 * changed its size, which is most of them.
 *
 * The writer: callers put an op (on their own stack) on w->pending and wait
 * on the op's own condition until op->finished. The thread takes everything pending (at
 * most BATCH_MAX), runs it in one transaction and commits; when a statement
 * fails it rolls the batch back and runs each op in a transaction of its own,
 * so one bad op fails alone. Then it marks the ops finished and wakes all
 * waiters. An asynchronous insert (queue_insert_async) is an op of its own
 * allocation that nobody waits on: after the commit the writer calls its
 * callback, outside w->lock, and frees it.
 *
 * Batching: a commit costs about as much for a few rows as for dozens (the
 * pages it rewrites, the log frames, the wake-ups), and the listener hands
 * over requests one by one, faster than commits end. So while fewer than
 * BATCH_TARGET ops are pending and some are the listener's inserts, the
 * writer lingers up to LINGER_US after the first of them before it commits:
 * a lone request waits that much longer, and under load each commit
 * carries many. The workers' own ops alone are committed at once (they are
 * few and each worker waits for its own).
 *
 * Invariants:
 *   - only the writer thread uses w->db; an op is touched by its caller only
 *     before it is queued and after op->finished is set (under w->lock);
 *   - an insert's id is reported only after the commit that made it durable;
 *   - no connection of this module checkpoints on commit (which would stall
 *     the writer on fsync). The writer's own checkpointer thread copies the
 *     log into the database every CKPT_KICK_FRAMES frames (PASSIVE: the
 *     writer goes on meanwhile, and the pass's two fsyncs are off its path),
 *     in chunks small enough to still be in the page cache. Under a
 *     sustained load the log grows nonetheless (it starts over only at a
 *     transaction that finds it wholly copied): making it start over would
 *     take a checkpoint, fsyncs included, on the writer's path, and under
 *     heavy writeback one fsync takes tens of ms, every answer waiting (we
 *     measured p99 above 60 ms that way, and no more throughput). It starts
 *     over once the load eases, and is then cut back to 64 MiB (the store's
 *     journal_size_limit). serve also calls queue_checkpoint from its
 *     main thread for what other connections write;
 *   - statements are prepared once per connection and reset after each use.
 */
#include "webhook/queue.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "webhook/delivery.h"
#include "workspace/store.h"
#include "util/xalloc.h"

#define BUSY_YIELDS 16
#define BUSY_SHORT 200          /* 20 us sleeps: 4 ms */
#define BUSY_LIMIT_MS 10000     /* then 1 ms sleeps */
#define BATCH_MAX 256
#define BATCH_TARGET 32
#define LINGER_US 300
#define CKPT_KICK_FRAMES 1024   /* 4 MiB of log at 4 KiB pages */

enum { ST_INSERT, ST_INSERT_STATE, ST_LOAD, ST_START, ST_FINISH, ST_REQUEUE, ST_COUNT };

/* What arrived goes to request_data once; runs update only the small rows of
 * request_state (see workspace/store.c, schema version 2). */
static const char *const statements[ST_COUNT] = {
    [ST_INSERT] = "INSERT INTO request_data (instance, received_at, method, url, headers, body)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [ST_INSERT_STATE] = "INSERT INTO request_state (id) VALUES (?1)",
    [ST_LOAD] = "SELECT d.instance, d.received_at, d.method, d.url, d.headers, d.body, s.attempts"
                " FROM request_data d JOIN request_state s ON s.id = d.id WHERE d.id = ?1",
    [ST_START] = "UPDATE request_state SET state = 'running', attempts = attempts + 1"
                 " WHERE id = ?1 AND state IN ('queued', 'running') RETURNING attempts",
    [ST_FINISH] = "UPDATE request_state SET state = ?2, finished_at = ?3 WHERE id = ?1",
    [ST_REQUEUE] = "UPDATE request_state SET state = 'queued', next_at = ?2 WHERE id = ?1",
};

struct queue_db {
    sqlite3 *db;
    sqlite3_stmt *st[ST_COUNT];
};

static int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int fail(sqlite3 *db, char **err, const char *what)
{
    if (err && !*err) {
        char *msg = NULL;
        if (asprintf(&msg, "%s: %s", what, sqlite3_errmsg(db)) < 0)
            abort();
        *err = msg;
    }
    return -1;
}

/* Waits for another connection's write (delivery's, another command's):
 * yields, then sleeps 20 us, then 1 ms, for about BUSY_LIMIT_MS in all.
 * SQLite's own handler sleeps whole milliseconds from the start, which the
 * writer's every commit would feel while delivery writes. */
static int busy_wait(void *arg, int count)
{
    (void)arg;
    if (count < BUSY_YIELDS) {
        sched_yield();
        return 1;
    }
    if (count >= BUSY_YIELDS + BUSY_SHORT + BUSY_LIMIT_MS)
        return 0;
    long us = count < BUSY_YIELDS + BUSY_SHORT ? 20 : 1000;
    struct timespec ts = {0, us * 1000};
    nanosleep(&ts, NULL);
    return 1;
}

/* --- connections --------------------------------------------------------------------- */

queue_db *queue_open(const char *root, char **err)
{
    sqlite3 *db = store_open(root, err);
    if (!db)
        return NULL;
    queue_db *q = calloc(1, sizeof *q);
    if (!q)
        abort();
    q->db = db;
    if (sqlite3_busy_handler(db, busy_wait, NULL) != SQLITE_OK || sqlite3_wal_autocheckpoint(db, 0) != SQLITE_OK) {
        fail(db, err, "cannot set up the store connection");
        queue_close(q);
        return NULL;
    }
    for (int i = 0; i < ST_COUNT; i++) {
        if (sqlite3_prepare_v3(db, statements[i], -1, SQLITE_PREPARE_PERSISTENT, &q->st[i], NULL) != SQLITE_OK) {
            fail(db, err, "cannot prepare the requests queue");
            queue_close(q);
            return NULL;
        }
    }
    return q;
}

void queue_close(queue_db *q)
{
    if (!q)
        return;
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(q->st[i]);
    store_close(q->db);
    free(q);
}

sqlite3 *queue_sqlite(queue_db *q)
{
    return q->db;
}

void queued_request_free(queued_request *r)
{
    if (!r)
        return;
    free(r->instance);
    free(r->method);
    free(r->url);
    json_decref(r->headers);
    free(r->body);
    memset(r, 0, sizeof *r);
}

/* The statement, reset and unbound, ready for new values. */
static sqlite3_stmt *stmt(queue_db *q, int which)
{
    sqlite3_stmt *st = q->st[which];
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return st;
}

/* Runs a statement that returns no row; 0 or -1. */
static int step_done(queue_db *q, sqlite3_stmt *st, char **err, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : fail(q->db, err, what);
}

/* --- reading --------------------------------------------------------------------------- */

static char *column_text(sqlite3_stmt *st, int col)
{
    return xstrdup((const char *)sqlite3_column_text(st, col));
}

static void read_row(sqlite3_stmt *st, int64_t id, queued_request *out)
{
    out->id = id;
    out->instance = column_text(st, 0);
    out->received_at = sqlite3_column_int64(st, 1);
    out->method = column_text(st, 2);
    out->url = column_text(st, 3);
    json_error_t jerr;
    out->headers = json_loads((const char *)sqlite3_column_text(st, 4), 0, &jerr);
    if (!json_is_object(out->headers)) {
        json_decref(out->headers);
        out->headers = json_object();
    }
    out->body_len = (size_t)sqlite3_column_bytes(st, 5);
    out->body = malloc(out->body_len + 1);
    if (!out->body)
        abort();
    if (out->body_len)
        memcpy(out->body, sqlite3_column_blob(st, 5), out->body_len);
    out->body[out->body_len] = '\0';
    out->attempts = sqlite3_column_int(st, 6);
}

int queue_load(queue_db *q, int64_t id, queued_request *out, char **err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = stmt(q, ST_LOAD);
    if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK)
        return fail(q->db, err, "cannot load a request");
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_row(st, id, out);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return 1;
    return rc == SQLITE_DONE ? 0 : fail(q->db, err, "cannot load a request");
}

int queue_reset_interrupted(queue_db *q, int64_t *last, char **err)
{
    if (store_exec(q->db, "UPDATE request_state SET state = 'queued' WHERE state = 'running' AND finished_at IS NULL",
                   err) != 0)
        return -1;
    sqlite3_stmt *st = store_prepare(q->db, "SELECT coalesce(max(id), 0) FROM request_data");
    if (!st)
        return fail(q->db, err, "cannot read the queue");
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *last = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : fail(q->db, err, "cannot read the queue");
}

long queue_recover(queue_db *q, int64_t last, queue_each each, void *ctx, char **err)
{
    sqlite3_stmt *st = store_prepare(q->db, "SELECT s.id, d.instance, s.next_at FROM request_state s"
                                            " JOIN request_data d ON d.id = s.id WHERE s.state = 'queued'"
                                            " AND s.finished_at IS NULL AND s.id <= ?1 ORDER BY s.id");
    if (!st)
        return fail(q->db, err, "cannot read the queue");
    long n = 0;
    int rc = sqlite3_bind_int64(st, 1, last) == SQLITE_OK ? SQLITE_ROW : SQLITE_ERROR;
    while (rc == SQLITE_ROW && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        each(ctx, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1), sqlite3_column_int64(st, 2));
        n++;
    }
    if (rc != SQLITE_DONE)
        n = fail(q->db, err, "cannot read the queue");
    sqlite3_finalize(st);
    return n;
}

long queue_prune(queue_db *q, int64_t before, int most, char **err)
{
    /* The newest request stays whatever its age: SQLite numbers a new row
     * one past the highest, so ids never come back. */
    static const char *const steps[] = {
        "DELETE FROM request_data WHERE id IN (SELECT id FROM request_state WHERE finished_at < ?1"
        "  AND id < (SELECT max(id) FROM request_data) ORDER BY finished_at, id LIMIT ?2)",
        "DELETE FROM request_state WHERE NOT EXISTS (SELECT 1 FROM request_data d WHERE d.id = request_state.id)"
        "  AND id IN (SELECT id FROM request_state WHERE finished_at < ?1 ORDER BY finished_at, id LIMIT ?2)",
    };
    /* A look first, which takes no lock from the writer: most rounds find nothing. */
    sqlite3_stmt *look = store_prepare(q->db, "SELECT 1 FROM request_state WHERE finished_at < ?1 LIMIT 1");
    int rc = look && sqlite3_bind_int64(look, 1, before) == SQLITE_OK ? sqlite3_step(look) : SQLITE_ERROR;
    sqlite3_finalize(look);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE ? 0 : fail(q->db, err, "cannot read the queue");
    if (store_exec(q->db, "BEGIN IMMEDIATE", err) != 0)
        return -1;
    long n = 0;
    for (size_t i = 0; n >= 0 && i < sizeof steps / sizeof steps[0]; i++) {
        sqlite3_stmt *st = store_prepare(q->db, steps[i]);
        if (!st || sqlite3_bind_int64(st, 1, before) != SQLITE_OK || sqlite3_bind_int(st, 2, most) != SQLITE_OK ||
            sqlite3_step(st) != SQLITE_DONE)
            n = fail(q->db, err, "cannot delete finished requests");
        else
            n = sqlite3_changes(q->db);
        sqlite3_finalize(st);
    }
    if (n >= 0 && store_exec(q->db, "COMMIT", err) == 0)
        return n;
    store_exec(q->db, "ROLLBACK", NULL);
    return -1;
}

int queue_checkpoint(queue_db *q, char **err)
{
    int rc = sqlite3_wal_checkpoint_v2(q->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    return rc == SQLITE_OK || rc == SQLITE_BUSY ? 0 : fail(q->db, err, "cannot checkpoint the store");
}

/* --- the writer's operations --------------------------------------------------------------- */

enum { OP_INSERT, OP_START, OP_SETTLE };

typedef struct op {
    struct op *next;
    int kind;
    const queued_request *req;     /* OP_INSERT */
    queue_stored stored;           /* an asynchronous insert: called once committed (or failed) */
    void *stored_ctx, *stored_tag;
    int64_t id;                    /* OP_START, and OP_SETTLE's next run (0: none) */
    const queue_outcome *outcome;  /* OP_SETTLE */
    int64_t result;                /* the new id; the attempt (0: not pending) */
    int rc;
    char *err;
    int finished;
    pthread_cond_t cv;             /* signalled when finished */
} op;

struct queue_writer {
    queue_db *q;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t work_cv;
    op *pending, *last;
    int npending, nasync;      /* pending ops, and how many are asynchronous inserts */
    int64_t first_at_us;       /* monotonic time the oldest pending op was queued */
    int stopping;
    int wal_frames;            /* frames in the log after the last commit (writer thread only) */
    queue_db *ckpt_q;          /* the checkpointer's connection */
    pthread_t ckpt_thread;
    pthread_cond_t ckpt_cv;
    int ckpt_busy;             /* asked to run, or running (under lock) */
    int ckpt_done;             /* frames the last pass left copied (under lock) */
    atomic_int ckpt_failed;    /* an error was reported: said once */
};

static int do_insert(queue_db *q, op *o)
{
    const queued_request *r = o->req;
    char *headers = json_dumps(r->headers, JSON_COMPACT);
    if (!headers)
        abort();
    sqlite3_stmt *st = stmt(q, ST_INSERT);
    int ok = sqlite3_bind_text(st, 1, r->instance, -1, SQLITE_STATIC) == SQLITE_OK &&
             sqlite3_bind_int64(st, 2, r->received_at) == SQLITE_OK &&
             sqlite3_bind_text(st, 3, r->method, -1, SQLITE_STATIC) == SQLITE_OK &&
             sqlite3_bind_text(st, 4, r->url, -1, SQLITE_STATIC) == SQLITE_OK &&
             sqlite3_bind_text(st, 5, headers, -1, SQLITE_STATIC) == SQLITE_OK &&
             sqlite3_bind_blob(st, 6, r->body ? r->body : "", (int)r->body_len, SQLITE_STATIC) == SQLITE_OK;
    int rc = ok ? step_done(q, st, &o->err, "cannot store the request") : fail(q->db, &o->err, "cannot store the request");
    sqlite3_clear_bindings(st);
    free(headers);
    if (rc != 0)
        return rc;
    o->result = sqlite3_last_insert_rowid(q->db);
    st = stmt(q, ST_INSERT_STATE);
    if (sqlite3_bind_int64(st, 1, o->result) != SQLITE_OK)
        return fail(q->db, &o->err, "cannot store the request");
    return step_done(q, st, &o->err, "cannot store the request");
}

static int do_start(queue_db *q, op *o)
{
    sqlite3_stmt *st = stmt(q, ST_START);
    int rc = sqlite3_bind_int64(st, 1, o->id) == SQLITE_OK ? sqlite3_step(st) : SQLITE_ERROR;
    o->result = 0;
    if (rc == SQLITE_ROW) {
        o->result = sqlite3_column_int(st, 0);
        rc = sqlite3_step(st);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : fail(q->db, &o->err, "cannot mark a request running");
}

static int finish(queue_db *q, int64_t id, const char *state, char **err)
{
    sqlite3_stmt *st = stmt(q, ST_FINISH);
    if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK || sqlite3_bind_text(st, 2, state, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, store_now_ms()) != SQLITE_OK)
        return fail(q->db, err, "cannot finish a request");
    return step_done(q, st, err, "cannot finish a request");
}

static int requeue(queue_db *q, int64_t id, int64_t next_at, char **err)
{
    sqlite3_stmt *st = stmt(q, ST_REQUEUE);
    if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK || sqlite3_bind_int64(st, 2, next_at) != SQLITE_OK)
        return fail(q->db, err, "cannot requeue a request");
    return step_done(q, st, err, "cannot requeue a request");
}

static int do_settle(queue_db *q, op *o)
{
    const queue_outcome *out = o->outcome;
    if (o->id > 0 && do_start(q, o) != 0)
        return -1;
    if (out->error && errlog_add(q->db, out->error, &o->err) != 0)
        return -1;
    if (!out->state)
        return requeue(q, out->id, out->next_at, &o->err);
    if (finish(q, out->id, out->state, &o->err) != 0)
        return -1;
    if (strcmp(out->state, "done") == 0 &&
        delivery_enqueue(q->db, out->instance, out->events, out->objects, out->received_at) != 0)
        return fail(q->db, &o->err, "cannot queue the run's output for delivery");
    return 0;
}

static int do_op(queue_db *q, op *o)
{
    free(o->err);
    o->err = NULL;
    switch (o->kind) {
    case OP_INSERT: return do_insert(q, o);
    case OP_START: return do_start(q, o);
    default: return do_settle(q, o);
    }
}

/* --- the writer thread ------------------------------------------------------------------------ */

/* Runs ops in one transaction: 0 committed, -1 not (nothing of it stays). */
static int run_batch(queue_db *q, op *ops, char **err)
{
    if (store_exec(q->db, "BEGIN IMMEDIATE", err) != 0)
        return -1;
    for (op *o = ops; o; o = o->next) {
        if (do_op(q, o) != 0) {
            store_exec(q->db, "ROLLBACK", NULL);
            return -1;
        }
    }
    if (store_exec(q->db, "COMMIT", err) != 0) {
        store_exec(q->db, "ROLLBACK", NULL);
        return -1;
    }
    return 0;
}

/* After a failed batch: each op alone, so only the bad one fails. */
static void run_each(queue_db *q, op *ops)
{
    for (op *o = ops; o; o = o->next) {
        op *next = o->next;
        o->next = NULL;
        char *err = NULL;
        o->rc = run_batch(q, o, &err);
        if (o->rc != 0 && !o->err)
            o->err = err ? err : xstrdup("cannot write to the store");
        else
            free(err);
        o->next = next;
    }
}

/* Takes at most BATCH_MAX pending ops (under w->lock). */
static op *take_batch(queue_writer *w)
{
    op *first = w->pending, *o = first;
    for (int n = 1; o && o->next && n < BATCH_MAX; n++)
        o = o->next;
    w->pending = o ? o->next : NULL;
    if (!w->pending)
        w->last = NULL;
    if (o)
        o->next = NULL;
    for (op *t = first; t; t = t->next) {
        w->npending--;
        w->nasync -= t->stored != NULL;
    }
    if (w->pending)
        w->first_at_us = 0;   /* what is left waited long enough */
    return first;
}

/* Waits (under w->lock) while a batch of listener inserts is still filling:
 * fewer than BATCH_TARGET pending and the oldest younger than LINGER_US. */
static void linger(queue_writer *w)
{
    int64_t until = w->first_at_us + LINGER_US;
    while (!w->stopping && w->nasync > 0 && w->npending < BATCH_TARGET && mono_us() < until) {
        struct timespec ts = {(time_t)(until / 1000000), (long)(until % 1000000) * 1000L};
        pthread_cond_timedwait(&w->work_cv, &w->lock, &ts);
    }
}

/* --- checkpoints ------------------------------------------------------------------------------- */

/* SQLite calls it on the writer's thread after each commit. */
static int on_wal_commit(void *arg, sqlite3 *db, const char *name, int frames)
{
    (void)db;
    (void)name;
    queue_writer *w = arg;
    w->wal_frames = frames;
    return SQLITE_OK;
}

/* A PASSIVE checkpoint on q; the frames copied so far, or 0 after an error
 * (reported once: the next pass tries again). */
static int checkpoint_pass(queue_writer *w, queue_db *q)
{
    int logged = 0, copied = 0;
    int rc = sqlite3_wal_checkpoint_v2(q->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &logged, &copied);
    if (rc == SQLITE_OK)
        return copied;
    if (rc != SQLITE_BUSY && !atomic_exchange(&w->ckpt_failed, 1))
        fprintf(stderr, "srcfn serve: cannot checkpoint the store: %s\n", sqlite3_errmsg(q->db));
    return 0;
}

static void *checkpointer_main(void *arg)
{
    queue_writer *w = arg;
    (void)pthread_setname_np(pthread_self(), "srcfn-ckpt");   /* for ps and top; unnamed is harmless */
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (!w->ckpt_busy && !w->stopping)
            pthread_cond_wait(&w->ckpt_cv, &w->lock);
        if (w->stopping)
            break;
        pthread_mutex_unlock(&w->lock);
        int copied = checkpoint_pass(w, w->ckpt_q);
        pthread_mutex_lock(&w->lock);
        w->ckpt_busy = 0;
        w->ckpt_done = copied;
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

/* After a commit, on the writer's thread: CKPT_KICK_FRAMES more of log than
 * the last pass copied go to the checkpointer. */
static void after_commit(queue_writer *w)
{
    int frames = w->wal_frames;
    pthread_mutex_lock(&w->lock);
    if (w->ckpt_done > frames)
        w->ckpt_done = 0;   /* the log started over since that pass */
    if (!w->ckpt_busy && frames - w->ckpt_done >= CKPT_KICK_FRAMES) {
        w->ckpt_busy = 1;
        pthread_cond_signal(&w->ckpt_cv);
    }
    pthread_mutex_unlock(&w->lock);
}

/* --- the writer thread (continued) ------------------------------------------------------------------------ */

/* Calls the callbacks of a batch's asynchronous inserts (not under w->lock:
 * they may take other locks) and frees them. */
static void report_stored(op *async)
{
    for (op *o = async, *next; o; o = next) {
        next = o->next;
        o->stored(o->stored_ctx, o->stored_tag, (queued_request *)o->req, o->rc == 0 ? o->result : -1,
                  o->rc == 0 ? NULL : o->err ? o->err : "cannot write to the store");
        free(o->err);
        free(o);
    }
}

/* Wakes the waiting callers of a batch (under w->lock: a caller's op lives on
 * its stack, so it is not touched after its finished flag is set) and
 * returns its asynchronous ops, still linked. */
static op *finish_batch(op *batch)
{
    op *async = NULL, **tail = &async;
    for (op *o = batch, *next; o; o = next) {
        next = o->next;
        if (o->stored) {
            o->next = NULL;
            *tail = o;
            tail = &o->next;
            continue;
        }
        o->finished = 1;
        pthread_cond_signal(&o->cv);
    }
    return async;
}

static void *writer_main(void *arg)
{
    queue_writer *w = arg;
    (void)pthread_setname_np(pthread_self(), "srcfn-writer");   /* for ps and top; unnamed is harmless */
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (!w->pending && !w->stopping)
            pthread_cond_wait(&w->work_cv, &w->lock);
        if (!w->pending)
            break;
        linger(w);
        op *batch = take_batch(w);
        pthread_mutex_unlock(&w->lock);
        char *err = NULL;
        if (run_batch(w->q, batch, &err) == 0) {
            for (op *o = batch; o; o = o->next)
                o->rc = 0;
        } else {
            run_each(w->q, batch);
        }
        free(err);
        pthread_mutex_lock(&w->lock);
        op *async = finish_batch(batch);
        pthread_mutex_unlock(&w->lock);
        report_stored(async);
        after_commit(w);
        pthread_mutex_lock(&w->lock);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

/* Puts an op at the end of the pending list and wakes the writer (under w->lock). */
static void enqueue(queue_writer *w, op *o)
{
    if (w->last) {
        w->last->next = o;
    } else {
        w->pending = o;
        w->first_at_us = mono_us();
    }
    w->last = o;
    w->npending++;
    w->nasync += o->stored != NULL;
    /* Wakes the writer for the first op, a full batch, or a worker's op
     * (committed at once unless listener inserts are lingering). */
    if (w->npending == 1 || w->npending == BATCH_TARGET || !o->stored)
        pthread_cond_signal(&w->work_cv);
}

/* Hands an op to the writer and waits until it is committed or failed. */
static int submit(queue_writer *w, op *o, char **err)
{
    if (pthread_cond_init(&o->cv, NULL) != 0)
        abort();
    pthread_mutex_lock(&w->lock);
    enqueue(w, o);
    while (!o->finished)
        pthread_cond_wait(&o->cv, &w->lock);
    pthread_mutex_unlock(&w->lock);
    pthread_cond_destroy(&o->cv);
    if (o->rc != 0 && err)
        *err = o->err ? o->err : xstrdup("cannot write to the store");
    else
        free(o->err);
    return o->rc;
}

static void writer_free(queue_writer *w)
{
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->work_cv);
    pthread_cond_destroy(&w->ckpt_cv);
    queue_close(w->q);
    queue_close(w->ckpt_q);
    free(w);
}

queue_writer *queue_writer_start(const char *root, char **err)
{
    queue_writer *w = calloc(1, sizeof *w);
    if (!w)
        abort();
    pthread_condattr_t attr;
    if (pthread_mutex_init(&w->lock, NULL) != 0 || pthread_condattr_init(&attr) != 0 ||
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) != 0 || pthread_cond_init(&w->work_cv, &attr) != 0 ||
        pthread_cond_init(&w->ckpt_cv, NULL) != 0)
        abort();
    pthread_condattr_destroy(&attr);
    w->q = queue_open(root, err);
    w->ckpt_q = w->q ? queue_open(root, err) : NULL;
    if (!w->ckpt_q) {
        writer_free(w);
        return NULL;
    }
    sqlite3_wal_hook(w->q->db, on_wal_commit, w);
    if (pthread_create(&w->ckpt_thread, NULL, checkpointer_main, w) != 0) {
        *err = xstrdup("cannot start the store's checkpointer thread");
        writer_free(w);
        return NULL;
    }
    if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
        *err = xstrdup("cannot start the store's writer thread");
        pthread_mutex_lock(&w->lock);
        w->stopping = 1;
        pthread_cond_signal(&w->ckpt_cv);
        pthread_mutex_unlock(&w->lock);
        pthread_join(w->ckpt_thread, NULL);
        writer_free(w);
        return NULL;
    }
    return w;
}

void queue_writer_stop(queue_writer *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->stopping = 1;
    pthread_cond_signal(&w->work_cv);
    pthread_cond_signal(&w->ckpt_cv);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_join(w->ckpt_thread, NULL);
    writer_free(w);
}

int64_t queue_insert(queue_writer *w, const queued_request *r, char **err)
{
    op o = {.kind = OP_INSERT, .req = r, .rc = -1};
    return submit(w, &o, err) == 0 ? o.result : -1;
}

void queue_insert_async(queue_writer *w, queued_request *r, queue_stored stored, void *ctx, void *tag)
{
    op *o = calloc(1, sizeof *o);
    if (!o)
        abort();
    o->kind = OP_INSERT;
    o->req = r;
    o->rc = -1;
    o->stored = stored;
    o->stored_ctx = ctx;
    o->stored_tag = tag;
    pthread_mutex_lock(&w->lock);
    enqueue(w, o);
    pthread_mutex_unlock(&w->lock);
}

int queue_start_run(queue_writer *w, int64_t id, int *attempt, char **err)
{
    op o = {.kind = OP_START, .id = id, .rc = -1};
    if (submit(w, &o, err) != 0)
        return -1;
    *attempt = (int)o.result;
    return o.result > 0;
}

int queue_settle(queue_writer *w, const queue_outcome *out, int64_t then_start, int *then_attempt, char **err)
{
    op o = {.kind = OP_SETTLE, .outcome = out, .id = then_start, .rc = -1};
    int rc = submit(w, &o, err);
    if (then_attempt)
        *then_attempt = rc == 0 ? (int)o.result : 0;
    return rc;
}
