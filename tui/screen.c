/*
 * screen: the studio's screen manager and event loop. It owns the curses
 * session, the layout (title bar, the editor on the left, the tabbed
 * test/settings/captures/errors pane and the output on the right, the status
 * line, the bottom key bar), focus, resizing and the routing of keys and
 * mouse clicks to dialogs, the help screen, the catalog or the panes.
 *
 * The loop sleeps in ppoll on the terminal and on a self-pipe; the runner's
 * worker and the capture listener write a byte to the pipe when something is
 * ready, so a result or a capture shows at once, and keys are read without
 * blocking until none is left. SIGWINCH, SIGTERM and SIGHUP are blocked in
 * every thread and only let in during ppoll, on this thread.
 *
 * Invariants: every frame is drawn whole from the state (erase, draw,
 * doupdate), so a resize or an overlay never leaves stale cells; panes are
 * drawn unfocused first and the focused one last, then the dialog, so the
 * terminal cursor ends where the user types.
 */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tui/catalog.h"
#include "tui/dialog.h"
#include "tui/studio.h"
#include "tui/ui.h"
#include "workspace/store.h"
#include "workspace/workspace.h"
#include "util/clock.h"

#define TAB_COUNT 4
static const pane_id tab_panes[TAB_COUNT] = {P_TEST, P_SETTINGS, P_CAPTURES, P_ERRORS};
static const char *const tab_names[TAB_COUNT] = {"Test", "Settings", "Captures", "Errors"};

static volatile sig_atomic_t got_term;
static int signal_fd = -1;

