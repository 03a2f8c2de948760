/*
 * What `srcfn serve` builds on and its end-to-end tests reach only in part:
 * jsonsort (sorted keys, numbers as sent, strings equal in meaning, the JSON
 * grammar and yajl's quirks), the listener's reading of Content-Type, the
 * listener's fast JSON check (jsoncheck, which must answer as jsonsort_valid),
 * the error log's limits (100 per instance, 30 days), and the queue's writer
 * (inserts, attempts, outcomes, recovery of interrupted runs, inserts that
 * nobody waits for, the log copied into the database as it grows, a run's
 * updates writing a few pages whatever the body's size), the store of an
 * earlier version (schema 1) carried over, and the registry's refresh on an
 * unknown token.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/unit/check.h"
#include "webhook/errlog.h"
#include "webhook/jsoncheck.h"
#include "webhook/jsonsort.h"
#include "webhook/queue.h"
#include "webhook/registry.h"
#include "webhook/server.h"
#include "workspace/instances.h"
#include "workspace/store.h"

/* Whether jsonsort turns in into want (NULL: refuses it). */
static int sorts(const char *in, const char *want)
{
    size_t len = 0;
    char *out = jsonsort(in, strlen(in), &len);
    int ok = want ? out && strcmp(out, want) == 0 && len == strlen(want) : out == NULL;
    if (!ok)
        printf("  %s -> %s\n", in, out ? out : "(refused)");
    if (ok && jsonsort_valid(in, strlen(in)) != (want != NULL))
        ok = 0;
    free(out);
    return ok;
}

