/*
 * functest: runs a function's examples and compares each result with its
 * expectation (see functest.h for what an expectation says), and rewrites
 * expectations for `srcfn test --update`.
 */
#include "workspace/functest.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/engine.h"
#include "engine/jsonout.h"
#include "workspace/request-file.h"
#include "util/xalloc.h"

#define MAX_DIFF_LINES 20    /* per example; the rest are counted */
#define SHOW_MAX 160         /* characters of a value shown in a diff line */
#define FORMAT_WIDTH 110     /* columns of a line functest_format writes */

/* --- a growing string ------------------------------------------------------------ */

typedef struct sbuf {
    char *s;
    size_t len, cap;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        abort();
    if (b->len + (size_t)n + 1 > b->cap) {
        b->cap = (b->len + (size_t)n + 1) * 2;
        if (!(b->s = realloc(b->s, b->cap)))
            abort();
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* --- differences ----------------------------------------------------------------- */

/* The differences found so far: the first MAX_DIFF_LINES lines, and a count. */
typedef struct diffs {
    sbuf text;
    size_t count;
} diffs;

static void add_diff(diffs *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_diff(diffs *d, const char *fmt, ...)
{
    if (d->count++ >= MAX_DIFF_LINES)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *line = NULL;
    if (vasprintf(&line, fmt, ap) < 0)
        abort();
    va_end(ap);
    sb_printf(&d->text, "%s\n", line);
    free(line);
}

/* A value as compact JSON, cut after SHOW_MAX characters (malloc'd). */
static char *show(const json_t *v)
{
    if (!v)
        return xstrdup("nothing");
    char *s = jsonout_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!s)
        return xstrdup("?");
    if (strlen(s) > SHOW_MAX) {
        size_t cut = SHOW_MAX - 3;
        while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)   /* not inside a UTF-8 sequence */
            cut--;
        strcpy(s + cut, "...");
    }
    return s;
}

static int is_identifier(const char *k)
{
    if (!*k || isdigit((unsigned char)*k))
        return 0;
    for (const char *p = k; *p; p++) {
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '$')
            return 0;
    }
    return 1;
}

/* path.key, or path["odd key"] (malloc'd). */
static char *path_key(const char *path, const char *key)
{
    if (is_identifier(key))
        return xasprintf("%s.%s", path, key);
    json_t *k = json_string(key);
    char *quoted = k ? json_dumps(k, JSON_ENCODE_ANY) : NULL;
    json_decref(k);
    char *p = xasprintf("%s[%s]", path, quoted ? quoted : "?");
    free(quoted);
    return p;
}

static int numbers_equal(const json_t *a, const json_t *b)
{
    if (json_is_integer(a) && json_is_integer(b))
        return json_integer_value(a) == json_integer_value(b);
    return json_number_value(a) == json_number_value(b);
}

static void compare_value(const char *path, const json_t *want, const json_t *got, diffs *d);

static void compare_object(const char *path, const json_t *want, const json_t *got, diffs *d)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)want, k, v) {
        char *sub = path_key(path, k);
        json_t *other = json_object_get(got, k);
        if (!other) {
            char *s = show(v);
            add_diff(d, "%s: missing (expected %s)", sub, s);
            free(s);
        } else {
            compare_value(sub, v, other, d);
        }
        free(sub);
    }
    json_object_foreach((json_t *)got, k, v) {
        if (json_object_get(want, k))
            continue;
        char *sub = path_key(path, k);
        char *s = show(v);
        add_diff(d, "%s: unexpected (got %s)", sub, s);
        free(s);
        free(sub);
    }
}

static void compare_array(const char *path, const json_t *want, const json_t *got, diffs *d)
{
    size_t nw = json_array_size(want), ng = json_array_size(got);
    if (nw != ng)
        add_diff(d, "%s: expected %zu item%s, got %zu", path, nw, nw == 1 ? "" : "s", ng);
    for (size_t i = 0; i < nw || i < ng; i++) {
        char *sub = xasprintf("%s[%zu]", path, i);
        if (i >= ng) {
            char *s = show(json_array_get(want, i));
            add_diff(d, "%s: missing (expected %s)", sub, s);
            free(s);
        } else if (i >= nw) {
            char *s = show(json_array_get(got, i));
            add_diff(d, "%s: unexpected (got %s)", sub, s);
            free(s);
        } else {
            compare_value(sub, json_array_get(want, i), json_array_get(got, i), d);
        }
        free(sub);
    }
}

