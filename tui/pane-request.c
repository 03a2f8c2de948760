/*
 * pane-request: the Test tab, the request a run sends. Three parts, moved
 * between with Up and Down: the method (Space, Left, Right change it), the
 * URL with its query string (a text field), and the message: header lines
 * "Name: value", an empty line, then the body, in an editor of its own (the
 * same component as the code's, so editing a body feels the same). The body
 * is checked as it is typed by its Content-Type: JSON errors show with their
 * line and column and the line is marked; a form body is checked for its
 * percent-escapes. ^T turns the body from JSON into form-urlencoded and
 * back; ^L loads an example or a capture; ^K keeps the request as an example.
 *
 * Invariants: the pane holds the request only as the user sees it (method,
 * URL text, message text); request_current builds the document from that
 * each time, so what runs is exactly what is on screen.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/engine.h"
#include "engine/jsonout.h"
#include "tui/dialog.h"
#include "tui/field.h"
#include "tui/studio.h"
#include "tui/ui.h"
#include "webhook/server.h"
#include "workspace/funcdir.h"
#include "workspace/request-file.h"

static const char *const methods[] = {"POST", "PUT", "PATCH", "GET", "DELETE"};
#define N_METHODS ((int)(sizeof methods / sizeof methods[0]))

enum { SUB_METHOD, SUB_URL, SUB_MESSAGE };

typedef struct request_pane {
    int method;
    field url;
    editor *msg;
    int sub;
    char status[200];
    ui_role status_role;
} request_pane;

static request_pane *self_of(studio *s)
{
    return s->panes[P_TEST]->self;
}

/* --- the message: headers, empty line, body ---------------------------------------------------- */

typedef struct message {
    json_t *headers;      /* name -> string, or array of strings when repeated */
    char *body;
    size_t body_len;
    size_t body_line;     /* 0-based line of the editor where the body starts */
    char *error;
} message;

static int token_char(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || strchr("!#$%&'*+-.^_`|~", c);
}

/* The length of "Name" when line is "Name: value", else 0. */
static size_t header_name(const char *line, size_t len)
{
    size_t i = 0;
    while (i < len && line[i] && token_char((unsigned char)line[i]))
        i++;
    return i > 0 && i < len && line[i] == ':' ? i : 0;
}

static void add_header(json_t *headers, const char *name, size_t nlen, const char *value)
{
    char *key = strndup(name, nlen);
    if (!key)
        abort();
    json_t *old = json_object_get(headers, key);
    json_t *v = json_string(value);
    if (!v)
        v = json_string("");
    if (json_is_string(old)) {
        json_must(json_object_set_new(headers, key, json_pack("[O,o]", old, v)));
    } else if (json_is_array(old)) {
        json_must(json_array_append_new(old, v));
    } else {
        json_must(json_object_set_new(headers, key, v));
    }
    free(key);
}

static void message_parse(editor *ed, message *m)
{
    memset(m, 0, sizeof *m);
    m->headers = json_object();
    size_t n = editor_line_count(ed), i = 0;
    for (; i < n; i++) {
        size_t len;
        const char *line = editor_line(ed, i, &len);
        if (len == 0) {
            i++;
            break;
        }
        size_t nl = header_name(line, len);
        if (nl == 0 && i == 0)
            break;   /* no headers: the whole message is the body */
        if (nl == 0) {
            if (asprintf(&m->error, "line %zu: a header is \"Name: value\"; an empty line starts the body", i + 1) < 0)
                abort();
            break;
        }
        const char *value = line + nl + 1;
        while (*value == ' ' || *value == '\t')
            value++;
        add_header(m->headers, line, nl, value);
    }
    m->body_line = i;
    size_t cap = 256, used = 0;
    m->body = malloc(cap);
    if (!m->body)
        abort();
    for (size_t j = i; j < n; j++) {
        size_t len;
        const char *line = editor_line(ed, j, &len);
        while (used + len + 2 > cap) {
            cap *= 2;
            m->body = realloc(m->body, cap);
            if (!m->body)
                abort();
        }
        memcpy(m->body + used, line, len);
        used += len;
        if (j + 1 < n)
            m->body[used++] = '\n';
    }
    m->body[used] = '\0';
    m->body_len = used;
}

static void message_free(message *m)
{
    json_decref(m->headers);
    free(m->body);
    free(m->error);
}

