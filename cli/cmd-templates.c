/*
 * srcfn templates [--json]
 *
 * Lists the gallery of templates `srcfn new NAME --template T` starts from:
 * one line each, the name and function.json's description ("default" first).
 * --json prints [{"name", "displayName", "description", "dir"}].
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "workspace/templates.h"

#define TEMPLATES_USAGE "usage: srcfn templates [--json]"

static int print_json(const template_info *list, size_t n)
{
    json_t *doc = json_array();
    for (size_t i = 0; doc && i < n; i++) {
        json_t *item = json_pack("{s:s, s:s, s:s, s:s}", "name", list[i].name, "displayName",
                                 list[i].display_name, "description", list[i].description, "dir", list[i].dir);
        if (!item || json_array_append_new(doc, item) != 0) {
            json_decref(doc);
            doc = NULL;
        }
    }
    int rc = doc && json_dumpf(doc, stdout, JSON_INDENT(2)) == 0 ? 0 : -1;
    json_decref(doc);
    if (rc != 0)
        return usage_error("templates: cannot write the list");
    putchar('\n');
    return EXIT_OK;
}

static void print_table(const template_info *list, size_t n, const char *root)
{
    int width = 0;
    for (size_t i = 0; i < n; i++) {
        int len = (int)strlen(list[i].name);
        width = len > width ? len : width;
    }
    for (size_t i = 0; i < n; i++)
        printf("%-*s  %s\n", width, list[i].name, list[i].description);
    printf("\n%zu templates in %s; start one with: srcfn new NAME --template T\n", n, root);
}

int cmd_templates(int argc, char **argv)
{
    int json;
    int status_opt = parse_json_option(argc, argv, "templates", TEMPLATES_USAGE, &json);
    if (status_opt != EXIT_OK)
        return status_opt;
    if (optind != argc)
        return usage_error("templates: takes no operand\n" TEMPLATES_USAGE);
    template_info *list = NULL;
    char *root = NULL;
    size_t n = templates_list(&list, &root);
    int status = EXIT_OK;
    if (!root)
        status = usage_error("templates: cannot find the templates folder next to the srcfn binary "
                             "(set SRCFN_TEMPLATES to it)");
    else if (json)
        status = print_json(list, n);
    else
        print_table(list, n, root);
    templates_free_list(list, n);
    free(root);
    return status;
}