static void compare_value(const char *path, const json_t *want, const json_t *got, diffs *d)
{
    if (json_is_number(want) && json_is_number(got)) {
        if (numbers_equal(want, got))
            return;
    } else if (json_is_object(want) && json_is_object(got)) {
        compare_object(path, want, got, d);
        return;
    } else if (json_is_array(want) && json_is_array(got)) {
        compare_array(path, want, got, d);
        return;
    } else if (json_equal((json_t *)want, (json_t *)got)) {
        return;
    }
    char *w = show(want), *g = show(got);
    add_diff(d, "%s: expected %s, got %s", path, w, g);
    free(w);
    free(g);
}

/* "Message Rejected (ValidationError: why, line 12)", with what the error
 * object has of those (malloc'd). */
static char *describe_error(const json_t *error)
{
    const char *type = json_string_value(json_object_get(error, "type"));
    const char *name = json_string_value(json_object_get(error, "name"));
    const char *message = json_string_value(json_object_get(error, "message"));
    json_t *line = json_object_get(error, "line");
    sbuf b = {NULL, 0, 0};
    sb_printf(&b, "%s", type ? type : "an error");
    if (name || message || json_is_integer(line)) {
        sb_printf(&b, " (%s%s%s", name ? name : "", name && message ? ": " : "", message ? message : "");
        if (json_is_integer(line))
            sb_printf(&b, "%sline %lld", name || message ? ", " : "", (long long)json_integer_value(line));
        sb_printf(&b, ")");
    }
    return b.s;
}

static void compare_error(const json_t *want, const json_t *got, diffs *d)
{
    int failed = got && !json_is_null(got);
    if (json_is_null(want)) {
        if (failed) {
            char *g = describe_error(got);
            add_diff(d, "error: expected success, got %s", g);
            free(g);
        }
        return;
    }
    if (!failed) {
        char *w = describe_error(want);
        add_diff(d, "error: expected %s, got success", w);
        free(w);
        return;
    }
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)want, k, v) {
        char *sub = path_key("error", k);
        json_t *other = json_object_get(got, k);
        compare_value(sub, v, other ? other : json_null(), d);
        free(sub);
    }
}

static const char *const COMPARED[] = {"events", "objects", "logs"};

char *functest_compare(json_t *expect, json_t *result)
{
    if (!expect)
        return NULL;
    diffs d = {{NULL, 0, 0}, 0};
    json_t *got_error = json_object_get(result, "error");
    int error_shown = json_object_get(expect, "error") != NULL;
    if (!json_is_object(expect)) {
        add_diff(&d, "expect: must be an object");
    } else {
        const char *k;
        json_t *v;
        json_object_foreach(expect, k, v) {
            int known = strcmp(k, "error") == 0;
            for (size_t i = 0; i < sizeof COMPARED / sizeof COMPARED[0]; i++)
                known |= strcmp(k, COMPARED[i]) == 0;
            if (!known)
                add_diff(&d, "expect.%s: not something srcfn compares (events, objects, logs, error)", k);
        }
        if (error_shown)
            compare_error(json_object_get(expect, "error"), got_error, &d);
        for (size_t i = 0; i < sizeof COMPARED / sizeof COMPARED[0]; i++) {
            json_t *want = json_object_get(expect, COMPARED[i]);
            if (want)
                compare_value(COMPARED[i], want, json_object_get(result, COMPARED[i]), &d);
        }
    }
    if (d.count == 0)
        return NULL;
    if (!error_shown && got_error && !json_is_null(got_error)) {
        char *g = describe_error(got_error);
        add_diff(&d, "note: the run failed with %s", g);
        free(g);
    }
    if (d.count > MAX_DIFF_LINES)
        sb_printf(&d.text, "... and %zu more difference%s\n", d.count - MAX_DIFF_LINES,
                  d.count - MAX_DIFF_LINES == 1 ? "" : "s");
    return d.text.s;
}

