/*
 * request-file: the requests people keep on disk, in either of two formats.
 *
 * srcfn's own (function examples, --request files):
 *   {"method", "url", "headers": {name: value | [values]}, "body": string | JSON,
 *    "settings": {...}, "expect": {...}}          every field optional
 * Segment's open-source functions library fixtures:
 *   {"payload": {"body", "headers", "url" | "queryParameters"}, "settings": {...}}
 */
#ifndef SRCFN_REQUEST_FILE_H
#define SRCFN_REQUEST_FILE_H

#include <jansson.h>

#include "engine/engine.h"

typedef struct request_file {
    json_t *doc;          /* the whole file, which owns what follows */
    const char *method;
    char *url;            /* NULL: the default URL */
    json_t *headers;      /* object (owned) */
    const char *body;     /* raw text body, or NULL */
    json_t *body_json;    /* a JSON body, or NULL (borrowed from doc) */
    json_t *settings;     /* NULL when the file has none (borrowed) */
    json_t *expect;       /* NULL when the file has none (borrowed) */
} request_file;

/* Loads path; returns 0, or -1 with *err (malloc'd, naming file and position). */
int request_file_load(const char *path, request_file *r, char **err);

/* Interprets a parsed document (takes a reference); -1 with *err when malformed. */
int request_file_parse(json_t *doc, const char *name, request_file *r, char **err);

/* The request as the engine takes it (borrows from r). */
engine_request request_file_request(const request_file *r);

void request_file_free(request_file *r);

#endif
