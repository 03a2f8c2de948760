/*
 * delivery: the outbox (table `outbox`) and the thread that empties it into
 * Segment's Tracking API (events) and Object API (objects). See delivery.h for
 * the contract with `srcfn serve`.
 *
 * Invariants:
 * - A row leaves the outbox only after its endpoint answered 2xx (or, for the
 *   endpoint "-", after its line was written and flushed). Any failure keeps
 *   the rows with attempts+1 and next_at = now + backoff; rows survive
 *   restarts, so delivery is at least once, and the messageId stored with the
 *   message lets Segment drop a duplicate.
 * - Per (instance, kind) the outbox is a FIFO: a batch always starts at the
 *   group's oldest row and is sent only when that row is due.
 * - A message the endpoint refuses for good (400, 413 or 422, sent alone
 *   after its batch was refused) moves to the group "<kind>-refused": kept and offered again
 *   every REFUSED_RETRY_MS, out of the way of the messages after it.
 * - A batch holds at most batch_max events and stays under
 *   DELIVERY_BATCH_BYTES (a single larger message still goes alone); an object
 *   batch holds at most DELIVERY_OBJECTS_MAX objects of one collection.
 * - Only the delivery thread touches d->db and d->curl (one easy handle,
 *   reused, so connections are kept alive between batches).
 * - Out of memory aborts, as everywhere in srcfn.
 */
#include "webhook/delivery.h"

#include <openssl/rand.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "engine/jsonout.h"
#include "workspace/instances.h"
#include "workspace/store.h"
#include "util/clock.h"

#define DEFAULT_BACKOFF_MS 1000
#define DEFAULT_BATCH_MAX 100
#define POLL_MS 2000             /* look at the outbox this often even when not notified */
#define LINGER_MS 20             /* after a notification: lets a burst of runs go out as one batch */
#define STOP_DRAIN_MS 5000       /* the last attempt at stop lasts at most this long */
#define CONNECT_TIMEOUT_MS 5000
#define TRANSFER_TIMEOUT_MS 20000
#define OBJECT_ROWS_SCAN 100     /* rows looked at to fill one object batch */
#define RESPONSE_EXCERPT 200
#define SEGMENT_OBJECTS_BASE "https://objects.segment.com"
#define REFUSED_RETRY_MS (60 * 60 * 1000)   /* a message refused for good is offered again this often */

struct delivery {
    sqlite3 *db;
    CURL *curl;
    struct curl_slist *headers;
    delivery_options opt;
    char *objects_endpoint;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;          /* on CLOCK_MONOTONIC */
    int notified, stopping;       /* under lock */
    _Atomic int64_t deadline;     /* monotonic ms when stopping must end; 0: none */
    char errbuf[CURL_ERROR_SIZE];
    char response[RESPONSE_EXCERPT + 1];
    size_t response_len;
};

/* One message read from the outbox (msg NULL: unreadable, dropped with the batch). */
typedef struct row {
    int64_t id;
    int attempts;
    json_t *msg;
} row;

/* A request body under construction and the rows it carries. */
typedef struct outgoing {
    int64_t *ids;
    size_t n, cap_ids;
    char *body;
    size_t len, cap;
    int head_attempts;
} outgoing;

/* ---- time, ids ------------------------------------------------------------ */

/* ISO 8601 in UTC with milliseconds: 2024-05-01T12:00:00.123Z */
static void iso8601(int64_t ms, char out[32])
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    if (!gmtime_r(&secs, &tm) || strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm) == 0) {
        strcpy(out, "1970-01-01T00:00:00.000Z");
        return;
    }
    snprintf(out + 19, 13, ".%03dZ", (int)(ms % 1000));
}

/* A random (version 4) UUID; -1 when OpenSSL has no randomness to give. */
static int uuid_v4(char out[37])
{
    unsigned char b[16];
    if (RAND_bytes(b, sizeof b) != 1)
        return -1;
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
             b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
    return 0;
}

/* ---- enqueue -------------------------------------------------------------- */

static void set_new_checked(json_t *obj, const char *key, json_t *value)
{
    if (!value || json_object_set_new(obj, key, value) != 0)
        abort();
}

/* A copy of an event with messageId, receivedAt and context.library added
 * where absent (sentAt is added at send time). */