void studio_trace(studio *s, const char *event)
{
    if (!s->trace)
        return;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    fprintf(s->trace, "%s %lld\n", event, (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
    fflush(s->trace);
}

void studio_wake(studio *s)
{
    char c = 1;
    ssize_t n = write(s->wake_fd[1], &c, 1);
    (void)n;   /* a full pipe already holds a wake-up */
}

void studio_status(studio *s, int role, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->status, sizeof s->status, fmt, ap);
    va_end(ap);
    s->status_role = role;
    s->status_at = mono_ms();
}

void studio_focus(studio *s, pane_id id)
{
    if (id == s->focus)
        return;
    pane *old = s->panes[s->focus], *p = s->panes[id];
    if (old && old->ops->focus)
        old->ops->focus(old, 0);
    s->focus = id;
    for (int i = 0; i < TAB_COUNT; i++) {
        if (tab_panes[i] == id)
            s->tab = id;
    }
    if (p && p->ops->focus)
        p->ops->focus(p, 1);
}

/* --- layout --------------------------------------------------------------------------- */

typedef struct rect {
    int y, x, h, w;
} rect;

static void place(pane *p, rect b, int visible)
{
    p->y = b.y + 1;
    p->x = b.x + 1;
    p->h = b.h - 2;
    p->w = b.w - 2;
    p->visible = visible && p->h > 0 && p->w > 0;
}

static int is_tab(pane_id id)
{
    return id == P_TEST || id == P_SETTINGS || id == P_CAPTURES || id == P_ERRORS;
}

/* Boxes of the editor, the tabbed pane and the output for the current size. */
static void layout(studio *s, rect *ed, rect *tabs, rect *out)
{
    int top = 1, main_h = LINES - 3;
    int left_w = COLS >= 120 ? COLS * 55 / 100 : COLS / 2 + 4;
    int tabs_h = main_h * 55 / 100;
    if (tabs_h < 8)
        tabs_h = main_h / 2;
    *ed = (rect){top, 0, main_h, left_w};
    *tabs = (rect){top, left_w, tabs_h, COLS - left_w};
    *out = (rect){top + tabs_h, left_w, main_h - tabs_h, COLS - left_w};
    if (s->zoom) {
        rect full = {top, 0, main_h, COLS};
        rect none = {0, 0, 0, 0};
        *ed = s->focus == P_EDITOR ? full : none;
        *tabs = is_tab(s->focus) ? full : none;
        *out = s->focus == P_OUTPUT ? full : none;
    }
    place(s->panes[P_EDITOR], *ed, ed->w > 0);
    for (int i = 0; i < TAB_COUNT; i++)
        place(s->panes[tab_panes[i]], *tabs, tabs->w > 0 && s->tab == tab_panes[i]);
    place(s->panes[P_OUTPUT], *out, out->w > 0);
}

/* --- drawing ---------------------------------------------------------------------------- */

static void draw_title(studio *s)
{
    attr_t a = ui_attr(UI_TITLE);
    ui_fill(0, 0, COLS, a);
    int x = ui_put(0, 0, COLS, a, " srcfn studio ");
    if (s->mode == MODE_STUDIO) {
        x += ui_printf(0, x, COLS - x, a | A_BOLD, "%s ", s->name ? s->name : "(new function)");
        if (model_dirty(s))
            x += ui_printf(0, x, COLS - x, a, "%s modified ", ui_glyph_text(G_DOT));
        if (s->cap)
            x += ui_printf(0, x, COLS - x, a, "%s webhook %s %s auto-fill %s ", ui_glyph_text(G_SEP), s->url,
                           ui_glyph_text(G_SEP), s->autofill ? "on" : "off");
    } else if (s->root) {
        ui_printf(0, x, COLS - x, a, "%s workspace %s", ui_glyph_text(G_SEP), s->root);
    }
}

static void draw_status(studio *s)
{
    int y = LINES - 2;
    ui_fill(y, 0, COLS, ui_attr(UI_NORMAL));
    if (s->running) {
        double secs = (double)(mono_ms() - s->run_started) / 1000.0;
        ui_printf(y, 1, COLS - 2, ui_attr(UI_ACCENT), "%s running%s %.1f s%s", ui_spinner(s->tick),
                  s->running_examples ? " the examples" : "", secs, s->cancel_asked ? " (cancelling)" : "   Esc or ^C cancels");
        return;
    }
    if (s->status[0]) {
        static const ui_role roles[] = {UI_NORMAL, UI_ERROR, UI_OK, UI_WARN};
        ui_put(y, 1, COLS - 2, ui_attr(roles[s->status_role & 3]), s->status);
    }
}

/* The key bar: the focused context's named keys, then the global ones. */
static void draw_bar(studio *s)
{
    int y = LINES - 1, x = 0;
    ui_fill(y, 0, COLS, ui_attr(UI_BAR_TEXT));
    key_ctx first = s->help_open ? CTX_HELP
                    : s->dlg     ? CTX_DIALOG
                    : s->mode == MODE_CATALOG ? CTX_CATALOG
                                              : s->panes[s->focus]->ops->ctx;
    key_ctx order[2] = {first, CTX_GLOBAL};
    int n_ctx = s->help_open || s->dlg ? 1 : 2;
    for (int c = 0; c < n_ctx; c++) {
        for (unsigned i = 0; i < keys_count && x < COLS; i++) {
            const keybind *b = &keys_table[i];
            if (b->ctx != order[c] || !b->bar)
                continue;
            if (s->mode == MODE_CATALOG && b->ctx == CTX_GLOBAL && b->act != A_HELP && b->act != A_QUIT)
                continue;
            int need = ui_width(b->label, strlen(b->label)) + ui_width(b->bar, strlen(b->bar)) + 2;
            if (x + need > COLS)
                return;
            x += ui_put(y, x, COLS - x, ui_attr(UI_BAR_KEY), b->label);
            x += ui_printf(y, x, COLS - x, ui_attr(UI_BAR_TEXT), " %s ", b->bar);
        }
    }
}

static void tab_label(studio *s, int i, int roomy, char *buf, size_t size)
{
    size_t n = json_array_size(s->captures);
    if (tab_panes[i] == P_CAPTURES && n > 0)
        snprintf(buf, size, roomy ? " %s %zu " : "%s %zu", tab_names[i], n);
    else
        snprintf(buf, size, roomy ? " %s " : "%s", tab_names[i]);
}

/* The tab labels in the top border; without their padding when room is short. */
static void draw_tabs(studio *s, rect b)
{
    char label[48];
    int total = 0;
    for (int i = 0; i < TAB_COUNT; i++) {
        tab_label(s, i, 1, label, sizeof label);
        total += ui_width(label, strlen(label)) + 1;
    }
    int roomy = total <= b.w - 3;
    int x = b.x + (roomy ? 2 : 1);
    s->tab_y = b.y;
    for (int i = 0; i < TAB_COUNT; i++) {
        int active = s->tab == tab_panes[i];
        int focused = active && s->focus == tab_panes[i];
        attr_t a = focused ? ui_attr(UI_SELECT) : active ? ui_attr(UI_FOCUS) : ui_attr(UI_TAB);
        s->tab_x[i] = x;
        tab_label(s, i, roomy, label, sizeof label);
        int w = ui_put(b.y, x, b.x + b.w - 1 - x, a, label);
        s->tab_w[i] = w;
        x += w + 1;
    }
}

static void draw_box(studio *s, rect b, pane_id id, const char *title)
{
    if (b.w <= 0)
        return;
    int focused = s->focus == id || (is_tab(id) && is_tab(s->focus));
    ui_box(b.y, b.x, b.h, b.w, focused ? ui_attr(UI_FOCUS) : ui_attr(UI_BORDER));
    if (title)
        ui_printf(b.y, b.x + 2, b.w - 4, s->focus == id ? ui_attr(UI_SELECT) : ui_attr(UI_FOCUS), " %s ", title);
}

static void editor_title(studio *s, char *buf, size_t size)
{
    size_t line = 0, col = 0;
    editor_cursor(s->ed, &line, &col);
    int n = snprintf(buf, size, "handler.js%s  %zu:%zu", editor_dirty(s->ed) || s->forced_dirty ? " *" : "",
                     line + 1, col + 1);
    if (n > 0 && (size_t)n < size && s->check_error) {
        json_t *l = json_object_get(s->check_error, "line");
        if (json_is_integer(l))
            snprintf(buf + n, size - (size_t)n, "  %s line %lld", ui_glyph_text(G_FAIL),
                     (long long)json_integer_value(l));
        else
            snprintf(buf + n, size - (size_t)n, "  %s does not load", ui_glyph_text(G_FAIL));
    } else if (n > 0 && (size_t)n < size && s->error_line > 0) {
        snprintf(buf + n, size - (size_t)n, "  %s error line %ld (^E)", ui_glyph_text(G_FAIL), s->error_line);
    }
}

/* "Examples ✓ 4 passed", "Examples ✗ 1 of 4 failed" or "Examples: none ran". */
static void examples_title(studio *s, char *buf, size_t size)
{
    json_int_t passed = json_integer_value(json_object_get(s->examples, "passed"));
    json_int_t failed = json_integer_value(json_object_get(s->examples, "failed"));
    if (failed > 0)
        snprintf(buf, size, "Examples %s %lld of %lld failed", ui_glyph_text(G_FAIL), (long long)failed,
                 (long long)(passed + failed));
    else if (passed > 0)
        snprintf(buf, size, "Examples %s %lld passed", ui_glyph_text(G_OK), (long long)passed);
    else
        snprintf(buf, size, "Examples: none ran");
}

static void output_title(studio *s, char *buf, size_t size)
{
    if (s->examples) {
        examples_title(s, buf, size);
        return;
    }
    if (!s->result) {
        snprintf(buf, size, "Output");
        return;
    }
    json_t *err = json_object_get(s->result, "error");
    double ms = json_number_value(json_object_get(s->result, "durationMs"));
    if (json_is_null(err))
        snprintf(buf, size, "Output %s ok %.1f ms", ui_glyph_text(G_OK), ms);
    else
        snprintf(buf, size, "Output %s %s %.1f ms", ui_glyph_text(G_FAIL),
                 json_string_value(json_object_get(err, "type")), ms);
}

static void draw_studio(studio *s)
{
    rect ed, tabs, out;
    layout(s, &ed, &tabs, &out);
    char title[160];
    editor_title(s, title, sizeof title);
    draw_box(s, ed, P_EDITOR, title);
    if (tabs.w > 0) {
        draw_box(s, tabs, s->tab, NULL);
        draw_tabs(s, tabs);
    }
    output_title(s, title, sizeof title);
    draw_box(s, out, P_OUTPUT, title);
    curs_set(0);
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < P_COUNT; i++) {
            pane *p = s->panes[i];
            int focused = (pane_id)i == s->focus;
            if (p->visible && focused == pass)
                p->ops->draw(p, focused && !s->dlg && !s->help_open);
        }
    }
}

