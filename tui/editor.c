/*
 * editor.c: the editor's model (see editor.h): text, cursor, selection,
 * undo/redo, search, the scroll position and the per-line syntax cache. No
 * curses here; editor-view.c draws it and the JavaScript lexer lives there.
 *
 * Invariants:
 *  - The lines are a gap buffer of `struct line`: ln[0, gap) and
 *    ln[gap_end, cap) hold the text's lines in order; there is always at least
 *    one line. Inserting or deleting lines costs the distance from the last
 *    edit, not the file size.
 *  - A line's bytes are NUL-terminated (s[len] == 0) whenever s is non-NULL;
 *    s is NULL only for an empty line never written to.
 *  - cur and anchor are valid positions: line < line count and col a UTF-8
 *    boundary within that line (boundaries as editor_utf8_next decodes them).
 *  - Every change to the text goes through raw_insert / raw_delete. History
 *    records hist[0, nhist) are applied, hist[nhist, nrec) can be redone; the
 *    records of one undo step share a group id and are contiguous.
 *  - Lines [0, syn_ok) have a trusted cached syntax state; syn_ok >= 1 since
 *    line 0 always starts in state 0. Edits lower syn_ok to just below the
 *    edited line; editor_line_state raises it on demand.
 */
#include "tui/editor.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

typedef struct pos {
    size_t line, col;
} pos;

struct line {
    char *s;
    size_t len, cap;
    int state;                 /* syntax state at the line's start (cache) */
};

enum { REC_INSERT, REC_DELETE };

/* The last edit, for grouping consecutive typing or deleting into one step. */
enum last_action { ACT_NONE, ACT_TYPE, ACT_BACKSPACE, ACT_DELETE };

typedef struct record {
    int kind;                  /* REC_INSERT: text went in at [at, end); REC_DELETE: [at, end) came out */
    pos at, end;
    char *text;
    size_t len, cap;
    unsigned long group;
    pos cur_before, anchor_before;   /* where the step began (undo goes back there) */
    int sel_before;
    pos cur_after;                   /* where the step ended (redo goes there) */
} record;

#define NEVER SIZE_MAX

struct editor {
    struct line *ln;
    size_t cap, gap, gap_end;

    pos cur, anchor;
    int sel;                   /* anchor is in use (the selection may still be empty) */
    size_t goal;               /* display column UP/DOWN aim for */

    record *hist;
    size_t nhist, nrec, hcap;
    unsigned long group;       /* id of the current step */
    pos step_cur, step_anchor; /* cursor and selection when the current step began */
    int step_sel;
    enum last_action last;
    size_t clean;              /* nhist when last clean, NEVER when unreachable */

    long error_line;

    size_t syn_ok;
    unsigned long lexed;

    size_t top, left;
    int follow;                /* the viewport follows the cursor */
};

/* --- characters ----------------------------------------------------------------- */