static json_t *stamp_event(json_t *event, int64_t received_at_ms)
{
    json_t *m = json_deep_copy(event);
    if (!m)
        abort();
    if (!json_object_get(m, "messageId")) {
        char id[37];
        if (uuid_v4(id) != 0) {
            json_decref(m);
            return NULL;
        }
        set_new_checked(m, "messageId", json_string(id));
    }
    if (!json_object_get(m, "receivedAt")) {
        char at[32];
        iso8601(received_at_ms, at);
        set_new_checked(m, "receivedAt", json_string(at));
    }
    json_t *context = json_object_get(m, "context");
    if (!context) {
        context = json_object();
        set_new_checked(m, "context", context);
    }
    if (json_is_object(context) && !json_object_get(context, "library"))
        set_new_checked(context, "library", json_pack("{s:s, s:s}", "name", "srcfn", "version", SRCFN_VERSION));
    return m;
}

static int insert_row(sqlite3 *db, sqlite3_stmt *st, const char *instance, const char *kind, json_t *msg,
                      int64_t at)
{
    char *text = jsonout_dumps(msg, JSON_COMPACT);
    if (!text)
        abort();
    int rc = sqlite3_bind_text(st, 1, instance, -1, SQLITE_STATIC) == SQLITE_OK &&
                     sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC) == SQLITE_OK &&
                     sqlite3_bind_text(st, 3, text, -1, SQLITE_TRANSIENT) == SQLITE_OK &&
                     sqlite3_bind_int64(st, 4, at) == SQLITE_OK && sqlite3_step(st) == SQLITE_DONE
                 ? 0
                 : -1;
    free(text);
    if (rc != 0)
        fprintf(stderr, "srcfn: delivery: cannot queue a message: %s\n", sqlite3_errmsg(db));
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

static int enqueue_list(sqlite3 *db, sqlite3_stmt *st, const char *instance, const char *kind, json_t *list,
                        int64_t at)
{
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item) {
        if (!json_is_object(item)) {
            fprintf(stderr, "srcfn: delivery: a %s that is not an object cannot be queued\n", kind);
            return -1;
        }
        json_t *msg = strcmp(kind, "event") == 0 ? stamp_event(item, at) : json_incref(item);
        if (!msg) {
            fprintf(stderr, "srcfn: delivery: no randomness for a messageId\n");
            return -1;
        }
        int rc = insert_row(db, st, instance, kind, msg, at);
        json_decref(msg);
        if (rc != 0)
            return -1;
    }
    return 0;
}

int delivery_enqueue(sqlite3 *db, const char *instance, json_t *events, json_t *objects,
                     int64_t received_at_ms)
{
    if (json_array_size(events) == 0 && json_array_size(objects) == 0)
        return 0;
    sqlite3_stmt *st =
        store_prepare(db, "INSERT INTO outbox (instance, kind, payload, created_at) VALUES (?, ?, ?, ?)");
    if (!st)
        return -1;
    int rc = enqueue_list(db, st, instance, "event", events, received_at_ms);
    if (rc == 0)
        rc = enqueue_list(db, st, instance, "object", objects, received_at_ms);
    sqlite3_finalize(st);
    return rc;
}

/* ---- the outbox, from the delivery thread ---------------------------------- */

/* The group (instance, kind) to send now: the one with the oldest due head.
 * Only groups of existing instances are looked at, each head found through
 * the index outbox_group, so a long outbox costs no scan; messages of a
 * removed instance stay queued, untouched, until an instance of that name
 * exists again. Returns 1 and fills instance/kind, 0 with *wait_ms until the
 * next head is due, -1 on a database error. */
/* Whether a group's rows are events (kind "event" or "event-refused"). */
static int is_events(const char *kind)
{
    return strncmp(kind, "event", 5) == 0;
}

static int next_group(delivery *d, char **instance, char **kind, int64_t *wait_ms)
{
    sqlite3_stmt *st = store_prepare(d->db,
        "SELECT o.instance, o.kind, o.next_at FROM instances i"
        " CROSS JOIN (SELECT 'event' AS kind UNION ALL SELECT 'object'"
        "             UNION ALL SELECT 'event-refused' UNION ALL SELECT 'object-refused') k"
        " JOIN outbox o ON o.id = (SELECT id FROM outbox WHERE instance = i.name AND kind = k.kind"
        "                          ORDER BY id LIMIT 1)"
        " ORDER BY o.id");
    if (!st)
        return -1;
    int64_t now = store_now_ms();
    int found = 0, rc;
    *wait_ms = POLL_MS;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t next_at = sqlite3_column_int64(st, 2);
        if (next_at <= now) {
            *instance = strdup((const char *)sqlite3_column_text(st, 0));
            *kind = strdup((const char *)sqlite3_column_text(st, 1));
            if (!*instance || !*kind)
                abort();
            found = 1;
            break;
        }
        if (next_at - now < *wait_ms)
            *wait_ms = next_at - now;
    }
    if (!found && rc != SQLITE_DONE) {
        fprintf(stderr, "srcfn: delivery: cannot read the outbox: %s\n", sqlite3_errmsg(d->db));
        found = -1;
    }
    sqlite3_finalize(st);
    return found;
}

