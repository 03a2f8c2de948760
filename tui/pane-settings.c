/*
 * pane-settings: the Settings tab. Lists the function's settings (label,
 * name, type, required, encrypted) with their test values, and says at the
 * top whether the test values satisfy the declaration, in the words a run
 * would fail with (Invalid Settings: …). Settings are added, edited and
 * deleted in a form whose name follows the label in camelCase until the name
 * is edited by hand; a declaration is refused with the reason
 * deploy_check_manifest gives (the same check Save & Deploy makes). Test
 * values are read as `srcfn connect --setting` reads them
 * (instances_parse_settings); encrypted ones are masked ("••••1234") and an
 * encrypted value is never put back into a field.
 *
 * Invariants: s->manifest's "settings" is only replaced by a declaration that
 * passed deploy_check_manifest; test values live in s->test_settings, keyed
 * by setting name, and follow a setting when it is renamed or deleted.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/settings.h"
#include "tui/dialog.h"
#include "tui/studio.h"
#include "tui/ui.h"
#include "workspace/deploy.h"
#include "workspace/instances.h"
#include "workspace/secrets.h"

static const char *const type_ids[] = {"STRING", "BOOLEAN", "ARRAY", "TEXT_MAP"};
static const char *const type_names[] = {"string", "boolean", "array of strings", "map (text to text)"};
#define N_TYPES 4

typedef struct settings_pane {
    int sel, scroll;
    int row_y[64];        /* first screen row of each visible setting, for clicks */
    int rows_shown;
} settings_pane;

enum { F_LABEL, F_NAME, F_TYPE, F_DESCRIPTION, F_REQUIRED, F_ENCRYPTED };

static json_t *decl_of(studio *s)
{
    return model_settings_decl(s);
}

static const char *str(json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

json_t *settings_problem(studio *s)
{
    return settings_check(decl_of(s), s->test_settings);
}

/* --- camelCase ------------------------------------------------------------------------------------ */

static int alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static char upper(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* "API Key" -> "apiKey", "user id 2" -> "userId2": words split at anything
 * that is not a letter or digit and where a lowercase letter meets an
 * uppercase one; the first word lowercase, the others capitalised; a
 * leading digit gets a '_' so the name stays an identifier. */
static void camel_case(const char *label, char *out, size_t size)
{
    size_t o = 0;
    int words = 0, new_word = 1;
    for (size_t i = 0; label[i] && o + 2 < size; i++) {
        char c = label[i];
        if (!alnum(c)) {
            new_word = 1;
            continue;
        }
        if (i > 0 && alnum(label[i - 1]) && c >= 'A' && c <= 'Z' && label[i - 1] >= 'a' && label[i - 1] <= 'z')
            new_word = 1;
        if (o == 0 && c >= '0' && c <= '9')
            out[o++] = '_';
        if (new_word) {
            out[o++] = words == 0 ? lower(c) : upper(c);
            words++;
            new_word = 0;
        } else {
            out[o++] = lower(c);
        }
    }
    out[o] = '\0';
}

/* --- the setting form ------------------------------------------------------------------------------ */

typedef struct form_ctx {
    int index;            /* the setting edited, or -1 for a new one */
} form_ctx;

static void form_change(studio *s, dialog *d, int f)
{
    (void)s;
    if (f == F_LABEL && !d->fields[F_NAME].touched) {
        char name[128];
        camel_case(d->fields[F_LABEL].text.text, name, sizeof name);
        field_set(&d->fields[F_NAME].text, name);
    }
}

static int type_index(const char *type)
{
    for (int i = 0; i < N_TYPES; i++) {
        if (strcmp(type, type_ids[i]) == 0)
            return i;
    }
    return 0;
}

static json_t *setting_from_form(dialog *d)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:b, s:b}", "name", dialog_text(d, F_NAME), "label",
                          dialog_text(d, F_LABEL), "description", dialog_text(d, F_DESCRIPTION), "type",
                          type_ids[d->fields[F_TYPE].choice], "required", d->fields[F_REQUIRED].checked, "sensitive",
                          d->fields[F_ENCRYPTED].checked);
    return o;
}

