/*
 * actions: what the studio's global keys do, and the flows that span panes:
 * opening a function (with its recovery file, test state and capture
 * listener), running, the results coming back, save (and Configure for a new
 * function), Save & Deploy with its instance checkboxes, and quitting with
 * unsaved changes. Everything here runs on the studio thread.
 *
 * Invariants:
 * - Save & Deploy is the same sequence as `srcfn deploy`: save, deploy_read
 *   (refusing invalid settings or code that does not load), then in one
 *   transaction deploy_record and instance_set_version for the chosen
 *   instances.
 * - Work is never dropped without asking: quitting or leaving a function
 *   with unsaved changes asks Save / Discard / Cancel; the recovery file is
 *   removed only after a save or an explicit Discard.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "engine/engine.h"
#include "engine/settings.h"
#include "tui/catalog.h"
#include "tui/dialog.h"
#include "tui/studio.h"
#include "tui/ui.h"
#include "workspace/deploy.h"
#include "workspace/funcdir.h"
#include "workspace/instances.h"
#include "workspace/secrets.h"
#include "workspace/store.h"
#include "workspace/workspace.h"
#include "util/clock.h"

/* What to do once the current function is saved (or its changes discarded). */
typedef enum after { AFTER_NOTHING, AFTER_QUIT, AFTER_CATALOG, AFTER_DEPLOY } after;

static void save_then(studio *s, after next);
static void deploy(studio *s);

static const char *str(json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

void studio_code_changed(studio *s)
{
    s->last_edit = mono_ms();
    s->recover_pending = 1;
    s->check_pending = 1;
}

/* --- the capture listener ------------------------------------------------------------------------ */

static void on_capture(void *ctx, long long id, const server_request *req)
{
    (void)req;
    studio *s = ctx;
    pthread_mutex_lock(&s->cap_lock);
    if (id > s->cap_newest)
        s->cap_newest = id;
    pthread_mutex_unlock(&s->cap_lock);
    studio_wake(s);
}

static void stop_capture(studio *s)
{
    if (s->cap)
        capture_stop(s->cap);
    s->cap = NULL;
    free(s->cap_function);
    s->cap_function = NULL;
    s->url[0] = '\0';
}

/* Starts (or moves) the listener to capture for fname, keeping its port. */
static void start_capture(studio *s, const char *fname)
{
    if (s->cap && strcmp(s->cap_function, fname) == 0)
        return;
    int port = s->port ? s->port : s->opt.port;   /* one URL for the whole session */
    stop_capture(s);
    server_options so = {.bind = NULL, .port = port, .threads = 2};
    char *err = NULL;
    s->cap = capture_start(s->root, fname, &so, on_capture, s, &err);
    if (!s->cap) {
        studio_status(s, 1, "Auto-fill via Webhook is off: %s", err ? err : "the listener did not start");
        free(err);
        return;
    }
    s->cap_function = strdup(fname);
    if (!s->cap_function)
        abort();
    s->port = capture_port(s->cap);
    snprintf(s->url, sizeof s->url, "http://127.0.0.1:%d/", s->port);
    pthread_mutex_lock(&s->cap_lock);
    s->cap_newest = 0;
    pthread_mutex_unlock(&s->cap_lock);
    captures_reload(s);
    json_t *newest = json_array_get(s->captures, 0);
    s->cap_seen = (long long)json_integer_value(json_object_get(newest, "id"));
}

void studio_on_captures(studio *s)
{
    pthread_mutex_lock(&s->cap_lock);
    long long newest = s->cap_newest;
    pthread_mutex_unlock(&s->cap_lock);
    if (newest <= s->cap_seen)
        return;
    s->cap_seen = newest;
    captures_reload(s);
    if (s->autofill && request_load_capture(s, newest) == 0) {
        studio_status(s, 2, "Auto-filled the test request from capture #%lld (F5 runs it).", newest);
        if (s->focus == P_EDITOR || s->focus == P_OUTPUT)
            s->tab = P_TEST;   /* show it, without moving the focus from under the user's keys */
    }
    else
        studio_status(s, 0, "Captured request #%lld (F7 lists the captures).", newest);
}

/* --- opening and closing ---------------------------------------------------------------------------- */

static void reset_run_state(studio *s)
{
    json_decref(s->result);
    json_decref(s->examples);
    json_decref(s->check_error);
    s->result = s->examples = s->check_error = NULL;
    s->error_line = 0;
    s->error_from_check = 0;
    output_clear(s);
}

/* The request the test pane starts with: the last one, else the first example. */
static void initial_request(studio *s, json_t *state)
{
    json_t *req = json_object_get(state, "request");
    if (json_is_object(req)) {
        request_load(s, req);
        return;
    }
    char **examples = model_examples(s);
    if (examples[0])
        request_load_example(s, examples[0]);
    funcdir_free_list(examples);
    studio_status(s, 0, "F5 runs, F1 lists every key.");
}

static int recover_done(studio *s, dialog *d, int button)
{
    char *text = d->ctx;
    if (button == 0) {
        if (editor_set_text(s->ed, text, strlen(text)) == 0) {
            s->forced_dirty = 1;
            studio_code_changed(s);
            studio_status(s, 2, "Recovered the unsaved code; ^S saves it.");
        }
    } else {
        model_remove_recover(s);
    }
    return 1;
}

/* Offers the recovery file when it holds code other than the saved one. */
static void offer_recovery(studio *s)
{
    char *path = model_recover_path(s);
    size_t len = 0;
    char *text = path ? read_file(path, &len) : NULL;
    struct stat st;
    if (!text || (s->saved_code && strcmp(text, s->saved_code) == 0) || stat(path, &st) != 0) {
        if (text)
            model_remove_recover(s);
        free(text);
        free(path);
        return;
    }
    char when[64];
    struct tm tm;
    if (!localtime_r(&st.st_mtime, &tm) || strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm) == 0)
        snprintf(when, sizeof when, "earlier");
    char msg[512];
    snprintf(msg, sizeof msg,
             "The studio stopped with unsaved changes to %s (kept at %s, %s). Recover them into the editor?",
             s->name ? s->name : "a new function", when, path);
    dialog *d = dialog_new("Recover unsaved code", msg);
    static const char *const buttons[] = {"Recover", "Discard"};
    dialog_set_buttons(d, buttons, 2);
    dialog_open(s, d, recover_done, text, free);
    free(path);
}

