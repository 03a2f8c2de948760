/*
 * keys: THE table of key bindings (see keys.h). The help screen lists it
 * context by context in this order; the bottom bar shows, for the focused
 * context, the rows that have a bar name, then the global ones.
 *
 * Invariant: edit bindings here and nowhere else; a row whose key is 0 only
 * documents keys a widget (the editor, a text field) handles itself.
 */
#include "tui/keys.h"

#include <curses.h>
#include <string.h>

#define CTRL(c) ((unsigned)((c)&0x1f))
#define K(ctx, code, act, label, bar, help) {ctx, 1, (unsigned)(code), act, label, bar, help}
#define C(ctx, ch, act, label, bar, help) {ctx, 0, (unsigned)(ch), act, label, bar, help}
#define DOC(ctx, label, help) {ctx, 0, 0, A_NONE, label, NULL, help}

const keybind keys_table[] = {
    /* Global: first, so that Esc and ^C stop a run wherever the focus is. */
    C(CTX_GLOBAL, 0x1b, A_CANCEL, "Esc", NULL, "Cancel the run in progress"),
    C(CTX_GLOBAL, CTRL('c'), A_CANCEL, "^C", NULL, "Cancel the run in progress (in the editor otherwise: copy)"),
    K(CTX_GLOBAL, KEY_F(1), A_HELP, "F1", "Help", "This help"),
    K(CTX_GLOBAL, KEY_F(5), A_RUN, "F5", "Run", "Run the function with the test request and test settings"),
    C(CTX_GLOBAL, CTRL('r'), A_RUN, "^R", NULL, "Run (same as F5)"),
    C(CTX_GLOBAL, CTRL('s'), A_SAVE, "^S", "Save", "Save handler.js and function.json (a new function is configured first)"),
    K(CTX_GLOBAL, KEY_F(6), A_DEPLOY, "F6", "Deploy", "Save & Deploy: pick instances and deploy the new version to them"),
    C(CTX_GLOBAL, '\t', A_FOCUS_NEXT, "Tab", "Pane", "Focus the next pane"),
    K(CTX_GLOBAL, KEY_BTAB, A_FOCUS_PREV, "S-Tab", NULL, "Focus the previous pane"),
    K(CTX_GLOBAL, KEY_F(2), A_GO_CODE, "F2", NULL, "Code: the editor of handler.js"),
    K(CTX_GLOBAL, KEY_F(3), A_GO_TEST, "F3", NULL, "Test: the request to run"),
    K(CTX_GLOBAL, KEY_F(4), A_GO_SETTINGS, "F4", NULL, "Settings: declarations and test values"),
    K(CTX_GLOBAL, KEY_F(7), A_GO_CAPTURES, "F7", NULL, "Captures: requests sent to the webhook URL"),
    K(CTX_GLOBAL, KEY_F(8), A_GO_ERRORS, "F8", NULL, "Errors of the deployed instances"),
    K(CTX_GLOBAL, KEY_F(9), A_GO_OUTPUT, "F9", NULL, "Output of the last run"),
    K(CTX_GLOBAL, KEY_F(12), A_ZOOM, "F12", NULL, "Zoom: the focused pane fills the screen (again: back)"),
    C(CTX_GLOBAL, CTRL('w'), A_AUTOFILL, "^W", NULL, "Auto-fill via Webhook on/off: the newest capture fills the test request"),
    C(CTX_GLOBAL, CTRL('e'), A_JUMP_ERROR, "^E", NULL, "Go to the line of the last error"),
    C(CTX_GLOBAL, CTRL('o'), A_CATALOG, "^O", NULL, "Open another function (the catalog)"),
    K(CTX_GLOBAL, KEY_F(10), A_QUIT, "F10", "Quit", "Quit (asks when there are unsaved changes)"),
    C(CTX_GLOBAL, CTRL('q'), A_QUIT, "^Q", NULL, "Quit (same as F10)"),
    /* After Quit: a narrow bar drops this name rather than Quit's. ^P first,
     * as many terminals keep F11 for their own full screen. */
    C(CTX_GLOBAL, CTRL('p'), A_EXAMPLES, "^P", "Examples",
      "Check the examples: run each one (examples/, fixtures/) against the code in the editor, "
      "unsaved or not, and show PASS or FAIL with what differs, as srcfn test does"),
    K(CTX_GLOBAL, KEY_F(11), A_EXAMPLES, "F11", NULL, "Check the examples (same as ^P)"),

    /* The editor of handler.js. */
    C(CTX_EDITOR, CTRL('f'), A_ED_FIND, "^F", "Find", "Find text"),
    C(CTX_EDITOR, CTRL('n'), A_ED_FIND_NEXT, "^N", NULL, "Find the next match"),
    C(CTX_EDITOR, CTRL('g'), A_ED_GOTO, "^G", "Line", "Go to a line"),
    C(CTX_EDITOR, CTRL('z'), A_ED_UNDO, "^Z", "Undo", "Undo"),
    C(CTX_EDITOR, CTRL('y'), A_ED_REDO, "^Y", NULL, "Redo"),
    C(CTX_EDITOR, CTRL('x'), A_ED_CUT, "^X", NULL, "Cut the selection"),
    C(CTX_EDITOR, CTRL('c'), A_ED_COPY, "^C", NULL, "Copy the selection (also to the terminal's clipboard)"),
    C(CTX_EDITOR, CTRL('v'), A_ED_PASTE, "^V", NULL, "Paste"),
    C(CTX_EDITOR, CTRL('a'), A_ED_SELECT_ALL, "^A", NULL, "Select all"),
    DOC(CTX_EDITOR, "Arrows PgUp PgDn", "Move by character, line and page"),
    DOC(CTX_EDITOR, "Home End", "Start and end of the line"),
    DOC(CTX_EDITOR, "^Left ^Right", "Move by word"),
    DOC(CTX_EDITOR, "^Home ^End", "Start and end of the file"),
    DOC(CTX_EDITOR, "Shift+move", "Select while moving"),
    DOC(CTX_EDITOR, "Enter", "New line, indented as the one above"),

    /* The test request. */
    C(CTX_TEST, CTRL('t'), A_REQ_FORMAT, "^T", "JSON/form", "Switch the body between JSON and form-urlencoded"),
    C(CTX_TEST, CTRL('l'), A_REQ_LOAD, "^L", "Load", "Load the request from an example or a capture"),
    C(CTX_TEST, CTRL('k'), A_REQ_SAVE_EXAMPLE, "^K", "Keep", "Keep the request as an example (examples/NAME.json)"),
    DOC(CTX_TEST, "Up Down", "Move between method, URL, headers and body"),
    DOC(CTX_TEST, "Space Left Right", "Change the method (on the method)"),
    DOC(CTX_TEST, "(headers)", "One \"Name: value\" per line, then an empty line, then the body"),

    /* Settings. */
    C(CTX_SETTINGS, 'a', A_SET_ADD, "a", "Add", "Add a setting"),
    C(CTX_SETTINGS, '\n', A_SET_EDIT, "Enter", "Edit", "Edit the setting's declaration"),
    C(CTX_SETTINGS, 'e', A_SET_EDIT, "e", NULL, "Edit the setting's declaration"),
    C(CTX_SETTINGS, 'v', A_SET_VALUE, "v", "Value", "Enter the setting's test value"),
    C(CTX_SETTINGS, ' ', A_SET_VALUE, "Space", NULL, "Enter the test value (a boolean flips)"),
    C(CTX_SETTINGS, 'd', A_SET_DELETE, "d", "Delete", "Delete the setting"),
    K(CTX_SETTINGS, KEY_DC, A_SET_DELETE, "Del", NULL, "Delete the setting"),
    C(CTX_SETTINGS, 'c', A_SET_CONFIGURE, "c", "Configure", "Configure: display name and description"),

    /* Captures. */
    C(CTX_CAPTURES, '\n', A_OPEN, "Enter", "Load", "Load the capture into the test request"),
    C(CTX_CAPTURES, 'r', A_CAP_REPLAY, "r", "Replay", "Replay: load the capture and run"),
    C(CTX_CAPTURES, 'a', A_AUTOFILL, "a", "Auto-fill", "Auto-fill on/off"),
    C(CTX_CAPTURES, 'c', A_CAP_COPY_URL, "c", "Copy URL", "Copy the webhook URL (OSC 52 clipboard)"),

    /* Errors. */
    C(CTX_ERRORS, '\n', A_OPEN, "Enter", "Load", "Load the failed request into the test request"),
    C(CTX_ERRORS, 'r', A_ERR_REPRODUCE, "r", "Reproduce", "Reproduce: load the request and run"),
    C(CTX_ERRORS, 'g', A_ERR_REFRESH, "g", "Refresh", "Read the error log again"),

    /* Output: the list keys scroll it. */
    DOC(CTX_OUTPUT, "Up Down PgUp PgDn", "Scroll the output"),

    /* The catalog (start screen). */
    C(CTX_CATALOG, '\n', A_OPEN, "Enter", "Open", "Open the function (or start a new one)"),
    C(CTX_CATALOG, 'n', A_CAT_NEW, "n", "New", "New function from a template"),
    C(CTX_CATALOG, 'q', A_QUIT, "q", NULL, "Quit"),

    /* Lists: settings, captures, errors, output, catalog, help. */
    K(CTX_LIST, KEY_UP, A_UP, "Up", NULL, "Previous row"),
    C(CTX_LIST, 'k', A_UP, "k", NULL, "Previous row"),
    K(CTX_LIST, KEY_DOWN, A_DOWN, "Down", NULL, "Next row"),
    C(CTX_LIST, 'j', A_DOWN, "j", NULL, "Next row"),
    K(CTX_LIST, KEY_PPAGE, A_PAGE_UP, "PgUp", NULL, "Page up"),
    K(CTX_LIST, KEY_NPAGE, A_PAGE_DOWN, "PgDn", NULL, "Page down"),
    K(CTX_LIST, KEY_HOME, A_HOME, "Home", NULL, "First row"),
    K(CTX_LIST, KEY_END, A_END, "End", NULL, "Last row"),
    DOC(CTX_LIST, "Mouse", "A click selects a pane, a tab or a row; a double click opens the row"),

    /* The help screen (the list keys scroll it). */
    C(CTX_HELP, 0x1b, A_DLG_CANCEL, "Esc", "Close", "Close the help screen"),
    C(CTX_HELP, 'q', A_DLG_CANCEL, "q", NULL, "Close the help screen"),
    K(CTX_HELP, KEY_F(1), A_DLG_CANCEL, "F1", NULL, "Close the help screen"),

    /* Dialogs. */
    C(CTX_DIALOG, '\n', A_DLG_OK, "Enter", "OK", "Confirm (on a button: press it)"),
    C(CTX_DIALOG, 0x1b, A_DLG_CANCEL, "Esc", "Cancel", "Cancel"),
    C(CTX_DIALOG, '\t', A_DLG_NEXT, "Tab", "Next", "Next field or button"),
    K(CTX_DIALOG, KEY_DOWN, A_DLG_NEXT, "Down", NULL, "Next field, row or button"),
    K(CTX_DIALOG, KEY_BTAB, A_DLG_PREV, "S-Tab", NULL, "Previous field or button"),
    K(CTX_DIALOG, KEY_UP, A_DLG_PREV, "Up", NULL, "Previous field, row or button"),
    C(CTX_DIALOG, ' ', A_DLG_TOGGLE, "Space", "Toggle", "Tick a box, change a choice"),
    K(CTX_DIALOG, KEY_LEFT, A_DLG_LEFT, "Left", NULL, "Previous choice or button"),
    K(CTX_DIALOG, KEY_RIGHT, A_DLG_RIGHT, "Right", NULL, "Next choice or button"),
};