size_t editor_utf8_next(const char *s, size_t len, size_t i, unsigned *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned c = u[i], v, min;
    size_t n;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2, v = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3, v = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4, v = c & 0x07, min = 0x10000;
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    if (len - i < n) {
        *cp = 0xFFFD;
        return 1;
    }
    for (size_t k = 1; k < n; k++) {
        if ((u[i + k] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        v = v << 6 | (u[i + k] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        *cp = 0xFFFD;
        return 1;
    }
    *cp = v;
    return n;
}

int editor_cell_width(unsigned cp, size_t col)
{
    if (cp == '\t')
        return (int)(EDITOR_TAB_WIDTH - col % EDITOR_TAB_WIDTH);
    if (cp < 0x20 || cp == 0x7F)
        return 2;
    int w = wcwidth((wchar_t)cp);
    return w < 0 ? 1 : w;
}

/* The boundary before i (i > 0), consistent with decoding forward. */
static size_t utf8_prev(const char *s, size_t len, size_t i)
{
    size_t j = i - 1;
    while (j > 0 && i - j < 4 && ((unsigned char)s[j] & 0xC0) == 0x80)
        j--;
    unsigned cp;
    return editor_utf8_next(s, len, j, &cp) == i - j ? j : i - 1;
}

/* Word characters: letters, digits, '_', '$' and everything non-ASCII. */
enum { CL_SPACE, CL_WORD, CL_PUNCT };
static int char_class(unsigned cp)
{
    if (cp == ' ' || cp == '\t')
        return CL_SPACE;
    if (cp >= 0x80 || cp == '_' || cp == '$' || (cp >= '0' && cp <= '9') || ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z'))
        return CL_WORD;
    return CL_PUNCT;
}

size_t editor_display_col(const char *s, size_t len, size_t upto)
{
    size_t col = 0;
    for (size_t i = 0; i < upto && i < len;) {
        unsigned cp;
        size_t n = editor_utf8_next(s, len, i, &cp);
        col += (size_t)editor_cell_width(cp, col);
        i += n;
    }
    return col;
}

/* The last boundary whose display column is <= goal. */
size_t editor_col_at_display(const char *s, size_t len, size_t goal)
{
    size_t col = 0, i = 0;
    while (i < len) {
        unsigned cp;
        size_t n = editor_utf8_next(s, len, i, &cp);
        size_t w = (size_t)editor_cell_width(cp, col);
        if (col + w > goal)
            break;
        col += w;
        i += n;
    }
    return i;
}

/* The last boundary <= want. */
static size_t snap_boundary(const char *s, size_t len, size_t want)
{
    size_t i = 0;
    while (i < len) {
        unsigned cp;
        size_t n = editor_utf8_next(s, len, i, &cp);
        if (i + n > want)
            break;
        i += n;
    }
    return i;
}

/* --- lines ------------------------------------------------------------------------ */

static size_t nlines(const editor *ed)
{
    return ed->cap - (ed->gap_end - ed->gap);
}

static struct line *LN(const editor *ed, size_t i)
{
    return &ed->ln[i < ed->gap ? i : i + (ed->gap_end - ed->gap)];
}

static const char *ltext(const struct line *l)
{
    return l->s ? l->s : "";
}

static int pos_cmp(pos a, pos b)
{
    if (a.line != b.line)
        return a.line < b.line ? -1 : 1;
    return a.col < b.col ? -1 : a.col > b.col;
}

static int pos_eq(pos a, pos b)
{
    return pos_cmp(a, b) == 0;
}

/* Room for `need` bytes plus the NUL. */
static int line_reserve(struct line *l, size_t need)
{
    if (l->s && l->cap > need)
        return 0;
    if (need >= SIZE_MAX / 2)
        return -1;
    size_t nc = l->cap ? l->cap : 16;
    while (nc <= need)
        nc *= 2;
    char *p = realloc(l->s, nc);
    if (!p)
        return -1;
    if (!l->s)
        p[0] = '\0';
    l->s = p;
    l->cap = nc;
    return 0;
}

static int line_set(struct line *l, const char *a, size_t alen, const char *b, size_t blen)
{
    if (line_reserve(l, alen + blen) != 0)
        return -1;
    memcpy(l->s, a, alen);
    memcpy(l->s + alen, b, blen);
    l->len = alen + blen;
    l->s[l->len] = '\0';
    return 0;
}

static void gap_move(editor *ed, size_t at)
{
    size_t gl = ed->gap_end - ed->gap;
    if (at < ed->gap)
        memmove(ed->ln + at + gl, ed->ln + at, (ed->gap - at) * sizeof *ed->ln);
    else if (at > ed->gap)
        memmove(ed->ln + ed->gap, ed->ln + ed->gap_end, (at - ed->gap) * sizeof *ed->ln);
    ed->gap = at;
    ed->gap_end = at + gl;
}

/* Makes the gap hold at least n lines. */
static int gap_reserve(editor *ed, size_t n)
{
    if (ed->gap_end - ed->gap >= n)
        return 0;
    size_t ncap = ed->cap * 2 + n + 16;
    if (ncap < ed->cap || ncap > SIZE_MAX / sizeof *ed->ln)
        return -1;
    struct line *p = realloc(ed->ln, ncap * sizeof *p);
    if (!p)
        return -1;
    size_t tail = ed->cap - ed->gap_end;
    memmove(p + ncap - tail, p + ed->gap_end, tail * sizeof *p);
    ed->ln = p;
    ed->gap_end = ncap - tail;
    ed->cap = ncap;
    return 0;
}

static void invalidate_from(editor *ed, size_t line)
{
    if (ed->syn_ok > line + 1)
        ed->syn_ok = line + 1;
}

/* Inserts text at `at`, setting *end to the position after it. No history. */
static int raw_insert(editor *ed, pos at, const char *text, size_t len, pos *end)
{
    size_t breaks = 0, first = len, lastseg = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n') {
            if (!breaks)
                first = i;
            breaks++;
            lastseg = i + 1;
        }
    }
    struct line *cur = LN(ed, at.line);
    if (!breaks) {
        if (line_reserve(cur, cur->len + len) != 0)
            return -1;
        memmove(cur->s + at.col + len, cur->s + at.col, cur->len - at.col + 1);
        memcpy(cur->s + at.col, text, len);
        cur->len += len;
        *end = (pos){at.line, at.col + len};
    } else {
        /* Build the new lines first (the last takes the old line's tail), so a
         * failed allocation leaves the text as it was. */
        struct line *fresh = calloc(breaks, sizeof *fresh);
        if (!fresh)
            return -1;
        int ok = 1;
        size_t seg = first + 1;
        for (size_t k = 0; k < breaks && ok; k++) {
            const char *nl = k + 1 < breaks ? memchr(text + seg, '\n', len - seg) : NULL;
            size_t slen = nl ? (size_t)(nl - (text + seg)) : len - seg;
            if (k + 1 < breaks)
                ok = line_set(&fresh[k], text + seg, slen, "", 0) == 0;
            else
                ok = line_set(&fresh[k], text + seg, slen, ltext(cur) + at.col, cur->len - at.col) == 0;
            seg += slen + 1;
        }
        ok = ok && line_reserve(cur, at.col + first) == 0 && gap_reserve(ed, breaks) == 0;
        if (!ok) {
            for (size_t k = 0; k < breaks; k++)
                free(fresh[k].s);
            free(fresh);
            return -1;
        }
        cur = LN(ed, at.line);   /* gap_reserve may have moved the array */
        memcpy(cur->s + at.col, text, first);
        cur->len = at.col + first;
        cur->s[cur->len] = '\0';
        gap_move(ed, at.line + 1);
        memcpy(ed->ln + ed->gap, fresh, breaks * sizeof *fresh);
        ed->gap += breaks;
        free(fresh);
        *end = (pos){at.line + breaks, len - lastseg};
        if (ed->error_line > (long)at.line || (ed->error_line == (long)at.line && at.col == 0))
            ed->error_line += (long)breaks;
    }
    invalidate_from(ed, at.line);
    return 0;
}

/* The text in [a, b) (malloc'd, NUL-terminated). */
static char *extract(const editor *ed, pos a, pos b, size_t *outlen)
{
    size_t n = 0;
    for (size_t l = a.line; l <= b.line; l++) {
        size_t from = l == a.line ? a.col : 0, to = l == b.line ? b.col : LN(ed, l)->len;
        n += to - from + (l < b.line);
    }
    char *out = malloc(n + 1), *p = out;
    if (!out)
        return NULL;
    for (size_t l = a.line; l <= b.line; l++) {
        const struct line *ln = LN(ed, l);
        size_t from = l == a.line ? a.col : 0, to = l == b.line ? b.col : ln->len;
        memcpy(p, ltext(ln) + from, to - from);
        p += to - from;
        if (l < b.line)
            *p++ = '\n';
    }
    *p = '\0';
    if (outlen)
        *outlen = n;
    return out;
}

/* Deletes [a, b) (a < b). No history. */
static int raw_delete(editor *ed, pos a, pos b)
{
    struct line *first = LN(ed, a.line);
    if (a.line == b.line) {
        memmove(first->s + a.col, first->s + b.col, first->len - b.col + 1);
        first->len -= b.col - a.col;
    } else {
        const struct line *last = LN(ed, b.line);
        size_t tail = last->len - b.col;
        if (line_reserve(first, a.col + tail) != 0)
            return -1;
        memcpy(first->s + a.col, ltext(last) + b.col, tail);
        first->len = a.col + tail;
        first->s[first->len] = '\0';
        size_t k = b.line - a.line;
        gap_move(ed, a.line + 1);
        for (size_t i = 0; i < k; i++)
            free(ed->ln[ed->gap_end + i].s);
        ed->gap_end += k;
        if (ed->error_line > (long)b.line)
            ed->error_line -= (long)k;
        else if (ed->error_line > (long)a.line)
            ed->error_line = (long)a.line;
    }
    invalidate_from(ed, a.line);
    return 0;
}

/* --- lifetime and whole text -------------------------------------------------------- */

editor *editor_new(void)
{
    editor *ed = calloc(1, sizeof *ed);
    if (!ed)
        return NULL;
    if (editor_set_text(ed, "", 0) != 0) {
        free(ed);
        return NULL;
    }
    return ed;
}

static void free_lines(struct line *ln, size_t cap, size_t gap, size_t gap_end)
{
    for (size_t i = 0; i < cap; i++)
        if (i < gap || i >= gap_end)
            free(ln[i].s);
    free(ln);
}

static void hist_drop(editor *ed, size_t from)
{
    for (size_t i = from; i < ed->nrec; i++)
        free(ed->hist[i].text);
    ed->nrec = from;
    if (ed->nhist > from)
        ed->nhist = from;
}

void editor_free(editor *ed)
{
    if (!ed)
        return;
    free_lines(ed->ln, ed->cap, ed->gap, ed->gap_end);
    hist_drop(ed, 0);
    free(ed->hist);
    free(ed);
}

int editor_set_text(editor *ed, const char *text, size_t len)
{
    size_t n = 1;
    for (size_t i = 0; i < len; i++)
        n += text[i] == '\n';
    size_t cap = n + 64;
    struct line *ln = calloc(cap, sizeof *ln);
    if (!ln)
        return -1;
    size_t start = 0, k = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && text[i] != '\n')
            continue;
        if (i > start && line_set(&ln[k], text + start, i - start, "", 0) != 0) {
            free_lines(ln, cap, n, cap);
            return -1;
        }
        k++;
        start = i + 1;
    }
    if (ed->ln)
        free_lines(ed->ln, ed->cap, ed->gap, ed->gap_end);
    ed->ln = ln;
    ed->cap = cap;
    ed->gap = n;
    ed->gap_end = cap;
    hist_drop(ed, 0);
    ed->cur = ed->anchor = (pos){0, 0};
    ed->sel = 0;
    ed->goal = 0;
    ed->last = ACT_NONE;
    ed->clean = 0;
    ed->error_line = -1;
    ed->syn_ok = 1;
    ed->top = ed->left = 0;
    ed->follow = 1;
    return 0;
}

