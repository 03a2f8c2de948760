/*
 * dialog: modal boxes (see dialog.h). Layout, top to bottom: the message
 * (wrapped), the list with the selected row's detail, the fields one per
 * row, the error, the buttons. The box is centred and shrinks to the screen,
 * so it stays usable down to 80x24.
 *
 * Invariants: focus is always a valid index (list, fields, buttons); the
 * rows recorded while drawing are what mouse clicks are matched against.
 */
#include "tui/dialog.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/ui.h"
#include "util/xalloc.h"

dialog *dialog_new(const char *title, const char *message)
{
    dialog *d = calloc(1, sizeof *d);
    if (!d)
        abort();
    d->title = xstrdup(title);
    d->message = xstrdup(message);
    size_t n = strlen(d->message);
    while (n > 0 && d->message[n - 1] == '\n')
        d->message[--n] = '\0';   /* a trailing newline would be an empty row */
    static const char *const ok[] = {"OK", "Cancel"};
    dialog_set_buttons(d, ok, 2);
    return d;
}

static dlg_field *add_field(dialog *d, const char *label, dlg_field_kind kind)
{
    if (d->n_fields == DLG_MAX_FIELDS)
        abort();
    dlg_field *f = &d->fields[d->n_fields++];
    memset(f, 0, sizeof *f);
    f->label = xstrdup(label);
    f->kind = kind;
    return f;
}

int dialog_add_text(dialog *d, const char *label, const char *text, int secret)
{
    dlg_field *f = add_field(d, label, secret ? DF_SECRET : DF_TEXT);
    field_init(&f->text, text);
    f->text.masked = secret;
    return d->n_fields - 1;
}

int dialog_add_choice(dialog *d, const char *label, const char *const *choices, int n, int choice)
{
    dlg_field *f = add_field(d, label, DF_CHOICE);
    f->choices = choices;
    f->n_choices = n;
    f->choice = choice >= 0 && choice < n ? choice : 0;
    return d->n_fields - 1;
}

int dialog_add_check(dialog *d, const char *label, int checked)
{
    dlg_field *f = add_field(d, label, DF_CHECK);
    f->checked = checked;
    return d->n_fields - 1;
}

void dialog_add_item(dialog *d, const char *text, const char *detail, int checked)
{
    dlg_item *items = realloc(d->items, (size_t)(d->n_items + 1) * sizeof *items);
    if (!items)
        abort();
    d->items = items;
    items[d->n_items].text = xstrdup(text);
    items[d->n_items].detail = detail ? xstrdup(detail) : NULL;
    items[d->n_items].checked = checked;
    d->n_items++;
}

void dialog_set_buttons(dialog *d, const char *const *buttons, int n)
{
    d->n_buttons = n < DLG_MAX_BUTTONS ? n : DLG_MAX_BUTTONS;
    for (int i = 0; i < d->n_buttons; i++)
        d->buttons[i] = buttons[i];
}

void dialog_set_error(dialog *d, const char *fmt, ...)
{
    free(d->error);
    d->error = NULL;
    if (!fmt)
        return;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&d->error, fmt, ap) < 0)
        abort();
    va_end(ap);
}

const char *dialog_text(dialog *d, int i)
{
    return i >= 0 && i < d->n_fields ? d->fields[i].text.text : "";
}

static void dialog_free(dialog *d)
{
    for (int i = 0; i < d->n_fields; i++) {
        free(d->fields[i].label);
        if (d->fields[i].kind == DF_TEXT || d->fields[i].kind == DF_SECRET)
            field_free(&d->fields[i].text);
    }
    for (int i = 0; i < d->n_items; i++) {
        free(d->items[i].text);
        free(d->items[i].detail);
    }
    if (d->free_ctx)
        d->free_ctx(d->ctx);
    free(d->items);
    free(d->title);
    free(d->message);
    free(d->error);
    free(d);
}

/* Focus indexes: [list] fields buttons. */
static int has_list(const dialog *d)
{
    return d->n_items > 0;
}

static int first_field(const dialog *d)
{
    return has_list(d) ? 1 : 0;
}

static int first_button(const dialog *d)
{
    return first_field(d) + d->n_fields;
}

static int focus_count(const dialog *d)
{
    return first_button(d) + d->n_buttons;
}

