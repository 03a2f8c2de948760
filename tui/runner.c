/*
 * runner: the studio's worker thread (see runner.h).
 *
 * Invariants:
 * - Everything below `lock` is shared with the studio thread; the engines
 *   (spare, current) belong to the worker, and the studio may only call
 *   engine_cancel on `current` while holding the lock.
 * - `spare` is an engine on which the code spare_source (with spare_decl) was
 *   loaded and never invoked; spare_error is that load's error (or NULL).
 *   Every run takes the spare, so each run starts on a fresh heap, as each
 *   test run in Segment's editor does; after the run a new spare is loaded.
 * - Results wait in a small FIFO until the studio takes them.
 * - An examples check runs on an engine of functest's own; while it runs,
 *   that engine is `current` (so a cancel reaches the example running), and
 *   `cancelled` stops it before the next example.
 */
#include "tui/runner.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "workspace/functest.h"

typedef struct job {
    int pending;
    char *source;
    size_t len;
    json_t *decl;
    json_t *request;     /* run only */
    json_t *settings;    /* run only */
    char *dir;           /* examples only: the function's directory */
} job;

#define RESULTS_MAX 8

struct runner {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int stopping;
    job check, run, examples;
    engine *current;     /* the engine running now, or NULL */
    int cancelled;       /* a cancel arrived for the pending or current run or examples */
    json_t *results[RESULTS_MAX];
    runner_kind kinds[RESULTS_MAX];
    int n_results;
    runner_wake wake;
    void *wake_ctx;
    /* the worker's own */
    engine *spare;
    char *spare_source;
    size_t spare_len;
    json_t *spare_decl;
    json_t *spare_error;
};

static void job_clear(job *j)
{
    free(j->source);
    json_decref(j->decl);
    json_decref(j->request);
    json_decref(j->settings);
    free(j->dir);
    memset(j, 0, sizeof *j);
}

static void job_set(job *j, const char *source, size_t len, json_t *decl)
{
    job_clear(j);
    j->source = malloc(len + 1);
    if (!j->source)
        abort();
    memcpy(j->source, source, len);
    j->source[len] = '\0';
    j->len = len;
    j->decl = decl ? json_deep_copy(decl) : NULL;
    j->pending = 1;
}

/* --- worker side ------------------------------------------------------------------ */

static void post(runner *r, runner_kind kind, json_t *result)
{
    pthread_mutex_lock(&r->lock);
    if (r->n_results == RESULTS_MAX) {   /* the studio is not reading: drop the oldest */
        json_decref(r->results[0]);
        memmove(r->results, r->results + 1, (RESULTS_MAX - 1) * sizeof r->results[0]);
        memmove(r->kinds, r->kinds + 1, (RESULTS_MAX - 1) * sizeof r->kinds[0]);
        r->n_results--;
    }
    r->results[r->n_results] = result;
    r->kinds[r->n_results++] = kind;
    pthread_mutex_unlock(&r->lock);
    r->wake(r->wake_ctx);
}

static int same_decl(json_t *a, json_t *b)
{
    return (!a && !b) || (a && b && json_equal(a, b));
}

static void drop_spare(runner *r)
{
    if (r->spare)
        engine_free(r->spare);
    free(r->spare_source);
    json_decref(r->spare_decl);
    json_decref(r->spare_error);
    r->spare = NULL;
    r->spare_source = NULL;
    r->spare_decl = NULL;
    r->spare_error = NULL;
}

/* Makes the spare hold j's code; 1 when it had to load it. */
static int make_spare(runner *r, const job *j)
{
    if (r->spare && r->spare_len == j->len && memcmp(r->spare_source, j->source, j->len) == 0 &&
        same_decl(r->spare_decl, j->decl))
        return 0;
    drop_spare(r);
    r->spare = engine_new(NULL);
    r->spare_source = malloc(j->len + 1);
    if (!r->spare_source)
        abort();
    memcpy(r->spare_source, j->source, j->len + 1);
    r->spare_len = j->len;
    r->spare_decl = j->decl ? json_deep_copy(j->decl) : NULL;
    if (!r->spare) {
        r->spare_error = engine_error(ERR_BAD_REQUEST, "InternalError", "cannot start the JavaScript engine", 0);
        return 1;
    }
    json_t *error = NULL;
    if (engine_load(r->spare, j->source, j->len, "handler.js", r->spare_decl, &error) != 0)
        r->spare_error = error ? error : engine_error(ERR_BAD_REQUEST, "Error", "the function does not load", 0);
    return 1;
}

static void do_check(runner *r, const job *j)
{
    make_spare(r, j);
    json_t *doc = json_pack("{s:O?}", "error", r->spare_error);
    if (!doc)
        abort();
    post(r, RUNNER_CHECK, doc);
}

