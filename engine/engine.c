/*
 * engine: one warm heap running one function (see engine.h).
 *
 * Life of an engine: boot (heap + natives + runtime), load (lower, evaluate
 * the function's top-level code), then any number of invocations. A run that
 * was stopped from outside (timeout, memory cap, cancel) leaves the heap in
 * an unknown state, so the next invocation boots a fresh heap and reloads the
 * function first ("tainted").
 *
 * An invocation is an event loop: the driver (engine/js/runtime/90-invoke.js)
 * starts onRequest, then engine_invoke alternates draining microtasks and
 * timers with waiting, until the function's promise settles or time is up.
 */
#include "engine/engine.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "engine/duk-walk.h"
#include "engine/dukjson.h"
#include "engine/embed.h"
#include "engine/fetch.h"
#include "engine/heap.h"
#include "engine/jsonout.h"
#include "engine/lower.h"
#include "engine/native.h"
#include "engine/settings.h"
#include "util/xalloc.h"

#define OOM_REPORT_HEADROOM (4u * 1024 * 1024)
#define WAIT_SLICE_MS 50

struct engine {
    heap_state hs;
    duk_context *ctx;
    fetcher *fetch;        /* outgoing HTTP of the current heap's runs */
    engine_limits limits;
    char *source;          /* kept to reload after a tainted run */
    size_t source_len;
    char *filename;
    json_t *settings_decl;
    int loaded;
    int tainted;
    size_t gc_base;        /* heap bytes after the last full collection */
};

/* Garbage a run leaves in reference cycles (every function's prototype points
 * back at it) is only freed by a full collection, which Duktape runs rarely
 * when little is allocated; collect once the heap has grown this much. */
#define GC_GROWTH (2u * 1024 * 1024)
#define REPORT_MS 1000   /* to write the report of a stopped run */

typedef void (*native_register_fn)(duk_context *ctx);

/* Where a request object keeps what the runtime reads of it (60-request.js):
 * a hidden symbol, which user code can neither see nor reach. */
#define REQUEST_KEY DUK_HIDDEN_SYMBOL("srcfn.request")

static duk_ret_t native_now(duk_context *ctx)
{
    duk_push_number(ctx, (double)heap_now_ns() / 1e6);
    return 1;
}

/* Evaluates the embedded lodash, which installs itself as the global `_`. */
static duk_ret_t native_load_lodash(duk_context *ctx)
{
    embedded js = embed_lodash();
    duk_push_string(ctx, "srcfn:lodash");
    duk_compile_lstring_filename(ctx, 0, js.data, js.len);
    duk_call(ctx, 0);
    return 0;
}

/* native.text(bytes): a body's bytes as a string (a string stays as it is). */
static duk_ret_t native_text(duk_context *ctx)
{
    if (duk_is_buffer_data(ctx, 0))
        duk_buffer_to_string(ctx, 0);
    else
        duk_to_string(ctx, 0);
    return 1;
}

static void native_core_register(duk_context *ctx)
{
    static const duk_function_list_entry funcs[] = {
        {"now", native_now, 0},
        {"loadLodash", native_load_lodash, 0},
        {"text", native_text, 1},
        {NULL, NULL, 0},
    };
    duk_put_function_list(ctx, -1, funcs);
    duk_push_string(ctx, REQUEST_KEY);
    duk_put_prop_string(ctx, -2, "requestKey");
    duk_push_string(ctx, DUK_HIDDEN_SYMBOL("srcfn.promise"));   /* see 20-promise.js */
    duk_put_prop_string(ctx, -2, "promiseKey");
}

/* Every native module, in the order they register. */
static const native_register_fn native_modules[] = {
    native_core_register,
    native_url_register,
    native_crypto_register,
    native_json_register,
    native_fetch_register,
};

json_t *engine_error(const char *type, const char *name, const char *message, int line)
{
    return json_pack("{s:s, s:s, s:s, s:o}", "type", type, "name", name, "message", message,
                     "line", line > 0 ? json_integer(line) : json_null());
}

/* --- booting a heap ---------------------------------------------------------- */

static void engine_teardown(engine *e)
{
    if (e->ctx)
        duk_destroy_heap(e->ctx);
    e->ctx = NULL;
    fetcher_free(e->fetch);
    e->fetch = NULL;
    e->loaded = 0;
    e->hs.used = 0;
    e->gc_base = 0;
}