static const char *header_value(json_t *headers, const char *name)
{
    const char *k;
    json_t *v;
    json_object_foreach(headers, k, v) {
        if (strcasecmp(k, name) == 0)
            return json_is_array(v) ? json_string_value(json_array_get(v, 0)) : json_string_value(v);
    }
    return NULL;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;
}

/* The problem of a form body, or NULL; *fields counts its fields. */
static const char *form_problem(const char *body, size_t len, int *fields)
{
    *fields = len > 0;
    for (size_t i = 0; i < len; i++) {
        if (body[i] == '&')
            (*fields)++;
        if (body[i] == '%' && (i + 2 >= len || hexval(body[i + 1]) < 0 || hexval(body[i + 2]) < 0))
            return "a % must be followed by two hex digits";
        if (body[i] == '\n')
            return "a form body is one line";
    }
    return NULL;
}

/* Checks the body against its Content-Type; sets the status and the mark. */
static void check(request_pane *rp)
{
    message m;
    message_parse(rp->msg, &m);
    editor_mark_error(rp->msg, -1);
    const char *ct = header_value(m.headers, "Content-Type");
    int type = server_body_type(ct);
    int fields = 0;
    const char *problem;
    rp->status_role = UI_OK;
    if (m.error) {
        snprintf(rp->status, sizeof rp->status, "%s %s", ui_glyph_text(G_FAIL), m.error);
        rp->status_role = UI_ERROR;
    } else if (m.body_len == 0) {
        snprintf(rp->status, sizeof rp->status, "no body");
        rp->status_role = UI_DIM;
    } else if (type == SERVER_BODY_JSON) {
        json_error_t jerr;
        json_t *doc = json_loadb(m.body, m.body_len, JSON_DECODE_ANY, &jerr);
        if (doc) {
            snprintf(rp->status, sizeof rp->status, "JSON %s", ui_glyph_text(G_OK));
        } else {
            long line = (long)m.body_line + jerr.line;
            snprintf(rp->status, sizeof rp->status, "JSON %s line %ld col %d: %s", ui_glyph_text(G_FAIL), line,
                     jerr.column, jerr.text);
            rp->status_role = UI_ERROR;
            editor_mark_error(rp->msg, line - 1);
        }
        json_decref(doc);
    } else if (type == SERVER_BODY_FORM) {
        if ((problem = form_problem(m.body, m.body_len, &fields)) != NULL) {
            snprintf(rp->status, sizeof rp->status, "form %s %s", ui_glyph_text(G_FAIL), problem);
            rp->status_role = UI_ERROR;
        } else {
            snprintf(rp->status, sizeof rp->status, "form %s %d field%s", ui_glyph_text(G_OK), fields,
                     fields == 1 ? "" : "s");
        }
    } else {
        snprintf(rp->status, sizeof rp->status, "%s: Content-Type must be JSON or form", ct ? ct : "no type");
        rp->status_role = UI_WARN;
    }
    message_free(&m);
}

/* --- the document -------------------------------------------------------------------------------- */

json_t *request_current(studio *s, char **err)
{
    request_pane *rp = self_of(s);
    message m;
    message_parse(rp->msg, &m);
    if (m.error) {
        *err = m.error;
        m.error = NULL;
        message_free(&m);
        return NULL;
    }
    json_t *doc = json_pack("{s:s, s:s, s:O, s:s%}", "method", methods[rp->method], "url",
                            *rp->url.text ? rp->url.text : ENGINE_DEFAULT_URL, "headers", m.headers, "body", m.body,
                            m.body_len);
    if (!doc)
        doc = json_pack("{s:s, s:s, s:O, s:s}", "method", methods[rp->method], "url", ENGINE_DEFAULT_URL, "headers",
                        m.headers, "body", "");
    message_free(&m);
    if (!doc)
        abort();
    return doc;
}

/* Appends to a growing string. */
static void append(char **buf, size_t *len, const char *s)
{
    size_t n = strlen(s);
    char *b = realloc(*buf, *len + n + 1);
    if (!b)
        abort();
    memcpy(b + *len, s, n + 1);
    *buf = b;
    *len += n;
}

static void append_header(char **buf, size_t *len, const char *name, const char *value)
{
    append(buf, len, name);
    append(buf, len, ": ");
    append(buf, len, value ? value : "");
    append(buf, len, "\n");
}