static void test_jsonsort(void)
{
    CHECK("jsonsort: keys sorted at every depth",
          sorts("{\"b\":1,\"a\":{\"d\":[{\"z\":1,\"y\":2}],\"c\":2}}", "{\"a\":{\"c\":2,\"d\":[{\"y\":2,\"z\":1}]},\"b\":1}"));
    CHECK("jsonsort: whitespace dropped, numbers as sent",
          sorts(" { \"n\" : [ 1.50 , -0 , 2.5E-3 , 1e400 , 12345678901234567890 ] } ",
                "{\"n\":[1.50,-0,2.5E-3,1e400,12345678901234567890]}"));
    CHECK("jsonsort: strings equal in meaning (escapes normalised)",
          sorts("[\"a\\u00e9\\n\\\"\",\"é\",\"\\/\\u0001\\ud83d\\ude00\\u0000\"]",
                "[\"aé\\n\\\"\",\"é\",\"/\\u0001\xf0\x9f\x98\x80\\u0000\"]"));
    CHECK("jsonsort: a lone surrogate escape stays as sent",
          sorts("{\"b\":[\"\\ud800\",\"x\\udc00\",\"\\uD800\\u0041\",\"\\\\ud800\"],\"\\udfff\":1,\"a\":2}",
                "{\"a\":2,\"b\":[\"\\ud800\",\"x\\udc00\",\"\\uD800\\u0041\",\"\\\\ud800\"],\"\\udfff\":1}"));
    CHECK("jsonsort: escaped keys sort by their text", sorts("{\"\\u0062\":1,\"a\":2,\"c\":3}", "{\"a\":2,\"b\":1,\"c\":3}"));
    CHECK("jsonsort: equal keys keep their order (the last wins)", sorts("{\"b\":1,\"a\":1,\"b\":2}", "{\"a\":1,\"b\":1,\"b\":2}"));
    CHECK("jsonsort: uppercase before lowercase", sorts("{\"a\":1,\"B\":2}", "{\"B\":2,\"a\":1}"));
    CHECK("jsonsort: scalars and empty containers", sorts("\"x\"", "\"x\"") && sorts("true", "true") &&
                                                        sorts("null", "null") && sorts("{}", "{}") && sorts("[ ]", "[]"));
    CHECK("jsonsort: refuses broken JSON",
          sorts("{", NULL) && sorts("{\"a\":}", NULL) && sorts("01", NULL) && sorts("1.", NULL) &&
              sorts("[1,]", NULL) && sorts("{\"a\":1,}", NULL) && sorts("\"\\x\"", NULL) && sorts("\"a\tb\"", NULL) &&
              sorts("{} x", NULL) && sorts("", NULL) && sorts("-", NULL) && sorts("tru", NULL) &&
              sorts("{'a':1}", NULL) && sorts("\"\\u12\"", NULL) && sorts("[1 2]", NULL));
    CHECK("jsonsort: refuses an unfinished string after the value",
          sorts("0\"", NULL) && sorts("{} \"x", NULL) && sorts("[1]\"", NULL) && sorts("\"a\" \"", NULL));
    CHECK("jsonsort: \\v and \\f are not whitespace",
          sorts("[1]\v", NULL) && sorts("\f[1]", NULL) && sorts("[1,\v2]", NULL) && sorts("{\"a\"\f:1}", NULL));
    CHECK("jsonsort: refuses invalid UTF-8",
          sorts("[\"\xff\"]", NULL) && sorts("\"\xc3\"", NULL) && sorts("{\"\xe2\x82\":1}", NULL));
    char deep[2 * (JSONSORT_MAX_DEPTH + 1) + 1];
    memset(deep, '[', JSONSORT_MAX_DEPTH + 1);
    memset(deep + JSONSORT_MAX_DEPTH + 1, ']', JSONSORT_MAX_DEPTH + 1);
    deep[sizeof deep - 1] = '\0';
    CHECK("jsonsort: refuses nesting past the limit", !jsonsort_valid(deep, strlen(deep)));
    CHECK("jsonsort: accepts nesting at the limit", jsonsort_valid(deep + 1, strlen(deep) - 2));
    CHECK("jsonsort: refuses sorting past the limit", sorts(deep, NULL));
    /* 999 arrays around an object: sorted at depth 1000. */
    static char deep_in[2 * JSONSORT_MAX_DEPTH + 32], deep_out[sizeof deep_in];
    memset(deep_in, '[', JSONSORT_MAX_DEPTH - 1);
    memcpy(deep_out, deep_in, JSONSORT_MAX_DEPTH - 1);
    strcpy(deep_in + JSONSORT_MAX_DEPTH - 1, "{ \"b\": 1, \"a\": \"x\" }");
    strcpy(deep_out + JSONSORT_MAX_DEPTH - 1, "{\"a\":\"x\",\"b\":1}");
    memset(deep_in + strlen(deep_in), ']', JSONSORT_MAX_DEPTH - 1);
    memset(deep_out + strlen(deep_out), ']', JSONSORT_MAX_DEPTH - 1);
    CHECK("jsonsort: sorts nesting at the limit", sorts(deep_in, deep_out));
}

/* Whether jsoncheck_valid and jsonsort_valid agree on text (len bytes). */
static int agree(const char *text, size_t len)
{
    int a = jsoncheck_valid(text, len), b = jsonsort_valid(text, len);
    if (a != b)
        printf("  jsoncheck %d, jsonsort %d: %.*s\n", a, b, (int)(len > 60 ? 60 : len), text);
    return a == b;
}

