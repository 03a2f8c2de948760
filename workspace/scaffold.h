/*
 * scaffold: a new function directory made from a template (a copy of its
 * files, with function.json's "displayName" set to the function's name).
 * Shared by `srcfn new` and the studio's "New function".
 */
#ifndef SRCFN_SCAFFOLD_H
#define SRCFN_SCAFFOLD_H

/* Fills the existing, empty directory target with a copy of template_dir
 * (folders and regular files; symbolic links followed) and sets
 * function.json's "displayName" to name (creating the file when the template
 * has none). Returns 0, or -1 with *err (malloc'd) after removing what it
 * made, target included. */
int scaffold_copy(const char *template_dir, const char *target, const char *name, char **err);

#endif