static void free_rows(row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        json_decref(rows[i].msg);
    free(rows);
}

/* The group's oldest rows, at most limit; -1 on a database error. */
static int load_rows(delivery *d, const char *instance, const char *kind, int limit, row **out, size_t *n)
{
    sqlite3_stmt *st = store_prepare(d->db, "SELECT id, attempts, payload FROM outbox "
                                            "WHERE instance = ? AND kind = ? ORDER BY id LIMIT ?");
    *out = NULL;
    *n = 0;
    if (!st)
        return -1;
    row *rows = calloc((size_t)limit, sizeof *rows);
    if (!rows)
        abort();
    int rc = SQLITE_ERROR;
    if (sqlite3_bind_text(st, 1, instance, -1, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_bind_int(st, 3, limit) == SQLITE_OK) {
        while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < (size_t)limit) {
            row *r = &rows[(*n)++];
            r->id = sqlite3_column_int64(st, 0);
            r->attempts = sqlite3_column_int(st, 1);
            r->msg = json_loads((const char *)sqlite3_column_text(st, 2), 0, NULL);
            if (!json_is_object(r->msg)) {
                fprintf(stderr, "srcfn: delivery: outbox row %lld is not a JSON object; dropped\n",
                        (long long)r->id);
                json_decref(r->msg);
                r->msg = NULL;
            }
        }
    }
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "srcfn: delivery: cannot read the outbox: %s\n", sqlite3_errmsg(d->db));
        sqlite3_finalize(st);
        free_rows(rows, *n);
        *n = 0;
        return -1;
    }
    sqlite3_finalize(st);
    *out = rows;
    return 0;
}

/* Runs one statement per id ("... WHERE id = ?2", with ?1 bound to value when
 * the statement has it) in one transaction; 0 or -1. */
static int update_ids(delivery *d, const char *sql, int64_t value, const int64_t *ids, size_t n)
{
    if (store_begin(d->db) != 0) {
        fprintf(stderr, "srcfn: delivery: cannot update the outbox: %s\n", sqlite3_errmsg(d->db));
        return -1;
    }
    sqlite3_stmt *st = store_prepare(d->db, sql);
    int ok = st != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        ok = (sqlite3_bind_parameter_count(st) < 2 || sqlite3_bind_int64(st, 1, value) == SQLITE_OK) &&
             sqlite3_bind_int64(st, sqlite3_bind_parameter_count(st), ids[i]) == SQLITE_OK &&
             sqlite3_step(st) == SQLITE_DONE;
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    if (ok && store_commit(d->db) == 0)
        return 0;
    fprintf(stderr, "srcfn: delivery: cannot update the outbox: %s\n", sqlite3_errmsg(d->db));
    store_rollback(d->db);
    return -1;
}

static int remove_ids(delivery *d, const int64_t *ids, size_t n)
{
    return update_ids(d, "DELETE FROM outbox WHERE id = ?1", 0, ids, n);
}

static int64_t backoff_ms(const delivery *d, int attempts)
{
    int64_t delay = d->opt.backoff_base_ms;
    for (int i = 0; i < attempts && delay < DELIVERY_BACKOFF_CAP_MS; i++)
        delay *= 2;
    return delay < DELIVERY_BACKOFF_CAP_MS ? delay : DELIVERY_BACKOFF_CAP_MS;
}

/* Keeps the rows for later: attempts+1, next_at = now + backoff (*delay). 0 or -1. */
static int postpone_ids(delivery *d, const int64_t *ids, size_t n, int head_attempts, int64_t *delay)
{
    *delay = backoff_ms(d, head_attempts);
    return update_ids(d, "UPDATE outbox SET attempts = attempts + 1, next_at = ?1 WHERE id = ?2",
                      store_now_ms() + *delay, ids, n);
}

/* Whether an answer refuses the messages themselves, for good: 400 (bad
 * request), 413 (too large), 422 (unprocessable). Other failures (401 or
 * 404: the write key or endpoint, which people fix; 408, 429, 5xx: the
 * moment) are waited out with the group in order. */
