/*
 * ui: colour roles, glyphs and width-aware text output (see ui.h).
 *
 * Invariants: the role and glyph tables below are the only place colours and
 * symbols are chosen; ui_init runs once per curses session and decides
 * whether colour pairs are used at all (never with NO_COLOR).
 */
#include "tui/ui.h"

#include <langinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

typedef struct role_style {
    short fg, bg;         /* -1: the terminal's default */
    attr_t color_attr;    /* added to the pair when colours are on */
    attr_t mono_attr;     /* used instead when they are off */
} role_style;

static const role_style roles[UI_COUNT] = {
    [UI_NORMAL] = {-1, -1, A_NORMAL, A_NORMAL},
    [UI_TITLE] = {COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE},
    [UI_BORDER] = {-1, -1, A_DIM, A_NORMAL},
    [UI_FOCUS] = {COLOR_CYAN, -1, A_BOLD, A_BOLD},
    [UI_TAB] = {-1, -1, A_NORMAL, A_NORMAL},
    [UI_BAR_KEY] = {-1, -1, A_BOLD, A_BOLD},
    [UI_BAR_TEXT] = {COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE},
    [UI_SELECT] = {COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE},
    [UI_OK] = {COLOR_GREEN, -1, A_BOLD, A_BOLD},
    [UI_ERROR] = {COLOR_RED, -1, A_BOLD, A_BOLD},
    [UI_WARN] = {COLOR_YELLOW, -1, A_NORMAL, A_UNDERLINE},
    [UI_DIM] = {-1, -1, A_DIM, A_DIM},
    [UI_ACCENT] = {COLOR_CYAN, -1, A_NORMAL, A_BOLD},
    [UI_JSON_KEY] = {COLOR_BLUE, -1, A_BOLD, A_NORMAL},
    [UI_JSON_STRING] = {COLOR_GREEN, -1, A_NORMAL, A_NORMAL},
    [UI_JSON_NUMBER] = {COLOR_MAGENTA, -1, A_NORMAL, A_NORMAL},
    [UI_DIALOG] = {-1, -1, A_NORMAL, A_NORMAL},
    [UI_INPUT] = {-1, -1, A_UNDERLINE, A_UNDERLINE},
};

static const char *const glyphs[G_COUNT][2] = {
    /*            UTF-8           ASCII */
    [G_DOT] = {"\xe2\x97\x8f", "*"},
    [G_OK] = {"\xe2\x9c\x93", "ok"},
    [G_FAIL] = {"\xe2\x9c\x97", "x"},
    [G_ARROW] = {"\xe2\x96\xb8", ">"},
    [G_MASK] = {"\xe2\x80\xa2", "*"},
    [G_ELLIPSIS] = {"\xe2\x80\xa6", "..."},
    [G_CHECK_ON] = {"[x]", "[x]"},
    [G_CHECK_OFF] = {"[ ]", "[ ]"},
    [G_SEP] = {"\xc2\xb7", "-"},
};

static const char *const spin_utf8[] = {"\xe2\xa0\x8b", "\xe2\xa0\x99", "\xe2\xa0\xb9", "\xe2\xa0\xb8", "\xe2\xa0\xbc",
                                        "\xe2\xa0\xb4", "\xe2\xa0\xa6", "\xe2\xa0\xa7", "\xe2\xa0\x87", "\xe2\xa0\x8f"};
static const char *const spin_ascii[] = {"|", "/", "-", "\\"};

static int use_colors, use_utf8;

void ui_init(void)
{
    const char *no_color = getenv("NO_COLOR");
    use_colors = !(no_color && *no_color) && has_colors() && start_color() == OK;
    if (use_colors && use_default_colors() != OK)
        use_colors = 0;
    for (int r = 0; use_colors && r < UI_COUNT; r++) {
        if (UI_PAIR_BASE + r >= COLOR_PAIRS || init_pair((short)(UI_PAIR_BASE + r), roles[r].fg, roles[r].bg) != OK)
            use_colors = 0;
    }
    const char *cs = nl_langinfo(CODESET);
    use_utf8 = cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

int ui_colors(void)
{
    return use_colors;
}

int ui_utf8(void)
{
    return use_utf8;
}

attr_t ui_attr(ui_role role)
{
    if (!use_colors)
        return roles[role].mono_attr;
    return (attr_t)COLOR_PAIR(UI_PAIR_BASE + (int)role) | roles[role].color_attr;
}

const char *ui_glyph_text(ui_glyph g)
{
    return glyphs[g][use_utf8 ? 0 : 1];
}

const char *ui_spinner(unsigned tick)
{
    if (use_utf8)
        return spin_utf8[tick % (sizeof spin_utf8 / sizeof spin_utf8[0])];
    return spin_ascii[tick % (sizeof spin_ascii / sizeof spin_ascii[0])];
}

/* Decodes one character: its code point in *wc and its byte length. */
static size_t decode(const char *s, size_t left, wchar_t *wc)
{
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t n = use_utf8 ? mbrtowc(wc, s, left, &st) : (size_t)-1;
    if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
        unsigned char c = (unsigned char)s[0];
        *wc = c < 0x80 ? (wchar_t)c : L'?';
        return 1;
    }
    return n;
}

size_t ui_char_len(const char *s, size_t left)
{
    wchar_t wc;
    return left ? decode(s, left, &wc) : 0;
}

