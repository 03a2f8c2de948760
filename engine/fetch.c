/*
 * fetch: the engine's outgoing HTTP (see fetch.h), one libcurl multi handle per
 * fetcher, one easy handle per transfer. 57-fetch.js builds node-fetch 2 on
 * top of the natives registered here; this file only moves bytes: one request,
 * one response, no redirect followed (the runtime follows them hop by hop, as
 * node-fetch does, so methods, bodies and headers change between hops the way
 * node-fetch changes them).
 *
 * Invariants:
 * - A transfer is on its fetcher's list from the moment fetchStart allocates
 *   it until it is delivered, aborted or the fetcher is freed, so an error
 *   thrown half-way through fetchStart leaks nothing.
 * - t->active iff the easy handle is in the multi handle; fetcher_pending
 *   counts those.
 * - Only http and https, HTTP/1.1 (what Node's http module speaks), no proxy
 *   from the environment, no cookie engine, never `Expect: 100-continue`.
 * - No transfer outlives the run: its timeout is the time left until the
 *   fetcher's deadline plus a little slack, so that the engine's own timeout
 *   fires first and the run ends as a TimeoutError rather than as a fetch
 *   error the function might catch.
 * - A result is built on the heap inside duk_safe_call: a body past the heap's
 *   memory cap becomes an error there, never a fatal one.
 */
#include "engine/fetch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <openssl/x509.h>

#include "engine/heap.h"

#define BODY_CAP (64u * 1024 * 1024)   /* no response body is larger */
#define DEADLINE_SLACK_MS 250           /* the run's own timeout wins */
#define STASH_FETCHER "fetcher"
#define STASH_CALLBACK "fetchOnDone"

typedef struct header {
    char *name;
    char *value;
} header;

typedef struct transfer {
    struct transfer *next;
    double id;                   /* the runtime's id of the transfer */
    CURL *easy;
    int active;                  /* in the multi handle */
    struct curl_slist *headers;
    unsigned char *req_body;     /* the request body, owned (curl does not copy) */
    size_t req_len;
    unsigned char *body;         /* the response body so far */
    size_t body_len, body_cap, body_max;
    header *resp;                /* headers of the response (the last status line's) */
    size_t nresp, cresp;
    long status;
    char *status_text;
    int headers_done;            /* the final response's header block ended */
    int over_size;               /* the body passed body_max */
    int user_timeout;            /* the user's timeout, not the run's, bounds it */
    char errbuf[CURL_ERROR_SIZE];
} transfer;

struct fetcher {
    CURLM *multi;
    transfer *list;
    int pending;
    int64_t deadline_ns;
};

/* --- memory ------------------------------------------------------------------ */

static void resp_headers_clear(transfer *t)
{
    for (size_t i = 0; i < t->nresp; i++) {
        free(t->resp[i].name);
        free(t->resp[i].value);
    }
    t->nresp = 0;
}

static void transfer_free(transfer *t)
{
    if (!t)
        return;
    if (t->easy)
        curl_easy_cleanup(t->easy);
    curl_slist_free_all(t->headers);
    free(t->req_body);
    free(t->body);
    resp_headers_clear(t);
    free(t->resp);
    free(t->status_text);
    free(t);
}

static void unlink_transfer(fetcher *f, transfer *t)
{
    for (transfer **p = &f->list; *p; p = &(*p)->next) {
        if (*p == t) {
            *p = t->next;
            t->next = NULL;
            return;
        }
    }
}

/* Takes t out of the multi handle and the list, and frees it. */
static void transfer_drop(fetcher *f, transfer *t)
{
    if (t->active) {
        (void)curl_multi_remove_handle(f->multi, t->easy);   /* nothing to do if it fails */
        t->active = 0;
        f->pending--;
    }
    unlink_transfer(f, t);
    transfer_free(t);
}

fetcher *fetcher_new(void)
{
    fetcher *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->multi = curl_multi_init();
    if (!f->multi) {
        free(f);
        return NULL;
    }
    return f;
}

