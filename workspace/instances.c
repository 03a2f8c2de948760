/*
 * instances: the `instances` table, webhook tokens and URLs, and reading
 * settings values given on the command line. Sensitive values are sealed on
 * the way in and opened on the way out (workspace/secrets.h); the key is read
 * once per call, only when a sealed value is met.
 */
#include "workspace/instances.h"

#include <ctype.h>
#include <openssl/rand.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/settings.h"
#include "workspace/deploy.h"
#include "workspace/secrets.h"
#include "workspace/store.h"

static char *column_dup(sqlite3_stmt *st, int col)
{
    const char *s = (const char *)sqlite3_column_text(st, col);
    char *d = strdup(s ? s : "");
    if (!d)
        abort();
    return d;
}

void instance_row_free(instance_row *r)
{
    free(r->name);
    free(r->function);
    free(r->token);
    free(r->settings_error);
    json_decref(r->secrets);              /* first: its strings are shared with settings */
    secrets_settings_free(r->settings);   /* wipes the opened secrets */
    free(r->write_key);
    free(r->endpoint);
    memset(r, 0, sizeof *r);
}

void instances_free(instance_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        instance_row_free(&rows[i]);
    free(rows);
}

/* --- the secrets key ------------------------------------------------------------ */

/* The workspace's key, loaded the first time one call needs it. */
typedef struct keyring {
    sqlite3 *db;
    int loaded;
    secrets_key key;
} keyring;

/* 1 loaded, 0 the key file is missing (*err says so), -1 error: a key file
 * others may read, unreadable, or a database outside a workspace. */
static int keyring_load(keyring *k, int create, char **err)
{
    if (k->loaded)
        return 1;
    char *root = store_root(k->db);
    if (!root)
        return store_fail(err, "sealed settings need a workspace's secrets key, and this database is not a workspace's");
    int rc = secrets_key_for(root, create, &k->key, err);
    if (rc == 0) {
        char *path = secrets_key_path(root);
        store_fail(err, "the secrets key %s is missing, so sealed settings values cannot be read (connect the instance "
                  "again to give them anew)", path);
        free(path);
    }
    free(root);
    k->loaded = rc == 1;
    return rc;
}

static const secrets_key *keyring_get(keyring *k, int create, char **err)
{
    return keyring_load(k, create, err) == 1 ? &k->key : NULL;
}

static void keyring_close(keyring *k)
{
    if (k->loaded)
        secrets_key_wipe(&k->key);
    k->loaded = 0;
}

/* The settings declaration of a version of a function (new reference; an
 * empty one when the version does not exist), or NULL with *err. */
static json_t *version_decl(sqlite3 *db, const char *function, int version, char **err)
{
    if (version <= 0)
        return json_array();
    fn_version v;
    int found = deploy_load(db, function, version, &v, err);
    if (found < 0)
        return NULL;
    json_t *decl = found ? json_incref(json_object_get(v.manifest, "settings")) : NULL;
    fn_version_free(&v);
    return decl ? decl : json_array();
}

/* --- reading rows ------------------------------------------------------------ */

/* Each row comes with the manifest of the version it runs (NULL when none). */
#define ROW_COLUMNS                                                                                \
    "i.name, i.function, i.version, i.token, i.settings, i.write_key, i.endpoint, i.created_at,"  \
    " i.updated_at, v.manifest"
#define ROW_FROM " FROM instances i LEFT JOIN versions v ON v.function = i.function AND v.number = i.version"

/* The secret texts of a row: those of the settings its version declares
 * sensitive, and of every value that was stored sealed. */
static json_t *row_secrets(json_t *manifest, json_t *stored, json_t *opened)
{
    json_t *decl = json_object_get(manifest, "settings");
    json_t *sensitive = json_array();
    if (!sensitive)
        abort();
    const char *k;
    json_t *v;
    json_object_foreach(stored, k, v) {
        if ((secrets_is_sealed(v) || secrets_is_sensitive(decl, k)) &&
            json_array_append_new(sensitive, json_pack("{s:s, s:b}", "name", k, "sensitive", 1)) != 0)
            abort();
    }
    json_t *texts = secrets_values(sensitive, opened);
    json_decref(sensitive);
    return texts;
}