static void test_jsoncheck(void)
{
    static const char *const texts[] = {
        "1", "-0", "01", "-01", "1.", "1.5", "1e5", "1E+5", "1e", "1.e5", ".5", "-", "+1", "0x10", "NaN",
        "true", "tru", "truex", "null", "[]", "[1,]", "[,1]", "{}", "{\"a\":1,}", "{\"a\"}", "{a:1}", "'a'",
        "\"a", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\x\"", "\"tab\there\"", "\"\x01\"",
        " 1 ", "\f1", "1\v", "[1] [2]", "{} x", "0\"", "{} \"x", "", "  ", "[1 2]", "{\"a\":1 \"b\":2}",
        "\"\xc3\xa9\"", "-0.0e-0", "1e400", "{\"a\":{\"b\":[1,2,{\"c\":null}]}}", "[1,2,3]]",
    };
    int ok = 1;
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        ok &= agree(texts[i], strlen(texts[i]));
    CHECK("jsoncheck: answers as jsonsort on the grammar's edge cases", ok);
    CHECK("jsoncheck: a raw NUL byte is not JSON", !jsoncheck_valid("[1]\0", 4) && !jsoncheck_valid("\"a\0b\"", 5));
    static char deep[2 * (JSONSORT_MAX_DEPTH + 1)];
    memset(deep, '[', JSONSORT_MAX_DEPTH + 1);
    memset(deep + JSONSORT_MAX_DEPTH + 1, ']', JSONSORT_MAX_DEPTH + 1);
    CHECK("jsoncheck: nesting past jsonsort's limit is refused, at the limit accepted",
          !jsoncheck_valid(deep, sizeof deep) && jsoncheck_valid(deep + 1, sizeof deep - 2));
    /* Mutations of a webhook-like body: a byte replaced, dropped or doubled. */
    static const char base[] = "{\"event\":\"order.paid\",\"data\":{\"id\":42,\"amount\":-12.5e-1,"
                               "\"tags\":[\"a\",\"b\\u00e9\\n\"],\"ok\":true,\"none\":null},\"list\":[[],{}]}";
    static const char alphabet[] = "{}[],:\"\\ 0123456789.eE+-truefalsn\t\nax";
    char text[sizeof base + 1];
    unsigned seed = 12345;
    ok = 1;
    for (int i = 0; i < 3000; i++) {
        size_t len = sizeof base - 1;
        memcpy(text, base, len);
        seed = seed * 1103515245u + 12345u;
        size_t at = (seed >> 8) % len;
        char with = alphabet[(seed >> 20) % (sizeof alphabet - 1)];
        if (i % 3 == 0) {
            text[at] = with;
        } else if (i % 3 == 1) {
            memmove(text + at, text + at + 1, len - at - 1);
            len--;
        } else {
            memmove(text + at + 1, text + at, len - at);
            text[at] = with;
            len++;
        }
        ok &= agree(text, len);
    }
    CHECK("jsoncheck: answers as jsonsort on 3000 mutated bodies", ok);
}

static void test_content_types(void)
{
    CHECK("content type: application/json", server_body_type("application/json") == SERVER_BODY_JSON);
    CHECK("content type: parameters and case ignored",
          server_body_type(" Application/JSON; charset=utf-8") == SERVER_BODY_JSON);
    CHECK("content type: +json suffix", server_body_type("application/vnd.api+json") == SERVER_BODY_JSON);
    CHECK("content type: form", server_body_type("application/x-www-form-urlencoded;charset=UTF-8") == SERVER_BODY_FORM);
    CHECK("content type: others refused",
          server_body_type("text/plain") == SERVER_BODY_OTHER && server_body_type(NULL) == SERVER_BODY_OTHER &&
              server_body_type("application/jsonx") == SERVER_BODY_OTHER &&
              server_body_type("text/x+json") == SERVER_BODY_OTHER &&
              server_body_type("multipart/form-data; boundary=x") == SERVER_BODY_OTHER);
}

static int add_error(sqlite3 *db, const char *instance, int64_t at, int attempt)
{
    json_t *request = json_pack("{s:s}", "method", "POST");
    json_t *logs = json_array();
    json_t *error = json_pack("{s:s, s:s, s:s, s:i}", "type", "Bad Request", "name", "Error", "message", "m", "line", 3);
    errlog_entry e = {instance, at, request, logs, error, attempt, 1};
    char *err = NULL;
    int rc = errlog_add(db, &e, &err);
    free(err);
    json_decref(request);
    json_decref(logs);
    json_decref(error);
    return rc;
}

