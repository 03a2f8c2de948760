/*
 * pane-errors: the Errors tab, what Segment's Errors tab shows: the failed
 * runs of this function's deployed instances (the error log `srcfn serve`
 * keeps, webhook/errlog.h), all instances together, newest first; under the
 * list, the selected one's error, request and console lines. Enter loads its
 * request into the test pane; r reproduces it (loads and runs) with one key.
 *
 * Invariants: the list is re-read when the tab is focused, on g, and every
 * few seconds while it shows; the selection stays on the same entry (by
 * instance and id) across re-reads.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui/studio.h"
#include "tui/ui.h"
#include "webhook/errlog.h"
#include "workspace/instances.h"
#include "workspace/store.h"
#include "util/clock.h"

typedef struct errors_pane {
    json_t *list;         /* [{..., instance}] newest first */
    int sel, scroll, list_y, rows;
    int64_t loaded_at;
    char *error;          /* why the log could not be read */
} errors_pane;

static errors_pane *self_of(studio *s)
{
    return s->panes[P_ERRORS]->self;
}

static const char *str(json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

static int newest_first(const void *a, const void *b)
{
    json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "at"));
    json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "at"));
    return x < y ? 1 : x > y ? -1 : 0;
}

/* All instances' entries in one array, sorted newest first. */
static json_t *read_all(studio *s, char **err)
{
    instance_row *rows = NULL;
    size_t n = 0;
    if (instances_list(s->db, s->name, &rows, &n, err) != 0)
        return NULL;
    json_t *all = json_array();
    for (size_t i = 0; i < n && all; i++) {
        json_t *list = errlog_list(s->db, rows[i].name, store_now_ms(), err);
        if (!list) {
            json_decref(all);
            all = NULL;
            break;
        }
        json_must(json_array_extend(all, list));
        json_decref(list);
    }
    instances_free(rows, n);
    if (!all)
        return NULL;
    size_t count = json_array_size(all);
    json_t **items = calloc(count + 1, sizeof *items);
    if (!items)
        abort();
    for (size_t i = 0; i < count; i++)
        items[i] = json_incref(json_array_get(all, i));
    qsort(items, count, sizeof *items, newest_first);
    json_array_clear(all);
    for (size_t i = 0; i < count; i++)
        json_must(json_array_append_new(all, items[i]));
    free(items);
    return all;
}

void errors_reload(studio *s)
{
    errors_pane *ep = self_of(s);
    ep->loaded_at = mono_ms();
    if (!s->db || !s->name)
        return;
    json_t *old = json_array_get(ep->list, (size_t)ep->sel);
    json_int_t old_id = json_integer_value(json_object_get(old, "id"));
    char *old_inst = strdup(str(old, "instance"));
    char *err = NULL;
    json_t *list = read_all(s, &err);
    free(ep->error);
    ep->error = err;
    if (list) {
        json_decref(ep->list);
        ep->list = list;
        size_t i;
        json_t *e;
        ep->sel = 0;
        json_array_foreach(list, i, e) {
            if (json_integer_value(json_object_get(e, "id")) == old_id && old_inst && strcmp(str(e, "instance"), old_inst) == 0)
                ep->sel = (int)i;
        }
    }
    free(old_inst);
}

static void when(json_t *e, char *buf, size_t size)
{
    time_t t = (time_t)(json_integer_value(json_object_get(e, "at")) / 1000), now = time(NULL);
    struct tm tm, today;
    int same_day = localtime_r(&now, &today) && localtime_r(&t, &tm) && tm.tm_yday == today.tm_yday &&
                   tm.tm_year == today.tm_year;
    if (!localtime_r(&t, &tm) || strftime(buf, size, same_day ? "%H:%M:%S" : "%m-%d %H:%M", &tm) == 0)
        snprintf(buf, size, "?");
}

static int draw_detail(pane *p, json_t *e, int y)
{
    int end = p->y + p->h;
    json_t *line = json_object_get(e, "line");
    json_t *req = json_object_get(e, "request");
    char text[1024];
    if (json_is_integer(line))
        snprintf(text, sizeof text, "%s: %s: %s (line %lld)", str(e, "type"), str(e, "name"), str(e, "message"),
                 (long long)json_integer_value(line));
    else
        snprintf(text, sizeof text, "%s: %s: %s", str(e, "type"), str(e, "name"), str(e, "message"));
    y += ui_wrap(y, p->x, p->w, end - y, ui_attr(UI_ERROR), text);
    if (y < end)
        ui_printf(y++, p->x, p->w, ui_attr(UI_NORMAL), "%s %s  attempt %lld%s", str(req, "method"), str(req, "url"),
                  (long long)json_integer_value(json_object_get(e, "attempt")),
                  json_is_true(json_object_get(e, "final")) ? ", final" : "");
    size_t i;
    json_t *l;
    json_array_foreach(json_object_get(e, "logs"), i, l) {
        if (y >= end)
            break;
        snprintf(text, sizeof text, "[%s] %s", str(l, "level"), str(l, "message"));
        y += ui_wrap(y, p->x, p->w, end - y, ui_attr(UI_DIM), text);
    }
    if (y < end)
        ui_put(y++, p->x, p->w, ui_attr(UI_DIM), "Enter loads this request, r runs it");
    return y;
}

