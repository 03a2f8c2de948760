/*
 * bench-engine: the engine's figures for a function that parses a ~8 KB JSON
 * body and emits one track call (bench/fixtures): warm invocations per second,
 * cold start (heap + runtime + function, lowering cache warm) and peak heap
 * memory; then the runtime library's: the cost of loading lodash, warm
 * invocations with lodash in use, and fetch round trips to a loopback server.
 * Prints one line per figure: name, value, unit, target.
 *
 * usage: bench-engine DIR [NAME=DIR ...]: DIR gives every figure; each
 * NAME=DIR after it only engine.warm_invocation_NAME (another body).
 */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/heap.h"
#include "engine/jsonout.h"
#include "workspace/funcdir.h"
#include "workspace/request-file.h"

static double now_ms(void)
{
    return (double)heap_now_ns() / 1e6;
}

static engine *load(const funcdir *f)
{
    engine *e = engine_new(NULL);
    json_t *err = NULL;
    if (!e || engine_load(e, f->source, f->source_len, "handler.js", NULL, &err) != 0) {
        fprintf(stderr, "bench: cannot load the function\n");
        exit(1);
    }
    return e;
}

/* Webhooks arrive as text: the body is serialised once, as a server would receive it. */
static char *body_text;

static void invoke(engine *e, const request_file *r, json_t *settings)
{
    engine_request req = request_file_request(r);
    if (req.body_json) {
        req.body = body_text;
        req.body_len = strlen(body_text);
        req.body_json = NULL;
    }
    json_t *res = engine_invoke(e, &req, settings);
    if (!json_is_null(json_object_get(res, "error")) || json_array_size(json_object_get(res, "events")) != 1) {
        fprintf(stderr, "bench: the function failed\n");
        exit(1);
    }
    json_decref(res);
}

typedef struct fixture {
    funcdir f;
    request_file r;
} fixture;

static void fixture_open(const char *dir, fixture *fx)
{
    char *err = NULL, path[4096];
    snprintf(path, sizeof path, "%s/request.json", dir);
    if (funcdir_open(dir, &fx->f, &err) != 0 || request_file_load(path, &fx->r, &err) != 0) {
        fprintf(stderr, "bench: %s\n", err);
        exit(1);
    }
    free(body_text);
    body_text = fx->r.body_json ? jsonout_dumps(fx->r.body_json, JSON_COMPACT) : strdup(fx->r.body ? fx->r.body : "");
}

static void fixture_close(fixture *fx)
{
    request_file_free(&fx->r);
    funcdir_close(&fx->f);
}

/* Microseconds per invocation on one warm engine; *peak_mb: its heap's peak. */
static double warm_us(const fixture *fx, json_t *settings, double *peak_mb)
{
    engine *e = load(&fx->f);
    for (int i = 0; i < 200; i++)
        invoke(e, &fx->r, settings);
    const int warm_runs = 5000;
    double t0 = now_ms();
    for (int i = 0; i < warm_runs; i++)
        invoke(e, &fx->r, settings);
    double us = (now_ms() - t0) * 1000.0 / warm_runs;
    if (peak_mb)
        *peak_mb = (double)engine_heap_peak(e) / (1024.0 * 1024.0);
    engine_free(e);
    return us;
}

static engine *load_source(const char *src)
{
    engine *e = engine_new(NULL);
    json_t *err = NULL;
    if (!e || engine_load(e, src, strlen(src), "handler.js", NULL, &err) != 0) {
        fprintf(stderr, "bench: cannot load a library function\n");
        exit(1);
    }
    return e;
}

static double timed_invoke(engine *e, const char *body)
{
    engine_request req = {.body = body, .body_len = strlen(body)};
    json_t *settings = json_object();
    double t0 = now_ms();
    json_t *res = engine_invoke(e, &req, settings);
    double ms = now_ms() - t0;
    if (!json_is_null(json_object_get(res, "error"))) {
        char *text = json_dumps(res, 0);
        fprintf(stderr, "bench: library function failed: %s\n", text ? text : "");
        exit(1);
    }
    json_decref(res);
    json_decref(settings);
    return ms;
}

