/*
 * functest: a function's examples as its tests. Runs every example request of
 * a function through one engine (loaded once, reused across the examples) and
 * compares each result with the example's expectation. `srcfn test` and the
 * studio's one-key check both use it.
 *
 * Where examples and expectations live:
 *   examples/NAME.json     a srcfn request with its "expect" inside
 *   fixtures/NAME.json     a request in either format, expectation in
 *                          fixtures/NAME.expect.json (the functions-library
 *                          layout); the same holds for an example without
 *                          "expect" that has a NAME.expect.json beside it
 *
 * What an expectation says (every member optional):
 *   "events", "objects", "logs"  compared in full: the same items in the same
 *                          order, objects equal whatever their key order,
 *                          numbers equal by value (1 and 1.0 are equal)
 *   "error": null          the run must succeed
 *   "error": {...}         the run must fail, with each field listed equal
 *                          ("type", "name", "message", "line")
 * An example with no expectation passes when it runs.
 */
#ifndef SRCFN_FUNCTEST_H
#define SRCFN_FUNCTEST_H

#include <jansson.h>
#include <stddef.h>

#include "engine/engine.h"
#include "workspace/funcdir.h"

typedef struct functest_example {
    char *name;           /* "01-order-completed", or "fixtures/NAME" */
    char *path;           /* the request file */
    char *expect_path;    /* where --update writes: path, or NAME.expect.json */
    json_t *expect;       /* the expectation; NULL when there is none */
    json_t *result;       /* the run's result document; NULL when the file did not read */
    int passed;
    char *diff;           /* "" when passed, else one line per difference (each
                             ending in '\n'), e.g. "events[0].properties.total:
                             expected 59.9, got 60", or why the file did not read */
} functest_example;

typedef struct functest_run {
    char *function;       /* the function's name: its folder's, or the file's */
    functest_example *examples;
    size_t count, passed, failed;
    size_t skipped;       /* examples left out because the hooks stopped the run */
} functest_run;

/* For a caller that runs the examples on a thread of its own and may stop
 * them (the studio's worker). Every member may be NULL. */
typedef struct functest_hooks {
    /* Called with the engine before the function loads and with NULL once the
     * last example ran: in between another thread may engine_cancel it. */
    void (*engine)(void *ctx, engine *e);
    /* Asked before each example: nonzero stops there. The examples not run
     * are dropped from the run (count) and counted in skipped. */
    int (*stop)(void *ctx);
    void *ctx;
} functest_hooks;

/*
 * Runs every example of f in file-name order (examples/, then fixtures/).
 * f's source is used as loaded, so a caller may run unsaved code by setting
 * f->source. Fills *run (free with functest_run_free). Returns 0, or -1 when
 * the JavaScript engine cannot start (*run is then empty).
 */
int functest_function(const funcdir *f, functest_run *run);

/* The same, with hooks (may be NULL: then it is functest_function). */
int functest_function_with(const funcdir *f, functest_run *run, const functest_hooks *hooks);
void functest_run_free(functest_run *run);

/* The differences between an expectation and a result document, one line
 * each (malloc'd), or NULL when the result meets the expectation. */
char *functest_compare(json_t *expect, json_t *result);

/* What --update writes for a result: events, objects and error for a
 * success, error for a failure; logs when there are some or when previous
 * (the old expectation, may be NULL) listed them. New reference. */
json_t *functest_expectation(json_t *result, json_t *previous);

/* value as JSON the way examples are written: on one line when it fits in
 * 110 columns, else one item or member per line, lines after the first
 * indented by indent more spaces (malloc'd). */
char *functest_format(json_t *value, size_t indent);

/* Writes expectation as ex's expectation: the "expect" member of the example
 * file is replaced (the rest of the file is kept byte for byte), or the
 * NAME.expect.json file is written. Returns 0, or -1 with *err (malloc'd). */
int functest_write(const functest_example *ex, json_t *expectation, char **err);

#endif
