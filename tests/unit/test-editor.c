/*
 * The editor's model (tui/editor.c) and its lexer, key handling and drawing
 * (tui/editor-view.c): movement, editing with auto-indent, undo grouping,
 * selection and clipboard, search, UTF-8, syntax classes, and the promise
 * that a 10,000-line file re-lexes only what an edit and a redraw need.
 * Nothing here is timed: laziness is checked by counting lexed lines.
 */
#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/check.h"
#include "tui/editor.h"

#define PAGE 10

static editor *with_text(const char *text)
{
    editor *ed = editor_new();
    if (!ed || editor_set_text(ed, text, strlen(text)) != 0) {
        printf("FAIL editor_new: out of memory\n");
        exit(1);
    }
    return ed;
}

static int text_is(const editor *ed, const char *want)
{
    size_t len;
    char *t = editor_text(ed, &len);
    int ok = t && len == strlen(want) && memcmp(t, want, len) == 0;
    if (!ok)
        printf("     text is \"%s\", want \"%s\"\n", t ? t : "(null)", want);
    free(t);
    return ok;
}

static int at(const editor *ed, size_t line, size_t col)
{
    size_t l, c;
    editor_cursor(ed, &l, &c);
    if (l != line || c != col)
        printf("     cursor at %zu:%zu, want %zu:%zu\n", l, c, line, col);
    return l == line && c == col;
}

static void type(editor *ed, const char *s)
{
    for (size_t i = 0; s[i];) {
        unsigned cp;
        size_t n = editor_utf8_next(s, strlen(s), i, &cp);
        if (s[i] == '\n')
            editor_newline(ed);
        else
            editor_insert(ed, s + i, n);
        i += n;
    }
}

static void go(editor *ed, editor_move how, int times)
{
    while (times-- > 0)
        editor_move_cursor(ed, how, 0, PAGE);
}

static void test_movement(void)
{
    editor *ed = with_text("  let x = 1;\nfoo.bar(baz)\n\nlast line");
    CHECK("move: starts at 0:0", at(ed, 0, 0));
    CHECK("move: four lines", editor_line_count(ed) == 4);
    go(ed, MOVE_RIGHT, 3);
    CHECK("move: right by characters", at(ed, 0, 3));
    go(ed, MOVE_LINE_END, 1);
    go(ed, MOVE_RIGHT, 1);
    CHECK("move: right past a line end goes to the next line", at(ed, 1, 0));
    go(ed, MOVE_LEFT, 1);
    CHECK("move: left past a line start goes to the previous end", at(ed, 0, 12));
    go(ed, MOVE_LINE_START, 1);
    CHECK("move: Home goes to the first non-blank", at(ed, 0, 2));
    go(ed, MOVE_LINE_START, 1);
    CHECK("move: Home again goes to column 0", at(ed, 0, 0));
    go(ed, MOVE_LEFT, 1);
    CHECK("move: left at the file start stays", at(ed, 0, 0));

    editor_goto(ed, 1, 0);
    go(ed, MOVE_WORD_RIGHT, 1);
    CHECK("move: word right stops after a word", at(ed, 1, 3));
    go(ed, MOVE_WORD_RIGHT, 1);
    CHECK("move: word right stops after punctuation", at(ed, 1, 4));
    go(ed, MOVE_WORD_RIGHT, 2);
    CHECK("move: word right over 'bar('", at(ed, 1, 8));
    go(ed, MOVE_WORD_RIGHT, 2);
    CHECK("move: word right reaches the line end", at(ed, 1, 12));
    go(ed, MOVE_WORD_RIGHT, 1);
    CHECK("move: word right at a line end goes to the next line", at(ed, 2, 0));
    go(ed, MOVE_WORD_LEFT, 1);
    CHECK("move: word left at a line start goes to the previous end", at(ed, 1, 12));
    go(ed, MOVE_WORD_LEFT, 1);
    CHECK("move: word left over ')'", at(ed, 1, 11));
    go(ed, MOVE_WORD_LEFT, 1);
    CHECK("move: word left over 'baz'", at(ed, 1, 8));

    editor_goto(ed, 0, 10);
    go(ed, MOVE_DOWN, 1);
    CHECK("move: down clamps to a shorter line", at(ed, 1, 10));
    go(ed, MOVE_DOWN, 1);
    CHECK("move: down onto an empty line", at(ed, 2, 0));
    go(ed, MOVE_DOWN, 1);
    CHECK("move: down keeps the goal column across an empty line", at(ed, 3, 9));
    go(ed, MOVE_DOWN, 1);
    CHECK("move: down on the last line goes to its end", at(ed, 3, 9));
    go(ed, MOVE_UP, 3);
    CHECK("move: up keeps the goal column", at(ed, 0, 9));
    go(ed, MOVE_UP, 1);
    CHECK("move: up on the first line goes to its start", at(ed, 0, 0));
    go(ed, MOVE_FILE_END, 1);
    CHECK("move: Ctrl+End", at(ed, 3, 9));
    go(ed, MOVE_FILE_START, 1);
    CHECK("move: Ctrl+Home", at(ed, 0, 0));
    editor_goto(ed, 99, 99);
    CHECK("move: goto clamps", at(ed, 3, 9));
    editor_free(ed);

    /* pages */
    char big[64 * 40] = "";
    for (int i = 0; i < 40; i++)
        strcat(big, i ? "\nline" : "line");
    ed = with_text(big);
    go(ed, MOVE_PAGE_DOWN, 1);
    CHECK("move: page down by page_lines", at(ed, PAGE, 0));
    go(ed, MOVE_PAGE_DOWN, 3);
    CHECK("move: page down stops at the last line", at(ed, 39, 0));
    go(ed, MOVE_PAGE_DOWN, 1);
    CHECK("move: page down on the last line goes to its end", at(ed, 39, 4));
    go(ed, MOVE_PAGE_UP, 1);
    CHECK("move: page up", at(ed, 39 - PAGE, 4));
    go(ed, MOVE_PAGE_UP, 3);
    CHECK("move: page up stops at the first line", at(ed, 0, 4));
    go(ed, MOVE_PAGE_UP, 1);
    CHECK("move: page up on the first line goes to its start", at(ed, 0, 0));
    size_t top, left;
    editor_goto(ed, 0, 0);
    editor_viewport(ed, PAGE, 80, &top, &left);
    go(ed, MOVE_PAGE_DOWN, 1);
    editor_viewport(ed, PAGE, 80, &top, &left);
    CHECK("move: page down scrolls the view by a page", top == PAGE);
    editor_free(ed);
}

