/*
 * jsoncheck (see jsoncheck.h): one pass over the bytes, no allocation, no
 * tree: a state machine over RFC 8259's grammar with a stack of the open
 * containers' closing bytes, JSONSORT_MAX_DEPTH deep at most. The runs of
 * plain string bytes, most of a webhook, are skipped through a table.
 */
#include "webhook/jsoncheck.h"

#include <pthread.h>

#include "webhook/jsonsort.h"

typedef const unsigned char *pos;

enum { INVALID = -1, WANT_VALUE, WANT_KEY, AFTER_VALUE, VALID };

/* String bytes that need no look: not '"', not '\\', not a control byte. */
static unsigned char plain[256];
static pthread_once_t plain_once = PTHREAD_ONCE_INIT;

static void make_plain(void)
{
    for (int c = 0x20; c < 256; c++)
        plain[c] = c != '"' && c != '\\';
}

static pos skip_ws(pos p, pos end)
{
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
        p++;
    return p;
}

static int is_hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* An escape after its backslash: the byte after it, or NULL. */
static pos escape_end(pos p, pos end)
{
    if (p >= end)
        return NULL;
    switch (*p) {
    case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
        return p + 1;
    case 'u':
        if (end - p < 5 || !is_hex(p[1]) || !is_hex(p[2]) || !is_hex(p[3]) || !is_hex(p[4]))
            return NULL;
        return p + 5;
    default:
        return NULL;
    }
}

/* A string from its opening quote: the byte after its closing quote, or NULL. */
static pos string_end(pos p, pos end)
{
    p++;
    for (;;) {
        while (p < end && plain[*p])
            p++;
        if (p >= end || *p < 0x20)
            return NULL;
        if (*p == '"')
            return p + 1;
        if (!(p = escape_end(p + 1, end)))
            return NULL;
    }
}

/* One or more digits: the byte after them, or NULL. */
static pos digits_end(pos p, pos end)
{
    pos start = p;
    while (p < end && *p >= '0' && *p <= '9')
        p++;
    return p > start ? p : NULL;
}

static pos number_end(pos p, pos end)
{
    if (p < end && *p == '-')
        p++;
    if (p < end && *p == '0')
        p++;
    else if (!(p < end && *p >= '1' && *p <= '9' && (p = digits_end(p, end))))
        return NULL;
    if (p < end && *p == '.' && !(p = digits_end(p + 1, end)))
        return NULL;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        p = digits_end(p, end);
    }
    return p;
}

static pos word_end(pos p, pos end, const char *word, long n)
{
    for (long i = 0; i < n; i++) {
        if (p + i >= end || p[i] != (unsigned char)word[i])
            return NULL;
    }
    return p + n;
}

/* A scalar value at p (not a container): the byte after it, or NULL. */
static pos scalar_end(pos p, pos end)
{
    switch (*p) {
    case '"': return string_end(p, end);
    case 't': return word_end(p, end, "true", 4);
    case 'f': return word_end(p, end, "false", 5);
    case 'n': return word_end(p, end, "null", 4);
    default: return number_end(p, end);
    }
}

typedef struct parse {
    pos p, end;
    int depth;
    unsigned char closers[JSONSORT_MAX_DEPTH];   /* ']' or '}' per open container */
} parse;

/* A value is expected: a scalar is passed over, a container opened. */
static int want_value(parse *s)
{
    s->p = skip_ws(s->p, s->end);
    if (s->p >= s->end)
        return INVALID;
    unsigned char c = *s->p;
    if (c != '[' && c != '{') {
        s->p = scalar_end(s->p, s->end);
        return s->p ? AFTER_VALUE : INVALID;
    }
    if (s->depth == JSONSORT_MAX_DEPTH)
        return INVALID;
    s->closers[s->depth++] = c == '[' ? ']' : '}';
    s->p = skip_ws(s->p + 1, s->end);
    if (s->p < s->end && *s->p == s->closers[s->depth - 1]) {
        s->depth--;
        s->p++;
        return AFTER_VALUE;
    }
    return c == '[' ? WANT_VALUE : WANT_KEY;
}

/* An object's key and its colon are expected. */
static int want_key(parse *s)
{
    s->p = skip_ws(s->p, s->end);
    if (s->p >= s->end || *s->p != '"' || !(s->p = string_end(s->p, s->end)))
        return INVALID;
    s->p = skip_ws(s->p, s->end);
    if (s->p >= s->end || *s->p != ':')
        return INVALID;
    s->p++;
    return WANT_VALUE;
}

/* After a value: a comma, the container's end, or (at the top) the text's. */
static int after_value(parse *s)
{
    s->p = skip_ws(s->p, s->end);
    if (s->depth == 0)
        return s->p == s->end ? VALID : INVALID;
    if (s->p >= s->end)
        return INVALID;
    if (*s->p == ',') {
        s->p++;
        return s->closers[s->depth - 1] == '}' ? WANT_KEY : WANT_VALUE;
    }
    if (*s->p != s->closers[s->depth - 1])
        return INVALID;
    s->depth--;
    s->p++;
    return AFTER_VALUE;
}

int jsoncheck_valid(const char *text, size_t len)
{
    if (pthread_once(&plain_once, make_plain) != 0)
        return jsonsort_valid(text, len);   /* the reference, slower */
    parse s = {.p = (pos)text, .end = (pos)text + len, .depth = 0};
    int state = WANT_VALUE;
    while (state != INVALID && state != VALID) {
        if (state == WANT_VALUE)
            state = want_value(&s);
        else if (state == WANT_KEY)
            state = want_key(&s);
        else
            state = after_value(&s);
    }
    return state == VALID;
}