/*
 * The runtime's compiled form. The first heap of a process compiles the
 * embedded source and keeps its bytecode; later heaps load that bytecode,
 * which is several times cheaper than compiling (cold starts in serve and the
 * studio). Written once under the lock, then only read.
 */
static pthread_mutex_t runtime_lock = PTHREAD_MUTEX_INITIALIZER;
static void *runtime_bytecode;
static size_t runtime_bytecode_len;

/* Pushes the runtime as a function to call; returns 0, or -1 with the error pushed. */
static int push_runtime(duk_context *ctx)
{
    pthread_mutex_lock(&runtime_lock);
    if (runtime_bytecode) {
        void *buf = duk_push_fixed_buffer(ctx, runtime_bytecode_len);
        memcpy(buf, runtime_bytecode, runtime_bytecode_len);
        pthread_mutex_unlock(&runtime_lock);
        duk_load_function(ctx);
        return 0;
    }
    embedded js = embed_runtime();
    duk_push_string(ctx, "srcfn:runtime");
    if (duk_pcompile_lstring_filename(ctx, 0, js.data, js.len) != 0) {
        pthread_mutex_unlock(&runtime_lock);
        return -1;
    }
    duk_dup(ctx, -1);
    duk_dump_function(ctx);
    duk_size_t len = 0;
    const void *code = duk_get_buffer(ctx, -1, &len);
    runtime_bytecode = malloc(len);
    if (runtime_bytecode) {
        memcpy(runtime_bytecode, code, len);
        runtime_bytecode_len = len;
    }
    duk_pop(ctx);
    pthread_mutex_unlock(&runtime_lock);
    return 0;
}

/* Evaluates the runtime and moves its driver into the heap stash. */
static int engine_boot(engine *e, char **why)
{
    e->hs.out_of_memory = 0;
    e->hs.timed_out = 0;
    e->ctx = heap_create(&e->hs);
    if (!e->ctx) {
        *why = xstrdup("cannot create a JavaScript heap");
        return -1;
    }
    duk_context *ctx = e->ctx;
    e->fetch = fetcher_new();
    if (!e->fetch) {
        *why = xstrdup("cannot create the HTTP client");
        engine_teardown(e);
        return -1;
    }
    duk_push_heap_stash(ctx);
    duk_push_pointer(ctx, e->fetch);
    duk_put_prop_string(ctx, -2, "fetcher");
    duk_pop(ctx);
    duk_push_object(ctx);
    for (size_t i = 0; i < sizeof native_modules / sizeof native_modules[0]; i++)
        native_modules[i](ctx);
    duk_put_global_string(ctx, "__native");

    if (push_runtime(ctx) != 0 || duk_pcall(ctx, 0) != 0) {
        *why = xstrdup(duk_safe_to_stacktrace(ctx, -1));
        engine_teardown(e);
        return -1;
    }
    duk_pop(ctx);
    duk_push_heap_stash(ctx);
    duk_get_global_string(ctx, "__srcfn_driver");
    duk_get_prop_string(ctx, -1, "requestPrototype");
    duk_put_prop_string(ctx, -3, "requestPrototype");
    duk_put_prop_string(ctx, -2, "driver");
    duk_pop(ctx);
    duk_push_global_object(ctx);
    duk_del_prop_string(ctx, -1, "__srcfn_driver");
    duk_pop(ctx);
    return 0;
}

engine *engine_new(const engine_limits *limits)
{
    engine *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    if (limits)
        e->limits = *limits;
    if (!e->limits.heap_bytes)
        e->limits.heap_bytes = ENGINE_DEFAULT_HEAP;
    if (!e->limits.timeout_ms)
        e->limits.timeout_ms = ENGINE_DEFAULT_TIMEOUT;
    e->hs.cap = e->limits.heap_bytes;
    atomic_init(&e->hs.cancelled, 0);
    char *why = NULL;
    if (engine_boot(e, &why) != 0) {
        free(why);
        free(e);
        return NULL;
    }
    return e;
}

/* --- calling the driver --------------------------------------------------------- */

/* Calls driver.<name>(the nargs values on top of the stack) in protected mode;
 * leaves the result or the error on the stack. Returns 0 on success. */
static int driver_call(duk_context *ctx, const char *name, int nargs)
{
    duk_push_heap_stash(ctx);
    duk_get_prop_string(ctx, -1, "driver");
    duk_remove(ctx, -2);
    duk_get_prop_string(ctx, -1, name);
    duk_insert(ctx, -(nargs + 2));
    duk_insert(ctx, -(nargs + 1));
    return duk_pcall_method(ctx, nargs) == DUK_EXEC_SUCCESS ? 0 : -1;
}