static void test_editing(void)
{
    editor *ed = with_text("abc\ndef");
    editor_goto(ed, 0, 1);
    editor_insert(ed, "X\nY", 3);
    CHECK("edit: a multi-line insert splits the line", text_is(ed, "aX\nYbc\ndef") && at(ed, 1, 1));
    editor_goto(ed, 1, 0);
    editor_backspace(ed);
    CHECK("edit: backspace at a line start joins lines", text_is(ed, "aXYbc\ndef") && at(ed, 0, 2));
    editor_move_cursor(ed, MOVE_LINE_END, 0, PAGE);
    editor_delete(ed);
    CHECK("edit: delete at a line end joins lines", text_is(ed, "aXYbcdef") && at(ed, 0, 5));
    editor_delete(ed);
    CHECK("edit: delete removes the next character", text_is(ed, "aXYbcef"));
    editor_move_cursor(ed, MOVE_FILE_END, 0, PAGE);
    editor_delete(ed);
    CHECK("edit: delete at the file end does nothing", text_is(ed, "aXYbcef"));
    editor_move_cursor(ed, MOVE_FILE_START, 0, PAGE);
    editor_backspace(ed);
    CHECK("edit: backspace at the file start does nothing", text_is(ed, "aXYbcef"));
    editor_insert(ed, "1\r\n2\r3", 6);
    CHECK("edit: a paste turns CR LF and CR into LF", text_is(ed, "1\n2\n3aXYbcef"));
    CHECK("edit: dirty after edits", editor_dirty(ed));
    editor_mark_clean(ed);
    CHECK("edit: clean after mark_clean", !editor_dirty(ed));
    editor_insert(ed, "z", 1);
    CHECK("edit: typing after mark_clean is dirty", editor_dirty(ed));
    editor_undo(ed);
    CHECK("edit: undoing back to the save is clean", !editor_dirty(ed));
    editor_free(ed);

    ed = with_text("a\n");
    CHECK("edit: a trailing newline is an empty last line", editor_line_count(ed) == 2 && text_is(ed, "a\n"));
    size_t len = 99;
    CHECK("edit: editor_line past the end is empty", strcmp(editor_line(ed, 5, &len), "") == 0 && len == 0);
    editor_free(ed);

    ed = with_text("x");
    editor_move_cursor(ed, MOVE_LINE_END, 0, PAGE);
    editor_key(ed, 0, '\t', PAGE);
    CHECK("keys: Tab inserts two spaces", text_is(ed, "x  "));
    editor_key(ed, 0, 127, PAGE);
    editor_key(ed, 0, 8, PAGE);
    CHECK("keys: 127 and 8 are backspace", text_is(ed, "x"));
    editor_key(ed, 0, 0xE9, PAGE);
    editor_key(ed, 0, '\r', PAGE);
    editor_key(ed, 0, 'y', PAGE);
    CHECK("keys: printable characters and Enter", text_is(ed, "x\xc3\xa9\ny"));
    editor_key(ed, 1, KEY_LEFT, PAGE);
    CHECK("keys: KEY_LEFT", at(ed, 1, 0));
    editor_key(ed, 1, KEY_SRIGHT, PAGE);
    CHECK("keys: KEY_SRIGHT selects", editor_has_selection(ed));
    editor_key(ed, 1, KEY_BACKSPACE, PAGE);
    CHECK("keys: KEY_BACKSPACE deletes the selection", text_is(ed, "x\xc3\xa9\n"));
    editor_key(ed, 0, 'z' & 0x1F, PAGE);
    CHECK("keys: Ctrl+Z undoes", text_is(ed, "x\xc3\xa9\ny"));
    editor_key(ed, 0, 'y' & 0x1F, PAGE);
    CHECK("keys: Ctrl+Y redoes", text_is(ed, "x\xc3\xa9\n"));
    CHECK("keys: other control characters are the studio's", editor_key(ed, 0, 'f' & 0x1F, PAGE) == 0);
    editor_free(ed);
}

