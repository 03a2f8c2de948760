/*
 * embed: JavaScript compiled into the binary at build time (see the Makefile):
 * the runtime every function heap evaluates, the compiler bundle (acorn,
 * magic-string, buble and our lowering pass) and lodash.
 */
#ifndef SRCFN_EMBED_H
#define SRCFN_EMBED_H

#include <stddef.h>

typedef struct embedded {
    const char *data;
    size_t len;
} embedded;

embedded embed_runtime(void);
embedded embed_compiler(void);
embedded embed_lodash(void);

/* Identifies the compiler bundle's content: part of every lowering cache key. */
const char *embed_compiler_id(void);

#endif
