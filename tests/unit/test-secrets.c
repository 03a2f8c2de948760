/*
 * workspace/secrets: the key file (created 0600, refused when others may
 * read it), AES-256-GCM sealing (round trip; wrong key, wrong setting name,
 * any tampering refused), settings objects (sealed by declaration, opened,
 * migrated), masking for display and in texts; and the instances table on
 * top of it (sealed at rest, opened on reading, legacy rows migrated,
 * a tampered row still readable with settings_error).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/unit/check.h"
#include "workspace/deploy.h"
#include "workspace/instances.h"
#include "workspace/secrets.h"
#include "workspace/store.h"
#include "workspace/workspace.h"

#define SECRET "sk_live_SECRET_4711"

static char *tmp_workspace(void)
{
    char tmpl[] = "/tmp/srcfn-secrets-XXXXXX";
    char *dir = mkdtemp(tmpl);
    if (!dir)
        return NULL;
    char *err = NULL;
    if (workspace_init(dir, &err) != 0) {
        printf("  workspace_init: %s\n", err ? err : "?");
        free(err);
    }
    return strdup(dir);
}

static void remove_tree(const char *dir)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        printf("note: could not remove %s\n", dir);
}

static int has(const char *err, const char *part)
{
    int ok = err && strstr(err, part);
    if (!ok)
        printf("  got: %s\n", err ? err : "(no message)");
    return ok;
}

/* --- the key file ------------------------------------------------------------- */

static void test_key_file(const char *root)
{
    char *path = secrets_key_path(root);
    char *err = NULL;
    secrets_key k1, k2;
    CHECK("key: absent and not created", secrets_key_for(root, 0, &k1, &err) == 0 && access(path, F_OK) != 0);
    CHECK("key: created", secrets_key_for(root, 1, &k1, &err) == 1);
    struct stat st;
    CHECK("key: mode 0600, 32 bytes", stat(path, &st) == 0 && (st.st_mode & 0777) == 0600 && st.st_size == 32);
    CHECK("key: read back the same", secrets_key_for(root, 1, &k2, &err) == 1 &&
                                         memcmp(k1.bytes, k2.bytes, sizeof k1.bytes) == 0);
    static const unsigned char zero[SECRETS_KEY_BYTES];
    CHECK("key: not all zero", memcmp(k1.bytes, zero, sizeof zero) != 0);
    secrets_key_wipe(&k2);
    CHECK("key: wiped", memcmp(k2.bytes, zero, sizeof zero) == 0);

    CHECK("key: chmod 644", chmod(path, 0644) == 0);
    CHECK("key: mode 0644 refused, naming the file and the chmod",
          secrets_key_for(root, 1, &k2, &err) == -1 && has(err, path) && has(err, "chmod 600"));
    free(err);
    err = NULL;
    CHECK("key: chmod 640", chmod(path, 0640) == 0);
    CHECK("key: mode 0640 refused", secrets_key_for(root, 0, &k2, &err) == -1 && has(err, "chmod 600"));
    free(err);
    err = NULL;
    CHECK("key: chmod 600", chmod(path, 0600) == 0);
    CHECK("key: mode 0600 accepted again", secrets_key_for(root, 0, &k2, &err) == 1);
    secrets_key_wipe(&k2);

    char *other = NULL, *link_path = NULL;
    if (asprintf(&other, "%s/short.key", root) < 0 || asprintf(&link_path, "%s/link.key", root) < 0)
        abort();
    FILE *fp = fopen(other, "wb");
    if (fp) {
        fputs("short", fp);
        fclose(fp);
    }
    CHECK("key: chmod short file", chmod(other, 0600) == 0);
    CHECK("key: a file of the wrong size refused", secrets_key_load(other, 0, &k2, &err) == -1 && has(err, "bytes"));
    free(err);
    err = NULL;
    CHECK("key: symlink made", symlink(path, link_path) == 0);
    CHECK("key: a symbolic link refused", secrets_key_load(link_path, 0, &k2, &err) == -1 && has(err, "symbolic"));
    free(err);
    secrets_key_wipe(&k1);
    free(other);
    free(link_path);
    free(path);
}

/* --- one value ---------------------------------------------------------------- */