static void test_errlog(sqlite3 *db)
{
    int64_t now = store_now_ms();
    int ok = add_error(db, "other", now, 1) == 0;
    for (int i = 1; i <= ERRLOG_KEEP + 5; i++)
        ok = ok && add_error(db, "i1", now - 1000 + i, i) == 0;
    char *err = NULL;
    json_t *list = errlog_list(db, "i1", now, &err);
    CHECK("errlog: entries are added", ok);
    CHECK("errlog: keeps the 100 most recent", json_array_size(list) == ERRLOG_KEEP);
    CHECK("errlog: newest first",
          json_integer_value(json_object_get(json_array_get(list, 0), "attempt")) == ERRLOG_KEEP + 5 &&
              json_integer_value(json_object_get(json_array_get(list, ERRLOG_KEEP - 1), "attempt")) == 6);
    json_t *first = json_array_get(list, 0);
    CHECK("errlog: an entry's fields",
          json_is_true(json_object_get(first, "final")) && json_integer_value(json_object_get(first, "line")) == 3 &&
              strcmp(json_string_value(json_object_get(first, "type")), "Bad Request") == 0 &&
              json_is_array(json_object_get(first, "logs")) &&
              strcmp(json_string_value(json_object_get(json_object_get(first, "request"), "method")), "POST") == 0);
    json_decref(list);
    add_error(db, "old", now - ERRLOG_MAX_AGE_MS - 5000, 1);
    add_error(db, "old", now - ERRLOG_MAX_AGE_MS + 60000, 2);
    list = errlog_list(db, "old", now, &err);
    CHECK("errlog: nothing older than 30 days", json_array_size(list) == 1);
    json_decref(list);
    list = errlog_list(db, "other", now, &err);
    CHECK("errlog: other instances keep theirs", json_array_size(list) == 1);
    json_decref(list);
    free(err);
}

static void count(void *ctx, int64_t id, const char *instance, int64_t next_at)
{
    (void)id;
    (void)next_at;
    if (strcmp(instance, "i1") == 0)
        (*(int *)ctx)++;
}

static void test_queue(const char *root)
{
    char *err = NULL;
    queue_writer *w = queue_writer_start(root, &err);
    queue_db *q = queue_open(root, &err);
    CHECK("queue: the writer starts", w && q);
    if (!w || !q)
        return;
    queued_request r = {0, "i1", 42, "POST", "https://fn.segmentapis.com/?a=1", json_pack("{s:s}", "X", "y"),
                        "{\"n\":1}", 7, 0};
    int64_t a = queue_insert(w, &r, &err), b = queue_insert(w, &r, &err);
    CHECK("queue: inserts return growing ids", a > 0 && b > a);
    queued_request got;
    CHECK("queue: a request reads back as stored",
          queue_load(q, a, &got, &err) == 1 && strcmp(got.url, r.url) == 0 && got.body_len == 7 &&
              memcmp(got.body, "{\"n\":1}", 7) == 0 && json_equal(got.headers, r.headers) && got.attempts == 0);
    queued_request_free(&got);
    int attempt = 0;
    CHECK("queue: starting a run counts the attempt",
          queue_start_run(w, a, &attempt, &err) == 1 && attempt == 1 && queue_start_run(w, a, &attempt, &err) == 1 &&
              attempt == 2);
    queue_outcome done = {.id = a, .instance = "i1", .received_at = 42, .state = "done",
                          .events = json_array(), .objects = json_array()};
    int next_attempt = -1;
    CHECK("queue: a success is recorded, and the next run marked with it",
          queue_settle(w, &done, b, &next_attempt, &err) == 0 && next_attempt == 1);
    CHECK("queue: a finished request does not start again", queue_start_run(w, a, &attempt, &err) == 0);
    json_decref(done.events);
    json_decref(done.objects);
    int pending = 0;
    int64_t last = 0;
    int reset = queue_reset_interrupted(q, &last, &err);
    int64_t c = queue_insert(w, &r, &err);   /* after the reset: a new request, not recovered */
    long n = queue_recover(q, last, count, &pending, &err);
    CHECK("queue: recovery resumes the interrupted run, not newer requests",
          reset == 0 && last == b && c > b && n == 1 && pending == 1);
    queue_writer_stop(w);
    queue_close(q);
    json_decref(r.headers);
    free(err);
}

