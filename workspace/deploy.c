/*
 * deploy: the `versions` table and the checks a function passes before it is
 * deployed.
 */
#include "workspace/deploy.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "engine/engine.h"
#include "engine/settings.h"
#include "workspace/funcdir.h"
#include "workspace/store.h"
#include "workspace/workspace.h"

#define TYPE_LIST "STRING, BOOLEAN, ARRAY or TEXT_MAP"

static char *dup_or_die(const char *s)
{
    char *d = strdup(s ? s : "");
    if (!d)
        abort();
    return d;
}

void fn_version_free(fn_version *v)
{
    free(v->function);
    free(v->code);
    json_decref(v->manifest);
    memset(v, 0, sizeof *v);
}

/* --- checks --------------------------------------------------------------- */

static int is_identifier(const char *s)
{
    static const char first[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$";
    if (!*s || !strchr(first, *s))
        return 0;
    size_t n = strlen(s);
    return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$0123456789") == n;
}

static int check_flag(json_t *s, const char *name, const char *flag, char **err)
{
    json_t *v = json_object_get(s, flag);
    if (v && !json_is_boolean(v))
        return store_fail(err, "setting \"%s\": \"%s\" must be true or false", name, flag);
    return 0;
}

int deploy_check_manifest(json_t *manifest, char **err)
{
    if (!json_is_object(manifest))
        return store_fail(err, "the manifest must be a JSON object");
    json_t *decl = json_object_get(manifest, "settings");
    if (!decl || json_is_null(decl))
        return 0;
    if (!json_is_array(decl))
        return store_fail(err, "\"settings\" must be an array");
    size_t i;
    json_t *s;
    json_array_foreach(decl, i, s) {
        if (!json_is_object(s))
            return store_fail(err, "setting #%zu must be an object", i + 1);
        const char *name = json_string_value(json_object_get(s, "name"));
        if (!name)
            return store_fail(err, "setting #%zu has no \"name\"", i + 1);
        if (!is_identifier(name))
            return store_fail(err, "setting \"%s\": the name must be a JavaScript identifier "
                             "(letters, digits, _ and $, not starting with a digit)", name);
        for (size_t j = 0; j < i; j++) {
            const char *other = json_string_value(json_object_get(json_array_get(decl, j), "name"));
            if (other && strcmp(other, name) == 0)
                return store_fail(err, "setting \"%s\" is declared twice", name);
        }
        json_t *type = json_object_get(s, "type");
        if (!json_is_string(type))
            return store_fail(err, "setting \"%s\" has no \"type\" (one of " TYPE_LIST ")", name);
        if (!settings_type_noun(json_string_value(type)))
            return store_fail(err, "setting \"%s\" has an unknown type \"%s\" (one of " TYPE_LIST ")", name,
                        json_string_value(type));
        if (check_flag(s, name, "required", err) != 0 || check_flag(s, name, "sensitive", err) != 0)
            return -1;
    }
    return 0;
}

/* The code must load: a syntax error is refused now rather than on every
 * webhook later. */
static int check_code(const fn_version *v, const char *path, char **err)
{
    engine *e = engine_new(NULL);
    if (!e)
        return store_fail(err, "cannot start the JavaScript engine to check %s", path);
    json_t *error = NULL;
    int rc = 0;
    if (engine_load(e, v->code, v->code_len, "handler.js", json_object_get(v->manifest, "settings"),
                    &error) != 0) {
        json_t *line = json_object_get(error, "line");
        char where[32] = "";
        if (json_is_integer(line))
            snprintf(where, sizeof where, ":%lld", (long long)json_integer_value(line));
        rc = store_fail(err, "%s%s does not load: %s: %s", path, where,
                  error ? json_string_value(json_object_get(error, "name")) : "Error",
                  error ? json_string_value(json_object_get(error, "message")) : "unknown error");
    }
    json_decref(error);
    engine_free(e);
    return rc;
}

int deploy_read(const char *root, const char *name, fn_version *v, char **err)
{
    memset(v, 0, sizeof *v);
    char *dir = workspace_function_dir(root, name);
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        free(dir);
        return store_fail(err, "no function \"%s\" in this workspace (\"srcfn new %s\" creates one)", name, name);
    }
    funcdir f;
    if (funcdir_open(dir, &f, err) != 0) {
        free(dir);
        return -1;
    }
    v->function = dup_or_die(name);
    v->code = f.source;
    v->code_len = f.source_len;
    v->manifest = json_incref(f.manifest);
    f.source = NULL;
    funcdir_close(&f);

    char *why = NULL;
    int rc = 0;
    if (v->code_len > INT_MAX / 2) {
        rc = store_fail(err, "%s/handler.js is too large to deploy", name);
    } else if (deploy_check_manifest(v->manifest, &why) != 0) {
        rc = store_fail(err, "%s/function.json: %s", name, why);
        free(why);
    } else {
        char *path = NULL;
        if (asprintf(&path, "%s/handler.js", name) < 0)
            abort();
        rc = check_code(v, path, err);
        free(path);
    }
    free(dir);
    if (rc != 0)
        fn_version_free(v);
    return rc;
}

