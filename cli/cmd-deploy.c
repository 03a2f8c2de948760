/*
 * srcfn deploy NAME [--instance I ...]   Save & Deploy
 * srcfn versions NAME [--json]           the versions of a function
 * srcfn rollback INSTANCE VERSION        re-points one instance
 *
 * deploy reads NAME/handler.js and NAME/function.json, refuses a settings
 * declaration that is not valid or code that does not load, records the next
 * immutable version of NAME (or reuses the newest when nothing changed) and
 * points the chosen instances (all of NAME's by default) at it (ops_deploy,
 * which the management API's deploy shares). A running `srcfn serve` sees
 * their updated_at move and reloads them.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/ws.h"
#include "engine/settings.h"
#include "workspace/deploy.h"
#include "workspace/instances.h"
#include "workspace/ops.h"
#include "workspace/store.h"
#include "workspace/workspace.h"

#define DEPLOY_USAGE "usage: srcfn deploy NAME [--instance I ...]"
#define VERSIONS_USAGE "usage: srcfn versions NAME [--json]"
#define ROLLBACK_USAGE "usage: srcfn rollback INSTANCE VERSION"

/* Warns when an instance's settings values no longer satisfy the declaration
 * of the version it now runs: its runs would fail with Invalid Settings. */
static void warn_settings(const instance_row *r, json_t *manifest)
{
    json_t *problem = settings_check(json_object_get(manifest, "settings"), r->settings);
    if (problem) {
        fprintf(stderr, "srcfn: warning: instance \"%s\": %s; its runs fail with Invalid Settings until it is "
                        "reconnected with a value\n",
                r->name, json_string_value(json_object_get(problem, "message")));
        json_decref(problem);
    }
}

/* --- deploy ---------------------------------------------------------------------- */

typedef struct deploy_options {
    const char *name;
    char **instances;     /* --instance values, without repeats */
    size_t n_instances;
} deploy_options;

static int parse_deploy(int argc, char **argv, deploy_options *o)
{
    static const struct option longopts[] = {
        {"instance", required_argument, NULL, 'i'},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    o->instances = calloc((size_t)argc + 1, sizeof *o->instances);
    if (!o->instances)
        abort();
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c != 'i')
            return usage_error("deploy: unknown option or missing value \"%s\"\n" DEPLOY_USAGE, argv[optind - 1]);
        if (ws_check_name("deploy", "instance", optarg) != EXIT_OK)
            return EXIT_USAGE;
        int seen = 0;
        for (size_t i = 0; i < o->n_instances; i++)
            seen |= strcmp(o->instances[i], optarg) == 0;
        if (!seen)
            o->instances[o->n_instances++] = optarg;
    }
    if (optind != argc - 1)
        return usage_error("deploy: name one function\n" DEPLOY_USAGE);
    o->name = argv[optind];
    return ws_check_name("deploy", "function", o->name);
}

/* What deploy did, as `srcfn deploy` prints it. */
static void print_deployed(const char *name, const deploy_outcome *d)
{
    char size[32];
    ws_size((int64_t)d->version.code_len, size, sizeof size);
    if (d->reused)
        printf("%s is unchanged since version %d: reusing it\n", name, d->version.number);
    else
        printf("recorded %s version %d (handler.js %s)\n", name, d->version.number, size);
    if (d->n == 0)
        printf("no instances of %s to update (\"srcfn connect %s --instance I\" creates one)\n", name, name);
    for (size_t i = 0; i < d->n; i++) {
        if (d->before[i] == d->version.number)
            printf("  %s: already at version %d\n", d->instances[i].name, d->version.number);
        else if (d->before[i] == 0)
            printf("  %s: now at version %d\n", d->instances[i].name, d->version.number);
        else
            printf("  %s: version %d -> %d\n", d->instances[i].name, d->before[i], d->version.number);
        warn_settings(&d->instances[i], d->version.manifest);
    }
}

int cmd_deploy(int argc, char **argv)
{
    deploy_options o;
    int status = parse_deploy(argc, argv, &o);
    char *root = NULL;
    sqlite3 *db = NULL;
    if (status == EXIT_OK)
        status = ws_open(&root, &db);
    if (status == EXIT_OK) {
        deploy_outcome d;
        char *err = NULL;
        ops_status done = ops_deploy(db, root, o.name, o.instances, o.n_instances, &d, &err);
        if (done != OPS_OK)
            status = ws_fail(done == OPS_FAILED ? EXIT_FAILED : EXIT_USAGE, "deploy", err);
        else
            print_deployed(o.name, &d);
        deploy_outcome_free(&d);
    }
    free(o.instances);
    ws_close(root, db);
    return status;
}

/* --- versions ---------------------------------------------------------------------- */

