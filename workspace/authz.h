/*
 * authz: who may do what in a workspace. Roles are those of the runtime
 * contract ("Workspaces and permissions"); a member holds one or more of them,
 * the two functions roles optionally limited to named functions.
 *
 * Two data tables (authz.c) decide everything:
 *
 *   roles    role -> the capabilities it grants (and whether it can be
 *            limited to named functions)
 *   actions  action -> the capabilities it needs, all of them
 *
 * authz_allows(member, action, function) is true when, for every capability
 * the action needs, some role of the member grants it and covers the function.
 * The capabilities may come from different roles: deploying needs FN_READ
 * (a functions role on that function) and SOURCES (Source Admin), which is how
 * "Source Admin is needed in addition to a functions role" is expressed.
 *
 * No call site tests roles; each asks authz_allows about an action.
 */
#ifndef SRCFN_AUTHZ_H
#define SRCFN_AUTHZ_H

#include <jansson.h>
#include <stddef.h>

typedef enum authz_role {
    AUTHZ_OWNER,                 /* Workspace Owner */
    AUTHZ_FUNCTIONS_ADMIN,       /* Functions Admin */
    AUTHZ_FUNCTIONS_READ_ONLY,   /* Functions Read-only */
    AUTHZ_SOURCE_ADMIN,          /* Source Admin */
    AUTHZ_ROLE_COUNT
} authz_role;

typedef enum authz_action {
    AUTHZ_FUNCTIONS_READ,        /* list and read functions, their versions */
    AUTHZ_FUNCTIONS_CREATE,
    AUTHZ_FUNCTIONS_UPDATE,
    AUTHZ_FUNCTIONS_DEPLOY,      /* record a version, point instances at it */
    AUTHZ_ERRORS_READ,           /* the error log of an instance of the function */
    AUTHZ_INSTANCES_CONNECT,
    AUTHZ_INSTANCES_DISCONNECT,
    AUTHZ_MEMBERS_MANAGE,        /* members add, list, remove */
    AUTHZ_AUDIT_READ,
    AUTHZ_ACTION_COUNT
} authz_action;

/* One role of a member. functions NULL: all functions of the workspace; else
 * n_functions names (only for roles that can be limited). */
typedef struct authz_grant {
    authz_role role;
    char **functions;
    size_t n_functions;
} authz_grant;

typedef struct authz_member {
    char *name;
    authz_grant grants[AUTHZ_ROLE_COUNT];   /* each role at most once */
    size_t n_grants;
} authz_member;

/*
 * Whether member may perform action on function. function NULL asks whether
 * the member may perform it on some function (a limited role counts): the
 * question a list, or a call whose function is not known yet, asks first.
 * A NULL member may do nothing.
 */
int authz_allows(const authz_member *member, authz_action action, const char *function);

/* "workspace-owner", "functions-admin", "functions-read-only", "source-admin". */
const char *authz_role_id(authz_role role);

/* "Workspace Owner", "Functions Admin", "Functions Read-only", "Source Admin". */
const char *authz_role_label(authz_role role);

/* Whether the role can be limited to named functions. */
int authz_role_limitable(authz_role role);

/* Reads a role: its id or its label, in any case, spaces and '-' alike, or
 * "owner". 0, or -1 when the text names no role. */
int authz_role_parse(const char *text, authz_role *out);

/* "functions.read", "functions.create", … (what the audit log records). */
const char *authz_action_id(authz_action action);

/* What an action needs, for a refusal: "Functions Admin or Workspace Owner". */
const char *authz_action_needs(authz_action action);

/* Adds a role to m. functions: NULL for all, else a comma-separated list of
 * names (the role must be limitable; each name a valid function name). Refuses
 * a role m already holds. 0, or -1 with *err (malloc'd). */
int authz_member_grant(authz_member *m, authz_role role, const char *functions, char **err);

void authz_member_free(authz_member *m);

/* The roles as JSON: [{"role": id, "label": label, "functions": [names] or
 * null}], in role order. New reference. */
json_t *authz_grants_json(const authz_member *m);

/* Reads what authz_grants_json wrote into m (whose name is set by the caller).
 * 0, or -1 with *err. */
int authz_grants_from_json(authz_member *m, json_t *roles, char **err);

#endif