/* The body as shown: JSON indented, anything else as it is (malloc'd). */
static char *body_text(json_t *body, int json_type)
{
    json_t *parsed = NULL;
    if (json_is_string(body) && json_type)
        parsed = json_loadb(json_string_value(body), json_string_length(body), JSON_DECODE_ANY, NULL);
    else if (body && !json_is_string(body) && !json_is_null(body))
        parsed = json_incref(body);
    char *text = parsed ? jsonout_dumps(parsed, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY)
                        : strdup(json_is_string(body) ? json_string_value(body) : "");
    json_decref(parsed);
    if (!text)
        abort();
    return text;
}

static void set_message(request_pane *rp, const char *text)
{
    if (editor_set_text(rp->msg, text, strlen(text)) != 0)
        abort();
    check(rp);
}

void request_load(studio *s, json_t *doc)
{
    request_pane *rp = self_of(s);
    const char *method = json_string_value(json_object_get(doc, "method"));
    rp->method = 0;
    for (int i = 0; method && i < N_METHODS; i++) {
        if (strcasecmp(methods[i], method) == 0)
            rp->method = i;
    }
    const char *url = json_string_value(json_object_get(doc, "url"));
    field_set(&rp->url, url ? url : ENGINE_DEFAULT_URL);
    json_t *headers = json_object_get(doc, "headers");
    json_t *body = json_object_get(doc, "body");
    char *text = NULL;
    size_t len = 0;
    append(&text, &len, "");
    const char *k;
    json_t *v;
    json_object_foreach(headers, k, v) {
        if (strcasecmp(k, "Content-Length") == 0)
            continue;   /* it would go stale as soon as the body is edited */
        if (json_is_array(v)) {
            size_t i;
            json_t *item;
            json_array_foreach(v, i, item) append_header(&text, &len, k, json_string_value(item));
        } else {
            append_header(&text, &len, k, json_string_value(v));
        }
    }
    int json_type = server_body_type(header_value(headers, "Content-Type")) == SERVER_BODY_JSON;
    if (body && !json_is_string(body) && !json_is_null(body) && !header_value(headers, "Content-Type")) {
        append_header(&text, &len, "Content-Type", "application/json");
        json_type = 1;
    }
    append(&text, &len, "\n");
    char *b = body_text(body, json_type);
    append(&text, &len, b);
    free(b);
    set_message(rp, text);
    free(text);
}

/* --- JSON <-> form --------------------------------------------------------------------------------- */

static void form_append(char **buf, size_t *len, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char one[4] = {0};
        if ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || strchr("*-._", *p))
            one[0] = (char)*p;
        else if (*p == ' ')
            one[0] = '+';
        else {
            one[0] = '%';
            one[1] = hex[*p >> 4];
            one[2] = hex[*p & 15];
        }
        append(buf, len, one);
    }
}

static void form_pair(char **buf, size_t *len, const char *key, json_t *v)
{
    char *text = json_is_string(v) ? strdup(json_string_value(v)) : jsonout_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!text)
        abort();
    if (*len)
        append(buf, len, "&");
    form_append(buf, len, key);
    append(buf, len, "=");
    form_append(buf, len, text);
    free(text);
}

/* A JSON object as a form body (arrays as repeated fields); NULL if not an object. */
static char *json_to_form(json_t *obj)
{
    if (!json_is_object(obj))
        return NULL;
    char *buf = NULL;
    size_t len = 0;
    append(&buf, &len, "");
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v) {
        if (json_is_array(v)) {
            size_t i;
            json_t *item;
            json_array_foreach(v, i, item) form_pair(&buf, &len, k, item);
        } else {
            form_pair(&buf, &len, k, v);
        }
    }
    return buf;
}

static char *form_decode(const char *s, size_t n)
{
    char *out = malloc(n + 1);
    if (!out)
        abort();
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+')
            out[o++] = ' ';
        else if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            out[o++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else
            out[o++] = s[i];
    }
    out[o] = '\0';
    return out;
}

/* A form body as a JSON object (repeated fields as arrays). */
static json_t *form_to_json(const char *body, size_t len)
{
    json_t *obj = json_object();
    size_t i = 0;
    while (i < len) {
        size_t end = i;
        while (end < len && body[end] != '&')
            end++;
        const char *eq = memchr(body + i, '=', end - i);
        size_t klen = eq ? (size_t)(eq - (body + i)) : end - i;
        char *key = form_decode(body + i, klen);
        char *val = eq ? form_decode(eq + 1, (size_t)(body + end - eq - 1)) : strdup("");
        if (!val)
            abort();
        if (*key) {
            json_t *sv = json_string(val);
            if (!sv)
                sv = json_string("");   /* not UTF-8 */
            json_t *old = json_object_get(obj, key);
            if (json_is_array(old))
                json_must(json_array_append_new(old, sv));
            else if (old)
                json_must(json_object_set_new(obj, key, json_pack("[O,o]", old, sv)));
            else
                json_must(json_object_set_new(obj, key, sv));
        }
        free(key);
        free(val);
        i = end + 1;
    }
    return obj;
}

