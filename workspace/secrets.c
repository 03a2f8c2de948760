/*
 * secrets: the key file, AES-256-GCM sealing of sensitive settings values
 * and masking for display (see secrets.h for the formats and invariants).
 */
#include "workspace/secrets.h"
#include "workspace/store.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PREFIX_LEN (sizeof SECRETS_PREFIX - 1)
#define MASK_LEN (sizeof SECRETS_MASK - 1)
#define MIN_MASKED_CHARS 4     /* secrets_mask_text leaves shorter values alone */
#define SHOWN_TAIL_CHARS 4     /* secrets_mask shows this many last characters */
#define MIN_TAIL_CHARS 8       /* ... of values at least this long */

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        abort();
    return p;
}

/* --- the key file ---------------------------------------------------------------- */

char *secrets_key_path(const char *root)
{
    char *path = NULL;
    if (asprintf(&path, "%s/.srcfn/" SECRETS_KEY_FILE, root) < 0)
        abort();
    return path;
}

void secrets_key_wipe(secrets_key *key)
{
    if (key)
        OPENSSL_cleanse(key->bytes, sizeof key->bytes);
}

/* Reads exactly n bytes; 0 or -1 (errno set, 0 for a short file). */
static int read_full(int fd, unsigned char *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            if (r == 0)
                errno = 0;
            return -1;
        }
        got += (size_t)r;
    }
    return 0;
}

static int write_full(int fd, const unsigned char *buf, size_t n)
{
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(fd, buf + done, n - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        done += (size_t)w;
    }
    return 0;
}

/* Checks the open key file (owner-only, regular, the right size) and reads it. */
static int read_key_fd(int fd, const char *path, secrets_key *key, char **err)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return store_fail(err, "cannot read the secrets key %s: %s", path, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return store_fail(err, "the secrets key %s is not a regular file", path);
    if (st.st_mode & (S_IRWXG | S_IRWXO))
        return store_fail(err,
                    "the secrets key %s may be accessed by group or others (mode %04o); srcfn refuses to use "
                    "it. Make it readable by its owner only: chmod 600 %s",
                    path, (unsigned)(st.st_mode & 07777), path);
    if (st.st_size != SECRETS_KEY_BYTES)
        return store_fail(err, "the secrets key %s holds %lld bytes, not %d: it is not a srcfn key", path,
                     (long long)st.st_size, SECRETS_KEY_BYTES);
    if (read_full(fd, key->bytes, sizeof key->bytes) != 0) {
        secrets_key_wipe(key);
        return store_fail(err, "cannot read the secrets key %s: %s", path, errno ? strerror(errno) : "short file");
    }
    return 0;
}

/* Makes the directory entry of path durable (the key must not vanish after
 * values sealed with it were committed). */
static int sync_parent(const char *path)
{
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *(slash == dir ? slash + 1 : slash) = '\0';
    int fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(dir);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* Writes a new key to a private temporary file (O_CREAT|O_EXCL, 0600) and
 * links it into place, so no reader ever sees a half-written key. 1 created,
 * 0 another process created one first, -1 error. */
static int create_key(const char *path, secrets_key *key, char **err)
{
    char *tmp = NULL;
    if (asprintf(&tmp, "%s.new.%ld", path, (long)getpid()) < 0)
        abort();
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0 && errno == EEXIST && unlink(tmp) == 0)   /* left by a crashed run of this pid */
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        store_fail(err, "cannot create the secrets key %s: %s", tmp, strerror(errno));
        free(tmp);
        return -1;
    }
    int rc = -1;
    if (fchmod(fd, 0600) != 0)
        store_fail(err, "cannot set mode 0600 on %s: %s", tmp, strerror(errno));
    else if (RAND_bytes(key->bytes, (int)sizeof key->bytes) != 1)
        store_fail(err, "cannot draw random bytes for the secrets key (RAND_bytes failed)");
    else if (write_full(fd, key->bytes, sizeof key->bytes) != 0 || fsync(fd) != 0)
        store_fail(err, "cannot write the secrets key %s: %s", tmp, strerror(errno));
    else
        rc = 0;
    if (close(fd) != 0 && rc == 0)
        rc = store_fail(err, "cannot write the secrets key %s: %s", tmp, strerror(errno));
    if (rc == 0) {
        if (link(tmp, path) == 0)
            rc = sync_parent(path) == 0 ? 1 : store_fail(err, "cannot make %s durable: %s", path, strerror(errno));
        else if (errno == EEXIST)
            rc = 0;
        else
            rc = store_fail(err, "cannot create the secrets key %s: %s", path, strerror(errno));
    }
    unlink(tmp);
    free(tmp);
    if (rc != 1)
        secrets_key_wipe(key);
    return rc;
}

