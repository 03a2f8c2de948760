/*
 * jsoncheck (see jsoncheck.h): SQLite's json_valid on a per-thread in-memory
 * connection, with jsonsort_valid where the two parsers' limits differ, and
 * as the fallback when SQLite cannot be set up.
 */
#include "webhook/jsoncheck.h"

#include <limits.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "webhook/jsonsort.h"

typedef struct checker {
    sqlite3 *db;
    sqlite3_stmt *st;
} checker;

static pthread_key_t key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static int key_ok;

static void checker_free(void *arg)
{
    checker *c = arg;
    sqlite3_finalize(c->st);
    sqlite3_close(c->db);
    free(c);
}

static void make_key(void)
{
    key_ok = pthread_key_create(&key, checker_free) == 0;
}

/* This thread's connection and statement, made on first use; NULL when SQLite
 * cannot be set up (the caller falls back to jsonsort_valid). */
static checker *thread_checker(void)
{
    if (pthread_once(&key_once, make_key) != 0 || !key_ok)
        return NULL;
    checker *c = pthread_getspecific(key);
    if (c)
        return c;
    c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_MEMORY | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(":memory:", &c->db, flags, NULL) != SQLITE_OK ||
        sqlite3_prepare_v3(c->db, "SELECT json_valid(?1)", -1, SQLITE_PREPARE_PERSISTENT, &c->st, NULL) != SQLITE_OK ||
        pthread_setspecific(key, c) != 0) {
        checker_free(c);
        return NULL;
    }
    return c;
}

/* Whether the text has more '[' and '{' bytes than JSONSORT_MAX_DEPTH, the
 * only case where SQLite (2000 levels) and jsonsort could disagree. */
static int may_nest_too_deep(const char *text, size_t len)
{
    size_t opens = 0;
    const char *end = text + len;
    for (const char *p = text; opens <= JSONSORT_MAX_DEPTH && (p = memchr(p, '[', (size_t)(end - p))); p++)
        opens++;
    for (const char *p = text; opens <= JSONSORT_MAX_DEPTH && (p = memchr(p, '{', (size_t)(end - p))); p++)
        opens++;
    return opens > JSONSORT_MAX_DEPTH;
}

int jsoncheck_valid(const char *text, size_t len)
{
    if (memchr(text, '\0', len))
        return 0;
    checker *c = len <= INT_MAX && !may_nest_too_deep(text, len) ? thread_checker() : NULL;
    if (!c)
        return jsonsort_valid(text, len);
    int valid = -1;
    if (sqlite3_bind_text(c->st, 1, text, (int)len, SQLITE_STATIC) == SQLITE_OK && sqlite3_step(c->st) == SQLITE_ROW)
        valid = sqlite3_column_int(c->st, 0) == 1;
    sqlite3_reset(c->st);
    sqlite3_clear_bindings(c->st);
    return valid < 0 ? jsonsort_valid(text, len) : valid;
}