static int opens_to(const secrets_key *k, const char *aad, const char *sealed, const char *want)
{
    unsigned char *plain = NULL;
    size_t len = 0;
    char *err = NULL;
    int rc = secrets_open(k, aad, sealed, &plain, &len, &err);
    int ok = rc == 0 && len == strlen(want) && memcmp(plain, want, len) == 0;
    if (!ok)
        printf("  open: %s\n", err ? err : "(wrong plaintext)");
    secrets_free_plain(plain, len);
    free(err);
    return ok;
}

static int refused(const secrets_key *k, const char *aad, const char *sealed)
{
    unsigned char *plain = NULL;
    size_t len = 0;
    char *err = NULL;
    int rc = secrets_open(k, aad, sealed, &plain, &len, &err);
    int ok = rc == -1 && plain == NULL && err != NULL;
    free(err);
    secrets_free_plain(plain, len);
    return ok;
}

/* sealed with the character at pos (counted from the end when negative) changed. */
static char *tampered(const char *sealed, long pos)
{
    char *t = strdup(sealed);
    size_t n = strlen(t);
    size_t i = pos >= 0 ? (size_t)pos : n - (size_t)(-pos);
    t[i] = t[i] == 'A' ? 'B' : 'A';
    return t;
}

static void test_values(void)
{
    secrets_key k, other;
    for (size_t i = 0; i < sizeof k.bytes; i++) {
        k.bytes[i] = (unsigned char)i;
        other.bytes[i] = (unsigned char)(i + 1);
    }
    char *err = NULL;
    char *s1 = secrets_seal(&k, "apiKey", (const unsigned char *)SECRET, strlen(SECRET), &err);
    char *s2 = secrets_seal(&k, "apiKey", (const unsigned char *)SECRET, strlen(SECRET), &err);
    CHECK("seal: the enc:v1: form", s1 && strncmp(s1, SECRETS_PREFIX, strlen(SECRETS_PREFIX)) == 0);
    CHECK("seal: base64 of nonce, ciphertext and tag",
          s1 && strlen(s1) - strlen(SECRETS_PREFIX) ==
                    4 * ((SECRETS_NONCE_BYTES + strlen(SECRET) + SECRETS_TAG_BYTES + 2) / 3));
    CHECK("seal: the plain value is not in it", s1 && !strstr(s1, SECRET) && !strstr(s1, "4711"));
    CHECK("seal: a fresh nonce each time", s1 && s2 && strcmp(s1, s2) != 0);
    CHECK("open: round trip", s1 && opens_to(&k, "apiKey", s1, SECRET));
    CHECK("open: round trip of the second", s2 && opens_to(&k, "apiKey", s2, SECRET));
    CHECK("open: wrong key refused", s1 && refused(&other, "apiKey", s1));
    CHECK("open: wrong setting name (AAD) refused", s1 && refused(&k, "otherKey", s1));
    CHECK("open: empty AAD refused", s1 && refused(&k, "", s1));
    size_t p = strlen(SECRETS_PREFIX);
    char *t_nonce = tampered(s1, (long)p + 2), *t_ct = tampered(s1, (long)p + 20), *t_tag = tampered(s1, -4);
    CHECK("open: tampered nonce refused", refused(&k, "apiKey", t_nonce));
    CHECK("open: tampered ciphertext refused", refused(&k, "apiKey", t_ct));
    CHECK("open: tampered tag refused", refused(&k, "apiKey", t_tag));
    char *truncated = strdup(s1);
    truncated[strlen(truncated) - 4] = '\0';
    CHECK("open: truncated refused", refused(&k, "apiKey", truncated));
    CHECK("open: no prefix refused", refused(&k, "apiKey", s1 + p));
    CHECK("open: not base64 refused", refused(&k, "apiKey", "enc:v1:!!!!"));
    CHECK("open: too short refused", refused(&k, "apiKey", "enc:v1:QUJD"));
    CHECK("open: empty refused", refused(&k, "apiKey", "enc:v1:"));
    char *empty = secrets_seal(&k, "e", (const unsigned char *)"", 0, &err);
    CHECK("seal: an empty value round trips", empty && opens_to(&k, "e", empty, ""));
    json_t *v = json_string(s1);
    CHECK("is_sealed: yes", secrets_is_sealed(v));
    json_string_set(v, SECRET);
    CHECK("is_sealed: no", !secrets_is_sealed(v));
    json_decref(v);
    free(s1);
    free(s2);
    free(t_nonce);
    free(t_ct);
    free(t_tag);
    free(truncated);
    free(empty);
    free(err);
}

