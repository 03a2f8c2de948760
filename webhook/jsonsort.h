/*
 * jsonsort: JSON text checked and re-written with its object keys sorted, at
 * every depth: what `srcfn serve` does to a webhook's body before the
 * function sees it (Segment sorts the keys of a deployed function's body),
 * and how the listener checks a JSON body.
 *
 * Built on yajl: its parser builds a small tree, yajl_gen writes it out
 * (jsonsort.c tells how yajl's quirks are handled). The output is the input
 * without insignificant whitespace, object members in key order (compared by
 * their decoded text, as UTF-8 bytes, shorter first; members with the same
 * key keep their order, so JSON.parse still keeps the last one), numbers
 * exactly as sent, and strings equal in meaning to the input's but written
 * by yajl_gen: escapes are normalised (`"\u00e9\/"` comes out as `"é/"`,
 * control characters as \n or \u0001), except a string holding a lone
 * surrogate escape (`"\ud800"`), which UTF-8 cannot carry and which stays as
 * sent. So JSON.parse of the output is JSON.parse of the input with its keys
 * sorted; the raw body stays available separately (text()).
 *
 * Accepts any JSON value (RFC 8259) nested at most JSONSORT_MAX_DEPTH deep.
 * Strings must be UTF-8 as yajl checks it (stray or missing continuation
 * bytes are refused; overlong forms, UTF-16 surrogates and code points past
 * U+10FFFF are not: the listener checks strictly first).
 *
 * What changed from the hand-written checker this replaces: strings are
 * re-encoded instead of copied byte for byte; invalid UTF-8 is refused here
 * too (as above); a key holding a lone surrogate sorts by yajl's decoding of
 * it (a high one alone reads as '?') rather than by its 3-byte form; running
 * out of memory returns NULL instead of aborting. Sorting a typical webhook
 * body takes about twice as long (yajl's parser and generator).
 */
#ifndef SRCFN_JSONSORT_H
#define SRCFN_JSONSORT_H

#include <stddef.h>

#define JSONSORT_MAX_DEPTH 1000

/* Whether text is one JSON value (with surrounding whitespace). */
int jsonsort_valid(const char *text, size_t len);

/* The sorted, compact copy (malloc'd, NUL-terminated, *out_len bytes), or
 * NULL when text is not JSON (or memory ran out). */
char *jsonsort(const char *text, size_t len, size_t *out_len);

#endif
