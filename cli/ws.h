/*
 * ws: what the workspace commands (init, new, deploy, versions, rollback,
 * connect, sources, disconnect) share: finding the workspace and opening its
 * store, reporting a refusal, and formatting times and sizes.
 */
#ifndef SRCFN_CLI_WS_H
#define SRCFN_CLI_WS_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

/* Finds the workspace around the current directory and opens its store.
 * EXIT_OK, or EXIT_USAGE (not in a workspace: the advice is printed) or
 * EXIT_FAILED (the store does not open). */
int ws_open(char **root, sqlite3 **db);
void ws_close(char *root, sqlite3 *db);

/* Prints "srcfn: <command>: <err>" on stderr, frees err, returns status. */
int ws_fail(int status, const char *command, char *err);

/* Rolls back the current transaction, then as ws_fail. */
int ws_abort(sqlite3 *db, int status, const char *command, char *err);

/* ms since the epoch as local "YYYY-MM-DD HH:MM:SS", or as UTC ISO 8601. */
void ws_local_time(int64_t ms, char *buf, size_t size);
void ws_iso_time(int64_t ms, char *buf, size_t size);

/* "812 B", "1.8 KiB", "2.0 MiB". */
void ws_size(int64_t bytes, char *buf, size_t size);

/* Refuses a function or instance name workspace_valid_name rejects;
 * what is "function" or "instance". EXIT_OK or EXIT_USAGE. */
int ws_check_name(const char *command, const char *what, const char *name);

#endif
