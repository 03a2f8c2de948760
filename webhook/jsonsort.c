/*
 * jsonsort: a recursive-descent JSON checker that can also write a sorted,
 * compact copy (see jsonsort.h).
 *
 * How an object is sorted: its members are written one after the other
 * (without commas) as they are parsed, each span remembered; once the '}' is
 * reached the spans are ordered by key and the object's region is rewritten
 * from a copy, commas included. Each level copies its own region once.
 *
 * Invariants: p->pos never passes p->len; when p->o is NULL nothing is
 * written (checking only); the output never holds more bytes than the input
 * plus one (the NUL), since only whitespace is dropped.
 */
#include "webhook/jsonsort.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct out {
    char *buf;
    size_t len;
} out;

typedef struct parser {
    const char *s;
    size_t len, pos;
    int depth;
    out *o;
} parser;

typedef struct member {
    size_t start, end;     /* the member "key":value in the output */
    size_t key_len;        /* the key's raw length, quotes included */
    size_t index;          /* parse order: ties keep it */
    const char *key;       /* set just before sorting */
    int escaped;           /* the key holds a backslash */
} member;

static int value(parser *p);

static void emit(parser *p, const char *from, size_t n)
{
    if (p->o) {
        memcpy(p->o->buf + p->o->len, from, n);
        p->o->len += n;
    }
}

static void skip_ws(parser *p)
{
    while (p->pos < p->len) {
        char c = p->s[p->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            return;
        p->pos++;
    }
}

static int is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* A string token, copied as is; sets *escaped when it holds a backslash. */
static int string(parser *p, int *escaped)
{
    size_t start = p->pos++;
    *escaped = 0;
    while (p->pos < p->len) {
        unsigned char c = (unsigned char)p->s[p->pos];
        if (c == '"') {
            p->pos++;
            emit(p, p->s + start, p->pos - start);
            return 0;
        }
        if (c < 0x20)
            return -1;
        if (c == '\\') {
            *escaped = 1;
            if (++p->pos >= p->len)
                return -1;
            char e = p->s[p->pos];
            if (e == 'u') {
                if (p->pos + 4 >= p->len || !is_hex(p->s[p->pos + 1]) || !is_hex(p->s[p->pos + 2]) ||
                    !is_hex(p->s[p->pos + 3]) || !is_hex(p->s[p->pos + 4]))
                    return -1;
                p->pos += 4;
            } else if (!strchr("\"\\/bfnrt", e) || e == '\0') {
                return -1;
            }
        }
        p->pos++;
    }
    return -1;
}

static size_t digits(parser *p)
{
    size_t n = 0;
    while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9') {
        p->pos++;
        n++;
    }
    return n;
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, copied as is. */
static int number(parser *p)
{
    size_t start = p->pos;
    if (p->s[p->pos] == '-')
        p->pos++;
    if (p->pos < p->len && p->s[p->pos] == '0')
        p->pos++;
    else if (digits(p) == 0)
        return -1;
    if (p->pos < p->len && p->s[p->pos] == '.') {
        p->pos++;
        if (digits(p) == 0)
            return -1;
    }
    if (p->pos < p->len && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
        p->pos++;
        if (p->pos < p->len && (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
            p->pos++;
        if (digits(p) == 0)
            return -1;
    }
    emit(p, p->s + start, p->pos - start);
    return 0;
}

static int literal(parser *p, const char *word)
{
    size_t n = strlen(word);
    if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n) != 0)
        return -1;
    emit(p, word, n);
    p->pos += n;
    return 0;
}

static int array(parser *p)
{
    emit(p, "[", 1);
    p->pos++;
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == ']') {
        p->pos++;
        emit(p, "]", 1);
        return 0;
    }
    for (;;) {
        if (value(p) != 0)
            return -1;
        skip_ws(p);
        if (p->pos >= p->len)
            return -1;
        char c = p->s[p->pos++];
        if (c == ']') {
            emit(p, "]", 1);
            return 0;
        }
        if (c != ',')
            return -1;
        emit(p, ",", 1);
    }
}

/* --- keys ------------------------------------------------------------------------ */

static unsigned hex4(const char *h)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = h[i];
        v = v * 16 + (unsigned)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return v;
}

