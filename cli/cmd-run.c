/*
 * srcfn run <function-dir | file.js> [--request FILE | --capture ID] [--settings FILE] [--json]
 *
 * Runs onRequest once. The request is --request, else the capture ID (what
 * `srcfn listen` stored; the function is then also looked up by name in the
 * workspace), else the function's first example, else an empty JSON POST.
 * Settings are --settings, else the request file's "settings" (for a capture:
 * the first example's). Exit status: 0 the function succeeded, 1 it threw, 2
 * bad usage or unreadable input. The values of settings declared sensitive
 * are masked wherever they appear in the console lines and the error printed
 * (workspace/secrets.h); what the function emitted is shown as it is.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/report.h"
#include "engine/engine.h"
#include "engine/jsonout.h"
#include "webhook/capture.h"
#include "workspace/funcdir.h"
#include "workspace/request-file.h"
#include "workspace/secrets.h"
#include "workspace/workspace.h"

#define USAGE "usage: srcfn run <function-dir | file.js> [--request FILE | --capture ID] [--settings FILE] [--json]"

typedef struct run_options {
    const char *target;
    const char *request_path;
    const char *settings_path;
    long long capture;    /* 0: none */
    int json;
} run_options;

static int parse_options(int argc, char **argv, run_options *o)
{
    static const struct option longopts[] = {
        {"request", required_argument, NULL, 'r'},
        {"settings", required_argument, NULL, 's'},
        {"json", no_argument, NULL, 'j'},
        {"capture", required_argument, NULL, 'c'},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'r': o->request_path = optarg; break;
        case 's': o->settings_path = optarg; break;
        case 'j': o->json = 1; break;
        case 'c': {
            char *end = NULL;
            o->capture = strtoll(optarg, &end, 10);
            if (!*optarg || *end || o->capture < 1)
                return usage_error("run: --capture takes a capture id (see srcfn captures NAME), not \"%s\"", optarg);
            break;
        }
        default:
            return usage_error("run: unknown option \"%s\"\n" USAGE, argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return usage_error("run: name one function directory or .js file\n" USAGE);
    o->target = argv[optind];
    if (o->capture && o->request_path)
        return usage_error("run: give --request or --capture, not both\n" USAGE);
    return EXIT_OK;
}

/* The request file to use: --request, the first example, or none. */
static int load_request(const run_options *o, const funcdir *f, request_file *r)
{
    char *err = NULL;
    char **examples = NULL;
    const char *path = o->request_path;
    if (!path) {
        examples = funcdir_examples(f);
        path = examples[0];
    }
    int rc;
    if (path) {
        rc = request_file_load(path, r, &err);
    } else {
        rc = request_file_parse(json_pack("{s:{}}", "body"), "default request", r, &err);
    }
    funcdir_free_list(examples);
    if (rc != 0) {
        usage_error("%s", err);
        free(err);
        return -1;
    }
    return 0;
}

/* --capture: the target as given when it is a path, else the workspace's
 * function of that name (malloc'd; NULL: use the target as given). */
static char *capture_target(const char *target)
{
    struct stat st;
    if (stat(target, &st) == 0)
        return NULL;
    char *root = workspace_find(".");
    char *dir = root ? workspace_function_dir(root, target) : NULL;
    free(root);
    return dir;
}

/* A note on stderr when the capture was made for another function than f. */
static void note_other_function(json_t *doc, const funcdir *f, long long id)
{
    const char *owner = json_string_value(json_object_get(doc, "function"));
    char *dir = f->dir ? realpath(f->dir, NULL) : NULL;
    const char *base = dir ? strrchr(dir, '/') : NULL;
    if (owner && base && strcmp(base + 1, owner) != 0)
        fprintf(stderr, "srcfn: note: capture %lld was made for %s; running it with %s\n", id, owner, base + 1);
    free(dir);
}

/* The request of --capture ID, from the workspace around the current directory. */
static int load_capture(const run_options *o, const funcdir *f, request_file *r)
{
    char *root = workspace_require();
    if (!root)
        return -1;
    char *err = NULL, name[48];
    json_t *doc = capture_request(root, o->capture, &err);
    free(root);
    if (!doc) {
        usage_error("run: %s", err);
        free(err);
        return -1;
    }
    note_other_function(doc, f, o->capture);
    snprintf(name, sizeof name, "capture %lld", o->capture);
    if (request_file_parse(doc, name, r, &err) != 0) {
        usage_error("run: %s", err);
        free(err);
        request_file_free(r);
        return -1;
    }
    return 0;
}

/* Settings for a capture: the first example's, else none. */
static json_t *example_settings(const funcdir *f)
{
    char **examples = funcdir_examples(f);
    request_file ex;
    char *err = NULL;
    json_t *settings = NULL;
    if (examples[0] && request_file_load(examples[0], &ex, &err) == 0) {
        settings = ex.settings ? json_incref(ex.settings) : NULL;
        request_file_free(&ex);
    }
    free(err);
    funcdir_free_list(examples);
    return settings ? settings : json_object();
}

static json_t *load_settings(const char *path)
{
    json_error_t jerr;
    json_t *doc = json_load_file(path, 0, &jerr);
    if (!doc) {
        usage_error("%s is not valid JSON: %s (line %d, column %d)", path, jerr.text, jerr.line, jerr.column);
        return NULL;
    }
    if (!json_is_object(doc)) {
        usage_error("%s must hold a JSON object of settings", path);
        json_decref(doc);
        return NULL;
    }
    return doc;
}

static json_t *run_once(const funcdir *f, const request_file *r, json_t *settings)
{
    engine *e = engine_new(NULL);
    if (!e)
        return NULL;
    json_t *error = NULL;
    const char *base = strrchr(f->handler_path, '/');
    json_t *result;
    if (engine_load(e, f->source, f->source_len, base ? base + 1 : f->handler_path,
                    funcdir_settings(f), &error) != 0) {
        result = json_pack("{s:[], s:[], s:[], s:o, s:i}", "events", "objects", "logs", "error", error,
                           "durationMs", 0);
    } else {
        engine_request req = request_file_request(r);
        result = engine_invoke(e, &req, settings);
    }
    engine_free(e);
    return result;
}

int cmd_run(int argc, char **argv)
{
    run_options o;
    int status = parse_options(argc, argv, &o);
    if (status != EXIT_OK)
        return status;

    funcdir f;
    char *err = NULL;
    char *target = o.capture ? capture_target(o.target) : NULL;
    int opened = funcdir_open(target ? target : o.target, &f, &err);
    free(target);
    if (opened != 0) {
        usage_error("%s", err);
        free(err);
        return EXIT_USAGE;
    }
    request_file r;
    json_t *settings = NULL;
    if ((o.capture ? load_capture(&o, &f, &r) : load_request(&o, &f, &r)) != 0) {
        funcdir_close(&f);
        return EXIT_USAGE;
    }
    if (o.settings_path) {
        settings = load_settings(o.settings_path);
        status = settings ? EXIT_OK : EXIT_USAGE;
    } else if (o.capture) {
        settings = example_settings(&f);
    } else {
        settings = r.settings ? json_incref(r.settings) : json_object();
    }
    json_t *result = status == EXIT_OK ? run_once(&f, &r, settings) : NULL;
    if (status == EXIT_OK && !result)
        status = usage_error("cannot start the JavaScript engine");
    if (result) {
        json_t *secrets = secrets_values(funcdir_settings(&f), settings);
        secrets_mask_run_output(result, secrets);
        json_decref(secrets);
        if (o.json) {
            jsonout_dumpf(result, stdout, JSON_COMPACT);
            fputc('\n', stdout);
        } else {
            report_print(stdout, result, f.handler_path);
        }
        status = json_is_null(json_object_get(result, "error")) ? EXIT_OK : EXIT_FAILED;
    }
    json_decref(result);
    json_decref(settings);
    request_file_free(&r);
    funcdir_close(&f);
    return status;
}
