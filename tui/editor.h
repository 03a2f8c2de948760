/*
 * editor: the studio's text editor for handler.js, as a model plus a view.
 *
 * The model (text as an array of UTF-8 lines, cursor, selection, undo/redo
 * history, search) knows nothing of curses and is unit-tested on its own; the
 * view draws a window of it with line numbers and JavaScript syntax colours
 * and turns key codes into model operations. Files of 10,000 lines must
 * scroll and edit without lag: no operation may be linear in the file size
 * except load, save and search.
 *
 * Changes to this interface since the studio's first draft (all additions,
 * nothing removed or renamed):
 *   - editor_insert: a single typed character groups into the previous undo
 *     step and a closing bracket typed on a blank line dedents it; longer text
 *     (a paste) is its own step and has "\r\n" / "\r" turned into "\n".
 *   - editor_line: the text is NUL-terminated.
 *   - editor_selection, editor_scroll, editor_viewport: for the view (and for
 *     the studio: mouse wheel, status line).
 *   - editor_line_state, editor_lexed_count: the cached syntax state of a
 *     line, and a counter the tests use to prove edits re-lex lazily.
 *   - editor_utf8_next, editor_cell_width: the one definition of a character
 *     and its width, shared by the model and the view.
 *   - editor_syntax_line: classes may be NULL; returns the state after the line.
 *   - colour pairs (EDITOR_PAIR_*) and editor_init_colors.
 */
#ifndef SRCFN_EDITOR_H
#define SRCFN_EDITOR_H

#include <stddef.h>

typedef struct editor editor;

#define EDITOR_INDENT 2       /* spaces per indent level (and per Tab key) */
#define EDITOR_TAB_WIDTH 4    /* display width of a tab stop in files that have tabs */

/* --- model ------------------------------------------------------------------- */

editor *editor_new(void);     /* NULL when out of memory */
void editor_free(editor *ed);

/* Replaces the whole text (no undo step); clears history, selection and the
 * error mark, puts the cursor at the start and marks clean. 0, or -1 when out
 * of memory (the editor is then unchanged). The text round-trips exactly
 * through editor_text ("a\n" is two lines, the second empty). */
int editor_set_text(editor *ed, const char *text, size_t len);
/* The whole text, lines joined with '\n' (malloc'd, NUL-terminated; *len set
 * when len; NULL when out of memory). */
char *editor_text(const editor *ed, size_t *len);

/* Dirty: the text differs from the last editor_set_text / editor_mark_clean
 * (undoing back to that point makes it clean again). */
int editor_dirty(const editor *ed);
void editor_mark_clean(editor *ed);

size_t editor_line_count(const editor *ed);                           /* >= 1 */
const char *editor_line(const editor *ed, size_t line, size_t *len);  /* 0-based, NUL-terminated; "" past the end */

/* Cursor: 0-based line and byte column (always on a UTF-8 boundary). */
void editor_cursor(const editor *ed, size_t *line, size_t *col);
/* Moves the cursor (clearing the selection); line and col are clamped, col to
 * the character boundary at or before it. */
void editor_goto(editor *ed, size_t line, size_t col);

typedef enum editor_move {
    MOVE_LEFT, MOVE_RIGHT, MOVE_UP, MOVE_DOWN,
    MOVE_WORD_LEFT, MOVE_WORD_RIGHT,
    MOVE_LINE_START, MOVE_LINE_END,
    MOVE_PAGE_UP, MOVE_PAGE_DOWN,
    MOVE_FILE_START, MOVE_FILE_END,
} editor_move;

/* Moves the cursor; with select, extends the selection instead of clearing it.
 * LEFT/RIGHT cross line ends; UP/DOWN/PAGE keep the display column they
 * started from; WORD_* stop at the ends of runs of word characters or of
 * punctuation; LINE_START goes to the first non-blank, then to column 0;
 * PAGE_* also scroll the view by page_lines. Without select, LEFT/RIGHT over
 * a selection collapse it to its start/end. */
void editor_move_cursor(editor *ed, editor_move how, int select, int page_lines);

/* Inserts UTF-8 text at the cursor, replacing a selection. One character is
 * typing: consecutive typed characters form one undo step, broken where a word
 * or punctuation run starts and by any cursor jump; '}', ']' or ')' typed on a
 * blank indented line first removes one indent level. Anything longer is a
 * paste: its own undo step, inserted as is except that "\r\n" and lone "\r"
 * become "\n". */
void editor_insert(editor *ed, const char *utf8, size_t len);
/* Splits the line at the cursor (its own undo step) with auto-indent: the new
 * line gets the current line's leading whitespace, plus one level after a line
 * ending in '{', '[' or '('; between such a bracket and its closer the closer
 * goes to a line of its own. Blanks after the cursor are dropped, and a line
 * left holding only indentation is emptied. */
void editor_newline(editor *ed);
/* Delete the selection, or one character (backspace in leading spaces goes
 * back to the previous indent level; at a line edge joins lines, which is its
 * own undo step). Consecutive single-character deletions form one undo step. */
void editor_backspace(editor *ed);
void editor_delete(editor *ed);
int editor_undo(editor *ed);               /* 0 when nothing to undo */
int editor_redo(editor *ed);               /* 0 when nothing to redo; any edit drops the redo steps */

int editor_has_selection(const editor *ed);   /* a non-empty selection */
/* The selection as [from, to) (ordered); returns 0 (and sets nothing) without one. */
int editor_selection(const editor *ed, size_t *from_line, size_t *from_col, size_t *to_line, size_t *to_col);
void editor_select_all(editor *ed);
char *editor_copy(const editor *ed);       /* selected text, malloc'd, NULL if none */
char *editor_cut(editor *ed);              /* the same, then deletes it (its own undo step) */

