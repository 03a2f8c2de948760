/*
 * srcfn captures NAME [--json] [--limit N]
 *
 * Lists what `srcfn listen NAME` captured, newest first: id, time, method,
 * path, size, content type and the start of the body; --json prints the whole
 * captures (headers and raw bodies included) as one JSON array
 * (webhook/capture.h describes its objects). At most the newest
 * CAPTURE_KEEP are kept per function.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/ws.h"
#include "engine/jsonout.h"
#include "webhook/capture.h"
#include "workspace/workspace.h"

#define USAGE "usage: srcfn captures NAME [--json] [--limit N]"

typedef struct captures_options {
    const char *name;
    int json;
    int limit;
} captures_options;

static int parse_options(int argc, char **argv, captures_options *o)
{
    static const struct option longopts[] = {
        {"json", no_argument, NULL, 'j'},
        {"limit", required_argument, NULL, 'l'},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        char *end = NULL;
        if (c == 'j') {
            o->json = 1;
        } else if (c == 'l') {
            long v = strtol(optarg, &end, 10);
            if (!*optarg || *end || v < 1 || v > 1000000)
                return usage_error("captures: --limit takes a positive number, not \"%s\"", optarg);
            o->limit = (int)v;
        } else {
            return usage_error("captures: unknown option or missing value \"%s\"\n" USAGE, argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return usage_error("captures: name one function\n" USAGE);
    o->name = argv[optind];
    return EXIT_OK;
}

#define ROW_FORMAT "%-6s %-19s %-6s %-20s %10s  %-34s %s\n"

static const char *field(json_t *capture, const char *key)
{
    const char *s = json_string_value(json_object_get(capture, key));
    return s ? s : "-";
}

static void print_row(FILE *out, json_t *c)
{
    char id[24], when[32], size[32], pv[CAPTURE_PREVIEW_SIZE];
    json_t *body = json_object_get(c, "body");
    snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(c, "id")));
    ws_local_time(json_integer_value(json_object_get(c, "atMs")), when, sizeof when);
    ws_size(json_integer_value(json_object_get(c, "size")), size, sizeof size);
    capture_preview(json_string_value(body), json_string_length(body), pv);
    fprintf(out, ROW_FORMAT, id, when, field(c, "method"), field(c, "path"), size, field(c, "contentType"), pv);
}

static void print_table(FILE *out, json_t *list, const char *name)
{
    if (json_array_size(list) == 0) {
        fprintf(out, "no captures for %s yet (srcfn listen %s prints a URL to send webhooks to)\n", name, name);
        return;
    }
    fprintf(out, ROW_FORMAT, "ID", "TIME", "METHOD", "PATH", "SIZE", "TYPE", "BODY");
    size_t i;
    json_t *c;
    json_array_foreach(list, i, c) {
        print_row(out, c);
    }
}

int cmd_captures(int argc, char **argv)
{
    captures_options o;
    int status = parse_options(argc, argv, &o);
    if (status != EXIT_OK || (status = ws_check_name("captures", "function", o.name)) != EXIT_OK)
        return status;
    char *root = workspace_require();
    if (!root)
        return EXIT_USAGE;
    char *err = NULL;
    json_t *list = capture_list(root, o.name, o.limit, &err);
    free(root);
    if (!list)
        return ws_fail(EXIT_FAILED, "captures", err);
    if (o.json) {
        jsonout_dumpf(list, stdout, JSON_COMPACT);
        fputc('\n', stdout);
    } else {
        print_table(stdout, list, o.name);
    }
    json_decref(list);
    return EXIT_OK;
}
