/*
 * jsoncheck: whether a webhook body is JSON, answered fast: the listener asks
 * for every JSON body, on the way to that request's 200.
 *
 * The answer is jsonsort_valid's (webhook/jsonsort.h, the reference: any
 * JSON value, RFC 8259, nested at most JSONSORT_MAX_DEPTH deep), found by
 * SQLite's JSON parser (json_valid), which checks a typical 8 KiB webhook in
 * about half yajl's time. Where the two parsers differ it defers to
 * jsonsort_valid:
 *   - SQLite allows nesting 2000 deep: a text with more than
 *     JSONSORT_MAX_DEPTH '[' and '{' bytes (which bound its depth) is
 *     checked by jsonsort_valid instead;
 *   - a raw NUL byte is never JSON, while SQLite's text would end there: such
 *     a text is refused before SQLite sees it;
 *   - UTF-8 is checked loosely by both: the listener checks it strictly
 *     first.
 * Callable from any thread: each thread gets its own in-memory SQLite
 * connection on first use, closed when the thread ends.
 */
#ifndef SRCFN_JSONCHECK_H
#define SRCFN_JSONCHECK_H

#include <stddef.h>

int jsoncheck_valid(const char *text, size_t len);

#endif