int secrets_key_load(const char *path, int create, secrets_key *key, char **err)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
        if (!create)
            return 0;
        int made = create_key(path, key, err);
        if (made != 0)
            return made;
        fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);   /* another process won the race */
    }
    if (fd < 0) {
        if (errno == ELOOP)
            return store_fail(err, "the secrets key %s is a symbolic link; srcfn refuses to follow it", path);
        return store_fail(err, "cannot open the secrets key %s: %s", path, strerror(errno));
    }
    int rc = read_key_fd(fd, path, key, err);
    close(fd);
    return rc == 0 ? 1 : -1;
}

int secrets_key_for(const char *root, int create, secrets_key *key, char **err)
{
    char *path = secrets_key_path(root);
    if (create) {
        char *dir = NULL;
        if (asprintf(&dir, "%s/.srcfn", root) < 0)
            abort();
        if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
            store_fail(err, "cannot create %s: %s", dir, strerror(errno));
            free(dir);
            free(path);
            return -1;
        }
        free(dir);
    }
    int rc = secrets_key_load(path, create, key, err);
    free(path);
    return rc;
}

/* --- one value: AES-256-GCM ------------------------------------------------------------ */

/* Runs the GCM cipher over in[0..len) into out with aad; for decryption the
 * expected tag is given, for encryption the tag is written. 0 or -1. */
static int gcm(int encrypt, const secrets_key *key, const unsigned char *nonce, const char *aad,
               const unsigned char *in, size_t len, unsigned char *out, unsigned char *tag)
{
    size_t aad_len = strlen(aad);
    if (len > INT_MAX || aad_len > INT_MAX)
        return -1;
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    if (!ctx)
        return -1;
    int n = 0, fin = 0;
    int ok = EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL, encrypt) == 1 &&
             EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, SECRETS_NONCE_BYTES, NULL) == 1 &&
             EVP_CipherInit_ex(ctx, NULL, NULL, key->bytes, nonce, encrypt) == 1 &&
             (aad_len == 0 || EVP_CipherUpdate(ctx, NULL, &n, (const unsigned char *)aad, (int)aad_len) == 1) &&
             (len == 0 || EVP_CipherUpdate(ctx, out, &n, in, (int)len) == 1) &&
             (encrypt || EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, SECRETS_TAG_BYTES, tag) == 1) &&
             EVP_CipherFinal_ex(ctx, out + (len ? n : 0), &fin) == 1 &&
             (!encrypt || EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, SECRETS_TAG_BYTES, tag) == 1);
    EVP_CIPHER_CTX_free(ctx);
    return ok ? 0 : -1;
}

char *secrets_seal(const secrets_key *key, const char *aad, const unsigned char *plain, size_t len, char **err)
{
    size_t raw_len = SECRETS_NONCE_BYTES + len + SECRETS_TAG_BYTES;
    if (raw_len > INT_MAX / 2) {
        store_fail(err, "setting \"%s\": the value is too large to seal", aad);
        return NULL;
    }
    unsigned char *raw = xmalloc(raw_len);
    unsigned char *nonce = raw, *ct = raw + SECRETS_NONCE_BYTES, *tag = ct + len;
    char *out = NULL;
    if (RAND_bytes(nonce, SECRETS_NONCE_BYTES) != 1) {
        store_fail(err, "cannot draw a random nonce (RAND_bytes failed)");
    } else if (gcm(1, key, nonce, aad, plain, len, ct, tag) != 0) {
        store_fail(err, "setting \"%s\": AES-256-GCM encryption failed", aad);
    } else {
        size_t b64_len = 4 * ((raw_len + 2) / 3);
        out = xmalloc(PREFIX_LEN + b64_len + 1);
        memcpy(out, SECRETS_PREFIX, PREFIX_LEN);
        if (EVP_EncodeBlock((unsigned char *)out + PREFIX_LEN, raw, (int)raw_len) != (int)b64_len) {
            free(out);
            out = NULL;
            store_fail(err, "setting \"%s\": cannot encode the sealed value", aad);
        }
    }
    free(raw);
    return out;
}