/* What the asynchronous inserts reported. */
typedef struct stored_log {
    pthread_mutex_t lock;
    pthread_cond_t cv;
    int n, failed;
    int64_t ids[16384];
} stored_log;

static void on_stored(void *ctx, void *tag, queued_request *r, int64_t id, const char *err)
{
    stored_log *log = ctx;
    (void)err;
    pthread_mutex_lock(&log->lock);
    if (id > 0 && tag == r && log->n < 16384)
        log->ids[log->n++] = id;
    else
        log->failed++;
    pthread_cond_signal(&log->cv);
    pthread_mutex_unlock(&log->lock);
    queued_request_free(r);
    free(r);
}

static queued_request *body_request(size_t size, int n)
{
    queued_request *r = calloc(1, sizeof *r);
    r->instance = strdup("i1");
    r->method = strdup("POST");
    r->url = strdup("https://fn.segmentapis.com/");
    r->headers = json_object();
    r->body = malloc(size + 1);
    memset(r->body, 'x', size);
    snprintf(r->body, size, "{\"n\":%d,\"pad\":\"", n);
    memcpy(r->body + size - 2, "\"}", 3);
    r->body_len = size;
    return r;
}

/* Hands count requests of size bytes to the writer, waits for their reports. */
static void insert_async(queue_writer *w, stored_log *log, int count, size_t size)
{
    int target = log->n + log->failed + count;
    for (int i = 0; i < count; i++) {
        queued_request *r = body_request(size, i);
        queue_insert_async(w, r, on_stored, log, r);
    }
    pthread_mutex_lock(&log->lock);
    while (log->n + log->failed < target)
        pthread_cond_wait(&log->cv, &log->lock);
    pthread_mutex_unlock(&log->lock);
}

static int distinct_stored(queue_db *q, const stored_log *log)
{
    char *err = NULL;
    for (int i = 0; i < log->n; i++) {
        queued_request got;
        int found = queue_load(q, log->ids[i], &got, &err);
        queued_request_free(&got);
        if (found != 1 || (i > 0 && log->ids[i] == log->ids[i - 1]))
            return 0;
    }
    return 1;
}

static long file_size(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    long n = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    fclose(f);
    return n;
}

static void test_async_inserts(const char *root)
{
    char *err = NULL;
    stored_log log = {.n = 0};
    pthread_mutex_init(&log.lock, NULL);
    pthread_cond_init(&log.cv, NULL);
    queue_writer *w = queue_writer_start(root, &err);
    queue_db *q = queue_open(root, &err);
    CHECK("queue: the writer starts again", w && q);
    if (!w || !q)
        return;
    insert_async(w, &log, 300, 8 * 1024);
    CHECK("queue: asynchronous inserts each report their own id, once committed",
          log.n == 300 && log.failed == 0 && distinct_stored(q, &log));
    /* A burst of 32 MiB of 8 KiB bodies, 32 at a time (as from 32
     * connections): the writer's checkpointer copies the log into the
     * database as it goes, nobody calling queue_checkpoint. */
    for (int i = 0; i < 128; i++)
        insert_async(w, &log, 32, 8 * 1024);
    CHECK("queue: the burst is stored", log.n == 300 + 128 * 32 && log.failed == 0);
    char db[512];
    snprintf(db, sizeof db, "%s/.srcfn/state.db", root);
    for (int i = 0; i < 200 && file_size(db) < 16L * 1024 * 1024; i++)
        usleep(100 * 1000);
    CHECK("queue: the log is copied into the database while the writer goes on", file_size(db) >= 16L * 1024 * 1024);
    for (int i = 0; i < 50; i++) {
        queued_request *r = body_request(100, i);
        queue_insert_async(w, r, on_stored, &log, r);
    }
    queue_writer_stop(w);
    CHECK("queue: stopping the writer reports every insert handed over before", log.n == 300 + 128 * 32 + 50);
    queue_close(q);
    pthread_mutex_destroy(&log.lock);
    pthread_cond_destroy(&log.cv);
    free(err);
}

