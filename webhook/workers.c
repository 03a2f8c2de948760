/*
 * workers: the run queue and the worker threads of `srcfn serve` (see
 * workers.h).
 *
 * The run queue lives in memory; the store is the truth. A job is a request
 * id, with the request's content when the listener handed it over (up to
 * PRELOAD_MAX bytes of bodies in all; past that, jobs carry only their id and
 * the worker loads the request). Jobs not yet due (retries) wait in a min-heap
 * on their due time, then join their instance's lane.
 *
 * Invariants (all under w->lock):
 *   - a lane exists while it has jobs or runs in progress; lane->running
 *     counts its jobs taken and not yet done;
 *   - preload_bytes is the sum of the bodies of preloaded jobs in lanes and
 *     in the heap;
 *   - once stopping is set no job is taken and submitted jobs are freed.
 * A worker's engines and store connection (for reading) are its own and
 * touched by no other thread; writes go through the queue's writer.
 * Workers run under SCHED_IDLE (nice WORKERS_NICE where that is refused):
 * under load the listener and the writer answer webhooks first, the durable
 * queue absorbs the burst, and runs take the CPU that is left.
 */
#include "webhook/workers.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "engine/engine.h"
#include "webhook/errlog.h"
#include "webhook/server.h"
#include "workspace/deploy.h"
#include "workspace/secrets.h"
#include "workspace/store.h"
#include "util/clock.h"
#include "util/xalloc.h"

#define PRELOAD_MAX (64u * 1024 * 1024)
#define WORKERS_NICE 19

typedef struct lane lane;

typedef struct job {
    struct job *next;
    int64_t id;
    char *instance;
    int64_t due;           /* ms since the epoch */
    queued_request *req;   /* NULL: load it */
    lane *lane;
    int started;           /* marked running by the previous run's settle: 1 (attempt
                            * in attempt), -1 it was not pending any more; 0 not yet */
    int attempt;
} job;

struct lane {
    lane *next;
    char *instance;
    job *head, *tail;
    int running;
    double avg_ms;         /* moving average of run time; < 0: none yet */
    int64_t last_take;     /* monotonic ms when a job of it last started */
};

typedef struct warm {
    char *instance;
    char *token;
    char *function;
    int version;
    engine *e;
    json_t *load_error;    /* the version does not load: every run fails so */
    uint64_t used;
} warm;

typedef struct worker {
    struct workers *pool;
    pthread_t thread;
    queue_db *q;
    warm warm[WORKERS_WARM_MAX];
    uint64_t clock;
} worker;

struct workers {
    registry *reg;
    delivery *delivery;
    queue_writer *writer;
    workers_options opt;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    lane *lanes, *cursor;
    job **heap;
    size_t nheap, heap_cap;
    size_t preload_bytes;
    atomic_size_t jobs;    /* jobs alive: submitted, not yet freed (workers_backlog) */
    int stopping;
    int started;           /* threads running */
    worker *ws;
};

/* --- jobs ------------------------------------------------------------------------------- */

static size_t job_bytes(const job *j)
{
    return j->req ? j->req->body_len + 256 : 0;
}

static void job_free(workers *w, job *j)
{
    if (!j)
        return;
    atomic_fetch_sub(&w->jobs, 1);
    if (j->req) {
        queued_request_free(j->req);
        free(j->req);
    }
    free(j->instance);
    free(j);
}

/* --- lanes (under w->lock) ------------------------------------------------------------------ */

static lane *lane_for(workers *w, const char *instance)
{
    for (lane *l = w->lanes; l; l = l->next) {
        if (strcmp(l->instance, instance) == 0)
            return l;
    }
    lane *l = calloc(1, sizeof *l);
    if (!l)
        abort();
    l->instance = xstrdup(instance);
    l->avg_ms = -1;
    l->next = w->lanes;
    w->lanes = l;
    return l;
}

static void lane_push(workers *w, job *j)
{
    lane *l = lane_for(w, j->instance);
    j->lane = l;
    j->next = NULL;
    if (l->tail)
        l->tail->next = j;
    else
        l->head = j;
    l->tail = j;
}

