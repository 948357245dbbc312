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

#include <stddef.h>

struct settings;

/*
 * Loads the settings and checks those the command needs (CONF_NEED_*
 * flags), printing every problem to stderr. On PERR_OK *out is the
 * caller's (conf_free); on PERR_CONFIG there was an error and *out is NULL.
 * n_warnings (optional) receives the number of warnings printed.
 */
int cli_load_settings(unsigned needs, struct settings **out,
    size_t *n_warnings);

extern const struct cli_command cmd_serve;
extern const struct cli_command cmd_version;
extern const struct cli_command cmd_healthcheck;
extern const struct cli_command cmd_config;
extern const struct cli_command cmd_migrate;
extern const struct cli_command cmd_one_time_access_token;

#endif
