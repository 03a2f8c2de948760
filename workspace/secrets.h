/*
 * secrets: values of settings marked "sensitive", at rest and on display.
 *
 * At rest, such a value is stored as the JSON string
 *
 *     "enc:v1:<base64(nonce | ciphertext | tag)>"
 *
 * AES-256-GCM (OpenSSL EVP), a random 12-byte nonce per value, a 16-byte tag,
 * the setting's name as additional authenticated data (a sealed value moved
 * to another setting does not open). The plaintext is the value's compact JSON
 * text, so every setting type (STRING, BOOLEAN, ARRAY, TEXT_MAP) seals alike.
 *
 * The key is 32 random bytes in WORKSPACE/.srcfn/secret.key, created with
 * mode 0600 the first time something is sealed. A key file that group or
 * others may access is refused, with the chmod that fixes it.
 *
 * On display, a secret shows as "••••" plus its last 4 characters (only
 * "••••" when it is shorter than 8), and secrets_mask_text hides every
 * occurrence of a secret's value inside a text (console lines, messages).
 *
 * Invariants: a value is sealed when its setting is sensitive, or when it is
 * a string that itself begins with "enc:v1:" (so reading is never ambiguous);
 * whatever is stored sealed is opened on reading, whatever the declaration
 * says now (a declaration may change between versions). Key bytes and
 * plaintext buffers are wiped (OPENSSL_cleanse) before they are freed.
 *
 * Functions returning int answer 0, or -1 with *err (malloc'd).
 */
#ifndef SRCFN_SECRETS_H
#define SRCFN_SECRETS_H

#include <jansson.h>
#include <stddef.h>

#define SECRETS_KEY_BYTES 32
#define SECRETS_NONCE_BYTES 12
#define SECRETS_TAG_BYTES 16
#define SECRETS_PREFIX "enc:v1:"
#define SECRETS_KEY_FILE "secret.key"   /* in WORKSPACE/.srcfn/ */
#define SECRETS_MASK "\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2"   /* "••••" */

typedef struct secrets_key {
    unsigned char bytes[SECRETS_KEY_BYTES];
} secrets_key;

/* --- the key ---------------------------------------------------------------- */

/* WORKSPACE/.srcfn/secret.key (malloc'd). */
char *secrets_key_path(const char *root);

/* Loads the key at path. When the file does not exist: creates it (mode 0600,
 * O_CREAT|O_EXCL, RAND_bytes) when create, else answers 0. Returns 1 loaded,
 * 0 absent (create == 0), -1 error: a file group or others may access, not a
 * regular file, not exactly SECRETS_KEY_BYTES long, unreadable. */
int secrets_key_load(const char *path, int create, secrets_key *key, char **err);

/* The same for the workspace at root. */
int secrets_key_for(const char *root, int create, secrets_key *key, char **err);

void secrets_key_wipe(secrets_key *key);

/* --- one value ---------------------------------------------------------------- */

/* Seals plain[0..len) under aad: "enc:v1:…" (malloc'd), or NULL with *err. */
char *secrets_seal(const secrets_key *key, const char *aad, const unsigned char *plain, size_t len, char **err);

/* Opens a sealed text under aad: the plaintext (malloc'd, NUL-terminated,
 * *len bytes; wipe it with secrets_free_plain). Refuses (-1) a text that is
 * not in the sealed form, a wrong key, a wrong aad or any tampering. */
int secrets_open(const secrets_key *key, const char *aad, const char *sealed, unsigned char **plain, size_t *len,
                 char **err);

/* Wipes and frees what secrets_open returned. */
void secrets_free_plain(unsigned char *plain, size_t len);

/* Whether value is a JSON string in the sealed form. */
int secrets_is_sealed(json_t *value);

/* --- settings objects --------------------------------------------------------- */

/* Whether the declaration (function.json's "settings") marks name sensitive. */
int secrets_is_sensitive(json_t *decl, const char *name);

/* Whether any value of values must be sealed under decl (then a key is needed). */
int secrets_settings_need_sealing(json_t *decl, json_t *values);

/* Whether any value of stored is sealed (then the key is needed to read it). */
int secrets_settings_sealed(json_t *stored);

/* A copy of values to store: the sensitive ones (and strings that begin with
 * "enc:v1:") sealed, the others as they are, values already sealed kept. NULL
 * with *err. */
json_t *secrets_encrypt_settings(const secrets_key *key, json_t *decl, json_t *values, char **err);

/* Migration of a stored settings object (plain values written before srcfn
 * sealed secrets): whether some plain value is sensitive under decl, and a
 * copy of stored with those sealed (sealed values kept as they are). */
int secrets_settings_need_migration(json_t *decl, json_t *stored);
json_t *secrets_migrate_settings(const secrets_key *key, json_t *decl, json_t *stored, char **err);

/* A copy of stored with every sealed value opened. NULL with *err (a sealed
 * value that does not open: wrong key, tampering). Free it with
 * secrets_settings_free. */
json_t *secrets_decrypt_settings(const secrets_key *key, json_t *stored, char **err);

/* The same, leniently: the values that do not open (or every sealed value
 * when key is NULL) are left out of the copy, and *problem (malloc'd) says
 * why the first one did not; *problem is NULL when everything opened. */
json_t *secrets_decrypt_settings_lenient(const secrets_key *key, json_t *stored, char **problem);

/* The same, with the key of the workspace at root loaded only when needed
 * (and, for sealing, created when missing). *out gets a new reference. */
int secrets_seal_settings(const char *root, json_t *decl, json_t *values, json_t **out, char **err);
int secrets_open_settings(const char *root, json_t *stored, json_t **out, char **err);

/* Drops a reference to decrypted settings; when it was the last, the strings
 * inside are wiped first. */
void secrets_settings_free(json_t *values);

/* --- display ------------------------------------------------------------------ */

/* "••••" + the last 4 characters of value (UTF-8 aware), or "••••" alone when
 * value has fewer than 8 characters (malloc'd). */
char *secrets_mask(const char *value);

/* A JSON value fit to show for a secret: a string as secrets_mask; any other
 * value (array, map, boolean) as "••••". New reference. */
json_t *secrets_mask_value(json_t *value);

/* A copy of values with the sensitive ones masked (secrets_mask_value). */
json_t *secrets_public_settings(json_t *decl, json_t *values);

/* The secret texts in values under decl, as a JSON array of strings: each
 * sensitive STRING value, each string element of a sensitive ARRAY, each value
 * of a sensitive TEXT_MAP. Empty array when none. New reference. */
json_t *secrets_values(json_t *decl, json_t *values);

/* text with every occurrence of every string of values that has at least 4
 * characters replaced by "••••" (longest first, so a secret containing another
 * is hidden whole). malloc'd; a copy of text when nothing matches. */
char *secrets_mask_text(const char *text, json_t *values);

/* Applies secrets_mask_text to every string inside doc, in place (object keys
 * included). Returns how many strings changed. */
size_t secrets_mask_json(json_t *doc, json_t *values);

/* For a run's result {events, objects, logs, error, …}: masks the strings of
 * its "logs" (console lines) and "error" (message, stack) in place, leaving
 * what the function emitted as it is. Returns how many strings changed. */
size_t secrets_mask_run_output(json_t *result, json_t *values);

#endif