/* The stored settings of a row opened into r->settings, r->secrets listed. */
static int open_settings(sqlite3_stmt *st, instance_row *r, keyring *ring, char **err)
{
    const char *name = (const char *)sqlite3_column_text(st, 0);
    const char *settings = (const char *)sqlite3_column_text(st, 4);
    const char *manifest = (const char *)sqlite3_column_text(st, 9);
    json_error_t jerr;
    json_t *stored = settings ? json_loads(settings, 0, &jerr) : NULL;
    if (!json_is_object(stored)) {
        secrets_settings_free(stored);
        return store_fail(err, "the stored settings of instance \"%s\" are not a JSON object", name);
    }
    json_t *m = manifest ? json_loads(manifest, 0, &jerr) : NULL;
    char *why = NULL;
    int have = secrets_settings_sealed(stored) ? keyring_load(ring, 0, &why) : 1;
    int rc = 0;
    if (have < 0) {
        rc = store_fail(err, "instance \"%s\": %s", name, why);
    } else {
        /* A value that does not open is left out and said in settings_error:
         * the row stays usable (to disconnect it, to connect it anew). */
        r->settings = secrets_decrypt_settings_lenient(have ? &ring->key : NULL, stored, &r->settings_error);
        if (!have) {
            free(r->settings_error);
            r->settings_error = why;
            why = NULL;
        }
        r->secrets = row_secrets(m, stored, r->settings);
    }
    free(why);
    json_decref(m);
    secrets_settings_free(stored);   /* it may hold plain values of legacy rows */
    return rc;
}

static int read_row(sqlite3_stmt *st, instance_row *r, keyring *ring, char **err)
{
    memset(r, 0, sizeof *r);
    if (open_settings(st, r, ring, err) != 0)
        return -1;
    r->name = column_dup(st, 0);
    r->function = column_dup(st, 1);
    r->version = sqlite3_column_type(st, 2) == SQLITE_NULL ? 0 : sqlite3_column_int(st, 2);
    r->token = column_dup(st, 3);
    r->write_key = column_dup(st, 5);
    r->endpoint = column_dup(st, 6);
    r->created_at = sqlite3_column_int64(st, 7);
    r->updated_at = sqlite3_column_int64(st, 8);
    return 0;
}

static int get_one(sqlite3 *db, const char *sql, const char *key, instance_row *out, char **err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = store_prepare_err(db, sql, err);
    if (!st)
        return -1;
    keyring ring = {db, 0, {{0}}};
    int rc;
    if (sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC) != SQLITE_OK) {
        rc = store_db_fail(db, err, "cannot read an instance");
    } else {
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW)
            rc = read_row(st, out, &ring, err) == 0 ? 1 : -1;
        else if (step == SQLITE_DONE)
            rc = 0;
        else
            rc = store_db_fail(db, err, "cannot read an instance");
    }
    if (rc < 0)
        instance_row_free(out);
    keyring_close(&ring);
    sqlite3_finalize(st);
    return rc;
}

int instance_get(sqlite3 *db, const char *name, instance_row *out, char **err)
{
    return get_one(db, "SELECT " ROW_COLUMNS ROW_FROM " WHERE i.name = ?1", name, out, err);
}

int instance_by_token(sqlite3 *db, const char *token, instance_row *out, char **err)
{
    return get_one(db, "SELECT " ROW_COLUMNS ROW_FROM " WHERE i.token = ?1", token, out, err);
}