static void switch_format(studio *s)
{
    request_pane *rp = self_of(s);
    char *err = NULL;
    json_t *doc = request_current(s, &err);
    if (!doc) {
        studio_status(s, 1, "%s", err);
        free(err);
        return;
    }
    json_t *headers = json_object_get(doc, "headers");
    const char *body = json_string_value(json_object_get(doc, "body"));
    size_t blen = json_string_length(json_object_get(doc, "body"));
    int to_form = server_body_type(header_value(headers, "Content-Type")) != SERVER_BODY_FORM;
    json_t *parsed = to_form ? json_loadb(body, blen, JSON_DECODE_ANY, NULL) : NULL;
    char *form = to_form ? json_to_form(parsed) : NULL;
    if (to_form && blen > 0 && !form) {
        studio_status(s, 1, "Only a JSON object turns into a form body.");
    } else {
        const char *k;
        json_t *v;
        void *tmp;
        json_object_foreach_safe(headers, tmp, k, v) {
            if (strcasecmp(k, "Content-Type") == 0)
                (void)json_object_del(headers, k);
        }
        json_must(json_object_set_new(headers, "Content-Type",
                                      json_string(to_form ? "application/x-www-form-urlencoded" : "application/json")));
        json_t *new_body = to_form ? json_string(form ? form : "") : form_to_json(body, blen);
        json_must(json_object_set_new(doc, "body", new_body));
        request_load(s, doc);
        rp->sub = SUB_MESSAGE;
        studio_status(s, 2, "The body is now %s.", to_form ? "form-urlencoded" : "JSON");
    }
    free(form);
    json_decref(parsed);
    json_decref(doc);
}

/* --- load and keep --------------------------------------------------------------------------------- */

typedef struct load_ctx {
    char **paths;         /* examples, then NULLs for captures */
    long long *ids;
    int n;
} load_ctx;

static void load_ctx_free(void *p)
{
    load_ctx *c = p;
    for (int i = 0; i < c->n; i++)
        free(c->paths[i]);
    free(c->paths);
    free(c->ids);
    free(c);
}

int request_load_example(studio *s, const char *path)
{
    request_file r;
    char *err = NULL;
    if (request_file_load(path, &r, &err) != 0) {
        studio_status(s, 1, "%s", err);
        free(err);
        return -1;
    }
    json_t *doc = json_pack("{s:s, s:s, s:O}", "method", r.method ? r.method : "POST", "url",
                            r.url ? r.url : ENGINE_DEFAULT_URL, "headers", r.headers);
    json_t *body = r.body_json ? json_incref(r.body_json) : json_string(r.body ? r.body : "");
    if (!doc || json_object_set_new(doc, "body", body ? body : json_string("")) != 0)
        abort();
    request_load(s, doc);
    json_decref(doc);
    if (r.settings)
        json_must(json_object_update(s->test_settings, r.settings));
    request_file_free(&r);
    const char *base = strrchr(path, '/');
    studio_status(s, 2, "Loaded the example %s.", base ? base + 1 : path);
    return 0;
}

int request_load_capture(studio *s, long long id)
{
    char *err = NULL;
    json_t *doc = capture_request(s->root, id, &err);
    if (!doc) {
        studio_status(s, 1, "%s", err);
        free(err);
        return -1;
    }
    request_load(s, doc);
    json_decref(doc);
    return 0;
}

static int load_done(studio *s, dialog *d, int button)
{
    load_ctx *c = d->ctx;
    if (button != 0 || d->sel >= c->n)
        return 1;
    if (c->paths[d->sel])
        request_load_example(s, c->paths[d->sel]);
    else if (request_load_capture(s, c->ids[d->sel]) == 0)
        studio_status(s, 2, "Loaded capture #%lld.", c->ids[d->sel]);
    studio_focus(s, P_TEST);
    return 1;
}