char *editor_text(const editor *ed, size_t *len)
{
    size_t last = nlines(ed) - 1;
    return extract(ed, (pos){0, 0}, (pos){last, LN(ed, last)->len}, len);
}

int editor_dirty(const editor *ed)
{
    return ed->clean != ed->nhist;
}

void editor_mark_clean(editor *ed)
{
    ed->clean = ed->nhist;
    ed->last = ACT_NONE;   /* the next keystroke must not merge into a clean record */
}

size_t editor_line_count(const editor *ed)
{
    return nlines(ed);
}

const char *editor_line(const editor *ed, size_t line, size_t *len)
{
    if (line >= nlines(ed)) {
        if (len)
            *len = 0;
        return "";
    }
    const struct line *l = LN(ed, line);
    if (len)
        *len = l->len;
    return ltext(l);
}

/* --- cursor and selection ------------------------------------------------------------ */

void editor_cursor(const editor *ed, size_t *line, size_t *col)
{
    if (line)
        *line = ed->cur.line;
    if (col)
        *col = ed->cur.col;
}

static void update_goal(editor *ed)
{
    const struct line *l = LN(ed, ed->cur.line);
    ed->goal = editor_display_col(ltext(l), l->len, ed->cur.col);
}

/* The cursor moved: the view follows it and typing starts a new undo group. */
static void cursor_moved(editor *ed, int keep_goal)
{
    if (!keep_goal)
        update_goal(ed);
    ed->follow = 1;
    ed->last = ACT_NONE;
}

