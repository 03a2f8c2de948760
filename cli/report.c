/*
 * report: prints a result document as sections people scan: the outcome line,
 * events, objects, console lines. JSON values are indented two spaces.
 */
#include "cli/report.h"

#include <stdlib.h>
#include <string.h>

#include "engine/jsonout.h"

static void print_indented(FILE *out, json_t *value, const char *indent)
{
    char *text = jsonout_dumps(value, JSON_INDENT(2) | JSON_ENCODE_ANY);
    if (!text)
        return;
    fputs(indent, out);
    for (const char *p = text; *p; p++) {
        fputc(*p, out);
        if (*p == '\n')
            fputs(indent, out);
    }
    fputc('\n', out);
    free(text);
}

static void print_list(FILE *out, const char *title, json_t *list)
{
    size_t n = json_array_size(list);
    fprintf(out, "%s (%zu)\n", title, n);
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item) print_indented(out, item, "  ");
}

static void print_logs(FILE *out, json_t *logs)
{
    size_t i;
    json_t *line;
    fprintf(out, "console (%zu)\n", json_array_size(logs));
    json_array_foreach(logs, i, line) {
        fprintf(out, "  %-5s %s\n", json_string_value(json_object_get(line, "level")),
                json_string_value(json_object_get(line, "message")));
    }
}

static void print_outcome(FILE *out, json_t *result, const char *filename)
{
    json_t *error = json_object_get(result, "error");
    double ms = json_number_value(json_object_get(result, "durationMs"));
    if (json_is_null(error) || !error) {
        fprintf(out, "ok: onRequest succeeded in %.1f ms\n", ms);
        return;
    }
    fprintf(out, "error: %s: %s: %s", json_string_value(json_object_get(error, "type")),
            json_string_value(json_object_get(error, "name")),
            json_string_value(json_object_get(error, "message")));
    json_t *line = json_object_get(error, "line");
    if (json_is_integer(line))
        fprintf(out, " (%s:%lld)", filename, (long long)json_integer_value(line));
    fprintf(out, " after %.1f ms\n", ms);
}

void report_print(FILE *out, json_t *result, const char *filename)
{
    print_outcome(out, result, filename);
    print_list(out, "events", json_object_get(result, "events"));
    print_list(out, "objects", json_object_get(result, "objects"));
    print_logs(out, json_object_get(result, "logs"));
}
