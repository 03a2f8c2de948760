/*
 * mgmt-calls: the calls of the management API (webhook/mgmt.h), one function
 * each. mgmt.c authenticates, routes, authorises and records; by the time a
 * call runs, the caller is known and allowed, c->param holds the name from
 * the path, c->body the request's JSON object (when the route takes one) and
 * c->function the function concerned (when there is one).
 *
 * Internal to webhook/mgmt*.c.
 */
#ifndef SRCFN_MGMT_CALLS_H
#define SRCFN_MGMT_CALLS_H

#include <jansson.h>
#include <sqlite3.h>

#include "webhook/server.h"
#include "workspace/authz.h"

typedef struct mgmt_call {
    const char *root;
    sqlite3 *db;
    const server_request *req;
    authz_member member;      /* name NULL: not authenticated */
    char *param;              /* NAME from the path, or NULL */
    json_t *body;             /* the JSON object sent, or NULL */
    char *function;           /* the function concerned, or NULL */
    const char *action;       /* authz_action_id of the route, NULL before routing */
    int allowed;
} mgmt_call;

/* Sets *status and returns {"error": message}. */
json_t *mgmt_refuse(int *status, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A request header's value (names compared without case); NULL when absent
 * or given more than once. */
const char *mgmt_header(const server_request *req, const char *name);

/* 403 unless the caller may also perform action on function (a second
 * decision some calls need: connecting a function never deployed deploys
 * it). NULL when allowed. */
json_t *mgmt_also_needs(mgmt_call *c, authz_action action, const char *function, int *status);

json_t *mgmt_list_functions(mgmt_call *c, int *status);
json_t *mgmt_create_function(mgmt_call *c, int *status);
json_t *mgmt_get_function(mgmt_call *c, int *status);
json_t *mgmt_update_function(mgmt_call *c, int *status);
json_t *mgmt_list_versions(mgmt_call *c, int *status);
json_t *mgmt_deploy(mgmt_call *c, int *status);
json_t *mgmt_connect(mgmt_call *c, int *status);
json_t *mgmt_disconnect(mgmt_call *c, int *status);
json_t *mgmt_errors(mgmt_call *c, int *status);

#endif
