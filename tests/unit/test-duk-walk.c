/*
 * duk-walk (engine/duk-walk.h): plain data read straight into jansson must
 * be what JSON.stringify's text reads as (through dukjson_loads), and what
 * only JSON.stringify can tell (toJSON, accessors, proxies, cycles...) must
 * give NULL, so that the engine stringifies instead.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/duk-walk.h"
#include "engine/dukjson.h"
#include "tests/unit/check.h"
#include "tests/unit/duk-check.h"

static char *dump(json_t *v)
{
    char *s = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    json_decref(v);
    return s;
}

/* The value of expr read by the walk, and through JSON.stringify's text. */
static void check_same(const char *name, const char *expr)
{
    char src[2048];
    snprintf(src, sizeof src, "(function () { var v = (%s); return [v, JSON.stringify(v)]; })()", expr);
    if (duk_peval_string(ctx, src) != 0) {
        printf("  %s -> %s\n", expr, duk_safe_to_string(ctx, -1));
        CHECK(name, 0);
        duk_pop(ctx);
        return;
    }
    duk_get_prop_index(ctx, -1, 0);
    char *walked = dump(dukx_plain_json(ctx, -1));
    duk_get_prop_index(ctx, -2, 1);
    duk_size_t len;
    const char *text = duk_get_lstring(ctx, -1, &len);
    json_error_t err;
    char *stringified = dump(text ? dukjson_loads(text, len, &err) : NULL);
    int ok = walked && stringified && strcmp(walked, stringified) == 0;
    if (!ok)
        printf("  %s: walked %s, stringified %s\n", expr, walked ? walked : "NULL", stringified ? stringified : "NULL");
    CHECK(name, ok);
    free(walked);
    free(stringified);
    duk_pop_3(ctx);
}

/* expr is left to JSON.stringify: the walk gives NULL, and runs no getter. */
static void check_left(const char *name, const char *expr)
{
    char src[2048];
    snprintf(src, sizeof src, "var gets = 0; (%s)", expr);
    json_t *v = NULL;
    int ok = duk_peval_string(ctx, src) == 0 && (v = dukx_plain_json(ctx, -1)) == NULL;
    duk_pop(ctx);
    ok = duk_peval_string(ctx, "gets") == 0 && duk_get_int(ctx, -1) == 0 && ok;
    duk_pop(ctx);
    if (!ok) {
        char *s = dump(v);
        printf("  %s -> %s\n", expr, s ? s : "an error or a getter ran");
        free(s);
    } else {
        json_decref(v);
    }
    CHECK(name, ok);
}

static void test_plain(void)
{
    check_same("walk: scalars", "[null, true, false, 0, -0, 1.5, -2, 3663.9699999999984, 1e21, 1e-7, 5e-324]");
    check_same("walk: integers up to 2^53 are integers", "[9007199254740992, -9007199254740992, 450789469]");
    check_same("walk: integers beyond 2^53 are written with their shortest digits",
               "[1152921504606847233, 820982911946154508, -9007199254740993, 1e17, 123456789012345678, 9.1e18,"
               " 4611686018427388927, 9007199254740994, 18014398509481990]");
    check_same("walk: NaN and the infinities are null", "[NaN, Infinity, -Infinity]");
    check_same("walk: strings, UTF-8 and beyond U+FFFF", "['', 'plain', 'caf\\u00e9 \\u20ac', '\\ud83d\\ude00 x']");
    check_same("walk: lone surrogates are U+FFFD", "['\\ud800', 'a\\udc00b', '\\ude00\\ud83d']");
    check_same("walk: a NUL inside a string", "['a\\u0000b']");
    check_same("walk: undefined, functions and symbols are left out of objects",
               "({ a: undefined, b: function () {}, c: Symbol('s'), d: 1 })");
    check_same("walk: and are null in arrays", "[undefined, function () {}, Symbol('s'), 2]");
    check_same("walk: keys keep their order", "({ z: 1, a: { y: [1, { x: 2 }], b: null }, m: 'x' })");
    check_same("walk: symbol and non-enumerable keys are left out",
               "(function () { var o = { a: 1 }; o[Symbol('k')] = 2; Object.defineProperty(o, 'h', { value: 3 }); return o; })()");
    check_same("walk: an object without prototype", "(function () { var o = Object.create(null); o.a = [1]; return o; })()");
    check_same("walk: a deleted key is gone", "(function () { var o = { a: 1, b: 2, c: 3 }; delete o.b; return o; })()");
    check_same("walk: keys beyond ASCII", "({ 'caf\\u00e9': 1, '\\ud83d\\ude00': 2 })");
    check_same("walk: 64 levels deep", "(function () { var v = 1; for (var i = 0; i < 64; i++) v = [v]; return v; })()");
    check_same("walk: a run's result", "({ events: [{ type: 'track', event: 'x', properties: { total: 0.1 + 0.2 } }], objects: [], logs: [{ level: 'log', message: 'hi' }], error: null })");
}

static void test_left(void)
{
    check_left("walk: a Date (toJSON) is left to stringify", "({ at: new Date(0) })");
    check_left("walk: a toJSON of its own", "[{ toJSON: function () { return 1; } }]");
    check_left("walk: an array's own toJSON", "(function () { var a = [1]; a.toJSON = function () { return 2; }; return a; })()");
    check_left("walk: a power of two beyond 2^53 (V8 may round it down)", "[1152921504606846976]");
    check_left("walk: an integer beyond 2^63", "[9223372036854777856, 123456789012345680000]");
    check_left("walk: a getter, which must run once", "({ get a() { gets++; return 1; } })");
    check_left("walk: a getter in an array's element", "[1, { get a() { gets++; return 1; } }]");
    check_left("walk: a Proxy", "({ p: new Proxy({}, {}) })");
    check_left("walk: a typed array", "({ b: new Uint8Array(2) })");
    check_left("walk: a boxed number", "[new Number(1)]");
    check_left("walk: a boxed string", "[new String('s')]");
    check_left("walk: an instance of a class", "(function () { function C() { this.a = 1; } return [new C()]; })()");
    check_left("walk: an index key in an object (ordered first by stringify)", "({ b: 1, 2: 3 })");
    check_left("walk: a sparse array", "[1, , 3]");
    check_left("walk: an array with a prototype of its own", "(function () { var a = [1]; Object.setPrototypeOf(a, {}); return a; })()");
    check_left("walk: a cycle", "(function () { var o = {}; o.self = o; return o; })()");
    check_left("walk: 65 levels deep", "(function () { var v = 1; for (var i = 0; i < 65; i++) v = [v]; return v; })()");
    check_left("walk: a toJSON on Object.prototype applies to all", "(function () { Object.prototype.toJSON = function () { return 1; }; return { a: 1 }; })()");
    duk_peval_string(ctx, "delete Object.prototype.toJSON");
    duk_pop(ctx);
    check_same("walk: and once it is gone, plain again", "({ a: 1 })");
}

int main(void)
{
    open_heap(64u * 1024 * 1024, "walk");
    test_plain();
    test_left();
    duk_destroy_heap(ctx);
    return check_failures ? 1 : 0;
}
