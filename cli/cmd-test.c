/*
 * srcfn test [NAME | DIR ...] [--update [--yes]]
 *
 * Runs every example of a function and compares each result with the
 * example's expectation (workspace/functest.h): one line per example,
 * "PASS fn/example" or "FAIL fn/example" followed by what differs, indented;
 * then "N passed, N failed". Exit status 0 only when every example passed
 * (and at least one ran), 1 otherwise, 2 for bad usage.
 *
 * What runs: each DIR given (a function directory, or a folder of them such
 * as a workspace or templates/), each NAME given (a function of the workspace
 * around the current directory); with no argument, every function of that
 * workspace, or outside one the current directory when it is a function.
 *
 * --update shows the current result of every failing example as its new
 * expectation, asks for confirmation (unless --yes) and writes them.
 */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "workspace/funcdir.h"
#include "workspace/functest.h"
#include "workspace/workspace.h"

#define TEST_USAGE "usage: srcfn test [NAME | DIR ...] [--update [--yes]]"

typedef struct test_options {
    int update, yes;
    char **targets;   /* argv's operands */
    int ntargets;
} test_options;

/* A growing list of function directories. */
typedef struct dir_list {
    char **dirs;
    size_t n, cap;
} dir_list;

static void add_dir(dir_list *l, char *dir)
{
    if (l->n == l->cap && !(l->dirs = realloc(l->dirs, (l->cap = l->cap ? l->cap * 2 : 8) * sizeof *l->dirs)))
        abort();
    l->dirs[l->n++] = dir;
}

static void free_dirs(dir_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->dirs[i]);
    free(l->dirs);
}

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

static int is_function_dir(const char *dir)
{
    char *handler = join(dir, "handler.js");
    int ok = access(handler, R_OK) == 0;
    free(handler);
    return ok;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the function directories inside folder (sorted); returns how many. */
static size_t add_functions_in(dir_list *l, const char *folder)
{
    DIR *d = opendir(folder);
    size_t before = l->n;
    struct dirent *ent;
    while (d && (ent = readdir(d)) != NULL) {
        if (ent->d_name[0] == '.')
            continue;
        char *sub = join(folder, ent->d_name);
        if (is_dir(sub) && is_function_dir(sub))
            add_dir(l, sub);
        else
            free(sub);
    }
    if (d)
        closedir(d);
    if (l->n > before)
        qsort(l->dirs + before, l->n - before, sizeof *l->dirs, compare_names);
    return l->n - before;
}

/* Adds what one operand names; EXIT_OK or EXIT_USAGE (after saying why). */
static int add_target(dir_list *l, const char *target)
{
    if (is_dir(target)) {
        if (is_function_dir(target)) {
            char *copy = strdup(target);
            if (!copy)
                abort();
            add_dir(l, copy);
            return EXIT_OK;
        }
        if (add_functions_in(l, target) == 0)
            return usage_error("test: %s holds no function (no handler.js in it or in its folders)", target);
        return EXIT_OK;
    }
    char *root = workspace_valid_name(target) ? workspace_find(".") : NULL;
    char *dir = root ? workspace_function_dir(root, target) : NULL;
    int status = EXIT_OK;
    if (dir && is_function_dir(dir)) {
        add_dir(l, dir);
        dir = NULL;
    } else if (root) {
        status = usage_error("test: no function \"%s\" in the workspace %s", target, root);
    } else {
        status = usage_error("test: \"%s\" is not a function directory (and this is not a srcfn workspace)", target);
    }
    free(dir);
    free(root);
    return status;
}

/* No operand: the workspace's functions, or the current directory. */
static int add_default(dir_list *l)
{
    char *root = workspace_find(".");
    int status = EXIT_OK;
    if (root) {
        if (add_functions_in(l, root) == 0)
            status = usage_error("test: the workspace %s has no function yet (see srcfn new)", root);
    } else if (is_function_dir(".")) {
        char *here = strdup(".");
        if (!here)
            abort();
        add_dir(l, here);
    } else {
        status = usage_error("test: not in a srcfn workspace and no handler.js here; name a function directory\n"
                             TEST_USAGE);
    }
    free(root);
    return status;
}

static int parse_options(int argc, char **argv, test_options *o)
{
    static const struct option longopts[] = {
        {"update", no_argument, NULL, 'u'},
        {"yes", no_argument, NULL, 'y'},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c == 'u')
            o->update = 1;
        else if (c == 'y')
            o->yes = 1;
        else
            return usage_error("test: unknown option \"%s\"\n" TEST_USAGE, argv[optind - 1]);
    }
    if (o->yes && !o->update)
        return usage_error("test: --yes goes with --update\n" TEST_USAGE);
    o->targets = argv + optind;
    o->ntargets = argc - optind;
    return EXIT_OK;
}

/* --- output --------------------------------------------------------------------- */

