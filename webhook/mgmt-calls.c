/*
 * mgmt-calls: the nine calls of the management API (see mgmt.h for the list
 * and mgmt-calls.h for what holds when one runs). They read and write the
 * workspace through the same functions as the CLI: ops_deploy and ops_connect
 * (workspace/ops.h), deploy_list, instance_delete, errlog_list.
 *
 * Bodies are checked strictly: an unknown field, or a field of the wrong
 * type, is a 400 naming it. Secrets never leave: settings values are shown
 * as instances_public_settings masks them.
 */
#include "webhook/mgmt-calls.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/settings.h"
#include "webhook/errlog.h"
#include "workspace/deploy.h"
#include "workspace/funcdir.h"
#include "workspace/instances.h"
#include "workspace/ops.h"
#include "workspace/store.h"
#include "workspace/workspace.h"

/* --- helpers ------------------------------------------------------------------------------------------ */

/* A 500 with err (freed). */
static json_t *failed(int *status, char *err)
{
    json_t *reply = mgmt_refuse(status, 500, "%s", err ? err : "internal error");
    free(err);
    return reply;
}

/* The answer to an ops_status other than OPS_OK, with err (freed). */
static json_t *ops_refusal(ops_status done, int *status, char *err)
{
    static const int codes[] = {[OPS_OK] = 500, [OPS_NOT_FOUND] = 404, [OPS_CONFLICT] = 409,
                                [OPS_INVALID] = 400, [OPS_FAILED] = 500};
    json_t *reply = mgmt_refuse(status, codes[done], "%s", err ? err : "failed");
    free(err);
    return reply;
}

typedef struct field {
    const char *name;
    json_type type;
    int required;
} field;

/* 400 for a field of body not in fields, of the wrong type, or missing. */
static json_t *check_fields(json_t *body, const field *fields, size_t n, int *status)
{
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v) {
        size_t i = 0;
        while (i < n && strcmp(fields[i].name, key) != 0)
            i++;
        if (i == n)
            return mgmt_refuse(status, 400, "unknown field \"%s\"", key);
        if (json_typeof(v) != fields[i].type)
            return mgmt_refuse(status, 400, "\"%s\" must be %s", key,
                               fields[i].type == JSON_STRING  ? "a string"
                               : fields[i].type == JSON_ARRAY ? "an array"
                                                              : "an object");
    }
    for (size_t i = 0; i < n; i++) {
        if (fields[i].required && !json_object_get(body, fields[i].name))
            return mgmt_refuse(status, 400, "\"%s\" is required", fields[i].name);
    }
    return NULL;
}

static json_t *version_or_null(int number)
{
    return number > 0 ? json_integer(number) : json_null();
}

/* The newest version number of a function (0: none), or -1 with *err. */
static int latest_version(sqlite3 *db, const char *function, char **err)
{
    int latest = 0;
    return deploy_latest(db, function, &latest, err) < 0 ? -1 : latest;
}

static const char *manifest_text(json_t *manifest, const char *key, const char *otherwise)
{
    const char *s = json_string_value(json_object_get(manifest, key));
    return s ? s : otherwise;
}

/* --- functions ------------------------------------------------------------------------------------------ */

/* {name, displayName, description, latestVersion}; a function.json that does
 * not read is reported in "error" rather than failing the list. */
static json_t *function_summary(mgmt_call *c, const char *name, char **err)
{
    int latest = latest_version(c->db, name, err);
    if (latest < 0)
        return NULL;
    char *dir = workspace_function_dir(c->root, name);
    funcdir f;
    char *why = NULL;
    int opened = funcdir_open(dir, &f, &why) == 0;
    free(dir);
    json_t *s = json_pack("{s:s, s:s, s:s, s:o}", "name", name, "displayName",
                          opened ? manifest_text(f.manifest, "displayName", name) : name, "description",
                          opened ? manifest_text(f.manifest, "description", "") : "", "latestVersion",
                          version_or_null(latest));
    if (!s || (!opened && json_object_set_new(s, "error", json_string(why ? why : "unreadable")) != 0))
        abort();
    if (opened)
        funcdir_close(&f);
    free(why);
    return s;
}

