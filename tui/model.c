/*
 * model: the studio's function on disk. Opening reads ROOT/NAME (handler.js,
 * function.json) into the editor and s->manifest; saving writes them back;
 * a new function starts from a template's files and gets its directory on
 * its first save ("Configure"). Beside the function:
 *
 *   NAME/.handler.js.recover        the unsaved code, written after a short
 *                                   idle (so a crash loses at most that);
 *                                   removed on save and on a clean quit
 *   ROOT/.srcfn/studio/NAME.json    the studio's test state: test values of
 *                                   the settings (encrypted ones sealed with
 *                                   the workspace key, workspace/secrets.h;
 *                                   0600, in .srcfn/, which git ignores), the
 *                                   last test request and the auto-fill flag
 *
 * Invariants: every file is written to NAME.tmp and renamed over, so a crash
 * mid-write never leaves half a file; saved_code and saved_manifest are
 * exactly what is on disk after a load or a save.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/jsonout.h"
#include "tui/studio.h"
#include "workspace/funcdir.h"
#include "workspace/scaffold.h"
#include "workspace/secrets.h"
#include "workspace/workspace.h"
#include "util/xalloc.h"

static char *fmt(const char *f, const char *a, const char *b)
{
    char *s = NULL;
    if (asprintf(&s, f, a, b) < 0)
        abort();
    return s;
}

int model_write_file(const char *path, const char *data, size_t len, int mode, char **err)
{
    return write_file_atomic(path, data, len, mode, err);
}

static int write_json(const char *path, json_t *doc, int mode, char **err)
{
    char *text = jsonout_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (!text) {
        *err = fmt("cannot encode %s%s", path, "");
        return -1;
    }
    size_t n = strlen(text);
    char *with_nl = realloc(text, n + 2);
    if (!with_nl)
        abort();
    with_nl[n] = '\n';
    with_nl[n + 1] = '\0';
    int rc = model_write_file(path, with_nl, n + 1, mode, err);
    free(with_nl);
    return rc;
}

/* --- state paths -------------------------------------------------------------------------- */

static char *state_dir(studio *s)
{
    char *dir = fmt("%s/%s", s->root, ".srcfn/studio");
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        free(dir);
        return NULL;
    }
    return dir;
}

static char *state_path(studio *s)
{
    char *dir = s->name ? state_dir(s) : NULL;
    char *path = dir ? fmt("%s/%s.json", dir, s->name) : NULL;
    free(dir);
    return path;
}

char *model_recover_path(studio *s)
{
    if (s->dir)
        return fmt("%s/%s", s->dir, ".handler.js.recover");
    char *dir = state_dir(s);
    char *path = dir ? fmt("%s/%s", dir, "new-function.handler.js.recover") : NULL;
    free(dir);
    return path;
}

/* --- loading ---------------------------------------------------------------------------------- */

void model_unload(studio *s)
{
    free(s->name);
    free(s->dir);
    free(s->template_dir);
    free(s->saved_code);
    json_decref(s->manifest);
    json_decref(s->saved_manifest);
    if (s->test_settings)
        secrets_settings_free(s->test_settings);
    s->name = s->dir = s->template_dir = s->saved_code = NULL;
    s->manifest = s->saved_manifest = s->test_settings = NULL;
    s->forced_dirty = 0;
}

/* A manifest with the keys the studio edits, in function.json's order. */
static json_t *normalise_manifest(json_t *m)
{
    json_t *out = json_copy(m);
    if (!out)
        abort();
    if (!json_is_string(json_object_get(out, "displayName")))
        json_must(json_object_set_new(out, "displayName", json_string("")));
    if (!json_is_string(json_object_get(out, "description")))
        json_must(json_object_set_new(out, "description", json_string("")));
    if (!json_is_array(json_object_get(out, "settings")))
        json_must(json_object_set_new(out, "settings", json_array()));
    else
        json_must(json_object_set_new(out, "settings", json_deep_copy(json_object_get(out, "settings"))));
    return out;
}