static void test_auto_indent(void)
{
    editor *ed = with_text("  if (x) {");
    editor_move_cursor(ed, MOVE_LINE_END, 0, PAGE);
    editor_newline(ed);
    CHECK("indent: after '{' one level more", text_is(ed, "  if (x) {\n    ") && at(ed, 1, 4));
    type(ed, "y();\n");
    CHECK("indent: copies the line's indentation", text_is(ed, "  if (x) {\n    y();\n    ") && at(ed, 2, 4));
    type(ed, "}");
    CHECK("indent: '}' on a blank line dedents it", text_is(ed, "  if (x) {\n    y();\n  }") && at(ed, 2, 3));
    editor_free(ed);

    ed = with_text("f(");
    editor_move_cursor(ed, MOVE_LINE_END, 0, PAGE);
    editor_newline(ed);
    CHECK("indent: after '('", text_is(ed, "f(\n  "));
    editor_free(ed);

    ed = with_text("  a = [");
    editor_move_cursor(ed, MOVE_LINE_END, 0, PAGE);
    editor_newline(ed);
    CHECK("indent: after '['", text_is(ed, "  a = [\n    "));
    editor_free(ed);

    ed = with_text("  x = {}");
    editor_goto(ed, 0, 7);
    editor_newline(ed);
    CHECK("indent: between '{' and '}' the closer gets its own line",
          text_is(ed, "  x = {\n    \n  }") && at(ed, 1, 4));
    editor_free(ed);

    ed = with_text("    ");
    editor_move_cursor(ed, MOVE_LINE_END, 0, PAGE);
    editor_newline(ed);
    CHECK("indent: a line of only indentation is emptied", text_is(ed, "\n    ") && at(ed, 1, 4));
    editor_free(ed);

    ed = with_text("  foo(a,   b)");
    editor_goto(ed, 0, 8);
    editor_newline(ed);
    CHECK("indent: blanks after the cursor are dropped", text_is(ed, "  foo(a,\n  b)") && at(ed, 1, 2));
    editor_free(ed);

    ed = with_text("      x");
    editor_goto(ed, 0, 6);
    editor_backspace(ed);
    CHECK("indent: backspace in indentation goes back one level", text_is(ed, "    x") && at(ed, 0, 4));
    editor_goto(ed, 0, 3);
    editor_backspace(ed);
    CHECK("indent: ...to the previous indent stop", text_is(ed, "   x") && at(ed, 0, 2));
    editor_free(ed);
}

