/*
 * The workspace API `srcfn serve` relies on and the command-line tests do not
 * reach: looking an instance up by token, loading a version, the change stamp
 * a server polls; and the table of --setting readers, case by case.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/unit/check.h"
#include "workspace/deploy.h"
#include "workspace/instances.h"
#include "workspace/store.h"
#include "workspace/workspace.h"

static json_t *decl(void)
{
    return json_loads("[{\"name\":\"key\",\"type\":\"STRING\",\"required\":true,\"sensitive\":true},"
                      "{\"name\":\"on\",\"type\":\"BOOLEAN\"},{\"name\":\"list\",\"type\":\"ARRAY\"},"
                      "{\"name\":\"map\",\"type\":\"TEXT_MAP\"}]",
                      0, NULL);
}

/* Whether reading pairs gives expected (a JSON text), or fails (expected
 * NULL) with a message containing why. */
static int reads(const char *a, const char *b, const char *expected, const char *why)
{
    json_t *d = decl();
    char *pairs[2] = {(char *)a, (char *)b};
    json_t *values = NULL;
    char *err = NULL;
    int rc = instances_parse_settings(d, pairs, b ? 2 : 1, &values, &err);
    int ok;
    if (expected) {
        json_t *want = json_loads(expected, 0, NULL);
        ok = rc == 0 && json_equal(values, want);
        if (!ok)
            printf("  got error: %s\n", err ? err : "(none)");
        json_decref(want);
    } else {
        ok = rc != 0 && !values && err && strstr(err, why);
        if (!ok)
            printf("  got: %s\n", err ? err : "(success)");
    }
    free(err);
    json_decref(values);
    json_decref(d);
    return ok;
}

static void test_setting_readers(void)
{
    CHECK("settings: STRING as is", reads("key=a=b c", NULL, "{\"key\":\"a=b c\"}", NULL));
    CHECK("settings: BOOLEAN true", reads("key=k", "on=true", "{\"key\":\"k\",\"on\":true}", NULL));
    CHECK("settings: BOOLEAN FALSE", reads("key=k", "on=FALSE", "{\"key\":\"k\",\"on\":false}", NULL));
    CHECK("settings: BOOLEAN yes refused", reads("key=k", "on=yes", NULL, "\"on\" must be a boolean"));
    CHECK("settings: ARRAY comma-separated, trimmed, empties dropped",
          reads("key=k", "list= a , b,,c,", "{\"key\":\"k\",\"list\":[\"a\",\"b\",\"c\"]}", NULL));
    CHECK("settings: ARRAY empty", reads("key=k", "list=", "{\"key\":\"k\",\"list\":[]}", NULL));
    CHECK("settings: ARRAY JSON", reads("key=k", "list=[\"x,y\"]", "{\"key\":\"k\",\"list\":[\"x,y\"]}", NULL));
    CHECK("settings: ARRAY JSON of numbers refused", reads("key=k", "list=[1]", NULL, "\"list\" must be an array"));
    CHECK("settings: ARRAY broken JSON refused", reads("key=k", "list=[\"a\"", NULL, "\"list\""));
    CHECK("settings: TEXT_MAP pairs, value keeps later colons",
          reads("key=k", "map=a:1, b : http://x", "{\"key\":\"k\",\"map\":{\"a\":\"1\",\"b\":\"http://x\"}}", NULL));
    CHECK("settings: TEXT_MAP JSON", reads("key=k", "map={\"a\":\"b\"}", "{\"key\":\"k\",\"map\":{\"a\":\"b\"}}", NULL));
    CHECK("settings: TEXT_MAP JSON with a number refused", reads("key=k", "map={\"a\":1}", NULL, "\"map\" must be a map"));
    CHECK("settings: TEXT_MAP item without : refused", reads("key=k", "map=a", NULL, "\"map\""));
    CHECK("settings: TEXT_MAP empty key refused", reads("key=k", "map=:v", NULL, "\"map\""));
    CHECK("settings: required missing refused", reads("on=true", NULL, NULL, "\"key\" is required"));
    CHECK("settings: required empty refused", reads("key=", NULL, NULL, "\"key\" is required"));
    CHECK("settings: undeclared refused", reads("key=k", "nope=1", NULL, "\"nope\" is not declared"));
    CHECK("settings: twice refused", reads("key=k", "key=j", NULL, "\"key\" is given twice"));
    CHECK("settings: no = refused", reads("key", NULL, NULL, "NAME=VALUE"));

    json_t *d = decl();
    json_t *v = json_pack("{s:s, s:b}", "key", "secret", "on", 1);
    json_t *shown = instances_public_settings(d, v);
    CHECK("settings: sensitive values hidden for display",
          strcmp(json_string_value(json_object_get(shown, "key")), "secret") != 0 &&
              json_is_true(json_object_get(shown, "on")) &&
              strcmp(json_string_value(json_object_get(v, "key")), "secret") == 0);
    json_decref(shown);
    json_decref(v);
    json_decref(d);
}

