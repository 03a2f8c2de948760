/*
 * remote: where Segment is (segment.json), the `remote` table, and the
 * mapping between function directories and the Public API's function object.
 */
#include "workspace/remote.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "workspace/store.h"
#include "util/xalloc.h"

#define LOCAL_NAME_MAX 64

/* --- configuration ------------------------------------------------------------------ */

void remote_config_free(remote_config *c)
{
    free(c->base);
    free(c->token_env);
    memset(c, 0, sizeof *c);
}

/* Whether the authority host[0..n) is a loopback address. */
static int loopback_host(const char *host, size_t n)
{
    return (n == 9 && strncmp(host, "localhost", 9) == 0) || (n == 5 && strncmp(host, "[::1]", 5) == 0) ||
           (n >= 9 && strncmp(host, "127.", 4) == 0 && strspn(host, "0123456789.") >= n);
}

/* url checked and without trailing slashes (malloc'd), or NULL with *err. */
static char *normal_base(const char *url, const char *origin, char **err)
{
    int https = strncmp(url, "https://", 8) == 0;
    const char *host = https ? url + 8 : strncmp(url, "http://", 7) == 0 ? url + 7 : NULL;
    size_t host_len = host ? strcspn(host, "/") : 0;
    size_t name_len = host ? (host[0] == '[' ? strcspn(host, "]") + 1 : strcspn(host, ":/")) : 0;
    if (!host || host_len == 0 || strpbrk(url, " \t\r\n?#") || memchr(host, '@', host_len)) {
        store_fail(err, "%s: the base URL must be an http:// or https:// URL without query or credentials (got \"%s\")",
             origin, url);
        return NULL;
    }
    if (!https && !loopback_host(host, name_len)) {
        store_fail(err, "%s: plain http:// is allowed for loopback hosts only, the token would travel in clear (got \"%s\")",
             origin, url);
        return NULL;
    }
    char *base = xstrdup(url);
    size_t n = strlen(base);
    while (n > (size_t)(host - url) + host_len && base[n - 1] == '/')
        base[--n] = '\0';
    return base;
}

