/*
 * srcfn push NAME [--base URL] [--token-env VAR] [--new]
 * srcfn pull ID [--name NAME] [--force] [--base URL] [--token-env VAR]
 *
 * push sends NAME/handler.js and NAME/function.json to a Segment workspace
 * through the Public API: POST /functions the first time (for that base URL),
 * PATCH /functions/{id} afterwards, the id remembered in the workspace's
 * `remote` table (--new forgets it and creates the function again). The
 * function is checked as deploy checks it (settings declaration, code loads)
 * before anything is sent.
 *
 * pull fetches GET /functions/{id} and writes it as a function directory
 * (handler.js from its code, function.json from the rest). It refuses to
 * overwrite a directory whose files differ from what was last pushed or
 * pulled there, unless --force.
 *
 * The token comes from an environment variable (SEGMENT_TOKEN unless
 * --token-env or .srcfn/segment.json names another); see workspace/remote.h.
 * API errors are shown with the API's message and exit 1; so are network
 * errors; bad usage exits 2.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/ws.h"
#include "workspace/deploy.h"
#include "workspace/funcdir.h"
#include "workspace/remote.h"
#include "workspace/segment-api.h"
#include "workspace/workspace.h"

#define PUSH_USAGE "usage: srcfn push NAME [--base URL] [--token-env VAR] [--new]"
#define PULL_USAGE "usage: srcfn pull ID [--name NAME] [--force] [--base URL] [--token-env VAR]"

typedef struct remote_options {
    const char *target;      /* push: the function; pull: the remote id */
    const char *base;
    const char *token_env;
    const char *name;        /* pull --name */
    int force;               /* pull --force */
    int fresh;               /* push --new */
} remote_options;

static int parse(int argc, char **argv, int pull, remote_options *o)
{
    static const struct option longopts[] = {
        {"base", required_argument, NULL, 'b'},  {"token-env", required_argument, NULL, 't'},
        {"name", required_argument, NULL, 'n'},  {"force", no_argument, NULL, 'f'},
        {"new", no_argument, NULL, 'N'},         {NULL, 0, NULL, 0},
    };
    const char *command = pull ? "pull" : "push";
    const char *usage = pull ? PULL_USAGE : PUSH_USAGE;
    memset(o, 0, sizeof *o);
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c == 'b')
            o->base = optarg;
        else if (c == 't')
            o->token_env = optarg;
        else if (c == 'n' && pull)
            o->name = optarg;
        else if (c == 'f' && pull)
            o->force = 1;
        else if (c == 'N' && !pull)
            o->fresh = 1;
        else
            return usage_error("%s: unknown option or missing value \"%s\"\n%s", command, argv[optind - 1], usage);
    }
    if (optind != argc - 1)
        return usage_error("%s: name one %s\n%s", command, pull ? "remote function id" : "function", usage);
    o->target = argv[optind];
    if (!pull)
        return ws_check_name("push", "function", o->target);
    if (o->name && ws_check_name("pull", "function", o->name) != EXIT_OK)
        return EXIT_USAGE;
    return EXIT_OK;
}

/* Ids go into a URL path: letters, digits, _ . - only. */
static int valid_remote_id(const char *id)
{
    size_t n = strlen(id);
    return n > 0 && n <= 128 && strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") == n &&
           strcmp(id, ".") != 0 && strcmp(id, "..") != 0;
}

/* The configuration and the token from its variable; EXIT_OK or EXIT_USAGE. */
static int connection(const char *command, const char *root, const remote_options *o, remote_config *cfg,
                      const char **token)
{
    char *err = NULL;
    if (remote_config_load(root, o->base, o->token_env, cfg, &err) != 0)
        return ws_fail(EXIT_USAGE, command, err);
    *token = getenv(cfg->token_env);
    if (*token && **token)
        return EXIT_OK;
    usage_error("%s: set %s to a Segment Public API token (or name another variable with --token-env "
                "or \"tokenEnv\" in .srcfn/" REMOTE_CONFIG_FILE ")",
                command, cfg->token_env);
    remote_config_free(cfg);
    return EXIT_USAGE;
}