static void push_json(duk_context *ctx, json_t *value)
{
    char *text = value ? jsonout_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    if (!text) {
        duk_push_object(ctx);
        return;
    }
    duk_push_string(ctx, text);
    free(text);
    duk_json_decode(ctx, -1);
}

static void deadline_start(engine *e)
{
    e->hs.timed_out = 0;
    e->hs.timeout_hits = 0;
    e->hs.out_of_memory = 0;
    e->hs.deadline_ns = heap_now_ns() + (int64_t)e->limits.timeout_ms * 1000000;
    fetcher_set_deadline(e->fetch, e->hs.deadline_ns);
}

/* --- loading the function --------------------------------------------------------- */

static int push_line_map(duk_context *ctx, const lowered *l)
{
    duk_push_array(ctx);
    for (int i = 0; i < l->nlines; i++) {
        duk_push_int(ctx, l->lines[i]);
        duk_put_prop_index(ctx, -2, (duk_uarridx_t)i);
    }
    return 0;
}

/* The error a failed top-level evaluation leaves on the stack, as a report. */
static json_t *load_error_report(engine *e)
{
    duk_context *ctx = e->ctx;
    if (e->hs.timed_out || e->hs.out_of_memory) {
        e->tainted = 1;
        return engine_error(ERR_BAD_REQUEST, e->hs.timed_out ? "TimeoutError" : "RangeError",
                            e->hs.timed_out ? "the function's top-level code did not finish in time"
                                            : "the function ran out of memory",
                            0);
    }
    /* Reuse the driver's report by finishing a run that never started. */
    duk_get_prop_string(ctx, -1, "name");
    duk_get_prop_string(ctx, -2, "message");
    duk_get_prop_string(ctx, -3, "lineNumber");
    int line = duk_is_number(ctx, -1) ? duk_get_int(ctx, -1) : 0;
    json_t *err = engine_error(ERR_BAD_REQUEST, duk_is_string(ctx, -3) ? duk_get_string(ctx, -3) : "Error",
                               duk_is_string(ctx, -2) ? duk_get_string(ctx, -2) : duk_safe_to_string(ctx, -4),
                               line);
    duk_pop_3(ctx);
    return err;
}

static int engine_eval_function(engine *e, const lowered *l, json_t **error)
{
    duk_context *ctx = e->ctx;
    duk_push_string(ctx, e->filename);
    push_line_map(ctx, l);
    if (driver_call(ctx, "setSource", 2) != 0) {
        *error = engine_error(ERR_BAD_REQUEST, "InternalError", duk_safe_to_string(ctx, -1), 0);
        duk_pop(ctx);
        return -1;
    }
    duk_pop(ctx);

    deadline_start(e);
    duk_push_string(ctx, e->filename);
    int rc = duk_pcompile_string_filename(ctx, 0, l->code);
    if (rc == 0)
        rc = duk_pcall(ctx, 0);
    e->hs.deadline_ns = 0;
    if (rc != 0) {
        json_t *line_fixed = load_error_report(e);
        json_t *line = json_object_get(line_fixed, "line");
        if (json_is_integer(line))
            json_object_set_new(line_fixed, "line",
                                json_integer(lowered_user_line(l, (int)json_integer_value(line))));
        *error = line_fixed;
        duk_pop(ctx);
        return -1;
    }
    duk_pop(ctx);
    if (driver_call(ctx, "loaded", 0) != 0) {
        *error = engine_error(ERR_BAD_REQUEST, "InternalError", duk_safe_to_string(ctx, -1), 0);
        duk_pop(ctx);
        return -1;
    }
    duk_pop(ctx);
    return 0;
}

static int engine_load_source(engine *e, json_t **error)
{
    lowered l;
    if (lower_source(e->source, e->source_len, e->filename, &l) != 0) {
        *error = engine_error(ERR_BAD_REQUEST, "InternalError", l.error, 0);
        lowered_free(&l);
        return -1;
    }
    if (l.error) {
        *error = engine_error(ERR_BAD_REQUEST, "SyntaxError", l.error, l.error_line);
        lowered_free(&l);
        return -1;
    }
    int rc = engine_eval_function(e, &l, error);
    lowered_free(&l);
    e->loaded = rc == 0;
    return rc;
}