static void open_load(studio *s)
{
    char **examples = model_examples(s);
    size_t ne = 0;
    while (examples[ne])
        ne++;
    size_t nc = json_array_size(s->captures);
    load_ctx *c = calloc(1, sizeof *c);
    if (!c)
        abort();
    c->paths = calloc(ne + nc + 1, sizeof *c->paths);
    c->ids = calloc(ne + nc + 1, sizeof *c->ids);
    if (!c->paths || !c->ids)
        abort();
    dialog *d = dialog_new("Load a request", "");
    d->min_width = 64;
    for (size_t i = 0; i < ne; i++) {
        const char *base = strrchr(examples[i], '/');
        char text[256];
        snprintf(text, sizeof text, "example   %s", base ? base + 1 : examples[i]);
        dialog_add_item(d, text, examples[i], 0);
        c->paths[c->n++] = examples[i];
        examples[i] = NULL;
    }
    funcdir_free_list(examples);
    for (size_t i = 0; i < nc; i++) {
        json_t *cap = json_array_get(s->captures, i);
        char text[256], pv[CAPTURE_PREVIEW_SIZE];
        const char *body = json_string_value(json_object_get(cap, "body"));
        capture_preview(body ? body : "", body ? strlen(body) : 0, pv);
        const char *at = json_string_value(json_object_get(cap, "at"));
        snprintf(text, sizeof text, "capture   #%lld  %.8s  %s %s", (long long)json_integer_value(json_object_get(cap, "id")),
                 at && strlen(at) > 11 ? at + 11 : "", json_string_value(json_object_get(cap, "method")),
                 json_string_value(json_object_get(cap, "path")));
        dialog_add_item(d, text, pv, 0);
        c->ids[c->n++] = (long long)json_integer_value(json_object_get(cap, "id"));
    }
    if (c->n == 0) {
        dialog_set_error(d, "No examples and no captures yet. POST to %s to capture one.", s->url);
        static const char *const ok[] = {"OK"};
        dialog_set_buttons(d, ok, 1);
    } else {
        static const char *const buttons[] = {"Load", "Cancel"};
        dialog_set_buttons(d, buttons, 2);
    }
    dialog_open(s, d, load_done, c, load_ctx_free);
}

static int keep_done(studio *s, dialog *d, int button)
{
    if (button != 0)
        return 1;
    char *err = NULL;
    json_t *req = request_current(s, &err);
    if (!req || model_save_example(s, dialog_text(d, 0), req, &err) != 0) {
        dialog_set_error(d, "%s", err ? err : "cannot save");
        free(err);
        json_decref(req);
        return 0;
    }
    json_decref(req);
    studio_status(s, 2, "Saved examples/%s.json.", dialog_text(d, 0));
    return 1;
}

static void open_keep(studio *s)
{
    if (!s->dir) {
        studio_status(s, 1, "Save the function first (^S): it has no folder for examples yet.");
        return;
    }
    char **examples = model_examples(s);
    size_t n = 0;
    while (examples[n])
        n++;
    funcdir_free_list(examples);
    char name[32];
    snprintf(name, sizeof name, "request-%zu", n + 1);
    dialog *d = dialog_new("Keep the request as an example", "It is saved as examples/NAME.json, with the "
                                                              "test values of the settings that are not secret.");
    dialog_add_text(d, "Name", name, 0);
    static const char *const buttons[] = {"Save", "Cancel"};
    dialog_set_buttons(d, buttons, 2);
    dialog_open(s, d, keep_done, NULL, NULL);
}

/* --- the pane -------------------------------------------------------------------------------------- */

static void draw(pane *p, int focused)
{
    request_pane *rp = p->self;
    int x = p->x, w = p->w;
    attr_t label = ui_attr(UI_DIM);
    int used = ui_put(p->y, x, w, label, "Method ");
    attr_t ma = focused && rp->sub == SUB_METHOD ? ui_attr(UI_SELECT) : ui_attr(UI_ACCENT);
    used += ui_printf(p->y, x + used, w - used, ma, "<%s>", methods[rp->method]);
    used += ui_put(p->y, x + used, w - used, label, "  ");
    ui_put(p->y, x + used, w - used, ui_attr(rp->status_role), rp->status);
    if (p->h < 2)
        return;
    ui_put(p->y + 1, x, 7, label, "URL    ");
    field_draw(&rp->url, p->y + 1, x + 7, w - 7, ui_attr(UI_INPUT), 0);
    if (p->h > 2)
        editor_draw(rp->msg, stdscr, p->y + 2, x, p->h - 2, w, focused && rp->sub == SUB_MESSAGE);
    if (focused && rp->sub == SUB_URL)
        field_draw(&rp->url, p->y + 1, x + 7, w - 7, ui_attr(UI_INPUT), 1);
    curs_set(focused && rp->sub != SUB_METHOD ? 1 : 0);
}

