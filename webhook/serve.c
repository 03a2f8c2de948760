/*
 * serve: `srcfn serve`, the deployed mode (see serve.h).
 *
 * Start order: lock the workspace, registry, interrupted runs back to queued
 * (noting the last id stored), delivery, the store's writer, workers,
 * listener, and only then the unfinished requests up to that id to the
 * workers: when the listener cannot start nothing has run, and a request is
 * handed over once (the listener hands over those after that id). Stop order
 * is the reverse, so nothing is accepted that no worker will see, no worker
 * writes through a stopped writer, and no worker notifies a stopped delivery.
 *
 * The main thread only waits for signals (blocked in every thread, taken with
 * sigtimedwait), polls the registry and checkpoints the store every POLL_MS.
 *
 * Invariants: a request is answered 200 only after the writer committed its
 * INSERT; every connection is closed at stop.
 */
#include "webhook/serve.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "engine/engine.h"
#include "webhook/delivery.h"
#include "webhook/mgmt.h"
#include "webhook/queue.h"
#include "webhook/registry.h"
#include "webhook/server.h"
#include "webhook/workers.h"
#include "workspace/store.h"
#include "util/xalloc.h"

#define POLL_MS 300
#define PRUNE_BATCH 500
#define PRUNE_BATCHES 8
/* Listener threads: one per core. None waits for the store: a request
 * waiting for its commit is set aside (server_defer), so one commit carries
 * every request that arrived meanwhile however few threads there are. */
#define SERVE_LISTENER_THREADS_MAX 8
#define HOOK_PREFIX "/hooks/"

typedef struct serve {
    const char *root;
    registry *reg;
    queue_db *checkpoint;  /* the main thread's connection, for checkpoints */
    queue_writer *writer;
    workers *workers;
    long keep_finished_s;  /* see prune_finished */
    size_t max_queued;     /* a full queue refuses webhooks: disk and memory stay bounded */
} serve;

/* --- the webhook handler -------------------------------------------------------------------------- */

static json_t *refusal(int *status, int code, const char *message)
{
    *status = code;
    return json_pack("{s:s}", "error", message);
}

/* The token of /hooks/<token> (a trailing slash allowed), or NULL. */
static char *path_token(const char *path)
{
    size_t prefix = strlen(HOOK_PREFIX);
    if (strncmp(path, HOOK_PREFIX, prefix) != 0)
        return NULL;
    const char *t = path + prefix;
    size_t len = strcspn(t, "/");
    if (len == 0 || (t[len] == '/' && t[len + 1] != '\0'))
        return NULL;
    return strndup(t, len);
}

/* The instance a token names, refreshing the registry once on a miss (an
 * instance connected a moment ago). Takes a snapshot reference in *snap. */
static const instance_row *find_instance(serve *sv, const char *token, registry_snap **snap)
{
    *snap = registry_get(sv->reg);
    const instance_row *inst = registry_by_token(*snap, token);
    if (inst)
        return inst;
    registry_put(*snap);
    registry_refresh_soon(sv->reg);
    *snap = registry_get(sv->reg);
    return registry_by_token(*snap, token);
}

static char *function_url(const char *query)
{
    char *url = NULL;
    if (asprintf(&url, "%s%s%s", ENGINE_DEFAULT_URL, *query ? "?" : "", query) < 0)
        abort();
    return url;
}

static json_t *accepted_reply(int *status, int64_t id)
{
    *status = 200;
    return json_pack("{s:b, s:I}", "ok", 1, "id", (json_int_t)id);
}

/* The request as the queue stores it; its body is taken over from the
 * listener (not copied). */
static queued_request *stored_form(const instance_row *inst, const server_request *req)
{
    queued_request *r = calloc(1, sizeof *r);
    if (!r)
        abort();
    r->instance = xstrdup(inst->name);
    r->received_at = store_now_ms();
    r->method = xstrdup(req->method);
    r->url = function_url(req->query);
    r->headers = json_incref(req->headers);
    r->body_len = req->body_len;
    r->body = server_take_body(req);
    return r;
}

/* What follows the writer's commit of r (or its failure): the workers get
 * it, and the sender its answer; *status and the returned reply. */