static int too_small(void)
{
    return LINES < 16 || COLS < 60;
}

static void draw(studio *s)
{
    erase();
    if (too_small()) {
        curs_set(0);
        ui_put(0, 0, COLS, ui_attr(UI_WARN), "The terminal is too small for the studio (60x16 at least).");
        ui_put(1, 0, COLS, ui_attr(UI_NORMAL), "Make it larger; nothing is lost.");
        refresh();
        return;
    }
    draw_title(s);
    draw_status(s);
    draw_bar(s);
    if (s->mode == MODE_STUDIO)
        draw_studio(s);
    else
        catalog_draw(s);
    if (s->help_open)
        help_draw(s);
    else if (s->dlg)
        dialog_draw(s);
    refresh();
    if (!s->first_frame_done && s->mode == MODE_STUDIO) {
        s->first_frame_done = 1;
        studio_trace(s, "frame");
    }
    if (s->trace_output) {
        s->trace_output = 0;
        studio_trace(s, "output");
    }
}

/* --- keys -------------------------------------------------------------------------------------- */

static int pane_takes(studio *s, const keybind *b, int is_key, unsigned key)
{
    if (b->ctx == CTX_GLOBAL)
        return studio_action(s, b->act);
    pane *p = s->panes[s->focus];
    return p->ops->key(p, b->act, is_key, key);
}