/* Frees a lane with nothing queued or running. */
static void lane_drop_if_idle(workers *w, lane *l)
{
    if (l->head || l->running)
        return;
    lane **p = &w->lanes;
    while (*p && *p != l)
        p = &(*p)->next;
    if (*p)
        *p = l->next;
    if (w->cursor == l)
        w->cursor = NULL;
    free(l->instance);
    free(l);
}

/* Whether a lane may start one more run now: a slow lane (its runs took
 * WORKERS_SLOW_MS on average, or the one it started last has been running
 * that long) holds at most count - 1 workers. */
static int lane_may_run(const workers *w, const lane *l, int64_t now)
{
    if (!l->head)
        return 0;
    int count = w->opt.count;
    int slow = l->avg_ms >= WORKERS_SLOW_MS || (l->running > 0 && now - l->last_take >= WORKERS_SLOW_MS);
    return count < 2 || !slow || l->running < count - 1;
}

/* The next lane after the cursor, round-robin, that may run; NULL if none. */
static lane *lane_next(workers *w)
{
    lane *start = w->cursor && w->cursor->next ? w->cursor->next : w->lanes;
    lane *l = start;
    int64_t now = mono_ms();
    while (l) {
        if (lane_may_run(w, l, now))
            return l;
        l = l->next ? l->next : w->lanes;
        if (l == start)
            break;
    }
    return NULL;
}

/* --- the heap of jobs not yet due (under w->lock) -------------------------------------------- */

static void heap_swap(job **h, size_t a, size_t b)
{
    job *t = h[a];
    h[a] = h[b];
    h[b] = t;
}

static void heap_push(workers *w, job *j)
{
    if (w->nheap == w->heap_cap) {
        w->heap_cap = w->heap_cap ? w->heap_cap * 2 : 64;
        w->heap = realloc(w->heap, w->heap_cap * sizeof *w->heap);
        if (!w->heap)
            abort();
    }
    size_t i = w->nheap++;
    w->heap[i] = j;
    while (i > 0 && w->heap[(i - 1) / 2]->due > w->heap[i]->due) {
        heap_swap(w->heap, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
}

static job *heap_pop(workers *w)
{
    job *top = w->heap[0];
    w->heap[0] = w->heap[--w->nheap];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < w->nheap && w->heap[l]->due < w->heap[m]->due)
            m = l;
        if (r < w->nheap && w->heap[r]->due < w->heap[m]->due)
            m = r;
        if (m == i)
            break;
        heap_swap(w->heap, i, m);
        i = m;
    }
    return top;
}

/* Moves the jobs that are due into their lanes. */
static void promote_due(workers *w, int64_t now)
{
    while (w->nheap > 0 && w->heap[0]->due <= now)
        lane_push(w, heap_pop(w));
}

/* --- submitting and taking -------------------------------------------------------------------- */

size_t workers_backlog(workers *w)
{
    return atomic_load(&w->jobs);
}

void workers_submit(workers *w, int64_t id, const char *instance, int64_t due_ms, queued_request *r)
{
    job *j = calloc(1, sizeof *j);
    if (!j)
        abort();
    atomic_fetch_add(&w->jobs, 1);
    j->id = id;
    j->instance = xstrdup(instance);
    j->due = due_ms;
    j->req = r;
    pthread_mutex_lock(&w->lock);
    if (w->stopping) {
        pthread_mutex_unlock(&w->lock);
        job_free(w, j);
        return;
    }
    if (w->preload_bytes + job_bytes(j) > PRELOAD_MAX) {
        queued_request_free(j->req);
        free(j->req);
        j->req = NULL;
    }
    w->preload_bytes += job_bytes(j);
    if (j->due > store_now_ms())
        heap_push(w, j);
    else
        lane_push(w, j);
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
}

