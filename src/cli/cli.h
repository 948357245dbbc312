/*
 * cli: the subcommands of the pocket-id binary. Each lives in its own file
 * src/cli/cmd_<name>.c and exports one const struct cli_command; main.c
 * holds the one table of them. A command returns the process exit status.
 */
#ifndef POCKETID_CLI_H
#define POCKETID_CLI_H

struct cli_command {
	const char *name;	/* the word after "pocket-id" */
	const char *usage;	/* arguments, for the usage text */
	const char *summary;	/* one line for "pocket-id help" */
	/* argv[0] is the command name; returns the exit status. */
	int (*run)(int argc, char **argv);
};

#include <stdbool.h>
#include <stddef.h>

struct db;
struct settings;

/*
 * Loads the settings and checks those the command needs (CONF_NEED_*
 * flags), printing every problem to stderr. On PERR_OK *out is the
 * caller's (conf_free); on PERR_CONFIG there was an error and *out is NULL.
 * n_warnings (optional) receives the number of warnings printed.
 */
int cli_load_settings(unsigned needs, struct settings **out,
    size_t *n_warnings);

/*
 * The value of an option at argv[*i] when it is short_name (may be NULL)
 * or long_name, in any of the forms "-a X", "-aX", "--alg X", "--alg=X"
 * (advancing *i past a separate value); NULL when argv[*i] is not that
 * option or its value is missing.
 */
const char *cli_option_value(int argc, char **argv, int *i,
    const char *short_name, const char *long_name);

/*
 * Asks "Continue? [y/N]" after warning, on a terminal only: true when yes
 * is set or the answer is y or yes. Without a terminal it refuses,
 * telling the user to pass -y.
 */
bool cli_confirm(const char *command, const char *warning, bool yes);

/*
 * Connects to DB_CONNECTION_STRING and applies pending migrations, as
 * "serve" does at start, printing problems prefixed with the command.
 * *out is the caller's (db_close) on PERR_OK.
 */
int cli_open_migrated(const char *command, const struct settings *settings,
    struct db **out);

extern const struct cli_command cmd_serve;
extern const struct cli_command cmd_version;
extern const struct cli_command cmd_healthcheck;
extern const struct cli_command cmd_config;
extern const struct cli_command cmd_migrate;
extern const struct cli_command cmd_one_time_access_token;
extern const struct cli_command cmd_key_rotate;
extern const struct cli_command cmd_encryption_key_rotate;

#endif