static void studio_key(studio *s, int is_key, unsigned key)
{
    pane *p = s->panes[s->focus];
    key_ctx order[3] = {CTX_GLOBAL, p->ops->ctx, CTX_LIST};
    int n = p->ops->is_list ? 3 : 2;
    for (int c = 0; c < n; c++) {
        unsigned pos = 0;
        const keybind *b;
        while ((b = keys_find(order[c], is_key, key, &pos)) != NULL) {
            if (pane_takes(s, b, is_key, key))
                return;
        }
    }
    p->ops->key(p, A_NONE, is_key, key);
}

static const keybind *first_match(const key_ctx *ctxs, int n, int is_key, unsigned key)
{
    for (int c = 0; c < n; c++) {
        unsigned pos = 0;
        const keybind *b = keys_find(ctxs[c], is_key, key, &pos);
        if (b)
            return b;
    }
    return NULL;
}

static void dispatch(studio *s, int is_key, unsigned key)
{
    if (!is_key && key == '\r')
        key = '\n';
    if (is_key && key == KEY_ENTER) {
        is_key = 0;
        key = '\n';
    }
    if (s->help_open) {
        static const key_ctx ctxs[] = {CTX_HELP, CTX_LIST};
        const keybind *b = first_match(ctxs, 2, is_key, key);
        if (b)
            help_key(s, b->act);
        return;
    }
    if (s->dlg) {
        static const key_ctx ctxs[] = {CTX_DIALOG, CTX_LIST};
        const keybind *b = first_match(ctxs, is_key ? 2 : 1, is_key, key);
        if (!is_key && key == 0x03)
            b = first_match(ctxs, 1, 0, 0x1b);   /* ^C closes a dialog as Esc does */
        dialog_key(s, b ? b->act : A_NONE, is_key, key);
        return;
    }
    if (s->mode == MODE_CATALOG) {
        static const key_ctx ctxs[] = {CTX_CATALOG, CTX_LIST, CTX_GLOBAL};
        const keybind *b = first_match(ctxs, 3, is_key, key);
        if (b && (b->act == A_HELP || b->act == A_QUIT))
            studio_action(s, b->act);
        else if (b)
            catalog_key(s, b->act);
        return;
    }
    studio_key(s, is_key, key);
}

/* --- mouse ---------------------------------------------------------------------------------------- */

static int inside(const pane *p, int y, int x)
{
    return p->visible && y >= p->y - 1 && y <= p->y + p->h && x >= p->x - 1 && x <= p->x + p->w;
}

static void studio_mouse(studio *s, int y, int x, mmask_t state)
{
    int dbl = (state & BUTTON1_DOUBLE_CLICKED) != 0;
    if (y == s->tab_y) {
        for (int i = 0; i < TAB_COUNT; i++) {
            if (s->panes[tab_panes[i]]->visible || is_tab(s->focus) || !s->zoom) {
                if (x >= s->tab_x[i] && x < s->tab_x[i] + s->tab_w[i] && s->tab_w[i] > 0 &&
                    s->panes[P_TEST]->x - 1 <= x) {
                    s->tab = tab_panes[i];
                    studio_focus(s, tab_panes[i]);
                    return;
                }
            }
        }
    }
    for (int i = 0; i < P_COUNT; i++) {
        pane *p = s->panes[i];
        if (!inside(p, y, x))
            continue;
        studio_focus(s, (pane_id)i);
        if (state & BUTTON4_PRESSED)
            for (int k = 0; k < 3; k++)
                p->ops->key(p, A_UP, 1, KEY_UP);
        else if (state & BUTTON5_PRESSED)
            for (int k = 0; k < 3; k++)
                p->ops->key(p, A_DOWN, 1, KEY_DOWN);
        else if (p->ops->mouse && y >= p->y && y < p->y + p->h && x >= p->x && x < p->x + p->w)
            p->ops->mouse(p, y - p->y, x - p->x, dbl);
        return;
    }
}