static int sel_range(const editor *ed, pos *a, pos *b)
{
    if (!ed->sel || pos_eq(ed->cur, ed->anchor))
        return 0;
    int before = pos_cmp(ed->anchor, ed->cur) < 0;
    *a = before ? ed->anchor : ed->cur;
    *b = before ? ed->cur : ed->anchor;
    return 1;
}

void editor_goto(editor *ed, size_t line, size_t col)
{
    size_t n = nlines(ed);
    if (line >= n)
        line = n - 1;
    const struct line *l = LN(ed, line);
    ed->cur = (pos){line, snap_boundary(ltext(l), l->len, col)};
    ed->sel = 0;
    cursor_moved(ed, 0);
}

int editor_has_selection(const editor *ed)
{
    pos a, b;
    return sel_range(ed, &a, &b);
}

int editor_selection(const editor *ed, size_t *from_line, size_t *from_col, size_t *to_line, size_t *to_col)
{
    pos a, b;
    if (!sel_range(ed, &a, &b))
        return 0;
    *from_line = a.line;
    *from_col = a.col;
    *to_line = b.line;
    *to_col = b.col;
    return 1;
}

void editor_select_all(editor *ed)
{
    size_t last = nlines(ed) - 1;
    ed->anchor = (pos){0, 0};
    ed->cur = (pos){last, LN(ed, last)->len};
    ed->sel = 1;
    cursor_moved(ed, 0);
}

static pos step_left(const editor *ed, pos p)
{
    if (p.col > 0) {
        const struct line *l = LN(ed, p.line);
        return (pos){p.line, utf8_prev(ltext(l), l->len, p.col)};
    }
    if (p.line > 0)
        return (pos){p.line - 1, LN(ed, p.line - 1)->len};
    return p;
}

static pos step_right(const editor *ed, pos p)
{
    const struct line *l = LN(ed, p.line);
    if (p.col < l->len) {
        unsigned cp;
        return (pos){p.line, p.col + editor_utf8_next(ltext(l), l->len, p.col, &cp)};
    }
    if (p.line + 1 < nlines(ed))
        return (pos){p.line + 1, 0};
    return p;
}

/* The class of the character before / at col (CL_SPACE at the line's edges). */
static int class_before(const struct line *l, size_t col)
{
    if (col == 0)
        return CL_SPACE;
    unsigned cp;
    editor_utf8_next(ltext(l), l->len, utf8_prev(ltext(l), l->len, col), &cp);
    return char_class(cp);
}

static int class_at(const struct line *l, size_t col)
{
    if (col >= l->len)
        return CL_SPACE;
    unsigned cp;
    editor_utf8_next(ltext(l), l->len, col, &cp);
    return char_class(cp);
}

static pos word_left(const editor *ed, pos p)
{
    if (p.col == 0)
        return step_left(ed, p);
    const struct line *l = LN(ed, p.line);
    size_t c = p.col;
    while (c > 0 && class_before(l, c) == CL_SPACE)
        c = utf8_prev(ltext(l), l->len, c);
    if (c > 0) {
        int cls = class_before(l, c);
        while (c > 0 && class_before(l, c) == cls)
            c = utf8_prev(ltext(l), l->len, c);
    }
    return (pos){p.line, c};
}

static pos word_right(const editor *ed, pos p)
{
    const struct line *l = LN(ed, p.line);
    if (p.col >= l->len)
        return step_right(ed, p);
    size_t c = p.col;
    unsigned cp;
    while (c < l->len && class_at(l, c) == CL_SPACE)
        c += editor_utf8_next(ltext(l), l->len, c, &cp);
    if (c < l->len) {
        int cls = class_at(l, c);
        while (c < l->len && class_at(l, c) == cls)
            c += editor_utf8_next(ltext(l), l->len, c, &cp);
    }
    return (pos){p.line, c};
}

