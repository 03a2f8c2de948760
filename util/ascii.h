/*
 * ascii: how many bytes at the start of a text are ASCII, eight at a time.
 * Most webhook bodies are ASCII throughout, and every one is scanned on the
 * way in (the listener's UTF-8 check), into the engine (request.json()) and
 * out (a run's strings), so each of those skips the plain part this way.
 */
#ifndef SRCFN_ASCII_H
#define SRCFN_ASCII_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline size_t ascii_span(const void *text, size_t len)
{
    const unsigned char *s = text;
    size_t i = 0;
    for (uint64_t w; i + 8 <= len; i += 8) {
        memcpy(&w, s + i, 8);
        if (w & UINT64_C(0x8080808080808080))
            break;
    }
    while (i < len && s[i] < 0x80)
        i++;
    return i;
}

#endif
