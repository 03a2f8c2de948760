/*
 * The engine's promises that no end-to-end test can see directly: the memory
 * cap and the timeout end a run (not the process) and leave the engine usable,
 * settings are checked before code runs, a cancelled run stops.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/engine.h"
#include "engine/settings.h"
#include "tests/unit/check.h"

static engine *load(const char *src, const engine_limits *lim, json_t *decl)
{
    engine *e = engine_new(lim);
    json_t *err = NULL;
    if (!e || engine_load(e, src, strlen(src), "handler.js", decl, &err) != 0) {
        char *s = err ? json_dumps(err, 0) : NULL;
        printf("FAIL load: %s\n", s ? s : "engine_new failed");
        free(s);
        json_decref(err);
        exit(1);
    }
    return e;
}

static json_t *invoke(engine *e, const char *body, json_t *settings)
{
    engine_request req = {.body = body, .body_len = strlen(body)};
    json_t *s = settings ? settings : json_object();
    json_t *r = engine_invoke(e, &req, s);
    if (!settings)
        json_decref(s);
    return r;
}

static const char *error_field(json_t *r, const char *field)
{
    return json_string_value(json_object_get(json_object_get(r, "error"), field));
}

static int succeeded(json_t *r)
{
    return json_is_null(json_object_get(r, "error"));
}

/* The run failed with an error of this name. */
static int failed_with(json_t *r, const char *name)
{
    const char *got = error_field(r, "name");
    return got && strcmp(got, name) == 0;
}

/* The properties of the first event the run emitted. */
static json_t *first_properties(json_t *r)
{
    return json_object_get(json_array_get(json_object_get(r, "events"), 0), "properties");
}

static void test_timeout_and_recovery(void)
{
    engine_limits lim = {.timeout_ms = 300};
    engine *e = load("let n = 0;\n"
                     "async function onRequest(req) {\n"
                     "  if (req.json().spin) { while (true) { n++ } }\n"
                     "  Segment.track({ event: 'ok', userId: 'u' });\n"
                     "}\n", &lim, NULL);
    json_t *r = invoke(e, "{\"spin\": true}", NULL);
    CHECK("timeout: a loop that never ends is a Bad Request", strcmp(error_field(r, "type"), ERR_BAD_REQUEST) == 0);
    CHECK("timeout: named TimeoutError", strcmp(error_field(r, "name"), "TimeoutError") == 0);
    CHECK("timeout: the line of the loop", json_integer_value(json_object_get(json_object_get(r, "error"), "line")) == 3);
    json_decref(r);
    r = invoke(e, "{}", NULL);
    CHECK("timeout: the next run works on a fresh heap", succeeded(r) && json_array_size(json_object_get(r, "events")) == 1);
    json_decref(r);
    engine_free(e);
}

static void test_memory_cap(void)
{
    engine_limits lim = {.heap_bytes = 24u * 1024 * 1024};
    engine *e = load("async function onRequest(req) {\n"
                     "  const hog = [];\n"
                     "  if (req.json().hog) for (;;) hog.push('x'.repeat(1000) + hog.length);\n"
                     "  Segment.track({ event: 'ok', userId: 'u' });\n"
                     "}\n", &lim, NULL);
    json_t *r = invoke(e, "{\"hog\": true}", NULL);
    CHECK("memory: allocating without end is a Bad Request", r && strcmp(error_field(r, "type"), ERR_BAD_REQUEST) == 0);
    CHECK("memory: the message says memory", r && strstr(error_field(r, "message"), "memory") != NULL);
    CHECK("memory: the heap stayed under its cap", engine_heap_peak(e) <= lim.heap_bytes);
    json_decref(r);
    r = invoke(e, "{}", NULL);
    CHECK("memory: the next run works", succeeded(r));
    json_decref(r);
    engine_free(e);
}

