/*
 * srcfn new NAME [--template T]
 *
 * Creates the function WORKSPACE/NAME/ as a copy of template T (default
 * "default") and sets its function.json "displayName" to NAME. Where
 * templates are found: workspace/templates.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/ws.h"
#include "workspace/scaffold.h"
#include "workspace/templates.h"
#include "workspace/workspace.h"

#define NEW_USAGE "usage: srcfn new NAME [--template T]"

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

/* --- copying ------------------------------------------------------------------------ */

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Prints the files under dir (relative to base), sorted, one per line. */
static void print_files(const char *dir, const char *rel)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    size_t n = 0, cap = 16;
    char **names = malloc(cap * sizeof *names);
    struct dirent *ent;
    while (names && (ent = readdir(d)) != NULL) {
        if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
            continue;
        if (n == cap && !(names = realloc(names, (cap *= 2) * sizeof *names)))
            abort();
        if (!(names[n++] = strdup(ent->d_name)))
            abort();
    }
    closedir(d);
    if (!names)
        abort();
    qsort(names, n, sizeof *names, compare_names);
    for (size_t i = 0; i < n; i++) {
        char *path = join(dir, names[i]);
        char *shown = join(rel, names[i]);
        if (is_dir(path))
            print_files(path, shown);
        else
            printf("  %s\n", shown);
        free(shown);
        free(path);
        free(names[i]);
    }
    free(names);
}

int cmd_new(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"template", required_argument, NULL, 't'},
        {NULL, 0, NULL, 0},
    };
    const char *template = "default";
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c == 't')
            template = optarg;
        else
            return usage_error("new: unknown option or missing value \"%s\"\n" NEW_USAGE, argv[optind - 1]);
    }
    if (optind != argc - 1)
        return usage_error("new: name one function\n" NEW_USAGE);
    const char *name = argv[optind];
    if (ws_check_name("new", "function", name) != EXIT_OK)
        return EXIT_USAGE;
    if (!workspace_valid_name(template))
        return usage_error("new: \"%s\" is not a valid template name", template);

    char *root = workspace_require();
    if (!root)
        return EXIT_USAGE;
    char *target = workspace_function_dir(root, name);
    struct stat st;
    int status = EXIT_OK;
    char *source = NULL, *err = NULL;
    if (lstat(target, &st) == 0) {
        status = usage_error("new: \"%s\" already exists in the workspace (%s); choose another name", name, target);
    } else if (!(source = templates_find(template, &err))) {
        status = usage_error("new: %s", err);
    } else if (mkdir(target, 0777) != 0) {
        status = usage_error("new: cannot create %s: %s", target, strerror(errno));
    } else {
        if (scaffold_copy(source, target, name, &err) != 0) {
            status = ws_fail(EXIT_FAILED, "new", err);   /* frees err */
            err = NULL;
        } else {
            printf("created function \"%s\" in %s from template \"%s\":\n", name, target, template);
            print_files(target, name);
            printf("next: edit %s/handler.js, try it with \"srcfn run %s\", then \"srcfn deploy %s\"\n", name,
                   name, name);
        }
    }
    free(err);
    free(source);
    free(target);
    free(root);
    return status;
}
