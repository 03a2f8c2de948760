/*
 * srcfn serve [--port P] [--bind ADDR] [--workers N] [--retry-base-ms MS] [--keep-finished S] [--max-queued N]
 *
 * Runs every connected instance of the workspace behind one listener at
 * http://ADDR:P/hooks/<token> (127.0.0.1 and $SRCFN_PORT or 8720 by default;
 * port 0 picks a free one) until SIGINT or SIGTERM. Status lines go to
 * stderr; stdout is left to delivery's endpoint "-". Exit status 0 after a
 * clean stop, 1 when it cannot start, 2 bad usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "webhook/serve.h"
#include "workspace/instances.h"
#include "workspace/workspace.h"

#define SERVE_USAGE "usage: srcfn serve [--port P] [--bind ADDR] [--workers N] [--retry-base-ms MS] [--keep-finished S] [--max-queued N]"

/* A whole number in [min, max]; -1 otherwise. */
static long number(const char *s, long min, long max)
{
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < min || v > max)
        return -1;
    return v;
}

/* Sets *help when --help was given (the usage is then printed). */
static int parse_options(int argc, char **argv, serve_options *o, int *help)
{
    static const struct option longopts[] = {
        {"help", no_argument, NULL, 'h'},
        {"port", required_argument, NULL, 'p'},
        {"bind", required_argument, NULL, 'b'},
        {"workers", required_argument, NULL, 'w'},
        {"retry-base-ms", required_argument, NULL, 'r'},
        {"keep-finished", required_argument, NULL, 'k'},
        {"max-queued", required_argument, NULL, 'q'},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    o->keep_finished_s = -1;
    *help = 0;
    o->port = instance_serve_port();
    opterr = 0;
    optind = 1;
    int c;
    long v;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'h':
            *help = 1;
            puts(SERVE_USAGE "\n\nRuns every connected source at http://ADDR:P/hooks/<token> until Ctrl-C.\n"
                 "  --port P            port (default $SRCFN_PORT or 8720; 0: any free port)\n"
                 "  --bind ADDR         address to listen on (default 127.0.0.1)\n"
                 "  --workers N         functions run on N threads at once (default 4)\n"
                 "  --retry-base-ms MS  first delay before running a Retry error again (default 1000; doubles)\n"
                 "  --keep-finished S   seconds a finished request (and its body) is kept (default 3600)\n"
                 "  --max-queued N      webhooks are refused (503) while N wait or run (default 1000000)");
            return EXIT_OK;
        case 'p':
            if ((v = number(optarg, 0, 65535)) < 0)
                return usage_error("serve: --port takes a port number (0..65535, 0: any free port)");
            o->port = (int)v;
            break;
        case 'b': o->bind = optarg; break;
        case 'w':
            if ((v = number(optarg, 1, 64)) < 0)
                return usage_error("serve: --workers takes a number from 1 to 64");
            o->workers = (int)v;
            break;
        case 'r':
            if ((v = number(optarg, 1, 3600 * 1000)) < 0)
                return usage_error("serve: --retry-base-ms takes milliseconds (1..3600000)");
            o->retry_base_ms = (int)v;
            break;
        case 'k':
            if ((v = number(optarg, 0, 30L * 24 * 3600)) < 0)
                return usage_error("serve: --keep-finished takes seconds (0..2592000)");
            o->keep_finished_s = v;
            break;
        case 'q':
            if ((v = number(optarg, 1, 100000000)) < 0)
                return usage_error("serve: --max-queued takes a number from 1 to 100000000");
            o->max_queued = v;
            break;
        default:
            return usage_error("serve: unknown option \"%s\"\n" SERVE_USAGE, argv[optind - 1]);
        }
    }
    if (optind != argc)
        return usage_error("serve: takes no arguments\n" SERVE_USAGE);
    return EXIT_OK;
}

int cmd_serve(int argc, char **argv)
{
    serve_options o;
    int help = 0;
    int status = parse_options(argc, argv, &o, &help);
    if (status != EXIT_OK || help)
        return status;
    char *root = workspace_require();
    if (!root)
        return EXIT_USAGE;
    status = serve_run(root, &o) == 0 ? EXIT_OK : EXIT_FAILED;
    free(root);
    return status;
}