/* Decodes strict base64 (padded, no white space) into a malloc'd buffer. */
static unsigned char *decode_b64(const char *b64, size_t *len)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = strlen(b64);
    if (n == 0 || n % 4 != 0 || n > INT_MAX)
        return NULL;
    size_t pad = b64[n - 1] == '=' ? (b64[n - 2] == '=' ? 2 : 1) : 0;
    if (strspn(b64, alphabet) != n - pad)
        return NULL;
    unsigned char *raw = xmalloc(n / 4 * 3);
    int got = EVP_DecodeBlock(raw, (const unsigned char *)b64, (int)n);
    if (got < 0 || (size_t)got < pad) {
        free(raw);
        return NULL;
    }
    *len = (size_t)got - pad;
    return raw;
}

int secrets_open(const secrets_key *key, const char *aad, const char *sealed, unsigned char **plain, size_t *len,
                 char **err)
{
    *plain = NULL;
    *len = 0;
    if (strncmp(sealed, SECRETS_PREFIX, PREFIX_LEN) != 0)
        return store_fail(err, "setting \"%s\": the stored value is not sealed (no \"" SECRETS_PREFIX "\")", aad);
    size_t raw_len = 0;
    unsigned char *raw = decode_b64(sealed + PREFIX_LEN, &raw_len);
    if (!raw || raw_len < SECRETS_NONCE_BYTES + SECRETS_TAG_BYTES) {
        free(raw);
        return store_fail(err, "setting \"%s\": the sealed value is damaged (not base64 of nonce, ciphertext and tag)",
                    aad);
    }
    size_t ct_len = raw_len - SECRETS_NONCE_BYTES - SECRETS_TAG_BYTES;
    unsigned char *out = xmalloc(ct_len + 1);
    unsigned char *ct = raw + SECRETS_NONCE_BYTES;
    int rc = gcm(0, key, raw, aad, ct, ct_len, out, ct + ct_len);
    free(raw);
    if (rc != 0) {
        secrets_free_plain(out, ct_len);
        return store_fail(err,
                    "setting \"%s\": the sealed value does not open (the workspace's secret.key is not the one "
                    "it was sealed with, or the stored value was altered)",
                    aad);
    }
    out[ct_len] = '\0';
    *plain = out;
    *len = ct_len;
    return 0;
}

void secrets_free_plain(unsigned char *plain, size_t len)
{
    if (plain) {
        OPENSSL_cleanse(plain, len + 1);
        free(plain);
    }
}

int secrets_is_sealed(json_t *value)
{
    const char *s = json_string_value(value);
    return s && strncmp(s, SECRETS_PREFIX, PREFIX_LEN) == 0;
}

/* --- settings objects ---------------------------------------------------------------- */

int secrets_is_sensitive(json_t *decl, const char *name)
{
    size_t i;
    json_t *s;
    json_array_foreach(decl, i, s) {
        const char *n = json_string_value(json_object_get(s, "name"));
        if (n && strcmp(n, name) == 0)
            return json_is_true(json_object_get(s, "sensitive"));
    }
    return 0;
}

static int must_seal(json_t *decl, const char *name, json_t *value)
{
    return secrets_is_sensitive(decl, name) || secrets_is_sealed(value);
}

int secrets_settings_need_sealing(json_t *decl, json_t *values)
{
    const char *k;
    json_t *v;
    json_object_foreach(values, k, v) {
        if (must_seal(decl, k, v))
            return 1;
    }
    return 0;
}

int secrets_settings_sealed(json_t *stored)
{
    const char *k;
    json_t *v;
    json_object_foreach(stored, k, v) {
        if (secrets_is_sealed(v))
            return 1;
    }
    return 0;
}