static void enter_studio(studio *s, const char *capture_name)
{
    s->mode = MODE_STUDIO;
    s->zoom = 0;
    s->tab = P_TEST;
    studio_focus(s, P_EDITOR);
    reset_run_state(s);
    json_t *state = model_test_state(s);
    if (json_is_boolean(json_object_get(state, "autofill")))
        s->autofill = json_is_true(json_object_get(state, "autofill"));
    initial_request(s, state);
    json_decref(state);
    start_capture(s, capture_name);
    errors_reload(s);
    studio_code_changed(s);   /* a background check warms the engine */
    s->recover_pending = 0;
    s->check_pending = 0;
    size_t len = 0;
    char *code = editor_text(s->ed, &len);
    if (code)
        runner_check(s->run, code, len, model_settings_decl(s));
    free(code);
    offer_recovery(s);
}

void studio_open_function(studio *s, const char *name)
{
    char *err = NULL;
    if (!workspace_valid_name(name)) {
        studio_show_catalog(s);
        dialog_message(s, "Cannot open", "\"%s\" is not a valid function name.", name);
        return;
    }
    if (model_load(s, name, &err) != 0) {
        studio_show_catalog(s);
        dialog_message(s, "Cannot open", "%s\n\n\"New function\" starts one from a template.", err);
        free(err);
        return;
    }
    enter_studio(s, name);
}