void dialog_open(studio *s, dialog *d, dlg_done on_done, void *ctx, void (*free_ctx)(void *))
{
    d->on_done = on_done;
    d->ctx = ctx;
    d->free_ctx = free_ctx;
    d->focus = focus_count(d) > 0 && !has_list(d) && d->n_fields == 0 ? first_button(d) : 0;
    d->below = s->dlg;
    s->dlg = d;
}

void dialog_close(studio *s)
{
    dialog *d = s->dlg;
    if (!d)
        return;
    s->dlg = d->below;
    dialog_free(d);
}

void dialog_close_all(studio *s)
{
    while (s->dlg)
        dialog_close(s);
}

void dialog_message(studio *s, const char *title, const char *fmt, ...)
{
    char *text = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&text, fmt, ap) < 0)
        abort();
    va_end(ap);
    dialog *d = dialog_new(title, text);
    free(text);
    static const char *const ok[] = {"OK"};
    dialog_set_buttons(d, ok, 1);
    dialog_open(s, d, NULL, NULL, NULL);
}

/* --- drawing ---------------------------------------------------------------------------- */

/* Rows text takes at w columns, drawing it when draw. */
static int wrap(const char *text, int w, int y, int x, attr_t attr, int draw)
{
    return ui_wrap(y, x, w, draw ? 1 << 20 : 0, attr, text);
}

static int list_height(const dialog *d, int max)
{
    int n = d->n_items < max ? d->n_items : max;
    return n < 1 ? 1 : n;
}

static int label_width(const dialog *d)
{
    int w = 0;
    for (int i = 0; i < d->n_fields; i++) {
        int lw = ui_width(d->fields[i].label, strlen(d->fields[i].label));
        if (lw > w)
            w = lw;
    }
    return w;
}

static int box_width(const dialog *d)
{
    int w = d->min_width > 0 ? d->min_width : 56;
    int tw = ui_width(d->title, strlen(d->title)) + 8;
    if (tw > w)
        w = tw;
    for (int i = 0; i < d->n_items; i++) {
        int iw = ui_width(d->items[i].text, strlen(d->items[i].text)) + 10;
        if (iw > w)
            w = iw;
    }
    if (w > COLS - 2)
        w = COLS - 2;
    return w < 20 ? 20 : w;
}

static void draw_field(const dialog *d, int i, int y, int x, int w, int focused)
{
    dlg_field *f = (dlg_field *)&d->fields[i];
    int lw = label_width(d);
    ui_put(y, x, lw, focused ? ui_attr(UI_FOCUS) : ui_attr(UI_DIALOG), f->label);
    int fx = x + lw + 2, fw = w - lw - 2;
    f->y = y;
    switch (f->kind) {
    case DF_TEXT:
    case DF_SECRET:
        field_draw(&f->text, y, fx, fw, ui_attr(UI_INPUT), 0);
        break;
    case DF_CHOICE: {
        int used = ui_put(y, fx, fw, focused ? ui_attr(UI_SELECT) : ui_attr(UI_ACCENT), "<");
        used += ui_printf(y, fx + used, fw - used, focused ? ui_attr(UI_SELECT) : ui_attr(UI_ACCENT), " %s ",
                          f->choices[f->choice]);
        ui_put(y, fx + used, fw - used, focused ? ui_attr(UI_SELECT) : ui_attr(UI_ACCENT), ">");
        break;
    }
    case DF_CHECK:
        ui_put(y, fx, fw, focused ? ui_attr(UI_SELECT) : ui_attr(UI_ACCENT),
               ui_glyph_text(f->checked ? G_CHECK_ON : G_CHECK_OFF));
        break;
    }
}

static void draw_list(dialog *d, int y, int x, int w, int rows)
{
    if (d->sel < d->scroll)
        d->scroll = d->sel;
    if (d->sel >= d->scroll + rows)
        d->scroll = d->sel - rows + 1;
    d->list_y = y;
    d->list_rows = rows;
    for (int r = 0; r < rows && d->scroll + r < d->n_items; r++) {
        int i = d->scroll + r;
        int selected = i == d->sel;
        attr_t a = selected ? (d->focus == 0 ? ui_attr(UI_SELECT) : ui_attr(UI_FOCUS)) : ui_attr(UI_DIALOG);
        ui_fill(y + r, x, w, a);
        int used = ui_put(y + r, x, w, a, selected ? ui_glyph_text(G_ARROW) : " ");
        used += ui_put(y + r, x + used, w - used, a, " ");
        if (d->checklist)
            used += ui_printf(y + r, x + used, w - used, a, "%s ",
                              ui_glyph_text(d->items[i].checked ? G_CHECK_ON : G_CHECK_OFF));
        ui_put(y + r, x + used, w - used, a, d->items[i].text);
    }
}