static void test_undo(void)
{
    editor *ed = with_text("");
    type(ed, "hello world");
    CHECK("undo: typing", text_is(ed, "hello world"));
    editor_undo(ed);
    CHECK("undo: one word at a time", text_is(ed, "hello ") && at(ed, 0, 6));
    editor_undo(ed);
    CHECK("undo: spaces join the word before", text_is(ed, "") && at(ed, 0, 0));
    CHECK("undo: nothing left", editor_undo(ed) == 0);
    editor_redo(ed);
    CHECK("redo: one step", text_is(ed, "hello ") && at(ed, 0, 6));
    editor_redo(ed);
    CHECK("redo: the next step", text_is(ed, "hello world") && at(ed, 0, 11));
    CHECK("redo: nothing left", editor_redo(ed) == 0);

    editor_undo(ed);
    type(ed, "there");
    CHECK("redo: a new edit drops the redo steps", editor_redo(ed) == 0 && text_is(ed, "hello there"));
    editor_undo(ed);
    CHECK("undo: after the new edit", text_is(ed, "hello "));
    editor_free(ed);

    ed = with_text("");
    type(ed, "abc");
    editor_move_cursor(ed, MOVE_LEFT, 0, PAGE);
    editor_move_cursor(ed, MOVE_RIGHT, 0, PAGE);
    type(ed, "def");
    editor_undo(ed);
    CHECK("undo: a cursor move breaks the group", text_is(ed, "abc"));
    type(ed, "x");
    editor_newline(ed);
    type(ed, "y");
    editor_undo(ed);
    CHECK("undo: text after a newline is its own step", text_is(ed, "abcx\n"));
    editor_undo(ed);
    CHECK("undo: the newline is its own step", text_is(ed, "abcx"));
    editor_insert(ed, "PASTE", 5);
    type(ed, "q");
    editor_undo(ed);
    editor_undo(ed);
    CHECK("undo: a paste is its own step", text_is(ed, "abcx"));
    editor_free(ed);

    ed = with_text("one two");
    editor_move_cursor(ed, MOVE_LINE_END, 0, PAGE);
    for (int i = 0; i < 5; i++)
        editor_backspace(ed);
    CHECK("undo: backspaces", text_is(ed, "on"));
    editor_undo(ed);
    CHECK("undo: consecutive backspaces are one step", text_is(ed, "one two") && at(ed, 0, 7));
    editor_goto(ed, 0, 0);
    editor_delete(ed);
    editor_delete(ed);
    editor_undo(ed);
    CHECK("undo: consecutive deletes are one step", text_is(ed, "one two") && at(ed, 0, 0));
    editor_free(ed);

    ed = with_text("    ");
    editor_move_cursor(ed, MOVE_LINE_END, 0, PAGE);
    type(ed, "}");
    editor_undo(ed);
    CHECK("undo: the dedent and its '}' are one step", text_is(ed, "    "));
    editor_free(ed);
}

static void test_selection(void)
{
    editor *ed = with_text("first line\nsecond line\nthird");
    editor_goto(ed, 0, 6);
    editor_move_cursor(ed, MOVE_DOWN, 1, PAGE);
    editor_move_cursor(ed, MOVE_WORD_RIGHT, 1, PAGE);
    size_t a, b, c, d;
    CHECK("select: shift+movement selects", editor_selection(ed, &a, &b, &c, &d) && a == 0 && b == 6 && c == 1 && d == 11);
    char *t = editor_copy(ed);
    CHECK("select: copy spans lines", t && strcmp(t, "line\nsecond line") == 0);
    free(t);
    t = editor_cut(ed);
    CHECK("select: cut returns the text", t && strcmp(t, "line\nsecond line") == 0);
    CHECK("select: cut removes it", text_is(ed, "first \nthird") && !editor_has_selection(ed) && at(ed, 0, 6));
    CHECK("select: nothing to copy after a cut", editor_copy(ed) == NULL);
    editor_move_cursor(ed, MOVE_FILE_END, 0, PAGE);
    editor_insert(ed, t, strlen(t));
    CHECK("select: paste inserts the clipboard", text_is(ed, "first \nthirdline\nsecond line"));
    editor_undo(ed);
    editor_undo(ed);
    CHECK("select: undoing a cut restores the text and selection",
          text_is(ed, "first line\nsecond line\nthird") && editor_has_selection(ed));
    free(t);

    editor_select_all(ed);
    editor_insert(ed, "new", 3);
    CHECK("select: typing replaces the selection", text_is(ed, "new"));
    editor_undo(ed);
    CHECK("select: one undo brings the selection's text back", text_is(ed, "first line\nsecond line\nthird"));

    editor_goto(ed, 1, 3);
    editor_move_cursor(ed, MOVE_RIGHT, 1, PAGE);
    editor_move_cursor(ed, MOVE_RIGHT, 1, PAGE);
    editor_move_cursor(ed, MOVE_LEFT, 0, PAGE);
    CHECK("select: left collapses to the selection's start", at(ed, 1, 3) && !editor_has_selection(ed));
    editor_move_cursor(ed, MOVE_LEFT, 1, PAGE);
    editor_move_cursor(ed, MOVE_RIGHT, 1, PAGE);
    CHECK("select: back to the anchor is no selection", !editor_has_selection(ed));
    editor_move_cursor(ed, MOVE_LEFT, 1, PAGE);
    editor_backspace(ed);
    CHECK("select: backspace deletes the selection", text_is(ed, "first line\nseond line\nthird"));
    editor_free(ed);
}

static void test_find(void)
{
    editor *ed = with_text("foo bar\nbar foo\nbaz foo");
    editor_goto(ed, 1, 0);
    size_t a, b, c, d;
    CHECK("find: from the cursor", editor_find(ed, "foo", 0) && editor_selection(ed, &a, &b, &c, &d) && a == 1 && b == 4 && d == 7);
    CHECK("find: again without next finds the same match", editor_find(ed, "foo", 0) && at(ed, 1, 7));
    CHECK("find: next", editor_find(ed, "foo", 1) && at(ed, 2, 7));
    CHECK("find: next wraps to the start", editor_find(ed, "foo", 1) && at(ed, 0, 3));
    CHECK("find: missing text", editor_find(ed, "qux", 1) == 0 && at(ed, 0, 3));
    CHECK("find: an empty needle", editor_find(ed, "", 1) == 0);
    editor_goto(ed, 0, 5);
    CHECK("find: wraps back into the cursor's own line", editor_find(ed, "foo", 1) && at(ed, 1, 7));
    CHECK("find: is case-sensitive", editor_find(ed, "FOO", 1) == 0);
    editor_free(ed);
}