static void print_indented(const char *text, const char *indent)
{
    const char *line = text;
    while (*line) {
        const char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) : strlen(line);
        printf("%s%.*s\n", indent, (int)n, line);
        line += n + (nl ? 1 : 0);
    }
}

static void print_run(const functest_run *run)
{
    for (size_t i = 0; i < run->count; i++) {
        const functest_example *ex = &run->examples[i];
        printf("%s %s/%s\n", ex->passed ? "PASS" : "FAIL", run->function, ex->name);
        if (!ex->passed)
            print_indented(ex->diff, "    ");
    }
    if (run->count == 0)
        fprintf(stderr, "srcfn: test: note: %s has no examples (examples/*.json)\n", run->function);
    fflush(stdout);
}

/* Runs the function in dir and prints its examples; -1 when it cannot be run. */
static int test_function(const char *dir, functest_run *run)
{
    funcdir f;
    char *err = NULL;
    if (funcdir_open(dir, &f, &err) != 0) {
        usage_error("test: %s", err);
        free(err);
        memset(run, 0, sizeof *run);
        return -1;
    }
    int rc = functest_function(&f, run);
    funcdir_close(&f);
    if (rc != 0) {
        usage_error("test: cannot start the JavaScript engine");
        return -1;
    }
    print_run(run);
    return 0;
}

/* --- --update ------------------------------------------------------------------- */

static int confirmed(size_t n)
{
    printf("write %zu new expectation%s? [y/N] ", n, n == 1 ? "" : "s");
    fflush(stdout);
    char answer[16];
    if (!fgets(answer, sizeof answer, stdin)) {
        putchar('\n');
        return 0;
    }
    return answer[0] == 'y' || answer[0] == 'Y';
}

/* Shows, confirms and writes the new expectations of the failing examples.
 * Returns the number of examples still failing afterwards. */
static size_t update(functest_run *runs, size_t nruns, int yes)
{
    size_t to_write = 0, failing = 0;
    for (size_t r = 0; r < nruns; r++) {
        for (size_t i = 0; i < runs[r].count; i++) {
            functest_example *ex = &runs[r].examples[i];
            if (ex->passed)
                continue;
            failing++;
            if (!ex->result)
                continue;   /* an unreadable example: nothing to write */
            json_t *expectation = functest_expectation(ex->result, ex->expect);
            char *text = functest_format(expectation, 0);
            json_decref(expectation);
            printf("\nnew expectation for %s/%s (%s):\n", runs[r].function, ex->name, ex->expect_path);
            print_indented(text, "  ");
            free(text);
            to_write++;
        }
    }
    if (to_write == 0) {
        printf("nothing to update\n");
        return failing;
    }
    if (!yes && !confirmed(to_write)) {
        printf("no expectation written\n");
        return failing;
    }
    for (size_t r = 0; r < nruns; r++) {
        for (size_t i = 0; i < runs[r].count; i++) {
            functest_example *ex = &runs[r].examples[i];
            if (ex->passed || !ex->result)
                continue;
            char *err = NULL;
            json_t *expectation = functest_expectation(ex->result, ex->expect);
            if (functest_write(ex, expectation, &err) == 0) {
                printf("updated %s\n", ex->expect_path);
                failing--;
            } else {
                fprintf(stderr, "srcfn: test: %s\n", err);
                free(err);
            }
            json_decref(expectation);
        }
    }
    return failing;
}

int cmd_test(int argc, char **argv)
{
    test_options o;
    int status = parse_options(argc, argv, &o);
    if (status != EXIT_OK)
        return status;
    dir_list dirs = {NULL, 0, 0};
    for (int i = 0; i < o.ntargets && status == EXIT_OK; i++)
        status = add_target(&dirs, o.targets[i]);
    if (status == EXIT_OK && o.ntargets == 0)
        status = add_default(&dirs);
    if (status != EXIT_OK) {
        free_dirs(&dirs);
        return status;
    }
    functest_run *runs = calloc(dirs.n + 1, sizeof *runs);
    if (!runs)
        abort();
    size_t passed = 0, failed = 0, ran = 0;
    for (size_t i = 0; i < dirs.n && status == EXIT_OK; i++) {
        if (test_function(dirs.dirs[i], &runs[i]) != 0)
            status = EXIT_USAGE;
        passed += runs[i].passed;
        failed += runs[i].failed;
        ran = i + 1;
    }
    if (status == EXIT_OK) {
        size_t total = passed + failed;
        printf("%zu passed, %zu failed\n", passed, failed);
        if (total == 0)
            fprintf(stderr, "srcfn: test: no examples to run\n");
        if (o.update && failed > 0)
            failed = update(runs, ran, o.yes);
        status = total > 0 && failed == 0 ? EXIT_OK : EXIT_FAILED;
    }
    for (size_t i = 0; i < ran; i++)
        functest_run_free(&runs[i]);
    free(runs);
    free_dirs(&dirs);
    return status;
}