void dialog_draw(studio *s)
{
    dialog *d = s->dlg;
    if (!d)
        return;
    int w = box_width(d), inner = w - 4;
    const char *detail = has_list(d) && d->sel < d->n_items ? d->items[d->sel].detail : NULL;
    int msg_lines = *d->message ? wrap(d->message, inner, 0, 0, 0, 0) : 0;
    int detail_lines = detail ? wrap(detail, inner, 0, 0, 0, 0) : 0;
    int err_lines = d->error ? wrap(d->error, inner, 0, 0, 0, 0) : 0;
    int fixed = 2 + msg_lines + (msg_lines ? 1 : 0) + d->n_fields + err_lines + 2 + (detail ? detail_lines + 1 : 0);
    int rows = has_list(d) ? list_height(d, LINES - 2 - fixed - 1) : 0;
    if (has_list(d) && rows < 3 && d->n_items >= 3)
        rows = 3;
    int h = fixed + rows + (has_list(d) ? 1 : 0);
    if (h > LINES)
        h = LINES;
    int y = (LINES - h) / 2, x = (COLS - w) / 2;
    ui_clear(y, x, h, w, ui_attr(UI_DIALOG));
    ui_box(y, x, h, w, ui_attr(UI_FOCUS));
    ui_printf(y, x + 2, w - 4, ui_attr(UI_FOCUS), " %s ", d->title);
    int row = y + 1;
    if (msg_lines) {
        wrap(d->message, inner, row, x + 2, ui_attr(UI_DIALOG), 1);
        row += msg_lines + 1;
    }
    if (has_list(d)) {
        draw_list(d, row, x + 2, inner, rows);
        row += rows + 1;
        if (detail) {
            wrap(detail, inner, row, x + 2, ui_attr(UI_DIM), 1);
            row += detail_lines + 1;
        }
    }
    for (int i = 0; i < d->n_fields && row < y + h - 2; i++, row++)
        draw_field(d, i, row, x + 2, inner, d->focus == first_field(d) + i);
    if (d->error && row < y + h - 2)
        row += wrap(d->error, inner, row, x + 2, ui_attr(UI_ERROR), 1);
    d->button_y = y + h - 2;
    int bx = x + 2;
    for (int i = 0; i < d->n_buttons; i++) {
        int focused = d->focus == first_button(d) + i;
        d->button_x[i] = bx;
        bx += ui_printf(d->button_y, bx, x + w - 2 - bx, focused ? ui_attr(UI_SELECT) : ui_attr(UI_ACCENT), "[ %s ]",
                        d->buttons[i]) + 2;
    }
    /* the cursor: in the focused text field, else hidden */
    int ff = d->focus - first_field(d);
    if (ff >= 0 && ff < d->n_fields && (d->fields[ff].kind == DF_TEXT || d->fields[ff].kind == DF_SECRET)) {
        int lw = label_width(d);
        field_draw(&d->fields[ff].text, d->fields[ff].y, x + 2 + lw + 2, inner - lw - 2, ui_attr(UI_INPUT), 1);
        curs_set(1);
    } else {
        curs_set(0);
    }
}

/* --- keys ---------------------------------------------------------------------------------- */

static void finish(studio *s, int button)
{
    dialog *d = s->dlg;
    int close = d->on_done ? d->on_done(s, d, button) : 1;
    /* on_done may have opened another dialog on top: close d wherever it is */
    if (!close)
        return;
    if (s->dlg == d) {
        dialog_close(s);
        return;
    }
    for (dialog *p = s->dlg; p; p = p->below) {
        if (p->below == d) {
            p->below = d->below;
            dialog_free(d);
            return;
        }
    }
}

static void changed(studio *s, dialog *d, int f)
{
    d->fields[f].touched = 1;
    if (d->on_change)
        d->on_change(s, d, f);
}