/* --- the versions table ----------------------------------------------------- */

static int row_to_version(sqlite3_stmt *st, const char *function, fn_version *out, char **err)
{
    /* columns: number, code, manifest, created_at */
    memset(out, 0, sizeof *out);
    const char *code = (const char *)sqlite3_column_text(st, 1);
    size_t code_len = (size_t)sqlite3_column_bytes(st, 1);
    const char *manifest = (const char *)sqlite3_column_text(st, 2);
    json_error_t jerr;
    json_t *m = manifest ? json_loads(manifest, 0, &jerr) : NULL;
    if (!m)
        return store_fail(err, "the stored manifest of %s version %d is not JSON", function, sqlite3_column_int(st, 0));
    out->function = dup_or_die(function);
    out->number = sqlite3_column_int(st, 0);
    out->code = malloc(code_len + 1);
    if (!out->code)
        abort();
    if (code_len)
        memcpy(out->code, code, code_len);
    out->code[code_len] = '\0';
    out->code_len = code_len;
    out->manifest = m;
    out->created_at = sqlite3_column_int64(st, 3);
    return 0;
}

int deploy_load(sqlite3 *db, const char *function, int number, fn_version *out, char **err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = store_prepare_err(db,
                               "SELECT number, code, manifest, created_at FROM versions"
                               " WHERE function = ?1 AND (?2 = 0 OR number = ?2)"
                               " ORDER BY number DESC LIMIT 1",
                               err);
    if (!st)
        return -1;
    int rc;
    if (sqlite3_bind_text(st, 1, function, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 2, number) != SQLITE_OK) {
        rc = store_db_fail(db, err, "cannot read a version");
    } else {
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW)
            rc = row_to_version(st, function, out, err) == 0 ? 1 : -1;
        else if (step == SQLITE_DONE)
            rc = 0;
        else
            rc = store_db_fail(db, err, "cannot read a version");
    }
    sqlite3_finalize(st);
    return rc;
}

int deploy_latest(sqlite3 *db, const char *function, int *number, char **err)
{
    *number = 0;
    sqlite3_stmt *st = store_prepare_err(db, "SELECT max(number) FROM versions WHERE function = ?1", err);
    if (!st)
        return -1;
    int rc;
    if (sqlite3_bind_text(st, 1, function, -1, SQLITE_STATIC) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
        rc = store_db_fail(db, err, "cannot read versions");
    } else {
        *number = sqlite3_column_int(st, 0);
        rc = *number > 0;
    }
    sqlite3_finalize(st);
    return rc;
}

