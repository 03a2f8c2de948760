/*
 * engine: runs a source function, one invocation at a time, on a warm Duktape
 * heap that holds the srcfn runtime (the globals of runtime-contract.md) and
 * the function's lowered code.
 *
 * An engine is single-threaded: one per worker thread. It knows nothing of
 * HTTP servers, files or curses; callers hand it source text and requests.
 *
 * Every invocation yields one result document, the shape `srcfn run --json`
 * prints:
 *   {"events":[…], "objects":[…], "logs":[{"level","message"}…],
 *    "error": null | {"type","name","message","line"}, "durationMs": n}
 */
#ifndef SRCFN_ENGINE_H
#define SRCFN_ENGINE_H

#include <stddef.h>
#include <jansson.h>

typedef struct engine engine;

typedef struct engine_limits {
    size_t heap_bytes;   /* memory cap of the heap; 0: ENGINE_DEFAULT_HEAP */
    int timeout_ms;      /* one run, pending work included; 0: ENGINE_DEFAULT_TIMEOUT */
} engine_limits;

#define ENGINE_DEFAULT_HEAP    (64u * 1024 * 1024)
#define ENGINE_DEFAULT_TIMEOUT 5000
#define ENGINE_DEFAULT_URL     "https://fn.segmentapis.com/"

/* One incoming request, as the function will see it. */
typedef struct engine_request {
    const char *method;   /* NULL: "POST" */
    const char *url;      /* NULL: ENGINE_DEFAULT_URL */
    json_t *headers;      /* object of name -> string or array of strings; may be NULL */
    const char *body;     /* raw body bytes (need not be NUL-terminated); may be NULL */
    size_t body_len;
    json_t *body_json;    /* instead of body: a value sent as JSON.stringify writes it */
    int sort_keys;        /* json() gives every object's keys in order (UTF-8
                             bytes), as Segment does for a deployed function */
} engine_request;

/* The five error types of the contract. */
#define ERR_BAD_REQUEST      "Bad Request"
#define ERR_INVALID_SETTINGS "Invalid Settings"
#define ERR_MESSAGE_REJECTED "Message Rejected"
#define ERR_UNSUPPORTED      "Unsupported Event Type"
#define ERR_RETRY            "Retry"

engine *engine_new(const engine_limits *limits);

/*
 * Loads the function: lowers the source (cached by hash), evaluates it and
 * keeps the settings declaration (`settings` array of function.json, may be
 * NULL). Returns 0, or -1 with *error set to an error object
 * {"type","name","message","line"} (a syntax error names the user's line).
 */
int engine_load(engine *e, const char *source, size_t len, const char *filename,
                json_t *settings_decl, json_t **error);

/* Runs onRequest once. Always returns a result document (never NULL). */
json_t *engine_invoke(engine *e, const engine_request *req, json_t *settings);

/* Makes the next invocation start from a fresh heap with the function
 * reloaded: nothing of earlier runs (module state, cache) is left. Test runs
 * use it; deployed instances keep their warm heap. */
void engine_reset(engine *e);

/* Asks a run in progress on another thread to stop at its next check. */
void engine_cancel(engine *e);

/* Bytes the heap holds now, and the most it has held. */
size_t engine_heap_bytes(const engine *e);
size_t engine_heap_peak(const engine *e);

void engine_free(engine *e);

/* Builds an error object {"type","name","message","line"}; line <= 0: null. */
json_t *engine_error(const char *type, const char *name, const char *message, int line);

#endif
