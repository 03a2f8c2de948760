/*
 * capture: the capture listener and the SQL of the `captures` table (see
 * capture.h for what users see).
 *
 * Invariants:
 * - A request is answered 200 only after its row is committed; a database
 *   failure answers 500 and stores nothing.
 * - Storing, pruning to CAPTURE_KEEP and the notify call happen under one
 *   mutex, which also guards the listener's single database connection, so
 *   notify calls come one at a time and in id order.
 * - The body is stored as the raw bytes that arrived (a BLOB); headers as the
 *   JSON object the server built (name -> string, or array when repeated).
 */
#include "webhook/capture.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "engine/engine.h"
#include "workspace/store.h"

struct capture {
    char *function;
    sqlite3 *db;              /* under lock */
    pthread_mutex_t lock;
    server *srv;
    capture_notify notify;
    void *ctx;
};

static char *dup_or_die(const char *s)
{
    char *d = strdup(s);
    if (!d)
        abort();
    return d;
}

static char *message(const char *what, sqlite3 *db)
{
    char *s = NULL;
    if (asprintf(&s, "%s: %s", what, db ? sqlite3_errmsg(db) : "no database") < 0)
        abort();
    return s;
}

const char *capture_header(json_t *headers, const char *name)
{
    const char *k;
    json_t *v;
    json_object_foreach(headers, k, v) {
        if (strcasecmp(k, name) == 0)
            return json_is_array(v) ? json_string_value(json_array_get(v, 0)) : json_string_value(v);
    }
    return NULL;
}

void capture_preview(const char *body, size_t len, char out[CAPTURE_PREVIEW_SIZE])
{
    size_t n = 0;
    while (n < len && n < CAPTURE_PREVIEW_SIZE - 12) {
        unsigned char ch = (unsigned char)body[n];
        out[n++] = ch < 0x20 || ch == 0x7f ? ' ' : (char)ch;
    }
    while (n > 0 && n < len && ((unsigned char)body[n] & 0xc0) == 0x80)   /* not in a character */
        n--;
    out[n] = '\0';
    if (n < len)
        strcat(out, "\xe2\x80\xa6");   /* … */
}

/* ---- storing ----------------------------------------------------------------- */

static int bind_request(sqlite3_stmt *st, const char *function, int64_t at, const server_request *req,
                        const char *headers)
{
    return sqlite3_bind_text(st, 1, function, -1, SQLITE_STATIC) == SQLITE_OK &&
                   sqlite3_bind_int64(st, 2, at) == SQLITE_OK &&
                   sqlite3_bind_text(st, 3, req->method, -1, SQLITE_STATIC) == SQLITE_OK &&
                   sqlite3_bind_text(st, 4, req->path ? req->path : "/", -1, SQLITE_STATIC) == SQLITE_OK &&
                   sqlite3_bind_text(st, 5, req->query ? req->query : "", -1, SQLITE_STATIC) == SQLITE_OK &&
                   sqlite3_bind_text(st, 6, headers, -1, SQLITE_STATIC) == SQLITE_OK &&
                   sqlite3_bind_blob64(st, 7, req->body ? req->body : "", req->body_len, SQLITE_STATIC) ==
                       SQLITE_OK
               ? 0
               : -1;
}

/* Inserts the request; its id, or -1. Call inside a transaction. */
static long long insert_capture(capture *c, const server_request *req)
{
    char *headers = json_dumps(req->headers, JSON_COMPACT);
    sqlite3_stmt *st = store_prepare(c->db, "INSERT INTO captures (function, at, method, path, query, headers, "
                                            "body) VALUES (?, ?, ?, ?, ?, ?, ?)");
    long long id = -1;
    if (headers && st && bind_request(st, c->function, store_now_ms(), req, headers) == 0 &&
        sqlite3_step(st) == SQLITE_DONE)
        id = (long long)sqlite3_last_insert_rowid(c->db);
    sqlite3_finalize(st);
    free(headers);
    return id;
}

/* Deletes all but the newest CAPTURE_KEEP captures of the function. */
static int prune(capture *c)
{
    sqlite3_stmt *st = store_prepare(c->db, "DELETE FROM captures WHERE function = ?1 AND id NOT IN "
                                            "(SELECT id FROM captures WHERE function = ?1 ORDER BY id DESC LIMIT ?2)");
    int ok = st && sqlite3_bind_text(st, 1, c->function, -1, SQLITE_STATIC) == SQLITE_OK &&
             sqlite3_bind_int(st, 2, CAPTURE_KEEP) == SQLITE_OK && sqlite3_step(st) == SQLITE_DONE;
    sqlite3_finalize(st);
    return ok ? 0 : -1;
}

static long long store_capture(capture *c, const server_request *req)
{
    if (store_begin(c->db) != 0)
        return -1;
    long long id = insert_capture(c, req);
    if (id < 0 || prune(c) != 0 || store_commit(c->db) != 0) {
        fprintf(stderr, "srcfn: capture: cannot store a request: %s\n", sqlite3_errmsg(c->db));
        store_rollback(c->db);
        return -1;
    }
    return id;
}

static json_t *on_request(void *ctx, const server_request *req, int *status)
{
    capture *c = ctx;
    pthread_mutex_lock(&c->lock);
    long long id = store_capture(c, req);
    if (id >= 0 && c->notify)
        c->notify(c->ctx, id, req);
    pthread_mutex_unlock(&c->lock);
    if (id < 0) {
        *status = 500;
        return json_pack("{s:s}", "error", "the request could not be stored");
    }
    *status = 200;
    return json_pack("{s:b, s:I}", "ok", 1, "capture", (json_int_t)id);
}

