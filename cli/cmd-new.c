/*
 * srcfn new NAME [--template T]
 *
 * Creates the function WORKSPACE/NAME/ as a copy of template T (default
 * "default") and sets its function.json "displayName" to NAME. Templates are
 * the directories of $SRCFN_TEMPLATES when set, else of the first templates/
 * folder found beside the binary or up to two folders above it (./srcfn and
 * build/asan/srcfn in a checkout), or in ../share/srcfn/ (an installed
 * binary).
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

/* --- finding templates ---------------------------------------------------------- */

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
    return strdup(buf[0] ? buf : "/");
}

/* The templates folders to try, in order (NULL-terminated, malloc'd). */
static char **template_roots(void)
{
    static const char *const beside[] = {"templates", "../templates", "../../templates",
                                         "../share/srcfn/templates"};
    size_t n = 0, max = sizeof beside / sizeof beside[0] + 2;
    char **roots = calloc(max, sizeof *roots);
    if (!roots)
        abort();
    const char *env = getenv("SRCFN_TEMPLATES");
    if (env && *env) {
        roots[n++] = strdup(env);
    } else {
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
    }
    for (size_t i = 0; i < n; i++) {
        if (!roots[i])
            abort();
    }
    return roots;
}

static void free_list(char **list)
{
    for (char **p = list; p && *p; p++)
        free(*p);
    free(list);
}

/* "a, b, c": the templates in dir (a template is a folder with handler.js). */
static char *available_templates(const char *dir)
{
    DIR *d = opendir(dir);
    char *names = strdup("");
    if (!names)
        abort();
    struct dirent *ent;
    while (d && (ent = readdir(d)) != NULL) {
        if (ent->d_name[0] == '.')
            continue;
        char *sub = join(dir, ent->d_name);
        char *handler = join(sub, "handler.js");
        if (access(handler, R_OK) == 0) {
            char *more = NULL;
            if (asprintf(&more, "%s%s%s", names, *names ? ", " : "", ent->d_name) < 0)
                abort();
            free(names);
            names = more;
        }
        free(handler);
        free(sub);
    }
    if (d)
        closedir(d);
    return names;
}

/* The directory of template name, or NULL after printing why not. */
static char *find_template(const char *name)
{
    char **roots = template_roots();
    char *found = NULL;
    for (char **r = roots; *r && !found; r++) {
        char *dir = join(*r, name);
        if (is_dir(dir))
            found = dir;
        else
            free(dir);
    }
    if (!found) {
        const char *env = getenv("SRCFN_TEMPLATES");
        if (!roots[0]) {
            usage_error("new: cannot find the templates folder next to the srcfn binary "
                        "(set SRCFN_TEMPLATES to it)");
        } else {
            char *names = available_templates(roots[0]);
            usage_error("new: no template \"%s\" in %s%s (available: %s)", name, roots[0],
                        env && *env ? " ($SRCFN_TEMPLATES)" : "", *names ? names : "none");
            free(names);
        }
    }
    free_list(roots);
    return found;
}

/* --- copying ------------------------------------------------------------------------ */

static int copy_file(const char *from, const char *to, mode_t mode, char **err)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    int out = in < 0 ? -1 : open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode & 0777);
    int rc = in < 0 || out < 0 ? -1 : 0;
    char buf[65536];
    while (rc == 0) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            rc = n < 0 ? -1 : 0;
            break;
        }
        for (ssize_t done = 0; done < n && rc == 0;) {
            ssize_t w = write(out, buf + done, (size_t)(n - done));
            if (w < 0 && errno != EINTR)
                rc = -1;
            else if (w > 0)
                done += w;
        }
    }
    if (rc != 0 && asprintf(err, "cannot copy %s to %s: %s", from, to, strerror(errno)) < 0)
        abort();
    if (in >= 0)
        close(in);
    if (out >= 0 && close(out) != 0 && rc == 0) {
        if (asprintf(err, "cannot write %s: %s", to, strerror(errno)) < 0)
            abort();
        rc = -1;
    }
    return rc;
}