/* --- settings objects ---------------------------------------------------------------- */

static json_t *decl(void)
{
    return json_loads("[{\"name\":\"apiKey\",\"type\":\"STRING\",\"sensitive\":true},"
                      "{\"name\":\"list\",\"type\":\"ARRAY\",\"sensitive\":true},"
                      "{\"name\":\"map\",\"type\":\"TEXT_MAP\",\"sensitive\":true},"
                      "{\"name\":\"flag\",\"type\":\"BOOLEAN\",\"sensitive\":true},"
                      "{\"name\":\"plain\",\"type\":\"STRING\"},{\"name\":\"odd\",\"type\":\"STRING\"}]",
                      0, NULL);
}

static void test_settings(void)
{
    secrets_key k;
    memset(k.bytes, 7, sizeof k.bytes);
    json_t *d = decl();
    json_t *values = json_pack("{s:s, s:[s,s], s:{s:s}, s:b, s:s, s:s}", "apiKey", SECRET, "list", "alpha1", "beta22",
                               "map", "x", "mapsecret", "flag", 1, "plain", "hello", "odd", "enc:v1:looks-sealed");
    char *err = NULL;
    CHECK("settings: need sealing", secrets_settings_need_sealing(d, values));
    json_t *stored = secrets_encrypt_settings(&k, d, values, &err);
    CHECK("settings: encrypted", stored != NULL);
    char *text = stored ? json_dumps(stored, JSON_COMPACT) : NULL;
    CHECK("settings: sensitive values sealed (all types)",
          stored && secrets_is_sealed(json_object_get(stored, "apiKey")) &&
              secrets_is_sealed(json_object_get(stored, "list")) && secrets_is_sealed(json_object_get(stored, "map")) &&
              secrets_is_sealed(json_object_get(stored, "flag")));
    CHECK("settings: others plain", stored && strcmp(json_string_value(json_object_get(stored, "plain")), "hello") == 0);
    CHECK("settings: a plain value that looks sealed is sealed too",
          stored && !strstr(text, "looks-sealed") && secrets_is_sealed(json_object_get(stored, "odd")));
    CHECK("settings: no secret text in the stored form",
          text && !strstr(text, SECRET) && !strstr(text, "alpha1") && !strstr(text, "mapsecret"));
    CHECK("settings: sealed seen", secrets_settings_sealed(stored));
    json_t *opened = secrets_decrypt_settings(&k, stored, &err);
    CHECK("settings: round trip", opened && json_equal(opened, values));
    secrets_settings_free(opened);
    CHECK("settings: no key, sealed values refused", secrets_decrypt_settings(NULL, stored, &err) == NULL && err);
    free(err);
    err = NULL;

    /* A sealed value moved to another setting does not open there. */
    json_t *moved = json_deep_copy(stored);
    json_object_set(moved, "plain", json_object_get(stored, "apiKey"));
    CHECK("settings: a value moved to another setting refused", secrets_decrypt_settings(&k, moved, &err) == NULL &&
                                                                    has(err, "\"plain\""));
    free(err);
    err = NULL;
    char *problem = NULL;
    json_t *partial = secrets_decrypt_settings_lenient(&k, moved, &problem);
    CHECK("settings: lenient leaves the bad value out and says why",
          partial && !json_object_get(partial, "plain") &&
              strcmp(json_string_value(json_object_get(partial, "apiKey")), SECRET) == 0 && has(problem, "plain"));
    free(problem);
    secrets_settings_free(partial);
    json_decref(moved);

    /* Migration: plain sensitive values sealed, sealed ones kept. */
    json_t *legacy = json_pack("{s:s, s:O, s:s}", "apiKey", SECRET, "list", json_object_get(stored, "list"), "plain",
                               "hello");
    CHECK("migrate: needed", secrets_settings_need_migration(d, legacy));
    CHECK("migrate: not needed once sealed", !secrets_settings_need_migration(d, stored));
    json_t *migrated = secrets_migrate_settings(&k, d, legacy, &err);
    CHECK("migrate: seals the plain sensitive value, keeps the sealed one as it is",
          migrated && secrets_is_sealed(json_object_get(migrated, "apiKey")) &&
              json_equal(json_object_get(migrated, "list"), json_object_get(stored, "list")) &&
              strcmp(json_string_value(json_object_get(migrated, "plain")), "hello") == 0);
    json_t *back = migrated ? secrets_decrypt_settings(&k, migrated, &err) : NULL;
    CHECK("migrate: opens to the values", back && strcmp(json_string_value(json_object_get(back, "apiKey")), SECRET) == 0);
    secrets_settings_free(back);
    json_decref(migrated);
    json_decref(legacy);

    /* Display. */
    json_t *shown = secrets_public_settings(d, values);
    CHECK("public: a string shows its last 4 characters",
          strcmp(json_string_value(json_object_get(shown, "apiKey")), SECRETS_MASK "4711") == 0);
    CHECK("public: other types fully masked", strcmp(json_string_value(json_object_get(shown, "list")), SECRETS_MASK) == 0 &&
                                                  strcmp(json_string_value(json_object_get(shown, "flag")), SECRETS_MASK) == 0);
    CHECK("public: plain values shown", strcmp(json_string_value(json_object_get(shown, "plain")), "hello") == 0);
    json_decref(shown);

    json_t *texts = secrets_values(d, values);
    char *list = json_dumps(texts, JSON_COMPACT);
    CHECK("values: strings, array elements, map values",
          list && strcmp(list, "[\"" SECRET "\",\"alpha1\",\"beta22\",\"mapsecret\"]") == 0);
    if (list && strcmp(list, "[\"" SECRET "\",\"alpha1\",\"beta22\",\"mapsecret\"]") != 0)
        printf("  got %s\n", list);
    free(list);
    json_decref(texts);

    free(text);
    json_decref(stored);
    json_decref(values);
    json_decref(d);
}

