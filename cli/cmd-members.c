/*
 * srcfn members add NAME --role R [--role R2 ...] [--functions a,b] [--json]
 * srcfn members list [--json]
 * srcfn members remove NAME
 * srcfn audit [--json] [--limit N]
 *
 * Owner-only commands. Who runs them: with $SRCFN_TOKEN set, the member whose
 * API token it is; without it, the local owner, when the OS user running srcfn
 * owns the workspace's .srcfn/ folder (whoever can open the database can act
 * as owner anyway). Either way the action must be allowed by the roles
 * (authz_allows: members.manage, audit.read), and the attempt is written to
 * the audit log as method "CLI".
 *
 * `add` prints the new member's token once; only its SHA-256 is kept.
 * Roles: workspace-owner (owner), functions-admin, functions-read-only,
 * source-admin, or their labels; --functions limits the functions roles given.
 * Exit status: 0; 1 not allowed (or a bad $SRCFN_TOKEN), or the database
 * failed; 2 bad usage.
 */
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/ws.h"
#include "workspace/audit.h"
#include "workspace/authz.h"
#include "workspace/members.h"
#include "workspace/store.h"

#define MEMBERS_USAGE                                                                                    \
    "usage: srcfn members add NAME --role R [--role R2 ...] [--functions a,b] [--json]\n"                \
    "       srcfn members list [--json]\n"                                                               \
    "       srcfn members remove NAME"
#define AUDIT_USAGE "usage: srcfn audit [--json] [--limit N]"
#define ROLE_LIST "workspace-owner, functions-admin, functions-read-only, source-admin"
#define TOKEN_ENV "SRCFN_TOKEN"

/* --- who runs the command ----------------------------------------------------------------------------- */

/* The local owner: a member named "local:<login>" holding Workspace Owner. */
static int local_owner(authz_member *who, uid_t uid)
{
    struct passwd *pw = getpwuid(uid);
    char *name = NULL;
    if (pw && pw->pw_name ? asprintf(&name, "local:%s", pw->pw_name) < 0
                          : asprintf(&name, "local:uid-%ld", (long)uid) < 0)
        abort();
    who->name = name;
    char *err = NULL;
    if (authz_member_grant(who, AUTHZ_OWNER, NULL, &err) != 0) {
        free(err);
        return -1;
    }
    return 0;
}

/* Fills *who: the member of $SRCFN_TOKEN, or the local owner. EXIT_OK, or
 * EXIT_FAILED after saying why (command names the command in messages). */
static int find_actor(sqlite3 *db, const char *root, const char *command, authz_member *who)
{
    memset(who, 0, sizeof *who);
    const char *token = getenv(TOKEN_ENV);
    char *err = NULL;
    if (token) {
        int found = members_by_token(db, token, who, &err);
        if (found < 0)
            return ws_fail(EXIT_FAILED, command, err);
        if (!found) {
            fprintf(stderr, "srcfn: %s: $" TOKEN_ENV " is not the token of a member of this workspace\n", command);
            return EXIT_FAILED;
        }
        return EXIT_OK;
    }
    char *state = NULL;
    if (asprintf(&state, "%s/.srcfn", root) < 0)
        abort();
    struct stat st;
    int mine = stat(state, &st) == 0 && st.st_uid == geteuid();
    free(state);
    if (!mine) {
        fprintf(stderr, "srcfn: %s: this OS user does not own the workspace; set $" TOKEN_ENV
                        " to the API token of a Workspace Owner\n", command);
        return EXIT_FAILED;
    }
    return local_owner(who, geteuid()) == 0 ? EXIT_OK : EXIT_FAILED;
}

/* Records the attempt in the audit log (a failure to is only reported). */
static void record(sqlite3 *db, const authz_member *who, const char *what, authz_action action, int allowed,
                   int status)
{
    audit_entry e = {who->name, "CLI", what, authz_action_id(action), NULL, allowed, status};
    char *err = NULL;
    if (audit_add(db, &e, &err) != 0)
        ws_fail(0, "audit", err);
}

