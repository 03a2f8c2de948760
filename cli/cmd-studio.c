/*
 * srcfn studio [NAME] [--port P]   (and `srcfn` alone inside a workspace)
 *
 * Opens the terminal studio (tui/): the catalog of the workspace's functions,
 * or the function NAME directly. --port is where the studio's capture
 * listener ("Auto-fill via Webhook") listens; by default any free port. The
 * studio needs a terminal on stdin and stdout.
 *
 * Invariant: this file only reads options and hands over to tui/ (screen.c's
 * studio_main); the studio never runs without a terminal, so scripts that
 * run `srcfn` without one keep getting the usage text and exit status 2.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "tui/studio.h"
#include "workspace/workspace.h"

#define STUDIO_USAGE "usage: srcfn studio [NAME] [--port P]"

int cmd_studio(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"port", required_argument, NULL, 'p'},
        {NULL, 0, NULL, 0},
    };
    studio_options opt = {NULL, 0};
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        char *end = NULL;
        long port = c == 'p' ? strtol(optarg, &end, 10) : -1;
        if (c != 'p')
            return usage_error("studio: unknown option or missing value \"%s\"\n" STUDIO_USAGE, argv[optind - 1]);
        if (!*optarg || *end || port < 0 || port > 65535)
            return usage_error("studio: --port takes a port number (0..65535; 0: any free port), not \"%s\"", optarg);
        opt.port = (int)port;
    }
    if (argc - optind > 1)
        return usage_error("studio: name at most one function\n" STUDIO_USAGE);
    if (optind < argc)
        opt.name = argv[optind];
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
        return usage_error("studio: needs a terminal (stdin and stdout); the other commands work without one");
    return studio_main(&opt) == 0 ? EXIT_OK : EXIT_FAILED;
}

int cmd_studio_applies(void)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
        return 0;
    char *root = workspace_find(".");
    free(root);
    return root != NULL;
}
