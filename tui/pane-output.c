/*
 * pane-output: what the last run produced, for people: the outcome (success,
 * or the error with its type, name, message and line), the events and
 * objects as indented JSON with colours, the console lines with their
 * levels, and the duration; or, after an examples check, PASS or FAIL per
 * example with what differs, and the counts. Long lines wrap at the pane's width; the list
 * keys and the mouse wheel scroll; a click on the error's line (or ^E
 * anywhere) jumps to it in the editor.
 *
 * Invariants: the pane keeps logical lines only and wraps them while drawing,
 * so a resize never needs the result again; scroll counts wrapped rows and is
 * clamped while drawing.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/jsonout.h"
#include "tui/studio.h"
#include "tui/ui.h"

typedef enum line_kind { L_TEXT, L_JSON } line_kind;

typedef struct out_line {
    char *text;
    ui_role role;
    line_kind kind;
    int jump;             /* a click here goes to the error's line */
} out_line;

typedef struct output_pane {
    out_line *lines;
    size_t n, cap;
    int scroll;
    int rows;             /* wrapped rows at the last draw */
} output_pane;

static output_pane *self_of(studio *s)
{
    return s->panes[P_OUTPUT]->self;
}

static void add(output_pane *o, ui_role role, line_kind kind, int jump, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void add(output_pane *o, ui_role role, line_kind kind, int jump, const char *fmt, ...)
{
    if (o->n == o->cap) {
        o->cap = o->cap ? o->cap * 2 : 64;
        o->lines = realloc(o->lines, o->cap * sizeof *o->lines);
        if (!o->lines)
            abort();
    }
    va_list ap;
    va_start(ap, fmt);
    char *text = NULL;
    if (vasprintf(&text, fmt, ap) < 0)
        abort();
    va_end(ap);
    o->lines[o->n++] = (out_line){text, role, kind, jump};
}

static void clear_lines(output_pane *o)
{
    for (size_t i = 0; i < o->n; i++)
        free(o->lines[i].text);
    o->n = 0;
    o->scroll = 0;
}

void output_clear(studio *s)
{
    clear_lines(self_of(s));
}

/* Adds a text that may hold newlines, one line each. */
static void add_text(output_pane *o, ui_role role, const char *prefix, const char *text)
{
    const char *p = text;
    do {
        const char *nl = strchr(p, '\n');
        int len = nl ? (int)(nl - p) : (int)strlen(p);
        add(o, role, L_TEXT, 0, "%s%.*s", prefix, len, p);
        p = nl ? nl + 1 : NULL;
    } while (p);
}

static void add_json(output_pane *o, json_t *doc)
{
    char *text = jsonout_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    if (!text)
        return;
    char *p = text;
    while (p) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        add(o, UI_NORMAL, L_JSON, 0, "  %s", p);
        p = nl ? nl + 1 : NULL;
    }
    free(text);
}

static const char *str(json_t *obj, const char *key)
{
    const char *v = json_string_value(json_object_get(obj, key));
    return v ? v : "";
}

static void add_error(output_pane *o, json_t *err)
{
    add(o, UI_ERROR, L_TEXT, 0, "%s %s", ui_glyph_text(G_FAIL), str(err, "type"));
    add(o, UI_ERROR, L_TEXT, 0, "  %s: %s", str(err, "name"), str(err, "message"));
    json_t *line = json_object_get(err, "line");
    if (json_is_integer(line))
        add(o, UI_WARN, L_TEXT, 1, "  at line %lld of handler.js: ^E (or a click here) goes there",
            (long long)json_integer_value(line));
}

static ui_role level_role(const char *level)
{
    if (strcmp(level, "error") == 0)
        return UI_ERROR;
    if (strcmp(level, "warn") == 0)
        return UI_WARN;
    if (strcmp(level, "debug") == 0)
        return UI_DIM;
    return UI_NORMAL;
}

/* One line naming an event: "track  Order Completed", "identify  u_1". */
static void add_event_head(output_pane *o, json_t *ev)
{
    const char *type = str(ev, "type");
    const char *what = str(ev, "event");
    if (!*what)
        what = str(ev, "name");
    if (!*what)
        what = str(ev, "userId");
    add(o, UI_ACCENT, L_TEXT, 0, "  %s  %s", type, what);
}