static int is_refusal(long status)
{
    return status == 400 || status == 413 || status == 422;
}

/* Sets refused rows aside in a group of their own ("<kind>-refused"), tried
 * again every REFUSED_RETRY_MS: kept, never lost, and no longer in the way
 * of the messages after them. 0 or -1. */
static int set_aside_ids(delivery *d, const int64_t *ids, size_t n)
{
    return update_ids(d,
                      "UPDATE outbox SET kind = CASE WHEN kind LIKE '%-refused' THEN kind ELSE kind || '-refused' END,"
                      " attempts = attempts + 1, next_at = ?1 WHERE id = ?2",
                      store_now_ms() + REFUSED_RETRY_MS, ids, n);
}

/* The instance's write key and endpoint (malloc'd); 0, 1 when there is no
 * such instance, -1 on a database error. */
static int instance_target(delivery *d, const char *instance, char **write_key, char **endpoint)
{
    instance_row r;
    char *err = NULL;
    int found = instance_get(d->db, instance, &r, &err);
    if (found < 0) {
        fprintf(stderr, "srcfn: delivery: cannot read instance %s: %s\n", instance, err ? err : "?");
        free(err);
        return -1;
    }
    if (found == 0)
        return 1;
    *write_key = r.write_key;
    *endpoint = r.endpoint;
    r.write_key = r.endpoint = NULL;
    instance_row_free(&r);
    return 0;
}

/* ---- request bodies -------------------------------------------------------- */

static void out_append(outgoing *o, const char *s, size_t len)
{
    if (o->len + len + 1 > o->cap) {
        size_t cap = o->cap ? o->cap : 4096;
        while (cap < o->len + len + 1)
            cap *= 2;
        o->body = realloc(o->body, cap);
        if (!o->body)
            abort();
        o->cap = cap;
    }
    memcpy(o->body + o->len, s, len);
    o->len += len;
    o->body[o->len] = '\0';
}

static void out_add_id(outgoing *o, int64_t id)
{
    if (o->n == o->cap_ids) {
        o->cap_ids = o->cap_ids ? o->cap_ids * 2 : 16;
        o->ids = realloc(o->ids, o->cap_ids * sizeof *o->ids);
        if (!o->ids)
            abort();
    }
    o->ids[o->n++] = id;
}

static void out_free(outgoing *o)
{
    free(o->ids);
    free(o->body);
    memset(o, 0, sizeof *o);
}

/* Appends item (a JSON text) to the body's array when it fits; 0 or -1 (full). */
static int out_add_item(outgoing *o, int items, const char *text)
{
    size_t len = strlen(text);
    if (items > 0 && o->len + len + 3 > DELIVERY_BATCH_BYTES)
        return -1;
    if (items > 0)
        out_append(o, ",", 1);
    out_append(o, text, len);
    return 0;
}

static char *dump_with_sent_at(json_t *msg, const char *sent_at)
{
    if (!json_object_get(msg, "sentAt"))
        set_new_checked(msg, "sentAt", json_string(sent_at));
    char *text = jsonout_dumps(msg, JSON_COMPACT);
    if (!text)
        abort();
    return text;
}

/* {"batch": [...]} from the group's first rows. */
static void build_events(const delivery *d, row *rows, size_t n, outgoing *o)
{
    char sent_at[32];
    iso8601(store_now_ms(), sent_at);
    out_append(o, "{\"batch\":[", 10);
    int items = 0;
    for (size_t i = 0; i < n && o->n < (size_t)d->opt.batch_max; i++) {
        if (rows[i].msg) {
            char *text = dump_with_sent_at(rows[i].msg, sent_at);
            int full = out_add_item(o, items, text);
            free(text);
            if (full)
                break;
            items++;
        }
        out_add_id(o, rows[i].id);
    }
    out_append(o, "]}", 2);
}