static size_t leading_blanks(const struct line *l)
{
    size_t i = 0;
    while (i < l->len && (l->s[i] == ' ' || l->s[i] == '\t'))
        i++;
    return i;
}

static pos on_line_at_goal(const editor *ed, size_t line)
{
    const struct line *l = LN(ed, line);
    return (pos){line, editor_col_at_display(ltext(l), l->len, ed->goal)};
}

/* The new cursor for a move; *keep_goal says whether the goal column stays. */
static pos moved(editor *ed, editor_move how, size_t page, int *keep_goal)
{
    pos p = ed->cur;
    size_t n = nlines(ed), shift;
    *keep_goal = 0;
    switch (how) {
    case MOVE_LEFT:
        return step_left(ed, p);
    case MOVE_RIGHT:
        return step_right(ed, p);
    case MOVE_WORD_LEFT:
        return word_left(ed, p);
    case MOVE_WORD_RIGHT:
        return word_right(ed, p);
    case MOVE_LINE_START: {
        size_t lead = leading_blanks(LN(ed, p.line));
        return (pos){p.line, p.col == lead ? 0 : lead};
    }
    case MOVE_LINE_END:
        return (pos){p.line, LN(ed, p.line)->len};
    case MOVE_FILE_START:
        return (pos){0, 0};
    case MOVE_FILE_END:
        return (pos){n - 1, LN(ed, n - 1)->len};
    case MOVE_UP:
        if (p.line == 0)
            return (pos){0, 0};
        *keep_goal = 1;
        return on_line_at_goal(ed, p.line - 1);
    case MOVE_DOWN:
        if (p.line + 1 >= n)
            return (pos){p.line, LN(ed, p.line)->len};
        *keep_goal = 1;
        return on_line_at_goal(ed, p.line + 1);
    case MOVE_PAGE_UP:
        if (p.line == 0)
            return (pos){0, 0};
        shift = page < p.line ? page : p.line;
        ed->top -= shift < ed->top ? shift : ed->top;
        *keep_goal = 1;
        return on_line_at_goal(ed, p.line - shift);
    case MOVE_PAGE_DOWN:
        if (p.line + 1 >= n)
            return (pos){p.line, LN(ed, p.line)->len};
        shift = page < n - 1 - p.line ? page : n - 1 - p.line;
        ed->top = ed->top + shift < n ? ed->top + shift : n - 1;
        *keep_goal = 1;
        return on_line_at_goal(ed, p.line + shift);
    }
    return p;
}

void editor_move_cursor(editor *ed, editor_move how, int select, int page_lines)
{
    pos a, b;
    size_t page = page_lines > 1 ? (size_t)page_lines : 1;
    int keep_goal;
    if (!select && sel_range(ed, &a, &b) && (how == MOVE_LEFT || how == MOVE_RIGHT)) {
        ed->cur = how == MOVE_LEFT ? a : b;
        ed->sel = 0;
        cursor_moved(ed, 0);
        return;
    }
    if (select && !ed->sel) {
        ed->sel = 1;
        ed->anchor = ed->cur;
    } else if (!select) {
        ed->sel = 0;
    }
    ed->cur = moved(ed, how, page, &keep_goal);
    cursor_moved(ed, keep_goal);
}

/* --- history ------------------------------------------------------------------------- */

static void begin_step(editor *ed)
{
    ed->group++;
    ed->step_cur = ed->cur;
    ed->step_anchor = ed->anchor;
    ed->step_sel = ed->sel;
}

/* Records where the step's cursor ended, for redo. */
static void end_step(editor *ed)
{
    if (ed->nhist > 0 && ed->hist[ed->nhist - 1].group == ed->group)
        ed->hist[ed->nhist - 1].cur_after = ed->cur;
    ed->follow = 1;
    update_goal(ed);
}

/* A new record in the current step, dropping what could be redone. */
static record *hist_push(editor *ed, int kind)
{
    hist_drop(ed, ed->nhist);
    if (ed->clean != NEVER && ed->clean > ed->nhist)
        ed->clean = NEVER;
    if (ed->nrec == ed->hcap) {
        size_t nc = ed->hcap ? ed->hcap * 2 : 64;
        record *p = realloc(ed->hist, nc * sizeof *p);
        if (!p)
            return NULL;
        ed->hist = p;
        ed->hcap = nc;
    }
    record *r = &ed->hist[ed->nrec];
    memset(r, 0, sizeof *r);
    r->kind = kind;
    r->group = ed->group;
    r->cur_before = ed->step_cur;
    r->anchor_before = ed->step_anchor;
    r->sel_before = ed->step_sel;
    return r;
}

static void hist_commit(editor *ed)
{
    ed->nrec++;
    ed->nhist = ed->nrec;
}