/* value's compact JSON text, sealed under name, as a new JSON string. */
static json_t *seal_value(const secrets_key *key, const char *name, json_t *value, char **err)
{
    char *text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!text) {
        store_fail(err, "setting \"%s\": cannot serialise the value", name);
        return NULL;
    }
    size_t len = strlen(text);
    char *sealed = secrets_seal(key, name, (const unsigned char *)text, len, err);
    OPENSSL_cleanse(text, len);
    free(text);
    if (!sealed)
        return NULL;
    json_t *s = json_string(sealed);
    free(sealed);
    if (!s)
        abort();
    return s;
}

json_t *secrets_encrypt_settings(const secrets_key *key, json_t *decl, json_t *values, char **err)
{
    json_t *out = json_object();
    if (!out)
        abort();
    const char *k;
    json_t *v;
    json_object_foreach(values, k, v) {
        json_t *stored = must_seal(decl, k, v) ? seal_value(key, k, v, err) : json_incref(v);
        if (!stored || json_object_set_new(out, k, stored) != 0) {
            if (stored)
                store_fail(err, "setting \"%s\": cannot store the value", k);
            json_decref(out);
            return NULL;
        }
    }
    return out;
}

int secrets_settings_need_migration(json_t *decl, json_t *stored)
{
    const char *k;
    json_t *v;
    json_object_foreach(stored, k, v) {
        if (!secrets_is_sealed(v) && secrets_is_sensitive(decl, k))
            return 1;
    }
    return 0;
}

json_t *secrets_migrate_settings(const secrets_key *key, json_t *decl, json_t *stored, char **err)
{
    json_t *out = json_object();
    if (!out)
        abort();
    const char *k;
    json_t *v;
    json_object_foreach(stored, k, v) {
        int seal = !secrets_is_sealed(v) && secrets_is_sensitive(decl, k);
        json_t *kept = seal ? seal_value(key, k, v, err) : json_incref(v);
        if (!kept || json_object_set_new(out, k, kept) != 0) {
            if (kept)
                store_fail(err, "setting \"%s\": cannot store the value", k);
            json_decref(out);
            return NULL;
        }
    }
    return out;
}

/* The value a sealed string stands for (new reference), or NULL with *err. */
static json_t *open_value(const secrets_key *key, const char *name, json_t *sealed, char **err)
{
    if (!key) {
        store_fail(err, "setting \"%s\" is sealed and the workspace has no secrets key", name);
        return NULL;
    }
    unsigned char *plain = NULL;
    size_t len = 0;
    if (secrets_open(key, name, json_string_value(sealed), &plain, &len, err) != 0)
        return NULL;
    json_error_t jerr;
    json_t *v = json_loadb((const char *)plain, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    secrets_free_plain(plain, len);
    OPENSSL_cleanse(&jerr, sizeof jerr);   /* its text may quote the plaintext */
    if (!v)
        store_fail(err, "setting \"%s\": the sealed value opened but is not JSON", name);
    return v;
}

json_t *secrets_decrypt_settings_lenient(const secrets_key *key, json_t *stored, char **problem)
{
    *problem = NULL;
    json_t *out = json_object();
    if (!out)
        abort();
    const char *k;
    json_t *v;
    json_object_foreach(stored, k, v) {
        char *why = NULL;
        json_t *plain = secrets_is_sealed(v) ? open_value(key, k, v, &why) : json_incref(v);
        if (plain && json_object_set_new(out, k, plain) != 0)
            abort();
        if (why && !*problem)
            *problem = why;
        else
            free(why);
    }
    return out;
}

json_t *secrets_decrypt_settings(const secrets_key *key, json_t *stored, char **err)
{
    json_t *out = secrets_decrypt_settings_lenient(key, stored, err);
    if (*err) {
        secrets_settings_free(out);
        return NULL;
    }
    return out;
}

int secrets_seal_settings(const char *root, json_t *decl, json_t *values, json_t **out, char **err)
{
    *out = NULL;
    if (!secrets_settings_need_sealing(decl, values)) {
        *out = values ? json_deep_copy(values) : json_object();
        return *out ? 0 : store_fail(err, "cannot copy the settings");
    }
    secrets_key key;
    if (secrets_key_for(root, 1, &key, err) < 0)
        return -1;
    *out = secrets_encrypt_settings(&key, decl, values, err);
    secrets_key_wipe(&key);
    return *out ? 0 : -1;
}

int secrets_open_settings(const char *root, json_t *stored, json_t **out, char **err)
{
    *out = NULL;
    secrets_key key;
    int have = 0;
    if (secrets_settings_sealed(stored)) {
        have = secrets_key_for(root, 0, &key, err);
        if (have < 0)
            return -1;
        if (have == 0) {
            char *path = secrets_key_path(root);
            store_fail(err, "sealed settings values need the secrets key %s, which is missing", path);
            free(path);
            return -1;
        }
    }
    *out = secrets_decrypt_settings(have ? &key : NULL, stored, err);
    if (have)
        secrets_key_wipe(&key);
    return *out ? 0 : -1;
}

/* Wipes the strings of v that nothing else references. */
static void wipe_json(json_t *v)
{
    if (!v || v->refcount != 1)
        return;
    if (json_is_string(v)) {
        OPENSSL_cleanse((char *)json_string_value(v), json_string_length(v));
    } else if (json_is_array(v)) {
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item) wipe_json(item);
    } else if (json_is_object(v)) {
        const char *k;
        json_t *item;
        json_object_foreach(v, k, item) wipe_json(item);
    }
}

