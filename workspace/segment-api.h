/*
 * segment-api: calls to Segment's Public API (libcurl), the part `srcfn push`
 * and `srcfn pull` use:
 *
 *   POST  /functions        create      body {code, displayName, description,
 *                                        logoUrl?, resourceType, settings}
 *   PATCH /functions/{id}   update      body {code?, displayName?, description?,
 *                                        logoUrl?, settings?}
 *   GET   /functions/{id}   read
 *
 * each answering {"data": {"function": {id, …}}} on success and
 * {"errors": [{"type", "message", "field"?}]} otherwise, with a Bearer token.
 * Redirects are not followed (the token must not go elsewhere); only http and
 * https are spoken; the call gives up after SEGMENT_API_TIMEOUT_S seconds.
 */
#ifndef SRCFN_SEGMENT_API_H
#define SRCFN_SEGMENT_API_H

#include <jansson.h>

#define SEGMENT_API_TIMEOUT_S 60L
#define SEGMENT_API_CONNECT_TIMEOUT_S 10L
#define SEGMENT_API_MAX_REPLY (16L * 1024 * 1024)

typedef enum segment_outcome {
    SEGMENT_OK = 0,        /* a 2xx reply with {"data": …} */
    SEGMENT_API_ERROR,     /* a reply, but not a 2xx one (or not JSON data) */
    SEGMENT_NETWORK_ERROR, /* no reply: DNS, connection, TLS, timeout */
} segment_outcome;

/*
 * METHOD base+path with body (NULL: none) and "Authorization: Bearer token".
 * On SEGMENT_OK, *data is the reply's "data" (new reference). Otherwise *err
 * (malloc'd) says what happened: for an API error "<METHOD> <URL>: <status>
 * <reason>: <the errors' messages>", for a network error "cannot reach <URL>:
 * <curl's explanation>". *status gets the HTTP status (0 without a reply).
 */
segment_outcome segment_api_call(const char *base, const char *token, const char *method, const char *path,
                                 json_t *body, json_t **data, long *status, char **err);

/* The message of an error reply: the messages of "errors" joined with "; "
 * (each with its field when given), else "message" or "error", else the start
 * of the raw text. malloc'd; NULL for an empty body. */
char *segment_api_error_message(const char *raw, size_t len);

#endif
