/*
 * errlog: the error log of deployed instances (table `errors`), what
 * `srcfn errors` shows. Every failed run of `srcfn serve` adds one entry: the
 * request as the function saw it {method, url, headers, body}, the console
 * lines it printed, the error (type, name, message, line in the user's file),
 * which attempt it was and whether it was the last (final: the request will
 * not run again).
 *
 * Kept: the ERRLOG_KEEP most recent entries of each instance, none older than
 * ERRLOG_MAX_AGE_MS. Adding an entry prunes the instance's older ones;
 * listing leaves out what has aged since.
 */
#ifndef SRCFN_ERRLOG_H
#define SRCFN_ERRLOG_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>

#define ERRLOG_KEEP 100
#define ERRLOG_MAX_AGE_MS (30LL * 24 * 60 * 60 * 1000)

typedef struct errlog_entry {
    const char *instance;
    int64_t at;            /* ms since the epoch */
    json_t *request;       /* {method, url, headers, body} */
    json_t *logs;          /* [{level, message}] */
    json_t *error;         /* {type, name, message, line} */
    int attempt;           /* 1 for the first run */
    int final;
} errlog_entry;

/* Adds an entry and prunes; call inside the caller's transaction. 0, or -1
 * with *err (malloc'd). */
int errlog_add(sqlite3 *db, const errlog_entry *e, char **err);

/* The entries of an instance newer than now - ERRLOG_MAX_AGE_MS, newest
 * first: [{id, instance, at, request, logs, type, name, message, line,
 * attempt, final}]. NULL with *err. */
json_t *errlog_list(sqlite3 *db, const char *instance, int64_t now, char **err);

#endif
