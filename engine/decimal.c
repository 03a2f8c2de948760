/*
 * decimal: the double nearest to a decimal number's text, exactly, when it
 * is short (see decimal.h).
 *
 * Both shortcuts read the text as an integer m (its digits) times 10^e, with
 * m and 10^|e| exact in the type used, so one IEEE multiply or divide rounds
 * m * 10^e correctly:
 *   - Clinger's fast path in double: m < 2^53 and |e| <= 22;
 *   - the same in x87 extended precision (a 64-bit significand): m < 2^64 and
 *     |e| <= 27. Rounding that to double rounds twice; the result is still
 *     the nearest double unless the extended value sits exactly halfway
 *     between two doubles (its 11 extra bits are 10000000000): those, and
 *     what neither shortcut takes, are declined.
 */
#include "engine/decimal.h"

#include <float.h>
#include <stdint.h>
#include <string.h>

#if FLT_EVAL_METHOD == 0 && LDBL_MANT_DIG == 64 && (defined(__x86_64__) || defined(__i386__))
/* long double is x87's extended format: its first 8 bytes are the significand. */

/* Reads s[0..n) as -?digits(.digits)?([eE][+-]?digits)?; 0 when it has more
 * than 19 digits or an exponent beyond +-9999. */
static int decimal_parts(const char *s, size_t n, int *neg, uint64_t *m, int *e)
{
    size_t i = 0;
    int digits = 0, exp10 = 0;
    uint64_t v = 0;
    *neg = s[0] == '-';
    i = (size_t)*neg;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++)
        v = v * 10 + (uint64_t)(s[i] - '0');
    if (i < n && s[i] == '.')
        for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++, exp10--)
            v = v * 10 + (uint64_t)(s[i] - '0');
    if (digits > 19)
        return 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        int sign = 1, x = 0, xd = 0;
        if (++i < n && (s[i] == '+' || s[i] == '-'))
            sign = s[i++] == '-' ? -1 : 1;
        for (; i < n && s[i] >= '0' && s[i] <= '9' && xd <= 4; i++, xd++)
            x = x * 10 + (s[i] - '0');
        if (xd == 0 || xd > 4)
            return 0;   /* more digits stay unread: not the whole text, strtod_l reads it */
        exp10 += sign * x;
    }
    *m = v;
    *e = exp10;
    return i == n;
}

int decimal_exact(const char *s, size_t n, double *out)
{
    static const double p10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                                 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    static const long double p10l[] = {1e0L, 1e1L, 1e2L, 1e3L, 1e4L, 1e5L, 1e6L, 1e7L, 1e8L, 1e9L,
                                       1e10L, 1e11L, 1e12L, 1e13L, 1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L,
                                       1e20L, 1e21L, 1e22L, 1e23L, 1e24L, 1e25L, 1e26L, 1e27L};
    int neg, e;
    uint64_t m;
    if (!decimal_parts(s, n, &neg, &m, &e))
        return 0;
    double v;
    if (m == 0) {
        v = 0.0;
    } else if (m < (UINT64_C(1) << 53) && e >= -22 && e <= 22) {
        v = e < 0 ? (double)m / p10[-e] : (double)m * p10[e];
    } else if (e >= -27 && e <= 27) {
        long double x = e < 0 ? (long double)m / p10l[-e] : (long double)m * p10l[e];
        uint64_t sig;
        memcpy(&sig, &x, sizeof sig);
        if ((sig & 0x7ff) == 0x400)
            return 0;   /* halfway between two doubles: the long way breaks the tie */
        v = (double)x;
    } else {
        return 0;
    }
    *out = neg ? -v : v;
    return 1;
}
#else
int decimal_exact(const char *s, size_t n, double *out)
{
    (void)s;
    (void)n;
    (void)out;
    return 0;   /* no exact shortcut known on this machine: callers read the text the long way */
}
#endif