/* Frames in the log of the store at root: a PASSIVE checkpoint's count. */
static int log_frames(sqlite3 *db)
{
    int logged = -1, copied = -1;
    if (sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, &logged, &copied) != SQLITE_OK)
        return -1;
    return logged;
}

/* Whether the change commit() makes adds at most max frames to the log
 * (the log may start over at it: then it holds only those). */
static int commits_at_most(sqlite3 *db, int max, int (*commit)(void *), void *arg)
{
    int before = log_frames(db);
    int ok = commit(arg) == 0;
    int after = log_frames(db);
    if (!ok || before < 0 || after < 0)
        return 0;
    if (after > max && after - before > max)
        printf("  %d frames before, %d after\n", before, after);
    return after <= max || after - before <= max;
}

typedef struct run_step {
    queue_writer *w;
    int64_t id;
    queue_outcome *done;   /* NULL: start the run */
} run_step;

static int do_step(void *arg)
{
    run_step *s = arg;
    int attempt = 0;
    if (!s->done)
        return queue_start_run(s->w, s->id, &attempt, NULL) == 1 ? 0 : -1;
    return queue_settle(s->w, s->done, 0, NULL, NULL);
}

/* A run updates its request twice; a body that spills over several pages
 * must not be written again each time (it was: the whole row was). */
static void test_state_pages(const char *root)
{
    char *err = NULL;
    queue_writer *w = queue_writer_start(root, &err);
    sqlite3 *db = store_open(root, &err);
    CHECK("queue: the writer starts for the page count", w && db);
    if (!w || !db) {
        queue_writer_stop(w);
        store_close(db);
        free(err);
        return;
    }
    queued_request *r = body_request(64 * 1024, 1);
    int64_t id = queue_insert(w, r, &err);
    queue_outcome done = {.id = id, .instance = r->instance, .received_at = 1, .state = "done",
                          .events = json_array(), .objects = json_array()};
    run_step start = {w, id, NULL}, finish = {w, id, &done};
    CHECK("queue: marking a request with a 64 KiB body running writes a few pages, not its body",
          id > 0 && commits_at_most(db, 4, do_step, &start));
    CHECK("queue: recording its outcome writes a few pages, not its body", commits_at_most(db, 4, do_step, &finish));
    json_decref(done.events);
    json_decref(done.objects);
    queued_request_free(r);
    free(r);
    queue_writer_stop(w);
    store_close(db);
    free(err);
}

/* A version 1 store: one `requests` table with the state in each row. */
static const char v1_schema[] =
    "PRAGMA journal_mode=WAL;"
    "CREATE TABLE requests (id INTEGER PRIMARY KEY, instance TEXT NOT NULL, received_at INTEGER NOT NULL,"
    "  method TEXT NOT NULL, url TEXT NOT NULL, headers TEXT NOT NULL, body BLOB NOT NULL,"
    "  state TEXT NOT NULL DEFAULT 'queued', attempts INTEGER NOT NULL DEFAULT 0,"
    "  next_at INTEGER NOT NULL DEFAULT 0, finished_at INTEGER);"
    "CREATE INDEX requests_pending ON requests (state, next_at);"
    "INSERT INTO requests (instance, received_at, method, url, headers, body, state, attempts, finished_at) VALUES"
    "  ('i1', 1, 'POST', 'u', '{}', CAST('{\"n\":1}' AS BLOB), 'done', 1, 5),"
    "  ('i1', 2, 'POST', 'u', '{}', CAST('{\"n\":2}' AS BLOB), 'running', 1, NULL),"
    "  ('i1', 3, 'POST', 'u', '{}', CAST('{\"n\":3}' AS BLOB), 'queued', 0, NULL);";

static char *query_text(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = store_prepare(db, sql);
    char *v = st && sqlite3_step(st) == SQLITE_ROW ? strdup((const char *)sqlite3_column_text(st, 0)) : NULL;
    sqlite3_finalize(st);
    return v;
}