void fetcher_abort_all(fetcher *f)
{
    if (!f)
        return;
    while (f->list)
        transfer_drop(f, f->list);
}

void fetcher_free(fetcher *f)
{
    if (!f)
        return;
    fetcher_abort_all(f);
    (void)curl_multi_cleanup(f->multi);
    free(f);
}

int fetcher_pending(const fetcher *f)
{
    return f ? f->pending : 0;
}

void fetcher_set_deadline(fetcher *f, int64_t deadline_ns)
{
    if (f)
        f->deadline_ns = deadline_ns;
}

/* --- text ----------------------------------------------------------------------- */

/* Header bytes are Latin-1 to Node (its parser's 'latin1' strings); the heap wants UTF-8. */
static char *latin1_to_utf8(const char *s, size_t len)
{
    char *out = malloc(len * 2 + 1);
    if (!out)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            out[n++] = (char)c;
        } else {
            out[n++] = (char)(0xC0 | (c >> 6));
            out[n++] = (char)(0x80 | (c & 0x3F));
        }
    }
    out[n] = '\0';
    return out;
}

/* A heap string (UTF-8) as the Latin-1 bytes Node writes for a header; NULL when a
 * character is past U+00FF or is one HTTP forbids in a header (CR, LF, NUL). */
static char *header_text(const char *s, size_t len)
{
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\r' || c == '\n' || c == '\0') {
            free(out);
            return NULL;
        }
        if (c < 0x80) {
            out[n++] = (char)c;
        } else if ((c == 0xC2 || c == 0xC3) && i + 1 < len && ((unsigned char)s[i + 1] & 0xC0) == 0x80) {
            out[n++] = (char)(((c & 0x03) << 6) | ((unsigned char)s[i + 1] & 0x3F));
            i++;
        } else {
            free(out);
            return NULL;
        }
    }
    out[n] = '\0';
    return out;
}

/* --- curl callbacks --------------------------------------------------------------- */

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
    transfer *t = userdata;
    size_t n = size * nmemb;
    if (n > t->body_max - t->body_len) {
        t->over_size = 1;
        return 0;    /* stops the transfer with CURLE_WRITE_ERROR */
    }
    if (t->body_len + n > t->body_cap) {
        size_t cap = t->body_cap ? t->body_cap : 16384;
        while (cap < t->body_len + n)
            cap = cap > t->body_max / 2 ? t->body_max : cap * 2;
        unsigned char *grown = realloc(t->body, cap);
        if (!grown)
            return 0;
        t->body = grown;
        t->body_cap = cap;
    }
    memcpy(t->body + t->body_len, data, n);
    t->body_len += n;
    return n;
}