static int valid_env_name(const char *s)
{
    static const char first[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_";
    return *s && strchr(first, *s) && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_0123456789") ==
                                          strlen(s);
}

/* WORKSPACE/.srcfn/segment.json, or an empty object when there is none. */
static json_t *load_config_file(const char *root, char **path, char **err)
{
    if (asprintf(path, "%s/.srcfn/" REMOTE_CONFIG_FILE, root) < 0)
        abort();
    if (access(*path, F_OK) != 0) {
        if (errno == ENOENT)
            return json_object();
        store_fail(err, "cannot read %s: %s", *path, strerror(errno));
        return NULL;
    }
    json_error_t jerr;
    json_t *doc = json_load_file(*path, 0, &jerr);
    if (!json_is_object(doc)) {
        store_fail(err, "%s must be a JSON object {\"baseUrl\": \"…\", \"tokenEnv\": \"…\"}%s%s", *path,
             doc ? "" : ": ", doc ? "" : jerr.text);
        json_decref(doc);
        return NULL;
    }
    for (const char *const *k = (const char *const[]){"baseUrl", "tokenEnv", NULL}; *k; k++) {
        json_t *v = json_object_get(doc, *k);
        if (v && !json_is_string(v)) {
            store_fail(err, "%s: \"%s\" must be a string", *path, *k);
            json_decref(doc);
            return NULL;
        }
    }
    return doc;
}

int remote_config_load(const char *root, const char *base_flag, const char *token_env_flag, remote_config *out,
                       char **err)
{
    memset(out, 0, sizeof out[0]);
    char *path = NULL;
    json_t *file = load_config_file(root, &path, err);
    int rc = -1;
    if (file) {
        const char *base = base_flag ? base_flag : json_string_value(json_object_get(file, "baseUrl"));
        const char *env = token_env_flag ? token_env_flag : json_string_value(json_object_get(file, "tokenEnv"));
        const char *base_origin = base_flag ? "--base" : base ? path : "the default";
        const char *env_origin = token_env_flag ? "--token-env" : env ? path : "the default";
        env = env ? env : REMOTE_DEFAULT_TOKEN_ENV;
        if (!valid_env_name(env))
            store_fail(err, "%s: \"%s\" is not an environment variable name", env_origin, env);
        else if ((out->base = normal_base(base ? base : REMOTE_DEFAULT_BASE, base_origin, err)) != NULL)
            rc = 0;
        if (rc == 0)
            out->token_env = xstrdup(env);
    }
    json_decref(file);
    free(path);
    if (rc != 0)
        remote_config_free(out);
    return rc;
}

/* --- the remote table ------------------------------------------------------------------ */

void remote_row_free(remote_row *r)
{
    free(r->function);
    free(r->base);
    free(r->remote_id);
    free(r->code_sha256);
    free(r->manifest_sha256);
    memset(r, 0, sizeof *r);
}

static char *column_dup(sqlite3_stmt *st, int col)
{
    return xstrdup((const char *)sqlite3_column_text(st, col));
}

static int get_one(sqlite3 *db, const char *sql, const char *a, const char *b, remote_row *out, char **err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = store_prepare(db, sql);
    if (!st)
        return store_db_fail(db, err, "cannot prepare a statement");
    int rc = 0;
    int step = sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC) == SQLITE_OK &&
                       sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC) == SQLITE_OK
                   ? sqlite3_step(st)
                   : SQLITE_ERROR;
    if (step == SQLITE_ROW) {
        out->function = column_dup(st, 0);
        out->base = column_dup(st, 1);
        out->remote_id = column_dup(st, 2);
        out->code_sha256 = column_dup(st, 3);
        out->manifest_sha256 = column_dup(st, 4);
        out->synced_at = sqlite3_column_int64(st, 5);
        rc = 1;
    } else if (step != SQLITE_DONE) {
        rc = store_db_fail(db, err, "cannot read the remote table");
    }
    sqlite3_finalize(st);
    return rc;
}

#define REMOTE_COLUMNS "function, base_url, remote_id, code_sha256, manifest_sha256, synced_at"

int remote_get(sqlite3 *db, const char *function, const char *base, remote_row *out, char **err)
{
    return get_one(db, "SELECT " REMOTE_COLUMNS " FROM remote WHERE function = ?1 AND base_url = ?2", function,
                   base, out, err);
}

int remote_by_id(sqlite3 *db, const char *remote_id, const char *base, remote_row *out, char **err)
{
    return get_one(db,
                   "SELECT " REMOTE_COLUMNS " FROM remote WHERE remote_id = ?1 AND base_url = ?2"
                   " ORDER BY synced_at DESC LIMIT 1",
                   remote_id, base, out, err);
}

int remote_put(sqlite3 *db, const remote_row *r, char **err)
{
    sqlite3_stmt *st = store_prepare(db,
                                     "INSERT OR REPLACE INTO remote (" REMOTE_COLUMNS ")"
                                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!st)
        return store_db_fail(db, err, "cannot prepare a statement");
    int ok = sqlite3_bind_text(st, 1, r->function, -1, SQLITE_STATIC) == SQLITE_OK &&
             sqlite3_bind_text(st, 2, r->base, -1, SQLITE_STATIC) == SQLITE_OK &&
             sqlite3_bind_text(st, 3, r->remote_id, -1, SQLITE_STATIC) == SQLITE_OK &&
             sqlite3_bind_text(st, 4, r->code_sha256, -1, SQLITE_STATIC) == SQLITE_OK &&
             sqlite3_bind_text(st, 5, r->manifest_sha256, -1, SQLITE_STATIC) == SQLITE_OK &&
             sqlite3_bind_int64(st, 6, store_now_ms()) == SQLITE_OK && sqlite3_step(st) == SQLITE_DONE;
    int rc = ok ? 0 : store_db_fail(db, err, "cannot record the remote id");
    sqlite3_finalize(st);
    return rc;
}

