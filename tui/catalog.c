/*
 * catalog: the start screen (see catalog.h). Row 0 is "New function", then
 * one row per function directory (a folder of the workspace holding
 * handler.js), sorted by name; the selected function's description and
 * instances show under the list.
 *
 * Invariants: the catalog's data is a JSON array rebuilt by catalog_load;
 * sel is 0..n (0: New function); nothing here changes files except
 * creating the workspace when the user asks.
 */
#include "tui/catalog.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tui/dialog.h"
#include "tui/ui.h"
#include "workspace/deploy.h"
#include "workspace/instances.h"
#include "workspace/store.h"
#include "workspace/templates.h"
#include "workspace/workspace.h"

typedef struct catalog {
    json_t *functions;    /* [{name, displayName, description, version, instances: [{name, version}]}] */
    int sel, scroll, list_y, rows;
    char *error;
} catalog;

static catalog *cat_of(studio *s)
{
    if (!s->catalog) {
        s->catalog = calloc(1, sizeof(catalog));
        if (!s->catalog)
            abort();
    }
    return s->catalog;
}

static const char *str(json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

void catalog_free(studio *s)
{
    catalog *c = s->catalog;
    if (!c)
        return;
    json_decref(c->functions);
    free(c->error);
    free(c);
    s->catalog = NULL;
}

/* --- reading the workspace ------------------------------------------------------------------------ */

static int is_function(const char *root, const char *name)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s/handler.js", root, name) >= (int)sizeof path)
        return 0;
    return name[0] != '.' && access(path, R_OK) == 0;
}

static json_t *describe(studio *s, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s/function.json", s->root, name);
    json_t *manifest = json_load_file(path, 0, NULL);
    json_t *f = json_pack("{s:s, s:s, s:s, s:i, s:[]}", "name", name, "displayName", str(manifest, "displayName"),
                          "description", str(manifest, "description"), "version", 0, "instances");
    json_decref(manifest);
    if (!f)
        abort();
    char *err = NULL;
    int latest = 0;
    if (s->db && deploy_latest(s->db, name, &latest, &err) >= 0)
        json_must(json_object_set_new(f, "version", json_integer(latest)));
    free(err);
    err = NULL;
    instance_row *rows = NULL;
    size_t n = 0;
    if (s->db && instances_list(s->db, name, &rows, &n, &err) == 0) {
        for (size_t i = 0; i < n; i++)
            json_must(json_array_append_new(json_object_get(f, "instances"),
                                            json_pack("{s:s, s:i}", "name", rows[i].name, "version", rows[i].version)));
        instances_free(rows, n);
    }
    free(err);
    return f;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void catalog_load(studio *s)
{
    catalog *c = cat_of(s);
    json_decref(c->functions);
    c->functions = json_array();
    DIR *d = opendir(s->root);
    if (!d) {
        free(c->error);
        if (asprintf(&c->error, "cannot read %s: %s", s->root, strerror(errno)) < 0)
            abort();
        return;
    }
    size_t n = 0, cap = 16;
    char **names = malloc(cap * sizeof *names);
    struct dirent *ent;
    while (names && (ent = readdir(d)) != NULL) {
        if (!is_function(s->root, ent->d_name))
            continue;
        if (n == cap && !(names = realloc(names, (cap *= 2) * sizeof *names)))
            abort();
        if (!(names[n++] = strdup(ent->d_name)))
            abort();
    }
    closedir(d);
    if (!names)
        abort();
    qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        json_must(json_array_append_new(c->functions, describe(s, names[i])));
        free(names[i]);
    }
    free(names);
}

/* --- drawing ------------------------------------------------------------------------------------------ */

static void draw_row(studio *s, catalog *c, int i, int y, int x, int w)
{
    (void)s;
    int sel = i == c->sel;
    attr_t a = sel ? ui_attr(UI_SELECT) : ui_attr(UI_NORMAL);
    ui_fill(y, x, w, a);
    int used = ui_put(y, x, w, a, sel ? ui_glyph_text(G_ARROW) : " ");
    if (i == 0) {
        ui_put(y, x + used, w - used, a | A_BOLD, " + New function from a template...");
        return;
    }
    json_t *f = json_array_get(c->functions, (size_t)i - 1);
    used += ui_printf(y, x + used, w - used, a | A_BOLD, " %-24s", str(f, "name"));
    int version = (int)json_integer_value(json_object_get(f, "version"));
    size_t ni = json_array_size(json_object_get(f, "instances"));
    if (version > 0)
        used += ui_printf(y, x + used, w - used, a, " v%-4d", version);
    else
        used += ui_put(y, x + used, w - used, a, " -    ");
    used += ui_printf(y, x + used, w - used, a, " %zu instance%s  ", ni, ni == 1 ? " " : "s");
    ui_put(y, x + used, w - used, sel ? a : ui_attr(UI_DIM), str(f, "description"));
}

