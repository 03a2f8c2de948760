/*
 * native-json: native.parseJson(text), the JSON.parse behind request.json().
 *
 * Duktape's own JSON.parse is slow on webhook bodies (big-integer decimal
 * conversion for every number), so bodies are parsed by simdjson
 * (engine/json-events.h) or, for what it declines, by yajl's event (SAX)
 * API; either way each callback builds its Duktape value directly on the
 * value stack. yajl's path is the reference: it alone words errors, and
 * simdjson only takes texts it reads exactly as yajl's path does. The result
 * is what JSON.parse(text) gives, with these rules:
 *
 *   - Every member and element is an own data property (defined, never a
 *     [[Set]]): "__proto__" is an ordinary key, setters on Object.prototype
 *     or Array.prototype are not called; a repeated key keeps its first
 *     position and its last value.
 *   - Numbers are the correctly rounded double of their text (strtod_l in the
 *     C locale, or an exact shortcut for short ones, see json_number): -0,
 *     exponents, and integers beyond 2^53 come out as in any JS engine.
 *   - Strings are pushed in Duktape's internal form, which for a JS string
 *     is CESU-8: a character beyond U+FFFF is a surrogate pair, each half a
 *     3-byte sequence, as in string literals of the function's source. So raw
 *     UTF-8 four-byte sequences are split into pairs ('😀'.length is 2, as in
 *     Node.js), \uXXXX escapes give one code unit each (a lone surrogate
 *     stays), and 3-byte surrogates already in the text are kept. Bytes that
 *     are not UTF-8 become U+FFFD, one per maximal ill-formed subpart, which
 *     is what Node.js does when it decodes the body. (Duktape's JSON.parse
 *     copied such bytes, so a string starting with 0xFF or 0x82 became a
 *     hidden Symbol; no string made here can.)
 *   - Whitespace is JSON's four characters: yajl also skips \v and \f, so a
 *     text holding either byte (which cannot appear anywhere in valid JSON)
 *     is only parsed up to it.
 *   - Invalid JSON throws a SyntaxError in the style of V8's, e.g.
 *     "Unexpected token } in JSON at position 10" (the position counts UTF-16
 *     code units, as String indexes do) or "Unexpected end of JSON input".
 *     Nesting deeper than JSON_MAX_DEPTH throws a RangeError, as Duktape's
 *     JSON.parse did at the same depth.
 *
 * Invariants:
 *   - Nothing throws while yajl or simdjson is on the C stack on our
 *     account: a callback that fails (too deep, out of memory) records why
 *     and returns 0, which stops the parser. Duktape itself may still throw
 *     from inside a callback (out of memory in duk_push_*), so the parse runs
 *     under duk_safe_call, and native_parse_json frees the yajl handle, the
 *     scratch buffers and a big text's simdjson parser before it returns or
 *     throws, on every path.
 *   - When simdjson stops or declines midway, what it built is dropped, and
 *     so is the key cache, which points into it.
 *   - Value stack during the parse (above the text): an open object holds
 *     its first keys and values [k1, v1, k2, ...] until it has OBJECT_BATCH
 *     pairs or ends, then [object] or, once a key is read, [object, key];
 *     an open array holds its first elements until it has ARRAY_BATCH of
 *     them or ends, then [array]. What waits becomes the container in one
 *     step (engine/duk-pack.h: sized once, no lookups), the rest is defined
 *     one by one. duk_require_stack runs on entering a container and every 16
 *     waiting values, so there is always room for the next push; at most
 *     JSON_MAX_DEPTH * (ARRAY_BATCH + 1) values wait, well under Duktape's
 *     value stack limit. With sorted keys an object's pairs all wait until
 *     it ends; that is at most the values of the text, which the 512 KiB
 *     body limit keeps under that limit too.
 *   - The text is parsed in one yajl_parse call, so yajl hands the callbacks
 *     pointers into the text itself, except for strings with escapes (decoded
 *     here from the text, because yajl turns a lone high surrogate escape into
 *     '?') and a number that ends the text (copied before conversion anyway).
 */
