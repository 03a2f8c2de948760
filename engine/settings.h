/*
 * settings: checks a run's settings values against the function's settings
 * declaration (function.json's "settings"). A required setting without a value,
 * or a value of the wrong type, is an Invalid Settings error and the code does
 * not run.
 */
#ifndef SRCFN_SETTINGS_H
#define SRCFN_SETTINGS_H

#include <jansson.h>

/* NULL when values satisfy decl (either may be NULL), else an error object. */
json_t *settings_check(json_t *decl, json_t *values);

/* Whether value has the declared type ("STRING", "BOOLEAN", "ARRAY", "TEXT_MAP"). */
int settings_type_ok(const char *type, json_t *value);

/* The type's name as people read it ("a string", …), NULL for an unknown type. */
const char *settings_type_noun(const char *type);

#endif
