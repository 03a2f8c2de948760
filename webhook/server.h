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
 *
 * A 401 answer carries "WWW-Authenticate: Bearer", the one scheme srcfn's
 * handlers accept (the management API under opt->api_prefix).
 *
 * Well-formed means: the body, when there is one, is valid UTF-8 and, when its
 * type is JSON, parses as JSON (any value; an empty body is no body). So a
 * sender learns at once that its JSON is broken, instead of every run failing
 * in request.json(); the function never sees a body it cannot parse.
 * Limits against abuse: a client has SERVER_HEAD_TIMEOUT_S to send a complete
 * request head (slowloris) and SERVER_BODY_TIMEOUT_S for the body, and
 * SERVER_IDLE_TIMEOUT_S of silence at any point; a head larger than the
 * per-connection memory (about 32 KiB) is answered 431 by libmicrohttpd.
 */
#ifndef SRCFN_SERVER_H
#define SRCFN_SERVER_H

#include <jansson.h>
#include <stddef.h>

#define SERVER_MAX_BODY (512u * 1024)
#define SERVER_HEAD_TIMEOUT_S 10
#define SERVER_BODY_TIMEOUT_S 60
#define SERVER_IDLE_TIMEOUT_S 10

typedef struct server server;
typedef struct server_deferred server_deferred;

typedef struct server_request {
    const char *method;
    const char *path;      /* without the query string */
    const char *query;     /* without '?'; "" when none */
    json_t *headers;       /* object: name -> string, or array of strings when repeated */
    const char *body;      /* NUL-terminated; body_len bytes */
    size_t body_len;
    server_deferred *conn_; /* the server's own: for server_defer */
} server_request;

/* Answers a request: sets *status and returns the JSON body to send (owned by
 * the server afterwards). Called on the server's threads, concurrently.
 * A handler that answers later instead calls server_defer and returns NULL
 * with *status SERVER_DEFERRED. */
typedef json_t *(*server_handler)(void *ctx, const server_request *req, int *status);

#define SERVER_DEFERRED 0

/*
 * For a handler, on the thread it was called on: the request is answered
 * later, by server_resume, from any thread; meanwhile the connection is set
 * aside (no thread waits for it). NULL when the server is stopping: the
 * handler must answer now. The request's fields stay valid only until the
 * handler returns; take ownership of req->body with server_take_body.
 */
server_deferred *server_defer(const server_request *req);

/* Answers a deferred request with status and reply (owned by the server
 * afterwards). Exactly once per server_defer; server_stop waits for it. */
void server_resume(server_deferred *d, int status, json_t *reply);

/* Hands the body buffer (NUL-terminated, req->body_len bytes) to the caller,
 * who frees it; req->body must not be used after. Saves a copy of it. */
char *server_take_body(const server_request *req);

typedef struct server_options {
    const char *bind;      /* NULL: 127.0.0.1 */
    int port;              /* 0: any free port */
    int threads;           /* 0: a default pool */
    const char *api_prefix; /* NULL, or a path prefix ("/api/") that is not webhooks: there any
                             * method is handed over, and only the size limit and the deadlines
                             * hold (the handler judges method, type and body itself) */
} server_options;

/* What a Content-Type names: SERVER_BODY_JSON (application/json or
 * application/<x>+json), SERVER_BODY_FORM (application/x-www-form-urlencoded),
 * else SERVER_BODY_OTHER (NULL included). Parameters such as charset are ignored. */
enum { SERVER_BODY_OTHER, SERVER_BODY_JSON, SERVER_BODY_FORM };
int server_body_type(const char *content_type);

server *server_start(const server_options *opt, server_handler handler, void *ctx, char **err);
int server_port(const server *s);

/* Stops accepting, waits for requests in flight (deferred ones included:
 * whatever server_resume depends on must still run), frees. */
void server_stop(server *s);

#endif