/* --- finding the examples -------------------------------------------------------- */

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* DIR/sub/NAME.json files but NAME.expect.json, sorted (NULL-terminated, malloc'd). */
static char **request_files(const char *dir, const char *sub, size_t *n)
{
    size_t cap = 8;
    char **list = calloc(cap, sizeof *list);
    char *path = xasprintf("%s/%s", dir, sub);
    DIR *d = opendir(path);
    struct dirent *ent;
    *n = 0;
    if (!list)
        abort();
    while (d && (ent = readdir(d)) != NULL) {
        if (ent->d_name[0] == '.' || !ends_with(ent->d_name, ".json") || ends_with(ent->d_name, ".expect.json"))
            continue;
        if (*n + 2 > cap && !(list = realloc(list, (cap *= 2) * sizeof *list)))
            abort();
        list[(*n)++] = xasprintf("%s/%s", path, ent->d_name);
    }
    if (d)
        closedir(d);
    free(path);
    list[*n] = NULL;
    qsort(list, *n, sizeof *list, compare_names);
    return list;
}

/* NAME.expect.json beside path (malloc'd). */
static char *expect_file(const char *path)
{
    size_t n = strlen(path) - strlen(".json");
    return xasprintf("%.*s.expect.json", (int)n, path);
}

/* The example's name: its file name without .json, under "fixtures/" for a fixture. */
static char *example_name(const char *path, int fixture)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base) - strlen(".json");
    return xasprintf("%s%.*s", fixture ? "fixtures/" : "", (int)n, base);
}

/* Where the expectation of a loaded request lives; sets ex->expect and ex->expect_path. */
static int find_expectation(functest_example *ex, const request_file *r, char **err)
{
    char *beside = expect_file(ex->path);
    int payload = json_object_get(r->doc, "payload") != NULL;
    if (r->expect) {
        ex->expect = json_incref(r->expect);
        ex->expect_path = xstrdup(ex->path);
        free(beside);
        return 0;
    }
    ex->expect_path = beside;
    if (access(beside, F_OK) != 0) {
        if (!payload) {   /* --update will add "expect" to the file itself */
            free(ex->expect_path);
            ex->expect_path = xstrdup(ex->path);
        }
        return 0;
    }
    json_error_t jerr;
    ex->expect = json_load_file(beside, 0, &jerr);
    if (!ex->expect) {
        *err = xasprintf("%s is not valid JSON: %s (line %d)", beside, jerr.text, jerr.line);
        return -1;
    }
    return 0;
}

/* --- running -------------------------------------------------------------------- */

static void run_example(engine *e, json_t *load_error, functest_example *ex)
{
    request_file r;
    char *err = NULL;
    if (request_file_load(ex->path, &r, &err) != 0 || find_expectation(ex, &r, &err) != 0) {
        if (r.doc)
            request_file_free(&r);
        ex->diff = xasprintf("cannot run this example: %s\n", err);
        free(err);
        return;
    }
    if (load_error) {
        ex->result = json_pack("{s:[], s:[], s:[], s:O, s:i}", "events", "objects", "logs", "error", load_error,
                               "durationMs", 0);
    } else {
        engine_request req = request_file_request(&r);
        json_t *settings = r.settings ? json_incref(r.settings) : json_object();
        ex->result = engine_invoke(e, &req, settings);
        json_decref(settings);
    }
    request_file_free(&r);
    if (!ex->result)
        abort();
    char *diff = functest_compare(ex->expect, ex->result);
    ex->passed = diff == NULL;
    ex->diff = diff ? diff : xstrdup("");
}

static char *function_name(const funcdir *f)
{
    const char *from = f->dir ? f->dir : f->handler_path;
    char *real = realpath(from, NULL);
    const char *p = real ? real : from;
    size_t n = strlen(p);
    while (n > 1 && p[n - 1] == '/')
        n--;
    const char *start = p + n;
    while (start > p && start[-1] != '/')
        start--;
    char *name = xasprintf("%.*s", (int)(p + n - start), start);
    free(real);
    return name;
}

