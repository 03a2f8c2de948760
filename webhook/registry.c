/*
 * registry: snapshots of the instances table for `srcfn serve` (see registry.h).
 *
 * Invariants: r->current is swapped only under r->lock, and a snapshot is
 * freed when its last reference goes (the registry holds one for current);
 * r->db is used only under r->refresh_lock, one refresh at a time.
 */
#include "webhook/registry.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "workspace/store.h"
#include "util/clock.h"

struct registry {
    sqlite3 *db;
    pthread_mutex_t lock;          /* guards current */
    pthread_mutex_t refresh_lock;  /* guards db and last_miss */
    registry_snap *current;
    int64_t last_miss;             /* when a miss last refreshed (mono ms; 0: never) */
};

static int by_name_cmp(const void *a, const void *b)
{
    return strcmp(((const instance_row *)a)->name, ((const instance_row *)b)->name);
}

static int by_token_cmp(const void *a, const void *b)
{
    const instance_row *x = *(const instance_row *const *)a;
    const instance_row *y = *(const instance_row *const *)b;
    return strcmp(x->token, y->token);
}

static registry_snap *snap_load(sqlite3 *db, int64_t stamp, char **err)
{
    registry_snap *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    if (instances_list(db, NULL, &s->rows, &s->n, err) != 0) {
        free(s);
        return NULL;
    }
    s->stamp = stamp;
    s->refs = 1;
    if (s->n)
        qsort(s->rows, s->n, sizeof *s->rows, by_name_cmp);
    s->by_token = calloc(s->n ? s->n : 1, sizeof *s->by_token);
    if (!s->by_token)
        abort();
    for (size_t i = 0; i < s->n; i++)
        s->by_token[i] = &s->rows[i];
    qsort(s->by_token, s->n, sizeof *s->by_token, by_token_cmp);
    return s;
}

registry_snap *registry_get(registry *r)
{
    pthread_mutex_lock(&r->lock);
    registry_snap *s = r->current;
    __atomic_add_fetch(&s->refs, 1, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&r->lock);
    return s;
}

void registry_put(registry_snap *s)
{
    if (!s || __atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    instances_free(s->rows, s->n);
    free(s->by_token);
    free(s);
}

const instance_row *registry_by_token(const registry_snap *s, const char *token)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(token, s->by_token[mid]->token);
        if (c == 0)
            return s->by_token[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

const instance_row *registry_by_name(const registry_snap *s, const char *name)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(name, s->rows[mid].name);
        if (c == 0)
            return &s->rows[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* Swaps in a new snapshot; the old one goes when its last reader is done. */
static void swap_in(registry *r, registry_snap *s)
{
    pthread_mutex_lock(&r->lock);
    registry_snap *old = r->current;
    r->current = s;
    pthread_mutex_unlock(&r->lock);
    registry_put(old);
}

int registry_refresh(registry *r, char **err)
{
    pthread_mutex_lock(&r->refresh_lock);
    int64_t stamp = 0;
    int rc = instances_stamp(r->db, &stamp, err);
    if (rc == 0 && (!r->current || stamp != r->current->stamp)) {
        registry_snap *s = snap_load(r->db, stamp, err);
        if (s) {
            swap_in(r, s);
            rc = 1;
        } else {
            rc = -1;
        }
    }
    pthread_mutex_unlock(&r->refresh_lock);
    return rc;
}

/* Only misses count against the rate limit: a periodic refresh just before
 * an instance was connected must not make its first webhook a 404. */
void registry_refresh_soon(registry *r)
{
    pthread_mutex_lock(&r->refresh_lock);
    int64_t now = mono_ms();
    int due = r->last_miss == 0 || now - r->last_miss >= REGISTRY_MISS_REFRESH_MS;
    if (due)
        r->last_miss = now;
    pthread_mutex_unlock(&r->refresh_lock);
    char *err = NULL;
    if (due && registry_refresh(r, &err) < 0)
        free(err);
}

registry *registry_open(const char *root, char **err)
{
    registry *r = calloc(1, sizeof *r);
    if (!r)
        abort();
    if (pthread_mutex_init(&r->lock, NULL) != 0 || pthread_mutex_init(&r->refresh_lock, NULL) != 0)
        abort();
    r->db = store_open(root, err);
    if (!r->db || registry_refresh(r, err) < 0) {
        registry_close(r);
        return NULL;
    }
    return r;
}

void registry_close(registry *r)
{
    if (!r)
        return;
    registry_put(r->current);
    store_close(r->db);
    pthread_mutex_destroy(&r->lock);
    pthread_mutex_destroy(&r->refresh_lock);
    free(r);
}