static int masks_to(const char *value, const char *want)
{
    char *got = secrets_mask(value);
    int ok = strcmp(got, want) == 0;
    if (!ok)
        printf("  mask(%s) = %s\n", value, got);
    free(got);
    return ok;
}

static int text_masks_to(const char *text, json_t *values, const char *want)
{
    char *got = secrets_mask_text(text, values);
    int ok = strcmp(got, want) == 0;
    if (!ok)
        printf("  mask_text = %s\n", got);
    free(got);
    return ok;
}

static void test_masking(void)
{
    CHECK("mask: long value: bullets and last 4", masks_to(SECRET, SECRETS_MASK "4711"));
    CHECK("mask: 8 characters show 4", masks_to("12345678", SECRETS_MASK "5678"));
    CHECK("mask: 7 characters fully masked", masks_to("1234567", SECRETS_MASK));
    CHECK("mask: empty fully masked", masks_to("", SECRETS_MASK));
    CHECK("mask: UTF-8 counted in characters", masks_to("pässwört_é€ü", SECRETS_MASK "_é€ü"));
    CHECK("mask: 7 UTF-8 characters fully masked", masks_to("ééééééé", SECRETS_MASK));

    json_t *values = json_pack("[s, s, s, s]", SECRET, "abc", "SECRET_47", "alpha1");
    CHECK("mask_text: every occurrence", text_masks_to("a " SECRET " b " SECRET, values, "a " SECRETS_MASK " b " SECRETS_MASK));
    CHECK("mask_text: the longest secret first (one containing another hidden whole)",
          text_masks_to("x" SECRET "y SECRET_47", values, "x" SECRETS_MASK "y " SECRETS_MASK));
    CHECK("mask_text: values shorter than 4 characters left alone", text_masks_to("abc alpha1", values, "abc " SECRETS_MASK));
    CHECK("mask_text: nothing to mask", text_masks_to("nothing here", values, "nothing here"));
    CHECK("mask_text: empty text", text_masks_to("", values, ""));
    CHECK("mask_text: adjacent", text_masks_to("alpha1alpha1", values, SECRETS_MASK SECRETS_MASK));

    json_t *doc = json_pack("{s:[{s:s, s:s}], s:{s:s, s:i}, s:s}", "logs", "level", "log", "message", "key=" SECRET,
                            "error", "message", "bad alpha1", "line", 3, SECRET, "as a key");
    size_t changed = secrets_mask_json(doc, values);
    char *text = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
    CHECK("mask_json: strings and keys at any depth", changed == 3 && text && !strstr(text, SECRET) &&
                                                          !strstr(text, "alpha1") && strstr(text, "key=" SECRETS_MASK));
    free(text);
    json_decref(doc);

    json_t *result = json_pack("{s:[{s:s}], s:[{s:s}], s:{s:s}}", "events", "k", SECRET, "logs", "message",
                               "log " SECRET, "error", "message", SECRET);
    secrets_mask_run_output(result, values);
    CHECK("mask_run_output: logs and error masked, events kept",
          strcmp(json_string_value(json_object_get(json_array_get(json_object_get(result, "events"), 0), "k")), SECRET) == 0 &&
              strcmp(json_string_value(json_object_get(json_array_get(json_object_get(result, "logs"), 0), "message")),
                     "log " SECRETS_MASK) == 0 &&
              strcmp(json_string_value(json_object_get(json_object_get(result, "error"), "message")), SECRETS_MASK) == 0);
    json_decref(result);
    json_decref(values);
}

