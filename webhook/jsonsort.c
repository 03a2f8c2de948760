/*
 * jsonsort on yajl (see jsonsort.h): yajl's parser (its event API) builds a
 * small tree, each object's members are sorted as the object closes, and
 * yajl_gen writes the tree out, compact.
 *
 * The tree: nodes in one array, linked by index (first child, next sibling;
 * 0 is "none", node 0 being the holder of the document, never a child), and
 * a stack of the open containers while it is built. Strings and keys are
 * kept as yajl decodes them, numbers as their text (yajl's number callback):
 * where they are in the text when yajl passes a pointer into it (no escape,
 * the usual case), else copied into an arena sized once.
 *
 * yajl's quirks, handled as in engine/native-json.c:
 *   - yajl skips \v and \f as whitespace. Neither byte can appear in JSON
 *     (not whitespace, and raw control characters are not allowed in
 *     strings), so a text holding one is refused before yajl sees it.
 *   - yajl takes a string left open after the value (`0"`, `{} "x`) for one
 *     that may yet end. The callback that completes the document records
 *     where it ends; only whitespace may follow.
 *   - yajl decodes a lone surrogate escape wrongly: a high one alone becomes
 *     '?', one followed by another \u that is not a low one a made-up
 *     character, and a lone low one its 3-byte form, which is not UTF-8. So a
 *     string holding one keeps its token as sent, quotes included, which is
 *     written where yajl_gen wrote an empty string (its "" replaced), so the
 *     output means the same. As a key it sorts by yajl's decoding.
 *   - yajl_gen opens at most YAJL_MAX_DEPTH - 1 containers: a container that
 *     would go deeper is written by a fresh generator, and its text inserted
 *     with yajl_gen_number (which writes a number's text as given).
 *
 * Nothing aborts: out of memory stops yajl (a callback returns 0) or the
 * writer, jsonsort then returns NULL; everything is freed on every path.
 */
#include "webhook/jsonsort.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_parse.h>

/* Containers one generator may have open (yajl_gen refuses one more). */
#define GEN_DEPTH (YAJL_MAX_DEPTH - 1)

enum { N_NULL, N_FALSE, N_TRUE, N_NUMBER, N_STRING, N_RAW_STRING, N_ARRAY, N_OBJECT };

/* Bytes in the text, or in the arena when yajl made them (decoded escapes). */
typedef struct span {
    const unsigned char *p;
    size_t len;
} span;

typedef struct node {
    span val;       /* N_NUMBER: its text; N_STRING: decoded; N_RAW_STRING: the token as sent */
    span key;       /* as an object member: its key, decoded (what it sorts by) */
    span key_raw;   /* ...and as sent, when it holds a lone surrogate (else len 0) */
    size_t first;   /* containers: the first child */
    size_t next;    /* the next sibling */
    unsigned char kind;
} node;

/* An open container while the tree is built. */
typedef struct level {
    size_t node, last, count;
} level;

typedef struct bytes {
    unsigned char *data;
    size_t len, cap;
} bytes;

typedef struct entry {
    span key;
    size_t index, node;
} entry;

typedef struct builder {
    yajl_handle yh;
    const unsigned char *text;
    size_t len;
    int build;       /* 0: only checking (jsonsort_valid) */
    int finishing;   /* in yajl_complete_parse, whose offsets are not into the text */
    int depth;       /* open containers */
    size_t end;      /* just past the document's value, once it is complete */
    node *nodes;
    size_t n_nodes, nodes_cap;
    level *levels;   /* [0]: the holder of the document, [depth]: the open container */
    size_t levels_cap;
    bytes arena;     /* never grows (pointers into it are kept): see stash */
    span key, key_raw;   /* the key of the member whose value comes next */
    entry *sorting;
    size_t sorting_cap;
} builder;

typedef struct writer {
    yajl_gen g;
    bytes out;      /* what g printed */
    int failed;     /* out of memory while printing */
} writer;

