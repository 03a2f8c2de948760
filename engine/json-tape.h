/*
 * json-tape: a JSON text read by simdjson into a flat list of tokens, in
 * document order, for native-json.c to build its values from. simdjson is
 * C++ (json-tape.cc is the project's one C++ file, and knows nothing of
 * Duktape); it reads a webhook body several times faster than any C parser
 * Debian packages.
 *
 * A tape is only a fast path: it declines what it cannot give exactly as
 * JSON.parse would, and the caller then parses the text its own way (which
 * also words the errors). Declined: a text that is not JSON or not UTF-8
 * (lone surrogates, escaped or not, included), an integer beyond 64 bits, a
 * number beyond a double's range, an integer written -0 (simdjson reads it
 * as 0), nesting deeper than simdjson's 1024 levels, and a text longer than
 * JSON_TAPE_MAX_TEXT.
 */
#ifndef SRCFN_JSON_TAPE_H
#define SRCFN_JSON_TAPE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Longer texts are declined: simdjson keeps about ten bytes per byte read. */
#define JSON_TAPE_MAX_TEXT (1024 * 1024)

enum json_token_kind {
    JSON_T_NULL,
    JSON_T_FALSE,
    JSON_T_TRUE,
    JSON_T_NUMBER,   /* number: the double JSON.parse gives */
    JSON_T_STRING,   /* str[0..len): the decoded string, UTF-8 */
    JSON_T_KEY,      /* str[0..len): an object's key, UTF-8; its value follows */
    JSON_T_OBJECT,   /* opens an object: KEY value pairs follow, then END */
    JSON_T_ARRAY,    /* opens an array: its values follow, then END */
    JSON_T_END
};

typedef struct json_token {
    uint32_t kind;   /* enum json_token_kind */
    uint32_t len;
    union {
        const char *str;
        double number;
    } u;
} json_token;

enum { JSON_TAPE_OK, JSON_TAPE_DECLINED, JSON_TAPE_NO_MEMORY };

/* Reads text[0..len) into the calling thread's tape. On JSON_TAPE_OK,
 * *tokens and *count are the tokens, valid until this thread's next read. */
int json_tape_read(const char *text, size_t len, const json_token **tokens, size_t *count);

/* Called once the tokens are used: frees the thread's tape if the text was
 * big (a small one's memory is kept for the next read). */
void json_tape_release(void);

#ifdef __cplusplus
}
#endif

#endif
