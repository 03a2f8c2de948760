/*
 * members: the people (and programs) who may use a workspace through its
 * management API, each with roles (workspace/authz.h) and an API token. The
 * SQL of the `members` table lives here.
 *
 * A token is MEMBERS_TOKEN_PREFIX followed by MEMBERS_TOKEN_BYTES random bytes
 * in hex. It is shown once, when the member is added; the table keeps only its
 * SHA-256. Finding the member of a token hashes it and compares the hash with
 * every stored hash with CRYPTO_memcmp, without stopping at a match, so the
 * time taken says nothing about which bytes matched or which member it was.
 *
 * Tokens belong to one workspace's database: another workspace knows nothing
 * of them.
 *
 * Functions returning int answer 1 found / 0 not found / -1 error where they
 * look something up, else 0 / -1; on -1 *err holds a malloc'd message.
 */
#ifndef SRCFN_MEMBERS_H
#define SRCFN_MEMBERS_H

#include <jansson.h>
#include <sqlite3.h>

#include "workspace/authz.h"

#define MEMBERS_TOKEN_BYTES 32
#define MEMBERS_TOKEN_PREFIX "srcfn_"
#define MEMBERS_TOKEN_MAX 256          /* longer texts are not tokens: refused unhashed */
#define MEMBERS_FIRST_OWNER "owner"    /* the member `srcfn init` creates */

/* Adds m (name and roles) with a fresh token, returned in *token (malloc'd;
 * wipe and free it with members_token_free). Refuses a name that is not valid
 * (workspace_valid_name), a member without roles, and a name taken. */
int members_add(sqlite3 *db, const authz_member *m, char **token, char **err);

/* Removes a member: 1 removed, 0 there was none, -1 error. Its token stops
 * working at once. */
int members_remove(sqlite3 *db, const char *name, char **err);

/* The member a token belongs to (name and roles in *out; free with
 * authz_member_free). */
int members_by_token(sqlite3 *db, const char *token, authz_member *out, char **err);

/* The members ordered by name: [{name, roles: [{role, label, functions}],
 * createdAt (ms)}]; never a token or its hash. NULL with *err. */
json_t *members_list(sqlite3 *db, char **err);

/* When the workspace has no member yet: adds MEMBERS_FIRST_OWNER as Workspace
 * Owner and returns 1 with its token in *token; 0 when it had members. */
int members_bootstrap(sqlite3 *db, char **token, char **err);

/* Wipes and frees a token. */
void members_token_free(char *token);

#endif
