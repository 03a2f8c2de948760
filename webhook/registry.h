/*
 * registry: what `srcfn serve` knows of the connected instances, as immutable
 * snapshots. The listener finds an instance by its webhook token, a worker by
 * its name, each in the snapshot current when the request arrived or the run
 * started, so a deploy or rollback applies to runs that start after it and a
 * run in progress finishes on the version it started with.
 *
 * registry_refresh (serve's poller, every ~300 ms, and the listener on an
 * unknown token, at most every REGISTRY_MISS_REFRESH_MS) reads instances_stamp
 * and, when it moved, loads a new snapshot and swaps it in. Snapshots are
 * reference-counted: registry_get takes one, registry_put gives it back.
 */
#ifndef SRCFN_REGISTRY_H
#define SRCFN_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

#include "workspace/instances.h"

#define REGISTRY_MISS_REFRESH_MS 50

typedef struct registry registry;

typedef struct registry_snap {
    int refs;                    /* atomically updated */
    int64_t stamp;
    instance_row *rows;          /* ordered by name */
    size_t n;
    const instance_row **by_token; /* the rows ordered by token */
} registry_snap;

/* Opens the workspace's store and loads the first snapshot; NULL with *err. */
registry *registry_open(const char *root, char **err);
void registry_close(registry *r);

/* Reloads when an instance changed: 1 reloaded, 0 unchanged, -1 error (*err). */
int registry_refresh(registry *r, char **err);

/* For a miss (an unknown token): refreshes unless a miss did less than
 * REGISTRY_MISS_REFRESH_MS ago (the periodic refreshes do not count). */
void registry_refresh_soon(registry *r);

registry_snap *registry_get(registry *r);
void registry_put(registry_snap *s);

const instance_row *registry_by_token(const registry_snap *s, const char *token);
const instance_row *registry_by_name(const registry_snap *s, const char *name);

#endif