/* data.function of a reply, borrowed; NULL with *err when absent. */
static json_t *reply_function(json_t *data, const char *what, char **err)
{
    json_t *fn = json_object_get(data, "function");
    if (!json_is_object(fn) || !json_is_string(json_object_get(fn, "id"))) {
        if (asprintf(err, "the reply to %s has no data.function with an id", what) < 0)
            abort();
        return NULL;
    }
    return fn;
}

/* SHA-256 (hex) of dir/file's bytes, or of nothing when the file is missing
 * (*exists = 0). NULL with *err when it cannot be read. */
static char *file_hash(const char *dir, const char *file, int *exists, char **err)
{
    char *path = NULL;
    if (asprintf(&path, "%s/%s", dir, file) < 0)
        abort();
    size_t len = 0;
    char *bytes = read_file(path, &len);
    *exists = bytes != NULL;
    char *hash = NULL;
    if (!bytes && errno != ENOENT) {
        if (asprintf(err, "cannot read %s: %s", path, strerror(errno)) < 0)
            abort();
    } else {
        hash = remote_sha256_hex(bytes ? bytes : "", bytes ? len : 0);
        if (!hash && asprintf(err, "cannot hash %s (SHA-256 failed)", path) < 0)
            abort();
    }
    free(bytes);
    free(path);
    return hash;
}

/* --- push ------------------------------------------------------------------------ */

/* Sends v to Segment: the reply's function id (malloc'd), or NULL after
 * printing why. */
static char *send_function(const remote_config *cfg, const char *token, const fn_version *v, const char *known_id)
{
    json_t *body = remote_function_body(v->function, v->code, v->manifest, known_id == NULL);
    char *path = NULL;
    if (asprintf(&path, known_id ? "/functions/%s" : "/functions", known_id) < 0)
        abort();
    json_t *data = NULL;
    long status = 0;
    char *err = NULL;
    const char *method = known_id ? "PATCH" : "POST";
    segment_outcome out = segment_api_call(cfg->base, token, method, path, body, &data, &status, &err);
    char *id = NULL;
    json_t *fn = out == SEGMENT_OK ? reply_function(data, method, &err) : NULL;
    if (fn) {
        id = strdup(json_string_value(json_object_get(fn, "id")));
        if (!id)
            abort();
    } else {
        ws_fail(EXIT_FAILED, "push", err);
        if (known_id && status == 404)
            fprintf(stderr, "  (the remembered id %s is not in that workspace: \"srcfn push %s --new\" creates the "
                            "function again)\n", known_id, v->function);
    }
    json_decref(data);
    json_decref(body);
    free(path);
    return id;
}

static int push(sqlite3 *db, const char *root, const remote_options *o)
{
    remote_config cfg;
    const char *token = NULL;
    int status = connection("push", root, o, &cfg, &token);
    if (status != EXIT_OK)
        return status;
    char *err = NULL;
    fn_version v;
    remote_row known = {0};
    char *dir = workspace_function_dir(root, o->target);
    int exists = 0;
    char *manifest_hash = NULL, *code_hash = NULL, *id = NULL;
    int found = 0;
    if (deploy_read(root, o->target, &v, &err) != 0) {
        status = ws_fail(EXIT_USAGE, "push", err);
        remote_config_free(&cfg);
        free(dir);
        return status;
    }
    if (!(manifest_hash = file_hash(dir, "function.json", &exists, &err)) ||
        !(code_hash = remote_sha256_hex(v.code, v.code_len)) ||
        (!o->fresh && (found = remote_get(db, o->target, cfg.base, &known, &err)) < 0)) {
        status = ws_fail(EXIT_FAILED, "push", err ? err : strdup("cannot hash handler.js"));
    } else if (found && !valid_remote_id(known.remote_id)) {
        status = ws_fail(EXIT_FAILED, "push", strdup("the remembered remote id is not a Segment id; use --new"));
    } else if (!(id = send_function(&cfg, token, &v, found ? known.remote_id : NULL))) {
        status = EXIT_FAILED;
    } else {
        remote_row r = {(char *)o->target, cfg.base, id, code_hash, manifest_hash, 0};
        if (remote_put(db, &r, &err) != 0)
            status = ws_fail(EXIT_FAILED, "push", err);
        else if (found)
            printf("updated %s in Segment from %s (PATCH %s/functions/%s)\n", id, o->target, cfg.base, id);
        else
            printf("created %s in Segment as %s (POST %s/functions)\n", o->target, id, cfg.base);
    }
    free(id);
    free(code_hash);
    free(manifest_hash);
    remote_row_free(&known);
    fn_version_free(&v);
    remote_config_free(&cfg);
    free(dir);
    return status;
}