void studio_new_function(studio *s, const char *template_dir, const char *template_name)
{
    char *err = NULL;
    if (model_load_template(s, template_dir, &err) != 0) {
        dialog_message(s, "New function", "Cannot read the template %s: %s", template_name, err);
        free(err);
        return;
    }
    enter_studio(s, "(new)");
    studio_status(s, 0, "New function from \"%s\": ^S names and saves it (Configure).", template_name);
}

void studio_close_function(studio *s)
{
    if (s->running)
        runner_cancel(s->run);
    model_save_test_state(s);
    stop_capture(s);
    model_unload(s);
    reset_run_state(s);
    json_array_clear(s->captures);
}

void studio_show_catalog(studio *s)
{
    if (s->mode == MODE_STUDIO)
        studio_close_function(s);
    s->mode = MODE_CATALOG;
    if (!s->db && s->root) {
        char *err = NULL;
        s->db = store_open(s->root, &err);
        free(err);
    }
    catalog_load(s);
}

/* --- running ------------------------------------------------------------------------------------------ */

void studio_run(studio *s)
{
    if (s->mode != MODE_STUDIO)
        return;
    if (s->running) {
        studio_status(s, 3, "A run is in progress (Esc cancels it).");
        return;
    }
    char *err = NULL;
    json_t *req = request_current(s, &err);
    if (!req) {
        studio_status(s, 1, "The test request: %s", err);
        free(err);
        studio_focus(s, P_TEST);
        return;
    }
    size_t len = 0;
    char *code = editor_text(s->ed, &len);
    if (!code)
        abort();
    runner_run(s->run, code, len, model_settings_decl(s), req, s->test_settings);
    free(code);
    json_decref(req);
    s->running = 1;
    s->cancel_asked = 0;
    s->check_pending = 0;
    s->run_started = mono_ms();
    s->status[0] = '\0';
}

/* Runs every example against the code in the editor (saved or not), as
 * `srcfn test` does; the result comes back as RUNNER_EXAMPLES. */
void studio_examples(studio *s)
{
    if (s->mode != MODE_STUDIO)
        return;
    if (s->running) {
        studio_status(s, 3, "A run is in progress (Esc cancels it).");
        return;
    }
    const char *dir = s->dir ? s->dir : s->template_dir;
    if (!dir) {
        studio_status(s, 1, "The function has no folder to read examples from.");
        return;
    }
    size_t len = 0;
    char *code = editor_text(s->ed, &len);
    if (!code)
        abort();
    runner_examples(s->run, dir, code, len, model_settings_decl(s));
    free(code);
    s->running = 1;
    s->running_examples = 1;
    s->cancel_asked = 0;
    s->run_started = mono_ms();
    s->status[0] = '\0';
}

static void examples_status(studio *s, json_t *doc)
{
    long long passed = (long long)json_integer_value(json_object_get(doc, "passed"));
    long long failed = (long long)json_integer_value(json_object_get(doc, "failed"));
    long long skipped = (long long)json_integer_value(json_object_get(doc, "skipped"));
    const char *error = json_string_value(json_object_get(doc, "error"));
    if (error)
        studio_status(s, 1, "The examples did not run: %s", error);
    else if (json_is_true(json_object_get(doc, "cancelled")))
        studio_status(s, 3, "Cancelled: %lld passed, %lld failed, %lld not run.", passed, failed, skipped);
    else if (passed + failed == 0)
        studio_status(s, 0, "No examples to check: examples/NAME.json files are the function's tests "
                            "(^K in the Test tab keeps the request as one).");
    else
        studio_status(s, failed ? 1 : 2, "Examples: %lld passed, %lld failed.", passed, failed);
}

static void on_examples(studio *s, json_t *doc)
{
    json_decref(s->result);
    json_decref(s->examples);
    s->result = NULL;
    s->examples = doc;
    output_show_examples(s, doc);
    examples_status(s, doc);
}