/* The example files of f: examples/ then fixtures/ (malloc'd). */
static functest_example *list_examples(const funcdir *f, size_t *count)
{
    size_t ne = 0, nf = 0;
    char **examples = f->dir ? request_files(f->dir, "examples", &ne) : NULL;
    char **fixtures = f->dir ? request_files(f->dir, "fixtures", &nf) : NULL;
    functest_example *list = calloc(ne + nf + 1, sizeof *list);
    if (!list)
        abort();
    for (size_t i = 0; i < ne + nf; i++) {
        int fixture = i >= ne;
        char *path = fixture ? fixtures[i - ne] : examples[i];
        list[i].path = path;    /* takes the string */
        list[i].name = example_name(path, fixture);
    }
    free(examples);
    free(fixtures);
    *count = ne + nf;
    return list;
}

/* Loads f's code into e when there are examples to run; the load's error
 * (a new reference), or NULL when it loaded. */
static json_t *load_function(engine *e, const funcdir *f, size_t count)
{
    json_t *load_error = NULL;
    const char *base = strrchr(f->handler_path, '/');
    if (count > 0 && engine_load(e, f->source, f->source_len, base ? base + 1 : f->handler_path,
                                 funcdir_settings(f), &load_error) != 0 && !load_error)
        load_error = engine_error(ERR_BAD_REQUEST, "InternalError", "the function did not load", 0);
    return load_error;
}

static void example_free(functest_example *ex)
{
    free(ex->name);
    free(ex->path);
    free(ex->expect_path);
    free(ex->diff);
    json_decref(ex->expect);
    json_decref(ex->result);
}

/* Drops the examples from index `from` on (not run): they count as skipped. */
static void drop_rest(functest_run *run, size_t from)
{
    for (size_t i = from; i < run->count; i++)
        example_free(&run->examples[i]);
    memset(run->examples + from, 0, (run->count - from) * sizeof run->examples[0]);
    run->skipped = run->count - from;
    run->count = from;
}

int functest_function_with(const funcdir *f, functest_run *run, const functest_hooks *hooks)
{
    static const functest_hooks none = {NULL, NULL, NULL};
    if (!hooks)
        hooks = &none;
    memset(run, 0, sizeof *run);
    engine *e = engine_new(NULL);
    if (!e)
        return -1;
    run->function = function_name(f);
    run->examples = list_examples(f, &run->count);
    if (hooks->engine)
        hooks->engine(hooks->ctx, e);
    json_t *load_error = load_function(e, f, run->count);
    size_t i;
    for (i = 0; i < run->count; i++) {
        if (hooks->stop && hooks->stop(hooks->ctx))
            break;
        if (i > 0)
            engine_reset(e);   /* every example starts as a test run does: empty cache, fresh state */
        run_example(e, load_error, &run->examples[i]);
        if (run->examples[i].passed)
            run->passed++;
        else
            run->failed++;
    }
    if (hooks->engine)
        hooks->engine(hooks->ctx, NULL);
    drop_rest(run, i);
    json_decref(load_error);
    engine_free(e);
    return 0;
}

int functest_function(const funcdir *f, functest_run *run)
{
    return functest_function_with(f, run, NULL);
}

void functest_run_free(functest_run *run)
{
    for (size_t i = 0; i < run->count; i++)
        example_free(&run->examples[i]);
    free(run->examples);
    free(run->function);
    memset(run, 0, sizeof *run);
}

/* --- new expectations ------------------------------------------------------------- */

json_t *functest_expectation(json_t *result, json_t *previous)
{
    json_t *expect = json_object();
    json_t *error = json_object_get(result, "error");
    json_t *logs = json_object_get(result, "logs");
    int failed = error && !json_is_null(error);
    if (!expect)
        abort();
    if (!failed) {
        json_object_set(expect, "events", json_object_get(result, "events"));
        json_object_set(expect, "objects", json_object_get(result, "objects"));
    }
    if (json_array_size(logs) > 0 || (previous && json_object_get(previous, "logs")))
        json_object_set(expect, "logs", logs ? logs : json_array());
    if (!failed) {
        json_object_set_new(expect, "error", json_null());
    } else {
        json_t *e = json_deep_copy(error);
        if (e && json_is_null(json_object_get(e, "line")))
            json_object_del(e, "line");
        json_object_set_new(expect, "error", e ? e : json_null());
    }
    return expect;
}

