/*
 * segment-api: one blocking libcurl request to Segment's Public API and the
 * reading of its reply envelope (see segment-api.h).
 */
#include "workspace/segment-api.h"
#include "util/xalloc.h"

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RAW_SHOWN 200   /* bytes of a non-JSON error body quoted */

typedef struct reply {
    char *data;
    size_t len;
    int too_large;
} reply;

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    reply *r = userdata;
    size_t n = size * nmemb;
    if (r->len + n > (size_t)SEGMENT_API_MAX_REPLY) {
        r->too_large = 1;
        return 0;
    }
    char *grown = realloc(r->data, r->len + n + 1);
    if (!grown)
        abort();
    memcpy(grown + r->len, ptr, n);
    r->len += n;
    grown[r->len] = '\0';
    r->data = grown;
    return n;
}

/* --- error messages ---------------------------------------------------------------- */

static void append(char **acc, const char *piece)
{
    char *joined = *acc ? xasprintf("%s; %s", *acc, piece) : xasprintf("%s", piece);
    free(*acc);
    *acc = joined;
}

static char *errors_text(json_t *errors)
{
    char *acc = NULL;
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e) {
        const char *message = json_string_value(json_is_string(e) ? e : json_object_get(e, "message"));
        const char *field = json_string_value(json_object_get(e, "field"));
        if (!message)
            continue;
        char *piece = field && *field ? xasprintf("%s (field %s)", message, field) : xasprintf("%s", message);
        append(&acc, piece);
        free(piece);
    }
    return acc;
}

char *segment_api_error_message(const char *raw, size_t len)
{
    if (!raw || len == 0)
        return NULL;
    json_error_t jerr;
    json_t *doc = json_loadb(raw, len, 0, &jerr);
    char *msg = doc ? errors_text(json_object_get(doc, "errors")) : NULL;
    const char *alt = json_string_value(json_object_get(doc, "message"));
    if (!alt)
        alt = json_string_value(json_object_get(doc, "error"));
    if (!msg && alt)
        msg = xasprintf("%s", alt);
    json_decref(doc);
    if (!msg) {
        size_t n = len < RAW_SHOWN ? len : RAW_SHOWN;
        msg = xasprintf("%.*s%s", (int)n, raw, len > n ? "…" : "");
        for (char *p = msg; *p; p++) {
            if (*p == '\n' || *p == '\r' || *p == '\t')
                *p = ' ';
        }
    }
    return msg;
}

static const char *reason(long status)
{
    switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    default: return status >= 500 ? "Server Error" : status >= 200 && status < 300 ? "OK" : "Error";
    }
}

/* --- the request ----------------------------------------------------------------------- */

/* Frees a header list after wiping it (it holds the token). */
static void free_headers(struct curl_slist *h)
{
    for (struct curl_slist *p = h; p; p = p->next)
        OPENSSL_cleanse(p->data, strlen(p->data));
    curl_slist_free_all(h);
}

static struct curl_slist *add_header(struct curl_slist *list, const char *line, int *ok)
{
    struct curl_slist *grown = *ok ? curl_slist_append(list, line) : NULL;
    if (!grown) {
        *ok = 0;
        return list;
    }
    return grown;
}

static struct curl_slist *make_headers(const char *token, int with_body)
{
    char *auth = xasprintf("Authorization: Bearer %s", token);
    int ok = 1;
    struct curl_slist *h = add_header(NULL, auth, &ok);
    OPENSSL_cleanse(auth, strlen(auth));
    free(auth);
    h = add_header(h, "Accept: application/json", &ok);
    h = add_header(h, "User-Agent: srcfn", &ok);
    h = add_header(h, "Expect:", &ok);
    if (with_body)
        h = add_header(h, "Content-Type: application/json", &ok);
    if (!ok) {
        free_headers(h);
        return NULL;
    }
    return h;
}

/* Sets every option of the request; CURLE_OK or the first failure. */
static CURLcode set_options(CURL *c, const char *url, const char *method, const char *payload,
                            struct curl_slist *headers, reply *r, char *errbuf)
{
    CURLcode rc = curl_easy_setopt(c, CURLOPT_URL, url);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, SEGMENT_API_CONNECT_TIMEOUT_S);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(c, CURLOPT_TIMEOUT, SEGMENT_API_TIMEOUT_S);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
    if (rc == CURLE_OK && strcmp(method, "GET") != 0)
        rc = curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (rc == CURLE_OK && payload)
        rc = curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(payload));
    if (rc == CURLE_OK && payload)
        rc = curl_easy_setopt(c, CURLOPT_POSTFIELDS, payload);
    return rc;
}

/* Reads a reply: SEGMENT_OK with *data, or SEGMENT_API_ERROR with *err. */
static segment_outcome read_reply(const char *method, const char *url, long status, const reply *r, json_t **data,
                                  char **err)
{
    if (status < 200 || status > 299) {
        char *msg = segment_api_error_message(r->data, r->len);
        *err = xasprintf("%s %s: %ld %s%s%s", method, url, status, reason(status), msg ? ": " : "", msg ? msg : "");
        free(msg);
        return SEGMENT_API_ERROR;
    }
    json_error_t jerr;
    json_t *doc = r->len ? json_loadb(r->data, r->len, 0, &jerr) : NULL;
    json_t *d = json_object_get(doc, "data");
    if (!json_is_object(d)) {
        *err = xasprintf("%s %s: %ld, but the reply is not the Public API's {\"data\": …} envelope", method, url, status);
        json_decref(doc);
        return SEGMENT_API_ERROR;
    }
    *data = json_incref(d);
    json_decref(doc);
    return SEGMENT_OK;
}

segment_outcome segment_api_call(const char *base, const char *token, const char *method, const char *path,
                                 json_t *body, json_t **data, long *status, char **err)
{
    *data = NULL;
    *err = NULL;
    *status = 0;
    char *url = xasprintf("%s%s", base, path);
    char *payload = body ? json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    struct curl_slist *headers = make_headers(token, body != NULL);
    CURL *c = curl_easy_init();
    char errbuf[CURL_ERROR_SIZE] = "";
    reply r = {0};
    segment_outcome out = SEGMENT_NETWORK_ERROR;
    CURLcode rc = CURLE_FAILED_INIT;
    if ((body && !payload) || !headers || !c) {
        *err = xasprintf("%s %s: cannot prepare the request", method, url);
    } else if ((rc = set_options(c, url, method, payload, headers, &r, errbuf)) != CURLE_OK) {
        *err = xasprintf("%s %s: cannot prepare the request: %s", method, url, curl_easy_strerror(rc));
    } else if ((rc = curl_easy_perform(c)) != CURLE_OK) {
        if (r.too_large)
            *err = xasprintf("%s %s: the reply is larger than %ld bytes", method, url, SEGMENT_API_MAX_REPLY);
        else
            *err = xasprintf("cannot reach %s (%s %s): %s", base, method, url, errbuf[0] ? errbuf : curl_easy_strerror(rc));
    } else if (curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status) != CURLE_OK) {
        *err = xasprintf("%s %s: cannot read the reply's status", method, url);
    } else {
        out = read_reply(method, url, *status, &r, data, err);
    }
    if (c)
        curl_easy_cleanup(c);
    free_headers(headers);
    free(payload);
    free(r.data);
    free(url);
    return out;
}
