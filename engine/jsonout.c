#include <stdio.h>
#include <stdlib.h>

#include "engine/jsonout.h"

static int real_fits(double d, int precision)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.*g", precision, d);
    return strtod(buf, NULL) == d;
}

/* The fewest digits (15..17) every real under doc needs. */
static int needed_precision(const json_t *doc, int at_least)
{
    int p = at_least;
    if (json_is_real(doc)) {
        double d = json_real_value(doc);
        while (p < 17 && !real_fits(d, p))
            p++;
    } else if (json_is_object(doc)) {
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)doc, k, v) p = needed_precision(v, p);
    } else if (json_is_array(doc)) {
        size_t i;
        json_t *v;
        json_array_foreach(doc, i, v) p = needed_precision(v, p);
    }
    return p;
}

char *jsonout_dumps(const json_t *doc, size_t flags)
{
    return json_dumps(doc, flags | JSON_REAL_PRECISION(needed_precision(doc, 15)));
}

int jsonout_dumpf(const json_t *doc, FILE *out, size_t flags)
{
    return json_dumpf(doc, out, flags | JSON_REAL_PRECISION(needed_precision(doc, 15)));
}
