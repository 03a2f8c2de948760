/* report: a run's result document printed for people. */
#ifndef SRCFN_REPORT_H
#define SRCFN_REPORT_H

#include <jansson.h>
#include <stdio.h>

void report_print(FILE *out, json_t *result, const char *filename);

#endif