static int trim_space(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* "HTTP/1.1 404 Not Found": a new response begins (an interim 1xx came before). */
static int status_line(transfer *t, const char *line, size_t len)
{
    resp_headers_clear(t);
    free(t->status_text);
    t->status_text = NULL;
    t->headers_done = 0;
    size_t i = 0;
    while (i < len && line[i] != ' ')
        i++;
    while (i < len && line[i] == ' ')
        i++;
    long status = 0;
    while (i < len && line[i] >= '0' && line[i] <= '9' && status < 1000)
        status = status * 10 + (line[i++] - '0');
    if (i < len && line[i] == ' ')
        i++;
    t->status = status;
    t->status_text = latin1_to_utf8(line + i, len - i);
    return t->status_text ? 0 : -1;
}

static int add_header(transfer *t, const char *line, size_t len)
{
    if (line[0] == ' ' || line[0] == '\t') {
        /* an obsolete folded line continues the previous value */
        if (t->nresp == 0)
            return 0;
        while (len && trim_space(line[0])) {
            line++;
            len--;
        }
        header *h = &t->resp[t->nresp - 1];
        char *more = latin1_to_utf8(line, len);
        size_t old = strlen(h->value);
        char *joined = more ? realloc(h->value, old + 1 + strlen(more) + 1) : NULL;
        if (!joined) {
            free(more);
            return -1;
        }
        joined[old] = ' ';
        strcpy(joined + old + 1, more);
        free(more);
        h->value = joined;
        return 0;
    }
    const char *colon = memchr(line, ':', len);
    if (!colon || colon == line)
        return 0;    /* not a header: skipped, as a lenient client does */
    size_t vstart = (size_t)(colon - line) + 1;
    while (vstart < len && trim_space(line[vstart]))
        vstart++;
    if (t->nresp == t->cresp) {
        size_t cap = t->cresp ? t->cresp * 2 : 16;
        header *grown = realloc(t->resp, cap * sizeof *grown);
        if (!grown)
            return -1;
        t->resp = grown;
        t->cresp = cap;
    }
    header h = {latin1_to_utf8(line, (size_t)(colon - line)), latin1_to_utf8(line + vstart, len - vstart)};
    if (!h.name || !h.value) {
        free(h.name);
        free(h.value);
        return -1;
    }
    t->resp[t->nresp++] = h;
    return 0;
}

static size_t on_header(char *data, size_t size, size_t nitems, void *userdata)
{
    transfer *t = userdata;
    size_t n = size * nitems, len = n;
    while (len && trim_space(data[len - 1]))
        len--;
    if (len == 0) {
        /* the blank line that ends a header block (a 1xx one is followed by another) */
        if (t->status >= 200)
            t->headers_done = 1;
        return n;
    }
    int rc = len >= 5 && memcmp(data, "HTTP/", 5) == 0 ? status_line(t, data, len) : add_header(t, data, len);
    return rc == 0 ? n : 0;
}

/* --- natives ----------------------------------------------------------------------- */

static fetcher *fetcher_of(duk_context *ctx)
{
    duk_push_heap_stash(ctx);
    duk_get_prop_string(ctx, -1, STASH_FETCHER);
    fetcher *f = duk_get_pointer(ctx, -1);
    duk_pop_2(ctx);
    if (!f)
        (void)duk_error(ctx, DUK_ERR_ERROR, "fetch is not available in this heap");
    return f;
}

static int has_header(const struct curl_slist *list, const char *name)
{
    size_t n = strlen(name);
    for (; list; list = list->next) {
        if (strncasecmp(list->data, name, n) == 0 && list->data[n] == ':')
            return 1;
    }
    return 0;
}

static int append_header(transfer *t, const char *line)
{
    struct curl_slist *grown = curl_slist_append(t->headers, line);
    if (!grown)
        return -1;
    t->headers = grown;
    return 0;
}

/* Reads headerPairs (index 3) into t->headers; returns an error message or NULL. */
static const char *read_headers(duk_context *ctx, transfer *t)
{
    if (!duk_is_array(ctx, 3))
        return duk_is_undefined(ctx, 3) ? NULL : "headers must be an array of pairs";
    duk_size_t count = duk_get_length(ctx, 3);
    for (duk_size_t i = 0; i < count; i++) {
        duk_get_prop_index(ctx, 3, (duk_uarridx_t)i);
        duk_get_prop_index(ctx, -1, 0);
        duk_get_prop_index(ctx, -2, 1);
        duk_size_t nlen = 0, vlen = 0;
        const char *name = duk_get_lstring(ctx, -2, &nlen);
        const char *value = duk_get_lstring(ctx, -1, &vlen);
        if (!name || !value || nlen == 0) {
            duk_pop_3(ctx);
            return "a header is not a pair of strings";
        }
        char *n = header_text(name, nlen), *v = header_text(value, vlen);
        duk_pop_3(ctx);
        char *line = n && v ? malloc(strlen(n) + strlen(v) + 3) : NULL;
        if (line) {
            /* "Name;" is how curl sends a header whose value is empty */
            if (*v)
                sprintf(line, "%s: %s", n, v);
            else
                sprintf(line, "%s;", n);
        }
        free(n);
        free(v);
        if (!line)
            return "Invalid character in header content";
        int rc = append_header(t, line);
        free(line);
        if (rc != 0)
            return "out of memory";
    }
    return NULL;
}

/* Reads the body (index 4): undefined, a string or a buffer; NULL or an error message. */
static const char *read_body(duk_context *ctx, transfer *t, int *has_body)
{
    const void *data = NULL;
    duk_size_t len = 0;
    *has_body = 1;
    if (duk_is_undefined(ctx, 4) || duk_is_null(ctx, 4)) {
        *has_body = 0;
        return NULL;
    } else if (duk_is_string(ctx, 4)) {
        data = duk_get_lstring(ctx, 4, &len);
    } else if (duk_is_buffer_data(ctx, 4)) {
        data = duk_get_buffer_data(ctx, 4, &len);
    } else {
        return "the body must be a string or a buffer";
    }
    t->req_body = malloc(len ? len : 1);
    if (!t->req_body)
        return "out of memory";
    if (len)
        memcpy(t->req_body, data, len);
    t->req_len = len;
    return NULL;
}

static double option_number(duk_context *ctx, const char *name)
{
    double v = 0;
    if (duk_is_object(ctx, 5)) {
        duk_get_prop_string(ctx, 5, name);
        v = duk_is_number(ctx, -1) ? duk_get_number(ctx, -1) : 0;
        duk_pop(ctx);
    }
    return v == v && v > 0 ? v : 0;
}

static int option_compress(duk_context *ctx)
{
    int v = 1;
    if (duk_is_object(ctx, 5)) {
        duk_get_prop_string(ctx, 5, "compress");
        if (!duk_is_undefined(ctx, -1))
            v = duk_to_boolean(ctx, -1);
        duk_pop(ctx);
    }
    return v;
}

/* Every option of the easy handle; returns a message, or NULL when all were taken. */
static const char *configure(transfer *t, const char *method, const char *url, int has_body,
                             double timeout_ms, int compress, int64_t deadline_ns)
{
#define SET(opt, val)                                      \
    do {                                                   \
        if (curl_easy_setopt(t->easy, opt, val) != CURLE_OK) \
            return "cannot set up the HTTP request (" #opt ")"; \
    } while (0)
    SET(CURLOPT_URL, url);
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_FOLLOWLOCATION, 0L);
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_PROXY, "");
    SET(CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    SET(CURLOPT_PATH_AS_IS, 1L);
    SET(CURLOPT_PRIVATE, (void *)t);
    SET(CURLOPT_ERRORBUFFER, t->errbuf);
    SET(CURLOPT_WRITEFUNCTION, on_body);
    SET(CURLOPT_WRITEDATA, (void *)t);
    SET(CURLOPT_HEADERFUNCTION, on_header);
    SET(CURLOPT_HEADERDATA, (void *)t);
    if (compress) {
        SET(CURLOPT_ACCEPT_ENCODING, "");   /* decode what the server compressed */
        SET(CURLOPT_HTTP_CONTENT_DECODING, 1L);
    } else {
        SET(CURLOPT_HTTP_CONTENT_DECODING, 0L);
    }

    if (strcmp(method, "HEAD") == 0) {
        SET(CURLOPT_NOBODY, 1L);
    } else if (strcmp(method, "GET") == 0 && !has_body) {
        SET(CURLOPT_HTTPGET, 1L);
    } else {
        if (strcmp(method, "POST") != 0)
            SET(CURLOPT_CUSTOMREQUEST, method);
        if (has_body) {
            SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)t->req_len);
            SET(CURLOPT_POSTFIELDS, (char *)t->req_body);
            if (!has_header(t->headers, "Content-Type") && append_header(t, "Content-Type:") != 0)
                return "out of memory";
        }
    }
    if (!has_header(t->headers, "Expect") && append_header(t, "Expect:") != 0)
        return "out of memory";
    SET(CURLOPT_HTTPHEADER, t->headers);

    long limit = 0;
    if (deadline_ns > 0) {
        int64_t left = (deadline_ns - heap_now_ns()) / 1000000 + DEADLINE_SLACK_MS;
        limit = left > 1 ? (long)left : 1;
    }
    if (timeout_ms > 0 && (limit == 0 || timeout_ms <= (double)limit)) {
        limit = timeout_ms < 1 ? 1 : (long)timeout_ms;
        t->user_timeout = 1;
    }
    SET(CURLOPT_TIMEOUT_MS, limit);
    return NULL;
