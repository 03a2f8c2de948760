/*
 * mgmt: the management API's front (see mgmt.h): authentication, the route
 * table, authorisation and the audit record. The calls themselves are in
 * mgmt-calls.c.
 *
 * Every call goes through the same steps, in this order:
 *
 *   1. the workspace database is opened (503 when it cannot be);
 *   2. the Bearer token is looked up among the members (401);
 *   3. the method and path pick a route (404);
 *   4. the member must be allowed the route's action on some function (403);
 *   5. the body is read when the route takes one (400);
 *   6. the function concerned is found: from the path, the body, or the
 *      instance the path names (400, 404);
 *   7. the member must be allowed the action on that function (403);
 *   8. the call runs;
 *
 * and whatever the outcome, one audit entry is written (audit_add). Step 4
 * before 5 and 6 means a member without any right to an action learns
 * nothing from its input (the audit entry still names the function the path
 * or body names); step 7 before the call means existence is only revealed to
 * members allowed on that name.
 */
#include "webhook/mgmt.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "webhook/mgmt-calls.h"
#include "workspace/audit.h"
#include "workspace/instances.h"
#include "workspace/members.h"
#include "workspace/store.h"
#include "workspace/workspace.h"

/* Where the function concerned comes from. */
typedef enum subject {
    SUBJECT_NONE,            /* the call concerns no single function (a list) */
    SUBJECT_PATH_FUNCTION,   /* /functions/NAME… */
    SUBJECT_BODY_NAME,       /* the body's "name" (a function being created) */
    SUBJECT_BODY_FUNCTION,   /* the body's "function" (an instance being connected) */
    SUBJECT_PATH_INSTANCE,   /* the function of the instance /instances/NAME… names */
} subject;

enum { BODY_NONE, BODY_REQUIRED, BODY_OPTIONAL };

typedef struct route {
    const char *method;
    const char *pattern;     /* below /api/v1/; "*" is one path segment, the name */
    authz_action action;
    subject subject;
    int body;
    json_t *(*run)(mgmt_call *c, int *status);
} route;

static const route routes[] = {
    {"GET", "functions", AUTHZ_FUNCTIONS_READ, SUBJECT_NONE, BODY_NONE, mgmt_list_functions},
    {"POST", "functions", AUTHZ_FUNCTIONS_CREATE, SUBJECT_BODY_NAME, BODY_REQUIRED, mgmt_create_function},
    {"GET", "functions/*", AUTHZ_FUNCTIONS_READ, SUBJECT_PATH_FUNCTION, BODY_NONE, mgmt_get_function},
    {"PATCH", "functions/*", AUTHZ_FUNCTIONS_UPDATE, SUBJECT_PATH_FUNCTION, BODY_REQUIRED, mgmt_update_function},
    {"GET", "functions/*/versions", AUTHZ_FUNCTIONS_READ, SUBJECT_PATH_FUNCTION, BODY_NONE, mgmt_list_versions},
    {"POST", "functions/*/deploy", AUTHZ_FUNCTIONS_DEPLOY, SUBJECT_PATH_FUNCTION, BODY_OPTIONAL, mgmt_deploy},
    {"POST", "instances", AUTHZ_INSTANCES_CONNECT, SUBJECT_BODY_FUNCTION, BODY_REQUIRED, mgmt_connect},
    {"DELETE", "instances/*", AUTHZ_INSTANCES_DISCONNECT, SUBJECT_PATH_INSTANCE, BODY_NONE, mgmt_disconnect},
    {"GET", "instances/*/errors", AUTHZ_ERRORS_READ, SUBJECT_PATH_INSTANCE, BODY_NONE, mgmt_errors},
};

#define NROUTES (sizeof routes / sizeof routes[0])

int mgmt_owns(const char *path)
{
    size_t n = strlen(MGMT_PREFIX) - 1;   /* "/api" */
    return strncmp(path, MGMT_PREFIX, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

json_t *mgmt_refuse(int *status, int code, const char *fmt, ...)
{
    char *msg = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&msg, fmt, ap) < 0)
        abort();
    va_end(ap);
    *status = code;
    json_t *reply = json_pack("{s:s}", "error", msg);
    free(msg);
    return reply;
}