static void wait_until(workers *w, int64_t due)
{
    if (w->nheap == 0 || due <= 0) {
        pthread_cond_wait(&w->wake, &w->lock);
        return;
    }
    struct timespec ts = {(time_t)(due / 1000), (long)(due % 1000) * 1000000L};
    pthread_cond_timedwait(&w->wake, &w->lock, &ts);
}

/* The next job that may run now, or NULL (under w->lock). */
static job *take_ready(workers *w)
{
    promote_due(w, store_now_ms());
    lane *l = lane_next(w);
    if (!l)
        return NULL;
    job *j = l->head;
    l->head = j->next;
    if (!l->head)
        l->tail = NULL;
    l->running++;
    l->last_take = mono_ms();
    w->cursor = l;
    w->preload_bytes -= job_bytes(j);
    return j;
}

/* The next job to run, waiting for one; NULL when the pool stops. */
static job *take(workers *w)
{
    pthread_mutex_lock(&w->lock);
    job *j = NULL;
    while (!w->stopping && (j = take_ready(w)) == NULL)
        wait_until(w, w->nheap ? w->heap[0]->due : 0);
    pthread_mutex_unlock(&w->lock);
    return j;
}

/* The next job if one may run now (without waiting), else NULL. */
static job *try_take(workers *w)
{
    pthread_mutex_lock(&w->lock);
    job *j = w->stopping ? NULL : take_ready(w);
    pthread_mutex_unlock(&w->lock);
    return j;
}

/* A job's run is over: its lane may take more. */
static void done(workers *w, job *j, int64_t ms)
{
    pthread_mutex_lock(&w->lock);
    lane *l = j->lane;
    l->running--;
    l->avg_ms = l->avg_ms < 0 ? (double)ms : l->avg_ms * 0.8 + (double)ms * 0.2;
    lane_drop_if_idle(w, l);
    pthread_cond_broadcast(&w->wake);
    pthread_mutex_unlock(&w->lock);
}

/* --- warm engines ------------------------------------------------------------------------------- */

static void warm_clear(warm *m)
{
    free(m->instance);
    free(m->token);
    free(m->function);
    json_decref(m->load_error);
    m->instance = m->token = m->function = NULL;
    m->load_error = NULL;
    m->version = 0;
}

static int warm_matches(const warm *m, const instance_row *inst)
{
    return m->version == inst->version && strcmp(m->token, inst->token) == 0 &&
           strcmp(m->function, inst->function) == 0;
}

/* Loads the instance's version into m (a fresh heap: nothing of what ran
 * there before survives). */
static void warm_load(worker *k, warm *m, const instance_row *inst)
{
    warm_clear(m);
    m->instance = xstrdup(inst->name);
    m->token = xstrdup(inst->token);
    m->function = xstrdup(inst->function);
    m->version = inst->version;
    fn_version v;
    char *err = NULL;
    int found = deploy_load(queue_sqlite(k->q), inst->function, inst->version, &v, &err);
    if (found != 1) {
        char msg[256];
        snprintf(msg, sizeof msg, "cannot load version %d of %s: %s", inst->version, inst->function,
                 err ? err : "no such version");
        m->load_error = engine_error(ERR_BAD_REQUEST, "InternalError", msg, 0);
        free(err);
        return;
    }
    if (!m->e)
        m->e = engine_new(NULL);
    json_t *error = NULL;
    if (!m->e)
        m->load_error = engine_error(ERR_BAD_REQUEST, "InternalError", "cannot start the JavaScript engine", 0);
    else if (engine_load(m->e, v.code, v.code_len, "handler.js", json_object_get(v.manifest, "settings"), &error) != 0)
        m->load_error = error;
    if (m->load_error) {
        /* Top-level code that threw half-way left its globals: never reuse that heap. */
        engine_free(m->e);
        m->e = NULL;
    }
    fn_version_free(&v);
}