void secrets_settings_free(json_t *values)
{
    wipe_json(values);
    json_decref(values);
}

/* --- display ------------------------------------------------------------------------ */

static size_t utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

char *secrets_mask(const char *value)
{
    size_t len = value ? strlen(value) : 0;
    if (utf8_chars(value, len) < MIN_TAIL_CHARS)
        return xstrdup(SECRETS_MASK);
    /* The start of the last SHOWN_TAIL_CHARS characters. */
    size_t start = len, seen = 0;
    while (start > 0 && seen < SHOWN_TAIL_CHARS) {
        start--;
        if (((unsigned char)value[start] & 0xC0) != 0x80)
            seen++;
    }
    char *out = xmalloc(MASK_LEN + (len - start) + 1);
    memcpy(out, SECRETS_MASK, MASK_LEN);
    memcpy(out + MASK_LEN, value + start, len - start + 1);
    return out;
}

json_t *secrets_mask_value(json_t *value)
{
    json_t *shown;
    if (json_is_string(value) && !secrets_is_sealed(value)) {
        char *masked = secrets_mask(json_string_value(value));
        shown = json_string(masked);
        free(masked);
    } else {
        shown = json_string(SECRETS_MASK);
    }
    if (!shown)
        abort();
    return shown;
}

json_t *secrets_public_settings(json_t *decl, json_t *values)
{
    json_t *copy = json_object();
    if (!copy)
        abort();
    const char *k;
    json_t *v;
    json_object_foreach(values, k, v) {
        json_t *shown = must_seal(decl, k, v) ? secrets_mask_value(v) : json_deep_copy(v);
        if (!shown || json_object_set_new(copy, k, shown) != 0)
            abort();
    }
    return copy;
}

static void add_secret(json_t *list, json_t *v)
{
    if (json_is_string(v) && json_string_length(v) > 0 && json_array_append(list, v) != 0)
        abort();
}

json_t *secrets_values(json_t *decl, json_t *values)
{
    json_t *list = json_array();
    if (!list)
        abort();
    size_t i;
    json_t *s;
    json_array_foreach(decl, i, s) {
        const char *name = json_string_value(json_object_get(s, "name"));
        json_t *v = name && json_is_true(json_object_get(s, "sensitive")) ? json_object_get(values, name) : NULL;
        size_t j;
        json_t *item;
        const char *k;
        if (json_is_array(v)) {
            json_array_foreach(v, j, item) add_secret(list, item);
        } else if (json_is_object(v)) {
            json_object_foreach(v, k, item) add_secret(list, item);
        } else {
            add_secret(list, v);
        }
    }
    return list;
}

