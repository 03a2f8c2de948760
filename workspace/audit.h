/*
 * audit: the audit log of a workspace (table `audit`), what `srcfn audit`
 * shows. Every call of the management API adds one entry, allowed or not,
 * answered or refused, and so does every owner-only command of the CLI
 * (members, audit): who made it (the member; NULL when no valid token was
 * given), what (the method and path, or "CLI" and the command), which
 * function it concerned, when, whether the roles allowed it and the status it
 * was answered with. Bodies, settings values and tokens are never recorded.
 *
 * Entries are kept; nothing prunes them.
 */
#ifndef SRCFN_AUDIT_H
#define SRCFN_AUDIT_H

#include <jansson.h>
#include <sqlite3.h>

typedef struct audit_entry {
    const char *member;     /* NULL: not authenticated */
    const char *method;     /* "GET", "POST", …, or "CLI" */
    const char *path;       /* "/api/v1/functions/a", or "members add alice" */
    const char *action;     /* authz_action_id, or NULL when the call reached no decision */
    const char *function;   /* NULL when the call names none */
    int allowed;            /* the roles allowed the action */
    int status;             /* the HTTP status, or the command's exit status */
} audit_entry;

/* Adds an entry (its time is now). 0, or -1 with *err (malloc'd). */
int audit_add(sqlite3 *db, const audit_entry *e, char **err);

/* The newest entries first, at most limit (0: all): [{id, at (ms), member,
 * method, path, action, function, allowed, status}], member, action and
 * function null when unset. NULL with *err. */
json_t *audit_list(sqlite3 *db, long limit, char **err);

#endif