/* Moves the test value of old_name to new_name (or drops it when new_name is NULL). */
static void move_value(studio *s, const char *old_name, const char *new_name)
{
    json_t *v = json_object_get(s->test_settings, old_name);
    if (!v)
        return;
    json_incref(v);
    (void)json_object_del(s->test_settings, old_name);
    if (new_name)
        json_must(json_object_set(s->test_settings, new_name, v));
    json_decref(v);
}

static int form_done(studio *s, dialog *d, int button)
{
    form_ctx *c = d->ctx;
    if (button != 0)
        return 1;
    if (!*dialog_text(d, F_LABEL)) {
        dialog_set_error(d, "A setting needs a label.");
        return 0;
    }
    json_t *setting = setting_from_form(d);
    json_t *decl = json_deep_copy(decl_of(s));
    if (!setting || !decl)
        abort();
    char *old_name = c->index >= 0 ? strdup(str(json_array_get(decl, (size_t)c->index), "name")) : NULL;
    if (c->index >= 0)
        json_must(json_array_set_new(decl, (size_t)c->index, setting));
    else
        json_must(json_array_append_new(decl, setting));
    json_t *check = json_pack("{s:O}", "settings", decl);
    char *err = NULL;
    int ok = check && deploy_check_manifest(check, &err) == 0;
    json_decref(check);
    if (!ok) {
        dialog_set_error(d, "Refused: %s", err ? err : "not a valid declaration");
        free(err);
        free(old_name);
        json_decref(decl);
        return 0;
    }
    json_must(json_object_set_new(s->manifest, "settings", decl));
    if (old_name && strcmp(old_name, dialog_text(d, F_NAME)) != 0)
        move_value(s, old_name, dialog_text(d, F_NAME));
    free(old_name);
    settings_pane *sp = s->panes[P_SETTINGS]->self;
    if (c->index < 0)
        sp->sel = (int)json_array_size(decl) - 1;
    model_save_test_state(s);
    studio_status(s, 2, "Setting \"%s\" %s (^S saves function.json).", dialog_text(d, F_NAME),
                  c->index < 0 ? "added" : "changed");
    return 1;
}

static void open_form(studio *s, int index)
{
    json_t *setting = index >= 0 ? json_array_get(decl_of(s), (size_t)index) : NULL;
    dialog *d = dialog_new(index >= 0 ? "Edit setting" : "Add setting",
                           "The name follows the label until you edit it; code reads settings.NAME.");
    dialog_add_text(d, "Label", str(setting, "label"), 0);
    dialog_add_text(d, "Name", str(setting, "name"), 0);
    dialog_add_choice(d, "Type", type_names, N_TYPES, type_index(str(setting, "type")));
    dialog_add_text(d, "Description", str(setting, "description"), 0);
    dialog_add_check(d, "Required", json_is_true(json_object_get(setting, "required")));
    dialog_add_check(d, "Encrypted", json_is_true(json_object_get(setting, "sensitive")));
    if (setting) {
        /* a setting whose name differs from its label's camelCase was named by hand */
        char name[128];
        camel_case(str(setting, "label"), name, sizeof name);
        d->fields[F_NAME].touched = strcmp(name, str(setting, "name")) != 0;
    }
    d->on_change = form_change;
    d->min_width = 64;
    form_ctx *c = malloc(sizeof *c);
    if (!c)
        abort();
    c->index = index;
    static const char *const buttons[] = {"OK", "Cancel"};
    dialog_set_buttons(d, buttons, 2);
    dialog_open(s, d, form_done, c, free);
}

/* --- delete ------------------------------------------------------------------------------------------ */

