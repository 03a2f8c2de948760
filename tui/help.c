/*
 * help: the F1 screen, generated from the key table (keys.c): one section
 * per context, one line per binding, in the table's order. Nothing here
 * names a key, so the help cannot disagree with what the keys do.
 *
 * Invariant: help_scroll stays within the generated lines.
 */
#include <string.h>

#include "tui/studio.h"
#include "tui/ui.h"

static const key_ctx sections[] = {CTX_GLOBAL, CTX_EDITOR,  CTX_TEST,   CTX_SETTINGS, CTX_CAPTURES,
                                   CTX_ERRORS, CTX_OUTPUT, CTX_CATALOG, CTX_LIST,     CTX_HELP, CTX_DIALOG};
#define N_SECTIONS (sizeof sections / sizeof sections[0])

/* Lines of the help: a section heading (b NULL, ctx set) or a binding. */
typedef struct help_line {
    const keybind *b;
    key_ctx ctx;
} help_line;

static int help_lines(help_line *out, int max)
{
    int n = 0;
    for (size_t c = 0; c < N_SECTIONS; c++) {
        if (n < max)
            out[n] = (help_line){NULL, sections[c]};
        n++;
        for (unsigned i = 0; i < keys_count; i++) {
            if (keys_table[i].ctx != sections[c])
                continue;
            if (n < max)
                out[n] = (help_line){&keys_table[i], sections[c]};
            n++;
        }
        if (n < max)
            out[n] = (help_line){NULL, CTX_COUNT};   /* blank */
        n++;
    }
    return n;
}

#define MAX_LINES 512
#define KEY_COL 18

/* Rows a line takes at text width w (a binding's help wraps). */
static int line_rows(const help_line *l, int w)
{
    if (!l->b)
        return 1;
    const char *t = l->b->help;
    size_t len = strlen(t);
    int rows = 0;
    for (size_t i = 0; i < len || rows == 0; rows++) {
        size_t fit = ui_fit(t + i, len - i, w);
        if (fit == 0 && i < len)
            fit = ui_char_len(t + i, len - i);
        if (fit < len - i) {   /* break at a space */
            size_t cut = fit;
            while (cut > 0 && t[i + cut] != ' ')
                cut--;
            if (cut > 0)
                fit = cut + 1;
        }
        i += fit;
    }
    return rows;
}

static void draw_line(const help_line *l, int y, int skip, int rows_left, int w)
{
    if (!l->b) {
        if (l->ctx < CTX_COUNT && skip == 0)
            ui_put(y, 2, w, ui_attr(UI_ACCENT) | A_BOLD, keys_ctx_title(l->ctx));
        return;
    }
    int tw = w - KEY_COL;
    const char *t = l->b->help;
    size_t len = strlen(t), i = 0;
    for (int r = 0; (i < len || r == 0) && r - skip < rows_left; r++) {
        size_t fit = ui_fit(t + i, len - i, tw);
        if (fit == 0 && i < len)
            fit = ui_char_len(t + i, len - i);
        size_t shown = fit;
        if (fit < len - i) {
            size_t cut = fit;
            while (cut > 0 && t[i + cut] != ' ')
                cut--;
            if (cut > 0) {
                shown = cut;
                fit = cut + 1;
            }
        }
        if (r >= skip) {
            if (r == 0)
                ui_put(y + r - skip, 4, KEY_COL - 3, ui_attr(UI_BAR_KEY), l->b->label);
            ui_putn(y + r - skip, 2 + KEY_COL, tw, ui_attr(UI_NORMAL), t + i, shown);
        }
        i += fit;
    }
}

void help_draw(studio *s)
{
    static help_line lines[MAX_LINES];
    int n = help_lines(lines, MAX_LINES);
    if (n > MAX_LINES)
        n = MAX_LINES;
    int y0 = 1, h = LINES - 3, w = COLS;
    ui_clear(y0, 0, h, w, ui_attr(UI_NORMAL));
    ui_box(y0, 0, h, w, ui_attr(UI_FOCUS));
    ui_put(y0, 2, w - 4, ui_attr(UI_SELECT), " Help: every key of the studio (Esc closes) ");
    int rows = h - 2, text_w = w - 4, total = 0;
    for (int i = 0; i < n; i++)
        total += line_rows(&lines[i], text_w - KEY_COL);
    if (s->help_scroll > total - rows)
        s->help_scroll = total - rows;
    if (s->help_scroll < 0)
        s->help_scroll = 0;
    int row = 0;
    for (int i = 0; i < n && row < s->help_scroll + rows; i++) {
        int lr = line_rows(&lines[i], text_w - KEY_COL);
        if (row + lr > s->help_scroll) {
            int skip = s->help_scroll > row ? s->help_scroll - row : 0;
            int y = y0 + 1 + row + skip - s->help_scroll;
            draw_line(&lines[i], y, skip, rows - (y - y0 - 1), text_w);
        }
        row += lr;
    }
    curs_set(0);
}

int help_key(studio *s, action act)
{
    int page = LINES - 6;
    switch (act) {
    case A_DLG_CANCEL: s->help_open = 0; return 1;
    case A_UP: s->help_scroll--; return 1;
    case A_DOWN: s->help_scroll++; return 1;
    case A_PAGE_UP: s->help_scroll -= page; return 1;
    case A_PAGE_DOWN: s->help_scroll += page; return 1;
    case A_HOME: s->help_scroll = 0; return 1;
    case A_END: s->help_scroll = MAX_LINES; return 1;
    default: return 0;
    }
}
