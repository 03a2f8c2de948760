/*
 * json-events: simdjson's DOM of a text, walked in document order into the
 * caller's callbacks (see json-events.h).
 *
 * Invariants:
 *   - Nothing throws out of json_events_read: simdjson is used through its
 *     error codes, and the one allocation that can throw (the thread's
 *     parser) is caught and reported as JSON_EVENTS_NO_MEMORY.
 *   - The walk's frames hold only trivially destructible values (simdjson's
 *     elements and iterators are an index and a pointer), so a callback may
 *     longjmp out of it.
 *   - Each thread has its own parser, kept between reads (a warm read
 *     allocates nothing); json_events_release drops it after a text of more
 *     than KEEP_TEXT bytes, so a rare big body does not stay resident.
 */
#include "engine/json-events.h"

#include <simdjson.h>

#include <cstring>
#include <memory>
#include <new>

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

constexpr size_t KEEP_TEXT = 64 * 1024;

struct thread_parser {
    simdjson::dom::parser parser;
    size_t last_len = 0;   /* the length of the text last read */
};

thread_local std::unique_ptr<thread_parser> this_thread;

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

struct walk {
    const json_events *ev;
    void *ud;
    const char *text;
    size_t len;
    int minus_zero;   /* -1 until asked, then may_hold_minus_zero's answer */

    int go_on(int ok) const
    {
        return ok ? JSON_EVENTS_DONE : JSON_EVENTS_STOPPED;
    }

    int zero()
    {
        if (minus_zero < 0)
            minus_zero = may_hold_minus_zero(text, len);
        return minus_zero ? JSON_EVENTS_DECLINED : go_on(ev->number(ud, 0.0));
    }

    int object(simdjson::dom::object fields)
    {
        if (!ev->start_object(ud))
            return JSON_EVENTS_STOPPED;
        for (auto field : fields) {
            if (!ev->key(ud, field.key.data(), field.key.size()))
                return JSON_EVENTS_STOPPED;
            int rc = value(field.value);
            if (rc != JSON_EVENTS_DONE)
                return rc;
        }
        return go_on(ev->end(ud));
    }

    int array(simdjson::dom::array elements)
    {
        if (!ev->start_array(ud))
            return JSON_EVENTS_STOPPED;
        for (element child : elements) {
            int rc = value(child);
            if (rc != JSON_EVENTS_DONE)
                return rc;
        }
        return go_on(ev->end(ud));
    }

    /* Values are read with value_unsafe(): the switch checked the type. */
    int value(element e)
    {
        switch (e.type()) {
        case element_type::OBJECT:
            return object(e.get_object().value_unsafe());
        case element_type::ARRAY:
            return array(e.get_array().value_unsafe());
        case element_type::STRING: {
            std::string_view s = e.get_string().value_unsafe();
            return go_on(ev->string(ud, s.data(), s.size()));
        }
        case element_type::INT64: {
            int64_t v = e.get_int64().value_unsafe();
            return v == 0 ? zero() : go_on(ev->number(ud, double(v)));   /* rounds to nearest, as the digits would */
        }
        case element_type::UINT64:
            return go_on(ev->number(ud, double(e.get_uint64().value_unsafe())));
        case element_type::DOUBLE:
            return go_on(ev->number(ud, e.get_double().value_unsafe()));
        case element_type::BOOL:
            return go_on(ev->boolean(ud, e.get_bool().value_unsafe()));
        case element_type::NULL_VALUE:
            return go_on(ev->null_value(ud));
        }
        return JSON_EVENTS_DECLINED;
    }
};

/* The calling thread's parser with text parsed into it, or NULL. */
thread_parser *parse(const char *text, size_t len, element *root, int *rc)
{
    try {
        if (!this_thread)
            this_thread.reset(new thread_parser);
    } catch (const std::bad_alloc &) {
        *rc = JSON_EVENTS_NO_MEMORY;
        return nullptr;
    }
    this_thread->last_len = len;
    if (this_thread->parser.parse(text, len).get(*root) != simdjson::SUCCESS) {
        *rc = JSON_EVENTS_DECLINED;
        return nullptr;
    }
    return this_thread.get();
}

}  // namespace

extern "C" int json_events_read(const char *text, size_t len, const json_events *ev, void *ud)
{
    if (len > JSON_EVENTS_MAX_TEXT)
        return JSON_EVENTS_DECLINED;
    element root;
    int rc = JSON_EVENTS_DECLINED;
    if (!parse(text, len, &root, &rc)) {
        json_events_release();
        return rc;
    }
    walk w{ev, ud, text, len, -1};
    return w.value(root);
}

extern "C" void json_events_release(void)
{
    if (this_thread && this_thread->last_len > KEEP_TEXT)
        this_thread.reset();
}