#include "engine/native.h"

#include "engine/decimal.h"
#include "engine/duk-pack.h"
#include "engine/json-events.h"
#include "util/ascii.h"

#include <locale.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#define JSON_MAX_DEPTH 1000
/* An array's first elements, and an object's first keys and values, wait on
 * the value stack and are made into the container in one step (which sizes
 * it once, where defining them one by one grows it many times); past this
 * many, that is done and the rest are defined one by one. */
#define ARRAY_BATCH 256
#define OBJECT_BATCH (ARRAY_BATCH / 2)

/* String values up to this many bytes go through a cache (a body's vendors,
 * tags, currencies and states repeat); longer ones are rarely met twice. */
#define CACHED_VALUE_MAX 32

enum { PJ_OK, PJ_TOO_DEEP, PJ_NO_MEMORY };

/* What an open level holds on the value stack. */
enum {
    K_OBJECT_PENDING,  /* [key, value, ..., key?]: count pairs, none stored yet */
    K_OBJECT,          /* [object] or, after a key, [object, key] */
    K_ARRAY_PENDING,   /* [element...]: count elements, none stored yet */
    K_ARRAY            /* [array] */
};

typedef struct scratch {
    unsigned char *data;
    size_t cap;
} scratch;

typedef struct parser {
    duk_context *ctx;
    yajl_handle yh;
    const unsigned char *text;   /* the whole text or bytes (held at value stack index 0) */
    size_t len;                  /* its length in bytes */
    size_t parse_len;            /* what yajl is given: len, or up to a \v or \f */
    int finishing;               /* in yajl_complete_parse: yajl's offsets are not ours */
    size_t last_end;             /* offset just past the last token a callback took */
    int failure;                 /* PJ_*: why a callback stopped yajl */
    size_t failure_at;           /* where (PJ_TOO_DEEP: the bracket) */
    int rejected;                /* parse_safely left an error to throw, not a value */
    int sort;                    /* object keys in order (a deployed function's body) */
    int ascii;                   /* no byte of the text is >= 0x80: strings go in as they are */
    int depth;                   /* open containers */
    scratch unescaped, clean;
    dukx_string_cache keys;      /* with ascii: the keys pushed so far */
    dukx_string_cache values;    /* with ascii: short strings pushed so far, as values */
    /* Per level d (1-based), set on entering it (not zeroed up front): */
    unsigned char kind[JSON_MAX_DEPTH + 1];       /* K_* */
    uint32_t count[JSON_MAX_DEPTH + 1];           /* what waits: elements or pairs */
} parser;

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void make_c_locale(void)
{
    c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

static unsigned char *scratch_get(scratch *s, size_t need)
{
    if (need <= s->cap)
        return s->data;
    size_t cap = s->cap ? s->cap : 256;
    while (cap < need) {
        if (cap > SIZE_MAX / 2)
            return NULL;
        cap *= 2;
    }
    unsigned char *d = realloc(s->data, cap);
    if (!d)
        return NULL;
    s->data = d;
    s->cap = cap;
    return d;
}

static int is_json_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static size_t skip_space(const parser *p, size_t i)
{
    while (i < p->len && is_json_space(p->text[i]))
        i++;
    return i;
}

/* Where the token after the last one a callback took starts: past
 * whitespace and past a ',' or ':' that yajl accepted (it reports neither). */
static size_t next_token(const parser *p, size_t consumed)
{
    size_t i = skip_space(p, p->last_end);
    if (i < p->len && (p->text[i] == ',' || p->text[i] == ':') && i + 1 < consumed)
        i = skip_space(p, i + 1);
    return i;
}

/* Called first in every callback (on_string and on_map_key: once the token
 * is found, which needs the previous last_end). */
static void took_token(parser *p)
{
    p->last_end = p->finishing ? p->len : yajl_get_bytes_consumed(p->yh);
}

/* --- strings ------------------------------------------------------------------- */

static size_t put_unit(unsigned char *o, unsigned int u)
{
    if (u < 0x80) {
        o[0] = (unsigned char)u;
        return 1;
    }
    if (u < 0x800) {
        o[0] = (unsigned char)(0xC0 | (u >> 6));
        o[1] = (unsigned char)(0x80 | (u & 0x3F));
        return 2;
    }
    o[0] = (unsigned char)(0xE0 | (u >> 12));
    o[1] = (unsigned char)(0x80 | ((u >> 6) & 0x3F));
    o[2] = (unsigned char)(0x80 | (u & 0x3F));
    return 3;
}

/* The length of the well-formed sequence at s[0..n) (n >= 1) in Duktape's
 * terms, or of its maximal ill-formed subpart negated. 3-byte surrogates
 * (ED A0..BF xx) are well formed here: they are how Duktape stores them. */
static int utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char b = s[0];
    unsigned char lo = 0x80, hi = 0xBF;
    int len;
    if (b < 0x80)
        return 1;
    if (b >= 0xC2 && b <= 0xDF)
        len = 2;
    else if (b >= 0xE0 && b <= 0xEF) {
        len = 3;
        if (b == 0xE0)
            lo = 0xA0;
    } else if (b >= 0xF0 && b <= 0xF4) {
        len = 4;
        if (b == 0xF0)
            lo = 0x90;
        else if (b == 0xF4)
            hi = 0x8F;
    } else
        return -1;
    if (n < 2 || s[1] < lo || s[1] > hi)
        return -1;
    for (int i = 2; i < len; i++)
        if ((size_t)i >= n || (s[i] & 0xC0) != 0x80)
            return -i;
    return len;
}

