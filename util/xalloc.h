/*
 * xalloc: the allocation helpers every layer shares. Out of memory for these
 * small copies is not a condition srcfn can report usefully, so they abort;
 * limits that users can hit (a function's heap, a body's size) are checked
 * where they apply, not here.
 */
#ifndef SRCFN_XALLOC_H
#define SRCFN_XALLOC_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A copy of s; NULL copies as "". */
static inline char *xstrdup(const char *s)
{
    char *d = strdup(s ? s : "");
    if (!d)
        abort();
    return d;
}

/* The formatted string, malloc'd. */
static inline char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0)
        abort();
    return s;
}

#endif
