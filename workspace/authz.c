/*
 * authz: the role and action tables of authz.h and the one decision made
 * from them, authz_allows.
 *
 * Capabilities:
 *   FN_READ   see a function: its code, settings declaration, versions and
 *             the error logs of its instances
 *   FN_WRITE  create and edit a function
 *   SOURCES   connect and disconnect instances; deploy to them (with FN_READ)
 *   MEMBERS   manage members, read the audit log
 */
#include "workspace/authz.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workspace/store.h"
#include "workspace/workspace.h"

enum {
    CAP_FN_READ = 1u << 0,
    CAP_FN_WRITE = 1u << 1,
    CAP_SOURCES = 1u << 2,
    CAP_MEMBERS = 1u << 3,
    CAP_ALL = CAP_FN_READ | CAP_FN_WRITE | CAP_SOURCES | CAP_MEMBERS,
};

typedef struct role_def {
    const char *id;
    const char *label;
    unsigned caps;
    int limitable;     /* may be limited to named functions */
} role_def;

static const role_def roles[AUTHZ_ROLE_COUNT] = {
    [AUTHZ_OWNER] = {"workspace-owner", "Workspace Owner", CAP_ALL, 0},
    [AUTHZ_FUNCTIONS_ADMIN] = {"functions-admin", "Functions Admin", CAP_FN_READ | CAP_FN_WRITE, 1},
    [AUTHZ_FUNCTIONS_READ_ONLY] = {"functions-read-only", "Functions Read-only", CAP_FN_READ, 1},
    [AUTHZ_SOURCE_ADMIN] = {"source-admin", "Source Admin", CAP_SOURCES, 0},
};

typedef struct action_def {
    const char *id;
    unsigned needs;    /* every one of these capabilities */
    const char *who;   /* the roles that give them, for a refusal */
} action_def;

#define WHO_READ "Functions Read-only or Functions Admin on the function, or Workspace Owner"
#define WHO_WRITE "Functions Admin on the function, or Workspace Owner"
#define WHO_DEPLOY "Source Admin together with Functions Admin or Functions Read-only on the function, " \
                   "or Workspace Owner"
#define WHO_SOURCES "Source Admin or Workspace Owner"

static const action_def actions[AUTHZ_ACTION_COUNT] = {
    [AUTHZ_FUNCTIONS_READ] = {"functions.read", CAP_FN_READ, WHO_READ},
    [AUTHZ_FUNCTIONS_CREATE] = {"functions.create", CAP_FN_WRITE, WHO_WRITE},
    [AUTHZ_FUNCTIONS_UPDATE] = {"functions.update", CAP_FN_WRITE, WHO_WRITE},
    [AUTHZ_FUNCTIONS_DEPLOY] = {"functions.deploy", CAP_FN_READ | CAP_SOURCES, WHO_DEPLOY},
    [AUTHZ_ERRORS_READ] = {"errors.read", CAP_FN_READ, WHO_READ},
    [AUTHZ_INSTANCES_CONNECT] = {"instances.connect", CAP_SOURCES, WHO_SOURCES},
    [AUTHZ_INSTANCES_DISCONNECT] = {"instances.disconnect", CAP_SOURCES, WHO_SOURCES},
    [AUTHZ_MEMBERS_MANAGE] = {"members.manage", CAP_MEMBERS, "Workspace Owner"},
    [AUTHZ_AUDIT_READ] = {"audit.read", CAP_MEMBERS, "Workspace Owner"},
};

/* Other spellings people use for a role (after normalising, see norm()). */
static const struct {
    const char *alias;
    authz_role role;
} aliases[] = {
    {"owner", AUTHZ_OWNER},
    {"functions-readonly", AUTHZ_FUNCTIONS_READ_ONLY},
};

/* --- the decision --------------------------------------------------------------------------------- */

static int covers(const authz_grant *g, const char *function)
{
    if (!g->functions || !function)
        return 1;
    for (size_t i = 0; i < g->n_functions; i++) {
        if (strcmp(g->functions[i], function) == 0)
            return 1;
    }
    return 0;
}

