/*
 * store: the workspace's durable state, one SQLite database in WAL mode at
 * WORKSPACE/.srcfn/state.db. Each table belongs to one module, which owns its
 * SQL; this file creates the schema and hands out connections.
 *
 *   versions   immutable deployed versions of functions   (workspace/deploy.c)
 *   instances  connected sources                          (workspace/instances.c)
 *   request_data   accepted webhooks as they arrived, written once   (webhook/queue.c)
 *   request_state  their run state, the durable work queue           (webhook/queue.c)
 *   requests   a view of both, one row per request (for reading and tests)
 *   errors     the error log of failed runs               (webhook/errlog.c)
 *   outbox     emitted messages awaiting delivery         (webhook/delivery.c)
 *   captures   requests caught by `srcfn listen`          (webhook/capture.c)
 *   remote     ids of functions pushed to / pulled from Segment (workspace/remote.c)
 *   members    who may use the management API: roles, hashed token (workspace/members.c)
 *   audit      every management call, allowed or not          (workspace/audit.c)
 *
 * A connection is used by one thread at a time; open one per thread.
 * Every write is a transaction; WAL with synchronous=NORMAL makes a commit
 * survive a crash or kill -9 of srcfn (the operating system still has it).
 */
#ifndef SRCFN_STORE_H
#define SRCFN_STORE_H

#include <sqlite3.h>
#include <stdint.h>

/* Opens (creating when needed) the database of the workspace at root. */
sqlite3 *store_open(const char *root, char **err);
void store_close(sqlite3 *db);

/* The root of the workspace whose database db is (malloc'd): the directory
 * above .srcfn/state.db. NULL for a database not opened by store_open. */
char *store_root(sqlite3 *db);

/* Runs SQL without results; returns 0 or -1 (message in *err when err). */
int store_exec(sqlite3 *db, const char *sql, char **err);

/* Prepares a statement; NULL (and a message on stderr) on failure. */
sqlite3_stmt *store_prepare(sqlite3 *db, const char *sql);

int store_begin(sqlite3 *db);     /* BEGIN IMMEDIATE */
int store_commit(sqlite3 *db);
void store_rollback(sqlite3 *db);

/* Sets *err to a formatted message (malloc'd) and returns -1: the shape of
 * every failure of the workspace modules. */
int store_fail(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* store_fail with "workspace database: WHAT: <sqlite's message>". */
int store_db_fail(sqlite3 *db, char **err, const char *what);

/* store_prepare that reports a failure through *err. */
sqlite3_stmt *store_prepare_err(sqlite3 *db, const char *sql, char **err);

/* Milliseconds since the epoch. */
int64_t store_now_ms(void);

#endif
