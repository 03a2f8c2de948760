/*
 * srcfn connect NAME --instance I [--setting k=v ...] [--write-key K] [--endpoint URL]
 * srcfn sources [--json]
 * srcfn disconnect I
 *
 * connect creates instance I of function NAME: its settings values (read by
 * the declared types, required ones enforced), a write key (random unless
 * given), a delivery endpoint (https://api.segment.io unless given; "-" is
 * stdout) and a webhook token of 128 random bits. The instance runs NAME's
 * newest version; a function never deployed is deployed first (ops_connect,
 * which the management API's connect shares). It prints the webhook URL
 * `srcfn serve` answers on.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/ws.h"
#include "workspace/deploy.h"
#include "workspace/instances.h"
#include "workspace/ops.h"
#include "workspace/secrets.h"

#define CONNECT_USAGE                                                                                    \
    "usage: srcfn connect NAME --instance I [--setting NAME=VALUE ...] [--write-key K] [--endpoint URL]"
#define SOURCES_USAGE "usage: srcfn sources [--json]"
#define DISCONNECT_USAGE "usage: srcfn disconnect INSTANCE"

typedef struct connect_options {
    const char *function;
    const char *instance;
    char **settings;      /* the --setting NAME=VALUE texts */
    size_t n_settings;
    const char *write_key;
    char *endpoint;       /* malloc'd, without trailing slashes */
} connect_options;

static void free_options(connect_options *o)
{
    free(o->settings);
    free(o->endpoint);
}

