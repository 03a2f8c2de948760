/*
 * native.parseJson (engine/native-json.c), the parser behind request.json(),
 * on a bare heap: results against Duktape's own JSON.parse and Number() where
 * those are right, the cases where they are not (text that is not UTF-8, raw
 * characters beyond U+FFFF), own-property semantics, error messages and
 * positions, the nesting limit, running out of memory mid-parse (the
 * sanitised build checks nothing leaks), and simdjson's path against
 * yajl's. tests/e2e/json.sh compares the same
 * through `srcfn run` with Node.js.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/heap.h"
#include "engine/native.h"
#include "tests/unit/check.h"
#include "tests/unit/duk-check.h"
#include "webhook/jsonsort.h"

/* Evaluates a JS expression with T = text and P = native.parseJson; passes
 * when it returns true. */
static void check_bytes(const char *name, const char *text, size_t len, const char *expr)
{
    duk_push_lstring(ctx, text, len);
    duk_put_global_string(ctx, "T");
    check_js(name, expr);
}

static void check_text(const char *name, const char *text, const char *expr)
{
    check_bytes(name, text, strlen(text), expr);
}

/* The message of the error P(T) throws, with its name: "SyntaxError: ...". */
static void check_error(const char *name, const char *text, const char *want)
{
    duk_push_string(ctx, text);
    duk_put_global_string(ctx, "T");
    duk_peval_string(ctx, "(function () { try { P(T); return 'no error'; } catch (e) { return e.name + ': ' + e.message; } })()");
    const char *got = duk_safe_to_string(ctx, -1);
    int ok = strcmp(got, want) == 0;
    if (!ok)
        printf("  got [%s], want [%s]\n", got, want);
    CHECK(name, ok);
    duk_pop(ctx);
}

/* What JSON.parse gives (JSON.stringify of both, and -0 kept apart). */
#define SAME_AS_DUKTAPE "(function () { var a = P(T), b = JSON.parse(T); " \
    "return JSON.stringify(a) === JSON.stringify(b) && Object.is(a, b) === (a === null || typeof a !== 'object'); })()"

static void test_values(void)
{
    static const char *docs[] = {
        "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\"},\"f\":-12.5e-3}",
        "  \t\r\n[ 1 , 2 ,\n\"x\" ]  ",
        "{}", "[]", "\"\"", "0", "-1", "true", "null", "[[],[[]],{}]",
        "{\"1\":\"x\",\"0\":\"y\",\"b\":1,\"a\":2}",
        "{\"a\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00e9\\u20ac\\u0000z\"}",
        "{\"\":{\"\":[\"\"]}}",
    };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        char name[96];
        snprintf(name, sizeof name, "json: document %zu as JSON.parse reads it", i);
        check_text(name, docs[i], SAME_AS_DUKTAPE);
    }
    check_text("json: a repeated key keeps its first place and its last value", "{\"a\":1,\"b\":2,\"a\":3}",
               "Object.keys(P(T)).join() === 'a,b' && P(T).a === 3");
    check_text("json: \\u0000 inside a string", "\"a\\u0000b\"", "P(T).length === 3 && P(T).charCodeAt(1) === 0");
    check_text("json: a non-string argument is read as its string", "", "P(123) === 123 && P(true) === true");

    /* Arrays of every size the parser builds differently (1, a batch, past it). */
    eval_setup("function range(n) { var a = []; for (var i = 0; i < n; i++) a.push(i % 3 ? 'v' + i : i * 1.5); return a; }");
    check_text("json: arrays of 1, 2, 255, 256, 257 and 1000 elements", "",
               "[1, 2, 255, 256, 257, 1000].every(function (n) { var t = JSON.stringify(range(n)), a = P(t);"
               " return Array.isArray(a) && a.length === n && JSON.stringify(a) === t; })");
    check_text("json: a one-element array of a number is that element, not a length", "[3]",
               "P(T).length === 1 && P(T)[0] === 3");
    check_text("json: arrays nested in big arrays", "",
               "(function () { var v = []; for (var i = 0; i < 300; i++) v.push([i, [i], {k: [i, i]}]);"
               " var t = JSON.stringify(v); return JSON.stringify(P(t)) === t; })()");
}

/* Parses "[n0,n1,...]" and compares each element, bit for bit, with strtod's
 * correctly rounded reading (Duktape's own Number() rounds some ties wrongly,
 * e.g. 62480208440804404). */
