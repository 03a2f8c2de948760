#include "cli/ws.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cli/cli.h"
#include "workspace/store.h"
#include "workspace/workspace.h"

int ws_open(char **root, sqlite3 **db)
{
    *db = NULL;
    *root = workspace_require();
    if (!*root)
        return EXIT_USAGE;
    char *err = NULL;
    *db = store_open(*root, &err);
    if (!*db) {
        fprintf(stderr, "srcfn: %s\n", err ? err : "cannot open the workspace database");
        free(err);
        free(*root);
        *root = NULL;
        return EXIT_FAILED;
    }
    return EXIT_OK;
}

void ws_close(char *root, sqlite3 *db)
{
    if (db)
        store_close(db);
    free(root);
}

int ws_fail(int status, const char *command, char *err)
{
    fprintf(stderr, "srcfn: %s: %s\n", command, err ? err : "failed");
    free(err);
    return status;
}

int ws_abort(sqlite3 *db, int status, const char *command, char *err)
{
    store_rollback(db);
    return ws_fail(status, command, err);
}

static void format_time(int64_t ms, char *buf, size_t size, int utc)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    if ((utc ? gmtime_r(&t, &tm) : localtime_r(&t, &tm)) == NULL ||
        strftime(buf, size, utc ? "%Y-%m-%dT%H:%M:%S" : "%Y-%m-%d %H:%M:%S", &tm) == 0) {
        snprintf(buf, size, "%" PRId64, ms);
        return;
    }
    if (utc) {
        size_t n = 0;
        while (buf[n])
            n++;
        snprintf(buf + n, size - n, ".%03dZ", (int)(ms % 1000));
    }
}

void ws_local_time(int64_t ms, char *buf, size_t size)
{
    format_time(ms, buf, size, 0);
}

void ws_iso_time(int64_t ms, char *buf, size_t size)
{
    format_time(ms, buf, size, 1);
}

void ws_size(int64_t bytes, char *buf, size_t size)
{
    if (bytes < 1024)
        snprintf(buf, size, "%" PRId64 " B", bytes);
    else if (bytes < 1024 * 1024)
        snprintf(buf, size, "%.1f KiB", (double)bytes / 1024);
    else
        snprintf(buf, size, "%.1f MiB", (double)bytes / (1024 * 1024));
}

int ws_check_name(const char *command, const char *what, const char *name)
{
    if (workspace_valid_name(name))
        return EXIT_OK;
    return usage_error("%s: \"%s\" is not a valid %s name (1 to 64 letters, digits, _ and -, "
                       "not starting with -)", command, name, what);
}