static int load_dir(studio *s, const char *dir, char **err)
{
    funcdir f;
    if (funcdir_open(dir, &f, err) != 0)
        return -1;
    if (editor_set_text(s->ed, f.source, f.source_len) != 0) {
        *err = fmt("cannot load %s into the editor%s", f.handler_path, "");
        funcdir_close(&f);
        return -1;
    }
    s->manifest = normalise_manifest(f.manifest);
    s->saved_manifest = json_deep_copy(s->manifest);
    s->saved_code = xstrdup(f.source);
    funcdir_close(&f);
    return 0;
}

json_t *model_test_state(studio *s)
{
    char *path = state_path(s);
    json_t *doc = path ? json_load_file(path, 0, NULL) : NULL;
    free(path);
    if (!json_is_object(doc)) {
        json_decref(doc);
        doc = json_object();
    }
    return doc;
}

int model_load(studio *s, const char *name, char **err)
{
    model_unload(s);
    char *dir = workspace_function_dir(s->root, name);
    if (load_dir(s, dir, err) != 0) {
        free(dir);
        return -1;
    }
    s->name = xstrdup(name);
    s->dir = dir;
    json_t *state = model_test_state(s);
    json_t *stored = json_object_get(state, "settings");
    char *why = NULL;
    if (!json_is_object(stored) || secrets_open_settings(s->root, stored, &s->test_settings, &why) != 0) {
        if (why)
            studio_status(s, 1, "The test values could not be read back: %s", why);
        free(why);
        s->test_settings = json_object();
    }
    json_decref(state);
    return 0;
}

int model_load_template(studio *s, const char *template_dir, char **err)
{
    model_unload(s);
    if (load_dir(s, template_dir, err) != 0)
        return -1;
    s->template_dir = xstrdup(template_dir);
    json_must(json_object_set_new(s->manifest, "displayName", json_string("")));
    json_decref(s->saved_manifest);
    s->saved_manifest = json_deep_copy(s->manifest);
    s->test_settings = json_object();
    return 0;
}

json_t *model_settings_decl(studio *s)
{
    return json_object_get(s->manifest, "settings");
}

int model_dirty(studio *s)
{
    if (!s->ed || !s->manifest)
        return 0;
    return s->forced_dirty || editor_dirty(s->ed) || !json_equal(s->manifest, s->saved_manifest);
}

/* --- saving ------------------------------------------------------------------------------------- */

void model_save_test_state(studio *s)
{
    char *path = state_path(s);
    if (!path)
        return;
    char *err = NULL;
    json_t *request = request_current(s, &err);
    free(err);
    err = NULL;
    json_t *sealed = NULL;
    if (secrets_seal_settings(s->root, model_settings_decl(s), s->test_settings, &sealed, &err) != 0) {
        studio_status(s, 1, "The test values were not saved: %s", err);
        free(err);
        json_decref(request);
        free(path);
        return;
    }
    json_t *doc = json_pack("{s:o, s:o?, s:b}", "settings", sealed, "request", request, "autofill", s->autofill);
    if (doc && write_json(path, doc, 0600, &err) != 0) {
        studio_status(s, 1, "%s", err);
        free(err);
    }
    json_decref(doc);
    free(path);
}

int model_save(studio *s, char **err)
{
    if (!s->dir) {
        *err = xstrdup("the function has no name yet (Configure it first)");
        return -1;
    }
    size_t len = 0;
    char *code = editor_text(s->ed, &len);
    if (!code)
        abort();
    char *handler = fmt("%s/%s", s->dir, "handler.js");
    char *manifest = fmt("%s/%s", s->dir, "function.json");
    int rc = model_write_file(handler, code, len, 0644, err);
    if (rc == 0 && !json_equal(s->manifest, s->saved_manifest))
        rc = write_json(manifest, s->manifest, 0644, err);
    if (rc == 0) {
        editor_mark_clean(s->ed);
        free(s->saved_code);
        s->saved_code = code;
        code = NULL;
        json_decref(s->saved_manifest);
        s->saved_manifest = json_deep_copy(s->manifest);
        s->forced_dirty = 0;
        model_remove_recover(s);
        model_save_test_state(s);
    }
    free(code);
    free(handler);
    free(manifest);
    return rc;
}

/* --- recovery ------------------------------------------------------------------------------------ */

