/*
 * decimal: the double nearest to a decimal number's text, by a shortcut that
 * is exact for the numbers of at most 19 digits and a small exponent that
 * webhooks and prices are made of. What it declines, the caller converts the
 * long way (strtod_l, Duktape's own conversion).
 */
#ifndef SRCFN_DECIMAL_H
#define SRCFN_DECIMAL_H

#include <stddef.h>

/* s[0..n) is -?digits(.digits)?([eE][+-]?digits)?, checked by the caller
 * (this reads it, it does not validate it: "01" reads as 1, "5." as 5).
 * Sets *out to its correctly rounded double and returns 1, or returns 0. */
int decimal_exact(const char *s, size_t n, double *out);

#endif
