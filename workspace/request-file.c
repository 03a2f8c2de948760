#include "workspace/request-file.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *format(const char *fmt, const char *a, const char *b)
{
    char *s = NULL;
    if (asprintf(&s, fmt, a, b) < 0)
        abort();
    return s;
}

/* Headers must map names to strings or arrays of strings. */
static int headers_ok(json_t *headers)
{
    const char *k;
    json_t *v;
    json_object_foreach(headers, k, v) {
        if (json_is_string(v))
            continue;
        if (!json_is_array(v))
            return 0;
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item) {
            if (!json_is_string(item))
                return 0;
        }
    }
    return 1;
}

static int has_header(json_t *headers, const char *name)
{
    const char *k;
    json_t *v;
    json_object_foreach(headers, k, v) {
        if (strcasecmp(k, name) == 0)
            return 1;
    }
    return 0;
}

/* The default URL with the fixture's queryParameters appended, URL-encoded by curl. */
static char *url_with_query(json_t *params, char **err)
{
    CURLU *u = curl_url();
    char *out = NULL;
    if (!u || curl_url_set(u, CURLUPART_URL, ENGINE_DEFAULT_URL, 0) != CURLUE_OK)
        goto done;
    const char *k;
    json_t *v;
    json_object_foreach(params, k, v) {
        char *pair = NULL;
        const char *value = json_is_string(v) ? json_string_value(v) : NULL;
        char *dumped = value ? NULL : json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
        if (asprintf(&pair, "%s=%s", k, value ? value : (dumped ? dumped : "")) < 0)
            abort();
        free(dumped);
        CURLUcode rc = curl_url_set(u, CURLUPART_QUERY, pair, CURLU_APPENDQUERY | CURLU_URLENCODE);
        free(pair);
        if (rc != CURLUE_OK)
            goto done;
    }
    if (curl_url_get(u, CURLUPART_URL, &out, 0) != CURLUE_OK)
        out = NULL;
done:
    curl_url_cleanup(u);
    if (!out)
        *err = format("%s%s", "cannot build a URL from queryParameters", "");
    return out;
}

/* Fills r from an object holding body/headers/url (srcfn's format or a payload). */
static int take_request(json_t *src, const char *name, request_file *r, char **err)
{
    json_t *method = json_object_get(src, "method");
    json_t *url = json_object_get(src, "url");
    json_t *headers = json_object_get(src, "headers");
    json_t *body = json_object_get(src, "body");
    json_t *query = json_object_get(src, "queryParameters");
    if ((method && !json_is_string(method)) || (url && !json_is_string(url))) {
        *err = format("%s: %s", name, "\"method\" and \"url\" must be strings");
        return -1;
    }
    if (headers && (!json_is_object(headers) || !headers_ok(headers))) {
        *err = format("%s: %s", name, "\"headers\" must map names to strings or arrays of strings");
        return -1;
    }
    if (query && !json_is_object(query)) {
        *err = format("%s: %s", name, "\"queryParameters\" must be an object");
        return -1;
    }
    r->method = method ? json_string_value(method) : "POST";
    if (url) {
        r->url = strdup(json_string_value(url));
    } else if (query) {
        char *cerr = NULL;
        char *built = url_with_query(query, &cerr);
        if (!built) {
            *err = format("%s: %s", name, cerr);
            free(cerr);
            return -1;
        }
        r->url = strdup(built);
        curl_free(built);
    }
    r->headers = headers ? json_deep_copy(headers) : json_object();
    if (json_is_string(body)) {
        r->body = json_string_value(body);
    } else if (body && !json_is_null(body)) {
        r->body_json = body;
        if (!has_header(r->headers, "content-type"))
            json_object_set_new(r->headers, "Content-Type", json_string("application/json"));
    } else {
        r->body = "";
    }
    return 0;
}

int request_file_parse(json_t *doc, const char *name, request_file *r, char **err)
{
    memset(r, 0, sizeof *r);
    r->doc = doc;
    if (!json_is_object(doc)) {
        *err = format("%s: %s", name, "a request file must hold a JSON object");
        return -1;
    }
    json_t *payload = json_object_get(doc, "payload");
    json_t *settings = json_object_get(doc, "settings");
    json_t *expect = json_object_get(doc, "expect");
    if (settings && !json_is_object(settings)) {
        *err = format("%s: %s", name, "\"settings\" must be an object");
        return -1;
    }
    if (expect && !json_is_object(expect)) {
        *err = format("%s: %s", name, "\"expect\" must be an object");
        return -1;
    }
    if (payload && !json_is_object(payload)) {
        *err = format("%s: %s", name, "\"payload\" must be an object");
        return -1;
    }
    r->settings = settings;
    r->expect = expect;
    return take_request(payload ? payload : doc, name, r, err);
}

int request_file_load(const char *path, request_file *r, char **err)
{
    json_error_t jerr;
    memset(r, 0, sizeof *r);
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc) {
        char pos[64];
        snprintf(pos, sizeof pos, "line %d, column %d", jerr.line, jerr.column);
        if (jerr.line <= 0) {
            *err = format("cannot read %s: %s", path, jerr.text);
        } else {
            char *what = format("%s (%s)", jerr.text, pos);
            *err = format("%s is not valid JSON: %s", path, what);
            free(what);
        }
        return -1;
    }
    int rc = request_file_parse(doc, path, r, err);
    if (rc != 0)
        request_file_free(r);
    return rc;
}

engine_request request_file_request(const request_file *r)
{
    engine_request req = {
        .method = r->method,
        .url = r->url,
        .headers = r->headers,
        .body = r->body,
        .body_len = r->body ? strlen(r->body) : 0,
        .body_json = r->body_json,
    };
    return req;
}

void request_file_free(request_file *r)
{
    free(r->url);
    json_decref(r->headers);
    json_decref(r->doc);
    memset(r, 0, sizeof *r);
}
