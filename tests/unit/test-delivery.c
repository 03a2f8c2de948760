/*
 * Delivery (webhook/delivery.c) against a stand-in for Segment's APIs
 * (tests/e2e/fixtures/segment-api/server.js, spawned here and always killed
 * at exit): batches reach POST /v1/batch with Basic auth and the added fields,
 * in order; objects reach POST /v1/set in the Object API's shape; failed
 * batches come back with the same messageIds until accepted, and nothing
 * arrives twice once accepted; rows survive a stop; endpoint "-" writes JSON
 * lines; batches respect the 500 KB and 10-object limits.
 * Runs from the repository root (tests/run.sh does).
 */
#include <curl/curl.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/unit/check.h"
#include "webhook/delivery.h"
#include "workspace/instances.h"
#include "workspace/store.h"
#include "workspace/workspace.h"

#define SERVER_JS "tests/e2e/fixtures/segment-api/server.js"
#define RECEIVED_AT 1700000000123LL
#define RECEIVED_AT_ISO "2023-11-14T22:13:20.123Z"

extern char **environ;

static pid_t server_pid;
static int server_port;
static char workdir[64];

/* ---- the test server ------------------------------------------------------ */

static void stop_server(void)
{
    if (server_pid > 0) {
        kill(server_pid, SIGTERM);
        waitpid(server_pid, NULL, 0);
        server_pid = 0;
    }
}

static int start_server(void)
{
    char port_file[128];
    snprintf(port_file, sizeof port_file, "%s/port", workdir);
    posix_spawn_file_actions_t fa;
    if (posix_spawn_file_actions_init(&fa) != 0 ||
        posix_spawn_file_actions_addopen(&fa, 1, port_file, O_WRONLY | O_CREAT | O_TRUNC, 0600) != 0)
        return -1;
    char *argv[] = {"node", SERVER_JS, NULL};
    int rc = posix_spawnp(&server_pid, "node", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        return -1;
    for (int i = 0; i < 200 && server_port == 0; i++) {
        FILE *f = fopen(port_file, "r");
        if (f) {
            if (fscanf(f, "%d", &server_port) != 1)
                server_port = 0;
            fclose(f);
        }
        if (server_port == 0)
            usleep(50 * 1000);
    }
    return server_port > 0 ? 0 : -1;
}

static size_t collect(char *data, size_t size, size_t nmemb, void *arg)
{
    FILE *f = arg;
    return fwrite(data, size, nmemb, f);
}

/* method path [body] against the test server; the answer parsed, or NULL. */
static json_t *call(const char *path, const char *body)
{
    char url[128], *text = NULL;
    size_t len = 0;
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", server_port, path);
    FILE *mem = open_memstream(&text, &len);
    CURL *c = curl_easy_init();
    int ok = mem && c && curl_easy_setopt(c, CURLOPT_URL, url) == CURLE_OK &&
             curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect) == CURLE_OK &&
             curl_easy_setopt(c, CURLOPT_WRITEDATA, (void *)mem) == CURLE_OK &&
             (!body || curl_easy_setopt(c, CURLOPT_POSTFIELDS, body) == CURLE_OK) &&
             curl_easy_perform(c) == CURLE_OK;
    curl_easy_cleanup(c);
    if (mem)
        fclose(mem);
    json_t *doc = ok ? json_loads(text, 0, NULL) : NULL;
    free(text);
    return doc;
}

static void set_failures(int n)
{
    char body[32];
    snprintf(body, sizeof body, "{\"n\": %d}", n);
    json_decref(call("/_fail", body));
}

