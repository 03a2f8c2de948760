/*
 * server: the incoming-HTTP listener (libmicrohttpd) that both deployed
 * instances (`srcfn serve`) and capture (`srcfn listen`, the studio's
 * "Auto-fill via Webhook") sit behind. It enforces what holds for every
 * webhook: POST only (405), a body of at most SERVER_MAX_BODY bytes (413,
 * refused from Content-Length before the body is read, or as soon as the
 * streamed body passes the limit), a JSON or form-urlencoded Content-Type
 * where a body is given (415), a well-formed request (400), each answered with
 * a short JSON error body {"error": "..."}; then hands the whole request to
 * the mode's handler.
 */
#ifndef SRCFN_SERVER_H
#define SRCFN_SERVER_H

#include <jansson.h>
#include <stddef.h>

#define SERVER_MAX_BODY (512u * 1024)

typedef struct server server;

typedef struct server_request {
    const char *method;
    const char *path;      /* without the query string */
    const char *query;     /* without '?'; "" when none */
    json_t *headers;       /* object: name -> string, or array of strings when repeated */
    const char *body;      /* NUL-terminated; body_len bytes */
    size_t body_len;
} server_request;

/* Answers a request: sets *status and returns the JSON body to send (owned by
 * the server afterwards). Called on the server's threads, concurrently. */
typedef json_t *(*server_handler)(void *ctx, const server_request *req, int *status);

typedef struct server_options {
    const char *bind;      /* NULL: 127.0.0.1 */
    int port;              /* 0: any free port */
    int threads;           /* 0: a default pool */
} server_options;

server *server_start(const server_options *opt, server_handler handler, void *ctx, char **err);
int server_port(const server *s);

/* Stops accepting, waits for requests in flight, frees. */
void server_stop(server *s);

#endif