static void print_versions(const char *name, json_t *list)
{
    if (json_array_size(list) == 0) {
        printf("%s has no versions yet (\"srcfn deploy %s\" records one)\n", name, name);
        return;
    }
    printf("%-8s  %-19s  %-10s  %s\n", "VERSION", "CREATED", "SIZE", "INSTANCES");
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        char when[64], size[32];
        ws_local_time((int64_t)json_integer_value(json_object_get(v, "createdAt")), when, sizeof when);
        ws_size((int64_t)json_integer_value(json_object_get(v, "codeBytes")), size, sizeof size);
        printf("%-8lld  %-19s  %-10s  ", (long long)json_integer_value(json_object_get(v, "version")), when, size);
        json_t *users = json_object_get(v, "instances");
        if (json_array_size(users) == 0)
            fputc('-', stdout);
        size_t j;
        json_t *u;
        json_array_foreach(users, j, u) printf("%s%s", j ? ", " : "", json_string_value(u));
        fputc('\n', stdout);
    }
}

/* createdAt as ISO 8601 for the JSON output, the milliseconds kept beside it. */
static void iso_dates(json_t *list)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        json_int_t ms = json_integer_value(json_object_get(v, "createdAt"));
        char when[64];
        ws_iso_time((int64_t)ms, when, sizeof when);
        json_object_set_new(v, "createdAtMs", json_integer(ms));
        json_object_set_new(v, "createdAt", json_string(when));
    }
}

int cmd_versions(int argc, char **argv)
{
    int json;
    int status_opt = parse_json_option(argc, argv, "versions", VERSIONS_USAGE, &json);
    if (status_opt != EXIT_OK)
        return status_opt;
    if (optind != argc - 1)
        return usage_error("versions: name one function\n" VERSIONS_USAGE);
    const char *name = argv[optind];
    if (ws_check_name("versions", "function", name) != EXIT_OK)
        return EXIT_USAGE;
    char *root;
    sqlite3 *db;
    int status = ws_open(&root, &db);
    if (status != EXIT_OK)
        return status;
    char *err = NULL;
    json_t *list = deploy_list(db, name, &err);
    char *dir = workspace_function_dir(root, name);
    struct stat st;
    if (!list) {
        status = ws_fail(EXIT_FAILED, "versions", err);
    } else if (json_array_size(list) == 0 && stat(dir, &st) != 0) {
        status = usage_error("versions: no function \"%s\" in this workspace", name);
    } else if (json) {
        iso_dates(list);
        if (json_dumpf(list, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER) != 0 || fputc('\n', stdout) == EOF)
            status = EXIT_FAILED;
    } else {
        print_versions(name, list);
    }
    free(dir);
    json_decref(list);
    ws_close(root, db);
    return status;
}

/* --- rollback ---------------------------------------------------------------------- */

static int parse_version(const char *text)
{
    if (text[0] == 'v' || text[0] == 'V')
        text++;
    char *end;
    long n = strtol(text, &end, 10);
    return *text && *end == '\0' && n > 0 && n < 1000000000 ? (int)n : 0;
}

int cmd_rollback(int argc, char **argv)
{
    if (argc != 3)
        return usage_error("rollback: name an instance and a version\n" ROLLBACK_USAGE);
    const char *name = argv[1];
    int number = parse_version(argv[2]);
    if (ws_check_name("rollback", "instance", name) != EXIT_OK)
        return EXIT_USAGE;
    if (!number)
        return usage_error("rollback: \"%s\" is not a version number\n" ROLLBACK_USAGE, argv[2]);
    char *root;
    sqlite3 *db;
    int status = ws_open(&root, &db);
    if (status != EXIT_OK)
        return status;

    char *err = NULL;
    instance_row r = {0};
    fn_version v = {0};
    int found = instance_get(db, name, &r, &err);
    int latest = 0;
    if (found < 0) {
        status = ws_fail(EXIT_FAILED, "rollback", err);
    } else if (!found) {
        status = usage_error("rollback: no instance \"%s\" (\"srcfn sources\" lists them)", name);
    } else if ((found = deploy_load(db, r.function, number, &v, &err)) < 0) {
        status = ws_fail(EXIT_FAILED, "rollback", err);
    } else if (!found) {
        if (deploy_latest(db, r.function, &latest, &err) < 0)
            status = ws_fail(EXIT_FAILED, "rollback", err);
        else if (latest == 0)
            status = usage_error("rollback: function \"%s\" has no versions", r.function);
        else
            status = usage_error("rollback: function \"%s\" has no version %d (it has versions 1 to %d)", r.function,
                                 number, latest);
    } else if (r.version == number) {
        printf("%s already runs %s version %d\n", name, r.function, number);
    } else if (instance_set_version(db, name, number, &err) != 0) {
        status = ws_fail(EXIT_FAILED, "rollback", err);
    } else {
        if (r.version)
            printf("%s: %s version %d -> %d\n", name, r.function, r.version, number);
        else
            printf("%s: %s now at version %d\n", name, r.function, number);
        warn_settings(&r, v.manifest);
    }
    if (v.function)
        fn_version_free(&v);
    instance_row_free(&r);
    ws_close(root, db);
    return status;
}