/* Inserts with history; the cursor goes to the end of the text. */
static int do_insert(editor *ed, pos at, const char *text, size_t len)
{
    record *r = hist_push(ed, REC_INSERT);
    if (!r)
        return -1;
    r->text = malloc(len + 1);
    if (!r->text)
        return -1;
    memcpy(r->text, text, len);
    r->text[len] = '\0';
    r->len = len;
    r->cap = len + 1;
    r->at = at;
    if (raw_insert(ed, at, text, len, &r->end) != 0) {
        free(r->text);
        return -1;
    }
    hist_commit(ed);
    ed->cur = r->end;
    ed->sel = 0;
    return 0;
}

/* Deletes [a, b) with history; the cursor goes to a. */
static int do_delete(editor *ed, pos a, pos b)
{
    if (!pos_cmp(a, b))
        return 0;
    record *r = hist_push(ed, REC_DELETE);
    if (!r)
        return -1;
    r->text = extract(ed, a, b, &r->len);
    if (!r->text)
        return -1;
    r->cap = r->len + 1;
    r->at = a;
    r->end = b;
    if (raw_delete(ed, a, b) != 0) {
        free(r->text);
        return -1;
    }
    hist_commit(ed);
    ed->cur = a;
    ed->sel = 0;
    return 0;
}

/* Appends (or prepends) to a record's text. */
static int record_grow(record *r, const char *text, size_t len, int prepend)
{
    if (r->len + len + 1 > r->cap) {
        size_t nc = (r->len + len + 1) * 2;
        char *p = realloc(r->text, nc);
        if (!p)
            return -1;
        r->text = p;
        r->cap = nc;
    }
    if (prepend) {
        memmove(r->text + len, r->text, r->len + 1);
        memcpy(r->text, text, len);
    } else {
        memcpy(r->text + r->len, text, len + 1);
    }
    r->len += len;
    r->text[r->len] = '\0';
    return 0;
}

/* The last applied record when the next single-character edit of kind `act`
 * may merge into it: same kind of action, cursor untouched since. */
static record *mergeable(editor *ed, enum last_action act)
{
    if (ed->last != act || ed->nhist == 0 || ed->nhist != ed->nrec || ed->sel)
        return NULL;
    record *r = &ed->hist[ed->nhist - 1];
    if (r->group != ed->group)
        return NULL;
    if (act == ACT_TYPE)
        return r->kind == REC_INSERT && pos_eq(r->end, ed->cur) && r->at.line == r->end.line ? r : NULL;
    if (r->kind != REC_DELETE || r->at.line != r->end.line)
        return NULL;
    return pos_eq(r->at, ed->cur) ? r : NULL;
}

static void apply_record(editor *ed, const record *r, int undo)
{
    pos end;
    int insert = (r->kind == REC_INSERT) != undo;
    if (insert) {
        if (raw_insert(ed, r->at, r->text, r->len, &end) != 0)
            return;   /* out of memory: the step is left partly applied */
    } else if (raw_delete(ed, r->at, r->end) != 0) {
        return;
    }
}

int editor_undo(editor *ed)
{
    if (ed->nhist == 0)
        return 0;
    unsigned long g = ed->hist[ed->nhist - 1].group;
    const record *r = NULL;
    while (ed->nhist > 0 && ed->hist[ed->nhist - 1].group == g) {
        r = &ed->hist[--ed->nhist];
        apply_record(ed, r, 1);
    }
    ed->cur = r->cur_before;
    ed->anchor = r->anchor_before;
    ed->sel = r->sel_before;
    begin_step(ed);   /* later edits never join the undone group */
    cursor_moved(ed, 0);
    return 1;
}

int editor_redo(editor *ed)
{
    if (ed->nhist == ed->nrec)
        return 0;
    unsigned long g = ed->hist[ed->nhist].group;
    const record *r = NULL;
    while (ed->nhist < ed->nrec && ed->hist[ed->nhist].group == g) {
        r = &ed->hist[ed->nhist++];
        apply_record(ed, r, 0);
    }
    ed->cur = r->cur_after;
    ed->sel = 0;
    begin_step(ed);
    cursor_moved(ed, 0);
    return 1;
}

/* --- editing --------------------------------------------------------------------------- */

static int delete_selection(editor *ed)
{
    pos a, b;
    if (!sel_range(ed, &a, &b)) {
        ed->sel = 0;
        return 0;
    }
    return do_delete(ed, a, b);
}

static int is_blank(const struct line *l)
{
    return leading_blanks(l) == l->len;
}

/* Typing a closer on a blank indented line: take one indent level off first. */
static void dedent_for_closer(editor *ed)
{
    const struct line *l = LN(ed, ed->cur.line);
    if (l->len == 0 || !is_blank(l) || ed->cur.col != l->len)
        return;
    size_t take = 1;
    while (l->s[l->len - 1] == ' ' && take < EDITOR_INDENT && take < l->len && l->s[l->len - 1 - take] == ' ')
        take++;
    do_delete(ed, (pos){ed->cur.line, l->len - take}, ed->cur);
}

/* One typed character: merges into the previous typed run unless a new word
 * or punctuation run starts (spaces join the run before them). */
