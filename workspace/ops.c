/*
 * ops: deploy, connect and function directories, shared by the CLI
 * (cli/cmd-deploy.c, cli/cmd-connect.c) and the management API
 * (webhook/mgmt.c). See ops.h.
 *
 * Invariant: what reads the function's files or runs the engine happens
 * before BEGIN IMMEDIATE, so a running server's writer never waits on it;
 * every transaction begun here is committed or rolled back before returning.
 */
#include "workspace/ops.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "workspace/funcdir.h"
#include "workspace/store.h"
#include "workspace/workspace.h"

static char *dup_or_die(const char *s)
{
    char *d = strdup(s);
    if (!d)
        abort();
    return d;
}

/* Rolls back and passes status on (err already set). */
static ops_status abort_tx(sqlite3 *db, ops_status status)
{
    store_rollback(db);
    return status;
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* --- deploy ------------------------------------------------------------------------------------------- */

void deploy_outcome_free(deploy_outcome *o)
{
    if (o->version.function)
        fn_version_free(&o->version);
    instances_free(o->instances, o->n);
    free(o->before);
    memset(o, 0, sizeof *o);
}

/* One named instance, which must run function, appended to rows. */
static int chosen_one(sqlite3 *db, const char *function, const char *name, instance_row *row, char **err)
{
    int found = instance_get(db, name, row, err);
    if (found < 0)
        return -1;
    if (found == 0)
        return store_fail(err, "no instance \"%s\" (\"srcfn sources\" lists them)", name);
    if (strcmp(row->function, function) != 0) {
        store_fail(err, "instance \"%s\" runs function \"%s\", not \"%s\"", name, row->function, function);
        instance_row_free(row);
        return -1;
    }
    return 0;
}

/* The instances to update: those named, or all of the function's. */
static int chosen_instances(sqlite3 *db, const char *function, char *const *names, size_t n_names,
                            deploy_outcome *out, char **err)
{
    if (n_names == 0)
        return instances_list(db, function, &out->instances, &out->n, err);
    out->instances = calloc(n_names, sizeof *out->instances);
    if (!out->instances)
        abort();
    for (size_t i = 0; i < n_names; i++) {
        if (chosen_one(db, function, names[i], &out->instances[out->n], err) != 0)
            return -1;
        out->n++;
    }
    return 0;
}

/* Within the transaction: points the chosen instances at the recorded version. */
static int point_instances(sqlite3 *db, deploy_outcome *out, char **err)
{
    out->before = calloc(out->n + 1, sizeof *out->before);
    if (!out->before)
        abort();
    for (size_t i = 0; i < out->n; i++) {
        out->before[i] = out->instances[i].version;
        if (out->instances[i].version != out->version.number &&
            instance_set_version(db, out->instances[i].name, out->version.number, err) != 0)
            return -1;
    }
    return 0;
}

ops_status ops_deploy(sqlite3 *db, const char *root, const char *name, char *const *instances, size_t n_instances,
                      deploy_outcome *out, char **err)
{
    memset(out, 0, sizeof *out);
    char *dir = workspace_function_dir(root, name);
    int exists = is_dir(dir);
    free(dir);
    if (!exists) {
        store_fail(err, "no function \"%s\" in this workspace (\"srcfn new %s\" creates one)", name, name);
        return OPS_NOT_FOUND;
    }
    if (deploy_read(root, name, &out->version, err) != 0)
        return OPS_INVALID;
    if (store_begin(db) != 0) {
        store_db_fail(db, err, "cannot start a transaction");
        return OPS_FAILED;
    }
    if (chosen_instances(db, name, instances, n_instances, out, err) != 0)
        return abort_tx(db, OPS_INVALID);
    if (deploy_record(db, &out->version, &out->reused, err) != 0 || point_instances(db, out, err) != 0)
        return abort_tx(db, OPS_FAILED);
    if (store_commit(db) != 0) {
        store_db_fail(db, err, "cannot commit");
        return abort_tx(db, OPS_FAILED);
    }
    return OPS_OK;
}

/* --- connect ------------------------------------------------------------------------------------------ */

void connect_outcome_free(connect_outcome *o)
{
    instance_row_free(&o->row);
    json_decref(o->decl);
    memset(o, 0, sizeof *o);
}

int ops_valid_write_key(const char *k)
{
    if (!*k || strlen(k) > 256)
        return 0;
    for (const unsigned char *p = (const unsigned char *)k; *p; p++) {
        if (*p <= ' ' || *p == ':' || *p == 0x7f)
            return 0;
    }
    return 1;
}

char *ops_normal_endpoint(const char *url)
{
    if (strcmp(url, "-") == 0)
        return dup_or_die(url);
    const char *host = strncmp(url, "https://", 8) == 0 ? url + 8 : strncmp(url, "http://", 7) == 0 ? url + 7 : NULL;
    if (!host || !*host || *host == '/' || strpbrk(url, " \t\r\n?#"))
        return NULL;
    char *e = dup_or_die(url);
    size_t n = strlen(e);
    while (n > (size_t)(host - url) + 1 && e[n - 1] == '/')
        e[--n] = '\0';
    return e;
}

int ops_never_deployed(sqlite3 *db, const char *function, char **err)
{
    int latest = 0;
    if (deploy_latest(db, function, &latest, err) < 0)
        return -1;
    return latest == 0;
}

/* Within the transaction: records fresh when the function had no version yet
 * (*deployed = its number), then loads the newest version into v. */
static int newest_version(sqlite3 *db, const char *function, fn_version *fresh, fn_version *v, int *deployed,
                          char **err)
{
    *deployed = 0;
    if (fresh->function) {
        int reused;
        if (deploy_record(db, fresh, &reused, err) != 0)
            return -1;
        *deployed = reused ? 0 : fresh->number;
    }
    int found = deploy_load(db, function, 0, v, err);
    if (found == 0)
        store_fail(err, "function \"%s\" has no version", function);
    return found > 0 ? 0 : -1;
}

/* Adds to a refusal of settings values a hint when the settings declared on
 * disk are not those of the newest version (saved but not deployed). */
static char *with_deploy_hint(const char *root, const fn_version *v, char *err)
{
    char *dir = workspace_function_dir(root, v->function);
    char *why = NULL;
    funcdir f;
    int differs = funcdir_open(dir, &f, &why) == 0 &&
                  !json_equal(json_object_get(f.manifest, "settings"), json_object_get(v->manifest, "settings"));
    if (!why)
        funcdir_close(&f);
    free(why);
    free(dir);
    char *hinted = NULL;
    if (differs && asprintf(&hinted,
                            "%s\n  (version %d is the newest; %s/function.json declares other settings: "
                            "\"srcfn deploy %s\" deploys them)",
                            err, v->number, v->function, v->function) >= 0) {
        free(err);
        return hinted;
    }
    return err;
}

/* The settings values of s checked against decl (a new reference in *values). */
static int read_values(json_t *decl, const connect_spec *s, json_t **values, char **err)
{
    if (!s->values)
        return instances_parse_settings(decl, s->pairs, s->n_pairs, values, err);
    if (instances_check_settings(decl, s->values, err) != 0)
        return -1;
    *values = json_incref(s->values);
    return 0;
}

/* Fills the new row: names, version, values, token, write key, endpoint. */
static int fill_row(const connect_spec *s, int version, json_t *values, connect_outcome *out, char **err)
{
    instance_row *r = &out->row;
    r->name = dup_or_die(s->instance);
    r->function = dup_or_die(s->function);
    r->version = version;
    r->settings = values;
    r->endpoint = dup_or_die(s->endpoint ? s->endpoint : INSTANCE_DEFAULT_ENDPOINT);
    r->token = instance_random_hex(INSTANCE_TOKEN_BYTES);
    r->write_key = s->write_key ? dup_or_die(s->write_key) : instance_random_hex(16);
    out->generated_key = s->write_key == NULL;
    if (!r->token || !r->write_key)
        return store_fail(err, "cannot draw random bytes (RAND_bytes failed)");
    return 0;
}

/* Within the transaction: reads the settings, adds the instance, commits. */
static ops_status add_instance(sqlite3 *db, const char *root, const connect_spec *s, const fn_version *v,
                               connect_outcome *out, char **err)
{
    out->decl = json_incref(json_object_get(v->manifest, "settings"));
    json_t *values = NULL;
    if (read_values(out->decl, s, &values, err) != 0) {
        *err = with_deploy_hint(root, v, *err);
        return abort_tx(db, OPS_INVALID);
    }
    if (fill_row(s, v->number, values, out, err) != 0)
        return abort_tx(db, OPS_FAILED);
    if (instance_insert(db, &out->row, err) != 0)
        return abort_tx(db, OPS_INVALID);
    if (store_commit(db) != 0) {
        store_db_fail(db, err, "cannot commit");
        return abort_tx(db, OPS_FAILED);
    }
    return OPS_OK;
}

/* OPS_CONFLICT when the instance exists, OPS_OK when it does not. */
static ops_status refuse_existing(sqlite3 *db, const char *name, char **err)
{
    instance_row existing;
    int found = instance_get(db, name, &existing, err);
    if (found < 0)
        return OPS_FAILED;
    if (!found)
        return OPS_OK;
    store_fail(err, "instance \"%s\" already exists (it runs %s; \"srcfn disconnect %s\" removes it)", name,
               existing.function, name);
    instance_row_free(&existing);
    return OPS_CONFLICT;
}

ops_status ops_connect(sqlite3 *db, const char *root, const connect_spec *s, connect_outcome *out, char **err)
{
    memset(out, 0, sizeof *out);
    ops_status status = refuse_existing(db, s->instance, err);
    if (status != OPS_OK)
        return status;
    int never = ops_never_deployed(db, s->function, err);
    if (never < 0)
        return OPS_FAILED;
    fn_version fresh = {0}, v = {0};
    if (never) {
        char *dir = workspace_function_dir(root, s->function);
        int exists = is_dir(dir);
        free(dir);
        if (!exists) {
            store_fail(err, "no function \"%s\" in this workspace (\"srcfn new %s\" creates one)", s->function,
                       s->function);
            return OPS_NOT_FOUND;
        }
        if (deploy_read(root, s->function, &fresh, err) != 0)
            return OPS_INVALID;
    }
    if (store_begin(db) != 0) {
        store_db_fail(db, err, "cannot start a transaction");
        status = OPS_FAILED;
    } else if (newest_version(db, s->function, &fresh, &v, &out->deployed, err) != 0) {
        status = abort_tx(db, OPS_FAILED);
    } else {
        status = add_instance(db, root, s, &v, out, err);
    }
    fn_version_free(&fresh);
    fn_version_free(&v);
    return status;
}

/* --- function directories ------------------------------------------------------------------------------ */

int ops_function_exists(const char *root, const char *name)
{
    if (name[0] == '.' || !workspace_valid_name(name))
        return 0;
    char *path = NULL;
    if (asprintf(&path, "%s/%s/handler.js", root, name) < 0)
        abort();
    struct stat st;
    int yes = stat(path, &st) == 0 && S_ISREG(st.st_mode);
    free(path);
    return yes;
}

static int by_string(const void *a, const void *b)
{
    return strcmp(json_string_value(*(json_t *const *)a), json_string_value(*(json_t *const *)b));
}

json_t *ops_functions(const char *root, char **err)
{
    DIR *d = opendir(root);
    if (!d) {
        store_fail(err, "cannot read %s: %s", root, strerror(errno));
        return NULL;
    }
    size_t n = 0, cap = 16;
    json_t **names = malloc(cap * sizeof *names);
    struct dirent *ent;
    while (names && (ent = readdir(d)) != NULL) {
        if (!ops_function_exists(root, ent->d_name))
            continue;
        if (n == cap && !(names = realloc(names, (cap *= 2) * sizeof *names)))
            abort();
        if (!(names[n++] = json_string(ent->d_name)))
            abort();
    }
    closedir(d);
    if (!names)
        abort();
    qsort(names, n, sizeof *names, by_string);
    json_t *list = json_array();
    for (size_t i = 0; list && i < n; i++) {
        if (json_array_append_new(list, names[i]) != 0)
            abort();
    }
    free(names);
    if (!list)
        abort();
    return list;
}

/* Writes one file of the function directory. */
static int write_in(const char *dir, const char *file, const char *data, size_t len, char **err)
{
    char *path = NULL;
    if (asprintf(&path, "%s/%s", dir, file) < 0)
        abort();
    int rc = write_file_atomic(path, data, len, 0644, err);
    free(path);
    return rc;
}

/* Both files into dir (function.json as indented JSON ending with a newline). */
static int write_files(const char *dir, const char *code, json_t *manifest, char **err)
{
    char *text = json_dumps(manifest, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (!text)
        return store_fail(err, "cannot encode function.json");
    size_t n = strlen(text);
    char *with_nl = realloc(text, n + 2);
    if (!with_nl)
        abort();
    with_nl[n] = '\n';
    with_nl[n + 1] = '\0';
    int rc = (code ? write_in(dir, "handler.js", code, strlen(code), err) : 0) == 0 &&
                     write_in(dir, "function.json", with_nl, n + 1, err) == 0
                 ? 0
                 : -1;
    free(with_nl);
    return rc;
}

/* Removes a directory made by a create that failed (its files, then it). */
static void undo_create(const char *dir)
{
    static const char *const files[] = {"handler.js", "function.json"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *path = NULL;
        if (asprintf(&path, "%s/%s", dir, files[i]) < 0)
            abort();
        (void)unlink(path);   /* best effort: it may not have been written */
        free(path);
    }
    (void)rmdir(dir);
}

ops_status ops_write_function(const char *root, const char *name, const char *code, json_t *manifest, int create,
                              char **err)
{
    if (!workspace_valid_name(name)) {
        store_fail(err, "\"%s\" is not a valid function name", name);
        return OPS_INVALID;
    }
    char *dir = workspace_function_dir(root, name);
    ops_status status = OPS_OK;
    if (create && mkdir(dir, 0755) != 0) {
        int exists = errno == EEXIST;
        status = exists ? OPS_CONFLICT : OPS_FAILED;
        if (exists)
            store_fail(err, "function \"%s\" already exists", name);
        else
            store_fail(err, "cannot create the directory %s: %s", dir, strerror(errno));
    } else if (!create && !ops_function_exists(root, name)) {
        status = OPS_NOT_FOUND;
        store_fail(err, "no function \"%s\" in this workspace", name);
    } else if (write_files(dir, code, manifest, err) != 0) {
        status = OPS_FAILED;
        if (create)
            undo_create(dir);
    }
    free(dir);
    return status;
}
