/*
 * errlog: the `errors` table (see errlog.h).
 *
 * Invariant: after errlog_add commits, the instance has at most ERRLOG_KEEP
 * rows and none older than ERRLOG_MAX_AGE_MS. Rows are ordered by id, which
 * grows with time (ties in `at` keep insertion order).
 */
#include "webhook/errlog.h"

#include <stdlib.h>
#include <string.h>

#include "engine/jsonout.h"
#include "workspace/store.h"

static int fail(sqlite3 *db, char **err, const char *what)
{
    if (err) {
        char *msg = NULL;
        if (asprintf(&msg, "%s: %s", what, sqlite3_errmsg(db)) < 0)
            abort();
        *err = msg;
    }
    return -1;
}

static char *dump(json_t *doc)
{
    char *text = doc ? jsonout_dumps(doc, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    if (!text)
        text = strdup(doc ? "null" : "[]");
    if (!text)
        abort();
    return text;
}

static const char *field(json_t *obj, const char *key, const char *otherwise)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : otherwise;
}

static int insert(sqlite3 *db, const errlog_entry *e, char **err)
{
    sqlite3_stmt *st = store_prepare(db, "INSERT INTO errors (instance, at, request, logs, type, name, message,"
                                         " line, attempt, final) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    if (!st)
        return fail(db, err, "cannot record the error");
    char *request = dump(e->request);
    char *logs = dump(e->logs);
    json_t *line = json_object_get(e->error, "line");
    int ok = sqlite3_bind_text(st, 1, e->instance, -1, SQLITE_STATIC) == SQLITE_OK &&
             sqlite3_bind_int64(st, 2, e->at) == SQLITE_OK &&
             sqlite3_bind_text(st, 3, request, -1, SQLITE_STATIC) == SQLITE_OK &&
             sqlite3_bind_text(st, 4, logs, -1, SQLITE_STATIC) == SQLITE_OK &&
             sqlite3_bind_text(st, 5, field(e->error, "type", "Bad Request"), -1, SQLITE_STATIC) == SQLITE_OK &&
             sqlite3_bind_text(st, 6, field(e->error, "name", "Error"), -1, SQLITE_STATIC) == SQLITE_OK &&
             sqlite3_bind_text(st, 7, field(e->error, "message", ""), -1, SQLITE_STATIC) == SQLITE_OK &&
             (json_is_integer(line) ? sqlite3_bind_int64(st, 8, json_integer_value(line))
                                    : sqlite3_bind_null(st, 8)) == SQLITE_OK &&
             sqlite3_bind_int(st, 9, e->attempt) == SQLITE_OK &&
             sqlite3_bind_int(st, 10, e->final ? 1 : 0) == SQLITE_OK;
    int rc = ok && sqlite3_step(st) == SQLITE_DONE ? 0 : fail(db, err, "cannot record the error");
    sqlite3_finalize(st);
    free(request);
    free(logs);
    return rc;
}

/* Drops the instance's entries past the newest ERRLOG_KEEP or too old. */
static int prune(sqlite3 *db, const char *instance, int64_t now, char **err)
{
    sqlite3_stmt *st = store_prepare(db, "DELETE FROM errors WHERE instance = ?1 AND (at < ?2 OR id <= "
                                         "(SELECT id FROM errors WHERE instance = ?1 ORDER BY id DESC "
                                         "LIMIT 1 OFFSET ?3))");
    if (!st)
        return fail(db, err, "cannot prune the error log");
    int ok = sqlite3_bind_text(st, 1, instance, -1, SQLITE_STATIC) == SQLITE_OK &&
             sqlite3_bind_int64(st, 2, now - ERRLOG_MAX_AGE_MS) == SQLITE_OK &&
             sqlite3_bind_int(st, 3, ERRLOG_KEEP) == SQLITE_OK;
    int rc = ok && sqlite3_step(st) == SQLITE_DONE ? 0 : fail(db, err, "cannot prune the error log");
    sqlite3_finalize(st);
    return rc;
}

int errlog_add(sqlite3 *db, const errlog_entry *e, char **err)
{
    if (insert(db, e, err) != 0)
        return -1;
    return prune(db, e->instance, e->at, err);
}

static json_t *column_json(sqlite3_stmt *st, int col)
{
    json_error_t jerr;
    json_t *v = json_loads((const char *)sqlite3_column_text(st, col), JSON_DECODE_ANY, &jerr);
    return v ? v : json_null();
}

static json_t *row_entry(sqlite3_stmt *st)
{
    return json_pack("{s:I, s:s, s:I, s:o, s:o, s:s, s:s, s:s, s:o, s:i, s:b}",
                     "id", (json_int_t)sqlite3_column_int64(st, 0),
                     "instance", (const char *)sqlite3_column_text(st, 1),
                     "at", (json_int_t)sqlite3_column_int64(st, 2),
                     "request", column_json(st, 3),
                     "logs", column_json(st, 4),
                     "type", (const char *)sqlite3_column_text(st, 5),
                     "name", (const char *)sqlite3_column_text(st, 6),
                     "message", (const char *)sqlite3_column_text(st, 7),
                     "line", sqlite3_column_type(st, 8) == SQLITE_NULL ? json_null()
                                                                       : json_integer(sqlite3_column_int64(st, 8)),
                     "attempt", sqlite3_column_int(st, 9),
                     "final", sqlite3_column_int(st, 10));
}

json_t *errlog_list(sqlite3 *db, const char *instance, int64_t now, char **err)
{
    sqlite3_stmt *st = store_prepare(db, "SELECT id, instance, at, request, logs, type, name, message, line,"
                                         " attempt, final FROM errors WHERE instance = ?1 AND at >= ?2"
                                         " ORDER BY id DESC LIMIT ?3");
    if (!st) {
        fail(db, err, "cannot read the error log");
        return NULL;
    }
    json_t *list = json_array();
    int rc = SQLITE_ERROR;
    if (sqlite3_bind_text(st, 1, instance, -1, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_bind_int64(st, 2, now - ERRLOG_MAX_AGE_MS) == SQLITE_OK &&
        sqlite3_bind_int(st, 3, ERRLOG_KEEP) == SQLITE_OK) {
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            json_t *entry = row_entry(st);
            if (!entry || json_array_append_new(list, entry) != 0)
                abort();
        }
    }
    if (rc != SQLITE_DONE) {
        fail(db, err, "cannot read the error log");
        json_decref(list);
        list = NULL;
    }
    sqlite3_finalize(st);
    return list;
}
