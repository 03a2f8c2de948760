#include "workspace/store.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* What the log file keeps of its size when it starts over (after a burst of
 * webhooks it may have grown by gigabytes): the rest goes back to the disk. */
#define WAL_KEEP_BYTES "67108864"

/* Version 1 of the schema (its `requests` table is created or converted by
 * version 2 below); later versions are steps guarded by PRAGMA user_version. */
static const char schema_v1[] =
    "CREATE TABLE IF NOT EXISTS versions ("
    "  function TEXT NOT NULL, number INTEGER NOT NULL, code TEXT NOT NULL,"
    "  manifest TEXT NOT NULL, created_at INTEGER NOT NULL,"
    "  PRIMARY KEY (function, number));"
    "CREATE TABLE IF NOT EXISTS instances ("
    "  name TEXT PRIMARY KEY, function TEXT NOT NULL, version INTEGER,"
    "  token TEXT NOT NULL UNIQUE, settings TEXT NOT NULL, write_key TEXT NOT NULL,"
    "  endpoint TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS errors ("
    "  id INTEGER PRIMARY KEY, instance TEXT NOT NULL, at INTEGER NOT NULL,"
    "  request TEXT NOT NULL, logs TEXT NOT NULL, type TEXT NOT NULL, name TEXT NOT NULL,"
    "  message TEXT NOT NULL, line INTEGER, attempt INTEGER NOT NULL, final INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS errors_instance ON errors (instance, at);"
    "CREATE TABLE IF NOT EXISTS outbox ("
    "  id INTEGER PRIMARY KEY, instance TEXT NOT NULL, kind TEXT NOT NULL,"
    "  payload TEXT NOT NULL, created_at INTEGER NOT NULL,"
    "  attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS captures ("
    "  id INTEGER PRIMARY KEY, function TEXT NOT NULL, at INTEGER NOT NULL,"
    "  method TEXT NOT NULL, path TEXT NOT NULL, query TEXT NOT NULL,"
    "  headers TEXT NOT NULL, body BLOB NOT NULL);"
    "CREATE INDEX IF NOT EXISTS captures_function ON captures (function, id);"
    "CREATE TABLE IF NOT EXISTS remote ("
    "  function TEXT NOT NULL, base_url TEXT NOT NULL, remote_id TEXT NOT NULL,"
    "  code_sha256 TEXT NOT NULL, manifest_sha256 TEXT NOT NULL, synced_at INTEGER NOT NULL,"
    "  PRIMARY KEY (function, base_url));"
    "CREATE TABLE IF NOT EXISTS members ("
    "  name TEXT PRIMARY KEY, token_sha256 BLOB NOT NULL UNIQUE, roles TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS audit ("
    "  id INTEGER PRIMARY KEY, at INTEGER NOT NULL, member TEXT, method TEXT NOT NULL,"
    "  path TEXT NOT NULL, action TEXT, function TEXT, allowed INTEGER NOT NULL,"
    "  status INTEGER NOT NULL);";

/* Version 2: a request's run state lives apart from what arrived. A run
 * updates its request twice (running, then done), and a row whose body spills
 * into overflow pages is rewritten whole, overflow pages included, when its
 * size changes (as a state or a timestamp changes it): four or more pages per
 * update for an 8 KiB body. request_data is written once; request_state rows
 * are small, dozens to a page, so a commit of several updates touches a page
 * or two. The view `requests` shows both as the single table it was.
 * A version 1 database keeps its rows: its table is renamed, not copied (its
 * state columns stay, unused), and the states are copied out. */
static const char schema_v2_data[] =
    "CREATE TABLE request_data ("
    "  id INTEGER PRIMARY KEY, instance TEXT NOT NULL, received_at INTEGER NOT NULL,"
    "  method TEXT NOT NULL, url TEXT NOT NULL, headers TEXT NOT NULL, body BLOB NOT NULL);";
static const char schema_v2_from_v1[] =
    "ALTER TABLE requests RENAME TO request_data;"
    "DROP INDEX IF EXISTS requests_pending;";
static const char schema_v2_state[] =
    "CREATE TABLE request_state ("
    "  id INTEGER PRIMARY KEY, state TEXT NOT NULL DEFAULT 'queued',"
    "  attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL DEFAULT 0, finished_at INTEGER);"
    "CREATE INDEX request_pending ON request_state (state) WHERE finished_at IS NULL;"
    "CREATE VIEW requests AS SELECT d.id AS id, d.instance AS instance, d.received_at AS received_at,"
    "  d.method AS method, d.url AS url, d.headers AS headers, d.body AS body, s.state AS state,"
    "  s.attempts AS attempts, s.next_at AS next_at, s.finished_at AS finished_at"
    "  FROM request_data d JOIN request_state s ON s.id = d.id;";
static const char schema_v2_copy_states[] =
    "INSERT INTO request_state (id, state, attempts, next_at, finished_at)"
    "  SELECT id, state, attempts, next_at, finished_at FROM request_data;";

int64_t store_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int store_exec(sqlite3 *db, const char *sql, char **err)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return 0;
    if (err)
        *err = strdup(msg ? msg : sqlite3_errmsg(db));
    sqlite3_free(msg);
    return -1;
}

