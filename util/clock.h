/*
 * clock.h: milliseconds on the monotonic clock, for timeouts, backoffs and
 * rates (never for dates: it starts at an arbitrary point).
 */
#ifndef SRCFN_CLOCK_H
#define SRCFN_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#endif