static void move_focus(dialog *d, int delta)
{
    int n = focus_count(d);
    if (n > 0)
        d->focus = (d->focus + delta + n) % n;
}

static int toggle(studio *s, dialog *d, int delta)
{
    int f = d->focus - first_field(d);
    if (has_list(d) && d->focus == 0 && d->checklist && delta == 0) {
        d->items[d->sel].checked = !d->items[d->sel].checked;
        return 1;
    }
    if (f < 0 || f >= d->n_fields)
        return 0;
    dlg_field *fl = &d->fields[f];
    if (fl->kind == DF_CHOICE) {
        fl->choice = (fl->choice + (delta ? delta : 1) + fl->n_choices) % fl->n_choices;
        changed(s, d, f);
        return 1;
    }
    if (fl->kind == DF_CHECK && delta == 0) {
        fl->checked = !fl->checked;
        changed(s, d, f);
        return 1;
    }
    return 0;
}

static int list_key(dialog *d, action act)
{
    if (!has_list(d) || d->focus != 0)
        return 0;
    int page = d->list_rows > 1 ? d->list_rows - 1 : 1;
    switch (act) {
    case A_UP:
    case A_DLG_PREV:
        if (d->sel == 0)
            return 0;
        d->sel--;
        return 1;
    case A_DOWN:
    case A_DLG_NEXT:
        if (d->sel + 1 >= d->n_items)
            return 0;
        d->sel++;
        return 1;
    case A_PAGE_UP: d->sel = d->sel > page ? d->sel - page : 0; return 1;
    case A_PAGE_DOWN: d->sel = d->sel + page < d->n_items ? d->sel + page : d->n_items - 1; return 1;
    case A_HOME: d->sel = 0; return 1;
    case A_END: d->sel = d->n_items - 1; return 1;
    default: return 0;
    }
}

void dialog_key(studio *s, action act, int is_key, unsigned key)
{
    dialog *d = s->dlg;
    int fb = first_button(d);
    int is_button = d->focus >= fb;
    int f = d->focus - first_field(d);
    int is_text = !is_button && f >= 0 && f < d->n_fields &&
                  (d->fields[f].kind == DF_TEXT || d->fields[f].kind == DF_SECRET);
    /* Up, Down, PgUp, PgDn, Home, End move in a focused list; Tab leaves it. */
    if (is_key && list_key(d, act))
        return;
    switch (act) {
    case A_DLG_OK:
        finish(s, is_button ? d->focus - fb : 0);
        return;
    case A_DLG_CANCEL: finish(s, -1); return;
    case A_DLG_NEXT: move_focus(d, 1); return;
    case A_DLG_PREV: move_focus(d, -1); return;
    case A_DLG_TOGGLE:
        if (is_button) {
            finish(s, d->focus - fb);
            return;
        }
        if (toggle(s, d, 0))
            return;
        break;
    case A_DLG_LEFT:
    case A_DLG_RIGHT:
        if (is_button) {
            move_focus(d, act == A_DLG_LEFT ? -1 : 1);
            return;
        }
        if (!is_text && toggle(s, d, act == A_DLG_LEFT ? -1 : 1))
            return;
        break;
    default: break;
    }
    if (is_text && field_key(&d->fields[f].text, is_key, key) == 2)
        changed(s, d, f);
}

void dialog_mouse(studio *s, int y, int x, int dbl)
{
    dialog *d = s->dlg;
    if (y == d->button_y) {
        for (int i = d->n_buttons - 1; i >= 0; i--) {
            if (x >= d->button_x[i]) {
                d->focus = first_button(d) + i;
                finish(s, i);
                return;
            }
        }
    }
    if (has_list(d) && y >= d->list_y && y < d->list_y + d->list_rows && d->scroll + (y - d->list_y) < d->n_items) {
        d->sel = d->scroll + (y - d->list_y);
        d->focus = 0;
        if (d->checklist && !dbl)
            d->items[d->sel].checked = !d->items[d->sel].checked;
        if (dbl && !d->checklist)
            finish(s, 0);
        return;
    }
    for (int i = 0; i < d->n_fields; i++) {
        if (d->fields[i].y == y) {
            d->focus = first_field(d) + i;
            toggle(s, d, 0);
            return;
        }
    }
}