static int delete_done(studio *s, dialog *d, int button)
{
    form_ctx *c = d->ctx;
    if (button != 0)
        return 1;
    json_t *decl = json_deep_copy(decl_of(s));
    char *name = strdup(str(json_array_get(decl, (size_t)c->index), "name"));
    if (!decl || !name)
        abort();
    json_must(json_array_remove(decl, (size_t)c->index));
    json_must(json_object_set_new(s->manifest, "settings", decl));
    move_value(s, name, NULL);
    model_save_test_state(s);
    studio_status(s, 2, "Setting \"%s\" deleted (^S saves function.json).", name);
    free(name);
    return 1;
}

static void open_delete(studio *s, int index)
{
    json_t *setting = json_array_get(decl_of(s), (size_t)index);
    char msg[256];
    snprintf(msg, sizeof msg, "Delete the setting \"%s\" (%s) and its test value?", str(setting, "label"),
             str(setting, "name"));
    dialog *d = dialog_new("Delete setting", msg);
    static const char *const buttons[] = {"Delete", "Cancel"};
    dialog_set_buttons(d, buttons, 2);
    form_ctx *c = malloc(sizeof *c);
    if (!c)
        abort();
    c->index = index;
    dialog_open(s, d, delete_done, c, free);
    d->focus = 1;   /* Cancel first: deleting takes a deliberate key */
}

/* --- test values --------------------------------------------------------------------------------------- */

static const char *value_hint(const char *type, int secret)
{
    if (strcmp(type, "ARRAY") == 0)
        return secret ? "Items separated by commas, or a JSON array. Encrypted: never shown again; "
                        "leave empty to keep the current value."
                      : "Items separated by commas, or a JSON array.";
    if (strcmp(type, "TEXT_MAP") == 0)
        return secret ? "key:value pairs separated by commas, or a JSON object. Encrypted: never shown again; "
                        "leave empty to keep the current value."
                      : "key:value pairs separated by commas, or a JSON object.";
    return secret ? "Encrypted: the value is never shown again; leave empty to keep the current one." : "";
}

/* The value as people type it: a string as is, anything else as JSON (malloc'd). */
static char *value_text(json_t *v)
{
    char *t = !v ? strdup("") : json_is_string(v) ? strdup(json_string_value(v)) : json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!t)
        abort();
    return t;
}

static int set_value(studio *s, json_t *setting, const char *text, char **err)
{
    json_t *one = json_deep_copy(setting);
    json_must(json_object_set_new(one, "required", json_false()));
    json_t *decl = json_pack("[o]", one);
    char *pair = NULL;
    if (!decl || asprintf(&pair, "%s=%s", str(setting, "name"), text) < 0)
        abort();
    json_t *values = NULL;
    int rc = instances_parse_settings(decl, &pair, 1, &values, err);
    if (rc == 0)
        json_must(json_object_update(s->test_settings, values));
    json_decref(values);
    json_decref(decl);
    free(pair);
    return rc;
}

static int value_done(studio *s, dialog *d, int button)
{
    form_ctx *c = d->ctx;
    json_t *setting = json_array_get(decl_of(s), (size_t)c->index);
    const char *name = str(setting, "name");
    int secret = json_is_true(json_object_get(setting, "sensitive"));
    if (button < 0 || button == 2)
        return 1;
    if (button == 1) {
        (void)json_object_del(s->test_settings, name);
    } else if (strcmp(str(setting, "type"), "BOOLEAN") == 0) {
        if (d->fields[0].choice == 0)
            (void)json_object_del(s->test_settings, name);
        else
            json_must(json_object_set_new(s->test_settings, name, json_boolean(d->fields[0].choice == 1)));
    } else if (!(secret && !*dialog_text(d, 0) && json_object_get(s->test_settings, name))) {
        char *err = NULL;
        if (set_value(s, setting, dialog_text(d, 0), &err) != 0) {
            dialog_set_error(d, "%s", err);
            free(err);
            return 0;
        }
    }
    model_save_test_state(s);
    return 1;
}