static int char_width(wchar_t wc)
{
    if (wc < 0x20 || wc == 0x7f)
        return 1;   /* drawn as a space */
    int w = wcwidth(wc);
    return w < 0 ? 1 : w;
}

int ui_width(const char *s, size_t len)
{
    int cols = 0;
    for (size_t i = 0; i < len;) {
        wchar_t wc;
        i += decode(s + i, len - i, &wc);
        cols += char_width(wc);
    }
    return cols;
}

size_t ui_fit(const char *s, size_t len, int cols)
{
    size_t i = 0;
    int used = 0;
    while (i < len) {
        wchar_t wc;
        size_t n = decode(s + i, len - i, &wc);
        int w = char_width(wc);
        if (used + w > cols)
            break;
        used += w;
        i += n;
    }
    return i;
}

int ui_putn(int y, int x, int cols, attr_t attr, const char *s, size_t len)
{
    if (cols <= 0 || y < 0 || y >= LINES || x >= COLS)
        return 0;
    if (x + cols > COLS)
        cols = COLS - x;
    int used = 0;
    attr_t saved_attr;
    short saved_pair;
    if (attr_get(&saved_attr, &saved_pair, NULL) == ERR)
        return 0;
    attrset(attr);
    move(y, x);
    for (size_t i = 0; i < len;) {
        wchar_t wc[2] = {0, 0};
        size_t n = decode(s + i, len - i, &wc[0]);
        int w = char_width(wc[0]);
        if (used + w > cols)
            break;
        if (wc[0] < 0x20 || wc[0] == 0x7f)
            wc[0] = L' ';
        if (w == 0 && used == 0) {
            i += n;   /* a combining mark with nothing to combine with */
            continue;
        }
        addnwstr(wc, 1);
        used += w;
        i += n;
    }
    attr_set(saved_attr, saved_pair, NULL);
    return used;
}

int ui_put(int y, int x, int cols, attr_t attr, const char *s)
{
    return ui_putn(y, x, cols, attr, s, strlen(s));
}

int ui_printf(int y, int x, int cols, attr_t attr, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return 0;
    return ui_put(y, x, cols, attr, buf);
}

int ui_wrap(int y, int x, int cols, int max_rows, attr_t attr, const char *text)
{
    int rows = 0;
    const char *p = text;
    if (cols <= 0)
        return 0;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t seg = nl ? (size_t)(nl - p) : strlen(p);
        size_t fit = ui_fit(p, seg, cols);
        if (fit < seg) {
            size_t cut = fit;
            while (cut > 0 && p[cut] != ' ')
                cut--;
            if (cut > 0)
                fit = cut;
            if (fit == 0)
                fit = ui_char_len(p, seg);
        }
        if (rows < max_rows)
            ui_putn(y + rows, x, cols, attr, p, fit);
        rows++;
        p += fit;
        if (*p == ' ' && fit < seg)
            p++;
        else if (*p == '\n')
            p++;
    }
    return rows;
}

void ui_fill(int y, int x, int cols, attr_t attr)
{
    if (y < 0 || y >= LINES || cols <= 0)
        return;
    if (x + cols > COLS)
        cols = COLS - x;
    attr_t saved_attr;
    short saved_pair;
    if (attr_get(&saved_attr, &saved_pair, NULL) == ERR)
        return;
    attrset(attr);
    mvhline(y, x, ' ', cols);
    attr_set(saved_attr, saved_pair, NULL);
}

void ui_clear(int y, int x, int h, int w, attr_t attr)
{
    for (int i = 0; i < h; i++)
        ui_fill(y + i, x, w, attr);
}

void ui_box(int y, int x, int h, int w, attr_t attr)
{
    if (h < 2 || w < 2)
        return;
    attr_t saved_attr;
    short saved_pair;
    if (attr_get(&saved_attr, &saved_pair, NULL) == ERR)
        return;
    attrset(attr);
    mvhline(y, x + 1, ACS_HLINE, w - 2);
    mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
    mvvline(y + 1, x, ACS_VLINE, h - 2);
    mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
    mvaddch(y, x, ACS_ULCORNER);
    mvaddch(y, x + w - 1, ACS_URCORNER);
    mvaddch(y + h - 1, x, ACS_LLCORNER);
    mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
    attr_set(saved_attr, saved_pair, NULL);
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void ui_clipboard(const char *text)
{
    size_t len = strlen(text);
    size_t out_len = 4 * ((len + 2) / 3);
    char *out = malloc(out_len + 16);
    if (!out)
        abort();
    size_t o = 0;
    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned)(unsigned char)text[i] << 16;
        if (i + 1 < len)
            v |= (unsigned)(unsigned char)text[i + 1] << 8;
        if (i + 2 < len)
            v |= (unsigned)(unsigned char)text[i + 2];
        out[o++] = b64[(v >> 18) & 63];
        out[o++] = b64[(v >> 12) & 63];
        out[o++] = i + 1 < len ? b64[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < len ? b64[v & 63] : '=';
    }
    /* OSC 52 ; c ; base64 BEL, written past curses straight to the terminal. */
    char head[] = "\033]52;c;";
    int ok = write(STDOUT_FILENO, head, sizeof head - 1) == (ssize_t)(sizeof head - 1) &&
             write(STDOUT_FILENO, out, o) == (ssize_t)o && write(STDOUT_FILENO, "\a", 1) == 1;
    (void)ok;   /* a terminal that ignores it is not an error */
    free(out);
}