int cmd_push(int argc, char **argv)
{
    remote_options o;
    int status = parse(argc, argv, 0, &o);
    char *root = NULL;
    sqlite3 *db = NULL;
    if (status == EXIT_OK)
        status = ws_open(&root, &db);
    if (status == EXIT_OK)
        status = push(db, root, &o);
    ws_close(root, db);
    return status;
}

/* --- pull ------------------------------------------------------------------------ */

static int make_dir(const char *path, char **err)
{
    struct stat st;
    if (mkdir(path, 0755) == 0 || (errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode)))
        return 0;
    const char *why = errno == EEXIST ? "a file is in the way" : strerror(errno);
    if (asprintf(err, "cannot create the directory %s: %s", path, why) < 0)
        abort();
    return -1;
}

/* What pull is about to write, and what is there now. */
typedef struct pull_plan {
    const char *id;
    const char *base;
    char *name;
    char *dir;
    char *code, *manifest;            /* the new files */
    char *code_hash, *manifest_hash;  /* of the new files */
    char *local_code, *local_manifest;   /* hashes of the files on disk */
    int has_code, has_manifest;
} pull_plan;

static void plan_free(pull_plan *p)
{
    free(p->name);
    free(p->dir);
    free(p->code);
    free(p->manifest);
    free(p->code_hash);
    free(p->manifest_hash);
    free(p->local_code);
    free(p->local_manifest);
}

/* 1 when the files on disk are the new ones already, 0 when they may be
 * overwritten (none, or as last pushed or pulled from this id), -1 local
 * changes, -2 an error (*err). */
static int local_state(sqlite3 *db, const pull_plan *p, char **err)
{
    if (p->has_code && p->has_manifest && strcmp(p->local_code, p->code_hash) == 0 &&
        strcmp(p->local_manifest, p->manifest_hash) == 0)
        return 1;
    if (!p->has_code && !p->has_manifest)
        return 0;
    remote_row last;
    int found = remote_get(db, p->name, p->base, &last, err);
    int untouched = found > 0 && strcmp(last.remote_id, p->id) == 0 && strcmp(last.code_sha256, p->local_code) == 0 &&
                    strcmp(last.manifest_sha256, p->local_manifest) == 0;
    remote_row_free(&last);
    return found < 0 ? -2 : untouched ? 0 : -1;
}

/* Fills the plan from the function object; EXIT_OK or a status after a message. */
static int plan_pull(sqlite3 *db, const char *root, const remote_options *o, const char *base, json_t *fn,
                     pull_plan *p)
{
    char *err = NULL;
    remote_row known = {0};
    int found = o->name ? 0 : remote_by_id(db, o->target, base, &known, &err);
    if (found < 0)
        return ws_fail(EXIT_FAILED, "pull", err);
    p->name = o->name ? strdup(o->name) : found ? strdup(known.function) : remote_local_name(fn, o->target);
    remote_row_free(&known);
    if (!p->name)
        abort();
    if (!workspace_valid_name(p->name))
        return usage_error("pull: \"%s\" is not a valid function name: choose one with --name NAME", p->name);
    p->dir = workspace_function_dir(root, p->name);
    if (remote_function_files(fn, &p->code, &p->manifest, &err) != 0)
        return ws_fail(EXIT_FAILED, "pull", err);
    p->code_hash = remote_sha256_hex(p->code, strlen(p->code));
    p->manifest_hash = remote_sha256_hex(p->manifest, strlen(p->manifest));
    if (!p->code_hash || !p->manifest_hash)
        return ws_fail(EXIT_FAILED, "pull", strdup("cannot hash the pulled files (SHA-256 failed)"));
    if (!(p->local_code = file_hash(p->dir, "handler.js", &p->has_code, &err)) ||
        !(p->local_manifest = file_hash(p->dir, "function.json", &p->has_manifest, &err)))
        return ws_fail(EXIT_FAILED, "pull", err);
    return EXIT_OK;
}

