/*
 * json-events: a JSON text read by simdjson, its values handed to callbacks
 * in document order, for native-json.c to build Duktape values from. simdjson
 * is C++ (json-events.cc is the project's one C++ file, and knows nothing of
 * Duktape); it reads a webhook body several times faster than any C parser
 * Debian packages.
 *
 * It is only a fast path: it declines what it cannot give exactly as
 * JSON.parse would, and the caller then parses the text its own way (which
 * also words the errors). Declined: a text that is not JSON or not UTF-8
 * (lone surrogates, escaped or not, included), an integer beyond 64 bits, a
 * number beyond a double's range, an integer written -0 (simdjson reads it
 * as 0), nesting deeper than simdjson's 1024 levels, and a text longer than
 * JSON_EVENTS_MAX_TEXT. A text may be declined after some events were
 * handed out (at its first integer 0): the caller drops what it built.
 *
 * A callback may longjmp out of the walk (Duktape's errors do): the walk
 * holds nothing that needs cleaning up.
 */
#ifndef SRCFN_JSON_EVENTS_H
#define SRCFN_JSON_EVENTS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Longer texts are declined: simdjson keeps about sixteen bytes per byte read. */
#define JSON_EVENTS_MAX_TEXT (1024 * 1024)

/* Each returns nonzero to go on, 0 to stop the walk. Strings are UTF-8,
 * decoded, valid until the walk returns; a key's value follows it. */
typedef struct json_events {
    int (*null_value)(void *ud);
    int (*boolean)(void *ud, int value);
    int (*number)(void *ud, double value);   /* the double JSON.parse gives */
    int (*string)(void *ud, const char *s, size_t len);
    int (*key)(void *ud, const char *s, size_t len);
    int (*start_object)(void *ud);
    int (*start_array)(void *ud);
    int (*end)(void *ud);   /* of the innermost open object or array */
} json_events;

enum { JSON_EVENTS_DONE, JSON_EVENTS_STOPPED, JSON_EVENTS_DECLINED, JSON_EVENTS_NO_MEMORY };

/* Reads text[0..len) and hands its values to ev: JSON_EVENTS_DONE, or
 * STOPPED (a callback returned 0), DECLINED (see above) or NO_MEMORY. */
int json_events_read(const char *text, size_t len, const json_events *ev, void *ud);

/* Gives back the calling thread's parser memory if the last text was big (a
 * small one's is kept for the next read). */
void json_events_release(void);

#ifdef __cplusplus
}
#endif

#endif