static void test_settings(void)
{
    json_t *decl = json_loads("[{\"name\":\"apiKey\",\"type\":\"STRING\",\"required\":true},"
                              "{\"name\":\"debug\",\"type\":\"BOOLEAN\"},"
                              "{\"name\":\"tags\",\"type\":\"ARRAY\"},"
                              "{\"name\":\"map\",\"type\":\"TEXT_MAP\"}]", 0, NULL);
    engine *e = load("async function onRequest(req, settings) { console.log(settings.apiKey) }", NULL, decl);
    json_t *r = invoke(e, "{}", NULL);
    CHECK("settings: a missing required value is Invalid Settings",
          strcmp(error_field(r, "type"), ERR_INVALID_SETTINGS) == 0 && strstr(error_field(r, "message"), "apiKey"));
    CHECK("settings: the code did not run", json_array_size(json_object_get(r, "logs")) == 0);
    json_decref(r);
    json_t *s = json_pack("{s:s, s:s}", "apiKey", "k", "debug", "yes");
    r = invoke(e, "{}", s);
    CHECK("settings: a wrong type names the setting",
          strcmp(error_field(r, "type"), ERR_INVALID_SETTINGS) == 0 && strstr(error_field(r, "message"), "debug"));
    json_decref(r);
    json_decref(s);
    s = json_pack("{s:s, s:b, s:[s], s:{s:s}}", "apiKey", "k", "debug", 1, "tags", "a", "map", "x", "y");
    r = invoke(e, "{}", s);
    CHECK("settings: valid values run the code", succeeded(r) && json_array_size(json_object_get(r, "logs")) == 1);
    json_decref(r);
    json_decref(s);
    json_t *numbers = json_pack("[i]", 1);
    CHECK("settings: an array of numbers is not ARRAY", !settings_type_ok("ARRAY", numbers));
    json_decref(numbers);
    engine_free(e);
    json_decref(decl);
}

static void *cancel_later(void *arg)
{
    usleep(100 * 1000);
    engine_cancel(arg);
    return NULL;
}

static void test_cancel(void)
{
    engine *e = load("async function onRequest() { await new Promise(r => setTimeout(r, 3000)) }", NULL, NULL);
    pthread_t t;
    pthread_create(&t, NULL, cancel_later, e);
    json_t *r = invoke(e, "{}", NULL);
    pthread_join(t, NULL);
    CHECK("cancel: a waiting run stops early", json_number_value(json_object_get(r, "durationMs")) < 1500);
    CHECK("cancel: reported as cancelled", r && strcmp(error_field(r, "name"), "CancelledError") == 0);
    json_decref(r);
    engine_free(e);
}

/* Module-level state persists across runs of one engine (cache depends on it)
 * and never reaches another engine. */
static void test_isolation(void)
{
    engine *a = load("let runs = 0;\n"
                     "globalThis.leaked = 'from a';\n"
                     "async function onRequest() { runs++; Object.prototype.polluted = true;\n"
                     "  Segment.track({ event: 'run ' + runs, userId: 'u' }) }\n", NULL, NULL);
    engine *b = load("async function onRequest() {\n"
                     "  Segment.track({ event: typeof leaked + ' ' + ({}).polluted, userId: 'u' }) }\n", NULL, NULL);
    json_t *r1 = invoke(a, "{}", NULL), *r2 = invoke(a, "{}", NULL), *rb = invoke(b, "{}", NULL);
    const char *second = json_string_value(json_object_get(json_array_get(json_object_get(r2, "events"), 0), "event"));
    const char *seen = json_string_value(json_object_get(json_array_get(json_object_get(rb, "events"), 0), "event"));
    CHECK("isolation: state persists between runs of one function", second && strcmp(second, "run 2") == 0);
    CHECK("isolation: another function sees none of it", seen && strcmp(seen, "undefined undefined") == 0);
    json_decref(r1);
    json_decref(r2);
    json_decref(rb);
    engine_free(a);
    engine_free(b);
}

/* A body of about n KB: {"items":[{"id":0,"name":"item 0",...},...]}. */
static char *big_body(int n)
{
    size_t cap = (size_t)n * 1024 + 64, len = 0;
    char *b = malloc(cap);
    if (!b)
        abort();
    len += (size_t)snprintf(b, cap, "{\"items\":[");
    for (int i = 0; len + 64 < cap - 16; i++)
        len += (size_t)snprintf(b + len, cap - len, "%s{\"id\":%d,\"name\":\"item %d\"}", i ? "," : "", i, i);
    snprintf(b + len, cap - len, "]}");
    return b;
}

/* What a run leaves behind is freed when it ends, by reference counting,
 * not kept until a full collection: async functions (with and without await),
 * arrow callbacks and promises hold nothing that points back at them. */
static void test_runs_free_their_garbage(void)
{
    engine *e = load("async function onRequest(req) {\n"
                     "  const { items } = req.json();\n"
                     "  await null;\n"
                     "  const total = items.map(i => i.id).reduce((s, n) => s + n, 0);\n"
                     "  await new Promise(resolve => resolve(total));\n"
                     "  Segment.track({ event: 'sum', userId: 'u', properties: { total, n: await count(items) } });\n"
                     "}\n"
                     "async function count(list) { return list.filter(() => true).length }\n", NULL, NULL);
    char *body = big_body(32);
    json_t *r = invoke(e, body, NULL);
    CHECK("garbage: the run succeeds", succeeded(r));
    json_decref(r);
    size_t after_first = engine_heap_bytes(e);
    for (int i = 0; i < 4; i++)
        json_decref(invoke(e, body, NULL));
    size_t after_five = engine_heap_bytes(e);
    CHECK("garbage: four more runs of a 32 KB body leave the heap as it was",
          after_five < after_first + 64 * 1024);
    free(body);
    engine_free(e);
}