static size_t put_utf8(unsigned cp, unsigned char *d)
{
    if (cp < 0x80) {
        d[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        d[0] = (unsigned char)(0xC0 | (cp >> 6));
        d[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        d[0] = (unsigned char)(0xE0 | (cp >> 12));
        d[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        d[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    d[0] = (unsigned char)(0xF0 | (cp >> 18));
    d[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    d[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    d[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* A checked string token (quotes excluded) decoded to UTF-8 (lone surrogates
 * as their 3-byte forms); returns the decoded length, at most len. */
static size_t decode_key(const char *s, size_t len, unsigned char *d)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '\\') {
            d[o++] = (unsigned char)s[i];
            continue;
        }
        char e = s[++i];
        if (e != 'u') {
            static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
            d[o++] = (unsigned char)to[strchr(from, e) - from];
            continue;
        }
        unsigned cp = hex4(s + i + 1);
        i += 4;
        if (cp >= 0xD800 && cp < 0xDC00 && i + 6 < len && s[i + 1] == '\\' && s[i + 2] == 'u') {
            unsigned lo = hex4(s + i + 3);
            if (lo >= 0xDC00 && lo < 0xE000) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i += 6;
            }
        }
        o += put_utf8(cp, d + o);
    }
    return o;
}

static int compare_bytes(const unsigned char *a, size_t na, const unsigned char *b, size_t nb)
{
    int c = memcmp(a, b, na < nb ? na : nb);
    return c ? c : (na > nb) - (na < nb);
}

static int compare_members(const void *x, const void *y)
{
    const member *a = x, *b = y;
    const char *ka = a->key + 1, *kb = b->key + 1;
    size_t na = a->key_len - 2, nb = b->key_len - 2;
    int c;
    if (!a->escaped && !b->escaped) {
        c = compare_bytes((const unsigned char *)ka, na, (const unsigned char *)kb, nb);
    } else {
        unsigned char *da = malloc(na + 1), *db = malloc(nb + 1);
        if (!da || !db)
            abort();
        c = compare_bytes(da, decode_key(ka, na, da), db, decode_key(kb, nb, db));
        free(da);
        free(db);
    }
    return c ? c : (a->index > b->index) - (a->index < b->index);
}

/* --- objects --------------------------------------------------------------------- */

/* Rewrites the members (written back to back from m[0].start) in key order,
 * with commas. */
static void reorder(out *o, member *m, size_t n)
{
    size_t base = m[0].start, region = o->len - base;
    char *copy = malloc(region ? region : 1);
    if (!copy)
        abort();
    memcpy(copy, o->buf + base, region);
    for (size_t i = 0; i < n; i++)
        m[i].key = copy + (m[i].start - base);
    qsort(m, n, sizeof *m, compare_members);
    o->len = base;
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            o->buf[o->len++] = ',';
        memcpy(o->buf + o->len, copy + (m[i].start - base), m[i].end - m[i].start);
        o->len += m[i].end - m[i].start;
    }
    free(copy);
}

static int push_member(member **m, size_t *n, size_t *cap, const member *one)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        member *grown = realloc(*m, *cap * sizeof **m);
        if (!grown)
            abort();
        *m = grown;
    }
    (*m)[(*n)++] = *one;
    return 0;
}

/* One "key": value, written without separator; its span in *one. */
static int object_member(parser *p, member *one)
{
    skip_ws(p);
    if (p->pos >= p->len || p->s[p->pos] != '"')
        return -1;
    size_t key_at = p->pos;
    one->start = p->o ? p->o->len : 0;
    if (string(p, &one->escaped) != 0)
        return -1;
    one->key_len = p->pos - key_at;
    skip_ws(p);
    if (p->pos >= p->len || p->s[p->pos] != ':')
        return -1;
    p->pos++;
    emit(p, ":", 1);
    if (value(p) != 0)
        return -1;
    one->end = p->o ? p->o->len : 0;
    return 0;
}

static int object(parser *p)
{
    emit(p, "{", 1);
    p->pos++;
    skip_ws(p);
    member *m = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    if (p->pos < p->len && p->s[p->pos] == '}') {
        p->pos++;
    } else {
        for (;;) {
            member one = {0};
            one.index = n;
            if (object_member(p, &one) != 0) {
                rc = -1;
                break;
            }
            push_member(&m, &n, &cap, &one);
            skip_ws(p);
            char c = p->pos < p->len ? p->s[p->pos++] : '\0';
            if (c == '}')
                break;
            if (c != ',') {
                rc = -1;
                break;
            }
        }
    }
    if (rc == 0 && p->o && n > 0)
        reorder(p->o, m, n);
    free(m);
    emit(p, "}", rc == 0 ? 1 : 0);
    return rc;
}

static int value(parser *p)
{
    skip_ws(p);
    if (p->pos >= p->len)
        return -1;
    char c = p->s[p->pos];
    if (c == '{' || c == '[') {
        if (++p->depth > JSONSORT_MAX_DEPTH)
            return -1;
        int rc = c == '{' ? object(p) : array(p);
        p->depth--;
        return rc;
    }
    int escaped;
    switch (c) {
    case '"': return string(p, &escaped);
    case 't': return literal(p, "true");
    case 'f': return literal(p, "false");
    case 'n': return literal(p, "null");
    default: return (c == '-' || (c >= '0' && c <= '9')) ? number(p) : -1;
    }
}

static int document(parser *p)
{
    if (value(p) != 0)
        return -1;
    skip_ws(p);
    return p->pos == p->len ? 0 : -1;
}

int jsonsort_valid(const char *text, size_t len)
{
    parser p = {text, len, 0, 0, NULL};
    return document(&p) == 0;
}

char *jsonsort(const char *text, size_t len, size_t *out_len)
{
    out o = {malloc(len + 1), 0};
    if (!o.buf)
        abort();
    parser p = {text, len, 0, 0, &o};
    if (document(&p) != 0) {
        free(o.buf);
        return NULL;
    }
    o.buf[o.len] = '\0';
    *out_len = o.len;
    return o.buf;
}
