/*
 * instances: connected sources. An instance is one deployment of a function:
 * its own settings values, write key, delivery endpoint and webhook token, and
 * the version of the function it runs. The SQL of the `instances` table lives
 * here; `srcfn connect/sources/disconnect` (cli/cmd-connect.c), deploy and
 * rollback (cli/cmd-deploy.c) and `srcfn serve` use it.
 *
 * Every change to an instance (connect, deploy, rollback) moves its
 * updated_at forward, strictly; a running server polls instances_stamp() and
 * reloads when it changes (disconnect changes it too).
 *
 * Values of settings the declaration marks sensitive are stored sealed
 * (workspace/secrets.h: AES-256-GCM under WORKSPACE/.srcfn/secret.key); rows
 * read back carry them opened, in settings, and list them in secrets, what
 * error logs and console output must mask (secrets_mask_text / _json). Rows
 * written before srcfn sealed secrets are read as they are and sealed on the
 * instance's next write (instance_set_version: deploy, rollback).
 *
 * Functions returning int answer 1 found / 0 not found / -1 error where they
 * look something up, else 0 / -1; on -1 *err holds a malloc'd message.
 */
#ifndef SRCFN_INSTANCES_H
#define SRCFN_INSTANCES_H

#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

/* The port `srcfn serve` listens on unless told otherwise ($SRCFN_PORT). */
#define SERVE_DEFAULT_PORT 8720

/* Where deployed instances deliver by default; "-" means stdout. */
#define INSTANCE_DEFAULT_ENDPOINT "https://api.segment.io"

/* Bytes of randomness in a webhook token (hex: twice as many characters). */
#define INSTANCE_TOKEN_BYTES 16

typedef struct instance_row {
    char *name;
    char *function;
    int version;          /* 0: none yet */
    char *token;
    json_t *settings;     /* object of setting name -> value, sensitive ones opened */
    char *write_key;
    char *endpoint;
    int64_t created_at;   /* ms since the epoch */
    int64_t updated_at;
    json_t *secrets;      /* read rows: array of the secret texts in settings
                           * (secrets_values of the sensitive ones); may be NULL */
    char *settings_error; /* read rows: NULL, or why some sealed values did not
                           * open (tampered with, another key, key file gone);
                           * those are left out of settings. Such an instance
                           * must not run: its runs are Invalid Settings. */
} instance_row;

void instance_row_free(instance_row *r);

/* One instance by name, or by webhook token (what `srcfn serve` receives).
 * A key file group or others may read fails the call (-1); a sealed value
 * that does not open only sets the row's settings_error. */
int instance_get(sqlite3 *db, const char *name, instance_row *out, char **err);
int instance_by_token(sqlite3 *db, const char *token, instance_row *out, char **err);

/* All instances (of function, or all when NULL), ordered by name. */
int instances_list(sqlite3 *db, const char *function, instance_row **rows, size_t *n, char **err);
void instances_free(instance_row *rows, size_t n);

/* Adds r (name, function, version, token, settings, write_key, endpoint);
 * sets both timestamps to now. Refuses an existing name. The values of the
 * settings that r->version's declaration marks sensitive are stored sealed
 * (the workspace's key is created the first time). */
int instance_insert(sqlite3 *db, const instance_row *r, char **err);

/* Removes one instance: 1 removed, 0 there was none, -1 error. */
int instance_delete(sqlite3 *db, const char *name, char **err);

/* Points an instance at a version of its function and moves updated_at on;
 * plain stored values that version's declaration marks sensitive are sealed
 * on the way (migration of rows written before secrets were sealed). */
int instance_set_version(sqlite3 *db, const char *name, int version, char **err);

/* A number that changes whenever an instance is added, changed or removed. */
int instances_stamp(sqlite3 *db, int64_t *stamp, char **err);

/* bytes random bytes from RAND_bytes as lowercase hex (malloc'd), or NULL. */
char *instance_random_hex(size_t bytes);

/* $SRCFN_PORT when it is a valid port, else SERVE_DEFAULT_PORT. */
int instance_serve_port(void);

/* http://127.0.0.1:<port>/hooks/<token> (malloc'd). */
char *instance_webhook_url(const char *token);

/*
 * Reads NAME=VALUE pairs against a settings declaration (function.json's
 * "settings") into *values: each value is parsed by the declared type (STRING
 * as is; BOOLEAN true/false; ARRAY a,b,c or a JSON array; TEXT_MAP k:v,k2:v2
 * or a JSON object), then the whole is checked with settings_check (required
 * settings, types). Refuses an undeclared name, a name given twice, a value
 * that does not read as its type, naming the setting.
 */
int instances_parse_settings(json_t *decl, char *const *pairs, size_t n, json_t **values, char **err);

/* The same checks for values given as a JSON object (the management API):
 * every name declared, each value of its declared type, required ones given. */
int instances_check_settings(json_t *decl, json_t *values, char **err);

/* A copy of values fit to display: sensitive settings' values masked
 * (secrets_mask_value: "••••" and at most the last 4 characters). */
json_t *instances_public_settings(json_t *decl, json_t *values);

#endif