static void mark_error(studio *s, json_t *error, int from_check)
{
    json_t *line = json_object_get(error, "line");
    if (json_is_integer(line) && json_integer_value(line) > 0) {
        s->error_line = (long)json_integer_value(line);
        s->error_from_check = from_check;
        editor_mark_error(s->ed, s->error_line - 1);
    } else if (!from_check || s->error_from_check) {
        s->error_line = 0;
        s->error_from_check = 0;
        editor_mark_error(s->ed, -1);
    }
}

void studio_on_result(studio *s, runner_kind kind, json_t *doc)
{
    json_t *error = json_object_get(doc, "error");
    if (kind == RUNNER_CHECK) {
        json_decref(s->check_error);
        s->check_error = json_is_object(error) ? json_incref(error) : NULL;
        if (s->check_error || s->error_from_check)
            mark_error(s, s->check_error, 1);
        json_decref(doc);
        return;
    }
    s->running = 0;
    s->running_examples = 0;
    s->cancel_asked = 0;
    if (kind == RUNNER_EXAMPLES) {
        on_examples(s, doc);
        return;
    }
    json_decref(s->examples);
    s->examples = NULL;
    /* encrypted test values never show in full, even where the code echoes them */
    json_t *secret = secrets_values(model_settings_decl(s), s->test_settings);
    secrets_mask_json(doc, secret);
    json_decref(secret);
    json_decref(s->result);
    s->result = doc;
    output_show(s, doc);
    mark_error(s, json_is_object(error) ? error : NULL, 0);
    if (json_is_object(error) && strcmp(str(error, "type"), ERR_INVALID_SETTINGS) == 0)
        studio_status(s, 1, "Invalid Settings: %s (F4: test values)", str(error, "message"));
    else if (json_is_object(error))
        studio_status(s, 1, "%s: %s%s", str(error, "type"), str(error, "message"),
                      s->error_line ? " (^E goes to its line)" : "");
    else
        studio_status(s, 2, "Ran in %.1f ms: %zu event%s, %zu object%s.",
                      json_number_value(json_object_get(doc, "durationMs")),
                      json_array_size(json_object_get(doc, "events")),
                      json_array_size(json_object_get(doc, "events")) == 1 ? "" : "s",
                      json_array_size(json_object_get(doc, "objects")),
                      json_array_size(json_object_get(doc, "objects")) == 1 ? "" : "s");
    s->trace_output = 1;
}

void studio_tick(studio *s)
{
    int64_t now = mono_ms();
    if (s->running && s->cancel_asked)
        runner_cancel(s->run);   /* again: the engine may not have started when asked */
    if (s->mode != MODE_STUDIO)
        return;
    if (s->recover_pending && now - s->last_edit >= 1000) {
        s->recover_pending = 0;
        if (model_write_recover(s) != 0)
            studio_status(s, 1, "Cannot write the recovery file: %s", strerror(errno));
    }
    if (s->check_pending && !s->running && now - s->last_edit >= 300) {
        s->check_pending = 0;
        size_t len = 0;
        char *code = editor_text(s->ed, &len);
        if (code)
            runner_check(s->run, code, len, model_settings_decl(s));
        free(code);
    }
    if (s->panes[P_ERRORS]->visible && now - errors_loaded_at(s) > 5000)
        errors_reload(s);
    if (s->status[0] && s->status_role != 1 && now - s->status_at > 10000)
        s->status[0] = '\0';
}

/* --- save and Configure ------------------------------------------------------------------------------ */

typedef struct flow_ctx {
    after next;
} flow_ctx;

static flow_ctx *flow(after next)
{
    flow_ctx *c = malloc(sizeof *c);
    if (!c)
        abort();
    c->next = next;
    return c;
}

static void continue_with(studio *s, after next)
{
    switch (next) {
    case AFTER_QUIT:
        if (s->mode == MODE_STUDIO)
            model_save_test_state(s);
        s->quit = 1;
        break;
    case AFTER_CATALOG: studio_show_catalog(s); break;
    case AFTER_DEPLOY: deploy(s); break;
    case AFTER_NOTHING: break;
    }
}