static int method_key(request_pane *rp, int is_key, unsigned k)
{
    if ((is_key && k == KEY_LEFT) || (!is_key && k == '-')) {
        rp->method = (rp->method + N_METHODS - 1) % N_METHODS;
        return 1;
    }
    if ((is_key && k == KEY_RIGHT) || (!is_key && (k == ' ' || k == '+'))) {
        rp->method = (rp->method + 1) % N_METHODS;
        return 1;
    }
    if ((is_key && k == KEY_DOWN) || (!is_key && k == '\n')) {
        rp->sub = SUB_URL;
        return 1;
    }
    return 0;
}

static int url_key(request_pane *rp, int is_key, unsigned k)
{
    if (is_key && k == KEY_UP) {
        rp->sub = SUB_METHOD;
        return 1;
    }
    if ((is_key && k == KEY_DOWN) || (!is_key && k == '\n')) {
        rp->sub = SUB_MESSAGE;
        return 1;
    }
    return field_key(&rp->url, is_key, k) != 0;
}

static int message_key(pane *p, request_pane *rp, int is_key, unsigned k)
{
    size_t line = 0, col = 0;
    editor_cursor(rp->msg, &line, &col);
    if (is_key && k == KEY_UP && line == 0) {
        rp->sub = SUB_URL;
        return 1;
    }
    if (!editor_key(rp->msg, is_key, k, p->h > 3 ? p->h - 3 : 1))
        return 0;
    if (!is_key || k == KEY_BACKSPACE || k == KEY_DC || k == KEY_ENTER)
        check(rp);
    return 1;
}

static int key(pane *p, action act, int is_key, unsigned k)
{
    request_pane *rp = p->self;
    switch (act) {
    case A_REQ_FORMAT: switch_format(p->s); return 1;
    case A_REQ_LOAD: open_load(p->s); return 1;
    case A_REQ_SAVE_EXAMPLE: open_keep(p->s); return 1;
    case A_NONE: break;
    default: return 0;
    }
    switch (rp->sub) {
    case SUB_METHOD: return method_key(rp, is_key, k);
    case SUB_URL: return url_key(rp, is_key, k);
    default: return message_key(p, rp, is_key, k);
    }
}

static void mouse(pane *p, int row, int col, int dbl)
{
    (void)dbl;
    request_pane *rp = p->self;
    if (row == 0 && col >= 7 && col < 7 + 8) {
        rp->sub = SUB_METHOD;
        rp->method = (rp->method + 1) % N_METHODS;
    } else if (row == 0) {
        rp->sub = SUB_METHOD;
    } else if (row == 1) {
        rp->sub = SUB_URL;
    } else {
        rp->sub = SUB_MESSAGE;
        size_t top = 0, left = 0;
        editor_viewport(rp->msg, p->h - 2, p->w, &top, &left);
        editor_goto(rp->msg, top + (size_t)(row - 2), 0);
    }
}

static void paste(pane *p, const char *text, size_t len)
{
    request_pane *rp = p->self;
    if (len == 0)
        return;
    if (rp->sub == SUB_MESSAGE) {
        editor_insert(rp->msg, text, len);
        check(rp);
    } else if (rp->sub == SUB_URL) {
        char *line = strndup(text, len);
        if (!line)
            abort();
        for (char *c = line; *c; c++)
            if (*c == '\n' || *c == '\r' || *c == '\t')
                *c = ' ';
        field_insert(&rp->url, line, strlen(line));
        free(line);
    }
}

static void pane_free(pane *p)
{
    request_pane *rp = p->self;
    field_free(&rp->url);
    editor_free(rp->msg);
    free(rp);
}

static const pane_ops ops = {
    .title = "Test",
    .ctx = CTX_TEST,
    .draw = draw,
    .key = key,
    .mouse = mouse,
    .paste = paste,
    .free = pane_free,
};

pane *pane_request_new(studio *s)
{
    pane *p = pane_new(s, &ops, sizeof(request_pane));
    request_pane *rp = p->self;
    rp->msg = editor_new();
    if (!rp->msg)
        abort();
    field_init(&rp->url, ENGINE_DEFAULT_URL);
    rp->sub = SUB_MESSAGE;
    set_message(rp, "Content-Type: application/json\n\n{}\n");
    return p;
}