/* The result is read without JSON.stringify when it is plain data
 * (engine/duk-walk.h), through it otherwise: either way what V8's
 * JSON.stringify would write. */
static void test_result_values(void)
{
    engine_limits lim = {.timeout_ms = 300};
    engine *e = load("async function onRequest(req) {\n"
                     "  const kind = req.json().kind;\n"
                     "  const props = {\n"
                     "    plain: { n: 1.5, s: 'caf\\u00e9 \\ud83d\\ude00', skip: undefined, f() {} },\n"
                     "    date: { at: new Date(0) },\n"
                     "    getter: { get n() { console.log('got'); return 7; } },\n"
                     "    big: { n: 2 ** 60 },\n"
                     "    nul: { s: 'a\\u0000b' },\n"
                     "    cycle: (() => { const o = {}; o.self = o; return o; })(),\n"
                     "    loop: { toJSON() { for (;;) {} } },\n"
                     "  }[kind];\n"
                     "  Segment.track({ event: kind, userId: 'u', properties: props });\n"
                     "}\n", &lim, NULL);
    json_t *r = invoke(e, "{\"kind\": \"plain\"}", NULL);
    json_t *p = first_properties(r);
    json_t *want = json_pack("{s:f, s:s}", "n", 1.5, "s", "caf\xc3\xa9 \xf0\x9f\x98\x80");
    CHECK("result: plain data as stringify writes it (undefined and functions left out)", json_equal(p, want));
    json_decref(want);
    json_decref(r);

    r = invoke(e, "{\"kind\": \"date\"}", NULL);
    p = first_properties(r);
    CHECK("result: a Date is written by its toJSON",
          strcmp(json_string_value(json_object_get(p, "at")) ? json_string_value(json_object_get(p, "at")) : "", "1970-01-01T00:00:00.000Z") == 0);
    json_decref(r);

    r = invoke(e, "{\"kind\": \"getter\"}", NULL);
    p = first_properties(r);
    CHECK("result: a getter runs once", json_integer_value(json_object_get(p, "n")) == 7 &&
                                            json_array_size(json_object_get(r, "logs")) == 1);
    json_decref(r);

    r = invoke(e, "{\"kind\": \"big\"}", NULL);
    p = first_properties(r);
    CHECK("result: 2 ** 60 is written as V8 does, 1152921504606847000",
          json_integer_value(json_object_get(p, "n")) == 1152921504606847000LL);
    json_decref(r);

    r = invoke(e, "{\"kind\": \"nul\"}", NULL);
    p = first_properties(r);
    CHECK("result: a NUL inside a string is kept", succeeded(r) && json_string_length(json_object_get(p, "s")) == 3 &&
                                                       memcmp(json_string_value(json_object_get(p, "s")), "a\0b", 3) == 0);
    json_decref(r);

    r = invoke(e, "{\"kind\": \"loop\"}", NULL);
    CHECK("result: a toJSON that never returns is stopped by the run's time limit",
          failed_with(r, "TimeoutError"));
    json_decref(r);

    r = invoke(e, "{\"kind\": \"plain\"}", NULL);
    CHECK("result: and the next run works", succeeded(r));
    json_decref(r);

    r = invoke(e, "{\"kind\": \"cycle\"}", NULL);
    CHECK("result: a cycle fails the run with stringify's TypeError",
          failed_with(r, "TypeError"));
    json_decref(r);
    engine_free(e);
}

/* What the function threw is read for the report (name, message, stack):
 * getters of its own that never return end the run all the same. */
static void test_report_cannot_hang(void)
{
    engine_limits lim = {.timeout_ms = 300};
    engine *e = load("async function onRequest(req) {\n"
                     "  if (req.json().ok) return Segment.track({ event: 'ok', userId: 'u' });\n"
                     "  throw { get name() { for (;;) {} }, get message() { for (;;) {} }, get stack() { for (;;) {} } };\n"
                     "}\n", &lim, NULL);
    json_t *r = invoke(e, "{}", NULL);
    CHECK("report: a thrown object whose getters never return is a TimeoutError",
          failed_with(r, "TimeoutError"));
    json_decref(r);
    r = invoke(e, "{\"ok\": true}", NULL);
    CHECK("report: and the next run works", succeeded(r));
    json_decref(r);
    engine_free(e);
}

int main(void)
{
    test_report_cannot_hang();
    test_result_values();
    test_runs_free_their_garbage();
    test_isolation();
    test_timeout_and_recovery();
    test_memory_cap();
    test_settings();
    test_cancel();
    return check_failures ? 1 : 0;
}
