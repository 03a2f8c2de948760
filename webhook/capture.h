/*
 * capture: "Auto-fill via Webhook". A capture listener stores every request
 * that reaches it for one function (method, path, query, headers, raw body,
 * time) in the workspace and answers 200 at once; the same code serves
 * `srcfn listen` and the studio.
 */
#ifndef SRCFN_CAPTURE_H
#define SRCFN_CAPTURE_H

#include <jansson.h>

#include "webhook/server.h"

typedef struct capture capture;

/* Called (on a server thread) after each capture is stored. */
typedef void (*capture_notify)(void *ctx, long long id);

capture *capture_start(const char *root, const char *function, const server_options *opt,
                       capture_notify notify, void *ctx, char **err);
int capture_port(const capture *c);
void capture_stop(capture *c);

/* The captures of a function, newest first, as a JSON array of
 * {id, at, method, path, query, headers, body}. */
json_t *capture_list(const char *root, const char *function, int limit, char **err);

/* One capture as a srcfn request document ({method, url, headers, body}), or NULL. */
json_t *capture_request(const char *root, long long id, char **err);

#endif
