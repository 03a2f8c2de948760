/*
 * pane-editor: the Code pane, a thin wrapper around the editor component
 * (tui/editor.h, used through its interface only). The editor draws and
 * handles typing and movement; this pane adds what needs the studio: find
 * and go-to-line prompts, the clipboard (kept here and sent to the terminal
 * with OSC 52), mouse clicks and the wheel, and telling the studio that the
 * code changed (for the recovery file and the background syntax check).
 *
 * Invariants: the editor object is the studio's (s->ed), never replaced
 * here; the screen position of the cursor is remembered after every focused
 * draw, which is what turns a click into a line and column.
 */
#include <stdlib.h>
#include <string.h>

#include "tui/dialog.h"
#include "tui/studio.h"
#include "tui/ui.h"

typedef struct editor_pane {
    int cur_y, cur_x;     /* screen cell of the cursor at the last focused draw */
    int known;
} editor_pane;

static void draw(pane *p, int focused)
{
    editor_pane *ep = p->self;
    editor_draw(p->s->ed, stdscr, p->y, p->x, p->h, p->w, focused);
    if (focused) {
        getyx(stdscr, ep->cur_y, ep->cur_x);
        ep->known = ep->cur_y >= p->y && ep->cur_y < p->y + p->h;
        curs_set(1);
    }
}

/* Whether a key edits the text (rather than only moving). */
static int edits(int is_key, unsigned key)
{
    if (!is_key)
        return 1;
    return key == KEY_BACKSPACE || key == KEY_DC || key == KEY_ENTER;
}

static void set_clipboard(studio *s, char *text)
{
    if (!text)
        return;
    free(s->clipboard);
    s->clipboard = text;
    ui_clipboard(text);
}

/* --- prompts ---------------------------------------------------------------------------------- */

static int find_done(studio *s, dialog *d, int button)
{
    if (button != 0)
        return 1;
    const char *needle = dialog_text(d, 0);
    if (!*needle)
        return 1;
    free(s->find_text);
    s->find_text = strdup(needle);
    if (!s->find_text)
        abort();
    if (!editor_find(s->ed, needle, 0))
        studio_status(s, 3, "\"%s\" is not in handler.js", needle);
    return 1;
}

static int goto_done(studio *s, dialog *d, int button)
{
    if (button != 0)
        return 1;
    char *end = NULL;
    long line = strtol(dialog_text(d, 0), &end, 10);
    if (end == dialog_text(d, 0) || *end || line < 1) {
        dialog_set_error(d, "Type a line number (1 to %zu).", editor_line_count(s->ed));
        return 0;
    }
    editor_goto(s->ed, (size_t)line - 1, 0);
    return 1;
}

static void prompt(studio *s, const char *title, const char *label, const char *initial, dlg_done done)
{
    dialog *d = dialog_new(title, "");
    dialog_add_text(d, label, initial, 0);
    d->min_width = 48;
    dialog_open(s, d, done, NULL, NULL);
}

/* --- keys ---------------------------------------------------------------------------------------- */

static int action_key(pane *p, action act)
{
    studio *s = p->s;
    editor *ed = s->ed;
    switch (act) {
    case A_ED_FIND: prompt(s, "Find", "Text", s->find_text ? s->find_text : "", find_done); return 1;
    case A_ED_FIND_NEXT:
        if (!s->find_text)
            prompt(s, "Find", "Text", "", find_done);
        else if (!editor_find(ed, s->find_text, 1))
            studio_status(s, 3, "\"%s\" is not in handler.js", s->find_text);
        return 1;
    case A_ED_GOTO: prompt(s, "Go to line", "Line", "", goto_done); return 1;
    case A_ED_UNDO:
        if (editor_undo(ed))
            studio_code_changed(s);
        return 1;
    case A_ED_REDO:
        if (editor_redo(ed))
            studio_code_changed(s);
        return 1;
    case A_ED_CUT:
        if (editor_has_selection(ed)) {
            set_clipboard(s, editor_cut(ed));
            studio_code_changed(s);
        }
        return 1;
    case A_ED_COPY:
        if (editor_has_selection(ed)) {
            set_clipboard(s, editor_copy(ed));
            studio_status(s, 0, "Copied (also to the terminal's clipboard).");
        }
        return 1;
    case A_ED_PASTE:
        if (s->clipboard) {
            editor_insert(ed, s->clipboard, strlen(s->clipboard));
            studio_code_changed(s);
        }
        return 1;
    case A_ED_SELECT_ALL: editor_select_all(ed); return 1;
    case A_UP: editor_scroll(ed, -1); return 1;       /* the mouse wheel */
    case A_DOWN: editor_scroll(ed, 1); return 1;
    default: return 0;
    }
}

static int key(pane *p, action act, int is_key, unsigned k)
{
    if (act != A_NONE)
        return action_key(p, act);
    if (!editor_key(p->s->ed, is_key, k, p->h > 1 ? p->h - 1 : 1))
        return 0;
    if (edits(is_key, k))
        studio_code_changed(p->s);
    return 1;
}

/* --- mouse ------------------------------------------------------------------------------------------ */

static void mouse(pane *p, int row, int col, int dbl)
{
    (void)dbl;
    editor_pane *ep = p->self;
    if (!ep->known)
        draw(p, 1);   /* learn where the cursor is drawn; the next frame redraws anyway */
    if (!ep->known)
        return;
    editor *ed = p->s->ed;
    size_t top = 0, left = 0, cl = 0, cc = 0, len = 0;
    editor_viewport(ed, p->h, p->w, &top, &left);
    editor_cursor(ed, &cl, &cc);
    const char *line = editor_line(ed, cl, &len);
    /* where the text starts on screen: the cursor's cell minus its column */
    long text_x = (long)ep->cur_x - (long)(editor_display_col(line, len, cc) - left);
    long target_line = (long)top + row;
    if (target_line < 0)
        return;
    const char *tl = editor_line(ed, (size_t)target_line, &len);
    long dcol = (long)(p->x + col) - text_x + (long)left;
    editor_goto(ed, (size_t)target_line, dcol < 0 ? 0 : editor_col_at_display(tl, len, (size_t)dcol));
}

static void paste(pane *p, const char *text, size_t len)
{
    if (len == 0)
        return;
    editor_insert(p->s->ed, text, len);   /* as it is: one undo step, no auto-indent */
    studio_code_changed(p->s);
}

static void focus(pane *p, int gained)
{
    editor_pane *ep = p->self;
    if (!gained)
        ep->known = 0;   /* the cursor's cell is only known while focused */
}

static void pane_free(pane *p)
{
    free(p->self);
}

static const pane_ops ops = {
    .title = "Code",
    .ctx = CTX_EDITOR,
    .draw = draw,
    .key = key,
    .mouse = mouse,
    .focus = focus,
    .paste = paste,
    .free = pane_free,
};

pane *pane_editor_new(studio *s)
{
    return pane_new(s, &ops, sizeof(editor_pane));
}