json_t *mgmt_list_functions(mgmt_call *c, int *status)
{
    char *err = NULL;
    json_t *names = ops_functions(c->root, &err);
    if (!names)
        return failed(status, err);
    json_t *list = json_array();
    size_t i;
    json_t *n;
    json_array_foreach(names, i, n) {
        const char *name = json_string_value(n);
        if (!authz_allows(&c->member, AUTHZ_FUNCTIONS_READ, name))
            continue;
        json_t *s = function_summary(c, name, &err);
        if (!s) {
            json_decref(names);
            json_decref(list);
            return failed(status, err);
        }
        if (json_array_append_new(list, s) != 0)
            abort();
    }
    json_decref(names);
    return json_pack("{s:o}", "functions", list);
}

/* [{name, version}] of the function's instances. */
static json_t *instances_of(sqlite3 *db, const char *function, char **err)
{
    instance_row *rows = NULL;
    size_t n = 0;
    if (instances_list(db, function, &rows, &n, err) != 0)
        return NULL;
    json_t *list = json_array();
    for (size_t i = 0; list && i < n; i++) {
        if (json_array_append_new(list, json_pack("{s:s, s:o}", "name", rows[i].name, "version",
                                                  version_or_null(rows[i].version))) != 0)
            abort();
    }
    instances_free(rows, n);
    return list;
}

/* The function as GET /functions/NAME answers it: {name, displayName,
 * description, code, settings, latestVersion, instances}. */
static json_t *function_document(mgmt_call *c, const char *name, int *status)
{
    char *err = NULL;
    char *dir = workspace_function_dir(c->root, name);
    funcdir f;
    int opened = funcdir_open(dir, &f, &err) == 0;
    free(dir);
    if (!opened)
        return failed(status, err);
    int latest = latest_version(c->db, name, &err);
    json_t *instances = latest < 0 ? NULL : instances_of(c->db, name, &err);
    json_t *doc = NULL;
    if (instances) {
        json_t *decl = funcdir_settings(&f);
        doc = json_pack("{s:s, s:s, s:s, s:s%, s:o, s:o, s:o}", "name", name, "displayName",
                        manifest_text(f.manifest, "displayName", name), "description",
                        manifest_text(f.manifest, "description", ""), "code", f.source, f.source_len, "settings",
                        decl ? json_incref(decl) : json_array(), "latestVersion", version_or_null(latest),
                        "instances", instances);
        if (!doc)   /* json_pack took its references: the only cause is text that is not UTF-8 */
            store_fail(&err, "%s/handler.js or function.json is not valid UTF-8", name);
    }
    funcdir_close(&f);
    if (!doc)
        return failed(status, err);
    return doc;
}

json_t *mgmt_get_function(mgmt_call *c, int *status)
{
    if (!ops_function_exists(c->root, c->function))
        return mgmt_refuse(status, 404, "no function \"%s\" in this workspace", c->function);
    return function_document(c, c->function, status);
}

/* Sets the manifest keys the body gives (displayName, description, settings)
 * and checks the result as deploy would. */
static json_t *apply_manifest_fields(json_t *manifest, json_t *body, int *status)
{
    static const char *const keys[] = {"displayName", "description", "settings"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        json_t *v = json_object_get(body, keys[i]);
        if (v && json_object_set(manifest, keys[i], v) != 0)
            abort();
    }
    char *err = NULL;
    if (deploy_check_manifest(manifest, &err) == 0)
        return NULL;
    json_t *reply = mgmt_refuse(status, 400, "function.json: %s", err ? err : "invalid");
    free(err);
    return reply;
}

json_t *mgmt_create_function(mgmt_call *c, int *status)
{
    static const field fields[] = {{"name", JSON_STRING, 1},        {"code", JSON_STRING, 1},
                                   {"displayName", JSON_STRING, 0}, {"description", JSON_STRING, 0},
                                   {"settings", JSON_ARRAY, 0}};
    json_t *reply = check_fields(c->body, fields, sizeof fields / sizeof fields[0], status);
    if (reply)
        return reply;
    json_t *manifest = json_pack("{s:s, s:s, s:[]}", "displayName", c->function, "description", "", "settings");
    if (!manifest)
        abort();
    if (!(reply = apply_manifest_fields(manifest, c->body, status))) {
        char *err = NULL;
        const char *code = json_string_value(json_object_get(c->body, "code"));
        ops_status done = ops_write_function(c->root, c->function, code, manifest, 1, &err);
        if (done != OPS_OK)
            reply = ops_refusal(done, status, err);
        else if ((reply = function_document(c, c->function, status)) && *status == 200)
            *status = 201;
    }
    json_decref(manifest);
    return reply;
}