/* {"collection": C, "objects": [{"id", "properties"}...]} for the head's collection. */
static void build_objects(row *rows, size_t n, outgoing *o)
{
    size_t head = 0;
    while (head < n && !rows[head].msg)
        out_add_id(o, rows[head++].id);   /* unreadable rows at the head go with the batch */
    if (head == n)
        return;
    json_t *collection = json_object_get(rows[head].msg, "collection");
    char *c = json_dumps(collection ? collection : json_null(), JSON_ENCODE_ANY | JSON_COMPACT);
    if (!c)
        abort();
    out_append(o, "{\"collection\":", 14);
    out_append(o, c, strlen(c));
    out_append(o, ",\"objects\":[", 12);
    free(c);
    int items = 0;
    for (size_t i = head; i < n && items < DELIVERY_OBJECTS_MAX; i++) {
        if (!rows[i].msg || !json_equal(json_object_get(rows[i].msg, "collection"), collection))
            continue;
        json_t *props = json_object_get(rows[i].msg, "properties");
        json_t *obj = json_pack("{s:O?, s:o}", "id", json_object_get(rows[i].msg, "id"), "properties",
                                props ? json_incref(props) : json_object());
        char *text = obj ? jsonout_dumps(obj, JSON_COMPACT) : NULL;
        json_decref(obj);
        if (!text)
            abort();
        int full = out_add_item(o, items, text);
        free(text);
        if (full)
            break;
        items++;
        out_add_id(o, rows[i].id);
    }
    out_append(o, "]}", 2);
}

/* ---- HTTP ------------------------------------------------------------------ */

static size_t on_response(char *data, size_t size, size_t nmemb, void *arg)
{
    delivery *d = arg;
    size_t len = size * nmemb;
    size_t room = RESPONSE_EXCERPT - d->response_len;
    size_t take = len < room ? len : room;
    memcpy(d->response + d->response_len, data, take);
    d->response_len += take;
    d->response[d->response_len] = '\0';
    return len;
}

/* Aborts a transfer once the stop deadline has passed. */
static int on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
    (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
    delivery *d = arg;
    int64_t deadline = atomic_load(&d->deadline);
    return deadline && mono_ms() > deadline;
}

#define SETOPT(opt, val)                                   \
    do {                                                   \
        if (curl_easy_setopt(d->curl, opt, val) != CURLE_OK) \
            return -1;                                     \
    } while (0)

