/*
 * capture: "Auto-fill via Webhook". A capture listener stores every request
 * that reaches it for one function (method, path, query, headers, raw body,
 * time) in the workspace (table `captures`) and answers 200
 * {"ok": true, "capture": ID} at once; the same code serves `srcfn listen`
 * and the studio.
 *
 * The listener is the generic server (webhook/server.h), so captures follow
 * its rules: POST only (405), at most 512 KiB (413), a JSON or form body
 * (415), well-formed (400). Any path is captured: the capture URL is the
 * listener's root, http://HOST:PORT/, and a sender may append any path to it
 * (the path is stored, and shown, but a run uses the default URL plus the
 * query string, as Segment's tester does).
 *
 * Only the newest CAPTURE_KEEP captures of each function are kept (as Segment
 * keeps the 100 most recent errors); older ones are deleted as new ones come.
 * Capture ids are unique across the workspace.
 */
#ifndef SRCFN_CAPTURE_H
#define SRCFN_CAPTURE_H

#include <jansson.h>

#include "webhook/server.h"

#define CAPTURE_KEEP 100
/* The port `srcfn listen` uses unless told otherwise (serve's default + 1). */
#define CAPTURE_DEFAULT_PORT 8721

typedef struct capture capture;

/* Called (on a server thread, one call at a time, in id order) after each
 * capture is stored; req is the request as the server handed it over. */
typedef void (*capture_notify)(void *ctx, long long id, const server_request *req);

capture *capture_start(const char *root, const char *function, const server_options *opt,
                       capture_notify notify, void *ctx, char **err);
int capture_port(const capture *c);
void capture_stop(capture *c);

/* The captures of a function, newest first (at most limit; <= 0: all kept),
 * as a JSON array of {id, function, at (ISO 8601 UTC), atMs (ms since the
 * epoch), method, path, query, headers, body (the raw text), size (bytes),
 * contentType (or null)};
 * NULL with *err. */
json_t *capture_list(const char *root, const char *function, int limit, char **err);

/* One capture as a srcfn request document ({method, url, headers, body}, url
 * being https://fn.segmentapis.com/ plus "?query" when there is one), plus
 * "function": the function it was captured for. NULL with *err (also when
 * there is no such capture). */
json_t *capture_request(const char *root, long long id, char **err);

/* The value of a header (case-insensitive; the first of repeated ones), or NULL. */
const char *capture_header(json_t *headers, const char *name);

/* The start of a body on one line, for listings: at most 60 bytes, control
 * characters as spaces, never a cut UTF-8 character, "…" when cut short. */
#define CAPTURE_PREVIEW_SIZE 72
void capture_preview(const char *body, size_t len, char out[CAPTURE_PREVIEW_SIZE]);

#endif