/* Finds who runs the command and checks the action; EXIT_OK when allowed.
 * Refusals are recorded here; the caller records the outcome of an allowed one. */
static int authorise(sqlite3 *db, const char *root, const char *what, authz_action action, authz_member *who)
{
    int status = find_actor(db, root, what, who);
    if (status == EXIT_OK && !authz_allows(who, action, NULL)) {
        fprintf(stderr, "srcfn: %s: forbidden: %s needs %s (member \"%s\")\n", what, authz_action_id(action),
                authz_action_needs(action), who->name);
        status = EXIT_FAILED;
    }
    if (status != EXIT_OK)
        record(db, who, what, action, 0, status);
    return status;
}

/* --- members add ---------------------------------------------------------------------------------------- */

typedef struct add_options {
    const char *name;
    authz_role roles[AUTHZ_ROLE_COUNT];
    size_t n_roles;
    const char *functions;
    int json;
} add_options;

static int add_role(add_options *o, const char *text)
{
    authz_role r;
    if (authz_role_parse(text, &r) != 0)
        return usage_error("members add: unknown role \"%s\" (one of " ROLE_LIST ")", text);
    for (size_t i = 0; i < o->n_roles; i++) {
        if (o->roles[i] == r)
            return usage_error("members add: role %s is given twice", authz_role_label(r));
    }
    o->roles[o->n_roles++] = r;
    return EXIT_OK;
}

static int parse_add(int argc, char **argv, add_options *o)
{
    static const struct option longopts[] = {
        {"role", required_argument, NULL, 'r'},
        {"functions", required_argument, NULL, 'f'},
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c == 'r' && add_role(o, optarg) != EXIT_OK)
            return EXIT_USAGE;
        else if (c == 'f')
            o->functions = optarg;
        else if (c == 'j')
            o->json = 1;
        else if (c != 'r')
            return usage_error("members add: unknown option or missing value \"%s\"\n" MEMBERS_USAGE,
                               argv[optind - 1]);
    }
    if (optind != argc - 1)
        return usage_error("members add: name one member\n" MEMBERS_USAGE);
    o->name = argv[optind];
    if (o->n_roles == 0)
        return usage_error("members add: give the member a role with --role (one of " ROLE_LIST ")");
    return ws_check_name("members add", "member", o->name);
}

/* The member the options describe; --functions limits its functions roles. */
static int build_member(const add_options *o, authz_member *m)
{
    memset(m, 0, sizeof *m);
    if (!(m->name = strdup(o->name)))
        abort();
    int limited = 0;
    char *err = NULL;
    for (size_t i = 0; i < o->n_roles; i++) {
        int limit = o->functions && authz_role_limitable(o->roles[i]);
        limited |= limit;
        if (authz_member_grant(m, o->roles[i], limit ? o->functions : NULL, &err) != 0)
            return ws_fail(EXIT_USAGE, "members add", err);
    }
    if (o->functions && !limited)
        return usage_error("members add: --functions limits Functions Admin or Functions Read-only, and neither "
                           "is given");
    return EXIT_OK;
}

/* "Functions Admin (a, b), Source Admin". */
static void print_roles(json_t *roles)
{
    size_t i, j;
    json_t *r, *f;
    json_array_foreach(roles, i, r) {
        printf("%s%s", i ? ", " : "", json_string_value(json_object_get(r, "label")));
        json_t *fns = json_object_get(r, "functions");
        json_array_foreach(fns, j, f) printf("%s%s", j ? ", " : " (", json_string_value(f));
        if (json_array_size(fns) > 0)
            putchar(')');
    }
}