/* A press within DOUBLE_CLICK_MS of the last one, at the same cell, is a double click. */
#define DOUBLE_CLICK_MS 400

static void on_mouse(studio *s)
{
    static int64_t last_at;
    static int last_y = -1, last_x = -1;
    MEVENT ev;
    if (getmouse(&ev) != OK)
        return;
    if (ev.bstate & BUTTON1_PRESSED) {
        int64_t now = mono_ms();
        if (now - last_at < DOUBLE_CLICK_MS && ev.y == last_y && ev.x == last_x) {
            ev.bstate |= BUTTON1_DOUBLE_CLICKED;
            last_at = 0;
        } else {
            last_at = now;
        }
        last_y = ev.y;
        last_x = ev.x;
    }
    mmask_t clicks = BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED;
#ifdef BUTTON5_PRESSED
    clicks |= BUTTON5_PRESSED;
#endif
    if (!(ev.bstate & clicks))
        return;
    if (s->help_open) {
        s->help_open = 0;
        return;
    }
    if (s->dlg) {
        if (ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_DOUBLE_CLICKED))
            dialog_mouse(s, ev.y, ev.x, (ev.bstate & BUTTON1_DOUBLE_CLICKED) != 0);
        return;
    }
    if (s->mode == MODE_CATALOG)
        catalog_mouse(s, ev.y, ev.x, (ev.bstate & BUTTON1_DOUBLE_CLICKED) != 0);
    else
        studio_mouse(s, ev.y, ev.x, ev.bstate);
}

/* --- the loop ------------------------------------------------------------------------------------------ */

static void on_signal(int sig)
{
    got_term = sig;
    if (signal_fd >= 0) {
        char c = 2;
        ssize_t n = write(signal_fd, &c, 1);
        (void)n;
    }
}

/* --- bracketed paste ----------------------------------------------------------------------------------- */

/* Codes for the terminal's paste brackets (ESC [200~ and ESC [201~). */
#define KEY_PASTE_START (KEY_MAX + 1)
#define KEY_PASTE_END (KEY_MAX + 2)

/* Writes a control sequence straight to the terminal; one that does not
 * understand it ignores it, so a failed write changes nothing either. */
static void term_write(const char *seq)
{
    size_t n = strlen(seq);
    if (write(STDOUT_FILENO, seq, n) != (ssize_t)n)
        return;
}

static void paste_begin(studio *s)
{
    free(s->paste);
    s->paste_cap = 256;
    s->paste_len = 0;
    s->paste = malloc(s->paste_cap);
    if (!s->paste)
        abort();
    s->paste[0] = '\0';
}

static void paste_add(studio *s, unsigned ch)
{
    char buf[8];
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t n = ch == '\r' ? 1 : wcrtomb(buf, (wchar_t)ch, &st);
    if (ch == '\r')
        buf[0] = '\n';
    if (n == (size_t)-1)
        return;
    if (s->paste_len + n + 1 > s->paste_cap) {
        s->paste_cap = (s->paste_len + n + 1) * 2;
        s->paste = realloc(s->paste, s->paste_cap);
        if (!s->paste)
            abort();
    }
    memcpy(s->paste + s->paste_len, buf, n);
    s->paste_len += n;
    s->paste[s->paste_len] = '\0';
}

/* The whole pasted text goes to a dialog's field or to the focused pane at once,
 * so the editor inserts it as it is (no auto-indent per line, one undo step). */