typedef struct needle {
    const char *text;
    size_t len;
} needle;

static int longest_first(const void *a, const void *b)
{
    size_t x = ((const needle *)a)->len, y = ((const needle *)b)->len;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* The strings of values worth masking (at least MIN_MASKED_CHARS characters),
 * longest first. */
static needle *needles(json_t *values, size_t *n)
{
    *n = 0;
    needle *list = xmalloc((json_array_size(values) + 1) * sizeof *list);
    size_t i;
    json_t *v;
    json_array_foreach(values, i, v) {
        const char *s = json_string_value(v);
        size_t len = s ? json_string_length(v) : 0;
        if (s && utf8_chars(s, len) >= MIN_MASKED_CHARS)
            list[(*n)++] = (needle){s, len};
    }
    qsort(list, *n, sizeof *list, longest_first);
    return list;
}

/* text[0..len) masked into a malloc'd buffer (*out_len bytes, NUL-terminated);
 * NULL when nothing matched. */
static char *mask_buf(const char *text, size_t len, const needle *nd, size_t n, size_t *out_len)
{
    char *out = NULL;
    size_t used = 0, cap = 0, copied = 0;   /* text[copied..i) is pending */
    for (size_t i = 0; i < len;) {
        size_t hit = 0;
        for (size_t j = 0; j < n && !hit; j++) {
            if (nd[j].len <= len - i && memcmp(text + i, nd[j].text, nd[j].len) == 0)
                hit = nd[j].len;
        }
        if (!hit) {
            i++;
            continue;
        }
        size_t need = used + (i - copied) + MASK_LEN + (len - i) + 1;
        if (need > cap) {
            cap = need * 2;
            char *grown = realloc(out, cap);
            if (!grown)
                abort();
            out = grown;
        }
        memcpy(out + used, text + copied, i - copied);
        used += i - copied;
        memcpy(out + used, SECRETS_MASK, MASK_LEN);
        used += MASK_LEN;
        i += hit;
        copied = i;
    }
    if (!out)
        return NULL;
    memcpy(out + used, text + copied, len - copied);   /* cap covers it: see need */
    used += len - copied;
    out[used] = '\0';
    *out_len = used;
    return out;
}

char *secrets_mask_text(const char *text, json_t *values)
{
    size_t n, out_len;
    needle *nd = needles(values, &n);
    char *out = text ? mask_buf(text, strlen(text), nd, n, &out_len) : NULL;
    free(nd);
    return out ? out : xstrdup(text ? text : "");
}

static size_t mask_json(json_t *doc, const needle *nd, size_t n)
{
    size_t changed = 0, out_len = 0;
    if (json_is_string(doc)) {
        char *out = mask_buf(json_string_value(doc), json_string_length(doc), nd, n, &out_len);
        if (out) {
            if (json_string_setn_nocheck(doc, out, out_len) != 0)
                abort();
            free(out);
            changed = 1;
        }
    } else if (json_is_array(doc)) {
        size_t i;
        json_t *item;
        json_array_foreach(doc, i, item) changed += mask_json(item, nd, n);
    } else if (json_is_object(doc)) {
        const char *k;
        json_t *item;
        void *tmp;
        json_t *renamed = json_object();
        if (!renamed)
            abort();
        json_object_foreach_safe(doc, tmp, k, item) {
            changed += mask_json(item, nd, n);
            char *masked = mask_buf(k, strlen(k), nd, n, &out_len);
            if (masked) {
                if (json_object_set(renamed, masked, item) != 0 || json_object_del(doc, k) != 0)
                    abort();
                free(masked);
                changed++;
            }
        }
        if (json_object_update(doc, renamed) != 0)
            abort();
        json_decref(renamed);
    }
    return changed;
}

size_t secrets_mask_json(json_t *doc, json_t *values)
{
    size_t n;
    needle *nd = needles(values, &n);
    size_t changed = n ? mask_json(doc, nd, n) : 0;
    free(nd);
    return changed;
}

size_t secrets_mask_run_output(json_t *result, json_t *values)
{
    return secrets_mask_json(json_object_get(result, "logs"), values) +
           secrets_mask_json(json_object_get(result, "error"), values);
}