/* The worker's engine for an instance on its current version. */
static warm *warm_for(worker *k, const instance_row *inst)
{
    warm *slot = NULL;
    for (int i = 0; i < WORKERS_WARM_MAX && !slot; i++) {
        if (k->warm[i].instance && strcmp(k->warm[i].instance, inst->name) == 0)
            slot = &k->warm[i];
    }
    for (int i = 0; i < WORKERS_WARM_MAX && !slot; i++) {
        if (!k->warm[i].instance)
            slot = &k->warm[i];
    }
    if (!slot) {
        slot = &k->warm[0];
        for (int i = 1; i < WORKERS_WARM_MAX; i++) {
            if (k->warm[i].used < slot->used)
                slot = &k->warm[i];
        }
    }
    if (!slot->instance || strcmp(slot->instance, inst->name) != 0 || !warm_matches(slot, inst))
        warm_load(k, slot, inst);
    slot->used = ++k->clock;
    return slot;
}

/* --- one run ---------------------------------------------------------------------------------------- */

static const char *header_value(json_t *headers, const char *name)
{
    const char *key;
    json_t *v;
    json_object_foreach(headers, key, v) {
        if (strcasecmp(key, name) == 0)
            return json_string_value(json_is_array(v) ? json_array_get(v, 0) : v);
    }
    return NULL;
}

/* Whether json() gives the body's object keys sorted at every depth: for a
 * JSON body, as Segment does for a deployed function. The engine sorts as it
 * parses (the order jsonsort gives), so the body is parsed once per run;
 * text() keeps the raw body, so a signature over the bytes the provider
 * sent still verifies. */
static int sorts_keys(const queued_request *r)
{
    return r->body_len > 0 && server_body_type(header_value(r->headers, "Content-Type")) == SERVER_BODY_JSON;
}

static json_t *failed_result(json_t *error)
{
    return json_pack("{s:[], s:[], s:[], s:O, s:i}", "events", "objects", "logs", "error", error, "durationMs", 0);
}

/* Runs the request on the instance's engine. Settings whose sealed values
 * did not open fail the run as Invalid Settings without running it. A failed
 * run's console lines and error have the instance's secrets masked, since
 * they go to the error log and stderr. */
static json_t *invoke(worker *k, const instance_row *inst, const engine_request *er)
{
    json_t *result;
    if (inst->settings_error) {
        json_t *error = engine_error(ERR_INVALID_SETTINGS, "InvalidSettingsError", inst->settings_error, 0);
        result = failed_result(error);
        json_decref(error);
    } else {
        warm *m = warm_for(k, inst);
        result = m->load_error ? failed_result(m->load_error) : engine_invoke(m->e, er, inst->settings);
    }
    json_t *error = json_object_get(result, "error");
    if (error && !json_is_null(error) && json_array_size(inst->secrets) > 0)
        secrets_mask_run_output(result, inst->secrets);
    return result;
}

/* The request as logged with an error: what the function was given. */
/* The request as the error log keeps it: the raw body, so that reproducing
 * the failure (signature checks included) sees what the provider sent. */
static json_t *logged_request(const queued_request *r)
{
    json_t *b = json_stringn(r->body, r->body_len);
    return json_pack("{s:s, s:s, s:O, s:o}", "method", r->method, "url", r->url, "headers", r->headers, "body",
                     b ? b : json_null());
}

static void report(const queued_request *r, json_t *error, int attempt, int final, int64_t delay)
{
    json_t *line = json_object_get(error, "line");
    char where[32] = "";
    if (json_is_integer(line))
        snprintf(where, sizeof where, " (line %lld)", (long long)json_integer_value(line));
    char next[64];
    if (final)
        snprintf(next, sizeof next, "%s", attempt > 1 ? "given up" : "not retried");
    else
        snprintf(next, sizeof next, "retry in %lld ms", (long long)delay);
    fprintf(stderr, "srcfn serve: %s: request %lld failed, attempt %d: %s: %s: %s%s; %s\n", r->instance,
            (long long)r->id, attempt, json_string_value(json_object_get(error, "type")),
            json_string_value(json_object_get(error, "name")), json_string_value(json_object_get(error, "message")),
            where, next);
}

/* Records a run's outcome (one transaction, which also marks next running
 * when there is a next job) and reports a failure. */
