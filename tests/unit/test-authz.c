/*
 * The permission table: authz_allows for every role (and the combinations the
 * contract names) against every action, on a function inside a limited
 * role's scope ("a"), outside it ("b") and on "some function" (NULL), checked
 * against the matrix below, written out from the runtime contract's
 * "Workspaces and permissions". Then role names, grants, their JSON form, and
 * the members table: tokens found by hash, wrong and removed tokens refused.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/unit/check.h"
#include "workspace/authz.h"
#include "workspace/members.h"
#include "workspace/store.h"

/* A member from "role[:a,b]" texts (NULL-terminated). */
static authz_member make(const char *name, const char *const *roles)
{
    authz_member m = {0};
    m.name = strdup(name);
    for (; *roles; roles++) {
        char *spec = strdup(*roles);
        char *colon = strchr(spec, ':');
        if (colon)
            *colon++ = '\0';
        authz_role r;
        char *err = NULL;
        if (authz_role_parse(spec, &r) != 0 || authz_member_grant(&m, r, colon, &err) != 0) {
            printf("FAIL test setup: role %s: %s\n", *roles, err ? err : "unknown");
            free(err);
        }
        free(spec);
    }
    return m;
}

/* Expected answers: for each action, three letters: on "a", on "b", on some
 * function (NULL); Y allowed, n refused. Limited roles are limited to "a". */
static const struct {
    const char *name;
    const char *roles[3];
    const char *expect[AUTHZ_ACTION_COUNT];
} matrix[] = {
    /*                                              read   create update deploy errors connect discon members audit */
    {"owner", {"workspace-owner"}, {"YYY", "YYY", "YYY", "YYY", "YYY", "YYY", "YYY", "YYY", "YYY"}},
    {"fadmin", {"functions-admin"}, {"YYY", "YYY", "YYY", "nnn", "YYY", "nnn", "nnn", "nnn", "nnn"}},
    {"fadmin-a", {"functions-admin:a"}, {"YnY", "YnY", "YnY", "nnn", "YnY", "nnn", "nnn", "nnn", "nnn"}},
    {"ro", {"functions-read-only"}, {"YYY", "nnn", "nnn", "nnn", "YYY", "nnn", "nnn", "nnn", "nnn"}},
    {"ro-a", {"functions-read-only:a"}, {"YnY", "nnn", "nnn", "nnn", "YnY", "nnn", "nnn", "nnn", "nnn"}},
    {"src", {"source-admin"}, {"nnn", "nnn", "nnn", "nnn", "nnn", "YYY", "YYY", "nnn", "nnn"}},
    {"src+fadmin", {"source-admin", "functions-admin"}, {"YYY", "YYY", "YYY", "YYY", "YYY", "YYY", "YYY", "nnn", "nnn"}},
    {"src+ro", {"source-admin", "functions-read-only"}, {"YYY", "nnn", "nnn", "YYY", "YYY", "YYY", "YYY", "nnn", "nnn"}},
    {"src+ro-a", {"source-admin", "functions-read-only:a"}, {"YnY", "nnn", "nnn", "YnY", "YnY", "YYY", "YYY", "nnn", "nnn"}},
    {"src+fadmin-a", {"source-admin", "functions-admin:a"}, {"YnY", "YnY", "YnY", "YnY", "YnY", "YYY", "YYY", "nnn", "nnn"}},
    {"ro-a+fadmin", {"functions-read-only:a", "functions-admin"}, {"YYY", "YYY", "YYY", "nnn", "YYY", "nnn", "nnn", "nnn", "nnn"}},
    {"none", {NULL}, {"nnn", "nnn", "nnn", "nnn", "nnn", "nnn", "nnn", "nnn", "nnn"}},
};

static void test_matrix(void)
{
    static const char *const targets[] = {"a", "b", NULL};
    for (size_t i = 0; i < sizeof matrix / sizeof matrix[0]; i++) {
        authz_member m = make(matrix[i].name, matrix[i].roles);
        for (int a = 0; a < AUTHZ_ACTION_COUNT; a++) {
            for (int t = 0; t < 3; t++) {
                int want = matrix[i].expect[a][t] == 'Y';
                char name[160];
                snprintf(name, sizeof name, "authz: %s %s %s on %s", matrix[i].name, want ? "may" : "may not",
                         authz_action_id((authz_action)a), targets[t] ? targets[t] : "some function");
                CHECK(name, authz_allows(&m, (authz_action)a, targets[t]) == want);
            }
        }
        authz_member_free(&m);
    }
    CHECK("authz: a NULL member may do nothing", !authz_allows(NULL, AUTHZ_FUNCTIONS_READ, "a"));
    authz_member owner = make("o", (const char *const[]){"owner", NULL});
    CHECK("authz: an unknown action is refused, even to the owner", !authz_allows(&owner, AUTHZ_ACTION_COUNT, "a"));
    authz_member_free(&owner);
}