static engine_request make_request(json_t *req)
{
    const char *body = json_string_value(json_object_get(req, "body"));
    engine_request er = {
        .method = json_string_value(json_object_get(req, "method")),
        .url = json_string_value(json_object_get(req, "url")),
        .headers = json_object_get(req, "headers"),
        .body = body ? body : "",
        .body_len = body ? json_string_length(json_object_get(req, "body")) : 0,
    };
    return er;
}

static json_t *cancelled_result(void)
{
    return json_pack("{s:[], s:[], s:[], s:o, s:f}", "events", "objects", "logs", "error",
                     engine_error(ERR_BAD_REQUEST, "CancelledError", "the run was cancelled", 0), "durationMs", 0.0);
}

static void do_run(runner *r, job *j)
{
    make_spare(r, j);
    json_t *result;
    if (r->spare_error) {
        result = json_pack("{s:[], s:[], s:[], s:O, s:f}", "events", "objects", "logs", "error", r->spare_error,
                           "durationMs", 0.0);
    } else {
        engine *e = r->spare;
        r->spare = NULL;
        pthread_mutex_lock(&r->lock);
        int stop = r->cancelled;
        r->current = e;
        pthread_mutex_unlock(&r->lock);
        engine_request req = make_request(j->request);
        result = stop ? cancelled_result() : engine_invoke(e, &req, j->settings ? j->settings : NULL);
        pthread_mutex_lock(&r->lock);
        r->current = NULL;
        pthread_mutex_unlock(&r->lock);
        engine_free(e);
        drop_spare(r);
    }
    if (!result)
        abort();
    post(r, RUNNER_RUN, result);
    make_spare(r, j);   /* ready for the next run */
}

/* --- the examples check --------------------------------------------------------------- */

/* functest's hooks: its engine becomes `current` while the examples run. */
static void hold_engine(void *ctx, engine *e)
{
    runner *r = ctx;
    pthread_mutex_lock(&r->lock);
    r->current = e;
    pthread_mutex_unlock(&r->lock);
}

static int stop_asked(void *ctx)
{
    runner *r = ctx;
    pthread_mutex_lock(&r->lock);
    int stop = r->cancelled || r->stopping;
    pthread_mutex_unlock(&r->lock);
    return stop;
}

/* A JSON string of s; bytes that are not UTF-8 (a file name's) become '?'. */
static json_t *text_value(const char *s)
{
    json_t *v = json_string(s);
    if (v)
        return v;
    char *copy = strdup(s);
    if (!copy)
        abort();
    for (char *p = copy; *p; p++) {
        if ((unsigned char)*p >= 0x80)
            *p = '?';
    }
    v = json_string(copy);
    free(copy);
    if (!v)
        abort();
    return v;
}

static json_t *examples_doc(const functest_run *run, int cancelled)
{
    json_t *list = json_array();
    if (!list)
        abort();
    for (size_t i = 0; i < run->count; i++) {
        const functest_example *ex = &run->examples[i];
        json_t *item = json_pack("{s:o, s:b, s:o}", "name", text_value(ex->name), "passed", ex->passed, "diff",
                                 text_value(ex->diff ? ex->diff : ""));
        if (!item || json_array_append_new(list, item) != 0)
            abort();
    }
    json_t *doc = json_pack("{s:o, s:I, s:I, s:I, s:b, s:n}", "examples", list, "passed", (json_int_t)run->passed,
                            "failed", (json_int_t)run->failed, "skipped", (json_int_t)run->skipped, "cancelled",
                            cancelled, "error");
    if (!doc)
        abort();
    return doc;
}

/* Runs the examples of j->dir against j's code: a funcdir made of the job. */
static void do_examples(runner *r, job *j)
{
    char *handler = NULL;
    json_t *manifest = json_object();
    if (asprintf(&handler, "%s/handler.js", j->dir) < 0 || !manifest)
        abort();
    if (j->decl && json_object_set(manifest, "settings", j->decl) != 0)
        abort();
    funcdir f = {.dir = j->dir, .handler_path = handler, .source = j->source, .source_len = j->len,
                 .manifest = manifest};
    functest_hooks hooks = {hold_engine, stop_asked, r};
    functest_run run;
    json_t *doc;
    if (functest_function_with(&f, &run, &hooks) == 0)
        doc = examples_doc(&run, stop_asked(r));
    else
        doc = json_pack("{s:[], s:i, s:i, s:i, s:b, s:s}", "examples", "passed", 0, "failed", 0, "skipped", 0,
                        "cancelled", 0, "error", "the JavaScript engine did not start");
    functest_run_free(&run);
    free(handler);
    json_decref(manifest);
    if (!doc)
        abort();
    post(r, RUNNER_EXAMPLES, doc);
}

/* --- the worker ---------------------------------------------------------------------------- */

