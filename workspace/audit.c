/*
 * audit: the `audit` table (see audit.h).
 *
 *   audit (id INTEGER PRIMARY KEY, at INTEGER, member TEXT, method TEXT,
 *          path TEXT, action TEXT, function TEXT, allowed INTEGER, status INTEGER)
 */
#include "workspace/audit.h"

#include <stdlib.h>

#include "workspace/store.h"

/* Binds text, or NULL when text is NULL. */
static int bind_opt(sqlite3_stmt *st, int col, const char *text)
{
    return text ? sqlite3_bind_text(st, col, text, -1, SQLITE_STATIC) : sqlite3_bind_null(st, col);
}

int audit_add(sqlite3 *db, const audit_entry *e, char **err)
{
    sqlite3_stmt *st = store_prepare_err(db,
                                         "INSERT INTO audit (at, member, method, path, action, function, allowed,"
                                         " status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                         err);
    if (!st)
        return -1;
    int rc = 0;
    if (sqlite3_bind_int64(st, 1, store_now_ms()) != SQLITE_OK || bind_opt(st, 2, e->member) != SQLITE_OK ||
        bind_opt(st, 3, e->method ? e->method : "") != SQLITE_OK ||
        bind_opt(st, 4, e->path ? e->path : "") != SQLITE_OK || bind_opt(st, 5, e->action) != SQLITE_OK ||
        bind_opt(st, 6, e->function) != SQLITE_OK || sqlite3_bind_int(st, 7, e->allowed != 0) != SQLITE_OK ||
        sqlite3_bind_int(st, 8, e->status) != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE)
        rc = store_db_fail(db, err, "cannot record an audit entry");
    sqlite3_finalize(st);
    return rc;
}

/* A text column as a JSON string, or null. */
static json_t *opt_text(sqlite3_stmt *st, int col)
{
    const char *s = (const char *)sqlite3_column_text(st, col);
    return s ? json_string(s) : json_null();
}

static json_t *entry_json(sqlite3_stmt *st)
{
    /* columns: id, at, member, method, path, action, function, allowed, status */
    return json_pack("{s:I, s:I, s:o, s:s, s:s, s:o, s:o, s:b, s:i}", "id", (json_int_t)sqlite3_column_int64(st, 0),
                     "at", (json_int_t)sqlite3_column_int64(st, 1), "member", opt_text(st, 2), "method",
                     (const char *)sqlite3_column_text(st, 3), "path", (const char *)sqlite3_column_text(st, 4),
                     "action", opt_text(st, 5), "function", opt_text(st, 6), "allowed", sqlite3_column_int(st, 7),
                     "status", sqlite3_column_int(st, 8));
}

json_t *audit_list(sqlite3 *db, long limit, char **err)
{
    sqlite3_stmt *st = store_prepare_err(db,
                                         "SELECT id, at, member, method, path, action, function, allowed, status"
                                         " FROM audit ORDER BY id DESC LIMIT ?1",
                                         err);
    if (!st)
        return NULL;
    json_t *list = json_array();
    if (!list)
        abort();
    int step = SQLITE_ERROR;
    if (sqlite3_bind_int64(st, 1, limit > 0 ? limit : -1) == SQLITE_OK) {
        while ((step = sqlite3_step(st)) == SQLITE_ROW) {
            json_t *e = entry_json(st);
            if (!e || json_array_append_new(list, e) != 0)
                abort();
        }
    }
    if (step != SQLITE_DONE) {
        store_db_fail(db, err, "cannot read the audit log");
        json_decref(list);
        list = NULL;
    }
    sqlite3_finalize(st);
    return list;
}