#undef SET
}

/* fetchStart(id, method, url, headerPairs, body, {timeout, size, compress}) */
static duk_ret_t native_fetch_start(duk_context *ctx)
{
    fetcher *f = fetcher_of(ctx);
    double id = duk_require_number(ctx, 0);
    const char *method = duk_require_string(ctx, 1);
    const char *url = duk_require_string(ctx, 2);
    double timeout_ms = option_number(ctx, "timeout");
    double size = option_number(ctx, "size");
    int compress = option_compress(ctx);

    transfer *t = calloc(1, sizeof *t);
    if (!t)
        return duk_error(ctx, DUK_ERR_RANGE_ERROR, "out of memory");
    t->next = f->list;    /* owned by the fetcher from here on */
    f->list = t;
    t->id = id;
    t->body_max = size > 0 && size < BODY_CAP ? (size_t)size : BODY_CAP;

    int has_body = 0;
    const char *why = NULL;
    t->easy = curl_easy_init();
    if (!t->easy)
        why = "cannot create an HTTP request";
    if (!why)
        why = read_headers(ctx, t);
    if (!why)
        why = read_body(ctx, t, &has_body);
    if (!why)
        why = configure(t, method, url, has_body, timeout_ms, compress, f->deadline_ns);
    if (!why) {
        if (curl_multi_add_handle(f->multi, t->easy) == CURLM_OK) {
            t->active = 1;
            f->pending++;
            return 0;
        }
        why = "cannot start the HTTP request";
    }
    char message[160];
    snprintf(message, sizeof message, "%s", why);
    transfer_drop(f, t);
    return duk_error(ctx, DUK_ERR_TYPE_ERROR, "%s", message);
}