/* --- by workspace root -------------------------------------------------------------- */

static void test_root_api(void)
{
    char *root = tmp_workspace();
    if (!root)
        return;
    char *path = secrets_key_path(root);
    json_t *d = decl();
    json_t *plain = json_pack("{s:s}", "plain", "x");
    json_t *out = NULL;
    char *err = NULL;
    CHECK("seal_settings: nothing sensitive: no key created",
          secrets_seal_settings(root, d, plain, &out, &err) == 0 && json_equal(out, plain) && access(path, F_OK) != 0);
    json_decref(out);
    json_t *values = json_pack("{s:s, s:s}", "apiKey", SECRET, "plain", "x");
    CHECK("seal_settings: creates the key and seals",
          secrets_seal_settings(root, d, values, &out, &err) == 0 && access(path, F_OK) == 0 &&
              secrets_is_sealed(json_object_get(out, "apiKey")));
    json_t *back = NULL;
    CHECK("open_settings: round trip", secrets_open_settings(root, out, &back, &err) == 0 && json_equal(back, values));
    secrets_settings_free(back);
    CHECK("open_settings: chmod 644", chmod(path, 0644) == 0);
    CHECK("open_settings: a key others can read is refused",
          secrets_open_settings(root, out, &back, &err) == -1 && has(err, "chmod 600"));
    free(err);
    err = NULL;
    CHECK("open_settings: key removed", unlink(path) == 0);
    CHECK("open_settings: a missing key is said", secrets_open_settings(root, out, &back, &err) == -1 && has(err, "missing"));
    free(err);
    json_decref(out);
    json_decref(values);
    json_decref(plain);
    json_decref(d);
    free(path);
    remove_tree(root);
    free(root);
}

/* --- the instances table ---------------------------------------------------------------- */

static char *stored_text(sqlite3 *db, const char *name)
{
    sqlite3_stmt *st = store_prepare(db, "SELECT settings FROM instances WHERE name = ?1");
    char *text = NULL;
    if (st && sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        text = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return text;
}

static int set_stored(sqlite3 *db, const char *name, const char *text)
{
    sqlite3_stmt *st = store_prepare(db, "UPDATE instances SET settings = ?2 WHERE name = ?1");
    int ok = st && sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC) == SQLITE_OK &&
             sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC) == SQLITE_OK && sqlite3_step(st) == SQLITE_DONE;
    sqlite3_finalize(st);
    return ok;
}

static int record_version(sqlite3 *db)
{
    fn_version v = {0};
    v.function = strdup("fn");
    v.code = strdup("async function onRequest() {}");
    v.code_len = strlen(v.code);
    v.manifest = json_pack("{s:o}", "settings", decl());
    int reused = 0;
    char *err = NULL;
    int ok = deploy_record(db, &v, &reused, &err) == 0;
    free(err);
    fn_version_free(&v);
    return ok;
}

