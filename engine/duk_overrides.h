/*
 * Our build options for Duktape, spliced into Debian's duk_config.h in place of
 * its __OVERRIDE_DEFINES__ marker (see the Makefile). Debian's shared library
 * ships with the execution-timeout hook off; srcfn needs it to stop a function
 * that loops forever, so it builds its own copy of the amalgamation.
 */
#undef DUK_USE_INTERRUPT_COUNTER
#define DUK_USE_INTERRUPT_COUNTER
#undef DUK_USE_EXEC_TIMEOUT_CHECK
#define DUK_USE_EXEC_TIMEOUT_CHECK(udata) engine_timeout_check(udata)
/* DUK_USE_FASTINT stays off: measured here, it makes JSON.parse of decimal
 * numbers half again slower, and webhook bodies are full of them. */
#ifndef __ASSEMBLER__
#include <stddef.h>
int engine_timeout_check(void *udata);
#endif
/* JSON.stringify's fast path: every run's result is serialised with it. */
#define DUK_USE_JSON_STRINGIFY_FASTPATH
