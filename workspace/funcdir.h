/*
 * funcdir: a function as people keep it in git.
 *
 *   NAME/handler.js         the code (defines onRequest)
 *   NAME/function.json      Segment's Public API function object:
 *                           {displayName, description, settings: [{name, label,
 *                            description, type, required, sensitive}]}
 *   NAME/examples/NAME.json requests with expectations (see request-file.h)
 *
 * A bare .js file is a function without manifest or examples.
 */
#ifndef SRCFN_FUNCDIR_H
#define SRCFN_FUNCDIR_H

#include <jansson.h>
#include <stddef.h>

typedef struct funcdir {
    char *dir;            /* NULL for a bare file */
    char *handler_path;
    char *source;
    size_t source_len;
    json_t *manifest;     /* function.json, or {} */
} funcdir;

/* Opens a directory or a .js file; returns 0, or -1 with *err (malloc'd). */
int funcdir_open(const char *path, funcdir *f, char **err);

/* The example files, sorted by name (NULL-terminated, malloc'd; may be empty). */
char **funcdir_examples(const funcdir *f);
void funcdir_free_list(char **list);

/* function.json's "settings" array (borrowed; NULL when absent). */
json_t *funcdir_settings(const funcdir *f);

void funcdir_close(funcdir *f);

/* Writes len bytes to path through a temporary file that is synced and
 * renamed over it, so readers see the old file or the new one, never half.
 * Returns 0, or -1 with *err (malloc'd). */
int write_file_atomic(const char *path, const char *data, size_t len, int mode, char **err);

/* Reads a whole file; returns NULL with errno set. *len gets its size. */
char *read_file(const char *path, size_t *len);

#endif
