/*
 * The hook in Duktape's string-to-number conversion (dukx_numconv_fast in
 * engine/duk-unit.c): a plain decimal it converts must give what Duktape's
 * own conversion gives, which a leading space forces (the hook leaves white
 * space to Duktape); and what it leaves alone must still follow each
 * caller's rules (Number, parseFloat, parseInt, the lexer's literals).
 */
#include "tests/unit/check.h"
#include "tests/unit/duk-check.h"

static void test_same_as_duktape(void)
{
    /* bad(s): the first way s converts differently with and without the
     * hook, or ''. The hook sees s; ' ' + s and s + ' ' go Duktape's way. */
    eval_setup("function bad(s) {"
               "  var slow = Number(' ' + s);"
               "  if (!Object.is(Number(s), slow)) return 'Number(' + s + ') is ' + Number(s) + ', not ' + slow;"
               "  if (!Object.is(+s, slow)) return '+' + s;"
               "  if (!Object.is(parseFloat(s), parseFloat(' ' + s))) return 'parseFloat(' + s + ')';"
               "  if (!Object.is(parseInt(s), parseInt(' ' + s))) return 'parseInt(' + s + ')';"
               "  if (s.charAt(0) !== '-' && !Object.is(eval(s), slow)) return 'the literal ' + s;"
               "  return ''; }"
               "function firstBad(list) { for (var i = 0; i < list.length; i++) { var b = bad(list[i]); if (b) return b; } return ''; }");
    check_js("numconv: prices, ids and fractions",
             "firstBad(['0', '-0', '1', '-1', '9.99', '29.99', '0.1', '0.5', '123.456', '-0.0', '100', '1000000',"
             " '3663.9699999999984', '9007199254740993', '9007199254740992', '18446744073709551615',"
             " '1234567890123456789', '0.000001', '0.30000000000000004', '5e-324']) === ''");
    check_js("numconv: 20 and more digits (Duktape's way)",
             "firstBad(['12345678901234567890', '0.12345678901234567890123', '99999999999999999999.5']) === ''");
    /* Random decimals of 1 to 19 digits, the point anywhere: includes values
     * near and at halfway between two doubles, which the hook leaves. */
    check_js("numconv: 20000 random decimals",
             "(function () { var seed = 12345; function r(n) { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; }"
             " for (var i = 0; i < 20000; i++) {"
             "  var n = 1 + r(19), d = String(1 + r(9)); while (d.length < n) d += r(10);"
             "  var at = r(n + 1), s = at === n ? d : at === 0 ? '0.' + d : d.slice(0, at) + '.' + d.slice(at);"
             "  if (r(2)) s = '-' + s; var b = bad(s); if (b) return b; }"
             " return true; })()");
}

static void test_left_to_duktape(void)
{
    check_js("numconv: what is not a plain decimal keeps each caller's rules",
             "[Number(''), Number(' 12 '), Number('08'), Number('010'), Number('0x10'), Number('1e3'), Number('.5'),"
             " Number('5.'), Number('+5'), Number('Infinity'), Number('-Infinity')].join() ==="
             " '0,12,8,10,16,1000,0.5,5,5,Infinity,-Infinity'"
             " && isNaN(Number('12a')) && isNaN(Number('1.2.3')) && isNaN(Number('-')) && isNaN(Number('--1'))");
    check_js("numconv: parseInt stops at the point, parseFloat at garbage",
             "parseInt('12.5') === 12 && parseInt('-12.9') === -12 && Object.is(parseInt('-0'), -0) &&"
             " parseInt('08') === 8 && parseInt('ff', 16) === 255 && parseInt('10', 2) === 2 &&"
             " parseFloat('12.5abc') === 12.5 && parseFloat('-0.5') === -0.5 && isNaN(parseFloat('abc'))");
    check_js("numconv: literals in source", "0.1 + 0.2 === 0.30000000000000004 && 010 === 8 && 0.5 === 1 / 2");
    check_js("numconv: a string that is not a number's text is NaN, not a crash",
             "isNaN(Number('\\u00e9')) && isNaN(Number('12\\ud800')) && isNaN(Number('0x1g'))");
    /* Duktape read up to the first NUL: Number('1\0') was 1 (V8: NaN). */
    check_js("numconv: a NUL inside is NaN where the whole string must be a number, as in V8",
             "isNaN(Number('1\\u0000')) && isNaN(+'1\\u00002') && isNaN('5\\u0000' * 1) && isNaN(Number('\\u0000'))"
             " && parseFloat('1.5\\u0000') === 1.5 && parseInt('7\\u00008') === 7");
}

int main(void)
{
    open_heap(64u * 1024 * 1024, "numconv");
    test_same_as_duktape();
    test_left_to_duktape();
    duk_destroy_heap(ctx);
    return check_failures ? 1 : 0;
}
