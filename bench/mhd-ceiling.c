/*
 * mhd-ceiling: the ceiling `make bench` measures `srcfn serve` against: a
 * libmicrohttpd server set up as webhook/server.c sets up its listener
 * (internal epoll on a pool of threads, the same limits) that reads each POST
 * body whole and answers 200 {"ok":true} without storing or running
 * anything, on 127.0.0.1. Prints its port on stdout, serves until SIGINT or SIGTERM.
 *
 * With FLOOR_DIR it is the floor instead: the least any server keeping the
 * issue's promises does before its 200. It keeps the body, checks that it is
 * JSON (jsoncheck_valid, as srcfn does; 400 if not) and hands it to the
 * kernel with one write(2) to a file of its listener thread in FLOOR_DIR, so
 * that it outlives a crash of the process (as srcfn's store does: SQLite's
 * WAL without fsync). No queue, no index, no run: no server that stores what
 * it accepts can answer faster than this one.
 *
 * usage: mhd-ceiling [PORT] [THREADS] [FLOOR_DIR]   (0: any free port; 2 threads)
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "webhook/jsoncheck.h"

#define MAX_BODY (512u * 1024)
static const char ok_body[] = "{\"ok\":true}";

static const char *floor_dir;   /* set: the floor */
static atomic_int floor_files;
static _Thread_local int floor_fd = -1;

typedef struct request {
    size_t len;
    char *body;   /* the floor keeps it */
    size_t cap;
} request;

/* The floor: keeps what arrived of the body (0: out of memory). */
static int keep(request *req, const char *data, size_t size)
{
    if (req->len + size > MAX_BODY)
        return 1;   /* answered 413 below, as the ceiling does */
    if (req->len + size > req->cap) {
        size_t cap = req->cap ? req->cap * 2 : 16384;
        while (cap < req->len + size)
            cap *= 2;
        char *b = realloc(req->body, cap);
        if (!b)
            return 0;
        req->body = b;
        req->cap = cap;
    }
    memcpy(req->body + req->len, data, size);
    return 1;
}

/* The floor: the body checked and written; the status to answer. */
static unsigned store(const request *req)
{
    if (!jsoncheck_valid(req->body ? req->body : "", req->len))
        return MHD_HTTP_BAD_REQUEST;
    if (floor_fd < 0) {
        char path[4096];
        snprintf(path, sizeof path, "%s/thread-%d.log", floor_dir, atomic_fetch_add(&floor_files, 1));
        floor_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    }
    if (floor_fd < 0 || write(floor_fd, req->body, req->len) != (ssize_t)req->len)
        return MHD_HTTP_INTERNAL_SERVER_ERROR;
    return MHD_HTTP_OK;
}

static enum MHD_Result answer(struct MHD_Connection *c, unsigned status)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(sizeof ok_body - 1, (void *)ok_body, MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    enum MHD_Result ok = MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    if (ok == MHD_YES)
        ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *data, size_t *size, void **con_cls)
{
    (void)cls;
    (void)url;
    (void)method;
    (void)version;
    request *req = *con_cls;
    if (!req) {
        req = calloc(1, sizeof *req);
        if (!req)
            return MHD_NO;
        *con_cls = req;
        return MHD_YES;
    }
    if (*size) {
        if (floor_dir && !keep(req, data, *size))
            return MHD_NO;
        req->len += *size;   /* the ceiling reads it and drops it */
        *size = 0;
        return MHD_YES;
    }
    if (req->len > MAX_BODY)
        return answer(c, MHD_HTTP_CONTENT_TOO_LARGE);
    return answer(c, floor_dir ? store(req) : MHD_HTTP_OK);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode t)
{
    (void)cls;
    (void)c;
    (void)t;
    request *req = *con_cls;
    if (req)
        free(req->body);
    free(req);
    *con_cls = NULL;
}

int main(int argc, char **argv)
{
    int port = argc > 1 ? atoi(argv[1]) : 0;
    unsigned threads = argc > 2 ? (unsigned)atoi(argv[2]) : 2;
    floor_dir = argc > 3 ? argv[3] : NULL;
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO, (uint16_t)port, NULL, NULL, on_request,
        NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_LIMIT, 10000u,
        MHD_OPTION_CONNECTION_TIMEOUT, 10u, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024),
        MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "mhd-ceiling: cannot listen\n");
        return 1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    printf("%d\n", info ? info->port : port);
    fflush(stdout);
    int sig;
    sigwait(&stop, &sig);
    MHD_stop_daemon(d);
    return 0;
}