/* What stays the same for every request of the thread. */
static int http_setup(delivery *d)
{
    d->curl = curl_easy_init();
    if (!d->curl)
        return -1;
    const char *hdrs[] = {"Content-Type: application/json", "Expect:", "User-Agent: srcfn/" SRCFN_VERSION};
    for (size_t i = 0; i < sizeof hdrs / sizeof hdrs[0]; i++) {
        struct curl_slist *l = curl_slist_append(d->headers, hdrs[i]);
        if (!l)
            return -1;
        d->headers = l;
    }
    SETOPT(CURLOPT_HTTPHEADER, d->headers);
    SETOPT(CURLOPT_NOSIGNAL, 1L);
    SETOPT(CURLOPT_PROTOCOLS_STR, "http,https");
    SETOPT(CURLOPT_FOLLOWLOCATION, 0L);
    SETOPT(CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
    SETOPT(CURLOPT_PASSWORD, "");
    SETOPT(CURLOPT_CONNECTTIMEOUT_MS, (long)CONNECT_TIMEOUT_MS);
    SETOPT(CURLOPT_TIMEOUT_MS, (long)TRANSFER_TIMEOUT_MS);
    SETOPT(CURLOPT_ERRORBUFFER, d->errbuf);
    SETOPT(CURLOPT_WRITEFUNCTION, on_response);
    SETOPT(CURLOPT_WRITEDATA, (void *)d);
    SETOPT(CURLOPT_XFERINFOFUNCTION, on_progress);
    SETOPT(CURLOPT_XFERINFODATA, (void *)d);
    SETOPT(CURLOPT_NOPROGRESS, 0L);
    return 0;
}

/* POSTs o's body; returns the HTTP status, or 0 after a network error (why in d->errbuf). */
static long http_post(delivery *d, const char *url, const char *write_key, const outgoing *o)
{
    d->errbuf[0] = '\0';
    d->response_len = 0;
    d->response[0] = '\0';
    if (curl_easy_setopt(d->curl, CURLOPT_URL, url) != CURLE_OK ||
        curl_easy_setopt(d->curl, CURLOPT_USERNAME, write_key) != CURLE_OK ||
        curl_easy_setopt(d->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)o->len) != CURLE_OK ||
        curl_easy_setopt(d->curl, CURLOPT_POSTFIELDS, o->body) != CURLE_OK) {
        snprintf(d->errbuf, sizeof d->errbuf, "cannot set up the request");
        return 0;
    }
    CURLcode rc = curl_easy_perform(d->curl);
    if (rc == CURLE_ABORTED_BY_CALLBACK) {
        snprintf(d->errbuf, sizeof d->errbuf, "abandoned, srcfn is stopping");
        return 0;
    }
    if (rc != CURLE_OK) {
        if (!d->errbuf[0])
            snprintf(d->errbuf, sizeof d->errbuf, "%s", curl_easy_strerror(rc));
        return 0;
    }
    long status = 0;
    if (curl_easy_getinfo(d->curl, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK || status == 0) {
        snprintf(d->errbuf, sizeof d->errbuf, "no HTTP status");
        return 0;
    }
    return status;
}

/* ---- one batch --------------------------------------------------------------- */

static int is_segment_host(const char *endpoint)
{
    CURLU *u = curl_url();
    char *host = NULL;
    int yes = 0;
    if (u && curl_url_set(u, CURLUPART_URL, endpoint, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
        static const char *const suffixes[] = {"segment.io", "segment.com", "segmentapis.com"};
        size_t hl = strlen(host);
        for (size_t i = 0; i < 3 && !yes; i++) {
            size_t sl = strlen(suffixes[i]);
            yes = hl == sl ? strcmp(host, suffixes[i]) == 0
                           : hl > sl && host[hl - sl - 1] == '.' && strcmp(host + hl - sl, suffixes[i]) == 0;
        }
    }
    curl_free(host);
    curl_url_cleanup(u);
    return yes;
}

/* base (without trailing slashes) + path, malloc'd. */
static char *join_url(const char *base, const char *path)
{
    size_t len = strlen(base);
    while (len > 0 && base[len - 1] == '/')
        len--;
    char *url = NULL;
    if (asprintf(&url, "%.*s%s", (int)len, base, path) < 0)
        abort();
    return url;
}

static char *target_url(const delivery *d, const char *kind, const char *endpoint)
{
    if (is_events(kind))
        return join_url(endpoint, "/v1/batch");
    const char *base = d->objects_endpoint     ? d->objects_endpoint
                       : is_segment_host(endpoint) ? SEGMENT_OBJECTS_BASE
                                                   : endpoint;
    return join_url(base, "/v1/set");
}

/* Endpoint "-": one JSON line per message on opt.out, then the rows go. */
static int write_lines(delivery *d, const char *kind, row *rows, size_t n)
{
    char sent_at[32];
    iso8601(store_now_ms(), sent_at);
    outgoing o = {0};
    int is_event = is_events(kind);
    for (size_t i = 0; i < n; i++) {
        if (rows[i].msg) {
            char *text = is_event ? dump_with_sent_at(rows[i].msg, sent_at) : jsonout_dumps(rows[i].msg, JSON_COMPACT);
            if (!text)
                abort();
            out_append(&o, text, strlen(text));
            out_append(&o, "\n", 1);
            free(text);
        }
        out_add_id(&o, rows[i].id);
    }
    FILE *out = d->opt.out;
    flockfile(out);
    int ok = fwrite(o.body, 1, o.len, out) == o.len && fflush(out) == 0;
    funlockfile(out);
    int64_t delay = 0;
    int rc = ok ? remove_ids(d, o.ids, o.n) : postpone_ids(d, o.ids, o.n, rows[0].attempts, &delay);
    if (!ok)
        fprintf(stderr, "srcfn: delivery: cannot write messages to stdout; retrying in %.1fs\n",
                (double)delay / 1000);
    out_free(&o);
    return rc;
}

static void report_failure(const char *instance, const char *url, long status, const delivery *d, size_t n,
                           int64_t delay)
{
    if (status)
        fprintf(stderr, "srcfn: delivery: %s: POST %s answered HTTP %ld%s%.*s; %zu message%s retry in %.1fs\n",
                instance, url, status, d->response_len ? ": " : "", (int)strcspn(d->response, "\r\n"),
                d->response, n, n == 1 ? "" : "s", (double)delay / 1000);
    else
        fprintf(stderr, "srcfn: delivery: %s: POST %s failed: %s; %zu message%s retry in %.1fs\n", instance, url,
                d->errbuf, n, n == 1 ? "" : "s", (double)delay / 1000);
}

static int send_batch(delivery *d, const char *instance, const char *kind, const char *write_key,
                      const char *endpoint, row *rows, size_t n);

/* A refused batch's messages, each sent alone: the ones accepted go, the
 * ones refused again are set aside. 0, 1 when some failed, -1. */
static int send_each_alone(delivery *d, const char *instance, const char *kind, const char *write_key,
                           const char *endpoint, row *rows, size_t n, const outgoing *batch)
{
    int rc = 0;
    for (size_t i = 0; i < n && rc >= 0; i++) {
        for (size_t k = 0; k < batch->n; k++) {
            if (batch->ids[k] == rows[i].id) {
                int one = send_batch(d, instance, kind, write_key, endpoint, &rows[i], 1);
                rc = one < 0 ? -1 : rc > one ? rc : one;
                break;
            }
        }
    }
    return rc;
}

/* Sends one batch of the group over HTTP. A batch the endpoint refuses (see
 * is_refusal) is sent again message by message, so that one message it
 * will never take holds up none of the others. */
static int send_batch(delivery *d, const char *instance, const char *kind, const char *write_key,
                      const char *endpoint, row *rows, size_t n)
{
    outgoing o = {0};
    o.head_attempts = rows[0].attempts;
    if (is_events(kind))
        build_events(d, rows, n, &o);
    else
        build_objects(rows, n, &o);
    int rc = 0;
    if (o.len == 0) {
        rc = remove_ids(d, o.ids, o.n);   /* only unreadable rows */
    } else {
        char *url = target_url(d, kind, endpoint);
        long status = http_post(d, url, write_key, &o);
        int64_t delay = 0;
        if (status >= 200 && status < 300) {
            rc = remove_ids(d, o.ids, o.n);
        } else if (is_refusal(status) && o.n > 1) {
            rc = send_each_alone(d, instance, kind, write_key, endpoint, rows, n, &o);
        } else if (is_refusal(status)) {
            rc = set_aside_ids(d, o.ids, o.n) == 0 ? 1 : -1;
            report_failure(instance, url, status, d, o.n, REFUSED_RETRY_MS);
        } else {
            rc = postpone_ids(d, o.ids, o.n, o.head_attempts, &delay) == 0 ? 1 : -1;
            report_failure(instance, url, status, d, o.n, delay);
        }
        free(url);
    }
    out_free(&o);
    return rc;
}

/* Sends one batch of the group (instance, kind). Returns 0, 1 when the batch
 * failed (and was postponed), -1 on a database error. */
static int deliver_group(delivery *d, const char *instance, const char *kind)
{
    int limit = is_events(kind) ? d->opt.batch_max : OBJECT_ROWS_SCAN;
    row *rows = NULL;
    size_t n = 0;
    char *write_key = NULL, *endpoint = NULL;
    int rc = load_rows(d, instance, kind, limit, &rows, &n);
    if (rc == 0 && n > 0)
        rc = instance_target(d, instance, &write_key, &endpoint);
    if (rc == 1) {
        int64_t ids[1] = {rows[0].id}, delay = 0;
        if (postpone_ids(d, ids, 1, rows[0].attempts, &delay) != 0)
            rc = -1;
        fprintf(stderr, "srcfn: delivery: instance %s does not exist; its messages wait (next look in %.1fs)\n",
                instance, (double)delay / 1000);
    } else if (rc == 0 && n > 0) {
        rc = strcmp(endpoint, "-") == 0 ? write_lines(d, kind, rows, n)
                                        : send_batch(d, instance, kind, write_key, endpoint, rows, n);
    }
    free_rows(rows, n);
    free(write_key);
    free(endpoint);
    return rc;
}

/* ---- the thread -------------------------------------------------------------- */

static int past_deadline(delivery *d)
{
    int64_t deadline = atomic_load(&d->deadline);
    return deadline && mono_ms() >= deadline;
}

/* Sends batches while some group is due; returns how long to wait next. */
static int64_t deliver_due(delivery *d)
{
    for (;;) {
        char *instance = NULL, *kind = NULL;
        int64_t wait_ms = POLL_MS;
        int found = past_deadline(d) ? 0 : next_group(d, &instance, &kind, &wait_ms);
        if (found <= 0)
            return found < 0 ? POLL_MS : wait_ms;
        int rc = deliver_group(d, instance, kind);
        free(instance);
        free(kind);
        if (rc < 0)
            return POLL_MS;
    }
}

/* Under d->lock, once notified: waits LINGER_MS more (unless stopping), so
 * that the runs finishing meanwhile are sent in the same batch and removed
 * in the same transaction, instead of one transaction per run contending
 * with the store's writer. */
static void linger(delivery *d)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_nsec += LINGER_MS * 1000000L;
    if (until.tv_nsec >= 1000000000) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000;
    }
    while (!d->stopping && pthread_cond_timedwait(&d->wake, &d->lock, &until) == 0) {
    }
}