static json_t *after_store(serve *sv, queued_request *r, int64_t id, const char *err, int *status)
{
    if (id < 0) {
        fprintf(stderr, "srcfn serve: %s: cannot store a request: %s\n", r->instance, err ? err : "?");
        queued_request_free(r);
        free(r);
        return refusal(status, 503, "the request could not be stored; try again");
    }
    r->id = id;
    workers_submit(sv->workers, id, r->instance, 0, r);
    return accepted_reply(status, id);
}

/* On the writer's thread, once an accepted request is committed: it is
 * durable, so its sender may hear 200. */
static void on_stored(void *ctx, void *tag, queued_request *r, int64_t id, const char *err)
{
    int status = 0;
    json_t *reply = after_store(ctx, r, id, err, &status);
    server_resume(tag, status, reply);
}

/* Stores the request, then answers: later, once the writer committed it
 * (the listener's thread moves on meanwhile), or, when the listener is
 * stopping, now, waiting for the commit. */
static json_t *accept_request(serve *sv, const instance_row *inst, const server_request *req, int *status)
{
    server_deferred *d = server_defer(req);
    queued_request *r = stored_form(inst, req);
    if (d) {
        queue_insert_async(sv->writer, r, on_stored, sv, d);
        *status = SERVER_DEFERRED;
        return NULL;
    }
    char *err = NULL;
    int64_t id = queue_insert(sv->writer, r, &err);
    json_t *reply = after_store(sv, r, id, err, status);
    free(err);
    return reply;
}

/* --- the management API, off the listener threads ------------------------------------------------- */

/* A management call, answered on a thread of its own: one call may take long
 * (a deploy lowers code), and a listener thread serves many connections, so
 * holding one would stall webhooks. The request's fields are copied, as the
 * listener's are only valid while its handler runs. */
typedef struct mgmt_call {
    const char *root;
    server_request req;
    server_deferred *answer;
} mgmt_call;

static void mgmt_call_free(mgmt_call *m)
{
    free((char *)m->req.method);
    free((char *)m->req.path);
    free((char *)m->req.query);
    json_decref(m->req.headers);
    free((char *)m->req.body);
    free(m);
}

static void *mgmt_thread(void *arg)
{
    mgmt_call *m = arg;
    int status = 500;
    json_t *reply = mgmt_handle(m->root, &m->req, &status);
    server_resume(m->answer, status, reply);
    mgmt_call_free(m);
    return NULL;
}

/* Starts the call on its own thread; NULL when it has to be answered here
 * (the server is stopping, or no thread could start). */
static json_t *mgmt_defer(serve *sv, const server_request *req, int *status)
{
    mgmt_call *m = calloc(1, sizeof *m);
    if (!m)
        return mgmt_handle(sv->root, req, status);
    m->root = sv->root;
    m->req = (server_request){.method = xstrdup(req->method), .path = xstrdup(req->path),
                              .query = xstrdup(req->query), .headers = json_incref(req->headers),
                              .body_len = req->body_len};
    m->req.body = malloc(req->body_len + 1);
    pthread_attr_t attr;
    int attr_ok = pthread_attr_init(&attr) == 0;
    pthread_t t;
    if (!m->req.body || !attr_ok || pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED) != 0 ||
        !(m->answer = server_defer(req))) {
        if (attr_ok)
            pthread_attr_destroy(&attr);
        mgmt_call_free(m);
        return mgmt_handle(sv->root, req, status);
    }
    if (req->body)
        memcpy((char *)m->req.body, req->body, req->body_len);
    ((char *)m->req.body)[req->body_len] = '\0';
    if (pthread_create(&t, &attr, mgmt_thread, m) != 0) {
        /* Deferred already: answer it from here, the same way. */
        pthread_attr_destroy(&attr);
        mgmt_thread(m);
        *status = SERVER_DEFERRED;
        return NULL;
    }
    pthread_attr_destroy(&attr);
    *status = SERVER_DEFERRED;
    return NULL;
}

