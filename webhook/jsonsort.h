/*
 * jsonsort: JSON text checked and re-written with its object keys sorted, at
 * every depth, without building a document: what `srcfn serve` does to a
 * webhook's body before the function sees it (Segment sorts the keys of a
 * deployed function's body), and how the listener checks a JSON body.
 *
 * The output is the input without insignificant whitespace, object members in
 * key order (compared by their decoded text, as UTF-8 bytes; members with the
 * same key keep their order, so JSON.parse still keeps the last one), and
 * every string and number exactly as sent. Accepts any JSON value (RFC 8259)
 * nested at most JSONSORT_MAX_DEPTH deep; the caller checks UTF-8.
 */
#ifndef SRCFN_JSONSORT_H
#define SRCFN_JSONSORT_H

#include <stddef.h>

#define JSONSORT_MAX_DEPTH 1000

/* Whether text is one JSON value (with surrounding whitespace). */
int jsonsort_valid(const char *text, size_t len);

/* The sorted, compact copy (malloc'd, NUL-terminated, *out_len bytes), or
 * NULL when text is not JSON. */
char *jsonsort(const char *text, size_t len, size_t *out_len);

#endif
