/*
 * bench-engine: the engine's figures for a function that parses a ~8 KB JSON
 * body and emits one track call (bench/fixtures): warm invocations per second,
 * cold start (heap + runtime + function, lowering cache warm) and peak heap
 * memory. Prints one line per figure: name, value, unit, target.
 */
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

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "bench/fixtures";
    char *err = NULL, path[4096];
    funcdir f;
    request_file r;
    snprintf(path, sizeof path, "%s/request.json", dir);
    if (funcdir_open(dir, &f, &err) != 0 || request_file_load(path, &r, &err) != 0) {
        fprintf(stderr, "bench: %s\n", err);
        return 1;
    }
    json_t *settings = json_object();
    body_text = r.body_json ? jsonout_dumps(r.body_json, JSON_COMPACT) : strdup(r.body ? r.body : "");

    /* Cold start: fresh engine, load, first invocation (lowering cached by the first). */
    engine_free(load(&f));
    const int cold_runs = 30;
    double t0 = now_ms();
    for (int i = 0; i < cold_runs; i++) {
        engine *e = load(&f);
        invoke(e, &r, settings);
        engine_free(e);
    }
    double cold_ms = (now_ms() - t0) / cold_runs;

    /* Warm: one engine, many invocations. */
    engine *e = load(&f);
    for (int i = 0; i < 200; i++)
        invoke(e, &r, settings);
    const int warm_runs = 5000;
    t0 = now_ms();
    for (int i = 0; i < warm_runs; i++)
        invoke(e, &r, settings);
    double warm_us = (now_ms() - t0) * 1000.0 / warm_runs;
    double peak_mb = (double)engine_heap_peak(e) / (1024.0 * 1024.0);

    printf("engine.warm_invocation %.1f us (%.0f/s) target < 50 us\n", warm_us, 1e6 / warm_us);
    printf("engine.cold_start %.2f ms target < 20 ms\n", cold_ms);
    printf("engine.peak_heap %.2f MB target < 8 MB\n", peak_mb);
    engine_free(e);
    json_decref(settings);
    request_file_free(&r);
    funcdir_close(&f);
    free(body_text);
    return 0;
}
