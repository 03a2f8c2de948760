/*
 * remote: functions of this workspace as they exist in a Segment workspace,
 * for `srcfn push` and `srcfn pull` (cli/cmd-push.c).
 *
 *   - where to reach Segment: the Public API's base URL and the name of the
 *     environment variable holding the token, from the command line, else
 *     WORKSPACE/.srcfn/segment.json ({"baseUrl": "…", "tokenEnv": "…"}), else
 *     https://api.segmentapis.com and SEGMENT_TOKEN. The token itself is never
 *     written anywhere by srcfn.
 *   - the mapping between a function directory (handler.js, function.json)
 *     and the Public API's function object {code, displayName, description,
 *     logoUrl, resourceType, settings: [{name, label, description, type,
 *     required, sensitive}]}.
 *   - the `remote` table: for each (function, base URL), the remote id and
 *     the SHA-256 of handler.js and function.json as they were last pushed or
 *     pulled, so pull can tell local changes from an untouched copy.
 *     function.json stays exactly what Segment accepts: no srcfn key in it.
 *
 * Functions returning int answer 1 found / 0 not found / -1 error where they
 * look something up, else 0 / -1; on -1 *err holds a malloc'd message.
 */
#ifndef SRCFN_REMOTE_H
#define SRCFN_REMOTE_H

#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#define REMOTE_DEFAULT_BASE "https://api.segmentapis.com"
#define REMOTE_DEFAULT_TOKEN_ENV "SEGMENT_TOKEN"
#define REMOTE_CONFIG_FILE "segment.json"   /* in WORKSPACE/.srcfn/ */

typedef struct remote_config {
    char *base;        /* without trailing slashes */
    char *token_env;
} remote_config;

/* Resolves base URL and token variable (flags win over segment.json, which
 * wins over the defaults; either flag may be NULL). Refuses a base URL that is
 * not http(s), that has a query or fragment, or that is plain http:// to a
 * host other than loopback (the token would travel in clear), and a variable
 * name that is not [A-Za-z_][A-Za-z0-9_]*. */
int remote_config_load(const char *root, const char *base_flag, const char *token_env_flag, remote_config *out,
                       char **err);
void remote_config_free(remote_config *c);

typedef struct remote_row {
    char *function;
    char *base;
    char *remote_id;
    char *code_sha256;      /* hex */
    char *manifest_sha256;  /* hex */
    int64_t synced_at;      /* ms since the epoch */
} remote_row;

void remote_row_free(remote_row *r);

/* The record of a function for a base URL. */
int remote_get(sqlite3 *db, const char *function, const char *base, remote_row *out, char **err);

/* The record of a remote id for a base URL (the function it was pulled into
 * or pushed from). */
int remote_by_id(sqlite3 *db, const char *remote_id, const char *base, remote_row *out, char **err);

/* Adds or replaces the record of (r->function, r->base); synced_at is now. */
int remote_put(sqlite3 *db, const remote_row *r, char **err);

/* SHA-256 of data[0..len) as lowercase hex (malloc'd), NULL on failure. */
char *remote_sha256_hex(const void *data, size_t len);

/* The Public API body for a function: {code, displayName (function.json's,
 * else name), description ("" when none), logoUrl (when function.json has a
 * non-empty one), settings (each with name, label (default: name),
 * description (""), type ("STRING"), required and sensitive (false))}, plus
 * resourceType "SOURCE" when create (the update call does not take it). */
json_t *remote_function_body(const char *name, const char *code, json_t *manifest, int create);

/* A function object from the API as the two files of a function directory:
 * handler.js (its code) and function.json ({displayName, description,
 * logoUrl when set, settings}, indented, ending with a newline). */
int remote_function_files(json_t *function, char **code, char **manifest, char **err);

/* A directory name for a pulled function: its displayName in lowercase with
 * runs of other characters than [a-z0-9_] turned into "-" (at most 64), else
 * the id. malloc'd. */
char *remote_local_name(json_t *function, const char *remote_id);

#endif
