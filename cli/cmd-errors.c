/*
 * srcfn errors INSTANCE [--json]
 *
 * The error log of a deployed instance, newest first: each failed run of
 * `srcfn serve` with its time, attempt, error (type, name, message, line),
 * the request the function was given and the console lines it printed. The
 * log keeps the 100 most recent entries for up to 30 days (webhook/errlog.h).
 * --json prints the entries as one JSON array. Exit status 0, or 2 when
 * there is no such instance (and no errors of one that was disconnected).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/ws.h"
#include "engine/jsonout.h"
#include "webhook/errlog.h"
#include "workspace/instances.h"
#include "workspace/store.h"

#define ERRORS_USAGE "usage: srcfn errors INSTANCE [--json]"
#define BODY_EXCERPT 300

static int parse_options(int argc, char **argv, const char **instance, int *json)
{
    int status_opt = parse_json_option(argc, argv, "errors", ERRORS_USAGE, json);
    if (status_opt != EXIT_OK)
        return status_opt;
    if (optind != argc - 1)
        return usage_error("errors: name one instance\n" ERRORS_USAGE);
    *instance = argv[optind];
    return ws_check_name("errors", "instance", *instance);
}

static const char *str(json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : "";
}

static void print_body(json_t *body)
{
    char *text = json_is_string(body) ? strdup(json_string_value(body))
                                      : jsonout_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!text)
        return;
    size_t len = strlen(text);
    if (len == 0)
        printf("    body:    (empty)\n");
    else if (len > BODY_EXCERPT)
        printf("    body:    %.*s… (%zu bytes)\n", BODY_EXCERPT, text, len);
    else
        printf("    body:    %s\n", text);
    free(text);
}

static void print_entry(json_t *e)
{
    char when[64];
    ws_local_time(json_integer_value(json_object_get(e, "at")), when, sizeof when);
    int attempt = (int)json_integer_value(json_object_get(e, "attempt"));
    int final = json_is_true(json_object_get(e, "final"));
    const char *type = str(e, "type");
    const char *fate = !final ? "retried later" : strcmp(type, "Retry") == 0 ? "dropped" : "not retried";
    printf("%s  attempt %d  %s\n", when, attempt, fate);
    json_t *line = json_object_get(e, "line");
    printf("    error:   %s: %s: %s", type, str(e, "name"), str(e, "message"));
    if (json_is_integer(line))
        printf(" (line %lld)", (long long)json_integer_value(line));
    putchar('\n');
    json_t *req = json_object_get(e, "request");
    printf("    request: %s %s\n", str(req, "method"), str(req, "url"));
    print_body(json_object_get(req, "body"));
    json_t *logs = json_object_get(e, "logs");
    size_t i;
    json_t *l;
    if (json_array_size(logs) > 0)
        printf("    console:\n");
    json_array_foreach(logs, i, l) printf("      [%s] %s\n", str(l, "level"), str(l, "message"));
    putchar('\n');
}

static void print_human(const char *instance, json_t *list)
{
    size_t n = json_array_size(list);
    if (n == 0) {
        printf("no errors recorded for %s (the log keeps %d, for %d days)\n", instance, ERRLOG_KEEP,
               (int)(ERRLOG_MAX_AGE_MS / 86400000));
        return;
    }
    printf("%zu error%s of %s, newest first:\n\n", n, n == 1 ? "" : "s", instance);
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) print_entry(e);
}

int cmd_errors(int argc, char **argv)
{
    const char *instance = NULL;
    int json;
    int status = parse_options(argc, argv, &instance, &json);
    if (status != EXIT_OK)
        return status;
    char *root;
    sqlite3 *db;
    status = ws_open(&root, &db);
    if (status != EXIT_OK)
        return status;
    char *err = NULL;
    instance_row row;
    int found = instance_get(db, instance, &row, &err);
    if (found == 1)
        instance_row_free(&row);
    json_t *list = found < 0 ? NULL : errlog_list(db, instance, store_now_ms(), &err);
    if (!list) {
        status = ws_fail(EXIT_FAILED, "errors", err);
    } else if (found == 0 && json_array_size(list) == 0) {
        status = usage_error("errors: no instance named \"%s\" (see srcfn sources)", instance);
    } else if (json) {
        if (jsonout_dumpf(list, stdout, JSON_COMPACT) != 0 || fputc('\n', stdout) == EOF)
            status = ws_fail(EXIT_FAILED, "errors", strdup("cannot write the list"));
    } else {
        print_human(instance, list);
    }
    json_decref(list);
    ws_close(root, db);
    return status;
}