int engine_load(engine *e, const char *source, size_t len, const char *filename,
                json_t *settings_decl, json_t **error)
{
    *error = NULL;
    free(e->source);
    free(e->filename);
    json_decref(e->settings_decl);
    e->source = malloc(len + 1);
    if (!e->source)
        abort();
    memcpy(e->source, source, len);
    e->source[len] = '\0';
    e->source_len = len;
    e->filename = xstrdup(filename ? filename : "handler.js");
    e->settings_decl = json_incref(settings_decl);
    if (e->loaded || e->tainted) {
        char *why = NULL;
        engine_teardown(e);
        e->tainted = 0;
        if (engine_boot(e, &why) != 0) {
            *error = engine_error(ERR_BAD_REQUEST, "InternalError", why, 0);
            free(why);
            return -1;
        }
    }
    return engine_load_source(e, error);
}

/* --- invoking ------------------------------------------------------------------------ */

static void push_bytes(duk_context *ctx, const char *bytes, size_t len)
{
    void *buf = duk_push_buffer_raw(ctx, len, DUK_BUF_FLAG_NOZERO);   /* filled at once */
    if (len)
        memcpy(buf, bytes, len);
}

/* The request's header pairs [[name, value], ...], in order. */
static void push_header_pairs(duk_context *ctx, json_t *headers)
{
    duk_push_array(ctx);
    duk_uarridx_t n = 0;
    const char *name;
    json_t *value;
    json_object_foreach(headers, name, value) {
        size_t count = json_is_array(value) ? json_array_size(value) : 1;
        for (size_t i = 0; i < count; i++) {
            json_t *v = json_is_array(value) ? json_array_get(value, i) : value;
            duk_push_array(ctx);
            duk_push_string(ctx, name);
            duk_put_prop_index(ctx, -2, 0);
            duk_push_string(ctx, json_is_string(v) ? json_string_value(v) : "");
            duk_put_prop_index(ctx, -2, 1);
            duk_put_prop_index(ctx, -2, n++);
        }
    }
}

/* Whether json() reads the body as a form: the Content-Type values, joined
 * by ", " as Headers would, are application/x-www-form-urlencoded followed by
 * spaces or tabs and then ';' or the end. */
static int is_form(json_t *headers)
{
    static const char form[] = "application/x-www-form-urlencoded";
    const char *name, *first = NULL;
    json_t *value;
    size_t count = 0;
    json_object_foreach(headers, name, value) {
        if (strcasecmp(name, "content-type") != 0)
            continue;
        size_t n = json_is_array(value) ? json_array_size(value) : 1;
        json_t *v = json_is_array(value) ? json_array_get(value, 0) : value;
        if (count == 0 && n > 0)
            first = json_is_string(v) ? json_string_value(v) : "";
        count += n;
    }
    if (!first)
        return 0;
    first += strspn(first, " \t");
    if (strncasecmp(first, form, sizeof form - 1) != 0)
        return 0;
    first += sizeof form - 1;
    first += strspn(first, " \t");
    return *first == ';' || (*first == '\0' && count == 1);
}

/* The request object onRequest receives (see 60-request.js), made here in
 * one go: its prototype, method, and the hidden record of the rest. The
 * body goes in as bytes, so a big one costs a copy, not a string. */
