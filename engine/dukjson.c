#include "engine/dukjson.h"
#include "util/ascii.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The code unit at s (n bytes left) in Duktape's encoding, or U+FFFD for a
 * byte that starts no sequence; *used: bytes read. A 4-byte sequence gives
 * its code point (above U+FFFF). */
static uint32_t decode_unit(const unsigned char *s, size_t n, size_t *used)
{
    static const struct { unsigned char lead_mask, lead, len; uint32_t min; } forms[] = {
        {0xe0, 0xc0, 2, 0x80}, {0xf0, 0xe0, 3, 0x800}, {0xf8, 0xf0, 4, 0x10000},
    };
    for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
        if ((s[0] & forms[f].lead_mask) != forms[f].lead || n < forms[f].len)
            continue;
        uint32_t cp = s[0] & (0x7fu >> forms[f].len);
        for (size_t i = 1; i < forms[f].len; i++) {
            if ((s[i] & 0xc0) != 0x80) {
                *used = 1;
                return 0xfffd;
            }
            cp = cp << 6 | (s[i] & 0x3f);
        }
        *used = forms[f].len;
        return cp < forms[f].min || cp > 0x10ffff ? 0xfffd : cp;
    }
    *used = 1;
    return 0xfffd;
}

static char *put_escape(char *o, uint32_t unit)
{
    static const char hex[] = "0123456789abcdef";
    *o++ = '\\';
    *o++ = 'u';
    for (int shift = 12; shift >= 0; shift -= 4)
        *o++ = hex[(unit >> shift) & 0xf];
    return o;
}

static int is_high(uint32_t u) { return u >= 0xd800 && u <= 0xdbff; }
static int is_low(uint32_t u) { return u >= 0xdc00 && u <= 0xdfff; }

/* The character at s[0] (not ASCII): its code point, a surrogate pair joined
 * into one, U+FFFD for a lone surrogate or a byte that starts nothing. */
static uint32_t next_char(const unsigned char *s, size_t n, size_t *used)
{
    uint32_t u = decode_unit(s, n, used);
    if (is_high(u) && *used < n) {
        size_t next_used;
        uint32_t low = decode_unit(s + *used, n - *used, &next_used);
        if (is_low(low)) {
            *used += next_used;
            return 0x10000 + ((u - 0xd800) << 10) + (low - 0xdc00);
        }
    }
    return is_high(u) || is_low(u) ? 0xfffd : u;
}

/* c as JSON escapes: \uXXXX, or a pair of them beyond U+FFFF. */
static char *put_escaped(char *o, uint32_t c)
{
    if (c <= 0xffff)
        return put_escape(o, c);
    o = put_escape(o, 0xd800 + ((c - 0x10000) >> 10));
    return put_escape(o, 0xdc00 + ((c - 0x10000) & 0x3ff));
}

/* c as UTF-8. */
static char *put_utf8(char *o, uint32_t c)
{
    if (c < 0x80) {
        *o++ = (char)c;
    } else if (c < 0x800) {
        *o++ = (char)(0xc0 | (c >> 6));
        *o++ = (char)(0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
        *o++ = (char)(0xe0 | (c >> 12));
        *o++ = (char)(0x80 | ((c >> 6) & 0x3f));
        *o++ = (char)(0x80 | (c & 0x3f));
    } else {
        *o++ = (char)(0xf0 | (c >> 18));
        *o++ = (char)(0x80 | ((c >> 12) & 0x3f));
        *o++ = (char)(0x80 | ((c >> 6) & 0x3f));
        *o++ = (char)(0x80 | (c & 0x3f));
    }
    return o;
}

/* A copy of text (its first `from` bytes ASCII) with every other character
 * written by put, which writes at most `grow` bytes for each byte it reads;
 * NULL when out of memory. *out_len: its length. */
static char *rewrite(const char *text, size_t len, size_t from, size_t grow, char *(*put)(char *, uint32_t),
                     size_t *out_len)
{
    if (len > (SIZE_MAX - 1) / grow)
        return NULL;
    const unsigned char *s = (const unsigned char *)text;
    char *out = malloc(len * grow + 1), *o = out;
    if (!out)
        return NULL;
    memcpy(o, text, from);
    o += from;
    for (size_t i = from; i < len;) {
        if (s[i] < 0x80) {
            *o++ = (char)s[i++];
            continue;
        }
        size_t used;
        o = put(o, next_char(s + i, len - i, &used));
        i += used;
    }
    *out_len = (size_t)(o - out);
    return out;
}

json_t *dukjson_loads(const char *text, size_t len, json_error_t *error)
{
    const size_t flags = JSON_DECODE_ANY | JSON_ALLOW_NUL;
    size_t from = ascii_span(text, len), n;
    if (from == len)
        return json_loadb(text, len, flags, error);
    /* A byte becomes at most 6 (a lone byte: \ufffd; a 4-byte sequence: 12). */
    char *out = rewrite(text, len, from, 6, put_escaped, &n);
    if (!out) {
        snprintf(error->text, sizeof error->text, "out of memory");
        return NULL;
    }
    json_t *doc = json_loadb(out, n, flags, error);
    free(out);
    return doc;
}

json_t *dukjson_string(const char *text, size_t len)
{
    size_t from = ascii_span(text, len), n;
    if (from == len)
        return json_stringn_nocheck(text, len);
    /* A byte becomes at most 3 (U+FFFD); a pair's 6 become 4. */
    char *out = rewrite(text, len, from, 3, put_utf8, &n);
    if (!out)
        return NULL;
    json_t *str = json_stringn_nocheck(out, n);
    free(out);
    return str;
}
