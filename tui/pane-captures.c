/*
 * pane-captures: "Auto-fill via Webhook". Shows the capture listener's URL
 * (selectable text, and c copies it with OSC 52), whether auto-fill is on,
 * and the requests captured for this function, newest first. Enter loads
 * one into the test request; r replays it (loads and runs). The list is
 * s->captures, which the studio reloads as soon as the listener reports a
 * capture (see studio_on_captures).
 *
 * Invariant: the selection follows the newest capture while it is on the
 * first row, so a new capture never shifts the row under the user's cursor.
 */
#include <stdlib.h>
#include <string.h>

#include "tui/studio.h"
#include "tui/ui.h"

typedef struct captures_pane {
    int sel, scroll;
    int list_y, rows;
    long long sel_id;
} captures_pane;

#define HEAD_ROWS 3
#define CAPTURES_SHOWN 50   /* bodies come with the list: a bound on memory */

static json_t *selected(studio *s, captures_pane *cp)
{
    return json_array_get(s->captures, (size_t)cp->sel);
}

static long long id_of(json_t *c)
{
    return (long long)json_integer_value(json_object_get(c, "id"));
}

void captures_reload(studio *s)
{
    captures_pane *cp = s->panes[P_CAPTURES]->self;
    if (!s->root || !s->cap_function)
        return;
    char *err = NULL;
    json_t *list = capture_list(s->root, s->cap_function, CAPTURES_SHOWN, &err);
    if (!list) {
        studio_status(s, 1, "%s", err);
        free(err);
        return;
    }
    json_decref(s->captures);
    s->captures = list;
    /* keep the selected capture selected (row 0 follows the newest) */
    size_t i;
    json_t *c;
    int found = 0;
    json_array_foreach(list, i, c) {
        if (cp->sel > 0 && id_of(c) == cp->sel_id) {
            cp->sel = (int)i;
            found = 1;
        }
    }
    if (!found)
        cp->sel = 0;
    cp->sel_id = id_of(selected(s, cp));
}

static void draw_row(pane *p, json_t *c, int y, int sel)
{
    attr_t a = sel ? ui_attr(UI_SELECT) : ui_attr(UI_NORMAL);
    ui_fill(y, p->x, p->w, a);
    const char *at = json_string_value(json_object_get(c, "at"));
    const char *body = json_string_value(json_object_get(c, "body"));
    const char *query = json_string_value(json_object_get(c, "query"));
    char pv[CAPTURE_PREVIEW_SIZE];
    capture_preview(body ? body : "", body ? strlen(body) : 0, pv);
    ui_printf(y, p->x, p->w, a, "%s#%lld %.8s %s %s%s%s %s", sel ? ui_glyph_text(G_ARROW) : " ", id_of(c),
              at && strlen(at) > 11 ? at + 11 : "", json_string_value(json_object_get(c, "method")),
              json_string_value(json_object_get(c, "path")), query && *query ? "?" : "", query ? query : "", pv);
}

static void draw(pane *p, int focused)
{
    (void)focused;
    studio *s = p->s;
    captures_pane *cp = p->self;
    if (!s->cap) {
        ui_put(p->y, p->x, p->w, ui_attr(UI_WARN), "The capture listener is not running.");
        return;
    }
    ui_put(p->y, p->x, p->w, ui_attr(UI_ACCENT) | A_BOLD, s->url);
    ui_printf(p->y + 1, p->x, p->w, ui_attr(UI_DIM), "Auto-fill %s (a)  c copies the URL  POST JSON or form data",
              s->autofill ? "ON" : "off");
    int n = (int)json_array_size(s->captures);
    cp->list_y = p->y + HEAD_ROWS;
    cp->rows = p->h - HEAD_ROWS;
    if (n == 0) {
        ui_put(cp->list_y, p->x, p->w, ui_attr(UI_DIM), "No captures yet. Try:");
        ui_printf(cp->list_y + 1, p->x, p->w, ui_attr(UI_NORMAL),
                  "curl -H 'Content-Type: application/json' -d '{\"a\":1}' %s", s->url);
        return;
    }
    if (cp->sel >= n)
        cp->sel = n - 1;
    if (cp->sel < cp->scroll)
        cp->scroll = cp->sel;
    if (cp->rows > 0 && cp->sel >= cp->scroll + cp->rows)
        cp->scroll = cp->sel - cp->rows + 1;
    for (int r = 0; r < cp->rows && cp->scroll + r < n; r++)
        draw_row(p, json_array_get(s->captures, (size_t)(cp->scroll + r)), cp->list_y + r, cp->scroll + r == cp->sel);
}

static void load(studio *s, captures_pane *cp, int and_run)
{
    json_t *c = selected(s, cp);
    if (!c)
        return;
    if (request_load_capture(s, id_of(c)) != 0)
        return;
    studio_status(s, 2, "Loaded capture #%lld into the test request.", id_of(c));
    if (and_run)
        studio_run(s);
}

static int key(pane *p, action act, int is_key, unsigned k)
{
    (void)is_key;
    (void)k;
    studio *s = p->s;
    captures_pane *cp = p->self;
    int n = (int)json_array_size(s->captures);
    int page = cp->rows > 1 ? cp->rows - 1 : 1;
    switch (act) {
    case A_OPEN: load(s, cp, 0); return 1;
    case A_CAP_REPLAY: load(s, cp, 1); return 1;
    case A_AUTOFILL: return studio_action(s, A_AUTOFILL);
    case A_CAP_COPY_URL:
        if (s->cap) {
            ui_clipboard(s->url);
            studio_status(s, 2, "Copied %s (OSC 52: your terminal's clipboard, where it allows).", s->url);
        }
        return 1;
    case A_UP: cp->sel = cp->sel > 0 ? cp->sel - 1 : 0; break;
    case A_DOWN: cp->sel = cp->sel + 1 < n ? cp->sel + 1 : cp->sel; break;
    case A_PAGE_UP: cp->sel = cp->sel > page ? cp->sel - page : 0; break;
    case A_PAGE_DOWN: cp->sel = cp->sel + page < n ? cp->sel + page : (n > 0 ? n - 1 : 0); break;
    case A_HOME: cp->sel = 0; break;
    case A_END: cp->sel = n > 0 ? n - 1 : 0; break;
    default: return 0;
    }
    cp->sel_id = id_of(selected(s, cp));
    return 1;
}

static void mouse(pane *p, int row, int col, int dbl)
{
    (void)col;
    captures_pane *cp = p->self;
    int y = p->y + row;
    if (y < cp->list_y)
        return;
    int i = cp->scroll + (y - cp->list_y);
    if (i >= (int)json_array_size(p->s->captures))
        return;
    cp->sel = i;
    cp->sel_id = id_of(selected(p->s, cp));
    if (dbl)
        load(p->s, cp, 0);
}

static void pane_free(pane *p)
{
    free(p->self);
}

static const pane_ops ops = {
    .title = "Captures",
    .ctx = CTX_CAPTURES,
    .is_list = 1,
    .draw = draw,
    .key = key,
    .mouse = mouse,
    .free = pane_free,
};

pane *pane_captures_new(studio *s)
{
    return pane_new(s, &ops, sizeof(captures_pane));
}
