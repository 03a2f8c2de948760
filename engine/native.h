/*
 * native: the C bindings the runtime's JavaScript calls. Each module adds its
 * functions to the object on top of the value stack, which the runtime takes
 * as its private `native` object (engine/js/runtime/00-prelude.js).
 * engine.c keeps the table of modules; a new module is one line there.
 */
#ifndef SRCFN_NATIVE_H
#define SRCFN_NATIVE_H

#include "duktape.h"

void native_url_register(duk_context *ctx);
void native_crypto_register(duk_context *ctx);
void native_json_register(duk_context *ctx);

#endif