/* fetchAbort(id): true when a transfer of that id was running. */
static duk_ret_t native_fetch_abort(duk_context *ctx)
{
    fetcher *f = fetcher_of(ctx);
    double id = duk_require_number(ctx, 0);
    for (transfer *t = f->list; t; t = t->next) {
        if (t->id == id) {
            transfer_drop(f, t);
            duk_push_true(ctx);
            return 1;
        }
    }
    duk_push_false(ctx);
    return 1;
}

/* fetchOnDone(callback(id, result)) */
static duk_ret_t native_fetch_on_done(duk_context *ctx)
{
    duk_require_function(ctx, 0);
    duk_push_heap_stash(ctx);
    duk_dup(ctx, 0);
    duk_put_prop_string(ctx, -2, STASH_CALLBACK);
    return 0;
}

/* fetchPending(): transfers in flight (the runtime forgets its stale ones at 0). */
static duk_ret_t native_fetch_pending(duk_context *ctx)
{
    duk_push_int(ctx, fetcher_pending(fetcher_of(ctx)));
    return 1;
}

void native_fetch_register(duk_context *ctx)
{
    static const duk_function_list_entry fns[] = {
        {"fetchStart", native_fetch_start, 6},
        {"fetchAbort", native_fetch_abort, 1},
        {"fetchOnDone", native_fetch_on_done, 1},
        {"fetchPending", native_fetch_pending, 0},
        {NULL, NULL, 0},
    };
    duk_put_function_list(ctx, -1, fns);
}

/* --- results ------------------------------------------------------------------------ */

typedef struct error_name {
    int value;
    const char *name;
} error_name;

