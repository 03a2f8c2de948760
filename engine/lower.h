/*
 * lower: turns a function's modern JavaScript into the ES5 Duktape runs.
 *
 * The work is done by JavaScript tooling (acorn, magic-string, buble and our
 * pass in engine/js/compiler/lower.js) on a compiler heap of its own, created
 * on the first cache miss and shared by all threads under a lock. Results are
 * cached on disk by a hash of the source and the compiler bundle, so a warm
 * cache costs a file read.
 */
#ifndef SRCFN_LOWER_H
#define SRCFN_LOWER_H

#include <stddef.h>

typedef struct lowered {
    char *code;       /* ES5 source */
    int *lines;       /* lines[i]: user line of generated line i+1 (0: unknown) */
    int nlines;
    char *error;      /* set instead of code when the source does not parse */
    int error_line;   /* user line of the error, 0 when unknown */
} lowered;

/* Lowers source; returns 0 (result in *out, which may carry a syntax error)
 * or -1 when srcfn itself failed (message in out->error). */
int lower_source(const char *source, size_t len, const char *filename, lowered *out);

void lowered_free(lowered *l);

/* Maps a line of lowered code to the user's line (the same line if unknown). */
int lowered_user_line(const lowered *l, int generated_line);

#endif