/* The 403 of an action the caller's roles do not allow. */
static json_t *forbidden(mgmt_call *c, authz_action action, const char *function, int *status)
{
    if (function)
        return mgmt_refuse(status, 403, "forbidden: %s on \"%s\" needs %s (member \"%s\")", authz_action_id(action),
                           function, authz_action_needs(action), c->member.name);
    return mgmt_refuse(status, 403, "forbidden: %s needs %s (member \"%s\")", authz_action_id(action),
                       authz_action_needs(action), c->member.name);
}

json_t *mgmt_also_needs(mgmt_call *c, authz_action action, const char *function, int *status)
{
    return authz_allows(&c->member, action, function) ? NULL : forbidden(c, action, function, status);
}

/* --- the request ------------------------------------------------------------------------------------ */

const char *mgmt_header(const server_request *req, const char *name)
{
    const char *key;
    json_t *v;
    json_object_foreach(req->headers, key, v) {
        if (strcasecmp(key, name) == 0)
            return json_string_value(v);
    }
    return NULL;
}

/* The token of "Authorization: Bearer <token>", or NULL. */
static const char *bearer(const server_request *req)
{
    const char *auth = mgmt_header(req, "Authorization");
    if (!auth || strncasecmp(auth, "Bearer ", 7) != 0)
        return NULL;
    auth += 7;
    while (*auth == ' ')
        auth++;
    return *auth ? auth : NULL;
}

static json_t *authenticate(mgmt_call *c, int *status)
{
    const char *token = bearer(c->req);
    if (!token)
        return mgmt_refuse(status, 401, "send the API token of a member: Authorization: Bearer <token>");
    char *err = NULL;
    int found = members_by_token(c->db, token, &c->member, &err);
    if (found < 0) {
        json_t *reply = mgmt_refuse(status, 500, "%s", err ? err : "cannot read members");
        free(err);
        return reply;
    }
    if (!found)
        return mgmt_refuse(status, 401, "this token is not the token of a member of this workspace");
    return NULL;
}

/* Whether path (below /api/v1/, one trailing slash allowed) matches pattern;
 * the segment matched by "*" goes to *param (malloc'd). */
static int match(const char *pattern, const char *path, char **param)
{
    *param = NULL;
    size_t len = strlen(path);
    if (len > 0 && path[len - 1] == '/')
        len--;
    const char *p = path, *end = path + len;
    for (;;) {
        size_t pseg = strcspn(pattern, "/");
        const char *slash = memchr(p, '/', (size_t)(end - p));
        size_t seg = slash ? (size_t)(slash - p) : (size_t)(end - p);
        if (pseg == 1 && *pattern == '*') {
            if (seg == 0 || *param)
                break;
            if (!(*param = strndup(p, seg)))
                abort();
        } else if (pseg != seg || strncmp(pattern, p, seg) != 0) {
            break;
        }
        pattern += pseg;
        p += seg;
        if (*pattern == '\0' || p == end) {
            if (*pattern == '\0' && p == end)
                return 1;
            break;
        }
        pattern++;   /* both at a '/' */
        p++;
    }
    free(*param);
    *param = NULL;
    return 0;
}

/* The route of the request (c->param set), or NULL after a 404. */
static const route *find_route(mgmt_call *c, json_t **reply, int *status)
{
    const char *path = c->req->path;
    size_t prefix = strlen(MGMT_V1);
    int on_path = 0;
    if (strncmp(path, MGMT_V1, prefix) == 0) {
        for (size_t i = 0; i < NROUTES; i++) {
            char *param = NULL;
            if (!match(routes[i].pattern, path + prefix, &param))
                continue;
            on_path = 1;
            if (strcmp(routes[i].method, c->req->method) == 0) {
                c->param = param;
                return &routes[i];
            }
            free(param);
        }
    }
    if (on_path)
        *reply = mgmt_refuse(status, 404, "%s is not a call of %s (see the API's list of calls)", c->req->method,
                             path);
    else
        *reply = mgmt_refuse(status, 404, "no such API call: %s %s", c->req->method, path);
    return NULL;
}

static json_t *read_body(mgmt_call *c, int how, int *status)
{
    if (how == BODY_NONE || (how == BODY_OPTIONAL && c->req->body_len == 0))
        return NULL;
    if (c->req->body_len == 0)
        return mgmt_refuse(status, 400, "send a JSON object as the body (Content-Type: application/json)");
    if (server_body_type(mgmt_header(c->req, "Content-Type")) != SERVER_BODY_JSON)
        return mgmt_refuse(status, 400, "the body must be JSON (Content-Type: application/json)");
    c->body = json_loadb(c->req->body, c->req->body_len, 0, NULL);
    if (!json_is_object(c->body))
        return mgmt_refuse(status, 400, "the body must be a JSON object");
    return NULL;
}