json_t *mgmt_update_function(mgmt_call *c, int *status)
{
    static const field fields[] = {{"code", JSON_STRING, 0},
                                   {"displayName", JSON_STRING, 0},
                                   {"description", JSON_STRING, 0},
                                   {"settings", JSON_ARRAY, 0}};
    json_t *reply = check_fields(c->body, fields, sizeof fields / sizeof fields[0], status);
    if (reply)
        return reply;
    if (json_object_size(c->body) == 0)
        return mgmt_refuse(status, 400, "give at least one of code, displayName, description, settings");
    if (!ops_function_exists(c->root, c->function))
        return mgmt_refuse(status, 404, "no function \"%s\" in this workspace", c->function);
    char *err = NULL;
    char *dir = workspace_function_dir(c->root, c->function);
    funcdir f;
    int opened = funcdir_open(dir, &f, &err) == 0;
    free(dir);
    if (!opened) {
        reply = mgmt_refuse(status, 409, "%s (fix the file on disk first)", err ? err : "function.json");
        free(err);
        return reply;
    }
    json_t *manifest = json_deep_copy(f.manifest);
    funcdir_close(&f);
    if (!manifest)
        abort();
    if (!(reply = apply_manifest_fields(manifest, c->body, status))) {
        const char *code = json_string_value(json_object_get(c->body, "code"));
        ops_status done = ops_write_function(c->root, c->function, code, manifest, 0, &err);
        reply = done == OPS_OK ? function_document(c, c->function, status) : ops_refusal(done, status, err);
    }
    json_decref(manifest);
    return reply;
}

json_t *mgmt_list_versions(mgmt_call *c, int *status)
{
    char *err = NULL;
    json_t *list = deploy_list(c->db, c->function, &err);
    if (!list)
        return failed(status, err);
    if (json_array_size(list) == 0 && !ops_function_exists(c->root, c->function)) {
        json_decref(list);
        return mgmt_refuse(status, 404, "no function \"%s\" in this workspace", c->function);
    }
    return json_pack("{s:s, s:o}", "function", c->function, "versions", list);
}

/* --- deploy ----------------------------------------------------------------------------------------- */

/* Whether name is among the first n of names. */
static int listed(const char **names, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(names[i], name) == 0)
            return 1;
    }
    return 0;
}

/* The names of the body's "instances" (borrowed from the body), without
 * repeats, in *names. */
static json_t *instance_names(json_t *list, const char ***names, size_t *n, int *status)
{
    *n = 0;
    *names = calloc(json_array_size(list) + 1, sizeof **names);
    if (!*names)
        abort();
    if (list && json_array_size(list) == 0)
        return mgmt_refuse(status, 400, "\"instances\" is empty: name some, or leave it out for all of them");
    for (size_t i = 0; i < json_array_size(list); i++) {
        const char *name = json_string_value(json_array_get(list, i));
        if (!name || !workspace_valid_name(name))
            return mgmt_refuse(status, 400, "\"instances\" must be a list of instance names");
        if (!listed(*names, *n, name))
            (*names)[(*n)++] = name;
    }
    return NULL;
}

/* {name, from, to} of one instance deploy pointed at the version, with a
 * warning when its settings no longer satisfy the declaration. */
static json_t *deployed_instance(const deploy_outcome *d, size_t i)
{
    json_t *o = json_pack("{s:s, s:o, s:i}", "name", d->instances[i].name, "from", version_or_null(d->before[i]),
                          "to", d->version.number);
    json_t *problem = settings_check(json_object_get(d->version.manifest, "settings"), d->instances[i].settings);
    if (!o || (problem && json_object_set(o, "warning", json_object_get(problem, "message")) != 0))
        abort();
    json_decref(problem);
    return o;
}

json_t *mgmt_deploy(mgmt_call *c, int *status)
{
    static const field fields[] = {{"instances", JSON_ARRAY, 0}};
    json_t *reply = c->body ? check_fields(c->body, fields, 1, status) : NULL;
    const char **names = NULL;
    size_t n = 0;
    if (!reply)
        reply = instance_names(json_object_get(c->body, "instances"), &names, &n, status);
    if (reply) {
        free(names);
        return reply;
    }
    deploy_outcome d;
    char *err = NULL;
    ops_status done = ops_deploy(c->db, c->root, c->function, (char *const *)names, n, &d, &err);
    free(names);
    if (done != OPS_OK) {
        deploy_outcome_free(&d);
        return ops_refusal(done, status, err);
    }
    json_t *list = json_array();
    for (size_t i = 0; list && i < d.n; i++) {
        if (json_array_append_new(list, deployed_instance(&d, i)) != 0)
            abort();
    }
    reply = json_pack("{s:s, s:i, s:b, s:o}", "function", c->function, "version", d.version.number, "reused",
                      d.reused, "instances", list);
    deploy_outcome_free(&d);
    return reply;
}