static void settle(worker *k, const queued_request *r, int attempt, json_t *result, job *next)
{
    workers *w = k->pool;
    json_t *error = json_object_get(result, "error");
    int ok = !error || json_is_null(error);
    const char *type = json_string_value(json_object_get(error, "type"));
    int retry = !ok && type && strcmp(type, ERR_RETRY) == 0;
    int final = !retry || attempt >= WORKERS_MAX_ATTEMPTS;
    int64_t now = store_now_ms();
    int64_t delay = (int64_t)w->opt.retry_base_ms << (attempt > 1 ? (attempt - 1 > 20 ? 20 : attempt - 1) : 0);
    json_t *request = ok ? NULL : logged_request(r);
    errlog_entry e = {r->instance, now, request, json_object_get(result, "logs"), error, attempt, final};
    queue_outcome out = {
        .id = r->id,
        .instance = r->instance,
        .received_at = r->received_at,
        .state = ok ? "done" : !final ? NULL : retry ? "dropped" : "failed",
        .next_at = now + delay,
        .events = json_object_get(result, "events"),
        .objects = json_object_get(result, "objects"),
        .error = ok ? NULL : &e,
    };
    char *err = NULL;
    int next_attempt = 0;
    int rc = queue_settle(w->writer, &out, next ? next->id : 0, &next_attempt, &err);
    json_decref(request);
    if (next && rc == 0) {
        next->started = next_attempt > 0 ? 1 : -1;
        next->attempt = next_attempt;
    }
    if (rc != 0) {
        fprintf(stderr, "srcfn serve: request %lld: cannot record its run (%s); it runs again at the next start\n",
                (long long)r->id, err ? err : "store error");
        free(err);
        return;
    }
    if (ok) {
        delivery_notify(w->delivery);
        return;
    }
    report(r, error, attempt, final, delay);
    if (!final)
        workers_submit(w, r->id, r->instance, now + delay, NULL);
}

/* Ends a request whose instance is gone (disconnected meanwhile). */
static void drop_orphan(worker *k, const queued_request *r)
{
    queue_outcome out = {.id = r->id, .instance = r->instance, .state = "dropped"};
    char *err = NULL;
    if (queue_settle(k->pool->writer, &out, 0, NULL, &err) == 0) {
        fprintf(stderr, "srcfn serve: request %lld dropped: instance %s is no longer connected\n", (long long)r->id,
                r->instance);
        return;
    }
    fprintf(stderr, "srcfn serve: request %lld: %s\n", (long long)r->id, err ? err : "store error");
    free(err);
}

/* Marks the job's request running unless the previous settle did: 1 it may
 * run (*attempt set), 0 it is not pending any more, -1 error. */
static int start_run(worker *k, job *j, int64_t id, int *attempt)
{
    if (j->started != 0) {
        *attempt = j->attempt;
        return j->started > 0;
    }
    char *err = NULL;
    int started = queue_start_run(k->pool->writer, id, attempt, &err);
    if (started < 0)
        fprintf(stderr, "srcfn serve: request %lld: %s\n", (long long)id, err ? err : "store error");
    free(err);
    return started;
}

/* Runs one request; returns the job to run next when one was ready (already
 * marked running in the same transaction as this run's outcome), else NULL. */
static job *run_request(worker *k, job *j, const queued_request *r)
{
    registry_snap *snap = registry_get(k->pool->reg);
    const instance_row *inst = registry_by_name(snap, r->instance);
    int attempt = 0;
    job *next = NULL;
    if (!inst || inst->version <= 0) {
        drop_orphan(k, r);
    } else if (start_run(k, j, r->id, &attempt) == 1) {
        engine_request er = {
            .method = r->method, .url = r->url, .headers = r->headers,
            .body = r->body, .body_len = r->body_len,
            .sort_keys = sorts_keys(r),
        };
        json_t *result = invoke(k, inst, &er);
        next = try_take(k->pool);
        settle(k, r, attempt, result, next);
        json_decref(result);
    }
    registry_put(snap);
    return next;
}