static int print_added(const authz_member *m, const char *token, int json)
{
    json_t *roles = authz_grants_json(m);
    int status = EXIT_OK;
    if (json) {
        json_t *doc = json_pack("{s:s, s:O, s:s}", "name", m->name, "roles", roles, "token", token);
        if (!doc || json_dumpf(doc, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER) != 0 || fputc('\n', stdout) == EOF)
            status = EXIT_FAILED;
        json_decref(doc);
    } else {
        printf("added member \"%s\": ", m->name);
        print_roles(roles);
        printf("\ntoken: %s\n", token);
        printf("  (shown once: srcfn keeps only its SHA-256; \"srcfn members remove %s\" revokes it)\n", m->name);
    }
    json_decref(roles);
    return status;
}

static int members_add_cmd(sqlite3 *db, const char *root, int argc, char **argv)
{
    add_options o;
    authz_member m = {0}, who = {0};
    int status = parse_add(argc, argv, &o);
    char *what = NULL;
    if (status == EXIT_OK && asprintf(&what, "members add %s", o.name) < 0)
        abort();
    if (status == EXIT_OK)
        status = build_member(&o, &m);
    if (status == EXIT_OK)
        status = authorise(db, root, what, AUTHZ_MEMBERS_MANAGE, &who);
    if (status == EXIT_OK) {
        char *token = NULL, *err = NULL;
        if (members_add(db, &m, &token, &err) != 0)
            status = ws_fail(EXIT_USAGE, "members add", err);
        else
            status = print_added(&m, token, o.json);
        members_token_free(token);
        record(db, &who, what, AUTHZ_MEMBERS_MANAGE, 1, status);
    }
    free(what);
    authz_member_free(&m);
    authz_member_free(&who);
    return status;
}

/* --- members list / remove ------------------------------------------------------------------------------ */

static void print_members(json_t *list)
{
    if (json_array_size(list) == 0) {
        printf("no members (\"srcfn members add NAME --role R\" adds one)\n");
        return;
    }
    printf("%-24s  %-19s  %s\n", "NAME", "CREATED", "ROLES");
    size_t i;
    json_t *m;
    json_array_foreach(list, i, m) {
        char when[64];
        ws_local_time((int64_t)json_integer_value(json_object_get(m, "createdAt")), when, sizeof when);
        printf("%-24s  %-19s  ", json_string_value(json_object_get(m, "name")), when);
        print_roles(json_object_get(m, "roles"));
        putchar('\n');
    }
}

static int members_list_cmd(sqlite3 *db, const char *root, int argc, char **argv)
{
    int json;
    int status_opt = parse_json_option(argc, argv, "members list", MEMBERS_USAGE, &json);
    if (status_opt != EXIT_OK)
        return status_opt;
    if (optind != argc)
        return usage_error("members list: takes no arguments\n" MEMBERS_USAGE);
    authz_member who;
    int status = authorise(db, root, "members list", AUTHZ_MEMBERS_MANAGE, &who);
    if (status == EXIT_OK) {
        char *err = NULL;
        json_t *list = members_list(db, &err);
        if (!list)
            status = ws_fail(EXIT_FAILED, "members list", err);
        else if (!json)
            print_members(list);
        else if (json_dumpf(list, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER) != 0 || fputc('\n', stdout) == EOF)
            status = EXIT_FAILED;
        json_decref(list);
        record(db, &who, "members list", AUTHZ_MEMBERS_MANAGE, 1, status);
    }
    authz_member_free(&who);
    return status;
}

static int members_remove_cmd(sqlite3 *db, const char *root, int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-')
        return usage_error("members remove: name one member\n" MEMBERS_USAGE);
    if (ws_check_name("members remove", "member", argv[1]) != EXIT_OK)
        return EXIT_USAGE;
    char *what = NULL;
    if (asprintf(&what, "members remove %s", argv[1]) < 0)
        abort();
    authz_member who;
    int status = authorise(db, root, what, AUTHZ_MEMBERS_MANAGE, &who);
    if (status == EXIT_OK) {
        char *err = NULL;
        int removed = members_remove(db, argv[1], &err);
        if (removed < 0)
            status = ws_fail(EXIT_FAILED, "members remove", err);
        else if (!removed)
            status = usage_error("members remove: no member \"%s\" (\"srcfn members list\" lists them)", argv[1]);
        else
            printf("removed member \"%s\": its token no longer works\n", argv[1]);
        record(db, &who, what, AUTHZ_MEMBERS_MANAGE, 1, status);
    }
    authz_member_free(&who);
    free(what);
    return status;
}