/* --- instances ---------------------------------------------------------------------------------------- */

/* The webhook URL as the caller reached this server (its Host header), else
 * as `srcfn connect` prints it. */
static char *webhook_url(const server_request *req, const char *token)
{
    const char *host = mgmt_header(req, "Host");
    if (!host || !*host || strpbrk(host, "/ \t\r\n"))
        return instance_webhook_url(token);
    char *url = NULL;
    if (asprintf(&url, "http://%s/hooks/%s", host, token) < 0)
        abort();
    return url;
}

/* Reads the body into spec (*endpoint malloc'd); a reply on bad input. */
static json_t *connect_spec_from(mgmt_call *c, connect_spec *spec, char **endpoint, int *status)
{
    static const field fields[] = {{"function", JSON_STRING, 1}, {"name", JSON_STRING, 1},
                                   {"settings", JSON_OBJECT, 0}, {"writeKey", JSON_STRING, 0},
                                   {"endpoint", JSON_STRING, 0}};
    json_t *reply = check_fields(c->body, fields, sizeof fields / sizeof fields[0], status);
    if (reply)
        return reply;
    memset(spec, 0, sizeof *spec);
    spec->function = c->function;
    spec->instance = json_string_value(json_object_get(c->body, "name"));
    spec->values = json_object_get(c->body, "settings");
    spec->write_key = json_string_value(json_object_get(c->body, "writeKey"));
    const char *ep = json_string_value(json_object_get(c->body, "endpoint"));
    if (!workspace_valid_name(spec->instance))
        return mgmt_refuse(status, 400, "\"%s\" is not a valid instance name", spec->instance);
    if (spec->write_key && !ops_valid_write_key(spec->write_key))
        return mgmt_refuse(status, 400, "the write key must be 1 to 256 printable characters without spaces or ':'");
    if (ep && !(*endpoint = ops_normal_endpoint(ep)))
        return mgmt_refuse(status, 400, "the endpoint must be an http:// or https:// URL, or - (got \"%s\")", ep);
    spec->endpoint = *endpoint;
    return NULL;
}

static json_t *connected(const server_request *req, const connect_outcome *o)
{
    const instance_row *r = &o->row;
    char *url = webhook_url(req, r->token);
    json_t *doc = json_pack("{s:s, s:s, s:i, s:o, s:s, s:s, s:s, s:s, s:o}", "name", r->name, "function",
                            r->function, "version", r->version, "deployed", version_or_null(o->deployed), "url",
                            url, "token", r->token, "writeKey", r->write_key, "endpoint", r->endpoint, "settings",
                            instances_public_settings(o->decl, r->settings));
    free(url);
    if (!doc)
        abort();
    return doc;
}

json_t *mgmt_connect(mgmt_call *c, int *status)
{
    connect_spec spec;
    char *endpoint = NULL, *err = NULL;
    json_t *reply = connect_spec_from(c, &spec, &endpoint, status);
    int never = reply ? 0 : ops_never_deployed(c->db, c->function, &err);
    if (never < 0)
        reply = failed(status, err);
    else if (never)   /* connecting deploys it first */
        reply = mgmt_also_needs(c, AUTHZ_FUNCTIONS_DEPLOY, c->function, status);
    if (!reply) {
        connect_outcome out;
        ops_status done = ops_connect(c->db, c->root, &spec, &out, &err);
        reply = done == OPS_OK ? connected(c->req, &out) : ops_refusal(done, status, err);
        if (done == OPS_OK)
            *status = 201;
        connect_outcome_free(&out);
    }
    free(endpoint);
    return reply;
}

json_t *mgmt_disconnect(mgmt_call *c, int *status)
{
    char *err = NULL;
    int removed = instance_delete(c->db, c->param, &err);
    if (removed < 0)
        return failed(status, err);
    if (!removed)
        return mgmt_refuse(status, 404, "no instance \"%s\" in this workspace", c->param);
    return json_pack("{s:s, s:s}", "disconnected", c->param, "function", c->function);
}

json_t *mgmt_errors(mgmt_call *c, int *status)
{
    char *err = NULL;
    json_t *list = errlog_list(c->db, c->param, store_now_ms(), &err);
    if (!list)
        return failed(status, err);
    return json_pack("{s:s, s:s, s:o}", "instance", c->param, "function", c->function, "errors", list);
}