static int makes_v1_store(const char *root)
{
    char path[600];
    snprintf(path, sizeof path, "%s/.srcfn", root);
    if (mkdir(path, 0700) != 0)
        return 0;
    snprintf(path, sizeof path, "%s/.srcfn/state.db", root);
    sqlite3 *db = NULL;
    int ok = sqlite3_open(path, &db) == SQLITE_OK && store_exec(db, v1_schema, NULL) == 0;
    sqlite3_close(db);
    return ok;
}

/* A store of an earlier srcfn keeps its requests, states included, and the
 * queue goes on from them. */
static void test_v1_store(const char *dir)
{
    char root[512];
    snprintf(root, sizeof root, "%s/v1", dir);
    CHECK("store: a version 1 store is made", mkdir(root, 0700) == 0 && makes_v1_store(root));
    char *err = NULL;
    sqlite3 *db = store_open(root, &err);
    sqlite3 *again = db ? store_open(root, &err) : NULL;
    CHECK("store: a version 1 store opens (twice)", db && again);
    if (!db || !again) {
        store_close(db);
        free(err);
        return;
    }
    char *rows = query_text(db, "SELECT group_concat(id || ':' || state || ':' || attempts || ':' ||"
                                " CAST(body AS TEXT), ' ') FROM (SELECT * FROM requests ORDER BY id)");
    CHECK("store: its requests keep their states and bodies",
          rows && strcmp(rows, "1:done:1:{\"n\":1} 2:running:1:{\"n\":2} 3:queued:0:{\"n\":3}") == 0);
    free(rows);
    queue_db *q = queue_open(root, &err);
    int64_t last = 0;
    int pending = 0;
    CHECK("store: its unfinished requests are recovered",
          q && queue_reset_interrupted(q, &last, &err) == 0 && last == 3 &&
              queue_recover(q, last, count, &pending, &err) == 2 && pending == 2);
    queue_writer *w = queue_writer_start(root, &err);
    queued_request got;
    int attempt = 0;
    CHECK("store: and run from where they were",
          w && queue_load(q, 2, &got, &err) == 1 && got.attempts == 1 && queue_start_run(w, 2, &attempt, &err) == 1 &&
              attempt == 2 && queue_start_run(w, 1, &attempt, &err) == 0);
    if (w)
        queued_request_free(&got);
    queue_writer_stop(w);
    queue_close(q);
    store_close(again);
    store_close(db);
    free(err);
}

static void test_registry_miss(const char *root)
{
    char *err = NULL;
    registry *r = registry_open(root, &err);
    sqlite3 *db = store_open(root, &err);
    CHECK("registry: opens", r && db);
    if (!r || !db) {
        registry_close(r);
        store_close(db);
        free(err);
        return;
    }
    int refreshed = registry_refresh(r, &err) >= 0;   /* serve's periodic refresh */
    instance_row row = {.name = "late", .function = "fn", .token = instance_random_hex(INSTANCE_TOKEN_BYTES),
                        .settings = json_object(), .write_key = "wk", .endpoint = "-"};
    int inserted = instance_insert(db, &row, &err) == 0;
    registry_refresh_soon(r);   /* the listener's miss on its token, at once */
    registry_snap *s = registry_get(r);
    CHECK("registry: an instance connected right after a periodic refresh is found on its first miss",
          refreshed && inserted && registry_by_token(s, row.token) != NULL);
    registry_put(s);
    free(row.token);
    json_decref(row.settings);
    store_close(db);
    registry_close(r);
    free(err);
}

/* After a burst the log is copied into the database and starts over: it
 * then keeps 64 MiB of its size and gives the rest back to the disk (a 3 s
 * burst of the bench's webhooks grew it past 2 GB, for good). */