static const char *errno_name(long e, const char *fallback)
{
    static const error_name names[] = {
        {ECONNREFUSED, "ECONNREFUSED"}, {ECONNRESET, "ECONNRESET"},   {ETIMEDOUT, "ETIMEDOUT"},
        {EHOSTUNREACH, "EHOSTUNREACH"}, {ENETUNREACH, "ENETUNREACH"}, {EPIPE, "EPIPE"},
        {ECONNABORTED, "ECONNABORTED"}, {EADDRNOTAVAIL, "EADDRNOTAVAIL"}, {EACCES, "EACCES"},
        {EPERM, "EPERM"},               {ENETDOWN, "ENETDOWN"},       {EHOSTDOWN, "EHOSTDOWN"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (names[i].value == e)
            return names[i].name;
    }
    return fallback;
}

/* OpenSSL's verify results, named as Node names them. */
static const char *x509_code(long v)
{
    static const error_name names[] = {
        {X509_V_ERR_CERT_HAS_EXPIRED, "CERT_HAS_EXPIRED"},
        {X509_V_ERR_CERT_NOT_YET_VALID, "CERT_NOT_YET_VALID"},
        {X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, "DEPTH_ZERO_SELF_SIGNED_CERT"},
        {X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, "SELF_SIGNED_CERT_IN_CHAIN"},
        {X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, "UNABLE_TO_GET_ISSUER_CERT_LOCALLY"},
        {X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE, "UNABLE_TO_VERIFY_LEAF_SIGNATURE"},
        {X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT, "UNABLE_TO_GET_ISSUER_CERT"},
        {X509_V_ERR_CERT_REVOKED, "CERT_REVOKED"},
        {X509_V_ERR_CERT_SIGNATURE_FAILURE, "CERT_SIGNATURE_FAILURE"},
        {X509_V_ERR_INVALID_CA, "INVALID_CA"},
        {X509_V_ERR_CERT_UNTRUSTED, "CERT_UNTRUSTED"},
        {X509_V_ERR_CERT_REJECTED, "CERT_REJECTED"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (names[i].value == v)
            return names[i].name;
    }
    return NULL;
}

/* "ip:port" of the peer, else "host:port" of the URL, for Node-like reasons. */
static void peer_of(transfer *t, char *out, size_t size, char *host, size_t host_size)
{
    char *ip = NULL, *url = NULL;
    long port = 0;
    host[0] = '\0';
    if (curl_easy_getinfo(t->easy, CURLINFO_EFFECTIVE_URL, &url) == CURLE_OK && url) {
        CURLU *u = curl_url();
        char *h = NULL, *p = NULL;
        if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK) {
            if (curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK && h) {
                size_t n = strlen(h);
                if (n >= 2 && h[0] == '[' && h[n - 1] == ']')
                    snprintf(host, host_size, "%.*s", (int)(n - 2), h + 1);
                else
                    snprintf(host, host_size, "%s", h);
            }
            if (curl_url_get(u, CURLUPART_PORT, &p, CURLU_DEFAULT_PORT) == CURLUE_OK && p)
                port = strtol(p, NULL, 10);
        }
        curl_free(h);
        curl_free(p);
        curl_url_cleanup(u);
    }
    long peer_port = 0;
    if (curl_easy_getinfo(t->easy, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip && *ip) {
        if (curl_easy_getinfo(t->easy, CURLINFO_PRIMARY_PORT, &peer_port) == CURLE_OK && peer_port > 0)
            port = peer_port;
        snprintf(out, size, "%s:%ld", ip, port);
    } else {
        snprintf(out, size, "%s:%ld", host, port);
    }
}

static void put_string(duk_context *ctx, const char *key, const char *value)
{
    duk_push_string(ctx, value);
    duk_put_prop_string(ctx, -2, key);
}

/* Adds status, statusText, url, location and headers to the object on top. */
static void put_head(duk_context *ctx, transfer *t)
{
    char *url = NULL, *location = NULL;
    duk_push_number(ctx, (double)t->status);
    duk_put_prop_string(ctx, -2, "status");
    put_string(ctx, "statusText", t->status_text ? t->status_text : "");
    if (curl_easy_getinfo(t->easy, CURLINFO_EFFECTIVE_URL, &url) == CURLE_OK && url)
        put_string(ctx, "url", url);
    if (curl_easy_getinfo(t->easy, CURLINFO_REDIRECT_URL, &location) == CURLE_OK && location)
        put_string(ctx, "location", location);
    duk_push_array(ctx);
    for (size_t i = 0; i < t->nresp; i++) {
        duk_push_array(ctx);
        duk_push_string(ctx, t->resp[i].name);
        duk_put_prop_index(ctx, -2, 0);
        duk_push_string(ctx, t->resp[i].value);
        duk_put_prop_index(ctx, -2, 1);
        duk_put_prop_index(ctx, -2, (duk_uarridx_t)i);
    }
    duk_put_prop_string(ctx, -2, "headers");
}

/* {error, code, kind}: kind 'system' (node-fetch's "request to … failed"),
 * 'body' (the body broke off), 'max-size' or 'request-timeout'. */
static void push_error(duk_context *ctx, transfer *t, CURLcode res)
{
    char reason[512], peer[300], host[256];
    const char *code = "EIO", *kind = "system";
    long os_errno = 0;
    (void)curl_easy_getinfo(t->easy, CURLINFO_OS_ERRNO, &os_errno);
    peer_of(t, peer, sizeof peer, host, sizeof host);
    const char *detail = t->errbuf[0] ? t->errbuf : curl_easy_strerror(res);
    snprintf(reason, sizeof reason, "%s", detail);

    switch (res) {
    case CURLE_WRITE_ERROR:
        if (t->over_size) {
            kind = "max-size";
            code = "";
            snprintf(reason, sizeof reason, "over limit: %zu", t->body_max);
        } else {
            code = "ENOMEM";
            snprintf(reason, sizeof reason, "out of memory");
        }
        break;
    case CURLE_OPERATION_TIMEDOUT:
        if (t->user_timeout) {
            kind = "request-timeout";
            code = "";
        } else {
            code = "ETIMEDOUT";
            snprintf(reason, sizeof reason, "%s ETIMEDOUT %s", t->status ? "read" : "connect", peer);
        }
        break;
    case CURLE_COULDNT_RESOLVE_HOST:
        code = "ENOTFOUND";
        snprintf(reason, sizeof reason, "getaddrinfo ENOTFOUND %s", host);
        break;
    case CURLE_COULDNT_CONNECT:
        code = errno_name(os_errno, "ECONNREFUSED");
        snprintf(reason, sizeof reason, "connect %s %s", code, peer);
        break;
    case CURLE_GOT_NOTHING:
        code = "ECONNRESET";
        snprintf(reason, sizeof reason, "socket hang up");
        break;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
        code = errno_name(os_errno, "ECONNRESET");
        if (os_errno)
            snprintf(reason, sizeof reason, "%s %s", res == CURLE_SEND_ERROR ? "write" : "read", code);
        else
            snprintf(reason, sizeof reason, "socket hang up");
        break;
    case CURLE_PARTIAL_FILE:
        kind = "body";
        code = "ERR_STREAM_PREMATURE_CLOSE";
        snprintf(reason, sizeof reason, "Premature close");
        break;
    case CURLE_BAD_CONTENT_ENCODING:
        kind = "body";
        code = "Z_DATA_ERROR";
        snprintf(reason, sizeof reason, "incorrect header check");
        break;
    case CURLE_PEER_FAILED_VERIFICATION: {
        long verify = 0;
        const char *name = NULL;
        if (curl_easy_getinfo(t->easy, CURLINFO_SSL_VERIFYRESULT, &verify) == CURLE_OK && verify)
            name = x509_code(verify);
        if (name) {
            code = name;
            snprintf(reason, sizeof reason, "%s", X509_verify_cert_error_string(verify));
        } else {
            code = "ERR_TLS_CERT_ALTNAME_INVALID";
            snprintf(reason, sizeof reason,
                     "Hostname/IP does not match certificate's altnames: Host: %s. is not in the cert's altnames",
                     host);
        }
        break;
    }
    case CURLE_SSL_CONNECT_ERROR:
        code = "EPROTO";
        break;
    case CURLE_WEIRD_SERVER_REPLY:
        code = "HPE_INVALID_CONSTANT";
        snprintf(reason, sizeof reason, "Parse Error: Expected HTTP/");
        break;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
        code = "ERR_INVALID_URL";
        snprintf(reason, sizeof reason, "Invalid URL");
        break;
    case CURLE_OUT_OF_MEMORY:
        code = "ENOMEM";
        break;
    default:
        break;
    }
    duk_push_object(ctx);
    put_string(ctx, "error", reason);
    put_string(ctx, "code", code);
    put_string(ctx, "kind", kind);
    if (t->headers_done) {
        /* node-fetch resolved the response already: its body read fails */
        put_head(ctx, t);
        duk_push_true(ctx);
        duk_put_prop_string(ctx, -2, "headersDone");
    }
}

static void push_response(duk_context *ctx, transfer *t)
{
    duk_push_object(ctx);
    put_head(ctx, t);
    void *bytes = duk_push_fixed_buffer(ctx, t->body_len);
    if (t->body_len)
        memcpy(bytes, t->body, t->body_len);
    duk_push_buffer_object(ctx, -1, 0, t->body_len, DUK_BUFOBJ_UINT8ARRAY);
    duk_remove(ctx, -2);
    duk_put_prop_string(ctx, -2, "body");
}

typedef struct delivery {
    transfer *t;
    CURLcode res;
} delivery;

/* In a safe call: callback(id, result). */
static duk_ret_t deliver_call(duk_context *ctx, void *udata)
{
    delivery *d = udata;
    duk_push_heap_stash(ctx);
    duk_get_prop_string(ctx, -1, STASH_CALLBACK);
    duk_remove(ctx, -2);
    if (!duk_is_function(ctx, -1))
        return 0;    /* nobody listens: the result is dropped */
    duk_push_number(ctx, d->t->id);
    if (d->res == CURLE_OK)
        push_response(ctx, d->t);
    else
        push_error(ctx, d->t, d->res);
    duk_call(ctx, 2);
    return 1;
}

/* Hands every finished transfer to the runtime; -1 when a callback threw. */
static int deliver_done(fetcher *f, duk_context *ctx, int *delivered)
{
    int rc = 0, left = 0;
    CURLMsg *msg;
    while ((msg = curl_multi_info_read(f->multi, &left)) != NULL) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        delivery d = {NULL, msg->data.result};
        CURL *easy = msg->easy_handle;   /* msg dies with remove_handle: copy first */
        char *priv = NULL;
        if (curl_easy_getinfo(easy, CURLINFO_PRIVATE, &priv) != CURLE_OK || !priv)
            continue;
        d.t = (transfer *)(void *)priv;
        if (d.t->active) {
            (void)curl_multi_remove_handle(f->multi, easy);   /* a done handle: cannot fail usefully */
            d.t->active = 0;
            f->pending--;
        }
        unlink_transfer(f, d.t);
        (*delivered)++;
        if (ctx && duk_safe_call(ctx, deliver_call, &d, 0, 1) != DUK_EXEC_SUCCESS)
            rc = -1;
        if (ctx)
            duk_pop(ctx);
        transfer_free(d.t);
    }
    return rc;
}

int fetcher_wait(fetcher *f, duk_context *ctx, long timeout_ms)
{
    if (!f)
        return 0;
    int running = 0, delivered = 0;
    (void)curl_multi_perform(f->multi, &running);   /* errors show per transfer */
    int rc = deliver_done(f, ctx, &delivered);
    if (delivered || f->pending == 0)
        return rc;
    if (curl_multi_poll(f->multi, NULL, 0, timeout_ms > 0 ? (int)timeout_ms : 0, NULL) != CURLM_OK)
        return rc;
    (void)curl_multi_perform(f->multi, &running);
    return deliver_done(f, ctx, &delivered) != 0 ? -1 : rc;
}