static void open_value(studio *s, int index)
{
    json_t *setting = json_array_get(decl_of(s), (size_t)index);
    const char *type = str(setting, "type");
    int secret = json_is_true(json_object_get(setting, "sensitive"));
    json_t *current = json_object_get(s->test_settings, str(setting, "name"));
    char title[160];
    snprintf(title, sizeof title, "Test value of %s", str(setting, "label"));
    dialog *d = dialog_new(title, value_hint(type, secret));
    if (strcmp(type, "BOOLEAN") == 0) {
        static const char *const choices[] = {"(no value)", "true", "false"};
        dialog_add_choice(d, "Value", choices, 3, !current ? 0 : json_is_true(current) ? 1 : 2);
    } else {
        char *text = secret ? strdup("") : value_text(current);   /* a secret is never shown back */
        if (!text)
            abort();
        dialog_add_text(d, "Value", text, secret);
        free(text);
    }
    d->min_width = 64;
    static const char *const buttons[] = {"OK", "Clear", "Cancel"};
    dialog_set_buttons(d, buttons, 3);
    form_ctx *c = malloc(sizeof *c);
    if (!c)
        abort();
    c->index = index;
    dialog_open(s, d, value_done, c, free);
}

static void flip_boolean(studio *s, json_t *setting)
{
    const char *name = str(setting, "name");
    json_t *v = json_object_get(s->test_settings, name);
    json_must(json_object_set_new(s->test_settings, name, json_boolean(!json_is_true(v))));
    model_save_test_state(s);
}

/* --- drawing ------------------------------------------------------------------------------------------- */

/* The test value as shown: masked when encrypted (malloc'd). */
static char *shown_value(json_t *setting, json_t *v)
{
    if (!v)
        return strdup("(no test value)");
    if (json_is_true(json_object_get(setting, "sensitive"))) {
        json_t *masked = secrets_mask_value(v);
        char *t = strdup(json_string_value(masked) ? json_string_value(masked) : SECRETS_MASK);
        json_decref(masked);
        return t;
    }
    return value_text(v);
}

/* The status takes two rows: the second for a long Invalid Settings reason. */
static void draw_status(pane *p)
{
    studio *s = p->s;
    json_t *problem = settings_problem(s);
    if (problem) {
        char text[512];
        snprintf(text, sizeof text, "%s Invalid Settings: %s", ui_glyph_text(G_FAIL), str(problem, "message"));
        ui_wrap(p->y, p->x, p->w, 2, ui_attr(UI_ERROR), text);
        json_decref(problem);
    } else if (json_array_size(decl_of(s)) == 0) {
        ui_put(p->y, p->x, p->w, ui_attr(UI_DIM), "No settings. a adds one (an API key, say).");
    } else {
        ui_printf(p->y, p->x, p->w, ui_attr(UI_OK), "%s The test values satisfy the settings.", ui_glyph_text(G_OK));
    }
}

static void draw_setting(pane *p, json_t *setting, int y, int selected)
{
    studio *s = p->s;
    attr_t a = selected ? ui_attr(UI_SELECT) : ui_attr(UI_NORMAL);
    ui_fill(y, p->x, p->w, a);
    int x = p->x;
    x += ui_put(y, x, p->w - (x - p->x), a, selected ? ui_glyph_text(G_ARROW) : " ");
    x += ui_printf(y, x, p->w - (x - p->x), a | A_BOLD, " %s", str(setting, "label"));
    x += ui_printf(y, x, p->w - (x - p->x), a, " (%s) %s", str(setting, "name"), str(setting, "type"));
    if (json_is_true(json_object_get(setting, "required")))
        x += ui_put(y, x, p->w - (x - p->x), a, " required");
    if (json_is_true(json_object_get(setting, "sensitive")))
        ui_put(y, x, p->w - (x - p->x), a, " encrypted");
    json_t *v = json_object_get(s->test_settings, str(setting, "name"));
    char *shown = shown_value(setting, v);
    if (!shown)
        abort();
    ui_printf(y + 1, p->x + 4, p->w - 4, v ? ui_attr(UI_ACCENT) : ui_attr(UI_DIM), "= %s", shown);
    free(shown);
}