static void test_utf8(void)
{
    /* é (2 bytes), 😀 (4, wide), 中 (3, wide) */
    editor *ed = with_text("\xc3\xa9\xf0\x9f\x98\x80\xe4\xb8\xad!\nabcdefgh");
    go(ed, MOVE_RIGHT, 1);
    CHECK("utf8: right over é moves 2 bytes", at(ed, 0, 2));
    go(ed, MOVE_RIGHT, 1);
    CHECK("utf8: right over an emoji moves 4 bytes", at(ed, 0, 6));
    go(ed, MOVE_RIGHT, 1);
    CHECK("utf8: right over CJK moves 3 bytes", at(ed, 0, 9));
    go(ed, MOVE_LEFT, 2);
    CHECK("utf8: left by code points", at(ed, 0, 2));
    editor_goto(ed, 0, 4);
    CHECK("utf8: goto inside a sequence snaps to its start", at(ed, 0, 2));
    editor_goto(ed, 0, 9);
    go(ed, MOVE_DOWN, 1);
    CHECK("utf8: down keeps the display column (wide characters count 2)", at(ed, 1, 5));
    go(ed, MOVE_UP, 1);
    CHECK("utf8: up lands on the same character boundary", at(ed, 0, 9));
    editor_goto(ed, 1, 4);
    go(ed, MOVE_UP, 1);
    CHECK("utf8: up into the middle of a wide character stops before it", at(ed, 0, 6));
    editor_goto(ed, 0, 9);
    editor_backspace(ed);
    CHECK("utf8: backspace deletes a whole CJK character", text_is(ed, "\xc3\xa9\xf0\x9f\x98\x80!\nabcdefgh"));
    editor_backspace(ed);
    CHECK("utf8: backspace deletes a whole emoji", text_is(ed, "\xc3\xa9!\nabcdefgh") && at(ed, 0, 2));
    editor_move_cursor(ed, MOVE_LINE_START, 0, PAGE);
    editor_delete(ed);
    CHECK("utf8: delete removes a whole é", text_is(ed, "!\nabcdefgh"));
    editor_undo(ed);
    editor_undo(ed);
    CHECK("utf8: undo restores them", text_is(ed, "\xc3\xa9\xf0\x9f\x98\x80\xe4\xb8\xad!\nabcdefgh"));
    editor_free(ed);

    ed = with_text("caf\xc3\xa9 na\xc3\xafve");
    go(ed, MOVE_WORD_RIGHT, 1);
    CHECK("utf8: non-ASCII letters are word characters", at(ed, 0, 5));
    editor_free(ed);

    ed = with_text("a\x80" "b");
    go(ed, MOVE_RIGHT, 2);
    CHECK("utf8: an invalid byte is one step", at(ed, 0, 2));
    editor_free(ed);

    unsigned cp;
    CHECK("utf8: decode an emoji", editor_utf8_next("\xf0\x9f\x98\x80", 4, 0, &cp) == 4 && cp == 0x1F600);
    CHECK("utf8: a truncated sequence is one invalid byte", editor_utf8_next("\xf0\x9f", 2, 0, &cp) == 1 && cp == 0xFFFD);
    CHECK("utf8: an overlong sequence is invalid", editor_utf8_next("\xc0\xaf", 2, 0, &cp) == 1 && cp == 0xFFFD);
    CHECK("utf8: widths", editor_cell_width(0x4E2D, 0) == 2 && editor_cell_width(0x1F600, 0) == 2 &&
                              editor_cell_width(0xE9, 0) == 1 && editor_cell_width(0x301, 0) == 0);
    CHECK("utf8: a tab reaches the next tab stop", editor_cell_width('\t', 1) == EDITOR_TAB_WIDTH - 1);
}

/* The classes of a line as letters: p k s t c n r. */
static const char *classes_of(const char *line, int state_in, int *state_out)
{
    static char out[256];
    unsigned char cls[256];
    size_t len = strlen(line);
    int st = editor_syntax_line(line, len, state_in, cls);
    if (state_out)
        *state_out = st;
    for (size_t i = 0; i < len; i++)
        out[i] = "pkstcnr"[cls[i]];
    out[len] = '\0';
    return out;
}