/* Pushes s[0..n) as a Duktape string (see the top of the file); 0 when out
 * of memory. */
static int push_text(parser *p, const unsigned char *s, size_t n)
{
    if (p->ascii) {   /* escapes decode to well-formed 1 to 3-byte units: kept as they are too */
        duk_push_lstring(p->ctx, (const char *)s, n);
        return 1;
    }
    size_t i = ascii_span(s, n);
    if (i < n) {
        /* Is anything to be rewritten? Usually not: plain 2- and 3-byte text. */
        size_t j = i;
        while (j < n) {
            if (s[j] < 0x80) {
                j++;
                continue;
            }
            int k = utf8_seq(s + j, n - j);
            if (k <= 0 || k == 4)
                break;
            j += (size_t)k;
        }
        if (j < n) {
            if (n > SIZE_MAX / 3)
                return 0;
            unsigned char *o = scratch_get(&p->clean, n * 3);
            if (!o)
                return 0;
            memcpy(o, s, j);
            size_t w = j;
            while (j < n) {
                if (s[j] < 0x80) {
                    o[w++] = s[j++];
                    continue;
                }
                int k = utf8_seq(s + j, n - j);
                if (k == 4) {
                    unsigned int cp = ((unsigned int)(s[j] & 0x07) << 18) | ((unsigned int)(s[j + 1] & 0x3F) << 12) |
                                      ((unsigned int)(s[j + 2] & 0x3F) << 6) | (unsigned int)(s[j + 3] & 0x3F);
                    cp -= 0x10000;
                    w += put_unit(o + w, 0xD800 + (cp >> 10));
                    w += put_unit(o + w, 0xDC00 + (cp & 0x3FF));
                    j += 4;
                } else if (k > 0) {
                    memcpy(o + w, s + j, (size_t)k);
                    w += (size_t)k;
                    j += (size_t)k;
                } else {
                    w += put_unit(o + w, 0xFFFD);
                    j += (size_t)-k;
                }
            }
            duk_push_lstring(p->ctx, (const char *)o, w);
            return 1;
        }
    }
    duk_push_lstring(p->ctx, (const char *)s, n);
    return 1;
}

