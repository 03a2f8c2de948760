/*
 * workspace: a directory of functions (one function directory each) with a
 * hidden state folder `.srcfn/` holding the durable store. Commands find the
 * workspace by walking up from the current directory, as git does.
 */
#ifndef SRCFN_WORKSPACE_H
#define SRCFN_WORKSPACE_H

/* The workspace root at or above start (malloc'd), or NULL. */
char *workspace_find(const char *start);

/* Makes dir a workspace (idempotent); returns 0 or -1 with *err. */
int workspace_init(const char *dir, char **err);

/* The root of the workspace around the current directory, or NULL after
 * printing "not in a srcfn workspace" advice on stderr. */
char *workspace_require(void);

/* ROOT/NAME, the directory of a function (malloc'd). */
char *workspace_function_dir(const char *root, const char *name);

/* Whether name is usable as a function or instance name: [A-Za-z0-9_-], 1..64. */
int workspace_valid_name(const char *name);

#endif
