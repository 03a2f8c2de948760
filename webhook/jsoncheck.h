/*
 * jsoncheck: whether a webhook body is JSON, answered fast: the listener asks
 * for every JSON body, on the way to that request's 200.
 *
 * The answer is jsonsort_valid's (webhook/jsonsort.h, the reference: any
 * JSON value, RFC 8259, nested at most JSONSORT_MAX_DEPTH deep), found by a
 * scanner that only checks: one pass, nothing allocated, strings skipped
 * through a table. SQLite's json_valid, used before, builds a tree: it cost
 * the listener a tenth of serve's CPU under load. A raw NUL byte is never
 * JSON. UTF-8 is not checked here (bytes from 0x80 pass in strings): the
 * listener checks it strictly first. Callable from any thread.
 */
#ifndef SRCFN_JSONCHECK_H
#define SRCFN_JSONCHECK_H

#include <stddef.h>

int jsoncheck_valid(const char *text, size_t len);

#endif