/* The pending job to do first (a run, then the examples, then a check), or NULL. */
static job *next_job(runner *r, runner_kind *kind)
{
    if (r->run.pending) {
        *kind = RUNNER_RUN;
        return &r->run;
    }
    if (r->examples.pending) {
        *kind = RUNNER_EXAMPLES;
        return &r->examples;
    }
    *kind = RUNNER_CHECK;
    return r->check.pending ? &r->check : NULL;
}

static void do_job(runner *r, runner_kind kind, job *j)
{
    if (kind == RUNNER_RUN)
        do_run(r, j);
    else if (kind == RUNNER_EXAMPLES)
        do_examples(r, j);
    else
        do_check(r, j);
}

static void *worker(void *arg)
{
    runner *r = arg;
    pthread_mutex_lock(&r->lock);
    for (;;) {
        runner_kind kind = RUNNER_NONE;
        job *next = NULL;
        while (!r->stopping && (next = next_job(r, &kind)) == NULL)
            pthread_cond_wait(&r->cond, &r->lock);
        if (r->stopping)
            break;
        job j = *next;
        memset(next, 0, sizeof *next);
        pthread_mutex_unlock(&r->lock);
        do_job(r, kind, &j);
        job_clear(&j);
        pthread_mutex_lock(&r->lock);
    }
    pthread_mutex_unlock(&r->lock);
    drop_spare(r);
    return NULL;
}

/* --- studio side -------------------------------------------------------------------- */

runner *runner_start(runner_wake wake, void *ctx)
{
    runner *r = calloc(1, sizeof *r);
    if (!r)
        abort();
    r->wake = wake;
    r->wake_ctx = ctx;
    if (pthread_mutex_init(&r->lock, NULL) != 0) {
        free(r);
        return NULL;
    }
    if (pthread_cond_init(&r->cond, NULL) != 0) {
        pthread_mutex_destroy(&r->lock);
        free(r);
        return NULL;
    }
    if (pthread_create(&r->thread, NULL, worker, r) != 0) {
        pthread_cond_destroy(&r->cond);
        pthread_mutex_destroy(&r->lock);
        free(r);
        return NULL;
    }
    return r;
}

void runner_stop(runner *r)
{
    if (!r)
        return;
    pthread_mutex_lock(&r->lock);
    r->stopping = 1;
    if (r->current)
        engine_cancel(r->current);
    pthread_cond_signal(&r->cond);
    pthread_mutex_unlock(&r->lock);
    pthread_join(r->thread, NULL);
    job_clear(&r->check);
    job_clear(&r->run);
    job_clear(&r->examples);
    for (int i = 0; i < r->n_results; i++)
        json_decref(r->results[i]);
    pthread_cond_destroy(&r->cond);
    pthread_mutex_destroy(&r->lock);
    free(r);
}

void runner_check(runner *r, const char *source, size_t len, json_t *settings_decl)
{
    pthread_mutex_lock(&r->lock);
    job_set(&r->check, source, len, settings_decl);
    pthread_cond_signal(&r->cond);
    pthread_mutex_unlock(&r->lock);
}

void runner_run(runner *r, const char *source, size_t len, json_t *settings_decl, json_t *request,
                json_t *settings)
{
    pthread_mutex_lock(&r->lock);
    job_set(&r->run, source, len, settings_decl);
    r->run.request = json_deep_copy(request);
    r->run.settings = settings ? json_deep_copy(settings) : json_object();
    r->cancelled = 0;
    job_clear(&r->check);   /* the run loads the same code */
    pthread_cond_signal(&r->cond);
    pthread_mutex_unlock(&r->lock);
}

void runner_examples(runner *r, const char *dir, const char *source, size_t len, json_t *settings_decl)
{
    char *copy = strdup(dir);
    if (!copy)
        abort();
    pthread_mutex_lock(&r->lock);
    job_set(&r->examples, source, len, settings_decl);
    r->examples.dir = copy;
    r->cancelled = 0;
    pthread_cond_signal(&r->cond);
    pthread_mutex_unlock(&r->lock);
}

void runner_cancel(runner *r)
{
    pthread_mutex_lock(&r->lock);
    r->cancelled = 1;
    if (r->current)
        engine_cancel(r->current);
    pthread_mutex_unlock(&r->lock);
}

json_t *runner_take(runner *r, runner_kind *kind)
{
    pthread_mutex_lock(&r->lock);
    json_t *doc = NULL;
    *kind = RUNNER_NONE;
    if (r->n_results > 0) {
        doc = r->results[0];
        *kind = r->kinds[0];
        r->n_results--;
        memmove(r->results, r->results + 1, (size_t)r->n_results * sizeof r->results[0]);
        memmove(r->kinds, r->kinds + 1, (size_t)r->n_results * sizeof r->kinds[0]);
    }
    pthread_mutex_unlock(&r->lock);
    return doc;
}
