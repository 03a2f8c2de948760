/*
 * keys: every key binding of the studio, in one table (keys.c): the key, the
 * context where it applies, the action it triggers, its name in the bottom
 * bar and its line in the F1 help screen. The dispatcher, the bottom bar and
 * the help screen all read that table; no other file binds a key.
 *
 * Invariants: the global bindings are looked up first, then the focused
 * context's, then the list keys, each in table order; an action handler may
 * decline (Esc cancels only while a run is in progress, say), and then the
 * next match, and finally the focused pane's plain key handling, get the
 * key. So a context never reuses a global key. Rows with key 0 only document
 * keys a widget handles itself (typing, arrows).
 */
#ifndef SRCFN_TUI_KEYS_H
#define SRCFN_TUI_KEYS_H

typedef enum key_ctx {
    CTX_GLOBAL,
    CTX_EDITOR,
    CTX_TEST,
    CTX_SETTINGS,
    CTX_CAPTURES,
    CTX_ERRORS,
    CTX_OUTPUT,
    CTX_CATALOG,
    CTX_DIALOG,
    CTX_LIST,
    CTX_HELP,
    CTX_COUNT
} key_ctx;

typedef enum action {
    A_NONE,
    /* global */
    A_CANCEL, A_HELP, A_RUN, A_SAVE, A_DEPLOY, A_QUIT, A_FOCUS_NEXT, A_FOCUS_PREV,
    A_GO_CODE, A_GO_TEST, A_GO_SETTINGS, A_GO_CAPTURES, A_GO_ERRORS, A_GO_OUTPUT,
    A_ZOOM, A_AUTOFILL, A_JUMP_ERROR, A_CATALOG, A_EXAMPLES,
    /* editor */
    A_ED_FIND, A_ED_FIND_NEXT, A_ED_GOTO, A_ED_UNDO, A_ED_REDO, A_ED_CUT, A_ED_COPY, A_ED_PASTE,
    A_ED_SELECT_ALL,
    /* test pane */
    A_REQ_FORMAT, A_REQ_LOAD, A_REQ_SAVE_EXAMPLE, A_REQ_PREV_FIELD, A_REQ_NEXT_FIELD,
    /* lists (settings, captures, errors, output, catalog, dialogs) */
    A_UP, A_DOWN, A_PAGE_UP, A_PAGE_DOWN, A_HOME, A_END, A_OPEN,
    /* settings */
    A_SET_ADD, A_SET_EDIT, A_SET_DELETE, A_SET_VALUE, A_SET_CONFIGURE,
    /* captures and errors */
    A_CAP_REPLAY, A_CAP_COPY_URL, A_ERR_REPRODUCE, A_ERR_REFRESH,
    /* catalog */
    A_CAT_NEW,
    /* dialogs */
    A_DLG_OK, A_DLG_CANCEL, A_DLG_NEXT, A_DLG_PREV, A_DLG_TOGGLE, A_DLG_LEFT, A_DLG_RIGHT,
    A_COUNT
} action;

typedef struct keybind {
    key_ctx ctx;
    int is_key;           /* key is a KEY_* code (else a character) */
    unsigned key;         /* 0: a documentation row */
    action act;
    const char *label;    /* the key as shown: "F5", "^R" */
    const char *bar;      /* its name in the bottom bar, NULL: not there */
    const char *help;     /* its line in the help screen */
} keybind;

extern const keybind keys_table[];
extern const unsigned keys_count;

/* Context names, for the help screen's headings. */
const char *keys_ctx_title(key_ctx ctx);

/* The next binding of (is_key, key) in ctx at or after *pos (a table
 * index, advanced past the match); NULL when there is none. */
const keybind *keys_find(key_ctx ctx, int is_key, unsigned key, unsigned *pos);

/* Terminal-specific key codes (Ctrl+arrows and the like) known by name:
 * the code of the terminfo name ("kLFT5"), or 0. */
unsigned keys_code(const char *name);

#endif
