/*
 * native-crypto: hashing, HMAC, random bytes and constant-time comparison on
 * OpenSSL's EVP layer, for the runtime's `crypto` and `Buffer`
 * (engine/js/runtime/55-buffer.js, 56-crypto.js).
 *
 *   native.digest(algorithm, data)       -> Buffer (one-shot hash)
 *   native.hmac(algorithm, key, data)    -> Buffer (one-shot HMAC)
 *   native.randomBytes(n)                -> Buffer of n bytes from RAND_bytes
 *   native.timingSafeEqual(a, b)         -> boolean (CRYPTO_memcmp)
 *   native.hashes()                      -> array of the algorithm names accepted
 *
 * `data`, `key`, `a` and `b` are any Duktape buffer: a plain buffer, an
 * ArrayBuffer, a typed array, a DataView or a Node.js Buffer (the bytes of the
 * view). Results are Node.js Buffer objects (Duktape's Buffer.prototype, which
 * the runtime keeps as its Buffer's prototype). Algorithm names are matched
 * case-insensitively against the names Node.js accepts for them; an unknown
 * one throws Error("Digest method not supported"), Node's message.
 */
#include "engine/native.h"

#include <limits.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

/* Node.js's name (and aliases) -> OpenSSL's name. The first name of each row
 * is the one native.hashes() lists. */
typedef struct {
    const char *node;
    const char *openssl;
} hash_name;

static const hash_name hash_names[] = {
    {"md5", "MD5"},
    {"sha1", "SHA1"},
    {"sha224", "SHA2-224"},
    {"sha256", "SHA2-256"},
    {"sha384", "SHA2-384"},
    {"sha512", "SHA2-512"},
    {"sha512-224", "SHA2-512/224"},
    {"sha512-256", "SHA2-512/256"},
    {"sha3-224", "SHA3-224"},
    {"sha3-256", "SHA3-256"},
    {"sha3-384", "SHA3-384"},
    {"sha3-512", "SHA3-512"},
    {"ripemd160", "RIPEMD-160"},
    {"blake2b512", "BLAKE2B-512"},
    {"blake2s256", "BLAKE2S-256"},
    /* aliases Node.js (through OpenSSL) also accepts */
    {"rsa-md5", "MD5"},
    {"rsa-sha1", "SHA1"},
    {"sha-1", "SHA1"},
    {"rsa-sha224", "SHA2-224"},
    {"sha-224", "SHA2-224"},
    {"rsa-sha256", "SHA2-256"},
    {"sha-256", "SHA2-256"},
    {"rsa-sha384", "SHA2-384"},
    {"sha-384", "SHA2-384"},
    {"rsa-sha512", "SHA2-512"},
    {"sha-512", "SHA2-512"},
    {"rsa-sha512/224", "SHA2-512/224"},
    {"sha512/224", "SHA2-512/224"},
    {"rsa-sha512/256", "SHA2-512/256"},
    {"sha512/256", "SHA2-512/256"},
    {"rsa-sha3-224", "SHA3-224"},
    {"rsa-sha3-256", "SHA3-256"},
    {"rsa-sha3-384", "SHA3-384"},
    {"rsa-sha3-512", "SHA3-512"},
    {"rsa-ripemd160", "RIPEMD-160"},
    {"ripemd", "RIPEMD-160"},
    {"rmd160", "RIPEMD-160"},
};
#define PRIMARY_HASHES 15

/* OpenSSL's name for a Node.js algorithm name, or NULL. */
static const char *openssl_hash_name(const char *node)
{
    for (size_t i = 0; i < sizeof hash_names / sizeof hash_names[0]; i++) {
        if (strcasecmp(node, hash_names[i].node) == 0)
            return hash_names[i].openssl;
    }
    return NULL;
}

/* The algorithm argument at idx, as OpenSSL names it; throws when unknown. */
static const char *require_hash(duk_context *ctx, duk_idx_t idx)
{
    const char *name = duk_is_string(ctx, idx) ? openssl_hash_name(duk_get_string(ctx, idx)) : NULL;
    if (!name)
        (void)duk_error(ctx, DUK_ERR_ERROR, "Digest method not supported");
    return name;
}

/* The bytes of a buffer argument (empty buffers may have no address). */
static const unsigned char *require_bytes(duk_context *ctx, duk_idx_t idx, const char *what,
                                          size_t *len)
{
    static const unsigned char empty[1];
    if (!duk_is_buffer_data(ctx, idx))
        (void)duk_type_error(ctx, "%s must be a buffer", what);
    const unsigned char *p = duk_get_buffer_data(ctx, idx, len);
    return p ? p : empty;
}

