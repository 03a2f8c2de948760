/*
 * lower: the compiler heap and the lowering cache (see lower.h).
 *
 * Cache entries are JSON files named by SHA-256(compiler id, NUL, source):
 *   {"code": "...", "lines": [user line per generated line]}
 *   {"error": "message", "line": n}
 * written to a temporary name and renamed, so readers never see half a file.
 */
#include "engine/lower.h"

#include <errno.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/embed.h"
#include "engine/heap.h"
#include "util/xalloc.h"

#define COMPILER_HEAP_CAP   (512u * 1024 * 1024)
#define COMPILER_TIMEOUT_NS (30LL * 1000000000)

static pthread_mutex_t compiler_lock = PTHREAD_MUTEX_INITIALIZER;
static duk_context *compiler;
static heap_state compiler_state;

/* --- cache location and key ------------------------------------------------ */

static int mkdir_p(char *path)
{
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        int r = mkdir(path, 0700);
        *p = '/';
        if (r != 0 && errno != EEXIST)
            return -1;
    }
    return (mkdir(path, 0700) == 0 || errno == EEXIST) ? 0 : -1;
}

/* $SRCFN_CACHE_DIR, else $XDG_CACHE_HOME/srcfn/lower, else ~/.cache/srcfn/lower.
 * Returns a malloc'd path of an existing directory, or NULL (no caching). */
static char *cache_dir(void)
{
    const char *dir = getenv("SRCFN_CACHE_DIR");
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    char buf[4096];
    if (dir && *dir)
        snprintf(buf, sizeof buf, "%s", dir);
    else if (xdg && *xdg)
        snprintf(buf, sizeof buf, "%s/srcfn/lower", xdg);
    else if (home && *home)
        snprintf(buf, sizeof buf, "%s/.cache/srcfn/lower", home);
    else
        return NULL;
    return mkdir_p(buf) == 0 ? xstrdup(buf) : NULL;
}

static int cache_key(const char *src, size_t len, char hex[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    const char *id = embed_compiler_id();
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    int ok = c && EVP_DigestInit_ex(c, EVP_sha256(), NULL) &&
             EVP_DigestUpdate(c, id, strlen(id) + 1) &&
             EVP_DigestUpdate(c, src, len) &&
             EVP_DigestFinal_ex(c, md, &mdlen);
    EVP_MD_CTX_free(c);
    if (!ok)
        return -1;
    for (unsigned i = 0; i < 32; i++)
        sprintf(hex + 2 * i, "%02x", md[i]);
    return 0;
}

static void cache_write(const char *path, json_t *doc)
{
    char *tmp = NULL;
    if (asprintf(&tmp, "%s.%ld.tmp", path, (long)getpid()) < 0)
        return;
    if (json_dump_file(doc, tmp, JSON_COMPACT) != 0 || rename(tmp, path) != 0)
        unlink(tmp);
    free(tmp);
}

/* --- result documents -------------------------------------------------------- */

static int lowered_from_json(json_t *doc, lowered *out)
{
    memset(out, 0, sizeof *out);
    json_t *err = json_object_get(doc, "error");
    if (json_is_string(err)) {
        out->error = xstrdup(json_string_value(err));
        out->error_line = (int)json_integer_value(json_object_get(doc, "line"));
        return 0;
    }
    json_t *code = json_object_get(doc, "code");
    json_t *lines = json_object_get(doc, "lines");
    if (!json_is_string(code) || !json_is_array(lines))
        return -1;
    out->code = xstrdup(json_string_value(code));
    out->nlines = (int)json_array_size(lines);
    out->lines = calloc(out->nlines ? out->nlines : 1, sizeof *out->lines);
    if (!out->lines)
        abort();
    for (int i = 0; i < out->nlines; i++)
        out->lines[i] = (int)json_integer_value(json_array_get(lines, i));
    return 0;
}

/* --- the compiler heap --------------------------------------------------------- */

static int compiler_boot(char **why)
{
    compiler_state.cap = COMPILER_HEAP_CAP;
    compiler = heap_create(&compiler_state);
    if (!compiler) {
        *why = xstrdup("cannot create the compiler heap");
        return -1;
    }
    embedded js = embed_compiler();
    duk_push_string(compiler, "srcfn:compiler");
    if (duk_pcompile_lstring_filename(compiler, 0, js.data, js.len) != 0 ||
        duk_pcall(compiler, 0) != 0) {
        *why = xstrdup(duk_safe_to_stacktrace(compiler, -1));
        duk_destroy_heap(compiler);
        compiler = NULL;
        return -1;
    }
    duk_pop(compiler);
    return 0;
}

/* Runs srcfnLower(source, filename) on the compiler heap; returns its JSON. */
static json_t *compiler_run(const char *src, size_t len, const char *filename, char **why)
{
    duk_context *c = compiler;
    compiler_state.deadline_ns = heap_now_ns() + COMPILER_TIMEOUT_NS;
    compiler_state.timed_out = 0;
    compiler_state.timeout_hits = 0;
    duk_get_global_string(c, "srcfnLower");
    duk_push_lstring(c, src, len);
    duk_push_string(c, filename);
    int rc = duk_pcall(c, 2);
    compiler_state.deadline_ns = 0;
    json_t *doc = NULL;
    if (rc != 0) {
        *why = xstrdup(duk_safe_to_stacktrace(c, -1));
    } else {
        json_error_t jerr;
        doc = json_loads(duk_safe_to_string(c, -1), 0, &jerr);
        if (!doc)
            *why = xstrdup("the compiler returned malformed output");
    }
    duk_pop(c);
    duk_gc(c, 0);
    return doc;
}

static json_t *compile_locked(const char *src, size_t len, const char *filename, char **why)
{
    json_t *doc = NULL;
    pthread_mutex_lock(&compiler_lock);
    if (compiler || compiler_boot(why) == 0)
        doc = compiler_run(src, len, filename, why);
    pthread_mutex_unlock(&compiler_lock);
    return doc;
}

/* --- public ---------------------------------------------------------------------- */

int lower_source(const char *source, size_t len, const char *filename, lowered *out)
{
    char key[65], path[4200];
    char *dir = cache_dir();
    int have_path = dir && cache_key(source, len, key) == 0;
    if (have_path)
        snprintf(path, sizeof path, "%s/%s.json", dir, key);
    free(dir);

    if (have_path) {
        json_t *doc = json_load_file(path, 0, NULL);
        int ok = doc && lowered_from_json(doc, out) == 0;
        json_decref(doc);
        if (ok)
            return 0;
    }

    char *why = NULL;
    json_t *doc = compile_locked(source, len, filename, &why);
    if (!doc || lowered_from_json(doc, out) != 0) {
        memset(out, 0, sizeof *out);
        out->error = why ? why : xstrdup("the compiler returned no result");
        json_decref(doc);
        return -1;
    }
    if (have_path)
        cache_write(path, doc);
    json_decref(doc);
    return 0;
}

void lowered_free(lowered *l)
{
    free(l->code);
    free(l->lines);
    free(l->error);
    memset(l, 0, sizeof *l);
}

int lowered_user_line(const lowered *l, int generated_line)
{
    if (generated_line >= 1 && generated_line <= l->nlines && l->lines[generated_line - 1] > 0)
        return l->lines[generated_line - 1];
    return generated_line;
}
