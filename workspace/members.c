/*
 * members: the `members` table (see members.h).
 *
 *   members (name TEXT PRIMARY KEY, token_sha256 BLOB NOT NULL UNIQUE,
 *            roles TEXT NOT NULL (authz_grants_json), created_at INTEGER)
 *
 * Invariant: no token, whole or in part, is ever stored or logged; buffers
 * that held one are wiped (OPENSSL_cleanse) before they are freed.
 */
#include "workspace/members.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workspace/store.h"
#include "workspace/workspace.h"

#define HASH_BYTES 32

/* --- tokens ------------------------------------------------------------------------------------------- */

void members_token_free(char *token)
{
    if (!token)
        return;
    OPENSSL_cleanse(token, strlen(token));
    free(token);
}

/* MEMBERS_TOKEN_PREFIX + hex of MEMBERS_TOKEN_BYTES random bytes, or NULL. */
static char *new_token(void)
{
    unsigned char raw[MEMBERS_TOKEN_BYTES];
    size_t prefix = strlen(MEMBERS_TOKEN_PREFIX);
    char *token = malloc(prefix + 2 * sizeof raw + 1);
    if (!token)
        abort();
    if (RAND_bytes(raw, (int)sizeof raw) != 1) {
        free(token);
        return NULL;
    }
    memcpy(token, MEMBERS_TOKEN_PREFIX, prefix);
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof raw; i++) {
        token[prefix + 2 * i] = hex[raw[i] >> 4];
        token[prefix + 2 * i + 1] = hex[raw[i] & 15];
    }
    token[prefix + 2 * sizeof raw] = '\0';
    OPENSSL_cleanse(raw, sizeof raw);
    return token;
}

static int hash_token(const char *token, unsigned char out[HASH_BYTES])
{
    unsigned int len = 0;
    return EVP_Digest(token, strlen(token), out, &len, EVP_sha256(), NULL) == 1 && len == HASH_BYTES ? 0 : -1;
}

/* --- adding and removing ------------------------------------------------------------------------------ */

static int insert_member(sqlite3 *db, const authz_member *m, const unsigned char *hash, char **err)
{
    json_t *roles = authz_grants_json(m);
    char *text = json_dumps(roles, JSON_COMPACT);
    json_decref(roles);
    if (!text)
        return store_fail(err, "cannot encode the roles of \"%s\"", m->name);
    sqlite3_stmt *st = store_prepare_err(
        db, "INSERT INTO members (name, token_sha256, roles, created_at) VALUES (?1, ?2, ?3, ?4)", err);
    int rc = st ? 0 : -1;
    if (st) {
        int step = SQLITE_ERROR;
        if (sqlite3_bind_text(st, 1, m->name, -1, SQLITE_STATIC) == SQLITE_OK &&
            sqlite3_bind_blob(st, 2, hash, HASH_BYTES, SQLITE_STATIC) == SQLITE_OK &&
            sqlite3_bind_text(st, 3, text, -1, SQLITE_STATIC) == SQLITE_OK &&
            sqlite3_bind_int64(st, 4, store_now_ms()) == SQLITE_OK)
            step = sqlite3_step(st);
        if (step == SQLITE_CONSTRAINT)
            rc = store_fail(err, "member \"%s\" already exists (\"srcfn members remove %s\" removes it)", m->name,
                            m->name);
        else if (step != SQLITE_DONE)
            rc = store_db_fail(db, err, "cannot add the member");
        sqlite3_finalize(st);
    }
    free(text);
    return rc;
}

int members_add(sqlite3 *db, const authz_member *m, char **token, char **err)
{
    *token = NULL;
    if (!m->name || !workspace_valid_name(m->name))
        return store_fail(err, "\"%s\" is not a valid member name (1 to 64 letters, digits, _ and -, "
                               "not starting with -)", m->name ? m->name : "");
    if (m->n_grants == 0)
        return store_fail(err, "a member needs at least one role");
    unsigned char hash[HASH_BYTES];
    char *t = new_token();
    if (!t)
        return store_fail(err, "cannot draw random bytes for the token (RAND_bytes failed)");
    int rc = hash_token(t, hash) != 0 ? store_fail(err, "cannot hash the token") : insert_member(db, m, hash, err);
    if (rc != 0) {
        members_token_free(t);
        return -1;
    }
    *token = t;
    return 0;
}

int members_remove(sqlite3 *db, const char *name, char **err)
{
    sqlite3_stmt *st = store_prepare_err(db, "DELETE FROM members WHERE name = ?1", err);
    if (!st)
        return -1;
    int rc;
    if (sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC) != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE)
        rc = store_db_fail(db, err, "cannot remove the member");
    else
        rc = sqlite3_changes(db) > 0;
    sqlite3_finalize(st);
    return rc;
}

