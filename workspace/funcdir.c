#include "workspace/funcdir.h"

#include <dirent.h>
#include <errno.h>
#include <unistd.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char *format(const char *fmt, const char *a, const char *b)
{
    char *s = NULL;
    if (asprintf(&s, fmt, a, b) < 0)
        abort();
    return s;
}

char *read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    size_t cap = 8192, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf)
            abort();
        n += fread(buf + n, 1, cap - n - 1, fp);
        if (n < cap - 1)
            break;
        cap *= 2;
        buf = realloc(buf, cap);
    }
    int failed = ferror(fp);
    fclose(fp);
    if (failed) {
        free(buf);
        errno = EIO;
        return NULL;
    }
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

int write_file_atomic(const char *path, const char *data, size_t len, int mode, char **err)
{
    char *tmp = format("%s%s", path, ".srcfn-tmp");
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    int rc = fd < 0 ? -1 : 0;
    for (size_t done = 0; rc == 0 && done < len;) {
        ssize_t n = write(fd, data + done, len - done);
        if (n < 0 && errno != EINTR)
            rc = -1;
        else if (n > 0)
            done += (size_t)n;
    }
    if (rc == 0 && fsync(fd) != 0)
        rc = -1;
    if (fd >= 0 && close(fd) != 0)
        rc = -1;
    if (rc == 0 && rename(tmp, path) != 0)
        rc = -1;
    if (rc != 0) {
        *err = format("cannot write %s: %s", path, strerror(errno));
        (void)unlink(tmp);   /* best effort: it may not exist */
    }
    free(tmp);
    return rc;
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int load_manifest(funcdir *f, char **err)
{
    char *path = format("%s/%s", f->dir, "function.json");
    json_error_t jerr;
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        free(path);
        f->manifest = json_object();
        return 0;
    }
    f->manifest = json_loadf(fp, 0, &jerr);
    fclose(fp);
    if (!f->manifest || !json_is_object(f->manifest)) {
        char where[64];
        snprintf(where, sizeof where, "line %d, column %d", jerr.line, jerr.column);
        *err = f->manifest ? format("%s: %s", path, "must hold a JSON object")
                           : format("%s: not valid JSON (%s)", path, where);
        free(path);
        return -1;
    }
    json_t *settings = json_object_get(f->manifest, "settings");
    if (settings && !json_is_array(settings)) {
        *err = format("%s: %s", path, "\"settings\" must be an array");
        free(path);
        return -1;
    }
    free(path);
    return 0;
}

int funcdir_open(const char *path, funcdir *f, char **err)
{
    memset(f, 0, sizeof *f);
    *err = NULL;
    if (is_dir(path)) {
        f->dir = strdup(path);
        f->handler_path = format("%s/%s", path, "handler.js");
    } else {
        f->handler_path = strdup(path);
    }
    if (!f->handler_path || (is_dir(path) && !f->dir))
        abort();
    f->source = read_file(f->handler_path, &f->source_len);
    if (!f->source) {
        *err = format("cannot read %s: %s", f->handler_path, strerror(errno));
        funcdir_close(f);
        return -1;
    }
    if (f->dir ? load_manifest(f, err) != 0 : !(f->manifest = json_object())) {
        funcdir_close(f);
        return -1;
    }
    return 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **funcdir_examples(const funcdir *f)
{
    size_t n = 0, cap = 8;
    char **list = calloc(cap, sizeof *list);
    if (!list)
        abort();
    if (!f->dir)
        return list;
    char *dirpath = format("%s/%s", f->dir, "examples");
    DIR *d = opendir(dirpath);
    struct dirent *ent;
    while (d && (ent = readdir(d)) != NULL) {
        if (ent->d_name[0] == '.' || !ends_with(ent->d_name, ".json"))
            continue;
        if (n + 2 > cap) {
            cap *= 2;
            list = realloc(list, cap * sizeof *list);
            if (!list)
                abort();
        }
        list[n++] = format("%s/%s", dirpath, ent->d_name);
    }
    if (d)
        closedir(d);
    free(dirpath);
    list[n] = NULL;
    qsort(list, n, sizeof *list, compare_names);
    return list;
}

void funcdir_free_list(char **list)
{
    for (char **p = list; p && *p; p++)
        free(*p);
    free(list);
}

json_t *funcdir_settings(const funcdir *f)
{
    return json_object_get(f->manifest, "settings");
}

void funcdir_close(funcdir *f)
{
    free(f->dir);
    free(f->handler_path);
    free(f->source);
    json_decref(f->manifest);
    memset(f, 0, sizeof *f);
}