static json_t *on_webhook(void *ctx, const server_request *req, int *status)
{
    serve *sv = ctx;
    if (mgmt_owns(req->path))
        return mgmt_defer(sv, req, status);
    char *token = path_token(req->path);
    if (!token)
        return refusal(status, 404, "not found: webhook URLs are /hooks/<token>");
    registry_snap *snap = NULL;
    const instance_row *inst = find_instance(sv, token, &snap);
    free(token);
    json_t *reply;
    if (!inst) {
        reply = refusal(status, 404, "no connected source has this webhook URL");
    } else if (inst->version <= 0) {
        reply = refusal(status, 503, "this source has no deployed version yet");
    } else if (workers_backlog(sv->workers) >= sv->max_queued) {
        reply = refusal(status, 503, "too many webhooks are waiting to run; try again later");
    } else {
        reply = accept_request(sv, inst, req, status);
    }
    registry_put(snap);
    return reply;
}

/* --- start and stop --------------------------------------------------------------------------------- */

/* Holds .srcfn/serve.lock for the life of the process; -1 when another
 * server holds it. */
static int lock_workspace(const char *root)
{
    char *path = NULL;
    if (asprintf(&path, "%s/.srcfn/serve.lock", root) < 0)
        abort();
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    free(path);
    if (fd < 0) {
        fprintf(stderr, "srcfn serve: cannot open .srcfn/serve.lock: %s\n", strerror(errno));
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        fprintf(stderr, "srcfn serve: another srcfn serve is running for this workspace\n");
        close(fd);
        return -1;
    }
    return fd;
}

static void on_recovered(void *ctx, int64_t id, const char *instance, int64_t next_at)
{
    serve *sv = ctx;
    workers_submit(sv->workers, id, instance, next_at, NULL);
}

/* Hands the workers what an earlier server left unfinished (ids up to last). */
static int recover(serve *sv, int64_t last)
{
    char *err = NULL;
    long n = queue_recover(sv->checkpoint, last, on_recovered, sv, &err);
    if (n < 0) {
        fprintf(stderr, "srcfn serve: cannot read the queue: %s\n", err ? err : "?");
        free(err);
        return -1;
    }
    if (n > 0)
        fprintf(stderr, "srcfn serve: resuming %ld request%s accepted earlier\n", n, n == 1 ? "" : "s");
    return 0;
}

static void print_instances(const serve_options *opt, int port, registry *reg)
{
    const char *host = opt->bind ? opt->bind : "127.0.0.1";
    int v6 = strchr(host, ':') != NULL;
    fprintf(stderr, "srcfn serve: listening on http://%s%s%s:%d\n", v6 ? "[" : "", host, v6 ? "]" : "", port);
    registry_snap *s = registry_get(reg);
    for (size_t i = 0; i < s->n; i++) {
        const instance_row *r = &s->rows[i];
        fprintf(stderr, "  %s (%s v%d)  http://%s%s%s:%d/hooks/%s\n", r->name, r->function, r->version,
                v6 ? "[" : "", host, v6 ? "]" : "", port, r->token);
    }
    if (s->n == 0)
        fprintf(stderr, "  no sources are connected yet (srcfn connect); they are picked up as they come\n");
    registry_put(s);
}

/* Deletes the requests that finished more than keep_finished_s ago (their
 * bodies are most of the store), PRUNE_BATCH at a time so that the writer
 * waits little for each, PRUNE_BATCHES at most per poll. */
static void prune_finished(serve *sv)
{
    int64_t before = store_now_ms() - (int64_t)sv->keep_finished_s * 1000;
    for (int i = 0; i < PRUNE_BATCHES; i++) {
        char *err = NULL;
        long n = queue_prune(sv->checkpoint, before, PRUNE_BATCH, &err);
        if (n < 0) {
            fprintf(stderr, "srcfn serve: %s\n", err ? err : "cannot delete finished requests");
            free(err);
        }
        if (n < PRUNE_BATCH)
            return;
    }
}

/* Waits for SIGINT/SIGTERM; every POLL_MS refreshes the registry,
 * checkpoints the store's log and deletes what finished long enough ago. */
