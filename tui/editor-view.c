/*
 * editor-view.c: the editor's view (see editor.h): the JavaScript lexer that
 * gives each byte a syntax class, the curses drawing of the gutter and text,
 * the colour pairs, and the mapping of keys to model operations.
 *
 * Invariants:
 *  - The lexer is a pure function of (line, state in): all it carries between
 *    lines is packed into the int state (see the ST_* layout below), so the
 *    model can cache states per line and re-lex lazily.
 *  - Drawing touches exactly rows x cols cells at (y, x) of the window, never
 *    more, and advances through the text by editor_utf8_next and
 *    editor_cell_width, so a multi-byte character is never split and a wide
 *    one is never cut in half at either edge (a space stands in for it).
 *  - Only the lines shown are lexed for their classes; their states come from
 *    the model's cache.
 */
#include "tui/editor.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* --- the lexer --------------------------------------------------------------------
 *
 * State layout (0 is the start of a file):
 *   bits 0-2   mode: code, block comment, template text, or a '…' / "…"
 *              string continued by a trailing backslash
 *   bit  3     after an operand: a '/' here divides (else it starts a regex)
 *   bits 4-5   how many ${ } substitutions are open (0..3)
 *   bits 6-23  for each open substitution, its '{' nesting depth (6 bits each)
 */
enum { M_CODE, M_COMMENT, M_TEMPLATE, M_SQUOTE, M_DQUOTE };
#define ST_DIVIDE 8
#define MAX_SUBST 3
#define MAX_BRACE 63

typedef struct lexer {
    int mode, divide, depth;
    int brace[MAX_SUBST + 1];   /* brace[1..depth] */
    const char *s;
    size_t len;
    unsigned char *cls;
} lexer;

static void lex_decode(lexer *lx, int st)
{
    lx->mode = st & 7;
    lx->divide = (st & ST_DIVIDE) != 0;
    lx->depth = (st >> 4) & 3;
    for (int k = 1; k <= MAX_SUBST; k++)
        lx->brace[k] = (st >> (6 + 6 * (k - 1))) & MAX_BRACE;
}

static int lex_encode(const lexer *lx)
{
    int st = lx->mode | (lx->divide ? ST_DIVIDE : 0) | lx->depth << 4;
    for (int k = 1; k <= lx->depth; k++)
        st |= lx->brace[k] << (6 + 6 * (k - 1));
    return st;
}

static void mark(lexer *lx, size_t from, size_t to, int cls)
{
    if (lx->cls)
        memset(lx->cls + from, cls, to - from);
}