static void wait_for(delivery *d, int64_t ms)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    if (ms < 1)
        ms = 1;
    until.tv_sec += ms / 1000;
    until.tv_nsec += (long)(ms % 1000) * 1000000;
    if (until.tv_nsec >= 1000000000) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000;
    }
    pthread_mutex_lock(&d->lock);
    while (!d->notified && !d->stopping) {
        if (pthread_cond_timedwait(&d->wake, &d->lock, &until) != 0)
            break;
    }
    if (d->notified && !d->stopping)
        linger(d);
    d->notified = 0;
    pthread_mutex_unlock(&d->lock);
}

static int is_stopping(delivery *d)
{
    pthread_mutex_lock(&d->lock);
    int stopping = d->stopping;
    pthread_mutex_unlock(&d->lock);
    return stopping;
}

static void *delivery_main(void *arg)
{
    delivery *d = arg;
    for (;;) {
        int stopping = is_stopping(d);
        int64_t wait_ms = deliver_due(d);
        if (stopping)
            return NULL;
        wait_for(d, wait_ms);
    }
}

/* ---- life cycle ------------------------------------------------------------- */

static void destroy(delivery *d)
{
    if (d->curl)
        curl_easy_cleanup(d->curl);
    curl_slist_free_all(d->headers);
    store_close(d->db);
    free(d->objects_endpoint);
    free(d);
}