int cmd_members(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(sqlite3 *db, const char *root, int argc, char **argv);
    } subs[] = {{"add", members_add_cmd}, {"list", members_list_cmd}, {"remove", members_remove_cmd}};
    if (argc < 2)
        return usage_error("members: add, list or remove?\n" MEMBERS_USAGE);
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
        if (strcmp(argv[1], subs[i].name) != 0)
            continue;
        char *root;
        sqlite3 *db;
        int status = ws_open(&root, &db);
        if (status == EXIT_OK)
            status = subs[i].run(db, root, argc - 1, argv + 1);
        ws_close(root, db);
        return status;
    }
    return usage_error("members: unknown subcommand \"%s\"\n" MEMBERS_USAGE, argv[1]);
}

/* --- audit ---------------------------------------------------------------------------------------------- */

static const char *or_dash(json_t *e, const char *key)
{
    const char *s = json_string_value(json_object_get(e, key));
    return s ? s : "-";
}

static void print_audit(json_t *list)
{
    if (json_array_size(list) == 0) {
        printf("the audit log is empty\n");
        return;
    }
    printf("%-19s  %-20s  %-44s  %-16s  %-9s  %s\n", "TIME", "MEMBER", "CALL", "FUNCTION", "DECISION", "STATUS");
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        char when[64], call[512];
        ws_local_time((int64_t)json_integer_value(json_object_get(e, "at")), when, sizeof when);
        snprintf(call, sizeof call, "%s %s", or_dash(e, "method"), or_dash(e, "path"));
        printf("%-19s  %-20s  %-44s  %-16s  %-9s  %lld\n", when, or_dash(e, "member"), call, or_dash(e, "function"),
               json_is_true(json_object_get(e, "allowed")) ? "allowed" : "refused",
               (long long)json_integer_value(json_object_get(e, "status")));
    }
}

static int parse_audit(int argc, char **argv, int *json, long *limit)
{
    static const struct option longopts[] = {
        {"json", no_argument, NULL, 'j'},
        {"limit", required_argument, NULL, 'l'},
        {NULL, 0, NULL, 0},
    };
    *json = 0;
    *limit = 0;
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        char *end = NULL;
        if (c == 'j')
            *json = 1;
        else if (c == 'l' && ((*limit = strtol(optarg, &end, 10)) <= 0 || *end))
            return usage_error("audit: --limit takes a positive number\n" AUDIT_USAGE);
        else if (c != 'l')
            return usage_error("audit: unknown option \"%s\"\n" AUDIT_USAGE, argv[optind - 1]);
    }
    if (optind != argc)
        return usage_error("audit: takes no arguments\n" AUDIT_USAGE);
    return EXIT_OK;
}

int cmd_audit(int argc, char **argv)
{
    int json;
    long limit;
    int status = parse_audit(argc, argv, &json, &limit);
    if (status != EXIT_OK)
        return status;
    char *root;
    sqlite3 *db;
    if ((status = ws_open(&root, &db)) != EXIT_OK)
        return status;
    authz_member who;
    if ((status = authorise(db, root, "audit", AUTHZ_AUDIT_READ, &who)) == EXIT_OK) {
        char *err = NULL;
        json_t *list = audit_list(db, limit, &err);
        if (!list)
            status = ws_fail(EXIT_FAILED, "audit", err);
        else if (!json)
            print_audit(list);
        else if (json_dumpf(list, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER) != 0 || fputc('\n', stdout) == EOF)
            status = EXIT_FAILED;
        json_decref(list);
        record(db, &who, "audit", AUTHZ_AUDIT_READ, 1, status);
    }
    authz_member_free(&who);
    ws_close(root, db);
    return status;
}
