/*
 * native-url: the URL parser behind the runtime's URL class
 * (engine/js/runtime/51-url.js), on libcurl's URL API.
 *
 *   urlParse(input[, base]) -> {protocol, username, password, hostname, port,
 *                               pathname, search, hash}
 *
 * protocol ends with ':'; port is '' or digits (a scheme's default port is
 * dropped); search is '' (no query), '?' (an empty query) or '?…'; hash is ''
 * or '#…'. Parts come back as written (percent-encoding is left to the
 * JavaScript side, which applies the WHATWG encode sets). A URL curl cannot
 * parse throws TypeError "Invalid URL". With a base, the base is set first and
 * the input resolved against it by curl.
 *
 * Nothing may leak when Duktape throws (tests run under ASan): every curl
 * string is collected first, the handle freed, and the result object built in
 * a protected call after which the strings are freed whatever happened.
 */
#include "engine/native.h"

#include <string.h>
#include <curl/curl.h>

enum { P_SCHEME, P_USER, P_PASSWORD, P_HOST, P_PORT, P_PATH, P_QUERY, P_FRAGMENT, P_COUNT };

static const struct {
    CURLUPart part;
    unsigned flags;
    CURLUcode absent;     /* the code curl returns when the part is not there */
    const char *key;
} url_parts[P_COUNT] = {
    [P_SCHEME] = {CURLUPART_SCHEME, 0, CURLUE_NO_SCHEME, "protocol"},
    [P_USER] = {CURLUPART_USER, 0, CURLUE_NO_USER, "username"},
    [P_PASSWORD] = {CURLUPART_PASSWORD, 0, CURLUE_NO_PASSWORD, "password"},
    [P_HOST] = {CURLUPART_HOST, 0, CURLUE_NO_HOST, "hostname"},
    [P_PORT] = {CURLUPART_PORT, CURLU_NO_DEFAULT_PORT, CURLUE_NO_PORT, "port"},
    [P_PATH] = {CURLUPART_PATH, 0, CURLUE_OK, "pathname"},
    [P_QUERY] = {CURLUPART_QUERY, 0, CURLUE_NO_QUERY, "search"},
    [P_FRAGMENT] = {CURLUPART_FRAGMENT, 0, CURLUE_NO_FRAGMENT, "hash"},
};

typedef struct url_values {
    char *v[P_COUNT];     /* from curl_url_get, or NULL when absent */
} url_values;

static void url_values_free(url_values *u)
{
    for (int i = 0; i < P_COUNT; i++) {
        curl_free(u->v[i]);
        u->v[i] = NULL;
    }
}

/* The string argument at idx, or NULL when it holds a NUL byte. */
static const char *url_arg(duk_context *ctx, duk_idx_t idx)
{
    duk_size_t len = 0;
    const char *s = duk_require_lstring(ctx, idx, &len);
    return strlen(s) == len ? s : NULL;
}

/*
 * Parses into *out. Returns 0, 1 when the URL is invalid, or -1 when curl ran
 * out of memory. *out holds nothing to free unless 0 is returned.
 */
static int url_split(const char *input, const char *base, url_values *out)
{
    const unsigned flags = CURLU_NON_SUPPORT_SCHEME | CURLU_ALLOW_SPACE;
    CURLU *h = curl_url();
    if (!h)
        return -1;
    CURLUcode rc = CURLUE_OK;
    if (base)
        rc = curl_url_set(h, CURLUPART_URL, base, flags);
    if (rc == CURLUE_OK)
        rc = curl_url_set(h, CURLUPART_URL, input, flags);
    if (rc != CURLUE_OK) {
        curl_url_cleanup(h);
        return rc == CURLUE_OUT_OF_MEMORY ? -1 : 1;
    }
    int result = 0;
    for (int i = 0; i < P_COUNT && result == 0; i++) {
        rc = curl_url_get(h, url_parts[i].part, &out->v[i], url_parts[i].flags);
        if (rc == CURLUE_OK)
            continue;
        out->v[i] = NULL;
        if (rc == CURLUE_OUT_OF_MEMORY)
            result = -1;
        else if (rc != url_parts[i].absent || i == P_SCHEME)
            result = 1;
    }
    curl_url_cleanup(h);
    if (result != 0)
        url_values_free(out);
    return result;
}

static void url_put(duk_context *ctx, const char *key, const char *prefix, const char *value,
                    const char *suffix)
{
    duk_push_string(ctx, prefix);
    duk_push_string(ctx, value ? value : "");
    duk_push_string(ctx, suffix);
    duk_concat(ctx, 3);
    duk_put_prop_string(ctx, -2, key);
}

/* Builds the result object; run under duk_safe_call so that a throw cannot leak. */
static duk_ret_t url_build(duk_context *ctx, void *udata)
{
    const url_values *u = udata;
    duk_push_object(ctx);
    url_put(ctx, url_parts[P_SCHEME].key, "", u->v[P_SCHEME], ":");
    url_put(ctx, url_parts[P_USER].key, "", u->v[P_USER], "");
    url_put(ctx, url_parts[P_PASSWORD].key, "", u->v[P_PASSWORD], "");
    url_put(ctx, url_parts[P_HOST].key, "", u->v[P_HOST], "");
    url_put(ctx, url_parts[P_PORT].key, "", u->v[P_PORT], "");
    url_put(ctx, url_parts[P_PATH].key, "", u->v[P_PATH], "");
    url_put(ctx, url_parts[P_QUERY].key, u->v[P_QUERY] ? "?" : "", u->v[P_QUERY], "");
    url_put(ctx, url_parts[P_FRAGMENT].key, u->v[P_FRAGMENT] ? "#" : "", u->v[P_FRAGMENT], "");
    return 1;
}

static duk_ret_t native_url_parse(duk_context *ctx)
{
    const char *input = url_arg(ctx, 0);
    const char *base = duk_is_null_or_undefined(ctx, 1) ? NULL : url_arg(ctx, 1);
    if (!input || (!duk_is_null_or_undefined(ctx, 1) && !base))
        return duk_error(ctx, DUK_ERR_TYPE_ERROR, "Invalid URL");

    url_values u;
    memset(&u, 0, sizeof u);
    int rc = url_split(input, base, &u);
    if (rc < 0)
        return duk_error(ctx, DUK_ERR_ERROR, "out of memory parsing a URL");
    if (rc > 0)
        return duk_error(ctx, DUK_ERR_TYPE_ERROR, "Invalid URL");

    duk_int_t status = duk_safe_call(ctx, url_build, &u, 0, 1);
    url_values_free(&u);
    if (status != DUK_EXEC_SUCCESS)
        return duk_throw(ctx);
    return 1;
}

void native_url_register(duk_context *ctx)
{
    static const duk_function_list_entry fns[] = {
        {"urlParse", native_url_parse, 2},
        {NULL, NULL, 0},
    };
    duk_put_function_list(ctx, -1, fns);
}
