/*
 * cli: srcfn's command-line entry. main.c holds the table of commands; each
 * command lives in its own cmd-*.c and returns the process exit status:
 * EXIT_OK, EXIT_FAILED (the function threw, a check failed), EXIT_USAGE (bad
 * usage or unreadable input, with a one-line message on stderr).
 */
#ifndef SRCFN_CLI_H
#define SRCFN_CLI_H

enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

typedef struct command {
    const char *name;
    const char *usage;
    const char *summary;
    int (*run)(int argc, char **argv);
} command;

int cmd_run(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_new(int argc, char **argv);
int cmd_deploy(int argc, char **argv);
int cmd_versions(int argc, char **argv);
int cmd_rollback(int argc, char **argv);
int cmd_connect(int argc, char **argv);
int cmd_sources(int argc, char **argv);
int cmd_disconnect(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_errors(int argc, char **argv);
int cmd_listen(int argc, char **argv);
int cmd_captures(int argc, char **argv);
int cmd_studio(int argc, char **argv);
int cmd_studio_applies(void);   /* srcfn alone opens the studio: in a workspace, on a terminal */
int cmd_test(int argc, char **argv);
int cmd_templates(int argc, char **argv);
int cmd_push(int argc, char **argv);
int cmd_pull(int argc, char **argv);
int cmd_members(int argc, char **argv);
int cmd_audit(int argc, char **argv);

/* Parses options for a command whose only option is --json; leaves optind at
 * the first operand. Returns EXIT_OK, or a usage error naming the option. */
int parse_json_option(int argc, char **argv, const char *command, const char *usage, int *json);

/* Prints "srcfn: <message>" on stderr and returns EXIT_USAGE. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