static void type_char(editor *ed, const char *s, size_t len, unsigned cp)
{
    record *r = mergeable(ed, ACT_TYPE);
    if (r && r->len > 0) {
        unsigned prev;
        editor_utf8_next(r->text, r->len, utf8_prev(r->text, r->len, r->len), &prev);
        int now = char_class(cp), before = char_class(prev);
        if (now != before && now != CL_SPACE)
            r = NULL;
    }
    if (r) {
        pos end;
        if (record_grow(r, s, len, 0) != 0)
            return;
        if (raw_insert(ed, ed->cur, s, len, &end) != 0) {
            r->len -= len;
            r->text[r->len] = '\0';
            return;
        }
        r->end = end;
        ed->cur = end;
    } else {
        begin_step(ed);
        delete_selection(ed);
        if (cp == '}' || cp == ']' || cp == ')')
            dedent_for_closer(ed);
        if (do_insert(ed, ed->cur, s, len) != 0)
            return;
    }
    ed->last = ACT_TYPE;
    end_step(ed);
}

void editor_insert(editor *ed, const char *utf8, size_t len)
{
    unsigned cp;
    if (len == 0)
        return;
    if (editor_utf8_next(utf8, len, 0, &cp) == len && cp != '\n' && cp != '\r') {
        type_char(ed, utf8, len, cp);
        return;
    }
    char *norm = NULL;
    if (memchr(utf8, '\r', len)) {
        norm = malloc(len);
        if (!norm)
            return;
        size_t n = 0;
        for (size_t i = 0; i < len; i++) {
            if (utf8[i] != '\r')
                norm[n++] = utf8[i];
            else if (i + 1 >= len || utf8[i + 1] != '\n')
                norm[n++] = '\n';
        }
        utf8 = norm;
        len = n;
    }
    begin_step(ed);
    if (delete_selection(ed) == 0)
        do_insert(ed, ed->cur, utf8, len);
    free(norm);
    ed->last = ACT_NONE;
    end_step(ed);
}

static int is_opener(char c)
{
    return c == '{' || c == '[' || c == '(';
}

static char closer_of(char c)
{
    return c == '{' ? '}' : c == '[' ? ']' : ')';
}

void editor_newline(editor *ed)
{
    begin_step(ed);
    if (delete_selection(ed) != 0)
        return;
    const struct line *l = LN(ed, ed->cur.line);
    size_t c = ed->cur.col, lead = leading_blanks(l), ilen = lead < c ? lead : c;
    size_t before = c, after = c;
    while (before > 0 && (l->s[before - 1] == ' ' || l->s[before - 1] == '\t'))
        before--;
    while (after < l->len && (l->s[after] == ' ' || l->s[after] == '\t'))
        after++;
    char open = before > 0 && is_opener(l->s[before - 1]) ? l->s[before - 1] : 0;
    int split_closer = open && after < l->len && l->s[after] == closer_of(open);

    /* "\n" + indent (+ one level) (+ "\n" + indent before the closer) */
    size_t tlen = 1 + ilen + (open ? EDITOR_INDENT : 0) + (split_closer ? 1 + ilen : 0);
    char *t = malloc(tlen);
    if (!t)
        return;
    size_t k = 0;
    t[k++] = '\n';
    memcpy(t + k, l->s, ilen);
    k += ilen;
    for (int i = 0; open && i < EDITOR_INDENT; i++)
        t[k++] = ' ';
    size_t cursor_col = k - 1;
    if (split_closer) {
        t[k++] = '\n';
        memcpy(t + k, l->s, ilen);
        k += ilen;
    }

    pos at = ed->cur;
    if (after > c)
        do_delete(ed, at, (pos){at.line, after});
    if (c > 0 && c <= lead) {   /* only indentation would be left behind */
        do_delete(ed, (pos){at.line, 0}, at);
        at.col = 0;
    }
    if (do_insert(ed, at, t, tlen) == 0)
        ed->cur = (pos){at.line + 1, cursor_col};
    free(t);
    ed->last = ACT_NONE;
    end_step(ed);
}

/* Deletes [a, b) as one character of a backspace/delete run. */
static void delete_run(editor *ed, pos a, pos b, enum last_action act)
{
    record *r = mergeable(ed, act);
    if (r && a.line == b.line) {
        size_t n;
        char *t = extract(ed, a, b, &n);
        if (!t)
            return;
        if (record_grow(r, t, n, act == ACT_BACKSPACE) == 0 && raw_delete(ed, a, b) == 0) {
            if (act == ACT_BACKSPACE)
                r->at = a;
            else
                r->end.col += n;
            ed->cur = a;
        }
        free(t);
    } else {
        begin_step(ed);
        if (do_delete(ed, a, b) != 0)
            return;
    }
    /* Joining lines is a step of its own. */
    ed->last = a.line == b.line ? act : ACT_NONE;
    end_step(ed);
}

