/*
 * srcfn: a terminal studio for Segment source functions. This file only
 * dispatches to the commands of the table below.
 */
#include <curl/curl.h>
#include <sqlite3.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const command commands[] = {
    {"run", "run <function-dir | file.js | NAME> [--request FILE | --capture ID] [--settings FILE] [--json]",
     "run onRequest once and print what it emitted", cmd_run},
    {"studio", "studio [NAME] [--port P]", "open the terminal studio (also: srcfn alone, in a workspace)", cmd_studio},
    {"init", "init [DIR]", "make DIR (default: here) a workspace", cmd_init},
    {"new", "new NAME [--template T]", "create the function NAME/ from a template", cmd_new},
    {"templates", "templates [--json]", "list the templates new --template starts from", cmd_templates},
    {"test", "test [NAME | DIR ...] [--update [--yes]]",
     "run every example of a function (or of the workspace) and compare with its expectation", cmd_test},
    {"deploy", "deploy NAME [--instance I ...]",
     "Save & Deploy: record a version of NAME and point its instances (all, or those named) at it", cmd_deploy},
    {"versions", "versions NAME [--json]", "list the versions of a function and the instances running each",
     cmd_versions},
    {"rollback", "rollback INSTANCE VERSION", "point one instance at another version of its function",
     cmd_rollback},
    {"connect", "connect NAME --instance I [--setting NAME=VALUE ...] [--write-key K] [--endpoint URL]",
     "connect a source: an instance of NAME with its own settings and webhook URL", cmd_connect},
    {"sources", "sources [--json]", "list connected instances, their versions and webhook URLs", cmd_sources},
    {"disconnect", "disconnect INSTANCE", "remove an instance", cmd_disconnect},
    {"serve", "serve [--port P] [--bind ADDR] [--workers N] [--retry-base-ms MS]",
     "run every connected instance behind one webhook listener until Ctrl-C", cmd_serve},
    {"errors", "errors INSTANCE [--json]", "show the error log of a deployed instance, newest first", cmd_errors},
    {"listen", "listen NAME [--port P] [--bind ADDR]", "capture webhooks for NAME at a local URL (Auto-fill via Webhook)", cmd_listen},
    {"captures", "captures NAME [--json] [--limit N]", "list the requests captured for NAME, newest first", cmd_captures},
    {"push", "push NAME [--base URL] [--token-env VAR] [--new]",
     "create or update NAME in a Segment workspace through the Public API (token: $SEGMENT_TOKEN)", cmd_push},
    {"pull", "pull ID [--name NAME] [--force] [--base URL] [--token-env VAR]",
     "write the Segment function ID as a function directory (refuses to overwrite local changes)", cmd_pull},
    {"members", "members add NAME --role R [--role R2 ...] [--functions a,b] | list [--json] | remove NAME",
     "manage who may use the management API of srcfn serve, with which roles (owner only)", cmd_members},
    {"audit", "audit [--json] [--limit N]", "show the audit log of management calls, newest first (owner only)",
     cmd_audit},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("srcfn: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return EXIT_USAGE;
}

int parse_json_option(int argc, char **argv, const char *command, const char *usage, int *json)
{
    static const struct option longopts[] = {
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    *json = 0;
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c != 'j')
            return usage_error("%s: unknown option \"%s\"\n%s", command, argv[optind - 1], usage);
        *json = 1;
    }
    return EXIT_OK;
}

static void print_help(FILE *out)
{
    fputs("usage: srcfn <command> [arguments]\n\ncommands:\n", out);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  srcfn %s\n      %s\n", commands[i].usage, commands[i].summary);
}

int main(int argc, char **argv)
{
    static char *studio_argv[] = {NULL, "studio", NULL};
    if (argc < 2 && cmd_studio_applies()) {   /* srcfn alone, in a workspace, on a terminal */
        studio_argv[0] = argv[0];
        argc = 2;
        argv = studio_argv;
    }
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
        print_help(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    /* SQLite's memory statistics take one global mutex on every allocation
     * of every connection; serve's threads all allocate through SQLite. */
    if (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK)
        return usage_error("cannot configure SQLite");
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return usage_error("cannot initialise libcurl");
    int status = -1;
    for (size_t i = 0; i < NCOMMANDS; i++) {
        if (strcmp(argv[1], commands[i].name) == 0)
            status = commands[i].run(argc - 1, argv + 1);
    }
    if (status < 0)
        status = usage_error("unknown command \"%s\" (see srcfn --help)", argv[1]);
    curl_global_cleanup();
    return status;
}
