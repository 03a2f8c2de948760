/*
 * settings: the table of setting types and the checks of settings.h.
 */
#include "engine/settings.h"

#include <stdio.h>
#include <string.h>

#include "engine/engine.h"

typedef struct setting_type {
    const char *name;
    const char *noun;
    int (*accepts)(json_t *value);
} setting_type;

static int all_strings(json_t *array)
{
    size_t i;
    json_t *v;
    json_array_foreach(array, i, v) {
        if (!json_is_string(v))
            return 0;
    }
    return 1;
}

static int string_values(json_t *object)
{
    const char *k;
    json_t *v;
    json_object_foreach(object, k, v) {
        if (!json_is_string(v))
            return 0;
    }
    return 1;
}

static int accepts_string(json_t *v) { return json_is_string(v); }
static int accepts_boolean(json_t *v) { return json_is_boolean(v); }
static int accepts_array(json_t *v) { return json_is_array(v) && all_strings(v); }
static int accepts_map(json_t *v) { return json_is_object(v) && string_values(v); }

static const setting_type setting_types[] = {
    {"STRING", "a string", accepts_string},
    {"BOOLEAN", "a boolean", accepts_boolean},
    {"ARRAY", "an array of strings", accepts_array},
    {"TEXT_MAP", "a map of strings to strings", accepts_map},
};

static const setting_type *find_type(const char *name)
{
    for (size_t i = 0; i < sizeof setting_types / sizeof setting_types[0]; i++) {
        if (name && strcmp(setting_types[i].name, name) == 0)
            return &setting_types[i];
    }
    return NULL;
}

int settings_type_ok(const char *type, json_t *value)
{
    const setting_type *t = find_type(type);
    return t && t->accepts(value);
}

const char *settings_type_noun(const char *type)
{
    const setting_type *t = find_type(type);
    return t ? t->noun : NULL;
}

/* A value that counts as not given: absent, null, or an empty string. */
static int is_missing(json_t *v)
{
    return !v || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0);
}

static json_t *invalid(const char *fmt, const char *name, const char *extra)
{
    char msg[512];
    snprintf(msg, sizeof msg, fmt, name, extra);
    return engine_error(ERR_INVALID_SETTINGS, "InvalidSettingsError", msg, 0);
}

json_t *settings_check(json_t *decl, json_t *values)
{
    size_t i;
    json_t *s;
    json_array_foreach(decl, i, s) {
        const char *name = json_string_value(json_object_get(s, "name"));
        const char *type = json_string_value(json_object_get(s, "type"));
        if (!name)
            continue;
        json_t *v = json_object_get(values, name);
        if (is_missing(v)) {
            if (json_is_true(json_object_get(s, "required")))
                return invalid("setting \"%s\" is required but has no value%s", name, "");
            continue;
        }
        const setting_type *t = find_type(type ? type : "STRING");
        if (!t)
            return invalid("setting \"%s\" has an unknown type %s", name, type);
        if (!t->accepts(v))
            return invalid("setting \"%s\" must be %s", name, t->noun);
    }
    return NULL;
}