void editor_backspace(editor *ed)
{
    if (editor_has_selection(ed)) {
        begin_step(ed);
        delete_selection(ed);
        ed->last = ACT_NONE;
        end_step(ed);
        return;
    }
    ed->sel = 0;
    pos p = ed->cur;
    if (p.col == 0 && p.line == 0)
        return;
    const struct line *l = LN(ed, p.line);
    pos a = step_left(ed, p);
    if (p.col > 0 && p.col <= leading_blanks(l)) {
        /* in indentation made of spaces: back to the previous indent stop */
        size_t spaces = 0;
        while (spaces < p.col && l->s[p.col - 1 - spaces] == ' ')
            spaces++;
        if (spaces == p.col) {
            size_t stop = (p.col - 1) / EDITOR_INDENT * EDITOR_INDENT;
            a = (pos){p.line, stop};
        }
    }
    if (a.line != p.line)
        ed->last = ACT_NONE;
    delete_run(ed, a, p, ACT_BACKSPACE);
}

void editor_delete(editor *ed)
{
    if (editor_has_selection(ed)) {
        editor_backspace(ed);
        return;
    }
    ed->sel = 0;
    pos b = step_right(ed, ed->cur);
    if (pos_eq(b, ed->cur))
        return;
    if (b.line != ed->cur.line)
        ed->last = ACT_NONE;
    delete_run(ed, ed->cur, b, ACT_DELETE);
}

char *editor_copy(const editor *ed)
{
    pos a, b;
    if (!sel_range(ed, &a, &b))
        return NULL;
    return extract(ed, a, b, NULL);
}

char *editor_cut(editor *ed)
{
    char *t = editor_copy(ed);
    if (!t)
        return NULL;
    begin_step(ed);
    if (delete_selection(ed) != 0) {
        free(t);
        return NULL;
    }
    ed->last = ACT_NONE;
    end_step(ed);
    return t;
}

/* --- search and error mark -------------------------------------------------------------- */

static int find_in_line(const editor *ed, size_t line, size_t from, const char *needle, size_t nlen, size_t *at)
{
    const struct line *l = LN(ed, line);
    if (from > l->len || l->len - from < nlen)
        return 0;
    const char *hit = memmem(ltext(l) + from, l->len - from, needle, nlen);
    if (!hit)
        return 0;
    *at = (size_t)(hit - ltext(l));
    return 1;
}

int editor_find(editor *ed, const char *needle, int from_next)
{
    size_t nlen = needle ? strlen(needle) : 0;
    if (nlen == 0 || memchr(needle, '\n', nlen))
        return 0;
    pos a, b, start = ed->cur;
    if (sel_range(ed, &a, &b))
        start = from_next ? b : a;
    size_t n = nlines(ed), at = 0, line = start.line;
    int found = find_in_line(ed, line, start.col, needle, nlen, &at);
    for (size_t k = 1; !found && k <= n; k++) {
        line = (start.line + k) % n;
        found = find_in_line(ed, line, 0, needle, nlen, &at);
    }
    if (!found)
        return 0;
    ed->anchor = (pos){line, at};
    ed->cur = (pos){line, at + nlen};
    ed->sel = 1;
    cursor_moved(ed, 0);
    return 1;
}

void editor_mark_error(editor *ed, long line)
{
    ed->error_line = line >= 0 && (size_t)line < nlines(ed) ? line : -1;
}

long editor_error_line(const editor *ed)
{
    return ed->error_line;
}

/* --- view support ------------------------------------------------------------------------ */

void editor_viewport(editor *ed, int rows, int cols, size_t *top, size_t *left)
{
    size_t r = rows > 1 ? (size_t)rows : 1, c = cols > 1 ? (size_t)cols : 1, n = nlines(ed);
    if (ed->top >= n)
        ed->top = n - 1;
    if (ed->follow) {
        size_t line = ed->cur.line;
        if (line < ed->top)
            ed->top = ed->top - line > r ? (line > r / 2 ? line - r / 2 : 0) : line;
        else if (line >= ed->top + r)
            ed->top = line - ed->top >= 2 * r ? line - r / 2 : line - r + 1;
        const struct line *l = LN(ed, line);
        size_t col = editor_display_col(ltext(l), l->len, ed->cur.col), margin = c / 4;
        if (col < ed->left)
            ed->left = col > margin ? col - margin : 0;
        else if (col >= ed->left + c)
            ed->left = col + margin + 1 - c;
    }
    *top = ed->top;
    *left = ed->left;
}

void editor_scroll(editor *ed, long lines)
{
    size_t n = nlines(ed);
    if (ed->top >= n)
        ed->top = n - 1;
    if (lines < 0)
        ed->top -= (size_t)-lines < ed->top ? (size_t)-lines : ed->top;
    else
        ed->top = (size_t)lines < n - 1 - ed->top ? ed->top + (size_t)lines : n - 1;
    ed->follow = 0;
}

int editor_line_state(editor *ed, size_t line)
{
    size_t n = nlines(ed);
    if (line >= n)
        line = n - 1;
    while (ed->syn_ok <= line) {
        const struct line *l = LN(ed, ed->syn_ok - 1);
        LN(ed, ed->syn_ok)->state = editor_syntax_line(ltext(l), l->len, l->state, NULL);
        ed->syn_ok++;
        ed->lexed++;
    }
    return line == 0 ? 0 : LN(ed, line)->state;
}

unsigned long editor_lexed_count(const editor *ed)
{
    return ed->lexed;
}