static void draw(pane *p, int focused)
{
    (void)focused;
    settings_pane *sp = p->self;
    json_t *decl = decl_of(p->s);
    int n = (int)json_array_size(decl);
    if (sp->sel >= n)
        sp->sel = n - 1;
    if (sp->sel < 0)
        sp->sel = 0;
    draw_status(p);
    int per = 2, room = (p->h - 3) / per;
    if (room < 1)
        room = 1;
    if (sp->sel < sp->scroll)
        sp->scroll = sp->sel;
    if (sp->sel >= sp->scroll + room)
        sp->scroll = sp->sel - room + 1;
    sp->rows_shown = 0;
    for (int i = sp->scroll; i < n && i - sp->scroll < room && i - sp->scroll < 64; i++) {
        int y = p->y + 2 + (i - sp->scroll) * per;
        sp->row_y[i - sp->scroll] = y;
        sp->rows_shown++;
        draw_setting(p, json_array_get(decl, (size_t)i), y, i == sp->sel);
    }
    json_t *sel = json_array_get(decl, (size_t)sp->sel);
    if (sel && *str(sel, "description") && p->h >= 5)
        ui_put(p->y + p->h - 1, p->x, p->w, ui_attr(UI_DIM), str(sel, "description"));
}

static int key(pane *p, action act, int is_key, unsigned k)
{
    (void)is_key;
    (void)k;
    settings_pane *sp = p->self;
    studio *s = p->s;
    int n = (int)json_array_size(decl_of(s));
    json_t *setting = json_array_get(decl_of(s), (size_t)sp->sel);
    switch (act) {
    case A_SET_ADD: open_form(s, -1); return 1;
    case A_SET_EDIT:
        if (setting)
            open_form(s, sp->sel);
        return 1;
    case A_SET_DELETE:
        if (setting)
            open_delete(s, sp->sel);
        return 1;
    case A_SET_VALUE:
        if (setting && k == ' ' && strcmp(str(setting, "type"), "BOOLEAN") == 0)
            flip_boolean(s, setting);
        else if (setting)
            open_value(s, sp->sel);
        return 1;
    case A_SET_CONFIGURE: studio_configure(s, 0); return 1;
    case A_UP: sp->sel--; return 1;
    case A_DOWN:
        if (sp->sel + 1 < n)
            sp->sel++;
        return 1;
    case A_PAGE_UP: sp->sel -= 5; return 1;
    case A_PAGE_DOWN: sp->sel = sp->sel + 5 < n ? sp->sel + 5 : n - 1; return 1;
    case A_HOME: sp->sel = 0; return 1;
    case A_END: sp->sel = n - 1; return 1;
    default: return 0;
    }
}

static void mouse(pane *p, int row, int col, int dbl)
{
    (void)col;
    settings_pane *sp = p->self;
    for (int i = 0; i < sp->rows_shown; i++) {
        int y = sp->row_y[i] - p->y;
        if (row == y || row == y + 1) {
            sp->sel = sp->scroll + i;
            if (dbl)
                open_value(p->s, sp->sel);
            return;
        }
    }
}

static void pane_free(pane *p)
{
    free(p->self);
}

static const pane_ops ops = {
    .title = "Settings",
    .ctx = CTX_SETTINGS,
    .is_list = 1,
    .draw = draw,
    .key = key,
    .mouse = mouse,
    .free = pane_free,
};

pane *pane_settings_new(studio *s)
{
    return pane_new(s, &ops, sizeof(settings_pane));
}