/* ---- the listener ------------------------------------------------------------- */

capture *capture_start(const char *root, const char *function, const server_options *opt,
                       capture_notify notify, void *ctx, char **err)
{
    capture *c = calloc(1, sizeof *c);
    if (!c)
        abort();
    c->function = dup_or_die(function);
    c->notify = notify;
    c->ctx = ctx;
    c->db = store_open(root, err);
    if (c->db && pthread_mutex_init(&c->lock, NULL) == 0) {
        c->srv = server_start(opt, on_request, c, err);
        if (c->srv)
            return c;
        pthread_mutex_destroy(&c->lock);
    } else if (c->db) {
        *err = dup_or_die("cannot create a mutex");
    }
    store_close(c->db);
    free(c->function);
    free(c);
    return NULL;
}

int capture_port(const capture *c)
{
    return server_port(c->srv);
}

void capture_stop(capture *c)
{
    if (!c)
        return;
    server_stop(c->srv);
    pthread_mutex_destroy(&c->lock);
    store_close(c->db);
    free(c->function);
    free(c);
}

/* ---- reading -------------------------------------------------------------------- */

/* The body column as a JSON string (raw bytes; the server let only UTF-8 in). */
static json_t *body_string(sqlite3_stmt *st, int col)
{
    const char *body = sqlite3_column_blob(st, col);
    size_t len = (size_t)sqlite3_column_bytes(st, col);
    json_t *s = json_stringn(body ? body : "", len);
    return s ? s : json_stringn_nocheck(body ? body : "", len);
}

static json_t *headers_value(sqlite3_stmt *st, int col)
{
    json_t *h = json_loads((const char *)sqlite3_column_text(st, col), 0, NULL);
    if (json_is_object(h))
        return h;
    json_decref(h);
    return json_object();
}

static void iso8601(int64_t ms, char out[32])
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    if (!gmtime_r(&secs, &tm) || strftime(out, 20, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
        strcpy(out, "1970-01-01T00:00:00");
    snprintf(out + 19, 13, ".%03dZ", (int)(ms % 1000));
}

static const char *column(sqlite3_stmt *st, int col)
{
    const char *s = (const char *)sqlite3_column_text(st, col);
    return s ? s : "";
}

/* One row of SELECT id, function, at, method, path, query, headers, body. */
static json_t *row_to_json(sqlite3_stmt *st)
{
    char at[32];
    int64_t ms = sqlite3_column_int64(st, 2);
    iso8601(ms, at);
    json_t *body = body_string(st, 7);
    json_int_t size = (json_int_t)sqlite3_column_bytes(st, 7);
    json_t *headers = headers_value(st, 6);
    const char *ct = capture_header(headers, "Content-Type");
    json_t *doc = json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:s?, s:I}", "id",
                            (json_int_t)sqlite3_column_int64(st, 0), "function", column(st, 1), "at", at, "atMs",
                            (json_int_t)ms, "method", column(st, 3), "path", column(st, 4), "query", column(st, 5),
                            "contentType", ct, "size", size);
    if (!doc || json_object_set_new(doc, "headers", headers) != 0 || json_object_set_new(doc, "body", body) != 0)
        abort();
    return doc;
}

#define CAPTURE_COLUMNS "id, function, at, method, path, query, headers, body"

json_t *capture_list(const char *root, const char *function, int limit, char **err)
{
    sqlite3 *db = store_open(root, err);
    if (!db)
        return NULL;
    sqlite3_stmt *st = store_prepare(db, "SELECT " CAPTURE_COLUMNS " FROM captures WHERE function = ? "
                                         "ORDER BY id DESC LIMIT ?");
    json_t *list = json_array();
    int rc = SQLITE_ERROR;
    if (st && sqlite3_bind_text(st, 1, function, -1, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_bind_int(st, 2, limit > 0 ? limit : -1) == SQLITE_OK) {
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            json_array_append_new(list, row_to_json(st));
    }
    if (rc != SQLITE_DONE) {
        *err = message("cannot read the captures", db);
        json_decref(list);
        list = NULL;
    }
    sqlite3_finalize(st);
    store_close(db);
    return list;
}

/* The default URL plus "?query" (malloc'd). */
static char *request_url(const char *query)
{
    char *url = NULL;
    if (asprintf(&url, "%s%s%s", ENGINE_DEFAULT_URL, query[0] ? "?" : "", query) < 0)
        abort();
    return url;
}

json_t *capture_request(const char *root, long long id, char **err)
{
    sqlite3 *db = store_open(root, err);
    if (!db)
        return NULL;
    sqlite3_stmt *st = store_prepare(db, "SELECT " CAPTURE_COLUMNS " FROM captures WHERE id = ?");
    json_t *doc = NULL;
    int rc = SQLITE_ERROR;
    if (st && sqlite3_bind_int64(st, 1, id) == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *row = row_to_json(st);
        char *url = request_url(json_string_value(json_object_get(row, "query")));
        doc = json_pack("{s:O, s:s, s:O, s:O, s:O}", "method", json_object_get(row, "method"), "url", url,
                        "headers", json_object_get(row, "headers"), "body", json_object_get(row, "body"),
                        "function", json_object_get(row, "function"));
        free(url);
        json_decref(row);
        if (!doc)
            abort();
    } else if (rc == SQLITE_DONE) {
        if (asprintf(err, "there is no capture %lld (see srcfn captures NAME)", id) < 0)
            abort();
    } else {
        *err = message("cannot read the captures", db);
    }
    sqlite3_finalize(st);
    store_close(db);
    return doc;
}