static int configure_new_done(studio *s, dialog *d, int button)
{
    flow_ctx *c = d->ctx;
    if (button != 0)
        return 1;
    char *err = NULL;
    const char *name = dialog_text(d, 0);
    if (model_create(s, name, dialog_text(d, 1), &err) != 0) {
        dialog_set_error(d, "%s", err);
        free(err);
        return 0;
    }
    start_capture(s, s->name);
    studio_status(s, 2, "Created the function %s in %s.", s->name, s->dir);
    after next = c->next;
    c->next = AFTER_NOTHING;
    dialog_close(s);   /* this dialog: the next step may open another */
    continue_with(s, next);
    return 0;
}

static int configure_done(studio *s, dialog *d, int button)
{
    if (button != 0)
        return 1;
    json_must(json_object_set_new(s->manifest, "displayName", json_string(dialog_text(d, 0))));
    json_must(json_object_set_new(s->manifest, "description", json_string(dialog_text(d, 1))));
    studio_status(s, 0, "Configured; ^S saves function.json.");
    return 1;
}

static void configure(studio *s, after next)
{
    if (!s->name) {
        dialog *d = dialog_new("Configure", "Name the function to create it: its folder in the workspace and the "
                                           "name `srcfn deploy` and `srcfn connect` take.");
        dialog_add_text(d, "Name", "", 0);
        dialog_add_text(d, "Description", str(s->manifest, "description"), 0);
        static const char *const buttons[] = {"Create Function", "Cancel"};
        dialog_set_buttons(d, buttons, 2);
        d->min_width = 64;
        dialog_open(s, d, configure_new_done, flow(next), free);
        return;
    }
    dialog *d = dialog_new("Configure", "What the catalog shows for this function.");
    dialog_add_text(d, "Display name", str(s->manifest, "displayName"), 0);
    dialog_add_text(d, "Description", str(s->manifest, "description"), 0);
    d->min_width = 64;
    dialog_open(s, d, configure_done, NULL, NULL);
}

void studio_configure(studio *s, int then_deploy)
{
    configure(s, then_deploy ? AFTER_DEPLOY : AFTER_NOTHING);
}

static void save_then(studio *s, after next)
{
    if (!s->name) {
        configure(s, next);
        return;
    }
    char *err = NULL;
    if (model_save(s, &err) != 0) {
        dialog_message(s, "Cannot save", "%s", err);
        free(err);
        return;
    }
    studio_status(s, 2, "Saved %s/handler.js and function.json.", s->name);
    continue_with(s, next);
}

/* --- Save & Deploy ------------------------------------------------------------------------------------- */

typedef struct deploy_ctx {
    fn_version v;
    instance_row *rows;
    size_t n;
} deploy_ctx;

static void deploy_ctx_free(void *p)
{
    deploy_ctx *c = p;
    fn_version_free(&c->v);
    instances_free(c->rows, c->n);
    free(c);
}

/* Appends a line to a report (malloc'd, grows). */
static void report(char **text, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void report(char **text, const char *fmt, ...)
{
    char *line = NULL, *joined = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&line, fmt, ap) < 0)
        abort();
    va_end(ap);
    if (asprintf(&joined, "%s%s\n", *text ? *text : "", line) < 0)
        abort();
    free(line);
    free(*text);
    *text = joined;
}

/* The deploy itself: one transaction, as `srcfn deploy` does it. */
static int deploy_apply(studio *s, deploy_ctx *c, dialog *d, char **text)
{
    char *err = NULL;
    int reused = 0;
    if (store_begin(s->db) != 0) {
        dialog_set_error(d, "Cannot start a transaction on the workspace database.");
        return -1;
    }
    if (deploy_record(s->db, &c->v, &reused, &err) != 0) {
        store_rollback(s->db);
        dialog_set_error(d, "%s", err);
        free(err);
        return -1;
    }
    for (size_t i = 0; i < c->n; i++) {
        if (!d->items[i].checked || c->rows[i].version == c->v.number)
            continue;
        if (instance_set_version(s->db, c->rows[i].name, c->v.number, &err) != 0) {
            store_rollback(s->db);
            dialog_set_error(d, "%s", err);
            free(err);
            return -1;
        }
    }
    if (store_commit(s->db) != 0) {
        store_rollback(s->db);
        dialog_set_error(d, "Cannot commit to the workspace database.");
        return -1;
    }
    if (reused)
        report(text, "%s is unchanged since version %d: reusing it.", s->name, c->v.number);
    else
        report(text, "Recorded %s version %d.", s->name, c->v.number);
    return 0;
}

