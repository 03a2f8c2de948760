/*
 * ops: the workspace operations that both the CLI and the management API
 * (webhook/mgmt.c) perform, so the two behave alike:
 *
 *   ops_deploy    Save & Deploy (`srcfn deploy`, POST …/functions/NAME/deploy)
 *   ops_connect   connect an instance (`srcfn connect`, POST /api/v1/instances)
 *   ops_functions the function directories of a workspace
 *   ops_write_function  handler.js and function.json written (API create/update)
 *
 * They answer an ops_status: what went wrong decides the CLI's exit status
 * (OPS_FAILED: 1, the others: 2) and the API's HTTP status (404, 409, 400, 500).
 * On anything but OPS_OK, *err holds a malloc'd message.
 */
#ifndef SRCFN_OPS_H
#define SRCFN_OPS_H

#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>

#include "workspace/deploy.h"
#include "workspace/instances.h"

typedef enum ops_status {
    OPS_OK,
    OPS_NOT_FOUND,   /* no such function */
    OPS_CONFLICT,    /* the instance or function exists already */
    OPS_INVALID,     /* the input (code, settings, names given) is refused */
    OPS_FAILED       /* the workspace database or the disk failed */
} ops_status;

/* --- deploy ------------------------------------------------------------------------------------------- */

typedef struct deploy_outcome {
    fn_version version;        /* recorded, or reused when unchanged */
    int reused;
    instance_row *instances;   /* the instances now pointed at it */
    int *before;               /* the version each ran before (0: none) */
    size_t n;
} deploy_outcome;

/* Reads and checks ROOT/NAME (deploy_read; outside the transaction, so a
 * running server is not kept waiting), records it as the next version (or
 * reuses the newest when unchanged) and points the instances named (each must
 * run NAME; all of NAME's when n_instances is 0) at it, in one transaction. */
ops_status ops_deploy(sqlite3 *db, const char *root, const char *name, char *const *instances, size_t n_instances,
                      deploy_outcome *out, char **err);
void deploy_outcome_free(deploy_outcome *o);

/* --- connect ------------------------------------------------------------------------------------------ */

typedef struct connect_spec {
    const char *function;
    const char *instance;
    json_t *values;            /* settings values as JSON (the API), or NULL and: */
    char *const *pairs;        /* NAME=VALUE texts read by the declared types (the CLI) */
    size_t n_pairs;
    const char *write_key;     /* NULL: random */
    const char *endpoint;      /* NULL: INSTANCE_DEFAULT_ENDPOINT; else as ops_normal_endpoint returns */
} connect_spec;

typedef struct connect_outcome {
    instance_row row;          /* the new instance (settings as given, opened) */
    json_t *decl;              /* the settings declaration of the version it runs */
    int deployed;              /* the function had no version: the number deployed first; else 0 */
    int generated_key;         /* the write key was drawn at random */
} connect_outcome;

/* Whether the function has no version yet (connecting it would deploy it
 * first): 1 yes, 0 no, -1 error. */
int ops_never_deployed(sqlite3 *db, const char *function, char **err);

/* Adds instance s->instance of s->function running its newest version (a
 * function never deployed is deployed first), settings checked against that
 * version's declaration. Refuses an existing instance (OPS_CONFLICT). */
ops_status ops_connect(sqlite3 *db, const char *root, const connect_spec *s, connect_outcome *out, char **err);
void connect_outcome_free(connect_outcome *o);

/* "-", or an http(s) URL with a host, trailing slashes dropped (malloc'd);
 * NULL when url is neither. */
char *ops_normal_endpoint(const char *url);

/* Whether k is 1 to 256 printable characters without spaces or ':'. */
int ops_valid_write_key(const char *k);

/* --- function directories ------------------------------------------------------------------------------ */

/* The names of the function directories of the workspace (ROOT/NAME/handler.js
 * with a valid NAME), sorted. New reference; NULL with *err. */
json_t *ops_functions(const char *root, char **err);

/* Whether ROOT/NAME is a function directory (a valid NAME with a handler.js). */
int ops_function_exists(const char *root, const char *name);

/* Writes ROOT/NAME/handler.js (code) and ROOT/NAME/function.json (manifest,
 * indented), each through a temporary file renamed over it. create: NAME/
 * must not exist and is made (OPS_CONFLICT when it does; removed again when a
 * write fails); else it must exist (OPS_NOT_FOUND). code NULL leaves
 * handler.js as it is. */
ops_status ops_write_function(const char *root, const char *name, const char *code, json_t *manifest, int create,
                              char **err);

#endif
