/*
 * field: one-line UTF-8 text input (see field.h).
 *
 * Invariants: cur and scroll stay on character boundaries; the buffer always
 * has room for the terminating NUL.
 */
#include "tui/field.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "tui/ui.h"

static void reserve(field *f, size_t more)
{
    if (f->len + more + 1 <= f->cap)
        return;
    size_t cap = f->cap ? f->cap : 32;
    while (cap < f->len + more + 1)
        cap *= 2;
    char *t = realloc(f->text, cap);
    if (!t)
        abort();
    f->text = t;
    f->cap = cap;
}

void field_init(field *f, const char *text)
{
    memset(f, 0, sizeof *f);
    field_set(f, text ? text : "");
}

void field_free(field *f)
{
    free(f->text);
    memset(f, 0, sizeof *f);
}

void field_set(field *f, const char *text)
{
    size_t n = strlen(text);
    f->len = 0;
    reserve(f, n);
    memcpy(f->text, text, n);
    f->len = n;
    f->text[n] = '\0';
    f->cur = n;
    f->scroll = 0;
}

void field_insert(field *f, const char *s, size_t len)
{
    reserve(f, len);
    memmove(f->text + f->cur + len, f->text + f->cur, f->len - f->cur + 1);
    memcpy(f->text + f->cur, s, len);
    f->len += len;
    f->cur += len;
}

static size_t prev_boundary(const field *f, size_t at)
{
    if (at == 0)
        return 0;
    at--;
    while (at > 0 && ((unsigned char)f->text[at] & 0xc0) == 0x80)
        at--;
    return at;
}

static size_t next_boundary(const field *f, size_t at)
{
    return at >= f->len ? f->len : at + ui_char_len(f->text + at, f->len - at);
}

static int is_word(char c)
{
    return (unsigned char)c >= 0x80 || c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z');
}

static size_t word_left(const field *f, size_t at)
{
    while (at > 0 && !is_word(f->text[at - 1]))
        at--;
    while (at > 0 && is_word(f->text[at - 1]))
        at--;
    return at;
}

static size_t word_right(const field *f, size_t at)
{
    while (at < f->len && !is_word(f->text[at]))
        at++;
    while (at < f->len && is_word(f->text[at]))
        at++;
    return at;
}

static void erase_range(field *f, size_t from, size_t to)
{
    memmove(f->text + from, f->text + to, f->len - to + 1);
    f->len -= to - from;
    f->cur = from;
}

/* Ctrl-Left / Ctrl-Right arrive as terminal-specific codes: recognised by name. */
static int ctrl_arrow(unsigned key, int right)
{
    const char *name = keyname((int)key);
    return name && strcmp(name, right ? "kRIT5" : "kLFT5") == 0;
}

static int edit_key(field *f, unsigned key)
{
    switch (key) {
    case KEY_BACKSPACE:
        if (f->cur == 0)
            return 1;
        erase_range(f, prev_boundary(f, f->cur), f->cur);
        return 2;
    case KEY_DC:
        if (f->cur == f->len)
            return 1;
        erase_range(f, f->cur, next_boundary(f, f->cur));
        return 2;
    case KEY_LEFT: f->cur = prev_boundary(f, f->cur); return 1;
    case KEY_RIGHT: f->cur = next_boundary(f, f->cur); return 1;
    case KEY_HOME: f->cur = 0; return 1;
    case KEY_END: f->cur = f->len; return 1;
    default:
        if (ctrl_arrow(key, 0)) {
            f->cur = word_left(f, f->cur);
            return 1;
        }
        if (ctrl_arrow(key, 1)) {
            f->cur = word_right(f, f->cur);
            return 1;
        }
        return 0;
    }
}

static int char_key(field *f, unsigned key)
{
    switch (key) {
    case 0x7f:
    case 0x08: return edit_key(f, KEY_BACKSPACE);
    case 0x01: f->cur = 0; return 1;          /* Ctrl-A */
    case 0x15: erase_range(f, 0, f->len); return 2; /* Ctrl-U */
    default: break;
    }
    if (key < 0x20 || key == 0x7f || key > 0x10ffff)
        return 0;
    char buf[8];
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t n = wcrtomb(buf, (wchar_t)key, &st);
    if (n == (size_t)-1) {
        if (key >= 0x80)
            return 0;
        buf[0] = (char)key;
        n = 1;
    }
    field_insert(f, buf, n);
    return 2;
}

int field_key(field *f, int is_key, unsigned key)
{
    return is_key ? edit_key(f, key) : char_key(f, key);
}

/* The text as shown: itself, or one mask glyph per character (malloc'd). */
static char *shown_text(const field *f, size_t *cur_shown, size_t *scroll_shown)
{
    if (!f->masked) {
        char *s = strdup(f->text);
        if (!s)
            abort();
        *cur_shown = f->cur;
        *scroll_shown = f->scroll;
        return s;
    }
    const char *g = ui_glyph_text(G_MASK);
    size_t gl = strlen(g), n = 0;
    char *s = malloc(f->len * gl + 1);
    if (!s)
        abort();
    for (size_t i = 0; i < f->len; i = next_boundary(f, i)) {
        if (i == f->cur)
            *cur_shown = n;
        if (i == f->scroll)
            *scroll_shown = n;
        memcpy(s + n, g, gl);
        n += gl;
    }
    if (f->cur == f->len)
        *cur_shown = n;
    if (f->scroll >= f->len)
        *scroll_shown = n;
    s[n] = '\0';
    return s;
}

/* Moves scroll so that the cursor is inside w columns. */
static void keep_visible(field *f, const char *shown, size_t cur, size_t *scroll, int w)
{
    if (cur < *scroll)
        *scroll = cur;
    while (ui_width(shown + *scroll, cur - *scroll) >= w && *scroll < cur)
        *scroll += ui_char_len(shown + *scroll, cur - *scroll);
    if (!f->masked)
        f->scroll = *scroll;
    else if (*scroll == 0)
        f->scroll = 0;
}

void field_draw(field *f, int y, int x, int w, attr_t attr, int focused)
{
    if (w <= 0)
        return;
    size_t cur = 0, scroll = 0;
    char *shown = shown_text(f, &cur, &scroll);
    if (focused)
        keep_visible(f, shown, cur, &scroll, w);
    else
        scroll = 0;   /* unfocused, a field shows its start */
    ui_fill(y, x, w, attr);
    ui_putn(y, x, w, attr, shown + scroll, strlen(shown + scroll));
    if (focused)
        move(y, x + ui_width(shown + scroll, cur - scroll));
    free(shown);
}
