/*
 * studio: the terminal studio's shared state and the interfaces between its
 * parts. Like htop or tmux it is built from panels, each a small "class" in
 * its own file: a struct of data plus a table of functions (pane_ops: draw,
 * key, mouse, focus). screen.c owns the curses session, the layout, focus,
 * resizing, the event loop and the bars; actions.c holds what the keys of
 * keys.c trigger (run, save, deploy, quit…); model.c reads and writes the
 * function on disk; dialog.c the modal prompts; catalog.c the start screen.
 *
 * Invariants:
 * - Only the studio thread touches curses and this struct. The runner's
 *   worker and the capture listener's threads only write a byte to
 *   wake_fd[1] (and the listener sets cap_newest under cap_lock).
 * - The function's text lives in `ed` (and the test request in the test
 *   pane's own editor); a resize, a run or a dialog never replaces them.
 * - `manifest` is function.json as edited; saved_manifest and saved_code are
 *   what is on disk, so "unsaved" is a comparison, never a guess.
 */
#ifndef SRCFN_TUI_STUDIO_H
#define SRCFN_TUI_STUDIO_H

#include <jansson.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "tui/editor.h"
#include "tui/keys.h"
#include "tui/runner.h"
#include "webhook/capture.h"

/* jansson's setters fail only when memory runs out (or on a key that is not
 * UTF-8, which the studio never makes): then the studio stops, as the rest of
 * srcfn does on out-of-memory. */
static inline void json_must(int rc)
{
    if (rc != 0)
        abort();
}

typedef struct studio studio;
typedef struct pane pane;
typedef struct dialog dialog;

/* --- panes ------------------------------------------------------------------------- */

typedef struct pane_ops {
    const char *title;
    key_ctx ctx;
    int is_list;          /* the list keys (CTX_LIST) apply */
    /* Draws the inside of the pane (p->y, p->x, p->h, p->w). */
    void (*draw)(pane *p, int focused);
    /* An action from the key table (act != A_NONE), or a plain key that no
     * binding took (act == A_NONE). Returns 1 when used. */
    int (*key)(pane *p, action act, int is_key, unsigned key);
    /* A click at (row, col) inside the pane; dbl for a double click. */
    void (*mouse)(pane *p, int row, int col, int dbl);
    void (*focus)(pane *p, int gained);
    /* Text pasted by the terminal (bracketed paste), whole; NULL: typed. */
    void (*paste)(pane *p, const char *text, size_t len);
    void (*free)(pane *p);
} pane_ops;

struct pane {
    const pane_ops *ops;
    studio *s;
    void *self;
    int y, x, h, w;       /* inside the border */
    int visible;
};

typedef enum pane_id { P_EDITOR, P_TEST, P_SETTINGS, P_CAPTURES, P_ERRORS, P_OUTPUT, P_COUNT } pane_id;

/* A pane of the given class with a zeroed self of self_size bytes (screen.c). */
pane *pane_new(studio *s, const pane_ops *ops, size_t self_size);

pane *pane_editor_new(studio *s);
pane *pane_request_new(studio *s);
pane *pane_settings_new(studio *s);
pane *pane_captures_new(studio *s);
pane *pane_errors_new(studio *s);
pane *pane_output_new(studio *s);

/* --- the studio ------------------------------------------------------------------------ */

typedef enum studio_mode { MODE_CATALOG, MODE_STUDIO } studio_mode;

typedef struct studio_options {
    const char *name;     /* function to open, or NULL: the catalog */
    int port;             /* capture listener port; 0: any free one */
} studio_options;

struct studio {
    studio_options opt;
    studio_mode mode;
    char *root;           /* the workspace */
    sqlite3 *db;

    /* the function */
    char *name;           /* NULL: a new function not configured yet */
    char *dir;            /* ROOT/NAME, or NULL */
    char *template_dir;   /* what a new function starts from */
    editor *ed;
    json_t *manifest;
    json_t *saved_manifest;
    char *saved_code;
    int forced_dirty;     /* recovered text not saved yet */
    json_t *test_settings;   /* test values: name -> value */