int instances_list(sqlite3 *db, const char *function, instance_row **rows, size_t *n, char **err)
{
    *rows = NULL;
    *n = 0;
    sqlite3_stmt *st = store_prepare_err(db,
                               "SELECT " ROW_COLUMNS ROW_FROM
                               " WHERE ?1 IS NULL OR i.function = ?1 ORDER BY i.name",
                               err);
    if (!st)
        return -1;
    keyring ring = {db, 0, {{0}}};
    int bound = function ? sqlite3_bind_text(st, 1, function, -1, SQLITE_STATIC) : sqlite3_bind_null(st, 1);
    int step = bound == SQLITE_OK ? SQLITE_ROW : SQLITE_ERROR;
    size_t cap = 0;
    int rc = 0;
    while (rc == 0 && step == SQLITE_ROW && (step = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            instance_row *grown = realloc(*rows, cap * sizeof **rows);
            if (!grown)
                abort();
            *rows = grown;
        }
        if (read_row(st, &(*rows)[*n], &ring, err) != 0) {
            instance_row_free(&(*rows)[*n]);
            rc = -1;
        } else {
            (*n)++;
        }
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = store_db_fail(db, err, "cannot list instances");
    keyring_close(&ring);
    sqlite3_finalize(st);
    if (rc != 0) {
        instances_free(*rows, *n);
        *rows = NULL;
        *n = 0;
    }
    return rc;
}

/* --- changing rows ------------------------------------------------------------ */

/* r's settings as stored: sensitive values (under the declaration of the
 * version r runs) sealed. JSON text (malloc'd), or NULL with *err. */
static char *stored_settings(sqlite3 *db, const instance_row *r, char **err)
{
    json_t *decl = version_decl(db, r->function, r->version, err);
    if (!decl)
        return NULL;
    json_t *stored = NULL;
    char *text = NULL;
    if (secrets_settings_need_sealing(decl, r->settings)) {
        keyring ring = {db, 0, {{0}}};
        const secrets_key *key = keyring_get(&ring, 1, err);
        stored = key ? secrets_encrypt_settings(key, decl, r->settings, err) : NULL;
        keyring_close(&ring);
    } else {
        stored = r->settings ? json_incref(r->settings) : json_object();
    }
    if (stored && !(text = json_dumps(stored, JSON_COMPACT | JSON_SORT_KEYS)))
        store_fail(err, "cannot serialise the settings of instance \"%s\"", r->name);
    json_decref(stored);
    json_decref(decl);
    return text;
}

int instance_insert(sqlite3 *db, const instance_row *r, char **err)
{
    char *settings = stored_settings(db, r, err);
    if (!settings)
        return -1;
    sqlite3_stmt *st = store_prepare_err(db,
                               "INSERT INTO instances (name, function, version, token, settings, write_key,"
                               " endpoint, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
                               err);
    int rc = -1;
    if (st) {
        int bound = sqlite3_bind_text(st, 1, r->name, -1, SQLITE_STATIC) |
                    sqlite3_bind_text(st, 2, r->function, -1, SQLITE_STATIC) |
                    (r->version > 0 ? sqlite3_bind_int(st, 3, r->version) : sqlite3_bind_null(st, 3)) |
                    sqlite3_bind_text(st, 4, r->token, -1, SQLITE_STATIC) |
                    sqlite3_bind_text(st, 5, settings, -1, SQLITE_STATIC) |
                    sqlite3_bind_text(st, 6, r->write_key, -1, SQLITE_STATIC) |
                    sqlite3_bind_text(st, 7, r->endpoint, -1, SQLITE_STATIC) |
                    sqlite3_bind_int64(st, 8, store_now_ms());
        int step = bound == SQLITE_OK ? sqlite3_step(st) : SQLITE_ERROR;
        if (step == SQLITE_DONE)
            rc = 0;
        else if ((sqlite3_extended_errcode(db) & 0xff) == SQLITE_CONSTRAINT)
            rc = store_fail(err, "instance \"%s\" already exists (\"srcfn disconnect %s\" removes it)", r->name, r->name);
        else
            rc = store_db_fail(db, err, "cannot add the instance");
        sqlite3_finalize(st);
    }
    free(settings);
    return rc;
}

int instance_delete(sqlite3 *db, const char *name, char **err)
{
    sqlite3_stmt *st = store_prepare_err(db, "DELETE FROM instances WHERE name = ?1", err);
    if (!st)
        return -1;
    int rc;
    if (sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC) != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE)
        rc = store_db_fail(db, err, "cannot remove the instance");
    else
        rc = sqlite3_changes(db) > 0;
    sqlite3_finalize(st);
    return rc;
}