static job *run_job(worker *k, job *j)
{
    queued_request loaded;
    queued_request *r = j->req;
    if (!r) {
        char *err = NULL;
        int found = queue_load(k->q, j->id, &loaded, &err);
        if (found != 1) {
            if (found < 0)
                fprintf(stderr, "srcfn serve: request %lld: %s\n", (long long)j->id, err);
            free(err);
            return NULL;
        }
        r = &loaded;
    }
    job *next = run_request(k, j, r);
    if (r == &loaded)
        queued_request_free(&loaded);
    return next;
}

/* Runs are background work: the listener answering webhooks goes first. */
static void lower_priority(void)
{
    struct sched_param idle = {0};
    if (pthread_setschedparam(pthread_self(), SCHED_IDLE, &idle) == 0)
        return;
    if (setpriority(PRIO_PROCESS, (id_t)gettid(), WORKERS_NICE) != 0)
        fprintf(stderr, "srcfn serve: cannot lower a worker's priority (ignored)\n");
}

static void *worker_main(void *arg)
{
    worker *k = arg;
    (void)pthread_setname_np(pthread_self(), "srcfn-worker");   /* for ps and top; unnamed is harmless */
    lower_priority();
    job *j = take(k->pool);
    while (j) {
        int64_t t0 = mono_ms();
        job *next = run_job(k, j);
        done(k->pool, j, mono_ms() - t0);
        job_free(k->pool, j);
        j = next ? next : take(k->pool);
    }
    return NULL;
}

/* --- the pool --------------------------------------------------------------------------------------- */

static void free_queued(workers *w)
{
    for (lane *l = w->lanes, *next; l; l = next) {
        next = l->next;
        for (job *j = l->head, *jn; j; j = jn) {
            jn = j->next;
            job_free(w, j);
        }
        free(l->instance);
        free(l);
    }
    w->lanes = NULL;
    for (size_t i = 0; i < w->nheap; i++)
        job_free(w, w->heap[i]);
    free(w->heap);
    w->heap = NULL;
    w->nheap = 0;
}

static void worker_free(worker *k)
{
    for (int i = 0; i < WORKERS_WARM_MAX; i++) {
        warm_clear(&k->warm[i]);
        engine_free(k->warm[i].e);
    }
    queue_close(k->q);
}

workers *workers_start(const char *root, registry *reg, delivery *d, queue_writer *writer,
                       const workers_options *opt, char **err)
{
    workers *w = calloc(1, sizeof *w);
    if (!w)
        abort();
    w->reg = reg;
    w->delivery = d;
    w->writer = writer;
    w->opt = *opt;
    if (w->opt.count <= 0)
        w->opt.count = WORKERS_DEFAULT_COUNT;
    if (w->opt.retry_base_ms <= 0)
        w->opt.retry_base_ms = WORKERS_DEFAULT_RETRY_MS;
    if (pthread_mutex_init(&w->lock, NULL) != 0 || pthread_cond_init(&w->wake, NULL) != 0)
        abort();
    w->ws = calloc((size_t)w->opt.count, sizeof *w->ws);
    if (!w->ws)
        abort();
    for (int i = 0; i < w->opt.count; i++) {
        worker *k = &w->ws[i];
        k->pool = w;
        k->q = queue_open(root, err);
        if (!k->q || pthread_create(&k->thread, NULL, worker_main, k) != 0) {
            if (k->q && !*err)
                *err = xstrdup("cannot start a worker thread");
            workers_stop(w);
            return NULL;
        }
        w->started++;
    }
    return w;
}

void workers_stop(workers *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->stopping = 1;
    pthread_cond_broadcast(&w->wake);
    pthread_mutex_unlock(&w->lock);
    for (int i = 0; i < w->started; i++)
        pthread_join(w->ws[i].thread, NULL);
    for (int i = 0; i < w->opt.count; i++)
        worker_free(&w->ws[i]);
    free_queued(w);
    free(w->ws);
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->wake);
    free(w);
}