static unsigned int hex4(const unsigned char *s)
{
    unsigned int u = 0;
    for (int i = 0; i < 4; i++) {
        unsigned char c = s[i];
        u = (u << 4) | (unsigned int)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return u;
}

/* Decodes the escapes of a string token yajl has validated (raw: between its
 * quotes): each \uXXXX is one UTF-16 code unit, as in JSON.parse. */
static const unsigned char *unescape(parser *p, const unsigned char *raw, size_t n, size_t *out_len)
{
    unsigned char *o = scratch_get(&p->unescaped, n);   /* escapes never grow */
    if (!o)
        return NULL;
    size_t w = 0;
    for (size_t i = 0; i < n;) {
        if (raw[i] != '\\') {
            o[w++] = raw[i++];
            continue;
        }
        unsigned char c = raw[i + 1];
        i += 2;
        switch (c) {
        case 'b': o[w++] = '\b'; break;
        case 'f': o[w++] = '\f'; break;
        case 'n': o[w++] = '\n'; break;
        case 'r': o[w++] = '\r'; break;
        case 't': o[w++] = '\t'; break;
        case 'u':
            w += put_unit(o + w, hex4(raw + i));
            i += 4;
            break;
        default: o[w++] = c; break;   /* " \ / */
        }
    }
    *out_len = w;
    return o;
}

/* Pushes a string token. yajl passes a pointer into the text when the token
 * has no escapes; otherwise its own decoding, which is used only if the raw
 * token cannot be found (it always can when the text is one chunk). */
static int in_text(const parser *p, const unsigned char *s, size_t n)
{
    uintptr_t at = (uintptr_t)s, text = (uintptr_t)p->text;
    return at >= text && at - text <= p->len && n <= p->len - (at - text);
}

static int push_string_token(parser *p, const unsigned char *s, size_t n)
{
    if (in_text(p, s, n))
        return push_text(p, s, n);
    size_t end = p->finishing ? 0 : yajl_get_bytes_consumed(p->yh);   /* just past the closing quote */
    size_t start = next_token(p, end);
    if (end >= 2 && start < end - 1 && end <= p->len && p->text[start] == '"' && p->text[end - 1] == '"') {
        size_t len;
        const unsigned char *u = unescape(p, p->text + start + 1, end - 1 - (start + 1), &len);
        return u ? push_text(p, u, len) : 0;
    }
    return push_text(p, s, n);
}

/* --- numbers ------------------------------------------------------------------- */

/* The double nearest to a JSON number's text: engine/decimal.h's shortcut,
 * or strtod_l in the C locale. */
static int json_number(parser *p, const char *s, size_t n, double *out)
{
    if (decimal_exact(s, n, out))
        return 1;
    char small[64];
    char *buf = small;
    if (n >= sizeof small) {
        buf = (char *)scratch_get(&p->unescaped, n + 1);
        if (!buf)
            return 0;
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    *out = c_locale ? strtod_l(buf, NULL, c_locale) : strtod(buf, NULL);
    return 1;
}

/* --- building values ----------------------------------------------------------- */

/* [array, value] -> [array] with array[index] = value, an own data property. */
static void define_index(duk_context *ctx, uint32_t index)
{
    duk_push_uint(ctx, index);
    duk_swap_top(ctx, -2);
    duk_def_prop(ctx, -3, DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_SET_WEC);
}

/* Turns the waiting elements into the array. */
static void make_array(parser *p)
{
    dukx_pack_array(p->ctx, p->count[p->depth]);
    p->kind[p->depth] = K_ARRAY;
}

/* Turns the waiting pairs into the object; one by one when a key repeats or
 * is an index, so that Duktape orders and merges them (a repeated key keeps
 * its first position and its last value). */
static void make_object(parser *p)
{
    duk_context *ctx = p->ctx;
    uint32_t n = p->count[p->depth];
    p->kind[p->depth] = K_OBJECT;
    if (dukx_pack_object(ctx, n, p->sort) == 0)
        return;
    duk_idx_t base = duk_get_top(ctx) - 2 * (duk_idx_t)n;
    duk_push_object(ctx);
    for (uint32_t i = 0; i < n; i++) {
        duk_dup(ctx, base + 2 * (duk_idx_t)i);
        duk_dup(ctx, base + 2 * (duk_idx_t)i + 1);
        duk_def_prop(ctx, -3, DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_SET_WEC);
    }
    duk_replace(ctx, base);
    duk_set_top(ctx, base + 1);
}

/* One more value waits at this level: makes room for the next ones. */
static void count_waiting(parser *p, uint32_t values)
{
    if (values % 16 == 0)
        duk_require_stack(p->ctx, 20);   /* room for the next 16 and a value in the making */
}

/* Stores the value on top of the stack into the open container. */
static void add_value(parser *p)
{
    if (p->depth == 0)
        return;   /* the result: stays on the stack */
    uint32_t *count = &p->count[p->depth];
    switch (p->kind[p->depth]) {
    case K_OBJECT_PENDING:   /* sorted keys need every pair of the object at once */
        if (++*count == OBJECT_BATCH && !p->sort)
            make_object(p);
        else
            count_waiting(p, *count * 2);
        break;
    case K_OBJECT:
        duk_def_prop(p->ctx, -3, DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_SET_WEC);
        break;
    case K_ARRAY_PENDING:
        if (++*count == ARRAY_BATCH)
            make_array(p);
        else
            count_waiting(p, *count);
        break;
    default:
        define_index(p->ctx, (*count)++);
        break;
    }
}

static int open_container(parser *p, int is_array)
{
    if (p->depth >= JSON_MAX_DEPTH) {
        p->failure = PJ_TOO_DEEP;
        p->failure_at = p->last_end - 1;   /* took_token has run: just past the bracket */
        return 0;
    }
    duk_require_stack(p->ctx, 20);
    p->depth++;
    p->kind[p->depth] = is_array ? K_ARRAY_PENDING : K_OBJECT_PENDING;
    p->count[p->depth] = 0;
    return 1;
}

/* Ends the open container and stores it into its parent. */
static void close_container(parser *p)
{
    if (p->kind[p->depth] == K_ARRAY_PENDING)
        make_array(p);
    else if (p->kind[p->depth] == K_OBJECT_PENDING)
        make_object(p);
    p->depth--;
    add_value(p);
}

/* --- value events --------------------------------------------------------------- */

/* What each value of the text does, whichever parser found it: simdjson's
 * callbacks as they are; yajl's (below) first note its offsets. Strings are
 * decoded. Each returns 1, or 0 with p->failure set. */

static int got_null(void *ud)
{
    parser *p = ud;
    duk_push_null(p->ctx);
    add_value(p);
    return 1;
}

static int got_boolean(void *ud, int value)
{
    parser *p = ud;
    duk_push_boolean(p->ctx, value != 0);
    add_value(p);
    return 1;
}

static int got_number(void *ud, double value)
{
    parser *p = ud;
    duk_push_number(p->ctx, value);
    add_value(p);
    return 1;
}

static int got_string(void *ud, const char *s, size_t n)
{
    parser *p = ud;
    if (p->ascii && n <= CACHED_VALUE_MAX)
        dukx_push_cached(p->ctx, &p->values, s, n);
    else if (!push_text(p, (const unsigned char *)s, n)) {
        p->failure = PJ_NO_MEMORY;
        return 0;
    }
    add_value(p);
    return 1;
}

static int got_key(void *ud, const char *s, size_t n)
{
    parser *p = ud;
    if (p->ascii) {
        dukx_push_cached(p->ctx, &p->keys, s, n);
        return 1;
    }
    if (!push_text(p, (const unsigned char *)s, n)) {
        p->failure = PJ_NO_MEMORY;
        return 0;
    }
    return 1;
}

static int got_object(void *ud)
{
    return open_container(ud, 0);
}

static int got_array(void *ud)
{
    return open_container(ud, 1);
}

static int got_end(void *ud)
{
    close_container(ud);
    return 1;
}

/* --- yajl's callbacks ---------------------------------------------------------- */

static int on_null(void *ud)
{
    took_token(ud);
    return got_null(ud);
}

static int on_boolean(void *ud, int value)
{
    took_token(ud);
    return got_boolean(ud, value);
}

static int on_number(void *ud, const char *s, size_t n)
{
    parser *p = ud;
    double v;
    took_token(p);
    if (!json_number(p, s, n, &v)) {
        p->failure = PJ_NO_MEMORY;
        return 0;
    }
    return got_number(p, v);
}

/* Strings: yajl's pointers are into the text, escapes undecoded (see
 * push_string_token), and yajl's offsets are read once the token is found. */
static int on_string(void *ud, const unsigned char *s, size_t n)
{
    parser *p = ud;
    int ok = push_string_token(p, s, n);
    took_token(p);
    if (!ok) {
        p->failure = PJ_NO_MEMORY;
        return 0;
    }
    add_value(p);
    return 1;
}

static int on_map_key(void *ud, const unsigned char *s, size_t n)
{
    parser *p = ud;
    if (p->ascii && in_text(p, s, n)) {   /* as it is (see push_text) */
        dukx_push_cached(p->ctx, &p->keys, (const char *)s, n);
        took_token(p);
        return 1;
    }
    int ok = push_string_token(p, s, n);
    took_token(p);
    if (!ok) {
        p->failure = PJ_NO_MEMORY;
        return 0;
    }
    return 1;
}

static int on_start_map(void *ud)
{
    took_token(ud);
    return got_object(ud);
}

static int on_start_array(void *ud)
{
    took_token(ud);
    return got_array(ud);
}

static int on_end(void *ud)
{
    took_token(ud);
    return got_end(ud);
}

static const yajl_callbacks callbacks = {
    .yajl_null = on_null,
    .yajl_boolean = on_boolean,
    .yajl_number = on_number,
    .yajl_string = on_string,
    .yajl_start_map = on_start_map,
    .yajl_map_key = on_map_key,
    .yajl_end_map = on_end,
    .yajl_start_array = on_start_array,
    .yajl_end_array = on_end,
};

/* --- the fast path: simdjson's events (engine/json-events.h) ---------------------- */

/* Whether an all-ASCII text may escape a surrogate pair (it has a \uD800 to
 * \uDBFF), which simdjson decodes into a 4-byte UTF-8 sequence: its strings
 * then need push_text's rewriting. */
static int escapes_surrogate_pair(const unsigned char *s, size_t n)
{
    const unsigned char *q = s, *end = s + n;
    while (end - q >= 6 && (q = memchr(q, '\\', (size_t)(end - q - 5))) != NULL) {
        unsigned char c = (unsigned char)(q[3] | 0x20);
        if (q[1] == 'u' && (q[2] | 0x20) == 'd' && (c == '8' || c == '9' || c == 'a' || c == 'b'))
            return 1;
        q += q[1] == '\\' ? 2 : 1;   /* an escaped backslash starts nothing */
    }
    return 0;
}

static const json_events simd_events = {
    .null_value = got_null,
    .boolean = got_boolean,
    .number = got_number,
    .string = got_string,
    .key = got_key,
    .start_object = got_object,
    .start_array = got_array,
    .end = got_end,
};

/* Parses the text with simdjson when it takes it: 1 with the value (or the
 * out-of-memory error) on the stack; 0 with the stack as it was, for yajl to
 * parse it, when simdjson declined or the text nests too deep. */
static int parse_by_simdjson(parser *p)
{
    duk_idx_t base = duk_get_top(p->ctx);
    int ascii = p->ascii;
    if (ascii && escapes_surrogate_pair(p->text, p->len))
        p->ascii = 0;
    int rc = json_events_read((const char *)p->text, p->len, &simd_events, p);
    p->ascii = ascii;
    if (rc == JSON_EVENTS_DONE)
        return 1;
    duk_set_top(p->ctx, base);
    if (p->failure == PJ_NO_MEMORY) {
        duk_push_error_object_raw(p->ctx, DUK_ERR_RANGE_ERROR, NULL, 0, "out of memory parsing JSON");
        return 1;
    }
    p->failure = PJ_OK;   /* declined, or too deep: yajl finds where */
    p->depth = 0;
    memset(&p->keys, 0, sizeof p->keys);   /* the strings they remember were just freed */
    memset(&p->values, 0, sizeof p->values);
    return 0;
}

/* --- errors -------------------------------------------------------------------- */

/* The position of byte offset `at` in UTF-16 code units of the text as
 * push_text reads it (what is not UTF-8 counts one U+FFFD per subpart). */
static size_t utf16_position(const parser *p, size_t at)
{
    size_t units = 0, end = at < p->len ? at : p->len;
    for (size_t i = 0; i < end; units++) {
        if (p->text[i] < 0x80) {
            i++;
            continue;
        }
        int k = utf8_seq(p->text + i, p->len - i);
        if (k == 4)
            units++;
        i += (size_t)(k > 0 ? k : -k);
    }
    return units;
}

static void push_unexpected(parser *p, size_t at, int lexical);

/* Pushes the SyntaxError for a text yajl rejected; `lexical` tells whether
 * yajl failed inside a token (then `consumed` points at the offending byte)
 * or on a whole token that may not come there (it ends at `consumed`). */
static void push_syntax_error(parser *p, int lexical, size_t consumed)
{
    size_t at = next_token(p, consumed);
    if (lexical && at < p->len) {
        unsigned char c = p->text[at];
        if (c == '"' || c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n' || c == '/')
            at = consumed;   /* inside the token; else the token's first byte is what is wrong */
    }
    push_unexpected(p, at, lexical);
}

/* Pushes the SyntaxError for what starts at byte `at` (a whole token unless
 * `lexical`), or for the end of the text when at >= len. */
static void push_unexpected(parser *p, size_t at, int lexical)
{
    if (at >= p->len) {
        duk_push_error_object_raw(p->ctx, DUK_ERR_SYNTAX_ERROR, NULL, 0, "Unexpected end of JSON input");
        return;
    }
    unsigned long pos = (unsigned long)utf16_position(p, at);
    unsigned char c = p->text[at];
    if (!lexical && c == '"') {
        duk_push_error_object_raw(p->ctx, DUK_ERR_SYNTAX_ERROR, NULL, 0, "Unexpected string in JSON at position %lu", pos);
    } else if (!lexical && (c == '-' || (c >= '0' && c <= '9'))) {
        duk_push_error_object_raw(p->ctx, DUK_ERR_SYNTAX_ERROR, NULL, 0, "Unexpected number in JSON at position %lu", pos);
    } else {
        /* The character as text: itself when printable, else its \u escape. */
        char shown[8];
        if (c >= 0x20 && c < 0x7F) {
            shown[0] = (char)c;
            shown[1] = '\0';
        } else if (c >= 0x80 && utf8_seq(p->text + at, p->len - at) > 0) {
            int k = utf8_seq(p->text + at, p->len - at);
            memcpy(shown, p->text + at, (size_t)k);
            shown[k] = '\0';
        } else {
            snprintf(shown, sizeof shown, "\\u%04x", c < 0x80 ? c : 0xFFFDu);
        }
        duk_push_error_object_raw(p->ctx, DUK_ERR_SYNTAX_ERROR, NULL, 0, "Unexpected token %s in JSON at position %lu",
                                  shown, pos);
    }
}

/* --- the parse ------------------------------------------------------------------ */

/* Runs yajl over the text under duk_safe_call (which works in the caller's
 * value stack frame); leaves the value, or on a JSON error the error object
 * to throw (p->failure tells a callback's own). */
static duk_ret_t parse_safely(duk_context *ctx, void *ud)
{
    parser *p = ud;
    duk_require_stack(ctx, 20);
    if (parse_by_simdjson(p)) {
        p->rejected = p->failure != PJ_OK;
        return 1;
    }
    p->rejected = 1;   /* until the value is complete */
    p->yh = yajl_alloc(&callbacks, NULL, p);
    if (!p->yh) {
        duk_push_error_object_raw(ctx, DUK_ERR_RANGE_ERROR, NULL, 0, "out of memory parsing JSON");
        return 1;
    }
    /* Strings are checked by push_text, which replaces what is not UTF-8. */
    yajl_config(p->yh, yajl_dont_validate_strings, 1);
    const unsigned char *vt = memchr(p->text, '\v', p->len), *ff = memchr(p->text, '\f', p->len);
    if (vt || ff)
        p->parse_len = (size_t)((vt && (!ff || vt < ff) ? vt : ff) - p->text);
    yajl_status st = yajl_parse(p->yh, p->text, p->parse_len);
    if (st == yajl_status_ok && p->parse_len < p->len) {
        /* Stopped before a \v or \f: the first error is there. */
        p->last_end = p->parse_len;
        push_syntax_error(p, 0, p->parse_len + 1);
        return 1;
    }
    if (st == yajl_status_ok) {
        p->finishing = 1;
        st = yajl_complete_parse(p->yh);
    }
    if (st == yajl_status_ok) {
        /* yajl takes a string left open after the value ("1 \"x") for one
         * that may yet end; the value ended at last_end. */
        size_t rest = skip_space(p, p->last_end);
        if (rest < p->len) {
            push_unexpected(p, rest, 0);
            return 1;
        }
        p->rejected = 0;
        return 1;
    }
    if (p->failure == PJ_TOO_DEEP) {
        duk_push_error_object_raw(ctx, DUK_ERR_RANGE_ERROR, NULL, 0,
                                  "JSON nested deeper than %d levels at position %lu", JSON_MAX_DEPTH,
                                  (unsigned long)utf16_position(p, p->failure_at));
        return 1;
    }
    if (p->failure == PJ_NO_MEMORY) {
        duk_push_error_object_raw(ctx, DUK_ERR_RANGE_ERROR, NULL, 0, "out of memory parsing JSON");
        return 1;
    }
    unsigned char *why = yajl_get_error(p->yh, 0, p->text, p->parse_len);
    int lexical = why && strncmp((const char *)why, "lexical", 7) == 0;
    int early_end = why && strstr((const char *)why, "premature EOF") != NULL;
    if (why)
        yajl_free_error(p->yh, why);
    if (early_end)   /* the text ends inside a value */
        duk_push_error_object_raw(ctx, DUK_ERR_SYNTAX_ERROR, NULL, 0, "Unexpected end of JSON input");
    else   /* in yajl_complete_parse, yajl's offsets are into its own " ": the end */
        push_syntax_error(p, lexical, p->finishing ? p->len + 1 : yajl_get_bytes_consumed(p->yh));
    return 1;
}

/* native.parseJson(text, sort): JSON.parse(text) without a reviver; text
 * may also be bytes (a buffer), read as the string of those bytes would be.
 * With sort, every object's keys come in the order of their UTF-8 bytes
 * (what Segment does to a deployed function's body; see webhook/jsonsort.h). */
static duk_ret_t native_parse_json(duk_context *ctx)
{
    parser parse, *p = &parse;
    memset(p, 0, offsetof(parser, kind));
    duk_size_t len;
    p->ctx = ctx;
    p->sort = duk_to_boolean(ctx, 1);
    if (duk_is_buffer_data(ctx, 0)) {   /* a request body: its bytes */
        p->text = duk_get_buffer_data(ctx, 0, &len);
        if (!p->text)
            p->text = (const unsigned char *)"";
    } else {
        p->text = (const unsigned char *)duk_to_lstring(ctx, 0, &len);
    }
    p->len = p->parse_len = len;
    p->ascii = ascii_span(p->text, len) == len;

    /* From here to the frees, nothing may throw but inside duk_safe_call. */
    duk_int_t rc = duk_safe_call(ctx, parse_safely, p, 0, 1);
    int failed = rc != DUK_EXEC_SUCCESS || p->rejected;
    json_events_release();
    if (p->yh)
        yajl_free(p->yh);
    free(p->unescaped.data);
    free(p->clean.data);
    if (failed)
        return duk_throw(ctx);
    return 1;
}

void native_json_register(duk_context *ctx)
{
    pthread_once(&c_locale_once, make_c_locale);
    duk_push_c_function(ctx, native_parse_json, 2);
    duk_put_prop_string(ctx, -2, "parseJson");
}