/* Seals what stored holds in plain and decl marks sensitive: the new stored
 * text in *out (malloc'd), or NULL when nothing needs sealing. */
static int migrate_stored(sqlite3 *db, const char *stored_text, json_t *decl, char **out, char **err)
{
    *out = NULL;
    json_error_t jerr;
    json_t *stored = json_loads(stored_text, 0, &jerr);
    if (!json_is_object(stored) || !secrets_settings_need_migration(decl, stored)) {
        secrets_settings_free(stored);
        return 0;
    }
    keyring ring = {db, 0, {{0}}};
    const secrets_key *key = keyring_get(&ring, 1, err);
    json_t *migrated = key ? secrets_migrate_settings(key, decl, stored, err) : NULL;
    keyring_close(&ring);
    secrets_settings_free(stored);
    if (!migrated)
        return -1;
    *out = json_dumps(migrated, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(migrated);
    if (!*out)
        return store_fail(err, "cannot serialise the sealed settings");
    /* The plain text of the row is overwritten, not left in a free page. */
    return store_exec(db, "PRAGMA secure_delete = ON", err);
}

/* The instance's settings as they must be stored once it runs version: the
 * new text in *out, or NULL when they stay as they are. */
static int migrated_settings(sqlite3 *db, const char *name, int version, char **out, char **err)
{
    *out = NULL;
    sqlite3_stmt *st = store_prepare_err(db, "SELECT function, settings FROM instances WHERE name = ?1", err);
    if (!st)
        return -1;
    int rc = 0;
    int step = sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC) == SQLITE_OK ? sqlite3_step(st) : SQLITE_ERROR;
    if (step == SQLITE_ROW) {
        const char *function = (const char *)sqlite3_column_text(st, 0);
        const char *stored = (const char *)sqlite3_column_text(st, 1);
        json_t *decl = function && stored ? version_decl(db, function, version, err) : json_array();
        rc = !decl ? -1 : migrate_stored(db, stored ? stored : "{}", decl, out, err);
        json_decref(decl);
    } else if (step != SQLITE_DONE) {
        rc = store_db_fail(db, err, "cannot read the instance");
    }
    sqlite3_finalize(st);
    return rc;
}

int instance_set_version(sqlite3 *db, const char *name, int version, char **err)
{
    char *settings = NULL;
    if (migrated_settings(db, name, version, &settings, err) != 0)
        return -1;
    /* updated_at moves strictly forward, even twice in one millisecond, so a
     * server polling it never misses a change. */
    sqlite3_stmt *st = store_prepare_err(db,
                               "UPDATE instances SET version = ?2, updated_at = max(?3, updated_at + 1),"
                               " settings = coalesce(?4, settings) WHERE name = ?1",
                               err);
    if (!st) {
        free(settings);
        return -1;
    }
    int rc = 0;
    if (sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC) != SQLITE_OK || sqlite3_bind_int(st, 2, version) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, store_now_ms()) != SQLITE_OK ||
        (settings ? sqlite3_bind_text(st, 4, settings, -1, SQLITE_STATIC) : sqlite3_bind_null(st, 4)) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = store_db_fail(db, err, "cannot update the instance");
    else if (sqlite3_changes(db) != 1)
        rc = store_fail(err, "no instance \"%s\"", name);
    sqlite3_finalize(st);
    free(settings);
    return rc;
}

int instances_stamp(sqlite3 *db, int64_t *stamp, char **err)
{
    sqlite3_stmt *st = store_prepare_err(db, "SELECT count(*), coalesce(sum(updated_at), 0) FROM instances", err);
    if (!st)
        return -1;
    int rc = 0;
    if (sqlite3_step(st) != SQLITE_ROW)
        rc = store_db_fail(db, err, "cannot read instances");
    else
        *stamp = sqlite3_column_int64(st, 1) + sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc;
}

/* --- tokens and URLs ------------------------------------------------------------ */