static int numbers_match(const char *const *nums, size_t n)
{
    size_t cap = 2, len = 1;
    for (size_t i = 0; i < n; i++)
        cap += strlen(nums[i]) + 1;
    char *text = malloc(cap + 1);
    if (!text)
        return 0;
    text[0] = '[';
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(nums[i]);
        memcpy(text + len, nums[i], l);
        len += l;
        text[len++] = i + 1 < n ? ',' : ']';
    }
    text[len] = '\0';
    int ok = 1;
    duk_get_global_string(ctx, "P");
    duk_push_string(ctx, text);
    if (duk_pcall(ctx, 1) != 0 || duk_get_length(ctx, -1) != n) {
        printf("  %s\n", duk_safe_to_string(ctx, -1));
        ok = 0;
    }
    for (size_t i = 0; ok && i < n; i++) {
        duk_get_prop_index(ctx, -1, (duk_uarridx_t)i);
        double got = duk_get_number(ctx, -1), want = strtod(nums[i], NULL);
        if (memcmp(&got, &want, sizeof got) != 0) {
            printf("  %s: got %.17g, want %.17g\n", nums[i], got, want);
            ok = 0;
        }
        duk_pop(ctx);
    }
    duk_pop(ctx);
    free(text);
    return ok;
}

static void test_numbers(void)
{
    check_text("json: -0 stays negative zero", "[-0, -0.0, -0e5, 0]",
               "(function (a) { return Object.is(a[0], -0) && Object.is(a[1], -0) && Object.is(a[2], -0) && Object.is(a[3], 0); })(P(T))");
    static const char *const fixed[] = {
        "0", "-0", "0.1", "9.99", "10.99", "9.9900000000000002", "1e21", "1e22", "1e23", "123456789012345",
        "1234567890123456", "9007199254740991", "9007199254740992", "9007199254740993", "62480208440804404",
        "18446744073709551615", "123456789012345678901234567890", "1.7976931348623157e308", "1e400", "-1e400",
        "4.9e-324", "2.2250738585072011e-308", "2.2250738585072014e-308", "1e-400", "0.000001", "1E+2", "1e-7",
        "3.141592653589793", "2.718281828459045235360287", "0.30000000000000004", "5e-324", "1.5e300",
        "999999999999999", "0.999999999999999", "-123.456", "100000000000000000000000",
        "1e99999999999999999999", "1e-99999999999999999999", "1.5e0000000000000000000001", "2E+00027",
    };
    CHECK("json: numbers are the double nearest their text", numbers_match(fixed, sizeof fixed / sizeof fixed[0]));

    /* Random decimals of 1 to 40 digits, some with exponents. */
    enum { N = 20000 };
    char **nums = calloc(N, sizeof *nums);
    unsigned long long seed = 42;
    int made = nums != NULL;
    for (int i = 0; made && i < N; i++) {
        char buf[128];
        size_t w = 0;
#define RND(n) ((seed = seed * 6364136223846793005ULL + 1442695040888963407ULL), (int)((seed >> 33) % (n)))
        if (RND(4) == 0)
            buf[w++] = '-';
        int digits = 1 + RND(20);
        buf[w++] = (char)(digits > 1 ? '1' + RND(9) : '0' + RND(10));
        for (int d = 1; d < digits; d++)
            buf[w++] = (char)('0' + RND(10));
        if (RND(2)) {
            buf[w++] = '.';
            for (int d = 1 + RND(20); d > 0; d--)
                buf[w++] = (char)('0' + RND(10));
        }
        if (RND(3) == 0) {
            const char *sign = RND(2) ? "-" : "";
            w += (size_t)snprintf(buf + w, sizeof buf - w, "e%s%d", sign, RND(330));
        }
#undef RND
        buf[w] = '\0';
        nums[i] = strdup(buf);
        made = nums[i] != NULL;
    }
    CHECK("json: 20000 random numbers are the double nearest their text", made && numbers_match((const char *const *)nums, N));
    for (int i = 0; nums && i < N; i++)
        free(nums[i]);
    free(nums);
}

/* Numbers at or next to the midpoint between two doubles. The shortcut in
 * extended precision rounds twice, which is wrong only where its rounded
 * value lands exactly on a midpoint that the text is not: those it must
 * hand to strtod_l. Made here: midpoints of random doubles written with 19
 * significant digits (close enough that extended precision rounds them onto
 * the midpoint, most of the time), and exact integer midpoints above 2^53. */
