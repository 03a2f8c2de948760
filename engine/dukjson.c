#include "engine/dukjson.h"

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

/* Escapes what follows s[0] (not ASCII) into o; returns the new o, *used set. */
static char *escape_char(char *o, const unsigned char *s, size_t n, size_t *used)
{
    uint32_t u = decode_unit(s, n, used);
    if (u > 0xffff) {   /* a 4-byte sequence: its surrogate pair */
        o = put_escape(o, 0xd800 + ((u - 0x10000) >> 10));
        return put_escape(o, 0xdc00 + ((u - 0x10000) & 0x3ff));
    }
    if (is_high(u) && *used < n) {
        size_t next_used;
        uint32_t low = decode_unit(s + *used, n - *used, &next_used);
        if (is_low(low)) {
            o = put_escape(o, u);
            *used += next_used;
            return put_escape(o, low);
        }
    }
    return put_escape(o, is_high(u) || is_low(u) ? 0xfffd : u);
}

json_t *dukjson_loads(const char *text, size_t len, json_error_t *error)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < len && s[i] < 0x80)
        i++;
    if (i == len)
        return json_loadb(text, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, error);
    /* Each byte becomes at most 6 (a lone byte: \ufffd; a 4-byte sequence: 12). */
    char *out = malloc(len * 6 + 1), *o = out;
    if (!out) {
        snprintf(error->text, sizeof error->text, "out of memory");
        return NULL;
    }
    memcpy(o, text, i);
    o += i;
    while (i < len) {
        if (s[i] < 0x80) {
            *o++ = (char)s[i++];
            continue;
        }
        size_t used;
        o = escape_char(o, s + i, len - i, &used);
        i += used;
    }
    json_t *doc = json_loadb(out, (size_t)(o - out), JSON_DECODE_ANY | JSON_ALLOW_NUL, error);
    free(out);
    return doc;
}

/* Writes code point u as UTF-8 at o; returns the new o. */
static char *put_utf8(char *o, uint32_t u)
{
    if (u < 0x80) {
        *o++ = (char)u;
    } else if (u < 0x800) {
        *o++ = (char)(0xc0 | (u >> 6));
        *o++ = (char)(0x80 | (u & 0x3f));
    } else if (u < 0x10000) {
        *o++ = (char)(0xe0 | (u >> 12));
        *o++ = (char)(0x80 | ((u >> 6) & 0x3f));
        *o++ = (char)(0x80 | (u & 0x3f));
    } else {
        *o++ = (char)(0xf0 | (u >> 18));
        *o++ = (char)(0x80 | ((u >> 12) & 0x3f));
        *o++ = (char)(0x80 | ((u >> 6) & 0x3f));
        *o++ = (char)(0x80 | (u & 0x3f));
    }
    return o;
}

/* The character at s[0] (not ASCII) as UTF-8 at o, a surrogate pair joined
 * (what escape_char writes as escapes); returns the new o, *used set. */
static char *utf8_char(char *o, const unsigned char *s, size_t n, size_t *used)
{
    uint32_t u = decode_unit(s, n, used);
    if (is_high(u) && *used < n) {
        size_t next_used;
        uint32_t low = decode_unit(s + *used, n - *used, &next_used);
        if (is_low(low)) {
            *used += next_used;
            return put_utf8(o, 0x10000 + ((u - 0xd800) << 10) + (low - 0xdc00));
        }
    }
    return put_utf8(o, is_high(u) || is_low(u) ? 0xfffd : u);
}

json_t *dukjson_string(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < len && s[i] < 0x80)
        i++;
    if (i == len)
        return json_stringn_nocheck(text, len);
    /* A byte becomes at most 3 (U+FFFD); a pair's 6 become 4. */
    if (len > (SIZE_MAX - 1) / 3)
        return NULL;
    char *out = malloc(len * 3 + 1), *o = out;
    if (!out)
        return NULL;
    memcpy(o, text, i);
    o += i;
    while (i < len) {
        if (s[i] < 0x80) {
            *o++ = (char)s[i++];
            continue;
        }
        size_t used;
        o = utf8_char(o, s + i, len - i, &used);
        i += used;
    }
    json_t *str = json_stringn_nocheck(out, (size_t)(o - out));
    free(out);
    return str;
}