    /* panes and layout */
    pane *panes[P_COUNT];
    pane_id focus;
    pane_id tab;          /* which of test/settings/captures/errors shows */
    int zoom;
    int tab_x[4], tab_w[4], tab_y;   /* where the tab labels were drawn */

    /* running */
    runner *run;
    int running;          /* a run or an examples check is in progress */
    int running_examples; /* it is an examples check */
    int cancel_asked;
    int64_t run_started;
    json_t *result;       /* the last run's result document, when the output shows it */
    json_t *examples;     /* the last examples check, when the output shows it */
    long error_line;      /* 1-based line of the last error, 0: none */
    int error_from_check;
    json_t *check_error;  /* the code does not load: why */
    int check_pending;

    /* Auto-fill via Webhook */
    capture *cap;
    char *cap_function;   /* what the listener captures for */
    int port;
    char url[80];
    int autofill;
    pthread_mutex_t cap_lock;
    long long cap_newest; /* under cap_lock, set by the listener */
    long long cap_seen;
    json_t *captures;

    /* dialogs and overlays */
    dialog *dlg;
    int help_open;
    int help_scroll;

    /* status line */
    char status[512];
    int status_role;
    int64_t status_at;

    /* the loop */
    int wake_fd[2];
    int quit;
    unsigned tick;
    int64_t last_edit;
    int recover_pending;
    void *catalog;
    char *clipboard;
    char *find_text;
    char *paste;          /* bracketed paste in progress: the text so far */
    size_t paste_len, paste_cap;
    FILE *trace;
    int first_frame_done;
    int trace_output;     /* write "output" to the trace after the next frame */
};

/* screen.c */
int studio_main(const studio_options *opt);
void studio_status(studio *s, int role, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void studio_focus(studio *s, pane_id id);
void studio_trace(studio *s, const char *event);
void studio_wake(studio *s);

/* actions.c: what the bindings of keys.c do. Returns 1 when it applied. */
int studio_action(studio *s, action act);
void studio_run(studio *s);
void studio_examples(studio *s);
void studio_open_function(studio *s, const char *name);
void studio_new_function(studio *s, const char *template_dir, const char *template_name);
void studio_close_function(studio *s);
void studio_on_result(studio *s, runner_kind kind, json_t *doc);
void studio_on_captures(studio *s);
void studio_tick(studio *s);
void studio_code_changed(studio *s);
void studio_show_catalog(studio *s);
void studio_configure(studio *s, int then_deploy);   /* name (new function), display name, description */

/* model.c: the function on disk. */
int model_dirty(studio *s);
int model_load(studio *s, const char *name, char **err);
int model_load_template(studio *s, const char *template_dir, char **err);
int model_save(studio *s, char **err);
void model_unload(studio *s);
char *model_recover_path(studio *s);
int model_write_recover(studio *s);
void model_remove_recover(studio *s);
void model_save_test_state(studio *s);
json_t *model_test_state(studio *s);
char **model_examples(studio *s);
int model_save_example(studio *s, const char *name, json_t *request, char **err);
json_t *model_settings_decl(studio *s);
int model_write_file(const char *path, const char *data, size_t len, int mode, char **err);
int model_create(studio *s, const char *name, const char *description, char **err);

/* pane-request.c: the test request. */
json_t *request_current(studio *s, char **err);   /* {method, url, headers, body} */
void request_load(studio *s, json_t *doc);        /* {method, url, headers, body: string | JSON} */
int request_load_capture(studio *s, long long id);
int request_load_example(studio *s, const char *path);  /* and its settings as test values */

/* pane-settings.c */
json_t *settings_problem(studio *s);              /* NULL when the test values satisfy the declaration */

/* pane-captures.c, pane-errors.c, pane-output.c */
void captures_reload(studio *s);
void errors_reload(studio *s);
int64_t errors_loaded_at(studio *s);
void output_show(studio *s, json_t *result);
void output_show_examples(studio *s, json_t *doc);   /* runner.h's examples result */
void output_clear(studio *s);

/* help.c */
void help_draw(studio *s);
int help_key(studio *s, action act);

#endif
