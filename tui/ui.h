/*
 * ui: the studio's drawing vocabulary on top of ncursesw: a table of colour
 * roles (each with a monochrome fallback, used when NO_COLOR is set or the
 * terminal has no colours), glyphs with ASCII fallbacks for terminals that
 * are not UTF-8, and text output clipped to a number of terminal columns.
 *
 * Invariants: every string drawn is UTF-8 and is clipped by display width
 * (wcwidth), never by bytes, so wide characters and combining marks never
 * spill past a pane's edge; nothing here keeps state beyond ui_init's
 * choices (colours on/off, UTF-8 on/off).
 */
#ifndef SRCFN_TUI_UI_H
#define SRCFN_TUI_UI_H

#include <curses.h>
#include <stddef.h>

/* Colour roles. The pairs start at UI_PAIR_BASE, above those the editor may use. */
typedef enum ui_role {
    UI_NORMAL,
    UI_TITLE,        /* the title bar */
    UI_BORDER,       /* unfocused box */
    UI_FOCUS,        /* focused box and active tab */
    UI_TAB,          /* inactive tab label */
    UI_BAR_KEY,      /* key names in the bottom bar */
    UI_BAR_TEXT,     /* their labels */
    UI_SELECT,       /* selected list row */
    UI_OK,
    UI_ERROR,
    UI_WARN,
    UI_DIM,
    UI_ACCENT,
    UI_JSON_KEY,
    UI_JSON_STRING,
    UI_JSON_NUMBER,
    UI_DIALOG,       /* dialog body */
    UI_INPUT,        /* a text field */
    UI_COUNT
} ui_role;

#define UI_PAIR_BASE 32

typedef enum ui_glyph {
    G_DOT,          /* modified marker */
    G_OK,
    G_FAIL,
    G_ARROW,        /* selected row marker */
    G_MASK,         /* one hidden character of a secret */
    G_ELLIPSIS,
    G_CHECK_ON,
    G_CHECK_OFF,
    G_SEP,          /* separator in the title bar */
    G_COUNT
} ui_glyph;

/* Chooses colours (off when NO_COLOR is set or the terminal has none) and
 * glyphs (ASCII unless the locale is UTF-8). Call after initscr. */
void ui_init(void);
int ui_colors(void);
int ui_utf8(void);

attr_t ui_attr(ui_role role);
const char *ui_glyph_text(ui_glyph g);

/* The spinner frame for a tick counter. */
const char *ui_spinner(unsigned tick);

/* Columns the UTF-8 text takes (invalid bytes count 1 each). */
int ui_width(const char *s, size_t len);

/* Byte length of the longest prefix of s that fits in cols columns. */
size_t ui_fit(const char *s, size_t len, int cols);

/* Draws s (UTF-8, len bytes) at (y, x) in at most cols columns with attr;
 * returns the columns used. Control characters are drawn as spaces. */
int ui_putn(int y, int x, int cols, attr_t attr, const char *s, size_t len);
int ui_put(int y, int x, int cols, attr_t attr, const char *s);
int ui_printf(int y, int x, int cols, attr_t attr, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Draws text wrapped at spaces (and at '\n') into at most max_rows rows of
 * cols columns from (y, x); returns the rows it takes (all of them, drawn or
 * not: max_rows 0 only measures). */
int ui_wrap(int y, int x, int cols, int max_rows, attr_t attr, const char *text);

/* Fills cols columns at (y, x) with spaces in attr. */
void ui_fill(int y, int x, int cols, attr_t attr);

/* A box (its title, when any, is drawn by the caller into the top border). */
void ui_box(int y, int x, int h, int w, attr_t attr);

/* Clears a rectangle. */
void ui_clear(int y, int x, int h, int w, attr_t attr);

/* Writes an OSC 52 sequence putting text on the terminal's clipboard. */
void ui_clipboard(const char *text);

/* Bytes of the UTF-8 character starting at s (1 for an invalid byte). */
size_t ui_char_len(const char *s, size_t left);

#endif
