/*
 * dukjson: JSON text as Duktape writes it (CESU-8 surrogates, raw bytes)
 * reads into jansson with each character as JavaScript saw it.
 */
#include <string.h>

#include "engine/dukjson.h"
#include "tests/unit/check.h"

/* The string value of the JSON text `text` (one string), re-encoded as UTF-8 by jansson. */
static int reads_as(const char *text, const char *utf8)
{
    json_error_t err;
    json_t *v = dukjson_loads(text, strlen(text), &err);
    int ok = v && json_is_string(v) && strcmp(json_string_value(v), utf8) == 0;
    json_decref(v);
    return ok;
}

int main(void)
{
    CHECK("dukjson: ASCII as it is", reads_as("\"plain \\\"text\\\"\"", "plain \"text\""));
    CHECK("dukjson: two- and three-byte characters", reads_as("\"caf\xc3\xa9 \xe2\x82\xac\"", "caf\xc3\xa9 \xe2\x82\xac"));
    CHECK("dukjson: a surrogate pair in CESU-8 is one character",
          reads_as("\"\xed\xa0\xbd\xed\xb8\x80\"", "\xf0\x9f\x98\x80"));
    CHECK("dukjson: a four-byte sequence stays that character", reads_as("\"\xf0\x9f\x98\x80\"", "\xf0\x9f\x98\x80"));
    CHECK("dukjson: a lone high surrogate is U+FFFD", reads_as("\"\xed\xa0\xbdx\"", "\xef\xbf\xbdx"));
    CHECK("dukjson: a lone low surrogate is U+FFFD", reads_as("\"a\xed\xb8\x80\"", "a\xef\xbf\xbd"));
    CHECK("dukjson: a byte that is not UTF-8 is U+FFFD", reads_as("\"\xff-\x82\"", "\xef\xbf\xbd-\xef\xbf\xbd"));
    CHECK("dukjson: a sequence cut short is U+FFFD, then what follows", reads_as("\"\xe2\x82z\"", "\xef\xbf\xbd\xef\xbf\xbdz"));
    json_error_t err;
    json_t *doc = dukjson_loads("{\"k\xc3\xa9y\":[1,\"\xe2\x82\xac\"]}", 18, &err);
    CHECK("dukjson: keys too, inside a document", doc && json_object_get(doc, "k\xc3\xa9y") != NULL);
    json_decref(doc);
    CHECK("dukjson: text that is not JSON is refused", dukjson_loads("{\"a\":", 5, &err) == NULL);
    return check_failures ? 1 : 0;
}