static void paste_end(studio *s)
{
    char *text = s->paste ? s->paste : "";
    size_t len = s->paste_len;
    if (s->dlg) {
        for (size_t i = 0; i < len;) {   /* a field takes it typed, one line */
            wchar_t wc;
            mbstate_t st;
            memset(&st, 0, sizeof st);
            size_t n = mbrtowc(&wc, text + i, len - i, &st);
            if (n == (size_t)-1 || n == (size_t)-2 || n == 0)
                n = 1, wc = L'?';
            dispatch(s, 0, wc == L'\n' ? ' ' : (unsigned)wc);
            i += n;
        }
    } else if (s->mode == MODE_STUDIO && !s->help_open) {
        pane *p = s->panes[s->focus];
        if (p->ops->paste)
            p->ops->paste(p, text, len);
    }
    free(s->paste);
    s->paste = NULL;
    s->paste_len = s->paste_cap = 0;
}

static int read_keys(studio *s)
{
    int any = 0;
    wint_t ch;
    int rc;
    while ((rc = wget_wch(stdscr, &ch)) != ERR) {
        any = 1;
        if (rc == KEY_CODE_YES && ch == KEY_RESIZE)
            continue;   /* the next frame is drawn for the new size */
        if (rc == KEY_CODE_YES && ch == KEY_PASTE_START) {
            paste_begin(s);
            continue;
        }
        if (rc == KEY_CODE_YES && ch == KEY_PASTE_END) {
            paste_end(s);
            continue;
        }
        if (s->paste && rc != KEY_CODE_YES) {
            paste_add(s, (unsigned)ch);
            continue;
        }
        if (rc == KEY_CODE_YES && ch == KEY_MOUSE)
            on_mouse(s);
        else
            dispatch(s, rc == KEY_CODE_YES, (unsigned)ch);
        if (s->quit)
            break;
    }
    return any;
}

static void drain_wake(studio *s)
{
    char buf[64];
    while (read(s->wake_fd[0], buf, sizeof buf) > 0)
        ;
    runner_kind kind;
    json_t *doc;
    while (s->run && (doc = runner_take(s->run, &kind)) != NULL)
        studio_on_result(s, kind, doc);
    studio_on_captures(s);
}

static int next_timeout(studio *s)
{
    if (s->running)
        return 80;
    if (s->recover_pending || s->check_pending)
        return 100;
    return 1000;   /* the errors pane and the status line age */
}

static void loop(studio *s, const sigset_t *waitmask)
{
    while (!s->quit) {
        draw(s);
        struct pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {s->wake_fd[0], POLLIN, 0}};
        int ms = next_timeout(s);
        struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
        int n = ppoll(fds, 2, &ts, waitmask);
        if (got_term) {   /* SIGTERM or SIGHUP: keep the unsaved work, then leave */
            if (s->mode == MODE_STUDIO) {
                model_write_recover(s);
                model_save_test_state(s);
            }
            break;
        }
        if (n > 0 && (fds[1].revents & POLLIN))
            drain_wake(s);
        read_keys(s);
        if (n > 0 && (fds[0].revents & (POLLHUP | POLLERR)))
            break;   /* the terminal went away */
        s->tick++;
        studio_tick(s);
    }
}

/* --- session --------------------------------------------------------------------------------------------- */

static int make_pipe(int fd[2])
{
    if (pipe(fd) != 0)
        return -1;
    for (int i = 0; i < 2; i++) {
        int fl = fcntl(fd[i], F_GETFL);
        if (fl < 0 || fcntl(fd[i], F_SETFL, fl | O_NONBLOCK) != 0 || fcntl(fd[i], F_SETFD, FD_CLOEXEC) != 0)
            return -1;
    }
    return 0;
}

static void run_wake(void *ctx)
{
    studio_wake(ctx);
}

static int start_curses(void)
{
    if (!initscr())
        return -1;
    if (raw() == ERR || noecho() == ERR || keypad(stdscr, TRUE) == ERR || nonl() == ERR)
        return -1;
    timeout(0);
    set_escdelay(40);
    mouseinterval(0);
    mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
                  | BUTTON5_PRESSED
#endif
              ,
              NULL);
    ui_init();
    editor_init_colors(ui_colors());
    /* bracketed paste: pasted text arrives whole, between two key codes */
    if (define_key("\033[200~", KEY_PASTE_START) != ERR && define_key("\033[201~", KEY_PASTE_END) != ERR)
        term_write("\033[?2004h");
    return 0;
}

static void free_panes(studio *s)
{
    for (int i = 0; i < P_COUNT; i++) {
        if (s->panes[i] && s->panes[i]->ops->free)
            s->panes[i]->ops->free(s->panes[i]);
        free(s->panes[i]);
        s->panes[i] = NULL;
    }
}