static void draw_detail(catalog *c, int y, int x, int w, int end)
{
    if (c->sel == 0) {
        ui_put(y, x, w, ui_attr(UI_DIM), "Pick a template; the function gets its name when you first save it (^S).");
        return;
    }
    json_t *f = json_array_get(c->functions, (size_t)c->sel - 1);
    ui_printf(y++, x, w, ui_attr(UI_ACCENT) | A_BOLD, "%s", *str(f, "displayName") ? str(f, "displayName") : str(f, "name"));
    if (y < end && *str(f, "description"))
        ui_put(y++, x, w, ui_attr(UI_NORMAL), str(f, "description"));
    int version = (int)json_integer_value(json_object_get(f, "version"));
    if (y < end && version)
        ui_printf(y++, x, w, ui_attr(UI_DIM), "deployed: version %d is the newest", version);
    else if (y < end)
        ui_put(y++, x, w, ui_attr(UI_DIM), "not deployed yet (F6 in the studio: Save & Deploy)");
    size_t i;
    json_t *inst;
    json_array_foreach(json_object_get(f, "instances"), i, inst) {
        if (y >= end)
            break;
        int v = (int)json_integer_value(json_object_get(inst, "version"));
        ui_printf(y++, x, w, ui_attr(UI_NORMAL), "  instance %s runs version %d%s", str(inst, "name"), v,
                  v != version ? " (not the newest)" : "");
    }
}

void catalog_draw(studio *s)
{
    catalog *c = cat_of(s);
    int top = 1, h = LINES - 3, w = COLS;
    ui_box(top, 0, h, w, ui_attr(UI_FOCUS));
    ui_printf(top, 2, w - 4, ui_attr(UI_SELECT), " Functions in %s ", s->root ? s->root : "");
    int n = (int)json_array_size(c->functions) + 1;
    int detail_rows = 6;
    c->list_y = top + 1;
    c->rows = h - 2 - detail_rows - 1;
    if (c->rows < 3)
        c->rows = 3;
    if (c->sel >= n)
        c->sel = n - 1;
    if (c->sel < 0)
        c->sel = 0;
    if (c->sel < c->scroll)
        c->scroll = c->sel;
    if (c->sel >= c->scroll + c->rows)
        c->scroll = c->sel - c->rows + 1;
    for (int r = 0; r < c->rows && c->scroll + r < n; r++)
        draw_row(s, c, c->scroll + r, c->list_y + r, 2, w - 4);
    if (c->error)
        ui_put(c->list_y + c->rows, 2, w - 4, ui_attr(UI_ERROR), c->error);
    mvhline(c->list_y + c->rows + 1, 1, ACS_HLINE, w - 2);
    draw_detail(c, c->list_y + c->rows + 2, 2, w - 4, top + h - 1);
    curs_set(0);
}

/* --- templates ------------------------------------------------------------------------------------------ */

typedef struct pick_ctx {
    template_info *list;
    size_t n;
} pick_ctx;

static void pick_free(void *p)
{
    pick_ctx *c = p;
    templates_free_list(c->list, c->n);
    free(c);
}

static int pick_done(studio *s, dialog *d, int button)
{
    pick_ctx *c = d->ctx;
    if (button != 0 || (size_t)d->sel >= c->n)
        return 1;
    studio_new_function(s, c->list[d->sel].dir, c->list[d->sel].name);
    return 1;
}