static int write_pull(sqlite3 *db, const pull_plan *p, const char *display)
{
    char *err = NULL;
    char *examples = NULL, *handler = NULL, *manifest = NULL;
    if (asprintf(&examples, "%s/examples", p->dir) < 0 || asprintf(&handler, "%s/handler.js", p->dir) < 0 ||
        asprintf(&manifest, "%s/function.json", p->dir) < 0)
        abort();
    int rc = make_dir(p->dir, &err) == 0 && make_dir(examples, &err) == 0 &&
             write_file_atomic(handler, p->code, strlen(p->code), 0644, &err) == 0 &&
             write_file_atomic(manifest, p->manifest, strlen(p->manifest), 0644, &err) == 0;
    remote_row r = {p->name, (char *)p->base, (char *)p->id, p->code_hash, p->manifest_hash, 0};
    if (rc && remote_put(db, &r, &err) != 0)
        rc = 0;
    free(examples);
    free(handler);
    free(manifest);
    if (!rc)
        return ws_fail(EXIT_FAILED, "pull", err);
    printf("pulled %s (\"%s\") into %s/: handler.js, function.json\n", p->id, display, p->name);
    return EXIT_OK;
}

static int apply_pull(sqlite3 *db, const char *root, const remote_options *o, const char *base, json_t *fn)
{
    pull_plan p = {o->target, base, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0};
    int status = plan_pull(db, root, o, base, fn, &p);
    char *err = NULL;
    int state = status == EXIT_OK ? local_state(db, &p, &err) : 0;
    const char *display = json_string_value(json_object_get(fn, "displayName"));
    if (status != EXIT_OK) {
        /* reported */
    } else if (state == -2) {
        status = ws_fail(EXIT_FAILED, "pull", err);
    } else if (state == 1) {
        remote_row r = {p.name, (char *)base, (char *)o->target, p.code_hash, p.manifest_hash, 0};
        status = remote_put(db, &r, &err) == 0 ? EXIT_OK : ws_fail(EXIT_FAILED, "pull", err);
        if (status == EXIT_OK)
            printf("%s/ is already the same as %s\n", p.name, o->target);
    } else if (state == -1 && !o->force) {
        fprintf(stderr,
                "srcfn: pull: %s/ has local changes: its handler.js or function.json differ from what was last "
                "pushed or pulled there from %s. Pulling would overwrite them; commit or move them, or pass --force\n",
                p.name, o->target);
        status = EXIT_FAILED;
    } else {
        status = write_pull(db, &p, display ? display : "");
    }
    plan_free(&p);
    return status;
}

static int pull(sqlite3 *db, const char *root, const remote_options *o)
{
    if (!valid_remote_id(o->target))
        return usage_error("pull: \"%s\" is not a Segment function id (letters, digits, _ . -)", o->target);
    remote_config cfg;
    const char *token = NULL;
    int status = connection("pull", root, o, &cfg, &token);
    if (status != EXIT_OK)
        return status;
    char *path = NULL, *err = NULL;
    if (asprintf(&path, "/functions/%s", o->target) < 0)
        abort();
    json_t *data = NULL;
    long http = 0;
    json_t *fn = NULL;
    if (segment_api_call(cfg.base, token, "GET", path, NULL, &data, &http, &err) != SEGMENT_OK ||
        !(fn = reply_function(data, "GET", &err))) {
        status = ws_fail(EXIT_FAILED, "pull", err);
    } else {
        const char *type = json_string_value(json_object_get(fn, "resourceType"));
        if (type && strcmp(type, "SOURCE") != 0)
            status = ws_fail(EXIT_FAILED, "pull",
                             strdup("that function is not a source function (resourceType is not SOURCE); "
                                    "srcfn works with source functions"));
        else
            status = apply_pull(db, root, o, cfg.base, fn);
    }
    json_decref(data);
    free(path);
    remote_config_free(&cfg);
    return status;
}

int cmd_pull(int argc, char **argv)
{
    remote_options o;
    int status = parse(argc, argv, 1, &o);
    char *root = NULL;
    sqlite3 *db = NULL;
    if (status == EXIT_OK)
        status = ws_open(&root, &db);
    if (status == EXIT_OK)
        status = pull(db, root, &o);
    ws_close(root, db);
    return status;
}