static void draw(pane *p, int focused)
{
    (void)focused;
    studio *s = p->s;
    errors_pane *ep = p->self;
    if (!s->name) {
        ui_put(p->y, p->x, p->w, ui_attr(UI_DIM), "A new function has no deployed instances yet.");
        return;
    }
    if (ep->error)
        ui_put(p->y, p->x, p->w, ui_attr(UI_ERROR), ep->error);
    int n = (int)json_array_size(ep->list);
    if (n == 0) {
        ui_put(p->y + (ep->error ? 1 : 0), p->x, p->w, ui_attr(UI_DIM),
               "No errors from deployed instances (srcfn serve logs them here).");
        return;
    }
    ep->list_y = p->y;
    ep->rows = p->h / 2 > 3 ? p->h / 2 : (p->h > 3 ? 3 : p->h);
    if (ep->sel >= n)
        ep->sel = n - 1;
    if (ep->sel < ep->scroll)
        ep->scroll = ep->sel;
    if (ep->sel >= ep->scroll + ep->rows)
        ep->scroll = ep->sel - ep->rows + 1;
    for (int r = 0; r < ep->rows && ep->scroll + r < n; r++) {
        json_t *e = json_array_get(ep->list, (size_t)(ep->scroll + r));
        int sel = ep->scroll + r == ep->sel;
        attr_t a = sel ? ui_attr(UI_SELECT) : ui_attr(UI_NORMAL);
        char at[32];
        when(e, at, sizeof at);
        ui_fill(p->y + r, p->x, p->w, a);
        ui_printf(p->y + r, p->x, p->w, a, "%s%s %s  %s", sel ? ui_glyph_text(G_ARROW) : " ", at,
                  str(e, "instance"), str(e, "message"));
    }
    draw_detail(p, json_array_get(ep->list, (size_t)ep->sel), p->y + ep->rows + 1);
}

static void load(studio *s, errors_pane *ep, int and_run)
{
    json_t *e = json_array_get(ep->list, (size_t)ep->sel);
    json_t *req = json_object_get(e, "request");
    if (!json_is_object(req))
        return;
    request_load(s, req);
    studio_status(s, 2, "Loaded the request that failed on %s.", str(e, "instance"));
    if (and_run)
        studio_run(s);
    else
        studio_focus(s, P_TEST);
}

static int key(pane *p, action act, int is_key, unsigned k)
{
    (void)is_key;
    (void)k;
    errors_pane *ep = p->self;
    int n = (int)json_array_size(ep->list);
    switch (act) {
    case A_OPEN: load(p->s, ep, 0); return 1;
    case A_ERR_REPRODUCE: load(p->s, ep, 1); return 1;
    case A_ERR_REFRESH: errors_reload(p->s); return 1;
    case A_UP: ep->sel = ep->sel > 0 ? ep->sel - 1 : 0; return 1;
    case A_DOWN: ep->sel = ep->sel + 1 < n ? ep->sel + 1 : ep->sel; return 1;
    case A_PAGE_UP: ep->sel = ep->sel > 5 ? ep->sel - 5 : 0; return 1;
    case A_PAGE_DOWN: ep->sel = ep->sel + 5 < n ? ep->sel + 5 : (n > 0 ? n - 1 : 0); return 1;
    case A_HOME: ep->sel = 0; return 1;
    case A_END: ep->sel = n > 0 ? n - 1 : 0; return 1;
    default: return 0;
    }
}

static void mouse(pane *p, int row, int col, int dbl)
{
    (void)col;
    errors_pane *ep = p->self;
    if (row >= ep->rows || ep->scroll + row >= (int)json_array_size(ep->list))
        return;
    ep->sel = ep->scroll + row;
    if (dbl)
        load(p->s, ep, 0);
}

static void focus(pane *p, int gained)
{
    if (gained)
        errors_reload(p->s);
}

static void pane_free(pane *p)
{
    errors_pane *ep = p->self;
    json_decref(ep->list);
    free(ep->error);
    free(ep);
}

static const pane_ops ops = {
    .title = "Errors",
    .ctx = CTX_ERRORS,
    .is_list = 1,
    .draw = draw,
    .key = key,
    .mouse = mouse,
    .focus = focus,
    .free = pane_free,
};

pane *pane_errors_new(studio *s)
{
    return pane_new(s, &ops, sizeof(errors_pane));
}

int64_t errors_loaded_at(studio *s)
{
    return self_of(s)->loaded_at;
}