int model_write_recover(studio *s)
{
    char *path = model_recover_path(s);
    if (!path)
        return -1;
    size_t len = 0;
    char *code = editor_text(s->ed, &len);
    int rc = 0;
    if (!code)
        abort();
    if (model_dirty(s) && (!s->saved_code || strcmp(code, s->saved_code) != 0)) {
        char *err = NULL;
        rc = model_write_file(path, code, len, 0600, &err);
        free(err);
    } else if (unlink(path) != 0 && errno != ENOENT) {
        rc = -1;
    }
    free(code);
    free(path);
    return rc;
}

void model_remove_recover(studio *s)
{
    char *path = model_recover_path(s);
    if (path)
        unlink(path);
    free(path);
}

/* --- examples ------------------------------------------------------------------------------------- */

char **model_examples(studio *s)
{
    funcdir f = {0};
    f.dir = s->dir ? s->dir : s->template_dir;
    return funcdir_examples(&f);
}

static int valid_example_name(const char *name)
{
    if (!workspace_valid_name(name))
        return 0;
    return name[0] != '.' && name[0] != '-';
}

int model_save_example(studio *s, const char *name, json_t *request, char **err)
{
    if (!s->dir) {
        *err = xstrdup("save the function first (it has no directory yet)");
        return -1;
    }
    if (!valid_example_name(name)) {
        *err = fmt("\"%s\" is not a valid example name (letters, digits, - and _)%s", name, "");
        return -1;
    }
    char *dir = fmt("%s/%s", s->dir, "examples");
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        *err = fmt("cannot create %s: %s", dir, strerror(errno));
        free(dir);
        return -1;
    }
    char *path = fmt("%s/%s.json", dir, name);
    json_t *doc = json_deep_copy(request);
    /* A JSON body is kept as JSON, so the example reads well. */
    const char *body = json_string_value(json_object_get(doc, "body"));
    json_t *parsed = body ? json_loads(body, JSON_DECODE_ANY, NULL) : NULL;
    if (parsed)
        json_must(json_object_set_new(doc, "body", parsed));
    /* Test values go with it, secrets excepted. */
    json_t *values = json_object();
    size_t i;
    json_t *decl;
    json_array_foreach(model_settings_decl(s), i, decl) {
        const char *n = json_string_value(json_object_get(decl, "name"));
        json_t *v = n ? json_object_get(s->test_settings, n) : NULL;
        if (v && !json_is_true(json_object_get(decl, "sensitive")))
            json_must(json_object_set(values, n, v));
    }
    if (json_object_size(values) > 0)
        json_must(json_object_set(doc, "settings", values));
    json_decref(values);
    int rc = write_json(path, doc, 0644, err);
    json_decref(doc);
    free(path);
    free(dir);
    return rc;
}

/* --- creating (the first save of a new function) ------------------------------------------------ */

int model_create(studio *s, const char *name, const char *description, char **err)
{
    if (!workspace_valid_name(name) || name[0] == '.' || name[0] == '-') {
        *err = fmt("\"%s\" is not a valid function name (letters, digits, - and _, at most 64)%s", name, "");
        return -1;
    }
    char *dir = workspace_function_dir(s->root, name);
    struct stat st;
    if (lstat(dir, &st) == 0) {
        *err = fmt("\"%s\" already exists in the workspace (%s); choose another name", name, dir);
        free(dir);
        return -1;
    }
    if (mkdir(dir, 0777) != 0) {
        *err = fmt("cannot create %s: %s", dir, strerror(errno));
        free(dir);
        return -1;
    }
    if (scaffold_copy(s->template_dir, dir, name, err) != 0) {
        free(dir);
        return -1;
    }
    model_remove_recover(s);   /* the new-function recovery file */
    free(s->name);
    free(s->dir);
    s->name = xstrdup(name);
    s->dir = dir;
    json_must(json_object_set_new(s->manifest, "displayName", json_string(name)));
    json_must(json_object_set_new(s->manifest, "description", json_string(description)));
    json_decref(s->saved_manifest);
    s->saved_manifest = json_object();   /* function.json is rewritten by the save */
    return model_save(s, err);
}
