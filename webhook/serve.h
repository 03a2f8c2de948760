/*
 * serve: the deployed mode, `srcfn serve`. Every connected instance of the
 * workspace answers at http://BIND:PORT/hooks/<token> on one listener
 * (webhook/server.h); an accepted webhook is stored (webhook/queue.h) before
 * its sender hears 200 {"ok": true, "id": N}, then run by the worker pool
 * (webhook/workers.h); what successful runs emit goes to delivery
 * (webhook/delivery.h), what failed runs report to the error log
 * (webhook/errlog.h).
 *
 * Answers besides the listener's own (405, 413, 415, 400): 404 for a path
 * that is not /hooks/<token of a connected instance>, 503 when the request
 * cannot be stored or the instance has no deployed version. Paths under /api/
 * are the workspace's management API (webhook/mgmt.h), on the same listener.
 *
 * One server per workspace: a second `srcfn serve` on the same workspace is
 * refused (a lock on .srcfn/serve.lock), since both would run the same queue.
 */
#ifndef SRCFN_SERVE_H
#define SRCFN_SERVE_H

typedef struct serve_options {
    const char *bind;      /* NULL: 127.0.0.1 */
    int port;              /* 0: any free port */
    int workers;           /* 0: WORKERS_DEFAULT_COUNT */
    int threads;           /* listener threads; 0: the server's default */
    int retry_base_ms;     /* 0: WORKERS_DEFAULT_RETRY_MS */
    long keep_finished_s;  /* finished requests are deleted after this long; < 0: SERVE_KEEP_FINISHED_S */
    long max_queued;       /* webhooks refused (503) while this many wait or run; 0: SERVE_MAX_QUEUED */
} serve_options;

#define SERVE_KEEP_FINISHED_S 3600
#define SERVE_MAX_QUEUED 1000000

/*
 * Serves until SIGINT or SIGTERM, then stops accepting, lets runs in progress
 * finish (each within its time limit), leaves queued requests queued, stops
 * delivery and returns 0. At start, requests left queued or running by an
 * earlier server (stopped, crashed or killed) are run again. Returns 1 after
 * a message on stderr when it cannot start.
 */
int serve_run(const char *root, const serve_options *opt);

#endif
