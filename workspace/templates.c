/*
 * templates: finding and listing the bundled templates (see templates.h).
 * Shared by `srcfn new`, `srcfn templates` and the studio so they agree.
 */
#include "workspace/templates.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *join(const char *a, const char *b)
{
    char *s = NULL;
    if (asprintf(&s, "%s/%s", a, b) < 0)
        abort();
    return s;
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The directory holding the running binary (malloc'd), or NULL. */
static char *exe_dir(void)
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0)
        return NULL;
    buf[n] = '\0';
    char *slash = strrchr(buf, '/');
    if (!slash)
        return NULL;
    *slash = '\0';
    return xstrdup(buf[0] ? buf : "/");
}

char **templates_roots(void)
{
    static const char *const beside[] = {"templates", "../templates", "../../templates",
                                         "../share/srcfn/templates"};
    size_t n = 0, max = sizeof beside / sizeof beside[0] + 2;
    char **roots = calloc(max, sizeof *roots);
    if (!roots)
        abort();
    const char *env = getenv("SRCFN_TEMPLATES");
    if (env && *env) {
        roots[n++] = xstrdup(env);
        return roots;
    }
    char *dir = exe_dir();
    for (size_t i = 0; dir && i < sizeof beside / sizeof beside[0]; i++) {
        char *p = join(dir, beside[i]);
        char *real = realpath(p, NULL);
        free(p);
        if (real && is_dir(real))
            roots[n++] = real;
        else
            free(real);
    }
    free(dir);
    return roots;
}

void templates_free_roots(char **roots)
{
    for (char **p = roots; p && *p; p++)
        free(*p);
    free(roots);
}

/* --- listing -------------------------------------------------------------------- */

static int is_template(const char *root, const char *name)
{
    if (name[0] == '.')
        return 0;
    char *sub = join(root, name);
    char *handler = join(sub, "handler.js");
    int ok = is_dir(sub) && access(handler, R_OK) == 0;
    free(handler);
    free(sub);
    return ok;
}

/* "default" sorts first, the others by name. */
static int compare_templates(const void *a, const void *b)
{
    const template_info *x = a, *y = b;
    int xd = strcmp(x->name, "default") == 0, yd = strcmp(y->name, "default") == 0;
    if (xd != yd)
        return yd - xd;
    return strcmp(x->name, y->name);
}

/* A string member of function.json, or fallback (malloc'd either way). */
static char *manifest_string(json_t *manifest, const char *key, const char *fallback)
{
    const char *s = json_string_value(json_object_get(manifest, key));
    return xstrdup(s && *s ? s : fallback);
}

static void describe(template_info *t)
{
    char *path = join(t->dir, "function.json");
    json_t *manifest = json_load_file(path, 0, NULL);
    free(path);
    t->display_name = manifest_string(manifest, "displayName", t->name);
    t->description = manifest_string(manifest, "description", "");
    json_decref(manifest);
}

size_t templates_list(template_info **list, char **root)
{
    char **roots = templates_roots();
    size_t n = 0, cap = 16;
    *list = NULL;
    if (root)
        *root = roots[0] ? xstrdup(roots[0]) : NULL;
    DIR *d = roots[0] ? opendir(roots[0]) : NULL;
    if (!d) {
        templates_free_roots(roots);
        return 0;
    }
    template_info *items = calloc(cap, sizeof *items);
    if (!items)
        abort();
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        if (!is_template(roots[0], ent->d_name))
            continue;
        if (n == cap && !(items = realloc(items, (cap *= 2) * sizeof *items)))
            abort();
        items[n].name = xstrdup(ent->d_name);
        items[n].dir = join(roots[0], ent->d_name);
        describe(&items[n]);
        n++;
    }
    closedir(d);
    templates_free_roots(roots);
    qsort(items, n, sizeof *items, compare_templates);
    *list = items;
    return n;
}

void templates_free_list(template_info *list, size_t n)
{
    for (size_t i = 0; list && i < n; i++) {
        free(list[i].name);
        free(list[i].dir);
        free(list[i].display_name);
        free(list[i].description);
    }
    free(list);
}

/* --- finding one ------------------------------------------------------------------ */

/* "a, b, c": the names of the templates available. */
static char *available_names(void)
{
    template_info *list = NULL;
    size_t n = templates_list(&list, NULL);
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(list[i].name) + 2;
    char *names = calloc(len, 1);
    if (!names)
        abort();
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            strcat(names, ", ");
        strcat(names, list[i].name);
    }
    templates_free_list(list, n);
    return names;
}

char *templates_find(const char *name, char **err)
{
    char **roots = templates_roots();
    char *found = NULL;
    *err = NULL;
    for (char **r = roots; *r && !found; r++) {
        char *dir = join(*r, name);
        if (is_dir(dir))
            found = dir;
        else
            free(dir);
    }
    if (!found) {
        const char *env = getenv("SRCFN_TEMPLATES");
        int rc;
        if (!roots[0]) {
            rc = asprintf(err, "cannot find the templates folder next to the srcfn binary "
                               "(set SRCFN_TEMPLATES to it)");
        } else {
            char *names = available_names();
            rc = asprintf(err, "no template \"%s\" in %s%s (available: %s)", name, roots[0],
                          env && *env ? " ($SRCFN_TEMPLATES)" : "", *names ? names : "none");
            free(names);
        }
        if (rc < 0)
            abort();
    }
    templates_free_roots(roots);
    return found;
}