int deploy_record(sqlite3 *db, fn_version *v, int *reused, char **err)
{
    *reused = 0;
    char *manifest = json_dumps(v->manifest, JSON_COMPACT | JSON_SORT_KEYS);
    if (!manifest)
        return store_fail(err, "cannot serialise the manifest of %s", v->function);

    fn_version newest;
    int found = deploy_load(db, v->function, 0, &newest, err);
    int rc = 0;
    if (found < 0) {
        rc = -1;
    } else if (found) {
        char *stored = json_dumps(newest.manifest, JSON_COMPACT | JSON_SORT_KEYS);
        if (!stored)
            abort();
        if (newest.code_len == v->code_len && memcmp(newest.code, v->code, v->code_len) == 0 &&
            strcmp(stored, manifest) == 0) {
            *reused = 1;
            v->number = newest.number;
            v->created_at = newest.created_at;
        }
        free(stored);
    }
    if (rc == 0 && !*reused) {
        int next = found ? newest.number + 1 : 1;
        int64_t now = store_now_ms();
        sqlite3_stmt *st = store_prepare_err(db,
                                   "INSERT INTO versions (function, number, code, manifest, created_at)"
                                   " VALUES (?1, ?2, ?3, ?4, ?5)",
                                   err);
        if (!st) {
            rc = -1;
        } else {
            if (sqlite3_bind_text(st, 1, v->function, -1, SQLITE_STATIC) != SQLITE_OK ||
                sqlite3_bind_int(st, 2, next) != SQLITE_OK ||
                sqlite3_bind_text(st, 3, v->code, (int)v->code_len, SQLITE_STATIC) != SQLITE_OK ||
                sqlite3_bind_text(st, 4, manifest, -1, SQLITE_STATIC) != SQLITE_OK ||
                sqlite3_bind_int64(st, 5, now) != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE) {
                rc = store_db_fail(db, err, "cannot record the version");
            } else {
                v->number = next;
                v->created_at = now;
            }
            sqlite3_finalize(st);
        }
    }
    if (found > 0)
        fn_version_free(&newest);
    free(manifest);
    return rc;
}

/* Adds each instance's name to the "instances" array of the version it runs. */
static int attach_instances(sqlite3 *db, const char *function, json_t *list, char **err)
{
    sqlite3_stmt *st = store_prepare_err(db, "SELECT name, version FROM instances WHERE function = ?1 ORDER BY name", err);
    if (!st)
        return -1;
    int step = SQLITE_DONE;
    if (sqlite3_bind_text(st, 1, function, -1, SQLITE_STATIC) == SQLITE_OK) {
        while ((step = sqlite3_step(st)) == SQLITE_ROW) {
            int version = sqlite3_column_int(st, 1);
            size_t i;
            json_t *v;
            json_array_foreach(list, i, v) {
                if (json_integer_value(json_object_get(v, "version")) == version)
                    json_array_append_new(json_object_get(v, "instances"),
                                          json_string((const char *)sqlite3_column_text(st, 0)));
            }
        }
    } else {
        step = SQLITE_ERROR;
    }
    int rc = step == SQLITE_DONE ? 0 : store_db_fail(db, err, "cannot read instances");
    sqlite3_finalize(st);
    return rc;
}

json_t *deploy_list(sqlite3 *db, const char *function, char **err)
{
    sqlite3_stmt *st = store_prepare_err(db,
                               "SELECT number, created_at, length(CAST(code AS BLOB)),"
                               " length(CAST(manifest AS BLOB)) FROM versions"
                               " WHERE function = ?1 ORDER BY number DESC",
                               err);
    if (!st)
        return NULL;
    json_t *list = json_array();
    int step = SQLITE_ERROR;
    if (list && sqlite3_bind_text(st, 1, function, -1, SQLITE_STATIC) == SQLITE_OK) {
        while ((step = sqlite3_step(st)) == SQLITE_ROW) {
            json_t *v = json_pack("{s:i, s:I, s:I, s:I, s:[]}", "version", sqlite3_column_int(st, 0), "createdAt",
                                  (json_int_t)sqlite3_column_int64(st, 1), "codeBytes",
                                  (json_int_t)sqlite3_column_int64(st, 2), "manifestBytes",
                                  (json_int_t)sqlite3_column_int64(st, 3), "instances");
            if (!v || json_array_append_new(list, v) != 0) {
                step = SQLITE_NOMEM;
                break;
            }
        }
    }
    if (step != SQLITE_DONE) {
        store_db_fail(db, err, "cannot list versions");
        json_decref(list);
        list = NULL;
    }
    sqlite3_finalize(st);
    if (list && attach_instances(db, function, list, err) != 0) {
        json_decref(list);
        list = NULL;
    }
    return list;
}