static void wait_for_signal(serve *sv, const sigset_t *signals)
{
    struct timespec poll = {0, POLL_MS * 1000000L};
    for (;;) {
        int sig = sigtimedwait(signals, NULL, &poll);
        if (sig == SIGINT || sig == SIGTERM)
            return;
        char *err = NULL;
        if (queue_checkpoint(sv->checkpoint, &err) != 0) {
            fprintf(stderr, "srcfn serve: %s\n", err ? err : "cannot checkpoint the store");
            free(err);
            err = NULL;
        }
        prune_finished(sv);
        int changed = registry_refresh(sv->reg, &err);
        if (changed < 0) {
            fprintf(stderr, "srcfn serve: cannot reload instances: %s\n", err ? err : "?");
            free(err);
        } else if (changed > 0) {
            fprintf(stderr, "srcfn serve: instances changed: reloaded\n");
        }
    }
}

/* Blocks SIGINT and SIGTERM in this thread and every thread started after
 * (the main thread takes them with sigtimedwait); ignores SIGPIPE. */
static int block_signals(sigset_t *signals)
{
    if (sigemptyset(signals) != 0 || sigaddset(signals, SIGINT) != 0 || sigaddset(signals, SIGTERM) != 0 ||
        pthread_sigmask(SIG_BLOCK, signals, NULL) != 0 || signal(SIGPIPE, SIG_IGN) == SIG_ERR) {
        fprintf(stderr, "srcfn serve: cannot set up signal handling\n");
        return -1;
    }
    return 0;
}

static int listener_threads(void)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return cores < 1 ? 1 : cores > SERVE_LISTENER_THREADS_MAX ? SERVE_LISTENER_THREADS_MAX : (int)cores;
}

static int start_all(serve *sv, const serve_options *opt, delivery **d, server **srv)
{
    char *err = NULL;
    int64_t last = 0;
    sv->checkpoint = queue_open(sv->root, &err);
    if (sv->checkpoint && queue_reset_interrupted(sv->checkpoint, &last, &err) == 0) {
        delivery_options dopt = {0};
        *d = delivery_start(sv->root, &dopt, &err);
    }
    sv->writer = *d ? queue_writer_start(sv->root, &err) : NULL;
    if (sv->writer) {
        workers_options wopt = {opt->workers, opt->retry_base_ms};
        sv->workers = workers_start(sv->root, sv->reg, *d, sv->writer, &wopt, &err);
    }
    if (sv->workers) {
        server_options so = {opt->bind, opt->port, opt->threads > 0 ? opt->threads : listener_threads(),
                             MGMT_PREFIX};
        *srv = server_start(&so, on_webhook, sv, &err);
    }
    if (*srv && recover(sv, last) == 0)
        return 0;
    if (err)
        fprintf(stderr, "srcfn serve: %s\n", err);
    free(err);
    return -1;
}

int serve_run(const char *root, const serve_options *opt)
{
    sigset_t signals;
    if (block_signals(&signals) != 0)
        return 1;
    int lock = lock_workspace(root);
    if (lock < 0)
        return 1;
    serve sv = {.root = root,
                .keep_finished_s = opt->keep_finished_s < 0 ? SERVE_KEEP_FINISHED_S : opt->keep_finished_s,
                .max_queued = (size_t)(opt->max_queued > 0 ? opt->max_queued : SERVE_MAX_QUEUED)};
    char *err = NULL;
    sv.reg = registry_open(root, &err);
    delivery *d = NULL;
    server *srv = NULL;
    int status = 1;
    if (!sv.reg) {
        fprintf(stderr, "srcfn serve: %s\n", err ? err : "cannot open the workspace");
        free(err);
    } else if (start_all(&sv, opt, &d, &srv) == 0) {
        print_instances(opt, server_port(srv), sv.reg);
        wait_for_signal(&sv, &signals);
        fprintf(stderr, "srcfn serve: stopping: finishing runs in progress\n");
        status = 0;
    }
    server_stop(srv);
    workers_stop(sv.workers);
    queue_writer_stop(sv.writer);
    if (d)
        delivery_stop(d);
    queue_close(sv.checkpoint);
    registry_close(sv.reg);
    close(lock);
    if (status == 0)
        fprintf(stderr, "srcfn serve: stopped\n");
    return status;
}
