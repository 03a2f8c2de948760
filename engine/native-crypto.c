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
 * the runtime keeps as its Buffer's prototype). Algorithm names are resolved
 * by OpenSSL as Node.js resolves them; an unknown one throws
 * Error("Digest method not supported"), Node's message.
 */
#include "engine/native.h"

#include <limits.h>
#include <stddef.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

/* What native.hashes() lists: Node.js 20's crypto.getHashes() on OpenSSL 3,
 * less what this OpenSSL does not provide. Any name OpenSSL knows is accepted
 * (aliases such as "SHA256" or "sha-256" too), since Node.js resolves names
 * the same way, through EVP_get_digestbyname. */
static const char *const listed_hashes[] = {
    "RSA-MD5", "RSA-RIPEMD160", "RSA-SHA1", "RSA-SHA1-2", "RSA-SHA224", "RSA-SHA256",
    "RSA-SHA3-224", "RSA-SHA3-256", "RSA-SHA3-384", "RSA-SHA3-512", "RSA-SHA384", "RSA-SHA512",
    "RSA-SHA512/224", "RSA-SHA512/256", "RSA-SM3", "blake2b512", "blake2s256",
    "id-rsassa-pkcs1-v1_5-with-sha3-224", "id-rsassa-pkcs1-v1_5-with-sha3-256",
    "id-rsassa-pkcs1-v1_5-with-sha3-384", "id-rsassa-pkcs1-v1_5-with-sha3-512", "md5",
    "md5-sha1", "md5WithRSAEncryption", "ripemd", "ripemd160", "ripemd160WithRSA", "rmd160",
    "sha1", "sha1WithRSAEncryption", "sha224", "sha224WithRSAEncryption", "sha256",
    "sha256WithRSAEncryption", "sha3-224", "sha3-256", "sha3-384", "sha3-512", "sha384",
    "sha384WithRSAEncryption", "sha512", "sha512-224", "sha512-224WithRSAEncryption",
    "sha512-256", "sha512-256WithRSAEncryption", "sha512WithRSAEncryption", "shake128",
    "shake256", "sm3", "sm3WithRSAEncryption", "ssl3-md5", "ssl3-sha1",
};

/* The digest the algorithm argument at idx names; throws when there is none. */
static const EVP_MD *require_hash(duk_context *ctx, duk_idx_t idx)
{
    const EVP_MD *md = NULL;
    if (duk_is_string(ctx, idx))
        md = EVP_get_digestbyname(duk_get_string(ctx, idx));
    if (!md)
        (void)duk_error(ctx, DUK_ERR_ERROR, "Digest method not supported");
    return md;
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
    const EVP_MD *md = require_hash(ctx, 0);
    size_t len;
    const unsigned char *data = require_bytes(ctx, 1, "data", &len);
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int out_len = 0;
    if (EVP_MD_get_size(md) > EVP_MAX_MD_SIZE || EVP_Digest(data, len, out, &out_len, md, NULL) != 1)
        return openssl_failure(ctx, "Digest method not supported");
    push_result(ctx, out, out_len);
    return 1;
}

/* hmac(algorithm, key, data) */
static duk_ret_t native_hmac(duk_context *ctx)
{
    const EVP_MD *md = require_hash(ctx, 0);
    size_t key_len, len;
    const unsigned char *key = require_bytes(ctx, 1, "key", &key_len);
    const unsigned char *data = require_bytes(ctx, 2, "data", &len);
    unsigned char out[EVP_MAX_MD_SIZE];
    size_t out_len = 0;
    const char *name = EVP_MD_get0_name(md);
    if (!name || !EVP_Q_mac(NULL, "HMAC", NULL, name, NULL, key, key_len, data, len, out,
                            sizeof out, &out_len))
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

/* hashes(): the listed names whose algorithm this OpenSSL provides. */
static duk_ret_t native_hashes(duk_context *ctx)
{
    duk_push_array(ctx);
    duk_uarridx_t n = 0;
    for (size_t i = 0; i < sizeof listed_hashes / sizeof listed_hashes[0]; i++) {
        const EVP_MD *known = EVP_get_digestbyname(listed_hashes[i]);
        EVP_MD *md = known ? EVP_MD_fetch(NULL, EVP_MD_get0_name(known), NULL) : NULL;
        if (!md) {
            ERR_clear_error();
            continue;
        }
        EVP_MD_free(md);
        duk_push_string(ctx, listed_hashes[i]);
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