/* Copies the contents of directory from into the existing directory to:
 * folders and regular files (symbolic links are followed), nothing else. */
static int copy_tree(const char *from, const char *to, char **err)
{
    DIR *d = opendir(from);
    if (!d) {
        if (asprintf(err, "cannot read %s: %s", from, strerror(errno)) < 0)
            abort();
        return -1;
    }
    int rc = 0;
    struct dirent *ent;
    while (rc == 0 && (ent = readdir(d)) != NULL) {
        if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
            continue;
        char *src = join(from, ent->d_name);
        char *dst = join(to, ent->d_name);
        struct stat st;
        if (stat(src, &st) != 0) {
            rc = -1;
            if (asprintf(err, "cannot read %s: %s", src, strerror(errno)) < 0)
                abort();
        } else if (S_ISDIR(st.st_mode)) {
            if (mkdir(dst, 0777) != 0) {
                rc = -1;
                if (asprintf(err, "cannot create %s: %s", dst, strerror(errno)) < 0)
                    abort();
            } else {
                rc = copy_tree(src, dst, err);
            }
        } else if (S_ISREG(st.st_mode)) {
            rc = copy_file(src, dst, st.st_mode, err);
        }
        free(src);
        free(dst);
    }
    closedir(d);
    return rc;
}

/* Removes what copy_tree made (best effort, after a failure). */
static void remove_tree(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *ent;
    while (d && (ent = readdir(d)) != NULL) {
        if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
            continue;
        char *sub = join(path, ent->d_name);
        struct stat st;
        if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
            remove_tree(sub);
        else
            unlink(sub);
        free(sub);
    }
    if (d)
        closedir(d);
    rmdir(path);
}

/* Sets function.json's displayName (creating the file when the template has none). */
static int set_display_name(const char *dir, const char *name, char **err)
{
    char *path = join(dir, "function.json");
    json_error_t jerr;
    json_t *manifest = NULL;
    if (access(path, F_OK) == 0) {
        manifest = json_load_file(path, 0, &jerr);
        if (!json_is_object(manifest)) {
            json_decref(manifest);
            if (asprintf(err, "the template's function.json is not a JSON object (%s)", jerr.text) < 0)
                abort();
            free(path);
            return -1;
        }
    } else {
        manifest = json_pack("{s:s, s:[]}", "description", "", "settings");
        if (!manifest)
            abort();
    }
    int rc = 0;
    if (json_object_set_new(manifest, "displayName", json_string(name)) != 0 ||
        json_dump_file(manifest, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0) {
        if (asprintf(err, "cannot write %s: %s", path, strerror(errno)) < 0)
            abort();
        rc = -1;
    } else {
        /* json_dump_file ends without a newline; files people edit should. */
        FILE *fp = fopen(path, "a");
        if (!fp || fputc('\n', fp) == EOF || fclose(fp) != 0) {
            if (fp)
                fclose(fp);
            if (asprintf(err, "cannot write %s: %s", path, strerror(errno)) < 0)
                abort();
            rc = -1;
        }
    }
    json_decref(manifest);
    free(path);
    return rc;
}

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
    char *source = NULL;
    if (lstat(target, &st) == 0) {
        status = usage_error("new: \"%s\" already exists in the workspace (%s); choose another name", name, target);
    } else if (!(source = find_template(template))) {
        status = EXIT_USAGE;
    } else if (mkdir(target, 0777) != 0) {
        status = usage_error("new: cannot create %s: %s", target, strerror(errno));
    } else {
        char *err = NULL;
        if (copy_tree(source, target, &err) != 0 || set_display_name(target, name, &err) != 0) {
            remove_tree(target);
            status = ws_fail(EXIT_FAILED, "new", err);
        } else {
            printf("created function \"%s\" in %s from template \"%s\":\n", name, target, template);
            print_files(target, name);
            printf("next: edit %s/handler.js, try it with \"srcfn run %s\", then \"srcfn deploy %s\"\n", name,
                   name, name);
        }
    }
    free(source);
    free(target);
    free(root);
    return status;
}
