/*
 * scaffold: making a function directory from a template (see scaffold.h).
 * The code `srcfn new` used, moved here so the studio's "New function" makes
 * exactly the same files.
 *
 * Invariant: scaffold_copy leaves either a complete function directory or
 * nothing (what it made, the target included, is removed after a failure).
 */
#include "workspace/scaffold.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
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

int scaffold_copy(const char *template_dir, const char *target, const char *name, char **err)
{
    if (copy_tree(template_dir, target, err) != 0 || set_display_name(target, name, err) != 0) {
        remove_tree(target);
        return -1;
    }
    return 0;
}