/* --- writing ------------------------------------------------------------------- */

static size_t skip_space(const char *s, size_t i)
{
    while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
        i++;
    return i;
}

/* The end of the JSON string starting at s[i] == '"', or 0 when unterminated. */
static size_t skip_string(const char *s, size_t i)
{
    for (i++; s[i]; i++) {
        if (s[i] == '\\' && s[i + 1])
            i++;
        else if (s[i] == '"')
            return i + 1;
    }
    return 0;
}

/* The end of the JSON value starting at s[i], or 0 when the text is cut short. */
static size_t skip_value(const char *s, size_t i)
{
    if (s[i] == '"')
        return skip_string(s, i);
    if (s[i] != '{' && s[i] != '[') {
        while (s[i] && !strchr(",}] \t\r\n", s[i]))
            i++;
        return s[i] ? i : 0;
    }
    int depth = 0;
    while (s[i]) {
        if (s[i] == '"') {
            if (!(i = skip_string(s, i)))
                return 0;
            continue;
        }
        if (s[i] == '{' || s[i] == '[')
            depth++;
        else if ((s[i] == '}' || s[i] == ']') && --depth == 0)
            return i + 1;
        i++;
    }
    return 0;
}

/* Where the top-level "expect" value lies in text ([*start, *end)), or, when
 * there is none, *start = *end = the offset of the closing brace. *indent
 * gets the indentation of the object's members. Returns 0, or -1 when the
 * text is not an object this scanner follows. */
static int find_expect_member(const char *text, size_t *start, size_t *end, size_t *indent, int *empty)
{
    size_t i = skip_space(text, 0);
    if (text[i] != '{')
        return -1;
    i = skip_space(text, i + 1);
    *indent = 2;
    *empty = text[i] == '}';
    while (text[i] == '"') {
        size_t line = i;
        while (line > 0 && text[line - 1] == ' ')
            line--;
        if (line == 0 || text[line - 1] == '\n')
            *indent = i - line;
        size_t key_end = skip_string(text, i);
        if (!key_end)
            return -1;
        int is_expect = key_end - i == 8 && strncmp(text + i, "\"expect\"", 8) == 0;
        i = skip_space(text, key_end);
        if (text[i] != ':')
            return -1;
        i = skip_space(text, i + 1);
        size_t value_end = skip_value(text, i);
        if (!value_end)
            return -1;
        if (is_expect) {
            *start = i;
            *end = value_end;
            return 0;
        }
        i = skip_space(text, value_end);
        if (text[i] == ',')
            i = skip_space(text, i + 1);
    }
    if (text[i] != '}')
        return -1;
    *start = *end = i;
    return 0;
}

/* v at column col (its block indented by indent): on one line when that fits
 * in FORMAT_WIDTH columns, else one item or member per line. */