void output_show(studio *s, json_t *result)
{
    output_pane *o = self_of(s);
    clear_lines(o);
    json_t *err = json_object_get(result, "error");
    json_t *events = json_object_get(result, "events");
    json_t *objects = json_object_get(result, "objects");
    json_t *logs = json_object_get(result, "logs");
    double ms = json_number_value(json_object_get(result, "durationMs"));
    if (json_is_object(err))
        add_error(o, err);
    else
        add(o, UI_OK, L_TEXT, 0, "%s Success in %.2f ms", ui_glyph_text(G_OK), ms);
    size_t i;
    json_t *v;
    add(o, UI_ACCENT, L_TEXT, 0, "Events (%zu)", json_array_size(events));
    json_array_foreach(events, i, v) {
        add_event_head(o, v);
        add_json(o, v);
    }
    add(o, UI_ACCENT, L_TEXT, 0, "Objects (%zu)", json_array_size(objects));
    json_array_foreach(objects, i, v) {
        add(o, UI_ACCENT, L_TEXT, 0, "  set  %s/%s", str(v, "collection"), str(v, "id"));
        add_json(o, v);
    }
    add(o, UI_ACCENT, L_TEXT, 0, "Console (%zu)", json_array_size(logs));
    json_array_foreach(logs, i, v) {
        char prefix[32];
        snprintf(prefix, sizeof prefix, "  [%s] ", str(v, "level"));
        add_text(o, level_role(str(v, "level")), prefix, str(v, "message"));
    }
    add(o, UI_DIM, L_TEXT, 0, "Duration %.2f ms", ms);
}

/* The lines of a diff (each ending in '\n'), indented. */
static void add_diff(output_pane *o, const char *diff)
{
    const char *p = diff;
    while (*p) {
        const char *nl = strchr(p, '\n');
        int len = nl ? (int)(nl - p) : (int)strlen(p);
        add(o, UI_NORMAL, L_TEXT, 0, "    %.*s", len, p);
        p = nl ? nl + 1 : p + len;
    }
}

static void add_example(output_pane *o, json_t *ex)
{
    int passed = json_is_true(json_object_get(ex, "passed"));
    add(o, passed ? UI_OK : UI_ERROR, L_TEXT, 0, "  %s %s", passed ? "PASS" : "FAIL", str(ex, "name"));
    if (!passed)
        add_diff(o, str(ex, "diff"));
}

void output_show_examples(studio *s, json_t *doc)
{
    output_pane *o = self_of(s);
    clear_lines(o);
    json_t *examples = json_object_get(doc, "examples");
    long long passed = (long long)json_integer_value(json_object_get(doc, "passed"));
    long long failed = (long long)json_integer_value(json_object_get(doc, "failed"));
    long long skipped = (long long)json_integer_value(json_object_get(doc, "skipped"));
    const char *error = json_string_value(json_object_get(doc, "error"));
    if (error) {
        add(o, UI_ERROR, L_TEXT, 0, "%s The examples did not run: %s", ui_glyph_text(G_FAIL), error);
        return;
    }
    if (passed + failed + skipped == 0) {
        add(o, UI_ACCENT, L_TEXT, 0, "No examples to check.");
        add(o, UI_DIM, L_TEXT, 0, "A function's tests are its examples: examples/NAME.json, a request with an "
                                  "\"expect\" (^K in the Test tab keeps the request as one; srcfn test --update "
                                  "writes the expectation).");
        return;
    }
    add(o, UI_ACCENT, L_TEXT, 0, "Examples, against the code in the editor");
    size_t i;
    json_t *ex;
    json_array_foreach(examples, i, ex)
        add_example(o, ex);
    if (json_is_true(json_object_get(doc, "cancelled")))
        add(o, UI_WARN, L_TEXT, 0, "Cancelled: %lld example%s not run", skipped, skipped == 1 ? "" : "s");
    add(o, failed ? UI_ERROR : UI_OK, L_TEXT, 0, "%lld passed, %lld failed", passed, failed);
}

/* --- drawing ------------------------------------------------------------------------------------- */

/* Draws one row of JSON with keys, strings and numbers coloured. */
static void draw_json(int y, int x, int w, const char *s, size_t len)
{
    int col = 0;
    size_t i = 0;
    while (i < len && col < w) {
        size_t j = i;
        ui_role role = UI_NORMAL;
        if (s[i] == '"') {
            j++;
            while (j < len && s[j] != '"')
                j += s[j] == '\\' && j + 1 < len ? 2 : 1;
            if (j < len)
                j++;
            size_t k = j;
            while (k < len && s[k] == ' ')
                k++;
            role = k < len && s[k] == ':' ? UI_JSON_KEY : UI_JSON_STRING;
        } else if ((s[i] >= '0' && s[i] <= '9') || s[i] == '-') {
            while (j < len && strchr("0123456789.eE+-", s[j]))
                j++;
            role = UI_JSON_NUMBER;
        } else if (strncmp(s + i, "true", 4) == 0 || strncmp(s + i, "false", 5) == 0 ||
                   strncmp(s + i, "null", 4) == 0) {
            j += s[i] == 'f' ? 5 : 4;
            role = UI_JSON_NUMBER;
        } else {
            j++;
            while (j < len && s[j] != '"' && !(s[j] >= '0' && s[j] <= '9') && s[j] != '-' && s[j] != 't' &&
                   s[j] != 'f' && s[j] != 'n')
                j++;
        }
        if (j > len)
            j = len;
        col += ui_putn(y, x + col, w - col, ui_attr(role), s + i, j - i);
        i = j;
    }
}

