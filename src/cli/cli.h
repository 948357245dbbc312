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

extern const struct cli_command cmd_version;
extern const struct cli_command cmd_migrate;

#endif