static int classes_are(const char *line, int state_in, int *state_out, const char *want)
{
    const char *got = classes_of(line, state_in, state_out);
    if (strcmp(got, want) != 0)
        printf("     %s\n     %s (want)\n     %s (got)\n", line, want, got);
    return strcmp(got, want) == 0;
}

static void test_syntax(void)
{
    int st;
    CHECK("syntax: keywords, numbers, strings",
          classes_are("const x = 0x1F + 2.5e-3; return 'a\\'b' + \"c\";", 0, &st,
                      "kkkkkpppppnnnnpppnnnnnnppkkkkkkpsssssspppsssp"));
    CHECK("syntax: a line comment", classes_are("a = 1; // note", 0, NULL, "ppppnppccccccc"));
    CHECK("syntax: a keyword as a property name is plain", classes_are("x.default", 0, NULL, "ppppppppp"));

    int s1, s2;
    CHECK("syntax: a block comment opens", classes_are("x /* one", 0, &s1, "ppcccccc"));
    CHECK("syntax: ...continues", classes_are("two", s1, &s2, "ccc"));
    CHECK("syntax: ...and closes", classes_are("end */ if", s2, &st, "ccccccpkk") && st != s2);

    CHECK("syntax: a template literal with ${} as code",
          classes_are("`a ${b + 1} c`", 0, &st, "tttppppppnpttt"));
    CHECK("syntax: a template spanning lines opens", classes_are("s = `line ${", 0, &s1, "ppppttttttpp"));
    CHECK("syntax: ...code inside ${ } on the next line", classes_are("f({ a: 1 })} more", s1, &s2, "pppppppnppppttttt"));
    CHECK("syntax: ...template text on the line after", classes_are("still` + 2", s2, &st, "ttttttpppn"));

    CHECK("syntax: a regex after '='", classes_are("r = /ab+c[/]/gi;", 0, NULL, "pppprrrrrrrrrrrp"));
    CHECK("syntax: division after an operand", classes_are("a = b / c / d;", 0, NULL, "pppppppppppppp"));
    CHECK("syntax: division after ')'", classes_are("(a) / 2 / 1", 0, NULL, "ppppppnpppn"));
    CHECK("syntax: a regex after return", classes_are("return /x/.test(s)", 0, NULL, "kkkkkkprrrpppppppp"));
    CHECK("syntax: a regex after '('", classes_are("s.replace(/\\s+/g, '')", 0, NULL, "pppppppppprrrrrrppssp"));
    CHECK("syntax: '/' at a line start after an operand line divides",
          classes_are("x = a", 0, &s1, "ppppp") && classes_are("/ 2 / 3", s1, NULL, "ppnpppn"));
    CHECK("syntax: a string continued by a backslash", classes_are("'abc\\", 0, &s1, "sssss") && classes_are("def' + x", s1, NULL, "sssspppp"));
}

static void test_error_mark(void)
{
    editor *ed = with_text("a\nb\nc\nd");
    CHECK("error: none at first", editor_error_line(ed) == -1);
    editor_mark_error(ed, 2);
    editor_goto(ed, 0, 1);
    editor_newline(ed);
    CHECK("error: moves down with a line inserted above", editor_error_line(ed) == 3);
    editor_goto(ed, 0, 0);
    editor_move_cursor(ed, MOVE_DOWN, 1, PAGE);
    editor_backspace(ed);
    CHECK("error: moves up with a line deleted above", editor_error_line(ed) == 2);
    editor_goto(ed, (size_t)editor_error_line(ed), 0);
    CHECK("error: the studio jumps to it", at(ed, 2, 0));
    editor_mark_error(ed, 99);
    CHECK("error: a line past the end is no mark", editor_error_line(ed) == -1);
    editor_mark_error(ed, 1);
    editor_set_text(ed, "x", 1);
    CHECK("error: new text clears the mark", editor_error_line(ed) == -1);
    editor_free(ed);
}

static void test_viewport(void)
{
    char *big = malloc(200 * 4);
    if (!big)
        return;
    big[0] = '\0';
    for (int i = 0; i < 200; i++)
        strcat(big, "ab\n");
    editor *ed = with_text(big);
    free(big);
    size_t top, left;
    editor_goto(ed, 25, 0);
    editor_viewport(ed, 20, 40, &top, &left);
    CHECK("view: follows the cursor down by the least", top == 6);
    editor_goto(ed, 150, 0);
    editor_viewport(ed, 20, 40, &top, &left);
    CHECK("view: a far jump centres the cursor", top == 140);
    editor_scroll(ed, -30);
    editor_viewport(ed, 20, 40, &top, &left);
    CHECK("view: the wheel scrolls without moving the cursor", top == 110 && at(ed, 150, 0));
    editor_move_cursor(ed, MOVE_RIGHT, 0, PAGE);
    editor_viewport(ed, 20, 40, &top, &left);
    CHECK("view: moving the cursor brings it back into view", top == 140);
    editor_free(ed);

    ed = with_text("0123456789012345678901234567890123456789");
    editor_move_cursor(ed, MOVE_LINE_END, 0, PAGE);
    editor_viewport(ed, 5, 20, &top, &left);
    CHECK("view: scrolls right to show the cursor", left > 20 && 40 - left < 20);
    editor_move_cursor(ed, MOVE_LINE_START, 0, PAGE);
    editor_viewport(ed, 5, 20, &top, &left);
    CHECK("view: scrolls back left", left == 0);
    editor_free(ed);
}