static int init_sync(delivery *d)
{
    pthread_condattr_t attr;
    if (pthread_condattr_init(&attr) != 0)
        return -1;
    int rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) == 0 && pthread_cond_init(&d->wake, &attr) == 0
                 ? 0
                 : -1;
    pthread_condattr_destroy(&attr);
    if (rc == 0 && pthread_mutex_init(&d->lock, NULL) != 0) {
        pthread_cond_destroy(&d->wake);
        rc = -1;
    }
    return rc;
}

delivery *delivery_start(const char *root, const delivery_options *opt, char **err)
{
    delivery *d = calloc(1, sizeof *d);
    if (!d)
        abort();
    if (opt)
        d->opt = *opt;
    if (d->opt.backoff_base_ms <= 0)
        d->opt.backoff_base_ms = DEFAULT_BACKOFF_MS;
    if (d->opt.batch_max <= 0)
        d->opt.batch_max = DEFAULT_BATCH_MAX;
    if (!d->opt.out)
        d->opt.out = stdout;
    if (d->opt.objects_endpoint && !(d->objects_endpoint = strdup(d->opt.objects_endpoint)))
        abort();
    d->opt.objects_endpoint = NULL;   /* not owned; the copy above is used */
    d->db = store_open(root, err);
    if (!d->db) {
        destroy(d);
        return NULL;
    }
    /* No checkpoints on this connection's commits (they would fsync here,
     * between batches): serve's store writer and main thread checkpoint. */
    if (sqlite3_wal_autocheckpoint(d->db, 0) != SQLITE_OK) {
        if (!(*err = strdup("cannot set up delivery's store connection")))
            abort();
        destroy(d);
        return NULL;
    }
    if (store_exec(d->db, "CREATE INDEX IF NOT EXISTS outbox_group ON outbox (instance, kind, id)", err) != 0 ||
        http_setup(d) != 0 || init_sync(d) != 0) {
        if (!*err && !(*err = strdup("cannot set up delivery (libcurl or threads)")))
            abort();
        destroy(d);
        return NULL;
    }
    if (pthread_create(&d->thread, NULL, delivery_main, d) != 0) {
        if (!(*err = strdup("cannot start the delivery thread")))
            abort();
        pthread_cond_destroy(&d->wake);
        pthread_mutex_destroy(&d->lock);
        destroy(d);
        return NULL;
    }
    return d;
}

void delivery_notify(delivery *d)
{
    if (!d)
        return;
    pthread_mutex_lock(&d->lock);
    d->notified = 1;
    pthread_cond_signal(&d->wake);
    pthread_mutex_unlock(&d->lock);
}

void delivery_stop(delivery *d)
{
    if (!d)
        return;
    atomic_store(&d->deadline, mono_ms() + STOP_DRAIN_MS);
    pthread_mutex_lock(&d->lock);
    d->stopping = 1;
    pthread_cond_signal(&d->wake);
    pthread_mutex_unlock(&d->lock);
    pthread_join(d->thread, NULL);
    pthread_cond_destroy(&d->wake);
    pthread_mutex_destroy(&d->lock);
    destroy(d);
}