static void test_number_ties(void)
{
    static const char *const fixed[] = {
        "9007199254740993", "9007199254740995", "18014398509481986", "18014398509481990",
        "9.007199254740993e15", "900719925474099.3e1", "9007199254740993e0", "9223372036854775807",
        "9999999999999999999", "1844674407370955161e1", "0.9007199254740993e16",
    };
    CHECK("json: numbers halfway between two doubles round to even", numbers_match(fixed, sizeof fixed / sizeof fixed[0]));

    enum { N = 8000 };
    char **nums = calloc(N, sizeof *nums);
    unsigned long long seed = 7;
    int made = nums != NULL;
    for (int i = 0; made && i < N; i += 2) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        double d = ldexp((double)(seed >> 11), -(int)(seed % 64));   /* 53 random bits, scaled */
        long double mid = (long double)d + ((long double)nextafter(d, INFINITY) - d) / 2;
        char buf[2][48];
        snprintf(buf[0], sizeof buf[0], "%.18Le", mid);
        snprintf(buf[1], sizeof buf[1], "%.0Lf", mid * 2);   /* an integer midpoint when 2d >= 2^53 */
        for (int k = 0; k < 2; k++) {
            nums[i + k] = strdup(buf[k]);
            made = made && nums[i + k] != NULL;
        }
    }
    CHECK("json: 8000 numbers at or next to a tie between two doubles are the double nearest their text",
          made && numbers_match((const char *const *)nums, N));
    for (int i = 0; nums && i < N; i++)
        free(nums[i]);
    free(nums);
}

