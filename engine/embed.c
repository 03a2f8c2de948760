/*
 * embed: the assembler's .incbin pulls the generated JavaScript files into
 * .rodata. Paths are relative to the repository root, where make runs.
 */
#include "engine/embed.h"

#ifndef COMPILER_ID
#define COMPILER_ID "dev"
#endif

#define EMBED(sym, path)                                                   \
    __asm__(".section .rodata\n"                                           \
            ".balign 16\n"                                                 \
            ".global " #sym "_start\n" #sym "_start:\n"                    \
            ".incbin \"" path "\"\n"                                       \
            ".global " #sym "_end\n" #sym "_end:\n"                        \
            ".byte 0\n"                                                    \
            ".previous\n");                                                \
    extern const char sym##_start[], sym##_end[];                          \
    embedded embed_##sym(void)                                             \
    {                                                                      \
        return (embedded){sym##_start, (size_t)(sym##_end - sym##_start)}; \
    }

EMBED(runtime, "build/gen/runtime.js")
EMBED(compiler, "build/gen/compiler.js")
EMBED(lodash, "build/gen/lodash.js")

const char *embed_compiler_id(void)
{
    return COMPILER_ID;
}
