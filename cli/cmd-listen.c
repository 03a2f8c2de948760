/*
 * srcfn listen NAME [--port P] [--bind ADDR]
 *
 * "Auto-fill via Webhook" in the terminal: starts a capture listener for the
 * function NAME of the workspace (webhook/capture.h), prints its URL, then
 * one line per request as it arrives, until SIGINT or SIGTERM. The port is
 * CAPTURE_DEFAULT_PORT unless told (0: any free port); the address 127.0.0.1.
 *
 * SIGINT and SIGTERM are blocked before any thread starts, so every thread
 * inherits the mask and the main thread alone takes them, with sigwait.
 */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/ws.h"
#include "webhook/capture.h"
#include "workspace/store.h"
#include "workspace/workspace.h"

#define USAGE "usage: srcfn listen NAME [--port P] [--bind ADDR]"

typedef struct listen_options {
    const char *name;
    const char *bind;
    int port;
} listen_options;

static int parse_port(const char *s, int *port)
{
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < 0 || v > 65535)
        return usage_error("listen: --port takes a port number (0..65535; 0: any free port), not \"%s\"", s);
    *port = (int)v;
    return EXIT_OK;
}

static int parse_options(int argc, char **argv, listen_options *o)
{
    static const struct option longopts[] = {
        {"port", required_argument, NULL, 'p'},
        {"bind", required_argument, NULL, 'b'},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    o->port = CAPTURE_DEFAULT_PORT;
    opterr = 0;
    optind = 1;
    int c, status = EXIT_OK;
    while (status == EXIT_OK && (c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c == 'p')
            status = parse_port(optarg, &o->port);
        else if (c == 'b')
            o->bind = optarg;
        else
            status = usage_error("listen: unknown option or missing value \"%s\"\n" USAGE, argv[optind - 1]);
    }
    if (status == EXIT_OK && optind != argc - 1)
        status = usage_error("listen: name one function\n" USAGE);
    if (status == EXIT_OK)
        o->name = argv[optind];
    return status;
}

/* One line per capture: #ID  TIME  METHOD PATH?QUERY  SIZE  TYPE  PREVIEW */
static void print_capture(void *ctx, long long id, const server_request *req)
{
    (void)ctx;
    char when[32], size[32], pv[CAPTURE_PREVIEW_SIZE];
    ws_local_time(store_now_ms(), when, sizeof when);
    ws_size((int64_t)req->body_len, size, sizeof size);
    capture_preview(req->body, req->body_len, pv);
    const char *ct = capture_header(req->headers, "Content-Type");
    printf("#%lld  %s  %s %s%s%s  %s  %s  %s\n", id, when + 11, req->method, req->path, req->query[0] ? "?" : "",
           req->query, size, ct ? ct : "-", pv);
    fflush(stdout);
}

/* The host to print in the URL: the bind address, or 127.0.0.1 for "any". */
static void url_host(const char *bind, char *out, size_t size)
{
    if (!bind || strcmp(bind, "0.0.0.0") == 0 || strcmp(bind, "::") == 0)
        snprintf(out, size, "127.0.0.1");
    else if (strchr(bind, ':'))
        snprintf(out, size, "[%s]", bind);
    else
        snprintf(out, size, "%s", bind);
}

static int function_exists(const char *root, const char *name)
{
    char *dir = workspace_function_dir(root, name);
    struct stat st;
    int yes = stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
    free(dir);
    return yes;
}

static int wait_for_signal(void)
{
    sigset_t set;
    int sig = 0;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    return sigwait(&set, &sig) == 0 ? sig : -1;
}

static int listen_until_signal(const char *root, const listen_options *o)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    if (pthread_sigmask(SIG_BLOCK, &set, NULL) != 0)
        return usage_error("listen: cannot block signals");
    server_options so = {.bind = o->bind, .port = o->port};
    char *err = NULL, host[80];
    capture *c = capture_start(root, o->name, &so, print_capture, NULL, &err);
    if (!c)
        return ws_fail(EXIT_FAILED, "listen", err);
    url_host(o->bind, host, sizeof host);
    printf("capturing requests for %s at http://%s:%d/\n", o->name, host, capture_port(c));
    printf("POST JSON or form data to it (any path); srcfn captures %s lists them, "
           "srcfn run %s --capture ID runs one. Ctrl-C stops.\n", o->name, o->name);
    fflush(stdout);
    int sig = wait_for_signal();
    capture_stop(c);
    printf("stopped%s\n", sig == SIGTERM ? " (SIGTERM)" : "");
    return sig < 0 ? EXIT_FAILED : EXIT_OK;
}

int cmd_listen(int argc, char **argv)
{
    listen_options o;
    int status = parse_options(argc, argv, &o);
    if (status != EXIT_OK || (status = ws_check_name("listen", "function", o.name)) != EXIT_OK)
        return status;
    char *root = workspace_require();
    if (!root)
        return EXIT_USAGE;
    if (!function_exists(root, o.name))
        status = usage_error("listen: there is no function %s in %s (srcfn new %s makes one)", o.name, root, o.name);
    else
        status = listen_until_signal(root, &o);
    free(root);
    return status;
}