char *instance_random_hex(size_t bytes)
{
    unsigned char *raw = malloc(bytes ? bytes : 1);
    char *hex = malloc(bytes * 2 + 1);
    if (!raw || !hex)
        abort();
    if (bytes > 0x7fffffff || RAND_bytes(raw, (int)bytes) != 1) {
        free(raw);
        free(hex);
        return NULL;
    }
    for (size_t i = 0; i < bytes; i++)
        snprintf(hex + 2 * i, 3, "%02x", raw[i]);
    hex[bytes * 2] = '\0';
    free(raw);
    return hex;
}

int instance_serve_port(void)
{
    const char *env = getenv("SRCFN_PORT");
    if (env && *env) {
        char *end;
        long port = strtol(env, &end, 10);
        if (*end == '\0' && port > 0 && port < 65536)
            return (int)port;
    }
    return SERVE_DEFAULT_PORT;
}

char *instance_webhook_url(const char *token)
{
    char *url = NULL;
    if (asprintf(&url, "http://127.0.0.1:%d/hooks/%s", instance_serve_port(), token) < 0)
        abort();
    return url;
}

/* --- settings from the command line -------------------------------------------- */

/* Each reader returns the value text stands for, or NULL when it does not
 * read as the type. */
typedef json_t *(*value_reader)(const char *text);

static json_t *read_string(const char *text)
{
    return json_string(text);
}

static json_t *read_boolean(const char *text)
{
    if (strcasecmp(text, "true") == 0)
        return json_true();
    if (strcasecmp(text, "false") == 0)
        return json_false();
    return NULL;
}

static const char *skip_space(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    return s;
}

/* A copy of s[0..n) without surrounding white space. */
static char *trimmed(const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    char *t = strndup(s, n);
    if (!t)
        abort();
    return t;
}

/* JSON text, kept only when it is of the setting type. */
static json_t *read_json(const char *text, const char *type)
{
    json_error_t jerr;
    json_t *v = json_loads(text, 0, &jerr);
    if (v && !settings_type_ok(type, v)) {
        json_decref(v);
        v = NULL;
    }
    return v;
}

/* Calls item(acc, piece) for each non-empty comma-separated piece; stops and
 * returns -1 when item does. */
static int each_item(const char *text, json_t *acc, int (*item)(json_t *acc, char *piece))
{
    const char *p = text;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        char *piece = trimmed(p, n);
        int rc = *piece ? item(acc, piece) : 0;
        free(piece);
        if (rc != 0)
            return -1;
        if (!comma)
            return 0;
        p = comma + 1;
    }
}

static int array_item(json_t *acc, char *piece)
{
    return json_array_append_new(acc, json_string(piece));
}

static int map_item(json_t *acc, char *piece)
{
    char *colon = strchr(piece, ':');
    if (!colon)
        return -1;
    char *key = trimmed(piece, (size_t)(colon - piece));
    char *value = trimmed(colon + 1, strlen(colon + 1));
    int rc = *key ? json_object_set_new(acc, key, json_string(value)) : -1;
    free(key);
    free(value);
    return rc;
}

static json_t *read_list(const char *text, char open, const char *type, json_t *acc,
                         int (*item)(json_t *, char *))
{
    if (*skip_space(text) == open) {
        json_decref(acc);
        return read_json(text, type);
    }
    if (!acc || each_item(text, acc, item) != 0) {
        json_decref(acc);
        return NULL;
    }
    return acc;
}

static json_t *read_array(const char *text)
{
    return read_list(text, '[', "ARRAY", json_array(), array_item);
}

static json_t *read_map(const char *text)
{
    return read_list(text, '{', "TEXT_MAP", json_object(), map_item);
}

static const struct setting_reader {
    const char *type;
    const char *form;     /* how to write a value, for messages */
    value_reader read;
} setting_readers[] = {
    {"STRING", "any text", read_string},
    {"BOOLEAN", "true or false", read_boolean},
    {"ARRAY", "a,b,c or a JSON array of strings", read_array},
    {"TEXT_MAP", "key:value,key2:value2 or a JSON object of strings", read_map},
};

static const struct setting_reader *find_reader(const char *type)
{
    for (size_t i = 0; i < sizeof setting_readers / sizeof setting_readers[0]; i++) {
        if (strcmp(setting_readers[i].type, type) == 0)
            return &setting_readers[i];
    }
    return NULL;
}