static void test_big_file(void)
{
    enum { N = 10000 };
    size_t cap = (size_t)N * 64, len = 0;
    char *src = malloc(cap);
    if (!src)
        return;
    for (int i = 0; i < N; i++)
        len += (size_t)snprintf(src + len, cap - len, "%s  const v%d = `t${%d}`; // c\n", i % 100 ? "" : "/* x */", i, i);
    editor *ed = with_text(src);
    free(src);
    CHECK("big: 10,000 lines loaded", editor_line_count(ed) == N + 1);

    /* draw the first screen, then jump to the middle and draw there */
    for (size_t l = 0; l < 40; l++)
        editor_line_state(ed, l);
    unsigned long before = editor_lexed_count(ed);
    CHECK("big: the first screen lexes only its lines", before <= 40);
    editor_goto(ed, 5001, 0);
    for (size_t l = 4980; l < 5020; l++)
        editor_line_state(ed, l);
    unsigned long jumped = editor_lexed_count(ed);

    /* an edit in the middle, then a redraw-sized query */
    type(ed, "/* open");
    for (size_t l = 4980; l < 5020; l++)
        editor_line_state(ed, l);
    unsigned long after = editor_lexed_count(ed);
    CHECK("big: an edit and a redraw re-lex only the lines below it on screen", after - jumped <= 20);
    CHECK("big: the edit's effect reaches the next line", (editor_line_state(ed, 5002) & 7) == 1);
    size_t l0;
    const char *line = editor_line(ed, 5001, &l0);
    CHECK("big: the edit landed", strncmp(line, "/* open  const v5001", 20) == 0);

    editor_goto(ed, 10, 0);
    editor_newline(ed);
    for (size_t l = 0; l < 40; l++)
        editor_line_state(ed, l);
    CHECK("big: an edit near the top re-lexes only the top screen", editor_lexed_count(ed) - after <= 40);
    CHECK("big: lines shift", editor_line_count(ed) == N + 2);
    editor_undo(ed);
    editor_undo(ed);
    editor_undo(ed);
    CHECK("big: undo in the middle", strncmp(editor_line(ed, 5001, NULL), "  const v5001", 13) == 0);
    size_t tlen;
    char *t = editor_text(ed, &tlen);
    CHECK("big: the text round-trips", t && tlen > (size_t)N * 20);
    free(t);
    editor_free(ed);
}