static int deploy_done(studio *s, dialog *d, int button)
{
    deploy_ctx *c = d->ctx;
    if (button != 0)
        return 1;
    char *text = NULL;
    if (deploy_apply(s, c, d, &text) != 0)
        return 0;
    int updated = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (!d->items[i].checked) {
            report(&text, "  %s: left at version %d", c->rows[i].name, c->rows[i].version);
            continue;
        }
        updated++;
        if (c->rows[i].version == c->v.number)
            report(&text, "  %s: already at version %d", c->rows[i].name, c->v.number);
        else
            report(&text, "  %s: version %d -> %d", c->rows[i].name, c->rows[i].version, c->v.number);
        json_t *problem = settings_check(json_object_get(c->v.manifest, "settings"), c->rows[i].settings);
        if (problem)
            report(&text, "    warning: %s; its runs fail with Invalid Settings until it is reconnected",
                   str(problem, "message"));
        json_decref(problem);
    }
    if (c->n == 0)
        report(&text, "No instances yet: srcfn connect %s --instance NAME creates one.", s->name);
    studio_status(s, 2, "Deployed %s version %d to %d instance%s.", s->name, c->v.number, updated,
                  updated == 1 ? "" : "s");
    errors_reload(s);
    dialog_message(s, "Deployed", "%s", text);
    free(text);
    return 1;
}

static void deploy(studio *s)
{
    if (!s->db) {
        dialog_message(s, "Save & Deploy", "The workspace database is not open.");
        return;
    }
    deploy_ctx *c = calloc(1, sizeof *c);
    if (!c)
        abort();
    char *err = NULL;
    if (deploy_read(s->root, s->name, &c->v, &err) != 0) {
        dialog_message(s, "Cannot deploy", "%s", err);
        free(err);
        deploy_ctx_free(c);
        return;
    }
    if (instances_list(s->db, s->name, &c->rows, &c->n, &err) != 0) {
        dialog_message(s, "Cannot deploy", "%s", err);
        free(err);
        deploy_ctx_free(c);
        return;
    }
    dialog *d = dialog_new("Save & Deploy", c->n ? "Saved. Record a new version and point the ticked instances at it "
                                                   "(Space ticks, Enter deploys)."
                                                 : "Saved. Record a new version? (The function has no instances yet.)");
    d->checklist = 1;
    d->min_width = 64;
    for (size_t i = 0; i < c->n; i++) {
        char text[256];
        snprintf(text, sizeof text, "%-24s now at version %d", c->rows[i].name, c->rows[i].version);
        dialog_add_item(d, text, NULL, 1);
    }
    static const char *const buttons[] = {"Deploy", "Cancel"};
    dialog_set_buttons(d, buttons, 2);
    dialog_open(s, d, deploy_done, c, deploy_ctx_free);
}

/* --- leaving ------------------------------------------------------------------------------------------- */

static int ask_done(studio *s, dialog *d, int button)
{
    flow_ctx *c = d->ctx;
    after next = c->next;
    if (button == 0) {          /* Save */
        c->next = AFTER_NOTHING;
        dialog_close(s);
        save_then(s, next);
        return 0;
    }
    if (button == 1) {          /* Discard */
        model_remove_recover(s);
        editor_mark_clean(s->ed);
        s->forced_dirty = 0;
        json_decref(s->manifest);
        s->manifest = json_deep_copy(s->saved_manifest);
        dialog_close(s);
        continue_with(s, next);
        return 0;
    }
    return 1;
}