/* --- memory ----------------------------------------------------------------------- */

/* Makes room for `need` items of `size` bytes in *data (capacity *cap). */
static int reserve(void **data, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 1;
    size_t n = *cap > need / 2 ? *cap * 2 : need;
    if (n < 16)
        n = 16;
    if (n > SIZE_MAX / size)
        return 0;
    void *grown = realloc(*data, n * size);
    if (!grown)
        return 0;
    *data = grown;
    *cap = n;
    return 1;
}

static int bytes_put(bytes *b, const void *s, size_t n)
{
    if (n == 0)
        return 1;
    if (n > SIZE_MAX - b->len || !reserve((void **)&b->data, &b->cap, b->len + n, 1))
        return 0;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    return 1;
}

static int in_text(const builder *b, const unsigned char *s, size_t n)
{
    uintptr_t at = (uintptr_t)s, text = (uintptr_t)b->text;
    return at >= text && at - text <= b->len && n <= b->len - (at - text);
}

/* Keeps s[0..n) for the tree: where it is when in the text, else a copy in
 * the arena. What yajl makes is a decoded string, shorter than its token, or
 * a number that ends the text, so copies never pass the text's length, which
 * is the arena's size. */
static int stash(builder *b, const unsigned char *s, size_t n, span *at)
{
    if (in_text(b, s, n)) {
        *at = (span){s, n};
        return 1;
    }
    if (n > b->arena.cap - b->arena.len)
        return 0;
    *at = (span){b->arena.data + b->arena.len, n};
    memcpy(b->arena.data + b->arena.len, s, n);
    b->arena.len += n;
    return 1;
}

/* --- the tree --------------------------------------------------------------------- */

/* A new child of the open container (a member takes the pending key);
 * its index, or 0 when out of memory. */
static size_t add_node(builder *b, unsigned char kind)
{
    if (!reserve((void **)&b->nodes, &b->nodes_cap, b->n_nodes + 1, sizeof *b->nodes))
        return 0;
    size_t i = b->n_nodes++;
    level *l = &b->levels[b->depth];
    b->nodes[i] = (node){.key = b->key, .key_raw = b->key_raw, .kind = kind};
    if (l->count++)
        b->nodes[l->last].next = i;
    else
        b->nodes[l->node].first = i;
    l->last = i;
    return i;
}

static int compare_entries(const void *x, const void *y)
{
    const entry *a = x, *b = y;
    size_t na = a->key.len, nb = b->key.len;
    int c = memcmp(a->key.p, b->key.p, na < nb ? na : nb);
    if (c == 0)
        c = (na > nb) - (na < nb);
    return c ? c : (a->index > b->index) - (a->index < b->index);
}

/* Most objects are short, and an insertion sort beats qsort's overhead on
 * them (about 10% of jsonsort on a typical webhook body). */
static void sort_entries(entry *e, size_t n)
{
    if (n > 16) {
        qsort(e, n, sizeof *e, compare_entries);
        return;
    }
    for (size_t k = 1; k < n; k++) {
        entry x = e[k];
        size_t j = k;
        for (; j > 0 && compare_entries(&e[j - 1], &x) > 0; j--)
            e[j] = e[j - 1];
        e[j] = x;
    }
}

/* Relinks the members of the object open at l in key order; equal keys
 * keep their order. Objects already in order (or short) stay as they are. */
static int sort_members(builder *b, const level *l)
{
    size_t n = l->count;
    if (n < 2)
        return 1;
    if (!reserve((void **)&b->sorting, &b->sorting_cap, n, sizeof *b->sorting))
        return 0;
    entry *e = b->sorting;
    int sorted = 1;
    size_t k = 0;
    for (size_t i = b->nodes[l->node].first; k < n; i = b->nodes[i].next, k++) {
        e[k] = (entry){b->nodes[i].key, k, i};
        if (k > 0 && sorted && compare_entries(&e[k - 1], &e[k]) > 0)
            sorted = 0;
    }
    if (sorted)
        return 1;
    sort_entries(e, n);
    b->nodes[l->node].first = e[0].node;
    for (k = 0; k < n; k++)
        b->nodes[e[k].node].next = k + 1 < n ? e[k + 1].node : 0;
    return 1;
}