/* Whether some role of m grants cap and covers function. */
static int holds(const authz_member *m, unsigned cap, const char *function)
{
    for (size_t i = 0; i < m->n_grants; i++) {
        const authz_grant *g = &m->grants[i];
        if ((roles[g->role].caps & cap) && covers(g, function))
            return 1;
    }
    return 0;
}

int authz_allows(const authz_member *member, authz_action action, const char *function)
{
    if (!member || (unsigned)action >= AUTHZ_ACTION_COUNT)
        return 0;
    unsigned needs = actions[action].needs;
    for (unsigned cap = 1; cap <= CAP_ALL; cap <<= 1) {
        if ((needs & cap) && !holds(member, cap, function))
            return 0;
    }
    return 1;
}

/* --- names ---------------------------------------------------------------------------------------- */

const char *authz_role_id(authz_role role)
{
    return (unsigned)role < AUTHZ_ROLE_COUNT ? roles[role].id : "?";
}

const char *authz_role_label(authz_role role)
{
    return (unsigned)role < AUTHZ_ROLE_COUNT ? roles[role].label : "?";
}

int authz_role_limitable(authz_role role)
{
    return (unsigned)role < AUTHZ_ROLE_COUNT && roles[role].limitable;
}

const char *authz_action_id(authz_action action)
{
    return (unsigned)action < AUTHZ_ACTION_COUNT ? actions[action].id : "?";
}

const char *authz_action_needs(authz_action action)
{
    return (unsigned)action < AUTHZ_ACTION_COUNT ? actions[action].who : "?";
}

/* Lowercase, with spaces and '_' as '-' ("Functions Read-only" -> "functions-read-only"). */
static void norm(const char *text, char *out, size_t size)
{
    size_t i = 0;
    for (; text[i] && i + 1 < size; i++) {
        unsigned char c = (unsigned char)text[i];
        out[i] = c == ' ' || c == '_' ? '-' : (char)tolower(c);
    }
    out[i] = '\0';
}

int authz_role_parse(const char *text, authz_role *out)
{
    char key[64];
    if (!text || strlen(text) >= sizeof key)
        return -1;
    norm(text, key, sizeof key);
    for (int r = 0; r < AUTHZ_ROLE_COUNT; r++) {
        char label[64];
        norm(roles[r].label, label, sizeof label);
        if (strcmp(key, roles[r].id) == 0 || strcmp(key, label) == 0) {
            *out = (authz_role)r;
            return 0;
        }
    }
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
        if (strcmp(key, aliases[i].alias) == 0) {
            *out = aliases[i].role;
            return 0;
        }
    }
    return -1;
}

/* --- members' grants ------------------------------------------------------------------------------ */

static void grant_free(authz_grant *g)
{
    for (size_t i = 0; i < g->n_functions; i++)
        free(g->functions[i]);
    free(g->functions);
    memset(g, 0, sizeof *g);
}

void authz_member_free(authz_member *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n_grants; i++)
        grant_free(&m->grants[i]);
    free(m->name);
    memset(m, 0, sizeof *m);
}

/* Appends one function name to g, refusing an invalid name and ignoring a repeat. */
static int grant_add_function(authz_grant *g, const char *name, char **err)
{
    if (!workspace_valid_name(name))
        return store_fail(err, "\"%s\" is not a valid function name", name);
    if (g->functions && covers(g, name))   /* a repeat */
        return 0;
    char **grown = realloc(g->functions, (g->n_functions + 1) * sizeof *grown);
    if (!grown)
        abort();
    g->functions = grown;
    if (!(g->functions[g->n_functions++] = strdup(name)))
        abort();
    return 0;
}

/* Reads "a,b,c" into g's list of functions (at least one name). */
static int grant_parse_functions(authz_grant *g, const char *list, char **err)
{
    char *copy = strdup(list);
    if (!copy)
        abort();
    int rc = 0;
    char *save = NULL;
    for (char *name = strtok_r(copy, ",", &save); name && rc == 0; name = strtok_r(NULL, ",", &save)) {
        while (*name == ' ')
            name++;
        size_t n = strlen(name);
        while (n > 0 && name[n - 1] == ' ')
            name[--n] = '\0';
        if (n > 0)
            rc = grant_add_function(g, name, err);
    }
    free(copy);
    if (rc == 0 && g->n_functions == 0)
        rc = store_fail(err, "name at least one function to limit a role to");
    return rc;
}