char *remote_sha256_hex(const void *data, size_t len)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    if (EVP_Digest(data, len, md, &md_len, EVP_sha256(), NULL) != 1)
        return NULL;
    char *hex = malloc(md_len * 2 + 1);
    if (!hex)
        abort();
    for (unsigned int i = 0; i < md_len; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    hex[md_len * 2] = '\0';
    return hex;
}

/* --- mapping ------------------------------------------------------------------------------ */

static const char *string_or(json_t *o, const char *key, const char *fallback)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : fallback;
}

/* One setting as the API describes it: every field present. */
static json_t *api_setting(json_t *s)
{
    const char *name = string_or(s, "name", "");
    return json_pack("{s:s, s:s, s:s, s:s, s:b, s:b}", "name", name, "label", string_or(s, "label", name),
                     "description", string_or(s, "description", ""), "type", string_or(s, "type", "STRING"),
                     "required", json_is_true(json_object_get(s, "required")), "sensitive",
                     json_is_true(json_object_get(s, "sensitive")));
}

static json_t *api_settings(json_t *decl)
{
    json_t *list = json_array();
    if (!list)
        abort();
    size_t i;
    json_t *s;
    json_array_foreach(decl, i, s) {
        if (json_array_append_new(list, api_setting(s)) != 0)
            abort();
    }
    return list;
}

json_t *remote_function_body(const char *name, const char *code, json_t *manifest, int create)
{
    json_t *body = json_pack("{s:s, s:s, s:s}", "code", code, "displayName", string_or(manifest, "displayName", name),
                             "description", string_or(manifest, "description", ""));
    if (!body)
        abort();
    const char *logo = json_string_value(json_object_get(manifest, "logoUrl"));
    if ((logo && *logo && json_object_set_new(body, "logoUrl", json_string(logo)) != 0) ||
        (create && json_object_set_new(body, "resourceType", json_string("SOURCE")) != 0) ||
        json_object_set_new(body, "settings", api_settings(json_object_get(manifest, "settings"))) != 0)
        abort();
    return body;
}

int remote_function_files(json_t *function, char **code, char **manifest, char **err)
{
    *code = NULL;
    *manifest = NULL;
    const char *text = json_string_value(json_object_get(function, "code"));
    if (!text)
        return store_fail(err, "the function object has no \"code\"");
    json_t *settings = json_object_get(function, "settings");
    if (settings && !json_is_array(settings) && !json_is_null(settings))
        return store_fail(err, "the function object's \"settings\" is not an array");
    json_t *m = json_pack("{s:s, s:s}", "displayName", string_or(function, "displayName", ""), "description",
                          string_or(function, "description", ""));
    if (!m)
        abort();
    const char *logo = json_string_value(json_object_get(function, "logoUrl"));
    if ((logo && *logo && json_object_set_new(m, "logoUrl", json_string(logo)) != 0) ||
        json_object_set_new(m, "settings", api_settings(json_is_array(settings) ? settings : NULL)) != 0)
        abort();
    char *dumped = json_dumps(m, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(m);
    if (!dumped)
        return store_fail(err, "cannot serialise function.json");
    if (asprintf(manifest, "%s\n", dumped) < 0)
        abort();
    free(dumped);
    *code = xstrdup(text);
    return 0;
}

char *remote_local_name(json_t *function, const char *remote_id)
{
    const char *display = json_string_value(json_object_get(function, "displayName"));
    char name[LOCAL_NAME_MAX + 1];
    size_t n = 0;
    int dash = 0;
    for (const char *p = display ? display : ""; *p && n < LOCAL_NAME_MAX; p++) {
        char c = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
            if (dash && n > 0 && n < LOCAL_NAME_MAX)
                name[n++] = '-';
            if (n < LOCAL_NAME_MAX)
                name[n++] = c;
            dash = 0;
        } else {
            dash = 1;
        }
    }
    name[n] = '\0';
    return xstrdup(n ? name : remote_id);
}