static int make_panes(studio *s)
{
    pane *(*const makers[P_COUNT])(studio *) = {
        [P_EDITOR] = pane_editor_new,     [P_TEST] = pane_request_new, [P_SETTINGS] = pane_settings_new,
        [P_CAPTURES] = pane_captures_new, [P_ERRORS] = pane_errors_new, [P_OUTPUT] = pane_output_new,
    };
    for (int i = 0; i < P_COUNT; i++) {
        s->panes[i] = makers[i](s);
        if (!s->panes[i])
            return -1;
    }
    return 0;
}

static void cleanup(studio *s)
{
    dialog_close_all(s);
    runner_stop(s->run);
    if (s->cap)
        capture_stop(s->cap);
    free(s->cap_function);
    catalog_free(s);
    free_panes(s);
    model_unload(s);
    if (s->ed)
        editor_free(s->ed);
    json_decref(s->result);
    json_decref(s->examples);
    json_decref(s->check_error);
    json_decref(s->captures);
    if (s->db)
        store_close(s->db);
    free(s->root);
    free(s->clipboard);
    free(s->find_text);
    free(s->paste);
    if (s->trace)
        fclose(s->trace);
    pthread_mutex_destroy(&s->cap_lock);
    if (s->wake_fd[0] >= 0)
        close(s->wake_fd[0]);
    if (s->wake_fd[1] >= 0)
        close(s->wake_fd[1]);
}

static int setup(studio *s, const studio_options *opt, char **why)
{
    memset(s, 0, sizeof *s);
    s->opt = *opt;
    s->wake_fd[0] = s->wake_fd[1] = -1;
    s->autofill = 1;
    const char *trace = getenv("SRCFN_STUDIO_TRACE");
    if (trace && *trace && !(s->trace = fopen(trace, "a"))) {
        *why = "cannot open $SRCFN_STUDIO_TRACE";
        return -1;
    }
    if (pthread_mutex_init(&s->cap_lock, NULL) != 0 || make_pipe(s->wake_fd) != 0) {
        *why = "cannot create the studio's wake-up pipe";
        return -1;
    }
    signal_fd = s->wake_fd[1];
    s->ed = editor_new();
    s->captures = json_array();
    if (!s->ed || !s->captures || make_panes(s) != 0) {
        *why = "out of memory";
        return -1;
    }
    s->run = runner_start(run_wake, s);
    if (!s->run) {
        *why = "cannot start the runner thread";
        return -1;
    }
    s->root = workspace_find(".");
    if (s->root) {
        char *err = NULL;
        s->db = store_open(s->root, &err);
        if (!s->db) {
            *why = "cannot open the workspace database";
            free(err);
            return -1;
        }
    }
    return 0;
}

static void install_signals(sigset_t *waitmask)
{
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGWINCH);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &block, waitmask);
    sigdelset(waitmask, SIGWINCH);
    sigdelset(waitmask, SIGTERM);
    sigdelset(waitmask, SIGHUP);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

int studio_main(const studio_options *opt)
{
    studio st, *s = &st;
    setlocale(LC_ALL, "");
    sigset_t waitmask;
    install_signals(&waitmask);   /* before any thread starts: they inherit the mask */
    char *why = NULL;
    if (setup(s, opt, &why) != 0) {
        fprintf(stderr, "srcfn: studio: %s\n", why);
        cleanup(s);
        return 1;
    }
    studio_trace(s, "start");
    if (start_curses() != 0) {
        cleanup(s);
        fprintf(stderr, "srcfn: studio: cannot start the terminal interface (is TERM set?)\n");
        return 1;
    }
    if (!s->root)
        catalog_offer_workspace(s);
    else if (opt->name)
        studio_open_function(s, opt->name);
    else
        studio_show_catalog(s);
    loop(s, &waitmask);
    term_write("\033[?2004l");
    endwin();
    int status = 0;
    if (got_term)
        status = 128 + (int)got_term;
    cleanup(s);
    return status;
}

pane *pane_new(studio *s, const pane_ops *ops, size_t self_size)
{
    pane *p = calloc(1, sizeof *p);
    void *self = calloc(1, self_size);
    if (!p || !self)
        abort();
    p->ops = ops;
    p->s = s;
    p->self = self;
    return p;
}