static int parses_as(const char *text, authz_role want)
{
    authz_role r;
    return authz_role_parse(text, &r) == 0 && r == want;
}

static void test_role_names(void)
{
    CHECK("roles: ids", parses_as("functions-admin", AUTHZ_FUNCTIONS_ADMIN) &&
                            parses_as("functions-read-only", AUTHZ_FUNCTIONS_READ_ONLY) &&
                            parses_as("source-admin", AUTHZ_SOURCE_ADMIN) &&
                            parses_as("workspace-owner", AUTHZ_OWNER));
    CHECK("roles: labels in any case", parses_as("Functions Read-only", AUTHZ_FUNCTIONS_READ_ONLY) &&
                                           parses_as("SOURCE ADMIN", AUTHZ_SOURCE_ADMIN) &&
                                           parses_as("Workspace Owner", AUTHZ_OWNER));
    CHECK("roles: aliases", parses_as("owner", AUTHZ_OWNER) &&
                                parses_as("functions_readonly", AUTHZ_FUNCTIONS_READ_ONLY));
    authz_role r;
    CHECK("roles: unknown refused", authz_role_parse("admin", &r) != 0 && authz_role_parse("", &r) != 0);
    CHECK("roles: only the functions roles are limitable",
          authz_role_limitable(AUTHZ_FUNCTIONS_ADMIN) && authz_role_limitable(AUTHZ_FUNCTIONS_READ_ONLY) &&
              !authz_role_limitable(AUTHZ_OWNER) && !authz_role_limitable(AUTHZ_SOURCE_ADMIN));
    CHECK("roles: a refusal names what is needed",
          strstr(authz_action_needs(AUTHZ_FUNCTIONS_DEPLOY), "Source Admin") != NULL);
}

/* Whether granting role (limited to functions) to a fresh member fails with why. */
static int grant_refused(authz_role role, const char *functions, const char *why)
{
    authz_member m = {0};
    char *err = NULL;
    int refused = authz_member_grant(&m, role, functions, &err) != 0 && err && strstr(err, why);
    if (!refused)
        printf("  got: %s\n", err ? err : "(granted)");
    free(err);
    authz_member_free(&m);
    return refused;
}

static void test_grants(void)
{
    CHECK("grants: Source Admin cannot be limited", grant_refused(AUTHZ_SOURCE_ADMIN, "a", "cannot be limited"));
    CHECK("grants: the owner cannot be limited", grant_refused(AUTHZ_OWNER, "a", "cannot be limited"));
    CHECK("grants: an invalid function name is refused", grant_refused(AUTHZ_FUNCTIONS_ADMIN, "a,../b", "valid"));
    CHECK("grants: an empty list is refused", grant_refused(AUTHZ_FUNCTIONS_ADMIN, " , ", "at least one"));
    authz_member m = {0};
    char *err = NULL;
    int first = authz_member_grant(&m, AUTHZ_FUNCTIONS_ADMIN, "a, b,a", &err);
    int twice = authz_member_grant(&m, AUTHZ_FUNCTIONS_ADMIN, NULL, &err);
    CHECK("grants: a role given twice is refused", first == 0 && twice != 0 && err && strstr(err, "twice"));
    free(err);
    CHECK("grants: names are trimmed, repeats dropped",
          m.n_grants == 1 && m.grants[0].n_functions == 2 && strcmp(m.grants[0].functions[1], "b") == 0);
    authz_member_free(&m);
}