/* ---- the workspace ---------------------------------------------------------- */

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static void cleanup(void)
{
    stop_server();
    if (workdir[0])
        nftw(workdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void add_instance(sqlite3 *db, const char *name, const char *endpoint)
{
    char *err = NULL;
    instance_row r = {.name = (char *)name, .function = "fn", .version = 1, .token = (char *)name,
                      .settings = json_object(), .write_key = "wk_test", .endpoint = (char *)endpoint};
    if (instance_insert(db, &r, &err) != 0) {
        printf("FAIL delivery: cannot add instance %s: %s\n", name, err);
        exit(1);
    }
    json_decref(r.settings);
}

static int outbox_count(sqlite3 *db, const char *instance, int *max_attempts)
{
    sqlite3_stmt *st = store_prepare(db, "SELECT COUNT(*), COALESCE(MAX(attempts), 0) FROM outbox WHERE instance = ?");
    int n = -1;
    if (st && sqlite3_bind_text(st, 1, instance, -1, SQLITE_STATIC) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
        n = sqlite3_column_int(st, 0);
        if (max_attempts)
            *max_attempts = sqlite3_column_int(st, 1);
    }
    sqlite3_finalize(st);
    return n;
}

/* Waits until the instance's outbox is empty; 0, or -1 after timeout_ms. */
static int wait_empty(sqlite3 *db, const char *instance, int timeout_ms)
{
    for (int waited = 0; waited < timeout_ms; waited += 20) {
        if (outbox_count(db, instance, NULL) == 0)
            return 0;
        usleep(20 * 1000);
    }
    return -1;
}

static void enqueue(sqlite3 *db, const char *instance, const char *events, const char *objects)
{
    json_t *ev = json_loads(events, 0, NULL), *ob = json_loads(objects, 0, NULL);
    if (!ev || !ob || store_begin(db) != 0 || delivery_enqueue(db, instance, ev, ob, RECEIVED_AT) != 0 ||
        store_commit(db) != 0) {
        printf("FAIL delivery: cannot enqueue\n");
        exit(1);
    }
    json_decref(ev);
    json_decref(ob);
}

static delivery *start(int batch_max, const char *objects_endpoint, FILE *out)
{
    char *err = NULL;
    delivery_options opt = {.backoff_base_ms = 50, .batch_max = batch_max,
                            .objects_endpoint = objects_endpoint, .out = out};
    delivery *d = delivery_start(workdir, &opt, &err);
    if (!d) {
        printf("FAIL delivery: cannot start: %s\n", err);
        exit(1);
    }
    delivery_notify(d);
    return d;
}

/* ---- checks on what arrived ----------------------------------------------------- */

static int is_uuid_v4(const char *s)
{
    if (!s || strlen(s) != 36 || s[14] != '4' || !strchr("89ab", s[19]))
        return 0;
    for (int i = 0; i < 36; i++) {
        int dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !strchr("0123456789abcdef", s[i]))
            return 0;
    }
    return 1;
}

static int is_iso_ms(const char *s)
{
    return s && strlen(s) == 24 && s[4] == '-' && s[10] == 'T' && s[19] == '.' && s[23] == 'Z';
}

/* Requests from index `from` on, with path `path` and status `status` (0: any). */
static json_t *requests(json_t *all, size_t from, const char *path, int status)
{
    json_t *out = json_array();
    for (size_t i = from; i < json_array_size(all); i++) {
        json_t *r = json_array_get(all, i);
        if (strcmp(json_string_value(json_object_get(r, "path")), path) == 0 &&
            (!status || json_integer_value(json_object_get(r, "status")) == status))
            json_array_append(out, r);
    }
    return out;
}

/* The messages of the batches in reqs, in order. */
static json_t *messages(json_t *reqs, const char *field)
{
    json_t *out = json_array();
    size_t i;
    json_t *r;
    json_array_foreach(reqs, i, r) {
        json_array_extend(out, json_object_get(json_object_get(r, "body"), field));
    }
    return out;
}

static const char *str(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static int all_auth(json_t *reqs, const char *auth)
{
    size_t i;
    json_t *r;
    json_array_foreach(reqs, i, r) {
        if (!str(r, "auth") || strcmp(str(r, "auth"), auth) != 0 ||
            strcmp(str(r, "contentType"), "application/json") != 0)
            return 0;
    }
    return json_array_size(reqs) > 0;
}

static int max_batch(json_t *reqs, const char *field)
{
    size_t i, most = 0;
    json_t *r;
    json_array_foreach(reqs, i, r) {
        size_t n = json_array_size(json_object_get(json_object_get(r, "body"), field));
        if (n > most)
            most = n;
    }
    return (int)most;
}

/* Whether every message of failed also arrived in accepted (same messageId). */
static int retried_same_ids(json_t *failed, json_t *accepted)
{
    size_t i, j;
    json_t *f, *a;
    json_array_foreach(failed, i, f) {
        int seen = 0;
        json_array_foreach(accepted, j, a) {
            seen |= strcmp(str(f, "messageId"), str(a, "messageId")) == 0;
        }
        if (!seen)
            return 0;
    }
    return 1;
}

static int distinct_ids(json_t *msgs)
{
    size_t i, j;
    json_t *a, *b;
    json_array_foreach(msgs, i, a) {
        json_array_foreach(msgs, j, b) {
            if (j > i && strcmp(str(a, "messageId"), str(b, "messageId")) == 0)
                return 0;
        }
    }
    return 1;
}

/* ---- the tests ------------------------------------------------------------------- */

static void check_events(json_t *all)
{
    json_t *ok = requests(all, 0, "/v1/batch", 200);
    json_t *failed = requests(all, 0, "/v1/batch", 500);
    json_t *msgs = messages(ok, "batch");
    json_t *lost = messages(failed, "batch");
    json_t *every = requests(all, 0, "/v1/batch", 0);
    CHECK("delivery: Basic auth with the write key and JSON", all_auth(every, "wk_test:"));
    json_decref(every);
    CHECK("delivery: the first batch failed and was retried", json_array_size(failed) >= 1);
    CHECK("delivery: batches hold at most batch_max", max_batch(ok, "batch") == 2);
    CHECK("delivery: every event arrived once, in order", json_array_size(msgs) == 3 && distinct_ids(msgs) &&
          strcmp(str(json_array_get(msgs, 0), "event"), "A") == 0 &&
          strcmp(str(json_array_get(msgs, 1), "type"), "identify") == 0 &&
          strcmp(str(json_array_get(msgs, 2), "event"), "C") == 0);
    CHECK("delivery: failed messages come back with the same messageId", retried_same_ids(lost, msgs));
    json_t *a = json_array_get(msgs, 0), *b = json_array_get(msgs, 1);
    CHECK("delivery: messageId is a UUID v4", is_uuid_v4(str(a, "messageId")));
    CHECK("delivery: a given messageId is kept", strcmp(str(b, "messageId"), "fixed-id") == 0);
    CHECK("delivery: receivedAt is when the webhook arrived", strcmp(str(a, "receivedAt"), RECEIVED_AT_ISO) == 0);
    CHECK("delivery: sentAt is ISO 8601 with ms", is_iso_ms(str(a, "sentAt")));
    json_t *lib = json_object_get(json_object_get(a, "context"), "library");
    CHECK("delivery: context.library names srcfn", strcmp(str(lib, "name"), "srcfn") == 0 &&
          strcmp(str(lib, "version"), SRCFN_VERSION) == 0);
    CHECK("delivery: an existing context keeps its fields",
          strcmp(str(json_object_get(b, "context"), "ip"), "1.2.3.4") == 0 &&
          json_object_get(json_object_get(b, "context"), "library"));
    json_decref(ok);
    json_decref(failed);
    json_decref(msgs);
    json_decref(lost);
}

static void check_objects(json_t *all, const char *path)
{
    json_t *ok = requests(all, 0, path, 200);
    CHECK("objects: Basic auth with the write key and JSON", all_auth(ok, "wk_test:"));
    CHECK("objects: one request per collection", json_array_size(ok) == 2);
    json_t *first = json_object_get(json_array_get(ok, 0), "body");
    json_t *want = json_loads("{\"collection\":\"products\",\"objects\":[{\"id\":\"p1\",\"properties\":"
                              "{\"name\":\"Air Max\",\"size\":11}},{\"id\":\"p2\",\"properties\":{}}]}", 0, NULL);
    CHECK("objects: {collection, objects: [{id, properties}]}", json_equal(first, want));
    json_t *second = json_object_get(json_array_get(ok, 1), "body");
    CHECK("objects: the other collection", strcmp(str(second, "collection"), "users") == 0 &&
          json_array_size(json_object_get(second, "objects")) == 1);
    json_decref(want);
    json_decref(ok);
}

static void test_delivery_and_retries(sqlite3 *db)
{
    char endpoint[64];
    snprintf(endpoint, sizeof endpoint, "http://127.0.0.1:%d/", server_port);
    add_instance(db, "src1", endpoint);
    set_failures(2);
    enqueue(db, "src1",
            "[{\"type\":\"track\",\"event\":\"A\",\"userId\":\"u1\"},"
            "{\"type\":\"identify\",\"userId\":\"u1\",\"messageId\":\"fixed-id\",\"context\":{\"ip\":\"1.2.3.4\"}},"
            "{\"type\":\"track\",\"event\":\"C\",\"userId\":\"u1\",\"properties\":{\"price\":0.1}}]",
            "[{\"collection\":\"products\",\"id\":\"p1\",\"properties\":{\"name\":\"Air Max\",\"size\":11}},"
            "{\"collection\":\"products\",\"id\":\"p2\"},"
            "{\"collection\":\"users\",\"id\":\"u1\",\"properties\":{\"plan\":\"pro\"}}]");
    delivery *d = start(2, NULL, NULL);
    CHECK("delivery: the outbox empties", wait_empty(db, "src1", 20000) == 0);
    delivery_stop(d);
    json_t *all = call("/_received", NULL);
    check_events(all);
    check_objects(all, "/v1/set");
    json_decref(all);
}

static void test_durable_across_stop(sqlite3 *db)
{
    set_failures(1000);
    enqueue(db, "src1", "[{\"type\":\"track\",\"event\":\"Durable\",\"userId\":\"u2\"}]", "[]");
    delivery *d = start(10, NULL, NULL);
    int attempts = 0;
    for (int i = 0; i < 500 && attempts < 2; i++) {
        usleep(10 * 1000);
        outbox_count(db, "src1", &attempts);
    }
    delivery_stop(d);
    CHECK("durable: failed attempts counted", attempts >= 2);
    CHECK("durable: the message stays queued after stop", outbox_count(db, "src1", NULL) == 1);
    json_t *before = call("/_received", NULL);
    size_t from = json_array_size(before);
    json_decref(before);
    set_failures(0);
    d = start(10, NULL, NULL);
    CHECK("durable: a new start delivers it", wait_empty(db, "src1", 10000) == 0);
    delivery_stop(d);
    json_t *all = call("/_received", NULL);
    json_t *ok = requests(all, from, "/v1/batch", 200);
    json_t *msgs = messages(ok, "batch");
    CHECK("durable: delivered once", json_array_size(msgs) == 1 &&
          strcmp(str(json_array_get(msgs, 0), "event"), "Durable") == 0);
    json_decref(msgs);
    json_decref(ok);
    json_decref(all);
}

static void test_limits(sqlite3 *db)
{
    json_t *before = call("/_received", NULL);
    size_t from = json_array_size(before);
    json_decref(before);
    char *big = malloc(200 * 1000 + 1);
    memset(big, 'x', 200 * 1000);
    big[200 * 1000] = '\0';
    json_t *events = json_array();
    for (int i = 0; i < 5; i++)
        json_array_append_new(events, json_pack("{s:s, s:s, s:{s:s}}", "type", "track", "event", "Big", "properties",
                                                "blob", big));
    json_t *objects = json_array();
    for (int i = 0; i < 12; i++)
        json_array_append_new(objects, json_pack("{s:s, s:i}", "collection", "rooms", "id", i));
    free(big);
    CHECK("limits: enqueued", store_begin(db) == 0 && delivery_enqueue(db, "src1", events, objects, RECEIVED_AT) == 0 &&
                                  store_commit(db) == 0);
    json_decref(events);
    json_decref(objects);
    char objects_base[64];
    snprintf(objects_base, sizeof objects_base, "http://127.0.0.1:%d/objects", server_port);
    delivery *d = start(100, objects_base, NULL);
    CHECK("limits: the outbox empties", wait_empty(db, "src1", 20000) == 0);
    delivery_stop(d);
    json_t *all = call("/_received", NULL);
    json_t *batches = requests(all, from, "/v1/batch", 200);
    json_t *sets = requests(all, from, "/objects/v1/set", 200);
    size_t i;
    json_t *r;
    int under = 1;
    json_array_foreach(batches, i, r) {
        under &= json_integer_value(json_object_get(r, "size")) < DELIVERY_BATCH_BYTES;
    }
    json_t *msgs = messages(batches, "batch");
    CHECK("limits: batches stay under 500 KB", under && json_array_size(batches) >= 3);
    CHECK("limits: all big events arrived", json_array_size(msgs) == 5 && distinct_ids(msgs));
    CHECK("limits: objects_endpoint option is the Object API base", json_array_size(sets) == 2);
    CHECK("limits: at most 10 objects per request", max_batch(sets, "objects") == 10);
    json_decref(msgs);
    json_decref(batches);
    json_decref(sets);
    json_decref(all);
}

static void test_stdout(sqlite3 *db)
{
    add_instance(db, "local", "-");
    char path[128];
    snprintf(path, sizeof path, "%s/lines", workdir);
    FILE *out = fopen(path, "w+");
    if (!out) {
        printf("FAIL stdout: cannot open %s\n", path);
        return;
    }
    enqueue(db, "local",
            "[{\"type\":\"track\",\"event\":\"L1\",\"userId\":\"u\"},{\"type\":\"page\",\"userId\":\"u\"}]",
            "[{\"collection\":\"c\",\"id\":\"o1\"}]");
    delivery *d = start(10, NULL, out);
    CHECK("stdout: the outbox empties", wait_empty(db, "local", 10000) == 0);
    delivery_stop(d);
    rewind(out);
    char line[4096];
    json_t *lines = json_array();
    while (fgets(line, sizeof line, out))
        json_array_append_new(lines, json_loads(line, 0, NULL));
    fclose(out);
    json_t *first = json_array_get(lines, 0);
    CHECK("stdout: one JSON line per message", json_array_size(lines) == 3);
    CHECK("stdout: events first, with the added fields",
          strcmp(str(first, "event"), "L1") == 0 && is_uuid_v4(str(first, "messageId")) &&
          is_iso_ms(str(first, "sentAt")) && strcmp(str(first, "receivedAt"), RECEIVED_AT_ISO) == 0 &&
          json_object_get(json_object_get(first, "context"), "library"));
    CHECK("stdout: the object as set", strcmp(str(json_array_get(lines, 2), "collection"), "c") == 0);
    json_decref(lines);
}

static void test_unknown_instance(sqlite3 *db)
{
    enqueue(db, "ghost", "[{\"type\":\"track\",\"event\":\"G\",\"userId\":\"u\"}]", "[]");
    delivery *d = start(10, NULL, NULL);
    usleep(300 * 1000);
    int attempts = -1;
    CHECK("unknown instance: its messages stay queued, untouched",
          outbox_count(db, "ghost", &attempts) == 1 && attempts == 0);
    char endpoint[64];
    snprintf(endpoint, sizeof endpoint, "http://127.0.0.1:%d", server_port);
    add_instance(db, "ghost", endpoint);
    delivery_notify(d);
    CHECK("unknown instance: delivered once an instance of that name exists", wait_empty(db, "ghost", 10000) == 0);
    delivery_stop(d);
}

static int group_count(sqlite3 *db, const char *instance, const char *kind)
{
    sqlite3_stmt *st = store_prepare(db, "SELECT COUNT(*) FROM outbox WHERE instance = ? AND kind = ?");
    int n = -1;
    if (st && sqlite3_bind_text(st, 1, instance, -1, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* Waits until the instance's group holds n rows; 0, or -1 after timeout_ms. */
static int wait_group(sqlite3 *db, const char *instance, const char *kind, int n, int timeout_ms)
{
    for (int waited = 0; waited < timeout_ms; waited += 20) {
        if (group_count(db, instance, kind) == n)
            return 0;
        usleep(20 * 1000);
    }
    return -1;
}

/* The events of the batches answered status since from, in order of arrival. */
static char *events_answered(size_t from, int status)
{
    json_t *all = call("/_received", NULL), *reqs = requests(all, from, "/v1/batch", status);
    json_t *msgs = messages(reqs, "batch");
    char *names = calloc(1, 256);
    for (size_t i = 0; names && i < json_array_size(msgs); i++) {
        const char *e = str(json_array_get(msgs, i), "event");
        snprintf(names + strlen(names), 256 - strlen(names), "%s%s", i ? "," : "", e ? e : "?");
    }
    json_decref(msgs);
    json_decref(reqs);
    json_decref(all);
    return names;
}

/* A message the endpoint refuses (400) is set aside, kept, and the others go:
 * before, its batch was retried for ever, and every later event behind it. */
static void test_refused_message(sqlite3 *db)
{
    char endpoint[64];
    snprintf(endpoint, sizeof endpoint, "http://127.0.0.1:%d/", server_port);
    add_instance(db, "src4", endpoint);
    json_t *before = call("/_received", NULL);
    size_t from = json_array_size(before);
    json_decref(before);
    enqueue(db, "src4",
            "[{\"type\":\"track\",\"event\":\"A\",\"userId\":\"u\"},{\"type\":\"track\",\"event\":\"Refuse\",\"userId\":\"u\"},"
            "{\"type\":\"track\",\"event\":\"B\",\"userId\":\"u\"}]", "[]");
    delivery *d = start(10, NULL, NULL);
    CHECK("refused: the others leave the outbox", wait_group(db, "src4", "event", 0, 10000) == 0);
    CHECK("refused: the refused one is kept, set aside", group_count(db, "src4", "event-refused") == 1);
    enqueue(db, "src4", "[{\"type\":\"track\",\"event\":\"C\",\"userId\":\"u\"}]", "[]");
    delivery_notify(d);
    CHECK("refused: a later event is not held up by it", wait_group(db, "src4", "event", 0, 10000) == 0);
    delivery_stop(d);
    char *ok = events_answered(from, 200), *refused = events_answered(from, 400);
    CHECK("refused: A and B were accepted, each alone after the batch was refused, then C",
          ok && strcmp(ok, "A,B,C") == 0);
    CHECK("refused: the batch, then the message alone, were refused",
          refused && strcmp(refused, "A,Refuse,B,Refuse") == 0);
    free(ok);
    free(refused);
}

int main(void)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return 1;
    strcpy(workdir, "/tmp/srcfn-delivery-XXXXXX");
    char *err = NULL;
    if (!mkdtemp(workdir) || workspace_init(workdir, &err) != 0) {
        printf("FAIL delivery: cannot make a workspace\n");
        return 1;
    }
    atexit(cleanup);
    if (start_server() != 0) {
        printf("FAIL delivery: the test server (node %s) does not start\n", SERVER_JS);
        return 1;
    }
    sqlite3 *db = store_open(workdir, &err);
    if (!db) {
        printf("FAIL delivery: %s\n", err);
        return 1;
    }
    test_delivery_and_retries(db);
    test_durable_across_stop(db);
    test_limits(db);
    test_stdout(db);
    test_unknown_instance(db);
    test_refused_message(db);
    store_close(db);
    curl_global_cleanup();
    return check_failures ? 1 : 0;
}