int members_bootstrap(sqlite3 *db, char **token, char **err)
{
    *token = NULL;
    if (store_begin(db) != 0)
        return store_db_fail(db, err, "cannot start a transaction");
    sqlite3_stmt *st = store_prepare_err(db, "SELECT count(*) FROM members", err);
    int rc = st ? 0 : -1;
    if (st && sqlite3_step(st) != SQLITE_ROW)
        rc = store_db_fail(db, err, "cannot count members");
    int empty = rc == 0 && sqlite3_column_int64(st, 0) == 0;
    sqlite3_finalize(st);
    authz_member owner = {0};
    if (rc == 0 && empty) {
        if (!(owner.name = strdup(MEMBERS_FIRST_OWNER)))
            abort();
        if (authz_member_grant(&owner, AUTHZ_OWNER, NULL, err) != 0 || members_add(db, &owner, token, err) != 0)
            rc = -1;
    }
    authz_member_free(&owner);
    if (rc == 0 && store_commit(db) != 0)
        rc = store_db_fail(db, err, "cannot commit");
    if (rc != 0) {
        store_rollback(db);
        members_token_free(*token);
        *token = NULL;
        return -1;
    }
    return empty;
}

/* --- reading ------------------------------------------------------------------------------------------ */

/* A member from its name and stored roles. */
static int member_from_row(const char *name, const char *roles_text, authz_member *out, char **err)
{
    memset(out, 0, sizeof *out);
    if (!(out->name = strdup(name ? name : "")))
        abort();
    json_t *roles = roles_text ? json_loads(roles_text, 0, NULL) : NULL;
    int rc = authz_grants_from_json(out, roles, err);
    json_decref(roles);
    if (rc != 0)
        authz_member_free(out);
    return rc;
}

/* Sets *match (malloc'd copies of name and roles) for the row whose hash
 * equals hash; every row is compared, whatever matched before. */
static int scan_hashes(sqlite3 *db, const unsigned char *hash, char **name, char **roles, char **err)
{
    sqlite3_stmt *st = store_prepare_err(db, "SELECT name, token_sha256, roles FROM members", err);
    if (!st)
        return -1;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const void *stored = sqlite3_column_blob(st, 1);
        int same = sqlite3_column_bytes(st, 1) == HASH_BYTES && stored &&
                   CRYPTO_memcmp(stored, hash, HASH_BYTES) == 0;
        if (same && !*name) {
            const char *n = (const char *)sqlite3_column_text(st, 0);
            const char *r = (const char *)sqlite3_column_text(st, 2);
            if (!(*name = strdup(n ? n : "")) || !(*roles = strdup(r ? r : "")))
                abort();
        }
    }
    int rc = step == SQLITE_DONE ? 0 : store_db_fail(db, err, "cannot read members");
    sqlite3_finalize(st);
    return rc;
}

int members_by_token(sqlite3 *db, const char *token, authz_member *out, char **err)
{
    memset(out, 0, sizeof *out);
    unsigned char hash[HASH_BYTES];
    if (!token || !*token || strlen(token) > MEMBERS_TOKEN_MAX)
        return 0;
    if (hash_token(token, hash) != 0)
        return store_fail(err, "cannot hash the token");
    char *name = NULL, *roles = NULL;
    int rc = scan_hashes(db, hash, &name, &roles, err);
    OPENSSL_cleanse(hash, sizeof hash);
    if (rc == 0 && name)
        rc = member_from_row(name, roles, out, err) == 0 ? 1 : -1;
    free(name);
    free(roles);
    return rc;
}

json_t *members_list(sqlite3 *db, char **err)
{
    sqlite3_stmt *st = store_prepare_err(db, "SELECT name, roles, created_at FROM members ORDER BY name", err);
    if (!st)
        return NULL;
    json_t *list = json_array();
    if (!list)
        abort();
    int step, bad_row = 0;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        authz_member m;
        if (member_from_row((const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1), &m,
                            err) != 0) {
            bad_row = 1;
            break;
        }
        json_t *o = json_pack("{s:s, s:o, s:I}", "name", m.name, "roles", authz_grants_json(&m), "createdAt",
                              (json_int_t)sqlite3_column_int64(st, 2));
        authz_member_free(&m);
        if (!o || json_array_append_new(list, o) != 0)
            abort();
    }
    if (step != SQLITE_DONE && !bad_row)
        store_db_fail(db, err, "cannot list members");
    sqlite3_finalize(st);
    if (step != SQLITE_DONE) {
        json_decref(list);
        return NULL;
    }
    return list;
}