static json_t *find_declared(json_t *decl, const char *name)
{
    size_t i;
    json_t *s;
    json_array_foreach(decl, i, s) {
        const char *n = json_string_value(json_object_get(s, "name"));
        if (n && strcmp(n, name) == 0)
            return s;
    }
    return NULL;
}

static int undeclared(json_t *decl, const char *name, char **err)
{
    size_t len = 0, i;
    json_t *s;
    json_array_foreach(decl, i, s) {
        const char *n = json_string_value(json_object_get(s, "name"));
        len += n ? strlen(n) + 2 : 0;
    }
    if (len == 0)
        return store_fail(err, "setting \"%s\" is not declared: the function declares no settings", name);
    char *names = calloc(1, len + 1);
    if (!names)
        abort();
    json_array_foreach(decl, i, s) {
        const char *n = json_string_value(json_object_get(s, "name"));
        if (!n)
            continue;
        if (*names)
            strcat(names, ", ");
        strcat(names, n);
    }
    store_fail(err, "setting \"%s\" is not declared by the function (its settings: %s)", name, names);
    free(names);
    return -1;
}

static int parse_pair(json_t *decl, const char *pair, json_t *values, char **err)
{
    const char *eq = strchr(pair, '=');
    if (!eq || eq == pair)
        return store_fail(err, "--setting \"%s\": write NAME=VALUE", pair);
    char *name = strndup(pair, (size_t)(eq - pair));
    if (!name)
        abort();
    json_t *s = find_declared(decl, name);
    const char *type = json_string_value(json_object_get(s, "type"));
    const struct setting_reader *reader = find_reader(type ? type : "STRING");
    json_t *value = NULL;
    int rc = 0;
    if (!s)
        rc = undeclared(decl, name, err);
    else if (json_object_get(values, name))
        rc = store_fail(err, "setting \"%s\" is given twice", name);
    else if (!reader)
        rc = store_fail(err, "setting \"%s\" has an unknown type \"%s\"", name, type);
    else if (!(value = reader->read(eq + 1)) && json_is_true(json_object_get(s, "sensitive")))
        rc = store_fail(err, "setting \"%s\" must be %s: %s", name, settings_type_noun(reader->type), reader->form);
    else if (!value)
        rc = store_fail(err, "setting \"%s\" must be %s: %s (got \"%s\")", name, settings_type_noun(reader->type),
                  reader->form, eq + 1);
    else if (json_object_set_new(values, name, value) != 0)
        rc = store_fail(err, "setting \"%s\": cannot store the value", name);
    free(name);
    return rc;
}

int instances_parse_settings(json_t *decl, char *const *pairs, size_t n, json_t **values, char **err)
{
    *values = json_object();
    if (!*values)
        abort();
    for (size_t i = 0; i < n; i++) {
        if (parse_pair(decl, pairs[i], *values, err) != 0) {
            json_decref(*values);
            *values = NULL;
            return -1;
        }
    }
    json_t *problem = settings_check(decl, *values);
    if (problem) {
        const char *why = json_string_value(json_object_get(problem, "message"));
        store_fail(err, "%s", why ? why : "invalid settings");
        json_decref(problem);
        json_decref(*values);
        *values = NULL;
        return -1;
    }
    return 0;
}

int instances_check_settings(json_t *decl, json_t *values, char **err)
{
    if (!json_is_object(values))
        return store_fail(err, "the settings must be a JSON object of name: value");
    const char *name;
    json_t *v;
    json_object_foreach(values, name, v) {
        if (!find_declared(decl, name))
            return undeclared(decl, name, err);
    }
    json_t *problem = settings_check(decl, values);
    if (!problem)
        return 0;
    const char *why = json_string_value(json_object_get(problem, "message"));
    store_fail(err, "%s", why ? why : "invalid settings");
    json_decref(problem);
    return -1;
}

json_t *instances_public_settings(json_t *decl, json_t *values)
{
    return secrets_public_settings(decl, values);
}