static void leave(studio *s, after next)
{
    if (s->mode != MODE_STUDIO || !model_dirty(s)) {
        if (s->mode == MODE_STUDIO) {
            model_remove_recover(s);
            model_save_test_state(s);
        }
        continue_with(s, next);
        return;
    }
    char msg[256];
    snprintf(msg, sizeof msg, "%s has unsaved changes. Save them first?", s->name ? s->name : "The new function");
    dialog *d = dialog_new(next == AFTER_QUIT ? "Quit" : "Leave the function", msg);
    static const char *const buttons[] = {"Save", "Discard", "Cancel"};
    dialog_set_buttons(d, buttons, 3);
    dialog_open(s, d, ask_done, flow(next), free);
}

/* --- the global keys -------------------------------------------------------------------------------------- */

static const pane_id cycle[] = {P_EDITOR, P_TEST, P_OUTPUT};

static void focus_step(studio *s, int delta)
{
    int n = 3, at = 0;
    for (int i = 0; i < n; i++) {
        pane_id id = cycle[i] == P_TEST ? s->tab : cycle[i];
        if (id == s->focus)
            at = i;
    }
    int next = (at + delta + n) % n;
    studio_focus(s, cycle[next] == P_TEST ? s->tab : cycle[next]);
}

static void toggle_autofill(studio *s)
{
    s->autofill = !s->autofill;
    if (s->autofill && json_array_size(s->captures) > 0) {
        long long id = (long long)json_integer_value(json_object_get(json_array_get(s->captures, 0), "id"));
        if (request_load_capture(s, id) == 0)
            studio_status(s, 2, "Auto-fill on: filled the test request from capture #%lld.", id);
    } else {
        studio_status(s, 0, "Auto-fill %s.", s->autofill ? "on: the next capture fills the test request" : "off");
    }
    model_save_test_state(s);
}

static void jump_to_error(studio *s)
{
    if (s->error_line <= 0) {
        studio_status(s, 0, "No error line to go to.");
        return;
    }
    editor_goto(s->ed, (size_t)s->error_line - 1, 0);
    studio_focus(s, P_EDITOR);
}

static int studio_only(studio *s, action act)
{
    switch (act) {
    case A_RUN:
        studio_trace(s, "run_key");
        studio_run(s);
        return 1;
    case A_SAVE: save_then(s, AFTER_NOTHING); return 1;
    case A_DEPLOY: save_then(s, AFTER_DEPLOY); return 1;
    case A_FOCUS_NEXT: focus_step(s, 1); return 1;
    case A_FOCUS_PREV: focus_step(s, -1); return 1;
    case A_GO_CODE: studio_focus(s, P_EDITOR); return 1;
    case A_GO_TEST: studio_focus(s, P_TEST); return 1;
    case A_GO_SETTINGS: studio_focus(s, P_SETTINGS); return 1;
    case A_GO_CAPTURES: studio_focus(s, P_CAPTURES); return 1;
    case A_GO_ERRORS: studio_focus(s, P_ERRORS); return 1;
    case A_GO_OUTPUT: studio_focus(s, P_OUTPUT); return 1;
    case A_ZOOM: s->zoom = !s->zoom; return 1;
    case A_AUTOFILL: toggle_autofill(s); return 1;
    case A_JUMP_ERROR: jump_to_error(s); return 1;
    case A_CATALOG: leave(s, AFTER_CATALOG); return 1;
    case A_EXAMPLES: studio_examples(s); return 1;
    default: return 0;
    }
}

int studio_action(studio *s, action act)
{
    switch (act) {
    case A_CANCEL:
        if (!s->running)
            return 0;
        s->cancel_asked = 1;
        runner_cancel(s->run);
        return 1;
    case A_HELP:
        s->help_open = !s->help_open;
        s->help_scroll = 0;
        return 1;
    case A_QUIT: leave(s, AFTER_QUIT); return 1;
    default: break;
    }
    return s->mode == MODE_STUDIO ? studio_only(s, act) : 0;
}