void catalog_pick_template(studio *s)
{
    pick_ctx *c = calloc(1, sizeof *c);
    if (!c)
        abort();
    char *root = NULL;
    c->n = templates_list(&c->list, &root);
    if (c->n == 0) {
        pick_free(c);
        dialog_message(s, "New function", "No templates found%s%s. Set SRCFN_TEMPLATES to the templates folder.",
                       root ? " in " : "", root ? root : "");
        free(root);
        return;
    }
    free(root);
    dialog *d = dialog_new("New function: pick a template", "");
    d->min_width = 64;
    for (size_t i = 0; i < c->n; i++) {
        char text[256];
        snprintf(text, sizeof text, "%-16s %s", c->list[i].name, c->list[i].display_name);
        dialog_add_item(d, text, c->list[i].description, 0);
    }
    static const char *const buttons[] = {"Open", "Cancel"};
    dialog_set_buttons(d, buttons, 2);
    dialog_open(s, d, pick_done, c, pick_free);
}

/* --- keys and mouse --------------------------------------------------------------------------------------- */

static void open_selected(studio *s, catalog *c)
{
    if (c->sel == 0) {
        catalog_pick_template(s);
        return;
    }
    json_t *f = json_array_get(c->functions, (size_t)c->sel - 1);
    char *name = strdup(str(f, "name"));
    if (!name)
        abort();
    studio_open_function(s, name);
    free(name);
}

void catalog_key(studio *s, action act)
{
    catalog *c = cat_of(s);
    int n = (int)json_array_size(c->functions) + 1;
    int page = c->rows > 1 ? c->rows - 1 : 1;
    switch (act) {
    case A_UP: c->sel = c->sel > 0 ? c->sel - 1 : 0; break;
    case A_DOWN: c->sel = c->sel + 1 < n ? c->sel + 1 : c->sel; break;
    case A_PAGE_UP: c->sel = c->sel > page ? c->sel - page : 0; break;
    case A_PAGE_DOWN: c->sel = c->sel + page < n ? c->sel + page : n - 1; break;
    case A_HOME: c->sel = 0; break;
    case A_END: c->sel = n - 1; break;
    case A_OPEN: open_selected(s, c); break;
    case A_CAT_NEW: catalog_pick_template(s); break;
    default: break;
    }
}

void catalog_mouse(studio *s, int y, int x, int dbl)
{
    (void)x;
    catalog *c = cat_of(s);
    int i = c->scroll + (y - c->list_y);
    if (y < c->list_y || y >= c->list_y + c->rows || i > (int)json_array_size(c->functions))
        return;
    c->sel = i;
    if (dbl)
        open_selected(s, c);
}

/* --- outside a workspace --------------------------------------------------------------------------------------- */

/* What `srcfn init` writes: the state stays out of git. */
static int write_gitignore(const char *root, char **err)
{
    char *path = NULL;
    if (asprintf(&path, "%s/.srcfn/.gitignore", root) < 0)
        abort();
    struct stat st;
    int rc = 0;
    static const char text[] = "# srcfn's local state (versions, instances, queues): not for git\n*\n";
    if (stat(path, &st) != 0)
        rc = model_write_file(path, text, sizeof text - 1, 0644, err);
    free(path);
    return rc;
}

static int offer_done(studio *s, dialog *d, int button)
{
    if (button != 0) {
        s->quit = 1;
        return 1;
    }
    char *err = NULL;
    char *here = realpath(".", NULL);
    if (!here || workspace_init(here, &err) != 0 || write_gitignore(here, &err) != 0) {
        dialog_set_error(d, "Cannot make a workspace here: %s", err ? err : strerror(errno));
        free(err);
        free(here);
        return 0;
    }
    s->root = here;
    char *store_err = NULL;
    s->db = store_open(s->root, &store_err);
    free(store_err);
    if (s->opt.name)
        studio_open_function(s, s->opt.name);
    else
        studio_show_catalog(s);
    return 1;
}

void catalog_offer_workspace(studio *s)
{
    char *here = realpath(".", NULL);
    char msg[4200];
    snprintf(msg, sizeof msg,
             "%s is not inside a srcfn workspace. A workspace is a folder of functions with a hidden .srcfn/ "
             "folder for deployed versions and instances (what `srcfn init` makes).\n\nMake %s a workspace?",
             here ? here : ".", here ? here : "this folder");
    free(here);
    dialog *d = dialog_new("No workspace", msg);
    static const char *const buttons[] = {"Create it here", "Quit"};
    dialog_set_buttons(d, buttons, 2);
    dialog_open(s, d, offer_done, NULL, NULL);
}
