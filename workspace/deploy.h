/*
 * deploy: immutable versions of functions (the `versions` table). *Save* is
 * the files on disk; *Save & Deploy* (`srcfn deploy`) records the function's
 * code and manifest (function.json, stored as compact JSON with sorted keys)
 * as the next version number of that function, unless the newest version is
 * identical, and points instances at it (workspace/instances.h).
 *
 * Functions that look something up return 1 found / 0 not found / -1 error,
 * the others 0 / -1; on -1 *err holds a malloc'd message.
 */
#ifndef SRCFN_DEPLOY_H
#define SRCFN_DEPLOY_H

#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

typedef struct fn_version {
    char *function;
    int number;
    char *code;           /* NUL-terminated; code_len bytes */
    size_t code_len;
    json_t *manifest;     /* function.json as deployed */
    int64_t created_at;   /* ms since the epoch */
} fn_version;

void fn_version_free(fn_version *v);

/* Checks a manifest's settings declaration: an array of objects, each with a
 * JavaScript identifier as "name" (no name twice), a known "type", and
 * booleans (when given) for "required" and "sensitive". */
int deploy_check_manifest(json_t *manifest, char **err);

/* Reads and checks ROOT/NAME (handler.js, function.json) for deploying: the
 * manifest passes deploy_check_manifest and the code loads in the engine
 * (no syntax error). Fills v (function, code, manifest; number 0). */
int deploy_read(const char *root, const char *name, fn_version *v, char **err);

/* Records v as the next version of v->function, unless the newest version has
 * the same code and manifest: sets v->number and *reused (1 when an existing
 * version was kept). Run it inside a transaction. */
int deploy_record(sqlite3 *db, fn_version *v, int *reused, char **err);

/* The newest version number of a function (1), or 0 when it has none. */
int deploy_latest(sqlite3 *db, const char *function, int *number, char **err);

/* Loads one version (number 0: the newest). */
int deploy_load(sqlite3 *db, const char *function, int number, fn_version *out, char **err);

/* The versions of a function, newest first: [{version, createdAt (ms),
 * codeBytes, manifestBytes, instances: [names]}]; NULL on error. */
json_t *deploy_list(sqlite3 *db, const char *function, char **err);

#endif