/* Finds needle (case-sensitive, within one line) from the cursor, wrapping
 * past the end to the start; selects the match and returns 1, or 0. Without
 * from_next the search starts at the selection's start, so a match already
 * selected is found again (search as you type); with from_next it starts at
 * the selection's end (search-next). */
int editor_find(editor *ed, const char *needle, int from_next);

/* The line marked as the last error's (0-based; -1 for none). The mark moves
 * with its line when lines are inserted or deleted above it. */
void editor_mark_error(editor *ed, long line);
long editor_error_line(const editor *ed);

/* The scroll position the view shows for a rows x cols text area: the first
 * line and the first display column. It follows the cursor (scrolling as
 * little as possible, centring after a far jump) unless editor_scroll moved
 * it since the cursor last moved. */
void editor_viewport(editor *ed, int rows, int cols, size_t *top, size_t *left);
/* Scrolls the view by lines (mouse wheel) without moving the cursor. */
void editor_scroll(editor *ed, long lines);

/* The syntax state at the start of a line (see editor_syntax_line), cached per
 * line. Edits invalidate the cache from the edited line down; this re-lexes
 * only the lines between the last valid one and `line`. */
int editor_line_state(editor *ed, size_t line);
/* Test hook: how many lines editor_line_state has lexed since editor_new. */
unsigned long editor_lexed_count(const editor *ed);

/* Bytes of the character at s[i] (i < len), 1..4, storing its code point in
 * *cp; an invalid or truncated sequence is one byte with *cp = 0xFFFD. */
size_t editor_utf8_next(const char *s, size_t len, size_t i, unsigned *cp);
/* Display cells of code point cp drawn at display column col: tabs reach the
 * next multiple of EDITOR_TAB_WIDTH, control characters take 2 ("^X"),
 * combining marks 0, wide characters 2 (wcwidth; call setlocale first). */
int editor_cell_width(unsigned cp, size_t col);

/* The display column of byte offset upto in a line, and the last character
 * boundary whose display column is <= goal: the one mapping between bytes and
 * screen cells that the editor and its mouse handling share. */
size_t editor_display_col(const char *s, size_t len, size_t upto);
size_t editor_col_at_display(const char *s, size_t len, size_t goal);

/* --- view -------------------------------------------------------------------- */

/* Colour pairs the editor uses; editor_init_colors initialises them (the
 * studio's own pairs start above, at UI_PAIR_BASE). */
enum {
    EDITOR_PAIR_KEYWORD = 10,
    EDITOR_PAIR_STRING,
    EDITOR_PAIR_TEMPLATE,
    EDITOR_PAIR_COMMENT,
    EDITOR_PAIR_NUMBER,
    EDITOR_PAIR_REGEX,
    EDITOR_PAIR_ERROR,       /* the error line: gutter (reversed) and its plain text */
    EDITOR_PAIR_LAST = EDITOR_PAIR_ERROR
};

/* Call after initscr() and start_color(). With use_color, initialises the
 * pairs with the terminal's default background (use_default_colors, -1);
 * without (NO_COLOR), or when the terminal cannot, the view draws with
 * attributes only: bold keywords, dim comments, underlined error line. */
void editor_init_colors(int use_color);

/* Draws rows x cols of the editor at (y, x) of the curses window `win`
 * (a WINDOW *), keeping the cursor visible: a gutter (error mark '!', line
 * number, current line's number bold), then the text with syntax colours, the
 * selection reversed and the error line underlined (its plain text in the
 * error colour; its gutter reversed in it). When focused, the window's
 * cursor is left at the editor's cursor, as field_draw does (so draw the
 * focused pane last); curs_set is the caller's. */
void editor_draw(editor *ed, void *win, int y, int x, int rows, int cols, int focused);

/* Handles a key from wget_wch (key is the wint_t, is_key_code when it was a
 * KEY_* code); returns 1 when the key was the editor's. Handled here:
 * arrows, Home/End, PgUp/PgDn, Ctrl+Home/End (file), Ctrl or Alt+Left/Right
 * (word), Ctrl+Up/Down (scroll one line), all of these with Shift to select
 * (KEY_S* codes and xterm's kXXX2..8 names, matched with keyname());
 * Backspace (KEY_BACKSPACE, 127, 8), Delete (also with modifiers), Enter
 * (KEY_ENTER, '\n', '\r'), Tab (two spaces), Ctrl+Z undo, Ctrl+Y redo, and
 * printable characters. Everything else (cut, copy, paste, find, go to line,
 * select all, Shift+Tab...) is the studio's, through the model; Ctrl+Z only
 * arrives when the terminal's suspend character is off (raw mode). */
int editor_key(editor *ed, int is_key_code, unsigned key, int page_lines);

/* Syntax classes of a line for the colours (exposed for tests): fills
 * classes[i] for each byte i of the line (unless classes is NULL), given the
 * state carried over from the previous line (inside a block comment, a
 * template literal or a ${} in one, and whether a '/' would start a regular
 * expression); returns the state for the next line. The first line's state
 * is 0. */
typedef enum syntax_class {
    SYN_PLAIN, SYN_KEYWORD, SYN_STRING, SYN_TEMPLATE, SYN_COMMENT, SYN_NUMBER, SYN_REGEX,
} syntax_class;
int editor_syntax_line(const char *line, size_t len, int state_in, unsigned char *classes);

#endif