const unsigned keys_count = sizeof keys_table / sizeof keys_table[0];

static const char *const ctx_titles[CTX_COUNT] = {
    [CTX_GLOBAL] = "Everywhere",
    [CTX_EDITOR] = "Code (the editor)",
    [CTX_TEST] = "Test request",
    [CTX_SETTINGS] = "Settings",
    [CTX_CAPTURES] = "Captures (Auto-fill via Webhook)",
    [CTX_ERRORS] = "Errors of deployed instances",
    [CTX_OUTPUT] = "Output",
    [CTX_CATALOG] = "Catalog (start screen)",
    [CTX_DIALOG] = "Dialogs",
    [CTX_LIST] = "Lists (and the help screen)",
    [CTX_HELP] = "The help screen",
};

const char *keys_ctx_title(key_ctx ctx)
{
    return ctx < CTX_COUNT ? ctx_titles[ctx] : "";
}

const keybind *keys_find(key_ctx ctx, int is_key, unsigned key, unsigned *pos)
{
    for (unsigned i = *pos; i < keys_count; i++) {
        const keybind *b = &keys_table[i];
        if (b->ctx == ctx && b->key != 0 && b->key == key && b->is_key == is_key) {
            *pos = i + 1;
            return b;
        }
    }
    *pos = keys_count;
    return NULL;
}

unsigned keys_code(const char *name)
{
    for (int code = KEY_MAX + 1; code < KEY_MAX + 512; code++) {
        const char *n = keyname(code);
        if (n && strcmp(n, name) == 0)
            return (unsigned)code;
    }
    return 0;
}