static void test_instances(void)
{
    char *root = tmp_workspace();
    char *err = NULL;
    sqlite3 *db = root ? store_open(root, &err) : NULL;
    CHECK("instances: store opens", db != NULL);
    if (!db) {
        free(err);
        free(root);
        return;
    }
    char *found_root = store_root(db);
    CHECK("store_root: the workspace", found_root && strstr(found_root, root) != NULL);
    free(found_root);
    CHECK("instances: version 1 recorded", record_version(db));
    instance_row r = {0};
    r.name = "prod";
    r.function = "fn";
    r.version = 1;
    r.token = "t0k3n";
    r.settings = json_pack("{s:s, s:s, s:[s]}", "apiKey", SECRET, "plain", "hello", "list", "alpha1");
    r.write_key = "wk";
    r.endpoint = "-";
    CHECK("instances: insert", instance_insert(db, &r, &err) == 0);
    char *text = stored_text(db, "prod");
    CHECK("instances: stored sealed, no plain secret in the row",
          text && strstr(text, "\"apiKey\":\"enc:v1:") && !strstr(text, SECRET) && !strstr(text, "alpha1") &&
              strstr(text, "\"plain\":\"hello\""));
    instance_row got;
    CHECK("instances: get opens them", instance_get(db, "prod", &got, &err) == 1 && json_equal(got.settings, r.settings) &&
                                           !got.settings_error);
    char *secrets = json_dumps(got.secrets, JSON_COMPACT);
    CHECK("instances: the row lists its secret texts", secrets && strcmp(secrets, "[\"" SECRET "\",\"alpha1\"]") == 0);
    free(secrets);
    instance_row_free(&got);
    CHECK("instances: by token opens them too",
          instance_by_token(db, "t0k3n", &got, &err) == 1 &&
              strcmp(json_string_value(json_object_get(got.settings, "apiKey")), SECRET) == 0);
    instance_row_free(&got);

    /* Legacy plain row: read as is, sealed on the next write. */
    CHECK("instances: a legacy plain row", set_stored(db, "prod", "{\"apiKey\":\"" SECRET "\",\"plain\":\"hello\"}"));
    CHECK("instances: legacy row read", instance_get(db, "prod", &got, &err) == 1 &&
                                            strcmp(json_string_value(json_object_get(got.settings, "apiKey")), SECRET) == 0);
    instance_row_free(&got);
    CHECK("instances: set_version", instance_set_version(db, "prod", 1, &err) == 0);
    free(text);
    text = stored_text(db, "prod");
    CHECK("instances: the legacy value sealed on the next write", text && !strstr(text, SECRET) && strstr(text, "enc:v1:"));
    CHECK("instances: still opens", instance_get(db, "prod", &got, &err) == 1 &&
                                        strcmp(json_string_value(json_object_get(got.settings, "apiKey")), SECRET) == 0);
    instance_row_free(&got);

    /* A tampered value: the row still reads, without it, and says why. */
    char *bad = text ? strdup(text) : NULL;
    char *at = bad ? strstr(bad, "enc:v1:") : NULL;
    if (at)
        at[10] = at[10] == 'A' ? 'B' : 'A';
    CHECK("instances: tamper", bad && set_stored(db, "prod", bad));
    CHECK("instances: a tampered value is refused: left out, settings_error set",
          instance_get(db, "prod", &got, &err) == 1 && !json_object_get(got.settings, "apiKey") &&
              has(got.settings_error, "does not open"));
    instance_row_free(&got);
    free(bad);

    /* A key file others may read fails the call. */
    char *path = secrets_key_path(root);
    CHECK("instances: chmod 644", chmod(path, 0644) == 0);
    CHECK("instances: a key others may read is refused", instance_get(db, "prod", &got, &err) == -1 && has(err, "chmod 600"));
    free(err);
    err = NULL;
    CHECK("instances: chmod 600", chmod(path, 0600) == 0);
    free(path);
    free(text);
    json_decref(r.settings);
    store_close(db);
    free(err);
    remove_tree(root);
    free(root);
}

int main(void)
{
    char *root = tmp_workspace();
    CHECK("setup: a temporary workspace", root != NULL);
    if (root) {
        test_key_file(root);
        remove_tree(root);
        free(root);
    }
    test_values();
    test_settings();
    test_masking();
    test_root_api();
    test_instances();
    return check_failures ? 1 : 0;
}
