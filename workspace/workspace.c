#include "workspace/workspace.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "workspace/store.h"

static int is_workspace(const char *dir)
{
    char path[PATH_MAX];
    struct stat st;
    if (snprintf(path, sizeof path, "%s/.srcfn", dir) >= (int)sizeof path)
        return 0;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *workspace_find(const char *start)
{
    char *dir = realpath(start, NULL);
    while (dir) {
        if (is_workspace(dir))
            return dir;
        char *slash = strrchr(dir, '/');
        if (!slash || slash == dir) {
            int root_ws = is_workspace("/");
            free(dir);
            return root_ws ? strdup("/") : NULL;
        }
        *slash = '\0';
    }
    return NULL;
}

int workspace_init(const char *dir, char **err)
{
    sqlite3 *db = store_open(dir, err);
    if (!db)
        return -1;
    store_close(db);
    return 0;
}

char *workspace_require(void)
{
    char *root = workspace_find(".");
    if (!root)
        fprintf(stderr, "srcfn: not in a srcfn workspace (run \"srcfn init\" to make this directory one)\n");
    return root;
}

char *workspace_function_dir(const char *root, const char *name)
{
    char *s = NULL;
    if (asprintf(&s, "%s/%s", root, name) < 0)
        abort();
    return s;
}

int workspace_valid_name(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 64 || name[0] == '-' || name[0] == '.')
        return 0;
    return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == n;
}