static void test_json(void)
{
    authz_member m = make("j", (const char *const[]){"source-admin", "functions-read-only:a,b", NULL});
    json_t *j = authz_grants_json(&m);
    json_t *want = json_loads("[{\"role\":\"functions-read-only\",\"label\":\"Functions Read-only\","
                              "\"functions\":[\"a\",\"b\"]},"
                              "{\"role\":\"source-admin\",\"label\":\"Source Admin\",\"functions\":null}]",
                              0, NULL);
    CHECK("json: roles as stored and listed, in role order", json_equal(j, want));
    authz_member back = {0};
    char *err = NULL;
    int rc = authz_grants_from_json(&back, j, &err);
    json_t *again = authz_grants_json(&back);
    CHECK("json: read back to the same roles", rc == 0 && json_equal(again, want));
    CHECK("json: read back to the same decisions", authz_allows(&back, AUTHZ_FUNCTIONS_DEPLOY, "a") &&
                                                       !authz_allows(&back, AUTHZ_FUNCTIONS_DEPLOY, "c"));
    free(err);
    json_t *bad = json_loads("[{\"role\":\"source-admin\",\"functions\":[\"a\"]}]", 0, NULL);
    authz_member worse = {0};
    rc = authz_grants_from_json(&worse, bad, &err);
    CHECK("json: a limited Source Admin is refused on reading", rc != 0 && err);
    free(err);
    json_decref(bad);
    authz_member_free(&worse);
    json_decref(again);
    json_decref(want);
    json_decref(j);
    authz_member_free(&back);
    authz_member_free(&m);
}

static void test_members(void)
{
    char dir[] = "/tmp/srcfn-authz-XXXXXX";
    char *err = NULL;
    sqlite3 *db = mkdtemp(dir) ? store_open(dir, &err) : NULL;
    CHECK("members: a workspace database opens", db != NULL);
    if (!db) {
        free(err);
        return;
    }
    char *owner_token = NULL, *token = NULL, *again = NULL;
    CHECK("members: bootstrap adds the first owner", members_bootstrap(db, &owner_token, &err) == 1 && owner_token);
    CHECK("members: bootstrap only once", members_bootstrap(db, &again, &err) == 0 && !again);
    authz_member m = make("alice", (const char *const[]){"functions-admin:a", NULL});
    CHECK("members: add", members_add(db, &m, &token, &err) == 0 && token &&
                              strncmp(token, MEMBERS_TOKEN_PREFIX, strlen(MEMBERS_TOKEN_PREFIX)) == 0 &&
                              strlen(token) == strlen(MEMBERS_TOKEN_PREFIX) + 2 * MEMBERS_TOKEN_BYTES);
    char *dup_token = NULL;
    CHECK("members: a name taken is refused", members_add(db, &m, &dup_token, &err) != 0 && !dup_token);
    free(err);
    err = NULL;
    authz_member found = {0};
    CHECK("members: the token finds its member",
          members_by_token(db, token, &found, &err) == 1 && strcmp(found.name, "alice") == 0 &&
              authz_allows(&found, AUTHZ_FUNCTIONS_UPDATE, "a") && !authz_allows(&found, AUTHZ_FUNCTIONS_UPDATE, "b"));
    authz_member_free(&found);
    CHECK("members: the owner's token finds the owner",
          members_by_token(db, owner_token, &found, &err) == 1 && strcmp(found.name, MEMBERS_FIRST_OWNER) == 0);
    authz_member_free(&found);
    token[strlen(token) - 1] ^= 1;
    CHECK("members: a token one character off is refused", members_by_token(db, token, &found, &err) == 0);
    CHECK("members: an empty token is refused", members_by_token(db, "", &found, &err) == 0);
    token[strlen(token) - 1] ^= 1;
    json_t *list = members_list(db, &err);
    char *text = list ? json_dumps(list, JSON_COMPACT) : NULL;
    CHECK("members: the list never shows a token or hash",
          text && !strstr(text, token + strlen(MEMBERS_TOKEN_PREFIX)) && !strstr(text, "sha256") &&
              json_array_size(list) == 2);
    free(text);
    json_decref(list);
    CHECK("members: remove", members_remove(db, "alice", &err) == 1 && members_remove(db, "alice", &err) == 0);
    CHECK("members: a removed member's token is refused", members_by_token(db, token, &found, &err) == 0);
    members_token_free(token);
    members_token_free(owner_token);
    authz_member_free(&m);
    store_close(db);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        printf("note: could not remove %s\n", dir);
}

int main(void)
{
    test_matrix();
    test_role_names();
    test_grants();
    test_json();
    test_members();
    return check_failures ? 1 : 0;
}
