/*
 * check.h: the C tests' one assertion. CHECK prints "PASS name" or
 * "FAIL name: expression (file:line)", the lines tests/run.sh counts.
 */
#ifndef SRCFN_CHECK_H
#define SRCFN_CHECK_H

#include <stdio.h>

static int check_failures;

#define CHECK(name, cond)                                                        \
    do {                                                                         \
        if (cond) {                                                              \
            printf("PASS %s\n", (name));                                         \
        } else {                                                                 \
            printf("FAIL %s: %s (%s:%d)\n", (name), #cond, __FILE__, __LINE__);  \
            check_failures++;                                                    \
        }                                                                        \
        fflush(stdout);                                                          \
    } while (0)

#endif
