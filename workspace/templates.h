/*
 * templates: the gallery of functions to start from, as `srcfn new
 * --template`, `srcfn templates` and the studio's picker see it.
 *
 * A template is a function directory (it has handler.js) inside a templates
 * folder. The folder is $SRCFN_TEMPLATES when set, else the first templates/
 * found beside the binary or up to two folders above it (./srcfn and
 * build/asan/srcfn in a checkout), or ../share/srcfn/templates (an installed
 * binary).
 */
#ifndef SRCFN_TEMPLATES_H
#define SRCFN_TEMPLATES_H

#include <stddef.h>

typedef struct template_info {
    char *name;           /* the folder's name, what --template takes */
    char *dir;            /* its path */
    char *display_name;   /* function.json's displayName, or the name */
    char *description;    /* function.json's description, or "" */
} template_info;

/* The templates folders to try, in order (NULL-terminated, malloc'd; may be
 * empty). Free with templates_free_roots. */
char **templates_roots(void);
void templates_free_roots(char **roots);

/* The directory of template name (malloc'd), or NULL with *err (malloc'd)
 * saying why: no templates folder, or no such template (listing those
 * available). */
char *templates_find(const char *name, char **err);

/* The templates of the first templates folder: "default" first, then the
 * others by name. Returns the count (0 when there is no folder: *root is then
 * NULL) and sets *list (malloc'd, free with templates_free_list). *root gets
 * the folder (malloc'd) when root is not NULL. */
size_t templates_list(template_info **list, char **root);
void templates_free_list(template_info *list, size_t n);

#endif
