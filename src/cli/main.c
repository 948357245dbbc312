/*
 * main: looks the first argument up in the command table and runs it.
 * With no argument the daemon starts ("serve"), as Pocket ID does.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const struct cli_command *const commands[] = {
	&cmd_serve,
	&cmd_version,
	&cmd_healthcheck,
	&cmd_config,
	&cmd_migrate,
	&cmd_one_time_access_token,
	&cmd_key_rotate,
	&cmd_encryption_key_rotate,
};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void
usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: pocket-id [command] [arguments]\n\ncommands:\n");
	for (i = 0; i < N_COMMANDS; i++)
		fprintf(out, "  %-22s %s\n", commands[i]->name,
		    commands[i]->summary);
}

int
main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : "serve";
	size_t i;

	if (strcmp(name, "help") == 0 || strcmp(name, "--help") == 0 ||
	    strcmp(name, "-h") == 0) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i]->run(argc > 1 ? argc - 1 : 1,
			    argc > 1 ? argv + 1 : argv);
	fprintf(stderr, "pocket-id: unknown command \"%s\"\n\n", name);
	usage(stderr);
	return 2;
}