sqlite3_stmt *store_prepare(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "srcfn: store: %s\n  in: %s\n", sqlite3_errmsg(db), sql);
        return NULL;
    }
    return st;
}

int store_fail(char **err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(err, fmt, ap) < 0)
        abort();
    va_end(ap);
    return -1;
}

int store_db_fail(sqlite3 *db, char **err, const char *what)
{
    return store_fail(err, "workspace database: %s: %s", what, sqlite3_errmsg(db));
}

sqlite3_stmt *store_prepare_err(sqlite3 *db, const char *sql, char **err)
{
    sqlite3_stmt *st = store_prepare(db, sql);
    if (!st)
        store_db_fail(db, err, "cannot prepare a statement");
    return st;
}

int store_begin(sqlite3 *db)
{
    return store_exec(db, "BEGIN IMMEDIATE", NULL);
}

int store_commit(sqlite3 *db)
{
    return store_exec(db, "COMMIT", NULL);
}

void store_rollback(sqlite3 *db)
{
    store_exec(db, "ROLLBACK", NULL);
}

/* One integer from a query of one row; -1 on error. */
static int64_t query_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = store_prepare(db, sql);
    if (!st)
        return -1;
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return v;
}

/* The version 2 step, in the transaction of migrate(). */
static int migrate_v2(sqlite3 *db, char **err)
{
    int64_t v1 = query_int(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'requests'");
    if (v1 < 0)
        return store_db_fail(db, err, "cannot read the schema");
    if (store_exec(db, v1 ? schema_v2_from_v1 : schema_v2_data, err) != 0 ||
        store_exec(db, schema_v2_state, err) != 0 ||
        (v1 && store_exec(db, schema_v2_copy_states, err) != 0))
        return -1;
    return store_exec(db, "PRAGMA user_version = 2", err);
}

/* Version 3: finished requests found by when they finished, so that serve
 * deletes them after a while (queue_prune). */
static int migrate_v3(sqlite3 *db, char **err)
{
    return store_exec(db, "CREATE INDEX IF NOT EXISTS request_finished ON request_state (finished_at)"
                          "  WHERE finished_at IS NOT NULL;"
                          "PRAGMA user_version = 3;", err);
}

/* The steps from version 1 on, each ending at its version. */
static const struct {
    int to;
    int (*step)(sqlite3 *db, char **err);
} migrations[] = {{2, migrate_v2}, {3, migrate_v3}};
#define STORE_VERSION 3

/* Brings the schema to the current version. The version is read again
 * inside the write transaction: another process may have just done it. */
static int migrate(sqlite3 *db, char **err)
{
    int64_t v = query_int(db, "PRAGMA user_version");
    if (v < 0)
        return store_db_fail(db, err, "cannot read the schema version");
    if (v >= STORE_VERSION)
        return 0;
    if (store_exec(db, "BEGIN IMMEDIATE", err) != 0)
        return -1;
    v = query_int(db, "PRAGMA user_version");
    int rc = v < 0 ? store_db_fail(db, err, "cannot read the schema version") : 0;
    for (size_t i = 0; rc == 0 && i < sizeof migrations / sizeof migrations[0]; i++) {
        if (v < migrations[i].to)
            rc = migrations[i].step(db, err);
    }
    if (rc == 0 && store_exec(db, "COMMIT", err) == 0)
        return 0;
    store_exec(db, "ROLLBACK", NULL);
    return -1;
}

static char *fmt(const char *a, const char *b)
{
    char *s = NULL;
    if (asprintf(&s, "%s%s", a, b) < 0)
        abort();
    return s;
}

sqlite3 *store_open(const char *root, char **err)
{
    char *dir = fmt(root, "/.srcfn");
    char *path = fmt(dir, "/state.db");
    sqlite3 *db = NULL;
    *err = NULL;
    if (mkdir(dir, 0700) != 0) {
        struct stat st;
        if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
            *err = fmt("cannot create ", dir);
    }
    if (!*err && sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 NULL) != SQLITE_OK) {
        *err = fmt("cannot open ", path);
    }
    if (!*err) {
        sqlite3_busy_timeout(db, 10000);
        if (store_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                           " PRAGMA journal_size_limit=" WAL_KEEP_BYTES ";",
                       err) != 0 ||
            store_exec(db, schema_v1, err) != 0 || migrate(db, err) != 0) {
            char *why = *err;
            *err = fmt("cannot prepare the workspace database: ", why ? why : "");
            free(why);
        }
    }
    free(dir);
    free(path);
    if (*err) {
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

char *store_root(sqlite3 *db)
{
    static const char tail[] = "/.srcfn/state.db";
    const char *path = db ? sqlite3_db_filename(db, "main") : NULL;
    size_t n = path ? strlen(path) : 0;
    if (n <= sizeof tail - 1 || strcmp(path + n - (sizeof tail - 1), tail) != 0)
        return NULL;
    char *root = strndup(path, n - (sizeof tail - 1));
    if (!root)
        abort();
    return root;
}

void store_close(sqlite3 *db)
{
    sqlite3_close(db);
}