/* m's grant of role, or NULL. */
static const authz_grant *grant_of(const authz_member *m, authz_role role)
{
    for (size_t i = 0; i < m->n_grants; i++) {
        if (m->grants[i].role == role)
            return &m->grants[i];
    }
    return NULL;
}

/* The grant slot for role: refuses a role held already. */
static authz_grant *new_grant(authz_member *m, authz_role role, char **err)
{
    if ((unsigned)role >= AUTHZ_ROLE_COUNT) {
        store_fail(err, "unknown role");
        return NULL;
    }
    if (grant_of(m, role)) {
        store_fail(err, "role %s is given twice", roles[role].label);
        return NULL;
    }
    return &m->grants[m->n_grants];
}

int authz_member_grant(authz_member *m, authz_role role, const char *functions, char **err)
{
    authz_grant *g = new_grant(m, role, err);
    if (!g)
        return -1;
    if (functions && !roles[role].limitable)
        return store_fail(err, "%s cannot be limited to named functions (only Functions Admin and "
                               "Functions Read-only can)", roles[role].label);
    authz_grant fresh = {.role = role};
    if (functions && grant_parse_functions(&fresh, functions, err) != 0) {
        grant_free(&fresh);
        return -1;
    }
    *g = fresh;
    m->n_grants++;
    return 0;
}

json_t *authz_grants_json(const authz_member *m)
{
    json_t *list = json_array();
    for (int r = 0; list && r < AUTHZ_ROLE_COUNT; r++) {
        const authz_grant *g = grant_of(m, (authz_role)r);
        if (!g)
            continue;
        json_t *fns = g->functions ? json_array() : json_null();
        for (size_t j = 0; fns && g->functions && j < g->n_functions; j++) {
            if (json_array_append_new(fns, json_string(g->functions[j])) != 0)
                abort();
        }
        json_t *o = json_pack("{s:s, s:s, s:o*}", "role", roles[g->role].id, "label", roles[g->role].label,
                              "functions", fns);
        if (!o || json_array_append_new(list, o) != 0)
            abort();
    }
    if (!list)
        abort();
    return list;
}

/* One stored role {"role", "functions"} added to m. */
static int grant_from_json(authz_member *m, json_t *item, char **err)
{
    authz_role role;
    const char *id = json_string_value(json_object_get(item, "role"));
    if (!id || authz_role_parse(id, &role) != 0)
        return store_fail(err, "member \"%s\": unknown role \"%s\"", m->name ? m->name : "?", id ? id : "");
    authz_grant *g = new_grant(m, role, err);
    if (!g)
        return -1;
    json_t *fns = json_object_get(item, "functions");
    authz_grant fresh = {.role = role};
    size_t i;
    json_t *f;
    int rc = 0;
    if (json_is_array(fns) && !roles[role].limitable)
        rc = store_fail(err, "member \"%s\": %s is limited to functions", m->name ? m->name : "?",
                        roles[role].label);
    json_array_foreach(fns, i, f) {
        if (rc == 0)
            rc = grant_add_function(&fresh, json_is_string(f) ? json_string_value(f) : "", err);
    }
    if (rc == 0 && json_is_array(fns) && fresh.n_functions == 0)
        rc = store_fail(err, "member \"%s\": %s is limited to no function", m->name ? m->name : "?",
                        roles[role].label);
    if (rc != 0) {
        grant_free(&fresh);
        return -1;
    }
    *g = fresh;
    m->n_grants++;
    return 0;
}

int authz_grants_from_json(authz_member *m, json_t *list, char **err)
{
    if (!json_is_array(list))
        return store_fail(err, "member \"%s\": the stored roles are not a list", m->name ? m->name : "?");
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item) {
        if (grant_from_json(m, item, err) != 0)
            return -1;
    }
    return 0;
}