static void push_request(duk_context *ctx, const engine_request *req)
{
    duk_push_object(ctx);
    duk_push_heap_stash(ctx);
    duk_get_prop_string(ctx, -1, "requestPrototype");
    duk_remove(ctx, -2);
    duk_set_prototype(ctx, -2);
    duk_push_string(ctx, req->method ? req->method : "POST");
    duk_put_prop_string(ctx, -2, "method");

    duk_push_object(ctx);
    duk_push_string(ctx, req->url ? req->url : ENGINE_DEFAULT_URL);
    duk_put_prop_string(ctx, -2, "url");
    push_header_pairs(ctx, req->headers);
    duk_put_prop_string(ctx, -2, "headers");
    if (req->body_json) {
        push_json(ctx, req->body_json);
        duk_json_encode(ctx, -1);
    } else {
        push_bytes(ctx, req->body ? req->body : "", req->body ? req->body_len : 0);
    }
    duk_put_prop_string(ctx, -2, "body");
    duk_push_boolean(ctx, is_form(req->headers));
    duk_put_prop_string(ctx, -2, "form");
    duk_push_boolean(ctx, req->sort_keys != 0);
    duk_put_prop_string(ctx, -2, "sortKeys");
    duk_put_prop_string(ctx, -2, REQUEST_KEY);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

typedef struct stop_reason {
    const char *name;
    const char *message;
} stop_reason;

/* Why the loop must stop now, or NULL to go on. */
static const stop_reason *engine_stopped(engine *e)
{
    static const stop_reason timeout = {"TimeoutError", "the function did not finish within its time limit"};
    static const stop_reason cancel = {"CancelledError", "the run was cancelled"};
    static const stop_reason memory = {"RangeError", "the function ran out of memory"};
    if (atomic_load(&e->hs.cancelled))
        return &cancel;
    if (e->hs.out_of_memory)
        return &memory;
    if (e->hs.timed_out || heap_now_ns() >= e->hs.deadline_ns)
        return &timeout;
    return NULL;
}

/* Drains and waits until the run settles; returns NULL when it did, else why not. */
static const stop_reason *engine_loop(engine *e)
{
    static const stop_reason stuck = {"Error", "onRequest never settled: its promise is pending with nothing left to wait for"};
    duk_context *ctx = e->ctx;
    for (;;) {
        if (driver_call(ctx, "drain", 0) != 0) {
            const stop_reason *why = engine_stopped(e);
            return why ? why : &stuck;
        }
        double delay = duk_get_number(ctx, -1);
        duk_pop(ctx);
        if (delay == -2)
            return NULL;
        const stop_reason *why = engine_stopped(e);
        if (why)
            return why;
        int io = fetcher_pending(e->fetch);
        if (delay < 0 && !io)
            return &stuck;
        long left_ms = (long)((e->hs.deadline_ns - heap_now_ns()) / 1000000) + 1;
        long wait = delay < 0 ? WAIT_SLICE_MS : (long)delay;
        if (wait > left_ms)
            wait = left_ms;
        if (wait > WAIT_SLICE_MS)
            wait = WAIT_SLICE_MS;
        if (io)
            fetcher_wait(e->fetch, ctx, wait);
        else if (wait > 0)
            sleep_ms(wait);
    }
}

/* The result document on top of the stack (replaced by whatever went wrong)
 * as jansson: read directly when it is plain data, else through the
 * driver's JSON.stringify (which reports what it throws); NULL on failure. */
static json_t *result_read(duk_context *ctx)
{
    json_t *doc = dukx_plain_json(ctx, -1);
    if (doc || driver_call(ctx, "text", 1) != 0)
        return doc;
    json_error_t jerr;
    duk_size_t len = 0;
    const char *text = duk_get_lstring(ctx, -1, &len);
    return text ? dukjson_loads(text, len, &jerr) : NULL;
}

/* doc with its durationMs: the time since started_ms. */
static json_t *with_duration(json_t *doc, double started_ms)
{
    json_object_set_new(doc, "durationMs", json_real((double)heap_now_ns() / 1e6 - started_ms));
    return doc;
}

/* A result document of nothing but error (taken over). */
static json_t *error_result(json_t *error)
{
    return json_pack("{s:[], s:[], s:[], s:o}", "events", "objects", "logs", "error", error);
}

/* The document for when the runtime could not write one; pops what is on top. */
static json_t *internal_error_result(duk_context *ctx)
{
    json_t *doc = error_result(engine_error(ERR_BAD_REQUEST, "InternalError", duk_safe_to_string(ctx, -1), 0));
    duk_pop(ctx);
    return doc;
}

/* The result of a run that settled by itself (have_result: "run" left it on
 * the stack), read under the run's own limits: JSON.stringify may call the
 * function's toJSON methods and getters. NULL, with *stop set, when those
 * hit a limit. */
static json_t *settled_result(engine *e, int have_result, const stop_reason **stop)
{
    duk_context *ctx = e->ctx;
    json_t *doc = NULL;
    if (have_result || driver_call(ctx, "finish", 0) == 0)
        doc = result_read(ctx);
    *stop = engine_stopped(e);
    if (!*stop && !doc)
        return internal_error_result(ctx);
    duk_pop(ctx);
    if (*stop) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}

/* The result of a run that was stopped, written by the runtime with the
 * limits lifted (it reports the stop; the function's values are not in it),
 * but for REPORT_MS: reading the line of the error may still run a getter of
 * the function's, which must not hang the run. */
static json_t *stopped_result(engine *e, const stop_reason *stop)
{
    duk_context *ctx = e->ctx;
    e->hs.timed_out = 0;
    e->hs.timeout_hits = 0;
    e->hs.deadline_ns = heap_now_ns() + (int64_t)REPORT_MS * 1000000;
    atomic_store(&e->hs.cancelled, 0);
    if (e->hs.out_of_memory)
        e->hs.cap += OOM_REPORT_HEADROOM;   /* room to write the report */
    duk_push_object(ctx);
    duk_push_string(ctx, ERR_BAD_REQUEST);
    duk_put_prop_string(ctx, -2, "type");
    duk_push_string(ctx, stop->name);
    duk_put_prop_string(ctx, -2, "name");
    duk_push_string(ctx, stop->message);
    duk_put_prop_string(ctx, -2, "message");
    json_t *doc = driver_call(ctx, "finish", 1) == 0 ? result_read(ctx) : NULL;
    duk_pop(ctx);
    if (!doc)   /* the report itself failed: the stop, without its line */
        doc = error_result(engine_error(ERR_BAD_REQUEST, stop->name, stop->message, 0));
    e->tainted = 1;
    e->hs.cap = e->limits.heap_bytes;
    return doc;
}

/* The result document. have_result: the driver's "run" already left it on
 * the stack (a run that settled at once), unless stop. */
static json_t *result_of(engine *e, const stop_reason *stop, int have_result, double started_ms)
{
    if (!stop && e->hs.out_of_memory)
        stop = engine_stopped(e);   /* as in Node.js, running out of memory fails the run */
    json_t *doc = NULL;
    if (!stop)
        doc = settled_result(e, have_result, &stop);
    else if (have_result)
        duk_pop(e->ctx);
    if (!doc)
        doc = stopped_result(e, stop);
    e->hs.deadline_ns = 0;   /* what runs next (a fresh heap's boot) is not this run's */
    fetcher_abort_all(e->fetch);
    return with_duration(doc, started_ms);
}

static json_t *result_error(json_t *error, double started_ms)
{
    return with_duration(error_result(error), started_ms);
}

/* Makes the heap ready: a fresh one after a run that was stopped. */
static json_t *engine_ready(engine *e)
{
    if (!e->tainted && e->loaded)
        return NULL;
    json_t *error = NULL;
    char *why = NULL;
    engine_teardown(e);
    e->tainted = 0;
    if (engine_boot(e, &why) != 0) {
        error = engine_error(ERR_BAD_REQUEST, "InternalError", why, 0);
        free(why);
        return error;
    }
    if (!e->source)
        return engine_error(ERR_BAD_REQUEST, "InternalError", "no function loaded", 0);
    engine_load_source(e, &error);
    return error;
}

json_t *engine_invoke(engine *e, const engine_request *req, json_t *settings)
{
    double started = (double)heap_now_ns() / 1e6;
    atomic_store(&e->hs.cancelled, 0);
    json_t *error = settings_check(e->settings_decl, settings);
    if (!error)
        error = engine_ready(e);
    if (error)
        return result_error(error, started);

    duk_context *ctx = e->ctx;
    deadline_start(e);
    push_request(ctx, req);
    push_json(ctx, settings);
    int ran = driver_call(ctx, "run", 2) == 0;
    /* A limit may have been hit inside, even if the driver caught it. */
    const stop_reason *stop = engine_stopped(e);
    int settled = ran && !stop && duk_is_object(ctx, -1);   /* the result: nothing to wait for */
    if (!settled) {
        duk_pop(ctx);
        if (!stop)
            stop = engine_loop(e);
    }
    json_t *result = result_of(e, stop, settled, started);
    if (e->ctx && e->hs.used > e->gc_base + GC_GROWTH) {
        duk_gc(e->ctx, 0);
        e->gc_base = e->hs.used;
    }
    return result;
}

void engine_reset(engine *e)
{
    e->tainted = 1;
}

void engine_cancel(engine *e)
{
    atomic_store(&e->hs.cancelled, 1);
}

size_t engine_heap_bytes(const engine *e)
{
    return e->hs.used;
}

size_t engine_heap_peak(const engine *e)
{
    return e->hs.peak;
}

void engine_free(engine *e)
{
    if (!e)
        return;
    engine_teardown(e);
    free(e->source);
    free(e->filename);
    json_decref(e->settings_decl);
    free(e);
}