/* --- strings with a lone surrogate ----------------------------------------------- */

static unsigned hex4(const unsigned char *h)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++)
        v = v * 16 + (unsigned)(h[i] <= '9' ? h[i] - '0' : (h[i] | 0x20) - 'a' + 10);
    return v;
}

/* Whether a string token yajl accepted (t[0..n), between its quotes) holds
 * a \u escape of a surrogate that is not half of a pair. */
static int has_lone_surrogate(const unsigned char *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (t[i] != '\\')
            continue;
        if (t[++i] != 'u')
            continue;
        unsigned u = hex4(t + i + 1);
        i += 4;
        if (u < 0xD800 || u > 0xDFFF)
            continue;
        if (u >= 0xDC00 || i + 6 >= n || t[i + 1] != '\\' || t[i + 2] != 'u')
            return 1;
        unsigned lo = hex4(t + i + 3);
        if (lo < 0xDC00 || lo > 0xDFFF)
            return 1;
        i += 6;
    }
    return 0;
}

/* The offset of the quote opening the string token that closes at `close`:
 * the nearest quote before it not escaped (after an even run of '\'). */
static size_t opening_quote(const unsigned char *t, size_t close)
{
    for (size_t i = close; i-- > 0;) {
        if (t[i] != '"')
            continue;
        size_t k = i;
        while (k > 0 && t[k - 1] == '\\')
            k--;
        if ((i - k) % 2 == 0)
            return i;
    }
    return close;
}

/* The string token just read, as sent (quotes included), when it holds a
 * lone surrogate; else len 0. yajl passes a pointer into the text when the
 * token has no escape, and the text is one chunk, so the token ends at the
 * bytes consumed (strings never end inside yajl_complete_parse). */
static span lone_token(const builder *b, const unsigned char *s, size_t n)
{
    span none = {NULL, 0};
    if (in_text(b, s, n) || b->finishing)
        return none;
    size_t end = yajl_get_bytes_consumed(b->yh);
    if (end < 2 || end > b->len || b->text[end - 1] != '"')
        return none;
    size_t start = opening_quote(b->text, end - 1);
    if (start == end - 1 || !has_lone_surrogate(b->text + start + 1, end - 2 - start))
        return none;
    return (span){b->text + start, end - start};
}

/* --- callbacks -------------------------------------------------------------------- */

/* A value is complete; at depth 0 it is the document, which ends here (a
 * number that ends the text is only complete in yajl_complete_parse). */
static int value_done(builder *b)
{
    if (b->depth == 0)
        b->end = b->finishing ? b->len : yajl_get_bytes_consumed(b->yh);
    return 1;
}

/* A scalar; s is its bytes (NULL for null and booleans), or with raw its
 * token as sent. */
static int add_scalar(builder *b, unsigned char kind, const unsigned char *s, size_t n, span raw)
{
    if (b->build) {
        size_t i = add_node(b, kind);
        if (!i)
            return 0;
        if (raw.len)
            b->nodes[i].val = raw;
        else if (s && !stash(b, s, n, &b->nodes[i].val))
            return 0;
    }
    return value_done(b);
}

static const span no_span = {NULL, 0};

static int on_null(void *ud)
{
    return add_scalar(ud, N_NULL, NULL, 0, no_span);
}

static int on_boolean(void *ud, int v)
{
    return add_scalar(ud, v ? N_TRUE : N_FALSE, NULL, 0, no_span);
}

static int on_number(void *ud, const char *s, size_t n)
{
    return add_scalar(ud, N_NUMBER, (const unsigned char *)s, n, no_span);
}