static void test_log_shrinks(const char *dir)
{
    char root[512], wal[600];
    snprintf(root, sizeof root, "%s/wal", dir);
    snprintf(wal, sizeof wal, "%s/.srcfn/state.db-wal", root);
    char *err = NULL;
    sqlite3 *db = mkdir(root, 0700) == 0 ? store_open(root, &err) : NULL;
    int ok = db && sqlite3_wal_autocheckpoint(db, 0) == SQLITE_OK &&
             store_exec(db, "CREATE TABLE burst (b BLOB);"
                            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 9000)"
                            " INSERT INTO burst SELECT zeroblob(8192) FROM n;", &err) == 0;
    long grown = file_size(wal);
    ok = ok && sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL) == SQLITE_OK &&
         store_exec(db, "DELETE FROM burst WHERE rowid = 1", &err) == 0;   /* a write: the log starts over */
    long after = file_size(wal);
    CHECK("store: a burst grows the log past 64 MiB", ok && grown > 64L * 1024 * 1024);
    CHECK("store: once it starts over, the log keeps 64 MiB at most", ok && after >= 0 && after <= 64L * 1024 * 1024);
    store_close(db);
    free(err);
}

static long count_rows(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = store_prepare(db, sql);
    long n = st && sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return n;
}

/* Finished requests go after a while, body and state; the others stay. */
static void test_prune(const char *dir)
{
    char root[512];
    snprintf(root, sizeof root, "%s/prune", dir);
    char *err = NULL;
    queue_writer *w = mkdir(root, 0700) == 0 ? queue_writer_start(root, &err) : NULL;
    queue_db *q = w ? queue_open(root, &err) : NULL;
    sqlite3 *db = q ? store_open(root, &err) : NULL;
    CHECK("prune: the store opens", db != NULL);
    if (!db) {
        queue_writer_stop(w);
        queue_close(q);
        free(err);
        return;
    }
    int64_t ids[5];
    const char *states[5] = {"done", "failed", "dropped", NULL, "done"};
    for (int i = 0; i < 5; i++) {
        queued_request *r = body_request(4096, i);
        ids[i] = queue_insert(w, r, &err);
        queued_request_free(r);
        free(r);
        queue_outcome o = {.id = ids[i], .instance = "i1", .received_at = 1, .state = states[i],
                           .events = json_array(), .objects = json_array()};
        if (states[i])
            queue_settle(w, &o, 0, NULL, &err);
        json_decref(o.events);
        json_decref(o.objects);
    }
    int64_t later = store_now_ms() + 1000;
    CHECK("prune: nothing finished before then", queue_prune(q, 0, 100, &err) == 0 &&
                                                     count_rows(db, "SELECT count(*) FROM requests") == 5);
    CHECK("prune: at most as many as asked", queue_prune(q, later, 2, &err) == 2);
    CHECK("prune: the rest of the finished ones but the newest", queue_prune(q, later, 100, &err) == 1);
    CHECK("prune: the unfinished one stays, body and state, and the newest (ids never come back)",
          count_rows(db, "SELECT count(*) FROM request_data") == 2 &&
              count_rows(db, "SELECT count(*) FROM request_state") == 2 &&
              count_rows(db, "SELECT count(*) FROM requests WHERE state = 'queued'") == 1);
    queued_request *r = body_request(16, 9);
    int64_t next = queue_insert(w, r, &err);
    queued_request_free(r);
    free(r);
    CHECK("prune: a new request gets a new id", next > ids[4]);
    store_close(db);
    queue_close(q);
    queue_writer_stop(w);
    free(err);
}

int main(void)
{
    char dir[] = "/tmp/srcfn-test-serve-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    test_jsonsort();
    test_jsoncheck();
    test_content_types();
    char *err = NULL;
    sqlite3 *db = store_open(dir, &err);
    CHECK("store opens", db != NULL);
    if (db) {
        test_errlog(db);
        store_close(db);
    }
    test_queue(dir);
    test_async_inserts(dir);
    test_state_pages(dir);
    test_v1_store(dir);
    test_registry_miss(dir);
    test_log_shrinks(dir);
    test_prune(dir);
    free(err);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    return check_failures ? 1 : 0;
}