static void test_strings(void)
{
    /* Characters beyond U+FFFF are surrogate pairs, as in source literals and Node. */
    check_text("json: raw UTF-8 emoji is a surrogate pair", "[\"\xF0\x9F\x98\x80\", \"\\ud83d\\ude00\"]",
               "(function (a) { return a[0].length === 2 && a[0] === a[1] && a[0] === '\\ud83d\\ude00' &&"
               " a[0].charCodeAt(0) === 0xd83d && a[0].charCodeAt(1) === 0xde00; })(P(T))");
    check_text("json: 2- and 3-byte UTF-8 kept", "\"\xC3\xA9\xE2\x82\xAC\"", "P(T) === '\\u00e9\\u20ac'");
    check_text("json: lone surrogate escapes stay single code units",
               "[\"\\ud800\", \"\\udc00\", \"\\ud800\\u0041\", \"x\\ud800y\", \"\\udbff\\udfff\", \"\\ud800\\ud800\"]",
               "(function (a) { return a[0] === '\\ud800' && a[1] === '\\udc00' && a[2] === '\\ud800A' &&"
               " a[3] === 'x\\ud800y' && a[4] === '\\udbff\\udfff' && a[5] === '\\ud800\\ud800'; })(P(T))");
    check_text("json: an escaped backslash before u is not an escape", "\"\\\\ud800\"",
               "P(T) === '\\\\ud800' && P(T).length === 6");
    check_text("json: a key with escapes", "{\"k\\u00e9y\\n\":1, \"\\ud83d\\ude00\":2}",
               "(function (o) { return o['k\\u00e9y\\n'] === 1 && o['\\ud83d\\ude00'] === 2; })(P(T))");

    /* Not UTF-8: one U+FFFD per maximal ill-formed subpart, as Node decodes. */
    static const struct { const char *name, *text, *want; } bad[] = {
        {"json: a stray continuation byte", "\"a\x80" "b\"", "a\\ufffdb"},
        {"json: a truncated 2-byte sequence", "\"a\xC3\"", "a\\ufffd"},
        {"json: a truncated 3-byte sequence is one U+FFFD", "\"\xE2\x82" "x\"", "\\ufffdx"},
        {"json: a truncated 4-byte sequence is one U+FFFD", "\"\xF0\x9F\x98\"", "\\ufffd"},
        {"json: an overlong sequence", "\"\xC0\xAF\"", "\\ufffd\\ufffd"},
        {"json: past U+10FFFF", "\"\xF4\x90\x80\x80\"", "\\ufffd\\ufffd\\ufffd\\ufffd"},
        {"json: 0xFF", "\"\xFF\"", "\\ufffd"},
        {"json: a 3-byte surrogate is kept as that code unit", "\"\xED\xA0\xBD\xED\xB8\x80\"", "\\ud83d\\ude00"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char expr[160];
        snprintf(expr, sizeof expr, "P(T) === '%s'", bad[i].want);
        check_text(bad[i].name, bad[i].text, expr);
    }
    check_text("json: a key that is not UTF-8 is an ordinary string key, not a symbol", "{\"\xFF" "a\":1,\"\x82" "b\":2}",
               "(function (o) { var k = Object.keys(o); return k.length === 2 && k[0] === '\\ufffda' && k[1] === '\\ufffdb'"
               " && typeof k[0] === 'string' && JSON.stringify(o) === '{\"\\ufffda\":1,\"\\ufffdb\":2}'; })(P(T))");
    check_bytes("json: a NUL byte outside strings is an error", "[1,\0" "2]", 6,
                "(function () { try { P(T); return false; } catch (e) { return e.name === 'SyntaxError'; } })()");
}

static void test_properties(void)
{
    check_text("json: __proto__ is an own property; the prototype stays", "{\"__proto__\":{\"x\":1},\"a\":{\"__proto__\":[]}}",
               "(function (o) { return Object.keys(o).join() === '__proto__,a' && Object.getPrototypeOf(o) === Object.prototype"
               " && o.x === undefined && Object.getOwnPropertyDescriptor(o, '__proto__').value.x === 1"
               " && Object.getPrototypeOf(o.a) === Object.prototype && Array.isArray(Object.getOwnPropertyDescriptor(o.a, '__proto__').value);"
               " })(P(T))");
    check_text("json: members are writable, enumerable, configurable data properties", "{\"a\":1}",
               "(function (d) { return d.value === 1 && d.writable && d.enumerable && d.configurable; })"
               "(Object.getOwnPropertyDescriptor(P(T), 'a'))");
    eval_setup("var setterCalls = 0;"
               "Object.defineProperty(Object.prototype, 'trap', { set: function () { setterCalls++; }, configurable: true });"
               "Object.defineProperty(Array.prototype, '0', { set: function () { setterCalls++; }, configurable: true });"
               "Object.defineProperty(Array.prototype, '300', { set: function () { setterCalls++; }, configurable: true });");
    check_text("json: setters on Object.prototype and Array.prototype are not called", "",
               "(function () { var big = '0'; for (var i = 1; i < 400; i++) big += ',' + i;"
               " var o = P('{\"trap\":1}'), a = P('[7]'), b = P('[7,8]'), c = P('[' + big + ']');"
               " return setterCalls === 0 && o.hasOwnProperty('trap') && o.trap === 1 && a.hasOwnProperty(0) && a[0] === 7"
               " && b[0] === 7 && c.hasOwnProperty(300) && c[300] === 300 && c.length === 400; })()");
    eval_setup("delete Object.prototype.trap; delete Array.prototype[0]; delete Array.prototype[300];");
    /* Objects are made in one step (engine/duk-pack.h): with a hash part past 8
     * keys, in batches past 128, one by one where a key repeats. */
    eval_setup("function keysText(n, extra) { var t = []; for (var i = 0; i < n; i++) t.push('\"k' + i + '\":' + i);"
               " return '{' + t.concat(extra || []).join() + '}'; }");
    check_text("json: an object of 20 keys finds each, and takes new ones", "",
               "(function () { var o = P(keysText(20)); var ok = true;"
               " for (var i = 0; i < 20; i++) ok = ok && o['k' + i] === i && ('k' + i) in o;"
               " o.extra = 1; delete o.k3;"
               " return ok && !('k3' in o) && o.extra === 1 && o.k19 === 19 && Object.keys(o).length === 20"
               " && o.hasOwnProperty('k0') && !o.hasOwnProperty('k20'); })()");
    check_text("json: a repeated key keeps its first place and its last value, small and hashed", "",
               "(function () { var small = P('{\"a\":1,\"b\":2,\"a\":3}'), big = P(keysText(12, ['\"k5\":\"last\"']));"
               " return Object.keys(small).join() === 'a,b' && small.a === 3 && big.k5 === 'last'"
               " && Object.keys(big).length === 12 && Object.keys(big)[5] === 'k5'; })()");
    check_text("json: 300 keys, past one batch, with a repeat across it", "",
               "(function () { var o = P(keysText(300, ['\"k2\":\"again\"', '\"k250\":-1'])), keys = Object.keys(o);"
               " return keys.length === 300 && keys[0] === 'k0' && keys[299] === 'k299' && o.k2 === 'again'"
               " && o.k250 === -1 && o.k299 === 299 && keys[2] === 'k2'; })()");
    check_text("json: index-like keys among others", "{\"b\":1,\"2\":\"two\",\"a\":3}",
               "(function (o) { return o[2] === 'two' && o.b === 1 && o.a === 3 && Object.keys(o).length === 3; })(P(T))");
    eval_setup("var SavedArray = Array; Array = function () { throw new Error('user Array called'); };");
    check_text("json: a replaced global Array is not used", "[[1,2],[3]]", "JSON.stringify(P(T)) === '[[1,2],[3]]'");
    eval_setup("Array = SavedArray;");
}

static void test_errors(void)
{
    static const struct { const char *text, *want; } cases[] = {
        {"{\"a\":1,}", "SyntaxError: Unexpected token } in JSON at position 7"},
        {"[1,2,]", "SyntaxError: Unexpected token ] in JSON at position 5"},
        {"{'a':1}", "SyntaxError: Unexpected token ' in JSON at position 1"},
        {"{\"a\":[1,2", "SyntaxError: Unexpected end of JSON input"},
        {"{\"a\":\"b", "SyntaxError: Unexpected end of JSON input"},
        {"", "SyntaxError: Unexpected end of JSON input"},
        {"   ", "SyntaxError: Unexpected end of JSON input"},
        {"[1,", "SyntaxError: Unexpected end of JSON input"},
        {"tru", "SyntaxError: Unexpected end of JSON input"},
        {"1.", "SyntaxError: Unexpected end of JSON input"},
        {"[1 2]", "SyntaxError: Unexpected number in JSON at position 3"},
        {"[01]", "SyntaxError: Unexpected number in JSON at position 2"},
        {"{\"a\" \"b\"}", "SyntaxError: Unexpected string in JSON at position 5"},
        {"{\"a\":1}}", "SyntaxError: Unexpected token } in JSON at position 7"},
        {"{\"a\":1} x", "SyntaxError: Unexpected token x in JSON at position 8"},
        {"0\"", "SyntaxError: Unexpected string in JSON at position 1"},
        {"{} \"x", "SyntaxError: Unexpected string in JSON at position 3"},
        {"1 tru", "SyntaxError: Unexpected token t in JSON at position 2"},
        {"[tru]", "SyntaxError: Unexpected token ] in JSON at position 4"},
        {"\"\\x\"", "SyntaxError: Unexpected token x in JSON at position 2"},
        {"\"\\u12G4\"", "SyntaxError: Unexpected token G in JSON at position 5"},
        {"-a", "SyntaxError: Unexpected token a in JSON at position 1"},
        {"+1", "SyntaxError: Unexpected token + in JSON at position 0"},
        {".5", "SyntaxError: Unexpected token . in JSON at position 0"},
        {"NaN", "SyntaxError: Unexpected token N in JSON at position 0"},
        {"[1,,2]", "SyntaxError: Unexpected token , in JSON at position 3"},
        {"{\"a\"::1}", "SyntaxError: Unexpected token : in JSON at position 5"},
        {"/*c*/1", "SyntaxError: Unexpected token / in JSON at position 0"},
        {"\"a\tb\"", "SyntaxError: Unexpected token \\u0009 in JSON at position 2"},
        {"\f{}", "SyntaxError: Unexpected token \\u000c in JSON at position 0"},
        {"{}\v", "SyntaxError: Unexpected token \\u000b in JSON at position 2"},
        {"[1,\f2]", "SyntaxError: Unexpected token \\u000c in JSON at position 3"},
        {"[1 x \f]", "SyntaxError: Unexpected token x in JSON at position 3"},
        {"[\"\xC3\xA9\xF0\x9F\x98\x80\", }", "SyntaxError: Unexpected token } in JSON at position 8"},
        {"[\xC3\xA9]", "SyntaxError: Unexpected token \xC3\xA9 in JSON at position 1"},
        {"\xEF\xBB\xBF{}", "SyntaxError: Unexpected token \xEF\xBB\xBF in JSON at position 0"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char name[128];
        snprintf(name, sizeof name, "json: error for %.40s", cases[i].text);
        for (char *c = name; *c; c++)
            if ((unsigned char)*c < 0x20)
                *c = '?';
        check_error(name, cases[i].text, cases[i].want);
    }
}

/* simdjson (engine/json-events.h) reads texts up to JSON_EVENTS_MAX_TEXT;
 * past it, or where simdjson declines, yajl does. The same text both ways
 * (padded with PAD's spaces past the limit, for yajl) must give the same
 * values: same types, same keys in the same order, -0 apart from 0. */
static void check_both_ways(const char *name, const char *text)
{
    check_text(name, text, "same(P(T), P(T + PAD)) && same(P(T, true), P(PAD + T, true))");
}

static void test_both_parsers(void)
{
    eval_setup("function same(a, b) {"
               "  if (a === null || typeof a !== 'object') return Object.is(a, b);"
               "  if (b === null || typeof b !== 'object' || Array.isArray(a) !== Array.isArray(b)) return false;"
               "  var ka = Object.keys(a), kb = Object.keys(b);"
               "  if (ka.join('\\u0000') !== kb.join('\\u0000')) return false;"
               "  for (var i = 0; i < ka.length; i++) if (!same(a[ka[i]], b[ka[i]])) return false;"
               "  return Object.getPrototypeOf(a) === Object.getPrototypeOf(b); }"
               "var PAD = new Array(1024 * 1024 + 2).join(' ');");
    check_both_ways("json: both parsers: a webhook",
                    "{\"id\":\"evt_1\",\"object\":\"event\",\"created\":1700000000,\"livemode\":false,"
                    "\"data\":{\"object\":{\"amount\":2000,\"currency\":\"usd\",\"paid\":true,\"refunded\":null,"
                    "\"metadata\":{},\"tags\":[],\"lines\":[{\"price\":9.99,\"qty\":1},{\"price\":10.5,\"qty\":2}]}},"
                    "\"request\":{\"id\":null,\"idempotency_key\":\"2026-11-01T10:00:00-05:00\"}}");
    check_both_ways("json: both parsers: numbers",
                    "[0, 1, -1, 0.1, 9.99, 1e-7, 5e-324, 1.7976931348623157e308, 1E+2, 2.5e-3, 123456789.123456789,"
                    " 9007199254740993, 9223372036854775807, -9223372036854775808, 18446744073709551615, 1e400, -0.0]");
    check_both_ways("json: both parsers: -0 as an integer", "{\"a\":-0,\"b\":[0,-0],\"c\":\"x\"}");
    check_both_ways("json: both parsers: 0 beside a string holding -0", "{\"tz\":\"UTC-0\",\"n\":0}");
    check_both_ways("json: both parsers: integers past 64 bits", "[18446744073709551616, -9223372036854775809, 1e21]");
    check_both_ways("json: both parsers: escapes in an ASCII text",
                    "[\"a\\nb\\t\\\"\\\\\\/\", \"\\u00e9\\u20ac\", \"\\ud83d\\ude00\", \"\\u0000\", {\"\\ud83d\\ude00\":1}]");
    check_both_ways("json: both parsers: raw UTF-8 and escapes",
                    "[\"caf\xC3\xA9 \xE2\x82\xAC\", \"\xF0\x9F\x98\x80\", \"\\ud83d\\ude00 \xC3\xA9\", {\"\xF0\x9F\x98\x80\":\"k\"}]");
    check_both_ways("json: both parsers: lone surrogates and bytes that are not UTF-8",
                    "[\"\\ud800\", \"\\udc00x\", \"\xFF\xFE\", \"\xED\xA0\xBD\"]");
    check_both_ways("json: both parsers: repeated, index-like and special keys",
                    "{\"a\":1,\"b\":2,\"a\":3,\"__proto__\":{\"x\":1},\"10\":1,\"2\":2,\"toString\":4,\"\":5}");
    check_both_ways("json: both parsers: scalars and empties at the top", "[[], {}, [[[]]], true, false, null, \"\"]");
    check_both_ways("json: both parsers: a bare scalar", " \"text\" ");
    check_text("json: both parsers: 1000 levels, and 1024 (which simdjson takes) a RangeError", "",
               "(function () { var t = new Array(1001).join('[') + new Array(1001).join(']');"
               " if (!same(P(t), P(t + PAD))) return false;"
               " try { P(new Array(1025).join('[') + new Array(1025).join(']')); return false; }"
               " catch (e) { return e instanceof RangeError && /position 1000$/.test(e.message); } })()");
    /* Random documents: nested objects and arrays, strings with escapes and
     * characters of every UTF-8 length, numbers in every JSON form; yajl
     * reads each inside [-0, ...], which simdjson declines. */
    check_text("json: both parsers: 300 random documents", "",
               "(function () { var seed = 7; function r(n) { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; }"
               " var bits = ['a', 'Z', '0', ' ', '\\\\n', '\\\\\\\\', '\\\\\"', '\\\\u00e9', '\\\\ud83d\\\\ude00', '\\u00e9', '\\u20ac',"
               "   '\\ud83d\\ude00', '-0', 'UTC-0'];"
               " var nums = ['0', '-0', '1', '-1', '0.5', '-0.0', '1e5', '1E-5', '2.5e+3', '9007199254740993', '123456789.987654321',"
               "   '18446744073709551616', '1e400', '0.1'];"
               " function str() { var t = '', n = r(6); while (n--) t += bits[r(bits.length)]; return '\"' + t + '\"'; }"
               " function val(d) { var k = r(d > 4 ? 4 : 7), i, n, out;"
               "   if (k === 0) return str(); if (k === 1) return nums[r(nums.length)]; if (k === 2) return ['true', 'false', 'null'][r(3)];"
               "   if (k === 3) return '[]';"
               "   n = r(5); out = [];"
               "   if (k % 2) { for (i = 0; i < n; i++) out.push(val(d + 1)); return '[' + out.join(',') + ']'; }"
               "   for (i = 0; i < n; i++) out.push(str() + ':' + val(d + 1)); return '{' + out.join(', ') + '}'; }"
               " for (var i = 0; i < 300; i++) { var t = val(0), y = '[-0,' + t + ']';"   /* simdjson declines y at its -0 */
               "   if (!same(P(t), P(y)[1]) || !same(P(t, true), P(y, true)[1])) return t; }"
               " return true; })()");
    /* Bytes that end inside an escape: nothing is read past them (the
     * sanitised build checks), and they are a SyntaxError. */
    check_text("json: bytes ending in a backslash or a short \\u escape", "",
               "(function () { var texts = [[0x22, 0x5c], [0x22, 0x5c, 0x75, 0x64, 0x38], [0x5b, 0x22, 0x5c, 0x5c, 0x5c]];"
               " for (var i = 0; i < texts.length; i++) { try { P(new Uint8Array(texts[i])); return false; }"
               " catch (e) { if (!(e instanceof SyntaxError)) return false; } } return true; })()");
    /* A text past 64 KiB frees the thread's simdjson parser after it; the
     * next text makes a new one (the sanitised build checks the memory). */
    check_text("json: a 200 KB text, then a small one", "",
               "(function () { var parts = []; for (var i = 0; i < 10000; i++) parts.push('{\"k\":' + i + '}');"
               " var a = P('[' + parts.join(',') + ']'); return a.length === 10000 && a[9999].k === 9999"
               " && P('{\"b\":[1]}').b[0] === 1; })()");
}

static void test_depth(void)
{
    check_text("json: 1000 levels parse", "",
               "(function () { var t = new Array(1001).join('[') + new Array(1001).join(']'), a = P(t), d = 0;"
               " while (Array.isArray(a)) { a = a[0]; d++; } return d === 1000; })()");
    check_text("json: 1000 levels of objects parse", "",
               "(function () { var t = new Array(1001).join('{\"k\":') + '1' + new Array(1001).join('}'), a = P(t), d = 0;"
               " while (typeof a === 'object') { a = a.k; d++; } return d === 1000 && a === 1; })()");
    check_text("json: 1001 levels are a RangeError at the 1001st bracket", "",
               "(function () { try { P(new Array(1002).join('[') + new Array(1002).join(']')); return false; }"
               " catch (e) { return e instanceof RangeError && /position 1000$/.test(e.message); } })()");
    check_text("json: a million open brackets are a RangeError, not a crash", "",
               "(function () { var t = new Array(1000001).join('['); try { P(t); return false; }"
               " catch (e) { return e instanceof RangeError; } })()");
}

/* Running out of memory mid-parse throws Duktape's RangeError out of a
 * callback, yajl's (texts past JSON_EVENTS_MAX_TEXT) or simdjson's walk;
 * parseJson must free what it holds and leave a working heap. */
static void check_out_of_memory(const char *name, int items, unsigned room_mb)
{
    heap_state hs;
    memset(&hs, 0, sizeof hs);
    hs.cap = 256u * 1024 * 1024;
    duk_context *small = heap_create(&hs);
    if (!small) {
        CHECK("json: a small heap", 0);
        return;
    }
    duk_push_object(small);
    native_json_register(small);
    duk_put_global_string(small, "P");
    /* A text whose value needs far more than the room left to it (the
     * error is a RangeError, or a DoubleError when even it finds no room). */
    duk_push_int(small, items);
    duk_put_global_string(small, "N");
    int rc = duk_peval_string(small,
        "var parts = [], i; for (i = 0; i < N; i++) parts.push('{\"k' + i + '\":[\"v' + i + '\",' + i + '.5]}');"
        " var S = '[' + parts.join(',') + ']'; parts = null;");
    duk_pop(small);
    duk_gc(small, 0);
    hs.cap = hs.used + room_mb * 1024 * 1024;
    rc = rc || duk_peval_string(small,
        "(function () { var err = null; try { P.parseJson(S); } catch (e) { err = e; } S = null;"
        " var ok = P.parseJson('{\"a\":[1]}').a[0] === 1;"
        " return err !== null && ok || String(err); })()");
    int ok = rc == 0 && duk_is_boolean(small, -1) && duk_get_boolean(small, -1);
    if (!ok)
        printf("  %s\n", duk_safe_to_string(small, -1));
    CHECK(name, ok && hs.out_of_memory);
    duk_destroy_heap(small);
}

static void test_out_of_memory(void)
{
    check_out_of_memory("json: out of memory mid-parse (yajl, 3 MB) is an error and the heap goes on", 100000, 4);
    check_out_of_memory("json: out of memory mid-parse (simdjson, 700 KB) is an error and the heap goes on", 25000, 1);
}

/* P(T, true) is JSON.parse of what jsonsort (webhook/jsonsort.h, which
 * `srcfn serve` used to run first) makes of T: the same keys in the same
 * order, the same values. */
static void check_sorted(const char *name, const char *text)
{
    size_t len = 0;
    char *sorted = jsonsort(text, strlen(text), &len);
    if (!sorted) {
        CHECK(name, 0);
        return;
    }
    duk_push_lstring(ctx, sorted, len);
    duk_put_global_string(ctx, "S");
    free(sorted);
    check_text(name, text, "(function () { var a = JSON.stringify(P(T, true)), b = JSON.stringify(P(S));"
                           " if (a !== b) print(a + ' vs ' + b); return a === b; })()");
}

static void test_sorted_keys(void)
{
    check_sorted("json: sorted keys, nested", "{\"b\":{\"z\":1,\"a\":[{\"y\":2,\"x\":3}]},\"a\":0,\"B\":null}");
    check_sorted("json: sorted keys: a key before the longer ones it starts", "{\"ab\":1,\"a\":2,\"abc\":3,\"\":4}");
    check_sorted("json: sorted keys: repeats keep their last value", "{\"b\":1,\"a\":2,\"b\":3,\"a\":4,\"c\":5}");
    check_sorted("json: sorted keys by code point (accents, beyond U+FFFF, U+E000)",
                 "{\"\\u00e9\":1,\"e\":2,\"\\ud83d\\ude00\":3,\"\\ue000\":4,\"z\":5,\"\\u00e8\":6}");
    check_sorted("json: sorted keys: index-like keys", "{\"b\":1,\"10\":2,\"2\":3,\"a\":4}");
    /* An object past one batch (and past the insertion sort), keys in reverse. */
    char big[8192] = "{";
    for (int i = 299; i >= 0; i--)
        snprintf(big + strlen(big), sizeof big - strlen(big), "\"k%03d\":%d%s", i, i, i ? "," : "}");
    check_sorted("json: sorted keys: 300 keys in reverse", big);
    check_text("json: without sort, the order received", "{\"b\":1,\"a\":2}", "Object.keys(P(T)).join() === 'b,a'");
}

int main(void)
{
    open_heap(512u * 1024 * 1024, "json");
    duk_push_object(ctx);
    native_json_register(ctx);
    duk_get_prop_string(ctx, -1, "parseJson");
    duk_put_global_string(ctx, "P");
    duk_pop(ctx);

    test_values();
    test_numbers();
    test_number_ties();
    test_strings();
    test_properties();
    test_sorted_keys();
    test_errors();
    test_depth();
    test_both_parsers();
    duk_destroy_heap(ctx);
    test_out_of_memory();
    return check_failures ? 1 : 0;
}
