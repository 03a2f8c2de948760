/*
 * jsonout: jansson's dump with numbers written the way JavaScript writes them.
 * jansson prints reals with 17 significant digits (0.1 as 0.10000000000000001);
 * this picks, per document, the fewest digits (15, 16 or 17) with which every
 * real in it still reads back exactly, so output matches JSON.stringify in the
 * common case and never loses a bit.
 */
#ifndef SRCFN_JSONOUT_H
#define SRCFN_JSONOUT_H

#include <jansson.h>

char *jsonout_dumps(const json_t *doc, size_t flags);
int jsonout_dumpf(const json_t *doc, FILE *out, size_t flags);

#endif