static void format_value(sbuf *b, json_t *v, size_t indent, size_t col)
{
    char *flat = jsonout_dumps(v, JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
    if (!flat)
        abort();
    int nested = (json_is_object(v) && json_object_size(v) > 0) || (json_is_array(v) && json_array_size(v) > 0);
    if (!nested || col + strlen(flat) <= FORMAT_WIDTH) {
        sb_printf(b, "%s", flat);
        free(flat);
        return;
    }
    free(flat);
    size_t inner = indent + 2;
    if (json_is_array(v)) {
        size_t i;
        json_t *item;
        sb_printf(b, "[");
        json_array_foreach(v, i, item) {
            sb_printf(b, "%s\n%*s", i ? "," : "", (int)inner, "");
            format_value(b, item, inner, inner);
        }
        sb_printf(b, "\n%*s]", (int)indent, "");
        return;
    }
    const char *k;
    json_t *item;
    int first = 1;
    sb_printf(b, "{");
    json_object_foreach(v, k, item) {
        json_t *key = json_string(k);
        char *quoted = key ? json_dumps(key, JSON_ENCODE_ANY) : NULL;
        json_decref(key);
        if (!quoted)
            abort();
        sb_printf(b, "%s\n%*s%s: ", first ? "" : ",", (int)inner, "", quoted);
        format_value(b, item, inner, inner + strlen(quoted) + 2);
        free(quoted);
        first = 0;
    }
    sb_printf(b, "\n%*s}", (int)indent, "");
}

char *functest_format(json_t *value, size_t indent)
{
    sbuf b = {NULL, 0, 0};
    sb_printf(&b, "%s", "");
    format_value(&b, value, indent, indent);
    return b.s;
}

/* text with its "expect" member set to expectation (malloc'd), or NULL. */
static char *splice_expectation(const char *text, json_t *expectation)
{
    size_t start, end, indent;
    int empty;
    if (find_expect_member(text, &start, &end, &indent, &empty) != 0)
        return NULL;
    char *value = functest_format(expectation, indent);
    if (!value)
        return NULL;
    char *out;
    if (start != end) {
        out = xasprintf("%.*s%s%s", (int)start, text, value, text + end);
    } else {
        size_t last = start;    /* after the last member, before the closing brace */
        while (last > 0 && strchr(" \t\r\n", text[last - 1]))
            last--;
        out = xasprintf("%.*s%s\n%*s\"expect\": %s\n%s", (int)last, text, empty ? "" : ",", (int)indent, "",
                        value, text + start);
    }
    free(value);
    /* The result must read back with the new expectation, else the caller rewrites the file whole. */
    json_t *doc = json_loads(out, JSON_REJECT_DUPLICATES, NULL);
    int ok = doc && json_equal(json_object_get(doc, "expect"), expectation);
    json_decref(doc);
    if (!ok) {
        free(out);
        return NULL;
    }
    return out;
}

static int write_text(const char *path, const char *text, char **err)
{
    char *tmp = xasprintf("%s.tmp", path);
    FILE *fp = fopen(tmp, "w");
    int rc = fp && fputs(text, fp) != EOF ? 0 : -1;
    if (fp && fclose(fp) != 0)
        rc = -1;
    if (rc == 0 && rename(tmp, path) != 0)
        rc = -1;
    if (rc != 0) {
        *err = xasprintf("cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
    }
    free(tmp);
    return rc;
}

/* The whole document with "expect" set, indented two spaces (malloc'd), or NULL. */
static char *rewrite_whole(const char *path, json_t *expectation, char **err)
{
    json_error_t jerr;
    json_t *doc = json_load_file(path, 0, &jerr);
    if (!json_is_object(doc)) {
        json_decref(doc);
        *err = xasprintf("cannot update %s: not a JSON object (%s)", path, jerr.text);
        return NULL;
    }
    json_object_set(doc, "expect", expectation);
    char *text = functest_format(doc, 0);
    json_decref(doc);
    if (!text)
        *err = xasprintf("cannot update %s: out of memory", path);
    return text;
}

int functest_write(const functest_example *ex, json_t *expectation, char **err)
{
    char *text = NULL;
    *err = NULL;
    if (strcmp(ex->expect_path, ex->path) != 0) {   /* NAME.expect.json holds nothing else */
        text = functest_format(expectation, 0);
    } else {
        char *old = read_file(ex->path, NULL);
        if (!old) {
            *err = xasprintf("cannot read %s: %s", ex->path, strerror(errno));
            return -1;
        }
        text = splice_expectation(old, expectation);
        free(old);
        if (!text)
            text = rewrite_whole(ex->path, expectation, err);
    }
    if (!text)
        return -1;
    size_t n = strlen(text);
    char *with_newline = n > 0 && text[n - 1] == '\n' ? text : xasprintf("%s\n", text);
    int rc = write_text(ex->expect_path, with_newline, err);
    if (with_newline != text)
        free(with_newline);
    free(text);
    return rc;
}