/* Pushes a new Node.js Buffer holding a copy of len bytes. */
static void push_result(duk_context *ctx, const unsigned char *bytes, size_t len)
{
    void *p = duk_push_fixed_buffer(ctx, len);
    if (len)
        memcpy(p, bytes, len);
    duk_push_buffer_object(ctx, -1, 0, len, DUK_BUFOBJ_NODEJS_BUFFER);
    duk_remove(ctx, -2);
}

/* Throws Error(message) after dropping OpenSSL's queued errors. */
static duk_ret_t openssl_failure(duk_context *ctx, const char *message)
{
    ERR_clear_error();
    return duk_error(ctx, DUK_ERR_ERROR, "%s", message);
}

/* digest(algorithm, data) */
static duk_ret_t native_digest(duk_context *ctx)
{
    const char *alg = require_hash(ctx, 0);
    size_t len;
    const unsigned char *data = require_bytes(ctx, 1, "data", &len);
    unsigned char out[EVP_MAX_MD_SIZE];
    size_t out_len = 0;
    if (!EVP_Q_digest(NULL, alg, NULL, data, len, out, &out_len))
        return openssl_failure(ctx, "Digest method not supported");
    push_result(ctx, out, out_len);
    return 1;
}

/* hmac(algorithm, key, data) */
static duk_ret_t native_hmac(duk_context *ctx)
{
    const char *alg = require_hash(ctx, 0);
    size_t key_len, len;
    const unsigned char *key = require_bytes(ctx, 1, "key", &key_len);
    const unsigned char *data = require_bytes(ctx, 2, "data", &len);
    unsigned char out[EVP_MAX_MD_SIZE];
    size_t out_len = 0;
    if (!EVP_Q_mac(NULL, "HMAC", NULL, alg, NULL, key, key_len, data, len, out, sizeof out,
                   &out_len))
        return openssl_failure(ctx, "HMAC failed");
    push_result(ctx, out, out_len);
    return 1;
}

/* randomBytes(n): n in [0, INT_MAX]. */
static duk_ret_t native_random_bytes(duk_context *ctx)
{
    double n = duk_require_number(ctx, 0);
    if (!(n >= 0 && n <= INT_MAX) || n != (double)(int)n)
        return duk_range_error(ctx, "The value of \"size\" is out of range.");
    size_t len = (size_t)n;
    unsigned char *p = duk_push_fixed_buffer(ctx, len);
    if (len && RAND_bytes(p, (int)len) != 1)
        return openssl_failure(ctx, "random number generator failed");
    duk_push_buffer_object(ctx, -1, 0, len, DUK_BUFOBJ_NODEJS_BUFFER);
    return 1;
}

/* timingSafeEqual(a, b) */
static duk_ret_t native_timing_safe_equal(duk_context *ctx)
{
    size_t a_len, b_len;
    const unsigned char *a = require_bytes(ctx, 0, "buf1", &a_len);
    const unsigned char *b = require_bytes(ctx, 1, "buf2", &b_len);
    if (a_len != b_len)
        return duk_range_error(ctx, "Input buffers must have the same byte length");
    duk_push_boolean(ctx, CRYPTO_memcmp(a, b, a_len) == 0);
    return 1;
}

/* hashes(): the primary names whose algorithm this OpenSSL provides. */
static duk_ret_t native_hashes(duk_context *ctx)
{
    duk_push_array(ctx);
    duk_uarridx_t n = 0;
    for (size_t i = 0; i < PRIMARY_HASHES; i++) {
        EVP_MD *md = EVP_MD_fetch(NULL, hash_names[i].openssl, NULL);
        if (!md) {
            ERR_clear_error();
            continue;
        }
        EVP_MD_free(md);
        duk_push_string(ctx, hash_names[i].node);
        duk_put_prop_index(ctx, -2, n++);
    }
    return 1;
}

void native_crypto_register(duk_context *ctx)
{
    static const duk_function_list_entry fns[] = {
        {"digest", native_digest, 2},
        {"hmac", native_hmac, 3},
        {"randomBytes", native_random_bytes, 1},
        {"timingSafeEqual", native_timing_safe_equal, 2},
        {"hashes", native_hashes, 0},
        {NULL, NULL, 0},
    };
    duk_put_function_list(ctx, -1, fns);
}