static int on_string(void *ud, const unsigned char *s, size_t n)
{
    builder *b = ud;
    span raw = b->build ? lone_token(b, s, n) : no_span;
    return add_scalar(b, raw.len ? N_RAW_STRING : N_STRING, s, n, raw);
}

static int on_map_key(void *ud, const unsigned char *s, size_t n)
{
    builder *b = ud;
    if (!b->build)
        return 1;
    b->key_raw = lone_token(b, s, n);
    return stash(b, s, n, &b->key);
}

static int open_container(builder *b, unsigned char kind)
{
    if (b->depth >= JSONSORT_MAX_DEPTH)
        return 0;
    if (b->build) {
        size_t i = add_node(b, kind);
        if (!i || !reserve((void **)&b->levels, &b->levels_cap, (size_t)b->depth + 2, sizeof *b->levels))
            return 0;
        b->levels[b->depth + 1] = (level){i, 0, 0};
    }
    b->depth++;
    return 1;
}

static int on_start_map(void *ud)
{
    return open_container(ud, N_OBJECT);
}

static int on_start_array(void *ud)
{
    return open_container(ud, N_ARRAY);
}

static int on_end(void *ud)
{
    builder *b = ud;
    if (b->build) {
        const level *l = &b->levels[b->depth];
        if (b->nodes[l->node].kind == N_OBJECT && !sort_members(b, l))
            return 0;
    }
    b->depth--;
    return value_done(b);
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

/* --- parsing ---------------------------------------------------------------------- */

static int only_space_after(const builder *b)
{
    for (size_t i = b->end; i < b->len; i++) {
        unsigned char c = b->text[i];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            return 0;
    }
    return 1;
}

/* Whether text is one JSON value; with build, its tree is made too (node 0
 * holding it). The caller frees b with builder_free either way. */
static int parse(builder *b, const char *text, size_t len, int build)
{
    *b = (builder){.text = (const unsigned char *)text, .len = len, .build = build};
    if (memchr(text, '\v', len) || memchr(text, '\f', len))
        return 0;
    if (build) {
        if (!reserve((void **)&b->arena.data, &b->arena.cap, len + 1, 1) ||
            !reserve((void **)&b->nodes, &b->nodes_cap, len / 16 + 16, sizeof *b->nodes) ||
            !reserve((void **)&b->levels, &b->levels_cap, 64, sizeof *b->levels))
            return 0;
        b->nodes[0] = (node){.kind = N_ARRAY};   /* the holder */
        b->n_nodes = 1;
        b->levels[0] = (level){0, 0, 0};
    }
    b->yh = yajl_alloc(&callbacks, NULL, b);
    if (!b->yh || !yajl_config(b->yh, yajl_dont_validate_strings, 0))
        return 0;
    if (yajl_parse(b->yh, b->text, len) != yajl_status_ok)
        return 0;
    b->finishing = 1;
    if (yajl_complete_parse(b->yh) != yajl_status_ok)
        return 0;
    return only_space_after(b);
}

static void builder_free(builder *b)
{
    if (b->yh)
        yajl_free(b->yh);
    free(b->nodes);
    free(b->levels);
    free(b->arena.data);
    free(b->sorting);
}

/* --- writing ---------------------------------------------------------------------- */

static void print(void *ctx, const char *s, size_t n)
{
    writer *w = ctx;
    if (n <= w->out.cap - w->out.len) {   /* the usual case, kept short */
        memcpy(w->out.data + w->out.len, s, n);
        w->out.len += n;
    } else if (!bytes_put(&w->out, s, n)) {
        w->failed = 1;
    }
}

/* A compact generator printing into w->out (w must stay where it is). The
 * caller closes w either way. */
static int writer_open(writer *w, size_t cap)
{
    *w = (writer){0};
    w->g = yajl_gen_alloc(NULL);
    return w->g && yajl_gen_config(w->g, yajl_gen_beautify, 0) && yajl_gen_config(w->g, yajl_gen_validate_utf8, 0) &&
           yajl_gen_config(w->g, yajl_gen_print_callback, print, w) &&
           reserve((void **)&w->out.data, &w->out.cap, cap, 1);
}

static void writer_close(writer *w)
{
    if (w->g)
        yajl_gen_free(w->g);
    free(w->out.data);
}

static int ok(yajl_gen_status st)
{
    return st == yajl_gen_status_ok;
}

/* A string token yajl_gen cannot write (it holds a lone surrogate): an empty
 * string keeps the generator's state right (separator, key or value), and
 * its "" is replaced by the token as sent. */
static int write_raw_string(writer *w, const unsigned char *token, size_t n)
{
    if (!ok(yajl_gen_string(w->g, (const unsigned char *)"", 0)) || w->failed || w->out.len < 2 ||
        memcmp(w->out.data + w->out.len - 2, "\"\"", 2) != 0)
        return 0;
    w->out.len -= 2;
    return bytes_put(&w->out, token, n);
}

static int write_value(const builder *b, writer *w, size_t i, int depth);

static int write_key(writer *w, const node *m)
{
    if (m->key_raw.len)
        return write_raw_string(w, m->key_raw.p, m->key_raw.len);
    return ok(yajl_gen_string(w->g, m->key.p, m->key.len));
}

/* A container, with `depth` containers open in w's generator. */
static int write_container(const builder *b, writer *w, size_t i, int depth)
{
    int object = b->nodes[i].kind == N_OBJECT;
    if (!ok(object ? yajl_gen_map_open(w->g) : yajl_gen_array_open(w->g)))
        return 0;
    for (size_t c = b->nodes[i].first; c; c = b->nodes[c].next)
        if ((object && !write_key(w, &b->nodes[c])) || !write_value(b, w, c, depth + 1))
            return 0;
    return ok(object ? yajl_gen_map_close(w->g) : yajl_gen_array_close(w->g));
}

/* A container too deep for w's generator: a fresh one writes it. */
static int write_nested(const builder *b, writer *w, size_t i)
{
    writer sub;
    int done = writer_open(&sub, 256) && write_container(b, &sub, i, 0) && !sub.failed &&
               ok(yajl_gen_number(w->g, (const char *)sub.out.data, sub.out.len));
    writer_close(&sub);
    return done;
}

static int write_value(const builder *b, writer *w, size_t i, int depth)
{
    const node *x = &b->nodes[i];
    const unsigned char *t = x->val.p;
    switch (x->kind) {
    case N_NULL: return ok(yajl_gen_null(w->g));
    case N_FALSE: return ok(yajl_gen_bool(w->g, 0));
    case N_TRUE: return ok(yajl_gen_bool(w->g, 1));
    case N_NUMBER: return ok(yajl_gen_number(w->g, (const char *)t, x->val.len));
    case N_STRING: return ok(yajl_gen_string(w->g, t, x->val.len));
    case N_RAW_STRING: return write_raw_string(w, t, x->val.len);
    default: return depth < GEN_DEPTH ? write_container(b, w, i, depth) : write_nested(b, w, i);
    }
}

/* --- the API ---------------------------------------------------------------------- */

int jsonsort_valid(const char *text, size_t len)
{
    builder b;
    int valid = parse(&b, text, len, 0);
    builder_free(&b);
    return valid;
}

char *jsonsort(const char *text, size_t len, size_t *out_len)
{
    builder b;
    writer w = {0};
    char *sorted = NULL;
    if (parse(&b, text, len, 1) && writer_open(&w, len + 1) && write_value(&b, &w, b.nodes[0].first, 0) &&
        !w.failed && bytes_put(&w.out, "", 1)) {
        sorted = (char *)w.out.data;
        *out_len = w.out.len - 1;
        w.out.data = NULL;
    }
    writer_close(&w);
    builder_free(&b);
    return sorted;
}