/* --- the function concerned --------------------------------------------------------------------------- */

static json_t *named_function(mgmt_call *c, const char *name, const char *where, int *status)
{
    if (!name)
        return mgmt_refuse(status, 400, "\"%s\" must be a function name", where);
    if (!workspace_valid_name(name))
        return mgmt_refuse(status, 400, "\"%s\" is not a valid function name (1 to 64 letters, digits, _ and -, "
                                        "not starting with -)", name);
    if (!(c->function = strdup(name)))
        abort();
    return NULL;
}

static json_t *instance_function(mgmt_call *c, int *status)
{
    if (!workspace_valid_name(c->param))
        return mgmt_refuse(status, 400, "\"%s\" is not a valid instance name", c->param);
    instance_row row;
    char *err = NULL;
    int found = instance_get(c->db, c->param, &row, &err);
    if (found < 0) {
        json_t *reply = mgmt_refuse(status, 500, "%s", err ? err : "cannot read instances");
        free(err);
        return reply;
    }
    if (!found)
        return mgmt_refuse(status, 404, "no instance \"%s\" in this workspace", c->param);
    c->function = row.function;
    row.function = NULL;
    instance_row_free(&row);
    return NULL;
}

static json_t *find_subject(mgmt_call *c, subject s, int *status)
{
    switch (s) {
    case SUBJECT_PATH_FUNCTION:
        return named_function(c, c->param, "path", status);
    case SUBJECT_BODY_NAME:
        return named_function(c, json_string_value(json_object_get(c->body, "name")), "name", status);
    case SUBJECT_BODY_FUNCTION:
        return named_function(c, json_string_value(json_object_get(c->body, "function")), "function", status);
    case SUBJECT_PATH_INSTANCE:
        return instance_function(c, status);
    case SUBJECT_NONE:
        break;
    }
    return NULL;
}

/* For the audit record of a call refused before its input was read: the
 * function it names plainly (in the path or the body), looking nothing up. */
static void note_subject(mgmt_call *c, const route *r)
{
    int ignored;
    if (r->subject == SUBJECT_NONE || r->subject == SUBJECT_PATH_INSTANCE)
        return;
    json_decref(read_body(c, r->body, &ignored));
    json_decref(find_subject(c, r->subject, &ignored));
}

/* --- one call ------------------------------------------------------------------------------------------- */

/* Steps 3 to 8 (see the top of the file). */
static json_t *dispatch(mgmt_call *c, int *status)
{
    json_t *reply = NULL;
    const route *r = find_route(c, &reply, status);
    if (!r)
        return reply;
    c->action = authz_action_id(r->action);
    if (!authz_allows(&c->member, r->action, NULL)) {
        note_subject(c, r);
        return forbidden(c, r->action, NULL, status);
    }
    if ((reply = read_body(c, r->body, status)) || (reply = find_subject(c, r->subject, status)))
        return reply;
    if (c->function && !authz_allows(&c->member, r->action, c->function))
        return forbidden(c, r->action, c->function, status);
    c->allowed = 1;
    *status = 200;
    return r->run(c, status);
}

static void record(mgmt_call *c, int status)
{
    audit_entry e = {c->member.name, c->req->method, c->req->path, c->action, c->function, c->allowed, status};
    char *err = NULL;
    if (!c->db || audit_add(c->db, &e, &err) != 0) {
        fprintf(stderr, "srcfn serve: cannot record %s %s (status %d) in the audit log: %s\n", c->req->method,
                c->req->path, status, err ? err : "the workspace database did not open");
        free(err);
    }
}

json_t *mgmt_handle(const char *root, const server_request *req, int *status)
{
    mgmt_call c = {.root = root, .req = req};
    char *err = NULL;
    json_t *reply = NULL;
    c.db = store_open(root, &err);
    if (!c.db) {
        reply = mgmt_refuse(status, 503, "the workspace database cannot be opened: %s", err ? err : "?");
        free(err);
    } else if (!(reply = authenticate(&c, status))) {
        reply = dispatch(&c, status);
    }
    if (!reply)
        reply = mgmt_refuse(status, 500, "internal error");
    record(&c, *status);
    json_decref(c.body);
    free(c.param);
    free(c.function);
    authz_member_free(&c.member);
    store_close(c.db);
    return reply;
}
