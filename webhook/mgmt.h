/*
 * mgmt: the management API of a workspace, served by `srcfn serve` on the
 * same listener as the webhooks, under MGMT_PREFIX. JSON in and out; every
 * call carries "Authorization: Bearer <token>" with the API token of a member
 * of this workspace (workspace/members.h) and is allowed exactly when the
 * member's roles allow its action (workspace/authz.h).
 *
 *   GET    /api/v1/functions                  list the functions the caller may read
 *   POST   /api/v1/functions                  create {name, code, displayName?, description?, settings?}
 *   GET    /api/v1/functions/NAME             read: code, settings declaration, versions, instances
 *   PATCH  /api/v1/functions/NAME             update any of {code, displayName, description, settings}
 *   GET    /api/v1/functions/NAME/versions    its deployed versions, newest first
 *   POST   /api/v1/functions/NAME/deploy      Save & Deploy {instances?: [names]} (all when left
 *                                             out), as `srcfn deploy`
 *   POST   /api/v1/instances                  connect {function, name, settings?, writeKey?, endpoint?}
 *   DELETE /api/v1/instances/NAME             disconnect
 *   GET    /api/v1/instances/NAME/errors      the instance's error log, newest first
 *
 * Answers: 200 (201 for what was created); 401 without a valid token (with
 * WWW-Authenticate: Bearer); 403 when the roles forbid the call (checked
 * before the function's existence, so a member learns nothing of functions
 * outside its roles); 404 for an unknown call, function or instance; 409 for
 * a name taken; 400 for bad input; each refusal {"error": "..."}.
 *
 * Every call, answered or refused, is recorded in the audit log
 * (workspace/audit.h). Tokens live in the workspace's own database, so a
 * server answers only the members of its workspace.
 */
#ifndef SRCFN_MGMT_H
#define SRCFN_MGMT_H

#include <jansson.h>

#include "webhook/server.h"

#define MGMT_PREFIX "/api/"
#define MGMT_V1 "/api/v1/"

/* Whether a path belongs to the management API (/api or below /api/). */
int mgmt_owns(const char *path);

/* Answers one call for the workspace at root: sets *status, returns the JSON
 * body. Safe to call from several threads at once (each call opens its own
 * connection to the workspace database). */
json_t *mgmt_handle(const char *root, const server_request *req, int *status);

#endif
