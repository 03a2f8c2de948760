/*
 * json-tape: simdjson's DOM of a text, flattened into json_token records
 * (see json-tape.h).
 *
 * Invariants:
 *   - Nothing throws out of json_tape_read: simdjson is used through its
 *     error codes, and the only allocations that can throw (the token
 *     vector's) are caught and reported as JSON_TAPE_NO_MEMORY.
 *   - Each thread has its own parser and tokens, kept between reads (a warm
 *     read allocates nothing); json_tape_release gives them back after a
 *     text of more than KEEP_TEXT bytes, so a rare big body does not stay
 *     resident.
 *   - Strings point into the parser's string buffer, which the next read on
 *     the same thread overwrites.
 */
#include "engine/json-tape.h"

#include <simdjson.h>

#include <cstring>
#include <memory>
#include <new>
#include <vector>

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

constexpr size_t KEEP_TEXT = 64 * 1024;

struct tape {
    simdjson::dom::parser parser;
    std::vector<json_token> tokens;
    bool saw_zero = false;   /* an integer 0: it may have been written -0 */
    size_t last_len = 0;     /* the length of the text last read */
};

thread_local std::unique_ptr<tape> thread_tape;

void put(tape &t, json_token_kind kind)
{
    t.tokens.push_back(json_token{uint32_t(kind), 0, {nullptr}});
}

void put_string(tape &t, json_token_kind kind, std::string_view s)
{
    json_token tok{uint32_t(kind), uint32_t(s.size()), {nullptr}};
    tok.u.str = s.data();
    t.tokens.push_back(tok);
}

void put_number(tape &t, double v)
{
    json_token tok{JSON_T_NUMBER, 0, {nullptr}};
    tok.u.number = v;
    t.tokens.push_back(tok);
}

/* Appends e's tokens. Values are read with value_unsafe(): the type was
 * checked by the switch. */
void flatten(tape &t, element e)
{
    switch (e.type()) {
    case element_type::OBJECT: {
        simdjson::dom::object object = e.get_object().value_unsafe();
        put(t, JSON_T_OBJECT);
        for (auto field : object) {
            put_string(t, JSON_T_KEY, field.key);
            flatten(t, field.value);
        }
        put(t, JSON_T_END);
        break;
    }
    case element_type::ARRAY: {
        simdjson::dom::array array = e.get_array().value_unsafe();
        put(t, JSON_T_ARRAY);
        for (element child : array)
            flatten(t, child);
        put(t, JSON_T_END);
        break;
    }
    case element_type::STRING:
        put_string(t, JSON_T_STRING, e.get_string().value_unsafe());
        break;
    case element_type::INT64: {
        int64_t v = e.get_int64().value_unsafe();
        t.saw_zero |= v == 0;
        put_number(t, double(v));   /* rounds to nearest, as reading the digits would */
        break;
    }
    case element_type::UINT64:
        put_number(t, double(e.get_uint64().value_unsafe()));
        break;
    case element_type::DOUBLE:
        put_number(t, e.get_double().value_unsafe());
        break;
    case element_type::BOOL:
        put(t, e.get_bool().value_unsafe() ? JSON_T_TRUE : JSON_T_FALSE);
        break;
    case element_type::NULL_VALUE:
        put(t, JSON_T_NULL);
        break;
    }
}

bool continues_number(char c)
{
    return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E';
}

/* Whether the text may hold the integer -0: a '-' then '0' not followed by
 * more of a number. Such bytes inside a string ("UTC-0") also count: the
 * answer only sends the text the slow way. */
bool may_hold_minus_zero(const char *text, size_t len)
{
    const char *end = text + len;
    for (const char *p = text; (p = static_cast<const char *>(std::memchr(p, '-', size_t(end - p)))); p++) {
        if (end - p >= 2 && p[1] == '0' && (end - p == 2 || !continues_number(p[2])))
            return true;
    }
    return false;
}

int read_text(tape &t, const char *text, size_t len)
{
    element root;
    if (t.parser.parse(text, len).get(root) != simdjson::SUCCESS)
        return JSON_TAPE_DECLINED;
    t.tokens.clear();
    t.saw_zero = false;
    flatten(t, root);
    if (t.saw_zero && may_hold_minus_zero(text, len))
        return JSON_TAPE_DECLINED;
    return JSON_TAPE_OK;
}

}  // namespace

extern "C" int json_tape_read(const char *text, size_t len, const json_token **tokens, size_t *count)
{
    if (len > JSON_TAPE_MAX_TEXT)
        return JSON_TAPE_DECLINED;
    try {
        if (!thread_tape)
            thread_tape.reset(new tape);
        tape &t = *thread_tape;
        t.last_len = len;
        int rc = read_text(t, text, len);
        if (rc == JSON_TAPE_OK) {
            *tokens = t.tokens.data();
            *count = t.tokens.size();
        } else {
            json_tape_release();
        }
        return rc;
    } catch (const std::bad_alloc &) {
        thread_tape.reset();
        return JSON_TAPE_NO_MEMORY;
    }
}

extern "C" void json_tape_release(void)
{
    if (thread_tape && thread_tape->last_len > KEEP_TEXT)
        thread_tape.reset();
}
