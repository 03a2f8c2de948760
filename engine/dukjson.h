/*
 * dukjson: JSON text that Duktape wrote, read into jansson.
 *
 * JSON.stringify in Duktape writes strings in Duktape's internal encoding:
 * a character beyond U+FFFF is a surrogate pair, each half its own 3-byte
 * sequence (CESU-8), which is not UTF-8 and which jansson refuses; a string
 * made from raw bytes may also hold bytes that are not UTF-8 at all. This
 * escapes every non-ASCII character as \uXXXX (a pair stays a pair, a lone
 * surrogate or a byte that is not UTF-8 becomes U+FFFD, as no UTF-8 holds
 * it) and hands the text to jansson. dukjson_string does the same for one
 * string's bytes, without the text (engine/duk-walk.h uses it).
 */
#ifndef SRCFN_DUKJSON_H
#define SRCFN_DUKJSON_H

#include <stddef.h>
#include <jansson.h>

/* The value of text, or NULL (*error set) when it is not JSON. */
json_t *dukjson_loads(const char *text, size_t len, json_error_t *error);

/* The jansson string of a Duktape string's bytes, or NULL when out of memory. */
json_t *dukjson_string(const char *text, size_t len);

#endif