static int parse_connect(int argc, char **argv, connect_options *o)
{
    static const struct option longopts[] = {
        {"instance", required_argument, NULL, 'i'},
        {"setting", required_argument, NULL, 's'},
        {"write-key", required_argument, NULL, 'w'},
        {"endpoint", required_argument, NULL, 'e'},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    o->settings = calloc((size_t)argc + 1, sizeof *o->settings);
    if (!o->settings)
        abort();
    const char *endpoint = INSTANCE_DEFAULT_ENDPOINT;
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'i': o->instance = optarg; break;
        case 's': o->settings[o->n_settings++] = optarg; break;
        case 'w': o->write_key = optarg; break;
        case 'e': endpoint = optarg; break;
        default:
            return usage_error("connect: unknown option or missing value \"%s\"\n" CONNECT_USAGE, argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return usage_error("connect: name one function\n" CONNECT_USAGE);
    o->function = argv[optind];
    if (!o->instance)
        return usage_error("connect: name the new instance with --instance I\n" CONNECT_USAGE);
    if (ws_check_name("connect", "function", o->function) != EXIT_OK ||
        ws_check_name("connect", "instance", o->instance) != EXIT_OK)
        return EXIT_USAGE;
    if (o->write_key && !ops_valid_write_key(o->write_key))
        return usage_error("connect: the write key must be 1 to 256 printable characters without spaces or ':'");
    if (!(o->endpoint = ops_normal_endpoint(endpoint)))
        return usage_error("connect: the endpoint must be an http:// or https:// URL, or - for stdout (got \"%s\")",
                           endpoint);
    return EXIT_OK;
}

static void print_connected(const instance_row *r, int deployed, int generated_key, json_t *decl)
{
    if (deployed)
        printf("deployed %s as version %d (it had no version yet)\n", r->function, deployed);
    char *url = instance_webhook_url(r->token);
    printf("connected instance \"%s\": %s version %d\n", r->name, r->function, r->version);
    printf("  webhook URL  %s\n", url);
    printf("  endpoint     %s\n", strcmp(r->endpoint, "-") == 0 ? "- (JSON lines on serve's stdout)" : r->endpoint);
    printf("  write key    %s%s\n", r->write_key, generated_key ? " (generated)" : "");
    json_t *shown = instances_public_settings(decl, r->settings);
    const char *k;
    json_t *v;
    int first = 1;
    json_object_foreach(shown, k, v) {
        char *text = json_is_string(v) ? strdup(json_string_value(v)) : json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        printf("%s%s=%s", first ? "  settings     " : ", ", k, text ? text : "?");
        free(text);
        first = 0;
    }
    if (!first)
        fputc('\n', stdout);
    json_decref(shown);
    printf("requests reach it while \"srcfn serve\" runs (port %d)\n", instance_serve_port());
    free(url);
}

static int connect_instance(sqlite3 *db, const char *root, const connect_options *o)
{
    connect_spec spec = {.function = o->function, .instance = o->instance, .pairs = o->settings,
                         .n_pairs = o->n_settings, .write_key = o->write_key, .endpoint = o->endpoint};
    connect_outcome out;
    char *err = NULL;
    ops_status done = ops_connect(db, root, &spec, &out, &err);
    int status = EXIT_OK;
    if (done != OPS_OK)
        status = ws_fail(done == OPS_FAILED ? EXIT_FAILED : EXIT_USAGE, "connect", err);
    else
        print_connected(&out.row, out.deployed, out.generated_key, out.decl);
    connect_outcome_free(&out);
    return status;
}

int cmd_connect(int argc, char **argv)
{
    connect_options o;
    int status = parse_connect(argc, argv, &o);
    char *root = NULL;
    sqlite3 *db = NULL;
    if (status == EXIT_OK)
        status = ws_open(&root, &db);
    if (status == EXIT_OK)
        status = connect_instance(db, root, &o);
    free_options(&o);
    ws_close(root, db);
    return status;
}

/* --- sources ------------------------------------------------------------------------ */

/* The instance's settings fit to show: sensitive values hidden (all of them
 * when the declaration of its version cannot be read). */
static json_t *shown_settings(sqlite3 *db, const instance_row *r)
{
    fn_version v = {0};
    char *err = NULL;
    int found = r->version ? deploy_load(db, r->function, r->version, &v, &err) : 0;
    free(err);
    json_t *shown;
    if (found > 0) {
        shown = instances_public_settings(json_object_get(v.manifest, "settings"), r->settings);
    } else {
        shown = json_object();
        const char *k;
        json_t *value;
        json_object_foreach(r->settings, k, value) json_object_set_new(shown, k, json_string(SECRETS_MASK));
    }
    fn_version_free(&v);
    return shown;
}

static json_t *source_json(sqlite3 *db, const instance_row *r)
{
    char *url = instance_webhook_url(r->token);
    char created[64], updated[64];
    ws_iso_time(r->created_at, created, sizeof created);
    ws_iso_time(r->updated_at, updated, sizeof updated);
    json_t *o = json_pack("{s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:o, s:s, s:s}", "name", r->name, "function",
                          r->function, "version", r->version ? json_integer(r->version) : json_null(), "url", url,
                          "token", r->token, "endpoint", r->endpoint, "writeKey", r->write_key, "settings",
                          shown_settings(db, r), "createdAt", created, "updatedAt", updated);
    if (o && r->settings_error && json_object_set_new(o, "settingsError", json_string(r->settings_error)) != 0) {
        json_decref(o);
        o = NULL;
    }
    free(url);
    return o;
}

static size_t widest(size_t w, const char *s)
{
    size_t n = strlen(s);
    return n > w ? n : w;
}

static void print_sources(const instance_row *rows, size_t n)
{
    if (n == 0) {
        printf("no sources connected (\"srcfn connect NAME --instance I\" connects one)\n");
        return;
    }
    char **urls = calloc(n, sizeof *urls);
    if (!urls)
        abort();
    size_t wn = strlen("INSTANCE"), wf = strlen("FUNCTION"), wu = strlen("URL");
    for (size_t i = 0; i < n; i++) {
        urls[i] = instance_webhook_url(rows[i].token);
        wn = widest(wn, rows[i].name);
        wf = widest(wf, rows[i].function);
        wu = widest(wu, urls[i]);
    }
    printf("%-*s  %-*s  %-7s  %-*s  %s\n", (int)wn, "INSTANCE", (int)wf, "FUNCTION", "VERSION", (int)wu, "URL",
           "ENDPOINT");
    for (size_t i = 0; i < n; i++) {
        char version[16] = "-";
        if (rows[i].version)
            snprintf(version, sizeof version, "%d", rows[i].version);
        printf("%-*s  %-*s  %-7s  %-*s  %s\n", (int)wn, rows[i].name, (int)wf, rows[i].function, version, (int)wu,
               urls[i], rows[i].endpoint);
        free(urls[i]);
    }
    free(urls);
}

int cmd_sources(int argc, char **argv)
{
    int json;
    int status_opt = parse_json_option(argc, argv, "sources", SOURCES_USAGE, &json);
    if (status_opt != EXIT_OK)
        return status_opt;
    if (optind != argc)
        return usage_error("sources: takes no arguments\n" SOURCES_USAGE);
    char *root;
    sqlite3 *db;
    int status = ws_open(&root, &db);
    if (status != EXIT_OK)
        return status;
    instance_row *rows = NULL;
    size_t n = 0;
    char *err = NULL;
    if (instances_list(db, NULL, &rows, &n, &err) != 0) {
        status = ws_fail(EXIT_FAILED, "sources", err);
    } else if (json) {
        json_t *list = json_array();
        for (size_t i = 0; list && i < n; i++) {
            if (json_array_append_new(list, source_json(db, &rows[i])) != 0) {
                json_decref(list);
                list = NULL;
            }
        }
        if (!list || json_dumpf(list, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER) != 0 || fputc('\n', stdout) == EOF)
            status = ws_fail(EXIT_FAILED, "sources", strdup("cannot write the list"));
        json_decref(list);
    } else {
        print_sources(rows, n);
    }
    for (size_t i = 0; status == EXIT_OK && i < n; i++) {
        if (rows[i].settings_error)
            fprintf(stderr, "srcfn: sources: warning: instance \"%s\": %s\n", rows[i].name, rows[i].settings_error);
    }
    instances_free(rows, n);
    ws_close(root, db);
    return status;
}

/* --- disconnect ------------------------------------------------------------------------ */

int cmd_disconnect(int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-')
        return usage_error("disconnect: name one instance\n" DISCONNECT_USAGE);
    const char *name = argv[1];
    if (ws_check_name("disconnect", "instance", name) != EXIT_OK)
        return EXIT_USAGE;
    char *root;
    sqlite3 *db;
    int status = ws_open(&root, &db);
    if (status != EXIT_OK)
        return status;
    char *err = NULL;
    instance_row r;
    int found = instance_get(db, name, &r, &err);
    if (found < 0) {
        status = ws_fail(EXIT_FAILED, "disconnect", err);
    } else if (!found) {
        status = usage_error("disconnect: no instance \"%s\" (\"srcfn sources\" lists them)", name);
    } else {
        int removed = instance_delete(db, name, &err);
        if (removed < 0)
            status = ws_fail(EXIT_FAILED, "disconnect", err);
        else if (!removed)
            status = usage_error("disconnect: no instance \"%s\"", name);
        else
            printf("disconnected \"%s\" (function %s): its webhook URL no longer answers\n", name, r.function);
        instance_row_free(&r);
    }
    ws_close(root, db);
    return status;
}