/* Draws into a curses window on /dev/null and reads the cells back. */
static void test_draw(void)
{
    FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
    if (!out || !in) {
        printf("FAIL draw: cannot open /dev/null\n");
        if (out)
            fclose(out);
        if (in)
            fclose(in);
        return;
    }
    SCREEN *scr = newterm("xterm-256color", out, in);
    if (!scr) {
        printf("FAIL draw: newterm failed\n");
        fclose(out);
        fclose(in);
        return;
    }
    WINDOW *w = newwin(6, 30, 0, 0);
    editor *ed = with_text("let a = 1;\n\xe4\xb8\xad\xe6\x96\x87 x\n\tz");
    editor_mark_error(ed, 1);
    editor_goto(ed, 1, 3);
    editor_init_colors(0);
    editor_draw(ed, w, 0, 0, 6, 30, 1);
    int cy, cx;
    getyx(w, cy, cx);

    char row[3][31];
    for (int r = 0; r < 3; r++) {
        for (int c = 0; c < 30; c++) {
            cchar_t cc;
            wchar_t wc[CCHARW_MAX + 1];
            attr_t a;
            short pair;
            row[r][c] = '?';
            if (mvwin_wch(w, r, c, &cc) != ERR && getcchar(&cc, wc, &a, &pair, NULL) != ERR)
                row[r][c] = wc[0] < 128 ? (char)wc[0] : wc[0] == 0x4E2D ? 'Z' : wc[0] == 0x6587 ? 'W' : '*';
        }
        row[r][30] = '\0';
    }
    CHECK("draw: gutter and text", strncmp(row[0], "   1 let a = 1;", 15) == 0);
    CHECK("draw: the error line's mark", row[1][0] == '!' && strncmp(row[1] + 1, "  2 ", 4) == 0);
    CHECK("draw: a wide character takes two cells", row[1][5] == 'Z' && row[1][7] == 'W' && row[1][9] == ' ' && row[1][10] == 'x');
    CHECK("draw: a tab is spaces to the tab stop", strncmp(row[2] + 5, "    z", 5) == 0);
    CHECK("draw: the cursor is after the first wide character", cy == 1 && cx == 7);
    if (cy != 1 || cx != 7)
        printf("     cursor at %d,%d\n", cy, cx);
    attr_t a;
    short pair;
    cchar_t cc;
    CHECK("draw: the error line is underlined",
          mvwin_wch(w, 1, 10, &cc) != ERR && getcchar(&cc, (wchar_t[CCHARW_MAX + 1]){0}, &a, &pair, NULL) != ERR && (a & A_UNDERLINE));
    CHECK("draw: keywords are bold without colours",
          mvwin_wch(w, 0, 5, &cc) != ERR && getcchar(&cc, (wchar_t[CCHARW_MAX + 1]){0}, &a, &pair, NULL) != ERR && (a & A_BOLD));


    /* xterm's modified keys, as this terminal description names them */
    editor_set_text(ed, "one two three\nfour", 18);
    editor_goto(ed, 0, 8);
    if (keypad(w, TRUE) == ERR)
        printf("FAIL keys: keypad\n");
    int ctrl_left = key_defined("\033[1;5D"), ctrl_right = key_defined("\033[1;5C");
    int ctrl_end = key_defined("\033[1;5F"), ctrl_shift_home = key_defined("\033[1;6H");
    int shift_up = key_defined("\033[1;2A");
    CHECK("keys: the terminal defines the modified keys", ctrl_left > 0 && ctrl_right > 0 && ctrl_end > 0 && ctrl_shift_home > 0 && shift_up > 0);
    CHECK("keys: Ctrl+Left (kLFT5) moves by word", editor_key(ed, 1, (unsigned)ctrl_left, PAGE) && at(ed, 0, 4));
    CHECK("keys: Ctrl+Right (kRIT5) moves by word", editor_key(ed, 1, (unsigned)ctrl_right, PAGE) && at(ed, 0, 7));
    CHECK("keys: Ctrl+End (kEND5) goes to the file end", editor_key(ed, 1, (unsigned)ctrl_end, PAGE) && at(ed, 1, 4));
    CHECK("keys: Shift+Up selects", editor_key(ed, 1, (unsigned)shift_up, PAGE) && editor_has_selection(ed) && at(ed, 0, 4));
    CHECK("keys: Ctrl+Shift+Home (kHOM6) selects to the file start", editor_key(ed, 1, (unsigned)ctrl_shift_home, PAGE) && at(ed, 0, 0));
    char *sel = editor_copy(ed);
    CHECK("keys: ...from where the selection began", sel && strcmp(sel, "one two three\nfour") == 0);
    free(sel);
    CHECK("keys: KEY_F(5) is not the editor's", editor_key(ed, 1, KEY_F(5), PAGE) == 0);

    /* colours, when the terminal has them */
    if (start_color() != ERR) {
        editor_init_colors(1);
        editor_set_text(ed, "if (x) 'y'", 10);
        editor_draw(ed, w, 0, 0, 6, 30, 0);
        short kp = -1, sp = -1;
        if (mvwin_wch(w, 0, 5, &cc) != ERR)
            getcchar(&cc, (wchar_t[CCHARW_MAX + 1]){0}, &a, &kp, NULL);
        if (mvwin_wch(w, 0, 12, &cc) != ERR)
            getcchar(&cc, (wchar_t[CCHARW_MAX + 1]){0}, &a, &sp, NULL);
        CHECK("draw: keyword and string colour pairs", kp == EDITOR_PAIR_KEYWORD && sp == EDITOR_PAIR_STRING);
        editor_init_colors(0);
        editor_draw(ed, w, 0, 0, 6, 30, 0);
        if (mvwin_wch(w, 0, 5, &cc) != ERR)
            getcchar(&cc, (wchar_t[CCHARW_MAX + 1]){0}, &a, &kp, NULL);
        CHECK("draw: NO_COLOR draws without colour pairs", kp == 0 && (a & A_BOLD));
    }

    editor_free(ed);
    delwin(w);
    endwin();
    delscreen(scr);
    fclose(out);
    fclose(in);
}

int main(void)
{
    if (!setlocale(LC_ALL, "C.UTF-8"))
        printf("FAIL locale: C.UTF-8 is missing\n");
    test_movement();
    test_editing();
    test_auto_indent();
    test_undo();
    test_selection();
    test_find();
    test_utf8();
    test_syntax();
    test_error_mark();
    test_viewport();
    test_big_file();
    test_draw();
    return check_failures ? 1 : 0;
}