/* A loopback HTTP server answering every request with a small JSON body. */
static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                              const char *version, const char *data, size_t *size, void **state)
{
    (void)cls, (void)url, (void)method, (void)version, (void)data, (void)size, (void)state;
    static const char body[] = "{\"ok\":true}";
    struct MHD_Response *r = MHD_create_response_from_buffer(sizeof body - 1, (void *)body, MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    enum MHD_Result ok = MHD_queue_response(c, 200, r);
    MHD_destroy_response(r);
    return ok;
}

static void bench_library(void)
{
    /* lodash: the first use evaluates it into the heap, once. */
    engine *e = load_source("async function onRequest() { return _.VERSION }");
    double first = timed_invoke(e, "{}");
    double second = timed_invoke(e, "{}");
    printf("library.lodash_load %.2f ms (first use, once per heap)\n", first - second);
    engine_free(e);

    e = load_source("async function onRequest(request) {\n"
                    "  const { order } = request.json();\n"
                    "  Segment.track({ event: 'Order', userId: _.get(order, 'customer.id', 'x'),\n"
                    "    properties: { total: _.sumBy(order.line_items, 'price'), skus: _.map(order.line_items, 'sku') } });\n"
                    "}\n");
    const char *body = "{\"order\":{\"customer\":{\"id\":\"c1\"},\"line_items\":[{\"sku\":\"a\",\"price\":1.5},{\"sku\":\"b\",\"price\":2}]}}";
    for (int i = 0; i < 100; i++)
        timed_invoke(e, body);
    const int runs = 3000;
    double total = 0;
    for (int i = 0; i < runs; i++)
        total += timed_invoke(e, body);
    printf("library.warm_invocation_with_lodash %.1f us (%.0f/s)\n", total * 1000.0 / runs, runs * 1000.0 / total);
    engine_free(e);

    struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO, 0,
                                            NULL, NULL, answer, NULL, MHD_OPTION_END);
    const union MHD_DaemonInfo *info = d ? MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT) : NULL;
    if (!info) {
        fprintf(stderr, "bench: cannot start the loopback server\n");
        exit(1);
    }
    char src[512];
    snprintf(src, sizeof src,
             "async function onRequest() {\n"
             "  for (let i = 0; i < 200; i++) { const r = await fetch('http://127.0.0.1:%u/x'); await r.json(); }\n"
             "}\n", (unsigned)info->port);
    e = load_source(src);
    timed_invoke(e, "{}");
    double ms = timed_invoke(e, "{}");
    printf("library.fetch_round_trip %.1f us (%.0f/s, sequential, loopback)\n", ms * 1000.0 / 200, 200 * 1000.0 / ms);
    engine_free(e);
    MHD_stop_daemon(d);
}

int main(int argc, char **argv)
{
    fixture fx;
    fixture_open(argc > 1 ? argv[1] : "bench/fixtures", &fx);
    json_t *settings = json_object();

    /* Cold start: fresh engine, load, first invocation (lowering cached by the first). */
    engine_free(load(&fx.f));
    const int cold_runs = 30;
    double t0 = now_ms();
    for (int i = 0; i < cold_runs; i++) {
        engine *e = load(&fx.f);
        invoke(e, &fx.r, settings);
        engine_free(e);
    }
    double cold_ms = (now_ms() - t0) / cold_runs;
    double peak_mb = 0;
    double us = warm_us(&fx, settings, &peak_mb);

    printf("engine.warm_invocation %.1f us (%.0f/s) target < 50 us\n", us, 1e6 / us);
    printf("engine.cold_start %.2f ms target < 20 ms\n", cold_ms);
    printf("engine.peak_heap %.2f MB target < 8 MB\n", peak_mb);
    fixture_close(&fx);
    for (int i = 2; i < argc; i++) {
        const char *eq = strchr(argv[i], '=');
        if (!eq)
            continue;
        fixture_open(eq + 1, &fx);
        us = warm_us(&fx, settings, NULL);
        printf("engine.warm_invocation_%.*s %.1f us (%.0f/s) target < 50 us\n", (int)(eq - argv[i]), argv[i], us, 1e6 / us);
        fixture_close(&fx);
    }
    bench_library();
    json_decref(settings);
    free(body_text);
    return 0;
}
