/*
 * queue: the `requests` table (see queue.h).
 *
 * Invariants:
 *   - every write of srcfn serve's threads happens under write_lock, held
 *     from queue_begin to queue_commit/queue_rollback (or around the one
 *     INSERT of queue_insert), so SQLite's lock is only ever contended by
 *     other connections (delivery, other commands), which busy_wait absorbs;
 *   - statements are prepared once per connection and reset after each use.
 */
#include "webhook/queue.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "workspace/store.h"

#define BUSY_LIMIT_MS 10000

enum {
    ST_INSERT,
    ST_LOAD,
    ST_START,
    ST_FINISH,
    ST_REQUEUE,
    ST_COUNT
};

static const char *const statements[ST_COUNT] = {
    [ST_INSERT] = "INSERT INTO requests (instance, received_at, method, url, headers, body)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [ST_LOAD] = "SELECT instance, received_at, method, url, headers, body, attempts FROM requests WHERE id = ?1",
    [ST_START] = "UPDATE requests SET state = 'running', attempts = attempts + 1"
                 " WHERE id = ?1 AND state IN ('queued', 'running') RETURNING attempts",
    [ST_FINISH] = "UPDATE requests SET state = ?2, finished_at = ?3 WHERE id = ?1",
    [ST_REQUEUE] = "UPDATE requests SET state = 'queued', next_at = ?2 WHERE id = ?1",
};

struct queue_db {
    sqlite3 *db;
    sqlite3_stmt *st[ST_COUNT];
    int locked;
};

static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;

static char *xstrdup(const char *s)
{
    char *d = strdup(s ? s : "");
    if (!d)
        abort();
    return d;
}

static int fail(queue_db *q, char **err, const char *what)
{
    if (err) {
        char *msg = NULL;
        if (asprintf(&msg, "%s: %s", what, sqlite3_errmsg(q->db)) < 0)
            abort();
        *err = msg;
    }
    return -1;
}

/* Waits for another connection's write with short sleeps (SQLite's own
 * handler sleeps whole milliseconds and more, which shows in latency). */
static int busy_wait(void *arg, int count)
{
    (void)arg;
    if (count >= BUSY_LIMIT_MS)   /* about a millisecond a try past the first few */
        return 0;
    long us = count < 5 ? 50L << count : 1000;
    struct timespec ts = {0, us * 1000};
    nanosleep(&ts, NULL);
    return 1;
}

queue_db *queue_open(const char *root, char **err)
{
    sqlite3 *db = store_open(root, err);
    if (!db)
        return NULL;
    queue_db *q = calloc(1, sizeof *q);
    if (!q)
        abort();
    q->db = db;
    sqlite3_busy_handler(db, busy_wait, NULL);
    for (int i = 0; i < ST_COUNT; i++) {
        if (sqlite3_prepare_v3(db, statements[i], -1, SQLITE_PREPARE_PERSISTENT, &q->st[i], NULL) != SQLITE_OK) {
            fail(q, err, "cannot prepare the requests queue");
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
    return rc == SQLITE_DONE ? 0 : fail(q, err, what);
}

/* --- transactions ------------------------------------------------------------------------ */

int queue_begin(queue_db *q, char **err)
{
    pthread_mutex_lock(&write_lock);
    if (store_exec(q->db, "BEGIN IMMEDIATE", err) != 0) {
        pthread_mutex_unlock(&write_lock);
        return -1;
    }
    q->locked = 1;
    return 0;
}

int queue_commit(queue_db *q, char **err)
{
    int rc = store_exec(q->db, "COMMIT", err);
    if (rc != 0)
        store_exec(q->db, "ROLLBACK", NULL);
    q->locked = 0;
    pthread_mutex_unlock(&write_lock);
    return rc;
}

void queue_rollback(queue_db *q)
{
    if (!q->locked)
        return;
    store_exec(q->db, "ROLLBACK", NULL);
    q->locked = 0;
    pthread_mutex_unlock(&write_lock);
}

/* --- requests ------------------------------------------------------------------------------ */

int64_t queue_insert(queue_db *q, const queued_request *r, char **err)
{
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
    int64_t id = -1;
    pthread_mutex_lock(&write_lock);
    if (ok && step_done(q, st, err, "cannot store the request") == 0)
        id = sqlite3_last_insert_rowid(q->db);
    else if (!ok)
        fail(q, err, "cannot store the request");
    pthread_mutex_unlock(&write_lock);
    sqlite3_clear_bindings(st);
    free(headers);
    return id;
}

static char *column_text(sqlite3_stmt *st, int col)
{
    return xstrdup((const char *)sqlite3_column_text(st, col));
}

int queue_load(queue_db *q, int64_t id, queued_request *out, char **err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = stmt(q, ST_LOAD);
    if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK)
        return fail(q, err, "cannot load a request");
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        sqlite3_reset(st);
        return 0;
    }
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return fail(q, err, "cannot load a request");
    }
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
    sqlite3_reset(st);
    return 1;
}

int queue_start_run(queue_db *q, int64_t id, int *attempt, char **err)
{
    if (queue_begin(q, err) != 0)
        return -1;
    sqlite3_stmt *st = stmt(q, ST_START);
    int rc = sqlite3_bind_int64(st, 1, id) == SQLITE_OK ? sqlite3_step(st) : SQLITE_ERROR;
    int found = rc == SQLITE_ROW;
    if (found)
        *attempt = sqlite3_column_int(st, 0);
    if (found)
        rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        fail(q, err, "cannot mark a request running");
        queue_rollback(q);
        return -1;
    }
    if (queue_commit(q, err) != 0)
        return -1;
    return found;
}

int queue_finish(queue_db *q, int64_t id, const char *state, char **err)
{
    sqlite3_stmt *st = stmt(q, ST_FINISH);
    if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK || sqlite3_bind_text(st, 2, state, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, store_now_ms()) != SQLITE_OK)
        return fail(q, err, "cannot finish a request");
    return step_done(q, st, err, "cannot finish a request");
}

int queue_requeue(queue_db *q, int64_t id, int64_t next_at, char **err)
{
    sqlite3_stmt *st = stmt(q, ST_REQUEUE);
    if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK || sqlite3_bind_int64(st, 2, next_at) != SQLITE_OK)
        return fail(q, err, "cannot requeue a request");
    return step_done(q, st, err, "cannot requeue a request");
}

long queue_recover(queue_db *q, queue_each each, void *ctx, char **err)
{
    if (queue_begin(q, err) != 0)
        return -1;
    if (store_exec(q->db, "UPDATE requests SET state = 'queued' WHERE state = 'running'", err) != 0) {
        queue_rollback(q);
        return -1;
    }
    if (queue_commit(q, err) != 0)
        return -1;
    sqlite3_stmt *st = store_prepare(q->db, "SELECT id, instance, next_at FROM requests WHERE state = 'queued' ORDER BY id");
    if (!st)
        return fail(q, err, "cannot read the queue");
    long n = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        each(ctx, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1), sqlite3_column_int64(st, 2));
        n++;
    }
    if (rc != SQLITE_DONE)
        n = fail(q, err, "cannot read the queue");
    sqlite3_finalize(st);
    return n;
}
