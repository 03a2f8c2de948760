/*
 * srcfn init [DIR]
 *
 * Makes DIR (default: the current directory; created when missing) a
 * workspace: a `.srcfn/` folder holding the state database, and a .gitignore
 * in it so the state stays out of git while the functions go in. Running it
 * again only checks the database. When the workspace has no member yet (a new
 * one, or one made before members existed), it adds the member "owner" with
 * the role Workspace Owner and prints its API token, once. Every other
 * workspace command finds the workspace by walking up from the current
 * directory.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/ws.h"
#include "workspace/members.h"
#include "workspace/store.h"
#include "workspace/workspace.h"

#define INIT_USAGE "usage: srcfn init [DIR]"

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* .srcfn/.gitignore: the state is local; functions are what goes into git. */
static int write_gitignore(const char *root, char **err)
{
    char *path = NULL;
    if (asprintf(&path, "%s/.srcfn/.gitignore", root) < 0)
        abort();
    struct stat st;
    int rc = 0;
    if (stat(path, &st) != 0) {
        FILE *fp = fopen(path, "w");
        if (!fp || fputs("# srcfn's local state (versions, instances, queues): not for git\n*\n", fp) < 0) {
            if (asprintf(err, "cannot write %s: %s", path, strerror(errno)) < 0)
                abort();
            rc = -1;
        }
        if (fp && fclose(fp) != 0 && rc == 0) {
            if (asprintf(err, "cannot write %s: %s", path, strerror(errno)) < 0)
                abort();
            rc = -1;
        }
    }
    free(path);
    return rc;
}

/* The member "owner" (Workspace Owner) when the workspace has no member yet:
 * its token in *token, else *token stays NULL. */
static int first_owner(const char *root, char **token, char **err)
{
    sqlite3 *db = store_open(root, err);
    if (!db)
        return -1;
    int rc = members_bootstrap(db, token, err);
    store_close(db);
    return rc < 0 ? -1 : 0;
}

static void print_owner_token(const char *token)
{
    if (!token)
        return;
    printf("  member \"%s\" (Workspace Owner) reaches the management API of \"srcfn serve\" with the token\n"
           "    %s\n"
           "  (shown once: srcfn keeps only its SHA-256; \"srcfn members\" manages members)\n",
           MEMBERS_FIRST_OWNER, token);
}

int cmd_init(int argc, char **argv)
{
    if (argc > 2)
        return usage_error("init: name at most one directory\n" INIT_USAGE);
    const char *dir = argc == 2 ? argv[1] : ".";
    if (dir[0] == '-')
        return usage_error("init: unknown option \"%s\"\n" INIT_USAGE, dir);

    int created_dir = 0;
    if (!is_dir(dir)) {
        struct stat st;
        if (stat(dir, &st) == 0)
            return usage_error("init: %s exists and is not a directory", dir);
        if (mkdir(dir, 0777) != 0)
            return usage_error("init: cannot create %s: %s", dir, strerror(errno));
        created_dir = 1;
    }
    char *root = realpath(dir, NULL);
    if (!root)
        return usage_error("init: cannot resolve %s: %s", dir, strerror(errno));

    char *state = NULL;
    if (asprintf(&state, "%s/.srcfn", root) < 0)
        abort();
    int existed = is_dir(state);
    char *outer = existed ? NULL : workspace_find(root);
    char *err = NULL;
    int status = EXIT_OK;
    char *token = NULL;
    if (workspace_init(root, &err) != 0 || write_gitignore(root, &err) != 0 || first_owner(root, &token, &err) != 0) {
        status = ws_fail(EXIT_FAILED, "init", err);
    } else if (existed) {
        printf("srcfn workspace already initialised in %s (database checked%s)\n", root,
               token ? "" : ", nothing changed");
        print_owner_token(token);
    } else {
        if (created_dir)
            printf("created directory %s\n", root);
        printf("initialised an empty srcfn workspace in %s\n", root);
        printf("  %s/state.db keeps deployed versions, connected sources and webhook queues\n", state);
        if (outer)
            printf("  note: it sits inside the workspace at %s; commands run here use the new one\n", outer);
        print_owner_token(token);
        printf("next: srcfn new my-function\n");
    }
    members_token_free(token);
    free(outer);
    free(state);
    free(root);
    return status;
}