static void test_manifest_checks(void)
{
    static const struct {
        const char *manifest;
        const char *why; /* NULL: accepted */
    } cases[] = {
        {"{}", NULL},
        {"{\"settings\":[{\"name\":\"$a_1\",\"type\":\"TEXT_MAP\",\"required\":false}]}", NULL},
        {"{\"settings\":{}}", "must be an array"},
        {"{\"settings\":[1]}", "must be an object"},
        {"{\"settings\":[{\"name\":\"a-b\",\"type\":\"STRING\"}]}", "JavaScript identifier"},
        {"{\"settings\":[{\"name\":\"\",\"type\":\"STRING\"}]}", "JavaScript identifier"},
        {"{\"settings\":[{\"name\":\"a\",\"type\":\"string\"}]}", "unknown type"},
        {"{\"settings\":[{\"name\":\"a\",\"type\":\"STRING\",\"sensitive\":1}]}", "\"sensitive\" must be"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *m = json_loads(cases[i].manifest, 0, NULL);
        char *err = NULL;
        int rc = deploy_check_manifest(m, &err);
        char name[256];
        snprintf(name, sizeof name, "manifest: %s %s", cases[i].manifest, cases[i].why ? "refused" : "accepted");
        CHECK(name, cases[i].why ? rc != 0 && err && strstr(err, cases[i].why) : rc == 0);
        free(err);
        json_decref(m);
    }
}

static void test_store_api(void)
{
    char dir[] = "/tmp/srcfn-test-instances-XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK("store: temp dir", 0);
        return;
    }
    char *err = NULL;
    CHECK("store: workspace_init", workspace_init(dir, &err) == 0);
    sqlite3 *db = store_open(dir, &err);
    CHECK("store: opens", db != NULL);
    if (!db) {
        free(err);
        return;
    }

    fn_version v = {0};
    v.function = strdup("fn");
    v.code = strdup("async function onRequest() {}");
    v.code_len = strlen(v.code);
    v.manifest = json_pack("{s:[]}", "settings");
    int reused = -1;
    CHECK("deploy_record: first is version 1", deploy_record(db, &v, &reused, &err) == 0 && v.number == 1 && !reused);
    CHECK("deploy_record: same again reused", deploy_record(db, &v, &reused, &err) == 0 && v.number == 1 && reused);
    json_object_set_new(v.manifest, "description", json_string("changed"));
    CHECK("deploy_record: a changed manifest is version 2",
          deploy_record(db, &v, &reused, &err) == 0 && v.number == 2 && !reused);
    int latest = 0;
    CHECK("deploy_latest: 2", deploy_latest(db, "fn", &latest, &err) == 1 && latest == 2);
    CHECK("deploy_latest: none for another function", deploy_latest(db, "other", &latest, &err) == 0 && latest == 0);

    fn_version got;
    CHECK("deploy_load: version 1", deploy_load(db, "fn", 1, &got, &err) == 1 && got.number == 1 &&
                                        strcmp(got.code, v.code) == 0 &&
                                        !json_object_get(got.manifest, "description"));
    fn_version_free(&got);
    CHECK("deploy_load: 0 is the newest", deploy_load(db, "fn", 0, &got, &err) == 1 && got.number == 2);
    fn_version_free(&got);
    CHECK("deploy_load: a missing version", deploy_load(db, "fn", 7, &got, &err) == 0);
    fn_version_free(&v);

    int64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    CHECK("stamp: reads", instances_stamp(db, &s0, &err) == 0);
    instance_row r = {0};
    r.name = "inst";
    r.function = "fn";
    r.version = 1;
    r.token = instance_random_hex(INSTANCE_TOKEN_BYTES);
    r.settings = json_pack("{s:s}", "k", "v");
    r.write_key = "wk";
    r.endpoint = "-";
    CHECK("token: 32 hex characters", r.token && strlen(r.token) == 32 && strspn(r.token, "0123456789abcdef") == 32);
    CHECK("instance_insert", instance_insert(db, &r, &err) == 0);
    CHECK("instance_insert: the same name refused", instance_insert(db, &r, &err) != 0 && strstr(err, "already exists"));
    free(err);
    err = NULL;
    CHECK("stamp: moves on connect", instances_stamp(db, &s1, &err) == 0 && s1 != s0);

    instance_row found;
    CHECK("instance_by_token: finds it", instance_by_token(db, r.token, &found, &err) == 1 &&
                                             strcmp(found.name, "inst") == 0 && strcmp(found.function, "fn") == 0 &&
                                             found.version == 1 && strcmp(found.write_key, "wk") == 0 &&
                                             strcmp(found.endpoint, "-") == 0 &&
                                             json_equal(found.settings, r.settings));
    int64_t updated = found.updated_at;
    instance_row_free(&found);
    CHECK("instance_by_token: unknown token", instance_by_token(db, "nope", &found, &err) == 0);

    CHECK("instance_set_version", instance_set_version(db, "inst", 2, &err) == 0);
    CHECK("instance_get: version 2, updated_at moved on", instance_get(db, "inst", &found, &err) == 1 &&
                                                            found.version == 2 && found.updated_at > updated);
    instance_row_free(&found);
    CHECK("stamp: moves on deploy", instances_stamp(db, &s2, &err) == 0 && s2 != s1);
    CHECK("instance_set_version: unknown instance", instance_set_version(db, "nope", 1, &err) != 0);
    free(err);
    err = NULL;

    instance_row *rows = NULL;
    size_t n = 0;
    CHECK("instances_list: one", instances_list(db, "fn", &rows, &n, &err) == 0 && n == 1);
    instances_free(rows, n);
    CHECK("instances_list: none of another function", instances_list(db, "x", &rows, &n, &err) == 0 && n == 0);
    instances_free(rows, n);

    CHECK("instance_delete: removes", instance_delete(db, "inst", &err) == 1);
    CHECK("instance_delete: then none", instance_delete(db, "inst", &err) == 0);
    CHECK("stamp: moves on disconnect", instances_stamp(db, &s3, &err) == 0 && s3 != s2);

    char *url = instance_webhook_url("abc");
    setenv("SRCFN_PORT", "9123", 1);
    char *url2 = instance_webhook_url("abc");
    setenv("SRCFN_PORT", "bogus", 1);
    CHECK("url: default port", strcmp(url, "http://127.0.0.1:8720/hooks/abc") == 0);
    CHECK("url: SRCFN_PORT", strcmp(url2, "http://127.0.0.1:9123/hooks/abc") == 0);
    CHECK("url: a bad SRCFN_PORT falls back", instance_serve_port() == SERVE_DEFAULT_PORT);
    unsetenv("SRCFN_PORT");
    free(url);
    free(url2);

    free(r.token);
    json_decref(r.settings);
    store_close(db);
    free(err);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        printf("note: could not remove %s\n", dir);
}

int main(void)
{
    test_setting_readers();
    test_manifest_checks();
    test_store_api();
    return check_failures ? 1 : 0;
}
