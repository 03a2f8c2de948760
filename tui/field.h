/*
 * field: a one-line text input (UTF-8) for the studio's forms, dialogs and
 * the test pane's URL: insert, delete, move by character and word, Home/End,
 * Ctrl-U clears; a masked field shows one dot per character (for secrets).
 *
 * Invariants: text is always NUL-terminated valid as given (bytes typed are
 * kept as they come); cur is a byte offset on a character boundary, 0..len;
 * scroll is the first byte shown, also on a boundary, and keeps cur visible.
 */
#ifndef SRCFN_TUI_FIELD_H
#define SRCFN_TUI_FIELD_H

#include <curses.h>
#include <stddef.h>

typedef struct field {
    char *text;
    size_t len, cap;
    size_t cur;
    size_t scroll;
    int masked;
} field;

void field_init(field *f, const char *text);
void field_free(field *f);
void field_set(field *f, const char *text);

/* Handles a key (is_key: a KEY_* code). Returns 0 not handled, 1 moved,
 * 2 the text changed. */
int field_key(field *f, int is_key, unsigned key);

/* Draws the field at (y, x) in w columns; focused places the cursor there. */
void field_draw(field *f, int y, int x, int w, attr_t attr, int focused);

/* Inserts text at the cursor (pasting, or a whole typed character). */
void field_insert(field *f, const char *s, size_t len);

#endif