/* The rows a logical line takes at width w, and where each starts (bytes). */
static int wrap_rows(const char *s, size_t len, int w, size_t *starts, int max)
{
    int rows = 0;
    size_t i = 0;
    do {
        if (rows < max)
            starts[rows] = i;
        rows++;
        size_t fit = ui_fit(s + i, len - i, w);
        if (fit == 0)
            fit = ui_char_len(s + i, len - i);
        i += fit;
    } while (i < len);
    return rows;
}

#define MAX_WRAP 256

static void draw_hint(pane *p)
{
    static const char *const hint[] = {
        "No run yet.",
        "",
        "F5 or ^R runs the function with the request of the Test tab",
        "and the test values of the Settings tab.",
        "^P checks every example against the code in the editor.",
        "",
        "Events, objects, console lines and errors show here.",
    };
    for (int i = 0; i < (int)(sizeof hint / sizeof hint[0]) && i < p->h; i++)
        ui_put(p->y + i, p->x + 1, p->w - 2, ui_attr(i == 0 ? UI_ACCENT : UI_DIM), hint[i]);
}

static void draw(pane *p, int focused)
{
    (void)focused;
    output_pane *o = p->self;
    if (o->n == 0) {
        draw_hint(p);
        return;
    }
    int w = p->w - 1, total = 0;
    size_t starts[MAX_WRAP];
    for (size_t i = 0; i < o->n; i++)
        total += wrap_rows(o->lines[i].text, strlen(o->lines[i].text), w, starts, MAX_WRAP);
    o->rows = total;
    if (o->scroll > total - p->h)
        o->scroll = total - p->h;
    if (o->scroll < 0)
        o->scroll = 0;
    int row = 0;
    for (size_t i = 0; i < o->n && row < o->scroll + p->h; i++) {
        out_line *l = &o->lines[i];
        size_t len = strlen(l->text);
        int n = wrap_rows(l->text, len, w, starts, MAX_WRAP);
        for (int r = 0; r < n && r < MAX_WRAP; r++, row++) {
            if (row < o->scroll || row >= o->scroll + p->h)
                continue;
            size_t end = r + 1 < n && r + 1 < MAX_WRAP ? starts[r + 1] : len;
            int y = p->y + row - o->scroll;
            if (l->kind == L_JSON)
                draw_json(y, p->x, w, l->text + starts[r], end - starts[r]);
            else
                ui_putn(y, p->x, w, ui_attr(l->role), l->text + starts[r], end - starts[r]);
        }
    }
    if (total > p->h)
        ui_printf(p->y + p->h - 1, p->x + p->w - 8, 8, ui_attr(UI_DIM), "%3d%%",
                  (o->scroll + p->h) * 100 / total);
}

static int key(pane *p, action act, int is_key, unsigned k)
{
    (void)is_key;
    (void)k;
    output_pane *o = p->self;
    int page = p->h > 1 ? p->h - 1 : 1;
    switch (act) {
    case A_UP: o->scroll--; return 1;
    case A_DOWN: o->scroll++; return 1;
    case A_PAGE_UP: o->scroll -= page; return 1;
    case A_PAGE_DOWN: o->scroll += page; return 1;
    case A_HOME: o->scroll = 0; return 1;
    case A_END: o->scroll = o->rows; return 1;
    default: return 0;
    }
}

static void mouse(pane *p, int row, int col, int dbl)
{
    (void)col;
    (void)dbl;
    output_pane *o = p->self;
    int target = o->scroll + row, at = 0;
    size_t starts[MAX_WRAP];
    for (size_t i = 0; i < o->n; i++) {
        at += wrap_rows(o->lines[i].text, strlen(o->lines[i].text), p->w - 1, starts, MAX_WRAP);
        if (at > target) {
            if (o->lines[i].jump)
                studio_action(p->s, A_JUMP_ERROR);
            return;
        }
    }
}

static void pane_free(pane *p)
{
    output_pane *o = p->self;
    clear_lines(o);
    free(o->lines);
    free(o);
}

static const pane_ops ops = {
    .title = "Output",
    .ctx = CTX_OUTPUT,
    .is_list = 1,
    .draw = draw,
    .key = key,
    .mouse = mouse,
    .free = pane_free,
};

pane *pane_output_new(studio *s)
{
    return pane_new(s, &ops, sizeof(output_pane));
}
