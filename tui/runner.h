/*
 * runner: runs the function for the studio on a worker thread, so the
 * interface never waits for JavaScript. The worker owns every engine it
 * makes (one at a time runs; one more is kept loaded and ready with the
 * current code, so a run starts on a fresh heap without waiting for the
 * load). The studio posts jobs and gets results back through
 * runner_take, after the wake callback told it something is ready.
 *
 * Invariants: the studio thread never touches an engine except through
 * engine_cancel, under the runner's lock, while that engine runs; jobs
 * carry deep copies of their JSON, so no jansson value is shared between
 * threads; at most one run, one examples check and one check are pending
 * (newer replace older); a run goes first, then the examples, then a check.
 */
#ifndef SRCFN_TUI_RUNNER_H
#define SRCFN_TUI_RUNNER_H

#include <jansson.h>
#include <stddef.h>

typedef struct runner runner;

/* Called on the worker thread when a result is ready. */
typedef void (*runner_wake)(void *ctx);

runner *runner_start(runner_wake wake, void *ctx);
void runner_stop(runner *r);

/* Loads the code in the background (warming the lowering cache and the
 * spare engine); a "check" result tells whether it loads. */
void runner_check(runner *r, const char *source, size_t len, json_t *settings_decl);

/* Runs the request ({method, url, headers, body: string}) with settings.
 * A "run" result follows: the engine's result document. */
void runner_run(runner *r, const char *source, size_t len, json_t *settings_decl, json_t *request,
                json_t *settings);

/* Runs every example of the function in dir (examples/ and fixtures/, as
 * `srcfn test` does, workspace/functest.h) against source, not the saved
 * handler.js. An "examples" result follows (see runner_take). */
void runner_examples(runner *r, const char *dir, const char *source, size_t len, json_t *settings_decl);

/* Asks the run or examples check in progress to stop (repeat it until the
 * result comes); an examples check stops before its next example. */
void runner_cancel(runner *r);

typedef enum runner_kind { RUNNER_NONE, RUNNER_CHECK, RUNNER_RUN, RUNNER_EXAMPLES } runner_kind;

/* The oldest ready result (caller owns it) and its kind; NULL when none.
 * A check result is {"error": null | {type, name, message, line}}.
 * An examples result is {"examples": [{name, passed, diff}], "passed",
 * "failed", "skipped" (not run: cancelled), "cancelled": bool, "error":
 * null | "why none ran"}; diff is "" or lines each ending in '\n'. */
json_t *runner_take(runner *r, runner_kind *kind);

#endif