static int is_ident_char(unsigned char c)
{
    return c >= 0x80 || c == '_' || c == '$' || c == '\\' || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static const char *const keywords[] = {
    "async", "await", "break", "case", "catch", "class", "const", "continue", "debugger", "default",
    "delete", "do", "else", "export", "extends", "false", "finally", "for", "function", "if",
    "import", "in", "instanceof", "let", "new", "null", "of", "return", "static", "super",
    "switch", "this", "throw", "true", "try", "typeof", "undefined", "var", "void", "while",
    "with", "yield", NULL,
};

/* Keywords after which an expression starts (so '/' begins a regex). */
static const char *const expr_keywords[] = {
    "await", "case", "delete", "do", "else", "extends", "in", "instanceof", "new", "of",
    "return", "throw", "typeof", "void", "yield", NULL,
};

static int in_list(const char *const *list, const char *w, size_t n)
{
    for (; *list; list++)
        if (strlen(*list) == n && memcmp(*list, w, n) == 0)
            return 1;
    return 0;
}

/* A string literal from i (the quote) or continued from a previous line
 * (i at the line start, quote given); returns the end. */
static size_t lex_string(lexer *lx, size_t i, char quote, int opening)
{
    size_t start = i, j = i + (opening ? 1 : 0);
    lx->mode = M_CODE;
    while (j < lx->len) {
        if (lx->s[j] == '\\') {
            if (j + 1 >= lx->len) {      /* continued on the next line */
                lx->mode = quote == '\'' ? M_SQUOTE : M_DQUOTE;
                j++;
                break;
            }
            j += 2;
            continue;
        }
        if (lx->s[j++] == quote)
            break;
    }
    mark(lx, start, j, SYN_STRING);
    lx->divide = 1;
    return j;
}

static size_t lex_block_comment(lexer *lx, size_t i)
{
    const char *end = lx->len - i >= 2 ? memmem(lx->s + i, lx->len - i, "*/", 2) : NULL;
    size_t j = end ? (size_t)(end - lx->s) + 2 : lx->len;
    mark(lx, i, j, SYN_COMMENT);
    lx->mode = end ? M_CODE : M_COMMENT;
    return j;
}

/* Template text from i up to the closing backtick or the next "${". */
static size_t lex_template(lexer *lx, size_t i)
{
    size_t j = i;
    while (j < lx->len) {
        char c = lx->s[j];
        if (c == '\\') {
            j += j + 1 < lx->len ? 2 : 1;
        } else if (c == '`') {
            mark(lx, i, j + 1, SYN_TEMPLATE);
            lx->mode = M_CODE;
            lx->divide = 1;
            return j + 1;
        } else if (c == '$' && j + 1 < lx->len && lx->s[j + 1] == '{' && lx->depth < MAX_SUBST) {
            mark(lx, i, j, SYN_TEMPLATE);
            mark(lx, j, j + 2, SYN_PLAIN);
            lx->depth++;
            lx->brace[lx->depth] = 0;
            lx->mode = M_CODE;
            lx->divide = 0;
            return j + 2;
        } else {
            j++;
        }
    }
    mark(lx, i, lx->len, SYN_TEMPLATE);
    return lx->len;
}

/* A regular expression from i (the '/'), or 0 when the line has no end for it. */
static size_t regex_end(const lexer *lx, size_t i)
{
    int in_class = 0;
    for (size_t j = i + 1; j < lx->len; j++) {
        char c = lx->s[j];
        if (c == '\\')
            j++;
        else if (c == '[')
            in_class = 1;
        else if (c == ']')
            in_class = 0;
        else if (c == '/' && !in_class) {
            j++;
            while (j < lx->len && ((lx->s[j] | 0x20) >= 'a' && (lx->s[j] | 0x20) <= 'z'))
                j++;
            return j;
        }
    }
    return 0;
}

static size_t lex_number(lexer *lx, size_t i)
{
    size_t j = i;
    int hex = lx->s[i] == '0' && i + 1 < lx->len && (lx->s[i + 1] | 0x20) == 'x';
    while (j < lx->len) {
        unsigned char c = (unsigned char)lx->s[j];
        if (is_digit(c) || c == '.' || c == '_' || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
            j++;
        else if ((c == '+' || c == '-') && !hex && (lx->s[j - 1] | 0x20) == 'e')
            j++;
        else
            break;
    }
    mark(lx, i, j, SYN_NUMBER);
    lx->divide = 1;
    return j;
}

static size_t lex_word(lexer *lx, size_t i, int after_dot)
{
    size_t j = i;
    while (j < lx->len && is_ident_char((unsigned char)lx->s[j]))
        j++;
    int kw = !after_dot && in_list(keywords, lx->s + i, j - i);
    mark(lx, i, j, kw ? SYN_KEYWORD : SYN_PLAIN);
    lx->divide = !(kw && in_list(expr_keywords, lx->s + i, j - i));
    return j;
}

/* One token of code at i; returns the end. *after_dot says a property name follows. */
static size_t lex_code(lexer *lx, size_t i, int *after_dot)
{
    const char *s = lx->s;
    unsigned char c = (unsigned char)s[i];
    int dot = *after_dot;
    *after_dot = 0;
    if (c == ' ' || c == '\t' || c == '\r') {
        *after_dot = dot;
        mark(lx, i, i + 1, SYN_PLAIN);
        return i + 1;
    }
    if (c == '/' && i + 1 < lx->len && s[i + 1] == '/') {
        mark(lx, i, lx->len, SYN_COMMENT);
        return lx->len;
    }
    if (c == '/' && i + 1 < lx->len && s[i + 1] == '*') {
        mark(lx, i, i + 2, SYN_COMMENT);
        lx->mode = M_COMMENT;
        return i + 2;
    }
    if (c == '/' && !lx->divide) {
        size_t j = regex_end(lx, i);
        if (j) {
            mark(lx, i, j, SYN_REGEX);
            lx->divide = 1;
            return j;
        }
    }
    if (c == '\'' || c == '"')
        return lex_string(lx, i, (char)c, 1);
    if (c == '`') {
        mark(lx, i, i + 1, SYN_TEMPLATE);
        lx->mode = M_TEMPLATE;
        return i + 1;
    }
    if (is_digit(c) || (c == '.' && i + 1 < lx->len && is_digit((unsigned char)s[i + 1])))
        return lex_number(lx, i);
    if (is_ident_char(c))
        return lex_word(lx, i, dot);

    /* punctuation */
    mark(lx, i, i + 1, SYN_PLAIN);
    lx->divide = 0;
    if (c == ')' || c == ']') {
        lx->divide = 1;
    } else if (c == '{') {
        if (lx->depth > 0 && lx->brace[lx->depth] < MAX_BRACE)
            lx->brace[lx->depth]++;
    } else if (c == '}' && lx->depth > 0) {
        if (lx->brace[lx->depth] == 0) {   /* end of a ${ } */
            lx->depth--;
            lx->mode = M_TEMPLATE;
        } else {
            lx->brace[lx->depth]--;
        }
    } else if (c == '.') {
        if (i + 2 < lx->len && s[i + 1] == '.' && s[i + 2] == '.') {
            mark(lx, i, i + 3, SYN_PLAIN);
            return i + 3;
        }
        *after_dot = 1;
    } else if (c == '?' && i + 1 < lx->len && s[i + 1] == '.' && !(i + 2 < lx->len && is_digit((unsigned char)s[i + 2]))) {
        mark(lx, i, i + 2, SYN_PLAIN);
        *after_dot = 1;
        return i + 2;
    } else if ((c == '+' || c == '-') && i + 1 < lx->len && s[i + 1] == (char)c) {
        mark(lx, i, i + 2, SYN_PLAIN);
        lx->divide = 1;               /* x++ / 2 */
        return i + 2;
    }
    return i + 1;
}

int editor_syntax_line(const char *line, size_t len, int state_in, unsigned char *classes)
{
    lexer lx = {.s = line, .len = len, .cls = classes};
    lex_decode(&lx, state_in);
    int after_dot = 0;
    size_t i = 0;
    if (lx.mode == M_SQUOTE || lx.mode == M_DQUOTE)
        i = lex_string(&lx, 0, lx.mode == M_SQUOTE ? '\'' : '"', 0);
    while (i < len) {
        if (lx.mode == M_COMMENT)
            i = lex_block_comment(&lx, i);
        else if (lx.mode == M_TEMPLATE)
            i = lex_template(&lx, i);
        else
            i = lex_code(&lx, i, &after_dot);
    }
    return lex_encode(&lx);
}

/* --- colours ----------------------------------------------------------------------- */

static int use_colors;

void editor_init_colors(int use_color)
{
    static const struct {
        short pair, fg;
    } pairs[] = {
        {EDITOR_PAIR_KEYWORD, COLOR_MAGENTA}, {EDITOR_PAIR_STRING, COLOR_GREEN},
        {EDITOR_PAIR_TEMPLATE, COLOR_YELLOW}, {EDITOR_PAIR_COMMENT, COLOR_CYAN},
        {EDITOR_PAIR_NUMBER, COLOR_BLUE},     {EDITOR_PAIR_REGEX, COLOR_RED},
        {EDITOR_PAIR_ERROR, COLOR_RED},
    };
    use_colors = 0;
    if (!use_color || !has_colors() || COLOR_PAIRS <= EDITOR_PAIR_LAST)
        return;
    if (use_default_colors() == ERR)
        return;
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        if (init_pair(pairs[i].pair, pairs[i].fg, -1) == ERR)
            return;
    use_colors = 1;
}

typedef struct style {
    attr_t attr;
    short pair;
} style;

static style class_style(int cls)
{
    static const short pair_of[] = {
        [SYN_PLAIN] = 0, [SYN_KEYWORD] = EDITOR_PAIR_KEYWORD, [SYN_STRING] = EDITOR_PAIR_STRING,
        [SYN_TEMPLATE] = EDITOR_PAIR_TEMPLATE, [SYN_COMMENT] = EDITOR_PAIR_COMMENT,
        [SYN_NUMBER] = EDITOR_PAIR_NUMBER, [SYN_REGEX] = EDITOR_PAIR_REGEX,
    };
    style st = {A_NORMAL, 0};
    if (cls == SYN_KEYWORD)
        st.attr = A_BOLD;
    if (use_colors)
        st.pair = cls >= 0 && cls <= SYN_REGEX ? pair_of[cls] : 0;
    else if (cls == SYN_COMMENT)
        st.attr = A_DIM;
    return st;
}

/* --- drawing ----------------------------------------------------------------------- */

/* One cell (or two, for a wide character). ERR is expected only at the
 * window's bottom-right corner, where curses cannot advance; the cell is
 * drawn anyway, so it is ignored. */
static void put_cell(WINDOW *w, int y, int x, const wchar_t *wc, style st)
{
    cchar_t cc;
    if (setcchar(&cc, wc, st.attr, st.pair, NULL) == ERR && setcchar(&cc, L"?", st.attr, st.pair, NULL) == ERR)
        return;
    if (mvwadd_wch(w, y, x, &cc) == ERR)
        return;
}

static void put_ascii(WINDOW *w, int y, int x, char c, style st)
{
    wchar_t wc[2] = {(wchar_t)(unsigned char)c, L'\0'};
    put_cell(w, y, x, wc, st);
}

static void fill(WINDOW *w, int y, int x, int n, style st)
{
    for (int i = 0; i < n; i++)
        put_ascii(w, y, x + i, ' ', st);
}

/* A character waiting to be drawn, so combining marks can join its cell. */
typedef struct pending {
    wchar_t wc[CCHARW_MAX + 1];
    int n, x;
    style st;
} pending;

static void flush(WINDOW *w, int y, pending *p)
{
    if (p->n == 0)
        return;
    p->wc[p->n] = L'\0';
    put_cell(w, y, p->x, p->wc, p->st);
    p->n = 0;
}

typedef struct line_view {
    WINDOW *w;
    int y, x, cols;          /* the text area of this row */
    size_t left;             /* first display column shown */
    int has_sel;
    size_t sel_from, sel_to; /* selected bytes of this line, [from, to) */
    int sel_past_end;        /* the selection continues on the next line */
    int error;
} line_view;

static void draw_text(const line_view *v, const char *s, size_t len, const unsigned char *cls)
{
    pending p = {.n = 0};
    size_t col = 0, right = v->left + (size_t)v->cols;
    for (size_t i = 0; i < len;) {
        unsigned cp;
        size_t n = editor_utf8_next(s, len, i, &cp);
        int cw = editor_cell_width(cp, col);
        style st = class_style(cls ? cls[i] : SYN_PLAIN);
        if (v->has_sel && i >= v->sel_from && i < v->sel_to)
            st.attr |= A_REVERSE;
        if (v->error) {
            st.attr |= A_UNDERLINE;
            if (use_colors && st.pair == 0)
                st.pair = EDITOR_PAIR_ERROR;
        }
        i += n;
        if (cw == 0) {                           /* a combining mark joins the cell before */
            if (p.n > 0 && p.n < CCHARW_MAX)
                p.wc[p.n++] = (wchar_t)cp;
            continue;
        }
        flush(v->w, v->y, &p);
        size_t start = col;
        if (start >= right)
            break;
        col += (size_t)cw;
        if (col <= v->left)
            continue;
        if (start < v->left || col > right) {    /* cut by an edge: blanks for the part shown */
            for (size_t c = start < v->left ? v->left : start; c < col && c < right; c++)
                put_ascii(v->w, v->y, v->x + (int)(c - v->left), ' ', st);
            continue;
        }
        int sx = v->x + (int)(start - v->left);
        if (cp == '\t') {
            fill(v->w, v->y, sx, cw, st);
        } else if (cp < 0x20 || cp == 0x7F) {
            st.attr |= A_BOLD;
            put_ascii(v->w, v->y, sx, '^', st);
            put_ascii(v->w, v->y, sx + 1, (char)(cp ^ 0x40), st);
        } else {
            p.wc[0] = wcwidth((wchar_t)cp) < 0 ? (wchar_t)0xFFFD : (wchar_t)cp;
            p.n = 1;
            p.x = sx;
            p.st = st;
        }
    }
    flush(v->w, v->y, &p);
    int used = col <= v->left ? 0 : col >= right ? v->cols : (int)(col - v->left);
    if (v->sel_past_end && col >= v->left && used < v->cols)
        put_ascii(v->w, v->y, v->x + used++, ' ', (style){A_REVERSE, 0});
    if (used < v->cols)
        fill(v->w, v->y, v->x + used, v->cols - used, (style){v->error ? A_UNDERLINE : A_NORMAL, 0});
}

static int digits(size_t n)
{
    int d = 1;
    while (n >= 10) {
        n /= 10;
        d++;
    }
    return d;
}

static void draw_gutter(WINDOW *w, int y, int x, int width, size_t line, int is_error, int is_current)
{
    style st = {A_DIM, 0};
    if (is_error)
        st = (style){A_BOLD | A_REVERSE, use_colors ? EDITOR_PAIR_ERROR : 0};
    else if (is_current)
        st = (style){A_BOLD, 0};
    char buf[32];
    int num = width - 2;
    size_t v = line + 1;
    memset(buf, ' ', sizeof buf);
    buf[0] = is_error ? '!' : ' ';
    for (int k = num; k >= 1 && v > 0; k--, v /= 10)
        buf[k] = (char)('0' + v % 10);
    for (int k = 0; k < width - 1 && k < (int)sizeof buf; k++)
        put_ascii(w, y, x + k, buf[k], st);
    put_ascii(w, y, x + width - 1, ' ', (style){A_NORMAL, 0});
}

static void line_selection(line_view *v, size_t line, size_t len, const size_t sel[4])
{
    v->has_sel = 0;
    v->sel_past_end = 0;
    if (!sel || line < sel[0] || line > sel[2])
        return;
    v->has_sel = 1;
    v->sel_from = line == sel[0] ? sel[1] : 0;
    v->sel_to = line == sel[2] ? sel[3] : len;
    v->sel_past_end = line < sel[2];
}

void editor_draw(editor *ed, void *win, int y, int x, int rows, int cols, int focused)
{
    WINDOW *w = win;
    if (!ed || !w || rows <= 0 || cols <= 0)
        return;
    size_t n = editor_line_count(ed), top, left, cl, cc;
    int gutter = (digits(n) < 3 ? 3 : digits(n)) + 2;
    if (gutter + 1 > cols)
        gutter = 0;
    int tcols = cols - gutter;
    editor_viewport(ed, rows, tcols, &top, &left);
    editor_cursor(ed, &cl, &cc);
    size_t selbuf[4];
    const size_t *sel = editor_selection(ed, &selbuf[0], &selbuf[1], &selbuf[2], &selbuf[3]) ? selbuf : NULL;
    long err = editor_error_line(ed);
    unsigned char *cls = NULL;
    size_t cls_cap = 0;

    for (int r = 0; r < rows; r++) {
        size_t line = top + (size_t)r;
        if (line >= n) {
            fill(w, y + r, x, cols, (style){A_NORMAL, 0});
            continue;
        }
        int is_err = err >= 0 && (size_t)err == line;
        if (gutter)
            draw_gutter(w, y + r, x, gutter, line, is_err, line == cl);
        size_t len;
        const char *s = editor_line(ed, line, &len);
        if (len > cls_cap) {
            unsigned char *p = realloc(cls, len);
            if (p) {
                cls = p;
                cls_cap = len;
            }
        }
        const unsigned char *classes = NULL;
        if (len <= cls_cap && len > 0) {
            editor_syntax_line(s, len, editor_line_state(ed, line), cls);
            classes = cls;
        }
        line_view v = {.w = w, .y = y + r, .x = x + gutter, .cols = tcols, .left = left, .error = is_err};
        line_selection(&v, line, len, sel);
        draw_text(&v, s, len, classes);
    }
    free(cls);

    if (focused && cl >= top && cl < top + (size_t)rows) {
        size_t len;
        const char *s = editor_line(ed, cl, &len);
        size_t col = 0;
        for (size_t i = 0; i < cc && i < len;) {
            unsigned cp;
            size_t k = editor_utf8_next(s, len, i, &cp);
            col += (size_t)editor_cell_width(cp, col);
            i += k;
        }
        if (col >= left && col - left < (size_t)tcols && wmove(w, y + (int)(cl - top), x + gutter + (int)(col - left)) == ERR)
            return;
    }
}

/* --- keys ------------------------------------------------------------------------- */

/* xterm's modified keys as curses names them: "kLFT5" is Ctrl+Left. The
 * modifier digit m encodes shift (1), alt (2) and ctrl (4) in m - 1. */
static int modified_key(editor *ed, unsigned key, int page_lines)
{
    const char *name = keyname((int)key);
    if (!name || name[0] != 'k')
        return 0;
    size_t n = strlen(name);
    if (n < 3 || name[n - 1] < '2' || name[n - 1] > '8')
        return 0;
    int m = name[n - 1] - '1';
    int shift = m & 1, alt = m & 2, ctrl = m & 4;
    char base[8];
    if (n - 2 >= sizeof base)
        return 0;
    memcpy(base, name + 1, n - 2);
    base[n - 2] = '\0';
    if (!strcmp(base, "LFT"))
        editor_move_cursor(ed, ctrl || alt ? MOVE_WORD_LEFT : MOVE_LEFT, shift, page_lines);
    else if (!strcmp(base, "RIT"))
        editor_move_cursor(ed, ctrl || alt ? MOVE_WORD_RIGHT : MOVE_RIGHT, shift, page_lines);
    else if (!strcmp(base, "UP") && ctrl && !shift)
        editor_scroll(ed, -1);
    else if (!strcmp(base, "DN") && ctrl && !shift)
        editor_scroll(ed, 1);
    else if (!strcmp(base, "UP"))
        editor_move_cursor(ed, MOVE_UP, shift, page_lines);
    else if (!strcmp(base, "DN"))
        editor_move_cursor(ed, MOVE_DOWN, shift, page_lines);
    else if (!strcmp(base, "HOM"))
        editor_move_cursor(ed, ctrl ? MOVE_FILE_START : MOVE_LINE_START, shift, page_lines);
    else if (!strcmp(base, "END"))
        editor_move_cursor(ed, ctrl ? MOVE_FILE_END : MOVE_LINE_END, shift, page_lines);
    else if (!strcmp(base, "PRV"))
        editor_move_cursor(ed, MOVE_PAGE_UP, shift, page_lines);
    else if (!strcmp(base, "NXT"))
        editor_move_cursor(ed, MOVE_PAGE_DOWN, shift, page_lines);
    else if (!strcmp(base, "DC"))
        editor_delete(ed);
    else
        return 0;
    return 1;
}

static int function_key(editor *ed, unsigned key, int page_lines)
{
    static const struct {
        int key;
        editor_move how;
        int select;
    } moves[] = {
        {KEY_LEFT, MOVE_LEFT, 0},        {KEY_RIGHT, MOVE_RIGHT, 0},      {KEY_UP, MOVE_UP, 0},
        {KEY_DOWN, MOVE_DOWN, 0},        {KEY_HOME, MOVE_LINE_START, 0},  {KEY_END, MOVE_LINE_END, 0},
        {KEY_PPAGE, MOVE_PAGE_UP, 0},    {KEY_NPAGE, MOVE_PAGE_DOWN, 0},  {KEY_SLEFT, MOVE_LEFT, 1},
        {KEY_SRIGHT, MOVE_RIGHT, 1},     {KEY_SR, MOVE_UP, 1},            {KEY_SF, MOVE_DOWN, 1},
        {KEY_SHOME, MOVE_LINE_START, 1}, {KEY_SEND, MOVE_LINE_END, 1},    {KEY_SPREVIOUS, MOVE_PAGE_UP, 1},
        {KEY_SNEXT, MOVE_PAGE_DOWN, 1},
    };
    for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++) {
        if ((unsigned)moves[i].key == key) {
            editor_move_cursor(ed, moves[i].how, moves[i].select, page_lines);
            return 1;
        }
    }
    switch (key) {
    case KEY_BACKSPACE:
        editor_backspace(ed);
        return 1;
    case KEY_DC:
        editor_delete(ed);
        return 1;
    case KEY_ENTER:
        editor_newline(ed);
        return 1;
    default:
        return modified_key(ed, key, page_lines);
    }
}

/* UTF-8 for a code point (a valid scalar value); returns the length, 0 if invalid. */
static size_t utf8_encode(unsigned cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF)
        return 0;
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    if (cp > 0x10FFFF)
        return 0;
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

#define CTRL_KEY(c) ((c) & 0x1F)

int editor_key(editor *ed, int is_key_code, unsigned key, int page_lines)
{
    if (is_key_code)
        return function_key(ed, key, page_lines);
    switch (key) {
    case 127:
    case 8:
        editor_backspace(ed);
        return 1;
    case '\n':
    case '\r':
        editor_newline(ed);
        return 1;
    case '\t':
        for (int i = 0; i < EDITOR_INDENT; i++)
            editor_insert(ed, " ", 1);
        return 1;
    case CTRL_KEY('z'):
        editor_undo(ed);
        return 1;
    case CTRL_KEY('y'):
        editor_redo(ed);
        return 1;
    default:
        break;
    }
    char buf[4];
    size_t n = key >= 32 ? utf8_encode(key, buf) : 0;
    if (n == 0)
        return 0;
    editor_insert(ed, buf, n);
    return 1;
}
